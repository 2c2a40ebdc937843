//! Shell source → [`List`]. A hand-written recursive-descent parser with an on-demand
//! lexer (the shell's tokens depend on where they appear: reserved words only in command
//! position, here-document bodies after the end of their line).
//!
//! Invariants: never panics; nesting (compound commands, substitutions) is bounded by
//! [`MAX_DEPTH`]; error messages follow dash (`"fi" unexpected`, `end of file unexpected
//! (expecting "done")`, `Unterminated quoted string`).

use super::ast::*;
use super::stack::StackGuard;
use crate::text::Span;
use std::sync::{Arc, OnceLock};

/// Deepest nesting of commands and substitutions the parser accepts.
pub const MAX_DEPTH: usize = 100;

/// A syntax error: dash's wording without the `sh: 1: Syntax error: ` prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

/// Parses a whole script.
pub fn parse(src: &str, dialect: Dialect) -> Result<List, SyntaxError> {
    parse_at(src, 0, dialect, 0)
}

/// Stack budget of a parse started on its own (see [`StackGuard`]).
pub const PARSE_STACK: usize = 384 << 10;

/// Parses `src` whose first byte sits at `base` in the text spans refer to.
pub fn parse_at(
    src: &str,
    base: usize,
    dialect: Dialect,
    depth: usize,
) -> Result<List, SyntaxError> {
    parse_guarded(src, base, dialect, depth, StackGuard::new(PARSE_STACK))
}

/// Like [`parse_at`], sharing the caller's stack guard (the interpreter parses `eval`
/// and `sh -c` text deep inside its own recursion).
pub fn parse_guarded(
    src: &str,
    base: usize,
    dialect: Dialect,
    depth: usize,
    guard: StackGuard,
) -> Result<List, SyntaxError> {
    let mut p = Parser {
        guard,
        src,
        b: src.as_bytes(),
        pos: 0,
        base,
        d: dialect,
        peeked: None,
        pending: Vec::new(),
        last_end: 0,
        depth,
    };
    p.parse_program()
}

/// Parses the text of a `$((…))` or `(( ))` expression into a word (for `let`).
pub fn parse_arith_word(src: &str, dialect: Dialect) -> Result<Word, SyntaxError> {
    let mut p = Parser {
        guard: StackGuard::new(PARSE_STACK),
        src,
        b: src.as_bytes(),
        pos: 0,
        base: 0,
        d: dialect,
        peeked: None,
        pending: Vec::new(),
        last_end: 0,
        depth: 0,
    };
    let parts = p.word_parts(Mode::Free)?;
    Ok(Word {
        parts,
        span: Span::new(0, src.len()),
    })
}

/// Parses a string as a here-document-like body (expansions live, quotes literal).
pub fn parse_expandable(src: &str, dialect: Dialect) -> Result<Word, SyntaxError> {
    let mut p = Parser {
        guard: StackGuard::new(PARSE_STACK),
        src,
        b: src.as_bytes(),
        pos: 0,
        base: 0,
        d: dialect,
        peeked: None,
        pending: Vec::new(),
        last_end: 0,
        depth: 0,
    };
    let parts = p.heredoc_parts()?;
    Ok(Word {
        parts: vec![WordPart::Double(parts)],
        span: Span::new(0, src.len()),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    AndIf,
    OrIf,
    DSemi,
    SemiAnd,
    DSemiAnd,
    Pipe,
    PipeAmp,
    Amp,
    Semi,
    LParen,
    RParen,
    Less,
    Great,
    DLess,
    DLessDash,
    TLess,
    DGreat,
    LessAnd,
    GreatAnd,
    LessGreat,
    Clobber,
    AndGreat,
    AndDGreat,
}

impl Op {
    fn text(self) -> &'static str {
        match self {
            Op::AndIf => "&&",
            Op::OrIf => "||",
            Op::DSemi => ";;",
            Op::SemiAnd => ";&",
            Op::DSemiAnd => ";;&",
            Op::Pipe => "|",
            Op::PipeAmp => "|&",
            Op::Amp => "&",
            Op::Semi => ";",
            Op::LParen => "(",
            Op::RParen => ")",
            Op::Less => "<",
            Op::Great => ">",
            Op::DLess => "<<",
            Op::DLessDash => "<<-",
            Op::TLess => "<<<",
            Op::DGreat => ">>",
            Op::LessAnd => "<&",
            Op::GreatAnd => ">&",
            Op::LessGreat => "<>",
            Op::Clobber => ">|",
            Op::AndGreat => "&>",
            Op::AndDGreat => "&>>",
        }
    }

    fn redirect(self) -> Option<RedirOp> {
        Some(match self {
            Op::Less => RedirOp::In,
            Op::Great => RedirOp::Out,
            Op::DLess => RedirOp::Heredoc { strip_tabs: false },
            Op::DLessDash => RedirOp::Heredoc { strip_tabs: true },
            Op::TLess => RedirOp::HereString,
            Op::DGreat => RedirOp::Append,
            Op::LessAnd => RedirOp::DupIn,
            Op::GreatAnd => RedirOp::DupOut,
            Op::LessGreat => RedirOp::ReadWrite,
            Op::Clobber => RedirOp::Clobber,
            Op::AndGreat => RedirOp::OutErr,
            Op::AndDGreat => RedirOp::AppendOutErr,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
enum Tok {
    Word(Word),
    Op(Op),
    Io(u32),
    Newline,
    Eof,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

#[derive(Debug)]
struct Pending {
    delim: String,
    strip_tabs: bool,
    quoted: bool,
    cell: Arc<OnceLock<HereDoc>>,
}

/// Where a word is being read; decides which characters end it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A shell word: ends at blanks and operators.
    Normal,
    /// The operand of `${v…}`: ends at `}` (and `/` for a replace pattern, `:` for an
    /// offset).
    Operand { slash: bool, colon: bool },
    /// Inside `$((…))`: ends at a `)` that closes nothing.
    Arith,
    /// `${a[…]}`: ends at `]`.
    Subscript,
    /// A whole string (for `let` arguments).
    Free,
    /// The right side of `[[ … =~ … ]]`: parentheses and `|` belong to the regex.
    CondRegex,
}

const RESERVED_UNEXPECTED: [&str; 8] = ["then", "else", "elif", "fi", "do", "done", "esac", "}"];

struct Parser<'a> {
    guard: StackGuard,
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    base: usize,
    d: Dialect,
    peeked: Option<Token>,
    pending: Vec<Pending>,
    depth: usize,
    last_end: usize,
}

type PResult<T> = Result<T, SyntaxError>;

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// A valid variable name.
pub fn is_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && is_name_start(b[0]) && b.iter().all(|&c| is_name_char(c))
}

impl<'a> Parser<'a> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.base + start, self.base + end)
    }

    fn err<T>(&self, message: impl Into<String>, start: usize, end: usize) -> PResult<T> {
        Err(SyntaxError {
            message: message.into(),
            span: self.span(start, end.max(start)),
        })
    }

    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    fn enter(&mut self, at: usize) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH || self.guard.exceeded() {
            return self.err("commands nested too deeply", at, at + 1);
        }
        Ok(())
    }

    // ---------------------------------------------------------------- tokens

    fn peek(&mut self) -> PResult<&Token> {
        if self.peeked.is_none() {
            let t = self.lex()?;
            self.peeked = Some(t);
        }
        match &self.peeked {
            Some(t) => Ok(t),
            None => self.err("internal lexer state", self.pos, self.pos),
        }
    }

    fn next(&mut self) -> PResult<Token> {
        let t = match self.peeked.take() {
            Some(t) => t,
            None => self.lex()?,
        };
        if !matches!(t.tok, Tok::Newline | Tok::Eof) {
            self.last_end = t.end;
        }
        Ok(t)
    }

    fn peek_keyword(&mut self) -> PResult<Option<String>> {
        Ok(match &self.peek()?.tok {
            Tok::Word(w) => w.as_literal().map(str::to_string),
            _ => None,
        })
    }

    fn describe(&self, t: &Token) -> String {
        match &t.tok {
            Tok::Word(_) | Tok::Io(_) => {
                format!("\"{}\"", self.src.get(t.start..t.end).unwrap_or(""))
            }
            Tok::Op(op) => format!("\"{}\"", op.text()),
            Tok::Newline => "newline".to_string(),
            Tok::Eof => "end of file".to_string(),
        }
    }

    fn unexpected<T>(&self, t: &Token, expecting: Option<&str>) -> PResult<T> {
        let mut msg = format!("{} unexpected", self.describe(t));
        if let Some(e) = expecting {
            msg.push_str(&format!(" (expecting \"{e}\")"));
        }
        self.err(msg, t.start, t.end)
    }

    fn lex(&mut self) -> PResult<Token> {
        loop {
            while self.pos < self.b.len() {
                match self.b[self.pos] {
                    b' ' | b'\t' | b'\r' => self.pos += 1,
                    b'\\' if self.at(self.pos + 1) == b'\n' => self.pos += 2,
                    _ => break,
                }
            }
            if self.at(self.pos) == b'#' {
                while self.pos < self.b.len() && self.b[self.pos] != b'\n' {
                    self.pos += 1;
                }
                continue;
            }
            break;
        }
        let start = self.pos;
        if start >= self.b.len() {
            if !self.pending.is_empty() {
                self.read_heredocs()?;
            }
            return Ok(Token {
                tok: Tok::Eof,
                start,
                end: start,
            });
        }
        let c = self.b[start];
        if c == b'\n' {
            self.pos += 1;
            self.read_heredocs()?;
            return Ok(Token {
                tok: Tok::Newline,
                start,
                end: start + 1,
            });
        }
        let proc_sub =
            self.d.bash_syntax() && (c == b'<' || c == b'>') && self.at(start + 1) == b'(';
        if !proc_sub {
            if let Some(op) = self.lex_op() {
                return Ok(Token {
                    tok: Tok::Op(op),
                    start,
                    end: self.pos,
                });
            }
        }
        let parts = self.word_parts(Mode::Normal)?;
        if self.pos == start {
            // A lone character the word reader refused; take it literally.
            self.pos += 1;
            return self.err("unexpected character", start, start + 1);
        }
        let raw = &self.src[start..self.pos];
        if !raw.is_empty()
            && raw.bytes().all(|c| c.is_ascii_digit())
            && matches!(self.at(self.pos), b'<' | b'>')
        {
            if let Ok(n) = raw.parse::<u32>() {
                return Ok(Token {
                    tok: Tok::Io(n),
                    start,
                    end: self.pos,
                });
            }
        }
        Ok(Token {
            tok: Tok::Word(Word {
                parts,
                span: self.span(start, self.pos),
            }),
            start,
            end: self.pos,
        })
    }

    fn lex_op(&mut self) -> Option<Op> {
        let rest = &self.b[self.pos..];
        let bashy = self.d.bash_syntax();
        let full = self.d.full_bash();
        let candidates: &[(&str, Op, bool)] = &[
            ("&>>", Op::AndDGreat, bashy),
            ("&&", Op::AndIf, true),
            ("&>", Op::AndGreat, bashy),
            ("&", Op::Amp, true),
            ("||", Op::OrIf, true),
            ("|&", Op::PipeAmp, full),
            ("|", Op::Pipe, true),
            (";;&", Op::DSemiAnd, full),
            (";;", Op::DSemi, true),
            (";&", Op::SemiAnd, bashy),
            (";", Op::Semi, true),
            ("(", Op::LParen, true),
            (")", Op::RParen, true),
            ("<<<", Op::TLess, bashy),
            ("<<-", Op::DLessDash, true),
            ("<<", Op::DLess, true),
            ("<&", Op::LessAnd, true),
            ("<>", Op::LessGreat, true),
            ("<", Op::Less, true),
            (">>", Op::DGreat, true),
            (">&", Op::GreatAnd, true),
            (">|", Op::Clobber, true),
            (">", Op::Great, true),
        ];
        for (text, op, enabled) in candidates {
            if *enabled && rest.starts_with(text.as_bytes()) {
                self.pos += text.len();
                return Some(*op);
            }
        }
        None
    }

    // ---------------------------------------------------------------- words

    fn word_parts(&mut self, mode: Mode) -> PResult<Vec<WordPart>> {
        let mut parts = Vec::new();
        let mut lit: Vec<u8> = Vec::new();
        let mut parens = 0usize;
        let mut brackets = 0usize;
        while self.pos < self.b.len() {
            let c = self.b[self.pos];
            if mode == Mode::Normal
                && (c == b'<' || c == b'>')
                && self.at(self.pos + 1) == b'('
                && self.d.bash_syntax()
            {
                flush(&mut lit, &mut parts);
                let start = self.pos;
                self.enter(start)?;
                self.pos += 2;
                let saved = self.peeked.take();
                let list = self.parse_list(&[])?;
                let close = self.next()?;
                if !matches!(close.tok, Tok::Op(Op::RParen)) {
                    return self.unexpected(&close, Some(")"));
                }
                self.peeked = saved;
                self.depth -= 1;
                parts.push(WordPart::ProcSub {
                    list: Box::new(list),
                    output: c == b'>',
                });
                continue;
            }
            match mode {
                Mode::Normal => {
                    if matches!(
                        c,
                        b' ' | b'\t'
                            | b'\n'
                            | b'\r'
                            | b';'
                            | b'&'
                            | b'|'
                            | b'('
                            | b')'
                            | b'<'
                            | b'>'
                    ) {
                        break;
                    }
                }
                Mode::Operand { slash, colon } => {
                    if c == b'}' || (slash && c == b'/') || (colon && c == b':') {
                        break;
                    }
                }
                Mode::Arith => {
                    if c == b'(' {
                        parens += 1;
                    } else if c == b')' {
                        if parens == 0 {
                            break;
                        }
                        parens -= 1;
                    }
                }
                Mode::Subscript => {
                    if c == b'[' {
                        brackets += 1;
                    } else if c == b']' {
                        if brackets == 0 {
                            break;
                        }
                        brackets -= 1;
                    }
                }
                Mode::Free => {}
                Mode::CondRegex => {
                    if c == b'(' {
                        parens += 1;
                    } else if c == b')' {
                        if parens == 0 {
                            break;
                        }
                        parens -= 1;
                    } else if parens == 0 && matches!(c, b' ' | b'\t' | b'\n' | b';' | b'&') {
                        break;
                    }
                }
            }
            match c {
                b'\\' => {
                    let n = self.at(self.pos + 1);
                    if n == b'\n' {
                        self.pos += 2;
                        continue;
                    }
                    if self.pos + 1 >= self.b.len() {
                        lit.push(b'\\');
                        self.pos += 1;
                        continue;
                    }
                    flush(&mut lit, &mut parts);
                    let len = utf8_len(n);
                    let end = (self.pos + 1 + len).min(self.b.len());
                    let text = String::from_utf8_lossy(&self.b[self.pos + 1..end]).into_owned();
                    self.pos = end;
                    if let Some(WordPart::Escaped(prev)) = parts.last_mut() {
                        prev.push_str(&text);
                    } else {
                        parts.push(WordPart::Escaped(text));
                    }
                }
                b'\'' => {
                    flush(&mut lit, &mut parts);
                    let start = self.pos;
                    let Some(close) = find_byte(self.b, self.pos + 1, b'\'') else {
                        return self.err("Unterminated quoted string", start, self.b.len());
                    };
                    parts.push(WordPart::Single(self.src[self.pos + 1..close].to_string()));
                    self.pos = close + 1;
                }
                b'"' => {
                    flush(&mut lit, &mut parts);
                    self.pos += 1;
                    let inner = self.dquote_parts()?;
                    parts.push(WordPart::Double(inner));
                }
                b'$' | b'`' => self.expansion_part(false, &mut lit, &mut parts)?,
                _ => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush(&mut lit, &mut parts);
        Ok(parts)
    }

    /// The inside of `"…"`, after the opening quote; consumes the closing one.
    fn dquote_parts(&mut self) -> PResult<Vec<WordPart>> {
        let start = self.pos.saturating_sub(1);
        let mut parts = Vec::new();
        let mut lit: Vec<u8> = Vec::new();
        loop {
            if self.pos >= self.b.len() {
                return self.err("Unterminated quoted string", start, self.b.len());
            }
            let c = self.b[self.pos];
            if c == b'"' {
                self.pos += 1;
                break;
            }
            self.live_byte(c, b"$`\"\\", &mut lit, &mut parts)?;
        }
        flush(&mut lit, &mut parts);
        Ok(parts)
    }

    /// A here-document body (to the end of the source): `$`, `` ` `` and `\` live,
    /// quotes literal.
    fn heredoc_parts(&mut self) -> PResult<Vec<WordPart>> {
        let mut parts = Vec::new();
        let mut lit: Vec<u8> = Vec::new();
        while self.pos < self.b.len() {
            let c = self.b[self.pos];
            self.live_byte(c, b"$`\\", &mut lit, &mut parts)?;
        }
        flush(&mut lit, &mut parts);
        Ok(parts)
    }

    /// One byte `c` (at `pos`) of text where `$`, `` ` `` and `\` are live (inside double
    /// quotes or a here-document body): a backslash escapes only the bytes in `escapable`
    /// and removes a following newline, and stays literal before anything else.
    fn live_byte(
        &mut self,
        c: u8,
        escapable: &[u8],
        lit: &mut Vec<u8>,
        parts: &mut Vec<WordPart>,
    ) -> PResult<()> {
        match c {
            b'\\' => {
                let n = self.at(self.pos + 1);
                if escapable.contains(&n) {
                    lit.push(n);
                    self.pos += 2;
                } else if n == b'\n' {
                    self.pos += 2;
                } else {
                    lit.push(b'\\');
                    self.pos += 1;
                }
            }
            b'$' | b'`' => self.expansion_part(true, lit, parts)?,
            _ => {
                lit.push(c);
                self.pos += 1;
            }
        }
        Ok(())
    }

    /// At a `$` or `` ` ``: pushes the expansion or command substitution it starts (after
    /// the pending literal text), or a literal `$` when the dollar starts nothing.
    fn expansion_part(
        &mut self,
        in_dquote: bool,
        lit: &mut Vec<u8>,
        parts: &mut Vec<WordPart>,
    ) -> PResult<()> {
        if self.at(self.pos) == b'`' {
            flush(lit, parts);
            let part = self.backtick(in_dquote)?;
            parts.push(part);
            return Ok(());
        }
        match self.dollar(in_dquote)? {
            Some(part) => {
                flush(lit, parts);
                parts.push(part);
            }
            None => {
                lit.push(b'$');
                self.pos += 1;
            }
        }
        Ok(())
    }

    /// At a `$`: the expansion it starts, or `None` if it is a literal dollar.
    fn dollar(&mut self, in_dquote: bool) -> PResult<Option<WordPart>> {
        let start = self.pos;
        let n = self.at(start + 1);
        match n {
            b'(' => {
                self.enter(start)?;
                let part = if self.at(start + 2) == b'(' && self.looks_arith(start + 3) {
                    self.pos = start + 3;
                    let inner_start = self.pos;
                    let parts = self.word_parts(Mode::Arith)?;
                    if self.at(self.pos) != b')' || self.at(self.pos + 1) != b')' {
                        return self.err("Missing '))'", start, self.pos);
                    }
                    let word = Word {
                        parts,
                        span: self.span(inner_start, self.pos),
                    };
                    self.pos += 2;
                    WordPart::Arith(Box::new(word))
                } else {
                    self.pos = start + 2;
                    let saved = self.peeked.take();
                    let list = self.parse_list(&[])?;
                    let close = self.next()?;
                    if !matches!(close.tok, Tok::Op(Op::RParen)) {
                        return self.unexpected(&close, Some(")"));
                    }
                    self.peeked = saved;
                    WordPart::CmdSub(Box::new(list))
                };
                self.depth -= 1;
                Ok(Some(part))
            }
            b'{' => {
                self.enter(start)?;
                self.pos = start + 2;
                let param = self.braced_param(start)?;
                self.depth -= 1;
                Ok(Some(WordPart::Param(Box::new(param))))
            }
            b'\'' if !in_dquote && self.d.bash_syntax() => {
                self.pos = start + 2;
                let text = self.ansi_c(start)?;
                Ok(Some(WordPart::AnsiC(text)))
            }
            b'"' if !in_dquote && self.d.full_bash() => {
                self.pos = start + 1;
                Ok(Some(WordPart::Lit(String::new())))
            }
            c if is_name_start(c) => {
                let mut end = start + 1;
                while end < self.b.len() && is_name_char(self.b[end]) {
                    end += 1;
                }
                let name = self.src[start + 1..end].to_string();
                self.pos = end;
                Ok(Some(WordPart::Param(Box::new(Param {
                    name: ParamName::Var(name),
                    index: None,
                    op: ParamOp::Plain,
                }))))
            }
            c if c.is_ascii_digit() => {
                self.pos = start + 2;
                Ok(Some(WordPart::Param(Box::new(Param {
                    name: ParamName::Positional((c - b'0') as usize),
                    index: None,
                    op: ParamOp::Plain,
                }))))
            }
            b'@' | b'*' | b'#' | b'?' | b'-' | b'$' | b'!' => {
                self.pos = start + 2;
                Ok(Some(WordPart::Param(Box::new(Param {
                    name: ParamName::Special(n as char),
                    index: None,
                    op: ParamOp::Plain,
                }))))
            }
            _ => Ok(None),
        }
    }

    /// Whether `$((` at `from` is arithmetic (closes with `))`) rather than `$( (…) )`.
    fn looks_arith(&self, from: usize) -> bool {
        let mut depth = 0usize;
        let mut i = from;
        while i < self.b.len() {
            match self.b[i] {
                b'(' => depth += 1,
                b')' => {
                    if depth == 0 {
                        return self.at(i + 1) == b')';
                    }
                    depth -= 1;
                }
                b'\'' => match find_byte(self.b, i + 1, b'\'') {
                    Some(c) => i = c,
                    None => return false,
                },
                _ => {}
            }
            i += 1;
        }
        false
    }

    /// `${…}` after the `${`; consumes the closing brace.
    fn braced_param(&mut self, start: usize) -> PResult<Param> {
        let bad = |p: &Self| -> SyntaxError {
            SyntaxError {
                message: "Bad substitution".to_string(),
                span: p.span(start, p.pos + 1),
            }
        };
        let c = self.at(self.pos);
        // ${#…}: length, unless it is ${#} or an operator follows ($# with an operator).
        if c == b'#' {
            let n = self.at(self.pos + 1);
            if n == b'}' {
                self.pos += 2;
                return Ok(Param {
                    name: ParamName::Special('#'),
                    index: None,
                    op: ParamOp::Plain,
                });
            }
            if is_name_start(n)
                || n.is_ascii_digit()
                || matches!(n, b'@' | b'*' | b'?' | b'$' | b'!' | b'-')
            {
                self.pos += 1;
                let name = self.param_name().ok_or_else(|| bad(self))?;
                let index = self.subscript()?;
                if self.at(self.pos) != b'}' {
                    return Err(bad(self));
                }
                self.pos += 1;
                return Ok(Param {
                    name,
                    index,
                    op: ParamOp::Length,
                });
            }
        }
        if c == b'!' && self.d.bash_syntax() && is_name_start(self.at(self.pos + 1)) {
            self.pos += 1;
            let name = self.param_name().ok_or_else(|| bad(self))?;
            let sub = self.subscript()?;
            let keys = sub
                .as_ref()
                .and_then(|w| w.as_literal())
                .is_some_and(|s| s == "@" || s == "*");
            if self.at(self.pos) == b'*' || self.at(self.pos) == b'@' {
                self.pos += 1;
            }
            if self.at(self.pos) != b'}' {
                return Err(bad(self));
            }
            self.pos += 1;
            return Ok(Param {
                name,
                index: None,
                op: if keys {
                    ParamOp::Keys
                } else {
                    ParamOp::Indirect
                },
            });
        }
        let name = self.param_name().ok_or_else(|| bad(self))?;
        let index = self.subscript()?;
        let c = self.at(self.pos);
        let op = match c {
            b'}' => ParamOp::Plain,
            b':' => {
                let n = self.at(self.pos + 1);
                match n {
                    b'-' | b'=' | b'?' | b'+' => {
                        self.pos += 2;
                        self.value_op(n, true)?
                    }
                    _ if self.d.bash_syntax() => {
                        self.pos += 1;
                        let o_start = self.pos;
                        let offset = self.word_parts(Mode::Operand {
                            slash: false,
                            colon: true,
                        })?;
                        let offset = Word {
                            parts: offset,
                            span: self.span(o_start, self.pos),
                        };
                        let length = if self.at(self.pos) == b':' {
                            self.pos += 1;
                            Some(self.operand(false)?)
                        } else {
                            None
                        };
                        ParamOp::Substr { offset, length }
                    }
                    _ => return Err(bad(self)),
                }
            }
            b'-' | b'=' | b'?' | b'+' => {
                self.pos += 1;
                self.value_op(c, false)?
            }
            b'#' | b'%' => {
                self.pos += 1;
                let longest = self.at(self.pos) == c;
                if longest {
                    self.pos += 1;
                }
                let pattern = self.operand(false)?;
                if c == b'#' {
                    ParamOp::TrimPrefix { longest, pattern }
                } else {
                    ParamOp::TrimSuffix { longest, pattern }
                }
            }
            b'/' if self.d.bash_syntax() => {
                self.pos += 1;
                let mode = match self.at(self.pos) {
                    b'/' => {
                        self.pos += 1;
                        ReplaceMode::All
                    }
                    b'#' => {
                        self.pos += 1;
                        ReplaceMode::Prefix
                    }
                    b'%' => {
                        self.pos += 1;
                        ReplaceMode::Suffix
                    }
                    _ => ReplaceMode::First,
                };
                let pattern = self.operand(true)?;
                let with = if self.at(self.pos) == b'/' {
                    self.pos += 1;
                    Some(self.operand(false)?)
                } else {
                    None
                };
                ParamOp::Replace {
                    mode,
                    pattern,
                    with,
                }
            }
            b'^' | b',' if self.d.bash_syntax() => {
                self.pos += 1;
                let all = self.at(self.pos) == c;
                if all {
                    self.pos += 1;
                }
                let _pattern = self.operand(false)?;
                ParamOp::Case {
                    upper: c == b'^',
                    all,
                }
            }
            _ => return Err(bad(self)),
        };
        if self.at(self.pos) != b'}' {
            if self.pos >= self.b.len() {
                return self.err("Missing '}'", start, self.pos);
            }
            return Err(bad(self));
        }
        self.pos += 1;
        Ok(Param { name, index, op })
    }

    fn value_op(&mut self, c: u8, colon: bool) -> PResult<ParamOp> {
        let word = self.operand(false)?;
        Ok(match c {
            b'-' => ParamOp::Default { colon, word },
            b'=' => ParamOp::Assign { colon, word },
            b'?' => ParamOp::Error {
                colon,
                word: (!word.parts.is_empty()).then_some(word),
            },
            _ => ParamOp::Alt { colon, word },
        })
    }

    fn operand(&mut self, slash: bool) -> PResult<Word> {
        let start = self.pos;
        let parts = self.word_parts(Mode::Operand {
            slash,
            colon: false,
        })?;
        Ok(Word {
            parts,
            span: self.span(start, self.pos),
        })
    }

    fn param_name(&mut self) -> Option<ParamName> {
        let c = self.at(self.pos);
        if is_name_start(c) {
            let start = self.pos;
            while self.pos < self.b.len() && is_name_char(self.b[self.pos]) {
                self.pos += 1;
            }
            return Some(ParamName::Var(self.src[start..self.pos].to_string()));
        }
        if c.is_ascii_digit() {
            let start = self.pos;
            while self.pos < self.b.len() && self.b[self.pos].is_ascii_digit() {
                self.pos += 1;
            }
            let n = self.src[start..self.pos].parse().unwrap_or(usize::MAX);
            return Some(ParamName::Positional(n));
        }
        if matches!(c, b'@' | b'*' | b'#' | b'?' | b'-' | b'$' | b'!') {
            self.pos += 1;
            return Some(ParamName::Special(c as char));
        }
        None
    }

    fn subscript(&mut self) -> PResult<Option<Word>> {
        if !(self.d.full_bash() && self.at(self.pos) == b'[') {
            return Ok(None);
        }
        self.pos += 1;
        let start = self.pos;
        let parts = self.word_parts(Mode::Subscript)?;
        if self.at(self.pos) != b']' {
            return self.err("Bad substitution", start, self.pos);
        }
        let w = Word {
            parts,
            span: self.span(start, self.pos),
        };
        self.pos += 1;
        Ok(Some(w))
    }

    /// `$'…'` after the opening quote: decodes C escapes.
    fn ansi_c(&mut self, start: usize) -> PResult<String> {
        let mut out: Vec<u8> = Vec::new();
        loop {
            if self.pos >= self.b.len() {
                return self.err("Unterminated quoted string", start, self.pos);
            }
            let c = self.b[self.pos];
            self.pos += 1;
            match c {
                b'\'' => break,
                b'\\' => {
                    let n = self.at(self.pos);
                    self.pos += 1;
                    match n {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'a' => out.push(7),
                        b'b' => out.push(8),
                        b'e' | b'E' => out.push(27),
                        b'f' => out.push(12),
                        b'v' => out.push(11),
                        b'\\' => out.push(b'\\'),
                        b'\'' => out.push(b'\''),
                        b'"' => out.push(b'"'),
                        b'?' => out.push(b'?'),
                        b'x' => {
                            let mut v = 0u32;
                            let mut k = 0;
                            while k < 2 && self.at(self.pos).is_ascii_hexdigit() {
                                v = v * 16 + (self.at(self.pos) as char).to_digit(16).unwrap_or(0);
                                self.pos += 1;
                                k += 1;
                            }
                            out.push(v as u8);
                        }
                        b'0'..=b'7' => {
                            let mut v = (n - b'0') as u32;
                            let mut k = 1;
                            while k < 3 && matches!(self.at(self.pos), b'0'..=b'7') {
                                v = v * 8 + (self.at(self.pos) - b'0') as u32;
                                self.pos += 1;
                                k += 1;
                            }
                            out.push(v as u8);
                        }
                        0 => out.push(b'\\'),
                        other => {
                            out.push(b'\\');
                            out.push(other);
                        }
                    }
                }
                _ => out.push(c),
            }
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// `` `…` `` at the opening backtick: collects the text, then parses it.
    fn backtick(&mut self, in_dquote: bool) -> PResult<WordPart> {
        let start = self.pos;
        self.pos += 1;
        let mut inner: Vec<u8> = Vec::new();
        loop {
            if self.pos >= self.b.len() {
                return self.err("EOF in backquote substitution", start, self.pos);
            }
            let c = self.b[self.pos];
            if c == b'`' {
                self.pos += 1;
                break;
            }
            if c == b'\\' {
                let n = self.at(self.pos + 1);
                if matches!(n, b'`' | b'\\' | b'$') || (in_dquote && n == b'"') {
                    inner.push(n);
                    self.pos += 2;
                    continue;
                }
            }
            inner.push(c);
            self.pos += 1;
        }
        let text = String::from_utf8_lossy(&inner).into_owned();
        if self.depth + 1 > MAX_DEPTH {
            return self.err("commands nested too deeply", start, self.pos);
        }
        if self.guard.exceeded() {
            return self.err("commands nested too deeply", start, self.pos);
        }
        let list = parse_guarded(
            &text,
            self.base + start + 1,
            self.d,
            self.depth + 1,
            self.guard,
        )?;
        Ok(WordPart::CmdSub(Box::new(list)))
    }

    // ---------------------------------------------------------------- here-documents

    fn read_heredocs(&mut self) -> PResult<()> {
        let pending = std::mem::take(&mut self.pending);
        for p in pending {
            let body_start = self.pos;
            let mut body = String::new();
            while self.pos < self.b.len() {
                let line_end = find_byte(self.b, self.pos, b'\n').unwrap_or(self.b.len());
                let line = &self.src[self.pos..line_end];
                self.pos = (line_end + 1).min(self.b.len());
                let line = if p.strip_tabs {
                    line.trim_start_matches('\t')
                } else {
                    line
                };
                if line == p.delim || line.strip_suffix('\r') == Some(p.delim.as_str()) {
                    break;
                }
                body.push_str(line);
                body.push('\n');
            }
            let span = self.span(body_start, self.pos);
            let doc = if p.quoted {
                HereDoc {
                    body: Word {
                        parts: vec![WordPart::Single(body)],
                        span,
                    },
                    quoted: true,
                }
            } else {
                let mut sub = Parser {
                    guard: self.guard,
                    src: &body,
                    b: body.as_bytes(),
                    pos: 0,
                    base: self.base + body_start,
                    d: self.d,
                    peeked: None,
                    pending: Vec::new(),
                    last_end: 0,
                    depth: self.depth + 1,
                };
                let parts = sub.heredoc_parts()?;
                HereDoc {
                    body: Word {
                        parts: vec![WordPart::Double(parts)],
                        span,
                    },
                    quoted: false,
                }
            };
            let _ = p.cell.set(doc);
        }
        Ok(())
    }

    // ---------------------------------------------------------------- grammar

    fn parse_program(&mut self) -> PResult<List> {
        let list = self.parse_list(&[])?;
        let t = self.next()?;
        match t.tok {
            Tok::Eof => Ok(list),
            _ => self.unexpected(&t, None),
        }
    }

    fn skip_newlines(&mut self) -> PResult<()> {
        while matches!(self.peek()?.tok, Tok::Newline) {
            self.next()?;
        }
        Ok(())
    }

    fn at_list_end(&mut self, terms: &[&str]) -> PResult<bool> {
        let t = self.peek()?;
        Ok(match &t.tok {
            Tok::Eof => true,
            Tok::Op(Op::RParen | Op::DSemi | Op::SemiAnd | Op::DSemiAnd) => true,
            Tok::Word(w) => w.as_literal().is_some_and(|s| terms.contains(&s)),
            _ => false,
        })
    }

    fn parse_list(&mut self, terms: &[&str]) -> PResult<List> {
        let mut items = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.at_list_end(terms)? {
                break;
            }
            let and_or = self.parse_and_or()?;
            let t = self.peek()?;
            match t.tok {
                Tok::Op(Op::Semi) => {
                    self.next()?;
                    items.push(Item {
                        and_or,
                        background: false,
                    });
                }
                Tok::Op(Op::Amp) => {
                    self.next()?;
                    items.push(Item {
                        and_or,
                        background: true,
                    });
                }
                Tok::Newline => items.push(Item {
                    and_or,
                    background: false,
                }),
                _ => {
                    items.push(Item {
                        and_or,
                        background: false,
                    });
                    break;
                }
            }
        }
        Ok(items)
    }

    fn parse_and_or(&mut self) -> PResult<AndOr> {
        let first = self.parse_pipeline()?;
        let mut rest = Vec::new();
        loop {
            let conn = match self.peek()?.tok {
                Tok::Op(Op::AndIf) => Connector::And,
                Tok::Op(Op::OrIf) => Connector::Or,
                _ => break,
            };
            self.next()?;
            self.skip_newlines()?;
            rest.push((conn, self.parse_pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn parse_pipeline(&mut self) -> PResult<Pipeline> {
        let start = self.peek()?.start;
        let mut negated = false;
        while self.peek_keyword()?.as_deref() == Some("!") {
            self.next()?;
            negated = !negated;
        }
        let mut commands = vec![self.parse_command()?];
        loop {
            let stderr_too = match self.peek()?.tok {
                Tok::Op(Op::Pipe) => false,
                Tok::Op(Op::PipeAmp) => true,
                _ => break,
            };
            let t = self.next()?;
            if stderr_too {
                if let Some(last) = commands.last_mut() {
                    add_redirect(last, dup_stderr(self.span(t.start, t.end)));
                }
            }
            self.skip_newlines()?;
            commands.push(self.parse_command()?);
        }
        let end = commands
            .last()
            .map(|c| c.span().end)
            .unwrap_or(self.base + start);
        Ok(Pipeline {
            negated,
            commands,
            span: Span::new(self.base + start, end),
        })
    }

    fn parse_command(&mut self) -> PResult<Command> {
        let start = self.peek()?.start;
        self.enter(start)?;
        let cmd = self.parse_command_inner(start);
        self.depth -= 1;
        cmd
    }

    fn parse_command_inner(&mut self, start: usize) -> PResult<Command> {
        let t = self.peek()?.clone();
        let body = match &t.tok {
            Tok::Word(w) => match w.as_literal() {
                Some("if") => self.parse_if()?,
                Some("while") => self.parse_while(false)?,
                Some("until") => self.parse_while(true)?,
                Some("for") => self.parse_for()?,
                Some("case") => self.parse_case()?,
                Some("{") => {
                    self.next()?;
                    let body = self.parse_list(&["}"])?;
                    self.nonempty(&body, "}")?;
                    self.expect_keyword("}")?;
                    Compound::Brace(body)
                }
                Some("[[") if self.d.bash_syntax() => {
                    self.next()?;
                    let e = self.cond_or()?;
                    self.expect_keyword("]]")?;
                    Compound::Cond(e)
                }
                Some("function") if self.d.bash_syntax() => {
                    return self.parse_function_keyword(start);
                }
                Some(kw) if RESERVED_UNEXPECTED.contains(&kw) => {
                    return self.unexpected(&t, None);
                }
                _ => return self.parse_simple(),
            },
            Tok::Op(Op::LParen) => {
                if self.d.full_bash()
                    && self.at(t.start + 1) == b'('
                    && self.looks_arith(t.start + 2)
                {
                    self.peeked = None;
                    self.pos = t.start + 2;
                    let inner_start = self.pos;
                    let parts = self.word_parts(Mode::Arith)?;
                    if self.at(self.pos) != b')' || self.at(self.pos + 1) != b')' {
                        return self.err("Missing '))'", t.start, self.pos);
                    }
                    let word = Word {
                        parts,
                        span: self.span(inner_start, self.pos),
                    };
                    self.pos += 2;
                    Compound::Arith(word)
                } else {
                    self.next()?;
                    let body = self.parse_list(&[])?;
                    self.nonempty(&body, ")")?;
                    let close = self.next()?;
                    if !matches!(close.tok, Tok::Op(Op::RParen)) {
                        return self.unexpected(&close, Some(")"));
                    }
                    Compound::Subshell(body)
                }
            }
            Tok::Io(_) => return self.parse_simple(),
            Tok::Op(op) if op.redirect().is_some() => return self.parse_simple(),
            _ => return self.unexpected(&t, None),
        };
        let mut redirects = Vec::new();
        loop {
            let t = self.peek()?.clone();
            match t.tok {
                Tok::Io(n) => {
                    self.next()?;
                    let opt = self.next()?;
                    let Tok::Op(op) = opt.tok else {
                        return self.unexpected(&opt, None);
                    };
                    redirects.push(self.redirect_rest(Some(n), op, t.start)?);
                }
                Tok::Op(op) if op.redirect().is_some() => {
                    self.next()?;
                    redirects.push(self.redirect_rest(None, op, t.start)?);
                }
                _ => break,
            }
        }
        let end = self.last_end();
        Ok(Command::Compound {
            body: Box::new(body),
            redirects,
            span: self.span(start, end),
        })
    }

    /// The end of the last consumed token.
    fn last_end(&self) -> usize {
        self.last_end
    }

    fn nonempty(&mut self, list: &List, expecting: &str) -> PResult<()> {
        if list.is_empty() {
            let t = self.peek()?.clone();
            return self.unexpected(
                &t,
                if matches!(t.tok, Tok::Eof) {
                    Some(expecting)
                } else {
                    None
                },
            );
        }
        Ok(())
    }

    fn expect_keyword(&mut self, kw: &str) -> PResult<()> {
        let t = self.next()?;
        match &t.tok {
            Tok::Word(w) if w.as_literal() == Some(kw) => Ok(()),
            _ => self.unexpected(&t, Some(kw)),
        }
    }

    fn parse_if(&mut self) -> PResult<Compound> {
        self.next()?;
        let mut branches = Vec::new();
        let mut else_body = None;
        loop {
            let cond = self.parse_list(&["then"])?;
            self.nonempty(&cond, "then")?;
            self.expect_keyword("then")?;
            let body = self.parse_list(&["elif", "else", "fi"])?;
            self.nonempty(&body, "fi")?;
            branches.push((cond, body));
            let t = self.next()?;
            match &t.tok {
                Tok::Word(w) if w.as_literal() == Some("elif") => continue,
                Tok::Word(w) if w.as_literal() == Some("else") => {
                    let body = self.parse_list(&["fi"])?;
                    self.nonempty(&body, "fi")?;
                    else_body = Some(body);
                    self.expect_keyword("fi")?;
                    break;
                }
                Tok::Word(w) if w.as_literal() == Some("fi") => break,
                _ => return self.unexpected(&t, Some("fi")),
            }
        }
        Ok(Compound::If {
            branches,
            else_body,
        })
    }

    fn parse_while(&mut self, until: bool) -> PResult<Compound> {
        self.next()?;
        let cond = self.parse_list(&["do"])?;
        self.nonempty(&cond, "do")?;
        self.expect_keyword("do")?;
        let body = self.parse_list(&["done"])?;
        self.nonempty(&body, "done")?;
        self.expect_keyword("done")?;
        Ok(Compound::While { until, cond, body })
    }

    fn do_group(&mut self) -> PResult<List> {
        self.expect_keyword("do")?;
        let body = self.parse_list(&["done"])?;
        self.nonempty(&body, "done")?;
        self.expect_keyword("done")?;
        Ok(body)
    }

    fn parse_for(&mut self) -> PResult<Compound> {
        let for_tok = self.next()?;
        if self.d.full_bash() {
            if let Tok::Op(Op::LParen) = self.peek()?.tok {
                let t = self.peek()?.clone();
                if self.at(t.start + 1) == b'(' {
                    return self.parse_arith_for(t.start);
                }
            }
        }
        let t = self.next()?;
        let var = match &t.tok {
            Tok::Word(w) => match w.as_literal() {
                Some(name) if is_name(name) => name.to_string(),
                _ => return self.err("Bad for loop variable", t.start, t.end),
            },
            _ => return self.unexpected(&t, None),
        };
        let _ = for_tok;
        self.skip_newlines()?;
        let words = if self.peek_keyword()?.as_deref() == Some("in") {
            self.next()?;
            let mut words = Vec::new();
            loop {
                let t = self.next()?;
                match t.tok {
                    Tok::Word(w) => words.push(w),
                    Tok::Op(Op::Semi) | Tok::Newline => break,
                    _ => return self.unexpected(&t, Some("do")),
                }
            }
            Some(words)
        } else {
            if let Tok::Op(Op::Semi) = self.peek()?.tok {
                self.next()?;
            }
            None
        };
        self.skip_newlines()?;
        let body = self.do_group()?;
        Ok(Compound::For { var, words, body })
    }

    fn parse_arith_for(&mut self, paren: usize) -> PResult<Compound> {
        self.peeked = None;
        self.pos = paren + 2;
        let mut exprs = Vec::new();
        for i in 0..3 {
            let start = self.pos;
            let mut depth = 0usize;
            while self.pos < self.b.len() {
                let c = self.b[self.pos];
                if c == b'(' {
                    depth += 1;
                } else if c == b')' {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                } else if c == b';' && depth == 0 && i < 2 {
                    break;
                }
                self.pos += 1;
            }
            let text = self.src[start..self.pos].to_string();
            let mut w = parse_arith_word(&text, self.d)?;
            w.span = self.span(start, self.pos);
            exprs.push(w);
            if i < 2 {
                if self.at(self.pos) != b';' {
                    return self.err("Syntax error in arithmetic for", paren, self.pos);
                }
                self.pos += 1;
            }
        }
        if self.at(self.pos) != b')' || self.at(self.pos + 1) != b')' {
            return self.err("Missing '))'", paren, self.pos);
        }
        self.pos += 2;
        if let Tok::Op(Op::Semi) = self.peek()?.tok {
            self.next()?;
        }
        self.skip_newlines()?;
        let body = if self.peek_keyword()?.as_deref() == Some("{") {
            self.next()?;
            let b = self.parse_list(&["}"])?;
            self.expect_keyword("}")?;
            b
        } else {
            self.do_group()?
        };
        let mut it = exprs.into_iter();
        let (Some(init), Some(cond), Some(step)) = (it.next(), it.next(), it.next()) else {
            return self.err("Syntax error in arithmetic for", paren, self.pos);
        };
        Ok(Compound::ArithFor {
            init,
            cond,
            step,
            body,
        })
    }

    fn parse_case(&mut self) -> PResult<Compound> {
        self.next()?;
        let t = self.next()?;
        let Tok::Word(word) = t.tok else {
            return self.unexpected(&t, None);
        };
        self.skip_newlines()?;
        self.expect_keyword("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.peek_keyword()?.as_deref() == Some("esac") {
                self.next()?;
                break;
            }
            if let Tok::Op(Op::LParen) = self.peek()?.tok {
                self.next()?;
            }
            let mut patterns = Vec::new();
            loop {
                let t = self.next()?;
                match t.tok {
                    Tok::Word(w) => patterns.push(w),
                    _ => return self.unexpected(&t, Some(")")),
                }
                let t = self.next()?;
                match t.tok {
                    Tok::Op(Op::Pipe) => continue,
                    Tok::Op(Op::RParen) => break,
                    _ => return self.unexpected(&t, Some(")")),
                }
            }
            let body = self.parse_list(&["esac"])?;
            let end = match self.peek()?.tok {
                Tok::Op(Op::DSemi) => Some(CaseEnd::Break),
                Tok::Op(Op::SemiAnd) => Some(CaseEnd::FallThrough),
                Tok::Op(Op::DSemiAnd) => Some(CaseEnd::TestNext),
                _ => None,
            };
            match end {
                Some(e) => {
                    self.next()?;
                    arms.push(CaseArm {
                        patterns,
                        body,
                        end: e,
                    });
                }
                None => {
                    arms.push(CaseArm {
                        patterns,
                        body,
                        end: CaseEnd::Break,
                    });
                    self.skip_newlines()?;
                    self.expect_keyword("esac")?;
                    break;
                }
            }
        }
        Ok(Compound::Case { word, arms })
    }

    fn parse_function_keyword(&mut self, start: usize) -> PResult<Command> {
        self.next()?;
        let t = self.next()?;
        let name = match &t.tok {
            Tok::Word(w) => match w.as_literal() {
                Some(n) => n.to_string(),
                None => return self.unexpected(&t, None),
            },
            _ => return self.unexpected(&t, None),
        };
        if let Tok::Op(Op::LParen) = self.peek()?.tok {
            self.next()?;
            let close = self.next()?;
            if !matches!(close.tok, Tok::Op(Op::RParen)) {
                return self.unexpected(&close, Some(")"));
            }
        }
        self.skip_newlines()?;
        let body = self.parse_command()?;
        let end = body.span().end;
        Ok(Command::Function {
            name,
            body: Arc::new(body),
            span: Span::new(self.base + start, end),
        })
    }

    fn cond_or(&mut self) -> PResult<CondExpr> {
        let mut left = self.cond_and()?;
        while let Tok::Op(Op::OrIf) = self.peek()?.tok {
            self.next()?;
            self.skip_newlines()?;
            let right = self.cond_and()?;
            left = CondExpr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn cond_and(&mut self) -> PResult<CondExpr> {
        let mut left = self.cond_not()?;
        while let Tok::Op(Op::AndIf) = self.peek()?.tok {
            self.next()?;
            self.skip_newlines()?;
            let right = self.cond_not()?;
            left = CondExpr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn cond_not(&mut self) -> PResult<CondExpr> {
        if self.peek_keyword()?.as_deref() == Some("!") {
            self.next()?;
            return Ok(CondExpr::Not(Box::new(self.cond_not()?)));
        }
        self.cond_primary()
    }

    fn cond_primary(&mut self) -> PResult<CondExpr> {
        self.enter(self.pos)?;
        let r = self.cond_primary_inner();
        self.depth -= 1;
        r
    }

    fn cond_primary_inner(&mut self) -> PResult<CondExpr> {
        let t = self.next()?;
        match t.tok {
            Tok::Op(Op::LParen) => {
                let e = self.cond_or()?;
                let close = self.next()?;
                if !matches!(close.tok, Tok::Op(Op::RParen)) {
                    return self.unexpected(&close, Some(")"));
                }
                Ok(e)
            }
            Tok::Word(w) => {
                let lit = w.as_literal().map(str::to_string);
                if let Some(op) = lit.as_deref() {
                    if op.len() == 2 && op.starts_with('-') && op != "]]" {
                        if let Tok::Word(next) = &self.peek()?.tok {
                            if next.as_literal() != Some("]]") {
                                let arg = next.clone();
                                self.next()?;
                                return Ok(CondExpr::Unary(op.to_string(), arg));
                            }
                        }
                    }
                }
                let op = match &self.peek()?.tok {
                    Tok::Word(o) => match o.as_literal() {
                        Some(
                            s @ ("==" | "=" | "!=" | "=~" | "-eq" | "-ne" | "-lt" | "-le" | "-gt"
                            | "-ge" | "-nt" | "-ot" | "-ef"),
                        ) => Some(s.to_string()),
                        _ => None,
                    },
                    Tok::Op(Op::Less) => Some("<".to_string()),
                    Tok::Op(Op::Great) => Some(">".to_string()),
                    _ => None,
                };
                match op {
                    Some(op) if op == "=~" => {
                        self.next()?;
                        // bash reads the regex with parentheses and `|` as part of it
                        while matches!(self.at(self.pos), b' ' | b'\t') {
                            self.pos += 1;
                        }
                        let start = self.pos;
                        let parts = self.word_parts(Mode::CondRegex)?;
                        if self.pos == start {
                            let t = self.next()?;
                            return self.unexpected(&t, None);
                        }
                        let right = Word {
                            parts,
                            span: self.span(start, self.pos),
                        };
                        self.last_end = self.pos;
                        Ok(CondExpr::Binary(w, op, right))
                    }
                    Some(op) => {
                        self.next()?;
                        let rt = self.next()?;
                        let Tok::Word(right) = rt.tok else {
                            return self.unexpected(&rt, None);
                        };
                        Ok(CondExpr::Binary(w, op, right))
                    }
                    None => Ok(CondExpr::Word(w)),
                }
            }
            _ => self.unexpected(&t, Some("]]")),
        }
    }

    fn parse_simple(&mut self) -> PResult<Command> {
        let start = self.peek()?.start;
        let mut assigns = Vec::new();
        let mut words: Vec<Word> = Vec::new();
        let mut redirects = Vec::new();
        loop {
            let t = self.peek()?.clone();
            match t.tok {
                Tok::Io(n) => {
                    self.next()?;
                    let opt = self.next()?;
                    let Tok::Op(op) = opt.tok else {
                        return self.unexpected(&opt, None);
                    };
                    if op.redirect().is_none() {
                        return self.unexpected(&opt, None);
                    }
                    redirects.push(self.redirect_rest(Some(n), op, t.start)?);
                }
                Tok::Op(op) if op.redirect().is_some() => {
                    self.next()?;
                    redirects.push(self.redirect_rest(None, op, t.start)?);
                }
                Tok::Word(w) => {
                    self.next()?;
                    if words.is_empty() {
                        if let Some(a) = self.assignment(&w)? {
                            assigns.push(a);
                            continue;
                        }
                        if assigns.is_empty() && redirects.is_empty() {
                            if let Some(name) = w.as_literal() {
                                if let Tok::Op(Op::LParen) = self.peek()?.tok {
                                    let name = name.to_string();
                                    self.next()?;
                                    let close = self.next()?;
                                    if !matches!(close.tok, Tok::Op(Op::RParen)) {
                                        return self.unexpected(&close, Some(")"));
                                    }
                                    self.skip_newlines()?;
                                    let body = self.parse_command()?;
                                    let end = body.span().end;
                                    return Ok(Command::Function {
                                        name,
                                        body: Arc::new(body),
                                        span: Span::new(self.base + start, end),
                                    });
                                }
                            }
                        }
                    }
                    let mut w = w;
                    let is_decl = words.first().and_then(|c| c.as_literal()).is_some_and(|c| {
                        matches!(c, "declare" | "typeset" | "local" | "export" | "readonly")
                    });
                    if is_decl
                        && self.d.full_bash()
                        && self.peeked.is_none()
                        && self.at(self.pos) == b'('
                        && w.as_literal().is_some_and(|t| {
                            t.ends_with('=') && is_name(t.trim_end_matches(['=', '+']))
                        })
                    {
                        let items = self.array_literal(w.span.start)?;
                        w.parts.push(WordPart::ArrayLit(items));
                        w.span.end = self.base + self.pos;
                    }
                    words.push(w);
                }
                _ => break,
            }
        }
        if assigns.is_empty() && words.is_empty() && redirects.is_empty() {
            let t = self.peek()?.clone();
            return self.unexpected(&t, None);
        }
        let end = self.last_end().max(start);
        Ok(Command::Simple(SimpleCommand {
            assigns,
            words,
            redirects,
            span: self.span(start, end),
        }))
    }

    /// `NAME=value` (or `NAME+=value`, `NAME=(…)` in bash) as the word just read.
    fn assignment(&mut self, w: &Word) -> PResult<Option<Assign>> {
        let Some(WordPart::Lit(first)) = w.parts.first() else {
            return Ok(None);
        };
        let Some(eq) = first.find('=') else {
            return Ok(None);
        };
        let (name, append) = match first[..eq].strip_suffix('+') {
            Some(n) if self.d.full_bash() => (n, true),
            _ => (&first[..eq], false),
        };
        if !is_name(name) {
            return Ok(None);
        }
        let mut parts = Vec::new();
        let rest = &first[eq + 1..];
        if !rest.is_empty() {
            parts.push(WordPart::Lit(rest.to_string()));
        }
        parts.extend(w.parts.iter().skip(1).cloned());
        let value_start = w.span.start + eq + 1;
        if parts.is_empty()
            && self.d.full_bash()
            && self.peeked.is_none()
            && self.at(self.pos) == b'('
        {
            let items = self.array_literal(w.span.start)?;
            return Ok(Some(Assign {
                name: name.to_string(),
                append,
                value: AssignValue::Array(items),
                span: Span::new(w.span.start, self.base + self.pos),
            }));
        }
        Ok(Some(Assign {
            name: name.to_string(),
            append,
            value: AssignValue::Scalar(Word {
                parts,
                span: Span::new(value_start.min(w.span.end), w.span.end),
            }),
            span: w.span,
        }))
    }

    /// The elements of `(a b c)`, at the opening parenthesis.
    fn array_literal(&mut self, word_start: usize) -> PResult<Vec<Word>> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            while matches!(self.at(self.pos), b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            }
            if self.at(self.pos) == b'#' {
                while self.pos < self.b.len() && self.b[self.pos] != b'\n' {
                    self.pos += 1;
                }
                continue;
            }
            if self.pos >= self.b.len() {
                return self.err(
                    "end of file unexpected (expecting \")\")",
                    word_start.saturating_sub(self.base),
                    self.pos,
                );
            }
            if self.at(self.pos) == b')' {
                self.pos += 1;
                break;
            }
            let s = self.pos;
            let parts = self.word_parts(Mode::Normal)?;
            if self.pos == s {
                return self.err("\"(\" unexpected", s, s + 1);
            }
            items.push(Word {
                parts,
                span: self.span(s, self.pos),
            });
        }
        self.last_end = self.pos;
        Ok(items)
    }

    fn redirect_rest(&mut self, fd: Option<u32>, op: Op, start: usize) -> PResult<Redirect> {
        let Some(rop) = op.redirect() else {
            return self.err(format!("\"{}\" unexpected", op.text()), start, self.pos);
        };
        let t = self.next()?;
        let Tok::Word(w) = t.tok else {
            return self.unexpected(&t, None);
        };
        let target = if let RedirOp::Heredoc { strip_tabs } = rop {
            let raw = self.src.get(t.start..t.end).unwrap_or("");
            let cell = Arc::new(OnceLock::new());
            self.pending.push(Pending {
                delim: unquote_delimiter(raw),
                strip_tabs,
                quoted: w.has_quotes(),
                cell: Arc::clone(&cell),
            });
            RedirTarget::Heredoc(cell)
        } else {
            RedirTarget::Word(w)
        };
        Ok(Redirect {
            fd,
            op: rop,
            target,
            span: self.span(start, t.end),
        })
    }
}

fn add_redirect(cmd: &mut Command, r: Redirect) {
    match cmd {
        Command::Simple(s) => s.redirects.push(r),
        Command::Compound { redirects, .. } => redirects.push(r),
        Command::Function { .. } => {}
    }
}

fn dup_stderr(span: Span) -> Redirect {
    Redirect {
        fd: Some(2),
        op: RedirOp::DupOut,
        target: RedirTarget::Word(Word {
            parts: vec![WordPart::Lit("1".to_string())],
            span,
        }),
        span,
    }
}

/// The text of a here-document delimiter with quoting removed.
fn unquote_delimiter(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '\'' => {
                for n in chars.by_ref() {
                    if n == '\'' {
                        break;
                    }
                    out.push(n);
                }
            }
            '"' => {
                while let Some(n) = chars.next() {
                    match n {
                        '"' => break,
                        '\\' if matches!(chars.peek(), Some('$' | '`' | '"' | '\\')) => {
                            if let Some(e) = chars.next() {
                                out.push(e);
                            }
                        }
                        _ => out.push(n),
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn flush(lit: &mut Vec<u8>, parts: &mut Vec<WordPart>) {
    if !lit.is_empty() {
        let s = String::from_utf8_lossy(lit).into_owned();
        lit.clear();
        if let Some(WordPart::Lit(prev)) = parts.last_mut() {
            prev.push_str(&s);
        } else {
            parts.push(WordPart::Lit(s));
        }
    }
}

fn find_byte(b: &[u8], from: usize, needle: u8) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&c| c == needle)
        .map(|i| i + from)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}
