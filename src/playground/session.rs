//! A playground session: one in-memory engine that outlives builds (images, containers and
//! the build cache persist between calls), plus the page's view of the last build.

use super::{diagnostic_dto, DiagnosticDto, EditorPositions};
use crate::engine::builder::trace::{BuildTrace, StepStatus};
use crate::engine::builder::{build, BuildOptions};
use crate::engine::daemon::Engine;
use crate::engine::layers::Digest;
use crate::engine::vfs::{ChangeKind, FileType, Node};
use crate::expand::scope::BuilderKind;
use crate::text::LineIndex;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Build options as the page sends them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PageBuildOptions {
    pub builder: Option<String>,
    pub target: Option<String>,
    pub build_args: BTreeMap<String, String>,
    pub no_cache: bool,
    pub tag: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildResult {
    pub ok: bool,
    pub builder: BuilderKind,
    pub target: Option<usize>,
    pub error: Option<String>,
    pub diagnostics: Vec<DiagnosticDto>,
    pub stages: Vec<StageDto>,
    pub steps: Vec<StepDto>,
    pub image: Option<ImageDto>,
    pub log: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StageDto {
    pub index: usize,
    pub name: Option<String>,
    pub base: String,
    pub line: usize,
    pub skipped: bool,
    pub depends_on: Vec<usize>,
    pub copies_from: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepDto {
    pub index: usize,
    pub stage: usize,
    pub line: usize,
    pub end_line: usize,
    pub from: usize,
    pub to: usize,
    pub instruction: String,
    pub status: StepStatus,
    pub cause: Option<String>,
    pub cause_kind: Option<String>,
    pub log: Vec<String>,
    pub layer: Option<LayerDto>,
    pub history_index: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerDto {
    pub diff_id: String,
    pub chain_id: String,
    pub size: u64,
    pub empty: bool,
    pub changes: Vec<ChangeDto>,
    pub changes_total: usize,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeDto {
    pub path: String,
    pub kind: ChangeKind,
    pub size: u64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageDto {
    pub id: String,
    pub tags: Vec<String>,
    pub size: u64,
    pub layers: Vec<ImageLayerDto>,
    pub history: Vec<HistoryDto>,
    pub config: crate::engine::image::ImageConfig,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageLayerDto {
    pub diff_id: String,
    pub chain_id: String,
    pub size: u64,
    pub base: bool,
    pub created_by: String,
    pub step: Option<usize>,
    pub size_estimated: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryDto {
    pub created: String,
    pub created_by: String,
    pub empty_layer: bool,
    pub size: u64,
    pub comment: Option<String>,
    pub step: Option<usize>,
}

/// One entry of a directory listing in a layer or a merged view.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TreeEntryDto {
    pub name: String,
    pub kind: &'static str,
    pub size: u64,
    pub mode: String,
    /// In a layer: what the layer does to this path.
    pub change: Option<ChangeKind>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileDto {
    pub text: Option<String>,
    pub size: u64,
}

/// Text files up to this size are shown in the page.
const MAX_TEXT: usize = 64 * 1024;

/// What `layerTree` and `file` look at: one layer's own diff (by DiffID or ChainID), or the
/// merged filesystem after a step of the last build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayerRef {
    Layer(String),
    Step(usize),
}

/// Every image and container in the store: the page draws images side by side, with layers
/// shared by ChainID, and containers as writable layers on top.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inventory {
    pub images: Vec<InventoryImage>,
    pub containers: Vec<InventoryContainer>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InventoryImage {
    pub id: String,
    pub tags: Vec<String>,
    pub size: u64,
    pub layers: Vec<InventoryLayer>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InventoryLayer {
    pub diff_id: String,
    pub chain_id: String,
    pub size: u64,
    pub created_by: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InventoryContainer {
    pub id: String,
    pub name: String,
    pub image: String,
    pub status: String,
    pub size_rw: u64,
}

#[derive(Debug, Default)]
pub struct Session {
    pub engine: Engine,
    /// Per step of the last build: the ChainID of its stage's filesystem after it.
    step_tops: Vec<Option<String>>,
}

impl Session {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn build(
        &mut self,
        dockerfile: &str,
        files: &BTreeMap<String, String>,
        options: &PageBuildOptions,
    ) -> BuildResult {
        let context =
            super::build::context_from(files.iter().map(|(p, t)| (p.as_str(), t.as_bytes())));
        let builder = match options.builder.as_deref() {
            Some("legacy") => BuilderKind::Legacy,
            _ => BuilderKind::BuildKit,
        };
        let build_options = BuildOptions {
            builder,
            target: options.target.clone().filter(|t| !t.is_empty()),
            build_args: options.build_args.clone(),
            no_cache: options.no_cache,
            tags: options
                .tag
                .clone()
                .filter(|t| !t.is_empty())
                .into_iter()
                .collect(),
        };
        let trace = build(&mut self.engine, dockerfile, &context, &build_options);
        self.step_tops = trace.steps.iter().map(|s| s.top.clone()).collect();
        to_dto(dockerfile, &trace)
    }

    /// The ChainID a reference points at: a ChainID, a DiffID (first layer with it), or the
    /// state after a step of the last build.
    fn chain_of(&self, reference: &LayerRef) -> Option<Digest> {
        match reference {
            LayerRef::Step(step) => self
                .step_tops
                .get(*step)
                .cloned()
                .flatten()
                .and_then(|c| Digest::parse(&c)),
            LayerRef::Layer(text) => {
                let digest = Digest::parse(text)?;
                if self.engine.layers.get(&digest).is_some() {
                    return Some(digest);
                }
                self.engine
                    .layers
                    .iter()
                    .find(|l| l.diff_id == digest)
                    .map(|l| l.chain_id.clone())
            }
        }
    }

    /// A layer's own entries below `path` (whiteouts included), or for a step the merged
    /// filesystem with each entry's change against the filesystem before the step.
    pub fn layer_tree(&self, reference: &LayerRef, path: &str) -> Vec<TreeEntryDto> {
        let Some(chain) = self.chain_of(reference) else {
            return Vec::new();
        };
        let Some(stored) = self.engine.layers.get(&chain) else {
            return Vec::new();
        };
        let dir = crate::engine::glob::clean_path(&format!("/{path}"));
        if let LayerRef::Step(step) = reference {
            let Ok(view) = self.engine.layers.view(Some(&chain)) else {
                return Vec::new();
            };
            let before = step
                .checked_sub(1)
                .and_then(|s| self.step_tops.get(s).cloned().flatten())
                .and_then(|c| Digest::parse(&c))
                .filter(|c| *c != chain)
                .and_then(|c| self.engine.layers.view(Some(&c)).ok());
            let join = |name: &str| {
                if dir == "/" {
                    format!("/{name}")
                } else {
                    format!("{dir}/{name}")
                }
            };
            let mut out: Vec<TreeEntryDto> = view
                .list(&dir)
                .unwrap_or_default()
                .into_iter()
                .map(|e| {
                    let change = before.as_ref().and_then(|b| match b.lstat(&join(&e.name)) {
                        Err(_) => Some(ChangeKind::Added),
                        Ok(old) if old != e.entry.stat() && !e.entry.is_dir() => {
                            Some(ChangeKind::Modified)
                        }
                        Ok(_) => None,
                    });
                    entry_dto(e.name, &e.entry, change)
                })
                .collect();
            if let Some(before) = &before {
                for gone in before.list(&dir).unwrap_or_default() {
                    if !view.exists(&join(&gone.name)) {
                        let mut dto = entry_dto(gone.name, &gone.entry, Some(ChangeKind::Deleted));
                        dto.change = Some(ChangeKind::Deleted);
                        out.push(dto);
                    }
                }
            }
            return out;
        }
        let layer = stored.layer();
        let prefix = if dir == "/" {
            String::new()
        } else {
            format!("{}/", dir.trim_start_matches('/'))
        };
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        for (key, entry) in layer.entries() {
            let Some(rest) = key.strip_prefix(&prefix) else {
                continue;
            };
            if rest.is_empty() {
                continue;
            }
            let name = rest.split('/').next().unwrap_or(rest).to_string();
            if !seen.insert(name.clone()) {
                continue;
            }
            if rest.contains('/') {
                out.push(TreeEntryDto {
                    name,
                    kind: "dir",
                    size: 0,
                    mode: "drwxr-xr-x".into(),
                    change: None,
                });
            } else {
                let change = match entry.node {
                    Node::Whiteout => ChangeKind::Deleted,
                    _ => ChangeKind::Added,
                };
                out.push(entry_dto(name, entry, Some(change)));
            }
            if out.len() >= 2000 {
                break;
            }
        }
        out
    }

    /// A file's text (when small and known) and size, as seen at a layer or after a step.
    pub fn file(&self, reference: &LayerRef, path: &str) -> Option<FileDto> {
        let chain = self.chain_of(reference)?;
        let view = self.engine.layers.view(Some(&chain)).ok()?;
        let content = view.read(path).ok()?;
        let text = content
            .bytes()
            .filter(|b| b.len() <= MAX_TEXT)
            .and_then(|b| std::str::from_utf8(b).ok())
            .map(str::to_string);
        Some(FileDto {
            text,
            size: content.len(),
        })
    }

    /// Every image and container the session's engine holds.
    pub fn inventory(&self) -> Inventory {
        let images = self
            .engine
            .images
            .iter()
            .map(|stored| {
                let mut created_by = stored
                    .image
                    .history
                    .iter()
                    .filter(|h| !h.empty_layer)
                    .map(|h| h.created_by.clone());
                let layers = stored
                    .chain
                    .iter()
                    .filter_map(|c| self.engine.layers.get(c))
                    .map(|l| InventoryLayer {
                        diff_id: l.diff_id.as_str().to_string(),
                        chain_id: l.chain_id.as_str().to_string(),
                        size: l.size,
                        created_by: created_by.next().unwrap_or_default(),
                    })
                    .collect();
                InventoryImage {
                    id: stored.image.id.as_str().to_string(),
                    tags: self.engine.images.tags_of(&stored.image.id),
                    size: stored.size,
                    layers,
                }
            })
            .collect();
        let containers = self
            .engine
            .containers
            .iter()
            .map(|c| InventoryContainer {
                id: c.id.clone(),
                name: c.name.clone(),
                image: c.image_id.as_str().to_string(),
                status: format!("{:?}", c.state.status).to_lowercase(),
                size_rw: c.size_rw(),
            })
            .collect();
        Inventory { images, containers }
    }
}

fn entry_dto(
    name: String,
    entry: &crate::engine::vfs::Entry,
    change: Option<ChangeKind>,
) -> TreeEntryDto {
    let stat = entry.stat();
    let kind = match (&entry.node, entry.file_type()) {
        (Node::Whiteout, _) => "whiteout",
        (_, Some(FileType::Dir)) => "dir",
        (_, Some(FileType::Symlink)) => "symlink",
        _ => "file",
    };
    TreeEntryDto {
        name,
        kind,
        size: if kind == "dir" { 0 } else { entry.size() },
        mode: stat.mode_string(),
        change,
    }
}

/// The page's view of a build trace.
pub fn to_dto(source: &str, trace: &BuildTrace) -> BuildResult {
    let index = LineIndex::new(source);
    let positions = EditorPositions::new(source);
    let steps = trace
        .steps
        .iter()
        .map(|s| {
            let (from, to) = positions.span(s.span);
            StepDto {
                index: s.index,
                stage: s.stage,
                line: s.line,
                end_line: s.end_line,
                from,
                to,
                instruction: s.instruction.clone(),
                status: s.status,
                cause: s.cause.clone(),
                cause_kind: s
                    .cause_kind
                    .as_ref()
                    .and_then(|c| serde_json::to_value(c).ok())
                    .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string)),
                log: s.log.clone(),
                layer: s.layer.as_ref().map(|l| LayerDto {
                    diff_id: l.diff_id.clone(),
                    chain_id: l.chain_id.clone(),
                    size: l.size,
                    empty: l.empty,
                    changes: l
                        .changes
                        .iter()
                        .map(|c| ChangeDto {
                            path: c.path.clone(),
                            kind: c.kind,
                            size: c.size,
                        })
                        .collect(),
                    changes_total: l.changes_total,
                }),
                history_index: s.history_index,
            }
        })
        .collect();
    let image = trace.image.as_ref().map(|image| {
        let mut layer_index = 0usize;
        let mut created_by = vec![String::new(); image.rootfs.len()];
        for h in &image.history {
            if !h.empty_layer {
                if let Some(slot) = created_by.get_mut(layer_index) {
                    *slot = h.created_by.clone();
                }
                layer_index += 1;
            }
        }
        ImageDto {
            id: image.id.clone(),
            tags: image.tags.clone(),
            size: image.size,
            layers: image
                .rootfs
                .iter()
                .zip(created_by)
                .map(|(l, created_by)| ImageLayerDto {
                    diff_id: l.diff_id.clone(),
                    chain_id: l.chain_id.clone(),
                    size: l.size,
                    base: l.from_base,
                    created_by,
                    step: l.step,
                    size_estimated: l.size_estimated,
                })
                .collect(),
            history: image
                .history
                .iter()
                .map(|h| HistoryDto {
                    created: h.created.clone(),
                    created_by: h.created_by.clone(),
                    empty_layer: h.empty_layer,
                    size: h.size,
                    comment: h.comment.clone(),
                    step: h.step,
                })
                .collect(),
            config: image.config.clone(),
        }
    });
    BuildResult {
        ok: trace.ok,
        builder: trace.builder,
        target: trace.target,
        error: trace.error.clone(),
        diagnostics: trace
            .diagnostics
            .iter()
            .map(|d| diagnostic_dto(source, &index, &positions, d))
            .collect(),
        stages: trace
            .stages
            .iter()
            .map(|s| StageDto {
                index: s.index,
                name: s.name.clone(),
                base: s.base.clone(),
                line: s.line,
                skipped: s.skipped,
                depends_on: s.depends_on.clone(),
                copies_from: s.copies_from.clone(),
            })
            .collect(),
        steps,
        image,
        log: trace.log.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_builds_and_lists_layer_files() {
        let mut session = Session::new();
        let files = BTreeMap::from([("hello.txt".to_string(), "test\n".to_string())]);
        let result = session.build(
            "FROM alpine:3.20\nWORKDIR /app\nCOPY hello.txt ./\nRUN echo more >> hello.txt\n",
            &files,
            &PageBuildOptions::default(),
        );
        assert!(result.ok, "{:?}", result.error);
        let run = result.steps.last().unwrap().layer.clone().unwrap();
        assert_eq!(run.size, 10);
        let app = session.layer_tree(&LayerRef::Layer(run.diff_id.clone()), "/app");
        assert_eq!(app.len(), 1);
        assert_eq!((app[0].name.as_str(), app[0].size), ("hello.txt", 10));
        let file = session
            .file(&LayerRef::Layer(run.chain_id.clone()), "/app/hello.txt")
            .unwrap();
        assert_eq!(file.text.as_deref(), Some("test\nmore\n"));
        // After the RUN step, the merged view marks hello.txt modified; after COPY, added.
        let after_run = session.layer_tree(&LayerRef::Step(3), "/app");
        assert_eq!(after_run[0].change, Some(ChangeKind::Modified));
        let after_copy = session.layer_tree(&LayerRef::Step(2), "/app");
        assert_eq!(after_copy[0].change, Some(ChangeKind::Added));
        assert!(session
            .layer_tree(&LayerRef::Step(3), "/")
            .iter()
            .any(|e| e.name == "etc"));
        let inventory = session.inventory();
        assert_eq!(inventory.images.len(), 2, "alpine:3.20 and the build");
        // Steps point at their source lines for the editor.
        assert_eq!((result.steps[3].line, result.steps[3].from), (4, 48));
    }
}
