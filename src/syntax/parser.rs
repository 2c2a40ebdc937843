//! The driver: BuildKit's `parser.Parse` loop over physical lines (BOM, directives, comments,
//! continuation lines, heredoc bodies), with error recovery.
//!
//! BuildKit stops at the first error. We record that error as the file's rejection
//! ([`super::ParseOutput::rejection`]) and keep going, so the editor still sees every later
//! instruction: a broken instruction becomes a node marked `invalid`, an unterminated heredoc
//! takes the rest of the file as its body (as BuildKit reads it). Every loop advances by at
//! least one physical line, so parsing is linear in the input and always ends.

use super::ast::{Ast, Comment, Directive, Heredoc, Node};
use super::directives::{DirectiveScanner, ESCAPE};
use super::gostr::{trim_space, trim_start_space};
use super::heredoc::heredocs_from_line;
use super::lines::{
    contains_double_lt, split_lines, trim_continuation, Logical, PhysLine, MAX_LINE,
};
use super::node::NodeBuilder;
use super::{ParseCode, ParseOutput};
use crate::diagnostics::Diagnostic;
use crate::text::Span;

pub fn parse(src: &str) -> ParseOutput {
    let mut parser = Parser {
        src,
        lines: split_lines(src),
        escape: '\\',
        directives: DirectiveScanner::default(),
        ast: Ast {
            escape: '\\',
            ..Ast::default()
        },
        diagnostics: Vec::new(),
        rejection: None,
        buildkit_stopped: false,
        pending_comments: Vec::new(),
        logical: Logical::default(),
    };
    parser.run();
    parser.ast.escape = parser.escape;
    ParseOutput {
        ast: parser.ast,
        diagnostics: parser.diagnostics,
        rejection: parser.rejection,
    }
}

struct Parser<'a> {
    src: &'a str,
    lines: Vec<PhysLine>,
    escape: char,
    directives: DirectiveScanner,
    ast: Ast,
    diagnostics: Vec<Diagnostic>,
    rejection: Option<Diagnostic>,
    /// BuildKit would have stopped reading by now: later errors are ours only.
    buildkit_stopped: bool,
    /// BuildKit's `PrevComment` being collected for the next instruction.
    pending_comments: Vec<String>,
    /// The joined-line buffer, reused from one instruction to the next.
    logical: Logical,
}

/// Where a line that is too long for BuildKit was met.
enum LongLineContext {
    TopLevel,
    Continuation,
    HeredocBody(Span),
}

impl Parser<'_> {
    fn run(&mut self) {
        let mut i = 0;
        while i < self.lines.len() {
            i = self.instruction_at(i);
        }
        if self.ast.instructions.is_empty() {
            let end = self.src.len();
            self.fatal(
                ParseCode::NoInstructions,
                "file with no instructions".into(),
                Span::new(end, end),
            );
        }
    }

    fn fatal(&mut self, code: ParseCode, message: String, span: Span) {
        let diagnostic = Diagnostic::error(code.as_str(), message, span);
        if !self.buildkit_stopped {
            self.rejection = Some(diagnostic.clone());
            self.buildkit_stopped = true;
        }
        self.diagnostics.push(diagnostic);
    }

    fn line_text(&self, line: PhysLine) -> &str {
        &self.src[line.start..line.content_end]
    }

    fn check_length(&mut self, index: usize, context: LongLineContext) {
        let line = self.lines[index];
        if line.raw_len <= MAX_LINE {
            return;
        }
        let span = Span::new(line.start, line.content_end);
        let message = format!("dockerfile line greater than max allowed size of {MAX_LINE}");
        if !self.buildkit_stopped {
            let (code, text, at) = match context {
                LongLineContext::HeredocBody(at) => (
                    ParseCode::UnterminatedHeredoc,
                    "unterminated heredoc".into(),
                    at,
                ),
                LongLineContext::TopLevel if self.ast.instructions.is_empty() => (
                    ParseCode::NoInstructions,
                    "file with no instructions".into(),
                    span,
                ),
                _ => (ParseCode::LineTooLong, message.clone(), span),
            };
            self.rejection = Some(Diagnostic::error(code.as_str(), text, at));
            self.buildkit_stopped = true;
        }
        self.diagnostics.push(Diagnostic::error(
            ParseCode::LineTooLong.as_str(),
            message,
            span,
        ));
    }

    fn record_comment(&mut self, index: usize, directive: bool) {
        let line = self.lines[index];
        let text = self.line_text(line);
        let lead = text.len() - trim_start_space(text).len();
        let body = text[lead..].strip_prefix('#').unwrap_or_default();
        self.ast.comments.push(Comment {
            text: trim_space(body).1.to_string(),
            span: Span::new(line.start + lead, line.content_end),
            line: index + 1,
            directive,
        });
    }

    /// Reads the instruction (or comment/blank line) starting at physical line `i`;
    /// returns the index of the next unread line.
    fn instruction_at(&mut self, i: usize) -> usize {
        self.check_length(i, LongLineContext::TopLevel);
        let line = self.lines[i];
        let bom = if i == 0 && self.src.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        let start = (line.start + bom).min(line.content_end);
        let raw = &self.src[start..line.content_end];
        if is_comment(raw) {
            // BuildKit takes the text after the line's first byte, even when it is a blank.
            let after_first = match raw.get(1..) {
                Some(after) => std::borrow::Cow::Borrowed(after),
                None => String::from_utf8_lossy(raw.as_bytes().get(1..).unwrap_or_default()),
            };
            let comment = trim_space(&after_first).1;
            if comment.is_empty() {
                self.pending_comments.clear();
            } else {
                self.pending_comments.push(comment.to_string());
            }
        }
        let lead = raw.len() - trim_start_space(raw).len();
        let stripped = &raw[lead..];
        let stripped_start = start + lead;
        let directive = self.directive(stripped, stripped_start, i);
        if is_comment(stripped) {
            self.record_comment(i, directive);
            return i + 1;
        }
        let (kept, mut continues) = trim_continuation(stripped, self.escape);
        if !continues && kept == 0 {
            return i + 1;
        }
        // One joined-line buffer serves every instruction of the file.
        let mut logical = std::mem::take(&mut self.logical);
        logical.reset(stripped_start);
        logical.push(stripped_start, &stripped[..kept]);
        let mut first_empty: Option<Span> = None;
        let mut next = i + 1;
        while continues && next < self.lines.len() {
            self.check_length(next, LongLineContext::Continuation);
            let line = self.lines[next];
            next += 1;
            let text = self.line_text(line);
            if is_comment(text) {
                self.record_comment(next - 1, false);
                continue;
            }
            if trim_start_space(text).is_empty() {
                first_empty.get_or_insert(Span::new(line.start, line.content_end));
                continue;
            }
            let (kept, more) = trim_continuation(text, self.escape);
            logical.push(line.start, &text[..kept]);
            continues = more;
        }
        let end_line = next; // 1-based number of the last line read so far
        if let Some(span) = first_empty {
            self.diagnostics.push(
                Diagnostic::warning(
                    ParseCode::EmptyContinuationLine.as_str(),
                    format!("Empty continuation line found in: {}", logical.text),
                    span,
                )
                .with_help("Empty continuation lines will become errors in a future release"),
            );
        }
        let mut builder = NodeBuilder::new(&logical, self.escape);
        let mut node = builder.node(0, logical.text.len(), 0);
        let errors = std::mem::take(&mut builder.errors);
        node.invalid = !errors.is_empty();
        for error in errors {
            self.fatal(error.code, error.message, error.span);
        }
        node.start_line = i + 1;
        node.end_line = end_line;
        node.comments = std::mem::take(&mut self.pending_comments);
        let last = self.lines[next - 1];
        node.span = Span::new(stripped_start, last.content_end.max(stripped_start));
        if node.keyword.is_empty() {
            node.keyword_span = Span::new(stripped_start, stripped_start);
        }
        let next = self.read_heredocs(&mut node, &logical, next);
        // Wrapped ONBUILD instructions share the lines of the instruction that holds them.
        let (start_line, end_line) = (node.start_line, node.end_line);
        let mut child = node.child.as_deref_mut();
        while let Some(inner) = child {
            inner.start_line = start_line;
            inner.end_line = end_line;
            child = inner.child.as_deref_mut();
        }
        self.ast.instructions.push(node);
        self.logical = logical;
        next
    }

    /// Checks a top-level line for a parser directive; true if it is one.
    fn directive(&mut self, stripped: &str, at: usize, index: usize) -> bool {
        let line_span = Span::new(at, at + stripped.len());
        match self.directives.parse_line(stripped) {
            Err(message) => {
                self.fatal(ParseCode::DuplicateDirective, message, line_span);
                false
            }
            Ok(None) => false,
            Ok(Some(found)) => {
                let value_span = Span::new(at + found.value_start, at + found.value_end);
                if found.name == ESCAPE {
                    match found.value.as_str() {
                        "\\" => self.escape = '\\',
                        "`" => self.escape = '`',
                        value => {
                            self.fatal(
                                ParseCode::InvalidEscape,
                                format!("invalid escape token '{value}' does not match ` or \\"),
                                value_span,
                            );
                            return false;
                        }
                    }
                }
                self.pending_comments.pop();
                self.ast.directives.push(Directive {
                    name: found.name,
                    value: found.value,
                    span: line_span,
                    value_span,
                    line: index + 1,
                });
                true
            }
        }
    }

    /// Reads the bodies of the heredocs announced on the instruction line, from line `next`.
    fn read_heredocs(&mut self, node: &mut Node, logical: &Logical, mut next: usize) -> usize {
        if !can_contain_heredoc(node) || !contains_double_lt(&logical.text) {
            return next;
        }
        let words = match heredocs_from_line(&logical.text) {
            Ok(words) => words,
            Err(message) => {
                node.invalid = true;
                self.fatal(ParseCode::InvalidHeredoc, message, node.span);
                return next;
            }
        };
        for (word, lexed) in words {
            let body_start = self.lines.get(next).map_or(self.src.len(), |l| l.start);
            let mut terminator = None;
            let mut content = String::new();
            while next < self.lines.len() {
                self.check_length(next, LongLineContext::HeredocBody(node.span));
                let line = self.lines[next];
                next += 1;
                let text = self.line_text(line);
                let candidate = if word.chomp {
                    text.trim_start_matches('\t')
                } else {
                    text
                };
                if candidate == word.name {
                    terminator = Some(Span::new(line.start, line.content_end));
                    break;
                }
                content.push_str(&self.src[line.start..line.next]);
            }
            let body_end = terminator.map_or(self.src.len(), |t| t.start);
            node.end_line = next;
            node.span.end = terminator.map_or(self.src.len(), |t| t.end);
            if terminator.is_none() {
                node.invalid = true;
                self.fatal(
                    ParseCode::UnterminatedHeredoc,
                    "unterminated heredoc".into(),
                    logical.span(lexed.start, lexed.end),
                );
            }
            node.heredocs.push(Heredoc {
                name: word.name,
                file_descriptor: word.file_descriptor,
                expand: word.expand,
                chomp: word.chomp,
                content,
                word_span: logical.span(lexed.start, lexed.end),
                body_span: Span::new(body_start, body_end.max(body_start)),
                terminator_span: terminator,
            });
        }
        next
    }
}

/// A line whose first non-blank character is `#`.
fn is_comment(line: &str) -> bool {
    trim_start_space(line).starts_with('#')
}

/// RUN, COPY and ADD in shell form, also when wrapped by ONBUILD.
fn can_contain_heredoc(node: &Node) -> bool {
    let node = node.effective();
    (node.is("run") || node.is("copy") || node.is("add")) && !node.json
}
