//! `test` / `[` and `[[ … ]]`: file tests, string and integer comparisons, with POSIX's
//! argument-count rules for short expressions and a small precedence parser
//! (`-o` < `-a` < `!` < primaries) for long ones.

use super::ast::{CondExpr, Dialect};
use super::interp::{Ex, Flow, Interp};
use super::regex::Regex;

const UNARY: [&str; 21] = [
    "-e", "-f", "-d", "-s", "-r", "-w", "-x", "-L", "-h", "-b", "-c", "-p", "-S", "-u", "-g", "-k",
    "-z", "-n", "-t", "-O", "-G",
];
const BINARY: [&str; 14] = [
    "=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef",
];

impl Interp<'_> {
    /// Evaluates `test` arguments (without the closing `]`). `Err` carries the message.
    pub fn test_args(&mut self, args: &[String]) -> Result<bool, String> {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        match a.len() {
            0 => Ok(false),
            1 => Ok(!a[0].is_empty()),
            2 => {
                if a[0] == "!" {
                    return Ok(a[1].is_empty());
                }
                if UNARY.contains(&a[0]) {
                    return self.test_unary(a[0], a[1]);
                }
                Err(format!("{}: unexpected operator", a[0]))
            }
            3 => {
                if BINARY.contains(&a[1]) {
                    return self.test_binary(a[0], a[1], a[2]);
                }
                if a[1] == "-a" || a[1] == "-o" {
                    let (l, r) = (!a[0].is_empty(), !a[2].is_empty());
                    return Ok(if a[1] == "-a" { l && r } else { l || r });
                }
                if a[0] == "!" {
                    return Ok(!self.test_args(&args[1..])?);
                }
                if a[0] == "(" && a[2] == ")" {
                    return Ok(!a[1].is_empty());
                }
                Err(format!("{}: unexpected operator", a[1]))
            }
            4 if a[0] == "!" => Ok(!self.test_args(&args[1..])?),
            4 if a[0] == "(" && a[3] == ")" => self.test_args(&args[1..3]),
            _ => {
                let mut p = TestParser {
                    args: &a,
                    i: 0,
                    guard: super::stack::StackGuard::new(super::stack::LEAF_STACK),
                };
                let v = p.or(self)?;
                if p.i < a.len() {
                    return Err(format!("{}: unexpected operator", a[p.i]));
                }
                Ok(v)
            }
        }
    }

    pub fn test_unary(&mut self, op: &str, arg: &str) -> Result<bool, String> {
        Ok(match op {
            "-z" => arg.is_empty(),
            "-n" => !arg.is_empty(),
            "-t" => false,
            "-L" | "-h" => self.sys_lstat(arg).map(|m| m.is_symlink()).unwrap_or(false),
            _ => {
                let Ok(m) = self.sys_stat(arg) else {
                    return Ok(false);
                };
                match op {
                    "-e" => true,
                    "-f" => m.is_file(),
                    "-d" => m.is_dir(),
                    "-s" => m.is_file() && m.size > 0 || m.is_dir(),
                    "-r" => self.may(&m, 4),
                    "-w" => self.may(&m, 2),
                    "-x" => self.executable(&m),
                    "-u" => m.mode & 0o4000 != 0,
                    "-g" => m.mode & 0o2000 != 0,
                    "-k" => m.mode & 0o1000 != 0,
                    "-O" => m.uid == self.st.cred.uid,
                    "-G" => m.gid == self.st.cred.gid,
                    _ => false,
                }
            }
        })
    }

    fn int_arg(&self, s: &str) -> Result<i64, String> {
        let t = s.trim();
        let t2 = t.strip_prefix('+').unwrap_or(t);
        let ok = !t2.is_empty()
            && t2
                .trim_start_matches('-')
                .chars()
                .all(|c| c.is_ascii_digit())
            && t2.matches('-').count() <= 1
            && (!t2.contains('-') || t2.starts_with('-'));
        if ok {
            if let Ok(v) = t2.parse::<i64>() {
                return Ok(v);
            }
        }
        Err(match self.st.dialect {
            Dialect::Bash => format!("{s}: integer expression expected"),
            _ => format!("Illegal number: {s}"),
        })
    }

    pub fn test_binary(&mut self, l: &str, op: &str, r: &str) -> Result<bool, String> {
        Ok(match op {
            "=" | "==" => l == r,
            "!=" => l != r,
            "<" => l < r,
            ">" => l > r,
            "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge" => {
                let (a, b) = (self.int_arg(l)?, self.int_arg(r)?);
                match op {
                    "-eq" => a == b,
                    "-ne" => a != b,
                    "-lt" => a < b,
                    "-le" => a <= b,
                    "-gt" => a > b,
                    _ => a >= b,
                }
            }
            "-ef" => match (self.sys_stat(l), self.sys_stat(r)) {
                (Ok(a), Ok(b)) => a.ino == b.ino,
                _ => false,
            },
            // no modification times are modelled: files are never newer than each other
            "-nt" => self.sys_stat(l).is_ok() && self.sys_stat(r).is_err(),
            "-ot" => self.sys_stat(l).is_err() && self.sys_stat(r).is_ok(),
            _ => return Err(format!("{op}: unexpected operator")),
        })
    }

    /// `[[ … ]]`
    pub fn eval_cond(&mut self, e: &CondExpr) -> Ex<bool> {
        match e {
            CondExpr::Word(w) => Ok(!self.expand_string(w)?.is_empty()),
            CondExpr::Not(x) => Ok(!self.eval_cond(x)?),
            CondExpr::And(a, b) => Ok(self.eval_cond(a)? && self.eval_cond(b)?),
            CondExpr::Or(a, b) => Ok(self.eval_cond(a)? || self.eval_cond(b)?),
            CondExpr::Unary(op, w) => {
                let arg = self.expand_string(w)?;
                if op == "-v" {
                    return Ok(self.st.vars.get(&arg).is_some());
                }
                if op == "-o" {
                    return Ok(self
                        .st
                        .opts
                        .long_names()
                        .iter()
                        .any(|(n, on)| *n == arg && *on));
                }
                match self.test_unary(op, &arg) {
                    Ok(v) => Ok(v),
                    Err(m) => {
                        self.shell_error(&m)?;
                        Err(Flow::Exit(2))
                    }
                }
            }
            CondExpr::Binary(l, op, r) => {
                let left = self.expand_string(l)?;
                match op.as_str() {
                    "==" | "=" | "!=" => {
                        let pat = self.expand_pattern(r)?;
                        let m = pat.matches(&left);
                        Ok(if op == "!=" { !m } else { m })
                    }
                    "=~" => {
                        let re = self.expand_regex(r)?;
                        match Regex::new(&re, true, false) {
                            Ok(rx) => {
                                let caps = rx.captures(&left, 0);
                                if let Some(c) = &caps {
                                    let all: Vec<String> = c
                                        .iter()
                                        .map(|g| {
                                            g.map(|(s, e)| left[s..e].to_string())
                                                .unwrap_or_default()
                                        })
                                        .collect();
                                    self.st.vars.set(
                                        "BASH_REMATCH",
                                        all.first().cloned().unwrap_or_default(),
                                    );
                                    if let Some(v) = self.st.vars.get_mut("BASH_REMATCH") {
                                        v.array = Some(all);
                                    }
                                }
                                Ok(caps.is_some())
                            }
                            Err(_) => Ok(false),
                        }
                    }
                    _ => {
                        let right = self.expand_string(r)?;
                        match self.test_binary(&left, op, &right) {
                            Ok(v) => Ok(v),
                            Err(m) => {
                                self.shell_error(&m)?;
                                Err(Flow::Exit(2))
                            }
                        }
                    }
                }
            }
        }
    }
}

struct TestParser<'s> {
    args: &'s [&'s str],
    i: usize,
    guard: super::stack::StackGuard,
}

impl<'s> TestParser<'s> {
    fn peek(&self) -> Option<&'s str> {
        self.args.get(self.i).copied()
    }

    fn or(&mut self, sh: &mut Interp<'_>) -> Result<bool, String> {
        let mut v = self.and(sh)?;
        while self.peek() == Some("-o") {
            self.i += 1;
            let r = self.and(sh)?;
            v = v || r;
        }
        Ok(v)
    }

    fn and(&mut self, sh: &mut Interp<'_>) -> Result<bool, String> {
        let mut v = self.not(sh)?;
        while self.peek() == Some("-a") {
            self.i += 1;
            let r = self.not(sh)?;
            v = v && r;
        }
        Ok(v)
    }

    fn not(&mut self, sh: &mut Interp<'_>) -> Result<bool, String> {
        if self.guard.exceeded() {
            return Err("expression nested too deeply".to_string());
        }
        if self.peek() == Some("!") {
            self.i += 1;
            return Ok(!self.not(sh)?);
        }
        self.primary(sh)
    }

    fn primary(&mut self, sh: &mut Interp<'_>) -> Result<bool, String> {
        let Some(a) = self.peek() else {
            return Err("argument expected".to_string());
        };
        if a == "(" {
            self.i += 1;
            let v = self.or(sh)?;
            if self.peek() != Some(")") {
                return Err("closing paren expected".to_string());
            }
            self.i += 1;
            return Ok(v);
        }
        if let Some(op) = self.args.get(self.i + 1) {
            if BINARY.contains(op) {
                if let Some(r) = self.args.get(self.i + 2) {
                    self.i += 3;
                    return sh.test_binary(a, op, r);
                }
            }
        }
        if UNARY.contains(&a) {
            if let Some(arg) = self.args.get(self.i + 1) {
                self.i += 2;
                return sh.test_unary(a, arg);
            }
        }
        self.i += 1;
        Ok(!a.is_empty())
    }
}
