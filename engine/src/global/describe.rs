//! What a replica's `TableDescription` adds, as recorded from DynamoDB (2026):
//! `GlobalTableVersion: "2019.11.21"`, `Replicas` — every *other* Region's replica, in the
//! order they were added, each with `RegionName`, `ReplicaStatus`, `WarmThroughput` and
//! `GlobalTableSettingsReplicationMode: ENABLED_WITH_OVERRIDES` (also at the table's level),
//! its overrides when set, and its GSIs by name — and `MultiRegionConsistency` and
//! `GlobalTableWitnesses` only for a strong table. A regional table has none of these keys.

use serde_json::{Map, Value};

use super::object;
use crate::engine::Engine;

/// Adds the global-table members to a description of a table of the Region being served.
pub(crate) fn decorate(engine: &Engine, description: &mut Value) {
    if !crate::features::GLOBAL_TABLES {
        return;
    }
    let Some(d) = description.as_object_mut() else { return };
    let Some(name) = d.get("TableName").and_then(Value::as_str) else { return };
    let region = engine.config.region.as_str();
    let Some(group) = engine.global.group(name) else { return };
    let Some(own) = group.member(region) else { return };
    let now = engine.now_ms;
    if own.gone_at_ms.is_some() {
        d.insert("TableStatus".into(), "DELETING".into());
    }
    let mut shared = Map::new();
    shared.insert("GlobalTableSettingsReplicationMode".into(), "ENABLED_WITH_OVERRIDES".into());
    if let Some(w) = d.get("WarmThroughput") {
        shared.insert("WarmThroughput".into(), w.clone());
    }
    let mut indexes = Vec::new();
    for i in d.get("GlobalSecondaryIndexes").and_then(Value::as_array).into_iter().flatten() {
        let mut entry = Map::new();
        for k in ["IndexName", "WarmThroughput"] {
            if let Some(v) = i.get(k) {
                entry.insert(k.into(), v.clone());
            }
        }
        indexes.push(Value::Object(entry));
    }
    if !indexes.is_empty() {
        shared.insert("GlobalSecondaryIndexes".into(), indexes.into());
    }
    let mut replicas = Vec::new();
    for m in group.members.iter().filter(|m| m.region != region) {
        let mut r = shared.clone();
        r.insert("RegionName".into(), m.region.as_str().into());
        r.insert("ReplicaStatus".into(), m.status(now).into());
        r.extend(m.overrides.clone());
        replicas.push(Value::Object(r));
    }
    d.insert("GlobalTableVersion".into(), super::GLOBAL_TABLE_VERSION.into());
    d.insert("Replicas".into(), replicas.into());
    d.insert("GlobalTableSettingsReplicationMode".into(), "ENABLED_WITH_OVERRIDES".into());
    if group.strong {
        d.insert("MultiRegionConsistency".into(), "STRONG".into());
        if let Some((witness, active_at)) = &group.witness {
            let status = if now < *active_at { "CREATING" } else { "ACTIVE" };
            let w = object(&mut [("RegionName", witness.as_str().into()), ("WitnessStatus", status.into())]);
            d.insert("GlobalTableWitnesses".into(), vec![w].into());
        }
    }
}
