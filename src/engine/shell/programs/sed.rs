//! `sed`: addresses (line, `$`, `/re/`, ranges, `first~step`, `!`), the commands scripts
//! use (`s y d D p P n N q Q a i c = { } h H g G x b t T : r w l z`), GNU extensions
//! (`-E`, `-i`, `\L\U\E` in replacements, `0,/re/`), and `-n -e -f -s`.
//!
//! Invariant: every input line costs a step; branch loops are bounded by the step budget.

use super::{Opts, PResult, ProgResult, ProgramCtx, Registry};
use crate::engine::shell::fs::{Content, Data};
use crate::engine::shell::regex::Regex;

pub fn register(r: &mut Registry) {
    r.register("sed", sed);
}

#[derive(Debug, Clone)]
enum Addr {
    Line(usize),
    Last,
    Re(Option<Regex>),
    Step(usize, usize),
    Zero,
}

#[derive(Debug, Clone)]
enum Addr2 {
    Addr(Addr),
    Plus(usize),
    Mult(usize),
}

#[derive(Debug, Clone)]
enum Repl {
    Lit(String),
    Group(usize),
    CaseUpper,
    CaseLower,
    CaseEnd,
    OneUpper,
    OneLower,
}

#[derive(Debug, Clone)]
enum Cmd {
    Block(usize),
    EndBlock,
    Subst {
        re: Option<Regex>,
        repl: Vec<Repl>,
        global: bool,
        nth: usize,
        print: bool,
        write: Option<String>,
    },
    Trans(Vec<char>, Vec<char>),
    Delete,
    DeleteFirst,
    Print,
    PrintFirst,
    Next,
    NextAppend,
    Quit(i32, bool),
    Append(String),
    Insert(String),
    Change(String),
    LineNo,
    Hold,
    HoldAppend,
    Get,
    GetAppend,
    Exchange,
    Branch(String),
    BranchIf(String, bool),
    Label(String),
    ReadFile(String),
    WriteFile(String),
    List,
    Zap,
    Nop,
}

#[derive(Debug, Clone)]
struct Inst {
    a1: Option<Addr>,
    a2: Option<Addr2>,
    negate: bool,
    cmd: Cmd,
}

struct Parser<'a> {
    s: &'a [char],
    i: usize,
    ere: bool,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }
    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.i += 1;
        }
    }
    fn skip_ws_nl(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\n' | ';')) {
            self.i += 1;
        }
    }
    fn number(&mut self) -> Option<usize> {
        let st = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        if st == self.i {
            return None;
        }
        self.s[st..self.i].iter().collect::<String>().parse().ok()
    }

    /// Reads up to an unescaped `delim`; `\delim` becomes `delim`, `\n` newline (when
    /// `newline_escape`), other escapes stay.
    fn delimited(&mut self, delim: char, regex: bool) -> Result<String, String> {
        let mut out = String::new();
        let mut in_bracket = false;
        loop {
            let Some(c) = self.peek() else {
                return Err("unterminated `s' command".to_string());
            };
            self.i += 1;
            if regex && c == '[' && !in_bracket {
                in_bracket = true;
                out.push(c);
                if self.peek() == Some('^') {
                    out.push('^');
                    self.i += 1;
                }
                if self.peek() == Some(']') {
                    out.push(']');
                    self.i += 1;
                }
                continue;
            }
            if in_bracket {
                if c == ']' {
                    in_bracket = false;
                }
                out.push(c);
                continue;
            }
            if c == delim {
                return Ok(out);
            }
            if c == '\\' {
                match self.peek() {
                    Some(n) if n == delim => {
                        self.i += 1;
                        // an escaped delimiter is literal even if it is special
                        if regex && "/.*[]^$+?(){}|".contains(n) && n != '/' {
                            out.push('\\');
                        }
                        out.push(n);
                    }
                    Some('n') if regex => {
                        self.i += 1;
                        out.push('\n');
                    }
                    Some(n) => {
                        self.i += 1;
                        out.push('\\');
                        out.push(n);
                    }
                    None => out.push('\\'),
                }
                continue;
            }
            out.push(c);
        }
    }

    fn regex(&mut self, delim: char, flags_ok: bool) -> Result<Option<Regex>, String> {
        let src = self.delimited(delim, true)?;
        let mut icase = false;
        if flags_ok {
            while let Some(c) = self.peek() {
                if c == 'I' {
                    icase = true;
                    self.i += 1;
                } else if c == 'M' {
                    self.i += 1;
                } else {
                    break;
                }
            }
        }
        if src.is_empty() {
            return Ok(None); // reuse the last regex
        }
        Regex::new(&src, self.ere, icase)
            .map(Some)
            .map_err(|e| format!("-e expression #1, char {}: {e}", self.i))
    }

    fn addr(&mut self) -> Result<Option<Addr>, String> {
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                let n = self.number().unwrap_or(0);
                if self.peek() == Some('~') {
                    self.i += 1;
                    let step = self.number().unwrap_or(0);
                    return Ok(Some(Addr::Step(n, step)));
                }
                Ok(Some(if n == 0 { Addr::Zero } else { Addr::Line(n) }))
            }
            Some('$') => {
                self.i += 1;
                Ok(Some(Addr::Last))
            }
            Some('/') => {
                self.i += 1;
                Ok(Some(Addr::Re(self.regex('/', true)?)))
            }
            Some('\\') => {
                self.i += 1;
                let d = self.peek().ok_or("unexpected end")?;
                self.i += 1;
                Ok(Some(Addr::Re(self.regex(d, true)?)))
            }
            _ => Ok(None),
        }
    }

    /// Text for `a`, `i`, `c`: one-liner (GNU) or backslash-newline continued.
    fn text(&mut self) -> String {
        self.skip_ws();
        if self.peek() == Some('\\') {
            self.i += 1;
            if self.peek() == Some('\n') {
                self.i += 1;
            }
        }
        let mut out = String::new();
        while let Some(c) = self.peek() {
            self.i += 1;
            if c == '\\' {
                match self.peek() {
                    Some('\n') => {
                        self.i += 1;
                        out.push('\n');
                    }
                    Some('t') => {
                        self.i += 1;
                        out.push('\t');
                    }
                    Some(n) => {
                        self.i += 1;
                        out.push(n);
                    }
                    None => {}
                }
                continue;
            }
            if c == '\n' {
                break;
            }
            out.push(c);
        }
        out
    }

    fn label(&mut self) -> String {
        self.skip_ws();
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if c == '\n' || c == ';' || c == '}' {
                break;
            }
            out.push(c);
            self.i += 1;
        }
        out.trim().to_string()
    }

    fn filename(&mut self) -> String {
        self.skip_ws();
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if c == '\n' {
                break;
            }
            out.push(c);
            self.i += 1;
        }
        out
    }

    fn parse(&mut self) -> Result<Vec<Inst>, String> {
        let mut prog: Vec<Inst> = Vec::new();
        let mut blocks: Vec<usize> = Vec::new();
        loop {
            self.skip_ws_nl();
            let Some(_) = self.peek() else { break };
            if self.peek() == Some('#') {
                while self.peek().is_some_and(|c| c != '\n') {
                    self.i += 1;
                }
                continue;
            }
            let a1 = self.addr()?;
            let mut a2 = None;
            if a1.is_some() && self.peek() == Some(',') {
                self.i += 1;
                self.skip_ws();
                a2 = match self.peek() {
                    Some('+') => {
                        self.i += 1;
                        Some(Addr2::Plus(self.number().unwrap_or(0)))
                    }
                    Some('~') => {
                        self.i += 1;
                        Some(Addr2::Mult(self.number().unwrap_or(0)))
                    }
                    _ => self.addr()?.map(Addr2::Addr),
                };
                if a2.is_none() {
                    return Err("unexpected `,'".to_string());
                }
            }
            self.skip_ws();
            let mut negate = false;
            while self.peek() == Some('!') {
                negate = true;
                self.i += 1;
                self.skip_ws();
            }
            let Some(c) = self.peek() else {
                return Err("missing command".to_string());
            };
            self.i += 1;
            let cmd = match c {
                '{' => {
                    blocks.push(prog.len());
                    Cmd::Block(0)
                }
                '}' => {
                    let Some(open) = blocks.pop() else {
                        return Err("unexpected `}'".to_string());
                    };
                    let here = prog.len();
                    if let Some(Inst {
                        cmd: Cmd::Block(end),
                        ..
                    }) = prog.get_mut(open)
                    {
                        *end = here;
                    }
                    Cmd::EndBlock
                }
                's' => {
                    let d = self.peek().ok_or("unterminated `s' command")?;
                    self.i += 1;
                    let re = self.regex(d, false)?;
                    let rtext = self.delimited(d, false)?;
                    let repl = parse_repl(&rtext);
                    let (mut global, mut nth, mut print, mut icase, mut write) =
                        (false, 1usize, false, false, None);
                    loop {
                        match self.peek() {
                            Some('g') => global = true,
                            Some('p') => print = true,
                            Some('i') | Some('I') => icase = true,
                            Some('m') | Some('M') | Some('e') => {}
                            Some('w') => {
                                self.i += 1;
                                write = Some(self.filename());
                                break;
                            }
                            Some(c) if c.is_ascii_digit() => {
                                nth = self.number().unwrap_or(1).max(1);
                                continue;
                            }
                            _ => break,
                        }
                        self.i += 1;
                    }
                    let _ = icase; // recompiled by fix_icase
                    Cmd::Subst {
                        re,
                        repl,
                        global,
                        nth,
                        print,
                        write,
                    }
                }
                'y' => {
                    let d = self.peek().ok_or("unterminated `y' command")?;
                    self.i += 1;
                    let a: Vec<char> = unescape_y(&self.delimited(d, false)?);
                    let b: Vec<char> = unescape_y(&self.delimited(d, false)?);
                    if a.len() != b.len() {
                        return Err("strings for `y' command are different lengths".to_string());
                    }
                    Cmd::Trans(a, b)
                }
                'd' => Cmd::Delete,
                'D' => Cmd::DeleteFirst,
                'p' => Cmd::Print,
                'P' => Cmd::PrintFirst,
                'n' => Cmd::Next,
                'N' => Cmd::NextAppend,
                'q' | 'Q' => {
                    self.skip_ws();
                    let code = self.number().unwrap_or(0) as i32;
                    Cmd::Quit(code, c == 'q')
                }
                'a' => Cmd::Append(self.text()),
                'i' => Cmd::Insert(self.text()),
                'c' => Cmd::Change(self.text()),
                '=' => Cmd::LineNo,
                'h' => Cmd::Hold,
                'H' => Cmd::HoldAppend,
                'g' => Cmd::Get,
                'G' => Cmd::GetAppend,
                'x' => Cmd::Exchange,
                'b' => Cmd::Branch(self.label()),
                't' => Cmd::BranchIf(self.label(), true),
                'T' => Cmd::BranchIf(self.label(), false),
                ':' => {
                    let l = self.label();
                    if l.is_empty() {
                        return Err("\":\" lacks a label".to_string());
                    }
                    Cmd::Label(l)
                }
                'r' | 'R' => Cmd::ReadFile(self.filename()),
                'w' | 'W' => Cmd::WriteFile(self.filename()),
                'l' => Cmd::List,
                'z' => Cmd::Zap,
                'F' | 'e' | 'v' => Cmd::Nop,
                other => return Err(format!("unknown command: `{other}'")),
            };
            let opens_block = matches!(cmd, Cmd::Block(_));
            prog.push(Inst {
                a1,
                a2,
                negate,
                cmd,
            });
            self.skip_ws();
            if opens_block || self.peek() == Some('}') {
                continue;
            }
            match self.peek() {
                Some(';') | Some('\n') | None => {}
                Some('#') => {}
                Some(c) => return Err(format!("extra characters after command ({c})")),
            }
        }
        if !blocks.is_empty() {
            return Err("unmatched `{'".to_string());
        }
        Ok(prog)
    }
}

fn unescape_y(s: &str) -> Vec<char> {
    let mut out = Vec::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn parse_repl(s: &str) -> Vec<Repl> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        let part = match c {
            '&' => Repl::Group(0),
            '\\' => {
                let Some(escaped) = chars.next() else {
                    lit.push('\\');
                    continue;
                };
                match escaped_repl(escaped) {
                    Some(part) => part,
                    None => {
                        lit.push(match escaped {
                            'n' => '\n',
                            't' => '\t',
                            'r' => '\r',
                            other => other,
                        });
                        continue;
                    }
                }
            }
            _ => {
                lit.push(c);
                continue;
            }
        };
        if !lit.is_empty() {
            out.push(Repl::Lit(std::mem::take(&mut lit)));
        }
        out.push(part);
    }
    if !lit.is_empty() {
        out.push(Repl::Lit(lit));
    }
    out
}

/// What `\c` stands for in a replacement when it is not literal text: a group reference
/// (`\0`…`\9`) or a case conversion (`\U \L \E \u \l`).
fn escaped_repl(c: char) -> Option<Repl> {
    match c {
        '0'..='9' => Some(Repl::Group((c as u8 - b'0') as usize)),
        'U' => Some(Repl::CaseUpper),
        'L' => Some(Repl::CaseLower),
        'E' => Some(Repl::CaseEnd),
        'u' => Some(Repl::OneUpper),
        'l' => Some(Repl::OneLower),
        _ => None,
    }
}

fn expand_repl(repl: &[Repl], text: &str, caps: &[Option<(usize, usize)>]) -> String {
    let mut out = String::new();
    #[derive(PartialEq)]
    enum Case {
        None,
        Upper,
        Lower,
    }
    let mut case = Case::None;
    let mut one: Option<bool> = None;
    let push = |s: &str, out: &mut String, case: &Case, one: &mut Option<bool>| {
        for ch in s.chars() {
            let mut c: String = match case {
                Case::Upper => ch.to_uppercase().collect(),
                Case::Lower => ch.to_lowercase().collect(),
                Case::None => ch.to_string(),
            };
            if let Some(up) = one.take() {
                c = if up {
                    c.to_uppercase()
                } else {
                    c.to_lowercase()
                };
            }
            out.push_str(&c);
        }
    };
    for r in repl {
        match r {
            Repl::Lit(s) => push(s, &mut out, &case, &mut one),
            Repl::Group(k) => {
                if let Some(Some((a, b))) = caps.get(*k) {
                    push(&text[*a..*b], &mut out, &case, &mut one);
                }
            }
            Repl::CaseUpper => case = Case::Upper,
            Repl::CaseLower => case = Case::Lower,
            Repl::CaseEnd => case = Case::None,
            Repl::OneUpper => one = Some(true),
            Repl::OneLower => one = Some(false),
        }
    }
    out
}

struct Run<'p> {
    prog: &'p [Inst],
    /// For each instruction: whether a range is active, and its end line for `+N`.
    range: Vec<(bool, usize)>,
    last_re: Option<Regex>,
    quiet: bool,
}

struct Stream {
    lines: Vec<String>,
    /// Whether the last line had a trailing newline.
    trailing_nl: bool,
    pos: usize,
    line_no: usize,
}

impl Stream {
    fn next(&mut self) -> Option<String> {
        let l = self.lines.get(self.pos).cloned();
        if l.is_some() {
            self.pos += 1;
            self.line_no += 1;
        }
        l
    }
    fn is_last(&self) -> bool {
        self.pos >= self.lines.len()
    }
}

impl Run<'_> {
    fn re_match(&mut self, re: &Option<Regex>, text: &str) -> bool {
        let r = match re {
            Some(r) => {
                self.last_re = Some(r.clone());
                r
            }
            None => match &self.last_re {
                Some(r) => r,
                None => return false,
            },
        };
        r.is_match(text)
    }

    fn addr_match(&mut self, a: &Addr, ps: &str, s: &Stream) -> bool {
        match a {
            Addr::Line(n) => s.line_no == *n,
            Addr::Zero => false,
            Addr::Last => s.is_last(),
            Addr::Re(re) => self.re_match(re, ps),
            Addr::Step(first, step) => {
                if *step == 0 {
                    s.line_no == *first
                } else {
                    s.line_no >= *first && (s.line_no - first) % step == 0
                }
            }
        }
    }

    fn selected(&mut self, k: usize, ps: &str, s: &Stream) -> bool {
        let inst = &self.prog[k];
        let (a1, a2) = (inst.a1.clone(), inst.a2.clone());
        let hit = match (&a1, &a2) {
            (None, _) => true,
            (Some(a), None) => self.addr_match(a, ps, s),
            (Some(a), Some(b)) => {
                let (active, end_line) = self.range[k];
                if active {
                    let done = match b {
                        Addr2::Addr(Addr::Line(n)) => s.line_no >= *n,
                        Addr2::Addr(x) => self.addr_match(x, ps, s),
                        Addr2::Plus(_) => s.line_no >= end_line,
                        Addr2::Mult(m) => *m == 0 || s.line_no % m == 0,
                    };
                    if done {
                        self.range[k] = (false, 0);
                    }
                    true
                } else {
                    let start = match a {
                        Addr::Zero => {
                            // 0,/re/: the range may end on the first line
                            if s.line_no == 1 {
                                if let Addr2::Addr(x) = b {
                                    if self.addr_match(x, ps, s) {
                                        return !inst.negate;
                                    }
                                }
                                self.range[k] = (true, 0);
                                return !inst.negate;
                            }
                            false
                        }
                        _ => self.addr_match(a, ps, s),
                    };
                    if start {
                        let (still, end) = match b {
                            Addr2::Addr(Addr::Line(n)) => (*n > s.line_no, 0),
                            Addr2::Plus(n) => (*n > 0, s.line_no + n),
                            Addr2::Mult(m) => (*m > 0 && s.line_no % m != 0, 0),
                            Addr2::Addr(_) => (true, 0),
                        };
                        self.range[k] = (still, end);
                    }
                    start
                }
            }
        };
        hit != inst.negate
    }
}

/// Runs a program over the lines of one stream. Returns the output, the exit code
/// (`q N`), whether the run quit, and files written by `w`.
fn execute(
    ctx: &mut ProgramCtx<'_, '_>,
    run: &mut Run<'_>,
    s: &mut Stream,
    out: &mut String,
    writes: &mut Vec<(String, String)>,
) -> PResult<Option<i32>> {
    let mut hold = String::new();
    while let Some(line) = s.next() {
        ctx.steps(1)?;
        let mut ps = line;
        let mut append_queue: Vec<String> = Vec::new();
        let mut substituted = false;
        let mut pc = 0;
        let mut deleted = false;
        let mut quit: Option<(i32, bool)> = None;
        let mut restart = false;
        let mut guard = 0u64;
        while pc < run.prog.len() {
            guard += 1;
            if guard % 256 == 0 {
                ctx.steps(1)?;
            }
            if !run.selected(pc, &ps, s) {
                if let Cmd::Block(end) = run.prog[pc].cmd {
                    pc = end + 1;
                    continue;
                }
                pc += 1;
                continue;
            }
            let cmd = run.prog[pc].cmd.clone();
            pc += 1;
            match cmd {
                Cmd::Block(_) | Cmd::EndBlock | Cmd::Label(_) | Cmd::Nop => {}
                Cmd::Subst {
                    re,
                    repl,
                    global,
                    nth,
                    print,
                    write,
                } => {
                    let r = match re {
                        Some(r) => {
                            run.last_re = Some(r.clone());
                            r
                        }
                        None => match &run.last_re {
                            Some(r) => r.clone(),
                            None => {
                                ctx.error("no previous regular expression")?;
                                return Ok(Some(1));
                            }
                        },
                    };
                    let chars: Vec<char> = ps.chars().collect();
                    let offsets: Vec<usize> = {
                        let mut v: Vec<usize> = ps.char_indices().map(|(i, _)| i).collect();
                        v.push(ps.len());
                        v
                    };
                    let mut result = String::new();
                    let mut pos = 0usize; // char index
                    let mut count = 0usize;
                    let mut did = false;
                    while pos <= chars.len() {
                        let Some(caps) = r.captures_chars(&chars, pos) else {
                            break;
                        };
                        let Some((ms, me)) = caps.first().copied().flatten() else {
                            break;
                        };
                        count += 1;
                        let byte_caps: Vec<Option<(usize, usize)>> = caps
                            .iter()
                            .map(|g| g.map(|(a, b)| (offsets[a], offsets[b])))
                            .collect();
                        result.push_str(&ps[offsets[pos]..offsets[ms]]);
                        if count >= nth {
                            result.push_str(&expand_repl(&repl, &ps, &byte_caps));
                            did = true;
                        } else {
                            result.push_str(&ps[offsets[ms]..offsets[me]]);
                        }
                        if me == ms {
                            if ms < chars.len() {
                                result.push(chars[ms]);
                            }
                            pos = ms + 1;
                        } else {
                            pos = me;
                        }
                        if did && !global {
                            break;
                        }
                    }
                    if did {
                        if pos <= chars.len() {
                            result.push_str(&ps[offsets[pos.min(chars.len())]..]);
                        }
                        ps = result;
                        substituted = true;
                        if print {
                            out.push_str(&ps);
                            out.push('\n');
                        }
                        if let Some(w) = write {
                            writes.push((w, format!("{ps}\n")));
                        }
                    }
                }
                Cmd::Trans(a, b) => {
                    ps = ps
                        .chars()
                        .map(|c| match a.iter().position(|&x| x == c) {
                            Some(i) => b[i],
                            None => c,
                        })
                        .collect();
                }
                Cmd::Delete => {
                    deleted = true;
                    break;
                }
                Cmd::DeleteFirst => {
                    match ps.find('\n') {
                        Some(i) => {
                            ps = ps[i + 1..].to_string();
                            restart = true;
                        }
                        None => deleted = true,
                    }
                    break;
                }
                Cmd::Print => {
                    out.push_str(&ps);
                    out.push('\n');
                }
                Cmd::PrintFirst => {
                    out.push_str(ps.split('\n').next().unwrap_or(""));
                    out.push('\n');
                }
                Cmd::Next => {
                    if s.is_last() {
                        if !run.quiet {
                            out.push_str(&ps);
                            out.push('\n');
                        }
                        deleted = true;
                        quit = Some((0, false));
                        break;
                    }
                    if !run.quiet {
                        out.push_str(&ps);
                        out.push('\n');
                    }
                    for a in append_queue.drain(..) {
                        out.push_str(&a);
                    }
                    ps = s.next().unwrap_or_default();
                }
                Cmd::NextAppend => {
                    if s.is_last() {
                        // GNU prints the pattern space when N hits the end
                        break;
                    }
                    let n = s.next().unwrap_or_default();
                    ps.push('\n');
                    ps.push_str(&n);
                }
                Cmd::Quit(code, print) => {
                    quit = Some((code, print));
                    if !print {
                        deleted = true;
                    }
                    break;
                }
                Cmd::Append(t) => append_queue.push(format!("{t}\n")),
                Cmd::Insert(t) => {
                    out.push_str(&t);
                    out.push('\n');
                }
                Cmd::Change(t) => {
                    let inst = &run.prog[pc - 1];
                    let in_range_mid = inst.a2.is_some() && run.range[pc - 1].0;
                    if !in_range_mid {
                        out.push_str(&t);
                        out.push('\n');
                    }
                    deleted = true;
                    break;
                }
                Cmd::LineNo => out.push_str(&format!("{}\n", s.line_no)),
                Cmd::Hold => hold = ps.clone(),
                Cmd::HoldAppend => {
                    hold.push('\n');
                    hold.push_str(&ps);
                }
                Cmd::Get => ps = hold.clone(),
                Cmd::GetAppend => {
                    ps.push('\n');
                    ps.push_str(&hold);
                }
                Cmd::Exchange => std::mem::swap(&mut ps, &mut hold),
                Cmd::Branch(l) => pc = find_label(run.prog, &l),
                Cmd::BranchIf(l, when) => {
                    if substituted == when {
                        substituted = false;
                        pc = find_label(run.prog, &l);
                    }
                }
                Cmd::ReadFile(f) => {
                    if let Ok(Some(t)) = ctx.read_text(&f) {
                        let t = if t.ends_with('\n') {
                            t
                        } else {
                            format!("{t}\n")
                        };
                        append_queue.push(t);
                    }
                }
                Cmd::WriteFile(f) => writes.push((f, format!("{ps}\n"))),
                Cmd::List => {
                    let mut l = String::new();
                    for c in ps.chars() {
                        match c {
                            '\\' => l.push_str("\\\\"),
                            '\t' => l.push_str("\\t"),
                            '\n' => l.push_str("\\n"),
                            c if c.is_control() => l.push_str(&format!("\\{:03o}", c as u32)),
                            c => l.push(c),
                        }
                    }
                    out.push_str(&l);
                    out.push_str("$\n");
                }
                Cmd::Zap => ps.clear(),
            }
            let _ = restart;
        }
        if !deleted && !run.quiet {
            out.push_str(&ps);
            out.push('\n');
        }
        for a in append_queue {
            out.push_str(&a);
        }
        if let Some((code, _)) = quit {
            return Ok(Some(code));
        }
        if restart && !ps.is_empty() {
            // `D`: start the next cycle with what is left, without reading
            s.lines.insert(s.pos, ps.clone());
            s.line_no -= 1;
        }
    }
    if !s.trailing_nl && out.ends_with('\n') {
        out.pop();
    }
    Ok(None)
}

fn find_label(prog: &[Inst], l: &str) -> usize {
    if l.is_empty() {
        return prog.len();
    }
    prog.iter()
        .position(|i| matches!(&i.cmd, Cmd::Label(x) if x == l))
        .map(|p| p + 1)
        .unwrap_or(prog.len())
}

fn sed(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    // -i takes an optional attached suffix; normalize `-i.bak` before option parsing.
    let mut in_place: Option<String> = None;
    let mut args: Vec<String> = Vec::new();
    for a in &argv[1..] {
        if a == "-i" || a == "--in-place" {
            in_place = Some(String::new());
        } else if let Some(sfx) = a.strip_prefix("--in-place=") {
            in_place = Some(sfx.to_string());
        } else if a.starts_with("-i") && !a.starts_with("--") && a.len() > 2 {
            in_place = Some(a[2..].to_string());
        } else if a.starts_with('-')
            && !a.starts_with("--")
            && a.len() > 2
            && a.contains('i')
            && a[1..].chars().all(|c| "nrEsui".contains(c))
        {
            in_place = Some(String::new());
            args.push(a.replace('i', ""));
        } else {
            args.push(a.clone());
        }
    }
    let o = Opts::parse(&args, "ef", &["expression", "file", "line-length"]);
    let ere = o.has(&["E", "r", "regexp-extended"]);
    let quiet = o.has(&["n", "quiet", "silent"]);
    let mut operands = o.operands.clone();
    let mut script = String::new();
    let exprs = o.values(&["e", "expression"]);
    for e in &exprs {
        if !script.is_empty() {
            script.push('\n');
        }
        script.push_str(e);
    }
    for f in o.values(&["f", "file"]) {
        match ctx.read_text(f) {
            Ok(Some(t)) => {
                if !script.is_empty() {
                    script.push('\n');
                }
                script.push_str(&t);
            }
            _ => {
                ctx.error(&format!(
                    "couldn't open file {f}: No such file or directory"
                ))?;
                return Ok(1);
            }
        }
    }
    if exprs.is_empty() && o.values(&["f", "file"]).is_empty() {
        if operands.is_empty() {
            ctx.err(b"Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n")?;
            return Ok(1);
        }
        script = operands.remove(0);
    }
    let chars: Vec<char> = script.chars().collect();
    let mut p = Parser {
        s: &chars,
        i: 0,
        ere,
    };
    let prog = match p.parse() {
        Ok(pr) => pr,
        Err(e) => {
            let msg = if e.starts_with("-e expression") {
                e
            } else {
                format!("-e expression #1, char {}: {e}", p.i)
            };
            ctx.error(&msg)?;
            return Ok(1);
        }
    };
    let mut prog = prog;
    // `s///I`: recompile the patterns of substitutions flagged case-insensitive
    fix_icase(&script, ere, &mut prog);
    let mut writes: Vec<(String, String)> = Vec::new();
    let mut status = 0;
    if let Some(suffix) = in_place {
        if operands.is_empty() {
            ctx.error("no input files")?;
            return Ok(1);
        }
        for f in &operands {
            let content = match ctx.read(f) {
                Ok(Content::Bytes(b)) => String::from_utf8_lossy(&b).into_owned(),
                Ok(Content::Unknown { .. }) => {
                    ctx.approximated(&format!(
                        "`sed -i` on {f}, whose content is not known; left unchanged"
                    ));
                    continue;
                }
                Err(e) => {
                    ctx.error(&format!("can't read {f}: {e}"))?;
                    status = 2;
                    continue;
                }
            };
            let mut s = stream_of(&content);
            let mut run = Run {
                prog: &prog,
                range: vec![(false, 0); prog.len()],
                last_re: None,
                quiet,
            };
            let mut out = String::new();
            let q = execute(ctx, &mut run, &mut s, &mut out, &mut writes)?;
            if !suffix.is_empty() {
                let backup = if suffix.contains('*') {
                    suffix.replace('*', f)
                } else {
                    format!("{f}{suffix}")
                };
                let _ = ctx.write(&backup, Data::Bytes(content.as_bytes()));
            }
            if let Err(e) = ctx.write(f, Data::Bytes(out.as_bytes())) {
                ctx.error(&format!("couldn't open temporary file {f}: {e}"))?;
                status = 4;
            }
            if let Some(code) = q {
                status = code;
                break;
            }
        }
    } else {
        let mut all = String::new();
        let mut ok = true;
        if operands.is_empty() {
            let d = ctx.stdin();
            all.push_str(&String::from_utf8_lossy(&d.bytes));
        } else {
            for f in &operands {
                if f == "-" {
                    let d = ctx.stdin();
                    all.push_str(&String::from_utf8_lossy(&d.bytes));
                    continue;
                }
                match ctx.read(f) {
                    Ok(Content::Bytes(b)) => {
                        let t = String::from_utf8_lossy(&b).into_owned();
                        all.push_str(&t);
                        if !t.is_empty() && !t.ends_with('\n') {
                            all.push('\n');
                        }
                    }
                    Ok(Content::Unknown { .. }) => {
                        ctx.approximated(&format!("`sed` read {f}, whose content is not known"));
                    }
                    Err(e) => {
                        ctx.error(&format!("can't read {f}: {e}"))?;
                        ok = false;
                    }
                }
            }
        }
        let mut s = stream_of(&all);
        let mut run = Run {
            prog: &prog,
            range: vec![(false, 0); prog.len()],
            last_re: None,
            quiet,
        };
        let mut out = String::new();
        let q = execute(ctx, &mut run, &mut s, &mut out, &mut writes)?;
        ctx.out_str(&out)?;
        if !ok {
            status = 2;
        }
        if let Some(code) = q {
            status = code;
        }
    }
    let mut written: Vec<String> = Vec::new();
    for (f, text) in writes {
        let r = if written.contains(&f) {
            ctx.append(&f, Data::Bytes(text.as_bytes()))
        } else {
            written.push(f.clone());
            ctx.write(&f, Data::Bytes(text.as_bytes()))
        };
        let _ = r;
    }
    Ok(status)
}

fn stream_of(text: &str) -> Stream {
    let trailing_nl = text.is_empty() || text.ends_with('\n');
    let body = text.strip_suffix('\n').unwrap_or(text);
    let lines: Vec<String> = if text.is_empty() {
        Vec::new()
    } else {
        body.split('\n').map(str::to_string).collect()
    };
    Stream {
        lines,
        trailing_nl,
        pos: 0,
        line_no: 0,
    }
}

/// Recompiles `s` patterns that carry an `I` flag (the flag follows the pattern, so the
/// first compile did not know it).
fn fix_icase(script: &str, ere: bool, prog: &mut [Inst]) {
    // Find s commands with I/i flags by a light re-scan of the script text.
    let chars: Vec<char> = script.chars().collect();
    let mut pats: Vec<(String, bool)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == 's'
            && i + 1 < chars.len()
            && !chars[i + 1].is_alphanumeric()
            && chars[i + 1] != '\n'
            && chars[i + 1] != ' '
        {
            let d = chars[i + 1];
            let mut p = Parser {
                s: &chars,
                i: i + 2,
                ere,
            };
            let (Ok(pat), Ok(_)) = (p.delimited(d, true), p.delimited(d, false)) else {
                i += 1;
                continue;
            };
            let mut icase = false;
            while let Some(c) = p.peek() {
                if "gpiImMe0123456789".contains(c) {
                    if c == 'i' || c == 'I' {
                        icase = true;
                    }
                    p.i += 1;
                } else {
                    break;
                }
            }
            pats.push((pat, icase));
            i = p.i;
            continue;
        }
        i += 1;
    }
    let mut k = 0;
    for inst in prog.iter_mut() {
        if let Cmd::Subst { re, .. } = &mut inst.cmd {
            if let Some((pat, true)) = pats.get(k) {
                if !pat.is_empty() {
                    if let Ok(r) = Regex::new(pat, ere, true) {
                        *re = Some(r);
                    }
                }
            }
            k += 1;
        }
    }
}
