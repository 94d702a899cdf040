//! One GeoIP database: a MaxMind DB file (`.mmdb`: GeoLite2/GeoIP2 Country,
//! City and ASN, DB-IP Lite, IPinfo Lite, ip-location-db) opened read-only,
//! hashed, its metadata read, and what it holds checked before any lookup.

use super::record::{Record, RecordPlace};
use std::io::Read;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::hash::{HashingReader, open_read_only};

/// The largest file taken as a GeoIP database (GeoIP2 City is about 130 MB).
pub const MAX_DATABASE_BYTES: u64 = 1 << 30;

#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    #[error("GeoIP database {path}: cannot read it: {reason}")]
    Read { path: String, reason: String },
    #[error(
        "GeoIP database {path}: {bytes} bytes, more than a GeoIP database holds (limit {limit})"
    )]
    TooLarge {
        path: String,
        bytes: u64,
        limit: u64,
    },
    #[error("GeoIP database {path}: not a MaxMind DB (.mmdb) file, or a damaged one: {reason}")]
    NotMmdb { path: String, reason: String },
    #[error(
        "GeoIP database {path}: a {kind} database holds no country, city or AS number for any address (looked up {sampled} addresses across the address space)"
    )]
    WrongKind {
        path: String,
        kind: String,
        sampled: usize,
    },
}

/// What an export's provenance and the window say about a database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatabaseInfo {
    /// As given (the CLI's argument, the window's setting).
    pub path: String,
    /// `database_type` of its metadata, e.g. `GeoLite2-City`.
    pub database_type: String,
    /// When it was built (its metadata's `build_epoch`), RFC 3339 UTC.
    pub built: String,
    pub sha256: String,
    pub bytes: u64,
    pub ip_version: u16,
    /// What its records hold: `country`, `city`, `location`, `asn`.
    pub holds: Vec<String>,
}

/// An open database, ready for lookups.
pub struct GeoDatabase {
    pub info: DatabaseInfo,
    pub file: PathBuf,
    reader: maxminddb::Reader<Shared>,
    shared: Shared,
    /// Where the data section starts (records are checked there first).
    data_start: usize,
}

/// The file's bytes, shared by the reader and the record check.
#[derive(Clone)]
struct Shared(std::sync::Arc<[u8]>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for GeoDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeoDatabase")
            .field("info", &self.info)
            .finish()
    }
}

impl GeoDatabase {
    /// Opens `path` read-only (never for writing: it may sit beside evidence),
    /// hashes it and checks that it is a MaxMind DB holding places or AS numbers.
    pub fn open(path: &Path) -> Result<GeoDatabase, GeoError> {
        let shown = path.display().to_string();
        let read_error = |err: std::io::Error| GeoError::Read {
            path: shown.clone(),
            reason: crate::display::describe_io(&err),
        };
        crate::model::owned::register(path, crate::model::owned::OwnedKind::GeoIp);
        let file = open_read_only(path).map_err(read_error)?;
        let size = file.metadata().map_err(read_error)?.len();
        if size > MAX_DATABASE_BYTES {
            return Err(GeoError::TooLarge {
                path: shown,
                bytes: size,
                limit: MAX_DATABASE_BYTES,
            });
        }
        let mut bytes = Vec::with_capacity(size as usize);
        let mut reader = HashingReader::new(file, None);
        // One byte past the limit tells a file that grew while read.
        (&mut reader)
            .take(MAX_DATABASE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(read_error)?;
        let (sha256, _) = reader.finish().map_err(read_error)?;
        if bytes.len() as u64 > MAX_DATABASE_BYTES {
            return Err(GeoError::TooLarge {
                path: shown,
                bytes: bytes.len() as u64,
                limit: MAX_DATABASE_BYTES,
            });
        }
        Self::from_bytes(shown, path.to_path_buf(), bytes, sha256)
    }

    /// A database from bytes already read (`sha256` is theirs).
    pub fn from_bytes(
        shown: String,
        file: PathBuf,
        bytes: Vec<u8>,
        sha256: String,
    ) -> Result<GeoDatabase, GeoError> {
        let size = bytes.len() as u64;
        let not_mmdb = |reason: String| GeoError::NotMmdb {
            path: shown.clone(),
            reason,
        };
        // The reader decodes the metadata first, skipping keys it does not
        // know by following pointers without limit: walk it within limits.
        if let Some(at) = memchr::memmem::rfind(&bytes, super::METADATA_MARKER) {
            let metadata = &bytes[at + super::METADATA_MARKER.len()..];
            super::guard::check_record(metadata, 0)
                .map_err(|reason| not_mmdb(format!("its metadata is damaged: {reason}")))?;
        }
        let shared = Shared(bytes.into());
        let source = shared.clone();
        let reader = guarded(|| maxminddb::Reader::from_source(source))
            .ok_or_else(|| not_mmdb("its reader failed".into()))?
            .map_err(|err| not_mmdb(err.to_string()))?;
        let metadata = &reader.metadata;
        let database_type = metadata.database_type.clone();
        let built = i64::try_from(metadata.build_epoch)
            .ok()
            .and_then(|s| s.checked_mul(1000))
            .map(crate::time::format_utc)
            .filter(|text| !text.is_empty())
            .unwrap_or_else(|| format!("(build_epoch {})", metadata.build_epoch));
        let ip_version = metadata.ip_version;
        // The search tree, then 16 zero bytes, then the data section.
        let data_start =
            (metadata.node_count as usize).saturating_mul(usize::from(metadata.record_size)) / 4
                + 16;
        let mut database = GeoDatabase {
            info: DatabaseInfo {
                path: shown.clone(),
                database_type: database_type.clone(),
                built,
                sha256,
                bytes: size,
                ip_version,
                holds: Vec::new(),
            },
            file,
            reader,
            shared,
            data_start,
        };
        database.info.holds = database.probe_holdings().map_err(not_mmdb)?;
        if database.info.holds.is_empty() {
            return Err(GeoError::WrongKind {
                path: shown,
                kind: database_type,
                sampled: probes().len(),
            });
        }
        Ok(database)
    }

    /// Where `address`'s record is in the data section (the same record for
    /// many addresses: decoded once), or None when the database has none.
    pub(super) fn locate(&self, address: IpAddr) -> Result<Option<usize>, String> {
        if self.info.ip_version == 4 && address.is_ipv6() {
            return Ok(None);
        }
        let result = self.reader.lookup(address).map_err(|e| e.to_string())?;
        Ok(result.offset())
    }

    /// What the database says of one address (a damaged record is an
    /// error, a panic in the reader too): the fuzz target's entry.
    pub fn answer(&self, address: IpAddr) -> Result<Option<RecordPlace>, String> {
        guarded(|| {
            if self.locate(address)?.is_none() {
                return Ok(None);
            }
            Ok(self.record(address)?.map(|r| r.place()))
        })
        .unwrap_or_else(|| Err("the reader failed".into()))
    }

    /// The record at `address` (which `locate` gave `offset`).
    pub(super) fn record(&self, address: IpAddr) -> Result<Option<Record>, String> {
        let result = self.reader.lookup(address).map_err(|e| e.to_string())?;
        if let Some(offset) = result.offset() {
            let data = self
                .reader_bytes()
                .get(self.data_start..)
                .unwrap_or_default();
            super::guard::check_record(data, offset)
                .map_err(|reason| format!("a damaged record: {reason}"))?;
        }
        result.decode::<Record>().map_err(|e| e.to_string())
    }

    fn reader_bytes(&self) -> &[u8] {
        &self.shared.0
    }
}

/// Runs the reader on data it has not seen whole: a panic in it is a
/// damaged database, said as such, never the end of the program.
pub(super) fn guarded<T>(work: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).ok()
}

/// Addresses looked up to learn what a database holds: the first of every
/// /8 and a spread of others, the documentation and private ranges, common
/// IPv6 blocks. Lookups, not a walk of the tree: a lookup reads at most one
/// node per address bit, a walk of a hostile tree (a node pointing back to
/// itself) would not end.
fn probes() -> Vec<IpAddr> {
    let mut probes: Vec<IpAddr> = (0u32..1024)
        .map(|i| {
            IpAddr::from(std::net::Ipv4Addr::from(
                (i << 22) | ((i * 7919) & 0x3f_ffff),
            ))
        })
        .collect();
    probes.extend((1u32..=223).map(|a| IpAddr::from(std::net::Ipv4Addr::from((a << 24) | 1))));
    for text in [
        "192.0.2.1",
        "198.51.100.1",
        "203.0.113.1",
        "203.0.113.129",
        "10.0.0.1",
        "172.16.0.1",
        "192.168.0.1",
        "100.64.0.1",
        "2001:db8::1",
        "2001:4860::1",
        "2a00::1",
        "2400::1",
        "2600::1",
        "2800::1",
        "2c00::1",
        "2001:200::1",
    ] {
        if let Ok(address) = text.parse() {
            probes.push(address);
        }
    }
    probes
}

impl GeoDatabase {
    /// What the records at the probe addresses hold.
    fn probe_holdings(&self) -> Result<Vec<String>, String> {
        let (mut country, mut city, mut location, mut asn) = (false, false, false, false);
        let mut decoded = std::collections::HashSet::new();
        for address in probes() {
            let Some(offset) = guarded(|| self.locate(address)).unwrap_or(Ok(None))? else {
                continue;
            };
            if !decoded.insert(offset) {
                continue;
            }
            let Some(record) = guarded(|| self.record(address))
                .unwrap_or_else(|| Err("its reader failed".into()))?
            else {
                continue;
            };
            let place = record.place();
            country |= place.country.is_some();
            city |= place.city.is_some();
            location |= place.latitude.is_some();
            asn |= place.asn.is_some();
        }
        Ok([
            (country, "country"),
            (city, "city"),
            (location, "location"),
            (asn, "asn"),
        ]
        .into_iter()
        .filter(|(held, _)| *held)
        .map(|(_, name)| name.to_string())
        .collect())
    }
}
