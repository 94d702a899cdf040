//! A synthetic in-memory case for the query and frame benchmarks: millions
//! of events with realistic cardinalities, built without parsing.

use auditview::model::{
    Category, EventDraft, EventTable, Format, NodeType, Outcome, ResourceKind, Store, System,
    TextField,
};

use crate::corpus::Rng;

/// `events` events, one every 200 ms, deterministic.
pub fn build_store(events: usize) -> Store {
    let mut table = EventTable::new();
    let mut rng = Rng::new(3);
    let base = 1_710_000_000_000i64;
    let systems = [System::Pydio, System::Dnanexus, System::Basespace];
    let kinds = [
        ResourceKind::Workspace,
        ResourceKind::Cell,
        ResourceKind::PublicLink,
        ResourceKind::Project,
    ];
    for i in 0..events {
        let mut e = EventDraft::new(*rng.pick(&systems), base + i as i64 * 200, i as u64 + 1);
        e.category = Category::ALL[rng.below(Category::ALL.len() as u64) as usize];
        e.outcome = if rng.below(30) == 0 {
            Outcome::Failure
        } else {
            Outcome::Success
        };
        e.node_type = if rng.below(5) == 0 {
            NodeType::Folder
        } else {
            NodeType::File
        };
        e.resource_kind = *rng.pick(&kinds);
        let n = rng.below(400_000);
        e.set(TextField::Actor, format!("user.{:02}", rng.below(80)));
        e.set(
            TextField::Ip,
            format!("198.51.{}.{}", rng.below(4), rng.below(250)),
        );
        e.set(
            TextField::UserAgent,
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/122.0",
        );
        e.set(
            TextField::Action,
            [
                "Retrieved object",
                "Listed folder",
                "file-download",
                "LOGIN_SUCCESS",
            ][(n % 4) as usize],
        );
        e.set(
            TextField::NodePath,
            format!("ds{}/case-{:04}/Pièces/doc_{n:06}.pdf", n % 3, n % 900),
        );
        e.set(TextField::Resource, format!("ws-{:03}", n % 40));
        e.set(TextField::Owner, format!("owner.{:02}", n % 25));
        e.set(TextField::ObjectId, format!("node-{n:08x}"));
        e.set(TextField::ObjectName, format!("doc_{n:06}.pdf"));
        e.set(TextField::RequestId, format!("req-{:08x}", i / 3));
        e.set(
            TextField::Message,
            format!("Retrieved object at ds/case-{:04}/doc_{n:06}.pdf", n % 900),
        );
        e.set(
            TextField::Details,
            format!("{{\"MsgId\":\"21\",\"SpanUuid\":\"{i:012x}\"}}"),
        );
        table.push(&e, 0);
    }
    Store::of_events("synthetic", Format::PydioAuditJsonl, table)
}
