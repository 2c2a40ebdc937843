//! The seed article's claims, reproduced by building its examples (examples/ in the repo).
#![allow(clippy::unwrap_used)]

use dockerfile_playground::engine::builder::context::BuildContext;
use dockerfile_playground::engine::builder::trace::{BuildTrace, StepStatus};
use dockerfile_playground::engine::builder::{build, BuildOptions};
use dockerfile_playground::engine::daemon::Engine;
use dockerfile_playground::expand::scope::BuilderKind;
use std::path::Path;

fn example(name: &str) -> (String, Vec<(String, Vec<u8>)>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    let mut files = Vec::new();
    let mut dockerfile = String::new();
    for entry in walk(&dir) {
        let rel = entry
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(&entry).unwrap();
        if rel == "Dockerfile" {
            dockerfile = String::from_utf8(bytes).unwrap();
        } else {
            files.push((rel, bytes));
        }
    }
    (dockerfile, files)
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn run(engine: &mut Engine, name: &str, builder: BuilderKind) -> BuildTrace {
    let (dockerfile, files) = example(name);
    let context = BuildContext::from_files(
        files.iter().map(|(p, b)| (p.as_str(), b.as_slice())),
        "Dockerfile",
    );
    let options = BuildOptions {
        builder,
        tags: vec![format!("{name}:latest")],
        ..Default::default()
    };
    build(engine, &dockerfile, &context, &options)
}

#[test]
fn copy_on_write_layers_of_the_seed_example() {
    let mut engine = Engine::new();
    let trace = run(&mut engine, "seed-layers", BuilderKind::BuildKit);
    assert!(trace.ok, "{:?} {:?}", trace.error, trace.log);
    let image = trace.image.as_ref().unwrap();
    // node:14.16.1-alpine3.13's 4 layers + WORKDIR, COPY, RUN.
    assert_eq!(image.rootfs.len(), 7);
    let sizes: Vec<u64> = image.rootfs[4..].iter().map(|l| l.size).collect();
    assert_eq!(
        sizes,
        [0, 5, 25],
        "WORKDIR (empty dir), COPY 5 bytes, RUN rewrites the whole file"
    );
    let labels: Vec<_> = image
        .history
        .iter()
        .filter(|h| h.created_by.starts_with("LABEL"))
        .collect();
    assert_eq!(labels.len(), 1);
    assert!(labels[0].empty_layer);
    for line in &trace.log {
        println!("{line}");
    }
    for h in &image.history {
        println!(
            "{:50} {:>10} {}",
            h.created_by.chars().take(50).collect::<String>(),
            h.size,
            h.empty_layer
        );
    }
    assert!(trace.steps.iter().all(|s| s.status == StepStatus::Built));
}

#[test]
fn legacy_builder_of_the_seed_example() {
    let mut engine = Engine::new();
    let trace = run(&mut engine, "seed-layers", BuilderKind::Legacy);
    assert!(trace.ok, "{:?} {:?}", trace.error, trace.log);
    let image = trace.image.as_ref().unwrap();
    let ours: Vec<(&str, u64, bool)> = image.history[9..]
        .iter()
        .map(|h| (h.created_by.as_str(), h.size, h.empty_layer))
        .collect();
    assert_eq!(ours[0], ("/bin/sh -c #(nop) WORKDIR /app", 0, false));
    assert_eq!(ours[1], ("/bin/sh -c #(nop)  LABEL author=xxx", 0, true));
    assert_eq!(ours[2], ("/bin/sh -c #(nop)  ENV BUILD_ENV=dev", 0, true));
    assert!(
        ours[3].0.starts_with("/bin/sh -c #(nop) COPY file:") && ours[3].0.ends_with(" in ./ ")
    );
    assert_eq!((ours[3].1, ours[3].2), (5, false));
    assert_eq!(
        ours[4],
        ("/bin/sh -c echo aaaaaaaaabbbbbbbbbb>>hello.txt", 25, false)
    );
    // The base's 4 layers are shared with alpine:3.13.5's first layer chain.
    assert_eq!(image.rootfs.len(), 7);
    assert!(trace
        .log
        .iter()
        .any(|l| l == "Step 3/6 : LABEL author=\"xxx\""));
}

#[test]
fn the_article_as_printed_fails_at_the_copy_line() {
    for builder in [BuilderKind::BuildKit, BuilderKind::Legacy] {
        let mut engine = Engine::new();
        let trace = run(&mut engine, "seed-as-printed", builder);
        assert!(!trace.ok);
        let failed: Vec<_> = trace
            .steps
            .iter()
            .filter(|s| s.status == StepStatus::Failed)
            .collect();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].line, 8, "the COPY line");
        let error = trace.error.clone().unwrap();
        match builder {
            BuilderKind::BuildKit => assert!(error.ends_with("\"/#\": not found"), "{error}"),
            BuilderKind::Legacy => assert_eq!(
                error,
                "COPY failed: file not found in build context or excluded by .dockerignore: stat #: file does not exist"
            ),
        }
        let later = trace.steps.iter().find(|s| s.line == 10).unwrap();
        assert_eq!(later.status, StepStatus::Skipped);
    }
}

#[test]
fn run_cat_changes_nothing() {
    let mut engine = Engine::new();
    let buildkit = run(&mut engine, "seed-cat", BuilderKind::BuildKit);
    let image = buildkit.image.unwrap();
    let last = image.rootfs.last().unwrap();
    // BuildKit keeps an empty layer (the 32-byte gzip of an empty tar, DiffID 5f70bf18…).
    assert_eq!(image.rootfs.len(), 8);
    assert_eq!(last.size, 0);
    assert_eq!(
        last.diff_id,
        "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"
    );
    let cat = image.history.last().unwrap();
    assert_eq!(
        (cat.created_by.as_str(), cat.empty_layer),
        ("RUN /bin/sh -c cat hello.txt # buildkit", false)
    );
    let step = buildkit.steps.last().unwrap();
    let output: Vec<&String> = step.log.iter().filter(|l| l.contains(" 0.000 ")).collect();
    assert_eq!(output, ["#9 0.000 test", "#9 0.000 aaaaaaaaabbbbbbbbbb"]);

    let mut engine = Engine::new();
    let legacy = run(&mut engine, "seed-cat", BuilderKind::Legacy)
        .image
        .unwrap();
    // The legacy builder adds no layer for a step that changed nothing.
    assert_eq!(legacy.rootfs.len(), 7);
    let cat = legacy.history.last().unwrap();
    assert_eq!(
        (cat.created_by.as_str(), cat.empty_layer, cat.size),
        ("/bin/sh -c cat hello.txt", true, 0)
    );
}

#[test]
fn a_deleted_file_still_costs_its_bytes() {
    let mut engine = Engine::new();
    let trace = run(&mut engine, "delete-does-not-shrink", BuilderKind::BuildKit);
    assert!(trace.ok, "{:?}", trace.error);
    let image = trace.image.unwrap();
    let ours: Vec<u64> = image.rootfs.iter().rev().take(2).map(|l| l.size).collect();
    assert_eq!(ours, [0, 10 * 1024 * 1024]);
    let rm = trace.steps.last().unwrap().layer.as_ref().unwrap();
    assert_eq!(rm.changes.len(), 1);
    assert_eq!(rm.changes[0].path, "/big.bin");
    assert_eq!(format!("{:?}", rm.changes[0].kind), "Deleted");
    let base: u64 = image
        .rootfs
        .iter()
        .filter(|l| l.from_base)
        .map(|l| l.size)
        .sum();
    assert_eq!(image.size, base + 10 * 1024 * 1024);
}

/// docker-semantics §7.2: BuildKit builds only the stages the target needs; the legacy
/// builder builds every stage before the target in file order, needed or not.
#[test]
fn targets_select_stages_per_builder() {
    let (dockerfile, files) = example("builder-stages");
    let context = BuildContext::from_files(
        files.iter().map(|(p, b)| (p.as_str(), b.as_slice())),
        "Dockerfile",
    );
    let skipped = |builder, target: &str| {
        let mut engine = Engine::new();
        let options = BuildOptions {
            builder,
            target: Some(target.into()),
            ..Default::default()
        };
        let trace = build(&mut engine, &dockerfile, &context, &options);
        for stage in &trace.stages {
            let all_skipped = trace
                .steps
                .iter()
                .filter(|s| s.stage == stage.index)
                .all(|s| s.status == StepStatus::Skipped);
            assert_eq!(
                all_skipped, stage.skipped,
                "{builder:?} {target} stage {}",
                stage.index
            );
        }
        trace.stages.iter().map(|s| s.skipped).collect::<Vec<_>>()
    };
    // --target build1: build2 comes after the target, neither builder runs it.
    assert_eq!(
        skipped(BuilderKind::BuildKit, "build1"),
        [false, false, true]
    );
    assert_eq!(skipped(BuilderKind::Legacy, "build1"), [false, false, true]);
    // --target build2: build1 is not needed; BuildKit skips it, the legacy builder builds it.
    assert_eq!(
        skipped(BuilderKind::BuildKit, "build2"),
        [false, true, false]
    );
    assert_eq!(
        skipped(BuilderKind::Legacy, "build2"),
        [false, false, false]
    );
}

#[test]
fn rebuild_after_editing_a_source_reuses_the_steps_before_it() {
    let dockerfile = "FROM alpine:3.20\nWORKDIR /src\nRUN echo setup > /setup.log\nCOPY app.go ./\nRUN cat app.go > /out\nLABEL v=1\n";
    let mut engine = Engine::new();
    let v1 = BuildContext::from_files([("app.go", &b"package main // v1\n"[..])], "Dockerfile");
    let first = build(&mut engine, dockerfile, &v1, &BuildOptions::default());
    assert!(first.ok);
    assert!(first.steps[1..]
        .iter()
        .all(|s| s.status == StepStatus::Built));
    let v2 = BuildContext::from_files([("app.go", &b"package main // v2\n"[..])], "Dockerfile");
    let second = build(&mut engine, dockerfile, &v2, &BuildOptions::default());
    let statuses: Vec<(usize, StepStatus, Option<String>)> = second
        .steps
        .iter()
        .skip(1)
        .map(|s| (s.line, s.status, s.cause.clone()))
        .collect();
    assert_eq!(
        statuses,
        [
            (2, StepStatus::Cached, None),
            (3, StepStatus::Cached, None),
            (
                4,
                StepStatus::Built,
                Some("the content of app.go changed".into())
            ),
            (
                5,
                StepStatus::Built,
                Some("an earlier step was rebuilt".into())
            ),
            (6, StepStatus::Cached, None),
        ]
    );
    // The same inputs again: everything cached and the very same image.
    let third = build(&mut engine, dockerfile, &v2, &BuildOptions::default());
    assert_eq!(third.image.unwrap().id, second.image.unwrap().id);
}

#[test]
fn copy_from_an_image() {
    let mut engine = Engine::new();
    let trace = run(&mut engine, "copy-from-image", BuilderKind::BuildKit);
    assert!(trace.ok, "{:?}", trace.error);
    let layer = trace.steps.last().unwrap().layer.as_ref().unwrap();
    assert_eq!(
        layer
            .changes
            .iter()
            .map(|c| c.path.as_str())
            .collect::<Vec<_>>(),
        ["/nginx.conf"]
    );
    assert!(
        engine.images.resolve("nginx:latest").is_ok(),
        "the image was pulled"
    );
}
