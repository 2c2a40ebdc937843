//! The one error type of the expander. The message is BuildKit's full text
//! (`failed to process "<word>": <detail>`); the byte range points into the word so the
//! builder can turn it into a line and column.

use crate::text::go_quote;
use std::fmt;

/// Why an expansion failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpandErrorKind {
    /// BuildKit rejects the word too (bad syntax, `${VAR?msg}`, bad pattern, …); the
    /// message is BuildKit's.
    BuildKit,
    /// A playground budget (nesting depth, output length, matching work) ran out. BuildKit
    /// has no such limit; the message is ours.
    Budget,
}

/// A failed expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpandError {
    /// What `docker build` prints: `failed to process "${a": syntax error: missing '}'`.
    pub message: String,
    /// The part after `failed to process "…": `, e.g. `syntax error: missing '}'`.
    pub detail: String,
    /// Byte offset inside the word where the failing construct starts (a `$`, a quote, …).
    pub offset: usize,
    /// Byte offset inside the word where the failing construct ends (exclusive, ≥ `offset`).
    pub end: usize,
    pub kind: ExpandErrorKind,
}

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExpandError {}

/// An error before it is wrapped with the word it came from.
#[derive(Debug, Clone)]
pub(super) struct RawError {
    pub detail: String,
    pub offset: usize,
    pub end: usize,
    pub kind: ExpandErrorKind,
}

impl RawError {
    pub fn buildkit(detail: impl Into<String>, offset: usize, end: usize) -> Self {
        Self {
            detail: detail.into(),
            offset,
            end: end.max(offset),
            kind: ExpandErrorKind::BuildKit,
        }
    }

    pub fn budget(detail: impl Into<String>, offset: usize, end: usize) -> Self {
        Self {
            detail: detail.into(),
            offset,
            end: end.max(offset),
            kind: ExpandErrorKind::Budget,
        }
    }

    /// BuildKit wraps every lexer error as `failed to process %q`.
    pub fn into_error(self, word: &str) -> ExpandError {
        ExpandError {
            message: format!("failed to process {}: {}", go_quote(word), self.detail),
            detail: self.detail,
            offset: self.offset.min(word.len()),
            end: self.end.min(word.len()),
            kind: self.kind,
        }
    }
}
