//! Fuzzes the pydio-shared-resources importer: its header, then whatever the fuzzer writes.
#![no_main]

#[path = "importer.rs"]
mod importer;

libfuzzer_sys::fuzz_target!(|data: &[u8]| importer::fuzz_importer(
    "File/Folder,Resource Type,Label,Owner,Readable by,Writeable by,Workspace ID\n",
    data
));
