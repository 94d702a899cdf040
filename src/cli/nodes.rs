//! `auditview nodes`: per node and resource, activity and who could see it.

use std::process::ExitCode;

use super::case_args::CaseArgs;
use super::{CliError, Selected, exit_code, print_json};
use crate::analysis::nodes::{NodeJson, NodeRow, nodes, visible_count};
use crate::display::reveal;
use crate::index::Case;
use crate::model::ResourceKind;
use crate::time::Zone;

pub type Args = CaseArgs;

pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let Selected {
        case,
        errors,
        filter,
        selection,
    } = args.select()?;
    let rows = nodes(&case, &filter, &selection);
    if args.json {
        let json: Vec<NodeJson> = rows.iter().map(|row| NodeJson::new(&case, row)).collect();
        print_json(&json);
    } else {
        print_table(&case, &rows, args.filter.tz);
    }
    Ok(exit_code(&errors))
}

fn print_table(case: &Case, rows: &[NodeRow], zone: Zone) {
    println!(
        "{:<11} {:<7} {:>7} {:>6} {:>6} {:>7} {:>7} {:>7}  {:<20} {:<16} PATH / RESOURCE",
        "KIND",
        "TYPE",
        "EVENTS",
        "READS",
        "WRITES",
        "READERS",
        "WRITERS",
        "SEEN BY",
        "LAST UPDATE",
        "OWNER"
    );
    for row in rows {
        let kind = match row.kind {
            ResourceKind::None => "-",
            kind => kind.as_str(),
        };
        let name = match row.entry {
            crate::analysis::nodes::Entry::Node => row.path.clone(),
            _ if row.path.is_empty() => row.resource.clone(),
            _ => format!("{} ({})", row.resource, row.path),
        };
        println!(
            "{:<11} {:<7} {:>7} {:>6} {:>6} {:>7} {:>7} {:>7}  {:<20} {:<16} {}",
            kind,
            row.node_type.as_str(),
            row.events,
            row.reads,
            row.writes,
            row.readers,
            row.writers,
            visible_count(case, row),
            row.last_update.map(|t| zone.format(t)).unwrap_or_default(),
            reveal(&row.owner),
            reveal(&name)
        );
        for flag in &row.flags {
            println!("{:>11} ! {}", "", reveal(flag));
        }
    }
    println!("{} entries", rows.len());
}
