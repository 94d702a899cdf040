//! Fuzzes the pydio-log importer (zap's console format, syslog, journald
//! and compose prefixes, continuation lines): a console line, then
//! whatever the fuzzer writes.
#![no_main]

#[path = "importer.rs"]
mod importer;

libfuzzer_sys::fuzz_target!(|data: &[u8]| importer::fuzz_importer(
    "2022-04-07T03:51:31.606Z\tERROR\tpydio.rest.frontend\tRest Error 401\t{\"error\": \"x\"}\n",
    data
));
