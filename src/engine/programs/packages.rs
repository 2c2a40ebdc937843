//! `apk`, `apt-get`, `apt` and `dpkg`: read the image's package database, ask
//! `engine::packages` for a plan, apply it to the filesystem and print what the tool prints.

use super::lang_support::text_or_empty;
use crate::engine::packages::{
    apk, apt, dpkg, select_index, FileKind, InstalledDb, PkgError, PkgPlan,
};
use crate::engine::shell::fs::Data;
use crate::engine::shell::programs::{ProgResult, ProgramCtx, Registry};

pub fn register(registry: &mut Registry) {
    registry.register("apk", run_apk);
    registry.register("apt-get", run_apt);
    registry.register("apt", run_apt);
    registry.register("dpkg", run_dpkg);
    // dpkg-query answers the same queries (-l, -s, -L, -W) from the same database.
    registry.register("dpkg-query", run_dpkg);
}

fn has_entries(ctx: &ProgramCtx<'_, '_>, dir: &str, prefix: &str) -> bool {
    ctx.read_dir(dir)
        .map(|names| {
            names
                .iter()
                .any(|n| n.starts_with(prefix) && n != "partial" && n != "lock")
        })
        .unwrap_or(false)
}

/// `YYYYmmdd.HHMMSS` and `YYYY-mm-dd HH:MM:SS` of the logical clock.
fn clock_texts(now: i64) -> (String, String) {
    let rfc = crate::engine::image::format_rfc3339(now);
    let digits: String = rfc.chars().filter(char::is_ascii_digit).collect();
    let compact = format!(
        "{}.{}",
        digits.get(..8).unwrap_or_default(),
        digits.get(8..14).unwrap_or_default()
    );
    let spaced = rfc.trim_end_matches('Z').replace('T', " ");
    (compact, spaced)
}

fn print_error(ctx: &mut ProgramCtx<'_, '_>, error: PkgError) -> ProgResult {
    ctx.out_str(&error.stdout)?;
    ctx.err(error.stderr.as_bytes())?;
    Ok(error.exit_code)
}

/// Removals first (they become whiteouts), then new files (later ones win), then log appends.
fn apply(ctx: &mut ProgramCtx<'_, '_>, plan: PkgPlan) -> ProgResult {
    ctx.steps(1 + plan.files_to_add.len() as u64 / 16)?;
    for path in &plan.files_to_remove {
        let _ = ctx.remove_tree(path);
    }
    for spec in &plan.files_to_add {
        let _ = match &spec.kind {
            FileKind::Dir => ctx.mkdir_p(&spec.path, spec.mode),
            FileKind::File { size, content } => {
                if let Some(parent) = spec
                    .path
                    .rsplit_once('/')
                    .map(|(p, _)| p)
                    .filter(|p| !p.is_empty())
                {
                    let _ = ctx.mkdir_p(parent, 0o755);
                }
                let data = match content {
                    Some(text) => Data::Bytes(text.as_bytes()),
                    None => Data::Unknown(*size),
                };
                ctx.write_mode(&spec.path, data, spec.mode)
            }
            FileKind::Symlink { target } => {
                let _ = ctx.unlink(&spec.path);
                ctx.symlink(target, &spec.path)
            }
        };
    }
    for append in &plan.appends {
        let _ = ctx.append(&append.path, Data::Bytes(append.text.as_bytes()));
    }
    if plan.estimated {
        let detail = if plan.notes.is_empty() {
            "package figures are estimates".to_string()
        } else {
            plan.notes.join("; ")
        };
        ctx.approximated(&detail);
    }
    ctx.out_str(&plan.stdout)?;
    ctx.err(plan.stderr.as_bytes())?;
    Ok(plan.exit_code)
}

fn run_apk(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = super::require_on_path(ctx, "apk") {
        return missing;
    }
    let os_release = text_or_empty(ctx, "/etc/os-release");
    let Some(mut context) = select_index(&os_release)
        .as_ref()
        .and_then(apk::ApkContext::from_choice)
    else {
        ctx.not_simulated("this image has no Alpine package index in the playground");
        return Ok(0);
    };
    context.index_cached = has_entries(ctx, "/var/cache/apk", "APKINDEX");
    context.virtual_version = clock_texts(ctx.now()).0;
    let db = InstalledDb::parse_apk(&text_or_empty(ctx, "/lib/apk/db/installed"))
        .with_world(&text_or_empty(ctx, "/etc/apk/world"));
    let request = match apk::ApkRequest::parse(&argv[1..]) {
        Ok(r) => r,
        Err(e) => return print_error(ctx, e),
    };
    match apk::plan(&context, &db, &request) {
        Ok(plan) => apply(ctx, plan),
        Err(e) => print_error(ctx, e),
    }
}

fn run_apt(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let program = super::lang_support::program_name(argv, "apt-get");
    if let Some(missing) = super::require_on_path(ctx, &program) {
        return missing;
    }
    if let Some(mode) = argv[1..].iter().find(|a| is_apt_dry_run(a)) {
        ctx.not_simulated(&format!(
            "`{program} {mode}` only reports what apt would do; that report is not modelled and nothing changed"
        ));
        return Ok(0);
    }
    let os_release = text_or_empty(ctx, "/etc/os-release");
    let Some(mut context) = select_index(&os_release)
        .as_ref()
        .and_then(apt::AptContext::from_choice)
    else {
        ctx.not_simulated("this image has no Debian package index in the playground");
        return Ok(0);
    };
    context.lists_present = has_entries(ctx, "/var/lib/apt/lists", "");
    context.timestamp = clock_texts(ctx.now()).1;
    let mut db = InstalledDb::parse_dpkg(&text_or_empty(ctx, "/var/lib/dpkg/status"))
        .with_extended_states(&text_or_empty(ctx, "/var/lib/apt/extended_states"));
    attach_lists(ctx, &mut db);
    let request = match apt::AptRequest::parse(&program, &argv[1..]) {
        Ok(r) => r,
        Err(e) => return print_error(ctx, e),
    };
    match apt::plan(&context, &db, &request) {
        Ok(plan) => apply(ctx, plan),
        Err(e) => print_error(ctx, e),
    }
}

/// apt's no-change modes: simulate (`-s` and its aliases) and download-only (`-d`).
fn is_apt_dry_run(arg: &str) -> bool {
    match arg.strip_prefix("--") {
        Some(long) => matches!(
            long,
            "simulate" | "just-print" | "dry-run" | "recon" | "no-act" | "download-only"
        ),
        None => {
            arg.len() > 1
                && arg.starts_with('-')
                && !arg.contains('=')
                && arg[1..]
                    .chars()
                    .take_while(|c| !matches!(c, 'o' | 'c' | 't'))
                    .any(|c| c == 's' || c == 'd')
        }
    }
}

/// dpkg's per-package file lists, so removals know what to delete.
fn attach_lists(ctx: &mut ProgramCtx<'_, '_>, db: &mut InstalledDb) {
    let names: Vec<String> = ctx.read_dir("/var/lib/dpkg/info").unwrap_or_default();
    for name in names
        .iter()
        .filter_map(|n| n.strip_suffix(".list"))
        .take(4096)
    {
        let list = text_or_empty(ctx, &format!("/var/lib/dpkg/info/{name}.list"));
        db.attach_dpkg_list(name.split(':').next().unwrap_or(name), &list);
    }
}

fn run_dpkg(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let program = super::lang_support::program_name(argv, "dpkg");
    if let Some(missing) = super::require_on_path(ctx, &program) {
        return missing;
    }
    let mut db = InstalledDb::parse_dpkg(&text_or_empty(ctx, "/var/lib/dpkg/status"));
    attach_lists(ctx, &mut db);
    match dpkg::plan(&db, &argv[1..]) {
        Ok(plan) => apply(ctx, plan),
        Err(e) => print_error(ctx, e),
    }
}

#[cfg(test)]
mod tests {
    use super::is_apt_dry_run;

    #[test]
    fn apt_dry_run_flags() {
        for (arg, dry) in [
            ("-s", true),
            ("-ys", true),
            ("--simulate", true),
            ("--dry-run", true),
            ("--download-only", true),
            ("-d", true),
            ("-y", false),
            ("-qq", false),
            ("--no-install-recommends", false),
            ("-oDebug::pkgProblemResolver=yes", false),
            ("install", false),
        ] {
            assert_eq!(is_apt_dry_run(arg), dry, "{arg}");
        }
    }
}
