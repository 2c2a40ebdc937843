//! Disk usage as `docker system df [-v]` reports it (semantics §6), for the classic image
//! store (overlay2), with the daemon's figures of Docker Engine 29 (API 1.52, where the
//! daemon computes the summaries):
//!
//! * **Images**: the images `docker images` lists (tagged ones, and untagged ones without
//!   children). `Size` is the whole chain; `SharedSize` the sizes of its layers whose
//!   ChainID is used by more than one image *in the store* (intermediate images count);
//!   `Containers` how many containers use it. TOTAL SIZE counts every layer referenced by
//!   an image once. ACTIVE: images with containers. RECLAIMABLE: `Size - SharedSize` summed
//!   over the listed images without containers.
//! * **Containers**: `SizeRw` per container; ACTIVE are running/paused/restarting;
//!   RECLAIMABLE is the `SizeRw` of the others.
//! * **Local Volumes**: content size and `RefCount` (containers mounting it); RECLAIMABLE
//!   are the volumes with `RefCount` 0.
//! * **Build Cache**: the records the builder reports; TOTAL SIZE sums them all; ACTIVE
//!   counts those in use; RECLAIMABLE sums the ones neither in use nor shared.
//!
//! Docker 28's client computed the image RECLAIMABLE differently (`TOTAL SIZE − Σ(Size −
//! SharedSize)` over images *with* containers); [`ImagesSummary::reclaimable_v28`] keeps
//! that figure for comparison.

use crate::engine::container::{ContainerSizes, Status};
use crate::engine::daemon::Engine;
use crate::engine::image::parse_rfc3339;
use crate::engine::layers::{ChainId, Digest};
use crate::engine::vfs::Time;
use std::collections::BTreeMap;

/// One row of `Images space usage` (moby `image.Summary` with sizes computed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageUsage {
    pub id: Digest,
    pub parent_id: Option<Digest>,
    /// `name:tag`, sorted; empty for a dangling image.
    pub repo_tags: Vec<String>,
    pub repo_digests: Vec<String>,
    /// Creation time (`None` if the config has none).
    pub created: Option<Time>,
    /// The whole chain's size.
    pub size: u64,
    /// Bytes of layers another image in the store uses too.
    pub shared_size: u64,
    /// How many containers use the image.
    pub containers: u64,
}

impl ImageUsage {
    /// `UNIQUE SIZE` = `SIZE − SHARED SIZE`.
    pub fn unique_size(&self) -> u64 {
        self.size.saturating_sub(self.shared_size)
    }
}

/// One row of `Containers space usage`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerUsage {
    pub id: String,
    pub names: Vec<String>,
    /// The image as the user named it.
    pub image: String,
    pub image_id: Digest,
    /// `Path` and `Args` as `docker ps` shows them.
    pub command: String,
    /// Number of volumes mounted (`LOCAL VOLUMES`).
    pub local_volumes: u64,
    pub size_rw: u64,
    pub size_root_fs: u64,
    pub created: Time,
    pub status: Status,
    pub exit_code: i32,
    pub started_at: Option<Time>,
    pub finished_at: Option<Time>,
}

/// One row of `Local Volumes space usage`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeUsage {
    pub name: String,
    /// `local`.
    pub driver: String,
    /// Containers mounting it (`LINKS`).
    pub ref_count: u64,
    pub size: u64,
}

/// A BuildKit cache record (moby `build.CacheRecord`), supplied by the builder.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BuildCacheRecord {
    pub id: String,
    pub parents: Vec<String>,
    /// `regular`, `source.local`, `exec.cachemount`, `frontend`, `internal` …
    pub kind: String,
    pub description: String,
    pub in_use: bool,
    pub shared: bool,
    pub size: u64,
    pub created_at: Time,
    pub last_used_at: Option<Time>,
    pub usage_count: u64,
}

/// The summary row of one type (`TOTAL ACTIVE SIZE RECLAIMABLE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub total_count: u64,
    pub active_count: u64,
    pub total_size: u64,
    pub reclaimable: u64,
}

impl Summary {
    /// The `(NN%)` Docker prints after RECLAIMABLE (integer division), if TOTAL SIZE > 0.
    pub fn reclaimable_percent(&self) -> Option<u64> {
        (self.total_size > 0).then(|| self.reclaimable.saturating_mul(100) / self.total_size)
    }
}

/// The Images summary with Docker 28's client-side reclaimable figure as well.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImagesSummary {
    pub summary: Summary,
    /// `TOTAL SIZE − Σ(Size − SharedSize)` over images with containers (docker/cli ≤ 28).
    pub reclaimable_v28: u64,
}

/// `GET /system/df`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DiskUsage {
    /// Every layer referenced by an image, each once (the Images TOTAL SIZE).
    pub layers_size: u64,
    pub images: Vec<ImageUsage>,
    pub containers: Vec<ContainerUsage>,
    pub volumes: Vec<VolumeUsage>,
    pub build_cache: Vec<BuildCacheRecord>,
    pub images_summary: ImagesSummary,
    pub containers_summary: Summary,
    pub volumes_summary: Summary,
    pub build_cache_summary: Summary,
}

/// Layer reference counts over all images in the store (moby `Images` with SharedSize).
fn layer_refs(engine: &Engine) -> BTreeMap<ChainId, u32> {
    engine.images.layer_ref_counts()
}

impl Engine {
    /// The images `docker images` (without `-a`) lists: tagged or digest-referenced ones,
    /// and untagged ones that no other image has as parent.
    pub fn listed_images(&self) -> Vec<Digest> {
        self.images
            .iter()
            .filter(|img| {
                let id = &img.image.id;
                let referenced =
                    !self.images.tags_of(id).is_empty() || !img.repo_digests.is_empty();
                referenced || self.images.children(id).is_empty()
            })
            .map(|img| img.image.id.clone())
            .collect()
    }

    /// `docker system df` / `docker system df -v` figures. `build_cache` are the builder's
    /// cache records (the builder owns them).
    pub fn disk_usage(&mut self, build_cache: &[BuildCacheRecord]) -> DiskUsage {
        self.settle_containers();
        let refs = layer_refs(self);
        let layer_size = |c: &ChainId| self.layers.get(c).map_or(0, |l| l.size);

        let mut images = Vec::new();
        for id in self.listed_images() {
            let Some(img) = self.images.get(&id) else {
                continue;
            };
            let shared_size = img
                .chain
                .iter()
                .filter(|c| refs.get(*c).copied().unwrap_or(0) > 1)
                .map(layer_size)
                .sum();
            let mut tags = self.images.tags_of(&id);
            tags.sort();
            images.push(ImageUsage {
                id: id.clone(),
                parent_id: img.image.parent.clone(),
                repo_tags: tags,
                repo_digests: img.repo_digests.clone(),
                created: parse_rfc3339(&img.image.created),
                size: self.layers.chain_size(img.chain.last()).unwrap_or(img.size),
                shared_size,
                containers: self.containers.using_image(&id).count() as u64,
            });
        }
        // Newest first, as the daemon sorts them.
        images.sort_by(|a, b| b.created.cmp(&a.created).then(a.id.cmp(&b.id)));
        let layers_size: u64 = refs.keys().map(layer_size).sum();
        let mut images_summary = ImagesSummary {
            summary: Summary {
                total_count: images.len() as u64,
                total_size: layers_size,
                ..Summary::default()
            },
            reclaimable_v28: layers_size,
        };
        for i in &images {
            if i.containers > 0 {
                images_summary.summary.active_count += 1;
                images_summary.reclaimable_v28 = images_summary
                    .reclaimable_v28
                    .saturating_sub(i.unique_size());
            } else {
                images_summary.summary.reclaimable += i.unique_size();
            }
        }

        let mut containers = Vec::new();
        let mut containers_summary = Summary::default();
        for c in self.containers.iter() {
            let ContainerSizes {
                size_rw,
                size_root_fs,
            } = self.container_sizes(c);
            containers_summary.total_count += 1;
            containers_summary.total_size += size_rw;
            if c.state.is_running() {
                containers_summary.active_count += 1;
            } else {
                containers_summary.reclaimable += size_rw;
            }
            containers.push(ContainerUsage {
                id: c.id.clone(),
                names: vec![c.name.clone()],
                image: c.config.image.clone(),
                image_id: c.image_id.clone(),
                command: c.command(),
                local_volumes: c.mounts.len() as u64,
                size_rw,
                size_root_fs,
                created: c.created,
                status: c.state.status,
                exit_code: c.state.exit_code,
                started_at: c.state.started_at,
                finished_at: c.state.finished_at,
            });
        }
        containers.sort_by(|a, b| b.created.cmp(&a.created).then(a.id.cmp(&b.id)));

        let mut volumes = Vec::new();
        let mut volumes_summary = Summary::default();
        for v in self.containers.volumes() {
            let ref_count = self.containers.volume_ref_count(&v.name) as u64;
            let size = v.size();
            volumes_summary.total_count += 1;
            volumes_summary.total_size += size;
            if ref_count > 0 {
                volumes_summary.active_count += 1;
            } else {
                volumes_summary.reclaimable += size;
            }
            volumes.push(VolumeUsage {
                name: v.name.clone(),
                driver: "local".to_string(),
                ref_count,
                size,
            });
        }

        let mut build_cache_summary = Summary::default();
        for r in build_cache {
            build_cache_summary.total_count += 1;
            build_cache_summary.total_size += r.size;
            if r.in_use {
                build_cache_summary.active_count += 1;
            }
            if !r.in_use && !r.shared {
                build_cache_summary.reclaimable += r.size;
            }
        }

        DiskUsage {
            layers_size,
            images,
            containers,
            volumes,
            build_cache: build_cache.to_vec(),
            images_summary,
            containers_summary,
            volumes_summary,
            build_cache_summary,
        }
    }
}
