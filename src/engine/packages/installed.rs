//! The installed-package databases as the image stores them, parsed and rendered.
//!
//! apk — `/lib/apk/db/installed`: stanzas separated by a blank line, one `X:value` per line:
//! `P:` name, `V:` version, `A:` arch, `S:` .apk size, `I:` installed bytes, `T:`
//! description, `o:` origin, `D:`/`p:`/`i:` depends/provides/install_if tokens, then the
//! file list as `F:dir` (relative to /) followed by its `R:file` entries (with `a:`/`M:`
//! ownership and `Z:` checksum lines, ignored here). `/etc/apk/world` lists the requested
//! names, one per line. Written sorted by package name (apk-tools `apk_db_write_fdb`).
//!
//! dpkg — `/var/lib/dpkg/status`: RFC-822 stanzas (`Package:`, `Status:`, `Priority:`,
//! `Section:`, `Installed-Size:` KiB, `Maintainer:`, `Architecture:`, `Multi-Arch:`,
//! `Version:`, `Pre-Depends:`, `Depends:` …, `Description:` with continuation lines that
//! start with a space). A package is installed when its `Status:` ends in `installed`.
//! File lists live in `/var/lib/dpkg/info/<name>[:arch].list` (one absolute path a line,
//! directories included, starting with `/.`) and are attached with
//! [`InstalledDb::attach_dpkg_list`]. apt's automatic-install marks live in
//! `/var/lib/apt/extended_states` (`Package:`/`Architecture:`/`Auto-Installed: 1`).

use std::collections::BTreeSet;

/// Which database a [`InstalledDb`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DbFormat {
    #[default]
    Apk,
    Dpkg,
}

/// One installed package.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstalledPkg {
    pub name: String,
    pub version: String,
    pub arch: String,
    /// Bytes (apk `I:`; dpkg `Installed-Size` × 1024).
    pub installed_size: u64,
    /// Raw dependency text (apk tokens separated by spaces; dpkg control syntax).
    pub depends: String,
    pub pre_depends: String,
    pub provides: String,
    pub install_if: String,
    /// dpkg `Status:` (`install ok installed`); empty for apk.
    pub status: String,
    pub multi_arch: String,
    /// apt's Auto-Installed mark.
    pub auto_installed: bool,
    /// Files and directories the package owns, absolute paths, when the database lists them
    /// (apk `F:`/`R:`, dpkg `.list`). Directories end without a slash.
    pub files: Vec<String>,
    pub dirs: Vec<String>,
    /// The stanza exactly as read, re-emitted unchanged when the package is untouched.
    pub stanza: String,
}

impl InstalledPkg {
    /// True for dpkg packages that are fully installed (and for every apk package).
    pub fn is_installed(&self) -> bool {
        self.status.is_empty() || self.status.ends_with(" installed")
    }
}

/// The packages installed in an image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstalledDb {
    pub format: DbFormat,
    pub packages: Vec<InstalledPkg>,
    /// apk world (`/etc/apk/world`); `None` when not given (then every installed package
    /// counts as requested, so nothing is removed as an orphan by surprise).
    pub world: Option<Vec<String>>,
}

/// At most this many stanzas are read (a budget against huge inputs).
const MAX_STANZAS: usize = 20_000;

fn stanzas(text: &str) -> impl Iterator<Item = &str> {
    text.split("\n\n")
        .map(|s| s.trim_matches('\n'))
        .filter(|s| !s.trim().is_empty())
        .take(MAX_STANZAS)
}

impl InstalledDb {
    /// Parses `/lib/apk/db/installed`.
    pub fn parse_apk(text: &str) -> InstalledDb {
        let mut packages = Vec::new();
        for st in stanzas(text) {
            let mut p = InstalledPkg {
                stanza: format!("{st}\n"),
                ..InstalledPkg::default()
            };
            let mut dir = String::new();
            for line in st.lines() {
                let Some((key, value)) = line.split_once(':') else {
                    continue;
                };
                match key {
                    "P" => p.name = value.to_string(),
                    "V" => p.version = value.to_string(),
                    "A" => p.arch = value.to_string(),
                    "I" => p.installed_size = value.trim().parse().unwrap_or(0),
                    "D" => p.depends = value.to_string(),
                    "p" => p.provides = value.to_string(),
                    "i" => p.install_if = value.to_string(),
                    "F" => {
                        dir = format!("/{}", value.trim_matches('/'));
                        p.dirs.push(dir.clone());
                    }
                    "R" => p.files.push(if dir == "/" {
                        format!("/{value}")
                    } else {
                        format!("{dir}/{value}")
                    }),
                    _ => {}
                }
            }
            if !p.name.is_empty() {
                packages.push(p);
            }
        }
        InstalledDb {
            format: DbFormat::Apk,
            packages,
            world: None,
        }
    }

    /// Adds `/etc/apk/world` (names with optional constraints, one a line or space separated).
    pub fn with_world(mut self, world_text: &str) -> InstalledDb {
        self.world = Some(
            world_text
                .split_whitespace()
                .take(MAX_STANZAS)
                .map(str::to_string)
                .collect(),
        );
        self
    }

    /// Parses `/var/lib/dpkg/status`.
    pub fn parse_dpkg(text: &str) -> InstalledDb {
        let mut packages = Vec::new();
        for st in stanzas(text) {
            let mut p = InstalledPkg {
                stanza: format!("{st}\n"),
                ..InstalledPkg::default()
            };
            for (key, value) in control_fields(st) {
                match key {
                    "Package" => p.name = value,
                    "Version" => p.version = value,
                    "Architecture" => p.arch = value,
                    "Installed-Size" => {
                        p.installed_size = value
                            .trim()
                            .parse::<u64>()
                            .unwrap_or(0)
                            .saturating_mul(1024)
                    }
                    "Depends" => p.depends = value,
                    "Pre-Depends" => p.pre_depends = value,
                    "Provides" => p.provides = value,
                    "Status" => p.status = value,
                    "Multi-Arch" => p.multi_arch = value,
                    _ => {}
                }
            }
            if !p.name.is_empty() {
                packages.push(p);
            }
        }
        InstalledDb {
            format: DbFormat::Dpkg,
            packages,
            world: None,
        }
    }

    /// Attaches a dpkg `.list` file to its package (paths, directories included).
    pub fn attach_dpkg_list(&mut self, name: &str, list_text: &str) {
        let base = name.split(':').next().unwrap_or(name);
        if let Some(p) = self.packages.iter_mut().find(|p| p.name == base) {
            p.files.clear();
            p.dirs.clear();
            for line in list_text.lines().take(1_000_000) {
                let l = line.trim_end();
                if l.is_empty() || l == "/." {
                    continue;
                }
                // A .list does not say which entries are directories; a path that is the
                // parent of another entry is one.
                p.files.push(l.to_string());
            }
            let all: BTreeSet<String> = p.files.iter().cloned().collect();
            let dirs: BTreeSet<String> = all
                .iter()
                .filter(|f| {
                    all.range(format!("{f}/")..)
                        .next()
                        .is_some_and(|n| n.starts_with(&format!("{f}/")))
                })
                .cloned()
                .collect();
            p.files.retain(|f| !dirs.contains(f));
            p.dirs = dirs.into_iter().collect();
        }
    }

    /// Applies `/var/lib/apt/extended_states` (Auto-Installed marks).
    pub fn with_extended_states(mut self, text: &str) -> InstalledDb {
        for st in stanzas(text) {
            let mut name = String::new();
            let mut auto = false;
            for (k, v) in control_fields(st) {
                match k {
                    "Package" => name = v,
                    "Auto-Installed" => auto = v.trim() == "1",
                    _ => {}
                }
            }
            if let Some(p) = self.packages.iter_mut().find(|p| p.name == name) {
                p.auto_installed = auto;
            }
        }
        self
    }

    pub fn get(&self, name: &str) -> Option<&InstalledPkg> {
        self.packages
            .iter()
            .find(|p| p.name == name && p.is_installed())
    }

    pub fn is_installed(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Installed packages, in database order.
    pub fn installed(&self) -> impl Iterator<Item = &InstalledPkg> {
        self.packages.iter().filter(|p| p.is_installed())
    }

    /// apk world, or every installed name when the world file was not given.
    pub fn world_or_all(&self) -> Vec<String> {
        match &self.world {
            Some(w) => w.clone(),
            None => self.installed().map(|p| p.name.clone()).collect(),
        }
    }
}

/// The fields of one control stanza; continuation lines are joined with `\n`.
pub fn control_fields(stanza: &str) -> Vec<(&str, String)> {
    let mut out: Vec<(&str, String)> = Vec::new();
    for line in stanza.lines() {
        if line.starts_with(' ') || line.starts_with('\t') {
            if let Some(last) = out.last_mut() {
                last.1.push('\n');
                last.1.push_str(line);
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            out.push((k, v.trim().to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_apk_installed() {
        let text = "C:Q1abc=\nP:musl\nV:1.2.5-r0\nA:x86_64\nS:407468\nI:667648\nT:the musl c library\no:musl\np:so:libc.musl-x86_64.so.1=1\nF:lib\nR:ld-musl-x86_64.so.1\na:0:0:755\nR:libc.musl-x86_64.so.1\n\nP:zlib\nV:1.3.1-r1\nI:110592\nD:so:libc.musl-x86_64.so.1\n";
        let db = InstalledDb::parse_apk(text).with_world("alpine-baselayout\nbusybox\n");
        assert_eq!(db.packages.len(), 2);
        let musl = db.get("musl").unwrap();
        assert_eq!(
            (musl.version.as_str(), musl.installed_size),
            ("1.2.5-r0", 667648)
        );
        assert_eq!(
            musl.files,
            vec!["/lib/ld-musl-x86_64.so.1", "/lib/libc.musl-x86_64.so.1"]
        );
        assert_eq!(musl.provides, "so:libc.musl-x86_64.so.1=1");
        assert_eq!(db.world_or_all(), vec!["alpine-baselayout", "busybox"]);
    }

    #[test]
    fn parses_dpkg_status() {
        let text = "Package: libc6\nStatus: install ok installed\nPriority: optional\nInstalled-Size: 13001\nArchitecture: amd64\nMulti-Arch: same\nVersion: 2.36-9+deb12u14\nDepends: libgcc-s1\nDescription: GNU C Library\n shared libraries\n\nPackage: old\nStatus: deinstall ok config-files\nVersion: 1\n";
        let mut db = InstalledDb::parse_dpkg(text);
        assert_eq!(db.packages.len(), 2);
        assert!(db.is_installed("libc6") && !db.is_installed("old"));
        assert_eq!(db.get("libc6").unwrap().installed_size, 13001 * 1024);
        db.attach_dpkg_list("libc6:amd64", "/.\n/usr\n/usr/lib\n/usr/lib/libc.so.6\n");
        let p = db.get("libc6").unwrap();
        assert_eq!(p.files, vec!["/usr/lib/libc.so.6"]);
        assert_eq!(p.dirs, vec!["/usr", "/usr/lib"]);
        let db =
            db.with_extended_states("Package: libc6\nArchitecture: amd64\nAuto-Installed: 1\n");
        assert!(db.get("libc6").unwrap().auto_installed);
    }
}
