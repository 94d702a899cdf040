//! Pydio Cells `audit.log` and its rotated backups: JSON lines written by zap.

use super::Parsed;
use super::input::Splitter;
use super::pydio_event::{Entries, LOG_KEYS, event, text_of};
use super::timestamp::parse_timestamp;
use crate::model::RejectKind;

pub struct Importer;

impl super::Importer for Importer {
    fn splitter(&self) -> Splitter {
        Splitter::Lines
    }

    fn parse(&self, chunk: &[u8], first: bool, out: &mut Parsed) {
        let chunk = without_bom(chunk, first);
        // Chunks end at a line's end, so only the file's last chunk can end
        // without one: its last line is where the file was cut, if it is.
        let unterminated = !chunk.ends_with(b"\n");
        let lines = chunk.split(|&b| b == b'\n').count();
        for (index, line) in chunk.split(|&b| b == b'\n').enumerate() {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            out.rows += 1;
            let number = index as u64 + 1;
            let last = unterminated && index + 1 == lines;
            match parse_line(line, number, last) {
                Ok(draft) => out.events.push(&draft, 0),
                Err((kind, reason)) => out.reject(number, kind, reason, line),
            }
        }
    }
}

/// The chunk without the byte order mark that may open the file.
pub(super) fn without_bom(chunk: &[u8], first: bool) -> &[u8] {
    if first {
        chunk.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(chunk)
    } else {
        chunk
    }
}

/// One line as an event, or why not. `last_unterminated`: the line ends the
/// file without a line end, so JSON that stops early there is a cut file.
pub(super) fn parse_line(
    line: &[u8],
    number: u64,
    last_unterminated: bool,
) -> Result<crate::model::EventDraft<'_>, (RejectKind, String)> {
    let text = std::str::from_utf8(line)
        .map_err(|e| (RejectKind::Malformed, format!("not UTF-8 text: {e}")))?;
    let Entries(entries) = serde_json::from_str(text).map_err(|e| {
        if last_unterminated && e.is_eof() {
            (
                RejectKind::CutShort,
                format!("the last record stops before its end: the file is cut short ({e})"),
            )
        } else {
            (RejectKind::Malformed, format!("not a JSON record: {e}"))
        }
    })?;
    let ts = entries
        .iter()
        .find(|(k, _)| k == LOG_KEYS.time)
        .map(|(_, v)| text_of(v))
        .ok_or((
            RejectKind::Invalid,
            "no time: the 'ts' field is missing".to_string(),
        ))?;
    let time = parse_timestamp(&ts).map_err(|e| (RejectKind::Invalid, e))?;
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
            rejects[1].1.starts_with("not a JSON record: "),
            "{}",
            rejects[1].1
        );
        // Bad lines in the middle are not a cut file.
        assert_eq!(out.rejects[0].kind, RejectKind::Invalid);
        assert_eq!(out.rejects[1].kind, RejectKind::Malformed);
        assert!(!out.cut_short);

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

    #[test]
    fn system_and_task_lines_are_told_from_audit_lines_and_never_called_a_success() {
        let text = concat!(
            r#"{"level":"info","ts":"2024-03-15T10:00:00Z","logger":"pydio.grpc.tasks","msg":"ready"}"#,
            "\n",
            r#"{"level":"error","ts":"2024-03-15T10:00:01Z","logger":"pydio.rest.frontend","msg":"Rest Error 401","error":"{\"id\":\"login.failed\",\"code\":401}"}"#,
            "\n",
            r#"{"level":"warn","ts":"2024-03-15T10:00:02Z","logger":"pydio.rest.frontend","msg":"Rest Error 404"}"#,
            "\n",
            r#"{"level":"info","ts":"2024-03-15T10:00:03Z","logger":"pydio.grpc.jobs","msg":"Run Job","LogType":"tasks"}"#,
            "\n",
            r#"{"level":"info","ts":"2024-03-15T10:00:04Z","logger":"pydio.rest.frontend","msg":"Listed folder ds/a","MsgId":"13","LogType":"audit"}"#,
            "\n",
            r#"{"level":"info","ts":"2024-03-15T10:00:05Z","logger":"pydio.grpc.user","msg":"Created role [r1]","MsgId":"51"}"#,
            "\n",
        );
        let mut out = Parsed::default();
        Importer.parse(text.as_bytes(), true, &mut out);
        let t = &out.events;
        use crate::model::LogKind::{Audit, System, Task};
        assert_eq!(t.log, [System, System, System, Task, Audit, Audit]);
        use Outcome::{Failure, Success, Unknown};
        assert_eq!(
            t.outcome,
            [Unknown, Failure, Failure, Unknown, Success, Success]
        );
    }

    #[test]
    fn a_last_line_that_stops_early_without_its_end_is_a_cut_file() {
        let whole = r#"{"level":"info","ts":"2024-03-15T10:41:20+01:00","msg":"Listed folder ds/a","MsgId":"1"}"#;
        let cut = format!("{whole}\n{}", &whole[..40]);
        let mut out = Parsed::default();
        Importer.parse(cut.as_bytes(), true, &mut out);
        assert_eq!(out.rejects.len(), 1);
        assert_eq!(out.rejects[0].kind, RejectKind::CutShort);
        assert!(out.cut_short);
        // The same broken line with its line end: damaged, not cut.
        let mut out = Parsed::default();
        Importer.parse(format!("{cut}\n{whole}\n").as_bytes(), true, &mut out);
        assert_eq!(out.rejects[0].kind, RejectKind::Malformed);
        assert!(!out.cut_short);
    }
}
