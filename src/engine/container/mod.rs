//! Containers: a writable copy-on-write layer over an image's read-only layers, the
//! lifecycle of their main process, `exec`, `diff`, `commit`, anonymous volumes, and the
//! image removal rules that depend on containers (`rmi`, `image prune`, `container prune`).
//!
//! Owns: [`ContainerStore`] (containers by id, their names, volumes) and the `Engine`
//! operations in [`lifecycle`], [`commit`] and [`images`].
//!
//! Invariants:
//! * A container's root filesystem is an [`OverlayView`] whose lower layers are the image's
//!   layers plus the container's init layer (`/.dockerenv`, `/etc/hostname`, `/etc/hosts`,
//!   `/etc/resolv.conf`, `/proc`, `/sys`, `/dev`), and whose upper layer is the writable
//!   layer. `SizeRw` is the upper layer's size (semantics §2.2 counting); `docker diff` and
//!   `docker commit` see only the upper layer, as with overlay2.
//! * Layer references: every stored image holds one reference on its top ChainID (taken by
//!   whoever stores it: catalog install, builder, commit) and every container holds one on
//!   its image's top ChainID until it is removed. Deleting an image releases its
//!   reference; layers nobody references are removed with it, layers another image or a
//!   container still uses stay.
//! * Ids and names are deterministic (see [`names`]); the logical clock ticks once per
//!   operation Docker timestamps (create, start, stop, exec, commit).
//! * Volumes: an image `VOLUME` gets an anonymous volume at create, filled with the image's
//!   content at that path; writes below it bypass the writable layer ([`mounts`]).
//!
//! Not modelled: networking and ports (beyond the config), restart policies, pause, logs
//! drivers, bind mounts and named volumes from the command line, `--init`, resource
//! limits, signals other than the stop signal.

pub mod commit;
pub mod config;
pub mod error;
pub mod images;
pub mod lifecycle;
pub mod mounts;
pub mod names;
pub mod process;
pub mod state;

pub use commit::CommitConfig;
pub use config::{ContainerConfig, RunConfig};
pub use error::{truncate_id, ContainerError};
pub use images::{DeleteRecord, PruneReport};
pub use lifecycle::{
    pull_progress_lines, CreateOutcome, ExecConfig, ProcessOutput, PullAttempt, RunOutcome,
    RunReport,
};
pub use process::Lifetime;
pub use state::{State, Status};

use crate::engine::layers::{ChainId, Digest};
use crate::engine::shell::OutputChunk;
use crate::engine::vfs::{OverlayView, Time};
use std::collections::BTreeMap;

/// A mount of a volume into a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// The volume's name (64 hex for anonymous volumes).
    pub name: String,
    /// Absolute path inside the container.
    pub destination: String,
    /// `local`.
    pub driver: String,
    pub read_write: bool,
}

/// A local volume.
#[derive(Debug, Clone)]
pub struct Volume {
    pub name: String,
    pub created: Time,
    /// Created for an image `VOLUME` (removed by `docker rm -v` and `--rm`).
    pub anonymous: bool,
    content: OverlayView,
}

impl Volume {
    /// Bytes stored in the volume (files' `st_size`, hard links once).
    pub fn size(&self) -> u64 {
        self.content.upper_size()
    }

    /// The volume's files (its root is the mount point).
    pub fn content(&self) -> &OverlayView {
        &self.content
    }
}

/// `SizeRw` and `SizeRootFs` of a container (`docker ps -s`, semantics §6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ContainerSizes {
    pub size_rw: u64,
    /// The image chain plus `size_rw`; 0 for an image without layers (as the daemon does).
    pub size_root_fs: u64,
}

/// One container.
#[derive(Debug, Clone)]
pub struct Container {
    /// 64 hex digits.
    pub id: String,
    /// Without the leading `/`.
    pub name: String,
    /// The image id it was created from (`sha256:…`).
    pub image_id: Digest,
    pub config: ContainerConfig,
    /// The main process: `Path` and `Args` (entrypoint + command).
    pub path: String,
    pub args: Vec<String>,
    pub created: Time,
    pub state: State,
    /// `--rm`.
    pub auto_remove: bool,
    pub mounts: Vec<Mount>,
    /// What the main process printed, in order (`docker logs`).
    pub logs: Vec<OutputChunk>,
    /// What the simulation approximated (commands not simulated, assumed wrappers …).
    pub notes: Vec<String>,
    rootfs: OverlayView,
    top: Option<ChainId>,
    /// How the running main process ends (set while running).
    lifetime: Option<Lifetime>,
    /// When a `sleep N` main process exits on its own.
    exits_at: Option<Time>,
}

impl Container {
    /// The container's root filesystem (image layers + init layer + writable layer).
    pub fn rootfs(&self) -> &OverlayView {
        &self.rootfs
    }

    /// The top ChainID of the image the container runs (`None`: no layers).
    pub fn image_top(&self) -> Option<&ChainId> {
        self.top.as_ref()
    }

    /// The first 12 hex digits of the id.
    pub fn short_id(&self) -> &str {
        self.id.get(..12).unwrap_or(&self.id)
    }

    /// `SizeRw`: the writable layer's size.
    pub fn size_rw(&self) -> u64 {
        self.rootfs.upper_size()
    }

    /// The `COMMAND` column's source: path and args as moby lists them.
    pub fn command(&self) -> String {
        let mut parts = vec![self.path.clone()];
        parts.extend(self.args.iter().map(|a| {
            if a.contains(' ') {
                format!("'{a}'")
            } else {
                a.clone()
            }
        }));
        parts.join(" ")
    }
}

/// Containers and volumes.
#[derive(Debug, Default, Clone)]
pub struct ContainerStore {
    containers: BTreeMap<String, Container>,
    volumes: BTreeMap<String, Volume>,
    /// Containers ever created (seeds ids and names).
    serial: u64,
    volume_serial: u64,
    exec_serial: u64,
    pid_serial: u32,
}

impl ContainerStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// All containers, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &Container> {
        let mut v: Vec<&Container> = self.containers.values().collect();
        v.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
        v.into_iter()
    }

    pub fn len(&self) -> usize {
        self.containers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.containers.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Container> {
        self.containers.get(id)
    }

    /// All local volumes, by name.
    pub fn volumes(&self) -> impl Iterator<Item = &Volume> {
        self.volumes.values()
    }

    /// How many containers mount the volume.
    pub fn volume_ref_count(&self, name: &str) -> usize {
        self.containers
            .values()
            .filter(|c| c.mounts.iter().any(|m| m.name == name))
            .count()
    }

    /// Containers created from image `id`.
    pub fn using_image<'a>(&'a self, id: &'a Digest) -> impl Iterator<Item = &'a Container> + 'a {
        self.iter().filter(move |c| &c.image_id == id)
    }

    /// The daemon's lookup (`GetContainer`): full id, exact name (with or without `/`),
    /// then a unique id prefix.
    pub fn find(&self, reference: &str) -> Result<&Container, ContainerError> {
        let id = self.resolve(reference)?;
        self.containers
            .get(&id)
            .ok_or_else(|| ContainerError::NoSuchContainer(reference.to_string()))
    }

    /// The id a reference names.
    pub fn resolve(&self, reference: &str) -> Result<String, ContainerError> {
        if reference.is_empty() {
            return Err(ContainerError::InvalidIdentifier(reference.to_string()));
        }
        if self.containers.contains_key(reference) {
            return Ok(reference.to_string());
        }
        let name = reference.strip_prefix('/').unwrap_or(reference);
        if let Some(c) = self.containers.values().find(|c| c.name == name) {
            return Ok(c.id.clone());
        }
        let mut hits = self
            .containers
            .keys()
            .filter(|id| id.starts_with(reference));
        match (hits.next(), hits.next()) {
            (Some(id), None) => Ok(id.clone()),
            (Some(_), Some(_)) => Err(ContainerError::AmbiguousContainer(reference.to_string())),
            _ => Err(ContainerError::NoSuchContainer(reference.to_string())),
        }
    }

    fn by_name(&self, name: &str) -> Option<&Container> {
        self.containers.values().find(|c| c.name == name)
    }
}
