//! Which package brings a missing command, for the hint under a RUN that failed with the
//! shell's "not found": looked up in the image's package index (Alpine's `cmd:` provides;
//! for Debian the command paths the file model gives each package), preferring a package
//! named like the command.

use super::files::{apk_files, deb_files};
use super::index::{select_index, PackageIndex};
use super::FileKind;

/// Directories a package's commands land in (on the default PATH).
const BIN_DIRS: [&str; 6] = [
    "/usr/bin",
    "/usr/sbin",
    "/bin",
    "/sbin",
    "/usr/local/bin",
    "/usr/local/sbin",
];

/// The install command for the package that provides `command`, in the distribution
/// `os_release` describes; `None` when no simulated index knows such a package.
pub fn install_hint(os_release: &str, command: &str) -> Option<String> {
    if command.is_empty() || command.contains('/') {
        return None;
    }
    let provides = |paths: Vec<String>| {
        paths.iter().any(|p| {
            BIN_DIRS
                .iter()
                .any(|d| p.strip_prefix(d).and_then(|r| r.strip_prefix('/')) == Some(command))
        })
    };
    match select_index(os_release)?.index {
        PackageIndex::Alpine(index) => {
            let providers = index.providers_of(&format!("cmd:{command}"));
            let name = providers
                .iter()
                .find(|p| p.name == command)
                .or_else(|| providers.first())
                .map(|p| p.name.clone())
                .or_else(|| {
                    let pkg = index.get(command)?;
                    provides(command_paths(apk_files(pkg))).then(|| pkg.name.clone())
                })?;
            Some(format!("apk add --no-cache {name}"))
        }
        PackageIndex::Debian(index) => {
            let same_name = index
                .get(command)
                .filter(|p| provides(command_paths(deb_files(p))));
            let name = match same_name {
                Some(p) => p.name.clone(),
                None => index
                    .packages
                    .iter()
                    .find(|p| provides(command_paths(deb_files(p))))?
                    .name
                    .clone(),
            };
            Some(format!(
                "apt-get update && apt-get install -y --no-install-recommends {name}"
            ))
        }
    }
}

fn command_paths(files: Vec<super::FileSpec>) -> Vec<String> {
    files
        .into_iter()
        .filter(|f| !matches!(f.kind, FileKind::Dir))
        .map(|f| f.path)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::install_hint;

    const BOOKWORM: &str = "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n";
    const ALPINE: &str = "ID=alpine\nVERSION_ID=3.20.8\n";

    #[test]
    fn hints_name_the_package_that_brings_the_command() {
        for (os, command, hint) in [
            (
                BOOKWORM,
                "curl",
                Some("apt-get update && apt-get install -y --no-install-recommends curl"),
            ),
            (
                BOOKWORM,
                "make",
                Some("apt-get update && apt-get install -y --no-install-recommends make"),
            ),
            (
                BOOKWORM,
                "pip3",
                Some("apt-get update && apt-get install -y --no-install-recommends python3-pip"),
            ),
            (BOOKWORM, "frobnicate", None),
            (ALPINE, "curl", Some("apk add --no-cache curl")),
            (ALPINE, "bash", Some("apk add --no-cache bash")),
            (ALPINE, "frobnicate", None),
            ("ID=hello\n", "curl", None),
        ] {
            assert_eq!(install_hint(os, command).as_deref(), hint, "{os} {command}");
        }
    }
}
