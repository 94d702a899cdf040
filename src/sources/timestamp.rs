//! Timestamps as the sources write them: RFC 3339 / ISO 8601 with or without
//! fraction and offset (a missing offset means UTC, as these exports are UTC),
//! a space instead of `T`, and Unix seconds. The common shape is parsed by
//! hand because it runs once per record; anything else falls back to chrono.

use chrono::NaiveDateTime;

/// A parsed instant: UTC milliseconds and the offset it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instant {
    pub utc_ms: i64,
    pub offset_min: i16,
}

/// Parses a timestamp cell; the error names the value so a reject is readable.
pub fn parse_timestamp(text: &str) -> Result<Instant, String> {
    let trimmed = text.trim();
    let (instant, leap) = parse_any(trimmed)?;
    if leap {
        return Err(format!(
            "timestamp '{}' is a leap second (:60), which cannot be placed exactly",
            shorten(trimmed, 40)
        ));
    }
    if !crate::time::is_supported(instant.utc_ms) {
        return Err(format!(
            "timestamp '{}' is outside the years 0000 to 9999",
            shorten(trimmed, 40)
        ));
    }
    Ok(instant)
}

/// Unix seconds (the Pydio export's `Ts`) as an instant, refused outside the
/// years 0000 to 9999 (and so never overflowing).
pub fn from_unix_seconds(seconds: i64) -> Option<i64> {
    seconds
        .checked_mul(1000)
        .filter(|&ms| crate::time::is_supported(ms))
}

/// Whether a cell is written as a timestamp, whatever its value: format
/// detection asks this, so that a file whose first row holds a time that is
/// then rejected (a leap second, the year 10000) is still recognized.
pub fn has_timestamp_form(text: &str) -> bool {
    parse_any(text.trim()).is_ok()
}

/// The instant a timestamp writes, and whether it is a leap second.
fn parse_any(trimmed: &str) -> Result<(Instant, bool), String> {
    let b = trimmed.as_bytes();
    let leap = b.get(16) == Some(&b':') && b.get(17..19) == Some(b"60");
    if let Some(instant) = parse_iso(b) {
        return Ok((instant, leap));
    }
    const FALLBACKS: [&str; 4] = [
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %I:%M %p",
    ];
    for format in FALLBACKS {
        if let Ok(naive) = NaiveDateTime::parse_from_str(trimmed, format) {
            // chrono keeps a leap second as a nanosecond past 999,999,999.
            let leap = naive.and_utc().timestamp_subsec_nanos() >= 1_000_000_000;
            let instant = Instant {
                utc_ms: naive.and_utc().timestamp_millis(),
                offset_min: 0,
            };
            return Ok((instant, leap));
        }
    }
    if trimmed.is_empty() {
        Err("timestamp is empty".to_string())
    } else {
        Err(format!(
            "timestamp '{}' is not a date",
            shorten(trimmed, 40)
        ))
    }
}

/// Truncates `text` to about `max` characters for messages.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}..", &text[..cut]),
        None => text.to_string(),
    }
}

fn digits(bytes: &[u8], at: usize, count: usize) -> Option<i64> {
    let slice = bytes.get(at..at + count)?;
    let mut value = 0i64;
    for &b in slice {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + i64::from(b - b'0');
    }
    Some(value)
}

/// `YYYY-MM-DD[T ]HH:MM[:SS[.fraction]][Z|±HH:MM|±HHMM|±HH]`.
fn parse_iso(b: &[u8]) -> Option<Instant> {
    let year = digits(b, 0, 4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let hour = digits(b, 11, 2)?;
    if b.get(13) != Some(&b':') {
        return None;
    }
    let minute = digits(b, 14, 2)?;
    let mut at = 16;
    let mut second = 0;
    if b.get(at) == Some(&b':') {
        second = digits(b, at + 1, 2)?;
        at += 3;
    }
    let mut millis = 0i64;
    if matches!(b.get(at), Some(b'.' | b',')) {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            if at - start < 3 {
                millis = millis * 10 + i64::from(b[at] - b'0');
            }
            at += 1;
        }
        if at == start {
            return None;
        }
        for _ in (at - start)..3 {
            millis *= 10;
        }
    }
    let offset_min: i64 = match b.get(at) {
        None => 0,
        Some(b'Z' | b'z') if at + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let hours = digits(b, at + 1, 2)?;
            let rest = &b[at + 3..];
            let minutes = match rest {
                [] => 0,
                [b':', ..] if rest.len() == 3 => digits(rest, 1, 2)?,
                _ if rest.len() == 2 => digits(rest, 0, 2)?,
                _ => return None,
            };
            if hours > 23 || minutes > 59 {
                return None;
            }
            let total = hours * 60 + minutes;
            if sign == b'-' { -total } else { total }
        }
        _ => return None,
    };
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let local_seconds = days * 86_400 + hour * 3600 + minute * 60 + second;
    Some(Instant {
        utc_ms: (local_seconds - offset_min * 60) * 1000 + millis,
        offset_min: offset_min as i16,
    })
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn parses_the_shapes_the_sources_write() {
        let cases = [
            ("2024-03-14T08:42:19Z", ms("2024-03-14T08:42:19Z"), 0),
            ("2024-03-14T08:42:19.5Z", ms("2024-03-14T08:42:19.500Z"), 0),
            (
                "2024-03-14T08:42:19.123456Z",
                ms("2024-03-14T08:42:19.123Z"),
                0,
            ),
            ("2024-03-15T08:02:11+01:00", ms("2024-03-15T07:02:11Z"), 60),
            ("2024-03-15T08:02:11-0530", ms("2024-03-15T13:32:11Z"), -330),
            ("2024-03-15 08:02:11", ms("2024-03-15T08:02:11Z"), 0),
            ("2024-02-29T00:00:00Z", ms("2024-02-29T00:00:00Z"), 0),
            ("1969-12-31T23:59:59Z", -1000, 0),
        ];
        for (text, utc_ms, offset_min) in cases {
            assert_eq!(
                parse_timestamp(text),
                Ok(Instant { utc_ms, offset_min }),
                "{text}"
            );
        }
        assert_eq!(
            parse_timestamp("03/01/2024 08:28:20").unwrap().utc_ms,
            ms("2024-03-01T08:28:20Z")
        );
    }

    #[test]
    fn rejects_impossible_dates_with_a_readable_reason() {
        assert_eq!(
            parse_timestamp("2024-13-45T08:00:00Z"),
            Err("timestamp '2024-13-45T08:00:00Z' is not a date".to_string())
        );
        assert!(parse_timestamp("2023-02-29T00:00:00Z").is_err());
        assert!(parse_timestamp("2024-03-14T08:42:19Zjunk").is_err());
        assert_eq!(parse_timestamp("  "), Err("timestamp is empty".to_string()));
    }

    #[test]
    fn years_outside_0000_to_9999_and_leap_seconds_are_rejected_with_a_reason() {
        // chrono reads `+262142` as a year: accepted before, then a panic
        // showing it in Asia/Tokyo.
        assert_eq!(
            parse_timestamp("12/31/+262142 23:59:59"),
            Err("timestamp '12/31/+262142 23:59:59' is outside the years 0000 to 9999".into())
        );
        assert!(parse_timestamp("0000-01-01T00:00:00Z").is_ok());
        assert!(parse_timestamp("9999-12-31T23:59:59.999Z").is_ok());
        // 9999-12-31 23:30 at -01:00 is year 10000 in UTC.
        assert!(parse_timestamp("9999-12-31T23:30:00-01:00").is_err());
        // Moved silently to the next minute before.
        for leap in ["2016-12-31T23:59:60Z", "12/31/2016 23:59:60"] {
            let reason = parse_timestamp(leap).unwrap_err();
            assert!(reason.contains("leap second"), "{leap}: {reason}");
        }
        assert_eq!(from_unix_seconds(1_710_000_000), Some(1_710_000_000_000));
        // Wrapped to 2024-03-09T16:00Z in release builds before.
        assert_eq!(from_unix_seconds(2_305_843_010_923_693_952), None);
        assert_eq!(from_unix_seconds(i64::MIN), None);
    }
}
