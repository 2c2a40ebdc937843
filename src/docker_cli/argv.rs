//! Splits a console line into argv the way a POSIX shell would for simple commands:
//! blanks separate words; `'…'` is literal; `"…"` keeps blanks and honours `\"`, `\\`,
//! `\$` and `` \` ``; a backslash outside quotes escapes the next character; `#` at the
//! start of a word begins a comment. No expansion, globbing or operators: the console
//! runs one docker command per line. Input size is bounded.

/// Longest console line accepted (bytes).
pub const MAX_LINE: usize = 64 * 1024;
/// Most words accepted on one line.
pub const MAX_WORDS: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    UnterminatedQuote(char),
    TooLong,
}

impl std::fmt::Display for SplitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SplitError::UnterminatedQuote(q) => {
                write!(f, "unexpected end of line: missing closing {q}")
            }
            SplitError::TooLong => write!(f, "the command line is too long"),
        }
    }
}

pub fn split(line: &str) -> Result<Vec<String>, SplitError> {
    if line.len() > MAX_LINE {
        return Err(SplitError::TooLong);
    }
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                    if words.len() > MAX_WORDS {
                        return Err(SplitError::TooLong);
                    }
                }
            }
            '#' if !in_word => break,
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(q) => word.push(q),
                        None => return Err(SplitError::UnterminatedQuote('\'')),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.peek().copied() {
                            Some(e @ ('"' | '\\' | '$' | '`')) => {
                                word.push(e);
                                chars.next();
                            }
                            Some('\n') => {
                                chars.next();
                            }
                            _ => word.push('\\'),
                        },
                        Some(q) => word.push(q),
                        None => return Err(SplitError::UnterminatedQuote('"')),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') => {}
                    Some(e) => word.push(e),
                    None => {}
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_like_words() {
        let cases: &[(&str, &[&str])] = &[
            ("docker ps -a", &["docker", "ps", "-a"]),
            (
                "  images   --format '{{.ID}}\\t{{.Size}}' ",
                &["images", "--format", "{{.ID}}\\t{{.Size}}"],
            ),
            (
                r#"run -e "A=1 2" alpine echo "say \"hi\"""#,
                &["run", "-e", "A=1 2", "alpine", "echo", "say \"hi\""],
            ),
            (r"echo a\ b", &["echo", "a b"]),
            ("echo ''", &["echo", ""]),
            ("ps # comment", &["ps"]),
            ("echo a#b", &["echo", "a#b"]),
        ];
        for (line, expected) in cases {
            assert_eq!(split(line).unwrap(), *expected, "{line}");
        }
        assert_eq!(split("echo 'x"), Err(SplitError::UnterminatedQuote('\'')));
    }
}
