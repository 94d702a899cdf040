//! The layer rule of ARCHITECTURE.md, checked on the source: every path
//! into another top-level module of `src/` (`crate::x`, or `super::` climbing
//! out of its own) names a module of a lower layer, or one of the sideways
//! uses ARCHITECTURE.md lists; and only `src/ui/` (with `lib.rs` and
//! `main.rs`, which declare and start it) is compiled by the `gui` feature.
//! Layers, lowest first: helpers (time, hash, display, build_info), model,
//! safe writing, sources and geo, index, query, analysis, export, casefile
//! and desktop, then the two faces (cli, ui).

use std::path::{Path, PathBuf};

/// Each top-level module and its layer; a module may use lower layers, and
/// a module of its own layer only where ARCHITECTURE.md says so.
const LAYERS: [(&str, u8); 17] = [
    ("time", 0),
    ("build_info", 0),
    ("hash", 0),
    ("display", 0),
    ("model", 1),
    ("safe_write", 2),
    ("sources", 3),
    ("geo", 3),
    ("index", 4),
    ("query", 5),
    ("analysis", 6),
    ("export", 7),
    ("casefile", 7),
    ("desktop", 7),
    ("cli", 8),
    ("ui", 8),
    ("lib", 9),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS
        .iter()
        .find(|(name, _)| *name == module)
        .map(|&(_, layer)| layer)
}

/// The sideways uses ARCHITECTURE.md allows: its lines "- `a` uses `b`: why".
fn sideways_allowed() -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md");
    let text = std::fs::read_to_string(&path).expect("ARCHITECTURE.md");
    text.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("- `")?;
            let (user, rest) = rest.split_once("` uses `")?;
            let (used, _) = rest.split_once('`')?;
            Some((user.to_string(), used.to_string()))
        })
        .collect()
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

/// How deep the file's module sits below the crate root: `lib.rs` 0,
/// `a.rs` and `a/mod.rs` 1, `a/b.rs` 2.
fn file_depth(relative: &Path) -> usize {
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    match parts.last().map(String::as_str) {
        Some("lib.rs" | "main.rs") if parts.len() == 1 => 0,
        Some("mod.rs") => parts.len() - 1,
        _ => parts.len(),
    }
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

/// The names a path group or path starts with: `{a::x, b::y}` gives a and b.
fn first_names(rest: &str) -> Vec<String> {
    let Some(group) = rest.strip_prefix('{') else {
        return vec![first_name(rest)];
    };
    let mut names = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                names.push(first_name(&group[start..i]));
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                names.push(first_name(&group[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    names
}

/// The top-level modules a file's code names: through `crate::` (including
/// the ones inside `use crate::{a::x, b::y}` groups), and through a chain of
/// `super::` that climbs to the crate root (counting the inline modules,
/// such as `mod tests {`, the chain starts in).
fn modules_used(text: &str, depth: usize) -> Vec<String> {
    let code = without_comments(text);
    let mut used = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        used.extend(first_names(rest));
    }
    // Inline modules open at each point: `mod name {` pushes the brace depth.
    let mut open_modules: Vec<usize> = Vec::new();
    let mut braces = 0usize;
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let here = &code[i..];
        let word_start = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        if word_start && here.starts_with("mod ") {
            let after = here["mod ".len()..].trim_start();
            let name_len = after
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if after[name_len..].trim_start().starts_with('{') {
                open_modules.push(braces + 1);
            }
        }
        if word_start && here.starts_with("super::") {
            let mut climbs = 0;
            let mut chain = here;
            while let Some(next) = chain.strip_prefix("super::") {
                climbs += 1;
                chain = next;
            }
            if climbs == depth + open_modules.len() {
                used.extend(first_names(chain));
            }
            i += "super::".len() * climbs;
            continue;
        }
        match bytes[i] {
            b'{' => braces += 1,
            b'}' => {
                if open_modules.last() == Some(&braces) {
                    open_modules.pop();
                }
                braces = braces.saturating_sub(1);
            }
            _ => {}
        }
        i += here.chars().next().map_or(1, char::len_utf8);
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

/// What is wrong with `file` (in `module`, `depth` below the root) using
/// `text`'s modules, given the sideways uses allowed.
fn violations(
    module: &str,
    file: &str,
    depth: usize,
    text: &str,
    sideways: &[(String, String)],
) -> Vec<String> {
    let Some(own) = layer(module) else {
        return vec![format!(
            "{file}: module `{module}` has no layer in tests/layers.rs"
        )];
    };
    let mut wrong = Vec::new();
    for used in modules_used(text, depth) {
        if used == module || used == "self" {
            continue;
        }
        let allowed = sideways
            .iter()
            .any(|(user, target)| user == module && *target == used);
        match layer(&used) {
            None => wrong.push(format!("{file}: uses `crate::{used}`, which has no layer")),
            Some(theirs) if theirs > own => wrong.push(format!(
                "{file}: `{module}` (layer {own}) uses `{used}` (layer {theirs}): up the layers"
            )),
            Some(theirs) if theirs == own && !allowed => wrong.push(format!(
                "{file}: `{module}` uses `{used}` of its own layer {own}, which ARCHITECTURE.md does not list as a sideways use"
            )),
            Some(_) => {}
        }
    }
    if !matches!(module, "ui" | "lib")
        && without_comments(text)
            .replace(' ', "")
            .contains("feature=\"gui\"")
    {
        wrong.push(format!(
            "{file}: `cfg(feature = \"gui\")` outside src/ui/: only the window knows egui"
        ));
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
    let sideways = sideways_allowed();
    assert!(
        !sideways.is_empty(),
        "ARCHITECTURE.md lists the sideways uses as lines \"- `a` uses `b`: why\""
    );
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
            file_depth(relative),
            &text,
            &sideways,
        ));
    }
    assert!(files.len() > 50, "found only {} files", files.len());
    assert!(wrong.is_empty(), "layer rule broken:\n{}", wrong.join("\n"));
}

#[test]
fn the_check_catches_an_upward_use_a_grouped_one_and_the_faces_using_each_other() {
    let none = [];
    assert_eq!(
        violations("model", "model/x.rs", 2, "use crate::index::Case;", &none).len(),
        1
    );
    assert_eq!(
        violations(
            "query",
            "query/x.rs",
            2,
            "use crate::{\n    model::Store,\n    analysis::{nodes, order},\n};",
            &none
        )
        .len(),
        1
    );
    assert_eq!(
        violations("cli", "cli/x.rs", 2, "let x = crate::ui::run;", &none).len(),
        1
    );
    assert!(
        violations(
            "export",
            "export/x.rs",
            2,
            "// crate::ui in a comment\nuse crate::{model::Store, query::Selection};\nuse crate::hash::hex;",
            &none
        )
        .is_empty()
    );
    assert_eq!(
        violations("nowhere", "nowhere.rs", 1, "", &none).len(),
        1,
        "a new top-level module must be given a layer"
    );
}

#[test]
fn a_sideways_use_is_caught_unless_architecture_lists_it() {
    let text = "use crate::export::CaseSeal;";
    assert_eq!(
        violations("casefile", "casefile/x.rs", 2, text, &[]).len(),
        1
    );
    let listed = [("casefile".to_string(), "export".to_string())];
    assert!(violations("casefile", "casefile/x.rs", 2, text, &listed).is_empty());
    assert_eq!(
        violations("desktop", "desktop/x.rs", 2, text, &listed).len(),
        1,
        "the listing is for one module, not its layer"
    );
}

#[test]
fn a_super_chain_that_climbs_out_of_its_module_is_read_as_a_use() {
    let none = [];
    // model/x.rs: super:: is model, super::super:: is the crate root.
    assert_eq!(
        violations(
            "model",
            "model/x.rs",
            2,
            "use super::super::index::Case;",
            &none
        )
        .len(),
        1
    );
    assert!(violations("model", "model/x.rs", 2, "use super::Store;", &none).is_empty());
    // Inside `mod tests {` the chain needs one more step to leave.
    let in_tests = "mod tests {\n    use super::super::super::index::Case;\n}\n";
    assert_eq!(
        violations("model", "model/x.rs", 2, in_tests, &none).len(),
        1
    );
    let stays = "mod tests {\n    use super::super::Store;\n}\nuse super::Event;";
    assert!(violations("model", "model/x.rs", 2, stays, &none).is_empty());
}

#[test]
fn a_gui_feature_gate_outside_the_window_is_caught() {
    let none = [];
    let gated = "#[cfg(feature = \"gui\")]\nfn draw() {}";
    assert_eq!(
        violations("analysis", "analysis/x.rs", 2, gated, &none).len(),
        1
    );
    assert!(violations("ui", "ui/x.rs", 2, gated, &none).is_empty());
    assert!(violations("lib", "lib.rs", 0, gated, &none).is_empty());
}

#[test]
fn file_depth_counts_the_modules_between_a_file_and_the_root() {
    assert_eq!(file_depth(Path::new("lib.rs")), 0);
    assert_eq!(file_depth(Path::new("time.rs")), 1);
    assert_eq!(file_depth(Path::new("model/mod.rs")), 1);
    assert_eq!(file_depth(Path::new("model/event.rs")), 2);
    assert_eq!(file_depth(Path::new("index/findings/rules.rs")), 3);
}
