//! Why a filter cannot be used; each message names the criterion and what it
//! accepts.

use super::filter::FILTER_VERSION;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("filter version {0} is newer than this auditview understands ({FILTER_VERSION})")]
    NewerVersion(u32),
    #[error("a path pattern cannot be empty")]
    EmptyPath,
    #[error(
        "'{0}' is not an IP address or CIDR block (e.g. 192.0.2.7, 198.51.100.0/24, 2001:db8::/32)"
    )]
    NotAnIpBlock(String),
    #[error("'{0}' is not a country code: use ISO 3166-1 alpha-2 (e.g. JP, DE, US)")]
    NotACountry(String),
    #[error("'{0}' is not an autonomous system number (e.g. 64500 or AS64500)")]
    NotAnAsn(String),
    #[error(
        "{0} needs a GeoIP database (--geoip FILE, AUDITVIEW_GEOIP, or the window's GeoIP setting)"
    )]
    NeedsGeoip(&'static str),
    #[error(
        "no person is called or known as '{0}' (`auditview people` lists them; link identifiers with --aliases FILE or --accept-proposals)"
    )]
    NoSuchPerson(String),
    #[error(
        "'{0}' names no finding: give a kind ({kinds}) or an id from `auditview findings`",
        kinds = crate::model::FindingKind::choices()
    )]
    NoSuchFinding(String),
    /// A value of a saved filter's criterion (`path`, `ip`) is wrong.
    #[error("{criterion}: {source}")]
    Value {
        criterion: &'static str,
        source: Box<FilterError>,
    },
    #[error("from ({from}) is after to ({to})")]
    FromAfterTo { from: String, to: String },
}
