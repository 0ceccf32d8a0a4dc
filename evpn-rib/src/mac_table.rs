//! An EVI's MAC table: an ordered index from (Ethernet tag, MAC) to a
//! 32-bit slot, and the entries in a slab of fixed-size chunks. Compared
//! with a `Box` per entry in the index, this saves the pointer in the index
//! (a `u32` instead) and an allocation (and its allocator header) per MAC;
//! a chunk is allocated whole, so at most one chunk is partly unused.
//! Iteration is in key order, as with the `BTreeMap` of boxes it replaces.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use crate::rib::{MacEntry, MacKey};

/// Entries per chunk (about 90 KB).
const CHUNK: usize = 1024;

#[derive(Debug, Clone, Default)]
pub(crate) struct MacTable {
    index: BTreeMap<MacKey, u32>,
    /// Chunk `i` holds slots `i * CHUNK ..`; every chunk but the last is
    /// full.
    chunks: Vec<Vec<MacEntry>>,
    /// Slots of removed entries (holding an empty entry), reused first.
    free: Vec<u32>,
}

impl MacTable {
    fn slot(&self, i: u32) -> &MacEntry {
        let i = i as usize;
        &self.chunks[i / CHUNK][i % CHUNK]
    }

    fn slot_mut(&mut self, i: u32) -> &mut MacEntry {
        let i = i as usize;
        &mut self.chunks[i / CHUNK][i % CHUNK]
    }

    pub(crate) fn get(&self, key: &MacKey) -> Option<&MacEntry> {
        self.index.get(key).map(|&i| self.slot(i))
    }

    pub(crate) fn get_mut(&mut self, key: &MacKey) -> Option<&mut MacEntry> {
        let i = *self.index.get(key)?;
        Some(self.slot_mut(i))
    }

    /// The entry of `key`, an empty one inserted if there is none (one
    /// walk of the index either way).
    pub(crate) fn get_or_default(&mut self, key: MacKey) -> &mut MacEntry {
        let i = match self.index.entry(key) {
            Entry::Occupied(e) => *e.get(),
            Entry::Vacant(v) => {
                let i = match self.free.pop() {
                    Some(i) => i,
                    None => {
                        if self.chunks.last().is_none_or(|c| c.len() == CHUNK) {
                            self.chunks.push(Vec::with_capacity(CHUNK));
                        }
                        let n = (self.chunks.len() - 1) * CHUNK;
                        let last = self.chunks.last_mut().expect("pushed above");
                        let i =
                            u32::try_from(n + last.len()).expect("fewer than 2^32 MACs per EVI");
                        last.push(MacEntry::default());
                        i
                    }
                };
                *v.insert(i)
            }
        };
        self.slot_mut(i)
    }

    /// Removes the entry of `key`, if any.
    pub(crate) fn remove(&mut self, key: &MacKey) {
        if let Some(i) = self.index.remove(key) {
            *self.slot_mut(i) = MacEntry::default();
            self.free.push(i);
        }
    }

    /// The entries in key order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&MacKey, &MacEntry)> + '_ {
        self.index.iter().map(|(k, &i)| (k, self.slot(i)))
    }
}

#[cfg(test)]
mod tests {
    use super::{CHUNK, MacTable};
    use bgp_evpn_wire::types::EthernetTag;
    use macaddr::MacAddr6;

    fn key(i: u32) -> (EthernetTag, MacAddr6) {
        let b = i.to_be_bytes();
        (EthernetTag(0), MacAddr6::new(0, 0, b[0], b[1], b[2], b[3]))
    }

    #[test]
    fn slots_are_reused_and_iteration_is_ordered() {
        let mut t = MacTable::default();
        let n = 2 * CHUNK as u32 + 5;
        for i in (0..n).rev() {
            t.get_or_default(key(i))
                .set_fdb(Some((i, crate::io::FdbCause::Learn)));
        }
        assert_eq!(t.chunks.len(), 3);
        assert!(t.iter().map(|(k, _)| *k).eq((0..n).map(key)));
        for i in (0..n).step_by(2) {
            t.remove(&key(i));
        }
        assert!(t.get(&key(0)).is_none());
        assert_eq!(t.get(&key(1)).and_then(|e| e.fdb()).map(|f| f.0), Some(1));
        for i in (0..n).step_by(2) {
            assert!(t.get_or_default(key(i)).fdb().is_none(), "a fresh entry");
        }
        assert!(t.free.is_empty());
        assert_eq!(t.chunks.len(), 3, "freed slots reused");
        assert!(t.iter().map(|(k, _)| *k).eq((0..n).map(key)));
    }
}
