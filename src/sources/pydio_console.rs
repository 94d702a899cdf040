//! Pydio Cells logs as servers write them to files and consoles: zap's
//! console format (`TIME LEVEL LOGGER MSG {fields}`, Cells' `pydio.log`
//! unless started with `--log_json=true`), and Cells' lines behind a
//! shipper's prefix (`log_prefix`). A line that starts no record
//! (a wrapped line, a Go stack trace) stays with the record before it.
//! Each record is turned into the JSON line Cells would have written and
//! read as one (`pydio_log`), so fields map exactly as for JSON lines.

use std::fmt::Write as _;

use super::Parsed;
use super::input::Splitter;
use super::log_prefix::{split_prefix, starts_with_date, without_ansi};
use super::pydio_event::Entries;
use crate::model::RejectKind;

pub struct Importer;

/// The fields that say who acted and in which request.
const USER_AND_SPAN_KEYS: [&str; 5] = [
    "UserName",
    "UserUuid",
    "SpanUuid",
    "SpanRootUuid",
    "SpanParentUuid",
];

/// What Details say of a console line without them: the actor and request
/// columns are empty because the line has none, not because they were lost.
const NO_USER_OR_SPAN: &str =
    "this console line has no user or span fields (Cells v5 leaves them out of its console lines)";

/// How many bytes of a line are enough to tell whether it starts a record.
pub const LOOKAHEAD: usize = 512;

/// zap's console levels (upper case; `WARNING` from some shippers).
pub(super) const LEVELS: [&str; 8] = [
    "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "DPANIC", "PANIC", "FATAL",
];

/// One console line taken apart.
#[derive(Debug, PartialEq, Eq)]
pub struct ConsoleLine<'a> {
    pub time: &'a str,
    pub level: &'a str,
    pub logger: Option<&'a str>,
    pub message: &'a str,
    /// The fields object, as written (`{"error": "x"}`).
    pub fields: Option<&'a str>,
}

/// A record being read: its line number, its first line and the lines
/// that continue it.
type Record<'a> = (u64, &'a [u8], Vec<&'a [u8]>);

impl super::Importer for Importer {
    fn splitter(&self) -> Splitter {
        Splitter::Records
    }

    fn parse(&self, chunk: &[u8], first: bool, out: &mut Parsed) {
        let chunk = super::pydio_log::without_bom(chunk, first);
        let unterminated = !chunk.ends_with(b"\n");
        let mut record: Option<Record<'_>> = None;
        for (index, line) in chunk.split(|&b| b == b'\n').enumerate() {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let number = index as u64 + 1;
            if starts_record(line) {
                if let Some((at, first, more)) = record.take() {
                    emit(at, first, &more, false, out);
                }
                record = Some((number, line, Vec::new()));
            } else if let Some((_, _, more)) = record.as_mut() {
                more.push(line);
            } else {
                out.rows += 1;
                out.reject(
                    number,
                    RejectKind::Malformed,
                    "a line that continues no record: no time of a Pydio record before it",
                    line,
                );
            }
        }
        if let Some((at, first, more)) = record {
            emit(at, first, &more, unterminated, out);
        }
    }
}

/// Reads one record (its first line and the lines continuing it) into an
/// event, or a reject at its first line.
fn emit(number: u64, first: &[u8], more: &[&[u8]], last: bool, out: &mut Parsed) {
    out.rows += 1;
    let json = match as_json_line(first, more, last) {
        Ok(json) => json,
        Err((kind, reason)) => {
            out.reject(number, kind, reason, first);
            return;
        }
    };
    match super::pydio_log::parse_line(json.as_bytes(), number, last) {
        Ok(draft) => out.events.push(&draft, 0),
        Err((kind, reason)) => out.reject(number, kind, reason, first),
    }
}

/// The JSON line Cells would have written for this record, with the
/// shipper's prefix and the continuation lines as fields of their own.
/// `last`: the record ends the file without a line end (a cut file).
fn as_json_line(first: &[u8], more: &[&[u8]], last: bool) -> Result<String, (RejectKind, String)> {
    let text = std::str::from_utf8(first)
        .map_err(|e| (RejectKind::Malformed, format!("not UTF-8 text: {e}")))?;
    let text = without_ansi(text);
    let (prefix, rest) = split_prefix(&text);
    let mut json = String::with_capacity(rest.len() + 64);
    if rest.starts_with('{') {
        let body = rest.trim_end();
        let inner = body
            .strip_prefix('{')
            .and_then(|b| b.strip_suffix('}'))
            .ok_or(if last && more.is_empty() {
                (
                    RejectKind::CutShort,
                    "the last record stops before its end: the file is cut short".to_string(),
                )
            } else {
                (
                    RejectKind::Malformed,
                    "a JSON record that does not end on its line".to_string(),
                )
            })?;
        json.push('{');
        json.push_str(inner.trim());
    } else {
        let line = ConsoleLine::parse(rest).ok_or((
            RejectKind::Malformed,
            "not a Pydio log line: no time, then a level (INFO, WARN, ERROR...), at its start"
                .to_string(),
        ))?;
        json.push('{');
        push_field(&mut json, "level", &line.level.to_ascii_lowercase());
        push_field(&mut json, "ts", line.time);
        if let Some(logger) = line.logger {
            push_field(&mut json, "logger", logger);
        }
        push_field(&mut json, "msg", line.message);
        let mut who = false;
        if let Some(fields) = line.fields {
            let inner = fields.trim()[1..fields.trim().len() - 1].trim();
            if !inner.is_empty() {
                json.push(',');
                json.push_str(inner);
            }
            who = serde_json::from_str::<Entries<'_>>(fields).is_ok_and(|Entries(entries)| {
                entries
                    .iter()
                    .any(|(k, _)| USER_AND_SPAN_KEYS.contains(&k.as_ref()))
            });
        }
        if !who {
            push_field(&mut json, "Note", NO_USER_OR_SPAN);
        }
    }
    let shipped = [
        ("ShipperTime", prefix.time),
        ("SyslogHost", prefix.host),
        ("SyslogUnit", prefix.unit),
        ("Container", prefix.container),
    ];
    for (key, value) in shipped {
        if let Some(value) = value {
            push_field(&mut json, key, value);
        }
    }
    if !more.is_empty() {
        let mut lines = String::new();
        for (i, line) in more.iter().enumerate() {
            if i > 0 {
                lines.push('\n');
            }
            let line = String::from_utf8_lossy(line);
            let line = without_ansi(&line);
            // The same shipper prefix on every line (journald, compose).
            let (_, rest) = split_prefix(&line);
            lines.push_str(rest);
        }
        push_field(&mut json, "Continuation", &lines);
    }
    json.push('}');
    Ok(json)
}

/// Appends `"key":"value"` (JSON-escaped), after a comma unless first.
fn push_field(json: &mut String, key: &str, value: &str) {
    if !json.ends_with('{') {
        json.push(',');
    }
    let _ = write!(
        json,
        "{}:{}",
        serde_json::Value::from(key),
        serde_json::Value::from(value)
    );
}

/// Whether a line starts a record: after colour codes and a shipper's
/// prefix, a JSON object or a date (`2024-03-15T...` or `2024-03-15 ...`).
/// Reads at most `LOOKAHEAD` bytes.
pub fn starts_record(line: &[u8]) -> bool {
    let line = &line[..line.len().min(LOOKAHEAD)];
    let text = match std::str::from_utf8(line) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&line[..e.valid_up_to()]).unwrap_or_default(),
    };
    let text = without_ansi(text);
    let (_, rest) = split_prefix(&text);
    rest.starts_with('{') || starts_with_date(rest)
}

/// Whether the first lines read as Pydio Cells': a console line with a
/// `pydio.` logger or Pydio's fields, or a Pydio JSON record behind a
/// shipper's prefix.
pub fn looks_like_pydio(text: &[u8]) -> bool {
    text.split(|&b| b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .take(20)
        .filter_map(|l| std::str::from_utf8(l).ok())
        .any(|line| {
            let line = without_ansi(line.trim_end_matches('\r'));
            let (_, rest) = split_prefix(&line);
            if rest.starts_with('{') {
                return matches!(
                    serde_json::from_str(rest),
                    Ok(serde_json::Value::Object(map)) if super::detect::has_pydio_shape(&map)
                );
            }
            let Some(console) = ConsoleLine::parse(rest) else {
                return false;
            };
            console.logger.is_some_and(|l| l.starts_with("pydio."))
                || console.fields.is_some_and(|fields| {
                    let Ok(Entries(entries)) = serde_json::from_str(fields) else {
                        return false;
                    };
                    entries
                        .iter()
                        .any(|(k, _)| super::detect::PYDIO_KEYS.contains(&k.as_ref()))
                })
        })
}

/// How many `{` a line may offer as the start of its fields object: each
/// try parses the rest of the line, so a line of braces stays linear-ish.
const FIELD_STARTS_TRIED: usize = 16;

impl<'a> ConsoleLine<'a> {
    /// `TIME<sep>LEVEL<sep>[LOGGER<sep>]MESSAGE[<sep>{fields}]`, the
    /// separators tabs or runs of spaces (a paste turns tabs into spaces).
    pub fn parse(text: &'a str) -> Option<ConsoleLine<'a>> {
        if !starts_with_date(text) {
            return None;
        }
        let (time, rest) = split_token(text)?;
        let (level, rest) = split_token(rest)?;
        let level = LEVELS
            .iter()
            .any(|l| l.eq_ignore_ascii_case(level))
            .then_some(level)?;
        let (logger, rest) = match split_token(rest) {
            Some((word, after)) if word.starts_with("pydio.") => (Some(word), after),
            _ if rest.trim_start().starts_with("pydio.") && !rest.trim().contains(' ') => {
                (Some(rest.trim()), "")
            }
            _ => (None, rest.trim_start_matches([' ', '\t'])),
        };
        let (message, fields) = split_fields(rest);
        Some(ConsoleLine {
            time,
            level,
            logger,
            message: message.trim_end(),
            fields,
        })
    }
}

/// The first token and the rest after the whitespace that follows it.
fn split_token(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_start_matches([' ', '\t']);
    let end = text.find([' ', '\t'])?;
    Some((&text[..end], text[end..].trim_start_matches([' ', '\t'])))
}

/// The message and the fields object that ends the line, if one does:
/// the leftmost `{` after a separator from which the rest of the line is
/// one JSON object.
fn split_fields(text: &str) -> (&str, Option<&str>) {
    let trimmed = text.trim_end();
    if !trimmed.ends_with('}') {
        return (text, None);
    }
    let starts = trimmed
        .char_indices()
        .filter(|&(i, c)| c == '{' && (i == 0 || trimmed[..i].ends_with([' ', '\t'])))
        .map(|(i, _)| i)
        .take(FIELD_STARTS_TRIED);
    for start in starts {
        let candidate = &trimmed[start..];
        if serde_json::from_str::<Entries<'_>>(candidate).is_ok() {
            return (&trimmed[..start], Some(candidate));
        }
    }
    (text, None)
}

#[cfg(test)]
mod tests {
    use super::super::Importer as _;
    use super::*;
    use crate::model::{Category, LogKind, Outcome, TextField as F};

    #[test]
    fn console_lines_split_into_time_level_logger_message_and_fields() {
        let tabbed = "2022-04-07T03:51:31.606Z\tERROR\tpydio.rest.frontend\tRest Error 401\t{\"error\": \"{\\\"id\\\":\\\"login.failed\\\",\\\"code\\\":401}\"}";
        let line = ConsoleLine::parse(tabbed).unwrap();
        assert_eq!(line.time, "2022-04-07T03:51:31.606Z");
        assert_eq!(line.level, "ERROR");
        assert_eq!(line.logger, Some("pydio.rest.frontend"));
        assert_eq!(line.message, "Rest Error 401");
        assert!(line.fields.unwrap().starts_with("{\"error\""));
        // A paste: tabs became runs of spaces, or one space at a tab stop.
        let pasted = "2026-06-19T20:11:09.856Z     INFO    pydio.rest.jobs starting        {\"service\": \"pydio.rest.jobs\", \"tag\": \"scheduler\"}";
        let line = ConsoleLine::parse(pasted).unwrap();
        assert_eq!(line.logger, Some("pydio.rest.jobs"));
        assert_eq!(line.message, "starting");
        let bare = ConsoleLine::parse(
            "2026-06-19T20:11:09.849Z     INFO    pydio.gateway.websocket ready",
        )
        .unwrap();
        assert_eq!(
            (bare.logger, bare.message, bare.fields),
            (Some("pydio.gateway.websocket"), "ready", None)
        );
        // No logger; braces in the message are the message's.
        let no_logger =
            ConsoleLine::parse("2018-10-14T14:25:16+0200\tINFO\tRun {x} now {\"a\": 1}").unwrap();
        assert_eq!((no_logger.logger, no_logger.message), (None, "Run {x} now"));
        assert_eq!(no_logger.fields, Some("{\"a\": 1}"));
        assert!(ConsoleLine::parse("2024-03-14,203.0.113.1,x").is_none());
    }

    #[test]
    fn records_with_colours_prefixes_and_stack_traces_become_events() {
        let text = concat!(
            "cells-1  | \x1b[34mINFO\x1b[0m\n", // continues nothing: a reject
            "cells-1  | 2022-11-22T10:34:13.307Z\t\x1b[31mERROR\x1b[0m\tpydio.grpc.oauth\tCould not create authorize response\t{\"error\": \"invalid_request\", \"SpanRootUuid\": \"1ecd\", \"SpanUuid\": \"e80a\"}\n",
            "cells-1  | goroutine 1 [running]:\n",
            "cells-1  | \tmain.main()\n",
            "Sep 30 23:13:07 files01 cells[812]: {\"level\":\"info\",\"ts\":\"2024-09-30T21:13:07Z\",\"logger\":\"pydio.rest.frontend\",\"msg\":\"Listed folder ds/a\",\"MsgId\":\"13\",\"LogType\":\"audit\",\"UserName\":\"alice\",\"RemoteAddress\":\"192.0.2.7:5050\"}\n",
            "2022-04-07T03:51:31.606Z        ERROR   pydio.rest.frontend     Rest Error 401  {\"error\": \"login.failed\", \"RemoteAddress\": \"175.13.99.216:7680\", \"UserAgent\": \"Mozilla/5.0\"}\n",
        );
        let mut out = Parsed::default();
        Importer.parse(text.as_bytes(), true, &mut out);
        assert_eq!(out.rows, 4);
        assert_eq!(out.rejects.len(), 1, "{:?}", out.rejects);
        assert_eq!(out.rejects[0].line, 1);
        let t = &out.events;
        assert_eq!(t.len(), 3);
        assert_eq!(t.line, [2, 5, 6]);
        assert_eq!(t.log, [LogKind::System, LogKind::Audit, LogKind::System]);
        assert_eq!(
            t.outcome,
            [Outcome::Failure, Outcome::Success, Outcome::Failure]
        );
        assert_eq!(t.text(F::RequestId, 0), "1ecd");
        let details = t.text(F::Details, 0);
        assert!(details.contains(r#""Container":"cells-1""#), "{details}");
        assert!(!details.contains(NO_USER_OR_SPAN), "spans: {details}");
        assert!(t.text(F::Details, 2).contains(NO_USER_OR_SPAN));
        assert!(
            details.contains(r#""Continuation":"goroutine 1 [running]:\n\tmain.main()""#),
            "{details}"
        );
        assert_eq!(t.time_ms[1], 1_727_730_787_000);
        assert_eq!(t.text(F::Actor, 1), "alice");
        assert_eq!(t.text(F::Ip, 1), "192.0.2.7");
        assert_eq!(t.category[1], Category::List);
        assert!(t.text(F::Details, 1).contains(r#""SyslogHost":"files01""#));
        assert_eq!(t.text(F::Ip, 2), "175.13.99.216");
        assert_eq!(t.text(F::UserAgent, 2), "Mozilla/5.0");
        assert_eq!(t.text(F::Message, 2), "Rest Error 401 - login.failed");
    }

    #[test]
    fn only_lines_of_pydio_s_shape_are_claimed() {
        let pydio = b"2026-05-10T11:31:30.336Z\tDEBUG\tpydio.rest.frontend\tEnd ApplyHTTPIncoming\t{\"tag\": \"frontend\"}\n";
        assert!(looks_like_pydio(pydio));
        let other = b"2026-05-10T11:31:30.336Z\tINFO\tserver\tlistening\t{\"port\": 8080}\n";
        assert!(!looks_like_pydio(other));
        let journald = b"Sep 30 23:13:07 host cells[1]: {\"level\":\"error\",\"ts\":\"2024-09-30T21:13:07Z\",\"logger\":\"pydio.grpc.x\",\"msg\":\"x\"}\n";
        assert!(looks_like_pydio(journald));
    }
}
