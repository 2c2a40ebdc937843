//! The generated package data (`data/*.json`, written by `scripts/gen_packages.py`), embedded
//! in the binary and parsed once on first use. A parse failure yields `None` (the tools then
//! behave as if no index were available) instead of a panic.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

static ALPINE_JSON: &str = include_str!("data/alpine.json");
static DEBIAN_JSON: &str = include_str!("data/debian.json");

#[derive(Debug, Deserialize)]
pub(crate) struct AlpineData {
    pub mirror: String,
    pub branches: BTreeMap<String, AlpineBranch>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct AlpineBranch {
    pub apk_tools: String,
    pub distinct: u64,
    pub distinct_estimated: bool,
    pub repos: Vec<AlpineRepo>,
    pub index_estimated: bool,
    #[serde(default)]
    pub missing: BTreeMap<String, String>,
    pub packages: Vec<AlpineRow>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct AlpineRepo {
    pub name: String,
    pub cache_file: String,
    pub index_bytes: u64,
}

/// name, version, installed bytes, download bytes, depends, provides, install_if (APKINDEX
/// tokens separated by spaces), provider priority (-1: none), repo index, origin.
#[derive(Debug, Deserialize)]
pub(crate) struct AlpineRow(
    pub String,
    pub String,
    pub u64,
    pub u64,
    pub String,
    pub String,
    pub String,
    pub i64,
    pub usize,
    pub String,
);

#[derive(Debug, Deserialize)]
pub(crate) struct DebianData {
    pub architecture: String,
    pub suites: Vec<DebianSuite>,
    pub packages: Vec<DebianRow>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct DebianSuite {
    pub site: String,
    pub suite: String,
    pub inrelease: u64,
    pub packages_xz: u64,
    pub packages_lz4: u64,
    pub list_prefix: String,
}

/// name, version, Installed-Size KiB, .deb bytes, priority, section, essential, in the
/// bookworm-slim estimate, Pre-Depends, Depends, Recommends, Provides (control syntax),
/// architecture, Multi-Arch, suite index, Suggests.
#[derive(Debug, Deserialize)]
pub(crate) struct DebianRow(
    pub String,
    pub String,
    pub u64,
    pub u64,
    pub String,
    pub String,
    pub u8,
    pub u8,
    pub String,
    pub String,
    pub String,
    pub String,
    pub String,
    pub String,
    pub usize,
    pub String,
);

pub(crate) fn alpine() -> Option<&'static AlpineData> {
    static CELL: OnceLock<Option<AlpineData>> = OnceLock::new();
    CELL.get_or_init(|| serde_json::from_str(ALPINE_JSON).ok())
        .as_ref()
}

pub(crate) fn debian() -> Option<&'static DebianData> {
    static CELL: OnceLock<Option<DebianData>> = OnceLock::new();
    CELL.get_or_init(|| serde_json::from_str(DEBIAN_JSON).ok())
        .as_ref()
}

#[cfg(test)]
mod tests {
    #[test]
    fn embedded_data_parses() {
        let a = super::alpine().unwrap();
        assert!(a.branches.contains_key("v3.20") && a.branches.contains_key("v3.13"));
        let d = super::debian().unwrap();
        assert!(d.packages.len() > 1233);
    }
}
