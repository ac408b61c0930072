//! The cache's rules on their own (LRU, TTL), the counters, names and node sizes; the rules
//! as a learner meets them, through requests, are in `tests/tests/dax.rs`.

use serde_json::json;

use super::cache::{Cache, Cached, EntryKey};
use super::*;
use crate::types::Item;

fn key(n: u32) -> EntryKey {
    EntryKey::Item { table: "T".into(), key: n.to_string() }
}

fn negative() -> Cached {
    Cached::Item { key: Item::new(), item: None }
}

#[test]
fn entries_expire_on_engine_time() {
    let mut cache = Cache::default();
    cache.insert(key(1), negative(), 100, 1_000, Some(300_000), u64::MAX);
    cache.insert(key(2), negative(), 100, 1_000, None, u64::MAX);
    assert!(cache.lookup(&key(1), 300_999).is_some(), "still live a millisecond before its TTL");
    assert!(cache.lookup(&key(1), 301_000).is_none(), "gone at its TTL");
    assert_eq!(cache.bytes(), 100, "the expired entry left the memory when looked up");
    assert!(cache.lookup(&key(2), u64::MAX - 1).is_some(), "no TTL: never expires");
}

#[test]
fn the_least_recently_used_entry_is_evicted_first() {
    let mut cache = Cache::default();
    cache.insert(key(1), negative(), 100, 0, None, 300);
    cache.insert(key(2), negative(), 100, 0, None, 300);
    cache.insert(key(3), negative(), 100, 0, None, 300);
    // A read makes 1 the most recently used: 2 is now the oldest.
    assert!(cache.lookup(&key(1), 0).is_some());
    let query = EntryKey::Query { table: "T".into(), request: "Scan {}".into() };
    let evicted = cache.insert(query.clone(), negative(), 100, 0, None, 300);
    assert_eq!(evicted, (1, 0), "one item entry made room");
    assert!(cache.lookup(&key(2), 0).is_none());
    assert!(cache.lookup(&key(1), 0).is_some() && cache.lookup(&key(3), 0).is_some());
    // An entry larger than the memory does not stay.
    let evicted = cache.insert(key(4), negative(), 1_000, 0, None, 300);
    assert_eq!(evicted, (3, 1), "everything went, the new entry too");
    assert_eq!(cache.bytes(), 0);
    assert!(cache.live(0).is_empty());
}

#[test]
fn replacing_an_entry_does_not_count_twice() {
    let mut cache = Cache::default();
    cache.insert(key(1), negative(), 100, 0, None, 1_000);
    cache.insert(key(1), negative(), 250, 5, None, 1_000);
    assert_eq!(cache.bytes(), 250);
    let live: Vec<_> = cache.live(5).into_iter().map(|e| (e.key.clone(), e.cached_ms)).collect();
    assert_eq!(live, [(key(1), 5)]);
}

#[test]
fn live_lists_most_recently_used_first_without_the_expired() {
    let mut cache = Cache::default();
    cache.insert(key(1), negative(), 1, 0, Some(10), u64::MAX);
    cache.insert(key(2), negative(), 1, 0, None, u64::MAX);
    cache.insert(key(3), negative(), 1, 0, None, u64::MAX);
    let order: Vec<EntryKey> = cache.live(5).into_iter().map(|e| e.key.clone()).collect();
    assert_eq!(order, [key(3), key(2), key(1)]);
    let order: Vec<EntryKey> = cache.live(10).into_iter().map(|e| e.key.clone()).collect();
    assert_eq!(order, [key(3), key(2)]);
}

#[test]
fn metrics_count_per_second_and_in_total() {
    let mut m = Metrics::default();
    m.add(10, Counter::ItemCacheHits, 2);
    m.add(10, Counter::ItemCacheHits, 1);
    m.add(12, Counter::QueryCacheMisses, 4);
    let cols = m.columns(Some(9), 12_000);
    assert_eq!((cols["StartSecond"].clone(), cols["EndSecond"].clone()), (json!(10), json!(12)));
    assert_eq!(cols["ItemCacheHits"], json!([3, 0, 0]));
    assert_eq!(cols["QueryCacheMisses"], json!([0, 0, 4]));
    assert_eq!(cols["Requests"], json!([0, 0, 0]));
    // A slot reused an hour later starts from zero.
    m.add(10 + metrics_history(), Counter::ItemCacheHits, 5);
    assert_eq!(m.total(Counter::ItemCacheHits), 8);
    let cols = m.columns(Some(9 + metrics_history()), (12 + metrics_history()) * 1000);
    assert_eq!(cols["ItemCacheHits"], json!([5, 0, 0]));
    assert_eq!(cols["QueryCacheMisses"], json!([0, 0, 0]), "the old second is not shown as new");
}

fn metrics_history() -> u64 {
    super::metrics::HISTORY_SECONDS as u64
}

#[test]
fn names_follow_daxs_identifier_rules() {
    assert_eq!(identifier("My-Cluster1", 20).as_deref(), Some("my-cluster1"));
    for bad in ["", "1abc", "a--b", "abc-", "a_b", "abcdefghijklmnopqrstu"] {
        assert_eq!(identifier(bad, 20), None, "{bad}");
    }
}

#[test]
fn node_types_have_their_memory() {
    assert_eq!(node_memory("dax.t3.small"), Some(2 << 30));
    assert_eq!(node_memory("dax.r5.large"), Some(16 << 30));
    assert_eq!(node_memory("dax.r5.24xlarge"), Some(768 << 30));
    assert_eq!(node_memory("dax.r4.2xlarge"), Some(64 << 30));
    assert_eq!(node_memory("dax.r5.12xlarge"), Some(384 << 30));
    assert_eq!(node_memory("dax.t3.large"), None);
    assert_eq!(node_memory("dax.r4.24xlarge"), None);
    assert_eq!(node_memory("cache.t3.small"), None);
}
