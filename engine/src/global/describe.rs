//! What a replica's `TableDescription` adds, as recorded from DynamoDB (2026):
//! `GlobalTableVersion: "2019.11.21"`, `Replicas` — every *other* Region's replica, in the
//! order they were added, each with `RegionName`, `ReplicaStatus`, `WarmThroughput` and
//! `GlobalTableSettingsReplicationMode: ENABLED_WITH_OVERRIDES` (also at the table's level),
//! its overrides when set, and its GSIs by name — and `MultiRegionConsistency` and
//! `GlobalTableWitnesses` only for a strong table. A regional table has none of these keys.

use serde_json::{json, Map, Value};

use crate::engine::Engine;

/// Adds the global-table members to a description of a table of the Region being served.
pub(crate) fn decorate(engine: &Engine, description: &mut Value) {
    let Some(d) = description.as_object_mut() else { return };
    let Some(name) = d.get("TableName").and_then(Value::as_str) else { return };
    let region = engine.config.region.as_str();
    let Some(group) = engine.global.group(name) else { return };
    let Some(own) = group.member(region) else { return };
    let now = engine.now_ms;
    if own.gone_at_ms.is_some() {
        d.insert("TableStatus".into(), json!("DELETING"));
    }
    let warm = d.get("WarmThroughput").cloned();
    let indexes: Vec<Value> = d
        .get("GlobalSecondaryIndexes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|i| {
            let mut entry = Map::new();
            entry.insert("IndexName".into(), i.get("IndexName")?.clone());
            if let Some(w) = i.get("WarmThroughput") {
                entry.insert("WarmThroughput".into(), w.clone());
            }
            Some(Value::Object(entry))
        })
        .collect();
    let replicas: Vec<Value> = group
        .members
        .iter()
        .filter(|m| m.region != region)
        .map(|m| {
            let mut r = Map::new();
            r.insert("RegionName".into(), json!(m.region));
            r.insert("ReplicaStatus".into(), json!(m.status(now)));
            r.insert("GlobalTableSettingsReplicationMode".into(), json!("ENABLED_WITH_OVERRIDES"));
            if let Some(w) = &warm {
                r.insert("WarmThroughput".into(), w.clone());
            }
            if !indexes.is_empty() {
                r.insert("GlobalSecondaryIndexes".into(), Value::Array(indexes.clone()));
            }
            for (k, v) in &m.overrides {
                r.insert(k.clone(), v.clone());
            }
            Value::Object(r)
        })
        .collect();
    d.insert("GlobalTableVersion".into(), json!(super::GLOBAL_TABLE_VERSION));
    d.insert("Replicas".into(), Value::Array(replicas));
    d.insert("GlobalTableSettingsReplicationMode".into(), json!("ENABLED_WITH_OVERRIDES"));
    if group.strong {
        d.insert("MultiRegionConsistency".into(), json!("STRONG"));
        if let Some((witness, active_at)) = &group.witness {
            let status = if now < *active_at { "CREATING" } else { "ACTIVE" };
            d.insert(
                "GlobalTableWitnesses".into(),
                json!([{"RegionName": witness, "WitnessStatus": status}]),
            );
        }
    }
}
