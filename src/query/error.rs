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
    /// A value of a saved filter's criterion (`path`, `ip`) is wrong.
    #[error("{criterion}: {source}")]
    Value {
        criterion: &'static str,
        source: Box<FilterError>,
    },
    #[error("from ({from}) is after to ({to})")]
    FromAfterTo { from: String, to: String },
}
