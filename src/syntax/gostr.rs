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

/// `strings.TrimSpace`, returning the byte offset of the kept part too.
pub fn trim_space(s: &str) -> (usize, &str) {
    let start = s.len() - s.trim_start_matches(is_space).len();
    (start, s[start..].trim_end_matches(is_space))
}

/// `strings.ToLower`: every rune mapped to exactly one rune.
pub fn to_lower(s: &str) -> String {
    s.chars().map(lower_char).collect()
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

/// Go's `strconv.Quote`.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if is_print(c) => out.push(c),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Assigned code points that Go's `unicode.IsPrint` rejects above ASCII: C1 controls, the
/// space separators other than U+0020, line/paragraph separators, format characters and
/// private use (Unicode 14 tables), plus the noncharacters.
const NOT_PRINTABLE: &[(u32, u32)] = &[
    (0x80, 0xa0),
    (0xad, 0xad),
    (0x600, 0x605),
    (0x61c, 0x61c),
    (0x6dd, 0x6dd),
    (0x70f, 0x70f),
    (0x890, 0x891),
    (0x8e2, 0x8e2),
    (0x1680, 0x1680),
    (0x180e, 0x180e),
    (0x2000, 0x200f),
    (0x2028, 0x202f),
    (0x205f, 0x2064),
    (0x2066, 0x206f),
    (0x3000, 0x3000),
    (0xe000, 0xf8ff),
    (0xfdd0, 0xfdef),
    (0xfeff, 0xfeff),
    (0xfff9, 0xfffb),
    (0x110bd, 0x110bd),
    (0x110cd, 0x110cd),
    (0x13430, 0x13438),
    (0x1bca0, 0x1bca3),
    (0x1d173, 0x1d17a),
    (0xe0001, 0xe0001),
    (0xe0020, 0xe007f),
    (0xf0000, 0x10ffff),
];

/// Go's `unicode.IsPrint` (see the module note about unassigned code points).
pub fn is_print(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return (0x20..0x7f).contains(&u);
    }
    if u & 0xfffe == 0xfffe {
        return false;
    }
    !NOT_PRINTABLE.iter().any(|&(lo, hi)| (lo..=hi).contains(&u))
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
    fn quote_matches_go() {
        let cases = [
            ("a\"b\\c", r#""a\"b\\c""#),
            ("\u{0}\u{7f}\t", r#""\x00\x7f\t""#),
            ("♥ é", "\"♥ é\""),
            ("\u{a0}\u{feff}", r#""\u00a0\ufeff""#),
            ("\u{e0001}", r#""\U000e0001""#),
        ];
        for (input, expected) in cases {
            assert_eq!(quote(input), expected, "{input:?}");
        }
    }

    #[test]
    fn case_mapping_is_one_rune() {
        assert_eq!(to_lower("ENTRYPO\u{130}NT"), "entrypoint");
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
