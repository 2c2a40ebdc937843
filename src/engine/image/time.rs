//! Logical time ↔ RFC 3339 text (`2021-04-14T19:19:39Z`), without a clock or a date crate.

use crate::engine::vfs::Time;

use crate::calendar::{civil_from_days, days_from_civil};

/// `2021-04-14T19:19:39Z` for a logical time in seconds.
pub fn format_rfc3339(t: Time) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` to whole seconds.
pub fn parse_rfc3339(s: &str) -> Option<Time> {
    let b = s.as_bytes();
    if b.len() < 20 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> { s.get(r)?.parse().ok() };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let mut rest = s.get(19..)?;
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        rest = frac.get(n..)?;
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let oh: i64 = rest.get(1..3)?.parse().ok()?;
            let om: i64 = rest.get(4..6)?.parse().ok()?;
            sign * (oh * 3600 + om * 60)
        }
    };
    let days = days_from_civil(y, mo as u32, d as u32);
    Some(days * 86_400 + h * 3600 + mi * 60 + se - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_known_dates() {
        for (t, s) in [
            (0, "1970-01-01T00:00:00Z"),
            (1_618_427_979, "2021-04-14T19:19:39Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (-86_400, "1969-12-31T00:00:00Z"),
        ] {
            assert_eq!(format_rfc3339(t), s);
            assert_eq!(parse_rfc3339(s), Some(t));
        }
        assert_eq!(
            parse_rfc3339("2021-04-14T23:19:42.873776727Z"),
            Some(1_618_442_382)
        );
        assert_eq!(
            parse_rfc3339("2021-04-14T21:19:39+02:00"),
            Some(1_618_427_979)
        );
        assert_eq!(parse_rfc3339("not a date"), None);
    }
}
