//! Serde shapes of the generated catalog files (see scripts/gen_catalog.py).

use crate::engine::image::ImageConfig;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
pub(crate) struct RawCatalog {
    pub schema: u32,
    pub estimates: RawEstimates,
    pub layers: BTreeMap<String, RawLayer>,
    pub images: Vec<RawImage>,
    pub aliases: Vec<(String, String, String)>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct RawEstimates {
    pub rule: String,
    pub base_ratio: BTreeMap<String, f64>,
    pub payload_ratio: f64,
}

#[derive(Debug, Deserialize)]
pub(crate) struct RawLayer {
    pub compressed_size: u64,
    pub size: u64,
    pub size_estimated: bool,
    pub estimate: String,
    pub empty_gzip: bool,
    pub mtime: i64,
    pub note: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct RawImage {
    #[serde(rename = "ref")]
    pub reference: String,
    pub requested_as: String,
    pub builder: Option<String>,
    pub docker_version: Option<String>,
    pub index_digest: String,
    pub manifest_digest: String,
    pub repo_digest: String,
    pub image_id: String,
    pub created: String,
    pub compressed_size: u64,
    pub virtual_size: RawVirtualSize,
    pub layers: Vec<String>,
    pub history: Vec<RawHistory>,
    pub config: ImageConfig,
    pub distro: RawDistro,
    pub notes: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct RawVirtualSize {
    pub bytes: u64,
    pub text: Option<String>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct RawHistory {
    pub created: String,
    pub created_by: String,
    pub empty_layer: bool,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub created_by_inferred: bool,
}

#[derive(Debug, Deserialize)]
pub(crate) struct RawDistro {
    pub id: Option<String>,
    pub version: Option<String>,
    pub libc: Option<String>,
    pub package_manager: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct RawTrees {
    pub schema: u32,
    pub texts: Vec<String>,
    pub trees: BTreeMap<String, Vec<serde_json::Value>>,
}
