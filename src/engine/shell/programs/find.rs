//! `find` (tests `-name -iname -path -type -maxdepth -mindepth -perm -user -group -size
//! -empty -newer -links -regex`, operators `! -a -o ( )`, actions `-print -print0 -printf
//! -delete -exec … {} ; / + -execdir -prune -quit`) and `xargs`.
//!
//! Invariants: the walk is iterative, costs a step per entry, and visits directory
//! entries in name order (the real order depends on the filesystem).

use super::{Opts, PResult, ProgResult, ProgramCtx, Registry};
use crate::engine::shell::fs::{self, Metadata};
use crate::engine::shell::io::StreamData;
use crate::engine::shell::pattern::Pattern;
use crate::engine::shell::regex::Regex;

pub fn register(r: &mut Registry) {
    r.register("find", find);
    r.register("xargs", xargs);
}

#[derive(Debug, Clone)]
enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    True,
    False,
    Name(Pattern, bool),
    Path(Pattern, bool),
    Regex(Regex),
    Type(Vec<char>),
    Perm(u32, char),
    User(String),
    Group(String),
    Size(i64, u64, char),
    Empty,
    Links(i64, char),
    Executable,
    Readable,
    Writable,
    NoUser,
    NoGroup,
    Print,
    Print0,
    Printf(String),
    Delete,
    Exec {
        argv: Vec<String>,
        batch: bool,
        dir: bool,
    },
    Prune,
    Quit,
}

struct Parser<'a> {
    a: &'a [String],
    i: usize,
    has_action: bool,
    maxdepth: Option<usize>,
    mindepth: usize,
    depth_first: bool,
    guard: crate::engine::shell::stack::StackGuard,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.a.get(self.i).map(String::as_str)
    }
    fn arg(&mut self, what: &str) -> Result<String, String> {
        let v = self
            .a
            .get(self.i)
            .cloned()
            .ok_or_else(|| format!("missing argument to `{what}'"))?;
        self.i += 1;
        Ok(v)
    }
    fn or(&mut self) -> Result<Expr, String> {
        let mut l = self.and()?;
        while matches!(self.peek(), Some("-o") | Some("-or")) {
            self.i += 1;
            let r = self.and()?;
            l = Expr::Or(Box::new(l), Box::new(r));
        }
        Ok(l)
    }
    fn and(&mut self) -> Result<Expr, String> {
        let mut l = self.not()?;
        loop {
            match self.peek() {
                Some("-a") | Some("-and") => {
                    self.i += 1;
                }
                Some("-o") | Some("-or") | Some(")") | None => break,
                _ => {}
            }
            let r = self.not()?;
            l = Expr::And(Box::new(l), Box::new(r));
        }
        Ok(l)
    }
    fn not(&mut self) -> Result<Expr, String> {
        if self.guard.exceeded() {
            return Err("expression nested too deeply".to_string());
        }
        if matches!(self.peek(), Some("!") | Some("-not")) {
            self.i += 1;
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.primary()
    }
    fn primary(&mut self) -> Result<Expr, String> {
        let t = self.arg("expression")?;
        let num = |s: &str| -> (i64, char) {
            match s.chars().next() {
                Some(c @ ('+' | '-')) => (s[1..].parse().unwrap_or(0), c),
                _ => (s.parse().unwrap_or(0), '='),
            }
        };
        Ok(match t.as_str() {
            "(" => {
                let e = self.or()?;
                if self.peek() != Some(")") {
                    return Err("invalid expression; I was expecting to find a ')' somewhere but did not see one.".to_string());
                }
                self.i += 1;
                e
            }
            "-true" => Expr::True,
            "-false" => Expr::False,
            "-name" | "-iname" => {
                let p = self.arg(&t)?;
                let icase = t == "-iname";
                Expr::Name(
                    Pattern::new(&if icase { p.to_lowercase() } else { p }),
                    icase,
                )
            }
            "-path" | "-wholename" | "-ipath" | "-iwholename" => {
                let p = self.arg(&t)?;
                let icase = t.starts_with("-i");
                Expr::Path(
                    Pattern::new(&if icase { p.to_lowercase() } else { p }),
                    icase,
                )
            }
            "-regex" | "-iregex" => {
                let p = self.arg(&t)?;
                Expr::Regex(
                    Regex::new(&format!("^({p})$"), true, t == "-iregex")
                        .map_err(|e| e.to_string())?,
                )
            }
            "-type" | "-xtype" => Expr::Type(self.arg(&t)?.chars().filter(|c| *c != ',').collect()),
            "-perm" => {
                let p = self.arg(&t)?;
                let (kind, body) = match p.chars().next() {
                    Some(c @ ('-' | '/')) => (c, &p[1..]),
                    _ => ('=', p.as_str()),
                };
                let mode = u32::from_str_radix(body, 8)
                    .ok()
                    .or_else(|| super::files::parse_symbolic_mode(body, 0, false, 0))
                    .ok_or_else(|| format!("invalid mode '{p}'"))?;
                Expr::Perm(mode, kind)
            }
            "-user" | "-uid" => Expr::User(self.arg(&t)?),
            "-group" | "-gid" => Expr::Group(self.arg(&t)?),
            "-size" => {
                let s = self.arg(&t)?;
                let (n, c) = num(s.trim_end_matches(|c: char| c.is_ascii_alphabetic()));
                let unit = match s.chars().last() {
                    Some('c') => 1,
                    Some('w') => 2,
                    Some('k') => 1024,
                    Some('M') => 1 << 20,
                    Some('G') => 1 << 30,
                    _ => 512,
                };
                Expr::Size(n, unit, c)
            }
            "-empty" => Expr::Empty,
            "-links" => {
                let (n, c) = num(&self.arg(&t)?);
                Expr::Links(n, c)
            }
            "-executable" => Expr::Executable,
            "-readable" => Expr::Readable,
            "-writable" => Expr::Writable,
            "-nouser" => Expr::NoUser,
            "-nogroup" => Expr::NoGroup,
            // no modification times are modelled: everything is "new"
            "-mtime" | "-mmin" | "-atime" | "-amin" | "-ctime" | "-cmin" | "-newer" | "-anewer"
            | "-cnewer" | "-used" => {
                let v = self.arg(&t)?;
                if v.starts_with('+') {
                    Expr::False
                } else {
                    Expr::True
                }
            }
            "-maxdepth" => {
                self.maxdepth = self.arg(&t)?.parse().ok();
                Expr::True
            }
            "-mindepth" => {
                self.mindepth = self.arg(&t)?.parse().unwrap_or(0);
                Expr::True
            }
            "-depth" | "-d" => {
                self.depth_first = true;
                Expr::True
            }
            "-xdev" | "-mount" | "-follow" | "-noleaf" | "-ignore_readdir_race" | "-daystart" => {
                Expr::True
            }
            "-fstype" => {
                self.arg(&t)?;
                Expr::False
            }
            "-print" => {
                self.has_action = true;
                Expr::Print
            }
            "-print0" => {
                self.has_action = true;
                Expr::Print0
            }
            "-printf" | "-fprintf" => {
                self.has_action = true;
                if t == "-fprintf" {
                    self.arg(&t)?;
                }
                Expr::Printf(self.arg(&t)?)
            }
            "-ls" => {
                self.has_action = true;
                Expr::Print
            }
            "-delete" => {
                self.has_action = true;
                self.depth_first = true;
                Expr::Delete
            }
            "-prune" => Expr::Prune,
            "-quit" => Expr::Quit,
            "-exec" | "-execdir" | "-ok" | "-okdir" => {
                self.has_action = true;
                let mut argv = Vec::new();
                let mut batch = false;
                loop {
                    let Some(a) = self.a.get(self.i).cloned() else {
                        return Err(format!("missing argument to `{t}'"));
                    };
                    self.i += 1;
                    if a == ";" {
                        break;
                    }
                    if a == "+" && argv.last().map(String::as_str) == Some("{}") {
                        batch = true;
                        break;
                    }
                    argv.push(a);
                }
                if argv.is_empty() {
                    return Err(format!("missing argument to `{t}'"));
                }
                Expr::Exec {
                    argv,
                    batch,
                    dir: t.ends_with("dir"),
                }
            }
            other => return Err(format!("unknown predicate `{other}'")),
        })
    }
}

struct Walk {
    out: Vec<u8>,
    batches: Vec<(Vec<String>, Vec<String>)>,
    quit: bool,
    status: i32,
}

struct Entry<'e> {
    path: &'e str,
    abs: &'e str,
    meta: &'e Metadata,
    depth: usize,
    start: &'e str,
}

fn eval(
    ctx: &mut ProgramCtx<'_, '_>,
    e: &Expr,
    en: &Entry<'_>,
    w: &mut Walk,
    prune: &mut bool,
) -> PResult<bool> {
    let name = if en.depth == 0 {
        en.path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(en.path)
    } else {
        fs::file_name(en.path)
    };
    let name = if name.is_empty() { "/" } else { name };
    Ok(match e {
        Expr::And(a, b) => eval(ctx, a, en, w, prune)? && eval(ctx, b, en, w, prune)?,
        Expr::Or(a, b) => eval(ctx, a, en, w, prune)? || eval(ctx, b, en, w, prune)?,
        Expr::Not(a) => !eval(ctx, a, en, w, prune)?,
        Expr::True => true,
        Expr::False => false,
        Expr::Name(p, icase) => p.matches(&if *icase {
            name.to_lowercase()
        } else {
            name.to_string()
        }),
        Expr::Path(p, icase) => p.matches(&if *icase {
            en.path.to_lowercase()
        } else {
            en.path.to_string()
        }),
        Expr::Regex(r) => r.is_match(en.path),
        Expr::Type(ts) => ts.iter().any(|t| match t {
            'f' => en.meta.is_file(),
            'd' => en.meta.is_dir(),
            'l' => en.meta.is_symlink(),
            _ => false,
        }),
        Expr::Perm(mode, kind) => {
            let m = en.meta.mode & 0o7777;
            match kind {
                '-' => m & mode == *mode,
                '/' => *mode == 0 || m & mode != 0,
                _ => m == *mode,
            }
        }
        Expr::User(u) => {
            let uid = u
                .parse::<u32>()
                .ok()
                .or_else(|| ctx.passwd_entry(u).map(|e| e.1));
            uid == Some(en.meta.uid)
        }
        Expr::Group(g) => {
            let gid = g
                .parse::<u32>()
                .ok()
                .or_else(|| ctx.group_entry(g).map(|e| e.1));
            gid == Some(en.meta.gid)
        }
        Expr::Size(n, unit, c) => {
            let units = en.meta.size.div_ceil(*unit) as i64;
            match c {
                '+' => units > *n,
                '-' => units < *n,
                _ => units == *n,
            }
        }
        Expr::Empty => {
            if en.meta.is_dir() {
                ctx.read_dir(en.abs).map(|v| v.is_empty()).unwrap_or(false)
            } else {
                en.meta.is_file() && en.meta.size == 0
            }
        }
        Expr::Links(n, c) => {
            let l = en.meta.nlink as i64;
            match c {
                '+' => l > *n,
                '-' => l < *n,
                _ => l == *n,
            }
        }
        Expr::Executable => ctx.executable(en.meta),
        Expr::Readable => ctx.uid() == 0 || en.meta.mode & 0o444 != 0,
        Expr::Writable => ctx.uid() == 0 || en.meta.mode & 0o222 != 0,
        Expr::NoUser => ctx.passwd_entry(&en.meta.uid.to_string()).is_none(),
        Expr::NoGroup => ctx.group_entry(&en.meta.gid.to_string()).is_none(),
        Expr::Print => {
            w.out.extend_from_slice(en.path.as_bytes());
            w.out.push(b'\n');
            true
        }
        Expr::Print0 => {
            w.out.extend_from_slice(en.path.as_bytes());
            w.out.push(0);
            true
        }
        Expr::Printf(f) => {
            let s = printf_entry(ctx, f, en, name);
            w.out.extend_from_slice(s.as_bytes());
            true
        }
        Expr::Delete => {
            if en.depth == 0 && (en.path == "." || en.path == "./") {
                return Ok(true);
            }
            let r = if en.meta.is_dir() {
                ctx.rmdir(en.abs)
            } else {
                ctx.unlink(en.abs)
            };
            if let Err(e) = r {
                flush(ctx, w)?;
                ctx.error(&format!("cannot delete '{}': {e}", en.path))?;
                w.status = 1;
                return Ok(false);
            }
            true
        }
        Expr::Exec { argv, batch, dir } => {
            let shown = if *dir {
                format!("./{name}")
            } else {
                en.path.to_string()
            };
            if *batch {
                match w.batches.iter_mut().find(|(a, _)| a == argv) {
                    Some((_, paths)) => paths.push(shown),
                    None => w.batches.push((argv.clone(), vec![shown])),
                }
                return Ok(true);
            }
            let full: Vec<String> = argv.iter().map(|a| a.replace("{}", &shown)).collect();
            flush(ctx, w)?;
            let status = if *dir {
                run_in_dir(ctx, fs::parent(en.abs), full)?
            } else {
                ctx.run(full)?
            };
            status == 0
        }
        Expr::Prune => {
            *prune = true;
            true
        }
        Expr::Quit => {
            w.quit = true;
            true
        }
    })
}

fn run_in_dir(ctx: &mut ProgramCtx<'_, '_>, dir: &str, argv: Vec<String>) -> PResult<i32> {
    let saved = std::mem::replace(&mut ctx.sh.st.cwd, dir.to_string());
    let r = ctx.run(argv);
    ctx.sh.st.cwd = saved;
    r
}

fn printf_entry(ctx: &mut ProgramCtx<'_, '_>, f: &str, en: &Entry<'_>, name: &str) -> String {
    let mut out = String::new();
    let mut chars = f.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('0') => out.push('\0'),
                Some('\\') => out.push('\\'),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push('\\'),
            },
            '%' => {
                let mut width = String::new();
                while let Some(&d) = chars.peek() {
                    if d.is_ascii_digit() || d == '-' {
                        width.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                let v = match chars.next() {
                    Some('p') => en.path.to_string(),
                    Some('f') => name.to_string(),
                    Some('h') => {
                        let p = super::basic::dirname_of(en.path);
                        if en.depth == 0 {
                            ".".to_string()
                        } else {
                            p
                        }
                    }
                    Some('P') => en
                        .path
                        .strip_prefix(en.start)
                        .map(|s| s.trim_start_matches('/').to_string())
                        .unwrap_or_default(),
                    Some('s') => en.meta.size.to_string(),
                    Some('m') => format!("{:o}", en.meta.mode & 0o7777),
                    Some('M') => super::files::mode_string(en.meta),
                    Some('u') => ctx
                        .passwd_entry(&en.meta.uid.to_string())
                        .map(|e| e.0)
                        .unwrap_or_else(|| en.meta.uid.to_string()),
                    Some('g') => ctx
                        .group_entry(&en.meta.gid.to_string())
                        .map(|e| e.0)
                        .unwrap_or_else(|| en.meta.gid.to_string()),
                    Some('U') => en.meta.uid.to_string(),
                    Some('G') => en.meta.gid.to_string(),
                    Some('d') => en.depth.to_string(),
                    Some('y') => match en.meta.kind {
                        fs::FileKind::Dir => "d".into(),
                        fs::FileKind::Symlink => "l".into(),
                        fs::FileKind::File => "f".into(),
                    },
                    Some('l') => ctx.readlink(en.abs).unwrap_or_default(),
                    Some('k') => en.meta.size.div_ceil(1024).to_string(),
                    Some('n') => en.meta.nlink.to_string(),
                    Some('i') => en.meta.ino.to_string(),
                    Some('T') | Some('t') | Some('A') | Some('C') => {
                        let _ = chars.next();
                        ctx.now().to_string()
                    }
                    Some('%') => "%".to_string(),
                    Some(o) => format!("%{o}"),
                    None => String::new(),
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
            _ => out.push(c),
        }
    }
    out
}

fn flush(ctx: &mut ProgramCtx<'_, '_>, w: &mut Walk) -> PResult<()> {
    if !w.out.is_empty() {
        let out = std::mem::take(&mut w.out);
        ctx.out(&out)?;
    }
    Ok(())
}

fn find(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let mut args = &argv[1..];
    while let Some(a) = args.first() {
        if a == "-H" || a == "-L" || a == "-P" {
            args = &args[1..];
        } else {
            break;
        }
    }
    let split = args
        .iter()
        .position(|a| a.starts_with('-') && a.len() > 1 || a == "!" || a == "(")
        .unwrap_or(args.len());
    let mut starts: Vec<String> = args[..split].to_vec();
    if starts.is_empty() {
        starts.push(".".to_string());
    }
    let mut p = Parser {
        a: &args[split..],
        i: 0,
        has_action: false,
        maxdepth: None,
        mindepth: 0,
        depth_first: false,
        guard: crate::engine::shell::stack::StackGuard::new(
            crate::engine::shell::stack::LEAF_STACK,
        ),
    };
    let expr = if p.a.is_empty() {
        Expr::True
    } else {
        match p.or() {
            Ok(e) => e,
            Err(m) => {
                ctx.error(&m)?;
                return Ok(1);
            }
        }
    };
    if p.i < p.a.len() {
        ctx.error(&format!("paths must precede expression: `{}'", p.a[p.i]))?;
        return Ok(1);
    }
    let expr = if p.has_action {
        expr
    } else {
        Expr::And(Box::new(expr), Box::new(Expr::Print))
    };
    let mut w = Walk {
        out: Vec::new(),
        batches: Vec::new(),
        quit: false,
        status: 0,
    };
    for start in &starts {
        let abs = ctx.abs(start);
        let meta = match ctx.lstat(start) {
            Ok(m) => m,
            Err(e) => {
                flush(ctx, &mut w)?;
                ctx.error(&format!("'{start}': {e}"))?;
                w.status = 1;
                continue;
            }
        };
        // (display path, absolute path, depth, metadata, children-done marker)
        let mut stack: Vec<(String, String, usize, Metadata, bool)> =
            vec![(start.clone(), abs, 0, meta, false)];
        while let Some((path, abs, depth, meta, expanded)) = stack.pop() {
            if w.quit {
                break;
            }
            ctx.steps(1)?;
            let in_range = depth >= p.mindepth;
            let en = Entry {
                path: &path,
                abs: &abs,
                meta: &meta,
                depth,
                start,
            };
            if p.depth_first && !expanded && meta.is_dir() && p.maxdepth.is_none_or(|m| depth < m) {
                // children first, then this directory
                stack.push((path.clone(), abs.clone(), depth, meta, true));
                push_children(ctx, &mut stack, &path, &abs, depth, &mut w)?;
                continue;
            }
            let mut prune = false;
            if in_range {
                eval(ctx, &expr, &en, &mut w, &mut prune)?;
            }
            if w.out.len() > 1 << 16 {
                flush(ctx, &mut w)?;
            }
            if !p.depth_first && meta.is_dir() && !prune && p.maxdepth.is_none_or(|m| depth < m) {
                push_children(ctx, &mut stack, &path, &abs, depth, &mut w)?;
            }
        }
    }
    flush(ctx, &mut w)?;
    for (cmd, paths) in std::mem::take(&mut w.batches) {
        for chunk in paths.chunks(5000) {
            let mut full = Vec::new();
            for a in &cmd {
                if a == "{}" {
                    full.extend(chunk.iter().cloned());
                } else {
                    full.push(a.clone());
                }
            }
            if ctx.run(full)? != 0 {
                w.status = 1;
            }
        }
    }
    Ok(w.status)
}

fn push_children(
    ctx: &mut ProgramCtx<'_, '_>,
    stack: &mut Vec<(String, String, usize, Metadata, bool)>,
    path: &str,
    abs: &str,
    depth: usize,
    w: &mut Walk,
) -> PResult<()> {
    match ctx.read_dir(abs) {
        Ok(names) => {
            for n in names.into_iter().rev() {
                let cabs = fs::child(abs, &n);
                let cpath = if path.ends_with('/') {
                    format!("{path}{n}")
                } else {
                    format!("{path}/{n}")
                };
                if let Ok(m) = ctx.lstat(&cabs) {
                    stack.push((cpath, cabs, depth + 1, m, false));
                }
            }
        }
        Err(e) => {
            flush(ctx, w)?;
            ctx.error(&format!("'{path}': {e}"))?;
            w.status = 1;
        }
    }
    Ok(())
}

/// Splits xargs input into items: blanks separate, quotes and backslashes group.
fn xargs_items(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut cur = String::new();
    let mut has = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if has {
                    items.push(std::mem::take(&mut cur));
                    has = false;
                }
            }
            '\'' | '"' => {
                has = true;
                for d in chars.by_ref() {
                    if d == c {
                        break;
                    }
                    cur.push(d);
                }
            }
            '\\' => {
                has = true;
                if let Some(d) = chars.next() {
                    cur.push(d);
                }
            }
            _ => {
                has = true;
                cur.push(c);
            }
        }
    }
    if has {
        items.push(cur);
    }
    items
}

fn xargs(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    // options stop at the command
    let mut i = 1;
    let value_opts = ["-n", "-I", "-L", "-d", "-P", "-s", "-a", "-E", "-i"];
    while i < argv.len() {
        let a = &argv[i];
        if !a.starts_with('-') || a == "-" {
            break;
        }
        if a == "--" {
            i += 1;
            break;
        }
        if value_opts.contains(&a.as_str()) && a != "-i" {
            i += 2;
        } else {
            i += 1;
        }
    }
    let o = Opts::parse(
        &argv[1..i.min(argv.len())],
        "nILdPsaE",
        &[
            "max-args",
            "max-lines",
            "delimiter",
            "max-procs",
            "arg-file",
            "replace",
            "eof",
        ],
    );
    let mut cmd: Vec<String> = argv.get(i..).map(<[String]>::to_vec).unwrap_or_default();
    if cmd.is_empty() {
        cmd.push("echo".to_string());
    }
    let null = o.has(&["0", "null"]);
    let no_empty = o.has(&["r", "no-run-if-empty"]);
    let trace = o.has(&["t", "verbose"]);
    let replace = o
        .value(&["I", "replace"])
        .map(str::to_string)
        .or_else(|| o.has(&["i"]).then(|| "{}".to_string()));
    let max_args: Option<usize> = o.value(&["n", "max-args"]).and_then(|v| v.parse().ok());
    let max_lines: Option<usize> = o.value(&["L", "max-lines"]).and_then(|v| v.parse().ok());
    let data: StreamData = match o.value(&["a", "arg-file"]) {
        Some(f) => match ctx.read_text(f) {
            Ok(Some(t)) => StreamData::known(t.into_bytes()),
            _ => {
                ctx.error(&format!(
                    "Cannot open input file '{f}': No such file or directory"
                ))?;
                return Ok(1);
            }
        },
        None => ctx.stdin(),
    };
    let text = String::from_utf8_lossy(&data.bytes).into_owned();
    let items: Vec<String> = if null {
        text.split('\0')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    } else if let Some(d) = o.value(&["d", "delimiter"]) {
        let d = match d {
            "\\n" => '\n',
            "\\t" => '\t',
            other => other.chars().next().unwrap_or('\n'),
        };
        text.split(d)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    } else if replace.is_some() || max_lines.is_some() {
        text.lines()
            .map(|l| l.trim_start().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    } else {
        xargs_items(&text)
    };
    let mut runs: Vec<Vec<String>> = Vec::new();
    if let Some(r) = &replace {
        for it in &items {
            runs.push(cmd.iter().map(|a| a.replace(r.as_str(), it)).collect());
        }
    } else {
        let per = max_args.or(max_lines).unwrap_or(5000).max(1);
        for chunk in items.chunks(per) {
            let mut full = cmd.clone();
            if max_lines.is_some() {
                for line in chunk {
                    full.extend(xargs_items(line));
                }
            } else {
                full.extend(chunk.iter().cloned());
            }
            runs.push(full);
        }
        if items.is_empty() && !no_empty && !ctx.busybox() {
            runs.push(cmd.clone());
        }
    }
    let mut status = 0;
    for full in runs {
        if trace {
            ctx.err(format!("{}\n", full.join(" ")).as_bytes())?;
        }
        let s = ctx.run_with_stdin(full, StreamData::default())?;
        if s == 255 {
            ctx.error(&format!("{}: exited with status 255; aborting", cmd[0]))?;
            return Ok(124);
        }
        if s == 127 || s == 126 {
            return Ok(s);
        }
        if s != 0 {
            status = 123;
        }
    }
    Ok(status)
}
