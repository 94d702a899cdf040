//! The app on the desktop: the files that make it a desktop application
//! (entry, file types, icons), putting them in the user's XDG folders
//! (`install --user`, `uninstall --user`), and one window per case
//! (`instance`: a second launch hands its files to the running app).

pub mod files;
pub mod install;
pub mod instance;
mod mimeapps;
mod registration;

/// Why the desktop integration could not be done.
#[derive(Debug, thiserror::Error)]
pub enum DesktopError {
    #[error("{}: {source}", .path.display())]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Unsupported(String),
    #[error("no home folder: set HOME (or XDG_DATA_HOME, XDG_CONFIG_HOME)")]
    NoHome,
    #[error("{}: not an install record of auditview: {reason}", .path.display())]
    Manifest {
        path: std::path::PathBuf,
        reason: String,
    },
}

/// `source` with the path it concerns.
pub(crate) fn io_error(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> DesktopError + '_ {
    move |source| DesktopError::Io {
        path: path.to_path_buf(),
        source,
    }
}
