//! The compilers answer questions about themselves as the installed GCC does: `--version`,
//! `-dumpversion`, `-dumpmachine` from the package database (Debian's gcc-12, Alpine's gcc).
//! On a bookworm machine with the same gcc-12, `gcc --version` is compared with the real one.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod build_support;

/// The RUN output lines of building `FROM base` + `RUN install && script`.
fn run_lines(base: &str, install: &str, script: &str) -> Vec<String> {
    let dockerfile = format!("FROM {base}\nRUN {install} >/dev/null && {script}\n");
    let trace = build_support::build_text(&dockerfile);
    assert!(trace.ok, "{dockerfile}\n{}", trace.log.join("\n"));
    trace
        .log
        .iter()
        .filter_map(|l| l.strip_prefix("#5 0.000 ").map(str::to_string))
        .collect()
}

const DEBIAN: (&str, &str) = (
    "debian:bookworm-slim",
    "apt-get update -qq && apt-get install -y -qq --no-install-recommends build-essential",
);
const ALPINE: (&str, &str) = ("alpine:3.20", "apk add -q --no-cache build-base");

#[test]
fn compilers_report_the_installed_gcc() {
    for ((base, install), script, expected) in [
        (
            DEBIAN,
            "gcc --version | head -1",
            "gcc (Debian 12.2.0-14+deb12u1) 12.2.0",
        ),
        (
            DEBIAN,
            "g++ --version | head -1",
            "g++ (Debian 12.2.0-14+deb12u1) 12.2.0",
        ),
        (
            DEBIAN,
            "gcc --version | sed -n 2p",
            "Copyright (C) 2022 Free Software Foundation, Inc.",
        ),
        (DEBIAN, "cc -dumpversion", "12"),
        (DEBIAN, "gcc -dumpfullversion", "12.2.0"),
        (DEBIAN, "gcc -dumpmachine", "x86_64-linux-gnu"),
        (
            ALPINE,
            "gcc --version | head -1",
            "gcc (Alpine 13.2.1_git20240309) 13.2.1 20240309",
        ),
        (ALPINE, "cc -dumpmachine", "x86_64-alpine-linux-musl"),
    ] {
        assert_eq!(
            run_lines(base, install, script),
            [expected],
            "{base}: {script}"
        );
    }
}

#[test]
fn gcc_version_matches_this_machines_gcc_12() {
    let Ok(real) = std::process::Command::new("gcc").arg("--version").output() else {
        eprintln!("SKIPPED: no gcc on this machine");
        return;
    };
    let real = String::from_utf8_lossy(&real.stdout).into_owned();
    if !real.starts_with("gcc (Debian 12.2.0-14+deb12u1) 12.2.0") {
        eprintln!("SKIPPED: this machine's gcc is not bookworm's gcc-12: {real}");
        return;
    }
    let ours = run_lines(DEBIAN.0, DEBIAN.1, "gcc --version");
    let real: Vec<&str> = real.lines().collect();
    assert_eq!(ours, real);
}
