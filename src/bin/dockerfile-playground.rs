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
    /// Parse a Dockerfile and print its instructions and diagnostics.
    Parse {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = ParseFormat::Json)]
        format: ParseFormat,
    },
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

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Command::Parse { file, format } => {
            let text = read(&file)?;
            let (json, rejected) = parse_report(&text, format).map_err(|e| e.to_string())?;
            println!("{json}");
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
