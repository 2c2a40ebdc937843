//! Path patterns as Docker uses them.
//!
//! - [`go_match`]: Go's `filepath.Match` on one path (COPY/ADD source wildcards): `*` and `?`
//!   never cross `/`, `[…]` classes with ranges and `^`/`!` negation, `\` escapes.
//! - [`IgnoreMatcher`]: `.dockerignore` rules (moby/patternmatcher): patterns are cleaned,
//!   a leading `/` is dropped, `**` matches any number of directories, `!` re-includes, the
//!   last matching pattern wins, and a pattern that matches a parent directory excludes
//!   everything below it.
//!
//! Both run in time linear in the pattern times the path (no backtracking blow-up).

/// A malformed pattern, with Go's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPattern;

impl std::fmt::Display for BadPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("syntax error in pattern")
    }
}

/// True when the text contains a wildcard that `go_match` would interpret.
pub fn has_wildcards(pattern: &str) -> bool {
    let bytes = pattern.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'*' | b'?' | b'[' => return true,
            b'\\' => i += 1,
            _ => {}
        }
        i += 1;
    }
    false
}

/// Go's `filepath.Match(pattern, name)` with `/` as the separator.
pub fn go_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    let (mut p, mut n) = (&pattern[..], &name[..]);
    'pattern: while !p.is_empty() {
        let (star, chunk, rest) = scan_chunk(p);
        p = rest;
        if star && chunk.is_empty() {
            // A trailing star matches the rest of the name unless it has a separator.
            return Ok(!n.contains(&'/'));
        }
        // Try the chunk at the current position.
        // At the end of the pattern only a match that uses up the name counts.
        if let Some(tail) = match_chunk(chunk, n)? {
            if !p.is_empty() || tail.is_empty() {
                n = tail;
                continue;
            }
        }
        if star {
            // Slide the star over name characters, never past a separator.
            let mut i = 0;
            while i < n.len() && n[i] != '/' {
                i += 1;
                if let Some(tail) = match_chunk(chunk, &n[i..])? {
                    if p.is_empty() && !tail.is_empty() {
                        continue;
                    }
                    n = tail;
                    continue 'pattern;
                }
            }
        }
        // Go keeps validating the rest of the pattern to report syntax errors.
        while !p.is_empty() {
            let (_, chunk, rest) = scan_chunk(p);
            p = rest;
            match_chunk(chunk, &[])?;
        }
        return Ok(false);
    }
    Ok(n.is_empty())
}

/// Splits off the next run of stars and the chunk up to the following star.
fn scan_chunk(mut pattern: &[char]) -> (bool, &[char], &[char]) {
    let mut star = false;
    while pattern.first() == Some(&'*') {
        pattern = &pattern[1..];
        star = true;
    }
    let mut in_range = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            '\\' if i + 1 < pattern.len() => i += 1,
            '[' => in_range = true,
            ']' => in_range = false,
            '*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pattern[..i], &pattern[i..])
}

/// Matches a star-free chunk at the start of `name`; returns the rest of the name.
/// Syntax errors are reported even when the name runs out (as Go does).
fn match_chunk<'n>(chunk: &[char], name: &'n [char]) -> Result<Option<&'n [char]>, BadPattern> {
    let mut c = chunk;
    let mut s = name;
    let mut failed = false;
    while !c.is_empty() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match c[0] {
            '[' => {
                let ch = s.first().copied();
                if !failed {
                    s = &s[1..];
                }
                c = &c[1..];
                let negated = matches!(c.first(), Some('^') | Some('!'));
                if negated {
                    c = &c[1..];
                }
                let mut matched = false;
                let mut ranges = 0;
                loop {
                    if !c.is_empty() && c[0] == ']' && ranges > 0 {
                        c = &c[1..];
                        break;
                    }
                    let (lo, rest) = class_char(c)?;
                    c = rest;
                    let mut hi = lo;
                    if c.first() == Some(&'-') {
                        let (h, rest) = class_char(&c[1..])?;
                        hi = h;
                        c = rest;
                    }
                    if let Some(ch) = ch {
                        if lo <= ch && ch <= hi {
                            matched = true;
                        }
                    }
                    ranges += 1;
                }
                if matched == negated || ch == Some('/') {
                    failed = true;
                }
            }
            '?' => {
                if !failed {
                    if s[0] == '/' {
                        failed = true;
                    }
                    s = &s[1..];
                }
                c = &c[1..];
            }
            '\\' => {
                c = &c[1..];
                if c.is_empty() {
                    return Err(BadPattern);
                }
                if !failed {
                    if c[0] != s[0] {
                        failed = true;
                    }
                    s = &s[1..];
                }
                c = &c[1..];
            }
            ch => {
                if !failed {
                    if ch != s[0] {
                        failed = true;
                    }
                    s = &s[1..];
                }
                c = &c[1..];
            }
        }
    }
    Ok(if failed { None } else { Some(s) })
}

fn class_char(chunk: &[char]) -> Result<(char, &[char]), BadPattern> {
    match chunk {
        [] | ['-', ..] | [']', ..] => Err(BadPattern),
        ['\\', ch, rest @ ..] => Ok((*ch, rest)),
        ['\\'] => Err(BadPattern),
        [ch, rest @ ..] => Ok((*ch, rest)),
    }
}

/// Lexically cleans a slash path like Go's `path.Clean`, without a leading `./`.
pub fn clean_path(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

#[derive(Debug, Clone)]
struct IgnorePattern {
    segments: Vec<String>,
    exclusion: bool,
}

/// `.dockerignore` rules, in file order.
#[derive(Debug, Clone, Default)]
pub struct IgnoreMatcher {
    patterns: Vec<IgnorePattern>,
}

impl IgnoreMatcher {
    /// Reads a `.dockerignore` text: one pattern a line, `#` comments, blank lines skipped.
    pub fn parse(text: &str) -> Self {
        let patterns = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .filter_map(|line| {
                let (exclusion, raw) = match line.strip_prefix('!') {
                    Some(rest) => (true, rest.trim()),
                    None => (false, line),
                };
                let cleaned = clean_path(raw);
                let cleaned = cleaned.trim_start_matches('/');
                if cleaned.is_empty() || cleaned == "." {
                    return None;
                }
                Some(IgnorePattern {
                    segments: cleaned.split('/').map(str::to_string).collect(),
                    exclusion,
                })
            })
            .collect();
        Self { patterns }
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether a context path (relative, `/`-separated) is left out of the build context.
    pub fn is_excluded(&self, path: &str) -> bool {
        let cleaned = clean_path(path);
        let segments: Vec<&str> = cleaned
            .trim_start_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        let mut excluded = false;
        for pattern in &self.patterns {
            // A pattern matching the path itself or any parent directory applies.
            let applies =
                (1..=segments.len()).any(|len| match_segments(&pattern.segments, &segments[..len]));
            if applies {
                excluded = !pattern.exclusion;
            }
        }
        excluded
    }
}

/// Segment-wise match where a `**` segment spans any number of path segments.
fn match_segments(pattern: &[String], path: &[&str]) -> bool {
    // reachable[j]: the pattern prefix consumed so far can end right before path[j].
    let mut reachable = vec![false; path.len() + 1];
    reachable[0] = true;
    for segment in pattern {
        let mut next = vec![false; path.len() + 1];
        if segment == "**" {
            let mut seen = false;
            for j in 0..=path.len() {
                seen |= reachable[j];
                next[j] = seen;
            }
        } else {
            for j in 0..path.len() {
                if reachable[j] && go_match(segment, path[j]).unwrap_or(false) {
                    next[j + 1] = true;
                }
            }
        }
        reachable = next;
    }
    reachable[path.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cases from the documentation of Go's `filepath.Match` and its test table.
    #[test]
    fn go_match_agrees_with_go() {
        let cases: &[(&str, &str, Result<bool, BadPattern>)] = &[
            ("abc", "abc", Ok(true)),
            ("*", "abc", Ok(true)),
            ("*c", "abc", Ok(true)),
            ("a*", "a", Ok(true)),
            ("a*", "abc", Ok(true)),
            ("a*", "ab/c", Ok(false)),
            ("a*/b", "abc/b", Ok(true)),
            ("a*/b", "a/c/b", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", Ok(true)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", Ok(true)),
            ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", Ok(false)),
            ("a*b?c*x", "abxbbxdbxebxczzx", Ok(true)),
            ("a*b?c*x", "abxbbxdbxebxczzy", Ok(false)),
            ("ab[c]", "abc", Ok(true)),
            ("ab[b-d]", "abc", Ok(true)),
            ("ab[e-g]", "abc", Ok(false)),
            ("ab[^c]", "abc", Ok(false)),
            ("ab[^b-d]", "abc", Ok(false)),
            ("ab[^e-g]", "abc", Ok(true)),
            ("a\\*b", "a*b", Ok(true)),
            ("a\\*b", "ab", Ok(false)),
            ("a?b", "a☺b", Ok(true)),
            ("a[^a]b", "a☺b", Ok(true)),
            ("a???b", "a☺b", Ok(false)),
            ("a[!a]b", "a☺b", Ok(true)),
            ("[a-ζ]*", "α", Ok(true)),
            ("*[a-ζ]", "A", Ok(false)),
            ("a?b", "a/b", Ok(false)),
            ("a*b", "a/b", Ok(false)),
            ("[\\]a]", "]", Ok(true)),
            ("[\\-]", "-", Ok(true)),
            ("[x\\-]", "x", Ok(true)),
            ("[x\\-]", "-", Ok(true)),
            ("[x\\-]", "z", Ok(false)),
            ("[\\-x]", "x", Ok(true)),
            ("[\\-x]", "-", Ok(true)),
            ("[\\-x]", "a", Ok(false)),
            ("[]a]", "]", Err(BadPattern)),
            ("[-]", "-", Err(BadPattern)),
            ("[x-]", "x", Err(BadPattern)),
            ("[x-]", "-", Err(BadPattern)),
            ("[x-]", "z", Err(BadPattern)),
            ("[-x]", "x", Err(BadPattern)),
            ("[-x]", "-", Err(BadPattern)),
            ("[-x]", "a", Err(BadPattern)),
            ("\\", "a", Err(BadPattern)),
            ("[a-b-c]", "a", Err(BadPattern)),
            ("[", "a", Err(BadPattern)),
            ("[^", "a", Err(BadPattern)),
            ("[^bc", "a", Err(BadPattern)),
            ("a[", "a", Err(BadPattern)),
            ("a[", "ab", Err(BadPattern)),
            ("a[", "x", Err(BadPattern)),
            ("a/b[", "x", Err(BadPattern)),
            ("*x", "xxx", Ok(true)),
        ];
        for (pattern, name, expected) in cases {
            assert_eq!(
                &go_match(pattern, name),
                expected,
                "Match({pattern:?}, {name:?})"
            );
        }
    }

    #[test]
    fn clean_path_is_go_path_clean() {
        for (input, expected) in [
            ("", "."),
            ("a/./b", "a/b"),
            ("a/../b", "b"),
            ("/../a", "/a"),
            ("../a", "../a"),
            ("a//b/", "a/b"),
            ("/", "/"),
        ] {
            assert_eq!(clean_path(input), expected, "{input:?}");
        }
    }

    #[test]
    fn dockerignore_rules() {
        let matcher = IgnoreMatcher::parse(
            "# comment\n*.md\n!README.md\nnode_modules\n**/*.log\n/tmp/*\n docs/**/draft* \n",
        );
        let cases = [
            ("notes.md", true),
            ("README.md", false),
            ("sub/notes.md", false), // `*.md` does not cross directories
            ("node_modules", true),
            ("node_modules/x/index.js", true), // a parent directory matches
            ("app.log", true),
            ("a/b/c.log", true),
            ("tmp/x", true),
            ("tmp", false),
            ("docs/draft1", true),
            ("docs/a/b/draft2.txt", true),
            ("src/main.go", false),
        ];
        for (path, expected) in cases {
            assert_eq!(matcher.is_excluded(path), expected, "{path}");
        }
    }
}
