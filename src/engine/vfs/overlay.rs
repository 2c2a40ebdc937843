//! The overlay view: a stack of immutable lower layers plus one writable upper layer, seen
//! as one merged tree — what a RUN step or a container sees.
//!
//! Invariants:
//! * Lower layers never change. Every change lands in `upper`.
//! * Copy-up: modifying anything (content *or* metadata) of an entry that lives in a lower
//!   layer first copies the whole entry into `upper`; its ancestor directories are copied up
//!   too (with their metadata), as overlayfs does. A file's full size is therefore counted
//!   again in the new layer even for a one-byte append or a `chmod`.
//! * Deleting an entry that exists below puts a whiteout in `upper`; deleting something
//!   that exists only in `upper` just drops it. A directory re-created where a whiteout was
//!   becomes opaque (`.wh..wh..opq`), hiding the old lower contents.
//! * Hard links live inside one layer: files sharing a link number in `upper` are one inode
//!   (a write through one name is seen through the other). Copy-up breaks a link, as
//!   overlayfs with `index=off` (Docker's setting) does.
//! * All loops are bounded: 40 symlink follows per path, path length, an entry budget for
//!   the upper layer.

use super::entry::{Content, Entry, FileType, Meta, Node, Stat, Time};
use super::error::{Errno, VfsError, VfsResult};
use super::layer::{entries_size, Layer};
use super::path;
use std::collections::BTreeMap;
use std::sync::Arc;

type Map = BTreeMap<String, Entry>;

/// The root directory: `0755 root:root`. Its metadata is not modelled (chmod `/` is a no-op).
static ROOT: Entry = Entry {
    node: Node::Dir { opaque: false },
    meta: Meta {
        mode: 0o755,
        uid: 0,
        gid: 0,
        mtime: 0,
    },
};

/// Default budget of entries in one upper layer.
pub const DEFAULT_MAX_ENTRIES: usize = 200_000;

/// How `write` treats existing content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// `>`: replace the content.
    Truncate,
    /// `>>`: add to the end.
    Append,
}

/// One entry of a directory listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    pub entry: Entry,
}

/// One entry of a recursive walk: absolute path and entry (symlinks not followed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkEntry {
    pub path: String,
    pub entry: Entry,
}

/// What kind of change a path underwent (the letters of `docker diff`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// `A`
    Added,
    /// `C`
    Modified,
    /// `D`
    Deleted,
}

impl ChangeKind {
    /// The letter `docker diff` prints.
    pub fn letter(self) -> char {
        match self {
            ChangeKind::Added => 'A',
            ChangeKind::Modified => 'C',
            ChangeKind::Deleted => 'D',
        }
    }
}

/// One changed path.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// Absolute path.
    pub path: String,
    /// Kind of the entry after the change (before it, for deletions).
    pub file_type: FileType,
    /// `st_size` after the change; for a deletion the bytes that were hidden (a deleted
    /// directory counts its whole visible subtree). These bytes stay in the image.
    pub size: u64,
}

/// A read-only stack of maps, top first: the upper layer (optional) then the lowers.
#[derive(Clone, Copy)]
struct Stack<'a> {
    upper: Option<&'a Map>,
    lowers: &'a [Arc<Layer>],
}

/// Whether map `m` hides `key` of the layers below it through one of its ancestors (a
/// whiteout, a non-directory, or an opaque directory).
fn hides(m: &Map, key: &str) -> bool {
    path::ancestors(key).any(|a| match m.get(a).map(|e| &e.node) {
        None | Some(Node::Dir { opaque: false }) => false,
        Some(_) => true,
    })
}

impl<'a> Stack<'a> {
    fn maps(self) -> impl Iterator<Item = &'a Map> {
        self.upper
            .into_iter()
            .chain(self.lowers.iter().rev().map(|l| l.map()))
    }

    fn lookup(self, key: &str) -> Option<&'a Entry> {
        if key.is_empty() {
            return Some(&ROOT);
        }
        for m in self.maps() {
            if let Some(e) = m.get(key) {
                return match e.node {
                    Node::Whiteout => None,
                    _ => Some(e),
                };
            }
            if hides(m, key) {
                return None;
            }
        }
        None
    }

    /// Visible children of directory `key` (caller checked it is a visible directory).
    fn children(self, key: &str) -> BTreeMap<&'a str, &'a Entry> {
        let mut seen: BTreeMap<&'a str, Option<&'a Entry>> = BTreeMap::new();
        let (lo, hi) = path::descendant_range(key);
        let prefix_len = if key.is_empty() { 0 } else { key.len() + 1 };
        for m in self.maps() {
            let mut opaque = false;
            if !key.is_empty() {
                match m.get(key).map(|e| &e.node) {
                    Some(Node::Dir { opaque: o }) => opaque = *o,
                    Some(_) => break,
                    None => {
                        if hides(m, key) {
                            break;
                        }
                        continue;
                    }
                }
            }
            for (k, e) in m.range::<str, _>((
                std::ops::Bound::Included(lo.as_str()),
                std::ops::Bound::Excluded(hi.as_str()),
            )) {
                let rest = &k[prefix_len..];
                if rest.contains('/') {
                    continue;
                }
                seen.entry(rest).or_insert(match e.node {
                    Node::Whiteout => None,
                    _ => Some(e),
                });
            }
            if opaque {
                break;
            }
        }
        seen.into_iter()
            .filter_map(|(n, e)| e.map(|e| (n, e)))
            .collect()
    }

    /// Pre-order walk below `key` (excluded), names sorted, symlinks not followed.
    fn walk_below(self, key: &str, out: &mut Vec<(String, Entry)>) {
        let mut stack: Vec<String> = vec![key.to_string()];
        while let Some(dir) = stack.pop() {
            let kids = self.children(&dir);
            let mut dirs = Vec::new();
            for (name, e) in kids {
                let k = path::join(&dir, name);
                if e.is_dir() {
                    dirs.push(k.clone());
                }
                out.push((k, e.clone()));
            }
            // Depth-first order is not needed by callers; sorted output is produced later.
            stack.extend(dirs.into_iter().rev());
        }
    }

    fn subtree_size(self, key: &str) -> u64 {
        let Some(e) = self.lookup(key) else { return 0 };
        let mut all = vec![(key.to_string(), e.clone())];
        if e.is_dir() {
            self.walk_below(key, &mut all);
        }
        entries_size(all.iter().map(|(k, e)| (k, e)))
    }
}

/// Changes recorded in `upper` relative to `lowers` (what `docker diff` lists).
fn changes_of(upper: &Map, lowers: &[Arc<Layer>]) -> Vec<Change> {
    let below = Stack {
        upper: None,
        lowers,
    };
    let mut out = Vec::new();
    for (k, e) in upper {
        let before = if hides(upper, k) {
            None
        } else {
            below.lookup(k)
        };
        match (&e.node, before) {
            (Node::Whiteout, Some(old)) => out.push(Change {
                kind: ChangeKind::Deleted,
                path: path::display(k),
                file_type: old.file_type().unwrap_or(FileType::File),
                size: below.subtree_size(k),
            }),
            (Node::Whiteout, None) => {}
            (_, before) => {
                out.push(Change {
                    kind: if before.is_some() {
                        ChangeKind::Modified
                    } else {
                        ChangeKind::Added
                    },
                    path: path::display(k),
                    file_type: e.file_type().unwrap_or(FileType::File),
                    size: e.size(),
                });
                if let (Node::Dir { opaque: true }, Some(old)) = (&e.node, before) {
                    if old.is_dir() {
                        for (name, child) in below.children(k) {
                            let ck = path::join(k, name);
                            if !upper.contains_key(&ck) {
                                out.push(Change {
                                    kind: ChangeKind::Deleted,
                                    path: path::display(&ck),
                                    file_type: child.file_type().unwrap_or(FileType::File),
                                    size: below.subtree_size(&ck),
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Changes a committed layer made on top of its parent layers.
pub fn layer_changes(layer: &Layer, parents: &[Arc<Layer>]) -> Vec<Change> {
    changes_of(layer.map(), parents)
}

/// Every difference between two merged trees (`old` → `new`), by path.
pub fn diff_views(old: &OverlayView, new: &OverlayView) -> Vec<Change> {
    let a: BTreeMap<String, Entry> = old.all_entries().into_iter().collect();
    let b: BTreeMap<String, Entry> = new.all_entries().into_iter().collect();
    let mut out = Vec::new();
    for (k, e) in &b {
        match a.get(k) {
            None => out.push(Change {
                kind: ChangeKind::Added,
                path: path::display(k),
                file_type: e.file_type().unwrap_or(FileType::File),
                size: e.size(),
            }),
            Some(old_e) if !same_entry(old_e, e) => out.push(Change {
                kind: ChangeKind::Modified,
                path: path::display(k),
                file_type: e.file_type().unwrap_or(FileType::File),
                size: e.size(),
            }),
            Some(_) => {}
        }
    }
    for (k, e) in &a {
        if !b.contains_key(k) {
            out.push(Change {
                kind: ChangeKind::Deleted,
                path: path::display(k),
                file_type: e.file_type().unwrap_or(FileType::File),
                size: e.size(),
            });
        }
    }
    out.sort_by(|x, y| x.path.cmp(&y.path));
    out
}

/// Entries equal for diff purposes (directory opacity and link numbers are layer details).
fn same_entry(a: &Entry, b: &Entry) -> bool {
    a.meta == b.meta
        && match (&a.node, &b.node) {
            (Node::File { content: x, .. }, Node::File { content: y, .. }) => x == y,
            (Node::Dir { .. }, Node::Dir { .. }) => true,
            (Node::Symlink { target: x }, Node::Symlink { target: y }) => x == y,
            _ => false,
        }
}

/// A merged, writable view over a stack of layers.
#[derive(Debug, Clone)]
pub struct OverlayView {
    lowers: Vec<Arc<Layer>>,
    upper: Map,
    now: Time,
    uid: u32,
    gid: u32,
    umask: u32,
    next_link: u64,
    max_entries: usize,
}

impl Default for OverlayView {
    fn default() -> Self {
        OverlayView::new(Vec::new())
    }
}

impl OverlayView {
    /// A view over `lowers` (bottom layer first) with an empty upper layer, acting as root
    /// with umask 022 at time 0.
    pub fn new(lowers: Vec<Arc<Layer>>) -> OverlayView {
        let next_link = lowers.iter().map(|l| l.max_link()).max().unwrap_or(0) + 1;
        OverlayView {
            lowers,
            upper: Map::new(),
            now: 0,
            uid: 0,
            gid: 0,
            umask: 0o022,
            next_link,
            max_entries: DEFAULT_MAX_ENTRIES,
        }
    }

    /// Sets the logical clock used for mtimes of changed entries.
    pub fn set_time(&mut self, now: Time) {
        self.now = now;
    }

    pub fn time(&self) -> Time {
        self.now
    }

    /// Sets who acts (owner of created entries; permission checks for non-root).
    pub fn set_identity(&mut self, uid: u32, gid: u32) {
        self.uid = uid;
        self.gid = gid;
    }

    pub fn identity(&self) -> (u32, u32) {
        (self.uid, self.gid)
    }

    pub fn set_umask(&mut self, umask: u32) {
        self.umask = umask & 0o777;
    }

    /// Sets the budget of entries the upper layer may hold (ENOSPC beyond).
    pub fn set_max_entries(&mut self, max: usize) {
        self.max_entries = max;
    }

    /// The lower layers, bottom first.
    pub fn lowers(&self) -> &[Arc<Layer>] {
        &self.lowers
    }

    fn stack(&self) -> Stack<'_> {
        Stack {
            upper: Some(&self.upper),
            lowers: &self.lowers,
        }
    }

    fn below(&self) -> Stack<'_> {
        Stack {
            upper: None,
            lowers: &self.lowers,
        }
    }

    fn lookup(&self, key: &str) -> Option<&Entry> {
        self.stack().lookup(key)
    }

    /// Whether something in the lower layers would show through at `key` without `upper`.
    fn lower_visible(&self, key: &str) -> bool {
        !hides(&self.upper, key) && self.below().lookup(key).is_some()
    }

    // ----- path resolution -------------------------------------------------------------

    /// Resolves `path` to a key, following symlinks in every component and, if
    /// `follow_last`, in the last one. The last component may be missing (the key of the
    /// entry that would be created is returned); a missing middle component is ENOENT.
    pub fn resolve(&self, path: &str, follow_last: bool) -> VfsResult<String> {
        path::check_path(path)?;
        let must_dir = path.ends_with('/');
        let follow_last = follow_last || must_dir;
        let mut pending: Vec<String> = path::components(path).rev().map(String::from).collect();
        let mut cur: Vec<String> = Vec::new();
        let mut follows = 0usize;
        while let Some(comp) = pending.pop() {
            match comp.as_str() {
                "." => continue,
                ".." => {
                    cur.pop();
                    continue;
                }
                _ => {}
            }
            let last = pending.is_empty();
            cur.push(comp);
            if cur.len() > path::MAX_DEPTH {
                return Err(VfsError::new(Errno::NameTooLong, path));
            }
            let key = cur.join("/");
            match self.lookup(&key).map(|e| &e.node) {
                None if last => return Ok(key),
                None => return Err(VfsError::new(Errno::NoEnt, path)),
                Some(Node::Symlink { target }) if !last || follow_last => {
                    follows += 1;
                    if follows > path::MAX_SYMLINK_FOLLOWS {
                        return Err(VfsError::new(Errno::Loop, path));
                    }
                    cur.pop();
                    if target.starts_with('/') {
                        cur.clear();
                    }
                    let target = target.to_string();
                    pending.extend(path::components(&target).rev().map(String::from));
                    if pending.len() > path::MAX_PATH_LEN {
                        return Err(VfsError::new(Errno::NameTooLong, path));
                    }
                }
                Some(Node::Dir { .. }) | Some(Node::Symlink { .. }) => {}
                Some(_) if !last => return Err(VfsError::new(Errno::NotDir, path)),
                Some(_) if must_dir => return Err(VfsError::new(Errno::NotDir, path)),
                Some(_) => {}
            }
        }
        Ok(cur.join("/"))
    }

    fn existing(&self, path: &str, follow: bool) -> VfsResult<(String, Entry)> {
        let key = self.resolve(path, follow)?;
        match self.lookup(&key) {
            Some(e) => Ok((key, e.clone())),
            None => Err(VfsError::new(Errno::NoEnt, path)),
        }
    }

    /// `realpath`: the absolute path with every symlink resolved (the target must exist).
    pub fn realpath(&self, path: &str) -> VfsResult<String> {
        let (key, _) = self.existing(path, true)?;
        Ok(path::display(&key))
    }

    // ----- permissions -----------------------------------------------------------------

    fn allowed(&self, meta: &Meta, bit: u32) -> bool {
        if self.uid == 0 {
            return true;
        }
        let shift = if meta.uid == self.uid {
            6
        } else if meta.gid == self.gid {
            3
        } else {
            0
        };
        (meta.mode >> shift) & bit != 0
    }

    fn parent_writable(&self, key: &str, path: &str) -> VfsResult<Entry> {
        let parent = path::parent(key).unwrap_or("");
        let pe = self
            .lookup(parent)
            .cloned()
            .ok_or_else(|| VfsError::new(Errno::NoEnt, path))?;
        if !pe.is_dir() {
            return Err(VfsError::new(Errno::NotDir, path));
        }
        if !self.allowed(&pe.meta, 0o2) {
            return Err(VfsError::new(Errno::Access, path));
        }
        Ok(pe)
    }

    fn may_unlink(&self, key: &str, e: &Entry, path: &str) -> VfsResult<()> {
        let pe = self.parent_writable(key, path)?;
        if self.uid != 0
            && pe.meta.mode & 0o1000 != 0
            && e.meta.uid != self.uid
            && pe.meta.uid != self.uid
        {
            return Err(VfsError::new(Errno::Perm, path));
        }
        Ok(())
    }

    // ----- primitive mutations ---------------------------------------------------------

    fn copy_up_parents(&mut self, key: &str) {
        let missing: Vec<(String, Meta)> = path::ancestors(key)
            .filter(|a| !self.upper.contains_key(*a))
            .filter_map(|a| {
                self.lookup(a)
                    .filter(|e| e.is_dir())
                    .map(|e| (a.to_string(), e.meta))
            })
            .collect();
        for (a, meta) in missing {
            self.upper.insert(a, Entry::dir(meta));
        }
    }

    fn touch_parent(&mut self, key: &str) {
        if let Some(p) = path::parent(key) {
            if let Some(e) = self.upper.get_mut(p) {
                e.meta.mtime = self.now;
            }
        }
    }

    fn budget(&self, key: &str, path: &str) -> VfsResult<()> {
        if !self.upper.contains_key(key) && self.upper.len() >= self.max_entries {
            return Err(VfsError::new(Errno::NoSpace, path));
        }
        Ok(())
    }

    /// Stores `entry` at `key` in the upper layer (parents copied up, parent mtime bumped).
    fn put(&mut self, key: &str, entry: Entry, path: &str) -> VfsResult<()> {
        if key.is_empty() {
            return Err(VfsError::new(Errno::Busy, path));
        }
        self.budget(key, path)?;
        self.copy_up_parents(key);
        self.upper.insert(key.to_string(), entry);
        self.touch_parent(key);
        Ok(())
    }

    /// Removes the visible entry at `key` (and everything below it).
    fn delete(&mut self, key: &str) {
        let (lo, hi) = path::descendant_range(key);
        let below: Vec<String> = self.upper.range(lo..hi).map(|(k, _)| k.clone()).collect();
        for k in below {
            self.upper.remove(&k);
        }
        self.copy_up_parents(key);
        if self.lower_visible(key) {
            self.upper
                .insert(key.to_string(), Entry::whiteout(self.now));
        } else {
            self.upper.remove(key);
        }
        self.touch_parent(key);
    }

    /// Applies `f` to the entry at `key` (copy-up first; all names of an upper hard-link
    /// group change together).
    fn modify(&mut self, key: &str, path: &str, f: impl Fn(&mut Entry)) -> VfsResult<()> {
        if key.is_empty() {
            // The root directory's metadata is not modelled.
            return Ok(());
        }
        if let Some(e) = self.upper.get(key) {
            if let Node::File { link: Some(id), .. } = e.node {
                for v in self.upper.values_mut() {
                    if matches!(v.node, Node::File { link: Some(l), .. } if l == id) {
                        f(v);
                    }
                }
                return Ok(());
            }
            if let Some(v) = self.upper.get_mut(key) {
                f(v);
            }
            return Ok(());
        }
        let mut e = self
            .lookup(key)
            .cloned()
            .ok_or_else(|| VfsError::new(Errno::NoEnt, path))?;
        match &mut e.node {
            Node::File { link, .. } => *link = None,
            Node::Dir { opaque } => *opaque = false,
            _ => {}
        }
        f(&mut e);
        self.budget(key, path)?;
        self.copy_up_parents(key);
        self.upper.insert(key.to_string(), e);
        Ok(())
    }

    // ----- queries ---------------------------------------------------------------------

    /// `stat`: follows symlinks.
    pub fn stat(&self, path: &str) -> VfsResult<Stat> {
        Ok(self.existing(path, true)?.1.stat())
    }

    /// `lstat`: does not follow a final symlink.
    pub fn lstat(&self, path: &str) -> VfsResult<Stat> {
        Ok(self.existing(path, false)?.1.stat())
    }

    /// Whether `path` exists (following symlinks).
    pub fn exists(&self, path: &str) -> bool {
        self.stat(path).is_ok()
    }

    /// The entry at `path`, not following a final symlink.
    pub fn entry(&self, path: &str) -> VfsResult<Entry> {
        Ok(self.existing(path, false)?.1)
    }

    /// The content of a file (following symlinks). Cheap: content is shared.
    pub fn read(&self, path: &str) -> VfsResult<Content> {
        let (_, e) = self.existing(path, true)?;
        match e.node {
            Node::File { content, .. } => {
                if !self.allowed(&e.meta, 0o4) {
                    return Err(VfsError::new(Errno::Access, path));
                }
                Ok(content)
            }
            Node::Dir { .. } => Err(VfsError::new(Errno::IsDir, path)),
            _ => Err(VfsError::new(Errno::NoEnt, path)),
        }
    }

    /// The target of a symlink (EINVAL if `path` is not one).
    pub fn read_link(&self, path: &str) -> VfsResult<String> {
        let (_, e) = self.existing(path, false)?;
        match e.node {
            Node::Symlink { target } => Ok(target.to_string()),
            _ => Err(VfsError::new(Errno::Inval, path)),
        }
    }

    /// Entries of a directory (following symlinks), sorted by name, without `.`/`..`.
    pub fn list(&self, path: &str) -> VfsResult<Vec<DirEntry>> {
        let (key, e) = self.existing(path, true)?;
        if !e.is_dir() {
            return Err(VfsError::new(Errno::NotDir, path));
        }
        if !self.allowed(&e.meta, 0o4) {
            return Err(VfsError::new(Errno::Access, path));
        }
        Ok(self
            .stack()
            .children(&key)
            .into_iter()
            .map(|(name, entry)| DirEntry {
                name: name.to_string(),
                entry: entry.clone(),
            })
            .collect())
    }

    /// `path` itself and everything below it, sorted by path; symlinks are not followed.
    pub fn walk(&self, path: &str) -> VfsResult<Vec<WalkEntry>> {
        let (key, e) = self.existing(path, false)?;
        let mut all = Vec::new();
        if e.is_dir() {
            self.stack().walk_below(&key, &mut all);
        }
        all.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = Vec::with_capacity(all.len() + 1);
        out.push(WalkEntry {
            path: path::display(&key),
            entry: e,
        });
        out.extend(all.into_iter().map(|(k, entry)| WalkEntry {
            path: path::display(&k),
            entry,
        }));
        Ok(out)
    }

    /// Every visible entry of the merged tree, keyed (root excluded).
    fn all_entries(&self) -> Vec<(String, Entry)> {
        let mut all = Vec::new();
        self.stack().walk_below("", &mut all);
        all
    }

    // ----- mutations -------------------------------------------------------------------

    /// Writes a file (following symlinks, creating it with `0666 & !umask` if missing).
    pub fn write(&mut self, path: &str, data: Content, mode: WriteMode) -> VfsResult<()> {
        let key = self.resolve(path, true)?;
        match self.lookup(&key).cloned() {
            Some(e) => match e.node {
                Node::File { content, .. } => {
                    if !self.allowed(&e.meta, 0o2) {
                        return Err(VfsError::new(Errno::Access, path));
                    }
                    let new = match mode {
                        WriteMode::Truncate => data,
                        WriteMode::Append => content.append(&data),
                    };
                    let now = self.now;
                    self.modify(&key, path, |x| {
                        if let Node::File { content, .. } = &mut x.node {
                            *content = new.clone();
                        }
                        x.meta.mtime = now;
                    })
                }
                _ => Err(VfsError::new(Errno::IsDir, path)),
            },
            None => {
                if path.ends_with('/') {
                    return Err(VfsError::new(Errno::IsDir, path));
                }
                self.parent_writable(&key, path)?;
                let meta = Meta::new(0o666 & !self.umask, self.uid, self.gid, self.now);
                self.put(&key, Entry::file(data, meta), path)
            }
        }
    }

    /// Convenience: write bytes.
    pub fn write_bytes(&mut self, path: &str, bytes: &[u8], mode: WriteMode) -> VfsResult<()> {
        self.write(path, Content::from_bytes(bytes), mode)
    }

    /// `mkdir` (mode is masked by the umask). EEXIST if anything exists at `path`.
    pub fn mkdir(&mut self, path: &str, mode: u32) -> VfsResult<()> {
        let key = self.resolve(path, false)?;
        if key.is_empty() || self.lookup(&key).is_some() {
            return Err(VfsError::new(Errno::Exist, path));
        }
        self.parent_writable(&key, path)?;
        let opaque = matches!(self.upper.get(&key), Some(e) if e.node == Node::Whiteout)
            && self.lower_visible(&key);
        let meta = Meta::new(mode & !self.umask, self.uid, self.gid, self.now);
        self.put(
            &key,
            Entry {
                node: Node::Dir { opaque },
                meta,
            },
            path,
        )
    }

    /// `mkdir -p`: creates missing directories along `path`; existing directories (also
    /// through symlinks) are fine, an existing non-directory is EEXIST (last) or ENOTDIR.
    pub fn mkdir_all(&mut self, path: &str, mode: u32) -> VfsResult<()> {
        path::check_path(path)?;
        let comps: Vec<&str> = path::components(path).collect();
        let mut prefix = String::from(if path.starts_with('/') { "/" } else { "" });
        for (i, c) in comps.iter().enumerate() {
            if !prefix.is_empty() && !prefix.ends_with('/') {
                prefix.push('/');
            }
            prefix.push_str(c);
            match self.stat(&prefix) {
                Ok(st) if st.file_type == FileType::Dir => {}
                Ok(_) if i + 1 == comps.len() => return Err(VfsError::new(Errno::Exist, path)),
                Ok(_) => return Err(VfsError::new(Errno::NotDir, path)),
                Err(e) if e.errno == Errno::NoEnt => {
                    // A dangling symlink in the way cannot be mkdir'ed through.
                    self.mkdir(&prefix, mode)
                        .map_err(|e| VfsError::new(e.errno, path))?;
                }
                Err(e) => return Err(VfsError::new(e.errno, path)),
            }
        }
        Ok(())
    }

    /// `unlink`: removes a non-directory (a symlink itself, not its target).
    pub fn remove_file(&mut self, path: &str) -> VfsResult<()> {
        let (key, e) = self.existing(path, false)?;
        if e.is_dir() {
            return Err(VfsError::new(Errno::IsDir, path));
        }
        self.may_unlink(&key, &e, path)?;
        self.delete(&key);
        Ok(())
    }

    /// `rmdir`: removes an empty directory.
    pub fn remove_dir(&mut self, path: &str) -> VfsResult<()> {
        let (key, e) = self.existing(path, false)?;
        if key.is_empty() {
            return Err(VfsError::new(Errno::Busy, path));
        }
        if !e.is_dir() {
            return Err(VfsError::new(Errno::NotDir, path));
        }
        if !self.stack().children(&key).is_empty() {
            return Err(VfsError::new(Errno::NotEmpty, path));
        }
        self.may_unlink(&key, &e, path)?;
        self.delete(&key);
        Ok(())
    }

    /// `rm -r`: removes `path` and everything below it (ENOENT if missing).
    pub fn remove_all(&mut self, path: &str) -> VfsResult<()> {
        let (key, e) = self.existing(path, false)?;
        if key.is_empty() {
            return Err(VfsError::new(Errno::Busy, path));
        }
        self.may_unlink(&key, &e, path)?;
        self.delete(&key);
        Ok(())
    }

    /// `rename(2)`: moves an entry (a directory with its subtree). Replaces an existing
    /// non-directory target, or an empty directory when moving a directory.
    pub fn rename(&mut self, from: &str, to: &str) -> VfsResult<()> {
        let (from_key, from_e) = self.existing(from, false)?;
        let to_key = self.resolve(to, false)?;
        if from_key.is_empty() || to_key.is_empty() {
            return Err(VfsError::new(Errno::Busy, from));
        }
        if from_key == to_key {
            return Ok(());
        }
        if path::is_within(&to_key, &from_key) {
            return Err(VfsError::new(Errno::Inval, to));
        }
        self.may_unlink(&from_key, &from_e, from)?;
        self.parent_writable(&to_key, to)?;
        if let Some(target) = self.lookup(&to_key).cloned() {
            match (from_e.is_dir(), target.is_dir()) {
                (true, true) => {
                    if !self.stack().children(&to_key).is_empty() {
                        return Err(VfsError::new(Errno::NotEmpty, to));
                    }
                }
                (true, false) => return Err(VfsError::new(Errno::NotDir, to)),
                (false, true) => return Err(VfsError::new(Errno::IsDir, to)),
                (false, false) => {}
            }
        }
        // Collect the moved subtree; links survive only for entries already in upper.
        let mut moved = vec![(from_key.clone(), from_e.clone())];
        if from_e.is_dir() {
            self.stack().walk_below(&from_key, &mut moved);
        }
        let moved: Vec<(String, Entry)> = moved
            .into_iter()
            .map(|(k, mut e)| {
                let in_upper = self.upper.get(&k) == Some(&e);
                match &mut e.node {
                    Node::File { link, .. } if !in_upper => *link = None,
                    Node::Dir { opaque } => *opaque = false,
                    _ => {}
                }
                (k, e)
            })
            .collect();
        if self.upper.len() + moved.len() > self.max_entries {
            return Err(VfsError::new(Errno::NoSpace, to));
        }
        if self.lookup(&to_key).is_some() {
            self.delete(&to_key);
        }
        self.delete(&from_key);
        let to_was_whiteout =
            matches!(self.upper.get(&to_key), Some(e) if e.node == Node::Whiteout);
        for (k, mut e) in moved {
            let new_key = format!("{}{}", to_key, &k[from_key.len()..]);
            if new_key == to_key {
                if let Node::Dir { opaque } = &mut e.node {
                    *opaque = to_was_whiteout && self.lower_visible(&to_key);
                }
                self.put(&new_key, e, to)?;
            } else {
                // Entries below keep their metadata: a rename touches no mtime inside.
                self.upper.insert(new_key, e);
            }
        }
        Ok(())
    }

    /// `symlink(target, linkpath)`.
    pub fn symlink(&mut self, target: &str, link_path: &str) -> VfsResult<()> {
        let key = self.resolve(link_path, false)?;
        if key.is_empty() || self.lookup(&key).is_some() {
            return Err(VfsError::new(Errno::Exist, link_path));
        }
        if target.is_empty() {
            return Err(VfsError::new(Errno::NoEnt, link_path));
        }
        self.parent_writable(&key, link_path)?;
        let meta = Meta::new(0o777, self.uid, self.gid, self.now);
        self.put(&key, Entry::symlink(target, meta), link_path)
    }

    /// `link(existing, new)`: a hard link (not to directories: EPERM). The source is copied
    /// up if needed; both names then share one inode in the upper layer.
    pub fn hard_link(&mut self, existing: &str, new_path: &str) -> VfsResult<()> {
        let (src_key, src) = self.existing(existing, false)?;
        if src.is_dir() {
            return Err(VfsError::new(Errno::Perm, existing));
        }
        let dst_key = self.resolve(new_path, false)?;
        if dst_key.is_empty() || self.lookup(&dst_key).is_some() {
            return Err(VfsError::new(Errno::Exist, new_path));
        }
        self.parent_writable(&dst_key, new_path)?;
        let id = match self.upper.get(&src_key).map(|e| &e.node) {
            Some(Node::File { link: Some(id), .. }) => *id,
            _ => {
                let id = self.next_link;
                self.next_link += 1;
                id
            }
        };
        let mut linked = src;
        // Hard links to symlinks keep no shared inode in this model.
        if let Node::File { link, .. } = &mut linked.node {
            *link = Some(id);
        }
        if self.upper.get(&src_key) != Some(&linked) {
            self.budget(&src_key, existing)?;
            self.copy_up_parents(&src_key);
            self.upper.insert(src_key, linked.clone());
        }
        self.put(&dst_key, linked, new_path)
    }

    /// `chmod` (follows symlinks). Only the owner or root may do it.
    pub fn chmod(&mut self, path: &str, mode: u32) -> VfsResult<()> {
        let (key, e) = self.existing(path, true)?;
        if self.uid != 0 && e.meta.uid != self.uid {
            return Err(VfsError::new(Errno::Perm, path));
        }
        self.modify(&key, path, |x| x.meta.mode = mode & 0o7777)
    }

    /// `chown`/`lchown`: only root may change ownership.
    pub fn chown(&mut self, path: &str, uid: u32, gid: u32, follow: bool) -> VfsResult<()> {
        let (key, _) = self.existing(path, follow)?;
        if self.uid != 0 {
            return Err(VfsError::new(Errno::Perm, path));
        }
        self.modify(&key, path, |x| {
            x.meta.uid = uid;
            x.meta.gid = gid;
        })
    }

    /// Sets the mtime (`touch -d`, `touch` of an existing file).
    pub fn set_mtime(&mut self, path: &str, mtime: Time, follow: bool) -> VfsResult<()> {
        let (key, e) = self.existing(path, follow)?;
        if self.uid != 0 && e.meta.uid != self.uid && !self.allowed(&e.meta, 0o2) {
            return Err(VfsError::new(Errno::Access, path));
        }
        self.modify(&key, path, |x| x.meta.mtime = mtime)
    }

    /// Puts `entry` at `path` as the builder does for COPY/ADD (no permission checks):
    /// missing parents are created with `parent_meta`; a directory over a directory only
    /// takes the new metadata; a non-directory replaces a non-directory; a non-directory
    /// over a directory is EISDIR and a directory over a non-directory ENOTDIR (the builder
    /// decides what COPY does then). Link numbers of the given entry are dropped. The last
    /// component is not followed.
    pub fn install(&mut self, path: &str, mut entry: Entry, parent_meta: Meta) -> VfsResult<()> {
        if let Node::File { link, .. } = &mut entry.node {
            *link = None;
        }
        if matches!(entry.node, Node::Whiteout) {
            return Err(VfsError::new(Errno::Inval, path));
        }
        path::check_path(path)?;
        // Create the parents (following symlinks in them) as root would.
        let comps: Vec<&str> = path::components(path).collect();
        let Some((_, parents)) = comps.split_last() else {
            return Err(VfsError::new(Errno::Busy, path));
        };
        let mut prefix = String::from("/");
        for c in parents {
            if !prefix.ends_with('/') {
                prefix.push('/');
            }
            prefix.push_str(c);
            match self.stat(&prefix) {
                Ok(st) if st.file_type == FileType::Dir => {}
                Ok(_) => return Err(VfsError::new(Errno::NotDir, path)),
                Err(e) if e.errno == Errno::NoEnt => {
                    let k = self.resolve(&prefix, false)?;
                    let opaque = matches!(self.upper.get(&k), Some(e) if e.node == Node::Whiteout)
                        && self.lower_visible(&k);
                    self.put(
                        &k,
                        Entry {
                            node: Node::Dir { opaque },
                            meta: parent_meta,
                        },
                        path,
                    )?;
                }
                Err(e) => return Err(VfsError::new(e.errno, path)),
            }
        }
        let key = self.resolve(path, false)?;
        match self.lookup(&key).cloned() {
            Some(old) if old.is_dir() && entry.is_dir() => {
                let meta = entry.meta;
                self.modify(&key, path, |x| x.meta = meta)
            }
            Some(old) if old.is_dir() => Err(VfsError::new(Errno::IsDir, path)),
            Some(_) if entry.is_dir() => Err(VfsError::new(Errno::NotDir, path)),
            Some(_) => {
                self.delete(&key);
                self.put(&key, entry, path)
            }
            None => {
                if let Node::Dir { opaque } = &mut entry.node {
                    *opaque = matches!(self.upper.get(&key), Some(e) if e.node == Node::Whiteout)
                        && self.lower_visible(&key);
                }
                self.put(&key, entry, path)
            }
        }
    }

    // ----- layers ----------------------------------------------------------------------

    /// Changes in the upper layer relative to the lowers (`docker diff`), sorted by path.
    pub fn changes(&self) -> Vec<Change> {
        changes_of(&self.upper, &self.lowers)
    }

    /// Size of the upper layer (a container's `SizeRw`), counted like a layer.
    pub fn upper_size(&self) -> u64 {
        entries_size(self.upper.iter())
    }

    /// Whether nothing has been changed since the last commit.
    pub fn upper_is_empty(&self) -> bool {
        self.upper.is_empty()
    }

    /// A copy of the upper layer as an immutable layer, leaving the view unchanged
    /// (`docker commit` of a running container).
    pub fn snapshot_upper(&self) -> Layer {
        Layer::from_entries(self.upper.clone())
    }

    /// Turns the upper layer into an immutable layer, pushes it onto the lowers and starts
    /// a new empty upper layer on top of it.
    pub fn commit(&mut self) -> Arc<Layer> {
        let layer = Arc::new(Layer::from_entries(std::mem::take(&mut self.upper)));
        self.lowers.push(layer.clone());
        layer
    }

    /// Throws the upper layer away.
    pub fn discard_upper(&mut self) {
        self.upper.clear();
    }

    /// Pushes an existing layer on top of the lowers (e.g. a `COPY --link` layer). The
    /// upper layer must be empty (EBUSY otherwise).
    pub fn push_layer(&mut self, layer: Arc<Layer>) -> VfsResult<()> {
        if !self.upper.is_empty() {
            return Err(VfsError::new(Errno::Busy, "/"));
        }
        self.next_link = self.next_link.max(layer.max_link() + 1);
        self.lowers.push(layer);
        Ok(())
    }
}
