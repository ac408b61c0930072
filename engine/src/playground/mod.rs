//! The playground: what a learner needs beyond DynamoDB's API — the clock, the partition map,
//! metrics series, hot keys, settings and the workload generator. This module holds their
//! state; the operations themselves are `ops/playground_<operation>.rs`, in the operation
//! registry like AWS's, and go through the same entry point (`Engine::handle`), under names
//! that all start with `Playground` so they can never collide with an AWS action:
//!
//! | operation | request | answer |
//! |---|---|---|
//! | `PlaygroundDescribeTime` | `{}` | `{Now, Paused, Speed, BehindMilliseconds?}` (how far a step budget left engine time behind) |
//! | `PlaygroundUpdateTime` | `{Paused?, Speed?}` (0.001–3600) | same as Describe |
//! | `PlaygroundAdvanceTime` | `{Milliseconds}` (≤ 1 day; a *step*, allowed while paused) | same |
//! | `PlaygroundDescribeSettings` / `PlaygroundUpdateSettings` | `{PartitionSizeLimitBytes?, ThrottlingEnabled?, TtlDeletionDelayMilliseconds?, StreamRetentionBytes?, ItemCollectionSizeLimitBytes?, ReplicationDelayMilliseconds?, GsiPropagationDelayMilliseconds?, DaxCacheSizeLimitBytes?, GlobalTableReplicationDelayMilliseconds?}` (the two delays: read consistency, see `replication.rs`; 0–3,600,000, default 0; the DAX cache size limit: 0 for the node's memory, see `dax/`; the last: how long a write takes to reach a global table's other Regions, 0–3,600,000, default 1,000) | `{Settings}` |
//! | `PlaygroundDescribePartitions` | `{TableName}` | table and every GSI: partitions, buckets, capacity |
//! | `PlaygroundGetMetrics` | `{TableName, IndexName?, PartitionId?, SinceSecond?}` | per-second columns, burst bucket levels included |
//! | `PlaygroundDescribeHotKeys` | `{TableName, IndexName?, Limit?}` | most accessed / throttled keys |
//! | `PlaygroundStartWorkload` | see `workload.rs` | `{WorkloadId}` |
//! | `PlaygroundStopWorkload` | `{WorkloadId}` | the workload |
//! | `PlaygroundListWorkloads` | `{}` | `{Workloads}` |
//! | `PlaygroundExplainRequest` | `{RequestId?}` | why a recent request cost what it did (`explain`); for a read also `ReadConsistency`: `{Consistency, Stale, StaleItems?, MissedWrites?, BehindMilliseconds?, CaughtUpInMilliseconds?, Reads: [{TableName, IndexName?, Replica?, DelayMilliseconds, Stale, …}]}` |
//! | `PlaygroundDaxRequest` | `{ClusterName, Operation, Request}` (a DynamoDB request through a DAX cluster, `dax/`) | `{Response, Outcome, Cache?, CacheHits, CacheMisses, LatencyMicroseconds}` |
//! | `PlaygroundDescribeDaxCache` | `{ClusterName, Limit?, SinceSecond?}` | TTLs, memory, totals, live item and query cache entries (time left, stale), per-second requests, hits, misses and evictions (`Metrics`) |
//! | `PlaygroundUpdateRegion` | `{RegionName, Available}` (false: isolated — its requests are served, nothing replicates to or from it until it is back) | `{Region: {RegionName, Available}}` |
//! | `PlaygroundPutIdentity` | `{IdentityName, IdentityType?, AccessKeys, Policies?, RoleSessionName?, SessionContext?}` (a user or role with access keys and inline policies, `iam/`) | `{Identity}` |
//! | `PlaygroundListIdentities` / `PlaygroundDeleteIdentity` | `{}` / `{IdentityName}` | `{Identities, ActingAs?}` / `{Identity}` |
//! | `PlaygroundUseAccessKey` | `{AccessKeyId?}` (the requests that follow are sent as that identity; none: the root user; session state) | `{ActingAs?, Arn?}` |
//! | `PlaygroundExplainAccess` | `{IdentityName, Operation, Request}` | IAM's decision on the request, by action and resource, with the deciding statements and context keys |
//! | `PlaygroundDescribeHistory` | `{TableName, RestoreDateTime?, Limit?, ExclusiveStartKey?}` (a second of the table's point-in-time window; Limit 1–1,000, default 100) | `{EarliestRestorableDateTime, LatestRestorableDateTime, Changes, ChangeCount}` (the newest 1,000 changes: `Time`, `EventName` INSERT/MODIFY/REMOVE, `Keys`), with a time also `{RestoreDateTime, ItemCount, Count, Items, LastEvaluatedKey?}`: the table then, as a restore to that second would hold it, read-only and charging nothing (`backups/preview.rs`) |
//! | `PlaygroundDescribeRegions` | `{TableName?}` | `{Regions, GlobalTables}`: each global table's replicas with status, writes pending and lag, the writes on their way and the conflicts resolved with who won (`global/view.rs`) |
//!
//! Settings are workspace state: `PlaygroundUpdateSettings` is journaled like a write (it
//! `mutates`, in the operation registry) and non-default settings travel in the workspace
//! document.
//! Engine time, the clock and workloads are not: they belong to the session.
//!
//! Views are O(partitions) or O(seconds asked for); none scans items, so a UI can poll them
//! every animation frame. `PlaygroundGetMetrics` with `SinceSecond` returns only the seconds
//! after the last one a chart drew.

pub(crate) mod clock;
pub(crate) mod workload;

use serde_json::{json, Map, Value};

use crate::capacity::admission::On;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::partition::TEN_GB;
use crate::table::Table;
use workload::Workload;

/// Visible playground settings.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    /// The partition size limit: 10 GB in DynamoDB; lower it so learner-sized data splits.
    pub partition_size_limit: u64,
    /// Whether requests over capacity are throttled. Off, every request is served and still
    /// counted in the metrics (for load tests of the plumbing, and to compare with and without).
    pub throttling: bool,
    /// The most record bytes a stream keeps (`streams::DEFAULT_RETENTION_BYTES`).
    pub stream_retention_bytes: u64,
    /// The item collection size limit of tables with a local secondary index: 10 GB in
    /// DynamoDB; lower it so a learner can reach it.
    pub item_collection_size_limit: u64,
    /// How long after its acknowledgement a write reaches a partition's third replica, which
    /// eventually consistent reads may land on (`replication`); 0: at once.
    pub replication_delay_ms: u64,
    /// How long after the table a write reaches its global secondary indexes; 0: at once.
    pub gsi_propagation_delay_ms: u64,
    /// The most bytes each DAX cluster's cache holds: `None` for its node type's memory (GiBs,
    /// which learner-sized data never fills); lower it to see least recently used entries
    /// evicted.
    pub dax_cache_size_limit: Option<u64>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            partition_size_limit: TEN_GB,
            throttling: true,
            stream_retention_bytes: crate::streams::DEFAULT_RETENTION_BYTES,
            item_collection_size_limit: TEN_GB,
            replication_delay_ms: 0,
            gsi_propagation_delay_ms: 0,
            dax_cache_size_limit: None,
        }
    }
}

/// Playground state held by the engine.
#[derive(Clone, Debug, Default)]
pub(crate) struct Playground {
    pub settings: Settings,
    pub clock: clock::Clock,
    pub workloads: Vec<Workload>,
    /// The last WorkloadId handed out.
    pub next_workload: u64,
    /// The engine time a step budget kept `run_until` from reaching (0: none): the next call
    /// carries on towards it.
    pub behind_target: u64,
    /// Eventually consistent reads served so far: the next one's replica follows from it
    /// (`replication`).
    pub eventual_reads: u64,
}

/// Moves engine time to `target` (or the target a budget-bound earlier call did not reach, if
/// later), running every workload request that falls due on the way, in time order (ties: the
/// earlier-started workload first) — as many as the step budget allows (see `workload.rs`).
/// Past the budget engine time stays at the last request run, and the next call carries on.
pub(crate) fn run_until(engine: &mut Engine, target: u64) {
    let target = target.max(engine.playground.behind_target);
    let mut budget = engine.config.workload_step_budget;
    loop {
        let next = engine
            .playground
            .workloads
            .iter()
            .enumerate()
            .filter_map(|(i, w)| w.next_at().filter(|t| *t <= target).map(|t| (t, i)))
            .min();
        // Replication between Regions happens at its own times, before a workload request of
        // the same millisecond.
        let replication = crate::global::replicate::next_event(engine).filter(|t| *t <= target);
        if let Some(at) = replication.filter(|r| next.is_none_or(|(w, _)| *r <= w)) {
            engine.now_ms = engine.now_ms.max(at);
            engine.housekeeping();
            crate::global::replicate::run_due(engine, at);
            continue;
        }
        let Some((at, i)) = next else { break };
        if budget == 0 {
            engine.playground.behind_target = target;
            engine.housekeeping();
            return;
        }
        engine.now_ms = engine.now_ms.max(at);
        engine.housekeeping();
        let Some(schema) =
            engine.tables.get(&engine.playground.workloads[i].table).map(|t| t.key_schema.clone())
        else {
            let w = &mut engine.playground.workloads[i];
            w.record(&Err(ApiError::resource_not_found()));
            continue;
        };
        let (op, body) = engine.playground.workloads[i].next_request(&schema);
        budget = budget.saturating_sub(engine.playground.workloads[i].cost(op));
        let result = crate::ops::dispatch(engine, op, &body);
        if result.is_ok() && crate::ops::is_mutating(op) {
            engine.background_writes += 1;
        }
        engine.playground.workloads[i].record(&result);
    }
    engine.playground.behind_target = 0;
    engine.now_ms = engine.now_ms.max(target);
    // Items whose Time to Live has passed are deleted, old stream records trimmed.
    engine.housekeeping();
}

/// The resource named by `IndexName` (a GSI), or the table.
pub(crate) fn index_target(table: &Table, request: &Value) -> ApiResult<On> {
    match request.get("IndexName").and_then(Value::as_str) {
        None => Ok(On::Table),
        Some(name) => table.global_index_position(name).map(On::Index).ok_or_else(|| {
            ApiError::validation(format!("The table does not have the specified index: {name}"))
        }),
    }
}

/// The settings that differ from the defaults, as a `PlaygroundUpdateSettings` request (what a
/// workspace document keeps); `None` when all are default.
pub(crate) fn changed_settings(engine: &Engine) -> Option<Value> {
    let mut m = Map::new();
    let s = &engine.playground.settings;
    if s.partition_size_limit != TEN_GB {
        m.insert("PartitionSizeLimitBytes".into(), json!(s.partition_size_limit));
    }
    if !s.throttling {
        m.insert("ThrottlingEnabled".into(), json!(false));
    }
    if engine.ttl_deletion_delay_ms() != crate::ttl::DEFAULT_TTL_DELETION_DELAY_MS {
        m.insert("TtlDeletionDelayMilliseconds".into(), json!(engine.ttl_deletion_delay_ms()));
    }
    if s.stream_retention_bytes != crate::streams::DEFAULT_RETENTION_BYTES {
        m.insert("StreamRetentionBytes".into(), json!(s.stream_retention_bytes));
    }
    if s.item_collection_size_limit != TEN_GB {
        m.insert("ItemCollectionSizeLimitBytes".into(), json!(s.item_collection_size_limit));
    }
    if s.replication_delay_ms != 0 {
        m.insert("ReplicationDelayMilliseconds".into(), json!(s.replication_delay_ms));
    }
    if s.gsi_propagation_delay_ms != 0 {
        m.insert("GsiPropagationDelayMilliseconds".into(), json!(s.gsi_propagation_delay_ms));
    }
    if let Some(limit) = s.dax_cache_size_limit {
        m.insert("DaxCacheSizeLimitBytes".into(), json!(limit));
    }
    if engine.global.delay_ms != crate::global::DEFAULT_REPLICATION_DELAY_MS {
        m.insert("GlobalTableReplicationDelayMilliseconds".into(), json!(engine.global.delay_ms));
    }
    (!m.is_empty()).then_some(Value::Object(m))
}
