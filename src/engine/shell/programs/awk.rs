//! `awk`: the POSIX language as scripts in Dockerfiles use it — patterns and ranges,
//! `BEGIN`/`END`, fields, arrays, user functions, `print`/`printf` with redirection,
//! `getline`, and the builtins (`length substr index split sub gsub match sprintf
//! tolower toupper int sqrt exp log sin cos atan2 rand srand system close`).
//!
//! Invariants: every statement costs a step; function recursion is bounded; regexes are
//! the shared ERE engine.

use super::{Opts, ProgResult, ProgramCtx, Registry};
use crate::engine::shell::fs::Data;
use crate::engine::shell::regex::Regex;
use crate::engine::shell::stack::{StackGuard, LEAF_STACK};
use std::collections::HashMap;

pub fn register(r: &mut Registry) {
    r.register("awk", awk);
    r.register("mawk", awk);
    r.register("gawk", awk);
    r.register("nawk", awk);
}

const MAX_CALL_DEPTH: usize = 64;

// ---------------------------------------------------------------- lexer

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Re(String),
    Name(String),
    Func(String),
    Builtin(String),
    Kw(&'static str),
    Op(&'static str),
    Nl,
    Eof,
}

const KEYWORDS: [&str; 16] = [
    "BEGIN", "END", "function", "func", "if", "else", "while", "for", "do", "break", "continue",
    "next", "nextfile", "exit", "return", "delete",
];
const BUILTINS: [&str; 20] = [
    "length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "tolower", "toupper",
    "int", "sqrt", "exp", "log", "sin", "cos", "atan2", "rand", "srand", "system",
];
const OPS: [&str; 39] = [
    "+=", "-=", "*=", "/=", "%=", "^=", "**", "==", "<=", ">=", "!=", "++", "--", "&&", "||", ">>",
    "!~", "{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!", ">", "<", "|",
    "?", ":", "~", "=",
];

fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let c: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut out: Vec<Tok> = Vec::new();
    let operand_before = |out: &Vec<Tok>| {
        matches!(
            out.last(),
            Some(Tok::Num(_))
                | Some(Tok::Str(_))
                | Some(Tok::Name(_))
                | Some(Tok::Builtin(_))
                | Some(Tok::Op(")"))
                | Some(Tok::Op("]"))
                | Some(Tok::Op("$"))
                | Some(Tok::Op("++"))
                | Some(Tok::Op("--"))
        )
    };
    while i < c.len() {
        let ch = c[i];
        if ch == ' ' || ch == '\t' || ch == '\r' {
            i += 1;
            continue;
        }
        if ch == '\\' && c.get(i + 1) == Some(&'\n') {
            i += 2;
            continue;
        }
        if ch == '#' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if ch == '\n' {
            out.push(Tok::Nl);
            i += 1;
            continue;
        }
        if ch.is_ascii_digit() || (ch == '.' && c.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            let st = i;
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '.') {
                if (c[i] == 'e' || c[i] == 'E') && matches!(c.get(i + 1), Some('+') | Some('-')) {
                    i += 1;
                }
                i += 1;
            }
            let text: String = c[st..i].iter().collect();
            let v = if let Some(h) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
                i64::from_str_radix(h, 16).map(|v| v as f64).unwrap_or(0.0)
            } else {
                str_to_num(&text)
            };
            out.push(Tok::Num(v));
            continue;
        }
        if ch.is_ascii_alphabetic() || ch == '_' {
            let st = i;
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            let w: String = c[st..i].iter().collect();
            if let Some(k) = KEYWORDS.iter().find(|k| **k == w) {
                out.push(Tok::Kw(if *k == "func" { "function" } else { k }));
            } else if w == "in" {
                out.push(Tok::Op("in"));
            } else if w == "getline" {
                out.push(Tok::Kw("getline"));
            } else if w == "print" || w == "printf" {
                out.push(Tok::Kw(if w == "print" { "print" } else { "printf" }));
            } else if BUILTINS.contains(&w.as_str()) || w == "close" || w == "fflush" {
                out.push(Tok::Builtin(w));
            } else if c.get(i) == Some(&'(') {
                out.push(Tok::Func(w));
            } else {
                out.push(Tok::Name(w));
            }
            continue;
        }
        if ch == '"' {
            i += 1;
            let mut s = String::new();
            loop {
                let Some(&d) = c.get(i) else {
                    return Err("runaway string constant".to_string());
                };
                i += 1;
                match d {
                    '"' => break,
                    '\\' => {
                        let Some(&e) = c.get(i) else { break };
                        i += 1;
                        match e {
                            'n' => s.push('\n'),
                            't' => s.push('\t'),
                            'r' => s.push('\r'),
                            '\\' => s.push('\\'),
                            '"' => s.push('"'),
                            '/' => s.push('/'),
                            'a' => s.push('\x07'),
                            'b' => s.push('\x08'),
                            'f' => s.push('\x0c'),
                            'v' => s.push('\x0b'),
                            '\n' => {}
                            '0'..='7' => {
                                let mut v = e.to_digit(8).unwrap_or(0);
                                let mut k = 0;
                                while k < 2 && c.get(i).is_some_and(|x| ('0'..='7').contains(x)) {
                                    v = v * 8 + c[i].to_digit(8).unwrap_or(0);
                                    i += 1;
                                    k += 1;
                                }
                                s.push(char::from_u32(v).unwrap_or('\0'));
                            }
                            other => {
                                s.push('\\');
                                s.push(other);
                            }
                        }
                    }
                    _ => s.push(d),
                }
            }
            out.push(Tok::Str(s));
            continue;
        }
        if ch == '/' && !operand_before(&out) {
            i += 1;
            let mut s = String::new();
            let mut in_br = false;
            loop {
                let Some(&d) = c.get(i) else {
                    return Err("runaway regular expression".to_string());
                };
                i += 1;
                if d == '\n' {
                    return Err("newline in regex".to_string());
                }
                if d == '\\' {
                    if let Some(&e) = c.get(i) {
                        i += 1;
                        if e == '/' {
                            s.push('/');
                        } else {
                            s.push('\\');
                            s.push(e);
                        }
                    }
                    continue;
                }
                if d == '[' {
                    in_br = true;
                } else if d == ']' {
                    in_br = false;
                } else if d == '/' && !in_br {
                    break;
                }
                s.push(d);
            }
            out.push(Tok::Re(s));
            continue;
        }
        if ch == '$' {
            out.push(Tok::Op("$"));
            i += 1;
            continue;
        }
        let rest: String = c[i..c.len().min(i + 3)].iter().collect();
        match OPS.iter().find(|o| rest.starts_with(**o)) {
            Some(o) => {
                out.push(Tok::Op(if *o == "**" { "^" } else { o }));
                i += o.len();
            }
            None => {
                return Err(format!(
                    "syntax error at source line 1: unexpected character '{ch}'"
                ))
            }
        }
    }
    out.push(Tok::Eof);
    Ok(out)
}

// ---------------------------------------------------------------- AST

#[derive(Debug, Clone)]
enum Expr {
    Num(f64),
    Str(String),
    Re(String),
    Var(String),
    Field(Box<Expr>),
    Index(String, Vec<Expr>),
    In(Vec<Expr>, String),
    Assign(Box<Expr>, &'static str, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Match(Box<Expr>, Box<Expr>, bool),
    Bin(Box<Expr>, &'static str, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Plus(Box<Expr>),
    Incr(Box<Expr>, bool, f64),
    Call(String, Vec<Expr>),
    Builtin(String, Vec<Expr>),
    Getline(Option<Box<Expr>>, Option<Box<Expr>>, bool),
    Group(Box<Expr>),
}

#[derive(Debug, Clone)]
enum Stmt {
    Expr(Expr),
    Print(Vec<Expr>, Option<(String, Expr)>),
    Printf(Vec<Expr>, Option<(String, Expr)>),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    Do(Box<Stmt>, Expr),
    For(
        Option<Box<Stmt>>,
        Option<Expr>,
        Option<Box<Stmt>>,
        Box<Stmt>,
    ),
    ForIn(String, String, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    Exit(Option<Expr>),
    Return(Option<Expr>),
    Break,
    Continue,
    Delete(String, Option<Vec<Expr>>),
}

#[derive(Debug, Clone)]
enum Pattern {
    Begin,
    End,
    All,
    Expr(Expr),
    Range(Expr, Expr),
}

#[derive(Debug, Clone)]
struct Func {
    params: Vec<String>,
    body: Vec<Stmt>,
}

struct Program {
    rules: Vec<(Pattern, Option<Vec<Stmt>>)>,
    funcs: HashMap<String, Func>,
}

struct P {
    t: Vec<Tok>,
    i: usize,
    depth: usize,
    guard: StackGuard,
}

type R<T> = Result<T, String>;

impl P {
    fn peek(&self) -> &Tok {
        self.t.get(self.i).unwrap_or(&Tok::Eof)
    }
    fn next(&mut self) -> Tok {
        let t = self.peek().clone();
        self.i += 1;
        t
    }
    fn is_op(&self, o: &str) -> bool {
        matches!(self.peek(), Tok::Op(x) if *x == o)
    }
    fn eat_op(&mut self, o: &str) -> bool {
        if self.is_op(o) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect_op(&mut self, o: &str) -> R<()> {
        if self.eat_op(o) {
            Ok(())
        } else {
            Err(format!(
                "syntax error: expected '{o}' near {:?}",
                self.peek()
            ))
        }
    }
    fn skip_nl(&mut self) {
        while matches!(self.peek(), Tok::Nl) {
            self.i += 1;
        }
    }
    fn skip_terms(&mut self) {
        while matches!(self.peek(), Tok::Nl) || self.is_op(";") {
            self.i += 1;
        }
    }

    fn program(&mut self) -> R<Program> {
        let mut rules = Vec::new();
        let mut funcs = HashMap::new();
        loop {
            self.skip_terms();
            match self.peek().clone() {
                Tok::Eof => break,
                Tok::Kw("function") => {
                    self.next();
                    let name = match self.next() {
                        Tok::Name(n) | Tok::Func(n) => n,
                        t => return Err(format!("syntax error: bad function name {t:?}")),
                    };
                    self.expect_op("(")?;
                    let mut params = Vec::new();
                    while !self.is_op(")") {
                        match self.next() {
                            Tok::Name(n) => params.push(n),
                            t => return Err(format!("syntax error in parameter list: {t:?}")),
                        }
                        self.skip_nl();
                        if !self.eat_op(",") {
                            break;
                        }
                        self.skip_nl();
                    }
                    self.expect_op(")")?;
                    self.skip_nl();
                    let body = self.block()?;
                    funcs.insert(name, Func { params, body });
                }
                Tok::Kw("BEGIN") => {
                    self.next();
                    self.skip_nl();
                    rules.push((Pattern::Begin, Some(self.block()?)));
                }
                Tok::Kw("END") => {
                    self.next();
                    self.skip_nl();
                    rules.push((Pattern::End, Some(self.block()?)));
                }
                Tok::Op("{") => rules.push((Pattern::All, Some(self.block()?))),
                _ => {
                    let e = self.expr(false)?;
                    let pat = if self.eat_op(",") {
                        self.skip_nl();
                        Pattern::Range(e, self.expr(false)?)
                    } else {
                        Pattern::Expr(e)
                    };
                    let action = if self.is_op("{") {
                        Some(self.block()?)
                    } else {
                        None
                    };
                    rules.push((pat, action));
                }
            }
        }
        Ok(Program { rules, funcs })
    }

    fn block(&mut self) -> R<Vec<Stmt>> {
        self.expect_op("{")?;
        let mut out = Vec::new();
        loop {
            self.skip_terms();
            if self.eat_op("}") {
                break;
            }
            if matches!(self.peek(), Tok::Eof) {
                return Err("syntax error: unexpected end of program, missing '}'".to_string());
            }
            out.push(self.stmt()?);
        }
        Ok(out)
    }

    fn simple_or_block(&mut self) -> R<Stmt> {
        self.skip_nl();
        if self.is_op(";") {
            self.next();
            return Ok(Stmt::Block(Vec::new()));
        }
        self.stmt()
    }

    fn end_simple(&mut self) {
        if self.is_op(";") || matches!(self.peek(), Tok::Nl) {
            self.next();
        }
    }

    fn stmt(&mut self) -> R<Stmt> {
        self.depth += 1;
        if self.depth > 200 || self.guard.exceeded() {
            return Err("program nested too deeply".to_string());
        }
        let r = self.stmt_inner();
        self.depth -= 1;
        r
    }

    fn stmt_inner(&mut self) -> R<Stmt> {
        match self.peek().clone() {
            Tok::Op("{") => Ok(Stmt::Block(self.block()?)),
            Tok::Kw("if") => {
                self.next();
                self.expect_op("(")?;
                let c = self.expr(false)?;
                self.expect_op(")")?;
                let then = self.simple_or_block()?;
                let save = self.i;
                self.skip_terms();
                if matches!(self.peek(), Tok::Kw("else")) {
                    self.next();
                    let els = self.simple_or_block()?;
                    return Ok(Stmt::If(c, Box::new(then), Some(Box::new(els))));
                }
                self.i = save;
                Ok(Stmt::If(c, Box::new(then), None))
            }
            Tok::Kw("while") => {
                self.next();
                self.expect_op("(")?;
                let c = self.expr(false)?;
                self.expect_op(")")?;
                if self.is_op(";") {
                    self.next();
                    return Ok(Stmt::While(c, Box::new(Stmt::Block(Vec::new()))));
                }
                Ok(Stmt::While(c, Box::new(self.simple_or_block()?)))
            }
            Tok::Kw("do") => {
                self.next();
                let body = self.simple_or_block()?;
                self.skip_terms();
                if !matches!(self.next(), Tok::Kw("while")) {
                    return Err("syntax error: expected while after do".to_string());
                }
                self.expect_op("(")?;
                let c = self.expr(false)?;
                self.expect_op(")")?;
                self.end_simple();
                Ok(Stmt::Do(Box::new(body), c))
            }
            Tok::Kw("for") => {
                self.next();
                self.expect_op("(")?;
                // for (k in a)
                if let (Tok::Name(k), Tok::Op("in"), Tok::Name(a), Tok::Op(")")) = (
                    self.t.get(self.i).cloned().unwrap_or(Tok::Eof),
                    self.t.get(self.i + 1).cloned().unwrap_or(Tok::Eof),
                    self.t.get(self.i + 2).cloned().unwrap_or(Tok::Eof),
                    self.t.get(self.i + 3).cloned().unwrap_or(Tok::Eof),
                ) {
                    self.i += 4;
                    return Ok(Stmt::ForIn(k, a, Box::new(self.simple_or_block()?)));
                }
                let init = if self.is_op(";") {
                    None
                } else {
                    Some(Box::new(self.simple_stmt()?))
                };
                self.expect_op(";")?;
                self.skip_nl();
                let cond = if self.is_op(";") {
                    None
                } else {
                    Some(self.expr(false)?)
                };
                self.expect_op(";")?;
                self.skip_nl();
                let step = if self.is_op(")") {
                    None
                } else {
                    Some(Box::new(self.simple_stmt()?))
                };
                self.expect_op(")")?;
                if self.is_op(";") {
                    self.next();
                    return Ok(Stmt::For(
                        init,
                        cond,
                        step,
                        Box::new(Stmt::Block(Vec::new())),
                    ));
                }
                Ok(Stmt::For(
                    init,
                    cond,
                    step,
                    Box::new(self.simple_or_block()?),
                ))
            }
            _ => {
                let s = self.simple_stmt()?;
                if !(self.is_op("}") || matches!(self.peek(), Tok::Eof)) {
                    if !(self.is_op(";") || matches!(self.peek(), Tok::Nl)) {
                        return Err(format!(
                            "syntax error at source line 1: unexpected {:?}",
                            self.peek()
                        ));
                    }
                    self.next();
                }
                Ok(s)
            }
        }
    }

    fn simple_stmt(&mut self) -> R<Stmt> {
        match self.peek().clone() {
            Tok::Kw("print") | Tok::Kw("printf") => {
                let is_printf = matches!(self.next(), Tok::Kw("printf"));
                let mut args = Vec::new();
                let grouped = self.is_op("(") && self.paren_list_is_whole();
                if grouped {
                    self.next();
                    loop {
                        self.skip_nl();
                        if self.is_op(")") {
                            break;
                        }
                        args.push(self.expr(false)?);
                        self.skip_nl();
                        if !self.eat_op(",") {
                            break;
                        }
                    }
                    self.expect_op(")")?;
                } else if !(self.is_op(";")
                    || self.is_op("}")
                    || self.is_op(">")
                    || self.is_op("|")
                    || matches!(self.peek(), Tok::Nl | Tok::Eof))
                {
                    loop {
                        args.push(self.expr(true)?);
                        if !self.eat_op(",") {
                            break;
                        }
                        self.skip_nl();
                    }
                }
                let redir = if self.is_op(">") || self.is_op(">>") || self.is_op("|") {
                    let op = match self.next() {
                        Tok::Op(o) => o.to_string(),
                        _ => String::new(),
                    };
                    Some((op, self.concat(true)?))
                } else {
                    None
                };
                Ok(if is_printf {
                    Stmt::Printf(args, redir)
                } else {
                    Stmt::Print(args, redir)
                })
            }
            Tok::Kw("next") | Tok::Kw("nextfile") => {
                self.next();
                Ok(Stmt::Next)
            }
            Tok::Kw("exit") => {
                self.next();
                let e = if self.at_end_of_simple() {
                    None
                } else {
                    Some(self.expr(false)?)
                };
                Ok(Stmt::Exit(e))
            }
            Tok::Kw("return") => {
                self.next();
                let e = if self.at_end_of_simple() {
                    None
                } else {
                    Some(self.expr(false)?)
                };
                Ok(Stmt::Return(e))
            }
            Tok::Kw("break") => {
                self.next();
                Ok(Stmt::Break)
            }
            Tok::Kw("continue") => {
                self.next();
                Ok(Stmt::Continue)
            }
            Tok::Kw("delete") => {
                self.next();
                let name = match self.next() {
                    Tok::Name(n) => n,
                    t => return Err(format!("syntax error: delete {t:?}")),
                };
                if self.eat_op("[") {
                    let idx = self.expr_list()?;
                    self.expect_op("]")?;
                    Ok(Stmt::Delete(name, Some(idx)))
                } else {
                    Ok(Stmt::Delete(name, None))
                }
            }
            _ => Ok(Stmt::Expr(self.expr(false)?)),
        }
    }

    /// `print (a, b)` vs `print (a) b`: the parenthesis closes the whole argument list.
    fn paren_list_is_whole(&self) -> bool {
        let mut depth = 0;
        let mut j = self.i;
        while let Some(t) = self.t.get(j) {
            match t {
                Tok::Op("(") => depth += 1,
                Tok::Op(")") => {
                    depth -= 1;
                    if depth == 0 {
                        return matches!(
                            self.t.get(j + 1),
                            Some(Tok::Nl)
                                | Some(Tok::Eof)
                                | Some(Tok::Op(";"))
                                | Some(Tok::Op("}"))
                                | Some(Tok::Op(">"))
                                | Some(Tok::Op(">>"))
                                | Some(Tok::Op("|"))
                        );
                    }
                }
                Tok::Eof => return false,
                _ => {}
            }
            j += 1;
        }
        false
    }

    fn at_end_of_simple(&self) -> bool {
        self.is_op(";") || self.is_op("}") || matches!(self.peek(), Tok::Nl | Tok::Eof)
    }

    fn expr_list(&mut self) -> R<Vec<Expr>> {
        let mut v = vec![self.expr(false)?];
        while self.eat_op(",") {
            self.skip_nl();
            v.push(self.expr(false)?);
        }
        Ok(v)
    }

    fn expr(&mut self, no_gt: bool) -> R<Expr> {
        self.depth += 1;
        if self.depth > 300 || self.guard.exceeded() {
            return Err("expression nested too deeply".to_string());
        }
        let r = self.ternary(no_gt);
        self.depth -= 1;
        r
    }

    fn ternary(&mut self, no_gt: bool) -> R<Expr> {
        let c = self.or(no_gt)?;
        if self.eat_op("?") {
            self.skip_nl();
            let a = self.ternary(no_gt)?;
            self.skip_nl();
            self.expect_op(":")?;
            self.skip_nl();
            let b = self.ternary(no_gt)?;
            return Ok(Expr::Cond(Box::new(c), Box::new(a), Box::new(b)));
        }
        if let Tok::Op(op @ ("=" | "+=" | "-=" | "*=" | "/=" | "%=" | "^=")) = self.peek().clone() {
            if is_lvalue(&c) {
                self.next();
                self.skip_nl();
                let rhs = self.ternary(no_gt)?;
                return Ok(Expr::Assign(Box::new(c), op, Box::new(rhs)));
            }
        }
        Ok(c)
    }

    fn or(&mut self, no_gt: bool) -> R<Expr> {
        let mut l = self.and(no_gt)?;
        while self.eat_op("||") {
            self.skip_nl();
            let r = self.and(no_gt)?;
            l = Expr::Or(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn and(&mut self, no_gt: bool) -> R<Expr> {
        let mut l = self.in_expr(no_gt)?;
        while self.eat_op("&&") {
            self.skip_nl();
            let r = self.in_expr(no_gt)?;
            l = Expr::And(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn in_expr(&mut self, no_gt: bool) -> R<Expr> {
        let mut l = self.matching(no_gt)?;
        while self.is_op("in") {
            self.next();
            let Tok::Name(a) = self.next() else {
                return Err("syntax error: in without array".to_string());
            };
            let keys = match l {
                Expr::Group(inner) => vec![*inner],
                other => vec![other],
            };
            l = Expr::In(keys, a);
        }
        Ok(l)
    }

    fn matching(&mut self, no_gt: bool) -> R<Expr> {
        let mut l = self.compare(no_gt)?;
        loop {
            let neg = if self.is_op("~") {
                false
            } else if self.is_op("!~") {
                true
            } else {
                break;
            };
            self.next();
            let r = self.compare(no_gt)?;
            l = Expr::Match(Box::new(l), Box::new(r), neg);
        }
        Ok(l)
    }

    fn compare(&mut self, no_gt: bool) -> R<Expr> {
        let l = self.concat(no_gt)?;
        let op = match self.peek() {
            Tok::Op(o @ ("<" | "<=" | "!=" | "==" | ">=")) => *o,
            Tok::Op(">") if !no_gt => ">",
            _ => return Ok(l),
        };
        self.next();
        let r = self.concat(no_gt)?;
        Ok(Expr::Bin(Box::new(l), op, Box::new(r)))
    }

    fn starts_operand(&self) -> bool {
        match self.peek() {
            Tok::Num(_)
            | Tok::Str(_)
            | Tok::Re(_)
            | Tok::Name(_)
            | Tok::Func(_)
            | Tok::Builtin(_) => true,
            Tok::Op("$") | Tok::Op("(") | Tok::Op("!") | Tok::Op("++") | Tok::Op("--") => true,
            Tok::Op("-") | Tok::Op("+") => false,
            _ => false,
        }
    }

    fn concat(&mut self, no_gt: bool) -> R<Expr> {
        let mut l = self.additive()?;
        while self.starts_operand() && !self.is_op("in") {
            // `getline` after an operand is a pipe form handled elsewhere
            let r = self.additive()?;
            l = Expr::Concat(Box::new(l), Box::new(r));
            let _ = no_gt;
        }
        // `cmd | getline [var]`
        if self.is_op("|") && matches!(self.t.get(self.i + 1), Some(Tok::Kw("getline"))) {
            self.i += 2;
            let var = if matches!(self.peek(), Tok::Name(_) | Tok::Op("$")) {
                Some(Box::new(self.primary()?))
            } else {
                None
            };
            return Ok(Expr::Getline(var, Some(Box::new(l)), true));
        }
        Ok(l)
    }

    fn additive(&mut self) -> R<Expr> {
        let mut l = self.mult()?;
        loop {
            let op = match self.peek() {
                Tok::Op("+") => "+",
                Tok::Op("-") => "-",
                _ => break,
            };
            self.next();
            let r = self.mult()?;
            l = Expr::Bin(Box::new(l), op, Box::new(r));
        }
        Ok(l)
    }

    fn mult(&mut self) -> R<Expr> {
        let mut l = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Op("*") => "*",
                Tok::Op("/") => "/",
                Tok::Op("%") => "%",
                _ => break,
            };
            self.next();
            let r = self.unary()?;
            l = Expr::Bin(Box::new(l), op, Box::new(r));
        }
        Ok(l)
    }

    fn unary(&mut self) -> R<Expr> {
        self.depth += 1;
        if self.depth > 300 || self.guard.exceeded() {
            return Err("expression nested too deeply".to_string());
        }
        let r = match self.peek() {
            Tok::Op("!") => {
                self.next();
                Ok(Expr::Not(Box::new(self.unary()?)))
            }
            Tok::Op("-") => {
                self.next();
                Ok(Expr::Neg(Box::new(self.unary()?)))
            }
            Tok::Op("+") => {
                self.next();
                Ok(Expr::Plus(Box::new(self.unary()?)))
            }
            _ => self.power(),
        };
        self.depth -= 1;
        r
    }

    fn power(&mut self) -> R<Expr> {
        let base = self.postfix()?;
        if self.eat_op("^") {
            let e = self.unary()?;
            return Ok(Expr::Bin(Box::new(base), "^", Box::new(e)));
        }
        Ok(base)
    }

    fn postfix(&mut self) -> R<Expr> {
        if self.is_op("++") || self.is_op("--") {
            let d = if self.is_op("++") { 1.0 } else { -1.0 };
            self.next();
            let e = self.postfix()?;
            return Ok(Expr::Incr(Box::new(e), true, d));
        }
        let e = self.primary()?;
        if is_lvalue(&e) && (self.is_op("++") || self.is_op("--")) {
            let d = if self.is_op("++") { 1.0 } else { -1.0 };
            self.next();
            return Ok(Expr::Incr(Box::new(e), false, d));
        }
        Ok(e)
    }

    fn primary(&mut self) -> R<Expr> {
        match self.next() {
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Re(r) => Ok(Expr::Re(r)),
            Tok::Op("$") => {
                let e = if self.is_op("++") || self.is_op("--") {
                    self.postfix()?
                } else {
                    self.primary()?
                };
                Ok(Expr::Field(Box::new(e)))
            }
            Tok::Op("(") => {
                self.skip_nl();
                let e = self.expr(false)?;
                if self.is_op(",") {
                    // (a, b) in arr
                    let mut keys = vec![e];
                    while self.eat_op(",") {
                        keys.push(self.expr(false)?);
                    }
                    self.expect_op(")")?;
                    if self.is_op("in") {
                        self.next();
                        let Tok::Name(a) = self.next() else {
                            return Err("syntax error: in".to_string());
                        };
                        return Ok(Expr::In(keys, a));
                    }
                    return Err("syntax error: unexpected ','".to_string());
                }
                self.skip_nl();
                self.expect_op(")")?;
                Ok(Expr::Group(Box::new(e)))
            }
            Tok::Name(n) => {
                if self.eat_op("[") {
                    let idx = self.expr_list()?;
                    self.expect_op("]")?;
                    return Ok(Expr::Index(n, idx));
                }
                Ok(Expr::Var(n))
            }
            Tok::Func(n) => {
                self.expect_op("(")?;
                let mut args = Vec::new();
                self.skip_nl();
                if !self.is_op(")") {
                    args = self.expr_list()?;
                }
                self.skip_nl();
                self.expect_op(")")?;
                Ok(Expr::Call(n, args))
            }
            Tok::Builtin(n) => {
                let mut args = Vec::new();
                if self.eat_op("(") {
                    self.skip_nl();
                    if !self.is_op(")") {
                        args = self.expr_list()?;
                    }
                    self.skip_nl();
                    self.expect_op(")")?;
                } else if n != "length" {
                    return Err(format!("syntax error: {n} needs arguments"));
                }
                Ok(Expr::Builtin(n, args))
            }
            Tok::Kw("getline") => {
                let var = if matches!(self.peek(), Tok::Name(_) | Tok::Op("$")) {
                    Some(Box::new(self.primary()?))
                } else {
                    None
                };
                let file = if self.eat_op("<") {
                    Some(Box::new(self.primary()?))
                } else {
                    None
                };
                Ok(Expr::Getline(var, file, false))
            }
            Tok::Op("-") => Ok(Expr::Neg(Box::new(self.unary()?))),
            Tok::Op("!") => Ok(Expr::Not(Box::new(self.unary()?))),
            t => Err(format!(
                "syntax error at source line 1: unexpected {}",
                describe(&t)
            )),
        }
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Op(o) => format!("'{o}'"),
        Tok::Nl => "newline".into(),
        Tok::Eof => "end of program".into(),
        Tok::Kw(k) => k.to_string(),
        other => format!("{other:?}"),
    }
}

fn is_lvalue(e: &Expr) -> bool {
    matches!(e, Expr::Var(_) | Expr::Field(_) | Expr::Index(..))
}

// ---------------------------------------------------------------- values

#[derive(Debug, Clone)]
enum Val {
    Num(f64),
    Str(String),
    /// Input data that looks numeric: compares as a number.
    StrNum(String, f64),
    Uninit,
}

fn str_to_num(s: &str) -> f64 {
    let t = s.trim_start();
    let b = t.as_bytes();
    let mut end = 0;
    if end < b.len() && (b[end] == b'+' || b[end] == b'-') {
        end += 1;
    }
    let digits_start = end;
    while end < b.len() && b[end].is_ascii_digit() {
        end += 1;
    }
    if end < b.len() && b[end] == b'.' {
        end += 1;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
    }
    if end == digits_start {
        return 0.0;
    }
    if end < b.len() && (b[end] == b'e' || b[end] == b'E') {
        let mut k = end + 1;
        if k < b.len() && (b[k] == b'+' || b[k] == b'-') {
            k += 1;
        }
        if k < b.len() && b[k].is_ascii_digit() {
            while k < b.len() && b[k].is_ascii_digit() {
                k += 1;
            }
            end = k;
        }
    }
    t[..end].parse().unwrap_or(0.0)
}

fn looks_numeric(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    let v: f64 = t.parse().ok()?;
    if t.chars()
        .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
    {
        return None;
    }
    Some(v)
}

fn fmt_num(n: f64, fmt: &str) -> String {
    if n.is_finite() && n == n.trunc() && n.abs() < 1e16 {
        return format!("{}", n as i64);
    }
    if n.is_nan() {
        return "nan".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "inf".into() } else { "-inf".into() };
    }
    sprintf(fmt, &[Val::Num(n)], "%.6g")
}

impl Val {
    fn num(&self) -> f64 {
        match self {
            Val::Num(n) | Val::StrNum(_, n) => *n,
            Val::Str(s) => str_to_num(s),
            Val::Uninit => 0.0,
        }
    }
    fn str_with(&self, convfmt: &str) -> String {
        match self {
            Val::Num(n) => fmt_num(*n, convfmt),
            Val::Str(s) | Val::StrNum(s, _) => s.clone(),
            Val::Uninit => String::new(),
        }
    }
    fn truthy(&self) -> bool {
        match self {
            Val::Num(n) => *n != 0.0,
            Val::StrNum(_, n) => *n != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::Uninit => false,
        }
    }
    fn input(s: String) -> Val {
        match looks_numeric(&s) {
            Some(n) => Val::StrNum(s, n),
            None => Val::Str(s),
        }
    }
}

/// awk's `printf` formatting.
fn sprintf(fmt: &str, args: &[Val], convfmt: &str) -> String {
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut ai = 0;
    let mut i = 0;
    let next_arg = |ai: &mut usize| -> Val {
        let v = args.get(*ai).cloned().unwrap_or(Val::Uninit);
        *ai += 1;
        v
    };
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        if chars.get(i) == Some(&'%') {
            out.push('%');
            i += 1;
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.get(i) {
            if "-+ #0".contains(f) {
                flags.push(f);
                i += 1;
            } else {
                break;
            }
        }
        let mut width: Option<i64> = None;
        if chars.get(i) == Some(&'*') {
            width = Some(next_arg(&mut ai).num() as i64);
            i += 1;
        } else {
            let mut w = String::new();
            while let Some(&d) = chars.get(i) {
                if d.is_ascii_digit() {
                    w.push(d);
                    i += 1;
                } else {
                    break;
                }
            }
            width = w.parse().ok().or(width);
        }
        let mut prec: Option<i64> = None;
        if chars.get(i) == Some(&'.') {
            i += 1;
            if chars.get(i) == Some(&'*') {
                prec = Some(next_arg(&mut ai).num() as i64);
                i += 1;
            } else {
                let mut p = String::new();
                while let Some(&d) = chars.get(i) {
                    if d.is_ascii_digit() {
                        p.push(d);
                        i += 1;
                    } else {
                        break;
                    }
                }
                prec = Some(p.parse().unwrap_or(0));
            }
        }
        while matches!(chars.get(i), Some('l') | Some('h') | Some('L')) {
            i += 1;
        }
        let Some(&conv) = chars.get(i) else {
            out.push('%');
            out.push_str(&flags);
            break;
        };
        i += 1;
        let pad = |s: String, width: Option<i64>, flags: &str| -> String {
            let w = width.unwrap_or(0);
            let left = flags.contains('-') || w < 0;
            let w = w.unsigned_abs() as usize;
            let len = s.chars().count();
            if len >= w {
                s
            } else if left {
                format!("{s}{}", " ".repeat(w - len))
            } else {
                format!("{}{s}", " ".repeat(w - len))
            }
        };
        match conv {
            'd' | 'i' | 'o' | 'x' | 'X' | 'u' => {
                let v = next_arg(&mut ai).num();
                out.push_str(&super::basic::format_int(
                    v.trunc() as i64,
                    if conv == 'i' { 'd' } else { conv },
                    &flags,
                    width,
                    prec,
                ));
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                let v = next_arg(&mut ai).num();
                out.push_str(&super::basic::format_float(v, conv, &flags, width, prec));
            }
            'c' => {
                let v = next_arg(&mut ai);
                let s = match v {
                    Val::Num(n) => char::from_u32(n as u32)
                        .map(String::from)
                        .unwrap_or_default(),
                    other => other
                        .str_with(convfmt)
                        .chars()
                        .next()
                        .map(String::from)
                        .unwrap_or_default(),
                };
                out.push_str(&pad(s, width, &flags));
            }
            's' => {
                let mut s = next_arg(&mut ai).str_with(convfmt);
                if let Some(p) = prec {
                    s = s.chars().take(p.max(0) as usize).collect();
                }
                out.push_str(&pad(s, width, &flags));
            }
            other => {
                out.push('%');
                out.push(other);
            }
        }
    }
    out
}

// ---------------------------------------------------------------- interpreter

enum Ctl {
    Next,
    Exit,
    Return(Val),
    Break,
    Continue,
    Abort(super::ProgramAbort),
    Error(String),
}

impl From<super::ProgramAbort> for Ctl {
    fn from(a: super::ProgramAbort) -> Self {
        Ctl::Abort(a)
    }
}

type X<T> = Result<T, Ctl>;

#[derive(Debug, Clone, Default)]
struct Array {
    keys: Vec<String>,
    map: HashMap<String, Val>,
}

impl Array {
    fn get(&self, k: &str) -> Option<&Val> {
        self.map.get(k)
    }
    fn set(&mut self, k: String, v: Val) {
        if !self.map.contains_key(&k) {
            self.keys.push(k.clone());
        }
        self.map.insert(k, v);
    }
    fn remove(&mut self, k: &str) {
        if self.map.remove(k).is_some() {
            self.keys.retain(|x| x != k);
        }
    }
}

#[derive(Debug, Clone)]
enum Cell {
    Scalar(Val),
    Arr(Array),
    /// A function parameter bound to a caller's array: (frame index or None for global, name).
    Ref(Option<usize>, String),
}

struct Awk<'p> {
    prog: &'p Program,
    globals: HashMap<String, Cell>,
    frames: Vec<HashMap<String, Cell>>,
    fields: Vec<String>,
    record: String,
    nf_dirty: bool,
    inputs: Vec<(String, Vec<String>)>,
    input_idx: usize,
    line_idx: usize,
    files_out: Vec<(String, String, bool)>,
    regexes: HashMap<String, Option<Regex>>,
    exit_code: i32,
    range_active: Vec<bool>,
    rand_state: u64,
    getline_files: HashMap<String, (Vec<String>, usize)>,
    guard: StackGuard,
}

impl<'p> Awk<'p> {
    fn var(&self, name: &str) -> Val {
        match self.lookup(name) {
            Some(Cell::Scalar(v)) => v.clone(),
            _ => Val::Uninit,
        }
    }

    fn lookup(&self, name: &str) -> Option<&Cell> {
        if let Some(f) = self.frames.last() {
            if let Some(c) = f.get(name) {
                return match c {
                    Cell::Ref(frame, n) => match frame {
                        Some(k) => self.frames.get(*k).and_then(|f| f.get(n)),
                        None => self.globals.get(n),
                    },
                    other => Some(other),
                };
            }
        }
        self.globals.get(name)
    }

    /// Where a name lives: (frame index or global, resolved name).
    fn slot(&self, name: &str) -> (Option<usize>, String) {
        if let Some(top) = self.frames.len().checked_sub(1) {
            if let Some(c) = self.frames[top].get(name) {
                if let Cell::Ref(frame, n) = c {
                    return (*frame, n.clone());
                }
                return (Some(top), name.to_string());
            }
        }
        (None, name.to_string())
    }

    fn cell_mut(&mut self, name: &str) -> &mut Cell {
        let (frame, n) = self.slot(name);
        let map = match frame {
            Some(k) if k < self.frames.len() => &mut self.frames[k],
            _ => &mut self.globals,
        };
        map.entry(n).or_insert(Cell::Scalar(Val::Uninit))
    }

    fn set_var(&mut self, name: &str, v: Val) {
        if name == "NF" {
            let n = v.num().max(0.0) as usize;
            self.split_if_needed();
            self.fields.resize(n, String::new());
            self.rebuild_record();
        }
        *self.cell_mut(name) = Cell::Scalar(v);
    }

    /// The array called `name`, created (replacing a scalar) if needed. `None` cannot
    /// happen in practice; callers then skip the operation.
    fn array_mut(&mut self, name: &str) -> Option<&mut Array> {
        let cell = self.cell_mut(name);
        if !matches!(cell, Cell::Arr(_)) {
            *cell = Cell::Arr(Array::default());
        }
        match cell {
            Cell::Arr(a) => Some(a),
            _ => None,
        }
    }

    fn convfmt(&self) -> String {
        match self.var("CONVFMT") {
            Val::Uninit => "%.6g".into(),
            v => v.str_with("%.6g"),
        }
    }

    fn s(&self, v: &Val) -> String {
        v.str_with(&self.convfmt())
    }

    fn regex(&mut self, src: &str) -> Option<Regex> {
        if let Some(r) = self.regexes.get(src) {
            return r.clone();
        }
        let r = Regex::new_awk(src).ok();
        if self.regexes.len() < 1000 {
            self.regexes.insert(src.to_string(), r.clone());
        }
        r
    }

    // -------------------------------------------------------- records and fields

    fn set_record(&mut self, rec: String) {
        self.record = rec;
        self.nf_dirty = true;
        self.split_if_needed();
    }

    fn split_if_needed(&mut self) {
        if !self.nf_dirty {
            return;
        }
        self.nf_dirty = false;
        let fs = self.s(&self.var("FS"));
        self.fields = self.split_with(&self.record.clone(), &fs);
        let nf = self.fields.len() as f64;
        *self.cell_mut("NF") = Cell::Scalar(Val::Num(nf));
    }

    fn split_with(&mut self, text: &str, fs: &str) -> Vec<String> {
        if fs == " " {
            return text.split_whitespace().map(str::to_string).collect();
        }
        if text.is_empty() {
            return Vec::new();
        }
        if fs.chars().count() == 1 && fs != "\\" {
            let c = fs.chars().next().unwrap_or(' ');
            if c == '\t' || !".[]()*+?^$|{}\\".contains(c) {
                return text.split(c).map(str::to_string).collect();
            }
        }
        match self.regex(fs) {
            Some(re) => {
                let mut out = Vec::new();
                let mut pos = 0;
                while let Some((s, e)) = re.find(text, pos) {
                    if e == s {
                        break;
                    }
                    out.push(text[pos..s].to_string());
                    pos = e;
                }
                out.push(text[pos..].to_string());
                out
            }
            None => vec![text.to_string()],
        }
    }

    fn rebuild_record(&mut self) {
        let ofs = self.s(&self.var("OFS"));
        self.record = self.fields.join(&ofs);
        let nf = self.fields.len() as f64;
        *self.cell_mut("NF") = Cell::Scalar(Val::Num(nf));
    }

    fn field(&mut self, i: usize) -> Val {
        if i == 0 {
            return Val::input(self.record.clone());
        }
        self.split_if_needed();
        match self.fields.get(i - 1) {
            Some(f) => Val::input(f.clone()),
            None => Val::Uninit,
        }
    }

    fn set_field(&mut self, i: usize, v: String) {
        if i == 0 {
            self.set_record(v);
            return;
        }
        self.split_if_needed();
        if self.fields.len() < i {
            self.fields.resize(i, String::new());
        }
        self.fields[i - 1] = v;
        self.rebuild_record();
    }

    fn next_record(&mut self) -> Option<String> {
        while self.input_idx < self.inputs.len() {
            let (name, lines) = &self.inputs[self.input_idx];
            if self.line_idx < lines.len() {
                let l = lines[self.line_idx].clone();
                let name = name.clone();
                self.line_idx += 1;
                let nr = self.var("NR").num() + 1.0;
                let fnr = self.var("FNR").num() + 1.0;
                self.set_var("NR", Val::Num(nr));
                self.set_var("FNR", Val::Num(fnr));
                self.set_var(
                    "FILENAME",
                    Val::Str(if name == "-" { String::new() } else { name }),
                );
                return Some(l);
            }
            self.input_idx += 1;
            self.line_idx = 0;
            self.set_var("FNR", Val::Num(0.0));
        }
        None
    }
}

fn run_stmts(a: &mut Awk<'_>, ctx: &mut ProgramCtx<'_, '_>, body: &[Stmt]) -> X<()> {
    for s in body {
        exec(a, ctx, s)?;
    }
    Ok(())
}

fn output(
    a: &mut Awk<'_>,
    ctx: &mut ProgramCtx<'_, '_>,
    text: String,
    redir: &Option<(String, Expr)>,
) -> X<()> {
    match redir {
        None => ctx.out_str(&text)?,
        Some((op, target)) => {
            let t = eval(a, ctx, target)?;
            let name = a.s(&t);
            if op == "|" {
                // print | "cmd": feed the command on close; run it now with this text
                match a
                    .files_out
                    .iter_mut()
                    .find(|(n, _, pipe)| *n == name && *pipe)
                {
                    Some(entry) => entry.1.push_str(&text),
                    None => a.files_out.push((name, text, true)),
                }
                return Ok(());
            }
            if name == "/dev/stdout" || name == "-" {
                ctx.out_str(&text)?;
                return Ok(());
            }
            if name == "/dev/stderr" {
                ctx.err(text.as_bytes())?;
                return Ok(());
            }
            match a
                .files_out
                .iter_mut()
                .find(|(n, _, pipe)| *n == name && !*pipe)
            {
                Some(entry) => {
                    entry.1.push_str(&text);
                    let _ = ctx.append(&name, Data::Bytes(text.as_bytes()));
                }
                None => {
                    let r = if op == ">>" {
                        ctx.append(&name, Data::Bytes(text.as_bytes()))
                    } else {
                        ctx.write(&name, Data::Bytes(text.as_bytes()))
                    };
                    if let Err(e) = r {
                        return Err(Ctl::Error(format!("can't redirect to {name} ({e})")));
                    }
                    a.files_out.push((name, text, false));
                }
            }
        }
    }
    Ok(())
}

fn exec(a: &mut Awk<'_>, ctx: &mut ProgramCtx<'_, '_>, s: &Stmt) -> X<()> {
    ctx.steps(1)?;
    if a.guard.exceeded() {
        return Err(Ctl::Error("program nested too deeply".to_string()));
    }
    match s {
        Stmt::Expr(e) => {
            eval(a, ctx, e)?;
        }
        Stmt::Print(args, redir) => {
            let ofs = a.s(&a.var("OFS"));
            let ors = a.s(&a.var("ORS"));
            let ofmt = match a.var("OFMT") {
                Val::Uninit => "%.6g".to_string(),
                v => v.str_with("%.6g"),
            };
            let text = if args.is_empty() {
                a.record.clone()
            } else {
                let mut parts = Vec::new();
                for e in args {
                    let v = eval(a, ctx, e)?;
                    parts.push(v.str_with(&ofmt));
                }
                parts.join(&ofs)
            };
            output(a, ctx, format!("{text}{ors}"), redir)?;
        }
        Stmt::Printf(args, redir) => {
            let Some(first) = args.first() else {
                return Ok(());
            };
            let f = eval(a, ctx, first)?;
            let f = a.s(&f);
            let mut vals = Vec::new();
            for e in &args[1..] {
                vals.push(eval(a, ctx, e)?);
            }
            let text = sprintf(&f, &vals, &a.convfmt());
            output(a, ctx, text, redir)?;
        }
        Stmt::If(c, t, e) => {
            if eval(a, ctx, c)?.truthy() {
                exec(a, ctx, t)?;
            } else if let Some(e) = e {
                exec(a, ctx, e)?;
            }
        }
        Stmt::While(c, body) => {
            while eval(a, ctx, c)?.truthy() {
                ctx.steps(1)?;
                match exec(a, ctx, body) {
                    Err(Ctl::Break) => break,
                    Err(Ctl::Continue) | Ok(()) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Stmt::Do(body, c) => loop {
            ctx.steps(1)?;
            match exec(a, ctx, body) {
                Err(Ctl::Break) => break,
                Err(Ctl::Continue) | Ok(()) => {}
                Err(e) => return Err(e),
            }
            if !eval(a, ctx, c)?.truthy() {
                break;
            }
        },
        Stmt::For(init, cond, step, body) => {
            if let Some(i) = init {
                exec(a, ctx, i)?;
            }
            loop {
                ctx.steps(1)?;
                if let Some(c) = cond {
                    if !eval(a, ctx, c)?.truthy() {
                        break;
                    }
                }
                match exec(a, ctx, body) {
                    Err(Ctl::Break) => break,
                    Err(Ctl::Continue) | Ok(()) => {}
                    Err(e) => return Err(e),
                }
                if let Some(st) = step {
                    exec(a, ctx, st)?;
                }
            }
        }
        Stmt::ForIn(k, arr, body) => {
            let keys = match a.lookup(arr) {
                Some(Cell::Arr(x)) => x.keys.clone(),
                _ => Vec::new(),
            };
            for key in keys {
                a.set_var(k, Val::input(key));
                match exec(a, ctx, body) {
                    Err(Ctl::Break) => break,
                    Err(Ctl::Continue) | Ok(()) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Stmt::Block(b) => run_stmts(a, ctx, b)?,
        Stmt::Next => return Err(Ctl::Next),
        Stmt::Exit(e) => {
            if let Some(e) = e {
                a.exit_code = eval(a, ctx, e)?.num() as i32;
            }
            return Err(Ctl::Exit);
        }
        Stmt::Return(e) => {
            let v = match e {
                Some(e) => eval(a, ctx, e)?,
                None => Val::Uninit,
            };
            return Err(Ctl::Return(v));
        }
        Stmt::Break => return Err(Ctl::Break),
        Stmt::Continue => return Err(Ctl::Continue),
        Stmt::Delete(name, idx) => match idx {
            Some(idx) => {
                let k = subscript(a, ctx, idx)?;
                if let Some(arr) = a.array_mut(name) {
                    arr.remove(&k);
                }
            }
            None => {
                if let Some(arr) = a.array_mut(name) {
                    *arr = Array::default();
                }
            }
        },
    }
    Ok(())
}

fn subscript(a: &mut Awk<'_>, ctx: &mut ProgramCtx<'_, '_>, idx: &[Expr]) -> X<String> {
    let sep = a.s(&a.var("SUBSEP"));
    let mut parts = Vec::new();
    for e in idx {
        let v = eval(a, ctx, e)?;
        parts.push(a.s(&v));
    }
    Ok(parts.join(&sep))
}

fn assign(a: &mut Awk<'_>, ctx: &mut ProgramCtx<'_, '_>, target: &Expr, v: Val) -> X<()> {
    match target {
        Expr::Var(n) => a.set_var(n, v),
        Expr::Field(i) => {
            let i = eval(a, ctx, i)?.num().max(0.0) as usize;
            let s = a.s(&v);
            a.set_field(i, s);
        }
        Expr::Index(n, idx) => {
            let k = subscript(a, ctx, idx)?;
            if let Some(arr) = a.array_mut(n) {
                arr.set(k, v);
            }
        }
        Expr::Group(inner) => assign(a, ctx, inner, v)?,
        _ => return Err(Ctl::Error("assignment to non-lvalue".to_string())),
    }
    Ok(())
}

fn compare(a: &Awk<'_>, l: &Val, r: &Val) -> std::cmp::Ordering {
    let numeric = |v: &Val| matches!(v, Val::Num(_) | Val::StrNum(..) | Val::Uninit);
    if numeric(l) && numeric(r) {
        l.num()
            .partial_cmp(&r.num())
            .unwrap_or(std::cmp::Ordering::Equal)
    } else {
        a.s(l).cmp(&a.s(r))
    }
}

fn match_val(a: &mut Awk<'_>, ctx: &mut ProgramCtx<'_, '_>, e: &Expr) -> X<Option<Regex>> {
    let src = match e {
        Expr::Re(r) => r.clone(),
        other => {
            let v = eval(a, ctx, other)?;
            a.s(&v)
        }
    };
    Ok(a.regex(&src))
}

fn eval(a: &mut Awk<'_>, ctx: &mut ProgramCtx<'_, '_>, e: &Expr) -> X<Val> {
    if a.guard.exceeded() {
        return Err(Ctl::Error("expression nested too deeply".to_string()));
    }
    Ok(match e {
        Expr::Num(n) => Val::Num(*n),
        Expr::Str(s) => Val::Str(s.clone()),
        Expr::Re(r) => {
            let re = a.regex(r);
            Val::Num(f64::from(u8::from(
                re.is_some_and(|re| re.is_match(&a.record)),
            )))
        }
        Expr::Group(inner) => eval(a, ctx, inner)?,
        Expr::Var(n) => {
            if n == "NF" {
                a.split_if_needed();
            }
            a.var(n)
        }
        Expr::Field(i) => {
            let i = eval(a, ctx, i)?.num();
            if i < 0.0 {
                return Err(Ctl::Error(format!(
                    "trying to access out of range field {i}"
                )));
            }
            a.field(i as usize)
        }
        Expr::Index(n, idx) => {
            let k = subscript(a, ctx, idx)?;
            match a.array_mut(n) {
                Some(arr) => match arr.get(&k) {
                    Some(v) => v.clone(),
                    None => {
                        arr.set(k, Val::Uninit);
                        Val::Uninit
                    }
                },
                None => Val::Uninit,
            }
        }
        Expr::In(idx, n) => {
            let k = subscript(a, ctx, idx)?;
            let hit = matches!(a.lookup(n), Some(Cell::Arr(arr)) if arr.get(&k).is_some());
            Val::Num(f64::from(u8::from(hit)))
        }
        Expr::Assign(t, op, rhs) => {
            let r = eval(a, ctx, rhs)?;
            let v = if *op == "=" {
                r
            } else {
                let cur = eval(a, ctx, t)?.num();
                Val::Num(arith(&op[..1], cur, r.num()))
            };
            assign(a, ctx, t, v.clone())?;
            v
        }
        Expr::Cond(c, x, y) => {
            if eval(a, ctx, c)?.truthy() {
                eval(a, ctx, x)?
            } else {
                eval(a, ctx, y)?
            }
        }
        Expr::And(x, y) => Val::Num(f64::from(u8::from(
            eval(a, ctx, x)?.truthy() && eval(a, ctx, y)?.truthy(),
        ))),
        Expr::Or(x, y) => Val::Num(f64::from(u8::from(
            eval(a, ctx, x)?.truthy() || eval(a, ctx, y)?.truthy(),
        ))),
        Expr::Match(x, re, neg) => {
            let v = eval(a, ctx, x)?;
            let text = a.s(&v);
            let hit = match_val(a, ctx, re)?.is_some_and(|r| r.is_match(&text));
            Val::Num(f64::from(u8::from(hit != *neg)))
        }
        Expr::Bin(x, op, y) => {
            let l = eval(a, ctx, x)?;
            let r = eval(a, ctx, y)?;
            match *op {
                "<" | "<=" | ">" | ">=" | "==" | "!=" => {
                    let o = compare(a, &l, &r);
                    let res = match *op {
                        "<" => o.is_lt(),
                        "<=" => o.is_le(),
                        ">" => o.is_gt(),
                        ">=" => o.is_ge(),
                        "==" => o.is_eq(),
                        _ => o.is_ne(),
                    };
                    Val::Num(f64::from(u8::from(res)))
                }
                _ => {
                    if (*op == "/" || *op == "%") && r.num() == 0.0 {
                        return Err(Ctl::Error("division by zero".to_string()));
                    }
                    Val::Num(arith(op, l.num(), r.num()))
                }
            }
        }
        Expr::Concat(x, y) => {
            let l = eval(a, ctx, x)?;
            let r = eval(a, ctx, y)?;
            let s = format!("{}{}", a.s(&l), a.s(&r));
            if s.len() > 16 << 20 {
                return Err(Ctl::Error("string too long".to_string()));
            }
            Val::Str(s)
        }
        Expr::Not(x) => Val::Num(f64::from(u8::from(!eval(a, ctx, x)?.truthy()))),
        Expr::Neg(x) => Val::Num(-eval(a, ctx, x)?.num()),
        Expr::Plus(x) => Val::Num(eval(a, ctx, x)?.num()),
        Expr::Incr(t, pre, d) => {
            let cur = eval(a, ctx, t)?.num();
            assign(a, ctx, t, Val::Num(cur + d))?;
            Val::Num(if *pre { cur + d } else { cur })
        }
        Expr::Call(name, args) => call(a, ctx, name, args)?,
        Expr::Builtin(name, args) => builtin(a, ctx, name, args)?,
        Expr::Getline(var, src, pipe) => {
            let line = if *pipe {
                let cmd = match src {
                    Some(s) => {
                        let v = eval(a, ctx, s)?;
                        a.s(&v)
                    }
                    None => String::new(),
                };
                if let std::collections::hash_map::Entry::Vacant(slot) =
                    a.getline_files.entry(format!("|{cmd}"))
                {
                    let (_, out) =
                        ctx.capture(vec!["/bin/sh".to_string(), "-c".to_string(), cmd.clone()])?;
                    let lines: Vec<String> = String::from_utf8_lossy(&out)
                        .lines()
                        .map(str::to_string)
                        .collect();
                    slot.insert((lines, 0));
                }
                take_line(a, &format!("|{cmd}"))
            } else if let Some(f) = src {
                let v = eval(a, ctx, f)?;
                let name = a.s(&v);
                if !a.getline_files.contains_key(&name) {
                    match ctx.read_text(&name) {
                        Ok(Some(t)) => {
                            let lines: Vec<String> = t.lines().map(str::to_string).collect();
                            a.getline_files.insert(name.clone(), (lines, 0));
                        }
                        _ => return Ok(Val::Num(-1.0)),
                    }
                }
                take_line(a, &name)
            } else {
                let r = a.next_record();
                if r.is_some() && var.is_none() {
                    // plain getline updates $0, NF, NR, FNR
                }
                r
            };
            match line {
                Some(l) => {
                    match var {
                        Some(v) => assign(a, ctx, v, Val::input(l))?,
                        None => a.set_record(l),
                    }
                    Val::Num(1.0)
                }
                None => Val::Num(0.0),
            }
        }
    })
}

fn take_line(a: &mut Awk<'_>, key: &str) -> Option<String> {
    let (lines, pos) = a.getline_files.get_mut(key)?;
    let l = lines.get(*pos).cloned();
    if l.is_some() {
        *pos += 1;
    }
    l
}

fn arith(op: &str, l: f64, r: f64) -> f64 {
    match op {
        "+" => l + r,
        "-" => l - r,
        "*" => l * r,
        "/" => {
            if r == 0.0 {
                0.0
            } else {
                l / r
            }
        }
        "%" => {
            if r == 0.0 {
                0.0
            } else {
                l % r
            }
        }
        "^" => l.powf(r),
        _ => 0.0,
    }
}

fn call(a: &mut Awk<'_>, ctx: &mut ProgramCtx<'_, '_>, name: &str, args: &[Expr]) -> X<Val> {
    let Some(f) = a.prog.funcs.get(name).cloned() else {
        return Err(Ctl::Error(format!("calling undefined function {name}")));
    };
    if a.frames.len() >= MAX_CALL_DEPTH {
        return Err(Ctl::Error("function call nesting too deep".to_string()));
    }
    let mut frame: HashMap<String, Cell> = HashMap::new();
    for (k, p) in f.params.iter().enumerate() {
        let cell = match args.get(k) {
            Some(Expr::Var(n)) if matches!(a.lookup(n), Some(Cell::Arr(_))) => {
                let (fr, rn) = a.slot(n);
                Cell::Ref(fr, rn)
            }
            Some(Expr::Var(n)) if a.lookup(n).is_none() => {
                // an untyped name may become an array in the callee: bind by reference
                let (fr, rn) = a.slot(n);
                if fr.is_none() {
                    a.globals
                        .entry(rn.clone())
                        .or_insert(Cell::Scalar(Val::Uninit));
                }
                match fr {
                    None => Cell::Ref(None, rn),
                    Some(_) => Cell::Scalar(Val::Uninit),
                }
            }
            Some(e) => Cell::Scalar(eval(a, ctx, e)?),
            None => Cell::Scalar(Val::Uninit),
        };
        frame.insert(p.clone(), cell);
    }
    a.frames.push(frame);
    let r = run_stmts(a, ctx, &f.body);
    a.frames.pop();
    match r {
        Ok(()) => Ok(Val::Uninit),
        Err(Ctl::Return(v)) => Ok(v),
        Err(e) => Err(e),
    }
}

fn builtin(a: &mut Awk<'_>, ctx: &mut ProgramCtx<'_, '_>, name: &str, args: &[Expr]) -> X<Val> {
    let mut vals = Vec::new();
    // sub/gsub/split/match take lvalues or arrays: do not evaluate those here
    let lazy = matches!(name, "sub" | "gsub" | "split" | "match");
    if !lazy {
        for e in args {
            vals.push(eval(a, ctx, e)?);
        }
    }
    let arg_s = |a: &Awk<'_>, i: usize| vals.get(i).map(|v| a.s(v)).unwrap_or_default();
    let arg_n = |i: usize| vals.get(i).map(Val::num).unwrap_or(0.0);
    Ok(match name {
        "length" => {
            if let Some(Expr::Var(n)) = args.first() {
                if let Some(Cell::Arr(arr)) = a.lookup(n) {
                    return Ok(Val::Num(arr.keys.len() as f64));
                }
            }
            let s = if args.is_empty() {
                a.record.clone()
            } else {
                arg_s(a, 0)
            };
            Val::Num(s.chars().count() as f64)
        }
        "substr" => {
            let s: Vec<char> = arg_s(a, 0).chars().collect();
            let start = arg_n(1).round();
            let len = if vals.len() > 2 {
                arg_n(2).round()
            } else {
                f64::INFINITY
            };
            let from = start.max(1.0);
            let to = (start + len).min(s.len() as f64 + 1.0);
            if to <= from {
                Val::Str(String::new())
            } else {
                Val::Str(
                    s[(from as usize - 1).min(s.len())..(to as usize - 1).min(s.len())]
                        .iter()
                        .collect(),
                )
            }
        }
        "index" => {
            let s = arg_s(a, 0);
            let t = arg_s(a, 1);
            Val::Num(s.find(&t).map(|i| s[..i].chars().count() + 1).unwrap_or(0) as f64)
        }
        "tolower" => Val::Str(arg_s(a, 0).to_lowercase()),
        "toupper" => Val::Str(arg_s(a, 0).to_uppercase()),
        "int" => Val::Num(arg_n(0).trunc()),
        "sqrt" => Val::Num(arg_n(0).sqrt()),
        "exp" => Val::Num(arg_n(0).exp()),
        "log" => Val::Num(arg_n(0).ln()),
        "sin" => Val::Num(arg_n(0).sin()),
        "cos" => Val::Num(arg_n(0).cos()),
        "atan2" => Val::Num(arg_n(0).atan2(arg_n(1))),
        "rand" => {
            a.rand_state = a
                .rand_state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            Val::Num((a.rand_state >> 11) as f64 / (1u64 << 53) as f64)
        }
        "srand" => {
            let old = a.rand_state;
            a.rand_state = if vals.is_empty() {
                ctx.now() as u64
            } else {
                arg_n(0) as u64
            };
            Val::Num(old as f64)
        }
        "sprintf" => {
            let f = arg_s(a, 0);
            Val::Str(sprintf(&f, &vals[1.min(vals.len())..], &a.convfmt()))
        }
        "system" => {
            let cmd = arg_s(a, 0);
            let s = ctx.run(vec!["/bin/sh".to_string(), "-c".to_string(), cmd])?;
            Val::Num(s as f64)
        }
        "close" | "fflush" => {
            let n = arg_s(a, 0);
            if let Some(pos) = a.files_out.iter().position(|(f, _, pipe)| *f == n && *pipe) {
                let (cmd, text, _) = a.files_out.remove(pos);
                let s = ctx.run_with_stdin(
                    vec!["/bin/sh".to_string(), "-c".to_string(), cmd],
                    crate::engine::shell::io::StreamData::known(text.into_bytes()),
                )?;
                return Ok(Val::Num(s as f64));
            }
            a.files_out.retain(|(f, _, _)| *f != n);
            a.getline_files.remove(&n);
            a.getline_files.remove(&format!("|{n}"));
            Val::Num(0.0)
        }
        "split" => {
            let s = match args.first() {
                Some(e) => {
                    let v = eval(a, ctx, e)?;
                    a.s(&v)
                }
                None => String::new(),
            };
            let Some(Expr::Var(arr)) = args.get(1) else {
                return Err(Ctl::Error(
                    "split: second argument is not an array".to_string(),
                ));
            };
            let fs = match args.get(2) {
                Some(Expr::Re(r)) => r.clone(),
                Some(e) => {
                    let v = eval(a, ctx, e)?;
                    a.s(&v)
                }
                None => a.s(&a.var("FS")),
            };
            let parts = a.split_with(&s, &fs);
            if let Some(array) = a.array_mut(arr) {
                *array = Array::default();
                for (i, p) in parts.iter().enumerate() {
                    array.set((i + 1).to_string(), Val::input(p.clone()));
                }
            }
            Val::Num(parts.len() as f64)
        }
        "sub" | "gsub" => {
            let re = match args.first() {
                Some(e) => match_val(a, ctx, e)?,
                None => None,
            };
            let repl = match args.get(1) {
                Some(e) => {
                    let v = eval(a, ctx, e)?;
                    a.s(&v)
                }
                None => String::new(),
            };
            let target = args
                .get(2)
                .cloned()
                .unwrap_or(Expr::Field(Box::new(Expr::Num(0.0))));
            let cur = eval(a, ctx, &target)?;
            let text = a.s(&cur);
            let Some(re) = re else {
                return Ok(Val::Num(0.0));
            };
            let mut out = String::new();
            let mut pos = 0;
            let mut n = 0;
            while pos <= text.len() {
                let Some((s, e)) = re.find(&text, pos) else {
                    break;
                };
                out.push_str(&text[pos..s]);
                let matched = &text[s..e];
                let mut chars = repl.chars().peekable();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' if chars.peek() == Some(&'&') => {
                            chars.next();
                            out.push('&');
                        }
                        '\\' if chars.peek() == Some(&'\\') => {
                            chars.next();
                            out.push('\\');
                        }
                        '&' => out.push_str(matched),
                        _ => out.push(c),
                    }
                }
                n += 1;
                if e == s {
                    if let Some(ch) = text[s..].chars().next() {
                        out.push(ch);
                        pos = s + ch.len_utf8();
                    } else {
                        pos = s + 1;
                    }
                } else {
                    pos = e;
                }
                if name == "sub" {
                    break;
                }
            }
            if n > 0 {
                if pos <= text.len() {
                    out.push_str(&text[pos.min(text.len())..]);
                }
                assign(a, ctx, &target, Val::Str(out))?;
            }
            Val::Num(n as f64)
        }
        "match" => {
            let s = match args.first() {
                Some(e) => {
                    let v = eval(a, ctx, e)?;
                    a.s(&v)
                }
                None => String::new(),
            };
            let re = match args.get(1) {
                Some(e) => match_val(a, ctx, e)?,
                None => None,
            };
            let (start, len) = match re.and_then(|r| r.find(&s, 0)) {
                Some((st, en)) => (
                    s[..st].chars().count() as f64 + 1.0,
                    s[st..en].chars().count() as f64,
                ),
                None => (0.0, -1.0),
            };
            a.set_var("RSTART", Val::Num(start));
            a.set_var("RLENGTH", Val::Num(len));
            Val::Num(start)
        }
        _ => Val::Uninit,
    })
}

fn awk(ctx: &mut ProgramCtx<'_, '_>, argv: &[String]) -> ProgResult {
    let o = Opts::parse(&argv[1..], "Fvf", &["field-separator", "assign", "file"]);
    let mut operands = o.operands.clone();
    let mut src = String::new();
    let files = o.values(&["f", "file"]);
    if files.is_empty() {
        if operands.is_empty() {
            ctx.err(b"usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]\n")?;
            return Ok(2);
        }
        src = operands.remove(0);
    } else {
        for f in files {
            match ctx.read_text(f) {
                Ok(Some(t)) => src.push_str(&t),
                _ => {
                    ctx.error(&format!("can't open file {f}"))?;
                    return Ok(2);
                }
            }
            src.push('\n');
        }
    }
    let toks = match lex(&src) {
        Ok(t) => t,
        Err(e) => {
            ctx.error(&e)?;
            return Ok(2);
        }
    };
    let mut p = P {
        t: toks,
        i: 0,
        depth: 0,
        guard: StackGuard::new(LEAF_STACK),
    };
    let prog = match p.program() {
        Ok(pr) => pr,
        Err(e) => {
            ctx.error(&format!("{e}\n awk: source line number 1"))?;
            return Ok(2);
        }
    };
    let mut a = Awk {
        prog: &prog,
        globals: HashMap::new(),
        frames: Vec::new(),
        fields: Vec::new(),
        record: String::new(),
        nf_dirty: false,
        inputs: Vec::new(),
        input_idx: 0,
        line_idx: 0,
        files_out: Vec::new(),
        regexes: HashMap::new(),
        exit_code: 0,
        range_active: vec![false; prog.rules.len()],
        rand_state: 0,
        getline_files: HashMap::new(),
        guard: StackGuard::new(LEAF_STACK * 2),
    };
    for (k, v) in [
        ("FS", " "),
        ("OFS", " "),
        ("ORS", "\n"),
        ("SUBSEP", "\x1c"),
        ("CONVFMT", "%.6g"),
        ("OFMT", "%.6g"),
        ("RS", "\n"),
    ] {
        a.globals
            .insert(k.to_string(), Cell::Scalar(Val::Str(v.to_string())));
    }
    for k in ["NR", "FNR", "NF", "RSTART"] {
        a.globals.insert(k.to_string(), Cell::Scalar(Val::Num(0.0)));
    }
    a.globals
        .insert("RLENGTH".to_string(), Cell::Scalar(Val::Num(-1.0)));
    let mut env = Array::default();
    for (k, v) in ctx.environment() {
        env.set(k, Val::input(v));
    }
    a.globals.insert("ENVIRON".to_string(), Cell::Arr(env));
    if let Some(fs) = o.value(&["F", "field-separator"]) {
        let fs = if fs == "t" {
            "\t".to_string()
        } else {
            unescape(fs)
        };
        a.set_var("FS", Val::Str(fs));
    }
    for assignment in o.values(&["v", "assign"]) {
        if let Some((k, v)) = assignment.split_once('=') {
            a.set_var(k, Val::input(unescape(v)));
        }
    }
    let mut argv_arr = Array::default();
    argv_arr.set("0".into(), Val::Str("awk".into()));
    for (i, op) in operands.iter().enumerate() {
        argv_arr.set((i + 1).to_string(), Val::input(op.clone()));
    }
    a.globals.insert("ARGV".to_string(), Cell::Arr(argv_arr));
    a.globals.insert(
        "ARGC".to_string(),
        Cell::Scalar(Val::Num(operands.len() as f64 + 1.0)),
    );
    let has_main = prog.rules.iter().any(|(p, _)| !matches!(p, Pattern::Begin));
    let mut status = 0;
    // BEGIN
    let mut exited = false;
    for (pat, action) in &prog.rules {
        if let (Pattern::Begin, Some(body)) = (pat, action) {
            match run_stmts(&mut a, ctx, body) {
                Ok(()) | Err(Ctl::Next) => {}
                Err(Ctl::Exit) => {
                    exited = true;
                    break;
                }
                Err(Ctl::Abort(ab)) => return Err(ab),
                Err(Ctl::Error(m)) => {
                    ctx.error(&m)?;
                    return Ok(2);
                }
                Err(_) => {}
            }
        }
    }
    if has_main && !exited {
        // inputs: files and var=value assignments, in order
        let mut any_file = false;
        for op in &operands {
            if let Some((k, v)) = op.split_once('=') {
                if super::super::parser::is_name(k) {
                    a.inputs.push((format!("\0assign:{k}={v}"), Vec::new()));
                    continue;
                }
            }
            any_file = true;
            let text = if op == "-" {
                String::from_utf8_lossy(&ctx.stdin().bytes).into_owned()
            } else {
                match ctx.read(op) {
                    Ok(crate::engine::shell::fs::Content::Bytes(b)) => {
                        String::from_utf8_lossy(&b).into_owned()
                    }
                    Ok(_) => String::new(),
                    Err(e) => {
                        ctx.error(&format!("cannot open \"{op}\" ({e})"))?;
                        status = 2;
                        continue;
                    }
                }
            };
            a.inputs
                .push((op.clone(), split_records(&text, &a.s(&a.var("RS")))));
        }
        if !any_file {
            let text = String::from_utf8_lossy(&ctx.stdin().bytes).into_owned();
            let rs = a.s(&a.var("RS"));
            a.inputs.push(("-".to_string(), split_records(&text, &rs)));
        }
        'records: loop {
            // apply pending assignments between files
            while let Some((name, _)) = a.inputs.get(a.input_idx) {
                if let Some(rest) = name.strip_prefix("\0assign:") {
                    if let Some((k, v)) = rest.split_once('=') {
                        let (k, v) = (k.to_string(), v.to_string());
                        a.set_var(&k, Val::input(unescape(&v)));
                    }
                    a.input_idx += 1;
                    a.line_idx = 0;
                } else {
                    break;
                }
            }
            let Some(rec) = a.next_record() else { break };
            a.set_record(rec);
            for (k, (pat, action)) in prog.rules.iter().enumerate() {
                let hit = match pat {
                    Pattern::Begin | Pattern::End => continue,
                    Pattern::All => true,
                    Pattern::Expr(e) => match eval(&mut a, ctx, e) {
                        Ok(v) => v.truthy(),
                        Err(Ctl::Abort(ab)) => return Err(ab),
                        Err(Ctl::Error(m)) => {
                            ctx.error(&m)?;
                            return Ok(2);
                        }
                        Err(_) => false,
                    },
                    Pattern::Range(s, e) => {
                        if a.range_active[k] {
                            let end = eval(&mut a, ctx, e).map(|v| v.truthy()).unwrap_or(false);
                            if end {
                                a.range_active[k] = false;
                            }
                            true
                        } else {
                            let start = eval(&mut a, ctx, s).map(|v| v.truthy()).unwrap_or(false);
                            if start {
                                let end = eval(&mut a, ctx, e).map(|v| v.truthy()).unwrap_or(false);
                                a.range_active[k] = !end;
                            }
                            start
                        }
                    }
                };
                if !hit {
                    continue;
                }
                let r = match action {
                    Some(body) => run_stmts(&mut a, ctx, body),
                    None => {
                        let ors = a.s(&a.var("ORS"));
                        let text = format!("{}{ors}", a.record);
                        ctx.out_str(&text)?;
                        Ok(())
                    }
                };
                match r {
                    Ok(()) => {}
                    Err(Ctl::Next) => continue 'records,
                    Err(Ctl::Exit) => {
                        exited = true;
                        break 'records;
                    }
                    Err(Ctl::Abort(ab)) => return Err(ab),
                    Err(Ctl::Error(m)) => {
                        ctx.error(&m)?;
                        return Ok(2);
                    }
                    Err(_) => {}
                }
            }
        }
    }
    let _ = exited;
    // END runs even after exit in main rules (but not after exit in END)
    for (pat, action) in &prog.rules {
        if let (Pattern::End, Some(body)) = (pat, action) {
            match run_stmts(&mut a, ctx, body) {
                Ok(()) | Err(Ctl::Next) => {}
                Err(Ctl::Exit) => break,
                Err(Ctl::Abort(ab)) => return Err(ab),
                Err(Ctl::Error(m)) => {
                    ctx.error(&m)?;
                    return Ok(2);
                }
                Err(_) => {}
            }
        }
    }
    // close pipes opened with print | "cmd"
    let pipes: Vec<(String, String)> = a
        .files_out
        .iter()
        .filter(|(_, _, p)| *p)
        .map(|(c, t, _)| (c.clone(), t.clone()))
        .collect();
    for (cmd, text) in pipes {
        ctx.run_with_stdin(
            vec!["/bin/sh".to_string(), "-c".to_string(), cmd],
            crate::engine::shell::io::StreamData::known(text.into_bytes()),
        )?;
    }
    if status != 0 {
        return Ok(status);
    }
    Ok(a.exit_code)
}

fn split_records(text: &str, rs: &str) -> Vec<String> {
    if rs == "\n" || rs.is_empty() && text.is_empty() {
        return text.lines().map(str::to_string).collect();
    }
    if rs.is_empty() {
        // paragraph mode
        return text
            .split("\n\n")
            .map(|p| p.trim_matches('\n').to_string())
            .filter(|p| !p.is_empty())
            .collect();
    }
    let sep = rs.chars().next().unwrap_or('\n');
    let mut v: Vec<String> = text.split(sep).map(str::to_string).collect();
    if v.last().is_some_and(|l| l.is_empty() || l == "\n") {
        v.pop();
    }
    v
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('\\') => out.push('\\'),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers_like_awk() {
        assert_eq!(fmt_num(3.0, "%.6g"), "3");
        assert_eq!(fmt_num(0.1, "%.6g"), "0.1");
        assert_eq!(fmt_num(1.0 / 3.0, "%.6g"), "0.333333");
        assert_eq!(
            sprintf(
                "%5.2f|%-3s|%d",
                &[Val::Num(1.23456), Val::Str("a".into()), Val::Num(7.9)],
                "%.6g"
            ),
            " 1.23|a  |7"
        );
    }

    #[test]
    fn parses_common_programs() {
        for src in [
            "{print $1}",
            "NR==1 {next} {s+=$2} END {print s}",
            "/=>/ { so = $(NF-1); if (index(so, \"/usr/local/\") == 1) { next }; gsub(\"^/(usr/)?\", \"\", so); printf \"*%s\\n\", so }",
            "BEGIN { FS=\":\" } $3 >= 1000 { print $1 }",
            "function f(a, b) { return a + b } { print f($1, 2) }",
            "{ for (i = 1; i <= NF; i++) c[$i]++ } END { for (k in c) print k, c[k] }",
            "$1 ~ /^#/ { next } { print > \"/tmp/x\" }",
        ] {
            let toks = lex(src).unwrap();
            let mut p = P { t: toks, i: 0, depth: 0, guard: StackGuard::new(LEAF_STACK) };
            assert!(p.program().is_ok(), "{src}");
        }
    }
}
