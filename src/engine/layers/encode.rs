//! The canonical, deterministic tar-like encoding of a layer whose sha256 is the layer's
//! DiffID in this simulator.
//!
//! Layout, in the spirit of a tar stream:
//! * entries sorted by their archive name (a directory's name ends in `/`; a whiteout is
//!   `<dir>/.wh.<name>`; an opaque directory adds `<dir>/.wh..wh..opq`);
//! * each entry is a header of 512-byte blocks holding, NUL-separated, the archive name, a
//!   type letter (`0` file, `1` hard link, `2` symlink, `5` directory), octal mode, uid, gid,
//!   mtime, size and link name, zero-padded;
//! * a file with bytes is followed by its content padded to 512 bytes; a size-only file is
//!   followed by one 512-byte stand-in block `sized <size> <fingerprint>` — the fingerprint is
//!   fixed where the content was created (from its path and size) and copied with it;
//! * the second and later names of a hard-link group are type `1` entries naming the first;
//! * two zero blocks end the stream.
//!
//! So an empty layer encodes to exactly 1024 zero bytes and its DiffID is Docker's
//! empty-layer DiffID `sha256:5f70bf18…`. Other DiffIDs are *not* those real Docker would
//! compute (real tars carry PAX headers, user names and real mtimes); they are stable,
//! content-addressed stand-ins: the same changes give the same DiffID.

use super::digest::{DiffId, Digest};
use crate::engine::vfs::{Content, Layer, Node};
use sha2::{Digest as _, Sha256};
use std::collections::BTreeMap;

const BLOCK: usize = 512;

struct Item<'a> {
    kind: char,
    mode: u32,
    uid: u32,
    gid: u32,
    mtime: i64,
    size: u64,
    link_name: &'a str,
    content: Option<&'a Content>,
}

fn pad(sink: &mut dyn FnMut(&[u8]), len: usize) {
    let rem = len % BLOCK;
    if rem != 0 {
        sink(&[0u8; BLOCK][..BLOCK - rem]);
    }
}

fn header(sink: &mut dyn FnMut(&[u8]), name: &str, it: &Item<'_>) {
    let text = format!(
        "{name}\0{}\0{:o}\0{}\0{}\0{}\0{}\0{}\0",
        it.kind, it.mode, it.uid, it.gid, it.mtime, it.size, it.link_name
    );
    sink(text.as_bytes());
    pad(sink, text.len());
}

/// Streams the canonical encoding of `layer` into `sink`.
pub fn encode(layer: &Layer, sink: &mut dyn FnMut(&[u8])) {
    // Archive names, sorted.
    let mut items: BTreeMap<String, Item<'_>> = BTreeMap::new();
    let mut first_of_link: BTreeMap<u64, String> = BTreeMap::new();
    // First pass: the first name (in key order) of each hard-link group holds the content.
    for (key, e) in layer.entries() {
        if let Node::File { link: Some(id), .. } = e.node {
            first_of_link.entry(id).or_insert_with(|| key.to_string());
        }
    }
    for (key, e) in layer.entries() {
        let m = &e.meta;
        let base = |kind, size, link_name, content| Item {
            kind,
            mode: m.mode,
            uid: m.uid,
            gid: m.gid,
            mtime: m.mtime,
            size,
            link_name,
            content,
        };
        match &e.node {
            Node::File { content, link } => {
                let first = link.and_then(|id| first_of_link.get(&id));
                match first {
                    Some(f) if f != key => {
                        items.insert(key.to_string(), base('1', 0, f.as_str(), None));
                    }
                    _ => {
                        items.insert(key.to_string(), base('0', content.len(), "", Some(content)));
                    }
                }
            }
            Node::Dir { opaque } => {
                items.insert(format!("{key}/"), base('5', 0, "", None));
                if *opaque {
                    items.insert(format!("{key}/.wh..wh..opq"), base('0', 0, "", None));
                }
            }
            Node::Symlink { target } => {
                items.insert(key.to_string(), base('2', 0, target, None));
            }
            Node::Whiteout => {
                let (dir, name) = match key.rfind('/') {
                    Some(i) => (&key[..=i], &key[i + 1..]),
                    None => ("", key),
                };
                items.insert(format!("{dir}.wh.{name}"), base('0', 0, "", None));
            }
        }
    }
    for (name, it) in &items {
        header(sink, name, it);
        match it.content {
            Some(Content::Bytes(b)) => {
                sink(b);
                pad(sink, b.len());
            }
            Some(Content::Sized { size, fingerprint }) => {
                let text = format!("sized {size} {fingerprint:016x}");
                sink(text.as_bytes());
                pad(sink, text.len());
            }
            None => {}
        }
    }
    sink(&[0u8; 2 * BLOCK]);
}

/// The DiffID of a layer: sha256 over [`encode`].
pub fn diff_id(layer: &Layer) -> DiffId {
    let mut h = Sha256::new();
    encode(layer, &mut |b| h.update(b));
    Digest::from_hasher(h)
}
