//! The content-addressed layer store.
//!
//! Owns: DiffIDs (sha256 over the canonical encoding in [`encode`]), ChainIDs (semantics §3),
//! and the store of layers indexed by ChainID with reference counts — a layer shared by
//! several images (same content on the same parents) is stored once.
//!
//! Invariants: a stored layer's parent is stored; ChainIDs are derived, never invented;
//! registering the same diff on the same parent returns the existing ChainID; a layer whose
//! DiffID is not computed from its content says so ([`DiffIdOrigin`]): catalog base layers
//! have real blob digests and compressed sizes but a synthetic DiffID, because registries do
//! not publish DiffIDs; only the empty layer's DiffID is known exactly.

pub mod digest;
pub mod encode;

pub use digest::{
    chain_id, chain_ids, ChainId, DiffId, Digest, EMPTY_GZIP_BLOB, EMPTY_GZIP_BLOB_SIZE,
    EMPTY_LAYER_DIFF_ID,
};
pub use encode::diff_id;

use crate::engine::vfs::{Layer, OverlayView};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// Builds a layer's tree on first use (catalog base layers are materialized lazily).
pub trait LayerProvider: Send + Sync + fmt::Debug {
    fn build(&self) -> Arc<Layer>;
}

/// Where a stored layer's entries come from.
#[derive(Debug, Clone)]
pub enum LayerSource {
    Ready(Arc<Layer>),
    Lazy(Arc<dyn LayerProvider>),
}

/// How trustworthy a stored DiffID is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiffIdOrigin {
    /// sha256 of our canonical encoding of the layer's entries.
    Computed,
    /// The real value Docker uses (the empty layer).
    Known,
    /// A labelled stand-in derived from the real compressed blob digest (the real DiffID of
    /// a registry layer is not published).
    Synthetic,
}

/// A compressed blob as a registry serves it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BlobInfo {
    pub digest: Digest,
    pub compressed_size: u64,
}

/// A layer as registered from outside (catalog base layers, synthetic stand-ins).
#[derive(Debug, Clone)]
pub struct ExternalLayer {
    pub diff_id: DiffId,
    pub diff_id_origin: DiffIdOrigin,
    /// Uncompressed size (`docker history` SIZE).
    pub size: u64,
    /// True when `size` is an estimate, not a published figure.
    pub size_estimated: bool,
    pub blob: Option<BlobInfo>,
    pub source: LayerSource,
}

/// One layer in the store.
#[derive(Debug)]
pub struct StoredLayer {
    pub chain_id: ChainId,
    pub diff_id: DiffId,
    pub diff_id_origin: DiffIdOrigin,
    pub parent: Option<ChainId>,
    pub size: u64,
    pub size_estimated: bool,
    pub blob: Option<BlobInfo>,
    source: LayerSource,
    built: OnceLock<Arc<Layer>>,
    refs: u32,
}

impl StoredLayer {
    /// The layer's entries (built on first use for lazy layers).
    pub fn layer(&self) -> Arc<Layer> {
        match &self.source {
            LayerSource::Ready(l) => l.clone(),
            LayerSource::Lazy(p) => self.built.get_or_init(|| p.build()).clone(),
        }
    }

    /// How many holders (images, containers, cache records) reference this layer, directly
    /// or through a layer above it.
    pub fn ref_count(&self) -> u32 {
        self.refs
    }
}

/// Errors of the layer store (API misuse by the engine, not user mistakes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayerError {
    UnknownParent(ChainId),
    UnknownLayer(ChainId),
}

impl fmt::Display for LayerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LayerError::UnknownParent(c) => write!(f, "parent layer {c} is not in the store"),
            LayerError::UnknownLayer(c) => write!(f, "layer {c} is not in the store"),
        }
    }
}

impl std::error::Error for LayerError {}

/// Layers by ChainID.
#[derive(Debug, Default)]
pub struct LayerStore {
    layers: BTreeMap<ChainId, StoredLayer>,
}

impl LayerStore {
    pub fn new() -> LayerStore {
        LayerStore::default()
    }

    fn check_parent(&self, parent: Option<&ChainId>) -> Result<(), LayerError> {
        match parent {
            Some(p) if !self.layers.contains_key(p) => Err(LayerError::UnknownParent(p.clone())),
            _ => Ok(()),
        }
    }

    /// Registers a layer built by a step on top of `parent`. Its DiffID is computed from its
    /// entries; if the same ChainID is already stored, that layer is kept (stored once).
    /// Registering does not take a reference (see [`LayerStore::acquire`]).
    pub fn register(
        &mut self,
        parent: Option<&ChainId>,
        layer: Arc<Layer>,
    ) -> Result<ChainId, LayerError> {
        self.check_parent(parent)?;
        let diff_id = diff_id(&layer);
        let origin = if diff_id.as_str() == EMPTY_LAYER_DIFF_ID {
            DiffIdOrigin::Known
        } else {
            DiffIdOrigin::Computed
        };
        let size = layer.size();
        Ok(self.insert(
            parent,
            ExternalLayer {
                diff_id,
                diff_id_origin: origin,
                size,
                size_estimated: false,
                blob: None,
                source: LayerSource::Ready(layer),
            },
        ))
    }

    /// Registers a layer whose identity is given (catalog layers).
    pub fn register_external(
        &mut self,
        parent: Option<&ChainId>,
        layer: ExternalLayer,
    ) -> Result<ChainId, LayerError> {
        self.check_parent(parent)?;
        Ok(self.insert(parent, layer))
    }

    fn insert(&mut self, parent: Option<&ChainId>, l: ExternalLayer) -> ChainId {
        let chain = chain_id(parent, &l.diff_id);
        self.layers
            .entry(chain.clone())
            .or_insert_with(|| StoredLayer {
                chain_id: chain.clone(),
                diff_id: l.diff_id,
                diff_id_origin: l.diff_id_origin,
                parent: parent.cloned(),
                size: l.size,
                size_estimated: l.size_estimated,
                blob: l.blob,
                source: l.source,
                built: OnceLock::new(),
                refs: 0,
            });
        chain
    }

    pub fn get(&self, chain: &ChainId) -> Option<&StoredLayer> {
        self.layers.get(chain)
    }

    pub fn contains(&self, chain: &ChainId) -> bool {
        self.layers.contains_key(chain)
    }

    /// The ChainIDs from the bottom layer up to `top` (empty for `None`, i.e. scratch).
    pub fn chain(&self, top: Option<&ChainId>) -> Result<Vec<ChainId>, LayerError> {
        let mut out = Vec::new();
        let mut cur = top.cloned();
        while let Some(c) = cur {
            let l = self
                .layers
                .get(&c)
                .ok_or_else(|| LayerError::UnknownLayer(c.clone()))?;
            cur = l.parent.clone();
            out.push(c);
            if out.len() > self.layers.len() {
                break; // impossible for derived chain ids; a guard against cycles
            }
        }
        out.reverse();
        Ok(out)
    }

    /// The layers of a chain, bottom first (what an [`OverlayView`] stacks).
    pub fn layers_of(&self, top: Option<&ChainId>) -> Result<Vec<Arc<Layer>>, LayerError> {
        self.chain(top)?
            .iter()
            .map(|c| {
                self.layers
                    .get(c)
                    .map(StoredLayer::layer)
                    .ok_or_else(|| LayerError::UnknownLayer(c.clone()))
            })
            .collect()
    }

    /// A fresh overlay view on top of `top` (scratch for `None`).
    pub fn view(&self, top: Option<&ChainId>) -> Result<OverlayView, LayerError> {
        Ok(OverlayView::new(self.layers_of(top)?))
    }

    /// Sum of the sizes of a chain's layers (an image's SIZE).
    pub fn chain_size(&self, top: Option<&ChainId>) -> Result<u64, LayerError> {
        Ok(self
            .chain(top)?
            .iter()
            .filter_map(|c| self.layers.get(c))
            .map(|l| l.size)
            .sum())
    }

    /// Takes a reference on `top` and every layer below it.
    pub fn acquire(&mut self, top: &ChainId) -> Result<(), LayerError> {
        for c in self.chain(Some(top))? {
            if let Some(l) = self.layers.get_mut(&c) {
                l.refs = l.refs.saturating_add(1);
            }
        }
        Ok(())
    }

    /// Drops a reference on `top` and every layer below it; layers left with no reference
    /// and no child are removed. Returns the removed ChainIDs.
    pub fn release(&mut self, top: &ChainId) -> Result<Vec<ChainId>, LayerError> {
        let chain = self.chain(Some(top))?;
        for c in &chain {
            if let Some(l) = self.layers.get_mut(c) {
                l.refs = l.refs.saturating_sub(1);
            }
        }
        let mut removed = Vec::new();
        for c in chain.iter().rev() {
            let unreferenced = self.layers.get(c).is_some_and(|l| l.refs == 0);
            let has_child = self.layers.values().any(|l| l.parent.as_ref() == Some(c));
            if unreferenced && !has_child {
                self.layers.remove(c);
                removed.push(c.clone());
            } else {
                break;
            }
        }
        Ok(removed)
    }

    /// Removes every layer no one references (leaves first). Returns the removed ChainIDs.
    pub fn prune(&mut self) -> Vec<ChainId> {
        let mut removed = Vec::new();
        loop {
            let victims: Vec<ChainId> = self
                .layers
                .values()
                .filter(|l| l.refs == 0)
                .filter(|l| {
                    !self
                        .layers
                        .values()
                        .any(|c| c.parent.as_ref() == Some(&l.chain_id))
                })
                .map(|l| l.chain_id.clone())
                .collect();
            if victims.is_empty() {
                return removed;
            }
            for v in victims {
                self.layers.remove(&v);
                removed.push(v);
            }
        }
    }

    pub fn ref_count(&self, chain: &ChainId) -> u32 {
        self.layers.get(chain).map_or(0, |l| l.refs)
    }

    pub fn iter(&self) -> impl Iterator<Item = &StoredLayer> {
        self.layers.values()
    }

    pub fn len(&self) -> usize {
        self.layers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.layers.is_empty()
    }

    /// Total size of the stored layers, each once (`docker system df` images SIZE when every
    /// stored layer belongs to some image).
    pub fn total_size(&self) -> u64 {
        self.layers.values().map(|l| l.size).sum()
    }
}
