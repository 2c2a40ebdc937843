//! What a build starts from when the catalog cannot help: `scratch`, and a small, clearly
//! labelled synthetic stand-in for an image the catalog does not have (so a build can go on;
//! the builder reports a diagnostic).

use crate::engine::image::{format_rfc3339, History, Image, ImageConfig, Reference};
use crate::engine::vfs::{Content, Entry, Layer, LayerBuilder, Meta, Time};
use std::sync::Arc;

/// `PATH` of a FROM-scratch stage under BuildKit (and of most official images).
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The `ID=` of a stand-in's `/etc/os-release` (the RUN interpreter recognises stand-ins by
/// it: what they ship is unknown).
pub const STAND_IN_OS_ID: &str = "stand-in";

/// Label put on stand-in images so `docker inspect` shows what they are.
pub const STAND_IN_LABEL: &str = "org.dockerfile-playground.stand-in";

/// The config a `FROM scratch` stage starts with: BuildKit sets the default `PATH` (and the
/// working directory `/`, which is the default anyway); the legacy builder starts empty.
pub fn scratch_config(buildkit: bool) -> ImageConfig {
    let mut c = ImageConfig::default();
    if buildkit {
        c.env_set("PATH", DEFAULT_PATH);
    }
    c
}

/// A synthetic one-layer image standing in for `reference`: a shell (`/bin/sh` → a
/// size-only busybox), `/etc/os-release` naming it a stand-in, root and nobody users,
/// `PATH` and `CMD ["/bin/sh"]`, a label and a history entry that say it is not the real
/// image. Its id is the digest of its config like a built image's.
#[derive(Debug, Clone)]
pub struct StandIn {
    pub image: Image,
    pub layer: Arc<Layer>,
}

pub fn stand_in(reference: &Reference, created: Time) -> StandIn {
    let name = reference.familiar();
    let meta = |mode| Meta::new(mode, 0, 0, created);
    let text = |s: String| Content::from_bytes(s.as_bytes());
    let mut b = LayerBuilder::new(Meta::root_dir(created));
    let rows: Vec<(&str, Entry)> = vec![
        ("/bin/busybox", Entry::file(Content::sized_at("/bin/busybox", 1_000_000), meta(0o755))),
        ("/bin/sh", Entry::symlink("/bin/busybox", meta(0o777))),
        (
            "/etc/os-release",
            Entry::file(
                text(format!(
                    "NAME=\"Playground stand-in\"\nID={STAND_IN_OS_ID}\nPRETTY_NAME=\"Stand-in for {name} (not in the catalog)\"\n"
                )),
                meta(0o644),
            ),
        ),
        (
            "/etc/passwd",
            Entry::file(
                text("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n".into()),
                meta(0o644),
            ),
        ),
        ("/etc/group", Entry::file(text("root:x:0:root\nnogroup:x:65533:\nnobody:x:65534:\n".into()), meta(0o644))),
        ("/root", Entry::dir(meta(0o700))),
        ("/tmp", Entry::dir(meta(0o1777))),
        ("/usr/local/bin", Entry::dir(meta(0o755))),
        ("/var", Entry::dir(meta(0o755))),
    ];
    for (path, e) in rows {
        // The rows above are static and valid; an error would only drop that entry.
        let _ = b.insert(path, e);
    }
    let layer = Arc::new(b.build());
    let diff_id = crate::engine::layers::diff_id(&layer);
    let mut config = ImageConfig::default();
    config.env_set("PATH", DEFAULT_PATH);
    config.cmd = Some(vec!["/bin/sh".to_string()]);
    config
        .labels
        .insert(STAND_IN_LABEL.to_string(), name.clone());
    let when = format_rfc3339(created);
    let history = vec![History {
        created: when.clone(),
        created_by: format!("ADD stand-in-rootfs / # not the real {name}"),
        comment: Some("dockerfile-playground stand-in".to_string()),
        ..Default::default()
    }];
    let image = Image::new(when, config, vec![diff_id], history, None);
    StandIn { image, layer }
}
