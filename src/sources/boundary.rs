//! Where a chunk of records may end, found incrementally: each byte of a
//! growing buffer is looked at once, however long a record is, so a record
//! with no end costs linear time (it was rescanned for every block read).
//!
//! CSV follows the csv crate's reading: a quote opens a quoted field only at
//! the start of a field (a `"` inside an unquoted field is a character), `""`
//! inside quotes is a quote, and outside quotes a newline, a carriage return
//! or both end a record. Commas need not be looked at: whether a quote starts
//! a field is told by the byte before it.

use super::input::Splitter;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Where the CSV scan stands after the bytes seen so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Csv {
    Outside,
    Quoted,
    /// Just after a quote inside a quoted field: `""`, or the closing quote.
    QuoteInQuoted,
    /// Just after a carriage return outside quotes, at the end of the data:
    /// a record ends there unless a newline follows.
    AfterCr,
}

/// Finds the last record boundary of a buffer that grows at its end and is
/// cut at its front (`consume`).
#[derive(Debug, Clone)]
pub struct Boundaries {
    splitter: Splitter,
    csv: Csv,
    /// The byte before the buffer's first one, when the buffer does not
    /// start a record (its front was cut inside a record).
    before_start: Option<u8>,
    /// Bytes of the buffer already scanned, and the last of them.
    scanned: usize,
    last_byte: Option<u8>,
    /// The end (exclusive) of the last complete record found.
    last: Option<usize>,
    /// The end of the first complete record found since the last `consume`.
    first: Option<usize>,
}

impl Boundaries {
    /// A scanner for a buffer that starts at a record boundary.
    pub fn new(splitter: Splitter) -> Boundaries {
        Boundaries {
            splitter,
            csv: Csv::Outside,
            before_start: None,
            scanned: 0,
            last_byte: None,
            last: None,
            first: None,
        }
    }

    /// The end of the last complete record in `data` (the whole buffer,
    /// of which the first `scanned` bytes were seen before).
    pub fn last_in(&mut self, data: &[u8]) -> Option<usize> {
        let from = self.scanned.min(data.len());
        match self.splitter {
            Splitter::Lines => {
                let new = &data[from..];
                if let Some(i) = memchr::memrchr(b'\n', new) {
                    self.last = Some(from + i + 1);
                    if self.first.is_none() {
                        self.first = memchr::memchr(b'\n', new).map(|i| from + i + 1);
                    }
                }
            }
            Splitter::Csv => self.scan_csv(data, from),
            Splitter::Records => {
                self.scanned = self.scan_records(data, from);
                self.last_byte = data.last().copied().or(self.last_byte);
                return self.last;
            }
            Splitter::Whole => {}
        }
        self.scanned = data.len();
        self.last_byte = data.last().copied().or(self.last_byte);
        self.last
    }

    /// Line ends followed by a line that starts a record. Returns where
    /// the next scan starts: the first line end whose next line is not in
    /// far enough to tell, else the end of the data.
    fn scan_records(&mut self, data: &[u8], from: usize) -> usize {
        let mut at = from;
        while let Some(i) = memchr::memchr(b'\n', &data[at..]) {
            let start = at + i + 1;
            let rest = &data[start..];
            let line = match memchr::memchr(b'\n', rest) {
                Some(end) => &rest[..end],
                None if rest.len() >= super::pydio_console::LOOKAHEAD => rest,
                None => return at + i,
            };
            if super::pydio_console::starts_record(line) {
                self.found(start);
            }
            at = start;
        }
        data.len()
    }

    fn found(&mut self, end: usize) {
        self.last = Some(end);
        self.first.get_or_insert(end);
    }

    fn scan_csv(&mut self, data: &[u8], from: usize) {
        let mut state = self.csv;
        let mut at = from;
        loop {
            match state {
                Csv::Quoted => match memchr::memchr(b'"', &data[at..]) {
                    Some(step) => {
                        at += step + 1;
                        state = Csv::QuoteInQuoted;
                    }
                    None => break,
                },
                Csv::QuoteInQuoted | Csv::AfterCr if at == data.len() => break,
                Csv::QuoteInQuoted if data[at] == b'"' => {
                    at += 1;
                    state = Csv::Quoted;
                }
                Csv::AfterCr if data[at] != b'\n' => {
                    self.found(at);
                    state = Csv::Outside;
                }
                // The byte after is read outside quotes.
                Csv::QuoteInQuoted | Csv::AfterCr => state = Csv::Outside,
                Csv::Outside => {
                    let Some(step) = memchr::memchr3(b'"', b'\n', b'\r', &data[at..]) else {
                        break;
                    };
                    let i = at + step;
                    at = i + 1;
                    match data[i] {
                        b'\n' => self.found(at),
                        b'\r' => match data.get(at) {
                            Some(b'\n') => {}
                            Some(_) => self.found(at),
                            None => state = Csv::AfterCr,
                        },
                        _ => {
                            // A byte order mark opening the buffer is not
                            // a character for the csv crate: it drops it.
                            let after_bom = i == BOM.len()
                                && self.before_start.is_none()
                                && data.starts_with(BOM);
                            let before = match i {
                                0 => self.before_start,
                                _ if after_bom => None,
                                _ => Some(data[i - 1]),
                            };
                            if matches!(before, None | Some(b',' | b'\n' | b'\r')) {
                                state = Csv::Quoted;
                            }
                        }
                    }
                }
            }
        }
        self.csv = state;
    }

    /// The end of the first complete record seen since the last `consume`
    /// (call `last_in` first).
    pub fn first(&self) -> Option<usize> {
        self.first
    }

    /// The buffer's first `cut` bytes were taken away: up to a boundary, or
    /// every byte scanned (inside a record being skipped). A later `first`
    /// is only known again for bytes scanned after this.
    pub fn consume(&mut self, cut: usize) {
        let at_boundary = cut == 0 || self.last == Some(cut) || self.first == Some(cut);
        self.before_start = if at_boundary { None } else { self.last_byte };
        self.scanned = self.scanned.saturating_sub(cut);
        self.last = self.last.filter(|&l| l > cut).map(|l| l - cut);
        self.first = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_crate_records(data: &[u8]) -> Vec<csv::ByteRecord> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(data)
            .byte_records()
            .map(|r| r.expect("the csv crate reads any bytes"))
            .collect()
    }

    /// The oracle: the last newline where cutting the data in two leaves
    /// the csv crate reading the same records, in the same order, whatever
    /// follows (a plain byte is added so that the end is not a free cut).
    fn csv_crate_last_boundary(data: &[u8]) -> Option<usize> {
        let more = [data, b"x"].concat();
        let whole = csv_crate_records(&more);
        // A record ends after a newline, or after a carriage return that no
        // newline follows (not known yet at the end of the data).
        let ends_record = |p: usize| {
            data[p - 1] == b'\n' || (data[p - 1] == b'\r' && p < data.len() && data[p] != b'\n')
        };
        (1..=data.len()).rev().find(|&p| {
            ends_record(p) && {
                let mut parts = csv_crate_records(&more[..p]);
                parts.extend(csv_crate_records(&more[p..]));
                parts == whole
            }
        })
    }

    #[test]
    fn a_quote_inside_an_unquoted_field_is_a_character() {
        // Taken as opening a quote before: in a file over one chunk the
        // record after it was cut in two.
        let data = b"a,5\" disk,b\nc,\"x\ny\",d\ne,f";
        let mut scanner = Boundaries::new(Splitter::Csv);
        assert_eq!(scanner.last_in(data), Some(22));
        assert_eq!(csv_crate_last_boundary(data), Some(22));
    }

    #[test]
    fn the_scanner_agrees_with_the_csv_crate_on_every_small_input() {
        // Every string of up to 6 bytes over the alphabet that matters,
        // fed whole and fed one byte at a time.
        let alphabet = [b'"', b',', b'\n', b'\r', b'a'];
        let mut data = Vec::new();
        for len in 0..=6u32 {
            for mut n in 0..alphabet.len().pow(len) {
                data.clear();
                for _ in 0..len {
                    data.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                let expected = csv_crate_last_boundary(&data);
                let mut whole = Boundaries::new(Splitter::Csv);
                assert_eq!(
                    whole.last_in(&data),
                    expected,
                    "{:?}",
                    String::from_utf8_lossy(&data)
                );
                let mut bytewise = Boundaries::new(Splitter::Csv);
                let mut found = None;
                for end in 0..=data.len() {
                    found = bytewise.last_in(&data[..end]);
                }
                assert_eq!(
                    found,
                    expected,
                    "bytewise {:?}",
                    String::from_utf8_lossy(&data)
                );
            }
        }
    }

    #[test]
    fn consuming_a_prefix_keeps_the_scan_of_the_rest() {
        let mut scanner = Boundaries::new(Splitter::Csv);
        let mut buffer = b"a,b\nc,\"open\n".to_vec();
        assert_eq!(scanner.last_in(&buffer), Some(4));
        buffer.drain(..4);
        scanner.consume(4);
        buffer.extend_from_slice(b"still\",x\nnext");
        assert_eq!(
            scanner.last_in(&buffer),
            Some(b"c,\"open\nstill\",x\n".len())
        );
        let mut lines = Boundaries::new(Splitter::Lines);
        assert_eq!(lines.last_in(b"{}\n{}\n{"), Some(6));
        assert_eq!(lines.first(), Some(3));
        lines.consume(6);
        assert_eq!(lines.last_in(b"{"), None);
        lines.consume(1);
        assert_eq!(lines.last_in(b"{}\n{"), Some(3));
        lines.consume(3);
        assert_eq!(lines.last_in(b"{"), None);
        assert_eq!(lines.last_in(b"{}\n"), Some(3));
    }

    #[test]
    fn a_buffer_cut_inside_a_record_remembers_the_byte_before_it() {
        // While an oversized record is skipped, its bytes are dropped as they
        // come: a quote after them is a character unless a field starts there.
        let mut scanner = Boundaries::new(Splitter::Csv);
        assert_eq!(scanner.last_in(b"a,b"), None);
        scanner.consume(3);
        assert_eq!(scanner.last_in(b"\"x\n"), Some(3));
        let mut scanner = Boundaries::new(Splitter::Csv);
        assert_eq!(scanner.last_in(b"a,"), None);
        scanner.consume(2);
        assert_eq!(scanner.last_in(b"\"x\ny\"\n"), Some(6));
    }

    #[test]
    fn newlines_inside_quotes_end_nothing_and_whole_files_have_no_boundary() {
        let data = b"a,\"x\ny\",b\nc,\"open\nstill";
        assert_eq!(Boundaries::new(Splitter::Csv).last_in(data), Some(10));
        assert_eq!(Boundaries::new(Splitter::Lines).last_in(data), Some(18));
        assert_eq!(Boundaries::new(Splitter::Whole).last_in(data), None);
        assert_eq!(Boundaries::new(Splitter::Csv).last_in(b"no newline"), None);
    }

    #[test]
    fn a_quote_after_a_leading_byte_order_mark_opens_a_field() {
        // Found by the csv_boundary fuzz target: the csv crate drops the
        // mark, so the quote starts the first field and the newline is
        // inside it.
        let data = b"\xEF\xBB\xBF\",\n2024\"";
        let mut scanner = Boundaries::new(Splitter::Csv);
        assert_eq!(scanner.last_in(data), None);
    }
}
