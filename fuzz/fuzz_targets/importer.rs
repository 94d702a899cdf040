//! What every importer target does: the format's header, then the fuzzer's
//! bytes, as one file; every record must be an event, a Directory record
//! or a reject. Included by each target with `#[path]`.

pub fn fuzz_importer(prefix: &str, data: &[u8]) {
    let bytes = [prefix.as_bytes(), data].concat();
    if let Ok((_, parsed)) = auditview::sources::parse_in_memory(&bytes) {
        assert!(parsed.rows >= parsed.events.len() as u64 + parsed.rejected());
    }
}
