//! The builder: stages, dispatch per instruction, ARG/ENV scoping, cache keys and hits,
//! BuildKit vs legacy-builder rules, ONBUILD, `--target` → a build trace.

pub mod cache;
pub mod context;
pub mod copy;
pub mod history;
pub mod progress;
pub mod stages;
pub mod trace;

/// What the cache keeps per step (filled in by the builder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedStep {}
