//! `Filter`: what the investigator asked for, as a value that can be saved
//! (JSON, versioned), described in words and evaluated. Values within one
//! criterion are alternatives (OR); criteria combine with AND.

use std::net::IpAddr;

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

use super::FilterError;
use super::pattern::PathPattern;
use crate::model::{Category, LogKind, NodeType, Outcome, ResourceKind, System};
use crate::time::UtcMs;

pub const FILTER_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Filter {
    pub version: u32,
    pub node_types: Vec<NodeType>,
    /// Node path patterns (see `PathPattern`).
    pub paths: Vec<String>,
    pub kinds: Vec<ResourceKind>,
    pub owners: Vec<String>,
    /// Inclusive bounds, as RFC 3339 UTC in JSON.
    pub from: Option<UtcMs>,
    pub to: Option<UtcMs>,
    pub users: Vec<String>,
    /// Persons (by name or any identifier): the events of all their
    /// identifiers, as the case's people join them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub persons: Vec<String>,
    pub actions: Vec<String>,
    pub categories: Vec<Category>,
    pub outcomes: Vec<Outcome>,
    pub systems: Vec<System>,
    /// Audit, system or task records. Written only when set, so presets
    /// stay readable by older versions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub logs: Vec<LogKind>,
    /// Addresses or CIDR blocks, IPv4 or IPv6.
    pub ips: Vec<String>,
    /// Countries of the client address (ISO 3166-1 alpha-2), from the GeoIP
    /// databases in use. Written only when set, like the ones below.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    /// Autonomous system numbers of the client address.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub asns: Vec<u32>,
    pub requests: Vec<String>,
    /// Resource ids (a workspace, cell, public link or project): its events.
    /// Written only when set, so presets stay readable by older versions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
    /// Case-insensitive substrings; each must occur (AND), in any text field.
    pub texts: Vec<String>,
    /// Principals: events on nodes or resources visible by any of them.
    /// Written only when set, so presets stay readable by older versions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub visible_by: Vec<String>,
    /// Leave out events that repeat an event read from another source.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub skip_repeats: bool,
    /// Only events the case file stars (annotations: a case is needed).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub starred: bool,
    /// Only events with any of these tags in the case file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Only events with a note in the case file.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub has_note: bool,
    /// Findings (by kind, e.g. `impossible_travel`, or by id): the events
    /// that prove them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<String>,
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            version: FILTER_VERSION,
            node_types: Vec::new(),
            paths: Vec::new(),
            kinds: Vec::new(),
            owners: Vec::new(),
            from: None,
            to: None,
            users: Vec::new(),
            persons: Vec::new(),
            actions: Vec::new(),
            categories: Vec::new(),
            outcomes: Vec::new(),
            systems: Vec::new(),
            logs: Vec::new(),
            ips: Vec::new(),
            countries: Vec::new(),
            asns: Vec::new(),
            requests: Vec::new(),
            resources: Vec::new(),
            texts: Vec::new(),
            visible_by: Vec::new(),
            skip_repeats: false,
            starred: false,
            tags: Vec::new(),
            has_note: false,
            findings: Vec::new(),
        }
    }
}

/// Parses an address or CIDR block; a bare address is a block of one.
pub fn parse_ip_block(text: &str) -> Result<IpNet, FilterError> {
    let text = text.trim();
    if let Ok(net) = text.parse::<IpNet>() {
        return Ok(net.trunc());
    }
    text.parse::<IpAddr>()
        .map(IpNet::from)
        .map_err(|_| FilterError::NotAnIpBlock(text.to_string()))
}

/// A country as ISO 3166-1 alpha-2 (`jp` reads as `JP`).
pub fn parse_country(text: &str) -> Result<String, FilterError> {
    let code = text.trim().to_ascii_uppercase();
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(code)
    } else {
        Err(FilterError::NotACountry(text.to_string()))
    }
}

/// An autonomous system number: `64500` or `AS64500`.
pub fn parse_asn(text: &str) -> Result<u32, FilterError> {
    let trimmed = text.trim();
    let digits = trimmed
        .strip_prefix("AS")
        .or_else(|| trimmed.strip_prefix("as"))
        .unwrap_or(trimmed);
    digits
        .parse()
        .map_err(|_| FilterError::NotAnAsn(text.to_string()))
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// Checks every value; the error names the criterion and what it accepts.
    pub fn validate(&self) -> Result<(), FilterError> {
        if self.version > FILTER_VERSION {
            return Err(FilterError::NewerVersion(self.version));
        }
        let value = |criterion| {
            move |e| FilterError::Value {
                criterion,
                source: Box::new(e),
            }
        };
        for path in &self.paths {
            PathPattern::parse(path).map_err(value("path"))?;
        }
        for ip in &self.ips {
            parse_ip_block(ip).map_err(value("ip"))?;
        }
        for country in &self.countries {
            parse_country(country).map_err(value("country"))?;
        }
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(FilterError::FromAfterTo {
                from: from.to_string(),
                to: to.to_string(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_as_versioned_json_and_reads_back() {
        let filter = Filter {
            paths: vec!["ds/a".into()],
            kinds: vec![ResourceKind::PublicLink],
            from: Some(UtcMs(1_710_460_800_000)),
            ..Filter::default()
        };
        let json = serde_json::to_string(&filter).unwrap();
        assert!(json.contains("\"version\":1"), "{json}");
        assert!(json.contains("\"from\":\"2024-03-15T00:00:00Z\""), "{json}");
        assert!(json.contains("\"kinds\":[\"public_link\"]"), "{json}");
        assert_eq!(serde_json::from_str::<Filter>(&json).unwrap(), filter);
        let partial: Filter = serde_json::from_str(r#"{"users":["bob"]}"#).unwrap();
        assert_eq!(partial.users, ["bob"]);
        assert_eq!(partial.version, FILTER_VERSION);
        assert!(serde_json::from_str::<Filter>(r#"{"kinds":["galaxy"]}"#).is_err());
    }

    #[test]
    fn validation_names_the_criterion() {
        let bad_ip = Filter {
            ips: vec!["10.0.0.0/33".into()],
            ..Filter::default()
        };
        assert!(
            bad_ip
                .validate()
                .unwrap_err()
                .to_string()
                .starts_with("ip: '10.0.0.0/33'")
        );
        assert_eq!(
            parse_ip_block("2001:db8::1/32").unwrap().to_string(),
            "2001:db8::/32"
        );
        assert_eq!(
            parse_ip_block("192.0.2.7").unwrap().to_string(),
            "192.0.2.7/32"
        );
    }
}
