//! Differential test: every script runs twice — in the real dash (`/bin/sh`) inside a
//! fresh temporary directory, and in the interpreter on a `MemFs` — and stdout, exit
//! status and the resulting files (names, kinds, contents, modes, link targets) must be
//! identical. Skips with a message if `/bin/sh` is not dash.
//!
//! Scripts may only touch their scratch directory: a lint rejects absolute paths (other
//! than a few devices) and `..`, because the real run executes on this machine.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

#[path = "shell_data/dash_scripts.rs"]
mod scripts;

#[path = "shell_data/harness.rs"]
mod harness;

use harness::{disagreement, lint, run_dash, run_ours, sh_is_dash};

#[test]
fn scripts_are_safe_to_run_on_this_machine() {
    let rejected: Vec<String> = scripts::SCRIPTS
        .iter()
        .chain(scripts::STDERR_SCRIPTS)
        .enumerate()
        .filter_map(|(i, s)| lint(s).err().map(|e| format!("#{i} ({e}): {s}")))
        .collect();
    assert!(
        rejected.is_empty(),
        "rejected by the lint:\n{}",
        rejected.join("\n")
    );
    assert!(lint("echo > /etc/passwd").is_err());
    assert!(lint("cd ..; rm -rf x").is_err());
    assert!(lint("echo hi >/dev/null").is_ok());
}

#[test]
fn dash_and_interpreter_agree() {
    if !sh_is_dash() {
        eprintln!("SKIPPED: /bin/sh is not dash; the differential test needs dash");
        return;
    }
    let mut failures = Vec::new();
    for (i, script) in scripts::SCRIPTS.iter().enumerate() {
        lint(script).unwrap();
        let real = run_dash(script, i);
        let ours = run_ours(script);
        failures.extend(disagreement("dash", i, script, &real, &ours));
    }
    eprintln!(
        "dash differential: {}/{} scripts agree",
        scripts::SCRIPTS.len() - failures.len(),
        scripts::SCRIPTS.len()
    );
    assert!(
        scripts::SCRIPTS.len() >= 150,
        "the table must hold at least 150 scripts"
    );
    assert!(
        failures.is_empty(),
        "{} disagreements:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn dash_and_interpreter_agree_on_messages() {
    if !sh_is_dash() {
        eprintln!("SKIPPED: /bin/sh is not dash; the differential test needs dash");
        return;
    }
    let mut failures = Vec::new();
    for (i, script) in scripts::STDERR_SCRIPTS.iter().enumerate() {
        lint(script).unwrap();
        let real = run_dash(script, 10_000 + i);
        let ours = run_ours(script);
        if (real.stdout.as_str(), real.status, real.stderr.as_str())
            != (ours.stdout.as_str(), ours.status, ours.stderr.as_str())
        {
            failures.push(format!(
                "#{i}: {script}\n  dash: {:?} {} {:?}\n  ours: {:?} {} {:?}",
                real.stdout, real.status, real.stderr, ours.stdout, ours.status, ours.stderr
            ));
        }
    }
    eprintln!(
        "dash differential (stderr too): {}/{} scripts agree",
        scripts::STDERR_SCRIPTS.len() - failures.len(),
        scripts::STDERR_SCRIPTS.len()
    );
    assert!(
        failures.is_empty(),
        "{} disagreements:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
