//! Static look at a script without running it: which commands it names and where, and
//! whether each is simulated. Used for the corpus measurements and handy for lints
//! ("`foo` is not simulated") before a build runs.
//!
//! Invariant: only literal command names are reported (a name built from expansions is
//! unknown until run time); names behind wrappers (`env`, `xargs`, `gosu`, `find -exec`
//! …) are reported too.

use super::ast::*;
use super::parser::{self, SyntaxError};
use super::programs::{is_shell_builtin, Registry};
use crate::text::Span;
use serde::Serialize;
use std::collections::BTreeSet;

/// A command name found in a script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandRef {
    /// The name as written (a path keeps its directories).
    pub name: String,
    /// The simple command's span.
    pub span: Span,
}

/// How a command name would run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommandKind {
    /// A shell keyword-like builtin or special builtin (`cd`, `export`, `set` …).
    Builtin,
    /// A function defined in the same script.
    Function,
    /// A simulated program.
    Program,
    /// Named by a path that no simulated program answers to (`./configure`,
    /// `/usr/local/bin/build.sh`): the file at that path runs — a script is interpreted, a
    /// missing file fails as in a real shell — so only a run can tell whether it is simulated.
    File,
    /// Nothing simulates it.
    NotSimulated,
}

/// The commands `script` names, in order.
pub fn commands(script: &str, dialect: Dialect) -> Result<Vec<CommandRef>, SyntaxError> {
    let list = parser::parse(script, dialect)?;
    let mut out = Vec::new();
    walk_list(&list, &mut out, 0);
    Ok(out)
}

/// Functions defined anywhere in `script`.
pub fn functions(script: &str, dialect: Dialect) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if let Ok(list) = parser::parse(script, dialect) {
        collect_functions(&list, &mut out, 0);
    }
    out
}

/// How `name` would run, given the functions the script defines.
pub fn classify(name: &str, registry: &Registry, functions: &BTreeSet<String>) -> CommandKind {
    let base = name.rsplit('/').next().unwrap_or(name);
    if functions.contains(name) {
        return CommandKind::Function;
    }
    if super::builtins::is_special(base)
        || super::builtins::is_regular(base)
        || is_shell_builtin(base)
    {
        return CommandKind::Builtin;
    }
    if registry.contains(base) {
        return CommandKind::Program;
    }
    if name.contains('/') {
        return CommandKind::File;
    }
    CommandKind::NotSimulated
}

const MAX_WALK_DEPTH: usize = 200;

fn walk_list(list: &List, out: &mut Vec<CommandRef>, depth: usize) {
    if depth > MAX_WALK_DEPTH {
        return;
    }
    for item in list {
        let ao = &item.and_or;
        walk_pipeline(&ao.first, out, depth);
        for (_, p) in &ao.rest {
            walk_pipeline(p, out, depth);
        }
    }
}

fn walk_pipeline(p: &Pipeline, out: &mut Vec<CommandRef>, depth: usize) {
    for c in &p.commands {
        walk_command(c, out, depth + 1);
    }
}

fn walk_command(c: &Command, out: &mut Vec<CommandRef>, depth: usize) {
    if depth > MAX_WALK_DEPTH {
        return;
    }
    match c {
        Command::Simple(s) => {
            for a in &s.assigns {
                match &a.value {
                    AssignValue::Scalar(w) => walk_word(w, out, depth),
                    AssignValue::Array(ws) => ws.iter().for_each(|w| walk_word(w, out, depth)),
                }
            }
            for w in &s.words {
                walk_word(w, out, depth);
            }
            for r in &s.redirects {
                walk_redirect(r, out, depth);
            }
            let literal: Vec<Option<String>> = s.words.iter().map(literal_text).collect();
            if let Some(Some(name)) = literal.first() {
                out.push(CommandRef {
                    name: name.clone(),
                    span: s.span,
                });
                for inner in wrapped_commands(&literal) {
                    out.push(CommandRef {
                        name: inner,
                        span: s.span,
                    });
                }
            }
        }
        Command::Compound {
            body, redirects, ..
        } => {
            for r in redirects {
                walk_redirect(r, out, depth);
            }
            match body.as_ref() {
                Compound::Brace(l) | Compound::Subshell(l) => walk_list(l, out, depth),
                Compound::If {
                    branches,
                    else_body,
                } => {
                    for (c, b) in branches {
                        walk_list(c, out, depth);
                        walk_list(b, out, depth);
                    }
                    if let Some(e) = else_body {
                        walk_list(e, out, depth);
                    }
                }
                Compound::For { words, body, .. } => {
                    if let Some(ws) = words {
                        ws.iter().for_each(|w| walk_word(w, out, depth));
                    }
                    walk_list(body, out, depth);
                }
                Compound::ArithFor { body, .. } => walk_list(body, out, depth),
                Compound::While { cond, body, .. } => {
                    walk_list(cond, out, depth);
                    walk_list(body, out, depth);
                }
                Compound::Case { word, arms } => {
                    walk_word(word, out, depth);
                    for a in arms {
                        walk_list(&a.body, out, depth);
                    }
                }
                Compound::Cond(_) | Compound::Arith(_) => {}
            }
        }
        Command::Function { body, .. } => walk_command(body, out, depth + 1),
    }
}

fn walk_redirect(r: &Redirect, out: &mut Vec<CommandRef>, depth: usize) {
    match &r.target {
        RedirTarget::Word(w) => walk_word(w, out, depth),
        RedirTarget::Heredoc(cell) => {
            if let Some(doc) = cell.get() {
                walk_word(&doc.body, out, depth);
            }
        }
    }
}

fn walk_word(w: &Word, out: &mut Vec<CommandRef>, depth: usize) {
    walk_parts(&w.parts, out, depth);
}

fn walk_parts(parts: &[WordPart], out: &mut Vec<CommandRef>, depth: usize) {
    if depth > MAX_WALK_DEPTH {
        return;
    }
    for p in parts {
        match p {
            WordPart::CmdSub(l) | WordPart::ProcSub { list: l, .. } => walk_list(l, out, depth + 1),
            WordPart::Double(inner) => walk_parts(inner, out, depth + 1),
            WordPart::Arith(w) => walk_word(w, out, depth + 1),
            WordPart::Param(param) => match &param.op {
                ParamOp::Default { word, .. }
                | ParamOp::Assign { word, .. }
                | ParamOp::Alt { word, .. } => walk_word(word, out, depth + 1),
                _ => {}
            },
            _ => {}
        }
    }
}

/// The text of a word made only of literal and quoted parts.
fn literal_text(w: &Word) -> Option<String> {
    let mut s = String::new();
    for p in &w.parts {
        match p {
            WordPart::Lit(t) | WordPart::Escaped(t) | WordPart::Single(t) | WordPart::AnsiC(t) => {
                s.push_str(t)
            }
            WordPart::Double(inner) => {
                for q in inner {
                    match q {
                        WordPart::Lit(t) => s.push_str(t),
                        _ => return None,
                    }
                }
            }
            _ => return None,
        }
    }
    Some(s)
}

/// Commands run by wrappers: `env A=1 cmd`, `xargs cmd`, `gosu user cmd`,
/// `find … -exec cmd`, `nice cmd`, `sudo cmd` …
fn wrapped_commands(words: &[Option<String>]) -> Vec<String> {
    let Some(Some(first)) = words.first() else {
        return Vec::new();
    };
    let base = first.rsplit('/').next().unwrap_or(first);
    let mut out = Vec::new();
    let after_options = |skip_first_operand: bool| -> Option<String> {
        let mut skipped = !skip_first_operand;
        for w in words.iter().skip(1) {
            let w = w.as_ref()?;
            if w.starts_with('-') || w.contains('=') {
                continue;
            }
            if !skipped {
                skipped = true;
                continue;
            }
            return Some(w.clone());
        }
        None
    };
    match base {
        "env" | "xargs" | "nice" | "nohup" | "time" | "sudo" | "exec" | "command" | "builtin"
        | "stdbuf" | "setsid" | "tini" => {
            if let Some(c) = after_options(false) {
                out.push(c);
            }
        }
        "gosu" | "su-exec" | "timeout" | "chroot" => {
            if let Some(c) = after_options(true) {
                out.push(c);
            }
        }
        "find" => {
            for (i, w) in words.iter().enumerate() {
                if matches!(w.as_deref(), Some("-exec") | Some("-execdir") | Some("-ok")) {
                    if let Some(Some(c)) = words.get(i + 1) {
                        out.push(c.clone());
                    }
                }
            }
        }
        _ => {}
    }
    out.retain(|c| !c.is_empty() && !c.starts_with('{'));
    out
}

fn collect_functions(list: &List, out: &mut BTreeSet<String>, depth: usize) {
    if depth > MAX_WALK_DEPTH {
        return;
    }
    for item in list {
        let ao = &item.and_or;
        for p in std::iter::once(&ao.first).chain(ao.rest.iter().map(|(_, p)| p)) {
            for c in &p.commands {
                collect_in_command(c, out, depth + 1);
            }
        }
    }
}

fn collect_in_command(c: &Command, out: &mut BTreeSet<String>, depth: usize) {
    match c {
        Command::Function { name, body, .. } => {
            out.insert(name.clone());
            collect_in_command(body, out, depth + 1);
        }
        Command::Compound { body, .. } => match body.as_ref() {
            Compound::Brace(l) | Compound::Subshell(l) => collect_functions(l, out, depth),
            Compound::If {
                branches,
                else_body,
            } => {
                for (a, b) in branches {
                    collect_functions(a, out, depth);
                    collect_functions(b, out, depth);
                }
                if let Some(e) = else_body {
                    collect_functions(e, out, depth);
                }
            }
            Compound::For { body, .. } | Compound::ArithFor { body, .. } => {
                collect_functions(body, out, depth)
            }
            Compound::While { cond, body, .. } => {
                collect_functions(cond, out, depth);
                collect_functions(body, out, depth);
            }
            Compound::Case { arms, .. } => arms
                .iter()
                .for_each(|a| collect_functions(&a.body, out, depth)),
            _ => {}
        },
        Command::Simple(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_commands_wrappers_and_substitutions() {
        let script = "set -e; x=$(uname -m); env A=1 make install && find . -exec strip {} + | xargs -r gzip; f() { :; }; f";
        let names: Vec<String> = commands(script, Dialect::Dash)
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(
            names,
            ["set", "uname", "env", "make", "find", "strip", "xargs", "gzip", ":", "f"]
        );
        let funcs = functions(script, Dialect::Dash);
        let reg = Registry::standard();
        assert_eq!(
            classify("frobnicate", &reg, &funcs),
            CommandKind::NotSimulated
        );
        assert_eq!(classify("./configure", &reg, &funcs), CommandKind::File);
        assert_eq!(classify("/usr/bin/env", &reg, &funcs), CommandKind::Program);
        assert_eq!(classify("cd", &reg, &funcs), CommandKind::Builtin);
        assert_eq!(classify("f", &reg, &funcs), CommandKind::Function);
    }
}
