//! `patch`: applies unified diffs (plain or `git diff`) to files for real: `-p N`,
//! `-i FILE` or stdin, `-R`, `-N`, `-d DIR`, `--dry-run`, `-s`, an explicit file operand;
//! new files (`--- /dev/null`) and deletions (`+++ /dev/null`). A hunk that does not
//! apply at its line is searched for nearby (GNU's "offset"); one that does not apply at
//! all is saved to `FILE.rej`, as GNU patch does. No fuzz, no context diffs.
//!
//! Invariants: a patch's size and number of hunks cost steps; files with unknown content
//! cannot be patched (reported as approximated, left unchanged).

use crate::engine::shell::fs::{Content, Data};
use crate::engine::shell::programs::{ProgResult, ProgramCtx, Registry};

pub fn register(registry: &mut Registry) {
    registry.register("patch", run_patch);
}

#[derive(Debug, Clone, Default)]
struct Hunk {
    old_start: usize,
    old_len: usize,
    /// Lines with their marker: ' ', '-', '+'.
    lines: Vec<(char, String)>,
    /// The text as it appeared, for `.rej` files.
    raw: Vec<String>,
    /// `\ No newline at end of file` after the old / new side.
    old_no_eol: bool,
    new_no_eol: bool,
}

impl Hunk {
    /// The hunk's text before (`'+'` lines left out) or after (`'-'` lines left out) it
    /// applies.
    fn side(&self, left_out: char) -> Vec<&str> {
        self.lines
            .iter()
            .filter(|(m, _)| *m != left_out)
            .map(|(_, l)| l.as_str())
            .collect()
    }
}

#[derive(Debug, Clone, Default)]
struct FilePatch {
    old: String,
    new: String,
    /// The header lines (for messages).
    header: Vec<String>,
    /// The line where the header starts (1-based).
    line: usize,
    hunks: Vec<Hunk>,
}

fn header_name(rest: &str) -> String {
    let name = rest.split('\t').next().unwrap_or(rest).trim_end();
    // `--- a/file 2020-01-01 00:00:00.000 +0000` without a tab: drop a trailing date.
    let name = match name.find(" 20").or_else(|| name.find(" 19")) {
        Some(p) if name[p + 1..].len() >= 10 && name.as_bytes().get(p + 5) == Some(&b'-') => {
            &name[..p]
        }
        _ => name,
    };
    name.trim_matches('"').to_string()
}

fn parse_range(text: &str) -> (usize, usize) {
    let text = text.trim_start_matches(['-', '+']);
    match text.split_once(',') {
        Some((a, b)) => (a.parse().unwrap_or(0), b.parse().unwrap_or(0)),
        None => (text.parse().unwrap_or(0), 1),
    }
}

fn parse_patch(text: &str) -> Vec<FilePatch> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<FilePatch> = Vec::new();
    let mut pending_header: Vec<String> = Vec::new();
    let mut header_line = 1;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let (Some(old), Some(new)) = (
            line.strip_prefix("--- "),
            lines.get(i + 1).and_then(|l| l.strip_prefix("+++ ")),
        ) {
            pending_header.push(line.to_string());
            pending_header.push(lines[i + 1].to_string());
            out.push(FilePatch {
                old: header_name(old),
                new: header_name(new),
                header: std::mem::take(&mut pending_header),
                line: header_line,
                hunks: Vec::new(),
            });
            i += 2;
            continue;
        }
        if let (Some(rest), Some(fp)) = (line.strip_prefix("@@ -"), out.last_mut()) {
            let mut parts = rest.split_whitespace();
            let (old_start, old_len) = parse_range(parts.next().unwrap_or("0"));
            let (_new_start, new_len) = parse_range(parts.next().unwrap_or("+0"));
            let mut hunk = Hunk {
                old_start,
                old_len,
                raw: vec![line.to_string()],
                ..Hunk::default()
            };
            let (mut old_seen, mut new_seen) = (0, 0);
            i += 1;
            while i < lines.len() && (old_seen < old_len || new_seen < new_len) {
                let l = lines[i];
                if l.starts_with("\\ ") {
                    mark_no_eol(&mut hunk);
                    hunk.raw.push(l.to_string());
                    i += 1;
                    continue;
                }
                let (marker, body) = match l.chars().next() {
                    Some(c @ (' ' | '-' | '+')) => (c, &l[1..]),
                    // An empty line inside a hunk is an empty context line.
                    None => (' ', ""),
                    Some(_) => break,
                };
                match marker {
                    ' ' => {
                        old_seen += 1;
                        new_seen += 1;
                    }
                    '-' => old_seen += 1,
                    _ => new_seen += 1,
                }
                hunk.lines.push((marker, body.to_string()));
                hunk.raw.push(l.to_string());
                i += 1;
            }
            while let Some(l) = lines.get(i).filter(|l| l.starts_with("\\ ")) {
                mark_no_eol(&mut hunk);
                hunk.raw.push(l.to_string());
                i += 1;
            }
            fp.hunks.push(hunk);
            continue;
        }
        if pending_header.is_empty() {
            header_line = i + 1;
        }
        if !line.is_empty() || !pending_header.is_empty() {
            pending_header.push(line.to_string());
        }
        i += 1;
    }
    out
}

/// `\ No newline at end of file` applies to the line before it.
fn mark_no_eol(hunk: &mut Hunk) {
    match hunk.lines.last().map(|(m, _)| *m) {
        Some('-') => hunk.old_no_eol = true,
        Some('+') => hunk.new_no_eol = true,
        _ => {
            hunk.old_no_eol = true;
            hunk.new_no_eol = true;
        }
    }
}

/// Removes `n` leading components (`-p n`).
fn strip_components(name: &str, n: usize) -> Option<String> {
    if name == "/dev/null" {
        return Some(name.to_string());
    }
    let mut rest = name;
    for _ in 0..n {
        let p = rest.find('/')?;
        rest = rest[p + 1..].trim_start_matches('/');
    }
    Some(rest.to_string())
}

fn run_patch(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = crate::engine::programs::require_on_path(ctx, "patch") {
        return missing;
    }
    let mut strip: Option<usize> = None;
    let mut input: Option<String> = None;
    let mut reverse = false;
    let mut forward = false;
    let mut silent = false;
    let mut dry_run = false;
    let mut dir: Option<String> = None;
    let mut operands = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        i += 1;
        let value = |i: &mut usize, attached: &str| -> Option<String> {
            if attached.is_empty() {
                let v = argv.get(*i).cloned();
                *i += 1;
                v
            } else {
                Some(attached.to_string())
            }
        };
        if let Some(long) = a.strip_prefix("--") {
            let (name, v) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            match name {
                "strip" => strip = v.or_else(|| value(&mut i, "")).and_then(|s| s.parse().ok()),
                "input" => input = v.or_else(|| value(&mut i, "")),
                "directory" => dir = v.or_else(|| value(&mut i, "")),
                "reverse" => reverse = true,
                "forward" => forward = true,
                "silent" | "quiet" => silent = true,
                "dry-run" => dry_run = true,
                _ => {}
            }
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let flag = a.get(1..2).unwrap_or("");
            let attached = a.get(2..).unwrap_or("");
            match flag {
                "p" => strip = value(&mut i, attached).and_then(|s| s.parse().ok()),
                "i" => input = value(&mut i, attached),
                "d" => dir = value(&mut i, attached),
                "o" | "r" | "B" | "V" | "z" | "F" | "D" | "Y" => {
                    value(&mut i, attached);
                }
                _ => {
                    for c in a[1..].chars() {
                        match c {
                            'R' => reverse = true,
                            'N' => forward = true,
                            's' => silent = true,
                            _ => {}
                        }
                    }
                }
            }
            continue;
        }
        operands.push(a.to_string());
    }
    let patch_text = match input.clone().or_else(|| operands.get(1).cloned()) {
        Some(file) => match ctx.read(&file) {
            Ok(Content::Bytes(b)) => String::from_utf8_lossy(&b).into_owned(),
            Ok(Content::Unknown { .. }) => {
                ctx.approximated(&format!(
                    "{file} was downloaded without content, so no change was applied"
                ));
                return Ok(0);
            }
            Err(e) => {
                ctx.err(format!("patch: **** Can't open patch file {file} : {e}\n").as_bytes())?;
                return Ok(2);
            }
        },
        None => {
            let data = ctx.stdin();
            if data.unknown > 0 {
                ctx.approximated(
                    "the patch was downloaded without content, so no change was applied",
                );
                return Ok(0);
            }
            String::from_utf8_lossy(&data.bytes).into_owned()
        }
    };
    ctx.steps(1 + patch_text.len() as u64 / 4096)?;
    let saved_cwd = ctx.sh.st.cwd.clone();
    if let Some(d) = &dir {
        let path = ctx.abs(d);
        if !ctx.stat(&path).is_ok_and(|m| m.is_dir()) {
            ctx.err(
                format!("patch: **** Can't change to directory {d} : No such file or directory\n")
                    .as_bytes(),
            )?;
            return Ok(2);
        }
        ctx.sh.st.cwd = path;
    }
    let patches = parse_patch(&patch_text);
    let only_blank = patch_text.trim().is_empty();
    let r = apply_all(
        ctx, patches, only_blank, &operands, strip, reverse, forward, silent, dry_run,
    );
    ctx.sh.st.cwd = saved_cwd;
    r
}

#[allow(clippy::too_many_arguments)]
fn apply_all(
    ctx: &mut ProgramCtx<'_, '_>,
    patches: Vec<FilePatch>,
    only_blank: bool,
    operands: &[String],
    strip: Option<usize>,
    reverse: bool,
    forward: bool,
    silent: bool,
    dry_run: bool,
) -> ProgResult {
    if patches.is_empty() {
        if only_blank {
            return Ok(0);
        }
        ctx.err(b"patch: **** Only garbage was found in the patch input.\n")?;
        return Ok(2);
    }
    let mut status = 0;
    for mut fp in patches {
        ctx.steps(1 + fp.hunks.len() as u64)?;
        if reverse {
            std::mem::swap(&mut fp.old, &mut fp.new);
            for h in &mut fp.hunks {
                for (m, _) in &mut h.lines {
                    *m = match *m {
                        '-' => '+',
                        '+' => '-',
                        c => c,
                    };
                }
                std::mem::swap(&mut h.old_no_eol, &mut h.new_no_eol);
                let old_len = h.lines.iter().filter(|(m, _)| *m != '+').count();
                h.old_len = old_len;
            }
        }
        // Which file: the operand, else the existing one of new/old names.
        let creating = fp.old == "/dev/null";
        let deleting = fp.new == "/dev/null";
        let names: Vec<String> = [&fp.new, &fp.old]
            .iter()
            .filter(|n| n.as_str() != "/dev/null")
            .filter_map(|n| match strip {
                Some(p) => strip_components(n, p),
                None => Some(n.rsplit('/').next().unwrap_or(n).to_string()),
            })
            .collect();
        let target = match operands.first() {
            Some(f) => Some(f.clone()),
            None if creating => names.first().cloned(),
            None => {
                // GNU prefers the old name when both exist; any existing one works.
                let mut existing = None;
                for n in names.iter().rev() {
                    if ctx.stat(n).is_ok() {
                        existing = Some(n.clone());
                        break;
                    }
                }
                existing
            }
        };
        let Some(target) = target else {
            let mut msg = format!(
                "can't find file to patch at input line {}\nPerhaps you used the wrong -p or --strip option?\nThe text leading up to this was:\n--------------------------\n",
                fp.line + fp.header.len()
            );
            for h in &fp.header {
                msg.push_str(&format!("|{h}\n"));
            }
            msg.push_str("--------------------------\nFile to patch: \nSkip this patch? [y] \nSkipping patch.\n");
            let n = fp.hunks.len();
            msg.push_str(&format!(
                "{n} out of {n} hunk{} ignored\n",
                if n == 1 { "" } else { "s" }
            ));
            ctx.out_str(&msg)?;
            status = 1;
            continue;
        };
        let (old_text, mode) = match ctx.read(&target) {
            Ok(Content::Bytes(b)) => (
                String::from_utf8_lossy(&b).into_owned(),
                ctx.stat(&target).map(|m| m.mode).unwrap_or(0o644),
            ),
            Ok(Content::Unknown { .. }) => {
                ctx.approximated(&format!(
                    "{target}'s content is not known, so the patch was not applied to it"
                ));
                continue;
            }
            Err(_) => (String::new(), 0o644),
        };
        if !silent {
            let verb = if dry_run {
                "checking file"
            } else {
                "patching file"
            };
            ctx.out_str(&format!("{verb} {target}\n"))?;
        }
        let ends_with_newline = old_text.ends_with('\n') || old_text.is_empty();
        let mut file_lines: Vec<String> = old_text.lines().map(str::to_string).collect();
        let mut missing_eol = !ends_with_newline;
        let mut offset: isize = 0;
        let mut failed: Vec<&Hunk> = Vec::new();
        let mut mismatch = false;
        let mut messages = String::new();
        let total = fp.hunks.len();
        for (n, hunk) in fp.hunks.iter().enumerate() {
            // Searching for a hunk's place costs in proportion to the file.
            ctx.steps(1 + file_lines.len() as u64 / 64)?;
            let old = hunk.side('+');
            let new: Vec<String> = hunk.side('-').into_iter().map(str::to_string).collect();
            let wanted = if hunk.old_len == 0 {
                hunk.old_start as isize + offset
            } else {
                hunk.old_start as isize - 1 + offset
            };
            let fits = |at: usize| -> bool {
                at + old.len() <= file_lines.len()
                    && old
                        .iter()
                        .enumerate()
                        .all(|(k, l)| file_lines[at + k] == *l)
            };
            let mut found = None;
            let limit = file_lines.len() as isize + 1;
            for d in 0..=limit {
                let candidates = [wanted - d, wanted + d];
                for at in candidates {
                    if at >= 0 && fits(at as usize) {
                        found = Some(at as usize);
                        break;
                    }
                }
                if found.is_some() {
                    break;
                }
            }
            match found {
                Some(at) => {
                    let shift = at as isize - wanted;
                    if shift != 0 {
                        mismatch = true;
                        let lines = shift.unsigned_abs();
                        messages.push_str(&format!(
                            "Hunk #{} succeeded at {} (offset {} line{}).\n",
                            n + 1,
                            at + 1,
                            shift,
                            if lines == 1 { "" } else { "s" }
                        ));
                    }
                    let at_end = at + old.len() == file_lines.len();
                    file_lines.splice(at..at + old.len(), new);
                    if at_end {
                        missing_eol = hunk.new_no_eol;
                    }
                    offset += hunk.lines.iter().filter(|(m, _)| *m == '+').count() as isize
                        - hunk.lines.iter().filter(|(m, _)| *m == '-').count() as isize
                        + shift;
                }
                None => {
                    if forward && reverse_applies(&file_lines, hunk) {
                        messages.push_str(
                            "Reversed (or previously applied) patch detected!  Skipping patch.\n",
                        );
                    }
                    messages.push_str(&format!(
                        "Hunk #{} FAILED at {}.\n",
                        n + 1,
                        hunk.old_start.max(1)
                    ));
                    failed.push(hunk);
                }
            }
        }
        if !silent {
            ctx.out_str(&messages)?;
        }
        // GNU patch keeps the original when the patch did not apply exactly.
        if (mismatch || !failed.is_empty()) && !dry_run && ctx.stat(&target).is_ok() {
            let _ = ctx.write_mode(
                &format!("{target}.orig"),
                Data::Bytes(old_text.as_bytes()),
                mode,
            );
        }
        if !failed.is_empty() {
            status = 1;
            let rej = format!("{target}.rej");
            let mut text = format!("--- {target}\n+++ {target}\n");
            for h in &failed {
                for l in &h.raw {
                    text.push_str(l);
                    text.push('\n');
                }
            }
            ctx.out_str(&format!(
                "{} out of {total} hunk{} FAILED -- saving rejects to file {rej}\n",
                failed.len(),
                if total == 1 { "" } else { "s" }
            ))?;
            if !dry_run {
                let _ = ctx.write_mode(&rej, Data::Bytes(text.as_bytes()), 0o644);
            }
        }
        if dry_run {
            continue;
        }
        let mut out = file_lines.join("\n");
        if !file_lines.is_empty() && !missing_eol {
            out.push('\n');
        }
        if deleting && out.is_empty() {
            let _ = ctx.unlink(&target);
            continue;
        }
        if let Some(parent) = target
            .rsplit_once('/')
            .map(|(p, _)| p)
            .filter(|p| !p.is_empty())
        {
            let _ = ctx.mkdir_p(parent, 0o755);
        }
        if let Err(e) = ctx.write_mode(&target, Data::Bytes(out.as_bytes()), mode) {
            ctx.err(format!("patch: **** Can't create file {target} : {e}\n").as_bytes())?;
            return Ok(2);
        }
    }
    Ok(status)
}

/// Whether the hunk's new side is already in the file (a patch applied before).
fn reverse_applies(file_lines: &[String], hunk: &Hunk) -> bool {
    let new = hunk.side('-');
    if new.is_empty() {
        return false;
    }
    file_lines
        .windows(new.len())
        .any(|w| w.iter().zip(&new).all(|(a, b)| a == b))
}
