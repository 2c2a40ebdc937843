//! An in-memory fake of the engine for the docker console tests: it answers from fixed
//! data, records the calls it received, and never simulates anything.
#![allow(dead_code)]

use dockerfile_playground::docker_cli::*;
use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct FakeBackend {
    pub images: Vec<ImageSummary>,
    pub containers: Vec<ContainerSummary>,
    pub history: BTreeMap<String, Vec<HistoryItem>>,
    pub image_inspect: BTreeMap<String, ImageInspect>,
    pub container_inspect: BTreeMap<String, ContainerInspect>,
    pub disk_usage: DiskUsage,
    pub diffs: BTreeMap<String, Vec<FilesystemChange>>,
    /// Answers for `docker rmi NAME`.
    pub rmi: BTreeMap<String, Result<Vec<DeleteRecord>, DaemonError>>,
    /// Answers for `docker rm NAME` (missing: "No such container").
    pub rm: BTreeMap<String, Result<(), DaemonError>>,
    pub run: Option<RunOutcome>,
    pub create: Option<CreateOutcome>,
    pub exec: Option<Result<ProcessOutput, DaemonError>>,
    pub build: ProcessOutput,
    pub version: Option<ServerVersion>,
    pub info: SystemInfo,
    pub prune: PruneReport,
    /// Every call, in order, as a short text.
    pub calls: Vec<String>,
}

fn no_such_container(name: &str) -> DaemonError {
    DaemonError::NoSuchContainer(name.to_string())
}

impl DockerBackend for FakeBackend {
    fn build(&mut self, options: &BuildOptions) -> ProcessOutput {
        self.calls.push(format!("build {}", options.context));
        self.build.clone()
    }

    fn list_images(&mut self) -> Result<Vec<ImageSummary>, DaemonError> {
        self.calls.push("list_images".into());
        Ok(self.images.clone())
    }

    fn image_history(&mut self, image: &str) -> Result<Vec<HistoryItem>, DaemonError> {
        self.calls.push(format!("history {image}"));
        self.history
            .get(image)
            .cloned()
            .ok_or_else(|| DaemonError::NoSuchImage(image.to_string()))
    }

    fn inspect_image(&mut self, reference: &str) -> Result<ImageInspect, DaemonError> {
        self.calls.push(format!("inspect_image {reference}"));
        self.image_inspect
            .get(reference)
            .cloned()
            .ok_or_else(|| DaemonError::NoSuchImage(reference.to_string()))
    }

    fn inspect_container(
        &mut self,
        name: &str,
        size: bool,
    ) -> Result<ContainerInspect, DaemonError> {
        self.calls
            .push(format!("inspect_container {name} size={size}"));
        self.container_inspect
            .get(name)
            .cloned()
            .ok_or_else(|| no_such_container(name))
    }

    fn list_containers(&mut self, size: bool) -> Result<Vec<ContainerSummary>, DaemonError> {
        self.calls.push(format!("list_containers size={size}"));
        Ok(self.containers.clone())
    }

    fn create(&mut self, options: &RunOptions) -> CreateOutcome {
        self.calls.push(format!("create {}", options.image));
        self.create.clone().unwrap_or(CreateOutcome {
            pulled: None,
            result: Err(DaemonError::NoSuchImage(options.image.clone())),
        })
    }

    fn run(&mut self, options: &RunOptions) -> RunOutcome {
        self.calls
            .push(format!("run {} {:?}", options.image, options.command));
        self.run.clone().unwrap_or(RunOutcome {
            pulled: None,
            result: Err(DaemonError::NoSuchImage(options.image.clone())),
        })
    }

    fn start(&mut self, container: &str, attach: bool) -> Result<ProcessOutput, DaemonError> {
        self.calls
            .push(format!("start {container} attach={attach}"));
        if self
            .containers
            .iter()
            .any(|c| c.names.iter().any(|n| n == container) || c.id.starts_with(container))
        {
            Ok(ProcessOutput::default())
        } else {
            Err(no_such_container(container))
        }
    }

    fn stop(&mut self, container: &str, timeout: Option<i64>) -> Result<(), DaemonError> {
        self.calls.push(format!("stop {container} {timeout:?}"));
        if self
            .containers
            .iter()
            .any(|c| c.names.iter().any(|n| n == container))
        {
            Ok(())
        } else {
            Err(no_such_container(container))
        }
    }

    fn exec(&mut self, options: &ExecOptions) -> Result<ProcessOutput, DaemonError> {
        self.calls
            .push(format!("exec {} {:?}", options.container, options.command));
        self.exec
            .clone()
            .unwrap_or_else(|| Err(no_such_container(&options.container)))
    }

    fn diff(&mut self, container: &str) -> Result<Vec<FilesystemChange>, DaemonError> {
        self.calls.push(format!("diff {container}"));
        self.diffs
            .get(container)
            .cloned()
            .ok_or_else(|| no_such_container(container))
    }

    fn commit(&mut self, options: &CommitOptions) -> Result<String, DaemonError> {
        self.calls.push(format!(
            "commit {} {:?}",
            options.container, options.reference
        ));
        Ok("sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b".to_string())
    }

    fn remove_container(
        &mut self,
        container: &str,
        force: bool,
        volumes: bool,
    ) -> Result<(), DaemonError> {
        self.calls
            .push(format!("rm {container} force={force} volumes={volumes}"));
        self.rm
            .get(container)
            .cloned()
            .unwrap_or_else(|| Err(no_such_container(container)))
    }

    fn remove_image(
        &mut self,
        image: &str,
        force: bool,
        prune_children: bool,
    ) -> Result<Vec<DeleteRecord>, DaemonError> {
        self.calls
            .push(format!("rmi {image} force={force} prune={prune_children}"));
        self.rmi
            .get(image)
            .cloned()
            .unwrap_or_else(|| Err(DaemonError::NoSuchImage(image.to_string())))
    }

    fn tag(&mut self, source: &str, target: &str) -> Result<(), DaemonError> {
        self.calls.push(format!("tag {source} {target}"));
        Ok(())
    }

    fn disk_usage(&mut self) -> Result<DiskUsage, DaemonError> {
        self.calls.push("disk_usage".into());
        Ok(self.disk_usage.clone())
    }

    fn prune_images(&mut self, all: bool) -> Result<PruneReport, DaemonError> {
        self.calls.push(format!("prune_images all={all}"));
        Ok(self.prune.clone())
    }

    fn prune_containers(&mut self) -> Result<PruneReport, DaemonError> {
        self.calls.push("prune_containers".into());
        Ok(self.prune.clone())
    }

    fn server_version(&mut self) -> Result<ServerVersion, DaemonError> {
        self.calls.push("version".into());
        self.version
            .clone()
            .ok_or_else(|| DaemonError::Client("Cannot connect to the Docker daemon".into()))
    }

    fn info(&mut self) -> Result<SystemInfo, DaemonError> {
        self.calls.push("info".into());
        Ok(self.info.clone())
    }
}

/// A fixed logical "now" for the tests: 2024-06-01T12:00:00Z.
pub const NOW: LogicalTime = LogicalTime {
    secs: 1_717_243_200,
    nanos: 0,
};

pub fn ago(secs: i64) -> LogicalTime {
    LogicalTime::from_unix(NOW.secs - secs)
}

pub const DAY: i64 = 86_400;
