//! The RPM family — `microdnf`, `dnf`, `yum`, `tdnf` and `rpm` — without package data: the
//! playground has no RPM index, so installs are modelled with estimated sizes (named below
//! with their reasons) and flagged approximated. What stays true is the layer lesson: the
//! metadata cache an install downloads is written where the real tool keeps it, and
//! `clean all` in the same RUN removes it.
//!
//! Invariants: no version number is printed that the image did not state (packages are
//! listed by name); every install, update and removal records `approximated`; subcommands
//! that are not modelled record `not_simulated`.

use super::lang_support::program_name;
use super::require_on_path;
use crate::engine::shell::fs::Data;
use crate::engine::shell::programs::{ProgResult, ProgramCtx, Registry};

/// Repository metadata (repomd, primary, filelists, …) of a RHEL-family base + appstream
/// repository pair, as cached after the first transaction: tens of MB (estimate).
const METADATA_CACHE_BYTES: u64 = 30_000_000;
/// tdnf's Photon / Azure Linux repositories are smaller (estimate).
const TDNF_METADATA_CACHE_BYTES: u64 = 12_000_000;
/// Installed size of one requested package with its new dependencies: RHEL-family
/// packages are mostly 0.1–5 MB; we cannot resolve dependencies (estimate).
const PACKAGE_INSTALLED_BYTES: u64 = 4_000_000;
/// Growth of the rpm database (`/var/lib/rpm/rpmdb.sqlite`) per installed package: headers
/// with file lists (estimate).
const RPMDB_BYTES_PER_PACKAGE: u64 = 120_000;

pub fn register(registry: &mut Registry) {
    for name in ["microdnf", "dnf", "yum", "tdnf"] {
        registry.register(name, run_manager);
    }
    registry.register("rpm", run_rpm);
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tool {
    Microdnf,
    Dnf,
    Yum,
    Tdnf,
}

impl Tool {
    fn cache_dir(self) -> &'static str {
        match self {
            Tool::Microdnf | Tool::Yum => "/var/cache/yum",
            Tool::Dnf => "/var/cache/dnf",
            Tool::Tdnf => "/var/cache/tdnf",
        }
    }

    fn metadata_bytes(self) -> u64 {
        match self {
            Tool::Tdnf => TDNF_METADATA_CACHE_BYTES,
            _ => METADATA_CACHE_BYTES,
        }
    }
}

fn payload_path(name: &str) -> String {
    format!("/usr/share/{name}/.rpm-payload")
}

fn run_manager(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let name = program_name(argv, "dnf");
    if let Some(missing) = require_on_path(ctx, &name) {
        return missing;
    }
    let tool = match name.as_str() {
        "microdnf" => Tool::Microdnf,
        "yum" => Tool::Yum,
        "tdnf" => Tool::Tdnf,
        _ => Tool::Dnf,
    };
    let mut yes = tool == Tool::Microdnf;
    let mut words: Vec<&str> = Vec::new();
    let mut it = argv.iter().skip(1).map(String::as_str);
    while let Some(a) = it.next() {
        match a {
            "-y" | "--assumeyes" => yes = true,
            // Options with a separate value.
            "--setopt" | "--enablerepo" | "--disablerepo" | "--repo" | "--releasever"
            | "--installroot" | "--exclude" | "-x" | "--config" | "-c" | "--disableplugin"
            | "--enableplugin" => {
                it.next();
            }
            a if a.starts_with('-') => {}
            a => words.push(a),
        }
    }
    let Some((cmd, pkgs)) = words.split_first() else {
        ctx.err(format!("{name}: no command given\n").as_bytes())?;
        return Ok(1);
    };
    match *cmd {
        "install" | "reinstall" => {
            if pkgs.is_empty() {
                ctx.err(b"Error: Need to pass a list of pkgs to install\n")?;
                return Ok(1);
            }
            write_metadata(ctx, tool);
            if !yes {
                ctx.out_str("Is this ok [y/N]: Operation aborted.\n")?;
                return Ok(1);
            }
            let mut new = Vec::new();
            for p in pkgs.iter().take(1000) {
                let path = payload_path(p);
                if ctx.stat(&path).is_ok() {
                    continue;
                }
                let _ = ctx.mkdir_p(&format!("/usr/share/{p}"), 0o755);
                let _ = ctx.write_mode(&path, Data::Unknown(PACKAGE_INSTALLED_BYTES), 0o644);
                new.push(p.to_string());
            }
            let _ = ctx.mkdir_p("/var/lib/rpm", 0o755);
            let _ = ctx.append(
                "/var/lib/rpm/rpmdb.sqlite",
                Data::Unknown(RPMDB_BYTES_PER_PACKAGE * new.len() as u64),
            );
            ctx.out_str(&transcript(tool, "Installing", &new))?;
            ctx.approximated("no RPM package data: each package's installed size and the metadata cache are estimates, dependencies are not resolved");
            Ok(0)
        }
        "remove" | "erase" => {
            let mut gone = Vec::new();
            for p in pkgs.iter().take(1000) {
                let path = payload_path(p);
                if ctx.stat(&path).is_ok() {
                    let _ = ctx.remove_tree(&format!("/usr/share/{p}"));
                    gone.push(p.to_string());
                }
            }
            ctx.out_str(&transcript(tool, "Removing", &gone))?;
            ctx.approximated(
                "no RPM package data: only packages installed in this playground are removed",
            );
            Ok(0)
        }
        "update" | "upgrade" | "makecache" | "check-update" | "distro-sync" => {
            write_metadata(ctx, tool);
            let text = match tool {
                Tool::Microdnf => "Downloading metadata...\nNothing to do.\n",
                Tool::Tdnf => "Nothing to do.\n",
                _ => "Dependencies resolved.\nNothing to do.\nComplete!\n",
            };
            if *cmd != "check-update" {
                ctx.out_str(text)?;
            }
            ctx.approximated("no RPM package data: the image is assumed up to date; the metadata cache size is an estimate");
            Ok(0)
        }
        "clean" => {
            let dir = tool.cache_dir();
            let entries = ctx.read_dir(dir).unwrap_or_default();
            for e in &entries {
                let _ = ctx.remove_tree(&format!("{dir}/{e}"));
            }
            let text = match tool {
                Tool::Microdnf => "Complete.\n".to_string(),
                Tool::Tdnf => "Done.\n".to_string(),
                _ => format!("{} files removed\n", entries.len()),
            };
            ctx.out_str(&text)?;
            Ok(0)
        }
        other => {
            ctx.not_simulated(&format!(
                "{name} {other} is not simulated (no RPM package data)"
            ));
            Ok(0)
        }
    }
}

/// The downloaded repository metadata, where the tool caches it.
fn write_metadata(ctx: &mut ProgramCtx<'_, '_>, tool: Tool) {
    let dir = format!("{}/repodata", tool.cache_dir());
    let path = format!("{dir}/primary-and-filelists");
    if ctx.stat(&path).is_ok() {
        return;
    }
    let _ = ctx.mkdir_p(&dir, 0o755);
    let _ = ctx.write_mode(&path, Data::Unknown(tool.metadata_bytes()), 0o644);
}

fn transcript(tool: Tool, verb: &str, pkgs: &[String]) -> String {
    let mut out = String::new();
    if pkgs.is_empty() {
        return match tool {
            Tool::Microdnf => "Downloading metadata...\nNothing to do.\n".into(),
            Tool::Tdnf => "Nothing to do.\n".into(),
            _ => "Dependencies resolved.\nNothing to do.\nComplete!\n".into(),
        };
    }
    match tool {
        Tool::Microdnf => {
            out.push_str(&format!("Downloading metadata...\nPackage\n{verb}:\n"));
            for p in pkgs {
                out.push_str(&format!(" {p}\n"));
            }
            out.push_str(&format!(
                "Transaction Summary:\n {verb}: {:>8} packages\nDownloading packages...\nRunning transaction test...\n",
                pkgs.len()
            ));
            for p in pkgs {
                out.push_str(&format!("{verb}: {p}\n"));
            }
            out.push_str("Complete.\n");
        }
        Tool::Tdnf => {
            out.push_str(&format!("\n{verb}:\n"));
            for p in pkgs {
                out.push_str(&format!("{p}\n"));
            }
            out.push_str("\nTesting transaction\nRunning transaction\n");
            for p in pkgs {
                out.push_str(&format!("{verb}/Updating: {p}\n"));
            }
            out.push_str("\nComplete!\n");
        }
        Tool::Dnf | Tool::Yum => {
            out.push_str(&format!("Dependencies resolved.\n{verb}:\n"));
            for p in pkgs {
                out.push_str(&format!(" {p}\n"));
            }
            out.push_str(&format!(
                "\nTransaction Summary\n{verb} {} Packages\n\nRunning transaction check\nTransaction check succeeded.\nRunning transaction test\nTransaction test succeeded.\nRunning transaction\n",
                pkgs.len()
            ));
            for p in pkgs {
                out.push_str(&format!("  {verb:<11}: {p}\n"));
            }
            out.push_str("\nComplete!\n");
        }
    }
    out
}

fn run_rpm(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = require_on_path(ctx, "rpm") {
        return missing;
    }
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    let query = args.iter().any(|a| matches!(*a, "-q" | "--query"));
    let format = args.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix("--queryformat=")
            .or_else(|| a.strip_prefix("--qf="))
            .map(str::to_string)
            .or_else(|| {
                matches!(*a, "--queryformat" | "--qf")
                    .then(|| args.get(i + 1).map(|s| s.to_string()))
                    .flatten()
            })
    });
    if args.contains(&"--import") {
        ctx.approximated("rpm --import: the key is not added to the rpm database");
        return Ok(0);
    }
    if query {
        if let Some(fmt) = format.filter(|f| f.trim() == "%{ARCH}" || f.trim() == "%{arch}") {
            let _ = fmt;
            ctx.out_str("x86_64")?;
            return Ok(0);
        }
    }
    if args.iter().any(|a| matches!(*a, "--eval" | "-E")) {
        ctx.not_simulated("rpm --eval is not simulated");
        return Ok(0);
    }
    ctx.not_simulated("rpm queries and installs need the rpm database, which is not modelled");
    Ok(0)
}
