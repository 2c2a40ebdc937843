//! Dockerfile syntax: source → directives → logical lines → AST → typed instructions.
//! Parsing never fails: it returns what it could read plus diagnostics.
//!
//! PLACEHOLDER: a naive line splitter so the wasm slice works end to end; the parser issue
//! replaces the internals and keeps `parse` and the fields below.

use crate::diagnostics::Diagnostic;
use crate::text::Span;

#[derive(Debug, Clone, Default)]
pub struct ParseOutput {
    pub ast: Ast,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Default)]
pub struct Ast {
    pub instructions: Vec<Node>,
}

/// One top-level instruction.
#[derive(Debug, Clone)]
pub struct Node {
    /// The keyword as written (`from`, `RUN`).
    pub keyword: String,
    /// The whole instruction, continuation lines and heredoc bodies included.
    pub span: Span,
    pub start_line: usize,
    pub end_line: usize,
}

pub fn parse(source: &str) -> ParseOutput {
    let mut out = ParseOutput::default();
    let mut offset = 0;
    for (i, line) in source.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        if !trimmed.trim().is_empty() && !trimmed.starts_with('#') {
            let keyword = trimmed
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            let span = Span::new(offset + lead, offset + line.trim_end().len());
            out.ast.instructions.push(Node {
                keyword,
                span,
                start_line: i + 1,
                end_line: i + 1,
            });
        }
        offset += line.len();
    }
    out
}
