//! The views computed off the UI thread, and how each is computed: the
//! filtered `View` the events table, timeline and filter lists show, the
//! `Analysis` of the Nodes, Requests or Reports tab, and the selected node's
//! `NodeActivity`. `jobs` runs these functions on worker threads; panels and
//! views only read the results.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::analysis::activity::{Activity, activity};
use crate::analysis::facets::{enum_counts, text_counts};
use crate::analysis::findings::{FindingsView, findings_view};
use crate::analysis::nodes::{NodeRow, nodes, rows_of, visible_by};
use crate::analysis::order::{Sort, sorted_rows};
use crate::analysis::people::{PeopleView, people_view};
use crate::analysis::places::{PlaceCounts, place_counts};
use crate::analysis::reports::{LoginRow, UsageRow, WorkgroupRow, logins, usage, workgroups};
use crate::analysis::requests::{RequestIndex, requests};
use crate::analysis::timeline::{Timeline, histogram};
use crate::index::Case;
use crate::index::repeats::repeats_among;
use crate::index::visibility::VisibleBy;
use crate::model::TextField;
use crate::query::{Criterion, Filter, FilterError, Selection, select};

/// Bars the timeline may have at most.
pub const TIMELINE_BUCKETS: usize = 240;
/// Bars a node's activity graph may have at most.
const ACTIVITY_BUCKETS: usize = 120;

/// The views computed off the UI thread, one at a time, for the tab shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Nodes,
    Requests,
    Reports,
    People,
    Findings,
}

/// The three reports of one view.
#[derive(Debug, Clone, Default)]
pub struct Reports {
    pub usage: Vec<UsageRow>,
    pub logins: Vec<LoginRow>,
    pub workgroups: Vec<WorkgroupRow>,
}

#[derive(Debug, Clone)]
pub enum Computed {
    Nodes(Vec<NodeRow>),
    Requests(RequestIndex),
    Reports(Reports),
    People(PeopleView),
    Findings(FindingsView),
}

/// A view of one filter: the Nodes, the Requests or the Reports.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub filter: Filter,
    pub computed: Computed,
}

impl Analysis {
    pub fn part(&self) -> Part {
        match self.computed {
            Computed::Nodes(_) => Part::Nodes,
            Computed::Requests(_) => Part::Requests,
            Computed::Reports(_) => Part::Reports,
            Computed::People(_) => Part::People,
            Computed::Findings(_) => Part::Findings,
        }
    }
}

/// What a filter selects, in the order shown, with the counts the filter
/// lists show.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub filter: Filter,
    /// The matched rows in time order (what exports write).
    pub selection: Arc<Selection>,
    /// The same rows in the table's order.
    pub order: Arc<Vec<u32>>,
    pub sort: Sort,
    pub facets: Facets,
    pub timeline: Option<Timeline>,
}

/// For each list criterion, how many events each value would match with the
/// other criteria as they are.
#[derive(Debug, Clone, Default)]
pub struct Facets {
    pub users: Vec<(String, u64)>,
    pub owners: Vec<(String, u64)>,
    pub actions: Vec<(String, u64)>,
    pub node_types: Vec<u64>,
    pub kinds: Vec<u64>,
    pub categories: Vec<u64>,
    pub outcomes: Vec<u64>,
    pub systems: Vec<u64>,
    pub logs: Vec<u64>,
    /// Principals of the Visible-by list, with their pieces of evidence.
    pub visible_by: Vec<(String, u64)>,
    /// Events that repeat an event read from another source.
    pub repeats: u64,
    /// Events by country and AS (the Country panel), counted without the
    /// Country and AS criteria.
    pub places: PlaceCounts,
}

/// Selects the rows of `filter`, sorts them and counts the values of each
/// list criterion. `Ok(None)` when `cancel` was raised: a newer filter won.
pub fn compute_view(
    case: &Case,
    filter: &Filter,
    sort: Sort,
    cancel: &AtomicBool,
) -> Result<Option<View>, FilterError> {
    let store = &case.store;
    let cancelled = || cancel.load(Ordering::Relaxed);
    let selection = select(case, filter)?;
    // The rows a criterion's counts are taken from: the filter without that criterion.
    let without = |criterion: Criterion| -> Result<Option<Selection>, FilterError> {
        let mut other = filter.clone();
        other.clear(criterion);
        if other == *filter || cancelled() {
            Ok(None)
        } else {
            select(case, &other).map(Some)
        }
    };
    let events = &store.events;
    let rows_of =
        |s: &Option<Selection>| -> Vec<u32> { s.as_ref().unwrap_or(&selection).rows.clone() };
    let users = rows_of(&without(Criterion::User)?);
    let owners = rows_of(&without(Criterion::Owner)?);
    let actions = rows_of(&without(Criterion::Action)?);
    let node_types = rows_of(&without(Criterion::NodeType)?);
    let kinds = rows_of(&without(Criterion::ResourceKind)?);
    let categories = rows_of(&without(Criterion::Category)?);
    let outcomes = rows_of(&without(Criterion::Outcome)?);
    let systems = rows_of(&without(Criterion::System)?);
    let logs = rows_of(&without(Criterion::Log)?);
    let placed = if !case.places().has_databases() {
        Vec::new()
    } else {
        let mut other = filter.clone();
        other.clear(Criterion::Country);
        other.clear(Criterion::Asn);
        if other == *filter {
            selection.rows.clone()
        } else {
            select(case, &other)?.rows
        }
    };
    // The rows the Repeats count is taken from: repeats included.
    let unrepeated = rows_of(&without(Criterion::SkipRepeats)?);
    if cancelled() {
        return Ok(None);
    }
    let facets = Facets {
        users: text_counts(events, TextField::Actor, &users),
        owners: text_counts(events, TextField::Owner, &owners),
        actions: text_counts(events, TextField::Action, &actions),
        node_types: enum_counts(&events.node_type, &node_types).to_vec(),
        kinds: enum_counts(&events.resource_kind, &kinds).to_vec(),
        categories: enum_counts(&events.category, &categories).to_vec(),
        outcomes: enum_counts(&events.outcome, &outcomes).to_vec(),
        systems: enum_counts(&events.system, &systems).to_vec(),
        logs: enum_counts(&events.log, &logs).to_vec(),
        // Without a database every address would be classified as text
        // on each filter: the panel offers to add one instead.
        places: if case.places().has_databases() {
            place_counts(case, &placed)
        } else {
            PlaceCounts::default()
        },
        repeats: repeats_among(store, &unrepeated)
            .into_iter()
            .filter(|&r| r)
            .count() as u64,
        // Known once the case index is built (in the background after a
        // load): the first view does not wait for it.
        visible_by: if case.is_indexed() {
            case.index().principals.clone()
        } else {
            Vec::new()
        },
    };
    let timeline = histogram(
        &events.time_ms,
        &events.outcome,
        &selection.rows,
        TIMELINE_BUCKETS,
    );
    if cancelled() {
        return Ok(None);
    }
    let order = Arc::new(sorted_rows(store, &selection.rows, sort));
    Ok(Some(View {
        filter: filter.clone(),
        selection: Arc::new(selection),
        order,
        sort,
        facets,
        timeline,
    }))
}

/// One of the Nodes, Requests and Reports views of `filter`.
pub fn compute_analysis(
    case: &Case,
    filter: Filter,
    selection: &Selection,
    part: Part,
) -> Analysis {
    let store = &case.store;
    let computed = match part {
        Part::Nodes => Computed::Nodes(nodes(case, &filter, selection)),
        Part::Requests => Computed::Requests(requests(store, selection)),
        Part::Reports => Computed::Reports(Reports {
            usage: usage(store, selection, &case.people()),
            logins: logins(store, selection, &case.people()),
            workgroups: workgroups(store, selection),
        }),
        Part::People => Computed::People(people_view(case, &selection.rows)),
        Part::Findings => Computed::Findings(findings_view(case, &filter, selection)),
    };
    Analysis { filter, computed }
}

/// An entry of the Nodes view as its details show it: activity, users and
/// who could see it.
#[derive(Debug, Clone, Default)]
pub struct NodeActivity {
    pub activity: Option<Activity>,
    /// The entry's matched events, in time order.
    pub rows: Vec<u32>,
    /// Events per user, most first.
    pub users: Vec<(String, u64)>,
    /// Who could see it, with the evidence.
    pub visible_by: Vec<VisibleBy>,
}

/// The activity of `row` among the events of `selection`.
pub fn compute_node_activity(case: &Case, row: &NodeRow, selection: &Selection) -> NodeActivity {
    let store = &case.store;
    let rows = rows_of(store, row, selection);
    let events = &store.events;
    NodeActivity {
        activity: activity(events, &rows, ACTIVITY_BUCKETS),
        users: by_person(case, text_counts(events, TextField::Actor, &rows)),
        visible_by: visible_by(case, row),
        rows,
    }
}

/// Actor counts with each person's identifiers summed under its name
/// (once persons are decided), most first.
fn by_person(case: &Case, counts: Vec<(String, u64)>) -> Vec<(String, u64)> {
    let people = case.people();
    if people.persons.is_empty() {
        return counts;
    }
    let mut merged: Vec<(String, u64)> = Vec::new();
    for (actor, count) in counts {
        let name = people
            .person_of(&actor)
            .map_or(actor, |person| person.name.clone());
        match merged.iter_mut().find(|(n, _)| *n == name) {
            Some(entry) => entry.1 += count,
            None => merged.push((name, count)),
        }
    }
    merged.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_of_a_list_ignore_its_own_criterion() {
        use crate::model::{EventDraft, Outcome, Store, System};
        let mut store = Store::default();
        for (i, (actor, outcome)) in [
            ("bob", Outcome::Success),
            ("alice", Outcome::Failure),
            ("bob", Outcome::Failure),
        ]
        .into_iter()
        .enumerate()
        {
            let mut draft = EventDraft::new(System::Pydio, i as i64 * 1000, i as u64 + 1);
            draft.set(TextField::Actor, actor);
            draft.outcome = outcome;
            store.events.push(&draft, 0);
        }
        let filter = Filter {
            users: vec!["bob".into()],
            ..Filter::default()
        };
        let case = Case::new(store);
        let view = compute_view(&case, &filter, Sort::default(), &AtomicBool::new(false))
            .unwrap()
            .unwrap();
        assert_eq!(view.selection.rows, [0, 2]);
        // Users are counted without the user criterion, outcomes with it.
        assert_eq!(
            view.facets.users,
            [("bob".to_string(), 2), ("alice".to_string(), 1)]
        );
        assert_eq!(view.facets.outcomes[Outcome::Failure as usize], 1);
        assert_eq!(
            view.timeline.map(|t| t.size.name().into_owned()).as_deref(),
            Some("second")
        );
        assert_eq!(*view.order, [0, 2]);
        assert!(
            compute_view(&case, &filter, Sort::default(), &AtomicBool::new(true))
                .unwrap()
                .is_none()
        );
    }
}
