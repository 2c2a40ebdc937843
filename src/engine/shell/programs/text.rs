//! Text filters: `head`, `tail`, `wc`, `grep`, `tr`, `cut`, `sort`, `uniq`, `tee`, `rev`,
//! `tac`, `nl`, `paste`, `base64`, `cmp`, `fold`. Lines are bytes split on `\n`; the
//! C locale's byte order is used for sorting (Docker builds run without a locale).

use super::{lines_of, read_inputs, Opts, PResult, ProgResult, ProgramCtx, Registry};
use crate::engine::shell::fs::{self, Content, Data};
use crate::engine::shell::io::StreamData;
use crate::engine::shell::regex::Regex;
use std::cmp::Ordering;

pub fn register(r: &mut Registry) {
    r.register("head", head);
    r.register("tail", tail);
    r.register("wc", wc);
    r.register("grep", grep);
    r.register("egrep", grep);
    r.register("fgrep", grep);
    r.register("tr", tr);
    r.register("cut", cut);
    r.register("sort", sort);
    r.register("uniq", uniq);
    r.register("tee", tee);
    r.register("rev", rev);
    r.register("tac", tac);
    r.register("nl", nl);
    r.register("paste", paste);
    r.register("base64", base64);
    r.register("cmp", cmp);
    r.register("fold", fold);
    r.register("diff", diff);
}

/// `-5` → `-n 5` (old-style head/tail counts).
fn normalize_count_args(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut prev_takes_value = false;
    for a in args {
        let count_like =
            a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| c.is_ascii_digit());
        if count_like && !prev_takes_value {
            out.push("-n".to_string());
            out.push(a[1..].to_string());
        } else {
            out.push(a.clone());
        }
        prev_takes_value = matches!(a.as_str(), "-n" | "-c" | "--lines" | "--bytes");
    }
    out
}

fn head(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let args = normalize_count_args(&argv[1..]);
    let o = Opts::parse(&args, "nc", &["lines", "bytes"]);
    let quiet = o.has(&["q", "quiet", "silent"]);
    let (inputs, ok) = read_inputs(ctx, &o.operands)?;
    let many = inputs.len() > 1 && !quiet;
    for (k, (name, data)) in inputs.iter().enumerate() {
        if many {
            ctx.out_str(&format!(
                "{}==> {} <==\n",
                if k > 0 { "\n" } else { "" },
                if name == "-" { "standard input" } else { name }
            ))?;
        }
        if let Some(c) = o.value(&["c", "bytes"]) {
            let (neg, c) = match c.strip_prefix('-') {
                Some(r) => (true, r),
                None => (false, c),
            };
            let Some(n) = super::files::parse_size(c) else {
                ctx.error(&format!("invalid number of bytes: '{c}'"))?;
                return Ok(1);
            };
            let total = data.len();
            let take = if neg {
                total.saturating_sub(n)
            } else {
                n.min(total)
            };
            let known = (take as usize).min(data.bytes.len());
            ctx.out(&data.bytes[..known])?;
            let rest = take - known as u64;
            if rest > 0 {
                // Bytes of unknown content (/dev/zero, /dev/urandom, downloads).
                if rest <= 1 << 16 {
                    // /dev/zero (and, deterministically, /dev/urandom) read as zeros
                    ctx.out(&vec![0u8; rest as usize])?;
                } else {
                    ctx.out_unknown(rest)?;
                }
            }
            continue;
        }
        let n_text = o.value(&["n", "lines"]).unwrap_or("10").to_string();
        let (neg, n_text) = match n_text.strip_prefix('-') {
            Some(r) => (true, r.to_string()),
            None => (false, n_text.clone()),
        };
        let Some(n) = super::files::parse_size(&n_text) else {
            ctx.error(&format!("invalid number of lines: '{n_text}'"))?;
            return Ok(1);
        };
        let lines: Vec<&[u8]> = data.bytes.split_inclusive(|&c| c == b'\n').collect();
        let take = if neg {
            lines.len().saturating_sub(n as usize)
        } else {
            (n as usize).min(lines.len())
        };
        let out: Vec<u8> = lines[..take].concat();
        ctx.out(&out)?;
    }
    Ok(i32::from(!ok))
}

fn tail(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let mut args: Vec<String> = Vec::new();
    let mut prev_takes_value = false;
    for a in &argv[1..] {
        let count_like = a.len() > 1
            && (a.starts_with('-') || a.starts_with('+'))
            && a[1..].chars().all(|c| c.is_ascii_digit());
        if count_like && !prev_takes_value {
            let v = if a.starts_with('+') {
                a.clone()
            } else {
                a[1..].to_string()
            };
            args.push("-n".to_string());
            args.push(v);
        } else {
            args.push(a.clone());
        }
        prev_takes_value = matches!(a.as_str(), "-n" | "-c" | "--lines" | "--bytes");
    }
    let o = Opts::parse(&args, "ncsF", &["lines", "bytes", "pid", "sleep-interval"]);
    let (inputs, ok) = read_inputs(ctx, &o.operands)?;
    let many = inputs.len() > 1 && !o.has(&["q", "quiet"]);
    for (k, (name, data)) in inputs.iter().enumerate() {
        if many {
            ctx.out_str(&format!(
                "{}==> {} <==\n",
                if k > 0 { "\n" } else { "" },
                name
            ))?;
        }
        if let Some(c) = o.value(&["c", "bytes"]) {
            let from_start = c.starts_with('+');
            let Some(n) = super::files::parse_size(c.trim_start_matches(['+', '-'])) else {
                ctx.error(&format!("invalid number of bytes: '{c}'"))?;
                return Ok(1);
            };
            let b = &data.bytes;
            let start = if from_start {
                (n.saturating_sub(1) as usize).min(b.len())
            } else {
                b.len().saturating_sub(n as usize)
            };
            ctx.out(&b[start..])?;
            continue;
        }
        let spec = o.value(&["n", "lines"]).unwrap_or("10").to_string();
        let from_start = spec.starts_with('+');
        let Some(n) = super::files::parse_size(spec.trim_start_matches(['+', '-'])) else {
            ctx.error(&format!("invalid number of lines: '{spec}'"))?;
            return Ok(1);
        };
        let lines: Vec<&[u8]> = data.bytes.split_inclusive(|&c| c == b'\n').collect();
        let start = if from_start {
            (n.saturating_sub(1) as usize).min(lines.len())
        } else {
            lines.len().saturating_sub(n as usize)
        };
        let out: Vec<u8> = lines[start..].concat();
        ctx.out(&out)?;
    }
    Ok(i32::from(!ok))
}

fn wc(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "", &[]);
    let (mut l, mut w, mut c, mut m) = (
        o.has(&["l", "lines"]),
        o.has(&["w", "words"]),
        o.has(&["c", "bytes"]),
        o.has(&["m", "chars"]),
    );
    let max_line = o.has(&["L", "max-line-length"]);
    if !(l || w || c || m || max_line) {
        l = true;
        w = true;
        c = true;
    }
    let (inputs, ok) = read_inputs(ctx, &o.operands)?;
    let mut rows: Vec<(Vec<u64>, Option<String>)> = Vec::new();
    let mut totals = [0u64; 5];
    for (name, data) in &inputs {
        let b = &data.bytes;
        let text = String::from_utf8_lossy(b);
        let counts = [
            b.iter().filter(|&&x| x == b'\n').count() as u64,
            text.split_ascii_whitespace().count() as u64,
            text.chars().count() as u64 + data.unknown,
            data.len(),
            text.lines()
                .map(|x| x.chars().count() as u64)
                .max()
                .unwrap_or(0),
        ];
        let mut row = Vec::new();
        for (k, on) in [l, w, m, c, max_line].iter().enumerate() {
            if *on {
                row.push(counts[k]);
            }
            totals[k] += counts[k];
        }
        rows.push((row, (name != "-").then(|| name.clone())));
    }
    if inputs.len() > 1 {
        let mut row = Vec::new();
        for (k, on) in [l, w, m, c, max_line].iter().enumerate() {
            if *on {
                row.push(totals[k]);
            }
        }
        rows.push((row, Some("total".to_string())));
    }
    let ncols = [l, w, m, c, max_line].iter().filter(|x| **x).count();
    let from_stdin = o.operands.is_empty() || o.operands.iter().any(|f| f == "-");
    let width = if ctx.busybox() {
        if ncols == 1 && rows.len() == 1 {
            0
        } else {
            7
        }
    } else if ncols == 1 && rows.len() == 1 {
        0
    } else if from_stdin {
        7
    } else {
        let total_bytes: u64 = inputs.iter().map(|(_, d)| d.len()).sum();
        total_bytes.to_string().len()
    };
    let mut out = String::new();
    for (row, name) in rows {
        let cells: Vec<String> = row.iter().map(|v| format!("{v:>width$}")).collect();
        out.push_str(&cells.join(" "));
        if let Some(n) = name {
            out.push(' ');
            out.push_str(&n);
        }
        out.push('\n');
    }
    let _ = (&mut c, &mut m);
    ctx.out_str(&out)?;
    Ok(i32::from(!ok))
}

// ---------------------------------------------------------------- grep

enum Matcher {
    Regexes(Vec<Regex>),
    Fixed(Vec<String>, bool),
}

impl Matcher {
    /// Match spans (byte offsets) in `line`, leftmost first.
    fn find(&self, line: &str, from: usize) -> Option<(usize, usize)> {
        match self {
            Matcher::Regexes(rs) => rs
                .iter()
                .filter_map(|r| r.find(line, from))
                .min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1))),
            Matcher::Fixed(pats, icase) => {
                let hay = if *icase {
                    line.to_lowercase()
                } else {
                    line.to_string()
                };
                pats.iter()
                    .filter_map(|p| {
                        let p = if *icase { p.to_lowercase() } else { p.clone() };
                        hay.get(from..)?
                            .find(&p)
                            .map(|i| (i + from, i + from + p.len()))
                    })
                    .min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
            }
        }
    }
}

fn grep(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(
        &argv[1..],
        "efmABCd",
        &[
            "regexp",
            "file",
            "max-count",
            "include",
            "exclude",
            "exclude-dir",
            "color",
            "colour",
            "after-context",
            "before-context",
            "context",
            "label",
        ],
    );
    let ere = o.has(&["E", "extended-regexp"]) || ctx.name() == "egrep";
    let fixed = o.has(&["F", "fixed-strings"]) || ctx.name() == "fgrep";
    let icase = o.has(&["i", "ignore-case", "y"]);
    let invert = o.has(&["v", "invert-match"]);
    let count = o.has(&["c", "count"]);
    let list = o.has(&["l", "files-with-matches"]);
    let list_missing = o.has(&["L", "files-without-match"]);
    let number = o.has(&["n", "line-number"]);
    let only = o.has(&["o", "only-matching"]);
    let quiet = o.has(&["q", "quiet", "silent"]);
    let silent_errors = o.has(&["s", "no-messages"]);
    let word = o.has(&["w", "word-regexp"]);
    let whole_line = o.has(&["x", "line-regexp"]);
    let recursive = o.has(&["r", "R", "recursive", "dereference-recursive"]);
    let max_count: Option<usize> = o.value(&["m", "max-count"]).and_then(|v| v.parse().ok());
    let mut operands = o.operands.clone();
    let mut patterns: Vec<String> = o
        .values(&["e", "regexp"])
        .iter()
        .map(|s| s.to_string())
        .collect();
    for f in o.values(&["f", "file"]) {
        match ctx.read_text(f) {
            Ok(Some(t)) => patterns.extend(t.lines().map(str::to_string)),
            _ => {
                ctx.error(&format!("{f}: No such file or directory"))?;
                return Ok(2);
            }
        }
    }
    if patterns.is_empty() {
        if operands.is_empty() {
            ctx.err(b"Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n")?;
            return Ok(2);
        }
        let p = operands.remove(0);
        patterns.extend(p.split('\n').map(str::to_string));
    }
    let matcher = if fixed && !word && !whole_line {
        Matcher::Fixed(patterns.clone(), icase)
    } else {
        let mut rs = Vec::new();
        for p in &patterns {
            let mut src = if fixed {
                regex_escape(p, ere)
            } else {
                p.clone()
            };
            if word {
                src = if ere {
                    format!("\\<({src})\\>")
                } else {
                    format!("\\<\\({src}\\)\\>")
                };
            }
            if whole_line {
                src = if ere {
                    format!("^({src})$")
                } else {
                    format!("^\\({src}\\)$")
                };
            }
            match Regex::new(&src, ere, icase) {
                Ok(r) => rs.push(r),
                Err(e) => {
                    ctx.error(&e)?;
                    return Ok(2);
                }
            }
        }
        Matcher::Regexes(rs)
    };
    // Expand recursive operands into files.
    let mut files: Vec<String> = Vec::new();
    let includes: Vec<String> = o
        .values(&["include"])
        .iter()
        .map(|s| s.to_string())
        .collect();
    let excludes: Vec<String> = o
        .values(&["exclude"])
        .iter()
        .map(|s| s.to_string())
        .collect();
    if recursive {
        if operands.is_empty() {
            operands.push(".".to_string());
        }
        for root in &operands {
            let mut stack = vec![root.clone()];
            while let Some(p) = stack.pop() {
                ctx.steps(1)?;
                match ctx.stat(&p) {
                    Ok(m) if m.is_dir() => {
                        if let Ok(names) = ctx.read_dir(&p) {
                            for n in names.into_iter().rev() {
                                stack.push(if p == "." && root == "." {
                                    format!("./{n}").trim_start_matches("./").to_string()
                                } else {
                                    format!("{}/{}", p.trim_end_matches('/'), n)
                                });
                            }
                        }
                    }
                    Ok(_) => {
                        let base = fs::file_name(&p);
                        let inc = includes.is_empty()
                            || includes.iter().any(|g| {
                                crate::engine::shell::pattern::Pattern::new(g).matches(base)
                            });
                        let exc = excludes
                            .iter()
                            .any(|g| crate::engine::shell::pattern::Pattern::new(g).matches(base));
                        if inc && !exc {
                            files.push(p);
                        }
                    }
                    Err(_) => files.push(p),
                }
            }
        }
    } else {
        files = operands.clone();
    }
    let show_names = if o.has(&["h", "no-filename"]) {
        false
    } else {
        o.has(&["H", "with-filename"]) || files.len() > 1 || recursive
    };
    let mut any_match = false;
    let mut error = false;
    let inputs: Vec<(String, Option<StreamData>)> = if files.is_empty() {
        vec![("(standard input)".to_string(), Some(ctx.stdin()))]
    } else {
        let mut v = Vec::new();
        for f in &files {
            if f == "-" {
                v.push(("(standard input)".to_string(), Some(ctx.stdin())));
                continue;
            }
            match ctx.read(f) {
                Ok(Content::Bytes(b)) => v.push((f.clone(), Some(StreamData::known(b)))),
                Ok(Content::Unknown { size }) => v.push((
                    f.clone(),
                    Some(StreamData {
                        bytes: Vec::new(),
                        unknown: size,
                    }),
                )),
                Err(e) => {
                    error = true;
                    if !silent_errors {
                        ctx.error(&format!("{f}: {e}"))?;
                    }
                    v.push((f.clone(), None));
                }
            }
        }
        v
    };
    let mut out = String::new();
    for (name, data) in inputs {
        let Some(data) = data else { continue };
        if !data.is_known() && data.bytes.is_empty() {
            ctx.approximated(&format!(
                "`grep` read {name}, whose content is not known; it matched nothing"
            ));
        }
        let text = String::from_utf8_lossy(&data.bytes).into_owned();
        ctx.steps(text.len() as u64 / 4096)?;
        let mut n_matches = 0usize;
        for (ln, line) in text.lines().enumerate() {
            if max_count.is_some_and(|m| n_matches >= m) {
                break;
            }
            let hit = matcher.find(line, 0).is_some();
            if hit == invert {
                continue;
            }
            n_matches += 1;
            any_match = true;
            if quiet {
                ctx.out_str(&out)?;
                return Ok(0);
            }
            if count || list || list_missing {
                continue;
            }
            let prefix = {
                let mut p = String::new();
                if show_names {
                    p.push_str(&name);
                    p.push(':');
                }
                if number {
                    p.push_str(&(ln + 1).to_string());
                    p.push(':');
                }
                p
            };
            if only && !invert {
                let mut from = 0;
                while from <= line.len() {
                    match matcher.find(line, from) {
                        Some((s, e)) if e > s => {
                            out.push_str(&prefix);
                            out.push_str(&line[s..e]);
                            out.push('\n');
                            from = e;
                        }
                        Some((s, _)) => {
                            from = s + line[s..].chars().next().map(char::len_utf8).unwrap_or(1)
                        }
                        None => break,
                    }
                }
            } else {
                out.push_str(&prefix);
                out.push_str(line);
                out.push('\n');
            }
        }
        if count {
            if show_names {
                out.push_str(&format!("{name}:{n_matches}\n"));
            } else {
                out.push_str(&format!("{n_matches}\n"));
            }
        }
        if list && n_matches > 0 {
            out.push_str(&format!("{name}\n"));
        }
        if list_missing && n_matches == 0 {
            out.push_str(&format!("{name}\n"));
        }
    }
    ctx.out_str(&out)?;
    if error && !(quiet && any_match) {
        return Ok(2);
    }
    Ok(if any_match { 0 } else { 1 })
}

/// Escapes regex metacharacters so a fixed string matches literally.
pub fn regex_escape(s: &str, ere: bool) -> String {
    let special: &str = if ere { "\\.[]*^$+?(){}|" } else { "\\.[]*^$" };
    let mut out = String::new();
    for c in s.chars() {
        if special.contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------- tr

/// Expands a `tr` set (ranges, classes, escapes) into chars.
fn tr_set(spec: &str) -> Vec<char> {
    let chars: Vec<char> = spec.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let unescape = |chars: &[char], i: &mut usize| -> char {
        let c = chars[*i];
        if c == '\\' && *i + 1 < chars.len() {
            *i += 1;
            let n = chars[*i];
            match n {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                '\\' => '\\',
                'a' => '\x07',
                'b' => '\x08',
                'f' => '\x0c',
                'v' => '\x0b',
                '0'..='7' => {
                    let mut v = n.to_digit(8).unwrap_or(0);
                    let mut k = 0;
                    while k < 2 && *i + 1 < chars.len() && ('0'..='7').contains(&chars[*i + 1]) {
                        *i += 1;
                        v = v * 8 + chars[*i].to_digit(8).unwrap_or(0);
                        k += 1;
                    }
                    char::from_u32(v).unwrap_or('\0')
                }
                other => other,
            }
        } else {
            c
        }
    };
    while i < chars.len() {
        if chars[i] == '[' && chars.get(i + 1) == Some(&':') {
            let rest: String = chars[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                let name = &rest[..end];
                for b in 0u8..=127 {
                    let c = b as char;
                    if crate::engine::shell::pattern::class_matches(name, c) {
                        out.push(c);
                    }
                }
                i += 2 + end + 2;
                continue;
            }
        }
        if chars[i] == '[' && chars.get(i + 2) == Some(&'*') {
            // [c*n] repeat (SET2): approximate by one char
            if let Some(close) = chars[i..].iter().position(|&c| c == ']') {
                out.push(chars[i + 1]);
                i += close + 1;
                continue;
            }
        }
        let lo = unescape(&chars, &mut i);
        if chars.get(i + 1) == Some(&'-') && i + 2 < chars.len() {
            let mut j = i + 2;
            let hi = unescape(&chars, &mut j);
            if hi >= lo {
                for c in lo..=hi {
                    out.push(c);
                }
                i = j + 1;
                continue;
            }
        }
        out.push(lo);
        i += 1;
    }
    out
}

fn tr(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "", &[]);
    let delete = o.has(&["d", "delete"]);
    let squeeze = o.has(&["s", "squeeze-repeats"]);
    let complement = o.has(&["c", "C", "complement"]);
    let Some(s1) = o.operands.first() else {
        ctx.usage("missing operand")?;
        return Ok(1);
    };
    let set1 = tr_set(s1);
    let set2 = o.operands.get(1).map(|s| tr_set(s)).unwrap_or_default();
    let data = ctx.stdin();
    let text = String::from_utf8_lossy(&data.bytes).into_owned();
    let in1 = |c: char| set1.contains(&c) != complement;
    let mut out = String::with_capacity(text.len());
    let mut last: Option<char> = None;
    let squeeze_set: Vec<char> = if delete || o.operands.len() < 2 {
        set1.clone()
    } else {
        set2.clone()
    };
    for c in text.chars() {
        if delete && in1(c) {
            continue;
        }
        let mapped = if !delete && !set2.is_empty() && in1(c) {
            if complement {
                *set2.last().unwrap_or(&c)
            } else {
                let idx = set1.iter().rposition(|&x| x == c).unwrap_or(0);
                *set2.get(idx).or(set2.last()).unwrap_or(&c)
            }
        } else {
            c
        };
        if squeeze {
            let in_sq = if complement && (delete || o.operands.len() < 2) {
                !squeeze_set.contains(&mapped)
            } else {
                squeeze_set.contains(&mapped)
            };
            if in_sq && last == Some(mapped) {
                continue;
            }
        }
        last = Some(mapped);
        out.push(mapped);
    }
    ctx.out_str(&out)?;
    Ok(0)
}

// ---------------------------------------------------------------- cut

/// Parses `1,3-5,7-` into inclusive 1-based ranges (`usize::MAX` for open ends).
fn parse_ranges(spec: &str) -> Option<Vec<(usize, usize)>> {
    let mut out = Vec::new();
    for part in spec.split(',') {
        let part = part.trim();
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (
                if a.is_empty() { 1 } else { a.parse().ok()? },
                if b.is_empty() {
                    usize::MAX
                } else {
                    b.parse().ok()?
                },
            ),
            None => {
                let n: usize = part.parse().ok()?;
                (n, n)
            }
        };
        if a == 0 {
            return None;
        }
        out.push((a, b));
    }
    Some(out)
}

fn cut(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(
        &argv[1..],
        "dfcb",
        &[
            "delimiter",
            "fields",
            "characters",
            "bytes",
            "output-delimiter",
        ],
    );
    let delim = o.value(&["d", "delimiter"]).unwrap_or("\t").to_string();
    let only_delimited = o.has(&["s", "only-delimited"]);
    let complement = o.has(&["complement"]);
    let (mode, spec) = if let Some(f) = o.value(&["f", "fields"]) {
        ('f', f.to_string())
    } else if let Some(c) = o.value(&["c", "characters"]) {
        ('c', c.to_string())
    } else if let Some(b) = o.value(&["b", "bytes"]) {
        ('b', b.to_string())
    } else {
        ctx.usage("you must specify a list of bytes, characters, or fields")?;
        return Ok(1);
    };
    let Some(ranges) = parse_ranges(&spec) else {
        ctx.error(&format!("invalid field value '{spec}'"))?;
        return Ok(1);
    };
    let sel = |i: usize| ranges.iter().any(|&(a, b)| a <= i && i <= b) != complement;
    let out_delim = o
        .value(&["output-delimiter"])
        .map(str::to_string)
        .unwrap_or_else(|| delim.clone());
    let (inputs, ok) = read_inputs(ctx, &o.operands)?;
    let mut out = String::new();
    let d = delim.chars().next().unwrap_or('\t');
    for (_, data) in inputs {
        let text = String::from_utf8_lossy(&data.bytes).into_owned();
        for line in text.lines() {
            match mode {
                'f' => {
                    if !line.contains(d) {
                        if !only_delimited {
                            out.push_str(line);
                            out.push('\n');
                        }
                        continue;
                    }
                    let fields: Vec<&str> = line.split(d).collect();
                    let picked: Vec<&str> = fields
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| sel(i + 1))
                        .map(|(_, f)| *f)
                        .collect();
                    out.push_str(&picked.join(&out_delim));
                }
                _ => {
                    let picked: String = line
                        .chars()
                        .enumerate()
                        .filter(|(i, _)| sel(i + 1))
                        .map(|(_, c)| c)
                        .collect();
                    out.push_str(&picked);
                }
            }
            out.push('\n');
        }
    }
    ctx.out_str(&out)?;
    Ok(i32::from(!ok))
}

// ---------------------------------------------------------------- sort, uniq

#[derive(Debug, Clone, Default)]
struct KeySpec {
    start_field: usize,
    start_char: usize,
    end_field: Option<usize>,
    end_char: usize,
    numeric: bool,
    reverse: bool,
    version: bool,
    fold: bool,
    blanks: bool,
    human: bool,
}

fn parse_key(spec: &str, global: &KeySpec) -> Option<KeySpec> {
    let mut k = KeySpec {
        numeric: global.numeric,
        reverse: global.reverse,
        version: global.version,
        fold: global.fold,
        blanks: global.blanks,
        human: global.human,
        ..KeySpec::default()
    };
    let (start, end) = match spec.split_once(',') {
        Some((a, b)) => (a, Some(b)),
        None => (spec, None),
    };
    let parse_pos = |s: &str, k: &mut KeySpec| -> Option<(usize, usize)> {
        let digits_end = s
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(s.len());
        let (pos, flags) = s.split_at(digits_end);
        let mut any_flag = false;
        for f in flags.chars() {
            any_flag = true;
            match f {
                'n' => k.numeric = true,
                'r' => k.reverse = true,
                'V' => k.version = true,
                'f' => k.fold = true,
                'b' => k.blanks = true,
                'h' => k.human = true,
                _ => {}
            }
        }
        if any_flag {
            // key-local flags replace the global ordering options
        }
        let (f, c) = match pos.split_once('.') {
            Some((f, c)) => (f.parse().ok()?, c.parse().unwrap_or(0)),
            None => (pos.parse().ok()?, 0),
        };
        Some((f, c))
    };
    let (sf, sc) = parse_pos(start, &mut k)?;
    k.start_field = sf;
    k.start_char = sc;
    if let Some(e) = end {
        let (ef, ec) = parse_pos(e, &mut k)?;
        k.end_field = Some(ef);
        k.end_char = ec;
    }
    Some(k)
}

fn key_text<'a>(line: &'a str, k: &KeySpec, sep: Option<char>) -> &'a str {
    // field boundaries: (start, end) byte offsets
    let mut fields: Vec<(usize, usize)> = Vec::new();
    match sep {
        Some(s) => {
            let mut start = 0;
            for (i, c) in line.char_indices() {
                if c == s {
                    fields.push((start, i));
                    start = i + c.len_utf8();
                }
            }
            fields.push((start, line.len()));
        }
        None => {
            // blank-separated: leading blanks belong to the field
            let b = line.as_bytes();
            let mut i = 0;
            while i < b.len() {
                let st = i;
                while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                    i += 1;
                }
                while i < b.len() && b[i] != b' ' && b[i] != b'\t' {
                    i += 1;
                }
                fields.push((st, i));
            }
        }
    }
    let Some(&(fs_, fe)) = fields.get(k.start_field.saturating_sub(1)) else {
        return "";
    };
    let mut start = fs_;
    if k.blanks || sep.is_none() {
        while start < fe && matches!(line.as_bytes()[start], b' ' | b'\t') {
            start += 1;
        }
    }
    if k.start_char > 1 {
        start = (start + k.start_char - 1).min(fe);
    }
    let end = match k.end_field {
        None => line.len(),
        Some(ef) => match fields.get(ef.saturating_sub(1)) {
            Some(&(efs, efe)) => {
                if k.end_char == 0 {
                    efe
                } else {
                    (efs + k.end_char).min(efe)
                }
            }
            None => line.len(),
        },
    };
    line.get(start..end.max(start)).unwrap_or("")
}

fn numeric_prefix(s: &str) -> f64 {
    let t = s.trim_start();
    let mut end = 0;
    for (i, c) in t.char_indices() {
        if c.is_ascii_digit() || c == '.' || (i == 0 && c == '-') {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    t[..end].parse().unwrap_or(0.0)
}

fn human_value(s: &str) -> f64 {
    let t = s.trim();
    let n = numeric_prefix(t);
    let suffix = t
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '-')
        .chars()
        .next();
    let mult = match suffix {
        Some('K') | Some('k') => 1e3,
        Some('M') => 1e6,
        Some('G') => 1e9,
        Some('T') => 1e12,
        _ => 1.0,
    };
    n * mult
}

/// GNU version ordering (`sort -V`, close to `strverscmp`).
pub fn version_cmp(a: &str, b: &str) -> Ordering {
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < ab.len() && j < bb.len() {
        if ab[i].is_ascii_digit() && bb[j].is_ascii_digit() {
            let si = i;
            while i < ab.len() && ab[i].is_ascii_digit() {
                i += 1;
            }
            let sj = j;
            while j < bb.len() && bb[j].is_ascii_digit() {
                j += 1;
            }
            let x = a[si..i].trim_start_matches('0');
            let y = b[sj..j].trim_start_matches('0');
            let c = x.len().cmp(&y.len()).then_with(|| x.cmp(y));
            if c != Ordering::Equal {
                return c;
            }
        } else {
            let order = |c: u8| -> i32 {
                if c == b'~' {
                    -1
                } else if c.is_ascii_alphabetic() {
                    c as i32
                } else {
                    c as i32 + 256
                }
            };
            let c = order(ab[i]).cmp(&order(bb[j]));
            if c != Ordering::Equal {
                return c;
            }
            i += 1;
            j += 1;
        }
    }
    let rest = |s: &[u8], k: usize| -> i32 {
        match s.get(k) {
            None => 0,
            Some(b'~') => -1,
            Some(_) => 1,
        }
    };
    rest(ab, i).cmp(&rest(bb, j))
}

fn compare_key(a: &str, b: &str, k: &KeySpec) -> Ordering {
    let c = if k.numeric {
        numeric_prefix(a)
            .partial_cmp(&numeric_prefix(b))
            .unwrap_or(Ordering::Equal)
    } else if k.human {
        human_value(a)
            .partial_cmp(&human_value(b))
            .unwrap_or(Ordering::Equal)
    } else if k.version {
        version_cmp(a, b)
    } else if k.fold {
        a.to_ascii_uppercase().cmp(&b.to_ascii_uppercase())
    } else {
        a.as_bytes().cmp(b.as_bytes())
    };
    if k.reverse {
        c.reverse()
    } else {
        c
    }
}

fn sort(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(
        &argv[1..],
        "ktoST",
        &[
            "key",
            "field-separator",
            "output",
            "buffer-size",
            "temporary-directory",
            "parallel",
            "sort",
        ],
    );
    let global = KeySpec {
        start_field: 1,
        numeric: o.has(&["n", "numeric-sort", "g", "general-numeric-sort"]),
        reverse: o.has(&["r", "reverse"]),
        version: o.has(&["V", "version-sort"]) || o.value(&["sort"]) == Some("version"),
        fold: o.has(&["f", "ignore-case"]),
        blanks: o.has(&["b", "ignore-leading-blanks"]),
        human: o.has(&["h", "human-numeric-sort"]),
        ..KeySpec::default()
    };
    let unique = o.has(&["u", "unique"]);
    let stable = o.has(&["s", "stable"]);
    let sep = o
        .value(&["t", "field-separator"])
        .and_then(|s| s.chars().next());
    let mut keys = Vec::new();
    for spec in o.values(&["k", "key"]) {
        match parse_key(spec, &global) {
            Some(k) => keys.push(k),
            None => {
                ctx.error(&format!(
                    "invalid number at field start: invalid count at start of '{spec}'"
                ))?;
                return Ok(2);
            }
        }
    }
    let (inputs, ok) = read_inputs(ctx, &o.operands)?;
    if !ok {
        return Ok(2);
    }
    let mut lines: Vec<String> = Vec::new();
    for (_, d) in &inputs {
        for l in lines_of(&d.bytes) {
            lines.push(String::from_utf8_lossy(l).into_owned());
        }
    }
    ctx.steps(lines.len() as u64 / 16)?;
    let cmp = |a: &String, b: &String| -> Ordering {
        if keys.is_empty() {
            return compare_key(a, b, &global);
        }
        for k in &keys {
            let c = compare_key(key_text(a, k, sep), key_text(b, k, sep), k);
            if c != Ordering::Equal {
                return c;
            }
        }
        Ordering::Equal
    };
    lines.sort_by(|a, b| {
        let c = cmp(a, b);
        if c != Ordering::Equal || stable || unique {
            return c;
        }
        // last-resort comparison: the whole line, bytewise
        let last = a.as_bytes().cmp(b.as_bytes());
        if global.reverse {
            last.reverse()
        } else {
            last
        }
    });
    if unique {
        lines.dedup_by(|b, a| cmp(a, b) == Ordering::Equal);
    }
    let mut out = lines.join("\n");
    if !lines.is_empty() {
        out.push('\n');
    }
    if let Some(path) = o.value(&["o", "output"]) {
        let path = path.to_string();
        if let Err(e) = ctx.write(&path, Data::Bytes(out.as_bytes())) {
            ctx.error(&format!("open failed: {path}: {e}"))?;
            return Ok(2);
        }
        return Ok(0);
    }
    if o.has(&["c", "check", "C"]) {
        let sorted = inputs.iter().all(|_| true);
        return Ok(i32::from(!sorted));
    }
    ctx.out_str(&out)?;
    Ok(0)
}

fn uniq(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(
        &argv[1..],
        "fsw",
        &["skip-fields", "skip-chars", "check-chars"],
    );
    let count = o.has(&["c", "count"]);
    let dups = o.has(&["d", "repeated"]);
    let uniques = o.has(&["u", "unique"]);
    let icase = o.has(&["i", "ignore-case"]);
    let (inputs, ok) = read_inputs(ctx, &o.operands[..o.operands.len().min(1)])?;
    let mut out = String::new();
    for (_, d) in inputs {
        let lines: Vec<String> = lines_of(&d.bytes)
            .iter()
            .map(|l| String::from_utf8_lossy(l).into_owned())
            .collect();
        let mut i = 0;
        while i < lines.len() {
            let mut j = i + 1;
            while j < lines.len()
                && (lines[j] == lines[i] || (icase && lines[j].eq_ignore_ascii_case(&lines[i])))
            {
                j += 1;
            }
            let n = j - i;
            let show = (!dups || n > 1) && (!uniques || n == 1);
            if show {
                if count {
                    out.push_str(&format!("{n:>7} {}\n", lines[i]));
                } else {
                    out.push_str(&lines[i]);
                    out.push('\n');
                }
            }
            i = j;
        }
    }
    if let Some(dest) = o.operands.get(1) {
        let dest = dest.clone();
        let _ = ctx.write(&dest, Data::Bytes(out.as_bytes()));
        return Ok(i32::from(!ok));
    }
    ctx.out_str(&out)?;
    Ok(i32::from(!ok))
}

// ---------------------------------------------------------------- tee, rev, tac, nl, paste

fn tee(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "", &[]);
    let append = o.has(&["a", "append"]);
    let data = ctx.stdin();
    let mut status = 0;
    for f in &o.operands {
        let d = if data.is_known() {
            Data::Bytes(&data.bytes)
        } else {
            Data::Unknown(data.len())
        };
        let r = if append {
            ctx.append(f, d)
        } else {
            ctx.write(f, d)
        };
        if let Err(e) = r {
            ctx.error(&format!("{f}: {e}"))?;
            status = 1;
        }
    }
    ctx.out(&data.bytes)?;
    ctx.out_unknown(data.unknown)?;
    Ok(status)
}

fn rev(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let (inputs, ok) = read_inputs(ctx, &argv[1..])?;
    let mut out = String::new();
    for (_, d) in inputs {
        for l in lines_of(&d.bytes) {
            out.extend(String::from_utf8_lossy(l).chars().rev());
            out.push('\n');
        }
    }
    ctx.out_str(&out)?;
    Ok(i32::from(!ok))
}

fn tac(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let (inputs, ok) = read_inputs(ctx, &argv[1..])?;
    let mut out = Vec::new();
    for (_, d) in inputs {
        for l in lines_of(&d.bytes).iter().rev() {
            out.extend_from_slice(l);
            out.push(b'\n');
        }
    }
    ctx.out(&out)?;
    Ok(i32::from(!ok))
}

fn nl(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "bwsv", &[]);
    let all = o.value(&["b"]) == Some("a");
    let (inputs, ok) = read_inputs(ctx, &o.operands)?;
    let mut out = String::new();
    let mut n = 0;
    for (_, d) in inputs {
        for l in lines_of(&d.bytes) {
            let l = String::from_utf8_lossy(l);
            if l.is_empty() && !all {
                out.push_str("       \n");
                continue;
            }
            n += 1;
            out.push_str(&format!("{n:>6}\t{l}\n"));
        }
    }
    ctx.out_str(&out)?;
    Ok(i32::from(!ok))
}

fn paste(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "d", &["delimiters"]);
    let delims: Vec<char> = o
        .value(&["d", "delimiters"])
        .unwrap_or("\t")
        .chars()
        .collect();
    let serial = o.has(&["s", "serial"]);
    let (inputs, ok) = read_inputs(ctx, &o.operands)?;
    let cols: Vec<Vec<String>> = inputs
        .iter()
        .map(|(_, d)| {
            lines_of(&d.bytes)
                .iter()
                .map(|l| String::from_utf8_lossy(l).into_owned())
                .collect()
        })
        .collect();
    let dl = |i: usize| delims.get(i % delims.len().max(1)).copied().unwrap_or('\t');
    let mut out = String::new();
    if serial {
        for c in &cols {
            for (i, l) in c.iter().enumerate() {
                if i > 0 {
                    out.push(dl(i - 1));
                }
                out.push_str(l);
            }
            out.push('\n');
        }
    } else {
        let rows = cols.iter().map(Vec::len).max().unwrap_or(0);
        for r in 0..rows {
            for (i, c) in cols.iter().enumerate() {
                if i > 0 {
                    out.push(dl(i - 1));
                }
                out.push_str(c.get(r).map(String::as_str).unwrap_or(""));
            }
            out.push('\n');
        }
    }
    ctx.out_str(&out)?;
    Ok(i32::from(!ok))
}

// ---------------------------------------------------------------- base64, cmp, fold

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        if c.is_ascii_whitespace() || c == b'=' {
            continue;
        }
        let v = B64.iter().position(|&x| x == c)? as u32;
        buf = (buf << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn base64(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "w", &["wrap"]);
    let (inputs, ok) = read_inputs(ctx, &o.operands)?;
    let mut data = Vec::new();
    for (_, d) in inputs {
        data.extend_from_slice(&d.bytes);
    }
    if o.has(&["d", "decode"]) {
        match base64_decode(&String::from_utf8_lossy(&data)) {
            Some(b) => ctx.out(&b)?,
            None => {
                ctx.error("invalid input")?;
                return Ok(1);
            }
        }
        return Ok(i32::from(!ok));
    }
    let wrap: usize = o
        .value(&["w", "wrap"])
        .and_then(|v| v.parse().ok())
        .unwrap_or(76);
    let enc = base64_encode(&data);
    let mut out = String::new();
    if wrap == 0 {
        out.push_str(&enc);
        if !enc.is_empty() {
            out.push('\n');
        }
    } else {
        for chunk in enc.as_bytes().chunks(wrap) {
            out.push_str(&String::from_utf8_lossy(chunk));
            out.push('\n');
        }
    }
    ctx.out_str(&out)?;
    Ok(i32::from(!ok))
}

fn cmp(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "in", &[]);
    let silent = o.has(&["s", "silent", "quiet"]);
    let (Some(a), Some(b)) = (o.operands.first().cloned(), o.operands.get(1).cloned()) else {
        ctx.usage("missing operand")?;
        return Ok(2);
    };
    let read = |ctx: &mut ProgramCtx<'_, '_>, p: &str| -> PResult<Option<Content>> {
        match ctx.read(p) {
            Ok(c) => Ok(Some(c)),
            Err(e) => {
                ctx.error(&format!("{p}: {e}"))?;
                Ok(None)
            }
        }
    };
    let (Some(x), Some(y)) = (read(ctx, &a)?, read(ctx, &b)?) else {
        return Ok(2);
    };
    match (x.bytes(), y.bytes()) {
        (Some(xb), Some(yb)) => {
            if xb == yb {
                return Ok(0);
            }
            if !silent {
                let pos = xb.iter().zip(yb).position(|(p, q)| p != q);
                match pos {
                    Some(i) => {
                        let line = xb[..i].iter().filter(|&&c| c == b'\n').count() + 1;
                        ctx.out_str(&format!("{a} {b} differ: byte {}, line {line}\n", i + 1))?;
                    }
                    None => {
                        let shorter = if xb.len() < yb.len() { &a } else { &b };
                        ctx.error(&format!(
                            "EOF on {shorter} after byte {}",
                            xb.len().min(yb.len())
                        ))?;
                    }
                }
            }
            Ok(1)
        }
        _ => Ok(i32::from(x.len() != y.len())),
    }
}

fn fold(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "w", &["width"]);
    let w: usize = o
        .value(&["w", "width"])
        .and_then(|v| v.parse().ok())
        .unwrap_or(80)
        .max(1);
    let (inputs, ok) = read_inputs(ctx, &o.operands)?;
    let mut out = String::new();
    for (_, d) in inputs {
        for l in lines_of(&d.bytes) {
            let chars: Vec<char> = String::from_utf8_lossy(l).chars().collect();
            if chars.is_empty() {
                out.push('\n');
            }
            for chunk in chars.chunks(w) {
                out.extend(chunk);
                out.push('\n');
            }
        }
    }
    ctx.out_str(&out)?;
    Ok(i32::from(!ok))
}

// ---------------------------------------------------------------- diff

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit {
    Same(usize, usize),
    Del(usize),
    Add(usize),
}

/// A shortest edit script by longest common subsequence (bounded: very large inputs
/// degrade to "everything changed").
fn edit_script(a: &[&str], b: &[&str]) -> Vec<Edit> {
    let (n, m) = (a.len(), b.len());
    if n.saturating_mul(m) > 4_000_000 {
        let mut v: Vec<Edit> = (0..n).map(Edit::Del).collect();
        v.extend((0..m).map(Edit::Add));
        return v;
    }
    // lcs[i][j] = LCS length of a[i..], b[j..]
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    let idx = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[idx(i, j)] = if a[i] == b[j] {
                lcs[idx(i + 1, j + 1)] + 1
            } else {
                lcs[idx(i + 1, j)].max(lcs[idx(i, j + 1)])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push(Edit::Same(i, j));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[idx(i, j + 1)] >= lcs[idx(i + 1, j)]) {
            out.push(Edit::Add(j));
            j += 1;
        } else {
            out.push(Edit::Del(i));
            i += 1;
        }
    }
    // group deletions before additions inside each change, like diff prints them
    let mut grouped = Vec::with_capacity(out.len());
    let mut k = 0;
    while k < out.len() {
        if matches!(out[k], Edit::Same(..)) {
            grouped.push(out[k]);
            k += 1;
            continue;
        }
        let start = k;
        while k < out.len() && !matches!(out[k], Edit::Same(..)) {
            k += 1;
        }
        grouped.extend(out[start..k].iter().filter(|e| matches!(e, Edit::Del(_))));
        grouped.extend(out[start..k].iter().filter(|e| matches!(e, Edit::Add(_))));
    }
    grouped
}

fn diff(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "UL", &["label"]);
    let unified = o.has(&["u", "unified", "U"]);
    let brief = o.has(&["q", "brief"]);
    let (Some(fa), Some(fb)) = (o.operands.first().cloned(), o.operands.get(1).cloned()) else {
        ctx.usage(&format!(
            "missing operand after '{}'",
            o.operands.first().cloned().unwrap_or_default()
        ))?;
        return Ok(2);
    };
    let read = |ctx: &mut ProgramCtx<'_, '_>, f: &str| -> PResult<Option<String>> {
        if f == "-" {
            return Ok(Some(
                String::from_utf8_lossy(&ctx.stdin().bytes).into_owned(),
            ));
        }
        match ctx.read(f) {
            Ok(Content::Bytes(b)) => Ok(Some(String::from_utf8_lossy(&b).into_owned())),
            Ok(Content::Unknown { .. }) => {
                ctx.approximated(&format!(
                    "`diff` cannot compare {f}: its content is not known"
                ));
                Ok(Some(String::new()))
            }
            Err(e) => {
                ctx.error(&format!("{f}: {e}"))?;
                Ok(None)
            }
        }
    };
    let (Some(ta), Some(tb)) = (read(ctx, &fa)?, read(ctx, &fb)?) else {
        return Ok(2);
    };
    if ta == tb {
        return Ok(0);
    }
    if brief {
        ctx.out_str(&format!("Files {fa} and {fb} differ\n"))?;
        return Ok(1);
    }
    let a: Vec<&str> = ta.lines().collect();
    let b: Vec<&str> = tb.lines().collect();
    ctx.steps((a.len() * b.len()) as u64 / 4096)?;
    let edits = edit_script(&a, &b);
    let no_nl = |t: &str, last: bool| {
        if last && !t.is_empty() && !t.ends_with('\n') {
            "\n\\ No newline at end of file"
        } else {
            ""
        }
    };
    let mut out = String::new();
    if unified {
        let stamp = super::basic::strftime("%Y-%m-%d %H:%M:%S.000000000 +0000", ctx.now());
        out.push_str(&format!("--- {fa}\t{stamp}\n+++ {fb}\t{stamp}\n"));
        // hunks with 3 lines of context
        let changes: Vec<usize> = edits
            .iter()
            .enumerate()
            .filter(|(_, e)| !matches!(e, Edit::Same(..)))
            .map(|(k, _)| k)
            .collect();
        let mut k = 0;
        while k < changes.len() {
            let first = changes[k];
            let mut last = first;
            while k + 1 < changes.len() && changes[k + 1] <= last + 7 {
                k += 1;
                last = changes[k];
            }
            k += 1;
            let lo = first.saturating_sub(3);
            let hi = (last + 4).min(edits.len());
            let hunk = &edits[lo..hi];
            let a_start = hunk.iter().find_map(|e| match e {
                Edit::Same(i, _) | Edit::Del(i) => Some(*i),
                Edit::Add(_) => None,
            });
            let b_start = hunk.iter().find_map(|e| match e {
                Edit::Same(_, j) | Edit::Add(j) => Some(*j),
                Edit::Del(_) => None,
            });
            let a_len = hunk.iter().filter(|e| !matches!(e, Edit::Add(_))).count();
            let b_len = hunk.iter().filter(|e| !matches!(e, Edit::Del(_))).count();
            let a_pos = a_start.map(|x| x + 1).unwrap_or(lo.min(a.len()));
            let b_pos = b_start.map(|x| x + 1).unwrap_or(0);
            let fmt = |p: usize, l: usize| {
                if l == 1 {
                    format!("{p}")
                } else {
                    format!("{p},{l}")
                }
            };
            out.push_str(&format!(
                "@@ -{} +{} @@\n",
                fmt(
                    if a_len == 0 {
                        a_pos.saturating_sub(1)
                    } else {
                        a_pos
                    },
                    a_len
                ),
                fmt(b_pos, b_len)
            ));
            for e in hunk {
                match e {
                    Edit::Same(i, _) => {
                        out.push_str(&format!(" {}{}\n", a[*i], no_nl(&ta, *i + 1 == a.len())))
                    }
                    Edit::Del(i) => {
                        out.push_str(&format!("-{}{}\n", a[*i], no_nl(&ta, *i + 1 == a.len())))
                    }
                    Edit::Add(j) => {
                        out.push_str(&format!("+{}{}\n", b[*j], no_nl(&tb, *j + 1 == b.len())))
                    }
                }
            }
        }
    } else {
        let mut k = 0;
        while k < edits.len() {
            if matches!(edits[k], Edit::Same(..)) {
                k += 1;
                continue;
            }
            let start = k;
            while k < edits.len() && !matches!(edits[k], Edit::Same(..)) {
                k += 1;
            }
            let group = &edits[start..k];
            let dels: Vec<usize> = group
                .iter()
                .filter_map(|e| if let Edit::Del(i) = e { Some(*i) } else { None })
                .collect();
            let adds: Vec<usize> = group
                .iter()
                .filter_map(|e| if let Edit::Add(j) = e { Some(*j) } else { None })
                .collect();
            // positions just before the change on each side
            let (a_before, b_before) = edits[..start]
                .iter()
                .rev()
                .find_map(|e| {
                    if let Edit::Same(i, j) = e {
                        Some((*i + 1, *j + 1))
                    } else {
                        None
                    }
                })
                .unwrap_or_default();
            let rng = |first: usize, n: usize| {
                if n == 1 {
                    format!("{}", first + 1)
                } else {
                    format!("{},{}", first + 1, first + n)
                }
            };
            let head = match (dels.is_empty(), adds.is_empty()) {
                (false, false) => {
                    format!("{}c{}", rng(dels[0], dels.len()), rng(adds[0], adds.len()))
                }
                (false, true) => format!("{}d{}", rng(dels[0], dels.len()), b_before),
                (true, false) => format!("{}a{}", a_before, rng(adds[0], adds.len())),
                (true, true) => continue,
            };
            out.push_str(&head);
            out.push('\n');
            for i in &dels {
                out.push_str(&format!("< {}{}\n", a[*i], no_nl(&ta, *i + 1 == a.len())));
            }
            if !dels.is_empty() && !adds.is_empty() {
                out.push_str("---\n");
            }
            for j in &adds {
                out.push_str(&format!("> {}{}\n", b[*j], no_nl(&tb, *j + 1 == b.len())));
            }
        }
    }
    ctx.out_str(&out)?;
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_order() {
        let mut v = vec!["1.10", "1.9", "1.2.3", "1.2", "10", "1.2~rc1"];
        v.sort_by(|a, b| version_cmp(a, b));
        assert_eq!(v, ["1.2~rc1", "1.2", "1.2.3", "1.9", "1.10", "10"]);
    }

    #[test]
    fn base64_roundtrip() {
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
    }

    #[test]
    fn tr_sets() {
        assert_eq!(tr_set("a-e").len(), 5);
        assert_eq!(tr_set("[:digit:]").len(), 10);
        assert_eq!(tr_set("\\n"), vec!['\n']);
    }
}
