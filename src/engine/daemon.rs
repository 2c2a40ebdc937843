//! The in-memory daemon: everything a Docker engine keeps between commands — the layer
//! store, the image store, the build cache, containers — and the logical clock.
//!
//! Invariants: the clock only moves forward, one tick per operation that Docker would
//! timestamp; nothing here reads a real clock.

use super::builder::cache::BuildCache;
use super::builder::CachedStep;
use super::catalog::{self, install_stand_in, CatalogError, Pulled};
use super::container::ContainerStore;
use super::image::{ImageStore, Reference, StoredImage};
use super::layers::LayerStore;
use super::vfs::Time;

/// 2026-01-01T00:00:00Z: the logical clock's start, so that times look like real ones.
pub const EPOCH: Time = 1_767_225_600;

#[derive(Debug)]
pub struct Engine {
    pub layers: LayerStore,
    pub images: ImageStore,
    pub cache: BuildCache<CachedStep>,
    pub containers: ContainerStore,
    clock: Time,
}

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

/// Where a `FROM` image came from.
#[derive(Debug, Clone)]
pub enum BaseSource {
    /// Already in the image store (pulled or built earlier in this session).
    Local,
    /// Pulled from the catalog of real images now.
    Pulled(Pulled),
    /// Not in the catalog: a synthetic stand-in so the build can go on.
    StandIn(CatalogError),
}

impl Engine {
    pub fn new() -> Self {
        Self {
            layers: LayerStore::new(),
            images: ImageStore::new(),
            cache: BuildCache::default(),
            containers: ContainerStore::default(),
            clock: EPOCH,
        }
    }

    /// The current logical time.
    pub fn now(&self) -> Time {
        self.clock
    }

    /// Advances the clock by `seconds` and returns the new time.
    pub fn tick(&mut self, seconds: Time) -> Time {
        self.clock += seconds.max(0);
        self.clock
    }

    /// `docker pull` semantics for a base image: the local store first, then the catalog,
    /// else a stand-in. Returns the stored image's id and how it was obtained.
    pub fn obtain_image(
        &mut self,
        reference: &str,
    ) -> Result<(StoredImage, BaseSource), CatalogError> {
        if let Ok(found) = self.images.resolve(reference) {
            return Ok((found.clone(), BaseSource::Local));
        }
        let parsed = Reference::parse(reference).map_err(CatalogError::InvalidReference)?;
        let (pulled, source) =
            match catalog::catalog().pull(reference, &mut self.layers, &mut self.images) {
                Ok(pulled) => (pulled.clone(), BaseSource::Pulled(pulled)),
                Err(error @ CatalogError::InvalidReference(_)) => return Err(error),
                Err(error) => {
                    let now = self.now();
                    let pulled = install_stand_in(&parsed, now, &mut self.layers, &mut self.images)
                        .map_err(|_| error.clone())?;
                    (pulled, BaseSource::StandIn(error))
                }
            };
        let stored =
            self.images
                .get(&pulled.image_id)
                .cloned()
                .ok_or(CatalogError::InvalidReference(
                    super::image::RefError::InvalidFormat,
                ))?;
        Ok((stored, source))
    }
}
