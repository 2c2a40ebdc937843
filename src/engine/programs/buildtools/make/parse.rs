//! Reading makefiles: logical lines (backslash continuations, `#` comments), recipe
//! lines (a leading tab after a rule), conditionals (`ifeq`/`ifneq`/`ifdef`/`ifndef`/
//! `else`/`endif`), `include`/`-include`, `define`/`endef`, `export`/`unexport`/
//! `override`, variable assignments (`=`, `:=`, `::=`, `?=`, `+=`, `!=`) and rules
//! (explicit, pattern `%.o: %.c`, static pattern `objs: %.o: %.c`, target-specific
//! variables, `.PHONY` and the other special targets).
//!
//! Invariants: includes nest at most [`MAX_INCLUDE_DEPTH`] deep; every line costs a step.

use super::expand::{top_level_find, words};
use super::vars::Origin;
use super::{Fail, Make, PatternRule, RecipeLine, R};
use crate::engine::programs::lang_support::text_or_empty;
use crate::engine::shell::programs::ProgramCtx;

pub const MAX_INCLUDE_DEPTH: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignOp {
    Recursive,
    Simple,
    Conditional,
    Append,
    Shell,
}

/// A line read as an assignment: `name op value` (name and value unexpanded).
pub struct Assignment<'l> {
    pub name: &'l str,
    pub op: AssignOp,
    pub value: &'l str,
}

/// What a logical line is, judged by its first top-level `:` or `=`.
pub enum LineKind<'l> {
    Assign(Assignment<'l>),
    /// A rule; the index of its `:`.
    Rule(usize),
    Other,
}

pub fn classify(line: &str) -> LineKind<'_> {
    let bytes = line.as_bytes();
    let mut depth = 0i32;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'(' | b'{' => depth += 1,
            b')' | b'}' => depth -= 1,
            b'=' if depth == 0 => {
                let (op, name_end) = match i.checked_sub(1).and_then(|p| bytes.get(p)) {
                    Some(b':') => {
                        if i >= 2 && bytes.get(i - 2) == Some(&b':') {
                            (AssignOp::Simple, i - 2)
                        } else {
                            (AssignOp::Simple, i - 1)
                        }
                    }
                    Some(b'+') => (AssignOp::Append, i - 1),
                    Some(b'?') => (AssignOp::Conditional, i - 1),
                    Some(b'!') => (AssignOp::Shell, i - 1),
                    _ => (AssignOp::Recursive, i),
                };
                return LineKind::Assign(Assignment {
                    name: line[..name_end].trim(),
                    op,
                    value: line[i + 1..].trim_start(),
                });
            }
            b':' if depth == 0 => {
                let next = bytes.get(i + 1);
                let next2 = bytes.get(i + 2);
                if next == Some(&b'=') || (next == Some(&b':') && next2 == Some(&b'=')) {
                    continue;
                }
                return LineKind::Rule(i);
            }
            _ => {}
        }
    }
    LineKind::Other
}

/// One level of `ifeq … else … endif`.
struct Cond {
    parent_active: bool,
    taken: bool,
    active: bool,
}

/// Where recipe lines currently go.
enum Current {
    None,
    Targets(Vec<String>),
    Pattern(usize),
}

/// Strips a `#` comment (not `\#`) and turns `\#` into `#`.
fn strip_comment(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'#') => {
                out.push('#');
                chars.next();
            }
            '#' => break,
            _ => out.push(c),
        }
    }
    out
}

fn ends_with_continuation(line: &str) -> bool {
    line.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1
}

impl Make {
    /// Reads one makefile (already known to exist) and merges it in.
    pub fn read_makefile(
        &mut self,
        ctx: &mut ProgramCtx<'_, '_>,
        path: &str,
        shown: &str,
    ) -> R<()> {
        let text = match ctx.read_text(path) {
            Ok(Some(t)) => t,
            Ok(None) => {
                ctx.approximated(&format!(
                    "{shown} was downloaded without content; it was read as empty"
                ));
                String::new()
            }
            Err(e) => {
                return Err(Fail::Stop(format!("{}: {shown}: {e}", self.prefix)));
            }
        };
        self.parse_text(ctx, &text, shown, 0)
    }

    /// Parses makefile text; `first_line` is added to line numbers (for `$(eval)`).
    pub fn parse_text(
        &mut self,
        ctx: &mut ProgramCtx<'_, '_>,
        text: &str,
        file: &str,
        first_line: usize,
    ) -> R<()> {
        self.include_depth += 1;
        if self.include_depth > MAX_INCLUDE_DEPTH {
            return Err(Fail::Stop(format!(
                "{file}: *** makefiles include each other more than {MAX_INCLUDE_DEPTH} levels deep (the playground's limit).  Stop."
            )));
        }
        let r = self.parse_lines(ctx, text, file, first_line);
        self.include_depth -= 1;
        r
    }

    fn parse_lines(
        &mut self,
        ctx: &mut ProgramCtx<'_, '_>,
        text: &str,
        file: &str,
        first_line: usize,
    ) -> R<()> {
        let saved_file = std::mem::replace(&mut self.file, file.to_string());
        let lines: Vec<&str> = text.split('\n').collect();
        let mut conds: Vec<Cond> = Vec::new();
        let mut current = Current::None;
        let mut i = 0;
        while i < lines.len() {
            ctx.steps(1)?;
            let start = i;
            self.line = first_line + start + 1;
            let active = conds.last().is_none_or(|c| c.active);
            let raw = lines[i].strip_suffix('\r').unwrap_or(lines[i]);
            i += 1;
            if raw.starts_with('\t') && !matches!(current, Current::None) {
                let mut body = raw[1..].to_string();
                while ends_with_continuation(&body) && i < lines.len() {
                    body.push('\n');
                    let next = lines[i];
                    body.push_str(next.strip_prefix('\t').unwrap_or(next));
                    i += 1;
                }
                if active {
                    self.add_recipe_line(&current, body);
                }
                continue;
            }
            // A logical line: continuations joined with one space.
            let mut logical = raw.to_string();
            while ends_with_continuation(&logical) && i < lines.len() {
                logical.pop();
                let kept = logical.trim_end().len();
                logical.truncate(kept);
                logical.push(' ');
                logical.push_str(lines[i].trim_start());
                i += 1;
            }
            let stripped = strip_comment(&logical);
            let line = stripped.trim();
            if line.is_empty() {
                continue;
            }
            let (keyword, rest) = match line.find([' ', '\t', '(']) {
                Some(p) => (&line[..p], line[p..].trim_start()),
                None => (line, ""),
            };
            match keyword {
                "ifeq" | "ifneq" | "ifdef" | "ifndef" => {
                    let parent_active = active;
                    let value = parent_active && self.condition(ctx, keyword, rest)?;
                    conds.push(Cond {
                        parent_active,
                        taken: value,
                        active: value,
                    });
                    continue;
                }
                "else" => {
                    let Some(top) = conds.last() else {
                        return Err(self.stop_here("extraneous 'else'"));
                    };
                    let (parent_active, taken) = (top.parent_active, top.taken);
                    let (kw, cond_rest) = match rest.find([' ', '\t', '(']) {
                        Some(p) => (&rest[..p], rest[p..].trim_start()),
                        None => (rest, ""),
                    };
                    let active = if taken {
                        false
                    } else if matches!(kw, "ifeq" | "ifneq" | "ifdef" | "ifndef") {
                        parent_active && self.condition(ctx, kw, cond_rest)?
                    } else {
                        parent_active
                    };
                    if let Some(top) = conds.last_mut() {
                        top.active = active;
                        top.taken |= active;
                    }
                    continue;
                }
                "endif" => {
                    if conds.pop().is_none() {
                        return Err(self.stop_here("extraneous 'endif'"));
                    }
                    continue;
                }
                _ => {}
            }
            if !active {
                if keyword == "define" {
                    i = skip_define(&lines, i);
                }
                continue;
            }
            if raw.starts_with('\t')
                && matches!(classify(line), LineKind::Other | LineKind::Rule(_))
            {
                return Err(self.stop_here("recipe commences before first target"));
            }
            // Directives.
            match keyword {
                "include" | "-include" | "sinclude" => {
                    current = Current::None;
                    let names = self.expand(ctx, rest)?;
                    for name in words(&names).map(str::to_string).collect::<Vec<_>>() {
                        let path = ctx.abs(&name);
                        if ctx.stat(&path).is_ok() {
                            let line_here = self.line;
                            let text = text_or_empty(ctx, &path);
                            self.parse_text(ctx, &text, &name, 0)?;
                            self.file = file.to_string();
                            self.line = line_here;
                        } else if keyword == "include" {
                            ctx.err(
                                format!("{}: {name}: No such file or directory\n", self.loc())
                                    .as_bytes(),
                            )?;
                            self.missing_includes.push(name);
                        }
                    }
                    continue;
                }
                "define" => {
                    current = Current::None;
                    let (name, op) = define_head(rest);
                    let mut body: Vec<&str> = Vec::new();
                    let mut nest = 0usize;
                    while i < lines.len() {
                        let l = lines[i];
                        i += 1;
                        let t = l.trim_start();
                        if t.starts_with("define ") || t == "define" {
                            nest += 1;
                        } else if t.starts_with("endef") {
                            if nest == 0 {
                                break;
                            }
                            nest -= 1;
                        }
                        body.push(l);
                    }
                    let name = self.expand(ctx, name)?;
                    self.assign(ctx, name.trim(), op, &body.join("\n"), Origin::File)?;
                    continue;
                }
                "undefine" => {
                    let name = self.expand(ctx, rest)?;
                    self.vars.remove(name.trim());
                    continue;
                }
                "vpath" | "unexport" | "export" | "override" | "private" if !rest.is_empty() => {}
                "export" => {
                    self.export_all = true;
                    continue;
                }
                "unexport" => {
                    self.export_all = false;
                    continue;
                }
                _ => {}
            }
            if keyword == "vpath" {
                continue;
            }
            if keyword == "unexport"
                || (keyword == "export" && !matches!(classify(rest), LineKind::Assign(_)))
            {
                current = Current::None;
                let on = keyword == "export";
                let names = self.expand(ctx, rest)?;
                for n in words(&names) {
                    self.vars.mark_export(n, on);
                }
                continue;
            }
            // `override`/`export`/`private` before an assignment.
            let mut body = line;
            let mut origin = Origin::File;
            let mut export = false;
            while let Some(p) = body.find([' ', '\t']) {
                let (kw, rest) = (&body[..p], body[p..].trim_start());
                match kw {
                    "override" => origin = Origin::Override,
                    "export" => export = true,
                    "private" => {}
                    _ => break,
                }
                body = rest;
            }
            match classify(body) {
                LineKind::Assign(a) => {
                    current = Current::None;
                    let name = self.expand(ctx, a.name)?;
                    let name = name.trim().to_string();
                    if name.is_empty() {
                        return Err(self.stop_here("empty variable name"));
                    }
                    self.assign(ctx, &name, a.op, a.value, origin)?;
                    if export {
                        self.vars.mark_export(&name, true);
                    }
                }
                LineKind::Rule(colon) => {
                    current = self.rule(ctx, body, colon)?;
                }
                LineKind::Other => {
                    // A lone word that expands to nothing is allowed (`$(info …)`).
                    let expanded = self.expand(ctx, body)?;
                    if !expanded.trim().is_empty() {
                        return Err(self.stop_here("missing separator"));
                    }
                }
            }
        }
        if !conds.is_empty() {
            self.line = first_line + lines.len();
            return Err(self.stop_here("missing 'endif'"));
        }
        self.file = saved_file;
        Ok(())
    }

    fn stop_here(&self, what: &str) -> Fail {
        Fail::Stop(format!("{}: *** {what}.  Stop.", self.loc()))
    }

    fn add_recipe_line(&mut self, current: &Current, text: String) {
        let line = RecipeLine {
            text,
            file: self.file.clone(),
            line: self.line,
        };
        match current {
            Current::None => {}
            Current::Pattern(ix) => {
                if let Some(p) = self.patterns.get_mut(*ix) {
                    p.recipe.push(line);
                }
            }
            Current::Targets(names) => {
                for n in names {
                    let warn = {
                        let t = self.targets.entry(n.clone()).or_default();
                        let fresh = !t.recipe_open;
                        let had = !t.recipe.is_empty();
                        if fresh {
                            t.recipe.clear();
                            t.recipe_open = true;
                        }
                        t.recipe.push(line.clone());
                        fresh && had
                    };
                    if warn {
                        self.warnings.push(format!(
                            "{}:{}: warning: overriding recipe for target '{n}'",
                            line.file, line.line
                        ));
                    }
                }
            }
        }
    }

    fn condition(&mut self, ctx: &mut ProgramCtx<'_, '_>, keyword: &str, rest: &str) -> R<bool> {
        match keyword {
            "ifdef" | "ifndef" => {
                let name = self.expand(ctx, rest)?;
                let defined = self
                    .vars
                    .get(name.trim())
                    .is_some_and(|v| !v.value.is_empty());
                Ok(defined == (keyword == "ifdef"))
            }
            _ => {
                let (a, b) = if rest.starts_with('(') {
                    let close = super::expand::matching_close(rest, 0)
                        .ok_or_else(|| self.stop_here("invalid syntax in conditional"))?;
                    let inner = &rest[1..close];
                    let comma = top_level_find(inner, b',')
                        .ok_or_else(|| self.stop_here("invalid syntax in conditional"))?;
                    (
                        inner[..comma].trim().to_string(),
                        inner[comma + 1..].trim().to_string(),
                    )
                } else {
                    let mut parts = Vec::new();
                    let mut s = rest;
                    for _ in 0..2 {
                        let q = s.chars().next().filter(|c| *c == '"' || *c == '\'');
                        let Some(q) = q else {
                            return Err(self.stop_here("invalid syntax in conditional"));
                        };
                        let Some(end) = s[1..].find(q) else {
                            return Err(self.stop_here("invalid syntax in conditional"));
                        };
                        parts.push(s[1..1 + end].to_string());
                        s = s[end + 2..].trim_start();
                    }
                    (parts[0].clone(), parts[1].clone())
                };
                let a = self.expand(ctx, &a)?;
                let b = self.expand(ctx, &b)?;
                Ok((a == b) == (keyword == "ifeq"))
            }
        }
    }

    /// Stores an assignment with the priority rules of `origin`.
    pub fn assign(
        &mut self,
        ctx: &mut ProgramCtx<'_, '_>,
        name: &str,
        op: AssignOp,
        value: &str,
        origin: Origin,
    ) -> R<()> {
        let env_wins = self.env_overrides
            && self
                .vars
                .get(name)
                .is_some_and(|v| v.origin == Origin::Environment);
        if env_wins && origin == Origin::File {
            return Ok(());
        }
        match op {
            AssignOp::Recursive => {
                self.vars.set(name, value.to_string(), true, origin);
            }
            AssignOp::Simple => {
                let v = self.expand(ctx, value)?;
                self.vars.set(name, v, false, origin);
            }
            AssignOp::Conditional => {
                if self.vars.get(name).is_none() {
                    self.vars.set(name, value.to_string(), true, origin);
                }
            }
            AssignOp::Append => match self.vars.get(name).cloned() {
                Some(old) => {
                    let add = if old.recursive {
                        value.to_string()
                    } else {
                        self.expand(ctx, value)?
                    };
                    let joined = if old.value.is_empty() {
                        add
                    } else {
                        format!("{} {add}", old.value)
                    };
                    let origin = if old.origin == Origin::Environment {
                        origin
                    } else {
                        origin.max(old.origin)
                    };
                    if origin >= old.origin || origin == Origin::Override {
                        self.vars.set(name, joined, old.recursive, origin);
                    }
                }
                None => {
                    self.vars.set(name, value.to_string(), true, origin);
                }
            },
            AssignOp::Shell => {
                let command = self.expand(ctx, value)?;
                let v = self.shell(ctx, &command)?;
                self.vars.set(name, v, false, origin);
            }
        }
        if !self.file.is_empty() {
            let loc = self.loc();
            if let Some(v) = self.vars.get_mut(name) {
                v.loc = loc;
            }
        }
        Ok(())
    }

    /// A rule line; returns where its recipe lines go.
    fn rule(&mut self, ctx: &mut ProgramCtx<'_, '_>, line: &str, colon: usize) -> R<Current> {
        let targets = self.expand(ctx, &line[..colon])?;
        let targets: Vec<String> = words(&targets).map(str::to_string).collect();
        let mut rest = &line[colon + 1..];
        if let Some(r) = rest.strip_prefix(':') {
            rest = r; // `::` rules are treated like `:` rules
        }
        let (deps, inline) = match top_level_find(rest, b';') {
            Some(p) => (&rest[..p], Some(rest[p + 1..].trim_start())),
            None => (rest, None),
        };
        if targets.is_empty() {
            // `$(EMPTY): foo` is allowed and defines nothing.
            return Ok(Current::None);
        }
        // Target-specific variables: `target: VAR = value`.
        if inline.is_none() {
            if let LineKind::Assign(a) = classify(deps.trim_start()) {
                let body = a
                    .name
                    .trim_start_matches("override ")
                    .trim_start_matches("export ");
                let name = self.expand(ctx, body)?.trim().to_string();
                for t in &targets {
                    self.targets.entry(t.clone()).or_default().vars.push((
                        name.clone(),
                        a.op,
                        a.value.to_string(),
                    ));
                }
                return Ok(Current::None);
            }
        }
        // Static pattern rule: `objs: %.o: %.c`.
        let (deps, static_pattern) = match top_level_find(deps, b':') {
            Some(p) => (
                &deps[p + 1..],
                Some(self.expand(ctx, &deps[..p])?.trim().to_string()),
            ),
            None => (deps, None),
        };
        let deps = self.expand(ctx, deps)?;
        let (normal, order_only) = match deps.split_once('|') {
            Some((a, b)) => (a, b),
            None => (deps.as_str(), ""),
        };
        let normal: Vec<String> = words(normal).map(str::to_string).collect();
        let order_only: Vec<String> = words(order_only).map(str::to_string).collect();
        let first = targets.first().cloned().unwrap_or_default();
        if static_pattern.is_none() && targets.iter().any(|t| t.contains('%')) {
            self.patterns.push(PatternRule {
                targets: targets.clone(),
                prereqs: normal,
                order_only,
                recipe: Vec::new(),
            });
            let ix = self.patterns.len() - 1;
            if let Some(text) = inline {
                self.add_recipe_line(&Current::Pattern(ix), text.to_string());
            }
            return Ok(Current::Pattern(ix));
        }
        match first.as_str() {
            ".PHONY" => {
                self.phony.extend(normal);
                return Ok(Current::None);
            }
            ".SILENT" => {
                if normal.is_empty() {
                    self.silent_all = true;
                } else {
                    self.silent_targets.extend(normal);
                }
                return Ok(Current::None);
            }
            ".ONESHELL" => {
                self.oneshell = true;
                return Ok(Current::None);
            }
            ".EXPORT_ALL_VARIABLES" => {
                self.export_all = true;
                return Ok(Current::None);
            }
            ".IGNORE" => {
                self.ignore_all = normal.is_empty();
                return Ok(Current::None);
            }
            ".SUFFIXES"
            | ".DEFAULT"
            | ".PRECIOUS"
            | ".INTERMEDIATE"
            | ".SECONDARY"
            | ".DELETE_ON_ERROR"
            | ".NOTPARALLEL"
            | ".LOW_RESOLUTION_TIME"
            | ".SECONDEXPANSION"
            | ".POSIX"
            | ".NOTINTERMEDIATE" => return Ok(Current::None),
            _ => {}
        }
        for t in &targets {
            let entry = self.targets.entry(t.clone()).or_default();
            entry.recipe_open = false;
            match &static_pattern {
                Some(pattern) => {
                    if let Some(stem) = super::expand::match_pattern(pattern, t) {
                        let stem = stem.to_string();
                        entry
                            .prereqs
                            .extend(normal.iter().map(|p| p.replacen('%', &stem, 1)));
                        entry
                            .order_only
                            .extend(order_only.iter().map(|p| p.replacen('%', &stem, 1)));
                        entry.stem = Some(stem);
                    }
                }
                None => {
                    entry.prereqs.extend(normal.iter().cloned());
                    entry.order_only.extend(order_only.iter().cloned());
                }
            }
        }
        if self.default_goal.is_none() {
            if let Some(goal) = targets
                .iter()
                .find(|t| !t.starts_with('.') || t.contains('/'))
            {
                self.default_goal = Some(goal.clone());
            }
        }
        let current = Current::Targets(targets);
        if let Some(text) = inline {
            self.add_recipe_line(&current, text.to_string());
        }
        Ok(current)
    }
}

/// `define NAME [op]`
fn define_head(rest: &str) -> (&str, AssignOp) {
    let rest = rest.trim();
    for (suffix, op) in [
        ("::=", AssignOp::Simple),
        (":=", AssignOp::Simple),
        ("+=", AssignOp::Append),
        ("?=", AssignOp::Conditional),
        ("!=", AssignOp::Shell),
        ("=", AssignOp::Recursive),
    ] {
        if let Some(name) = rest.strip_suffix(suffix) {
            return (name.trim_end(), op);
        }
    }
    (rest, AssignOp::Recursive)
}

/// Skips an inactive `define … endef` body; returns the index after `endef`.
fn skip_define(lines: &[&str], mut i: usize) -> usize {
    let mut nest = 0usize;
    while i < lines.len() {
        let t = lines[i].trim_start();
        i += 1;
        if t.starts_with("define ") {
            nest += 1;
        } else if t.starts_with("endef") {
            if nest == 0 {
                break;
            }
            nest -= 1;
        }
    }
    i
}
