//! tonistiigi/xx's cross-compilation helpers (images get them with `COPY --from=xx / /`):
//! `xx-info` answers from TARGETPLATFORM / TARGETPAIR / TARGETOS / TARGETARCH /
//! TARGETVARIANT and the image's `/etc/os-release`, with the build machine (linux/amd64,
//! `uname -m` = x86_64) as the default; `xx-apt-get`/`xx-apt`/`xx-apk` print the command
//! they run and delegate to the package managers; `xx-go` runs `go` with GOOS/GOARCH set;
//! `xx-verify` checks the files; `xx-clang`/`xx-cc`/`xx-c++` delegate to the compilers.
//!
//! Invariants: the playground builds for its own platform, so package installs are never
//! cross (the same names, the native index); a foreign target is reported, not faked.

use super::lang_support::program_name;
use super::require_on_path;
use crate::engine::shell::fs::Data;
use crate::engine::shell::programs::{ProgResult, ProgramCtx, Registry};

/// The build machine's `uname -m`.
const BUILD_MARCH: &str = "x86_64";

pub fn register(registry: &mut Registry) {
    registry.register("xx-info", xx_info);
    registry.register("xx-apt-get", xx_apt);
    registry.register("xx-apt", xx_apt);
    registry.register("xx-apk", xx_apk);
    registry.register("xx-go", xx_go);
    registry.register("xx-verify", xx_verify);
    for name in ["xx-clang", "xx-clang++", "xx-cc", "xx-c++"] {
        registry.register(name, xx_cc);
    }
    registry.register("xx-cargo", xx_cargo);
}

/// The target as xx-info derives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub os: String,
    pub arch: String,
    pub variant: String,
    pub os_version: String,
    pub vendor: String,
    pub libc: String,
    pub march: String,
    pub debian_arch: String,
    pub alpine_arch: String,
    pub rhel_arch: String,
    pub pkg_arch: String,
    pub triple: String,
}

impl Target {
    /// Whether the target differs from the build machine (`xx-info is-cross`).
    pub fn is_cross(&self) -> bool {
        !(self.march == BUILD_MARCH && self.os == "linux")
    }

    fn supported(&self) -> bool {
        !self.arch.is_empty() && self.march != "unknown" && self.triple != "unknown-unknown-none"
    }
}

fn os_release_field(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
        .map(|v| v.trim().trim_matches('"').to_string())
        .unwrap_or_default()
}

/// xx-info's mapping, from the environment lookup `env` and `/etc/os-release` text.
pub fn target(env: &dyn Fn(&str) -> Option<String>, os_release: &str) -> Target {
    let get = |n: &str| env(n).filter(|v| !v.is_empty());
    let mut os = get("TARGETOS").unwrap_or_default();
    let mut arch = get("TARGETARCH").unwrap_or_default();
    let mut variant = get("TARGETVARIANT").unwrap_or_default();
    if let Some(pair) = get("TARGETPAIR") {
        let mut it = pair.split('-');
        let (p_os, p_arch) = (it.next().unwrap_or(""), it.next().unwrap_or(""));
        let (p_arch, p_var) = match p_arch.strip_prefix("arm").filter(|v| v.starts_with('v')) {
            Some(v) => ("arm", v),
            None => (p_arch, ""),
        };
        if !p_os.is_empty() && !p_arch.is_empty() {
            os = p_os.to_string();
            arch = p_arch.to_string();
            if !p_var.is_empty() {
                variant = p_var.to_string();
            }
        }
    }
    if let Some(platform) = get("TARGETPLATFORM") {
        let parts: Vec<&str> = platform.split('/').collect();
        let (p_os, p_arch) = (
            parts.first().copied().unwrap_or(""),
            parts.get(1).copied().unwrap_or(""),
        );
        let p_var = parts.get(2).copied().unwrap_or("");
        if !p_os.is_empty() && !p_arch.is_empty() {
            os = p_os.to_string();
            arch = p_arch.to_string();
            match p_arch {
                "amd64" if matches!(p_var, "v2" | "v3" | "v4") => variant = p_var.to_string(),
                "arm" => {
                    variant = if matches!(p_var, "v5" | "v6" | "v8") {
                        p_var.to_string()
                    } else {
                        "v7".to_string()
                    }
                }
                a if a.starts_with("mips") => variant = p_var.to_string(),
                _ => {}
            }
        }
    }
    let distro = os_release_field(os_release, "ID");
    let os_version = os_release_field(os_release, "VERSION_ID");
    if arch.is_empty() {
        arch = "amd64".to_string();
    }
    if os.is_empty() {
        os = "linux".to_string();
    }
    if arch == "arm" && variant.is_empty() {
        variant = "v7".to_string();
    }
    let mut vendor_name = get("XX_VENDOR").unwrap_or_else(|| {
        if distro.is_empty() {
            "unknown".to_string()
        } else {
            distro.clone()
        }
    });
    if os == "darwin" && get("XX_VENDOR").is_none() {
        vendor_name = "apple".to_string();
    }
    let vendor = match vendor_name.as_str() {
        "debian" | "ubuntu" | "rhel" | "fedora" | "centos" | "rocky" | "ol" => String::new(),
        v => format!("-{v}"),
    };
    let libc = get("XX_LIBC").unwrap_or_else(|| {
        if os == "windows" {
            "mingw32".into()
        } else if distro == "alpine" {
            "musl".into()
        } else {
            "gnu".into()
        }
    });
    let alpine = vendor_name == "alpine";
    let (march, deb, alp, rhel, triple): (&str, &str, &str, &str, String) = match arch.as_str() {
        "amd64" => (
            "x86_64",
            "amd64",
            "x86_64",
            "x86_64",
            match os.as_str() {
                "windows" => "x86_64-w64-mingw32".into(),
                _ => format!("x86_64{vendor}-linux-{libc}"),
            },
        ),
        "arm64" => (
            "aarch64",
            "arm64",
            "aarch64",
            "aarch64",
            match os.as_str() {
                "windows" => "aarch64-w64-mingw32".into(),
                _ => format!("aarch64{vendor}-linux-{libc}"),
            },
        ),
        "arm" => match variant.as_str() {
            "v6" => (
                "armv6l",
                "armel",
                "armhf",
                "armv6hl",
                if alpine {
                    format!("armv6{vendor}-linux-{libc}eabihf")
                } else {
                    format!("arm{vendor}-linux-{libc}eabi")
                },
            ),
            "v5" => (
                "armv5l",
                "armel",
                "armel",
                "armv5tel",
                if alpine {
                    format!("armv5{vendor}-linux-{libc}eabi")
                } else {
                    format!("arm{vendor}-linux-{libc}eabi")
                },
            ),
            _ => (
                "armv7l",
                "armhf",
                "armv7",
                "armv7hl",
                format!(
                    "{}{vendor}-linux-{libc}eabihf",
                    if alpine { "armv7" } else { "arm" }
                ),
            ),
        },
        "riscv64" => (
            "riscv64",
            "riscv64",
            "riscv64",
            "riscv64",
            format!("riscv64{vendor}-linux-{libc}"),
        ),
        "ppc64le" => (
            "ppc64le",
            "ppc64el",
            "ppc64le",
            "ppc64le",
            format!("powerpc64le{vendor}-linux-{libc}"),
        ),
        "s390x" => (
            "s390x",
            "s390x",
            "s390x",
            "s390x",
            format!("s390x{vendor}-linux-{libc}"),
        ),
        "loong64" => (
            "loongarch64",
            "loong64",
            "loongarch64",
            "loongarch64",
            format!("loongarch64{vendor}-linux-{libc}"),
        ),
        "386" => (
            "i386",
            "i386",
            "x86",
            "i386",
            match os.as_str() {
                "windows" => "i686-w64-mingw32".into(),
                _ if alpine => format!("i586{vendor}-linux-{libc}"),
                _ => format!("i686{vendor}-linux-{libc}"),
            },
        ),
        "mips" => (
            "mips",
            "mips",
            "mips",
            "mips",
            format!("mips{vendor}-linux-{libc}"),
        ),
        "mipsle" => (
            "mipsle",
            "mipsel",
            "mipsle",
            "mipsel",
            format!("mipsel{vendor}-linux-{libc}"),
        ),
        "mips64" => (
            "mips64",
            "mips64",
            "mips64",
            "mips64",
            format!("mips64{vendor}-linux-{libc}abi64"),
        ),
        "mips64le" => (
            "mips64le",
            "mips64el",
            "mips64le",
            "mips64el",
            format!("mips64el{vendor}-linux-{libc}abi64"),
        ),
        _ => (
            "unknown",
            "unknown",
            "unknown",
            "unknown",
            "unknown-unknown-none".into(),
        ),
    };
    let pkg_arch = match vendor_name.as_str() {
        "debian" | "ubuntu" => deb.to_string(),
        "alpine" => alp.to_string(),
        "rhel" | "fedora" | "centos" | "rocky" | "ol" => rhel.to_string(),
        _ => arch.clone(),
    };
    Target {
        os,
        arch,
        variant,
        os_version,
        vendor: vendor_name,
        libc,
        march: march.into(),
        debian_arch: deb.into(),
        alpine_arch: alp.into(),
        rhel_arch: rhel.into(),
        pkg_arch,
        triple,
    }
}

fn current_target(ctx: &mut ProgramCtx<'_, '_>) -> Target {
    let os_release = ctx
        .read_text("/etc/os-release")
        .ok()
        .flatten()
        .unwrap_or_default();
    let env: Vec<(String, String)> = ctx.environment();
    let lookup = move |n: &str| env.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    target(&lookup, &os_release)
}

/// A target this playground cannot build for: reported, nothing is run.
fn foreign(ctx: &mut ProgramCtx<'_, '_>, t: &Target) {
    ctx.not_simulated(&format!(
        "building for {}/{} is not simulated (the playground builds for linux/amd64)",
        t.os, t.arch
    ));
}

fn xx_info(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = require_on_path(ctx, "xx-info") {
        return missing;
    }
    let t = current_target(ctx);
    let cmd = argv.get(1).map(String::as_str).unwrap_or("");
    let needs_mapping = !matches!(
        cmd,
        "arch" | "variant" | "os" | "os-version" | "vendor" | "libc" | "--help"
    );
    if needs_mapping && !t.supported() {
        ctx.err(
            format!(
                "unsupported target: os={} arch={} variant={}\n",
                t.os, t.arch, t.variant
            )
            .as_bytes(),
        )?;
        return Ok(1);
    }
    let line = match cmd {
        "" | "triple" => t.triple.clone(),
        "is-cross" => return Ok(if t.is_cross() { 0 } else { 1 }),
        "arch" => t.arch.clone(),
        "variant" => t.variant.clone(),
        "os" => t.os.clone(),
        "os-version" => t.os_version.clone(),
        "march" => t.march.clone(),
        "debian-arch" => t.debian_arch.clone(),
        "alpine-arch" => t.alpine_arch.clone(),
        "rhel-arch" => t.rhel_arch.clone(),
        "pkg-arch" => t.pkg_arch.clone(),
        "vendor" => t.vendor.clone(),
        "libc" => t.libc.clone(),
        "sysroot" => {
            let alpine = ctx.stat("/etc/alpine-release").is_ok();
            if alpine && t.is_cross() && t.os == "linux" {
                format!("/{}/", t.triple)
            } else {
                "/".to_string()
            }
        }
        "env" => {
            let mut out = format!(
                "XX_OS={}\nXX_OS_VERSION={}\nXX_ARCH={}\nXX_MARCH={}\nXX_VENDOR={}\n",
                t.os, t.os_version, t.arch, t.march, t.vendor
            );
            if t.os == "linux" {
                out.push_str(&format!("XX_PKG_ARCH={}\n", t.pkg_arch));
            }
            out.push_str(&format!(
                "XX_TRIPLE={}\nXX_LIBC={}\nTARGETOS={}\nTARGETARCH={}\nTARGETVARIANT={}",
                t.triple, t.libc, t.os, t.arch, t.variant
            ));
            out
        }
        "--help" => {
            ctx.err(b"Usage: xx-info [COMMAND]\n\nCommands:\n  alpine-arch    Print target architecture for Alpine package repositories\n  arch           Print target architecture for Docker\n  debian-arch    Print target architecture for Debian/Ubuntu package repositories\n  env            Print XX_* variables defining target environment\n  is-cross       Exit cleanly if target is not native architecture\n  libc           Print used libc (musl or gnu)\n  march          Print target machine architecture, uname -m\n  os             Print target operating system (linux,darwin,windows,wasi)\n  os-version     Print operating system version\n  pkg-arch       Print either alpine-arch or debian-arch\n  rhel-arch      Print target architecture for RPM package repositories\n  sysroot        Print sysroot directory for target architecture\n  triple         Print target triple in arch[-vendor]-os-abi form\n  vendor         Print vendor part of target triple\n  variant        Print target variant if architecture is arm (eg. v7)\n\n")?;
            return Ok(0);
        }
        other => {
            ctx.out_str(&format!("unknown command {other}\n"))?;
            return Ok(1);
        }
    };
    ctx.out_str(&format!("{line}\n"))?;
    Ok(0)
}

fn xx_apt(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let name = program_name(argv, "xx-apt");
    if let Some(missing) = require_on_path(ctx, &name) {
        return missing;
    }
    let t = current_target(ctx);
    if t.is_cross() {
        foreign(ctx, &t);
        return Ok(0);
    }
    let program = if name == "xx-apt-get" {
        "apt-get"
    } else {
        "apt"
    };
    // Options and the command keep their order; package names follow them.
    let mut args: Vec<String> = Vec::new();
    let mut packages: Vec<String> = Vec::new();
    let mut parsed = false;
    for a in argv.iter().skip(1) {
        if a.starts_with('-') {
            args.push(a.clone());
        } else if matches!(
            a.as_str(),
            "install" | "remove" | "search" | "show" | "list" | "info"
        ) {
            parsed = true;
            args.push(a.clone());
        } else if parsed {
            packages.push(match a.as_str() {
                "xx-c-essentials" => "libc6-dev libgcc-12-dev".into(),
                "xx-cxx-essentials" => "libstdc++-12-dev".into(),
                _ => a.clone(),
            });
        } else {
            args.push(a.clone());
        }
    }
    if !parsed {
        // xx-apt runs plain `apt` for everything that names no packages (`update`, …).
        let mut run = vec!["apt".to_string()];
        run.extend(args);
        return ctx.run(run);
    }
    let packages: Vec<String> = packages
        .iter()
        .flat_map(|p| p.split(' ').map(str::to_string).collect::<Vec<_>>())
        .collect();
    args.extend(packages);
    ctx.err(format!("+ {program}  {}\n", args.join(" ")).as_bytes())?;
    let mut run = vec![program.to_string()];
    run.extend(args);
    ctx.run(run)
}

fn xx_apk(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = require_on_path(ctx, "xx-apk") {
        return missing;
    }
    let t = current_target(ctx);
    if t.is_cross() {
        foreign(ctx, &t);
        return Ok(0);
    }
    match argv.get(1).map(String::as_str) {
        Some("setup") | Some("clean") => return Ok(0),
        None => return ctx.run(vec!["apk".to_string()]),
        _ => {}
    }
    let mut args: Vec<String> = Vec::new();
    for a in argv.iter().skip(1) {
        match a.as_str() {
            "xx-c-essentials" => args.extend(["musl-dev".to_string(), "gcc".to_string()]),
            "xx-cxx-essentials" => args.push("g++".into()),
            _ => args.push(a.clone()),
        }
    }
    // The real script runs `apk --root / …` for a native target; same effect without it.
    ctx.out_str(&format!("+ apk  --root / {}\n", args.join(" ")))?;
    let mut run = vec!["apk".to_string()];
    run.extend(args);
    ctx.run(run)
}

/// Where `go env GOENV` points: $GOENV, else `$XDG_CONFIG_HOME/go/env`, else
/// `$HOME/.config/go/env`.
fn goenv_path(ctx: &ProgramCtx<'_, '_>) -> String {
    if let Some(p) = ctx.env("GOENV").filter(|p| !p.is_empty()) {
        return p;
    }
    if let Some(x) = ctx.env("XDG_CONFIG_HOME").filter(|p| !p.is_empty()) {
        return format!("{x}/go/env");
    }
    let home = ctx.env("HOME").unwrap_or_else(|| "/root".into());
    format!("{}/.config/go/env", home.trim_end_matches('/'))
}

fn xx_go(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = require_on_path(ctx, "xx-go") {
        return missing;
    }
    let t = current_target(ctx);
    let mut vars = vec![
        ("GOOS".to_string(), t.os.clone()),
        ("GOARCH".to_string(), t.arch.clone()),
    ];
    if t.arch == "arm" && ctx.env("GOARM").is_none() {
        let goarm = match t.variant.as_str() {
            "v5" => "5",
            "v6" => "6",
            _ => "7",
        };
        vars.push(("GOARM".into(), goarm.into()));
    }
    if t.arch == "amd64"
        && ctx.env("GOAMD64").is_none()
        && matches!(t.variant.as_str(), "v2" | "v3" | "v4")
    {
        vars.push(("GOAMD64".into(), t.variant.clone()));
    }
    match argv.get(1).map(String::as_str) {
        Some("--wrap") => {
            let path = goenv_path(ctx);
            if let Some(parent) = path
                .rsplit_once('/')
                .map(|(p, _)| p)
                .filter(|p| !p.is_empty())
            {
                let _ = ctx.mkdir_p(parent, 0o755);
            }
            let body: String = vars.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
            let _ = ctx.write_mode(&path, Data::Bytes(body.as_bytes()), 0o644);
            return Ok(0);
        }
        Some("--unwrap") => {
            let path = goenv_path(ctx);
            let _ = ctx.unlink(&path);
            return Ok(0);
        }
        _ => {}
    }
    if t.is_cross() {
        ctx.approximated(&format!(
            "xx-go for {}/{}: the build is modelled like a native one",
            t.os, t.arch
        ));
    }
    let mut run = vec!["go".to_string()];
    run.extend(argv.iter().skip(1).cloned());
    ctx.run_with_env(&vars, &[], false, run)
}

fn xx_verify(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = require_on_path(ctx, "xx-verify") {
        return missing;
    }
    let mut files = Vec::new();
    let mut static_wanted = ctx.env("XX_VERIFY_STATIC").is_some_and(|v| !v.is_empty());
    for a in argv.iter().skip(1) {
        match a.as_str() {
            "--static" => static_wanted = true,
            "--setup" => {}
            "--help" => {
                ctx.err(b"Usage: xx-verify [--static] FILE [FILE]...\n\n")?;
                return Ok(1);
            }
            f if f.starts_with('-') => {
                ctx.err(format!("invalid flag {f}\n").as_bytes())?;
                return Ok(1);
            }
            f => files.push(f.to_string()),
        }
    }
    if files.is_empty() {
        ctx.err(b"Usage: xx-verify [--static] FILE [FILE]...\n\n")?;
        return Ok(1);
    }
    for f in &files {
        let path = ctx.abs(f);
        if !ctx.stat(&path).is_ok_and(|m| m.is_file()) {
            ctx.err(format!("file not found: {f}\n").as_bytes())?;
            return Ok(1);
        }
    }
    let what = if static_wanted {
        "the binaries' architecture and static linking are not inspected (no real ELF files)"
    } else {
        "the binaries' architecture is not inspected (no real ELF files)"
    };
    ctx.approximated(what);
    Ok(0)
}

fn xx_cc(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let name = program_name(argv, "xx-cc");
    if let Some(missing) = require_on_path(ctx, &name) {
        return missing;
    }
    let t = current_target(ctx);
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    if args
        .iter()
        .any(|a| matches!(*a, "--print-target-triple" | "-print-target-triple"))
    {
        ctx.out_str(&format!("{}\n", t.triple))?;
        return Ok(0);
    }
    if args.iter().any(|a| {
        matches!(
            *a,
            "--setup-target-triple" | "-setup-target-triple" | "--wrap" | "--unwrap"
        )
    }) {
        ctx.approximated("xx-cc: the per-target compiler wrappers are not written");
        return Ok(0);
    }
    if args
        .iter()
        .any(|a| matches!(*a, "--print-sysroot" | "-print-sysroot"))
    {
        ctx.out_str("/\n")?;
        return Ok(0);
    }
    if t.is_cross() {
        foreign(ctx, &t);
        return Ok(0);
    }
    let compiler = match name.trim_start_matches("xx-") {
        "c++" | "clang++" => "clang++",
        _ => "clang",
    };
    let mut run = vec![compiler.to_string()];
    run.extend(argv.iter().skip(1).cloned());
    ctx.run(run)
}

fn xx_cargo(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = require_on_path(ctx, "xx-cargo") {
        return missing;
    }
    let t = current_target(ctx);
    if argv.get(1).map(String::as_str) == Some("--print-target-triple") {
        // Rust's triples name the vendor `unknown` where xx's do not.
        let rust = t.triple.replacen("-linux-", "-unknown-linux-", 1);
        ctx.out_str(&format!("{rust}\n"))?;
        return Ok(0);
    }
    let mut run = vec!["cargo".to_string()];
    run.extend(argv.iter().skip(1).cloned());
    ctx.run(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(vars: &[(&str, &str)], os_release: &str) -> Target {
        let owned: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let lookup = move |n: &str| owned.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        target(&lookup, os_release)
    }

    #[test]
    fn maps_targets_like_xx_info() {
        let deb = "ID=debian\nVERSION_ID=\"12\"\n";
        let alp = "ID=alpine\nVERSION_ID=3.20.3\n";
        type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str, &'a str, bool);
        let cases: [Case<'_>; 6] = [
            (&[], deb, "x86_64-linux-gnu", "amd64", false),
            (&[], alp, "x86_64-alpine-linux-musl", "x86_64", false),
            (&[], "", "x86_64-unknown-linux-gnu", "amd64", false),
            (
                &[("TARGETPLATFORM", "linux/arm64")],
                deb,
                "aarch64-linux-gnu",
                "arm64",
                true,
            ),
            (
                &[("TARGETPLATFORM", "linux/arm/v7")],
                alp,
                "armv7-alpine-linux-musleabihf",
                "armv7",
                true,
            ),
            (
                &[("TARGETPAIR", "linux-armv6")],
                deb,
                "arm-linux-gnueabi",
                "armel",
                true,
            ),
        ];
        for (vars, os_release, triple, pkg_arch, cross) in cases {
            let got = t(vars, os_release);
            assert_eq!(
                (got.triple.as_str(), got.pkg_arch.as_str(), got.is_cross()),
                (triple, pkg_arch, cross),
                "{vars:?}"
            );
        }
    }
}
