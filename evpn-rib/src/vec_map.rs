//! A small ordered map on a sorted `Vec`: the per-MAC tables (received
//! paths, advertised routes) hold one or a few entries, for which a
//! `BTreeMap` costs a whole node (11 slots) per MAC. Iteration is in key
//! order, as with `BTreeMap`.

use core::cmp::Ordering;
use core::ops::Index;

///
/// A boxed slice rather than a `Vec` (16 bytes in the entry instead of
/// 24): an insert of a new key or a remove reallocates, which is rare
/// next to lookups and in-place replacements.
#[derive(Debug, Clone)]
pub(crate) struct VecMap<K, V> {
    items: Box<[(K, V)]>,
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap {
            items: Box::default(),
        }
    }
}

impl<K: Ord, V> VecMap<K, V> {
    fn find(&self, key: &K) -> Result<usize, usize> {
        self.items.binary_search_by(|(k, _)| k.cmp(key))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The entry whose key `cmp` finds equal (`cmp` orders keys as `Ord`
    /// does: a lookup by a borrowed form of the key).
    pub(crate) fn get_by(&self, cmp: impl Fn(&K) -> Ordering) -> Option<(&K, &V)> {
        let i = self.items.binary_search_by(|(k, _)| cmp(k)).ok()?;
        let (k, v) = &self.items[i];
        Some((k, v))
    }

    pub(crate) fn get_mut_by(&mut self, cmp: impl Fn(&K) -> Ordering) -> Option<&mut V> {
        let i = self.items.binary_search_by(|(k, _)| cmp(k)).ok()?;
        Some(&mut self.items[i].1)
    }

    pub(crate) fn remove_by(&mut self, cmp: impl Fn(&K) -> Ordering) -> Option<V> {
        let i = self.items.binary_search_by(|(k, _)| cmp(k)).ok()?;
        let mut items = Vec::from(core::mem::take(&mut self.items));
        let (_, v) = items.remove(i);
        self.items = items.into_boxed_slice();
        Some(v)
    }

    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        self.find(key).ok().map(|i| &self.items[i].1)
    }

    /// Inserts or replaces; returns the replaced value.
    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(core::mem::replace(&mut self.items[i].1, value)),
            Err(i) => {
                let mut items = Vec::from(core::mem::take(&mut self.items));
                items.reserve_exact(1);
                items.insert(i, (key, value));
                self.items = items.into_boxed_slice();
                None
            }
        }
    }

    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        let i = self.find(key).ok()?;
        let mut items = Vec::from(core::mem::take(&mut self.items));
        let (_, v) = items.remove(i);
        // Exact size again (an empty boxed slice does not allocate).
        self.items = items.into_boxed_slice();
        Some(v)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> + Clone {
        self.items.iter().map(|(k, v)| (k, v))
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &K> + Clone {
        self.items.iter().map(|(k, _)| k)
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &V> + Clone {
        self.items.iter().map(|(_, v)| v)
    }
}

impl<K: Ord, V> Index<&K> for VecMap<K, V> {
    type Output = V;

    fn index(&self, key: &K) -> &V {
        self.get(key).expect("key in VecMap")
    }
}

/// A small ordered set on [`VecMap`] (a local MAC's IPs: none or a few).
#[derive(Debug, Clone)]
pub(crate) struct VecSet<T>(VecMap<T, ()>);

impl<T> Default for VecSet<T> {
    fn default() -> Self {
        VecSet(VecMap::default())
    }
}

impl<T: Ord> VecSet<T> {
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn contains(&self, value: &T) -> bool {
        self.0.get(value).is_some()
    }

    /// Whether `value` was new.
    pub(crate) fn insert(&mut self, value: T) -> bool {
        self.0.insert(value, ()).is_none()
    }

    /// Whether `value` was there.
    pub(crate) fn remove(&mut self, value: &T) -> bool {
        self.0.remove(value).is_some()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> + Clone {
        self.0.keys()
    }
}

#[cfg(test)]
mod tests {
    use super::VecMap;
    use std::collections::BTreeMap;

    #[test]
    fn behaves_like_btreemap() {
        let mut v = VecMap::default();
        let mut b = BTreeMap::new();
        for (i, k) in [5u32, 1, 9, 1, 3, 5, 7, 2].into_iter().enumerate() {
            assert_eq!(v.insert(k, i), b.insert(k, i));
        }
        for k in [3u32, 4, 9] {
            assert_eq!(v.remove(&k), b.remove(&k));
        }
        assert!(v.iter().eq(b.iter()));
        assert_eq!(v.get(&5), b.get(&5));
        assert_eq!(v[&7], b[&7]);
        for k in [1u32, 2, 5, 7] {
            v.remove(&k);
        }
        assert!(v.is_empty());
    }
}
