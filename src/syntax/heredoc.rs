//! Heredoc detection exactly as BuildKit's parser does it.
//!
//! BuildKit cuts the joined instruction line into shell words with its shell lexer (escape
//! character always `\`, quotes and escapes kept raw, variables left as written because the
//! environment is empty) and treats every word shaped `[digits]<<[-]NAME` as a heredoc. The
//! NAME is then lexed again without raw quotes: it must be one word, and the heredoc is
//! expanded later only when no part of it was quoted.
//!
//! This module carries its own minimal copy of that lexer (only what an empty environment
//! can reach) because `syntax` sits below `expand` in the layering. Invariant: the lexer
//! only moves forward over the input, so it always terminates.

use super::gostr::is_space;
use crate::text::go_quote as quote;

/// A heredoc announced on an instruction line (body not yet read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeredocWord {
    pub name: String,
    pub file_descriptor: u64,
    /// `false` when some part of the word was quoted: the body is taken literally.
    pub expand: bool,
    /// `<<-`: leading tabs are stripped from the body lines and the terminator.
    pub chomp: bool,
}

/// A word of the lexer and where it came from in the lexed text (byte offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexWord {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

const ESCAPE: char = '\\';

/// `shlex.ProcessWords` with an empty environment, `SkipUnsetEnv` and escape `\`.
pub fn process_words(
    input: &str,
    raw_quotes: bool,
    raw_escapes: bool,
) -> Result<Vec<LexWord>, String> {
    let mut lexer = Lexer {
        chars: input.char_indices().collect(),
        len: input.len(),
        pos: 0,
        raw_quotes,
    };
    match lexer.process_stop_on(None, raw_escapes) {
        Ok((_, words)) => Ok(words),
        Err(e) => Err(format!("failed to process {}: {e}", quote(input))),
    }
}

/// BuildKit's `ParseHeredoc` on one word. `Ok(None)`: not a heredoc.
pub fn parse_heredoc(word: &str) -> Result<Option<HeredocWord>, String> {
    let digits = word.len() - word.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let Some(after) = word[digits..].strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, after) = match after.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, after),
    };
    let rest = after.trim_start_matches(['\t', '\n', '\x0c', '\r', ' ']);
    if rest.contains('<') || rest.is_empty() {
        return Ok(None);
    }
    // Go ignores the parse error: an overflow saturates, no digits give 0.
    let file_descriptor = if digits == 0 {
        0
    } else {
        word[..digits].parse::<u64>().unwrap_or(u64::MAX)
    };
    let words = process_words(rest, false, false)?;
    let [single] = words.as_slice() else {
        return Ok(None);
    };
    let raw = process_words(rest, true, false)?;
    let Some(raw_word) = raw.first().filter(|_| raw.len() == 1) else {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    };
    let quotes = |s: &str| s.chars().filter(|c| matches!(c, '\'' | '"')).count();
    Ok(Some(HeredocWord {
        name: single.text.clone(),
        file_descriptor,
        expand: quotes(&single.text) == quotes(&raw_word.text),
        chomp,
    }))
}

/// BuildKit's `MustParseHeredoc`: errors count as "not a heredoc".
pub fn must_parse_heredoc(word: &str) -> Option<HeredocWord> {
    parse_heredoc(word).ok().flatten()
}

/// Every heredoc announced on a joined instruction line, with the word's byte range.
/// A lexing failure of the whole line means "no heredocs" (BuildKit ignores it); an error
/// while reading one heredoc word rejects the file.
pub fn heredocs_from_line(line: &str) -> Result<Vec<(HeredocWord, LexWord)>, String> {
    let words = process_words(line, true, true).unwrap_or_default();
    let mut docs = Vec::new();
    for word in words {
        if let Some(doc) = parse_heredoc(&word.text)? {
            docs.push((doc, word));
        }
    }
    Ok(docs)
}

/// `ChompHeredocContent`: leading tabs removed from every line.
pub fn chomp(content: &str) -> String {
    content
        .split_inclusive('\n')
        .map(|line| line.trim_start_matches('\t'))
        .collect()
}

struct Lexer {
    chars: Vec<(usize, char)>,
    len: usize,
    pos: usize,
    raw_quotes: bool,
}

#[derive(Default)]
struct Words {
    buf: String,
    start: usize,
    words: Vec<LexWord>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, ch: char, at: usize, end: usize) {
        if is_space(ch) {
            if self.in_word && !self.buf.is_empty() {
                self.flush(at);
                self.in_word = false;
            }
        } else {
            self.add_raw(ch.encode_utf8(&mut [0; 4]), at);
            let _ = end;
        }
    }

    fn add_raw(&mut self, s: &str, at: usize) {
        if self.buf.is_empty() {
            self.start = at;
        }
        self.buf.push_str(s);
        self.in_word = true;
    }

    fn flush(&mut self, end: usize) {
        self.words.push(LexWord {
            text: std::mem::take(&mut self.buf),
            start: self.start,
            end,
        });
    }

    fn finish(mut self, end: usize) -> Vec<LexWord> {
        if !self.buf.is_empty() {
            self.flush(end);
        }
        self.words
    }
}

impl Lexer {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).map(|&(_, c)| c)
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn offset(&self) -> usize {
        self.chars.get(self.pos).map_or(self.len, |&(o, _)| o)
    }

    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Result<(String, Vec<LexWord>), String> {
        let mut result = String::new();
        let mut words = Words::default();
        while let Some(ch) = self.peek() {
            let at = self.offset();
            if stop == Some(ch) {
                self.next();
                return Ok((result, words.finish(at)));
            }
            match ch {
                '$' => {
                    let tmp = self.process_dollar()?;
                    result.push_str(&tmp);
                    let end = self.offset();
                    for c in tmp.chars() {
                        words.add_char(c, at, end);
                    }
                }
                '<' | '\'' | '"' => {
                    let tmp = match ch {
                        '<' => self.possible_heredoc(),
                        '\'' => self.single_quote()?,
                        _ => self.double_quote(raw_escapes)?,
                    };
                    result.push_str(&tmp);
                    words.add_raw(&tmp, at);
                }
                _ => {
                    self.next();
                    if ch == ESCAPE {
                        if raw_escapes {
                            words.add_raw(ch.encode_utf8(&mut [0; 4]), at);
                            result.push(ch);
                        }
                        let Some(escaped) = self.next() else {
                            break;
                        };
                        words.add_raw(escaped.encode_utf8(&mut [0; 4]), at);
                        result.push(escaped);
                    } else {
                        words.add_char(ch, at, self.offset());
                        result.push(ch);
                    }
                }
            }
        }
        if let Some(stop) = stop {
            return Err(format!(
                "unexpected end of statement while looking for matching {stop}"
            ));
        }
        let end = self.len;
        Ok((result, words.finish(end)))
    }

    fn single_quote(&mut self) -> Result<String, String> {
        let mut result = String::new();
        self.next();
        if self.raw_quotes {
            result.push('\'');
        }
        loop {
            match self.next() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .into(),
                    )
                }
                Some('\'') => {
                    if self.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(c) => result.push(c),
            }
        }
    }

    fn double_quote(&mut self, raw_escapes: bool) -> Result<String, String> {
        let mut result = String::new();
        self.next();
        if self.raw_quotes {
            result.push('"');
        }
        loop {
            match self.peek() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching double-quote"
                            .into(),
                    )
                }
                Some('"') => {
                    self.next();
                    if self.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let value = self.process_dollar()?;
                    result.push_str(&value);
                }
                Some(_) => {
                    let Some(mut ch) = self.next() else { continue };
                    if ch == ESCAPE {
                        if raw_escapes {
                            result.push(ch);
                        }
                        match self.peek() {
                            None => continue,
                            Some(c) if c == '"' || c == '$' || c == ESCAPE => {
                                self.next();
                                ch = c;
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(ch);
                }
            }
        }
    }

    /// `$…` with every variable unset and kept as written.
    fn process_dollar(&mut self) -> Result<String, String> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.process_name();
            return Ok(format!("${name}"));
        }
        self.next();
        match self.peek() {
            None => return Err("syntax error: missing '}'".into()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".into()),
            Some(_) => {}
        }
        let name = self.process_name();
        let ch = self.next();
        let rune = |c: Option<char>| c.unwrap_or('\u{fffd}');
        let mut chs = rune(ch).to_string();
        let modifier = match ch {
            Some('}') => return Ok(format!("${{{name}}}")),
            Some(':') => {
                let next = self.next();
                chs.push(rune(next));
                (next, true)
            }
            Some(c @ ('+' | '-' | '?' | '#' | '%')) => (Some(c), false),
            Some('/') => {
                if self.peek() == Some('/') {
                    self.next();
                }
                let pattern = self.stop_on_or(
                    '/',
                    true,
                    "syntax error: missing '/' in ${}", // BuildKit's wording
                )?;
                let replacement = self.stop_on_or('}', true, "syntax error: missing '}'")?;
                return Ok(format!("${{{name}/{pattern}/{replacement}}}"));
            }
            _ => return Err(format!("unsupported modifier ({chs}) in substitution")),
        };
        let (c, null_is_unset) = modifier;
        let raw = matches!(c, Some('#' | '%'));
        if null_is_unset && raw {
            return Err(format!("unsupported modifier ({chs}) in substitution"));
        }
        let word = self.stop_on_or('}', raw, "syntax error: missing '}'")?;
        Ok(format!("${{{name}{chs}{word}}}"))
    }

    fn stop_on_or(&mut self, stop: char, raw: bool, at_eof: &str) -> Result<String, String> {
        match self.process_stop_on(Some(stop), raw) {
            Ok((word, _)) => Ok(word),
            Err(_) if self.peek().is_none() => Err(at_eof.to_string()),
            Err(e) => Err(e),
        }
    }

    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && ch.is_numeric() {
                while let Some(d) = self.peek().filter(|c| c.is_numeric()) {
                    name.push(d);
                    self.next();
                }
                return name;
            }
            if name.is_empty() && matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                return ch.to_string();
            }
            if !(ch.is_alphabetic() || ch.is_numeric() || ch == '_') {
                break;
            }
            self.next();
            name.push(ch);
        }
        name
    }

    fn possible_heredoc(&mut self) -> String {
        self.next();
        if self.peek() != Some('<') {
            return "<".into();
        }
        self.next();
        let mut result = String::from("<<");
        while let Some(c) = self.peek().filter(|c| matches!(c, '\t' | '\r' | ' ')) {
            result.push(c);
            self.next();
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        process_words(line, true, true)
            .unwrap()
            .into_iter()
            .map(|w| w.text)
            .collect()
    }

    #[test]
    fn raw_words_keep_quotes_escapes_and_variables() {
        assert_eq!(
            words(r#"RUN <<'EOF' "a b" c\ d ${x:-y} $HOME"#),
            ["RUN", "<<'EOF'", "\"a b\"", "c\\ d", "${x:-y}", "$HOME"]
        );
        assert_eq!(words("RUN <<  EOF  > foo"), ["RUN", "<<  EOF", ">", "foo"]);
        assert!(process_words("echo 'x", true, true).is_err());
        assert!(process_words("echo ${x", true, true).is_err());
    }

    #[test]
    fn word_positions() {
        let w = process_words("RUN  <<EOF x", true, true).unwrap();
        assert_eq!((w[1].start, w[1].end), (5, 10));
    }

    #[test]
    fn chomp_strips_leading_tabs_per_line() {
        assert_eq!(chomp("\t\ta\n\tb\n c\n"), "a\nb\n c\n");
    }
}
