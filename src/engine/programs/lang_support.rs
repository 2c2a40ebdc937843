//! Helpers the language tools (`git`, `pip`, `npm`, `dotnet`, `javac`, `gem` …) share:
//! writing size-only stand-ins with their parent directories, reading small text files,
//! finding the installed version of a distro package, and deterministic stand-in ids.
//!
//! Invariants: nothing here panics; every helper is bounded by the data it is given.

use crate::engine::shell::fs::Data;
use crate::engine::shell::programs::ProgramCtx;
use sha2::{Digest, Sha256};

/// The basename of `argv[0]`, or `default`.
pub fn program_name(argv: &[String], default: &str) -> String {
    argv.first()
        .map(|a| a.rsplit('/').next().unwrap_or(a).to_string())
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| default.to_string())
}

/// The parent of an absolute path (`/` for top-level names).
pub fn parent_of(path: &str) -> &str {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/",
        Some((p, _)) => p,
    }
}

/// Last path component of `path` (ignoring trailing slashes).
pub fn base_name(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

/// Writes a file whose content is not modelled, creating its parents.
pub fn write_sized(ctx: &mut ProgramCtx<'_, '_>, path: &str, size: u64, mode: u32) -> bool {
    let abs = ctx.abs(path);
    let _ = ctx.mkdir_p(parent_of(&abs), 0o755);
    ctx.write_mode(&abs, Data::Unknown(size), mode).is_ok()
}

/// Writes a text file, creating its parents.
pub fn write_text(ctx: &mut ProgramCtx<'_, '_>, path: &str, text: &str, mode: u32) -> bool {
    let abs = ctx.abs(path);
    let _ = ctx.mkdir_p(parent_of(&abs), 0o755);
    ctx.write_mode(&abs, Data::Bytes(text.as_bytes()), mode)
        .is_ok()
}

/// A file's text if it exists and its content is known.
pub fn read_text(ctx: &mut ProgramCtx<'_, '_>, path: &str) -> Option<String> {
    let abs = ctx.abs(path);
    ctx.read_text(&abs).ok().flatten()
}

/// A file's text as given (no `cwd` resolution), empty when it is missing or its content
/// is not known: for the databases and config files tools read line by line.
pub fn text_or_empty(ctx: &mut ProgramCtx<'_, '_>, path: &str) -> String {
    ctx.read_text(path).ok().flatten().unwrap_or_default()
}

/// Whether `path` exists (following symlinks).
pub fn exists(ctx: &ProgramCtx<'_, '_>, path: &str) -> bool {
    ctx.stat(&ctx.abs(path)).is_ok()
}

/// Whether `path` is a directory.
pub fn is_dir(ctx: &ProgramCtx<'_, '_>, path: &str) -> bool {
    ctx.stat(&ctx.abs(path))
        .map(|m| m.is_dir())
        .unwrap_or(false)
}

/// The process's home directory (`$HOME`, else `/root`).
pub fn home(ctx: &ProgramCtx<'_, '_>) -> String {
    ctx.env("HOME")
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "/root".to_string())
}

/// The upstream version of an installed distro package (dpkg status or apk database),
/// without epoch and packaging revision: `1:2.39.5-0+deb12u2` → `2.39.5`,
/// `2.45.3-r0` → `2.45.3`.
pub fn distro_version(ctx: &mut ProgramCtx<'_, '_>, names: &[&str]) -> Option<String> {
    let (version, dpkg) = installed_version(ctx, names)?;
    Some(if dpkg {
        let v = version.split_once(':').map_or(version.as_str(), |(_, r)| r);
        v.split(['-', '+', '~']).next().unwrap_or(v).to_string()
    } else {
        version.split("-r").next().unwrap_or(&version).to_string()
    })
}

/// The version field of the first installed package named in `names`, as the database
/// records it, and whether it came from dpkg (else apk).
pub fn installed_version(ctx: &mut ProgramCtx<'_, '_>, names: &[&str]) -> Option<(String, bool)> {
    let dpkg = read_text(ctx, "/var/lib/dpkg/status").unwrap_or_default();
    for stanza in dpkg.split("\n\n").take(20_000) {
        let field = |key: &str| {
            stanza
                .lines()
                .find_map(|l| l.strip_prefix(key).map(|v| v.trim().to_string()))
        };
        if field("Package:").is_some_and(|p| names.contains(&p.as_str()))
            && field("Status:").is_some_and(|s| s.ends_with(" installed"))
        {
            if let Some(v) = field("Version:") {
                return Some((v, true));
            }
        }
    }
    let apk = read_text(ctx, "/lib/apk/db/installed").unwrap_or_default();
    for stanza in apk.split("\n\n").take(20_000) {
        let name = stanza.lines().find_map(|l| l.strip_prefix("P:"));
        if name.is_some_and(|n| names.contains(&n)) {
            if let Some(v) = stanza.lines().find_map(|l| l.strip_prefix("V:")) {
                return Some((v.to_string(), false));
            }
        }
    }
    None
}

/// Directory names in `dir` starting with `prefix` (sorted).
pub fn dir_entries_with(ctx: &ProgramCtx<'_, '_>, dir: &str, prefix: &str) -> Vec<String> {
    ctx.read_dir(&ctx.abs(dir))
        .unwrap_or_default()
        .into_iter()
        .filter(|n| n.starts_with(prefix))
        .collect()
}

/// A deterministic 64-hex-digit stand-in derived from `seed` (commit ids, pack names).
pub fn stand_in_hex(seed: &str) -> String {
    crate::text::hex(&Sha256::digest(seed.as_bytes()))
}

/// `major.minor` of a dotted version.
pub fn major_minor(version: &str) -> String {
    version.split('.').take(2).collect::<Vec<_>>().join(".")
}

/// Splits a trivial `print("x")` / `console.log('x')` call into its literal argument.
pub fn trivial_print(code: &str, function: &str) -> Option<String> {
    let inner = code
        .trim()
        .trim_end_matches(';')
        .strip_prefix(function)?
        .trim_start()
        .strip_prefix('(')?
        .strip_suffix(')')?
        .trim();
    let quote = inner.chars().next()?;
    if !matches!(quote, '"' | '\'') {
        return None;
    }
    let body = inner.strip_prefix(quote)?.strip_suffix(quote)?;
    if body.contains(quote) || body.contains('\\') {
        return None;
    }
    Some(body.to_string())
}

/// Like [`super::require_on_path`], but a command run by its path (`/venv/bin/pip`) was
/// already found by the shell.
pub fn require(
    ctx: &mut ProgramCtx<'_, '_>,
    argv: &[String],
    name: &str,
) -> Option<crate::engine::shell::programs::ProgResult> {
    if argv.first().is_some_and(|a| a.contains('/')) {
        return None;
    }
    super::require_on_path(ctx, name)
}
