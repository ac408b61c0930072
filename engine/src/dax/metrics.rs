//! A cluster's per-second counters (requests, hits, misses and evictions of each cache), as
//! CloudWatch charts DAX's `ItemCacheHits`, `QueryCacheMisses`…, and their totals since the
//! cluster was made (or the page loaded: they are session state).
//!
//! A ring of [`HISTORY_SECONDS`] slots indexed by engine second, as the capacity metrics keep
//! theirs (`capacity/metrics.rs`): O(1) to count, fixed memory, allocated on first use.

use serde_json::{Map, Value};

/// How many seconds of history a cluster keeps (one hour).
pub(crate) const HISTORY_SECONDS: usize = 3_600;

/// What is counted, in the order of a slot's counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Counter {
    Requests,
    ItemCacheHits,
    ItemCacheMisses,
    ItemCacheEvictions,
    QueryCacheHits,
    QueryCacheMisses,
    QueryCacheEvictions,
}

/// Every counter, named as the metrics answer names it.
const COUNTERS: [(Counter, &str); 7] = [
    (Counter::Requests, "Requests"),
    (Counter::ItemCacheHits, "ItemCacheHits"),
    (Counter::ItemCacheMisses, "ItemCacheMisses"),
    (Counter::ItemCacheEvictions, "ItemCacheEvictions"),
    (Counter::QueryCacheHits, "QueryCacheHits"),
    (Counter::QueryCacheMisses, "QueryCacheMisses"),
    (Counter::QueryCacheEvictions, "QueryCacheEvictions"),
];

/// One second's counters.
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    second: u64,
    counts: [u32; 7],
}

/// Per-second counters and totals.
#[derive(Clone, Debug, Default)]
pub(crate) struct Metrics {
    slots: Vec<Slot>,
    totals: [u64; 7],
}

impl Metrics {
    /// Counts `n` of `counter` in engine second `second`.
    pub fn add(&mut self, second: u64, counter: Counter, n: u32) {
        if n == 0 {
            return;
        }
        if self.slots.is_empty() {
            self.slots = vec![Slot { second: u64::MAX, counts: [0; 7] }; HISTORY_SECONDS];
        }
        let slot = &mut self.slots[(second % HISTORY_SECONDS as u64) as usize];
        if slot.second != second {
            *slot = Slot { second, counts: [0; 7] };
        }
        slot.counts[counter as usize] = slot.counts[counter as usize].saturating_add(n);
        self.totals[counter as usize] += u64::from(n);
    }

    /// The total of `counter`.
    pub fn total(&self, counter: Counter) -> u64 {
        self.totals[counter as usize]
    }

    /// Every total, by name.
    pub fn totals_json(&self) -> Value {
        let mut m = Map::new();
        for (c, name) in COUNTERS {
            m.insert(name.into(), Value::from(self.total(c)));
        }
        Value::Object(m)
    }

    /// The seconds `(since, now]` (at most the last hour) as columns, quiet seconds as zeros:
    /// `{"StartSecond", "EndSecond", "Requests": [...], "ItemCacheHits": [...], ...}`.
    pub fn columns(&self, since: Option<u64>, now_ms: u64) -> Value {
        let to = now_ms / 1000;
        let oldest = to.saturating_sub(HISTORY_SECONDS as u64 - 1);
        let start = since.map_or(oldest, |s| s.saturating_add(1)).max(oldest);
        let mut cols: [Vec<u32>; 7] = Default::default();
        for second in start..=to {
            let slot =
                self.slots.get((second % HISTORY_SECONDS as u64) as usize).filter(|s| s.second == second);
            for (i, col) in cols.iter_mut().enumerate() {
                col.push(slot.map_or(0, |s| s.counts[i]));
            }
        }
        let mut m = Map::new();
        m.insert("StartSecond".into(), Value::from(start));
        m.insert("EndSecond".into(), Value::from(to));
        for ((_, name), col) in COUNTERS.iter().zip(cols) {
            m.insert((*name).into(), Value::from(col));
        }
        Value::Object(m)
    }
}
