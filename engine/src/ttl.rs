//! Time to Live expiry: items whose TTL attribute (epoch seconds, type N) is in the past are
//! deleted by DynamoDB itself, "typically within a few days". The playground deletes them
//! [`EngineConfig::ttl_deletion_delay_ms`](crate::EngineConfig) (default
//! [`DEFAULT_TTL_DELETION_DELAY_MS`], 5 s) after they expire, so a learner sees it happen;
//! until then they are still read, queried, scanned and updatable like any item.
//!
//! Nothing runs in the background: when engine time moves (`Engine::set_now` / `advance`),
//! at most once per engine second, each table with TTL ENABLED deletes its due items. A table
//! keeps an index of TTL deadlines (maintained on every put/delete), so a sweep touches only
//! the items that are due. Deletions go through `write::commit` like any delete, emit REMOVE
//! stream records carrying `userIdentity` {Type: Service, PrincipalId: dynamodb.amazonaws.com}, and consume no
//! write capacity.

use std::collections::{BTreeSet, HashMap};

use crate::ops::write::{self, Outcome, Plan};
use crate::streams::Origin;
use crate::table::Table;
use crate::types::{AttributeValue, Item, PartitionKey, PrimaryKey};

/// The playground's default delay between an item's expiry and its deletion.
pub const DEFAULT_TTL_DELETION_DELAY_MS: u64 = 5_000;

/// DynamoDB leaves alone items whose expiry is more than five years in the past (a TTL
/// attribute holding milliseconds or another unit by mistake, rather than seconds).
const FIVE_YEARS_MS: i64 = 5 * 365 * 86_400_000;

/// The TTL deadlines of one table's items.
#[derive(Clone, Debug, Default)]
pub(crate) struct TtlIndex {
    attribute: String,
    /// (expiry in engine ms, key), soonest first. One set of pairs rather than a map of sets:
    /// each tree type compiles its own code into the browser bundle.
    by_expiry: BTreeSet<(i64, PrimaryKey)>,
    by_key: HashMap<PrimaryKey, i64>,
}

impl TtlIndex {
    /// The index of every item of `table` under the TTL attribute `attribute`.
    pub fn build(table: &Table, attribute: &str) -> Self {
        let mut index = Self { attribute: attribute.to_owned(), ..Self::default() };
        for item in table.items.iter().map(|entry| entry.item()) {
            if let Ok(key) = table.key_schema.key_of_item(&item) {
                index.update(&key, Some(&item));
            }
        }
        index
    }

    /// When `item` expires, in engine ms: its TTL attribute if it is a number.
    fn expiry_of(&self, item: &Item) -> Option<i64> {
        match item.get(&self.attribute) {
            Some(AttributeValue::N(n)) => n.to_millis(),
            _ => None,
        }
    }

    /// Keeps the index in step with a write of `key` (`None`: the item was deleted).
    pub fn update(&mut self, key: &PrimaryKey, item: Option<&Item>) {
        let expiry = item.and_then(|i| self.expiry_of(i));
        if self.by_key.get(key).copied() == expiry {
            return;
        }
        if let Some(old) = self.by_key.remove(key) {
            self.by_expiry.remove(&(old, key.clone()));
        }
        if let Some(expiry) = expiry {
            self.by_key.insert(key.clone(), expiry);
            self.by_expiry.insert((expiry, key.clone()));
        }
    }

    /// Keys whose items expired at or before `cutoff_ms` (and not more than five years before
    /// `now_ms`).
    pub fn due(&self, cutoff_ms: i64, now_ms: i64) -> Vec<PrimaryKey> {
        if cutoff_ms < now_ms - FIVE_YEARS_MS {
            return Vec::new();
        }
        // From the smallest pair at the five-year mark: items left alone are not walked again.
        let smallest_key = PrimaryKey { partition: PartitionKey::first_with_token(0), sort: None };
        self.by_expiry
            .range((now_ms - FIVE_YEARS_MS, smallest_key)..)
            .take_while(|(at, _)| *at <= cutoff_ms)
            .map(|(_, key)| key.clone())
            .collect()
    }

    /// Items waiting in the index (for tests and the UI's "about to expire" list).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.by_key.len()
    }
}

/// Deletes the items of `table` due at engine time `now` (expired at least `delay_ms` ago).
/// Returns how many were deleted. A deletion replicates like any write (`lag`).
pub(crate) fn sweep(table: &mut Table, now: u64, delay_ms: u64, lag: crate::replication::Lag) -> usize {
    let settled =
        table.control.ttl.as_ref().is_some_and(|t| t.enabled && now >= t.changed_ms + TTL_TRANSITION_MS);
    let Some(index) = table.ttl_index.as_ref().filter(|_| settled) else { return 0 };
    let now_ms = i64::try_from(now).unwrap_or(i64::MAX);
    let due = index.due(now_ms.saturating_sub(i64::try_from(delay_ms).unwrap_or(i64::MAX)), now_ms);
    let count = due.len();
    for key in due {
        let old = table.get(&key);
        let plan = Plan { key, old, outcome: Outcome::Remove };
        // A TTL deletion consumes no write capacity: the units are dropped.
        let _ = write::commit_as(table, plan, now, lag, Origin::TimeToLive);
    }
    count
}

/// How long after enabling TTL the sweeper starts: at once, as DescribeTimeToLive reports
/// ENABLED as soon as UpdateTimeToLive returns.
pub(crate) const TTL_TRANSITION_MS: u64 = 0;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{KeyValue, Number};

    fn key(s: &str) -> PrimaryKey {
        PrimaryKey::new(KeyValue::S(s.into()), None)
    }

    fn item(expires: &str) -> Item {
        let mut i = Item::new();
        i.insert("exp".into(), AttributeValue::N(Number::parse(expires).unwrap_or(Number::ZERO)));
        i
    }

    #[test]
    fn the_index_follows_writes() {
        let mut index = TtlIndex { attribute: "exp".into(), ..TtlIndex::default() };
        index.update(&key("a"), Some(&item("100")));
        index.update(&key("b"), Some(&item("200.9")));
        assert_eq!(index.due(150_000, 150_000), vec![key("a")]);
        index.update(&key("a"), Some(&item("300")));
        assert!(index.due(150_000, 150_000).is_empty());
        assert_eq!(index.due(200_900, 200_900), vec![key("b")]);
        index.update(&key("b"), None);
        index.update(&key("a"), Some(&Item::new()));
        assert_eq!(index.len(), 0);
    }

    #[test]
    fn expiry_more_than_five_years_old_is_ignored() {
        let mut index = TtlIndex { attribute: "exp".into(), ..TtlIndex::default() };
        index.update(&key("a"), Some(&item("1")));
        let now = 1_767_225_600_000;
        assert!(index.due(now, now).is_empty());
    }
}
