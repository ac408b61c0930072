//! Ordered item storage shared by tables and indexes: items grouped by partition key (in hash
//! order, as DynamoDB's Scan returns them), each partition ordered by sort position. A Query
//! touches one partition's range; nothing on a per-item path scans the table.

use std::collections::BTreeMap;
use std::ops::Bound;

use crate::capacity::admission::Layout;
use crate::capacity::resource::{Mode, Resource};
use crate::partition::RangeSizes;
use crate::replication::Pending;
use crate::types::{item_size, Item, KeyValue, PartitionKey, PrimaryKey};

/// An item's place inside its partition.
pub(crate) trait SortPosition: Ord + Clone {
    /// The sort key value, if the schema has one.
    fn sort_value(&self) -> Option<&KeyValue>;
    /// The first position with this sort value.
    fn lowest(sort: Option<KeyValue>) -> Self;
    /// The last position with this sort value.
    fn highest(sort: Option<KeyValue>) -> Self;
}

/// In a table, the sort key alone places an item.
impl SortPosition for Option<KeyValue> {
    fn sort_value(&self) -> Option<&KeyValue> {
        self.as_ref()
    }
    fn lowest(sort: Option<KeyValue>) -> Self {
        sort
    }
    fn highest(sort: Option<KeyValue>) -> Self {
        sort
    }
}

/// In an index, several items may share an index key: the table key breaks ties.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct IndexPosition {
    pub sort: Option<KeyValue>,
    pub table_key: Tie,
}

/// A table key, with sentinels before and after every key for range bounds.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Tie {
    First,
    At(PrimaryKey),
    Last,
}

impl SortPosition for IndexPosition {
    fn sort_value(&self) -> Option<&KeyValue> {
        self.sort.as_ref()
    }
    fn lowest(sort: Option<KeyValue>) -> Self {
        Self { sort, table_key: Tie::First }
    }
    fn highest(sort: Option<KeyValue>) -> Self {
        Self { sort, table_key: Tie::Last }
    }
}

/// Items of a table or index.
#[derive(Clone)]
pub(crate) struct ItemStore<S: SortPosition> {
    partitions: Partitions<S, Item>,
    len: usize,
    bytes: u64,
    /// The partitions these items are spread over, with their capacity state; kept in step
    /// with every insert and remove.
    pub capacity: Resource,
    /// The versions a lagging copy still holds: the table's third replica, or a GSI not yet
    /// reached by recent writes (`replication`). Empty unless a playground delay is on.
    pub lagging: Pending<S>,
}

impl<S: SortPosition> Default for ItemStore<S> {
    fn default() -> Self {
        Self {
            partitions: BTreeMap::new(),
            len: 0,
            bytes: 0,
            capacity: Resource::default(),
            lagging: Pending::default(),
        }
    }
}

/// Sizes of the partition keys with tokens in `[start, end]`, in token order.
fn range_sizes<S: SortPosition>(
    partitions: &BTreeMap<PartitionKey, BTreeMap<S, Item>>,
    start: u64,
    end: u64,
) -> RangeSizes<'_> {
    Box::new(
        partitions
            .range(PartitionKey::first_with_token(start)..)
            .take_while(move |(pk, _)| pk.token <= end)
            .map(|(pk, items)| {
                (pk.token, items.len() as u64, items.values().map(|i| item_size(i) as u64).sum())
            }),
    )
}

/// One stored item with its place.
pub(crate) type Entry<'a, S> = (&'a PartitionKey, &'a S, &'a Item);

impl<S: SortPosition> ItemStore<S> {
    /// Number of items.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Sum of item sizes.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The item at a place.
    pub fn get(&self, partition: &PartitionKey, position: &S) -> Option<&Item> {
        self.partitions.get(partition)?.get(position)
    }

    /// Stores an item, returning the one it replaced.
    pub fn insert(&mut self, partition: PartitionKey, position: S, item: Item) -> Option<Item> {
        let token = partition.token;
        let size = item_size(&item) as i64;
        self.bytes += size as u64;
        let old = self.partitions.entry(partition).or_default().insert(position, item);
        match &old {
            Some(old) => {
                let old_size = item_size(old) as i64;
                self.bytes -= old_size as u64;
                self.capacity.record(token, 0, size - old_size);
            }
            None => {
                self.len += 1;
                self.capacity.record(token, 1, size);
            }
        }
        old
    }

    /// Brings the partition layout in line with `mode` and the size limit (see
    /// `Resource::maintain`).
    pub fn maintain(&mut self, mode: Mode, layout: Layout<'_>) {
        let partitions = &self.partitions;
        self.capacity.maintain(mode, layout, &|start, end| range_sizes(partitions, start, end));
    }

    /// Makes the splits a committed change calls for (see `Resource::settle`).
    pub fn settle(&mut self, mode: Mode, now: u64) {
        let partitions = &self.partitions;
        self.capacity.settle(mode, now, &|start, end| range_sizes(partitions, start, end));
    }

    /// Takes the partition layout a snapshot kept (`PartitionMap::layout_json` plus
    /// `"Splits"`), counting the stored items into it; `false` (nothing changed) if `kept` is
    /// not a layout.
    pub fn restore_layout(&mut self, kept: &serde_json::Value, mode: Mode, layout: Layout<'_>) -> bool {
        let sizes = range_sizes(&self.partitions, 0, u64::MAX);
        let Some(map) = crate::partition::PartitionMap::from_layout(kept, sizes) else { return false };
        let splits = kept.get("Splits").and_then(serde_json::Value::as_u64).unwrap_or(0);
        self.capacity.restore(map, splits, mode, layout);
        true
    }

    /// Removes an item.
    pub fn remove(&mut self, partition: &PartitionKey, position: &S) -> Option<Item> {
        let items = self.partitions.get_mut(partition)?;
        let old = items.remove(position)?;
        if items.is_empty() {
            self.partitions.remove(partition);
        }
        self.len -= 1;
        self.bytes -= item_size(&old) as u64;
        self.capacity.record(partition.token, -1, -(item_size(&old) as i64));
        Some(old)
    }

    /// Every item, in Scan order.
    pub fn iter(&self) -> impl Iterator<Item = Entry<'_, S>> + '_ {
        self.partitions.iter().flat_map(|(pk, items)| items.iter().map(move |(s, item)| (pk, s, item)))
    }

    /// Items of one partition between two sort positions, in order or reversed.
    pub fn query<'a>(
        &'a self,
        partition: &PartitionKey,
        lower: Bound<S>,
        upper: Bound<S>,
        forward: bool,
    ) -> Box<dyn Iterator<Item = Entry<'a, S>> + 'a> {
        query_in(&self.partitions, partition, lower, upper, forward)
    }

    /// Every item whose partition token lies in `[start_token, end_token]`, in Scan order,
    /// resuming after `after` when given.
    pub fn scan<'a>(
        &'a self,
        start_token: u64,
        end_token: u64,
        after: Option<(PartitionKey, S)>,
    ) -> impl Iterator<Item = Entry<'a, S>> + 'a {
        scan_in(&self.partitions, start_token, end_token, after)
    }
}

/// Values grouped by partition key, each partition ordered by sort position: the items of a
/// store, or the versions its lagging replica still holds (`replication`).
pub(crate) type Partitions<S, V> = BTreeMap<PartitionKey, BTreeMap<S, V>>;

/// The values of one partition between two sort positions, in order or reversed.
pub(crate) fn query_in<'a, S: SortPosition, V>(
    partitions: &'a Partitions<S, V>,
    partition: &PartitionKey,
    lower: Bound<S>,
    upper: Bound<S>,
    forward: bool,
) -> Box<dyn Iterator<Item = (&'a PartitionKey, &'a S, &'a V)> + 'a> {
    let Some((pk, items)) = partitions.get_key_value(partition) else {
        return Box::new(std::iter::empty());
    };
    if bounds_empty(&lower, &upper) {
        return Box::new(std::iter::empty());
    }
    let range = items.range((lower, upper)).map(move |(s, item)| (pk, s, item));
    if forward {
        Box::new(range)
    } else {
        Box::new(range.rev())
    }
}

/// The values whose partition token lies in `[start_token, end_token]`, in Scan order,
/// resuming after `after` when given.
pub(crate) fn scan_in<'a, S: SortPosition + 'a, V>(
    partitions: &'a Partitions<S, V>,
    start_token: u64,
    end_token: u64,
    after: Option<(PartitionKey, S)>,
) -> impl Iterator<Item = (&'a PartitionKey, &'a S, &'a V)> + 'a {
    let (first, resume) = match after {
        Some((pk, pos)) => (Bound::Included(pk.clone()), Some((pk, pos))),
        None => (Bound::Included(PartitionKey::first_with_token(start_token)), None),
    };
    partitions.range((first, Bound::Unbounded)).take_while(move |(pk, _)| pk.token <= end_token).flat_map(
        move |(pk, items)| {
            let lower = match &resume {
                Some((rpk, pos)) if rpk == pk => Bound::Excluded(pos.clone()),
                _ => Bound::Unbounded,
            };
            items.range((lower, Bound::Unbounded)).map(move |(s, item)| (pk, s, item))
        },
    )
}

/// BTreeMap::range panics on inverted bounds; an inverted range is simply empty.
fn bounds_empty<S: Ord>(lower: &Bound<S>, upper: &Bound<S>) -> bool {
    match (lower, upper) {
        (Bound::Included(l), Bound::Included(u)) => l > u,
        (Bound::Included(l) | Bound::Excluded(l), Bound::Excluded(u))
        | (Bound::Excluded(l), Bound::Included(u)) => l >= u,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{AttributeValue, Number};

    fn num(n: i64) -> KeyValue {
        KeyValue::N(Number::from_i64(n))
    }

    #[test]
    fn query_ranges_and_reverse() {
        let mut store: ItemStore<Option<KeyValue>> = ItemStore::default();
        let pk = PartitionKey { token: 7, value: KeyValue::S("a".into()) };
        for i in 0..10 {
            let mut item = Item::new();
            item.insert("v".into(), AttributeValue::N(Number::from_i64(i)));
            store.insert(pk.clone(), Some(num(i)), item);
        }
        assert_eq!(store.len(), 10);
        let got: Vec<_> = store
            .query(&pk, Bound::Excluded(Some(num(2))), Bound::Included(Some(num(5))), false)
            .map(|(_, s, _)| s.clone())
            .collect();
        assert_eq!(got, vec![Some(num(5)), Some(num(4)), Some(num(3))]);
        // Inverted bounds are empty, not a panic.
        assert_eq!(
            store.query(&pk, Bound::Included(Some(num(5))), Bound::Excluded(Some(num(2))), true).count(),
            0
        );
        assert!(store.remove(&pk, &Some(num(3))).is_some());
        assert_eq!(store.scan(0, u64::MAX, Some((pk.clone(), Some(num(7))))).count(), 2);
    }
}
