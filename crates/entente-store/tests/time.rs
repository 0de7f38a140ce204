//! Civil-date conversion against known timestamps (checked with `date -u -d @SECONDS`).

use entente_store::time::{civil_from_days, iso8601_utc, now_iso8601_utc, unix_now};

#[test]
fn known_timestamps() {
    let cases: [(i64, &str); 12] = [
        (0, "1970-01-01T00:00:00Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (86_399, "1970-01-01T23:59:59Z"),
        (951_782_400, "2000-02-29T00:00:00Z"), // leap day of a 400-year leap year
        (951_868_800, "2000-03-01T00:00:00Z"),
        (1_234_567_890, "2009-02-13T23:31:30Z"),
        (1_709_251_199, "2024-02-29T23:59:59Z"),
        (1_735_689_600, "2025-01-01T00:00:00Z"),
        (4_107_456_000, "2100-02-28T00:00:00Z"), // 2100 is not a leap year...
        (4_107_542_400, "2100-03-01T00:00:00Z"), // ...so March follows February 28
        (-2_208_988_800, "1900-01-01T00:00:00Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"),
    ];
    for (secs, want) in cases {
        assert_eq!(iso8601_utc(secs), want, "{secs}");
    }
}

#[test]
fn every_day_of_four_centuries_follows_the_previous() {
    // Walk 1900-01-01 .. 2300-01-01 day by day: dates increase by exactly one calendar day.
    let days_in = |y: i64, m: u32| match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let start = -25_567; // 1900-01-01
    let mut prev = civil_from_days(start);
    assert_eq!(prev, (1900, 1, 1));
    for d in start + 1..start + 146_097 {
        let (y, m, day) = civil_from_days(d);
        let (py, pm, pd) = prev;
        let expected = if pd < days_in(py, pm) {
            (py, pm, pd + 1)
        } else if pm < 12 {
            (py, pm + 1, 1)
        } else {
            (py + 1, 1, 1)
        };
        assert_eq!((y, m, day), expected, "day {d}");
        prev = (y, m, day);
    }
    assert_eq!(prev, (2299, 12, 31));
}

#[test]
fn now_is_well_formed_and_recent() {
    assert!(unix_now() > 1_700_000_000);
    let now = now_iso8601_utc();
    assert_eq!(now.len(), 20, "{now}");
    assert!(now.ends_with('Z') && now.as_bytes()[10] == b'T', "{now}");
}
