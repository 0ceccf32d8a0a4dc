//! A reference-counted interner: values that many MAC entries share (FDB
//! targets, received path attributes, peers and RDs) are stored once and
//! referred to by a 32-bit index. A slot is freed when its last reference
//! is released and reused by the next new value.
//!
//! Indices say nothing about the values' order: whatever must be ordered
//! (tables, ranking, outputs) compares the values, never the indices, so
//! outputs do not depend on the order values were first seen.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hash, Hasher, RandomState};
use std::sync::Arc;

/// A fast hasher for the interners' small keys (the Fx hash of rustc: a
/// rotate, xor and multiply per word), started from a random seed per
/// table, so the keys a peer sends cannot be chosen to collide without
/// knowing it. SipHash (the `std` default) was a seventh of the time of a
/// route update. Which slot a value gets never shows in the outputs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    const K: u64 = 0x517c_c1b7_2722_0a95;

    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u16(&mut self, i: u16) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// Builds [`FxHasher`]s from a seed drawn once per table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FxSeeded {
    seed: u64,
}

impl Default for FxSeeded {
    fn default() -> Self {
        FxSeeded {
            seed: RandomState::new().hash_one(0u8),
        }
    }
}

impl BuildHasher for FxSeeded {
    type Hasher = FxHasher;

    fn build_hasher(&self) -> FxHasher {
        FxHasher { hash: self.seed }
    }
}

/// An index into an [`Interner`].
pub(crate) type Id = u32;

#[derive(Debug, Clone)]
pub(crate) struct Interner<T> {
    /// The value and its reference count (0: a free slot, its value stale).
    slots: Vec<(T, u32)>,
    index: HashMap<T, Id, FxSeeded>,
    free: Vec<Id>,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            slots: Vec::new(),
            index: HashMap::default(),
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
    set: HashSet<Arc<T>, FxSeeded>,
    sweep_at: usize,
}

impl<T> Default for ArcSet<T> {
    fn default() -> Self {
        ArcSet {
            set: HashSet::default(),
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
    use super::{ArcSet, FxSeeded, Interner};
    use std::hash::BuildHasher;
    use std::sync::Arc;

    #[test]
    fn fx_hashes_differ_and_arcs_are_shared() {
        let b = FxSeeded::default();
        assert_ne!(b.hash_one([1u8, 2, 3]), b.hash_one([1u8, 2, 4]));
        assert_ne!(b.hash_one("a"), b.hash_one("b"));
        let mut set = ArcSet::default();
        let a = set.get(&"x".to_string());
        assert!(Arc::ptr_eq(&a, &set.get(&"x".to_string())));
        assert_eq!(*set.get(&"y".to_string()), "y");
    }

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
