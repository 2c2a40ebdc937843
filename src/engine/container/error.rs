//! What the daemon answers when a container or image operation is refused. [`message`]
//! gives the daemon's own text (Moby v28.2+ / v29), without the client's
//! `Error response from daemon: ` prefix, which the docker console adds.
//!
//! [`message`]: ContainerError::message

use super::state::Status;
use crate::engine::catalog::CatalogError;
use crate::engine::layers::Digest;
use crate::text::go_quote;
use std::fmt;

/// A refused operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContainerError {
    /// `No such container: <ref>`.
    NoSuchContainer(String),
    /// An empty container reference: `invalid name or ID supplied: ""`.
    InvalidIdentifier(String),
    /// A short id matching several containers.
    AmbiguousContainer(String),
    /// `No such image: <ref>` (the console adds `:latest` to a bare name).
    NoSuchImage(String),
    /// The image was not local and the catalog could not provide it.
    Pull {
        /// Familiar reference with tag, e.g. `nginx:latest`.
        reference: String,
        error: CatalogError,
    },
    /// An image reference that does not parse (`invalid reference format…`).
    InvalidReference(String),
    /// `--name` with characters Docker refuses.
    InvalidName(String),
    /// `--name` already taken.
    NameConflict { name: String, id: String },
    /// Neither ENTRYPOINT nor CMD.
    NoCommand,
    /// A relative `-w`.
    InvalidWorkdir(String),
    /// A volume path that is a file in the image.
    VolumeOverFile(String),
    /// `docker rm` of a running container without `-f`. `reference` is what the user typed.
    Running { reference: String, status: Status },
    /// `exec` into a container that is not running (full id).
    NotRunning { id: String },
    /// The container was created but its process could not start (runc's message).
    Start { message: String, exit_code: i32 },
    /// An exec process could not start (runc's message).
    Exec { message: String, exit_code: i32 },
    /// `rmi` refused: `conflict: unable to delete <id> (must be forced|cannot be forced) - <reason>`.
    ImageConflict {
        image_id: Digest,
        hard: bool,
        reason: String,
    },
    /// `rmi name:tag` while a container uses it and it is the image's only reference.
    RepositoryReferenceConflict {
        reference: String,
        container_id: String,
        image_id: Digest,
    },
    /// Any other daemon message, verbatim.
    Message(String),
}

/// The 12-character form the daemon prints (`stringid.TruncateID`).
pub fn truncate_id(id: &str) -> &str {
    let hex = id.strip_prefix("sha256:").unwrap_or(id);
    hex.get(..12).unwrap_or(hex)
}

impl ContainerError {
    /// The daemon's message.
    pub fn message(&self) -> String {
        match self {
            ContainerError::NoSuchContainer(r) => format!("No such container: {r}"),
            ContainerError::InvalidIdentifier(r) => format!("invalid name or ID supplied: {}", go_quote(r)),
            ContainerError::AmbiguousContainer(r) => {
                format!("multiple IDs found with provided prefix: {r}")
            }
            ContainerError::NoSuchImage(r) => format!("No such image: {r}"),
            ContainerError::Pull { error, .. } => error.to_string(),
            ContainerError::InvalidReference(m) => m.clone(),
            ContainerError::InvalidName(n) => format!(
                "Invalid container name ({n}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
            ),
            ContainerError::NameConflict { name, id } => format!(
                "Conflict. The container name \"/{name}\" is already in use by container \"{id}\". You have to remove (or rename) that container to be able to reuse that name."
            ),
            ContainerError::NoCommand => "no command specified".to_string(),
            ContainerError::InvalidWorkdir(w) => format!(
                "the working directory '{w}' is invalid, it needs to be an absolute path"
            ),
            ContainerError::VolumeOverFile(p) => format!(
                "cannot mount volume over existing file, file exists {p}"
            ),
            ContainerError::Running { reference, status } => format!(
                "cannot remove container {}: container is {}: stop the container before removing or force remove",
                go_quote(reference),
                status.as_str()
            ),
            ContainerError::NotRunning { id } => format!("container {id} is not running"),
            ContainerError::Start { message, .. } | ContainerError::Exec { message, .. } => {
                message.clone()
            }
            ContainerError::ImageConflict {
                image_id,
                hard,
                reason,
            } => format!(
                "conflict: unable to delete {} ({}) - {reason}",
                truncate_id(image_id.as_str()),
                if *hard { "cannot be forced" } else { "must be forced" }
            ),
            ContainerError::RepositoryReferenceConflict {
                reference,
                container_id,
                image_id,
            } => format!(
                "conflict: unable to remove repository reference {} (must force) - container {} is using its referenced image {}",
                go_quote(reference),
                truncate_id(container_id),
                truncate_id(image_id.as_str())
            ),
            ContainerError::Message(m) => m.clone(),
        }
    }
}

impl fmt::Display for ContainerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ContainerError {}
