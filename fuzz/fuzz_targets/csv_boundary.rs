//! Differential: where the loader may cut a CSV into chunks, the csv crate
//! must read the same records from the two parts as from the whole.
#![no_main]

use libfuzzer_sys::fuzz_target;

use auditview::sources::boundary::Boundaries;
use auditview::sources::input::Splitter;

fn records(data: &[u8]) -> Vec<csv::ByteRecord> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data)
        .byte_records()
        .map(|r| r.expect("the csv crate reads any bytes"))
        .collect()
}

fuzz_target!(|data: &[u8]| {
    if data.len() > 4096 {
        return;
    }
    // Fed in two pieces, as blocks arrive.
    let half = data.len() / 2;
    let mut scanner = Boundaries::new(Splitter::Csv);
    scanner.last_in(&data[..half]);
    let Some(cut) = scanner.last_in(data) else {
        return;
    };
    let more = [data, b"x"].concat();
    // The csv crate drops a byte order mark at the start of its input: a
    // part starting with one reads differently, whatever the cut.
    if more[cut..].starts_with(b"\xEF\xBB\xBF") {
        return;
    }
    let mut parts = records(&more[..cut]);
    parts.extend(records(&more[cut..]));
    assert_eq!(parts, records(&more), "cut at {cut}");
});
