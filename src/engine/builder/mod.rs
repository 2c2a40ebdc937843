//! The builder: stages, dispatch per instruction, ARG/ENV scoping, cache keys and hits,
//! BuildKit vs legacy-builder rules, ONBUILD, `--target` → a [`BuildTrace`].
//!
//! The flow follows BuildKit's frontend: parse → typed instructions → plan the stages the
//! target needs (legacy: every stage up to the target) → dispatch each instruction against
//! the stage's filesystem and image config, expanding words at dispatch time.
//!
//! Cache model (docker-semantics §7): each step is looked up under the chain key of the state
//! it starts from. Under BuildKit only filesystem steps (RUN, COPY, ADD, WORKDIR) move the
//! chain: config-only steps cannot invalidate later steps, but ENV/ARG/USER/WORKDIR/SHELL
//! values are part of every later RUN's key. Under the legacy builder every step commits an
//! image, so every step moves the chain.

pub mod cache;
pub mod context;
pub mod copy;
mod dispatch;
pub mod history;
pub mod progress;
pub mod stages;
pub mod trace;

use self::cache::{Lookup, MissCause, StepKey};
use self::context::BuildContext;
use self::progress::{full_name, Progress};
use self::stages::{plan, resolve_base, Source, StageRefs};
use self::trace::{
    BuildTrace, HistoryRow, ImageSummary, RootfsLayer, StageTrace, StepStatus, StepTrace,
};
use crate::diagnostics::Diagnostic;
use crate::engine::daemon::{BaseSource, Engine};
use crate::engine::image::{History, Image, ImageConfig};
use crate::engine::layers::{ChainId, DiffId, Digest};
use crate::engine::vfs::{Layer, OverlayView};
use crate::expand::scope::{BuildSettings, BuilderKind, GlobalArgs, StageScope};
use crate::expand::{EnvList, Lexer};
use crate::syntax::{self, Instruction, InstructionKind};
use std::collections::BTreeMap;
use std::sync::Arc;

/// `docker build` options.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub builder: BuilderKind,
    pub target: Option<String>,
    pub build_args: BTreeMap<String, String>,
    pub no_cache: bool,
    /// `-t` names; the first is the image's main tag.
    pub tags: Vec<String>,
}

/// What the cache keeps for one step: enough to replay it without running it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CachedStep {
    /// The layer the step produced (filesystem steps), with its DiffID.
    pub layer: Option<(Arc<Layer>, DiffId)>,
    /// The history entry's timestamp, so a full cache hit rebuilds the same image id.
    pub created: String,
    /// Filesystem steps: the stage's unfetched source trees after the step (a cache hit
    /// restores them, as it restores the layer).
    pub unfetched_trees: Vec<String>,
}

/// One stage's state while it is built, and its result afterwards.
#[derive(Debug, Clone)]
struct StageState {
    index: usize,
    name: Option<String>,
    view: OverlayView,
    top: Option<ChainId>,
    diff_ids: Vec<DiffId>,
    history: Vec<History>,
    /// Per history entry: the step that wrote it (None for inherited entries).
    history_steps: Vec<Option<usize>>,
    /// Per layer: the step that made it.
    layer_steps: Vec<Option<usize>>,
    config: ImageConfig,
    scope: StageScope,
    shell: Vec<String>,
    cache_key: String,
    /// The key the stage started from: BuildKit's config-only steps are looked up under it,
    /// because they never move the filesystem chain.
    base_key: String,
    /// A step of this stage missed the cache because something changed, so later misses
    /// are explained as "an earlier step was rebuilt".
    rebuilt: bool,
    /// Legacy: the intermediate image the next step commits on.
    parent_image: Option<Digest>,
    /// BuildKit: `[n/m]` numbering of filesystem steps.
    fs_step: usize,
    fs_total: usize,
    /// Set once the stage's CMD was set in this stage (ENTRYPOINT resets an inherited CMD).
    cmd_set: bool,
    /// Directories that received downloaded archives the playground has no content for
    /// (the RUN interpreter's state, carried from one RUN to the next; see
    /// `engine::shell::unfetched`). Empty at `FROM` an image; inherited from a parent stage.
    unfetched_trees: Vec<String>,
}

/// Runs a build and returns its trace. The engine keeps the image and the cache.
pub fn build(
    engine: &mut Engine,
    dockerfile: &str,
    context: &BuildContext,
    options: &BuildOptions,
) -> BuildTrace {
    let frontend = syntax::parse_dockerfile(dockerfile);
    let mut trace = BuildTrace {
        ok: false,
        builder: options.builder,
        target: None,
        diagnostics: frontend.diagnostics.clone(),
        stages: Vec::new(),
        steps: Vec::new(),
        image: None,
        log: Vec::new(),
        error: None,
    };
    if let Some(rejection) = &frontend.rejection {
        let line = crate::text::LineIndex::new(dockerfile)
            .line_col(dockerfile, rejection.span.start)
            .line;
        trace.error = Some(format!(
            "dockerfile parse error on line {line}: {}",
            rejection.message
        ));
        if !trace.diagnostics.iter().any(|d| d == rejection) {
            trace.diagnostics.push(rejection.clone());
        }
        trace.log.push(format!(
            "ERROR: failed to build: failed to solve: {}",
            trace.error.clone().unwrap_or_default()
        ));
        return trace;
    }
    let mut builder = Builder::new(
        engine,
        dockerfile,
        context,
        options,
        frontend.dockerfile,
        trace,
    );
    builder.run();
    let mut trace = builder.trace;
    number_steps(&mut trace);
    trace
}

struct Builder<'a> {
    engine: &'a mut Engine,
    source: &'a str,
    context: &'a BuildContext,
    options: &'a BuildOptions,
    dockerfile: syntax::Dockerfile,
    settings: BuildSettings,
    lexer: Lexer,
    globals: GlobalArgs,
    progress: Progress,
    trace: BuildTrace,
    results: Vec<Option<StageState>>,
    context_sent: bool,
    /// The output of the RUN that just failed (its step prints it before the error).
    failed_output: Vec<String>,
    /// BuildKit: the failed step's name and its last output lines, boxed above the
    /// Dockerfile excerpt.
    failed_box: Option<(String, Vec<String>)>,
}

/// How many of a failed step's last output lines BuildKit repeats above the error.
const FAILED_BOX_LINES: usize = 10;

/// A failed step: Docker's error text and where it points.
#[derive(Debug)]
struct StepError {
    message: String,
    span: crate::text::Span,
}

impl<'a> Builder<'a> {
    fn new(
        engine: &'a mut Engine,
        source: &'a str,
        context: &'a BuildContext,
        options: &'a BuildOptions,
        dockerfile: syntax::Dockerfile,
        trace: BuildTrace,
    ) -> Self {
        let settings = BuildSettings {
            builder: options.builder,
            build_args: options.build_args.clone(),
            target_stage: options.target.clone().unwrap_or_default(),
            ..BuildSettings::default()
        };
        let lexer = Lexer::new(dockerfile.escape);
        let globals = GlobalArgs::new(&settings);
        let legacy_total = dockerfile.global_args.len()
            + dockerfile
                .stages
                .iter()
                .map(|s| 1 + s.instructions.len())
                .sum::<usize>();
        let stage_count = dockerfile.stages.len();
        Self {
            engine,
            source,
            context,
            options,
            dockerfile,
            settings,
            lexer,
            globals,
            progress: Progress::new(options.builder, legacy_total),
            trace,
            results: vec![None; stage_count],
            context_sent: false,
            failed_output: Vec::new(),
            failed_box: None,
        }
    }

    fn kind(&self) -> BuilderKind {
        self.options.builder
    }

    fn fail(&mut self, message: String, span: crate::text::Span, code: &'static str) {
        self.trace
            .diagnostics
            .push(Diagnostic::error(code, message.clone(), span));
        self.trace.error = Some(message.clone());
        if self.kind() == BuilderKind::BuildKit {
            if let Some((name, output)) = self.failed_box.take() {
                self.trace.log.push("------".to_string());
                self.trace.log.push(format!(" > {name}:"));
                let skip = output.len().saturating_sub(FAILED_BOX_LINES);
                for line in output.iter().skip(skip) {
                    self.trace.log.push(format!("0.000 {line}"));
                }
                self.trace.log.push("------".to_string());
            }
            let excerpt = source_excerpt(self.source, span);
            self.trace.log.extend(excerpt);
            self.trace
                .log
                // buildx v0.29 wraps the solve error: `failed to build: failed to solve: …`.
                .push(format!(
                    "ERROR: failed to build: failed to solve: {message}"
                ));
        }
    }

    fn run(&mut self) {
        // Global ARGs (before the first FROM).
        for instruction in self.dockerfile.global_args.clone() {
            if let InstructionKind::Arg(defs) = &instruction.kind {
                for def in defs {
                    let default = def.value.as_ref().map(|w| w.value.as_str());
                    if let Err(e) =
                        self.globals
                            .declare(&self.settings, &self.lexer, &def.key.value, default)
                    {
                        self.fail(e.message, def.key.span, "expansion-error");
                        return;
                    }
                }
            }
        }
        // Expand the stage bases and --from references against the global scope.
        let global_env = self.globals.from_env(&self.settings);
        let mut refs = Vec::new();
        for stage in &self.dockerfile.stages {
            let base = match self.lexer.process_word(&stage.base.value, &global_env) {
                Ok(expanded) => expanded.value,
                Err(e) => {
                    let span = stage.base.span;
                    self.fail(e.message, span, "expansion-error");
                    return;
                }
            };
            let from_refs = stage
                .instructions
                .iter()
                .filter_map(|i| match &i.kind {
                    InstructionKind::Copy(c) => c.from.as_ref().map(|w| w.value.clone()),
                    InstructionKind::Run(r) => r
                        .mounts
                        .iter()
                        .filter_map(|m| m.mount.as_ref())
                        .find(|m| !m.from.is_empty())
                        .map(|m| m.from.clone()),
                    _ => None,
                })
                .map(|raw| {
                    self.lexer
                        .process_word(&raw, &global_env)
                        .map(|e| e.value)
                        .unwrap_or(raw)
                })
                .collect();
            refs.push(StageRefs {
                name: stage.name.as_ref().map(|n| n.value.to_ascii_lowercase()),
                base,
                from_refs,
            });
        }
        let stage_plan = match plan(&refs, self.options.target.as_deref(), self.kind()) {
            Ok(p) => p,
            Err(e) => {
                let span = self
                    .dockerfile
                    .stages
                    .first()
                    .map(|s| s.span)
                    .unwrap_or_default();
                self.fail(e.to_string(), span, "stage-plan");
                return;
            }
        };
        self.trace.target = Some(stage_plan.target);
        for (i, stage) in self.dockerfile.stages.iter().enumerate() {
            let copies_from = refs[i]
                .from_refs
                .iter()
                .filter_map(|r| match stages::resolve_from(&refs, i, r, self.kind()) {
                    Source::Stage(s) => Some(s),
                    Source::Image(_) => None,
                })
                .collect();
            self.trace.stages.push(StageTrace {
                index: i,
                name: refs[i].name.clone(),
                base: refs[i].base.clone(),
                line: stage.start_line,
                skipped: stage_plan.skipped[i],
                depends_on: stage_plan.dependencies[i].clone(),
                base_image_id: None,
                copies_from,
            });
        }
        let bases: Vec<String> = stage_plan
            .order
            .iter()
            .filter(|&&i| matches!(resolve_base(&refs, i, &refs[i].base), Source::Image(ref b) if b != "scratch"))
            .map(|&i| full_name(&refs[i].base))
            .collect();
        // The legacy builder sends the context as a tar stream; BuildKit counts file bytes.
        let context_bytes = match self.kind() {
            BuilderKind::Legacy => self.context.tar_size(),
            BuilderKind::BuildKit => self.context.total_size(),
        };
        let header = self
            .progress
            .header(self.source.len(), context_bytes, &dedup(bases));
        self.trace.log.extend(header);

        // Steps of every stage, in file order; the planned ones are filled in as they run.
        for (i, stage) in self.dockerfile.stages.iter().enumerate() {
            let mut all = vec![stage_step(
                i,
                stage.start_line,
                stage.end_line,
                stage.span,
                &stage.code,
            )];
            all.extend(
                stage
                    .instructions
                    .iter()
                    .map(|ins| instruction_step(i, ins)),
            );
            self.trace.steps.extend(all);
        }
        for &index in &stage_plan.order {
            if !self.build_stage(index, &refs) {
                self.mark_rest_skipped("the build stopped at an earlier error");
                return;
            }
        }
        self.mark_rest_skipped("not needed for the target stage");
        self.finish(stage_plan.target);
    }

    fn mark_rest_skipped(&mut self, cause: &str) {
        for step in &mut self.trace.steps {
            if step.log.is_empty() && step.status == StepStatus::Skipped && step.cause.is_none() {
                step.cause = Some(cause.to_string());
            }
        }
    }

    /// Index into `trace.steps` of stage `stage`'s FROM step.
    fn stage_first_step(&self, stage: usize) -> usize {
        self.trace
            .steps
            .iter()
            .position(|s| s.stage == stage)
            .unwrap_or(0)
    }

    fn build_stage(&mut self, index: usize, refs: &[StageRefs]) -> bool {
        let stage = self.dockerfile.stages[index].clone();
        let from_step = self.stage_first_step(index);
        let base_text = refs[index].base.clone();
        if base_text.is_empty() {
            let message = format!("base name ({}) should not be blank", stage.base.value);
            self.fail(message, stage.base.span, "blank-base");
            self.trace.steps[from_step].status = StepStatus::Failed;
            return false;
        }
        let fs_total = 1 + stage
            .instructions
            .iter()
            .filter(|i| {
                matches!(
                    i.kind,
                    InstructionKind::Run(_)
                        | InstructionKind::Copy(_)
                        | InstructionKind::Add(_)
                        | InstructionKind::Workdir(_)
                )
            })
            .count();
        let mut state = match resolve_base(refs, index, &base_text) {
            Source::Stage(parent) => match self.results[parent].clone() {
                Some(mut parent_state) => {
                    parent_state.index = index;
                    parent_state.scope =
                        StageScope::from_stage(&self.settings, &parent_state.scope);
                    parent_state.rebuilt = false;
                    parent_state.base_key = parent_state.cache_key.clone();
                    parent_state.cmd_set = false;
                    parent_state
                }
                None => {
                    self.fail(
                        format!("stage {base_text} was not built"),
                        stage.base.span,
                        "stage-order",
                    );
                    return false;
                }
            },
            Source::Image(reference) => {
                match self.state_from_image(index, &reference, stage.base.span, from_step) {
                    Some(s) => s,
                    None => return false,
                }
            }
        };
        state.name = refs[index].name.clone();
        state.fs_step = 1;
        state.fs_total = fs_total;
        let from_name = match self.kind() {
            BuilderKind::BuildKit => {
                self.vertex_name(&state, &format!("FROM {}", display_base(&base_text)))
            }
            BuilderKind::Legacy => stage.code.lines().next().unwrap_or_default().to_string(),
        };
        // BuildKit shows no vertex of its own for a stage built on another stage.
        let stage_base = matches!(resolve_base(refs, index, &base_text), Source::Stage(_));
        let from_log = if stage_base && self.kind() == BuilderKind::BuildKit {
            Vec::new()
        } else {
            self.progress.step(progress::StepLog {
                name: &from_name,
                result: state
                    .parent_image
                    .as_ref()
                    .map(|d| short_id(d.as_str()))
                    .as_deref(),
                ..Default::default()
            })
        };
        state.fs_step = 2;
        {
            let step = &mut self.trace.steps[from_step];
            step.status = StepStatus::Built;
            step.log = from_log.clone();
        }
        self.trace.log.extend(from_log);

        // ONBUILD triggers of the base run first, attributed to the FROM line.
        let triggers = std::mem::take(&mut state.config.on_build);
        for trigger in triggers {
            let parsed = syntax::parse_dockerfile(&format!("FROM scratch\n{trigger}\n"));
            let instructions = parsed
                .dockerfile
                .stages
                .into_iter()
                .next()
                .map(|s| s.instructions)
                .unwrap_or_default();
            for mut instruction in instructions {
                instruction.span = stage.span;
                instruction.start_line = stage.start_line;
                instruction.end_line = stage.start_line;
                if let Err(error) = self.dispatch(&mut state, &instruction, from_step) {
                    self.fail(error.message, error.span, "build-step-failed");
                    self.trace.steps[from_step].status = StepStatus::Failed;
                    return false;
                }
            }
        }

        self.trace.steps[from_step].top = top_text(&state);
        let first = from_step + 1;
        for (offset, instruction) in stage.instructions.iter().enumerate() {
            let step_index = first + offset;
            if let Err(error) = self.dispatch(&mut state, instruction, step_index) {
                self.fail(error.message.clone(), error.span, "build-step-failed");
                self.trace.steps[step_index].status = StepStatus::Failed;
                return false;
            }
            self.trace.steps[step_index].top = top_text(&state);
        }
        self.results[index] = Some(state);
        true
    }

    /// The state a stage starts from when its base is an image (or scratch).
    fn state_from_image(
        &mut self,
        index: usize,
        reference: &str,
        span: crate::text::Span,
        from_step: usize,
    ) -> Option<StageState> {
        let scratch = reference == "scratch";
        let (config, history, diff_ids, top, image_id) = if scratch {
            let config =
                crate::engine::catalog::scratch_config(self.kind() == BuilderKind::BuildKit);
            (config, Vec::new(), Vec::new(), None, None)
        } else {
            let (stored, source) = match self.engine.obtain_image(reference) {
                Ok(found) => found,
                Err(error) => {
                    self.fail(error.to_string(), span, "invalid-reference");
                    self.trace.steps[from_step].status = StepStatus::Failed;
                    return None;
                }
            };
            if let BaseSource::StandIn(error) = &source {
                self.trace.diagnostics.push(
                    Diagnostic::warning("image-not-in-catalog", error.to_string(), span)
                        .with_help("The build goes on with a small stand-in image: sizes and files of this base are not real."),
                );
            }
            self.trace.stages[index].base_image_id = Some(stored.image.id.as_str().to_string());
            let image = stored.image;
            let top = stored.chain.last().cloned();
            (
                image.config,
                image.history,
                image.rootfs.diff_ids,
                top,
                Some(image.id),
            )
        };
        let mut config = config;
        if self.kind() == BuilderKind::BuildKit && config.env_get("PATH").is_none() {
            config.env_set("PATH", crate::engine::catalog::DEFAULT_PATH);
        }
        let view = match self.engine.layers.view(top.as_ref()) {
            Ok(v) => v,
            Err(e) => {
                self.fail(e.to_string(), span, "layer-store");
                return None;
            }
        };
        let layer_count = diff_ids.len();
        let history_count = history.len();
        let scope = StageScope::from_image(&self.settings, &config.env);
        let shell = config.shell.clone().unwrap_or_else(default_shell);
        // Each builder has its own cache (BuildKit's records vs the legacy builder's
        // intermediate images), so their chains start from different keys.
        let cache_key = format!(
            "{}:from:{}",
            cache_namespace(self.kind()),
            image_id.as_ref().map_or("scratch", |d| d.as_str())
        );
        let base_key = cache_key.clone();
        Some(StageState {
            index,
            name: None,
            view,
            top,
            diff_ids,
            history,
            history_steps: vec![None; history_count],
            layer_steps: vec![None; layer_count],
            config,
            scope,
            shell,
            cache_key,
            base_key,
            rebuilt: false,
            parent_image: image_id,
            fs_step: 1,
            fs_total: 1,
            cmd_set: false,
            unfetched_trees: Vec::new(),
        })
    }

    /// BuildKit's vertex name: `[2/4] RUN …`, `[builder 2/5] …`, `[stage-1 3/4] …`.
    fn vertex_name(&self, state: &StageState, text: &str) -> String {
        match self.kind() {
            BuilderKind::Legacy => text.to_string(),
            BuilderKind::BuildKit => {
                let label = match (&state.name, self.dockerfile.stages.len()) {
                    (Some(name), _) => format!("{name} "),
                    (None, 1) => String::new(),
                    (None, _) => format!("stage-{} ", state.index),
                };
                format!("[{label}{}/{}] {text}", state.fs_step, state.fs_total)
            }
        }
    }

    /// Looks a step up in the cache under `parent`; `None` means run it, with the cause
    /// recorded. `chained`: the step depends on the steps before it.
    fn lookup(
        &mut self,
        parent: &str,
        chained: bool,
        rebuilt: bool,
        key: &StepKey,
        step: usize,
    ) -> Option<CachedStep> {
        let result = if self.options.no_cache {
            Lookup::Miss(MissCause::NoCache)
        } else {
            match self.engine.cache.lookup(parent, key) {
                Lookup::Miss(MissCause::NotCached) if chained && rebuilt => {
                    Lookup::Miss(MissCause::ParentRebuilt)
                }
                other => other,
            }
        };
        match result {
            Lookup::Hit(cached) => {
                let now = self.engine.now();
                self.engine.cache.record_hit(parent, key, now);
                self.trace.steps[step].status = StepStatus::Cached;
                Some(cached)
            }
            Lookup::Miss(cause) => {
                let entry = &mut self.trace.steps[step];
                entry.status = StepStatus::Built;
                entry.cause = Some(cause.describe());
                entry.cause_kind = Some(cause);
                None
            }
        }
    }

    fn finish(&mut self, target: usize) {
        let Some(state) = self.results[target].clone() else {
            return;
        };
        let created = state
            .history
            .last()
            .map(|h| h.created.clone())
            .unwrap_or_else(|| self.timestamp());
        let mut config = state.config.clone();
        config.shell = (state.shell != default_shell()).then(|| state.shell.clone());
        let parent = match self.kind() {
            BuilderKind::Legacy => state.parent_image.clone(),
            BuilderKind::BuildKit => None,
        };
        let image_id = match (&self.kind(), &state.parent_image) {
            // The legacy builder's result is its last intermediate image.
            (BuilderKind::Legacy, Some(id)) => id.clone(),
            _ => {
                let image = Image::new(
                    created,
                    config.clone(),
                    state.diff_ids.clone(),
                    state.history.clone(),
                    parent,
                );
                let size = self
                    .engine
                    .layers
                    .chain_size(state.top.as_ref())
                    .unwrap_or(0);
                // The image store holds one reference per stored image (a full cache hit
                // returns the image that is already there).
                let fresh = !self.engine.images.contains(&image.id);
                let id = self.engine.images.insert(image, size);
                if let (true, Some(top)) = (fresh, &state.top) {
                    let _ = self.engine.layers.acquire(top);
                }
                id
            }
        };
        for tag in &self.options.tags {
            let _ = self.engine.images.tag(&image_id, tag);
        }
        let tags: Vec<String> = self.options.tags.clone();
        let footer = self.progress.footer(image_id.as_str(), &tags);
        self.trace.log.extend(footer);
        self.trace.image = Some(self.summary(&state, &image_id));
        self.trace.ok = true;
    }

    fn summary(&self, state: &StageState, image_id: &Digest) -> ImageSummary {
        let chain = self
            .engine
            .layers
            .chain(state.top.as_ref())
            .unwrap_or_default();
        let mut rootfs = Vec::new();
        for (i, chain_id) in chain.iter().enumerate() {
            let stored = self.engine.layers.get(chain_id);
            rootfs.push(RootfsLayer {
                diff_id: stored
                    .map(|l| l.diff_id.as_str().to_string())
                    .unwrap_or_default(),
                chain_id: chain_id.as_str().to_string(),
                size: stored.map_or(0, |l| l.size),
                size_estimated: stored.is_some_and(|l| l.size_estimated),
                from_base: state.layer_steps.get(i).copied().flatten().is_none(),
                step: state.layer_steps.get(i).copied().flatten(),
            });
        }
        let mut layer = 0usize;
        let history = state
            .history
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let size = if h.empty_layer {
                    0
                } else {
                    let size = rootfs.get(layer).map_or(0, |l| l.size);
                    layer += 1;
                    size
                };
                HistoryRow {
                    created: h.created.clone(),
                    created_by: h.created_by.clone(),
                    empty_layer: h.empty_layer,
                    size,
                    comment: h.comment.clone(),
                    step: state.history_steps.get(i).copied().flatten(),
                }
            })
            .collect();
        let mut config = state.config.clone();
        config.shell = (state.shell != default_shell()).then(|| state.shell.clone());
        ImageSummary {
            id: image_id.as_str().to_string(),
            tags: self.engine.images.tags_of(image_id),
            size: rootfs.iter().map(|l| l.size).sum(),
            rootfs,
            history,
            config,
        }
    }

    fn timestamp(&mut self) -> String {
        let now = self.engine.tick(1);
        crate::engine::image::format_rfc3339(now)
    }

    /// The environment that expands a word of this stage.
    fn expansion_env(&self, state: &StageState) -> EnvList {
        state.scope.expansion_env(&self.settings, &self.globals)
    }
}

/// The Dockerfile excerpt `docker build` prints above a BuildKit error: two lines of context
/// around the failing instruction, its lines marked `>>>`.
fn source_excerpt(source: &str, span: crate::text::Span) -> Vec<String> {
    let index = crate::text::LineIndex::new(source);
    let first = index.line_col(source, span.start).line;
    let last = index
        .line_col(source, span.end.saturating_sub(1).max(span.start))
        .line;
    let lines: Vec<&str> = source.lines().collect();
    let from = first.saturating_sub(2).max(1);
    let to = (last + 2).min(lines.len());
    let mut out = vec![
        format!("Dockerfile:{first}"),
        "--------------------".to_string(),
    ];
    for n in from..=to {
        let text = lines.get(n - 1).copied().unwrap_or_default();
        let marker = if (first..=last).contains(&n) {
            ">>> "
        } else {
            "    "
        };
        out.push(format!("{n:>4} | {marker}{text}"));
    }
    out.push("--------------------".to_string());
    out
}

fn top_text(state: &StageState) -> Option<String> {
    state.top.as_ref().map(|c| c.as_str().to_string())
}

/// The prefix of a stage's first cache key: `buildkit` or `legacy`.
pub fn cache_namespace(kind: BuilderKind) -> &'static str {
    match kind {
        BuilderKind::BuildKit => "buildkit",
        BuilderKind::Legacy => "legacy",
    }
}

fn default_shell() -> Vec<String> {
    vec!["/bin/sh".to_string(), "-c".to_string()]
}

fn short_id(id: &str) -> String {
    id.trim_start_matches("sha256:").chars().take(12).collect()
}

fn display_base(base: &str) -> String {
    if base == "scratch" {
        base.to_string()
    } else {
        full_name(base)
    }
}

fn dedup(mut items: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    items.retain(|i| seen.insert(i.clone()));
    items
}

fn stage_step(
    stage: usize,
    line: usize,
    end_line: usize,
    span: crate::text::Span,
    code: &str,
) -> StepTrace {
    StepTrace {
        index: 0,
        stage,
        line,
        end_line,
        span,
        instruction: code.to_string(),
        status: StepStatus::Skipped,
        cause: None,
        cause_kind: None,
        log: Vec::new(),
        layer: None,
        history_index: None,
        top: None,
    }
}

fn instruction_step(stage: usize, instruction: &Instruction) -> StepTrace {
    stage_step(
        stage,
        instruction.start_line,
        instruction.end_line,
        instruction.span,
        &instruction.code,
    )
}

/// Numbers the steps once all are listed.
fn number_steps(trace: &mut BuildTrace) {
    for (i, step) in trace.steps.iter_mut().enumerate() {
        step.index = i;
    }
}
