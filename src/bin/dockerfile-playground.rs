//! The native command line: the same engine as the page, from a terminal.

use clap::{Parser, Subcommand, ValueEnum};
use dockerfile_playground::diagnostics::LocatedDiagnostic;
use dockerfile_playground::syntax;
use dockerfile_playground::text::LineIndex;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "dockerfile-playground",
    version,
    about = "Parse Dockerfiles like BuildKit and simulate the build in memory"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build a Dockerfile in the in-memory engine and print the build output (or its trace).
    Build {
        file: PathBuf,
        /// The build context folder.
        #[arg(long, default_value = ".")]
        context: PathBuf,
        #[arg(long)]
        target: Option<String>,
        /// KEY=VALUE, repeatable.
        #[arg(long = "build-arg")]
        build_args: Vec<String>,
        #[arg(long, value_enum, default_value_t = BuilderArg::Buildkit)]
        builder: BuilderArg,
        #[arg(long)]
        tag: Vec<String>,
        /// `json`: the trace; default: the build output as Docker prints it.
        #[arg(long, value_enum)]
        format: Option<BuildFormat>,
    },
    /// Run docker commands against the in-memory engine, one per line, from SCRIPT or
    /// stdin (`docker` prefix optional, `#` comments and blank lines skipped;
    /// `DOCKER_BUILDKIT=0 docker build …` uses the legacy builder). Prints `$ command` and
    /// what docker prints for each.
    Console {
        /// The build context folder: `docker build` reads its Dockerfile and files.
        #[arg(long, default_value = ".")]
        context: PathBuf,
        script: Option<PathBuf>,
    },
    /// Parse a Dockerfile and print its instructions and diagnostics.
    Parse {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = ParseFormat::Json)]
        format: ParseFormat,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum BuilderArg {
    Buildkit,
    Legacy,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum BuildFormat {
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ParseFormat {
    /// Our form: syntax tree with spans, typed stages and instructions, diagnostics.
    Json,
    /// BuildKit's AST as a JSON list (`cmd`, `sub_cmd`, `json`, `original`, lines, `flags`,
    /// `value`, `heredocs`), or `{"error": …}` when BuildKit's parser rejects the file.
    BuildkitJson,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn read(path: &PathBuf) -> Result<String, String> {
    std::fs::read(path)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Every file below `dir`, with paths relative to it.
fn read_context(dir: &std::path::Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current)
            .map_err(|e| format!("cannot read {}: {e}", current.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((rel, bytes));
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Prints to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn print_out(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

fn build_command(
    file: &PathBuf,
    context: &std::path::Path,
    options: dockerfile_playground::engine::builder::BuildOptions,
    format: Option<BuildFormat>,
) -> Result<ExitCode, String> {
    use dockerfile_playground::playground::build::{cli_json, context_from, failed};
    let text = read(file)?;
    let files = read_context(context)?;
    let context = context_from(files.iter().map(|(p, b)| (p.as_str(), b.as_slice())));
    let mut engine = dockerfile_playground::engine::daemon::Engine::new();
    let trace =
        dockerfile_playground::engine::builder::build(&mut engine, &text, &context, &options);
    match format {
        Some(BuildFormat::Json) => {
            let json = serde_json::to_string_pretty(&cli_json(&text, &trace))
                .map_err(|e| e.to_string())?;
            print_out(&json);
        }
        None => print_out(&trace.log.join("\n")),
    }
    Ok(if failed(&trace) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The commands of a console script: one per line, `#` comments and blank lines skipped.
fn console_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn console_command(
    context: &std::path::Path,
    script: Option<&PathBuf>,
) -> Result<ExitCode, String> {
    use dockerfile_playground::playground::docker::{transcript, BuildSources};
    use std::io::{Read, Write};
    let text = match script {
        Some(path) => read(path)?,
        None => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
            text
        }
    };
    // The context is read only when the script builds (the default `.` may be large).
    let builds = console_lines(&text).any(|l| l.split_whitespace().any(|w| w == "build"));
    let files = if builds {
        read_context(context)?
    } else {
        Vec::new()
    };
    let mut session = dockerfile_playground::playground::session::Session::new();
    session.docker.sources = BuildSources {
        dockerfile: None,
        files: files.into_iter().collect(),
    };
    let mut out = std::io::stdout().lock();
    // Like `sh SCRIPT`: the status is the last command's.
    let mut last = 0;
    for line in console_lines(&text) {
        let output = session.docker(line);
        last = output.exit_code;
        // A closed pipe (`| head`) ends the session quietly.
        if out.write_all(transcript(line, &output).as_bytes()).is_err() {
            break;
        }
    }
    let _ = out.flush();
    Ok(ExitCode::from(
        u8::try_from(last.rem_euclid(256)).unwrap_or(1),
    ))
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Command::Build {
            file,
            context,
            target,
            build_args,
            builder,
            tag,
            format,
        } => {
            let mut options = dockerfile_playground::engine::builder::BuildOptions {
                builder: match builder {
                    BuilderArg::Buildkit => {
                        dockerfile_playground::expand::scope::BuilderKind::BuildKit
                    }
                    BuilderArg::Legacy => dockerfile_playground::expand::scope::BuilderKind::Legacy,
                },
                target,
                tags: tag,
                ..Default::default()
            };
            for arg in build_args {
                let (key, value) = arg.split_once('=').unwrap_or((arg.as_str(), ""));
                options
                    .build_args
                    .insert(key.to_string(), value.to_string());
            }
            build_command(&file, &context, options, format)
        }
        Command::Console { context, script } => console_command(&context, script.as_ref()),
        Command::Parse { file, format } => {
            let text = read(&file)?;
            let (json, rejected) = parse_report(&text, format).map_err(|e| e.to_string())?;
            print_out(&json);
            Ok(if rejected {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

/// Our `--format json`: the syntax tree, the typed Dockerfile and located diagnostics.
#[derive(serde::Serialize)]
struct ParseReport<'a> {
    directives: &'a [syntax::Directive],
    escape: char,
    comments: &'a [syntax::Comment],
    instructions: &'a [syntax::Node],
    dockerfile: &'a syntax::Dockerfile,
    diagnostics: Vec<LocatedDiagnostic>,
    rejection: Option<LocatedDiagnostic>,
}

/// The `parse` output and whether BuildKit rejects the file (exit status 1).
fn parse_report(text: &str, format: ParseFormat) -> serde_json::Result<(String, bool)> {
    match format {
        ParseFormat::BuildkitJson => {
            let parsed = syntax::parse(text);
            match parsed.rejection {
                Some(error) => Ok((
                    serde_json::to_string_pretty(&serde_json::json!({ "error": error.message }))?,
                    true,
                )),
                None => Ok((
                    serde_json::to_string_pretty(&syntax::dump::buildkit_nodes(&parsed.ast))?,
                    false,
                )),
            }
        }
        ParseFormat::Json => {
            let front = syntax::parse_dockerfile(text);
            let index = LineIndex::new(text);
            let report = ParseReport {
                directives: &front.ast.directives,
                escape: front.ast.escape,
                comments: &front.ast.comments,
                instructions: &front.ast.instructions,
                dockerfile: &front.dockerfile,
                diagnostics: front
                    .diagnostics
                    .iter()
                    .map(|d| d.located(text, &index))
                    .collect(),
                rejection: front.rejection.as_ref().map(|d| d.located(text, &index)),
            };
            Ok((
                serde_json::to_string_pretty(&report)?,
                front.rejection.is_some(),
            ))
        }
    }
}
