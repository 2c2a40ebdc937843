//! The typed result of parsing a docker command line: one variant per emulated command,
//! each with an options struct holding exactly what the user asked for. Defaults are
//! Docker's (for example `history -H` defaults to true, `ps -n` to -1).

use serde::Serialize;

/// A parsed, supported docker command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum DockerCommand {
    Build(BuildOptions),
    Images(ImagesOptions),
    History(HistoryOptions),
    Inspect(InspectOptions),
    Run(RunOptions),
    Create(RunOptions),
    Start(StartOptions),
    Stop(StopOptions),
    Ps(PsOptions),
    Exec(ExecOptions),
    Diff(DiffOptions),
    Commit(CommitOptions),
    Rm(RmOptions),
    Rmi(RmiOptions),
    Tag(TagOptions),
    SystemDf(DfOptions),
    ImagePrune(ImagePruneOptions),
    ContainerPrune(ContainerPruneOptions),
    Version(FormatOnly),
    Info(FormatOnly),
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct BuildOptions {
    /// The context argument (`PATH | URL | -`).
    pub context: String,
    pub tags: Vec<String>,
    /// `-f`: the Dockerfile path, if given.
    pub file: Option<String>,
    pub target: Option<String>,
    /// `--build-arg` values as written (`KEY=value` or `KEY`).
    pub build_args: Vec<String>,
    pub labels: Vec<String>,
    pub no_cache: bool,
    /// `--progress` (default `auto`).
    pub progress: String,
    pub quiet: bool,
    pub pull: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ImagesOptions {
    /// The optional `REPOSITORY[:TAG]` argument.
    pub reference: Option<String>,
    pub all: bool,
    pub quiet: bool,
    pub no_trunc: bool,
    pub digests: bool,
    pub format: Option<String>,
    /// `--filter` values (`key=value`).
    pub filters: Vec<String>,
    /// Invoked as `docker images` (not `docker image ls`): enables docker/cli's hint for
    /// `docker images ls` and similar mix-ups.
    pub called_as_images: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryOptions {
    pub image: String,
    pub human: bool,
    pub quiet: bool,
    pub no_trunc: bool,
    pub format: Option<String>,
}

/// Which objects an inspect looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectKind {
    /// `docker inspect`: containers first, then images.
    Any,
    Image,
    Container,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InspectOptions {
    pub kind: InspectKind,
    pub names: Vec<String>,
    pub format: Option<String>,
    /// `-s`: include `SizeRw` and `SizeRootFs` for containers.
    pub size: bool,
}

/// Options of `docker run` and `docker create` (create ignores the run-only fields).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RunOptions {
    pub image: String,
    /// The command and its arguments after the image, if any.
    pub command: Vec<String>,
    pub name: Option<String>,
    pub env: Vec<String>,
    pub workdir: Option<String>,
    pub user: Option<String>,
    /// `--entrypoint` (an empty string clears the image's entrypoint).
    pub entrypoint: Option<String>,
    pub hostname: Option<String>,
    pub labels: Vec<String>,
    pub publish: Vec<String>,
    pub expose: Vec<String>,
    pub detach: bool,
    pub rm: bool,
    pub interactive: bool,
    pub tty: bool,
    pub quiet: bool,
    /// `--pull` (default `missing`).
    pub pull: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct StartOptions {
    pub containers: Vec<String>,
    pub attach: bool,
    pub interactive: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct StopOptions {
    pub containers: Vec<String>,
    pub signal: Option<String>,
    pub timeout: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PsOptions {
    pub all: bool,
    pub quiet: bool,
    pub size: bool,
    pub no_trunc: bool,
    pub latest: bool,
    /// `-n` (default -1: no limit).
    pub last: i64,
    pub format: Option<String>,
    pub filters: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ExecOptions {
    pub container: String,
    pub command: Vec<String>,
    pub user: Option<String>,
    pub workdir: Option<String>,
    pub env: Vec<String>,
    pub interactive: bool,
    pub tty: bool,
    pub detach: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct DiffOptions {
    pub container: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitOptions {
    pub container: String,
    pub reference: Option<String>,
    pub message: Option<String>,
    pub author: Option<String>,
    /// `-c` Dockerfile instructions (`CMD ["x"]`, `ENV A=b` …).
    pub changes: Vec<String>,
    pub pause: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RmOptions {
    pub containers: Vec<String>,
    pub force: bool,
    pub volumes: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RmiOptions {
    pub images: Vec<String>,
    pub force: bool,
    pub no_prune: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct TagOptions {
    pub source: String,
    pub target: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct DfOptions {
    pub verbose: bool,
    pub format: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ImagePruneOptions {
    pub all: bool,
    pub force: bool,
    pub filters: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ContainerPruneOptions {
    pub force: bool,
    pub filters: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct FormatOnly {
    pub format: Option<String>,
}
