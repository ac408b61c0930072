//! Partitions of a table or global secondary index: how many there are, which partition-key
//! hashes each holds, what each stores, and the capacity state each carries.
//!
//! **Key → partition.** A partition key's *token* is `KeyValue::hash64` (FNV-1a over a type
//! tag and the value's bytes, finished with splitmix64; stable across versions and
//! platforms). Partitions are contiguous, non-overlapping token ranges that together cover
//! `0 ..= u64::MAX`; items are stored in token order, so a partition is a contiguous run of
//! Scan order and a split simply cuts a range in two.
//!
//! **How many.** Provisioned, the classic rule [bp-partition-key-design]:
//! `max(ceil(RCU / 3000 + WCU / 1000), ceil(size / partition size limit), 1)`. On demand, a
//! table has as many partitions as the throughput it sustains now needs, reads and writes each
//! on their own: `max(ceil(RCU / 3000), ceil(WCU / 1000), ceil(size / limit), 1)` — a new
//! table's warm throughput of 12,000 reads and 4,000 writes a second [warm-throughput] fits
//! four partitions, and grows with its peaks (see `capacity/on_demand.rs`). The size limit is
//! 10 GB, scaled down by the playground setting `PartitionSizeLimitBytes` so learner-sized data
//! splits. Items count with DynamoDB's 100-byte per-item storage overhead.
//!
//! **Splits, never merges.** Growth in throughput halves the widest partitions until the rule
//! is met; growth in size cuts a partition at the partition key where half its bytes lie;
//! a partition whose traffic is dominated by one key while it is held at its per-partition
//! ceiling is split around that key so the key sits alone (adaptive capacity's isolation of
//! a hot item). Nothing ever merges partitions back.

pub(crate) mod hot_keys;

use crate::capacity::bucket::{Bucket, CEILING_BURST_SECONDS};
use crate::capacity::metrics::Series;

/// DynamoDB's partition size limit.
pub(crate) const TEN_GB: u64 = 10 * 1024 * 1024 * 1024;
/// Per-item storage overhead counted towards a partition's size.
pub(crate) const ITEM_OVERHEAD_BYTES: u64 = 100;
/// Per-partition ceilings, units per second.
pub(crate) const PARTITION_MAX_RCU: i64 = 3_000;
pub(crate) const PARTITION_MAX_WCU: i64 = 1_000;
/// Seconds a partition must be held at its ceiling by one dominant key before that key is
/// isolated onto its own partition.
pub(crate) const ISOLATE_AFTER_SECONDS: u32 = 3;

/// The classic partition-count rule.
pub(crate) fn partitions_for(rcu: u64, wcu: u64, bytes: u64, size_limit: u64) -> usize {
    // ceil(r/3000 + w/1000) = ceil((r + 3w) / 3000), exactly in integers.
    let by_throughput = (rcu + 3 * wcu).div_ceil(3_000);
    let by_size = bytes.div_ceil(size_limit.max(1));
    by_throughput.max(by_size).max(1) as usize
}

/// The partition count of an on-demand table or index sustaining `rcu` and `wcu` a second.
pub(crate) fn partitions_for_on_demand(rcu: u64, wcu: u64, bytes: u64, size_limit: u64) -> usize {
    let by_throughput = rcu.div_ceil(PARTITION_MAX_RCU as u64).max(wcu.div_ceil(PARTITION_MAX_WCU as u64));
    let by_size = bytes.div_ceil(size_limit.max(1));
    by_throughput.max(by_size).max(1) as usize
}

/// Per-second heat of a partition: a majority-vote candidate (Boyer–Moore) for the key that
/// dominates its traffic, and how many consecutive seconds it was held at its ceiling.
#[derive(Clone, Debug, Default)]
pub(crate) struct Heat {
    pub second: u64,
    pub candidate: Option<u64>,
    pub votes: i64,
    /// The current second hit the per-partition ceiling.
    pub capped: bool,
    /// Consecutive capped seconds with the same candidate.
    pub streak: u32,
    pub streak_candidate: Option<u64>,
}

impl Heat {
    /// Notes one request on `token` at engine second `second`.
    pub fn vote(&mut self, second: u64, token: u64) {
        if second != self.second {
            self.close_second(second);
        }
        match self.candidate {
            Some(c) if c == token => self.votes += 1,
            _ if self.votes == 0 => {
                self.candidate = Some(token);
                self.votes = 1;
            }
            _ => self.votes -= 1,
        }
    }

    fn close_second(&mut self, next: u64) {
        if self.capped && next == self.second + 1 && self.candidate.is_some() {
            if self.streak_candidate == self.candidate {
                self.streak += 1;
            } else {
                self.streak = 1;
                self.streak_candidate = self.candidate;
            }
        } else if !self.capped || next != self.second + 1 {
            self.streak = 0;
            self.streak_candidate = None;
        }
        self.second = next;
        self.candidate = None;
        self.votes = 0;
        self.capped = false;
    }
}

/// One partition.
#[derive(Clone, Debug)]
pub(crate) struct Partition {
    /// Stable id within its table or index (a split retires the id and issues new ones).
    pub id: u32,
    /// First and last token held (inclusive).
    pub start: u64,
    pub end: u64,
    pub items: u64,
    /// Item bytes (without the per-item overhead).
    pub bytes: u64,
    /// Provisioned mode: this partition's share of the table's capacity, with burst.
    pub read: Bucket,
    pub write: Bucket,
    /// Both modes: the per-partition ceiling (3,000 RCU / 1,000 WCU a second), banking
    /// `CEILING_BURST_SECONDS` of it.
    pub read_ceiling: Bucket,
    pub write_ceiling: Bucket,
    pub heat: Heat,
    pub series: Series,
}

impl Partition {
    fn new(id: u32, start: u64, end: u64) -> Self {
        Self {
            id,
            start,
            end,
            items: 0,
            bytes: 0,
            read: Bucket::default(),
            write: Bucket::default(),
            // Full from the start: the first refill (at any engine time) keeps it at capacity.
            read_ceiling: Bucket::banking(PARTITION_MAX_RCU * 1000, CEILING_BURST_SECONDS, 0),
            write_ceiling: Bucket::banking(PARTITION_MAX_WCU * 1000, CEILING_BURST_SECONDS, 0),
            heat: Heat::default(),
            series: Series::keeping(crate::capacity::metrics::PARTITION_HISTORY_SECONDS),
        }
    }

    /// Stored size counted against the partition size limit.
    pub fn stored_bytes(&self) -> u64 {
        self.bytes + ITEM_OVERHEAD_BYTES * self.items
    }
}

/// Sizes of the partition keys of one token range, in token order: (token, items, bytes).
pub(crate) type RangeSizes<'a> = Box<dyn Iterator<Item = (u64, u64, u64)> + 'a>;

/// The partitions of a table or index.
#[derive(Clone, Debug)]
pub(crate) struct PartitionMap {
    pub parts: Vec<Partition>,
    next_id: u32,
    /// Partitions over the size limit, waiting to be split at the next maintenance.
    pub oversized: bool,
    /// The size limit in force (the engine setting, copied at each maintenance).
    pub size_limit: u64,
    /// A partition has been held at its ceiling by one key long enough to isolate that key.
    pub isolate: bool,
}

impl Default for PartitionMap {
    fn default() -> Self {
        Self {
            parts: vec![Partition::new(0, 0, u64::MAX)],
            next_id: 1,
            oversized: false,
            size_limit: TEN_GB,
            isolate: false,
        }
    }
}

impl PartitionMap {
    /// The index of the partition holding `token` (binary search over a handful of ranges).
    pub fn index_of(&self, token: u64) -> usize {
        self.parts.partition_point(|p| p.end < token).min(self.parts.len() - 1)
    }

    /// Records an item added (`+`) or removed (`-`) under `token`.
    pub fn record(&mut self, token: u64, items: i64, bytes: i64) {
        let i = self.index_of(token);
        let p = &mut self.parts[i];
        p.items = p.items.saturating_add_signed(items);
        p.bytes = p.bytes.saturating_add_signed(bytes);
        if p.stored_bytes() > self.size_limit {
            self.oversized = true;
        }
    }

    /// Replaces the single initial partition by `count` equal token ranges and recounts them
    /// from `sizes` (every partition key of the store, in token order).
    pub fn lay_out(&mut self, count: usize, sizes: RangeSizes<'_>) {
        let count = count.max(1) as u128;
        let width = (u128::from(u64::MAX) + 1) / count;
        self.parts = (0..count)
            .map(|i| {
                let start = (i * width) as u64;
                let end = if i + 1 == count { u64::MAX } else { ((i + 1) * width - 1) as u64 };
                let id = self.next_id;
                self.next_id += 1;
                Partition::new(id, start, end)
            })
            .collect();
        for (token, items, bytes) in sizes {
            let i = self.index_of(token);
            self.parts[i].items += items;
            self.parts[i].bytes += bytes;
        }
    }

    /// Splits partition `i` into `[start, at - 1]` and `[at, end]`; `left` are the sizes of
    /// the left part. Buckets are shared out in proportion to the new ranges' count (each half
    /// keeps half of what was banked); the caller re-rates them.
    pub fn split(&mut self, i: usize, at: u64, left_items: u64, left_bytes: u64) -> bool {
        let Some(p) = self.parts.get(i) else { return false };
        if at <= p.start || at > p.end {
            return false;
        }
        let p = self.parts.remove(i);
        let mut left = Partition::new(self.next_id, p.start, at - 1);
        let mut right = Partition::new(self.next_id + 1, at, p.end);
        self.next_id += 2;
        left.items = left_items.min(p.items);
        left.bytes = left_bytes.min(p.bytes);
        right.items = p.items - left.items;
        right.bytes = p.bytes - left.bytes;
        for (half, bucket) in [(&mut left, 0), (&mut right, 1)] {
            half.read = p.read.clone();
            half.write = p.write.clone();
            half.read.level = p.read.level / 2 + if bucket == 0 { p.read.level % 2 } else { 0 };
            half.write.level = p.write.level / 2 + if bucket == 0 { p.write.level % 2 } else { 0 };
            // Each half is a whole partition with its own ceiling, and keeps what the parent
            // had banked (or owed) of it: a split adds throughput, it does not refund traffic.
            half.read_ceiling = p.read_ceiling.clone();
            half.write_ceiling = p.write_ceiling.clone();
        }
        self.parts.insert(i, right);
        self.parts.insert(i, left);
        true
    }

    /// Index of the partition with the widest token range (the one a throughput split halves).
    pub fn widest(&self) -> usize {
        self.parts
            .iter()
            .enumerate()
            .max_by_key(|(i, p)| (p.end - p.start, std::cmp::Reverse(*i)))
            .map_or(0, |(i, _)| i)
    }
}

impl PartitionMap {
    /// The layout as a snapshot keeps it: each partition's id and first token, and the next
    /// id. (Ranges tile the token space, so the first tokens say where each ends too.)
    pub fn layout_json(&self) -> serde_json::Value {
        let ids: Vec<u32> = self.parts.iter().map(|p| p.id).collect();
        let starts: Vec<u64> = self.parts.iter().map(|p| p.start).collect();
        serde_json::json!({"Ids": ids, "Starts": starts, "NextId": self.next_id})
    }

    /// A map with the layout of [`PartitionMap::layout_json`], its partitions counted from
    /// `sizes` (every partition key of the store, in token order); `None` if `v` is not a
    /// layout (the first partition must start at token 0, the next ones in increasing order).
    pub fn from_layout(v: &serde_json::Value, sizes: RangeSizes<'_>) -> Option<Self> {
        let list = |name: &str| v.get(name)?.as_array();
        let ids = list("Ids")?.iter().map(|i| u32::try_from(i.as_u64()?).ok()).collect::<Option<Vec<_>>>()?;
        let starts = list("Starts")?.iter().map(serde_json::Value::as_u64).collect::<Option<Vec<_>>>()?;
        let next_id = u32::try_from(v.get("NextId")?.as_u64()?).ok()?;
        let ordered = starts.windows(2).all(|w| w[0] < w[1]);
        if ids.len() != starts.len()
            || starts.first() != Some(&0)
            || !ordered
            || ids.iter().any(|i| *i >= next_id)
        {
            return None;
        }
        let ends = starts.iter().skip(1).map(|s| s - 1).chain(std::iter::once(u64::MAX));
        let parts =
            ids.iter().zip(&starts).zip(ends).map(|((id, start), end)| Partition::new(*id, *start, end));
        let mut map = Self { parts: parts.collect(), next_id, ..Self::default() };
        for (token, items, bytes) in sizes {
            let i = map.index_of(token);
            map.parts[i].items += items;
            map.parts[i].bytes += bytes;
        }
        Some(map)
    }
}

/// Where to cut a partition so half its stored bytes fall on each side: the token of the first
/// partition key past the half-way mark, with the sizes left of it — or, when the last key
/// alone holds more than half, the token of that last key (the cut nearest the middle).
/// `None` when the partition holds a single partition key (an item collection cannot be
/// split).
pub(crate) fn size_split_point(sizes: RangeSizes<'_>, total: u64) -> Option<(u64, u64, u64)> {
    let mut items = 0;
    let mut bytes = 0;
    let mut seen_any = false;
    let mut last_cut = None;
    for (token, n, b) in sizes {
        if seen_any {
            let stored = bytes + ITEM_OVERHEAD_BYTES * items;
            if stored * 2 >= total {
                return Some((token, items, bytes));
            }
            last_cut = Some((token, items, bytes));
        }
        seen_any = true;
        items += n;
        bytes += b;
    }
    last_cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_rule_counts() {
        const GB: u64 = 1024 * 1024 * 1024;
        assert_eq!(partitions_for(5, 5, 0, TEN_GB), 1);
        assert_eq!(partitions_for(3_000, 0, 0, TEN_GB), 1);
        assert_eq!(partitions_for(3_001, 0, 0, TEN_GB), 2);
        assert_eq!(partitions_for(1_000, 500, 0, TEN_GB), 1);
        // 7,500 RCU + 2,000 WCU: 2.5 + 2 = 4.5 → 5.
        assert_eq!(partitions_for(7_500, 2_000, 0, TEN_GB), 5);
        // Provisioned 12,000 RCU and 4,000 WCU: 12,000 / 3,000 + 4,000 / 1,000 = 8.
        assert_eq!(partitions_for(12_000, 4_000, 0, TEN_GB), 8);
        // A new on-demand table, 12,000 reads or 4,000 writes a second: 4.
        assert_eq!(partitions_for_on_demand(12_000, 4_000, 0, TEN_GB), 4);
        assert_eq!(partitions_for_on_demand(12_000, 9_000, 0, TEN_GB), 9);
        assert_eq!(partitions_for_on_demand(0, 0, 25 * GB, TEN_GB), 3);
        // Size wins: 25 GB at 10 GB per partition.
        assert_eq!(partitions_for(100, 100, 25 * GB, TEN_GB), 3);
        // The playground's scaled-down limit: 1 MB of data at 256 KB per partition.
        assert_eq!(partitions_for(5, 5, 1024 * 1024, 256 * 1024), 4);
    }

    #[test]
    fn a_size_split_cuts_nearest_the_middle() {
        let cut = |keys: &[(u64, u64)]| {
            let total: u64 = keys.iter().map(|(_, b)| b + ITEM_OVERHEAD_BYTES).sum();
            let sizes: Vec<_> = keys.iter().map(|&(token, bytes)| (token, 1, bytes)).collect();
            size_split_point(Box::new(sizes.into_iter()), total).map(|(at, items, _)| (at, items))
        };
        // Half the bytes are left of the third key.
        assert_eq!(cut(&[(10, 100), (20, 100), (30, 100), (40, 100)]), Some((30, 2)));
        // The last key holds more than half: cut just before it rather than not at all (two
        // keys of 7,100 bytes and one of 15,834 once stayed together over an 8 KB limit, and a
        // later split of the table then found the first two over the limit).
        assert_eq!(cut(&[(10, 7_100), (20, 7_100), (30, 15_834)]), Some((30, 2)));
        assert_eq!(cut(&[(10, 100), (20, 50_000)]), Some((20, 1)));
        // One partition key cannot be split.
        assert_eq!(cut(&[(10, 50_000)]), None);
        assert_eq!(cut(&[]), None);
    }

    #[test]
    fn tokens_find_their_contiguous_range() {
        let mut map = PartitionMap::default();
        map.lay_out(4, Box::new(std::iter::empty()));
        assert_eq!(map.parts.len(), 4);
        assert_eq!(map.index_of(0), 0);
        assert_eq!(map.index_of(u64::MAX / 4), 0);
        assert_eq!(map.index_of(u64::MAX / 4 + 1), 1);
        assert_eq!(map.index_of(u64::MAX), 3);
        assert!(map.split(1, map.parts[1].start + 10, 0, 0));
        assert_eq!(map.parts.len(), 5);
        assert_eq!(map.parts[1].end + 1, map.parts[2].start);
        // Ranges still tile the token space.
        for w in map.parts.windows(2) {
            assert_eq!(w[0].end + 1, w[1].start);
        }
    }

    #[test]
    fn a_layout_survives_its_snapshot_form() {
        let mut map = PartitionMap::default();
        map.lay_out(3, Box::new(std::iter::empty()));
        assert!(map.split(2, map.parts[2].start + 7, 0, 0));
        let sizes = [(5u64, 1u64, 10u64), (u64::MAX, 2, 30)];
        let copy = PartitionMap::from_layout(&map.layout_json(), Box::new(sizes.into_iter())).unwrap();
        let ranges = |m: &PartitionMap| m.parts.iter().map(|p| (p.id, p.start, p.end)).collect::<Vec<_>>();
        assert_eq!(ranges(&copy), ranges(&map));
        assert_eq!((copy.parts[0].items, copy.parts[3].items, copy.parts[3].bytes), (1, 2, 30));
        assert_eq!(copy.next_id, map.next_id);
        for bad in [
            serde_json::json!({"Ids": [1], "Starts": [5], "NextId": 2}),
            serde_json::json!({"Ids": [1, 2], "Starts": [0, 0], "NextId": 3}),
            serde_json::json!({"Ids": [1], "Starts": [0], "NextId": 1}),
            serde_json::json!({"Ids": [1, 2], "Starts": [0], "NextId": 3}),
        ] {
            assert!(PartitionMap::from_layout(&bad, Box::new(std::iter::empty())).is_none(), "{bad}");
        }
    }
}
