//! The criteria of a `Filter`, one variant each: what a chip shows and
//! clears, what an export's Filter sheet lists. Matched exhaustively, so a
//! new criterion cannot be forgotten by a chip or a sheet.

use super::Filter;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Criterion {
    NodeType,
    Path,
    ResourceKind,
    Owner,
    From,
    To,
    User,
    Person,
    Action,
    Category,
    Outcome,
    System,
    Log,
    Ip,
    Country,
    Asn,
    Request,
    Resource,
    VisibleBy,
    SkipRepeats,
    Text,
    Starred,
    Tag,
    HasNote,
    Finding,
}

impl Criterion {
    /// Every criterion, in the order they are described.
    pub const ALL: [Criterion; 25] = [
        Criterion::NodeType,
        Criterion::Path,
        Criterion::ResourceKind,
        Criterion::Owner,
        Criterion::From,
        Criterion::To,
        Criterion::User,
        Criterion::Person,
        Criterion::Action,
        Criterion::Category,
        Criterion::Outcome,
        Criterion::System,
        Criterion::Log,
        Criterion::Ip,
        Criterion::Country,
        Criterion::Asn,
        Criterion::Request,
        Criterion::Resource,
        Criterion::VisibleBy,
        Criterion::SkipRepeats,
        Criterion::Text,
        Criterion::Starred,
        Criterion::Tag,
        Criterion::HasNote,
        Criterion::Finding,
    ];

    /// The name shown to people (chips, the Filter sheet, `inspect`).
    pub fn label(self) -> &'static str {
        match self {
            Criterion::NodeType => "Node type",
            Criterion::Path => "Path",
            Criterion::ResourceKind => "Resource kind",
            Criterion::Owner => "Owner",
            Criterion::From => "From",
            Criterion::To => "To",
            Criterion::User => "User",
            Criterion::Person => "Person",
            Criterion::Action => "Action",
            Criterion::Category => "Category",
            Criterion::Outcome => "Outcome",
            Criterion::System => "System",
            Criterion::Log => "Log",
            Criterion::Ip => "IP",
            Criterion::Country => "Country",
            Criterion::Asn => "AS number",
            Criterion::Request => "Request",
            Criterion::Resource => "Resource",
            Criterion::VisibleBy => "Visible by",
            Criterion::SkipRepeats => "Repeats",
            Criterion::Text => "Text contains",
            Criterion::Starred => "Starred",
            Criterion::Tag => "Tag",
            Criterion::HasNote => "Note",
            Criterion::Finding => "Finding",
        }
    }
}

fn list<T: ToString>(values: &[T]) -> String {
    values
        .iter()
        .map(T::to_string)
        .collect::<Vec<_>>()
        .join(" or ")
}

impl Filter {
    /// One criterion in words; empty when it is not set.
    pub fn criterion_in_words(&self, criterion: Criterion) -> String {
        match criterion {
            Criterion::NodeType => list(&self.node_types),
            Criterion::Path => list(&self.paths),
            Criterion::ResourceKind => list(&self.kinds),
            Criterion::Owner => list(&self.owners),
            Criterion::From => self.from.map(|t| t.to_string()).unwrap_or_default(),
            Criterion::To => self.to.map(|t| t.to_string()).unwrap_or_default(),
            Criterion::User => list(&self.users),
            Criterion::Person => list(&self.persons),
            Criterion::Action => list(&self.actions),
            Criterion::Category => list(&self.categories),
            Criterion::Outcome => list(&self.outcomes),
            Criterion::System => list(&self.systems),
            Criterion::Log => list(&self.logs),
            Criterion::Ip => list(&self.ips),
            Criterion::Country => list(&self.countries),
            Criterion::Asn => list(
                &self
                    .asns
                    .iter()
                    .map(|n| format!("AS{n}"))
                    .collect::<Vec<_>>(),
            ),
            Criterion::Request => list(&self.requests),
            Criterion::Resource => list(&self.resources),
            Criterion::VisibleBy => list(&self.visible_by),
            Criterion::SkipRepeats if self.skip_repeats => {
                "left out (events read from two sources)".to_string()
            }
            Criterion::SkipRepeats => String::new(),
            Criterion::Text => self
                .texts
                .iter()
                .map(|t| format!("\"{t}\""))
                .collect::<Vec<_>>()
                .join(" and "),
            Criterion::Starred if self.starred => "starred in the case".to_string(),
            Criterion::Starred => String::new(),
            Criterion::Tag => list(&self.tags),
            Criterion::HasNote if self.has_note => "has a note in the case".to_string(),
            Criterion::HasNote => String::new(),
            Criterion::Finding => list(&self.findings),
        }
    }

    /// Every criterion set, in words, for the export's Filter sheet and the
    /// GUI's chips.
    pub fn describe(&self) -> Vec<(Criterion, String)> {
        Criterion::ALL
            .into_iter()
            .map(|c| (c, self.criterion_in_words(c)))
            .filter(|(_, words)| !words.is_empty())
            .collect()
    }

    /// Removes one criterion; the others stay.
    pub fn clear(&mut self, criterion: Criterion) {
        match criterion {
            Criterion::NodeType => self.node_types.clear(),
            Criterion::Path => self.paths.clear(),
            Criterion::ResourceKind => self.kinds.clear(),
            Criterion::Owner => self.owners.clear(),
            Criterion::From => self.from = None,
            Criterion::To => self.to = None,
            Criterion::User => self.users.clear(),
            Criterion::Person => self.persons.clear(),
            Criterion::Action => self.actions.clear(),
            Criterion::Category => self.categories.clear(),
            Criterion::Outcome => self.outcomes.clear(),
            Criterion::System => self.systems.clear(),
            Criterion::Log => self.logs.clear(),
            Criterion::Ip => self.ips.clear(),
            Criterion::Country => self.countries.clear(),
            Criterion::Asn => self.asns.clear(),
            Criterion::Request => self.requests.clear(),
            Criterion::Resource => self.resources.clear(),
            Criterion::VisibleBy => self.visible_by.clear(),
            Criterion::SkipRepeats => self.skip_repeats = false,
            Criterion::Text => self.texts.clear(),
            Criterion::Starred => self.starred = false,
            Criterion::Tag => self.tags.clear(),
            Criterion::HasNote => self.has_note = false,
            Criterion::Finding => self.findings.clear(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, LogKind, NodeType, Outcome, ResourceKind, System};
    use crate::time::UtcMs;

    fn every_criterion() -> Filter {
        Filter {
            node_types: vec![NodeType::File],
            paths: vec!["ds/a".into()],
            kinds: vec![ResourceKind::Cell],
            owners: vec!["alice".into()],
            from: Some(UtcMs(0)),
            to: Some(UtcMs(1)),
            users: vec!["bob".into()],
            persons: vec!["Helena Nakamura".into()],
            actions: vec!["read".into()],
            categories: vec![Category::Download],
            outcomes: vec![Outcome::Failure],
            systems: vec![System::Pydio],
            logs: vec![LogKind::System],
            ips: vec!["192.0.2.1".into()],
            countries: vec!["JP".into()],
            asns: vec![64500],
            requests: vec!["r1".into()],
            resources: vec!["ws-1".into()],
            texts: vec!["x".into()],
            visible_by: vec!["carol".into()],
            skip_repeats: true,
            starred: true,
            tags: vec!["exfil".into()],
            has_note: true,
            findings: vec!["burst".into()],
            ..Filter::default()
        }
    }

    #[test]
    fn every_criterion_is_described_and_clearing_one_removes_it_alone() {
        let full = every_criterion();
        let described: Vec<Criterion> = full.describe().into_iter().map(|(c, _)| c).collect();
        assert_eq!(described, Criterion::ALL);
        for criterion in Criterion::ALL {
            let mut filter = full.clone();
            filter.clear(criterion);
            let left: Vec<Criterion> = filter.describe().into_iter().map(|(c, _)| c).collect();
            let expected: Vec<Criterion> = Criterion::ALL
                .into_iter()
                .filter(|&c| c != criterion)
                .collect();
            assert_eq!(left, expected, "{}", criterion.label());
        }
        let mut all_cleared = full;
        Criterion::ALL
            .into_iter()
            .for_each(|c| all_cleared.clear(c));
        assert!(all_cleared.is_empty());
    }
}
