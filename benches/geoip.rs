//! GeoIP enrichment: `cargo bench --bench geoip`. 5 million synthetic events
//! (AUDITVIEW_BENCH_EVENTS) whose Ip column holds 1 million distinct
//! addresses (AUDITVIEW_BENCH_ADDRESSES; one in ten IPv6), placed with a
//! city database of 250,000 networks (5,000 distinct places) and an ASN
//! database of 60,000 networks, built here with mmdb-writer. Times opening
//! the databases, placing every address (per distinct address, each record
//! decoded once), `--country`, the Country panel's counts, and beside them
//! the naive way (a lookup and a decode per row) on the first million rows;
//! then the findings and the coverage of the case (every detector, the
//! shipped rules: the places give new countries and travel).

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    reason = "benches write their corpora; a failed unwrap is a failed run"
)]

#[allow(
    dead_code,
    reason = "shared by the benches; each uses a part (so `expect` would not hold in all)"
)]
#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/store.rs"]
mod store;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use auditview::analysis::places::place_counts;
use auditview::geo::{GeoDatabase, Places, parse_address};
use auditview::index::Case;
use auditview::index::coverage::coverage;
use auditview::index::findings::{Findings, FindingsConfig};
use auditview::model::InternedColumn;
use auditview::model::TextField;
use auditview::query::{Filter, select};
use corpus::Rng;
use mmdb_writer::ipnet::{IpNet, Ipv4Net, Ipv6Net};
use mmdb_writer::{Value, Writer};
use store::build_store;

const COUNTRIES: [&str; 20] = [
    "JP", "DE", "US", "BR", "GB", "FR", "IN", "CN", "AU", "CA", "NL", "SE", "ES", "IT", "KR", "SG",
    "ZA", "MX", "AR", "CH",
];

#[path = "support/timing.rs"]
mod timing;
use timing::timed;

fn v4_network(i: u64) -> Ipv4Net {
    // 250,000 /24 networks spread over the public IPv4 space.
    let base = (16u32 << 24) + (i as u32).wrapping_mul(4_111) % (200u32 << 24) / 256 * 256;
    Ipv4Net::new(Ipv4Addr::from(base), 24).expect("a /24")
}

fn databases(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let mut city = Writer::builder("GeoIP2-City").build();
    let mut asn = Writer::builder("GeoLite2-ASN").build();
    for i in 0..250_000u64 {
        let place = i % 5_000;
        let country = COUNTRIES[(place % COUNTRIES.len() as u64) as usize];
        let names = |name: String| Value::map([("en", Value::from(name))]);
        let record = Value::map([
            (
                "country",
                Value::map([
                    ("iso_code", Value::from(country)),
                    ("names", names(format!("Country {country}"))),
                ]),
            ),
            (
                "city",
                Value::map([("names", names(format!("City {place}")))]),
            ),
            (
                "location",
                Value::map([
                    ("latitude", Value::from((place % 170) as f64 - 85.0)),
                    ("longitude", Value::from((place % 350) as f64 - 175.0)),
                ]),
            ),
        ]);
        let network = IpNet::V4(v4_network(i));
        city.insert_value(network, record).expect("insert");
        if i % 4 == 0 {
            let record = Value::map([
                (
                    "autonomous_system_number",
                    Value::from(64_512 + (i % 3_000) as u32),
                ),
                (
                    "autonomous_system_organization",
                    Value::from(format!("Network {}", i % 3_000)),
                ),
            ]);
            asn.insert_value(network, record).expect("insert");
        }
    }
    let v6: IpNet = IpNet::V6(Ipv6Net::new("2001:db8::".parse().unwrap(), 32).unwrap());
    city.insert_value(
        v6,
        Value::map([("country", Value::map([("iso_code", Value::from("GB"))]))]),
    )
    .expect("insert");
    let city_path = dir.join("bench-City.mmdb");
    let asn_path = dir.join("bench-ASN.mmdb");
    std::fs::write(&city_path, city.to_bytes().expect("bytes")).expect("written");
    std::fs::write(&asn_path, asn.to_bytes().expect("bytes")).expect("written");
    (city_path, asn_path)
}

fn main() {
    let env = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let events = env("AUDITVIEW_BENCH_EVENTS", 5_000_000);
    let distinct = env("AUDITVIEW_BENCH_ADDRESSES", 1_000_000);
    let mut store = timed("build the synthetic store", || build_store(events));
    // The Ip column: `distinct` addresses, most in the databases' networks.
    let mut rng = Rng::new(11);
    let mut column = InternedColumn::default();
    let symbols: Vec<u32> = (0..distinct)
        .map(|i| {
            let address: IpAddr = if i % 10 == 9 {
                IpAddr::V6(Ipv6Addr::new(
                    0x2001,
                    0xdb8,
                    0,
                    0,
                    0,
                    0,
                    (i >> 16) as u16,
                    i as u16,
                ))
            } else {
                let network = v4_network(rng.below(260_000));
                let host = u32::from(network.network()) + rng.below(256) as u32;
                IpAddr::V4(Ipv4Addr::from(host))
            };
            column.values.intern(&address.to_string())
        })
        .collect();
    column.rows = (0..events)
        .map(|row| symbols[(row * 7_919 + row / distinct) % distinct])
        .collect();
    println!(
        "{} events, {} distinct addresses",
        events,
        column.values.len() - 1
    );
    *store
        .events
        .interned_mut(TextField::Ip)
        .expect("the Ip column is interned") = column;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (city_path, asn_path) = timed("write the two databases (mmdb-writer)", || {
        databases(dir.path())
    });
    println!(
        "databases: {} and {} bytes",
        std::fs::metadata(&city_path).unwrap().len(),
        std::fs::metadata(&asn_path).unwrap().len()
    );
    let databases = timed("open both (read, SHA-256, check what they hold)", || {
        vec![
            GeoDatabase::open(&city_path).expect("city"),
            GeoDatabase::open(&asn_path).expect("asn"),
        ]
    });
    let places = timed("place every address (per distinct address)", || {
        Places::build(&store, &databases)
    });
    println!(
        "{} addresses, {} placed, {} countries, {} cities, {} networks",
        places.addresses,
        places.located,
        places.countries.len(),
        places.cities.len(),
        places.networks.len()
    );
    let case = Case::new(store).with_places(places);
    let filter = Filter {
        countries: vec!["JP".into(), "DE".into()],
        ..Filter::default()
    };
    let selection = timed("--country JP --country DE", || {
        select(&case, &filter).expect("ok")
    });
    println!("{} events matched", selection.len());
    let asn = Filter {
        asns: vec![64_600],
        ..Filter::default()
    };
    timed("--asn 64600", || select(&case, &asn).expect("ok"));
    let all = select(&case, &Filter::default()).expect("ok");
    let counts = timed("Country panel counts (every event)", || {
        place_counts(&case, &all.rows)
    });
    println!("{} countries counted", counts.countries.len());
    let findings = timed("findings, worst case: every event a random address", || {
        Findings::build(&case, &FindingsConfig::default())
    });
    println!(
        "{} findings; {} days of coverage",
        findings.findings.len(),
        findings
            .coverage
            .systems
            .iter()
            .map(|s| s.days.len())
            .sum::<usize>()
    );
    timed("coverage alone", || coverage(&case, 24.0));
    // Shaped like real logs: each actor at its own address, one event in
    // twenty from another (travel, a phone, a VPN). The places stay valid:
    // only which symbol each row names changes.
    let mut case = case;
    let places_again = Places::build(&case.store, &databases);
    {
        let events = &mut case.store.events;
        let actors = events
            .interned(TextField::Actor)
            .expect("actors")
            .rows
            .clone();
        let ips = events.interned_mut(TextField::Ip).expect("ips");
        let distinct = ips.values.len() as u64 - 1;
        let mut rng = Rng::new(5);
        for (row, symbol) in ips.rows.iter_mut().enumerate() {
            *symbol = if rng.below(20) == 0 {
                1 + rng.below(distinct) as u32
            } else {
                1 + (u64::from(actors[row]) * 7_919 % distinct) as u32
            };
        }
    }
    let case = Case::new(std::mem::take(&mut case.store)).with_places(places_again);
    let findings = timed(
        "findings, real shape: own address, 1 in 20 elsewhere",
        || Findings::build(&case, &FindingsConfig::default()),
    );
    println!("{} findings", findings.findings.len());
    timed("--finding burst (findings computed)", || {
        let filter = Filter {
            findings: vec!["burst".into()],
            ..Filter::default()
        };
        select(&case, &filter).expect("ok")
    });
    // The naive way, for comparison: a lookup and a decode per row.
    let reader = maxminddb::Reader::open_readfile(&city_path).expect("the city database");
    let column = case.store.events.interned(TextField::Ip).expect("interned");
    let rows = events.min(1_000_000);
    let found = timed("naive: lookup + decode per row, first 1M rows", || {
        let mut found = 0u64;
        for row in 0..rows {
            let Some(address) = parse_address(column.get(row)) else {
                continue;
            };
            if let Ok(result) = reader.lookup(address)
                && let Ok(Some(city)) = result.decode::<maxminddb::geoip2::City>()
            {
                found += u64::from(city.country.iso_code.is_some());
            }
        }
        found
    });
    println!("naive: {found} rows placed");
    // Identities over the same events: every distinct actor and every
    // Pydio event's details read once for account ids.
    let people = timed("people: propose links (every actor, every detail)", || {
        auditview::index::people::People::of_store(
            &case.store,
            &auditview::index::people::Aliases::default(),
            true,
        )
    });
    println!(
        "{} proposals, {} persons",
        people.proposals.len(),
        people.persons.len()
    );
}
