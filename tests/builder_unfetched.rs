//! Downloaded sources the playground does not have, across RUN steps: a directory that
//! received an archive of unknown content in one RUN is still known as such in the next
//! RUN, after a cache hit, and in a stage built FROM that stage; a fresh `FROM image` starts
//! without any. Outside such directories a missing `./configure` fails as in a real shell.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod build_support;

use dockerfile_playground::engine::builder::trace::{BuildTrace, StepStatus};
use dockerfile_playground::engine::builder::BuildOptions;
use dockerfile_playground::engine::daemon::Engine;

const DOWNLOAD: &str = "FROM debian:bookworm-slim AS src
RUN apt-get update && apt-get install -y curl make
RUN curl -fsSL https://example.org/app-1.0.tar.gz -o app.tgz && mkdir -p /usr/src/app && tar -xzf app.tgz -C /usr/src/app --strip-components=1
";

fn build_text(engine: &mut Engine, dockerfile: &str) -> BuildTrace {
    build_support::build_with(engine, dockerfile, &BuildOptions::default())
}

/// Builds `DOWNLOAD + rest` and checks success, the error line, and that the last step's
/// approximation note mentions the unfetched directory when `note` is set.
fn check(engine: &mut Engine, rest: &str, ok: bool, error: Option<&str>, note: bool) -> BuildTrace {
    let dockerfile = format!("{DOWNLOAD}{rest}");
    let trace = build_text(engine, &dockerfile);
    assert_eq!(
        trace.ok,
        ok,
        "{rest}\n{:?}\n{}",
        trace.error,
        trace.log.join("\n")
    );
    if let Some(error) = error {
        assert!(
            trace.error.as_deref().unwrap_or("").contains(error),
            "{rest}: {:?}",
            trace.error
        );
    }
    let noted = trace
        .diagnostics
        .iter()
        .any(|d| d.code == "approximated" && d.message.contains("/usr/src/app"));
    assert_eq!(noted, note, "{rest}: {:?}", trace.diagnostics);
    trace
}

#[test]
fn unfetched_trees_carry_across_steps_and_stages() {
    let mut engine = Engine::new();
    check(
        &mut engine,
        "RUN make -C /usr/src/app && make -C /usr/src/app install\n",
        true,
        None,
        true,
    );
    check(
        &mut engine,
        "RUN cd /usr/src/app && ./configure --prefix=/usr\n",
        true,
        None,
        true,
    );
    // The download step is a cache hit now; its unfetched tree is restored from the cache.
    let trace = check(
        &mut engine,
        "RUN cd /usr/src/app && ./autogen.sh\n",
        true,
        None,
        true,
    );
    assert_eq!(
        trace
            .steps
            .iter()
            .filter(|s| s.status == StepStatus::Cached)
            .count(),
        2
    );
    check(
        &mut engine,
        "FROM src\nRUN make -C /usr/src/app\n",
        true,
        None,
        true,
    );
    check(
        &mut engine,
        "FROM debian:bookworm-slim\nRUN mkdir -p /usr/src/app && cd /usr/src/app && ./configure\n",
        false,
        Some("exit code: 127"),
        false,
    );
}

#[test]
fn add_of_a_git_repository_is_an_unfetched_directory() {
    let mut engine = Engine::new();
    let trace = build_text(
        &mut engine,
        "FROM alpine:3.20\nRUN apk add --no-cache make\nADD https://github.com/moby/buildkit.git#v0.10.1 /src\nADD --keep-git-dir=true https://github.com/x/y.git /y\nADD https://example.org/app.tar.gz /tmp/\nRUN test -d /src && test -d /y/.git && test ! -e /src/.git && test -f /tmp/app.tar.gz && make -C /src\n",
    );
    assert!(trace.ok, "{:?}\n{}", trace.error, trace.log.join("\n"));
    let notes: Vec<&str> = trace
        .diagnostics
        .iter()
        .filter(|d| d.code == "approximated")
        .map(|d| d.message.as_str())
        .collect();
    for expected in [
        "`ADD` does not fetch https://github.com/moby/buildkit.git#v0.10.1 in the playground: /src is an empty directory here",
        "/y is an empty directory here; Docker puts the repository's checkout there, with its .git directory",
        "`ADD` does not download https://example.org/app.tar.gz in the playground",
        "the sources unpacked into /src were not downloaded",
    ] {
        assert!(notes.iter().any(|n| n.contains(expected)), "{expected}\n{notes:#?}");
    }
}
