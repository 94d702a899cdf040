//! `auditview people`: the links the evidence proposes between identifiers
//! (with their reasons and proofs), the persons the decisions make, and
//! per person and identifier what the matched events show (first and last
//! seen, addresses, countries, networks, user agents, each first seen where).

use std::process::ExitCode;

use serde::Serialize;

use super::case_args::CaseArgs;
use super::{CliError, Selected, exit_code, identify, print_json};
use crate::analysis::people::{FirstSeen, PeopleView, Profile, people_view};
use crate::display::reveal;
use crate::index::people::{Aliases, Decision};

pub type Args = CaseArgs;

#[derive(Serialize)]
struct PeopleJson<'a> {
    #[serde(flatten)]
    view: &'a PeopleView,
    /// The decisions in force, as an aliases file (`--aliases`) reads them.
    aliases: Aliases,
}

pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let Selected {
        case,
        errors,
        selection,
        ..
    } = args.select()?;
    if !args.filter.wants_people() {
        identify(&case, &args.filter)?;
    }
    let view = people_view(&case, &selection.rows);
    if args.json {
        let people = case.people();
        let aliases = Aliases {
            persons: Vec::new(),
            accepted: people
                .proposals
                .iter()
                .filter(|p| p.decision == Decision::Accepted)
                .map(|p| [p.proposal.a.clone(), p.proposal.b.clone()])
                .collect(),
            rejected: people
                .proposals
                .iter()
                .filter(|p| p.decision == Decision::Rejected)
                .map(|p| [p.proposal.a.clone(), p.proposal.b.clone()])
                .collect(),
            ..Aliases::default()
        };
        print_json(&PeopleJson {
            view: &view,
            aliases,
        });
        return Ok(exit_code(&errors));
    }
    let zone = args.filter.tz;
    for proposal in &view.proposals {
        let decision = match proposal.decision {
            Decision::Proposed => "proposed",
            Decision::Accepted => "accepted",
            Decision::Rejected => "rejected",
        };
        println!(
            "{decision}: {} = {}",
            reveal(&proposal.proposal.a),
            reveal(&proposal.proposal.b)
        );
        for reason in &proposal.proposal.reasons {
            let proofs: Vec<String> = reason
                .proofs
                .iter()
                .map(|o| format!("{}:{}", o.path, o.line))
                .collect();
            println!(
                "    {} ({})",
                reveal(&reason.text),
                reveal(&proofs.join(", "))
            );
        }
    }
    if view
        .proposals
        .iter()
        .any(|p| p.decision == Decision::Proposed)
    {
        println!(
            "(accept with --accept-proposals, an aliases file (--aliases), or `auditview case accept`)"
        );
    }
    for person in &view.persons {
        println!();
        println!("person {}", reveal(&person.name));
        print_profile("  ", &person.profile, zone);
        for identifier in &person.identifiers {
            println!("  identifier {}", reveal(&identifier.identifier));
            print_profile("    ", &identifier.profile, zone);
        }
    }
    println!();
    println!(
        "{} persons, {} identifiers in no person, {} proposals",
        view.persons.len(),
        view.others.len(),
        view.proposals.len()
    );
    Ok(exit_code(&errors))
}

fn print_profile(indent: &str, profile: &Profile, zone: crate::time::Zone) {
    let systems: Vec<&str> = profile.systems.iter().map(|s| s.as_str()).collect();
    let when = |t: Option<crate::time::UtcMs>| t.map(|t| zone.format(t.0)).unwrap_or_default();
    println!(
        "{indent}{} events on {}, {} .. {}",
        profile.events,
        systems.join(", "),
        when(profile.first_seen),
        when(profile.last_seen)
    );
    let list = |name: &str, seen: &[FirstSeen]| {
        if seen.is_empty() {
            return;
        }
        let items: Vec<String> = seen
            .iter()
            .map(|s| {
                format!(
                    "{} (from {}, {}:{})",
                    reveal(&s.value),
                    zone.format(s.first.0),
                    s.proof.path,
                    s.proof.line
                )
            })
            .collect();
        println!("{indent}{name}: {}", items.join("; "));
    };
    list("countries", &profile.countries);
    list("addresses", &profile.addresses);
    list("networks", &profile.networks);
    list("user agents", &profile.user_agents);
}
