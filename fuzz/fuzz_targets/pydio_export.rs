//! Fuzzes the pydio-audit-export-json importer: its header, then whatever the fuzzer writes.
#![no_main]

#[path = "importer.rs"]
mod importer;

libfuzzer_sys::fuzz_target!(|data: &[u8]| importer::fuzz_importer("{\"Logs\":[", data));
