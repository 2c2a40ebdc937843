//! `apk` plans against the real package data in ../shared/data and real console logs.
#![allow(clippy::unwrap_used)]

use dockerfile_playground::engine::packages::apk::{self, ApkContext, ApkRequest};
use dockerfile_playground::engine::packages::index::alpine_for_version;
use dockerfile_playground::engine::packages::{FileKind, InstalledDb, PkgPlan};
use serde_json::Value;
use std::collections::BTreeSet;

fn shared(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("../shared/data/{name}")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The package database of a real base image, from base-images.json (names, versions and
/// installed sizes as `apk info` reported them), rendered and parsed back.
fn base_db(image: &str, ctx: &ApkContext<'_>) -> InstalledDb {
    let images = shared("base-images.json");
    let img = images["images"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["ref"] == image)
        .unwrap();
    let items: Vec<(String, String, u64)> = img["packages"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["version"].as_str().unwrap().to_string(),
                p["installed_size_bytes"].as_u64().unwrap(),
            )
        })
        .collect();
    InstalledDb::parse_apk(&apk::base_db_text(ctx.index, &items))
}

fn ctx_for(release: &str) -> ApkContext<'static> {
    ApkContext::from_choice(&alpine_for_version(release).unwrap()).unwrap()
}

fn run(
    ctx: &ApkContext<'_>,
    db: &InstalledDb,
    args: &[&str],
) -> Result<PkgPlan, dockerfile_playground::engine::packages::PkgError> {
    apk::plan(ctx, db, &ApkRequest::parse(args).unwrap())
}

/// Package payload bytes of a plan (everything except apk's own database, world and cache).
fn payload_bytes(plan: &PkgPlan) -> u64 {
    plan.files_to_add
        .iter()
        .filter(|f| {
            !f.path.starts_with("/lib/apk/db/")
                && f.path != "/etc/apk/world"
                && !f.path.starts_with("/var/cache/apk/")
        })
        .map(|f| f.size())
        .sum()
}

/// Every worked closure in alpine-packages.json: same package set, same byte totals.
#[test]
fn worked_closures_match_the_data() {
    let data = shared("alpine-packages.json");
    let mut checked = 0;
    for (branch, release, image) in [
        ("v3.20", "3.20.8", "alpine:3.20.8"),
        ("v3.13", "3.13.5", "alpine:3.13.5"),
    ] {
        let ctx = ctx_for(release);
        let db = base_db(image, &ctx);
        let closures = data["closures"][branch].as_object().unwrap();
        for (cmd, c) in closures {
            let Some(pkg) = cmd.strip_prefix("apk add ") else {
                continue;
            };
            let plan = run(&ctx, &db, &["add", "--no-cache", pkg])
                .unwrap_or_else(|e| panic!("{cmd}: {e:?}"));
            let got: BTreeSet<&str> = plan.install.iter().map(|p| p.name.as_str()).collect();
            let want: BTreeSet<&str> = c["added_packages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(got, want, "{branch} {cmd}");
            let bytes: u64 = plan.install.iter().map(|p| p.installed_size).sum();
            let dl: u64 = plan.install.iter().map(|p| p.download_size).sum();
            assert_eq!(
                bytes,
                c["installed_size_bytes"].as_u64().unwrap(),
                "{branch} {cmd} installed bytes"
            );
            assert_eq!(
                dl,
                c["download_size_bytes"].as_u64().unwrap(),
                "{branch} {cmd} download bytes"
            );
            // The synthetic files of the new packages add up to the same bytes.
            let payload = payload_bytes(&plan);
            let meta: u64 = plan
                .install
                .iter()
                .filter(|p| {
                    p.installed_size <= 4096
                        && ctx
                            .index
                            .get(&p.name)
                            .is_some_and(|i| i.provides.is_empty())
                })
                .map(|p| p.installed_size)
                .sum();
            assert_eq!(payload + meta, bytes, "{branch} {cmd} file bytes");
            let unresolved = !c["unresolved"].as_array().unwrap().is_empty();
            assert_eq!(
                plan.estimated, unresolved,
                "{branch} {cmd} estimated flag: {:?}",
                plan.notes
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 27);
}

/// `RUN apk add --no-cache curl` on alpine:3.20.8: the layer's files against the data.
#[test]
fn add_no_cache_curl_sizes() {
    let ctx = ctx_for("3.20.8");
    let db = base_db("alpine:3.20.8", &ctx);
    let plan = run(&ctx, &db, &["add", "--no-cache", "curl"]).unwrap();
    let want = 5_652_480u64; // alpine-packages.json closures.v3.20["apk add curl"].installed_size_bytes
    let payload = payload_bytes(&plan);
    let all = plan.bytes_added();
    let deviation = (all as f64 - want as f64) / want as f64;
    println!("apk add --no-cache curl: payload {payload} B, with apk database {all} B, data {want} B, deviation {:.2}%", deviation * 100.0);
    assert_eq!(payload, want);
    assert!(deviation.abs() < 0.15);
    // --no-cache keeps no index; the database and world are rewritten.
    assert!(!plan
        .files_to_add
        .iter()
        .any(|f| f.path.starts_with("/var/cache/apk/")));
    assert!(plan
        .files_to_add
        .iter()
        .any(|f| f.path == "/lib/apk/db/installed"));
    assert!(plan.files_to_add.iter().any(|f| f.path == "/usr/bin/curl"));
    assert!(
        plan.db_text_after.contains("\nP:curl\nV:8.8.0-r0\n")
            || plan.db_text_after.starts_with("P:curl\n")
    );
    assert!(plan
        .db_text_after
        .contains("F:usr/bin\nR:curl\na:0:0:755\n"));
    // apk add without --no-cache and without `apk update`: the index is fetched and kept.
    let plan = run(&ctx, &db, &["add", "curl"]).unwrap();
    let cached: Vec<&str> = plan
        .files_to_add
        .iter()
        .filter(|f| f.path.starts_with("/var/cache/apk/APKINDEX."))
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(cached.len(), 2, "{cached:?}");
    assert!(plan.stdout.starts_with("fetch https://dl-cdn.alpinelinux.org/alpine/v3.20/main/x86_64/APKINDEX.tar.gz\nfetch https://dl-cdn.alpinelinux.org/alpine/v3.20/community/x86_64/APKINDEX.tar.gz\n"));
    // With the index already cached nothing is fetched.
    let mut warm = ctx.clone();
    warm.index_cached = true;
    let plan = apk::plan(&warm, &db, &ApkRequest::parse(&["add", "curl"]).unwrap()).unwrap();
    assert!(
        plan.stdout.starts_with("(1/10) Installing "),
        "{}",
        plan.stdout
    );
}

fn mask_versions(text: &str) -> String {
    text.lines()
        .map(|l| match (l.find(" ("), l.ends_with(')')) {
            (Some(i), true) if l.starts_with('(') => format!("{} (V)", &l[..i]),
            _ if l.starts_with("Executing ") => {
                let name_ver = l.trim_start_matches("Executing ");
                let kind = name_ver.rsplit('.').next().unwrap_or("");
                let name = name_ver.split('-').next().unwrap_or("");
                format!("Executing {name}-V.{kind}")
            }
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `apk add curl` on alpine 3.13, as a real session printed it (kubectl exec into an
/// alpine:3.13 pod; public write-up indexed by the search tool, 2021-06):
///   fetch https://dl-cdn.alpinelinux.org/alpine/v3.13/main/x86_64/APKINDEX.tar.gz
///   fetch https://dl-cdn.alpinelinux.org/alpine/v3.13/community/x86_64/APKINDEX.tar.gz
///   (1/5) Installing ca-certificates (20191127-r5)
///   (2/5) Installing brotli-libs (1.0.9-r3)
///   (3/5) Installing nghttp2-libs (1.42.0-r1)
///   (4/5) Installing libcurl (7.77.0-r0)
///   (5/5) Installing curl (7.77.0-r0)
///   Executing busybox-1.32.1-r6.trigger
///   Executing ca-certificates-20191127-r5.trigger
///   OK: 8 MiB in 19 packages
/// Versions differ (the index is the branch's final one), so they are masked.
#[test]
fn output_matches_real_apk_add_curl_on_3_13() {
    let ctx = ctx_for("3.13.5");
    let db = base_db("alpine:3.13.5", &ctx);
    let plan = run(&ctx, &db, &["add", "curl"]).unwrap();
    let real = "fetch https://dl-cdn.alpinelinux.org/alpine/v3.13/main/x86_64/APKINDEX.tar.gz
fetch https://dl-cdn.alpinelinux.org/alpine/v3.13/community/x86_64/APKINDEX.tar.gz
(1/5) Installing ca-certificates (20191127-r5)
(2/5) Installing brotli-libs (1.0.9-r3)
(3/5) Installing nghttp2-libs (1.42.0-r1)
(4/5) Installing libcurl (7.77.0-r0)
(5/5) Installing curl (7.77.0-r0)
Executing busybox-1.32.1-r6.trigger
Executing ca-certificates-20191127-r5.trigger
OK: 8 MiB in 19 packages";
    assert_eq!(mask_versions(plan.stdout.trim_end()), mask_versions(real));
    // The trigger line names the version installed in the image (busybox 1.32.1-r6).
    assert!(plan
        .stdout
        .contains("Executing busybox-1.32.1-r6.trigger\n"));
}

/// `apk add --no-cache nodejs` on alpine 3.20 (a gitea act runner image that already had
/// ca-certificates, brotli-libs, c-ares and nghttp2-libs; public notes indexed by the
/// search tool, 2025):
///   (1/7) Installing libgcc (13.2.1_git20240309-r0)
///   (2/7) Installing libstdc++ (13.2.1_git20240309-r0)
///   (3/7) Installing ada-libs (2.7.8-r0)
///   (4/7) Installing libbase64 (0.5.2-r0)
///   (5/7) Installing icu-data-en (74.2-r0)
///   Executing icu-data-en-74.2-r0.post-install
///   *
///   * If you need ICU with non-English locales and legacy charset support, install
///   * package icu-data-full.
///   *
///   (6/7) Installing icu-libs (74.2-r0)
///   (7/7) Installing nodejs (20.15.1-r0)
///   Executing busybox-1.36.1-r29.trigger
#[test]
fn output_matches_real_apk_add_nodejs_on_3_20() {
    let ctx = ctx_for("3.20.8");
    let base = base_db("alpine:3.20.8", &ctx);
    // Bring the four packages the real image already had into the database first.
    let pre = run(
        &ctx,
        &base,
        &[
            "add",
            "--no-cache",
            "ca-certificates",
            "brotli-libs",
            "c-ares",
            "nghttp2-libs",
        ],
    )
    .unwrap();
    let db = InstalledDb::parse_apk(&pre.db_text_after);
    let plan = run(&ctx, &db, &["add", "--no-cache", "nodejs"]).unwrap();
    let body: String = plan
        .stdout
        .lines()
        .filter(|l| !l.starts_with("fetch ") && !l.starts_with("OK: "))
        .map(|l| format!("{l}\n"))
        .collect();
    let real = "(1/7) Installing libgcc (13.2.1_git20240309-r0)
(2/7) Installing libstdc++ (13.2.1_git20240309-r0)
(3/7) Installing ada-libs (2.7.8-r0)
(4/7) Installing libbase64 (0.5.2-r0)
(5/7) Installing icu-data-en (74.2-r0)
Executing icu-data-en-74.2-r0.post-install
*
* If you need ICU with non-English locales and legacy charset support, install
* package icu-data-full.
*
(6/7) Installing icu-libs (74.2-r0)
(7/7) Installing nodejs (20.15.1-r0)
Executing busybox-1.36.1-r29.trigger
";
    assert_eq!(mask_versions(&body), mask_versions(real));
}

/// The error for a name no repository has (a real BuildKit log on alpine 3.13):
///   ERROR: unable to select packages:
///     libsnmp-base (no such package):
///       required by: world[libsnmp-base]
///     libsnmp40 (no such package):
///       required by: world[libsnmp40]
#[test]
fn unknown_package_error() {
    let ctx = ctx_for("3.13.5");
    let db = base_db("alpine:3.13.5", &ctx);
    let err = run(
        &ctx,
        &db,
        &["add", "--no-cache", "curl", "libsnmp-base", "libsnmp40"],
    )
    .unwrap_err();
    assert_eq!(
        err.stderr,
        "ERROR: unable to select packages:\n  libsnmp-base (no such package):\n    required by: world[libsnmp-base]\n  libsnmp40 (no such package):\n    required by: world[libsnmp40]\n"
    );
    assert_eq!(err.exit_code, 2);
    assert!(err.stdout.starts_with(
        "fetch https://dl-cdn.alpinelinux.org/alpine/v3.13/main/x86_64/APKINDEX.tar.gz\n"
    ));
    let err = run(&ctx, &db, &["del", "foo"]).unwrap_err();
    assert_eq!(
        (err.stderr.as_str(), err.exit_code),
        ("ERROR: No such package: foo\n", 1)
    );
}

/// `--virtual .build-deps` then `apk del .build-deps`: everything the virtual package pulled
/// in is purged again, and the plan lists the files to delete (whiteouts in a later layer).
#[test]
fn virtual_then_del_removes_everything() {
    let ctx = ctx_for("3.20.8");
    let base = base_db("alpine:3.20.8", &ctx).with_world("alpine-baselayout\nalpine-keys\napk-tools\nbusybox\nca-certificates-bundle\nlibc-utils\nssl_client\n");
    let add = run(
        &ctx,
        &base,
        &[
            "add",
            "--no-cache",
            "--virtual",
            ".build-deps",
            "gcc",
            "make",
            "musl-dev",
        ],
    )
    .unwrap();
    let last = add
        .stdout
        .lines()
        .rfind(|l| l.contains(" Installing "))
        .unwrap();
    assert!(
        last.ends_with("Installing .build-deps (20240101.000000)"),
        "{last}"
    );
    let world = add
        .files_to_add
        .iter()
        .find(|f| f.path == "/etc/apk/world")
        .unwrap();
    let FileKind::File {
        content: Some(world_text),
        ..
    } = &world.kind
    else {
        panic!()
    };
    assert!(
        world_text.ends_with("ssl_client\n.build-deps\n"),
        "{world_text}"
    );
    assert!(add.db_text_after.contains("P:.build-deps\nV:20240101.000000\nA:noarch\nS:0\nI:0\nT:virtual meta package\nD:gcc make musl-dev\n"));

    let db = InstalledDb::parse_apk(&add.db_text_after).with_world(world_text);
    let del = run(&ctx, &db, &["del", ".build-deps"]).unwrap();
    let added: BTreeSet<&str> = add.install.iter().map(|p| p.name.as_str()).collect();
    let removed: BTreeSet<&str> = del.remove.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(added, removed);
    assert!(
        del.stdout.starts_with(&format!(
            "(1/{}) Purging .build-deps (20240101.000000)\n",
            removed.len()
        )),
        "{}",
        del.stdout
    );
    assert!(
        del.stdout
            .contains("Executing busybox-1.36.1-r30.trigger\n"),
        "{}",
        del.stdout
    );
    assert!(
        del.files_to_remove.iter().any(|p| p == "/usr/bin/gcc"),
        "{:?}",
        &del.files_to_remove[..5]
    );
    assert!(
        del.stdout.ends_with(" MiB in 14 packages\n"),
        "{}",
        del.stdout
    );
    // Nothing of the base is touched.
    assert!(!del
        .files_to_remove
        .iter()
        .any(|p| p == "/bin/busybox" || p == "/usr/bin" || p == "/bin"));
}

/// `apk del curl` keeps curl when another world package still needs it.
#[test]
fn del_plain_package_and_its_orphans() {
    let ctx = ctx_for("3.20.8");
    let base_world = "alpine-baselayout\nalpine-keys\napk-tools\nbusybox\nca-certificates-bundle\nlibc-utils\nssl_client\n";
    let base = base_db("alpine:3.20.8", &ctx).with_world(base_world);
    let add = run(&ctx, &base, &["add", "--no-cache", "curl"]).unwrap();
    let world = format!("{base_world}curl\n");
    let db = InstalledDb::parse_apk(&add.db_text_after).with_world(&world);
    let del = run(&ctx, &db, &["del", "curl"]).unwrap();
    let removed: BTreeSet<&str> = del.remove.iter().map(|p| p.name.as_str()).collect();
    let added: BTreeSet<&str> = add.install.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(removed, added);
    // Dependents go before what they depend on.
    let first = del.stdout.lines().next().unwrap();
    assert!(first.starts_with("(1/10) Purging curl ("), "{first}");
}

#[test]
fn update_and_cache_clean() {
    let ctx = ctx_for("3.13.5");
    let db = base_db("alpine:3.13.5", &ctx);
    let up = run(&ctx, &db, &["update"]).unwrap();
    // Real log (docker build on alpine:3.13, 2021): "OK: 13877 distinct packages available".
    assert!(
        up.stdout
            .ends_with("OK: 13877 distinct packages available\n"),
        "{}",
        up.stdout
    );
    assert_eq!(
        up.files_to_add
            .iter()
            .filter(|f| f.path.starts_with("/var/cache/apk/APKINDEX."))
            .count(),
        2
    );
    // apk-tools 2.12 has no package cache in docker's alpine: `apk cache clean` fails.
    let err = run(&ctx, &db, &["cache", "clean"]).unwrap_err();
    assert_eq!(
        (err.stderr.as_str(), err.exit_code),
        ("ERROR: Package cache is not enabled.\n\n", 2)
    );
    // apk-tools 2.14 succeeds but keeps the current index files.
    let ctx = ctx_for("3.20.8");
    let db = base_db("alpine:3.20.8", &ctx);
    let clean = run(&ctx, &db, &["cache", "clean"]).unwrap();
    assert!(clean.files_to_remove.is_empty() && clean.stdout.is_empty());
}

/// Versions other than the two transcribed branches are served by the nearest index and
/// the plan says so.
#[test]
fn other_alpine_versions_are_flagged() {
    let ctx = ctx_for("3.18.3");
    let db = base_db("alpine:3.18.3", &ctx);
    let plan = run(&ctx, &db, &["add", "--no-cache", "curl"]).unwrap();
    assert!(plan.estimated);
    assert!(
        plan.notes.iter().any(|n| n.contains("v3.20")),
        "{:?}",
        plan.notes
    );
    assert!(plan
        .stdout
        .starts_with("fetch https://dl-cdn.alpinelinux.org/alpine/v3.18/main/"));
}
