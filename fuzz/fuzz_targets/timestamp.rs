//! Fuzzes the timestamp parser: accepted instants lie in the years 0000-9999
//! and show in any zone without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(instant) = auditview::sources::timestamp::parse_timestamp(text) {
        assert!(auditview::time::is_supported(instant.utc_ms));
        let zone = auditview::time::Zone::parse("Pacific/Kiritimati").unwrap();
        let _ = zone.format(instant.utc_ms);
        let _ = auditview::time::format_utc(instant.utc_ms);
    }
});
