//! The image store: images by id, tags (`name:tag`), repo digests, and reference resolution
//! like the Docker daemon (`alpine` → `alpine:latest`, `name@sha256:…`, full or short ids).

use super::config::Image;
use super::reference::{RefError, Reference};
use crate::engine::layers::{ChainId, Digest, LayerStore};
use std::collections::BTreeMap;
use std::fmt;

/// An image in the store with what the store knows about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredImage {
    pub image: Image,
    /// ChainIDs of its layers, bottom first.
    pub chain: Vec<ChainId>,
    /// Total uncompressed size of its layers (`docker images` SIZE).
    pub size: u64,
    /// `name@sha256:…` digests it was pulled by.
    pub repo_digests: Vec<String>,
    /// Insertion order (a stable tie-break for listings).
    pub seq: u64,
}

/// Why an image could not be found or tagged. Display gives the daemon's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageError {
    /// `No such image: <ref>`
    NotFound(String),
    InvalidReference(RefError),
    /// A short id matches several images.
    Ambiguous(String),
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageError::NotFound(r) => write!(f, "No such image: {r}"),
            ImageError::InvalidReference(e) => e.fmt(f),
            ImageError::Ambiguous(r) => write!(f, "multiple IDs found with provided prefix: {r}"),
        }
    }
}

impl std::error::Error for ImageError {}

impl From<RefError> for ImageError {
    fn from(e: RefError) -> Self {
        ImageError::InvalidReference(e)
    }
}

/// Images and tags.
#[derive(Debug, Default, Clone)]
pub struct ImageStore {
    images: BTreeMap<Digest, StoredImage>,
    /// `name:tag` → image id.
    tags: BTreeMap<String, Digest>,
    seq: u64,
}

impl ImageStore {
    pub fn new() -> ImageStore {
        ImageStore::default()
    }

    /// Adds an image (no-op if the id is already stored). `size` is the sum of its layers'
    /// sizes, computed by the caller from the layer store.
    pub fn insert(&mut self, image: Image, size: u64) -> Digest {
        let id = image.id.clone();
        if !self.images.contains_key(&id) {
            self.seq += 1;
            let chain = image.chain_ids();
            self.images.insert(
                id.clone(),
                StoredImage {
                    image,
                    chain,
                    size,
                    repo_digests: Vec::new(),
                    seq: self.seq,
                },
            );
        }
        id
    }

    /// Records a `name@sha256:…` repo digest for an image.
    pub fn add_repo_digest(&mut self, id: &Digest, repo_digest: &str) {
        if let Some(img) = self.images.get_mut(id) {
            if !img.repo_digests.iter().any(|d| d == repo_digest) {
                img.repo_digests.push(repo_digest.to_string());
                img.repo_digests.sort();
            }
        }
    }

    /// Points `reference` (`name[:tag]`) at image `id`. Returns the image that held the tag
    /// before, if another one did (it may now be dangling).
    pub fn tag(&mut self, id: &Digest, reference: &str) -> Result<Option<Digest>, ImageError> {
        let r = Reference::parse(reference)?;
        if r.digest.is_some() {
            return Err(ImageError::InvalidReference(RefError::InvalidFormat));
        }
        if !self.images.contains_key(id) {
            return Err(ImageError::NotFound(id.to_string()));
        }
        let previous = self.tags.insert(r.familiar_tagged(), id.clone());
        Ok(previous.filter(|p| p != id))
    }

    /// Removes a tag; returns the image it pointed at.
    pub fn untag(&mut self, reference: &str) -> Result<Digest, ImageError> {
        let r = Reference::parse(reference)?;
        self.tags
            .remove(&r.familiar_tagged())
            .ok_or_else(|| ImageError::NotFound(reference.to_string()))
    }

    /// `name:tag` strings pointing at `id`, sorted.
    pub fn tags_of(&self, id: &Digest) -> Vec<String> {
        self.tags
            .iter()
            .filter(|(_, v)| *v == id)
            .map(|(k, _)| k.clone())
            .collect()
    }

    pub fn get(&self, id: &Digest) -> Option<&StoredImage> {
        self.images.get(id)
    }

    pub fn contains(&self, id: &Digest) -> bool {
        self.images.contains_key(id)
    }

    /// Finds an image by `name[:tag]`, `name@digest`, full id (`sha256:…`) or id prefix.
    pub fn resolve(&self, s: &str) -> Result<&StoredImage, ImageError> {
        if let Some(d) = Digest::parse(s) {
            return self
                .images
                .get(&d)
                .ok_or_else(|| ImageError::NotFound(s.to_string()));
        }
        let by_ref = match Reference::parse(s) {
            Ok(r) => match &r.digest {
                Some(d) => {
                    let want = format!("{}@{}", r.familiar_name(), d);
                    self.images
                        .values()
                        .find(|i| i.repo_digests.contains(&want))
                }
                None => self
                    .tags
                    .get(&r.familiar_tagged())
                    .and_then(|id| self.images.get(id)),
            },
            Err(e) => {
                if !is_hex(s) {
                    return Err(e.into());
                }
                None
            }
        };
        if let Some(img) = by_ref {
            return Ok(img);
        }
        if is_hex(s) {
            let mut hits = self
                .images
                .values()
                .filter(|i| i.image.id.hex().starts_with(s));
            if let Some(first) = hits.next() {
                if hits.next().is_some() {
                    return Err(ImageError::Ambiguous(s.to_string()));
                }
                return Ok(first);
            }
        }
        Err(ImageError::NotFound(s.to_string()))
    }

    /// Removes an image and its tags.
    pub fn remove(&mut self, id: &Digest) -> Option<StoredImage> {
        self.tags.retain(|_, v| v != id);
        self.images.remove(id)
    }

    /// All images, newest insertion first.
    pub fn iter(&self) -> impl Iterator<Item = &StoredImage> {
        let mut v: Vec<&StoredImage> = self.images.values().collect();
        v.sort_by_key(|i| std::cmp::Reverse(i.seq));
        v.into_iter()
    }

    pub fn len(&self) -> usize {
        self.images.len()
    }

    pub fn is_empty(&self) -> bool {
        self.images.is_empty()
    }

    /// Images whose `parent` is `id`.
    pub fn children(&self, id: &Digest) -> Vec<&StoredImage> {
        self.images
            .values()
            .filter(|i| i.image.parent.as_ref() == Some(id))
            .collect()
    }

    /// How many images use each layer chain (an image counts for every layer of its
    /// chain): the reference counts `docker system df -v` uses for SHARED SIZE.
    pub fn layer_ref_counts(&self) -> BTreeMap<ChainId, u32> {
        let mut counts = BTreeMap::new();
        for img in self.images.values() {
            for c in &img.chain {
                *counts.entry(c.clone()).or_insert(0) += 1;
            }
        }
        counts
    }

    /// `docker system df` Images SIZE: every layer referenced by some image, counted once
    /// (dedup by ChainID).
    pub fn layers_size(&self, layers: &LayerStore) -> u64 {
        self.layer_ref_counts()
            .keys()
            .filter_map(|c| layers.get(c))
            .map(|l| l.size)
            .sum()
    }

    /// `docker history` SIZE per history entry (same order as `history`): the size of the
    /// layer the entry created, 0 for `empty_layer` entries.
    pub fn history_sizes(&self, id: &Digest, layers: &LayerStore) -> Vec<u64> {
        let Some(img) = self.images.get(id) else {
            return Vec::new();
        };
        let mut chain = img.chain.iter();
        img.image
            .history
            .iter()
            .map(|h| {
                if h.empty_layer {
                    0
                } else {
                    chain
                        .next()
                        .and_then(|c| layers.get(c))
                        .map_or(0, |l| l.size)
                }
            })
            .collect()
    }

    /// `docker history` IMAGE column per history entry (same order as `history`, oldest
    /// first); `None` prints as `<missing>`. As the daemon does (image_history.go): the newest
    /// row gets the image's id, each older row the id of the next image up the `parent` chain,
    /// until an image has no parent. So a legacy build shows ids for its own steps and for the
    /// base image's newest row; a pulled or BuildKit-built image shows only its top row.
    pub fn history_ids(&self, id: &Digest) -> Vec<Option<Digest>> {
        let Some(img) = self.images.get(id) else {
            return Vec::new();
        };
        let n = img.image.history.len();
        let mut ids = vec![None; n];
        let mut cur = Some(img);
        for slot in ids.iter_mut().rev() {
            let Some(i) = cur else { break };
            *slot = Some(i.image.id.clone());
            cur = i.image.parent.as_ref().and_then(|p| self.images.get(p));
        }
        ids
    }

    /// SHARED SIZE of an image: sizes of its layers used by more than one image in the store.
    pub fn shared_size(&self, id: &Digest, layers: &LayerStore) -> u64 {
        let Some(img) = self.images.get(id) else {
            return 0;
        };
        let counts = self.layer_ref_counts();
        img.chain
            .iter()
            .filter(|c| counts.get(*c).copied().unwrap_or(0) > 1)
            .filter_map(|c| layers.get(c))
            .map(|l| l.size)
            .sum()
    }
}

fn is_hex(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
