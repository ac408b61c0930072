//! PlaygroundUpdateSettings: the partition size limit, throttling on or off, the TTL
//! deletion delay, how many bytes of records a stream keeps, the item collection size limit of
//! tables with a local secondary index, the replication and GSI propagation delays (read
//! consistency, `replication.rs`), the DAX cache size limit, and how long a write takes to
//! reach a global table's other Regions (`global`). Settings are workspace state: this
//! operation is journaled like a write, and non-default settings travel in the workspace
//! document (which imports them through here).

use serde_json::Value;

use super::playground_describe_settings::settings_answer;
use super::request;
use crate::capacity::admission;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::partition::TEN_GB;
use crate::streams::{MAX_RETENTION_BYTES, MIN_RETENTION_BYTES};
use crate::validate::{self, Field};

/// Smallest partition size limit the setting accepts.
const MIN_PARTITION_SIZE_LIMIT: i64 = 1024;
/// Longest TTL deletion delay the setting accepts (a week: DynamoDB deletes expired items
/// "typically within a few days").
const MAX_TTL_DELETION_DELAY_MS: i64 = 7 * 86_400_000;
/// Longest replication or GSI propagation delay the settings accept (an hour: DynamoDB's are
/// typically well under a second, and a learner slows them down to watch).
pub(crate) const MAX_REPLICATION_DELAY_MS: i64 = 3_600_000;

/// The request's members, in the order constraint failures are reported in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("PartitionSizeLimitBytes", Long, &[Min(MIN_PARTITION_SIZE_LIMIT), Max(TEN_GB as i64)]),
        field("ThrottlingEnabled", Bool, &[]),
        field("TtlDeletionDelayMilliseconds", Long, &[Min(0), Max(MAX_TTL_DELETION_DELAY_MS)]),
        field(
            "StreamRetentionBytes",
            Long,
            &[Min(MIN_RETENTION_BYTES as i64), Max(MAX_RETENTION_BYTES as i64)],
        ),
        field("ItemCollectionSizeLimitBytes", Long, &[Min(MIN_PARTITION_SIZE_LIMIT), Max(TEN_GB as i64)]),
        field("ReplicationDelayMilliseconds", Long, &[Min(0), Max(MAX_REPLICATION_DELAY_MS)]),
        field("GsiPropagationDelayMilliseconds", Long, &[Min(0), Max(MAX_REPLICATION_DELAY_MS)]),
        field("DaxCacheSizeLimitBytes", Long, &[Min(0)]),
        field("GlobalTableReplicationDelayMilliseconds", Long, &[Min(0), Max(MAX_REPLICATION_DELAY_MS)]),
    ]
};

/// Every member is checked (by the schema) before any is applied, so a bad request changes
/// nothing.
pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    if let Some(throttling) = request::optional_boolean(request, "ThrottlingEnabled") {
        engine.playground.settings.throttling = throttling;
    }
    if let Some(limit) = request::integer(request, "PartitionSizeLimitBytes") {
        let limit = limit.clamp(MIN_PARTITION_SIZE_LIMIT, TEN_GB as i64) as u64;
        engine.playground.settings.partition_size_limit = limit;
        // Split what the new limit makes oversized at once, so the map shows it.
        let (tables, layout) = engine.tables_with_layout();
        for table in tables.values_mut() {
            admission::maintain_all(table, layout);
        }
    }
    let ttl_delay = request::integer(request, "TtlDeletionDelayMilliseconds")
        .map(|ms| ms.clamp(0, MAX_TTL_DELETION_DELAY_MS) as u64);
    if let Some(ms) = ttl_delay.filter(|ms| *ms != engine.ttl_deletion_delay_ms()) {
        engine.set_ttl_deletion_delay_ms(ms);
    }
    if let Some(limit) = request::integer(request, "ItemCollectionSizeLimitBytes") {
        // Applies to the writes that follow: a collection already above it stays, as DynamoDB
        // keeps data it has accepted, and only growing it further is refused.
        engine.playground.settings.item_collection_size_limit =
            limit.clamp(MIN_PARTITION_SIZE_LIMIT, TEN_GB as i64) as u64;
    }
    if let Some(bytes) = request::integer(request, "StreamRetentionBytes") {
        let bytes = bytes.clamp(MIN_RETENTION_BYTES as i64, MAX_RETENTION_BYTES as i64) as u64;
        engine.playground.settings.stream_retention_bytes = bytes;
        engine.set_stream_retention(bytes);
    }
    let delay = |name| request::integer(request, name).map(|ms| ms.clamp(0, MAX_REPLICATION_DELAY_MS) as u64);
    let lag = engine.lag();
    let settings = &mut engine.playground.settings;
    settings.replication_delay_ms = delay("ReplicationDelayMilliseconds").unwrap_or(lag.replica_ms);
    settings.gsi_propagation_delay_ms = delay("GsiPropagationDelayMilliseconds").unwrap_or(lag.index_ms);
    if engine.lag() != lag {
        // Every replica and index catches up first; the new delays apply to later writes.
        engine.catch_up_replicas();
    }
    if let Some(bytes) = request::integer(request, "DaxCacheSizeLimitBytes") {
        // 0: each cluster's node memory. A smaller limit applies from the next insert on
        // (which evicts down to it).
        engine.playground.settings.dax_cache_size_limit = u64::try_from(bytes).ok().filter(|b| *b > 0);
    }
    if let Some(ms) = request::integer(request, "GlobalTableReplicationDelayMilliseconds") {
        // Writes already on their way keep their arrival time; later ones take the new delay.
        engine.global.delay_ms = ms.clamp(0, MAX_REPLICATION_DELAY_MS) as u64;
    }
    Ok(settings_answer(engine))
}
