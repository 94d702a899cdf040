//! The `auditview` binary: a subcommand runs the CLI; none opens the window
//! (or, in a build without the `gui` feature, says how to use the CLI).

// Windows: no console window behind the app; the subcommands attach to
// the console they were started from (`attach_console`).
#![cfg_attr(all(windows, feature = "gui"), windows_subsystem = "windows")]

use std::process::ExitCode;

use clap::Parser;

use auditview::cli::{self, Cli};

fn main() -> ExitCode {
    // Ended by a signal, an export leaves no partial file behind (a stale
    // one from SIGKILL is removed by the next export into that folder).
    // The window is asked to close instead (exiting under its renderer can
    // crash it); a second signal ends it at once.
    let _ = ctrlc::set_handler(|| {
        #[cfg(feature = "gui")]
        if auditview::ui::request_quit() {
            return;
        }
        auditview::safe_write::remove_partials();
        std::process::exit(130);
    });
    #[cfg(all(windows, feature = "gui"))]
    attach_console();
    let args = Cli::parse();
    match args.command {
        Some(command) => {
            end_quietly_on_broken_pipe();
            cli::run(command)
        }
        None => open_window(args.paths, args.new_window),
    }
}

/// Rust ignores SIGPIPE, so printing to a reader that went away (`| head`)
/// panics; a subcommand instead ends by the signal, quietly, as `cat` and
/// `grep` do. (Not the window: its sockets must not end it.)
fn end_quietly_on_broken_pipe() {
    #[cfg(unix)]
    #[expect(
        unsafe_code,
        reason = "libc::signal has no safe wrapper; the library forbids unsafe"
    )]
    // SAFETY: setting a signal's disposition to the default has no memory
    // safety precondition; no handler of ours runs for it.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(feature = "gui")]
fn open_window(paths: Vec<std::path::PathBuf>, new_window: bool) -> ExitCode {
    // A path that is not there is said here, before any window could be
    // taken for the one that has it open.
    let missing: Vec<&std::path::PathBuf> = paths
        .iter()
        .filter(|p| std::fs::symlink_metadata(p).is_err())
        .collect();
    if !missing.is_empty() {
        for path in missing {
            eprintln!("auditview: {}: no such file or folder", path.display());
        }
        return ExitCode::from(cli::EXIT_INPUT);
    }
    // One window per case: files a running window can take go to it.
    if !new_window && !paths.is_empty() {
        use auditview::desktop::instance::{Arrival, Instances};
        match Instances::for_user().map(|i| i.hand_over(&paths)) {
            Some(Arrival::AlreadyOpen) => {
                eprintln!("auditview: already open in a running window, which was raised");
                return ExitCode::SUCCESS;
            }
            Some(Arrival::Handed) => {
                eprintln!("auditview: handed to the running window");
                return ExitCode::SUCCESS;
            }
            Some(Arrival::NoneRunning) | None => {}
        }
    }
    let result = auditview::ui::run(paths);
    // An export still running when the window closed stops with the process.
    auditview::safe_write::remove_partials();
    match result {
        Ok(()) if auditview::ui::quit_requested() => ExitCode::from(130),
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("auditview: the window could not be opened: {err}");
            eprintln!(
                "auditview: the command line works without a display; see `auditview --help`"
            );
            ExitCode::from(cli::EXIT_INPUT)
        }
    }
}

#[cfg(not(feature = "gui"))]
fn open_window(_paths: Vec<std::path::PathBuf>, _new_window: bool) -> ExitCode {
    eprintln!(
        "auditview: this build has no window (built without the `gui` feature); see `auditview --help`"
    );
    ExitCode::from(cli::EXIT_USAGE)
}

/// A GUI-subsystem executable has no console: output goes to the one that
/// started it, if any (a double-click has none, and the window needs none).
/// Before the first print, since the standard handles are read once.
#[cfg(all(windows, feature = "gui"))]
fn attach_console() {
    use windows_sys::Win32::System::Console::{ATTACH_PARENT_PROCESS, AttachConsole};
    // SAFETY: a plain Win32 call with a constant argument; failing (no
    // parent console) leaves the process as it was.
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}
