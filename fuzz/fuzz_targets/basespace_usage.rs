//! Fuzzes the basespace-usage-csv importer: its header, then whatever the fuzzer writes.
#![no_main]

#[path = "importer.rs"]
mod importer;

libfuzzer_sys::fuzz_target!(|data: &[u8]| importer::fuzz_importer(
    "User Name,Total Sessions,Last Login,Access Counts,Registration Date,Login\n",
    data
));
