//! The in-memory Docker engine: vfs, layer store, catalog, RUN interpreter, builder, images,
//! containers and disk usage.
pub mod shell;
