//! `docker commit`: a new image made of the container's image layers (shared, not copied)
//! plus one layer holding the container's writable layer.
//!
//! As moby does (daemon/commit.go, images/image_commit.go, image.NewChildImage):
//! * the config is the container's merged config, with `-c` changes applied (only CMD,
//!   ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME,
//!   WORKDIR; anything else is `<x> is not a valid change command`);
//! * the new history entry has `created_by` = the container's `Cmd` joined by spaces (not
//!   the entrypoint), `author` from `-a`, `comment` from `-m`;
//! * an empty writable layer adds no layer: the entry is `empty_layer`;
//! * the image records the container's image as `parent`, so `docker history` shows ids on
//!   the commit's row and the parent's top row.
//!
//! Not modelled: variable expansion inside `-c` values (moby expands them against the
//! config's environment).

use super::error::ContainerError;
use crate::engine::daemon::Engine;
use crate::engine::image::{
    format_rfc3339, Empty, HealthConfig, History, Image, ImageConfig, Reference,
};
use crate::engine::layers::Digest;
use crate::syntax::instructions::CommandLine;
use crate::syntax::{self, InstructionKind};
use std::sync::Arc;

/// `docker commit` options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommitConfig {
    pub container: String,
    /// `REPOSITORY[:TAG]` to tag the new image with.
    pub reference: Option<String>,
    /// `-m`.
    pub message: Option<String>,
    /// `-a`.
    pub author: Option<String>,
    /// `-c` Dockerfile instructions.
    pub changes: Vec<String>,
    /// `--pause` (default true; pausing is not modelled).
    pub pause: bool,
}

const VALID_CHANGES: &[&str] = &[
    "cmd",
    "entrypoint",
    "healthcheck",
    "env",
    "expose",
    "label",
    "onbuild",
    "stopsignal",
    "user",
    "volume",
    "workdir",
];

/// Applies `-c` changes like the legacy builder's dispatchers (moby `BuildFromConfig`).
pub fn apply_changes(
    config: &ImageConfig,
    changes: &[String],
) -> Result<ImageConfig, ContainerError> {
    let mut c = config.clone();
    if changes.is_empty() {
        return Ok(c);
    }
    let parsed = syntax::parse(&changes.join("\n"));
    if let Some(d) = &parsed.rejection {
        return Err(ContainerError::Message(d.message.clone()));
    }
    let mut cmd_set = false;
    for node in &parsed.ast.instructions {
        let keyword = node.keyword.to_ascii_lowercase();
        if !VALID_CHANGES.contains(&keyword.as_str()) {
            return Err(ContainerError::Message(format!(
                "{keyword} is not a valid change command"
            )));
        }
        let (instruction, _) = syntax::instructions::lower_node(node)
            .map_err(|d| ContainerError::Message(d.message))?;
        // CMD and ENTRYPOINT as stored: the shell form runs under the image's SHELL.
        let argv = |cl: CommandLine| -> Vec<String> {
            let args = cl.args.into_iter().map(|w| w.value);
            if !cl.shell_form {
                return args.collect();
            }
            let mut shell = c
                .shell
                .clone()
                .unwrap_or_else(|| vec!["/bin/sh".to_string(), "-c".to_string()]);
            shell.extend(args);
            shell
        };
        match instruction.kind {
            InstructionKind::Cmd(cl) => {
                c.cmd = Some(argv(cl));
                cmd_set = true;
            }
            InstructionKind::Entrypoint(cl) => {
                c.entrypoint = Some(argv(cl));
                // As the legacy dispatcher: an ENTRYPOINT without a CMD before it drops Cmd.
                if !cmd_set {
                    c.cmd = None;
                }
            }
            InstructionKind::Env(kvs) => {
                for kv in kvs {
                    c.env_set(&kv.key.value, &kv.value.value);
                }
            }
            InstructionKind::Label(kvs) => {
                for kv in kvs {
                    c.labels.insert(kv.key.value, kv.value.value);
                }
            }
            InstructionKind::Expose(ports) => {
                for p in ports {
                    let port = if p.value.contains('/') {
                        p.value
                    } else {
                        format!("{}/tcp", p.value)
                    };
                    c.exposed_ports.insert(port, Empty {});
                }
            }
            InstructionKind::User(w) => c.user = w.value,
            InstructionKind::Workdir(w) => {
                let dir = if w.value.starts_with('/') {
                    w.value
                } else {
                    format!("{}/{}", c.working_dir.trim_end_matches('/'), w.value)
                };
                c.working_dir = super::config::clean_path(&dir);
            }
            InstructionKind::Volume(paths) => {
                for p in paths {
                    c.volumes.insert(p.value, Empty {});
                }
            }
            InstructionKind::StopSignal(w) => c.stop_signal = Some(w.value),
            InstructionKind::Onbuild(o) => c.on_build.push(o.expression),
            InstructionKind::Healthcheck(h) => {
                c.healthcheck = Some(HealthConfig {
                    test: h.test,
                    interval: h.interval,
                    timeout: h.timeout,
                    start_period: h.start_period,
                    start_interval: h.start_interval,
                    retries: h.retries,
                });
            }
            other => {
                return Err(ContainerError::Message(format!(
                    "{} is not a valid change command",
                    other.name().to_ascii_lowercase()
                )))
            }
        }
    }
    Ok(c)
}

impl Engine {
    /// `docker commit`: returns the new image's id.
    pub fn commit_container(&mut self, commit: &CommitConfig) -> Result<Digest, ContainerError> {
        self.settle_containers();
        let c = self.containers.find(&commit.container)?;
        let parent = self
            .images
            .get(&c.image_id)
            .cloned()
            .ok_or_else(|| ContainerError::NoSuchImage(c.image_id.to_string()))?;
        let tag = match &commit.reference {
            Some(r) => {
                let parsed = Reference::parse(r)
                    .map_err(|e| ContainerError::InvalidReference(e.to_string()))?;
                if parsed.digest.is_some() {
                    return Err(ContainerError::Message(
                        "refusing to create a tag with a digest reference".into(),
                    ));
                }
                Some(parsed.familiar_tagged())
            }
            None => None,
        };
        let config = apply_changes(&c.config.image_config, &commit.changes)?;
        let created_by = c
            .config
            .image_config
            .cmd
            .clone()
            .unwrap_or_default()
            .join(" ");
        let upper = Arc::new(c.rootfs().snapshot_upper());
        let parent_top = parent.chain.last().cloned();
        let now = self.tick(1);
        let created = format_rfc3339(now);
        let empty_layer = upper.is_empty();
        let mut diff_ids = parent.image.rootfs.diff_ids.clone();
        let mut new_top = parent_top.clone();
        if !empty_layer {
            let chain = self
                .layers
                .register(parent_top.as_ref(), upper)
                .map_err(|e| ContainerError::Message(e.to_string()))?;
            if let Some(l) = self.layers.get(&chain) {
                diff_ids.push(l.diff_id.clone());
            }
            new_top = Some(chain);
        }
        let mut history = parent.image.history.clone();
        history.push(History {
            created: created.clone(),
            created_by,
            author: commit.author.clone().filter(|a| !a.is_empty()),
            comment: commit.message.clone().filter(|m| !m.is_empty()),
            empty_layer,
        });
        let mut image = Image::new(
            created,
            config,
            diff_ids,
            history,
            Some(parent.image.id.clone()),
        );
        image.author = commit.author.clone().filter(|a| !a.is_empty());
        image.architecture = parent.image.architecture.clone();
        image.os = parent.image.os.clone();
        image.recompute_id();
        let size = self.layers.chain_size(new_top.as_ref()).unwrap_or(0);
        let newly_stored = !self.images.contains(&image.id);
        let id = self.images.insert(image, size);
        if let Some(top) = &new_top {
            if newly_stored {
                let _ = self.layers.acquire(top);
            } else if self.layers.ref_count(top) == 0 {
                // Same image already stored: drop the layer registered for nothing.
                let _ = self.layers.acquire(top);
                let _ = self.layers.release(top);
            }
        }
        if let Some(t) = tag {
            self.images
                .tag(&id, &t)
                .map_err(|e| ContainerError::Message(e.to_string()))?;
        }
        Ok(id)
    }
}
