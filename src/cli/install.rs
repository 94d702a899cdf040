//! `auditview install --user` / `uninstall --user`: the app on this user's
//! desktop (menu entry, icon, "Open with" for its file types), no root.

use std::process::ExitCode;

use super::CliError;
use crate::desktop::install::{Layout, install_user, uninstall_user};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// For this user only, under the XDG folders (~/.local/share, ~/.config,
    /// ~/.local/bin). A system-wide install is the package's job.
    #[arg(long)]
    pub user: bool,
}

pub fn install(args: Args) -> Result<ExitCode, CliError> {
    run(args, true)
}

pub fn uninstall(args: Args) -> Result<ExitCode, CliError> {
    run(args, false)
}

fn run(args: Args, install: bool) -> Result<ExitCode, CliError> {
    if !args.user {
        return Err(CliError::Usage(
            "add --user (this user's folders, no root); system-wide, install the package (README \"Install\")"
                .into(),
        ));
    }
    let layout = Layout::from_env()?;
    let outcome = if install {
        let exe = std::env::current_exe()
            .map_err(|e| CliError::Usage(format!("the running binary cannot be found: {e}")))?;
        install_user(&layout, &exe)?
    } else {
        uninstall_user(&layout)?
    };
    for line in &outcome.lines {
        println!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}
