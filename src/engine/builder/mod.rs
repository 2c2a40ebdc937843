//! The builder: stages, dispatch per instruction, ARG/ENV scoping, cache keys and hits,
//! BuildKit vs legacy-builder rules, ONBUILD, `--target` → a build trace.

pub mod cache;
pub mod history;
pub mod stages;
