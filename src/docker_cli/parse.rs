//! From a console line to a [`DockerCommand`], or to the text docker itself would print
//! instead (help, usage errors). Follows docker/cli v28.5.2 and cobra: optional `docker`
//! prefix, root flags before the command (`TraverseChildren`), management commands and
//! aliases, `help [COMMAND]`, flag errors wrapped with the usage line (exit 125), argument
//! count errors (exit 1), and the exact help layout.

use super::argv;
use super::command::*;
use super::flags::{self, FlagSpec, ParsedFlags};
use super::spec::{self, ArgsRule, CommandId, CommandSpec, GroupSpec};
use super::CommandOutput;

/// docker/cli's version string for `docker --version` and `docker version`.
pub const CLI_VERSION: &str = "28.5.2";
pub const CLI_GIT_COMMIT: &str = "ecc6942";

/// The result of parsing one console line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// A supported command to execute. `warnings` are lines for stderr printed first.
    Command {
        command: Box<DockerCommand>,
        warnings: Vec<String>,
    },
    /// Help, version or an error: printed without asking the engine.
    Output(CommandOutput),
}

/// Parses a console line (the `docker` prefix is optional).
pub fn parse_line(line: &str) -> Parsed {
    let words = match argv::split(line) {
        Ok(w) => w,
        Err(e) => return Parsed::Output(CommandOutput::error(format!("{e}\n"), 2)),
    };
    let mut args: &[String] = &words;
    if args.first().map(String::as_str) == Some("docker") {
        args = args.get(1..).unwrap_or(&[]);
    }
    if words.is_empty() {
        return Parsed::Output(CommandOutput::default());
    }
    parse_args(args)
}

/// Parses argv without the leading `docker`.
pub fn parse_args(args: &[String]) -> Parsed {
    // Root flags come before the command name.
    let mut i = 0;
    let mut root_flags: Vec<String> = Vec::new();
    while let Some(arg) = args.get(i) {
        if !arg.starts_with('-') || arg == "-" {
            break;
        }
        if arg == "--" {
            i += 1;
            break;
        }
        root_flags.push(arg.clone());
        i += 1;
        let takes_value = root_flag_takes_value(arg);
        if takes_value {
            if let Some(value) = args.get(i) {
                root_flags.push(value.clone());
                i += 1;
            }
        }
    }
    let mut root_specs: Vec<FlagSpec> = spec::ROOT_FLAGS.to_vec();
    root_specs.extend_from_slice(spec::ROOT_OTHER);
    let parsed_root = match flags::parse(&root_specs, &root_flags, true) {
        Ok(p) => p,
        Err(e) => {
            return Parsed::Output(CommandOutput::error(
                format!("{e}\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information\n"),
                125,
            ))
        }
    };
    let mut prefix = String::new();
    for w in &parsed_root.warnings {
        prefix.push_str(w);
        prefix.push('\n');
    }
    if parsed_root.help {
        return Parsed::Output(CommandOutput::with_stderr(root_help(), prefix, 0));
    }
    if parsed_root.flag("version") {
        return Parsed::Output(CommandOutput::ok(format!(
            "Docker version {CLI_VERSION}, build {CLI_GIT_COMMIT}\n"
        )));
    }
    let rest = args.get(i..).unwrap_or(&[]);
    let Some(name) = rest.first() else {
        // `docker` alone prints the help to stderr.
        return Parsed::Output(CommandOutput::with_stderr(
            String::new(),
            format!("{prefix}{}", root_help()),
            0,
        ));
    };
    let rest = rest.get(1..).unwrap_or(&[]);
    if name == "help" {
        return Parsed::Output(help_topic(rest));
    }
    if let Some(group) = spec::GROUPS.iter().find(|g| g.name == name) {
        return parse_group(group, rest);
    }
    if let Some((_, spec)) = spec::TOP_LEVEL.iter().find(|(n, _)| n == name) {
        return parse_command(spec, rest);
    }
    if spec::NOT_EMULATED.contains(&name.as_str()) {
        return Parsed::Output(CommandOutput::error(
            format!("docker {name}: this command is not emulated by the playground\n\nRun 'docker --help' for the commands it emulates\n"),
            1,
        ));
    }
    Parsed::Output(CommandOutput::error(
        format!(
            "docker: unknown command: docker {name}\n\nRun 'docker --help' for more information\n"
        ),
        1,
    ))
}

fn root_flag_takes_value(arg: &str) -> bool {
    if arg.contains('=') {
        return false;
    }
    let all = spec::ROOT_FLAGS.iter().chain(spec::ROOT_OTHER.iter());
    if let Some(long) = arg.strip_prefix("--") {
        return all
            .clone()
            .any(|s| s.name == long && s.kind != flags::FlagKind::Bool);
    }
    // Only the last shorthand of a cluster can take the next word.
    let last = arg.chars().last();
    let len = arg.chars().count();
    all.clone()
        .any(|s| s.short == last && s.kind != flags::FlagKind::Bool && len == 2)
}

fn parse_group(group: &GroupSpec, args: &[String]) -> Parsed {
    let Some(first) = args.first() else {
        return Parsed::Output(CommandOutput::with_stderr(
            String::new(),
            group_help(group),
            0,
        ));
    };
    if first == "--help" || first == "-h" {
        let mut out = CommandOutput::ok(group_help(group));
        if first == "-h" {
            out.stderr = "Flag shorthand -h has been deprecated, use --help\n".to_string();
        }
        return Parsed::Output(out);
    }
    if first.starts_with('-') {
        return Parsed::Output(CommandOutput::error(
            format!(
                "unknown flag: {first}\n\nUsage:  docker {} COMMAND\n\nRun 'docker {} --help' for more information\n",
                group.name, group.name
            ),
            125,
        ));
    }
    match group.commands.iter().find(|(n, _)| n == first) {
        Some((_, spec)) => parse_command(spec, args.get(1..).unwrap_or(&[])),
        None => Parsed::Output(CommandOutput::error(
            format!(
                "docker: unknown command: docker {} {first}\n\nUsage:  docker {} COMMAND\n\nRun 'docker {} --help' for more information\n",
                group.name, group.name, group.name
            ),
            1,
        )),
    }
}

fn all_flags(spec: &CommandSpec) -> Vec<FlagSpec> {
    let mut specs = spec.flags.to_vec();
    specs.extend_from_slice(spec.other_flags);
    specs
}

/// Parses the arguments of one command.
pub fn parse_command(spec: &CommandSpec, args: &[String]) -> Parsed {
    let parsed = match flags::parse(&all_flags(spec), args, spec.interspersed) {
        Ok(p) => p,
        Err(e) => {
            return Parsed::Output(CommandOutput::error(
                format!(
                    "{e}\n\nUsage:  {}\n\nRun '{} --help' for more information\n",
                    spec.usage_line(),
                    spec.path()
                ),
                125,
            ))
        }
    };
    let warnings = parsed.warnings.clone();
    if parsed.help || parsed.flag("help") {
        let mut out = CommandOutput::ok(command_help(spec));
        out.stderr = warnings.iter().map(|w| format!("{w}\n")).collect();
        return Parsed::Output(out);
    }
    if let Some(message) = check_args(spec, parsed.args.len()) {
        let message = if spec.plugin {
            format!("ERROR: {message}")
        } else {
            message
        };
        return Parsed::Output(CommandOutput::error(format!("{message}\n"), 1));
    }
    let unsupported: Vec<String> = spec
        .other_flags
        .iter()
        .filter(|f| parsed.is_set(f.name))
        .map(|f| format!("--{}", f.name))
        .collect();
    if !unsupported.is_empty() {
        return Parsed::Output(CommandOutput::error(
            format!(
                "{}: the playground does not emulate {}\n\nRun '{} --help' for the options it emulates\n",
                spec.path(),
                unsupported.join(", "),
                spec.path()
            ),
            1,
        ));
    }
    match build_command(spec, &parsed) {
        Ok(command) => Parsed::Command {
            command: Box::new(command),
            warnings,
        },
        Err(message) => Parsed::Output(CommandOutput::error(message, 1)),
    }
}

/// docker/cli's `cli.NoArgs`, `ExactArgs`, `RequiresMinArgs`, … messages.
fn check_args(spec: &CommandSpec, n: usize) -> Option<String> {
    let path = spec.path();
    let usage = spec.usage_line();
    let plural = |k: usize| if k == 1 { "argument" } else { "arguments" };
    match spec.args {
        ArgsRule::NoArgs if n > 0 => Some(format!(
            "docker: '{path}' accepts no arguments\n\nUsage:  {usage}\n\nRun '{path} --help' for more information"
        )),
        ArgsRule::Exact(k) if n != k => Some(format!(
            "docker: '{path}' requires {k} {}\n\nUsage:  {usage}\n\nRun '{path} --help' for more information",
            plural(k)
        )),
        ArgsRule::Min(k) if n < k => Some(format!(
            "docker: '{path}' requires at least {k} {}\n\nUsage:  {usage}\n\nSee '{path} --help' for more information",
            plural(k)
        )),
        // docker/cli v28 really prints "SRun" here (a typo in cli/required.go).
        ArgsRule::Max(k) if n > k => Some(format!(
            "docker: '{path}' requires at most {k} {}\n\nUsage:  {usage}\n\nSRun '{path} --help' for more information",
            plural(k)
        )),
        ArgsRule::Range(lo, hi) if n < lo || n > hi => Some(format!(
            "docker: '{path}' requires at least {lo} and at most {hi} {}\n\nUsage:  {usage}\n\nRun '{path} --help' for more information",
            plural(hi)
        )),
        _ => None,
    }
}

fn opt(p: &ParsedFlags, name: &str) -> Option<String> {
    p.string(name)
}

fn build_command(spec: &CommandSpec, p: &ParsedFlags) -> Result<DockerCommand, String> {
    let args = &p.args;
    let first = || args.first().cloned().unwrap_or_default();
    Ok(match spec.id {
        CommandId::Build => DockerCommand::Build(BuildOptions {
            context: first(),
            tags: p.list("tag"),
            file: opt(p, "file"),
            target: opt(p, "target"),
            build_args: p.list("build-arg"),
            labels: p.list("label"),
            no_cache: p.flag("no-cache"),
            progress: opt(p, "progress").unwrap_or_else(|| "auto".to_string()),
            quiet: p.flag("quiet"),
            pull: p.flag("pull"),
        }),
        CommandId::Images => DockerCommand::Images(ImagesOptions {
            reference: args.first().cloned(),
            all: p.flag("all"),
            quiet: p.flag("quiet"),
            no_trunc: p.flag("no-trunc"),
            digests: p.flag("digests"),
            format: opt(p, "format"),
            filters: p.list("filter"),
            called_as_images: spec.parent == "docker",
        }),
        CommandId::History => DockerCommand::History(HistoryOptions {
            image: first(),
            human: p.bool("human").unwrap_or(true),
            quiet: p.flag("quiet"),
            no_trunc: p.flag("no-trunc"),
            format: opt(p, "format"),
        }),
        CommandId::Inspect | CommandId::ImageInspect | CommandId::ContainerInspect => {
            let kind = match spec.id {
                CommandId::ImageInspect => InspectKind::Image,
                CommandId::ContainerInspect => InspectKind::Container,
                _ => match opt(p, "type").as_deref() {
                    None | Some("") => InspectKind::Any,
                    Some("image") => InspectKind::Image,
                    Some("container") => InspectKind::Container,
                    Some(
                        t @ ("config" | "network" | "node" | "plugin" | "secret" | "service"
                        | "task" | "volume"),
                    ) => {
                        return Err(format!(
                            "docker inspect --type={t}: the playground has no {t} objects\n"
                        ));
                    }
                    Some(other) => {
                        return Err(format!(
                            "unknown type: \"{other}\": must be one of \"config\", \"container\", \"image\", \"node\", \"network\", \"plugin\", \"secret\", \"service\", \"task\", \"volume\"\n"
                        ));
                    }
                },
            };
            DockerCommand::Inspect(InspectOptions {
                kind,
                names: args.clone(),
                format: opt(p, "format"),
                size: p.flag("size"),
            })
        }
        CommandId::Run | CommandId::Create => {
            let options = RunOptions {
                image: first(),
                command: args.get(1..).unwrap_or(&[]).to_vec(),
                name: opt(p, "name"),
                env: p.list("env"),
                workdir: opt(p, "workdir"),
                user: opt(p, "user"),
                entrypoint: opt(p, "entrypoint"),
                hostname: opt(p, "hostname"),
                labels: p.list("label"),
                publish: p.list("publish"),
                expose: p.list("expose"),
                detach: p.flag("detach"),
                rm: p.flag("rm"),
                interactive: p.flag("interactive"),
                tty: p.flag("tty"),
                quiet: p.flag("quiet"),
                pull: opt(p, "pull").unwrap_or_else(|| "missing".to_string()),
            };
            if !matches!(options.pull.as_str(), "always" | "missing" | "never") {
                let verb = if spec.id == CommandId::Run {
                    "run"
                } else {
                    "create"
                };
                return Err(format!(
                    "docker: invalid pull option: '{}': must be one of \"always\", \"missing\" or \"never\"\n\nRun 'docker {verb} --help' for more information\n",
                    options.pull
                ));
            }
            if spec.id == CommandId::Run {
                DockerCommand::Run(options)
            } else {
                DockerCommand::Create(options)
            }
        }
        CommandId::Start => DockerCommand::Start(StartOptions {
            containers: args.clone(),
            attach: p.flag("attach"),
            interactive: p.flag("interactive"),
        }),
        CommandId::Stop => DockerCommand::Stop(StopOptions {
            containers: args.clone(),
            signal: opt(p, "signal"),
            timeout: p.int("timeout"),
        }),
        CommandId::Ps => DockerCommand::Ps(PsOptions {
            all: p.flag("all"),
            quiet: p.flag("quiet"),
            size: p.flag("size"),
            no_trunc: p.flag("no-trunc"),
            latest: p.flag("latest"),
            last: p.int("last").unwrap_or(-1),
            format: opt(p, "format"),
            filters: p.list("filter"),
        }),
        CommandId::Exec => DockerCommand::Exec(ExecOptions {
            container: first(),
            command: args.get(1..).unwrap_or(&[]).to_vec(),
            user: opt(p, "user"),
            workdir: opt(p, "workdir"),
            env: p.list("env"),
            interactive: p.flag("interactive"),
            tty: p.flag("tty"),
            detach: p.flag("detach"),
        }),
        CommandId::Diff => DockerCommand::Diff(DiffOptions { container: first() }),
        CommandId::Commit => DockerCommand::Commit(CommitOptions {
            container: first(),
            reference: args.get(1).cloned(),
            message: opt(p, "message"),
            author: opt(p, "author"),
            changes: p.list("change"),
            pause: p.bool("pause").unwrap_or(true),
        }),
        CommandId::Rm => DockerCommand::Rm(RmOptions {
            containers: args.clone(),
            force: p.flag("force"),
            volumes: p.flag("volumes"),
        }),
        CommandId::Rmi => DockerCommand::Rmi(RmiOptions {
            images: args.clone(),
            force: p.flag("force"),
            no_prune: p.flag("no-prune"),
        }),
        CommandId::Tag => DockerCommand::Tag(TagOptions {
            source: first(),
            target: args.get(1).cloned().unwrap_or_default(),
        }),
        CommandId::SystemDf => DockerCommand::SystemDf(DfOptions {
            verbose: p.flag("verbose"),
            format: opt(p, "format"),
        }),
        CommandId::ImagePrune => DockerCommand::ImagePrune(ImagePruneOptions {
            all: p.flag("all"),
            force: p.flag("force"),
            filters: p.list("filter"),
        }),
        CommandId::ContainerPrune => DockerCommand::ContainerPrune(ContainerPruneOptions {
            force: p.flag("force"),
            filters: p.list("filter"),
        }),
        CommandId::Version => DockerCommand::Version(FormatOnly {
            format: opt(p, "format"),
        }),
        CommandId::Info => DockerCommand::Info(FormatOnly {
            format: opt(p, "format"),
        }),
    })
}

// ---------------------------------------------------------------------------------------
// Help texts (docker/cli's cobra usage template).

const PLAYGROUND_NOTE: &str = "The playground emulates the options listed above";

/// `docker COMMAND --help`.
pub fn command_help(spec: &CommandSpec) -> String {
    let mut out = format!("Usage:  {}\n\n{}\n", spec.usage_line(), spec.short);
    if !spec.aliases.is_empty() {
        out.push_str(&format!("\nAliases:\n  {}\n", spec.aliases));
    }
    if !spec.flags.is_empty() {
        let usages = flags::usages(spec.flags, 79);
        out.push_str(&format!("\nOptions:\n{}\n", usages.trim_end()));
    }
    if !spec.other_flags.is_empty() {
        let mut names: Vec<String> = spec
            .other_flags
            .iter()
            .map(|f| format!("--{}", f.name))
            .collect();
        names.sort();
        out.push_str(&format!("\n{PLAYGROUND_NOTE}; it does not emulate:\n"));
        out.push_str(&wrap_list(&names, 79));
    }
    out
}

/// Comma-separated names, two-space indent, lines at most `width` wide.
fn wrap_list(names: &[String], width: usize) -> String {
    let mut out = String::new();
    let mut line = String::from(" ");
    for (i, name) in names.iter().enumerate() {
        let item = if i + 1 < names.len() {
            format!("{name},")
        } else {
            name.clone()
        };
        if line.len() + 1 + item.len() > width && line.trim() != "" {
            out.push_str(&line);
            out.push('\n');
            line = String::from(" ");
        }
        line.push(' ');
        line.push_str(&item);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

fn list_short(spec: &CommandSpec) -> &'static str {
    if spec.id == CommandId::Build && spec.parent != "docker buildx" {
        "Build an image from a Dockerfile"
    } else if spec.id == CommandId::Build {
        "Start a build"
    } else {
        spec.short
    }
}

/// `docker image --help`.
pub fn group_help(group: &GroupSpec) -> String {
    let mut out = format!(
        "Usage:  docker {} COMMAND\n\n{}\n\nCommands:\n",
        group.name, group.short
    );
    let mut seen: Vec<&str> = Vec::new();
    let mut rows: Vec<(&str, &str)> = Vec::new();
    for (_, s) in group.commands {
        let name = s.name();
        if !seen.contains(&name) {
            seen.push(name);
            let short = if group.name == "buildx" {
                "Start a build"
            } else if s.id == CommandId::Build {
                "Build an image from a Dockerfile"
            } else {
                list_short(s)
            };
            rows.push((name, short));
        }
    }
    rows.sort_by_key(|r| r.0);
    for (name, short) in rows {
        out.push_str(&format!("  {name:<11} {short}\n"));
    }
    out.push_str(&format!(
        "\nRun 'docker {} COMMAND --help' for more information on a command.\n",
        group.name
    ));
    out.push_str("\nThe playground emulates the commands listed above.\n");
    out
}

/// `docker --help`.
pub fn root_help() -> String {
    let mut out = String::from("Usage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n\nCommon Commands:\n");
    let short_of = |name: &str| -> &'static str {
        spec::TOP_LEVEL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| {
                if s.id == CommandId::Build {
                    "Build an image from a Dockerfile"
                } else {
                    s.short
                }
            })
            .unwrap_or("")
    };
    for name in spec::COMMON_COMMANDS {
        out.push_str(&format!("  {name:<12}{}\n", short_of(name)));
    }
    out.push_str("\nManagement Commands:\n");
    for group in spec::GROUPS {
        let decorated = if group.name == "buildx" {
            "buildx*"
        } else {
            group.name
        };
        out.push_str(&format!("  {decorated:<12}{}\n", group.short));
    }
    out.push_str("\nCommands:\n");
    for (name, _) in spec::TOP_LEVEL {
        if !spec::COMMON_COMMANDS.contains(name) {
            out.push_str(&format!("  {name:<11} {}\n", short_of(name)));
        }
    }
    let mut root_specs: Vec<FlagSpec> = spec::ROOT_FLAGS.to_vec();
    root_specs.sort_by_key(|s| s.name);
    out.push_str(&format!(
        "\nGlobal Options:\n{}\n",
        flags::usages(&root_specs, 79).trim_end()
    ));
    out.push_str("\nRun 'docker COMMAND --help' for more information on a command.\n\nFor more help on how to use Docker, head to https://docs.docker.com/go/guides/\n");
    out.push_str("\nThe playground emulates the commands listed above.\n");
    out
}

/// `docker help [COMMAND…]`.
fn help_topic(args: &[String]) -> CommandOutput {
    let Some(first) = args.first() else {
        return CommandOutput::ok(root_help());
    };
    if let Some(group) = spec::GROUPS.iter().find(|g| g.name == first) {
        return match args.get(1) {
            None => CommandOutput::ok(group_help(group)),
            Some(sub) => match group.commands.iter().find(|(n, _)| n == sub) {
                Some((_, s)) => CommandOutput::ok(command_help(s)),
                None => {
                    CommandOutput::error(format!("unknown help topic: {}\n", args.join(" ")), 1)
                }
            },
        };
    }
    match spec::TOP_LEVEL.iter().find(|(n, _)| n == first) {
        Some((_, s)) => CommandOutput::ok(command_help(s)),
        None => CommandOutput::error(format!("unknown help topic: {}\n", args.join(" ")), 1),
    }
}
