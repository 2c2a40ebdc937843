//! Engine data → the docker console's view models ([`crate::docker_cli::model`]): image and
//! container summaries, history rows, inspect documents, disk usage, and the mapping of
//! the engine's refusals to [`DaemonError`]s. Pure functions of the engine's state.
//!
//! Paths the daemon would report (`/var/lib/docker/overlay2/<id>/diff`, container log and
//! config files) use ids derived from the layer or container they belong to, so they are
//! stable between runs; overlay2 uses random ids there.

use crate::docker_cli::model::{self as m, ChangeKind as ViewChange};
use crate::docker_cli::{DaemonError, LogicalTime};
use crate::engine::container::{Container, ContainerError, Status};
use crate::engine::daemon::Engine;
use crate::engine::image::{parse_rfc3339, ImageError, StoredImage};
use crate::engine::layers::{ChainId, Digest};
use crate::engine::usage;
use crate::engine::vfs::{Change, ChangeKind, Time};
use std::collections::BTreeMap;

/// Bytes as the API's `int64`.
pub fn bytes(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub fn time(t: Time) -> LogicalTime {
    LogicalTime::from_unix(t)
}

/// The daemon's answer to a refused container or image operation.
pub fn daemon_error(e: ContainerError) -> DaemonError {
    match e {
        ContainerError::NoSuchContainer(r) => DaemonError::NoSuchContainer(r),
        ContainerError::NoSuchImage(r) => DaemonError::NoSuchImage(r),
        ContainerError::Running { reference, status } => DaemonError::ContainerRunning {
            name: reference,
            state: status_view(status),
        },
        ContainerError::NotRunning { id } => DaemonError::NotRunning { id },
        ContainerError::NameConflict { name, id } => DaemonError::NameConflict { name, id },
        ContainerError::ImageConflict {
            image_id,
            hard,
            reason,
        } => DaemonError::ImageDeleteConflict {
            image_id: image_id.to_string(),
            hard,
            reason,
        },
        ContainerError::RepositoryReferenceConflict {
            reference,
            container_id,
            image_id,
        } => DaemonError::RepositoryReferenceConflict {
            reference,
            container_id,
            image_id: image_id.to_string(),
        },
        other => DaemonError::Message(other.message()),
    }
}

/// An image-store lookup failure as the daemon words it.
pub fn image_error(e: ImageError) -> DaemonError {
    match e {
        ImageError::NotFound(r) => DaemonError::NoSuchImage(r),
        other => DaemonError::Message(other.to_string()),
    }
}

pub fn status_view(s: Status) -> m::ContainerStatus {
    match s {
        Status::Created => m::ContainerStatus::Created,
        Status::Running => m::ContainerStatus::Running,
        Status::Paused => m::ContainerStatus::Paused,
        Status::Restarting => m::ContainerStatus::Restarting,
        Status::Removing => m::ContainerStatus::Removing,
        Status::Exited => m::ContainerStatus::Exited,
        Status::Dead => m::ContainerStatus::Dead,
    }
}

fn created_of(img: &StoredImage) -> Option<LogicalTime> {
    parse_rfc3339(&img.image.created).map(time)
}

fn image_size(engine: &Engine, img: &StoredImage) -> u64 {
    engine
        .layers
        .chain_size(img.chain.last())
        .unwrap_or(img.size)
}

/// One image as `GET /images/json` lists it (sizes of the whole chain; the container
/// count is always computed by a v28 daemon, the shared size only for `system df`).
pub fn image_summary(engine: &Engine, img: &StoredImage) -> m::ImageSummary {
    let id = &img.image.id;
    m::ImageSummary {
        id: id.to_string(),
        parent_id: img
            .image
            .parent
            .as_ref()
            .map(Digest::to_string)
            .unwrap_or_default(),
        repo_tags: engine.images.tags_of(id),
        repo_digests: img.repo_digests.clone(),
        created: created_of(img),
        size: bytes(image_size(engine, img)),
        shared_size: -1,
        containers: engine.containers.using_image(id).count() as i64,
        labels: img.image.config.labels.clone(),
        has_children: !engine.images.children(id).is_empty(),
    }
}

/// `docker history`: newest step first; `<missing>` where no image of the parent chain
/// stands for the step (docker-semantics §2.3).
pub fn history(engine: &Engine, img: &StoredImage) -> Vec<m::HistoryItem> {
    let id = &img.image.id;
    let ids = engine.images.history_ids(id);
    let sizes = engine.images.history_sizes(id, &engine.layers);
    let mut rows: Vec<m::HistoryItem> = img
        .image
        .history
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let row_id = ids.get(i).cloned().flatten();
            m::HistoryItem {
                id: row_id
                    .as_ref()
                    .map_or_else(|| "<missing>".to_string(), Digest::to_string),
                created: parse_rfc3339(&h.created).map(time).unwrap_or_default(),
                created_by: h.created_by.clone(),
                size: bytes(sizes.get(i).copied().unwrap_or(0)),
                comment: h.comment.clone().unwrap_or_default(),
                tags: row_id
                    .as_ref()
                    .map(|d| engine.images.tags_of(d))
                    .unwrap_or_default(),
            }
        })
        .collect();
    rows.reverse();
    rows
}

/// A directory name in `/var/lib/docker/overlay2` for a layer or container.
fn overlay_dir(seed: &str) -> String {
    format!(
        "/var/lib/docker/overlay2/{}",
        Digest::sha256(format!("overlay2:{seed}").as_bytes()).hex()
    )
}

/// overlay2's `GraphDriver.Data` for a top directory over `lower` (top-most first).
fn graph_driver(top: &str, lower: &[String]) -> m::GraphDriver {
    let mut data = BTreeMap::new();
    if !lower.is_empty() {
        let dirs: Vec<String> = lower.iter().map(|d| format!("{d}/diff")).collect();
        data.insert("LowerDir".to_string(), dirs.join(":"));
    }
    data.insert("MergedDir".to_string(), format!("{top}/merged"));
    data.insert("UpperDir".to_string(), format!("{top}/diff"));
    data.insert("WorkDir".to_string(), format!("{top}/work"));
    m::GraphDriver {
        data,
        name: "overlay2".to_string(),
    }
}

/// The overlay2 directories of a chain, top-most first.
fn chain_dirs(engine: &Engine, top: Option<&ChainId>) -> Vec<String> {
    let mut chain = engine.layers.chain(top).unwrap_or_default();
    chain.reverse();
    chain.iter().map(|c| overlay_dir(c.as_str())).collect()
}

fn image_config_view(c: &crate::engine::image::ImageConfig) -> m::ImageConfig {
    m::ImageConfig {
        user: c.user.clone(),
        exposed_ports: c
            .exposed_ports
            .keys()
            .map(|k| (k.clone(), m::Empty {}))
            .collect(),
        env: c.env.clone(),
        entrypoint: c.entrypoint.clone().unwrap_or_default(),
        cmd: c.cmd.clone().unwrap_or_default(),
        volumes: c.volumes.keys().map(|k| (k.clone(), m::Empty {})).collect(),
        working_dir: c.working_dir.clone(),
        labels: c.labels.clone(),
        stop_signal: c.stop_signal.clone().unwrap_or_default(),
        args_escaped: false,
        healthcheck: c.healthcheck.as_ref().map(health_view),
        on_build: c.on_build.clone(),
        shell: c.shell.clone().unwrap_or_default(),
    }
}

fn health_view(h: &crate::engine::image::HealthConfig) -> m::HealthConfig {
    m::HealthConfig {
        test: h.test.clone(),
        interval: h.interval,
        timeout: h.timeout,
        start_period: h.start_period,
        start_interval: h.start_interval,
        retries: h.retries,
    }
}

/// `GET /images/{name}/json` (classic store). `last_tag_time` is when the image was last
/// tagged locally (`docker tag`, `build -t`, `commit REF`); pulled images keep Go's zero
/// time, as pulls do not record it.
pub fn image_inspect(
    engine: &Engine,
    img: &StoredImage,
    last_tag_time: Option<Time>,
) -> m::ImageInspect {
    let image = &img.image;
    // moby falls back to the newest history comment (`buildkit.dockerfile.v0`).
    let comment = image
        .history
        .last()
        .and_then(|h| h.comment.clone())
        .unwrap_or_default();
    let top = img.chain.last();
    let dirs = chain_dirs(engine, top);
    let graph = match dirs.split_first() {
        Some((first, lower)) => graph_driver(first, lower),
        None => m::GraphDriver {
            data: BTreeMap::new(),
            name: "overlay2".to_string(),
        },
    };
    m::ImageInspect {
        id: image.id.to_string(),
        repo_tags: engine.images.tags_of(&image.id),
        repo_digests: img.repo_digests.clone(),
        parent: image
            .parent
            .as_ref()
            .map(Digest::to_string)
            .unwrap_or_default(),
        comment,
        created: image.created.clone(),
        docker_version: image.docker_version.clone().unwrap_or_default(),
        author: image.author.clone().unwrap_or_default(),
        config: image_config_view(&image.config),
        architecture: image.architecture.clone(),
        variant: String::new(),
        os: image.os.clone(),
        os_version: String::new(),
        size: bytes(image_size(engine, img)),
        graph_driver: graph,
        root_fs: m::RootFs {
            kind: image.rootfs.kind.clone(),
            layers: image
                .rootfs
                .diff_ids
                .iter()
                .map(Digest::to_string)
                .collect(),
        },
        metadata: match last_tag_time {
            Some(t) => m::ImageMetadata {
                last_tag_time: time(t).rfc3339_nano(),
            },
            None => m::ImageMetadata::default(),
        },
    }
}

fn container_state(c: &Container) -> m::ContainerState {
    m::ContainerState {
        status: status_view(c.state.status),
        exit_code: i64::from(c.state.exit_code),
        started_at: c.state.started_at.map(time),
        finished_at: c.state.finished_at.map(time),
        pid: i64::from(c.state.pid),
        oom_killed: c.state.oom_killed,
        error: c.state.error.clone(),
        health: None,
    }
}

/// The IMAGE column: the reference the container was created with, or the image id when
/// that reference now names another image or none (moby `refreshImage`).
fn image_column(engine: &Engine, c: &Container) -> String {
    let named = &c.config.image;
    if named == c.image_id.as_str() {
        return named.clone();
    }
    match engine.images.resolve(named) {
        Ok(img) if img.image.id == c.image_id => named.clone(),
        _ => c.image_id.to_string(),
    }
}

fn volume_source(name: &str) -> String {
    format!("/var/lib/docker/volumes/{name}/_data")
}

/// One container as `GET /containers/json` lists it; `published` are its `-p` bindings.
pub fn container_summary(
    engine: &Engine,
    c: &Container,
    size: bool,
    published: &[m::Port],
) -> m::ContainerSummary {
    let running = c.state.is_running();
    // A stopped container's network settings are cleared: no ports are listed. A running
    // one lists its bindings and its exposed ports that are not published.
    let ports = if running {
        let mut ports: Vec<m::Port> = c
            .config
            .image_config
            .exposed_ports
            .keys()
            .filter_map(|p| {
                let (port, proto) = p.split_once('/').unwrap_or((p.as_str(), "tcp"));
                Some(m::Port {
                    ip: String::new(),
                    private_port: port.parse().ok()?,
                    public_port: 0,
                    kind: proto.to_string(),
                })
            })
            .filter(|p| {
                !published
                    .iter()
                    .any(|b| b.private_port == p.private_port && b.kind == p.kind)
            })
            .collect();
        ports.extend(published.iter().cloned());
        ports
    } else {
        Vec::new()
    };
    let (size_rw, size_root_fs) = if size {
        let s = engine.container_sizes(c);
        (bytes(s.size_rw), bytes(s.size_root_fs))
    } else {
        (0, 0)
    };
    m::ContainerSummary {
        id: c.id.clone(),
        names: vec![c.name.clone()],
        image: image_column(engine, c),
        image_id: c.image_id.to_string(),
        path: c.path.clone(),
        args: c.args.clone(),
        created: time(c.created),
        state: container_state(c),
        status: None,
        ports,
        size_rw,
        size_root_fs,
        labels: c.config.image_config.labels.clone(),
        mounts: c
            .mounts
            .iter()
            .map(|mnt| m::MountSummary {
                name: mnt.name.clone(),
                source: volume_source(&mnt.name),
                driver: mnt.driver.clone(),
            })
            .collect(),
        networks: vec!["bridge".to_string()],
    }
}

/// `GET /containers/{id}/json` (`size`: with `SizeRw` and `SizeRootFs`).
pub fn container_inspect(engine: &Engine, c: &Container, size: bool) -> m::ContainerInspect {
    let dir = format!("/var/lib/docker/containers/{}", c.id);
    let top = overlay_dir(&c.id);
    let mut lower = vec![format!("{top}-init")];
    lower.extend(chain_dirs(engine, c.image_top()));
    let cfg = &c.config;
    let ic = &cfg.image_config;
    let attach_stdin = cfg.open_stdin && cfg.attach_stdout;
    let sizes = size.then(|| engine.container_sizes(c));
    m::ContainerInspect {
        id: c.id.clone(),
        created: time(c.created).rfc3339_nano(),
        path: c.path.clone(),
        args: c.args.clone(),
        state: m::InspectState::from_state(&container_state(c)),
        image: c.image_id.to_string(),
        resolv_conf_path: format!("{dir}/resolv.conf"),
        hostname_path: format!("{dir}/hostname"),
        hosts_path: format!("{dir}/hosts"),
        log_path: format!("{dir}/{}-json.log", c.id),
        name: format!("/{}", c.name),
        restart_count: 0,
        driver: "overlay2".to_string(),
        platform: "linux".to_string(),
        mount_label: String::new(),
        process_label: String::new(),
        app_armor_profile: String::new(),
        exec_ids: None,
        graph_driver: graph_driver(&top, &lower),
        size_rw: sizes.map(|s| bytes(s.size_rw)),
        size_root_fs: sizes.map(|s| bytes(s.size_root_fs)),
        mounts: c
            .mounts
            .iter()
            .map(|mnt| {
                serde_json::json!({
                    "Type": "volume",
                    "Name": mnt.name,
                    "Source": volume_source(&mnt.name),
                    "Destination": mnt.destination,
                    "Driver": mnt.driver,
                    "Mode": "",
                    "RW": mnt.read_write,
                    "Propagation": "",
                })
            })
            .collect(),
        config: m::ContainerConfig {
            hostname: cfg.hostname.clone(),
            domainname: String::new(),
            user: ic.user.clone(),
            attach_stdin,
            attach_stdout: cfg.attach_stdout,
            attach_stderr: cfg.attach_stderr,
            exposed_ports: ic
                .exposed_ports
                .keys()
                .map(|k| (k.clone(), m::Empty {}))
                .collect(),
            tty: cfg.tty,
            open_stdin: cfg.open_stdin,
            stdin_once: attach_stdin,
            env: Some(ic.env.clone()),
            cmd: ic.cmd.clone(),
            healthcheck: ic.healthcheck.as_ref().map(health_view),
            image: cfg.image.clone(),
            volumes: (!ic.volumes.is_empty()).then(|| {
                ic.volumes
                    .keys()
                    .map(|k| (k.clone(), m::Empty {}))
                    .collect()
            }),
            working_dir: ic.working_dir.clone(),
            entrypoint: ic.entrypoint.clone(),
            on_build: (!ic.on_build.is_empty()).then(|| ic.on_build.clone()),
            labels: ic.labels.clone(),
            stop_signal: ic.stop_signal.clone().unwrap_or_default(),
            shell: ic.shell.clone().unwrap_or_default(),
        },
    }
}

pub fn change_view(c: &Change) -> m::FilesystemChange {
    m::FilesystemChange {
        kind: match c.kind {
            ChangeKind::Added => ViewChange::Added,
            ChangeKind::Modified => ViewChange::Modified,
            ChangeKind::Deleted => ViewChange::Deleted,
        },
        path: c.path.clone(),
    }
}

pub fn delete_record(r: crate::engine::container::DeleteRecord) -> m::DeleteRecord {
    match r {
        crate::engine::container::DeleteRecord::Untagged(x) => m::DeleteRecord::Untagged(x),
        crate::engine::container::DeleteRecord::Deleted(x) => m::DeleteRecord::Deleted(x),
    }
}

fn cache_record_view(r: &usage::BuildCacheRecord) -> m::BuildCacheRecord {
    m::BuildCacheRecord {
        id: r.id.clone(),
        parents: r.parents.clone(),
        kind: r.kind.clone(),
        description: r.description.clone(),
        in_use: r.in_use,
        shared: r.shared,
        size: bytes(r.size),
        created_at: time(r.created_at),
        last_used_at: r.last_used_at.map(time),
        usage_count: bytes(r.usage_count),
    }
}

/// `GET /system/df` of a v28 daemon: `LayersSize`, the images `docker images` lists with
/// `SharedSize` and `Containers`, all containers with `SizeRw`, volumes, build cache. The
/// summary rows are computed by the client (docker/cli v28.5.2), not here.
pub fn disk_usage(
    engine: &mut Engine,
    build_cache: &[usage::BuildCacheRecord],
    published: &BTreeMap<String, Vec<m::Port>>,
) -> m::DiskUsage {
    let du = engine.disk_usage(build_cache);
    let engine: &Engine = engine;
    let images = du
        .images
        .iter()
        .map(|i| m::ImageSummary {
            id: i.id.to_string(),
            parent_id: i
                .parent_id
                .as_ref()
                .map(Digest::to_string)
                .unwrap_or_default(),
            repo_tags: i.repo_tags.clone(),
            repo_digests: i.repo_digests.clone(),
            created: i.created.map(time),
            size: bytes(i.size),
            shared_size: bytes(i.shared_size),
            containers: bytes(i.containers),
            labels: engine
                .images
                .get(&i.id)
                .map(|s| s.image.config.labels.clone())
                .unwrap_or_default(),
            has_children: false,
        })
        .collect();
    let containers = du
        .containers
        .iter()
        .filter_map(|c| engine.containers.get(&c.id))
        .map(|c| {
            let ports = published.get(&c.id).map_or(&[][..], Vec::as_slice);
            container_summary(engine, c, true, ports)
        })
        .collect();
    let volumes = du
        .volumes
        .iter()
        .map(|v| m::VolumeUsage {
            name: v.name.clone(),
            driver: v.driver.clone(),
            ref_count: bytes(v.ref_count),
            size: bytes(v.size),
        })
        .collect();
    m::DiskUsage {
        layers_size: bytes(du.layers_size),
        images,
        containers,
        volumes,
        build_cache: du.build_cache.iter().map(cache_record_view).collect(),
    }
}
