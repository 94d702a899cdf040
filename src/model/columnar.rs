//! auditview's columnar schema: the normalized events as Parquet (`convert`,
//! `export --format parquet`), read back as the `auditview-parquet` format
//! whatever engine wrote the file (Spark, DuckDB, Trino keep the names; a
//! time may come back in another unit). Column names are SQL identifiers:
//! `filter-sql` writes its WHERE clause over them.

use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};

use super::TextField;

/// The instant, as a UTC timestamp (milliseconds).
pub const TIME_UTC: &str = "time_utc";
/// The same instant as Unix milliseconds: what SQL compares, the same in
/// every engine and session time zone.
pub const TIME_UNIX_MS: &str = "time_unix_ms";
pub const SYSTEM: &str = "system";
pub const CATEGORY: &str = "category";
pub const OUTCOME: &str = "outcome";
pub const NODE_TYPE: &str = "node_type";
pub const RESOURCE_KIND: &str = "resource_kind";
/// Audit, system or task record (files written before it have none: audit).
pub const LOG: &str = "log";
/// Where the event was first read: the original file, its 1-based line (or
/// record) and the file's SHA-256.
pub const SOURCE_FILE: &str = "source_file";
pub const SOURCE_LINE: &str = "source_line";
pub const SOURCE_SHA256: &str = "source_sha256";
/// The client address as 32 lower-case hex digits of its IPv6 form (an
/// IPv4 address mapped into `::ffff:0:0/96`); empty when `ip` is not an
/// address. Fixed width, so text order is address order: a CIDR block is a
/// range comparison any SQL engine runs (`filter-sql --ip`).
pub const IP_HEX: &str = "ip_hex";

/// The enum columns, as their labels (`System::as_str` and the others).
pub const ENUM_COLUMNS: [&str; 6] = [SYSTEM, CATEGORY, OUTCOME, NODE_TYPE, RESOURCE_KIND, LOG];

/// The text columns and the field each holds (empty text: none).
pub const TEXT_COLUMNS: [(&str, TextField); 15] = [
    ("actor", TextField::Actor),
    ("ip", TextField::Ip),
    ("user_agent", TextField::UserAgent),
    ("action", TextField::Action),
    ("node_path", TextField::NodePath),
    ("resource", TextField::Resource),
    ("resource_name", TextField::ResourceName),
    ("owner", TextField::Owner),
    ("object_id", TextField::ObjectId),
    ("object_name", TextField::ObjectName),
    ("request_id", TextField::RequestId),
    ("token_label", TextField::TokenLabel),
    ("token_suffix", TextField::TokenSuffix),
    ("message", TextField::Message),
    ("details", TextField::Details),
];

/// The column of a text field, if it has one.
pub fn text_column(field: TextField) -> Option<&'static str> {
    TEXT_COLUMNS
        .iter()
        .find(|(_, f)| *f == field)
        .map(|(name, _)| *name)
}

/// Every column of an event file, in order.
pub fn event_schema() -> SchemaRef {
    let mut fields = vec![
        Field::new(
            TIME_UTC,
            DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
            false,
        ),
        Field::new(TIME_UNIX_MS, DataType::Int64, false),
    ];
    fields.extend(
        ENUM_COLUMNS
            .iter()
            .map(|name| Field::new(*name, DataType::Utf8, false)),
    );
    fields.extend(
        TEXT_COLUMNS
            .iter()
            .map(|(name, _)| Field::new(*name, DataType::Utf8, false)),
    );
    fields.push(Field::new(SOURCE_FILE, DataType::Utf8, false));
    fields.push(Field::new(SOURCE_LINE, DataType::Int64, false));
    fields.push(Field::new(SOURCE_SHA256, DataType::Utf8, false));
    fields.push(Field::new(IP_HEX, DataType::Utf8, false));
    Arc::new(Schema::new(fields))
}

/// `IP_HEX` of an address as the evidence writes it ("" when it is not one).
pub fn ip_hex(text: &str) -> String {
    text.parse::<std::net::IpAddr>()
        .map(|addr| address_hex(&addr))
        .unwrap_or_default()
}

/// An address as `IP_HEX` holds it.
pub fn address_hex(addr: &std::net::IpAddr) -> String {
    let v6 = match addr {
        std::net::IpAddr::V4(v4) => v4.to_ipv6_mapped(),
        std::net::IpAddr::V6(v6) => *v6,
    };
    format!("{:032x}", u128::from(v6))
}

/// The records a conversion could not make events of: where, why, and the
/// raw text (cut to the reject's stored length).
pub fn reject_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new(SOURCE_FILE, DataType::Utf8, false),
        Field::new(SOURCE_LINE, DataType::Int64, false),
        Field::new(SOURCE_SHA256, DataType::Utf8, false),
        Field::new("reason", DataType::Utf8, false),
        Field::new("raw", DataType::Utf8, false),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_is_a_plain_sql_identifier_and_unique() {
        let schema = event_schema();
        let mut names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        for name in &names {
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit()),
                "{name}"
            );
        }
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count);
        assert_eq!(count, 2 + 6 + 15 + 3 + 1);
    }
}
