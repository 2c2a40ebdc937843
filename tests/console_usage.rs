//! `docker system df [-v]` in the console: two images built FROM the same base share its
//! layers. Expectations: docker-semantics §6.2–6.3 (SHARED SIZE counts layers whose ChainID
//! more than one image uses; the Images SIZE counts every layer once) and docker/cli
//! v28.5.2's client-side summary (`RECLAIMABLE = LayersSize − Σ(Size − SharedSize)` over
//! images with containers; Build Cache SIZE sums the records that are not shared).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod console_support;

use console_support::{column, section, Console};
use dockerfile_playground::docker_cli::DockerBackend;
use dockerfile_playground::expand::scope::BuilderKind;
use dockerfile_playground::playground::docker::EngineBackend;
use dockerfile_playground::units::human_size;

const ONE: &str = "FROM alpine:3.20\nRUN echo one > /one.txt\n";
const TWO: &str = "FROM alpine:3.20\nCOPY two.txt /\n";

fn console() -> Console {
    Console::with_files(&[
        ("Dockerfile", ONE),
        ("Dockerfile.two", TWO),
        ("two.txt", "two-two-two\n"),
    ])
}

fn size(bytes: i64) -> String {
    human_size(bytes as f64)
}

#[test]
fn two_images_on_one_base_count_the_base_once() {
    let mut c = console();
    c.ok("docker build -t one .");
    c.ok("docker build -t two -f Dockerfile.two .");
    c.ok("docker images");
    let verbose = section(&c.ok("docker system df -v"), "Images space usage:");
    let summary = c.ok("docker system df");

    // The daemon's figures, in bytes.
    let du = {
        let mut backend = EngineBackend::new(
            &mut c.session.engine,
            &mut c.session.docker,
            BuilderKind::BuildKit,
        );
        backend.disk_usage().unwrap()
    };
    let image = |tag: &str| {
        du.images
            .iter()
            .find(|i| i.repo_tags.iter().any(|t| t == tag))
            .cloned()
            .unwrap()
    };
    let (base, one, two) = (
        image("alpine:3.20"),
        image("one:latest"),
        image("two:latest"),
    );
    assert_eq!(du.images.len(), 3);
    // The base's layer is shared by all three images: it is each one's SHARED SIZE.
    for i in [&base, &one, &two] {
        assert_eq!(i.shared_size, base.size, "{:?}", i.repo_tags);
    }
    assert_eq!(one.size - one.shared_size, 4); // "one\n"
    assert_eq!(two.size - two.shared_size, 12); // "two-two-two\n"
                                                // Images SIZE counts the base once: base + both unique parts, not the sum of SIZEs.
    assert_eq!(du.layers_size, base.size + 4 + 12);
    assert!(du.layers_size < base.size + one.size + two.size);

    // The tables print those figures.
    for (tag, i) in [("one", &one), ("two", &two), ("alpine", &base)] {
        assert_eq!(column(&verbose, tag, "SIZE"), size(i.size));
        assert_eq!(column(&verbose, tag, "SHARED SIZE"), size(i.shared_size));
        assert_eq!(
            column(&verbose, tag, "UNIQUE SIZE"),
            size(i.size - i.shared_size)
        );
        assert_eq!(column(&verbose, tag, "CONTAINERS"), "0");
    }
    assert_eq!(column(&summary, "Images", "TOTAL"), "3");
    assert_eq!(column(&summary, "Images", "ACTIVE"), "0");
    assert_eq!(column(&summary, "Images", "SIZE"), size(du.layers_size));
    // No containers: everything is reclaimable.
    assert_eq!(
        column(&summary, "Images", "RECLAIMABLE"),
        format!("{} (100%)", size(du.layers_size))
    );

    // A container on `one`: its unique part is in use, the rest is reclaimable (v28 client).
    c.ok("docker run -d --name keep one sleep 600");
    let summary = c.ok("docker system df");
    assert_eq!(column(&summary, "Images", "ACTIVE"), "1");
    let reclaimable = du.layers_size - 4;
    assert_eq!(
        column(&summary, "Images", "RECLAIMABLE"),
        format!(
            "{} ({}%)",
            size(reclaimable),
            reclaimable * 100 / du.layers_size
        )
    );
    assert_eq!(column(&summary, "Containers", "ACTIVE"), "1");
    assert_eq!(column(&summary, "Containers", "SIZE"), "0B");

    // Build cache: one record per layer-producing step (shared while its image exists)
    // and BuildKit's local sources (the Dockerfiles; the context once COPY used it).
    let records = &du.build_cache;
    let regular: Vec<_> = records.iter().filter(|r| r.kind == "regular").collect();
    assert_eq!(regular.len(), 2);
    assert!(regular.iter().all(|r| r.shared));
    let local: Vec<_> = records
        .iter()
        .filter(|r| r.kind == "source.local")
        .collect();
    assert_eq!(local.len(), 2);
    let context = local
        .iter()
        .find(|r| r.description == "local source for context")
        .unwrap();
    assert_eq!(context.size, (ONE.len() + TWO.len() + 12) as i64);
    let dockerfile = local
        .iter()
        .find(|r| r.description == "local source for dockerfile")
        .unwrap();
    assert_eq!(
        (dockerfile.size, dockerfile.usage_count),
        (TWO.len() as i64, 2)
    );
    assert_eq!(
        column(&summary, "Build Cache", "SIZE"),
        size(context.size + dockerfile.size)
    );

    // Removing `two` unshares its step record: it now counts as build cache.
    c.ok("docker rmi two");
    let after = c.ok("docker system df");
    let copy = regular.iter().find(|r| r.size == 12).unwrap();
    assert_eq!(
        column(&after, "Build Cache", "SIZE"),
        size(context.size + dockerfile.size + copy.size)
    );
    c.ok("docker system df -v");
    insta::assert_snapshot!("usage_shared_base", c.transcript);
}

#[test]
fn rebuilding_reuses_the_cache_and_counts_its_use() {
    let mut c = console();
    c.ok("docker build -t one .");
    let first = c.ok("docker image inspect --format '{{.Id}}' one");
    c.run("docker build -t one .");
    assert_eq!(c.ok("docker image inspect --format '{{.Id}}' one"), first);
    assert_eq!(cache_uses(&mut c), ["regular 2", "source.local 2"]);
    // The legacy builder keeps no BuildKit records and does not reuse BuildKit's cache.
    let legacy = c.run("DOCKER_BUILDKIT=0 docker build -t one-legacy .");
    assert!(!legacy.stdout.contains("Using cache"), "{}", legacy.stdout);
    let again = c.run("DOCKER_BUILDKIT=0 docker build -t one-legacy .");
    assert!(
        again.stdout.contains(" ---> Using cache"),
        "{}",
        again.stdout
    );
    assert_eq!(cache_uses(&mut c), ["regular 2", "source.local 2"]);
    c.ok("docker system df");
    insta::assert_snapshot!("usage_rebuild", c.transcript);
}

/// `CACHE TYPE` and `USAGE` of every build-cache record, sorted.
fn cache_uses(c: &mut Console) -> Vec<String> {
    let out = c.quiet(
        "docker system df -v --format '{{range .BuildCache}}{{.CacheType}} {{.UsageCount}}\n{{end}}'",
    );
    let mut rows: Vec<String> = out.stdout.lines().map(str::to_string).collect();
    rows.sort();
    rows
}
