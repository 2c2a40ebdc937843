//! Parser directives (`# syntax=…`, `# escape=…`, `# check=…`) with BuildKit's rules: they
//! are only recognised in the unbroken run of `# key=value` lines at the very top; the first
//! other line (blank line, ordinary comment, unknown key, instruction) ends the run for good.
//! A key given twice is an error. Also BuildKit's `DetectSyntax` / `ParseDirective`, which
//! look for a directive in a whole text (with `#!` shebang, `//` comments, JSON object).

use super::gostr::{is_space, to_lower};

pub const SYNTAX: &str = "syntax";
pub const ESCAPE: &str = "escape";
pub const CHECK: &str = "check";
const NAMES: [&str; 3] = [SYNTAX, ESCAPE, CHECK];

/// A directive found on one line; offsets are relative to that line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDirective {
    pub name: String,
    pub value: String,
    pub value_start: usize,
    pub value_end: usize,
}

/// BuildKit's `DirectiveParser`: feed it the lines from the top, in order.
#[derive(Debug, Clone)]
pub struct DirectiveScanner {
    prefix: &'static str,
    done: bool,
    /// Which of [`NAMES`] were met already.
    seen: [bool; 3],
}

impl Default for DirectiveScanner {
    fn default() -> Self {
        Self::new("#")
    }
}

impl DirectiveScanner {
    pub fn new(prefix: &'static str) -> Self {
        Self {
            prefix,
            done: false,
            seen: [false; 3],
        }
    }

    pub fn is_done(&self) -> bool {
        self.done
    }

    /// One line (line break removed). `Err` is BuildKit's duplicate-directive error.
    pub fn parse_line(&mut self, line: &str) -> Result<Option<FoundDirective>, String> {
        if self.done {
            return Ok(None);
        }
        let Some(after) = line.strip_prefix(self.prefix) else {
            self.done = true;
            return Ok(None);
        };
        let body = after.trim_start_matches(is_space);
        let base = line.len() - body.len();
        let Some((key, value_start, value)) = match_directive(body) else {
            self.done = true;
            return Ok(None);
        };
        let name = to_lower(key);
        let Some(index) = NAMES.iter().position(|&known| known == name) else {
            self.done = true;
            return Ok(None);
        };
        if let Some(seen) = self.seen.get_mut(index) {
            if *seen {
                return Err(format!("only one {name} parser directive can be used"));
            }
            *seen = true;
        }
        Ok(Some(FoundDirective {
            name,
            value_start: base + value_start,
            value_end: base + value_start + value.len(),
            value: value.to_string(),
        }))
    }
}

/// `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` (RE2 `\s` is `[\t\n\f\r ]`): key, value offset,
/// value.
fn match_directive(text: &str) -> Option<(&str, usize, &str)> {
    let is_re_space = |c: char| matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ');
    let bytes = text.as_bytes();
    if !bytes.first()?.is_ascii_alphabetic() {
        return None;
    }
    let key_end = bytes
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(bytes.len());
    let after_key = text[key_end..].trim_start_matches(is_re_space);
    let after_eq = after_key.strip_prefix('=')?;
    let value_part = after_eq.trim_start_matches(is_re_space);
    let value = value_part.trim_end_matches(is_re_space);
    if !value.is_empty() {
        return Some((&text[..key_end], text.len() - value_part.len(), value));
    }
    // Only blanks after `=`: the lazy group takes the last blank.
    let blanks = &after_eq[..after_eq.len() - value_part.len()];
    let last = blanks.chars().last()?;
    let start = text.len() - value_part.len() - last.len_utf8();
    Some((
        &text[..key_end],
        start,
        &text[start..start + last.len_utf8()],
    ))
}

/// The result of [`detect_syntax`] / [`parse_directive`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectedDirective {
    /// The value up to the first space.
    pub reference: String,
    /// The whole value.
    pub cmdline: String,
    /// 1-based line (0 for the JSON form without a shebang).
    pub line: usize,
}

/// BuildKit's `DetectSyntax`: `# syntax=`, else `// syntax=`, else a whole-file JSON object
/// with a string `syntax` key. A UTF-8 BOM and a first `#!` line are skipped.
pub fn detect_syntax(text: &str) -> Option<DetectedDirective> {
    find_directive(SYNTAX, text, true)
}

/// BuildKit's `ParseDirective(key, …)`: like [`detect_syntax`] but only the `#` form.
pub fn parse_directive(key: &str, text: &str) -> Option<DetectedDirective> {
    find_directive(key, text, false)
}

fn find_directive(key: &str, text: &str, any_format: bool) -> Option<DetectedDirective> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let (text, line0) = if first.starts_with("#!") {
        (rest, 1)
    } else {
        (text, 0)
    };
    let prefixes: &[&'static str] = if any_format { &["#", "//"] } else { &["#"] };
    for prefix in prefixes {
        let mut scanner = DirectiveScanner::new(prefix);
        for (i, line) in text.split('\n').enumerate() {
            if scanner.is_done() {
                break;
            }
            let line = line.strip_suffix('\r').unwrap_or(line);
            match scanner.parse_line(line) {
                Ok(Some(d)) if d.name == key => {
                    let reference = d.value.split(' ').next().unwrap_or_default().to_string();
                    return Some(DetectedDirective {
                        reference,
                        cmdline: d.value,
                        line: line0 + i + 1,
                    });
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
    }
    if any_format {
        if let Some(value) = super::json::object_string_field(text, key) {
            return Some(DetectedDirective {
                reference: value.clone(),
                cmdline: value,
                line: line0,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directive_line_shapes() {
        let mut s = DirectiveScanner::default();
        let d = s.parse_line("#  Escape =  `  ").unwrap().unwrap();
        assert_eq!((d.name.as_str(), d.value.as_str()), ("escape", "`"));
        assert_eq!(&"#  Escape =  `  "[d.value_start..d.value_end], "`");
        assert!(s.parse_line("# escape=\\").is_err());
        assert_eq!(s.parse_line("# syntax=x").unwrap().unwrap().value, "x");
        assert_eq!(s.parse_line("# key=value").unwrap(), None);
        assert!(s.is_done());
        assert_eq!(s.parse_line("# check=x").unwrap(), None);
        assert_eq!(match_directive("escape=  ").map(|m| m.2), Some(" "));
        assert_eq!(match_directive("escape="), None);
    }
}
