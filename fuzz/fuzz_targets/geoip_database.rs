//! Fuzzes a GeoIP database (`.mmdb`): one found in an evidence folder is as
//! hostile as the evidence. Opening it and placing addresses must end in a
//! place or an error, never a crash, a hang or unbounded memory.
#![no_main]

use std::net::IpAddr;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let opened = auditview::geo::GeoDatabase::from_bytes(
        "fuzz.mmdb".into(),
        "fuzz.mmdb".into(),
        data.to_vec(),
        String::new(),
    );
    if let Ok(database) = opened {
        for text in ["192.0.2.7", "198.51.100.1", "2001:db8::1", "0.0.0.0", "255.255.255.255", "::"] {
            let address: IpAddr = text.parse().expect("an address");
            let _ = database.answer(address);
        }
    }
});
