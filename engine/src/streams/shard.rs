//! The shards of one stream: who receives a change, sequence numbers, closing, roll-over,
//! splitting, and trimming — after 24 hours, and past the stream's size cap.
//!
//! Every shard covers a contiguous range of partition-key hashes (`PartitionKey::token`), as
//! a DynamoDB partition does. At any instant the open shards tile the whole hash space, so an
//! item's changes always land in one open shard, and a child shard opens only when its parent
//! closes: reading parents before children gives every item's changes in order.
//!
//! Until the engine has partitions, a stream starts with one shard covering every hash. The
//! partition map connects through [`Shards::split`] (see `streams/mod.rs`, "Partitions").

use std::collections::VecDeque;

use serde_json::{json, Map, Value};

use super::RETENTION_MS;

/// An open shard older than this closes and hands over to a child with the same hash range at
/// its next write, as DynamoDB's shards roll over every few hours.
pub(crate) const SHARD_ROLLOVER_MS: u64 = 4 * 3_600_000;

/// Sequence numbers are this base plus a per-stream counter: increasing 21-digit numeric
/// strings, the shortest DynamoDB accepts back in GetShardIterator.
const SEQUENCE_BASE: u128 = 100_000_000_000_000_000_000;

/// A contiguous, inclusive range of partition-key hashes.
pub(crate) type HashRange = (u64, u64);

/// One stream record as kept in its shard.
#[derive(Clone, Debug)]
pub(crate) struct StoredRecord {
    pub sequence: u128,
    pub created_ms: u64,
    /// The record exactly as GetRecords returns it.
    pub body: Value,
    /// Bytes counted against GetRecords' 1 MB page.
    pub size: usize,
}

/// A shard: a hash range, its lineage, and its records in sequence order.
#[derive(Clone, Debug)]
pub(crate) struct Shard {
    pub id: String,
    pub parent: Option<String>,
    pub range: HashRange,
    pub opened_ms: u64,
    pub starting: u128,
    /// Set when the shard closes; no record arrives after that.
    pub ending: Option<u128>,
    pub closed_ms: Option<u64>,
    pub records: VecDeque<StoredRecord>,
    /// Records below this sequence number have been trimmed.
    pub trim_horizon: u128,
}

impl Shard {
    /// Whether the shard still receives records.
    pub fn is_open(&self) -> bool {
        self.ending.is_none()
    }

    /// The shard as DescribeStream lists it.
    pub fn describe(&self) -> Value {
        let mut range = Map::new();
        range.insert("StartingSequenceNumber".into(), json!(sequence_text(self.starting)));
        if let Some(end) = self.ending {
            range.insert("EndingSequenceNumber".into(), json!(sequence_text(end)));
        }
        let mut d = Map::new();
        d.insert("ShardId".into(), json!(self.id));
        d.insert("SequenceNumberRange".into(), Value::Object(range));
        if let Some(parent) = &self.parent {
            d.insert("ParentShardId".into(), json!(parent));
        }
        Value::Object(d)
    }

    /// The first sequence number a read may still start from.
    pub fn first_readable(&self) -> u128 {
        self.trim_horizon
    }

    /// The highest sequence number a record of this shard has, or could have had so far.
    pub fn last_possible(&self, last_assigned: u128) -> u128 {
        self.ending.unwrap_or(last_assigned)
    }
}

/// The shards of one stream and its sequence-number counter.
#[derive(Clone, Debug)]
pub(crate) struct Shards {
    pub list: Vec<Shard>,
    /// The last sequence number handed out in this stream.
    pub last_sequence: u128,
    /// Shards opened so far (makes shard ids unique within the stream).
    pub(super) opened: u64,
    /// Mixed into shard ids so two streams' ids differ.
    pub(super) seed: u64,
    /// Bytes of the records kept (their `size`s), for the size cap.
    pub(super) bytes: usize,
}

impl Shards {
    /// One open shard covering every hash.
    #[cfg(test)]
    pub fn new(seed: u64, now: u64) -> Self {
        Self::with_ranges(seed, &[(0, u64::MAX)], now)
    }

    /// One open shard per range (the table's partitions when the stream is created).
    pub fn with_ranges(seed: u64, ranges: &[HashRange], now: u64) -> Self {
        let mut shards = Self { list: Vec::new(), last_sequence: SEQUENCE_BASE, opened: 0, seed, bytes: 0 };
        for range in ranges {
            shards.open(None, *range, now);
        }
        shards
    }

    fn open(&mut self, parent: Option<String>, range: HashRange, now: u64) {
        self.opened += 1;
        let suffix = mix(self.seed ^ self.opened.wrapping_mul(0x9e37_79b9_7f4a_7c15)) as u32;
        let start = self.last_sequence + 1;
        self.list.push(Shard {
            id: format!("shardId-{now:020}-{suffix:08x}"),
            parent,
            range,
            opened_ms: now,
            starting: start,
            ending: None,
            closed_ms: None,
            records: VecDeque::new(),
            trim_horizon: start,
        });
    }

    fn close(&mut self, index: usize, now: u64) {
        let Some(shard) = self.list.get_mut(index) else { return };
        // The last record's number, also when trimming took it (the horizon is one past it):
        // a shard closes with the same range whether or not its records were trimmed first.
        let end = shard
            .records
            .back()
            .map_or(shard.trim_horizon.saturating_sub(1).max(shard.starting), |r| r.sequence);
        shard.ending = Some(end);
        shard.closed_ms = Some(now);
        // An empty shard's range still uses up its starting number.
        self.last_sequence = self.last_sequence.max(end);
    }

    /// The open shard holding `hash` (there is always one while the stream is enabled).
    fn open_shard_for(&self, hash: u64) -> Option<usize> {
        self.list.iter().position(|s| s.is_open() && s.range.0 <= hash && hash <= s.range.1)
    }

    /// Appends a record built by `build(sequence)` to the open shard holding `hash`; rolls an
    /// old shard over first; then trims the oldest records until the stream holds at most
    /// `cap` bytes. Does nothing once every shard is closed (a disabled stream).
    pub fn append(&mut self, hash: u64, now: u64, cap: usize, build: impl FnOnce(u128) -> (Value, usize)) {
        let Some(mut index) = self.open_shard_for(hash) else { return };
        if let Some(shard) = self.list.get(index).filter(|s| now >= s.opened_ms + SHARD_ROLLOVER_MS) {
            let (id, range) = (shard.id.clone(), shard.range);
            self.close(index, now);
            self.open(Some(id), range, now);
            index = self.list.len() - 1;
        }
        self.last_sequence += 1;
        let sequence = self.last_sequence;
        let (body, size) = build(sequence);
        if let Some(shard) = self.list.get_mut(index) {
            shard.records.push_back(StoredRecord { sequence, created_ms: now, body, size });
            self.bytes += size;
        }
        self.trim_to(cap);
    }

    /// Trims the oldest records — the lowest sequence numbers, whatever their shard — until
    /// the records kept take at most `cap` bytes. As with trimming by age, a shard's trim
    /// horizon moves past them: a read that starts behind it gets TrimmedDataAccessException.
    pub fn trim_to(&mut self, cap: usize) {
        while self.bytes > cap {
            let oldest = self
                .list
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.records.front().map(|r| (r.sequence, i)))
                .min();
            let Some((_, i)) = oldest else { break };
            if let Some(r) = self.list[i].records.pop_front() {
                self.list[i].trim_horizon = r.sequence + 1;
                self.bytes = self.bytes.saturating_sub(r.size);
            }
        }
    }

    /// The partition seam: the partition covering `parent` split into `children` (contiguous
    /// ranges that together cover `parent`). Closes the open shard of that range and opens one
    /// child shard per new partition, each naming the closed shard as its parent.
    pub fn split(&mut self, parent: HashRange, children: &[HashRange], now: u64) {
        let Some(index) = self.list.iter().position(|s| s.is_open() && s.range == parent) else { return };
        let id = self.list[index].id.clone();
        self.close(index, now);
        for child in children {
            self.open(Some(id.clone()), *child, now);
        }
    }

    /// Closes every open shard (the stream is being disabled).
    pub fn close_all(&mut self, now: u64) {
        for index in 0..self.list.len() {
            if self.list[index].is_open() {
                self.close(index, now);
            }
        }
    }

    /// Drops records older than 24 hours, and closed shards with nothing left to read that
    /// closed more than 24 hours ago.
    pub fn trim(&mut self, now: u64) {
        for shard in &mut self.list {
            while shard.records.front().is_some_and(|r| r.created_ms + RETENTION_MS <= now) {
                if let Some(r) = shard.records.pop_front() {
                    shard.trim_horizon = r.sequence + 1;
                    self.bytes = self.bytes.saturating_sub(r.size);
                }
            }
        }
        self.list.retain(|s| !s.records.is_empty() || s.closed_ms.is_none_or(|t| now < t + RETENTION_MS));
    }

    /// The shard with this id.
    pub fn get(&self, id: &str) -> Option<&Shard> {
        self.list.iter().find(|s| s.id == id)
    }
}

/// A sequence number as the API writes it.
pub(crate) fn sequence_text(sequence: u128) -> String {
    sequence.to_string()
}

/// A sequence number from the API, if it is one.
pub(crate) fn parse_sequence(text: &str) -> Option<u128> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// splitmix64: spreads a counter into id-looking bits.
pub(crate) fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push(shards: &mut Shards, hash: u64, now: u64) -> u128 {
        let mut got = 0;
        shards.append(hash, now, usize::MAX, |seq| {
            got = seq;
            (json!({}), 1)
        });
        got
    }

    #[test]
    fn sequence_numbers_increase_and_shards_record_their_range() {
        let mut s = Shards::new(1, 0);
        let a = push(&mut s, 5, 0);
        let b = push(&mut s, 6, 0);
        assert!(b > a);
        assert_eq!(sequence_text(a).len(), 21);
        assert_eq!(s.list[0].starting, a);
        s.close_all(10);
        assert_eq!(s.list[0].ending, Some(b));
        // A closed stream takes no more records.
        push(&mut s, 5, 11);
        assert_eq!(s.list[0].records.len(), 2);
    }

    #[test]
    fn a_split_closes_the_parent_and_opens_children_covering_its_range() {
        let mut s = Shards::new(1, 0);
        push(&mut s, 1, 0);
        s.split((0, u64::MAX), &[(0, 99), (100, u64::MAX)], 5);
        assert_eq!(s.list.len(), 3);
        assert!(!s.list[0].is_open());
        let parent = s.list[0].id.clone();
        assert!(s.list[1..].iter().all(|c| c.parent.as_deref() == Some(parent.as_str())));
        let low = push(&mut s, 50, 6);
        let high = push(&mut s, 500, 6);
        assert_eq!(s.list[1].records[0].sequence, low);
        assert_eq!(s.list[2].records[0].sequence, high);
        assert!(s.list[1].starting > s.list[0].ending.unwrap_or(0));
    }

    #[test]
    fn old_shards_roll_over_to_a_child() {
        let mut s = Shards::new(1, 0);
        push(&mut s, 1, 0);
        push(&mut s, 1, SHARD_ROLLOVER_MS);
        assert_eq!(s.list.len(), 2);
        assert_eq!(s.list[1].parent.as_deref(), Some(s.list[0].id.as_str()));
        assert_eq!(s.list[1].records.len(), 1);
    }

    #[test]
    fn records_are_trimmed_after_24_hours() {
        let mut s = Shards::new(1, 0);
        let first = push(&mut s, 1, 0);
        push(&mut s, 1, 1_000);
        s.trim(RETENTION_MS);
        assert_eq!(s.list[0].records.len(), 1);
        assert_eq!(s.list[0].trim_horizon, first + 1);
        s.close_all(RETENTION_MS);
        s.trim(3 * RETENTION_MS);
        assert!(s.list.is_empty());
    }

    #[test]
    fn the_oldest_records_go_past_the_size_cap_whatever_their_shard() {
        let mut s = Shards::new(1, 0);
        s.split((0, u64::MAX), &[(0, 99), (100, u64::MAX)], 0);
        let record = |size: usize| move |_: u128| (json!({}), size);
        s.append(5, 1, 1_000, record(400));
        s.append(500, 2, 1_000, record(400));
        assert_eq!(s.bytes, 800);
        // 1,200 bytes > 1,000: the oldest record (the low shard's) goes.
        s.append(500, 3, 1_000, record(400));
        assert_eq!(s.bytes, 800);
        assert!(s.list[1].records.is_empty());
        assert_eq!(s.list[1].trim_horizon, s.list[1].starting + 1, "reads behind it are trimmed");
        assert_eq!(s.list[2].records.len(), 2);
        // A smaller cap trims at once; a record larger than the cap is not kept at all (the
        // setting's least value, 1 MiB, is above the largest record).
        s.trim_to(400);
        assert_eq!((s.bytes, s.list[2].records.len()), (400, 1));
        s.append(5, 4, 400, record(500));
        assert_eq!(s.bytes, 0);
    }

    #[test]
    fn sequence_numbers_parse_back() {
        assert_eq!(parse_sequence("100000000000000000007"), Some(SEQUENCE_BASE + 7));
        assert_eq!(parse_sequence("12a"), None);
        assert_eq!(parse_sequence(""), None);
    }
}
