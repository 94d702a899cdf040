//! A string interner: each distinct string is stored once and named by a
//! dense `u32` symbol. Symbol 0 is always the empty string, so "absent" costs
//! nothing and needs no `Option`.

use std::hash::BuildHasher;

use hashbrown::HashTable;

pub type Symbol = u32;

#[derive(Debug, Clone)]
pub struct Interner {
    values: Vec<Box<str>>,
    index: HashTable<Symbol>,
    hasher: hashbrown::DefaultHashBuilder,
}

impl Default for Interner {
    fn default() -> Self {
        let mut interner = Interner {
            values: Vec::new(),
            index: HashTable::new(),
            hasher: hashbrown::DefaultHashBuilder::default(),
        };
        interner.intern("");
        interner
    }
}

impl Interner {
    pub const EMPTY: Symbol = 0;

    /// The symbol of `value`, adding it if it is new.
    pub fn intern(&mut self, value: &str) -> Symbol {
        let hash = self.hasher.hash_one(value);
        let values = &self.values;
        if let Some(&symbol) = self.index.find(hash, |&s| &*values[s as usize] == value) {
            return symbol;
        }
        let symbol =
            Symbol::try_from(self.values.len()).expect("more than 4 billion distinct strings");
        self.values.push(value.into());
        let (values, hasher) = (&self.values, &self.hasher);
        self.index
            .insert_unique(hash, symbol, |&s| hasher.hash_one(&*values[s as usize]));
        symbol
    }

    /// The symbol of `value` if it was ever interned.
    pub fn lookup(&self, value: &str) -> Option<Symbol> {
        let hash = self.hasher.hash_one(value);
        self.index
            .find(hash, |&s| &*self.values[s as usize] == value)
            .copied()
    }

    pub fn resolve(&self, symbol: Symbol) -> &str {
        self.values.get(symbol as usize).map_or("", |v| v)
    }

    /// Number of distinct strings, the empty string included.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.len() <= 1
    }

    /// Every distinct value, indexed by symbol.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &str> {
        self.values.iter().map(|v| &**v)
    }

    /// Bytes held by the strings and the index, for memory reports.
    pub fn heap_bytes(&self) -> usize {
        self.values.iter().map(|v| v.len()).sum::<usize>()
            + self.values.capacity() * std::mem::size_of::<Box<str>>()
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
