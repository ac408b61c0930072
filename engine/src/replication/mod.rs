//! Read consistency, simulated on engine time. DynamoDB keeps every partition on three
//! replicas: a write is acknowledged once two of them (the leader and one follower) have it,
//! and reaches the third shortly after. A strongly consistent read is served by the leader; an
//! eventually consistent one by any of the three, so it may miss a write acknowledged moments
//! ago. A global secondary index is updated asynchronously after its table: a query of it may
//! miss a just-written item, or show its old version.
//!
//! The playground's model, driven by two settings (`PlaygroundUpdateSettings`), both 0 by
//! default — and then nothing here does any work and every read is the latest:
//!
//! - `ReplicationDelayMilliseconds`: replicas 1 (the leader) and 2 take each write at once;
//!   replica 3 takes it this long after, in write order. A table's local secondary indexes
//!   live on its partitions and lag with it.
//! - `GsiPropagationDelayMilliseconds`: each global secondary index takes a write this long
//!   after the table. Every read of a GSI sees it as propagated (GSIs have no strong reads).
//! - Which replica serves an eventually consistent read is a rule, not chance: the engine
//!   counts them — each GetItem, each key of a BatchGetItem, each Query or Scan page (PartiQL
//!   SELECTs run as these) — and the n-th of the session (from 0) is served by replica
//!   `n mod 3 + 1`: every third lands on replica 3. `ConsistentRead: true` and TransactGetItems
//!   always read the latest.
//!
//! Memory: no copy of a table is kept. Each store (a table, or an index) keeps in [`Pending`]
//! only what its lagging copy still holds — for each recent write, the version it replaced,
//! until the write arrives, in arrival order — and drops them once engine time passes their
//! delay (at the store's next write and at each engine second's housekeeping). A read of the
//! lagging copy looks through them: a GetItem for its key, a Query or Scan page for the
//! positions in its range, merged into the current items in order. At most [`MAX_PENDING`]
//! versions or [`MAX_PENDING_BYTES`] wait per store; past that the oldest arrive early.
//! Changing a delay lets every replica catch up first.
//!
//! Pending versions are session state, like the clock: they follow from journaled writes, so
//! replaying the journal rebuilds them, but a snapshot does not keep them (a restored engine's
//! replicas have caught up).

#[cfg(test)]
mod tests;
mod view;

use std::collections::VecDeque;

use crate::engine::Engine;
use crate::storage::SortPosition;
use crate::table::{IndexKind, Table};
use crate::types::{item_size, Item, PartitionKey, PrimaryKey};
pub(crate) use view::View;

/// Replicas of each partition.
pub(crate) const REPLICAS: u64 = 3;
/// The replica that takes writes after the delay.
pub(crate) const LAGGING_REPLICA: u8 = 3;
/// The most versions one store keeps for its lagging copy.
pub(crate) const MAX_PENDING: usize = 10_000;
/// The most bytes of versions one store keeps for its lagging copy.
pub(crate) const MAX_PENDING_BYTES: u64 = 16 * 1024 * 1024;

/// The delays in force (playground settings), in engine milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Lag {
    /// How long after the acknowledgement a write reaches replica 3.
    pub replica_ms: u64,
    /// How long after the table a write reaches each global secondary index.
    pub index_ms: u64,
}

impl Lag {
    /// Whether both delays are zero.
    pub fn is_off(self) -> bool {
        self.replica_ms == 0 && self.index_ms == 0
    }

    /// The delay of an index of `kind` (a local index lags with the table's replica).
    fn of(self, kind: IndexKind) -> u64 {
        match kind {
            IndexKind::Global => self.index_ms,
            IndexKind::Local => self.replica_ms,
        }
    }
}

/// A version the lagging copy still holds: what one write replaced (an item, or its
/// absence) at one position, until the write arrives.
#[derive(Clone, Debug)]
pub(crate) struct Held<S> {
    pub partition: PartitionKey,
    pub position: S,
    /// When the write that replaced it was acknowledged.
    pub written_at: u64,
    /// When that write reaches the lagging copy.
    pub until: u64,
    pub item: Option<Item>,
}

/// The versions a store's lagging copy still holds, in the order the writes arrive.
///
/// One queue rather than a map by position: what is pending is bounded and short-lived, a read
/// of the lagging copy looks through it (and only then), and a map type of its own would
/// compile the B-tree's code into the browser bundle once more for each store type.
#[derive(Clone, Debug)]
pub(crate) struct Pending<S> {
    queue: VecDeque<Held<S>>,
    bytes: u64,
}

impl<S> Default for Pending<S> {
    fn default() -> Self {
        Self { queue: VecDeque::new(), bytes: 0 }
    }
}

impl<S: SortPosition> Pending<S> {
    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// Versions pending.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    /// A write acknowledged at `now` replaced `item` at a position; the lagging copy keeps it
    /// for `delay` milliseconds.
    pub fn hold(&mut self, partition: PartitionKey, position: S, item: Option<Item>, now: u64, delay: u64) {
        self.deliver(now);
        self.bytes += item.as_ref().map_or(0, |i| item_size(i) as u64);
        let until = now.saturating_add(delay);
        self.queue.push_back(Held { partition, position, written_at: now, until, item });
        while self.queue.len() > MAX_PENDING || self.bytes > MAX_PENDING_BYTES {
            self.arrive_oldest();
        }
    }

    /// Drops the versions whose writes have reached the lagging copy by `now`. (Every write
    /// of a store waits the same delay — a change of delay lets all arrive first — so they
    /// arrive in the order they were made.)
    pub fn deliver(&mut self, now: u64) {
        while self.queue.front().is_some_and(|h| h.until <= now) {
            self.arrive_oldest();
        }
    }

    /// Lets every pending write arrive.
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    fn arrive_oldest(&mut self) {
        if let Some(oldest) = self.queue.pop_front() {
            self.bytes -= oldest.item.as_ref().map_or(0, |i| item_size(i) as u64);
        }
    }

    /// The writes the lagging copy has not received by `now` that `keep` selects, oldest first.
    fn missed(&self, now: u64, keep: impl Fn(&Held<S>) -> bool) -> impl Iterator<Item = &Held<S>> {
        self.queue.iter().filter(move |h| h.until > now && keep(h))
    }

    /// How the lagging copy lags at one position at `now`, if it does.
    pub(super) fn lagged_at(
        &self,
        partition: &PartitionKey,
        position: &S,
        now: u64,
    ) -> Option<Lagged<'_, S>> {
        self.missed(now, |h| h.partition == *partition && h.position == *position).fold(None, |lagged, h| {
            Some(lagged.map_or_else(|| Lagged::starting(h), |l: Lagged<'_, S>| l.and(h)))
        })
    }

    /// How the lagging copy lags at each position `keep` selects, in (partition, position)
    /// order: what a Query or Scan of it merges into the current items.
    pub(super) fn lagged_in(&self, now: u64, keep: impl Fn(&Held<S>) -> bool) -> Vec<Lagged<'_, S>> {
        let mut missed: Vec<&Held<S>> = self.missed(now, keep).collect();
        // Stable: a position's writes stay oldest first.
        crate::types::sort_by(&mut missed, |a, b| {
            (&a.partition, &a.position).cmp(&(&b.partition, &b.position))
        });
        let mut out: Vec<Lagged<'_, S>> = Vec::new();
        for h in missed {
            match out.last_mut() {
                Some(last) if last.first.partition == h.partition && last.first.position == h.position => {
                    *last = last.and(h)
                }
                _ => out.push(Lagged::starting(h)),
            }
        }
        out
    }
}

/// What the lagging copy shows at one position, and what it missed there.
#[derive(Debug)]
pub(crate) struct Lagged<'a, S> {
    /// The oldest missed write's version: what the copy still shows, and where.
    pub first: &'a Held<S>,
    pub missed: u64,
    /// When the copy has them all.
    pub arrival: u64,
}

impl<S> Clone for Lagged<'_, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S> Copy for Lagged<'_, S> {}

impl<'a, S> Lagged<'a, S> {
    fn starting(held: &'a Held<S>) -> Self {
        Self { first: held, missed: 1, arrival: held.until }
    }

    fn and(self, held: &Held<S>) -> Self {
        Self { missed: self.missed + 1, arrival: self.arrival.max(held.until), ..self }
    }
}

/// Where one eventually consistent read was served, and how stale its answer was.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Served {
    /// 1–3: the replica of the table's partitions; 0: a global secondary index, as propagated.
    pub replica: u8,
    /// The delay in force: the replication delay, or the GSI propagation delay.
    pub delay_ms: u64,
    /// Items the answer showed older than the latest (or showed although deleted, or left out
    /// although written).
    pub stale_items: u64,
    /// Writes to those items that had not reached the copy read.
    pub missed_writes: u64,
    /// How long before the read the oldest missed write was acknowledged.
    pub behind_ms: u64,
    /// How long after the read the copy had every missed write.
    pub caught_up_in_ms: u64,
}

impl Served {
    /// Whether the answer was older than the latest.
    pub fn stale(&self) -> bool {
        self.stale_items > 0
    }

    pub(super) fn note<S>(&mut self, lagged: &Lagged<'_, S>, now: u64) {
        self.stale_items += 1;
        self.missed_writes += lagged.missed;
        self.behind_ms = self.behind_ms.max(now.saturating_sub(lagged.first.written_at));
        self.caught_up_in_ms = self.caught_up_in_ms.max(lagged.arrival.saturating_sub(now));
    }
}

/// How one read is served: when, by which replica (`None`: strongly consistent), under which
/// delays.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reading {
    pub now: u64,
    pub replica: Option<u8>,
    pub lag: Lag,
}

impl Reading {
    /// The next read at `now`; `eventual_reads` counts the eventually consistent ones, and
    /// chooses their replica.
    pub fn next(now: u64, lag: Lag, consistent: bool, eventual_reads: &mut u64) -> Self {
        let replica = (!consistent).then(|| {
            let n = *eventual_reads;
            *eventual_reads = n.wrapping_add(1);
            (n % REPLICAS) as u8 + 1
        });
        Reading { now, replica, lag }
    }

    /// What a read of the table sees.
    pub fn table_view(&self) -> View {
        match self.replica {
            Some(LAGGING_REPLICA) => View::Lagging(self.now),
            _ => View::Latest,
        }
    }

    /// What a read of an index of `kind` sees: a GSI as propagated, an LSI as its table.
    pub fn index_view(&self, kind: IndexKind) -> View {
        match kind {
            IndexKind::Global => View::Lagging(self.now),
            IndexKind::Local => self.table_view(),
        }
    }

    /// The record of where the read was served (`None` for a strongly consistent read).
    pub fn served(&self, index: Option<IndexKind>) -> Option<Served> {
        let replica = self.replica?;
        Some(match index {
            Some(IndexKind::Global) => {
                Served { replica: 0, delay_ms: self.lag.index_ms, ..Served::default() }
            }
            _ => Served { replica, delay_ms: self.lag.replica_ms, ..Served::default() },
        })
    }
}

impl Engine {
    /// The delays in force.
    pub(crate) fn lag(&self) -> Lag {
        let s = &self.playground.settings;
        Lag { replica_ms: s.replication_delay_ms, index_ms: s.gsi_propagation_delay_ms }
    }

    /// Chooses the replica of the next read (the rule in the module docs): counts it when
    /// eventually consistent.
    pub(crate) fn reading(&mut self, consistent: bool) -> Reading {
        let replica = (!consistent).then(|| {
            let n = self.playground.eventual_reads;
            self.playground.eventual_reads = n.wrapping_add(1);
            (n % REPLICAS) as u8 + 1
        });
        Reading { now: self.now_ms, replica, lag: self.lag() }
    }

    /// Drops, in every store, the versions whose writes have arrived by engine time `now`.
    pub(crate) fn deliver_replication(&mut self, now: u64) {
        for table in self.tables.values_mut() {
            table.items.lagging.deliver(now);
            for index in &mut table.indexes {
                index.entries.lagging.deliver(now);
            }
        }
    }

    /// Lets every pending write arrive everywhere (a delay was changed).
    pub(crate) fn catch_up_replicas(&mut self) {
        for table in self.tables.values_mut() {
            table.items.lagging.clear();
            for index in &mut table.indexes {
                index.entries.lagging.clear();
            }
        }
    }
}

/// Before a committed write replaces the item under `key` with `new` (`None`: deletes it) at
/// `now`: the versions the lagging copies keep — the table's old item for replica 3, and each
/// index's old entry (and the absence of its new one) until the write reaches the index.
pub(crate) fn hold_before_write(table: &mut Table, key: &PrimaryKey, new: Option<&Item>, now: u64, lag: Lag) {
    let old = table.items.get(&key.partition, &key.sort);
    for index in &mut table.indexes {
        let delay = lag.of(index.kind);
        if delay == 0 {
            continue;
        }
        let old_entry = old.as_ref().and_then(|item| {
            let (partition, position) = index.entry_key(key, item)?;
            let stored = index.entries.get(&partition, &position)?;
            Some((partition, position, stored))
        });
        let new_key = new.and_then(|item| index.entry_key(key, item));
        match (old_entry, new_key) {
            (Some((p, s, stored)), Some(new_key)) if (&p, &s) == (&new_key.0, &new_key.1) => {
                let changed = new.is_some_and(|item| index.project(&table.key_schema, item) != stored);
                if changed {
                    index.entries.lagging.hold(p, s, Some(stored), now, delay);
                }
            }
            (old_entry, new_key) => {
                let lagging = &mut index.entries.lagging;
                if let Some((p, s, stored)) = old_entry {
                    lagging.hold(p, s, Some(stored), now, delay);
                }
                if let Some((p, s)) = new_key {
                    lagging.hold(p, s, None, now, delay);
                }
            }
        }
    }
    if lag.replica_ms > 0 && old.as_ref() != new {
        table.items.lagging.hold(key.partition.clone(), key.sort.clone(), old, now, lag.replica_ms);
    }
}
