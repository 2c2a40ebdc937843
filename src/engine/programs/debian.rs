//! Debian's administration helpers over the image's real package state: `apt-mark` (the
//! auto/manual marks in `/var/lib/apt/extended_states`, holds in `/var/lib/dpkg/status`),
//! `apt-key`, `dpkg-divert` (renames for real, records `/var/lib/dpkg/diversions`),
//! `dpkg-buildflags` (bookworm's default flags), `dpkg-scanpackages`, `mk-build-deps`,
//! `update-alternatives` (the `/etc/alternatives` symlink chain), `locale` and apache's
//! `a2enmod`/`a2dismod`/`a2enconf`/`a2disconf` (symlinks in `*-enabled`).
//!
//! Invariants: every file these tools write is the file the real tool writes, with its real
//! format; output wording is the real tool's (apt 2.6, dpkg 1.21, glibc 2.36, apache2
//! 2.4 on Debian 12); what is not modelled is flagged (`approximated` / `not_simulated`).

use super::lang_support::{program_name, text_or_empty};
use super::require_on_path;
use crate::engine::packages::{apt, select_index, InstalledDb};
use crate::engine::shell::fs::Data;
use crate::engine::shell::programs::{Opts, ProgResult, ProgramCtx, Registry};
use crate::engine::shell::regex::Regex;
use std::collections::BTreeSet;

const STATUS: &str = "/var/lib/dpkg/status";
const EXTENDED_STATES: &str = "/var/lib/apt/extended_states";
const DIVERSIONS: &str = "/var/lib/dpkg/diversions";
const ALTERNATIVES_ADMIN: &str = "/var/lib/dpkg/alternatives";

pub fn register(registry: &mut Registry) {
    registry.register("apt-mark", apt_mark);
    registry.register("apt-key", apt_key);
    registry.register("dpkg-divert", dpkg_divert);
    registry.register("dpkg-buildflags", dpkg_buildflags);
    registry.register("dpkg-scanpackages", dpkg_scanpackages);
    registry.register("mk-build-deps", mk_build_deps);
    registry.register("update-alternatives", update_alternatives);
    registry.register("alternatives", update_alternatives);
    registry.register("locale", locale);
    for name in ["a2enmod", "a2dismod", "a2enconf", "a2disconf"] {
        registry.register(name, apache_switch);
    }
    registry.register("setcap", setcap);
}

// ------------------------------------------------------------------ apt-mark

/// apt reads an argument as a regular expression when it holds one of these characters
/// (apt-pkg cacheset: `.?+*|[^$`), matched case-insensitively anywhere in the name.
fn is_apt_regex(arg: &str) -> bool {
    arg.chars().any(|c| ".?+*|[^$".contains(c))
}

/// The installed packages an argument names (regex or exact name, `:amd64` allowed).
fn matching(db: &InstalledDb, arg: &str) -> Option<Vec<String>> {
    let name = arg
        .strip_suffix(":amd64")
        .or_else(|| arg.strip_suffix(":all"))
        .unwrap_or(arg);
    if is_apt_regex(name) {
        let re = Regex::new(name, true, true).ok()?;
        let mut names: Vec<String> = db
            .installed()
            .filter(|p| re.is_match(&p.name))
            .map(|p| p.name.clone())
            .collect();
        names.sort();
        names.dedup();
        return Some(names);
    }
    Some(vec![name.to_string()])
}

/// `/var/lib/apt/extended_states` as apt writes it for the auto-installed set (sorted;
/// arch-all packages are recorded under the native architecture).
fn extended_states_text(db: &InstalledDb, auto: &BTreeSet<String>) -> String {
    let mut out = String::new();
    for name in auto {
        let arch = db
            .get(name)
            .map(|p| p.arch.as_str())
            .filter(|a| !a.is_empty() && *a != "all")
            .unwrap_or("amd64");
        out.push_str(&format!(
            "Package: {name}\nArchitecture: {arch}\nAuto-Installed: 1\n\n"
        ));
    }
    out
}

/// Rewrites the `Status:` line of one package's stanza in the dpkg status text.
fn set_status_want(status: &str, name: &str, want: &str) -> String {
    let mut out = String::with_capacity(status.len());
    let mut in_pkg = false;
    for line in status.split_inclusive('\n') {
        if let Some(n) = line.strip_prefix("Package:") {
            in_pkg = n.trim() == name;
        } else if line.trim().is_empty() {
            in_pkg = false;
        }
        if in_pkg {
            if let Some(rest) = line.strip_prefix("Status:") {
                let mut words: Vec<&str> = rest.split_whitespace().collect();
                if let Some(first) = words.first_mut() {
                    *first = want;
                }
                out.push_str(&format!("Status: {}\n", words.join(" ")));
                continue;
            }
        }
        out.push_str(line);
    }
    out
}

fn apt_mark(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = require_on_path(ctx, "apt-mark") {
        return missing;
    }
    let o = Opts::parse(&argv[1..], "ocf", &["option", "config-file", "file"]);
    let Some((cmd, args)) = o.operands.split_first() else {
        ctx.out_str(
            "apt 2.6.1 (amd64)\nUsage: apt-mark [options] {auto|manual} pkg1 [pkg2 ...]\n",
        )?;
        ctx.err(b"E: No operation specified\n")?;
        return Ok(100);
    };
    let status_text = text_or_empty(ctx, STATUS);
    let db = InstalledDb::parse_dpkg(&status_text)
        .with_extended_states(&text_or_empty(ctx, EXTENDED_STATES));
    let held = |name: &str| {
        db.packages
            .iter()
            .any(|p| p.name == name && p.status.starts_with("hold "))
    };
    let mut sorted: Vec<&str> = db.installed().map(|p| p.name.as_str()).collect();
    sorted.sort_unstable();
    match cmd.as_str() {
        "showmanual" | "showauto" | "showhold" => {
            let mut out = String::new();
            for name in sorted {
                let Some(p) = db.get(name) else { continue };
                let show = match cmd.as_str() {
                    "showmanual" => !p.auto_installed,
                    "showauto" => p.auto_installed,
                    _ => held(name),
                };
                let wanted = args.is_empty() || args.iter().any(|a| a == name);
                if show && wanted {
                    out.push_str(name);
                    out.push('\n');
                }
            }
            ctx.out_str(&out)?;
            Ok(0)
        }
        "auto" | "manual" | "markauto" | "unmarkauto" | "hold" | "unhold" => {
            if args.is_empty() {
                ctx.err(b"E: No packages found\n")?;
                return Ok(100);
            }
            let os_release = text_or_empty(ctx, "/etc/os-release");
            let index = select_index(&os_release)
                .as_ref()
                .and_then(apt::AptContext::from_choice)
                .map(|c| c.index);
            let lists = ctx
                .read_dir("/var/lib/apt/lists")
                .map(|n| {
                    n.iter()
                        .any(|f| f.ends_with("_Packages") || f.contains("_Packages."))
                })
                .unwrap_or(false);
            let mut names: Vec<String> = Vec::new();
            let mut regex_used = false;
            for arg in args.iter().take(10_000) {
                regex_used |= is_apt_regex(arg);
                let Some(found) = matching(&db, arg) else {
                    ctx.err(format!("E: Regex compilation error - {arg}\n").as_bytes())?;
                    return Ok(100);
                };
                for n in found {
                    if !names.contains(&n) {
                        names.push(n);
                    }
                }
            }
            ctx.steps(names.len() as u64 / 16 + 1)?;
            let mut out = String::new();
            let mut auto: BTreeSet<String> = db
                .installed()
                .filter(|p| p.auto_installed)
                .map(|p| p.name.clone())
                .collect();
            let mut status = status_text.clone();
            let (mut auto_changed, mut status_changed) = (false, false);
            for name in &names {
                let Some(p) = db.get(name) else {
                    let known = db.packages.iter().any(|p| &p.name == name)
                        || (lists && index.is_some_and(|i| i.get(name).is_some()));
                    if known {
                        out.push_str(&format!(
                            "{name} can not be marked as it is not installed.\n"
                        ));
                        continue;
                    }
                    ctx.out_str(&out)?;
                    ctx.err(format!("E: Unable to locate package {name}\n").as_bytes())?;
                    return Ok(100);
                };
                match cmd.as_str() {
                    "auto" | "markauto" | "manual" | "unmarkauto" => {
                        let to_auto = matches!(cmd.as_str(), "auto" | "markauto");
                        let kind = if to_auto { "automatically" } else { "manually" };
                        if p.auto_installed == to_auto {
                            out.push_str(&format!("{name} was already set to {kind} installed.\n"));
                        } else {
                            if to_auto {
                                auto.insert(name.clone());
                            } else {
                                auto.remove(name);
                            }
                            auto_changed = true;
                            out.push_str(&format!("{name} set to {kind} installed.\n"));
                        }
                    }
                    "hold" => {
                        if held(name) {
                            out.push_str(&format!("{name} was already set on hold.\n"));
                        } else {
                            status = set_status_want(&status, name, "hold");
                            status_changed = true;
                            out.push_str(&format!("{name} set on hold.\n"));
                        }
                    }
                    _ => {
                        if held(name) {
                            status = set_status_want(&status, name, "install");
                            status_changed = true;
                            out.push_str(&format!("Canceled hold on {name}.\n"));
                        } else {
                            out.push_str(&format!("{name} was already not on hold.\n"));
                        }
                    }
                }
            }
            if regex_used && lists {
                ctx.approximated("apt-mark with a pattern: real apt also prints a line for every matching package that is not installed; only installed ones are listed here");
            }
            if auto_changed {
                let _ = ctx.mkdir_p("/var/lib/apt", 0o755);
                let _ = ctx.write_mode(
                    EXTENDED_STATES,
                    Data::Bytes(extended_states_text(&db, &auto).as_bytes()),
                    0o644,
                );
            }
            if status_changed {
                let _ = ctx.write_mode(STATUS, Data::Bytes(status.as_bytes()), 0o644);
            }
            ctx.out_str(&out)?;
            Ok(0)
        }
        other => {
            ctx.not_simulated(&format!("apt-mark {other} is not simulated"));
            Ok(0)
        }
    }
}

// ------------------------------------------------------------------ apt-key

fn apt_key(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = require_on_path(ctx, "apt-key") {
        return missing;
    }
    // apt 2.6 prints this on every use (apt-key is removed after bookworm).
    ctx.err(b"Warning: apt-key is deprecated. Manage keyring files in trusted.gpg.d instead (see apt-key(8)).\n")?;
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    let cmd = args
        .iter()
        .copied()
        .find(|a| !a.starts_with('-'))
        .unwrap_or("");
    match cmd {
        "add" => {
            let file = args.iter().skip_while(|a| **a != "add").nth(1).copied();
            if let Some(f) = file.filter(|f| *f != "-") {
                let path = ctx.abs(f);
                if ctx.stat(&path).is_err() {
                    ctx.err(
                        format!("gpg: can't open '{f}': No such file or directory\n").as_bytes(),
                    )?;
                    return Ok(2);
                }
            } else {
                let _ = ctx.stdin();
            }
            let _ = ctx.mkdir_p("/etc/apt", 0o755);
            let _ = ctx.append("/etc/apt/trusted.gpg", Data::Unknown(KEY_BYTES));
            ctx.approximated("apt-key add: the key is stored as an estimated-size keyring entry");
            ctx.out_str("OK\n")?;
            Ok(0)
        }
        "adv" => {
            let _ = ctx.mkdir_p("/etc/apt", 0o755);
            let _ = ctx.append("/etc/apt/trusted.gpg", Data::Unknown(KEY_BYTES));
            ctx.approximated("apt-key adv: keys are not fetched from a keyserver; an estimated-size keyring entry is written");
            Ok(0)
        }
        "list" | "finger" | "fingerprint" => {
            ctx.approximated("apt-key list: the keyring contents are not modelled");
            Ok(0)
        }
        _ => {
            ctx.not_simulated(&format!("apt-key {cmd} is not simulated"));
            Ok(0)
        }
    }
}

/// An exported OpenPGP public key (RSA 4096 with one user id) is about this big.
const KEY_BYTES: u64 = 2_400;

// ------------------------------------------------------------------ dpkg-divert

struct Diversion {
    file: String,
    divert_to: String,
    /// `:` for a local diversion.
    package: String,
}

fn parse_diversions(text: &str) -> Vec<Diversion> {
    let lines: Vec<&str> = text.lines().collect();
    lines
        .chunks(3)
        .filter(|c| c.len() == 3)
        .map(|c| Diversion {
            file: c[0].to_string(),
            divert_to: c[1].to_string(),
            package: c[2].to_string(),
        })
        .collect()
}

fn describe(d: &Diversion) -> String {
    if d.package == ":" {
        format!("local diversion of {} to {}", d.file, d.divert_to)
    } else {
        format!(
            "diversion of {} to {} by {}",
            d.file, d.divert_to, d.package
        )
    }
}

fn dpkg_divert(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = require_on_path(ctx, "dpkg-divert") {
        return missing;
    }
    let o = Opts::parse(
        &argv[1..],
        "",
        &["divert", "package", "admindir", "instdir", "root"],
    );
    let quiet = o.has(&["quiet"]);
    let mut diversions = parse_diversions(&text_or_empty(ctx, DIVERSIONS));
    let package = if o.has(&["local"]) {
        ":".to_string()
    } else {
        o.value(&["package"]).unwrap_or(":").to_string()
    };
    if o.has(&["list"]) {
        let mut out = String::new();
        for d in &diversions {
            out.push_str(&describe(d));
            out.push('\n');
        }
        ctx.out_str(&out)?;
        return Ok(0);
    }
    if o.has(&["truename"]) || o.has(&["listpackage"]) {
        let Some(file) = o.operands.first() else {
            ctx.err(b"dpkg-divert: error: --truename needs a single argument\n")?;
            return Ok(2);
        };
        let found = diversions.iter().find(|d| &d.file == file);
        let answer = if o.has(&["truename"]) {
            found.map(|d| d.divert_to.clone()).unwrap_or(file.clone())
        } else {
            match found {
                Some(d) if d.package == ":" => "LOCAL".to_string(),
                Some(d) => d.package.clone(),
                None => return Ok(0),
            }
        };
        ctx.out_str(&format!("{answer}\n"))?;
        return Ok(0);
    }
    let remove = o.has(&["remove"]);
    let [file] = o.operands.as_slice() else {
        ctx.err(b"dpkg-divert: error: --add needs a single argument\n\nUse --help for help about diverting files.\n")?;
        return Ok(2);
    };
    if !file.starts_with('/') {
        ctx.err(format!("dpkg-divert: error: filename \"{file}\" is not absolute\n").as_bytes())?;
        return Ok(2);
    }
    let rename = o.has(&["rename"]) && !o.has(&["no-rename"]);
    if remove {
        let Some(pos) = diversions.iter().position(|d| &d.file == file) else {
            if !quiet {
                ctx.out_str(&format!(
                    "No diversion 'any diversion of {file}', none removed.\n"
                ))?;
            }
            return Ok(0);
        };
        let d = diversions.remove(pos);
        if rename && ctx.stat(&d.divert_to).is_ok() && ctx.lstat(file).is_err() {
            let _ = ctx.rename(&d.divert_to, file);
        }
        if !quiet {
            ctx.out_str(&format!("Removing '{}'\n", describe(&d)))?;
        }
    } else {
        let divert_to = o
            .value(&["divert"])
            .map(str::to_string)
            .unwrap_or_else(|| format!("{file}.distrib"));
        if divert_to == *file {
            ctx.err(
                format!("dpkg-divert: error: cannot divert file '{file}' to itself\n").as_bytes(),
            )?;
            return Ok(2);
        }
        let d = Diversion {
            file: file.clone(),
            divert_to: divert_to.clone(),
            package,
        };
        if let Some(existing) = diversions.iter().find(|e| &e.file == file) {
            if existing.divert_to == divert_to && existing.package == d.package {
                if !quiet {
                    ctx.out_str(&format!("Leaving '{}'\n", describe(existing)))?;
                }
                return Ok(0);
            }
            ctx.err(
                format!(
                    "dpkg-divert: error: '{}' clashes with '{}'\n",
                    describe(&d),
                    describe(existing)
                )
                .as_bytes(),
            )?;
            return Ok(2);
        }
        if !quiet {
            ctx.out_str(&format!("Adding '{}'\n", describe(&d)))?;
        }
        if rename && ctx.lstat(file).is_ok() {
            if ctx.lstat(&divert_to).is_ok() {
                ctx.err(format!("dpkg-divert: error: rename involves overwriting '{divert_to}' with\n  different file '{file}', not allowed\n").as_bytes())?;
                return Ok(2);
            }
            if let Err(e) = ctx.rename(file, &divert_to) {
                ctx.err(
                    format!("dpkg-divert: error: cannot rename '{file}' to '{divert_to}': {e}\n")
                        .as_bytes(),
                )?;
                return Ok(2);
            }
        }
        diversions.push(d);
    }
    let mut out = String::new();
    for d in &diversions {
        out.push_str(&format!("{}\n{}\n{}\n", d.file, d.divert_to, d.package));
    }
    let _ = ctx.mkdir_p("/var/lib/dpkg", 0o755);
    let _ = ctx.write_mode(DIVERSIONS, Data::Bytes(out.as_bytes()), 0o644);
    Ok(0)
}

// ------------------------------------------------------------------ dpkg-buildflags

/// dpkg 1.21 (bookworm) on amd64 with no DEB_BUILD_MAINT_OPTIONS: hardening features
/// stackprotectorstrong, format, fortify and relro, and the reproducible feature
/// fixfilepath (which maps the current directory to `.`).
fn buildflags(cwd: &str) -> Vec<(&'static str, String)> {
    let map = format!("-ffile-prefix-map={cwd}=.");
    let c = format!("-g -O2 {map} -fstack-protector-strong -Wformat -Werror=format-security");
    let f = format!("-g -O2 {map} -fstack-protector-strong");
    vec![
        ("ASFLAGS", String::new()),
        ("CFLAGS", c.clone()),
        ("CPPFLAGS", "-Wdate-time -D_FORTIFY_SOURCE=2".to_string()),
        ("CXXFLAGS", c.clone()),
        ("DFLAGS", "-frelease".to_string()),
        ("FCFLAGS", f.clone()),
        ("FFLAGS", f.clone()),
        ("GCJFLAGS", f),
        ("LDFLAGS", "-Wl,-z,relro".to_string()),
        ("OBJCFLAGS", c.clone()),
        ("OBJCXXFLAGS", c),
    ]
}

fn dpkg_buildflags(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = require_on_path(ctx, "dpkg-buildflags") {
        return missing;
    }
    let cwd = ctx.cwd().to_string();
    let mut flags = buildflags(&cwd);
    // DEB_<flag>_SET / _APPEND / _PREPEND / _STRIP from the environment, as dpkg applies them.
    for (name, value) in flags.iter_mut() {
        if let Some(v) = ctx.env(&format!("DEB_{name}_SET")) {
            *value = v;
        }
        if let Some(v) = ctx.env(&format!("DEB_{name}_STRIP")) {
            let strip: Vec<&str> = v.split_whitespace().collect();
            *value = value
                .split_whitespace()
                .filter(|w| !strip.contains(w))
                .collect::<Vec<_>>()
                .join(" ");
        }
        if let Some(v) = ctx.env(&format!("DEB_{name}_APPEND")) {
            *value = [value.as_str(), v.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
        }
        if let Some(v) = ctx.env(&format!("DEB_{name}_PREPEND")) {
            *value = [v.as_str(), value.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
        }
    }
    if ctx.env("DEB_BUILD_MAINT_OPTIONS").is_some() || ctx.env("DEB_BUILD_OPTIONS").is_some() {
        ctx.approximated(
            "dpkg-buildflags: DEB_BUILD_MAINT_OPTIONS/DEB_BUILD_OPTIONS are not applied",
        );
    }
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    match args.as_slice() {
        [] | ["--dump"] => {
            let mut out = String::new();
            for (n, v) in &flags {
                out.push_str(&format!("{n}={v}\n"));
            }
            ctx.out_str(&out)?;
            Ok(0)
        }
        ["--get", name] => match flags.iter().find(|(n, _)| n == name) {
            Some((_, v)) => {
                ctx.out_str(&format!("{v}\n"))?;
                Ok(0)
            }
            None => Ok(1),
        },
        ["--list"] => {
            let out: String = flags.iter().map(|(n, _)| format!("{n}\n")).collect();
            ctx.out_str(&out)?;
            Ok(0)
        }
        ["--export=sh"] | ["--export"] => {
            let mut out = String::new();
            for (n, v) in flags.iter().filter(|(_, v)| !v.is_empty()) {
                out.push_str(&format!("export {n}=\"{v}\"\n"));
            }
            ctx.out_str(&out)?;
            Ok(0)
        }
        ["--export=configure"] => {
            let out: Vec<String> = flags
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(n, v)| format!("{n}=\"{v}\""))
                .collect();
            ctx.out_str(&format!("{}\n", out.join(" ")))?;
            Ok(0)
        }
        _ => {
            ctx.not_simulated(
                "only dpkg-buildflags --get, --dump, --list and --export are simulated",
            );
            Ok(0)
        }
    }
}

// ------------------------------------------------------------------ dpkg-scanpackages

fn dpkg_scanpackages(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = require_on_path(ctx, "dpkg-scanpackages") {
        return missing;
    }
    let o = Opts::parse(&argv[1..], "tam", &["type", "arch", "extra-override"]);
    let dir = o.operands.first().cloned().unwrap_or_else(|| ".".into());
    let abs = ctx.abs(&dir);
    let Ok(names) = ctx.read_dir(&abs) else {
        ctx.err(format!("dpkg-scanpackages: error: binary path {dir} not found\n").as_bytes())?;
        return Ok(2);
    };
    let debs: Vec<&String> = names.iter().filter(|n| n.ends_with(".deb")).collect();
    let mut out = String::new();
    for deb in &debs {
        let stem = deb.trim_end_matches(".deb");
        let mut parts = stem.splitn(3, '_');
        let (Some(pkg), Some(version), arch) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let size = ctx
            .stat(&format!("{abs}/{deb}"))
            .map(|m| m.size)
            .unwrap_or(0);
        let rel = if dir == "." {
            format!("./{deb}")
        } else {
            format!("{}/{deb}", dir.trim_end_matches('/'))
        };
        out.push_str(&format!(
            "Package: {pkg}\nVersion: {version}\nArchitecture: {}\nFilename: {rel}\nSize: {size}\n\n",
            arch.unwrap_or("all")
        ));
    }
    ctx.out_str(&out)?;
    ctx.err(
        format!(
            "dpkg-scanpackages: info: Wrote {} entries to output Packages file.\n",
            debs.len()
        )
        .as_bytes(),
    )?;
    ctx.approximated(
        "dpkg-scanpackages: stanzas come from the .deb file names (the archives are not read)",
    );
    Ok(0)
}

fn mk_build_deps(ctx: &mut ProgramCtx<'_, '_>, _argv: &[String]) -> ProgResult {
    if let Some(missing) = require_on_path(ctx, "mk-build-deps") {
        return missing;
    }
    ctx.not_simulated("mk-build-deps reads debian/control and builds a .deb; neither is simulated");
    Ok(0)
}

// ------------------------------------------------------------------ update-alternatives

struct Alternatives {
    mode: String,
    link: String,
    slaves: Vec<(String, String)>,
    /// (path, priority, slave paths)
    choices: Vec<(String, i64, Vec<String>)>,
}

fn parse_alternatives(text: &str) -> Option<Alternatives> {
    let mut lines = text.lines();
    let mode = lines.next()?.to_string();
    let link = lines.next()?.to_string();
    let mut slaves = Vec::new();
    loop {
        let name = lines.next()?;
        if name.is_empty() {
            break;
        }
        slaves.push((name.to_string(), lines.next()?.to_string()));
    }
    let mut choices = Vec::new();
    while let Some(path) = lines.next() {
        if path.is_empty() {
            break;
        }
        let priority = lines.next()?.trim().parse().unwrap_or(0);
        let paths = (0..slaves.len())
            .map(|_| lines.next().unwrap_or("").to_string())
            .collect();
        choices.push((path.to_string(), priority, paths));
    }
    Some(Alternatives {
        mode,
        link,
        slaves,
        choices,
    })
}

fn render_alternatives(a: &Alternatives) -> String {
    let mut s = format!("{}\n{}\n", a.mode, a.link);
    for (n, l) in &a.slaves {
        s.push_str(&format!("{n}\n{l}\n"));
    }
    s.push('\n');
    for (p, prio, paths) in &a.choices {
        s.push_str(&format!("{p}\n{prio}\n"));
        for sp in paths {
            s.push_str(&format!("{sp}\n"));
        }
    }
    s.push('\n');
    s
}

fn point(ctx: &mut ProgramCtx<'_, '_>, link: &str, name: &str, target: &str) {
    let alt = format!("/etc/alternatives/{name}");
    let _ = ctx.mkdir_p("/etc/alternatives", 0o755);
    let _ = ctx.unlink(&alt);
    if target.is_empty() {
        return;
    }
    let _ = ctx.symlink(target, &alt);
    if ctx.readlink(link).ok().as_deref() != Some(alt.as_str()) {
        if let Some(parent) = link
            .rsplit_once('/')
            .map(|(p, _)| p)
            .filter(|p| !p.is_empty())
        {
            let _ = ctx.mkdir_p(parent, 0o755);
        }
        let _ = ctx.unlink(link);
        let _ = ctx.symlink(&alt, link);
    }
}

fn apply_alternatives(ctx: &mut ProgramCtx<'_, '_>, name: &str, a: &Alternatives, chosen: &str) {
    let choice = a.choices.iter().find(|c| c.0 == chosen);
    point(ctx, &a.link, name, chosen);
    for (i, (slave, slave_link)) in a.slaves.iter().enumerate() {
        let target = choice.and_then(|c| c.2.get(i)).cloned().unwrap_or_default();
        point(ctx, slave_link, slave, &target);
    }
    let _ = ctx.mkdir_p(ALTERNATIVES_ADMIN, 0o755);
    let _ = ctx.write_mode(
        &format!("{ALTERNATIVES_ADMIN}/{name}"),
        Data::Bytes(render_alternatives(a).as_bytes()),
        0o644,
    );
}

fn best(a: &Alternatives) -> Option<String> {
    a.choices.iter().max_by_key(|c| c.1).map(|c| c.0.clone())
}

fn update_alternatives(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let program = program_name(argv, "update-alternatives");
    if let Some(missing) = require_on_path(ctx, &program) {
        return missing;
    }
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    let quiet = args.contains(&"--quiet");
    let args: Vec<&str> = args.into_iter().filter(|a| *a != "--quiet").collect();
    let say = |ctx: &mut ProgramCtx<'_, '_>,
               msg: String|
     -> crate::engine::shell::programs::PResult<()> {
        if quiet {
            Ok(())
        } else {
            ctx.out_str(&format!("update-alternatives: {msg}\n"))
        }
    };
    match args.first().copied() {
        Some("--install") => {
            let [link, name, path, priority, rest @ ..] = &args[1..] else {
                ctx.err(b"update-alternatives: error: --install needs <link> <name> <path> <priority>\n")?;
                return Ok(2);
            };
            let Ok(priority) = priority.parse::<i64>() else {
                ctx.err(b"update-alternatives: error: priority must be an integer\n")?;
                return Ok(2);
            };
            if ctx.lstat(path).is_err() {
                ctx.err(
                    format!("update-alternatives: error: alternative path {path} doesn't exist\n")
                        .as_bytes(),
                )?;
                return Ok(2);
            }
            let admin = text_or_empty(ctx, &format!("{ALTERNATIVES_ADMIN}/{name}"));
            let mut a = parse_alternatives(&admin).unwrap_or(Alternatives {
                mode: "auto".into(),
                link: link.to_string(),
                slaves: Vec::new(),
                choices: Vec::new(),
            });
            a.link = link.to_string();
            let mut slave_paths: Vec<(String, String, String)> = Vec::new();
            let mut it = rest.iter();
            while let Some(flag) = it.next() {
                if *flag != "--slave" {
                    continue;
                }
                let (Some(l), Some(n), Some(p)) = (it.next(), it.next(), it.next()) else {
                    break;
                };
                slave_paths.push((l.to_string(), n.to_string(), p.to_string()));
            }
            for (l, n, _) in &slave_paths {
                if !a.slaves.iter().any(|(sn, _)| sn == n) {
                    a.slaves.push((n.clone(), l.clone()));
                    for c in a.choices.iter_mut() {
                        c.2.push(String::new());
                    }
                }
            }
            let paths: Vec<String> = a
                .slaves
                .iter()
                .map(|(sn, _)| {
                    slave_paths
                        .iter()
                        .find(|(_, n, _)| n == sn)
                        .map(|(_, _, p)| p.clone())
                        .unwrap_or_default()
                })
                .collect();
            a.choices.retain(|c| c.0 != *path);
            a.choices.push((path.to_string(), priority, paths));
            let current = ctx.readlink(&format!("/etc/alternatives/{name}")).ok();
            let chosen = if a.mode == "auto" {
                best(&a).unwrap_or_else(|| path.to_string())
            } else {
                current.clone().unwrap_or_else(|| path.to_string())
            };
            if current.as_deref() != Some(chosen.as_str()) {
                say(
                    ctx,
                    format!(
                        "using {chosen} to provide {link} ({name}) in {} mode",
                        a.mode
                    ),
                )?;
            }
            apply_alternatives(ctx, name, &a, &chosen);
            Ok(0)
        }
        Some("--set") => {
            let [name, path] = &args[1..] else {
                ctx.err(b"update-alternatives: error: --set needs <name> <path>\n")?;
                return Ok(2);
            };
            let admin = text_or_empty(ctx, &format!("{ALTERNATIVES_ADMIN}/{name}"));
            let Some(mut a) = parse_alternatives(&admin) else {
                ctx.err(
                    format!("update-alternatives: error: no alternatives for {name}\n").as_bytes(),
                )?;
                return Ok(2);
            };
            if !a.choices.iter().any(|c| c.0 == *path) {
                ctx.err(format!("update-alternatives: error: alternative {path} for {name} not registered; not setting\n").as_bytes())?;
                return Ok(2);
            }
            a.mode = "manual".into();
            say(
                ctx,
                format!("using {path} to provide {} ({name}) in manual mode", a.link),
            )?;
            apply_alternatives(ctx, name, &a, path);
            Ok(0)
        }
        Some("--auto") => {
            let [name] = &args[1..] else {
                return Ok(2);
            };
            let admin = text_or_empty(ctx, &format!("{ALTERNATIVES_ADMIN}/{name}"));
            let Some(mut a) = parse_alternatives(&admin) else {
                ctx.err(
                    format!("update-alternatives: error: no alternatives for {name}\n").as_bytes(),
                )?;
                return Ok(2);
            };
            a.mode = "auto".into();
            let chosen = best(&a).unwrap_or_default();
            say(
                ctx,
                format!("using {chosen} to provide {} ({name}) in auto mode", a.link),
            )?;
            apply_alternatives(ctx, name, &a, &chosen);
            Ok(0)
        }
        Some("--query") | Some("--display") | Some("--list") => {
            let Some(name) = args.get(1) else {
                return Ok(2);
            };
            let admin = text_or_empty(ctx, &format!("{ALTERNATIVES_ADMIN}/{name}"));
            let Some(a) = parse_alternatives(&admin) else {
                ctx.err(
                    format!("update-alternatives: error: no alternatives for {name}\n").as_bytes(),
                )?;
                return Ok(2);
            };
            if args[0] == "--list" {
                let out: String = a.choices.iter().map(|c| format!("{}\n", c.0)).collect();
                ctx.out_str(&out)?;
            } else {
                ctx.not_simulated("update-alternatives --query/--display output is not simulated");
            }
            Ok(0)
        }
        _ => {
            ctx.not_simulated(
                "only update-alternatives --install, --set, --auto and --list are simulated",
            );
            Ok(0)
        }
    }
}

// ------------------------------------------------------------------ locale

const CATEGORIES: [&str; 12] = [
    "LC_CTYPE",
    "LC_NUMERIC",
    "LC_TIME",
    "LC_COLLATE",
    "LC_MONETARY",
    "LC_MESSAGES",
    "LC_PAPER",
    "LC_NAME",
    "LC_ADDRESS",
    "LC_TELEPHONE",
    "LC_MEASUREMENT",
    "LC_IDENTIFICATION",
];

/// glibc's normalised name (`en_US.UTF-8` → `en_US.utf8`), as `locale -a` lists it.
fn normalise_locale(name: &str) -> String {
    match name.split_once('.') {
        Some((lang, codeset)) => {
            let (codeset, modifier) = match codeset.split_once('@') {
                Some((c, m)) => (c, format!("@{m}")),
                None => (codeset, String::new()),
            };
            let cs: String = codeset
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect();
            format!("{lang}.{cs}{modifier}")
        }
        None => name.to_string(),
    }
}

fn locale(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = require_on_path(ctx, "locale") {
        return missing;
    }
    let set = |ctx: &ProgramCtx<'_, '_>, n: &str| ctx.env(n).filter(|v| !v.is_empty());
    let lang = set(ctx, "LANG");
    let all = set(ctx, "LC_ALL");
    let args: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    match args.as_slice() {
        [] => {
            let mut out = format!(
                "LANG={}\nLANGUAGE={}\n",
                lang.clone().unwrap_or_default(),
                ctx.env("LANGUAGE").unwrap_or_default()
            );
            for cat in CATEGORIES {
                match (&all, set(ctx, cat)) {
                    (Some(a), _) => out.push_str(&format!("{cat}=\"{a}\"\n")),
                    (None, Some(v)) => out.push_str(&format!("{cat}={v}\n")),
                    (None, None) => out.push_str(&format!(
                        "{cat}=\"{}\"\n",
                        lang.as_deref().unwrap_or("POSIX")
                    )),
                }
            }
            out.push_str(&format!("LC_ALL={}\n", all.unwrap_or_default()));
            ctx.out_str(&out)?;
            Ok(0)
        }
        ["-a"] | ["--all-locales"] => {
            let mut names: BTreeSet<String> = ["C", "C.utf8", "POSIX"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            let gen = text_or_empty(ctx, "/etc/locale.gen");
            let mut from_gen = false;
            for line in gen.lines().map(str::trim).filter(|l| !l.starts_with('#')) {
                if let Some(name) = line.split_whitespace().next() {
                    names.insert(normalise_locale(name));
                    from_gen = true;
                }
            }
            if from_gen {
                ctx.approximated(
                    "locale -a: the locales enabled in /etc/locale.gen are listed as generated",
                );
            }
            let out: String = names.iter().map(|n| format!("{n}\n")).collect();
            ctx.out_str(&out)?;
            Ok(0)
        }
        ["charmap"] | ["-m"] if args[0] == "charmap" => {
            let effective = all
                .or_else(|| set(ctx, "LC_CTYPE"))
                .or(lang)
                .unwrap_or_default();
            let lower = effective.to_ascii_lowercase();
            let charmap = if lower.contains("utf-8") || lower.contains("utf8") {
                "UTF-8"
            } else {
                "ANSI_X3.4-1968"
            };
            ctx.out_str(&format!("{charmap}\n"))?;
            Ok(0)
        }
        _ => {
            ctx.not_simulated("only `locale`, `locale -a` and `locale charmap` are simulated");
            Ok(0)
        }
    }
}

// ------------------------------------------------------------------ a2enmod & co

fn apache_switch(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let program = program_name(argv, "a2enmod");
    if let Some(missing) = require_on_path(ctx, &program) {
        return missing;
    }
    let enable = program.starts_with("a2en");
    let is_mod = program.ends_with("mod");
    let confdir = ctx
        .env("APACHE_CONFDIR")
        .unwrap_or_else(|| "/etc/apache2".into());
    let (kind, kind_title, available, enabled, exts, action) = if is_mod {
        (
            "mods",
            "Module",
            "mods-available",
            "mods-enabled",
            &["load", "conf"][..],
            "restart",
        )
    } else {
        (
            "conf",
            "Conf",
            "conf-available",
            "conf-enabled",
            &["conf"][..],
            "reload",
        )
    };
    let _ = kind;
    let o = Opts::parse(&argv[1..], "", &[]);
    let quiet = o.has(&["q", "quiet"]);
    let apache_installed =
        InstalledDb::parse_dpkg(&text_or_empty(ctx, STATUS)).is_installed("apache2");
    let mut out = String::new();
    let mut changed = false;
    let mut status = 0;
    for name in &o.operands {
        let name = name
            .trim_end_matches(".load")
            .trim_end_matches(".conf")
            .to_string();
        let main_ext = exts[0];
        let avail = format!("{confdir}/{available}/{name}.{main_ext}");
        let exists = ctx.stat(&avail).is_ok();
        if !(exists || is_mod && apache_installed) {
            ctx.err(format!("ERROR: {kind_title} {name} does not exist!\n").as_bytes())?;
            status = 1;
            continue;
        }
        if !exists {
            ctx.approximated("apache's module files are not modelled; the links are made as the real tool makes them");
        }
        let enabled_main = format!("{confdir}/{enabled}/{name}.{main_ext}");
        let is_enabled = ctx.lstat(&enabled_main).is_ok();
        if enable {
            if is_enabled {
                out.push_str(&format!("{kind_title} {name} already enabled\n"));
                continue;
            }
            if is_mod && exists {
                let load = text_or_empty(ctx, &avail);
                for conflict in load
                    .lines()
                    .filter_map(|l| l.trim().strip_prefix("# Conflicts:"))
                    .flat_map(|c| c.split_whitespace().map(str::to_string).collect::<Vec<_>>())
                {
                    out.push_str(&format!("Considering conflict {conflict} for {name}:\n"));
                    if ctx
                        .lstat(&format!("{confdir}/{enabled}/{conflict}.load"))
                        .is_ok()
                    {
                        ctx.out_str(&out)?;
                        ctx.err(format!("ERROR: Module {conflict} is enabled - cannot proceed due to conflicts. It needs to be disabled first!\n").as_bytes())?;
                        return Ok(1);
                    }
                }
            }
            let _ = ctx.mkdir_p(&format!("{confdir}/{enabled}"), 0o755);
            for ext in exts {
                let source = format!("{confdir}/{available}/{name}.{ext}");
                if ext != &main_ext && ctx.stat(&source).is_err() {
                    continue;
                }
                let _ = ctx.symlink(
                    &format!("../{available}/{name}.{ext}"),
                    &format!("{confdir}/{enabled}/{name}.{ext}"),
                );
            }
            out.push_str(&format!("Enabling {} {name}.\n", kind_title.to_lowercase()));
            changed = true;
        } else {
            if !is_enabled {
                out.push_str(&format!("{kind_title} {name} already disabled\n"));
                continue;
            }
            for ext in exts {
                let _ = ctx.unlink(&format!("{confdir}/{enabled}/{name}.{ext}"));
            }
            out.push_str(&format!("{kind_title} {name} disabled.\n"));
            changed = true;
        }
    }
    if changed {
        // No systemd in a container, so the script suggests `service`.
        out.push_str(&format!(
            "To activate the new configuration, you need to run:\n  service apache2 {action}\n"
        ));
    }
    if !quiet {
        ctx.out_str(&out)?;
    }
    Ok(status)
}

// ------------------------------------------------------------------ setcap

/// libcap's `setcap caps file [caps file …]`: files must exist and be regular; the
/// capabilities themselves (a `security.capability` xattr) are not stored by the vfs.
fn setcap(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = require_on_path(ctx, "setcap") {
        return missing;
    }
    const USAGE: &str = "usage: setcap [-q] [-v] [-n <rootid>] (-r|-|<caps>) <filename> [ ... (-r|-|<capsN>) <filenameN> ]\n\n Note <filename> must be a regular (non-symlink) file.\n";
    let mut words: Vec<&str> = Vec::new();
    let mut it = argv.iter().skip(1).map(String::as_str);
    while let Some(a) = it.next() {
        match a {
            "-q" | "-v" => {}
            "-n" => {
                it.next();
            }
            a => words.push(a),
        }
    }
    if words.len() < 2 || words.len() % 2 != 0 {
        ctx.err(USAGE.as_bytes())?;
        return Ok(1);
    }
    for pair in words.chunks(2) {
        let [_, file] = pair else { continue };
        let path = ctx.abs(file);
        let problem = match ctx.lstat(&path) {
            Err(e) => Some(e.to_string()),
            Ok(m) if !m.is_file() => Some("Invalid argument".to_string()),
            Ok(_) => None,
        };
        if let Some(problem) = problem {
            ctx.err(
                format!("Failed to set capabilities on file `{file}' ({problem})\n{USAGE}")
                    .as_bytes(),
            )?;
            return Ok(1);
        }
    }
    ctx.approximated("file capabilities are not recorded in the playground's filesystem");
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_locale_names_like_glibc() {
        assert_eq!(normalise_locale("en_US.UTF-8"), "en_US.utf8");
        assert_eq!(
            normalise_locale("de_DE.ISO-8859-15@euro"),
            "de_DE.iso885915@euro"
        );
        assert_eq!(normalise_locale("C"), "C");
    }

    #[test]
    fn rewrites_one_status_line() {
        let s = "Package: a\nStatus: install ok installed\n\nPackage: b\nStatus: install ok installed\n";
        assert_eq!(
            set_status_want(s, "b", "hold"),
            "Package: a\nStatus: install ok installed\n\nPackage: b\nStatus: hold ok installed\n"
        );
    }

    #[test]
    fn alternatives_round_trip() {
        let text = "auto\n/usr/bin/editor\neditor.1.gz\n/usr/share/man/man1/editor.1.gz\n\n/bin/nano\n40\n/usr/share/man/man1/nano.1.gz\n\n";
        let a = parse_alternatives(text).unwrap_or(Alternatives {
            mode: String::new(),
            link: String::new(),
            slaves: Vec::new(),
            choices: Vec::new(),
        });
        assert_eq!(render_alternatives(&a), text);
    }
}
