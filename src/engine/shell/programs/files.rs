//! File programs: `cat`, `touch`, `mkdir`, `rm`, `rmdir`, `cp`, `mv`, `ln`, `chmod`,
//! `chown`, `chgrp`, `ls`, `stat`, `readlink`, `realpath`, `mktemp`, `install`, `dd`,
//! `truncate`, `fallocate`, `du`. GNU wording by default, BusyBox wording on Alpine.
//!
//! Invariant: tree walks are iterative and cost a step per entry.

use super::{read_inputs, Opts, PResult, ProgResult, ProgramCtx, Registry};
use crate::engine::shell::fs::{self, Content, Data, Errno, Metadata};

pub fn register(r: &mut Registry) {
    r.register("cat", cat);
    r.register("touch", touch);
    r.register("mkdir", mkdir);
    r.register("rm", rm);
    r.register("rmdir", rmdir);
    r.register("cp", cp);
    r.register("mv", mv);
    r.register("ln", ln);
    r.register("chmod", chmod);
    r.register("chown", chown);
    r.register("chgrp", chown);
    r.register("ls", ls);
    r.register("stat", stat);
    r.register("readlink", readlink);
    r.register("realpath", realpath);
    r.register("mktemp", mktemp);
    r.register("install", install);
    r.register("dd", dd);
    r.register("truncate", truncate);
    r.register("fallocate", fallocate);
    r.register("du", du);
    r.register("unlink", |ctx: &mut ProgramCtx<'_, '_>, argv: &[String]| {
        let Some(p) = argv.get(1) else {
            ctx.usage("missing operand")?;
            return Ok(1);
        };
        match ctx.unlink(p) {
            Ok(()) => Ok(0),
            Err(e) => {
                ctx.fs_error("can't unlink", p, e)?;
                Ok(1)
            }
        }
    });
}

// ---------------------------------------------------------------- modes

/// `-rwxr-xr-x` for `ls -l` and `stat %A`.
pub fn mode_string(m: &Metadata) -> String {
    let mut s = String::with_capacity(10);
    s.push(match m.kind {
        fs::FileKind::Dir => 'd',
        fs::FileKind::Symlink => 'l',
        fs::FileKind::File => '-',
    });
    let bits = m.mode;
    for (shift, special, ch) in [(6, 0o4000, 's'), (3, 0o2000, 's'), (0, 0o1000, 't')] {
        let b = (bits >> shift) & 7;
        s.push(if b & 4 != 0 { 'r' } else { '-' });
        s.push(if b & 2 != 0 { 'w' } else { '-' });
        let x = b & 1 != 0;
        s.push(if bits & special != 0 {
            if x {
                ch
            } else {
                ch.to_ascii_uppercase()
            }
        } else if x {
            'x'
        } else {
            '-'
        });
    }
    s
}

/// Applies a symbolic mode (`u+x,go-w`, `a=r`, `+X`) to `cur`. Without a "who", the
/// umask limits the bits as POSIX says. `None` if the spec is invalid.
pub fn parse_symbolic_mode(spec: &str, cur: u32, is_dir: bool, umask: u32) -> Option<u32> {
    let mut mode = cur & 0o7777;
    for clause in spec.split(',') {
        let chars: Vec<char> = clause.chars().collect();
        let mut i = 0;
        let mut who = 0u32;
        while i < chars.len() && "ugoa".contains(chars[i]) {
            who |= match chars[i] {
                'u' => 0o4700,
                'g' => 0o2070,
                'o' => 0o1007,
                _ => 0o7777,
            };
            i += 1;
        }
        let masked = who == 0;
        if who == 0 {
            who = 0o7777;
        }
        if i >= chars.len() {
            return None;
        }
        while i < chars.len() {
            let op = chars[i];
            if !"+-=".contains(op) {
                return None;
            }
            i += 1;
            let mut perm = 0u32;
            while i < chars.len() && !"+-=".contains(chars[i]) {
                perm |= match chars[i] {
                    'r' => 0o444,
                    'w' => 0o222,
                    'x' => 0o111,
                    'X' => {
                        if is_dir || cur & 0o111 != 0 {
                            0o111
                        } else {
                            0
                        }
                    }
                    's' => 0o6000,
                    't' => 0o1000,
                    'u' => {
                        let b = (cur >> 6) & 7;
                        b * 0o111
                    }
                    'g' => {
                        let b = (cur >> 3) & 7;
                        b * 0o111
                    }
                    'o' => {
                        let b = cur & 7;
                        b * 0o111
                    }
                    _ => return None,
                };
                i += 1;
            }
            let mut bits = perm & who;
            if masked {
                bits &= !umask;
            }
            match op {
                '+' => mode |= bits,
                '-' => mode &= !bits,
                _ => {
                    let clear = if masked { 0o7777 } else { who };
                    mode = (mode & !clear) | bits;
                }
            }
        }
    }
    Some(mode)
}

pub fn parse_mode(spec: &str, cur: u32, is_dir: bool, umask: u32) -> Option<u32> {
    if !spec.is_empty() && spec.chars().all(|c| ('0'..='7').contains(&c)) {
        let v = u32::from_str_radix(spec, 8).ok()?;
        if v > 0o7777 {
            return None;
        }
        // GNU keeps a directory's setuid/setgid bits for short octal modes
        if is_dir && spec.len() <= 3 {
            return Some(v | (cur & 0o6000));
        }
        return Some(v);
    }
    parse_symbolic_mode(spec, cur, is_dir, umask)
}

/// Resolves `user` (name or number) to a uid.
fn resolve_uid(ctx: &mut ProgramCtx<'_, '_>, user: &str) -> Option<u32> {
    if let Some(e) = ctx.passwd_entry(user) {
        if e.0 == user {
            return Some(e.1);
        }
    }
    user.parse().ok()
}

fn resolve_gid(ctx: &mut ProgramCtx<'_, '_>, group: &str) -> Option<u32> {
    if let Some(e) = ctx.group_entry(group) {
        if e.0 == group {
            return Some(e.1);
        }
    }
    group.parse().ok()
}

// ---------------------------------------------------------------- cat, touch, mkdir

fn cat(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "", &[]);
    let number = o.has(&["n", "number"]);
    let (inputs, ok) = read_inputs(ctx, &o.operands)?;
    let mut line_no = 0usize;
    for (_, data) in inputs {
        if number && data.is_known() {
            let mut out = Vec::new();
            for line in data.bytes.split_inclusive(|&c| c == b'\n') {
                line_no += 1;
                out.extend_from_slice(format!("{line_no:6}\t").as_bytes());
                out.extend_from_slice(line);
            }
            ctx.out(&out)?;
        } else {
            ctx.out(&data.bytes)?;
            ctx.out_unknown(data.unknown)?;
        }
    }
    Ok(i32::from(!ok))
}

fn touch(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "drt", &["date", "reference"]);
    let no_create = o.has(&["c", "no-create"]);
    if o.operands.is_empty() {
        ctx.usage("missing file operand")?;
        return Ok(1);
    }
    let mut status = 0;
    for f in &o.operands {
        let r = match ctx.stat(f) {
            Ok(_) => ctx.touch(f),
            Err(Errno::NotFound) if no_create => Ok(()),
            Err(Errno::NotFound) => ctx.append(f, Data::Bytes(&[])),
            Err(e) => Err(e),
        };
        if let Err(e) = r {
            status = 1;
            if ctx.busybox() {
                ctx.fs_error("", f, e)?;
            } else {
                ctx.fs_error("cannot touch", f, e)?;
            }
        }
    }
    Ok(status)
}

fn mkdir(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "m", &["mode"]);
    let parents = o.has(&["p", "parents"]);
    let verbose = o.has(&["v", "verbose"]);
    let mode_spec = o.value(&["m", "mode"]).map(str::to_string);
    if o.operands.is_empty() {
        ctx.usage("missing operand")?;
        return Ok(1);
    }
    let mut status = 0;
    for d in &o.operands {
        let r = if parents {
            match ctx.stat(d) {
                Ok(m) if m.is_dir() => Ok(()),
                _ => ctx.mkdir_p(d, 0o777),
            }
        } else {
            ctx.mkdir(d, 0o777)
        };
        match r {
            Ok(()) => {
                if let Some(spec) = &mode_spec {
                    let cur = ctx.stat(d).map(|m| m.mode).unwrap_or(0o755);
                    match parse_mode(spec, cur, true, 0) {
                        Some(m) => {
                            let _ = ctx.chmod(d, m);
                        }
                        None => {
                            ctx.usage(&format!("invalid mode '{spec}'"))?;
                            return Ok(1);
                        }
                    }
                }
                if verbose {
                    ctx.out_str(&format!("mkdir: created directory '{d}'\n"))?;
                }
            }
            Err(e) => {
                status = 1;
                ctx.fs_error("can't create directory", d, e)?;
            }
        }
    }
    Ok(status)
}

// ---------------------------------------------------------------- rm, rmdir

fn rm(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "", &[]);
    let force = o.has(&["f", "force"]);
    let recursive = o.has(&["r", "R", "recursive"]);
    let dir_ok = o.has(&["d", "dir"]);
    let verbose = o.has(&["v", "verbose"]);
    if o.operands.is_empty() {
        if force {
            return Ok(0);
        }
        ctx.usage("missing operand")?;
        return Ok(1);
    }
    let mut status = 0;
    for f in &o.operands {
        let base = fs::file_name(f);
        if base == "." || base == ".." {
            ctx.error(&format!(
                "refusing to remove '.' or '..' directory: skipping '{f}'"
            ))?;
            status = 1;
            continue;
        }
        if recursive && ctx.abs(f) == "/" && !o.has(&["no-preserve-root"]) {
            ctx.error("it is dangerous to operate recursively on '/'")?;
            ctx.error("use --no-preserve-root to override this failsafe")?;
            status = 1;
            continue;
        }
        let meta = match ctx.lstat(f) {
            Ok(m) => m,
            Err(e) => {
                if !(force && e == Errno::NotFound) {
                    ctx.fs_error("can't remove", f, e)?;
                    status = 1;
                }
                continue;
            }
        };
        ctx.steps(1)?;
        let r = if meta.is_dir() {
            if recursive {
                ctx.remove_tree(f)
            } else if dir_ok {
                ctx.rmdir(f)
            } else {
                status = 1;
                if ctx.busybox() {
                    ctx.error(&format!("'{f}' is a directory"))?;
                } else {
                    ctx.error(&format!("cannot remove '{f}': Is a directory"))?;
                }
                continue;
            }
        } else {
            ctx.unlink(f)
        };
        match r {
            Ok(()) => {
                if verbose {
                    let what = if meta.is_dir() {
                        "removed directory"
                    } else {
                        "removed"
                    };
                    ctx.out_str(&format!("{what} '{f}'\n"))?;
                }
            }
            Err(e) => {
                ctx.fs_error("can't remove", f, e)?;
                status = 1;
            }
        }
    }
    Ok(status)
}

fn rmdir(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "", &[]);
    let parents = o.has(&["p", "parents"]);
    let ignore = o.has(&["ignore-fail-on-non-empty"]);
    let mut status = 0;
    for d in &o.operands {
        let mut cur = d.trim_end_matches('/').to_string();
        loop {
            match ctx.rmdir(&cur) {
                Ok(()) => {}
                Err(Errno::NotEmpty) if ignore => break,
                Err(e) => {
                    if ctx.busybox() {
                        ctx.fs_error("", &cur, e)?;
                    } else {
                        ctx.error(&format!("failed to remove '{cur}': {e}"))?;
                    }
                    status = 1;
                    break;
                }
            }
            if !parents {
                break;
            }
            let p = super::basic::dirname_of(&cur);
            if p == "." || p == "/" || p == cur {
                break;
            }
            cur = p;
        }
    }
    Ok(status)
}

// ---------------------------------------------------------------- cp, mv, install

#[derive(Debug, Clone, Copy)]
struct CopyOpts {
    recursive: bool,
    preserve_mode: bool,
    preserve_owner: bool,
    no_deref: bool,
    no_clobber: bool,
    verbose: bool,
}

/// Copies one file (not directory); `dst` is the final path.
fn copy_file(
    ctx: &mut ProgramCtx<'_, '_>,
    src: &str,
    dst: &str,
    meta: &Metadata,
    o: &CopyOpts,
) -> PResult<bool> {
    if meta.is_symlink() && o.no_deref {
        let target = match ctx.readlink(src) {
            Ok(t) => t,
            Err(e) => {
                ctx.fs_error("can't read link", src, e)?;
                return Ok(false);
            }
        };
        if ctx.lstat(dst).is_ok() {
            let _ = ctx.unlink(dst);
        }
        if let Err(e) = ctx.symlink(&target, dst) {
            ctx.fs_error("can't create symlink", dst, e)?;
            return Ok(false);
        }
        if o.preserve_owner {
            let _ = ctx.chown(dst, Some(meta.uid), Some(meta.gid), false);
        }
        return Ok(true);
    }
    let content = match ctx.read(src) {
        Ok(c) => c,
        Err(e) => {
            if ctx.busybox() {
                ctx.fs_error("can't open", src, e)?;
            } else {
                ctx.error(&format!("cannot open '{src}' for reading: {e}"))?;
            }
            return Ok(false);
        }
    };
    if o.no_clobber && ctx.lstat(dst).is_ok() {
        return Ok(true);
    }
    let existed = ctx.stat(dst).is_ok();
    let mode = meta.mode & 0o777;
    let r = ctx.write_mode(dst, Data::from(&content), mode);
    if let Err(e) = r {
        if ctx.busybox() {
            ctx.fs_error("can't create", dst, e)?;
        } else {
            ctx.error(&format!("cannot create regular file '{dst}': {e}"))?;
        }
        return Ok(false);
    }
    if o.preserve_mode || (!existed && meta.mode & 0o7000 != 0 && o.preserve_owner) {
        let _ = ctx.chmod(dst, meta.mode);
    }
    if o.preserve_owner && ctx.uid() == 0 {
        let _ = ctx.chown(dst, Some(meta.uid), Some(meta.gid), true);
    }
    if o.verbose {
        ctx.out_str(&format!("'{src}' -> '{dst}'\n"))?;
    }
    Ok(true)
}

/// Copies `src` (file or tree) to exactly `dst`.
fn copy_any(ctx: &mut ProgramCtx<'_, '_>, src: &str, dst: &str, o: &CopyOpts) -> PResult<bool> {
    let meta = if o.no_deref {
        ctx.lstat(src)
    } else {
        ctx.stat(src)
    };
    let meta = match meta {
        Ok(m) => m,
        Err(e) => {
            ctx.fs_error("can't stat", src, e)?;
            return Ok(false);
        }
    };
    if !meta.is_dir() {
        return copy_file(ctx, src, dst, &meta, o);
    }
    if !o.recursive {
        if ctx.busybox() {
            ctx.error(&format!("omitting directory '{src}'"))?;
        } else {
            ctx.error(&format!("-r not specified; omitting directory '{src}'"))?;
        }
        return Ok(false);
    }
    let (src_abs, dst_abs) = (ctx.abs(src), ctx.abs(dst));
    if dst_abs == src_abs || dst_abs.starts_with(&format!("{src_abs}/")) {
        ctx.error(&format!(
            "cannot copy a directory, '{src}', into itself, '{dst}'"
        ))?;
        return Ok(false);
    }
    let mut ok = true;
    // (source dir, destination dir) pairs to process
    let mut stack = vec![(src_abs, dst_abs, meta)];
    while let Some((s, d, m)) = stack.pop() {
        ctx.steps(1)?;
        match ctx.stat(&d) {
            Ok(dm) if dm.is_dir() => {}
            Ok(_) => {
                ctx.error(&format!(
                    "cannot overwrite non-directory '{d}' with directory '{s}'"
                ))?;
                ok = false;
                continue;
            }
            Err(_) => {
                if let Err(e) = ctx.mkdir(&d, m.mode & 0o777) {
                    ctx.fs_error("can't create directory", &d, e)?;
                    ok = false;
                    continue;
                }
                // a copied directory keeps the source's permission bits (minus umask
                // unless preserving)
                let mode = if o.preserve_mode {
                    m.mode
                } else {
                    m.mode & 0o777 & !ctx.umask()
                };
                let _ = ctx.chmod(&d, mode);
            }
        }
        if o.preserve_owner && ctx.uid() == 0 {
            let _ = ctx.chown(&d, Some(m.uid), Some(m.gid), true);
        }
        if o.preserve_mode {
            let _ = ctx.chmod(&d, m.mode);
        }
        let names = match ctx.read_dir(&s) {
            Ok(n) => n,
            Err(e) => {
                ctx.fs_error("can't open directory", &s, e)?;
                ok = false;
                continue;
            }
        };
        for n in names.into_iter().rev() {
            let (cs, cd) = (fs::child(&s, &n), fs::child(&d, &n));
            let cm = if o.no_deref {
                ctx.lstat(&cs)
            } else {
                ctx.stat(&cs)
            };
            let Ok(cm) = cm else { continue };
            if cm.is_dir() {
                stack.push((cs, cd, cm));
            } else {
                ctx.steps(1)?;
                ok &= copy_file(ctx, &cs, &cd, &cm, o)?;
            }
        }
    }
    Ok(ok)
}

/// The destination for `src` given the last operand (`dir/` + basename if a directory).
fn target_path(ctx: &mut ProgramCtx<'_, '_>, src: &str, dst: &str, into_dir: bool) -> String {
    if into_dir {
        let base = fs::file_name(src.trim_end_matches("/."));
        if src.ends_with("/.") || src == "." {
            return dst.to_string();
        }
        return format!("{}/{}", dst.trim_end_matches('/'), base);
    }
    let _ = ctx;
    dst.to_string()
}

/// `cp`'s and `mv`'s operands: the sources, the destination (`-t DIR` or the last operand)
/// and whether it is a directory to put them into (never with `-T`). `None` once the error
/// coreutils prints is written: a missing operand, or several sources and no directory.
fn sources_and_destination(
    ctx: &mut ProgramCtx<'_, '_>,
    o: &Opts,
) -> PResult<Option<(Vec<String>, String, bool)>> {
    let mut ops = o.operands.clone();
    let dst = match o.value(&["t", "target-directory"]) {
        Some(t) => t.to_string(),
        None => match (ops.first(), ops.len()) {
            (None, _) => {
                ctx.usage("missing file operand")?;
                return Ok(None);
            }
            (Some(only), 1) => {
                let text = format!("missing destination file operand after '{only}'");
                ctx.error(&text)?;
                return Ok(None);
            }
            _ => ops.pop().unwrap_or_default(),
        },
    };
    let dst_is_dir = !o.has(&["T", "no-target-directory"])
        && ctx.stat(&dst).map(|m| m.is_dir()).unwrap_or(false);
    if ops.len() > 1 && !dst_is_dir {
        ctx.error(&format!("target '{dst}' is not a directory"))?;
        return Ok(None);
    }
    Ok(Some((ops, dst, dst_is_dir)))
}

fn cp(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(
        &argv[1..],
        "tS",
        &[
            "target-directory",
            "suffix",
            "preserve",
            "no-preserve",
            "reflink",
            "sparse",
            "backup",
        ],
    );
    let archive = o.has(&["a", "archive"]);
    let copts = CopyOpts {
        recursive: archive || o.has(&["r", "R", "recursive"]),
        preserve_mode: archive
            || o.has(&["p"])
            || o.value(&["preserve"])
                .is_some_and(|v| v.contains("mode") || v.contains("all")),
        preserve_owner: archive
            || o.has(&["p"])
            || o.value(&["preserve"])
                .is_some_and(|v| v.contains("ownership") || v.contains("all")),
        no_deref: archive
            || o.has(&["P", "d", "no-dereference"])
            || (o.has(&["r", "R", "recursive"]) && !o.has(&["L", "dereference"])),
        no_clobber: o.has(&["n", "no-clobber"]),
        verbose: o.has(&["v", "verbose"]),
    };
    let Some((ops, dst, dst_is_dir)) = sources_and_destination(ctx, &o)? else {
        return Ok(1);
    };
    let mut ok = true;
    for src in &ops {
        let to = target_path(ctx, src, &dst, dst_is_dir);
        if !dst_is_dir && src.ends_with("/.") && copts.recursive {
            // `cp -r dir/. new` copies the contents into `new`
        }
        if let (Ok(a), Ok(b)) = (ctx.stat(src), ctx.stat(&to)) {
            if a.ino == b.ino && !a.is_dir() {
                ctx.error(&format!("'{src}' and '{to}' are the same file"))?;
                ok = false;
                continue;
            }
        }
        ok &= copy_any(ctx, src, &to, &copts)?;
    }
    Ok(i32::from(!ok))
}

fn mv(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "tS", &["target-directory", "suffix", "backup"]);
    let no_clobber = o.has(&["n", "no-clobber"]);
    let verbose = o.has(&["v", "verbose"]);
    let Some((ops, dst, dst_is_dir)) = sources_and_destination(ctx, &o)? else {
        return Ok(1);
    };
    let mut status = 0;
    for src in &ops {
        let to = if dst_is_dir {
            format!("{}/{}", dst.trim_end_matches('/'), fs::file_name(src))
        } else {
            dst.clone()
        };
        let src_meta = match ctx.lstat(src) {
            Ok(m) => m,
            Err(e) => {
                ctx.fs_error("can't stat", src, e)?;
                status = 1;
                continue;
            }
        };
        if no_clobber && ctx.lstat(&to).is_ok() {
            continue;
        }
        let (sa, ta) = (ctx.abs(src), ctx.abs(&to));
        if src_meta.is_dir() && (ta == sa || ta.starts_with(&format!("{sa}/"))) {
            ctx.error(&format!(
                "cannot move '{src}' to a subdirectory of itself, '{to}'"
            ))?;
            status = 1;
            continue;
        }
        if let Ok(tm) = ctx.lstat(&to) {
            if tm.ino == src_meta.ino && sa != ta {
                ctx.error(&format!("'{src}' and '{to}' are the same file"))?;
                status = 1;
                continue;
            }
            if tm.is_dir() && !src_meta.is_dir() {
                ctx.error(&format!(
                    "cannot overwrite directory '{to}' with non-directory"
                ))?;
                status = 1;
                continue;
            }
        }
        match ctx.rename(src, &to) {
            Ok(()) => {
                if verbose {
                    ctx.out_str(&format!("renamed '{src}' -> '{to}'\n"))?;
                }
            }
            Err(e) => {
                if ctx.busybox() {
                    ctx.fs_error("can't rename", src, e)?;
                } else {
                    ctx.error(&format!("cannot move '{src}' to '{to}': {e}"))?;
                }
                status = 1;
            }
        }
    }
    Ok(status)
}

fn install(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(
        &argv[1..],
        "mogtS",
        &["mode", "owner", "group", "target-directory", "suffix"],
    );
    let mode_spec = o.value(&["m", "mode"]).unwrap_or("755").to_string();
    let owner = o.value(&["o", "owner"]).map(str::to_string);
    let group = o.value(&["g", "group"]).map(str::to_string);
    let uid = match &owner {
        Some(u) => match resolve_uid(ctx, u) {
            Some(v) => Some(v),
            None => {
                ctx.error(&format!("invalid user '{u}'"))?;
                return Ok(1);
            }
        },
        None => None,
    };
    let gid = match &group {
        Some(g) => match resolve_gid(ctx, g) {
            Some(v) => Some(v),
            None => {
                ctx.error(&format!("invalid group '{g}'"))?;
                return Ok(1);
            }
        },
        None => None,
    };
    let Some(mode) = parse_mode(&mode_spec, 0o755, false, 0) else {
        ctx.usage(&format!("invalid mode '{mode_spec}'"))?;
        return Ok(1);
    };
    let finish = |ctx: &mut ProgramCtx<'_, '_>, p: &str| {
        let _ = ctx.chmod(p, mode);
        if uid.is_some() || gid.is_some() {
            let _ = ctx.chown(p, uid, gid, true);
        }
    };
    if o.has(&["d", "directory"]) {
        let mut status = 0;
        for d in &o.operands {
            if let Err(e) = ctx.mkdir_p(d, 0o755) {
                ctx.error(&format!("cannot create directory '{d}': {e}"))?;
                status = 1;
                continue;
            }
            finish(ctx, d);
        }
        return Ok(status);
    }
    let mut ops = o.operands.clone();
    let dst = match o.value(&["t", "target-directory"]) {
        Some(t) => t.to_string(),
        None => {
            if ops.len() < 2 {
                ctx.usage("missing destination file operand")?;
                return Ok(1);
            }
            ops.pop().unwrap_or_default()
        }
    };
    if o.has(&["D"]) {
        let parent = if ops.len() > 1 || o.value(&["t", "target-directory"]).is_some() {
            dst.clone()
        } else {
            super::basic::dirname_of(&dst)
        };
        let _ = ctx.mkdir_p(&parent, 0o755);
    }
    let dst_is_dir = ctx.stat(&dst).map(|m| m.is_dir()).unwrap_or(false);
    let copts = CopyOpts {
        recursive: false,
        preserve_mode: false,
        preserve_owner: false,
        no_deref: false,
        no_clobber: false,
        verbose: o.has(&["v", "verbose"]),
    };
    let mut status = 0;
    for src in &ops {
        let to = if dst_is_dir {
            format!("{}/{}", dst.trim_end_matches('/'), fs::file_name(src))
        } else {
            dst.clone()
        };
        if ctx.lstat(&to).is_ok() {
            let _ = ctx.unlink(&to);
        }
        if copy_any(ctx, src, &to, &copts)? {
            finish(ctx, &to);
        } else {
            status = 1;
        }
    }
    Ok(status)
}

// ---------------------------------------------------------------- ln

fn ln(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "tS", &["target-directory", "suffix"]);
    let symbolic = o.has(&["s", "symbolic"]);
    let force = o.has(&["f", "force"]);
    let no_deref = o.has(&["n", "no-dereference", "T", "no-target-directory"]);
    let relative = o.has(&["r", "relative"]);
    let mut ops = o.operands.clone();
    if ops.is_empty() {
        ctx.usage("missing file operand")?;
        return Ok(1);
    }
    let (targets, dest) = if let Some(t) = o.value(&["t", "target-directory"]) {
        (ops.clone(), Some(t.to_string()))
    } else if ops.len() == 1 {
        (ops.clone(), None)
    } else {
        let d = ops.pop();
        (ops, d)
    };
    let mut status = 0;
    for target in &targets {
        let link = match &dest {
            None => fs::file_name(target).to_string(),
            Some(d) => {
                let is_dir = !no_deref && ctx.stat(d).map(|m| m.is_dir()).unwrap_or(false);
                if is_dir {
                    format!("{}/{}", d.trim_end_matches('/'), fs::file_name(target))
                } else {
                    d.clone()
                }
            }
        };
        if targets.len() > 1
            && dest
                .as_ref()
                .is_some_and(|d| !ctx.stat(d).map(|m| m.is_dir()).unwrap_or(false))
        {
            ctx.error(&format!(
                "target '{}' is not a directory",
                dest.clone().unwrap_or_default()
            ))?;
            return Ok(1);
        }
        if let Ok(existing) = ctx.lstat(&link) {
            if force {
                if existing.is_dir() {
                    ctx.error(&format!("cannot overwrite directory '{link}'"))?;
                    status = 1;
                    continue;
                }
                let _ = ctx.unlink(&link);
            } else {
                let what = if symbolic {
                    "failed to create symbolic link"
                } else {
                    "failed to create hard link"
                };
                if ctx.busybox() {
                    ctx.error(&format!("{link}: File exists"))?;
                } else {
                    ctx.error(&format!("{what} '{link}': File exists"))?;
                }
                status = 1;
                continue;
            }
        }
        let r = if symbolic {
            let t = if relative {
                relative_target(&ctx.abs(target), &ctx.abs(&link))
            } else {
                target.clone()
            };
            ctx.symlink(&t, &link)
        } else {
            match ctx.stat(target) {
                Ok(m) if m.is_dir() => Err(Errno::NotPermitted),
                Ok(_) => ctx.hardlink(target, &link),
                Err(e) => Err(e),
            }
        };
        if let Err(e) = r {
            if ctx.busybox() {
                ctx.error(&format!("{link}: {e}"))?;
            } else if !symbolic && matches!(e, Errno::NotFound) {
                ctx.error(&format!("failed to access '{target}': {e}"))?;
            } else {
                let what = if symbolic {
                    "failed to create symbolic link"
                } else {
                    "failed to create hard link"
                };
                ctx.error(&format!("{what} '{link}': {e}"))?;
            }
            status = 1;
        }
    }
    Ok(status)
}

/// A relative path from the directory of `link` to `target` (`ln -r`).
fn relative_target(target: &str, link: &str) -> String {
    let from: Vec<&str> = fs::parent(link)
        .split('/')
        .filter(|c| !c.is_empty())
        .collect();
    let to: Vec<&str> = target.split('/').filter(|c| !c.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

// ---------------------------------------------------------------- chmod, chown

/// Paths below `root` (itself first), depth-first, for `-R`.
fn walk(ctx: &mut ProgramCtx<'_, '_>, root: &str) -> PResult<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_string()];
    while let Some(p) = stack.pop() {
        ctx.steps(1)?;
        out.push(p.clone());
        if let Ok(m) = ctx.lstat(&p) {
            if m.is_dir() {
                if let Ok(names) = ctx.read_dir(&p) {
                    for n in names.into_iter().rev() {
                        stack.push(format!("{}/{}", p.trim_end_matches('/'), n));
                    }
                }
            }
        }
    }
    Ok(out)
}

fn chmod(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    // modes like -x or -w look like options: take the first such operand as the mode
    let mut args: Vec<String> = Vec::new();
    let mut mode: Option<String> = None;
    let mut recursive = false;
    let mut verbose = false;
    let mut reference: Option<String> = None;
    for a in &argv[1..] {
        if mode.is_none()
            && a.starts_with('-')
            && a.len() > 1
            && a[1..].chars().all(|c| "rwxXst".contains(c))
            && !a.starts_with("--")
        {
            mode = Some(a.clone());
            continue;
        }
        match a.as_str() {
            "-R" | "--recursive" => recursive = true,
            "-v" | "-c" | "--verbose" | "--changes" => verbose = true,
            "-f" | "--silent" | "--quiet" => {}
            _ if a.starts_with("--reference=") => {
                reference = Some(a["--reference=".len()..].to_string())
            }
            _ if a.starts_with('-')
                && a.len() > 1
                && a[1..].chars().all(|c| "Rvcf".contains(c)) =>
            {
                recursive |= a.contains('R');
                verbose |= a.contains('v');
            }
            _ => {
                if mode.is_none() && reference.is_none() {
                    mode = Some(a.clone());
                } else {
                    args.push(a.clone());
                }
            }
        }
    }
    let _ = verbose;
    let spec = match (&mode, &reference) {
        (Some(m), _) => m.clone(),
        (None, Some(r)) => match ctx.stat(r) {
            Ok(m) => format!("{:o}", m.mode),
            Err(e) => {
                ctx.fs_error("failed to get attributes of", r, e)?;
                return Ok(1);
            }
        },
        _ => {
            ctx.usage("missing operand")?;
            return Ok(1);
        }
    };
    if args.is_empty() {
        ctx.usage(&format!("missing operand after '{spec}'"))?;
        return Ok(1);
    }
    let umask = ctx.umask();
    let mut status = 0;
    for f in &args {
        let paths = if recursive {
            walk(ctx, f)?
        } else {
            vec![f.clone()]
        };
        for p in paths {
            let meta = match ctx.stat(&p) {
                Ok(m) => m,
                Err(e) => {
                    if recursive && ctx.lstat(&p).is_ok() {
                        continue; // dangling symlinks are skipped in -R
                    }
                    ctx.fs_error("cannot access", &p, e)?;
                    status = 1;
                    continue;
                }
            };
            let Some(new) = parse_mode(&spec, meta.mode, meta.is_dir(), umask) else {
                ctx.usage(&format!("invalid mode: '{spec}'"))?;
                return Ok(1);
            };
            if let Err(e) = ctx.chmod(&p, new) {
                if ctx.busybox() {
                    ctx.fs_error("", &p, e)?;
                } else {
                    ctx.error(&format!("changing permissions of '{p}': {e}"))?;
                }
                status = 1;
            }
        }
    }
    Ok(status)
}

fn chown(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let is_chgrp = ctx.name() == "chgrp";
    let o = Opts::parse(&argv[1..], "", &["from"]);
    let recursive = o.has(&["R", "recursive"]);
    let no_deref = o.has(&["h", "no-dereference"]);
    let mut ops = o.operands.clone();
    let spec = match o.value(&["reference"]) {
        Some(r) => match ctx.stat(r) {
            Ok(m) => format!("{}:{}", m.uid, m.gid),
            Err(e) => {
                ctx.fs_error("failed to get attributes of", r, e)?;
                return Ok(1);
            }
        },
        None => {
            if ops.is_empty() {
                ctx.usage("missing operand")?;
                return Ok(1);
            }
            ops.remove(0)
        }
    };
    if ops.is_empty() {
        ctx.usage(&format!("missing operand after '{spec}'"))?;
        return Ok(1);
    }
    let (user, group) = if is_chgrp {
        (None, Some(spec.clone()))
    } else {
        match spec.split_once([':', '.']) {
            Some((u, g)) => ((!u.is_empty()).then(|| u.to_string()), Some(g.to_string())),
            None => (Some(spec.clone()), None),
        }
    };
    let mut uid = None;
    let mut gid = None;
    if let Some(u) = &user {
        match resolve_uid(ctx, u) {
            Some(v) => uid = Some(v),
            None => {
                if ctx.busybox() {
                    ctx.error(&format!("unknown user {u}"))?;
                } else {
                    ctx.error(&format!("invalid user: '{spec}'"))?;
                }
                return Ok(1);
            }
        }
    }
    if let Some(g) = &group {
        if g.is_empty() {
            // `user:` → the user's login group
            if let Some(u) = &user {
                gid = ctx.passwd_entry(u).map(|e| e.2);
            }
        } else {
            match resolve_gid(ctx, g) {
                Some(v) => gid = Some(v),
                None => {
                    if ctx.busybox() {
                        ctx.error(&format!("unknown group {g}"))?;
                    } else if is_chgrp {
                        ctx.error(&format!("invalid group: '{g}'"))?;
                    } else {
                        ctx.error(&format!("invalid group: '{spec}'"))?;
                    }
                    return Ok(1);
                }
            }
        }
    }
    let mut status = 0;
    for f in &ops {
        let paths = if recursive {
            walk(ctx, f)?
        } else {
            vec![f.clone()]
        };
        for (k, p) in paths.iter().enumerate() {
            // -R never follows symlinks below the top
            let follow = !no_deref && (!recursive || k == 0);
            if let Err(e) = ctx.chown(p, uid, gid, follow) {
                match e {
                    Errno::NotFound => ctx.fs_error("cannot access", p, e)?,
                    _ if ctx.busybox() => ctx.fs_error("", p, e)?,
                    _ => ctx.error(&format!("changing ownership of '{p}': {e}"))?,
                }
                status = 1;
            }
        }
    }
    Ok(status)
}

// ---------------------------------------------------------------- ls, stat

fn blocks_kib(m: &Metadata) -> u64 {
    match m.kind {
        fs::FileKind::Dir => 4,
        fs::FileKind::Symlink => 0,
        fs::FileKind::File => m.size.div_ceil(4096) * 4,
    }
}

fn human(n: u64) -> String {
    const UNITS: [&str; 6] = ["K", "M", "G", "T", "P", "E"];
    if n < 1024 {
        return n.to_string();
    }
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    let unit = UNITS[u.saturating_sub(1)];
    if v < 10.0 {
        let r = (v * 10.0).ceil() / 10.0;
        if r >= 10.0 {
            format!("{r:.0}{unit}")
        } else {
            format!("{r:.1}{unit}")
        }
    } else {
        format!("{}{unit}", v.ceil() as u64)
    }
}

fn user_name(ctx: &mut ProgramCtx<'_, '_>, uid: u32) -> String {
    match ctx.passwd_entry(&uid.to_string()) {
        Some(e) if e.1 == uid => e.0,
        _ => uid.to_string(),
    }
}

fn group_name(ctx: &mut ProgramCtx<'_, '_>, gid: u32) -> String {
    match ctx.group_entry(&gid.to_string()) {
        Some(e) if e.1 == gid => e.0,
        _ => gid.to_string(),
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct LsOpts {
    long: bool,
    all: bool,
    almost_all: bool,
    dir_only: bool,
    recursive: bool,
    human: bool,
    reverse: bool,
    by_size: bool,
    classify: bool,
    numeric: bool,
    inode: bool,
}

fn ls(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "", &["color", "time-style", "sort", "format"]);
    let lo = LsOpts {
        long: o.has(&["l", "n", "g", "o"]),
        all: o.has(&["a", "all"]),
        almost_all: o.has(&["A", "almost-all"]),
        dir_only: o.has(&["d", "directory"]),
        recursive: o.has(&["R", "recursive"]),
        human: o.has(&["h", "human-readable"]),
        reverse: o.has(&["r", "reverse"]),
        by_size: o.has(&["S"]),
        classify: o.has(&["F", "classify", "p"]),
        numeric: o.has(&["n", "numeric-uid-gid"]),
        inode: o.has(&["i", "inode"]),
    };
    let mut operands = o.operands.clone();
    if operands.is_empty() {
        operands.push(".".to_string());
    }
    let mut status = 0;
    let mut files: Vec<(String, Metadata)> = Vec::new();
    let mut dirs: Vec<String> = Vec::new();
    for p in &operands {
        match ctx.stat(p).or_else(|_| ctx.lstat(p)) {
            Ok(m) if m.is_dir() && !lo.dir_only => dirs.push(p.clone()),
            Ok(_) => {
                let m = if lo.long {
                    ctx.lstat(p)
                        .unwrap_or_else(|_| ctx.stat(p).unwrap_or(dummy_meta()))
                } else {
                    ctx.stat(p).unwrap_or(dummy_meta())
                };
                files.push((p.clone(), m));
            }
            Err(e) => {
                if ctx.busybox() {
                    ctx.fs_error("", p, e)?;
                } else {
                    ctx.error(&format!("cannot access '{p}': {e}"))?;
                }
                status = 2;
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    dirs.sort();
    let mut out = String::new();
    if !files.is_empty() {
        out.push_str(&ls_entries(ctx, &files, &lo, None)?);
    }
    let show_headers = operands.len() > 1 || lo.recursive;
    let mut queue: std::collections::VecDeque<String> = dirs.into_iter().collect();
    let mut first = files.is_empty();
    while let Some(d) = queue.pop_front() {
        ctx.steps(1)?;
        let names = match ctx.read_dir(&d) {
            Ok(n) => n,
            Err(e) => {
                ctx.error(&format!("cannot open directory '{d}': {e}"))?;
                status = 2;
                continue;
            }
        };
        let mut entries: Vec<(String, Metadata)> = Vec::new();
        if lo.all {
            for special in [".", ".."] {
                let p = format!("{}/{}", d.trim_end_matches('/'), special);
                if let Ok(m) = ctx.stat(&p) {
                    entries.push((special.to_string(), m));
                }
            }
        }
        for n in names {
            if n.starts_with('.') && !lo.all && !lo.almost_all {
                continue;
            }
            let p = fs::child(&ctx.abs(&d), &n);
            if let Ok(m) = ctx.lstat(&p) {
                entries.push((n, m));
            }
        }
        if !first {
            out.push('\n');
        }
        first = false;
        if show_headers {
            out.push_str(&format!("{d}:\n"));
        }
        if lo.long {
            let total: u64 = entries.iter().map(|(_, m)| blocks_kib(m)).sum();
            out.push_str(&format!(
                "total {}\n",
                if lo.human {
                    human(total * 1024)
                } else {
                    total.to_string()
                }
            ));
        }
        let dir = ctx.abs(&d);
        out.push_str(&ls_entries(ctx, &entries, &lo, Some(&dir))?);
        if lo.recursive {
            let mut subs: Vec<String> = entries
                .iter()
                .filter(|(n, m)| m.is_dir() && n != "." && n != "..")
                .map(|(n, _)| format!("{}/{}", d.trim_end_matches('/'), n))
                .collect();
            subs.sort();
            for (k, s) in subs.into_iter().enumerate() {
                queue.insert(k, s);
            }
        }
    }
    ctx.out_str(&out)?;
    Ok(status)
}

fn dummy_meta() -> Metadata {
    Metadata {
        kind: fs::FileKind::File,
        mode: 0,
        uid: 0,
        gid: 0,
        size: 0,
        ino: 0,
        nlink: 1,
    }
}

fn ls_entries(
    ctx: &mut ProgramCtx<'_, '_>,
    entries: &[(String, Metadata)],
    lo: &LsOpts,
    // The listed directory, when the names are its entries (else they are operands).
    dir: Option<&str>,
) -> PResult<String> {
    let mut list: Vec<(String, Metadata)> = entries.to_vec();
    if lo.by_size {
        list.sort_by(|a, b| b.1.size.cmp(&a.1.size).then(a.0.cmp(&b.0)));
    }
    if lo.reverse {
        list.reverse();
    }
    let mut out = String::new();
    if !lo.long {
        for (n, m) in &list {
            if lo.inode {
                out.push_str(&format!("{} ", m.ino));
            }
            out.push_str(n);
            if lo.classify {
                out.push_str(classify(m));
            }
            out.push('\n');
        }
        return Ok(out);
    }
    let when = super::basic::strftime("%b %e %H:%M", ctx.now());
    let mut rows = Vec::new();
    for (n, m) in &list {
        let owner = if lo.numeric {
            m.uid.to_string()
        } else {
            user_name(ctx, m.uid)
        };
        let group = if lo.numeric {
            m.gid.to_string()
        } else {
            group_name(ctx, m.gid)
        };
        let size = if lo.human {
            human(m.size)
        } else {
            m.size.to_string()
        };
        let mut name = n.clone();
        if m.is_symlink() {
            let path = match dir {
                Some(dir) => fs::child(dir, n),
                None => ctx.abs(n),
            };
            let target = ctx.readlink(&path).unwrap_or_default();
            name = format!("{n} -> {target}");
        } else if lo.classify {
            name.push_str(classify(m));
        }
        rows.push((
            mode_string(m),
            m.nlink.to_string(),
            owner,
            group,
            size,
            name,
        ));
    }
    type Row = (String, String, String, String, String, String);
    let w = |f: &dyn Fn(&Row) -> usize| rows.iter().map(f).max().unwrap_or(0);
    let (wl, wo, wg, ws) = (
        w(&|r| r.1.len()),
        w(&|r| r.2.len()),
        w(&|r| r.3.len()),
        w(&|r| r.4.len()),
    );
    for r in rows {
        out.push_str(&format!(
            "{} {:>wl$} {:<wo$} {:<wg$} {:>ws$} {when} {}\n",
            r.0, r.1, r.2, r.3, r.4, r.5
        ));
    }
    Ok(out)
}

fn classify(m: &Metadata) -> &'static str {
    match m.kind {
        fs::FileKind::Dir => "/",
        fs::FileKind::Symlink => "@",
        fs::FileKind::File if m.mode & 0o111 != 0 => "*",
        fs::FileKind::File => "",
    }
}

fn stat(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "c", &["format", "printf"]);
    let format = o
        .value(&["c", "format"])
        .map(|f| format!("{f}\n"))
        .or_else(|| o.value(&["printf"]).map(str::to_string));
    let deref = o.has(&["L", "dereference"]);
    let mut status = 0;
    let mut out = String::new();
    for f in &o.operands {
        let m = if deref { ctx.stat(f) } else { ctx.lstat(f) };
        let m = match m {
            Ok(m) => m,
            Err(e) => {
                if ctx.busybox() {
                    ctx.error(&format!("can't stat '{f}': {e}"))?;
                } else {
                    ctx.error(&format!("cannot statx '{f}': {e}"))?;
                }
                status = 1;
                continue;
            }
        };
        let fmt = format.clone().unwrap_or_else(|| {
            "  File: %N\n  Size: %s\tBlocks: %b\tIO Block: 4096   %F\nDevice: 0,0\tInode: %i\tLinks: %h\nAccess: (%04a/%A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n".to_string()
        });
        let mut chars = fmt.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\\' && format.is_some() && o.value(&["printf"]).is_some() {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(x) => out.push(x),
                    None => {}
                }
                continue;
            }
            if c != '%' {
                out.push(c);
                continue;
            }
            let mut width = String::new();
            while let Some(&d) = chars.peek() {
                if d.is_ascii_digit() || d == '-' {
                    width.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            let Some(k) = chars.next() else { break };
            let v = match k {
                'a' => format!("{:o}", m.mode),
                'A' => mode_string(&m),
                'u' => m.uid.to_string(),
                'g' => m.gid.to_string(),
                'U' => user_name(ctx, m.uid),
                'G' => group_name(ctx, m.gid),
                's' => m.size.to_string(),
                'n' => f.clone(),
                'N' => {
                    if m.is_symlink() {
                        format!("'{f}' -> '{}'", ctx.readlink(f).unwrap_or_default())
                    } else {
                        format!("'{f}'")
                    }
                }
                'h' => m.nlink.to_string(),
                'i' => m.ino.to_string(),
                'b' => (blocks_kib(&m) * 2).to_string(),
                'B' => "512".to_string(),
                'F' => match m.kind {
                    fs::FileKind::Dir => "directory".into(),
                    fs::FileKind::Symlink => "symbolic link".into(),
                    fs::FileKind::File if m.size == 0 => "regular empty file".into(),
                    fs::FileKind::File => "regular file".into(),
                },
                'f' => format!(
                    "{:x}",
                    m.mode
                        | match m.kind {
                            fs::FileKind::Dir => 0o040000,
                            fs::FileKind::Symlink => 0o120000,
                            fs::FileKind::File => 0o100000,
                        }
                ),
                'Y' | 'X' | 'Z' | 'W' => ctx.now().to_string(),
                'y' | 'x' | 'z' | 'w' => {
                    super::basic::strftime("%Y-%m-%d %H:%M:%S.000000000 +0000", ctx.now())
                }
                'd' | 'D' => "0".to_string(),
                't' | 'T' => "0".to_string(),
                '%' => "%".to_string(),
                other => format!("?{other}"),
            };
            let w: i64 = width.parse().unwrap_or(0);
            if w > 0 {
                out.push_str(&format!("{v:>w$}", w = w as usize));
            } else if w < 0 {
                out.push_str(&format!("{v:<w$}", w = (-w) as usize));
            } else {
                out.push_str(&v);
            }
        }
    }
    ctx.out_str(&out)?;
    Ok(status)
}

// ---------------------------------------------------------------- readlink, realpath, mktemp

fn readlink(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "", &[]);
    let canon = o.has(&[
        "f",
        "e",
        "m",
        "canonicalize",
        "canonicalize-existing",
        "canonicalize-missing",
    ]);
    let must_exist = o.has(&["e", "canonicalize-existing"]);
    let no_newline = o.has(&["n", "no-newline"]);
    let mut status = 0;
    let mut out = String::new();
    for p in &o.operands {
        let r = if canon {
            match ctx.canonicalize(p) {
                Ok(c) => {
                    let missing_parent =
                        !o.has(&["m", "canonicalize-missing"]) && ctx.stat(fs::parent(&c)).is_err();
                    if (must_exist && ctx.stat(&c).is_err()) || (!must_exist && missing_parent) {
                        None
                    } else {
                        Some(c)
                    }
                }
                Err(_) => None,
            }
        } else {
            ctx.readlink(p).ok()
        };
        match r {
            Some(v) => {
                out.push_str(&v);
                if !no_newline {
                    out.push('\n');
                }
            }
            None => status = 1,
        }
    }
    ctx.out_str(&out)?;
    Ok(status)
}

fn realpath(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "", &["relative-to"]);
    let no_symlinks = o.has(&["s", "strip", "no-symlinks"]);
    let missing_ok = o.has(&["m", "canonicalize-missing"]);
    let mut status = 0;
    let mut out = String::new();
    for p in &o.operands {
        let r = if no_symlinks {
            Ok(ctx.abs(p))
        } else {
            ctx.canonicalize(p)
        };
        match r {
            Ok(c)
                if missing_ok
                    || ctx.stat(&c).is_ok()
                    || ctx.stat(fs::parent(&c)).is_ok() && !o.has(&["e"]) =>
            {
                out.push_str(&c);
                out.push('\n');
            }
            Ok(_) | Err(_) => {
                ctx.error(&format!("{p}: No such file or directory"))?;
                status = 1;
            }
        }
    }
    ctx.out_str(&out)?;
    Ok(status)
}

fn mktemp(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "p", &["tmpdir", "suffix"]);
    let dir_mode = o.has(&["d", "directory"]);
    let dry = o.has(&["u", "dry-run"]);
    let default_template = if ctx.busybox() {
        "tmp.XXXXXX"
    } else {
        "tmp.XXXXXXXXXX"
    };
    let template = o
        .operands
        .first()
        .cloned()
        .unwrap_or_else(|| default_template.to_string());
    let tmpdir = o
        .value(&["p", "tmpdir"])
        .map(str::to_string)
        .or_else(|| ctx.env("TMPDIR"))
        .unwrap_or_else(|| "/tmp".to_string());
    let use_dir = o.has(&["t"]) || o.operands.is_empty() || o.value(&["p", "tmpdir"]).is_some();
    let x_count = template.chars().rev().take_while(|&c| c == 'X').count();
    if x_count < 3 {
        ctx.error(&format!("too few X's in template '{template}'"))?;
        return Ok(1);
    }
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for _attempt in 0..100 {
        let mut name = template[..template.len() - x_count].to_string();
        for _ in 0..x_count {
            let r = ctx.random();
            name.push(ALNUM[(r % ALNUM.len() as u64) as usize] as char);
        }
        if let Some(s) = o.value(&["suffix"]) {
            name.push_str(s);
        }
        let path = if use_dir && !template.contains('/') {
            format!("{}/{}", tmpdir.trim_end_matches('/'), name)
        } else {
            name
        };
        if ctx.lstat(&path).is_ok() {
            continue;
        }
        if !dry {
            let r = if dir_mode {
                ctx.mkdir(&path, 0o700)
                    .and_then(|_| ctx.chmod(&path, 0o700))
            } else {
                ctx.write_mode(&path, Data::Bytes(&[]), 0o600)
                    .and_then(|_| ctx.chmod(&path, 0o600))
            };
            if let Err(e) = r {
                let what = if dir_mode { "directory" } else { "file" };
                ctx.error(&format!(
                    "failed to create {what} via template '{path}': {e}"
                ))?;
                return Ok(1);
            }
        }
        ctx.out_str(&format!("{path}\n"))?;
        return Ok(0);
    }
    ctx.error("failed to create a unique name")?;
    Ok(1)
}

// ---------------------------------------------------------------- sizes

/// Parses `10M`, `1G`, `512k`, `1MiB`, `1MB` (dd/truncate/fallocate/head style).
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, suffix) = s.split_at(split);
    let n: u64 = if num.is_empty() { 1 } else { num.parse().ok()? };
    let mult: u64 = match suffix {
        "" | "c" => 1,
        "w" => 2,
        "b" => 512,
        "k" | "K" | "KiB" => 1 << 10,
        "M" | "MiB" => 1 << 20,
        "G" | "GiB" => 1 << 30,
        "T" | "TiB" => 1 << 40,
        "kB" | "KB" => 1000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        "TB" => 1_000_000_000_000,
        _ => return None,
    };
    n.checked_mul(mult)
}

fn dd(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let mut kv = std::collections::HashMap::new();
    for a in &argv[1..] {
        if let Some((k, v)) = a.split_once('=') {
            kv.insert(k.to_string(), v.to_string());
        }
    }
    let bs = kv.get("bs").and_then(|v| parse_size(v)).unwrap_or(512);
    let ibs = kv.get("ibs").and_then(|v| parse_size(v)).unwrap_or(bs);
    let count = kv.get("count").and_then(|v| parse_size(v));
    let skip = kv.get("skip").and_then(|v| parse_size(v)).unwrap_or(0);
    let seek = kv.get("seek").and_then(|v| parse_size(v)).unwrap_or(0);
    let quiet = kv.get("status").is_some_and(|s| s == "none");
    let input = match kv.get("if") {
        Some(p) => match ctx.read(p) {
            Ok(Content::Bytes(b)) => super::super::io::StreamData::known(b),
            Ok(Content::Unknown { size }) => super::super::io::StreamData {
                bytes: Vec::new(),
                unknown: size,
            },
            Err(e) => {
                ctx.error(&format!("failed to open '{p}': {e}"))?;
                return Ok(1);
            }
        },
        None => ctx.stdin(),
    };
    let avail = input.len().saturating_sub(skip.saturating_mul(ibs));
    let want = match count {
        Some(c) => c.saturating_mul(ibs).min(avail),
        None => avail,
    };
    if want == u64::MAX || want > (1u64 << 50) {
        ctx.error("count must be given when reading an endless device")?;
        return Ok(1);
    }
    let start = (skip.saturating_mul(ibs)) as usize;
    let from_device = kv.get("if").is_some_and(|p| {
        matches!(
            ctx.abs(p).as_str(),
            "/dev/zero" | "/dev/urandom" | "/dev/random"
        )
    });
    let known: Vec<u8> = if from_device && want <= 1 << 16 {
        // small reads from /dev/zero are real zeros (/dev/urandom: zeros too, to stay deterministic)
        vec![0u8; want as usize]
    } else if input.is_known() && (start as u64) < input.bytes.len() as u64 {
        let end = (start as u64 + want).min(input.bytes.len() as u64) as usize;
        input.bytes[start..end].to_vec()
    } else {
        Vec::new()
    };
    let unknown = want - known.len() as u64;
    match kv.get("of") {
        Some(p) => {
            let offset = seek.saturating_mul(bs);
            let notrunc = kv.get("conv").is_some_and(|c| c.contains("notrunc"));
            let r = if offset == 0 && !notrunc {
                if unknown > 0 {
                    ctx.write(p, Data::Unknown(want))
                } else {
                    ctx.write(p, Data::Bytes(&known))
                }
            } else {
                let cur = ctx.stat(p).map(|m| m.size).unwrap_or(0);
                ctx.set_len(p, cur.max(offset + want))
            };
            if let Err(e) = r {
                ctx.error(&format!("failed to open '{p}': {e}"))?;
                return Ok(1);
            }
        }
        None => {
            ctx.out(&known)?;
            ctx.out_unknown(unknown)?;
        }
    }
    if !quiet {
        let full = want / ibs.max(1);
        let partial = u64::from(want % ibs.max(1) != 0);
        let msg = format!(
            "{full}+{partial} records in\n{full}+{partial} records out\n{}\n",
            dd_summary(want)
        );
        ctx.err(msg.as_bytes())?;
    }
    Ok(0)
}

fn dd_summary(n: u64) -> String {
    let si = |v: u64| -> String {
        let units = ["kB", "MB", "GB", "TB"];
        let mut x = v as f64;
        let mut u = 0;
        while x >= 1000.0 && u < units.len() {
            x /= 1000.0;
            u += 1;
        }
        if u == 0 {
            return String::new();
        }
        let unit = units[u - 1];
        if x < 10.0 {
            format!("{x:.1} {unit}")
        } else {
            format!("{:.0} {unit}", x)
        }
    };
    let iec = |v: u64| -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"];
        let mut x = v as f64;
        let mut u = 0;
        while x >= 1024.0 && u < units.len() {
            x /= 1024.0;
            u += 1;
        }
        let unit = units[u.saturating_sub(1)];
        if x < 10.0 {
            format!("{x:.1} {unit}")
        } else {
            format!("{:.0} {unit}", x)
        }
    };
    if n < 1000 {
        format!("{n} bytes copied, 0.000123 s, {} kB/s", n / 123 + 1)
    } else if n < 1024 {
        format!("{n} bytes ({}) copied, 0.000123 s, 8.1 MB/s", si(n))
    } else {
        format!(
            "{n} bytes ({}, {}) copied, 0.0123 s, {}/s",
            si(n),
            iec(n),
            si(n.saturating_mul(81))
        )
    }
}

fn truncate(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "sr", &["size", "reference"]);
    let Some(spec) = o.value(&["s", "size"]).map(str::to_string) else {
        ctx.usage("you must specify either '--size' or '--reference'")?;
        return Ok(1);
    };
    let no_create = o.has(&["c", "no-create"]);
    let mut status = 0;
    for f in &o.operands {
        let cur = ctx.stat(f).map(|m| m.size).unwrap_or(0);
        if no_create && ctx.stat(f).is_err() {
            continue;
        }
        let (rel, body) = match spec.chars().next() {
            Some(c @ ('+' | '-' | '<' | '>' | '/' | '%')) => (Some(c), &spec[1..]),
            _ => (None, spec.as_str()),
        };
        let Some(n) = parse_size(body) else {
            ctx.error(&format!("invalid number: '{spec}'"))?;
            return Ok(1);
        };
        let size = match rel {
            Some('+') => cur.saturating_add(n),
            Some('-') => cur.saturating_sub(n),
            Some('<') => cur.min(n),
            Some('>') => cur.max(n),
            Some('/') if n > 0 => cur / n * n,
            Some('%') if n > 0 => cur.div_ceil(n) * n,
            _ => n,
        };
        if let Err(e) = ctx.set_len(f, size) {
            ctx.error(&format!("cannot open '{f}' for writing: {e}"))?;
            status = 1;
        }
    }
    Ok(status)
}

fn fallocate(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "lo", &["length", "offset"]);
    let Some(len) = o.value(&["l", "length"]).and_then(parse_size) else {
        ctx.error("no length argument specified")?;
        return Ok(1);
    };
    let offset = o.value(&["o", "offset"]).and_then(parse_size).unwrap_or(0);
    let Some(f) = o.operands.first().cloned() else {
        ctx.error("no filename specified")?;
        return Ok(1);
    };
    let cur = ctx.stat(&f).map(|m| m.size).unwrap_or(0);
    match ctx.set_len(&f, cur.max(offset + len)) {
        Ok(()) => Ok(0),
        Err(e) => {
            ctx.error(&format!("cannot open {f}: {e}"))?;
            Ok(1)
        }
    }
}

fn du(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "d", &["max-depth"]);
    let summarize = o.has(&["s", "summarize"]);
    let hum = o.has(&["h", "human-readable"]);
    let all = o.has(&["a", "all"]);
    let total = o.has(&["c", "total"]);
    let bytes = o.has(&["b", "bytes"]);
    let max_depth: Option<usize> = o.value(&["d", "max-depth"]).and_then(|v| v.parse().ok());
    let mut ops = o.operands.clone();
    if ops.is_empty() {
        ops.push(".".to_string());
    }
    let fmt = |n: u64| -> String {
        if bytes {
            n.to_string()
        } else if hum {
            human(n * 1024)
        } else {
            n.to_string()
        }
    };
    let mut out = String::new();
    let mut grand = 0u64;
    let mut status = 0;
    for root in &ops {
        let Ok(rm) = ctx.lstat(root) else {
            ctx.error(&format!(
                "cannot access '{root}': No such file or directory"
            ))?;
            status = 1;
            continue;
        };
        // post-order sizes
        let paths = walk(ctx, root)?;
        let mut sizes: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
        let mut seen_ino = std::collections::HashSet::new();
        for p in paths.iter().rev() {
            let Ok(m) = ctx.lstat(p) else { continue };
            let own = if bytes {
                if m.is_dir() {
                    4096
                } else {
                    m.size
                }
            } else {
                blocks_kib(&m)
            };
            let own = if !m.is_dir() && m.nlink > 1 && !seen_ino.insert(m.ino) {
                0
            } else {
                own
            };
            let sub = sizes.get(p).copied().unwrap_or(0);
            let tot = own + sub;
            sizes.insert(p.clone(), tot);
            if p != root {
                let parent = p
                    .rsplit_once('/')
                    .map(|(a, _)| a.to_string())
                    .unwrap_or_default();
                *sizes.entry(parent).or_insert(0) += tot;
            }
        }
        let root_total = sizes.get(root).copied().unwrap_or(0);
        grand += root_total;
        if !summarize {
            for p in &paths {
                if p == root {
                    continue;
                }
                let depth = p[root.len()..].matches('/').count();
                if max_depth.is_some_and(|d| depth > d) {
                    continue;
                }
                let Ok(m) = ctx.lstat(p) else { continue };
                if m.is_dir() || all {
                    out.push_str(&format!(
                        "{}\t{p}\n",
                        fmt(sizes.get(p).copied().unwrap_or(0))
                    ));
                }
            }
            // du prints children before parents
            let mut lines: Vec<&str> = out.lines().collect();
            lines.reverse();
            out = lines.join("\n");
            if !out.is_empty() {
                out.push('\n');
            }
        }
        let _ = rm;
        out.push_str(&format!("{}\t{root}\n", fmt(root_total)));
    }
    if total {
        out.push_str(&format!("{}\ttotal\n", fmt(grand)));
    }
    ctx.out_str(&out)?;
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbolic_modes() {
        let cases = [
            ("u+x", 0o644, false, 0o022, 0o744),
            ("+x", 0o644, false, 0o022, 0o755),
            ("+w", 0o444, false, 0o022, 0o644),
            ("go-rwx", 0o755, false, 0o022, 0o700),
            ("a=r", 0o755, false, 0o022, 0o444),
            ("u=rwx,g=rx,o=", 0o644, false, 0o022, 0o750),
            ("+X", 0o644, true, 0o022, 0o755),
            ("+X", 0o644, false, 0o022, 0o644),
            ("u+s", 0o755, false, 0o022, 0o4755),
            ("+t", 0o777, true, 0o022, 0o1777),
            ("g+w", 0o755, false, 0o022, 0o775),
        ];
        for (spec, cur, dir, umask, expected) in cases {
            assert_eq!(
                parse_symbolic_mode(spec, cur, dir, umask),
                Some(expected),
                "{spec}"
            );
        }
        assert_eq!(parse_symbolic_mode("q+x", 0o644, false, 0), None);
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10M"), Some(10 << 20));
        assert_eq!(parse_size("1G"), Some(1 << 30));
        assert_eq!(parse_size("1kB"), Some(1000));
        assert_eq!(parse_size("x"), None);
    }
}
