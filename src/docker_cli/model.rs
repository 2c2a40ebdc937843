//! View models: plain data the engine glue fills and the formatters print. They mirror
//! the Docker Engine API types of Moby v28 (image and container summaries, history items,
//! disk usage, inspect responses), with times as [`LogicalTime`] instead of wall clock.
//! The inspect structs serialize to exactly the JSON the daemon sends (field names,
//! order, `omitempty` rules); `docker inspect` re-indents that JSON as Docker does.

use super::clock::{LogicalTime, GO_ZERO_TIME_RFC3339};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One image as `GET /images/json` returns it (moby `image.Summary`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImageSummary {
    /// `sha256:<64 hex>`.
    pub id: String,
    /// The parent image ID (legacy builder and commits), or empty.
    pub parent_id: String,
    /// Familiar references: `alpine:3.19`, `myapp:latest`. Empty for dangling images.
    pub repo_tags: Vec<String>,
    /// `alpine@sha256:…` for pulled images.
    pub repo_digests: Vec<String>,
    /// `None` is Go's zero time (shown as `N/A`).
    pub created: Option<LogicalTime>,
    /// The whole chain's uncompressed size in bytes.
    pub size: i64,
    /// Bytes shared with other images (`-1` = not computed; `system df` computes it).
    pub shared_size: i64,
    /// Number of containers using the image (`-1` = not computed).
    pub containers: i64,
    pub labels: BTreeMap<String, String>,
    /// True if other images have this one as parent: an untagged image with children is an
    /// "intermediate" image, hidden by `docker images` without `-a`.
    pub has_children: bool,
}

/// One row of `docker history` (moby `image.HistoryResponseItem`), newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HistoryItem {
    /// An image ID (`sha256:…`) or `<missing>`.
    pub id: String,
    /// Seconds precision, like the API.
    pub created: LogicalTime,
    pub created_by: String,
    /// Uncompressed size of the step's layer; 0 for empty layers.
    pub size: i64,
    pub comment: String,
    pub tags: Vec<String>,
}

/// A container's lifecycle state (moby `container.ContainerState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContainerStatus {
    #[default]
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
}

impl ContainerStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ContainerStatus::Created => "created",
            ContainerStatus::Running => "running",
            ContainerStatus::Paused => "paused",
            ContainerStatus::Restarting => "restarting",
            ContainerStatus::Removing => "removing",
            ContainerStatus::Exited => "exited",
            ContainerStatus::Dead => "dead",
        }
    }

    /// Running, paused and restarting containers count as "active" in `system df`,
    /// and the daemon treats paused ones as running.
    pub fn is_running(self) -> bool {
        matches!(
            self,
            ContainerStatus::Running | ContainerStatus::Paused | ContainerStatus::Restarting
        )
    }
}

/// What the daemon knows about a container's process.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ContainerState {
    pub status: ContainerStatus,
    pub exit_code: i64,
    /// `None` until the container first starts.
    pub started_at: Option<LogicalTime>,
    /// `None` until the container first stops.
    pub finished_at: Option<LogicalTime>,
    pub pid: i64,
    pub oom_killed: bool,
    pub error: String,
    /// `healthy`, `unhealthy` or `starting` when the image has a HEALTHCHECK.
    pub health: Option<String>,
}

impl ContainerState {
    /// moby's `State.String()`: `Up 2 minutes`, `Exited (0) 3 seconds ago`, `Created` …
    pub fn status_text(&self, now: LogicalTime) -> String {
        let since =
            |t: Option<LogicalTime>| super::units::human_duration(t.unwrap_or_default().since(now));
        match self.status {
            ContainerStatus::Running | ContainerStatus::Paused | ContainerStatus::Restarting => {
                if self.status == ContainerStatus::Paused {
                    return format!("Up {} (Paused)", since(self.started_at));
                }
                if self.status == ContainerStatus::Restarting {
                    return format!(
                        "Restarting ({}) {} ago",
                        self.exit_code,
                        since(self.finished_at)
                    );
                }
                match &self.health {
                    Some(h) => format!("Up {} ({h})", since(self.started_at)),
                    None => format!("Up {}", since(self.started_at)),
                }
            }
            ContainerStatus::Removing => "Removal In Progress".to_string(),
            ContainerStatus::Dead => "Dead".to_string(),
            ContainerStatus::Created | ContainerStatus::Exited => {
                if self.started_at.is_none() {
                    return "Created".to_string();
                }
                match self.finished_at {
                    None => String::new(),
                    Some(_) => format!(
                        "Exited ({}) {} ago",
                        self.exit_code,
                        since(self.finished_at)
                    ),
                }
            }
        }
    }
}

/// A published or exposed port (moby `container.Port`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Port {
    pub ip: String,
    pub private_port: u16,
    pub public_port: u16,
    /// `tcp`, `udp` or `sctp`.
    pub kind: String,
}

/// A mount as `docker ps` sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MountSummary {
    pub name: String,
    pub source: String,
    /// `local` for named and anonymous volumes.
    pub driver: String,
}

/// One container as `GET /containers/json` returns it (moby `container.Summary`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ContainerSummary {
    /// 64 hex characters.
    pub id: String,
    /// Names without the leading `/`.
    pub names: Vec<String>,
    /// The image as the user named it (`alpine`, `myapp:1.0`, or an ID).
    pub image: String,
    pub image_id: String,
    /// The process path and arguments (COMMAND is built from them like moby does).
    pub path: String,
    pub args: Vec<String>,
    pub created: LogicalTime,
    pub state: ContainerState,
    /// The STATUS text when the glue wants to give it verbatim; normally `None`, and the
    /// console computes it from `state` and "now" exactly like the daemon.
    pub status: Option<String>,
    pub ports: Vec<Port>,
    /// Size of the writable layer (filled when sizes are requested).
    pub size_rw: i64,
    /// Size of the image chain plus the writable layer (filled when sizes are requested).
    pub size_root_fs: i64,
    pub labels: BTreeMap<String, String>,
    pub mounts: Vec<MountSummary>,
    pub networks: Vec<String>,
}

impl ContainerSummary {
    /// moby's list command string: path and args, args with spaces in single quotes.
    pub fn command(&self) -> String {
        if self.args.is_empty() {
            return self.path.clone();
        }
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| {
                if a.contains(' ') {
                    format!("'{a}'")
                } else {
                    a.clone()
                }
            })
            .collect();
        format!("{} {}", self.path, args.join(" "))
    }
}

/// A local volume in `system df` (moby `volume.Volume` with usage data).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VolumeUsage {
    pub name: String,
    pub driver: String,
    /// Number of containers referencing the volume.
    pub ref_count: i64,
    /// Bytes, or -1 when unknown.
    pub size: i64,
}

/// A BuildKit cache record (moby `build.CacheRecord`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BuildCacheRecord {
    pub id: String,
    pub parents: Vec<String>,
    /// `regular`, `source.local`, `exec.cachemount`, `frontend`, `internal` …
    pub kind: String,
    pub description: String,
    pub in_use: bool,
    pub shared: bool,
    pub size: i64,
    pub created_at: LogicalTime,
    pub last_used_at: Option<LogicalTime>,
    pub usage_count: i64,
}

/// `GET /system/df`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DiskUsage {
    /// Sum of the sizes of all layers referenced by images, each layer once.
    pub layers_size: i64,
    /// Images with `shared_size` and `containers` computed.
    pub images: Vec<ImageSummary>,
    /// Containers with `size_rw` computed.
    pub containers: Vec<ContainerSummary>,
    pub volumes: Vec<VolumeUsage>,
    pub build_cache: Vec<BuildCacheRecord>,
}

/// One entry of `docker diff` (moby `container.FilesystemChange`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilesystemChange {
    pub kind: ChangeKind,
    pub path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeKind {
    Modified,
    Added,
    Deleted,
}

impl ChangeKind {
    pub fn letter(self) -> char {
        match self {
            ChangeKind::Modified => 'C',
            ChangeKind::Added => 'A',
            ChangeKind::Deleted => 'D',
        }
    }
}

/// One entry of `docker rmi`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeleteRecord {
    Untagged(String),
    Deleted(String),
}

/// What `image prune` and `container prune` removed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PruneReport {
    /// For images: the delete records; for containers: `Deleted` container IDs.
    pub deleted: Vec<DeleteRecord>,
    pub space_reclaimed: u64,
}

/// The daemon side of `docker version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerVersion {
    pub platform_name: String,
    pub version: String,
    pub api_version: String,
    pub min_api_version: String,
    pub go_version: String,
    pub git_commit: String,
    pub built: String,
    pub os: String,
    pub arch: String,
    pub experimental: bool,
}

/// The daemon side of `docker info` (the part the playground models).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SystemInfo {
    pub containers: i64,
    pub running: i64,
    pub paused: i64,
    pub stopped: i64,
    pub images: i64,
    pub server_version: String,
    pub storage_driver: String,
    pub os: String,
    pub architecture: String,
    pub cpus: i64,
    pub memory: i64,
    pub name: String,
    pub root_dir: String,
}

// ---------------------------------------------------------------------------------------
// Inspect responses (JSON shapes of Moby v28).

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_empty_str(s: &str) -> bool {
    s.is_empty()
}

/// `Config` of an image (OCI image config plus Docker's extensions; every field omitempty).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImageConfig {
    #[serde(skip_serializing_if = "is_empty_str")]
    pub user: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub exposed_ports: BTreeMap<String, Empty>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entrypoint: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cmd: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub volumes: BTreeMap<String, Empty>,
    #[serde(skip_serializing_if = "is_empty_str")]
    pub working_dir: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "is_empty_str")]
    pub stop_signal: String,
    #[serde(skip_serializing_if = "is_false")]
    pub args_escaped: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<HealthConfig>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub on_build: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shell: Vec<String>,
}

/// Go's `struct{}` (the values of `ExposedPorts` and `Volumes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Empty {}

/// A HEALTHCHECK (durations in nanoseconds; omitempty).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HealthConfig {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub test: Vec<String>,
    #[serde(skip_serializing_if = "is_zero")]
    pub interval: i64,
    #[serde(skip_serializing_if = "is_zero")]
    pub timeout: i64,
    #[serde(skip_serializing_if = "is_zero")]
    pub start_period: i64,
    #[serde(skip_serializing_if = "is_zero")]
    pub start_interval: i64,
    #[serde(skip_serializing_if = "is_zero")]
    pub retries: i64,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GraphDriver {
    pub data: BTreeMap<String, String>,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RootFs {
    #[serde(rename = "Type", skip_serializing_if = "is_empty_str")]
    pub kind: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImageMetadata {
    /// RFC 3339 with nanoseconds; Go's zero time when never tagged locally.
    pub last_tag_time: String,
}

impl Default for ImageMetadata {
    fn default() -> Self {
        ImageMetadata {
            last_tag_time: GO_ZERO_TIME_RFC3339.to_string(),
        }
    }
}

/// `GET /images/{name}/json` of the classic image store (moby v28, API 1.51).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImageInspect {
    #[serde(rename = "Id")]
    pub id: String,
    pub repo_tags: Vec<String>,
    pub repo_digests: Vec<String>,
    pub parent: String,
    pub comment: String,
    /// RFC 3339 with nanoseconds.
    #[serde(skip_serializing_if = "is_empty_str")]
    pub created: String,
    pub docker_version: String,
    pub author: String,
    pub config: ImageConfig,
    pub architecture: String,
    #[serde(skip_serializing_if = "is_empty_str")]
    pub variant: String,
    pub os: String,
    #[serde(skip_serializing_if = "is_empty_str")]
    pub os_version: String,
    pub size: i64,
    pub graph_driver: GraphDriver,
    #[serde(rename = "RootFS")]
    pub root_fs: RootFs,
    pub metadata: ImageMetadata,
}

/// `State` of a container inspect.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InspectState {
    pub status: String,
    pub running: bool,
    pub paused: bool,
    pub restarting: bool,
    #[serde(rename = "OOMKilled")]
    pub oom_killed: bool,
    pub dead: bool,
    pub pid: i64,
    pub exit_code: i64,
    pub error: String,
    pub started_at: String,
    pub finished_at: String,
}

impl InspectState {
    pub fn from_state(state: &ContainerState) -> InspectState {
        let time = |t: Option<LogicalTime>| {
            t.map_or_else(
                || GO_ZERO_TIME_RFC3339.to_string(),
                LogicalTime::rfc3339_nano,
            )
        };
        InspectState {
            status: state.status.as_str().to_string(),
            running: state.status.is_running(),
            paused: state.status == ContainerStatus::Paused,
            restarting: state.status == ContainerStatus::Restarting,
            oom_killed: state.oom_killed,
            dead: state.status == ContainerStatus::Dead,
            pid: state.pid,
            exit_code: state.exit_code,
            error: state.error.clone(),
            started_at: time(state.started_at),
            finished_at: time(state.finished_at),
        }
    }
}

/// `Config` of a container (moby `container.Config`; few fields are omitempty).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerConfig {
    pub hostname: String,
    pub domainname: String,
    pub user: String,
    pub attach_stdin: bool,
    pub attach_stdout: bool,
    pub attach_stderr: bool,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub exposed_ports: BTreeMap<String, Empty>,
    pub tty: bool,
    pub open_stdin: bool,
    pub stdin_once: bool,
    pub env: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<HealthConfig>,
    pub image: String,
    pub volumes: Option<BTreeMap<String, Empty>>,
    pub working_dir: String,
    pub entrypoint: Option<Vec<String>>,
    pub on_build: Option<Vec<String>>,
    pub labels: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "is_empty_str")]
    pub stop_signal: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shell: Vec<String>,
}

/// `GET /containers/{id}/json` (the fields the playground models, in the daemon's order).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerInspect {
    #[serde(rename = "Id")]
    pub id: String,
    /// RFC 3339 with nanoseconds.
    pub created: String,
    pub path: String,
    pub args: Vec<String>,
    pub state: InspectState,
    /// The image ID (`sha256:…`).
    pub image: String,
    pub resolv_conf_path: String,
    pub hostname_path: String,
    pub hosts_path: String,
    pub log_path: String,
    /// With the leading slash: `/web`.
    pub name: String,
    pub restart_count: i64,
    pub driver: String,
    pub platform: String,
    pub mount_label: String,
    pub process_label: String,
    pub app_armor_profile: String,
    #[serde(rename = "ExecIDs")]
    pub exec_ids: Option<Vec<String>>,
    pub graph_driver: GraphDriver,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_rw: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_root_fs: Option<i64>,
    pub mounts: Vec<serde_json::Value>,
    pub config: ContainerConfig,
}
