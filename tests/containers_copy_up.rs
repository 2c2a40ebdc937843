//! The seed article's example (images vs containers, copy-on-write, disk usage) run through
//! the engine: one image with `/app/hello.txt`, three containers on it, a write in one of
//! them. Expectations come from docker-semantics §5 (copy-up, the writable layer), §6.1
//! (`SizeRw`, `SizeRootFs`), §2.3 (history ids) and the seed article (a `cat` writes
//! nothing, so its size is 0B).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod container_support;

use container_support::{argv, run_report};
use dockerfile_playground::engine::container::{CommitConfig, ExecConfig, RunConfig, Status};
use dockerfile_playground::engine::daemon::Engine;
use dockerfile_playground::engine::vfs::ChangeKind;
use dockerfile_playground::units::human_size_with_precision;

const NODE: &str = "node:14.16.1-alpine3.13";

/// `docker run [-d] --name <name> <image> <command…>`; returns the container id.
fn run(e: &mut Engine, name: &str, image: &str, detach: bool, command: &[&str]) -> String {
    let report = run_report(e, name, image, detach, command);
    assert_eq!(report.start_error, None, "{name}");
    report.container_id
}

fn exec(e: &mut Engine, container: &str, workdir: Option<&str>, command: &[&str]) -> i32 {
    let out = e
        .exec_in_container(&ExecConfig {
            container: container.into(),
            command: argv(command),
            workdir: workdir.map(String::from),
            ..ExecConfig::default()
        })
        .unwrap();
    assert_eq!(out.stderr, "", "{command:?}");
    out.exit_code
}

/// `docker ps -s` SIZE column (semantics §6.1).
fn ps_size(e: &Engine, name: &str) -> String {
    let c = e.containers.find(name).unwrap();
    let s = e.container_sizes(c);
    let rw = human_size_with_precision(s.size_rw as f64, 3);
    if s.size_root_fs > 0 {
        format!(
            "{rw} (virtual {})",
            human_size_with_precision(s.size_root_fs as f64, 3)
        )
    } else {
        rw
    }
}

/// The engine after: pull node, write /app/hello.txt ("test\n") in a container, commit it
/// as `hello:1`.
fn hello_image() -> (Engine, u64) {
    let mut e = Engine::new();
    let out = e.run_container(&RunConfig {
        image: NODE.into(),
        name: Some("writer".into()),
        command: argv(&["sh", "-c", "mkdir -p /app && echo test > /app/hello.txt"]),
        ..RunConfig::default()
    });
    let pull = out.pull.unwrap();
    assert_eq!(pull.reference, NODE);
    let report = out.result.unwrap();
    assert_eq!(report.output.exit_code, 0);
    let id = e
        .commit_container(&CommitConfig {
            container: "writer".into(),
            reference: Some("hello:1".into()),
            ..CommitConfig::default()
        })
        .unwrap();
    let size = e.images.get(&id).unwrap().size;
    (e, size)
}

#[test]
fn pulling_on_run_prints_dockers_progress_lines() {
    let mut e = Engine::new();
    let out = e.run_container(&RunConfig {
        image: NODE.into(),
        command: argv(&["true"]),
        ..RunConfig::default()
    });
    let pulled = out.pull.unwrap().result.unwrap();
    let lines = dockerfile_playground::engine::container::pull_progress_lines(&pulled);
    assert_eq!(
        lines.first().unwrap(),
        "14.16.1-alpine3.13: Pulling from library/node"
    );
    // The node image has four layers (semantics §3: the alpine base blob plus three).
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.ends_with(": Pull complete"))
            .count(),
        4
    );
    assert!(
        lines.iter().any(|l| l.starts_with("540db60ca938: ")),
        "{lines:?}"
    );
    assert_eq!(
        lines.last().unwrap(),
        &format!("Status: Downloaded newer image for {NODE}")
    );
    // A second run finds the image locally: no pull.
    let again = e.run_container(&RunConfig {
        image: NODE.into(),
        command: argv(&["true"]),
        ..RunConfig::default()
    });
    assert!(again.pull.is_none());
}

#[test]
fn commit_adds_one_layer_with_the_containers_changes() {
    let (e, size) = hello_image();
    let node = e.images.resolve(NODE).unwrap().clone();
    // semantics §4: about 116.63 MB on disk for node:14.16.1-alpine3.13.
    assert_eq!(
        dockerfile_playground::units::human_size(node.size as f64),
        "116.6MB"
    );
    // "test\n" is 5 bytes; directories count 0 (semantics §2.2).
    assert_eq!(size, node.size + 5);
    let hello = e.images.resolve("hello:1").unwrap();
    assert_eq!(hello.chain.len(), node.chain.len() + 1);
    assert_eq!(
        &hello.chain[..node.chain.len()],
        &node.chain[..],
        "base layers shared"
    );
    let last = hello.image.history.last().unwrap();
    assert_eq!(
        last.created_by,
        "sh -c mkdir -p /app && echo test > /app/hello.txt"
    );
    assert!(!last.empty_layer);
    assert_eq!(hello.image.parent.as_ref(), Some(&node.image.id));
    // semantics §2.3: the commit row and the parent's top row have ids, the rest <missing>.
    let ids = e.images.history_ids(&hello.image.id);
    let n = ids.len();
    assert_eq!(ids[n - 1].as_ref(), Some(&hello.image.id));
    assert_eq!(ids[n - 2].as_ref(), Some(&node.image.id));
    assert!(ids[..n - 2].iter().all(Option::is_none));
    let sizes = e.images.history_sizes(&hello.image.id, &e.layers);
    assert_eq!(sizes.last(), Some(&5));
}

#[test]
fn three_containers_share_the_image_and_only_the_writer_pays() {
    let (mut e, image_size) = hello_image();
    for name in ["c1", "c2", "c3"] {
        run(&mut e, name, "hello:1", true, &["sleep", "infinity"]);
        let c = e.containers.find(name).unwrap();
        assert_eq!(c.state.status, Status::Running);
        let s = e.container_sizes(c);
        assert_eq!((s.size_rw, s.size_root_fs), (0, image_size), "{name}");
    }
    assert_eq!(ps_size(&e, "c1"), "0B (virtual 117MB)");

    // Reading writes nothing (the seed article: `cat hello.txt` → 0B).
    assert_eq!(exec(&mut e, "c1", None, &["cat", "/app/hello.txt"]), 0);
    assert_eq!(
        e.container_sizes(e.containers.find("c1").unwrap()).size_rw,
        0
    );

    // Appending 2 bytes copies the whole file up: SizeRw is the file's new size, 7 bytes.
    assert_eq!(
        exec(
            &mut e,
            "c1",
            None,
            &["sh", "-c", "echo x >> /app/hello.txt"]
        ),
        0
    );
    let sizes: Vec<(u64, u64)> = ["c1", "c2", "c3"]
        .iter()
        .map(|n| {
            let s = e.container_sizes(e.containers.find(n).unwrap());
            (s.size_rw, s.size_root_fs)
        })
        .collect();
    assert_eq!(
        sizes,
        vec![(7, image_size + 7), (0, image_size), (0, image_size)]
    );
    assert_eq!(ps_size(&e, "c1"), "7B (virtual 117MB)");
    let diff: Vec<(char, String)> = e
        .container_diff("c1")
        .unwrap()
        .into_iter()
        .map(|c| (c.kind.letter(), c.path))
        .collect();
    assert_eq!(
        diff,
        vec![
            ('C', "/app".to_string()),
            ('C', "/app/hello.txt".to_string())
        ]
    );
    assert!(e.container_diff("c2").unwrap().is_empty());
    let out = e
        .exec_in_container(&ExecConfig {
            container: "c2".into(),
            command: argv(&["cat", "/app/hello.txt"]),
            ..ExecConfig::default()
        })
        .unwrap();
    assert_eq!(out.stdout, "test\n", "c2 still sees the image's file");
}

#[test]
fn the_seed_articles_append_in_the_working_directory() {
    let (mut e, image_size) = hello_image();
    run(&mut e, "seed", "hello:1", true, &["sleep", "infinity"]);
    // RUN echo aaaaaaaaabbbbbbbbbb>>hello.txt  (WORKDIR /app): 5 + 20 bytes.
    assert_eq!(
        exec(
            &mut e,
            "seed",
            Some("/app"),
            &["sh", "-c", "echo aaaaaaaaabbbbbbbbbb>>hello.txt"]
        ),
        0
    );
    let s = e.container_sizes(e.containers.find("seed").unwrap());
    assert_eq!((s.size_rw, s.size_root_fs), (25, image_size + 25));
    // Deleting a lower-layer file: a whiteout, 0 bytes, and `D` in docker diff.
    assert_eq!(exec(&mut e, "seed", None, &["rm", "/app/hello.txt"]), 0);
    let diff: Vec<(ChangeKind, String)> = e
        .container_diff("seed")
        .unwrap()
        .into_iter()
        .map(|c| (c.kind, c.path))
        .collect();
    assert_eq!(
        diff,
        vec![
            (ChangeKind::Modified, "/app".to_string()),
            (ChangeKind::Deleted, "/app/hello.txt".to_string())
        ]
    );
    assert_eq!(
        e.container_sizes(e.containers.find("seed").unwrap())
            .size_rw,
        0
    );
}
