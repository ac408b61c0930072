//! `PlaygroundDescribeRegions`: the Regions, and for each global table its replicas (status,
//! writes on their way to each and how old the oldest is), the writes in flight and the
//! conflicts resolved with who won — what the Regions view draws. `PlaygroundUpdateRegion`
//! takes a Region offline and back.

use serde_json::Value;

use super::{object, Group, Pending, Version};
use crate::engine::Engine;
use crate::types::item_to_json;

/// The most writes in flight and conflicts one global table lists.
const MAX_LISTED: usize = 50;

/// The answer of `PlaygroundDescribeRegions` (only `table` when named).
pub(crate) fn describe(engine: &Engine, table: Option<&str>) -> Value {
    let now = engine.now_ms;
    let g = &engine.global;
    let mut regions = Vec::new();
    for r in engine.regions() {
        let tables = super::regions::tables_of(engine, &r).map_or(0, |t| t.keys().count());
        let (available, home) = (g.online(&r), r == engine.config.region);
        regions.push(object(&mut [
            ("RegionName", r.into()),
            ("Available", available.into()),
            ("Home", home.into()),
            ("TableCount", tables.into()),
        ]));
    }
    let mut tables = Vec::new();
    for group in &g.groups {
        if table.is_none_or(|t| t == group.table) {
            tables.push(table_view(engine, group, now));
        }
    }
    object(&mut [
        ("Now", now.into()),
        ("Regions", regions.into()),
        ("ReplicationDelayMilliseconds", g.delay_ms.into()),
        ("GlobalTables", tables.into()),
    ])
}

/// A write as the view shows it: its Region and time.
fn write(engine: &Engine, v: Version) -> Value {
    object(&mut [
        ("RegionName", engine.global.region_name(v.region()).into()),
        ("WrittenAt", v.at_ms().into()),
    ])
}

fn table_view(engine: &Engine, group: &Group, now: u64) -> Value {
    let g = &engine.global;
    let mut in_flight: Vec<(&Pending, bool)> = Vec::new();
    for (p, held) in g.queue.iter().map(|p| (p, false)).chain(g.held.iter().map(|p| (p, true))) {
        if p.table == group.table {
            in_flight.push((p, held));
        }
    }
    let mut replicas = Vec::new();
    for m in &group.members {
        let id = g.region_names.iter().position(|r| *r == m.region);
        let (mut pending, mut oldest) = (0u64, None::<u64>);
        for (p, _) in &in_flight {
            if id == Some(usize::from(p.target)) {
                pending += 1;
                oldest = Some(oldest.map_or(p.version.at_ms(), |o| o.min(p.version.at_ms())));
            }
        }
        let items = super::regions::tables_of(engine, &m.region).and_then(|t| t.get(&group.table));
        let mut r = object(&mut [
            ("RegionName", m.region.as_str().into()),
            ("ReplicaStatus", m.status(now).into()),
            ("Available", g.online(&m.region).into()),
            ("PendingWrites", pending.into()),
            ("LagMilliseconds", oldest.map_or(0, |t| now.saturating_sub(t)).into()),
            ("ConflictsResolved", m.conflicts.into()),
        ]);
        if let Some(t) = items {
            r["ItemCount"] = t.items.len().into();
        }
        if let Some(source) = &m.source {
            r["SourceRegion"] = source.as_str().into();
        }
        replicas.push(r);
    }
    // Any replica's table gives the key schema (the writer's may be gone).
    let schema = group
        .members
        .iter()
        .find_map(|m| super::regions::tables_of(engine, &m.region)?.get(&group.table))
        .map(|t| &t.key_schema);
    let mut flights = Vec::new();
    for (p, held) in in_flight.iter().take(MAX_LISTED) {
        let key = schema.map_or(Value::Null, |s| item_to_json(&s.key_item_from(&p.key)));
        let arrives = if *held { Value::Null } else { p.due_ms.max(now).into() };
        flights.push(object(&mut [
            ("From", g.region_name(p.version.region()).into()),
            ("To", g.region_name(p.target).into()),
            ("Key", key),
            ("Operation", if p.item.is_some() { "PUT" } else { "DELETE" }.into()),
            ("WrittenAt", p.version.at_ms().into()),
            ("ArrivesAt", arrives),
            ("Held", (*held).into()),
        ]));
    }
    let mut conflicts = Vec::new();
    for c in group.conflicts.iter().rev().take(MAX_LISTED) {
        let loser = if c.loser == Version::ZERO { Value::Null } else { write(engine, c.loser) };
        conflicts.push(object(&mut [
            ("RegionName", g.region_name(c.region).into()),
            ("Key", item_to_json(&c.key)),
            ("Winner", write(engine, c.winner)),
            ("Loser", loser),
            ("ResolvedAt", c.at_ms.into()),
        ]));
    }
    let resolved: u64 = group.members.iter().map(|m| m.conflicts).sum();
    let mut view = object(&mut [
        ("TableName", group.table.as_str().into()),
        ("MultiRegionConsistency", if group.strong { "STRONG" } else { "EVENTUAL" }.into()),
        ("Replicas", replicas.into()),
        ("WritesInFlight", in_flight.len().into()),
        ("InFlight", flights.into()),
        ("ConflictsResolved", resolved.into()),
        ("Conflicts", conflicts.into()),
    ]);
    if let Some((region, active_at)) = &group.witness {
        let status = if now < *active_at { "CREATING" } else { "ACTIVE" };
        view["Witness"] = object(&mut [
            ("RegionName", region.as_str().into()),
            ("WitnessStatus", status.into()),
            ("Available", g.online(region).into()),
        ]);
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
        // Its writes on their way, either way, wait (in arrival order) until it is back.
        for p in std::mem::take(&mut g.queue) {
            if p.target == id || p.version.region() == id {
                g.held.push(p);
            } else {
                g.queue.push_back(p);
            }
        }
        super::strong::refresh(engine);
    }
}
