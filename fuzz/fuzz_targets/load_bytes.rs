//! Fuzzes detection and every importer behind it (gzip and workbooks too):
//! any bytes, as one file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = auditview::sources::parse_in_memory(data);
});
