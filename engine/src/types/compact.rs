//! Maps and sorts that compile small: the engine runs in a web page, where every copy of
//! generic code is downloaded.
//!
//! The standard library's sorts are compiled once per element type and comparator (2–3 KB of
//! wasm each), and `BTreeMap`'s `FromIterator` sorts a `Vec` first with a comparator that is
//! distinct for every *iterator type*: 19 `.collect()`s into maps cost 57 KB. Here maps are
//! built by inserting (the tree code is compiled once per key/value type, and a later
//! duplicate key still wins), and every sort shares one compiled sort of positions.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// The entries as an ordered map (a later duplicate key replaces an earlier one).
pub fn map_from<K: Ord, V>(entries: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (k, v) in entries {
        map.insert(k, v);
    }
    map
}

/// The entries as a JSON object (a later duplicate key replaces an earlier one).
pub fn object_from(entries: impl IntoIterator<Item = (String, Value)>) -> Map<String, Value> {
    let mut map = Map::new();
    for (k, v) in entries {
        map.insert(k, v);
    }
    map
}

/// Sorts `items` by `compare`, stably (equal items keep their order).
pub fn sort_by<T>(items: &mut Vec<T>, mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = sorted_positions(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Sorts `items` by their order and removes repeats; `false` if there were any.
pub fn sort_dedup<T: Ord>(items: &mut Vec<T>) -> bool {
    sort_by(items, T::cmp);
    let n = items.len();
    items.dedup();
    items.len() == n
}

/// The names a request has used so far, for its duplicate checks (index names,
/// `AttributesToGet`): a list, since there are few, where a hash set would compile its table
/// code into the browser bundle once more for each element type.
#[derive(Default)]
pub struct Seen<'a>(Vec<&'a str>);

impl<'a> Seen<'a> {
    /// Records `name`; `false` if it was seen before.
    pub fn insert(&mut self, name: &'a str) -> bool {
        let new = !self.0.contains(&name);
        if new {
            self.0.push(name);
        }
        new
    }
}

/// The positions `0..len` in the order `compare` gives them, ties by position (stable). Not
/// generic: the one sort every caller of [`sort_by`] shares.
fn sorted_positions(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    #[allow(
        clippy::disallowed_methods,
        reason = "the one compiled std sort the bundle rules point everyone else to"
    )]
    order.sort_unstable_by(|&a, &b| compare(a, b).then(a.cmp(&b)));
    order
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn keeps_the_last_duplicate_like_collect() {
        let entries = [("b", 1), ("a", 2), ("b", 3)];
        assert_eq!(map_from(entries), entries.into_iter().collect::<BTreeMap<_, _>>());
        let json = object_from(entries.map(|(k, v)| (k.to_owned(), Value::from(v))));
        assert_eq!(Value::Object(json), serde_json::json!({"a": 2, "b": 3}));
    }

    #[test]
    fn sorts_stably_and_dedups() {
        let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e')];
        sort_by(&mut v, |x, y| x.0.cmp(&y.0));
        assert_eq!(v, [(0, 'd'), (1, 'b'), (1, 'e'), (2, 'a'), (2, 'c')]);
        let mut words: Vec<String> = ["b", "a", "c"].map(String::from).to_vec();
        assert!(sort_dedup(&mut words));
        assert_eq!(words, ["a", "b", "c"]);
        let mut repeated = vec![3, 1, 3];
        assert!(!sort_dedup(&mut repeated));
        assert_eq!(repeated, [1, 3]);
        let mut empty: Vec<u8> = Vec::new();
        sort_by(&mut empty, u8::cmp);
        assert!(empty.is_empty());
    }

    #[test]
    fn seen_reports_repeats_only() {
        let mut seen = Seen::default();
        assert!(seen.insert("a") && seen.insert("b") && seen.insert("A"));
        assert!(!seen.insert("a") && !seen.insert("b"));
    }
}
