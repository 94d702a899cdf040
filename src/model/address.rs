//! What an address is when no GeoIP database can say where it is: the IANA
//! special-purpose ranges (private, loopback, link-local, shared/CGNAT,
//! documentation, benchmarking, multicast, ...), compiled in, for IPv4 and
//! IPv6, the most specific range first.

use std::net::IpAddr;

use ipnet::IpNet;

/// One IANA special-purpose range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpecialRange {
    pub block: &'static str,
    /// What it is, in words.
    pub name: &'static str,
    /// Where it is defined.
    pub rfc: &'static str,
}

const RANGES: &[SpecialRange] = &[
    range("0.0.0.0/8", "this network", "RFC 791"),
    range("10.0.0.0/8", "private", "RFC 1918"),
    range(
        "100.64.0.0/10",
        "shared address space (carrier-grade NAT)",
        "RFC 6598",
    ),
    range("127.0.0.0/8", "loopback", "RFC 1122"),
    range("169.254.0.0/16", "link-local", "RFC 3927"),
    range("172.16.0.0/12", "private", "RFC 1918"),
    range("192.0.0.0/24", "IETF protocol assignments", "RFC 6890"),
    range("192.0.2.0/24", "documentation (TEST-NET-1)", "RFC 5737"),
    range(
        "192.88.99.0/24",
        "6to4 relay anycast (deprecated)",
        "RFC 7526",
    ),
    range("192.168.0.0/16", "private", "RFC 1918"),
    range("198.18.0.0/15", "benchmarking", "RFC 2544"),
    range("198.51.100.0/24", "documentation (TEST-NET-2)", "RFC 5737"),
    range("203.0.113.0/24", "documentation (TEST-NET-3)", "RFC 5737"),
    range("224.0.0.0/4", "multicast", "RFC 5771"),
    range("240.0.0.0/4", "reserved", "RFC 1112"),
    range("255.255.255.255/32", "limited broadcast", "RFC 919"),
    range("::/128", "unspecified", "RFC 4291"),
    range("::1/128", "loopback", "RFC 4291"),
    range("64:ff9b::/96", "IPv4/IPv6 translation", "RFC 6052"),
    range("64:ff9b:1::/48", "local IPv4/IPv6 translation", "RFC 8215"),
    range("100::/64", "discard-only", "RFC 6666"),
    range("2001::/23", "IETF protocol assignments", "RFC 2928"),
    range("2001::/32", "Teredo", "RFC 4380"),
    range("2001:2::/48", "benchmarking", "RFC 5180"),
    range("2001:db8::/32", "documentation", "RFC 3849"),
    range("2002::/16", "6to4", "RFC 3056"),
    range("3fff::/20", "documentation", "RFC 9637"),
    range("fc00::/7", "unique local (private)", "RFC 4193"),
    range("fe80::/10", "link-local", "RFC 4291"),
    range("ff00::/8", "multicast", "RFC 4291"),
];

const fn range(block: &'static str, name: &'static str, rfc: &'static str) -> SpecialRange {
    SpecialRange { block, name, rfc }
}

/// The most specific special-purpose range holding `text` (an address;
/// an IPv4-mapped IPv6 address is taken as its IPv4), if any.
pub fn special_purpose(text: &str) -> Option<SpecialRange> {
    let ip: IpAddr = text.trim().parse().ok()?;
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    RANGES
        .iter()
        .filter_map(|r| {
            let net: IpNet = r.block.parse().ok()?;
            net.contains(&ip).then_some((net.prefix_len(), r))
        })
        .max_by_key(|(prefix, _)| *prefix)
        .map(|(_, r)| *r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_ranges_are_named_most_specific_first() {
        let name = |ip: &str| special_purpose(ip).map(|r| r.name);
        assert_eq!(name("192.0.2.10"), Some("documentation (TEST-NET-1)"));
        assert_eq!(name("10.1.2.3"), Some("private"));
        assert_eq!(
            name("100.64.0.1"),
            Some("shared address space (carrier-grade NAT)")
        );
        assert_eq!(name("2001:db8::1"), Some("documentation"));
        assert_eq!(name("2001:0:1::1"), Some("Teredo"));
        assert_eq!(name("::ffff:192.168.1.1"), Some("private"));
        assert_eq!(name("fe80::1"), Some("link-local"));
        assert_eq!(name("8.8.8.8"), None);
        assert_eq!(name("not an address"), None);
        // Every block of the table is a valid network.
        assert!(RANGES.iter().all(|r| r.block.parse::<IpNet>().is_ok()));
    }
}
