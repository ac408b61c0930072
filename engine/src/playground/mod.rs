//! Playground operations: what a learner needs beyond DynamoDB's API — the clock, the
//! partition map, metrics series, hot keys, settings and the workload generator. They go
//! through the same entry point as AWS operations (`Engine::handle`), under names that all
//! start with `Playground` so they can never collide with an AWS action:
//!
//! | operation | request | answer |
//! |---|---|---|
//! | `PlaygroundDescribeTime` | `{}` | `{Now, Paused, Speed}` |
//! | `PlaygroundUpdateTime` | `{Paused?, Speed?}` (0.001–3600) | same as Describe |
//! | `PlaygroundAdvanceTime` | `{Milliseconds}` (≤ 1 day; a *step*, allowed while paused) | same |
//! | `PlaygroundDescribeSettings` / `PlaygroundUpdateSettings` | `{PartitionSizeLimitBytes?, ThrottlingEnabled?, TtlDeletionDelayMilliseconds?}` | `{Settings}` |
//! | `PlaygroundDescribePartitions` | `{TableName}` | table and every GSI: partitions, buckets, capacity |
//! | `PlaygroundGetMetrics` | `{TableName, IndexName?, PartitionId?, SinceSecond?}` | per-second columns, burst bucket levels included |
//! | `PlaygroundDescribeHotKeys` | `{TableName, IndexName?, Limit?}` | most accessed / throttled keys |
//! | `PlaygroundStartWorkload` | see `workload.rs` | `{WorkloadId}` |
//! | `PlaygroundStopWorkload` | `{WorkloadId}` | the workload |
//! | `PlaygroundListWorkloads` | `{}` | `{Workloads}` |
//!
//! Settings are workspace state: `PlaygroundUpdateSettings` is journaled like a write
//! (`mutates` in the operation registry, `ops/mod.rs`) and non-default settings travel in the workspace document.
//! Engine time, the clock and workloads are not: they belong to the session.
//!
//! Views are O(partitions) or O(seconds asked for); none scans items, so a UI can poll them
//! every animation frame. `PlaygroundGetMetrics` with `SinceSecond` returns only the seconds
//! after the last one a chart drew.

pub(crate) mod clock;
pub(crate) mod workload;

use serde_json::{json, Map, Value};

use crate::capacity::admission::{self, On};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::partition::TEN_GB;
use crate::table::{BillingMode, IndexKind, Table};
use crate::types::KeyValue;
use workload::{Workload, MAX_REQUESTS_PER_STEP};

/// Smallest partition size limit the setting accepts.
pub(crate) const MIN_PARTITION_SIZE_LIMIT: u64 = 1024;
/// Longest TTL deletion delay the setting accepts (a week: DynamoDB deletes expired items
/// "typically within a few days").
pub(crate) const MAX_TTL_DELETION_DELAY_MS: u64 = 7 * 86_400_000;

/// Visible playground settings.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    /// The partition size limit: 10 GB in DynamoDB; lower it so learner-sized data splits.
    pub partition_size_limit: u64,
    /// Whether requests over capacity are throttled. Off, every request is served and still
    /// counted in the metrics (for load tests of the plumbing, and to compare with and without).
    pub throttling: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self { partition_size_limit: TEN_GB, throttling: true }
    }
}

/// Playground state held by the engine.
#[derive(Clone, Debug, Default)]
pub(crate) struct Playground {
    pub settings: Settings,
    pub clock: clock::Clock,
    pub workloads: Vec<Workload>,
    next_workload: u64,
}

/// Moves engine time to `target`, running every workload request that falls due on the way,
/// in time order (ties: the earlier-started workload first).
pub(crate) fn run_until(engine: &mut Engine, target: u64) {
    let mut budget: Vec<u64> = vec![MAX_REQUESTS_PER_STEP; engine.playground.workloads.len()];
    loop {
        let next = engine
            .playground
            .workloads
            .iter()
            .enumerate()
            .filter_map(|(i, w)| w.next_at().filter(|t| *t <= target).map(|t| (t, i)))
            .min();
        let Some((at, i)) = next else { break };
        if budget[i] == 0 {
            engine.playground.workloads[i].skip_to(target);
            continue;
        }
        budget[i] -= 1;
        engine.now_ms = engine.now_ms.max(at);
        engine.sweep_expired_items();
        let Some(schema) =
            engine.tables.get(&engine.playground.workloads[i].table).map(|t| t.key_schema.clone())
        else {
            let w = &mut engine.playground.workloads[i];
            w.record(&Err(ApiError::resource_not_found()));
            continue;
        };
        let (op, body) = engine.playground.workloads[i].next_request(&schema);
        let result = crate::ops::dispatch(engine, op, &body);
        if result.is_ok() && crate::ops::is_mutating(op) {
            engine.background_writes += 1;
        }
        engine.playground.workloads[i].record(&result);
    }
    engine.now_ms = engine.now_ms.max(target);
    // Items whose Time to Live has passed are deleted as time moves.
    engine.sweep_expired_items();
}

/// PlaygroundDescribeTime.
pub(crate) fn describe_time(engine: &mut Engine, _request: &Value) -> ApiResult<Value> {
    Ok(time_of(engine))
}

fn time_of(engine: &Engine) -> Value {
    let clock = &engine.playground.clock;
    json!({"Now": engine.now_ms, "Paused": clock.paused, "Speed": clock.speed()})
}

/// PlaygroundUpdateTime.
pub(crate) fn update_time(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    let paused = match request.get("Paused") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_bool().ok_or_else(|| ApiError::validation("Paused must be a boolean"))?),
    };
    let speed = match request.get("Speed") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_f64().filter(|s| *s >= 0.001 && *s <= clock::MAX_SPEED).ok_or_else(|| {
            ApiError::validation(format!(
                "Speed must be a number between 0.001 and {}",
                clock::MAX_SPEED as u32
            ))
        })?),
    };
    engine.playground.clock.update(paused, speed, engine.now_ms);
    Ok(time_of(engine))
}

/// PlaygroundAdvanceTime.
pub(crate) fn advance_time(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    let ms = request
        .get("Milliseconds")
        .and_then(Value::as_u64)
        .filter(|ms| *ms <= 86_400_000)
        .ok_or_else(|| ApiError::validation("Milliseconds must be an integer between 0 and 86400000"))?;
    engine.advance(ms);
    Ok(time_of(engine))
}

/// PlaygroundDescribeSettings.
pub(crate) fn describe_settings(engine: &mut Engine, _request: &Value) -> ApiResult<Value> {
    Ok(json!({"Settings": settings_of(engine)}))
}

/// The settings as `PlaygroundDescribeSettings` shows them (with the defaults, for the UI).
pub(crate) fn settings_of(engine: &Engine) -> Value {
    json!({
        "PartitionSizeLimitBytes": engine.playground.settings.partition_size_limit,
        "DefaultPartitionSizeLimitBytes": TEN_GB,
        "ThrottlingEnabled": engine.playground.settings.throttling,
        "TtlDeletionDelayMilliseconds": engine.ttl_deletion_delay_ms(),
        "DefaultTtlDeletionDelayMilliseconds": crate::ttl::DEFAULT_TTL_DELETION_DELAY_MS,
    })
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
    (!m.is_empty()).then_some(Value::Object(m))
}

/// Applies a `PlaygroundUpdateSettings` request: every member is checked before any is
/// applied, so a bad request changes nothing.
pub(crate) fn update_settings(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    let given = |name: &str| request.get(name).filter(|v| !v.is_null());
    let throttling = given("ThrottlingEnabled")
        .map(|v| v.as_bool().ok_or_else(|| ApiError::validation("ThrottlingEnabled must be a boolean")))
        .transpose()?;
    let limit = given("PartitionSizeLimitBytes")
        .map(|v| {
            v.as_u64().filter(|l| (MIN_PARTITION_SIZE_LIMIT..=TEN_GB).contains(l)).ok_or_else(|| {
                ApiError::validation(format!(
                    "PartitionSizeLimitBytes must be an integer between {MIN_PARTITION_SIZE_LIMIT} and {TEN_GB}"
                ))
            })
        })
        .transpose()?;
    let ttl_delay = given("TtlDeletionDelayMilliseconds")
        .map(|v| {
            v.as_u64().filter(|ms| *ms <= MAX_TTL_DELETION_DELAY_MS).ok_or_else(|| {
                ApiError::validation(format!(
                    "TtlDeletionDelayMilliseconds must be an integer between 0 and {MAX_TTL_DELETION_DELAY_MS}"
                ))
            })
        })
        .transpose()?;
    if let Some(t) = throttling {
        engine.playground.settings.throttling = t;
    }
    if let Some(limit) = limit {
        engine.playground.settings.partition_size_limit = limit;
        // Split what the new limit makes oversized at once, so the map shows it.
        let now = engine.now_ms;
        for table in engine.tables.values_mut() {
            admission::maintain_all(table, now, limit);
        }
    }
    if let Some(ms) = ttl_delay.filter(|ms| *ms != engine.ttl_deletion_delay_ms()) {
        engine.set_ttl_deletion_delay_ms(ms);
    }
    describe_settings(engine, request)
}

fn table_mut<'a>(engine: &'a mut Engine, request: &Value) -> ApiResult<&'a mut Table> {
    let name = request.get("TableName").and_then(Value::as_str).unwrap_or_default();
    engine.tables.get_mut(name).ok_or_else(ApiError::resource_not_found)
}

/// The resource named by `IndexName` (a GSI), or the table.
fn target(table: &Table, request: &Value) -> ApiResult<On> {
    match request.get("IndexName").and_then(Value::as_str) {
        None => Ok(On::Table),
        Some(name) => table.global_index_position(name).map(On::Index).ok_or_else(|| {
            ApiError::validation(format!("The table does not have the specified index: {name}"))
        }),
    }
}

fn billing_name(billing: BillingMode) -> &'static str {
    match billing {
        BillingMode::Provisioned { .. } => "PROVISIONED",
        BillingMode::PayPerRequest => "PAY_PER_REQUEST",
    }
}

/// PlaygroundDescribePartitions.
pub(crate) fn describe_partitions(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    let now = engine.now_ms;
    let limit = engine.playground.settings.partition_size_limit;
    let table = table_mut(engine, request)?;
    admission::maintain_all(table, now, limit);
    let mut body = Map::new();
    body.insert("TableName".into(), json!(table.name));
    body.insert("Now".into(), json!(now));
    body.insert("BillingMode".into(), json!(billing_name(table.billing)));
    body.insert("PartitionSizeLimitBytes".into(), json!(limit));
    body.insert("Table".into(), table.items.capacity.describe_partitions(now));
    let mut globals = Vec::new();
    for index in table.indexes.iter_mut().filter(|i| i.kind == IndexKind::Global) {
        let mut d = index.entries.capacity.describe_partitions(now);
        if let Some(m) = d.as_object_mut() {
            m.insert("IndexName".into(), json!(index.name));
        }
        globals.push(d);
    }
    if !globals.is_empty() {
        body.insert("GlobalSecondaryIndexes".into(), Value::Array(globals));
    }
    Ok(Value::Object(body))
}

/// PlaygroundGetMetrics.
pub(crate) fn get_metrics(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    let now = engine.now_ms;
    let table = table_mut(engine, request)?;
    let on = target(table, request)?;
    let since = request.get("SinceSecond").and_then(Value::as_u64);
    let partition = match request.get("PartitionId") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .and_then(|p| u32::try_from(p).ok())
                .ok_or_else(|| ApiError::validation("PartitionId must be an integer"))?,
        ),
    };
    let name = table.name.clone();
    let resource = admission::resource_mut(table, on).ok_or_else(ApiError::resource_not_found)?;
    let series = resource
        .metrics(now, since, partition)
        .ok_or_else(|| ApiError::validation("The table or index has no partition with that PartitionId"))?;
    let mut body = Map::new();
    body.insert("TableName".into(), json!(name));
    if let Some(index) = request.get("IndexName") {
        body.insert("IndexName".into(), index.clone());
    }
    if let Some(p) = partition {
        body.insert("PartitionId".into(), json!(p));
    }
    body.insert("Metrics".into(), series);
    Ok(Value::Object(body))
}

/// PlaygroundDescribeHotKeys.
pub(crate) fn describe_hot_keys(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    let now = engine.now_ms;
    let table = table_mut(engine, request)?;
    let on = target(table, request)?;
    let limit = request.get("Limit").and_then(Value::as_u64).unwrap_or(10).clamp(1, 64) as usize;
    let name = table.name.clone();
    let resource = admission::resource_mut(table, on).ok_or_else(ApiError::resource_not_found)?;
    let mut body = resource.hot.top(now, limit, render_key);
    if let Some(m) = body.as_object_mut() {
        m.insert("TableName".into(), json!(name));
        if let Some(index) = request.get("IndexName") {
            m.insert("IndexName".into(), index.clone());
        }
        m.insert(
            "ContributorInsightsStatus".into(),
            json!(if resource.insights.is_some() { "ENABLED" } else { "DISABLED" }),
        );
    }
    Ok(body)
}

/// A partition key value in DynamoDB JSON.
fn render_key(key: &KeyValue) -> Value {
    key.to_attribute().to_json()
}

/// PlaygroundStartWorkload.
pub(crate) fn start_workload(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    let name = request.get("TableName").and_then(Value::as_str).unwrap_or_default();
    if !engine.tables.contains_key(name) {
        return Err(ApiError::resource_not_found());
    }
    engine.playground.next_workload += 1;
    let workload = Workload::from_request(engine.playground.next_workload, request, engine.now_ms)?;
    let id = workload.id;
    engine.playground.workloads.push(workload);
    Ok(json!({"WorkloadId": id}))
}

/// PlaygroundStopWorkload.
pub(crate) fn stop_workload(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    let id = request.get("WorkloadId").and_then(Value::as_u64).unwrap_or_default();
    let w = engine
        .playground
        .workloads
        .iter_mut()
        .find(|w| w.id == id)
        .ok_or_else(|| ApiError::validation(format!("No workload with WorkloadId {id}")))?;
    w.running = false;
    Ok(w.describe())
}

/// PlaygroundListWorkloads.
pub(crate) fn list_workloads(engine: &mut Engine, _request: &Value) -> ApiResult<Value> {
    Ok(json!({"Workloads": engine.playground.workloads.iter().map(Workload::describe).collect::<Vec<_>>()}))
}
