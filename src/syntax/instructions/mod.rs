//! Typed instructions and stages, validated like BuildKit's `instructions` package: the
//! argument counts, the flags each instruction accepts, stage names, ARG/ENV forms,
//! HEALTHCHECK rules, ONBUILD triggers, heredoc sources, RUN mounts.
//!
//! Invariants: values are RAW words exactly as the parser produced them (quotes, escapes and
//! `$VAR` untouched; the builder expands them through `expand`), each with its source span.
//! An instruction that BuildKit would reject yields an error diagnostic and is left out of
//! the typed result; lowering then goes on with the next instruction.

mod flags;
pub mod gofmt;
mod lower;
pub mod mount;

pub use flags::{
    bool_flag, parse_flags, string_flag, strings_flag, FlagError, FlagKind, FlagSpec, FlagValue,
    ParsedFlags,
};
pub use lower::{lower, lower_node, Lowered};
pub use mount::{parse_device, parse_mount, Device, Expander, Mount, MountType, ShareMode};

use crate::text::Span;
use serde::Serialize;

/// A raw word and where it is in the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Word {
    pub value: String,
    pub span: Span,
}

/// The typed Dockerfile.
#[derive(Debug, Clone, Serialize)]
pub struct Dockerfile {
    /// The escape character (`\` or a backtick).
    pub escape: char,
    /// `# syntax=` / `# check=` directive values.
    pub syntax: Option<Word>,
    pub check: Option<Word>,
    /// ARG instructions before the first FROM (their `kind` is always `Arg`).
    pub global_args: Vec<Instruction>,
    pub stages: Vec<Stage>,
}

/// A build stage: a FROM and the instructions up to the next FROM.
#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    /// `AS name`, lower-cased as BuildKit does.
    pub name: Option<Word>,
    /// The base image reference, unexpanded.
    pub base: Word,
    /// `--platform=` value, unexpanded.
    pub platform: Option<Word>,
    /// The FROM keyword as written.
    pub keyword: Word,
    /// The FROM instruction.
    pub span: Span,
    pub start_line: usize,
    pub end_line: usize,
    /// The FROM line as written (trimmed).
    pub code: String,
    /// Comment lines just above the FROM, and the part of them that documents the stage.
    pub comments: Vec<String>,
    pub doc_comment: String,
    pub instructions: Vec<Instruction>,
}

/// One instruction inside a stage (or a global ARG).
#[derive(Debug, Clone, Serialize)]
pub struct Instruction {
    pub kind: InstructionKind,
    /// The keyword as written.
    pub keyword: Word,
    /// The instruction as written (BuildKit's `String()`: the logical line, trimmed).
    pub code: String,
    /// The whole instruction, heredoc bodies included.
    pub span: Span,
    pub start_line: usize,
    pub end_line: usize,
    /// Comment lines just above.
    pub comments: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum InstructionKind {
    /// Only from [`lower_node`]: in a [`Dockerfile`] a FROM starts a [`Stage`].
    From(From),
    Run(Run),
    Cmd(CommandLine),
    Entrypoint(CommandLine),
    Shell(Vec<Word>),
    Copy(Copy),
    Add(Add),
    Env(Vec<KeyValue>),
    Label(Vec<KeyValue>),
    Arg(Vec<ArgDef>),
    Workdir(Word),
    User(Word),
    /// Ports sorted as BuildKit sorts them (byte order of the raw words).
    Expose(Vec<Word>),
    /// Trimmed paths.
    Volume(Vec<Word>),
    StopSignal(Word),
    Maintainer(Word),
    Healthcheck(Healthcheck),
    Onbuild(Onbuild),
}

impl InstructionKind {
    /// The instruction name in upper case.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::From(_) => "FROM",
            Self::Run(_) => "RUN",
            Self::Cmd(_) => "CMD",
            Self::Entrypoint(_) => "ENTRYPOINT",
            Self::Shell(_) => "SHELL",
            Self::Copy(_) => "COPY",
            Self::Add(_) => "ADD",
            Self::Env(_) => "ENV",
            Self::Label(_) => "LABEL",
            Self::Arg(_) => "ARG",
            Self::Workdir(_) => "WORKDIR",
            Self::User(_) => "USER",
            Self::Expose(_) => "EXPOSE",
            Self::Volume(_) => "VOLUME",
            Self::StopSignal(_) => "STOPSIGNAL",
            Self::Maintainer(_) => "MAINTAINER",
            Self::Healthcheck(_) => "HEALTHCHECK",
            Self::Onbuild(_) => "ONBUILD",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct From {
    pub base: Word,
    pub name: Option<Word>,
    pub platform: Option<Word>,
}

/// A command line of RUN/CMD/ENTRYPOINT (BuildKit's `ShellDependantCmdLine`).
#[derive(Debug, Clone, Serialize)]
pub struct CommandLine {
    /// Exec form: the JSON elements. Shell form: at most one string, run by the stage's SHELL.
    pub args: Vec<Word>,
    /// Shell form (BuildKit's `PrependShell`).
    pub shell_form: bool,
    /// Heredoc files (RUN only): body unchanged, `chomp` says whether to strip tabs.
    pub files: Vec<InlineFile>,
}

/// A file given inline by a heredoc.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InlineFile {
    /// The heredoc name (for COPY/ADD: the file name).
    pub name: String,
    /// For RUN the raw body; for COPY/ADD the body already de-indented when `<<-` was used.
    pub data: String,
    pub chomp: bool,
    /// Expand variables in the body (no part of the heredoc word was quoted).
    pub expand: bool,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Network {
    Default,
    None,
    Host,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    Sandbox,
    Insecure,
}

#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub command: CommandLine,
    pub mounts: Vec<MountFlag>,
    pub network: Network,
    pub security: Security,
    pub devices: Vec<Device>,
    /// Flags that appeared (`mount`, `network`, …).
    pub flags_used: Vec<String>,
}

/// One `--mount=` value.
#[derive(Debug, Clone, Serialize)]
pub struct MountFlag {
    /// Unexpanded, as written after `--mount=`.
    pub raw: Word,
    /// The mount, when the value needs no expansion (no `$`, quote or escape character);
    /// otherwise the builder parses `raw` after expanding it ([`parse_mount`]).
    pub mount: Option<Mount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Copy {
    pub source_paths: Vec<Word>,
    pub source_contents: Vec<InlineFile>,
    pub dest: Word,
    pub from: Option<Word>,
    pub chown: Option<Word>,
    pub chmod: Option<Word>,
    pub link: bool,
    pub parents: bool,
    pub exclude: Vec<Word>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Add {
    pub source_paths: Vec<Word>,
    pub source_contents: Vec<InlineFile>,
    pub dest: Word,
    pub chown: Option<Word>,
    pub chmod: Option<Word>,
    pub link: bool,
    /// `Some` only when `--keep-git-dir` was given.
    pub keep_git_dir: Option<bool>,
    pub checksum: Option<Word>,
    /// `Some` only when `--unpack` was given.
    pub unpack: Option<bool>,
    pub exclude: Vec<Word>,
}

/// `key=value` (or legacy `key value`, then `no_delim`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyValue {
    pub key: Word,
    pub value: Word,
    pub no_delim: bool,
}

/// One ARG name with its optional default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArgDef {
    pub key: Word,
    pub value: Option<Word>,
    /// From a comment line `# <key> text` just above.
    pub doc_comment: String,
}

/// HEALTHCHECK (BuildKit's `HealthcheckConfig`). Durations in nanoseconds, 0 = default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Healthcheck {
    /// `["NONE"]`, `["CMD", args…]` (exec form) or `["CMD-SHELL", command]`.
    pub test: Vec<String>,
    pub interval: i64,
    pub timeout: i64,
    pub start_period: i64,
    pub start_interval: i64,
    pub retries: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Onbuild {
    /// The trigger as stored in the image config (`ONBUILD` removed, heredocs appended).
    pub expression: String,
    /// The wrapped instruction's keyword.
    pub trigger: Word,
}

/// Codes of the diagnostics the instruction stage reports (all are errors BuildKit stops on).
pub mod codes {
    pub const UNKNOWN_INSTRUCTION: &str = "unknown-instruction";
    pub const ARGUMENT_COUNT: &str = "argument-count";
    pub const INVALID_FLAG: &str = "invalid-flag";
    pub const INVALID_STAGE_NAME: &str = "invalid-stage-name";
    pub const INVALID_ARGUMENT: &str = "invalid-argument";
    pub const ONBUILD_TRIGGER: &str = "onbuild-trigger";
    pub const HEREDOC_DESTINATION: &str = "heredoc-destination";
    pub const HEALTHCHECK: &str = "invalid-healthcheck";
    pub const INVALID_MOUNT: &str = "invalid-mount";
    pub const JSON_REQUIRED: &str = "json-required";
    pub const NO_STAGE: &str = "no-build-stage";
    pub const NO_STAGES: &str = "no-stages";
}
