//! Word expansion, in POSIX order: (bash brace expansion,) tilde, parameter, command
//! substitution and arithmetic; then field splitting on `IFS`, pathname expansion and
//! quote removal.
//!
//! Invariants: quoted text never splits or globs; `"$@"` yields one field per
//! parameter (none when there are none); every produced value is checked against the
//! value budget, so `x=$x$x` in a loop stops instead of exhausting memory.

use super::arith::{self, ArithVars};
use super::ast::*;
use super::fs::{self, FileKind};
use super::interp::{AssignVal, Ex, Flow, Interp};
use super::parser;
use super::pattern::{has_glob_chars, Pattern};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Quoted: literal, never split or globbed.
    Quoted,
    /// Unquoted text from the source: globbed, not split.
    Lit,
    /// Unquoted result of an expansion: split and globbed.
    Exp,
}

#[derive(Debug, Clone)]
struct Piece {
    text: String,
    kind: Kind,
}

#[derive(Debug, Clone, Default)]
struct Partial {
    pieces: Vec<Piece>,
    quoted: bool,
}

impl Partial {
    fn text(&self) -> String {
        self.pieces.iter().map(|p| p.text.as_str()).collect()
    }
    fn marked(&self) -> Vec<(char, bool)> {
        self.pieces
            .iter()
            .flat_map(|p| p.text.chars().map(move |c| (c, p.kind != Kind::Quoted)))
            .collect()
    }
}

#[derive(Debug, Default)]
struct Fields {
    done: Vec<Partial>,
    cur: Partial,
}

impl Fields {
    fn push(&mut self, text: &str, kind: Kind) {
        if kind == Kind::Quoted {
            self.cur.quoted = true;
        }
        if !text.is_empty() {
            self.cur.pieces.push(Piece {
                text: text.to_string(),
                kind,
            });
        }
    }
    fn brk(&mut self) {
        let p = std::mem::take(&mut self.cur);
        self.done.push(p);
    }
    fn finish(mut self) -> Vec<Partial> {
        self.brk();
        self.done
    }
    fn len(&self) -> usize {
        self.done
            .iter()
            .chain(std::iter::once(&self.cur))
            .flat_map(|p| p.pieces.iter())
            .map(|p| p.text.len())
            .sum()
    }
}

/// Maximum number of words one brace expansion may produce.
const MAX_BRACE_WORDS: usize = 4096;
/// Maximum number of paths a glob may return.
const MAX_GLOB_RESULTS: usize = 100_000;

impl Interp<'_> {
    // ------------------------------------------------------------ entry points

    /// Expands words into fields (splitting and globbing).
    pub fn expand_fields(&mut self, words: &[Word]) -> Ex<Vec<String>> {
        let mut out = Vec::new();
        for w in words {
            if self.st.dialect.full_bash() {
                for bw in brace_expand(w) {
                    self.expand_one_fields(&bw, &mut out)?;
                }
            } else {
                self.expand_one_fields(w, &mut out)?;
            }
        }
        Ok(out)
    }

    fn expand_one_fields(&mut self, w: &Word, out: &mut Vec<String>) -> Ex<()> {
        let mut f = Fields::default();
        self.expand_parts(&w.parts, false, true, &mut f)?;
        let ifs = self.ifs();
        for partial in f.finish() {
            for field in split_fields(partial, &ifs) {
                if !self.st.opts.noglob {
                    let marked = field.marked();
                    if has_glob_chars(&marked) {
                        let matches = self.glob(&marked)?;
                        if !matches.is_empty() {
                            out.extend(matches);
                            continue;
                        }
                    }
                }
                out.push(field.text());
            }
        }
        Ok(())
    }

    /// Expands a word to one string: no splitting, no globbing (`"$@"` joins with
    /// spaces). Used for assignments, redirection targets, `case` subjects.
    pub fn expand_string(&mut self, w: &Word) -> Ex<String> {
        let mut f = Fields::default();
        self.expand_parts(&w.parts, false, true, &mut f)?;
        let parts: Vec<String> = f.finish().iter().map(Partial::text).collect();
        Ok(parts.join(" "))
    }

    /// Expands a word as a pattern: quoted characters literal.
    pub fn expand_pattern(&mut self, w: &Word) -> Ex<Pattern> {
        let mut f = Fields::default();
        self.expand_parts(&w.parts, false, true, &mut f)?;
        let mut marked = Vec::new();
        for (i, p) in f.finish().iter().enumerate() {
            if i > 0 {
                marked.push((' ', false));
            }
            marked.extend(p.marked());
        }
        Ok(Pattern::from_marked(&marked))
    }

    /// Expands the regex of `[[ =~ ]]`: quoted characters match literally.
    pub fn expand_regex(&mut self, w: &Word) -> Ex<String> {
        let mut f = Fields::default();
        self.expand_parts(&w.parts, false, true, &mut f)?;
        let mut out = String::new();
        for p in f.finish() {
            for (c, active) in p.marked() {
                if !active && "\\.[]*^$+?(){}|".contains(c) {
                    out.push('\\');
                }
                out.push(c);
            }
        }
        Ok(out)
    }

    pub(crate) fn expand_assign(&mut self, a: &Assign) -> Ex<AssignVal> {
        match &a.value {
            AssignValue::Scalar(w) => {
                let mut f = Fields::default();
                self.expand_parts_assign(&w.parts, &mut f)?;
                let parts: Vec<String> = f.finish().iter().map(Partial::text).collect();
                Ok(AssignVal::Scalar(parts.join(" ")))
            }
            AssignValue::Array(words) => Ok(AssignVal::Array(self.expand_fields(words)?)),
        }
    }

    /// Assignment values: tilde expansion also after `=` and each `:`.
    fn expand_parts_assign(&mut self, parts: &[WordPart], f: &mut Fields) -> Ex<()> {
        for (i, part) in parts.iter().enumerate() {
            match part {
                WordPart::Lit(s) if s.contains('~') => {
                    let segs: Vec<&str> = s.split(':').collect();
                    for (k, seg) in segs.iter().enumerate() {
                        if k > 0 {
                            f.push(":", Kind::Quoted);
                        }
                        let at_start = k > 0 || i == 0;
                        let terminated =
                            seg.contains('/') || k + 1 < segs.len() || i + 1 == parts.len();
                        if at_start && seg.starts_with('~') && terminated {
                            let end = seg.find('/').unwrap_or(seg.len());
                            if let Some(home) = self.tilde(&seg[1..end]) {
                                f.push(&home, Kind::Quoted);
                                f.push(&seg[end..], Kind::Quoted);
                                continue;
                            }
                        }
                        f.push(seg, Kind::Quoted);
                    }
                }
                _ => self.expand_parts(std::slice::from_ref(part), true, false, f)?,
            }
        }
        Ok(())
    }

    fn ifs(&self) -> Option<String> {
        self.st.vars.value("IFS").map(str::to_string)
    }

    // ------------------------------------------------------------ parts

    /// Expands `parts` into `f`. `quoted`: inside double quotes. `word_start`: the first
    /// part may begin with a tilde prefix.
    fn expand_parts(
        &mut self,
        parts: &[WordPart],
        quoted: bool,
        word_start: bool,
        f: &mut Fields,
    ) -> Ex<()> {
        for (i, part) in parts.iter().enumerate() {
            match part {
                WordPart::Lit(s) => {
                    if quoted {
                        f.push(s, Kind::Quoted);
                    } else if i == 0 && word_start && s.starts_with('~') {
                        let end = s.find('/').unwrap_or(s.len());
                        let name = &s[1..end];
                        let followed_ok = end < s.len() || parts.len() == 1;
                        match self.tilde(name) {
                            Some(home) if followed_ok => {
                                f.push(&home, Kind::Quoted);
                                f.push(&s[end..], Kind::Lit);
                            }
                            _ => f.push(s, Kind::Lit),
                        }
                    } else {
                        f.push(s, Kind::Lit);
                    }
                }
                WordPart::Escaped(s) | WordPart::Single(s) | WordPart::AnsiC(s) => {
                    f.push(s, Kind::Quoted);
                }
                WordPart::Double(inner) => {
                    let only_at = !inner.is_empty()
                        && inner.iter().all(|p| {
                            matches!(p, WordPart::Param(pp) if pp.name == ParamName::Special('@') && pp.op == ParamOp::Plain && pp.index.is_none())
                        });
                    if !(only_at && self.st.positional.is_empty()) {
                        f.cur.quoted = true;
                    }
                    self.expand_parts(inner, true, false, f)?;
                }
                WordPart::Param(p) => self.expand_param(p, quoted, f)?,
                WordPart::CmdSub(list) => {
                    let text = self.command_subst(list)?;
                    f.push(&text, if quoted { Kind::Quoted } else { Kind::Exp });
                }
                WordPart::ArrayLit(items) => {
                    let values = self.expand_fields(items)?;
                    let mut text = String::from(ARRAY_MARK);
                    text.push_str(&values.join(&ARRAY_SEP.to_string()));
                    f.push(&text, Kind::Quoted);
                }
                WordPart::ProcSub { list, output } => {
                    let path = self.process_subst(list, *output)?;
                    f.push(&path, Kind::Quoted);
                }
                WordPart::Arith(w) => {
                    let v = self.eval_arith_word(w)?;
                    f.push(
                        &v.to_string(),
                        if quoted { Kind::Quoted } else { Kind::Exp },
                    );
                }
            }
            self.budget.value(f.len())?;
        }
        Ok(())
    }

    fn tilde(&mut self, user: &str) -> Option<String> {
        if user.is_empty() {
            return Some(
                self.st
                    .vars
                    .value("HOME")
                    .map(str::to_string)
                    .unwrap_or_else(|| self.home_of_uid(self.st.cred.uid)),
            );
        }
        let passwd = self.fs.read_file("/etc/passwd").ok()?;
        let text = String::from_utf8_lossy(passwd.bytes()?).into_owned();
        text.lines().find_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f.first() == Some(&user)).then(|| f.get(5).unwrap_or(&"/").to_string())
        })
    }

    pub fn home_of_uid(&mut self, uid: u32) -> String {
        if let Ok(c) = self.fs.read_file("/etc/passwd") {
            if let Some(b) = c.bytes() {
                for l in String::from_utf8_lossy(b).lines() {
                    let f: Vec<&str> = l.split(':').collect();
                    if f.get(2).and_then(|s| s.parse::<u32>().ok()) == Some(uid) {
                        return f.get(5).unwrap_or(&"/").to_string();
                    }
                }
            }
        }
        if uid == 0 {
            "/root".to_string()
        } else {
            "/".to_string()
        }
    }

    // ------------------------------------------------------------ parameters

    /// The value of a parameter, `None` if unset.
    pub fn param_value(&mut self, name: &ParamName) -> Option<String> {
        match name {
            ParamName::Var(n) => match n.as_str() {
                "RANDOM" if self.st.vars.get("RANDOM").is_none() => {
                    Some((self.rand() % 32768).to_string())
                }
                "LINENO" => Some(self.lineno().to_string()),
                "SECONDS" if self.st.vars.get("SECONDS").is_none() => Some("0".to_string()),
                "PPID" if self.st.vars.get("PPID").is_none() => Some("1".to_string()),
                "UID" | "EUID"
                    if self.st.dialect == Dialect::Bash && self.st.vars.get(n).is_none() =>
                {
                    Some(self.st.cred.uid.to_string())
                }
                "HOSTNAME" if self.st.dialect == Dialect::Bash && self.st.vars.get(n).is_none() => {
                    Some(self.cfg.hostname.clone())
                }
                _ => self.st.vars.value(n).map(str::to_string),
            },
            ParamName::Positional(0) => Some(self.st.arg0.clone()),
            ParamName::Positional(i) => self.st.positional.get(i - 1).cloned(),
            ParamName::Special(c) => match c {
                '#' => Some(self.st.positional.len().to_string()),
                '?' => Some(self.st.last_status.to_string()),
                '-' => Some(self.st.opts.flags()),
                '$' => Some(self.st.pid.to_string()),
                '!' => self.st.last_bg.map(|p| p.to_string()),
                '@' | '*' => {
                    if self.st.positional.is_empty() {
                        None
                    } else {
                        Some(self.st.positional.join(" "))
                    }
                }
                _ => None,
            },
        }
    }

    fn param_display(name: &ParamName) -> String {
        match name {
            ParamName::Var(n) => n.clone(),
            ParamName::Positional(i) => i.to_string(),
            ParamName::Special(c) => c.to_string(),
        }
    }

    fn unset_error(&mut self, name: &ParamName) -> Ex<()> {
        let n = Self::param_display(name);
        let msg = match self.st.dialect {
            Dialect::Bash => format!("{n}: unbound variable"),
            _ => format!("{n}: parameter not set"),
        };
        self.shell_error(&msg)?;
        Err(Flow::Exit(if self.st.dialect == Dialect::Bash {
            1
        } else {
            2
        }))
    }

    fn array_values(&mut self, p: &Param) -> Ex<Option<Vec<String>>> {
        let Some(idx) = &p.index else { return Ok(None) };
        let ParamName::Var(n) = &p.name else {
            return Ok(None);
        };
        let key = self.expand_string(idx)?;
        let var = self.st.vars.get(n).cloned();
        let elems = match &var {
            Some(v) => v.array.clone().unwrap_or_else(|| vec![v.value.clone()]),
            None => Vec::new(),
        };
        if key == "@" || key == "*" {
            return Ok(Some(elems));
        }
        let i = arith::eval(&key, &mut ArithCtx { sh: self }).unwrap_or(0);
        let i = if i < 0 { elems.len() as i64 + i } else { i };
        Ok(Some(
            usize::try_from(i)
                .ok()
                .and_then(|i| elems.get(i).cloned())
                .into_iter()
                .collect(),
        ))
    }

    fn expand_param(&mut self, p: &Param, quoted: bool, f: &mut Fields) -> Ex<()> {
        self.check_stack()?;
        let kind = if quoted { Kind::Quoted } else { Kind::Exp };
        let is_at = matches!(p.name, ParamName::Special('@') | ParamName::Special('*'));
        let array = self.array_values(p)?;
        let array_all = array.is_some()
            && p.index
                .as_ref()
                .and_then(|w| w.as_literal())
                .is_some_and(|s| s == "@" || s == "*");
        if p.op == ParamOp::Keys {
            let n = match &p.name {
                ParamName::Var(v) => match self.st.vars.get(v) {
                    Some(var) => var.array.as_ref().map(Vec::len).unwrap_or(1),
                    None => 0,
                },
                _ => 0,
            };
            for i in 0..n {
                if i > 0 {
                    f.brk();
                }
                f.push(&i.to_string(), kind);
            }
            return Ok(());
        }
        let slice = matches!(p.op, ParamOp::Substr { .. }) && (is_at || array_all);
        // `$@`, `$*`, `${a[@]}` (and their slices): several fields.
        if (is_at || array_all) && (p.op == ParamOp::Plain || slice) {
            let mut items = match &array {
                Some(a) => a.clone(),
                None => self.st.positional.clone(),
            };
            if let ParamOp::Substr { offset, length } = &p.op {
                let n = items.len() as i64;
                let off_text = self.expand_string(offset)?;
                let mut off = self.arith_str(&off_text)?;
                if is_at && array.is_none() {
                    // `${@:1}` counts from $1; `${@:0}` includes $0
                    if off == 0 {
                        items.insert(0, self.st.arg0.clone());
                    } else {
                        off -= 1;
                    }
                }
                let n = if items.len() as i64 > n {
                    items.len() as i64
                } else {
                    n
                };
                if off < 0 {
                    off = (n + off).max(0);
                }
                let start = off.min(n) as usize;
                let end = match length {
                    Some(l) => {
                        let lt = self.expand_string(l)?;
                        let len = self.arith_str(&lt)?.max(0);
                        (start + len as usize).min(items.len())
                    }
                    None => items.len(),
                };
                items = items
                    .get(start..end.max(start))
                    .map(<[String]>::to_vec)
                    .unwrap_or_default();
            }
            let star = matches!(p.name, ParamName::Special('*'))
                || p.index.as_ref().and_then(|w| w.as_literal()) == Some("*");
            if quoted && star {
                let sep = match self.ifs() {
                    Some(s) => s.chars().next().map(String::from).unwrap_or_default(),
                    None => " ".to_string(),
                };
                f.push(&items.join(&sep), Kind::Quoted);
            } else {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.brk();
                    }
                    f.push(item, kind);
                }
            }
            return Ok(());
        }
        let value = match &array {
            Some(a) => {
                if array_all {
                    (!a.is_empty()).then(|| a.join(" "))
                } else {
                    a.first().cloned()
                }
            }
            None => self.param_value(&p.name),
        };
        let value = if let ParamOp::Indirect = p.op {
            match value {
                Some(target) if parser::is_name(&target) => {
                    self.st.vars.value(&target).map(str::to_string)
                }
                Some(target) => match target.parse::<usize>() {
                    Ok(n) => self.param_value(&ParamName::Positional(n)),
                    Err(_) => None,
                },
                None => None,
            }
        } else {
            value
        };
        let checks_set = matches!(
            p.op,
            ParamOp::Default { .. }
                | ParamOp::Assign { .. }
                | ParamOp::Error { .. }
                | ParamOp::Alt { .. }
        );
        if value.is_none() && self.st.opts.nounset && !checks_set && !is_at {
            if let ParamOp::Length = p.op {
                if array.is_some() {
                    f.push("0", kind);
                    return Ok(());
                }
            }
            self.unset_error(&p.name)?;
        }
        let null =
            |v: &Option<String>, colon: bool| v.is_none() || (colon && v.as_deref() == Some(""));
        match &p.op {
            ParamOp::Plain | ParamOp::Indirect | ParamOp::Keys => {
                if let Some(v) = value {
                    f.push(&v, kind);
                }
            }
            ParamOp::Length => {
                let n = if array_all {
                    array.as_ref().map(Vec::len).unwrap_or(0)
                } else if is_at {
                    self.st.positional.len()
                } else {
                    value.as_deref().unwrap_or("").chars().count()
                };
                f.push(&n.to_string(), kind);
            }
            ParamOp::Default { colon, word } => {
                if null(&value, *colon) {
                    self.expand_parts(&word.parts, quoted, false, f)?;
                } else if let Some(v) = value {
                    f.push(&v, kind);
                }
            }
            ParamOp::Alt { colon, word } => {
                if !null(&value, *colon) {
                    self.expand_parts(&word.parts, quoted, false, f)?;
                }
            }
            ParamOp::Assign { colon, word } => {
                if null(&value, *colon) {
                    let v = self.expand_string(word)?;
                    match &p.name {
                        ParamName::Var(n) => self.set_var(n, v.clone())?,
                        other => {
                            let n = Self::param_display(other);
                            self.shell_error(&format!("{n}: bad variable name"))?;
                            return Err(Flow::Exit(2));
                        }
                    }
                    f.push(&v, kind);
                } else if let Some(v) = value {
                    f.push(&v, kind);
                }
            }
            ParamOp::Error { colon, word } => {
                if null(&value, *colon) {
                    let msg = match word {
                        Some(w) => self.expand_string(w)?,
                        None if *colon && self.st.dialect != Dialect::Bash => {
                            "parameter not set or null".to_string()
                        }
                        None if *colon => "parameter null or not set".to_string(),
                        None => "parameter not set".to_string(),
                    };
                    let n = Self::param_display(&p.name);
                    self.shell_error(&format!("{n}: {msg}"))?;
                    return Err(Flow::Exit(if self.st.dialect == Dialect::Bash {
                        1
                    } else {
                        2
                    }));
                } else if let Some(v) = value {
                    f.push(&v, kind);
                }
            }
            ParamOp::TrimPrefix { longest, pattern } | ParamOp::TrimSuffix { longest, pattern } => {
                let v = value.unwrap_or_default();
                let pat = self.expand_pattern(pattern)?;
                let chars: Vec<char> = v.chars().collect();
                let out: String = if matches!(p.op, ParamOp::TrimPrefix { .. }) {
                    match pat.match_prefix(&chars, *longest) {
                        Some(n) => chars[n..].iter().collect(),
                        None => v,
                    }
                } else {
                    match pat.match_suffix(&chars, *longest) {
                        Some(n) => chars[..chars.len() - n].iter().collect(),
                        None => v,
                    }
                };
                f.push(&out, kind);
            }
            ParamOp::Replace {
                mode,
                pattern,
                with,
            } => {
                let v = value.unwrap_or_default();
                let pat = self.expand_pattern(pattern)?;
                let rep = match with {
                    Some(w) => self.expand_string(w)?,
                    None => String::new(),
                };
                let out = replace(&v, &pat, &rep, *mode);
                self.budget.value(out.len())?;
                f.push(&out, kind);
            }
            ParamOp::Substr { offset, length } => {
                let v = value.unwrap_or_default();
                let chars: Vec<char> = v.chars().collect();
                let n = chars.len() as i64;
                let off_text = self.expand_string(offset)?;
                let mut off = self.arith_str(&off_text)?;
                if off < 0 {
                    off = (n + off).max(0);
                }
                let off = off.min(n);
                let end = match length {
                    Some(l) => {
                        let lt = self.expand_string(l)?;
                        let len = self.arith_str(&lt)?;
                        if len < 0 {
                            (n + len).max(off)
                        } else {
                            (off + len).min(n)
                        }
                    }
                    None => n,
                };
                let out: String = chars[off as usize..end.max(off) as usize].iter().collect();
                f.push(&out, kind);
            }
            ParamOp::Case { upper, all } => {
                let v = value.unwrap_or_default();
                let out: String = if *all {
                    if *upper {
                        v.to_uppercase()
                    } else {
                        v.to_lowercase()
                    }
                } else {
                    let mut c = v.chars();
                    match c.next() {
                        Some(first) => {
                            let head: String = if *upper {
                                first.to_uppercase().collect()
                            } else {
                                first.to_lowercase().collect()
                            };
                            head + c.as_str()
                        }
                        None => String::new(),
                    }
                };
                f.push(&out, kind);
            }
        }
        Ok(())
    }

    // ------------------------------------------------------------ substitutions

    /// Runs `list` in a subshell and returns its output without trailing newlines.
    pub fn command_subst(&mut self, list: &List) -> Ex<String> {
        let buf = std::rc::Rc::new(std::cell::RefCell::new(super::io::StreamData::default()));
        let b2 = std::rc::Rc::clone(&buf);
        let span = self.cur_span;
        let status = self.subshell(move |sh| {
            sh.fds.set(1, Some(super::io::Fd::Pipe(b2)));
            sh.exec_list(list)
        })?;
        self.cur_span = span;
        self.st.subst_status = Some(status);
        let data = std::mem::take(&mut *buf.borrow_mut());
        let mut text = String::from_utf8_lossy(&data.bytes).into_owned();
        while text.ends_with('\n') {
            text.pop();
        }
        Ok(text)
    }

    /// `<(list)`: runs the list now and serves its output at a `/dev/fd/N` path;
    /// `>(list)`: a path whose writes are discarded (the list runs with empty input).
    pub fn process_subst(&mut self, list: &List, output: bool) -> Ex<String> {
        let path = format!(
            "/dev/fd/{}",
            63usize.saturating_sub(self.procsubs.len()).max(3)
        );
        if output {
            self.subshell(|sh| {
                sh.fds.set(
                    0,
                    Some(super::io::Fd::Input(super::io::Input::new(
                        super::io::StreamData::default(),
                    ))),
                );
                sh.exec_list(list)
            })?;
            self.procsubs.insert(path.clone(), Vec::new());
            return Ok(path);
        }
        let buf = std::rc::Rc::new(std::cell::RefCell::new(super::io::StreamData::default()));
        let b2 = std::rc::Rc::clone(&buf);
        let span = self.cur_span;
        self.subshell(move |sh| {
            sh.fds.set(1, Some(super::io::Fd::Pipe(b2)));
            sh.exec_list(list)
        })?;
        self.cur_span = span;
        let data = std::mem::take(&mut *buf.borrow_mut());
        self.procsubs.insert(path.clone(), data.bytes);
        Ok(path)
    }

    pub fn eval_arith_word(&mut self, w: &Word) -> Ex<i64> {
        let mut f = Fields::default();
        self.expand_parts(&w.parts, true, false, &mut f)?;
        let text: String = f
            .finish()
            .iter()
            .map(Partial::text)
            .collect::<Vec<_>>()
            .join(" ");
        self.arith_str(&text)
    }

    pub fn arith_str(&mut self, text: &str) -> Ex<i64> {
        match arith::eval(text, &mut ArithCtx { sh: self }) {
            Ok(v) => Ok(v),
            Err(msg) => {
                let msg = if msg.starts_with("arithmetic expression: division by zero") {
                    format!("{msg}: \"{}\"", text.trim())
                } else {
                    msg
                };
                self.shell_error(&msg)?;
                Err(Flow::Exit(if self.st.dialect == Dialect::Bash {
                    1
                } else {
                    2
                }))
            }
        }
    }

    // ------------------------------------------------------------ globbing

    /// Pathname expansion: matching paths, sorted; empty if nothing matches.
    pub fn glob(&mut self, marked: &[(char, bool)]) -> Ex<Vec<String>> {
        let absolute = marked.first().map(|c| c.0) == Some('/');
        let mut comps: Vec<Vec<(char, bool)>> = vec![Vec::new()];
        for &c in marked {
            if c.0 == '/' {
                comps.push(Vec::new());
            } else if let Some(last) = comps.last_mut() {
                last.push(c);
            }
        }
        // candidates: (display path, absolute path)
        let mut cands: Vec<(String, String)> = if absolute {
            comps.remove(0);
            vec![("/".to_string(), "/".to_string())]
        } else {
            vec![(String::new(), self.st.cwd.clone())]
        };
        let n = comps.len();
        for (i, comp) in comps.iter().enumerate() {
            let last = i + 1 == n;
            if comp.is_empty() {
                // `a//b` or a trailing slash: keep directories only.
                cands.retain(|(_, abs)| self.fs.stat(abs).map(|m| m.is_dir()).unwrap_or(false));
                for (disp, _) in cands.iter_mut() {
                    if !disp.ends_with('/') {
                        disp.push('/');
                    }
                }
                continue;
            }
            let mut next = Vec::new();
            if !has_glob_chars(comp) {
                let name: String = comp.iter().map(|c| c.0).collect();
                for (disp, abs) in &cands {
                    let p = fs::child(abs, &name);
                    if self.fs.lstat(&p).is_ok() {
                        next.push((join_disp(disp, &name), p));
                    }
                }
            } else {
                let pat = Pattern::from_marked(comp);
                let dot_ok = pat.starts_with_dot();
                for (disp, abs) in &cands {
                    self.budget.steps(1)?;
                    let Ok(meta) = self.fs.stat(abs) else {
                        continue;
                    };
                    if meta.kind != FileKind::Dir {
                        continue;
                    }
                    let Ok(names) = self.fs.read_dir(abs) else {
                        continue;
                    };
                    for name in names {
                        if name.starts_with('.') && !dot_ok {
                            continue;
                        }
                        if pat.matches(&name) {
                            next.push((join_disp(disp, &name), fs::child(abs, &name)));
                            if next.len() > MAX_GLOB_RESULTS {
                                break;
                            }
                        }
                    }
                }
            }
            if !last {
                next.retain(|(_, abs)| self.fs.stat(abs).map(|m| m.is_dir()).unwrap_or(false));
            }
            cands = next;
            if cands.is_empty() {
                break;
            }
        }
        let mut out: Vec<String> = cands.into_iter().map(|(d, _)| d).collect();
        out.sort();
        Ok(out)
    }
}

fn join_disp(disp: &str, name: &str) -> String {
    if disp.is_empty() {
        name.to_string()
    } else if disp.ends_with('/') {
        format!("{disp}{name}")
    } else {
        format!("{disp}/{name}")
    }
}

/// Splits a partial field on `IFS` (unset: space, tab, newline).
fn split_fields(p: Partial, ifs: &Option<String>) -> Vec<Partial> {
    let ifs = ifs.as_deref().unwrap_or(" \t\n");
    if ifs.is_empty() || p.pieces.iter().all(|x| x.kind != Kind::Exp) {
        return if p.pieces.is_empty() && !p.quoted {
            Vec::new()
        } else {
            vec![p]
        };
    }
    let is_ws = |c: char| ifs.contains(c) && matches!(c, ' ' | '\t' | '\n');
    let mut out = Vec::new();
    let mut cur = Partial::default();
    let mut started = false;
    // after a whitespace delimiter: a following non-whitespace delimiter joins it
    let mut after_ws = false;
    for piece in p.pieces {
        if piece.kind != Kind::Exp {
            if piece.kind == Kind::Quoted {
                cur.quoted = true;
            }
            cur.pieces.push(piece);
            started = true;
            after_ws = false;
            continue;
        }
        let mut text = String::new();
        for c in piece.text.chars() {
            if ifs.contains(c) {
                if !text.is_empty() {
                    cur.pieces.push(Piece {
                        text: std::mem::take(&mut text),
                        kind: Kind::Exp,
                    });
                }
                if is_ws(c) {
                    if started {
                        out.push(std::mem::take(&mut cur));
                        started = false;
                        after_ws = true;
                    }
                } else if after_ws && !started {
                    after_ws = false;
                } else {
                    out.push(std::mem::take(&mut cur));
                    started = false;
                    after_ws = false;
                }
            } else {
                text.push(c);
                started = true;
                after_ws = false;
            }
        }
        if !text.is_empty() {
            cur.pieces.push(Piece {
                text,
                kind: Kind::Exp,
            });
        }
    }
    if started || cur.quoted {
        out.push(cur);
    }
    out
}

fn replace(v: &str, pat: &Pattern, rep: &str, mode: ReplaceMode) -> String {
    let chars: Vec<char> = v.chars().collect();
    match mode {
        ReplaceMode::Prefix => match pat.match_prefix(&chars, true) {
            Some(n) => format!("{rep}{}", chars[n..].iter().collect::<String>()),
            None => v.to_string(),
        },
        ReplaceMode::Suffix => match pat.match_suffix(&chars, true) {
            Some(n) => format!(
                "{}{rep}",
                chars[..chars.len() - n].iter().collect::<String>()
            ),
            None => v.to_string(),
        },
        ReplaceMode::First | ReplaceMode::All => {
            let mut out = String::new();
            let mut i = 0;
            // one budget for the whole replacement keeps it linear-ish in practice
            let mut work: usize = 20_000_000;
            while i <= chars.len() {
                match pat.find_bounded(&chars, i, &mut work) {
                    Some((s, e)) if e > s => {
                        out.extend(&chars[i..s]);
                        out.push_str(rep);
                        i = e;
                        if mode == ReplaceMode::First {
                            break;
                        }
                    }
                    _ => break,
                }
            }
            if i <= chars.len() {
                out.extend(&chars[i..]);
            }
            out
        }
    }
}

/// Bash brace expansion on the literal parts of a word: `a{b,c}d`, `{1..3}`.
fn brace_expand(w: &Word) -> Vec<Word> {
    let mut out = vec![w.clone()];
    let mut guard = 0;
    loop {
        guard += 1;
        let mut changed = false;
        let mut next = Vec::new();
        for word in out {
            match expand_first_brace(&word) {
                Some(words) => {
                    changed = true;
                    next.extend(words);
                }
                None => next.push(word),
            }
            if next.len() > MAX_BRACE_WORDS {
                break;
            }
        }
        out = next;
        if !changed || guard > 32 || out.len() > MAX_BRACE_WORDS {
            return out;
        }
    }
}

fn expand_first_brace(w: &Word) -> Option<Vec<Word>> {
    for (pi, part) in w.parts.iter().enumerate() {
        let WordPart::Lit(s) = part else { continue };
        let b = s.as_bytes();
        for (open, &c) in b.iter().enumerate() {
            if c != b'{' {
                continue;
            }
            // find matching close with depth
            let mut depth = 0;
            let mut close = None;
            for (j, &d) in b.iter().enumerate().skip(open) {
                if d == b'{' {
                    depth += 1;
                } else if d == b'}' {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(j);
                        break;
                    }
                }
            }
            let close = close?;
            let inner = &s[open + 1..close];
            let alts = brace_alternatives(inner)?;
            let words = alts
                .into_iter()
                .map(|alt| {
                    let mut parts = w.parts.clone();
                    parts[pi] = WordPart::Lit(format!("{}{}{}", &s[..open], alt, &s[close + 1..]));
                    Word {
                        parts,
                        span: w.span,
                    }
                })
                .collect();
            return Some(words);
        }
    }
    None
}

fn brace_alternatives(inner: &str) -> Option<Vec<String>> {
    // sequence {a..b}
    if let Some((a, b)) = inner.split_once("..") {
        if let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) {
            if (x - y).abs() > MAX_BRACE_WORDS as i64 {
                return None;
            }
            let v: Vec<String> = if x <= y {
                (x..=y).map(|n| n.to_string()).collect()
            } else {
                (y..=x).rev().map(|n| n.to_string()).collect()
            };
            return Some(v);
        }
        let (ca, cb) = (a.chars().collect::<Vec<_>>(), b.chars().collect::<Vec<_>>());
        if ca.len() == 1
            && cb.len() == 1
            && ca[0].is_ascii_alphabetic()
            && cb[0].is_ascii_alphabetic()
        {
            let (x, y) = (ca[0] as u8, cb[0] as u8);
            let v: Vec<String> = if x <= y {
                (x..=y).map(|c| (c as char).to_string()).collect()
            } else {
                (y..=x).rev().map(|c| (c as char).to_string()).collect()
            };
            return Some(v);
        }
        return None;
    }
    let mut alts = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for c in inner.chars() {
        match c {
            '{' => {
                depth += 1;
                cur.push(c);
            }
            '}' => {
                depth -= 1;
                cur.push(c);
            }
            ',' if depth == 0 => alts.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    alts.push(cur);
    (alts.len() > 1).then_some(alts)
}

/// Arithmetic variables backed by the shell.
pub(crate) struct ArithCtx<'x, 'a> {
    pub sh: &'x mut Interp<'a>,
}

impl ArithVars for ArithCtx<'_, '_> {
    fn get(&mut self, name: &str) -> Option<String> {
        self.sh.param_value(&ParamName::Var(name.to_string()))
    }
    fn set(&mut self, name: &str, value: i64) -> Result<(), String> {
        if self.sh.st.vars.get(name).is_some_and(|v| v.readonly) {
            return Err(format!("{name}: is read only"));
        }
        self.sh.st.vars.set(name, value.to_string());
        Ok(())
    }
}
