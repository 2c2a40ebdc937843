//! Logical time: the core has no clock, so "now" and every timestamp are plain numbers
//! (seconds and nanoseconds since the Unix epoch, UTC). This module turns them into the
//! strings Go prints: `time.Time.String()` (`2017-01-01 12:00:03 +0000 UTC`), RFC 3339
//! (`2017-01-01T12:00:03Z`), RFC 3339 with trimmed nanoseconds (what the daemon's JSON
//! holds) and "x ago" durations. The playground's time zone is always UTC.

use super::units::{self, GoDuration, NANOS_PER_SECOND};
use serde::{Deserialize, Serialize};

/// A point in logical time, UTC. `nanos` is always below one second.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct LogicalTime {
    pub secs: i64,
    pub nanos: u32,
}

impl LogicalTime {
    pub const fn from_unix(secs: i64) -> Self {
        Self { secs, nanos: 0 }
    }

    pub fn from_unix_nanos(total: i128) -> Self {
        let nanos_per_sec = i128::from(NANOS_PER_SECOND);
        let secs = total.div_euclid(nanos_per_sec);
        let nanos = total.rem_euclid(nanos_per_sec);
        Self {
            secs: i64::try_from(secs).unwrap_or(if secs < 0 { i64::MIN } else { i64::MAX }),
            nanos: u32::try_from(nanos).unwrap_or(0),
        }
    }

    pub fn unix_nanos(self) -> i128 {
        i128::from(self.secs) * i128::from(NANOS_PER_SECOND) + i128::from(self.nanos)
    }

    /// `now.Sub(self)` as a Go duration (saturating like Go's `Time.Sub`).
    pub fn since(self, now: LogicalTime) -> GoDuration {
        let delta = now.unix_nanos() - self.unix_nanos();
        GoDuration::try_from(delta).unwrap_or(if delta < 0 {
            GoDuration::MIN
        } else {
            GoDuration::MAX
        })
    }

    /// `units.HumanDuration(now.Sub(t)) + " ago"`.
    pub fn ago(self, now: LogicalTime) -> String {
        format!("{} ago", units::human_duration(self.since(now)))
    }

    /// Go's `time.Unix(secs, 0).String()` in UTC: `2017-01-01 12:00:03 +0000 UTC`.
    pub fn go_string(self) -> String {
        let civil = Civil::from_unix(self.secs);
        let mut out = format!(
            "{} {:02}:{:02}:{:02}",
            civil.date(),
            civil.hour,
            civil.minute,
            civil.second
        );
        out.push_str(&fraction(self.nanos));
        out.push_str(" +0000 UTC");
        out
    }

    /// RFC 3339 without fractional seconds: `2017-01-01T12:00:03Z`.
    pub fn rfc3339(self) -> String {
        let civil = Civil::from_unix(self.secs);
        format!(
            "{}T{:02}:{:02}:{:02}Z",
            civil.date(),
            civil.hour,
            civil.minute,
            civil.second
        )
    }

    /// RFC 3339 with nanoseconds, trailing zeros trimmed (Go's `time.RFC3339Nano`), as in
    /// the daemon's JSON: `2024-03-01T10:00:00.5Z`.
    pub fn rfc3339_nano(self) -> String {
        let civil = Civil::from_unix(self.secs);
        format!(
            "{}T{:02}:{:02}:{:02}{}Z",
            civil.date(),
            civil.hour,
            civil.minute,
            civil.second,
            fraction(self.nanos)
        )
    }
}

/// Go's zero time `0001-01-01 00:00:00 +0000 UTC`, printed for images without a date.
pub const GO_ZERO_TIME_STRING: &str = "0001-01-01 00:00:00 +0000 UTC";
/// Go's zero time in RFC 3339 (what the daemon puts in `FinishedAt` of a fresh container).
pub const GO_ZERO_TIME_RFC3339: &str = "0001-01-01T00:00:00Z";

fn fraction(nanos: u32) -> String {
    if nanos == 0 {
        return String::new();
    }
    let digits = format!(".{nanos:09}");
    digits.trim_end_matches('0').to_string()
}

struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl Civil {
    /// Days-to-civil conversion (proleptic Gregorian calendar, H. Hinnant's algorithm).
    fn from_unix(secs: i64) -> Civil {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (year, month, day) = crate::calendar::civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: (rem / 3600) as u32,
            minute: ((rem % 3600) / 60) as u32,
            second: (rem % 60) as u32,
        }
    }

    fn date(&self) -> String {
        if self.year < 0 {
            format!("-{:04}-{:02}-{:02}", -self.year, self.month, self.day)
        } else {
            format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
        }
    }
}

/// Parses the RFC 3339 subset the daemon writes (`YYYY-MM-DDTHH:MM:SS[.frac]Z`).
/// Returns `None` for anything else.
pub fn parse_rfc3339(text: &str) -> Option<LogicalTime> {
    let bytes = text.as_bytes();
    if bytes.len() < 20 || !text.is_ascii() {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> { text.get(range)?.parse().ok() };
    let year = num(0..4)?;
    let month = num(5..7)?;
    let day = num(8..10)?;
    let hour = num(11..13)?;
    let minute = num(14..16)?;
    let second = num(17..19)?;
    let mut nanos: u32 = 0;
    let rest = text.get(19..)?;
    let rest = if let Some(frac) = rest.strip_prefix('.') {
        let digits: String = frac.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() || digits.len() > 9 {
            return None;
        }
        nanos = format!("{digits:0<9}").parse().ok()?;
        frac.get(digits.len()..)?
    } else {
        rest
    };
    if rest != "Z" || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let days = crate::calendar::days_from_civil(year, month as u32, day as u32);
    Some(LogicalTime {
        secs: days * 86_400 + hour * 3600 + minute * 60 + second,
        nanos,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_time_strings() {
        // 2017-01-01 12:00:03 UTC is the time used by docker/cli's history golden file.
        let t = LogicalTime::from_unix(1_483_272_003);
        assert_eq!(t.go_string(), "2017-01-01 12:00:03 +0000 UTC");
        assert_eq!(t.rfc3339(), "2017-01-01T12:00:03Z");
        let nano = LogicalTime {
            secs: 1_483_272_003,
            nanos: 500_000_000,
        };
        assert_eq!(nano.rfc3339_nano(), "2017-01-01T12:00:03.5Z");
        assert_eq!(parse_rfc3339("2017-01-01T12:00:03.5Z"), Some(nano));
        assert_eq!(
            LogicalTime::from_unix(-62_135_596_800).go_string(),
            GO_ZERO_TIME_STRING
        );
    }
}
