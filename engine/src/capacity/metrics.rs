//! Per-second metrics of engine time, as CloudWatch would show them for a table, an index or
//! (beyond CloudWatch) one partition: consumed and provisioned capacity, throttle events,
//! throttled requests, item count and size.
//!
//! A [`Series`] is a ring of [`HISTORY_SECONDS`] one-second slots (a partition's:
//! [`PARTITION_HISTORY_SECONDS`]) indexed by engine second,
//! so recording is O(1) and memory is fixed (allocated on first use: an idle partition costs
//! nothing). A slot is only written in seconds that saw activity; readers fill the gaps with
//! zero consumption and the last known gauges.
//!
//! **Burst bucket level** (provisioned mode, beyond CloudWatch): every charge, refund or
//! throttle records the level of the bucket it met and that bucket's engine time in its
//! second's slot (O(1)). A reader brings the last recorded level forward to the end of each
//! second (the current one: to now) at the second's refill rate, capped at 300 s of it: the
//! exact level while provisioning is unchanged, and a full bucket when nothing was recorded in
//! the last hour (an idle bucket refills within ten minutes).

use serde_json::{json, Map, Value};

use super::bucket::{Bucket, BURST_SECONDS, MICRO};

/// `Slot::read_burst` / `write_burst` when no bucket level was recorded in that second.
const NO_LEVEL: i64 = i64::MIN;

/// How many seconds of history a table's or index's series keeps (one hour).
#[cfg(not(fuzzing))]
pub(crate) const HISTORY_SECONDS: usize = 3_600;
/// Fuzz builds (cargo-fuzz sets `cfg(fuzzing)`) keep a partition's two minutes: each fuzz run
/// copies an engine whose tables and indexes hold a series each, and an hour of slots (288 KB
/// apiece) made that copy most of the run. The ring's code is the same for any length.
#[cfg(fuzzing)]
pub(crate) const HISTORY_SECONDS: usize = PARTITION_HISTORY_SECONDS;
/// How many seconds a partition's series keeps: the partition map shows this and the last
/// second, and a table with a small partition size limit has thousands of partitions — an
/// hour each (288 KB) would be hundreds of megabytes.
pub(crate) const PARTITION_HISTORY_SECONDS: usize = 120;

/// One second of one resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Slot {
    /// Engine second this slot holds (`u64::MAX` when never used).
    pub second: u64,
    /// Consumed read capacity, micro-units.
    pub read: i64,
    /// Consumed write capacity, micro-units.
    pub write: i64,
    pub read_throttle_events: u32,
    pub write_throttle_events: u32,
    /// API requests that were throttled (wholly or, for batches, in part).
    pub throttled_requests: u32,
    /// Provisioned (or, on demand, currently sustainable) capacity, milli-units per second.
    pub provisioned_read: u64,
    pub provisioned_write: u64,
    /// Gauges as of the end of the second.
    pub items: u64,
    pub bytes: u64,
    /// The last recorded burst bucket levels (micro-units; `NO_LEVEL` when none) and the
    /// millisecond within the second they were current at.
    pub read_burst: i64,
    pub write_burst: i64,
    pub read_burst_ms: u16,
    pub write_burst_ms: u16,
}

impl Slot {
    /// An empty slot for `second` starting from `gauges`.
    fn new(second: u64, g: Gauges) -> Self {
        Slot {
            second,
            read: 0,
            write: 0,
            read_throttle_events: 0,
            write_throttle_events: 0,
            throttled_requests: 0,
            provisioned_read: g.provisioned_read,
            provisioned_write: g.provisioned_write,
            items: g.items,
            bytes: g.bytes,
            read_burst: NO_LEVEL,
            write_burst: NO_LEVEL,
            read_burst_ms: 0,
            write_burst_ms: 0,
        }
    }

    /// Records the level of a read (`read`) or write bucket, as of the bucket's own time.
    pub fn note_bucket(&mut self, read: bool, bucket: &Bucket) {
        let ms = bucket.updated_ms.saturating_sub(self.second.saturating_mul(1000)).min(999) as u16;
        if read {
            (self.read_burst, self.read_burst_ms) = (bucket.level, ms);
        } else {
            (self.write_burst, self.write_burst_ms) = (bucket.level, ms);
        }
    }

    fn burst(&self, read: bool) -> Option<(i64, u64)> {
        let (level, ms) = if read {
            (self.read_burst, self.read_burst_ms)
        } else {
            (self.write_burst, self.write_burst_ms)
        };
        (level != NO_LEVEL).then(|| (level, self.second * 1000 + u64::from(ms)))
    }
}

/// Gauges a slot starts from: provisioned units, items and bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Gauges {
    pub provisioned_read: u64,
    pub provisioned_write: u64,
    pub items: u64,
    pub bytes: u64,
}

/// A bounded per-second history.
#[derive(Clone, Debug, Default)]
pub(crate) struct Series {
    slots: Vec<Slot>,
    /// The most recent second written.
    latest: Option<u64>,
    /// Seconds kept; 0 means [`HISTORY_SECONDS`].
    history: usize,
}

impl Series {
    /// A series keeping `seconds` of history (instead of [`HISTORY_SECONDS`]).
    pub fn keeping(seconds: usize) -> Self {
        Self { history: seconds, ..Self::default() }
    }

    /// Seconds kept.
    fn seconds(&self) -> usize {
        if self.history == 0 {
            HISTORY_SECONDS
        } else {
            self.history
        }
    }

    fn index(&self, second: u64) -> usize {
        (second % self.seconds() as u64) as usize
    }

    /// The slot of engine second `second`, reset (with `gauges`) when it held an older second.
    pub fn at(&mut self, second: u64, gauges: Gauges) -> &mut Slot {
        if self.slots.is_empty() {
            self.slots = vec![Slot::new(u64::MAX, Gauges::default()); self.seconds()];
        }
        let i = self.index(second);
        let slot = &mut self.slots[i];
        if slot.second != second {
            *slot = Slot::new(second, gauges);
        }
        if self.latest.is_none_or(|l| second > l) {
            self.latest = Some(second);
        }
        slot
    }

    /// Whether `second`'s slot is already in use (its gauges are set).
    pub fn is_current(&self, second: u64) -> bool {
        self.get(second).is_some()
    }

    /// The slot of `second` if it was written.
    pub fn get(&self, second: u64) -> Option<&Slot> {
        self.slots.get(self.index(second)).filter(|s| s.second == second)
    }

    /// The slot of `second` if it was written, to update.
    pub fn get_mut(&mut self, second: u64) -> Option<&mut Slot> {
        let i = self.index(second);
        self.slots.get_mut(i).filter(|s| s.second == second)
    }

    /// Consumed (read, write) micro-units in `second`.
    pub fn used(&self, second: u64) -> (i64, i64) {
        self.get(second).map_or((0, 0), |s| (s.read, s.write))
    }

    /// The seconds `(from, now]` (at most the last hour) as columns, gaps filled:
    /// `{"StartSecond", "EndSecond", "ConsumedReadCapacityUnits": [...], ...}`. Columns keep
    /// the JSON small and let a chart append `Since` the last second it drew. With `bucketed`
    /// (provisioned capacity) `ReadBucketLevel` / `WriteBucketLevel` hold the burst bucket's
    /// level at the end of each second (the last one: at `now_ms`), else `null`s.
    pub fn columns(&self, from: Option<u64>, now_ms: u64, current: Gauges, bucketed: bool) -> Value {
        let to = now_ms / 1000;
        let oldest = to.saturating_sub(self.seconds() as u64 - 1);
        let start = from.map_or(oldest, |f| f.saturating_add(1)).max(oldest);
        let mut cols: [Vec<Value>; 11] = Default::default();
        // The latest slot before `start` (within the hour), for the gauges and levels carried
        // into the first gap.
        let before = |pick: &dyn Fn(&Slot) -> bool| {
            (start.saturating_sub(self.seconds() as u64)..start)
                .rev()
                .find_map(|s| self.get(s).filter(|slot| pick(slot)))
        };
        let gauges_of = |s: &Slot| Gauges {
            provisioned_read: s.provisioned_read,
            provisioned_write: s.provisioned_write,
            items: s.items,
            bytes: s.bytes,
        };
        let mut carry = if self.latest.is_none() { Some(current) } else { before(&|_| true).map(gauges_of) };
        // Per bucket (read, write): the last recorded (level, engine ms).
        let mut levels =
            [true, false].map(|read| before(&|s| s.burst(read).is_some()).and_then(|s| s.burst(read)));
        let mut second = start;
        while second <= to {
            let slot =
                self.get(second).copied().unwrap_or_else(|| Slot::new(second, carry.unwrap_or(current)));
            carry = Some(gauges_of(&slot));
            cols[0].push(json!(units(slot.read)));
            cols[1].push(json!(units(slot.write)));
            cols[2].push(json!(slot.provisioned_read as f64 / 1000.0));
            cols[3].push(json!(slot.provisioned_write as f64 / 1000.0));
            cols[4].push(json!(slot.read_throttle_events));
            cols[5].push(json!(slot.write_throttle_events));
            cols[6].push(json!(slot.throttled_requests));
            cols[7].push(json!(slot.items));
            cols[8].push(json!(slot.bytes));
            let end_ms = (second.saturating_add(1) * 1000).min(now_ms.max(second * 1000));
            for (k, read) in [(0, true), (1, false)] {
                if let Some(l) = slot.burst(read) {
                    levels[k] = Some(l);
                }
                let rate = if read { slot.provisioned_read } else { slot.provisioned_write } as i64;
                let value = bucketed.then(|| level_at(levels[k], rate, end_ms));
                cols[9 + k].push(value.map_or(Value::Null, |v| json!(units(v))));
            }
            second += 1;
        }
        let names = [
            "ConsumedReadCapacityUnits",
            "ConsumedWriteCapacityUnits",
            "ProvisionedReadCapacityUnits",
            "ProvisionedWriteCapacityUnits",
            "ReadThrottleEvents",
            "WriteThrottleEvents",
            "ThrottledRequests",
            "ItemCount",
            "SizeBytes",
            "ReadBucketLevel",
            "WriteBucketLevel",
        ];
        let mut m = Map::new();
        m.insert("StartSecond".into(), json!(start));
        m.insert("EndSecond".into(), json!(to));
        for (name, col) in names.into_iter().zip(cols) {
            m.insert(name.into(), Value::Array(col));
        }
        Value::Object(m)
    }
}

/// A bucket's level (micro-units) at `at_ms`, refilled at `rate_per_ms` from its last recorded
/// `(level, ms)` and capped at `BURST_SECONDS` of that rate; full when none was recorded.
fn level_at(recorded: Option<(i64, u64)>, rate_per_ms: i64, at_ms: u64) -> i64 {
    let capacity = rate_per_ms.saturating_mul(1000 * BURST_SECONDS);
    match recorded {
        None => capacity,
        Some((level, ms)) => {
            let gained = rate_per_ms.saturating_mul(at_ms.saturating_sub(ms).min(i64::MAX as u64) as i64);
            level.saturating_add(gained).min(capacity)
        }
    }
}

/// Micro-units as capacity units (a JSON number; whole numbers stay integral).
pub(crate) fn units(micro: i64) -> f64 {
    micro as f64 / MICRO as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_keeps_an_hour_and_fills_gaps() {
        let mut s = Series::default();
        let g = Gauges { provisioned_read: 5_000, provisioned_write: 5_000, items: 1, bytes: 10 };
        s.at(10, g).read += 2 * MICRO;
        s.at(12, Gauges { items: 2, ..g }).write += MICRO;
        let cols = s.columns(Some(9), 13_000, g, false);
        assert_eq!(cols["StartSecond"], 10);
        assert_eq!(cols["ConsumedReadCapacityUnits"], json!([2.0, 0.0, 0.0, 0.0]));
        assert_eq!(cols["ItemCount"], json!([1, 1, 2, 2]));
        assert_eq!(cols["WriteBucketLevel"], json!([null, null, null, null]), "no bucket on demand");
        // A second an hour later reuses the slot.
        s.at(10 + HISTORY_SECONDS as u64, g);
        assert!(s.get(10).is_none());
    }

    #[test]
    fn a_partition_keeps_two_minutes() {
        let g = Gauges::default();
        let mut s = Series::keeping(PARTITION_HISTORY_SECONDS);
        s.at(10, g).read += MICRO;
        assert_eq!(s.slots.len(), PARTITION_HISTORY_SECONDS, "120 slots, not 3,600");
        assert!(s.get(10).is_some());
        s.at(10 + PARTITION_HISTORY_SECONDS as u64, g);
        assert!(s.get(10).is_none(), "two minutes later the slot is reused");
        let cols = s.columns(None, 10_000 + 200_000, g, false);
        assert_eq!(cols["ConsumedReadCapacityUnits"].as_array().unwrap().len(), PARTITION_HISTORY_SECONDS);
    }

    #[test]
    fn bucket_levels_are_recorded_per_charge_and_refilled_to_each_seconds_end() {
        // 5 WCU: 5,000 micro-units a millisecond, 1,500 units banked at most.
        let g = Gauges { provisioned_read: 5_000, provisioned_write: 5_000, items: 0, bytes: 0 };
        let mut s = Series::default();
        let mut bucket = Bucket::full(5_000, 10_000);
        bucket.charge(1_450 * MICRO);
        bucket.updated_ms = 10_500;
        s.at(10, g).note_bucket(false, &bucket);
        // Second 10 ends 500 ms later (+2.5), 11 is a gap (+5), 12 is read at 12,200 ms (+1).
        let cols = s.columns(Some(8), 12_200, g, true);
        assert_eq!(cols["WriteBucketLevel"], json!([1_500.0, 52.5, 57.5, 58.5]));
        // Nothing recorded for reads in the last hour: the read bucket is full.
        assert_eq!(cols["ReadBucketLevel"], json!([1_500.0, 1_500.0, 1_500.0, 1_500.0]));
        // Later it is capped at 300 s of refill; a later record wins (debt shows as negative).
        let cols = s.columns(Some(400), 401_000, g, true);
        assert_eq!(cols["WriteBucketLevel"], json!([1_500.0]));
        bucket.charge(1_600 * MICRO);
        bucket.updated_ms = 12_999;
        s.at(12, g).note_bucket(false, &bucket);
        let cols = s.columns(Some(11), 13_000, g, true);
        // Debt is bounded by one burst; it is repaid at the same rate.
        assert_eq!(cols["WriteBucketLevel"], json!([-1_499.995, -1_499.995]));
        // The carried level reaches a reader that starts after it (SinceSecond).
        assert_eq!(s.columns(Some(13), 14_000, g, true)["WriteBucketLevel"], json!([-1_494.995]));
    }
}
