//! What `docker create`/`docker run` ask for ([`RunConfig`]) and the container
//! configuration the daemon stores ([`ContainerConfig`]): the user's settings merged over
//! the image's config exactly as moby's `merge` does.
//!
//! Merge rules (moby daemon/commit.go `merge`, create.go `mergeAndVerifyConfig`):
//! * `User`, `WorkingDir`, `StopSignal`, `Healthcheck` come from the image unless given.
//! * `Env`: the user's variables first, then each image variable whose name the user did
//!   not set.
//! * `Labels`, `ExposedPorts`, `Volumes`: the union, the user's values winning.
//! * With no `--entrypoint`, `Cmd` comes from the image when no command was given and the
//!   image's `Entrypoint` is kept. With `--entrypoint x`, the image's `Cmd` is dropped.
//!   `--entrypoint ""` clears the entrypoint (and, as in Docker, does not bring back the
//!   image's `Cmd`).
//! * Neither entrypoint nor command: `no command specified`.

use super::error::ContainerError;
use crate::engine::image::{Empty, ImageConfig};
use std::collections::BTreeMap;

/// The options of `docker create` / `docker run` the playground models.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunConfig {
    /// The image as the user named it (`alpine`, `node:14`, an id prefix).
    pub image: String,
    /// The command after the image (replaces the image's `CMD`).
    pub command: Vec<String>,
    /// `--name`.
    pub name: Option<String>,
    /// `-e KEY=value` (already resolved by the client: a bare `-e KEY` is omitted when
    /// unset on the client).
    pub env: Vec<String>,
    /// `-w`.
    pub workdir: Option<String>,
    /// `-u user[:group]`.
    pub user: Option<String>,
    /// `--entrypoint` (an empty string clears the image's entrypoint).
    pub entrypoint: Option<String>,
    /// `--hostname` (default: the short container id).
    pub hostname: Option<String>,
    /// `--label key=value`.
    pub labels: Vec<String>,
    /// `--expose port[/proto]`.
    pub expose: Vec<String>,
    /// `-d`.
    pub detach: bool,
    /// `--rm`.
    pub auto_remove: bool,
    /// `-i`: stdin stays open, so a shell or REPL waits for input instead of exiting.
    pub interactive: bool,
    /// `-t`.
    pub tty: bool,
}

/// The stored configuration of a container (moby `container.Config`): the image-config
/// fields after the merge, plus what only containers have.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContainerConfig {
    /// Merged image-config fields (user, env, cmd, entrypoint, working dir, labels, …).
    pub image_config: ImageConfig,
    pub hostname: String,
    /// The image as the user named it.
    pub image: String,
    pub tty: bool,
    pub open_stdin: bool,
    pub attach_stdout: bool,
    pub attach_stderr: bool,
}

impl ContainerConfig {
    /// `Path` and `Args` of the main process (moby `getEntrypointAndArgs`).
    pub fn path_and_args(&self) -> (String, Vec<String>) {
        let argv = self.argv();
        match argv.split_first() {
            Some((first, rest)) => (first.clone(), rest.to_vec()),
            None => (String::new(), Vec::new()),
        }
    }

    /// Entrypoint followed by command.
    pub fn argv(&self) -> Vec<String> {
        let c = &self.image_config;
        let mut argv: Vec<String> = c.entrypoint.clone().unwrap_or_default();
        argv.extend(c.cmd.clone().unwrap_or_default());
        argv
    }
}

fn key_of(kv: &str) -> &str {
    kv.split_once('=').map_or(kv, |(k, _)| k)
}

/// Merges the user's settings over the image's config.
pub fn merge(run: &RunConfig, image: &ImageConfig) -> Result<ImageConfig, ContainerError> {
    let mut c = ImageConfig {
        user: run.user.clone().unwrap_or_default(),
        working_dir: run.workdir.clone().unwrap_or_default(),
        env: run.env.clone(),
        ..ImageConfig::default()
    };
    if c.user.is_empty() {
        c.user = image.user.clone();
    }
    for kv in &image.env {
        if !c.env.iter().any(|u| key_of(u) == key_of(kv)) {
            c.env.push(kv.clone());
        }
    }
    for kv in &run.labels {
        let (k, v) = kv.split_once('=').unwrap_or((kv.as_str(), ""));
        c.labels.insert(k.to_string(), v.to_string());
    }
    for (k, v) in &image.labels {
        c.labels.entry(k.clone()).or_insert_with(|| v.clone());
    }
    for p in &run.expose {
        let port = if p.contains('/') {
            p.clone()
        } else {
            format!("{p}/tcp")
        };
        c.exposed_ports.insert(port, Empty {});
    }
    for k in image.exposed_ports.keys() {
        c.exposed_ports.entry(k.clone()).or_insert(Empty {});
    }
    let volumes: BTreeMap<String, Empty> = image.volumes.clone();
    c.volumes = volumes;
    let user_cmd = (!run.command.is_empty()).then(|| run.command.clone());
    match &run.entrypoint {
        // `--entrypoint ""`: [""] is reset to nothing after the merge; Cmd is not merged.
        Some(e) if e.is_empty() => {
            c.cmd = user_cmd;
            c.entrypoint = None;
        }
        Some(e) => {
            c.entrypoint = Some(vec![e.clone()]);
            c.cmd = user_cmd;
        }
        None => {
            c.cmd = user_cmd.or_else(|| image.cmd.clone());
            c.entrypoint = image.entrypoint.clone();
        }
    }
    if c.working_dir.is_empty() {
        c.working_dir = image.working_dir.clone();
    } else if !c.working_dir.starts_with('/') {
        return Err(ContainerError::InvalidWorkdir(c.working_dir));
    }
    c.working_dir = clean_path(&c.working_dir);
    c.stop_signal = image.stop_signal.clone();
    c.healthcheck = image.healthcheck.clone();
    c.on_build = image.on_build.clone();
    c.shell = image.shell.clone();
    let empty = |v: &Option<Vec<String>>| v.as_ref().is_none_or(Vec::is_empty);
    if empty(&c.entrypoint) && empty(&c.cmd) {
        return Err(ContainerError::NoCommand);
    }
    Ok(c)
}

/// Go's `filepath.Clean` for absolute paths (`""` stays `""`).
pub fn clean_path(p: &str) -> String {
    if p.is_empty() {
        return String::new();
    }
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image() -> ImageConfig {
        ImageConfig {
            env: vec!["PATH=/usr/bin:/bin".into(), "NODE_VERSION=14".into()],
            cmd: Some(vec!["node".into()]),
            entrypoint: Some(vec!["docker-entrypoint.sh".into()]),
            working_dir: "/app".into(),
            ..ImageConfig::default()
        }
    }

    fn check(run: RunConfig, expected_argv: &[&str], expected_env: &[&str]) {
        let merged = merge(&run, &image()).unwrap_or_default();
        let c = ContainerConfig {
            image_config: merged.clone(),
            ..ContainerConfig::default()
        };
        assert_eq!(c.argv(), expected_argv, "{run:?}");
        assert_eq!(merged.env, expected_env, "{run:?}");
    }

    #[test]
    fn merge_follows_moby() {
        check(
            RunConfig::default(),
            &["docker-entrypoint.sh", "node"],
            &["PATH=/usr/bin:/bin", "NODE_VERSION=14"],
        );
        check(
            RunConfig {
                command: vec!["sh".into()],
                env: vec!["NODE_VERSION=16".into(), "A=1".into()],
                ..RunConfig::default()
            },
            &["docker-entrypoint.sh", "sh"],
            &["NODE_VERSION=16", "A=1", "PATH=/usr/bin:/bin"],
        );
        check(
            RunConfig {
                entrypoint: Some("sh".into()),
                ..RunConfig::default()
            },
            &["sh"],
            &["PATH=/usr/bin:/bin", "NODE_VERSION=14"],
        );
        check(
            RunConfig {
                entrypoint: Some(String::new()),
                command: vec!["ls".into()],
                ..RunConfig::default()
            },
            &["ls"],
            &["PATH=/usr/bin:/bin", "NODE_VERSION=14"],
        );
        let no_cmd = RunConfig {
            entrypoint: Some(String::new()),
            ..RunConfig::default()
        };
        assert_eq!(merge(&no_cmd, &image()), Err(ContainerError::NoCommand));
        let relative = RunConfig {
            workdir: Some("app".into()),
            ..RunConfig::default()
        };
        assert!(matches!(
            merge(&relative, &image()),
            Err(ContainerError::InvalidWorkdir(_))
        ));
    }
}
