//! Parsing throughput over the real-world corpus in ../shared (MB/s): the syntax tree
//! alone, and the syntax tree lowered to typed instructions and stages.
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::Path;

fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real-world");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(&root).into_iter().flatten().flatten() {
        for entry in std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let path = entry.path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            if path.is_file()
                && !name.ends_with(".json")
                && !name.starts_with("LICENSE")
                && name != "NOTICE"
            {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    files.push(text);
                }
            }
        }
    }
    files
}

fn bench(c: &mut Criterion) {
    let files = corpus();
    let bytes: usize = files.iter().map(String::len).sum();
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("real-world corpus", |b| {
        b.iter(|| {
            for text in &files {
                std::hint::black_box(dockerfile_playground::syntax::parse(text));
            }
        })
    });
    group.bench_function("real-world corpus, parse + typed instructions", |b| {
        b.iter(|| {
            for text in &files {
                std::hint::black_box(dockerfile_playground::syntax::parse_dockerfile(text));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
