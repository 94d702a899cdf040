//! Findings: the fixture's planted anomalies and gaps are found with their
//! proving lines and nothing else is (answers in
//! `tests/fixtures/findings/README.md`); `--finding` selects the proving
//! events; rules files add rules or are refused clearly; and a month of
//! regular activity raises nothing above "info".

use std::fmt::Write as _;
use std::path::Path;

use crate::support::cli;
use crate::support::geoip;
use cli::{auditview, json, ok};

const FIXTURE: &str = "tests/fixtures/findings";

fn findings(paths: &[&str], extra: &[&str]) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().unwrap();
    let (city, asn) = geoip::write_databases(dir.path());
    let mut args = vec!["findings", "--json"];
    args.extend_from_slice(paths);
    args.extend_from_slice(&[
        "--geoip",
        city.to_str().unwrap(),
        "--geoip",
        asn.to_str().unwrap(),
    ]);
    args.extend_from_slice(extra);
    json(&auditview(&args))["findings"]
        .as_array()
        .unwrap()
        .clone()
}

/// `path:line` of each proving event, the path relative to the fixture.
fn proof_lines(finding: &serde_json::Value) -> Vec<String> {
    finding["proofs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let path = p["path"].as_str().unwrap();
            let short = path.strip_prefix(&format!("{FIXTURE}/")).unwrap_or(path);
            format!("{short}:{}", p["line"])
        })
        .collect()
}

fn find<'a>(all: &'a [serde_json::Value], kind: &str, subject: &str) -> &'a serde_json::Value {
    all.iter()
        .find(|f| f["kind"] == kind && f["subject"].as_str().unwrap().ends_with(subject))
        .unwrap_or_else(|| panic!("no {kind} of {subject}: {all:#?}"))
}

#[test]
fn the_fixture_yields_exactly_the_planted_findings_with_their_proving_lines() {
    let all = findings(&[FIXTURE], &[]);
    let mut listed: Vec<(String, String, String)> = all
        .iter()
        .map(|f| {
            let subject = f["subject"].as_str().unwrap();
            let subject = subject.rsplit('/').next().unwrap().to_string();
            (
                f["severity"].as_str().unwrap().to_string(),
                f["kind"].as_str().unwrap().to_string(),
                subject,
            )
        })
        .collect();
    listed.sort();
    let mut expected: Vec<(String, String, String)> = [
        ("high", "impossible_travel", "helena.nakamura"),
        ("medium", "new_country", "helena.nakamura"),
        ("medium", "burst", "bob.okafor"),
        ("high", "failed_logins_then_success", "carol.diaz"),
        ("medium", "missing_day", "dnanexus"),
        ("medium", "missing_day", "dnanexus"),
        ("medium", "cut_short", "audit_trail_2024-03-08.csv.gz"),
        ("low", "new_asn", "helena.nakamura"),
        ("low", "off_hours", "bob.okafor"),
        ("low", "rejects", "audit_trail_2024-03-08.csv.gz"),
        ("low", "silence", "dnanexus"),
        ("info", "new_ip", "helena.nakamura"),
        ("info", "silence", "pydio"),
        ("info", "silence", "pydio"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    expected.sort();
    assert_eq!(listed, expected);
    // Most severe first.
    assert_eq!(all[0]["kind"], "impossible_travel");

    let travel = find(&all, "impossible_travel", "helena.nakamura");
    assert_eq!(
        proof_lines(travel),
        ["pydio/audit.log:105", "pydio/audit.log:107"]
    );
    assert!(
        travel["explanation"].as_str().unwrap().contains(
            "Berlin at 2024-03-13T11:00:00Z and in Tokyo at 2024-03-13T12:30:00Z: 8916 km in 1.5 h"
        ),
        "{travel}"
    );
    for kind in ["new_country", "new_asn", "new_ip"] {
        assert_eq!(
            proof_lines(find(&all, kind, "helena.nakamura")),
            ["pydio/audit.log:107"]
        );
    }
    let burst = find(&all, "burst", "bob.okafor");
    assert_eq!(burst["events"], 25);
    assert_eq!(burst["time"], "2024-03-20T02:00:00Z");
    let off_hours = find(&all, "off_hours", "bob.okafor");
    assert_eq!(proof_lines(off_hours), proof_lines(burst));
    let failed = find(&all, "failed_logins_then_success", "carol.diaz");
    assert_eq!(failed["events"], 7);
    assert!(
        failed["explanation"]
            .as_str()
            .unwrap()
            .contains("6 times from 2024-03-18T08:50:00Z, then logged in at 2024-03-18T09:30:00Z")
    );
    let missing: Vec<&str> = all
        .iter()
        .filter(|f| f["kind"] == "missing_day")
        .map(|f| f["time"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["2024-03-06T00:00:00Z", "2024-03-07T00:00:00Z"]);
    let silence = find(&all, "silence", "dnanexus");
    assert_eq!(silence["time"], "2024-03-05T12:00:00Z");
}

#[test]
fn a_finding_as_a_filter_selects_exactly_its_proving_events() {
    let dir = tempfile::tempdir().unwrap();
    let (city, asn) = geoip::write_databases(dir.path());
    let matched = |finding: &str| {
        json(&auditview([
            "inspect",
            "--json",
            FIXTURE,
            "--geoip",
            city.to_str().unwrap(),
            "--geoip",
            asn.to_str().unwrap(),
            "--finding",
            finding,
        ]))["matched"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(matched("impossible_travel"), 2);
    assert_eq!(matched("burst"), 25);
    assert_eq!(matched("failed_logins_then_success"), 7);
    // A kind with no finding selects nothing; an id selects its events.
    assert_eq!(matched("weekend"), 0);
    let id = find(&findings(&[FIXTURE], &[]), "new_country", "helena.nakamura")["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(matched(&id), 1);
    // Something that names no finding is a usage error.
    let output = auditview(["inspect", FIXTURE, "--finding", "teleportation"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("'teleportation' names no finding"));
}

#[test]
fn a_rules_file_adds_its_rules_and_a_bad_one_is_refused_naming_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("mine.json");
    std::fs::write(
        &rules,
        r#"{"rules": [{"id": "bulk-download", "title": "Twenty downloads in an hour",
            "severity": "high", "selection": {"category": "download", "message|contains": "at ds/bulk/"},
            "threshold": 20, "window": "1h", "group_by": "actor"}]}"#,
    )
    .unwrap();
    let all = findings(&[FIXTURE], &["--rules", rules.to_str().unwrap()]);
    let rule = find(&all, "rule", "bob.okafor");
    assert_eq!(rule["rule"], "bulk-download");
    assert_eq!(rule["severity"], "high");
    assert_eq!(rule["events"], 25);

    std::fs::write(
        &rules,
        r#"{"rules": [{"id": "odd", "title": "Odd", "severity": "low", "selection": {"shoe_size": "42"}}]}"#,
    )
    .unwrap();
    let output = auditview(["findings", FIXTURE, "--rules", rules.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("rule 'odd'") && stderr.contains("'shoe_size' is not a field"),
        "{stderr}"
    );
}

/// A small deterministic generator (no dependency for a test's dice).
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % sides
    }
}

/// A month (March 2024) of regular work: six people on weekdays in their
/// own hours with jittered minutes and counts, one who also works every
/// Saturday morning, occasional mistyped passwords, a second office
/// address; and a pipeline on DNAnexus every hour of every day, one daily
/// file each.
fn regular_month(dir: &Path) {
    let mut dice = Dice(7);
    let people = [
        ("ana.silva", "198.51.100.10", 8, 17, false),
        ("ben.ito", "198.51.100.11", 9, 18, false),
        ("chloe.roy", "198.51.100.12", 7, 15, false),
        ("dev.patel", "203.0.113.20", 10, 19, false),
        ("eva.novak", "203.0.113.21", 8, 16, true),
        ("femi.adeyemi", "203.0.113.22", 12, 21, false),
    ];
    let mut lines: Vec<(String, String)> = Vec::new();
    let mut pydio = |ts: String, user: &str, ip: &str, msg: String, id: &str, level: &str| {
        let line = format!(
            r#"{{"level":"{level}","ts":"{ts}","logger":"pydio.gateway.data","msg":"{msg}","LogType":"audit","RemoteAddress":"{ip}","UserAgent":"Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0","UserName":"{user}","MsgId":"{id}"}}"#
        );
        lines.push((ts, line));
    };
    for day in 1..=31u32 {
        // 2024-03-01 was a Friday.
        let weekday = (day + 3) % 7; // 0 = Monday
        for (n, &(user, ip, start, end, saturdays)) in people.iter().enumerate() {
            let (start, end) = match weekday {
                0..=4 => (start, end),
                5 if saturdays => (9, 12),
                _ => continue,
            };
            // The second office address of the same network, some days.
            let ip = if dice.roll(4) == 0 {
                ip.rsplit_once('.')
                    .map(|(net, _)| format!("{net}.{}", 100 + n))
                    .unwrap()
            } else {
                ip.to_string()
            };
            let ts = |hour: u32, minute: u64| format!("2024-03-{day:02}T{hour:02}:{minute:02}:00Z");
            if dice.roll(10) == 0 {
                for _ in 0..=dice.roll(2) {
                    pydio(
                        ts(start, 0),
                        user,
                        &ip,
                        format!("Could not bind user {user}"),
                        "2",
                        "error",
                    );
                }
            }
            pydio(
                ts(start, 1 + dice.roll(5)),
                user,
                &ip,
                format!("User {user} logged in"),
                "1",
                "info",
            );
            for hour in start..end {
                for _ in 0..dice.roll(7) {
                    let minute = 10 + dice.roll(50);
                    let file = dice.roll(40);
                    pydio(
                        ts(hour, minute),
                        user,
                        &ip,
                        format!("Retrieved object at ds/team/{file}.csv"),
                        "21",
                        "info",
                    );
                }
            }
        }
    }
    lines.sort();
    let mut log = String::new();
    for (_, line) in &lines {
        writeln!(log, "{line}").unwrap();
    }
    std::fs::create_dir_all(dir.join("pydio")).unwrap();
    std::fs::write(dir.join("pydio/audit.log"), log).unwrap();
    std::fs::create_dir_all(dir.join("dnanexus")).unwrap();
    for day in 1..=31u32 {
        let mut csv = String::from(
            "Timestamp,IP Address,User Agent,Acting User ID,Action,Object ID,Object Name,Project ID,Project Name,Success Status,Info,Label,Auth Token\n",
        );
        for hour in 0..24 {
            let minute = dice.roll(60);
            writeln!(
                csv,
                "2024-03-{day:02}T{hour:02}:{minute:02}:00Z,192.0.2.7,dxpy/0.413.0,user-pipeline,file-download,file-Ykj5B97GJBQ3qjvjjGggG7VJ,a.bam,project-GbQ0x8j0yZ2Pq4F6vKX1b9Jz,WGS,Yes,{{}},,Zf3b"
            )
            .unwrap();
        }
        std::fs::write(
            dir.join(format!("dnanexus/audit_trail_2024-03-{day:02}.csv")),
            csv,
        )
        .unwrap();
    }
}

#[test]
fn a_month_of_regular_activity_raises_nothing_above_info() {
    let dir = tempfile::tempdir().unwrap();
    regular_month(dir.path());
    let all = findings(&[dir.path().to_str().unwrap()], &[]);
    let above_info: Vec<_> = all.iter().filter(|f| f["severity"] != "info").collect();
    assert!(above_info.is_empty(), "{above_info:#?}");
    // The month is not empty of notes: the weekend silences and the second
    // office address are said, as info.
    assert!(all.iter().any(|f| f["kind"] == "silence"), "{all:#?}");
    let inspect = json(&auditview([
        "inspect",
        "--json",
        dir.path().to_str().unwrap(),
    ]));
    assert!(inspect["events"].as_u64().unwrap() > 4_000, "{inspect}");
}

#[test]
fn an_exports_provenance_names_the_coverage_and_the_findings_among_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (city, asn) = geoip::write_databases(dir.path());
    let output = dir.path().join("burst.csv");
    ok(&auditview([
        "export",
        FIXTURE,
        "--geoip",
        city.to_str().unwrap(),
        "--geoip",
        asn.to_str().unwrap(),
        "--finding",
        "burst",
        "--output",
        output.to_str().unwrap(),
    ]));
    let sidecar: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("burst.csv.provenance.json")).unwrap(),
    )
    .unwrap();
    let dnanexus = &sidecar["coverage"][0];
    assert_eq!(dnanexus["system"], "dnanexus");
    assert_eq!(
        dnanexus["missing_days"],
        serde_json::json!(["2024-03-06", "2024-03-07"])
    );
    let listed: Vec<(String, u64)> = sidecar["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["events_in_export"].as_u64().unwrap(),
            )
        })
        .collect();
    // The burst's rows are the off-hours finding's too; the evidence's
    // gaps are listed whatever the rows.
    for expected in [
        ("burst", 25),
        ("off_hours", 25),
        ("missing_day", 0),
        ("cut_short", 0),
    ] {
        assert!(
            listed.contains(&(expected.0.to_string(), expected.1)),
            "{expected:?} in {listed:?}"
        );
    }
    assert!(!listed.iter().any(|(kind, _)| kind == "impossible_travel"));
}

#[test]
fn the_case_report_holds_the_coverage_and_the_findings_with_their_proof() {
    let dir = tempfile::tempdir().unwrap();
    let (city, _) = geoip::write_databases(dir.path());
    let case = dir.path().join("inv.auditcase");
    let evidence = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    ok(&auditview([
        "case",
        "new",
        case.to_str().unwrap(),
        evidence.to_str().unwrap(),
    ]));
    // A command with --geoip and --case records the database in the case.
    ok(&auditview([
        "findings",
        "--case",
        case.to_str().unwrap(),
        "--geoip",
        city.to_str().unwrap(),
    ]));
    let report = dir.path().join("report.html");
    ok(&auditview([
        "report",
        "case",
        case.to_str().unwrap(),
        "--output",
        report.to_str().unwrap(),
    ]));
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("<h2>Coverage of the evidence</h2>"));
    assert!(html.contains("2024-03-06, 2024-03-07"));
    assert!(html.contains("<h2>Findings</h2>"));
    assert!(html.contains("helena.nakamura was in Berlin at 2024-03-13T11:00:00Z and in Tokyo"));
    assert!(html.contains("audit.log:107"));
}

#[test]
fn anomalies_planted_in_the_regular_month_are_found_and_nothing_else_above_info() {
    let dir = tempfile::tempdir().unwrap();
    regular_month(dir.path());
    // Each from the person's own office address (regular_month's).
    let line = |ts: &str, user: &str, msg: &str, id: &str, agent: &str| {
        let ip = match user {
            "ana.silva" => "198.51.100.10",
            "ben.ito" => "198.51.100.11",
            "chloe.roy" => "198.51.100.12",
            _ => "203.0.113.20",
        };
        format!(
            r#"{{"level":"info","ts":"{ts}","logger":"pydio.rest","msg":"{msg}","LogType":"audit","RemoteAddress":"{ip}","UserAgent":"{agent}","UserName":"{user}","MsgId":"{id}"}}"#
        )
    };
    let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0";
    let mut planted = Vec::new();
    // ana.silva, a weekday worker, on Sunday 2024-03-24.
    for minute in [0, 10, 20] {
        planted.push(line(
            &format!("2024-03-24T10:{minute:02}:00Z"),
            "ana.silva",
            "Retrieved object at ds/team/1.csv",
            "21",
            firefox,
        ));
    }
    // ben.ito's first administrative action, after weeks of none.
    planted.push(line(
        "2024-03-20T11:00:00Z",
        "ben.ito",
        "Deleted user [/carol]",
        "44",
        firefox,
    ));
    // chloe.roy: ten failed logins two minutes apart on Saturday 03-23,
    // no success after (and too slow for the shipped rule's ten in 10 min).
    for n in 0..10 {
        planted.push(line(
            &format!("2024-03-23T13:{:02}:00Z", n * 2),
            "chloe.roy",
            "Could not bind user chloe.roy",
            "2",
            firefox,
        ));
    }
    // dev.patel from a scripted client on 03-19.
    for minute in [5, 6] {
        planted.push(line(
            &format!("2024-03-19T11:{minute:02}:00Z"),
            "dev.patel",
            "Retrieved object at ds/team/2.csv",
            "21",
            "curl/8.4.0",
        ));
    }
    let log = dir.path().join("pydio/audit.log");
    let mut text = std::fs::read_to_string(&log).unwrap();
    for planted in planted {
        text.push_str(&planted);
        text.push('\n');
    }
    std::fs::write(&log, text).unwrap();
    let all = findings(&[dir.path().to_str().unwrap()], &[]);
    let mut above_info: Vec<(String, String, String)> = all
        .iter()
        .filter(|f| f["severity"] != "info")
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["subject"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    above_info.sort();
    let expected: Vec<(String, String, String)> = [
        ("failed_logins", "chloe.roy", ""),
        ("first_privileged", "ben.ito", ""),
        ("rule", "dev.patel", "command-line-client"),
        ("weekend", "ana.silva", ""),
        ("weekend", "chloe.roy", ""),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(above_info, expected, "{all:#?}");
    let agent = find(&all, "new_user_agent", "dev.patel");
    assert_eq!(agent["severity"], "info");
    assert_eq!(agent["events"], 2);
    assert_eq!(find(&all, "failed_logins", "chloe.roy")["events"], 10);
}

/// The authentication fixture (`tests/fixtures/auth/README.md`): each
/// kind fires where it must, with its lines, and nowhere else.
#[test]
fn failed_logins_lockouts_and_spraying_fire_exactly_where_the_fixture_says() {
    const AUTH: &str = "tests/fixtures/auth";
    let all = json(&auditview(["findings", "--json", AUTH]))["findings"]
        .as_array()
        .unwrap()
        .clone();
    let lines = |f: &serde_json::Value| -> Vec<String> {
        f["proofs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let path = p["path"].as_str().unwrap();
                let file = path.rsplit('/').next().unwrap();
                format!("{file}:{}", p["line"])
            })
            .collect()
    };
    let listed: Vec<(String, String, String, Vec<String>)> = all
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap().to_string(),
                f["rule"]
                    .as_str()
                    .unwrap_or_else(|| f["kind"].as_str().unwrap())
                    .to_string(),
                f["subject"].as_str().unwrap().to_string(),
                lines(f),
            )
        })
        .collect();
    let log = |numbers: &[u32]| -> Vec<String> {
        numbers.iter().map(|n| format!("audit.log:{n}")).collect()
    };
    let expected = vec![
        (
            "high".to_string(),
            "failed_logins_then_success".to_string(),
            "dave".to_string(),
            log(&[1, 2, 3, 4, 5, 6]),
        ),
        (
            "high".into(),
            "password-spraying".into(),
            "203.0.113.66".into(),
            log(&[28, 29, 30, 31, 32]),
        ),
        (
            "medium".into(),
            "account_locked".into(),
            "hugo".into(),
            log(&[20, 21, 22, 23]),
        ),
        (
            "medium".into(),
            "account_locked".into(),
            "ivy@lab.example".into(),
            vec!["login_report.csv:5".to_string()],
        ),
        (
            "low".into(),
            "failed_logins".into(),
            "frank".into(),
            log(&[12, 14, 16, 18, 19]),
        ),
    ];
    assert_eq!(listed, expected, "{all:#?}");
    let text = |kind: &str, subject: &str| find(&all, kind, subject)["explanation"].clone();
    assert!(
        text("account_locked", "hugo").as_str().unwrap().contains(
            "locked out at 2024-04-02T11:03:00Z, after 3 failed logins from 2024-04-02T11:00:00Z"
        ),
        "{all:#?}"
    );
    assert!(
        text("account_locked", "ivy@lab.example")
            .as_str()
            .unwrap()
            .contains("with no failed login before it in the evidence")
    );
    assert!(
        text("rule", "203.0.113.66")
            .as_str()
            .unwrap()
            .contains("5 identities (5 events)")
    );
}

/// The first-seen and weekend fixture (`tests/fixtures/firsts/README.md`).
#[test]
fn weekends_new_user_agents_and_first_privileged_actions_fire_exactly_where_the_fixture_says() {
    const FIRSTS: &str = "tests/fixtures/firsts";
    let all = json(&auditview(["findings", "--json", FIRSTS]))["findings"]
        .as_array()
        .unwrap()
        .clone();
    let listed: Vec<(String, String, String, Vec<u64>)> = all
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap().to_string(),
                f["kind"].as_str().unwrap().to_string(),
                f["subject"].as_str().unwrap().to_string(),
                f["proofs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p["line"].as_u64().unwrap())
                    .collect(),
            )
        })
        .collect();
    let expected: Vec<(String, String, String, Vec<u64>)> = [
        ("low", "first_privileged", "yara", vec![165]),
        ("low", "weekend", "wendy", vec![185]),
        ("info", "new_user_agent", "yara", vec![143, 145]),
        ("info", "silence", "pydio", vec![]),
    ]
    .into_iter()
    .map(|(s, k, who, lines)| (s.to_string(), k.to_string(), who.to_string(), lines))
    .collect();
    let mut sorted = listed.clone();
    sorted.sort();
    let mut wanted = expected.clone();
    wanted.sort();
    assert_eq!(sorted, wanted, "{all:#?}");
    assert_eq!(
        find(&all, "silence", "pydio")["time"],
        "2024-04-06T10:05:00Z"
    );
}
