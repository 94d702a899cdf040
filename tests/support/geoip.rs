//! Small GeoIP databases mapping the documentation ranges (RFC 5737, RFC
//! 3849) and documentation AS numbers (RFC 5398) to known places: built by
//! the tests and by `examples/sample_geoip.rs` (the sample case's), so every
//! answer a test expects is written here.

#![allow(dead_code)]

use std::time::{Duration, SystemTime};

use mmdb_writer::ipnet::IpNet;
use mmdb_writer::{Value, Writer};

pub struct Network {
    pub block: &'static str,
    pub iso: &'static str,
    pub country: &'static str,
    pub city: &'static str,
    pub region: &'static str,
    pub latitude: f64,
    pub longitude: f64,
    pub asn: u32,
    pub organization: &'static str,
}

pub const NETWORKS: &[Network] = &[
    Network {
        block: "192.0.2.0/24",
        iso: "JP",
        country: "Japan",
        city: "Tokyo",
        region: "Tokyo",
        latitude: 35.6895,
        longitude: 139.6917,
        asn: 64500,
        organization: "Example Carrier Tokyo",
    },
    Network {
        block: "198.51.100.0/24",
        iso: "DE",
        country: "Germany",
        city: "Berlin",
        region: "Land Berlin",
        latitude: 52.52,
        longitude: 13.405,
        asn: 64501,
        organization: "Example Networks Berlin",
    },
    Network {
        block: "203.0.113.0/25",
        iso: "US",
        country: "United States",
        city: "Boston",
        region: "Massachusetts",
        latitude: 42.3601,
        longitude: -71.0589,
        asn: 64502,
        organization: "Example Cloud US",
    },
    Network {
        block: "203.0.113.128/25",
        iso: "BR",
        country: "Brazil",
        city: "São Paulo",
        region: "São Paulo",
        latitude: -23.5505,
        longitude: -46.6333,
        asn: 64503,
        organization: "Exemplo Telecom",
    },
    Network {
        block: "2001:db8::/32",
        iso: "GB",
        country: "United Kingdom",
        city: "London",
        region: "England",
        latitude: 51.5074,
        longitude: -0.1278,
        asn: 64504,
        organization: "Example Transit UK",
    },
];

/// Fixed, so the committed sample databases are rebuilt byte for byte.
pub fn built() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_710_547_200) // 2024-03-16T00:00:00Z
}

fn writer(database_type: &str) -> Writer {
    Writer::builder(database_type)
        .description(&[("en", "auditview test data: documentation ranges only")])
        .build_epoch(built())
        .build()
}

fn named(name: &str) -> Value {
    Value::map([("en", Value::from(name))])
}

fn block(network: &Network) -> IpNet {
    network.block.parse().expect("a block")
}

/// The city and ASN test databases, written into `dir`.
pub fn write_databases(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let city = dir.join("test-City.mmdb");
    let asn = dir.join("test-ASN.mmdb");
    std::fs::write(&city, city_database()).unwrap();
    std::fs::write(&asn, asn_database()).unwrap();
    (city, asn)
}

/// GeoIP2-City layout: country, city, subdivisions, location.
pub fn city_database() -> Vec<u8> {
    let mut writer = writer("GeoIP2-City");
    for n in NETWORKS {
        let record = Value::map([
            (
                "country",
                Value::map([
                    ("iso_code", Value::from(n.iso)),
                    ("names", named(n.country)),
                ]),
            ),
            ("city", Value::map([("names", named(n.city))])),
            (
                "subdivisions",
                Value::array([Value::map([("names", named(n.region))])]),
            ),
            (
                "location",
                Value::map([
                    ("latitude", Value::from(n.latitude)),
                    ("longitude", Value::from(n.longitude)),
                ]),
            ),
        ]);
        writer.insert_value(block(n), record).expect("insert");
    }
    writer.to_bytes().expect("a database")
}

/// GeoLite2-ASN layout.
pub fn asn_database() -> Vec<u8> {
    let mut writer = writer("GeoLite2-ASN");
    for n in NETWORKS {
        let record = Value::map([
            ("autonomous_system_number", Value::from(n.asn)),
            (
                "autonomous_system_organization",
                Value::from(n.organization),
            ),
        ]);
        writer.insert_value(block(n), record).expect("insert");
    }
    writer.to_bytes().expect("a database")
}

/// GeoLite2-ASN layout as other writers make it (python's mmdb-writer): the
/// AS number as uint16 where it fits, else as an `AS` text.
pub fn narrow_asn_database() -> Vec<u8> {
    let mut writer = writer("GeoLite2-ASN");
    for n in NETWORKS {
        // Even numbers as uint16, odd ones as text.
        let number = match u16::try_from(n.asn) {
            Ok(small) if n.asn % 2 == 0 => Value::U16(small),
            _ => Value::from(format!("AS{}", n.asn)),
        };
        let record = Value::map([
            ("autonomous_system_number", number),
            (
                "autonomous_system_organization",
                Value::from(n.organization),
            ),
        ]);
        writer.insert_value(block(n), record).expect("insert");
    }
    writer.to_bytes().expect("a database")
}

/// IPinfo Lite layout: flat, `asn` as `AS64500`.
pub fn ipinfo_lite_database() -> Vec<u8> {
    let mut writer = writer("ipinfo lite.mmdb");
    for n in NETWORKS {
        let record = Value::map([
            ("country_code", Value::from(n.iso)),
            ("country", Value::from(n.country)),
            ("asn", Value::from(format!("AS{}", n.asn))),
            ("as_name", Value::from(n.organization)),
        ]);
        writer.insert_value(block(n), record).expect("insert");
    }
    writer.to_bytes().expect("a database")
}

/// A well-formed database of the wrong kind: anonymous-IP flags only.
pub fn anonymous_ip_database() -> Vec<u8> {
    let mut writer = writer("GeoIP2-Anonymous-IP");
    for n in NETWORKS {
        let record = Value::map([("is_anonymous", Value::from(true))]);
        writer.insert_value(block(n), record).expect("insert");
    }
    writer.to_bytes().expect("a database")
}
