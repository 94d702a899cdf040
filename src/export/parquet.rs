//! Parquet in auditview's columnar schema (`model::columnar`): the events of
//! a selection, or of one input file, and the rejects of a conversion.
//! Written one row group at a time (what this writer holds in memory), with
//! Snappy, which every engine reads.

use std::io::Write;
use std::sync::Arc;

use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray, TimestampMillisecondArray};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;

use crate::model::columnar::{TEXT_COLUMNS, event_schema, reject_schema};
use crate::model::{Reject, Store};

/// Rows per row group: the unit a cluster engine reads and skips by its
/// statistics, and what is held in memory while writing.
pub const ROW_GROUP: usize = 65_536;

fn properties() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(ROW_GROUP))
        .set_created_by(format!("auditview {}", crate::build_info::LONG_VERSION))
        .build()
}

/// Writes the events of `rows` (store row ids, in the order given) and
/// returns the writer once the file is complete.
pub fn write_events<W: Write + Send>(
    store: &Store,
    rows: &[u32],
    out: W,
) -> Result<W, ParquetError> {
    let schema = event_schema();
    let mut writer = ArrowWriter::try_new(out, schema.clone(), Some(properties()))?;
    for block in rows.chunks(ROW_GROUP) {
        writer.write(&event_batch(store, block, &schema)?)?;
    }
    writer.into_inner()
}

fn strings<'a>(rows: &[u32], cell: impl Fn(usize) -> &'a str) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(
        rows.iter().map(|&row| cell(row as usize)),
    ))
}

fn event_batch(
    store: &Store,
    rows: &[u32],
    schema: &arrow_schema::SchemaRef,
) -> Result<RecordBatch, ParquetError> {
    let events = &store.events;
    let time: Vec<i64> = rows.iter().map(|&r| events.time_ms[r as usize]).collect();
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(TimestampMillisecondArray::from(time.clone()).with_timezone("UTC")),
        Arc::new(Int64Array::from(time)),
        strings(rows, |r| events.system[r].as_str()),
        strings(rows, |r| events.category[r].as_str()),
        strings(rows, |r| events.outcome[r].as_str()),
        strings(rows, |r| events.node_type[r].as_str()),
        strings(rows, |r| events.resource_kind[r].as_str()),
    ];
    for (_, field) in TEXT_COLUMNS {
        columns.push(strings(rows, |r| events.text(field, r)));
    }
    columns.push(strings(rows, |r| store.origin_path(r)));
    columns.push(Arc::new(Int64Array::from_iter_values(rows.iter().map(
        |&r| i64::try_from(store.origin_line(r as usize)).unwrap_or(i64::MAX),
    ))));
    columns.push(strings(rows, |r| store.origin_sha256(r)));
    Ok(RecordBatch::try_new(schema.clone(), columns)?)
}

/// Writes `rejects` (each with its file's path and SHA-256).
pub fn write_rejects<W: Write + Send>(
    store: &Store,
    rejects: &[&Reject],
    out: W,
) -> Result<W, ParquetError> {
    let schema = reject_schema();
    let mut writer = ArrowWriter::try_new(out, schema.clone(), Some(properties()))?;
    for block in rejects.chunks(ROW_GROUP) {
        let source = |r: &Reject| store.sources.get(r.source as usize);
        let columns: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from_iter_values(
                block
                    .iter()
                    .map(|r| source(r).map_or("", |s| s.path.as_str())),
            )),
            Arc::new(Int64Array::from_iter_values(
                block
                    .iter()
                    .map(|r| i64::try_from(r.line).unwrap_or(i64::MAX)),
            )),
            Arc::new(StringArray::from_iter_values(
                block
                    .iter()
                    .map(|r| source(r).map_or("", |s| s.sha256.as_str())),
            )),
            Arc::new(StringArray::from_iter_values(
                block.iter().map(|r| r.reason.as_str()),
            )),
            Arc::new(StringArray::from_iter_values(
                block.iter().map(|r| r.raw.as_str()),
            )),
        ];
        writer.write(&RecordBatch::try_new(schema.clone(), columns)?)?;
    }
    writer.into_inner()
}
