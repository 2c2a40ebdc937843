//! Dockerfile Playground: a Dockerfile front end that agrees with BuildKit and an in-memory
//! Docker engine (layers, images, containers, build cache, disk usage).
//!
//! Layers, dependencies pointing down only (see ARCHITECTURE.md):
//! `text` → `diagnostics` → `syntax` → `expand` → `engine` → `docker_cli` → `api` / `bin`.
//! Everything except `api` is pure, deterministic and free of wasm types.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod calendar;
pub mod diagnostics;
pub mod docker_cli;
pub mod engine;
pub mod expand;
pub mod playground;
pub mod syntax;
pub mod text;
pub mod units;

#[cfg(feature = "wasm")]
pub mod api;

/// The engine version shown by the page and the CLI.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
