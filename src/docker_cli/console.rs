//! Runs a parsed [`DockerCommand`] against a [`DockerBackend`] and prints what docker/cli
//! v28.5.2 prints: which stream each line goes to, error prefixes (`Error response from
//! daemon: `, `docker: …Run 'docker run --help'…`, `Error: No such object: `), exit codes
//! (1 for errors, 125 for docker run/create failures, 126/127 for start failures, the
//! container's own status otherwise) and the table, JSON and template outputs.

use super::backend::{DaemonError, DockerBackend, ProcessOutput, PullLog};
use super::clock::LogicalTime;
use super::command::*;
use super::format::{self, JSON, QUIET, RAW, TABLE};
use super::json::Json;
use super::listing;
use super::model::*;
use super::parse::{CLI_GIT_COMMIT, CLI_VERSION};
use super::reference;
use super::rows;
use super::tabwriter;
use super::template::{Functions, MissingField, StructJson, Template, Value};
use super::units::human_size;
use super::CommandOutput;

/// Executes one parsed command.
pub fn run_command(
    command: &DockerCommand,
    backend: &mut dyn DockerBackend,
    now: LogicalTime,
) -> CommandOutput {
    match command {
        DockerCommand::Build(o) => build(o, backend),
        DockerCommand::Images(o) => images(o, backend, now),
        DockerCommand::History(o) => history(o, backend, now),
        DockerCommand::Inspect(o) => inspect(o, backend),
        DockerCommand::Run(o) => run(o, backend),
        DockerCommand::Create(o) => create(o, backend),
        DockerCommand::Start(o) => start(o, backend),
        DockerCommand::Stop(o) => stop(o, backend),
        DockerCommand::Ps(o) => ps(o, backend, now),
        DockerCommand::Exec(o) => exec(o, backend),
        DockerCommand::Diff(o) => diff(o, backend),
        DockerCommand::Commit(o) => commit(o, backend),
        DockerCommand::Rm(o) => rm(o, backend),
        DockerCommand::Rmi(o) => rmi(o, backend),
        DockerCommand::Tag(o) => tag(o, backend),
        DockerCommand::SystemDf(o) => system_df(o, backend, now),
        DockerCommand::ImagePrune(o) => image_prune(o, backend),
        DockerCommand::ContainerPrune(o) => container_prune(o, backend),
        DockerCommand::Version(o) => version(o, backend),
        DockerCommand::Info(o) => info(o, backend),
    }
}

fn daemon_error(e: &DaemonError) -> CommandOutput {
    CommandOutput::error(format!("{}\n", e.display()), 1)
}

fn plain_error(message: impl std::fmt::Display) -> CommandOutput {
    CommandOutput::error(format!("{message}\n"), 1)
}

/// `--format`, or the default `table` when it is missing or empty.
fn format_or_table(format: Option<&str>) -> String {
    match format {
        Some(f) if !f.is_empty() => f.to_string(),
        _ => TABLE.to_string(),
    }
}

/// One template row per item (`row` makes its context), under `header` for a table format.
fn write_rows<T>(
    format: &str,
    header: &Value,
    items: &[T],
    row: impl Fn(&T) -> Value,
) -> Result<String, String> {
    let values: Vec<Value> = items.iter().map(row).collect();
    format::write_list(format, header, &values)
}

fn list_output(result: Result<String, String>) -> CommandOutput {
    match result {
        Ok(text) => CommandOutput::ok(text),
        Err(e) => plain_error(e),
    }
}

fn build(options: &BuildOptions, backend: &mut dyn DockerBackend) -> CommandOutput {
    let out = backend.build(options);
    CommandOutput {
        stdout: out.stdout,
        stderr: out.stderr,
        exit_code: out.exit_code,
        ..Default::default()
    }
}

/// `formatter.NewImageFormat`.
fn image_format(source: &str, quiet: bool, digest: bool) -> String {
    match source {
        TABLE => {
            if quiet {
                QUIET.to_string()
            } else if digest {
                "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}".to_string()
            } else {
                "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}".to_string()
            }
        }
        RAW => {
            if quiet {
                "image_id: {{.ID}}".to_string()
            } else if digest {
                "repository: {{ .Repository }}\ntag: {{.Tag}}\ndigest: {{.Digest}}\nimage_id: {{.ID}}\ncreated_at: {{.CreatedAt}}\nvirtual_size: {{.Size}}\n".to_string()
            } else {
                "repository: {{ .Repository }}\ntag: {{.Tag}}\nimage_id: {{.ID}}\ncreated_at: {{.CreatedAt}}\nvirtual_size: {{.Size}}\n".to_string()
            }
        }
        other => {
            let mut f = other.to_string();
            if format::is_table(&f) && digest && !f.contains("{{.Digest}}") {
                f.push_str("\t{{.Digest}}");
            }
            f
        }
    }
}

/// Renders image summaries as `docker images` does (also used by tests).
pub fn render_images(
    images: &[ImageSummary],
    format_source: &str,
    quiet: bool,
    digests: bool,
    no_trunc: bool,
    now: LogicalTime,
) -> Result<String, String> {
    let format = image_format(format_source, quiet, digests);
    let need_digest = digests || format.contains("{{.Digest}}");
    let mut values = Vec::new();
    for image in images {
        for key in rows::image_row_keys(image, need_digest, digests) {
            values.push(rows::image_context(image, &key, !no_trunc, now));
        }
    }
    format::write_list(&format, &rows::image_header(), &values)
}

fn images(o: &ImagesOptions, backend: &mut dyn DockerBackend, now: LogicalTime) -> CommandOutput {
    let all = match backend.list_images() {
        Ok(list) => list,
        Err(e) => return daemon_error(&e),
    };
    let selected = match listing::select_images(&all, o.all, o.reference.as_deref(), &o.filters) {
        Ok(s) => s,
        Err(e) => return daemon_error(&DaemonError::Message(e)),
    };
    let source = format_or_table(o.format.as_deref());
    let mut out = list_output(render_images(
        &selected, &source, o.quiet, o.digests, o.no_trunc, now,
    ));
    // docker/cli's hint for `docker images ls` and friends.
    const IMAGE_SUBCOMMANDS: &[&str] = &[
        "build", "history", "import", "inspect", "list", "load", "ls", "prune", "pull", "push",
        "rm", "save", "tag",
    ];
    if let Some(name) = &o.reference {
        if o.called_as_images && selected.is_empty() && IMAGE_SUBCOMMANDS.contains(&name.as_str()) {
            out.stderr.push_str(&format!(
                "\nNo images found matching {}: did you mean \"docker image {name}\"?\n",
                super::flags::go_quote(name)
            ));
        }
    }
    out
}

/// `newHistoryFormat`.
fn history_format(source: &str, quiet: bool, human: bool) -> String {
    if source == TABLE {
        if quiet {
            return QUIET.to_string();
        }
        if !human {
            return "table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"
                .to_string();
        }
        return "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"
            .to_string();
    }
    source.to_string()
}

/// Renders history rows as `docker history` does.
pub fn render_history(
    items: &[HistoryItem],
    format_source: &str,
    quiet: bool,
    human: bool,
    no_trunc: bool,
    now: LogicalTime,
) -> Result<String, String> {
    let format = history_format(format_source, quiet, human);
    write_rows(&format, &rows::history_header(), items, |i| {
        rows::history_context(i, !no_trunc, human, now)
    })
}

fn history(o: &HistoryOptions, backend: &mut dyn DockerBackend, now: LogicalTime) -> CommandOutput {
    let items = match backend.image_history(&o.image) {
        Ok(items) => items,
        Err(e) => return daemon_error(&e),
    };
    let source = format_or_table(o.format.as_deref());
    list_output(render_history(
        &items, &source, o.quiet, o.human, o.no_trunc, now,
    ))
}

/// The raw JSON of an image inspect as the v28 daemon sends it for API ≥ 1.50: `Config`
/// re-encoded as a map (sorted keys, with the always-present legacy fields) and moved to
/// the end, and every string HTML-escaped by `json.Marshal`.
pub fn image_inspect_raw(image: &ImageInspect) -> Json {
    let Json::Object(fields) = Json::from_serialize(image) else {
        return Json::Null;
    };
    let mut config: Vec<(String, Json)> = vec![
        ("Cmd".into(), Json::Null),
        ("Entrypoint".into(), Json::Null),
        ("Env".into(), Json::Null),
        ("Labels".into(), Json::Null),
        ("OnBuild".into(), Json::Null),
        ("User".into(), Json::str("")),
        ("Volumes".into(), Json::Null),
        ("WorkingDir".into(), Json::str("")),
    ];
    let mut rest = Vec::new();
    for (key, value) in fields {
        if key == "Config" {
            if let Json::Object(actual) = value {
                for (k, v) in actual {
                    let v = sort_object_keys(v);
                    match config.iter_mut().find(|(ck, _)| *ck == k) {
                        Some(slot) => slot.1 = v,
                        None => config.push((k, v)),
                    }
                }
            }
        } else {
            rest.push((key, value));
        }
    }
    config.sort_by(|a, b| a.0.cmp(&b.0));
    rest.push(("Config".into(), Json::Object(config)));
    Json::Object(rest)
}

/// Go decodes into `map[string]any` and re-encodes: nested object keys come out sorted.
fn sort_object_keys(value: Json) -> Json {
    match value {
        Json::Object(mut fields) => {
            fields.sort_by(|a, b| a.0.cmp(&b.0));
            Json::Object(
                fields
                    .into_iter()
                    .map(|(k, v)| (k, sort_object_keys(v)))
                    .collect(),
            )
        }
        Json::Array(items) => Json::Array(items.into_iter().map(sort_object_keys).collect()),
        other => other,
    }
}

/// One inspected object: the typed view templates see, and the raw JSON printed.
struct Inspected {
    typed: Value,
    raw: Json,
    /// Image inspect JSON is HTML-escaped by the daemon.
    escape_html: bool,
}

fn inspect_container_element(
    name: &str,
    size: bool,
    backend: &mut dyn DockerBackend,
) -> Result<Inspected, DaemonError> {
    let c = backend.inspect_container(name, size)?;
    let raw = Json::from_serialize(&c);
    Ok(Inspected {
        typed: Value::from_json(&raw),
        raw,
        escape_html: false,
    })
}

fn inspect_image_element(
    name: &str,
    backend: &mut dyn DockerBackend,
) -> Result<Inspected, DaemonError> {
    let image = backend.inspect_image(name)?;
    let typed = Value::from_json(&Json::from_serialize(&image));
    Ok(Inspected {
        typed,
        raw: image_inspect_raw(&image),
        escape_html: true,
    })
}

fn inspect(o: &InspectOptions, backend: &mut dyn DockerBackend) -> CommandOutput {
    let format = o.format.clone().unwrap_or_default();
    let template = if format.is_empty() || format == JSON {
        None
    } else {
        match Template::parse(&format) {
            Ok(t) => Some(t),
            Err(e) => return CommandOutput::error(format!("template parsing error: {e}\n"), 64),
        }
    };
    let mut errors: Vec<String> = Vec::new();
    let mut stderr = String::new();
    let mut found: Vec<Inspected> = Vec::new();
    for name in &o.names {
        let element = match o.kind {
            InspectKind::Container => {
                inspect_container_element(name, o.size, backend).map_err(|e| e.display())
            }
            InspectKind::Image => inspect_image_element(name, backend).map_err(|e| e.display()),
            InspectKind::Any => match inspect_container_element(name, o.size, backend) {
                Ok(x) => Ok(x),
                Err(e) if e.is_not_found() => match inspect_image_element(name, backend) {
                    Ok(x) => {
                        if o.size {
                            stderr.push_str("WARNING: --size ignored for image\n");
                        }
                        Ok(x)
                    }
                    Err(e) if e.is_not_found() => Err(format!("Error: No such object: {name}")),
                    Err(e) => Err(e.display()),
                },
                Err(e) => Err(e.display()),
            },
        };
        match element {
            Ok(x) => found.push(x),
            Err(e) => errors.push(e),
        }
    }
    let mut stdout = String::new();
    match &template {
        None if format == JSON => {
            if found.is_empty() {
                stdout.push_str("[]\n");
            } else {
                let parts: Vec<String> = found
                    .iter()
                    .map(|f| f.raw.to_compact(f.escape_html))
                    .collect();
                stdout.push_str(&format!("[{}]\n", parts.join(",")));
            }
        }
        None => {
            let elements: Vec<(Json, bool)> = found
                .iter()
                .map(|f| (f.raw.clone(), f.escape_html))
                .collect();
            stdout.push_str(&render_inspect_json(&elements));
        }
        Some(t) => {
            for f in &found {
                match t.execute(&f.typed, Functions::Basic, MissingField::TypeError) {
                    Ok(text) => {
                        stdout.push_str(&text);
                        stdout.push('\n');
                    }
                    Err(_) => {
                        // docker/cli retries on the raw JSON with missingkey=error.
                        let raw = Value::from_json(&f.raw);
                        match t.execute(&raw, Functions::Basic, MissingField::MapError) {
                            Ok(text) => {
                                stdout.push_str(&text);
                                stdout.push('\n');
                            }
                            Err(e) => errors.push(format!("template parsing error: {e}")),
                        }
                    }
                }
            }
            if stdout.is_empty() {
                stdout.push('\n');
            }
        }
    }
    if !errors.is_empty() {
        stderr.push_str(&errors.join("\n"));
        stderr.push('\n');
    }
    CommandOutput {
        stdout,
        stderr,
        exit_code: if errors.is_empty() { 0 } else { 1 },
        ..Default::default()
    }
}

/// `docker inspect` without `--format`: `json.Indent` of `[raw1,raw2,…]` with four
/// spaces, or `[]`. Each element says whether its strings are HTML-escaped.
pub fn render_inspect_json(elements: &[(Json, bool)]) -> String {
    if elements.is_empty() {
        return "[]\n".to_string();
    }
    let parts: Vec<String> = elements
        .iter()
        .map(|(raw, escape)| indent_element(raw, *escape))
        .collect();
    format!("[\n{}\n]\n", parts.join(",\n"))
}

/// One element of the inspect array, indented one level (`json.Indent` of the array).
fn indent_element(raw: &Json, escape_html: bool) -> String {
    let text = raw.to_indented_with(escape_html);
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// docker/cli's `toStatusError` exit codes for run/create failures.
fn run_failure_code(message: &str) -> i32 {
    if message.contains("executable file not found")
        || message.contains("no such file or directory")
        || message.contains("system cannot find the file specified")
    {
        127
    } else if message.contains("permission denied") || message.contains("is a directory") {
        126
    } else {
        125
    }
}

fn with_help(message: &str, command: &str) -> String {
    format!("docker: {message}\n\nRun 'docker {command} --help' for more information\n")
}

fn pull_text(pulled: &Option<PullLog>, quiet: bool) -> String {
    let mut out = String::new();
    if let Some(p) = pulled {
        out.push_str(&format!("Unable to find image '{}' locally\n", p.reference));
        if !quiet {
            for line in &p.lines {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

fn run(o: &RunOptions, backend: &mut dyn DockerBackend) -> CommandOutput {
    let outcome = backend.run(o);
    let mut stderr = pull_text(&outcome.pulled, o.quiet);
    match outcome.result {
        Err(e) => {
            let message = e.display();
            stderr.push_str(&with_help(&message, "run"));
            CommandOutput {
                stdout: String::new(),
                stderr,
                exit_code: run_failure_code(&message),
                ..Default::default()
            }
        }
        Ok(result) => {
            for w in &result.warnings {
                stderr.push_str(&format!("WARNING: {w}\n"));
            }
            let mut stdout = String::new();
            if let Some(message) = &result.start_error {
                let message = format!("Error response from daemon: {message}");
                stderr.push_str(&with_help(&message, "run"));
                return CommandOutput {
                    stdout,
                    stderr,
                    exit_code: run_failure_code(&message),
                    ..Default::default()
                };
            }
            if o.detach {
                stdout.push_str(&result.container_id);
                stdout.push('\n');
                return CommandOutput {
                    stdout,
                    stderr,
                    exit_code: 0,
                    ..Default::default()
                };
            }
            stdout.push_str(&result.output.stdout);
            stderr.push_str(&result.output.stderr);
            CommandOutput {
                stdout,
                stderr,
                exit_code: result.output.exit_code,
                notes: result.output.notes,
            }
        }
    }
}

fn create(o: &RunOptions, backend: &mut dyn DockerBackend) -> CommandOutput {
    let outcome = backend.create(o);
    let mut stderr = pull_text(&outcome.pulled, o.quiet);
    match outcome.result {
        Err(e) => {
            stderr.push_str(&e.display());
            stderr.push('\n');
            CommandOutput {
                stdout: String::new(),
                stderr,
                exit_code: 1,
                ..Default::default()
            }
        }
        Ok(result) => {
            for w in &result.warnings {
                stderr.push_str(&format!("WARNING: {w}\n"));
            }
            CommandOutput {
                stdout: format!("{}\n", result.id),
                stderr,
                exit_code: 0,
                ..Default::default()
            }
        }
    }
}

fn start(o: &StartOptions, backend: &mut dyn DockerBackend) -> CommandOutput {
    if o.attach || o.interactive {
        if o.containers.len() > 1 {
            return plain_error("you cannot start and attach multiple containers at once");
        }
        let name = o.containers.first().cloned().unwrap_or_default();
        return match backend.start(&name, true) {
            Ok(ProcessOutput {
                stdout,
                stderr,
                exit_code,
                notes,
            }) => CommandOutput {
                stdout,
                stderr,
                exit_code,
                notes,
            },
            Err(e) => daemon_error(&e),
        };
    }
    let mut out = CommandOutput::default();
    let mut failed: Vec<&str> = Vec::new();
    for name in &o.containers {
        match backend.start(name, false) {
            Ok(_) => {
                out.stdout.push_str(name);
                out.stdout.push('\n');
            }
            Err(e) => {
                out.stderr.push_str(&e.display());
                out.stderr.push('\n');
                failed.push(name);
            }
        }
    }
    if !failed.is_empty() {
        out.stderr.push_str(&format!(
            "Error: failed to start containers: {}\n",
            failed.join(", ")
        ));
        out.exit_code = 1;
    }
    out
}

/// Writes the per-item errors to stderr joined as Go's `errors.Join` does; true when there
/// were any.
fn report_errors(out: &mut CommandOutput, errors: &[String]) -> bool {
    if errors.is_empty() {
        return false;
    }
    out.stderr.push_str(&errors.join("\n"));
    out.stderr.push('\n');
    true
}

/// Prints each name that succeeded; joins the errors (Go's `errors.Join`).
fn per_container(
    names: &[String],
    mut op: impl FnMut(&str) -> Result<(), DaemonError>,
) -> CommandOutput {
    let mut out = CommandOutput::default();
    let mut errors: Vec<String> = Vec::new();
    for name in names {
        match op(name) {
            Ok(()) => {
                out.stdout.push_str(name);
                out.stdout.push('\n');
            }
            Err(e) => errors.push(e.display()),
        }
    }
    if report_errors(&mut out, &errors) {
        out.exit_code = 1;
    }
    out
}

fn stop(o: &StopOptions, backend: &mut dyn DockerBackend) -> CommandOutput {
    per_container(&o.containers, |name| backend.stop(name, o.timeout))
}

/// `formatter.NewContainerFormat`.
fn container_format(source: &str, quiet: bool, size: bool) -> String {
    match source {
        TABLE | "" => {
            if quiet {
                return QUIET.to_string();
            }
            let mut f = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}".to_string();
            if size {
                f.push_str("\\t{{.Size}}");
            }
            f
        }
        RAW => {
            if quiet {
                return "container_id: {{.ID}}".to_string();
            }
            let mut f = "container_id: {{.ID}}\nimage: {{.Image}}\ncommand: {{.Command}}\ncreated_at: {{.CreatedAt}}\nstate: {{- pad .State 1 0}}\nstatus: {{- pad .Status 1 0}}\nnames: {{.Names}}\nlabels: {{- pad .Labels 1 0}}\nports: {{- pad .Ports 1 0}}\n".to_string();
            if size {
                f.push_str("size: {{.Size}}\\n");
            }
            f
        }
        other => {
            if quiet {
                QUIET.to_string()
            } else {
                other.to_string()
            }
        }
    }
}

/// Renders containers as `docker ps` does.
pub fn render_containers(
    containers: &[ContainerSummary],
    format_source: &str,
    quiet: bool,
    size: bool,
    no_trunc: bool,
    now: LogicalTime,
) -> Result<String, String> {
    let format = container_format(format_source, quiet, size);
    write_rows(&format, &rows::container_header(), containers, |c| {
        rows::container_context(c, !no_trunc, false, now)
    })
}

fn ps(o: &PsOptions, backend: &mut dyn DockerBackend, now: LogicalTime) -> CommandOutput {
    let mut stderr = String::new();
    let format = o.format.clone().unwrap_or_default();
    if !format.is_empty() && o.quiet {
        stderr.push_str(
            "WARNING: Ignoring custom format, because both --format and --quiet are set.\n",
        );
    }
    let mut size = o.size;
    if !format.is_empty() {
        if let Err(e) = Template::parse(&format) {
            return plain_error(format!("failed to parse template: {e}"));
        }
        // docker/cli requests sizes when the template uses .Size.
        if !o.quiet && format.contains(".Size") {
            size = true;
        }
    }
    let all = match backend.list_containers(size) {
        Ok(list) => list,
        Err(e) => return daemon_error(&e),
    };
    let needs_images = o
        .filters
        .iter()
        .any(|f| f.to_lowercase().starts_with("ancestor="));
    let images = if needs_images {
        match backend.list_images() {
            Ok(list) => list,
            Err(e) => return daemon_error(&e),
        }
    } else {
        Vec::new()
    };
    let selected =
        match listing::select_containers(&all, &images, o.all, o.last, o.latest, &o.filters) {
            Ok(s) => s,
            Err(e) => return daemon_error(&DaemonError::Message(e)),
        };
    let mut out = list_output(render_containers(
        &selected, &format, o.quiet, size, o.no_trunc, now,
    ));
    out.stderr = format!("{stderr}{}", out.stderr);
    out
}

fn exec(o: &ExecOptions, backend: &mut dyn DockerBackend) -> CommandOutput {
    match backend.exec(o) {
        Ok(ProcessOutput {
            stdout,
            stderr,
            exit_code,
            notes,
        }) => CommandOutput {
            stdout,
            stderr,
            exit_code,
            notes,
        },
        Err(e) => daemon_error(&e),
    }
}

fn diff(o: &DiffOptions, backend: &mut dyn DockerBackend) -> CommandOutput {
    match backend.diff(&o.container) {
        Ok(changes) => list_output(write_rows(
            "{{.Type}} {{.Path}}",
            &rows::diff_header(),
            &changes,
            rows::diff_context,
        )),
        Err(e) => daemon_error(&e),
    }
}

fn commit(o: &CommitOptions, backend: &mut dyn DockerBackend) -> CommandOutput {
    if let Some(r) = &o.reference {
        if let Err(e) = reference::parse_normalized_named(r) {
            return plain_error(e);
        }
    }
    match backend.commit(o) {
        Ok(id) => CommandOutput::ok(format!("{id}\n")),
        Err(e) => daemon_error(&e),
    }
}

fn rm(o: &RmOptions, backend: &mut dyn DockerBackend) -> CommandOutput {
    let mut out = CommandOutput::default();
    let mut errors: Vec<String> = Vec::new();
    for name in &o.containers {
        let trimmed = name.trim_matches('/');
        let result = if trimmed.is_empty() {
            Err(DaemonError::Client(
                "container name cannot be empty".to_string(),
            ))
        } else {
            backend.remove_container(trimmed, o.force, o.volumes)
        };
        match result {
            Ok(()) => {
                out.stdout.push_str(name);
                out.stdout.push('\n');
            }
            Err(e) if o.force && e.is_not_found() => {
                out.stderr.push_str(&e.display());
                out.stderr.push('\n');
            }
            Err(e) => errors.push(e.display()),
        }
    }
    if report_errors(&mut out, &errors) {
        out.exit_code = 1;
    }
    out
}

fn rmi(o: &RmiOptions, backend: &mut dyn DockerBackend) -> CommandOutput {
    let mut out = CommandOutput::default();
    let mut errors: Vec<String> = Vec::new();
    let mut fatal = false;
    for image in &o.images {
        match backend.remove_image(image, o.force, !o.no_prune) {
            Ok(records) => {
                for r in records {
                    match r {
                        DeleteRecord::Untagged(x) => {
                            out.stdout.push_str(&format!("Untagged: {x}\n"))
                        }
                        DeleteRecord::Deleted(x) => out.stdout.push_str(&format!("Deleted: {x}\n")),
                    }
                }
            }
            Err(e) => {
                if !e.is_not_found() {
                    fatal = true;
                }
                errors.push(e.display());
            }
        }
    }
    if report_errors(&mut out, &errors) && (!o.force || fatal) {
        out.exit_code = 1;
    }
    out
}

fn tag(o: &TagOptions, backend: &mut dyn DockerBackend) -> CommandOutput {
    let source_ok = reference::parse_normalized_named(&o.source).is_ok()
        || o.source
            .strip_prefix("sha256:")
            .unwrap_or(&o.source)
            .bytes()
            .all(|b| b.is_ascii_hexdigit());
    if !source_ok {
        return plain_error(format!("Error parsing reference: \"{}\" is not a valid repository/tag: invalid reference format", o.source));
    }
    match reference::parse_normalized_named(&o.target) {
        Err(e) => {
            return plain_error(format!(
                "Error parsing reference: \"{}\" is not a valid repository/tag: {e}",
                o.target
            ))
        }
        Ok(named) if named.digest.is_some() => {
            return plain_error("refusing to create a tag with a digest reference")
        }
        Ok(_) => {}
    }
    match backend.tag(&o.source, &o.target) {
        Ok(()) => CommandOutput::default(),
        Err(e) => daemon_error(&e),
    }
}

fn percent(part: i64, total: i64) -> String {
    if total > 0 {
        format!(
            "{} ({}%)",
            human_size(part as f64),
            i128::from(part) * 100 / i128::from(total)
        )
    } else {
        human_size(part as f64)
    }
}

fn df_row(kind: &str, total: usize, active: usize, size: String, reclaimable: String) -> Value {
    Value::new_struct(
        "*formatter.diskUsageContext",
        StructJson::SortedEscaped,
        vec![
            ("Active".to_string(), Value::str(active.to_string())),
            ("Reclaimable".to_string(), Value::str(reclaimable)),
            ("Size".to_string(), Value::str(size)),
            ("TotalCount".to_string(), Value::str(total.to_string())),
            ("Type".to_string(), Value::str(kind)),
        ],
    )
}

/// The four summary rows of `docker system df`.
pub fn disk_usage_rows(du: &DiskUsage) -> Vec<Value> {
    let images_active = du.images.iter().filter(|i| i.containers > 0).count();
    let used: i64 = du
        .images
        .iter()
        .filter(|i| i.containers != 0 && i.size != -1 && i.shared_size != -1)
        .map(|i| i.size.saturating_sub(i.shared_size))
        .fold(0i64, i64::saturating_add);
    let images = df_row(
        "Images",
        du.images.len(),
        images_active,
        human_size(du.layers_size as f64),
        percent(du.layers_size.saturating_sub(used), du.layers_size),
    );

    let containers_active = du
        .containers
        .iter()
        .filter(|c| c.state.status.is_running())
        .count();
    let c_size: i64 = du
        .containers
        .iter()
        .map(|c| c.size_rw)
        .fold(0i64, i64::saturating_add);
    let c_reclaimable: i64 = du
        .containers
        .iter()
        .filter(|c| !c.state.status.is_running())
        .map(|c| c.size_rw)
        .fold(0i64, i64::saturating_add);
    let containers = df_row(
        "Containers",
        du.containers.len(),
        containers_active,
        human_size(c_size as f64),
        percent(c_reclaimable, c_size),
    );

    let volumes_active = du.volumes.iter().filter(|v| v.ref_count > 0).count();
    let v_size: i64 = du
        .volumes
        .iter()
        .filter(|v| v.size != -1)
        .map(|v| v.size)
        .fold(0i64, i64::saturating_add);
    let v_reclaimable: i64 = du
        .volumes
        .iter()
        .filter(|v| v.size != -1 && v.ref_count == 0)
        .map(|v| v.size)
        .fold(0i64, i64::saturating_add);
    let volumes = df_row(
        "Local Volumes",
        du.volumes.len(),
        volumes_active,
        human_size(v_size as f64),
        percent(v_reclaimable, v_size),
    );

    let builder_size = builder_size(du);
    let in_use: i64 = du
        .build_cache
        .iter()
        .filter(|b| b.in_use && !b.shared)
        .map(|b| b.size)
        .fold(0i64, i64::saturating_add);
    let cache_active = du.build_cache.iter().filter(|b| b.in_use).count();
    let cache = df_row(
        "Build Cache",
        du.build_cache.len(),
        cache_active,
        human_size(builder_size as f64),
        human_size(builder_size.saturating_sub(in_use) as f64),
    );
    vec![images, containers, volumes, cache]
}

fn builder_size(du: &DiskUsage) -> i64 {
    du.build_cache
        .iter()
        .filter(|b| !b.shared)
        .map(|b| b.size)
        .fold(0i64, i64::saturating_add)
}

fn df_header() -> Value {
    Value::string_map([
        ("Type", "TYPE"),
        ("TotalCount", "TOTAL"),
        ("Active", "ACTIVE"),
        ("Size", "SIZE"),
        ("Reclaimable", "RECLAIMABLE"),
    ])
}

/// The image, container, volume and cache rows of `system df -v` (dangling and
/// untagged images show `<none>`; only the first tag is shown).
fn df_verbose_values(
    du: &DiskUsage,
    trunc: bool,
    now: LogicalTime,
) -> (Vec<Value>, Vec<Value>, Vec<Value>, Vec<Value>) {
    let images = du
        .images
        .iter()
        .map(|i| {
            let mut key = rows::ImageRowKey {
                repository: "<none>".into(),
                tag: "<none>".into(),
                digest: String::new(),
            };
            if !rows::is_dangling(i) {
                if let Some(first) = i.repo_tags.first() {
                    if let Ok(named) = reference::parse_normalized_named(first) {
                        if let Some(t) = named.tag.clone() {
                            key.repository = named.familiar_name();
                            key.tag = t;
                        }
                    }
                }
            }
            rows::image_context(i, &key, trunc, now)
        })
        .collect();
    let containers = du
        .containers
        .iter()
        .map(|c| rows::container_context(c, trunc, true, now))
        .collect();
    let volumes = du.volumes.iter().map(rows::volume_context).collect();
    let mut cache: Vec<&BuildCacheRecord> = du.build_cache.iter().collect();
    cache.sort_by(|a, b| match (a.last_used_at, b.last_used_at) {
        (None, None) => a.id.cmp(&b.id),
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) if x == y => a.id.cmp(&b.id),
        (Some(x), Some(y)) => x.cmp(&y),
    });
    let cache = cache
        .into_iter()
        .map(|r| rows::build_cache_context(r, trunc, now))
        .collect();
    (images, containers, volumes, cache)
}

/// `NewDiskUsageFormat("raw", true)`: each object's raw format inside a `range`.
fn verbose_raw_format() -> String {
    format!(
        "{{{{range .Images}}}}type: Image\n{}\n{{{{end -}}}}\n{{{{range .Containers}}}}type: Container\n{}\n{{{{end -}}}}\n{{{{range .Volumes}}}}type: Volume\n{}\n{{{{end -}}}}\n{{{{range .BuildCache}}}}type: Build Cache\n{}\n{{{{end -}}}}",
        image_format(RAW, false, true),
        container_format(RAW, false, true),
        "name: {{.Name}}\\ndriver: {{.Driver}}\\n",
        "build_cache_id: {{.ID}}\nparent_id: {{.Parent}}\nbuild_cache_type: {{.CacheType}}\ndescription: {{.Description}}\ncreated_at: {{.CreatedAt}}\ncreated_since: {{.CreatedSince}}\nlast_used_at: {{.LastUsedAt}}\nlast_used_since: {{.LastUsedSince}}\nusage_count: {{.UsageCount}}\nin_use: {{.InUse}}\nshared: {{.Shared}}\n"
    )
}

/// Renders `docker system df` output for a disk-usage answer.
pub fn render_disk_usage(
    du: &DiskUsage,
    format_source: &str,
    verbose: bool,
    now: LogicalTime,
) -> Result<String, String> {
    if verbose {
        let trunc = format::is_table(format_source);
        let (images, containers, volumes, cache) = df_verbose_values(du, trunc, now);
        if format_source == TABLE {
            let mut out = String::from("Images space usage:\n\n");
            out.push_str(&format::write_list(
                "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}",
                &rows::image_header(),
                &images,
            )?);
            out.push_str("\nContainers space usage:\n\n");
            out.push_str(&format::write_list(
                "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}",
                &rows::container_header(),
                &containers,
            )?);
            out.push_str("\nLocal Volumes space usage:\n\n");
            out.push_str(&format::write_list(
                "table {{.Name}}\t{{.Links}}\t{{.Size}}",
                &rows::volume_header(),
                &volumes,
            )?);
            out.push_str(&format!(
                "\nBuild cache usage: {}\n\n",
                human_size(builder_size(du) as f64)
            ));
            out.push_str(&format::write_list(
                "table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}",
                &rows::build_cache_header(),
                &cache,
            )?);
            return Ok(out);
        }
        // A custom (or raw) format runs once on the whole verbose structure.
        let source = if format_source == RAW {
            verbose_raw_format()
        } else {
            format_source.to_string()
        };
        let format_source = source.as_str();
        let data = Value::new_struct(
            "*formatter.diskUsageContext",
            StructJson::Fields,
            vec![
                ("Images".to_string(), Value::List(images)),
                ("Containers".to_string(), Value::List(containers)),
                ("Volumes".to_string(), Value::List(volumes)),
                ("BuildCache".to_string(), Value::List(cache)),
            ],
        );
        let template = format::parse(format_source)?;
        return template
            .execute(&data, Functions::Basic, MissingField::TypeError)
            .map_err(|e| format!("template parsing error: {e}"));
    }
    let format = match format_source {
        TABLE => "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}".to_string(),
        RAW => "type: {{.Type}}\ntotal: {{.TotalCount}}\nactive: {{.Active}}\nsize: {{.Size}}\nreclaimable: {{.Reclaimable}}\n".to_string(),
        other => other.to_string(),
    };
    format::write_list(&format, &df_header(), &disk_usage_rows(du))
}

fn system_df(o: &DfOptions, backend: &mut dyn DockerBackend, now: LogicalTime) -> CommandOutput {
    let du = match backend.disk_usage() {
        Ok(du) => du,
        Err(e) => return daemon_error(&e),
    };
    let source = format_or_table(o.format.as_deref());
    list_output(render_disk_usage(&du, &source, o.verbose, now))
}

const PROMPT_NOTE: &str =
    "The playground cannot answer this prompt: add -f (--force) to run the command.\n";

fn image_prune(o: &ImagePruneOptions, backend: &mut dyn DockerBackend) -> CommandOutput {
    if !o.filters.is_empty() {
        return plain_error("the playground does not emulate prune filters");
    }
    if !o.force {
        let warning = if o.all {
            "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue? [y/N] "
        } else {
            "WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] "
        };
        return CommandOutput::with_stderr(warning.to_string(), PROMPT_NOTE.to_string(), 0);
    }
    match backend.prune_images(o.all) {
        Ok(report) => {
            let mut stdout = String::new();
            if !report.deleted.is_empty() {
                stdout.push_str("Deleted Images:\n");
                for r in &report.deleted {
                    match r {
                        DeleteRecord::Untagged(x) => stdout.push_str(&format!("untagged: {x}\n")),
                        DeleteRecord::Deleted(x) => stdout.push_str(&format!("deleted: {x}\n")),
                    }
                }
                stdout.push('\n');
            }
            let reclaimed = if report.deleted.is_empty() {
                0
            } else {
                report.space_reclaimed
            };
            stdout.push_str(&format!(
                "Total reclaimed space: {}\n",
                human_size(reclaimed as f64)
            ));
            CommandOutput::ok(stdout)
        }
        Err(e) => daemon_error(&e),
    }
}

fn container_prune(o: &ContainerPruneOptions, backend: &mut dyn DockerBackend) -> CommandOutput {
    if !o.filters.is_empty() {
        return plain_error("the playground does not emulate prune filters");
    }
    if !o.force {
        return CommandOutput::with_stderr(
            "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ".to_string(),
            PROMPT_NOTE.to_string(),
            0,
        );
    }
    match backend.prune_containers() {
        Ok(report) => {
            let mut stdout = String::new();
            if !report.deleted.is_empty() {
                stdout.push_str("Deleted Containers:\n");
                for r in &report.deleted {
                    let (DeleteRecord::Deleted(id) | DeleteRecord::Untagged(id)) = r;
                    stdout.push_str(id);
                    stdout.push('\n');
                }
                stdout.push('\n');
            }
            let reclaimed = if report.deleted.is_empty() {
                0
            } else {
                report.space_reclaimed
            };
            stdout.push_str(&format!(
                "Total reclaimed space: {}\n",
                human_size(reclaimed as f64)
            ));
            CommandOutput::ok(stdout)
        }
        Err(e) => daemon_error(&e),
    }
}

/// docker/cli v28.5.2's client facts (API 1.51, Go 1.24.9, commit date as build time).
const CLIENT_API_VERSION: &str = "1.51";
const CLIENT_GO_VERSION: &str = "go1.24.9";
const CLIENT_BUILT: &str = "Wed Nov  5 10:32:31 2025";

fn version(o: &FormatOnly, backend: &mut dyn DockerBackend) -> CommandOutput {
    let server = backend.server_version();
    let client = Value::new_struct(
        "*system.clientVersion",
        StructJson::Fields,
        vec![
            ("Version".into(), Value::str(CLI_VERSION)),
            ("ApiVersion".into(), Value::str(CLIENT_API_VERSION)),
            ("DefaultAPIVersion".into(), Value::str(CLIENT_API_VERSION)),
            ("GitCommit".into(), Value::str(CLI_GIT_COMMIT)),
            ("GoVersion".into(), Value::str(CLIENT_GO_VERSION)),
            ("Os".into(), Value::str("linux")),
            ("Arch".into(), Value::str("amd64")),
            ("BuildTime".into(), Value::str(CLIENT_BUILT)),
            ("Context".into(), Value::str("default")),
        ],
    );
    let server_value = match &server {
        Ok(s) => Value::new_struct(
            "*types.Version",
            StructJson::Fields,
            vec![
                (
                    "Platform".into(),
                    Value::new_struct(
                        "struct",
                        StructJson::Fields,
                        vec![("Name".into(), Value::str(s.platform_name.clone()))],
                    ),
                ),
                ("Version".into(), Value::str(s.version.clone())),
                ("ApiVersion".into(), Value::str(s.api_version.clone())),
                (
                    "MinAPIVersion".into(),
                    Value::str(s.min_api_version.clone()),
                ),
                ("GitCommit".into(), Value::str(s.git_commit.clone())),
                ("GoVersion".into(), Value::str(s.go_version.clone())),
                ("Os".into(), Value::str(s.os.clone())),
                ("Arch".into(), Value::str(s.arch.clone())),
                ("Experimental".into(), Value::Bool(s.experimental)),
                ("BuildTime".into(), Value::str(s.built.clone())),
            ],
        ),
        Err(_) => Value::Nil,
    };
    let format = o.format.clone().unwrap_or_default();
    if !format.is_empty() {
        let data = Value::new_struct(
            "system.versionInfo",
            StructJson::Fields,
            vec![("Client".into(), client), ("Server".into(), server_value)],
        );
        let source = if format == JSON {
            "{{json .}}".to_string()
        } else {
            format
        };
        return match Template::parse(&source) {
            Err(e) => CommandOutput::error(format!("template parsing error: {e}\n"), 64),
            Ok(t) => match t.execute(&data, Functions::Basic, MissingField::TypeError) {
                Ok(text) => CommandOutput::ok(tabwriter::align_with(&format!("{text}\n"), 20, 1)),
                Err(e) => plain_error(e),
            },
        };
    }
    let mut text = format!(
        "Client:\n Version:\t{CLI_VERSION}\n API version:\t{CLIENT_API_VERSION}\n Go version:\t{CLIENT_GO_VERSION}\n Git commit:\t{CLI_GIT_COMMIT}\n Built:\t{CLIENT_BUILT}\n OS/Arch:\tlinux/amd64\n Context:\tdefault"
    );
    if let Ok(s) = &server {
        let platform = if s.platform_name.is_empty() {
            String::new()
        } else {
            format!(" {}", s.platform_name)
        };
        text.push_str(&format!(
                "\n\nServer:{platform}\n Engine:\n  Version:\t{}\n  API version:\t{} (minimum version {})\n  Go version:\t{}\n  Git commit:\t{}\n  Built:\t{}\n  OS/Arch:\t{}/{}\n  Experimental:\t{}",
                s.version, s.api_version, s.min_api_version, s.go_version, s.git_commit, s.built, s.os, s.arch, s.experimental
            ));
    }
    text.push('\n');
    let mut out = CommandOutput::ok(tabwriter::align_with(&text, 20, 1));
    if let Err(e) = server {
        out.stderr = format!("{}\n", e.display());
        out.exit_code = 1;
    }
    out
}

fn info(o: &FormatOnly, backend: &mut dyn DockerBackend) -> CommandOutput {
    if o.format.as_deref().is_some_and(|f| !f.is_empty()) {
        return plain_error("the playground does not emulate docker info --format");
    }
    let mut stdout = format!("Client:\n Version:    {CLI_VERSION}\n Context:    default\n Debug Mode: false\n\nServer:\n");
    match backend.info() {
        Ok(i) => {
            stdout.push_str(&format!(
                " Containers: {}\n  Running: {}\n  Paused: {}\n  Stopped: {}\n Images: {}\n",
                i.containers, i.running, i.paused, i.stopped, i.images
            ));
            for (label, value) in [
                (" Server Version:", &i.server_version),
                (" Storage Driver:", &i.storage_driver),
                (" Operating System:", &i.os),
                (" Architecture:", &i.architecture),
            ] {
                if !value.is_empty() {
                    stdout.push_str(&format!("{label} {value}\n"));
                }
            }
            stdout.push_str(&format!(
                " CPUs: {}\n Total Memory: {}\n",
                i.cpus,
                bytes_size(i.memory)
            ));
            if !i.name.is_empty() {
                stdout.push_str(&format!(" Name: {}\n", i.name));
            }
            if !i.root_dir.is_empty() {
                stdout.push_str(&format!(" Docker Root Dir: {}\n", i.root_dir));
            }
            CommandOutput::ok(stdout)
        }
        Err(e) => CommandOutput::with_stderr(stdout, format!("{}\n", e.display()), 1),
    }
}

/// `units.BytesSize`: binary units with four significant digits (`7.668GiB`).
fn bytes_size(size: i64) -> String {
    const UNITS: [&str; 9] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];
    let mut value = size as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!(
        "{}{}",
        super::units::format_g(value, 4),
        UNITS.get(unit).copied().unwrap_or("B")
    )
}
