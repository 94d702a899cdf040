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

/// Appends `value` as a CSV field, quoted (inner quotes doubled) only when
/// it holds a comma, a quote or a line break, as RFC 4180 writers do.
fn csv_field(line: &mut String, value: &str) {
    if value.contains([',', '"', '\n', '\r']) {
        line.push('"');
        for c in value.chars() {
            if c == '"' {
                line.push('"');
            }
            line.push(c);
        }
        line.push('"');
    } else {
        line.push_str(value);
    }
}

/// `value` as a JSON string literal (quotes and backslashes escaped).
fn json_str(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn uuid(rng: &mut Rng) -> String {
    let (a, b) = (rng.next(), rng.next());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff
    )
}

const FIRST_NAMES: [&str; 24] = [
    "anna", "bruno", "chloe", "david", "elena", "farid", "grace", "hugo", "ines", "jonas", "kenji",
    "lucia", "marc", "nora", "oscar", "paula", "quentin", "rosa", "samir", "tomas", "ulla",
    "victor", "wei", "yuki",
];
const LAST_NAMES: [&str; 16] = [
    "dubois", "martin", "mueller", "garcia", "tanaka", "novak", "rossi", "smith", "kowalski",
    "nielsen", "silva", "okafor", "larsen", "haddad", "ivanova", "brown",
];

const BROWSERS: [&str; 5] = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.3; rv:123.0) Gecko/20100101 Firefox/123.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.6167.184 Safari/537.36 Edg/121.0.2277.128",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:122.0) Gecko/20100101 Firefox/122.0",
];
const CLIENTS: [&str; 4] = [
    "dxpy/0.413.0 (Linux-5.15.0-1057-aws-x86_64-with-glibc2.35) Python/3.10.12",
    "dxpy/0.399.1 (macOS-14.3.1-arm64-arm-64bit) Python/3.11.7",
    "dx-toolkit/0.413.0 (Linux-6.1.0-18-amd64-x86_64-with-glibc2.36) Python/3.11.2",
    "dxpy/0.413.0 (Linux-5.10.209-198.858.amzn2.x86_64-x86_64-with-glibc2.26) Python/3.9.18",
];

/// Who acts in the DNAnexus corpus: a login, the addresses and user agents
/// they use and their named API tokens.
struct DxUser {
    login: String,
    addresses: [String; 3],
    browser: &'static str,
    client: &'static str,
    tokens: Vec<(String, String)>,
}

fn dx_users(rng: &mut Rng, count: usize) -> Vec<DxUser> {
    const TOKEN_NAMES: [&str; 5] = [
        "nightly-pipeline, prod",
        "laptop",
        "jupyter \"scratch\"",
        "CI runner",
        "export-script",
    ];
    (0..count)
        .map(|i| {
            let first = FIRST_NAMES[i % FIRST_NAMES.len()];
            let last = LAST_NAMES[(i / FIRST_NAMES.len() + i) % LAST_NAMES.len()];
            let login = if i % 17 == 0 {
                format!("svc{last}{i}")
            } else {
                format!("{}{last}{}", &first[..1], i / 100)
            };
            let address = |rng: &mut Rng| match rng.below(4) {
                0 => format!(
                    "2001:db8:{:x}:{:x}::{:x}",
                    rng.below(4096),
                    rng.below(65536),
                    rng.below(65536)
                ),
                _ => format!(
                    "{}.{}.{}.{}",
                    [198, 203, 192, 100][rng.below(4) as usize],
                    rng.below(256),
                    rng.below(256),
                    rng.below(254) + 1
                ),
            };
            DxUser {
                addresses: [address(rng), address(rng), address(rng)],
                browser: BROWSERS[rng.below(BROWSERS.len() as u64) as usize],
                client: CLIENTS[rng.below(CLIENTS.len() as u64) as usize],
                tokens: (0..1 + rng.below(3))
                    .map(|t| {
                        let token: String = (0..4)
                            .map(|_| ID_ALPHABET[rng.below(32) as usize] as char)
                            .collect();
                        (
                            TOKEN_NAMES[(i + t as usize) % TOKEN_NAMES.len()].to_string(),
                            token,
                        )
                    })
                    .collect(),
                login,
            }
        })
        .collect()
}

fn dx_file_name(n: u64) -> String {
    match n % 40 {
        0 => format!("QC report, S{:03} – final.pdf", n % 997),
        1 => format!("sample \"{}\" variants.vcf.gz", n % 613),
        2 => format!("Müller_Lüdenscheidt_{:05}.bam", n % 9973),
        3..=9 => format!(
            "S{:05}_L00{}_R{}_001.fastq.gz",
            n % 50_000,
            n % 4 + 1,
            n % 2 + 1
        ),
        10..=14 => format!(
            "run_{:06}/alignments/S{:05}.sorted.bam.bai",
            n % 7919,
            n % 50_000
        ),
        _ => format!(
            "S{:05}.{}",
            n % 50_000,
            ["bam", "vcf.gz", "cram", "g.vcf.gz", "bam.bai", "tsv"][(n % 6) as usize]
        ),
    }
}

/// Writes about `target_bytes` of DNAnexus Audit Trail CSV shaped like a
/// real org's daily export: Info JSON on every row (a tenth of them unique:
/// upload hashes, job inputs), long user agents quoted for their commas,
/// fractional seconds on a tenth of the rows, doubled quotes and non-ASCII
/// in names, a fifth of the rows without a project, half without a token
/// (web sessions), jobs' own tokens. Returns the rows written.
pub fn write_dnanexus(path: &Path, target_bytes: u64, seed: u64) -> std::io::Result<u64> {
    use std::fmt::Write as _;
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut rng = Rng::new(seed);
    out.write_all(b"Timestamp,IP Address,User Agent,Acting User ID,Action,Object ID,Object Name,Project ID,Project Name,Success Status,Info,Label,Auth Token\n")?;
    let users = dx_users(&mut rng, 180);
    let projects: Vec<(String, String)> = (0..120)
        .map(|i| {
            let name = match i % 4 {
                0 => format!("Müller-Lüdenscheidt, WGS cohort (phase {})", i % 3 + 1),
                1 => format!("Oncology \"fast track\" {i}"),
                2 => format!("RNA-seq_{i:03}"),
                _ => format!("Clinical trial CT-{:04}, site {}", i * 37 % 10_000, i % 9),
            };
            (dx_id("project", i), name)
        })
        .collect();
    // One day: a timestamp step per row from the expected row count.
    let expected_rows = (target_bytes / 365).max(1);
    let step_us = 86_400_000_000 / expected_rows;
    let base = 1_710_374_400_000_000_i64; // 2024-03-14T00:00:00Z in microseconds
    let (mut written, mut rows, mut micros) = (0u64, 0u64, 0i64);
    let mut jobs_started = 0u64;
    let mut line = String::with_capacity(1024);
    let mut field = String::with_capacity(512);
    while written < target_bytes {
        line.clear();
        micros += rng.below(2 * step_us + 1) as i64;
        let at = chrono::DateTime::from_timestamp_micros(base + micros).unwrap_or_default();
        if rng.below(10) == 0 {
            let _ = write!(line, "{}", at.format("%Y-%m-%dT%H:%M:%S%.3fZ"));
        } else {
            let _ = write!(line, "{}", at.format("%Y-%m-%dT%H:%M:%SZ"));
        }
        let user = &users[(rng.below(users.len() as u64) * rng.below(users.len() as u64)
            / users.len() as u64) as usize];
        let file_n = rng.below(70_000);
        let file_id = dx_id("file", file_n);
        let file_name = dx_file_name(file_n);
        let (project_id, project_name) = &projects[(file_n % projects.len() as u64) as usize];
        // Who calls: a web session (half), a job with its own token, or a script.
        let session = rng.below(100);
        let (agent, label, token) = if session < 50 {
            (user.browser, String::new(), String::new())
        } else if session < 85 {
            let job = rng.below(13_000);
            let token: String = (0..4)
                .map(|k| ID_ALPHABET[((job >> (k * 5)) % 32) as usize] as char)
                .collect();
            (CLIENTS[0], dx_id("job", job), token)
        } else {
            let (label, token) = &user.tokens[rng.below(user.tokens.len() as u64) as usize];
            (user.client, label.clone(), token.clone())
        };
        let address = if rng.below(20) == 0 {
            format!("203.0.113.{}", rng.below(254) + 1)
        } else {
            user.addresses[rng.below(3) as usize].clone()
        };
        let roll = rng.below(100);
        let (action, object_id, object_name, in_project, info): (&str, String, String, bool, String) = match roll {
            0..=21 => ("file-describe", file_id, file_name, true, format!("{{\"project\":\"{project_id}\",\"fields\":{{\"name\":true,\"size\":true,\"state\":true,\"folder\":true}}}}")),
            // Downloads go to fewer, busier files.
            22..=33 => {
                let hot = file_n % 20_000;
                let name = dx_file_name(hot);
                ("file-download", dx_id("file", hot), name.clone(), true, format!("{{\"preauthenticated\":{},\"duration\":{},\"filename\":{},\"project\":\"{project_id}\"}}", hot.is_multiple_of(2), [3600, 86400, 604800][(hot % 3) as usize], json_str(&name)))
            }
            34..=41 => ("project-describe", project_id.clone(), project_name.clone(), true, "{\"fields\":{\"name\":true,\"region\":true,\"billTo\":true,\"level\":true}}".to_string()),
            42..=49 => ("project-listFolder", project_id.clone(), project_name.clone(), true, format!("{{\"folder\":\"/raw/2024-03-{:02}/run_{:04}\",\"describe\":{{\"fields\":{{\"name\":true}}}},\"only\":\"all\"}}", file_n % 28 + 1, file_n % 600)),
            50..=61 => ("system-findDataObjects", String::new(), String::new(), false, format!("{{\"scope\":{{\"project\":\"{project_id}\",\"folder\":\"/results/run_{:04}\",\"recurse\":true}},\"class\":\"file\",\"describe\":{{\"fields\":{{\"name\":true,\"size\":true}}}},\"limit\":1000{}}}", file_n % 600, if rng.below(10) == 0 { format!(",\"starting\":{{\"project\":\"{project_id}\",\"id\":\"{}\"}}", dx_id("file", rng.below(70_000))) } else { String::new() })),
            62..=66 => ("file-new", file_id, file_name.clone(), true, format!("{{\"project\":\"{project_id}\",\"folder\":\"/results/run_{:04}\",\"name\":{},\"tags\":[],\"properties\":{{\"sample\":\"S{:05}\"}}}}", file_n % 600, json_str(&file_name), file_n % 50_000)),
            67..=69 => ("file-upload", file_id, file_name, true, format!("{{\"index\":{},\"md5\":\"{:016x}{:016x}\",\"size\":{}}}", rng.below(40) + 1, rng.next(), rng.next(), rng.below(1 << 30))),
            70..=75 => ("file-close", file_id, file_name, true, "{}".to_string()),
            76..=81 => ("job-describe", dx_id("job", rng.below(13_000)), String::new(), true, "{\"fields\":{\"state\":true,\"output\":true,\"stateTransitions\":true}}".to_string()),
            82..=83 => {
                jobs_started += 1;
                ("applet-run", dx_id("applet", rng.below(300)), format!("bwa-mem, v{}.{}", rng.below(3), rng.below(10)), true, format!("{{\"input\":{{\"reads\":[{{\"$dnanexus_link\":\"{}\"}},{{\"$dnanexus_link\":\"{}\"}}],\"genome\":{{\"$dnanexus_link\":\"{}\"}}}},\"project\":\"{project_id}\",\"folder\":\"/results/run_{:04}\",\"name\":\"align S{:05}\",\"nonce\":\"{:016x}\"}}", dx_id("file", rng.below(70_000)), dx_id("file", rng.below(70_000)), dx_id("file", 7), jobs_started % 600, file_n % 50_000, rng.next()))
            }
            84..=89 => ("system-findProjects", String::new(), String::new(), false, "{\"level\":\"VIEW\",\"describe\":{\"fields\":{\"name\":true,\"level\":true}},\"limit\":100}".to_string()),
            90..=92 => ("notifications-get", String::new(), String::new(), false, "{\"limit\":20}".to_string()),
            93..=94 => ("user-describe", format!("user-{}", user.login), String::new(), false, "{}".to_string()),
            95 => ("system-globalSearch", String::new(), String::new(), false, format!("{{\"query\":{},\"limit\":50}}", json_str(&dx_file_name(rng.below(2_000))))),
            96 => ("project-invite", project_id.clone(), project_name.clone(), true, format!("{{\"invitee\":\"user-{}\",\"level\":\"{}\",\"suppressEmailNotification\":false}}", users[rng.below(users.len() as u64) as usize].login, ["VIEW", "UPLOAD", "CONTRIBUTE", "ADMINISTER"][rng.below(4) as usize])),
            97 => ("file-setProperties", file_id, file_name, true, format!("{{\"project\":\"{project_id}\",\"properties\":{{\"qc\":\"{}\"}}}}", ["pass", "fail", "review, see note"][rng.below(3) as usize])),
            98 => ("project-removeObjects", project_id.clone(), project_name.clone(), true, format!("{{\"objects\":[\"{}\"],\"force\":false}}", dx_id("file", file_n % 2_000))),
            _ => ("system-whoami", String::new(), String::new(), false, "{}".to_string()),
        };
        line.push(',');
        line.push_str(&address);
        line.push(',');
        csv_field(&mut line, agent);
        let _ = write!(line, ",user-{},{action},{object_id},", user.login);
        csv_field(&mut line, &object_name);
        line.push(',');
        if in_project {
            line.push_str(project_id);
            line.push(',');
            csv_field(&mut line, project_name);
        } else {
            line.push(',');
        }
        line.push_str(if rng.below(40) == 0 { ",No," } else { ",Yes," });
        field.clear();
        csv_field(&mut field, &info);
        line.push_str(&field);
        line.push(',');
        csv_field(&mut line, &label);
        line.push(',');
        line.push_str(&token);
        line.push('\n');
        out.write_all(line.as_bytes())?;
        written += line.len() as u64;
        rows += 1;
    }
    out.flush()?;
    Ok(rows)
}

/// Writes about `target_bytes` of Pydio Cells `audit.log` lines shaped like
/// a real server's: every key of the audit context in zap's order, new UUIDs
/// per span and per node, ports on remote addresses, the request objects
/// (`CreateNodeRequest`, `listNodeRequest`) nested where Cells writes them,
/// non-ASCII paths. Returns the lines written.
pub fn write_pydio(path: &Path, target_bytes: u64, seed: u64) -> std::io::Result<u64> {
    use std::fmt::Write as _;
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut rng = Rng::new(seed);
    let users: Vec<(String, String, String, &str)> = (0..400)
        .map(|i| {
            let login = format!(
                "{}.{}{}",
                FIRST_NAMES[i % FIRST_NAMES.len()],
                LAST_NAMES[(i / 3) % LAST_NAMES.len()],
                i / 48
            );
            let group = [
                "/legal/investigations",
                "/finance",
                "/",
                "/hr/paris",
                "/research/lab-β",
            ][i % 5]
                .to_string();
            (login, uuid(&mut rng), group, BROWSERS[i % BROWSERS.len()])
        })
        .collect();
    let workspaces: Vec<(String, &str, String)> = (0..60)
        .map(|i| {
            let slug = match i % 3 {
                0 => format!("affaire-{:03}", i),
                1 => format!("Dossier {i} – pièces, « confidentiel »"),
                _ => format!("link-{i:02}"),
            };
            (uuid(&mut rng), ["ADMIN", "ROOM", "LINK"][i % 3], slug)
        })
        .collect();
    let nodes: Vec<String> = (0..120_000).map(|_| uuid(&mut rng)).collect();
    let expected = (target_bytes / 820).max(1);
    let step_us = 86_400_000_000 / expected;
    let base = 1_710_374_400_000_000_i64;
    let (mut written, mut lines, mut micros) = (0u64, 0u64, 0i64);
    let mut root = uuid(&mut rng);
    let mut parent = root.clone();
    let mut line = String::with_capacity(2048);
    while written < target_bytes {
        line.clear();
        micros += rng.below(2 * step_us + 1) as i64;
        let ts = chrono::DateTime::from_timestamp_micros(base + micros)
            .unwrap_or_default()
            .with_timezone(
                &chrono::FixedOffset::east_opt(3600)
                    .unwrap_or(chrono::FixedOffset::east_opt(0).unwrap()),
            )
            .format("%Y-%m-%dT%H:%M:%S%:z");
        // A request (root span) covers a few lines.
        if rng.below(3) == 0 {
            root = uuid(&mut rng);
            parent = root.clone();
        }
        let (login, user_uuid, group, agent) =
            &users[(rng.below(400) * rng.below(400) / 400) as usize];
        let (ws_uuid, scope, slug) = &workspaces[rng.below(workspaces.len() as u64) as usize];
        let n = rng.below(nodes.len() as u64);
        let node_path = format!(
            "{slug}/{}/Pièces {:03}/doc_{n:06}{}",
            2020 + n % 5,
            n % 400,
            [".pdf", ".docx", " (copie).xlsx", ".eml"][(n % 4) as usize]
        );
        let (msg_id, logger, msg, extra) = match rng.below(100) {
            0..=39 => (
                "21",
                "pydio.gateway.data",
                format!("Retrieved object at {node_path}"),
                String::new(),
            ),
            40..=59 => (
                "13",
                "pydio.rest.tree",
                format!("Listed folder {node_path}"),
                format!(
                    ",\"listNodeRequest\":{{\"Node\":{{\"Path\":{}}},\"Limit\":{},\"Recursive\":false}}",
                    json_str(&node_path),
                    [50, 100, 500][rng.below(3) as usize]
                ),
            ),
            60..=74 => (
                "22",
                "pydio.gateway.data",
                format!("Modified {node_path}, put {} bytes", rng.below(1 << 26)),
                String::new(),
            ),
            75..=84 => (
                "11",
                "pydio.rest.tree",
                format!("Created node at {node_path}"),
                format!(
                    ",\"CreateNodeRequest\":{{\"Node\":{{\"Path\":{},\"Type\":\"LEAF\",\"MTime\":\"{}\",\"Size\":\"{}\"}}}}",
                    json_str(&node_path),
                    ts,
                    rng.below(1 << 24)
                ),
            ),
            85..=89 => (
                "15",
                "pydio.rest.tree",
                format!("Deleted node at {node_path}"),
                String::new(),
            ),
            90..=94 => (
                "14",
                "pydio.rest.tree",
                format!("Update node from {node_path} to {node_path}.old"),
                String::new(),
            ),
            95..=97 => (
                "12",
                "pydio.grpc.tree",
                format!("Read node at {node_path}"),
                String::new(),
            ),
            _ => (
                "2",
                "pydio.rest.frontend",
                format!("Could not bind user [{login}]: invalid credentials"),
                String::new(),
            ),
        };
        let port = if rng.below(2) == 0 {
            format!(":{}", 40_000 + rng.below(20_000))
        } else {
            String::new()
        };
        let _ = write!(
            line,
            "{{\"level\":\"{}\",\"ts\":\"{ts}\",\"logger\":\"{logger}\",\"msg\":{},\"LogType\":\"audit\",\"SpanRootUuid\":\"{root}\",\"SpanParentUuid\":\"{parent}\",\"SpanUuid\":\"{}\",\"RemoteAddress\":\"192.0.2.{}{port}\",\"UserAgent\":\"{agent}\",\"ContentType\":\"application/json\",\"HttpProtocol\":\"HTTP/{}\",\"UserName\":{},\"UserUuid\":\"{user_uuid}\",\"GroupPath\":{},\"Profile\":\"{}\",\"Roles\":\"ROOT_GROUP,{},{user_uuid}\",\"MsgId\":\"{msg_id}\",\"NodeUuid\":\"{}\",\"NodePath\":{},\"WorkspaceUuid\":\"{ws_uuid}\",\"WorkspaceScope\":\"{scope}\"{extra}}}",
            if msg_id == "2" { "error" } else { "info" },
            json_str(&msg),
            uuid(&mut rng),
            rng.below(250),
            ["1.1", "2.0"][rng.below(2) as usize],
            json_str(login),
            json_str(group),
            if *scope == "LINK" {
                "shared"
            } else {
                "standard"
            },
            workspaces[(n % 7) as usize].0,
            nodes[n as usize],
            json_str(&node_path),
        );
        line.push('\n');
        out.write_all(line.as_bytes())?;
        written += line.len() as u64;
        lines += 1;
    }
    out.flush()?;
    Ok(lines)
}

/// Writes `path` with `write` unless a file of about `bytes` is there
/// already; says whether it wrote.
pub fn ensure(path: &Path, bytes: u64, write: impl Fn(&Path, u64) -> std::io::Result<u64>) -> bool {
    let fresh =
        std::fs::metadata(path).is_ok_and(|m| m.len() >= bytes && m.len() < bytes + (1 << 20));
    if fresh {
        return false;
    }
    let start = std::time::Instant::now();
    let rows = write(path, bytes).expect("cannot write the bench corpus");
    eprintln!(
        "generated {} ({rows} records) in {:.1} s",
        path.display(),
        start.elapsed().as_secs_f64()
    );
    true
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
