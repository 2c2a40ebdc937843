//! The catalog against the real figures in ../shared/data/base-images.json: digests, ids,
//! layer counts and compressed sizes, history, config; estimated layer sizes that add up to
//! the published virtual sizes; trees that add up to their layers; the shared alpine base
//! layer stored once; the tag table.
#![allow(clippy::unwrap_used)]

use dockerfile_playground::engine::catalog::{
    catalog, install_stand_in, BaseImage, CatalogError, STAND_IN_LABEL,
};
use dockerfile_playground::engine::image::{ImageStore, Reference};
use dockerfile_playground::engine::layers::{
    DiffIdOrigin, Digest, LayerStore, EMPTY_LAYER_DIFF_ID,
};
use dockerfile_playground::engine::vfs::OverlayView;
use serde_json::Value;

fn shared() -> Value {
    let text = std::fs::read_to_string("../shared/data/base-images.json").unwrap();
    serde_json::from_str(&text).unwrap()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap()
}

#[test]
fn the_catalog_loads_without_errors() {
    assert_eq!(catalog().load_error(), None);
    assert_eq!(catalog().images().len(), 18);
}

#[test]
fn catalog_figures_equal_base_images_json() {
    let data = shared();
    let images = data["images"].as_array().unwrap();
    assert_eq!(images.len(), catalog().images().len());
    for im in images {
        let r = s(&im["ref"]);
        let c = catalog().image(r).unwrap_or_else(|| panic!("{r} missing"));
        assert_eq!(c.image_id.as_str(), s(&im["image_id"]), "{r} image id");
        assert_eq!(
            c.index_digest.as_str(),
            s(&im["index_digest"]),
            "{r} index digest"
        );
        assert_eq!(
            c.manifest_digest.as_str(),
            s(&im["manifest_digest"]),
            "{r} manifest digest"
        );
        assert_eq!(
            c.compressed_size,
            im["compressed_size"].as_u64().unwrap(),
            "{r}"
        );
        let layers = im["layers"].as_array().unwrap();
        assert_eq!(c.layers.len(), layers.len(), "{r} layer count");
        let mut sum = 0;
        for (blob, l) in c.layers.iter().zip(layers) {
            assert_eq!(blob.as_str(), s(&l["digest"]), "{r} layer digest");
            let cl = catalog().layer(blob).unwrap();
            assert_eq!(
                cl.compressed_size,
                l["compressed_size"].as_u64().unwrap(),
                "{r}"
            );
            sum += cl.compressed_size;
        }
        assert_eq!(sum, c.compressed_size, "{r} compressed sizes add up");
        let history = im["history"].as_array().unwrap();
        assert_eq!(c.history.len(), history.len(), "{r} history length");
        for (h, want) in c.history.iter().zip(history) {
            assert_eq!(h.created, s(&want["created"]));
            assert_eq!(
                h.empty_layer,
                want["empty_layer"].as_bool().unwrap(),
                "{r} {}",
                h.created_by
            );
            if let Some(raw) = want["created_by_reconstructed"].as_str() {
                assert_eq!(h.created_by, raw);
            }
        }
        // rootfs: one DiffID per non-empty history entry.
        let img = c.to_image(catalog());
        assert_eq!(
            img.history.iter().filter(|h| !h.empty_layer).count(),
            img.rootfs.diff_ids.len(),
            "{r}"
        );
        let env: Vec<&str> = im["config"]["Env"]
            .as_array()
            .unwrap()
            .iter()
            .map(s)
            .collect();
        assert_eq!(c.config.env, env, "{r} Env");
        let cmd: Option<Vec<&str>> = im["config"]["Cmd"]
            .as_array()
            .map(|a| a.iter().map(s).collect());
        assert_eq!(
            c.config
                .cmd
                .as_ref()
                .map(|v| v.iter().map(String::as_str).collect()),
            cmd
        );
    }
}

#[test]
fn estimated_sizes_add_up_to_the_virtual_sizes_and_trees_to_their_layers() {
    let data = shared();
    for im in data["images"].as_array().unwrap() {
        let r = s(&im["ref"]);
        let c = catalog().image(r).unwrap();
        let total: u64 = c
            .layers
            .iter()
            .map(|b| catalog().layer(b).unwrap().size)
            .sum();
        assert_eq!(total, c.virtual_size.bytes, "{r}");
        if let Some(v) = im["virtual_size"]["bytes_approx"].as_u64() {
            assert_eq!(
                total, v,
                "{r}: layer estimates add up to the published virtual size"
            );
        }
        for blob in &c.layers {
            let l = catalog().layer(blob).unwrap();
            let tree = catalog().layer_tree(blob).unwrap();
            assert_eq!(catalog().layer_tree_errors(blob), Some(0), "{r} {blob}");
            assert_eq!(
                tree.size(),
                l.size,
                "{r} {blob}: tree sums to the layer size"
            );
            assert_eq!(l.size_estimated, !l.empty_gzip);
        }
    }
}

#[test]
fn alpine_and_node_share_their_first_layer_stored_once() {
    let mut layers = LayerStore::new();
    let mut images = ImageStore::new();
    let a = catalog()
        .pull("alpine:3.13", &mut layers, &mut images)
        .unwrap();
    let n = catalog()
        .pull("node:14.16.1-alpine3.13", &mut layers, &mut images)
        .unwrap();
    assert_eq!(a.resolved, "alpine:3.13.5");
    assert_eq!(
        a.layers[0].blob.as_str(),
        "sha256:540db60ca9383eac9e418f78490994d0af424aab7bf6d0e47ac8ed4e2e9bcbba"
    );
    assert_eq!(a.layers[0].blob, n.layers[0].blob);
    assert_eq!(a.layers[0].chain_id, n.layers[0].chain_id, "same ChainID");
    assert!(!a.layers[0].already_exists);
    assert!(
        n.layers[0].already_exists,
        "docker pull says: Already exists"
    );
    assert_eq!(n.layers[0].compressed_size, 2_811_969);
    let added: Vec<u64> = n.layers[1..].iter().map(|l| l.compressed_size).collect();
    assert_eq!(added, [35_911_860, 2_363_433, 281]);
    assert_eq!(layers.len(), 4, "1 shared + 3 node layers");
    assert_eq!(layers.ref_count(&a.layers[0].chain_id), 2);
    let base = layers.get(&a.layers[0].chain_id).unwrap();
    assert_eq!(base.diff_id_origin, DiffIdOrigin::Synthetic);
    assert_eq!(base.size, 5_610_000);
    assert!(base.size_estimated);
    // docker system df -v: the base layer is shared by both images.
    assert_eq!(images.shared_size(&a.image_id, &layers), 5_610_000);
    assert_eq!(images.shared_size(&n.image_id, &layers), 5_610_000);
    assert_eq!(images.get(&n.image_id).unwrap().size, 116_630_000);
    assert_eq!(
        images.get(&a.image_id).unwrap().image.id.as_str(),
        "sha256:6dbb9cc54074106d46d4ccb330f2a40a682d49dda5f4844962b7dce9fe44aaec"
    );
    // docker system df: each layer once.
    assert_eq!(images.layers_size(&layers), 116_630_000);
    // docker history: one size per history entry, 0 for empty_layer entries.
    let sizes = images.history_sizes(&n.image_id, &layers);
    let empties: Vec<bool> = images
        .get(&n.image_id)
        .unwrap()
        .image
        .history
        .iter()
        .map(|h| h.empty_layer)
        .collect();
    assert_eq!(sizes.len(), 9);
    assert_eq!(sizes[0], 5_610_000);
    for (size, empty) in sizes.iter().zip(&empties) {
        assert_eq!(*size == 0, *empty);
    }
    assert_eq!(sizes.iter().sum::<u64>(), 116_630_000);
    // Only the top row of a pulled image has an id.
    let ids = images.history_ids(&n.image_id);
    assert_eq!(ids.iter().filter(|i| i.is_some()).count(), 1);
    // Pulling again only adds a tag.
    let again = catalog()
        .pull("alpine:3.13.5", &mut layers, &mut images)
        .unwrap();
    assert!(!again.newly_stored);
    assert_eq!(layers.ref_count(&a.layers[0].chain_id), 2);
    let tags = images.tags_of(&a.image_id);
    assert_eq!(tags, ["alpine:3.13", "alpine:3.13.5"]);
    assert_eq!(
        images.get(&a.image_id).unwrap().repo_digests,
        ["alpine@sha256:f51ff2d96627690d62fee79e6eecd9fa87429a38142b5df8a3bfbb26061df7fc"]
    );
}

fn check(input: &str, expected: &str) {
    let got = match catalog().lookup(input) {
        Ok(im) => im.reference.clone(),
        Err(CatalogError::NotInCatalog {
            repository_tags, ..
        }) => {
            format!(
                "not in catalog ({} tags of the repository)",
                repository_tags.len()
            )
        }
        Err(e) => format!("error: {e}"),
    };
    assert_eq!(got, expected, "{input}");
}

#[test]
fn tags_resolve_through_the_alias_table() {
    for (input, expected) in [
        ("alpine", "alpine:3.24.2"),
        ("alpine:latest", "alpine:3.24.2"),
        ("docker.io/library/alpine:3", "alpine:3.24.2"),
        ("alpine:3.13", "alpine:3.13.5"),
        ("alpine:3.13.5", "alpine:3.13.5"),
        ("alpine:3.18", "alpine:3.18.3"),
        ("alpine:3.20", "alpine:3.20.8"),
        ("node:14.16.1-alpine3.13", "node:14.16.1-alpine3.13"),
        ("node:14-alpine", "node:14.16.1-alpine3.13"),
        ("node:20-alpine", "node:20.20.1-alpine3.23"),
        ("golang:1.16", "golang:1.16.7-buster"),
        ("golang:1.22", "golang:1.22.11-bookworm"),
        ("debian:bookworm-slim", "debian:bookworm-slim"),
        ("ubuntu:jammy", "ubuntu:22.04"),
        ("busybox", "busybox:1.38.0"),
        ("hello-world", "hello-world:latest"),
        ("nginx", "nginx:1.31.3"),
        ("nginx:alpine", "nginx:1.19.9-alpine"),
        ("python:3.12-slim", "python:3.12.13-slim-trixie"),
        ("redis:alpine", "redis:8.10.2-alpine"),
        ("httpd:alpine", "httpd:2.4.68-alpine"),
        (
            "alpine@sha256:f51ff2d96627690d62fee79e6eecd9fa87429a38142b5df8a3bfbb26061df7fc",
            "alpine:3.13.5",
        ),
        ("node:14", "not in catalog (14 tags of the repository)"),
        ("postgres:16", "not in catalog (0 tags of the repository)"),
        (
            "Alpine",
            "error: invalid reference format: repository name (library/Alpine) must be lowercase",
        ),
    ] {
        check(input, expected);
    }
    let err = catalog().lookup("ghcr.io/acme/app:1").unwrap_err();
    assert!(err.to_string().contains("ghcr.io"), "{err}");
    assert!(catalog()
        .lookup("postgres:16")
        .unwrap_err()
        .to_string()
        .contains("alpine:3.13.5"));
    assert!(matches!(
        catalog().resolve_base("scratch"),
        Ok(BaseImage::Scratch)
    ));
}

fn view_of(reference: &str) -> OverlayView {
    let mut layers = LayerStore::new();
    let mut images = ImageStore::new();
    let p = catalog().pull(reference, &mut layers, &mut images).unwrap();
    layers.view(p.top.as_ref()).unwrap()
}

fn text(view: &OverlayView, path: &str) -> String {
    String::from_utf8(view.read(path).unwrap().bytes().unwrap().to_vec()).unwrap()
}

#[test]
fn base_trees_hold_the_files_tutorials_touch() {
    let alpine = view_of("alpine:3.13");
    assert!(text(&alpine, "/etc/os-release").contains("VERSION_ID=3.13.5"));
    assert_eq!(text(&alpine, "/etc/alpine-release"), "3.13.5\n");
    assert!(text(&alpine, "/etc/passwd").starts_with("root:x:0:0:root:/root:/bin/ash\n"));
    assert!(text(&alpine, "/etc/group").contains("\nwww-data:x:82:\n"));
    assert_eq!(alpine.realpath("/bin/sh").unwrap(), "/bin/busybox");
    assert!(text(&alpine, "/lib/apk/db/installed").contains("P:musl\nV:1.2.2-r0\n"));

    let node = view_of("node:14-alpine");
    assert!(
        text(&node, "/etc/passwd").ends_with("node:x:1000:1000:Linux User,,,:/home/node:/bin/sh\n")
    );
    assert!(node.stat("/usr/local/bin/node").unwrap().size > 50_000_000);
    assert_eq!(
        node.realpath("/usr/local/bin/yarn").unwrap(),
        "/opt/yarn-v1.22.5/bin/yarn"
    );
    assert!(node.stat("/usr/local/bin/docker-entrypoint.sh").is_ok());
    assert!(text(&node, "/lib/apk/db/installed").contains("P:libstdc++\n"));

    let go = view_of("golang:1.16");
    assert_eq!(text(&go, "/usr/local/go/VERSION"), "go1.16.7\n");
    assert_eq!(text(&go, "/etc/debian_version"), "10.10\n");
    assert_eq!(go.stat("/go").unwrap().mode, 0o777);
    assert!(text(&go, "/etc/os-release").contains("VERSION_CODENAME=buster"));

    let slim = view_of("debian:bookworm-slim");
    assert_eq!(slim.realpath("/bin/sh").unwrap(), "/usr/bin/dash");
    assert!(text(&slim, "/var/lib/dpkg/status").contains("Package: apt\n"));
    assert!(text(&slim, "/etc/passwd").contains("_apt:x:42:65534"));

    let bb = view_of("busybox");
    let st = bb.stat("/bin/ls").unwrap();
    assert_eq!(st.size, bb.stat("/bin/busybox").unwrap().size);
    assert!(st.link.is_some(), "applets are hard links");

    let hello = view_of("hello-world");
    assert_eq!(hello.stat("/hello").unwrap().size, 10_070);
}

#[test]
fn layer_identities_follow_the_data() {
    let mut layers = LayerStore::new();
    let mut images = ImageStore::new();
    let p = catalog()
        .pull("golang:1.22", &mut layers, &mut images)
        .unwrap();
    let top = layers.get(p.top.as_ref().unwrap()).unwrap();
    assert_eq!(
        top.diff_id.as_str(),
        EMPTY_LAYER_DIFF_ID,
        "WORKDIR's 32-byte empty layer"
    );
    assert_eq!(top.diff_id_origin, DiffIdOrigin::Known);
    assert_eq!(top.size, 0);
    assert_eq!(top.blob.as_ref().unwrap().compressed_size, 32);
    let c = catalog().image("golang:1.22.11-bookworm").unwrap();
    assert_eq!(c.history.last().unwrap().created_by, "WORKDIR /go");
    assert_eq!(
        c.history.last().unwrap().comment.as_deref(),
        Some("buildkit.dockerfile.v0")
    );
    let legacy = catalog().image("node:14.16.1-alpine3.13").unwrap();
    assert_eq!(
        legacy.history[1].created_by,
        "/bin/sh -c #(nop)  CMD [\"/bin/sh\"]"
    );
    assert_eq!(legacy.history[1].comment, None);
    // Pull by digest leaves no tag.
    let by_digest = catalog()
        .pull(
            "alpine@sha256:f51ff2d96627690d62fee79e6eecd9fa87429a38142b5df8a3bfbb26061df7fc",
            &mut layers,
            &mut images,
        )
        .unwrap();
    assert!(images.tags_of(&by_digest.image_id).is_empty());
}

#[test]
fn a_missing_image_gets_a_labelled_stand_in() {
    let mut layers = LayerStore::new();
    let mut images = ImageStore::new();
    let r = Reference::parse("postgres:16").unwrap();
    let p = install_stand_in(&r, 1_700_000_000, &mut layers, &mut images).unwrap();
    let img = images.resolve("postgres:16").unwrap();
    assert_eq!(
        img.image
            .config
            .labels
            .get(STAND_IN_LABEL)
            .map(String::as_str),
        Some("postgres:16")
    );
    let view = layers.view(p.top.as_ref()).unwrap();
    assert!(text(&view, "/etc/os-release").contains("Stand-in for postgres:16"));
    assert_eq!(view.realpath("/bin/sh").unwrap(), "/bin/busybox");
    assert_eq!(
        img.image.id,
        Digest::sha256(img.image.config_json().as_bytes())
    );
}
