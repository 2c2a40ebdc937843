//! The RUN instructions of the real-world corpus (`../shared/corpus/real-world`, the
//! `*.buildkit.json` files: entries with cmd RUN and json=false): every POSIX-shell RUN
//! must parse, every one must run to completion on a skeleton filesystem without
//! panicking or hanging, and we measure how many use only simulated commands.
#![allow(clippy::unwrap_used)]

use dockerfile_playground::engine::shell::analysis::{self, CommandKind};
use dockerfile_playground::engine::shell::{self, Dialect, ImageFlavor, MemFs, RunRequest};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

struct Run {
    file: String,
    script: String,
    shell: Vec<String>,
    dialect: Dialect,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real-world")
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(json_files(&p));
        } else if p.to_string_lossy().ends_with(".buildkit.json") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// (POSIX runs, number of Windows runs skipped)
fn collect() -> (Vec<Run>, usize) {
    let mut runs = Vec::new();
    let mut windows = 0;
    for path in json_files(&corpus_dir()) {
        let text = std::fs::read_to_string(&path).unwrap();
        let entries: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        let file = path
            .strip_prefix(corpus_dir())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let mut stages: HashMap<String, (Dialect, bool)> = HashMap::new();
        let mut dialect = Dialect::Dash;
        let mut is_windows = false;
        let mut shell: Vec<String> = Vec::new();
        for e in &entries {
            let cmd = e["cmd"].as_str().unwrap_or("").to_ascii_lowercase();
            let value: Vec<String> = e["value"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            match cmd.as_str() {
                "from" => {
                    let image = value
                        .first()
                        .cloned()
                        .unwrap_or_default()
                        .to_ascii_lowercase();
                    shell.clear();
                    let (d, w) = match stages.get(&image) {
                        Some(x) => *x,
                        None => {
                            let w = ["windows", "nanoserver", "servercore"]
                                .iter()
                                .any(|k| image.contains(k) || file.contains(k));
                            // the official `docker` image is Alpine-based
                            let alpine = image.contains("alpine")
                                || image.contains("busybox")
                                || image.starts_with("docker:");
                            let d = if alpine { Dialect::Ash } else { Dialect::Dash };
                            (d, w)
                        }
                    };
                    dialect = d;
                    is_windows = w;
                    if value.len() >= 3 && value[1].eq_ignore_ascii_case("as") {
                        stages.insert(value[2].to_ascii_lowercase(), (d, w));
                    }
                }
                "shell" => {
                    shell = value.clone();
                    let prog = value
                        .first()
                        .map(|s| s.rsplit('/').next().unwrap_or(s).to_ascii_lowercase())
                        .unwrap_or_default();
                    match prog.as_str() {
                        "bash" => dialect = Dialect::Bash,
                        "ash" => dialect = Dialect::Ash,
                        "powershell" | "pwsh" | "cmd" => is_windows = true,
                        _ => {}
                    }
                }
                "run" if !e["json"].as_bool().unwrap_or(false) => {
                    if is_windows {
                        windows += 1;
                        continue;
                    }
                    let first = value.first().cloned().unwrap_or_default();
                    let heredocs = e["heredocs"].as_array().cloned().unwrap_or_default();
                    let script = if heredocs.is_empty() {
                        first
                    } else if first.trim_start().starts_with("<<") && !first.trim().contains(' ') {
                        heredocs[0]["content"].as_str().unwrap_or("").to_string()
                    } else {
                        let mut s = first;
                        s.push('\n');
                        for h in &heredocs {
                            s.push_str(h["content"].as_str().unwrap_or(""));
                            s.push_str(h["name"].as_str().unwrap_or("EOF"));
                            s.push('\n');
                        }
                        s
                    };
                    runs.push(Run {
                        file: file.clone(),
                        script,
                        shell: shell.clone(),
                        dialect,
                    });
                }
                _ => {}
            }
        }
    }
    (runs, windows)
}

const PACKAGE_MANAGERS: [&str; 20] = [
    "apk",
    "apt-get",
    "apt",
    "apt-mark",
    "apt-cache",
    "apt-key",
    "dpkg",
    "dpkg-architecture",
    "dpkg-query",
    "pip",
    "pip3",
    "npm",
    "yarn",
    "gem",
    "microdnf",
    "tdnf",
    "dnf",
    "yum",
    "pecl",
    "docker-php-ext-install",
];

/// Build toolchains (compilers, build systems, VCS) a later step may simulate.
const TOOLCHAINS: [&str; 16] = [
    "go",
    "make",
    "git",
    "configure",
    "gcc",
    "cmake",
    "cargo",
    "rustc",
    "dotnet",
    "java",
    "javac",
    "node",
    "python3",
    "xx-go",
    "xx-verify",
    "xx-info",
];

#[test]
fn corpus_runs_parse_run_and_are_measured() {
    let (runs, windows) = collect();
    if runs.is_empty() {
        eprintln!("SKIPPED: corpus not found at {}", corpus_dir().display());
        return;
    }
    let registry = dockerfile_playground::engine::programs::registry().clone();
    let mut parse_failures = Vec::new();
    let mut all_simulated = 0usize;
    let mut all_but_packages = 0usize;
    let mut all_but_packages_and_tools = 0usize;
    let mut missing: BTreeMap<String, usize> = BTreeMap::new();
    for r in &runs {
        match analysis::commands(&r.script, r.dialect) {
            Err(e) => parse_failures.push(format!(
                "{} ({:?}): {}\n{}",
                r.file, r.dialect, e.message, r.script
            )),
            Ok(cmds) => {
                let funcs = analysis::functions(&r.script, r.dialect);
                let mut names: Vec<String> = cmds
                    .iter()
                    .filter(|c| {
                        analysis::classify(&c.name, &registry, &funcs) == CommandKind::NotSimulated
                    })
                    .map(|c| c.name.rsplit('/').next().unwrap_or(&c.name).to_string())
                    .collect();
                names.sort();
                names.dedup();
                if names.is_empty() {
                    all_simulated += 1;
                }
                if names.iter().all(|n| PACKAGE_MANAGERS.contains(&n.as_str())) {
                    all_but_packages += 1;
                }
                if names.iter().all(|n| {
                    PACKAGE_MANAGERS.contains(&n.as_str()) || TOOLCHAINS.contains(&n.as_str())
                }) {
                    all_but_packages_and_tools += 1;
                }
                for n in names {
                    *missing.entry(n).or_insert(0) += 1;
                }
            }
        }
    }
    let total = runs.len();
    let pct = |n: usize| 100.0 * n as f64 / total as f64;
    let mut top: Vec<(String, usize)> = missing.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    eprintln!("corpus: {total} POSIX-shell RUN instructions ({windows} Windows RUNs excluded)");
    eprintln!(
        "parsed: {}/{} ({:.1}%)",
        total - parse_failures.len(),
        total,
        pct(total - parse_failures.len())
    );
    eprintln!(
        "all commands simulated: {all_simulated}/{total} ({:.1}%)",
        pct(all_simulated)
    );
    eprintln!(
        "all simulated except package managers: {all_but_packages}/{total} ({:.1}%)",
        pct(all_but_packages)
    );
    eprintln!(
        "all simulated except package managers and toolchains: {all_but_packages_and_tools}/{total} ({:.1}%)",
        pct(all_but_packages_and_tools)
    );
    eprintln!("most common missing commands (RUNs using them):");
    for (name, n) in top.iter().take(
        std::env::var("SHELL_CORPUS_TOP")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(10),
    ) {
        eprintln!("  {n:4}  {name}");
    }
    assert!(
        parse_failures.is_empty(),
        "{} RUNs failed to parse:\n{}",
        parse_failures.len(),
        parse_failures.join("\n---\n")
    );
}

#[test]
fn corpus_runs_execute_without_panics_or_hangs() {
    let (runs, _) = collect();
    let registry = dockerfile_playground::engine::programs::registry().clone();
    let started = std::time::Instant::now();
    let (mut ok, mut failed, mut aborted) = (0usize, 0usize, 0usize);
    let mut slowest = (0u128, String::new());
    for r in &runs {
        let mut fs = MemFs::with_skeleton();
        let shell_argv: Vec<String> = if r.shell.is_empty() {
            vec!["/bin/sh".to_string(), "-c".to_string()]
        } else {
            r.shell.clone()
        };
        let mut req = RunRequest::shell_form(&shell_argv, &r.script);
        req.image = if r.dialect == Dialect::Ash {
            ImageFlavor::ALPINE
        } else {
            ImageFlavor::DEBIAN
        };
        let t = std::time::Instant::now();
        let out = shell::run(&req, &mut fs, &registry);
        let ms = t.elapsed().as_millis();
        if ms > slowest.0 {
            slowest = (ms, r.file.clone());
        }
        if out.aborted.is_some() {
            aborted += 1;
        } else if out.status == 0 {
            ok += 1;
        } else {
            failed += 1;
        }
    }
    eprintln!(
        "executed {} RUNs in {} ms: {ok} succeeded, {failed} failed (missing context files, downloads …), {aborted} stopped by a budget; slowest {} ms ({})",
        runs.len(),
        started.elapsed().as_millis(),
        slowest.0,
        slowest.1
    );
    assert!(slowest.0 < 5_000, "a RUN took {} ms", slowest.0);
}
