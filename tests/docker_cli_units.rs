//! Human sizes and durations against docker/go-units' own test vectors.
//! Source: github.com/docker/go-units @ 2bd057e7d15e38a5d66bd084ffe3619027c7b8b6,
//! size_test.go (`TestHumanSize`, `ExampleHumanSize`) and duration_test.go
//! (`TestHumanDuration`, `ExampleHumanDuration`), plus sizes printed in docker/cli v28.5.2's
//! formatter tests and Docker's documentation (3-digit precision).

use dockerfile_playground::docker_cli::units::{
    human_duration, human_size, human_size_with_precision,
};

const SECOND: i64 = 1_000_000_000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
const WEEK: i64 = 7 * DAY;
const MONTH: i64 = 30 * DAY;
const YEAR: i64 = 365 * DAY;

fn check_duration(nanos: i64, expected: &str) {
    assert_eq!(human_duration(nanos), expected, "HumanDuration({nanos}ns)");
}

#[test]
fn go_units_test_human_duration() {
    let cases: &[(i64, &str)] = &[
        (450 * 1_000_000, "Less than a second"),
        (SECOND, "1 second"),
        (45 * SECOND, "45 seconds"),
        (46 * SECOND, "46 seconds"),
        (59 * SECOND, "59 seconds"),
        (60 * SECOND, "About a minute"),
        (MINUTE, "About a minute"),
        (3 * MINUTE, "3 minutes"),
        (35 * MINUTE, "35 minutes"),
        (35 * MINUTE + 40 * SECOND, "35 minutes"),
        (45 * MINUTE, "45 minutes"),
        (45 * MINUTE + 40 * SECOND, "45 minutes"),
        (46 * MINUTE, "46 minutes"),
        (59 * MINUTE, "59 minutes"),
        (HOUR, "About an hour"),
        (HOUR + 29 * MINUTE, "About an hour"),
        (HOUR + 31 * MINUTE, "2 hours"),
        (HOUR + 59 * MINUTE, "2 hours"),
        (3 * HOUR, "3 hours"),
        (3 * HOUR + 29 * MINUTE, "3 hours"),
        (3 * HOUR + 31 * MINUTE, "4 hours"),
        (3 * HOUR + 59 * MINUTE, "4 hours"),
        (3 * HOUR + 60 * MINUTE, "4 hours"),
        (24 * HOUR, "24 hours"),
        (DAY + 12 * HOUR, "36 hours"),
        (2 * DAY, "2 days"),
        (7 * DAY, "7 days"),
        (13 * DAY + 5 * HOUR, "13 days"),
        (2 * WEEK, "2 weeks"),
        (2 * WEEK + 4 * DAY, "2 weeks"),
        (3 * WEEK, "3 weeks"),
        (4 * WEEK, "4 weeks"),
        (4 * WEEK + 3 * DAY, "4 weeks"),
        (MONTH, "4 weeks"),
        (MONTH + 2 * WEEK, "6 weeks"),
        (2 * MONTH, "2 months"),
        (2 * MONTH + 2 * WEEK, "2 months"),
        (3 * MONTH, "3 months"),
        (3 * MONTH + WEEK, "3 months"),
        (5 * MONTH + 2 * WEEK, "5 months"),
        (13 * MONTH, "13 months"),
        (23 * MONTH, "23 months"),
        (24 * MONTH, "24 months"),
        (24 * MONTH + 2 * WEEK, "2 years"),
        (3 * YEAR + 2 * MONTH, "3 years"),
    ];
    for (nanos, expected) in cases {
        check_duration(*nanos, expected);
    }
    assert_eq!(cases.len(), 45);
}

#[test]
fn go_units_example_human_duration() {
    let cases: &[(i64, &str)] = &[
        (450 * 1_000_000, "Less than a second"),
        (47 * SECOND, "47 seconds"),
        (MINUTE, "About a minute"),
        (3 * MINUTE, "3 minutes"),
        (35 * MINUTE, "35 minutes"),
        (35 * MINUTE + 40 * SECOND, "35 minutes"),
        (HOUR, "About an hour"),
        (HOUR + 45 * MINUTE, "2 hours"),
        (3 * HOUR, "3 hours"),
        (3 * HOUR + 59 * MINUTE, "4 hours"),
        (3 * HOUR + 60 * MINUTE, "4 hours"),
        (24 * HOUR, "24 hours"),
        (24 * HOUR + 12 * HOUR, "36 hours"),
        (2 * 24 * HOUR, "2 days"),
        (7 * 24 * HOUR, "7 days"),
        (13 * 24 * HOUR + 5 * HOUR, "13 days"),
        (2 * 7 * 24 * HOUR, "2 weeks"),
        (2 * 7 * 24 * HOUR + 4 * 24 * HOUR, "2 weeks"),
        (3 * 7 * 24 * HOUR, "3 weeks"),
        (4 * 7 * 24 * HOUR, "4 weeks"),
        (4 * 7 * 24 * HOUR + 3 * 24 * HOUR, "4 weeks"),
        (30 * 24 * HOUR, "4 weeks"),
        (30 * 24 * HOUR + 2 * 7 * 24 * HOUR, "6 weeks"),
        (2 * 30 * 24 * HOUR, "2 months"),
        (3 * 30 * 24 * HOUR + 7 * 24 * HOUR, "3 months"),
        (5 * 30 * 24 * HOUR + 2 * 7 * 24 * HOUR, "5 months"),
        (13 * 30 * 24 * HOUR, "13 months"),
        (23 * 30 * 24 * HOUR, "23 months"),
        (24 * 30 * 24 * HOUR, "24 months"),
        (24 * 30 * 24 * HOUR + 2 * 7 * 24 * HOUR, "2 years"),
        (3 * 365 * 24 * HOUR + 2 * 30 * 24 * HOUR, "3 years"),
    ];
    for (nanos, expected) in cases {
        check_duration(*nanos, expected);
    }
    assert_eq!(cases.len(), 31);
}

#[test]
fn go_units_test_human_size() {
    const KB: f64 = 1000.0;
    const MB: f64 = 1000.0 * KB;
    const GB: f64 = 1000.0 * MB;
    const TB: f64 = 1000.0 * GB;
    const PB: f64 = 1000.0 * TB;
    let cases: &[(f64, &str)] = &[
        (1000.0, "1kB"),
        (1024.0, "1.024kB"),
        (1_000_000.0, "1MB"),
        (1_048_576.0, "1.049MB"),
        (2.0 * MB, "2MB"),
        (3.42 * GB, "3.42GB"),
        (5.372 * TB, "5.372TB"),
        (2.22 * PB, "2.22PB"),
        (10_000_000_000_000.0 * PB, "1e+04YB"),
    ];
    for (size, expected) in cases {
        assert_eq!(human_size(*size), *expected, "HumanSize({size})");
    }
}

/// `HumanSizeWithPrecision(size, 3)`, the size columns of `docker images`, `history` and
/// `ps -s`. Values from docker/cli v28.5.2 tests (cli/command/formatter/container_test.go:
/// "123B (virtual 12.3kB)"; container list goldens: 10.7MB, 3.2MB) and the docs
/// (docs/reference/commandline/image_history.md: 8.46MB; semantics doc: 5.61MB, 1.2kB, 25B).
#[test]
fn docker_cli_three_digit_sizes() {
    let cases: &[(f64, &str)] = &[
        (0.0, "0B"),
        (25.0, "25B"),
        (123.0, "123B"),
        (999.0, "999B"),
        (1200.0, "1.2kB"),
        (12_300.0, "12.3kB"),
        (5_605_000.0, "5.61MB"),
        (8_460_000.0, "8.46MB"),
        (10_700_000.0, "10.7MB"),
        (3_200_000.0, "3.2MB"),
        // %.3g rounds 999.9 up to 1e+03: go-units really prints this.
        (999_900.0, "1e+03kB"),
    ];
    for (size, expected) in cases {
        assert_eq!(
            human_size_with_precision(*size, 3),
            *expected,
            "HumanSizeWithPrecision({size}, 3)"
        );
    }
}
