//! Ordered item storage shared by tables and indexes: items in key order — by partition key
//! (in hash order, as DynamoDB's Scan returns them), then by sort position — so a Query reads
//! one partition's range; nothing on a per-item path scans the table.
//!
//! Each item is one allocation in the compact form of `types::stored`: its key bytes, which
//! sort as the keys they encode, its DynamoDB size, and its other attributes. The key
//! attributes are kept once, in the key bytes, and put back into the item when it is read.
//! Items held as trees of `AttributeValue`s in a map of maps cost 11.7× their DynamoDB size
//! (2,345 bytes of memory for a 200-byte item); stored so, 1.24× (248 bytes; both measured by
//! engine/benches/memory.rs). Reads decode the items they ask for, or write them as JSON text
//! straight from the bytes ([`Entry::write_json`]).

use std::collections::BTreeSet;
use std::marker::PhantomData;
use std::ops::Bound;

use crate::capacity::admission::Layout;
use crate::capacity::resource::{Mode, Resource};
use crate::partition::RangeSizes;
use crate::replication::Pending;
use crate::types::stored::{
    key_attribute, key_value_bytes, optional_key_value_bytes, put_item, put_key_value,
    put_optional_key_value, put_varint, read_item, read_key_value, read_optional_key_value, skip_key_value,
    write_item_json, AttributeNames, Reader,
};
use crate::types::{item_size, Item, KeySchema, KeyValue, PartitionKey, PrimaryKey};

/// An item's place inside its partition.
pub(crate) trait SortPosition: Ord + Clone {
    /// The sort key value, if the schema has one.
    fn sort_value(&self) -> Option<&KeyValue>;
    /// The first position with this sort value.
    fn lowest(sort: Option<KeyValue>) -> Self;
    /// The last position with this sort value.
    fn highest(sort: Option<KeyValue>) -> Self;
    /// Appends the position's key bytes, which sort as positions do.
    fn put(&self, out: &mut Vec<u8>);
    /// Reads what `put` wrote.
    fn read(r: &mut Reader<'_>) -> Self;
    /// The key values the position holds, in the order of [`KeyNames`] after the partition
    /// key's.
    fn into_values(self) -> [Option<KeyValue>; 3];
    /// The bytes of those values as `put` wrote them, read past without decoding them.
    fn value_bytes<'k>(r: &mut Reader<'k>) -> [Option<&'k [u8]>; 3];
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
    fn put(&self, out: &mut Vec<u8>) {
        put_optional_key_value(out, self.as_ref());
    }
    fn read(r: &mut Reader<'_>) -> Self {
        read_optional_key_value(r)
    }
    fn into_values(self) -> [Option<KeyValue>; 3] {
        [self, None, None]
    }
    fn value_bytes<'k>(r: &mut Reader<'k>) -> [Option<&'k [u8]>; 3] {
        [optional_key_value_bytes(r), None, None]
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

/// `Tie`'s key bytes, in its order.
const TIE_FIRST: u8 = 0;
const TIE_AT: u8 = 1;
const TIE_LAST: u8 = 2;

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
    fn put(&self, out: &mut Vec<u8>) {
        put_optional_key_value(out, self.sort.as_ref());
        match &self.table_key {
            Tie::First => out.push(TIE_FIRST),
            Tie::At(key) => {
                out.push(TIE_AT);
                put_partition(out, &key.partition);
                put_optional_key_value(out, key.sort.as_ref());
            }
            Tie::Last => out.push(TIE_LAST),
        }
    }
    fn read(r: &mut Reader<'_>) -> Self {
        let sort = read_optional_key_value(r);
        let table_key = match r.byte() {
            TIE_FIRST => Tie::First,
            TIE_AT => {
                let partition = read_partition(r);
                Tie::At(PrimaryKey { partition, sort: read_optional_key_value(r) })
            }
            _ => Tie::Last,
        };
        Self { sort, table_key }
    }
    fn into_values(self) -> [Option<KeyValue>; 3] {
        match self.table_key {
            Tie::At(key) => [self.sort, Some(key.partition.value), key.sort],
            Tie::First | Tie::Last => [self.sort, None, None],
        }
    }
    fn value_bytes<'k>(r: &mut Reader<'k>) -> [Option<&'k [u8]>; 3] {
        let sort = optional_key_value_bytes(r);
        if r.byte() != TIE_AT {
            return [sort, None, None];
        }
        r.take(8); // the table key's partition token
        let partition = key_value_bytes(r);
        [sort, Some(partition), optional_key_value_bytes(r)]
    }
}

/// The bytes of a table key's partition key inside an index position: its token (big-endian,
/// so that it sorts as the number) and value.
fn put_partition(out: &mut Vec<u8>, partition: &PartitionKey) {
    out.extend_from_slice(&partition.token.to_be_bytes());
    put_key_value(out, &partition.value);
}

fn read_partition(r: &mut Reader<'_>) -> PartitionKey {
    let token = r.u64();
    PartitionKey { token, value: read_key_value(r) }
}

/// The names of the key attributes whose values an item's key bytes hold: the partition key's,
/// then those of [`SortPosition::into_values`]. These attributes are left out of the stored
/// attributes and put back from the key when an item is read.
#[derive(Clone, Debug, Default)]
pub(crate) struct KeyNames([Option<String>; 4]);

impl KeyNames {
    /// A table's: its partition and sort key. A multi-attribute key (of a GSI) is a tuple no
    /// one attribute holds: its attributes stay with the others.
    pub fn table(schema: &KeySchema) -> Self {
        let partition = schema.more_partition_keys.is_empty().then(|| schema.partition_key.name.clone());
        let sort =
            schema.sort_key.as_ref().filter(|_| schema.more_sort_keys.is_empty()).map(|k| k.name.clone());
        Self([partition, sort, None, None])
    }

    /// An index's: its own partition and sort key, then its table's.
    pub fn index(index: &KeySchema, table: &KeySchema) -> Self {
        let [partition, sort, ..] = Self::table(index).0;
        let [table_partition, table_sort, ..] = Self::table(table).0;
        Self([partition, sort, table_partition, table_sort])
    }

    fn skipped(&self) -> [&str; 4] {
        self.0.each_ref().map(|name| name.as_deref().unwrap_or(""))
    }
}

/// One stored item: its partition token, and in one allocation the length of its other key
/// bytes (partition key value, then position), those bytes, its DynamoDB size, then its other
/// attributes. Ordered by token, then key bytes: a probe holding only those finds it. The token
/// sits beside the allocation, in the tree's node, so that most comparisons while searching
/// the tree (different tokens) never read the allocation: reading it cost a Query a tenth
/// more for the cache misses.
#[derive(Clone)]
struct Stored {
    token: u64,
    bytes: Box<[u8]>,
}

impl Stored {
    fn new(token: u64, key: &[u8], item: &Item, keys: &KeyNames, names: &mut AttributeNames) -> Self {
        let size = item_size(item);
        // The attributes take about their DynamoDB size plus a few bytes each.
        let mut bytes = Vec::with_capacity(key.len() + 8 + size + 4 * item.len());
        put_varint(&mut bytes, key.len());
        bytes.extend_from_slice(key);
        put_varint(&mut bytes, size);
        put_item(&mut bytes, item, &keys.skipped(), names);
        // Exactly as long as it needs to be: shrinking in place would leave the allocator a
        // sliver it seldom reuses (it cost 30 bytes an item).
        Self { token, bytes: Box::from(bytes.as_slice()) }
    }

    /// Key bytes alone, to look an item up by.
    fn probe(token: u64, key: &[u8]) -> Self {
        let mut bytes = Vec::with_capacity(key.len() + 2);
        put_varint(&mut bytes, key.len());
        bytes.extend_from_slice(key);
        Self { token, bytes: bytes.into_boxed_slice() }
    }

    /// The key bytes, and a reader over what follows them.
    fn split(&self) -> (&[u8], Reader<'_>) {
        let mut r = Reader::new(&self.bytes);
        let len = r.varint();
        (r.take(len), r)
    }

    fn key(&self) -> &[u8] {
        self.split().0
    }

    /// The partition key value's bytes.
    fn partition_value(&self) -> &[u8] {
        let key = self.key();
        let mut r = Reader::new(key);
        skip_key_value(&mut r);
        &key[..key.len() - r.rest().len()]
    }

    fn size(&self) -> usize {
        self.split().1.varint()
    }
}

impl PartialEq for Stored {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Stored {}

impl PartialOrd for Stored {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Stored {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.token.cmp(&other.token).then_with(|| self.key().cmp(other.key()))
    }
}

/// Items of a table or index.
#[derive(Clone)]
pub(crate) struct ItemStore<S: SortPosition> {
    items: BTreeSet<Stored>,
    keys: KeyNames,
    names: AttributeNames,
    len: usize,
    bytes: u64,
    /// The partitions these items are spread over, with their capacity state; kept in step
    /// with every insert and remove.
    pub capacity: Resource,
    position: PhantomData<S>,
    /// The versions a lagging copy still holds: the table's third replica, or a GSI not yet
    /// reached by recent writes (`replication`). Empty unless a playground delay is on.
    pub lagging: Pending<S>,
}

/// Sizes of the partition keys with tokens in `[start, end]`, in token order.
fn range_sizes(items: &BTreeSet<Stored>, start: u64, end: u64) -> RangeSizes<'_> {
    let mut entries = items
        .range(Stored::probe(start, &[])..)
        .take_while(move |stored| stored.token <= end)
        .map(|stored| (stored.token, stored.partition_value(), stored.size() as u64))
        .peekable();
    Box::new(std::iter::from_fn(move || {
        let (token, partition, mut bytes) = entries.next()?;
        let mut count = 1;
        while let Some((_, _, size)) = entries.next_if(|(t, p, _)| *t == token && *p == partition) {
            count += 1;
            bytes += size;
        }
        Some((token, count, bytes))
    }))
}

/// One item and its place, read only as far as the caller asks: a Query reads each item but
/// seldom its partition key, and building them all would cost it a third more. Usually a
/// stored item; on a lagging copy's read (`replication::view`) it may be a version that copy
/// still holds, kept as a tree of values beside the store.
pub(crate) struct Entry<'a, S: SortPosition> {
    at: At<'a, S>,
    store: &'a ItemStore<S>,
}

enum At<'a, S> {
    Stored(&'a Stored),
    Held(&'a PartitionKey, &'a S, &'a Item),
}

impl<S: SortPosition> Clone for Entry<'_, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: SortPosition> Copy for Entry<'_, S> {}

impl<S> Clone for At<'_, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S> Copy for At<'_, S> {}

impl<'a, S: SortPosition> Entry<'a, S> {
    /// A version a lagging copy holds, shown in place of `store`'s item at that place.
    pub(crate) fn held(
        store: &'a ItemStore<S>,
        partition: &'a PartitionKey,
        position: &'a S,
        item: &'a Item,
    ) -> Self {
        Self { at: At::Held(partition, position, item), store }
    }

    /// The partition key's token.
    pub fn token(&self) -> u64 {
        match self.at {
            At::Stored(stored) => stored.token,
            At::Held(partition, ..) => partition.token,
        }
    }

    /// Whether `other` is in the same partition.
    pub fn same_partition(&self, other: &Entry<'_, S>) -> bool {
        match (self.at, other.at) {
            (At::Stored(a), At::Stored(b)) => {
                a.token == b.token && a.partition_value() == b.partition_value()
            }
            _ => self.token() == other.token() && self.partition() == other.partition(),
        }
    }

    /// The partition key.
    pub fn partition(&self) -> PartitionKey {
        match self.at {
            At::Stored(stored) => {
                PartitionKey { token: stored.token, value: read_key_value(&mut Reader::new(stored.key())) }
            }
            At::Held(partition, ..) => partition.clone(),
        }
    }

    /// The place in the partition.
    pub fn position(&self) -> S {
        match self.at {
            At::Stored(stored) => {
                let mut r = Reader::new(stored.key());
                skip_key_value(&mut r);
                S::read(&mut r)
            }
            At::Held(_, position, _) => position.clone(),
        }
    }

    /// The item's size, without reading it.
    pub fn size(&self) -> usize {
        match self.at {
            At::Stored(stored) => stored.size(),
            At::Held(.., item) => item_size(item),
        }
    }

    /// The item as DynamoDB JSON text (`ItemText`'s text for [`Entry::item`]), written
    /// without building it.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        let stored = match self.at {
            At::Stored(stored) => stored,
            At::Held(.., item) => {
                let _ = serde_json::to_writer(&mut *out, &crate::types::ItemText(item));
                return;
            }
        };
        let (key, mut rest) = stored.split();
        let mut r = Reader::new(key);
        let partition = key_value_bytes(&mut r);
        let values = std::iter::once(Some(partition)).chain(S::value_bytes(&mut r));
        // In name order, as the item's attributes are; a local index repeats its table's
        // partition key. The values stay as their key bytes, written straight from them.
        let mut keys: [(&str, &[u8]); 4] = [("", &[]); 4];
        let mut len = 0;
        for (name, value) in self.store.keys.0.iter().zip(values) {
            if let (Some(name), Some(value)) = (name, value) {
                let at = keys[..len].partition_point(|(k, _)| *k < name.as_str());
                if at == len || keys[at].0 != name {
                    keys.copy_within(at..len, at + 1);
                    keys[at] = (name, value);
                    len += 1;
                }
            }
        }
        rest.varint(); // the size
        write_item_json(out, &keys[..len], rest, &self.store.names);
    }

    /// The item: its stored attributes, and its key attributes from the key bytes.
    pub fn item(&self) -> Item {
        let stored = match self.at {
            At::Stored(stored) => stored,
            At::Held(.., item) => return item.clone(),
        };
        let (key, mut rest) = stored.split();
        let mut r = Reader::new(key);
        let partition = read_key_value(&mut r);
        let values = std::iter::once(Some(partition)).chain(S::read(&mut r).into_values());
        rest.varint(); // the size
        let mut item = Item::new();
        read_item(&mut rest, &mut item, &self.store.names);
        for (name, value) in self.store.keys.0.iter().zip(values) {
            if let (Some(name), Some(value)) = (name, value) {
                item.insert(name.clone(), key_attribute(value));
            }
        }
        item
    }
}

impl<S: SortPosition> Default for ItemStore<S> {
    /// A store that keeps every attribute in the stored attributes (none from the key).
    fn default() -> Self {
        Self::new(KeyNames::default())
    }
}

impl<S: SortPosition> ItemStore<S> {
    /// An empty store of items whose key attributes are `keys`.
    pub fn new(keys: KeyNames) -> Self {
        Self {
            items: BTreeSet::new(),
            keys,
            names: AttributeNames::default(),
            len: 0,
            bytes: 0,
            capacity: Resource::default(),
            lagging: Pending::default(),
            position: PhantomData,
        }
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Sum of item sizes.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The key bytes of a place (after its token).
    fn key(partition: &PartitionKey, position: &S) -> Vec<u8> {
        let mut key = Vec::with_capacity(32);
        Self::put_key(&mut key, partition, position);
        key
    }

    fn put_key(out: &mut Vec<u8>, partition: &PartitionKey, position: &S) {
        put_key_value(out, &partition.value);
        position.put(out);
    }

    /// A place's key bytes, to look an item up by: built where they stay (one allocation, as
    /// every lookup makes one), behind their length.
    fn probe(partition: &PartitionKey, position: &S) -> Stored {
        let mut bytes = Vec::with_capacity(40);
        bytes.push(0);
        Self::put_key(&mut bytes, partition, position);
        let len = bytes.len() - 1;
        match u8::try_from(len).ok().filter(|&len| len < 0x80) {
            // A one-byte varint.
            Some(len) => bytes[0] = len,
            None => {
                let mut varint = Vec::with_capacity(4);
                put_varint(&mut varint, len);
                bytes.splice(..1, varint);
            }
        }
        Stored { token: partition.token, bytes: bytes.into_boxed_slice() }
    }

    /// The item at a place, unread.
    pub fn find(&self, partition: &PartitionKey, position: &S) -> Option<Entry<'_, S>> {
        let stored = self.items.get(&Self::probe(partition, position))?;
        Some(self.entry(stored))
    }

    /// The item at a place.
    pub fn get(&self, partition: &PartitionKey, position: &S) -> Option<Item> {
        Some(self.find(partition, position)?.item())
    }

    /// The size of the item at a place, without reading it.
    pub fn size_of(&self, partition: &PartitionKey, position: &S) -> Option<usize> {
        Some(self.find(partition, position)?.size())
    }

    /// Sum of the sizes of one partition's items, without reading them.
    pub fn partition_bytes(&self, partition: &PartitionKey) -> u64 {
        let mut value = Vec::with_capacity(32);
        put_key_value(&mut value, &partition.value);
        self.items
            .range(Stored::probe(partition.token, &value)..)
            .take_while(|stored| stored.token == partition.token && stored.partition_value() == value)
            .map(|stored| stored.size() as u64)
            .sum()
    }

    /// Stores an item, returning the one it replaced.
    pub fn insert(&mut self, partition: PartitionKey, position: S, item: &Item) -> Option<Item> {
        let old = self.replace(partition, position, item)?;
        Some(self.entry(&old).item())
    }

    /// Stores an item; whether it replaced one. For a write that read the old item when it
    /// was planned: reading it again cost an overwriting PutItem a tenth of its time.
    pub fn store(&mut self, partition: PartitionKey, position: S, item: &Item) -> bool {
        self.replace(partition, position, item).is_some()
    }

    /// Stores an item, returning the one it replaced, unread.
    fn replace(&mut self, partition: PartitionKey, position: S, item: &Item) -> Option<Stored> {
        let token = partition.token;
        let stored = Stored::new(token, &Self::key(&partition, &position), item, &self.keys, &mut self.names);
        let size = stored.size() as i64;
        self.bytes += size as u64;
        let old = self.items.replace(stored);
        match &old {
            Some(old) => {
                let old_size = old.size() as i64;
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
        let items = &self.items;
        self.capacity.maintain(mode, layout, &|start, end| range_sizes(items, start, end));
    }

    /// Makes the splits a committed change calls for (see `Resource::settle`).
    pub fn settle(&mut self, mode: Mode, now: u64) {
        let items = &self.items;
        self.capacity.settle(mode, now, &|start, end| range_sizes(items, start, end));
    }

    /// Takes the partition layout a snapshot kept (`PartitionMap::layout_json` plus
    /// `"Splits"`), counting the stored items into it; `false` (nothing changed) if `kept` is
    /// not a layout.
    pub fn restore_layout(&mut self, kept: &serde_json::Value, mode: Mode, layout: Layout<'_>) -> bool {
        let sizes = range_sizes(&self.items, 0, u64::MAX);
        let Some(map) = crate::partition::PartitionMap::from_layout(kept, sizes) else { return false };
        let splits = kept.get("Splits").and_then(serde_json::Value::as_u64).unwrap_or(0);
        self.capacity.restore(map, splits, mode, layout);
        true
    }

    /// Removes an item, returning it.
    pub fn remove(&mut self, partition: &PartitionKey, position: &S) -> Option<Item> {
        let old = self.take(partition, position)?;
        Some(self.entry(&old).item())
    }

    /// Removes an item; whether there was one (for a write that read it already).
    pub fn discard(&mut self, partition: &PartitionKey, position: &S) -> bool {
        self.take(partition, position).is_some()
    }

    fn take(&mut self, partition: &PartitionKey, position: &S) -> Option<Stored> {
        let old = self.items.take(&Self::probe(partition, position))?;
        let size = old.size();
        self.len -= 1;
        self.bytes -= size as u64;
        self.capacity.record(partition.token, -1, -(size as i64));
        Some(old)
    }

    fn entry<'a>(&'a self, stored: &'a Stored) -> Entry<'a, S> {
        Entry { at: At::Stored(stored), store: self }
    }

    /// Every item, in Scan order.
    pub fn iter(&self) -> impl Iterator<Item = Entry<'_, S>> + '_ {
        self.items.iter().map(|stored| self.entry(stored))
    }

    /// Items of one partition between two sort positions, in order or reversed.
    pub fn query<'a>(
        &'a self,
        partition: &PartitionKey,
        lower: Bound<S>,
        upper: Bound<S>,
        forward: bool,
    ) -> Box<dyn Iterator<Item = Entry<'a, S>> + 'a> {
        let mut value = Vec::with_capacity(32);
        put_key_value(&mut value, &partition.value);
        let at = |position: &S| Self::probe(partition, position);
        let lower = match &lower {
            Bound::Included(p) => Bound::Included(at(p)),
            Bound::Excluded(p) => Bound::Excluded(at(p)),
            // The partition key's bytes alone come before every position in it…
            Bound::Unbounded => Bound::Included(Stored::probe(partition.token, &value)),
        };
        let upper = match &upper {
            Bound::Included(p) => Bound::Included(at(p)),
            Bound::Excluded(p) => Bound::Excluded(at(p)),
            // …and no position's bytes start with 0xFF.
            Bound::Unbounded => {
                Bound::Excluded(Stored::probe(partition.token, &[value.as_slice(), &[0xFF]].concat()))
            }
        };
        if bounds_empty(&lower, &upper) {
            return Box::new(std::iter::empty());
        }
        let range = self.items.range((lower, upper)).map(|stored| self.entry(stored));
        if forward {
            Box::new(range)
        } else {
            Box::new(range.rev())
        }
    }

    /// Every item whose partition token lies in `[start_token, end_token]`, in Scan order,
    /// resuming after `after` when given.
    pub fn scan(
        &self,
        start_token: u64,
        end_token: u64,
        after: Option<(PartitionKey, S)>,
    ) -> impl Iterator<Item = Entry<'_, S>> + '_ {
        let lower = match after {
            Some((pk, position)) => Bound::Excluded(Self::probe(&pk, &position)),
            None => Bound::Included(Stored::probe(start_token, &[])),
        };
        self.items
            .range((lower, Bound::Unbounded))
            .take_while(move |stored| stored.token <= end_token)
            .map(|stored| self.entry(stored))
    }
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

    /// Lookups by keys whose bytes need a one-byte length and a longer one (from 128 bytes),
    /// with escaped bytes (0 and 1) in them, among neighbours that share their prefix.
    #[test]
    fn finds_keys_of_every_length() {
        let mut store: ItemStore<Option<KeyValue>> = ItemStore::new(KeyNames::default());
        let lengths = [1, 60, 124, 125, 126, 127, 128, 129, 200, 1024];
        let value = |len: usize, last: char| KeyValue::S(format!("{}\u{0}\u{1}{last}", "k".repeat(len)));
        for len in lengths {
            for last in ['a', 'b'] {
                let mut item = Item::new();
                item.insert("len".into(), AttributeValue::N(Number::from_i64(len as i64)));
                store.insert(PartitionKey { token: 1, value: value(len, last) }, Some(num(0)), &item);
            }
        }
        for len in lengths {
            let found = store.get(&PartitionKey { token: 1, value: value(len, 'b') }, &Some(num(0)));
            assert_eq!(
                found.and_then(|item| item.get("len").cloned()),
                Some(AttributeValue::N(Number::from_i64(len as i64)))
            );
            assert!(store.get(&PartitionKey { token: 1, value: value(len, 'c') }, &Some(num(0))).is_none());
            assert!(store.get(&PartitionKey { token: 1, value: value(len, 'a') }, &Some(num(1))).is_none());
        }
    }

    #[test]
    fn query_ranges_and_reverse() {
        let mut store: ItemStore<Option<KeyValue>> = ItemStore::new(KeyNames::default());
        let pk = PartitionKey { token: 7, value: KeyValue::S("a".into()) };
        for i in 0..10 {
            let mut item = Item::new();
            item.insert("v".into(), AttributeValue::N(Number::from_i64(i)));
            store.insert(pk.clone(), Some(num(i)), &item);
        }
        assert_eq!(store.len(), 10);
        let got: Vec<_> = store
            .query(&pk, Bound::Excluded(Some(num(2))), Bound::Included(Some(num(5))), false)
            .map(|entry| entry.position())
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
