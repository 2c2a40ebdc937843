//! Time to build each example of examples/ natively, from a fresh engine (no cache).
use criterion::{criterion_group, criterion_main, Criterion};
use dockerfile_playground::engine::builder::context::BuildContext;
use dockerfile_playground::engine::builder::{build, BuildOptions};
use dockerfile_playground::engine::daemon::Engine;
use std::path::Path;

fn load(dir: &Path) -> (String, Vec<(String, Vec<u8>)>) {
    let mut dockerfile = String::new();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let bytes = std::fs::read(entry.path()).unwrap_or_default();
        if name == "Dockerfile" {
            dockerfile = String::from_utf8_lossy(&bytes).into_owned();
        } else {
            files.push((name, bytes));
        }
    }
    (dockerfile, files)
}

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names: Vec<_> = std::fs::read_dir(&root)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    let mut group = c.benchmark_group("build");
    for dir in names {
        let (dockerfile, files) = load(&dir);
        let context = BuildContext::from_files(
            files.iter().map(|(p, b)| (p.as_str(), b.as_slice())),
            "Dockerfile",
        );
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut engine = Engine::new();
                std::hint::black_box(build(
                    &mut engine,
                    &dockerfile,
                    &context,
                    &BuildOptions::default(),
                ))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
