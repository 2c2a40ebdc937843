//! A RUN finds its commands through PATH on the image's real file tree, as in Docker: a
//! program the image lacks fails with the shell's own `not found` (status 127) even when the
//! playground could simulate it; installing the package puts it there; `which`,
//! `command -v`, `type` and `hash` agree with what runs.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod build_support;

use dockerfile_playground::engine::builder::BuildOptions;
use dockerfile_playground::engine::daemon::Engine;
use dockerfile_playground::expand::scope::BuilderKind;

/// What a build must show.
struct Expect<'a> {
    /// `None`: the build succeeds; `Some(e)`: it fails and its error line contains `e`.
    error: Option<&'a str>,
    /// Lines the build log must contain (a RUN's output line, after the `#N 0.123 ` prefix).
    lines: &'a [&'a str],
    /// Output lines the build log must not contain.
    absent: &'a [&'a str],
}

const OK: Expect<'static> = Expect {
    error: None,
    lines: &[],
    absent: &[],
};

/// Builds `dockerfile` with BuildKit and compares with `expected`.
fn check(dockerfile: &str, expected: Expect<'_>) {
    let options = BuildOptions {
        builder: BuilderKind::BuildKit,
        ..Default::default()
    };
    let trace = build_support::build_with(&mut Engine::new(), dockerfile, &options);
    let log = trace.log.join("\n");
    let shows = |text: &str| {
        trace
            .log
            .iter()
            .any(|l| l == text || l.ends_with(&format!(" {text}")))
    };
    match expected.error {
        None => assert!(trace.ok, "{dockerfile}\nfailed: {:?}\n{log}", trace.error),
        Some(e) => {
            assert!(!trace.ok, "{dockerfile}\nsucceeded:\n{log}");
            let error = trace.error.clone().unwrap_or_default();
            assert!(
                error.contains(e),
                "{dockerfile}\nerror {error:?} lacks {e:?}\n{log}"
            );
        }
    }
    for line in expected.lines {
        assert!(shows(line), "{dockerfile}\nlog lacks {line:?}:\n{log}");
    }
    for line in expected.absent {
        assert!(!shows(line), "{dockerfile}\nlog shows {line:?}:\n{log}");
    }
}

#[test]
fn a_program_the_image_lacks_is_not_found_like_in_docker() {
    check(
        "FROM debian:bookworm-slim\nRUN curl -fsSL https://example.com/x -o /tmp/x\n",
        Expect {
            error: Some(
                "process \"/bin/sh -c curl -fsSL https://example.com/x -o /tmp/x\" did not complete successfully: exit code: 127",
            ),
            lines: &["/bin/sh: 1: curl: not found"],
            ..OK
        },
    );
    check(
        "FROM debian:bookworm-slim\nRUN git --version\n",
        Expect {
            error: Some("exit code: 127"),
            lines: &["/bin/sh: 1: git: not found"],
            ..OK
        },
    );
    check(
        "FROM debian:bookworm-slim\nRUN make\n",
        Expect {
            error: Some("exit code: 127"),
            lines: &["/bin/sh: 1: make: not found"],
            ..OK
        },
    );
    // BusyBox ash words it without the line number.
    check(
        "FROM alpine:3.20\nRUN pip install flask\n",
        Expect {
            error: Some(
                "process \"/bin/sh -c pip install flask\" did not complete successfully: exit code: 127",
            ),
            lines: &["/bin/sh: pip: not found"],
            ..OK
        },
    );
    check(
        "FROM alpine:3.20\nRUN python3 -c 'print(1)'\n",
        Expect {
            error: Some("exit code: 127"),
            lines: &["/bin/sh: python3: not found"],
            ..OK
        },
    );
}

#[test]
fn installing_the_package_puts_the_program_on_path() {
    check(
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && which curl\n",
        Expect {
            lines: &["/usr/bin/curl"],
            ..OK
        },
    );
    check(
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y python3-pip && command -v pip pip3 python3\n",
        Expect {
            lines: &["/usr/bin/pip", "/usr/bin/pip3", "/usr/bin/python3"],
            ..OK
        },
    );
    check(
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y build-essential && command -v gcc g++ cc make\n",
        Expect {
            lines: &["/usr/bin/gcc", "/usr/bin/g++", "/usr/bin/cc", "/usr/bin/make"],
            ..OK
        },
    );
    check(
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y nodejs npm git wget unzip && command -v node npm git wget unzip\n",
        Expect {
            lines: &[
                "/usr/bin/node",
                "/usr/bin/npm",
                "/usr/bin/git",
                "/usr/bin/wget",
                "/usr/bin/unzip",
            ],
            ..OK
        },
    );
    check(
        "FROM alpine:3.20\nRUN apk add --no-cache bash\nSHELL [\"/bin/bash\", \"-c\"]\nRUN command -v bash && echo \"$BASH\"\n",
        Expect {
            lines: &["/bin/bash"],
            ..OK
        },
    );
    check(
        "FROM alpine:3.20\nRUN apk add --no-cache python3 py3-pip && command -v python3 pip\n",
        Expect {
            lines: &["/usr/bin/python3", "/usr/bin/pip"],
            ..OK
        },
    );
}

#[test]
fn base_images_have_their_real_commands() {
    check(
        "FROM debian:bookworm-slim\nRUN ls /usr/bin\n",
        Expect {
            lines: &[
                "basename",
                "dirname",
                "which",
                "mktemp",
                "uniq",
                "nproc",
                "realpath",
                "seq",
                "[",
                "run-parts",
                "logger",
                "getent",
                "perl",
                "apt-get",
                "mawk",
                "awk",
            ],
            absent: &[
                "zlib1g",
                "gcc-12-base",
                "base-passwd",
                "debianutils",
                "usr-is-merged",
                "init-system-helpers",
                "util-linux-extra",
                "curl",
                "git",
            ],
            ..OK
        },
    );
    check(
        "FROM debian:bookworm-slim\nRUN ls /usr/sbin\n",
        Expect {
            lines: &[
                "update-passwd",
                "useradd",
                "invoke-rc.d",
                "service",
                "ldconfig",
            ],
            ..OK
        },
    );
    // golang images are buildpack-deps:*-scm plus gcc, libc6-dev, make and pkg-config.
    check(
        "FROM golang:1.22\nRUN command -v make gcc cc git curl wget go pkg-config && make --version\n",
        Expect {
            lines: &[
                "/usr/bin/make",
                "/usr/bin/gcc",
                "/usr/bin/cc",
                "/usr/bin/git",
                "/usr/bin/curl",
                "/usr/bin/wget",
                "/usr/local/go/bin/go",
                "/usr/bin/pkg-config",
            ],
            ..OK
        },
    );
    // buster is not usr-merged: the shell and core tools live in /bin.
    check(
        "FROM golang:1.16\nRUN command -v sh ls which make\n",
        Expect {
            lines: &["/bin/sh", "/bin/ls", "/bin/which", "/usr/bin/make"],
            ..OK
        },
    );
    check(
        "FROM python:3.12-slim\nRUN command -v python pip python3.12 pip3.12 && python --version\n",
        Expect {
            lines: &[
                "/usr/local/bin/python",
                "/usr/local/bin/pip",
                "/usr/local/bin/python3.12",
                "/usr/local/bin/pip3.12",
            ],
            ..OK
        },
    );
}

#[test]
fn busybox_applets_run_through_their_links() {
    check(
        "FROM alpine:3.20\nRUN readlink /usr/bin/basename && basename /a/b/leaf && /usr/bin/dirname /x/y/z && busybox basename /q/r\n",
        Expect {
            lines: &["/bin/busybox", "leaf", "/x/y", "r"],
            ..OK
        },
    );
    check(
        "FROM busybox\nRUN basename /a/b/leaf && which wget\n",
        Expect {
            lines: &["leaf", "/bin/wget"],
            ..OK
        },
    );
    check(
        "FROM alpine:3.20\nRUN curl -V\n",
        Expect {
            error: Some("exit code: 127"),
            lines: &["/bin/sh: curl: not found"],
            ..OK
        },
    );
}

#[test]
fn a_link_runs_the_program_its_target_is() {
    // /usr/bin/nawk → /etc/alternatives/nawk → /usr/bin/mawk; rbash → bash.
    check(
        "FROM debian:bookworm-slim\nRUN readlink -f /usr/bin/nawk && nawk 'BEGIN { print 6 * 7 }' && readlink /usr/bin/rbash && rbash -c 'echo restricted'\n",
        Expect {
            lines: &["/usr/bin/mawk", "42", "bash", "restricted"],
            ..OK
        },
    );
}

#[test]
fn which_command_type_and_hash_agree_with_the_filesystem() {
    check(
        "FROM debian:bookworm-slim\nRUN command -v curl || echo no-command; which curl || echo no-which; type curl || echo no-type\n",
        Expect {
            lines: &["no-command", "no-which", "curl: not found", "no-type"],
            absent: &["/usr/bin/curl"],
            ..OK
        },
    );
    check(
        "FROM debian:bookworm-slim\nRUN which which && command -v awk && type basename\n",
        Expect {
            lines: &[
                "/usr/bin/which",
                "/usr/bin/awk",
                "basename is /usr/bin/basename",
            ],
            ..OK
        },
    );
    check(
        "FROM debian:bookworm-slim\nRUN hash curl\n",
        Expect {
            error: Some("exit code: 1"),
            lines: &["/bin/sh: 1: hash: curl: not found"],
            ..OK
        },
    );
}

#[test]
fn links_and_stand_ins() {
    // A link into a directory that exists, to a missing file: not found, as in Docker.
    check(
        "FROM debian:bookworm-slim\nRUN ln -s /usr/bin/nothere /usr/local/bin/tool && tool\n",
        Expect {
            error: Some("exit code: 127"),
            lines: &["/bin/sh: 1: tool: not found"],
            ..OK
        },
    );
    // A link into a directory a download would have created: the program is taken to exist.
    check(
        "FROM debian:bookworm-slim\nRUN ln -s /opt/tool-1.0/bin/tool /usr/local/bin/tool && tool --version && command -v tool\n",
        Expect {
            lines: &["/usr/local/bin/tool"],
            ..OK
        },
    );
    // An image the catalog lacks is a stand-in whose contents are unknown: commands run.
    check(
        "FROM example.org/unknown/image:1\nRUN curl -fsSL https://example.com/x -o /tmp/x && echo ran\n",
        Expect {
            lines: &["ran"],
            ..OK
        },
    );
}

#[test]
fn a_missing_first_program_is_runc_s_start_error() {
    // No shell to print "not found": runc reports it and BuildKit logs the line.
    check(
        "FROM hello-world\nRUN echo hi\n",
        Expect {
            error: Some("process \"/bin/sh -c echo hi\" did not complete successfully: exit code: 127"),
            lines: &["runc run failed: unable to start container process: error during container init: exec: \"/bin/sh\": stat /bin/sh: no such file or directory"],
            ..OK
        },
    );
    check(
        "FROM debian:bookworm-slim\nRUN [\"curl\", \"-V\"]\n",
        Expect {
            error: Some("exit code: 127"),
            lines: &["runc run failed: unable to start container process: error during container init: exec: \"curl\": executable file not found in $PATH"],
            ..OK
        },
    );
}

#[test]
fn a_missing_command_gets_a_hint_naming_its_package() {
    let cases = [
        (
            "FROM debian:bookworm-slim\nRUN curl -o /x https://example.org/x\n",
            Some("`apt-get update && apt-get install -y --no-install-recommends curl`"),
        ),
        (
            "FROM alpine:3.20\nRUN bash -c 'echo hi'\n",
            Some("`apk add --no-cache bash`"),
        ),
        (
            "FROM debian:bookworm-slim\nRUN frobnicate --now\n",
            Some("No program called `frobnicate` is on the image's PATH"),
        ),
        ("FROM debian:bookworm-slim\nRUN exit 3\n", None),
    ];
    for (dockerfile, help) in cases {
        let trace = build_support::build_text(dockerfile);
        assert!(!trace.ok, "{dockerfile}");
        let hint = trace
            .diagnostics
            .iter()
            .find(|d| d.code == "missing-command");
        match help {
            Some(help) => {
                let hint = hint
                    .unwrap_or_else(|| panic!("{dockerfile}: no hint in {:?}", trace.diagnostics));
                assert!(
                    hint.help.as_deref().unwrap_or("").contains(help),
                    "{dockerfile}: {hint:?}"
                );
            }
            None => assert!(hint.is_none(), "{dockerfile}: {hint:?}"),
        }
    }
}
