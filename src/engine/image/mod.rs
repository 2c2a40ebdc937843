//! Images: the config document with Docker's field names, history, rootfs, ids, references
//! and the image store with tags.
//!
//! Invariants: an image built here has `id = sha256(canonical config JSON)` (keys sorted,
//! compact), so any change of config, history, created time or layers gives a new id;
//! catalog images keep their real ids ([`IdOrigin::Catalog`]) because we do not hold their
//! config bytes. `rootfs.diff_ids` has one entry per history entry with `empty_layer: false`.
//! Times are logical (seconds) and formatted as RFC 3339 by [`time`].

pub mod config;
pub mod reference;
pub mod store;
pub mod time;

pub use config::{
    canonical_json, Empty, HealthConfig, History, IdOrigin, Image, ImageConfig, RootFs,
};
pub use reference::{RefError, Reference, DEFAULT_DOMAIN, DEFAULT_TAG};
pub use store::{ImageError, ImageStore, StoredImage};
pub use time::{format_rfc3339, parse_rfc3339};
