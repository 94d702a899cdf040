//! Fuzzes a GeoIP database (`.mmdb`): one found in an evidence folder is as
//! hostile as the evidence. Opening it and placing addresses must end in a
//! place or an error, never a crash, a hang or unbounded memory.
#![no_main]

use std::net::IpAddr;
use std::sync::Once;

static QUIET_PANICS: Once = Once::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // The maxminddb reader can panic on a damaged file (an arithmetic
    // overflow in its decoder, with debug assertions); auditview runs it
    // guarded and turns that into an error. libFuzzer's hook would abort at
    // the panic, before the guard: keep quiet instead. A panic anywhere else
    // still ends the run (libfuzzer-sys aborts when one escapes the target).
    QUIET_PANICS.call_once(|| std::panic::set_hook(Box::new(|_| {})));
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
