//! The build trace: plain data the page replays and the CLI prints. One entry per
//! instruction (in file order, skipped stages included), the stages, the final image and
//! the diagnostics. Nothing in it needs the engine to be read.

use super::cache::MissCause;
use crate::diagnostics::Diagnostic;
use crate::engine::image::ImageConfig;
use crate::engine::vfs::Change;
use crate::expand::scope::BuilderKind;
use crate::text::Span;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    Built,
    Cached,
    Skipped,
    Failed,
}

#[derive(Debug, Clone, Serialize)]
pub struct BuildTrace {
    pub ok: bool,
    pub builder: BuilderKind,
    /// The stage built (`--target`, else the last), by index.
    pub target: Option<usize>,
    pub diagnostics: Vec<Diagnostic>,
    pub stages: Vec<StageTrace>,
    pub steps: Vec<StepTrace>,
    /// The final image, when the build succeeded.
    pub image: Option<ImageSummary>,
    /// The whole `--progress=plain` (BuildKit) or classic (legacy) output.
    pub log: Vec<String>,
    /// The error line Docker prints last, when the build failed.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageTrace {
    pub index: usize,
    pub name: Option<String>,
    /// The `FROM` reference after expansion.
    pub base: String,
    pub line: usize,
    pub skipped: bool,
    pub depends_on: Vec<usize>,
    /// The base image's id, or `None` for scratch and stage bases.
    pub base_image_id: Option<String>,
    /// What `COPY --from` edges point at: stage indexes.
    pub copies_from: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepTrace {
    pub index: usize,
    pub stage: usize,
    pub line: usize,
    pub end_line: usize,
    pub span: Span,
    /// The instruction as written (continuations joined).
    pub instruction: String,
    pub status: StepStatus,
    /// Why the step was not taken from the cache, in words.
    pub cause: Option<String>,
    pub cause_kind: Option<MissCause>,
    /// This step's lines of the build output.
    pub log: Vec<String>,
    pub layer: Option<LayerTrace>,
    /// Index of the history entry it wrote in its stage's image, if any.
    pub history_index: Option<usize>,
    /// ChainID of the stage's filesystem after this step (`None`: empty, or not built).
    pub top: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LayerTrace {
    pub diff_id: String,
    pub chain_id: String,
    /// Uncompressed size as `docker history` shows it.
    pub size: u64,
    /// The 32-byte empty layer BuildKit keeps for a step that changed nothing.
    pub empty: bool,
    /// What changed (capped; `changes_total` says how many there were).
    pub changes: Vec<Change>,
    pub changes_total: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImageSummary {
    pub id: String,
    pub tags: Vec<String>,
    pub size: u64,
    pub rootfs: Vec<RootfsLayer>,
    pub history: Vec<HistoryRow>,
    pub config: ImageConfig,
}

#[derive(Debug, Clone, Serialize)]
pub struct RootfsLayer {
    pub diff_id: String,
    pub chain_id: String,
    pub size: u64,
    /// Uncompressed sizes of catalog layers are estimates (registries publish compressed).
    pub size_estimated: bool,
    /// Inherited from the base image rather than made by this build.
    pub from_base: bool,
    /// The step that made it.
    pub step: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryRow {
    pub created: String,
    pub created_by: String,
    pub empty_layer: bool,
    pub size: u64,
    pub comment: Option<String>,
    pub step: Option<usize>,
}

/// At most this many changes are kept per layer in the trace.
pub const MAX_CHANGES: usize = 400;
