//! The RUN instructions of the real-world corpus (`../shared/corpus/real-world`, the
//! `*.buildkit.json` files: entries with cmd RUN and json=false): every POSIX-shell RUN
//! must parse, every one must run to completion on its base image's filesystem (the
//! catalog's image, or its Debian/Alpine image when the catalog lacks the stage's base)
//! without panicking or hanging, and we measure how many use only simulated commands.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod image_shell;

use dockerfile_playground::engine::catalog::{catalog, CatalogImage};
use dockerfile_playground::engine::shell::analysis::{self, CommandKind};
use dockerfile_playground::engine::shell::{self, Dialect, EventKind};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

struct Run {
    file: String,
    /// The stage's base image as written (`FROM` of the stage, through stage names).
    image: String,
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
        let mut stages: HashMap<String, (Dialect, bool, String)> = HashMap::new();
        let mut image = String::new();
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
                    let from = value
                        .first()
                        .cloned()
                        .unwrap_or_default()
                        .to_ascii_lowercase();
                    shell.clear();
                    let (d, w, base) = match stages.get(&from) {
                        Some(x) => x.clone(),
                        None => {
                            let w = ["windows", "nanoserver", "servercore"]
                                .iter()
                                .any(|k| from.contains(k) || file.contains(k));
                            // the official `docker` image is Alpine-based
                            let alpine = from.contains("alpine")
                                || from.contains("busybox")
                                || from.starts_with("docker:");
                            let d = if alpine { Dialect::Ash } else { Dialect::Dash };
                            (d, w, from.clone())
                        }
                    };
                    dialect = d;
                    is_windows = w;
                    image = base.clone();
                    if value.len() >= 3 && value[1].eq_ignore_ascii_case("as") {
                        stages.insert(value[2].to_ascii_lowercase(), (d, w, base));
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
                        image: image.clone(),
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

/// The catalog image a corpus stage starts from: its own when the catalog has it, else
/// the catalog's Debian or Alpine image (the same userland the stage would have).
fn base_image(r: &Run) -> &'static CatalogImage {
    let cat = catalog();
    cat.lookup(&r.image)
        .or_else(|_| {
            cat.lookup(if r.dialect == Dialect::Ash {
                "alpine:latest"
            } else {
                "debian:bookworm-slim"
            })
        })
        .unwrap()
}

/// Runs one corpus RUN on its base image's filesystem, the way the builder would: strict
/// PATH lookup on a catalog image, a stand-in's lenient lookup when the catalog lacks the
/// stage's base (its Debian or Alpine filesystem only approximates the real image's).
fn execute(r: &Run) -> shell::RunOutcome {
    let image = base_image(r);
    let known = catalog().lookup(&r.image).is_ok();
    let mut view = image_shell::view_of(image);
    image_shell::run_with(image, &mut view, &r.shell, &r.script, known)
}

fn base_name(name: &str) -> String {
    name.rsplit('/').next().unwrap_or(name).to_string()
}

/// Every RUN parses and runs without panicking or hanging. A RUN counts as simulated when no command it names is unknown to the simulation (a
/// static look, which also sees commands behind a failing `&&`) and running it raised no
/// "not simulated" warning (which judges the commands named by a path, e.g. `./configure`).
#[test]
fn corpus_runs_parse_run_and_are_measured() {
    let (runs, windows) = collect();
    if runs.is_empty() {
        eprintln!("SKIPPED: corpus not found at {}", corpus_dir().display());
        return;
    }
    let registry = dockerfile_playground::engine::programs::registry().clone();
    let mut parse_failures = Vec::new();
    let (mut statically, mut at_run_time, mut simulated) = (0usize, 0usize, 0usize);
    let mut all_but_packages = 0usize;
    let mut all_but_packages_and_tools = 0usize;
    let mut missing: BTreeMap<String, usize> = BTreeMap::new();
    let (mut succeeded, mut failed, mut aborted) = (0usize, 0usize, 0usize);
    let mut not_found: BTreeMap<String, usize> = BTreeMap::new();
    let mut slowest = (0u128, String::new());
    for r in &runs {
        let cmds = match analysis::commands(&r.script, r.dialect) {
            Ok(cmds) => cmds,
            Err(e) => {
                parse_failures.push(format!(
                    "{} ({:?}): {}\n{}",
                    r.file, r.dialect, e.message, r.script
                ));
                continue;
            }
        };
        let funcs = analysis::functions(&r.script, r.dialect);
        let static_names: Vec<String> = cmds
            .iter()
            .filter(|c| analysis::classify(&c.name, &registry, &funcs) == CommandKind::NotSimulated)
            .map(|c| base_name(&c.name))
            .collect();
        let started = std::time::Instant::now();
        let outcome = execute(r);
        let ms = started.elapsed().as_millis();
        if ms > slowest.0 {
            slowest = (ms, r.file.clone());
        }
        if outcome.status == 127 && outcome.aborted.is_none() {
            let err = String::from_utf8_lossy(&outcome.stderr()).into_owned();
            let missing = err
                .lines()
                .rev()
                .filter_map(|l| l.strip_suffix(": not found"))
                .find_map(|l| l.rsplit(": ").next())
                .unwrap_or("?")
                .to_string();
            let key = if catalog().lookup(&r.image).is_ok() {
                format!("{missing} (on {})", r.image)
            } else {
                format!("{missing} (stand-in base for {})", r.image)
            };
            *not_found.entry(key).or_insert(0) += 1;
        }
        match (&outcome.aborted, outcome.status) {
            (Some(_), _) => aborted += 1,
            (None, 0) => succeeded += 1,
            (None, _) => failed += 1,
        }
        let run_names: Vec<String> = outcome
            .events
            .iter()
            .filter(|e| e.kind == EventKind::NotSimulated)
            .map(|e| base_name(&e.command))
            .collect();
        statically += usize::from(static_names.is_empty());
        at_run_time += usize::from(run_names.is_empty());
        let mut names: Vec<String> = static_names.into_iter().chain(run_names).collect();
        names.sort();
        names.dedup();
        simulated += usize::from(names.is_empty());
        if names.iter().all(|n| PACKAGE_MANAGERS.contains(&n.as_str())) {
            all_but_packages += 1;
        }
        if names
            .iter()
            .all(|n| PACKAGE_MANAGERS.contains(&n.as_str()) || TOOLCHAINS.contains(&n.as_str()))
        {
            all_but_packages_and_tools += 1;
        }
        for n in names {
            *missing.entry(n).or_insert(0) += 1;
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
        "no unknown command named: {statically}/{total} ({:.1}%); no \"not simulated\" warning when run: {at_run_time}/{total} ({:.1}%)",
        pct(statically),
        pct(at_run_time)
    );
    eprintln!(
        "all commands simulated (both): {simulated}/{total} ({:.1}%)",
        pct(simulated)
    );
    eprintln!(
        "all simulated except package managers: {all_but_packages}/{total} ({:.1}%)",
        pct(all_but_packages)
    );
    eprintln!(
        "all simulated except package managers and toolchains: {all_but_packages_and_tools}/{total} ({:.1}%)",
        pct(all_but_packages_and_tools)
    );
    eprintln!(
        "ran: {succeeded} succeeded, {failed} failed (context files, downloads …), {aborted} stopped by a budget; slowest {} ms ({})",
        slowest.0, slowest.1
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
    let not_found_total: usize = not_found.values().sum();
    eprintln!("failed with the shell's \"not found\" (127): {not_found_total}; the commands:");
    let mut nf: Vec<(String, usize)> = not_found.into_iter().collect();
    nf.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (name, n) in nf.iter().take(
        std::env::var("SHELL_CORPUS_TOP")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(10),
    ) {
        eprintln!("  {n:4}  {name}");
    }
    assert!(slowest.0 < 5_000, "a RUN took {} ms", slowest.0);
    // Issue #5: at least 85% of the corpus's RUNs run with every command simulated.
    assert!(
        simulated * 100 >= total * 85,
        "only {simulated}/{total} RUNs have every command simulated"
    );
    assert!(
        parse_failures.is_empty(),
        "{} RUNs failed to parse:\n{}",
        parse_failures.len(),
        parse_failures.join("\n---\n")
    );
}
