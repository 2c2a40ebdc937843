//! Emulation of the docker command line (docker/cli v28.5.2 with Buildx v0.29.1 as the
//! builder, classic image store): argument parsing and Docker's exact output formats.
//!
//! The flow is `console line → argv → DockerCommand → DockerBackend → text`:
//! [`parse`] turns a line into a typed [`DockerCommand`] (or into help/usage-error text),
//! [`console`] asks the [`DockerBackend`] (the engine glue) for plain view-model data
//! ([`model`]) and prints it the way docker/cli does: go-units sizes and durations,
//! the tabwriter table layout, Go templates for `--format`, the daemon's JSON for inspect,
//! and Docker's error texts and exit codes.
//!
//! Invariants: nothing here panics or loops without bound on user input (lines, words,
//! templates and JSON are size- and depth-limited); there is no clock — "now" is passed
//! in as a [`LogicalTime`]; output is deterministic for the same backend answers.

pub mod argv;
pub mod backend;
pub mod clock;
pub mod command;
pub mod console;
pub mod flags;
pub mod format;
pub mod json;
pub mod listing;
pub mod model;
pub mod parse;
pub mod reference;
pub mod rows;
pub mod spec;
pub mod tabwriter;
pub mod template;
pub use crate::units;

pub use backend::{
    CreateOutcome, CreateResult, DaemonError, DockerBackend, ProcessOutput, PullLog, RunOutcome,
    RunResult,
};
pub use clock::LogicalTime;
pub use command::*;
pub use model::*;
pub use parse::{parse_line, Parsed};

use serde::Serialize;

/// What the console prints for one command line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CommandOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    /// What the simulation approximated or could not run while serving the command (a
    /// container process's "not simulated" program …): not part of docker's output; the
    /// console shows it apart.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl CommandOutput {
    pub fn ok(stdout: impl Into<String>) -> Self {
        CommandOutput {
            stdout: stdout.into(),
            stderr: String::new(),
            exit_code: 0,
            ..Default::default()
        }
    }

    pub fn error(stderr: impl Into<String>, exit_code: i32) -> Self {
        CommandOutput {
            stdout: String::new(),
            stderr: stderr.into(),
            exit_code,
            ..Default::default()
        }
    }

    pub fn with_stderr(
        stdout: impl Into<String>,
        stderr: impl Into<String>,
        exit_code: i32,
    ) -> Self {
        CommandOutput {
            stdout: stdout.into(),
            stderr: stderr.into(),
            exit_code,
            ..Default::default()
        }
    }
}

/// Parses `line` (the `docker` prefix is optional), runs it against `backend` and returns
/// what docker would print. `now` is the logical time used for "… ago" columns.
pub fn execute(line: &str, backend: &mut dyn DockerBackend, now: LogicalTime) -> CommandOutput {
    match parse_line(line) {
        Parsed::Output(output) => output,
        Parsed::Command { command, warnings } => {
            let mut output = console::run_command(&command, backend, now);
            if !warnings.is_empty() {
                let mut stderr: String = warnings.iter().map(|w| format!("{w}\n")).collect();
                stderr.push_str(&output.stderr);
                output.stderr = stderr;
            }
            output
        }
    }
}
