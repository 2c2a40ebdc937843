//! The BuildKit cache records `docker system df` lists, derived from the engine's build
//! cache plus the local sources BuildKit keeps for the context and the Dockerfile.
//!
//! What the records are (moby v28 with the classic store, BuildKit v0.25):
//! * one `regular` record per BuildKit step that produced a layer (RUN, COPY, ADD,
//!   WORKDIR): its size is the layer's size, and it is `shared` while an image in the store
//!   holds the same layer chain (BuildKit's image reference checker), so it does not count in
//!   the Build Cache SIZE until that image is gone. Config-only steps (ENV, LABEL, CMD …)
//!   are no LLB operations and leave no record. The legacy builder leaves none at all: its
//!   cache is its intermediate images.
//! * two `source.local` records, `local source for dockerfile` and `local source for
//!   context` (the latter once a step used the context), updated in place by every BuildKit
//!   build of the session. They are never shared: they are what SIZE counts after a build.
//!
//! Not modelled: the records of the base image's layers (`pulled from …`; shared while the
//! base image exists), `frontend` records, cache mounts. Record ids are 25 base-36
//! characters like BuildKit's, derived from the record's cache key instead of random.

use crate::engine::builder::cache::{chain, RecordView};
use crate::engine::builder::trace::BuildTrace;
use crate::engine::builder::{cache_namespace, CachedStep};
use crate::engine::daemon::Engine;
use crate::engine::image::parse_rfc3339;
use crate::engine::layers::{chain_id, ChainId, Digest};
use crate::engine::usage::BuildCacheRecord;
use crate::engine::vfs::Time;
use crate::expand::scope::BuilderKind;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// A BuildKit-style record id: 25 characters of `[0-9a-z]`, derived from `seed`.
pub fn record_id(seed: &str) -> String {
    let digest = Digest::sha256(seed.as_bytes());
    let hex = digest.hex();
    let mut value = u128::from_str_radix(hex.get(..32).unwrap_or("0"), 16).unwrap_or(0);
    let mut out = Vec::with_capacity(25);
    for _ in 0..25 {
        let d = (value % 36) as u32;
        value /= 36;
        out.push(char::from_digit(d, 36).unwrap_or('0'));
    }
    out.into_iter().rev().collect()
}

/// One `source.local` record.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LocalSource {
    /// `context` or `dockerfile`.
    name: &'static str,
    size: u64,
    created_at: Time,
    last_used_at: Time,
    usage_count: u64,
}

/// The local sources BuildKit keeps between builds of one session.
#[derive(Debug, Clone, Default)]
pub struct LocalSources {
    records: Vec<LocalSource>,
}

impl LocalSources {
    /// Records what a build transferred (only BuildKit builds keep local sources).
    pub fn record_build(
        &mut self,
        trace: &BuildTrace,
        dockerfile: &str,
        context_size: u64,
        at: Time,
    ) {
        if trace.builder != BuilderKind::BuildKit {
            return;
        }
        self.touch("dockerfile", dockerfile.len() as u64, at);
        let used_context = trace
            .log
            .iter()
            .any(|l| l.ends_with("[internal] load build context"));
        if used_context {
            self.touch("context", context_size, at);
        }
    }

    fn touch(&mut self, name: &'static str, size: u64, at: Time) {
        match self.records.iter_mut().find(|r| r.name == name) {
            Some(r) => {
                r.size = size;
                r.last_used_at = at;
                r.usage_count = r.usage_count.saturating_add(1);
            }
            None => self.records.push(LocalSource {
                name,
                size,
                created_at: at,
                last_used_at: at,
                usage_count: 1,
            }),
        }
    }
}

/// A layered record while walking the cache.
struct Walk {
    key: String,
    chain: Option<ChainId>,
    /// False when the stage's base image is gone, so the chain cannot be known.
    known: bool,
    parent_record: Option<String>,
}

/// The description BuildKit gives a step's record.
fn description(view: &RecordView<'_, CachedStep>) -> String {
    let text = view.key.instruction().unwrap_or_default();
    let is_fileop = ["COPY ", "ADD ", "WORKDIR "]
        .iter()
        .any(|p| text.starts_with(p));
    if is_fileop {
        text.to_string()
    } else {
        format!("mount / from exec {text}")
    }
}

/// All build-cache records of the session: BuildKit's step records, then local sources.
pub fn records(engine: &Engine, local: &LocalSources) -> Vec<BuildCacheRecord> {
    let mut by_parent: BTreeMap<&str, Vec<RecordView<'_, CachedStep>>> = BTreeMap::new();
    let mut children: BTreeSet<String> = BTreeSet::new();
    for view in engine.cache.records() {
        children.insert(chain(view.parent, view.key));
        by_parent.entry(view.parent).or_default().push(view);
    }
    let in_images: BTreeSet<ChainId> = engine.images.layer_ref_counts().into_keys().collect();
    let prefix = format!("{}:from:", cache_namespace(BuilderKind::BuildKit));
    let mut queue: VecDeque<Walk> = VecDeque::new();
    for parent in by_parent.keys() {
        let Some(base) = parent.strip_prefix(&prefix) else {
            continue;
        };
        if children.contains(*parent) {
            continue;
        }
        let (chain, known) = if base == "scratch" {
            (None, true)
        } else {
            match Digest::parse(base).and_then(|d| engine.images.get(&d)) {
                Some(img) => (img.chain.last().cloned(), true),
                None => (None, false),
            }
        };
        queue.push_back(Walk {
            key: parent.to_string(),
            chain,
            known,
            parent_record: None,
        });
    }
    let mut out = Vec::new();
    let mut visited: BTreeSet<String> = BTreeSet::new();
    // Every key is visited once, so the walk is bounded by the number of records.
    while let Some(walk) = queue.pop_front() {
        if !visited.insert(walk.key.clone()) {
            continue;
        }
        let Some(views) = by_parent.get(walk.key.as_str()) else {
            continue;
        };
        for view in views {
            let child_key = chain(view.parent, view.key);
            let mut next = Walk {
                key: child_key.clone(),
                chain: walk.chain.clone(),
                known: walk.known,
                parent_record: walk.parent_record.clone(),
            };
            if let Some((layer, diff_id)) = &view.value.layer {
                let layer_chain = chain_id(walk.chain.as_ref(), diff_id);
                let id = record_id(&child_key);
                let created = parse_rfc3339(&view.value.created).unwrap_or_else(|| engine.now());
                out.push(BuildCacheRecord {
                    id: id.clone(),
                    parents: walk.parent_record.clone().into_iter().collect(),
                    kind: "regular".to_string(),
                    description: description(view),
                    in_use: false,
                    shared: walk.known && in_images.contains(&layer_chain),
                    size: layer.size(),
                    created_at: created,
                    last_used_at: Some(view.last_hit.unwrap_or(created)),
                    usage_count: view.hits.saturating_add(1),
                });
                next.chain = Some(layer_chain);
                next.parent_record = Some(id);
            }
            queue.push_back(next);
        }
    }
    for r in &local.records {
        out.push(BuildCacheRecord {
            id: record_id(&format!("local source for {}", r.name)),
            parents: Vec::new(),
            kind: "source.local".to_string(),
            description: format!("local source for {}", r.name),
            in_use: false,
            shared: false,
            size: r.size,
            created_at: r.created_at,
            last_used_at: Some(r.last_used_at),
            usage_count: r.usage_count,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_ids_look_like_buildkits() {
        let id = record_id("x");
        assert_eq!(id.len(), 25);
        assert!(id
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()));
        assert_ne!(id, record_id("y"));
    }
}
