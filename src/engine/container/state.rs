//! A container's lifecycle state, as the daemon keeps it (moby `container.State`).
//!
//! Invariants: `started_at` is set once the process first started and never cleared;
//! `finished_at` is set when it last stopped; a container whose start failed stays
//! `created` with the exit code runc's error maps to (127 command not found, 126 not
//! executable) and the error text in `error`.

use crate::engine::vfs::Time;
use serde::Serialize;

/// `State.Status` (moby `container.ContainerState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Running => "running",
            Status::Paused => "paused",
            Status::Restarting => "restarting",
            Status::Removing => "removing",
            Status::Exited => "exited",
            Status::Dead => "dead",
        }
    }

    /// Running, paused and restarting count as "active" (`system df`, `rm`, `rmi`).
    pub fn is_running(self) -> bool {
        matches!(self, Status::Running | Status::Paused | Status::Restarting)
    }
}

/// What the daemon knows about the main process.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct State {
    pub status: Status,
    pub exit_code: i32,
    /// Host pid while running (a deterministic stand-in), 0 otherwise.
    pub pid: u32,
    pub started_at: Option<Time>,
    pub finished_at: Option<Time>,
    /// The start error, if the last start failed.
    pub error: String,
    pub oom_killed: bool,
}

impl State {
    pub fn is_running(&self) -> bool {
        self.status.is_running()
    }
}
