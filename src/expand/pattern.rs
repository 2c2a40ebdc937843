//! Shell patterns of `${VAR#p}`, `${VAR%p}`, `${VAR/p/r}`: `*` any run of characters, `?`
//! one character, `\` escapes only `*`, `?` and `\` (and is dropped before `}` and `/`);
//! every other character is literal. No bracket expressions.
//!
//! BuildKit turns the pattern into a Go regular expression (`*` → `.*` or `.*?`, `?` → `.`)
//! and uses Go's leftmost-first matching. This module matches the same way without a regex
//! engine: a Pike VM over the item list, run in priority order, so the result is the one a
//! backtracking matcher would pick, in O(pattern × text) steps counted on a [`Meter`].
//! Like Go's `.`, neither `*` nor `?` matches a newline.

use super::budget::{Meter, OutOfWork};
use super::lexer::{is_go_digit, is_go_letter};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    /// `*`: any run of non-newline characters.
    Star,
    /// `?`: one non-newline character.
    Any,
    Lit(char),
}

/// A compiled pattern; `greedy` decides whether `*` prefers long or short runs.
#[derive(Debug)]
pub(super) struct Pattern {
    items: Vec<Item>,
    greedy: bool,
}

#[derive(Debug)]
pub(super) enum PatternError {
    /// BuildKit's text, e.g. `invalid escape '\x'`.
    Invalid(String),
    OutOfWork,
    TooLong,
}

impl From<OutOfWork> for PatternError {
    fn from(_: OutOfWork) -> Self {
        PatternError::OutOfWork
    }
}

impl Pattern {
    /// BuildKit's `convertShellPatternToRegex`, as an item list.
    pub fn compile(pattern: &str, greedy: bool) -> Result<Self, PatternError> {
        // Go's text/scanner drops a byte-order mark at the very start.
        let pattern = pattern.strip_prefix('\u{feff}').unwrap_or(pattern);
        let mut items = Vec::new();
        let mut chars = pattern.chars().peekable();
        while let Some(tok) = chars.next() {
            let item = match tok {
                '*' => Item::Star,
                '?' => Item::Any,
                '\\' => {
                    // `\}` and `\/` escape the ${} syntax, not the pattern.
                    if matches!(chars.peek(), Some('}' | '/')) {
                        continue;
                    }
                    match chars.next() {
                        Some(c @ ('*' | '?' | '\\')) => Item::Lit(c),
                        other => {
                            return Err(PatternError::Invalid(format!(
                                "invalid escape '\\{}'",
                                other.unwrap_or('\u{fffd}')
                            )))
                        }
                    }
                }
                c => Item::Lit(c),
            };
            // `**` matches exactly what `*` matches, with the same preference.
            if item == Item::Star && items.last() == Some(&Item::Star) {
                continue;
            }
            items.push(item);
        }
        Ok(Self { items, greedy })
    }

    /// Leftmost-first match starting at or after byte `from` (exactly at `from` when
    /// `anchored`): `(start, end)` byte offsets.
    pub fn find(
        &self,
        text: &str,
        from: usize,
        anchored: bool,
        meter: &mut Meter,
    ) -> Result<Option<(usize, usize)>, OutOfWork> {
        let n = self.items.len();
        let mut vm = Vm {
            seen: vec![0; n + 1],
            generation: 0,
            stack: Vec::new(),
        };
        let mut current: Vec<Thread> = Vec::new();
        let mut next: Vec<Thread> = Vec::new();
        let mut found = None;
        let mut pos = from;

        vm.generation += 1;
        self.add_thread(&mut vm, &mut current, 0, from);
        loop {
            let ch = text.get(pos..).and_then(|rest| rest.chars().next());
            vm.generation += 1;
            next.clear();
            meter.charge(current.len() + 1)?;
            for thread in current.iter() {
                match *thread {
                    Thread::Match { start } => {
                        // Every thread after this one has lower priority.
                        found = Some((start, pos));
                        break;
                    }
                    Thread::Consume { pc, start } => {
                        let Some(c) = ch else { continue };
                        let (ok, to) = match self.items.get(pc) {
                            Some(Item::Star) => (c != '\n', pc),
                            Some(Item::Any) => (c != '\n', pc + 1),
                            Some(Item::Lit(l)) => (c == *l, pc + 1),
                            None => (false, pc),
                        };
                        if ok {
                            self.add_thread(&mut vm, &mut next, to, start);
                        }
                    }
                }
            }
            let Some(c) = ch else { break };
            pos += c.len_utf8();
            if !anchored && found.is_none() {
                self.add_thread(&mut vm, &mut next, 0, pos);
            }
            std::mem::swap(&mut current, &mut next);
            if current.is_empty() {
                break;
            }
        }
        Ok(found)
    }

    /// Adds the threads reachable from `pc` without consuming input, in priority order.
    fn add_thread(&self, vm: &mut Vm, list: &mut Vec<Thread>, pc: usize, start: usize) {
        let n = self.items.len();
        vm.stack.clear();
        vm.stack.push(Pending::Visit(pc));
        while let Some(p) = vm.stack.pop() {
            let pc = match p {
                Pending::Emit(pc) => {
                    list.push(Thread::Consume { pc, start });
                    continue;
                }
                Pending::Visit(pc) => pc,
            };
            match vm.seen.get_mut(pc) {
                Some(mark) if *mark == vm.generation => continue,
                Some(mark) => *mark = vm.generation,
                None => continue,
            }
            if pc == n {
                list.push(Thread::Match { start });
                continue;
            }
            match self.items.get(pc) {
                Some(Item::Star) if self.greedy => {
                    // Prefer one more character, then leaving the star.
                    list.push(Thread::Consume { pc, start });
                    vm.stack.push(Pending::Visit(pc + 1));
                }
                Some(Item::Star) => {
                    // Prefer leaving the star; consuming comes after everything that follows.
                    vm.stack.push(Pending::Emit(pc));
                    vm.stack.push(Pending::Visit(pc + 1));
                }
                Some(_) => list.push(Thread::Consume { pc, start }),
                None => {}
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Thread {
    Consume { pc: usize, start: usize },
    Match { start: usize },
}

#[derive(Debug, Clone, Copy)]
enum Pending {
    Visit(usize),
    Emit(usize),
}

#[derive(Debug)]
struct Vm {
    seen: Vec<u64>,
    generation: u64,
    stack: Vec<Pending>,
}

fn invalid(word: &str, e: PatternError) -> PatternError {
    match e {
        PatternError::Invalid(msg) => {
            PatternError::Invalid(format!("invalid pattern ({word}) in substitution: {msg}"))
        }
        other => other,
    }
}

/// `${VAR#word}` / `${VAR##word}`: drop the shortest / longest matching prefix.
pub(super) fn trim_prefix(
    word: &str,
    value: &str,
    greedy: bool,
    meter: &mut Meter,
) -> Result<String, PatternError> {
    let pattern = Pattern::compile(word, greedy).map_err(|e| invalid(word, e))?;
    Ok(match pattern.find(value, 0, true, meter)? {
        Some((_, end)) => value.get(end..).unwrap_or_default().to_string(),
        None => value.to_string(),
    })
}

/// `${VAR%word}` / `${VAR%%word}`: BuildKit reverses pattern and value and trims a prefix,
/// so error messages show the reversed pattern.
pub(super) fn trim_suffix(
    word: &str,
    value: &str,
    greedy: bool,
    meter: &mut Meter,
) -> Result<String, PatternError> {
    let pattern = reverse_pattern(word);
    let reversed: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&pattern, &reversed, greedy, meter)?;
    Ok(trimmed.chars().rev().collect())
}

/// Reverses a pattern but keeps each `\x` pair in order (`a\*c` → `c\*a`).
fn reverse_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = vec!['\0'; chars.len()];
    let last = chars.len().saturating_sub(1);
    let mut i = 0;
    while i < chars.len() {
        let out_idx = last - i;
        if chars[i] == '\\' && i != last {
            out[out_idx - 1] = '\\';
            out[out_idx] = chars[i + 1];
            i += 2;
        } else {
            out[out_idx] = chars[i];
            i += 1;
        }
    }
    out.into_iter().collect()
}

/// `${VAR/pattern/replacement}`: the first (leftmost, greedy) match is replaced by the
/// replacement text as it is.
pub(super) fn replace_first(
    pattern_text: &str,
    value: &str,
    replacement: &str,
    meter: &mut Meter,
) -> Result<String, PatternError> {
    let pattern = Pattern::compile(pattern_text, true).map_err(|e| invalid(pattern_text, e))?;
    Ok(match pattern.find(value, 0, false, meter)? {
        Some((start, end)) => {
            let mut out = String::with_capacity(value.len() + replacement.len());
            out.push_str(value.get(..start).unwrap_or_default());
            out.push_str(replacement);
            out.push_str(value.get(end..).unwrap_or_default());
            out
        }
        None => value.to_string(),
    })
}

/// `${VAR//pattern/replacement}`: Go's `ReplaceAllString` — every non-overlapping match,
/// an empty match right after a match is skipped, and `$0`/`${0}` in the replacement
/// stand for the match (`$$` for `$`; any other `$name` for nothing).
pub(super) fn replace_all(
    pattern_text: &str,
    value: &str,
    replacement: &str,
    max_output: usize,
    meter: &mut Meter,
) -> Result<String, PatternError> {
    let pattern = Pattern::compile(pattern_text, true).map_err(|e| invalid(pattern_text, e))?;
    let mut out = String::new();
    let mut last_end = 0;
    let mut search = 0;
    while search <= value.len() {
        let Some((start, end)) = pattern.find(value, search, false, meter)? else {
            break;
        };
        out.push_str(value.get(last_end..start).unwrap_or_default());
        if end > last_end || start == 0 {
            expand_template(
                &mut out,
                replacement,
                value.get(start..end).unwrap_or_default(),
            );
        }
        if out.len() > max_output {
            return Err(PatternError::TooLong);
        }
        meter.charge(out.len().min(replacement.len() + end - start + 1))?;
        last_end = end;
        let width = value
            .get(search..)
            .and_then(|rest| rest.chars().next())
            .map_or(0, char::len_utf8);
        if search + width > end {
            search += width;
        } else if search + 1 > end {
            search += 1;
        } else {
            search = end;
        }
    }
    out.push_str(value.get(last_end..).unwrap_or_default());
    if out.len() > max_output {
        return Err(PatternError::TooLong);
    }
    Ok(out)
}

/// Go's `Regexp.Expand` for a regex without groups: `$0`/`${0}` is the whole match.
fn expand_template(out: &mut String, template: &str, matched: &str) {
    let mut rest = template;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        rest = &rest[dollar + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        match template_name(rest) {
            Some((name, after)) => {
                if name == "0" {
                    out.push_str(matched);
                }
                rest = after;
            }
            // Malformed: the `$` is kept as text.
            None => out.push('$'),
        }
    }
    out.push_str(rest);
}

/// `name` or `{name}` at the start of `s` (letters, digits, `_`): (name, rest).
fn template_name(s: &str) -> Option<(&str, &str)> {
    let (inner, braced) = match s.strip_prefix('{') {
        Some(inner) => (inner, true),
        None => (s, false),
    };
    let len: usize = inner
        .chars()
        .take_while(|&c| is_go_letter(c) || is_go_digit(c) || c == '_')
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        return None;
    }
    let name = &inner[..len];
    let rest = &inner[len..];
    if braced {
        rest.strip_prefix('}').map(|after| (name, after))
    } else {
        Some((name, rest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meter() -> Meter {
        Meter::new(1_000_000)
    }

    #[test]
    fn reverse_pattern_keeps_escape_pairs() {
        // BuildKit's TestReversePattern cases.
        let cases = [
            ("a\\*c", "c\\*a"),
            ("\\\\\\ab", "b\\a\\\\"),
            ("ab\\", "\\ba"),
            ("👽\\🚀🖖", "🖖\\🚀👽"),
            ("\\\\b", "b\\\\"),
        ];
        for (input, expected) in cases {
            assert_eq!(reverse_pattern(input), expected, "{input:?}");
        }
    }

    /// (pattern, greedy, text, anchored, expected match)
    type FindCase = (
        &'static str,
        bool,
        &'static str,
        bool,
        Option<(usize, usize)>,
    );

    #[test]
    fn leftmost_first_like_go() {
        let cases: [FindCase; 8] = [
            ("*x", false, "axbx", true, Some((0, 2))),
            ("*x", true, "axbx", true, Some((0, 4))),
            ("*", true, "ab\ncd", true, Some((0, 2))),
            ("?", true, "\n", true, None),
            ("b*", true, "abcb", false, Some((1, 4))),
            ("", true, "abc", false, Some((0, 0))),
            ("c", true, "abc", true, None),
            ("x*y", false, "axyy", false, Some((1, 3))),
        ];
        for (pat, greedy, text, anchored, expected) in cases {
            let p = Pattern::compile(pat, greedy).unwrap();
            let got = p.find(text, 0, anchored, &mut meter()).unwrap();
            assert_eq!(got, expected, "{pat:?} on {text:?}");
        }
    }

    #[test]
    fn invalid_escapes() {
        for pat in ["\\", "\\x", "\\\\\\"] {
            assert!(matches!(
                Pattern::compile(pat, true),
                Err(PatternError::Invalid(_))
            ));
        }
    }

    #[test]
    fn replace_all_follows_go() {
        let cases = [
            ("o", "foo", "0", "f00"),
            ("", "ab", "-", "-a-b-"),
            ("*", "ab", "-", "-"),
            ("o", "foo", "[$0]", "f[o][o]"),
            ("o", "foo", "$$x${0}$1$", "f$xo$$xo$"),
        ];
        for (pat, value, rep, expected) in cases {
            let got = replace_all(pat, value, rep, 1000, &mut meter()).unwrap();
            assert_eq!(got, expected, "{pat:?} {value:?} {rep:?}");
        }
    }
}
