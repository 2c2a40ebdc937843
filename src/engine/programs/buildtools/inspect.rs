//! Programs that look at files: `file` (the magic of empty files, directories, links,
//! scripts, text, JSON, gzip, ELF and data, with `-b`, `-i`/`--mime`, `--mime-type`,
//! `-L`) and `tree` (`-a`, `-d`, `-L N`). For a file whose content is not known (a
//! download, a compiled binary) `file` guesses from the name and mode, and says so.

use crate::engine::shell::fs::{Content, FileKind};
use crate::engine::shell::programs::{ProgResult, ProgramCtx, Registry};

pub fn register(registry: &mut Registry) {
    registry.register("file", run_file);
    registry.register("tree", run_tree);
}

/// (description, mime type, charset)
fn describe_bytes(bytes: &[u8], executable: bool) -> (String, &'static str, &'static str) {
    if bytes.is_empty() {
        return ("empty".into(), "inode/x-empty", "binary");
    }
    if bytes.starts_with(b"\x7fELF") {
        let class = if bytes.get(4) == Some(&2) { "64" } else { "32" };
        return (
            format!("ELF {class}-bit LSB executable"),
            "application/x-executable",
            "binary",
        );
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut d = "gzip compressed data".to_string();
        let flags = bytes.get(3).copied().unwrap_or(0);
        if flags & 0x08 != 0 {
            let name: Vec<u8> = bytes
                .iter()
                .skip(10)
                .take_while(|&&b| b != 0)
                .copied()
                .collect();
            d.push_str(&format!(", was \"{}\"", String::from_utf8_lossy(&name)));
        }
        d.push_str(", from Unix");
        if bytes.len() >= 4 {
            let tail = &bytes[bytes.len() - 4..];
            let size = u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]);
            d.push_str(&format!(", original size modulo 2^32 {size}"));
        }
        return (d, "application/gzip", "binary");
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return ("Zip archive data".into(), "application/zip", "binary");
    }
    if bytes.len() >= 262 && &bytes[257..262] == b"ustar" {
        return ("POSIX tar archive".into(), "application/x-tar", "binary");
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t)
            if !bytes
                .iter()
                .any(|&b| b == 0 || (b < 0x20 && !b"\n\r\t\x0c\x1b".contains(&b))) =>
        {
            t
        }
        _ => return ("data".into(), "application/octet-stream", "binary"),
    };
    let ascii = text.is_ascii();
    let (kind, charset) = if ascii {
        ("ASCII text", "us-ascii")
    } else {
        ("Unicode text, UTF-8 text", "utf-8")
    };
    let mut extras = Vec::new();
    if text.contains("\r\n") {
        extras.push("with CRLF line terminators");
    } else if !text.contains('\n') {
        extras.push("with no line terminators");
    }
    if let Some(first) = text.strip_prefix("#!") {
        let line = first.lines().next().unwrap_or("");
        let mut words = line.split_whitespace();
        let mut prog = words.next().unwrap_or("").rsplit('/').next().unwrap_or("");
        if prog == "env" {
            prog = words.next().unwrap_or("");
        }
        let script = match prog {
            "sh" | "dash" | "ash" => "POSIX shell script".to_string(),
            "bash" => "Bourne-Again shell script".to_string(),
            p if p.starts_with("python") => "Python script".to_string(),
            "perl" => "Perl script text".to_string(),
            "node" => "Node.js script".to_string(),
            "ruby" => "Ruby script".to_string(),
            p => format!("a {p} script"),
        };
        let mut d = format!("{script}, {kind} executable");
        for e in extras {
            d.push_str(", ");
            d.push_str(e);
        }
        let mime = if prog == "sh" || prog == "bash" || prog == "dash" || prog == "ash" {
            "text/x-shellscript"
        } else {
            "text/plain"
        };
        return (d, mime, charset);
    }
    let _ = executable;
    let trimmed = text.trim();
    let bracketed = (trimmed.starts_with('{') && trimmed.ends_with('}'))
        || (trimmed.starts_with('[') && trimmed.ends_with(']'));
    if bracketed && serde_json::from_str::<serde_json::Value>(trimmed).is_ok() {
        return ("JSON text data".into(), "application/json", charset);
    }
    let mut d = kind.to_string();
    for e in extras {
        d.push_str(", ");
        d.push_str(e);
    }
    (d, "text/plain", charset)
}

/// A guess from the name and mode for content we do not have.
fn guess_unknown(name: &str, executable: bool) -> (String, &'static str, &'static str) {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".gz") || lower.ends_with(".tgz") {
        ("gzip compressed data".into(), "application/gzip", "binary")
    } else if lower.ends_with(".xz") {
        ("XZ compressed data".into(), "application/x-xz", "binary")
    } else if lower.ends_with(".zip") || lower.ends_with(".jar") {
        ("Zip archive data".into(), "application/zip", "binary")
    } else if lower.ends_with(".tar") {
        ("POSIX tar archive".into(), "application/x-tar", "binary")
    } else if executable || lower.ends_with(".so") || lower.contains(".so.") {
        (
            "ELF 64-bit LSB executable, x86-64, version 1 (SYSV)".into(),
            "application/x-executable",
            "binary",
        )
    } else {
        ("data".into(), "application/octet-stream", "binary")
    }
}

fn run_file(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = crate::engine::programs::require_on_path(ctx, "file") {
        return missing;
    }
    let mut brief = false;
    let mut mime = false;
    let mut mime_type_only = false;
    let mut follow = false;
    let mut names = Vec::new();
    for a in argv.iter().skip(1) {
        match a.as_str() {
            "--brief" => brief = true,
            "--mime" => mime = true,
            "--mime-type" => mime_type_only = true,
            "--dereference" => follow = true,
            s if s.starts_with("--") => {}
            s if s.starts_with('-') && s.len() > 1 => {
                for c in s[1..].chars() {
                    match c {
                        'b' => brief = true,
                        'i' => mime = true,
                        'L' => follow = true,
                        _ => {}
                    }
                }
            }
            _ => names.push(a.clone()),
        }
    }
    if names.is_empty() {
        ctx.err(b"Usage: file [-bcCdEhikLlNnprsSvzZ0] [--apple] [--extension] [--mime-encoding]\n            [--mime-type] [-e <testname>] [-F <separator>]  [-f <namefile>]\n            [-m <magicfiles>] [-P <parameter=value>] [--exclude-quiet]\n            <file> ...\n       file -C [-m <magicfiles>]\n       file [--help]\n")?;
        return Ok(1);
    }
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0) + 1;
    let mut guessed = Vec::new();
    for name in &names {
        ctx.steps(1)?;
        let meta = if follow {
            ctx.stat(name)
        } else {
            ctx.lstat(name)
        };
        let (desc, mime_type, charset) = match meta {
            Err(e) => (format!("cannot open `{name}' ({e})"), "cannot open", ""),
            Ok(m) if m.kind == FileKind::Dir => ("directory".into(), "inode/directory", "binary"),
            Ok(m) if m.kind == FileKind::Symlink => (
                format!(
                    "symbolic link to {}",
                    ctx.readlink(name).unwrap_or_default()
                ),
                "inode/symlink",
                "binary",
            ),
            Ok(m) => {
                let executable = m.mode & 0o111 != 0;
                match ctx.read(name) {
                    Ok(Content::Bytes(b)) => describe_bytes(&b, executable),
                    Ok(Content::Unknown { size: 0 }) => describe_bytes(&[], executable),
                    Ok(Content::Unknown { .. }) => {
                        guessed.push(name.clone());
                        guess_unknown(name, executable)
                    }
                    Err(e) => (format!("cannot open `{name}' ({e})"), "cannot open", ""),
                }
            }
        };
        let body = if mime_type_only {
            mime_type.to_string()
        } else if mime && !charset.is_empty() {
            format!("{mime_type}; charset={charset}")
        } else {
            desc
        };
        let line = if brief {
            format!("{body}\n")
        } else {
            format!("{:<width$} {body}\n", format!("{name}:"))
        };
        ctx.out_str(&line)?;
    }
    if !guessed.is_empty() {
        ctx.approximated(&format!(
            "the content of {} is not known; the type shown is a guess from the name and mode",
            guessed.join(", ")
        ));
    }
    Ok(0)
}

struct TreeOpts {
    all: bool,
    dirs_only: bool,
    max_depth: Option<usize>,
}

fn run_tree(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if let Some(missing) = crate::engine::programs::require_on_path(ctx, "tree") {
        return missing;
    }
    let mut opts = TreeOpts {
        all: false,
        dirs_only: false,
        max_depth: None,
    };
    let mut roots = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        i += 1;
        match a {
            "-a" => opts.all = true,
            "-d" => opts.dirs_only = true,
            "-L" => {
                opts.max_depth = argv.get(i).and_then(|v| v.parse().ok());
                i += 1;
            }
            s if s.starts_with('-') && s.len() > 1 => {}
            _ => roots.push(a.to_string()),
        }
    }
    if roots.is_empty() {
        roots.push(".".to_string());
    }
    let (mut dirs, mut files) = (0usize, 0usize);
    let mut out = String::new();
    for root in &roots {
        match ctx.stat(root) {
            Ok(m) if m.is_dir() => {
                out.push_str(root);
                out.push('\n');
                walk(ctx, root, "", 1, &opts, &mut out, &mut dirs, &mut files)?;
            }
            _ => out.push_str(&format!("{root}  [error opening dir]\n")),
        }
    }
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {many}")
        }
    };
    out.push('\n');
    if opts.dirs_only {
        out.push_str(&format!("{}\n", plural(dirs, "directory", "directories")));
    } else {
        out.push_str(&format!(
            "{}, {}\n",
            plural(dirs, "directory", "directories"),
            plural(files, "file", "files")
        ));
    }
    ctx.out_str(&out)?;
    Ok(0)
}

#[allow(clippy::too_many_arguments)]
fn walk(
    ctx: &mut ProgramCtx<'_, '_>,
    dir: &str,
    indent: &str,
    depth: usize,
    opts: &TreeOpts,
    out: &mut String,
    dirs: &mut usize,
    files: &mut usize,
) -> Result<(), crate::engine::shell::programs::ProgramAbort> {
    if opts.max_depth.is_some_and(|m| depth > m) || depth > 64 {
        return Ok(());
    }
    let mut names = ctx.read_dir(dir).unwrap_or_default();
    names.sort();
    let entries: Vec<(String, FileKind)> = names
        .into_iter()
        .filter(|n| opts.all || !n.starts_with('.'))
        .filter_map(|n| {
            let path = format!("{}/{n}", dir.trim_end_matches('/'));
            let kind = ctx.lstat(&path).ok()?.kind;
            let is_dir = kind == FileKind::Dir
                || (kind == FileKind::Symlink && ctx.stat(&path).is_ok_and(|m| m.is_dir()));
            (!opts.dirs_only || is_dir).then_some((n, kind))
        })
        .collect();
    ctx.steps(1 + entries.len() as u64 / 16)?;
    let count = entries.len();
    for (k, (name, kind)) in entries.into_iter().enumerate() {
        let last = k + 1 == count;
        let path = format!("{}/{name}", dir.trim_end_matches('/'));
        let branch = if last { "└── " } else { "├── " };
        match kind {
            FileKind::Symlink => {
                let target = ctx.readlink(&path).unwrap_or_default();
                out.push_str(&format!("{indent}{branch}{name} -> {target}\n"));
                if ctx.stat(&path).is_ok_and(|m| m.is_dir()) {
                    *dirs += 1;
                } else {
                    *files += 1;
                }
            }
            FileKind::Dir => {
                out.push_str(&format!("{indent}{branch}{name}\n"));
                *dirs += 1;
                let next = format!("{indent}{}", if last { "    " } else { "│   " });
                walk(ctx, &path, &next, depth + 1, opts, out, dirs, files)?;
            }
            FileKind::File => {
                out.push_str(&format!("{indent}{branch}{name}\n"));
                *files += 1;
            }
        }
    }
    Ok(())
}
