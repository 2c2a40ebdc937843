//! The overlay filesystem against Docker's layer rules (docs/docker-semantics.md §2.2, §4, §5):
//! copy-up stores whole files, deletions are whiteouts that never shrink the image, a
//! re-created directory is opaque, sizes count hard links once and directories as 0.
#![allow(clippy::unwrap_used)]

use dockerfile_playground::engine::vfs::{
    diff_views, layer_changes, Content, Entry, Errno, Layer, LayerBuilder, Meta, Node, OverlayView,
    WriteMode,
};
use std::sync::Arc;

/// Runs one shell-like operation on the view. An op prefixed with `!ERRNO ` must fail with
/// that errno.
fn apply(view: &mut OverlayView, op: &str) {
    let (expect_err, op) = match op.strip_prefix('!') {
        Some(rest) => {
            let (e, op) = rest.split_once(' ').unwrap();
            (Some(e), op)
        }
        None => (None, op),
    };
    let w: Vec<&str> = op.splitn(3, ' ').collect();
    let r = match (w[0], w.get(1).copied(), w.get(2).copied()) {
        ("write", Some(p), t) => {
            view.write_bytes(p, t.unwrap_or("").as_bytes(), WriteMode::Truncate)
        }
        ("append", Some(p), Some(t)) => view.write_bytes(p, t.as_bytes(), WriteMode::Append),
        ("sized", Some(p), Some(n)) => view.write(
            p,
            Content::sized_at(p, n.parse().unwrap()),
            WriteMode::Truncate,
        ),
        ("mkdir", Some("-p"), Some(p)) => view.mkdir_all(p, 0o755),
        ("mkdir", Some(p), None) => view.mkdir(p, 0o777),
        ("rm", Some("-r"), Some(p)) => view.remove_all(p),
        ("rm", Some(p), None) => view.remove_file(p),
        ("rmdir", Some(p), None) => view.remove_dir(p),
        ("symlink", Some(t), Some(l)) => view.symlink(t, l),
        ("link", Some(a), Some(b)) => view.hard_link(a, b),
        ("mv", Some(a), Some(b)) => view.rename(a, b),
        ("chmod", Some(m), Some(p)) => view.chmod(p, u32::from_str_radix(m, 8).unwrap()),
        ("chown", Some(ug), Some(p)) => {
            let (u, g) = ug.split_once(':').unwrap();
            view.chown(p, u.parse().unwrap(), g.parse().unwrap(), true)
        }
        ("as", Some(ug), None) => {
            let (u, g) = ug.split_once(':').unwrap();
            view.set_identity(u.parse().unwrap(), g.parse().unwrap());
            Ok(())
        }
        ("time", Some(t), None) => {
            view.set_time(t.parse().unwrap());
            Ok(())
        }
        ("read", Some(p), Some(want)) => view.read(p).map(|c| {
            assert_eq!(
                String::from_utf8_lossy(c.bytes().unwrap()),
                want,
                "read {p}"
            )
        }),
        ("cat", Some(p), None) => view.read(p).map(|_| ()),
        ("stat", Some(p), None) => view.stat(p).map(|_| ()),
        ("ls", Some(p), Some(want)) => view.list(p).map(|l| {
            let names: Vec<String> = l.into_iter().map(|d| d.name).collect();
            assert_eq!(names.join(","), want, "ls {p}")
        }),
        ("realpath", Some(p), Some(want)) => view.realpath(p).map(|r| assert_eq!(r, want)),
        _ => panic!("unknown op {op}"),
    };
    match (expect_err, r) {
        (None, Ok(())) => {}
        (None, Err(e)) => panic!("{op}: unexpected error {e} ({})", e.errno.name()),
        (Some(want), Ok(())) => panic!("{op}: expected {want}, got success"),
        (Some(want), Err(e)) => assert_eq!(e.errno.name(), want, "{op}"),
    }
}

/// One line per layer entry: `f path size`, `d path`, `D path` (opaque), `l path -> target`,
/// `w path` (whiteout), `h path size #link`.
fn listing(layer: &Layer) -> Vec<String> {
    layer
        .entries()
        .map(|(k, e)| match &e.node {
            Node::File {
                content,
                link: None,
            } => format!("f /{k} {}", content.len()),
            Node::File {
                content,
                link: Some(_),
            } => format!("h /{k} {}", content.len()),
            Node::Dir { opaque: false } => format!("d /{k}"),
            Node::Dir { opaque: true } => format!("D /{k}"),
            Node::Symlink { target } => format!("l /{k} -> {target}"),
            Node::Whiteout => format!("w /{k}"),
        })
        .collect()
}

fn base_layer(files: &[(&str, &str)]) -> Arc<Layer> {
    let mut b = LayerBuilder::new(Meta::root_dir(100));
    for (p, text) in files {
        let entry = if let Some(n) = text.strip_prefix("size:") {
            Entry::file(
                Content::sized_at(p, n.parse().unwrap()),
                Meta::new(0o644, 0, 0, 100),
            )
        } else if let Some(t) = text.strip_prefix("->") {
            Entry::symlink(t, Meta::new(0o777, 0, 0, 100))
        } else if *text == "dir" {
            Entry::dir(Meta::root_dir(100))
        } else {
            Entry::file(
                Content::from_bytes(text.as_bytes()),
                Meta::new(0o644, 0, 0, 100),
            )
        };
        b.insert(p, entry).unwrap();
    }
    Arc::new(b.build())
}

/// Applies `ops` over a base layer made of `base`, commits, and compares the new layer's
/// entries and size, and the merged image size (base + new).
fn check(base: &[(&str, &str)], ops: &[&str], want_layer: &[&str], want_size: u64) {
    let base = base_layer(base);
    let mut view = OverlayView::new(vec![base.clone()]);
    view.set_time(200);
    for op in ops {
        apply(&mut view, op);
    }
    let layer = view.commit();
    assert_eq!(listing(&layer), want_layer, "ops: {ops:?}");
    assert_eq!(layer.size(), want_size, "layer size, ops: {ops:?}");
}

#[test]
fn append_copies_the_whole_file_up() {
    // 5-byte file, append 20 bytes in a new layer: the new layer holds all 25 bytes.
    check(
        &[("/data.txt", "hello")],
        &[
            "append /data.txt 01234567890123456789",
            "read /data.txt hello01234567890123456789",
        ],
        &["f /data.txt 25"],
        25,
    );
}

#[test]
fn metadata_change_stores_the_file_again() {
    check(
        &[("/opt/big.bin", "size:10000000")],
        &["chmod 755 /opt/big.bin"],
        &["d /opt", "f /opt/big.bin 10000000"],
        10_000_000,
    );
    check(
        &[("/opt/big.bin", "size:10000000")],
        &["chown 1000:1000 /opt/big.bin"],
        &["d /opt", "f /opt/big.bin 10000000"],
        10_000_000,
    );
}

#[test]
fn deletion_is_a_whiteout_and_never_shrinks_the_image() {
    let base = base_layer(&[("/opt/big.bin", "size:10000000"), ("/opt/keep", "k")]);
    let mut view = OverlayView::new(vec![base.clone()]);
    apply(&mut view, "rm /opt/big.bin");
    apply(&mut view, "!ENOENT stat /opt/big.bin");
    apply(&mut view, "ls /opt keep");
    let layer = view.commit();
    assert_eq!(listing(&layer), ["d /opt", "w /opt/big.bin"]);
    assert_eq!(layer.size(), 0);
    // Image size = sum of layer sizes: unchanged by the deletion.
    assert_eq!(base.size() + layer.size(), 10_000_001);
    let changes = layer_changes(&layer, &[base]);
    let text: Vec<String> = changes
        .iter()
        .map(|c| format!("{} {} {}", c.kind.letter(), c.path, c.size))
        .collect();
    assert_eq!(text, ["C /opt 0", "D /opt/big.bin 10000000"]);
}

#[test]
fn delete_and_recreate_gives_an_opaque_directory() {
    check(
        &[("/app/a", "a"), ("/app/b", "b")],
        &["rm -r /app", "mkdir /app", "write /app/c cc", "ls /app c"],
        &["D /app", "f /app/c 2"],
        2,
    );
    // A directory created where nothing was is not opaque.
    check(&[], &["mkdir -p /x/y"], &["d /x", "d /x/y"], 0);
}

#[test]
fn removing_what_this_layer_created_leaves_no_trace_but_the_parent() {
    check(
        &[("/tmp", "dir")],
        &["write /tmp/x 12345", "rm /tmp/x"],
        &["d /tmp"],
        0,
    );
    check(&[], &["write /x 1", "rm /x"], &[], 0);
}

#[test]
fn hard_links_count_once_directories_zero_symlinks_their_target_length() {
    check(
        &[],
        &[
            "mkdir -p /bin",
            "sized /bin/busybox 900000",
            "link /bin/busybox /bin/ls",
            "symlink busybox /bin/sh",
        ],
        &[
            "d /bin",
            "h /bin/busybox 900000",
            "h /bin/ls 900000",
            "l /bin/sh -> busybox",
        ],
        900_007,
    );
}

#[test]
fn a_write_through_one_hard_link_is_seen_through_the_other() {
    let mut view = OverlayView::default();
    apply(&mut view, "write /a one");
    apply(&mut view, "link /a /b");
    apply(&mut view, "append /b two");
    apply(&mut view, "read /a onetwo");
    apply(&mut view, "!EEXIST link /a /b");
    apply(&mut view, "mkdir /d");
    apply(&mut view, "!EPERM link /d /e");
}

#[test]
fn copy_up_breaks_a_hard_link_of_a_lower_layer() {
    let mut view = OverlayView::default();
    apply(&mut view, "write /a one");
    apply(&mut view, "link /a /b");
    view.commit();
    apply(&mut view, "append /a !");
    apply(&mut view, "read /a one!");
    apply(&mut view, "read /b one");
}

#[test]
fn symlinks_resolve_and_loops_are_bounded() {
    let base = &[
        ("/usr/bin/real", "x"),
        ("/bin", "->usr/bin"),
        ("/loop", "->/loop"),
    ];
    let mut view = OverlayView::new(vec![base_layer(base)]);
    apply(&mut view, "realpath /bin/real /usr/bin/real");
    apply(&mut view, "read /bin/real x");
    apply(&mut view, "!ELOOP stat /loop");
    apply(&mut view, "!ELOOP stat /loop/x");
    apply(&mut view, "write /bin/new y");
    apply(&mut view, "read /usr/bin/new y");
    apply(&mut view, "symlink /nowhere /dangling");
    apply(&mut view, "!ENOENT stat /dangling");
    // Writing through a dangling symlink creates its target.
    apply(&mut view, "write /dangling z");
    apply(&mut view, "read /nowhere z");
    let layer = view.commit();
    assert_eq!(
        listing(&layer),
        [
            "l /dangling -> /nowhere",
            "f /nowhere 1",
            "d /usr",
            "d /usr/bin",
            "f /usr/bin/new 1"
        ]
    );
}

#[test]
fn errors_are_the_ones_coreutils_would_print() {
    let base = &[("/etc/passwd", "root"), ("/var/lib/x", "x")];
    let mut view = OverlayView::new(vec![base_layer(base)]);
    apply(&mut view, "!ENOENT cat /nope");
    apply(&mut view, "!ENOTDIR cat /etc/passwd/x");
    apply(&mut view, "!EISDIR cat /etc");
    apply(&mut view, "!EISDIR write /etc hi");
    apply(&mut view, "!EEXIST mkdir /etc");
    apply(&mut view, "!EEXIST mkdir -p /etc/passwd");
    apply(&mut view, "!ENOTDIR mkdir -p /etc/passwd/x");
    apply(&mut view, "!ENOTEMPTY rmdir /var/lib");
    apply(&mut view, "!EISDIR rm /var");
    apply(&mut view, "!ENOENT rm /var/nope");
    apply(&mut view, "!ENOENT write /no/such/dir hi");
    apply(&mut view, "!EINVAL mv /var /var/lib/inside");
    assert_eq!(Errno::Loop.message_musl(), "Symbolic link loop");
    assert_eq!(Errno::NoEnt.message(), "No such file or directory");
}

#[test]
fn non_root_users_are_refused_where_linux_refuses() {
    let mut view = OverlayView::new(vec![base_layer(&[
        ("/etc/passwd", "root"),
        ("/tmp", "dir"),
    ])]);
    apply(&mut view, "chmod 1777 /tmp");
    apply(&mut view, "as 1000:1000");
    apply(&mut view, "!EACCES write /etc/passwd x");
    apply(&mut view, "!EACCES write /etc/new x");
    apply(&mut view, "!EACCES mkdir /app");
    apply(&mut view, "!EPERM chown 0:0 /etc/passwd");
    apply(&mut view, "write /tmp/mine x");
    apply(&mut view, "as 0:0");
    apply(&mut view, "write /tmp/roots x");
    apply(&mut view, "as 1000:1000");
    apply(&mut view, "!EPERM rm /tmp/roots");
    apply(&mut view, "rm /tmp/mine");
}

#[test]
fn rename_moves_a_subtree_and_hides_the_old_place() {
    check(
        &[("/src/a.txt", "aaa"), ("/src/sub/b.txt", "bb")],
        &[
            "mv /src /dst",
            "ls /dst a.txt,sub",
            "read /dst/sub/b.txt bb",
            "!ENOENT stat /src",
        ],
        &[
            "d /dst",
            "f /dst/a.txt 3",
            "d /dst/sub",
            "f /dst/sub/b.txt 2",
            "w /src",
        ],
        5,
    );
}

#[test]
fn diff_between_two_views() {
    let base = base_layer(&[("/a", "1"), ("/b", "2"), ("/c", "3")]);
    let old = OverlayView::new(vec![base.clone()]);
    let mut new = OverlayView::new(vec![base]);
    apply(&mut new, "write /a 11");
    apply(&mut new, "rm /b");
    apply(&mut new, "write /d 4444");
    let changes: Vec<String> = diff_views(&old, &new)
        .iter()
        .map(|c| format!("{} {} {}", c.kind.letter(), c.path, c.size))
        .collect();
    assert_eq!(changes, ["C /a 2", "D /b 1", "A /d 4"]);
    assert_eq!(
        new.changes()
            .iter()
            .map(|c| format!("{} {}", c.kind.letter(), c.path))
            .collect::<Vec<_>>(),
        ["C /a", "D /b", "A /d"]
    );
}

#[test]
fn the_entry_budget_is_enforced() {
    let mut view = OverlayView::default();
    view.set_max_entries(3);
    apply(&mut view, "write /a 1");
    apply(&mut view, "write /b 1");
    apply(&mut view, "write /c 1");
    apply(&mut view, "!ENOSPC write /d 1");
}

#[test]
fn install_places_copied_entries_like_the_builder_needs() {
    let base = base_layer(&[
        ("/etc/passwd", "root"),
        ("/bin", "->usr/bin"),
        ("/usr/bin/ls", "size:100"),
    ]);
    let mut view = OverlayView::new(vec![base]);
    let m = Meta::new(0o600, 1000, 1000, 300);
    let text = |s: &str| Entry::file(Content::from_bytes(s.as_bytes()), m);
    view.install(
        "/app/src/main.go",
        text("package main\n"),
        Meta::root_dir(300),
    )
    .unwrap();
    view.install("/bin/tool", text("#!/bin/sh\n"), Meta::root_dir(300))
        .unwrap();
    view.install("/etc/passwd", text("root:x:0:0\n"), Meta::root_dir(300))
        .unwrap();
    view.install(
        "/etc",
        Entry::dir(Meta::new(0o700, 0, 0, 300)),
        Meta::root_dir(300),
    )
    .unwrap();
    let e = view
        .install("/etc", text("x"), Meta::root_dir(300))
        .unwrap_err();
    assert_eq!(e.errno, Errno::IsDir);
    let e = view
        .install("/etc/passwd", Entry::dir(m), Meta::root_dir(300))
        .unwrap_err();
    assert_eq!(e.errno, Errno::NotDir);
    assert_eq!(view.stat("/app/src/main.go").unwrap().uid, 1000);
    assert_eq!(view.stat("/etc").unwrap().mode, 0o700);
    apply(&mut view, "read /usr/bin/tool #!/bin/sh\n");
    let layer = view.commit();
    assert_eq!(
        listing(&layer),
        [
            "d /app",
            "d /app/src",
            "f /app/src/main.go 13",
            "d /etc",
            "f /etc/passwd 11",
            "d /usr",
            "d /usr/bin",
            "f /usr/bin/tool 10"
        ]
    );
}

#[test]
fn mode_strings_read_like_ls() {
    let st = |mode, ft| {
        let mut e = Entry::dir(Meta::new(mode, 0, 0, 0));
        if ft == 'f' {
            e = Entry::file(Content::empty(), Meta::new(mode, 0, 0, 0));
        }
        e.stat().mode_string()
    };
    assert_eq!(st(0o1777, 'd'), "drwxrwxrwt");
    assert_eq!(st(0o755, 'f'), "-rwxr-xr-x");
    assert_eq!(st(0o4755, 'f'), "-rwsr-xr-x");
    assert_eq!(st(0o2644, 'f'), "-rw-r-Sr--");
}
