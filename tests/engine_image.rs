//! Image ids (sha256 of the canonical config JSON), the config field names Docker uses, and
//! reference resolution in the image store.
#![allow(clippy::unwrap_used)]

use dockerfile_playground::engine::image::{
    format_rfc3339, History, Image, ImageConfig, ImageStore,
};
use dockerfile_playground::engine::layers::{Digest, EMPTY_LAYER_DIFF_ID};

fn sample() -> Image {
    let mut config = ImageConfig::default();
    config.env_set(
        "PATH",
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    );
    config.cmd = Some(vec!["/bin/sh".into()]);
    config.working_dir = "/app".into();
    config
        .exposed_ports
        .insert("80/tcp".into(), Default::default());
    Image::new(
        format_rfc3339(1_618_427_979),
        config,
        vec![Digest::parse(EMPTY_LAYER_DIFF_ID).unwrap()],
        vec![
            History {
                created: format_rfc3339(1_618_427_979),
                created_by: "WORKDIR /app".into(),
                comment: Some("buildkit.dockerfile.v0".into()),
                ..Default::default()
            },
            History {
                created: format_rfc3339(1_618_427_979),
                created_by: "EXPOSE map[80/tcp:{}]".into(),
                comment: Some("buildkit.dockerfile.v0".into()),
                empty_layer: true,
                ..Default::default()
            },
        ],
        None,
    )
}

#[test]
fn the_image_id_is_the_sha256_of_the_config_bytes() {
    let img = sample();
    let json = img.config_json();
    assert_eq!(
        json,
        concat!(
            r#"{"architecture":"amd64","config":{"Cmd":["/bin/sh"],"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"#,
            r#""ExposedPorts":{"80/tcp":{}},"WorkingDir":"/app"},"created":"2021-04-14T19:19:39Z","#,
            r#""history":[{"comment":"buildkit.dockerfile.v0","created":"2021-04-14T19:19:39Z","created_by":"WORKDIR /app"},"#,
            r#"{"comment":"buildkit.dockerfile.v0","created":"2021-04-14T19:19:39Z","created_by":"EXPOSE map[80/tcp:{}]","empty_layer":true}],"#,
            r#""os":"linux","rootfs":{"diff_ids":["sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"],"type":"layers"}}"#
        )
    );
    assert_eq!(img.id, Digest::sha256(json.as_bytes()));
    // Computed independently with Python: json.dumps(sort_keys=True, separators=(",", ":")) gives the same bytes, hashlib.sha256 this digest.
    assert_eq!(
        img.id.as_str(),
        "sha256:954b9ac57b5d954c89a44847dde85f14daebb688dbee980a9d22df26c0e49361"
    );
    // Any change gives a new id.
    let mut other = sample();
    other.config.labels.insert("a".into(), "b".into());
    other.recompute_id();
    assert_ne!(other.id, img.id);
}

#[test]
fn env_set_replaces_in_place() {
    let mut c = ImageConfig::default();
    c.env_set("A", "1");
    c.env_set("B", "2");
    c.env_set("A", "3");
    assert_eq!(c.env, ["A=3", "B=2"]);
    assert_eq!(c.env_get("B"), Some("2"));
    assert_eq!(c.env_get("C"), None);
}

fn check(store: &ImageStore, input: &str, expected: &str) {
    let got = match store.resolve(input) {
        Ok(img) => store.tags_of(&img.image.id).join(","),
        Err(e) => format!("error: {e}"),
    };
    assert_eq!(got, expected, "resolve {input}");
}

#[test]
fn references_resolve_like_the_daemon() {
    let mut store = ImageStore::new();
    let a = sample();
    let mut b = sample();
    b.config.user = "node".into();
    b.recompute_id();
    let ida = store.insert(a.clone(), 0);
    let idb = store.insert(b.clone(), 0);
    store.tag(&ida, "alpine:3.13").unwrap();
    store.tag(&ida, "alpine").unwrap();
    store.tag(&idb, "docker.io/library/myapp:v1").unwrap();
    let digest = "sha256:def822f9851ca422481ec6fee59a9966f12b351c62ccb9aca841526ffaa9f748";
    store.add_repo_digest(&ida, &format!("alpine@{digest}"));
    let short_a = &ida.hex()[..12];
    for (input, expected) in [
        ("alpine", "alpine:3.13,alpine:latest"),
        ("alpine:latest", "alpine:3.13,alpine:latest"),
        ("library/alpine:3.13", "alpine:3.13,alpine:latest"),
        ("myapp:v1", "myapp:v1"),
        ("myapp", "error: No such image: myapp"),
        (
            "Alpine",
            "error: invalid reference format: repository name (library/Alpine) must be lowercase",
        ),
        (&format!("alpine@{digest}"), "alpine:3.13,alpine:latest"),
        (short_a, "alpine:3.13,alpine:latest"),
        (ida.as_str(), "alpine:3.13,alpine:latest"),
    ] {
        check(&store, input, expected);
    }
    // Moving a tag returns the image that lost it.
    assert_eq!(store.tag(&idb, "alpine:latest").unwrap(), Some(ida.clone()));
    check(&store, "alpine", "alpine:latest,myapp:v1");
    assert_eq!(store.untag("myapp:v1").unwrap(), idb);
    assert!(store.remove(&ida).is_some());
    check(&store, "alpine:3.13", "error: No such image: alpine:3.13");
}

#[test]
fn history_ids_follow_the_parent_chain_like_legacy_builds() {
    // base (pulled, 2 entries) <- mid (legacy intermediate, 3 entries) <- top (4 entries).
    // The daemon walks the parent chain one row per image from the newest row.
    let mut store = ImageStore::new();
    let h = |s: &str| History {
        created: "2021-04-14T19:19:39Z".into(),
        created_by: s.into(),
        empty_layer: true,
        ..Default::default()
    };
    let base = Image::new(
        "t".into(),
        ImageConfig::default(),
        vec![],
        vec![h("a"), h("b")],
        None,
    );
    let mid = Image::new(
        "t".into(),
        ImageConfig::default(),
        vec![],
        vec![h("a"), h("b"), h("c")],
        Some(base.id.clone()),
    );
    let top = Image::new(
        "t".into(),
        ImageConfig::default(),
        vec![],
        vec![h("a"), h("b"), h("c"), h("d")],
        Some(mid.id.clone()),
    );
    store.insert(base.clone(), 0);
    store.insert(mid.clone(), 0);
    store.insert(top.clone(), 0);
    // The pulled base has no parent: the walk stops after its newest row.
    assert_eq!(
        store.history_ids(&top.id),
        [
            None,
            Some(base.id.clone()),
            Some(mid.id.clone()),
            Some(top.id.clone())
        ]
    );
    // A BuildKit image (no parent): only the top row.
    let bk = Image::new(
        "t".into(),
        ImageConfig::default(),
        vec![],
        vec![h("a"), h("b")],
        None,
    );
    store.insert(bk.clone(), 0);
    assert_eq!(store.history_ids(&bk.id), [None, Some(bk.id.clone())]);
}
