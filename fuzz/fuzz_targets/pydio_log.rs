//! Fuzzes the pydio-audit-jsonl importer: its header, then whatever the fuzzer writes.
#![no_main]

#[path = "importer.rs"]
mod importer;

libfuzzer_sys::fuzz_target!(|data: &[u8]| importer::fuzz_importer(
    "{\"level\":\"info\",\"ts\":\"2024-03-15T08:02:11+01:00\",\"msg\":\"Created workspace [a]\",\"LogType\":\"audit\"}\n",
    data
));
