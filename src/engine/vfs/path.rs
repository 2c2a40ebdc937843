//! Path keys. Inside the vfs a path is a *key*: the absolute path without its leading `/`,
//! components joined by single `/`, no `.`/`..`, no empty components (`""` is the root).
//! Keys sort bytewise, so all descendants of `a` are the contiguous range `a/` .. `a0`.

use super::error::{Errno, VfsError, VfsResult};

/// Linux `PATH_MAX`.
pub const MAX_PATH_LEN: usize = 4096;
/// Linux `NAME_MAX`.
pub const MAX_NAME_LEN: usize = 255;
/// Symbolic links followed while resolving one path (Linux `MAXSYMLINKS`).
pub const MAX_SYMLINK_FOLLOWS: usize = 40;
/// Deepest directory nesting the vfs accepts (a budget; Linux has no such limit).
pub const MAX_DEPTH: usize = 512;

/// The non-empty components of `path` (`.` and `..` are kept; resolution handles them).
pub fn components(path: &str) -> impl DoubleEndedIterator<Item = &str> {
    path.split('/').filter(|c| !c.is_empty())
}

/// Checks length limits of a path given by a caller.
pub fn check_path(path: &str) -> VfsResult<()> {
    if path.len() > MAX_PATH_LEN || components(path).any(|c| c.len() > MAX_NAME_LEN) {
        return Err(VfsError::new(Errno::NameTooLong, path));
    }
    if path.is_empty() {
        return Err(VfsError::new(Errno::NoEnt, path));
    }
    Ok(())
}

/// Lexically normalizes `path` into a key without looking at symlinks (`..` stops at `/`).
/// Used for trees that contain no symlinked directories (catalog data, tar listings).
pub fn lexical_key(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for c in components(path) {
        match c {
            "." => {}
            ".." => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out.join("/")
}

/// `/` + key.
pub fn display(key: &str) -> String {
    let mut s = String::with_capacity(key.len() + 1);
    s.push('/');
    s.push_str(key);
    s
}

/// The parent key (`""` for top-level entries), or `None` for the root itself.
pub fn parent(key: &str) -> Option<&str> {
    if key.is_empty() {
        return None;
    }
    Some(key.rfind('/').map_or("", |i| &key[..i]))
}

/// The last component of a key.
pub fn name(key: &str) -> &str {
    key.rfind('/').map_or(key, |i| &key[i + 1..])
}

/// Joins a key and a child name.
pub fn join(key: &str, name: &str) -> String {
    if key.is_empty() {
        name.to_string()
    } else {
        let mut s = String::with_capacity(key.len() + 1 + name.len());
        s.push_str(key);
        s.push('/');
        s.push_str(name);
        s
    }
}

/// Proper ancestors of a key, shallowest first, excluding the root.
pub fn ancestors(key: &str) -> impl Iterator<Item = &str> {
    key.match_indices('/').map(move |(i, _)| &key[..i])
}

/// Whether `key` is `base` or lies below it.
pub fn is_within(key: &str, base: &str) -> bool {
    base.is_empty()
        || key == base
        || (key.len() > base.len() && key.starts_with(base) && key.as_bytes()[base.len()] == b'/')
}

/// Bounds of the BTreeMap range holding the strict descendants of `key`.
pub fn descendant_range(key: &str) -> (String, String) {
    if key.is_empty() {
        (String::new(), String::from("\u{10FFFF}"))
    } else {
        (format!("{key}/"), format!("{key}0"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_ancestors() {
        assert_eq!(lexical_key("/usr//local/./bin/../lib/"), "usr/local/lib");
        assert_eq!(lexical_key("/../.."), "");
        assert_eq!(parent("a/b/c"), Some("a/b"));
        assert_eq!(parent("a"), Some(""));
        assert_eq!(parent(""), None);
        assert_eq!(name("a/b/c"), "c");
        assert_eq!(ancestors("a/b/c").collect::<Vec<_>>(), ["a", "a/b"]);
        assert!(is_within("a/b", "a"));
        assert!(!is_within("ab", "a"));
        assert!(is_within("x", ""));
        assert_eq!(display("etc/passwd"), "/etc/passwd");
    }
}
