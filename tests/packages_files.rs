//! Invariants of the synthetic package file lists, over every package of every index, and
//! the embedded data against ../shared/data.
#![allow(clippy::unwrap_used)]

use dockerfile_playground::engine::packages::files::{apk_files, deb_files};
use dockerfile_playground::engine::packages::index::{alpine_branch, debian_bookworm};
use dockerfile_playground::engine::packages::{FileKind, FileSpec};
use serde_json::Value;
use std::collections::HashMap;

fn file_bytes(files: &[FileSpec]) -> u64 {
    files.iter().map(FileSpec::size).sum()
}

/// Every package's files add up exactly to its installed size; only meta packages (at most
/// 4096 bytes, nothing provided) own no files.
#[test]
fn files_add_up_to_installed_sizes() {
    let mut checked = 0;
    for branch in ["v3.13", "v3.20"] {
        let index = alpine_branch(branch).unwrap();
        for p in &index.packages {
            let files = apk_files(p);
            if files.is_empty() {
                assert!(
                    p.installed_size <= 4096 && p.provides.is_empty(),
                    "{branch} {}",
                    p.name
                );
                continue;
            }
            assert_eq!(file_bytes(&files), p.installed_size, "{branch} {}", p.name);
            checked += 1;
        }
    }
    let index = debian_bookworm().unwrap();
    for p in &index.packages {
        let files = deb_files(p);
        assert_eq!(file_bytes(&files), p.installed_bytes(), "{}", p.name);
        assert!(files
            .iter()
            .any(|f| f.path == format!("/usr/share/doc/{}/copyright", p.name)));
        checked += 1;
    }
    assert!(checked > 1900, "{checked}");
}

/// Two packages of one index never claim the same file (a real layer would hold it once and
/// the sizes would no longer add up). Directories are shared, of course, and so are the
/// files of Alpine alternatives that cannot be installed together (both provide the same
/// unversioned virtual name, e.g. shadow-login and util-linux-login provide login-utils).
#[test]
fn no_two_packages_own_the_same_file() {
    let mut owners: HashMap<String, String> = HashMap::new();
    let mut clashes = Vec::new();
    let index = debian_bookworm().unwrap();
    for p in &index.packages {
        for f in deb_files(p)
            .into_iter()
            .filter(|f| !matches!(f.kind, FileKind::Dir))
        {
            if let Some(other) = owners.insert(f.path.clone(), p.name.clone()) {
                clashes.push(format!("{} is in {other} and {}", f.path, p.name));
            }
        }
    }
    for branch in ["v3.13", "v3.20"] {
        let mut owners: HashMap<String, String> = HashMap::new();
        let index = alpine_branch(branch).unwrap();
        for p in &index.packages {
            for f in apk_files(p)
                .into_iter()
                .filter(|f| !matches!(f.kind, FileKind::Dir))
            {
                if let Some(other) = owners.insert(f.path.clone(), p.name.clone()) {
                    let alternatives = index.get(&other).unwrap().provides.iter().any(|a| {
                        a.version.is_none()
                            && p.provides
                                .iter()
                                .any(|b| b.version.is_none() && b.name == a.name)
                    });
                    if !alternatives {
                        clashes.push(format!("{branch}: {} is in {other} and {}", f.path, p.name));
                    }
                }
            }
        }
    }
    assert!(clashes.is_empty(), "{clashes:#?}");
}

/// The generated data file keeps the shared figures unchanged.
#[test]
fn generated_data_agrees_with_shared_data() {
    let text = std::fs::read_to_string("../shared/data/alpine-packages.json").unwrap();
    let shared: Value = serde_json::from_str(&text).unwrap();
    for branch in ["v3.13", "v3.20"] {
        let index = alpine_branch(branch).unwrap();
        let recs = shared["branches"][branch].as_object().unwrap();
        assert_eq!(index.packages.len(), recs.len());
        for (name, r) in recs {
            let p = index.get(name).unwrap();
            assert_eq!(p.version, r["version"].as_str().unwrap());
            assert_eq!(
                p.installed_size,
                r["installed_size_bytes"].as_u64().unwrap()
            );
            assert_eq!(p.download_size, r["download_size_bytes"].as_u64().unwrap());
            assert_eq!(
                p.depends.len(),
                r["depends"].as_array().unwrap().len(),
                "{name}"
            );
        }
    }
    let text = std::fs::read_to_string("../shared/data/debian-bookworm-packages.json").unwrap();
    let shared: Value = serde_json::from_str(&text).unwrap();
    let index = debian_bookworm().unwrap();
    let recs = shared["packages"].as_object().unwrap();
    for (name, r) in recs {
        let p = index.get(name).unwrap();
        assert_eq!(p.version, r["version"].as_str().unwrap());
        assert_eq!(
            p.installed_size_kib,
            r["installed_size_kib"].as_u64().unwrap()
        );
        assert_eq!(p.download_size, r["download_size_bytes"].as_u64().unwrap());
        assert_eq!(p.in_minbase, r["in_minbase_estimate"].as_bool().unwrap());
        let groups = p.pre_depends.len() + p.depends.len();
        assert_eq!(groups, r["depends"].as_array().unwrap().len(), "{name}");
    }
    // The supplement adds the Recommends closure apt follows by default.
    assert!(index.packages.len() > recs.len());
    assert_eq!(
        index.minbase_names().len() as u64,
        shared["minbase_estimate_count"].as_u64().unwrap()
    );
}
