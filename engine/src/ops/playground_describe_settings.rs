//! PlaygroundDescribeSettings: the playground settings, with their defaults (for the UI).

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::ApiResult;
use crate::partition::TEN_GB;
use crate::validate::{self, shapes::NO_MEMBERS, Field};

/// The request's members: none.
pub(crate) static SCHEMA: &[Field] = NO_MEMBERS;

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    Ok(settings_answer(engine))
}

/// `{Settings}`, as both settings operations answer.
pub(super) fn settings_answer(engine: &Engine) -> Value {
    json!({"Settings": {
        "PartitionSizeLimitBytes": engine.playground.settings.partition_size_limit,
        "DefaultPartitionSizeLimitBytes": TEN_GB,
        "ThrottlingEnabled": engine.playground.settings.throttling,
        "TtlDeletionDelayMilliseconds": engine.ttl_deletion_delay_ms(),
        "DefaultTtlDeletionDelayMilliseconds": crate::ttl::DEFAULT_TTL_DELETION_DELAY_MS,
        "StreamRetentionBytes": engine.playground.settings.stream_retention_bytes,
        "DefaultStreamRetentionBytes": crate::streams::DEFAULT_RETENTION_BYTES,
        "ItemCollectionSizeLimitBytes": engine.playground.settings.item_collection_size_limit,
        "DefaultItemCollectionSizeLimitBytes": TEN_GB,
        "ReplicationDelayMilliseconds": engine.playground.settings.replication_delay_ms,
        "GsiPropagationDelayMilliseconds": engine.playground.settings.gsi_propagation_delay_ms,
        "DefaultReplicationDelayMilliseconds": 0,
        "DefaultGsiPropagationDelayMilliseconds": 0,
        "DaxCacheSizeLimitBytes": engine.playground.settings.dax_cache_size_limit.unwrap_or(0),
        "DefaultDaxCacheSizeLimitBytes": 0,
        "GlobalTableReplicationDelayMilliseconds": engine.global.delay_ms,
        "DefaultGlobalTableReplicationDelayMilliseconds": crate::global::DEFAULT_REPLICATION_DELAY_MS,
    }})
}
