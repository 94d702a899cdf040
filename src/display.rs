//! How values are shown, in the GUI and the CLI alike: hidden characters
//! made visible, counts with thousands separators. Pure functions.

use std::borrow::Cow;

/// Whether `c` would be invisible or change the reading order of the text
/// around it: bidi controls (U+202A-202E, U+2066-2069, LRM/RLM/ALM),
/// zero-width characters, the BOM, soft hyphens and control characters.
pub fn is_hidden_char(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E007F}'
    ) || c.is_control()
}

/// `text` with every hidden character replaced by its code point, as
/// `‹U+202E›`, so that a spoofed name cannot hide what it contains.
/// Borrowed when there is nothing to show.
pub fn reveal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_hidden_char(c) {
            out.push_str(&format!("‹U+{:04X}›", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` on one line: every run of whitespace that holds a line break or
/// a tab, or is longer than one space, as one space (a record's multi-line
/// message or indented JSON in a table cell). Only for showing: copies and
/// exports keep the value as the source wrote it.
pub fn one_line(text: &str) -> Cow<'_, str> {
    let needs = text.contains(['\n', '\r', '\t']) || text.contains("  ");
    if !needs {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `1204331` as `1,204,331`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 file" / "3 files".
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// A byte count in B, KB, MB or GB.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// An I/O error in the words people use ("no such file or folder").
pub fn describe_io(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_are_shown_by_code_point() {
        assert_eq!(reveal("report.pdf"), "report.pdf");
        assert!(matches!(reveal("plain"), Cow::Borrowed(_)));
        // The classic right-to-left override: shown, it would read "invoiceexe.pdf".
        assert_eq!(reveal("invoice\u{202E}fdp.exe"), "invoice‹U+202E›fdp.exe");
        assert_eq!(reveal("a\u{200B}b\u{FEFF}"), "a‹U+200B›b‹U+FEFF›");
        assert_eq!(reveal("x\u{2066}y\u{2069}"), "x‹U+2066›y‹U+2069›");
        assert_eq!(reveal("line\nbreak\t"), "line‹U+000A›break‹U+0009›");
        assert_eq!(
            reveal("\u{0007}\u{007F}\u{0085}"),
            "‹U+0007›‹U+007F›‹U+0085›"
        );
        assert_eq!(reveal("tag\u{E0041}"), "tag‹U+E0041›");
        // Ordinary non-ASCII text is left alone.
        assert_eq!(reveal("café Zürich 東京 مرحبا"), "café Zürich 東京 مرحبا");
    }

    #[test]
    fn counts_read_well() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_204_331), "1,204,331");
        assert_eq!(plural(1, "file", "files"), "1 file");
        assert_eq!(plural(3, "file", "files"), "3 files");
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KB");
    }
}
