//! Shell pattern matching (`*`, `?`, `[…]` with ranges, negation and `[:class:]`) for
//! `case`, `${v#p}`-style trimming, `[[ == ]]`, `find -name` and pathname expansion.
//!
//! Invariants: a pattern is built from `(char, active)` pairs, so quoted characters never
//! act as wildcards; matching is the two-pointer algorithm with one backtrack point per
//! `*`, so it is O(pattern × text) and cannot blow up.

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Char(char),
    Any,
    Star,
    Class {
        negated: bool,
        items: Vec<ClassItem>,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum ClassItem {
    Char(char),
    Range(char, char),
    Named(String),
}

/// A compiled glob pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    toks: Vec<Tok>,
}

impl Pattern {
    /// Compiles a pattern from characters marked active (unquoted) or literal.
    pub fn from_marked(chars: &[(char, bool)]) -> Pattern {
        let mut toks = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let (c, active) = chars[i];
            if !active {
                toks.push(Tok::Char(c));
                i += 1;
                continue;
            }
            match c {
                '*' => {
                    if toks.last() != Some(&Tok::Star) {
                        toks.push(Tok::Star);
                    }
                    i += 1;
                }
                '?' => {
                    toks.push(Tok::Any);
                    i += 1;
                }
                '\\' if i + 1 < chars.len() => {
                    toks.push(Tok::Char(chars[i + 1].0));
                    i += 2;
                }
                '[' => match parse_class(chars, i + 1) {
                    Some((tok, next)) => {
                        toks.push(tok);
                        i = next;
                    }
                    None => {
                        toks.push(Tok::Char('['));
                        i += 1;
                    }
                },
                _ => {
                    toks.push(Tok::Char(c));
                    i += 1;
                }
            }
        }
        Pattern { toks }
    }

    /// Compiles an unquoted pattern string (every character active).
    pub fn new(pattern: &str) -> Pattern {
        let marked: Vec<(char, bool)> = pattern.chars().map(|c| (c, true)).collect();
        Self::from_marked(&marked)
    }

    /// A pattern that matches exactly `text`.
    pub fn literal(text: &str) -> Pattern {
        Pattern {
            toks: text.chars().map(Tok::Char).collect(),
        }
    }

    /// True if the pattern has no wildcard.
    pub fn is_literal(&self) -> bool {
        self.toks.iter().all(|t| matches!(t, Tok::Char(_)))
    }

    /// The literal text if the pattern has no wildcard.
    pub fn as_literal(&self) -> Option<String> {
        self.toks
            .iter()
            .map(|t| match t {
                Tok::Char(c) => Some(*c),
                _ => None,
            })
            .collect()
    }

    /// Whether the first token is a literal `.` (dotfiles match only then).
    pub fn starts_with_dot(&self) -> bool {
        matches!(self.toks.first(), Some(Tok::Char('.')))
    }

    /// Whole-string match.
    pub fn matches(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        self.matches_chars(&chars)
    }

    pub fn matches_chars(&self, s: &[char]) -> bool {
        let p = &self.toks;
        let (mut pi, mut si) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        while si < s.len() {
            if pi < p.len() {
                match &p[pi] {
                    Tok::Star => {
                        star = Some((pi, si));
                        pi += 1;
                        continue;
                    }
                    t if tok_matches(t, s[si]) => {
                        pi += 1;
                        si += 1;
                        continue;
                    }
                    _ => {}
                }
            }
            match star {
                Some((sp, ss)) => {
                    pi = sp + 1;
                    si = ss + 1;
                    star = Some((sp, ss + 1));
                }
                None => return false,
            }
        }
        while pi < p.len() && p[pi] == Tok::Star {
            pi += 1;
        }
        pi == p.len()
    }

    /// Ends (exclusive, in chars) of every prefix of `s[start..]` the pattern matches,
    /// ascending. A state-set simulation: O(text × pattern).
    fn prefix_ends(toks: &[Tok], s: &[char], start: usize) -> Vec<usize> {
        let mut work = usize::MAX;
        Self::prefix_ends_bounded(toks, s, start, &mut work)
    }

    /// Like `prefix_ends`, spending at most `work` state steps (shared across calls).
    fn prefix_ends_bounded(toks: &[Tok], s: &[char], start: usize, work: &mut usize) -> Vec<usize> {
        let n = toks.len();
        let closure = |set: &mut Vec<bool>| {
            for i in 0..n {
                if set[i] && toks[i] == Tok::Star {
                    set[i + 1] = true;
                }
            }
        };
        let mut states = vec![false; n + 1];
        states[0] = true;
        closure(&mut states);
        let mut ends = Vec::new();
        if states[n] {
            ends.push(start);
        }
        for (k, &c) in s.iter().enumerate().skip(start) {
            if *work <= n {
                break;
            }
            *work -= n + 1;
            let mut next = vec![false; n + 1];
            let mut any = false;
            for i in 0..n {
                if !states[i] {
                    continue;
                }
                if toks[i] == Tok::Star {
                    next[i] = true;
                    any = true;
                } else if tok_matches(&toks[i], c) {
                    next[i + 1] = true;
                    any = true;
                }
            }
            if !any {
                break;
            }
            closure(&mut next);
            if next[n] {
                ends.push(k + 1);
            }
            states = next;
        }
        ends
    }

    /// Length in chars of the shortest or longest prefix of `s` the pattern matches.
    pub fn match_prefix(&self, s: &[char], longest: bool) -> Option<usize> {
        let ends = Self::prefix_ends(&self.toks, s, 0);
        if longest {
            ends.last().copied()
        } else {
            ends.first().copied()
        }
    }

    /// Length in chars of the shortest or longest suffix of `s` the pattern matches.
    pub fn match_suffix(&self, s: &[char], longest: bool) -> Option<usize> {
        let rev_toks: Vec<Tok> = self.toks.iter().rev().cloned().collect();
        let rev: Vec<char> = s.iter().rev().copied().collect();
        let ends = Self::prefix_ends(&rev_toks, &rev, 0);
        if longest {
            ends.last().copied()
        } else {
            ends.first().copied()
        }
    }

    /// The first (leftmost, then longest, non-empty unless the pattern only matches
    /// empty) match at or after `from`: `(start, end)`.
    pub fn find(&self, s: &[char], from: usize) -> Option<(usize, usize)> {
        let mut work = 20_000_000;
        self.find_bounded(s, from, &mut work)
    }

    /// Like [`Pattern::find`], giving up (None) once `work` state steps are spent, so
    /// `${v//*x/y}` on a huge value cannot take quadratic time for long.
    pub fn find_bounded(
        &self,
        s: &[char],
        from: usize,
        work: &mut usize,
    ) -> Option<(usize, usize)> {
        for start in from..=s.len() {
            if *work == 0 {
                return None;
            }
            *work = work.saturating_sub(1);
            let ends = Self::prefix_ends_bounded(&self.toks, s, start, work);
            if let Some(&end) = ends.last() {
                if end > start || self.toks.iter().all(|t| *t == Tok::Star) {
                    return Some((start, end));
                }
            }
        }
        None
    }
}

fn tok_matches(t: &Tok, c: char) -> bool {
    match t {
        Tok::Char(x) => *x == c,
        Tok::Any => true,
        Tok::Star => true,
        Tok::Class { negated, items } => {
            let hit = items.iter().any(|it| match it {
                ClassItem::Char(x) => *x == c,
                ClassItem::Range(a, b) => *a <= c && c <= *b,
                ClassItem::Named(n) => class_matches(n, c),
            });
            hit != *negated
        }
    }
}

/// POSIX character classes (C locale).
pub fn class_matches(name: &str, c: char) -> bool {
    match name {
        "alpha" => c.is_ascii_alphabetic(),
        "digit" => c.is_ascii_digit(),
        "alnum" => c.is_ascii_alphanumeric(),
        "upper" => c.is_ascii_uppercase(),
        "lower" => c.is_ascii_lowercase(),
        "space" => matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c'),
        "blank" => c == ' ' || c == '\t',
        "punct" => c.is_ascii_punctuation(),
        "xdigit" => c.is_ascii_hexdigit(),
        "cntrl" => c.is_ascii_control(),
        "print" => (' '..='~').contains(&c),
        "graph" => ('!'..='~').contains(&c),
        _ => false,
    }
}

/// Parses a bracket expression starting after `[`; returns the token and the index
/// after `]`, or `None` if there is no closing bracket.
fn parse_class(chars: &[(char, bool)], mut i: usize) -> Option<(Tok, usize)> {
    let mut negated = false;
    if let Some(&(c, true)) = chars.get(i) {
        if c == '!' || c == '^' {
            negated = true;
            i += 1;
        }
    }
    let mut items = Vec::new();
    let mut first = true;
    loop {
        let &(c, active) = chars.get(i)?;
        if c == ']' && active && !first {
            return Some((Tok::Class { negated, items }, i + 1));
        }
        first = false;
        if c == '[' && active && chars.get(i + 1).map(|x| x.0) == Some(':') {
            let rest: String = chars[i + 2..].iter().map(|x| x.0).collect();
            if let Some(end) = rest.find(":]") {
                items.push(ClassItem::Named(rest[..end].to_string()));
                i += 2 + rest[..end].chars().count() + 2;
                continue;
            }
        }
        let lo = if c == '\\' && active {
            i += 1;
            chars.get(i)?.0
        } else {
            c
        };
        if chars.get(i + 1).map(|x| x.0) == Some('-') {
            if let Some(&(hi, _)) = chars.get(i + 2) {
                if hi != ']' {
                    items.push(ClassItem::Range(lo, hi));
                    i += 3;
                    continue;
                }
            }
        }
        items.push(ClassItem::Char(lo));
        i += 1;
    }
}

/// Whether a string has any glob character (cheap pre-check for pathname expansion).
pub fn has_glob_chars(chars: &[(char, bool)]) -> bool {
    chars
        .iter()
        .any(|&(c, active)| active && matches!(c, '*' | '?' | '['))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pattern: &str, text: &str, expected: bool) {
        assert_eq!(
            Pattern::new(pattern).matches(text),
            expected,
            "{pattern} vs {text}"
        );
    }

    #[test]
    fn glob_matching() {
        let cases = [
            ("*.txt", "a.txt", true),
            ("*.txt", "a.txt.gz", false),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("[abc]x", "bx", true),
            ("[!abc]x", "bx", false),
            ("[a-z]*", "hello", true),
            ("[[:digit:]][[:digit:]]", "42", true),
            ("*a*b*c*", "xxaxxbxxcxx", true),
            ("*a*b*c*", "xxaxxcxxbxx", false),
            ("[]]", "]", true),
            ("[", "[", true),
            ("\\*", "*", true),
            ("\\*", "a", false),
            ("", "", true),
            ("*", "", true),
        ];
        for (p, t, e) in cases {
            check(p, t, e);
        }
    }

    #[test]
    fn quoted_chars_are_literal() {
        let marked = [('*', false), ('x', true)];
        let p = Pattern::from_marked(&marked);
        assert!(p.matches("*x"));
        assert!(!p.matches("ax"));
    }

    #[test]
    fn prefix_and_suffix() {
        let s: Vec<char> = "a/b/c.tar.gz".chars().collect();
        assert_eq!(Pattern::new("*/").match_prefix(&s, false), Some(2));
        assert_eq!(Pattern::new("*/").match_prefix(&s, true), Some(4));
        assert_eq!(Pattern::new(".*").match_suffix(&s, false), Some(3));
        assert_eq!(Pattern::new(".*").match_suffix(&s, true), Some(7));
        assert_eq!(Pattern::new("b").find(&s, 0), Some((2, 3)));
    }
}
