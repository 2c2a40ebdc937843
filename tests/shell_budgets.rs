//! Budgets: endless loops, runaway recursion, huge output, exploding values and deep
//! nesting all end quickly with a clear message, without panics, and without allocating
//! memory for big files. Runs in a thread with a 1 MiB stack, like the page's wasm.
#![allow(clippy::unwrap_used)]

use dockerfile_playground::engine::shell::{
    self, BudgetKind, Content, Dialect, ImageFlavor, Limits, MemFs, Registry, RunRequest, ShellFs,
};
use std::time::{Duration, Instant};

fn run_in_small_stack<F: FnOnce() + Send + 'static>(f: F) {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

fn run(script: &str, shell: &[&str], limits: Limits) -> (shell::RunOutcome, MemFs, Duration) {
    let mut fs = MemFs::with_skeleton();
    let shell: Vec<String> = shell.iter().map(|s| s.to_string()).collect();
    let mut req = RunRequest::shell_form(&shell, script);
    req.limits = limits;
    req.image = ImageFlavor::DEBIAN;
    let t = Instant::now();
    let out = shell::run(&req, &mut fs, &Registry::standard());
    (out, fs, t.elapsed())
}

fn check_abort(script: &str, shell: &[&str], kind: BudgetKind) {
    let (out, _, took) = run(script, shell, Limits::default());
    let abort = out
        .aborted
        .as_ref()
        .unwrap_or_else(|| panic!("{script}: not aborted (status {})", out.status));
    assert_eq!(abort.kind, kind, "{script}: {}", abort.message);
    assert_ne!(out.status, 0);
    let stderr = String::from_utf8_lossy(&out.stderr()).into_owned();
    assert!(
        stderr.contains(&abort.message),
        "{script}: the message is in the log"
    );
    assert!(took < Duration::from_secs(5), "{script} took {took:?}");
}

#[test]
fn endless_loops_end_with_a_budget_error() {
    run_in_small_stack(|| {
        check_abort("while true; do :; done", &[], BudgetKind::LoopIterations);
        check_abort(
            "until false; do echo -n; done",
            &[],
            BudgetKind::LoopIterations,
        );
        check_abort(
            "for ((;;)); do :; done",
            &["/bin/bash", "-c"],
            BudgetKind::LoopIterations,
        );
        check_abort(
            "f() { g; }; g() { while :; do :; done; }; f",
            &[],
            BudgetKind::LoopIterations,
        );
    });
}

#[test]
fn runaway_recursion_ends_with_a_depth_error() {
    run_in_small_stack(|| {
        check_abort("f() { f; }; f", &[], BudgetKind::Depth);
        check_abort("f() { f | f; }; f", &[], BudgetKind::Depth);
        check_abort(":(){ :|:& };:", &["/bin/bash", "-c"], BudgetKind::Depth);
        check_abort("x() { echo $(x); }; x", &[], BudgetKind::Depth);
        check_abort("echo 'sh s.sh' > s.sh; sh s.sh", &[], BudgetKind::Depth);
        check_abort("eval 'f() { eval f; }'; f", &[], BudgetKind::Depth);
    });
}

#[test]
fn huge_output_and_values_end_with_a_budget_error() {
    run_in_small_stack(|| {
        check_abort(
            "while :; do echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; done",
            &[],
            BudgetKind::OutputBytes,
        );
        check_abort("x=a; while :; do x=$x$x; done", &[], BudgetKind::ValueBytes);
        check_abort("seq 1 1000000000", &[], BudgetKind::Steps);
        check_abort(
            "x=a; while :; do x=$x$x; echo $x >> f; done",
            &[],
            BudgetKind::ValueBytes,
        );
    });
}

#[test]
fn file_budget_stops_writing_real_content() {
    let limits = Limits {
        max_file_bytes: 1 << 20,
        ..Limits::default()
    };
    let (out, _, took) = run(
        "i=0; while [ $i -lt 100000 ]; do printf '%01000d\\n' 0 >> f; i=$((i+1)); done",
        &[],
        limits,
    );
    assert_eq!(out.aborted.map(|a| a.kind), Some(BudgetKind::FileBytes));
    assert!(took < Duration::from_secs(5));
}

#[test]
fn big_files_are_sizes_not_memory() {
    run_in_small_stack(|| {
        let script = "dd if=/dev/zero of=big bs=1M count=10240 2>/dev/null; fallocate -l 5G f2; truncate -s 3G f3; head -c 100G /dev/zero | wc -c; cat big big > both; wc -c < both";
        let (out, fs, took) = run(script, &[], Limits::default());
        assert!(out.success(), "{}", String::from_utf8_lossy(&out.stderr()));
        assert_eq!(
            String::from_utf8_lossy(&out.stdout()),
            "107374182400\n21474836480\n"
        );
        assert_eq!(
            fs.read_file("/big").unwrap(),
            Content::Unknown { size: 10 << 30 }
        );
        assert_eq!(fs.stat("/f2").unwrap().size, 5 << 30);
        assert_eq!(fs.stat("/f3").unwrap().size, 3 << 30);
        assert_eq!(fs.stat("/both").unwrap().size, 20 << 30);
        assert!(took < Duration::from_secs(2), "{took:?}");
    });
}

#[test]
fn deep_nesting_is_a_syntax_error_not_a_crash() {
    run_in_small_stack(|| {
        let deep_subshell = format!("{}echo{}", "(".repeat(5000), ")".repeat(5000));
        let deep_subst = format!("echo {}x{}", "$(echo ".repeat(3000), ")".repeat(3000));
        let deep_if = format!(
            "{}true{}",
            "if true; then ".repeat(3000),
            "; fi".repeat(3000)
        );
        let deep_arith = format!("echo $(({}1{}))", "(".repeat(10_000), ")".repeat(10_000));
        let deep_brace = format!("echo ${}x{}", "{x:-$".repeat(3000), "}".repeat(3000));
        for (name, script) in [
            ("subshell", deep_subshell),
            ("subst", deep_subst),
            ("if", deep_if),
            ("arith", deep_arith),
            ("param", deep_brace),
        ] {
            let (out, _, took) = run(&script, &[], Limits::default());
            assert_ne!(out.status, 0, "{name}");
            assert!(took < Duration::from_secs(5), "{name}: {took:?}");
            let stderr = String::from_utf8_lossy(&out.stderr()).into_owned();
            assert!(
                stderr.contains("nested too deeply") || stderr.contains("recursion"),
                "{name}: {stderr}"
            );
        }
        assert!(shell::parse(&"(".repeat(100_000), Dialect::Dash).is_err());
    });
}

#[test]
fn pathological_patterns_finish() {
    run_in_small_stack(|| {
        let script = r#"x=$(printf 'a%.0s' $(seq 1 2000)); y=${x//a*a/b}; echo ${#y}; case $x in *a*a*a*a*a*a*b) echo no;; *) echo yes;; esac; echo "$x" | grep -E '(a*)*b' ; echo "grep=$?""#;
        let (out, _, took) = run(script, &["/bin/bash", "-c"], Limits::default());
        assert!(took < Duration::from_secs(5), "{took:?}");
        assert_eq!(String::from_utf8_lossy(&out.stdout()), "1\nyes\ngrep=1\n");
    });
}
