//! Pydio Cells `audit.log` and its rotated backups: JSON lines written by zap.

use super::Parsed;
use super::input::Splitter;
use super::pydio_event::{Entries, LOG_KEYS, event, text_of};
use super::timestamp::parse_timestamp;

pub struct Importer;

impl super::Importer for Importer {
    fn splitter(&self) -> Splitter {
        Splitter::Lines
    }

    fn parse(&self, chunk: &[u8], first: bool, out: &mut Parsed) {
        let chunk = if first {
            chunk.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(chunk)
        } else {
            chunk
        };
        for (index, line) in chunk.split(|&b| b == b'\n').enumerate() {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            out.rows += 1;
            let number = index as u64 + 1;
            match parse_line(line, number) {
                Ok(draft) => out.events.push(&draft, 0),
                Err(reason) => out.reject(number, reason, line),
            }
        }
    }
}

fn parse_line(line: &[u8], number: u64) -> Result<crate::model::EventDraft<'_>, String> {
    let text = std::str::from_utf8(line).map_err(|e| format!("not UTF-8 text: {e}"))?;
    let Entries(entries) = serde_json::from_str(text)
        .map_err(|e| format!("not a whole JSON record (cut short or damaged): {e}"))?;
    let ts = entries
        .iter()
        .find(|(k, _)| k == LOG_KEYS.time)
        .map(|(_, v)| text_of(v))
        .ok_or("no time: the 'ts' field is missing")?;
    let time = parse_timestamp(&ts)?;
    Ok(event(
        &entries,
        &LOG_KEYS,
        time.utc_ms,
        time.offset_min,
        number,
    ))
}

#[cfg(test)]
mod tests {
    use super::super::Importer as _;
    use super::*;
    use crate::model::{Category, NodeType, Outcome, ResourceKind, TextField as F};

    #[test]
    fn maps_a_download_line_and_rejects_bad_ones_with_their_line() {
        let text = concat!(
            r#"{"level":"info","ts":"2024-03-15T10:41:20+01:00","logger":"pydio.gateway.data","msg":"Retrieved object at ds/a/IMG.jpg","SpanUuid":"s1","RemoteAddress":"203.0.113.77:5050","UserAgent":"UA","UserName":"cf49","UserUuid":"u1","Profile":"shared","MsgId":"21","NodeUuid":"n1","NodePath":"ds/a/IMG.jpg","WorkspaceUuid":"w1","WorkspaceScope":"LINK"}"#,
            "\n\n",
            "{\"level\":\"info\",\"msg\":\"no time\"}\n",
            "{not json\n",
            r#"{"level":"error","ts":"2024-03-14T23:10:00Z","msg":"Policy denied login to [eve]","MsgId":"3","UserUuid":"eve","error":"denied"}"#,
            "\n"
        );
        let mut out = Parsed::default();
        Importer.parse(text.as_bytes(), true, &mut out);
        assert_eq!(out.rows, 4);
        let rejects: Vec<(u64, &str)> = out
            .rejects
            .iter()
            .map(|r| (r.line, r.reason.as_str()))
            .collect();
        assert_eq!(rejects[0], (3, "no time: the 'ts' field is missing"));
        assert_eq!(rejects[1].0, 4);
        assert!(
            rejects[1]
                .1
                .starts_with("not a whole JSON record (cut short or damaged): "),
            "{}",
            rejects[1].1
        );

        let t = &out.events;
        assert_eq!(t.len(), 2);
        assert_eq!(t.utc_offset_min[0], 60);
        assert_eq!(t.text(F::Actor, 0), "cf49");
        assert_eq!(t.text(F::Ip, 0), "203.0.113.77");
        assert_eq!(t.text(F::Action, 0), "Retrieved object");
        assert_eq!(t.text(F::NodePath, 0), "ds/a/IMG.jpg");
        assert_eq!(t.text(F::ObjectName, 0), "IMG.jpg");
        assert_eq!(t.text(F::RequestId, 0), "s1");
        assert_eq!(t.text(F::Resource, 0), "w1");
        assert_eq!(t.category[0], Category::Download);
        assert_eq!(t.node_type[0], NodeType::File);
        assert_eq!(t.resource_kind[0], ResourceKind::PublicLink);
        assert_eq!(t.outcome[0], Outcome::Success);

        assert_eq!(
            t.text(F::Message, 1),
            "Policy denied login to [eve] - denied"
        );
        assert_eq!(t.text(F::Actor, 1), "eve");
        assert_eq!(t.outcome[1], Outcome::Failure);
        assert_eq!(t.category[1], Category::LoginFailed);
        assert_eq!(t.line[1], 5);
    }
}
