//! DynamoDB Streams: every committed change of a table with a stream becomes one record in one
//! shard, readable for 24 hours through ListStreams, DescribeStream, GetShardIterator and
//! GetRecords (see `ops/` for the actions).
//!
//! Where streams live: a table's *enabled* stream is `Table::stream_log`, so `write::commit`
//! (the one place items change) appends to it directly. When the stream is disabled, or its
//! table deleted, the log moves to `Engine::closed_streams`, its shards closed, and stays
//! readable until 24 hours after that; re-enabling makes a new stream with a new label/ARN.
//!
//! Statuses on engine time: a stream enabled by UpdateTable is ENABLING for
//! `control::TABLE_UPDATE_MS` (one created with its table is ENABLED at once); a disabled one
//! is DISABLING for as long, then DISABLED.
//!
//! ## Partitions (the seam)
//!
//! Shards follow partitions: each shard covers a contiguous range of partition-key hashes
//! (`PartitionKey::token`, the hash that places keys on partitions) and a change goes to the
//! open shard covering its key. Three functions connect the partition map, all here:
//! - [`partition_ranges`]: the hash ranges of the table's partitions, one shard each when a
//!   stream is created;
//! - [`follow_partitions`]: called by `write::commit` before every change; when partitions
//!   have split since, each open shard covering several closes through
//! - [`on_partition_split`], which opens one child shard per new partition (`ParentShardId`
//!   set).
//!
//! Shards also roll over after `shard::SHARD_ROLLOVER_MS`, as DynamoDB's do.

mod iterator;
mod record;
mod shard;
pub(crate) mod state;

use serde_json::{json, Map, Value};

pub(crate) use iterator::ShardIterator;
pub(crate) use record::{Change, Origin, ViewType};
pub(crate) use shard::{parse_sequence, HashRange, Shards};

use crate::control::{Stream, TABLE_UPDATE_MS};
use crate::engine::Engine;
use crate::error::{ApiError, ErrorKind};
use crate::table::{epoch_seconds, Table};
use crate::types::PrimaryKey;

/// How long stream records (and a disabled stream) stay readable.
pub(crate) const RETENTION_MS: u64 = 24 * 3_600_000;
/// The most record bytes one stream keeps by default (the playground setting
/// `StreamRetentionBytes`): DynamoDB keeps 24 hours whatever their size, but a workload
/// writing 5,000 items a second would fill a browser tab's memory long before that. Past the
/// cap the oldest records are trimmed, as after 24 hours.
pub(crate) const DEFAULT_RETENTION_BYTES: u64 = 4 * 1024 * 1024;
/// The least and most the setting accepts (the least is above the largest record, two
/// 400 KB images).
pub(crate) const MIN_RETENTION_BYTES: u64 = 1024 * 1024;
pub(crate) const MAX_RETENTION_BYTES: u64 = 1024 * 1024 * 1024;
/// Disabled streams kept readable at once (each for its 24 hours); older ones are forgotten.
pub(crate) const MAX_CLOSED_STREAMS: usize = 20;
/// How long a shard iterator may be used after it was handed out.
pub(crate) const ITERATOR_LIFETIME_MS: u64 = 15 * 60_000;

/// One stream: what DescribeStream shows and the shards holding its records.
#[derive(Clone, Debug)]
pub(crate) struct StreamLog {
    pub arn: String,
    pub label: String,
    pub table_name: String,
    pub region: String,
    pub view_type: ViewType,
    /// The table's `KeySchema` as DescribeTable shows it.
    pub key_schema: Value,
    pub created_ms: u64,
    /// ENABLING until this engine time.
    pub enabled_at_ms: u64,
    pub disabled_ms: Option<u64>,
    pub shards: Shards,
    /// The most record bytes kept (the `StreamRetentionBytes` setting).
    pub retention_bytes: usize,
    /// The stream's resource-based policy (PutResourcePolicy on its ARN).
    pub policy: Option<crate::control::ResourcePolicy>,
}

impl StreamLog {
    /// `StreamStatus` at engine time `now`.
    pub fn status(&self, now: u64) -> &'static str {
        match self.disabled_ms {
            Some(t) if now < t + TABLE_UPDATE_MS => "DISABLING",
            Some(_) => "DISABLED",
            None if now < self.enabled_at_ms => "ENABLING",
            None => "ENABLED",
        }
    }

    /// Appends the record of one committed change (nothing if the item did not change).
    pub fn record(&mut self, key: &PrimaryKey, change: &Change<'_>, now: u64) {
        let Some(event_name) = change.event_name() else { return };
        let ctx = record::RecordContext {
            stream_arn: &self.arn,
            region: &self.region,
            view_type: self.view_type,
            now_ms: now,
        };
        let cap = self.retention_bytes;
        self.shards.append(key.partition.token, now, cap, |seq| record::build(&ctx, change, event_name, seq));
    }

    /// Disables the stream: its shards close; it stays readable for 24 hours.
    pub fn disable(&mut self, now: u64) {
        if self.disabled_ms.is_none() {
            self.disabled_ms = Some(now);
            self.shards.close_all(now);
        }
    }

    /// Whether the stream has outlived its 24 hours after being disabled.
    pub fn gone(&self, now: u64) -> bool {
        self.disabled_ms.is_some_and(|t| now >= t + RETENTION_MS)
    }

    /// The stream as ListStreams lists it.
    pub fn summary(&self) -> Value {
        json!({"StreamArn": self.arn, "TableName": self.table_name, "StreamLabel": self.label})
    }

    /// The `StreamDescription` of DescribeStream with the given page of shards.
    pub fn describe(&self, now: u64, shards: Vec<Value>, last_evaluated: Option<&str>) -> Value {
        let mut d = Map::new();
        d.insert("StreamArn".into(), json!(self.arn));
        d.insert("StreamLabel".into(), json!(self.label));
        d.insert("StreamStatus".into(), json!(self.status(now)));
        d.insert("StreamViewType".into(), json!(self.view_type.name()));
        d.insert("CreationRequestDateTime".into(), epoch_seconds(self.created_ms));
        d.insert("TableName".into(), json!(self.table_name));
        d.insert("KeySchema".into(), self.key_schema.clone());
        d.insert("Shards".into(), Value::Array(shards));
        if let Some(id) = last_evaluated {
            d.insert("LastEvaluatedShardId".into(), json!(id));
        }
        Value::Object(d)
    }
}

/// The hash ranges of the table's partitions, one shard each when a stream is created.
pub(crate) fn partition_ranges(table: &Table) -> Vec<HashRange> {
    let parts = &table.items.capacity.partitions.parts;
    if parts.is_empty() {
        // Partitions are laid out on the table's first request; until then, one.
        return vec![(0, u64::MAX)];
    }
    parts.iter().map(|p| (p.start, p.end)).collect()
}

/// Shards follow partitions: partitions only split (never merge) and every open shard covers
/// whole partitions, so an open shard whose range now holds several partitions closes and
/// gets one child shard per partition, each naming it as its parent. Cheap when nothing
/// split: equal counts mean one shard per partition.
pub(crate) fn follow_partitions(table: &mut Table, now: u64) {
    let Some(log) = table.stream_log.as_ref() else { return };
    let open: Vec<HashRange> = log.shards.list.iter().filter(|s| s.is_open()).map(|s| s.range).collect();
    let ranges = partition_ranges(table);
    if open.len() >= ranges.len() {
        return;
    }
    for parent in open {
        let children: Vec<HashRange> =
            ranges.iter().filter(|r| r.0 >= parent.0 && r.1 <= parent.1).copied().collect();
        if children.len() > 1 {
            on_partition_split(table, parent, &children, now);
        }
    }
}

/// The partition of `table` covering `parent` has split into `children` at engine time `now`:
/// its shard closes and each child partition gets a child shard.
pub(crate) fn on_partition_split(table: &mut Table, parent: HashRange, children: &[HashRange], now: u64) {
    if let Some(log) = table.stream_log.as_mut() {
        log.shards.split(parent, children, now);
    }
}

/// Gives `table` the stream settings `stream` at engine time `now`: a newly enabled stream gets
/// a new log (ENABLING until `enabled_at_ms`, keeping at most `retention_bytes` of records); a
/// disabled one loses its log. Returns the log that stopped being the table's, for
/// `Engine::closed_streams`.
pub(crate) fn set_table_stream(
    table: &mut Table,
    stream: Option<Stream>,
    table_arn: &str,
    region: &str,
    (now, enabled_at_ms): (u64, u64),
    retention_bytes: u64,
) -> Option<StreamLog> {
    let enabled = stream.as_ref().filter(|s| s.enabled).cloned();
    table.control.stream = stream;
    let keep = match (&enabled, &table.stream_log) {
        (Some(s), Some(log)) => log.created_ms == s.created_ms,
        _ => false,
    };
    if keep {
        return None;
    }
    let mut retired = table.stream_log.take();
    if let Some(log) = retired.as_mut() {
        log.disable(now);
    }
    if let Some(s) = enabled {
        let label = s.label();
        let ranges = partition_ranges(table);
        let arn = format!("{table_arn}/stream/{label}");
        let seed = arn.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
        table.stream_log = Some(StreamLog {
            shards: Shards::with_ranges(seed, &ranges, now),
            arn,
            label,
            table_name: table.name.clone(),
            region: region.to_owned(),
            view_type: ViewType::parse(&s.view_type),
            key_schema: crate::table::key_schema_json(&table.key_schema),
            created_ms: s.created_ms,
            enabled_at_ms,
            disabled_ms: None,
            retention_bytes: retention_bytes as usize,
            policy: None,
        });
    }
    retired
}

/// The table name inside a stream ARN (`arn:…:table/<name>/stream/<label>`).
fn table_of_stream_arn(arn: &str) -> Option<&str> {
    let rest = arn.split_once(":table/")?.1;
    Some(rest.rsplit_once("/stream/")?.0)
}

impl Engine {
    /// Keeps a stream that stopped being its table's (disabled, or its table deleted) readable
    /// for 24 hours.
    pub(crate) fn retire_stream(&mut self, log: Option<StreamLog>) {
        if let Some(log) = log {
            self.closed_streams.push(log);
            if self.closed_streams.len() > MAX_CLOSED_STREAMS {
                self.closed_streams.remove(0);
            }
        }
    }

    /// Applies the `StreamRetentionBytes` setting to every stream, trimming at once.
    pub(crate) fn set_stream_retention(&mut self, bytes: u64) {
        let regions = self.global.regions.iter_mut().map(|r| (&mut r.tables, &mut r.closed_streams));
        // Every Region's streams, live and retired.
        for (tables, closed) in std::iter::once((&mut self.tables, &mut self.closed_streams)).chain(regions) {
            let logs = tables.values_mut().filter_map(|t| t.stream_log.as_mut());
            for log in logs.chain(closed.iter_mut()) {
                log.retention_bytes = bytes as usize;
                log.shards.trim_to(log.retention_bytes);
            }
        }
    }

    /// Forgets disabled streams past their 24 hours and trims every stream's records older
    /// than 24 hours at engine time `now` (once per engine second, see
    /// `Engine::housekeeping`; reads filter nothing themselves).
    pub(crate) fn trim_streams(&mut self, now: u64) {
        self.closed_streams.retain(|s| !s.gone(now));
        for log in &mut self.closed_streams {
            log.shards.trim(now);
        }
        for region in &mut self.global.regions {
            region.closed_streams.retain(|s| !s.gone(now));
            for log in &mut region.closed_streams {
                log.shards.trim(now);
            }
        }
        for table in crate::global::regions::all_tables_mut(self) {
            if let Some(log) = table.stream_log.as_mut() {
                log.shards.trim(now);
            }
        }
    }

    /// The stream with this ARN, if it is still readable.
    pub(crate) fn stream(&self, arn: &str) -> Option<&StreamLog> {
        let live = table_of_stream_arn(arn)
            .and_then(|name| self.tables.get(name))
            .and_then(|t| t.stream_log.as_ref())
            .filter(|s| s.arn == arn);
        live.or_else(|| self.closed_streams.iter().find(|s| s.arn == arn && !s.gone(self.now_ms)))
    }

    /// Every readable stream: enabled ones by table name, then disabled ones, oldest first.
    pub(crate) fn streams(&self) -> impl Iterator<Item = &StreamLog> {
        let now = self.now_ms;
        self.tables
            .values()
            .filter_map(|t| t.stream_log.as_ref())
            .chain(self.closed_streams.iter().filter(move |s| !s.gone(now)))
    }
}

/// Checks that `arn` is a DynamoDB stream ARN —
/// `arn:<partition>:dynamodb:<region>:<12-digit account>:table/<table>/stream/<label>`, the label
/// a creation time such as `2026-01-01T00:00:00.000` — before any stream is looked up: a
/// malformed one is a `ValidationException` ("Invalid StreamArn", as DynamoDB Streams answers
/// a describe of `fake-stream`), a well-formed one naming no stream a
/// `ResourceNotFoundException`.
pub(crate) fn check_stream_arn(arn: &str) -> Result<(), ApiError> {
    if well_formed_stream_arn(arn) {
        Ok(())
    } else {
        Err(ApiError::validation("Invalid StreamArn"))
    }
}

fn well_formed_stream_arn(arn: &str) -> bool {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("dynamodb"), Some(region), Some(account), Some(resource)) =
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let lower = |s: &str, digits: bool| {
        !s.is_empty()
            && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'-' || (digits && b.is_ascii_digit()))
    };
    let Some((table, label)) = resource.strip_prefix("table/").and_then(|r| r.split_once("/stream/")) else {
        return false;
    };
    let table_ok = (3..=255).contains(&table.len())
        && table.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    partition.starts_with("aws")
        && lower(partition, false)
        && lower(region, true)
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && table_ok
        && stream_label(label)
}

/// A stream label: the stream's creation time, `YYYY-MM-DDTHH:MM:SS.mmm`.
fn stream_label(label: &str) -> bool {
    const SHAPE: &[u8] = b"dddd-dd-ddTdd:dd:dd.ddd";
    label.len() == SHAPE.len()
        && label
            .bytes()
            .zip(SHAPE)
            .all(|(b, want)| if *want == b'd' { b.is_ascii_digit() } else { b == *want })
}

/// `ResourceNotFoundException` for a stream ARN that names no readable stream.
pub(crate) fn stream_not_found(arn: &str) -> ApiError {
    ApiError::new(
        ErrorKind::ResourceNotFound,
        format!("Requested resource not found: Stream: {arn} not found"),
    )
}

/// `ResourceNotFoundException` for a shard the stream does not have (any more).
pub(crate) fn shard_not_found(shard_id: &str, arn: &str) -> ApiError {
    ApiError::new(
        ErrorKind::ResourceNotFound,
        format!("Requested resource not found: Shard: {shard_id} in Stream: {arn} not found"),
    )
}

/// `TrimmedDataAccessException`: the read starts behind the 24-hour trim horizon.
pub(crate) fn trimmed() -> ApiError {
    ApiError::new(ErrorKind::TrimmedDataAccess, "The data you are trying to access has been trimmed")
}

/// `ExpiredIteratorException`: the iterator is older than 15 minutes.
pub(crate) fn expired_iterator() -> ApiError {
    ApiError::new(ErrorKind::ExpiredIterator, "The provided iterator exceeds the maximum age allowed.")
}

#[cfg(test)]
mod tests;
