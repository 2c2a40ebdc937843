//! `docker create / run / start / stop / restart / rm / exec / diff / container prune` on
//! the [`Engine`].
//!
//! Order of effects follows moby: create resolves (or pulls) the image, reserves the name,
//! merges the config, takes a reference on the image's layers, sets up the working
//! directory (`mkdir -p`, 0755 root, in the writable layer: semantics §5) and the anonymous
//! volumes (filled with the image's content at their path). Start resolves the user and
//! the executable (runc's errors, exit codes 126/127/128) and runs the process.

use super::config::{clean_path, merge, ContainerConfig, RunConfig};
use super::error::ContainerError;
use super::images::PruneReport;
use super::mounts::MountedFs;
use super::names::{generate_id, generated_name, valid_name, NAME_ATTEMPTS};
use super::process::{
    classify, exec_error_message, interpret, look_path, never_returns, process_env, resolve_user,
    start_error_message, strip_wrappers, Lifetime, ProcessSpec, DEFAULT_STOP_TIMEOUT, EXIT_KILLED,
};
use super::state::{State, Status};
use super::{Container, ContainerSizes, ContainerStore, Mount, Volume};
use crate::engine::catalog::{self, CatalogError, Pulled};
use crate::engine::daemon::Engine;
use crate::engine::image::{ImageError, Reference, StoredImage};
use crate::engine::shell::{OutputChunk, RunOutcome as ShellOutcome, Stream};
use crate::engine::vfs::{Change, Content, Entry, FileType, LayerBuilder, Meta, OverlayView, Time};
use std::sync::Arc;

/// The image was not local: what the implicit pull did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullAttempt {
    /// Familiar reference with tag, e.g. `node:14.16.1-alpine3.13` (what
    /// `Unable to find image '…' locally` names).
    pub reference: String,
    pub result: Result<Pulled, CatalogError>,
}

/// Result of `docker create`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateOutcome {
    pub pull: Option<PullAttempt>,
    /// The new container's id.
    pub result: Result<String, ContainerError>,
}

/// What a process printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProcessOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    /// What the simulation approximated or could not run in this process.
    pub notes: Vec<String>,
}

/// Result of `docker run` once the container exists.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunReport {
    pub container_id: String,
    /// Output while attached (empty with `-d`) and the exit code (the start error's code
    /// when the process could not start).
    pub output: ProcessOutput,
    /// runc's message when the process could not start.
    pub start_error: Option<String>,
    /// The main process still runs (a server, `sleep`, an interactive shell).
    pub running: bool,
    /// `--rm` removed the container after it exited.
    pub removed: bool,
    /// What the simulation approximated during this run.
    pub notes: Vec<String>,
}

/// Result of `docker run`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOutcome {
    pub pull: Option<PullAttempt>,
    pub result: Result<RunReport, ContainerError>,
}

/// `docker exec` options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExecConfig {
    pub container: String,
    pub command: Vec<String>,
    pub user: Option<String>,
    pub workdir: Option<String>,
    pub env: Vec<String>,
    pub interactive: bool,
    pub tty: bool,
    pub detach: bool,
}

/// The progress lines `docker pull` leaves on a terminal for a finished pull.
pub fn pull_progress_lines(pulled: &Pulled) -> Vec<String> {
    let parsed = Reference::parse(&pulled.tag).ok();
    let tag = parsed
        .as_ref()
        .map_or("latest", |r| r.tag_or_latest())
        .to_string();
    let path = parsed
        .as_ref()
        .map_or(pulled.tag.clone(), |r| r.path.clone());
    let mut lines = vec![format!("{tag}: Pulling from {path}")];
    for l in &pulled.layers {
        let short = l.blob.short();
        if l.already_exists {
            lines.push(format!("{short}: Already exists"));
        } else {
            lines.push(format!("{short}: Pull complete"));
        }
    }
    lines.push(format!("Digest: {}", pulled.digest));
    lines.push(format!("Status: Downloaded newer image for {}", pulled.tag));
    lines
}

fn output_of(outcome: &ShellOutcome) -> ProcessOutput {
    ProcessOutput {
        stdout: String::from_utf8_lossy(&outcome.stdout()).into_owned(),
        stderr: String::from_utf8_lossy(&outcome.stderr()).into_owned(),
        exit_code: outcome.status,
        notes: notes_of(outcome),
    }
}

fn notes_of(outcome: &ShellOutcome) -> Vec<String> {
    let mut notes: Vec<String> = outcome.events.iter().map(|e| e.detail.clone()).collect();
    if let Some(a) = &outcome.aborted {
        notes.push(a.message.clone());
    }
    notes
}

/// The init layer the daemon puts between the image and the writable layer.
fn init_layer(hostname: &str, serial: u64, created: Time) -> Arc<crate::engine::vfs::Layer> {
    let meta = |mode| Meta::new(mode, 0, 0, created);
    let text = |s: String| Content::from_bytes(s.as_bytes());
    let ip = format!("172.17.0.{}", 2 + serial % 250);
    let hosts = format!(
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::\tip6-localnet\nff00::\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n{ip}\t{hostname}\n"
    );
    let resolv = "# Generated by Docker Engine.\n# This file can be edited; Docker Engine will not make further changes once it\n# has been modified.\n\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n".to_string();
    let rows: Vec<(&str, Entry)> = vec![
        ("/.dockerenv", Entry::file(Content::empty(), meta(0o755))),
        ("/dev", Entry::dir(meta(0o755))),
        ("/dev/pts", Entry::dir(meta(0o755))),
        ("/dev/shm", Entry::dir(meta(0o1777))),
        ("/etc", Entry::dir(meta(0o755))),
        (
            "/etc/hostname",
            Entry::file(text(format!("{hostname}\n")), meta(0o644)),
        ),
        ("/etc/hosts", Entry::file(text(hosts), meta(0o644))),
        ("/etc/resolv.conf", Entry::file(text(resolv), meta(0o644))),
        ("/etc/mtab", Entry::symlink("/proc/mounts", meta(0o777))),
        ("/proc", Entry::dir(meta(0o555))),
        ("/sys", Entry::dir(meta(0o555))),
    ];
    let mut b = LayerBuilder::new(Meta::root_dir(created));
    for (path, e) in rows {
        // Static, valid rows: an error would only drop that entry.
        let _ = b.insert(path, e);
    }
    Arc::new(b.build())
}

impl ContainerStore {
    fn next_pid(&mut self) -> u32 {
        self.pid_serial = self.pid_serial.wrapping_add(1);
        2_000 + self.pid_serial.wrapping_mul(37) % 60_000
    }

    /// Runs `spec` on container `id`'s filesystem (root + volumes).
    fn run_process(&mut self, id: &str, spec: &ProcessSpec) -> Option<ShellOutcome> {
        let ContainerStore {
            containers,
            volumes,
            ..
        } = self;
        let c = containers.get_mut(id)?;
        let dests: Vec<(String, String)> = c
            .mounts
            .iter()
            .map(|m| (m.name.clone(), m.destination.clone()))
            .collect();
        let mut mounted: Vec<(String, &mut OverlayView)> = Vec::new();
        for (name, v) in volumes.iter_mut() {
            if let Some((_, dest)) = dests.iter().find(|(n, _)| n == name) {
                v.content.set_time(spec.now);
                mounted.push((dest.clone(), &mut v.content));
            }
        }
        c.rootfs.set_time(spec.now);
        let mut fs = MountedFs::new(&mut c.rootfs, mounted);
        Some(interpret(&mut fs, spec))
    }
}

impl Engine {
    /// Looks up a local image, pulling it from the catalog when missing (`docker run`).
    fn image_for_run(
        &mut self,
        reference: &str,
    ) -> (Option<PullAttempt>, Result<StoredImage, ContainerError>) {
        match self.images.resolve(reference) {
            Ok(found) => return (None, Ok(found.clone())),
            Err(ImageError::NotFound(_)) => {}
            Err(ImageError::InvalidReference(e)) => {
                return (None, Err(ContainerError::InvalidReference(e.to_string())))
            }
            Err(e) => return (None, Err(ContainerError::Message(e.to_string()))),
        }
        let parsed = match Reference::parse(reference) {
            Ok(r) => r,
            Err(e) => return (None, Err(ContainerError::InvalidReference(e.to_string()))),
        };
        let familiar = match &parsed.digest {
            Some(_) => parsed.familiar(),
            None => parsed.familiar_tagged(),
        };
        match catalog::catalog().pull(reference, &mut self.layers, &mut self.images) {
            Ok(pulled) => {
                let stored = self.images.get(&pulled.image_id).cloned();
                let attempt = PullAttempt {
                    reference: familiar.clone(),
                    result: Ok(pulled),
                };
                match stored {
                    Some(s) => (Some(attempt), Ok(s)),
                    None => (Some(attempt), Err(ContainerError::NoSuchImage(familiar))),
                }
            }
            Err(error) => (
                Some(PullAttempt {
                    reference: familiar.clone(),
                    result: Err(error.clone()),
                }),
                Err(ContainerError::Pull {
                    reference: familiar,
                    error,
                }),
            ),
        }
    }

    /// `docker create`.
    pub fn create_container(&mut self, run: &RunConfig) -> CreateOutcome {
        self.settle_containers();
        let (pull, image) = self.image_for_run(&run.image);
        let result = image.and_then(|img| self.create_from(run, &img));
        CreateOutcome { pull, result }
    }

    fn create_from(
        &mut self,
        run: &RunConfig,
        img: &StoredImage,
    ) -> Result<String, ContainerError> {
        let serial = self.containers.serial + 1;
        let name = match &run.name {
            Some(n) => {
                if !valid_name(n) {
                    return Err(ContainerError::InvalidName(n.clone()));
                }
                let n = n.trim_start_matches('/').to_string();
                if let Some(other) = self.containers.by_name(&n) {
                    return Err(ContainerError::NameConflict {
                        name: n,
                        id: other.id.clone(),
                    });
                }
                n
            }
            None => (0..NAME_ATTEMPTS)
                .map(|retry| generated_name(serial, retry))
                .find(|n| self.containers.by_name(n).is_none())
                .unwrap_or_default(),
        };
        let merged = merge(run, &img.image.config)?;
        let created = self.tick(1);
        let id = generate_id("container", serial, &name, created);
        let name = if name.is_empty() {
            id.get(..12).unwrap_or(&id).to_string()
        } else {
            name
        };
        let hostname = run
            .hostname
            .clone()
            .unwrap_or_else(|| id.get(..12).unwrap_or(&id).to_string());
        let top = img.chain.last().cloned();
        let mut rootfs = self
            .layers
            .view(top.as_ref())
            .map_err(|e| ContainerError::Message(e.to_string()))?;
        // The lowers come from the store, so pushing onto an empty upper cannot fail.
        let _ = rootfs.push_layer(init_layer(&hostname, serial, created));
        rootfs.set_time(created);
        let config = ContainerConfig {
            image_config: merged,
            hostname,
            image: run.image.clone(),
            tty: run.tty,
            open_stdin: run.interactive,
            attach_stdout: !run.detach,
            attach_stderr: !run.detach,
        };
        // WORKDIR: created in the writable layer if missing (SetupWorkingDirectory).
        let workdir = config.image_config.working_dir.clone();
        if !workdir.is_empty() {
            match rootfs.stat(&workdir) {
                Ok(s) if s.file_type != FileType::Dir => {
                    return Err(ContainerError::Message(format!(
                        "Cannot mkdir: {workdir} is not a directory"
                    )))
                }
                Ok(_) => {}
                Err(_) => {
                    rootfs
                        .mkdir_all(&workdir, 0o755)
                        .map_err(|e| ContainerError::Message(format!("mkdir {workdir}: {e}")))?;
                }
            }
        }
        // Anonymous volumes for the image's VOLUME paths, filled with the image content.
        let mut mounts = Vec::new();
        let mut new_volumes = Vec::new();
        for spec in config.image_config.volumes.keys() {
            let dest = clean_path(spec);
            if dest.is_empty() {
                continue;
            }
            let existing = rootfs.stat(&dest).ok();
            if existing.is_some_and(|s| s.file_type != FileType::Dir) {
                return Err(ContainerError::VolumeOverFile(dest));
            }
            let vserial = self.containers.volume_serial + new_volumes.len() as u64 + 1;
            let vname = generate_id("volume", vserial, &id, created);
            let mut content = OverlayView::new(Vec::new());
            content.set_time(created);
            if existing.is_some() {
                if let Ok(entries) = rootfs.walk(&dest) {
                    for e in entries.into_iter().skip(1) {
                        let rel = e.path.get(dest.len()..).unwrap_or("").to_string();
                        if !rel.is_empty() {
                            let _ = content.install(&rel, e.entry, Meta::root_dir(created));
                        }
                    }
                }
            } else {
                // runc creates the missing mount point in the root filesystem.
                let _ = rootfs.mkdir_all(&dest, 0o755);
            }
            mounts.push(Mount {
                name: vname.clone(),
                destination: dest,
                driver: "local".to_string(),
                read_write: true,
            });
            new_volumes.push(Volume {
                name: vname,
                created,
                anonymous: true,
                content,
            });
        }
        if let Some(t) = &top {
            self.layers
                .acquire(t)
                .map_err(|e| ContainerError::Message(e.to_string()))?;
        }
        let (path, args) = config.path_and_args();
        let container = Container {
            id: id.clone(),
            name,
            image_id: img.image.id.clone(),
            config,
            path,
            args,
            created,
            state: State::default(),
            auto_remove: run.auto_remove,
            mounts,
            logs: Vec::new(),
            notes: Vec::new(),
            rootfs,
            top,
            lifetime: None,
            exits_at: None,
        };
        self.containers.serial = serial;
        self.containers.volume_serial += new_volumes.len() as u64;
        for v in new_volumes {
            self.containers.volumes.insert(v.name.clone(), v);
        }
        self.containers.containers.insert(id.clone(), container);
        Ok(id)
    }

    /// `docker run`: create, then start attached (or detached with `-d`).
    pub fn run_container(&mut self, run: &RunConfig) -> RunOutcome {
        let CreateOutcome { pull, result } = self.create_container(run);
        let id = match result {
            Ok(id) => id,
            Err(e) => {
                return RunOutcome {
                    pull,
                    result: Err(e),
                }
            }
        };
        let report = match self.start_by_id(&id, !run.detach) {
            Ok(started) => RunReport {
                container_id: id,
                output: if run.detach {
                    ProcessOutput {
                        exit_code: started.output.exit_code,
                        ..ProcessOutput::default()
                    }
                } else {
                    started.output
                },
                start_error: None,
                running: started.running,
                removed: started.removed,
                notes: started.notes,
            },
            Err(ContainerError::Start { message, exit_code }) => {
                let removed = !self.containers.containers.contains_key(&id);
                RunReport {
                    container_id: id,
                    output: ProcessOutput {
                        exit_code,
                        ..ProcessOutput::default()
                    },
                    start_error: Some(message),
                    running: false,
                    removed,
                    notes: Vec::new(),
                }
            }
            Err(e) => {
                return RunOutcome {
                    pull,
                    result: Err(e),
                }
            }
        };
        RunOutcome {
            pull,
            result: Ok(report),
        }
    }

    /// `docker start [-a]`. Starting a running container does nothing.
    pub fn start_container(
        &mut self,
        reference: &str,
        attach: bool,
    ) -> Result<ProcessOutput, ContainerError> {
        self.settle_containers();
        let id = self.containers.resolve(reference)?;
        self.start_by_id(&id, attach).map(|s| s.output)
    }

    fn start_by_id(&mut self, id: &str, foreground: bool) -> Result<Started, ContainerError> {
        match self.containers.containers.get(id) {
            None => return Err(ContainerError::NoSuchContainer(id.to_string())),
            Some(c) if c.state.is_running() => {
                return Ok(Started {
                    running: true,
                    ..Started::default()
                })
            }
            Some(_) => {}
        }
        let now = self.tick(1);
        let Prepared {
            config,
            user,
            env,
            cwd,
            effective,
            mut notes,
        } = match self.prepare_start(id) {
            Ok(p) => p,
            Err((message, code)) => return Err(self.fail_start(id, message, code)),
        };
        let lifetime = classify(&effective, config.open_stdin);
        let pid = self.containers.next_pid();
        if let Some(c) = self.containers.containers.get_mut(id) {
            c.state = State {
                status: Status::Running,
                exit_code: 0,
                pid,
                started_at: Some(now),
                finished_at: c.state.finished_at,
                error: String::new(),
                oom_killed: false,
            };
        }
        let spec = ProcessSpec {
            argv: effective.clone(),
            env,
            cwd,
            user: user.cred,
            now,
            hostname: config.hostname.clone(),
        };
        let outcome = if effective.is_empty() || never_returns(&effective) {
            None
        } else {
            self.containers.run_process(id, &spec)
        };
        let (output, chunks) = match &outcome {
            Some(o) => {
                notes.extend(notes_of(o));
                (output_of(o), o.output.clone())
            }
            None => (ProcessOutput::default(), Vec::new()),
        };
        let succeeded = outcome.as_ref().is_none_or(ShellOutcome::success);
        let keeps_running = succeeded && lifetime != Lifetime::Finite;
        let mut exits_at = None;
        let mut finished = !keeps_running;
        if let Lifetime::Sleep(secs) = lifetime {
            if keeps_running {
                if foreground {
                    // Attached: the client waits for the sleep to end.
                    self.tick(secs);
                    finished = true;
                } else {
                    exits_at = Some(now.saturating_add(secs));
                }
            }
        }
        let end = self.now();
        let mut removed = false;
        if let Some(c) = self.containers.containers.get_mut(id) {
            c.logs.extend(chunks);
            c.notes.extend(notes.iter().cloned());
            if finished {
                c.state.status = Status::Exited;
                c.state.exit_code = output.exit_code;
                c.state.pid = 0;
                c.state.finished_at = Some(end);
                c.lifetime = None;
                c.exits_at = None;
                if c.auto_remove {
                    removed = true;
                }
            } else {
                c.lifetime = Some(lifetime);
                c.exits_at = exits_at;
            }
        }
        if removed {
            self.remove_by_id(id, true);
        }
        Ok(Started {
            output,
            running: !finished,
            removed,
            notes,
        })
    }

    /// Resolves the user, the environment and the executable of the main process.
    fn prepare_start(&self, id: &str) -> Result<Prepared, (String, i32)> {
        let Some(c) = self.containers.containers.get(id) else {
            return Err((format!("No such container: {id}"), 128));
        };
        let config = c.config.clone();
        let user = resolve_user(&c.rootfs, &config.image_config.user).map_err(|m| (m, 128))?;
        let env = process_env(&config, &[], config.tty, &user.home);
        let cwd = if config.image_config.working_dir.is_empty() {
            "/".to_string()
        } else {
            config.image_config.working_dir.clone()
        };
        let argv = config.argv();
        let first = argv.first().cloned().unwrap_or_default();
        let mut notes = Vec::new();
        if let Err(f) = look_path(&c.rootfs, &first, &env, &cwd) {
            return Err((start_error_message(&f.reason), f.exit_code));
        }
        let effective = strip_wrappers(&c.rootfs, &argv, &env, &cwd);
        if effective.len() < argv.len() {
            let skipped: Vec<&str> = argv
                .iter()
                .take(argv.len() - effective.len())
                .map(String::as_str)
                .collect();
            notes.push(format!(
                "entrypoint script {} is not simulated; assumed to end with exec \"$@\"",
                skipped.join(", ")
            ));
        }
        Ok(Prepared {
            config,
            user,
            env,
            cwd,
            effective,
            notes,
        })
    }

    /// Records a failed start: the container keeps its status, gets the exit code and the
    /// error, and `--rm` removes it.
    fn fail_start(&mut self, id: &str, message: String, exit_code: i32) -> ContainerError {
        let mut remove = false;
        if let Some(c) = self.containers.containers.get_mut(id) {
            c.state.exit_code = exit_code;
            c.state.error = message.clone();
            remove = c.auto_remove;
        }
        if remove {
            self.remove_by_id(id, true);
        }
        ContainerError::Start { message, exit_code }
    }

    /// Applies what the logical clock decided: a `sleep N` main process whose time is up
    /// has exited 0 (and `--rm` removed its container). Every container operation calls it
    /// first; listings should too.
    pub fn settle_containers(&mut self) {
        let now = self.now();
        let due: Vec<(String, Time, bool)> = self
            .containers
            .containers
            .values()
            .filter(|c| c.state.is_running())
            .filter_map(|c| {
                c.exits_at
                    .filter(|t| *t <= now)
                    .map(|t| (c.id.clone(), t, c.auto_remove))
            })
            .collect();
        for (id, at, auto_remove) in due {
            if let Some(c) = self.containers.containers.get_mut(&id) {
                c.state.status = Status::Exited;
                c.state.exit_code = 0;
                c.state.pid = 0;
                c.state.finished_at = Some(at);
                c.lifetime = None;
                c.exits_at = None;
            }
            if auto_remove {
                self.remove_by_id(&id, true);
            }
        }
    }

    /// All containers after [`Engine::settle_containers`], oldest first.
    pub fn list_containers(&mut self) -> Vec<&Container> {
        self.settle_containers();
        self.containers.iter().collect()
    }

    /// `SizeRw` and `SizeRootFs` (moby `GetContainerLayerSize`).
    pub fn container_sizes(&self, c: &Container) -> ContainerSizes {
        let size_rw = c.size_rw();
        let size_root_fs = match &c.top {
            Some(top) => self.layers.chain_size(Some(top)).unwrap_or(0) + size_rw,
            None => 0,
        };
        ContainerSizes {
            size_rw,
            size_root_fs,
        }
    }

    /// `docker stop [-t N]`: a process that handles the stop signal exits 0; one that does
    /// not (a shell, `sleep`, an app as PID 1) is killed after the timeout: 137. Stopping a
    /// stopped container does nothing.
    pub fn stop_container(
        &mut self,
        reference: &str,
        timeout: Option<i64>,
    ) -> Result<(), ContainerError> {
        self.settle_containers();
        let id = self.containers.resolve(reference)?;
        self.stop_by_id(&id, timeout, true);
        Ok(())
    }

    /// Stops the main process; with `auto_remove`, a `--rm` container is then removed
    /// (not during a restart).
    fn stop_by_id(&mut self, id: &str, timeout: Option<i64>, auto_remove: bool) {
        let Some(c) = self.containers.containers.get(id) else {
            return;
        };
        if !c.state.is_running() {
            return;
        }
        let timeout = timeout.unwrap_or(DEFAULT_STOP_TIMEOUT).max(0);
        let start = self.now();
        let (exit_code, end) = match (c.lifetime, c.exits_at) {
            (_, Some(at)) if at <= start.saturating_add(timeout) => (0, at.max(start)),
            (Some(Lifetime::Service { graceful: true }), _) => (0, start.saturating_add(1)),
            _ => (EXIT_KILLED, start.saturating_add(timeout)),
        };
        let now = self.now();
        if end > now {
            self.tick(end - now);
        }
        let mut remove = false;
        if let Some(c) = self.containers.containers.get_mut(id) {
            c.state.status = Status::Exited;
            c.state.exit_code = exit_code;
            c.state.pid = 0;
            c.state.finished_at = Some(end);
            c.lifetime = None;
            c.exits_at = None;
            remove = auto_remove && c.auto_remove;
        }
        if remove {
            self.remove_by_id(id, true);
        }
    }

    /// `docker restart`: stop (if running), then start detached.
    pub fn restart_container(
        &mut self,
        reference: &str,
        timeout: Option<i64>,
    ) -> Result<(), ContainerError> {
        self.settle_containers();
        let id = self.containers.resolve(reference)?;
        self.stop_by_id(&id, timeout, false);
        if self.containers.containers.contains_key(&id) {
            self.start_by_id(&id, false)?;
        }
        Ok(())
    }

    /// `docker rm [-f] [-v]`. A running container needs `-f` (it is killed first).
    pub fn remove_container(
        &mut self,
        reference: &str,
        force: bool,
        volumes: bool,
    ) -> Result<(), ContainerError> {
        self.settle_containers();
        let id = self.containers.resolve(reference)?;
        let status = self
            .containers
            .containers
            .get(&id)
            .map(|c| c.state.status)
            .unwrap_or_default();
        if status.is_running() && !force {
            return Err(ContainerError::Running {
                reference: reference.to_string(),
                status,
            });
        }
        self.remove_by_id(&id, volumes);
        Ok(())
    }

    /// Drops a container: its writable layer, its reference on the image's layers, and
    /// (with `volumes`) its anonymous volumes no other container uses.
    fn remove_by_id(&mut self, id: &str, volumes: bool) {
        let Some(c) = self.containers.containers.remove(id) else {
            return;
        };
        if let Some(top) = &c.top {
            let _ = self.layers.release(top);
        }
        if volumes {
            for m in &c.mounts {
                let anonymous = self
                    .containers
                    .volumes
                    .get(&m.name)
                    .is_some_and(|v| v.anonymous);
                if anonymous && self.containers.volume_ref_count(&m.name) == 0 {
                    self.containers.volumes.remove(&m.name);
                }
            }
        }
    }

    /// `docker exec`: runs a command in a running container, through the interpreter, on
    /// the container's filesystem (copy-up on first write, whiteouts on delete).
    pub fn exec_in_container(
        &mut self,
        exec: &ExecConfig,
    ) -> Result<ProcessOutput, ContainerError> {
        self.settle_containers();
        let id = self.containers.resolve(&exec.container)?;
        let Some(c) = self.containers.containers.get(&id) else {
            return Err(ContainerError::NoSuchContainer(exec.container.clone()));
        };
        if !c.state.is_running() {
            return Err(ContainerError::NotRunning { id });
        }
        let user_spec = exec
            .user
            .clone()
            .unwrap_or_else(|| c.config.image_config.user.clone());
        let user = resolve_user(&c.rootfs, &user_spec).map_err(ContainerError::Message)?;
        let env = process_env(&c.config, &exec.env, exec.tty, &user.home);
        let cwd = match &exec.workdir {
            Some(w) if !w.is_empty() => clean_path(w),
            _ if c.config.image_config.working_dir.is_empty() => "/".to_string(),
            _ => c.config.image_config.working_dir.clone(),
        };
        if !c
            .rootfs
            .stat(&cwd)
            .is_ok_and(|s| s.file_type == FileType::Dir)
        {
            let reason = format!(
                "chdir to cwd ({}) set in config.json failed: no such file or directory",
                crate::text::go_quote(&cwd)
            );
            return Err(ContainerError::Exec {
                message: exec_error_message(&reason),
                exit_code: 127,
            });
        }
        let first = exec.command.first().cloned().unwrap_or_default();
        let mut notes = Vec::new();
        if let Err(f) = look_path(&c.rootfs, &first, &env, &cwd) {
            return Err(ContainerError::Exec {
                message: exec_error_message(&f.reason),
                exit_code: f.exit_code,
            });
        }
        let hostname = c.config.hostname.clone();
        let now = self.tick(1);
        self.containers.exec_serial += 1;
        let spec = ProcessSpec {
            argv: exec.command.clone(),
            env,
            cwd,
            user: user.cred,
            now,
            hostname,
        };
        let outcome = if never_returns(&exec.command) {
            None
        } else {
            self.containers.run_process(&id, &spec)
        };
        let Some(outcome) = outcome else {
            return Ok(ProcessOutput::default());
        };
        notes.extend(notes_of(&outcome));
        if let Some(c) = self.containers.containers.get_mut(&id) {
            c.notes.extend(notes);
        }
        let output = output_of(&outcome);
        if exec.detach {
            return Ok(ProcessOutput {
                exit_code: output.exit_code,
                ..ProcessOutput::default()
            });
        }
        Ok(output)
    }

    /// `docker diff`: the writable layer's changes (A/C/D), sorted by path.
    pub fn container_diff(&mut self, reference: &str) -> Result<Vec<Change>, ContainerError> {
        self.settle_containers();
        let c = self.containers.find(reference)?;
        Ok(c.rootfs.changes())
    }

    /// `docker logs`: what the main process printed, per stream.
    pub fn container_logs(&mut self, reference: &str) -> Result<Vec<OutputChunk>, ContainerError> {
        self.settle_containers();
        Ok(self.containers.find(reference)?.logs.clone())
    }

    /// `docker container prune`: removes every container that is not running (their
    /// volumes stay); reports their ids and the writable-layer bytes freed.
    pub fn prune_containers(&mut self) -> PruneReport {
        self.settle_containers();
        let victims: Vec<(String, u64)> = self
            .containers
            .iter()
            .filter(|c| !c.state.is_running())
            .map(|c| (c.id.clone(), c.size_rw()))
            .collect();
        let mut report = PruneReport::default();
        for (id, size) in victims {
            self.remove_by_id(&id, false);
            report.containers_deleted.push(id);
            report.space_reclaimed += size;
        }
        report
    }
}

/// The main process, ready to start.
struct Prepared {
    config: ContainerConfig,
    user: super::process::User,
    env: Vec<(String, String)>,
    cwd: String,
    effective: Vec<String>,
    notes: Vec<String>,
}

/// What one start did.
#[derive(Debug, Default)]
struct Started {
    output: ProcessOutput,
    running: bool,
    removed: bool,
    notes: Vec<String>,
}

/// The stream of a log chunk as `docker logs` separates them.
pub fn is_stderr(chunk: &OutputChunk) -> bool {
    chunk.stream == Stream::Stderr
}
