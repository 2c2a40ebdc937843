//! The filesystem seam of the RUN interpreter: the [`ShellFs`] trait the shell and its
//! simulated programs act on, plus path helpers and errno-like errors.
//!
//! Invariants:
//! - Every path handed to a [`ShellFs`] is absolute and lexically normalized (no `.`/`..`
//!   components, no doubled or trailing `/`); the shell resolves relative paths first.
//! - Symlinks in intermediate components are followed by the implementation; the final
//!   component is followed or not as each method says.
//! - File content may be unknown ([`Content::Unknown`]): big files (downloads, `dd`,
//!   `fallocate`, package payloads) are sizes, never allocated bytes.
//! - Permission checks are NOT the filesystem's job: the shell's kernel layer checks
//!   them against the process credentials before calling in.

use serde::Serialize;
use std::fmt;

/// What kind of node a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    File,
    Dir,
    Symlink,
}

/// `stat` output: the fields the shell and coreutils look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metadata {
    pub kind: FileKind,
    /// Permission bits including setuid/setgid/sticky (`0o7777` mask).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Bytes for files, target length for symlinks, 4096 for directories.
    pub size: u64,
    /// Inode number: equal for hard links to the same file.
    pub ino: u64,
    pub nlink: u32,
}

impl Metadata {
    pub fn is_dir(&self) -> bool {
        self.kind == FileKind::Dir
    }
    pub fn is_file(&self) -> bool {
        self.kind == FileKind::File
    }
    pub fn is_symlink(&self) -> bool {
        self.kind == FileKind::Symlink
    }
}

/// The content of a regular file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Bytes(Vec<u8>),
    /// Only the size is known (a size-only file).
    Unknown {
        size: u64,
    },
}

impl Content {
    pub fn len(&self) -> u64 {
        match self {
            Content::Bytes(b) => b.len() as u64,
            Content::Unknown { size } => *size,
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The bytes if known.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Content::Bytes(b) => Some(b),
            Content::Unknown { .. } => None,
        }
    }
}

/// Data to write: real bytes or a number of bytes whose content is not modelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Data<'a> {
    Bytes(&'a [u8]),
    Unknown(u64),
}

impl Data<'_> {
    pub fn len(&self) -> u64 {
        match self {
            Data::Bytes(b) => b.len() as u64,
            Data::Unknown(n) => *n,
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<'a> From<&'a Content> for Data<'a> {
    fn from(c: &'a Content) -> Self {
        match c {
            Content::Bytes(b) => Data::Bytes(b),
            Content::Unknown { size } => Data::Unknown(*size),
        }
    }
}

/// How `write_file` treats an existing file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// Replace the content (`>`).
    Truncate,
    /// Add at the end (`>>`).
    Append,
}

/// Mode and owner for a node the call creates (ignored when it already exists).
/// `mode` is final: the umask was already applied by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewNode {
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
}

/// errno-like error kinds; [`Errno::message`] is the C library's `strerror` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Errno {
    NotFound,
    Exists,
    NotDir,
    IsDir,
    NotEmpty,
    PermissionDenied,
    NotPermitted,
    Loop,
    Invalid,
    CrossDevice,
    NameTooLong,
    /// A budget on file bytes was exceeded.
    FileTooBig,
    NoSpace,
    Busy,
    ReadOnly,
}

impl Errno {
    /// glibc's `strerror` wording (musl's differs only in a few we do not use).
    pub fn message(self) -> &'static str {
        match self {
            Errno::NotFound => "No such file or directory",
            Errno::Exists => "File exists",
            Errno::NotDir => "Not a directory",
            Errno::IsDir => "Is a directory",
            Errno::NotEmpty => "Directory not empty",
            Errno::PermissionDenied => "Permission denied",
            Errno::NotPermitted => "Operation not permitted",
            Errno::Loop => "Too many levels of symbolic links",
            Errno::Invalid => "Invalid argument",
            Errno::CrossDevice => "Invalid cross-device link",
            Errno::NameTooLong => "File name too long",
            Errno::FileTooBig => "File too large",
            Errno::NoSpace => "No space left on device",
            Errno::Busy => "Device or resource busy",
            Errno::ReadOnly => "Read-only file system",
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

pub type FsResult<T> = Result<T, Errno>;

/// The filesystem a RUN acts on. Paths are absolute and normalized (see module docs).
pub trait ShellFs {
    /// Metadata of the node itself (a symlink is not followed).
    fn lstat(&self, path: &str) -> FsResult<Metadata>;
    /// Metadata after following symlinks.
    fn stat(&self, path: &str) -> FsResult<Metadata>;
    /// The whole content of a regular file (symlinks followed).
    fn read_file(&self, path: &str) -> FsResult<Content>;
    /// Writes a regular file (symlinks followed), creating it with `new` if missing.
    /// The parent must exist. Existing mode and owner are kept.
    fn write_file(
        &mut self,
        path: &str,
        data: Data<'_>,
        how: WriteMode,
        new: NewNode,
    ) -> FsResult<()>;
    /// Sets a regular file's length (created with `new` if missing). Kept bytes stay;
    /// added bytes are zeros, which an implementation may keep as unknown content.
    fn set_len(&mut self, path: &str, len: u64, new: NewNode) -> FsResult<()>;
    /// Creates one directory; the parent must exist.
    fn mkdir(&mut self, path: &str, new: NewNode) -> FsResult<()>;
    /// Removes a non-directory or a directory (empty unless `recursive`). Symlinks are
    /// removed, not followed.
    fn remove(&mut self, path: &str, recursive: bool) -> FsResult<()>;
    /// `rename(2)`: replaces a file, or an empty directory with a directory.
    fn rename(&mut self, from: &str, to: &str) -> FsResult<()>;
    /// Creates a symlink at `link` pointing to `target` (stored verbatim).
    fn symlink(&mut self, target: &str, link: &str, owner: NewNode) -> FsResult<()>;
    /// Creates a hard link `link` to the existing non-directory `existing`.
    fn hardlink(&mut self, existing: &str, link: &str) -> FsResult<()>;
    /// Sets permission bits (symlinks followed).
    fn chmod(&mut self, path: &str, mode: u32) -> FsResult<()>;
    /// Changes owner and/or group; `follow` says whether a final symlink is followed.
    fn chown(
        &mut self,
        path: &str,
        uid: Option<u32>,
        gid: Option<u32>,
        follow: bool,
    ) -> FsResult<()>;
    /// Names in a directory (symlinks followed), sorted bytewise, without `.` and `..`.
    fn read_dir(&self, path: &str) -> FsResult<Vec<String>>;
    /// The target of a symlink, verbatim.
    fn readlink(&self, path: &str) -> FsResult<String>;
    /// Marks a node as modified without changing it (`touch` on an existing file); a
    /// layered filesystem copies it up. The default does nothing.
    fn touch(&mut self, path: &str) -> FsResult<()> {
        self.lstat(path).map(|_| ())
    }
}

/// Lexically normalizes an absolute path: drops `.` and empty components, applies `..`.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for comp in path.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    if parts.is_empty() {
        "/".to_string()
    } else {
        let mut out = String::with_capacity(path.len());
        for p in parts {
            out.push('/');
            out.push_str(p);
        }
        out
    }
}

/// Resolves `path` against the directory `cwd` and normalizes it.
pub fn join(cwd: &str, path: &str) -> String {
    if path.starts_with('/') {
        normalize(path)
    } else {
        normalize(&format!("{cwd}/{path}"))
    }
}

/// The parent directory of a normalized absolute path (`/` for `/`).
pub fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// The last component of a path (`/` for `/`), ignoring trailing slashes.
pub fn file_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return if path.is_empty() { "" } else { "/" };
    }
    match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

/// Joins a directory and a name.
pub fn child(dir: &str, name: &str) -> String {
    if dir == "/" {
        format!("/{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// Resolves every symlink in `path` (like `realpath -m` for the existing prefix).
/// Missing trailing components are kept lexically. Bounded at 40 symlink hops.
pub fn canonicalize(fs: &dyn ShellFs, path: &str) -> FsResult<String> {
    let mut resolved = String::from("/");
    let mut pending: Vec<String> = normalize(path)
        .split('/')
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .rev()
        .collect();
    let mut hops = 0;
    while let Some(comp) = pending.pop() {
        if comp == ".." {
            resolved = parent(&resolved).to_string();
            continue;
        }
        if comp == "." {
            continue;
        }
        let next = child(&resolved, &comp);
        match fs.lstat(&next) {
            Ok(meta) if meta.is_symlink() => {
                hops += 1;
                if hops > 40 {
                    return Err(Errno::Loop);
                }
                let target = fs.readlink(&next)?;
                if target.starts_with('/') {
                    resolved = "/".to_string();
                }
                for c in target.split('/').filter(|c| !c.is_empty()).rev() {
                    pending.push(c.to_string());
                }
            }
            _ => resolved = next,
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_helpers() {
        let cases = [
            ("/a/./b//c/", "/a/b/c"),
            ("/../a", "/a"),
            ("/a/b/../../..", "/"),
            ("/", "/"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(input), expected, "{input}");
        }
        assert_eq!(join("/usr", "bin/../lib"), "/usr/lib");
        assert_eq!(join("/usr", "/etc"), "/etc");
        assert_eq!(parent("/a/b"), "/a");
        assert_eq!(parent("/a"), "/");
        assert_eq!(file_name("/a/b/"), "b");
        assert_eq!(file_name("b"), "b");
        assert_eq!(child("/", "x"), "/x");
    }
}
