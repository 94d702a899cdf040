//! The Pydio Cells audit export / REST shape: `{"Logs":[LogMessage...]}`,
//! with `Ts` in Unix seconds and the unindexed keys packed in `JsonZaps`.

use crate::model::RejectKind;
use std::borrow::Cow;

use serde_json::value::RawValue;

use super::Parsed;
use super::input::Splitter;
use super::pydio_event::{EXPORT_KEYS, Entries, event, text_of};
use super::timestamp::from_unix_seconds;
use crate::model::EventDraft;

pub struct Importer;

impl super::Importer for Importer {
    fn splitter(&self) -> Splitter {
        Splitter::Whole
    }

    fn parse(&self, chunk: &[u8], _first: bool, out: &mut Parsed) {
        let data = chunk.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(chunk);
        let text = String::from_utf8_lossy(data);
        let lines = LineIndex::new(&text);
        let Some(mut at) = logs_array_start(&text) else {
            out.rows += 1;
            out.reject(
                1,
                RejectKind::Malformed,
                "not an audit export: no \"Logs\" array",
                &data[..data.len().min(200)],
            );
            return;
        };
        loop {
            at = skip_ws(&text, at);
            match text.as_bytes().get(at) {
                Some(b']') => return,
                Some(b',') => {
                    at += 1;
                    continue;
                }
                None => {
                    out.rows += 1;
                    out.reject(
                        lines.line_of(at),
                        RejectKind::CutShort,
                        "the \"Logs\" array ends early: the file is cut short",
                        b"",
                    );
                    return;
                }
                Some(_) => {}
            }
            let line = lines.line_of(at);
            let mut stream =
                serde_json::Deserializer::from_str(&text[at..]).into_iter::<&RawValue>();
            let raw = match stream.next() {
                Some(Ok(raw)) => raw,
                Some(Err(err)) => {
                    out.rows += 1;
                    let rest = &text.as_bytes()[at..];
                    let (kind, what) = if err.is_eof() {
                        (
                            RejectKind::CutShort,
                            "the record stops before its end: the file is cut short",
                        )
                    } else {
                        (RejectKind::Malformed, "not a JSON record")
                    };
                    out.reject(
                        line,
                        kind,
                        format!("{what} ({err}); the records after this point could not be read"),
                        rest,
                    );
                    return;
                }
                None => return,
            };
            at += stream.byte_offset();
            out.rows += 1;
            match record(raw, line) {
                Ok(draft) => out.events.push(&draft, 0),
                Err(reason) => out.reject(line, RejectKind::Invalid, reason, raw.get().as_bytes()),
            }
        }
    }
}

fn record(raw: &RawValue, line: u64) -> Result<EventDraft<'_>, String> {
    let Entries(mut entries) =
        serde_json::from_str(raw.get()).map_err(|e| format!("not a JSON object: {e}"))?;
    let ts = entries
        .iter()
        .find(|(k, _)| k == EXPORT_KEYS.time)
        .map(|(_, v)| text_of(v))
        .ok_or("no time: the 'Ts' field is missing")?;
    let seconds: i64 = ts
        .trim()
        .parse()
        .map_err(|_| format!("'Ts' value '{ts}' is not Unix seconds"))?;
    let time_ms = from_unix_seconds(seconds)
        .ok_or_else(|| format!("'Ts' value '{ts}' is outside the years 0000 to 9999"))?;
    // Unpack JsonZaps so its keys (CellUuid, error, ...) read like a log line's.
    // JsonZaps that is not a JSON object stays as written, with a note.
    let zaps = entries
        .iter()
        .position(|(k, _)| k == "JsonZaps")
        .filter(|&i| {
            let zaps = text_of(entries[i].1);
            let unpacks = serde_json::from_str::<Entries<'_>>(&zaps).is_ok();
            if !unpacks && let Ok(note) = serde_json::from_str::<&'static RawValue>(ZAPS_NOTE) {
                entries.push((Cow::Borrowed("JsonZapsNote"), note));
            }
            unpacks
        })
        .map(|i| entries.remove(i).1);
    let mut draft = match zaps.map(text_of) {
        Some(Cow::Borrowed(zaps)) => {
            if let Ok(Entries(unpacked)) = serde_json::from_str::<Entries<'_>>(zaps) {
                entries.extend(unpacked);
            }
            event(&entries, &EXPORT_KEYS, time_ms, 0, line).into_owned()
        }
        Some(Cow::Owned(zaps)) => {
            let zaps: String = zaps;
            let mut all: Vec<(Cow<'_, str>, &RawValue)> = entries.clone();
            if let Ok(Entries(unpacked)) = serde_json::from_str::<Entries<'_>>(&zaps) {
                all.extend(unpacked);
            }
            event(&all, &EXPORT_KEYS, time_ms, 0, line).into_owned()
        }
        None => event(&entries, &EXPORT_KEYS, time_ms, 0, line).into_owned(),
    };
    draft.line = line;
    Ok(draft)
}

/// What Details say of a `JsonZaps` that is not a JSON object.
const ZAPS_NOTE: &str = "\"JsonZaps is not a JSON object: kept as written\"";

/// Byte offset just after the `[` of the top-level `"Logs"` array.
fn logs_array_start(text: &str) -> Option<usize> {
    let at = skip_ws(text, 0);
    if text.as_bytes().get(at) != Some(&b'{') {
        return None;
    }
    let key_start = skip_ws(text, at + 1);
    let rest = text.get(key_start..)?.strip_prefix("\"Logs\"")?;
    let after_key = text.len() - rest.len();
    let colon = skip_ws(text, after_key);
    if text.as_bytes().get(colon) != Some(&b':') {
        return None;
    }
    let bracket = skip_ws(text, colon + 1);
    (text.as_bytes().get(bracket) == Some(&b'[')).then_some(bracket + 1)
}

fn skip_ws(text: &str, mut at: usize) -> usize {
    while text.as_bytes().get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// Byte offset to 1-based line number.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    fn line_of(&self, offset: usize) -> u64 {
        self.starts.partition_point(|&s| s <= offset) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::super::Importer as _;
    use super::*;
    use crate::model::{ResourceKind, TextField as F};

    #[test]
    fn json_zaps_that_is_not_an_object_is_kept_as_written_with_a_note() {
        let text = "{\"Logs\": [{\"Msg\": \"Listed folder a\", \"MsgId\": \"13\", \"Ts\": 1710522931, \"JsonZaps\": \"[1, 2\"}]}";
        let mut out = Parsed::default();
        Importer.parse(text.as_bytes(), true, &mut out);
        assert_eq!(out.events.len(), 1, "{:?}", out.rejects);
        let details = out.events.text(F::Details, 0);
        assert!(details.contains(r#""JsonZaps":"[1, 2""#), "{details}");
        assert!(
            details.contains(r#""JsonZapsNote":"JsonZaps is not a JSON object: kept as written""#),
            "{details}"
        );
    }

    #[test]
    fn reads_records_with_their_lines_and_unpacks_json_zaps() {
        let text = "{\n  \"Logs\": [\n    {\n      \"Msg\": \"Updated share link [Évidence]\",\n      \"MsgId\": \"77\",\n      \"Ts\": 1710522931,\n      \"JsonZaps\": \"{\\\"ShareLinkUuid\\\":\\\"l1\\\"}\",\n      \"UserName\": \"alice\"\n    },\n    {\"Msg\": \"x\"},\n    {\"Msg\": \"y\", \"Ts\": \"soon\"}\n  ]\n}\n";
        let mut out = Parsed::default();
        Importer.parse(text.as_bytes(), true, &mut out);
        assert_eq!(out.rows, 3);
        assert_eq!(out.events.len(), 1);
        assert_eq!(out.events.line[0], 3);
        assert_eq!(out.events.time_ms[0], 1_710_522_931_000);
        assert_eq!(out.events.text(F::ObjectId, 0), "l1");
        assert_eq!(out.events.text(F::ResourceName, 0), "Évidence");
        assert_eq!(out.events.resource_kind[0], ResourceKind::PublicLink);
        let rejects: Vec<(u64, &str)> = out
            .rejects
            .iter()
            .map(|r| (r.line, r.reason.as_str()))
            .collect();
        assert_eq!(
            rejects,
            [
                (10, "no time: the 'Ts' field is missing"),
                (11, "'Ts' value 'soon' is not Unix seconds")
            ]
        );
    }

    #[test]
    fn a_ts_beyond_the_year_9999_is_a_reject_not_a_wrapped_time() {
        // 2305843010923693952 * 1000 wrapped to 2024-03-09T16:00Z in release.
        let text = "{\"Logs\":[\n{\"Msg\":\"a\",\"Ts\":2305843010923693952}\n]}\n";
        let mut out = Parsed::default();
        Importer.parse(text.as_bytes(), true, &mut out);
        assert_eq!(out.events.len(), 0);
        assert_eq!(out.rejects.len(), 1);
        assert_eq!(
            out.rejects[0].reason,
            "'Ts' value '2305843010923693952' is outside the years 0000 to 9999"
        );
    }

    #[test]
    fn a_cut_short_export_keeps_the_records_before_the_cut() {
        let text = "{\"Logs\":[\n{\"Msg\":\"a\",\"Ts\":1},\n{\"Msg\":\"b\",\"Ts\":";
        let mut out = Parsed::default();
        Importer.parse(text.as_bytes(), true, &mut out);
        assert_eq!(out.events.len(), 1);
        assert_eq!(out.rejects.len(), 1);
        assert_eq!(out.rejects[0].line, 3);
    }
}
