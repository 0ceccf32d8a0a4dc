//! A reference-counted interner: values that many MAC entries share (FDB
//! targets, received path attributes, peers and RDs) are stored once and
//! referred to by a 32-bit index. A slot is freed when its last reference
//! is released and reused by the next new value.
//!
//! Indices say nothing about the values' order: whatever must be ordered
//! (tables, ranking, outputs) compares the values, never the indices, so
//! outputs do not depend on the order values were first seen.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::Arc;

/// An index into an [`Interner`].
pub(crate) type Id = u32;

#[derive(Debug, Clone)]
pub(crate) struct Interner<T> {
    /// The value and its reference count (0: a free slot, its value stale).
    slots: Vec<(T, u32)>,
    index: HashMap<T, Id>,
    free: Vec<Id>,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            slots: Vec::new(),
            index: HashMap::new(),
            free: Vec::new(),
        }
    }
}

impl<T: Clone + Eq + Hash> Interner<T> {
    /// A new reference to `value`.
    pub(crate) fn intern(&mut self, value: &T) -> Id {
        if let Some(&id) = self.index.get(value) {
            self.slots[id as usize].1 += 1;
            return id;
        }
        let id = match self.free.pop() {
            Some(id) => {
                self.slots[id as usize] = (value.clone(), 1);
                id
            }
            None => {
                let id = Id::try_from(self.slots.len()).expect("fewer than 2^32 distinct values");
                self.slots.push((value.clone(), 1));
                id
            }
        };
        self.index.insert(value.clone(), id);
        id
    }

    /// Drops one reference.
    pub(crate) fn release(&mut self, id: Id) {
        let slot = &mut self.slots[id as usize];
        debug_assert!(slot.1 > 0, "released more often than interned");
        slot.1 -= 1;
        if slot.1 == 0 {
            self.index.remove(&slot.0);
            self.free.push(id);
        }
    }

    pub(crate) fn get(&self, id: Id) -> &T {
        let slot = &self.slots[id as usize];
        debug_assert!(slot.1 > 0, "a released value");
        &slot.0
    }

    /// How many distinct values are held.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.index.len()
    }
}

/// Values shared through `Arc`s, one per distinct value: a lookup by
/// value, no index to resolve. Values no longer held elsewhere are swept
/// when the set has doubled since the last sweep (amortized O(1) per new
/// value, at most about twice the live values held).
#[derive(Debug, Clone)]
pub(crate) struct ArcSet<T> {
    set: HashSet<Arc<T>>,
    sweep_at: usize,
}

impl<T> Default for ArcSet<T> {
    fn default() -> Self {
        ArcSet {
            set: HashSet::new(),
            sweep_at: Self::MIN_SWEEP,
        }
    }
}

impl<T> ArcSet<T> {
    const MIN_SWEEP: usize = 64;
}

impl<T: Clone + Eq + Hash> ArcSet<T> {
    /// The shared `Arc` of `value`.
    pub(crate) fn get(&mut self, value: &T) -> Arc<T> {
        if let Some(a) = self.set.get(value) {
            return a.clone();
        }
        if self.set.len() >= self.sweep_at {
            self.set.retain(|a| Arc::strong_count(a) > 1);
            self.sweep_at = (2 * self.set.len()).max(Self::MIN_SWEEP);
        }
        let a = Arc::new(value.clone());
        self.set.insert(a.clone());
        a
    }
}

#[cfg(test)]
mod tests {
    use super::Interner;

    #[test]
    fn counts_references_and_reuses_slots() {
        let mut i = Interner::default();
        let a = i.intern(&"a".to_string());
        let b = i.intern(&"b".to_string());
        assert_eq!(i.intern(&"a".to_string()), a);
        assert_ne!(a, b);
        assert_eq!(i.get(a), "a");
        i.release(a);
        assert_eq!(i.get(a), "a");
        i.release(a);
        assert_eq!(i.len(), 1);
        let c = i.intern(&"c".to_string());
        assert_eq!(c, a, "the freed slot is reused");
        assert_eq!(i.get(c), "c");
        assert_eq!(i.get(b), "b");
    }
}
