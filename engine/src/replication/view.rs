//! What a read sees of a store: the latest items, or — on the lagging replica, or a GSI not
//! yet reached by recent writes — the current items with the versions that copy still holds
//! put back in their place, merged in the range's order (see the parent module).

use std::cell::Cell;
use std::iter::Peekable;
use std::ops::{Bound, RangeBounds};

use super::{Lagged, Served};
use crate::storage::{Entry, ItemStore, SortPosition};
use crate::types::PartitionKey;

/// What a read sees: the latest, or the lagging copy at engine time `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum View {
    Latest,
    Lagging(u64),
}

/// What a read shows at one position: `current`, or what the lagging copy still holds there
/// (noted in `served` when it differs).
fn shown<'a, S: SortPosition>(
    store: &'a ItemStore<S>,
    lagged: &Lagged<'a, S>,
    current: Option<Entry<'a, S>>,
    now: u64,
    served: &Cell<Served>,
) -> Option<Entry<'a, S>> {
    let held = lagged.first;
    let version = held.item.as_ref();
    // Reading the current item back is the price of a lagging read only.
    if version != current.map(|c| c.item()).as_ref() {
        let mut s = served.get();
        s.note(lagged, now);
        served.set(s);
    }
    version.map(|item| Entry::held(store, &held.partition, &held.position, item))
}

/// A range's current entries, boxed: one merge serves every kind of range.
type Current<'a, S> = Box<dyn Iterator<Item = Entry<'a, S>> + 'a>;

impl<S: SortPosition> ItemStore<S> {
    /// The item at a place, as `view` sees it.
    pub fn get_seen<'a>(
        &'a self,
        partition: &PartitionKey,
        position: &S,
        view: View,
        served: &Cell<Served>,
    ) -> Option<Entry<'a, S>> {
        let current = self.find(partition, position);
        match view {
            View::Lagging(now) if !self.lagging.is_empty() => {
                match self.lagging.lagged_at(partition, position, now) {
                    Some(lagged) => shown(self, &lagged, current, now, served),
                    None => current,
                }
            }
            _ => current,
        }
    }

    /// [`ItemStore::query`] as `view` sees it.
    pub fn query_seen<'a>(
        &'a self,
        partition: &PartitionKey,
        lower: Bound<S>,
        upper: Bound<S>,
        forward: bool,
        view: View,
        served: &'a Cell<Served>,
    ) -> Current<'a, S> {
        match view {
            View::Lagging(now) if !self.lagging.is_empty() => {
                let range = (lower.clone(), upper.clone());
                let mut lagged =
                    self.lagging.lagged_in(now, |h| h.partition == *partition && range.contains(&h.position));
                if !forward {
                    lagged.reverse();
                }
                let current = self.query(partition, lower, upper, forward);
                Box::new(Overlay::new(self, current, lagged, forward, now, served))
            }
            _ => self.query(partition, lower, upper, forward),
        }
    }

    /// [`ItemStore::scan`] as `view` sees it.
    pub fn scan_seen<'a>(
        &'a self,
        start_token: u64,
        end_token: u64,
        after: Option<(PartitionKey, S)>,
        view: View,
        served: &'a Cell<Served>,
    ) -> Current<'a, S> {
        match view {
            View::Lagging(now) if !self.lagging.is_empty() => {
                // The scan's own bounds: after `after` (exclusive) or from the segment's first
                // token, up to its last.
                let lagged = self.lagging.lagged_in(now, |h| {
                    h.partition.token <= end_token
                        && match &after {
                            Some((pk, pos)) => (&h.partition, &h.position) > (pk, pos),
                            None => h.partition.token >= start_token,
                        }
                });
                let current = Box::new(self.scan(start_token, end_token, after.clone()));
                Box::new(Overlay::new(self, current, lagged, true, now, served))
            }
            _ => Box::new(self.scan(start_token, end_token, after)),
        }
    }
}

/// The current entries of a range merged with what the lagging copy holds there, in the
/// range's order: what the lagging copy shows.
struct Overlay<'a, S: SortPosition + 'a> {
    store: &'a ItemStore<S>,
    current: Peekable<Current<'a, S>>,
    lagged: Peekable<std::vec::IntoIter<Lagged<'a, S>>>,
    forward: bool,
    now: u64,
    served: &'a Cell<Served>,
}

impl<'a, S: SortPosition + 'a> Overlay<'a, S> {
    fn new(
        store: &'a ItemStore<S>,
        current: Current<'a, S>,
        lagged: Vec<Lagged<'a, S>>,
        forward: bool,
        now: u64,
        served: &'a Cell<Served>,
    ) -> Self {
        Self {
            store,
            current: current.peekable(),
            lagged: lagged.into_iter().peekable(),
            forward,
            now,
            served,
        }
    }
}

impl<'a, S: SortPosition + 'a> Iterator for Overlay<'a, S> {
    type Item = Entry<'a, S>;

    fn next(&mut self) -> Option<Entry<'a, S>> {
        use std::cmp::Ordering::{Equal, Greater, Less};
        loop {
            let order = match (self.current.peek(), self.lagged.peek()) {
                (None, None) => return None,
                (Some(_), None) => Less,
                (None, Some(_)) => Greater,
                (Some(c), Some(l)) => {
                    let (partition, position) = (c.partition(), c.position());
                    let order = (&partition, &position).cmp(&(&l.first.partition, &l.first.position));
                    if self.forward {
                        order
                    } else {
                        order.reverse()
                    }
                }
            };
            let (current, lagged) = match order {
                Less => return self.current.next(),
                Greater => (None, self.lagged.next()),
                Equal => (self.current.next(), self.lagged.next()),
            };
            let Some(lagged) = lagged else { return current };
            if let Some(entry) = shown(self.store, &lagged, current, self.now, self.served) {
                return Some(entry);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replication::{Pending, MAX_PENDING};
    use crate::types::{AttributeValue, Item, KeyValue};

    fn item(v: &str) -> Item {
        let mut item = Item::new();
        item.insert("v".into(), AttributeValue::S(v.into()));
        item
    }

    fn pk(s: &str) -> PartitionKey {
        PartitionKey::new(KeyValue::S(s.into()))
    }

    #[test]
    fn the_lagging_copy_shows_what_each_write_replaced_until_it_arrives() {
        let mut store: ItemStore<Option<KeyValue>> = ItemStore::default();
        let served = Cell::new(Served::default());
        store.insert(pk("a"), None, &item("v1"));
        // Written at 1,000 over v0's absence, then at 1,500 over v1; delay 1,000 each.
        store.lagging.hold(pk("a"), None, None, 1_000, 1_000);
        store.lagging.hold(pk("a"), None, Some(item("v1")), 1_500, 1_000);
        store.insert(pk("a"), None, &item("v2"));
        let at = |t| store.get_seen(&pk("a"), &None, View::Lagging(t), &served).map(|e| e.item());
        assert_eq!(at(1_900), None, "the first write has not arrived");
        assert_eq!(at(2_000), Some(item("v1")));
        assert_eq!(at(2_500), Some(item("v2")));
        assert_eq!(
            store.get_seen(&pk("a"), &None, View::Latest, &served).map(|e| e.item()),
            Some(item("v2"))
        );
        let s = served.get();
        assert_eq!((s.stale_items, s.missed_writes, s.behind_ms, s.caught_up_in_ms), (2, 3, 900, 600));
        store.lagging.deliver(2_499);
        assert_eq!(store.lagging.len(), 1);
        store.lagging.deliver(2_500);
        assert!(store.lagging.is_empty());
    }

    #[test]
    fn a_lagging_scan_merges_held_versions_in_order_both_ways() {
        let mut store: ItemStore<Option<KeyValue>> = ItemStore::default();
        let key = |n: i64| Some(KeyValue::N(crate::types::Number::from_i64(n)));
        for n in [1, 3] {
            store.insert(pk("p"), key(n), &item(&format!("now{n}")));
        }
        // 2 was deleted (held as it was), 3 is new (held as absent), 1 unchanged.
        store.lagging.hold(pk("p"), key(2), Some(item("old2")), 0, 100);
        store.lagging.hold(pk("p"), key(3), None, 0, 100);
        let served = Cell::new(Served::default());
        let values = |forward| -> Vec<String> {
            store
                .query_seen(&pk("p"), Bound::Unbounded, Bound::Unbounded, forward, View::Lagging(50), &served)
                .map(|e| match &e.item()["v"] {
                    AttributeValue::S(s) => s.clone(),
                    _ => String::new(),
                })
                .collect()
        };
        assert_eq!(values(true), ["now1", "old2"]);
        assert_eq!(values(false), ["old2", "now1"]);
        let scanned: Vec<_> = store.scan_seen(0, u64::MAX, None, View::Lagging(100), &served).collect();
        assert_eq!(scanned.len(), 2, "at 100 both writes have arrived");
        assert_eq!(served.get().stale_items, 4);
    }

    #[test]
    fn pending_versions_are_bounded() {
        let mut pending: Pending<Option<KeyValue>> = Pending::default();
        for n in 0..MAX_PENDING as u64 + 5 {
            pending.hold(pk("a"), None, Some(item("x")), n, u64::MAX / 2);
        }
        assert_eq!(pending.len(), MAX_PENDING);
        pending.clear();
        assert!(pending.is_empty());
    }
}
