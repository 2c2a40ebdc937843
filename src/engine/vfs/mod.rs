//! The in-memory filesystem: immutable layers of entries and a copy-on-write overlay view.
//!
//! Owns: entries (file, directory, symlink, hard link, whiteout) with mode, uid, gid and a
//! logical mtime; layers; the overlay view with copy-up, whiteouts and opaque directories;
//! path resolution; diffs. Sizes follow Docker (semantics §2.2): a layer's size is the sum of
//! `st_size` of its non-directory entries, hard links once, directories and whiteouts 0.
//!
//! Invariants: layers are immutable; only an [`OverlayView`]'s upper layer changes; every
//! operation returns an errno-like [`VfsError`] instead of panicking; every loop over user
//! input is bounded (40 symlink follows, `PATH_MAX`, an entry budget per upper layer).
//!
//! Not modelled: extended attributes and capabilities, device nodes, FIFOs and sockets,
//! sparse files, atime/ctime (only mtime), supplementary groups and directory search (`x`)
//! permission checks, the root directory's own metadata, inode numbers beyond hard-link
//! groups, and hard links across layers (copy-up breaks them, like overlayfs `index=off`).
//! Big files are size-only ([`Content::Sized`]); byte contents above [`INLINE_LIMIT`]
//! are turned into size-only content.

pub mod entry;
pub mod error;
pub mod layer;
pub mod overlay;
pub mod path;

pub use entry::{Content, Entry, FileType, Meta, Node, Stat, Time, INLINE_LIMIT};
pub use error::{Errno, VfsError, VfsResult};
pub use layer::{Layer, LayerBuilder};
pub use overlay::{
    diff_views, layer_changes, Change, ChangeKind, DirEntry, OverlayView, WalkEntry, WriteMode,
};
