//! A bounded walk over one record of a MaxMind DB's data section, before
//! the reader decodes it. The reader follows pointers without limit while
//! skipping values it is not asked for, so a hostile database (a pointer to
//! the map holding it, an array of a million pointers to one big array) could
//! recurse until the stack overflows or work for ever. A record that needs
//! more than `MAX_DEPTH` nested values or `MAX_VALUES` values in all is
//! damaged, said as such; real records (a city with names in eight
//! languages) hold a few hundred.

/// Nesting, pointers included (real records: under 10).
pub const MAX_DEPTH: usize = 32;
/// Values visited for one record, pointers followed.
pub const MAX_VALUES: usize = 100_000;

const POINTER: u8 = 1;
const STRING: u8 = 2;
const DOUBLE: u8 = 3;
const BYTES: u8 = 4;
const MAP: u8 = 7;
const ARRAY: u8 = 11;
const CONTAINER: u8 = 12;
const END_MARKER: u8 = 13;
const BOOL: u8 = 14;
const FLOAT: u8 = 15;

/// Checks the record at `offset` of `data` (the data section: pointers and
/// offsets count from its start).
pub fn check_record(data: &[u8], offset: usize) -> Result<(), String> {
    let mut walk = Walk { data, values: 0 };
    walk.value(offset, 0).map(|_| ())
}

struct Walk<'a> {
    data: &'a [u8],
    values: usize,
}

impl Walk<'_> {
    fn byte(&self, at: usize) -> Result<u8, String> {
        self.data
            .get(at)
            .copied()
            .ok_or_else(|| format!("a value runs past the data section at {at}"))
    }

    /// Walks the value at `at`; returns where the next value starts.
    fn value(&mut self, at: usize, depth: usize) -> Result<usize, String> {
        self.values += 1;
        if self.values > MAX_VALUES {
            return Err(format!("a record holds more than {MAX_VALUES} values"));
        }
        if depth > MAX_DEPTH {
            return Err(format!("a record nests deeper than {MAX_DEPTH} values"));
        }
        let control = self.byte(at)?;
        let mut next = at + 1;
        let mut kind = control >> 5;
        if kind == POINTER {
            let extra = usize::from((control >> 3) & 0x3);
            let low = usize::from(control & 0x7);
            let mut bytes = [0usize; 4];
            for (i, slot) in bytes.iter_mut().enumerate().take(extra + 1) {
                *slot = usize::from(self.byte(next + i)?);
            }
            let target = match extra {
                0 => (low << 8) | bytes[0],
                1 => ((low << 16) | (bytes[0] << 8) | bytes[1]) + 2048,
                2 => ((low << 24) | (bytes[0] << 16) | (bytes[1] << 8) | bytes[2]) + 526_336,
                _ => (bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3],
            };
            self.value(target, depth + 1)?;
            return Ok(next + extra + 1);
        }
        if kind == 0 {
            kind = self.byte(next)?.saturating_add(7);
            next += 1;
        }
        let mut size = usize::from(control & 0x1f);
        if size >= 29 {
            let extra = size - 28;
            let mut value = 0usize;
            for i in 0..extra {
                value = (value << 8) | usize::from(self.byte(next + i)?);
            }
            next += extra;
            size = match extra {
                1 => 29 + value,
                2 => 285 + value,
                _ => 65_821 + value,
            };
        }
        match kind {
            MAP => {
                for _ in 0..size {
                    next = self.value(next, depth + 1)?;
                    next = self.value(next, depth + 1)?;
                }
                Ok(next)
            }
            ARRAY => {
                for _ in 0..size {
                    next = self.value(next, depth + 1)?;
                }
                Ok(next)
            }
            BOOL => Ok(next),
            DOUBLE | FLOAT | STRING | BYTES | 5 | 6 | 8 | 9 | 10 => {
                let end = next
                    .checked_add(size)
                    .filter(|end| *end <= self.data.len())
                    .ok_or_else(|| format!("a value runs past the data section at {at}"))?;
                Ok(end)
            }
            CONTAINER | END_MARKER => Err(format!("a reserved value type ({kind}) at {at}")),
            other => Err(format!("an unknown value type ({other}) at {at}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pointer_to_the_map_holding_it_is_refused_not_followed_for_ever() {
        // A map of one entry: key "a" -> a pointer back to the map (offset 0).
        let data = [0xe1, 0x41, b'a', 0x20, 0x00];
        let error = check_record(&data, 0).unwrap_err();
        assert!(error.contains("nests deeper"), "{error}");
    }

    #[test]
    fn arrays_of_pointers_to_arrays_are_refused_before_they_multiply() {
        // Offset 0: an array of 200 pointers to offset 0 again would be
        // 200^32 values; the budget stops it.
        let mut data = vec![29, 0x04, 200 - 29];
        for _ in 0..200 {
            data.extend([0x20, 0x00]);
        }
        let error = check_record(&data, 0).unwrap_err();
        assert!(error.contains("values"), "{error}");
    }

    #[test]
    fn an_ordinary_record_passes() {
        // {"en": "Tokyo"}
        let data = [0xe1, 0x42, b'e', b'n', 0x45, b'T', b'o', b'k', b'y', b'o'];
        assert!(check_record(&data, 0).is_ok());
        assert!(check_record(&data[..6], 0).is_err());
    }
}
