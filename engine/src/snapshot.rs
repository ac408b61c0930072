//! What a snapshot keeps beyond the workspace document, so that an engine rebuilt from it
//! answers exactly as the live one did. The workspace document (`workspace.rs`) holds tables,
//! items, settings and engine time; `Engine::export_snapshot` adds:
//!
//! - each stream's state (`"StreamState"`, `streams/state.rs`) and the closed streams;
//! - per table, `"State"`: control-plane work in flight and its history — UPDATING until when,
//!   a throughput change pending and the increases/decreases before it, when the table became
//!   on-demand (and its switches to on-demand in the last 24 hours), its stream's settings
//!   (a disabled stream's too: DescribeTable still names it; an enabled one's creation time,
//!   which names its ARN), when Time to Live last changed, point-in-time recovery, the
//!   resource policy with its revision, warm throughput asked for, indexes still DELETING; for
//!   each GSI its CREATING and UPDATING times, throughput history and warm throughput; for
//!   each vector index still backfilling, when it becomes ACTIVE, and vector indexes still
//!   DELETING; and the partition layout of the table and of each GSI, which traffic may have
//!   shaped (on-demand growth, hot-item isolation) and which the stream's shards follow;
//! - at the top, `"tablesCreated"` (the next TableId follows from it) and `"clientTokens"`
//!   (TransactWriteItems tokens still within their ten minutes, so a retry after a reload is
//!   still answered from its token instead of applied again).
//!
//! Not kept: token-bucket levels, on-demand peaks, metrics and hot keys. They are the
//! session's observations of traffic — reads included, which no journal keeps — and nothing
//! stored depends on them: a replay never re-decides throttling (see `journal.rs`). A rebuilt
//! table's buckets start full. Contributor Insights, the clock and workloads are session
//! state too (`ops/mod.rs`): a reload starts them afresh.
//!
//! Every member is optional, so a snapshot written before them still imports (as it did).

use serde_json::{json, Map, Value};

use crate::capacity::admission::{self, Layout, On};
use crate::control::{DeletingIndex, ResourcePolicy, Stream, ThroughputHistory, WarmRequest};
use crate::engine::Engine;
use crate::ops::transact::ClientTokens;
use crate::storage::{ItemStore, SortPosition};
use crate::table::{IndexKind, Table};

/// Adds the engine-wide members to a snapshot document.
pub(crate) fn export_engine(engine: &Engine, doc: &mut Value) {
    doc["tablesCreated"] = json!(engine.tables_created);
    let tokens = engine.client_tokens.to_json(engine.now_ms);
    if tokens.as_array().is_some_and(|t| !t.is_empty()) {
        doc["clientTokens"] = tokens;
    }
}

/// Takes the engine-wide members of a snapshot document.
pub(crate) fn import_engine(engine: &mut Engine, doc: &Value) -> Result<(), String> {
    if let Some(n) = doc.get("tablesCreated") {
        let n = n.as_u64().ok_or("\"tablesCreated\" must be a number")?;
        engine.tables_created = engine.tables_created.max(n);
    }
    if let Some(tokens) = doc.get("clientTokens") {
        engine.client_tokens =
            ClientTokens::from_json(tokens).ok_or("\"clientTokens\" is not a token list")?;
    }
    Ok(())
}

/// A table's `"State"` member at engine time `now`.
pub(crate) fn export_table(table: &Table, now: u64) -> Value {
    let c = &table.control;
    let mut m = Map::new();
    if c.updating_until_ms > 0 {
        m.insert("UpdatingUntilMs".into(), json!(c.updating_until_ms));
    }
    if let Some(t) = c.pay_per_request_since_ms {
        m.insert("PayPerRequestSinceMs".into(), json!(t));
    }
    if !c.switches_to_pay_per_request_ms.is_empty() {
        m.insert("SwitchesToPayPerRequestMs".into(), json!(c.switches_to_pay_per_request_ms));
    }
    if let Some(h) = c.throughput.to_json() {
        m.insert("Throughput".into(), h);
    }
    if let Some(s) = &c.stream {
        m.insert(
            "Stream".into(),
            json!({"Enabled": s.enabled, "StreamViewType": s.view_type, "CreatedMs": s.created_ms}),
        );
    }
    if let Some(ttl) = &c.ttl {
        m.insert("TtlChangedMs".into(), json!(ttl.changed_ms));
    }
    if let Some((since, days)) = c.point_in_time_recovery {
        m.insert("PointInTimeRecovery".into(), json!([since, days]));
    }
    if let Some(policy) = &c.policy {
        m.insert("ResourcePolicy".into(), policy.to_json());
    }
    if let Some(warm) = c.warm.to_json() {
        m.insert("WarmThroughput".into(), warm);
    }
    // Only those still DELETING: the rest are forgotten whenever UpdateTable next looks.
    let deleting: Vec<Value> = c
        .deleting_indexes
        .iter()
        .filter(|d| now < d.gone_at_ms)
        .map(|d| json!({"Description": d.description, "GoneAtMs": d.gone_at_ms}))
        .collect();
    if !deleting.is_empty() {
        m.insert("DeletingIndexes".into(), Value::Array(deleting));
    }
    resource_json(&mut m, &table.items);
    let indexes: Vec<Value> = table
        .indexes
        .iter()
        .filter(|i| i.kind == IndexKind::Global)
        .map(|i| {
            let mut x = Map::new();
            x.insert("IndexName".into(), json!(i.name));
            if i.control.ready_at_ms > 0 {
                x.insert("ReadyAtMs".into(), json!(i.control.ready_at_ms));
            }
            if i.control.updating_until_ms > 0 {
                x.insert("UpdatingUntilMs".into(), json!(i.control.updating_until_ms));
            }
            if let Some(h) = i.control.throughput.to_json() {
                x.insert("Throughput".into(), h);
            }
            if let Some(warm) = i.control.warm.to_json() {
                x.insert("WarmThroughput".into(), warm);
            }
            resource_json(&mut x, &i.entries);
            Value::Object(x)
        })
        .collect();
    if !indexes.is_empty() {
        m.insert("Indexes".into(), Value::Array(indexes));
    }
    if let Some(vectors) = table.vectors.state_json(now) {
        m.insert("VectorIndexes".into(), vectors);
    }
    Value::Object(m)
}

/// The partition layout of a table or GSI.
fn resource_json<S: SortPosition>(m: &mut Map<String, Value>, store: &ItemStore<S>) {
    let capacity = &store.capacity;
    let mut layout = capacity.partitions.layout_json();
    layout["Splits"] = json!(capacity.splits);
    m.insert("Partitions".into(), layout);
}

/// Takes a table's `"State"` member (after its items are stored: the partition layout counts
/// them). `layout` is the engine time and size limit the table is restored under.
pub(crate) fn import_table(table: &mut Table, state: &Value, layout: Layout<'_>) -> Result<(), String> {
    let time = |v: &Value, name: &str| -> Result<Option<u64>, String> {
        match v.get(name) {
            None => Ok(None),
            Some(t) => t.as_u64().map(Some).ok_or_else(|| format!("State.{name} must be a number")),
        }
    };
    let history = |v: &Value| -> Result<ThroughputHistory, String> {
        match v.get("Throughput") {
            None => Ok(ThroughputHistory::default()),
            Some(h) => {
                ThroughputHistory::from_json(h).ok_or_else(|| "State.Throughput is not a history".into())
            }
        }
    };
    let c = &mut table.control;
    c.updating_until_ms = time(state, "UpdatingUntilMs")?.unwrap_or(0);
    if let Some(t) = time(state, "PayPerRequestSinceMs")? {
        c.pay_per_request_since_ms = Some(t);
    }
    c.throughput = history(state)?;
    if let Some(list) = state.get("SwitchesToPayPerRequestMs") {
        c.switches_to_pay_per_request_ms = list
            .as_array()
            .and_then(|l| l.iter().map(Value::as_u64).collect())
            .ok_or("State.SwitchesToPayPerRequestMs must be a list of times")?;
    }
    if let Some(s) = state.get("Stream") {
        let stream = (|| {
            Some(Stream {
                enabled: s.get("Enabled")?.as_bool()?,
                // One of the four view types, as the stream's own state requires: DescribeTable
                // shows it as the table's StreamSpecification, which a later import validates.
                view_type: s
                    .get("StreamViewType")?
                    .as_str()
                    .filter(|v| crate::streams::ViewType::parse(v).name() == *v)?
                    .to_owned(),
                created_ms: s.get("CreatedMs")?.as_u64()?,
            })
        })();
        c.stream = Some(stream.ok_or("State.Stream is not a stream")?);
    }
    if let (Some(t), Some(ttl)) = (time(state, "TtlChangedMs")?, c.ttl.as_mut()) {
        ttl.changed_ms = t;
    }
    if let Some(p) = state.get("PointInTimeRecovery") {
        let since = p.get(0).and_then(Value::as_u64);
        let days = p.get(1).and_then(Value::as_i64);
        let (Some(since), Some(days)) = (since, days) else {
            return Err("State.PointInTimeRecovery must be [since, days]".into());
        };
        c.point_in_time_recovery = Some((since, days));
    }
    if let Some(w) = state.get("WarmThroughput") {
        c.warm = WarmRequest::from_json(w).ok_or("State.WarmThroughput is not a warm throughput")?;
    }
    if let Some(p) = state.get("ResourcePolicy") {
        c.policy = Some(ResourcePolicy::from_json(p).ok_or("State.ResourcePolicy is not a policy")?);
    }
    if let Some(list) = state.get("DeletingIndexes") {
        let deleting = list.as_array().into_iter().flatten().map(|d| {
            Some(DeletingIndex {
                description: d.get("Description")?.clone(),
                gone_at_ms: d.get("GoneAtMs")?.as_u64()?,
            })
        });
        c.deleting_indexes =
            deleting.collect::<Option<Vec<_>>>().ok_or("State.DeletingIndexes is not a list of indexes")?;
    }
    if let Some(vectors) = state.get("VectorIndexes") {
        table.vectors.restore_state(vectors)?;
    }
    restore_resource(table, On::Table, state, layout)?;
    for x in state.get("Indexes").and_then(Value::as_array).into_iter().flatten() {
        let name = x.get("IndexName").and_then(Value::as_str).unwrap_or_default();
        let i = table.global_index_position(name).ok_or_else(|| format!("State names no index {name}"))?;
        let index = &mut table.indexes[i];
        index.control.ready_at_ms = time(x, "ReadyAtMs")?.unwrap_or(0);
        index.control.updating_until_ms = time(x, "UpdatingUntilMs")?.unwrap_or(0);
        index.control.throughput = history(x)?;
        if let Some(w) = x.get("WarmThroughput") {
            index.control.warm =
                WarmRequest::from_json(w).ok_or("State.Indexes.WarmThroughput is not a warm throughput")?;
        }
        restore_resource(table, On::Index(i), x, layout)?;
    }
    Ok(())
}

/// Takes the partition layout of the table or a GSI.
fn restore_resource(table: &mut Table, on: On, state: &Value, layout: Layout<'_>) -> Result<(), String> {
    let mode = admission::mode_of(table, on);
    let Some(kept) = state.get("Partitions") else { return Ok(()) };
    let restored = match on {
        On::Table => table.items.restore_layout(kept, mode, layout),
        On::Index(i) => table.indexes[i].entries.restore_layout(kept, mode, layout),
    };
    if restored {
        Ok(())
    } else {
        Err("State.Partitions is not a partition layout".into())
    }
}
