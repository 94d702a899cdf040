//! GeoIP: the test databases (`support/geoip.rs`, the documentation ranges)
//! place the fixture's addresses with the answers counted by hand in
//! `fixtures/geoip/README.md`; exports carry the places and name the
//! databases; a damaged or wrong database is a clear error, never a panic.

use std::path::Path;

use crate::support::cli;
use cli::{auditview, json, ok};

use crate::support::geoip;

const FIXTURE: &str = "tests/fixtures/geoip/places.csv";

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn countries_and_networks_of_the_fixture_are_the_hand_counted_ones() {
    let dir = tempfile::tempdir().unwrap();
    let (city, asn) = geoip::write_databases(dir.path());
    let report = json(&auditview([
        "inspect",
        "--json",
        FIXTURE,
        "--geoip",
        text(&city),
        "--geoip",
        text(&asn),
    ]));
    let places = &report["places"];
    let countries: Vec<(String, u64, u64)> = places["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["iso"].as_str().unwrap().to_string(),
                c["events"].as_u64().unwrap(),
                c["addresses"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("DE", 3, 2),
        ("JP", 2, 1),
        ("BR", 1, 1),
        ("GB", 1, 1),
        ("US", 1, 1),
    ];
    let expected: Vec<(String, u64, u64)> = expected
        .iter()
        .map(|(iso, events, addresses)| (iso.to_string(), *events, *addresses))
        .collect();
    assert_eq!(countries, expected);
    assert_eq!(places["countries"][1]["name"], "Japan");
    let networks: Vec<(u64, u64)> = places["networks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["asn"].as_u64().unwrap(), n["events"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        networks,
        [(64501, 3), (64500, 2), (64502, 1), (64503, 1), (64504, 1)]
    );
    let unplaced: Vec<(String, u64)> = places["unplaced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["reason"].as_str().unwrap().to_string(),
                u["events"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut reasons: Vec<&str> = unplaced.iter().map(|(r, _)| r.as_str()).collect();
    reasons.sort();
    assert_eq!(
        reasons,
        [
            "no address",
            "not in the GeoIP databases",
            "private (RFC 1918)",
            "shared address space (carrier-grade NAT) (RFC 6598)",
        ]
    );
    assert!(unplaced.iter().all(|(_, events)| *events == 1));
    let types: Vec<&str> = places["databases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["database_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["GeoIP2-City", "GeoLite2-ASN"]);
    assert_eq!(places["databases"][0]["built"], "2024-03-16T00:00:00Z");
}

#[test]
fn country_and_asn_flags_select_the_events_of_those_places() {
    let dir = tempfile::tempdir().unwrap();
    let (city, asn) = geoip::write_databases(dir.path());
    let matched = |flags: &[&str]| -> u64 {
        let mut args = vec![
            "inspect",
            "--json",
            FIXTURE,
            "--geoip",
            text(&city),
            "--geoip",
            text(&asn),
        ];
        args.extend_from_slice(flags);
        json(&auditview(&args))["matched"].as_u64().unwrap()
    };
    assert_eq!(matched(&["--country", "JP"]), 2);
    assert_eq!(matched(&["--country", "de", "--country", "US"]), 4);
    assert_eq!(matched(&["--asn", "AS64501"]), 3);
    assert_eq!(matched(&["--asn", "64503", "--outcome", "failure"]), 1);
    assert_eq!(matched(&["--country", "FR"]), 0);
    let bad = auditview(["inspect", FIXTURE, "--country", "Japan"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a country code"));
}

#[test]
fn a_country_filter_without_a_database_says_it_needs_one() {
    let output = auditview(["inspect", FIXTURE, "--country", "JP"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--country needs a GeoIP database"),
        "{stderr}"
    );
}

#[test]
fn the_environment_variable_names_databases_and_ipinfo_lite_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let lite = dir.path().join("ipinfo_lite.mmdb");
    std::fs::write(&lite, geoip::ipinfo_lite_database()).unwrap();
    let output = crate::support::cli::binary()
        .args(["inspect", "--json", FIXTURE, "--asn", "64500"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("AUDITVIEW_GEOIP", &lite)
        .output()
        .unwrap();
    let report = json(&output);
    assert_eq!(report["matched"], 2);
    assert_eq!(report["places"]["countries"][0]["iso"], "JP");
    assert_eq!(report["places"]["countries"][0]["name"], "Japan");
    assert_eq!(
        report["places"]["databases"][0]["holds"],
        serde_json::json!(["country", "asn"])
    );
}

#[test]
fn exports_carry_the_places_and_name_each_database_with_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let (city, asn) = geoip::write_databases(dir.path());
    let csv = dir.path().join("out.csv");
    ok(&auditview([
        "export",
        FIXTURE,
        "--geoip",
        text(&city),
        "--geoip",
        text(&asn),
        "--output",
        text(&csv),
    ]));
    let mut reader = csv::Reader::from_path(&csv).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (country, cityc, asnc, org, ip) = (
        at("Country"),
        at("City"),
        at("ASN"),
        at("AS Organization"),
        at("IP"),
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let row_of = |address: &str| rows.iter().find(|r| &r[ip] == address).unwrap();
    let brazil = row_of("203.0.113.200");
    assert_eq!(
        (
            &brazil[country],
            &brazil[cityc],
            &brazil[asnc],
            &brazil[org]
        ),
        ("BR", "São Paulo", "64503", "Exemplo Telecom")
    );
    let berlin = row_of("198.51.100.10");
    assert_eq!(&berlin[cityc], "Berlin, Land Berlin");
    let private = row_of("10.1.2.3");
    assert_eq!((&private[country], &private[asnc]), ("", ""));
    let sidecar = std::fs::read_to_string(dir.path().join("out.csv.provenance.json")).unwrap();
    let provenance: serde_json::Value = serde_json::from_str(&sidecar).unwrap();
    let sha256 = |path: &Path| auditview::hash::sha256_of_file(path).unwrap();
    let named = provenance["geoip"].as_array().unwrap();
    assert_eq!(named.len(), 2);
    assert_eq!(named[0]["sha256"], sha256(&city).as_str());
    assert_eq!(named[1]["sha256"], sha256(&asn).as_str());
    assert_eq!(named[0]["path"], text(&city));

    let xlsx = dir.path().join("out.xlsx");
    ok(&auditview([
        "export",
        FIXTURE,
        "--geoip",
        text(&city),
        "--country",
        "GB",
        "--output",
        text(&xlsx),
    ]));
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(&xlsx).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row: Vec<String> = sheet
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(row[at("Country")], "GB");
    assert_eq!(row[at("City")], "London, England");
    // The city database has no AS numbers: the columns are there, empty.
    assert_eq!(row[at("ASN")], "");
    assert_eq!(sheet.rows().count(), 2);
}

#[test]
fn without_a_database_exports_keep_their_columns_and_name_none() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("out.csv");
    ok(&auditview(["export", FIXTURE, "--output", text(&csv)]));
    let header = std::fs::read_to_string(&csv).unwrap();
    assert!(!header.lines().next().unwrap().contains("Country"));
    let sidecar = std::fs::read_to_string(dir.path().join("out.csv.provenance.json")).unwrap();
    let provenance: serde_json::Value = serde_json::from_str(&sidecar).unwrap();
    assert_eq!(provenance["geoip"], serde_json::json!([]));
}

#[test]
fn a_damaged_or_wrong_database_is_a_clear_error_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let city = geoip::city_database();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "garbage.mmdb",
            b"not a database at all".repeat(50),
            "not a MaxMind DB",
        ),
        ("empty.mmdb", Vec::new(), "not a MaxMind DB"),
        (
            "half.mmdb",
            city[..city.len() / 2].to_vec(),
            "not a MaxMind DB",
        ),
        (
            "tree-cut.mmdb",
            [&city[..40], &city[city.len() - 300..]].concat(),
            "GeoIP database",
        ),
        (
            // Metadata holding a pointer back to itself: followed for ever
            // by the reader, refused here.
            "metadata-loop.mmdb",
            {
                let marker = b"\xab\xcd\xefMaxMind.com";
                let at = city
                    .windows(marker.len())
                    .rposition(|w| w == marker)
                    .unwrap();
                let mut bytes = city[..at + marker.len()].to_vec();
                bytes.extend([0xe1, 0x41, b'x', 0x20, 0x00]);
                bytes
            },
            "its metadata is damaged",
        ),
        (
            "anonymous.mmdb",
            geoip::anonymous_ip_database(),
            "holds no country, city or AS number",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let output = auditview(["inspect", FIXTURE, "--geoip", text(&path)]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name} unchanged");
    }
    let missing = auditview(["inspect", FIXTURE, "--geoip", "no/such.mmdb"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read it"));
}

#[test]
fn the_sample_case_places_its_addresses_with_its_own_databases() {
    let report = json(&auditview(["inspect", "--json", "assets/samples"]));
    let countries: Vec<&str> = report["places"]["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["iso"].as_str().unwrap())
        .collect();
    assert_eq!(countries, ["DE", "JP", "US", "GB", "BR"]);
    // The databases are reference data, not evidence.
    let sources = report["sources"].as_array().unwrap();
    assert!(
        sources
            .iter()
            .all(|s| !s["path"].as_str().unwrap().ends_with(".mmdb"))
    );
}

#[test]
fn the_sample_databases_are_what_the_committed_script_writes() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/geoip");
    assert_eq!(
        std::fs::read(folder.join("auditview-sample-City.mmdb")).unwrap(),
        geoip::city_database(),
        "rerun `cargo run --example sample_geoip`"
    );
    assert_eq!(
        std::fs::read(folder.join("auditview-sample-ASN.mmdb")).unwrap(),
        geoip::asn_database()
    );
}

#[test]
fn a_case_remembers_its_geoip_databases_and_says_when_one_changed_or_went() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("evidence");
    std::fs::create_dir_all(&evidence).unwrap();
    std::fs::copy(FIXTURE, evidence.join("places.csv")).unwrap();
    let (city, _) = geoip::write_databases(dir.path());
    let case = dir.path().join("c.auditcase");
    let (case_text, evidence_text) = (text(&case), text(&evidence));
    ok(&auditview(["case", "new", case_text, evidence_text]));
    ok(&auditview([
        "inspect",
        "--case",
        case_text,
        "--geoip",
        text(&city),
    ]));
    // Reopened without --geoip: the case's database places the addresses.
    let report = json(&auditview([
        "inspect",
        "--json",
        "--case",
        case_text,
        "--country",
        "DE",
    ]));
    assert_eq!(report["matched"], 3);
    assert_eq!(report["places"]["databases"][0]["path"], text(&city));
    // Another database at the same path: said, and recorded anew.
    std::fs::write(&city, geoip::ipinfo_lite_database()).unwrap();
    let changed = auditview(["inspect", "--case", case_text]);
    let stderr = String::from_utf8_lossy(&changed.stderr);
    assert!(
        stderr.contains("changed since the case recorded it"),
        "{stderr}"
    );
    let again = auditview(["inspect", "--case", case_text]);
    assert!(!String::from_utf8_lossy(&again.stderr).contains("changed"));
    // Gone: said; the rest still loads.
    std::fs::remove_file(&city).unwrap();
    let gone = auditview(["inspect", "--json", "--case", case_text]);
    let stderr = String::from_utf8_lossy(&gone.stderr);
    assert!(stderr.contains("is not there any more"), "{stderr}");
    assert_eq!(json(&gone)["events"], 12);
    ok(&auditview(["case", "verify", case_text]));
}

#[test]
fn an_as_number_stored_as_uint16_or_as_text_is_read_not_refused() {
    let dir = tempfile::tempdir().unwrap();
    let narrow = dir.path().join("narrow-ASN.mmdb");
    std::fs::write(&narrow, geoip::narrow_asn_database()).unwrap();
    let (_, usual) = geoip::write_databases(dir.path());
    let matched = |database: &Path, asn: &str| {
        let report = json(&auditview([
            "inspect",
            "--json",
            FIXTURE,
            "--geoip",
            text(database),
            "--asn",
            asn,
        ]));
        assert_eq!(
            report["places"]["databases"][0]["holds"],
            serde_json::json!(["asn"])
        );
        report["matched"].as_u64().unwrap()
    };
    // 64500 as uint16, 64501 as "AS64501": each as the usual database says.
    assert_eq!(matched(&narrow, "64500"), 2);
    for asn in ["64500", "64501"] {
        assert_eq!(matched(&narrow, asn), matched(&usual, asn), "AS{asn}");
    }
}
