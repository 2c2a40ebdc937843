//! Parsing docker command lines: aliases, pflag-style flags, and the texts docker/cli
//! prints for help and usage errors.
//!
//! Sources: docker/cli v28.5.2 (ecc694264de6b34e4b59d16245603382f22fa813) cli/cobra.go
//! (`FlagErrorFunc`, `usageTemplate`), cli/required.go (argument-count messages),
//! cmd/docker/docker.go (unknown command), the command definitions under cli/command/
//! (Use, Short, aliases, flags and their help texts), vendor/github.com/spf13/pflag/flag.go
//! (parse errors, `FlagUsagesWrapped`); docker/buildx v0.29.1 commands/build.go.
#![allow(clippy::unwrap_used)]

use dockerfile_playground::docker_cli::*;

fn parsed(line: &str) -> DockerCommand {
    match parse_line(line) {
        Parsed::Command { command, .. } => *command,
        Parsed::Output(out) => panic!("{line}: {out:?}"),
    }
}

fn output(line: &str) -> CommandOutput {
    match parse_line(line) {
        Parsed::Output(out) => out,
        Parsed::Command { command, .. } => panic!("{line} parsed as {command:?}"),
    }
}

#[test]
fn aliases_reach_the_same_command() {
    let groups: &[&[&str]] = &[
        &["images", "image ls", "image list", "docker images"],
        &["ps", "container ls", "container list", "container ps"],
        &["rmi x", "image rm x", "image remove x", "image rmi x"],
        &["rm x", "container rm x", "container remove x"],
        &["history x", "image history x"],
        &[
            "build .",
            "image build .",
            "builder build .",
            "buildx build .",
            "buildx b .",
        ],
        &["run alpine", "container run alpine"],
        &["exec c ls", "container exec c ls"],
        &["diff c", "container diff c"],
        &["tag a b", "image tag a b"],
        &["info", "system info"],
    ];
    // Only `docker images` (not `docker image ls`) prints docker/cli's ambiguity hint.
    let normalized = |line: &str| match parsed(line) {
        DockerCommand::Images(mut o) => {
            o.called_as_images = false;
            DockerCommand::Images(o)
        }
        other => other,
    };
    for group in groups {
        let first = normalized(group[0]);
        for line in group.iter().skip(1) {
            assert_eq!(normalized(line), first, "{line}");
        }
    }
    assert!(matches!(
        parsed("image inspect x"),
        DockerCommand::Inspect(InspectOptions {
            kind: InspectKind::Image,
            ..
        })
    ));
    assert!(matches!(
        parsed("container inspect x"),
        DockerCommand::Inspect(InspectOptions {
            kind: InspectKind::Container,
            ..
        })
    ));
    assert!(matches!(
        parsed("inspect --type=image x"),
        DockerCommand::Inspect(InspectOptions {
            kind: InspectKind::Image,
            ..
        })
    ));
    assert!(matches!(
        parsed("inspect x"),
        DockerCommand::Inspect(InspectOptions {
            kind: InspectKind::Any,
            ..
        })
    ));
    assert!(matches!(
        parsed("system df -v"),
        DockerCommand::SystemDf(DfOptions { verbose: true, .. })
    ));
}

#[test]
fn flags_like_pflag() {
    assert_eq!(
        parsed("docker run -it --rm -e A=1 -e B=2 --name=web -w /app -u 1000:1000 --entrypoint sh alpine -c 'echo hi'"),
        DockerCommand::Run(RunOptions {
            image: "alpine".into(),
            command: vec!["-c".into(), "echo hi".into()],
            name: Some("web".into()),
            env: vec!["A=1".into(), "B=2".into()],
            workdir: Some("/app".into()),
            user: Some("1000:1000".into()),
            entrypoint: Some("sh".into()),
            rm: true,
            interactive: true,
            tty: true,
            pull: "missing".into(),
            ..Default::default()
        })
    );
    // Flags after the image belong to the container's command (run is not interspersed).
    let DockerCommand::Run(r) = parsed("run alpine ls -la --help") else {
        panic!()
    };
    assert_eq!(r.command, ["ls", "-la", "--help"]);
    let DockerCommand::Ps(p) = parsed("ps -aq -n 3 --no-trunc -s") else {
        panic!()
    };
    assert!(p.all && p.quiet && p.no_trunc && p.size);
    assert_eq!(p.last, 3);
    let DockerCommand::Ps(p) = parsed("ps -l") else {
        panic!()
    };
    assert!(p.latest && p.last == -1);
    let DockerCommand::History(h) = parsed("history -H=false --no-trunc img") else {
        panic!()
    };
    assert!(!h.human && h.no_trunc);
    let DockerCommand::History(h) = parsed("history img -q") else {
        panic!()
    };
    assert!(h.quiet && h.human);
    let DockerCommand::Build(b) = parsed("docker build -t app:1 -t app:latest -f Dockerfile.dev --target dev --build-arg V=1 --no-cache --progress=plain -q .") else { panic!() };
    assert_eq!(b.tags, ["app:1", "app:latest"]);
    assert_eq!(
        (b.file.as_deref(), b.target.as_deref(), b.progress.as_str()),
        (Some("Dockerfile.dev"), Some("dev"), "plain")
    );
    assert!(b.no_cache && b.quiet && b.context == ".");
    assert_eq!(b.build_args, ["V=1"]);
    let DockerCommand::Images(i) =
        parsed("images -a --digests --filter dangling=true -f label=x alpine")
    else {
        panic!()
    };
    assert!(i.all && i.digests);
    assert_eq!(i.filters, ["dangling=true", "label=x"]);
    assert_eq!(i.reference.as_deref(), Some("alpine"));
    let DockerCommand::Exec(e) = parsed("exec -it -u root -w /tmp -e A=1 web sh -c 'ls /'") else {
        panic!()
    };
    assert_eq!(
        (e.container.as_str(), e.command.len(), e.tty, e.interactive),
        ("web", 3, true, true)
    );
    let DockerCommand::Commit(c) = parsed("commit -m msg -a me -c 'CMD [\"x\"]' web repo:tag")
    else {
        panic!()
    };
    assert_eq!(
        (c.reference.as_deref(), c.changes.len(), c.pause),
        (Some("repo:tag"), 1, true)
    );
    let DockerCommand::Rmi(r) = parsed("rmi -f a b") else {
        panic!()
    };
    assert!(r.force && r.images == ["a", "b"]);
    let DockerCommand::ImagePrune(ip) = parsed("image prune -af") else {
        panic!()
    };
    assert!(ip.all && ip.force);
    let DockerCommand::Inspect(ins) = parsed("inspect -s -f '{{.Id}}' -- x y") else {
        panic!()
    };
    assert_eq!(
        (ins.size, ins.format.as_deref(), ins.names.len()),
        (true, Some("{{.Id}}"), 2)
    );
}

#[test]
fn flag_errors_are_dockers() {
    let cases: &[(&str, &str)] = &[
        ("run --foo alpine", "unknown flag: --foo\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"),
        ("ps -z", "unknown shorthand flag: 'z' in -z\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information\n"),
        ("container ls -az", "unknown shorthand flag: 'z' in -az\n\nUsage:  docker container ls [OPTIONS]\n\nRun 'docker container ls --help' for more information\n"),
        ("ps -n", "flag needs an argument: 'n' in -n\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information\n"),
        ("ps -n x", "invalid argument \"x\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information\n"),
        ("images --format", "flag needs an argument: --format\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker images --help' for more information\n"),
        ("images -f dangling", "invalid argument \"dangling\" for \"-f, --filter\" flag: bad format of filter (expected name=value)\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker images --help' for more information\n"),
        ("--foo ps", "unknown flag: --foo\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information\n"),
    ];
    for (line, stderr) in cases {
        let out = output(line);
        assert_eq!(
            (out.stderr.as_str(), out.exit_code, out.stdout.as_str()),
            (*stderr, 125, ""),
            "{line}"
        );
    }
}

#[test]
fn argument_count_errors_are_dockers() {
    let cases: &[(&str, &str)] = &[
        ("history", "docker: 'docker history' requires 1 argument\n\nUsage:  docker history [OPTIONS] IMAGE\n\nRun 'docker history --help' for more information\n"),
        ("image history a b", "docker: 'docker image history' requires 1 argument\n\nUsage:  docker image history [OPTIONS] IMAGE\n\nRun 'docker image history --help' for more information\n"),
        ("run", "docker: 'docker run' requires at least 1 argument\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nSee 'docker run --help' for more information\n"),
        ("exec web", "docker: 'docker exec' requires at least 2 arguments\n\nUsage:  docker exec [OPTIONS] CONTAINER COMMAND [ARG...]\n\nSee 'docker exec --help' for more information\n"),
        ("ps x", "docker: 'docker ps' accepts no arguments\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information\n"),
        ("images a b", "docker: 'docker images' requires at most 1 argument\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nSRun 'docker images --help' for more information\n"),
        ("commit", "docker: 'docker commit' requires at least 1 and at most 2 arguments\n\nUsage:  docker commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]\n\nRun 'docker commit --help' for more information\n"),
        ("tag a", "docker: 'docker tag' requires 2 arguments\n\nUsage:  docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n\nRun 'docker tag --help' for more information\n"),
        ("build", "ERROR: docker: 'docker buildx build' requires 1 argument\n\nUsage:  docker buildx build [OPTIONS] PATH | URL | -\n\nRun 'docker buildx build --help' for more information\n"),
        ("foo", "docker: unknown command: docker foo\n\nRun 'docker --help' for more information\n"),
        ("image foo", "docker: unknown command: docker image foo\n\nUsage:  docker image COMMAND\n\nRun 'docker image --help' for more information\n"),
    ];
    for (line, stderr) in cases {
        let out = output(line);
        assert_eq!((out.stderr.as_str(), out.exit_code), (*stderr, 1), "{line}");
    }
}

#[test]
fn help_texts() {
    let out = output("docker history --help");
    assert_eq!(out.exit_code, 0);
    assert_eq!(
        out.stdout,
        "Usage:  docker history [OPTIONS] IMAGE

Show the history of an image

Aliases:
  docker image history, docker history

Options:
      --format string   Format output using a custom template:
                        'table':            Print output in table format
                        with column headers (default)
                        'table TEMPLATE':   Print output in table format
                        using the given Go template
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given
                        Go template.
                        Refer to https://docs.docker.com/go/formatting/
                        for more information about formatting output with
                        templates
  -H, --human           Print sizes and dates in human readable format
                        (default true)
      --no-trunc        Don't truncate output
  -q, --quiet           Only show image IDs

The playground emulates the options listed above; it does not emulate:
  --platform
"
    );
    let short = output("history -h");
    assert_eq!(short.stdout, out.stdout);
    assert_eq!(
        short.stderr,
        "Flag shorthand -h has been deprecated, use --help\n"
    );
    assert_eq!(output("help history").stdout, out.stdout);
    // `run -h` is the hostname flag, so it needs a value instead of printing help.
    assert_eq!(output("run -h").exit_code, 125);
    let diff = output("diff --help").stdout;
    assert_eq!(diff, "Usage:  docker diff CONTAINER\n\nInspect changes to files or directories on a container's filesystem\n\nAliases:\n  docker container diff, docker diff\n");
    let group = output("image --help").stdout;
    assert!(group.starts_with("Usage:  docker image COMMAND\n\nManage images\n\nCommands:\n  build       Build an image from a Dockerfile\n  history     Show the history of an image\n"));
    assert!(
        group.ends_with("\nRun 'docker image COMMAND --help' for more information on a command.\n\nThe playground emulates the commands listed above.\n")
    );
    let root = output("--help").stdout;
    assert!(root.starts_with("Usage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n\nCommon Commands:\n  run         Create and run a new container from an image\n"));
    assert_eq!(output("docker").stderr, root);
}

#[test]
fn not_emulated_is_said_plainly() {
    let out = output("docker pull alpine");
    assert_eq!(out.exit_code, 1);
    assert!(out
        .stderr
        .starts_with("docker pull: this command is not emulated by the playground"));
    let out = output("docker run -v /data:/data alpine");
    assert_eq!(out.stderr, "docker run: the playground does not emulate --volume\n\nRun 'docker run --help' for the options it emulates\n");
}

#[test]
fn hostile_input_never_panics() {
    let long = "-".repeat(100_000);
    let weird = [
        "",
        "   ",
        "docker",
        "'unterminated",
        "\"x",
        "ps --format '{{'",
        "ps --format '{{range}}'",
        "images --format '{{.ID}'",
        "images --format \"{{if}}{{end}}\"",
        "inspect -f '{{index . 1 2 3}}' x",
        "ps -n 99999999999999999999",
        "ps ---",
        "ps -- -a",
        "run -- alpine",
        &long,
        "\u{0}\u{1}\u{2}",
        "history -H=maybe x",
        "images -f",
        "inspect --type=volume v",
    ];
    let mut backend = NullBackend;
    for line in weird {
        let out = execute(line, &mut backend, LogicalTime::from_unix(0));
        assert!(out.exit_code >= 0);
    }
}

/// Pseudo-random lines built from docker words, flags and template pieces: the console
/// must answer every one of them without panicking.
#[test]
fn generated_lines_never_panic() {
    const PIECES: &[&str] = &[
        "docker",
        "ps",
        "images",
        "image",
        "ls",
        "history",
        "inspect",
        "run",
        "exec",
        "rm",
        "rmi",
        "system",
        "df",
        "-a",
        "-q",
        "-s",
        "-n",
        "-H=false",
        "--format",
        "'{{",
        "}}'",
        "{{.ID}}",
        "{{json .}}",
        "{{range .}}",
        "{{end}}",
        "table",
        "\\t",
        "--filter",
        "dangling=true",
        "x",
        "\"",
        "'",
        "--",
        "-f",
        "{{if .Size}}",
        "{{else}}",
        "{{index . 0}}",
        "{{len .}}",
        "{{printf \"%d\" 1}}",
        "{{pad . 1 2}}",
        "-v",
        "--help",
        "{{.Config.Env}}",
        "container",
        "prune",
        "-af",
        "build",
        "-t",
        ".",
        "{{$x := 1}}{{$x}}",
        "(",
        ")",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut backend = NullBackend;
    for _ in 0..3000 {
        let len = (next() % 8) as usize;
        let line: Vec<&str> = (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        let joiner = if next() % 3 == 0 { "" } else { " " };
        let out = execute(
            &line.join(joiner),
            &mut backend,
            LogicalTime::from_unix(1_700_000_000),
        );
        assert!(out.exit_code >= 0);
    }
}

/// A backend that knows nothing.
struct NullBackend;

impl DockerBackend for NullBackend {
    fn build(&mut self, _: &BuildOptions) -> ProcessOutput {
        ProcessOutput::default()
    }
    fn list_images(&mut self) -> Result<Vec<ImageSummary>, DaemonError> {
        Ok(vec![ImageSummary {
            id: "sha256:4e38e38c8ce0".into(),
            repo_tags: vec!["alpine:3.19".into()],
            created: Some(LogicalTime::from_unix(1_600_000_000)),
            size: 7_000_000,
            shared_size: -1,
            containers: -1,
            ..Default::default()
        }])
    }
    fn image_history(&mut self, i: &str) -> Result<Vec<HistoryItem>, DaemonError> {
        if i == "x" {
            return Ok(vec![HistoryItem {
                id: "<missing>".into(),
                created_by: "RUN x".into(),
                ..Default::default()
            }]);
        }
        Err(DaemonError::NoSuchImage(i.into()))
    }
    fn inspect_image(&mut self, i: &str) -> Result<ImageInspect, DaemonError> {
        if i == "x" {
            return Ok(ImageInspect {
                id: "sha256:x".into(),
                ..Default::default()
            });
        }
        Err(DaemonError::NoSuchImage(i.into()))
    }
    fn inspect_container(&mut self, c: &str, _: bool) -> Result<ContainerInspect, DaemonError> {
        Err(DaemonError::NoSuchContainer(c.into()))
    }
    fn list_containers(&mut self, _: bool) -> Result<Vec<ContainerSummary>, DaemonError> {
        Ok(vec![ContainerSummary {
            id: "0123456789abcdef".into(),
            names: vec!["web".into()],
            image: "alpine".into(),
            path: "sh".into(),
            state: ContainerState {
                status: ContainerStatus::Running,
                ..Default::default()
            },
            ..Default::default()
        }])
    }
    fn create(&mut self, o: &RunOptions) -> CreateOutcome {
        CreateOutcome {
            pulled: None,
            result: Err(DaemonError::NoSuchImage(o.image.clone())),
        }
    }
    fn run(&mut self, o: &RunOptions) -> RunOutcome {
        RunOutcome {
            pulled: None,
            result: Err(DaemonError::NoSuchImage(o.image.clone())),
        }
    }
    fn start(&mut self, c: &str, _: bool) -> Result<ProcessOutput, DaemonError> {
        Err(DaemonError::NoSuchContainer(c.into()))
    }
    fn stop(&mut self, c: &str, _: Option<i64>) -> Result<(), DaemonError> {
        Err(DaemonError::NoSuchContainer(c.into()))
    }
    fn exec(&mut self, o: &ExecOptions) -> Result<ProcessOutput, DaemonError> {
        Err(DaemonError::NoSuchContainer(o.container.clone()))
    }
    fn diff(&mut self, c: &str) -> Result<Vec<FilesystemChange>, DaemonError> {
        Err(DaemonError::NoSuchContainer(c.into()))
    }
    fn commit(&mut self, o: &CommitOptions) -> Result<String, DaemonError> {
        Err(DaemonError::NoSuchContainer(o.container.clone()))
    }
    fn remove_container(&mut self, c: &str, _: bool, _: bool) -> Result<(), DaemonError> {
        Err(DaemonError::NoSuchContainer(c.into()))
    }
    fn remove_image(
        &mut self,
        i: &str,
        _: bool,
        _: bool,
    ) -> Result<Vec<DeleteRecord>, DaemonError> {
        Err(DaemonError::NoSuchImage(i.into()))
    }
    fn tag(&mut self, s: &str, _: &str) -> Result<(), DaemonError> {
        Err(DaemonError::NoSuchImage(s.into()))
    }
    fn disk_usage(&mut self) -> Result<DiskUsage, DaemonError> {
        Ok(DiskUsage::default())
    }
    fn prune_images(&mut self, _: bool) -> Result<PruneReport, DaemonError> {
        Ok(PruneReport::default())
    }
    fn prune_containers(&mut self) -> Result<PruneReport, DaemonError> {
        Ok(PruneReport::default())
    }
    fn server_version(&mut self) -> Result<ServerVersion, DaemonError> {
        Err(DaemonError::Message("no server".into()))
    }
    fn info(&mut self) -> Result<SystemInfo, DaemonError> {
        Ok(SystemInfo::default())
    }
}
