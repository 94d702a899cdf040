use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use auditview::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        None => {
            // The desktop app lands with the GUI; until then, show what the CLI can do.
            let _ = Cli::command().print_help();
            ExitCode::from(cli::EXIT_USAGE)
        }
    }
}
