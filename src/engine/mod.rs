//! The in-memory Docker engine: vfs, layer store, catalog, RUN interpreter, builder, images,
//! containers and disk usage.

pub mod builder;
pub mod glob;
pub mod packages;
