//! One cluster's cache: item cache and query cache entries in one memory, each with its
//! expiry on engine time, evicted least recently used first when the memory is full (DAX's
//! LRU "is always enabled and is not user-configurable").
//!
//! Lookups and inserts are O(log n): entries by key in one ordered map, their last use in
//! another (a use tick → key), so the least recently used is the first of the second.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::types::Item;

/// What a cache entry is cached under.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum EntryKey {
    /// An item cache entry: the table and the key's attributes as canonical JSON text.
    Item { table: String, key: String },
    /// A query cache entry: the table and the operation and request as canonical JSON text.
    Query { table: String, request: String },
}

/// What a cache entry holds.
#[derive(Clone, Debug)]
pub(crate) enum Cached {
    /// The key's attributes and the item, `None` for a negative entry (no such item).
    Item { key: Item, item: Option<Item> },
    /// A Query or Scan: its request and answer (without ConsumedCapacity).
    Query { operation: &'static str, request: Value, answer: Value },
}

/// One entry.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub cached: Cached,
    /// What the entry takes of the node's memory.
    pub bytes: u64,
    /// Engine time it was cached (or last written through).
    pub cached_ms: u64,
    /// Engine time it expires; `None`: never (a TTL of 0 for the item cache).
    pub expires_ms: Option<u64>,
    /// Its last use, for LRU order.
    used: u64,
}

impl Entry {
    /// Whether its TTL has run out at `now`.
    pub fn expired(&self, now: u64) -> bool {
        self.expires_ms.is_some_and(|at| now >= at)
    }
}

/// What each entry counts for besides its data (keys, bookkeeping), as DynamoDB counts 100
/// bytes of overhead per stored item.
pub(crate) const ENTRY_OVERHEAD: u64 = 100;

/// Entries evicted by one insert: (item cache, query cache).
pub(crate) type Evicted = (u32, u32);

/// A cluster's cache memory.
#[derive(Clone, Debug, Default)]
pub(crate) struct Cache {
    entries: BTreeMap<EntryKey, Entry>,
    /// Use tick → key: the first is the least recently used.
    lru: BTreeMap<u64, EntryKey>,
    tick: u64,
    bytes: u64,
}

impl Cache {
    /// The live entry under `key`, marked as just used; an expired one is dropped (a miss).
    pub fn lookup(&mut self, key: &EntryKey, now: u64) -> Option<&Entry> {
        let expired = self.entries.get(key)?.expired(now);
        if expired {
            self.remove(key);
            return None;
        }
        self.tick += 1;
        let tick = self.tick;
        let entry = self.entries.get_mut(key)?;
        self.lru.remove(&entry.used);
        entry.used = tick;
        self.lru.insert(tick, key.clone());
        Some(entry)
    }

    /// Caches `cached` under `key` (replacing what was there) for `ttl_ms` (`None`: no
    /// expiry), then evicts least recently used entries until at most `limit` bytes are held.
    pub fn insert(
        &mut self,
        key: EntryKey,
        cached: Cached,
        bytes: u64,
        now: u64,
        ttl_ms: Option<u64>,
        limit: u64,
    ) -> Evicted {
        self.remove(&key);
        self.tick += 1;
        let entry = Entry {
            cached,
            bytes,
            cached_ms: now,
            expires_ms: ttl_ms.map(|t| now.saturating_add(t)),
            used: self.tick,
        };
        self.bytes += bytes;
        self.lru.insert(self.tick, key.clone());
        self.entries.insert(key, entry);
        let mut evicted = (0, 0);
        while self.bytes > limit {
            let Some((_, oldest)) = self.lru.pop_first() else { break };
            if let Some(entry) = self.entries.remove(&oldest) {
                self.bytes -= entry.bytes;
                match oldest {
                    EntryKey::Item { .. } => evicted.0 += 1,
                    EntryKey::Query { .. } => evicted.1 += 1,
                }
            }
        }
        evicted
    }

    /// Drops the entry under `key`, if any.
    pub fn remove(&mut self, key: &EntryKey) {
        if let Some(entry) = self.entries.remove(key) {
            self.lru.remove(&entry.used);
            self.bytes -= entry.bytes;
        }
    }

    /// Bytes held (expired entries included, until they are evicted or looked up).
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The entries still live at `now`, most recently used first.
    pub fn live(&self, now: u64) -> impl Iterator<Item = (&EntryKey, &Entry)> {
        self.lru
            .values()
            .rev()
            .filter_map(|key| self.entries.get_key_value(key))
            .filter(move |(_, e)| !e.expired(now))
    }
}
