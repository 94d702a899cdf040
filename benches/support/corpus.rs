//! Deterministic synthetic corpora for the benchmarks: DNAnexus Audit Trail
//! CSV and Pydio `audit.log` JSON lines shaped like the samples, with
//! realistic cardinalities (tens of users, hundreds of IPs, many objects).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// A small deterministic generator (xorshift64*), so every run writes the same bytes.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const ID_ALPHABET: &[u8] = b"0123456789BFGJKPQVXYZbfgjkpqvxyz";

fn dx_id(class: &str, n: u64) -> String {
    let mut id = format!("{class}-");
    let mut x = n.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    for _ in 0..24 {
        id.push(ID_ALPHABET[(x % 32) as usize] as char);
        x /= 32;
        if x == 0 {
            x = n.wrapping_add(0x1234_5678_9abc) | 1;
        }
    }
    id
}

fn timestamp(base: i64, seconds: i64) -> String {
    let t = chrono::DateTime::from_timestamp(base + seconds, 0).unwrap_or_default();
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

const UAS: [&str; 4] = [
    "dxpy/0.413.0 (Linux-5.15.0-1057-aws-x86_64-with-glibc2.35) Python/3.10.12",
    "\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36\"",
    "\"Mozilla/5.0 (Macintosh; Intel Mac OS X 14.3; rv:123.0) Gecko/20100101 Firefox/123.0\"",
    "dx-toolkit/0.399.1 (Linux) Python/3.11.4",
];

const ACTIONS: [&str; 14] = [
    "file-describe",
    "file-download",
    "file-describe",
    "project-describe",
    "system-findDataObjects",
    "file-new",
    "file-upload",
    "file-close",
    "project-listFolder",
    "applet-run",
    "job-describe",
    "file-setProperties",
    "project-removeObjects",
    "project-invite",
];

/// Writes about `target_bytes` of DNAnexus CSV; returns the rows written.
pub fn write_dnanexus(path: &Path, target_bytes: u64, seed: u64) -> std::io::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut rng = Rng::new(seed);
    out.write_all(b"Timestamp,IP Address,User Agent,Acting User ID,Action,Object ID,Object Name,Project ID,Project Name,Success Status,Info,Label,Auth Token\n")?;
    let projects: Vec<(String, String)> = (0..20)
        .map(|i| {
            (
                dx_id("project", i),
                format!("\"Cohort {i}, WGS (phase {})\"", i % 3),
            )
        })
        .collect();
    let users: Vec<String> = (0..60).map(|i| format!("user-analyst{i:02}")).collect();
    let ips: Vec<String> = (0..300)
        .map(|i| match i % 3 {
            0 => format!("198.51.100.{}", i % 250),
            1 => format!("203.0.113.{}", i % 250),
            _ => format!("2001:db8:{:x}::{:x}", i, i * 7),
        })
        .collect();
    let base = 1_710_000_000;
    let (mut written, mut rows, mut second) = (0u64, 0u64, 0i64);
    let mut line = String::with_capacity(512);
    while written < target_bytes {
        line.clear();
        second += rng.below(3) as i64;
        let action = *rng.pick(&ACTIONS);
        let file_n = rng.below(200_000);
        // A file lives in one project.
        let (project_id, project_name) = &projects[(file_n % projects.len() as u64) as usize];
        let object_id = dx_id("file", file_n);
        let object_name = format!(
            "S{:05}_L00{}_R{}_001.fastq.gz",
            file_n % 5000,
            file_n % 4,
            file_n % 2 + 1
        );
        let info = match action {
            "file-download" => format!(
                "\"{{\"\"preauthenticated\"\":true,\"\"duration\"\":3600,\"\"filename\"\":\"\"{object_name}\"\",\"\"project\"\":\"\"{project_id}\"\"}}\""
            ),
            "file-new" => format!(
                "\"{{\"\"project\"\":\"\"{project_id}\"\",\"\"folder\"\":\"\"/raw/2024-03-{:02}\"\",\"\"name\"\":\"\"{object_name}\"\"}}\"",
                file_n % 28 + 1
            ),
            "file-upload" => format!(
                "\"{{\"\"index\"\":1,\"\"md5\"\":\"\"{:032x}\"\",\"\"size\"\":{}}}\"",
                rng.next(),
                rng.below(1 << 30)
            ),
            "project-listFolder" => format!(
                "\"{{\"\"folder\"\":\"\"/raw/2024-03-{:02}\"\"}}\"",
                file_n % 28 + 1
            ),
            _ => "{}".to_string(),
        };
        let success = if rng.below(40) == 0 { "No" } else { "Yes" };
        let user_n = rng.below(users.len() as u64) as usize;
        let user = &users[user_n];
        use std::fmt::Write as _;
        let _ = writeln!(
            line,
            "{},{},{},{},{},{},{},{},{},{},{},\"nightly-pipeline, prod\",{:04x}",
            timestamp(base, second),
            rng.pick(&ips),
            rng.pick(&UAS),
            user,
            action,
            if action.starts_with("project") {
                project_id.as_str()
            } else {
                object_id.as_str()
            },
            if action.starts_with("project") {
                project_name.as_str()
            } else {
                object_name.as_str()
            },
            project_id,
            project_name,
            success,
            info,
            // Each user works with one token.
            user_n * 7919 % (1 << 16)
        );
        out.write_all(line.as_bytes())?;
        written += line.len() as u64;
        rows += 1;
    }
    out.flush()?;
    Ok(rows)
}

const MESSAGES: [(&str, &str); 5] = [
    ("21", "Retrieved object at"),
    ("22", "Modified"),
    ("13", "Listed folder"),
    ("11", "Created node at"),
    ("15", "Deleted node at"),
];

/// Writes about `target_bytes` of Pydio `audit.log` lines; returns the lines written.
pub fn write_pydio(path: &Path, target_bytes: u64, seed: u64) -> std::io::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut rng = Rng::new(seed);
    let users: Vec<(String, String)> = (0..80)
        .map(|i| {
            (
                format!("user.{i:02}"),
                format!("4b9f3a2e-0c1d-4e8a-9f6b-{i:012x}"),
            )
        })
        .collect();
    let workspaces: Vec<(String, &str)> = (0..40)
        .map(|i| {
            (
                format!("f6e5d4c3-b2a1-4098-8f7e-{i:012x}"),
                ["ADMIN", "ROOM", "LINK"][i % 3],
            )
        })
        .collect();
    let base = 1_710_000_000;
    let (mut written, mut lines, mut second) = (0u64, 0u64, 0i64);
    let mut line = String::with_capacity(1200);
    while written < target_bytes {
        line.clear();
        second += rng.below(2) as i64;
        let (name, uuid) = rng.pick(&users);
        let (ws, scope) = rng.pick(&workspaces);
        let (msg_id, verb) = *rng.pick(&MESSAGES);
        let n = rng.below(300_000);
        let path = format!(
            "pydiods1/Investigations/2024-{:04}/Pièces/doc_{n:06}.pdf",
            n % 900
        );
        let msg = match msg_id {
            "22" => format!("{verb} {path}, put {} bytes", rng.below(1 << 24)),
            _ => format!("{verb} {path}"),
        };
        let ts = chrono::DateTime::from_timestamp(base + second, 0)
            .unwrap_or_default()
            .with_timezone(
                &chrono::FixedOffset::east_opt(3600)
                    .unwrap_or(chrono::FixedOffset::east_opt(0).unwrap()),
            )
            .format("%Y-%m-%dT%H:%M:%S%:z");
        use std::fmt::Write as _;
        let _ = writeln!(
            line,
            "{{\"level\":\"{}\",\"ts\":\"{ts}\",\"logger\":\"pydio.gateway.data\",\"msg\":\"{msg}\",\"LogType\":\"audit\",\"SpanRootUuid\":\"a0b1c2d3-e4f5-4a6b-8c7d-{:012x}\",\"SpanParentUuid\":\"a0b1c2d3-e4f5-4a6b-8c7d-{:012x}\",\"SpanUuid\":\"b1c2d3e4-f5a6-4b7c-9d8e-{:012x}\",\"RemoteAddress\":\"192.0.2.{}:{}\",\"UserAgent\":\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36\",\"ContentType\":\"application/json\",\"HttpProtocol\":\"HTTP/2.0\",\"UserName\":\"{name}\",\"UserUuid\":\"{uuid}\",\"GroupPath\":\"/legal/investigations\",\"Profile\":\"standard\",\"Roles\":\"ROOT_GROUP,7d2e6f10-3b4a-4c5d-8e9f-a0b1c2d3e4f5,{uuid}\",\"MsgId\":\"{msg_id}\",\"NodeUuid\":\"c2d3e4f5-a6b7-4c8d-9e0f-{n:012x}\",\"NodePath\":\"{path}\",\"WorkspaceUuid\":\"{ws}\",\"WorkspaceScope\":\"{scope}\"}}",
            if rng.below(50) == 0 { "error" } else { "info" },
            lines / 3,
            lines / 3,
            lines,
            rng.below(250),
            40_000 + rng.below(20_000),
        );
        out.write_all(line.as_bytes())?;
        written += line.len() as u64;
        lines += 1;
    }
    out.flush()?;
    Ok(lines)
}

/// Resident set size now and at its peak, in bytes (Linux), from /proc/self/status.
pub fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Resets the peak RSS counter (Linux 4.0+), so each measurement has its own peak.
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
