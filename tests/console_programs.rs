//! Containers run the same programs as a build's RUN: the toolchains answer, and a package
//! installed in a container is on its PATH afterwards (as `docker run … apk add` does).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod console_support;

use console_support::Console;

#[test]
fn containers_run_the_engines_programs() {
    let mut console = Console::default();
    for (line, stdout) in [
        ("docker run --rm golang:1.22 go version", "go version go1.22.11 linux/amd64\n"),
        ("docker run --rm node:20-alpine node -v", "v20.20.1\n"),
        (
            "docker run --rm alpine:3.20 sh -c 'apk add --no-cache curl >/dev/null && which curl'",
            "/usr/bin/curl\n",
        ),
        (
            "docker run --rm debian:bookworm-slim sh -c 'apt-get update >/dev/null && apt-get install -y make >/dev/null && make --version | head -1'",
            "GNU Make 4.3\n",
        ),
    ] {
        let out = console.quiet(line);
        assert_eq!(out.stdout, stdout, "{line}\nstderr: {}", out.stderr);
    }
}

#[test]
fn what_a_container_could_not_run_is_noted_apart_from_docker_output() {
    let mut console = Console::default();
    let out = console.quiet("docker run --rm python:3.12-slim python -c 'print(1+1)'");
    assert_eq!((out.stdout.as_str(), out.exit_code), ("", 0));
    assert_eq!(out.notes, ["Python code is not run in the playground"]);
    let out = console.quiet("docker run --rm golang:1.22 go version");
    assert!(out.notes.is_empty(), "{:?}", out.notes);
}
