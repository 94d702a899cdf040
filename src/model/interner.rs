//! A string interner: each distinct string is stored once and named by a
//! dense `u32` symbol. Symbol 0 is always the empty string, so "absent" costs
//! nothing and needs no `Option`.

use std::hash::BuildHasher;

use hashbrown::HashTable;

pub type Symbol = u32;

#[derive(Debug, Clone)]
pub struct Interner {
    /// Every distinct value, back to back: one allocation, not one per value.
    text: String,
    /// `offsets[s]..offsets[s + 1]` is the text of symbol `s`.
    offsets: Vec<u64>,
    index: HashTable<Symbol>,
    hasher: hashbrown::DefaultHashBuilder,
}

impl Default for Interner {
    fn default() -> Self {
        let mut interner = Interner {
            text: String::new(),
            offsets: vec![0],
            index: HashTable::new(),
            hasher: hashbrown::DefaultHashBuilder::default(),
        };
        interner.intern("");
        interner
    }
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
        let hash = self.hasher.hash_one(value);
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
        let (text, offsets, hasher) = (&self.text, &self.offsets, &self.hasher);
        self.index.insert_unique(hash, symbol, |&s| {
            hasher.hash_one(text_of(text, offsets, s))
        });
        symbol
    }

    /// The symbol of `value` if it was ever interned.
    pub fn lookup(&self, value: &str) -> Option<Symbol> {
        let hash = self.hasher.hash_one(value);
        self.index
            .find(hash, |&s| self.resolve(s) == value)
            .copied()
    }

    pub fn resolve(&self, symbol: Symbol) -> &str {
        text_of(&self.text, &self.offsets, symbol)
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
            + self.offsets.capacity() * std::mem::size_of::<u64>()
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
