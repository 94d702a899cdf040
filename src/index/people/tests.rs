//! Tests of `index::people`.

use super::*;
use crate::model::test_store::{TestEvent, store_from};

fn event(actor: &'static str) -> TestEvent {
    TestEvent {
        actor,
        ..TestEvent::default()
    }
}

#[test]
fn an_aliases_person_keeps_the_evidence_spelling_its_name_and_every_way_to_find_it() {
    let seen = |text: &str| Identifier {
        text: text.into(),
        shape: names::shape(text),
        systems: Vec::new(),
        events: 1,
        first_row: 0,
    };
    let aliases = Aliases {
        persons: vec![
            PersonAliases {
                name: "Jérôme Dubois".into(),
                identifiers: vec!["JEROME.DUBOIS".into(), "user-jdubois".into()],
            },
            PersonAliases {
                name: "Solo".into(),
                identifiers: vec!["solo@lab.example".into()],
            },
            // Named again in a later person: the first name stands.
            PersonAliases {
                name: "Someone Else".into(),
                identifiers: vec!["User-JDubois".into(), "jd@lab.example".into()],
            },
        ],
        ..Aliases::default()
    };
    let evidence = [seen("jérôme.dubois"), seen("bob")];
    let people = People::build(&evidence, Vec::new(), &aliases, false, &HashMap::new());
    let names: Vec<&str> = people.persons.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Jérôme Dubois", "Solo"]);
    let jerome = &people.persons[0];
    assert_eq!(
        jerome.identifiers,
        ["jd@lab.example", "jérôme.dubois", "user-jdubois"]
    );
    let links: Vec<(&str, &str, LinkedBy)> = jerome
        .links
        .iter()
        .map(|l| (l.a.as_str(), l.b.as_str(), l.by))
        .collect();
    assert_eq!(
        links,
        [
            ("JEROME.DUBOIS", "user-jdubois", LinkedBy::AliasesFile),
            ("User-JDubois", "jd@lab.example", LinkedBy::AliasesFile),
        ]
    );
    for spelling in [
        "Jerome.Dubois",
        "JÉRÔME.DUBOIS",
        "USER-JDUBOIS",
        "JD@lab.example",
    ] {
        assert_eq!(people.person_index(spelling), Some(0), "{spelling}");
    }
    assert_eq!(people.person_index("solo@LAB.example"), Some(1));
    assert!(people.persons[1].links.is_empty());
    assert_eq!(people.person_index("bob"), None);
}

#[test]
fn one_person_named_three_ways_is_proposed_with_proofs_and_joined_when_accepted() {
    let store = store_from(&[
        event("helena.nakamura"),
        event("h.nakamura@orcabio.example"),
        event("user-hnakamura"),
        event("bob"),
    ]);
    let people = People::of_store(&store, &Aliases::default(), false);
    assert!(
        people.persons.is_empty(),
        "nothing merged before a decision"
    );
    let pairs: Vec<(String, String)> = people
        .proposals
        .iter()
        .map(|p| (p.proposal.a.clone(), p.proposal.b.clone()))
        .collect();
    assert!(
        pairs.contains(&("user-hnakamura".into(), "helena.nakamura".into())),
        "{pairs:?}"
    );
    assert!(
        pairs.contains(&("user-hnakamura".into(), "h.nakamura@orcabio.example".into())),
        "{pairs:?}"
    );
    assert!(
        pairs.contains(&(
            "h.nakamura@orcabio.example".into(),
            "helena.nakamura".into()
        )),
        "{pairs:?}"
    );
    assert!(
        people
            .proposals
            .iter()
            .all(|p| p.proposal.reasons.iter().all(|r| r.proofs.len() == 2))
    );

    let all = People::of_store(&store, &Aliases::default(), true);
    assert_eq!(all.persons.len(), 1);
    let helena = &all.persons[0];
    assert_eq!(helena.name, "helena.nakamura");
    assert_eq!(helena.identifiers.len(), 3);
    assert_eq!(all.find("user-hnakamura").len(), 1);
    assert_eq!(all.find("hnakamura").len(), 1);
    assert!(all.person_of("bob").is_none());

    let mut aliases = Aliases::default();
    aliases.reject("user-hnakamura", "helena.nakamura");
    aliases.reject("user-hnakamura", "h.nakamura@orcabio.example");
    aliases.reject("h.nakamura@orcabio.example", "helena.nakamura");
    let without = People::of_store(&store, &aliases, true);
    assert!(without.persons.is_empty(), "{without:?}");
}
