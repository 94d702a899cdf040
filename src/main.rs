use std::process::ExitCode;

use clap::Parser;

use auditview::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        None => match auditview::ui::run(args.paths) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("auditview: the window could not be opened: {err}");
                eprintln!(
                    "auditview: the command line works without a display; see `auditview --help`"
                );
                ExitCode::from(cli::EXIT_INPUT)
            }
        },
    }
}
