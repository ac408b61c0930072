//! The capacity state of one table or global secondary index — its partition map, the
//! table-wide pools that adaptive capacity borrows from, on-demand peaks, metrics and hot keys —
//! and the admission rule applied to every charge.
//!
//! **Admission of `u` units on the partition holding a key** (all in engine time, every limit
//! a token bucket refilled continuously, so none depends on where a wall-clock second starts):
//! 1. *Partition ceiling* (both modes): each partition has a bucket refilled at 3,000 RCU /
//!    1,000 WCU a second that banks `CEILING_BURST_SECONDS` of it. If it is empty, throttle
//!    (`KeyRangeThroughputExceeded`). A short spike — a few batches of large items on one key,
//!    one large transaction — goes through, as on DynamoDB; traffic held above the ceiling
//!    empties it within seconds, and burst or adaptive capacity never refill it faster.
//! 2. *Provisioned*: each partition has a token bucket refilled at its share (table capacity
//!    ÷ partitions) and banking 300 s of it; the table has a pool bucket refilled at the
//!    table's capacity, also banking 300 s, which every admitted request drains. If the
//!    partition's bucket is above zero the request is admitted and both are charged; else, if
//!    the pool is above zero (other partitions left capacity unused), adaptive capacity admits
//!    it at once from the pool alone; else throttle (`ProvisionedThroughputExceeded`). With
//!    one partition the two buckets are the same, so a 150-RCU table that banked 45,000
//!    units serves 200 RCU/s for exactly 900 s.
//! 3. *On demand*: the partitions are the limit. A table has as many as the throughput it
//!    absorbs now needs (four when new: 12,000 reads or 4,000 writes a second; twice the
//!    previous peak later, see `on_demand.rs`), so traffic spread over the keys is served up to
//!    that and a hot key is refused by its partition's ceiling — the reason DynamoDB gives on
//!    demand is `KeyRangeThroughputExceeded`. Above it all, the account's per-table quota
//!    (40,000 units a second each way, with the same few seconds banked) refuses with
//!    `AccountLimitExceeded`.
//!
//! Every bucket admits while its level is above zero and then takes the whole charge, so a
//! request larger than what is left goes through and the level goes negative (at most one
//! bucket's worth); only the partitions it drew on wait to repay it. A request is judged on
//! the state before it: one transaction or batch is admitted or refused as a whole.
//!
//! Admitted charges can be refunded exactly (integer micro-units), so a batch or transaction
//! that is throttled part-way leaves every bucket as it was.

use serde_json::{json, Map, Value};

use super::admission::Layout;
use super::bucket::{Bucket, CEILING_BURST_SECONDS, MICRO};
use super::metrics::{units, Gauges, Series};
use super::on_demand::{OnDemand, ACCOUNT_TABLE_LIMIT, INITIAL_RCU, INITIAL_WCU};
use crate::explain::trace::{Refusal, Verdict};
use crate::partition::hot_keys::HotKeys;
use crate::partition::{
    partitions_for, partitions_for_on_demand, size_split_point, PartitionMap, RangeSizes,
    ISOLATE_AFTER_SECONDS, PARTITION_MAX_RCU, PARTITION_MAX_WCU,
};
use crate::types::KeyValue;

/// How a table or index pays for throughput.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Provisioned { read: u64, write: u64 },
    OnDemand,
}

/// Reads or writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    Read,
    Write,
}

/// Why a charge was refused (the `LimitType` of a ThrottlingReason).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Limit {
    KeyRange,
    Provisioned,
    Account,
    /// The table's or GSI's own OnDemandThroughput maximum.
    MaxOnDemand,
}

/// What an admitted charge drew from besides its partition's ceiling, so it can be refunded.
#[derive(Clone, Copy, Debug)]
enum Source {
    /// The partition's bucket and the pool.
    Partition,
    /// The pool only (adaptive capacity).
    Pool,
    /// The account's per-table quota (on demand).
    Quota,
    /// Nothing: throttling is switched off and the charge was over capacity.
    Unthrottled,
}

/// An admitted charge on one resource.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Receipt {
    partition: usize,
    access: Access,
    micro: i64,
    source: Source,
    second: u64,
    /// What the charge was judged on, for "why?" explanations: provisioned, the partition
    /// bucket's and the pool's levels before it; on demand, the partition ceiling's level
    /// before it and its capacity.
    seen: (i64, i64),
}

/// Capacity state of a table or GSI.
#[derive(Clone, Debug, Default)]
pub(crate) struct Resource {
    pub partitions: PartitionMap,
    /// The mode the buckets are set up for (`None` until the first maintenance).
    pub mode: Option<Mode>,
    /// Table-wide pools (provisioned): what adaptive capacity borrows from.
    pub read_pool: Bucket,
    pub write_pool: Bucket,
    /// On demand: the account's per-table quota, each way.
    pub read_quota: Bucket,
    pub write_quota: Bucket,
    pub on_demand: OnDemand,
    pub series: Series,
    pub hot: HotKeys,
    /// Items and item bytes of the whole resource.
    pub items: u64,
    pub bytes: u64,
    /// The last engine second charged (its usage feeds on-demand peaks when it ends).
    last_second: Option<u64>,
    /// The size limit the partitions were last checked against.
    checked_limit: u64,
    /// The engine second of the last full maintenance.
    maintained_second: Option<u64>,
    /// Splits made so far (size, throughput, hot-item isolation), for the views.
    pub splits: u64,
    /// Contributor Insights on this table or GSI: (mode, engine time of the last change),
    /// `None` when disabled.
    pub insights: Option<(String, u64)>,
    /// OnDemandThroughput's maxima (units a second, read and write) and the buckets that
    /// hold traffic to them, on demand (see `set_settings`).
    max_on_demand: (Option<u64>, Option<u64>),
    max_read: Bucket,
    max_write: Bucket,
    /// Warm throughput (units a second, read and write): the partitions are laid out to
    /// serve it at once.
    warm: (u64, u64),
    warm_applied: (u64, u64),
}

/// How many seconds of an OnDemandThroughput maximum a table banks: one, so traffic above the
/// maximum gets "quick throttle responses" while a request larger than a second's worth still
/// goes through once (every bucket admits while above zero).
pub(crate) const MAX_ON_DEMAND_BURST_SECONDS: i64 = 1;

impl Resource {
    /// Records an item added or removed under `token`.
    pub fn record(&mut self, token: u64, items: i64, bytes: i64) {
        self.items = self.items.saturating_add_signed(items);
        self.bytes = self.bytes.saturating_add_signed(bytes);
        self.partitions.record(token, items, bytes);
    }

    /// Units per second this resource can take now (read, write), in micro-units: provisioned
    /// throughput, or the on-demand allowance.
    pub fn capacity(&mut self, second: u64) -> (i64, i64) {
        match self.mode {
            Some(Mode::Provisioned { read, write }) => (read as i64 * MICRO, write as i64 * MICRO),
            Some(Mode::OnDemand) | None => {
                let ((r, _), (w, _)) = self.on_demand.allowance(second);
                (r, w)
            }
        }
    }

    fn gauges(&mut self, second: u64) -> Gauges {
        let (r, w) = self.capacity(second);
        Gauges {
            provisioned_read: (r / 1000) as u64,
            provisioned_write: (w / 1000) as u64,
            items: self.items,
            bytes: self.bytes,
        }
    }

    /// Gauges of partition `i`: its share of provisioned capacity (or, on demand, its ceiling).
    fn partition_gauges(&self, i: usize) -> Gauges {
        let p = &self.partitions.parts[i];
        let (r, w) = match self.mode {
            Some(Mode::Provisioned { .. }) => (p.read.rate_per_ms as u64, p.write.rate_per_ms as u64),
            _ => (PARTITION_MAX_RCU as u64 * 1000, PARTITION_MAX_WCU as u64 * 1000),
        };
        Gauges { provisioned_read: r, provisioned_write: w, items: p.items, bytes: p.stored_bytes() }
    }

    /// Units a second served at once on demand (read, write), the warm throughput an
    /// on-demand table or index reports when none was asked for: a new table's, until its
    /// layout holds more partitions than a new table's (or the warm throughput asked for)
    /// needs — traffic grew it, or size splits did, and each partition serves its ceiling —
    /// then what its partitions serve, at most the account's per-table quota. Read from the
    /// layout, not from the peaks that grew it: the layout is stored (splits that follow
    /// traffic are checkpointed, see `journal.rs`) while peaks are not, so a rebuilt workspace
    /// reports what the live one did.
    pub fn on_demand_warm(&self) -> (u64, u64) {
        let initial = (INITIAL_RCU as u64, INITIAL_WCU as u64);
        let parts = self.partitions.parts.len();
        let (r, w) = (initial.0.max(self.warm.0), initial.1.max(self.warm.1));
        if parts <= partitions_for_on_demand(r, w, 0, u64::MAX) {
            return initial;
        }
        let one = |per_partition: i64| (per_partition * parts as i64).min(ACCOUNT_TABLE_LIMIT) as u64;
        (one(PARTITION_MAX_RCU).max(initial.0), one(PARTITION_MAX_WCU).max(initial.1))
    }

    /// Takes the table's or GSI's OnDemandThroughput maxima and warm throughput (units a
    /// second, read and write) at engine time `now`. A changed maximum starts with a full
    /// second of it; a changed warm throughput lays out more partitions at the next
    /// maintenance.
    pub fn set_settings(&mut self, max: (Option<u64>, Option<u64>), warm: (u64, u64), now: u64) {
        if self.max_on_demand != max {
            self.max_on_demand = max;
            let bucket = |units: Option<u64>| {
                // A maximum is any positive Long: saturate rather than overflow.
                let milli = i64::try_from(units.unwrap_or(0)).unwrap_or(i64::MAX).saturating_mul(1000);
                Bucket::banking(milli, MAX_ON_DEMAND_BURST_SECONDS, now)
            };
            self.max_read = bucket(max.0);
            self.max_write = bucket(max.1);
        }
        // Laid out up to the account's per-table quota, as on-demand growth is: warm
        // throughput is any positive Long, and the layout must stay a handful of partitions.
        let quota = ACCOUNT_TABLE_LIMIT as u64;
        self.warm = (warm.0.min(quota), warm.1.min(quota));
    }

    /// Brings the partition layout and buckets in line with `mode` and the size limit: lays
    /// out the first partitions, splits for throughput, size and hot items. `sizes(a, b)`
    /// lists the partition keys with tokens in `[a, b]`. Splits that follow traffic rather
    /// than the data and settings (on-demand growth past the initial allowance, hot-item
    /// isolation) happen only live, and are counted in `layout.adaptive` (see `Layout`).
    pub fn maintain<'s>(
        &mut self,
        mode: Mode,
        layout: Layout<'_>,
        sizes: &dyn Fn(u64, u64) -> RangeSizes<'s>,
    ) {
        let (now, size_limit) = (layout.now, layout.size_limit);
        let second = now / 1000;
        // On demand, the allowance (and so the partition count) can change once a second.
        let settled = self.mode == Some(mode)
            && self.warm_applied == self.warm
            && !self.partitions.oversized
            && !self.partitions.isolate
            && self.checked_limit == size_limit
            && (mode != Mode::OnDemand || self.maintained_second == Some(second));
        if settled {
            return;
        }
        self.maintained_second = Some(second);
        self.partitions.size_limit = size_limit;
        // What the settings alone ask for: provisioned units, or a new on-demand table's.
        let (r0, w0) = match mode {
            Mode::Provisioned { read, write } => (read, write),
            Mode::OnDemand => (INITIAL_RCU as u64, INITIAL_WCU as u64),
        };
        let (r, w) = match (mode, layout.adaptive) {
            (Mode::OnDemand, Some(_)) => {
                let ((r, _), (w, _)) = self.on_demand.allowance(second);
                ((r / MICRO) as u64, (w / MICRO) as u64)
            }
            _ => (r0, w0),
        };
        let stored = self.bytes + crate::partition::ITEM_OVERHEAD_BYTES * self.items;
        // Warm throughput is a setting (journaled with its UpdateTable): partitions for it
        // follow on replay too.
        let (wr, ww) = self.warm;
        self.warm_applied = self.warm;
        let want = partition_count(mode, r.max(wr), w.max(ww), stored, size_limit);
        let reproducible = partition_count(mode, r0.max(wr), w0.max(ww), stored, size_limit);
        let first = self.mode.is_none();
        let before = self.partitions.parts.len();
        if first {
            self.partitions.lay_out(want.max(1), sizes(0, u64::MAX));
        } else {
            self.split_to(want, sizes);
        }
        // Throughput splits past what the settings ask for followed the on-demand peaks.
        let mut adaptive = self.partitions.parts.len() > reproducible.max(if first { 0 } else { before });
        if self.partitions.oversized || self.checked_limit != size_limit {
            self.split_oversized(sizes);
            self.partitions.oversized = false;
            self.checked_limit = size_limit;
        }
        if self.partitions.isolate {
            self.partitions.isolate = false;
            if layout.adaptive.is_some() {
                adaptive |= self.isolate_hot_items(second, sizes);
            }
        }
        if let (true, Some(count)) = (adaptive, layout.adaptive) {
            count.set(count.get() + 1);
        }
        let changed = first || self.partitions.parts.len() != before || self.mode != Some(mode);
        if changed {
            self.rate(mode, r, w, now, first || !matches!(self.mode, Some(Mode::Provisioned { .. })));
        }
        self.mode = Some(mode);
    }

    /// Takes a partition layout a snapshot kept (`partitions`, with `splits` made so far) for
    /// a resource billed by `mode`: the layout the live engine had, which traffic may have
    /// shaped, so a rebuilt table keeps the same partitions (and its stream the same shards).
    /// Buckets start full, metrics and hot keys empty: they are the session's, not the
    /// workspace's.
    pub fn restore(&mut self, partitions: PartitionMap, splits: u64, mode: Mode, layout: Layout<'_>) {
        let (r, w) = match mode {
            Mode::Provisioned { read, write } => (read, write),
            Mode::OnDemand => (INITIAL_RCU as u64, INITIAL_WCU as u64),
        };
        self.partitions = partitions;
        self.partitions.size_limit = layout.size_limit;
        // A write that took a partition past the size limit leaves its split to the next
        // maintenance: so does the rebuilt layout.
        self.partitions.oversized =
            self.partitions.parts.iter().any(|p| p.stored_bytes() > layout.size_limit);
        self.splits = splits;
        self.checked_limit = layout.size_limit;
        self.maintained_second = Some(layout.now / 1000);
        self.rate(mode, r, w, layout.now, true);
        self.mode = Some(mode);
    }

    /// Halves the widest partitions until there are `want`.
    fn split_to<'s>(&mut self, want: usize, sizes: &dyn Fn(u64, u64) -> RangeSizes<'s>) {
        while self.partitions.parts.len() < want {
            let i = self.partitions.widest();
            let p = &self.partitions.parts[i];
            let mid = p.start + (p.end - p.start) / 2 + 1;
            let (items, bytes) = sum(sizes(p.start, mid - 1));
            if !self.partitions.split(i, mid, items, bytes) {
                break;
            }
            self.splits += 1;
        }
    }

    /// After a committed change: makes, at once, the splits the data and settings ask for
    /// (the partition count for the stored size, partitions past the size limit), so the
    /// layout after a write is the same live and on replay rather than waiting for the next
    /// request's maintenance — perhaps a read the journal never sees. Traffic-driven splits
    /// are left to `maintain`.
    pub fn settle<'s>(&mut self, mode: Mode, now: u64, sizes: &dyn Fn(u64, u64) -> RangeSizes<'s>) {
        if self.mode != Some(mode) {
            return;
        }
        let (r, w) = match mode {
            Mode::Provisioned { read, write } => (read, write),
            Mode::OnDemand => (INITIAL_RCU as u64, INITIAL_WCU as u64),
        };
        let stored = self.bytes + crate::partition::ITEM_OVERHEAD_BYTES * self.items;
        let before = self.partitions.parts.len();
        let (wr, ww) = self.warm;
        self.split_to(partition_count(mode, r.max(wr), w.max(ww), stored, self.partitions.size_limit), sizes);
        if self.partitions.oversized {
            self.split_oversized(sizes);
            self.partitions.oversized = false;
        }
        if self.partitions.parts.len() != before {
            self.rate(mode, r, w, now, false);
        }
    }

    /// Sets every bucket's rate for `r`/`w` units over the current partitions (provisioned),
    /// or sets up the account quota (on demand). Partition ceilings never change rate.
    fn rate(&mut self, mode: Mode, r: u64, w: u64, now: u64, fill: bool) {
        if !matches!(mode, Mode::Provisioned { .. }) {
            if fill || self.write_quota.rate_per_ms == 0 {
                let quota = ACCOUNT_TABLE_LIMIT * 1000;
                self.read_quota = Bucket::banking(quota, CEILING_BURST_SECONDS, now);
                self.write_quota = Bucket::banking(quota, CEILING_BURST_SECONDS, now);
            }
            return;
        }
        let n = self.partitions.parts.len() as i64;
        let (r, w) = (r as i64 * 1000, w as i64 * 1000);
        if fill {
            self.read_pool = Bucket::full(r, now);
            self.write_pool = Bucket::full(w, now);
        } else {
            self.read_pool.set_rate(r, now);
            self.write_pool.set_rate(w, now);
        }
        for p in &mut self.partitions.parts {
            if fill {
                p.read = Bucket::full(r / n, now);
                p.write = Bucket::full(w / n, now);
            } else {
                // A partition made by a split inherited a level but starts refilling now.
                p.read.updated_ms = p.read.updated_ms.min(now);
                p.write.updated_ms = p.write.updated_ms.min(now);
                p.read.set_rate(r / n, now);
                p.write.set_rate(w / n, now);
            }
        }
    }

    fn split_oversized<'s>(&mut self, sizes: &dyn Fn(u64, u64) -> RangeSizes<'s>) {
        let limit = self.partitions.size_limit;
        let mut i = 0;
        // Each split halves a partition's data, so this ends; the bound guards a pathological limit.
        let mut budget = 10_000;
        while i < self.partitions.parts.len() && budget > 0 {
            budget -= 1;
            let p = &self.partitions.parts[i];
            if p.stored_bytes() > limit {
                if let Some((at, items, bytes)) = size_split_point(sizes(p.start, p.end), p.stored_bytes()) {
                    if self.partitions.split(i, at, items, bytes) {
                        self.splits += 1;
                        continue;
                    }
                }
            }
            i += 1;
        }
    }

    /// Adaptive capacity's isolation: a partition held at its ceiling for
    /// `ISOLATE_AFTER_SECONDS` seconds by one dominant key is split so that key is alone.
    /// Returns whether anything split.
    fn isolate_hot_items<'s>(&mut self, second: u64, sizes: &dyn Fn(u64, u64) -> RangeSizes<'s>) -> bool {
        let hot = self.partitions.parts.iter().position(|p| {
            p.heat.streak >= ISOLATE_AFTER_SECONDS && p.heat.second + 1 >= second && p.start != p.end
        });
        let Some(i) = hot else { return false };
        let Some(token) = self.partitions.parts[i].heat.streak_candidate else { return false };
        self.partitions.parts[i].heat = Default::default();
        let before = self.splits;
        let p = &self.partitions.parts[i];
        let mut i = i;
        if token > p.start {
            let (items, bytes) = sum(sizes(p.start, token - 1));
            if self.partitions.split(i, token, items, bytes) {
                self.splits += 1;
                i += 1;
            }
        }
        let p = &self.partitions.parts[i];
        if token < p.end {
            let (items, bytes) = sum(sizes(token, token));
            if self.partitions.split(i, token + 1, items, bytes) {
                self.splits += 1;
            }
        }
        self.splits != before
    }

    /// Ends the previous engine second for on-demand peak tracking.
    fn tick(&mut self, second: u64) {
        if let Some(last) = self.last_second.filter(|l| *l < second) {
            let (r, w) = self.series.used(last);
            self.on_demand.feed(last, r, w);
        }
        if self.last_second.is_none_or(|l| l < second) {
            self.last_second = Some(second);
        }
    }

    /// Admits (or refuses) `micro` units of `access` on the partition holding `token`.
    /// `earlier` are the charges this same request already took on this resource: a request
    /// is judged on the state *before* it and then charged in full, so one transaction or
    /// batch of large items is admitted or refused as a whole, as a single large item is.
    pub fn try_charge(
        &mut self,
        now: u64,
        access: Access,
        token: u64,
        micro: i64,
        earlier: &[Receipt],
        throttling: bool,
    ) -> Result<Receipt, Refusal> {
        match self.judge(now, access, token, micro, earlier) {
            Err(_) if !throttling => {
                // Throttling switched off: the request counts as consumed capacity all the same,
                // and drains its partition's ceiling as served traffic does.
                let i = self.partitions.index_of(token);
                let p = &mut self.partitions.parts[i];
                let ceiling = match access {
                    Access::Read => &mut p.read_ceiling,
                    Access::Write => &mut p.write_ceiling,
                };
                ceiling.refill(now);
                ceiling.charge(micro);
                self.add_usage(i, now / 1000, access, micro);
                self.note_buckets(i, now, access);
                Ok(Receipt {
                    partition: i,
                    access,
                    micro,
                    source: Source::Unthrottled,
                    second: now / 1000,
                    seen: (0, 0),
                })
            }
            outcome => outcome,
        }
    }

    /// Admits (or refuses) a charge by the capacity rules; see `try_charge`.
    fn judge(
        &mut self,
        now: u64,
        access: Access,
        token: u64,
        micro: i64,
        earlier: &[Receipt],
    ) -> Result<Receipt, Refusal> {
        let second = now / 1000;
        self.tick(second);
        let i = self.partitions.index_of(token);
        // What this same request already drew on: it is judged on the state before it.
        let drawn = |on_partition: bool, from: &dyn Fn(Source) -> bool| -> i64 {
            earlier
                .iter()
                .filter(|r| r.access == access && (!on_partition || r.partition == i) && from(r.source))
                .map(|r| r.micro)
                .sum()
        };
        let from_ceiling = drawn(true, &|_| true);
        let from_bucket = drawn(true, &|s| matches!(s, Source::Partition));
        let from_pool = drawn(false, &|s| matches!(s, Source::Partition | Source::Pool));
        let from_quota = drawn(false, &|s| matches!(s, Source::Quota));
        let ceiling_seen;
        {
            let p = &mut self.partitions.parts[i];
            p.heat.vote(second, token);
            if p.heat.streak >= ISOLATE_AFTER_SECONDS {
                self.partitions.isolate = true;
            }
            let ceiling = match access {
                Access::Read => &mut p.read_ceiling,
                Access::Write => &mut p.write_ceiling,
            };
            ceiling.refill(now);
            ceiling_seen = (ceiling.level.saturating_add(from_ceiling), ceiling.capacity());
            if !ceiling.admits(from_ceiling) {
                p.heat.capped = true;
                return Err(Refusal::PartitionCeiling {
                    level: ceiling_seen.0,
                    capacity: ceiling_seen.1,
                    rate_milli: ceiling.rate_per_ms,
                });
            }
        }
        let seen;
        let source = match self.mode {
            Some(Mode::Provisioned { .. }) => {
                let p = &mut self.partitions.parts[i];
                let (bucket, pool) = match access {
                    Access::Read => (&mut p.read, &mut self.read_pool),
                    Access::Write => (&mut p.write, &mut self.write_pool),
                };
                bucket.refill(now);
                pool.refill(now);
                seen = (bucket.level, pool.level);
                if bucket.admits(from_bucket) {
                    bucket.charge(micro);
                    pool.charge(micro);
                    Source::Partition
                } else if pool.admits(from_pool) {
                    pool.charge(micro);
                    Source::Pool
                } else {
                    return Err(Refusal::Buckets {
                        level: bucket.level + from_bucket,
                        pool: pool.level + from_pool,
                        rate_milli: bucket.rate_per_ms,
                        capacity: bucket.capacity(),
                    });
                }
            }
            _ => {
                let quota = match access {
                    Access::Read => &mut self.read_quota,
                    Access::Write => &mut self.write_quota,
                };
                quota.refill(now);
                if !quota.admits(from_quota) {
                    return Err(Refusal::Quota {
                        level: quota.level.saturating_add(from_quota),
                        rate_milli: quota.rate_per_ms,
                    });
                }
                // OnDemandThroughput: every charge on demand also draws on the maximum, when
                // one is set; so what this request took before is what it took from the quota.
                let (max_set, max) = match access {
                    Access::Read => (self.max_on_demand.0.is_some(), &mut self.max_read),
                    Access::Write => (self.max_on_demand.1.is_some(), &mut self.max_write),
                };
                if max_set {
                    max.refill(now);
                    if !max.admits(from_quota) {
                        return Err(Refusal::MaxOnDemand {
                            level: max.level.saturating_add(from_quota),
                            rate_milli: max.rate_per_ms,
                        });
                    }
                    max.charge(micro);
                }
                let quota = match access {
                    Access::Read => &mut self.read_quota,
                    Access::Write => &mut self.write_quota,
                };
                quota.charge(micro);
                seen = ceiling_seen;
                Source::Quota
            }
        };
        let p = &mut self.partitions.parts[i];
        match access {
            Access::Read => p.read_ceiling.charge(micro),
            Access::Write => p.write_ceiling.charge(micro),
        }
        self.add_usage(i, second, access, micro);
        self.note_buckets(i, now, access);
        Ok(Receipt { partition: i, access, micro, source, second, seen })
    }

    /// Records the levels of the burst buckets a request met — its partition's and the
    /// table-wide pool — in this second's slots (provisioned mode only; O(1)).
    fn note_buckets(&mut self, i: usize, now: u64, access: Access) {
        if !matches!(self.mode, Some(Mode::Provisioned { .. })) {
            return;
        }
        let second = now / 1000;
        let read = access == Access::Read;
        let (p, pool) = match access {
            Access::Read => (&mut self.partitions.parts[i], &mut self.read_pool),
            Access::Write => (&mut self.partitions.parts[i], &mut self.write_pool),
        };
        let bucket = if read { &mut p.read } else { &mut p.write };
        bucket.refill(now);
        pool.refill(now);
        if let Some(slot) = p.series.get_mut(second) {
            slot.note_bucket(read, if read { &p.read } else { &p.write });
        }
        if let Some(slot) = self.series.get_mut(second) {
            slot.note_bucket(read, pool);
        }
    }

    fn add_usage(&mut self, i: usize, second: u64, access: Access, micro: i64) {
        // Gauges only seed a new second's slot; skip computing them otherwise.
        let g = if self.partitions.parts[i].series.is_current(second) {
            Gauges::default()
        } else {
            self.partition_gauges(i)
        };
        let slot = self.partitions.parts[i].series.at(second, g);
        *pick_mut(access, slot) += micro;
        let g = if self.series.is_current(second) { Gauges::default() } else { self.gauges(second) };
        let slot = self.series.at(second, g);
        *pick_mut(access, slot) += micro;
    }

    /// What an admitted `receipt` drew on, with the figures it was judged on: for "why?"
    /// explanations.
    pub fn verdict(&self, receipt: &Receipt) -> Verdict {
        let Some(p) = self.partitions.parts.get(receipt.partition) else { return Verdict::Unthrottled };
        let bucket = match receipt.access {
            Access::Read => &p.read,
            Access::Write => &p.write,
        };
        let (first, second) = receipt.seen;
        match receipt.source {
            Source::Partition => Verdict::Bucket {
                level_before: first,
                capacity: bucket.capacity(),
                rate_milli: bucket.rate_per_ms,
                pool_before: second,
            },
            Source::Pool => Verdict::Pool {
                level: first,
                rate_milli: bucket.rate_per_ms,
                pool_before: second,
                pool_rate_milli: match receipt.access {
                    Access::Read => self.read_pool.rate_per_ms,
                    Access::Write => self.write_pool.rate_per_ms,
                },
            },
            Source::Quota => Verdict::OnDemand { ceiling_before: first, capacity: second },
            Source::Unthrottled => Verdict::Unthrottled,
        }
    }

    /// The position and id of the partition an admitted `receipt` charged.
    pub fn receipt_partition(&self, receipt: &Receipt) -> (usize, u32) {
        (receipt.partition, self.partitions.parts.get(receipt.partition).map_or(0, |p| p.id))
    }

    /// The previous on-demand peaks (read, write), micro-units per second.
    pub fn on_demand_peak(&self) -> (i64, i64) {
        self.on_demand.peak()
    }

    /// Gives back an admitted charge (a batch or transaction throttled part-way).
    pub fn refund(&mut self, receipt: Receipt) {
        let Some(p) = self.partitions.parts.get_mut(receipt.partition) else { return };
        let (bucket, pool) = match receipt.access {
            Access::Read => (&mut p.read, &mut self.read_pool),
            Access::Write => (&mut p.write, &mut self.write_pool),
        };
        match receipt.source {
            Source::Partition => {
                bucket.level += receipt.micro;
                pool.level += receipt.micro;
            }
            Source::Pool => pool.level += receipt.micro,
            Source::Quota => match receipt.access {
                Access::Read => {
                    self.read_quota.level += receipt.micro;
                    if self.max_on_demand.0.is_some() {
                        self.max_read.level += receipt.micro;
                    }
                }
                Access::Write => {
                    self.write_quota.level += receipt.micro;
                    if self.max_on_demand.1.is_some() {
                        self.max_write.level += receipt.micro;
                    }
                }
            },
            Source::Unthrottled => {}
        }
        match receipt.access {
            Access::Read => p.read_ceiling.level += receipt.micro,
            Access::Write => p.write_ceiling.level += receipt.micro,
        }
        let g = self.partition_gauges(receipt.partition);
        let slot = self.partitions.parts[receipt.partition].series.at(receipt.second, g);
        *pick_mut(receipt.access, slot) -= receipt.micro;
        let g = self.gauges(receipt.second);
        let slot = self.series.at(receipt.second, g);
        *pick_mut(receipt.access, slot) -= receipt.micro;
        // The buckets' own time is the refunded request's: no refill happens here.
        self.note_buckets(receipt.partition, receipt.second * 1000, receipt.access);
    }

    /// Counts an admitted access on a key (hot keys).
    pub fn note_access(&mut self, now: u64, token: u64, key: &KeyValue, micro: i64) {
        if !is_placeholder(key) {
            self.hot.accessed(now, token, key, micro);
        }
    }

    /// Counts a throttle event on the partition holding `token`.
    pub fn note_throttle(&mut self, now: u64, access: Access, token: u64, key: &KeyValue) {
        let second = now / 1000;
        let i = self.partitions.index_of(token);
        let g = self.partition_gauges(i);
        let slot = self.partitions.parts[i].series.at(second, g);
        match access {
            Access::Read => slot.read_throttle_events += 1,
            Access::Write => slot.write_throttle_events += 1,
        }
        let g = self.gauges(second);
        let slot = self.series.at(second, g);
        match access {
            Access::Read => slot.read_throttle_events += 1,
            Access::Write => slot.write_throttle_events += 1,
        }
        self.note_buckets(i, now, access);
        if !is_placeholder(key) {
            self.hot.throttled(now, token, key);
        }
    }

    /// Counts one throttled API request.
    pub fn note_throttled_request(&mut self, now: u64) {
        let second = now / 1000;
        let g = self.gauges(second);
        self.series.at(second, g).throttled_requests += 1;
    }

    /// Refreshes the gauges of the current second (after a write changed items or sizes).
    pub fn touch(&mut self, now: u64, token: u64) {
        let second = now / 1000;
        let g = self.gauges(second);
        let slot = self.series.at(second, g);
        slot.items = g.items;
        slot.bytes = g.bytes;
        let i = self.partitions.index_of(token);
        let g = self.partition_gauges(i);
        let slot = self.partitions.parts[i].series.at(second, g);
        slot.items = g.items;
        slot.bytes = g.bytes;
    }

    /// The partitions as the playground's DescribePartitions shows them at `now`: ranges,
    /// sizes, this and the last second's consumption, bucket levels.
    pub fn describe_partitions(&mut self, now: u64) -> Value {
        let second = now / 1000;
        let provisioned = matches!(self.mode, Some(Mode::Provisioned { .. }));
        let mut list = Vec::with_capacity(self.partitions.parts.len());
        for i in 0..self.partitions.parts.len() {
            let g = self.partition_gauges(i);
            let p = &mut self.partitions.parts[i];
            let mut m = Map::new();
            m.insert("PartitionId".into(), json!(p.id));
            m.insert("KeyRangeStart".into(), json!(format!("{:016x}", p.start)));
            m.insert("KeyRangeEnd".into(), json!(format!("{:016x}", p.end)));
            // Fractions of the hash space, for drawing the map without 64-bit arithmetic.
            m.insert("StartFraction".into(), json!(p.start as f64 / 18_446_744_073_709_551_616.0));
            m.insert("EndFraction".into(), json!((p.end as f64 + 1.0) / 18_446_744_073_709_551_616.0));
            m.insert("ItemCount".into(), json!(p.items));
            m.insert("SizeBytes".into(), json!(p.stored_bytes()));
            m.insert("ProvisionedReadCapacityUnits".into(), json!(g.provisioned_read as f64 / 1000.0));
            m.insert("ProvisionedWriteCapacityUnits".into(), json!(g.provisioned_write as f64 / 1000.0));
            m.insert("MaxReadCapacityUnits".into(), json!(PARTITION_MAX_RCU));
            m.insert("MaxWriteCapacityUnits".into(), json!(PARTITION_MAX_WCU));
            let (r, w) = p.series.used(second);
            let (lr, lw) = p.series.used(second.saturating_sub(1));
            m.insert("ConsumedReadCapacityUnits".into(), json!(units(r)));
            m.insert("ConsumedWriteCapacityUnits".into(), json!(units(w)));
            m.insert("LastSecondConsumedReadCapacityUnits".into(), json!(units(lr)));
            m.insert("LastSecondConsumedWriteCapacityUnits".into(), json!(units(lw)));
            let events = |s: Option<&super::metrics::Slot>| {
                s.map_or((0, 0), |s| (s.read_throttle_events, s.write_throttle_events))
            };
            let (tr, tw) = events(p.series.get(second.saturating_sub(1)));
            let (cr, cw) = events(p.series.get(second));
            m.insert("ReadThrottleEvents".into(), json!(tr + cr));
            m.insert("WriteThrottleEvents".into(), json!(tw + cw));
            if provisioned {
                m.insert("ReadBucket".into(), p.read.describe(now));
                m.insert("WriteBucket".into(), p.write.describe(now));
            }
            m.insert("ReadCeiling".into(), p.read_ceiling.describe(now));
            m.insert("WriteCeiling".into(), p.write_ceiling.describe(now));
            list.push(Value::Object(m));
        }
        let mut body = Map::new();
        body.insert("PartitionCount".into(), json!(list.len()));
        body.insert("Splits".into(), json!(self.splits));
        body.insert("ItemCount".into(), json!(self.items));
        body.insert(
            "SizeBytes".into(),
            json!(self.bytes + crate::partition::ITEM_OVERHEAD_BYTES * self.items),
        );
        let (cr, cw) = self.capacity(second);
        body.insert("ReadCapacityUnits".into(), json!(units(cr)));
        body.insert("WriteCapacityUnits".into(), json!(units(cw)));
        if provisioned {
            body.insert("ReadPool".into(), self.read_pool.describe(now));
            body.insert("WritePool".into(), self.write_pool.describe(now));
        }
        body.insert("Partitions".into(), Value::Array(list));
        Value::Object(body)
    }

    /// The metrics of the resource, or of one partition, as columns (see `Series::columns`).
    pub fn metrics(&mut self, now: u64, since: Option<u64>, partition: Option<u32>) -> Option<Value> {
        let second = now / 1000;
        let bucketed = matches!(self.mode, Some(Mode::Provisioned { .. }));
        match partition {
            None => {
                let g = self.gauges(second);
                Some(self.series.columns(since, now, g, bucketed))
            }
            Some(id) => {
                let i = self.partitions.parts.iter().position(|p| p.id == id)?;
                let g = self.partition_gauges(i);
                Some(self.partitions.parts[i].series.columns(since, now, g, bucketed))
            }
        }
    }
}

/// The key a Scan or Query page that read nothing is charged to (`PartitionKey::first_with_token`):
/// an empty string, which no key attribute can hold. It is no key a learner accessed, so the
/// hot-key lists leave it out.
fn is_placeholder(key: &KeyValue) -> bool {
    matches!(key, KeyValue::S(s) if s.is_empty())
}

fn pick_mut(access: Access, slot: &mut super::metrics::Slot) -> &mut i64 {
    match access {
        Access::Read => &mut slot.read,
        Access::Write => &mut slot.write,
    }
}

/// How many partitions `r` RCU and `w` WCU and `stored` bytes call for in `mode`.
fn partition_count(mode: Mode, r: u64, w: u64, stored: u64, size_limit: u64) -> usize {
    match mode {
        Mode::Provisioned { .. } => partitions_for(r, w, stored, size_limit),
        Mode::OnDemand => partitions_for_on_demand(r, w, stored, size_limit),
    }
}

fn sum(sizes: RangeSizes<'_>) -> (u64, u64) {
    sizes.fold((0, 0), |(i, b), (_, n, s)| (i + n, b + s))
}
