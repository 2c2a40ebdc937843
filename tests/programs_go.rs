//! `go` in the golang image: the settings `go env` reports, `go mod init`'s go.mod,
//! where `go install` puts binaries, `go clean` removing caches, and the subcommands that
//! would run Go code reported as not simulated.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod image_shell;

use dockerfile_playground::engine::shell::EventKind;

const GOLANG: &str = "golang:1.22";

/// Runs `script` in golang:1.22 and checks stdout, the exit status, whether a
/// "not simulated" warning was raised, and files: (path, expected text or "" = exists).
fn check(script: &str, stdout: &str, status: i32, not_simulated: bool, files: &[(&str, &str)]) {
    let (outcome, mut view) = image_shell::run(GOLANG, script);
    let out = String::from_utf8_lossy(&outcome.stdout()).into_owned();
    let err = String::from_utf8_lossy(&outcome.stderr()).into_owned();
    assert_eq!(
        (out.as_str(), outcome.status),
        (stdout, status),
        "{script}\nstderr: {err}"
    );
    let warned = outcome
        .events
        .iter()
        .any(|e| e.kind == EventKind::NotSimulated);
    assert_eq!(
        warned, not_simulated,
        "{script}: events {:?}",
        outcome.events
    );
    for (path, text) in files {
        let found = image_shell::read(&mut view, path);
        if text.is_empty() {
            let probe = format!("test -e {path}");
            assert_eq!(
                image_shell::run_on(image_shell::image(GOLANG), &mut view, &[], &probe).status,
                0,
                "{script}: {path} missing"
            );
        } else {
            assert_eq!(found, *text, "{script}: {path}");
        }
    }
}

#[test]
fn go_commands() {
    check(
        "go env GOPATH GOOS GOARCH GOROOT",
        "/go\nlinux\namd64\n/usr/local/go\n",
        0,
        false,
        &[],
    );
    check(
        "go env GOMODCACHE GOCACHE",
        "/go/pkg/mod\n/root/.cache/go-build\n",
        0,
        false,
        &[],
    );
    check("CGO_ENABLED=0 go env CGO_ENABLED", "0\n", 0, false, &[]);
    check(
        "go version",
        "go version go1.22.11 linux/amd64\n",
        0,
        false,
        &[],
    );
    check(
        "mkdir /m && cd /m && go mod init example.com/m",
        "",
        0,
        false,
        &[("/m/go.mod", "module example.com/m\n\ngo 1.22.11\n")],
    );
    check("mkdir /m && cd /m && go mod tidy", "", 1, false, &[]);
    check(
        "go install gotest.tools/gotestsum@v1.11.0 github.com/x/tool/v2@latest && ls /go/bin",
        "gotestsum\ntool\n",
        0,
        false,
        &[],
    );
    check(
        "GOBIN=/out go install example.com/cmd/app@v1 && ls /out",
        "app\n",
        0,
        false,
        &[],
    );
    check(
        "go env -w GOFLAGS=-mod=mod GOPRIVATE=x && go env -u GOPRIVATE",
        "",
        0,
        false,
        &[("/root/.config/go/env", "GOFLAGS=-mod=mod\n")],
    );
    check(
        "mkdir -p /go/pkg/mod/x && go clean -modcache && test ! -e /go/pkg/mod",
        "",
        0,
        false,
        &[],
    );
    check("go test ./...", "", 0, true, &[]);
    check("go generate ./...", "", 0, true, &[]);
}
