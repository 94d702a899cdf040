//! House rules read off the repository itself, so they hold without anyone
//! remembering them: the toolchain version is the same wherever it is
//! written and covers every dependency, and the fuzz build uses the main
//! lockfile's versions of every crate the two share.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `rust-version` of the package in Cargo.toml.
fn rust_version() -> String {
    read("Cargo.toml")
        .lines()
        .find_map(|line| line.strip_prefix("rust-version = "))
        .expect("Cargo.toml declares rust-version")
        .trim_matches('"')
        .to_string()
}

/// "1.95" or "1.95.0" as comparable numbers.
fn version_numbers(version: &str) -> Vec<u64> {
    let mut numbers: Vec<u64> = version
        .split('.')
        .map(|part| {
            part.parse()
                .unwrap_or_else(|_| panic!("not a version: {version}"))
        })
        .collect();
    numbers.resize(3, 0);
    numbers
}

/// Every `(name, version)` a Cargo.lock holds, by name.
fn locked(lockfile: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut packages: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut name = None;
    for line in lockfile.lines() {
        if let Some(value) = line.strip_prefix("name = ") {
            name = Some(value.trim_matches('"').to_string());
        } else if let Some(value) = line.strip_prefix("version = ")
            && let Some(name) = name.take()
        {
            packages
                .entry(name)
                .or_default()
                .insert(value.trim_matches('"').to_string());
        }
    }
    packages
}

#[test]
fn the_readme_names_the_toolchain_version_cargo_toml_declares() {
    let declared = rust_version();
    let readme = read("README.md");
    let said = readme
        .split("Rust toolchain (")
        .nth(1)
        .and_then(|rest| rest.split(" or newer").next())
        .expect("README \"Set up\" names the Rust toolchain: \"Rust toolchain (X or newer\"");
    assert_eq!(
        said, declared,
        "README says Rust {said}, Cargo.toml's rust-version is {declared}"
    );
    // A pinned toolchain, if there is one, is the same version.
    let pin = Path::new(env!("CARGO_MANIFEST_DIR")).join("rust-toolchain.toml");
    if pin.exists() {
        let pinned = read("rust-toolchain.toml");
        assert!(
            pinned.contains(&format!("\"{declared}")),
            "rust-toolchain.toml does not pin {declared}: {pinned}"
        );
    }
}

#[test]
fn no_dependency_needs_a_newer_rust_than_cargo_toml_declares() {
    let declared = rust_version();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let too_new: Vec<String> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|package| {
            let needs = package["rust_version"].as_str()?;
            (version_numbers(needs) > version_numbers(&declared))
                .then(|| format!("{} {} needs {needs}", package["name"], package["version"]))
        })
        .collect();
    assert!(
        too_new.is_empty(),
        "rust-version is {declared}, but: {}",
        too_new.join("; ")
    );
}

#[test]
fn the_fuzz_lockfile_agrees_with_the_main_one_on_every_shared_crate() {
    let main = locked(&read("Cargo.lock"));
    let fuzz = locked(&read("fuzz/Cargo.lock"));
    assert!(
        fuzz.contains_key("libfuzzer-sys"),
        "fuzz/Cargo.lock not read"
    );
    let disagree: Vec<String> = fuzz
        .iter()
        .filter_map(|(name, versions)| {
            let main_versions = main.get(name)?;
            let other: Vec<&String> = versions.difference(main_versions).collect();
            (!other.is_empty()).then(|| format!("{name} {other:?} (main: {main_versions:?})"))
        })
        .collect();
    assert!(
        disagree.is_empty(),
        "fuzz/Cargo.lock differs from Cargo.lock (copy Cargo.lock over it, then run \
         `cargo +nightly metadata` in fuzz/): {}",
        disagree.join("; ")
    );
}

#[test]
fn the_lockfile_reader_sees_every_version_of_a_crate() {
    let lock = "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n\n\
                [[package]]\nname = \"a\"\nversion = \"2.0.0\"\nsource = \"x\"\n";
    let packages = locked(lock);
    assert_eq!(packages["a"].len(), 2);
    assert!(version_numbers("1.95") < version_numbers("1.95.1"));
    assert!(version_numbers("1.100") > version_numbers("1.95"));
}

#[test]
fn no_doc_comment_holds_a_rust_example_since_doc_tests_do_not_run() {
    // Cargo.toml sets `doctest = false` (no rustdoc pass in every `cargo
    // test`): an example in a doc comment would never run, so there is none.
    let mut files = Vec::new();
    crate::layers::rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut examples = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let mut inside = false;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_start();
            let doc = line
                .strip_prefix("///")
                .or_else(|| line.strip_prefix("//!"));
            let Some(fence) = doc.map(str::trim).and_then(|d| d.strip_prefix("```")) else {
                continue;
            };
            // An opening fence with no language, or Rust's, is a doc test;
            // a closing one has no language either.
            let info = fence.trim();
            if !inside && (info.is_empty() || info.starts_with("rust")) {
                examples.push(format!("{}:{}", file.display(), n + 1));
            }
            inside = !inside;
        }
    }
    assert!(
        examples.is_empty(),
        "doc tests that would not run: {examples:?}"
    );
}

/// The files of `src/` below `dir`, with their text.
fn sources_under(dir: &str) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    crate::layers::rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut files);
    files
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file).unwrap();
            (file, text)
        })
        .collect()
}

/// The functions in `text` returning commands without `#[must_use]`: a
/// `Vec` or `Option` of commands is not must-use by itself, so a UI
/// function that returns one says so, and dropping its result is an error.
fn commands_not_must_use(text: &str) -> Vec<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut missing = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        if !(code.contains("-> Vec<Command>") || code.contains("-> Option<Command>")) {
            continue;
        }
        // The `fn` line the return type belongs to, then the line above it.
        let Some(start) = (0..=n).rev().find(|&i| lines[i].contains("fn ")) else {
            continue;
        };
        if lines[start].contains("Fn(") || lines[start].contains("fn(") {
            continue;
        }
        if start == 0 || lines[start - 1].trim() != "#[must_use]" {
            missing.push(start + 1);
        }
    }
    missing
}

#[test]
fn every_ui_function_returning_commands_is_must_use() {
    let mut missing = Vec::new();
    for (file, text) in sources_under("src/ui") {
        for line in commands_not_must_use(&text) {
            missing.push(format!("{}:{line}", file.display()));
        }
    }
    assert!(
        missing.is_empty(),
        "add #[must_use] above these functions:\n{}",
        missing.join("\n")
    );
    let command = read("src/ui/command.rs");
    assert!(command.contains("#[must_use = ") && command.contains("pub enum Command"));
}

#[test]
fn the_must_use_check_sees_a_function_without_it() {
    let without = "/// Draws.\npub fn panel_ui(\n    ui: &mut Ui,\n) -> Vec<Command> {\n";
    assert_eq!(commands_not_must_use(without), vec![2]);
    let with = "#[must_use]\npub fn panel_ui(ui: &mut Ui) -> Option<Command> {\n";
    assert!(commands_not_must_use(with).is_empty());
}

#[test]
fn clippy_forbids_writing_files_outside_safe_write() {
    // The rule is clippy.toml's list, made an error by Cargo.toml's lints:
    // removing either turns it back into prose.
    let clippy = read("clippy.toml");
    for call in [
        "std::fs::write",
        "std::fs::File::create",
        "std::fs::OpenOptions::open",
        "std::fs::rename",
        "std::fs::remove_file",
        "tempfile::NamedTempFile::persist",
    ] {
        assert!(
            clippy.contains(&format!("path = \"{call}\"")),
            "clippy.toml no longer forbids {call}"
        );
    }
    let cargo = read("Cargo.toml");
    assert!(cargo.contains("[lints.clippy]\ndisallowed_methods = \"deny\""));
    // The only blanket permissions are the tests', benches' and examples'.
    for (file, text) in sources_under("src") {
        let code: Vec<&str> = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect();
        assert!(
            !code.concat().contains("allow(clippy::disallowed_methods"),
            "{}: say why with #[expect(clippy::disallowed_methods, reason = ...)] where the call is",
            file.display()
        );
    }
}

#[test]
fn no_source_file_is_over_500_lines() {
    // Split along a seam; long tests move to a `tests.rs` beside the module.
    let long: Vec<String> = sources_under("src")
        .into_iter()
        .filter(|(_, text)| text.lines().count() > 500)
        .map(|(file, text)| format!("{}: {} lines", file.display(), text.lines().count()))
        .collect();
    assert!(long.is_empty(), "split these files:\n{}", long.join("\n"));
}
