//! Format detection by content, never by file name: gzip by its magic bytes,
//! workbooks by their zip signature, JSON by its shape, CSV by its header.

use super::Importer;
use super::csv_rows::{Header, first_record};
use super::input::{self, Candidate, GZIP_MAGIC};
use super::{
    auditview_export, auditview_parquet, basespace, dnanexus, pydio_console, pydio_export,
    pydio_log, pydio_resources, timestamp,
};
use crate::model::Format;

/// How to read one recognized input.
pub struct Plan {
    pub format: Format,
    pub gzip: bool,
    pub importer: Box<dyn Importer>,
}

impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field("format", &self.format)
            .field("gzip", &self.gzip)
            .finish()
    }
}

/// How much of a file is read to recognize it: first `HEAD`, more when its
/// first line is longer, up to `MAX_HEAD`.
const HEAD: usize = 64 << 10;
const MAX_HEAD: usize = 16 << 20;
const ZIP_MAGIC: [u8; 4] = *b"PK\x03\x04";

/// Recognizes a file, or says in words why it is not one of ours.
pub fn plan_for(candidate: &Candidate) -> Result<Plan, String> {
    // Enough to hold the first line (a header, a record) whole, up to MAX_HEAD.
    let mut limit = HEAD;
    let head = loop {
        let head = input::read_head(candidate, limit).map_err(|e| input::describe_io(&e))?;
        let start = head
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(0);
        let whole_line = memchr::memchr(b'\n', &head[start..]).is_some();
        if head.len() < limit || whole_line || limit >= MAX_HEAD {
            break head;
        }
        limit = (limit * 8).min(MAX_HEAD);
    };
    let mut magic = [0u8; 2];
    let gzip = {
        use std::io::Read;
        candidate
            .open()
            .and_then(|mut f| f.read_exact(&mut magic))
            .is_ok()
            && magic == GZIP_MAGIC
    };
    if head.starts_with(&ZIP_MAGIC) {
        if gzip {
            return Err("a workbook inside gzip is not supported; decompress it first".into());
        }
        let bytes = candidate.read_all().map_err(|e| input::describe_io(&e))?;
        let importer = pydio_resources::Importer::from_workbook(&bytes)?;
        return Ok(Plan {
            format: Format::PydioSharedResources,
            gzip,
            importer: Box::new(importer),
        });
    }
    if head.starts_with(auditview_parquet::MAGIC) {
        if gzip {
            return Err("a Parquet file inside gzip is not supported; decompress it first".into());
        }
        let bytes = candidate.read_all().map_err(|e| input::describe_io(&e))?;
        return Ok(Plan {
            format: Format::AuditviewParquet,
            gzip,
            importer: Box::new(auditview_parquet::Importer::from_bytes(bytes)?),
        });
    }
    let (format, importer) = sniff(&head)?;
    Ok(Plan {
        format,
        gzip,
        importer,
    })
}

/// Recognizes text content from its first bytes.
pub fn sniff(head: &[u8]) -> Result<(Format, Box<dyn Importer>), String> {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = text.iter().position(|b| !b.is_ascii_whitespace());
    let Some(start) = start else {
        return Err("the file is empty".into());
    };
    // Binary when the first line holds a NUL, or NULs are more than a few
    // in the first 4 KB: one in a later record is that record's reject.
    let first_line = &text[start..];
    let first_line = &first_line[..memchr::memchr(b'\n', first_line).unwrap_or(first_line.len())];
    let sample = &text[..text.len().min(4096)];
    if first_line.contains(&0) || memchr::memchr_iter(0, sample).count() > sample.len() / 64 {
        return Err("binary data, not a text export".into());
    }
    if text[start] == b'{' || text[start] == b'[' {
        return sniff_json(&text[start..]);
    }
    if pydio_console::looks_like_pydio(&text[start..]) {
        return Ok((Format::PydioLog, Box::new(pydio_console::Importer)));
    }
    sniff_csv(text)
}

/// How many lines of a JSON-lines file are looked at for Pydio's shape.
const SHAPE_LINES: usize = 20;

fn sniff_json(text: &[u8]) -> Result<(Format, Box<dyn Importer>), String> {
    if first_key(text).as_deref() == Some("Logs") {
        return Ok((
            Format::PydioAuditExportJson,
            Box::new(pydio_export::Importer),
        ));
    }
    let mut records = 0;
    for line in text.split(|&b| b == b'\n').take(SHAPE_LINES) {
        let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(line) else {
            continue;
        };
        records += 1;
        if has_pydio_shape(&map) {
            return Ok((Format::PydioAuditJsonl, Box::new(pydio_log::Importer)));
        }
    }
    let first = quoted_first_line(text);
    if records > 0 {
        return Err(format!(
            "JSON lines, but not Pydio Cells logs: none of the first {SHAPE_LINES} lines has a \
             `pydio.` logger, a LogType, a message id (MsgId) or Pydio's span and user fields \
             (first line: {first})"
        ));
    }
    // No line is a JSON object by itself: one document over several lines.
    let mut documents = serde_json::Deserializer::from_slice(text).into_iter::<serde_json::Value>();
    match documents.next() {
        Some(Ok(serde_json::Value::Object(map))) if has_pydio_shape(&map) => Err(format!(
            "a Pydio Cells record written over several lines (pretty-printed JSON): Cells \
             writes one record per line and this is not read (first line: {first})"
        )),
        _ => Err(format!(
            "JSON, but neither Pydio Cells log lines (one record per line) nor an audit export \
             ({{\"Logs\": [...]}}) (first line: {first})"
        )),
    }
}

/// Whether a JSON record has Pydio Cells' shape: a string `ts` (RFC 3339;
/// zap's default is a number) and a `pydio.` logger, a `LogType`, a
/// message id or the span and user fields Cells adds.
pub(super) fn has_pydio_shape(map: &serde_json::Map<String, serde_json::Value>) -> bool {
    let pydio_logger = map
        .get("logger")
        .and_then(serde_json::Value::as_str)
        .is_some_and(|logger| logger.starts_with("pydio."));
    map.get("ts").is_some_and(serde_json::Value::is_string)
        && (pydio_logger || PYDIO_KEYS.iter().any(|k| map.contains_key(*k)))
}

/// Keys only Pydio Cells writes: its log type, message ids, spans and the
/// user, node and workspace ids of its audit context.
pub(super) const PYDIO_KEYS: [&str; 8] = [
    "LogType",
    "MsgId",
    "SpanUuid",
    "SpanRootUuid",
    "SpanParentUuid",
    "UserUuid",
    "NodeUuid",
    "WorkspaceUuid",
];

/// The file's first non-blank line as it is, hidden characters shown and
/// cut at 100 characters: what a reason quotes.
fn quoted_first_line(text: &[u8]) -> String {
    let line = text
        .split(|&b| b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace))
        .unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let line = String::from_utf8_lossy(line);
    timestamp::shorten(&crate::display::reveal(&line), 100)
}

/// The first key of a JSON object, read without parsing the whole document.
fn first_key(text: &[u8]) -> Option<String> {
    let rest = text.strip_prefix(b"{")?;
    let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
    let mut stream = serde_json::Deserializer::from_slice(&rest[start..]).into_iter::<String>();
    stream.next()?.ok()
}

fn sniff_csv(text: &[u8]) -> Result<(Format, Box<dyn Importer>), String> {
    let Some(record) = first_record(text) else {
        return Err(format!(
            "not a recognized audit format: no CSV record could be read (first line: {})",
            quoted_first_line(text)
        ));
    };
    let header = Header::new(&record);
    if header.has("time (utc)") && header.has("source file") && header.has("source line") {
        let importer = auditview_export::Importer::new(&header)?;
        return Ok((Format::AuditviewExportCsv, Box::new(importer)));
    }
    if header.has("timestamp") && header.has("acting user id") {
        return Ok((
            Format::DnanexusAuditCsv,
            Box::new(dnanexus::Importer::with_header(&header)?),
        ));
    }
    if header.has("file/folder") && header.has("resource type") {
        let importer = pydio_resources::Importer::new(&header)?;
        return Ok((Format::PydioSharedResources, Box::new(importer)));
    }
    if header.has("event-type") && (header.has("user-email") || header.has("client-address")) {
        let importer = basespace::LoginImporter::new(&header)?;
        return Ok((Format::BasespaceLoginCsv, Box::new(importer)));
    }
    if header.has("workgroup name") {
        let importer = basespace::WorkgroupImporter::new(&header)?;
        return Ok((Format::BasespaceWorkgroupCsv, Box::new(importer)));
    }
    if header.has("total sessions") || (header.has("last login") && header.has("login")) {
        let importer = basespace::UsageImporter::new(&header)?;
        return Ok((Format::BasespaceUsageCsv, Box::new(importer)));
    }
    if looks_like_headerless_dnanexus(&record) {
        return Ok((
            Format::DnanexusAuditCsv,
            Box::new(dnanexus::Importer::headerless()),
        ));
    }
    Err(format!(
        "not a recognized audit format (first line: {})",
        quoted_first_line(text)
    ))
}

/// A DNAnexus row without header: 13 fields, a timestamp, a `class-method`
/// action and a Yes/No success status.
fn looks_like_headerless_dnanexus(record: &csv::ByteRecord) -> bool {
    if record.len() != dnanexus::COLUMNS {
        return false;
    }
    let field = |i: usize| std::str::from_utf8(record.get(i).unwrap_or_default()).unwrap_or("");
    let action = field(4);
    timestamp::has_timestamp_form(field(0))
        && action.split_once('-').is_some_and(|(class, method)| {
            !class.is_empty() && class.bytes().all(|b| b.is_ascii_lowercase()) && !method.is_empty()
        })
        && matches!(field(9).trim(), "Yes" | "No" | "yes" | "no" | "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format_of(text: &str) -> Result<Format, String> {
        sniff(text.as_bytes()).map(|(f, _)| f)
    }

    #[test]
    fn recognizes_each_format_by_content() {
        let cases = [
            (
                "Timestamp,IP Address,User Agent,Acting User ID,Action,Object ID,Object Name,Project ID,Project Name,Success Status,Info,Label,Auth Token\n",
                Format::DnanexusAuditCsv,
            ),
            (
                "\u{feff}Timestamp,IP Address,User Agent,Acting User ID,Action,Object ID,Object Name,Project ID,Project Name,Success Status,Info,Label,Auth Token\r\n",
                Format::DnanexusAuditCsv,
            ),
            (
                "2024-03-14T00:00:07Z,203.0.113.18,dxpy,user-svc,system-whoami,,,,,Yes,{},,Zf3b\n",
                Format::DnanexusAuditCsv,
            ),
            (
                "{\"level\":\"info\",\"ts\":\"2024-03-15T08:02:11+01:00\",\"logger\":\"pydio.grpc.tasks\",\"msg\":\"x\"}\n",
                Format::PydioAuditJsonl,
            ),
            ("{\n  \"Logs\": [\n", Format::PydioAuditExportJson),
            (
                "File/Folder,Resource Type,Label,Owner,Readable by,Writeable by,Workspace ID\n",
                Format::PydioSharedResources,
            ),
            (
                "Date,Category,Client-address,Application,User-email,Domain-name,Event-type\n",
                Format::BasespaceLoginCsv,
            ),
            (
                "User Name,Total Sessions,Last Login,Access Counts,Registration Date,Login\n",
                Format::BasespaceUsageCsv,
            ),
            (
                "Workgroup Name,Workgroup Description,Workgroup Administrator,Collaborators Outside Domain,User Name,User-email,Role,Has Access,Date Added\n",
                Format::BasespaceWorkgroupCsv,
            ),
        ];
        for (text, format) in cases {
            assert_eq!(format_of(text), Ok(format), "{text}");
        }
    }

    #[test]
    fn json_logs_of_other_servers_are_not_claimed_and_the_reason_quotes_their_first_line() {
        let others = [
            // Nextcloud's nextcloud.log
            r#"{"reqId":"Yx1","level":2,"time":"2024-03-14T08:00:00+00:00","remoteAddr":"192.0.2.4","user":"alice","app":"core","method":"GET","url":"/index.php","message":"Login failed: alice","userAgent":"Mozilla/5.0","version":"28.0.1.1"}"#,
            // SFTPGo
            r#"{"level":"info","time":"2024-03-14T08:00:00.123","sender":"Upload","local_addr":"192.0.2.1:2022","remote_addr":"192.0.2.9:51000","elapsed_ms":12,"size_bytes":42,"username":"bob","file_path":"/a.txt","connection_id":"SFTP_x","protocol":"SFTP","message":"upload ok"}"#,
            // Caddy (zap with a numeric ts)
            r#"{"level":"info","ts":1710403200.123,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"192.0.2.5","method":"GET","uri":"/"},"status":200}"#,
            // A generic zap service
            r#"{"level":"info","ts":"2024-03-14T08:00:00Z","caller":"main.go:42","msg":"listening","port":8080}"#,
        ];
        for line in others {
            let error = format_of(&format!("{line}\n{line}\n")).unwrap_err();
            assert!(
                error.starts_with("JSON lines, but not Pydio Cells logs"),
                "{error}"
            );
            assert!(
                error.ends_with(&format!("(first line: {})", timestamp::shorten(line, 100))),
                "{error}"
            );
        }
        // A system line without marks first, Pydio's logger on the next.
        let pydio = concat!(
            "{\"level\":\"info\",\"ts\":\"2018-10-14T14:25:16+02:00\",\"msg\":\"[INFO] Scanning for stale OCSP staples\"}\n",
            "{\"level\":\"info\",\"ts\":\"2018-10-14T14:25:16+02:00\",\"logger\":\"pydio.grpc.tasks\",\"msg\":\"Run Job\"}\n",
        );
        assert_eq!(format_of(pydio), Ok(Format::PydioAuditJsonl));
    }

    #[test]
    fn a_pretty_printed_pydio_record_is_named_as_such_not_said_to_lack_its_keys() {
        let pretty = "{\n  \"level\": \"info\",\n  \"ts\": \"2024-03-14T08:00:00Z\",\n  \"msg\": \"Listed folder a\",\n  \"MsgId\": \"13\"\n}\n";
        let error = format_of(pretty).unwrap_err();
        assert_eq!(
            error,
            "a Pydio Cells record written over several lines (pretty-printed JSON): Cells writes \
             one record per line and this is not read (first line: {)"
        );
    }

    #[test]
    fn a_csv_that_is_not_ours_is_quoted_as_written() {
        assert_eq!(
            format_of("\"Name\", \"Age, years\"\tx\nbob,3\n"),
            Err(
                "not a recognized audit format (first line: \"Name\", \"Age, years\"‹U+0009›x)"
                    .into()
            )
        );
    }

    #[test]
    fn explains_what_it_does_not_recognize() {
        assert_eq!(format_of("  \n"), Err("the file is empty".into()));
        assert_eq!(
            format_of("name,age\nbob,3\n"),
            Err("not a recognized audit format (first line: name,age)".into())
        );
        assert!(
            format_of("{\"a\":1}\n")
                .unwrap_err()
                .starts_with("JSON lines, but not Pydio Cells logs")
        );
    }
}
