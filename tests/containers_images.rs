//! `docker rm`, `rmi`, `tag`, `image prune`, `container prune` and `commit` with containers
//! around: the daemon's conflict messages (moby image_delete.go, delete.go, Engine 28.2+)
//! and layer reference counts (a layer stays while an image or a container uses it).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod container_support;

use container_support::{argv, run_report};
use dockerfile_playground::engine::catalog::catalog;
use dockerfile_playground::engine::container::{CommitConfig, ContainerError, DeleteRecord};
use dockerfile_playground::engine::daemon::Engine;
use dockerfile_playground::engine::layers::Digest;

const ALPINE: &str = "alpine:3.13.5";
const NODE: &str = "node:14.16.1-alpine3.13";

fn run(e: &mut Engine, name: &str, image: &str, detach: bool, command: &[&str]) -> String {
    run_report(e, name, image, detach, command).container_id
}

fn commit(e: &mut Engine, container: &str, reference: &str) -> Digest {
    e.commit_container(&CommitConfig {
        container: container.into(),
        reference: Some(reference.into()),
        ..CommitConfig::default()
    })
    .unwrap()
}

fn short(id: &str) -> String {
    id.trim_start_matches("sha256:").chars().take(12).collect()
}

/// Compares a daemon message, with `{c}` = the container's short id and `{i}` = the
/// image's short id.
fn check_err<T: std::fmt::Debug>(
    result: Result<T, ContainerError>,
    container: &str,
    image: &str,
    expected: &str,
) {
    let expected = expected
        .replace("{c}", &short(container))
        .replace("{i}", &short(image));
    assert_eq!(result.unwrap_err().message(), expected);
}

fn records(list: &[DeleteRecord]) -> Vec<String> {
    list.iter()
        .map(|r| match r {
            DeleteRecord::Untagged(t) => format!("Untagged: {t}"),
            DeleteRecord::Deleted(d) => format!("Deleted: {d}"),
        })
        .collect()
}

/// node pulled; `hello:1` committed from a container that wrote /app/hello.txt (removed).
fn setup() -> (Engine, Digest) {
    let mut e = Engine::new();
    run(
        &mut e,
        "writer",
        NODE,
        false,
        &["sh", "-c", "mkdir /app && echo test > /app/hello.txt"],
    );
    let id = commit(&mut e, "writer", "hello:1");
    e.remove_container("writer", false, false).unwrap();
    (e, id)
}

#[test]
fn rm_refuses_a_running_container_without_force() {
    let (mut e, _) = setup();
    let c1 = run(&mut e, "c1", "hello:1", true, &["sleep", "infinity"]);
    check_err(
        e.remove_container("c1", false, false),
        &c1,
        "",
        "cannot remove container \"c1\": container is running: stop the container before removing or force remove",
    );
    // The message names the container as the user did (Engine 28.2+).
    check_err(
        e.remove_container(&c1[..5], false, false),
        &c1,
        "",
        &format!("cannot remove container \"{}\": container is running: stop the container before removing or force remove", &c1[..5]),
    );
    check_err(
        e.remove_container("nope", false, false),
        "",
        "",
        "No such container: nope",
    );
    e.remove_container("c1", true, false).unwrap();
    assert!(e.containers.is_empty());
}

#[test]
fn rmi_conflicts_follow_the_daemon() {
    let (mut e, img) = setup();
    let c1 = run(&mut e, "c1", "hello:1", true, &["sleep", "infinity"]);
    check_err(
        e.remove_image("hello:1", false, true),
        &c1,
        img.as_str(),
        "conflict: unable to remove repository reference \"hello:1\" (must force) - container {c} is using its referenced image {i}",
    );
    check_err(
        e.remove_image(&short(img.as_str()), false, true),
        &c1,
        img.as_str(),
        "conflict: unable to delete {i} (cannot be forced) - image is being used by running container {c}",
    );
    check_err(
        e.remove_image(&short(img.as_str()), true, true),
        &c1,
        img.as_str(),
        "conflict: unable to delete {i} (cannot be forced) - image is being used by running container {c}",
    );
    e.stop_container("c1", None).unwrap();
    check_err(
        e.remove_image(&short(img.as_str()), false, true),
        &c1,
        img.as_str(),
        "conflict: unable to delete {i} (must be forced) - image is being used by stopped container {c}",
    );
    check_err(
        e.remove_image("nothere", false, true),
        "",
        "",
        "No such image: nothere:latest",
    );

    // The node image is hello:1's parent (commit records it): deleting it by id is a hard
    // conflict; by tag it is only untagged and stays as an intermediate image.
    let node = e.images.resolve(NODE).unwrap().image.id.clone();
    check_err(
        e.remove_image(node.hex(), false, true),
        "",
        node.as_str(),
        "conflict: unable to delete {i} (cannot be forced) - image has dependent child images",
    );
    let digest = e.images.get(&node).unwrap().repo_digests[0].clone();
    assert_eq!(
        records(&e.remove_image(NODE, false, true).unwrap()),
        vec![format!("Untagged: {NODE}"), format!("Untagged: {digest}")]
    );
    assert!(e.images.contains(&node));
    assert!(
        !e.listed_images().contains(&node),
        "an untagged parent is not listed"
    );
}

#[test]
fn forced_rmi_of_an_image_in_use_by_a_running_container_only_untags_it() {
    let (mut e, img) = setup();
    run(&mut e, "c1", "hello:1", true, &["sleep", "infinity"]);
    assert_eq!(
        records(&e.remove_image("hello:1", true, true).unwrap()),
        vec!["Untagged: hello:1".to_string()]
    );
    assert!(e.images.contains(&img), "kept, now dangling");
    assert!(e.images.tags_of(&img).is_empty());
    let du = e.disk_usage(&[]);
    let row = du.images.iter().find(|i| i.id == img).unwrap();
    assert!(row.repo_tags.is_empty());
    assert_eq!(row.containers, 1);
}

#[test]
fn deleting_an_image_keeps_layers_other_images_use() {
    let mut e = Engine::new();
    let alpine = catalog()
        .pull(ALPINE, &mut e.layers, &mut e.images)
        .unwrap();
    let node = catalog().pull(NODE, &mut e.layers, &mut e.images).unwrap();
    let base = alpine.top.clone().unwrap();
    assert_eq!(
        node.layers[0].chain_id, base,
        "same base layer (semantics §3)"
    );
    assert!(
        node.layers[0].already_exists,
        "`Already exists` in docker pull"
    );
    assert_eq!(e.layers.ref_count(&base), 2);
    let recs = records(&e.remove_image(ALPINE, false, true).unwrap());
    assert_eq!(
        recs,
        vec![
            format!("Untagged: {ALPINE}"),
            format!("Untagged: alpine@{}", alpine.digest),
            format!("Deleted: {}", alpine.image_id),
        ],
        "no layer deleted: node uses it"
    );
    assert_eq!(e.layers.ref_count(&base), 1);
    assert_eq!(e.layers.len(), 4);
    // Deleting node now removes its four layers, top first.
    let recs = records(&e.remove_image(NODE, false, true).unwrap());
    let mut expected = vec![
        format!("Untagged: {NODE}"),
        format!("Untagged: node@{}", node.digest),
        format!("Deleted: {}", node.image_id),
    ];
    expected.extend(
        node.layers
            .iter()
            .rev()
            .map(|l| format!("Deleted: {}", l.chain_id)),
    );
    assert_eq!(recs, expected);
    assert!(e.layers.is_empty());
}

#[test]
fn a_container_keeps_the_layers_of_a_deleted_image_until_it_is_removed() {
    let (mut e, img) = setup();
    run(&mut e, "c1", "hello:1", false, &["true"]);
    let top = e.images.get(&img).unwrap().chain.last().unwrap().clone();
    assert_eq!(e.layers.ref_count(&top), 2, "the image and the container");
    let recs = records(&e.remove_image("hello:1", true, true).unwrap());
    assert_eq!(
        recs,
        vec!["Untagged: hello:1".to_string(), format!("Deleted: {img}")]
    );
    assert_eq!(e.layers.ref_count(&top), 1);
    e.remove_container("c1", false, false).unwrap();
    assert!(!e.layers.contains(&top), "released with the container");
    // node's own layers stay: node is still stored.
    assert_eq!(e.layers.len(), 4);
}

#[test]
fn tags_are_references_and_untagging_one_keeps_the_image() {
    let (mut e, img) = setup();
    e.tag_image("hello:1", "hello:latest").unwrap();
    e.tag_image("hello:1", "registry.example/team/hello:2")
        .unwrap();
    assert_eq!(
        e.images.tags_of(&img),
        vec!["hello:1", "hello:latest", "registry.example/team/hello:2"]
    );
    assert_eq!(
        records(&e.remove_image("hello", false, true).unwrap()),
        vec!["Untagged: hello:latest".to_string()]
    );
    check_err(
        e.remove_image(img.hex(), false, true),
        "",
        img.as_str(),
        "conflict: unable to delete {i} (must be forced) - image is referenced in multiple repositories",
    );
    let recs = records(&e.remove_image(img.hex(), true, true).unwrap());
    assert_eq!(
        recs[..2],
        [
            "Untagged: hello:1",
            "Untagged: registry.example/team/hello:2"
        ]
    );
    assert_eq!(recs[2], format!("Deleted: {img}"));
    check_err(
        e.tag_image("nothere", "x"),
        "",
        "",
        "No such image: nothere:latest",
    );
    check_err(
        e.tag_image(NODE, "Upper:case"),
        "",
        "",
        "invalid reference format: repository name (library/Upper) must be lowercase",
    );
}

#[test]
fn prune_removes_dangling_then_unused_images_and_stopped_containers() {
    let (mut e, img) = setup();
    // w2 runs from the first hello:1 image, then hello:1 is re-tagged onto another commit
    // of node: the first image is left dangling (untagged, no child image).
    run(&mut e, "w2", "hello:1", false, &["true"]);
    run(
        &mut e,
        "w3",
        NODE,
        false,
        &["sh", "-c", "echo hi > /other.txt"],
    );
    let second = commit(&mut e, "w3", "hello:1");
    assert!(e.images.tags_of(&img).is_empty());
    assert!(e.images.children(&img).is_empty());
    // The stopped w2 uses the dangling image: a soft conflict, so prune skips it.
    let report = e.prune_images(false);
    assert!(
        report.images_deleted.is_empty(),
        "{:?}",
        report.images_deleted
    );
    // container prune removes w2 and w3 and reports their writable layers (3 bytes).
    let pruned = e.prune_containers();
    assert_eq!(pruned.containers_deleted.len(), 2);
    assert_eq!(pruned.space_reclaimed, 3);
    // Now the dangling image goes, with its own layer (5 bytes).
    let report = e.prune_images(false);
    assert_eq!(
        e.images.get(&second).unwrap().chain.len(),
        5,
        "node's 4 layers + 1"
    );
    let recs = records(&report.images_deleted);
    assert_eq!(recs.len(), 2, "{recs:?}");
    assert_eq!(recs[0], format!("Deleted: {img}"));
    assert_eq!(report.space_reclaimed, 5);
    assert!(e.images.contains(&second));
    // prune -a: every image without a container goes; a running container keeps its image.
    run(&mut e, "keep", "hello:1", true, &["sleep", "infinity"]);
    let node_digest = e.images.resolve(NODE).unwrap().repo_digests[0].clone();
    let report = e.prune_images(true);
    // node is only untagged: it stays as hello:1's parent, and hello:1 is in use.
    assert_eq!(
        records(&report.images_deleted),
        vec![
            format!("Untagged: {NODE}"),
            format!("Untagged: {node_digest}")
        ]
    );
    assert_eq!(report.space_reclaimed, 0);
    e.remove_container("keep", true, false).unwrap();
    let report = e.prune_images(true);
    let recs = records(&report.images_deleted);
    assert!(recs.contains(&format!("Deleted: {second}")), "{recs:?}");
    assert!(
        e.images.is_empty(),
        "the untagged-by-prune parent went too: {recs:?}"
    );
    assert!(e.layers.is_empty());
}

#[test]
fn commit_of_an_unchanged_container_adds_an_empty_layer_entry() {
    let mut e = Engine::new();
    run(&mut e, "idle", ALPINE, false, &["true"]);
    let id = e
        .commit_container(&CommitConfig {
            container: "idle".into(),
            reference: Some("idle:1".into()),
            message: Some("nothing changed".into()),
            author: Some("Sven".into()),
            changes: argv(&["CMD [\"echo\", \"hi\"]", "ENV MODE=dev", "EXPOSE 8080"]),
            ..CommitConfig::default()
        })
        .unwrap();
    let img = e.images.get(&id).unwrap();
    let base = e.images.resolve(ALPINE).unwrap();
    assert_eq!(img.chain, base.chain, "no new layer");
    assert_eq!(img.size, base.size);
    let h = img.image.history.last().unwrap();
    assert!(h.empty_layer);
    assert_eq!(h.created_by, "true");
    assert_eq!(h.comment.as_deref(), Some("nothing changed"));
    assert_eq!(h.author.as_deref(), Some("Sven"));
    assert_eq!(img.image.author.as_deref(), Some("Sven"));
    assert_eq!(img.image.config.cmd, Some(argv(&["echo", "hi"])));
    assert_eq!(img.image.config.env_get("MODE"), Some("dev"));
    assert!(img.image.config.exposed_ports.contains_key("8080/tcp"));
    let bad = e.commit_container(&CommitConfig {
        container: "idle".into(),
        changes: argv(&["RUN echo hi"]),
        ..CommitConfig::default()
    });
    check_err(bad, "", "", "run is not a valid change command");
}
