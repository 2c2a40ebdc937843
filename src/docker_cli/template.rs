//! A bounded subset of Go's `text/template`, with docker/cli's template functions.
//!
//! Supported: text and actions with `{{-`/`-}}` trimming, comments, fields and chains
//! (`.Config.Env`), `.`, `$`, variables (`$v := …`, `range $i, $e := …`), string, raw
//! string, number, bool and `nil` literals, parenthesised pipelines, `|` pipes, `if` /
//! `else if` / `else`, `range` (lists and maps, with `else`), `with`, and the functions
//! docker/cli registers (`json split join title lower upper pad truncate`) plus Go's
//! builtins `and or not len index print printf println eq ne lt le gt ge`.
//! Header rows use docker/cli's header function set, where most functions return their
//! argument unchanged so the column title stays readable.
//!
//! Errors use Go's wording where Go has one (`template: :1: function "x" not defined`,
//! `template: :1:2: executing "" at <.Foo>: can't evaluate field Foo in type T`).
//! Invariants: parsing and execution never panic; nesting depth, execution steps and
//! output size are bounded.

use super::json::{write_string, Json};
use std::fmt::Write as _;

const MAX_NESTING: usize = 64;
const MAX_STEPS: usize = 1_000_000;
const MAX_OUTPUT: usize = 4 * 1024 * 1024;

/// How a struct encodes with the `json` function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StructJson {
    /// Field order, no HTML escaping (a Go struct through the template's encoder).
    Fields,
    /// Sorted keys, `<>&` escaped: docker/cli's formatter contexts marshal themselves
    /// through `json.Marshal` of a map.
    SortedEscaped,
}

/// Template data, modelled on the Go values docker/cli hands to its templates.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An untyped nil or nil pointer: prints `<nil>`.
    Nil,
    /// A missing entry of a `map[string]interface{}`: prints `<no value>`.
    NoValue,
    Bool(bool),
    Int(i64),
    /// A number kept as text (Go's `json.Number`).
    Number(String),
    Str(String),
    List(Vec<Value>),
    /// A nil slice: prints `[]`, encodes as `null`.
    NilList,
    /// A Go map: prints `map[k:v]` with sorted keys.
    Map(Vec<(String, Value)>),
    /// A nil map: prints `map[]`, encodes as `null`.
    NilMap,
    Struct(Box<StructValue>),
    /// A method taking one string argument, like `ContainerContext.Label(name)`: looks the
    /// argument up in the map (`""` when absent). Not part of `json` output.
    Method(Vec<(String, String)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct StructValue {
    /// The Go type name used in error messages, e.g. `*formatter.imageContext`.
    pub type_name: String,
    pub fields: Vec<(String, Value)>,
    pub json: StructJson,
}

impl Value {
    pub fn str(text: impl Into<String>) -> Value {
        Value::Str(text.into())
    }

    pub fn new_struct(type_name: &str, json: StructJson, fields: Vec<(String, Value)>) -> Value {
        Value::Struct(Box::new(StructValue {
            type_name: type_name.to_string(),
            fields,
            json,
        }))
    }

    /// A map of strings (`map[string]string`), e.g. a table header.
    pub fn string_map<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> Value {
        Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), Value::str(v)))
                .collect(),
        )
    }

    fn truthy(&self) -> bool {
        match self {
            Value::Nil | Value::NoValue | Value::NilList | Value::NilMap => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Number(n) => n.parse::<f64>().map(|f| f != 0.0).unwrap_or(true),
            Value::Str(s) => !s.is_empty(),
            Value::List(items) => !items.is_empty(),
            Value::Map(entries) => !entries.is_empty(),
            Value::Struct(_) | Value::Method(_) => true,
        }
    }

    fn go_type(&self) -> String {
        match self {
            Value::Nil | Value::NoValue => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Number(_) => "json.Number".into(),
            Value::Str(_) => "string".into(),
            Value::List(_) | Value::NilList => "[]interface {}".into(),
            Value::Map(_) | Value::NilMap => "map[string]interface {}".into(),
            Value::Struct(s) => s.type_name.clone(),
            Value::Method(_) => "func(string) string".into(),
        }
    }

    /// Go's `fmt.Sprint` of the value.
    pub fn print(&self) -> String {
        let mut out = String::new();
        self.print_into(&mut out);
        out
    }

    fn print_into(&self, out: &mut String) {
        match self {
            Value::Nil => out.push_str("<nil>"),
            Value::NoValue => out.push_str("<no value>"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Number(n) | Value::Str(n) => out.push_str(n),
            Value::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    item.print_into(out);
                }
                out.push(']');
            }
            Value::NilList => out.push_str("[]"),
            Value::Map(entries) => {
                out.push_str("map[");
                for (i, (k, v)) in sorted(entries).into_iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(k);
                    out.push(':');
                    v.print_into(out);
                }
                out.push(']');
            }
            Value::NilMap => out.push_str("map[]"),
            Value::Method(_) => out.push_str("<func>"),
            Value::Struct(s) => {
                out.push('{');
                for (i, (_, v)) in s.fields.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    v.print_into(out);
                }
                out.push('}');
            }
        }
    }

    /// The `json` template function: Go's encoder with HTML escaping off.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.json_into(false, &mut out);
        out
    }

    fn json_into(&self, escape_html: bool, out: &mut String) {
        match self {
            Value::Nil | Value::NoValue | Value::NilList | Value::NilMap | Value::Method(_) => {
                out.push_str("null")
            }
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Number(n) => out.push_str(n),
            Value::Str(s) => write_string(s, escape_html, out),
            Value::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.json_into(escape_html, out);
                }
                out.push(']');
            }
            Value::Map(entries) => json_object(sorted(entries), escape_html, out),
            Value::Struct(s) => match s.json {
                StructJson::Fields => json_object(
                    s.fields.iter().map(|(k, v)| (k, v)).collect(),
                    escape_html,
                    out,
                ),
                StructJson::SortedEscaped => json_object(sorted(&s.fields), true, out),
            },
        }
    }

    /// Converts daemon JSON into template data. Objects become structs (field order kept)
    /// unless their key is one of Docker's Go maps; `null` becomes the nil of the Go type
    /// the key has in Docker's API types (`[]`, `map[]` or `<nil>`).
    pub fn from_json(json: &Json) -> Value {
        from_json_keyed(json, "", 0)
    }
}

/// Keys whose values are Go maps in Docker's API types.
const MAP_KEYS: &[&str] = &[
    "Labels",
    "ExposedPorts",
    "Volumes",
    "Ports",
    "Networks",
    "Data",
    "Options",
    "DriverOpts",
    "Annotations",
    "StorageOpt",
    "Sysctls",
    "Tmpfs",
    "Metadata",
];

/// Keys whose values are Go slices in Docker's API types.
const LIST_KEYS: &[&str] = &[
    "Env",
    "Cmd",
    "Entrypoint",
    "Shell",
    "OnBuild",
    "RepoTags",
    "RepoDigests",
    "Layers",
    "Args",
    "Mounts",
    "Binds",
    "Links",
    "Dns",
    "DnsOptions",
    "DnsSearch",
    "ExtraHosts",
    "CapAdd",
    "CapDrop",
    "SecurityOpt",
    "Aliases",
    "DNSNames",
];

fn from_json_keyed(json: &Json, key: &str, depth: usize) -> Value {
    if depth > MAX_NESTING * 4 {
        return Value::Nil;
    }
    match json {
        Json::Null if LIST_KEYS.contains(&key) => Value::NilList,
        Json::Null if MAP_KEYS.contains(&key) => Value::NilMap,
        Json::Null => Value::Nil,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Number(n.clone()),
        },
        Json::String(s) => Value::Str(s.clone()),
        Json::Array(items) => Value::List(
            items
                .iter()
                .map(|i| from_json_keyed(i, "", depth + 1))
                .collect(),
        ),
        Json::Object(fields) => {
            let converted: Vec<(String, Value)> = fields
                .iter()
                .map(|(k, v)| {
                    let child_key = if MAP_KEYS.contains(&key) {
                        ""
                    } else {
                        k.as_str()
                    };
                    (k.clone(), from_json_keyed(v, child_key, depth + 1))
                })
                .collect();
            if MAP_KEYS.contains(&key) {
                Value::Map(converted)
            } else {
                Value::new_struct(key, StructJson::Fields, converted)
            }
        }
    }
}

fn sorted(entries: &[(String, Value)]) -> Vec<(&String, &Value)> {
    let mut refs: Vec<(&String, &Value)> = entries.iter().map(|(k, v)| (k, v)).collect();
    refs.sort_by(|a, b| a.0.cmp(b.0));
    refs
}

fn json_object(fields: Vec<(&String, &Value)>, escape_html: bool, out: &mut String) {
    out.push('{');
    let fields = fields
        .into_iter()
        .filter(|(_, v)| !matches!(v, Value::Method(_)));
    for (i, (k, v)) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(k, escape_html, out);
        out.push(':');
        v.json_into(escape_html, out);
    }
    out.push('}');
}

// ---------------------------------------------------------------------------------------
// Lexing

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Text(String),
    Open,
    Close,
    Field(String),
    Dot,
    Var(String),
    Ident(String),
    Str(String),
    Number(String),
    Bool(bool),
    Nil,
    Pipe,
    LParen,
    RParen,
    Declare,
    Assign,
    Comma,
    Eof,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    pos: usize,
}

fn line_of(source: &str, pos: usize) -> usize {
    1 + source.get(..pos).unwrap_or(source).matches('\n').count()
}

fn parse_error(source: &str, pos: usize, message: impl std::fmt::Display) -> String {
    format!("template: :{}: {message}", line_of(source, pos))
}

fn lex(source: &str) -> Result<Vec<Token>, String> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::new();
    let mut pos = 0;
    let mut trim_next_text = false;
    while pos < bytes.len() {
        let open = source
            .get(pos..)
            .and_then(|rest| rest.find("{{"))
            .map(|i| i + pos);
        let text_end = open.unwrap_or(bytes.len());
        let mut text = source.get(pos..text_end).unwrap_or("").to_string();
        if trim_next_text {
            text = text.trim_start_matches([' ', '\t', '\r', '\n']).to_string();
        }
        let Some(open) = open else {
            if !text.is_empty() {
                tokens.push(Token {
                    tok: Tok::Text(text),
                    pos,
                });
            }
            break;
        };
        let mut inner = open + 2;
        // "{{- " trims the preceding text.
        if bytes.get(inner) == Some(&b'-')
            && matches!(bytes.get(inner + 1), Some(b' ' | b'\t' | b'\r' | b'\n'))
        {
            text = text.trim_end_matches([' ', '\t', '\r', '\n']).to_string();
            inner += 2;
        }
        if !text.is_empty() {
            tokens.push(Token {
                tok: Tok::Text(text),
                pos,
            });
        }
        // Comments.
        let after_space = skip_spaces(bytes, inner);
        if source
            .get(after_space..)
            .is_some_and(|r| r.starts_with("/*"))
        {
            let Some(end) = source
                .get(after_space..)
                .and_then(|r| r.find("*/"))
                .map(|i| i + after_space + 2)
            else {
                return Err(parse_error(source, open, "unclosed comment"));
            };
            let (close, trim) = match_close(source, end).ok_or_else(|| {
                parse_error(source, open, "comment ends before closing delimiter")
            })?;
            trim_next_text = trim;
            pos = close;
            continue;
        }
        tokens.push(Token {
            tok: Tok::Open,
            pos: open,
        });
        pos = inner;
        loop {
            pos = skip_spaces(bytes, pos);
            let Some(&c) = bytes.get(pos) else {
                return Err(parse_error(source, open, "unclosed action"));
            };
            if let Some((close, trim)) = match_close(source, pos) {
                tokens.push(Token {
                    tok: Tok::Close,
                    pos,
                });
                trim_next_text = trim;
                pos = close;
                break;
            }
            let start = pos;
            match c {
                b'|' => {
                    tokens.push(Token {
                        tok: Tok::Pipe,
                        pos,
                    });
                    pos += 1;
                }
                b'(' => {
                    tokens.push(Token {
                        tok: Tok::LParen,
                        pos,
                    });
                    pos += 1;
                }
                b')' => {
                    tokens.push(Token {
                        tok: Tok::RParen,
                        pos,
                    });
                    pos += 1;
                }
                b',' => {
                    tokens.push(Token {
                        tok: Tok::Comma,
                        pos,
                    });
                    pos += 1;
                }
                b':' if bytes.get(pos + 1) == Some(&b'=') => {
                    tokens.push(Token {
                        tok: Tok::Declare,
                        pos,
                    });
                    pos += 2;
                }
                b'=' => {
                    tokens.push(Token {
                        tok: Tok::Assign,
                        pos,
                    });
                    pos += 1;
                }
                b'"' => {
                    let (value, end) = lex_quoted(source, pos)
                        .ok_or_else(|| parse_error(source, pos, "unterminated quoted string"))?;
                    tokens.push(Token {
                        tok: Tok::Str(value),
                        pos,
                    });
                    pos = end;
                }
                b'`' => {
                    let end = source
                        .get(pos + 1..)
                        .and_then(|r| r.find('`'))
                        .map(|i| i + pos + 1)
                        .ok_or_else(|| {
                            parse_error(source, pos, "unterminated raw quoted string")
                        })?;
                    tokens.push(Token {
                        tok: Tok::Str(source.get(pos + 1..end).unwrap_or("").to_string()),
                        pos,
                    });
                    pos = end + 1;
                }
                b'.' => {
                    let name_end = scan_ident(bytes, pos + 1);
                    if name_end == pos + 1 {
                        if bytes.get(pos + 1).is_some_and(u8::is_ascii_digit) {
                            let end = scan_number(bytes, pos);
                            tokens.push(Token {
                                tok: Tok::Number(source.get(pos..end).unwrap_or("").to_string()),
                                pos,
                            });
                            pos = end;
                        } else {
                            tokens.push(Token { tok: Tok::Dot, pos });
                            pos += 1;
                        }
                    } else {
                        tokens.push(Token {
                            tok: Tok::Field(
                                source.get(pos + 1..name_end).unwrap_or("").to_string(),
                            ),
                            pos,
                        });
                        pos = name_end;
                    }
                }
                b'$' => {
                    let end = scan_ident(bytes, pos + 1);
                    tokens.push(Token {
                        tok: Tok::Var(source.get(pos..end).unwrap_or("$").to_string()),
                        pos,
                    });
                    pos = end;
                }
                b'0'..=b'9' | b'-' | b'+' => {
                    let end = scan_number(bytes, pos);
                    if end == pos + 1 && !c.is_ascii_digit() {
                        return Err(parse_error(
                            source,
                            pos,
                            format!("bad character {:?}", char::from(c)),
                        ));
                    }
                    tokens.push(Token {
                        tok: Tok::Number(source.get(pos..end).unwrap_or("").to_string()),
                        pos,
                    });
                    pos = end;
                }
                c if c.is_ascii_alphabetic() || c == b'_' => {
                    let end = scan_ident(bytes, pos);
                    let word = source.get(pos..end).unwrap_or("");
                    let tok = match word {
                        "true" => Tok::Bool(true),
                        "false" => Tok::Bool(false),
                        "nil" => Tok::Nil,
                        _ => Tok::Ident(word.to_string()),
                    };
                    tokens.push(Token { tok, pos: start });
                    pos = end;
                }
                _ => {
                    let ch = source
                        .get(pos..)
                        .and_then(|r| r.chars().next())
                        .unwrap_or('?');
                    return Err(parse_error(
                        source,
                        pos,
                        format!("unexpected {ch:?} in command"),
                    ));
                }
            }
        }
    }
    tokens.push(Token {
        tok: Tok::Eof,
        pos: bytes.len(),
    });
    Ok(tokens)
}

fn skip_spaces(bytes: &[u8], mut pos: usize) -> usize {
    while matches!(bytes.get(pos), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        pos += 1;
    }
    pos
}

/// At `pos` (after spaces), is there `}}` or ` -}}`? Returns the position after it and
/// whether the following text is trimmed.
fn match_close(source: &str, pos: usize) -> Option<(usize, bool)> {
    let rest = source.get(pos..)?;
    if rest.starts_with("}}") {
        return Some((pos + 2, false));
    }
    if rest.starts_with("-}}")
        && pos > 0
        && matches!(
            source.as_bytes().get(pos - 1),
            Some(b' ' | b'\t' | b'\r' | b'\n')
        )
    {
        return Some((pos + 3, true));
    }
    None
}

fn scan_ident(bytes: &[u8], mut pos: usize) -> usize {
    while bytes
        .get(pos)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    {
        pos += 1;
    }
    pos
}

fn scan_number(bytes: &[u8], mut pos: usize) -> usize {
    if matches!(bytes.get(pos), Some(b'-' | b'+')) {
        pos += 1;
    }
    while bytes
        .get(pos)
        .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_'))
    {
        pos += 1;
    }
    pos
}

fn lex_quoted(source: &str, start: usize) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = source.get(start + 1..)?.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, start + 1 + i + 1)),
            '\n' => return None,
            '\\' => {
                let (_, e) = chars.next()?;
                match e {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    '\\' => out.push('\\'),
                    '"' => out.push('"'),
                    '\'' => out.push('\''),
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'v' => out.push('\u{b}'),
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            c => out.push(c),
        }
    }
    None
}

// ---------------------------------------------------------------------------------------
// Parsing

#[derive(Debug, Clone)]
enum Arg {
    Field(Vec<String>, usize),
    Dot,
    Var(String, Vec<String>, usize),
    Func(String, usize),
    Str(String),
    Number(String, usize),
    Bool(bool),
    Nil(usize),
    Sub(Box<Pipe>, Vec<String>),
}

#[derive(Debug, Clone)]
struct Command {
    args: Vec<Arg>,
    pos: usize,
}

#[derive(Debug, Clone)]
struct Pipe {
    decl: Vec<String>,
    assign: bool,
    cmds: Vec<Command>,
    pos: usize,
}

#[derive(Debug, Clone)]
enum Node {
    Text(String),
    Action(Pipe),
    If(Pipe, Vec<Node>, Vec<Node>),
    Range(Pipe, Vec<Node>, Vec<Node>),
    With(Pipe, Vec<Node>, Vec<Node>),
}

/// A parsed template.
#[derive(Debug, Clone)]
pub struct Template {
    source: String,
    nodes: Vec<Node>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Eof,
    End,
    Else,
}

struct TemplateParser<'a> {
    source: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    vars: Vec<String>,
}

const KNOWN_FUNCTIONS: &[&str] = &[
    "json", "split", "join", "title", "lower", "upper", "pad", "truncate", "and", "or", "not",
    "len", "index", "print", "printf", "println", "eq", "ne", "lt", "le", "gt", "ge", "slice",
    "html", "js", "urlquery", "call",
];

impl Template {
    pub fn parse(source: &str) -> Result<Template, String> {
        let tokens = lex(source)?;
        let mut parser = TemplateParser {
            source,
            tokens,
            pos: 0,
            vars: vec!["$".to_string()],
        };
        let (nodes, stop) = parser.list(0)?;
        match stop {
            Stop::Eof => Ok(Template {
                source: source.to_string(),
                nodes,
            }),
            Stop::End => Err(parse_error(source, parser.last_pos(), "unexpected {{end}}")),
            Stop::Else => Err(parse_error(
                source,
                parser.last_pos(),
                "unexpected {{else}}",
            )),
        }
    }
}

impl TemplateParser<'_> {
    fn peek(&self) -> &Tok {
        self.tokens.get(self.pos).map_or(&Tok::Eof, |t| &t.tok)
    }

    fn peek_pos(&self) -> usize {
        self.tokens
            .get(self.pos)
            .map_or(self.source.len(), |t| t.pos)
    }

    fn last_pos(&self) -> usize {
        self.tokens
            .get(self.pos.saturating_sub(1))
            .map_or(0, |t| t.pos)
    }

    fn next(&mut self) -> Token {
        let token = self.tokens.get(self.pos).cloned().unwrap_or(Token {
            tok: Tok::Eof,
            pos: self.source.len(),
        });
        self.pos += 1;
        token
    }

    fn err(&self, message: impl std::fmt::Display) -> String {
        parse_error(self.source, self.peek_pos(), message)
    }

    fn list(&mut self, depth: usize) -> Result<(Vec<Node>, Stop), String> {
        if depth > MAX_NESTING {
            return Err(self.err("template nesting too deep"));
        }
        let mut nodes = Vec::new();
        loop {
            match self.next().tok {
                Tok::Eof => return Ok((nodes, Stop::Eof)),
                Tok::Text(t) => nodes.push(Node::Text(t)),
                Tok::Open => {
                    if let Tok::Ident(word) = self.peek().clone() {
                        match word.as_str() {
                            "end" => {
                                self.pos += 1;
                                self.expect_close("end")?;
                                return Ok((nodes, Stop::End));
                            }
                            "else" => {
                                self.pos += 1;
                                return Ok((nodes, Stop::Else));
                            }
                            "if" | "range" | "with" => {
                                self.pos += 1;
                                nodes.push(self.control(&word, depth)?);
                                continue;
                            }
                            "define" | "template" | "block" | "break" | "continue" => {
                                return Err(self.err(format!(
                                    "{{{{{word}}}}} is not supported by the playground"
                                )));
                            }
                            _ => {}
                        }
                    }
                    let pipe = self.pipeline("command", true)?;
                    nodes.push(Node::Action(pipe));
                }
                other => return Err(self.err(format!("unexpected {other:?}"))),
            }
        }
    }

    fn expect_close(&mut self, context: &str) -> Result<(), String> {
        match self.next().tok {
            Tok::Close => Ok(()),
            Tok::Eof => Err(self.err("unclosed action")),
            other => Err(self.err(format!("unexpected {other:?} in {context}"))),
        }
    }

    fn control(&mut self, keyword: &str, depth: usize) -> Result<Node, String> {
        let saved_vars = self.vars.len();
        let pipe = self.pipeline(keyword, keyword == "range")?;
        let (body, stop) = self.list(depth + 1)?;
        let else_body = match stop {
            Stop::Eof => return Err(self.err("unexpected EOF")),
            Stop::End => Vec::new(),
            Stop::Else => {
                // `{{else if …}}` / `{{else with …}}` chain into a nested control node.
                if let Tok::Ident(word) = self.peek().clone() {
                    if (word == "if" && keyword == "if") || (word == "with" && keyword == "with") {
                        self.pos += 1;
                        let nested = self.control(&word, depth + 1)?;
                        self.vars.truncate(saved_vars);
                        return Ok(build_control(keyword, pipe, body, vec![nested]));
                    }
                }
                self.expect_close("else")?;
                let (else_body, stop) = self.list(depth + 1)?;
                if stop != Stop::End {
                    return Err(self.err("expected end; found else or EOF"));
                }
                else_body
            }
        };
        self.vars.truncate(saved_vars);
        Ok(build_control(keyword, pipe, body, else_body))
    }

    fn pipeline(&mut self, context: &str, allow_decl: bool) -> Result<Pipe, String> {
        let pos = self.peek_pos();
        let mut decl = Vec::new();
        let mut assign = false;
        // Variable declarations: `$x :=`, `$i, $e :=`, `$x =`.
        if let Tok::Var(first) = self.peek().clone() {
            let save = self.pos;
            self.pos += 1;
            let mut names = vec![first];
            if allow_decl && *self.peek() == Tok::Comma {
                self.pos += 1;
                if let Tok::Var(second) = self.peek().clone() {
                    self.pos += 1;
                    names.push(second);
                }
            }
            match self.peek() {
                Tok::Declare => {
                    self.pos += 1;
                    decl = names;
                }
                Tok::Assign if names.len() == 1 => {
                    self.pos += 1;
                    assign = true;
                    decl = names;
                }
                _ => self.pos = save,
            }
        }
        let mut cmds = Vec::new();
        loop {
            match self.peek() {
                Tok::Close => {
                    self.pos += 1;
                    break;
                }
                Tok::RParen if context == "parenthesized pipeline" => break,
                Tok::Eof => return Err(self.err("unclosed action")),
                _ => {}
            }
            cmds.push(self.command()?);
            match self.peek() {
                Tok::Pipe => {
                    self.pos += 1;
                }
                Tok::Close => {}
                Tok::RParen if context == "parenthesized pipeline" => {}
                Tok::Eof => return Err(self.err("unclosed action")),
                other => return Err(self.err(format!("unexpected {other:?} in operand"))),
            }
        }
        if cmds.is_empty() {
            return Err(parse_error(
                self.source,
                pos,
                format!("missing value for {context}"),
            ));
        }
        if !assign {
            for name in &decl {
                self.vars.push(name.clone());
            }
        } else if let Some(name) = decl.first() {
            if !self.vars.contains(name) {
                return Err(parse_error(
                    self.source,
                    pos,
                    format!("undefined variable \"{name}\""),
                ));
            }
        }
        Ok(Pipe {
            decl,
            assign,
            cmds,
            pos,
        })
    }

    fn command(&mut self) -> Result<Command, String> {
        let pos = self.peek_pos();
        let mut args = Vec::new();
        loop {
            match self.peek() {
                Tok::Close | Tok::Pipe | Tok::RParen | Tok::Eof => break,
                _ => args.push(self.operand()?),
            }
        }
        if args.is_empty() {
            return Err(self.err("missing value for command"));
        }
        Ok(Command { args, pos })
    }

    fn operand(&mut self) -> Result<Arg, String> {
        let token = self.next();
        let arg = match token.tok {
            Tok::Field(name) => {
                let mut chain = vec![name];
                self.field_chain(&mut chain);
                Arg::Field(chain, token.pos)
            }
            Tok::Dot => Arg::Dot,
            Tok::Var(name) => {
                if !self.vars.contains(&name) {
                    return Err(parse_error(
                        self.source,
                        token.pos,
                        format!("undefined variable \"{name}\""),
                    ));
                }
                let mut chain = Vec::new();
                self.field_chain(&mut chain);
                Arg::Var(name, chain, token.pos)
            }
            Tok::Ident(name) => {
                if !KNOWN_FUNCTIONS.contains(&name.as_str()) {
                    return Err(parse_error(
                        self.source,
                        token.pos,
                        format!("function \"{name}\" not defined"),
                    ));
                }
                Arg::Func(name, token.pos)
            }
            Tok::Str(s) => Arg::Str(s),
            Tok::Number(n) => Arg::Number(n, token.pos),
            Tok::Bool(b) => Arg::Bool(b),
            Tok::Nil => Arg::Nil(token.pos),
            Tok::LParen => {
                let pipe = self.pipeline("parenthesized pipeline", false)?;
                if self.next().tok != Tok::RParen {
                    return Err(self.err("unclosed left paren"));
                }
                let mut chain = Vec::new();
                self.field_chain(&mut chain);
                Arg::Sub(Box::new(pipe), chain)
            }
            other => {
                return Err(parse_error(
                    self.source,
                    token.pos,
                    format!("unexpected {other:?} in operand"),
                ))
            }
        };
        Ok(arg)
    }

    fn field_chain(&mut self, chain: &mut Vec<String>) {
        while let Tok::Field(next) = self.peek().clone() {
            // A field directly attached (no space) continues the chain.
            let attached = self
                .tokens
                .get(self.pos.saturating_sub(1))
                .is_some_and(|prev| {
                    prev.pos < self.peek_pos()
                        && !self
                            .source
                            .get(prev.pos..self.peek_pos())
                            .unwrap_or(" ")
                            .contains(char::is_whitespace)
                });
            if !attached {
                break;
            }
            chain.push(next);
            self.pos += 1;
        }
    }
}

fn build_control(keyword: &str, pipe: Pipe, body: Vec<Node>, else_body: Vec<Node>) -> Node {
    match keyword {
        "if" => Node::If(pipe, body, else_body),
        "range" => Node::Range(pipe, body, else_body),
        _ => Node::With(pipe, body, else_body),
    }
}

// ---------------------------------------------------------------------------------------
// Execution

/// Which function set a template runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Functions {
    /// docker/cli's `basicFunctions`.
    Basic,
    /// docker/cli's `HeaderFunctions`, for the header row of a table.
    Header,
}

/// How a missing struct field is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingField {
    /// `can't evaluate field X in type T` (list formatters).
    TypeError,
    /// `map has no entry for key "X"` (inspect's raw JSON fallback, `missingkey=error`).
    MapError,
}

struct Exec<'a> {
    source: &'a str,
    functions: Functions,
    missing: MissingField,
    vars: Vec<(String, Value)>,
    out: String,
    steps: usize,
}

impl Template {
    /// Runs the template on `data`. Errors are Go-style messages without the
    /// "template parsing error: " prefix docker/cli adds.
    pub fn execute(
        &self,
        data: &Value,
        functions: Functions,
        missing: MissingField,
    ) -> Result<String, String> {
        let mut exec = Exec {
            source: &self.source,
            functions,
            missing,
            vars: vec![("$".to_string(), data.clone())],
            out: String::new(),
            steps: 0,
        };
        exec.walk(&self.nodes, data)?;
        Ok(exec.out)
    }
}

impl Exec<'_> {
    fn error_at(&self, pos: usize, node: &str, message: impl std::fmt::Display) -> String {
        let before = self.source.get(..pos).unwrap_or(self.source);
        let line = 1 + before.matches('\n').count();
        let col = before.rfind('\n').map_or(pos, |i| pos - i - 1);
        format!("template: :{line}:{col}: executing \"\" at <{node}>: {message}")
    }

    fn step(&mut self) -> Result<(), String> {
        self.steps += 1;
        if self.steps > MAX_STEPS || self.out.len() > MAX_OUTPUT {
            return Err(
                "template: execution stopped: the playground's template budget was exceeded"
                    .to_string(),
            );
        }
        Ok(())
    }

    fn walk(&mut self, nodes: &[Node], dot: &Value) -> Result<(), String> {
        for node in nodes {
            self.step()?;
            match node {
                Node::Text(t) => self.out.push_str(t),
                Node::Action(pipe) => {
                    let value = self.pipe(pipe, dot)?;
                    if pipe.decl.is_empty() {
                        value.print_into(&mut self.out);
                    }
                }
                Node::If(pipe, body, else_body) => {
                    let mark = self.vars.len();
                    let value = self.pipe(pipe, dot)?;
                    if value.truthy() {
                        self.walk(body, dot)?;
                    } else {
                        self.walk(else_body, dot)?;
                    }
                    self.vars.truncate(mark);
                }
                Node::With(pipe, body, else_body) => {
                    let mark = self.vars.len();
                    let value = self.pipe(pipe, dot)?;
                    if value.truthy() {
                        self.walk(body, &value)?;
                    } else {
                        self.walk(else_body, dot)?;
                    }
                    self.vars.truncate(mark);
                }
                Node::Range(pipe, body, else_body) => {
                    let mark = self.vars.len();
                    let decl = pipe.decl.clone();
                    let plain = Pipe {
                        decl: Vec::new(),
                        assign: false,
                        cmds: pipe.cmds.clone(),
                        pos: pipe.pos,
                    };
                    let value = self.pipe(&plain, dot)?;
                    let items: Vec<(Value, Value)> = match &value {
                        Value::List(items) => items
                            .iter()
                            .enumerate()
                            .map(|(i, v)| (Value::Int(i as i64), v.clone()))
                            .collect(),
                        Value::Map(entries) => sorted(entries)
                            .into_iter()
                            .map(|(k, v)| (Value::str(k.clone()), v.clone()))
                            .collect(),
                        Value::NilList | Value::NilMap | Value::Nil | Value::NoValue => Vec::new(),
                        Value::Int(n) => (0..*n.min(&100_000))
                            .map(|i| (Value::Int(i), Value::Int(i)))
                            .collect(),
                        other => {
                            return Err(self.error_at(
                                pipe.pos,
                                "range",
                                format!("range can't iterate over {}", other.print()),
                            ));
                        }
                    };
                    if items.is_empty() {
                        self.walk(else_body, dot)?;
                    }
                    for (key, item) in items {
                        self.step()?;
                        let inner = self.vars.len();
                        match decl.as_slice() {
                            [v] => self.vars.push((v.clone(), item.clone())),
                            [k, v] => {
                                self.vars.push((k.clone(), key));
                                self.vars.push((v.clone(), item.clone()));
                            }
                            _ => {}
                        }
                        self.walk(body, &item)?;
                        self.vars.truncate(inner);
                    }
                    self.vars.truncate(mark);
                }
            }
        }
        Ok(())
    }

    fn pipe(&mut self, pipe: &Pipe, dot: &Value) -> Result<Value, String> {
        let mut value: Option<Value> = None;
        for cmd in &pipe.cmds {
            self.step()?;
            value = Some(self.command(cmd, dot, value)?);
        }
        let value = value.unwrap_or(Value::NoValue);
        if pipe.assign {
            if let Some(name) = pipe.decl.first() {
                if let Some(slot) = self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                    slot.1 = value.clone();
                }
            }
        } else if let Some(name) = pipe.decl.first() {
            self.vars.push((name.clone(), value.clone()));
        }
        Ok(value)
    }

    fn command(
        &mut self,
        cmd: &Command,
        dot: &Value,
        piped: Option<Value>,
    ) -> Result<Value, String> {
        let Some(first) = cmd.args.first() else {
            return Err(self.error_at(cmd.pos, "", "missing value for command"));
        };
        if let Arg::Func(name, pos) = first {
            let mut args = Vec::new();
            for arg in cmd.args.iter().skip(1) {
                args.push(self.arg(arg, dot)?);
            }
            if let Some(p) = piped {
                args.push(p);
            }
            return self.call(name, *pos, args);
        }
        if let Arg::Field(chain, pos) = first {
            if cmd.args.len() > 1 || piped.is_some() {
                if let Some((last, receiver_chain)) = chain.split_last() {
                    let receiver = self.fields(dot.clone(), receiver_chain, *pos, "")?;
                    if let Value::Struct(st) = &receiver {
                        if let Some((_, Value::Method(entries))) =
                            st.fields.iter().find(|(k, _)| k == last)
                        {
                            let mut args = Vec::new();
                            for arg in cmd.args.iter().skip(1) {
                                args.push(self.arg(arg, dot)?);
                            }
                            if let Some(p) = piped {
                                args.push(p);
                            }
                            let node = describe(first);
                            if args.len() != 1 {
                                return Err(self.error_at(
                                    *pos,
                                    &node,
                                    format!(
                                        "wrong number of args for {last}: want 1 got {}",
                                        args.len()
                                    ),
                                ));
                            }
                            let key = self.string_arg(&args, 0, *pos, last)?;
                            let found = entries
                                .iter()
                                .find(|(k, _)| *k == key)
                                .map(|(_, v)| v.clone())
                                .unwrap_or_default();
                            return Ok(Value::Str(found));
                        }
                    }
                }
            }
        }
        if cmd.args.len() > 1 || piped.is_some() {
            let name = describe(first);
            return match first {
                Arg::Field(..) | Arg::Var(..) => Err(self.error_at(
                    cmd.pos,
                    &name,
                    format!(
                        "{} has arguments but cannot be invoked as function",
                        name.trim_start_matches('.')
                    ),
                )),
                _ => Err(self.error_at(
                    cmd.pos,
                    &name,
                    format!("can't give argument to non-function {name}"),
                )),
            };
        }
        if let Arg::Nil(pos) = first {
            return Err(self.error_at(*pos, "nil", "nil is not a command"));
        }
        self.arg(first, dot)
    }

    fn arg(&mut self, arg: &Arg, dot: &Value) -> Result<Value, String> {
        match arg {
            Arg::Dot => Ok(dot.clone()),
            Arg::Field(chain, pos) => self.fields(dot.clone(), chain, *pos, ""),
            Arg::Var(name, chain, pos) => {
                let value = self
                    .vars
                    .iter()
                    .rev()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or(Value::NoValue);
                self.fields(value, chain, *pos, name)
            }
            Arg::Str(s) => Ok(Value::Str(s.clone())),
            Arg::Number(n, pos) => parse_number(n)
                .ok_or_else(|| self.error_at(*pos, n, format!("illegal number syntax: {n:?}"))),
            Arg::Bool(b) => Ok(Value::Bool(*b)),
            Arg::Nil(_) => Ok(Value::Nil),
            Arg::Func(name, pos) => self.call(name, *pos, Vec::new()),
            Arg::Sub(pipe, chain) => {
                let value = self.pipe(pipe, dot)?;
                self.fields(value, chain, pipe.pos, "")
            }
        }
    }

    fn fields(
        &self,
        mut value: Value,
        chain: &[String],
        pos: usize,
        prefix: &str,
    ) -> Result<Value, String> {
        let mut path = prefix.to_string();
        for name in chain {
            path.push('.');
            path.push_str(name);
            value = match value {
                Value::Struct(s) => match s.fields.iter().find(|(k, _)| k == name) {
                    Some((_, Value::Method(_))) => {
                        return Err(self.error_at(
                            pos,
                            &path,
                            format!("wrong number of args for {name}: want 1 got 0"),
                        ));
                    }
                    Some((_, v)) => v.clone(),
                    None => {
                        return Err(match self.missing {
                            MissingField::TypeError => self.error_at(
                                pos,
                                &path,
                                format!("can't evaluate field {name} in type {}", s.type_name),
                            ),
                            MissingField::MapError => self.error_at(
                                pos,
                                &path,
                                format!("map has no entry for key \"{name}\""),
                            ),
                        })
                    }
                },
                Value::Map(entries) => match entries.iter().find(|(k, _)| k == name) {
                    Some((_, v)) => v.clone(),
                    None if self.missing == MissingField::MapError => {
                        return Err(self.error_at(
                            pos,
                            &path,
                            format!("map has no entry for key \"{name}\""),
                        ));
                    }
                    None => Value::Str(String::new()),
                },
                Value::NilMap => Value::Str(String::new()),
                Value::Nil | Value::NoValue => {
                    return Err(self.error_at(
                        pos,
                        &path,
                        format!("nil pointer evaluating interface {{}}.{name}"),
                    ));
                }
                other => {
                    return Err(self.error_at(
                        pos,
                        &path,
                        format!("can't evaluate field {name} in type {}", other.go_type()),
                    ));
                }
            };
        }
        Ok(value)
    }

    fn call(&mut self, name: &str, pos: usize, args: Vec<Value>) -> Result<Value, String> {
        let node = name.to_string();
        let want = |n: usize, args: &Vec<Value>| -> Result<(), String> {
            if args.len() == n {
                Ok(())
            } else {
                Err(self.error_at(
                    pos,
                    &node,
                    format!(
                        "wrong number of args for {name}: want {n} got {}",
                        args.len()
                    ),
                ))
            }
        };
        if self.functions == Functions::Header
            && matches!(
                name,
                "json" | "split" | "join" | "title" | "lower" | "upper" | "truncate"
            )
        {
            return Ok(args.into_iter().next().unwrap_or(Value::NoValue));
        }
        match name {
            "json" => {
                want(1, &args)?;
                Ok(Value::Str(
                    args.first().map(Value::to_json).unwrap_or_default(),
                ))
            }
            "split" => {
                want(2, &args)?;
                let s = self.string_arg(&args, 0, pos, name)?;
                let sep = self.string_arg(&args, 1, pos, name)?;
                let parts: Vec<Value> = if sep.is_empty() {
                    s.chars().map(|c| Value::Str(c.to_string())).collect()
                } else {
                    s.split(sep.as_str())
                        .map(|p| Value::Str(p.to_string()))
                        .collect()
                };
                Ok(Value::List(parts))
            }
            "join" => {
                want(2, &args)?;
                let sep = self.string_arg(&args, 1, pos, name)?;
                match args.first() {
                    Some(Value::List(items)) => Ok(Value::Str(
                        items
                            .iter()
                            .map(Value::print)
                            .collect::<Vec<_>>()
                            .join(&sep),
                    )),
                    Some(Value::Map(entries)) => {
                        let mut values: Vec<String> =
                            entries.iter().map(|(_, v)| v.print()).collect();
                        values.sort();
                        Ok(Value::Str(values.join(&sep)))
                    }
                    Some(Value::Nil | Value::NilList | Value::NilMap | Value::NoValue) | None => {
                        Ok(Value::Str(String::new()))
                    }
                    Some(other) => Err(self.error_at(
                        pos,
                        &node,
                        format!(
                            "error calling join: expected slice, got {}",
                            other.go_type()
                        ),
                    )),
                }
            }
            "title" => {
                want(1, &args)?;
                Ok(Value::Str(go_title(&self.string_arg(&args, 0, pos, name)?)))
            }
            "lower" => {
                want(1, &args)?;
                Ok(Value::Str(
                    self.string_arg(&args, 0, pos, name)?.to_lowercase(),
                ))
            }
            "upper" => {
                want(1, &args)?;
                Ok(Value::Str(
                    self.string_arg(&args, 0, pos, name)?.to_uppercase(),
                ))
            }
            "pad" => {
                want(3, &args)?;
                let s = self.string_arg(&args, 0, pos, name)?;
                let prefix = self.int_arg(&args, 1, pos, name)?.clamp(0, 1000) as usize;
                let suffix = self.int_arg(&args, 2, pos, name)?.clamp(0, 1000) as usize;
                if s.is_empty() {
                    return Ok(Value::Str(s));
                }
                Ok(Value::Str(format!(
                    "{}{s}{}",
                    " ".repeat(prefix),
                    " ".repeat(suffix)
                )))
            }
            "truncate" => {
                want(2, &args)?;
                let s = self.string_arg(&args, 0, pos, name)?;
                let n = self.int_arg(&args, 1, pos, name)?;
                if n < 0 {
                    return Err(self.error_at(
                        pos,
                        &node,
                        "error calling truncate: slice bounds out of range",
                    ));
                }
                let n = n as usize;
                if s.len() < n {
                    return Ok(Value::Str(s));
                }
                let mut end = n;
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                Ok(Value::Str(s.get(..end).unwrap_or("").to_string()))
            }
            "not" => {
                want(1, &args)?;
                Ok(Value::Bool(!args.first().is_some_and(Value::truthy)))
            }
            "and" => {
                let mut last = Value::NoValue;
                for a in args {
                    if !a.truthy() {
                        return Ok(a);
                    }
                    last = a;
                }
                Ok(last)
            }
            "or" => {
                let mut last = Value::NoValue;
                for a in args {
                    if a.truthy() {
                        return Ok(a);
                    }
                    last = a;
                }
                Ok(last)
            }
            "len" => {
                want(1, &args)?;
                match args.first() {
                    Some(Value::Str(s)) => Ok(Value::Int(s.len() as i64)),
                    Some(Value::List(items)) => Ok(Value::Int(items.len() as i64)),
                    Some(Value::Map(entries)) => Ok(Value::Int(entries.len() as i64)),
                    Some(Value::NilList | Value::NilMap) => Ok(Value::Int(0)),
                    Some(other) => Err(self.error_at(
                        pos,
                        &node,
                        format!("error calling len: len of type {}", other.go_type()),
                    )),
                    None => Ok(Value::Int(0)),
                }
            }
            "index" => {
                let mut iter = args.into_iter();
                let mut value = iter.next().unwrap_or(Value::NoValue);
                for key in iter {
                    value = match (&value, &key) {
                        (Value::List(items), Value::Int(i)) => {
                            match usize::try_from(*i).ok().and_then(|i| items.get(i)) {
                                Some(v) => v.clone(),
                                None => {
                                    return Err(self.error_at(
                                        pos,
                                        &node,
                                        format!("error calling index: index out of range: {i}"),
                                    ))
                                }
                            }
                        }
                        (Value::Map(entries), Value::Str(k)) => entries
                            .iter()
                            .find(|(ek, _)| ek == k)
                            .map(|(_, v)| v.clone())
                            .unwrap_or(Value::NoValue),
                        (Value::NilMap, _) => Value::NoValue,
                        _ => {
                            return Err(self.error_at(
                                pos,
                                &node,
                                format!(
                                    "error calling index: can't index item of type {}",
                                    value.go_type()
                                ),
                            ))
                        }
                    };
                }
                Ok(value)
            }
            "print" => Ok(Value::Str(go_sprint(&args))),
            "println" => {
                let parts: Vec<String> = args.iter().map(Value::print).collect();
                Ok(Value::Str(parts.join(" ") + "\n"))
            }
            "printf" => {
                let format = self.string_arg(&args, 0, pos, name)?;
                Ok(Value::Str(go_sprintf(
                    &format,
                    args.get(1..).unwrap_or(&[]),
                )))
            }
            "eq" | "ne" | "lt" | "le" | "gt" | "ge" => {
                if args.len() < 2 {
                    return Err(self.error_at(
                        pos,
                        &node,
                        format!("wrong number of args for {name}: want 2 got {}", args.len()),
                    ));
                }
                let (a, rest) = args
                    .split_first()
                    .map_or((Value::NoValue, &[][..]), |(a, r)| (a.clone(), r));
                if name == "eq" {
                    return Ok(Value::Bool(
                        rest.iter()
                            .any(|b| compare(&a, b) == Some(std::cmp::Ordering::Equal)),
                    ));
                }
                let b = rest.first().cloned().unwrap_or(Value::NoValue);
                let Some(ord) = compare(&a, &b) else {
                    return Err(self.error_at(
                        pos,
                        &node,
                        format!("error calling {name}: incompatible types for comparison"),
                    ));
                };
                Ok(Value::Bool(match name {
                    "ne" => ord != std::cmp::Ordering::Equal,
                    "lt" => ord == std::cmp::Ordering::Less,
                    "le" => ord != std::cmp::Ordering::Greater,
                    "gt" => ord == std::cmp::Ordering::Greater,
                    _ => ord != std::cmp::Ordering::Less,
                }))
            }
            other => Err(self.error_at(
                pos,
                other,
                format!("function \"{other}\" is not supported by the playground"),
            )),
        }
    }

    fn string_arg(
        &self,
        args: &[Value],
        i: usize,
        pos: usize,
        name: &str,
    ) -> Result<String, String> {
        match args.get(i) {
            Some(Value::Str(s)) => Ok(s.clone()),
            Some(other) => Err(self.error_at(
                pos,
                name,
                format!(
                    "wrong type for value; expected string; got {}",
                    other.go_type()
                ),
            )),
            None => Err(self.error_at(pos, name, format!("wrong number of args for {name}"))),
        }
    }

    fn int_arg(&self, args: &[Value], i: usize, pos: usize, name: &str) -> Result<i64, String> {
        match args.get(i) {
            Some(Value::Int(n)) => Ok(*n),
            Some(other) => Err(self.error_at(
                pos,
                name,
                format!(
                    "wrong type for value; expected int; got {}",
                    other.go_type()
                ),
            )),
            None => Err(self.error_at(pos, name, format!("wrong number of args for {name}"))),
        }
    }
}

fn describe(arg: &Arg) -> String {
    match arg {
        Arg::Field(chain, _) => chain.iter().map(|c| format!(".{c}")).collect(),
        Arg::Dot => ".".into(),
        Arg::Var(name, chain, _) => format!(
            "{name}{}",
            chain.iter().map(|c| format!(".{c}")).collect::<String>()
        ),
        Arg::Func(name, _) => name.clone(),
        Arg::Str(s) => format!("{s:?}"),
        Arg::Number(n, _) => n.clone(),
        Arg::Bool(b) => b.to_string(),
        Arg::Nil(_) => "nil".into(),
        Arg::Sub(..) => "(pipeline)".into(),
    }
}

fn parse_number(text: &str) -> Option<Value> {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    let (negative, digits) = match clean.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, clean.trim_start_matches('+').to_string()),
    };
    let parsed = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        i64::from_str_radix(hex, 16).ok()
    } else if let Some(oct) = digits
        .strip_prefix("0o")
        .or_else(|| digits.strip_prefix("0O"))
    {
        i64::from_str_radix(oct, 8).ok()
    } else if let Some(bin) = digits
        .strip_prefix("0b")
        .or_else(|| digits.strip_prefix("0B"))
    {
        i64::from_str_radix(bin, 2).ok()
    } else {
        digits.parse::<i64>().ok()
    };
    match parsed {
        Some(n) => Some(Value::Int(if negative { -n } else { n })),
        None => clean.parse::<f64>().ok().map(|_| Value::Number(clean)),
    }
}

fn compare(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::Number(x), Value::Number(y)) => {
            x.parse::<f64>().ok()?.partial_cmp(&y.parse::<f64>().ok()?)
        }
        (Value::Number(x), Value::Int(y)) => x.parse::<f64>().ok()?.partial_cmp(&(*y as f64)),
        (Value::Int(x), Value::Number(y)) => (*x as f64).partial_cmp(&y.parse::<f64>().ok()?),
        (Value::Nil, Value::Nil) => Some(std::cmp::Ordering::Equal),
        _ => None,
    }
}

/// Go's `fmt.Sprint`: spaces only between operands that are both non-strings.
fn go_sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, arg) in args.iter().enumerate() {
        let is_string = matches!(arg, Value::Str(_));
        let prev_string = i > 0 && matches!(args.get(i - 1), Some(Value::Str(_)));
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        out.push_str(&arg.print());
    }
    out
}

/// A small `fmt.Sprintf`: `%v %s %d %q %t %%` and widths like `%-10s`.
fn go_sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    let mut next_arg = args.iter();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut left = false;
        if chars.peek() == Some(&'-') {
            left = true;
            chars.next();
        }
        let mut width = 0usize;
        while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
            width = (width * 10 + d as usize).min(1000);
            chars.next();
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = next_arg.next() else {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        };
        let text = match verb {
            'q' => match arg {
                Value::Str(s) => {
                    let mut quoted = String::new();
                    write_string(s, false, &mut quoted);
                    quoted
                }
                other => other.print(),
            },
            _ => arg.print(),
        };
        let pad = width.saturating_sub(text.chars().count());
        if left {
            out.push_str(&text);
            out.push_str(&" ".repeat(pad));
        } else {
            out.push_str(&" ".repeat(pad));
            out.push_str(&text);
        }
    }
    for extra in next_arg {
        let _ = write!(out, "%!(EXTRA {}={})", extra.go_type(), extra.print());
    }
    out
}

/// Go's deprecated `strings.Title`: upper-cases letters that start a word.
fn go_title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev_separator = true;
    for c in text.chars() {
        if prev_separator {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_separator = !(c.is_alphanumeric() || c == '_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(template: &str, data: &Value) -> Result<String, String> {
        Template::parse(template)?.execute(data, Functions::Basic, MissingField::TypeError)
    }

    fn data() -> Value {
        Value::new_struct(
            "*formatter.imageContext",
            StructJson::SortedEscaped,
            vec![
                ("Repository".into(), Value::str("<none>")),
                (
                    "Tags".into(),
                    Value::List(vec![Value::str("a"), Value::str("b")]),
                ),
                ("Empty".into(), Value::str("")),
            ],
        )
    }

    #[test]
    fn go_template_subset() {
        let d = data();
        let cases: &[(&str, &str)] = &[
            ("{{.Repository}}", "<none>"),
            ("{{json .Repository}}", "\"<none>\""),
            (
                "{{json .}}",
                r#"{"Empty":"","Repository":"\u003cnone\u003e","Tags":["a","b"]}"#,
            ),
            ("{{range .Tags}}[{{.}}]{{end}}", "[a][b]"),
            ("{{range $i, $t := .Tags}}{{$i}}={{$t}} {{end}}", "0=a 1=b "),
            ("{{if .Empty}}x{{else if .Tags}}y{{else}}z{{end}}", "y"),
            ("{{join .Tags \",\"}}", "a,b"),
            ("{{.Tags}}", "[a b]"),
            ("a {{- \" b \" -}} c", "a b c"),
            ("{{/* comment */}}x", "x"),
            ("{{printf \"%-4s|\" .Repository}}", "<none>|"),
            ("{{len .Tags}}", "2"),
            ("{{index .Tags 1}}", "b"),
            ("{{upper (index .Tags 0)}}", "A"),
            ("{{.Repository | lower | title}}", "<None>"),
            ("{{with .Empty}}x{{else}}none{{end}}", "none"),
            ("{{eq .Repository \"<none>\"}}", "true"),
            ("{{truncate .Repository 3}}", "<no"),
            ("{{pad .Empty 1 1}}|{{pad .Repository 1 0}}", "| <none>"),
            ("{{split \"a:b\" \":\"}}", "[a b]"),
        ];
        for (template, expected) in cases {
            assert_eq!(run(template, &d).as_deref(), Ok(*expected), "{template}");
        }
    }

    #[test]
    fn go_template_errors() {
        let d = data();
        assert_eq!(
            run("{{InvalidFunction}}", &d).unwrap_err(),
            "template: :1: function \"InvalidFunction\" not defined"
        );
        assert_eq!(
            run("{{nil}}", &d).unwrap_err(),
            "template: :1:2: executing \"\" at <nil>: nil is not a command"
        );
        assert_eq!(
            run("{{.Foo}}", &d).unwrap_err(),
            "template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type *formatter.imageContext"
        );
        assert!(run("{{if .Foo}}", &d).is_err());
        assert!(run("{{end}}", &d).is_err());
        assert!(run("{{.Repository", &d).is_err());
        let deep = "{{if 1}}".repeat(100) + &"{{end}}".repeat(100);
        assert!(run(&deep, &d).is_err());
    }
}
