//! The in-memory Docker engine: vfs, layer store, catalog, RUN interpreter, builder, images,
//! containers and disk usage.

pub mod builder;
pub mod catalog;
pub mod container;
pub mod daemon;
pub mod glob;
pub mod image;
pub mod layers;
pub mod overlay_fs;
pub mod packages;
pub mod programs;
pub mod shell;
pub mod usage;
pub mod vfs;
