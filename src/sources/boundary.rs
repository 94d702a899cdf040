//! Where a chunk of records may end, found incrementally: each byte of a
//! growing buffer is looked at once, however long a record is, so a record
//! with no end costs linear time (it was rescanned for every block read).
//!
//! CSV follows the csv crate's reading: a quote opens a quoted field only at
//! the start of a field (a `"` inside an unquoted field is a character), `""`
//! inside quotes is a quote, and a newline ends a record only outside quotes.

use super::input::Splitter;

/// Where the CSV scan stands after the bytes seen so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Csv {
    FieldStart,
    Unquoted,
    Quoted,
    /// Just after a quote inside a quoted field: `""`, or the closing quote.
    QuoteInQuoted,
}

/// Finds the last record boundary of a buffer that grows at its end and is
/// cut at its front (`consume`).
#[derive(Debug, Clone)]
pub struct Boundaries {
    splitter: Splitter,
    csv: Csv,
    /// Bytes of the buffer already scanned.
    scanned: usize,
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
            csv: Csv::FieldStart,
            scanned: 0,
            last: None,
            first: None,
        }
    }

    /// The end of the last complete record in `data` (the whole buffer,
    /// of which the first `scanned` bytes were seen before).
    pub fn last_in(&mut self, data: &[u8]) -> Option<usize> {
        let new = &data[self.scanned.min(data.len())..];
        let offset = self.scanned;
        match self.splitter {
            Splitter::Lines => {
                if let Some(i) = memchr::memrchr(b'\n', new) {
                    self.last = Some(offset + i + 1);
                    if self.first.is_none() {
                        self.first = memchr::memchr(b'\n', new).map(|i| offset + i + 1);
                    }
                }
            }
            Splitter::Csv => self.scan_csv(new, offset),
            Splitter::Whole => {}
        }
        self.scanned = data.len();
        self.last
    }

    fn scan_csv(&mut self, new: &[u8], offset: usize) {
        let mut state = self.csv;
        let mut at = 0;
        while at < new.len() {
            // Inside quotes only a quote matters; elsewhere a quote, a comma
            // or a newline.
            let next = match state {
                Csv::Quoted => memchr::memchr(b'"', &new[at..]),
                _ => memchr::memchr3(b'"', b',', b'\n', &new[at..]),
            };
            let Some(step) = next else {
                // Ran out inside a field: plain bytes at a field's start
                // or after a closing quote make the field unquoted.
                if matches!(state, Csv::FieldStart | Csv::QuoteInQuoted) {
                    state = Csv::Unquoted;
                }
                break;
            };
            let i = at + step;
            let byte = new[i];
            state = match (state, byte) {
                (Csv::Quoted, _) => Csv::QuoteInQuoted,
                (Csv::QuoteInQuoted, b'"') if step == 0 => Csv::Quoted,
                (Csv::QuoteInQuoted, _) if step > 0 => {
                    // Characters after a closing quote: the field goes on unquoted.
                    self.boundary_or(Csv::Unquoted, byte, offset + i)
                }
                (Csv::FieldStart, b'"') if step == 0 => Csv::Quoted,
                (Csv::FieldStart | Csv::Unquoted | Csv::QuoteInQuoted, b'"') => Csv::Unquoted,
                (_, byte) => self.boundary_or(Csv::FieldStart, byte, offset + i),
            };
            at = i + 1;
        }
        self.csv = state;
    }

    /// After a comma a field starts; after a newline a record starts too.
    fn boundary_or(&mut self, on_quote: Csv, byte: u8, position: usize) -> Csv {
        match byte {
            b'\n' => {
                self.last = Some(position + 1);
                self.first.get_or_insert(position + 1);
                Csv::FieldStart
            }
            b',' => Csv::FieldStart,
            _ => on_quote,
        }
    }

    /// The end of the first complete record seen since the last `consume`
    /// (call `last_in` first).
    pub fn first(&self) -> Option<usize> {
        self.first
    }

    /// The buffer's first `cut` bytes (up to a boundary) were taken away.
    /// A later `first` is only known again for bytes scanned after this.
    pub fn consume(&mut self, cut: usize) {
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
        (1..=data.len()).rev().find(|&p| {
            data[p - 1] == b'\n' && {
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
        let alphabet = [b'"', b',', b'\n', b'a'];
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
}
