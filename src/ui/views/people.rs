//! The People view: the persons the decisions make (each with its
//! identifiers, systems, first and last seen, countries and why its
//! identifiers are one person), then the links the evidence proposes, each
//! with its reasons and proofs and Accept / Reject.

use egui::{RichText, Ui};

use crate::analysis::people::{FirstSeen, PeopleView, Profile};
use crate::display::{reveal, thousands};
use crate::index::people::Decision;
use crate::time::Zone;
use crate::ui::command::{Command, Pivot};

#[must_use]
pub fn people_ui(ui: &mut Ui, view: &PeopleView, zone: Zone) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::ScrollArea::vertical()
        .id_salt("people")
        .show(ui, |ui| {
            ui.heading(format!("Persons ({})", view.persons.len()));
            if view.persons.is_empty() {
                ui.label(
                    RichText::new(
                        "No person yet: accept the links below (or open a case that holds some).",
                    )
                    .weak(),
                );
            }
            for person in &view.persons {
                let title = format!(
                    "{}: {} identifiers, {} events",
                    reveal(&person.name),
                    person.identifiers.len(),
                    thousands(person.profile.events)
                );
                egui::CollapsingHeader::new(title)
                    .id_salt(("person", &person.name))
                    .show(ui, |ui| {
                        if ui
                            .button("Only this person")
                            .on_hover_text("Filter the events of all its identifiers")
                            .clicked()
                        {
                            commands.push(Command::Pivot(Pivot::Person(person.name.clone())));
                        }
                        profile_ui(ui, &person.profile, zone);
                        for identifier in &person.identifiers {
                            ui.label(
                                RichText::new(format!(
                                    "{} ({} events)",
                                    reveal(&identifier.identifier),
                                    thousands(identifier.profile.events)
                                ))
                                .strong(),
                            );
                        }
                        for link in &person.links {
                            let reasons: Vec<String> =
                                link.reasons.iter().map(|r| r.text.clone()).collect();
                            ui.label(
                                RichText::new(format!(
                                    "{} = {}: {}{}",
                                    reveal(&link.a),
                                    reveal(&link.b),
                                    link.by,
                                    if reasons.is_empty() {
                                        String::new()
                                    } else {
                                        format!(" ({})", reveal(&reasons.join("; ")))
                                    }
                                ))
                                .small(),
                            );
                        }
                    });
            }
            ui.separator();
            let open = view
                .proposals
                .iter()
                .filter(|p| p.decision == Decision::Proposed)
                .count();
            ui.horizontal(|ui| {
                ui.heading(format!("Proposed links ({})", view.proposals.len()));
                if open > 0 && ui.button(format!("Accept all {open}")).clicked() {
                    commands.push(Command::AcceptAllProposals);
                }
            });
            for state in &view.proposals {
                let proposal = &state.proposal;
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(format!("{} = {}", reveal(&proposal.a), reveal(&proposal.b)))
                            .strong(),
                    );
                    let decided = match state.decision {
                        Decision::Proposed => "proposed",
                        Decision::Accepted => "accepted",
                        Decision::Rejected => "rejected",
                    };
                    ui.label(RichText::new(decided).weak());
                    if state.decision != Decision::Accepted && ui.button("Accept").clicked() {
                        commands.push(Command::DecideLink {
                            a: proposal.a.clone(),
                            b: proposal.b.clone(),
                            accept: true,
                        });
                    }
                    if state.decision != Decision::Rejected && ui.button("Reject").clicked() {
                        commands.push(Command::DecideLink {
                            a: proposal.a.clone(),
                            b: proposal.b.clone(),
                            accept: false,
                        });
                    }
                });
                for reason in &proposal.reasons {
                    let proofs: Vec<String> = reason
                        .proofs
                        .iter()
                        .map(|o| format!("{}:{}", o.path, o.line))
                        .collect();
                    ui.label(
                        RichText::new(format!(
                            "    {} ({})",
                            reveal(&reason.text),
                            reveal(&proofs.join(", "))
                        ))
                        .small(),
                    );
                }
            }
        });
    commands
}

fn profile_ui(ui: &mut Ui, profile: &Profile, zone: Zone) {
    let when = |t: Option<crate::time::UtcMs>| t.map(|t| zone.format(t.0)).unwrap_or_default();
    let systems: Vec<&str> = profile.systems.iter().map(|s| s.as_str()).collect();
    ui.label(format!(
        "{} .. {} on {}",
        when(profile.first_seen),
        when(profile.last_seen),
        systems.join(", ")
    ));
    let list = |ui: &mut Ui, name: &str, seen: &[FirstSeen]| {
        if seen.is_empty() {
            return;
        }
        let items: Vec<String> = seen
            .iter()
            .map(|s| format!("{} (first {})", reveal(&s.value), zone.format(s.first.0)))
            .collect();
        ui.label(format!("{name}: {}", items.join(", ")));
    };
    list(ui, "Countries", &profile.countries);
    list(ui, "Addresses", &profile.addresses);
    list(ui, "Networks", &profile.networks);
}
