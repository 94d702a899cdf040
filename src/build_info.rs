//! What this binary is: version, commit and build date (from `build.rs`),
//! for `--version`, the About box and every export's provenance.

/// The package version (`Cargo.toml`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The commit built, `-modified` when the tree differed from it, or
/// `unknown` when built outside git (a source tarball).
pub const COMMIT: &str = env!("AUDITVIEW_COMMIT");
/// The day it was built (UTC), or `SOURCE_DATE_EPOCH`'s day.
pub const BUILD_DATE: &str = env!("AUDITVIEW_BUILD_DATE");

/// `0.1.0 (commit 4fb6107a1c2d, built 2026-12-01)`: what `--version` prints
/// after the name.
pub const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("AUDITVIEW_COMMIT"),
    ", built ",
    env!("AUDITVIEW_BUILD_DATE"),
    ")"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_long_version_names_version_commit_and_build_day() {
        assert!(LONG_VERSION.starts_with(VERSION));
        assert!(LONG_VERSION.contains(COMMIT));
        assert!(!COMMIT.is_empty());
        let day = BUILD_DATE.as_bytes();
        assert_eq!(day.len(), 10, "{BUILD_DATE}");
        assert!(day[4] == b'-' && day[7] == b'-', "{BUILD_DATE}");
        assert!(BUILD_DATE[..4].parse::<u32>().unwrap() >= 2024);
    }
}
