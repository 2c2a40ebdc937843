//! The docker console over the engine: [`EngineBackend`] implements the console's
//! [`DockerBackend`] with the in-memory [`Engine`], and [`execute_line`] runs one console
//! line (`docker …`, the `docker` prefix optional, `DOCKER_BUILDKIT=0` as a line prefix)
//! the way docker/cli v28.5.2 talking to a Docker Engine v28.5.2 daemon would.
//!
//! Owns: the session's docker-side state ([`DockerState`]: the build sources `docker build`
//! reads, BuildKit's local-source cache records, when images were last tagged) and the
//! mapping engine → view models ([`views`]) and engine cache → BuildKit records
//! ([`build_cache`]).
//!
//! Decisions (documented where Docker versions disagree):
//! * `docker rm` of a running container: the v28.5.2 daemon names the container the way
//!   the user typed it, quoted (`cannot remove container "web": container is running: …`);
//!   daemons before v28.2 printed the stored name with its slash (`"/web"`).
//! * `docker system df`: a v28 daemon (API 1.51) sends `LayersSize` and the per-image
//!   `Size`/`SharedSize`/`Containers`; the docker/cli v28.5.2 client computes the summary
//!   rows, so the Images RECLAIMABLE is `LayersSize − Σ(Size − SharedSize)` over images
//!   *with* containers (docker-semantics §6.2 describes the v29 daemon-side figure, `Σ(Size −
//!   SharedSize)` over images *without* containers; the two differ when images share layers).
//! * Time: the console has the engine's logical clock only. One second passes before every
//!   command (a person types), so CREATED / STATUS columns move like in a real session.
//! * `docker build` progress: `auto` is `plain`, because the console is not a terminal
//!   (buildx picks plain output when stderr is no TTY); `tty` is shown as plain with a note.
//!   `DOCKER_BUILDKIT=0` selects the legacy builder and docker/cli's deprecation notice.
//!
//! Invariants: no panics on any line; every method answers from the engine's state only.

mod build_cache;
mod views;

pub use build_cache::LocalSources;

use crate::docker_cli::{
    self, BuildOptions, CommandOutput, CommitOptions, CreateOutcome, CreateResult, DaemonError,
    DiskUsage, DockerBackend, ExecOptions, FilesystemChange, HistoryItem, ImageInspect,
    ImageSummary, LogicalTime, Port, ProcessOutput, PruneReport, PullLog, RunOptions, RunOutcome,
    RunResult, ServerVersion, SystemInfo,
};
use crate::engine::builder::context::BuildContext;
use crate::engine::builder::trace::BuildTrace;
use crate::engine::builder::{self, BuildOptions as EngineBuildOptions};
use crate::engine::container::{
    pull_progress_lines, CommitConfig, ExecConfig, PullAttempt, RunConfig,
};
use crate::engine::daemon::Engine;
use crate::engine::image::Reference;
use crate::engine::layers::Digest;
use crate::engine::vfs::Time;
use crate::expand::scope::BuilderKind;
use std::collections::BTreeMap;

/// What `docker build` reads: the editor's Dockerfile (the default `./Dockerfile`) and the
/// files of the build context, by relative path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildSources {
    pub dockerfile: Option<String>,
    pub files: BTreeMap<String, Vec<u8>>,
}

/// The docker side of a session, kept between console lines.
#[derive(Debug, Clone, Default)]
pub struct DockerState {
    pub sources: BuildSources,
    local_sources: LocalSources,
    /// When each image was last tagged locally (`Metadata.LastTagTime`).
    tag_times: BTreeMap<Digest, Time>,
    /// Ports published with `-p`, by container id (the engine has no network).
    published: BTreeMap<String, Vec<Port>>,
    /// Host ports handed out for `-p CONTAINERPORT` (Docker's ephemeral range).
    next_ephemeral: u16,
}

impl DockerState {
    /// Builds in `engine` and keeps what Docker would remember about the build (BuildKit's
    /// local sources, the tag time of the result).
    pub fn build(
        &mut self,
        engine: &mut Engine,
        dockerfile: &str,
        context: &BuildContext,
        options: &EngineBuildOptions,
    ) -> BuildTrace {
        let trace = builder::build(engine, dockerfile, context, options);
        let now = engine.now();
        self.local_sources
            .record_build(&trace, dockerfile, context.total_size(), now);
        if let Some(image) = &trace.image {
            if !options.tags.is_empty() {
                if let Some(id) = Digest::parse(&image.id) {
                    self.tag_times.insert(id, now);
                }
            }
        }
        trace
    }
}

/// The engine as the docker console sees it, for one command.
#[derive(Debug)]
pub struct EngineBackend<'a> {
    engine: &'a mut Engine,
    state: &'a mut DockerState,
    /// Which builder `docker build` uses (`DOCKER_BUILDKIT=0` selects the legacy one).
    builder: BuilderKind,
}

impl<'a> EngineBackend<'a> {
    pub fn new(engine: &'a mut Engine, state: &'a mut DockerState, builder: BuilderKind) -> Self {
        Self {
            engine,
            state,
            builder,
        }
    }
}

/// One `-p` value (go-connections `ParsePortSpec`, single ports only):
/// `[ip:][hostPort:]containerPort[/proto]`. `None` for the host port means "any free port".
#[derive(Debug, Clone, PartialEq, Eq)]
struct PortSpec {
    ip: Option<String>,
    host: Option<u16>,
    container: u16,
    proto: String,
}

fn parse_port(text: &str, what: &str) -> Result<u16, String> {
    if text.contains('-') {
        return Err(format!(
            "the playground does not emulate port ranges ({text})"
        ));
    }
    text.parse::<u16>()
        .ok()
        .filter(|p| *p > 0 || what == "hostPort")
        .ok_or_else(|| format!("invalid {what}: {text}"))
}

fn parse_port_spec(spec: &str) -> Result<PortSpec, String> {
    let (rest, proto) = match spec.rsplit_once('/') {
        Some((rest, proto)) => (rest, proto.to_ascii_lowercase()),
        None => (spec, "tcp".to_string()),
    };
    if !matches!(proto.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!("invalid proto: {proto}"));
    }
    let parts: Vec<&str> = rest.rsplitn(3, ':').collect();
    let (ip, host, container) = match parts.as_slice() {
        [c] => (None, None, *c),
        [c, h] => (None, Some(*h), *c),
        [c, h, ip] => (Some(*ip), Some(*h), *c),
        _ => {
            return Err(format!(
                "invalid port specification: {}",
                crate::text::go_quote(spec)
            ))
        }
    };
    let ip = ip
        .map(|i| i.trim_start_matches('[').trim_end_matches(']').to_string())
        .filter(|i| !i.is_empty());
    if let Some(i) = &ip {
        if i.parse::<std::net::IpAddr>().is_err() {
            return Err(format!("invalid IP address: {i}"));
        }
    }
    Ok(PortSpec {
        ip,
        host: match host.filter(|h| !h.is_empty()) {
            Some(h) => Some(parse_port(h, "hostPort")?),
            None => None,
        },
        container: parse_port(container, "containerPort")?,
        proto,
    })
}

/// docker/cli's notice when `DOCKER_BUILDKIT=0` selects the legacy builder.
const BUILDKIT_DISABLED_WARNING: &str = "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n            BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0\n            environment-variable.\n\n";

/// Go's `strconv.ParseBool`.
fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Splits leading `NAME=value` words (a shell's environment prefix) off a console line.
fn env_prefix(line: &str) -> (Vec<(String, String)>, &str) {
    let mut rest = line.trim_start();
    let mut env = Vec::new();
    loop {
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..word_end];
        let Some((name, value)) = word.split_once('=') else {
            break;
        };
        let valid_name = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid_name {
            break;
        }
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        env.push((name.to_string(), value.to_string()));
        rest = rest[word_end..].trim_start();
    }
    (env, rest)
}

/// The ports a container published (empty if none).
fn ports_of<'a>(published: &'a BTreeMap<String, Vec<Port>>, id: &str) -> &'a [Port] {
    published.get(id).map_or(&[], Vec::as_slice)
}

/// Runs one console line against the engine: one second of logical time passes first.
pub fn execute_line(engine: &mut Engine, state: &mut DockerState, line: &str) -> CommandOutput {
    let (env, command) = env_prefix(line);
    let mut builder = BuilderKind::BuildKit;
    if let Some((_, value)) = env.iter().rev().find(|(k, _)| k == "DOCKER_BUILDKIT") {
        if !value.is_empty() {
            match parse_bool(value) {
                Some(true) => builder = BuilderKind::BuildKit,
                Some(false) => builder = BuilderKind::Legacy,
                None => {
                    return CommandOutput::error(
                        format!("DOCKER_BUILDKIT environment variable expects boolean value: strconv.ParseBool: parsing {}: invalid syntax\n", crate::text::go_quote(value)),
                        1,
                    )
                }
            }
        }
    }
    engine.tick(1);
    let now = LogicalTime::from_unix(engine.now());
    let mut backend = EngineBackend::new(engine, state, builder);
    docker_cli::execute(command, &mut backend, now)
}

/// A console line and its output as a terminal shows them: `$ line`, then what the
/// command printed. A `docker run`/`create` pull log (stderr) comes before the
/// container's output; otherwise stdout comes first, then stderr.
pub fn transcript(line: &str, output: &CommandOutput) -> String {
    let mut out = format!("$ {line}\n");
    let (pull, stderr) = split_pull_log(&output.stderr);
    out.push_str(pull);
    out.push_str(&output.stdout);
    out.push_str(stderr);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    // The simulation's notes are not docker output: marked so nobody mistakes them for it.
    for note in &output.notes {
        out.push_str(&format!("[playground] {note}\n"));
    }
    out
}

/// What a terminal shows before stdout: the pull log of `docker run`/`create`, or
/// docker/cli's legacy-builder notice (printed before the build starts).
pub fn split_pull_log(stderr: &str) -> (&str, &str) {
    if let Some(rest) = stderr.strip_prefix(BUILDKIT_DISABLED_WARNING) {
        return stderr.split_at(stderr.len() - rest.len());
    }
    if !stderr.starts_with("Unable to find image '") {
        return ("", stderr);
    }
    let mut end = 0;
    for line in stderr.split_inclusive('\n') {
        end += line.len();
        if line.starts_with("Status: ") {
            return stderr.split_at(end);
        }
    }
    // A failed pull: the first line only.
    let first = stderr.find('\n').map_or(stderr.len(), |i| i + 1);
    stderr.split_at(first)
}

fn clean_relative(path: &str) -> String {
    let cleaned = crate::engine::glob::clean_path(&format!("/{path}"));
    cleaned.trim_start_matches('/').to_string()
}

/// The build's inputs: the Dockerfile text, its name, the context files.
struct Inputs {
    dockerfile: String,
    dockerfile_name: String,
    files: Vec<(String, Vec<u8>)>,
}

impl EngineBackend<'_> {
    fn is_legacy(&self) -> bool {
        self.builder == BuilderKind::Legacy
    }

    /// The error text of a build that could not start, as each builder words it.
    fn build_error(&self, message: &str) -> ProcessOutput {
        let stderr = if self.is_legacy() {
            format!("{BUILDKIT_DISABLED_WARNING}{message}\n")
        } else {
            format!("ERROR: failed to build: {message}\n")
        };
        ProcessOutput {
            stdout: String::new(),
            stderr,
            exit_code: 1,
            notes: Vec::new(),
        }
    }

    fn build_inputs(&self, o: &BuildOptions) -> Result<Inputs, ProcessOutput> {
        let context = o.context.trim();
        if context == "-" || context.contains("://") || context.starts_with("git@") {
            return Err(self.build_error(&format!(
                "the playground builds from the session's files only, not from {}",
                crate::text::go_quote(context)
            )));
        }
        let root = clean_relative(context);
        let sources = &self.state.sources;
        let prefix = if root.is_empty() {
            String::new()
        } else {
            format!("{root}/")
        };
        let files: Vec<(String, Vec<u8>)> = sources
            .files
            .iter()
            .filter_map(|(p, b)| {
                let p = clean_relative(p);
                p.strip_prefix(&prefix)
                    .filter(|rest| !rest.is_empty())
                    .map(|rest| (rest.to_string(), b.clone()))
            })
            .collect();
        if !root.is_empty() && files.is_empty() {
            return Err(self.build_error(&format!(
                "unable to prepare context: path {} not found",
                crate::text::go_quote(context)
            )));
        }
        let missing = |name: &str| {
            let message = if self.is_legacy() {
                format!("unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat {name}: no such file or directory")
            } else {
                format!("failed to solve: failed to read dockerfile: open {name}: no such file or directory")
            };
            self.build_error(&message)
        };
        let (dockerfile, name) = match o.file.as_deref().filter(|f| !f.is_empty()) {
            Some(file) => {
                let path = clean_relative(file);
                match sources
                    .files
                    .iter()
                    .find(|(p, _)| clean_relative(p) == path)
                {
                    Some((_, bytes)) => (String::from_utf8_lossy(bytes).into_owned(), path),
                    None => return Err(missing(file)),
                }
            }
            None => {
                let path = format!("{prefix}Dockerfile");
                let from_editor = sources.dockerfile.as_ref().filter(|_| root.is_empty());
                let from_files = sources
                    .files
                    .iter()
                    .find(|(p, _)| clean_relative(p) == path)
                    .map(|(_, b)| String::from_utf8_lossy(b).into_owned());
                match from_editor.cloned().or(from_files) {
                    Some(text) => (text, path),
                    None => return Err(missing("Dockerfile")),
                }
            }
        };
        let dockerfile_name = name.rsplit('/').next().unwrap_or("Dockerfile").to_string();
        Ok(Inputs {
            dockerfile,
            dockerfile_name,
            files,
        })
    }

    fn engine_build_options(&self, o: &BuildOptions) -> Result<EngineBuildOptions, ProcessOutput> {
        for tag in &o.tags {
            if let Err(e) = Reference::parse(tag) {
                if self.is_legacy() {
                    return Err(ProcessOutput {
                        stdout: String::new(),
                        stderr: format!("{BUILDKIT_DISABLED_WARNING}invalid argument {} for \"-t, --tag\" flag: {e}\n\nUsage:  docker build [OPTIONS] PATH | URL | -\n\nRun 'docker build --help' for more information\n", crate::text::go_quote(tag)),
                        exit_code: 125,
                        notes: Vec::new(),
                    });
                }
                return Err(
                    self.build_error(&format!("invalid tag {}: {e}", crate::text::go_quote(tag)))
                );
            }
        }
        let mut build_args = BTreeMap::new();
        for arg in &o.build_args {
            // A bare `KEY` takes the client's environment, which the console does not have.
            if let Some((k, v)) = arg.split_once('=') {
                build_args.insert(k.to_string(), v.to_string());
            }
        }
        Ok(EngineBuildOptions {
            builder: self.builder,
            target: o.target.clone().filter(|t| !t.is_empty()),
            build_args,
            no_cache: o.no_cache,
            tags: o.tags.clone(),
        })
    }

    /// Prints a finished build the way the chosen builder's client does.
    fn render_build(&self, o: &BuildOptions, trace: &BuildTrace) -> ProcessOutput {
        let quiet = o.quiet || o.progress == "quiet";
        let id = trace.image.as_ref().map(|i| i.id.clone());
        let mut out = ProcessOutput {
            exit_code: if trace.ok { 0 } else { 1 },
            ..ProcessOutput::default()
        };
        let mut log: Vec<&str> = trace.log.iter().map(String::as_str).collect();
        if self.is_legacy() {
            // docker/cli prints its own notice; the stream comes from the daemon on stdout.
            if log.first().is_some_and(|l| l.starts_with("DEPRECATED:")) {
                let blank = log.iter().position(|l| l.is_empty()).unwrap_or(0);
                log.drain(..=blank);
            }
            out.stderr.push_str(BUILDKIT_DISABLED_WARNING);
            if !quiet {
                for line in &log {
                    out.stdout.push_str(line);
                    out.stdout.push('\n');
                }
            }
            if let (true, Some(id)) = (quiet && trace.ok, &id) {
                out.stdout.push_str(id);
                out.stdout.push('\n');
            }
            if let Some(error) = &trace.error {
                if !log.iter().any(|l| l == error) {
                    out.stderr.push_str(error);
                    out.stderr.push('\n');
                }
            }
            return out;
        }
        if o.progress == "tty" {
            out.stderr
                .push_str("(the playground console is not a terminal: showing --progress=plain)\n");
        }
        if !quiet || !trace.ok {
            for line in &log {
                out.stderr.push_str(line);
                out.stderr.push('\n');
            }
        }
        if let (true, Some(id)) = (quiet && trace.ok, &id) {
            out.stdout.push_str(id);
            out.stdout.push('\n');
        }
        out
    }

    /// The `-p` values, checked before anything is created (as the client does).
    fn port_specs(o: &RunOptions) -> Result<Vec<PortSpec>, DaemonError> {
        o.publish
            .iter()
            .map(|p| parse_port_spec(p).map_err(DaemonError::Client))
            .collect()
    }

    /// Records the host ports of a new container: without an address, Docker binds IPv4
    /// and IPv6 (`0.0.0.0:8080->80/tcp, [::]:8080->80/tcp`).
    fn publish(&mut self, id: &str, specs: &[PortSpec]) {
        let mut ports = Vec::new();
        for spec in specs {
            let host = match spec.host.filter(|h| *h > 0) {
                Some(h) => h,
                None => {
                    let h = 32768u16.saturating_add(self.state.next_ephemeral);
                    self.state.next_ephemeral = self.state.next_ephemeral.saturating_add(1);
                    h
                }
            };
            let ips = match &spec.ip {
                Some(ip) => vec![ip.clone()],
                None => vec!["0.0.0.0".to_string(), "::".to_string()],
            };
            for ip in ips {
                ports.push(Port {
                    ip,
                    private_port: spec.container,
                    public_port: host,
                    kind: spec.proto.clone(),
                });
            }
        }
        if !ports.is_empty() {
            self.state.published.insert(id.to_string(), ports);
        }
    }

    fn run_config(o: &RunOptions, specs: &[PortSpec]) -> RunConfig {
        let mut expose = o.expose.clone();
        // A published port is exposed too.
        expose.extend(specs.iter().map(|p| format!("{}/{}", p.container, p.proto)));
        RunConfig {
            image: o.image.clone(),
            command: o.command.clone(),
            name: o.name.clone().filter(|n| !n.is_empty()),
            // `-e KEY` without a value takes the client's environment: none here.
            env: o.env.iter().filter(|e| e.contains('=')).cloned().collect(),
            workdir: o.workdir.clone().filter(|w| !w.is_empty()),
            user: o.user.clone().filter(|u| !u.is_empty()),
            entrypoint: o.entrypoint.clone(),
            hostname: o.hostname.clone().filter(|h| !h.is_empty()),
            labels: o.labels.clone(),
            expose,
            detach: o.detach,
            auto_remove: o.rm,
            interactive: o.interactive,
            tty: o.tty,
        }
    }

    fn pull_log(pull: Option<PullAttempt>) -> Option<PullLog> {
        pull.map(|p| PullLog {
            lines: p
                .result
                .as_ref()
                .map(pull_progress_lines)
                .unwrap_or_default(),
            reference: p.reference,
        })
    }

    fn find_image(
        &self,
        reference: &str,
    ) -> Result<crate::engine::image::StoredImage, DaemonError> {
        self.engine
            .images
            .resolve(reference)
            .cloned()
            .map_err(|e| match e {
                crate::engine::image::ImageError::NotFound(_) => {
                    DaemonError::NoSuchImage(reference.to_string())
                }
                other => views::image_error(other),
            })
    }
}

impl DockerBackend for EngineBackend<'_> {
    fn build(&mut self, options: &BuildOptions) -> ProcessOutput {
        let inputs = match self.build_inputs(options) {
            Ok(i) => i,
            Err(out) => return out,
        };
        let engine_options = match self.engine_build_options(options) {
            Ok(o) => o,
            Err(out) => return out,
        };
        let context = BuildContext::from_files(
            inputs.files.iter().map(|(p, b)| (p.as_str(), b.as_slice())),
            &inputs.dockerfile_name,
        );
        let trace = self
            .state
            .build(self.engine, &inputs.dockerfile, &context, &engine_options);
        self.render_build(options, &trace)
    }

    fn list_images(&mut self) -> Result<Vec<ImageSummary>, DaemonError> {
        let engine: &Engine = self.engine;
        Ok(engine
            .images
            .iter()
            .map(|img| views::image_summary(engine, img))
            .collect())
    }

    fn image_history(&mut self, image: &str) -> Result<Vec<HistoryItem>, DaemonError> {
        let img = self.find_image(image)?;
        Ok(views::history(self.engine, &img))
    }

    fn inspect_image(&mut self, reference: &str) -> Result<ImageInspect, DaemonError> {
        let img = self.find_image(reference)?;
        let tagged = self.state.tag_times.get(&img.image.id).copied();
        Ok(views::image_inspect(self.engine, &img, tagged))
    }

    fn inspect_container(
        &mut self,
        name: &str,
        size: bool,
    ) -> Result<docker_cli::ContainerInspect, DaemonError> {
        self.engine.settle_containers();
        let c = self
            .engine
            .containers
            .find(name)
            .map_err(views::daemon_error)?;
        Ok(views::container_inspect(self.engine, c, size))
    }

    fn list_containers(
        &mut self,
        size: bool,
    ) -> Result<Vec<docker_cli::ContainerSummary>, DaemonError> {
        self.engine.settle_containers();
        let engine: &Engine = self.engine;
        let published = &self.state.published;
        Ok(engine
            .containers
            .iter()
            .map(|c| views::container_summary(engine, c, size, ports_of(published, &c.id)))
            .collect())
    }

    fn create(&mut self, options: &RunOptions) -> CreateOutcome {
        let specs = match Self::port_specs(options) {
            Ok(s) => s,
            Err(e) => {
                return CreateOutcome {
                    pulled: None,
                    result: Err(e),
                }
            }
        };
        let outcome = self
            .engine
            .create_container(&Self::run_config(options, &specs));
        if let Ok(id) = &outcome.result {
            self.publish(id, &specs);
        }
        CreateOutcome {
            pulled: Self::pull_log(outcome.pull),
            result: outcome
                .result
                .map(|id| CreateResult {
                    id,
                    warnings: Vec::new(),
                })
                .map_err(views::daemon_error),
        }
    }

    fn run(&mut self, options: &RunOptions) -> RunOutcome {
        let specs = match Self::port_specs(options) {
            Ok(s) => s,
            Err(e) => {
                return RunOutcome {
                    pulled: None,
                    result: Err(e),
                }
            }
        };
        let outcome = self
            .engine
            .run_container(&Self::run_config(options, &specs));
        if let Ok(report) = &outcome.result {
            self.publish(&report.container_id, &specs);
        }
        RunOutcome {
            pulled: Self::pull_log(outcome.pull),
            result: outcome
                .result
                .map(|report| RunResult {
                    container_id: report.container_id,
                    warnings: Vec::new(),
                    output: ProcessOutput {
                        stdout: report.output.stdout,
                        stderr: report.output.stderr,
                        exit_code: report.output.exit_code,
                        notes: report.notes,
                    },
                    start_error: report.start_error,
                })
                .map_err(views::daemon_error),
        }
    }

    fn start(&mut self, container: &str, attach: bool) -> Result<ProcessOutput, DaemonError> {
        self.engine
            .start_container(container, attach)
            .map(|o| ProcessOutput {
                stdout: o.stdout,
                stderr: o.stderr,
                exit_code: o.exit_code,
                notes: o.notes,
            })
            .map_err(views::daemon_error)
    }

    fn stop(&mut self, container: &str, timeout: Option<i64>) -> Result<(), DaemonError> {
        self.engine
            .stop_container(container, timeout)
            .map_err(views::daemon_error)
    }

    fn exec(&mut self, options: &ExecOptions) -> Result<ProcessOutput, DaemonError> {
        let config = ExecConfig {
            container: options.container.clone(),
            command: options.command.clone(),
            user: options.user.clone().filter(|u| !u.is_empty()),
            workdir: options.workdir.clone().filter(|w| !w.is_empty()),
            env: options
                .env
                .iter()
                .filter(|e| e.contains('='))
                .cloned()
                .collect(),
            interactive: options.interactive,
            tty: options.tty,
            detach: options.detach,
        };
        match self.engine.exec_in_container(&config) {
            Ok(o) => Ok(ProcessOutput {
                stdout: o.stdout,
                stderr: o.stderr,
                exit_code: o.exit_code,
                notes: o.notes,
            }),
            // A process that cannot start: the daemon writes runc's error into the attached
            // stdout stream (with "\r\n") and the exec's exit code is 126/127.
            Err(crate::engine::container::ContainerError::Exec { message, exit_code }) => {
                Ok(ProcessOutput {
                    stdout: if options.detach {
                        String::new()
                    } else {
                        format!("{message}\n")
                    },
                    stderr: String::new(),
                    exit_code,
                    notes: Vec::new(),
                })
            }
            Err(e) => Err(views::daemon_error(e)),
        }
    }

    fn diff(&mut self, container: &str) -> Result<Vec<FilesystemChange>, DaemonError> {
        self.engine
            .container_diff(container)
            .map(|changes| changes.iter().map(views::change_view).collect())
            .map_err(views::daemon_error)
    }

    fn commit(&mut self, options: &CommitOptions) -> Result<String, DaemonError> {
        let id = self
            .engine
            .commit_container(&CommitConfig {
                container: options.container.clone(),
                reference: options.reference.clone().filter(|r| !r.is_empty()),
                message: options.message.clone(),
                author: options.author.clone(),
                changes: options.changes.clone(),
                pause: options.pause,
            })
            .map_err(views::daemon_error)?;
        if options.reference.as_deref().is_some_and(|r| !r.is_empty()) {
            self.state.tag_times.insert(id.clone(), self.engine.now());
        }
        Ok(id.to_string())
    }

    fn remove_container(
        &mut self,
        container: &str,
        force: bool,
        volumes: bool,
    ) -> Result<(), DaemonError> {
        self.engine
            .remove_container(container, force, volumes)
            .map_err(views::daemon_error)
    }

    fn remove_image(
        &mut self,
        image: &str,
        force: bool,
        prune_children: bool,
    ) -> Result<Vec<docker_cli::DeleteRecord>, DaemonError> {
        self.engine
            .remove_image(image, force, prune_children)
            .map(|records| records.into_iter().map(views::delete_record).collect())
            .map_err(views::daemon_error)
    }

    fn tag(&mut self, source: &str, target: &str) -> Result<(), DaemonError> {
        self.engine
            .tag_image(source, target)
            .map_err(views::daemon_error)?;
        if let Ok(img) = self.engine.images.resolve(target) {
            let id = img.image.id.clone();
            self.state.tag_times.insert(id, self.engine.now());
        }
        Ok(())
    }

    fn disk_usage(&mut self) -> Result<DiskUsage, DaemonError> {
        let records = build_cache::records(self.engine, &self.state.local_sources);
        Ok(views::disk_usage(
            self.engine,
            &records,
            &self.state.published,
        ))
    }

    fn prune_images(&mut self, all: bool) -> Result<PruneReport, DaemonError> {
        let report = self.engine.prune_images(all);
        Ok(PruneReport {
            deleted: report
                .images_deleted
                .into_iter()
                .map(views::delete_record)
                .collect(),
            space_reclaimed: report.space_reclaimed,
        })
    }

    fn prune_containers(&mut self) -> Result<PruneReport, DaemonError> {
        let report = self.engine.prune_containers();
        Ok(PruneReport {
            deleted: report
                .containers_deleted
                .into_iter()
                .map(docker_cli::DeleteRecord::Deleted)
                .collect(),
            space_reclaimed: report.space_reclaimed,
        })
    }

    fn server_version(&mut self) -> Result<ServerVersion, DaemonError> {
        // moby v28.5.2: commit 89c5e8f, built with Go 1.24.9, API 1.51 (minimum 1.24).
        Ok(ServerVersion {
            platform_name: "Docker Engine - Community".to_string(),
            version: "28.5.2".to_string(),
            api_version: "1.51".to_string(),
            min_api_version: "1.24".to_string(),
            go_version: "go1.24.9".to_string(),
            git_commit: "89c5e8f".to_string(),
            built: "Wed Nov  5 14:19:32 2025".to_string(),
            os: "linux".to_string(),
            arch: "amd64".to_string(),
            experimental: false,
        })
    }

    fn info(&mut self) -> Result<SystemInfo, DaemonError> {
        self.engine.settle_containers();
        let containers: Vec<_> = self.engine.containers.iter().collect();
        let count = |f: &dyn Fn(&crate::engine::container::Status) -> bool| {
            containers.iter().filter(|c| f(&c.state.status)).count() as i64
        };
        use crate::engine::container::Status;
        Ok(SystemInfo {
            containers: containers.len() as i64,
            running: count(&|s| matches!(s, Status::Running | Status::Restarting)),
            paused: count(&|s| *s == Status::Paused),
            stopped: count(&|s| !s.is_running()),
            images: self.engine.images.len() as i64,
            server_version: "28.5.2".to_string(),
            storage_driver: "overlay2".to_string(),
            os: "Dockerfile Playground (an in-memory simulation)".to_string(),
            architecture: "x86_64".to_string(),
            cpus: 1,
            memory: 0,
            name: "playground".to_string(),
            root_dir: "/var/lib/docker".to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_prefixes_are_split_off() {
        let (env, rest) = env_prefix("DOCKER_BUILDKIT=0 docker build .");
        assert_eq!(env, [("DOCKER_BUILDKIT".to_string(), "0".to_string())]);
        assert_eq!(rest, "docker build .");
        let (env, rest) = env_prefix("docker run -e A=1 alpine");
        assert!(env.is_empty());
        assert_eq!(rest, "docker run -e A=1 alpine");
    }

    #[test]
    fn pull_logs_come_first_in_a_transcript() {
        let out = CommandOutput::with_stderr(
            "hi\n",
            "Unable to find image 'alpine:latest' locally\nlatest: Pulling from library/alpine\nStatus: Downloaded newer image for alpine:latest\n",
            0,
        );
        assert_eq!(
            transcript("docker run alpine echo hi", &out),
            "$ docker run alpine echo hi\nUnable to find image 'alpine:latest' locally\nlatest: Pulling from library/alpine\nStatus: Downloaded newer image for alpine:latest\nhi\n"
        );
    }
}
