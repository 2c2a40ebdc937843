//! Builtins that live inside the shell because they change or read its state: `cd`,
//! `export`, `set`, `read`, `eval`, `.`, `exit`, `return`, `local`, `trap`, `command`,
//! `type`, `getopts`, `umask` … Builtins that are also programs (`echo`, `printf`, `test`,
//! `true`) are in [`super::programs`].

use super::ast::{Dialect, ARRAY_MARK, ARRAY_SEP};
use super::fs;
use super::interp::{Ex, Flow, Interp};
use super::parser::is_name;

const SPECIAL: [&str; 17] = [
    ":", ".", "break", "continue", "eval", "exec", "exit", "export", "readonly", "return", "set",
    "shift", "times", "trap", "unset", "source", "let",
];

const REGULAR: [&str; 30] = [
    "cd",
    "pwd",
    "read",
    "local",
    "type",
    "command",
    "hash",
    "umask",
    "wait",
    "getopts",
    "alias",
    "unalias",
    "ulimit",
    "jobs",
    "fg",
    "bg",
    "shopt",
    "declare",
    "typeset",
    "builtin",
    "disown",
    "enable",
    "pushd",
    "popd",
    "dirs",
    "help",
    "suspend",
    "logout",
    "mapfile",
    "readarray",
];

pub fn is_special(name: &str) -> bool {
    SPECIAL.contains(&name)
}

pub fn is_regular(name: &str) -> bool {
    REGULAR.contains(&name)
}

/// Shell keywords, for `type`.
const KEYWORDS: [&str; 16] = [
    "if", "then", "else", "elif", "fi", "case", "esac", "for", "while", "until", "do", "done", "{",
    "}", "!", "in",
];

fn single_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

impl Interp<'_> {
    fn err_builtin(&mut self, name: &str, msg: &str) -> Ex<()> {
        self.shell_error(&format!("{name}: {msg}"))
    }

    pub fn builtin(&mut self, argv: &[String]) -> Ex<i32> {
        let name = argv[0].as_str();
        let args = &argv[1..];
        match name {
            ":" => Ok(0),
            "exit" => {
                let status = match args.first() {
                    Some(a) => match a.parse::<i64>() {
                        Ok(n) => (n & 255) as i32,
                        Err(_) => {
                            self.err_builtin("exit", &format!("Illegal number: {a}"))?;
                            2
                        }
                    },
                    None => self.st.last_status,
                };
                Err(Flow::Exit(status))
            }
            "return" => {
                let status = match args.first() {
                    Some(a) => a.parse::<i64>().map(|n| (n & 255) as i32).unwrap_or(2),
                    None => self.st.last_status,
                };
                Err(Flow::Return(status))
            }
            "break" | "continue" => {
                let n = args
                    .first()
                    .and_then(|a| a.parse::<usize>().ok())
                    .unwrap_or(1);
                if n == 0 {
                    self.err_builtin(name, "Illegal number: 0")?;
                    return Ok(2);
                }
                if self.st.loop_depth == 0 {
                    return Ok(0);
                }
                let n = n.min(self.st.loop_depth);
                Err(if name == "break" {
                    Flow::Break(n)
                } else {
                    Flow::Continue(n)
                })
            }
            "eval" => {
                let src = args.join(" ");
                self.enter()?;
                let origin = self.origin;
                if self.origin.is_none() {
                    self.origin = Some(self.cur_span);
                }
                let r = self.run_source(&src, 0);
                self.origin = origin;
                self.leave();
                match r {
                    Err(Flow::Exit(2)) if parses_badly(&src, self.st.dialect) => Ok(2),
                    other => other,
                }
            }
            "." | "source" => self.source(name, args),
            "exec" => {
                if args.is_empty() {
                    return Ok(0);
                }
                let status = self.exec_external(args.to_vec())?;
                Err(Flow::Exit(status))
            }
            "export" | "readonly" => self.export(name, args),
            "unset" => self.unset(args),
            "set" => self.set(args),
            "shift" => {
                let n = match args.first() {
                    Some(a) => match a.parse::<usize>() {
                        Ok(n) => n,
                        Err(_) => {
                            self.err_builtin("shift", &format!("Illegal number: {a}"))?;
                            return Ok(2);
                        }
                    },
                    None => 1,
                };
                if n > self.st.positional.len() {
                    let msg = match self.st.dialect {
                        Dialect::Bash => return Ok(1),
                        _ => "can't shift that many",
                    };
                    self.err_builtin("shift", msg)?;
                    return Ok(2);
                }
                self.st.positional.drain(..n);
                Ok(0)
            }
            "times" => {
                self.write_fd(1, b"0m0.000s 0m0.000s\n0m0.000s 0m0.000s\n")?;
                Ok(0)
            }
            "trap" => self.trap(args),
            "let" => {
                let mut v = 0;
                for a in args {
                    v = self.arith_str(a)?;
                }
                Ok(i32::from(v == 0))
            }
            "cd" => self.cd(args),
            "pwd" => {
                let physical = args.iter().any(|a| a == "-P");
                let dir = if physical {
                    fs::canonicalize(&*self.fs, &self.st.cwd)
                        .unwrap_or_else(|_| self.st.cwd.clone())
                } else {
                    self.st.cwd.clone()
                };
                self.write_fd(1, format!("{dir}\n").as_bytes())?;
                Ok(0)
            }
            "read" => self.read(args),
            "local" => self.local(args),
            "declare" | "typeset" => self.declare(args),
            "type" => self.type_builtin(args),
            "command" => self.command(args),
            "umask" => self.umask(args),
            "getopts" => self.getopts(args),
            "ulimit" => {
                if args.is_empty()
                    || args.iter().any(|a| a.starts_with('-') && !a.contains('n'))
                        && args.len() == 1
                {
                    self.write_fd(1, b"unlimited\n")?;
                } else if args.iter().any(|a| a == "-n") && args.len() == 1 {
                    self.write_fd(1, b"1048576\n")?;
                }
                Ok(0)
            }
            "builtin" => {
                if args.is_empty() {
                    return Ok(0);
                }
                if is_special(&args[0]) || is_regular(&args[0]) {
                    return self.builtin(args);
                }
                self.run_command(args.to_vec(), false)
            }
            "mapfile" | "readarray" => self.mapfile(args),
            "pushd" => {
                let r = self.cd(args)?;
                if r == 0 {
                    let d = self.st.cwd.clone();
                    self.write_fd(1, format!("{d}\n").as_bytes())?;
                }
                Ok(r)
            }
            "popd" | "dirs" => Ok(0),
            "hash" => self.hash(args),
            // job control, aliases, history: nothing to do in a build
            _ => Ok(0),
        }
    }

    fn source(&mut self, name: &str, args: &[String]) -> Ex<i32> {
        let Some(file) = args.first() else {
            if self.st.dialect == Dialect::Bash {
                self.err_builtin(name, "filename argument required")?;
            }
            return Ok(2);
        };
        let mut path = None;
        if file.contains('/') {
            path = Some(self.abs(file));
        } else {
            let pv = self
                .st
                .vars
                .value("PATH")
                .unwrap_or(super::interp::DEFAULT_PATH)
                .to_string();
            for dir in pv.split(':') {
                let p = self.abs(&fs::child(if dir.is_empty() { "." } else { dir }, file));
                if self.fs.stat(&p).map(|m| m.is_file()).unwrap_or(false) {
                    path = Some(p);
                    break;
                }
            }
            if path.is_none() && self.st.dialect == Dialect::Bash {
                path = Some(self.abs(file));
            }
        }
        let content = match path.as_deref().map(|p| self.sys_read(p)) {
            Some(Ok(fs::Content::Bytes(b))) => String::from_utf8_lossy(&b).into_owned(),
            Some(Ok(fs::Content::Unknown { .. })) => {
                self.not_simulated(&[format!(". {file}")]);
                return Ok(0);
            }
            _ => {
                let msg = match self.st.dialect {
                    Dialect::Bash => format!("{file}: No such file or directory"),
                    _ => format!("{name}: cannot open {file}: No such file"),
                };
                self.shell_error(&msg)?;
                return Err(Flow::Exit(if self.st.dialect == Dialect::Bash {
                    1
                } else {
                    2
                }));
            }
        };
        self.enter()?;
        let origin = self.origin;
        if self.origin.is_none() {
            self.origin = Some(self.cur_span);
        }
        let saved_pos = if args.len() > 1 && self.st.dialect == Dialect::Bash {
            Some(std::mem::replace(
                &mut self.st.positional,
                args[1..].to_vec(),
            ))
        } else {
            None
        };
        let r = self.run_source(&content, 0);
        if let Some(p) = saved_pos {
            self.st.positional = p;
        }
        self.origin = origin;
        self.leave();
        match r {
            Err(Flow::Return(s)) => Ok(s),
            other => other,
        }
    }

    fn export(&mut self, name: &str, args: &[String]) -> Ex<i32> {
        let readonly = name == "readonly";
        let mut unexport = false;
        let mut names = Vec::new();
        for a in args {
            match a.as_str() {
                "-p" => {}
                "-n" if !readonly => unexport = true,
                "-f" => {}
                "--" => {}
                _ => names.push(a.clone()),
            }
        }
        if names.is_empty() {
            let mut lines: Vec<String> = self
                .st
                .vars
                .iter()
                .filter(|(_, v)| if readonly { v.readonly } else { v.exported })
                .map(|(n, v)| match self.st.dialect {
                    Dialect::Bash => format!(
                        "declare -{} {n}=\"{}\"",
                        if readonly { "r" } else { "x" },
                        v.value
                            .replace('\\', "\\\\")
                            .replace('"', "\\\"")
                            .replace('$', "\\$")
                    ),
                    _ => format!("{name} {n}={}", single_quote(&v.value)),
                })
                .collect();
            lines.sort();
            let mut out = lines.join("\n");
            if !out.is_empty() {
                out.push('\n');
            }
            self.write_fd(1, out.as_bytes())?;
            return Ok(0);
        }
        let mut status = 0;
        for a in names {
            let (n, value) = match a.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (a.clone(), None),
            };
            if !is_name(&n) {
                let msg = match self.st.dialect {
                    Dialect::Bash => format!("`{a}': not a valid identifier"),
                    _ => format!("{n}: bad variable name"),
                };
                self.err_builtin(name, &msg)?;
                if self.st.dialect == Dialect::Bash {
                    status = 1;
                    continue;
                }
                return Err(Flow::Exit(2));
            }
            if let Some(v) = value {
                self.set_decl(&n, v)?;
            } else if self.st.vars.get(&n).is_none() {
                // `export X` with X unset: exported as soon as it gets a value.
                if !readonly && !unexport && !self.st.pending_exports.contains(&n) {
                    self.st.pending_exports.push(n.clone());
                }
                if !readonly {
                    continue;
                }
                self.st.vars.set(&n, String::new());
            }
            if let Some(v) = self.st.vars.get_mut(&n) {
                if readonly {
                    v.readonly = true;
                } else {
                    v.exported = !unexport;
                }
            }
        }
        Ok(status)
    }

    /// Assigns a value given to a declaration builtin, decoding array literals.
    fn set_decl(&mut self, name: &str, value: String) -> Ex<()> {
        let name = name.trim_end_matches('+');
        match value.strip_prefix(ARRAY_MARK) {
            Some(items) => {
                let items: Vec<String> = if items.is_empty() {
                    Vec::new()
                } else {
                    items.split(ARRAY_SEP).map(str::to_string).collect()
                };
                self.set_var(name, items.first().cloned().unwrap_or_default())?;
                if let Some(v) = self.st.vars.get_mut(name) {
                    v.array = Some(items);
                }
                Ok(())
            }
            None => self.set_var(name, value),
        }
    }

    fn unset(&mut self, args: &[String]) -> Ex<i32> {
        let mut functions = false;
        let mut status = 0;
        for a in args {
            match a.as_str() {
                "-f" => functions = true,
                "-v" => functions = false,
                _ => {
                    if functions {
                        self.st.functions.remove(a);
                        continue;
                    }
                    if self.st.vars.get(a).is_some_and(|v| v.readonly) {
                        let msg = match self.st.dialect {
                            Dialect::Bash => format!("{a}: cannot unset: readonly variable"),
                            _ => format!("{a}: is read only"),
                        };
                        self.err_builtin("unset", &msg)?;
                        status = if self.st.dialect == Dialect::Bash {
                            1
                        } else {
                            2
                        };
                        continue;
                    }
                    if self.st.vars.remove(a).is_none() && self.st.dialect == Dialect::Bash {
                        self.st.functions.remove(a);
                    }
                }
            }
        }
        Ok(status)
    }

    fn set(&mut self, args: &[String]) -> Ex<i32> {
        if args.is_empty() {
            let mut lines: Vec<String> = self
                .st
                .vars
                .iter()
                .map(|(n, v)| format!("{n}={}", single_quote(&v.value)))
                .collect();
            lines.sort();
            let mut out = lines.join("\n");
            out.push('\n');
            self.write_fd(1, out.as_bytes())?;
            return Ok(0);
        }
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a == "--" {
                self.st.positional = args[i + 1..].to_vec();
                self.reset_getopts();
                return Ok(0);
            }
            if a == "-" {
                self.st.opts.xtrace = false;
                self.st.opts.verbose = false;
                i += 1;
                if i < args.len() {
                    self.st.positional = args[i..].to_vec();
                }
                return Ok(0);
            }
            let (on, flags) = match (a.strip_prefix('-'), a.strip_prefix('+')) {
                (Some(f), _) => (true, f),
                (_, Some(f)) => (false, f),
                _ => {
                    self.st.positional = args[i..].to_vec();
                    self.reset_getopts();
                    return Ok(0);
                }
            };
            i += 1;
            for c in flags.chars() {
                if c == 'o' {
                    match args.get(i) {
                        Some(name) => {
                            if !self.st.opts.set_long(name, on) {
                                self.err_builtin("set", &format!("Illegal option -o {name}"))?;
                                return Ok(2);
                            }
                            i += 1;
                        }
                        None => {
                            let mut out = String::new();
                            for (n, v) in self.st.opts.long_names() {
                                if on {
                                    out.push_str(&format!(
                                        "{n:<16}{}\n",
                                        if v { "on" } else { "off" }
                                    ));
                                } else {
                                    out.push_str(&format!(
                                        "set {}o {n}\n",
                                        if v { '-' } else { '+' }
                                    ));
                                }
                            }
                            self.write_fd(1, out.as_bytes())?;
                        }
                    }
                } else if !self.st.opts.set_flag(c, on)
                    && !matches!(c, 'h' | 'm' | 'b' | 'B' | 'H' | 'P' | 'T' | 'E' | 'p')
                {
                    self.err_builtin(
                        "set",
                        &format!("Illegal option {}{c}", if on { '-' } else { '+' }),
                    )?;
                    return Ok(2);
                }
            }
        }
        Ok(0)
    }

    /// New positional parameters restart option parsing (dash resets `OPTIND`).
    fn reset_getopts(&mut self) {
        self.st.vars.set("OPTIND", "1".to_string());
        self.st.vars.remove("_GETOPTS_SUB");
    }

    fn trap(&mut self, args: &[String]) -> Ex<i32> {
        if args.len() >= 2 {
            let action = &args[0];
            for sig in &args[1..] {
                if sig == "EXIT" || sig == "0" {
                    self.st.exit_trap = if action == "-" || action.is_empty() {
                        None
                    } else {
                        Some(action.clone())
                    };
                }
            }
        }
        Ok(0)
    }

    fn cd(&mut self, args: &[String]) -> Ex<i32> {
        let operands: Vec<&String> = args.iter().filter(|a| *a != "-L" && *a != "-P").collect();
        let mut print = false;
        let target = match operands.first() {
            None => match self.st.vars.value("HOME") {
                Some(h) => h.to_string(),
                None => return Ok(0),
            },
            Some(d) if d.as_str() == "-" => {
                print = true;
                self.st
                    .vars
                    .value("OLDPWD")
                    .unwrap_or(&self.st.cwd)
                    .to_string()
            }
            Some(d) => d.to_string(),
        };
        let path = self.abs(&target);
        // A directory of an unpacked archive whose content was not downloaded.
        if self.sys_stat(&path).is_err() {
            self.materialize_unfetched_dir(&path, "cd");
        }
        let ok = match self.sys_stat(&path) {
            Ok(m) if m.is_dir() && self.may(&m, 1) => Ok(()),
            Ok(m) if m.is_dir() => Err(fs::Errno::PermissionDenied),
            Ok(_) => Err(fs::Errno::NotDir),
            Err(e) => Err(e),
        };
        if let Err(e) = ok {
            let msg = match self.st.dialect {
                Dialect::Bash => format!("{target}: {e}"),
                Dialect::Dash => format!("can't cd to {target}"),
                Dialect::Ash => format!("can't cd to {target}: {e}"),
            };
            self.err_builtin("cd", &msg)?;
            return Ok(if self.st.dialect == Dialect::Dash {
                2
            } else {
                1
            });
        }
        let old = std::mem::replace(&mut self.st.cwd, path.clone());
        self.st.vars.set("OLDPWD", old);
        self.st.vars.set("PWD", path.clone());
        if print {
            self.write_fd(1, format!("{path}\n").as_bytes())?;
        }
        Ok(0)
    }

    fn read(&mut self, args: &[String]) -> Ex<i32> {
        let mut raw = false;
        let mut names = Vec::new();
        let mut delim: Option<u8> = None;
        let mut nchars: Option<usize> = None;
        let mut array: Option<String> = None;
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a.starts_with('-') && a.len() > 1 && names.is_empty() {
                let mut chars = a[1..].chars();
                while let Some(c) = chars.next() {
                    match c {
                        'r' => raw = true,
                        's' | 'e' => {}
                        'p' | 't' | 'u' | 'd' | 'n' | 'N' | 'a' => {
                            let rest: String = chars.collect();
                            let val = if rest.is_empty() {
                                i += 1;
                                args.get(i).cloned().unwrap_or_default()
                            } else {
                                rest
                            };
                            match c {
                                'p' => {
                                    self.write_fd(2, val.as_bytes())?;
                                }
                                'd' => delim = Some(val.bytes().next().unwrap_or(0)),
                                'n' | 'N' => nchars = val.parse().ok(),
                                'a' => array = Some(val),
                                _ => {}
                            }
                            break;
                        }
                        _ => {}
                    }
                }
            } else {
                names.push(a.clone());
            }
            i += 1;
        }
        let input = match self.fds.get(0).cloned() {
            Some(super::io::Fd::Input(inp)) => inp,
            _ => return Ok(1),
        };
        // Read one logical line.
        let mut line: Vec<u8> = Vec::new();
        let mut got_end = false;
        {
            let mut inp = input.borrow_mut();
            let d = delim.unwrap_or(b'\n');
            loop {
                let pos = inp.pos;
                let Some(&c) = inp.data.bytes.get(pos) else {
                    break;
                };
                inp.pos += 1;
                if let Some(n) = nchars {
                    if line.len() >= n {
                        inp.pos -= 1;
                        got_end = true;
                        break;
                    }
                }
                if c == d {
                    got_end = true;
                    break;
                }
                if c == b'\\' && !raw {
                    if let Some(&n) = inp.data.bytes.get(inp.pos) {
                        inp.pos += 1;
                        if n == b'\n' {
                            continue;
                        }
                        line.push(b'\\');
                        line.push(n);
                        continue;
                    }
                    continue;
                }
                line.push(c);
                if nchars.is_some_and(|n| line.len() >= n) {
                    got_end = true;
                    break;
                }
            }
        }
        let at_eof = !got_end;
        if at_eof && line.is_empty() {
            for n in &names {
                self.set_var(n, String::new())?;
            }
            return Ok(1);
        }
        let text = String::from_utf8_lossy(&line).into_owned();
        let ifs = self.st.vars.value("IFS").unwrap_or(" \t\n").to_string();
        if names.is_empty() && array.is_none() {
            let v = if raw { text } else { unescape_read(&text) };
            self.set_var("REPLY", v)?;
            return Ok(i32::from(at_eof));
        }
        let fields = split_read(
            &text,
            &ifs,
            if array.is_some() {
                usize::MAX
            } else {
                names.len()
            },
            raw,
        );
        if let Some(a) = array {
            self.set_var(&a, fields.first().cloned().unwrap_or_default())?;
            if let Some(v) = self.st.vars.get_mut(&a) {
                v.array = Some(fields);
            }
            return Ok(i32::from(at_eof));
        }
        for (k, n) in names.iter().enumerate() {
            if !is_name(n) {
                self.err_builtin("read", &format!("{n}: bad variable name"))?;
                return Ok(2);
            }
            self.set_var(n, fields.get(k).cloned().unwrap_or_default())?;
        }
        Ok(i32::from(at_eof))
    }

    fn mapfile(&mut self, args: &[String]) -> Ex<i32> {
        let mut strip = false;
        let mut name = "MAPFILE".to_string();
        for a in args {
            if a == "-t" {
                strip = true;
            } else if !a.starts_with('-') {
                name = a.clone();
            }
        }
        let data = self.read_stdin();
        let text = String::from_utf8_lossy(&data.bytes).into_owned();
        let items: Vec<String> = text
            .split_inclusive('\n')
            .map(|l| {
                if strip {
                    l.trim_end_matches('\n').to_string()
                } else {
                    l.to_string()
                }
            })
            .collect();
        self.set_var(&name, items.first().cloned().unwrap_or_default())?;
        if let Some(v) = self.st.vars.get_mut(&name) {
            v.array = Some(items);
        }
        Ok(0)
    }

    fn local(&mut self, args: &[String]) -> Ex<i32> {
        if self.st.locals.is_empty() {
            if self.st.dialect == Dialect::Bash {
                self.err_builtin("local", "can only be used in a function")?;
                return Ok(1);
            }
            self.err_builtin("local", "not in a function")?;
            return Ok(2);
        }
        for a in args {
            if a.starts_with('-') {
                continue;
            }
            let (n, value) = match a.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (a.clone(), None),
            };
            let old = self.st.vars.get(&n).cloned();
            if let Some(frame) = self.st.locals.last_mut() {
                if !frame.iter().any(|(x, _)| *x == n) {
                    frame.push((n.clone(), old.clone()));
                }
            }
            match value {
                Some(v) => self.set_decl(&n, v)?,
                None => {
                    if old.is_none() && self.st.dialect == Dialect::Bash {
                        // bash: declared but unset
                    } else if old.is_none() {
                        self.st.vars.remove(&n);
                    }
                }
            }
        }
        Ok(0)
    }

    fn declare(&mut self, args: &[String]) -> Ex<i32> {
        let mut export = false;
        let mut readonly = false;
        let mut names = Vec::new();
        for a in args {
            if let Some(flags) = a.strip_prefix('-') {
                export |= flags.contains('x');
                readonly |= flags.contains('r');
                continue;
            }
            if a.starts_with('+') {
                continue;
            }
            names.push(a.clone());
        }
        if !self.st.locals.is_empty() && !args.iter().any(|a| a.starts_with('-') && a.contains('g'))
        {
            self.local(&names)?;
        } else {
            for a in &names {
                if let Some((n, v)) = a.split_once('=') {
                    self.set_decl(n, v.to_string())?;
                }
            }
        }
        for a in &names {
            let n = a.split_once('=').map(|(n, _)| n).unwrap_or(a);
            if let Some(v) = self.st.vars.get_mut(n) {
                v.exported |= export;
                v.readonly |= readonly;
            }
        }
        Ok(0)
    }

    /// Describes a command name: `(kind, path-or-name)`.
    pub fn describe(&mut self, name: &str) -> Option<(&'static str, String)> {
        if KEYWORDS.contains(&name)
            || (self.st.dialect.bash_syntax()
                && (name == "[[" || name == "]]" || name == "function"))
        {
            return Some(("keyword", name.to_string()));
        }
        if self.st.functions.contains_key(name) {
            return Some(("function", name.to_string()));
        }
        if is_special(name) {
            return Some(("special", name.to_string()));
        }
        if is_regular(name) || super::programs::is_shell_builtin(name) {
            return Some(("builtin", name.to_string()));
        }
        self.find_on_path(name).map(|p| ("file", p))
    }

    /// The path a command name resolves to, looking at the filesystem first and, unless
    /// the PATH is strict, at the simulated programs — the same lookup `exec_external`
    /// makes, so `command -v`, `type`, `hash` and `which` agree with what runs.
    pub fn find_on_path(&mut self, name: &str) -> Option<String> {
        if name.contains('/') {
            let p = self.abs(name);
            return self
                .fs
                .stat(&p)
                .ok()
                .filter(|m| m.is_file())
                .map(|_| name.to_string());
        }
        let pv = self
            .st
            .vars
            .value("PATH")
            .unwrap_or(super::interp::DEFAULT_PATH)
            .to_string();
        let mut unmaterialized = None;
        for dir in pv.split(':') {
            let p = fs::child(if dir.is_empty() { "." } else { dir }, name);
            let abs = self.abs(&p);
            match self.fs.stat(&abs) {
                Ok(m) if m.is_file() && self.executable(&m) => return Some(p),
                Ok(_) => {}
                Err(_) if unmaterialized.is_none() && self.unmaterialized_link(&abs) => {
                    unmaterialized = Some(p);
                }
                Err(_) => {}
            }
        }
        if unmaterialized.is_some() {
            // As the interpreter runs it (see `Interp::unmaterialized_link`).
            return unmaterialized;
        }
        if !self.cfg.strict_path && self.reg.get(name).is_some() {
            return Some(format!("/usr/bin/{name}"));
        }
        None
    }

    /// `hash NAME…`: fails for a name that is not a command (`hash: curl: not found`).
    fn hash(&mut self, args: &[String]) -> Ex<i32> {
        let mut status = 0;
        for n in args.iter().filter(|a| !a.starts_with('-')) {
            if self.describe(n).is_none() {
                self.err_builtin("hash", &format!("{n}: not found"))?;
                status = 1;
            }
        }
        Ok(status)
    }

    fn type_builtin(&mut self, args: &[String]) -> Ex<i32> {
        let mut status = 0;
        if args.iter().any(|a| a == "-t") {
            let mut out = String::new();
            for n in args.iter().filter(|a| !a.starts_with('-')) {
                match self.describe(n) {
                    Some(("special", _)) | Some(("builtin", _)) => out.push_str("builtin\n"),
                    Some((kind, _)) => {
                        out.push_str(kind);
                        out.push('\n');
                    }
                    None => status = 1,
                }
            }
            self.write_fd(1, out.as_bytes())?;
            return Ok(status);
        }
        for n in args.iter().filter(|a| !a.starts_with('-')) {
            let line = match self.describe(n) {
                Some(("keyword", _)) => format!("{n} is a shell keyword"),
                Some(("function", _)) => format!("{n} is a shell function"),
                Some(("special", _)) => format!("{n} is a special shell builtin"),
                Some(("builtin", _)) => format!("{n} is a shell builtin"),
                Some((_, p)) => format!("{n} is {p}"),
                None => {
                    status = if self.st.dialect == Dialect::Bash {
                        1
                    } else {
                        127
                    };
                    match self.st.dialect {
                        Dialect::Bash => {
                            self.shell_error(&format!("type: {n}: not found"))?;
                            continue;
                        }
                        _ => format!("{n}: not found"),
                    }
                }
            };
            self.write_fd(1, format!("{line}\n").as_bytes())?;
        }
        Ok(status)
    }

    fn command(&mut self, args: &[String]) -> Ex<i32> {
        let mut i = 0;
        let mut mode = None;
        while i < args.len() && args[i].starts_with('-') && args[i].len() > 1 {
            for c in args[i][1..].chars() {
                match c {
                    'v' => mode = Some('v'),
                    'V' => mode = Some('V'),
                    _ => {}
                }
            }
            i += 1;
        }
        let rest = &args[i..];
        match mode {
            Some(m) => {
                let mut status = 0;
                for n in rest {
                    match self.describe(n) {
                        Some((kind, p)) => {
                            let line = if m == 'v' {
                                if kind == "file" {
                                    p
                                } else {
                                    n.clone()
                                }
                            } else {
                                match kind {
                                    "file" => format!("{n} is {p}"),
                                    "function" => format!("{n} is a shell function"),
                                    "keyword" => format!("{n} is a shell keyword"),
                                    "special" => format!("{n} is a special shell builtin"),
                                    _ => format!("{n} is a shell builtin"),
                                }
                            };
                            self.write_fd(1, format!("{line}\n").as_bytes())?;
                        }
                        None => {
                            status = if m == 'v' && self.st.dialect == Dialect::Bash {
                                1
                            } else {
                                127
                            };
                            if m == 'V' {
                                self.write_fd(1, format!("{n}: not found\n").as_bytes())?;
                            }
                        }
                    }
                }
                Ok(status)
            }
            None => {
                if rest.is_empty() {
                    return Ok(0);
                }
                self.run_command(rest.to_vec(), false)
            }
        }
    }

    fn umask(&mut self, args: &[String]) -> Ex<i32> {
        let symbolic = args.iter().any(|a| a == "-S");
        let operand = args.iter().find(|a| !a.starts_with('-'));
        match operand {
            None => {
                let m = self.st.umask;
                let text = if symbolic {
                    let perm = |shift: u32| {
                        let bits = (!m >> shift) & 7;
                        let mut s = String::new();
                        if bits & 4 != 0 {
                            s.push('r');
                        }
                        if bits & 2 != 0 {
                            s.push('w');
                        }
                        if bits & 1 != 0 {
                            s.push('x');
                        }
                        s
                    };
                    format!("u={},g={},o={}\n", perm(6), perm(3), perm(0))
                } else {
                    format!("{m:04o}\n")
                };
                self.write_fd(1, text.as_bytes())?;
                Ok(0)
            }
            Some(v) => {
                if let Ok(n) = u32::from_str_radix(v, 8) {
                    self.st.umask = n & 0o777;
                    return Ok(0);
                }
                match super::programs::files::parse_symbolic_mode(
                    v,
                    0o777 & !self.st.umask,
                    true,
                    0,
                ) {
                    Some(perm) => {
                        self.st.umask = !perm & 0o777;
                        Ok(0)
                    }
                    None => {
                        self.err_builtin("umask", &format!("Illegal mode: {v}"))?;
                        Ok(2)
                    }
                }
            }
        }
    }

    fn getopts(&mut self, args: &[String]) -> Ex<i32> {
        let (Some(spec), Some(var)) = (args.first(), args.get(1)) else {
            self.err_builtin("getopts", "usage: getopts optstring var [arg...]")?;
            return Ok(2);
        };
        let params: Vec<String> = if args.len() > 2 {
            args[2..].to_vec()
        } else {
            self.st.positional.clone()
        };
        let optind: usize = self
            .st
            .vars
            .value("OPTIND")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        let sub: usize = self
            .st
            .vars
            .value("_GETOPTS_SUB")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        let silent = spec.starts_with(':');
        let Some(arg) = params.get(optind.saturating_sub(1)) else {
            self.set_var(var, "?".to_string())?;
            return Ok(1);
        };
        if !arg.starts_with('-') || arg == "-" || arg == "--" {
            if arg == "--" {
                self.set_var("OPTIND", (optind + 1).to_string())?;
            }
            self.set_var(var, "?".to_string())?;
            return Ok(1);
        }
        let chars: Vec<char> = arg.chars().collect();
        let c = chars.get(sub).copied().unwrap_or('?');
        let mut next_ind = optind;
        let mut next_sub = sub + 1;
        if next_sub >= chars.len() {
            next_ind += 1;
            next_sub = 1;
        }
        let pos = spec.find(c);
        match pos {
            Some(p) if c != ':' => {
                let takes = spec[p + c.len_utf8()..].starts_with(':');
                if takes {
                    let value = if sub + 1 < chars.len() {
                        chars[sub + 1..].iter().collect::<String>()
                    } else {
                        match params.get(optind) {
                            Some(v) => {
                                next_ind = optind + 1;
                                v.clone()
                            }
                            None => {
                                if !silent {
                                    let m = format!("No arg for -{c} option\n");
                                    self.write_fd(2, m.as_bytes())?;
                                }
                                self.set_var(var, "?".to_string())?;
                                self.set_var("OPTIND", (optind + 1).to_string())?;
                                return Ok(0);
                            }
                        }
                    };
                    next_ind = if sub + 1 < chars.len() {
                        optind + 1
                    } else {
                        next_ind.max(optind + 1)
                    };
                    next_sub = 1;
                    self.set_var("OPTARG", value)?;
                }
                self.set_var(var, c.to_string())?;
            }
            _ => {
                if !silent {
                    let m = format!("Illegal option -{c}\n");
                    self.write_fd(2, m.as_bytes())?;
                } else {
                    self.set_var("OPTARG", c.to_string())?;
                }
                self.set_var(var, "?".to_string())?;
            }
        }
        self.set_var("OPTIND", next_ind.to_string())?;
        self.st.vars.set("_GETOPTS_SUB", next_sub.to_string());
        Ok(0)
    }
}

fn unescape_read(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Splits a line read by `read` into at most `n` fields; the last takes the rest.
fn split_read(text: &str, ifs: &str, n: usize, raw: bool) -> Vec<String> {
    let is_ifs = |c: char| ifs.contains(c);
    let is_ws = |c: char| is_ifs(c) && matches!(c, ' ' | '\t' | '\n');
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() && is_ws(chars[i]) {
        i += 1;
    }
    while i < chars.len() {
        if out.len() + 1 == n {
            // last variable: the rest, minus trailing IFS whitespace
            let mut rest: String = chars[i..].iter().collect();
            while rest.ends_with(|c: char| is_ws(c)) {
                rest.pop();
            }
            out.push(if raw { rest } else { unescape_read(&rest) });
            return out;
        }
        let mut field = String::new();
        while i < chars.len() && !is_ifs(chars[i]) {
            if chars[i] == '\\' && !raw && i + 1 < chars.len() {
                field.push(chars[i + 1]);
                i += 2;
                continue;
            }
            field.push(chars[i]);
            i += 1;
        }
        out.push(field);
        // skip one delimiter plus surrounding whitespace
        while i < chars.len() && is_ws(chars[i]) {
            i += 1;
        }
        if i < chars.len() && is_ifs(chars[i]) && !is_ws(chars[i]) {
            i += 1;
            while i < chars.len() && is_ws(chars[i]) {
                i += 1;
            }
        }
    }
    out
}

fn parses_badly(src: &str, d: Dialect) -> bool {
    super::parser::parse(src, d).is_err()
}
