//! auditview's Parquet (`model::columnar`) read back: from `convert`,
//! `export --format parquet`, or a cluster engine's result that kept the
//! schema's columns (types as engines write them: any string, integer or
//! timestamp kind). Each event keeps the file, line and SHA-256 it was first
//! read from; its own line is its row in this file, from 1.

use crate::model::RejectKind;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Int32Type, Int64Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use bytes::Bytes;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::Parsed;
use super::input::Splitter;
use crate::model::columnar::{
    CATEGORY, LOG, NODE_TYPE, OUTCOME, RESOURCE_KIND, SOURCE_FILE, SOURCE_LINE, SOURCE_SHA256,
    SYSTEM, TEXT_COLUMNS, TIME_UNIX_MS, TIME_UTC,
};
use crate::model::{
    Category, EventDraft, LogKind, NodeType, Outcome, ResourceKind, System, TextField,
};

/// Parquet files start (and end) with these bytes.
pub const MAGIC: &[u8; 4] = b"PAR1";

/// Rows decoded at a time.
const BATCH: usize = 8192;

pub struct Importer {
    bytes: Bytes,
}

impl Importer {
    /// Checks that `bytes` are Parquet with auditview's columns; the rows
    /// are read by `parse`.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Importer, String> {
        let bytes = Bytes::from(bytes);
        let builder = guarded(|| ParquetRecordBatchReaderBuilder::try_new(bytes.clone()))?
            .map_err(|e| format!("a Parquet file that cannot be read: {e}"))?;
        // What the file says it unpacks to, against its size: a hostile
        // file declaring gigabytes is refused before any page is read (the
        // gzip bound of a load: 1,000x).
        let declared: i64 = builder
            .metadata()
            .row_groups()
            .iter()
            .flat_map(|g| g.columns())
            .map(|c| c.uncompressed_size().max(0))
            .fold(0i64, i64::saturating_add);
        let most = (bytes.len() as i64).saturating_mul(1000).max(1 << 20);
        if declared > most {
            return Err(format!(
                "a Parquet file that says it unpacks to {declared} bytes from {}: refused",
                bytes.len()
            ));
        }
        let schema = builder.schema();
        let has = |name: &str| schema.index_of(name).is_ok();
        let mut missing: Vec<&str> = [SYSTEM, CATEGORY, OUTCOME, NODE_TYPE, RESOURCE_KIND]
            .into_iter()
            .chain(TEXT_COLUMNS.iter().map(|(name, _)| *name))
            .chain([SOURCE_FILE, SOURCE_LINE, SOURCE_SHA256])
            .filter(|name| !has(name))
            .collect();
        if !has(TIME_UNIX_MS) && !has(TIME_UTC) {
            missing.insert(0, TIME_UNIX_MS);
        }
        if !missing.is_empty() {
            return Err(format!(
                "a Parquet file, but not in auditview's schema: no column {} (docs/guide/scale.md, \"The schema\")",
                missing.join(", ")
            ));
        }
        Ok(Importer { bytes })
    }

    fn read(&self, out: &mut Parsed) -> Result<(), String> {
        let reader = ParquetRecordBatchReaderBuilder::try_new(self.bytes.clone())
            .and_then(|b| b.with_batch_size(BATCH).build())
            .map_err(|e| e.to_string())?;
        let mut line = 0u64;
        for batch in reader {
            let batch = batch.map_err(|e| format!("after row {line}: {e}"))?;
            let columns = Columns::of(&batch)?;
            for i in 0..batch.num_rows() {
                line += 1;
                out.rows += 1;
                match columns.event(i, line) {
                    Ok(event) => out.events.push(&event, 0),
                    Err(reason) => out.reject(
                        line,
                        RejectKind::Invalid,
                        reason,
                        columns.describe(i).as_bytes(),
                    ),
                }
            }
        }
        Ok(())
    }
}

impl super::Importer for Importer {
    fn splitter(&self) -> Splitter {
        Splitter::Whole
    }

    /// The bytes were kept when the file was recognized; `chunk` is the
    /// same file as read (and hashed) by the loader.
    fn parse(&self, _chunk: &[u8], _first: bool, out: &mut Parsed) {
        if let Err(reason) = guarded(|| self.read(&mut *out)).and_then(|r| r) {
            out.rows += 1;
            let line = out.rows;
            out.reject(
                line,
                RejectKind::Unreadable,
                format!("the Parquet file stops being readable: {reason}"),
                b"",
            );
        }
    }
}

/// Runs the Parquet reader on a file it has not seen: a panic in it (a
/// damaged or hostile file) is an error of that file, never of the load.
fn guarded<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
        .map_err(|_| "the Parquet reader failed on this file (damaged?)".to_string())
}

/// A string column of any kind an engine writes.
struct Strings(ArrayRef);

impl Strings {
    fn get(&self, i: usize) -> Option<&str> {
        let a = &self.0;
        if a.is_null(i) {
            return None;
        }
        if let Some(s) = a.as_string_opt::<i32>() {
            Some(s.value(i))
        } else if let Some(s) = a.as_string_opt::<i64>() {
            Some(s.value(i))
        } else {
            a.as_string_view_opt().map(|s| s.value(i))
        }
    }
}

struct Columns {
    time: ArrayRef,
    enums: [Strings; 5],
    /// `None` in files written before the column.
    log: Option<Strings>,
    texts: Vec<(TextField, Strings)>,
    source_file: Strings,
    source_line: ArrayRef,
    source_sha256: Strings,
}

fn column(batch: &RecordBatch, name: &str) -> Result<ArrayRef, String> {
    batch
        .column_by_name(name)
        .cloned()
        .ok_or_else(|| format!("no column {name}"))
}

fn strings(batch: &RecordBatch, name: &str) -> Result<Strings, String> {
    let array = column(batch, name)?;
    match array.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Ok(Strings(array)),
        other => Err(format!("column {name} holds {other}, not text")),
    }
}

/// An integer of any width an engine writes, or none.
fn integer(array: &ArrayRef, i: usize) -> Option<i64> {
    if array.is_null(i) {
        return None;
    }
    if let Some(a) = array.as_primitive_opt::<Int64Type>() {
        Some(a.value(i))
    } else {
        array
            .as_primitive_opt::<Int32Type>()
            .map(|a| i64::from(a.value(i)))
    }
}

/// Unix milliseconds of a `time_unix_ms` integer or a `time_utc` timestamp
/// in any unit (Spark's INT96 arrives as nanoseconds).
fn millis(array: &ArrayRef, i: usize) -> Option<i64> {
    if array.is_null(i) {
        return None;
    }
    match array.data_type() {
        DataType::Timestamp(TimeUnit::Second, _) => array
            .as_primitive_opt::<TimestampSecondType>()
            .map(|a| a.value(i).saturating_mul(1000)),
        DataType::Timestamp(TimeUnit::Millisecond, _) => array
            .as_primitive_opt::<TimestampMillisecondType>()
            .map(|a| a.value(i)),
        DataType::Timestamp(TimeUnit::Microsecond, _) => array
            .as_primitive_opt::<TimestampMicrosecondType>()
            .map(|a| a.value(i).div_euclid(1000)),
        DataType::Timestamp(TimeUnit::Nanosecond, _) => array
            .as_primitive_opt::<TimestampNanosecondType>()
            .map(|a| a.value(i).div_euclid(1_000_000)),
        _ => integer(array, i),
    }
}

impl Columns {
    fn of(batch: &RecordBatch) -> Result<Columns, String> {
        let time = column(batch, TIME_UNIX_MS).or_else(|_| column(batch, TIME_UTC))?;
        Ok(Columns {
            time,
            enums: [
                strings(batch, SYSTEM)?,
                strings(batch, CATEGORY)?,
                strings(batch, OUTCOME)?,
                strings(batch, NODE_TYPE)?,
                strings(batch, RESOURCE_KIND)?,
            ],
            log: strings(batch, LOG).ok(),
            texts: TEXT_COLUMNS
                .iter()
                .map(|(name, field)| Ok((*field, strings(batch, name)?)))
                .collect::<Result<_, String>>()?,
            source_file: strings(batch, SOURCE_FILE)?,
            source_line: column(batch, SOURCE_LINE)?,
            source_sha256: strings(batch, SOURCE_SHA256)?,
        })
    }

    fn event(&self, i: usize, line: u64) -> Result<EventDraft<'_>, String> {
        let time = millis(&self.time, i).ok_or("no time")?;
        if !crate::time::is_supported(time) {
            return Err(format!(
                "time {time} ms is outside the years 0000 to 9999 (not a time a log can hold)"
            ));
        }
        let label = |n: usize| self.enums[n].get(i).unwrap_or("");
        let bad = |name: &str, value: &str, choices: String| {
            format!("'{name}' value '{value}' is not one of {choices}")
        };
        let system =
            System::parse(label(0)).ok_or_else(|| bad(SYSTEM, label(0), System::choices()))?;
        let mut event = EventDraft::new(system, time, line);
        event.category = Category::parse(label(1))
            .ok_or_else(|| bad(CATEGORY, label(1), Category::choices()))?;
        event.outcome =
            Outcome::parse(label(2)).ok_or_else(|| bad(OUTCOME, label(2), Outcome::choices()))?;
        event.node_type = NodeType::parse(label(3))
            .ok_or_else(|| bad(NODE_TYPE, label(3), NodeType::choices()))?;
        event.resource_kind = ResourceKind::parse(label(4))
            .ok_or_else(|| bad(RESOURCE_KIND, label(4), ResourceKind::choices()))?;
        if let Some(log) = &self.log {
            let value = log.get(i).unwrap_or("");
            event.log = LogKind::parse(value).ok_or_else(|| bad(LOG, value, LogKind::choices()))?;
        }
        for (field, column) in &self.texts {
            event.set(*field, column.get(i).unwrap_or(""));
        }
        let origin_line = integer(&self.source_line, i);
        if origin_line.is_some_and(|l| l < 1) {
            return Err(format!(
                "'{SOURCE_LINE}' value {origin_line:?} is not a line number"
            ));
        }
        event.set(TextField::OriginFile, self.source_file.get(i).unwrap_or(""));
        event.set(
            TextField::OriginLine,
            origin_line.map(|l| l.to_string()).unwrap_or_default(),
        );
        event.set(
            TextField::OriginSha256,
            self.source_sha256.get(i).unwrap_or(""),
        );
        Ok(event)
    }

    /// The row in a few words, for a reject's raw text.
    fn describe(&self, i: usize) -> String {
        let mut parts = vec![format!("time={:?}", millis(&self.time, i))];
        for (n, name) in [SYSTEM, CATEGORY, OUTCOME, NODE_TYPE, RESOURCE_KIND]
            .iter()
            .enumerate()
        {
            parts.push(format!("{name}={}", self.enums[n].get(i).unwrap_or("")));
        }
        parts.push(format!(
            "{SOURCE_FILE}={}:{:?}",
            self.source_file.get(i).unwrap_or(""),
            integer(&self.source_line, i)
        ));
        parts.join(", ")
    }
}
