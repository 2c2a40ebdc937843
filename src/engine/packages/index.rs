//! Package indexes: one per Alpine branch (v3.13, v3.20) and one for Debian 12 (bookworm),
//! built once from the embedded data, and the choice of index for an image.
//!
//! Mapping (anything not exact sets `IndexChoice::estimated` and says so in `note`):
//! - Alpine x.y → the branch with the nearest version (v3.13 or v3.20); exact for 3.13 and
//!   3.20 only. 3.18, 3.21 … 3.24 use v3.20 (package versions and sizes are v3.20's).
//! - Debian 12 (bookworm) and its derived images (bookworm-slim, golang:…-bookworm) →
//!   bookworm, exact index. Other Debian releases (buster, bullseye, trixie — e.g. the
//!   python:3.12-slim images on trixie) and Ubuntu → bookworm as an estimate: names mostly
//!   exist, versions and sizes are bookworm's.

use super::data::{self, AlpineRow, DebianRow};
use super::debdeps::{self, DebGroup};
use std::collections::HashMap;

/// One APKINDEX dependency token: `[!]name[op version]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApkDep {
    pub name: String,
    pub op: Option<String>,
    pub version: Option<String>,
    pub conflict: bool,
}

impl ApkDep {
    /// Parses one token as written in APKINDEX `D:`/`p:`/`i:` lines or on the apk command
    /// line (`curl`, `so:libc.musl-x86_64.so.1`, `musl>=1.2`, `!foo`, `python3~3.12`).
    pub fn parse(token: &str) -> ApkDep {
        let (conflict, t) = match token.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, token),
        };
        // Repository tags (`name@edge`) are accepted and ignored.
        let t = t.split('@').next().unwrap_or("");
        match t.find(['<', '>', '=', '~']) {
            Some(i) if i > 0 => {
                let rest = &t[i..];
                let op_len = rest
                    .find(|c: char| !matches!(c, '<' | '>' | '=' | '~'))
                    .unwrap_or(rest.len());
                ApkDep {
                    name: t[..i].to_string(),
                    op: Some(rest[..op_len].to_string()),
                    version: Some(rest[op_len..].to_string()).filter(|v| !v.is_empty()),
                    conflict,
                }
            }
            _ => ApkDep {
                name: t.to_string(),
                op: None,
                version: None,
                conflict,
            },
        }
    }

    /// The token written back (`name`, `name=1.0`, `!name`).
    pub fn text(&self) -> String {
        let mut s = String::new();
        if self.conflict {
            s.push('!');
        }
        s.push_str(&self.name);
        if let (Some(op), Some(v)) = (&self.op, &self.version) {
            s.push_str(op);
            s.push_str(v);
        }
        s
    }
}

/// One package record of an APKINDEX.
#[derive(Debug, Clone)]
pub struct ApkPkg {
    pub name: String,
    pub version: String,
    pub installed_size: u64,
    pub download_size: u64,
    pub depends: Vec<ApkDep>,
    pub provides: Vec<ApkDep>,
    pub install_if: Vec<ApkDep>,
    pub provider_priority: Option<i64>,
    /// Index into [`ApkIndex::repos`].
    pub repo: usize,
    pub origin: String,
}

impl ApkPkg {
    /// True when the package satisfies `name` by its own name or a provides entry.
    pub fn provides_name(&self, name: &str) -> bool {
        self.name == name || self.provides.iter().any(|p| p.name == name)
    }
}

/// A repository of a branch (`main`, `community`).
#[derive(Debug, Clone)]
pub struct ApkRepo {
    pub name: String,
    /// `/var/cache/apk/APKINDEX.<8 hex>.tar.gz` file name.
    pub cache_file: String,
    /// Size of that file (an estimate, see `ApkIndex::index_estimated`).
    pub index_bytes: u64,
}

/// The package index of one Alpine branch.
#[derive(Debug)]
pub struct ApkIndex {
    /// `v3.13`, `v3.20`.
    pub branch: String,
    /// `2.12` or `2.14`: the apk-tools series of the branch (output differences).
    pub apk_tools: String,
    pub mirror: String,
    pub repos: Vec<ApkRepo>,
    pub packages: Vec<ApkPkg>,
    /// What `apk update` prints as "N distinct packages available".
    pub distinct: u64,
    pub distinct_estimated: bool,
    pub index_estimated: bool,
    /// Names known to be absent from the transcribed index, with the reason.
    pub missing: Vec<(String, String)>,
    by_name: HashMap<String, usize>,
    providers: HashMap<String, Vec<usize>>,
    rinstall_if: HashMap<String, Vec<usize>>,
}

impl ApkIndex {
    fn build(branch: &str, mirror: &str, raw: &data::AlpineBranch) -> ApkIndex {
        let repos: Vec<ApkRepo> = raw
            .repos
            .iter()
            .map(|r| ApkRepo {
                name: r.name.clone(),
                cache_file: r.cache_file.clone(),
                index_bytes: r.index_bytes,
            })
            .collect();
        let packages: Vec<ApkPkg> = raw.packages.iter().map(apk_pkg_from_row).collect();
        let mut by_name = HashMap::new();
        let mut providers: HashMap<String, Vec<usize>> = HashMap::new();
        let mut rinstall_if: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in packages.iter().enumerate() {
            by_name.insert(p.name.clone(), i);
            for pr in &p.provides {
                providers.entry(pr.name.clone()).or_default().push(i);
            }
            for d in &p.install_if {
                rinstall_if.entry(d.name.clone()).or_default().push(i);
            }
        }
        ApkIndex {
            branch: branch.to_string(),
            apk_tools: raw.apk_tools.clone(),
            mirror: mirror.to_string(),
            repos,
            packages,
            distinct: raw.distinct,
            distinct_estimated: raw.distinct_estimated,
            index_estimated: raw.index_estimated,
            missing: raw
                .missing
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            by_name,
            providers,
            rinstall_if,
        }
    }

    pub fn get(&self, name: &str) -> Option<&ApkPkg> {
        self.by_name.get(name).and_then(|&i| self.packages.get(i))
    }

    /// Packages that provide `name` through a `p:` entry (not by their own name).
    pub fn providers_of(&self, name: &str) -> Vec<&ApkPkg> {
        self.providers
            .get(name)
            .map(|v| v.iter().filter_map(|&i| self.packages.get(i)).collect())
            .unwrap_or_default()
    }

    /// Packages whose `install_if` mentions `name`.
    pub fn install_if_on(&self, name: &str) -> Vec<&ApkPkg> {
        self.rinstall_if
            .get(name)
            .map(|v| v.iter().filter_map(|&i| self.packages.get(i)).collect())
            .unwrap_or_default()
    }

    /// `https://…/alpine/v3.20/main` for a repository.
    pub fn repo_url(&self, repo: usize) -> String {
        let name = self
            .repos
            .get(repo)
            .map(|r| r.name.as_str())
            .unwrap_or("main");
        format!("{}/{}/{}", self.mirror, self.branch, name)
    }
}

fn split_tokens(text: &str) -> Vec<ApkDep> {
    text.split_whitespace().map(ApkDep::parse).collect()
}

fn apk_pkg_from_row(r: &AlpineRow) -> ApkPkg {
    ApkPkg {
        name: r.0.clone(),
        version: r.1.clone(),
        installed_size: r.2,
        download_size: r.3,
        depends: split_tokens(&r.4),
        provides: split_tokens(&r.5),
        install_if: split_tokens(&r.6),
        provider_priority: if r.7 >= 0 { Some(r.7) } else { None },
        repo: r.8,
        origin: r.9.clone(),
    }
}

/// A Debian binary package record.
#[derive(Debug, Clone)]
pub struct DebPkg {
    pub name: String,
    pub version: String,
    pub installed_size_kib: u64,
    pub download_size: u64,
    pub priority: String,
    pub section: String,
    pub essential: bool,
    /// Part of the *estimated* debian:bookworm-slim package set.
    pub in_minbase: bool,
    pub pre_depends: Vec<DebGroup>,
    pub depends: Vec<DebGroup>,
    pub recommends: Vec<DebGroup>,
    pub suggests: Vec<DebGroup>,
    pub provides: Vec<String>,
    pub pre_depends_text: String,
    pub depends_text: String,
    pub recommends_text: String,
    pub suggests_text: String,
    pub provides_text: String,
    /// `amd64` or `all`.
    pub arch: String,
    /// `no`, `same`, `foreign`, `allowed`.
    pub multi_arch: String,
    /// Index into [`DebIndex::suites`].
    pub suite: usize,
}

impl DebPkg {
    /// The name dpkg prints (`libssl3:amd64` for Multi-Arch: same packages).
    pub fn display_name(&self) -> String {
        if self.multi_arch == "same" {
            format!("{}:{}", self.name, self.arch)
        } else {
            self.name.clone()
        }
    }
    /// Installed-Size in bytes.
    pub fn installed_bytes(&self) -> u64 {
        self.installed_size_kib.saturating_mul(1024)
    }
}

/// An apt source (one suite of one site).
#[derive(Debug, Clone)]
pub struct DebSuite {
    pub site: String,
    pub suite: String,
    pub inrelease: u64,
    pub packages_xz: u64,
    pub packages_lz4: u64,
    pub list_prefix: String,
}

/// The Debian 12 (bookworm, amd64, main) package index.
#[derive(Debug)]
pub struct DebIndex {
    pub architecture: String,
    pub suites: Vec<DebSuite>,
    pub packages: Vec<DebPkg>,
    by_name: HashMap<String, usize>,
    providers: HashMap<String, Vec<usize>>,
}

impl DebIndex {
    fn build(raw: &data::DebianData) -> DebIndex {
        let packages: Vec<DebPkg> = raw.packages.iter().map(deb_pkg_from_row).collect();
        let mut by_name = HashMap::new();
        let mut providers: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in packages.iter().enumerate() {
            by_name.insert(p.name.clone(), i);
            for v in &p.provides {
                providers.entry(v.clone()).or_default().push(i);
            }
        }
        DebIndex {
            architecture: raw.architecture.clone(),
            suites: raw
                .suites
                .iter()
                .map(|s| DebSuite {
                    site: s.site.clone(),
                    suite: s.suite.clone(),
                    inrelease: s.inrelease,
                    packages_xz: s.packages_xz,
                    packages_lz4: s.packages_lz4,
                    list_prefix: s.list_prefix.clone(),
                })
                .collect(),
            packages,
            by_name,
            providers,
        }
    }

    pub fn get(&self, name: &str) -> Option<&DebPkg> {
        self.by_name.get(name).and_then(|&i| self.packages.get(i))
    }

    /// Real packages providing the virtual name `name`.
    pub fn providers_of(&self, name: &str) -> Vec<&DebPkg> {
        self.providers
            .get(name)
            .map(|v| v.iter().filter_map(|&i| self.packages.get(i)).collect())
            .unwrap_or_default()
    }

    /// The estimated debian:bookworm-slim package set (names, sorted).
    pub fn minbase_names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .packages
            .iter()
            .filter(|p| p.in_minbase)
            .map(|p| p.name.as_str())
            .collect();
        v.sort_unstable();
        v
    }
}

fn deb_pkg_from_row(r: &DebianRow) -> DebPkg {
    DebPkg {
        name: r.0.clone(),
        version: r.1.clone(),
        installed_size_kib: r.2,
        download_size: r.3,
        priority: r.4.clone(),
        section: r.5.clone(),
        essential: r.6 != 0,
        in_minbase: r.7 != 0,
        pre_depends: debdeps::parse_field(&r.8),
        depends: debdeps::parse_field(&r.9),
        recommends: debdeps::parse_field(&r.10),
        suggests: debdeps::parse_field(&r.15),
        provides: debdeps::parse_field(&r.11)
            .into_iter()
            .flatten()
            .map(|a| a.name)
            .collect(),
        pre_depends_text: r.8.clone(),
        depends_text: r.9.clone(),
        recommends_text: r.10.clone(),
        suggests_text: r.15.clone(),
        provides_text: r.11.clone(),
        arch: r.12.clone(),
        multi_arch: r.13.clone(),
        suite: r.14,
    }
}

/// The Alpine index of a branch (`v3.13`, `v3.20`), built on first use.
pub fn alpine_branch(branch: &str) -> Option<&'static ApkIndex> {
    use std::sync::OnceLock;
    static CELL: OnceLock<Vec<ApkIndex>> = OnceLock::new();
    let all = CELL.get_or_init(|| match data::alpine() {
        Some(d) => d
            .branches
            .iter()
            .map(|(b, raw)| ApkIndex::build(b, &d.mirror, raw))
            .collect(),
        None => Vec::new(),
    });
    all.iter().find(|i| i.branch == branch)
}

/// The Debian bookworm index, built on first use.
pub fn debian_bookworm() -> Option<&'static DebIndex> {
    use std::sync::OnceLock;
    static CELL: OnceLock<Option<DebIndex>> = OnceLock::new();
    CELL.get_or_init(|| data::debian().map(DebIndex::build))
        .as_ref()
}

/// Either kind of index.
#[derive(Debug, Clone, Copy)]
pub enum PackageIndex {
    Alpine(&'static ApkIndex),
    Debian(&'static DebIndex),
}

/// The index serving an image, and whether that is an approximation.
#[derive(Debug, Clone)]
pub struct IndexChoice {
    pub index: PackageIndex,
    /// The distribution release the image says it is (`3.18.3`, `bookworm`, `trixie` …).
    pub release: String,
    /// For apt: the suite names the image's sources use (`bookworm`, `trixie`, `jammy`);
    /// printed in apt's output. For apk: the branch (`v3.18`) printed in URLs.
    pub suite_name: String,
    /// For apt: the mirror host path (`http://deb.debian.org/debian`,
    /// `http://archive.ubuntu.com/ubuntu`).
    pub mirror: String,
    pub estimated: bool,
    pub note: Option<String>,
}

/// Picks the index for an image from its `/etc/os-release` text.
/// Returns `None` for distributions without a package manager we simulate.
pub fn select_index(os_release: &str) -> Option<IndexChoice> {
    let field = |key: &str| -> String {
        os_release
            .lines()
            .find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
            .map(|v| v.trim().trim_matches('"').to_string())
            .unwrap_or_default()
    };
    let id = field("ID");
    match id.as_str() {
        "alpine" => alpine_for_version(&field("VERSION_ID")),
        "debian" => {
            let mut codename = field("VERSION_CODENAME");
            if codename.is_empty() {
                codename = match field("VERSION_ID").as_str() {
                    "10" => "buster",
                    "11" => "bullseye",
                    "12" => "bookworm",
                    "13" => "trixie",
                    _ => "bookworm",
                }
                .to_string();
            }
            debian_for_codename(&codename)
        }
        "ubuntu" => {
            let codename = field("VERSION_CODENAME");
            let index = debian_bookworm()?;
            Some(IndexChoice {
                index: PackageIndex::Debian(index),
                release: field("VERSION_ID"),
                suite_name: if codename.is_empty() { "jammy".to_string() } else { codename.clone() },
                mirror: "http://archive.ubuntu.com/ubuntu".to_string(),
                estimated: true,
                note: Some(format!(
                    "Ubuntu {codename} packages are simulated with Debian 12 (bookworm) records: names mostly match, versions and sizes are bookworm's"
                )),
            })
        }
        _ => None,
    }
}

/// The Debian index for a release codename (exact for bookworm).
pub fn debian_for_codename(codename: &str) -> Option<IndexChoice> {
    let index = debian_bookworm()?;
    let exact = codename == "bookworm";
    Some(IndexChoice {
        index: PackageIndex::Debian(index),
        release: codename.to_string(),
        suite_name: codename.to_string(),
        mirror: "http://deb.debian.org/debian".to_string(),
        estimated: !exact,
        note: if exact {
            None
        } else {
            Some(format!(
                "Debian {codename} packages are simulated with Debian 12 (bookworm) records: versions and sizes are bookworm's"
            ))
        },
    })
}

/// The Alpine index for a release (`3.18.3`, `3.20`, `edge`): the nearest transcribed branch.
pub fn alpine_for_version(version: &str) -> Option<IndexChoice> {
    let mut parts = version.split('.');
    let major: u32 = parts.next().and_then(|p| p.parse().ok()).unwrap_or(3);
    let minor: u32 = parts
        .next()
        .and_then(|p| {
            p.trim_end_matches(|c: char| !c.is_ascii_digit())
                .parse()
                .ok()
        })
        .unwrap_or(20);
    let branch_minor = if major == 3 && minor <= 16 { 13 } else { 20 };
    let branch = format!("v3.{branch_minor}");
    let index = alpine_branch(&branch)?;
    let exact = major == 3 && minor == branch_minor;
    Some(IndexChoice {
        index: PackageIndex::Alpine(index),
        release: version.to_string(),
        suite_name: format!("v{major}.{minor}"),
        mirror: index.mirror.clone(),
        estimated: !exact,
        note: if exact {
            None
        } else {
            Some(format!(
                "Alpine {major}.{minor} packages are simulated with the Alpine {branch} index: package versions and sizes are {branch}'s"
            ))
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_apk_tokens() {
        let d = ApkDep::parse("musl>=1.2");
        assert_eq!(
            (d.name.as_str(), d.op.as_deref(), d.version.as_deref()),
            ("musl", Some(">="), Some("1.2"))
        );
        let d = ApkDep::parse("!openssh-client-krb5");
        assert!(d.conflict && d.name == "openssh-client-krb5");
        let d = ApkDep::parse("so:libc.musl-x86_64.so.1");
        assert_eq!(d.name, "so:libc.musl-x86_64.so.1");
        assert_eq!(ApkDep::parse("curl@edge").name, "curl");
        assert_eq!(
            ApkDep::parse("cmd:curl=8.8.0-r0").text(),
            "cmd:curl=8.8.0-r0"
        );
    }

    #[test]
    fn selects_indexes() {
        let check = |os: &str, want_branch: &str, estimated: bool| {
            let c = select_index(os).unwrap();
            let got = match c.index {
                PackageIndex::Alpine(a) => a.branch.clone(),
                PackageIndex::Debian(_) => "bookworm".to_string(),
            };
            assert_eq!(
                (got.as_str(), c.estimated),
                (want_branch, estimated),
                "{os}"
            );
        };
        check(
            "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.8\n",
            "v3.20",
            false,
        );
        check("ID=alpine\nVERSION_ID=3.13.5\n", "v3.13", false);
        check("ID=alpine\nVERSION_ID=3.18.3\n", "v3.20", true);
        check("ID=alpine\nVERSION_ID=3.24.2\n", "v3.20", true);
        check(
            "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n",
            "bookworm",
            false,
        );
        check(
            "ID=debian\nVERSION_ID=\"13\"\nVERSION_CODENAME=trixie\n",
            "bookworm",
            true,
        );
        check(
            "ID=ubuntu\nVERSION_ID=\"22.04\"\nVERSION_CODENAME=jammy\n",
            "bookworm",
            true,
        );
        assert!(select_index("ID=busybox\n").is_none());
    }
}
