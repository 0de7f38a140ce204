//! UTC timestamps in ISO 8601 (`2026-05-01T12:03:04Z`) from `std::time` alone.
//!
//! A time zone crate would be the only reason to pull in chrono or time; the run
//! record only needs UTC, which is plain calendar arithmetic on Unix seconds.

use std::time::{SystemTime, UNIX_EPOCH};

/// A proleptic Gregorian date `(year, month 1-12, day 1-31)` for a count of days since 1970-01-01.
///
/// Howard Hinnant's `civil_from_days`: shift the year to start in March so the leap day
/// is the last day of the year, then split into 400-year eras of 146 097 days each.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365], from 1 March
    let mp = (5 * doy + 2) / 153; // [0, 11], March = 0
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Both fit by construction: day in 1..=31, month in 1..=12.
    (year, month as u32, day as u32)
}

/// ISO 8601 UTC text for seconds since the Unix epoch (negative before 1970).
pub fn iso8601_utc(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Seconds since the Unix epoch now (negative if the clock is set before 1970).
pub fn unix_now() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// The current time as ISO 8601 UTC.
pub fn now_iso8601_utc() -> String {
    iso8601_utc(unix_now())
}
