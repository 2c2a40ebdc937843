//! Downloaded sources the playground does not have, across RUN steps: a directory that
//! received an archive of unknown content in one RUN is still known as such in the next
//! RUN, after a cache hit, and in a stage built FROM that stage; a fresh `FROM image` starts
//! without any. Outside such directories a missing `./configure` fails as in a real shell.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use dockerfile_playground::engine::builder::context::BuildContext;
use dockerfile_playground::engine::builder::trace::{BuildTrace, StepStatus};
use dockerfile_playground::engine::builder::{build, BuildOptions};
use dockerfile_playground::engine::daemon::Engine;

const DOWNLOAD: &str = "FROM debian:bookworm-slim AS src
RUN apt-get update && apt-get install -y curl make
RUN curl -fsSL https://example.org/app-1.0.tar.gz -o app.tgz && mkdir -p /usr/src/app && tar -xzf app.tgz -C /usr/src/app --strip-components=1
";

fn build_text(engine: &mut Engine, dockerfile: &str) -> BuildTrace {
    let context = BuildContext::from_files(std::iter::empty::<(&str, &[u8])>(), "Dockerfile");
    build(engine, dockerfile, &context, &BuildOptions::default())
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
