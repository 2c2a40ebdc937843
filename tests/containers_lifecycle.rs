//! `docker run / start / stop / restart / exec` against the real catalog images: process
//! output and exit codes, runc's start errors and the daemon's codes (127 not found, 126
//! not executable), config merging (-e, -w, -u, entrypoint), names, `--rm`, and the states
//! a main process goes through (semantics §5; moby daemon/errors.go, create_unix.go).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use dockerfile_playground::engine::container::{ContainerError, ExecConfig, RunConfig, Status};
use dockerfile_playground::engine::daemon::Engine;

const ALPINE: &str = "alpine:3.13.5";

fn argv(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

fn config(image: &str, command: &[&str]) -> RunConfig {
    RunConfig {
        image: image.into(),
        command: argv(command),
        ..RunConfig::default()
    }
}

/// What one `docker run` should give.
struct Expect<'a> {
    stdout: &'a str,
    exit_code: i32,
    status: Option<Status>,
    start_error: Option<&'a str>,
}

fn check(run: RunConfig, expected: Expect<'_>) {
    let mut e = Engine::new();
    let out = e.run_container(&run);
    let report = out.result.unwrap();
    let short = report.container_id[..12].to_string();
    let stdout = expected.stdout.replace("{short}", &short);
    assert_eq!(report.output.stdout, stdout, "{run:?}");
    assert_eq!(report.output.exit_code, expected.exit_code, "{run:?}");
    assert_eq!(
        report.start_error.as_deref(),
        expected.start_error,
        "{run:?}"
    );
    let status = e
        .containers
        .get(&report.container_id)
        .map(|c| c.state.status);
    assert_eq!(status, expected.status, "{run:?}");
}

const RUNC: &str = "failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: ";

#[test]
fn runs_give_output_exit_codes_and_states() {
    let exited = Some(Status::Exited);
    let created = Some(Status::Created);
    let not_found =
        format!("{RUNC}exec: \"nosuchcmd\": executable file not found in $PATH: unknown");
    let no_file = format!("{RUNC}exec: \"/nope\": stat /nope: no such file or directory: unknown");
    let dir = format!("{RUNC}exec: \"/etc\": is a directory: permission denied: unknown");
    let no_curl = format!("{RUNC}exec: \"curl\": executable file not found in $PATH: unknown");
    let not_exec = format!("{RUNC}exec: \"/etc/passwd\": permission denied: unknown");
    let cases: Vec<(RunConfig, Expect)> = vec![
        (
            config(ALPINE, &["echo", "hello"]),
            Expect {
                stdout: "hello\n",
                exit_code: 0,
                status: exited,
                start_error: None,
            },
        ),
        (
            config(ALPINE, &["sh", "-c", "echo out; exit 3"]),
            Expect {
                stdout: "out\n",
                exit_code: 3,
                status: exited,
                start_error: None,
            },
        ),
        (
            config(ALPINE, &["nosuchcmd"]),
            Expect {
                stdout: "",
                exit_code: 127,
                status: created,
                start_error: Some(&not_found),
            },
        ),
        // The process resolves commands on the image's real file tree, like a RUN.
        (
            config("debian:bookworm-slim", &["sh", "-c", "curl -V || echo $?"]),
            Expect {
                stdout: "127\n",
                exit_code: 0,
                status: exited,
                start_error: None,
            },
        ),
        (
            config("debian:bookworm-slim", &["basename", "/usr/bin/which"]),
            Expect {
                stdout: "which\n",
                exit_code: 0,
                status: exited,
                start_error: None,
            },
        ),
        (
            config(
                "debian:bookworm-slim",
                &["sh", "-c", "command -v which git || true"],
            ),
            Expect {
                stdout: "/usr/bin/which\n",
                exit_code: 0,
                status: exited,
                start_error: None,
            },
        ),
        (
            config(ALPINE, &["/nope"]),
            Expect {
                stdout: "",
                exit_code: 127,
                status: created,
                start_error: Some(&no_file),
            },
        ),
        (
            config(ALPINE, &["/etc"]),
            Expect {
                stdout: "",
                exit_code: 126,
                status: created,
                start_error: Some(&dir),
            },
        ),
        (
            config(ALPINE, &["/etc/passwd"]),
            Expect {
                stdout: "",
                exit_code: 126,
                status: created,
                start_error: Some(&not_exec),
            },
        ),
        (
            RunConfig {
                env: argv(&["FOO=bar"]),
                ..config(ALPINE, &["sh", "-c", "echo $FOO $HOSTNAME $HOME"])
            },
            Expect {
                stdout: "bar {short} /root\n",
                exit_code: 0,
                status: exited,
                start_error: None,
            },
        ),
        (
            RunConfig {
                workdir: Some("/newdir".into()),
                ..config(ALPINE, &["pwd"])
            },
            Expect {
                stdout: "/newdir\n",
                exit_code: 0,
                status: exited,
                start_error: None,
            },
        ),
        (
            RunConfig {
                user: Some("nobody".into()),
                ..config(ALPINE, &["id", "-u"])
            },
            Expect {
                stdout: "65534\n",
                exit_code: 0,
                status: exited,
                start_error: None,
            },
        ),
        (
            RunConfig {
                user: Some("nosuch".into()),
                ..config(ALPINE, &["true"])
            },
            Expect {
                stdout: "",
                exit_code: 128,
                status: created,
                start_error: Some("unable to find user nosuch: no matching entries in passwd file"),
            },
        ),
        (
            RunConfig {
                entrypoint: Some("echo".into()),
                ..config(ALPINE, &["via", "entrypoint"])
            },
            Expect {
                stdout: "via entrypoint\n",
                exit_code: 0,
                status: exited,
                start_error: None,
            },
        ),
        (
            RunConfig {
                auto_remove: true,
                ..config(ALPINE, &["echo", "bye"])
            },
            Expect {
                stdout: "bye\n",
                exit_code: 0,
                status: None,
                start_error: None,
            },
        ),
        // Debian's essential programs run even where the catalog's file list is partial;
        // alpine:3.13 has no curl.
        (
            config("debian:bookworm-slim", &["basename", "/a/b"]),
            Expect {
                stdout: "b\n",
                exit_code: 0,
                status: exited,
                start_error: None,
            },
        ),
        (
            config(ALPINE, &["curl", "-s", "example.com"]),
            Expect {
                stdout: "",
                exit_code: 127,
                status: created,
                start_error: Some(&no_curl),
            },
        ),
        // node's image: ENTRYPOINT docker-entrypoint.sh, CMD node. Without -i, node reads
        // an empty stdin and exits 0; with -i it waits (a REPL).
        (
            config("node:14.16.1-alpine3.13", &[]),
            Expect {
                stdout: "",
                exit_code: 0,
                status: exited,
                start_error: None,
            },
        ),
        (
            RunConfig {
                interactive: true,
                tty: true,
                ..config("node:14.16.1-alpine3.13", &[])
            },
            Expect {
                stdout: "",
                exit_code: 0,
                status: Some(Status::Running),
                start_error: None,
            },
        ),
        (
            RunConfig {
                detach: true,
                ..config("nginx:1.19.9-alpine", &[])
            },
            Expect {
                stdout: "",
                exit_code: 0,
                status: Some(Status::Running),
                start_error: None,
            },
        ),
    ];
    for (run, expected) in cases {
        check(run, expected);
    }
}

#[test]
fn a_missing_workdir_is_created_in_the_writable_layer() {
    let mut e = Engine::new();
    let out = e.run_container(&RunConfig {
        workdir: Some("/srv/app".into()),
        ..config(ALPINE, &["true"])
    });
    let id = out.result.unwrap().container_id;
    let diff: Vec<String> = e
        .container_diff(&id)
        .unwrap()
        .into_iter()
        .map(|c| format!("{} {}", c.kind.letter(), c.path))
        .collect();
    assert_eq!(diff, vec!["C /srv", "A /srv/app"]);
    let c = e.containers.get(&id).unwrap();
    let st = c.rootfs().stat("/srv/app").unwrap();
    assert_eq!((st.mode, st.uid, st.gid), (0o755, 0, 0));
    assert_eq!(c.size_rw(), 0);
}

#[test]
fn stopping_depends_on_the_process_and_the_clock() {
    let mut e = Engine::new();
    let run = |e: &mut Engine, name: &str, image: &str, cmd: &[&str]| {
        e.run_container(&RunConfig {
            name: Some(name.into()),
            detach: true,
            ..config(image, cmd)
        })
        .result
        .unwrap();
    };
    run(&mut e, "web", "nginx:1.19.9-alpine", &[]);
    run(&mut e, "sleeper", ALPINE, &["sleep", "infinity"]);
    run(&mut e, "nap", ALPINE, &["sleep", "30"]);
    // nginx handles its stop signal: exit 0 at once.
    let t0 = e.now();
    e.stop_container("web", None).unwrap();
    assert_eq!(e.now() - t0, 1);
    // sleep as PID 1 ignores SIGTERM: killed after the 10 s timeout, exit 137.
    let t1 = e.now();
    e.stop_container("sleeper", None).unwrap();
    assert_eq!(e.now() - t1, 10);
    let state = |e: &Engine, n: &str| {
        let c = e.containers.find(n).unwrap();
        (c.state.status, c.state.exit_code)
    };
    assert_eq!(state(&e, "web"), (Status::Exited, 0));
    assert_eq!(state(&e, "sleeper"), (Status::Exited, 137));
    // `sleep 30` ends on its own once the logical clock passes 30 s after its start.
    assert_eq!(state(&e, "nap"), (Status::Running, 0));
    let started = e.containers.find("nap").unwrap().state.started_at.unwrap();
    e.tick(30);
    e.settle_containers();
    assert_eq!(state(&e, "nap"), (Status::Exited, 0));
    let c = e.containers.find("nap").unwrap();
    assert_eq!(c.state.finished_at, Some(started + 30));
    // Stopping a stopped container is not an error.
    e.stop_container("nap", None).unwrap();
    // restart runs the main process again.
    e.restart_container("web", None).unwrap();
    assert_eq!(state(&e, "web"), (Status::Running, 0));
}

#[test]
fn start_reruns_the_command_and_keeps_the_writable_layer() {
    let mut e = Engine::new();
    let out = e.run_container(&RunConfig {
        name: Some("counter".into()),
        ..config(ALPINE, &["sh", "-c", "echo run >> /log.txt; cat /log.txt"])
    });
    assert_eq!(out.result.unwrap().output.stdout, "run\n");
    let again = e.start_container("counter", true).unwrap();
    assert_eq!(again.stdout, "run\nrun\n");
    let c = e.containers.find("counter").unwrap();
    assert_eq!(c.size_rw(), 8);
    let logs: String = c
        .logs
        .iter()
        .map(|l| String::from_utf8_lossy(&l.bytes).into_owned())
        .collect();
    assert_eq!(logs, "run\nrun\nrun\n");
}

#[test]
fn names_and_lookups_follow_the_daemon() {
    let mut e = Engine::new();
    let first = e
        .run_container(&RunConfig {
            detach: true,
            ..config(ALPINE, &["sleep", "infinity"])
        })
        .result
        .unwrap()
        .container_id;
    let name = e.containers.get(&first).unwrap().name.clone();
    let (adjective, surname) = name.split_once('_').unwrap();
    assert!(!adjective.is_empty() && !surname.is_empty(), "{name}");
    assert_eq!(first.len(), 64);
    assert_eq!(e.containers.resolve(&first[..6]).unwrap(), first);
    assert_eq!(e.containers.resolve(&format!("/{name}")).unwrap(), first);
    let taken = e.run_container(&RunConfig {
        name: Some(name.clone()),
        ..config(ALPINE, &["true"])
    });
    assert_eq!(
        taken.result.unwrap_err().message(),
        format!("Conflict. The container name \"/{name}\" is already in use by container \"{first}\". You have to remove (or rename) that container to be able to reuse that name.")
    );
    let bad = e.run_container(&RunConfig {
        name: Some("-bad".into()),
        ..config(ALPINE, &["true"])
    });
    assert_eq!(
        bad.result.unwrap_err().message(),
        "Invalid container name (-bad), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
    );
    let missing = e.run_container(&config("no-such-image-here", &["true"]));
    assert_eq!(missing.pull.unwrap().reference, "no-such-image-here:latest");
    assert!(matches!(missing.result, Err(ContainerError::Pull { .. })));
    assert_eq!(e.containers.len(), 1);
}

#[test]
fn exec_needs_a_running_container_and_an_executable() {
    let mut e = Engine::new();
    let id = e
        .run_container(&RunConfig {
            name: Some("box".into()),
            detach: true,
            ..config(ALPINE, &["sleep", "infinity"])
        })
        .result
        .unwrap()
        .container_id;
    let exec = |e: &mut Engine, cmd: &[&str], user: Option<&str>| {
        e.exec_in_container(&ExecConfig {
            container: "box".into(),
            command: argv(cmd),
            user: user.map(String::from),
            env: argv(&["X=1"]),
            ..ExecConfig::default()
        })
    };
    let out = exec(&mut e, &["sh", "-c", "echo $X; id -un"], Some("nobody")).unwrap();
    assert_eq!((out.stdout.as_str(), out.exit_code), ("1\nnobody\n", 0));
    let err = exec(&mut e, &["nope"], None).unwrap_err();
    assert_eq!(
        err.message(),
        "OCI runtime exec failed: exec failed: unable to start container process: exec: \"nope\": executable file not found in $PATH: unknown"
    );
    assert!(matches!(err, ContainerError::Exec { exit_code: 127, .. }));
    let err = exec(&mut e, &["true"], Some("ghost")).unwrap_err();
    assert_eq!(
        err.message(),
        "unable to find user ghost: no matching entries in passwd file"
    );
    e.stop_container("box", Some(0)).unwrap();
    let err = exec(&mut e, &["true"], None).unwrap_err();
    assert_eq!(err.message(), format!("container {id} is not running"));
}
