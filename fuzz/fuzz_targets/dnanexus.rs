//! Fuzzes the dnanexus-audit-csv importer: its header, then whatever the fuzzer writes.
#![no_main]

#[path = "importer.rs"]
mod importer;

libfuzzer_sys::fuzz_target!(|data: &[u8]| importer::fuzz_importer(
    "Timestamp,IP Address,User Agent,Acting User ID,Action,Object ID,Object Name,Project ID,Project Name,Success Status,Info,Label,Auth Token\n",
    data
));
