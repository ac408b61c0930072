//! The reference model: a sorted map of items per table, engine time, and Time to Live. It is
//! deliberately plain. Secondary indexes are not maintained: an index's contents are derived
//! from the table on demand ([`Model::index_entries`]), so "the index equals the projection
//! of its table" is checked against a derivation rather than a second implementation.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;

use crate::ops::TxAction;
use crate::schema::{key_of, IndexDef, Key, Projection, TableId, TABLE_IDS, TTL_ATTRIBUTE};
use crate::values::{Item, Scalar, Val};

/// How long after UpdateTimeToLive the table's TTL is ENABLED and sweeping starts (DynamoDB
/// shows ENABLING for a while; the playground for one second of engine time).
pub const TTL_ENABLING_MS: u64 = 1_000;

/// The online index of `Hash` (`schema::ONLINE_INDEX`), as UpdateTable left it.
#[derive(Clone, Copy, Debug, Default)]
pub struct OnlineIndex {
    pub present: bool,
    /// Readable from this engine time on: backfilling until then (CREATING).
    pub ready_at_ms: u64,
    /// A deleted index shows DELETING until then.
    pub deleting_until_ms: u64,
    /// The table is UPDATING until then.
    pub updating_until_ms: u64,
}

impl OnlineIndex {
    /// Whether Query and Scan can read it now.
    pub fn readable(&self, now_ms: u64) -> bool {
        self.present && now_ms >= self.ready_at_ms
    }
}

/// An item's entry in a secondary index (a table's items are entries of themselves).
#[derive(Clone, Debug)]
pub struct IndexEntry<'a> {
    pub hash: Scalar,
    pub range: Option<Scalar>,
    /// A multi-attribute key's further HASH and RANGE values.
    pub more_hash: Vec<Scalar>,
    pub more_range: Vec<Scalar>,
    pub table_key: &'a Key,
    /// The projected copy the index holds.
    pub projected: Cow<'a, Item>,
    /// The whole table item (a local index fetches from it).
    pub full: &'a Item,
}

impl IndexEntry<'_> {
    /// The values an index orders its entries by: its RANGE attributes, in order.
    pub fn sort_values(&self) -> Vec<&Scalar> {
        self.range.iter().chain(&self.more_range).collect()
    }
}

pub struct Model {
    tables: [BTreeMap<Key, Item>; 3],
    /// Engine time, ms.
    pub now_ms: u64,
    /// How long after expiry TTL deletes an item.
    pub ttl_delay_ms: u64,
    /// When UpdateTimeToLive enabled TTL on every table.
    pub ttl_enabled_ms: u64,
    /// The engine second of the last sweep: sweeps happen once per second of engine time.
    swept_second: u64,
    /// Items deleted by TTL so far.
    pub ttl_deletions: u64,
    /// `ClientRequestToken`s of successful TransactWriteItems: token, `TransactItems`, when.
    pub client_tokens: Vec<(String, Value, u64)>,
    /// The last TransactWriteItems sent (its actions and request), for a retry.
    pub last_transaction: Option<(Vec<(TableId, TxAction)>, Value)>,
    pub online_index: OnlineIndex,
}

impl Model {
    pub fn new(now_ms: u64, ttl_delay_ms: u64, ttl_enabled_ms: u64) -> Self {
        Model {
            tables: Default::default(),
            now_ms,
            ttl_delay_ms,
            ttl_enabled_ms,
            swept_second: now_ms / 1000,
            ttl_deletions: 0,
            client_tokens: Vec::new(),
            last_transaction: None,
            online_index: OnlineIndex::default(),
        }
    }

    pub fn items(&self, table: TableId) -> &BTreeMap<Key, Item> {
        &self.tables[table as usize]
    }

    pub fn get(&self, table: TableId, key: &Key) -> Option<&Item> {
        self.tables[table as usize].get(key)
    }

    /// Stores `item` (replacing any item under its key); returns the old one.
    pub fn put(&mut self, table: TableId, item: Item) -> Option<Item> {
        self.tables[table as usize].insert(key_of(table, &item), item)
    }

    pub fn delete(&mut self, table: TableId, key: &Key) -> Option<Item> {
        self.tables[table as usize].remove(key)
    }

    /// Stores `new` under `key`, or deletes the item when `new` is `None`.
    pub fn set(&mut self, table: TableId, key: &Key, new: Option<Item>) {
        match new {
            Some(item) => {
                self.put(table, item);
            }
            None => {
                self.delete(table, key);
            }
        }
    }

    /// The entries of `index`, derived from the table: every item that has all the index key
    /// attributes (a sparse index skips the others), projected as the index says.
    pub fn index_entries(&self, table: TableId, index: &IndexDef) -> Vec<IndexEntry<'_>> {
        self.items(table)
            .iter()
            .filter_map(|(key, item)| {
                let hash = Scalar::of(item.get(index.hash)?)?;
                let range = match index.range {
                    Some(name) => Some(Scalar::of(item.get(name)?)?),
                    None => None,
                };
                // An item lacking any attribute of a multi-attribute key has no entry.
                let values = |names: &[&str]| {
                    names.iter().map(|n| Scalar::of(item.get(*n)?)).collect::<Option<Vec<_>>>()
                };
                let (more_hash, more_range) = (values(index.more_hash)?, values(index.more_range)?);
                let projected = match index.projection {
                    Projection::All => Cow::Borrowed(item),
                    Projection::KeysOnly | Projection::Include(_) => Cow::Owned(
                        item.iter()
                            .filter(|(name, _)| index.projects(table.def(), name))
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect(),
                    ),
                };
                Some(IndexEntry { hash, range, more_hash, more_range, table_key: key, projected, full: item })
            })
            .collect()
    }

    /// Engine time moves to `now_ms`. Once per engine second, as of the second's start, TTL
    /// deletes every item whose expiry (plus the deletion delay) has passed, on every table
    /// whose TTL is ENABLED by then. Returns how many items were deleted.
    pub fn advance_to(&mut self, now_ms: u64) -> usize {
        assert!(now_ms >= self.now_ms, "model time ran backwards");
        self.now_ms = now_ms;
        let second = now_ms / 1000;
        if second == self.swept_second {
            return 0;
        }
        self.swept_second = second;
        let at = second * 1000;
        if at < self.ttl_enabled_ms + TTL_ENABLING_MS {
            return 0;
        }
        let mut deleted = 0;
        for table in TABLE_IDS {
            let due: Vec<Key> = self
                .items(table)
                .iter()
                .filter(|(_, item)| match item.get(TTL_ATTRIBUTE) {
                    // Tenths of a second → ms.
                    Some(Val::N(tenths)) => tenths * 100 + self.ttl_delay_ms as i64 <= at as i64,
                    _ => false,
                })
                .map(|(k, _)| k.clone())
                .collect();
            for key in due {
                self.delete(table, &key);
                deleted += 1;
            }
        }
        self.ttl_deletions += deleted as u64;
        deleted
    }
}
