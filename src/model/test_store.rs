//! Small hand-made stores for the analysis unit tests.

use crate::model::{
    Category, EventDraft, EventTable, Format, NodeType, Outcome, ResourceKind, Store, System,
    TextField,
};

/// One event of a test store; rows are one minute apart, in the given order.
#[derive(Debug, Clone)]
pub struct TestEvent {
    pub actor: &'static str,
    pub action: &'static str,
    pub path: &'static str,
    pub node_type: NodeType,
    pub category: Category,
    pub kind: ResourceKind,
    pub resource: &'static str,
    pub ip: &'static str,
    pub request: &'static str,
    pub details: &'static str,
    pub outcome: Outcome,
}

impl Default for TestEvent {
    fn default() -> Self {
        TestEvent {
            actor: "",
            action: "",
            path: "",
            node_type: NodeType::Unknown,
            category: Category::Read,
            kind: ResourceKind::None,
            resource: "",
            ip: "",
            request: "",
            details: "",
            outcome: Outcome::Success,
        }
    }
}

/// A store of one source, `test.log`, with `events` on lines 1, 2, ...
pub fn store_from(events: &[TestEvent]) -> Store {
    let mut table = EventTable::new();
    for (i, e) in events.iter().enumerate() {
        let mut draft = EventDraft::new(
            System::Pydio,
            1_710_000_000_000 + i as i64 * 60_000,
            i as u64 + 1,
        );
        draft.category = e.category;
        draft.outcome = e.outcome;
        draft.node_type = e.node_type;
        draft.resource_kind = e.kind;
        draft.set(TextField::Actor, e.actor);
        draft.set(TextField::Action, e.action);
        draft.set(TextField::NodePath, e.path);
        draft.set(TextField::Resource, e.resource);
        draft.set(TextField::Ip, e.ip);
        draft.set(TextField::RequestId, e.request);
        draft.set(TextField::Details, e.details);
        table.push(&draft, 0);
    }
    Store::of_events("test.log", Format::PydioAuditJsonl, table)
}

/// A store of read events: (actor, action, path, node type).
pub fn store_of(events: &[(&'static str, &'static str, &'static str, NodeType)]) -> Store {
    let events: Vec<TestEvent> = events
        .iter()
        .map(|&(actor, action, path, node_type)| TestEvent {
            actor,
            action,
            path,
            node_type,
            ..TestEvent::default()
        })
        .collect();
    store_from(&events)
}
