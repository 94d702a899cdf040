//! Fuzzes the basespace-login-csv importer: its header, then whatever the fuzzer writes.
#![no_main]

#[path = "importer.rs"]
mod importer;

libfuzzer_sys::fuzz_target!(|data: &[u8]| importer::fuzz_importer(
    "Date,Category,Client-address,Application,User-email,Domain-name,Event-type\n",
    data
));
