//! The app on the desktop: `install --user` in a temporary HOME makes
//! auditview the application of its own file types (as `xdg-mime` and
//! `gio` see it, where the machine has them) without taking generic CSV,
//! and `uninstall --user` leaves the HOME exactly as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::cli;
use cli::{auditview, ok};

/// Every file under `root` with its bytes (links as their target).
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.insert(path.strip_prefix(root).unwrap().join(""), Vec::new());
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(root).unwrap().to_path_buf(), bytes);
            }
        }
    }
    files
}

/// Fails naming every file under `root` that differs from `before`: left
/// behind, changed or removed.
fn assert_unchanged(before: &BTreeMap<PathBuf, Vec<u8>>, root: &Path) {
    let after = tree(root);
    let changed: Vec<_> = before
        .keys()
        .chain(after.keys())
        .filter(|p| before.get(*p) != after.get(*p))
        .collect();
    assert!(
        changed.is_empty(),
        "left behind, changed or removed: {changed:?}"
    );
}

/// `program ARGS` with HOME set to `home` and the XDG variables cleared,
/// as a user's session would run it; None when the program is missing.
fn in_home(home: &Path, program: &str, args: &[&str]) -> Option<Output> {
    let mut command = Command::new(program);
    command.args(args).env("HOME", home);
    for name in [
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "XDG_CURRENT_DESKTOP",
        "XDG_DATA_DIRS",
        "XDG_CONFIG_DIRS",
    ] {
        command.env_remove(name);
    }
    command.output().ok()
}

/// The desktop tools' checks run where the machine has them; CI installs
/// them and sets AUDITVIEW_DESKTOP_TOOLS=required so none is skipped.
fn tool(home: &Path, program: &str, args: &[&str]) -> Option<String> {
    match in_home(home, program, args) {
        Some(out) => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        None => {
            assert!(
                std::env::var("AUDITVIEW_DESKTOP_TOOLS").as_deref() != Ok("required"),
                "{program} is not installed"
            );
            eprintln!("skipped: {program} is not installed");
            None
        }
    }
}

#[test]
fn install_makes_auditview_the_app_of_its_own_types_and_uninstall_leaves_home_as_it_was() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    // A user's own choices and another application, before the install.
    let config = home.join(".config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("mimeapps.list"),
        "[Default Applications]\ntext/csv=libreoffice-calc.desktop;\n",
    )
    .unwrap();
    let applications = home.join(".local/share/applications");
    std::fs::create_dir_all(&applications).unwrap();
    std::fs::write(
        applications.join("other.desktop"),
        "[Desktop Entry]\nType=Application\nName=Other\nExec=other %F\nMimeType=text/csv;\n",
    )
    .unwrap();
    let before = tree(home);

    let installed = in_home(
        home,
        env!("CARGO_BIN_EXE_auditview"),
        &["install", "--user"],
    )
    .unwrap();
    let said = ok(&installed);
    assert!(said.contains("desktop entry:"), "{said}");
    let exe = home.join(".local/bin/auditview");
    assert!(exe.is_file());
    let entry = std::fs::read_to_string(applications.join("auditview.desktop")).unwrap();
    assert!(
        entry.contains(&format!("\nExec={} %F\n", exe.display())),
        "{entry}"
    );
    assert!(
        home.join(".local/share/mime/packages/auditview.xml")
            .is_file()
    );
    assert!(
        home.join(".local/share/icons/hicolor/48x48/apps/auditview.png")
            .is_file()
    );
    assert!(
        home.join(".local/share/icons/hicolor/scalable/apps/auditview.svg")
            .is_file()
    );
    let list = std::fs::read_to_string(config.join("mimeapps.list")).unwrap();
    assert!(
        list.contains("text/x-auditview-export=auditview.desktop;"),
        "{list}"
    );
    assert!(
        list.contains("text/csv=libreoffice-calc.desktop;"),
        "{list}"
    );

    if let Some(default) = tool(
        home,
        "xdg-mime",
        &["query", "default", "text/x-auditview-export"],
    ) {
        assert_eq!(default.trim(), "auditview.desktop");
    }
    // An export the binary writes is recognised as one by its content; a
    // plain CSV stays a CSV, with the user's application.
    let export = home.join("findings.csv");
    ok(&auditview([
        "export",
        "assets/samples",
        "--output",
        export.to_str().unwrap(),
    ]));
    let plain = home.join("plain.csv");
    std::fs::write(&plain, "a,b\n1,2\n").unwrap();
    let content_type = |file: &Path| {
        tool(
            home,
            "gio",
            &[
                "info",
                "-a",
                "standard::content-type",
                file.to_str().unwrap(),
            ],
        )
        .map(|out| out.lines().last().unwrap_or_default().trim().to_string())
    };
    if let Some(kind) = content_type(&export) {
        assert_eq!(kind, "standard::content-type: text/x-auditview-export");
        assert_eq!(
            content_type(&plain).unwrap(),
            "standard::content-type: text/csv"
        );
        let mime = tool(home, "gio", &["mime", "text/x-auditview-export"]).unwrap();
        assert!(
            mime.contains("Default application for “text/x-auditview-export”: auditview.desktop"),
            "{mime}"
        );
    }
    std::fs::remove_file(&plain).unwrap();
    std::fs::remove_file(&export).unwrap();
    let sidecar = home.join("findings.csv.provenance.json");
    let _ = std::fs::remove_file(sidecar);

    // Installing twice changes nothing of the record.
    ok(&in_home(
        home,
        env!("CARGO_BIN_EXE_auditview"),
        &["install", "--user"],
    )
    .unwrap());

    let removed = in_home(
        home,
        env!("CARGO_BIN_EXE_auditview"),
        &["uninstall", "--user"],
    )
    .unwrap();
    ok(&removed);
    assert_unchanged(&before, home);

    // Again: nothing to remove, said so.
    let again = in_home(
        home,
        env!("CARGO_BIN_EXE_auditview"),
        &["uninstall", "--user"],
    )
    .unwrap();
    assert!(ok(&again).contains("nothing to remove"));
}

#[test]
fn install_without_user_says_what_to_do_instead() {
    let out = auditview(["install"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--user"));
}

#[test]
fn install_never_replaces_a_users_own_files_and_uninstall_leaves_them_byte_for_byte() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let write = |relative: &str, bytes: &[u8]| {
        let path = home.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
    };
    // The user's own binary of that name, desktop file, icons and MIME
    // package; and a desktop file that is a link into a dotfiles folder.
    write(
        ".local/bin/auditview",
        b"#!/bin/sh\necho my own auditview\n",
    );
    write(
        ".local/share/applications/auditview.desktop",
        b"[Desktop Entry]\nType=Application\nName=Mine\nExec=mine\n",
    );
    write(
        ".local/share/icons/hicolor/48x48/apps/auditview.png",
        b"my icon",
    );
    write(
        ".local/share/icons/hicolor/scalable/apps/auditview.svg",
        b"<svg/>",
    );
    write(
        ".local/share/mime/packages/user.xml",
        b"<?xml version=\"1.0\"?>\n<mime-info xmlns=\"http://www.freedesktop.org/standards/shared-mime-info\"/>\n",
    );
    write(
        "dotfiles/mimeapps.list",
        b"[Default Applications]\ntext/csv=libreoffice-calc.desktop;\n",
    );
    std::fs::create_dir_all(home.join(".config")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        home.join("dotfiles/mimeapps.list"),
        home.join(".config/mimeapps.list"),
    )
    .unwrap();
    // The user's MIME database as the desktop built it from their package.
    let mime = home.join(".local/share/mime");
    tool(home, "update-mime-database", &[mime.to_str().unwrap()]);
    let before = tree(home);
    let exe = env!("CARGO_BIN_EXE_auditview");

    let said = ok(&in_home(home, exe, &["install", "--user"]).unwrap());
    for mine in [
        ".local/bin/auditview",
        ".local/share/applications/auditview.desktop",
        ".local/share/icons/hicolor/48x48/apps/auditview.png",
    ] {
        assert!(
            said.contains(&format!("left alone: {}", home.join(mine).display())),
            "{mine} not said: {said}"
        );
        assert_eq!(
            std::fs::read(home.join(mine)).unwrap(),
            before[&PathBuf::from(mine)],
            "{mine} replaced"
        );
    }
    // What was free is installed; the user's link is still a link.
    assert!(
        home.join(".local/share/mime/packages/auditview.xml")
            .is_file()
    );
    assert!(
        std::fs::symlink_metadata(home.join(".config/mimeapps.list"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let list = std::fs::read_to_string(home.join("dotfiles/mimeapps.list")).unwrap();
    assert!(
        list.contains("text/x-auditview-export=auditview.desktop;"),
        "{list}"
    );

    ok(&in_home(home, exe, &["uninstall", "--user"]).unwrap());
    assert_unchanged(&before, home);
}

#[test]
fn uninstall_removes_nothing_an_edited_record_names_nor_a_file_changed_since() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let exe = env!("CARGO_BIN_EXE_auditview");
    ok(&in_home(home, exe, &["install", "--user"]).unwrap());
    let precious = home.join("thesis.txt");
    std::fs::write(&precious, "years of work").unwrap();
    let changed_icon = home.join(".local/share/icons/hicolor/48x48/apps/auditview.png");
    std::fs::write(&changed_icon, "the user's edit").unwrap();
    let record = home.join(".local/share/auditview/installed.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&record).unwrap()).unwrap();
    let written = manifest["written"].as_array_mut().unwrap();
    let sha256 = written[0]["sha256"].clone();
    for path in [
        precious.clone(),
        home.join(".local/share/applications/../../../thesis.txt"),
    ] {
        written.push(serde_json::json!({"path": path, "sha256": sha256}));
    }
    // Even with the right hash, a file outside the install's folders stays.
    let precious_sha = {
        use sha2::Digest as _;
        sha2::Sha256::digest(b"years of work")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    written.push(serde_json::json!({"path": precious, "sha256": precious_sha}));
    std::fs::write(&record, serde_json::to_string(&manifest).unwrap()).unwrap();

    let said = ok(&in_home(home, exe, &["uninstall", "--user"]).unwrap());
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "years of work");
    assert_eq!(
        std::fs::read_to_string(&changed_icon).unwrap(),
        "the user's edit"
    );
    assert!(
        said.contains("outside the folders an install writes to"),
        "{said}"
    );
    assert!(said.contains("changed since auditview wrote it"), "{said}");
    assert!(!home.join(".local/bin/auditview").exists());
}
