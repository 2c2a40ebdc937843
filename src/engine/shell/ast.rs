//! The syntax tree of a shell script, faithful to the source: every word keeps its parts
//! (literal, quoted, expansions) and every command its byte span, so the interpreter can
//! expand lazily and report positions.
//!
//! Invariants: spans are byte offsets into the text given to [`super::parser::parse`]
//! (for nested sources, offsets into that source plus the base given to the parser).
//! Here-document bodies are filled in when the parser reaches the end of their line,
//! which is why they sit behind an `Arc<OnceLock<…>>`.

use crate::text::Span;
use std::sync::{Arc, OnceLock};

/// Which shell's grammar and built-in behaviour to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// Debian's `/bin/sh`: POSIX only; `echo` interprets backslash escapes.
    Dash,
    /// BusyBox `ash` (Alpine's `/bin/sh`): POSIX plus `[[`, `${v/p/r}`, `${v:o:l}`,
    /// `$'…'`, `<<<`, `&>`, `function`.
    Ash,
    /// GNU bash: all of the above plus `(( ))`, arrays and brace expansion.
    Bash,
}

impl Dialect {
    /// `[[ ]]`, `${v/p/r}`, `${v:o:l}`, `$'…'`, `<<<`, `&>`, `function`.
    pub fn bash_syntax(self) -> bool {
        matches!(self, Dialect::Ash | Dialect::Bash)
    }
    /// `(( ))`, `for ((;;))`, arrays, brace expansion, `|&`.
    pub fn full_bash(self) -> bool {
        self == Dialect::Bash
    }
    /// The name a shell prints before its error messages.
    pub fn shell_name(self) -> &'static str {
        match self {
            Dialect::Dash => "sh",
            Dialect::Ash => "sh",
            Dialect::Bash => "bash",
        }
    }
}

/// Marks an array value passed to a declaration builtin (see [`WordPart::ArrayLit`]).
pub const ARRAY_MARK: char = '\u{1e}';
/// Separates the elements of such a value.
pub const ARRAY_SEP: char = '\u{1f}';

/// A sequence of and-or lists (`a; b & c`).
pub type List = Vec<Item>;

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub and_or: AndOr,
    /// Ended by `&` (run in the background; we run it to completion in a subshell).
    pub background: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    pub negated: bool,
    pub commands: Vec<Command>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Simple(SimpleCommand),
    Compound {
        body: Box<Compound>,
        redirects: Vec<Redirect>,
        span: Span,
    },
    Function {
        name: String,
        body: Arc<Command>,
        span: Span,
    },
}

impl Command {
    pub fn span(&self) -> Span {
        match self {
            Command::Simple(s) => s.span,
            Command::Compound { span, .. } | Command::Function { span, .. } => *span,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SimpleCommand {
    pub assigns: Vec<Assign>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assign {
    pub name: String,
    /// `name+=value` (bash).
    pub append: bool,
    pub value: AssignValue,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AssignValue {
    Scalar(Word),
    /// `name=(a b c)` (bash).
    Array(Vec<Word>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Compound {
    Brace(List),
    Subshell(List),
    If {
        branches: Vec<(List, List)>,
        else_body: Option<List>,
    },
    For {
        var: String,
        /// `None`: iterate over `"$@"`.
        words: Option<Vec<Word>>,
        body: List,
    },
    /// `for ((init; cond; step))` (bash).
    ArithFor {
        init: Word,
        cond: Word,
        step: Word,
        body: List,
    },
    While {
        until: bool,
        cond: List,
        body: List,
    },
    Case {
        word: Word,
        arms: Vec<CaseArm>,
    },
    /// `[[ … ]]`
    Cond(CondExpr),
    /// `(( … ))`
    Arith(Word),
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseArm {
    pub patterns: Vec<Word>,
    pub body: List,
    pub end: CaseEnd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseEnd {
    /// `;;`
    Break,
    /// `;&`
    FallThrough,
    /// `;;&`
    TestNext,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CondExpr {
    Word(Word),
    Unary(String, Word),
    Binary(Word, String, Word),
    Not(Box<CondExpr>),
    And(Box<CondExpr>, Box<CondExpr>),
    Or(Box<CondExpr>, Box<CondExpr>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Redirect {
    /// The explicit descriptor (`2>`), if any.
    pub fd: Option<u32>,
    pub op: RedirOp,
    pub target: RedirTarget,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirOp {
    /// `<`
    In,
    /// `>`
    Out,
    /// `>|`
    Clobber,
    /// `>>`
    Append,
    /// `<&`
    DupIn,
    /// `>&`
    DupOut,
    /// `<>`
    ReadWrite,
    /// `<<` / `<<-`
    Heredoc { strip_tabs: bool },
    /// `<<<` (bash)
    HereString,
    /// `&>` (bash): stdout and stderr to a file.
    OutErr,
    /// `&>>` (bash)
    AppendOutErr,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RedirTarget {
    Word(Word),
    Heredoc(Arc<OnceLock<HereDoc>>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct HereDoc {
    /// The body; when the delimiter was quoted it is one quoted literal.
    pub body: Word,
    pub quoted: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub parts: Vec<WordPart>,
    pub span: Span,
}

impl Word {
    /// The text if the word is one unquoted literal (how keywords and names are spotted).
    pub fn as_literal(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [WordPart::Lit(s)] => Some(s),
            _ => None,
        }
    }

    /// True if any part is quoted or escaped (a quoted here-doc delimiter, a quoted
    /// case pattern …).
    pub fn has_quotes(&self) -> bool {
        self.parts.iter().any(|p| {
            matches!(
                p,
                WordPart::Escaped(_)
                    | WordPart::Single(_)
                    | WordPart::Double(_)
                    | WordPart::AnsiC(_)
            )
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum WordPart {
    /// Unquoted text (glob characters active); inside `Double`, quoted text.
    Lit(String),
    /// Backslash-escaped characters outside quotes.
    Escaped(String),
    /// `'…'`
    Single(String),
    /// `"…"`
    Double(Vec<WordPart>),
    /// `$'…'`, already decoded.
    AnsiC(String),
    Param(Box<Param>),
    /// `$(…)` or `` `…` ``
    CmdSub(Box<List>),
    /// `(a b c)` after `name=` in an argument of `declare`/`local`/`export`… (bash).
    /// Expands to one field: [`ARRAY_MARK`] then the elements separated by
    /// [`ARRAY_SEP`], which those builtins decode.
    ArrayLit(Vec<Word>),
    /// `<(…)` (or `>(…)` when `output`): bash and BusyBox ash ≥ 1.34.
    ProcSub {
        list: Box<List>,
        output: bool,
    },
    /// `$((…))`: the expression text, expanded before evaluation.
    Arith(Box<Word>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: ParamName,
    /// `${a[i]}` (bash arrays): the subscript.
    pub index: Option<Word>,
    pub op: ParamOp,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParamName {
    Var(String),
    Positional(usize),
    /// One of `@ * # ? - $ ! 0`.
    Special(char),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParamOp {
    Plain,
    /// `${#v}`
    Length,
    /// `${!v}` (bash)
    Indirect,
    /// `${!a[@]}` (bash): the indices of an array.
    Keys,
    /// `${v-w}` / `${v:-w}`
    Default {
        colon: bool,
        word: Word,
    },
    /// `${v=w}` / `${v:=w}`
    Assign {
        colon: bool,
        word: Word,
    },
    /// `${v?w}` / `${v:?w}`
    Error {
        colon: bool,
        word: Option<Word>,
    },
    /// `${v+w}` / `${v:+w}`
    Alt {
        colon: bool,
        word: Word,
    },
    /// `${v#p}` / `${v##p}`
    TrimPrefix {
        longest: bool,
        pattern: Word,
    },
    /// `${v%p}` / `${v%%p}`
    TrimSuffix {
        longest: bool,
        pattern: Word,
    },
    /// `${v/p/r}`, `${v//p/r}`, `${v/#p/r}`, `${v/%p/r}`
    Replace {
        mode: ReplaceMode,
        pattern: Word,
        with: Option<Word>,
    },
    /// `${v:offset}` / `${v:offset:length}`
    Substr {
        offset: Word,
        length: Option<Word>,
    },
    /// `${v^}`, `${v^^}`, `${v,}`, `${v,,}`
    Case {
        upper: bool,
        all: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplaceMode {
    First,
    All,
    Prefix,
    Suffix,
}
