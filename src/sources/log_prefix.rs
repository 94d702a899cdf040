//! What log shippers and terminals add around a server's own line: ANSI
//! colour codes, and the prefixes of syslog (RFC 3164, RFC 5424),
//! `journalctl` (short, short-iso) and docker (compose, swarm). Taken off
//! so the line reads as the server wrote it, and kept as fields.

use std::borrow::Cow;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// What a log shipper wrote before Cells' own text.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Prefix<'a> {
    /// The shipper's time (syslog, journald), kept apart from Cells' time.
    pub time: Option<&'a str>,
    pub host: Option<&'a str>,
    /// The syslog tag or application (`cells`), without its process id.
    pub unit: Option<&'a str>,
    /// The docker-compose service (`cells_1`).
    pub container: Option<&'a str>,
}

/// `line` without ANSI escape sequences (colours around levels and
/// loggers); borrowed when it has none.
pub fn without_ansi(line: &str) -> Cow<'_, str> {
    if !line.contains('\x1b') {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        let mut rest = chars.clone();
        if rest.next() == Some('[') {
            // Parameters, then one final character in @..~.
            for c in rest.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
            chars = rest;
        }
    }
    Cow::Owned(out)
}

/// Splits a shipper's prefix off: docker-compose (`cells_1  | `) and swarm
/// (`cells_cells.1.x7k2p9@node1    | `), RFC 5424
/// and RFC 3164 syslog, `journalctl` short and short-iso. No prefix: all
/// of the line is Cells' text.
pub fn split_prefix(line: &str) -> (Prefix<'_>, &str) {
    compose(line)
        .or_else(|| rfc5424(line))
        .or_else(|| bsd_syslog(line))
        .or_else(|| short_iso(line))
        .unwrap_or((Prefix::default(), line))
}

fn compose(line: &str) -> Option<(Prefix<'_>, &str)> {
    let head = &line[..floor_boundary(line, 80)];
    let bar = head.find(" |")?;
    let name = line[..bar].trim_end();
    let named = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'@'));
    if !named {
        return None;
    }
    let rest = &line[bar + 2..];
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    let prefix = Prefix {
        container: Some(name),
        ..Prefix::default()
    };
    Some((prefix, rest))
}

/// `<PRI>` at the start of a syslog line, then the rest.
fn after_priority(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('<')?;
    let close = rest.find('>')?;
    let digits = &rest[..close];
    ((1..=3).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| &rest[close + 1..])
}

fn rfc5424(line: &str) -> Option<(Prefix<'_>, &str)> {
    let rest = after_priority(line)?.strip_prefix("1 ")?;
    let mut parts = rest.splitn(6, ' ');
    let (time, host, app) = (parts.next()?, parts.next()?, parts.next()?);
    let (_process, _message_id, tail) = (parts.next()?, parts.next()?, parts.next()?);
    let message = match tail.strip_prefix('-') {
        Some(message) => message,
        None => skip_structured_data(tail)?,
    };
    // `-` is syslog's nil value.
    let value = |v: &str| -> bool { v != "-" };
    let prefix = Prefix {
        time: value(time).then_some(time),
        host: value(host).then_some(host),
        unit: value(app).then_some(app),
        container: None,
    };
    Some((prefix, message.strip_prefix(' ').unwrap_or(message)))
}

/// RFC 5424 structured data: one or more `[id key="value"...]`, where a
/// value may hold `\]` and `\"`.
fn skip_structured_data(text: &str) -> Option<&str> {
    if !text.starts_with('[') {
        return None;
    }
    let mut rest = text;
    while rest.starts_with('[') {
        let mut escaped = false;
        let mut quoted = false;
        let mut end = None;
        for (i, c) in rest.char_indices().skip(1) {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => quoted = !quoted,
                ']' if !quoted => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        rest = &rest[end? + 1..];
    }
    Some(rest)
}

fn bsd_syslog(line: &str) -> Option<(Prefix<'_>, &str)> {
    let stamped = after_priority(line).unwrap_or(line);
    let month = stamped.get(..3)?;
    if !MONTHS.contains(&month) {
        return None;
    }
    let rest = stamped[3..].strip_prefix(' ')?.trim_start_matches(' ');
    let (day, rest) = rest.split_once(' ')?;
    let (clock, after_time) = rest.split_once(' ')?;
    let clock_ok = clock.len() == 8
        && clock.bytes().enumerate().all(|(i, b)| {
            if i == 2 || i == 5 {
                b == b':'
            } else {
                b.is_ascii_digit()
            }
        });
    if !(1..=2).contains(&day.len()) || !day.bytes().all(|b| b.is_ascii_digit()) || !clock_ok {
        return None;
    }
    let time = &stamped[..stamped.len() - after_time.len() - 1];
    syslog_prefix(time, after_time)
}

/// `journalctl -o short-iso`: `2024-09-30T23:13:07+0200 host cells[7]: `.
fn short_iso(line: &str) -> Option<(Prefix<'_>, &str)> {
    let (time, rest) = line.split_once(' ')?;
    if !starts_with_date(time) || time.contains('\t') {
        return None;
    }
    let (prefix, message) = syslog_prefix(time, rest)?;
    let level = prefix.host.is_some_and(|host| {
        super::pydio_console::LEVELS
            .iter()
            .any(|l| l.eq_ignore_ascii_case(host))
    });
    (!level).then_some((prefix, message))
}

/// After a syslog time, `host tag[pid]: message` or `host tag: message`:
/// the prefix and the message.
fn syslog_prefix<'a>(time: &'a str, text: &'a str) -> Option<(Prefix<'a>, &'a str)> {
    let (host, rest) = text.split_once(' ')?;
    let (tag, message) = rest.split_once(": ")?;
    let bare = |s: &str| !s.is_empty() && !s.contains([' ', '\t']);
    if !bare(host) || !bare(tag) {
        return None;
    }
    let unit = tag.split_once('[').map_or(tag, |(unit, _)| unit);
    let prefix = Prefix {
        time: Some(time),
        host: Some(host),
        unit: Some(unit),
        container: None,
    };
    Some((prefix, message))
}

/// `YYYY-MM-DD` then `T` or a space.
pub(super) fn starts_with_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 11
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && matches!(b[10], b'T' | b' ')
}

/// The largest char boundary of `text` at or below `at`.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shippers_prefixes_are_fields_and_cells_time_stays_the_event_time() {
        let cases = [
            (
                "Sep 30 23:13:07 files01 cells[812]: {\"level\":\"error\"}",
                Prefix {
                    time: Some("Sep 30 23:13:07"),
                    host: Some("files01"),
                    unit: Some("cells"),
                    container: None,
                },
            ),
            (
                "<30>Sep  3 01:02:03 files01 cells: {\"level\":\"error\"}",
                Prefix {
                    time: Some("Sep  3 01:02:03"),
                    host: Some("files01"),
                    unit: Some("cells"),
                    container: None,
                },
            ),
            (
                "<165>1 2024-09-30T23:13:07.1Z files01 cells 812 - [meta x=\"a]b\\\"\"] {\"level\":\"error\"}",
                Prefix {
                    time: Some("2024-09-30T23:13:07.1Z"),
                    host: Some("files01"),
                    unit: Some("cells"),
                    container: None,
                },
            ),
            (
                "2024-09-30T23:13:07+0200 files01 cells[812]: {\"level\":\"error\"}",
                Prefix {
                    time: Some("2024-09-30T23:13:07+0200"),
                    host: Some("files01"),
                    unit: Some("cells"),
                    container: None,
                },
            ),
            (
                "cells_1  | {\"level\":\"error\"}",
                Prefix {
                    container: Some("cells_1"),
                    ..Prefix::default()
                },
            ),
            // docker service logs (swarm): service.replica.task@node
            (
                "cells_cells.1.x7k2p9@node1    | {\"level\":\"error\"}",
                Prefix {
                    container: Some("cells_cells.1.x7k2p9@node1"),
                    ..Prefix::default()
                },
            ),
        ];
        for (line, prefix) in cases {
            assert_eq!(
                split_prefix(line),
                (prefix, "{\"level\":\"error\"}"),
                "{line}"
            );
        }
        // A console line is no journald line: its second word is a level.
        let console = "2024-09-30T23:13:07.100Z INFO pydio.grpc.x: ready";
        assert_eq!(split_prefix(console).1, console);
    }
}
