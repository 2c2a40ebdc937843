//! `$(…)` expansion: variable references (`$(X)`, `${X}`, `$X`, `$(X:.c=.o)`), automatic
//! variables, and the functions Dockerfile Makefiles use (`shell`, `wildcard`,
//! `patsubst`, `subst`, `if`, `foreach`, `filter`, `call`, `eval` …).
//!
//! Invariants: nesting depth and the size of every expanded value are bounded; every
//! reference costs a step; a variable that refers to itself stops make with GNU's message.

use super::vars::Origin;
use super::{Fail, Make, R};
use crate::engine::shell::programs::ProgramCtx;

/// How deeply references may nest (`$(a $(b $(c …)))` and variables expanding variables).
const MAX_DEPTH: usize = 64;
/// Largest expanded value, in bytes.
pub const MAX_VALUE: usize = 1 << 20;
/// Most words `foreach` walks in one call.
const MAX_FOREACH: usize = 10_000;

const FUNCTIONS: &[&str] = &[
    "subst",
    "patsubst",
    "strip",
    "findstring",
    "filter",
    "filter-out",
    "sort",
    "word",
    "wordlist",
    "words",
    "firstword",
    "lastword",
    "dir",
    "notdir",
    "suffix",
    "basename",
    "addsuffix",
    "addprefix",
    "join",
    "wildcard",
    "realpath",
    "abspath",
    "if",
    "or",
    "and",
    "foreach",
    "call",
    "value",
    "eval",
    "origin",
    "flavor",
    "shell",
    "error",
    "warning",
    "info",
];

/// The automatic variables of the rule whose recipe is being expanded.
#[derive(Debug, Clone, Default)]
pub struct Auto {
    pub target: String,
    pub prereqs: Vec<String>,
    pub order_only: Vec<String>,
    pub stem: String,
    /// Prerequisites remade in this run (`$?`).
    pub newer: Vec<String>,
}

impl Auto {
    fn get(&self, name: &str) -> Option<String> {
        let (base, part) = match name.len() {
            1 => (name, None),
            2 if name.ends_with('D') || name.ends_with('F') => (&name[..1], name.get(1..)),
            _ => return None,
        };
        let mut dedup: Vec<&str> = Vec::new();
        for p in &self.prereqs {
            if !dedup.contains(&p.as_str()) {
                dedup.push(p);
            }
        }
        let words: Vec<String> = match base {
            "@" => vec![self.target.clone()],
            "<" => self.prereqs.first().cloned().into_iter().collect(),
            "^" => dedup.iter().map(|s| s.to_string()).collect(),
            "+" => self.prereqs.clone(),
            "*" => vec![self.stem.clone()],
            "?" => self.newer.clone(),
            "|" => self.order_only.clone(),
            _ => return None,
        };
        let words: Vec<String> = match part {
            Some("D") => words.iter().map(|w| dir_part(w, true)).collect(),
            Some("F") => words.iter().map(|w| notdir(w).to_string()).collect(),
            _ => words,
        };
        Some(words.join(" "))
    }
}

/// `$(dir x)` (with the trailing slash) or `$(@D)` (without it).
fn dir_part(word: &str, automatic: bool) -> String {
    match word.rfind('/') {
        Some(0) => "/".to_string(),
        Some(i) if automatic => word[..i].to_string(),
        Some(i) => word[..=i].to_string(),
        None if automatic => ".".to_string(),
        None => "./".to_string(),
    }
}

fn notdir(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// Whitespace-separated words.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_ascii_whitespace()
}

/// The stem if `word` matches `pattern` (`%` matches any run of characters; a pattern
/// without `%` must equal the word).
pub fn match_pattern<'w>(pattern: &str, word: &'w str) -> Option<&'w str> {
    match pattern.split_once('%') {
        Some((pre, post)) => {
            if word.len() >= pre.len() + post.len() && word.starts_with(pre) && word.ends_with(post)
            {
                word.get(pre.len()..word.len() - post.len())
            } else {
                None
            }
        }
        None => (pattern == word).then_some(""),
    }
}

fn patsubst(pattern: &str, replacement: &str, word: &str) -> String {
    match match_pattern(pattern, word) {
        Some(stem) if pattern.contains('%') => replacement.replacen('%', stem, 1),
        Some(_) => replacement.to_string(),
        None => word.to_string(),
    }
}

/// The index of the `)`/`}` closing the reference opened at `open` (same bracket kind
/// nests, as in GNU make).
pub fn matching_close(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let (o, c) = match bytes.get(open)? {
        b'(' => (b'(', b')'),
        b'{' => (b'{', b'}'),
        _ => return None,
    };
    let mut depth = 0usize;
    for (i, &b) in bytes.iter().enumerate().skip(open) {
        if b == o {
            depth += 1;
        } else if b == c {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// Splits function arguments at commas outside nested references; the last of `max`
/// arguments keeps any further commas.
fn split_args(text: &str, max: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'(' | b'{' => depth += 1,
            b')' | b'}' => depth -= 1,
            b',' if depth == 0 && out.len() + 1 < max => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

/// The first position of `needle` outside nested references.
pub fn top_level_find(text: &str, needle: u8) -> Option<usize> {
    let mut depth = 0i32;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'(' | b'{' => depth += 1,
            b')' | b'}' => depth -= 1,
            _ if b == needle && depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

impl Make {
    /// Expands `text` completely.
    pub fn expand(&mut self, ctx: &mut ProgramCtx<'_, '_>, text: &str) -> R<String> {
        self.expand_in(ctx, text, 0)
    }

    fn too_big(&self) -> Fail {
        Fail::Stop(format!(
            "{}: *** a value grew beyond the playground's limit of {MAX_VALUE} bytes.  Stop.",
            self.loc()
        ))
    }

    fn expand_in(&mut self, ctx: &mut ProgramCtx<'_, '_>, text: &str, depth: usize) -> R<String> {
        if !text.contains('$') {
            return Ok(text.to_string());
        }
        if depth > MAX_DEPTH {
            return Err(Fail::Stop(format!(
                "{}: *** references nest more than {MAX_DEPTH} levels deep (the playground's limit).  Stop.",
                self.loc()
            )));
        }
        let mut out = String::new();
        let mut rest = text;
        while let Some(pos) = rest.find('$') {
            out.push_str(&rest[..pos]);
            let after = &rest[pos + 1..];
            let Some(c) = after.chars().next() else {
                rest = "";
                break;
            };
            match c {
                '$' => {
                    out.push('$');
                    rest = &after[1..];
                }
                '(' | '{' => {
                    let Some(close) = matching_close(after, 0) else {
                        return Err(Fail::Stop(format!(
                            "{}: *** unterminated variable reference.  Stop.",
                            self.loc()
                        )));
                    };
                    let inner = &after[1..close];
                    let value = self.reference(ctx, inner, depth)?;
                    out.push_str(&value);
                    rest = &after[close + 1..];
                }
                _ => {
                    let name = c.to_string();
                    let value = self.var_value(ctx, &name, depth)?;
                    out.push_str(&value);
                    rest = &after[c.len_utf8()..];
                }
            }
            if out.len() > MAX_VALUE {
                return Err(self.too_big());
            }
        }
        out.push_str(rest);
        if out.len() > MAX_VALUE {
            return Err(self.too_big());
        }
        Ok(out)
    }

    fn reference(&mut self, ctx: &mut ProgramCtx<'_, '_>, inner: &str, depth: usize) -> R<String> {
        ctx.steps(1)?;
        if let Some(space) = inner.find([' ', '\t']) {
            let name = &inner[..space];
            if FUNCTIONS.contains(&name) {
                let args = inner[space..].trim_start_matches([' ', '\t']);
                return self.call(ctx, name, args, depth + 1);
            }
        }
        if let Some(colon) = top_level_find(inner, b':') {
            let spec = &inner[colon + 1..];
            if let Some(eq) = top_level_find(spec, b'=') {
                let name = self.expand_in(ctx, &inner[..colon], depth + 1)?;
                let value = self.var_value(ctx, &name, depth)?;
                let from = self.expand_in(ctx, &spec[..eq], depth + 1)?;
                let to = self.expand_in(ctx, &spec[eq + 1..], depth + 1)?;
                let (from, to) = if from.contains('%') {
                    (from, to)
                } else {
                    (format!("%{from}"), format!("%{to}"))
                };
                let out: Vec<String> = words(&value).map(|w| patsubst(&from, &to, w)).collect();
                return Ok(out.join(" "));
            }
        }
        let name = self.expand_in(ctx, inner, depth + 1)?;
        self.var_value(ctx, &name, depth)
    }

    /// The value of a variable (automatic ones first), expanded if recursive.
    pub fn var_value(
        &mut self,
        ctx: &mut ProgramCtx<'_, '_>,
        name: &str,
        depth: usize,
    ) -> R<String> {
        if let Some(v) = self.auto.as_ref().and_then(|a| a.get(name)) {
            return Ok(v);
        }
        if name == "CURDIR" {
            return Ok(ctx.cwd().to_string());
        }
        let Some(var) = self.vars.get(name) else {
            return Ok(String::new());
        };
        if !var.recursive {
            return Ok(var.value.clone());
        }
        let value = var.value.clone();
        if self.expanding.iter().any(|n| n == name) {
            let loc = if var.loc.is_empty() {
                self.loc()
            } else {
                var.loc.clone()
            };
            return Err(Fail::Stop(format!(
                "{loc}: *** Recursive variable '{name}' references itself (eventually).  Stop."
            )));
        }
        self.expanding.push(name.to_string());
        let r = self.expand_in(ctx, &value, depth + 1);
        self.expanding.pop();
        r
    }

    fn call(
        &mut self,
        ctx: &mut ProgramCtx<'_, '_>,
        name: &str,
        args: &str,
        depth: usize,
    ) -> R<String> {
        let max = match name {
            "if" | "foreach" | "patsubst" | "subst" | "wordlist" => 3,
            "word" | "filter" | "filter-out" | "findstring" | "addprefix" | "addsuffix"
            | "join" => 2,
            "call" | "or" | "and" => usize::MAX,
            _ => 1,
        };
        let raw = split_args(args, max);
        let arg = |i: usize| raw.get(i).copied().unwrap_or("");
        // Lazily expanded arguments first.
        match name {
            "if" => {
                let cond = self.expand_in(ctx, arg(0), depth)?;
                let pick = if cond.trim().is_empty() { 2 } else { 1 };
                return self.expand_in(ctx, arg(pick), depth);
            }
            "or" => {
                for a in &raw {
                    let v = self.expand_in(ctx, a, depth)?;
                    if !v.trim().is_empty() {
                        return Ok(v);
                    }
                }
                return Ok(String::new());
            }
            "and" => {
                let mut last = String::new();
                for a in &raw {
                    last = self.expand_in(ctx, a, depth)?;
                    if last.trim().is_empty() {
                        return Ok(String::new());
                    }
                }
                return Ok(last);
            }
            "foreach" => {
                let var = self.expand_in(ctx, arg(0), depth)?.trim().to_string();
                let list = self.expand_in(ctx, arg(1), depth)?;
                let saved = self.vars.get(&var).cloned();
                let mut out: Vec<String> = Vec::new();
                let mut size = 0usize;
                for (n, w) in words(&list).enumerate() {
                    if n >= MAX_FOREACH {
                        return Err(Fail::Stop(format!(
                            "{}: *** foreach over more than {MAX_FOREACH} words (the playground's limit).  Stop.",
                            self.loc()
                        )));
                    }
                    ctx.steps(1)?;
                    self.vars.set(&var, w.to_string(), false, Origin::Override);
                    let v = self.expand_in(ctx, arg(2), depth)?;
                    size += v.len() + 1;
                    if size > MAX_VALUE {
                        return Err(self.too_big());
                    }
                    out.push(v);
                }
                self.restore(&var, saved);
                return Ok(out.join(" "));
            }
            "call" => {
                let fname = self.expand_in(ctx, arg(0), depth)?.trim().to_string();
                let mut values = Vec::new();
                for a in raw.iter().skip(1) {
                    values.push(self.expand_in(ctx, a, depth)?);
                }
                let body = self
                    .vars
                    .get(&fname)
                    .map(|v| v.value.clone())
                    .unwrap_or_default();
                let mut saved = Vec::new();
                let mut all = vec![fname.clone()];
                all.extend(values);
                // $(1)…$(9) beyond the given ones are empty inside the call.
                let count = all.len().max(10);
                for i in 0..count {
                    let key = i.to_string();
                    saved.push((key.clone(), self.vars.get(&key).cloned()));
                    let value = all.get(i).cloned().unwrap_or_default();
                    self.vars.set(&key, value, false, Origin::Override);
                }
                let r = self.expand_in(ctx, &body, depth);
                for (key, old) in saved {
                    self.restore(&key, old);
                }
                return r;
            }
            "value" => {
                let var = self.expand_in(ctx, arg(0), depth)?;
                return Ok(self
                    .vars
                    .get(var.trim())
                    .map(|v| v.value.clone())
                    .unwrap_or_default());
            }
            _ => {}
        }
        let mut values = Vec::with_capacity(raw.len());
        for a in &raw {
            values.push(self.expand_in(ctx, a, depth)?);
        }
        let val = |i: usize| values.get(i).map(String::as_str).unwrap_or("");
        let map_words = |text: &str, f: &dyn Fn(&str) -> String| -> String {
            words(text).map(f).collect::<Vec<_>>().join(" ")
        };
        Ok(match name {
            "subst" => {
                if val(0).is_empty() {
                    val(2).to_string()
                } else {
                    val(2).replace(val(0), val(1))
                }
            }
            "patsubst" => map_words(val(2), &|w| patsubst(val(0), val(1), w)),
            "strip" => words(val(0)).collect::<Vec<_>>().join(" "),
            "findstring" => {
                if val(1).contains(val(0)) {
                    val(0).to_string()
                } else {
                    String::new()
                }
            }
            "filter" | "filter-out" => {
                let pats: Vec<&str> = words(val(0)).collect();
                let keep = name == "filter";
                words(val(1))
                    .filter(|w| pats.iter().any(|p| match_pattern(p, w).is_some()) == keep)
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            "sort" => {
                let mut w: Vec<&str> = words(val(0)).collect();
                w.sort_unstable();
                w.dedup();
                w.join(" ")
            }
            "word" => {
                let n: usize = val(0).trim().parse().unwrap_or(0);
                if n == 0 {
                    return Err(Fail::Stop(format!(
                        "{}: *** first argument to 'word' function must be greater than 0.  Stop.",
                        self.loc()
                    )));
                }
                words(val(1)).nth(n - 1).unwrap_or("").to_string()
            }
            "wordlist" => {
                let s: usize = val(0).trim().parse().unwrap_or(1).max(1);
                let e: usize = val(1).trim().parse().unwrap_or(0);
                words(val(2))
                    .enumerate()
                    .filter(|(i, _)| i + 1 >= s && *i < e)
                    .map(|(_, w)| w)
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            "words" => words(val(0)).count().to_string(),
            "firstword" => words(val(0)).next().unwrap_or("").to_string(),
            "lastword" => words(val(0)).last().unwrap_or("").to_string(),
            "dir" => map_words(val(0), &|w| dir_part(w, false)),
            "notdir" => map_words(val(0), &|w| notdir(w).to_string()),
            "suffix" => words(val(0))
                .filter_map(|w| {
                    let base = notdir(w);
                    base.rfind('.').map(|i| base[i..].to_string())
                })
                .collect::<Vec<_>>()
                .join(" "),
            "basename" => map_words(val(0), &|w| {
                let base_start = w.len() - notdir(w).len();
                match w[base_start..].rfind('.') {
                    Some(i) => w[..base_start + i].to_string(),
                    None => w.to_string(),
                }
            }),
            "addprefix" => map_words(val(1), &|w| format!("{}{w}", val(0))),
            "addsuffix" => map_words(val(1), &|w| format!("{w}{}", val(0))),
            "join" => {
                let a: Vec<&str> = words(val(0)).collect();
                let b: Vec<&str> = words(val(1)).collect();
                (0..a.len().max(b.len()))
                    .map(|i| format!("{}{}", a.get(i).unwrap_or(&""), b.get(i).unwrap_or(&"")))
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            "wildcard" => {
                let mut out = Vec::new();
                for pattern in words(val(0)) {
                    out.extend(self.wildcard(ctx, pattern)?);
                }
                out.join(" ")
            }
            "abspath" => map_words(val(0), &|w| {
                crate::engine::shell::fs::normalize(&ctx.abs(w))
            }),
            "realpath" => words(val(0))
                .filter_map(|w| ctx.canonicalize(w).ok())
                .collect::<Vec<_>>()
                .join(" "),
            "eval" => {
                let text = val(0).to_string();
                let (file, line) = (self.file.clone(), self.line);
                self.parse_text(ctx, &text, &file, line)?;
                self.line = line;
                String::new()
            }
            "origin" => {
                let n = val(0).trim();
                if self.auto.as_ref().and_then(|a| a.get(n)).is_some() {
                    "automatic".to_string()
                } else {
                    self.vars
                        .get(n)
                        .map_or("undefined", |v| v.origin.word())
                        .to_string()
                }
            }
            "flavor" => match self.vars.get(val(0).trim()) {
                Some(v) if v.recursive => "recursive",
                Some(_) => "simple",
                None => "undefined",
            }
            .to_string(),
            "shell" => self.shell(ctx, val(0))?,
            "error" => {
                return Err(Fail::Stop(format!(
                    "{}: *** {}.  Stop.",
                    self.loc(),
                    val(0)
                )));
            }
            "warning" => {
                ctx.err(format!("{}: {}\n", self.loc(), val(0)).as_bytes())?;
                String::new()
            }
            "info" => {
                ctx.out_str(&format!("{}\n", val(0)))?;
                String::new()
            }
            _ => String::new(),
        })
    }

    pub fn restore(&mut self, name: &str, old: Option<super::vars::Var>) {
        match old {
            Some(v) => self.vars.put(name, v),
            None => self.vars.remove(name),
        }
    }

    /// `$(shell cmd)`: stdout with newlines turned into spaces, the last one dropped.
    pub fn shell(&mut self, ctx: &mut ProgramCtx<'_, '_>, command: &str) -> R<String> {
        let shell = self
            .vars
            .get("SHELL")
            .map(|v| v.value.clone())
            .unwrap_or_else(|| "/bin/sh".to_string());
        let (status, bytes) = ctx.capture(vec![shell, "-c".to_string(), command.to_string()])?;
        self.vars
            .set(".SHELLSTATUS", status.to_string(), false, Origin::Override);
        let text = String::from_utf8_lossy(&bytes);
        Ok(text.trim_end_matches('\n').replace('\n', " "))
    }

    /// `$(wildcard pattern)`: `*`, `?` and `[…]` in the last path component.
    fn wildcard(&mut self, ctx: &mut ProgramCtx<'_, '_>, pattern: &str) -> R<Vec<String>> {
        if !crate::engine::glob::has_wildcards(pattern) {
            return Ok(if ctx.stat(pattern).is_ok() {
                vec![pattern.to_string()]
            } else {
                Vec::new()
            });
        }
        let (dir, file) = match pattern.rsplit_once('/') {
            Some((d, f)) => (Some(if d.is_empty() { "/" } else { d }), f),
            None => (None, pattern),
        };
        if dir.is_some_and(crate::engine::glob::has_wildcards) {
            // Wildcards in directories: not modelled; no match rather than a guess.
            return Ok(Vec::new());
        }
        let mut names = ctx.read_dir(dir.unwrap_or(".")).unwrap_or_default();
        ctx.steps(1 + names.len() as u64 / 32)?;
        names.sort();
        Ok(names
            .into_iter()
            .filter(|n| !n.starts_with('.') || file.starts_with('.'))
            .filter(|n| crate::engine::glob::go_match(file, n).unwrap_or(false))
            .map(|n| match dir {
                Some("/") if !pattern.starts_with("//") => format!("/{n}"),
                Some(d) => format!("{d}/{n}"),
                None => n,
            })
            .collect())
    }
}
