//! Go library parsers whose exact acceptance and error texts show up in BuildKit's
//! messages: `time.ParseDuration`, `strconv.ParseInt(s, 10, 32)`, `strconv.ParseBool`,
//! `strconv.ParseUint(s, base, 32)` and go-units' `RAMInBytes`.

use crate::text::go_quote as quote;

/// `time.ParseDuration`, in nanoseconds.
pub fn parse_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", quote(orig));
    let mut s = orig;
    let mut neg = false;
    if let Some(c) = s.chars().next() {
        if c == '-' || c == '+' {
            neg = c == '-';
            s = &s[1..];
        }
    }
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    const LIMIT: u64 = 1 << 63;
    let mut total: u64 = 0;
    while !s.is_empty() {
        let first = s.as_bytes()[0];
        if !(first == b'.' || first.is_ascii_digit()) {
            return Err(invalid());
        }
        let before = s.len();
        let (v, rest) = leading_int(s).ok_or_else(invalid)?;
        s = rest;
        let pre = before != s.len();
        let (mut f, mut scale, mut post) = (0u64, 1f64, false);
        if let Some(rest) = s.strip_prefix('.') {
            let before = rest.len();
            let (x, sc, rest) = leading_fraction(rest);
            f = x;
            scale = sc;
            s = rest;
            post = before != s.len();
        }
        if !pre && !post {
            return Err(invalid());
        }
        let unit_len = s
            .find(|c: char| c == '.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        let unit = &s[..unit_len];
        s = &s[unit_len..];
        if unit.is_empty() {
            return Err(format!("time: missing unit in duration {}", quote(orig)));
        }
        let unit_ns: u64 = match unit {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    quote(unit),
                    quote(orig)
                ))
            }
        };
        if v > LIMIT / unit_ns {
            return Err(invalid());
        }
        let mut v = v * unit_ns;
        if f > 0 {
            v += (f as f64 * (unit_ns as f64 / scale)) as u64;
            if v > LIMIT {
                return Err(invalid());
            }
        }
        total += v;
        if total > LIMIT {
            return Err(invalid());
        }
    }
    if neg {
        return Ok((total as i128).wrapping_neg() as i64);
    }
    if total > LIMIT - 1 {
        return Err(invalid());
    }
    Ok(total as i64)
}

fn leading_int(s: &str) -> Option<(u64, &str)> {
    let mut x: u64 = 0;
    let mut i = 0;
    for &c in s.as_bytes() {
        if !c.is_ascii_digit() {
            break;
        }
        if x > (1 << 63) / 10 {
            return None;
        }
        x = x * 10 + u64::from(c - b'0');
        if x > 1 << 63 {
            return None;
        }
        i += 1;
    }
    Some((x, &s[i..]))
}

fn leading_fraction(s: &str) -> (u64, f64, &str) {
    let mut x: u64 = 0;
    let mut scale = 1f64;
    let mut overflow = false;
    let mut i = 0;
    for &c in s.as_bytes() {
        if !c.is_ascii_digit() {
            break;
        }
        i += 1;
        if overflow {
            continue;
        }
        if x > ((1u64 << 63) - 1) / 10 {
            overflow = true;
            continue;
        }
        let y = x * 10 + u64::from(c - b'0');
        if y > 1 << 63 {
            overflow = true;
            continue;
        }
        x = y;
        scale *= 10.0;
    }
    (x, scale, &s[i..])
}

/// `strconv.ParseInt(s, 10, 32)`.
pub fn parse_int32(s: &str) -> Result<i64, String> {
    let syntax = || format!("strconv.ParseInt: parsing {}: invalid syntax", quote(s));
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(syntax());
    }
    let value: i128 = digits
        .bytes()
        .try_fold(0i128, |acc, b| {
            let next = acc * 10 + i128::from(b - b'0');
            (next <= 1 << 40).then_some(next)
        })
        .unwrap_or(1 << 40);
    let value = if s.starts_with('-') { -value } else { value };
    if value < i128::from(i32::MIN) || value > i128::from(i32::MAX) {
        return Err(format!(
            "strconv.ParseInt: parsing {}: value out of range",
            quote(s)
        ));
    }
    Ok(value as i64)
}

/// `strconv.ParseUint(s, base, 32)` (no sign, no prefix, no underscores).
pub fn parse_uint32(s: &str, base: u32) -> Option<u64> {
    if s.is_empty() || !s.chars().all(|c| c.is_digit(base)) {
        return None;
    }
    u32::from_str_radix(s, base).ok().map(u64::from)
}

/// `strconv.ParseBool`.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// go-units `RAMInBytes`: a number with an optional binary unit (`64m`, `1.5GiB`, `10 kb`).
pub fn ram_in_bytes(size: &str) -> Option<i64> {
    let sep = size.rfind(|c: char| c.is_ascii_digit() || c == '.' || c == ' ')?;
    let (num, suffix) = if size.as_bytes()[sep] == b' ' {
        (&size[..sep], &size[sep + 1..])
    } else {
        (&size[..=sep], &size[sep + 1..])
    };
    let value: f64 = num.parse().ok().filter(|v: &f64| v.is_finite())?;
    if value < 0.0 {
        return None;
    }
    if suffix.is_empty() {
        return Some(value as i64);
    }
    let suffix = suffix.to_ascii_lowercase();
    if suffix.len() > 3 {
        return None;
    }
    let mut chars = suffix.chars();
    let multiplier: f64 = match chars.next()? {
        'b' => return (suffix.len() == 1).then_some(value as i64),
        'k' => 1024.0,
        'm' => 1024f64.powi(2),
        'g' => 1024f64.powi(3),
        't' => 1024f64.powi(4),
        'p' => 1024f64.powi(5),
        _ => return None,
    };
    let tail: String = chars.collect();
    if !(tail.is_empty() || tail == "b" || tail == "ib") {
        return None;
    }
    Some((value * multiplier) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_like_go() {
        let ok = [
            ("5s", 5_000_000_000),
            ("1m30s", 90_000_000_000),
            ("1.5h", 5_400_000_000_000),
            ("0", 0),
            ("0ms", 0),
            ("-2ms", -2_000_000),
            ("50ns", 50),
            ("1\u{b5}s", 1_000),
        ];
        for (s, ns) in ok {
            assert_eq!(parse_duration(s), Ok(ns), "{s}");
        }
        assert_eq!(
            parse_duration("5"),
            Err("time: missing unit in duration \"5\"".into())
        );
        assert_eq!(
            parse_duration("5x"),
            Err("time: unknown unit \"x\" in duration \"5x\"".into())
        );
        assert_eq!(
            parse_duration(""),
            Err("time: invalid duration \"\"".into())
        );
        assert!(parse_duration("99999999999h").is_err());
    }

    #[test]
    fn integers_and_sizes() {
        assert_eq!(parse_int32("+3"), Ok(3));
        assert_eq!(
            parse_int32("x"),
            Err("strconv.ParseInt: parsing \"x\": invalid syntax".into())
        );
        assert!(parse_int32("2147483648")
            .unwrap_err()
            .ends_with("value out of range"));
        assert_eq!(parse_uint32("0755", 8), Some(0o755));
        assert_eq!(ram_in_bytes("64m"), Some(64 << 20));
        assert_eq!(ram_in_bytes("1.5 GiB"), Some(3 << 29));
        assert_eq!(ram_in_bytes("10"), Some(10));
        assert_eq!(ram_in_bytes("10x"), None);
        assert_eq!(ram_in_bytes("mb"), None);
    }
}
