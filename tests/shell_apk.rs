//! `apk add` against the real Alpine index: for every worked closure in
//! `../shared/data/alpine-packages.json` (computed independently from the same records),
//! the packages the interpreter installs and their installed size must match.
#![allow(clippy::unwrap_used)]

use dockerfile_playground::engine::shell::{
    self, Data, ImageFlavor, MemFs, NewNode, Registry, RunRequest, ShellFs, WriteMode,
};
use std::path::Path;

fn alpine_fs(release: &str) -> MemFs {
    let mut fs = MemFs::with_skeleton();
    let root = NewNode {
        mode: 0o644,
        uid: 0,
        gid: 0,
    };
    fs.write_file(
        "/etc/alpine-release",
        Data::Bytes(format!("{release}\n").as_bytes()),
        WriteMode::Truncate,
        root,
    )
    .unwrap();
    fs
}

fn run(fs: &mut MemFs, script: &str) -> shell::RunOutcome {
    let mut req = RunRequest::shell_form(&[], script);
    req.image = ImageFlavor::ALPINE;
    shell::run(&req, fs, &Registry::standard())
}

fn installed(fs: &MemFs) -> Vec<(String, u64)> {
    let db = fs.read_file("/lib/apk/db/installed").unwrap();
    let text = String::from_utf8(db.bytes().unwrap().to_vec()).unwrap();
    let mut out = Vec::new();
    let mut name = String::new();
    for l in text.lines() {
        if let Some(n) = l.strip_prefix("P:") {
            name = n.to_string();
        }
        if let Some(i) = l.strip_prefix("I:") {
            out.push((name.clone(), i.parse().unwrap()));
        }
    }
    out
}

#[test]
fn closures_match_the_worked_examples() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/alpine-packages.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("SKIPPED: {} not found", path.display());
        return;
    };
    let data: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut checked = 0;
    for (branch, closures) in data["closures"].as_object().unwrap() {
        let release = match branch.as_str() {
            "v3.20" => "3.20.8",
            "v3.13" => "3.13.5",
            other => panic!("unexpected branch {other}"),
        };
        let base: Vec<String> = closures["base_packages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        for (cmd, c) in closures.as_object().unwrap() {
            let Some(pkg) = cmd.strip_prefix("apk add ") else {
                continue;
            };
            if !c["unresolved"]
                .as_array()
                .map(|u| u.is_empty())
                .unwrap_or(true)
            {
                continue;
            }
            let mut fs = alpine_fs(release);
            let out = run(&mut fs, &format!("apk add --no-cache {pkg}"));
            assert!(
                out.success(),
                "{branch} {cmd}: {}",
                String::from_utf8_lossy(&out.stderr())
            );
            let now = installed(&fs);
            let mut added: Vec<&str> = now
                .iter()
                .map(|(n, _)| n.as_str())
                .filter(|n| !base.iter().any(|b| b == n))
                .collect();
            let mut expected: Vec<&str> = c["added_packages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            added.sort_unstable();
            expected.sort_unstable();
            assert_eq!(added, expected, "{branch} {cmd}");
            let size: u64 = now
                .iter()
                .filter(|(n, _)| !base.contains(n))
                .map(|(_, s)| s)
                .sum();
            assert_eq!(
                size,
                c["installed_size_bytes"].as_u64().unwrap(),
                "{branch} {cmd}"
            );
            checked += 1;
        }
    }
    eprintln!("apk closures checked: {checked}");
    assert!(checked >= 10);
}

#[test]
fn add_virtual_then_del_restores_the_package_set() {
    let mut fs = alpine_fs("3.20.8");
    let before = run(&mut fs, "apk info | wc -l");
    let out = run(&mut fs, "apk add --no-cache --virtual .build-deps gcc make && apk info -e make && command -v make && apk del .build-deps && apk info | wc -l");
    let stdout = String::from_utf8_lossy(&out.stdout()).into_owned();
    assert!(out.success(), "{}", String::from_utf8_lossy(&out.stderr()));
    assert!(stdout.contains("Installing make (4.4.1-r2)"), "{stdout}");
    assert!(
        stdout.contains("Installing .build-deps (20231114.221320)"),
        "{stdout}"
    );
    assert!(stdout.contains("Purging .build-deps"), "{stdout}");
    assert!(
        stdout.ends_with(&String::from_utf8_lossy(&before.stdout()).into_owned()),
        "{stdout}"
    );
    assert!(fs.stat("/usr/bin/make").is_err(), "files are removed again");
    let world = fs.read_file("/etc/apk/world").unwrap();
    assert!(!String::from_utf8_lossy(world.bytes().unwrap()).contains(".build-deps"));
}

#[test]
fn packages_outside_the_data_are_reported_not_failed() {
    let mut fs = alpine_fs("3.20.8");
    let out = run(
        &mut fs,
        "apk add --no-cache curl no-such-package && command -v curl",
    );
    assert!(out.success(), "{}", String::from_utf8_lossy(&out.stderr()));
    let ev: Vec<_> = out.not_simulated().collect();
    assert_eq!(ev.len(), 1);
    assert!(ev[0].detail.contains("no-such-package"), "{}", ev[0].detail);
    assert!(String::from_utf8_lossy(&out.stdout()).ends_with("/usr/bin/curl\n"));
}
