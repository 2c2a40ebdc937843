//! Shared by the tests that read BuildKit's literal unit-test cases
//! (../shared/conformance/buildkit/extracted/*.json).
#![allow(dead_code)] // each test file uses part of it
#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::fs;
use std::path::Path;

/// One extracted file, e.g. `instructions.json`.
pub fn load(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/conformance/buildkit/extracted")
        .join(name);
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// A JSON array of strings.
pub fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}
