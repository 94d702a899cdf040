//! Parquet in auditview's columnar schema (`model::columnar`): the events of
//! a selection, or of one input file, and the rejects of a conversion.
//! Row groups are encoded on every core; Snappy, which every engine reads.

use std::io::Write;
use std::sync::Arc;

use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray, TimestampMillisecondArray};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_writer::{ArrowColumnChunk, compute_leaves};
use parquet::basic::Compression;
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use rayon::prelude::*;

use crate::model::columnar::{TEXT_COLUMNS, event_schema, ip_hex, reject_schema};
use crate::model::{Reject, Store, TextField};

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
/// returns the writer once the file is complete. Row groups are built and
/// encoded on every core, a wave of one per core at a time, and appended
/// in order: memory is a row group per core.
pub fn write_events<W: Write + Send>(
    store: &Store,
    rows: &[u32],
    out: W,
) -> Result<W, ParquetError> {
    let schema = event_schema();
    let writer = ArrowWriter::try_new(out, schema.clone(), Some(properties()))?;
    let (mut file, factory) = writer.into_serialized_writer()?;
    let groups: Vec<&[u32]> = rows.chunks(ROW_GROUP).collect();
    let ip_hex_of = ip_hex_by_symbol(store);
    let wave = rayon::current_num_threads().max(1);
    for (w, wave_groups) in groups.chunks(wave).enumerate() {
        let encoded: Vec<Vec<ArrowColumnChunk>> = wave_groups
            .par_iter()
            .enumerate()
            .map(|(k, group)| {
                let batch = event_batch(store, group, &schema, &ip_hex_of)?;
                let writers = factory.create_column_writers(w * wave + k)?;
                // A flat schema: one leaf, and one writer, per column.
                let mut chunks = Vec::with_capacity(writers.len());
                for ((mut writer, array), field) in writers
                    .into_iter()
                    .zip(batch.columns())
                    .zip(schema.fields())
                {
                    for leaf in compute_leaves(field, array)? {
                        writer.write(&leaf)?;
                    }
                    chunks.push(writer.close()?);
                }
                Ok(chunks)
            })
            .collect::<Result<_, ParquetError>>()?;
        for chunks in encoded {
            let mut group = file.next_row_group()?;
            for chunk in chunks {
                chunk.append_to_row_group(&mut group)?;
            }
            group.close()?;
        }
    }
    file.into_inner()
}

fn strings<'a>(rows: &[u32], cell: impl Fn(usize) -> &'a str) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(
        rows.iter().map(|&row| cell(row as usize)),
    ))
}

/// `IP_HEX` per symbol of the Ip column (empty when it is not interned).
fn ip_hex_by_symbol(store: &Store) -> Vec<String> {
    store
        .events
        .interned(TextField::Ip)
        .map_or_else(Vec::new, |c| c.values.values().map(ip_hex).collect())
}

fn event_batch(
    store: &Store,
    rows: &[u32],
    schema: &arrow_schema::SchemaRef,
    ip_hex_of: &[String],
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
        strings(rows, |r| events.log[r].as_str()),
    ];
    for (_, field) in TEXT_COLUMNS {
        columns.push(strings(rows, |r| events.text(field, r)));
    }
    columns.push(strings(rows, |r| store.origin_path(r)));
    columns.push(Arc::new(Int64Array::from_iter_values(rows.iter().map(
        |&r| i64::try_from(store.origin_line(r as usize)).unwrap_or(i64::MAX),
    ))));
    columns.push(strings(rows, |r| store.origin_sha256(r)));
    columns.push(match events.interned(TextField::Ip) {
        Some(c) => strings(rows, |r| ip_hex_of[c.rows[r] as usize].as_str()),
        None => Arc::new(StringArray::from_iter_values(
            rows.iter()
                .map(|&r| ip_hex(events.text(TextField::Ip, r as usize))),
        )),
    });
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
