//! The seam between the docker console and the engine: [`DockerBackend`] has one method
//! per daemon operation; the engine glue implements it by filling the view models of
//! [`super::model`]. Failures are [`DaemonError`] values whose messages are the daemon's
//! own texts (Moby v28); the console adds Docker's prefixes (`Error response from daemon: `,
//! `docker: ` …) per command.
//!
//! Listing methods return everything they have (all images, all containers, in any order):
//! the console applies the daemon's selection rules itself (`-a`, `-n`, filters, sort by
//! creation time, newest first), so those rules live in one tested place.

use super::command::{BuildOptions, CommitOptions, ExecOptions, RunOptions};
use super::model::*;

/// An error the daemon (or the image registry behind it) reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DaemonError {
    /// `No such container: <name>`.
    NoSuchContainer(String),
    /// `No such image: <ref>`; a reference without tag or digest gets `:latest`.
    NoSuchImage(String),
    /// A `docker pull` of a repository the registry does not have (familiar name).
    PullAccessDenied(String),
    /// `rmi` refused: `conflict: unable to delete <id> (must be forced) - <reason>`.
    ImageDeleteConflict {
        image_id: String,
        /// Hard conflicts (running container, child images) "cannot be forced".
        hard: bool,
        /// e.g. `image is being used by stopped container 0123456789ab`.
        reason: String,
    },
    /// `rmi name:tag` while a container uses it and it is the only reference.
    RepositoryReferenceConflict {
        reference: String,
        container_id: String,
        image_id: String,
    },
    /// `rm` of a running container without `-f`. Moby v28.2+ quotes the reference as the
    /// user typed it (`"web"`); older daemons printed the stored name (`"/web"`).
    ContainerRunning {
        /// The container reference as given to `docker rm`.
        name: String,
        state: ContainerStatus,
    },
    /// `exec` into (or `stop` of) a stopped container.
    NotRunning { id: String },
    /// `run --name` with a name already taken.
    NameConflict { name: String, id: String },
    /// Any other daemon message, verbatim.
    Message(String),
    /// An error raised by the client before reaching the daemon (printed without prefix).
    Client(String),
}

impl DaemonError {
    /// The daemon's message (without `Error response from daemon: `).
    pub fn message(&self) -> String {
        match self {
            DaemonError::NoSuchContainer(name) => format!("No such container: {name}"),
            DaemonError::NoSuchImage(reference) => format!("No such image: {}", super::reference::tag_name_only(reference)),
            DaemonError::PullAccessDenied(name) => format!(
                "pull access denied for {name}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"
            ),
            DaemonError::ImageDeleteConflict { image_id, hard, reason } => format!(
                "conflict: unable to delete {} ({}) - {reason}",
                super::reference::truncate_id(image_id),
                if *hard { "cannot be forced" } else { "must be forced" }
            ),
            DaemonError::RepositoryReferenceConflict { reference, container_id, image_id } => format!(
                "conflict: unable to remove repository reference \"{reference}\" (must force) - container {} is using its referenced image {}",
                super::reference::truncate_id(container_id),
                super::reference::truncate_id(image_id)
            ),
            DaemonError::ContainerRunning { name, state } => format!(
                "cannot remove container {}: container is {}: stop the container before removing or force remove",
                super::flags::go_quote(name),
                state.as_str()
            ),
            DaemonError::NotRunning { id } => format!("container {id} is not running"),
            DaemonError::NameConflict { name, id } => format!(
                "Conflict. The container name \"/{}\" is already in use by container \"{id}\". You have to remove (or rename) that container to be able to reuse that name.",
                name.trim_start_matches('/')
            ),
            DaemonError::Message(m) | DaemonError::Client(m) => m.clone(),
        }
    }

    /// The line docker prints: `Error response from daemon: …` for daemon errors.
    pub fn display(&self) -> String {
        match self {
            DaemonError::Client(m) => m.clone(),
            other => format!("Error response from daemon: {}", other.message()),
        }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            DaemonError::NoSuchContainer(_)
                | DaemonError::NoSuchImage(_)
                | DaemonError::PullAccessDenied(_)
        )
    }
}

/// What a process printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProcessOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    /// The simulation's notes about the process (not docker output).
    pub notes: Vec<String>,
}

/// The image was not present locally and the daemon pulled (or tried to pull) it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PullLog {
    /// The familiar reference with tag: `alpine:latest`.
    pub reference: String,
    /// Progress lines as the pull prints them (`latest: Pulling from library/alpine`,
    /// `…: Pull complete`, `Digest: sha256:…`, `Status: Downloaded newer image for …`).
    pub lines: Vec<String>,
}

/// Result of `docker create`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateOutcome {
    pub pulled: Option<PullLog>,
    /// The new container's full ID, or why it could not be created.
    pub result: Result<CreateResult, DaemonError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreateResult {
    pub id: String,
    /// Daemon warnings, printed as `WARNING: …` on stderr.
    pub warnings: Vec<String>,
}

/// Result of `docker run`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOutcome {
    pub pulled: Option<PullLog>,
    pub result: Result<RunResult, DaemonError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunResult {
    pub container_id: String,
    pub warnings: Vec<String>,
    /// The container's output when attached (empty with `-d`) and its exit code.
    pub output: ProcessOutput,
    /// Set when the container was created but failed to start: the daemon's message
    /// (e.g. `failed to create task for container: … exec: "x": executable file not found in $PATH: unknown`).
    pub start_error: Option<String>,
}

/// The engine, as the docker console sees it.
pub trait DockerBackend {
    /// `docker build`: the engine renders the whole build output (BuildKit's progress
    /// lines on stderr, the image ID on stdout with `-q`) and the exit code.
    fn build(&mut self, options: &BuildOptions) -> ProcessOutput;
    /// All images, including intermediate and dangling ones.
    fn list_images(&mut self) -> Result<Vec<ImageSummary>, DaemonError>;
    fn image_history(&mut self, image: &str) -> Result<Vec<HistoryItem>, DaemonError>;
    fn inspect_image(&mut self, reference: &str) -> Result<ImageInspect, DaemonError>;
    fn inspect_container(
        &mut self,
        name: &str,
        size: bool,
    ) -> Result<ContainerInspect, DaemonError>;
    /// All containers; `size` asks for `size_rw` and `size_root_fs`.
    fn list_containers(&mut self, size: bool) -> Result<Vec<ContainerSummary>, DaemonError>;
    fn create(&mut self, options: &RunOptions) -> CreateOutcome;
    fn run(&mut self, options: &RunOptions) -> RunOutcome;
    /// Starts one container; with `attach`, returns what it printed until it exited.
    fn start(&mut self, container: &str, attach: bool) -> Result<ProcessOutput, DaemonError>;
    fn stop(&mut self, container: &str, timeout: Option<i64>) -> Result<(), DaemonError>;
    fn exec(&mut self, options: &ExecOptions) -> Result<ProcessOutput, DaemonError>;
    fn diff(&mut self, container: &str) -> Result<Vec<FilesystemChange>, DaemonError>;
    /// Returns the new image ID (`sha256:…`).
    fn commit(&mut self, options: &CommitOptions) -> Result<String, DaemonError>;
    fn remove_container(
        &mut self,
        container: &str,
        force: bool,
        volumes: bool,
    ) -> Result<(), DaemonError>;
    fn remove_image(
        &mut self,
        image: &str,
        force: bool,
        prune_children: bool,
    ) -> Result<Vec<DeleteRecord>, DaemonError>;
    fn tag(&mut self, source: &str, target: &str) -> Result<(), DaemonError>;
    fn disk_usage(&mut self) -> Result<DiskUsage, DaemonError>;
    /// `all = false` removes dangling images only.
    fn prune_images(&mut self, all: bool) -> Result<PruneReport, DaemonError>;
    fn prune_containers(&mut self) -> Result<PruneReport, DaemonError>;
    fn server_version(&mut self) -> Result<ServerVersion, DaemonError>;
    fn info(&mut self) -> Result<SystemInfo, DaemonError>;
}
