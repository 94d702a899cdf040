//! Fuzzes a saved filter (`--filter-file`, presets): read, checked,
//! described and applied to a small case without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

use auditview::index::Case;
use auditview::model::{EventDraft, EventTable, Format, Store, System, TextField};
use auditview::query::{Filter, select};

fuzz_target!(|data: &[u8]| {
    let Ok(filter) = serde_json::from_slice::<Filter>(data) else {
        return;
    };
    let _ = filter.describe();
    if filter.validate().is_err() {
        return;
    }
    let mut table = EventTable::new();
    for (i, (actor, path)) in [("alice", "ds/a/b.txt"), ("user-bob", "/x//y/"), ("", "")]
        .into_iter()
        .enumerate()
    {
        let mut draft = EventDraft::new(System::Pydio, 1_710_000_000_000 + i as i64, i as u64 + 1);
        draft.set(TextField::Actor, actor);
        draft.set(TextField::NodePath, path);
        draft.set(TextField::Ip, "192.0.2.7");
        table.push(&draft, 0);
    }
    let case = Case::new(Store::of_events("f.log", Format::PydioAuditJsonl, table));
    let selection = select(&case, &filter).expect("a valid filter selects");
    assert!(selection.rows.windows(2).all(|w| w[0] < w[1]));
});
