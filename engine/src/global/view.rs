//! `PlaygroundDescribeRegions`: the Regions, and for each global table its replicas (status,
//! writes on their way to each and how old the oldest is), the writes in flight and the
//! conflicts resolved with who won — what the Regions view draws. `PlaygroundUpdateRegion`
//! takes a Region offline and back.

use serde_json::{json, Map, Value};

use super::{Group, Pending};
use crate::engine::Engine;
use crate::types::item_to_json;

/// The most writes in flight and conflicts one global table lists.
const MAX_LISTED: usize = 50;

/// The answer of `PlaygroundDescribeRegions` (only `table` when named).
pub(crate) fn describe(engine: &Engine, table: Option<&str>) -> Value {
    let now = engine.now_ms;
    let g = &engine.global;
    let regions: Vec<Value> = engine
        .regions()
        .into_iter()
        .map(|r| {
            let tables = super::regions::tables_of(engine, &r).map_or(0, |t| t.keys().count());
            json!({"RegionName": r, "Available": g.online(&r), "Home": r == engine.config.region,
                   "TableCount": tables})
        })
        .collect();
    let tables: Vec<Value> = g
        .groups
        .iter()
        .filter(|group| table.is_none_or(|t| t == group.table))
        .map(|group| table_view(engine, group, now))
        .collect();
    json!({
        "Now": now,
        "Regions": regions,
        "ReplicationDelayMilliseconds": g.delay_ms,
        "GlobalTables": tables,
    })
}

fn table_view(engine: &Engine, group: &Group, now: u64) -> Value {
    let g = &engine.global;
    let queued = g.queue.iter().map(|p| (p, false));
    let in_flight: Vec<(&Pending, bool)> =
        queued.chain(g.held.iter().map(|p| (p, true))).filter(|(p, _)| p.table == group.table).collect();
    let replicas: Vec<Value> = group
        .members
        .iter()
        .map(|m| {
            let id = g.region_names.iter().position(|r| *r == m.region);
            let pending: Vec<&Pending> = in_flight
                .iter()
                .map(|(p, _)| *p)
                .filter(|p| id.is_some_and(|id| usize::from(p.target) == id))
                .collect();
            let oldest = pending.iter().map(|p| p.version.at_ms()).min();
            let items = super::regions::tables_of(engine, &m.region)
                .and_then(|t| t.get(&group.table))
                .map(|t| t.items.len());
            let mut r = Map::new();
            r.insert("RegionName".into(), json!(m.region));
            r.insert("ReplicaStatus".into(), json!(m.status(now)));
            r.insert("Available".into(), json!(g.online(&m.region)));
            if let Some(items) = items {
                r.insert("ItemCount".into(), json!(items));
            }
            r.insert("PendingWrites".into(), json!(pending.len()));
            r.insert("LagMilliseconds".into(), json!(oldest.map_or(0, |t| now.saturating_sub(t))));
            r.insert("ConflictsResolved".into(), json!(m.conflicts));
            if let Some(source) = &m.source {
                r.insert("SourceRegion".into(), json!(source));
            }
            Value::Object(r)
        })
        .collect();
    let key_of = |p: &Pending| -> Value {
        super::regions::tables_of(engine, g.region_name(p.version.region()))
            .and_then(|t| t.get(&group.table))
            .or_else(|| {
                group
                    .members
                    .iter()
                    .find_map(|m| super::regions::tables_of(engine, &m.region)?.get(&group.table))
            })
            .map_or(Value::Null, |t| item_to_json(&t.key_schema.key_item_from(&p.key)))
    };
    let flights: Vec<Value> = in_flight
        .iter()
        .take(MAX_LISTED)
        .map(|(p, held)| {
            let held = *held;
            json!({
                "From": g.region_name(p.version.region()),
                "To": g.region_name(p.target),
                "Key": key_of(p),
                "Operation": if p.item.is_some() { "PUT" } else { "DELETE" },
                "WrittenAt": p.version.at_ms(),
                "ArrivesAt": if held { Value::Null } else { json!(p.due_ms.max(now)) },
                "Held": held,
            })
        })
        .collect();
    let write = |v: super::Version| json!({"RegionName": g.region_name(v.region()), "WrittenAt": v.at_ms()});
    let conflicts: Vec<Value> = group
        .conflicts
        .iter()
        .rev()
        .take(MAX_LISTED)
        .map(|c| {
            json!({
                "RegionName": g.region_name(c.region),
                "Key": item_to_json(&c.key),
                "Winner": write(c.winner),
                "Loser": if c.loser == super::Version::ZERO { Value::Null } else { write(c.loser) },
                "ResolvedAt": c.at_ms,
            })
        })
        .collect();
    let witness = group.witness.as_ref().map(|(region, active_at)| {
        let status = if now < *active_at { "CREATING" } else { "ACTIVE" };
        json!({"RegionName": region, "WitnessStatus": status, "Available": g.online(region)})
    });
    let mut view = json!({
        "TableName": group.table,
        "MultiRegionConsistency": if group.strong { "STRONG" } else { "EVENTUAL" },
        "Replicas": replicas,
        "WritesInFlight": in_flight.len(),
        "InFlight": flights,
        "ConflictsResolved": group.members.iter().map(|m| m.conflicts).sum::<u64>(),
        "Conflicts": conflicts,
    });
    if let Some(witness) = witness {
        view["Witness"] = witness;
    }
    view
}

/// Takes `region` offline (isolated) or brings it back: writes to and from it wait, then flow.
pub(crate) fn set_available(engine: &mut Engine, region: &str, available: bool) {
    let g = &mut engine.global;
    let listed = g.offline.iter().any(|r| r == region);
    if available && listed {
        g.offline.retain(|r| r != region);
        super::replicate::release_held(engine);
        super::strong::refresh(engine);
        super::replicate::run_due(engine, engine.now_ms);
    } else if !available && !listed {
        g.offline.push(region.to_owned());
        let id = g.region_id(region);
        let waiting: Vec<Pending> = g.queue.drain(..).collect();
        let (stopped, moving): (Vec<Pending>, Vec<Pending>) =
            waiting.into_iter().partition(|p| p.target == id || p.version.region() == id);
        g.queue.extend(moving);
        g.held.extend(stopped);
        super::strong::refresh(engine);
    }
}
