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
