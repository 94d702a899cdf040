//! Pydio Cells logs as servers write them, in the shapes administrators
//! pasted into public issues, written by the test (no sample of a real
//! file is public): zap's console format with tabs (pydio/cells #926,
//! #417) and pasted with spaces (#945, Websoft9/docker-library #31), with
//! span ids and an address (Websoft9/docker-library #238), a failed login
//! (#499: `Rest Error 401` with `login.failed`), an audit message id
//! (`Role [...] has been created {"MsgId": "51"}`, #305), the same JSON
//! lines behind a syslog prefix (#154) and a journald or compose prefix,
//! colour codes and a Go stack trace. Beside them, other servers' JSON
//! logs (Nextcloud, SFTPGo, Caddy, a plain zap service) that must not be
//! claimed. Events counted by hand in the comments.

use std::path::Path;

use crate::support::cli;
use cli::{auditview, json};

fn write(dir: &Path, name: &str, lines: &[&str]) {
    std::fs::write(dir.join(name), lines.join("\n") + "\n").unwrap();
}

/// The folder of every shape; (file, format, events, rejected).
fn folder(dir: &Path) -> Vec<(&'static str, &'static str, u64, u64)> {
    // 4 records: a system line with a stack trace, a failed login, the
    // role created (audit), a line that continues nothing (a reject).
    write(
        dir,
        "pydio.log",
        &[
            "\tat the top: continues nothing",
            "2022-04-07T03:51:31.548Z\tERROR\tpydio.grpc.oauth\tCould not create authorize response\t{\"error\": \"invalid_request\", \"debug\": \"\"}",
            "goroutine 7 [running]:",
            "\tgithub.com/pydio/cells/v4/common.(*x).y()",
            "2022-04-07T03:51:31.606Z\tERROR\tpydio.rest.frontend\tRest Error 401\t{\"error\": \"{\\\"id\\\":\\\"login.failed\\\",\\\"code\\\":401,\\\"detail\\\":\\\"Login failed\\\",\\\"status\\\":\\\"Unauthorized\\\"}\", \"RemoteAddress\": \"175.13.99.216:7680\", \"UserAgent\": \"Mozilla/5.0\"}",
            "2022-06-13T23:19:42.307Z\tINFO\tpydio.grpc.role\tRole [ROOT_GROUP] has been created\t{\"MsgId\": \"51\", \"UserName\": \"admin\", \"SpanUuid\": \"5a1\"}",
        ],
    );
    // 3 records pasted: tabs turned into spaces; one at a tab stop.
    write(
        dir,
        "pasted.log",
        &[
            "2026-06-19T20:11:09.848Z     INFO    pydio.rest.update       starting        {\"service\": \"pydio.rest.update\", \"hook router to\": \"/update\", \"tag\": \"discovery\"}",
            "2026-06-19T20:11:09.849Z     INFO    pydio.gateway.websocket ready",
            "2022-11-22T10:34:13.308Z        ERROR   pydio.rest.frontend     Failed to create auth code      {\"error\": \"error\", \"SpanUuid\": \"1ecdc6b3\", \"RemoteAddress\": \"175.13.99.216:7680\", \"UserAgent\": \"Mozilla/5.0 (Windows NT 10.0)\"}",
        ],
    );
    // 2 JSON records behind syslog and journald prefixes, one audit.
    write(
        dir,
        "syslog",
        &[
            "Sep 30 23:13:07 files01 cells[812]: {\"level\":\"error\",\"ts\":\"2024-09-30T23:13:07+02:00\",\"logger\":\"pydio.grpc.data.index\",\"msg\":\"Cannot find node\",\"error\":\"not found\"}",
            "2024-09-30T23:14:00+0200 files01 cells[812]: {\"level\":\"info\",\"ts\":\"2024-09-30T23:14:00+02:00\",\"logger\":\"pydio.gateway.data\",\"msg\":\"Retrieved object at ds/a/x.pdf\",\"LogType\":\"audit\",\"MsgId\":\"21\",\"UserName\":\"alice\",\"RemoteAddress\":\"192.0.2.7:5050\",\"SpanUuid\":\"s9\"}",
        ],
    );
    // 2 records of a compose stack, colours on the level.
    write(
        dir,
        "compose.log",
        &[
            "cells_1  | 2022-06-18T00:39:43.699Z\t\u{1b}[31mERROR\u{1b}[0m\tpydio.rest.frontend\tRest Error 401\t{\"error\": \"No refresh token\"}",
            "cells_1  | 2022-06-18T00:39:44.000Z\t\u{1b}[34mINFO\u{1b}[0m\tpydio.grpc.tasks\tready",
        ],
    );
    write(
        dir,
        "nextcloud.log",
        &[
            r#"{"reqId":"Yx1","level":2,"time":"2024-03-14T08:00:00+00:00","remoteAddr":"192.0.2.4","user":"alice","app":"core","method":"GET","url":"/index.php","message":"Login failed: alice","userAgent":"Mozilla/5.0","version":"28.0.1.1"}"#,
        ],
    );
    write(
        dir,
        "sftpgo.log",
        &[
            r#"{"level":"info","time":"2024-03-14T08:00:00.123","sender":"Upload","remote_addr":"192.0.2.9:51000","username":"bob","file_path":"/a.txt","protocol":"SFTP","message":"upload ok"}"#,
        ],
    );
    write(
        dir,
        "caddy.log",
        &[
            r#"{"level":"info","ts":1710403200.123,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"192.0.2.5","method":"GET","uri":"/"},"status":200}"#,
        ],
    );
    write(
        dir,
        "service.log",
        &["2026-05-10T11:31:30.336Z\tINFO\tserver\tlistening\t{\"port\": 8080}"],
    );
    vec![
        ("pydio.log", "pydio-log", 3, 1),
        ("pasted.log", "pydio-log", 3, 0),
        ("syslog", "pydio-log", 2, 0),
        ("compose.log", "pydio-log", 2, 0),
    ]
}

#[test]
fn console_syslog_and_compose_logs_are_read_and_other_servers_logs_are_not_claimed() {
    let dir = tempfile::tempdir().unwrap();
    let expected = folder(dir.path());
    let path = dir.path().to_str().unwrap();
    let report = json(&auditview(["inspect", "--json", path]));
    let sources = report["sources"].as_array().unwrap();
    let mut read: Vec<(String, String, u64, u64)> = sources
        .iter()
        .map(|s| {
            let name = Path::new(s["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let format = s["format"].as_str().unwrap().to_string();
            (
                name,
                format,
                s["events"].as_u64().unwrap(),
                s["rejected"].as_u64().unwrap(),
            )
        })
        .collect();
    read.sort();
    let mut want: Vec<(String, String, u64, u64)> = expected
        .iter()
        .map(|(n, f, e, r)| (n.to_string(), f.to_string(), *e, *r))
        .collect();
    want.sort();
    assert_eq!(read, want);
    let skipped: Vec<(String, String)> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let path = s["path"].as_str().unwrap().to_string();
            (path, s["reason"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(skipped.len(), 4, "{skipped:?}");
    for (name, first_words) in [
        ("nextcloud.log", r#"{"reqId":"Yx1""#),
        ("sftpgo.log", r#"{"level":"info","time""#),
        ("caddy.log", r#"{"level":"info","ts":1710403200.123"#),
        ("service.log", "2026-05-10T11:31:30.336Z‹U+0009›INFO"),
    ] {
        let (_, said) = skipped.iter().find(|(p, _)| p.ends_with(name)).unwrap();
        assert!(
            said.contains(&format!("first line: {first_words}")),
            "{said}"
        );
    }
    // The reject names its line and why.
    let rejects = report["rejects"].as_array().unwrap();
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0]["line"], 1);
    assert!(
        rejects[0]["reason"]
            .as_str()
            .unwrap()
            .contains("continues no record")
    );
}

#[test]
fn each_line_gives_its_actor_address_outcome_request_and_kind() {
    let dir = tempfile::tempdir().unwrap();
    folder(dir.path());
    let out = tempfile::tempdir().unwrap();
    let csv_path = out.path().join("all.csv");
    let csv_path = csv_path.to_str().unwrap();
    let path = dir.path().to_str().unwrap();
    cli::ok(&auditview(["export", path, "--output", csv_path]));
    let mut reader = csv::Reader::from_path(csv_path).unwrap();
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<[String; 7]> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            [
                "Time (UTC)",
                "Log",
                "Actor",
                "IP",
                "Outcome",
                "Request ID",
                "Message",
            ]
            .map(|c| r[at(c)].to_string())
        })
        .collect();
    let row = |message_start: &str| {
        rows.iter()
            .find(|r| r[6].starts_with(message_start))
            .unwrap_or_else(|| panic!("{message_start} in {rows:#?}"))
            .clone()
    };
    let failed = row("Rest Error 401 - {");
    assert_eq!(
        failed[..6],
        [
            "2022-04-07T03:51:31.606Z",
            "system",
            "",
            "175.13.99.216",
            "failure",
            ""
        ]
    );
    let role = row("Role [ROOT_GROUP]");
    assert_eq!(role[1..6], ["audit", "admin", "", "success", "5a1"]);
    let ready = row("ready");
    assert_eq!(ready[4], "unknown");
    let retrieved = row("Retrieved object");
    assert_eq!(
        retrieved[..6],
        [
            "2024-09-30T21:14:00Z",
            "audit",
            "alice",
            "192.0.2.7",
            "success",
            "s9"
        ]
    );
    let auth = row("Failed to create auth code");
    assert_eq!(auth[3..6], ["175.13.99.216", "failure", "1ecdc6b3"]);
    // 10 events: 3 audit-free console files and 2 audit records.
    assert_eq!(rows.len(), 10);
    assert_eq!(rows.iter().filter(|r| r[1] == "audit").count(), 2);
}
