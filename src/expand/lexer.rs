//! The shell-word lexer: BuildKit's `shell.Lex` rules, reimplemented.
//!
//! One call scans one word left to right, the way BuildKit's scanner does:
//! * `'…'` is literal; `"…"` is literal except `$…` and the escape character before `"`,
//!   `$` or itself; an unterminated quote is an error.
//! * Outside quotes the escape character (`\` or a backtick) keeps the next character
//!   literally and disappears (an escape at the very end is dropped).
//! * `$name` / `${name}` substitute; `name` is letters/digits/`_` (Unicode, as Go sees
//!   them), or a run of digits, or one special character of `@*#?-$!0`. Unset → empty.
//! * `${name:-w} ${name-w} ${name:+w} ${name+w} ${name:?w} ${name?w}` and the pattern forms
//!   `${name#p} ${name##p} ${name%p} ${name%%p} ${name/p/r} ${name//p/r}`; the word parts
//!   are expanded recursively (patterns keep their escapes for the pattern matcher).
//! * `<<` followed by blanks keeps the blanks in the same word (heredoc detection).
//!
//! Faithful oddities kept on purpose (they are observable in BuildKit):
//! * a byte-order mark at the very start of the word is dropped (Go's `text/scanner`);
//! * `${name` without `}` reports `unsupported modifier (\u{fffd}) in substitution`;
//! * with word splitting, a `${name<op>…}` form discards the characters of the current
//!   word collected before it (BuildKit shares one buffer between nesting levels and
//!   clears it when a nested word starts), so `abc${x:-def}` splits to `[def]`;
//! * with `SkipUnsetEnv`, `${name//p/r}` of an unset name comes back as `${name/p/r}`.
//!
//! Invariants: never panics, recursion depth ≤ [`Budget::max_depth`], result length ≤
//! [`Budget::max_output`], total work ≤ [`Budget::max_work`].

use std::collections::BTreeSet;

use super::budget::{Budget, Meter};
use super::env::Environment;
use super::error::{ExpandError, RawError};
use super::pattern::{self, PatternError};
use super::unicode_tables::{DECIMAL_DIGIT, LETTER};

/// A configured lexer. Cheap to copy; holds no state between calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lexer {
    escape: char,
    raw_quotes: bool,
    raw_escapes: bool,
    skip_process_quotes: bool,
    skip_unset_env: bool,
    budget: Budget,
}

/// The result of expanding one word.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expanded {
    /// The expanded word (quotes removed unless `raw_quotes`).
    pub value: String,
    /// Names that were looked up and are set (even if set to the empty string).
    pub matched: BTreeSet<String>,
    /// Names that were looked up and are not set.
    pub unmatched: BTreeSet<String>,
}

impl Lexer {
    /// A lexer with BuildKit's defaults: quotes and escapes processed, unset variables
    /// expand to nothing. `escape` is `\` or a backtick (the Dockerfile's escape
    /// directive); any other character is accepted and used as given.
    pub fn new(escape: char) -> Self {
        Self {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_process_quotes: false,
            skip_unset_env: false,
            budget: Budget::DEFAULT,
        }
    }

    pub fn escape(&self) -> char {
        self.escape
    }

    /// BuildKit `RawQuotes`: quote characters stay in the result.
    #[must_use]
    pub fn raw_quotes(mut self, on: bool) -> Self {
        self.raw_quotes = on;
        self
    }

    /// BuildKit `RawEscapes`: escape characters stay in the result (the escaped character
    /// is still taken literally).
    #[must_use]
    pub fn raw_escapes(mut self, on: bool) -> Self {
        self.raw_escapes = on;
        self
    }

    /// BuildKit `SkipProcessQuotes`: quotes are ordinary characters (heredoc bodies).
    #[must_use]
    pub fn skip_process_quotes(mut self, on: bool) -> Self {
        self.skip_process_quotes = on;
        self
    }

    /// BuildKit `SkipUnsetEnv`: a reference to an unset variable is left as written
    /// (`$X`, `${X}`, `${X:-w}` …).
    #[must_use]
    pub fn skip_unset_env(mut self, on: bool) -> Self {
        self.skip_unset_env = on;
        self
    }

    #[must_use]
    pub fn with_budget(mut self, budget: Budget) -> Self {
        self.budget = budget;
        self
    }

    /// Expand one word without splitting it (BuildKit `ProcessWordWithMatches`).
    pub fn process_word(
        &self,
        word: &str,
        env: &(impl Environment + ?Sized),
    ) -> Result<Expanded, ExpandError> {
        let mut scan = Scan::new(self, word, env);
        match scan.stop_on(None, self.raw_escapes) {
            Ok((value, _)) => Ok(Expanded {
                value,
                matched: scan.matched,
                unmatched: scan.unmatched,
            }),
            Err(e) => Err(e.into_error(word)),
        }
    }

    /// Expand a word and split the result into words at unquoted whitespace (BuildKit
    /// `ProcessWords`): whitespace produced by `$VAR` splits too, quoted text never does.
    pub fn process_words(
        &self,
        word: &str,
        env: &(impl Environment + ?Sized),
    ) -> Result<Vec<String>, ExpandError> {
        let mut scan = Scan::new(self, word, env);
        match scan.stop_on(None, self.raw_escapes) {
            Ok((_, words)) => Ok(words),
            Err(e) => Err(e.into_error(word)),
        }
    }
}

/// The state of one scan over one word.
struct Scan<'a, E: ?Sized> {
    lexer: &'a Lexer,
    src: &'a str,
    pos: usize,
    env: &'a E,
    raw_escapes: bool,
    /// BuildKit's shared `wordsBuffer` (see the module docs).
    words_buf: String,
    depth: usize,
    meter: Meter,
    matched: BTreeSet<String>,
    unmatched: BTreeSet<String>,
}

/// The words of one nesting level; the character buffer is shared ([`Scan::words_buf`]).
#[derive(Default)]
struct Words {
    list: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, ch: char, buf: &mut String) {
        if ch.is_whitespace() {
            if self.in_word && !buf.is_empty() {
                self.list.push(std::mem::take(buf));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(ch, buf);
        }
    }

    fn add_raw_char(&mut self, ch: char, buf: &mut String) {
        buf.push(ch);
        self.in_word = true;
    }

    fn add_string(&mut self, s: &str, buf: &mut String) {
        for ch in s.chars() {
            self.add_char(ch, buf);
        }
    }

    fn add_raw_string(&mut self, s: &str, buf: &mut String) {
        buf.push_str(s);
        self.in_word = true;
    }

    fn finish(mut self, buf: &mut String) -> Vec<String> {
        if !buf.is_empty() {
            self.list.push(std::mem::take(buf));
        }
        self.list
    }
}

type Res<T> = Result<T, RawError>;

impl<'a, E: Environment + ?Sized> Scan<'a, E> {
    fn new(lexer: &'a Lexer, src: &'a str, env: &'a E) -> Self {
        // Go's text/scanner ignores a byte-order mark at the start.
        let pos = if src.starts_with('\u{feff}') { 3 } else { 0 };
        Self {
            lexer,
            src,
            pos,
            env,
            raw_escapes: lexer.raw_escapes,
            words_buf: String::new(),
            depth: 0,
            meter: Meter::new(lexer.budget.max_work),
            matched: BTreeSet::new(),
            unmatched: BTreeSet::new(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.src
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
    }

    fn next(&mut self) -> Option<char> {
        let ch = self.peek()?;
        self.pos += ch.len_utf8();
        Some(ch)
    }

    fn at_end(&self) -> bool {
        self.peek().is_none()
    }

    /// Counts `bytes` of copying and checks the length of a growing result.
    fn charge(&mut self, bytes: usize, result_len: usize) -> Res<()> {
        if result_len > self.lexer.budget.max_output {
            return Err(RawError::budget(
                format!(
                    "expanded value is too long for the playground (more than {} bytes)",
                    self.lexer.budget.max_output
                ),
                self.pos,
                self.pos,
            ));
        }
        self.meter.charge(bytes).map_err(|_| self.out_of_work())
    }

    fn out_of_work(&self) -> RawError {
        RawError::budget(
            "variable expansion needs too much work for the playground",
            self.pos,
            self.pos,
        )
    }

    /// BuildKit `processStopOn`: scan until `stop` (consumed) or the end of the word.
    fn stop_on(&mut self, stop: Option<char>, raw_escapes: bool) -> Res<(String, Vec<String>)> {
        if self.depth >= self.lexer.budget.max_depth {
            return Err(RawError::budget(
                format!(
                    "variable substitutions are nested too deeply for the playground (more than {} levels)",
                    self.lexer.budget.max_depth
                ),
                self.pos,
                self.src.len(),
            ));
        }
        self.depth += 1;
        let saved = std::mem::replace(&mut self.raw_escapes, raw_escapes);
        let result = self.stop_on_inner(stop);
        self.raw_escapes = saved;
        self.depth -= 1;
        result
    }

    fn stop_on_inner(&mut self, stop: Option<char>) -> Res<(String, Vec<String>)> {
        let mut result = String::new();
        self.words_buf.clear();
        let mut words = Words::default();
        let quotes = !self.lexer.skip_process_quotes;

        while let Some(ch) = self.peek() {
            if Some(ch) == stop {
                self.next();
                let list = words.finish(&mut self.words_buf);
                return Ok((result, list));
            }
            match ch {
                '$' => {
                    let tmp = self.dollar()?;
                    result.push_str(&tmp);
                    words.add_string(&tmp, &mut self.words_buf);
                    self.charge(tmp.len(), result.len())?;
                }
                '<' => {
                    let tmp = self.possible_heredoc();
                    result.push_str(&tmp);
                    words.add_raw_string(&tmp, &mut self.words_buf);
                }
                '\'' if quotes => {
                    let tmp = self.single_quote()?;
                    result.push_str(&tmp);
                    words.add_raw_string(&tmp, &mut self.words_buf);
                    self.charge(tmp.len(), result.len())?;
                }
                '"' if quotes => {
                    let tmp = self.double_quote()?;
                    result.push_str(&tmp);
                    words.add_raw_string(&tmp, &mut self.words_buf);
                    self.charge(tmp.len(), result.len())?;
                }
                _ => {
                    self.next();
                    if ch == self.lexer.escape {
                        if self.raw_escapes {
                            words.add_raw_char(ch, &mut self.words_buf);
                            result.push(ch);
                        }
                        // The escape keeps the next character; at the end it is dropped.
                        let Some(escaped) = self.next() else { break };
                        words.add_raw_char(escaped, &mut self.words_buf);
                        result.push(escaped);
                    } else {
                        words.add_char(ch, &mut self.words_buf);
                        result.push(ch);
                    }
                    self.charge(1, result.len())?;
                }
            }
        }
        if let Some(stop) = stop {
            return Err(RawError::buildkit(
                format!("unexpected end of statement while looking for matching {stop}"),
                self.pos,
                self.pos,
            ));
        }
        let list = words.finish(&mut self.words_buf);
        Ok((result, list))
    }

    fn single_quote(&mut self) -> Res<String> {
        let start = self.pos;
        let mut result = String::new();
        self.next();
        if self.lexer.raw_quotes {
            result.push('\'');
        }
        loop {
            match self.next() {
                None => {
                    return Err(RawError::buildkit(
                        "unexpected end of statement while looking for matching single-quote",
                        start,
                        self.pos,
                    ))
                }
                Some('\'') => {
                    if self.lexer.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(c) => result.push(c),
            }
        }
    }

    fn double_quote(&mut self) -> Res<String> {
        let start = self.pos;
        let mut result = String::new();
        self.next();
        if self.lexer.raw_quotes {
            result.push('"');
        }
        loop {
            match self.peek() {
                None => {
                    return Err(RawError::buildkit(
                        "unexpected end of statement while looking for matching double-quote",
                        start,
                        self.pos,
                    ))
                }
                Some('"') => {
                    self.next();
                    if self.lexer.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let value = self.dollar()?;
                    result.push_str(&value);
                    self.charge(value.len(), result.len())?;
                }
                Some(_) => {
                    let mut ch = self.next().unwrap_or_default();
                    if ch == self.lexer.escape {
                        if self.raw_escapes {
                            result.push(ch);
                        }
                        match self.peek() {
                            // An escape right before the end: the loop reports the quote.
                            None => continue,
                            Some(c) if c == '"' || c == '$' || c == self.lexer.escape => {
                                ch = c;
                                self.next();
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(ch);
                    self.charge(1, result.len())?;
                }
            }
        }
    }

    fn possible_heredoc(&mut self) -> String {
        self.next();
        if self.peek() != Some('<') {
            return "<".to_string();
        }
        self.next();
        let mut result = "<<".to_string();
        while let Some(c @ ('\t' | '\r' | ' ')) = self.peek() {
            result.push(c);
            self.next();
        }
        result
    }

    /// BuildKit `processDollar`; the scanner is on the `$`.
    fn dollar(&mut self) -> Res<String> {
        let start = self.pos;
        self.next();
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok("$".to_string());
            }
            return Ok(match self.get_env(&name) {
                Some(v) => v,
                None if self.lexer.skip_unset_env => format!("${name}"),
                None => String::new(),
            });
        }
        self.next();
        match self.peek() {
            None => {
                return Err(RawError::buildkit(
                    "syntax error: missing '}'",
                    start,
                    self.pos,
                ))
            }
            Some('{' | '}' | ':') => {
                return Err(RawError::buildkit(
                    "syntax error: bad substitution",
                    start,
                    self.pos + 1,
                ))
            }
            Some(_) => {}
        }
        let name = self.name();
        let first = self.next();
        let mut chs = rune_text(first);
        let unsupported = |chs: &str, end| {
            RawError::buildkit(
                format!("unsupported modifier ({chs}) in substitution"),
                start,
                end,
            )
        };
        match first {
            Some('}') => Ok(match self.get_env(&name) {
                Some(v) => v,
                None if self.lexer.skip_unset_env => format!("${{{name}}}"),
                None => String::new(),
            }),
            Some(':' | '+' | '-' | '?' | '#' | '%') => {
                let null_is_unset = first == Some(':');
                let op = if null_is_unset {
                    let op = self.next();
                    chs.push_str(&rune_text(op));
                    op
                } else {
                    first
                };
                let raw = matches!(op, Some('#' | '%'));
                if null_is_unset && raw {
                    return Err(unsupported(&chs, self.pos));
                }
                let word = self.nested_word(Some('}'), raw, start, "syntax error: missing '}'")?;
                let value = self.get_env(&name);
                if self.lexer.skip_unset_env && value.is_none() {
                    return Ok(format!("${{{name}{chs}{word}}}"));
                }
                self.apply_modifier(op, null_is_unset, &name, &chs, word, value, start)
            }
            Some('/') => {
                let replace_all = self.peek() == Some('/');
                if replace_all {
                    self.next();
                }
                let pattern_text =
                    self.nested_word(Some('/'), true, start, "syntax error: missing '/' in ${}")?;
                let replacement =
                    self.nested_word(Some('}'), true, start, "syntax error: missing '}'")?;
                let value = self.get_env(&name);
                let Some(value) = value else {
                    if self.lexer.skip_unset_env {
                        return Ok(format!("${{{name}/{pattern_text}/{replacement}}}"));
                    }
                    return self.replace(&pattern_text, "", &replacement, replace_all, start);
                };
                self.replace(&pattern_text, &value, &replacement, replace_all, start)
            }
            _ => Err(unsupported(&chs, self.pos)),
        }
    }

    /// A nested word up to `stop`; at the end of the input any failure becomes `missing`.
    fn nested_word(
        &mut self,
        stop: Option<char>,
        raw: bool,
        start: usize,
        missing: &str,
    ) -> Res<String> {
        match self.stop_on(stop, raw) {
            Ok((word, _)) => Ok(word),
            Err(e) if e.kind == super::ExpandErrorKind::Budget => Err(e),
            Err(_) if self.at_end() => Err(RawError::buildkit(missing, start, self.pos)),
            Err(e) => Err(e),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn apply_modifier(
        &mut self,
        op: Option<char>,
        null_is_unset: bool,
        name: &str,
        chs: &str,
        word: String,
        value: Option<String>,
        start: usize,
    ) -> Res<String> {
        let set = value.is_some();
        let value = value.unwrap_or_default();
        let missing = !set || (null_is_unset && value.is_empty());
        match op {
            Some('-') => Ok(if missing { word } else { value }),
            Some('+') => Ok(if missing { String::new() } else { word }),
            Some('?') => {
                if !set || (null_is_unset && value.is_empty()) {
                    let default = if set {
                        "is not allowed to be empty"
                    } else {
                        "is not allowed to be unset"
                    };
                    let message = if word.is_empty() { default } else { &word };
                    return Err(RawError::buildkit(
                        format!("{name}: {message}"),
                        start,
                        self.pos,
                    ));
                }
                Ok(value)
            }
            Some(c @ ('#' | '%')) => {
                // `##` / `%%`: longest match; `#` / `%`: shortest.
                let (greedy, pat) = match word.strip_prefix(c) {
                    Some(rest) => (true, rest),
                    None => (false, word.as_str()),
                };
                let trimmed = if c == '%' {
                    pattern::trim_suffix(pat, &value, greedy, &mut self.meter)
                } else {
                    pattern::trim_prefix(pat, &value, greedy, &mut self.meter)
                };
                trimmed.map_err(|e| self.pattern_error(e, start))
            }
            _ => Err(RawError::buildkit(
                format!("unsupported modifier ({chs}) in substitution"),
                start,
                self.pos,
            )),
        }
    }

    fn replace(
        &mut self,
        pattern_text: &str,
        value: &str,
        replacement: &str,
        all: bool,
        start: usize,
    ) -> Res<String> {
        let max = self.lexer.budget.max_output;
        let out = if all {
            pattern::replace_all(pattern_text, value, replacement, max, &mut self.meter)
        } else {
            pattern::replace_first(pattern_text, value, replacement, &mut self.meter)
        };
        out.map_err(|e| self.pattern_error(e, start))
    }

    fn pattern_error(&self, e: PatternError, start: usize) -> RawError {
        match e {
            PatternError::Invalid(msg) => RawError::buildkit(msg, start, self.pos),
            PatternError::OutOfWork => self.out_of_work(),
            PatternError::TooLong => RawError::budget(
                format!(
                    "expanded value is too long for the playground (more than {} bytes)",
                    self.lexer.budget.max_output
                ),
                start,
                self.pos,
            ),
        }
    }

    /// BuildKit `processName`.
    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && is_go_digit(ch) {
                while let Some(d) = self.peek().filter(|&c| is_go_digit(c)) {
                    name.push(d);
                    self.next();
                }
                return name;
            }
            if name.is_empty() && is_special_param(ch) {
                self.next();
                return ch.to_string();
            }
            if !is_go_letter(ch) && !is_go_digit(ch) && ch != '_' {
                break;
            }
            name.push(ch);
            self.next();
        }
        name
    }

    fn get_env(&mut self, name: &str) -> Option<String> {
        match self.env.lookup(name) {
            Some(v) => {
                if !self.matched.contains(name) {
                    self.matched.insert(name.to_string());
                }
                Some(v.to_string())
            }
            None => {
                if !self.unmatched.contains(name) {
                    self.unmatched.insert(name.to_string());
                }
                None
            }
        }
    }
}

/// Go's `string(rune)`: end of input (-1) prints as U+FFFD.
fn rune_text(ch: Option<char>) -> String {
    ch.unwrap_or('\u{fffd}').to_string()
}

/// POSIX special parameters; never set in a Dockerfile.
fn is_special_param(c: char) -> bool {
    matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0')
}

fn in_table(table: &[(u32, u32)], c: char) -> bool {
    let n = c as u32;
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < n {
                std::cmp::Ordering::Less
            } else if lo > n {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Go's `unicode.IsLetter` (general category L).
pub(super) fn is_go_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    in_table(LETTER, c)
}

/// Go's `unicode.IsDigit` (general category Nd).
pub(super) fn is_go_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    in_table(DECIMAL_DIGIT, c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expand::{EnvList, ExpandErrorKind};
    use std::time::{Duration, Instant};

    fn env(entries: &[&str]) -> EnvList {
        EnvList::from_entries(entries.iter().copied())
    }

    /// One word through `lexer`: the value, or `Err((message, offset))`.
    fn check(lexer: Lexer, vars: &[&str], input: &str, expected: Result<&str, (&str, usize)>) {
        let got = lexer
            .process_word(input, &env(vars))
            .map(|e| e.value)
            .map_err(|e| (e.message, e.offset));
        let expected = expected
            .map(str::to_string)
            .map_err(|(m, o)| (m.to_string(), o));
        assert_eq!(got, expected, "input {input:?}");
    }

    fn check_words(lexer: Lexer, vars: &[&str], input: &str, expected: &[&str]) {
        let got = lexer.process_words(input, &env(vars)).unwrap();
        assert_eq!(got, expected, "input {input:?}");
    }

    #[test]
    fn error_messages_and_offsets_are_buildkits() {
        let lx = Lexer::new('\\');
        let cases: [(&str, &str, usize); 13] = [
            ("${a", "failed to process \"${a\": unsupported modifier (\u{fffd}) in substitution", 0),
            ("x${}", "failed to process \"x${}\": syntax error: bad substitution", 1),
            ("he${PWD:=000}xx", "failed to process \"he${PWD:=000}xx\": unsupported modifier (:=) in substitution", 2),
            ("\"abc", "failed to process \"\\\"abc\": unexpected end of statement while looking for matching double-quote", 0),
            ("x'abc", "failed to process \"x'abc\": unexpected end of statement while looking for matching single-quote", 1),
            ("${a:-b", "failed to process \"${a:-b\": syntax error: missing '}'", 0),
            ("${X?}", "failed to process \"${X?}\": X: is not allowed to be unset", 0),
            ("${E:?}", "failed to process \"${E:?}\": E: is not allowed to be empty", 0),
            ("a${X:?custom $Y}", "failed to process \"a${X:?custom $Y}\": X: custom 1", 1),
            ("${S#\\x}", "failed to process \"${S#\\\\x}\": invalid pattern (\\x) in substitution: invalid escape '\\x'", 0),
            ("${S%ab\\c}", "failed to process \"${S%ab\\\\c}\": invalid pattern (\\cba) in substitution: invalid escape '\\c'", 0),
            ("${S/b", "failed to process \"${S/b\": syntax error: missing '/' in ${}", 0),
            ("${S:#x}", "failed to process \"${S:#x}\": unsupported modifier (:#) in substitution", 0),
        ];
        for (input, message, offset) in cases {
            check(lx, &["E=", "Y=1", "S=abc"], input, Err((message, offset)));
        }
    }

    #[test]
    fn options_change_the_result_like_buildkit() {
        let vars = ["A=1"];
        let plain = Lexer::new('\\');
        let cases: [(Lexer, &str, &str); 12] = [
            (plain.raw_quotes(true), r#"'a b'"c$A""#, r#"'a b'"c1""#),
            (plain.raw_escapes(true), r"a\ b\$A", r"a\ b\$A"),
            // Inside double quotes a kept escape before an ordinary character doubles.
            (plain.raw_escapes(true), r#""\t\$A""#, r"\\t\$A"),
            (
                plain.skip_unset_env(true),
                "$X ${X} ${X:-x} ${X#p} $A",
                "$X ${X} ${X:-x} ${X#p} 1",
            ),
            (plain.skip_unset_env(true), "${X//p/r}", "${X/p/r}"),
            (plain.skip_process_quotes(true), r#"'$A' "x""#, r#"'1' "x""#),
            (Lexer::new('`'), r"a\b`$A", r"a\b$A"),
            (Lexer::new('`'), r#""a\""#, r"a\"),
            (Lexer::new('`'), "\"a`\"b\"", "a\"b"),
            (plain, "a$ $. $10x ${10}y $@z", "a$ $. x y z"),
            (plain, "x << y", "x << y"),
            (plain, "${A:+${A}:}${B-b}", "1:b"),
        ];
        for (lexer, input, expected) in cases {
            check(lexer, &vars, input, Ok(expected));
        }
    }

    #[test]
    fn word_splitting_like_buildkit() {
        let lx = Lexer::new('\\');
        let vars = ["X=a  b"];
        check_words(lx, &vars, "$X", &["a", "b"]);
        check_words(lx, &vars, "\"$X\"", &["a  b"]);
        check_words(lx, &vars, r"a\ b  c", &["a b", "c"]);
        check_words(lx, &vars, r#"a "" b"#, &["a", "b"]);
        check_words(lx, &vars, "cat <<  EOF", &["cat", "<<  EOF"]);
        // BuildKit's shared word buffer: a ${x<op>…} drops the word begun before it.
        check_words(lx, &vars, "abc${u:-def} g", &["def", "g"]);
        check_words(lx, &vars, "abc${u:-}", &[]);
        check_words(lx, &vars, "abc${X}", &["abca", "b"]);
    }

    #[test]
    fn matched_and_unmatched_names() {
        let got = Lexer::new('\\')
            .process_word("$A ${B:-$C} ${A}", &env(&["A=1", "C="]))
            .unwrap();
        assert_eq!(got.value, "1  1");
        assert_eq!(got.matched.into_iter().collect::<Vec<_>>(), ["A", "C"]);
        assert_eq!(got.unmatched.into_iter().collect::<Vec<_>>(), ["B"]);
    }

    #[test]
    fn budgets_stop_blow_ups_quickly() {
        let lx = Lexer::new('\\');
        let deep = format!("{}x{}", "${a:-".repeat(100_000), "}".repeat(100_000));
        let long_value = format!("A={}", "a".repeat(100_000));
        let cases: [(&str, String); 4] = [
            ("deep nesting", deep),
            ("long output", "$A".repeat(20)),
            ("replacement blow-up", "${A//a/$A}".to_string()),
            ("pattern work", "${A//$A/x}".to_string()),
        ];
        for (what, input) in cases {
            let start = Instant::now();
            let got = lx.process_word(&input, &env(&[&long_value]));
            let err = match got {
                Ok(e) => panic!(
                    "{what}: expected a budget error, got {} bytes",
                    e.value.len()
                ),
                Err(e) => e,
            };
            assert_eq!(err.kind, ExpandErrorKind::Budget, "{what}: {}", err.message);
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{what} took too long"
            );
        }
        // Within the budget the same shapes work.
        let ok = lx
            .process_word("${a:-${a:-${a:-x}}}", &EnvList::new())
            .unwrap();
        assert_eq!(ok.value, "x");
    }

    #[test]
    fn go_character_classes() {
        assert!(is_go_letter('é') && is_go_letter('한') && !is_go_letter('_'));
        // A combining vowel sign is a mark (Mc), not a letter, for Go.
        assert!(!is_go_letter('\u{93e}'));
        assert!(is_go_digit('٣') && !is_go_digit('²'));
    }

    #[test]
    fn byte_order_mark_at_start_is_dropped() {
        let got = Lexer::new('\\')
            .process_word("\u{feff}a\u{feff}", &EnvList::new())
            .unwrap();
        assert_eq!(got.value, "a\u{feff}");
    }
}
