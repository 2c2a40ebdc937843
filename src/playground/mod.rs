//! The facade the page talks to, in plain Rust: small serializable answers (DTOs, camelCase)
//! built from the core. `api` wraps it for wasm one to one; everything here is testable
//! natively. Positions are given twice: 1-based line/column for people, and UTF-16 offsets
//! from the start of the text for the editor.

pub mod build;
pub mod session;

use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax;
use crate::text::{LineIndex, Span};
use serde::Serialize;

/// What the editor needs on every keystroke: the outline and the diagnostics.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    pub instructions: Vec<OutlineItem>,
    pub diagnostics: Vec<DiagnosticDto>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutlineItem {
    pub keyword: String,
    pub start_line: usize,
    pub end_line: usize,
    pub from: usize,
    pub to: usize,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticDto {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
    pub line: usize,
    pub column: usize,
    pub from: usize,
    pub to: usize,
}

/// Converts byte offsets to UTF-16 offsets (what CodeMirror counts) for one text.
#[derive(Debug)]
pub struct EditorPositions<'a> {
    text: &'a str,
    ascii: bool,
}

impl<'a> EditorPositions<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            ascii: text.is_ascii(),
        }
    }

    pub fn utf16(&self, byte_offset: usize) -> usize {
        let mut offset = byte_offset.min(self.text.len());
        if self.ascii {
            return offset;
        }
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        self.text[..offset].encode_utf16().count()
    }

    pub fn span(&self, span: Span) -> (usize, usize) {
        (self.utf16(span.start), self.utf16(span.end))
    }
}

pub fn diagnostic_dto(
    text: &str,
    index: &LineIndex,
    positions: &EditorPositions,
    diagnostic: &Diagnostic,
) -> DiagnosticDto {
    let start = index.line_col(text, diagnostic.span.start);
    let (from, to) = positions.span(diagnostic.span);
    DiagnosticDto {
        severity: diagnostic.severity,
        code: diagnostic.code,
        message: diagnostic.message.clone(),
        help: diagnostic.help.clone(),
        line: start.line,
        column: start.column,
        from,
        to,
    }
}

/// Parse and check the instructions (no build): cheap enough for every keystroke.
pub fn analyze(dockerfile: &str) -> Analysis {
    let parsed = syntax::parse_dockerfile(dockerfile);
    let index = LineIndex::new(dockerfile);
    let positions = EditorPositions::new(dockerfile);
    let instructions = parsed
        .ast
        .instructions
        .iter()
        .map(|node| {
            let (from, to) = positions.span(node.span);
            OutlineItem {
                keyword: node.keyword.to_uppercase(),
                start_line: node.start_line,
                end_line: node.end_line,
                from,
                to,
            }
        })
        .collect();
    let diagnostics = parsed
        .diagnostics
        .iter()
        .map(|d| diagnostic_dto(dockerfile, &index, &positions, d))
        .collect();
    Analysis {
        instructions,
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analyze_lists_instructions_with_lines() {
        let analysis = analyze("FROM alpine\n\nRUN echo hi\n");
        let keywords: Vec<_> = analysis
            .instructions
            .iter()
            .map(|i| (i.keyword.as_str(), i.start_line))
            .collect();
        assert_eq!(keywords, [("FROM", 1), ("RUN", 3)]);
        assert_eq!(
            (analysis.instructions[1].from, analysis.instructions[1].to),
            (13, 24)
        );
    }

    #[test]
    fn editor_positions_count_utf16_units() {
        let text = "😀ab";
        let positions = EditorPositions::new(text);
        assert_eq!(positions.utf16(4), 2);
        assert_eq!(positions.utf16(5), 3);
    }
}
