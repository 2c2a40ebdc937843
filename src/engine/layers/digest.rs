//! `sha256:<hex>` digests: DiffIDs, ChainIDs, image ids, blob and manifest digests.

use crate::text::hex as to_hex;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::fmt;

/// A content digest in Docker's text form, `sha256:` followed by 64 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Digest(String);

/// DiffID: digest of a layer's uncompressed tar.
pub type DiffId = Digest;
/// ChainID: identity of a layer together with all layers below it (semantics §3).
pub type ChainId = Digest;

impl Digest {
    /// sha256 of `bytes`.
    pub fn sha256(bytes: &[u8]) -> Digest {
        Digest::from_hasher(Sha256::new_with_prefix(bytes))
    }

    /// Finishes a running sha256.
    pub fn from_hasher(h: Sha256) -> Digest {
        Digest(format!("sha256:{}", to_hex(&h.finalize())))
    }

    /// Parses `sha256:<64 lowercase hex>`.
    pub fn parse(s: &str) -> Option<Digest> {
        let hex = s.strip_prefix("sha256:")?;
        let ok = hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        ok.then(|| Digest(s.to_string()))
    }

    /// The full text, `sha256:…`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 64 hex digits.
    pub fn hex(&self) -> &str {
        self.0.strip_prefix("sha256:").unwrap_or(&self.0)
    }

    /// The 12-digit short form `docker images` prints.
    pub fn short(&self) -> &str {
        let h = self.hex();
        h.get(..12).unwrap_or(h)
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The DiffID of an empty layer: sha256 of 1024 zero bytes, the two end-of-archive blocks
/// of an empty tar (Moby `layer.EmptyLayer`).
pub const EMPTY_LAYER_DIFF_ID: &str =
    "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef";

/// Blob digest of the gzip of an empty tar (32 bytes) that BuildKit ≥ 0.10 pushes for a step
/// that changed nothing (semantics §1.3).
pub const EMPTY_GZIP_BLOB: &str =
    "sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1";

/// Compressed size of [`EMPTY_GZIP_BLOB`].
pub const EMPTY_GZIP_BLOB_SIZE: u64 = 32;

/// `ChainID(L0) = DiffID(L0)`; `ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln))`.
pub fn chain_id(parent: Option<&ChainId>, diff_id: &DiffId) -> ChainId {
    match parent {
        None => diff_id.clone(),
        Some(p) => Digest::sha256(format!("{} {}", p.as_str(), diff_id.as_str()).as_bytes()),
    }
}

/// ChainIDs of a whole stack of DiffIDs, bottom first.
pub fn chain_ids(diff_ids: &[DiffId]) -> Vec<ChainId> {
    let mut out: Vec<ChainId> = Vec::with_capacity(diff_ids.len());
    for d in diff_ids {
        let next = chain_id(out.last(), d);
        out.push(next);
    }
    out
}
