//! Fuzzes the pydio-shared-resources importer: its header, then whatever the fuzzer writes.
#![no_main]

use libfuzzer_sys::fuzz_target;

const PREFIX: &[u8] = "File/Folder,Resource Type,Label,Owner,Readable by,Writeable by,Workspace ID\n".as_bytes();

fuzz_target!(|data: &[u8]| {
    let bytes = [PREFIX, data].concat();
    if let Ok((_, parsed)) = auditview::sources::parse_in_memory(&bytes) {
        // Every record is an event, a Directory record or a reject.
        assert!(parsed.rows >= parsed.events.len() as u64 + parsed.rejected());
    }
});
