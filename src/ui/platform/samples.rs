//! The sample case, embedded in the binary so that "Open the sample case"
//! works from an installed copy anywhere: written once into a cache folder
//! and loaded from there like any other folder.

use std::path::PathBuf;

/// (path inside the sample folder, contents).
const FILES: &[(&str, &[u8])] = &[
    (
        "basespace/general_usage_report_2024-03-01_2024-03-15.csv",
        include_bytes!(
            "../../../assets/samples/basespace/general_usage_report_2024-03-01_2024-03-15.csv"
        ),
    ),
    (
        "basespace/login_report_2024-03-01_2024-03-15.csv",
        include_bytes!("../../../assets/samples/basespace/login_report_2024-03-01_2024-03-15.csv"),
    ),
    (
        "basespace/workgroup_report_2024-03-01_2024-03-15.INFERRED.csv",
        include_bytes!(
            "../../../assets/samples/basespace/workgroup_report_2024-03-01_2024-03-15.INFERRED.csv"
        ),
    ),
    (
        "geoip/auditview-sample-ASN.mmdb",
        include_bytes!("../../../assets/samples/geoip/auditview-sample-ASN.mmdb"),
    ),
    (
        "geoip/auditview-sample-City.mmdb",
        include_bytes!("../../../assets/samples/geoip/auditview-sample-City.mmdb"),
    ),
    (
        "dnanexus/audit_trail_2024-03-14.csv",
        include_bytes!("../../../assets/samples/dnanexus/audit_trail_2024-03-14.csv"),
    ),
    (
        "pydio/audit-2024-03-14T23-00-02.318.log",
        include_bytes!("../../../assets/samples/pydio/audit-2024-03-14T23-00-02.318.log"),
    ),
    (
        "pydio/audit-export-2024-03-15.csv",
        include_bytes!("../../../assets/samples/pydio/audit-export-2024-03-15.csv"),
    ),
    (
        "pydio/audit.log",
        include_bytes!("../../../assets/samples/pydio/audit.log"),
    ),
    (
        "pydio/log-audit-export.response.json",
        include_bytes!("../../../assets/samples/pydio/log-audit-export.response.json"),
    ),
];

/// The folder the sample case is written to: under the user's cache
/// folder (`$XDG_CACHE_HOME`, else `~/.cache`), else the temporary folder.
pub fn default_folder() -> PathBuf {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    cache
        .join("auditview")
        .join(format!("samples-{}", env!("CARGO_PKG_VERSION")))
}

/// Writes the sample files (those missing or different) into `root` and returns it.
pub fn materialize(root: &std::path::Path) -> Result<PathBuf, String> {
    write_into(root)?;
    Ok(root.to_path_buf())
}

#[expect(
    clippy::disallowed_methods,
    reason = "writes the bundled samples into auditview's own data folder, beside and renamed"
)]
fn write_into(root: &std::path::Path) -> Result<(), String> {
    for (name, contents) in FILES {
        let path = root.join(name);
        if std::fs::read(&path).is_ok_and(|existing| existing == *contents) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        // Written beside and renamed, so a second instance never reads half a file.
        let mut temp = path.clone().into_os_string();
        temp.push(format!(".{}.part", std::process::id()));
        let temp = PathBuf::from(temp);
        std::fs::write(&temp, contents)
            .and_then(|()| std::fs::rename(&temp, &path))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
#[expect(clippy::disallowed_methods, reason = "tests write their fixtures")]
mod tests {
    use super::*;

    #[test]
    fn writes_every_sample_file_and_rewrites_a_changed_one() {
        let dir = tempfile::tempdir().unwrap();
        write_into(dir.path()).unwrap();
        for (name, contents) in FILES {
            assert_eq!(std::fs::read(dir.path().join(name)).unwrap(), *contents);
        }
        std::fs::write(dir.path().join(FILES[0].0), b"damaged").unwrap();
        write_into(dir.path()).unwrap();
        assert_eq!(
            std::fs::read(dir.path().join(FILES[0].0)).unwrap(),
            FILES[0].1
        );
    }
}
