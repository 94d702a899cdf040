//! The flags that bound what one input may cost (docs/reliability.md):
//! every command that loads takes them.

use crate::sources::Limits;

#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Limits")]
pub struct LimitArgs {
    /// A record (line, CSV record, whole JSON document) longer than this is
    /// one reject, in MiB (at least 1).
    #[arg(long, value_name = "MIB", default_value_t = Limits::default().max_record_bytes as u64 >> 20,
        value_parser = clap::value_parser!(u64).range(1..))]
    pub max_record_mib: u64,
    /// A pipe or device is read into memory up to this size, in MiB (at
    /// least 1).
    #[arg(long, value_name = "MIB", default_value_t = Limits::default().max_stream_bytes >> 20,
        value_parser = clap::value_parser!(u64).range(1..))]
    pub max_stream_mib: u64,
    /// Rejects kept in detail per file; the rest are counted.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_rejects_kept)]
    pub max_rejects_kept: usize,
    /// A gzip file stops after decompressing to this many times its size
    /// (at least 1).
    #[arg(long, value_name = "RATIO", default_value_t = Limits::default().max_gzip_ratio,
        value_parser = clap::value_parser!(u64).range(1..))]
    pub max_gzip_ratio: u64,
}

impl LimitArgs {
    pub fn limits(&self) -> Limits {
        Limits {
            max_record_bytes: usize::try_from(self.max_record_mib.saturating_mul(1 << 20))
                .unwrap_or(usize::MAX),
            max_stream_bytes: self.max_stream_mib.saturating_mul(1 << 20),
            max_rejects_kept: self.max_rejects_kept,
            max_gzip_ratio: self.max_gzip_ratio,
        }
    }
}
