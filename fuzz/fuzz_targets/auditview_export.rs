//! Fuzzes the auditview-export-csv importer: its header, then whatever the fuzzer writes.
#![no_main]

#[path = "importer.rs"]
mod importer;

libfuzzer_sys::fuzz_target!(|data: &[u8]| importer::fuzz_importer(
    "Time (UTC),System,Actor,IP,User Agent,Action,Category,Outcome,Node Path,Node Type,Resource Kind,Resource,Owner,Object ID,Object Name,Request ID,Token Label,Token Suffix,Message,Details,Source File,Source Line\n",
    data
));
