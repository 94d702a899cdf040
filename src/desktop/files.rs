//! The desktop files, compiled in from `assets/`: the entry, the file types
//! (shared-mime-info) and the icon in every size of the hicolor theme, all
//! rendered from `assets/icons/auditview.svg`. The package (cargo-deb)
//! installs the same files from `assets/`.

/// The desktop entry's file name: also the window's app id, so a launcher
/// matches the window to its entry.
pub const DESKTOP_FILE: &str = "auditview.desktop";
/// The shared-mime-info package's file name under `mime/packages/`.
pub const MIME_FILE: &str = "auditview.xml";

/// The desktop entry as the package installs it (`Exec=auditview %F`).
pub const DESKTOP_ENTRY: &str = include_str!("../../assets/linux/auditview.desktop");
/// The file types auditview opens.
pub const MIME_INFO: &str = include_str!("../../assets/linux/auditview-mime.xml");
/// The icon's one source.
pub const ICON_SVG: &[u8] = include_bytes!("../../assets/icons/auditview.svg");

/// The MIME types of the desktop entry's `MimeType=` (auditview's own:
/// generic CSV, logs and gzip are left to their applications).
pub fn mime_types() -> Vec<&'static str> {
    DESKTOP_ENTRY
        .lines()
        .find_map(|line| line.strip_prefix("MimeType="))
        .unwrap_or_default()
        .split(';')
        .filter(|t| !t.is_empty())
        .collect()
}

macro_rules! png_sizes {
    ($($size:literal),*) => {
        /// Each rendered size with its PNG.
        pub const ICON_PNGS: &[(u32, &[u8])] = &[$((
            $size,
            include_bytes!(concat!("../../assets/icons/hicolor/", $size, "x", $size, "/apps/auditview.png")),
        )),*];
    };
}
png_sizes!(16, 22, 24, 32, 48, 64, 128, 256, 512);

/// The desktop entry for an installed binary at `exe`: `Exec` and `TryExec`
/// name it whole (quoted as the Desktop Entry spec says), so the entry works
/// whether or not its folder is on the session's PATH.
pub fn desktop_entry_for(exe: &std::path::Path) -> String {
    let quoted = quote_exec_argument(&exe.to_string_lossy());
    DESKTOP_ENTRY
        .lines()
        .map(|line| {
            if line.starts_with("Exec=") {
                format!("Exec={quoted} %F")
            } else if line.starts_with("TryExec=") {
                // TryExec is a plain string, not an Exec argument.
                format!("TryExec={}", exe.to_string_lossy())
            } else {
                line.to_string()
            }
        })
        .map(|line| line + "\n")
        .collect()
}

/// An argument of `Exec=`: quoted when it holds a reserved character, with
/// `"`, `` ` ``, `$` and `\` escaped; `%` doubled (a field code otherwise).
fn quote_exec_argument(argument: &str) -> String {
    let argument = argument.replace('%', "%%");
    let reserved = |c: char| " \t\n\"'\\><~|&;$*?#()`".contains(c);
    if !argument.contains(reserved) {
        return argument;
    }
    let mut quoted = String::from('"');
    for c in argument.chars() {
        if matches!(c, '"' | '`' | '$' | '\\') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Width and height from a PNG's IHDR chunk.
    fn png_size(png: &[u8]) -> (u32, u32) {
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png[12..16], b"IHDR");
        let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
        (be(16), be(20))
    }

    #[test]
    fn every_icon_is_a_png_of_its_folders_size() {
        assert_eq!(ICON_PNGS.len(), 9);
        for &(size, png) in ICON_PNGS {
            assert_eq!(png_size(png), (size, size));
        }
    }

    #[test]
    fn the_icons_were_rendered_from_the_svg_as_it_is_now() {
        // assets/icons/render records the SVG's hash when it renders; an
        // SVG changed without rendering again fails here.
        let recorded = include_str!("../../assets/icons/auditview.svg.sha256").trim();
        assert_eq!(
            crate::hash::sha256_hex(ICON_SVG),
            recorded,
            "assets/icons/auditview.svg changed: run assets/icons/render"
        );
    }

    #[test]
    fn the_entry_opens_auditviews_own_types_and_no_generic_one() {
        let types = mime_types();
        assert!(types.contains(&"text/x-auditview-export"));
        assert!(types.contains(&"application/x-auditview-case"));
        for generic in [
            "text/csv",
            "text/plain",
            "application/gzip",
            "inode/directory",
        ] {
            assert!(
                !types.contains(&generic),
                "{generic} would be taken from its applications"
            );
        }
        // Every type the entry names is defined in the MIME package.
        for t in &types {
            assert!(
                MIME_INFO.contains(&format!("<mime-type type=\"{t}\">")),
                "{t}"
            );
        }
    }

    #[test]
    fn an_installed_entry_names_its_binary_quoted_where_the_spec_asks() {
        let entry = desktop_entry_for(std::path::Path::new("/home/a b/.local/bin/auditview"));
        assert!(
            entry.contains("\nExec=\"/home/a b/.local/bin/auditview\" %F\n"),
            "{entry}"
        );
        assert!(entry.contains("\nTryExec=/home/a b/.local/bin/auditview\n"));
        let plain = desktop_entry_for(std::path::Path::new("/opt/auditview/auditview"));
        assert!(plain.contains("\nExec=/opt/auditview/auditview %F\n"));
        assert_eq!(quote_exec_argument("/x/100%$"), "\"/x/100%%\\$\"");
    }
}
