//! `docker system df [-v]` figures (semantics §6.2, §6.3): layers counted once by ChainID,
//! SHARED SIZE from layers used by more than one image, RECLAIMABLE per type, containers'
//! SizeRw, anonymous volumes and build-cache records. Real data: `alpine:3.13.5` and
//! `node:14.16.1-alpine3.13` share their base layer (semantics §3).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod container_support;

use container_support::{argv, run_report};
use dockerfile_playground::engine::catalog::catalog;
use dockerfile_playground::engine::container::{CommitConfig, ExecConfig};
use dockerfile_playground::engine::daemon::Engine;
use dockerfile_playground::engine::usage::{BuildCacheRecord, DiskUsage, ImageUsage, Summary};
use dockerfile_playground::units::{human_size, human_size_with_precision};

const ALPINE: &str = "alpine:3.13.5";
const NODE: &str = "node:14.16.1-alpine3.13";

fn pull(e: &mut Engine, reference: &str) -> u64 {
    let p = catalog()
        .pull(reference, &mut e.layers, &mut e.images)
        .unwrap();
    e.images.get(&p.image_id).unwrap().size
}

fn run(e: &mut Engine, name: &str, image: &str, detach: bool, command: &[&str]) {
    let r = run_report(e, name, image, detach, command);
    assert_eq!((r.start_error, r.output.exit_code), (None, 0), "{name}");
}

fn commit(e: &mut Engine, container: &str, reference: &str, changes: &[&str]) {
    e.commit_container(&CommitConfig {
        container: container.into(),
        reference: Some(reference.into()),
        changes: argv(changes),
        ..CommitConfig::default()
    })
    .unwrap();
}

fn exec(e: &mut Engine, container: &str, script: &str) {
    let out = e
        .exec_in_container(&ExecConfig {
            container: container.into(),
            command: argv(&["sh", "-c", script]),
            ..ExecConfig::default()
        })
        .unwrap();
    assert_eq!((out.exit_code, out.stderr.as_str()), (0, ""), "{script}");
}

fn row<'a>(du: &'a DiskUsage, tag: &str) -> &'a ImageUsage {
    du.images
        .iter()
        .find(|i| i.repo_tags.iter().any(|t| t == tag))
        .unwrap()
}

/// `SIZE  SHARED SIZE  UNIQUE SIZE  CONTAINERS` of one `-v` row, in bytes.
fn check_row(du: &DiskUsage, tag: &str, expected: (u64, u64, u64, u64)) {
    let r = row(du, tag);
    assert_eq!(
        (r.size, r.shared_size, r.unique_size(), r.containers),
        expected,
        "{tag}"
    );
}

/// The summary line as `docker system df` prints it: TOTAL ACTIVE SIZE RECLAIMABLE.
fn summary_line(s: &Summary) -> String {
    let reclaimable = match s.reclaimable_percent() {
        Some(p) => format!("{} ({p}%)", human_size(s.reclaimable as f64)),
        None => human_size(s.reclaimable as f64),
    };
    format!(
        "{} {} {} {}",
        s.total_count,
        s.active_count,
        human_size(s.total_size as f64),
        reclaimable
    )
}

#[test]
fn real_images_sharing_a_base_layer_count_it_once() {
    let mut e = Engine::new();
    let alpine = pull(&mut e, ALPINE);
    let node = pull(&mut e, NODE);
    // semantics §4: alpine:3.13.5 is about 5.61 MB on disk.
    assert_eq!(human_size_with_precision(alpine as f64, 3), "5.61MB");
    let du = e.disk_usage(&[]);
    // alpine's only layer is node's base layer: shared by both images.
    check_row(&du, ALPINE, (alpine, alpine, 0, 0));
    check_row(&du, NODE, (node, alpine, node - alpine, 0));
    assert_eq!(du.layers_size, node, "the shared layer is counted once");
    let s = du.images_summary.summary;
    assert_eq!((s.total_count, s.active_count, s.total_size), (2, 0, node));
    // RECLAIMABLE: Σ(Size − SharedSize) over images without containers.
    assert_eq!(s.reclaimable, node - alpine);
    assert_eq!(summary_line(&s), "2 0 116.6MB 111MB (95%)");
    // Docker 28's client: TOTAL − Σ unique of images in use = everything.
    assert_eq!(du.images_summary.reclaimable_v28, node);

    // A container on node makes it active; only alpine's unique bytes (none) are reclaimable.
    run(&mut e, "app", NODE, true, &["sleep", "infinity"]);
    let du = e.disk_usage(&[]);
    check_row(&du, NODE, (node, alpine, node - alpine, 1));
    let s = du.images_summary.summary;
    assert_eq!((s.active_count, s.reclaimable), (1, 0));
    assert_eq!(summary_line(&s), "2 1 116.6MB 0B (0%)");
    assert_eq!(du.images_summary.reclaimable_v28, alpine);
}

#[test]
fn two_images_from_one_base_show_the_base_as_shared() {
    let mut e = Engine::new();
    let node = pull(&mut e, NODE);
    run(
        &mut e,
        "w1",
        NODE,
        false,
        &["sh", "-c", "mkdir /app && echo test > /app/hello.txt"],
    );
    commit(&mut e, "w1", "hello:1", &[]);
    run(
        &mut e,
        "w2",
        NODE,
        false,
        &["sh", "-c", "echo hi > /other.txt"],
    );
    commit(&mut e, "w2", "other:1", &[]);
    e.remove_container("w1", false, false).unwrap();
    e.remove_container("w2", false, false).unwrap();
    run(&mut e, "c1", "hello:1", true, &["sleep", "infinity"]);

    let du = e.disk_usage(&[]);
    check_row(&du, NODE, (node, node, 0, 0));
    check_row(&du, "hello:1", (node + 5, node, 5, 1));
    check_row(&du, "other:1", (node + 3, node, 3, 0));
    let s = du.images_summary.summary;
    assert_eq!(
        (s.total_count, s.active_count, s.total_size, s.reclaimable),
        (3, 1, node + 8, 3)
    );
    assert_eq!(du.images_summary.reclaimable_v28, node + 3);

    // Containers: SizeRw only; reclaimable once the container stops.
    exec(&mut e, "c1", "echo x >> /app/hello.txt");
    let du = e.disk_usage(&[]);
    assert_eq!(summary_line(&du.containers_summary), "1 1 7B 0B (0%)");
    let c = du.containers.first().unwrap();
    assert_eq!((c.size_rw, c.size_root_fs), (7, node + 5 + 7));
    assert_eq!(c.command, "docker-entrypoint.sh sleep infinity");
    e.stop_container("c1", None).unwrap();
    let du = e.disk_usage(&[]);
    assert_eq!(summary_line(&du.containers_summary), "1 0 7B 7B (100%)");
}

#[test]
fn anonymous_volumes_hold_writes_outside_the_writable_layer() {
    let mut e = Engine::new();
    pull(&mut e, ALPINE);
    run(
        &mut e,
        "wv",
        ALPINE,
        false,
        &["sh", "-c", "mkdir /data && echo abc > /data/seed.txt"],
    );
    commit(&mut e, "wv", "vol:1", &["VOLUME /data"]);
    let img = e.images.resolve("vol:1").unwrap();
    assert!(img.image.config.volumes.contains_key("/data"));
    let last = img.image.history.last().unwrap();
    assert_eq!(
        last.created_by,
        "sh -c mkdir /data && echo abc > /data/seed.txt"
    );

    run(&mut e, "v1", "vol:1", true, &["sleep", "infinity"]);
    let du = e.disk_usage(&[]);
    // The volume starts with the image's content at /data: 4 bytes.
    assert_eq!(du.volumes.len(), 1);
    assert_eq!((du.volumes[0].ref_count, du.volumes[0].size), (1, 4));
    assert_eq!(du.containers[0].local_volumes, 1);
    exec(&mut e, "v1", "echo 12345678 > /data/more.txt");
    let du = e.disk_usage(&[]);
    assert_eq!(du.volumes[0].size, 13);
    assert_eq!(
        du.containers[0].size_rw, 0,
        "volume writes bypass the writable layer"
    );
    assert_eq!(summary_line(&du.volumes_summary), "1 1 13B 0B (0%)");

    // `docker rm -f` keeps the anonymous volume (dangling, reclaimable); `rm -v` drops it.
    e.remove_container("v1", true, false).unwrap();
    let du = e.disk_usage(&[]);
    assert_eq!((du.volumes[0].ref_count, du.volumes[0].size), (0, 13));
    assert_eq!(summary_line(&du.volumes_summary), "1 0 13B 13B (100%)");
    run(&mut e, "v2", "vol:1", true, &["sleep", "infinity"]);
    e.remove_container("v2", true, true).unwrap();
    assert_eq!(
        e.disk_usage(&[]).volumes.len(),
        1,
        "only v2's volume was removed"
    );
}

#[test]
fn build_cache_records_are_summed_as_the_daemon_does() {
    let mut e = Engine::new();
    let records = vec![
        BuildCacheRecord {
            id: "a".into(),
            kind: "regular".into(),
            size: 1_000,
            ..BuildCacheRecord::default()
        },
        BuildCacheRecord {
            id: "b".into(),
            kind: "source.local".into(),
            size: 500,
            shared: true,
            ..BuildCacheRecord::default()
        },
        BuildCacheRecord {
            id: "c".into(),
            kind: "regular".into(),
            size: 250,
            in_use: true,
            ..BuildCacheRecord::default()
        },
    ];
    let du = e.disk_usage(&records);
    let s = du.build_cache_summary;
    assert_eq!(
        (s.total_count, s.active_count, s.total_size, s.reclaimable),
        (3, 1, 1_750, 1_000)
    );
    assert_eq!(du.build_cache.len(), 3);
}
