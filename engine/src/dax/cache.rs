//! One cluster's cache: item cache and query cache entries in one memory, each with its
//! expiry on engine time, evicted least recently used first when the memory is full (DAX's
//! LRU "is always enabled and is not user-configurable").
//!
//! Entries are kept in one list ordered by key: a lookup is a binary search, an insert or a
//! removal moves the entries after it, and an eviction looks for the least recently used — a
//! learner's cache holds hundreds of entries, and a list compiles far smaller into the page's
//! bundle than another pair of maps.

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
    /// A Query (or a Scan: `scan`): its request and answer (without ConsumedCapacity).
    Query { scan: bool, request: Value, answer: Value },
}

/// One entry.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub key: EntryKey,
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
    /// In key order.
    entries: Vec<Entry>,
    tick: u64,
    bytes: u64,
}

impl Cache {
    fn find(&self, key: &EntryKey) -> Result<usize, usize> {
        self.entries.binary_search_by(|e| e.key.cmp(key))
    }

    /// The live entry under `key`, marked as just used; an expired one is dropped (a miss).
    pub fn lookup(&mut self, key: &EntryKey, now: u64) -> Option<&Entry> {
        let i = self.find(key).ok()?;
        if self.entries[i].expired(now) {
            self.take(i);
            return None;
        }
        self.tick += 1;
        self.entries[i].used = self.tick;
        Some(&self.entries[i])
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
        let at = self.find(&key).unwrap_or_else(|at| at);
        let expires_ms = ttl_ms.map(|t| now.saturating_add(t));
        self.entries.insert(at, Entry { key, cached, bytes, cached_ms: now, expires_ms, used: self.tick });
        self.bytes += bytes;
        let mut evicted = (0, 0);
        while self.bytes > limit {
            let Some((oldest, _)) = self.entries.iter().enumerate().min_by_key(|(_, e)| e.used) else {
                break;
            };
            match self.take(oldest).key {
                EntryKey::Item { .. } => evicted.0 += 1,
                EntryKey::Query { .. } => evicted.1 += 1,
            }
        }
        evicted
    }

    fn take(&mut self, i: usize) -> Entry {
        let entry = self.entries.remove(i);
        self.bytes -= entry.bytes;
        entry
    }

    /// Drops the entry under `key`, if any.
    pub fn remove(&mut self, key: &EntryKey) {
        if let Ok(i) = self.find(key) {
            self.take(i);
        }
    }

    /// Bytes held (expired entries included, until they are evicted or looked up).
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The entries still live at `now`, most recently used first.
    pub fn live(&self, now: u64) -> Vec<&Entry> {
        let mut live: Vec<&Entry> = self.entries.iter().filter(|e| !e.expired(now)).collect();
        crate::types::sort_by(&mut live, |a, b| b.used.cmp(&a.used));
        live
    }
}
