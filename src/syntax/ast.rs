//! The syntax tree: BuildKit's parse tree, faithful to the source.
//!
//! Invariants: every instruction, keyword, flag, argument and heredoc body carries a byte
//! [`Span`] into the original text (never into the joined line); `args` hold exactly the
//! values of BuildKit's node chain (ENV/LABEL include the `"="` / `""` separator nodes, an
//! unknown instruction has one empty node, ONBUILD has none and wraps `child` instead).
//! Nothing here is expanded or unquoted beyond what BuildKit's parser itself does.

use crate::text::Span;
use serde::Serialize;

/// The parsed file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Ast {
    /// Parser directives found at the top (`syntax`, `escape`, `check`), in order.
    pub directives: Vec<Directive>,
    /// The escape character in force (`\` unless an `escape` directive chose a backtick).
    pub escape: char,
    /// Every comment line outside heredoc bodies, directives included, in file order.
    pub comments: Vec<Comment>,
    /// Top-level instructions in file order.
    pub instructions: Vec<Node>,
}

/// `# name=value` at the top of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Directive {
    /// Lower-cased key: `syntax`, `escape` or `check`.
    pub name: String,
    pub value: String,
    /// The whole directive line.
    pub span: Span,
    pub value_span: Span,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// The text after `#`, trimmed.
    pub text: String,
    /// From `#` to the end of the line (line break excluded).
    pub span: Span,
    pub line: usize,
    /// The line is a parser directive.
    pub directive: bool,
}

/// One instruction.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Node {
    /// The keyword as written (`from`, `RUN`, `docker-version`).
    pub keyword: String,
    pub keyword_span: Span,
    /// Flag words (`--from=build`), quotes and escapes already removed by the parser.
    pub flags: Vec<Flag>,
    /// BuildKit's argument nodes (see the module invariants).
    pub args: Vec<Arg>,
    /// The arguments were a JSON array (exec form).
    pub json: bool,
    /// ONBUILD: the wrapped instruction (same lines, spans inside this one).
    pub child: Option<Box<Node>>,
    /// Heredocs of this instruction (for ONBUILD they belong to the wrapped one).
    pub heredocs: Vec<Heredoc>,
    /// BuildKit's `Original`: the joined logical line (first line left-trimmed,
    /// continuation characters and skipped lines removed, no heredoc bodies).
    pub original: String,
    /// The whole instruction: continuation lines and heredoc bodies included.
    pub span: Span,
    pub start_line: usize,
    pub end_line: usize,
    /// The comment lines just above (BuildKit's `PrevComment`; an empty `#` resets them).
    pub comments: Vec<String>,
    /// The parser reported an error for this instruction (BuildKit would reject the file).
    pub invalid: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// The flag word as BuildKit passes it on, e.g. `--chown=1:1`.
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Arg {
    pub value: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heredoc {
    /// The delimiter after unquoting (`<<'EOF'` → `EOF`).
    pub name: String,
    /// The number before `<<` (0 if none).
    pub file_descriptor: u64,
    /// No part of the delimiter was quoted: variables in the body are expanded.
    pub expand: bool,
    /// `<<-` was used.
    pub chomp: bool,
    /// The body exactly as in the file (line endings kept, not de-indented).
    pub content: String,
    /// The `<<EOF` word on the instruction line.
    pub word_span: Span,
    /// The body lines.
    pub body_span: Span,
    /// The terminator line; `None` when the file ended first.
    pub terminator_span: Option<Span>,
}

impl Node {
    /// The instruction this node stands for: the wrapped one for ONBUILD.
    pub fn effective(&self) -> &Node {
        match &self.child {
            Some(child) if self.is("onbuild") => child,
            _ => self,
        }
    }

    /// Case-insensitive keyword test (BuildKit lower-cases with Go's rules).
    pub fn is(&self, lower_keyword: &str) -> bool {
        super::gostr::eq_lower(&self.keyword, lower_keyword)
    }

    pub fn arg_values(&self) -> impl Iterator<Item = &str> {
        self.args.iter().map(|a| a.value.as_str())
    }

    pub fn flag_texts(&self) -> impl Iterator<Item = &str> {
        self.flags.iter().map(|f| f.text.as_str())
    }
}
