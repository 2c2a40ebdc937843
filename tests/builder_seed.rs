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
    for line in &trace.log {
        println!("{line}");
    }
    let image = trace.image.as_ref().unwrap();
    for h in &image.history {
        println!(
            "{:70} {:>10} {}",
            h.created_by.chars().take(70).collect::<String>(),
            h.size,
            h.empty_layer
        );
    }
}
