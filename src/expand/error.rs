//! The one error type of the expander. The message is BuildKit's full text
//! (`failed to process "<word>": <detail>`); the byte range points into the word so the
//! builder can turn it into a line and column.

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

/// Go's `%q` of a string (`strconv.Quote`), as far as error messages need it: control
/// characters and the usual invisible characters are escaped, everything else is kept.
/// (Go's exact "printable" test uses Unicode tables; unassigned code points and rare format
/// characters outside the list below are written literally here.)
pub(super) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if !go_printable(c) => {
                let n = c as u32;
                if n < 0x10000 {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn go_printable(c: char) -> bool {
    let n = c as u32;
    !matches!(n,
        0x80..=0xa0 | 0xad | 0x1680 | 0x2000..=0x200f | 0x2028..=0x202f | 0x205f..=0x206f
        | 0x3000 | 0xd800..=0xf8ff | 0xfeff | 0xfff0..=0xfffb | 0xfffe..=0xffff
        | 0xf0000..=0x10ffff)
}

#[cfg(test)]
mod tests {
    use super::go_quote;

    #[test]
    fn quotes_like_go() {
        let cases = [
            ("${a", r#""${a""#),
            ("a\"b\\c", r#""a\"b\\c""#),
            ("tab\there\n", r#""tab\there\n""#),
            ("\u{0}\u{1b}", r#""\x00\x1b""#),
            ("안녕", "\"안녕\""),
            ("nb\u{a0}sp", r#""nb\u00a0sp""#),
        ];
        for (input, expected) in cases {
            assert_eq!(go_quote(input), expected, "{input:?}");
        }
    }
}
