//! One instruction's effect on a stage: the filesystem (through a layer), the image config,
//! the history entry, the cache record and the build output — per builder.

use super::cache::{chain, KeyPart, StepKey};
use super::copy::{copy, CopyRequest, Source};
use super::history::{healthcheck_config_text, history_text, HistoryStep};
use super::trace::{LayerTrace, MAX_CHANGES};
use super::{progress, Builder, CachedStep, StageState, StepError};
use crate::diagnostics::Diagnostic;
use crate::engine::image::{Empty, HealthConfig, History, Image};
use crate::engine::layers::EMPTY_LAYER_DIFF_ID;
use crate::engine::overlay_fs::OverlayFs;
use crate::engine::shell::{self, Cred, EventKind};
use crate::engine::vfs::OverlayView;
use crate::expand::scope::BuilderKind;
use crate::expand::split_entry;
use crate::syntax::instructions::{CommandLine, Word};
use crate::syntax::{Instruction, InstructionKind};
use crate::text::Span;

/// What a filesystem step does once it is known to miss the cache.
type Execute<'f> =
    Box<dyn FnOnce(&mut Builder<'_>, &mut StageState) -> Result<Vec<String>, StepError> + 'f>;

impl Builder<'_> {
    pub(super) fn dispatch(
        &mut self,
        state: &mut StageState,
        ins: &Instruction,
        step: usize,
    ) -> Result<(), StepError> {
        match &ins.kind {
            InstructionKind::From(_) => Ok(()),
            InstructionKind::Env(pairs) => {
                let env = self.expansion_env(state);
                let mut expanded = Vec::new();
                for pair in pairs {
                    let key = self.expand_with(&env, &pair.key)?;
                    let value = self.expand_with(&env, &pair.value)?;
                    expanded.push((key, value));
                }
                for (key, value) in &expanded {
                    state.scope.set_env(&self.settings, key, value);
                    state.config.env_set(key, value);
                }
                self.metadata_step(state, step, ins, HistoryStep::Env(expanded))
            }
            InstructionKind::Label(pairs) => {
                let env = self.expansion_env(state);
                let mut expanded = Vec::new();
                for pair in pairs {
                    expanded.push((
                        self.expand_with(&env, &pair.key)?,
                        self.expand_with(&env, &pair.value)?,
                    ));
                }
                for (key, value) in &expanded {
                    state.config.labels.insert(key.clone(), value.clone());
                }
                self.metadata_step(state, step, ins, HistoryStep::Label(expanded))
            }
            InstructionKind::Arg(defs) => {
                let mut words = Vec::new();
                for def in defs {
                    let default = def.value.as_ref().map(|w| w.value.as_str());
                    let declared = state
                        .scope
                        .declare_arg(
                            &self.settings,
                            &mut self.globals,
                            &self.lexer,
                            &def.key.value,
                            default,
                        )
                        .map_err(|e| StepError {
                            message: e.message,
                            span: def.key.span,
                        })?;
                    words.push(declared.history);
                }
                self.metadata_step(state, step, ins, HistoryStep::Arg(words))
            }
            InstructionKind::User(word) => {
                let user = self.expand(state, word)?;
                state.config.user = user.clone();
                self.metadata_step(state, step, ins, HistoryStep::User(user))
            }
            InstructionKind::Expose(words) => {
                let env = self.expansion_env(state);
                let mut raw = Vec::new();
                for word in words {
                    let expanded =
                        self.lexer
                            .process_words(&word.value, &env)
                            .map_err(|e| StepError {
                                message: e.message,
                                span: word.span,
                            })?;
                    raw.extend(expanded);
                }
                let ports: Vec<String> = raw.iter().map(|p| port_key(p)).collect();
                for port in &ports {
                    state.config.exposed_ports.insert(port.clone(), Empty {});
                }
                self.metadata_step(state, step, ins, HistoryStep::Expose { words: raw, ports })
            }
            InstructionKind::Volume(words) => {
                let mut paths = Vec::new();
                for word in words {
                    paths.push(self.expand(state, word)?);
                }
                for path in &paths {
                    state.config.volumes.insert(path.clone(), Empty {});
                }
                self.metadata_step(state, step, ins, HistoryStep::Volume(paths))
            }
            InstructionKind::StopSignal(word) => {
                let signal = self.expand(state, word)?;
                state.config.stop_signal = Some(signal.clone());
                self.metadata_step(state, step, ins, HistoryStep::StopSignal(signal))
            }
            InstructionKind::Maintainer(word) => {
                let name = word.value.clone();
                self.metadata_step(state, step, ins, HistoryStep::Maintainer(name))
            }
            InstructionKind::Shell(words) => {
                state.shell = words.iter().map(|w| w.value.clone()).collect();
                let shell = state.shell.clone();
                self.metadata_step(state, step, ins, HistoryStep::Shell(shell))
            }
            InstructionKind::Cmd(line) => {
                let argv = command_argv(&state.shell, line);
                state.config.cmd = Some(argv.clone());
                state.cmd_set = true;
                self.metadata_step(state, step, ins, HistoryStep::Cmd(argv))
            }
            InstructionKind::Entrypoint(line) => {
                let argv = command_argv(&state.shell, line);
                state.config.entrypoint = Some(argv.clone());
                if !state.cmd_set {
                    state.config.cmd = None;
                }
                self.metadata_step(state, step, ins, HistoryStep::Entrypoint(argv))
            }
            InstructionKind::Healthcheck(check) => {
                let durations = [
                    check.interval,
                    check.timeout,
                    check.start_period,
                    check.start_interval,
                ]
                .map(|d| u64::try_from(d).unwrap_or(0));
                state.config.healthcheck = Some(HealthConfig {
                    test: check.test.clone(),
                    interval: check.interval,
                    timeout: check.timeout,
                    start_period: check.start_period,
                    start_interval: check.start_interval,
                    retries: check.retries,
                });
                let text = healthcheck_config_text(&check.test, durations, check.retries);
                self.metadata_step(state, step, ins, HistoryStep::Healthcheck(text))
            }
            InstructionKind::Onbuild(onbuild) => {
                state.config.on_build.push(onbuild.expression.clone());
                let trigger = onbuild.expression.clone();
                self.metadata_step(state, step, ins, HistoryStep::Onbuild(trigger))
            }
            InstructionKind::Workdir(word) => self.workdir(state, step, ins, word),
            InstructionKind::Run(run) => self.run_step(state, step, ins, &run.command, &run.mounts),
            InstructionKind::Copy(c) => {
                let request = CopySpec {
                    add: false,
                    sources: &c.source_paths,
                    inline: &c.source_contents,
                    dest: &c.dest,
                    chown: c.chown.as_ref(),
                    chmod: c.chmod.as_ref(),
                    parents: c.parents,
                    from: c.from.as_ref(),
                    exclude: &c.exclude,
                    keep_git_dir: false,
                };
                self.copy_step(state, step, ins, request)
            }
            InstructionKind::Add(a) => {
                let request = CopySpec {
                    add: true,
                    sources: &a.source_paths,
                    inline: &a.source_contents,
                    dest: &a.dest,
                    chown: a.chown.as_ref(),
                    chmod: a.chmod.as_ref(),
                    parents: false,
                    from: None,
                    exclude: &a.exclude,
                    keep_git_dir: a.keep_git_dir.unwrap_or(false),
                };
                self.copy_step(state, step, ins, request)
            }
        }
    }

    fn expand(&self, state: &StageState, word: &Word) -> Result<String, StepError> {
        let env = self.expansion_env(state);
        self.expand_with(&env, word)
    }

    fn expand_with(&self, env: &crate::expand::EnvList, word: &Word) -> Result<String, StepError> {
        self.lexer
            .process_word(&word.value, env)
            .map(|e| e.value)
            .map_err(|e| StepError {
                message: e.message,
                span: word.span,
            })
    }

    /// A config-only step: history entry, cache record, and (legacy) an intermediate image.
    fn metadata_step(
        &mut self,
        state: &mut StageState,
        step: usize,
        ins: &Instruction,
        history: HistoryStep,
    ) -> Result<(), StepError> {
        let key = StepKey::new(vec![KeyPart::Instruction(metadata_key_text(&history))]);
        // BuildKit: config-only steps never depend on earlier steps' results.
        let (parent, chained) = match self.kind() {
            // Keyed by position in the stage, so an edited LABEL is "changed" and a new one
            // "not cached yet".
            BuilderKind::BuildKit => {
                let position = step - self.stage_first_step(state.index);
                (format!("config:{}:{position}", state.base_key), false)
            }
            BuilderKind::Legacy => (state.cache_key.clone(), true),
        };
        let cached = self.lookup(&parent, chained, state.rebuilt, &key, step);
        let created = match &cached {
            Some(c) => c.created.clone(),
            None => self.timestamp(),
        };
        if cached.is_none() {
            self.engine.cache.insert(
                &parent,
                key.clone(),
                CachedStep {
                    created: created.clone(),
                    ..CachedStep::default()
                },
            );
        }
        let wrote = self.push_history(state, step, &history, created, true);
        let mut log = Vec::new();
        if self.kind() == BuilderKind::Legacy {
            state.cache_key = chain(&state.cache_key, &key);
            if cached.is_none() && self.changed(step) {
                state.rebuilt = true;
            }
            let id = self.commit_intermediate(state);
            let container = (cached.is_none()).then(|| container_id(&id));
            log = self.progress.step(progress::StepLog {
                name: &legacy_name(ins),
                cached: cached.is_some(),
                container: container.as_deref(),
                result: Some(&short(&id)),
                ..Default::default()
            });
        }
        let entry = &mut self.trace.steps[step];
        entry.history_index = wrote;
        entry.log.extend(log.clone());
        self.trace.log.extend(log);
        Ok(())
    }

    /// Appends the history entry a builder writes; returns its index.
    fn push_history(
        &mut self,
        state: &mut StageState,
        step: usize,
        history: &HistoryStep,
        created: String,
        empty_layer: bool,
    ) -> Option<usize> {
        let text = history_text(self.kind(), history, &state.shell)?;
        state.history.push(History {
            created,
            created_by: text.created_by,
            author: None,
            comment: text.comment.map(str::to_string),
            empty_layer,
        });
        state.history_steps.push(Some(step));
        Some(state.history.len() - 1)
    }

    /// Legacy builder: every step commits an untagged image on top of the previous one.
    fn commit_intermediate(&mut self, state: &mut StageState) -> crate::engine::layers::Digest {
        let created = state
            .history
            .last()
            .map(|h| h.created.clone())
            .unwrap_or_default();
        let mut config = state.config.clone();
        config.shell = (state.shell != super::default_shell()).then(|| state.shell.clone());
        let image = Image::new(
            created,
            config,
            state.diff_ids.clone(),
            state.history.clone(),
            state.parent_image.clone(),
        );
        let size = self
            .engine
            .layers
            .chain_size(state.top.as_ref())
            .unwrap_or(0);
        let fresh = !self.engine.images.contains(&image.id);
        let id = self.engine.images.insert(image, size);
        if fresh {
            if let Some(top) = &state.top {
                let _ = self.engine.layers.acquire(top);
            }
        }
        state.parent_image = Some(id.clone());
        id
    }

    /// A step that may change the filesystem: cache look-up, run, commit a layer.
    #[allow(clippy::too_many_arguments)]
    fn fs_step(
        &mut self,
        state: &mut StageState,
        step: usize,
        ins: &Instruction,
        key: StepKey,
        text: &str,
        history: HistoryStep,
        execute: Execute<'_>,
    ) -> Result<(), StepError> {
        let name = self.vertex_name(state, text);
        state.fs_step += 1;
        let parent = state.cache_key.clone();
        if let Some(cached) = self.lookup(&parent, true, state.rebuilt, &key, step) {
            state.unfetched_trees = cached.unfetched_trees.clone();
            let layer_trace = match &cached.layer {
                Some((layer, _)) => {
                    let changes = state.view.push_layer(layer.clone()).map(|_| ()).ok();
                    let _ = changes;
                    Some(self.register_layer(state, step, layer.clone(), Vec::new(), 0))
                }
                None => None,
            };
            let wrote = self.push_history(
                state,
                step,
                &history,
                cached.created.clone(),
                layer_trace.is_none(),
            );
            state.cache_key = chain(&state.cache_key, &key);
            let intermediate =
                (self.kind() == BuilderKind::Legacy).then(|| self.commit_intermediate(state));
            let log = self.progress.step(progress::StepLog {
                name: &self.step_name(&name, ins),
                cached: true,
                result: intermediate.as_ref().map(short).as_deref(),
                ..Default::default()
            });
            self.record_fs_step(step, layer_trace, wrote, log);
            return Ok(());
        }
        if self.changed(step) {
            state.rebuilt = true;
        }
        let now = self.engine.tick(1);
        state.view.set_time(now);
        let output = match execute(self, state) {
            Ok(output) => output,
            Err(error) => {
                state.view.discard_upper();
                let output = std::mem::take(&mut self.failed_output);
                let step_name = self.step_name(&name, ins);
                // BuildKit boxes every failed vertex with its last log lines, even none.
                self.failed_box = Some((step_name.clone(), output.clone()));
                let log = self.progress.step(progress::StepLog {
                    name: &step_name,
                    output: &output,
                    error: Some(&error.message),
                    container: Some("0123456789ab")
                        .filter(|_| self.kind() == BuilderKind::Legacy && is_run(ins)),
                    ..Default::default()
                });
                self.trace.steps[step].log = log.clone();
                self.trace.log.extend(log);
                return Err(error);
            }
        };
        let created = crate::engine::image::format_rfc3339(now);
        let empty = state.view.upper_is_empty();
        let (layer_trace, cached_layer) = if empty && self.kind() == BuilderKind::Legacy {
            state.view.discard_upper();
            (None, None)
        } else {
            let changes = state.view.changes();
            let total = changes.len();
            let layer = state.view.commit();
            let trace = self.register_layer(state, step, layer.clone(), changes, total);
            let diff = state
                .diff_ids
                .last()
                .cloned()
                .unwrap_or_else(|| crate::engine::layers::Digest::sha256(b""));
            (Some(trace), Some((layer, diff)))
        };
        let wrote = self.push_history(
            state,
            step,
            &history,
            created.clone(),
            layer_trace.is_none(),
        );
        self.engine.cache.insert(
            &state.cache_key,
            key.clone(),
            CachedStep {
                layer: cached_layer,
                created,
                unfetched_trees: state.unfetched_trees.clone(),
            },
        );
        state.cache_key = chain(&state.cache_key, &key);
        let intermediate =
            (self.kind() == BuilderKind::Legacy).then(|| self.commit_intermediate(state));
        let container = intermediate
            .as_ref()
            .filter(|_| is_run(ins) || matches!(ins.kind, InstructionKind::Workdir(_)))
            .map(container_id);
        let log = self.progress.step(progress::StepLog {
            name: &self.step_name(&name, ins),
            output: &output,
            container: container.as_deref(),
            result: intermediate.as_ref().map(short).as_deref(),
            ..Default::default()
        });
        self.record_fs_step(step, layer_trace, wrote, log);
        Ok(())
    }

    /// A filesystem step's layer, history entry and progress lines, in its trace entry and
    /// in the build's log.
    fn record_fs_step(
        &mut self,
        step: usize,
        layer: Option<LayerTrace>,
        history_index: Option<usize>,
        log: Vec<String>,
    ) {
        let entry = &mut self.trace.steps[step];
        entry.layer = layer;
        entry.history_index = history_index;
        entry.log = log.clone();
        self.trace.log.extend(log);
    }

    /// The step missed because something changed (not merely because nothing was cached
    /// from this state yet): later steps then start from a rebuilt state.
    fn changed(&self, step: usize) -> bool {
        !matches!(
            self.trace.steps[step].cause_kind,
            None | Some(super::cache::MissCause::NotCached)
        )
    }

    fn step_name(&self, vertex: &str, ins: &Instruction) -> String {
        match self.kind() {
            BuilderKind::BuildKit => vertex.to_string(),
            BuilderKind::Legacy => legacy_name(ins),
        }
    }

    /// Stores a committed layer and records it in the stage.
    fn register_layer(
        &mut self,
        state: &mut StageState,
        step: usize,
        layer: std::sync::Arc<crate::engine::vfs::Layer>,
        mut changes: Vec<crate::engine::vfs::Change>,
        total: usize,
    ) -> LayerTrace {
        let chain_id = match self
            .engine
            .layers
            .register(state.top.as_ref(), layer.clone())
        {
            Ok(id) => id,
            Err(_) => crate::engine::layers::chain_id(
                state.top.as_ref(),
                &crate::engine::layers::diff_id(&layer),
            ),
        };
        let stored = self.engine.layers.get(&chain_id);
        let diff_id = stored
            .map(|l| l.diff_id.clone())
            .unwrap_or_else(|| crate::engine::layers::diff_id(&layer));
        let size = stored.map_or(layer.size(), |l| l.size);
        state.top = Some(chain_id.clone());
        state.diff_ids.push(diff_id.clone());
        state.layer_steps.push(Some(step));
        changes.truncate(MAX_CHANGES);
        LayerTrace {
            empty: diff_id.as_str() == EMPTY_LAYER_DIFF_ID,
            diff_id: diff_id.as_str().to_string(),
            chain_id: chain_id.as_str().to_string(),
            size,
            changes,
            changes_total: total,
        }
    }

    fn workdir(
        &mut self,
        state: &mut StageState,
        step: usize,
        ins: &Instruction,
        word: &Word,
    ) -> Result<(), StepError> {
        let raw = self.expand(state, word)?;
        let base = if state.config.working_dir.is_empty() {
            "/".to_string()
        } else {
            state.config.working_dir.clone()
        };
        let joined = if raw.starts_with('/') {
            raw.clone()
        } else {
            format!("{base}/{raw}")
        };
        let path = crate::engine::glob::clean_path(&joined);
        state.config.working_dir = path.clone();
        let history = HistoryStep::Workdir(path.clone());
        if self.kind() == BuilderKind::BuildKit && path == "/" {
            return self.metadata_step(state, step, ins, history);
        }
        let owner = match self.kind() {
            BuilderKind::BuildKit if !state.config.user.is_empty() => {
                resolve_user(&state.view, &state.config.user).ok()
            }
            _ => None,
        };
        let key = StepKey::new(vec![
            KeyPart::Instruction(format!("WORKDIR {path}")),
            KeyPart::Setting("USER", state.config.user.clone()),
        ]);
        let target = path.clone();
        let execute: Execute<'_> = Box::new(move |_, state| {
            let existed = state.view.exists(&target);
            state
                .view
                .mkdir_all(&target, 0o755)
                .map_err(|e| StepError {
                    message: e.to_string(),
                    span: Span::default(),
                })?;
            if let (false, Some(cred)) = (existed, owner) {
                let _ = state.view.chown(&target, cred.uid, cred.gid, true);
            }
            Ok(Vec::new())
        });
        let text = format!("WORKDIR {raw}");
        self.fs_step(state, step, ins, key, &text, history, execute)
            .map_err(|e| with_span(e, ins.span))
    }

    fn run_step(
        &mut self,
        state: &mut StageState,
        step: usize,
        ins: &Instruction,
        line: &CommandLine,
        mounts: &[crate::syntax::instructions::MountFlag],
    ) -> Result<(), StepError> {
        let argv = if line.shell_form {
            let mut script = line
                .args
                .iter()
                .map(|w| w.value.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            for file in &line.files {
                script.push('\n');
                script.push_str(&file.data);
                script.push_str(&file.name);
            }
            let mut argv = state.shell.clone();
            argv.push(script);
            argv
        } else {
            line.args.iter().map(|w| w.value.clone()).collect()
        };
        let env = state.scope.run_env(&self.settings, &self.globals);
        let prefix = state
            .scope
            .run_history_prefix(&self.settings, &self.globals);
        let mut parts = vec![
            KeyPart::Instruction(argv.join(" ")),
            KeyPart::Setting("WORKDIR", state.config.working_dir.clone()),
            KeyPart::Setting("USER", state.config.user.clone()),
        ];
        for entry in state.scope.run_cache_env() {
            let (k, v) = split_entry(&entry);
            parts.push(KeyPart::Env(k.to_string(), v.to_string()));
        }
        for (k, v) in state.scope.args() {
            parts.push(KeyPart::Arg(k.clone(), v.clone().unwrap_or_default()));
        }
        for mount in mounts {
            parts.push(KeyPart::Setting("MOUNT", mount.raw.value.clone()));
            if mount
                .mount
                .as_ref()
                .is_some_and(|m| m.kind != crate::syntax::instructions::mount::MountType::Bind)
            {
                self.trace.diagnostics.push(Diagnostic::info(
                    "simplified-mount",
                    format!("`--mount={}`: the playground keeps what the command writes there in the layer; Docker keeps it out of the image", mount.raw.value),
                    mount.raw.span,
                ));
            }
        }
        let key = StepKey::new(parts);
        let history = HistoryStep::Run {
            argv: argv.clone(),
            prefix,
        };
        let display = match line.shell_form {
            true => format!("RUN {}", argv.last().cloned().unwrap_or_default()),
            false => format!("RUN {}", argv.join(" ")),
        };
        let word_span = line.args.first().map(|w| w.span);
        let script_len = argv.last().map_or(0, String::len);
        let ins_span = ins.span;
        let execute: Execute<'_> = Box::new(move |builder, state| {
            let user =
                resolve_user(&state.view, &state.config.user).map_err(|message| StepError {
                    message,
                    span: ins_span,
                })?;
            let now = state.view.time();
            let mut fs = OverlayFs::new(&mut state.view);
            let mut request = crate::engine::programs::process_request(argv.clone(), &fs);
            request.env = env
                .iter()
                .map(|e| split_entry(e))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            request.cwd = if state.config.working_dir.is_empty() {
                "/".into()
            } else {
                state.config.working_dir.clone()
            };
            request.user = user;
            request.now = now;
            request.unfetched_trees = state.unfetched_trees.clone();
            let outcome = shell::run(&request, &mut fs, crate::engine::programs::registry());
            state.unfetched_trees = outcome.unfetched_trees.clone();
            for event in &outcome.events {
                let span = match (event.span, word_span) {
                    (Some(s), Some(w)) if w.len() == script_len => {
                        Span::new(w.start + s.start, w.start + s.end)
                    }
                    _ => ins_span,
                };
                let diagnostic = match event.kind {
                    EventKind::NotSimulated => Diagnostic::warning(
                        "unsimulated-command",
                        format!("`{}` is not simulated; treated as a command that succeeds and changes nothing", event.command),
                        span,
                    ),
                    EventKind::Approximated => Diagnostic::info(
                        "approximated",
                        format!("`{}` is simulated approximately: {}", event.command, event.detail),
                        span,
                    ),
                };
                let diagnostic = match event.kind {
                    EventKind::NotSimulated => diagnostic.with_help(event.detail.clone()),
                    EventKind::Approximated => diagnostic,
                };
                add_note(&mut builder.trace.diagnostics, diagnostic, ins_span);
            }
            let output = interleaved_lines(&outcome.output);
            if !outcome.success() {
                builder.failed_output = output.clone();
            }
            if outcome.status == 127 {
                if let Some(hint) = missing_command_hint(&outcome, &fs, ins_span) {
                    builder.trace.diagnostics.push(hint);
                }
            }
            if let Some(abort) = &outcome.aborted {
                return Err(StepError {
                    message: abort.message.clone(),
                    span: ins_span,
                });
            }
            if outcome.status != 0 {
                let shown = argv.join(" ");
                let message = match builder.kind() {
                    BuilderKind::BuildKit => format!(
                        "process \"{shown}\" did not complete successfully: exit code: {}",
                        outcome.status
                    ),
                    BuilderKind::Legacy => format!(
                        "The command '{shown}' returned a non-zero code: {}",
                        outcome.status
                    ),
                };
                return Err(StepError {
                    message,
                    span: ins_span,
                });
            }
            Ok(output)
        });
        self.fs_step(state, step, ins, key, &display, history, execute)
    }

    fn copy_step(
        &mut self,
        state: &mut StageState,
        step: usize,
        ins: &Instruction,
        spec: CopySpec<'_>,
    ) -> Result<(), StepError> {
        let env = self.expansion_env(state);
        let mut sources = Vec::new();
        for word in spec.sources {
            sources.push(self.expand_with(&env, word)?);
        }
        let dest_raw = self.expand_with(&env, spec.dest)?;
        let chown = match spec.chown {
            Some(w) => Some(self.expand_with(&env, w)?),
            None => None,
        };
        let chmod = match spec.chmod {
            Some(w) => Some(self.expand_with(&env, w)?),
            None => None,
        };
        let workdir = if state.config.working_dir.is_empty() {
            "/".to_string()
        } else {
            state.config.working_dir.clone()
        };
        let mut dest = if dest_raw.starts_with('/') {
            dest_raw.clone()
        } else {
            format!("{}/{dest_raw}", workdir.trim_end_matches('/'))
        };
        if (dest_raw.ends_with('/') || dest_raw == "." || dest_raw.ends_with("/."))
            && !dest.ends_with('/')
        {
            dest = format!(
                "{}/",
                crate::engine::glob::clean_path(&dest).trim_end_matches('/')
            );
        }
        let keyword = if spec.add { "ADD" } else { "COPY" };
        let mut history = HistoryStep::Copy {
            add: spec.add,
            parents: spec.parents,
            chown: chown.clone(),
            chmod: chmod.clone(),
            sources: sources.clone(),
            heredocs: spec.inline.iter().map(|f| f.name.clone()).collect(),
            dest: dest_raw.clone(),
            legacy_source_hash: String::new(),
        };
        let mut text = keyword.to_string();
        if let Some(from) = spec.from {
            text.push_str(&format!(" --from={}", from.value));
        }
        for s in &sources {
            text.push_str(&format!(" {s}"));
        }
        text.push_str(&format!(" {dest_raw}"));
        let owner = match &chown {
            Some(spec) => Some(
                resolve_owner(&state.view, spec).map_err(|message| StepError {
                    message,
                    span: ins.span,
                })?,
            ),
            None => None,
        };
        let mode = match &chmod {
            Some(m) => Some(u32::from_str_radix(m, 8).map_err(|_| StepError {
                message: format!("invalid chmod parameter: '{m}'. it should be octal string and between 0 and 07777"),
                span: ins.span,
            })?),
            None => None,
        };
        // Where the sources come from.
        let from_view: Option<OverlayView> = match spec.from {
            None => None,
            Some(word) => {
                let reference = self.expand_with(&env, word)?;
                let refs: Vec<super::stages::StageRefs> = Vec::new();
                let _ = refs;
                Some(
                    self.source_view(state.index, &reference)
                        .map_err(|message| StepError {
                            message,
                            span: word.span,
                        })?,
                )
            }
        };
        let request = CopyRequest {
            add: spec.add,
            sources,
            inline: spec
                .inline
                .iter()
                .map(|f| (f.name.clone(), f.data.clone()))
                .collect(),
            dest,
            owner: owner.map(|c: Cred| (c.uid, c.gid)),
            chmod: mode,
            exclude: spec.exclude.iter().map(|w| w.value.clone()).collect(),
            keep_git_dir: spec.keep_git_dir,
            builder: self.kind(),
            now: self.engine.now(),
        };
        // The checksums of the sources are part of the key: compute them on a scratch view.
        let context = self.context;
        let source = match &from_view {
            Some(view) => Source::Fs(view),
            None => Source::Context(context),
        };
        let mut probe = OverlayView::new(Vec::new());
        let checksums = match copy(&mut probe, source, &request) {
            Ok(sums) => sums,
            Err(message) => {
                // The sources could not be read: the step fails before it runs.
                let name = self.vertex_name(state, &ins.code);
                let step_name = self.step_name(&name, ins);
                self.failed_box = Some((step_name.clone(), Vec::new()));
                let log = self.progress.step(progress::StepLog {
                    name: &step_name,
                    error: Some(&message),
                    ..Default::default()
                });
                self.trace.steps[step].log = log.clone();
                self.trace.log.extend(log);
                return Err(StepError {
                    message,
                    span: ins.span,
                });
            }
        };
        if let HistoryStep::Copy {
            legacy_source_hash, ..
        } = &mut history
        {
            *legacy_source_hash =
                legacy_hash(&checksums, from_view.is_none().then_some(self.context));
        }
        let mut parts = vec![KeyPart::Instruction(format!(
            "{text} {:?} {:?}",
            request.owner, request.chmod
        ))];
        for (path, sum) in &checksums {
            parts.push(KeyPart::Source(path.clone(), sum.clone()));
        }
        if from_view.is_none() && !self.context_sent && self.kind() == BuilderKind::BuildKit {
            self.context_sent = true;
            let lines = self.progress.context_transfer(self.context.total_size());
            self.trace.log.extend(lines);
        }
        let key = StepKey::new(parts);
        let git_dest = self.note_downloads(spec.add, spec.sources, &request);
        let execute: Execute<'_> = Box::new(move |builder, state| {
            let source = match &from_view {
                Some(view) => Source::Fs(view),
                None => Source::Context(builder.context),
            };
            let mut request = request;
            request.now = state.view.time();
            copy(&mut state.view, source, &request).map_err(|message| StepError {
                message,
                span: Span::default(),
            })?;
            if let Some(dir) = git_dest {
                state.unfetched_trees.push(dir);
            }
            Ok(Vec::new())
        });
        let display = ins.code.clone();
        self.fs_step(state, step, ins, key, &display, history, execute)
            .map_err(|e| with_span(e, ins.span))
    }

    /// ADD's remote sources have no content here: a note on each URL and Git source says
    /// so. Returns the directory a Git checkout lands in (an unfetched source tree).
    fn note_downloads(
        &mut self,
        add: bool,
        words: &[Word],
        request: &CopyRequest,
    ) -> Option<String> {
        if !add {
            return None;
        }
        let dest = request.dest_dir();
        let mut git_dest = None;
        for (word, source) in words.iter().zip(&request.sources) {
            let message = if super::copy::is_git_ref(source) {
                git_dest = Some(dest.to_string());
                format!(
                    "`ADD` does not fetch {source} in the playground: {dest} is an empty directory here; Docker puts the repository's checkout there{}",
                    if request.keep_git_dir { ", with its .git directory" } else { " (without .git)" }
                )
            } else if super::copy::is_url(source) {
                format!(
                    "`ADD` does not download {source} in the playground: the file is a 1 kB stand-in of unknown content (mode 600, as Docker sets it)"
                )
            } else {
                continue;
            };
            add_note(
                &mut self.trace.diagnostics,
                Diagnostic::info("approximated", message, word.span),
                word.span,
            );
        }
        git_dest
    }

    /// The filesystem `--from=x` reads: a built stage, or an image (pulled if needed).
    fn source_view(&mut self, current: usize, reference: &str) -> Result<OverlayView, String> {
        let wanted = reference.to_ascii_lowercase();
        let by_name = self
            .results
            .iter()
            .flatten()
            .find(|s| s.name.as_deref() == Some(wanted.as_str()))
            .map(|s| s.view.clone());
        if let Some(view) = by_name {
            return Ok(view);
        }
        if let Ok(n) = reference.parse::<usize>() {
            if n < current {
                if let Some(Some(state)) = self.results.get(n) {
                    return Ok(state.view.clone());
                }
            }
        }
        let (stored, _) = self
            .engine
            .obtain_image(reference)
            .map_err(|e| e.to_string())?;
        self.engine
            .layers
            .view(stored.chain.last())
            .map_err(|e| e.to_string())
    }
}

/// COPY and ADD as one shape.
struct CopySpec<'a> {
    add: bool,
    sources: &'a [Word],
    inline: &'a [crate::syntax::instructions::InlineFile],
    dest: &'a Word,
    chown: Option<&'a Word>,
    chmod: Option<&'a Word>,
    parents: bool,
    from: Option<&'a Word>,
    exclude: &'a [Word],
    keep_git_dir: bool,
}

/// The legacy builder's `file:<hash>` / `dir:<hash>` / `multi:<hash>` source text. The hash
/// stands in for Docker's tarsum of the sources: same shape, our own digest.
fn legacy_hash(
    checksums: &[(String, String)],
    context: Option<&super::context::BuildContext>,
) -> String {
    let joined: Vec<String> = checksums.iter().map(|(p, s)| format!("{p}:{s}")).collect();
    let hex = crate::engine::layers::Digest::sha256(joined.join("\n").as_bytes())
        .hex()
        .to_string();
    let kind = match (checksums, context) {
        ([(path, _)], Some(ctx)) if ctx.kind(path) == Some(super::context::ContextKind::Dir) => {
            "dir"
        }
        ([_], _) => "file",
        _ => "multi",
    };
    format!("{kind}:{hex}")
}

fn with_span(mut error: StepError, span: Span) -> StepError {
    if error.span == Span::default() {
        error.span = span;
    }
    error
}

fn is_run(ins: &Instruction) -> bool {
    matches!(ins.kind, InstructionKind::Run(_))
}

fn pairs_text(keyword: &str, pairs: &[(String, String)]) -> String {
    let words: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{keyword} {}", words.join(" "))
}

/// The cache-key text of a config-only step: its instruction with the values expanded.
fn metadata_key_text(history: &HistoryStep) -> String {
    match history {
        HistoryStep::Env(pairs) => pairs_text("ENV", pairs),
        HistoryStep::Label(pairs) => pairs_text("LABEL", pairs),
        HistoryStep::Arg(words) => format!("ARG {}", words.join(" ")),
        HistoryStep::User(user) => format!("USER {user}"),
        HistoryStep::Expose { words, .. } => format!("EXPOSE {}", words.join(" ")),
        HistoryStep::Volume(paths) => format!("VOLUME {}", paths.join(" ")),
        HistoryStep::StopSignal(signal) => format!("STOPSIGNAL {signal}"),
        HistoryStep::Maintainer(name) => format!("MAINTAINER {name}"),
        HistoryStep::Shell(shell) => format!("SHELL {shell:?}"),
        HistoryStep::Cmd(argv) => format!("CMD {argv:?}"),
        HistoryStep::Entrypoint(argv) => format!("ENTRYPOINT {argv:?}"),
        HistoryStep::Healthcheck(text) => format!("HEALTHCHECK {text}"),
        HistoryStep::Onbuild(trigger) => format!("ONBUILD {trigger}"),
        HistoryStep::Workdir(path) => format!("WORKDIR {path}"),
        // Filesystem steps key on their inputs, not on this text (see `fs_step`).
        HistoryStep::Run { .. } | HistoryStep::Copy { .. } => String::new(),
    }
}

/// `CMD`/`ENTRYPOINT` as stored: shell form wraps the text in the current SHELL.
fn command_argv(shell: &[String], line: &CommandLine) -> Vec<String> {
    let words: Vec<String> = line.args.iter().map(|w| w.value.clone()).collect();
    if line.shell_form {
        let mut argv = shell.to_vec();
        argv.push(words.join(" "));
        argv
    } else {
        words
    }
}

/// `80` → `80/tcp`; `53/udp` stays.
fn port_key(spec: &str) -> String {
    let container = spec.rsplit(':').next().unwrap_or(spec);
    if container.contains('/') {
        container.to_ascii_lowercase()
    } else {
        format!("{container}/tcp")
    }
}

/// The instruction as the legacy builder prints it in `Step n/m : …`.
fn legacy_name(ins: &Instruction) -> String {
    ins.code.lines().next().unwrap_or_default().to_string()
}

fn short(id: &crate::engine::layers::Digest) -> String {
    id.hex().chars().take(12).collect()
}

/// A deterministic intermediate-container id for the legacy log.
fn container_id(image: &crate::engine::layers::Digest) -> String {
    crate::engine::layers::Digest::sha256(format!("container {}", image.as_str()).as_bytes())
        .hex()
        .chars()
        .take(12)
        .collect()
}

/// USER `name[:group]` or `uid[:gid]` against the stage's /etc/passwd and /etc/group.
fn resolve_user(view: &OverlayView, spec: &str) -> Result<Cred, String> {
    if spec.is_empty() {
        return Ok(Cred::root());
    }
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let passwd = read_text(view, "/etc/passwd");
    let (uid, primary) = match user.parse::<u32>() {
        Ok(uid) => (
            uid,
            lookup_id(
                &passwd,
                |f| f.get(2).and_then(|u| u.parse().ok()) == Some(uid),
                3,
            )
            .unwrap_or(0),
        ),
        Err(_) => {
            let found = passwd
                .lines()
                .map(|l| l.split(':').collect::<Vec<_>>())
                .find(|f| f.first() == Some(&user));
            match found {
                Some(f) => (
                    f.get(2).and_then(|v| v.parse().ok()).unwrap_or(0),
                    f.get(3).and_then(|v| v.parse().ok()).unwrap_or(0),
                ),
                None => {
                    return Err(format!(
                        "unable to find user {user}: no matching entries in passwd file"
                    ))
                }
            }
        }
    };
    let gid = match group {
        None => primary,
        Some(g) => match g.parse::<u32>() {
            Ok(gid) => gid,
            Err(_) => {
                let groups = read_text(view, "/etc/group");
                lookup_id(&groups, |f| f.first() == Some(&g), 2).ok_or_else(|| {
                    format!("unable to find group {g}: no matching entries in group file")
                })?
            }
        },
    };
    Ok(Cred {
        uid,
        gid,
        groups: Vec::new(),
    })
}

/// `--chown=user[:group]`: a user alone sets the group to the same numeric id when numeric.
fn resolve_owner(view: &OverlayView, spec: &str) -> Result<Cred, String> {
    match spec.split_once(':') {
        None => match spec.parse::<u32>() {
            Ok(uid) => Ok(Cred {
                uid,
                gid: uid,
                groups: Vec::new(),
            }),
            Err(_) => resolve_user(view, spec),
        },
        Some(_) => resolve_user(view, spec),
    }
}

fn lookup_id(text: &str, matches: impl Fn(&[&str]) -> bool, field: usize) -> Option<u32> {
    text.lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .find(|f| matches(f))
        .and_then(|f| f.get(field).and_then(|v| v.parse().ok()))
}

fn read_text(view: &OverlayView, path: &str) -> String {
    view.read(path)
        .ok()
        .and_then(|c| c.bytes().map(|b| String::from_utf8_lossy(b).into_owned()))
        .unwrap_or_default()
}

/// Adds a note of the RUN at `run` unless a note of the same RUN already says it; a note
/// that says more than an earlier one (`apt-get update`'s inside `apt-get install`'s)
/// replaces it.
fn add_note(diagnostics: &mut Vec<Diagnostic>, note: Diagnostic, run: Span) {
    // Warnings keep one entry per command, so each command is underlined.
    if note.code != "approximated" {
        if !diagnostics.contains(&note) {
            diagnostics.push(note);
        }
        return;
    }
    let inside = |span: Span| span.start >= run.start && span.end <= run.end;
    let same_place = |d: &Diagnostic| d.code == note.code && inside(d.span) && inside(note.span);
    if diagnostics
        .iter()
        .any(|d| same_place(d) && d.message.contains(note.message.as_str()))
    {
        return;
    }
    if let Some(shorter) = diagnostics
        .iter_mut()
        .find(|d| same_place(d) && note.message.contains(d.message.as_str()))
    {
        *shorter = note;
        return;
    }
    diagnostics.push(note);
}

/// For a RUN that failed with the shell's "not found": which command is missing and, when
/// the image's package index knows it, the install line that brings it.
fn missing_command_hint(
    outcome: &shell::RunOutcome,
    fs: &OverlayFs<'_>,
    span: Span,
) -> Option<Diagnostic> {
    let stderr = String::from_utf8_lossy(&outcome.stderr()).into_owned();
    let name = stderr.lines().rev().find_map(|line| {
        let rest = line
            .strip_suffix(": command not found")
            .or_else(|| line.strip_suffix(": not found"))?;
        Some(rest.rsplit(": ").next().unwrap_or(rest).to_string())
    })?;
    if name.is_empty() || name.contains(' ') {
        return None;
    }
    let os_release = match shell::ShellFs::read_file(fs, "/etc/os-release") {
        Ok(shell::Content::Bytes(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
        _ => String::new(),
    };
    let message = format!("`{name}` is not installed in this image");
    let help = match crate::engine::packages::hint::install_hint(&os_release, &name) {
        Some(install) => format!("Install it before using it, in this RUN or an earlier one: `{install}`"),
        None if name.contains('/') => "No file exists at that path in the image.".to_string(),
        None => format!("No program called `{name}` is on the image's PATH: install the package that provides it first, or check the spelling."),
    };
    Some(Diagnostic::info("missing-command", message, span).with_help(help))
}

/// The RUN's output as the log shows it: whole lines in the order they were written, each
/// stream's partial line kept apart until its newline (BuildKit streams both into one log).
fn interleaved_lines(chunks: &[crate::engine::shell::OutputChunk]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut partial: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
    for chunk in chunks {
        let buffer =
            &mut partial[usize::from(chunk.stream != crate::engine::shell::Stream::Stdout)];
        for &byte in &chunk.bytes {
            if byte == b'\n' {
                lines.push(String::from_utf8_lossy(buffer).into_owned());
                buffer.clear();
            } else {
                buffer.push(byte);
            }
        }
    }
    for rest in partial.iter().filter(|p| !p.is_empty()) {
        lines.push(String::from_utf8_lossy(rest).into_owned());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::vfs::WriteMode;

    #[test]
    fn a_runs_notes_keep_the_most_detailed_approximation() {
        let run = Span::new(10, 60);
        let note =
            |code, msg: &str, start| Diagnostic::info(code, msg, Span::new(start, start + 5));
        let mut notes = Vec::new();
        for (code, message, start, within) in [
            ("approximated", "times are invented", 14, run),
            (
                "approximated",
                "times are invented; order estimated",
                30,
                run,
            ),
            ("approximated", "times are invented", 40, run),
            ("approximated", "times are invented", 70, Span::new(65, 90)),
            ("unsimulated-command", "`x` is not simulated", 14, run),
            ("unsimulated-command", "`x` is not simulated", 40, run),
        ] {
            add_note(&mut notes, note(code, message, start), within);
        }
        let shown: Vec<(&str, usize)> = notes
            .iter()
            .map(|d| (d.message.as_str(), d.span.start))
            .collect();
        assert_eq!(
            shown,
            [
                ("times are invented; order estimated", 30),
                ("times are invented", 70),
                ("`x` is not simulated", 14),
                ("`x` is not simulated", 40),
            ]
        );
    }

    #[test]
    fn ports_default_to_tcp() {
        assert_eq!(port_key("80"), "80/tcp");
        assert_eq!(port_key("53/UDP"), "53/udp");
        assert_eq!(port_key("8080:80"), "80/tcp");
    }

    #[test]
    fn users_resolve_from_passwd() {
        let mut view = OverlayView::new(vec![]);
        view.mkdir_all("/etc", 0o755).unwrap();
        view.write_bytes(
            "/etc/passwd",
            b"root:x:0:0::/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n",
            WriteMode::Truncate,
        )
        .unwrap();
        view.write_bytes(
            "/etc/group",
            b"root:x:0:\nnode:x:1000:\nstaff:x:50:\n",
            WriteMode::Truncate,
        )
        .unwrap();
        let cred = resolve_user(&view, "node").unwrap();
        assert_eq!((cred.uid, cred.gid), (1000, 1000));
        let cred = resolve_user(&view, "node:staff").unwrap();
        assert_eq!((cred.uid, cred.gid), (1000, 50));
        assert_eq!(
            resolve_user(&view, "nobody").unwrap_err(),
            "unable to find user nobody: no matching entries in passwd file"
        );
        let cred = resolve_owner(&view, "1234").unwrap();
        assert_eq!((cred.uid, cred.gid), (1234, 1234));
    }
}
