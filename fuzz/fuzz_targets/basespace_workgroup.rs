//! Fuzzes the basespace-workgroup-csv importer: its header, then whatever the fuzzer writes.
#![no_main]

#[path = "importer.rs"]
mod importer;

libfuzzer_sys::fuzz_target!(|data: &[u8]| importer::fuzz_importer(
    "Workgroup Name,Workgroup Description,Workgroup Administrator,Collaborators Outside Domain,User Name,User-email,Role,Has Access,Date Added\n",
    data
));
