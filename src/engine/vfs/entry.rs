//! One filesystem entry as stored in a layer: a node (file, directory, symlink, whiteout)
//! plus its metadata. Entries are cheap to clone: file content and link targets are shared.

use sha2::{Digest as _, Sha256};
use std::sync::Arc;

/// Logical time in seconds since the Unix epoch. The engine never reads a real clock; the
/// caller passes the time in (see `OverlayView::set_time`).
pub type Time = i64;

/// File content kept in memory only when small; big files are represented by their size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Real bytes (text files a learner can `cat`).
    Bytes(Arc<[u8]>),
    /// Size-only content (binaries, archives, filler). `fingerprint` identifies the content
    /// for diff ids and equality: it is fixed when the content is created (from its path and
    /// size, see [`Content::sized_at`]) and travels with copies and renames.
    Sized { size: u64, fingerprint: u64 },
}

/// Byte contents longer than this are turned into size-only content to bound memory.
pub const INLINE_LIMIT: usize = 1 << 20;

impl Content {
    /// Content from bytes; above [`INLINE_LIMIT`] only the size and a fingerprint are kept.
    pub fn from_bytes(bytes: &[u8]) -> Content {
        if bytes.len() > INLINE_LIMIT {
            Content::Sized {
                size: bytes.len() as u64,
                fingerprint: fingerprint(&[b"bytes", bytes]),
            }
        } else {
            Content::Bytes(Arc::from(bytes))
        }
    }

    /// An empty file.
    pub fn empty() -> Content {
        Content::Bytes(Arc::from(&b""[..]))
    }

    /// Size-only content whose stand-in identity derives from the path it was created at and
    /// its size (deterministic: the same step produces the same diff id).
    pub fn sized_at(path: &str, size: u64) -> Content {
        Content::Sized {
            size,
            fingerprint: fingerprint(&[b"sized", path.as_bytes(), &size.to_le_bytes()]),
        }
    }

    /// Length in bytes (`st_size`).
    pub fn len(&self) -> u64 {
        match self {
            Content::Bytes(b) => b.len() as u64,
            Content::Sized { size, .. } => *size,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes, if this content is kept in memory.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Content::Bytes(b) => Some(b),
            Content::Sized { .. } => None,
        }
    }

    /// `self` followed by `more` (what `>>` produces).
    pub fn append(&self, more: &Content) -> Content {
        match (self, more) {
            (Content::Bytes(a), Content::Bytes(b)) => {
                let mut v = Vec::with_capacity(a.len() + b.len());
                v.extend_from_slice(a);
                v.extend_from_slice(b);
                Content::from_bytes(&v)
            }
            _ => Content::Sized {
                size: self.len().saturating_add(more.len()),
                fingerprint: fingerprint(&[
                    b"append",
                    &self.identity().to_le_bytes(),
                    &more.identity().to_le_bytes(),
                ]),
            },
        }
    }

    /// A 64-bit identity of the content (bytes hashed, or the fingerprint).
    pub fn identity(&self) -> u64 {
        match self {
            Content::Bytes(b) => fingerprint(&[b"bytes", b]),
            Content::Sized { fingerprint, .. } => *fingerprint,
        }
    }
}

/// First 8 bytes of sha256 over the length-prefixed parts.
pub fn fingerprint(parts: &[&[u8]]) -> u64 {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    let d = h.finalize();
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    u64::from_le_bytes(b)
}

/// What an entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A regular file. Files of one layer that share `link` are hard links to one inode.
    File { content: Content, link: Option<u64> },
    /// A directory; `opaque` hides everything below it in lower layers (`.wh..wh..opq`).
    Dir { opaque: bool },
    /// A symbolic link; `st_size` is the length of the target.
    Symlink { target: Arc<str> },
    /// A deletion marker (`.wh.<name>` in the layer tar).
    Whiteout,
}

/// Permission bits and ownership. `mode` holds only the low 12 bits (`0o7777`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta {
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub mtime: Time,
}

impl Meta {
    pub fn new(mode: u32, uid: u32, gid: u32, mtime: Time) -> Meta {
        Meta {
            mode: mode & 0o7777,
            uid,
            gid,
            mtime,
        }
    }

    /// `0755 root:root` at `mtime`: what `mkdir -p` as root creates.
    pub fn root_dir(mtime: Time) -> Meta {
        Meta::new(0o755, 0, 0, mtime)
    }
}

/// A node with its metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub node: Node,
    pub meta: Meta,
}

/// The kind of a visible entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileType {
    File,
    Dir,
    Symlink,
}

impl Entry {
    pub fn file(content: Content, meta: Meta) -> Entry {
        Entry {
            node: Node::File {
                content,
                link: None,
            },
            meta,
        }
    }

    pub fn dir(meta: Meta) -> Entry {
        Entry {
            node: Node::Dir { opaque: false },
            meta,
        }
    }

    pub fn symlink(target: &str, meta: Meta) -> Entry {
        Entry {
            node: Node::Symlink {
                target: Arc::from(target),
            },
            meta,
        }
    }

    pub fn whiteout(mtime: Time) -> Entry {
        Entry {
            node: Node::Whiteout,
            meta: Meta::new(0, 0, 0, mtime),
        }
    }

    /// `st_size`: content length for files, target length for symlinks, 0 otherwise.
    pub fn size(&self) -> u64 {
        match &self.node {
            Node::File { content, .. } => content.len(),
            Node::Symlink { target } => target.len() as u64,
            Node::Dir { .. } | Node::Whiteout => 0,
        }
    }

    /// The visible kind, `None` for whiteouts.
    pub fn file_type(&self) -> Option<FileType> {
        match self.node {
            Node::File { .. } => Some(FileType::File),
            Node::Dir { .. } => Some(FileType::Dir),
            Node::Symlink { .. } => Some(FileType::Symlink),
            Node::Whiteout => None,
        }
    }

    pub fn is_dir(&self) -> bool {
        matches!(self.node, Node::Dir { .. })
    }

    pub fn stat(&self) -> Stat {
        let link = match self.node {
            Node::File { link, .. } => link,
            _ => None,
        };
        Stat {
            file_type: self.file_type().unwrap_or(FileType::File),
            mode: self.meta.mode,
            uid: self.meta.uid,
            gid: self.meta.gid,
            mtime: self.meta.mtime,
            size: self.size(),
            link,
        }
    }
}

/// What `stat`/`lstat` return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Stat {
    pub file_type: FileType,
    /// Permission bits (`0o7777`), without the file-type bits.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub mtime: Time,
    pub size: u64,
    /// Hard-link group within the top layer holding the file, if any.
    pub link: Option<u64>,
}

impl Stat {
    /// `ls -l` style mode string, e.g. `-rwxr-xr-x`, `drwxrwxrwt`, `lrwxrwxrwx`.
    pub fn mode_string(&self) -> String {
        let mut s = String::with_capacity(10);
        s.push(match self.file_type {
            FileType::File => '-',
            FileType::Dir => 'd',
            FileType::Symlink => 'l',
        });
        let m = self.mode;
        let triplet =
            |r: u32, w: u32, x: u32, special: u32, on: char, off: char, s: &mut String| {
                s.push(if m & r != 0 { 'r' } else { '-' });
                s.push(if m & w != 0 { 'w' } else { '-' });
                s.push(match (m & x != 0, m & special != 0) {
                    (true, true) => on,
                    (false, true) => off,
                    (true, false) => 'x',
                    (false, false) => '-',
                });
            };
        triplet(0o400, 0o200, 0o100, 0o4000, 's', 'S', &mut s);
        triplet(0o040, 0o020, 0o010, 0o2000, 's', 'S', &mut s);
        triplet(0o004, 0o002, 0o001, 0o1000, 't', 'T', &mut s);
        s
    }
}
