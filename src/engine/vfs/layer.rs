//! An immutable layer: the entries one build step (or one base-image blob) changed, keyed by
//! path key. Invariant: every entry's ancestors are present in the same layer as directories
//! (or the entry is hidden below a whiteout/non-directory of the same layer) — the shape a
//! layer tar has, and what copy-up produces.

use super::entry::{Entry, Meta, Node};
use super::error::{Errno, VfsError, VfsResult};
use super::path;
use std::collections::{BTreeMap, BTreeSet};

/// An immutable set of changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layer {
    entries: BTreeMap<String, Entry>,
    size: u64,
}

impl Layer {
    /// The layer of a step that changed nothing.
    pub fn empty() -> Layer {
        Layer::default()
    }

    /// Builds a layer from keyed entries (keys as produced by [`path::lexical_key`]).
    pub fn from_entries(entries: BTreeMap<String, Entry>) -> Layer {
        let size = entries_size(entries.iter());
        Layer { entries, size }
    }

    /// Entry stored at a key.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.get(key)
    }

    /// All entries in key order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.entries.iter().map(|(k, e)| (k.as_str(), e))
    }

    pub(crate) fn map(&self) -> &BTreeMap<String, Entry> {
        &self.entries
    }

    /// Size as `docker history` shows it (semantics §2.2): the sum of `st_size` of the
    /// non-directory entries, hard links counted once, directories and whiteouts 0.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Number of entries (directories and whiteouts included).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True for a layer with no entries at all (its diff id is the empty-tar digest).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Largest hard-link group number used in this layer.
    pub fn max_link(&self) -> u64 {
        self.entries
            .values()
            .filter_map(|e| match e.node {
                Node::File { link, .. } => link,
                _ => None,
            })
            .max()
            .unwrap_or(0)
    }
}

/// Sum of `st_size` of non-directory entries, each hard-link group once.
pub fn entries_size<'a>(entries: impl Iterator<Item = (&'a String, &'a Entry)>) -> u64 {
    let mut seen = BTreeSet::new();
    let mut total: u64 = 0;
    for (_, e) in entries {
        if let Node::File { link: Some(id), .. } = e.node {
            if !seen.insert(id) {
                continue;
            }
        }
        total = total.saturating_add(e.size());
    }
    total
}

/// Builds a layer from absolute paths (catalog trees, synthetic images). Missing parent
/// directories are created with `parent_meta`. Paths are taken lexically.
#[derive(Debug)]
pub struct LayerBuilder {
    entries: BTreeMap<String, Entry>,
    parent_meta: Meta,
}

impl LayerBuilder {
    pub fn new(parent_meta: Meta) -> LayerBuilder {
        LayerBuilder {
            entries: BTreeMap::new(),
            parent_meta,
        }
    }

    /// Adds (or replaces) the entry at `path`. A directory entry over an existing directory
    /// only updates its metadata.
    pub fn insert(&mut self, abs_path: &str, entry: Entry) -> VfsResult<()> {
        path::check_path(abs_path)?;
        let key = path::lexical_key(abs_path);
        if key.is_empty() {
            return Err(VfsError::new(Errno::Busy, abs_path));
        }
        for anc in path::ancestors(&key) {
            match self.entries.get(anc) {
                Some(e) if e.is_dir() => {}
                Some(_) => return Err(VfsError::new(Errno::NotDir, abs_path)),
                None => {
                    self.entries
                        .insert(anc.to_string(), Entry::dir(self.parent_meta));
                }
            }
        }
        if let Some(old) = self.entries.get(&key) {
            if old.is_dir() && !entry.is_dir() {
                return Err(VfsError::new(Errno::IsDir, abs_path));
            }
        }
        self.entries.insert(key, entry);
        Ok(())
    }

    pub fn build(self) -> Layer {
        Layer::from_entries(self.entries)
    }
}
