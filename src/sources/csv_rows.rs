//! RFC 4180 records with the physical line where each starts, for the CSV
//! importers; and headers mapped by name, not position.

pub use super::csv_header::Header;
use crate::model::RejectKind;
use std::borrow::Cow;

use csv::{ByteRecord, StringRecord};

fn reader(data: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data)
}

/// The first record of `data`, BOM stripped.
pub fn first_record(data: &[u8]) -> Option<ByteRecord> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut record = ByteRecord::new();
    reader(data)
        .read_byte_record(&mut record)
        .ok()?
        .then_some(record)
}

/// A record's fields: checked as UTF-8 once for the whole record, or kept
/// as bytes when it is not valid UTF-8.
pub enum Fields<'a> {
    Text(&'a StringRecord),
    Bytes(&'a ByteRecord),
}

/// One CSV record: its fields, its 1-based starting line in the chunk, its raw bytes.
pub struct Row<'a> {
    pub fields: Fields<'a>,
    pub line: u64,
    pub raw: &'a [u8],
}

impl Row<'_> {
    pub fn field(&self, index: usize) -> Cow<'_, str> {
        match self.fields {
            Fields::Text(record) => Cow::Borrowed(record.get(index).unwrap_or_default()),
            Fields::Bytes(record) => decode(record.get(index).unwrap_or_default()),
        }
    }

    pub fn len(&self) -> usize {
        match self.fields {
            Fields::Text(record) => record.len(),
            Fields::Bytes(record) => record.len(),
        }
    }

    /// A line holding nothing but ASCII white space (a no-break space or
    /// another Unicode space is content, to be rejected, not skipped).
    pub fn is_blank(&self) -> bool {
        self.len() == 1 && self.field(0).bytes().all(|b| b.is_ascii_whitespace())
    }
}

/// Text of a field; invalid UTF-8 is kept visible as U+FFFD rather than rejected.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Line ends as the csv crate reads them: `\n`, `\r\n`, or a `\r` alone
/// (files saved with old Mac line ends): the physical lines of a CSV.
pub fn line_breaks(bytes: &[u8]) -> u64 {
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
        .count() as u64
}

/// Counts lines forward through a chunk, each byte once.
struct LineCounter {
    offset: usize,
    line: u64,
}

impl LineCounter {
    /// The 1-based line of `at` (at or after the last position asked).
    fn line_at(&mut self, data: &[u8], at: usize) -> u64 {
        let at = at.min(data.len());
        if at > self.offset {
            self.line += line_breaks(&data[self.offset..at]);
            // A `\r` just before `at` whose `\n` is at `at` was counted as a
            // lone one: it is half of a `\r\n`.
            if data[at - 1] == b'\r' && data.get(at) == Some(&b'\n') {
                self.line -= 1;
            }
            self.offset = at;
        }
        self.line
    }
}

/// Calls `each` for every record of the chunk; a malformed record (a CSV
/// error) is passed as `Err` with its line, so the importer can reject it.
/// Records are split by `fast_record` where they are plain RFC 4180 (memchr
/// from delimiter to delimiter, most of a load's CSV time with the csv
/// crate's byte-at-a-time reader); anything else is read by the csv crate,
/// so both read every input alike (a test compares them on every short
/// input of CSV's special bytes).
pub fn for_each_row(
    chunk: &[u8],
    first: bool,
    mut each: impl FnMut(Result<Row<'_>, (u64, String, &[u8])>),
) {
    let data = if first {
        chunk.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(chunk)
    } else {
        chunk
    };
    let mut record = ByteRecord::new();
    let mut scratch = Vec::new();
    // The csv crate counts only `\n`: lines are counted here.
    let mut lines = LineCounter { offset: 0, line: 1 };
    // Where a valid record's text lives while `each` reads it.
    let mut text;
    let mut at = 0;
    loop {
        // Blank lines between records are skipped, as the csv crate does.
        while at < data.len() && matches!(data[at], b'\n' | b'\r') {
            at += 1;
        }
        if at >= data.len() {
            break;
        }
        let begin = at;
        let end = match fast_record(data, at, &mut record, &mut scratch) {
            Some(end) => end,
            None => match slow_record(&data[at..], &mut record) {
                Ok(Some(len)) => at + len,
                Ok(None) => break,
                Err((reason, len)) => {
                    let end = (at + len).min(data.len());
                    let line = lines.line_at(data, begin);
                    each(Err((line, reason, &data[begin..end])));
                    if end <= begin {
                        break;
                    }
                    at = end;
                    continue;
                }
            },
        };
        at = end;
        let line = lines.line_at(data, begin);
        let raw = &data[begin..end];
        // One UTF-8 check for the whole record; the buffers move,
        // they are not copied.
        match StringRecord::from_byte_record(std::mem::take(&mut record)) {
            Ok(valid) => {
                text = valid;
                each(Ok(Row {
                    fields: Fields::Text(&text),
                    line,
                    raw,
                }));
                record = std::mem::take(&mut text).into_byte_record();
            }
            Err(invalid) => {
                record = invalid.into_byte_record();
                each(Ok(Row {
                    fields: Fields::Bytes(&record),
                    line,
                    raw,
                }));
            }
        }
    }
}

/// The record starting at `start` (not a line end) when it is plain RFC
/// 4180: fields quoted whole (inner quotes doubled) or not at all, ended by
/// `\n`, `\r\n`, a lone `\r` or the end. Returns where the csv crate's
/// reader stands after it; `None` leaves anything else to the crate.
fn fast_record(
    data: &[u8],
    start: usize,
    record: &mut ByteRecord,
    scratch: &mut Vec<u8>,
) -> Option<usize> {
    record.clear();
    let mut at = start;
    let field_end = loop {
        if data.get(at) == Some(&b'"') {
            scratch.clear();
            let mut from = at + 1;
            let close = loop {
                let quote = from + memchr::memchr(b'"', &data[from..])?;
                if data.get(quote + 1) == Some(&b'"') {
                    scratch.extend_from_slice(&data[from..=quote]);
                    from = quote + 2;
                } else {
                    scratch.extend_from_slice(&data[from..quote]);
                    break quote;
                }
            };
            record.push_field(scratch);
            at = close + 1;
            match data.get(at) {
                Some(b',') => at += 1,
                Some(b'\n' | b'\r') | None => break at,
                Some(_) => return None,
            }
        } else {
            let end =
                memchr::memchr3(b',', b'\n', b'\r', &data[at..]).map_or(data.len(), |k| at + k);
            record.push_field(&data[at..end]);
            if data.get(end) == Some(&b',') {
                at = end + 1;
            } else {
                break end;
            }
        }
    };
    // The reader stops after the first byte of a line end (the `\n` of a
    // `\r\n` is skipped before the next record, as a blank line is).
    Some((field_end + 1).min(data.len()))
}

/// The first record of `data` read by the csv crate: its length with its
/// line end, `None` at the end, or the crate's error and how far it read.
fn slow_record(data: &[u8], record: &mut ByteRecord) -> Result<Option<usize>, (String, usize)> {
    let mut reader = reader(data);
    match reader.read_byte_record(record) {
        Ok(false) => Ok(None),
        Ok(true) => Ok(Some(reader.position().byte() as usize)),
        Err(err) => Err((err.to_string(), reader.position().byte() as usize)),
    }
}

/// The common loop of the CSV importers: CSV errors, blank lines, repeated
/// headers and wrong field counts are handled here; `map` turns a well-formed
/// row into an event or record, or says why it cannot.
pub fn parse_rows(
    chunk: &[u8],
    first: bool,
    expected_fields: usize,
    is_header: impl Fn(&Row<'_>) -> bool,
    out: &mut super::Parsed,
    mut map: impl FnMut(&Row<'_>, &mut super::Parsed) -> Result<(), String>,
) {
    // Chunks end at a record's end, so only the file's last chunk can end
    // without a line end: a short record there is where the file was cut.
    let unterminated = !chunk.ends_with(b"\n") && !chunk.ends_with(b"\r");
    let chunk_end = chunk.as_ptr_range().end;
    for_each_row(chunk, first, |row| {
        let row = match row {
            Ok(row) => row,
            Err((line, reason, raw)) => {
                out.rows += 1;
                out.reject(
                    line,
                    RejectKind::Malformed,
                    format!("not CSV: {reason}"),
                    raw,
                );
                return;
            }
        };
        if row.is_blank() || is_header(&row) {
            return;
        }
        out.rows += 1;
        let ends_the_file = unterminated && row.raw.as_ptr_range().end == chunk_end;
        let result = if row.len() < expected_fields && ends_the_file {
            Err((
                RejectKind::CutShort,
                format!(
                    "the last record has {} of {expected_fields} fields and no line end: the file is cut short",
                    row.len()
                ),
            ))
        } else if row.len() != expected_fields {
            Err((
                RejectKind::Invalid,
                format!(
                    "{} fields where {expected_fields} are expected (a field missing, or a comma outside quotes)",
                    row.len()
                ),
            ))
        } else {
            map(&row, out).map_err(|reason| (RejectKind::Invalid, reason))
        };
        if let Err((kind, reason)) = result {
            out.reject(row.line, kind, reason, row.raw);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How every record was read before `fast_record`: the csv crate alone.
    fn rows_by_the_csv_crate(data: &[u8]) -> Vec<(u64, Vec<Vec<u8>>, Vec<u8>)> {
        let mut reader = reader(data);
        let mut record = ByteRecord::new();
        let mut lines = LineCounter { offset: 0, line: 1 };
        let mut rows = Vec::new();
        loop {
            let start = reader.position().clone();
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let mut begin = record.position().map_or(start.byte(), |p| p.byte()) as usize;
                    let end = (reader.position().byte() as usize).min(data.len());
                    while begin < end && matches!(data[begin], b'\n' | b'\r') {
                        begin += 1;
                    }
                    let line = lines.line_at(data, begin);
                    let fields = record.iter().map(<[u8]>::to_vec).collect();
                    rows.push((line, fields, data[begin.min(end)..end].to_vec()));
                }
                Err(err) => panic!("the csv crate failed on {data:?}: {err}"),
            }
        }
        rows
    }

    fn rows_read(data: &[u8]) -> Vec<(u64, Vec<Vec<u8>>, Vec<u8>)> {
        let mut rows = Vec::new();
        for_each_row(data, false, |row| {
            let row = row.expect("no CSV error");
            let fields = match row.fields {
                Fields::Text(record) => record.iter().map(|f| f.as_bytes().to_vec()).collect(),
                Fields::Bytes(record) => record.iter().map(<[u8]>::to_vec).collect(),
            };
            rows.push((row.line, fields, row.raw.to_vec()));
        });
        rows
    }

    #[test]
    fn every_short_input_of_csv_special_bytes_is_read_as_the_csv_crate_reads_it() {
        let alphabet: [&[u8]; 6] = [b"a", b",", b"\"", b"\n", b"\r", "\u{e9}".as_bytes()];
        let mut inputs: Vec<Vec<u8>> = vec![Vec::new()];
        let mut last = inputs.clone();
        for _ in 0..6 {
            last = last
                .iter()
                .flat_map(|prefix| {
                    alphabet
                        .iter()
                        .map(move |b| [prefix.as_slice(), b].concat())
                })
                .collect();
            inputs.extend(last.iter().cloned());
        }
        for input in &inputs {
            assert_eq!(
                rows_read(input),
                rows_by_the_csv_crate(input),
                "{:?}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn a_dnanexus_sample_is_read_as_the_csv_crate_reads_it() {
        let sample: &[u8] =
            include_bytes!("../../assets/samples/dnanexus/audit_trail_2024-03-14.csv");
        assert_eq!(rows_read(sample), rows_by_the_csv_crate(sample));
        let crlf = String::from_utf8_lossy(sample).replace('\n', "\r\n");
        assert_eq!(
            rows_read(crlf.as_bytes()),
            rows_by_the_csv_crate(crlf.as_bytes())
        );
    }

    #[test]
    fn rows_carry_their_starting_line_and_raw_text() {
        let data = b"a,b\n\n\"x\ny\",z\nlast,1";
        let mut seen = Vec::new();
        for_each_row(data, true, |row| {
            let row = row.unwrap();
            seen.push((row.line, row.field(0).into_owned(), row.raw.to_vec()));
        });
        assert_eq!(seen[0], (1, "a".into(), b"a,b\n".to_vec()));
        assert_eq!(seen[1].0, 3);
        assert_eq!(seen[1].1, "x\ny");
        assert_eq!(seen[2], (5, "last".into(), b"last,1".to_vec()));
    }

    #[test]
    fn only_ascii_white_space_is_blank_and_invalid_utf8_is_kept_visible() {
        let data = b"  \t\n\xc2\xa0\nok,\xff\xfe,caf\xc3\xa9\n";
        let mut rows = Vec::new();
        for_each_row(data, true, |row| {
            let row = row.unwrap();
            let fields: Vec<String> = (0..row.len()).map(|i| row.field(i).into_owned()).collect();
            rows.push((row.is_blank(), fields));
        });
        assert_eq!(rows[0], (true, vec!["  \t".to_string()]));
        // A no-break space is content: rejected as a short record, not skipped.
        assert_eq!(rows[1], (false, vec!["\u{a0}".to_string()]));
        // One invalid field: that field shows U+FFFD, the others are intact.
        assert_eq!(
            rows[2],
            (
                false,
                vec!["ok".into(), "\u{fffd}\u{fffd}".into(), "café".into()]
            )
        );
    }

    #[test]
    fn a_repeated_header_is_recognized_with_its_own_bom() {
        let data = "Name,Login\r\nbob,1\r\n\u{feff}Name,Login\r\n";
        let header = Header::new(&first_record(data.as_bytes()).unwrap());
        let mut repeated = Vec::new();
        for_each_row(data.as_bytes(), true, |row| {
            repeated.push(header.is_repeated_in(&row.unwrap()));
        });
        assert_eq!(repeated, [true, false, true]);
    }
}
