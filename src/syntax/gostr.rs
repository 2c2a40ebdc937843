//! The handful of Go string semantics BuildKit's front end depends on, so our results are
//! byte-for-byte the same: `unicode.IsSpace`, `strings.TrimSpace`, `strings.ToLower`/`ToUpper`
//! (one rune in, one rune out), `strings.EqualFold`, `strconv.Quote` and the Levenshtein
//! distance used for "did you mean" suggestions.
//!
//! Known deviation: Go's `strconv.Quote` also escapes *unassigned* code points; we only know
//! the assigned non-printable ones (controls, format characters, separators, private use), so
//! an unassigned code point is written literally.

/// Go's `unicode.IsSpace`: the Unicode `White_Space` property, which is what Rust uses too.
pub fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Go's `unicode.IsSpace` applied to a single byte taken as a Latin-1 rune, as BuildKit does
/// when it walks a line byte by byte (flag extraction, HEALTHCHECK): 0x85 and 0xA0 count.
pub fn is_space_byte(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | 0x85 | 0xa0)
}

/// An ASCII byte that `unicode.IsSpace` accepts.
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

/// `s` without leading [`is_space`] characters (ASCII looked at byte by byte).
pub fn trim_start_space(s: &str) -> &str {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if is_ascii_space(b) {
            i += 1;
        } else if b < 0x80 {
            return s.get(i..).unwrap_or_default();
        } else {
            return s.get(i..).unwrap_or_default().trim_start_matches(is_space);
        }
    }
    ""
}

/// `s` without trailing [`is_space`] characters (ASCII looked at byte by byte).
pub fn trim_end_space(s: &str) -> &str {
    let bytes = s.as_bytes();
    let mut end = bytes.len();
    while let Some(&b) = end.checked_sub(1).and_then(|i| bytes.get(i)) {
        if is_ascii_space(b) {
            end -= 1;
        } else if b < 0x80 {
            return s.get(..end).unwrap_or_default();
        } else {
            return s.get(..end).unwrap_or_default().trim_end_matches(is_space);
        }
    }
    ""
}

/// `strings.TrimSpace`, returning the byte offset of the kept part too.
pub fn trim_space(s: &str) -> (usize, &str) {
    let rest = trim_start_space(s);
    (s.len() - rest.len(), trim_end_space(rest))
}

/// `strings.ToLower`: every rune mapped to exactly one rune.
pub fn to_lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.chars().map(lower_char).collect()
}

/// `to_lower(s) == lower`, without allocating.
pub fn eq_lower(s: &str, lower: &str) -> bool {
    if s.is_ascii() {
        return s.len() == lower.len()
            && s.bytes()
                .zip(lower.bytes())
                .all(|(a, b)| a.to_ascii_lowercase() == b);
    }
    s.chars().map(lower_char).eq(lower.chars())
}

/// `strings.ToUpper`: every rune mapped to exactly one rune.
pub fn to_upper(s: &str) -> String {
    s.chars().map(upper_char).collect()
}

fn lower_char(c: char) -> char {
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l,
        // Only U+0130 lower-cases to two chars in Rust; Go maps it to a plain `i`.
        (Some(l), Some(_)) if c == '\u{130}' => l,
        _ => c,
    }
}

fn upper_char(c: char) -> char {
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        // Go has no one-rune upper case for e.g. `ß`: it stays.
        _ => c,
    }
}

/// `strings.EqualFold` (simple case folding).
pub fn equal_fold(a: &str, b: &str) -> bool {
    let mut x = a.chars();
    let mut y = b.chars();
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) => {
                if p != q && lower_char(p) != lower_char(q) && upper_char(p) != upper_char(q) {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// Levenshtein distance over chars (insert, delete, substitute all cost 1).
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// BuildKit's `suggest.Search`: the closest option at distance < 3, in the case of the
/// value when the search is case-insensitive. `None` also for an exact match.
pub fn suggest<'a>(
    value: &str,
    options: impl IntoIterator<Item = &'a str>,
    case_sensitive: bool,
) -> Option<String> {
    let val = if case_sensitive {
        value.to_string()
    } else {
        to_lower(value)
    };
    let mut best: Option<String> = None;
    let mut min = 3;
    for opt in options {
        let opt = if case_sensitive {
            opt.to_string()
        } else {
            to_lower(opt)
        };
        if opt == val {
            return None;
        }
        let dist = levenshtein(&val, &opt);
        if dist < min {
            min = dist;
            // Upper-case the hint only when the value was all upper case (Go's matchCase).
            let upper = !case_sensitive && value != to_lower(value) && value == to_upper(value);
            best = Some(if upper { to_upper(&opt) } else { opt });
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimming_like_go() {
        let s = " \t\u{a0}a b\u{2003}\n \u{85}";
        assert_eq!(trim_space(s), (4, "a b"));
        assert_eq!(trim_start_space(s), s.trim_start_matches(is_space));
        assert_eq!(trim_end_space(s), s.trim_end_matches(is_space));
        assert_eq!(trim_space(" \r\n"), (3, ""));
        assert_eq!(trim_space("x"), (0, "x"));
    }

    #[test]
    fn case_mapping_is_one_rune() {
        assert_eq!(to_lower("ENTRYPO\u{130}NT"), "entrypoint");
        assert!(eq_lower("ENTRYPO\u{130}NT", "entrypoint"));
        assert!(eq_lower("Run", "run") && !eq_lower("Run", "RUN") && !eq_lower("runs", "run"));
        assert_eq!(to_upper("straße"), "STRAßE");
        assert!(equal_fold("a\u{17f}", "AS"));
        assert!(!equal_fold("as", "a"));
    }

    #[test]
    fn suggestions_follow_buildkit() {
        let names = ["FROM", "RUN", "COPY"];
        assert_eq!(suggest("RUNN", names, false).as_deref(), Some("RUN"));
        assert_eq!(suggest("cpy", names, false).as_deref(), Some("copy"));
        assert_eq!(suggest("xyzzy", names, false), None);
        assert_eq!(suggest("run", names, false), None);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }
}
