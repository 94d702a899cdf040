//! A string interner: each distinct string is stored once and named by a
//! dense `u32` symbol. Symbol 0 is always the empty string, so "absent" costs
//! nothing and needs no `Option`.

use std::hash::BuildHasher;
use std::sync::OnceLock;

use foldhash::fast::{FixedState, RandomState};
use hashbrown::HashTable;

pub type Symbol = u32;

#[derive(Debug, Clone)]
pub struct Interner {
    /// Every distinct value, back to back: one allocation, not one per value.
    text: String,
    /// `offsets[s]..offsets[s + 1]` is the text of symbol `s`.
    offsets: Vec<u64>,
    /// The hash of each symbol's text: growing the index and joining one
    /// interner into another never hash a string again.
    hashes: Vec<u64>,
    index: HashTable<Symbol>,
}

impl Default for Interner {
    fn default() -> Self {
        let mut interner = Interner {
            text: String::new(),
            offsets: vec![0],
            hashes: Vec::new(),
            index: HashTable::new(),
        };
        interner.intern("");
        interner
    }
}

/// One hasher for every interner of the process, so a hash computed while
/// parsing a chunk holds when the chunk joins the case; seeded at random
/// once per process, so crafted input cannot aim at collisions.
fn hasher() -> &'static FixedState {
    static HASHER: OnceLock<FixedState> = OnceLock::new();
    HASHER.get_or_init(|| FixedState::with_seed(RandomState::default().hash_one(0x5eed_u64)))
}

/// The text of `symbol` in `text`/`offsets` (free function so closures can
/// borrow the fields separately).
fn text_of<'a>(text: &'a str, offsets: &[u64], symbol: Symbol) -> &'a str {
    let symbol = symbol as usize;
    match (offsets.get(symbol), offsets.get(symbol + 1)) {
        (Some(&start), Some(&end)) => text.get(start as usize..end as usize).unwrap_or(""),
        _ => "",
    }
}

impl Interner {
    pub const EMPTY: Symbol = 0;

    /// The symbol of `value`, adding it if it is new.
    pub fn intern(&mut self, value: &str) -> Symbol {
        self.intern_hashed(value, hasher().hash_one(value))
    }

    /// The symbol of `value`, whose hash (by any interner) is `hash`.
    pub fn intern_hashed(&mut self, value: &str, hash: u64) -> Symbol {
        let (text, offsets) = (&self.text, &self.offsets);
        if let Some(&symbol) = self
            .index
            .find(hash, |&s| text_of(text, offsets, s) == value)
        {
            return symbol;
        }
        let symbol =
            Symbol::try_from(self.offsets.len() - 1).expect("more than 4 billion distinct strings");
        self.text.push_str(value);
        self.offsets.push(self.text.len() as u64);
        self.hashes.push(hash);
        let hashes = &self.hashes;
        self.index
            .insert_unique(hash, symbol, |&s| hashes[s as usize]);
        symbol
    }

    /// The hash `intern_hashed` takes for `symbol`'s text.
    pub fn hash_of(&self, symbol: Symbol) -> u64 {
        self.hashes
            .get(symbol as usize)
            .copied()
            .unwrap_or_default()
    }

    /// The symbol of `value` if it was ever interned.
    pub fn lookup(&self, value: &str) -> Option<Symbol> {
        let hash = hasher().hash_one(value);
        self.index
            .find(hash, |&s| self.resolve(s) == value)
            .copied()
    }

    pub fn resolve(&self, symbol: Symbol) -> &str {
        text_of(&self.text, &self.offsets, symbol)
    }

    /// Every distinct value back to back, in symbol order.
    pub fn buffer(&self) -> &str {
        &self.text
    }

    /// The symbol whose text holds the bytes `at..at + len` of `buffer()`.
    pub fn symbol_at(&self, at: usize, len: usize) -> Option<Symbol> {
        // The last symbol starting at or before `at` (empty ones share their
        // start with the next: the non-empty one is last).
        let symbol = self
            .offsets
            .partition_point(|&o| o as usize <= at)
            .checked_sub(1)?;
        let end = *self.offsets.get(symbol + 1)? as usize;
        (at + len <= end).then_some(symbol as Symbol)
    }

    /// Number of distinct strings, the empty string included.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() <= 1
    }

    /// Every distinct value, indexed by symbol.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &str> {
        (0..self.len() as Symbol).map(|s| self.resolve(s))
    }

    /// Bytes held by the strings and the index, for memory reports.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + (self.offsets.capacity() + self.hashes.capacity()) * std::mem::size_of::<u64>()
            + self.index.capacity() * (std::mem::size_of::<Symbol>() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_string_is_symbol_zero_and_values_are_deduplicated() {
        let mut interner = Interner::default();
        assert_eq!(interner.intern(""), Interner::EMPTY);
        let alice = interner.intern("alice");
        let bob = interner.intern("bob");
        assert_ne!(alice, bob);
        assert_eq!(interner.intern("alice"), alice);
        assert_eq!(interner.resolve(bob), "bob");
        assert_eq!(interner.lookup("carol"), None);
        assert_eq!(interner.len(), 3);
    }
}
