//! Physical lines and joined logical lines.
//!
//! BuildKit reads the file line by line (split at `\n` only, trailing `\r`/`\n` removed) and
//! joins continued lines by plain concatenation. A [`Logical`] line remembers where each of
//! its pieces came from, so any byte range of the joined text maps back to a source span.
//! Invariant: pieces are appended in source order and never overlap.

use crate::text::Span;

/// BuildKit reads lines with Go's `bufio.Scanner`, whose token limit is 64 KiB: a line longer
/// than this (line break excluded) makes the parse fail.
pub const MAX_LINE: usize = 65_535;

#[derive(Debug, Clone, Copy)]
pub struct PhysLine {
    pub start: usize,
    /// End of the text without trailing `\r` and `\n` characters.
    pub content_end: usize,
    /// Where the next line starts (after the `\n`, or the end of the file).
    pub next: usize,
    /// Bytes excluding the `\n`: what the 64 KiB limit counts.
    pub raw_len: usize,
}

pub fn split_lines(src: &str) -> Vec<PhysLine> {
    let bytes = src.as_bytes();
    let mut lines = Vec::with_capacity(src.len() / 32 + 1);
    let mut start = 0;
    while start < bytes.len() {
        let newline = bytes.get(start..).and_then(|rest| find_byte(rest, b'\n'));
        let (end, next) = match newline {
            Some(i) => (start + i, start + i + 1),
            None => (bytes.len(), bytes.len()),
        };
        let mut content_end = end;
        while content_end > start && bytes[content_end - 1] == b'\r' {
            content_end -= 1;
        }
        lines.push(PhysLine {
            start,
            content_end,
            next,
            raw_len: end - start,
        });
        start = next;
    }
    lines
}

/// Index of the first `needle` in `bytes`, looking at eight bytes at a time (the wasm
/// target has no vector search; this is the common case of every line).
pub fn find_byte(bytes: &[u8], needle: u8) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let pattern = ONES * u64::from(needle);
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        if let Ok(word) = <[u8; 8]>::try_from(chunk) {
            let x = u64::from_le_bytes(word) ^ pattern;
            // The lowest flagged byte is always a real match (borrows only run upwards).
            let found = x.wrapping_sub(ONES) & !x & HIGHS;
            if found != 0 {
                return Some(offset + (found.trailing_zeros() / 8) as usize);
            }
        }
        offset += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == needle)
        .map(|i| offset + i)
}

/// `text.contains("<<")`, on [`find_byte`].
pub fn contains_double_lt(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = bytes.get(from..).and_then(|rest| find_byte(rest, b'<')) {
        if bytes.get(from + i + 1) == Some(&b'<') {
            return true;
        }
        from += i + 1;
    }
    false
}

/// A joined instruction line and the source position of every piece of it.
#[derive(Debug, Clone, Default)]
pub struct Logical {
    pub text: String,
    /// (offset in `text`, offset in the source) for each non-empty piece.
    pieces: Vec<(usize, usize)>,
    /// Source position used when no piece is non-empty.
    anchor: usize,
}

impl Logical {
    /// Empties the line (keeping its buffers) for a new instruction.
    pub fn reset(&mut self, anchor: usize) {
        self.text.clear();
        self.pieces.clear();
        self.anchor = anchor;
    }

    pub fn push(&mut self, source_start: usize, piece: &str) {
        if piece.is_empty() {
            return;
        }
        self.pieces.push((self.text.len(), source_start));
        self.text.push_str(piece);
    }

    /// Source offset of the byte at `offset` in the joined text (or of the end).
    pub fn to_source(&self, offset: usize) -> usize {
        // Most instructions are one piece (one line).
        if let [(logical, source)] = self.pieces.as_slice() {
            if *logical <= offset {
                return source + (offset - logical);
            }
        }
        let i = self
            .pieces
            .partition_point(|&(logical, _)| logical <= offset);
        match i.checked_sub(1).and_then(|i| self.pieces.get(i)) {
            Some(&(logical, source)) => source + (offset - logical),
            None => self.anchor,
        }
    }

    /// The source span of the joined-text range `start..end`.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let s = self.to_source(start);
        if end <= start {
            return Span::new(s, s);
        }
        Span::new(s, self.to_source(end - 1) + 1)
    }
}

/// BuildKit's continuation test on one line (line break removed): the escape character as
/// the last non-blank (` `/`\t`) character, not itself preceded by the escape character.
/// Returns the length of the kept text and whether the instruction continues.
pub fn trim_continuation(line: &str, escape: char) -> (usize, bool) {
    let bytes = line.as_bytes();
    let mut end = bytes.len();
    while end > 0 && matches!(bytes.get(end - 1), Some(b' ' | b'\t')) {
        end -= 1;
    }
    // The escape character is `\` or a backtick: one byte.
    let Some(escape) = u8::try_from(escape).ok().filter(u8::is_ascii) else {
        return trim_continuation_char(line, escape);
    };
    if end == 0 || bytes.get(end - 1) != Some(&escape) {
        return (line.len(), false);
    }
    let before = end - 1;
    if before == 0 {
        return (0, true);
    }
    if bytes.get(before - 1) == Some(&escape) {
        return (line.len(), false);
    }
    (before, true)
}

/// [`trim_continuation`] for any escape character.
fn trim_continuation_char(line: &str, escape: char) -> (usize, bool) {
    let trimmed = line.trim_end_matches([' ', '\t']);
    let Some(before) = trimmed.strip_suffix(escape) else {
        return (line.len(), false);
    };
    if before.is_empty() {
        return (0, true);
    }
    if before.ends_with(escape) {
        return (line.len(), false);
    }
    (before.len(), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_rules() {
        let check = |line: &str, escape: char, expected: (&str, bool)| {
            let (kept, continues) = trim_continuation(line, escape);
            assert_eq!((&line[..kept], continues), expected, "{line:?}");
        };
        check("RUN a \\", '\\', ("RUN a ", true));
        check("RUN a \\ \t", '\\', ("RUN a ", true));
        check("RUN a \\\\", '\\', ("RUN a \\\\", false));
        check("\\  ", '\\', ("", true));
        check("RUN a `", '`', ("RUN a ", true));
        check("RUN a \\", '`', ("RUN a \\", false));
        check("RUN a", '\\', ("RUN a", false));
        check("RUN a \u{e9}", '\u{e9}', ("RUN a ", true));
        check("\\\\ ", '\\', ("\\\\ ", false));
        check("  ", '\\', ("  ", false));
    }

    #[test]
    fn logical_spans_map_across_pieces() {
        let src = "RUN a \\\n  b";
        let mut logical = Logical::default();
        logical.reset(0);
        logical.push(0, "RUN a ");
        logical.push(8, "  b");
        assert_eq!(logical.text, "RUN a   b");
        assert_eq!(logical.span(4, 9), Span::new(4, 11));
        assert_eq!(&src[8..11], "  b");
        assert_eq!(logical.span(6, 6), Span::new(8, 8));
    }

    #[test]
    fn byte_search_matches_naive() {
        let text = "ab<c\n<<x\u{e9}\n\n0123456789abcdef\nz<";
        for needle in [b'\n', b'<', b'z', b'q', 0xa9] {
            for start in 0..text.len() {
                let hay = &text.as_bytes()[start..];
                let naive = hay.iter().position(|&b| b == needle);
                assert_eq!(find_byte(hay, needle), naive, "{needle} from {start}");
            }
        }
        for (s, expected) in [("a<<b", true), ("a<b<", false), ("", false), ("<", false)] {
            assert_eq!(contains_double_lt(s), expected, "{s}");
        }
        let long = format!("{}<<", "<a".repeat(20));
        assert!(contains_double_lt(&long) && !contains_double_lt(&"<a".repeat(20)));
    }

    #[test]
    fn lines_strip_line_endings() {
        let lines = split_lines("a\r\n\nb\r\r");
        let ends: Vec<_> = lines.iter().map(|l| (l.start, l.content_end)).collect();
        assert_eq!(ends, [(0, 1), (3, 3), (4, 5)]);
    }
}
