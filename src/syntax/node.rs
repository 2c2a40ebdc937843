//! One joined line → one [`Node`]: BuildKit's `splitCommand` (keyword, flag words, rest) and
//! its per-instruction argument parsers (`line_parsers.go`), on offsets into the joined line
//! so every part keeps its source span.
//!
//! BuildKit walks flags and the HEALTHCHECK type byte by byte, treating each byte as a Latin-1
//! rune; we do the same (so `--chown=jürgen` becomes `jÃ¼rgen`, as in BuildKit). Where that
//! cuts a UTF-8 character in two, we move to the next character boundary (BuildKit would
//! carry the broken bytes along).

use super::ast::{Arg, Flag, Node};
use super::gostr::{is_space, is_space_byte, to_lower, trim_space};
use super::json::{parse_array, JsonArray};
use super::lines::Logical;
use super::ParseCode;
use crate::text::go_quote as quote;
use crate::text::Span;

/// ONBUILD may wrap ONBUILD …; BuildKit recurses without limit, we stop here.
const MAX_NESTING: usize = 64;

/// An error BuildKit's parser raises for one instruction (it rejects the whole file).
#[derive(Debug, Clone)]
pub struct NodeError {
    pub code: ParseCode,
    pub message: String,
    pub span: Span,
}

pub struct NodeBuilder<'l> {
    logical: &'l Logical,
    escape: char,
    pub errors: Vec<NodeError>,
}

/// What an argument parser produced: BuildKit's node chain and its `json` attribute.
#[derive(Default)]
struct Parsed {
    args: Vec<Arg>,
    json: bool,
    child: Option<Box<Node>>,
}

impl<'l> NodeBuilder<'l> {
    pub fn new(logical: &'l Logical, escape: char) -> Self {
        Self {
            logical,
            escape,
            errors: Vec::new(),
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        self.logical.span(start, end)
    }

    fn arg(&self, value: impl Into<String>, start: usize, end: usize) -> Arg {
        Arg {
            value: value.into(),
            span: self.span(start, end),
        }
    }

    fn error(&mut self, code: ParseCode, message: String, start: usize, end: usize) {
        let span = self.span(start, end);
        self.errors.push(NodeError {
            code,
            message,
            span,
        });
    }

    /// BuildKit's `newNodeFromLine` on `text[start..end]` of the joined line.
    pub fn node(&mut self, start: usize, end: usize, depth: usize) -> Node {
        let logical = self.logical;
        let line = logical.text.get(start..end).unwrap_or_default();
        let (lead, trimmed) = trim_space(line);
        let t0 = start + lead;
        let ((k0, k1), rest_range) = split_keyword(trimmed);
        let keyword = trimmed.get(k0..k1).unwrap_or_default();
        let mut flags = Vec::new();
        let (mut rest_start, mut rest_end) = (t0 + trimmed.len(), t0 + trimmed.len());
        if let Some((r0, r1)) = rest_range {
            let rest = trimmed.get(r0..r1).unwrap_or_default();
            let (args_at, words) = extract_flags(rest, self.escape);
            flags.reserve_exact(words.len());
            for (word, w0, w1) in words {
                flags.push(Flag {
                    text: word,
                    span: self.span(t0 + r0 + w0, t0 + r0 + w1),
                });
            }
            let (lead, args) = trim_space(rest.get(args_at..).unwrap_or_default());
            rest_start = t0 + r0 + args_at + lead;
            rest_end = rest_start + args.len();
        }
        // Keywords are short ASCII words: lower-case them on the stack.
        let mut buf = [0u8; 12];
        let lowered;
        let lower = match buf.get_mut(..keyword.len()) {
            Some(small) if keyword.is_ascii() => {
                small.copy_from_slice(keyword.as_bytes());
                small.make_ascii_lowercase();
                std::str::from_utf8(small).unwrap_or_default()
            }
            _ => {
                lowered = to_lower(keyword);
                lowered.as_str()
            }
        };
        let parsed = self.dispatch(lower, rest_start, rest_end, depth);
        Node {
            keyword: keyword.to_string(),
            keyword_span: self.span(t0 + k0, t0 + k1),
            flags,
            args: parsed.args,
            json: parsed.json,
            child: parsed.child,
            original: line.to_string(),
            span: self.span(t0, t0 + trimmed.len()),
            ..Node::default()
        }
    }

    fn dispatch(&mut self, lower: &str, start: usize, end: usize, depth: usize) -> Parsed {
        match lower {
            "add" | "copy" | "volume" => self.maybe_json_to_list(start, end),
            "arg" => Parsed {
                args: self.words(start, end),
                ..Parsed::default()
            },
            "cmd" | "entrypoint" | "run" | "shell" => self.maybe_json(start, end),
            "env" => self.name_val(start, end, "ENV"),
            "label" => self.name_val(start, end, "LABEL"),
            "expose" | "from" => self.whitespace_delimited(start, end),
            "healthcheck" => self.health_config(start, end),
            "maintainer" | "stopsignal" | "user" | "workdir" => self.string(start, end),
            "onbuild" => self.sub_command(start, end, depth),
            _ => Parsed {
                args: vec![self.arg("", start, start)],
                ..Parsed::default()
            },
        }
    }

    fn string(&self, start: usize, end: usize) -> Parsed {
        let mut parsed = Parsed::default();
        if end > start {
            parsed
                .args
                .push(self.arg(&self.logical.text[start..end], start, end));
        }
        parsed
    }

    fn whitespace_delimited(&self, start: usize, end: usize) -> Parsed {
        let text = self.logical.text.get(start..end).unwrap_or_default();
        let mut parsed = Parsed::default();
        if text.is_empty() {
            return parsed;
        }
        for_each_blank_piece(text, |a, b| {
            let value = text.get(a..b).unwrap_or_default();
            parsed.args.push(self.arg(value, start + a, start + b));
        });
        parsed
    }

    /// `parseJSON`: `Ok(None)` when the text is not a JSON array at all.
    fn json(&mut self, start: usize, end: usize) -> Option<Parsed> {
        match parse_array(&self.logical.text[start..end]) {
            JsonArray::NotJson => None,
            JsonArray::NotStrings => {
                self.error(
                    ParseCode::JsonNotStrings,
                    "when using JSON array syntax, arrays must be comprised of strings only".into(),
                    start,
                    end,
                );
                Some(Parsed::default())
            }
            JsonArray::Strings(items) => Some(Parsed {
                args: items
                    .into_iter()
                    .map(|s| self.arg(s.value, start + s.start, start + s.end))
                    .collect(),
                json: true,
                child: None,
            }),
        }
    }

    fn maybe_json(&mut self, start: usize, end: usize) -> Parsed {
        if end == start {
            return Parsed::default();
        }
        self.json(start, end)
            .unwrap_or_else(|| self.string(start, end))
    }

    fn maybe_json_to_list(&mut self, start: usize, end: usize) -> Parsed {
        self.json(start, end)
            .unwrap_or_else(|| self.whitespace_delimited(start, end))
    }

    /// HEALTHCHECK: the type word, then the rest as for CMD.
    fn health_config(&mut self, start: usize, end: usize) -> Parsed {
        let text = &self.logical.text[start..end];
        let bytes = text.as_bytes();
        let mut sep = bytes
            .iter()
            .position(|&b| is_space_byte(b))
            .unwrap_or(bytes.len());
        if sep == 0 {
            return Parsed::default();
        }
        while !text.is_char_boundary(sep) {
            sep += 1;
        }
        let mut next = sep
            + bytes[sep..]
                .iter()
                .position(|&b| !is_space_byte(b))
                .unwrap_or(bytes.len() - sep);
        while !text.is_char_boundary(next) {
            next += 1;
        }
        let typ = self.arg(&text[..sep], start, start + sep);
        let mut parsed = self.maybe_json(start + next, end);
        parsed.args.insert(0, typ);
        parsed
    }

    fn sub_command(&mut self, start: usize, end: usize, depth: usize) -> Parsed {
        if end == start {
            return Parsed::default();
        }
        if depth >= MAX_NESTING {
            self.error(
                ParseCode::NestingTooDeep,
                format!("ONBUILD nested more than {MAX_NESTING} levels deep"),
                start,
                end,
            );
            return Parsed::default();
        }
        let child = self.node(start, end, depth + 1);
        Parsed {
            child: Some(Box::new(child)),
            ..Parsed::default()
        }
    }

    fn words(&self, start: usize, end: usize) -> Vec<Arg> {
        parse_words(&self.logical.text[start..end], self.escape)
            .into_iter()
            .map(|(word, a, b)| self.arg(word, start + a, start + b))
            .collect()
    }

    /// ENV and LABEL: `key value` (legacy) or `key=value …`, with BuildKit's separator nodes.
    fn name_val(&mut self, start: usize, end: usize, key: &str) -> Parsed {
        let text = &self.logical.text[start..end];
        let words = parse_words(text, self.escape);
        let mut parsed = Parsed::default();
        let Some(first) = words.first() else {
            return parsed;
        };
        if !first.0.contains('=') {
            let parts = split_blanks(text, 2);
            match parts.as_slice() {
                [(k0, k1), (v0, v1)] => {
                    parsed
                        .args
                        .push(self.arg(&text[*k0..*k1], start + k0, start + k1));
                    parsed
                        .args
                        .push(self.arg(&text[*v0..*v1], start + v0, start + v1));
                    parsed.args.push(self.arg("", start + k1, start + k1));
                }
                _ => self.error(
                    ParseCode::MissingValue,
                    format!("{key} must have two arguments"),
                    start,
                    end,
                ),
            }
            return parsed;
        }
        for (word, a, b) in &words {
            let Some(eq) = word.find('=') else {
                self.error(
                    ParseCode::MissingEquals,
                    format!(
                        "Syntax error - can't find = in {}. Must be of the form: name=value",
                        quote(word)
                    ),
                    start + a,
                    start + b,
                );
                return Parsed::default();
            };
            let at = start + a + eq;
            parsed.args.push(self.arg(&word[..eq], start + a, at));
            parsed
                .args
                .push(self.arg(&word[eq + 1..], at + 1, start + b));
            parsed.args.push(self.arg("=", at, at + 1));
        }
        parsed
    }
}

/// A blank of Go's `[\t\v\f\r ]` class.
fn is_blank(b: u8) -> bool {
    matches!(b, b'\t' | 0x0b | 0x0c | b'\r' | b' ')
}

/// [`split_blanks`] with limit 2, without allocating: the first piece and, if there is a
/// separator, the rest after it.
fn split_keyword(s: &str) -> ((usize, usize), Option<(usize, usize)>) {
    let bytes = s.as_bytes();
    let Some(m0) = bytes.iter().position(|&b| is_blank(b)) else {
        return ((0, s.len()), None);
    };
    let after = bytes
        .get(m0..)
        .unwrap_or_default()
        .iter()
        .position(|&b| !is_blank(b))
        .map_or(s.len(), |i| m0 + i);
    ((0, m0), Some((after, s.len())))
}

/// `split_blanks(s, usize::MAX)` without the vector: calls `piece` with each byte range.
fn for_each_blank_piece(s: &str, mut piece: impl FnMut(usize, usize)) {
    let bytes = s.as_bytes();
    let mut begin = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if is_blank(b) {
            let m0 = i;
            while bytes.get(i).is_some_and(|&b| is_blank(b)) {
                i += 1;
            }
            piece(begin, m0);
            begin = i;
        } else {
            i += 1;
        }
    }
    piece(begin, s.len());
}

/// Go's `regexp.Split` with `[\t\v\f\r ]+` as separator: byte ranges of the pieces.
pub fn split_blanks(s: &str, limit: usize) -> Vec<(usize, usize)> {
    if s.is_empty() {
        return vec![(0, 0)];
    }
    let bytes = s.as_bytes();
    let blank = is_blank;
    let mut out = Vec::new();
    let mut begin = 0;
    let mut i = 0;
    let mut last_match_start = None;
    while i < bytes.len() {
        if blank(bytes[i]) {
            if out.len() + 1 == limit {
                break;
            }
            let m0 = i;
            while i < bytes.len() && blank(bytes[i]) {
                i += 1;
            }
            out.push((begin, m0));
            begin = i;
            last_match_start = Some(m0);
        } else {
            i += 1;
        }
    }
    if last_match_start != Some(s.len()) {
        out.push((begin, s.len()));
    }
    out
}

/// BuildKit's `extractBuilderFlags`: leading `--` words, byte by byte. Returns where the
/// rest starts and every flag word (unquoted) with its byte range in `line`.
pub fn extract_flags(line: &str, escape: char) -> (usize, Vec<(String, usize, usize)>) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let bytes = line.as_bytes();
    let n = bytes.len();
    let boundary = |mut pos: usize| {
        while !line.is_char_boundary(pos) {
            pos += 1;
        }
        pos
    };
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut word_start = 0;
    let mut quote = 0u8;
    let mut blank_ok = false;
    let mut pos = 0;
    while pos <= n {
        if phase == Phase::Spaces {
            if pos == n {
                break;
            }
            let ch = bytes[pos];
            if is_space_byte(ch) {
                pos += 1;
                continue;
            }
            if ch != b'-' || pos + 1 == n || bytes[pos + 1] != b'-' {
                return (boundary(pos), words);
            }
            phase = Phase::Word;
            word_start = pos;
        }
        if pos == n {
            if word != "--" && (blank_ok || !word.is_empty()) {
                words.push((word, word_start, n));
            }
            break;
        }
        let mut ch = bytes[pos];
        if phase == Phase::Word {
            if is_space_byte(ch) {
                phase = Phase::Spaces;
                if word == "--" {
                    return (boundary(pos), words);
                }
                if blank_ok || !word.is_empty() {
                    words.push((std::mem::take(&mut word), word_start, boundary(pos)));
                }
                word.clear();
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == b'\'' || ch == b'"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
            if u32::from(ch) == escape as u32 {
                if pos + 1 == n {
                    pos += 1;
                    continue;
                }
                pos += 1;
                ch = bytes[pos];
            }
            word.push(char::from(ch));
            pos += 1;
            continue;
        }
        // Phase::Quote
        if ch == quote {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        if u32::from(ch) == escape as u32 {
            if pos + 1 == n {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            ch = bytes[pos];
        }
        word.push(char::from(ch));
        pos += 1;
    }
    (n, words)
}

/// BuildKit's `parseWords` (ARG, ENV, LABEL): split at Unicode blanks outside quotes,
/// quotes and escape characters kept. Returns words with their byte ranges. A word is always
/// a slice of `rest`: only an escape character at the very end is left out of it.
pub fn parse_words(rest: &str, escape: char) -> Vec<(&str, usize, usize)> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let bytes = rest.as_bytes();
    let n = rest.len();
    let decode = |pos: usize| match bytes.get(pos) {
        Some(&b) if b < 0x80 => (char::from(b), 1),
        _ => rest
            .get(pos..)
            .and_then(|s| s.chars().next())
            .map_or(('\0', 0), |c| (c, c.len_utf8())),
    };
    let slice = |a: usize, b: usize| rest.get(a..b).unwrap_or_default();
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut word_start = 0;
    // End of the word's text so far (an escape character at the very end is dropped).
    let mut word_end = 0;
    let mut pos = 0;
    while pos <= n {
        let (ch, mut width) = decode(pos);
        if phase == Phase::Spaces {
            if pos == n {
                break;
            }
            if is_space(ch) {
                pos += width;
                continue;
            }
            phase = Phase::Word;
            word_start = pos;
            word_end = pos;
        }
        if pos == n {
            if blank_ok || word_end > word_start {
                words.push((slice(word_start, word_end), word_start, n));
            }
            break;
        }
        if phase == Phase::Word {
            if is_space(ch) {
                phase = Phase::Spaces;
                if blank_ok || word_end > word_start {
                    words.push((slice(word_start, word_end), word_start, pos));
                }
                blank_ok = false;
                pos += width;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if ch == escape {
                if pos + width == n {
                    pos += width;
                    continue;
                }
                // The escape character and the one after it are both kept.
                pos += width;
                width = decode(pos).1;
            }
            pos += width;
            word_end = pos;
            continue;
        }
        // Phase::Quote
        if ch == quote {
            phase = Phase::Word;
        }
        if ch == escape && quote != '\'' {
            if pos + width == n {
                phase = Phase::Word;
                pos += width;
                continue;
            }
            pos += width;
            width = decode(pos).1;
        }
        pos += width;
        word_end = pos;
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_split_like_go_regexp() {
        let pieces = |s: &str, n| -> Vec<String> {
            split_blanks(s, n)
                .into_iter()
                .map(|(a, b)| s[a..b].to_string())
                .collect()
        };
        assert_eq!(pieces("a  b\tc", usize::MAX), ["a", "b", "c"]);
        assert_eq!(pieces("a  b\tc", 2), ["a", "b\tc"]);
        assert_eq!(pieces("", 2), [""]);
        assert_eq!(pieces("a\u{a0}b", 2), ["a\u{a0}b"]);
        for s in ["a  b\tc", "", " a ", "a\u{a0}b \x0b", "x"] {
            let mut each = Vec::new();
            for_each_blank_piece(s, |a, b| each.push((a, b)));
            assert_eq!(each, split_blanks(s, usize::MAX), "{s:?}");
        }
    }

    #[test]
    fn flags_like_buildkit() {
        let check = |line: &str, rest: &str, expected: &[&str]| {
            let (at, words) = extract_flags(line, '\\');
            let words: Vec<String> = words.into_iter().map(|w| w.0).collect();
            assert_eq!(&line[at..], rest, "{line}");
            assert_eq!(words, expected, "{line}");
        };
        check("--from=x a b", "a b", &["--from=x"]);
        check("--a=\"x y\" -- --b c", " --b c", &["--a=x y"]);
        check("--x=a\\ b c", "c", &["--x=a b"]);
        check("--x", "", &["--x"]);
        check("-- x", " x", &[]);
        check("--chown=jü x", "x", &["--chown=j\u{c3}\u{bc}"]);
    }

    #[test]
    fn words_keep_quotes_and_escapes() {
        let words = |s: &'static str| -> Vec<&'static str> {
            parse_words(s, '\\').into_iter().map(|w| w.0).collect()
        };
        assert_eq!(
            words("a=\"x y\" b\\ c 'd\\'"),
            ["a=\"x y\"", "b\\ c", "'d\\'"]
        );
        assert_eq!(words("abc\\"), ["abc"]);
        assert_eq!(words("a \\"), ["a"]);
        assert_eq!(parse_words("\u{e9}=\"a\\", '\\'), [("\u{e9}=\"a", 0, 6)]);
        assert_eq!(
            parse_words("k\u{a0}''  b", '\\'),
            [("k", 0, 1), ("''", 3, 5), ("b", 7, 8)]
        );
    }
}
