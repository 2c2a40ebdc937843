//! Human-readable sizes and durations exactly as `github.com/docker/go-units` prints them.
//!
//! Docker formats sizes with Go's `fmt.Sprintf("%.*g%s", precision, size, unit)` after
//! dividing by 1000 until the value is below 1000 (decimal units, lower-case `kB`). The
//! `%g` rules (shortest digits, exponent form when the exponent reaches the precision) are
//! reproduced here, including the odd corners such as `999.9kB` rounding to `1e+03kB`.
//! Durations follow `units.HumanDuration`, which works on a Go `time.Duration` (nanoseconds
//! in an `i64`) and converts to floating point the same way Go does.

const DECIMAL_UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];

/// `units.HumanSizeWithPrecision(size, precision)`: `25B`, `5.61MB`, `1.2kB`, `0B`.
pub fn human_size_with_precision(size: f64, precision: usize) -> String {
    let mut value = size;
    let mut unit = 0;
    while value >= 1000.0 && unit < DECIMAL_UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    let suffix = DECIMAL_UNITS.get(unit).copied().unwrap_or("YB");
    format!("{}{}", format_g(value, precision), suffix)
}

/// `units.HumanSize(size)`: four significant digits (`1.049MB`). Used by `system df`.
pub fn human_size(size: f64) -> String {
    human_size_with_precision(size, 4)
}

/// The size columns of most tables: three significant digits.
pub fn size3(bytes: i64) -> String {
    human_size_with_precision(bytes as f64, 3)
}

/// Go's `%.{precision}g` for a finite or infinite `f64`.
pub fn format_g(value: f64, precision: usize) -> String {
    if value.is_nan() {
        return "NaN".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    let precision = precision.clamp(1, 17);
    let sign = if value.is_sign_negative() && value != 0.0 {
        "-"
    } else {
        ""
    };
    let magnitude = value.abs();
    if magnitude == 0.0 {
        return format!("{sign}0");
    }
    // Correctly rounded significant digits (Rust and Go both round half to even on exact ties).
    let scientific = format!("{:.*e}", precision - 1, magnitude);
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    let nd = digits.len() as i32;
    let dp = exponent + 1;

    let mut eprec = precision as i32;
    if eprec > nd && nd >= dp {
        eprec = nd;
    }
    let exp = dp - 1;
    let mut out = String::from(sign);
    if exp < -4 || exp >= eprec {
        let shown = (precision as i32).min(nd);
        out.push(char::from(digits.first().copied().unwrap_or(b'0')));
        if shown > 1 {
            out.push('.');
            for d in digits.iter().take(shown as usize).skip(1) {
                out.push(char::from(*d));
            }
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let abs = exp.unsigned_abs();
        if abs < 10 {
            out.push('0');
        }
        out.push_str(&abs.to_string());
        return out;
    }
    let mut prec = precision as i32;
    if prec > dp {
        prec = nd;
    }
    let frac = (prec - dp).max(0);
    let digit_at = |i: i32| -> char {
        if i >= 0 && i < nd {
            char::from(digits.get(i as usize).copied().unwrap_or(b'0'))
        } else {
            '0'
        }
    };
    if dp > 0 {
        for i in 0..dp {
            out.push(digit_at(i));
        }
    } else {
        out.push('0');
    }
    if frac > 0 {
        out.push('.');
        for i in 0..frac {
            out.push(digit_at(dp + i));
        }
    }
    out
}

/// A Go `time.Duration`: signed nanoseconds.
pub type GoDuration = i64;

pub const NANOS_PER_SECOND: i64 = 1_000_000_000;
const NANOS_PER_MINUTE: i64 = 60 * NANOS_PER_SECOND;
const NANOS_PER_HOUR: i64 = 60 * NANOS_PER_MINUTE;

fn go_seconds(d: GoDuration) -> f64 {
    let sec = d / NANOS_PER_SECOND;
    let nsec = d % NANOS_PER_SECOND;
    sec as f64 + nsec as f64 / 1e9
}

fn go_minutes(d: GoDuration) -> f64 {
    let min = d / NANOS_PER_MINUTE;
    let nsec = d % NANOS_PER_MINUTE;
    min as f64 + nsec as f64 / (60.0 * 1e9)
}

fn go_hours(d: GoDuration) -> f64 {
    let hour = d / NANOS_PER_HOUR;
    let nsec = d % NANOS_PER_HOUR;
    hour as f64 + nsec as f64 / (60.0 * 60.0 * 1e9)
}

/// `units.HumanDuration(d)`: "Less than a second", "About a minute", "2 hours", "3 weeks" …
pub fn human_duration(d: GoDuration) -> String {
    let seconds = go_seconds(d) as i64;
    if seconds < 1 {
        return "Less than a second".to_string();
    }
    if seconds == 1 {
        return "1 second".to_string();
    }
    if seconds < 60 {
        return format!("{seconds} seconds");
    }
    let minutes = go_minutes(d) as i64;
    if minutes == 1 {
        return "About a minute".to_string();
    }
    if minutes < 60 {
        return format!("{minutes} minutes");
    }
    let hours = (go_hours(d) + 0.5) as i64;
    if hours == 1 {
        return "About an hour".to_string();
    }
    if hours < 48 {
        return format!("{hours} hours");
    }
    if hours < 24 * 7 * 2 {
        return format!("{} days", hours / 24);
    }
    if hours < 24 * 30 * 2 {
        return format!("{} weeks", hours / 24 / 7);
    }
    if hours < 24 * 365 * 2 {
        return format!("{} months", hours / 24 / 30);
    }
    format!("{} years", (go_hours(d) as i64) / 24 / 365)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_g(value: f64, precision: usize, expected: &str) {
        assert_eq!(
            format_g(value, precision),
            expected,
            "{value} %.{precision}g"
        );
    }

    #[test]
    fn go_percent_g() {
        check_g(25.0, 3, "25");
        check_g(120.0, 3, "120");
        check_g(5.605, 3, "5.61");
        check_g(1.2, 3, "1.2");
        check_g(999.5, 3, "1e+03");
        check_g(0.0, 3, "0");
        check_g(1e4, 4, "1e+04");
        check_g(0.00001234, 3, "1.23e-05");
        check_g(0.0001234, 3, "0.000123");
        check_g(-2.5, 1, "-2");
    }
}
