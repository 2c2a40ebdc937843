//! `apt-get` plans against ../shared/data/debian-bookworm-packages.json and real apt output.
//!
//! "Real" outputs below were captured on 2026-11-27 with apt 2.6.1 on Debian 12 (amd64,
//! LC_ALL=C, output to a pipe as in `docker build`), with `-o Dir::State::status=` pointing
//! at a status file that holds exactly the bookworm-slim estimate of the data file (its 88
//! `in_minbase_estimate` packages), `--download-only` so nothing was installed. That machine
//! had 24 upgradable packages, which is why the real count lines say "24 not upgraded"; a
//! fresh image says 0.
#![allow(clippy::unwrap_used)]

use dockerfile_playground::engine::packages::apt::{self, AptContext, AptRequest};
use dockerfile_playground::engine::packages::index::{debian_bookworm, debian_for_codename};
use dockerfile_playground::engine::packages::{FileKind, InstalledDb, PkgError, PkgPlan};
use serde_json::Value;
use std::collections::BTreeSet;

fn shared(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("../shared/data/{name}")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// debian:bookworm-slim as the data estimates it.
fn slim() -> InstalledDb {
    let index = debian_bookworm().unwrap();
    InstalledDb::parse_dpkg(&apt::base_status_text(index, &index.minbase_names()))
}

fn ctx(lists: bool) -> AptContext<'static> {
    let mut c = AptContext::from_choice(&debian_for_codename("bookworm").unwrap()).unwrap();
    c.lists_present = lists;
    c
}

fn run(lists: bool, db: &InstalledDb, args: &[&str]) -> Result<PkgPlan, PkgError> {
    apt::plan(
        &ctx(lists),
        db,
        &AptRequest::parse("apt-get", args).unwrap(),
    )
}

fn file_text<'a>(plan: &'a PkgPlan, path: &str) -> &'a str {
    match &plan
        .files_to_add
        .iter()
        .rev()
        .find(|f| f.path == path)
        .unwrap()
        .kind
    {
        FileKind::File {
            content: Some(t), ..
        } => t,
        _ => panic!("{path} has no text"),
    }
}

/// The database after a plan, as the next command would read it.
fn db_after(plan: &PkgPlan) -> InstalledDb {
    let mut db = InstalledDb::parse_dpkg(&plan.db_text_after);
    if plan
        .files_to_add
        .iter()
        .any(|f| f.path == "/var/lib/apt/extended_states")
    {
        db = db.with_extended_states(file_text(plan, "/var/lib/apt/extended_states"));
    }
    for f in &plan.files_to_add {
        if let (
            Some(name),
            FileKind::File {
                content: Some(t), ..
            },
        ) = (
            f.path
                .strip_prefix("/var/lib/dpkg/info/")
                .and_then(|n| n.strip_suffix(".list")),
            &f.kind,
        ) {
            db.attach_dpkg_list(name, t);
        }
    }
    db
}

/// The data's worked examples (`apt-get install --no-install-recommends X` on the
/// bookworm-slim estimate): same number of new packages, same Installed-Size total.
#[test]
fn worked_install_examples_match_the_data() {
    let data = shared("debian-bookworm-packages.json");
    let examples = data["install_examples"].as_object().unwrap();
    let db = slim();
    for (name, ex) in examples {
        let plan = run(
            true,
            &db,
            &["install", "-y", "--no-install-recommends", name],
        )
        .unwrap();
        let kib: u64 = plan.install.iter().map(|p| p.installed_size / 1024).sum();
        assert_eq!(
            plan.install.len() as u64,
            ex["new_packages"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(kib, ex["installed_size_kib"].as_u64().unwrap(), "{name}");
    }
    assert_eq!(examples.len(), 10);
}

const REAL_CURL_HEADER: &str = "Reading package lists...
Building dependency tree...
Reading state information...
The following additional packages will be installed:
  ca-certificates krb5-locales libbrotli1 libcurl4 libgssapi-krb5-2
  libk5crypto3 libkeyutils1 libkrb5-3 libkrb5support0 libldap-2.5-0
  libldap-common libnghttp2-14 libpsl5 librtmp1 libsasl2-2 libsasl2-modules
  libsasl2-modules-db libssh2-1 libssl3 openssl publicsuffix
Suggested packages:
  krb5-doc krb5-user libsasl2-modules-gssapi-mit
  | libsasl2-modules-gssapi-heimdal libsasl2-modules-ldap libsasl2-modules-otp
  libsasl2-modules-sql
The following NEW packages will be installed:
  ca-certificates curl krb5-locales libbrotli1 libcurl4 libgssapi-krb5-2
  libk5crypto3 libkeyutils1 libkrb5-3 libkrb5support0 libldap-2.5-0
  libldap-common libnghttp2-14 libpsl5 librtmp1 libsasl2-2 libsasl2-modules
  libsasl2-modules-db libssh2-1 libssl3 openssl publicsuffix
0 upgraded, 22 newly installed, 0 to remove and 0 not upgraded.
Need to get 6132 kB of archives.
After this operation, 15.8 MB of additional disk space will be used.
";

const REAL_CURL_GETS: &str = "Get:1 http://deb.debian.org/debian-security bookworm-security/main amd64 libssl3 amd64 3.0.22-1~deb12u2 [2040 kB]
Get:2 http://deb.debian.org/debian-security bookworm-security/main amd64 openssl amd64 3.0.22-1~deb12u2 [1442 kB]
Get:3 http://deb.debian.org/debian-security bookworm-security/main amd64 ca-certificates all 20250419~deb12u2 [161 kB]
Get:4 http://deb.debian.org/debian bookworm/main amd64 krb5-locales all 1.20.1-2+deb12u5 [63.5 kB]
Get:5 http://deb.debian.org/debian-security bookworm-security/main amd64 libbrotli1 amd64 1.0.9-2+deb12u1 [275 kB]
Get:6 http://deb.debian.org/debian bookworm/main amd64 libkrb5support0 amd64 1.20.1-2+deb12u5 [33.2 kB]
Get:7 http://deb.debian.org/debian bookworm/main amd64 libk5crypto3 amd64 1.20.1-2+deb12u5 [79.7 kB]
Get:8 http://deb.debian.org/debian bookworm/main amd64 libkeyutils1 amd64 1.6.3-2 [8808 B]
Get:9 http://deb.debian.org/debian bookworm/main amd64 libkrb5-3 amd64 1.20.1-2+deb12u5 [332 kB]
Get:10 http://deb.debian.org/debian bookworm/main amd64 libgssapi-krb5-2 amd64 1.20.1-2+deb12u5 [135 kB]
Get:11 http://deb.debian.org/debian-security bookworm-security/main amd64 libsasl2-modules-db amd64 2.1.28+dfsg-10+deb12u1 [20.5 kB]
Get:12 http://deb.debian.org/debian-security bookworm-security/main amd64 libsasl2-2 amd64 2.1.28+dfsg-10+deb12u1 [59.9 kB]
Get:13 http://deb.debian.org/debian bookworm/main amd64 libldap-2.5-0 amd64 2.5.13+dfsg-5 [183 kB]
Get:14 http://deb.debian.org/debian bookworm/main amd64 libnghttp2-14 amd64 1.52.0-1+deb12u3 [72.4 kB]
Get:15 http://deb.debian.org/debian bookworm/main amd64 libpsl5 amd64 0.21.2-1 [58.7 kB]
Get:16 http://deb.debian.org/debian bookworm/main amd64 librtmp1 amd64 2.4+20151223.gitfa8646d.1-2+b2 [60.8 kB]
Get:17 http://deb.debian.org/debian-security bookworm-security/main amd64 libssh2-1 amd64 1.10.0-3+deb12u1 [176 kB]
Get:18 http://deb.debian.org/debian bookworm/main amd64 libcurl4 amd64 7.88.1-10+deb12u15 [392 kB]
Get:19 http://deb.debian.org/debian bookworm/main amd64 curl amd64 7.88.1-10+deb12u15 [316 kB]
Get:20 http://deb.debian.org/debian bookworm/main amd64 libldap-common all 2.5.13+dfsg-5 [29.3 kB]
Get:21 http://deb.debian.org/debian-security bookworm-security/main amd64 libsasl2-modules amd64 2.1.28+dfsg-10+deb12u1 [66.9 kB]
Get:22 http://deb.debian.org/debian bookworm/main amd64 publicsuffix all 20230209.2326-1 [126 kB]
";

fn strip_get_number(line: &str) -> String {
    line.split_once(' ')
        .map(|(_, r)| r.to_string())
        .unwrap_or_default()
}

/// `apt-get install -y curl` (Recommends followed, as by default).
#[test]
fn install_curl_output_matches_real_apt() {
    let plan = run(true, &slim(), &["install", "-y", "curl"]).unwrap();
    assert!(plan.stdout.starts_with(REAL_CURL_HEADER), "{}", plan.stdout);
    // Same Get lines (archive, architecture, version, size); apt's own order is estimated.
    let got: BTreeSet<String> = plan
        .stdout
        .lines()
        .filter(|l| l.starts_with("Get:"))
        .map(strip_get_number)
        .collect();
    let want: BTreeSet<String> = REAL_CURL_GETS.lines().map(strip_get_number).collect();
    assert_eq!(got, want);
    // debian images lack apt-utils, so debconf says so before "Fetched".
    assert!(plan.stdout.contains("debconf: delaying package configuration, since apt-utils is not installed\nFetched 6132 kB in "));
    assert!(plan
        .stdout
        .contains("Unpacking libssl3:amd64 (3.0.22-1~deb12u2) ...\n"));
    assert!(plan
        .stdout
        .contains("Setting up curl (7.88.1-10+deb12u15) ...\n"));
    assert!(plan.stdout.contains("Preparing to unpack .../"));
    assert!(
        plan.stdout
            .ends_with("Processing triggers for libc-bin (2.36-9+deb12u14) ...\n"),
        "{}",
        plan.stdout
    );
}

/// `apt-get install -y --no-install-recommends curl wget`, real apt:
#[test]
fn install_without_recommends_output_matches_real_apt() {
    let real = "Reading package lists...
Building dependency tree...
Reading state information...
The following additional packages will be installed:
  libbrotli1 libcurl4 libgssapi-krb5-2 libk5crypto3 libkeyutils1 libkrb5-3
  libkrb5support0 libldap-2.5-0 libnghttp2-14 libpsl5 librtmp1 libsasl2-2
  libsasl2-modules-db libssh2-1 libssl3
Suggested packages:
  krb5-doc krb5-user
Recommended packages:
  ca-certificates krb5-locales libldap-common publicsuffix libsasl2-modules
The following NEW packages will be installed:
  curl libbrotli1 libcurl4 libgssapi-krb5-2 libk5crypto3 libkeyutils1
  libkrb5-3 libkrb5support0 libldap-2.5-0 libnghttp2-14 libpsl5 librtmp1
  libsasl2-2 libsasl2-modules-db libssh2-1 libssl3 wget
0 upgraded, 17 newly installed, 0 to remove and 0 not upgraded.
Need to get 5181 kB of archives.
After this operation, 15.6 MB of additional disk space will be used.
";
    let plan = run(
        true,
        &slim(),
        &["install", "-y", "--no-install-recommends", "curl", "wget"],
    )
    .unwrap();
    assert!(plan.stdout.starts_with(real), "{}", plan.stdout);
}

/// Before `apt-get update` the image has no lists (real apt, empty lists directory):
///   Reading package lists...
///   Building dependency tree...
///   Reading state information...
///   E: Unable to locate package curl        (stderr; exit status 100)
/// With several unknown names apt stops at the first.
#[test]
fn install_without_update_fails() {
    let err = run(false, &slim(), &["install", "-y", "curl"]).unwrap_err();
    assert_eq!(
        err.stdout,
        "Reading package lists...\nBuilding dependency tree...\nReading state information...\n"
    );
    assert_eq!(
        (err.stderr.as_str(), err.exit_code),
        ("E: Unable to locate package curl\n", 100)
    );
    let err = run(true, &slim(), &["install", "-y", "foo", "bar", "curl"]).unwrap_err();
    assert_eq!(err.stderr, "E: Unable to locate package foo\n");
}

/// `apt-get update` on bookworm (real apt, fresh lists directory; the DEP-11 line of that
/// machine's appstream config is left out, debian images have no appstream):
///   Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]
///   Get:2 http://deb.debian.org/debian bookworm-updates InRelease [55.4 kB]
///   Get:3 http://deb.debian.org/debian-security bookworm-security InRelease [34.8 kB]
///   Get:4 http://deb.debian.org/debian bookworm/main amd64 Packages [8790 kB]
///   Get:6 http://deb.debian.org/debian bookworm-updates/main amd64 Packages [6924 B]
///   Get:7 http://deb.debian.org/debian-security bookworm-security/main amd64 Packages [381 kB]
#[test]
fn update_output_and_lists() {
    let plan = run(false, &slim(), &["update"]).unwrap();
    let want = "Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]
Get:2 http://deb.debian.org/debian bookworm-updates InRelease [55.4 kB]
Get:3 http://deb.debian.org/debian-security bookworm-security InRelease [34.8 kB]
Get:4 http://deb.debian.org/debian bookworm/main amd64 Packages [8790 kB]
Get:5 http://deb.debian.org/debian bookworm-updates/main amd64 Packages [6924 B]
Get:6 http://deb.debian.org/debian-security bookworm-security/main amd64 Packages [381 kB]
Fetched 9420 kB in ";
    assert!(plan.stdout.starts_with(want), "{}", plan.stdout);
    assert!(plan.stdout.ends_with("Reading package lists...\n"));
    // On-disk lists as a bookworm machine keeps them (lz4, real file sizes).
    let lists: u64 = plan
        .files_to_add
        .iter()
        .filter(|f| f.path.starts_with("/var/lib/apt/lists/"))
        .map(|f| f.size())
        .sum();
    assert_eq!(
        lists,
        34_770 + 768_935 + 55_403 + 11_648 + 151_075 + 18_840_233
    );
    assert!(plan.files_to_add.iter().any(|f| f.path == "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4"));
    // A second update only checks.
    let again = run(true, &slim(), &["update"]).unwrap();
    assert!(again
        .stdout
        .starts_with("Hit:1 http://deb.debian.org/debian bookworm InRelease\n"));
    assert!(again.files_to_add.is_empty());
}

/// `RUN apt-get update && apt-get install -y curl` on debian:bookworm-slim: what the layer
/// holds against the figures apt itself reports.
#[test]
fn update_and_install_curl_layer_sizes() {
    let db = slim();
    let update = run(false, &db, &["update"]).unwrap();
    let install = run(true, &db, &["install", "-y", "curl"]).unwrap();
    let payload: u64 = install
        .files_to_add
        .iter()
        .filter(|f| !f.path.starts_with("/var/"))
        .map(|f| f.size())
        .sum();
    let metadata: u64 = install
        .files_to_add
        .iter()
        .filter(|f| f.path.starts_with("/var/"))
        .map(|f| f.size())
        .sum::<u64>()
        + install
            .appends
            .iter()
            .map(|a| a.text.len() as u64)
            .sum::<u64>();
    let installed_kib: u64 = install
        .install
        .iter()
        .map(|p| p.installed_size / 1024)
        .sum();
    // Real apt: "After this operation, 15.8 MB of additional disk space will be used."
    let real_bytes = 15.8e6;
    let deviation = (payload as f64 - real_bytes) / real_bytes;
    let lists = update.bytes_added();
    println!(
        "apt-get update && apt-get install -y curl: package files {payload} B ({installed_kib} KiB Installed-Size), dpkg/apt metadata {metadata} B, lists {lists} B; apt says 15.8 MB: deviation {:.2}%",
        deviation * 100.0
    );
    assert_eq!(payload, installed_kib * 1024);
    assert!(deviation.abs() < 0.15);
    // Without recommends the data file's own total (16 packages, 11703 KiB) is matched exactly.
    let norec = run(
        true,
        &db,
        &["install", "-y", "--no-install-recommends", "curl"],
    )
    .unwrap();
    let payload: u64 = norec
        .files_to_add
        .iter()
        .filter(|f| !f.path.starts_with("/var/"))
        .map(|f| f.size())
        .sum();
    assert_eq!(payload, 11_703 * 1024);
}

/// Without `-y` apt asks and a build has no terminal: "Do you want to continue? [Y/n] Abort."
#[test]
fn install_without_yes_aborts() {
    let err = run(true, &slim(), &["install", "curl"]).unwrap_err();
    assert!(err.stdout.ends_with("After this operation, 15.8 MB of additional disk space will be used.\nDo you want to continue? [Y/n] Abort.\n"));
    assert_eq!(err.exit_code, 1);
    // Nothing extra to install: no question.
    let ok = run(true, &slim(), &["install", "libkeyutils1"]).unwrap();
    assert!(ok
        .stdout
        .contains("Setting up libkeyutils1:amd64 (1.6.3-2) ...\n"));
}

/// `apt-get purge -y curl` leaves its dependencies (listed as no longer required);
/// `--auto-remove` takes them too. The plan lists the paths to delete — in a later layer
/// they become whiteouts and the image does not shrink.
///
/// Real apt (`apt-get -s`, status = bookworm-slim estimate + the 22 packages of
/// `apt-get install curl`, extended_states marking all but curl as automatic):
/// `apt-get purge curl` prints
///   The following packages were automatically installed and are no longer required:
///     krb5-locales libbrotli1 libcurl4 libgssapi-krb5-2 libk5crypto3 libkeyutils1
///     libkrb5-3 libkrb5support0 libldap-2.5-0 libldap-common libnghttp2-14 libpsl5
///     librtmp1 libsasl2-2 libsasl2-modules libsasl2-modules-db libssh2-1
///     publicsuffix
///   Use 'apt autoremove' to remove them.
///   The following packages will be REMOVED:
///     curl*
/// and `--auto-remove` removes those 19 — ca-certificates, openssl and libssl3 stay
/// because apt (installed) Recommends ca-certificates.
#[test]
fn purge_and_autoremove() {
    let install = run(true, &slim(), &["install", "-y", "curl"]).unwrap();
    let db = db_after(&install);
    assert!(db.get("libcurl4").unwrap().auto_installed && !db.get("curl").unwrap().auto_installed);
    let purge = run(true, &db, &["purge", "-y", "curl"]).unwrap();
    let real = "Reading package lists...
Building dependency tree...
Reading state information...
The following packages were automatically installed and are no longer required:
  krb5-locales libbrotli1 libcurl4 libgssapi-krb5-2 libk5crypto3 libkeyutils1
  libkrb5-3 libkrb5support0 libldap-2.5-0 libldap-common libnghttp2-14 libpsl5
  librtmp1 libsasl2-2 libsasl2-modules libsasl2-modules-db libssh2-1
  publicsuffix
Use 'apt autoremove' to remove them.
The following packages will be REMOVED:
  curl*
0 upgraded, 0 newly installed, 1 to remove and 0 not upgraded.
After this operation, 501 kB disk space will be freed.
";
    assert!(purge.stdout.starts_with(real), "{}", purge.stdout);
    assert!(purge
        .stdout
        .contains("Removing curl (7.88.1-10+deb12u15) ...\n"));
    assert!(purge.files_to_remove.contains(&"/usr/bin/curl".to_string()));
    assert!(purge
        .files_to_remove
        .contains(&"/var/lib/dpkg/info/curl.list".to_string()));
    assert_eq!(purge.remove.len(), 1);
    let all = run(true, &db, &["purge", "-y", "--auto-remove", "curl"]).unwrap();
    let real = "The following packages will be REMOVED:
  curl* krb5-locales* libbrotli1* libcurl4* libgssapi-krb5-2* libk5crypto3*
  libkeyutils1* libkrb5-3* libkrb5support0* libldap-2.5-0* libldap-common*
  libnghttp2-14* libpsl5* librtmp1* libsasl2-2* libsasl2-modules*
  libsasl2-modules-db* libssh2-1* publicsuffix*
0 upgraded, 0 newly installed, 19 to remove and 0 not upgraded.
";
    assert!(all.stdout.contains(real), "{}", all.stdout);
    let freed: u64 = all.remove.iter().map(|p| p.installed_size).sum();
    assert!(all.stdout.contains(&format!(
        "After this operation, {} disk space will be freed.\n",
        apt::size_to_str(freed as f64)
    )));
    let after = db_after(&all);
    assert!(!after.is_installed("libcurl4") && after.is_installed("ca-certificates"));
    assert!(all
        .files_to_remove
        .iter()
        .any(|p| p.starts_with("/usr/lib/x86_64-linux-gnu/libcurl.so.4")));
    // Unknown and not-installed names.
    let err = run(false, &slim(), &["purge", "-y", "nosuchpkg"]).unwrap_err();
    assert_eq!(
        (err.stderr.as_str(), err.exit_code),
        ("E: Unable to locate package nosuchpkg\n", 100)
    );
    let ok = run(true, &slim(), &["remove", "-y", "curl"]).unwrap();
    assert!(ok.stdout.contains("Package 'curl' is not installed, so not removed\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n"));
}

/// `apt-get clean` removes nothing: the images' docker-clean hook already deleted the .debs,
/// and the lists stay.
#[test]
fn clean_keeps_the_lists() {
    let plan = run(true, &slim(), &["clean"]).unwrap();
    assert!(plan.files_to_remove.is_empty() && plan.stdout.is_empty());
}

/// Release mapping: trixie (python:3.12-slim) and Ubuntu use bookworm records, flagged.
#[test]
fn other_releases_are_flagged() {
    let mut c = AptContext::from_choice(&debian_for_codename("trixie").unwrap()).unwrap();
    c.lists_present = false;
    let plan = apt::plan(
        &c,
        &slim(),
        &AptRequest::parse("apt-get", &["update"]).unwrap(),
    )
    .unwrap();
    assert!(
        plan.estimated
            && plan
                .stdout
                .starts_with("Get:1 http://deb.debian.org/debian trixie InRelease")
    );
    assert!(plan.notes.iter().any(|n| n.contains("bookworm")));
    let apt_cmd = apt::plan(
        &ctx(false),
        &slim(),
        &AptRequest::parse("apt", &["update"]).unwrap(),
    )
    .unwrap();
    assert_eq!(
        apt_cmd.stderr,
        "\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n"
    );
}
