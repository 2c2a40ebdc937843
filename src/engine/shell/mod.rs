//! The RUN interpreter: a POSIX shell (dash, BusyBox ash and the bash features real
//! Dockerfiles use) with builtins and simulated programs acting on a [`ShellFs`].
//!
//! How the builder runs a `RUN`:
//! ```text
//! shell form:   RunRequest::shell_form(&shell, script)   // shell = SHELL or ["/bin/sh","-c"]
//! heredoc only: RunRequest::heredoc(&shell, body)        // `RUN <<EOF`; honours `#!`
//! exec form:    RunRequest::exec_form(argv)
//! then set env (ENV + ARGs in scope, in order), cwd (WORKDIR), user (USER as ids),
//! image (ImageFlavor::detect(&fs)), now (logical clock), and
//!               let outcome = shell::run(&request, &mut fs, &registry);
//! ```
//! `registry` is `Registry::standard()`, built once; package managers and other
//! programs are added with `Registry::register`.
//! The outcome carries the exit status, the build-log output, the commands that are not
//! simulated (with their spans in the script), the `set -x` trace and, if a budget ran
//! out, why the RUN was stopped.
//!
//! Invariants:
//! - Never panics, never hangs: every step, loop round, byte of output and file content,
//!   nesting level and value size is budgeted ([`Limits`]).
//! - Deterministic: no clock, no randomness, no host I/O; time is a logical clock given
//!   in the request.
//! - Spans in events are byte offsets into the top-level script (the last element of a
//!   shell-form argv); commands reached through nested sources (`sh -c`, `eval`, `.`,
//!   script files) report the span of the command that started them.
//! - Command lookup follows the request: with `strict_path` (what the builder and
//!   containers use, see `engine::programs::process_request`) a command runs only if it
//!   is a builtin, a function or an executable file on PATH — the file's name as called
//!   (`awk`, a BusyBox applet link, `python3.12`) picks the simulated program, as argv[0]
//!   does for BusyBox; anything else is the shell's `not found` (127) under
//!   [`UnknownCommands::NotFound`]. A file on PATH that nothing simulates succeeds,
//!   changes nothing and is reported as [`EventKind::NotSimulated`]; so does, with
//!   [`UnknownCommands::Succeed`], a command that is not there at all. A PATH symlink
//!   into a directory that does not exist (a download's unpacked files are not known) is
//!   taken as present. `which`, `command -v`, `type` and `hash` use the same lookup.

pub mod analysis;
pub mod arith;
pub mod ast;
pub mod budget;
mod builtins;
mod expand;
pub mod fs;
mod interp;
pub mod io;
mod kernel;
pub mod memfs;
pub mod parser;
pub mod pattern;
pub mod programs;
mod redirect;
pub mod regex;
pub mod stack;
pub mod state;
mod test_expr;
mod unfetched;

pub use ast::Dialect;
pub use budget::{Abort, BudgetKind, Limits, Usage};
pub use fs::{Content, Data, Errno, FileKind, Metadata, NewNode, ShellFs, WriteMode};
pub use io::Stream;
pub use memfs::MemFs;
pub use programs::{Program, ProgramCtx, Registry};
pub use state::Cred;

use crate::text::Span;
use serde::Serialize;

/// Whose tools the image ships: GNU coreutils (Debian, Ubuntu) or BusyBox (Alpine).
/// Decides error wording and a few flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Userland {
    Gnu,
    Busybox,
}

/// What `/bin/sh` is and whose tools the image has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ImageFlavor {
    pub sh: Dialect,
    pub userland: Userland,
}

impl ImageFlavor {
    /// Debian/Ubuntu: dash and GNU coreutils.
    pub const DEBIAN: ImageFlavor = ImageFlavor {
        sh: Dialect::Dash,
        userland: Userland::Gnu,
    };
    /// Alpine: BusyBox ash and applets.
    pub const ALPINE: ImageFlavor = ImageFlavor {
        sh: Dialect::Ash,
        userland: Userland::Busybox,
    };

    /// Looks at the filesystem: `/bin/sh` → busybox means Alpine-like, → bash means
    /// bash, otherwise dash with GNU tools. An empty filesystem (`FROM scratch`) gives
    /// Debian's flavour.
    pub fn detect(fs: &dyn ShellFs) -> ImageFlavor {
        let busybox = fs.lstat("/bin/busybox").is_ok();
        let userland = if busybox {
            Userland::Busybox
        } else {
            Userland::Gnu
        };
        let sh = match fs.readlink("/bin/sh") {
            Ok(t) if t.contains("busybox") => Dialect::Ash,
            Ok(t) if t.contains("bash") => Dialect::Bash,
            Ok(t) if t.contains("dash") => Dialect::Dash,
            _ if busybox => Dialect::Ash,
            _ => Dialect::Dash,
        };
        ImageFlavor { sh, userland }
    }
}

/// The policy for commands nothing simulates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnknownCommands {
    /// Succeed, change nothing, report [`EventKind::NotSimulated`] (the default: the
    /// image may well have the program, we just cannot run it).
    Succeed,
    /// Fail like a shell: `sh: 1: foo: not found`, status 127.
    NotFound,
}

/// Everything a RUN needs besides the filesystem and the programs.
#[derive(Debug, Clone)]
pub struct RunRequest {
    /// The command line: `SHELL + [script]` for shell form, the JSON array for exec form.
    pub argv: Vec<String>,
    /// Environment as Docker passes it (image ENV, then build args in scope), in order.
    pub env: Vec<(String, String)>,
    /// Working directory (WORKDIR), absolute.
    pub cwd: String,
    /// USER, resolved to ids.
    pub user: Cred,
    pub umask: u32,
    pub stdin: Vec<u8>,
    pub image: ImageFlavor,
    pub limits: Limits,
    /// When true, a command must exist as an executable file on PATH to run (as in a
    /// real container); when false (default), registered programs run even if the
    /// filesystem does not model their binary.
    pub strict_path: bool,
    /// What a command that is neither a builtin, a function, a file nor a registered
    /// program does.
    pub unknown_commands: UnknownCommands,
    /// Logical time in seconds since the epoch (for `date`).
    pub now: i64,
    pub hostname: String,
    /// Directories that received archives of unknown content in earlier RUN steps
    /// (from [`RunOutcome::unfetched_trees`]); see `unfetched.rs`.
    pub unfetched_trees: Vec<String>,
}

impl RunRequest {
    /// A shell-form RUN: `shell` is the SHELL instruction's array (or `["/bin/sh","-c"]`).
    pub fn shell_form(shell: &[String], script: &str) -> Self {
        let mut argv: Vec<String> = if shell.is_empty() {
            vec!["/bin/sh".to_string(), "-c".to_string()]
        } else {
            shell.to_vec()
        };
        argv.push(script.to_string());
        Self::exec_form(argv)
    }

    /// A RUN whose command is only a here-document (`RUN <<EOF … EOF`): the body runs
    /// with the shell, unless it starts with `#!`, in which case (as BuildKit does) its
    /// interpreter runs it. Spans in events are offsets into `body`.
    pub fn heredoc(shell: &[String], body: &str) -> Self {
        if let Some(rest) = body.strip_prefix("#!") {
            let line = rest.lines().next().unwrap_or("");
            let mut argv: Vec<String> = line.split_whitespace().map(str::to_string).collect();
            if argv
                .first()
                .is_some_and(|a| a.rsplit('/').next() == Some("env"))
            {
                argv.remove(0);
            }
            let is_shell = argv
                .first()
                .map(|a| a.rsplit('/').next().unwrap_or(a))
                .is_some_and(|a| matches!(a, "sh" | "bash" | "dash" | "ash"));
            if !argv.is_empty() {
                if is_shell {
                    argv.push("-c".to_string());
                }
                argv.push(body.to_string());
                return Self::exec_form(argv);
            }
        }
        Self::shell_form(shell, body)
    }

    /// An exec-form RUN (`RUN ["a","b"]`).
    pub fn exec_form(argv: Vec<String>) -> Self {
        RunRequest {
            argv,
            env: vec![(
                "PATH".to_string(),
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
            )],
            cwd: "/".to_string(),
            user: Cred::root(),
            umask: 0o022,
            stdin: Vec::new(),
            image: ImageFlavor::DEBIAN,
            limits: Limits::default(),
            strict_path: false,
            unknown_commands: UnknownCommands::Succeed,
            now: 1_700_000_000,
            hostname: "buildkitsandbox".to_string(),
            unfetched_trees: Vec::new(),
        }
    }
}

/// A piece of the build log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutputChunk {
    pub stream: Stream,
    pub bytes: Vec<u8>,
}

/// Kinds of things the builder should tell the learner about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    /// The command is not simulated: it succeeded and changed nothing
    /// (diagnostic `unsimulated-command`).
    NotSimulated,
    /// The command ran, but its effect is approximated (a download of unknown content…).
    Approximated,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShellEvent {
    pub kind: EventKind,
    /// The command name as written.
    pub command: String,
    /// A sentence for the learner.
    pub detail: String,
    /// Where in the top-level script (`None` for exec form outside any shell).
    pub span: Option<Span>,
}

/// The result of a RUN.
#[derive(Debug, Clone, Serialize)]
pub struct RunOutcome {
    pub status: i32,
    pub output: Vec<OutputChunk>,
    pub events: Vec<ShellEvent>,
    /// `set -x` lines (also present in the stderr output), without newlines.
    pub xtrace: Vec<String>,
    /// Set if a budget stopped the RUN; the RUN failed (status 1) and the message is
    /// also the last line of stderr.
    pub aborted: Option<Abort>,
    pub usage: Usage,
    /// Directories holding unpacked archives whose content the playground does not have
    /// (the request's plus this RUN's): not files, so a builder that wants later RUN
    /// steps to know them passes them on in [`RunRequest::unfetched_trees`].
    pub unfetched_trees: Vec<String>,
}

impl RunOutcome {
    pub fn stdout(&self) -> Vec<u8> {
        self.stream(Stream::Stdout)
    }

    pub fn stderr(&self) -> Vec<u8> {
        self.stream(Stream::Stderr)
    }

    fn stream(&self, s: Stream) -> Vec<u8> {
        self.output
            .iter()
            .filter(|c| c.stream == s)
            .flat_map(|c| c.bytes.iter().copied())
            .collect()
    }

    /// The commands reported as not simulated.
    pub fn not_simulated(&self) -> impl Iterator<Item = &ShellEvent> {
        self.events
            .iter()
            .filter(|e| e.kind == EventKind::NotSimulated)
    }

    /// True if the RUN succeeded (status 0, no budget abort).
    pub fn success(&self) -> bool {
        self.status == 0 && self.aborted.is_none()
    }
}

/// Runs one RUN instruction.
pub fn run(req: &RunRequest, fs: &mut dyn ShellFs, programs: &Registry) -> RunOutcome {
    let mut st = state::ShellState::new(
        req.image.sh,
        req.argv.first().map(String::as_str).unwrap_or("sh"),
        &fs::normalize(&req.cwd),
        req.user.clone(),
        req.umask,
    );
    for (k, v) in &req.env {
        st.vars.insert(
            k,
            state::Var {
                value: v.clone(),
                array: None,
                exported: true,
                readonly: false,
            },
        );
    }
    // runc adds HOME from the user's passwd entry ("/" without one) when it is unset.
    if st.vars.get("HOME").is_none() {
        let home = passwd_home(&*fs, req.user.uid).unwrap_or_else(|| "/".to_string());
        st.vars.insert(
            "HOME",
            state::Var {
                value: home,
                array: None,
                exported: true,
                readonly: false,
            },
        );
    }
    let cfg = interp::Config {
        image: req.image,
        strict_path: req.strict_path,
        unknown_commands: req.unknown_commands,
        now: req.now,
        hostname: req.hostname.clone(),
    };
    let fds = io::FdTable::standard(io::StreamData::known(req.stdin.clone()));
    let mut sh = interp::Interp::new(fs, programs, st, fds, cfg, budget::Budget::new(req.limits));
    for dir in &req.unfetched_trees {
        sh.mark_unfetched_tree(dir);
    }
    let result = sh.exec_external(req.argv.clone());
    let (status, aborted) = match result {
        Ok(s) => (s, None),
        Err(interp::Flow::Exit(s)) | Err(interp::Flow::Return(s)) => (s, None),
        Err(interp::Flow::Break(_)) | Err(interp::Flow::Continue(_)) => (0, None),
        Err(interp::Flow::Abort(a)) => {
            let msg = format!("{}\n", a.message);
            sh.log.push(OutputChunk {
                stream: Stream::Stderr,
                bytes: msg.into_bytes(),
            });
            (1, Some(a))
        }
    };
    RunOutcome {
        status,
        output: sh.log,
        events: sh.events,
        xtrace: sh.xtrace,
        aborted,
        usage: sh.budget.used,
        unfetched_trees: sh.unfetched,
    }
}

fn passwd_home(fs: &dyn ShellFs, uid: u32) -> Option<String> {
    let content = fs.read_file("/etc/passwd").ok()?;
    let text = String::from_utf8_lossy(content.bytes()?).into_owned();
    text.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.len() >= 6 && f[2].parse::<u32>().ok() == Some(uid)).then(|| f[5].to_string())
    })
}

/// Parses a script without running it (for linting and the corpus check).
pub fn parse(script: &str, dialect: Dialect) -> Result<ast::List, parser::SyntaxError> {
    parser::parse(script, dialect)
}
