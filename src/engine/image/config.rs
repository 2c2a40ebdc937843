//! The image configuration document with Docker's field names, and the image id: sha256 of
//! its canonical JSON (keys sorted at every level, no spaces).

use crate::engine::layers::{chain_ids, ChainId, DiffId, Digest};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `{}` as Docker writes it for ExposedPorts/Volumes values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empty {}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// `HEALTHCHECK` settings (durations in nanoseconds, as Docker stores them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HealthConfig {
    /// `["NONE"]`, `["CMD", …]` or `["CMD-SHELL", "…"]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub test: Vec<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub interval: i64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub timeout: i64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub start_period: i64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub start_interval: i64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub retries: i64,
}

/// The runtime configuration part of an image (`config` in the image JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImageConfig {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub user: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub exposed_ports: BTreeMap<String, Empty>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cmd: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<HealthConfig>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub volumes: BTreeMap<String, Empty>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub working_dir: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_build: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_signal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shell: Option<Vec<String>>,
}

impl ImageConfig {
    /// Value of an environment variable (`KEY=value` entries, first match).
    pub fn env_get(&self, key: &str) -> Option<&str> {
        self.env
            .iter()
            .find_map(|kv| kv.strip_prefix(key).and_then(|rest| rest.strip_prefix('=')))
    }

    /// Sets `KEY=value`, replacing an existing entry in place (Docker keeps the position).
    pub fn env_set(&mut self, key: &str, value: &str) {
        let entry = format!("{key}={value}");
        match self
            .env
            .iter_mut()
            .find(|kv| kv.split_once('=').map_or(kv.as_str(), |(k, _)| k) == key)
        {
            Some(slot) => *slot = entry,
            None => self.env.push(entry),
        }
    }
}

/// One `history[]` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    pub created: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub created_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub empty_layer: bool,
}

/// `rootfs`: the DiffIDs of the non-empty history entries, bottom first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RootFs {
    #[serde(rename = "type")]
    pub kind: String,
    pub diff_ids: Vec<DiffId>,
}

impl Default for RootFs {
    fn default() -> Self {
        RootFs {
            kind: "layers".to_string(),
            diff_ids: Vec::new(),
        }
    }
}

/// Where an image's id comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IdOrigin {
    /// sha256 of [`Image::config_json`].
    ConfigDigest,
    /// The real id of a catalog image (sha256 of the real config JSON, which we do not
    /// have byte for byte, so it is not recomputed).
    Catalog,
}

/// An image: id, config document and provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub id: Digest,
    pub id_origin: IdOrigin,
    pub architecture: String,
    pub os: String,
    pub created: String,
    pub author: Option<String>,
    pub docker_version: Option<String>,
    pub config: ImageConfig,
    pub rootfs: RootFs,
    pub history: Vec<History>,
    /// Parent image (legacy-builder intermediate images only).
    pub parent: Option<Digest>,
}

/// The hashed JSON document (field names as in Docker's image config).
#[derive(Serialize)]
struct Document<'a> {
    architecture: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    config: &'a ImageConfig,
    created: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    docker_version: Option<&'a str>,
    history: &'a [History],
    os: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'a Digest>,
    rootfs: &'a RootFs,
}

/// Serializes a JSON value with object keys sorted at every level.
pub fn canonical_json(v: &serde_json::Value) -> String {
    fn write(v: &serde_json::Value, out: &mut String) {
        match v {
            serde_json::Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                out.push('{');
                for (i, k) in keys.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::Value::String((*k).clone()).to_string());
                    out.push(':');
                    if let Some(x) = m.get(*k) {
                        write(x, out);
                    }
                }
                out.push('}');
            }
            serde_json::Value::Array(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(x, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(v, &mut out);
    out
}

impl Image {
    /// A new image whose id is the sha256 of its canonical config JSON.
    pub fn new(
        created: String,
        config: ImageConfig,
        diff_ids: Vec<DiffId>,
        history: Vec<History>,
        parent: Option<Digest>,
    ) -> Image {
        let mut img = Image {
            id: Digest::sha256(b""),
            id_origin: IdOrigin::ConfigDigest,
            architecture: "amd64".to_string(),
            os: "linux".to_string(),
            created,
            author: None,
            docker_version: None,
            config,
            rootfs: RootFs {
                kind: "layers".to_string(),
                diff_ids,
            },
            history,
            parent,
        };
        img.recompute_id();
        img
    }

    /// The canonical JSON whose sha256 is the id (keys sorted, compact).
    pub fn config_json(&self) -> String {
        let doc = Document {
            architecture: &self.architecture,
            author: self.author.as_deref(),
            config: &self.config,
            created: &self.created,
            docker_version: self.docker_version.as_deref(),
            history: &self.history,
            os: &self.os,
            parent: self.parent.as_ref(),
            rootfs: &self.rootfs,
        };
        serde_json::to_value(&doc)
            .map(|v| canonical_json(&v))
            .unwrap_or_default()
    }

    /// Sets `id` to the sha256 of [`Image::config_json`] (after editing fields).
    pub fn recompute_id(&mut self) {
        self.id = Digest::sha256(self.config_json().as_bytes());
        self.id_origin = IdOrigin::ConfigDigest;
    }

    /// ChainIDs of the image's layers, bottom first.
    pub fn chain_ids(&self) -> Vec<ChainId> {
        chain_ids(&self.rootfs.diff_ids)
    }

    /// The top ChainID (`None` for an image without layers, e.g. built `FROM scratch` with
    /// only metadata steps).
    pub fn top_chain_id(&self) -> Option<ChainId> {
        self.chain_ids().pop()
    }
}
