//! The guide cannot drift from the binary: every `auditview SUBCOMMAND`
//! the README, `docs/` and CONTRIBUTING.md name is a subcommand, and every
//! `--flag` written after it is one that subcommand's `--help` lists; a
//! flag named on its own in the README or `docs/` is one some subcommand
//! has.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::support::cli::auditview;

/// The commands of a `--help` text: the names under "Commands:".
fn commands_in(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| line.trim() != "Commands:")
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// The long flags a `--help` text lists.
fn flags_in(help: &str) -> BTreeSet<String> {
    let mut flags = BTreeSet::new();
    for line in help.lines() {
        // Options are listed one per line, `-o, --output <FILE>` or
        // `--json`; descriptions (which may name other flags) are not.
        let line = line.trim_start();
        if !line.starts_with('-') {
            continue;
        }
        for word in line.split([' ', ',', '=', '[', ']']) {
            if word.starts_with("--") && word.len() > 2 {
                flags.insert(word.to_string());
            }
        }
    }
    flags
}

fn help_of(path: &[&str]) -> String {
    let mut args: Vec<&str> = path.to_vec();
    args.push("--help");
    let out = auditview(&args);
    assert!(
        out.status.success(),
        "auditview {} --help failed",
        path.join(" ")
    );
    String::from_utf8(out.stdout).expect("help is UTF-8")
}

/// Every command path ("" for the binary itself, "case", "case star"...)
/// and its flags, read from the binary's own help.
fn cli_flags() -> BTreeMap<String, BTreeSet<String>> {
    let mut all = BTreeMap::new();
    let top = help_of(&[]);
    all.insert(String::new(), flags_in(&top));
    for command in commands_in(&top) {
        let help = help_of(&[&command]);
        for sub in commands_in(&help) {
            all.insert(
                format!("{command} {sub}"),
                flags_in(&help_of(&[&command, &sub])),
            );
        }
        all.insert(command, flags_in(&help));
    }
    all
}

fn markdown_files() -> Vec<PathBuf> {
    let root = crate::support::cli::crate_dir();
    let mut files = vec![root.join("README.md"), root.join("CONTRIBUTING.md")];
    let mut stack = vec![root.join("docs")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The code of a markdown text, one piece per code span or fenced line
/// (a fenced command continued with `\` is one piece), with its line.
fn code_pieces(text: &str) -> Vec<(usize, String)> {
    let mut pieces = Vec::new();
    let mut fenced = false;
    let mut pending: Option<(usize, String)> = None;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        // Indented blocks (four spaces) are code too.
        let continued = pending.is_some();
        if fenced
            || continued
            || (line.starts_with("    ") && !trimmed.starts_with(['-', '*', '|']))
        {
            let (start, mut joined) = pending.take().unwrap_or((n + 1, String::new()));
            joined.push(' ');
            match trimmed.strip_suffix('\\') {
                Some(head) => {
                    joined.push_str(head);
                    pending = Some((start, joined));
                }
                None => {
                    joined.push_str(trimmed);
                    pieces.push((start, joined));
                }
            }
            continue;
        }
        let mut rest = line;
        while let Some(open) = rest.find('`') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('`') else { break };
            pieces.push((n + 1, after[..close].to_string()));
            rest = &after[close + 1..];
        }
    }
    pieces.extend(pending);
    pieces
}

/// What is wrong with the invocations and flags in one file's code.
fn drift(
    file: &str,
    text: &str,
    cli: &BTreeMap<String, BTreeSet<String>>,
    flags_alone: bool,
) -> Vec<String> {
    let every_flag: BTreeSet<&String> = cli.values().flatten().collect();
    let mut wrong = Vec::new();
    for (line, code) in code_pieces(text) {
        let words: Vec<&str> = code.split_whitespace().collect();
        if flags_alone && words.first().is_some_and(|w| w.starts_with("--")) {
            let flag = words[0].split('=').next().unwrap_or_default();
            if !every_flag.contains(&flag.to_string()) {
                wrong.push(format!("{file}:{line}: `{flag}` is no flag of auditview"));
            }
        }
        for (at, word) in words.iter().enumerate() {
            if *word != "auditview" {
                continue;
            }
            let next = words.get(at + 1).copied().unwrap_or_default();
            // `auditview PATHS`, `auditview --version`: the binary itself.
            let mut path = String::new();
            if cli.contains_key(next) {
                path = next.to_string();
                let sub = words.get(at + 2).copied().unwrap_or_default();
                if cli.contains_key(&format!("{next} {sub}")) {
                    path = format!("{next} {sub}");
                }
            } else if !next.is_empty()
                && !next.starts_with('-')
                && next.chars().all(|c| c.is_ascii_lowercase() || c == '-')
            {
                wrong.push(format!(
                    "{file}:{line}: `auditview {next}` is no subcommand"
                ));
                continue;
            }
            let known = &cli[&path];
            let global = &cli[""];
            for flag in words[at + 1..]
                .iter()
                .take_while(|w| **w != "auditview" && **w != "|" && **w != "&&")
            {
                let flag = flag.trim_end_matches([',', ')', '.', ';', ':']);
                if !flag.starts_with("--") || flag.len() < 3 {
                    continue;
                }
                let flag = flag.split('=').next().unwrap_or_default().to_string();
                if !known.contains(&flag) && !global.contains(&flag) {
                    wrong.push(format!("{file}:{line}: `auditview {path}` has no `{flag}`"));
                }
            }
        }
    }
    wrong
}

#[test]
fn every_command_and_flag_the_docs_name_is_in_the_binarys_help() {
    let cli = cli_flags();
    assert!(cli.len() > 20, "read only {} commands", cli.len());
    let root = crate::support::cli::crate_dir();
    let mut wrong = Vec::new();
    let mut invocations = 0;
    for path in markdown_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        // CONTRIBUTING.md names cargo's and the scripts' flags too: only its
        // `auditview` invocations are checked.
        let flags_alone = !name.starts_with("CONTRIBUTING");
        invocations += text.matches("auditview ").count();
        wrong.extend(drift(&name, &text, &cli, flags_alone));
    }
    assert!(invocations > 50, "found only {invocations} invocations");
    assert!(
        wrong.is_empty(),
        "the docs drifted from the binary:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_drift_check_catches_a_missing_flag_and_a_missing_subcommand() {
    let mut cli = BTreeMap::new();
    cli.insert(String::new(), BTreeSet::from(["--version".to_string()]));
    cli.insert(
        "export".to_string(),
        BTreeSet::from(["--output".to_string()]),
    );
    cli.insert("case".to_string(), BTreeSet::new());
    cli.insert(
        "case star".to_string(),
        BTreeSet::from(["--user".to_string()]),
    );
    let text = "Run `auditview export logs/ --output x.csv` then\n\n    auditview case star c.auditcase \\\n        --usr alice\n\nor `auditview exprot logs/`; `--outptu` alone.\n";
    let wrong = drift("x.md", text, &cli, true);
    assert_eq!(wrong.len(), 3, "{wrong:#?}");
    assert!(wrong[0].contains("`auditview case star` has no `--usr`"));
    assert!(wrong[1].contains("`auditview exprot` is no subcommand"));
    assert!(wrong[2].contains("`--outptu` is no flag"));
    let fine =
        "`auditview export --output x.csv`, `auditview --version`, `auditview assets/samples`";
    assert!(drift("y.md", fine, &cli, true).is_empty());
}

#[test]
fn help_flags_are_read_from_option_lines_only() {
    let help = "Usage: auditview export [OPTIONS]\n\nOptions:\n  -o, --output <FILE>\n          Where (see --force)\n      --json\n";
    assert_eq!(
        flags_in(help),
        BTreeSet::from(["--output".to_string(), "--json".to_string()])
    );
}
