//! PEP 668 as Debian 12 ships it: after `apt-get install python3-pip` on bookworm, a
//! system-wide `pip install` refuses with pip's externally-managed-environment error (the
//! marker comes with libpython3.11-stdlib); `--break-system-packages` and a venv install;
//! Alpine 3.19+ has its own marker and text; Ubuntu 22.04 and the python image's own Python
//! have none.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod build_support;

/// Builds `FROM base` + `steps` and checks success and a line the log must show.
fn check(base: &str, steps: &str, ok: bool, shows: &str) {
    let dockerfile = format!("FROM {base}\n{steps}");
    let trace = build_support::build_text(&dockerfile);
    let log = trace.log.join("\n");
    assert_eq!(trace.ok, ok, "{dockerfile}\n{log}");
    assert!(
        log.contains(shows),
        "{dockerfile}: log lacks {shows:?}\n{log}"
    );
}

#[test]
fn pip_respects_the_externally_managed_marker() {
    let pip = "RUN apt-get update && apt-get install -y --no-install-recommends python3-pip\n";
    check(
        "debian:bookworm-slim",
        &format!("{pip}RUN pip3 install flask\n"),
        false,
        "0.000 error: externally-managed-environment",
    );
    check(
        "debian:bookworm-slim",
        &format!("{pip}RUN pip3 install flask\n"),
        false,
        "╰─> To install Python packages system-wide, try apt install",
    );
    check(
        "debian:bookworm-slim",
        &format!("{pip}RUN pip3 install --user flask\n"),
        false,
        "0.000 error: externally-managed-environment",
    );
    check(
        "debian:bookworm-slim",
        &format!("{pip}RUN pip3 install --break-system-packages flask\n"),
        true,
        "Successfully installed flask",
    );
    check(
        "debian:bookworm-slim",
        "RUN apt-get update && apt-get install -y --no-install-recommends python3-venv python3-pip\nRUN python3 -m venv /venv && /venv/bin/pip install flask\n",
        true,
        "Successfully installed flask",
    );
    check(
        "ubuntu:22.04",
        &format!("{pip}RUN pip3 install flask\n"),
        true,
        "Successfully installed flask",
    );
    check(
        "python:3.12-slim",
        "RUN pip install flask\n",
        true,
        "Successfully installed flask",
    );
}
