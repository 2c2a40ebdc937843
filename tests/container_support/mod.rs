//! Shared by the container tests: argv from words, and `docker run` through the engine.
#![allow(dead_code)] // each test file uses part of it
#![allow(clippy::unwrap_used)]

use dockerfile_playground::engine::container::{RunConfig, RunReport};
use dockerfile_playground::engine::daemon::Engine;

pub fn argv(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// `docker run [-d] --name <name> <image> <command…>`; panics (a test bug) when the
/// container cannot be created.
pub fn run_report(
    e: &mut Engine,
    name: &str,
    image: &str,
    detach: bool,
    command: &[&str],
) -> RunReport {
    let out = e.run_container(&RunConfig {
        image: image.into(),
        name: Some(name.into()),
        command: argv(command),
        detach,
        ..RunConfig::default()
    });
    out.result.unwrap()
}
