//! Sorted maps and sets kept in one `Vec`: what the engine, the lessons and the view use where
//! they need keys in order.
//!
//! Why not `BTreeMap`: each `VecMap<K, V>` type compiles a B-tree of its own (insert, remove,
//! merge, steal, split: 3–7 KB of WebAssembly per type, and the app has about forty types),
//! which was an eighth of the app's code. A sorted `Vec` needs a binary search and a `memmove`,
//! a few hundred bytes per type. The maps here hold from a handful to a few hundred entries
//! (sockets, segments in flight, a lesson's answers), where a `Vec` is also as fast.
//!
//! The API is the part of `VecMap`'s and `VecSet`'s that the project uses, with the same
//! meaning: keys unique and in ascending order, `insert` replaces and returns the old value.

use std::borrow::Borrow;
use std::fmt;
use std::ops::{Bound, Index, RangeBounds};

/// A map in key order that is taken from the front and added to mostly near the back: what is
/// due next, then what is due later (the engine's agenda). Taking the first entry moves no other
/// entry, where a [`VecMap`] would move them all: the agenda holds every connection's pending
/// timeouts (hundreds to thousands in a busy scene) and takes one at each step.
pub struct Queue<K, V> {
    entries: std::collections::VecDeque<(K, V)>,
}

impl<K, V> Default for Queue<K, V> {
    fn default() -> Self {
        Queue {
            entries: std::collections::VecDeque::new(),
        }
    }
}

impl<K: Ord, V> Queue<K, V> {
    /// Adds `value` under `key`, replacing the value a key equal to it had.
    pub fn insert(&mut self, key: K, value: V) {
        let at = self.entries.partition_point(|(k, _)| *k < key);
        match self.entries.get_mut(at) {
            Some((k, v)) if *k == key => *v = value,
            _ => self.entries.insert(at, (key, value)),
        }
    }

    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.entries.front().map(pair)
    }

    pub fn pop_first(&mut self) -> Option<(K, V)> {
        self.entries.pop_front()
    }
}

/// A map from `K` to `V`, in key order.
#[derive(Clone, PartialEq, Eq)]
pub struct VecMap<K, V> {
    entries: Vec<(K, V)>,
}

/// An iterator over a map's entries in key order.
pub type Iter<'a, K, V> =
    std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

fn pair<K, V>((k, v): &(K, V)) -> (&K, &V) {
    (k, v)
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap {
            entries: Vec::new(),
        }
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K, V> VecMap<K, V> {
    pub const fn new() -> Self {
        VecMap {
            entries: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    pub fn iter(&self) -> Iter<'_, K, V> {
        self.entries.iter().map(pair as fn(&(K, V)) -> (&K, &V))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn into_values(self) -> impl DoubleEndedIterator<Item = V> + ExactSizeIterator {
        self.entries.into_iter().map(|(_, v)| v)
    }

    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.entries.first().map(pair)
    }

    pub fn last_key_value(&self) -> Option<(&K, &V)> {
        self.entries.last().map(pair)
    }

    /// Removes and returns the entry with the smallest key.
    pub fn pop_first(&mut self) -> Option<(K, V)> {
        (!self.entries.is_empty()).then(|| self.entries.remove(0))
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }
}

impl<K: Ord, V> VecMap<K, V> {
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &mut self.entries[i].1)
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Puts `value` under `key`; returns the value that was there.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        // Keys mostly arrive in order (ids, times): check the end before searching.
        let at = match self.entries.last() {
            Some((last, _)) if *last >= key => self.find(&key),
            _ => Err(self.entries.len()),
        };
        match at {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.remove_entry(key).map(|(_, v)| v)
    }

    pub fn remove_entry<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<(K, V)>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| self.entries.remove(i))
    }

    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        match self.find(&key) {
            Ok(at) => Entry::Occupied { map: self, at },
            Err(at) => Entry::Vacant { map: self, at, key },
        }
    }

    /// The entries whose keys are in `range`, in key order.
    pub fn range<Q: Ord + ?Sized, R: RangeBounds<Q>>(&self, range: R) -> Iter<'_, K, V>
    where
        K: Borrow<Q>,
    {
        let start = match range.start_bound() {
            Bound::Included(q) => self.entries.partition_point(|(k, _)| k.borrow() < q),
            Bound::Excluded(q) => self.entries.partition_point(|(k, _)| k.borrow() <= q),
            Bound::Unbounded => 0,
        };
        let end = match range.end_bound() {
            Bound::Included(q) => self.entries.partition_point(|(k, _)| k.borrow() <= q),
            Bound::Excluded(q) => self.entries.partition_point(|(k, _)| k.borrow() < q),
            Bound::Unbounded => self.entries.len(),
        };
        self.entries[start..end.max(start)]
            .iter()
            .map(pair as fn(&(K, V)) -> (&K, &V))
    }
}

/// A place in a map for one key, which may or may not hold a value yet.
pub enum Entry<'a, K, V> {
    Occupied {
        map: &'a mut VecMap<K, V>,
        at: usize,
    },
    Vacant {
        map: &'a mut VecMap<K, V>,
        at: usize,
        key: K,
    },
}

impl<'a, K, V> Entry<'a, K, V> {
    pub fn or_insert_with(self, make: impl FnOnce() -> V) -> &'a mut V {
        match self {
            Entry::Occupied { map, at } => &mut map.entries[at].1,
            Entry::Vacant { map, at, key } => {
                map.entries.insert(at, (key, make()));
                &mut map.entries[at].1
            }
        }
    }

    pub fn or_insert(self, value: V) -> &'a mut V {
        self.or_insert_with(|| value)
    }

    pub fn or_default(self) -> &'a mut V
    where
        V: Default,
    {
        self.or_insert_with(V::default)
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = VecMap::new();
        map.extend(iter);
        map
    }
}

impl<K: Ord, V> Extend<(K, V)> for VecMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<K, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> Index<&Q> for VecMap<K, V> {
    type Output = V;
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry for this key")
    }
}

impl<K: serde::Serialize, V: serde::Serialize> serde::Serialize for VecMap<K, V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de, K, V> serde::Deserialize<'de> for VecMap<K, V>
where
    K: Ord + serde::Deserialize<'de>,
    V: serde::Deserialize<'de>,
{
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<K, V>(std::marker::PhantomData<(K, V)>);
        impl<'de, K, V> serde::de::Visitor<'de> for Visit<K, V>
        where
            K: Ord + serde::Deserialize<'de>,
            V: serde::Deserialize<'de>,
        {
            type Value = VecMap<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Self::Value, A::Error> {
                let mut map = VecMap::new();
                while let Some((k, v)) = a.next_entry()? {
                    map.insert(k, v);
                }
                Ok(map)
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
}

/// A set of `T`, in order.
#[derive(Clone, PartialEq, Eq)]
pub struct VecSet<T> {
    items: Vec<T>,
}

impl<T> Default for VecSet<T> {
    fn default() -> Self {
        VecSet { items: Vec::new() }
    }
}

impl<T: fmt::Debug> fmt::Debug for VecSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.items.iter()).finish()
    }
}

impl<T> VecSet<T> {
    pub const fn new() -> Self {
        VecSet { items: Vec::new() }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }
}

impl<T: Ord> VecSet<T> {
    fn find<Q: Ord + ?Sized>(&self, item: &Q) -> Result<usize, usize>
    where
        T: Borrow<Q>,
    {
        self.items.binary_search_by(|t| t.borrow().cmp(item))
    }

    pub fn contains<Q: Ord + ?Sized>(&self, item: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.find(item).is_ok()
    }

    /// Adds `item`; false if it was there already.
    pub fn insert(&mut self, item: T) -> bool {
        // Items mostly arrive in order: check the end before searching.
        let at = match self.items.last() {
            Some(last) if *last >= item => self.find(&item),
            _ => Err(self.items.len()),
        };
        match at {
            Ok(_) => false,
            Err(i) => {
                self.items.insert(i, item);
                true
            }
        }
    }

    /// Takes `item` out; false if it was not there.
    pub fn remove<Q: Ord + ?Sized>(&mut self, item: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.find(item).map(|i| self.items.remove(i)).is_ok()
    }
}

impl<T: Ord> FromIterator<T> for VecSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut set = VecSet::new();
        set.extend(iter);
        set
    }
}

impl<T: Ord> Extend<T> for VecSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for item in iter {
            self.insert(item);
        }
    }
}

impl<T> IntoIterator for VecSet<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a VecSet<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<T: serde::Serialize> serde::Serialize for VecSet<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.items.iter())
    }
}

/// Sorts `items` by `key`, smallest first, in place. A heapsort: O(n log n) always, and a few
/// hundred bytes of WebAssembly per type where the standard library's sorts compile several
/// kilobytes each. Not stable: for keys that tell every item apart, or items equal when their
/// keys are.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    let less = |a: &T, b: &T| key(a) < key(b);
    // Moves the item at `root` down until both its children are smaller, within `items[..end]`.
    let sift_down = |items: &mut [T], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && less(&items[child], &items[child + 1]) {
            child += 1;
        }
        if !less(&items[root], &items[child]) {
            return;
        }
        items.swap(root, child);
        root = child;
    };
    let n = items.len();
    for root in (0..n / 2).rev() {
        sift_down(items, root, n);
    }
    for end in (1..n).rev() {
        items.swap(0, end);
        sift_down(items, 0, end);
    }
}

/// Sorts `items` smallest first, in place (see [`sort_by_key`]).
pub fn sort<T: Ord + Clone>(items: &mut [T]) {
    sort_by_key(items, T::clone);
}

#[cfg(test)]
mod tests {
    /// The queue gives its entries in key order, whatever order they came in; an equal key
    /// replaces the value.
    #[test]
    fn a_queue_gives_the_first_key_first() {
        let mut q = super::Queue::default();
        for (k, v) in [(5, 'e'), (1, 'a'), (9, 'i'), (3, 'c'), (5, 'E')] {
            q.insert(k, v);
        }
        assert_eq!(q.first_key_value(), Some((&1, &'a')));
        let taken: Vec<_> = std::iter::from_fn(|| q.pop_first()).collect();
        assert_eq!(taken, [(1, 'a'), (3, 'c'), (5, 'E'), (9, 'i')]);
    }

    /// The heapsort puts any list in order, duplicates and all.
    #[test]
    fn sorts_every_order() {
        let mut seed = 7u64;
        for n in 0..60 {
            let mut items: Vec<u64> = (0..n)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (seed >> 33) % 17
                })
                .collect();
            let mut expected = items.clone();
            expected.sort();
            super::sort(&mut items);
            assert_eq!(items, expected);
        }
    }

    /// A map keeps its keys in order whatever order they arrive in, and replaces on insert.
    #[test]
    fn a_map_keeps_keys_in_order() {
        let mut m = super::VecMap::new();
        for k in [5, 1, 9, 3, 7, 1] {
            m.insert(k, k * 10);
        }
        assert_eq!(m.insert(3, 33), Some(30));
        assert_eq!(m.keys().copied().collect::<Vec<_>>(), [1, 3, 5, 7, 9]);
        assert_eq!(m.range(3..7).map(|(k, _)| *k).collect::<Vec<_>>(), [3, 5]);
        assert_eq!(m.range(4..=7).map(|(k, _)| *k).collect::<Vec<_>>(), [5, 7]);
        assert_eq!(m.remove(&5), Some(50));
        assert_eq!(m.pop_first(), Some((1, 10)));
        assert_eq!(m.get(&3), Some(&33));
        *m.entry(4).or_insert(0) += 2;
        assert_eq!(
            m.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(),
            [(3, 33), (4, 2), (7, 70), (9, 90)]
        );
    }
}
