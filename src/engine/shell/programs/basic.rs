//! Small everyday programs: `echo`, `printf`, `true`, `false`, `test`/`[`, `sleep`, `yes`,
//! `seq`, `basename`, `dirname`, `id`, `whoami`, `groups`, `hostname`, `uname`, `nproc`,
//! `arch`, `date`, `expr`, `which`, `printenv`, `tty`, `getconf`, the shells themselves
//! and `busybox`.

use super::{Opts, PResult, ProgResult, ProgramCtx, Registry};
use crate::engine::shell::ast::Dialect;
use crate::engine::shell::fs;
use crate::engine::shell::regex::Regex;

pub fn register(r: &mut Registry) {
    r.register("true", |_: &mut ProgramCtx<'_, '_>, _: &[String]| Ok(0));
    r.register("false", |_: &mut ProgramCtx<'_, '_>, _: &[String]| Ok(1));
    r.register(":", |_: &mut ProgramCtx<'_, '_>, _: &[String]| Ok(0));
    r.register("echo", echo);
    r.register("printf", printf);
    r.register("test", test);
    r.register("[", test);
    r.register("sleep", sleep);
    r.register("yes", yes);
    r.register("seq", seq);
    r.register("basename", basename);
    r.register("dirname", dirname);
    r.register("id", id);
    r.register("whoami", whoami);
    r.register("groups", groups);
    r.register("hostname", hostname);
    r.register("uname", uname);
    r.register("nproc", |ctx: &mut ProgramCtx<'_, '_>, _: &[String]| {
        ctx.out_str(&format!("{CPUS}\n"))?;
        Ok(0)
    });
    r.register("arch", |ctx: &mut ProgramCtx<'_, '_>, _: &[String]| {
        ctx.out_str("x86_64\n")?;
        Ok(0)
    });
    r.register("getconf", getconf);
    r.register("date", date);
    r.register("expr", expr);
    r.register("which", which);
    r.register("printenv", printenv);
    r.register("tty", |ctx: &mut ProgramCtx<'_, '_>, _: &[String]| {
        ctx.out_str("not a tty\n")?;
        Ok(1)
    });
    for name in [
        "kill", "sync", "ldconfig", "logger", "stty", "ulimit", "clear", "reset",
    ] {
        r.register(name, |_: &mut ProgramCtx<'_, '_>, _: &[String]| Ok(0));
    }
    r.register("sh", shell);
    r.register("dash", shell);
    r.register("ash", shell);
    r.register("bash", shell);
    r.register("busybox", busybox);
}

/// The number of CPUs the simulated build machine reports.
pub const CPUS: u32 = 2;

fn shell(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let dialect = match ctx.name() {
        "bash" => Dialect::Bash,
        "dash" => Dialect::Dash,
        "ash" => Dialect::Ash,
        _ => ctx.sh.cfg.image.sh,
    };
    ctx.run_shell(dialect, argv)
}

fn busybox(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if argv.len() < 2 {
        ctx.out_str("BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.\n")?;
        return Ok(0);
    }
    let rest = argv[1..].to_vec();
    if rest[0] == "--install" || rest[0] == "--list" {
        return Ok(0);
    }
    match ctx.sh.reg.get(&rest[0]) {
        Some(p) => {
            let r = ctx.sh.run_program(p, &rest, false);
            match r {
                Ok(s) => Ok(s),
                Err(f) => Err(f.into()),
            }
        }
        None => {
            ctx.error("applet not found")?;
            Ok(127)
        }
    }
}

/// Decodes backslash escapes as `echo -e` / dash's `echo` / `printf %b` do. Returns the
/// bytes and whether `\c` asked to stop all output.
pub fn decode_escapes(s: &str, hex: bool, printf_b: bool) -> (Vec<u8>, bool) {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c != b'\\' || i + 1 >= b.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let n = b[i + 1];
        i += 2;
        match n {
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'c' => return (out, true),
            b'e' | b'E' if hex => out.push(27),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'\\' => out.push(b'\\'),
            b'0' => {
                let mut v = 0u32;
                let mut k = 0;
                while k < 3 && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                    v = v * 8 + (b[i] - b'0') as u32;
                    i += 1;
                    k += 1;
                }
                out.push(v as u8);
            }
            b'1'..=b'7' if printf_b || hex => {
                let mut v = (n - b'0') as u32;
                let mut k = 1;
                while k < 3 && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                    v = v * 8 + (b[i] - b'0') as u32;
                    i += 1;
                    k += 1;
                }
                out.push(v as u8);
            }
            b'x' if hex => {
                let mut v = 0u32;
                let mut k = 0;
                while k < 2 && i < b.len() && b[i].is_ascii_hexdigit() {
                    v = v * 16 + (b[i] as char).to_digit(16).unwrap_or(0);
                    i += 1;
                    k += 1;
                }
                if k == 0 {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(v as u8);
                }
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    (out, false)
}

fn echo(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let args = &argv[1..];
    let mut out: Vec<u8> = Vec::new();
    if ctx.is_builtin() && ctx.dialect() == Dialect::Dash {
        // dash: only `-n`, and backslash escapes always
        let (newline, start) = match args.first() {
            Some(a) if a == "-n" => (false, 1),
            _ => (true, 0),
        };
        for (k, a) in args[start..].iter().enumerate() {
            if k > 0 {
                out.push(b' ');
            }
            let (bytes, stop) = decode_escapes(a, false, false);
            out.extend_from_slice(&bytes);
            if stop {
                ctx.out(&out)?;
                return Ok(0);
            }
        }
        if newline {
            out.push(b'\n');
        }
        ctx.out(&out)?;
        return Ok(0);
    }
    let mut newline = true;
    let mut escapes = false;
    let mut start = 0;
    for a in args {
        let is_opt = a.len() > 1
            && a.starts_with('-')
            && a[1..].chars().all(|c| matches!(c, 'n' | 'e' | 'E'));
        if !is_opt {
            break;
        }
        for c in a[1..].chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        start += 1;
    }
    for (k, a) in args[start..].iter().enumerate() {
        if k > 0 {
            out.push(b' ');
        }
        if escapes {
            let (bytes, stop) = decode_escapes(a, true, false);
            out.extend_from_slice(&bytes);
            if stop {
                ctx.out(&out)?;
                return Ok(0);
            }
        } else {
            out.extend_from_slice(a.as_bytes());
        }
    }
    if newline {
        out.push(b'\n');
    }
    ctx.out(&out)?;
    Ok(0)
}

/// Parses a numeric `printf` argument like the C library (with `'c` for a char code).
fn num_arg(ctx: &mut ProgramCtx<'_, '_>, s: &str, ok: &mut bool) -> PResult<i64> {
    let t = s.trim_start();
    if let Some(rest) = t.strip_prefix('\'').or_else(|| t.strip_prefix('"')) {
        return Ok(rest.chars().next().map(|c| c as i64).unwrap_or(0));
    }
    if t.is_empty() {
        return Ok(0);
    }
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let parsed = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()
    } else if body.len() > 1 && body.starts_with('0') && body.bytes().all(|c| c.is_ascii_digit()) {
        i64::from_str_radix(&body[1..], 8).ok()
    } else {
        body.parse::<i64>().ok()
    };
    match parsed {
        Some(v) => Ok(if neg { -v } else { v }),
        None => {
            // leading digits count, the rest is an error
            let digits: String = body.chars().take_while(|c| c.is_ascii_digit()).collect();
            let msg = if ctx.busybox() {
                format!("invalid number '{s}'")
            } else if ctx.is_builtin() && ctx.dialect() == Dialect::Dash {
                format!("{s}: expected numeric value")
            } else {
                format!("'{s}': expected a numeric value")
            };
            ctx.builtin_error(&msg)?;
            *ok = false;
            let v = digits.parse::<i64>().unwrap_or(0);
            Ok(if neg { -v } else { v })
        }
    }
}

fn printf(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    // bash's builtin: `printf -v var fmt …` assigns instead of printing
    if ctx.is_builtin()
        && ctx.dialect() == Dialect::Bash
        && argv.get(1).map(String::as_str) == Some("-v")
    {
        let Some(var) = argv.get(2).cloned() else {
            ctx.builtin_error("-v: option requires an argument")?;
            return Ok(2);
        };
        let mut rest = vec![argv[0].clone()];
        rest.extend(argv[3..].iter().cloned());
        let buf = std::rc::Rc::new(std::cell::RefCell::new(
            crate::engine::shell::io::StreamData::default(),
        ));
        let saved = ctx.sh.fds.clone();
        ctx.sh.fds.set(
            1,
            Some(crate::engine::shell::io::Fd::Pipe(std::rc::Rc::clone(&buf))),
        );
        let r = printf(ctx, &rest);
        ctx.sh.fds = saved;
        let status = r?;
        let text = String::from_utf8_lossy(&buf.borrow().bytes).into_owned();
        ctx.sh.set_var(&var, text).map_err(super::ProgramAbort)?;
        return Ok(status);
    }
    let mut args: Vec<String> = argv[1..].to_vec();
    if args.first().map(String::as_str) == Some("--") {
        args.remove(0);
    }
    let Some(format) = args.first().cloned() else {
        ctx.builtin_error("usage: printf format [arg ...]")?;
        return Ok(2);
    };
    let params = &args[1..];
    let mut out: Vec<u8> = Vec::new();
    let mut pi = 0usize;
    let mut ok = true;
    let fmt: Vec<char> = format.chars().collect();
    let mut rounds = 0;
    loop {
        rounds += 1;
        let mut used_any = false;
        let mut i = 0;
        while i < fmt.len() {
            let c = fmt[i];
            if c == '\\' {
                let rest: String = fmt[i..].iter().collect();
                let (piece, consumed) = one_escape(&rest);
                out.extend_from_slice(&piece);
                i += consumed;
                continue;
            }
            if c != '%' {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                i += 1;
                continue;
            }
            i += 1;
            if fmt.get(i) == Some(&'%') {
                out.push(b'%');
                i += 1;
                continue;
            }
            let mut spec = String::from("%");
            while let Some(&f) = fmt.get(i) {
                if "-+ #0".contains(f) {
                    spec.push(f);
                    i += 1;
                } else {
                    break;
                }
            }
            let mut width: Option<i64> = None;
            if fmt.get(i) == Some(&'*') {
                i += 1;
                let a = params.get(pi).cloned().unwrap_or_default();
                pi += 1;
                used_any = true;
                width = Some(num_arg(ctx, &a, &mut ok)?);
            } else {
                let mut w = String::new();
                while let Some(&d) = fmt.get(i) {
                    if d.is_ascii_digit() {
                        w.push(d);
                        i += 1;
                    } else {
                        break;
                    }
                }
                if !w.is_empty() {
                    width = w.parse().ok();
                }
            }
            let mut precision: Option<i64> = None;
            if fmt.get(i) == Some(&'.') {
                i += 1;
                if fmt.get(i) == Some(&'*') {
                    i += 1;
                    let a = params.get(pi).cloned().unwrap_or_default();
                    pi += 1;
                    used_any = true;
                    precision = Some(num_arg(ctx, &a, &mut ok)?);
                } else {
                    let mut p = String::new();
                    while let Some(&d) = fmt.get(i) {
                        if d.is_ascii_digit() {
                            p.push(d);
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    precision = Some(p.parse().unwrap_or(0));
                }
            }
            // length modifiers are accepted and ignored
            while let Some(&l) = fmt.get(i) {
                if "hlLqjzt".contains(l) {
                    i += 1;
                } else {
                    break;
                }
            }
            let Some(&conv) = fmt.get(i) else {
                ctx.builtin_error(&format!("%{}: invalid directive", &spec[1..]))?;
                return Ok(1);
            };
            i += 1;
            let arg = params.get(pi).cloned();
            if "sbcdiouxXeEfFgGaA".contains(conv) {
                pi += 1;
                used_any = true;
            }
            let arg = arg.unwrap_or_default();
            let flags = &spec[1..];
            let formatted: Vec<u8> = match conv {
                's' => {
                    let mut s = arg.clone();
                    if let Some(p) = precision {
                        s = s.chars().take(p.max(0) as usize).collect();
                    }
                    pad(s.into_bytes(), width, flags.contains('-'), ' ')
                }
                'b' => {
                    let (bytes, stop) = decode_escapes(&arg, true, true);
                    let padded = pad(bytes, width, flags.contains('-'), ' ');
                    if stop {
                        out.extend_from_slice(&padded);
                        ctx.out(&out)?;
                        return Ok(i32::from(!ok));
                    }
                    padded
                }
                'c' => pad(
                    arg.chars()
                        .next()
                        .map(|c| c.to_string().into_bytes())
                        .unwrap_or_default(),
                    width,
                    flags.contains('-'),
                    ' ',
                ),
                'd' | 'i' | 'o' | 'u' | 'x' | 'X' => {
                    let v = num_arg(ctx, &arg, &mut ok)?;
                    format_int(v, conv, flags, width, precision).into_bytes()
                }
                'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'a' | 'A' => {
                    let v: f64 = arg.trim().parse().unwrap_or_else(|_| {
                        ok = arg.trim().is_empty();
                        0.0
                    });
                    format_float(v, conv, flags, width, precision).into_bytes()
                }
                other => {
                    ctx.builtin_error(&format!("%{other}: invalid directive"))?;
                    return Ok(1);
                }
            };
            out.extend_from_slice(&formatted);
        }
        if pi >= params.len() || !used_any || rounds > 100_000 {
            break;
        }
    }
    ctx.out(&out)?;
    Ok(i32::from(!ok))
}

/// One escape at the start of `s` (which begins with `\`): bytes and chars consumed.
fn one_escape(s: &str) -> (Vec<u8>, usize) {
    let chars: Vec<char> = s.chars().take(5).collect();
    let n = chars.get(1).copied();
    let simple = |b: u8| (vec![b], 2);
    match n {
        Some('n') => simple(b'\n'),
        Some('t') => simple(b'\t'),
        Some('r') => simple(b'\r'),
        Some('a') => simple(7),
        Some('b') => simple(8),
        Some('f') => simple(12),
        Some('v') => simple(11),
        Some('e') => simple(27),
        Some('\\') => simple(b'\\'),
        Some('"') => simple(b'"'),
        Some('\'') => simple(b'\''),
        Some(d) if ('0'..='7').contains(&d) => {
            let mut v = 0u32;
            let mut k = 1;
            let max = if d == '0' { 4 } else { 3 };
            while k <= max && k < chars.len() && ('0'..='7').contains(&chars[k]) {
                v = v * 8 + chars[k].to_digit(8).unwrap_or(0);
                k += 1;
            }
            (vec![v as u8], k)
        }
        Some('x') => {
            let mut v = 0u32;
            let mut k = 2;
            while k < 4 && k < chars.len() && chars[k].is_ascii_hexdigit() {
                v = v * 16 + chars[k].to_digit(16).unwrap_or(0);
                k += 1;
            }
            if k == 2 {
                (b"\\x".to_vec(), 2)
            } else {
                (vec![v as u8], k)
            }
        }
        Some(other) => {
            let mut v = vec![b'\\'];
            let mut buf = [0u8; 4];
            v.extend_from_slice(other.encode_utf8(&mut buf).as_bytes());
            (v, 2)
        }
        None => (vec![b'\\'], 1),
    }
}

fn pad(s: Vec<u8>, width: Option<i64>, left: bool, fill: char) -> Vec<u8> {
    let w = width.unwrap_or(0);
    let left = left || w < 0;
    let w = w.unsigned_abs() as usize;
    let len = String::from_utf8_lossy(&s).chars().count();
    if len >= w {
        return s;
    }
    let padding: Vec<u8> = std::iter::repeat_n(fill as u8, w - len).collect();
    if left {
        [s, padding].concat()
    } else {
        [padding, s].concat()
    }
}

pub(crate) fn format_int(
    v: i64,
    conv: char,
    flags: &str,
    width: Option<i64>,
    precision: Option<i64>,
) -> String {
    let neg = v < 0 && matches!(conv, 'd' | 'i');
    let mag: u64 = if matches!(conv, 'd' | 'i') {
        v.unsigned_abs()
    } else {
        v as u64
    };
    let mut digits = match conv {
        'o' => format!("{mag:o}"),
        'x' => format!("{mag:x}"),
        'X' => format!("{mag:X}"),
        _ => mag.to_string(),
    };
    if let Some(p) = precision {
        let p = p.max(0) as usize;
        if p == 0 && mag == 0 {
            digits.clear();
        }
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    if flags.contains('#') && mag != 0 {
        match conv {
            'o' if !digits.starts_with('0') => digits.insert(0, '0'),
            'x' => digits.insert_str(0, "0x"),
            'X' => digits.insert_str(0, "0X"),
            _ => {}
        }
    }
    let sign = if neg {
        "-"
    } else if flags.contains('+') && matches!(conv, 'd' | 'i') {
        "+"
    } else if flags.contains(' ') && matches!(conv, 'd' | 'i') {
        " "
    } else {
        ""
    };
    let w = width.unwrap_or(0);
    let left = flags.contains('-') || w < 0;
    let w = w.unsigned_abs() as usize;
    let body_len = sign.len() + digits.len();
    if body_len >= w {
        return format!("{sign}{digits}");
    }
    if left {
        format!("{sign}{digits}{}", " ".repeat(w - body_len))
    } else if flags.contains('0') && precision.is_none() {
        format!("{sign}{}{digits}", "0".repeat(w - body_len))
    } else {
        format!("{}{sign}{digits}", " ".repeat(w - body_len))
    }
}

pub(crate) fn format_float(
    v: f64,
    conv: char,
    flags: &str,
    width: Option<i64>,
    precision: Option<i64>,
) -> String {
    let p = precision.unwrap_or(6).max(0) as usize;
    let mut s = match conv {
        'f' | 'F' => format!("{v:.p$}"),
        'e' | 'E' => {
            let s = format!("{v:.p$e}");
            // Rust prints 1.5e2; C prints 1.500000e+02
            let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
            let ev: i32 = e.parse().unwrap_or(0);
            let out = format!("{m}e{}{:02}", if ev < 0 { '-' } else { '+' }, ev.abs());
            if conv == 'E' {
                out.to_uppercase()
            } else {
                out
            }
        }
        _ => {
            let p = if p == 0 { 1 } else { p };
            if v == 0.0 {
                "0".to_string()
            } else {
                let exp = v.abs().log10().floor() as i32;
                if exp < -4 || exp >= p as i32 {
                    let s = format_float(v, 'e', "", None, Some(p as i64 - 1));
                    let (m, e) = s.split_once('e').unwrap_or((&s, "+00"));
                    let m = if m.contains('.') {
                        m.trim_end_matches('0').trim_end_matches('.')
                    } else {
                        m
                    };
                    format!("{m}e{e}")
                } else {
                    let decimals = (p as i32 - 1 - exp).max(0) as usize;
                    let s = format!("{v:.decimals$}");
                    if s.contains('.') {
                        s.trim_end_matches('0').trim_end_matches('.').to_string()
                    } else {
                        s
                    }
                }
            }
        }
    };
    if flags.contains('+') && v >= 0.0 {
        s.insert(0, '+');
    }
    let w = width.unwrap_or(0);
    let left = flags.contains('-') || w < 0;
    let w = w.unsigned_abs() as usize;
    if s.len() >= w {
        return s;
    }
    if left {
        format!("{s}{}", " ".repeat(w - s.len()))
    } else if flags.contains('0') {
        let (sign, rest) = if s.starts_with(['-', '+']) {
            s.split_at(1)
        } else {
            ("", s.as_str())
        };
        format!("{sign}{}{rest}", "0".repeat(w - s.len()))
    } else {
        format!("{}{s}", " ".repeat(w - s.len()))
    }
}

fn test(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let mut args: Vec<String> = argv[1..].to_vec();
    if ctx.name() == "[" {
        if args.last().map(String::as_str) != Some("]") {
            ctx.builtin_error("missing ]")?;
            return Ok(2);
        }
        args.pop();
    }
    match ctx.test_args(&args) {
        Ok(true) => Ok(0),
        Ok(false) => Ok(1),
        Err(msg) => {
            ctx.builtin_error(&msg)?;
            Ok(2)
        }
    }
}

fn sleep(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if argv.len() < 2 {
        ctx.usage("missing operand")?;
        return Ok(1);
    }
    let mut total = 0f64;
    for a in &argv[1..] {
        let (num, mult) = match a.chars().last() {
            Some('s') => (&a[..a.len() - 1], 1.0),
            Some('m') => (&a[..a.len() - 1], 60.0),
            Some('h') => (&a[..a.len() - 1], 3600.0),
            Some('d') => (&a[..a.len() - 1], 86400.0),
            _ => (a.as_str(), 1.0),
        };
        match num.parse::<f64>() {
            Ok(v) if v >= 0.0 => total += v * mult,
            _ if a == "infinity" => total += 1e9,
            _ => {
                ctx.error(&format!("invalid time interval '{a}'"))?;
                return Ok(1);
            }
        }
    }
    ctx.advance_clock(total.ceil() as i64);
    Ok(0)
}

fn yes(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let line = if argv.len() > 1 {
        argv[1..].join(" ")
    } else {
        "y".to_string()
    };
    // A pipe holds 64 KiB; the reader is done long before (there is no SIGPIPE here).
    let mut out = Vec::new();
    while out.len() < 64 * 1024 {
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    ctx.out(&out)?;
    Ok(0)
}

fn seq(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "sf", &["separator", "format"]);
    // negative numbers look like options: take them back as operands
    let mut nums: Vec<String> = Vec::new();
    for (n, v) in &o.flags {
        if n.chars().all(|c| c.is_ascii_digit() || c == '.') && v.is_none() {
            nums.push(format!("-{n}"));
        }
    }
    nums.extend(o.operands.iter().cloned());
    let sep = o.value(&["s", "separator"]).unwrap_or("\n").to_string();
    let equal = o.has(&["w", "equal-width"]);
    let parse = |s: &str| s.parse::<f64>().ok();
    let (first, step, last) = match nums.as_slice() {
        [l] => (Some(1.0), Some(1.0), parse(l)),
        [f, l] => (parse(f), Some(1.0), parse(l)),
        [f, s, l] => (parse(f), parse(s), parse(l)),
        _ => {
            ctx.usage("missing operand")?;
            return Ok(1);
        }
    };
    let (Some(first), Some(step), Some(last)) = (first, step, last) else {
        let bad = nums
            .iter()
            .find(|n| parse(n).is_none())
            .cloned()
            .unwrap_or_default();
        ctx.error(&format!("invalid floating point argument: '{bad}'"))?;
        return Ok(1);
    };
    if step == 0.0 {
        ctx.error("invalid Zero increment value: '0'")?;
        return Ok(1);
    }
    let decimals = nums
        .iter()
        .map(|n| n.split_once('.').map(|(_, d)| d.len()).unwrap_or(0))
        .max()
        .unwrap_or(0);
    let count = ((last - first) / step).floor();
    if count > 10_000_000.0 {
        ctx.steps(u64::MAX / 2)?;
    }
    let mut items = Vec::new();
    if count >= 0.0 {
        let n = count as u64;
        ctx.steps(n / 64)?;
        for k in 0..=n {
            let v = first + step * k as f64;
            items.push(format!("{v:.decimals$}"));
        }
    }
    if equal {
        let w = items.iter().map(String::len).max().unwrap_or(0);
        for it in items.iter_mut() {
            while it.len() < w {
                it.insert(0, '0');
            }
        }
    }
    let mut out = items.join(&sep);
    if !items.is_empty() {
        out.push('\n');
    }
    ctx.out_str(&out)?;
    Ok(0)
}

fn basename(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "s", &["suffix"]);
    let multiple = o.has(&["a", "multiple"]) || o.value(&["s", "suffix"]).is_some();
    let suffix = o.value(&["s", "suffix"]).map(str::to_string);
    if o.operands.is_empty() {
        ctx.usage("missing operand")?;
        return Ok(1);
    }
    let (names, suffix) = if multiple {
        (o.operands.clone(), suffix)
    } else {
        (o.operands[..1].to_vec(), o.operands.get(1).cloned())
    };
    let mut out = String::new();
    for n in names {
        let mut b = if n.is_empty() {
            String::new()
        } else if n.chars().all(|c| c == '/') {
            "/".to_string()
        } else {
            fs::file_name(&n).to_string()
        };
        if let Some(s) = &suffix {
            if b.len() > s.len() && b.ends_with(s.as_str()) {
                b.truncate(b.len() - s.len());
            }
        }
        out.push_str(&b);
        out.push('\n');
    }
    ctx.out_str(&out)?;
    Ok(0)
}

/// `dirname` of one path, as coreutils computes it.
pub fn dirname_of(p: &str) -> String {
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return if p.starts_with('/') {
            "/".into()
        } else {
            ".".into()
        };
    }
    match t.rfind('/') {
        None => ".".to_string(),
        Some(i) => {
            let d = t[..i].trim_end_matches('/');
            if d.is_empty() {
                "/".to_string()
            } else {
                d.to_string()
            }
        }
    }
}

fn dirname(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "", &[]);
    if o.operands.is_empty() {
        ctx.usage("missing operand")?;
        return Ok(1);
    }
    let mut out = String::new();
    for p in &o.operands {
        out.push_str(&dirname_of(p));
        out.push('\n');
    }
    ctx.out_str(&out)?;
    Ok(0)
}

/// `(name, uid, gid)` of the process or of a named user.
fn who(ctx: &mut ProgramCtx<'_, '_>, user: Option<&str>) -> Option<(Option<String>, u32, u32)> {
    match user {
        Some(u) => ctx
            .passwd_entry(u)
            .map(|(n, uid, gid, _, _)| (Some(n), uid, gid)),
        None => {
            let uid = ctx.uid();
            let gid = ctx.gid();
            let name = ctx.passwd_entry(&uid.to_string()).map(|e| e.0);
            Some((name, uid, gid))
        }
    }
}

fn group_name(ctx: &mut ProgramCtx<'_, '_>, gid: u32) -> Option<String> {
    ctx.group_entry(&gid.to_string()).map(|g| g.0)
}

/// Supplementary groups of a user (by membership lists), primary first.
fn user_groups(
    ctx: &mut ProgramCtx<'_, '_>,
    name: Option<&str>,
    gid: u32,
    process: bool,
) -> Vec<u32> {
    let mut out = vec![gid];
    if process {
        for g in ctx.groups() {
            if !out.contains(&g) {
                out.push(g);
            }
        }
    }
    if let Some(n) = name {
        for (_, g, members) in ctx.all_groups() {
            if members.iter().any(|m| m == n) && !out.contains(&g) {
                out.push(g);
            }
        }
    }
    out
}

fn id(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "", &[]);
    let user = o.operands.first().map(String::as_str);
    let Some((name, uid, gid)) = who(ctx, user) else {
        let u = user.unwrap_or("");
        ctx.error(&format!("'{u}': no such user"))?;
        return Ok(1);
    };
    let names = o.has(&["n", "name"]);
    let groups = user_groups(ctx, name.as_deref(), gid, user.is_none());
    let out = if o.has(&["u", "user"]) {
        if names {
            name.clone().unwrap_or_else(|| uid.to_string())
        } else {
            uid.to_string()
        }
    } else if o.has(&["g", "group"]) {
        if names {
            group_name(ctx, gid).unwrap_or_else(|| gid.to_string())
        } else {
            gid.to_string()
        }
    } else if o.has(&["G", "groups"]) {
        let mut parts = Vec::new();
        for g in &groups {
            parts.push(if names {
                group_name(ctx, *g).unwrap_or_else(|| g.to_string())
            } else {
                g.to_string()
            });
        }
        parts.join(" ")
    } else {
        let fmt = |id: u32, n: Option<String>| match n {
            Some(n) => format!("{id}({n})"),
            None => id.to_string(),
        };
        let gname = group_name(ctx, gid);
        let mut gl = Vec::new();
        for g in &groups {
            let n = group_name(ctx, *g);
            gl.push(fmt(*g, n));
        }
        format!(
            "uid={} gid={} groups={}",
            fmt(uid, name.clone()),
            fmt(gid, gname),
            gl.join(",")
        )
    };
    ctx.out_str(&format!("{out}\n"))?;
    Ok(0)
}

fn whoami(ctx: &mut ProgramCtx<'_, '_>, _argv: &[String]) -> ProgResult {
    let uid = ctx.uid();
    match ctx.passwd_entry(&uid.to_string()) {
        Some((n, ..)) => {
            ctx.out_str(&format!("{n}\n"))?;
            Ok(0)
        }
        None => {
            ctx.error(&format!("cannot find name for user ID {uid}"))?;
            Ok(1)
        }
    }
}

fn groups(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let user = argv.get(1).map(String::as_str);
    let Some((name, _, gid)) = who(ctx, user) else {
        ctx.error(&format!("'{}': no such user", user.unwrap_or("")))?;
        return Ok(1);
    };
    let gs = user_groups(ctx, name.as_deref(), gid, user.is_none());
    let mut names = Vec::new();
    for g in gs {
        names.push(group_name(ctx, g).unwrap_or_else(|| g.to_string()));
    }
    let prefix = match user {
        Some(u) if !ctx.busybox() => format!("{u} : "),
        _ => String::new(),
    };
    ctx.out_str(&format!("{prefix}{}\n", names.join(" ")))?;
    Ok(0)
}

fn hostname(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    if argv.len() > 1 && !argv[1].starts_with('-') {
        ctx.error("you must be root to change the host name")?;
        return Ok(1);
    }
    let h = ctx.hostname();
    if argv.iter().any(|a| a == "-i" || a == "-I") {
        ctx.out_str("172.17.0.2\n")?;
    } else {
        ctx.out_str(&format!("{h}\n"))?;
    }
    Ok(0)
}

/// The kernel release `uname -r` reports (the build host's kernel).
pub const KERNEL_RELEASE: &str = "6.8.0-1015-gcp";

fn uname(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "", &[]);
    let host = ctx.hostname();
    let all = o.has(&["a", "all"]);
    let mut parts: Vec<String> = Vec::new();
    let want = |names: &[&str]| all || o.has(names);
    let none = o.flags.is_empty();
    if none || want(&["s", "kernel-name"]) {
        parts.push("Linux".into());
    }
    if want(&["n", "nodename"]) {
        parts.push(host);
    }
    if want(&["r", "kernel-release"]) {
        parts.push(KERNEL_RELEASE.into());
    }
    if want(&["v", "kernel-version"]) {
        parts.push("#1 SMP Thu Oct  3 17:47:21 UTC 2024".into());
    }
    if want(&["m", "machine"]) {
        parts.push("x86_64".into());
    }
    if !all && o.has(&["p", "processor", "i", "hardware-platform"]) {
        parts.push("unknown".into());
    }
    if want(&["o", "operating-system"]) {
        parts.push(if ctx.busybox() {
            "Linux".into()
        } else {
            "GNU/Linux".into()
        });
    }
    ctx.out_str(&format!("{}\n", parts.join(" ")))?;
    Ok(0)
}

fn getconf(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let v = match argv.get(1).map(String::as_str) {
        Some("_NPROCESSORS_ONLN") | Some("_NPROCESSORS_CONF") => CPUS.to_string(),
        Some("LONG_BIT") => "64".into(),
        Some("PAGESIZE") | Some("PAGE_SIZE") => "4096".into(),
        Some("GNU_LIBC_VERSION") if !ctx.busybox() => "glibc 2.36".into(),
        Some("ARG_MAX") => "2097152".into(),
        Some("PATH") => "/bin:/usr/bin".into(),
        Some(other) => {
            ctx.error(&format!("Unrecognized variable '{other}'"))?;
            return Ok(1);
        }
        None => {
            ctx.error("Usage: getconf [-v specification] variable_name [pathname]")?;
            return Ok(1);
        }
    };
    ctx.out_str(&format!("{v}\n"))?;
    Ok(0)
}

/// `strftime` for the common conversions, in UTC.
pub fn strftime(fmt: &str, t: i64) -> String {
    const DAYS: [&str; 7] = [
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
    ];
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, m, d) = crate::calendar::civil_from_days(days);
    let (hh, mm, ss) = (secs / 3600, (secs / 60) % 60, secs % 60);
    let wd = days.rem_euclid(7) as usize;
    let month = MONTHS[(m as usize).saturating_sub(1).min(11)];
    let day = DAYS[wd];
    let yday = days - crate::calendar::days_from_civil(y, 1, 1) + 1;
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let Some(n) = chars.next() else {
            out.push('%');
            break;
        };
        match n {
            'Y' => out.push_str(&y.to_string()),
            'y' => out.push_str(&format!("{:02}", y.rem_euclid(100))),
            'C' => out.push_str(&format!("{:02}", y / 100)),
            'm' => out.push_str(&format!("{m:02}")),
            'd' => out.push_str(&format!("{d:02}")),
            'e' => out.push_str(&format!("{d:2}")),
            'H' => out.push_str(&format!("{hh:02}")),
            'I' => out.push_str(&format!("{:02}", if hh % 12 == 0 { 12 } else { hh % 12 })),
            'M' => out.push_str(&format!("{mm:02}")),
            'S' => out.push_str(&format!("{ss:02}")),
            'p' => out.push_str(if hh < 12 { "AM" } else { "PM" }),
            's' => out.push_str(&t.to_string()),
            'N' => out.push_str("000000000"),
            'z' => out.push_str("+0000"),
            'Z' => out.push_str("UTC"),
            'a' => out.push_str(&day[..3]),
            'A' => out.push_str(day),
            'b' | 'h' => out.push_str(&month[..3]),
            'B' => out.push_str(month),
            'j' => out.push_str(&format!("{yday:03}")),
            'u' => out.push_str(&(((wd + 3) % 7) + 1).to_string()),
            'w' => out.push_str(&((wd + 4) % 7).to_string()),
            'F' => out.push_str(&format!("{y}-{m:02}-{d:02}")),
            'T' => out.push_str(&format!("{hh:02}:{mm:02}:{ss:02}")),
            'R' => out.push_str(&format!("{hh:02}:{mm:02}")),
            'D' => out.push_str(&format!("{m:02}/{d:02}/{:02}", y.rem_euclid(100))),
            'c' => out.push_str(&format!(
                "{} {} {d:2} {hh:02}:{mm:02}:{ss:02} {y}",
                &day[..3],
                &month[..3]
            )),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            '%' => out.push('%'),
            other => {
                out.push('%');
                out.push(other);
            }
        }
    }
    out
}

fn date(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "drI", &["date", "reference", "iso-8601"]);
    let mut t = ctx.now();
    if let Some(d) = o.value(&["d", "date"]) {
        if let Some(n) = d.strip_prefix('@') {
            match n.trim().parse::<i64>() {
                Ok(v) => t = v,
                Err(_) => {
                    ctx.error(&format!("invalid date '{d}'"))?;
                    return Ok(1);
                }
            }
        } else if d.trim() == "now" || d.trim().is_empty() {
        } else {
            ctx.approximated(&format!("`date -d '{d}'`: only `@seconds` and `now` are understood; the build's logical time is used"));
        }
    }
    let format = o
        .operands
        .iter()
        .find_map(|a| a.strip_prefix('+'))
        .map(str::to_string);
    let fmt = if let Some(f) = format {
        f
    } else if o.has(&["R", "rfc-email"]) {
        "%a, %d %b %Y %H:%M:%S +0000".to_string()
    } else if o.has(&["I", "iso-8601"]) {
        match o.value(&["I", "iso-8601"]) {
            Some("seconds") => "%Y-%m-%dT%H:%M:%S+00:00".to_string(),
            _ => "%Y-%m-%d".to_string(),
        }
    } else {
        "%a %b %e %H:%M:%S UTC %Y".to_string()
    };
    ctx.out_str(&format!("{}\n", strftime(&fmt, t)))?;
    Ok(0)
}

fn which(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let mut status = 0;
    let mut out = String::new();
    for n in argv[1..].iter().filter(|a| !a.starts_with('-')) {
        match ctx.find_on_path(n) {
            Some(p) => {
                out.push_str(&p);
                out.push('\n');
            }
            None => status = 1,
        }
    }
    ctx.out_str(&out)?;
    Ok(status)
}

fn printenv(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let names: Vec<&String> = argv[1..].iter().filter(|a| !a.starts_with('-')).collect();
    let mut out = String::new();
    if names.is_empty() {
        for (k, v) in ctx.environment() {
            out.push_str(&format!("{k}={v}\n"));
        }
        ctx.out_str(&out)?;
        return Ok(0);
    }
    let mut status = 0;
    for n in names {
        match ctx.env(n) {
            Some(v) => {
                out.push_str(&v);
                out.push('\n');
            }
            None => status = 1,
        }
    }
    ctx.out_str(&out)?;
    Ok(status)
}

// ---------------------------------------------------------------- expr

fn expr(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
    if args.is_empty() {
        ctx.usage("missing operand")?;
        return Ok(2);
    }
    let mut p = ExprP { a: &args, i: 0 };
    match p.or() {
        Ok(v) if p.i == args.len() => {
            ctx.out_str(&format!("{}\n", v.text()))?;
            Ok(i32::from(v.is_null()))
        }
        Ok(_) => {
            ctx.error(&format!(
                "syntax error: unexpected argument '{}'",
                args.get(p.i).unwrap_or(&"")
            ))?;
            Ok(2)
        }
        Err(m) => {
            ctx.error(&m)?;
            Ok(2)
        }
    }
}

#[derive(Debug, Clone)]
enum EVal {
    Int(i64),
    Str(String),
}

impl EVal {
    fn text(&self) -> String {
        match self {
            EVal::Int(i) => i.to_string(),
            EVal::Str(s) => s.clone(),
        }
    }
    fn is_null(&self) -> bool {
        match self {
            EVal::Int(i) => *i == 0,
            EVal::Str(s) => s.is_empty() || s == "0",
        }
    }
    fn int(&self) -> Result<i64, String> {
        match self {
            EVal::Int(i) => Ok(*i),
            EVal::Str(s) => s
                .trim()
                .parse()
                .map_err(|_| "non-integer argument".to_string()),
        }
    }
}

struct ExprP<'a> {
    a: &'a [&'a str],
    i: usize,
}

impl<'a> ExprP<'a> {
    fn peek(&self) -> Option<&'a str> {
        self.a.get(self.i).copied()
    }
    fn or(&mut self) -> Result<EVal, String> {
        let mut l = self.and()?;
        while self.peek() == Some("|") {
            self.i += 1;
            let r = self.and()?;
            l = if !l.is_null() {
                l
            } else if !r.is_null() {
                r
            } else {
                EVal::Int(0)
            };
        }
        Ok(l)
    }
    fn and(&mut self) -> Result<EVal, String> {
        let mut l = self.cmp()?;
        while self.peek() == Some("&") {
            self.i += 1;
            let r = self.cmp()?;
            l = if !l.is_null() && !r.is_null() {
                l
            } else {
                EVal::Int(0)
            };
        }
        Ok(l)
    }
    fn cmp(&mut self) -> Result<EVal, String> {
        let mut l = self.add()?;
        while let Some(op) = self
            .peek()
            .filter(|o| ["<", "<=", "=", "==", "!=", ">=", ">"].contains(o))
        {
            let op = op.to_string();
            self.i += 1;
            let r = self.add()?;
            let ord = match (l.int(), r.int()) {
                (Ok(a), Ok(b)) => a.cmp(&b),
                _ => l.text().cmp(&r.text()),
            };
            let res = match op.as_str() {
                "<" => ord.is_lt(),
                "<=" => ord.is_le(),
                "=" | "==" => ord.is_eq(),
                "!=" => ord.is_ne(),
                ">=" => ord.is_ge(),
                _ => ord.is_gt(),
            };
            l = EVal::Int(i64::from(res));
        }
        Ok(l)
    }
    fn add(&mut self) -> Result<EVal, String> {
        let mut l = self.mul()?;
        while let Some(op) = self.peek().filter(|o| *o == "+" || *o == "-") {
            let plus = op == "+";
            self.i += 1;
            let r = self.mul()?;
            let (a, b) = (l.int()?, r.int()?);
            l = EVal::Int(if plus {
                a.wrapping_add(b)
            } else {
                a.wrapping_sub(b)
            });
        }
        Ok(l)
    }
    fn mul(&mut self) -> Result<EVal, String> {
        let mut l = self.matchop()?;
        while let Some(op) = self.peek().filter(|o| ["*", "/", "%"].contains(o)) {
            let op = op.to_string();
            self.i += 1;
            let r = self.matchop()?;
            let (a, b) = (l.int()?, r.int()?);
            if op != "*" && b == 0 {
                return Err("division by zero".to_string());
            }
            l = EVal::Int(match op.as_str() {
                "*" => a.wrapping_mul(b),
                "/" => a.wrapping_div(b),
                _ => a.wrapping_rem(b),
            });
        }
        Ok(l)
    }
    fn matchop(&mut self) -> Result<EVal, String> {
        let mut l = self.primary()?;
        while self.peek() == Some(":") {
            self.i += 1;
            let r = self.primary()?;
            l = regex_match(&l.text(), &r.text())?;
        }
        Ok(l)
    }
    fn primary(&mut self) -> Result<EVal, String> {
        let Some(t) = self.peek() else {
            return Err("syntax error: missing argument after the last operand".to_string());
        };
        self.i += 1;
        match t {
            "(" => {
                let v = self.or()?;
                if self.peek() != Some(")") {
                    return Err("syntax error: expecting ')'".to_string());
                }
                self.i += 1;
                Ok(v)
            }
            "length" => Ok(EVal::Int(self.primary()?.text().chars().count() as i64)),
            "match" => {
                let s = self.primary()?.text();
                let r = self.primary()?.text();
                regex_match(&s, &r)
            }
            "substr" => {
                let s = self.primary()?.text();
                let pos = self.primary()?.int()?;
                let len = self.primary()?.int()?;
                if pos < 1 || len < 1 {
                    return Ok(EVal::Str(String::new()));
                }
                Ok(EVal::Str(
                    s.chars()
                        .skip(pos as usize - 1)
                        .take(len as usize)
                        .collect(),
                ))
            }
            "index" => {
                let s = self.primary()?.text();
                let set = self.primary()?.text();
                let pos = s
                    .chars()
                    .position(|c| set.contains(c))
                    .map(|p| p + 1)
                    .unwrap_or(0);
                Ok(EVal::Int(pos as i64))
            }
            "+" => {
                let s = self.peek().unwrap_or("").to_string();
                self.i += 1;
                Ok(EVal::Str(s))
            }
            other => Ok(match other.parse::<i64>() {
                Ok(v) => EVal::Int(v),
                Err(_) => EVal::Str(other.to_string()),
            }),
        }
    }
}

fn regex_match(s: &str, pattern: &str) -> Result<EVal, String> {
    let re = Regex::new(&format!("^{pattern}"), false, false).map_err(|e| e.to_string())?;
    match re.captures(s, 0) {
        Some(c) => {
            if re.groups() > 0 {
                Ok(EVal::Str(
                    c.get(1)
                        .copied()
                        .flatten()
                        .map(|(a, b)| s[a..b].to_string())
                        .unwrap_or_default(),
                ))
            } else {
                let (a, b) = c.first().copied().flatten().unwrap_or((0, 0));
                Ok(EVal::Int(s[a..b].chars().count() as i64))
            }
        }
        None => Ok(if re.groups() > 0 {
            EVal::Str(String::new())
        } else {
            EVal::Int(0)
        }),
    }
}
