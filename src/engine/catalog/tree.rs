//! Decodes the generated tree rows of a catalog layer into a [`Layer`].
//!
//! A row is `[shared prefix length with the previous path, rest of the path, kind, value,
//! mode?, uid?, gid?]` (rows sorted by path). Kinds: `d` directory, `f` size-only file
//! (0644), `x` size-only file (0755), `t` text file (value = index into the text table),
//! `l` symlink (value = target), `h` hard link (value = path of the file it links to).
//! Malformed rows are skipped and counted, never a panic; tests require the count to be 0.

use crate::engine::vfs::{Content, Entry, Layer, LayerBuilder, Meta, Node};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A decoded layer plus how many rows could not be decoded.
#[derive(Debug)]
pub struct Decoded {
    pub layer: Layer,
    pub skipped: usize,
}

fn default_mode(kind: &str) -> u32 {
    match kind {
        "f" | "t" => 0o644,
        "l" => 0o777,
        _ => 0o755,
    }
}

fn num(v: Option<&Value>) -> Option<u64> {
    v.and_then(Value::as_u64)
}

/// Builds the layer described by `rows`; every entry gets `mtime`.
pub fn decode(rows: &[Value], texts: &[Arc<[u8]>], mtime: i64) -> Decoded {
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    let mut skipped = 0usize;
    let mut prev = String::new();
    let mut next_link = 1u64;
    let mut links: Vec<(String, String)> = Vec::new();
    for row in rows {
        let Some(r) = row.as_array() else {
            skipped += 1;
            continue;
        };
        let shared = num(r.first()).and_then(|n| usize::try_from(n).ok());
        let (Some(shared), Some(rest), Some(kind)) = (
            shared,
            r.get(1).and_then(Value::as_str),
            r.get(2).and_then(Value::as_str),
        ) else {
            skipped += 1;
            continue;
        };
        let Some(prefix) = prev.get(..shared) else {
            skipped += 1;
            continue;
        };
        let path = format!("{prefix}{rest}");
        let mode = num(r.get(4)).map_or(default_mode(kind), |m| m as u32);
        let uid = num(r.get(5)).unwrap_or(0) as u32;
        let gid = num(r.get(6)).unwrap_or(0) as u32;
        let meta = Meta::new(mode, uid, gid, mtime);
        let value = r.get(3);
        let entry = match kind {
            "d" => Some(Entry::dir(meta)),
            "f" | "x" => num(value).map(|size| Entry::file(Content::sized_at(&path, size), meta)),
            "t" => num(value)
                .and_then(|i| texts.get(i as usize))
                .map(|t| Entry::file(Content::Bytes(t.clone()), meta)),
            "l" => value
                .and_then(Value::as_str)
                .map(|target| Entry::symlink(target, meta)),
            "h" => {
                // Resolved below, once every file is known (rows are sorted by path, a
                // link may come before its target).
                if let Some(target) = value.and_then(Value::as_str) {
                    links.push((path.clone(), target.to_string()));
                } else {
                    skipped += 1;
                }
                prev = path;
                continue;
            }
            _ => None,
        };
        match entry {
            Some(e) => {
                entries.insert(path.clone(), e);
            }
            None => skipped += 1,
        }
        prev = path;
    }
    for (path, target) in links {
        let linked = entries.get_mut(&target).and_then(|t| match &mut t.node {
            Node::File { link, .. } => {
                if link.is_none() {
                    *link = Some(next_link);
                    next_link += 1;
                }
                Some(t.clone())
            }
            _ => None,
        });
        match linked {
            Some(e) => {
                entries.insert(path, e);
            }
            None => skipped += 1,
        }
    }
    let mut b = LayerBuilder::new(Meta::root_dir(mtime));
    for (path, e) in entries {
        if b.insert(&path, e).is_err() {
            skipped += 1;
        }
    }
    Decoded {
        layer: b.build(),
        skipped,
    }
}
