//! `auditview requests`: the matched events grouped by request.

use std::process::ExitCode;

use super::case_args::CaseArgs;
use super::{CliError, Selected, exit_code, print_json};
use crate::analysis::requests::{RequestJson, requests};
use crate::display::reveal;
use crate::model::TextField;

pub type Args = CaseArgs;

pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let Selected {
        case,
        errors,
        selection,
        ..
    } = args.select()?;
    let store = &case.store;
    let found = requests(store, &selection);
    if args.json {
        let json: Vec<RequestJson> = found
            .requests
            .iter()
            .map(|r| RequestJson::new(store, &found, r))
            .collect();
        print_json(&json);
    } else {
        let zone = args.filter.tz;
        println!(
            "{:<25} {:>9} {:>6} {:<16} {:<18} {:<38} ACTIONS",
            "START", "DURATION", "EVENTS", "ACTOR", "IP", "REQUEST"
        );
        for r in &found.requests {
            println!(
                "{:<25} {:>8.1}s {:>6} {:<16} {:<18} {:<38} {}",
                zone.format(r.start_ms),
                r.duration_ms() as f64 / 1000.0,
                r.len(),
                reveal(found.first(store, r, TextField::Actor)),
                reveal(found.first(store, r, TextField::Ip)),
                reveal(found.id(store, r)),
                reveal(&found.summary(store, r))
            );
        }
        println!("{} requests", found.len());
    }
    Ok(exit_code(&errors))
}
