//! The layer rule of ARCHITECTURE.md, checked on the source: every
//! `crate::` path in `src/` names a module of its own layer or one below.
//! Layers, lowest first: helpers (time, hash, display), model, sources,
//! index, query, analysis, export, then the two faces (cli, ui), which may
//! not use each other.

use std::path::{Path, PathBuf};

/// Each top-level module and its layer; a module may use its own layer's
/// and lower ones, except that the faces do not use each other.
const LAYERS: [(&str, u8); 16] = [
    ("time", 0),
    ("build_info", 0),
    ("hash", 0),
    ("display", 0),
    ("model", 1),
    ("sources", 2),
    ("geo", 2),
    ("index", 3),
    ("query", 4),
    ("analysis", 5),
    ("export", 6),
    ("casefile", 6),
    ("desktop", 6),
    ("cli", 7),
    ("ui", 7),
    ("lib", 8),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS
        .iter()
        .find(|(name, _)| *name == module)
        .map(|&(_, layer)| layer)
}

/// The top-level module a file of `src/` belongs to.
fn module_of(relative: &Path) -> String {
    let first = relative
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    first.trim_end_matches(".rs").to_string()
}

/// The text without `//` comments (doc comments name modules in prose).
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a file's code names through `crate::`, including
/// the ones inside `use crate::{a::x, b::y}` groups.
fn modules_used(text: &str) -> Vec<String> {
    let code = without_comments(text);
    let mut used = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level names of the group: split on commas at depth 0.
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        used.push(first_name(&group[start..i]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        used.push(first_name(&group[start..i]));
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            used.push(first_name(rest));
        }
    }
    used.retain(|name| !name.is_empty());
    used
}

fn first_name(path: &str) -> String {
    path.trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// What is wrong with `file` (in `module`) using `text`'s modules.
fn violations(module: &str, file: &str, text: &str) -> Vec<String> {
    let Some(own) = layer(module) else {
        return vec![format!(
            "{file}: module `{module}` has no layer in tests/layers.rs"
        )];
    };
    let mut wrong = Vec::new();
    for used in modules_used(text) {
        if used == module || used == "self" {
            continue;
        }
        match layer(&used) {
            None => wrong.push(format!("{file}: uses `crate::{used}`, which has no layer")),
            Some(theirs) if theirs > own || (theirs == own && own == 7) => wrong.push(format!(
                "{file}: `{module}` (layer {own}) uses `crate::{used}` (layer {theirs}): up or across the faces"
            )),
            Some(_) => {}
        }
    }
    wrong
}

pub(crate) fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a folder entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_use_of_crate_goes_down_the_layers_or_stays_in_its_module() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for path in &files {
        let relative = path.strip_prefix(&src).expect("under src");
        if relative == Path::new("main.rs") {
            continue; // the binary stands above every layer
        }
        let text = std::fs::read_to_string(path).expect("source is UTF-8");
        wrong.extend(violations(
            &module_of(relative),
            &relative.display().to_string(),
            &text,
        ));
    }
    assert!(files.len() > 50, "found only {} files", files.len());
    assert!(wrong.is_empty(), "layer rule broken:\n{}", wrong.join("\n"));
}

#[test]
fn the_check_catches_an_upward_use_a_grouped_one_and_the_faces_using_each_other() {
    assert_eq!(
        violations("model", "model/x.rs", "use crate::index::Case;").len(),
        1
    );
    assert_eq!(
        violations(
            "query",
            "query/x.rs",
            "use crate::{\n    model::Store,\n    analysis::{nodes, order},\n};"
        )
        .len(),
        1
    );
    assert_eq!(
        violations("cli", "cli/x.rs", "let x = crate::ui::run;").len(),
        1
    );
    assert!(
        violations(
            "export",
            "export/x.rs",
            "// crate::ui in a comment\nuse crate::{model::Store, query::Selection};\nuse crate::hash::hex;"
        )
        .is_empty()
    );
    assert_eq!(
        violations("nowhere", "nowhere.rs", "").len(),
        1,
        "a new top-level module must be given a layer"
    );
}
