//! Time zones and the way times are shown and typed: UTC by default, the
//! machine's local zone, or any IANA zone.

use chrono::{
    DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeZone, Utc,
};
use chrono_tz::Tz;

pub const SECOND_MS: i64 = 1_000;
pub const MINUTE_MS: i64 = 60 * SECOND_MS;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;
pub const WEEK_MS: i64 = 7 * DAY_MS;

/// The first and last instants a case can hold: the years 0000 to 9999 UTC,
/// the range every source writes (four-digit years) and every writer and
/// zone can show. Importers reject anything outside.
pub const FIRST_MS: i64 = -62_167_219_200_000;
pub const LAST_MS: i64 = 253_402_300_799_999;

/// Whether an instant lies in the years 0000 to 9999 UTC.
pub fn is_supported(utc_ms: i64) -> bool {
    (FIRST_MS..=LAST_MS).contains(&utc_ms)
}

/// An instant as UTC milliseconds since 1970, the unit of every time in a
/// case (the store keeps them as bare `i64` columns). Shown and serialized
/// as RFC 3339 UTC (`format_utc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcMs(pub i64);

impl std::fmt::Display for UtcMs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&format_utc(self.0))
    }
}

impl serde::Serialize for UtcMs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_utc(self.0))
    }
}

impl<'de> serde::Deserialize<'de> for UtcMs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|t| UtcMs(t.timestamp_millis()))
            .map_err(|_| serde::de::Error::custom(format!("'{text}' is not an RFC 3339 time")))
    }
}

/// `#[serde(serialize_with = ...)]` for instants kept as bare `i64` fields:
/// written as `UtcMs` writes them.
pub mod as_rfc3339 {
    use serde::{Serialize, Serializer};

    use super::UtcMs;

    pub fn one<S: Serializer>(value: &i64, s: S) -> Result<S::Ok, S::Error> {
        UtcMs(*value).serialize(s)
    }

    /// Null when unknown.
    pub fn option<S: Serializer>(value: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
        value.map(UtcMs).serialize(s)
    }
}

/// RFC 3339 with the zone's offset, seconds and milliseconds when any: the
/// one way chrono formats a time here (`format_utc` writes the same by hand).
fn rfc3339<Tz: TimeZone>(time: DateTime<Tz>, utc_as_z: bool) -> String
where
    Tz::Offset: std::fmt::Display,
{
    time.to_rfc3339_opts(SecondsFormat::AutoSi, utc_as_z)
}

/// Why a typed zone or time could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("'{0}' is not a time zone: use UTC, local or an IANA name such as Europe/Paris")]
    UnknownZone(String),
    #[error(
        "'{0}' is not a time: use RFC 3339 (2024-03-14T08:00:00Z), YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS]"
    )]
    NotATime(String),
    /// A wall-clock time the clocks skipped (a daylight-saving gap).
    #[error("{time} does not exist in {zone}")]
    Skipped { time: NaiveDateTime, zone: String },
    #[error("{0} is out of range")]
    OutOfRange(NaiveDate),
}

/// The zone used to read typed times without an offset and to show times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zone {
    #[default]
    Utc,
    Local,
    Named(Tz),
}

impl Zone {
    /// `UTC`, `local` or an IANA name such as `Europe/Paris`.
    pub fn parse(text: &str) -> Result<Zone, TimeError> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("utc") || text.eq_ignore_ascii_case("z") {
            return Ok(Zone::Utc);
        }
        if text.eq_ignore_ascii_case("local") {
            return Ok(Zone::Local);
        }
        text.parse::<Tz>()
            .map(Zone::Named)
            .map_err(|_| TimeError::UnknownZone(text.to_string()))
    }

    /// The name shown in headers: `UTC`, `local`, `Europe/Paris`.
    pub fn name(&self) -> String {
        match self {
            Zone::Utc => "UTC".to_string(),
            Zone::Local => "local".to_string(),
            Zone::Named(tz) => tz.name().to_string(),
        }
    }

    /// An instant shown in this zone, RFC 3339 with its offset. An instant
    /// outside the supported years (never loaded, but a filter may name one)
    /// is shown in UTC: chrono panics shifting the extremes by an offset.
    pub fn format(&self, utc_ms: i64) -> String {
        let Some(utc) = DateTime::<Utc>::from_timestamp_millis(utc_ms) else {
            return String::new();
        };
        if !is_supported(utc_ms) {
            return format_utc(utc_ms);
        }
        match self {
            Zone::Utc => format_utc(utc_ms),
            Zone::Local => rfc3339(utc.with_timezone(&chrono::Local), false),
            Zone::Named(tz) => rfc3339(utc.with_timezone(tz), false),
        }
    }

    /// The UTC instant of a wall-clock time in this zone. In a repeated hour
    /// the earlier instant is taken; in a skipped hour, an error.
    pub fn to_utc(&self, naive: NaiveDateTime) -> Result<i64, TimeError> {
        let result = match self {
            Zone::Utc => return Ok(naive.and_utc().timestamp_millis()),
            Zone::Local => chrono::Local
                .from_local_datetime(&naive)
                .map(|t| t.timestamp_millis()),
            Zone::Named(tz) => tz.from_local_datetime(&naive).map(|t| t.timestamp_millis()),
        };
        match result {
            LocalResult::Single(ms) | LocalResult::Ambiguous(ms, _) => Ok(ms),
            LocalResult::None => Err(TimeError::Skipped {
                time: naive,
                zone: self.name(),
            }),
        }
    }

    /// The wall-clock time of an instant in this zone.
    fn local_time(&self, utc_ms: i64) -> Option<NaiveDateTime> {
        let utc = DateTime::<Utc>::from_timestamp_millis(utc_ms)?;
        Some(match self {
            Zone::Utc => utc.naive_utc(),
            Zone::Local => utc.with_timezone(&chrono::Local).naive_local(),
            Zone::Named(tz) => utc.with_timezone(tz).naive_local(),
        })
    }

    /// The first instant of `date` in this zone: its midnight, or where the
    /// clocks jump over midnight (America/Santiago, Asia/Beirut), the jump.
    pub fn start_of_day(&self, date: NaiveDate) -> Result<i64, TimeError> {
        let midnight = date.and_time(NaiveTime::MIN);
        if let Ok(ms) = self.to_utc(midnight) {
            return Ok(ms);
        }
        // Offsets are within a day, so the local time is before midnight a
        // day earlier (as UTC) and past it a day later: find where it crosses.
        let naive_ms = midnight.and_utc().timestamp_millis();
        let (mut before, mut after) = (naive_ms - DAY_MS, naive_ms + DAY_MS);
        while after - before > 1 {
            let mid = before + (after - before) / 2;
            match self.local_time(mid) {
                Some(local) if local >= midnight => after = mid,
                Some(_) => before = mid,
                None => return Err(TimeError::OutOfRange(date)),
            }
        }
        Ok(after)
    }
}

/// RFC 3339 UTC with `Z`; milliseconds only when there are any. Written by
/// hand for years 0-9999, since exports format one time per row.
pub fn format_utc(utc_ms: i64) -> String {
    let days = utc_ms.div_euclid(DAY_MS);
    let ms_of_day = utc_ms.rem_euclid(DAY_MS);
    let (year, month, day) = civil_from_days(days);
    if !(0..=9999).contains(&year) {
        return DateTime::<Utc>::from_timestamp_millis(utc_ms)
            .map(|t| rfc3339(t, true))
            .unwrap_or_default();
    }
    let (hour, minute) = (ms_of_day / 3_600_000, ms_of_day / 60_000 % 60);
    let (second, millis) = (ms_of_day / 1000 % 60, ms_of_day % 1000);
    let mut out = [0u8; 24];
    let mut put = |at: usize, value: i64, width: usize| {
        let mut v = value;
        for i in (0..width).rev() {
            out[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, year, 4);
    put(5, month, 2);
    put(8, day, 2);
    put(11, hour, 2);
    put(14, minute, 2);
    put(17, second, 2);
    put(20, millis, 3);
    for (at, b) in [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'.'),
    ] {
        out[at] = b;
    }
    let end = if millis == 0 { 19 } else { 23 };
    let mut text = String::with_capacity(end + 1);
    text.push_str(std::str::from_utf8(&out[..end]).unwrap_or_default());
    text.push('Z');
    text
}

/// (year, month, day) of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Which end of a range a typed time bounds: a date alone means the start of
/// that day for `From` and its last millisecond for `To`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    From,
    To,
}

/// A bound as a person would type it, read back by `parse_user_time` to
/// the same instant: the date alone for a whole day (the start for `From`,
/// the last millisecond for `To`), `YYYY-MM-DD HH:MM` for a `From` on a
/// whole minute, else the full time with its offset.
pub fn format_user_time(utc_ms: i64, zone: Zone, bound: Bound) -> String {
    let whole =
        |text: String| (parse_user_time(&text, zone, bound).ok() == Some(utc_ms)).then_some(text);
    let day_of = |ms: i64| zone.local_time(ms).map(|t| t.date());
    let date = match bound {
        Bound::From => day_of(utc_ms),
        Bound::To => day_of(utc_ms.saturating_add(1)).and_then(|d| d.pred_opt()),
    };
    let minute = zone
        .local_time(utc_ms)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string());
    date.and_then(|d| whole(d.format("%Y-%m-%d").to_string()))
        .or_else(|| minute.filter(|_| bound == Bound::From).and_then(whole))
        .unwrap_or_else(|| zone.format(utc_ms))
}

/// Reads a typed time: RFC 3339 (its offset wins), `YYYY-MM-DD`, or
/// `YYYY-MM-DD HH:MM[:SS]` (also with `T`) in `zone`.
pub fn parse_user_time(text: &str, zone: Zone, bound: Bound) -> Result<i64, TimeError> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.timestamp_millis());
    }
    for format in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return zone.to_utc(naive);
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return match bound {
            Bound::From => zone.start_of_day(date),
            Bound::To => {
                let next = date.succ_opt().ok_or(TimeError::OutOfRange(date))?;
                Ok(zone.start_of_day(next)? - 1)
            }
        };
    }
    Err(TimeError::NotATime(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bound_is_written_as_typed_and_reads_back_the_same() {
        let paris = Zone::parse("Europe/Paris").unwrap();
        let day = paris
            .start_of_day(NaiveDate::from_ymd_opt(2024, 3, 14).unwrap())
            .unwrap();
        let cases = [
            (day, Bound::From, "2024-03-14"),
            (day + DAY_MS - 1, Bound::To, "2024-03-14"),
            (day + 9 * HOUR_MS, Bound::From, "2024-03-14 09:00"),
            (
                day + 9 * HOUR_MS + 1_500,
                Bound::From,
                "2024-03-14T09:00:01.500+01:00",
            ),
            (day + 9 * HOUR_MS, Bound::To, "2024-03-14T09:00:00+01:00"),
        ];
        for (ms, bound, text) in cases {
            assert_eq!(format_user_time(ms, paris, bound), text);
            assert_eq!(parse_user_time(text, paris, bound).unwrap(), ms, "{text}");
        }
    }

    fn ms(text: &str) -> i64 {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn typed_times_are_read_in_the_zone_and_dates_cover_the_whole_day() {
        let paris = Zone::parse("Europe/Paris").unwrap();
        assert_eq!(
            parse_user_time("2024-03-15", paris, Bound::From),
            Ok(ms("2024-03-14T23:00:00Z"))
        );
        assert_eq!(
            parse_user_time("2024-03-15", paris, Bound::To),
            Ok(ms("2024-03-15T22:59:59.999Z"))
        );
        assert_eq!(
            parse_user_time("2024-03-15 08:30", Zone::Utc, Bound::From),
            Ok(ms("2024-03-15T08:30:00Z"))
        );
        assert_eq!(
            parse_user_time("2024-03-15T08:30:00+01:00", paris, Bound::From),
            Ok(ms("2024-03-15T07:30:00Z"))
        );
        assert!(parse_user_time("2024-03-31 02:30", paris, Bound::From).is_err());
        assert!(parse_user_time("yesterday", Zone::Utc, Bound::From).is_err());
        assert!(Zone::parse("Mars/Olympus").is_err());
    }

    #[test]
    fn a_date_alone_starts_when_the_day_starts_even_if_midnight_is_skipped() {
        // Santiago jumps from 2024-09-08 00:00 (-04) to 01:00 (-03).
        let santiago = Zone::parse("America/Santiago").unwrap();
        assert_eq!(
            parse_user_time("2024-09-08", santiago, Bound::From),
            Ok(ms("2024-09-08T04:00:00Z"))
        );
        assert_eq!(
            parse_user_time("2024-09-07", santiago, Bound::To),
            Ok(ms("2024-09-08T03:59:59.999Z"))
        );
        // Beirut jumps from 2024-03-31 00:00 (+02) to 01:00 (+03).
        let beirut = Zone::parse("Asia/Beirut").unwrap();
        assert_eq!(
            parse_user_time("2024-03-30", beirut, Bound::To),
            Ok(ms("2024-03-30T21:59:59.999Z"))
        );
        // Samoa skipped 2011-12-30 entirely: it starts and ends with the 31st.
        let apia = Zone::parse("Pacific/Apia").unwrap();
        for day in ["2011-12-30", "2011-12-31"] {
            assert_eq!(
                parse_user_time(day, apia, Bound::From),
                Ok(ms("2011-12-30T10:00:00Z")),
                "{day}"
            );
        }
        assert_eq!(
            parse_user_time("2011-12-29", apia, Bound::To),
            Ok(ms("2011-12-30T09:59:59.999Z"))
        );
        // An ordinary day is unchanged, and a skipped time of day is still an error.
        assert_eq!(
            parse_user_time("2024-09-09", santiago, Bound::From),
            Ok(ms("2024-09-09T03:00:00Z"))
        );
        assert!(parse_user_time("2024-09-08 00:30", santiago, Bound::From).is_err());
    }

    #[test]
    fn the_supported_range_is_the_years_0000_to_9999_and_extremes_show_in_any_zone() {
        assert_eq!(format_utc(FIRST_MS), "0000-01-01T00:00:00Z");
        assert_eq!(format_utc(LAST_MS), "9999-12-31T23:59:59.999Z");
        assert!(is_supported(FIRST_MS) && is_supported(LAST_MS));
        assert!(!is_supported(FIRST_MS - 1) && !is_supported(LAST_MS + 1));
        let tokyo = Zone::parse("Asia/Tokyo").unwrap();
        let extreme = DateTime::<Utc>::MAX_UTC.timestamp_millis();
        // Panicked in chrono before: +262142-12-31T23:59:59 moved by +09:00.
        assert!(tokyo.format(extreme).starts_with("+262142-12-31T23:59:59"));
        assert!(!tokyo.format(LAST_MS).is_empty());
        assert!(
            !Zone::parse("America/Santiago")
                .unwrap()
                .format(FIRST_MS)
                .is_empty()
        );
    }

    #[test]
    fn hand_written_utc_format_agrees_with_chrono() {
        let mut ms = -2_208_988_800_000i64; // 1900-01-01
        while ms < 4_102_444_800_000 {
            let expected = DateTime::<Utc>::from_timestamp_millis(ms)
                .unwrap()
                .to_rfc3339_opts(SecondsFormat::AutoSi, true);
            assert_eq!(format_utc(ms), expected);
            ms += 86_399_999 * 17 + 123;
        }
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(-1), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn formats_in_utc_and_in_a_zone() {
        assert_eq!(
            format_utc(ms("2024-03-14T08:42:19Z")),
            "2024-03-14T08:42:19Z"
        );
        assert_eq!(
            format_utc(ms("2024-03-14T08:42:19.25Z")),
            "2024-03-14T08:42:19.250Z"
        );
        let paris = Zone::parse("Europe/Paris").unwrap();
        assert_eq!(
            paris.format(ms("2024-03-14T08:42:19Z")),
            "2024-03-14T09:42:19+01:00"
        );
    }
}
