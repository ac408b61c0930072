//! Regions and global tables in workspace documents and snapshots (`workspace.rs`,
//! `snapshot.rs`).
//!
//! A workspace document adds, when there is anything to add:
//!
//! ```text
//! "regions": [ { "RegionName", "tables": [ <tables, as the top-level "tables"> ] } ],
//! "globalTables": [ { "TableName", "MultiRegionConsistency"? ("STRONG"),
//!                     "Replicas": [ { "RegionName", "AddedMs", "ActiveAtMs"?, "SourceRegion"?,
//!                                     "GoneAtMs"?, "UpdatingUntilMs"?, "Overrides"? } ],
//!                     "Witness"? { "RegionName", "ActiveAtMs" } } ],
//! "offlineRegions": [ <Region names> ]
//! ```
//!
//! A snapshot adds what replaying a journal on top needs to decide last writer wins exactly
//! as the live engine: each replica table's `"ReplicaVersions"` (`[[key, version], …]`), each
//! Region's `"closedStreams"`, each global table's `"Conflicts"` and `"ConflictsResolved"`,
//! and `"replication"`: `{ "RegionNames", "Clock": [ms, order], "Queue": [<write>],
//! "Held": [<write>] }`, a write being `{ "TableName", "Key", "Item"?, "Version", "Base",
//! "Target", "DueMs" }` (keys and items in DynamoDB JSON, Regions by their number in
//! `RegionNames`). Every member is optional; anything malformed is a clear error, never a
//! panic.

use serde_json::{Map, Value};

use super::{object, Conflict, Group, Member, Pending, ReplicaLog, Version};
use crate::engine::Engine;
use crate::table::Table;
use crate::types::{item_from_json, item_to_json, PrimaryKey};

/// Adds the other Regions' tables, the global tables and the offline Regions to a workspace
/// document (`snapshot`: with what a snapshot keeps).
pub(crate) fn export(engine: &Engine, doc: &mut Value, snapshot: bool) {
    if !crate::features::GLOBAL_TABLES {
        // No Region but the engine's own is ever served (`Engine::served_in`).
        return;
    }
    let mut regions = Vec::new();
    for r in &engine.global.regions {
        let closed = snapshot && !r.closed_streams.is_empty();
        if r.tables.keys().next().is_none() && !closed {
            continue;
        }
        let mut tables: Vec<Value> = r.tables.values().map(crate::workspace::export_table).collect();
        if snapshot {
            crate::workspace::annotate_tables(&mut tables, &r.tables, engine.now_ms);
        }
        let mut region = object(&mut [("RegionName", r.name.as_str().into()), ("tables", tables.into())]);
        if closed {
            region["closedStreams"] = r.closed_streams.iter().map(crate::streams::state::to_json).collect();
        }
        regions.push(region);
    }
    if !regions.is_empty() {
        doc["regions"] = regions.into();
    }
    let g = &engine.global;
    if !g.groups.is_empty() {
        doc["globalTables"] = g.groups.iter().map(|group| group_json(engine, group, snapshot)).collect();
    }
    if !g.offline.is_empty() {
        doc["offlineRegions"] = g.offline.clone().into();
    }
    if snapshot && (!g.groups.is_empty() || !g.queue.is_empty() || !g.held.is_empty()) {
        let pending = |p: &Pending| pending_json(engine, p);
        doc["replication"] = object(&mut [
            ("RegionNames", g.region_names.clone().into()),
            ("Clock", vec![g.clock.0, g.clock.1].into()),
            ("Queue", g.queue.iter().filter_map(pending).collect()),
            ("Held", g.held.iter().filter_map(pending).collect()),
        ]);
    }
}

/// Puts `value` under `name` when it is not zero (the members a document leaves out).
fn nonzero(out: &mut Map<String, Value>, name: &str, value: u64) {
    if value > 0 {
        out.insert(name.into(), value.into());
    }
}

fn group_json(engine: &Engine, group: &Group, snapshot: bool) -> Value {
    let mut replicas = Vec::new();
    for m in &group.members {
        let mut r = Map::new();
        r.insert("RegionName".into(), m.region.as_str().into());
        r.insert("AddedMs".into(), m.added_ms.into());
        nonzero(&mut r, "ActiveAtMs", m.active_at_ms);
        if let Some(source) = &m.source {
            r.insert("SourceRegion".into(), source.as_str().into());
        }
        if let Some(gone) = m.gone_at_ms {
            r.insert("GoneAtMs".into(), gone.into());
        }
        nonzero(&mut r, "UpdatingUntilMs", m.updating_until_ms);
        if !m.overrides.is_empty() {
            r.insert("Overrides".into(), Value::Object(m.overrides.clone()));
        }
        if snapshot {
            nonzero(&mut r, "ConflictsResolved", m.conflicts);
        }
        replicas.push(Value::Object(r));
    }
    let mut out = object(&mut [("TableName", group.table.as_str().into()), ("Replicas", replicas.into())]);
    if group.strong {
        out["MultiRegionConsistency"] = "STRONG".into();
    }
    if let Some((region, active_at)) = &group.witness {
        out["Witness"] =
            object(&mut [("RegionName", region.as_str().into()), ("ActiveAtMs", (*active_at).into())]);
    }
    if snapshot && !group.conflicts.is_empty() {
        let g = &engine.global;
        let mut conflicts = Vec::new();
        for c in &group.conflicts {
            conflicts.push(object(&mut [
                ("Region", g.region_name(c.region).into()),
                ("Key", item_to_json(&c.key)),
                ("Winner", c.winner.to_i64().into()),
                ("Loser", c.loser.to_i64().into()),
                ("AtMs", c.at_ms.into()),
            ]));
        }
        out["Conflicts"] = conflicts.into();
    }
    out
}

/// The key schema of the global table `name`, from any Region's replica.
fn schema_of<'a>(engine: &'a Engine, name: &str) -> Option<&'a crate::types::KeySchema> {
    let group = engine.global.group(name)?;
    group
        .members
        .iter()
        .find_map(|m| super::regions::tables_of(engine, &m.region)?.get(name))
        .map(|t| &t.key_schema)
}

fn pending_json(engine: &Engine, p: &Pending) -> Option<Value> {
    let schema = schema_of(engine, &p.table)?;
    let mut v = object(&mut [
        ("TableName", p.table.as_str().into()),
        ("Key", item_to_json(&schema.key_item_from(&p.key))),
        ("Version", p.version.to_i64().into()),
        ("Base", p.base.to_i64().into()),
        ("Target", p.target.into()),
        ("DueMs", p.due_ms.into()),
    ]);
    if let Some(item) = &p.item {
        v["Item"] = item_to_json(item);
    }
    Some(v)
}

/// A replica table's `"ReplicaVersions"` (snapshots only).
pub(crate) fn versions_json(table: &Table) -> Option<Value> {
    if !crate::features::GLOBAL_TABLES {
        return None;
    }
    let log = table.replica.as_ref()?;
    let mut list: Vec<(i64, &PrimaryKey)> = log.versions.iter().map(|(k, v)| (*v, k)).collect();
    // Deterministic: by version (no two items share one).
    crate::types::sort_by(&mut list, |a, b| a.0.cmp(&b.0));
    let entry = |(v, k): (i64, &PrimaryKey)| {
        Value::from(vec![item_to_json(&table.key_schema.key_item_from(k)), v.into()])
    };
    Some(list.into_iter().map(entry).collect())
}

/// Reads a table's `"ReplicaVersions"`: the table is a replica with these versions.
pub(crate) fn import_versions(table: &mut Table, v: &Value) -> Result<(), String> {
    if !crate::features::GLOBAL_TABLES {
        return Err(crate::features::no_global_tables().message);
    }
    let bad = || "ReplicaVersions must be a list of [key, version]".to_owned();
    let mut log = ReplicaLog::default();
    for entry in v.as_array().ok_or_else(bad)? {
        let (Some(key), Some(version)) = (entry.get(0), entry.get(1).and_then(Value::as_i64)) else {
            return Err(bad());
        };
        let key = key_of(table, key).ok_or_else(bad)?;
        Version::from_i64(version).ok_or_else(bad)?;
        log.versions.insert(key, version);
    }
    table.replica = Some(Box::new(log));
    Ok(())
}

fn key_of(table: &Table, key: &Value) -> Option<PrimaryKey> {
    let item = item_from_json(key).ok()?;
    table.key_schema.key_of_key(&item).ok()
}

/// Takes the other Regions' tables, the global tables and the replication state of a
/// document. `import_table` is how the workspace imports one table into the served Region.
pub(crate) fn import(
    engine: &mut Engine,
    doc: &Value,
    import_table: &dyn Fn(&mut Engine, &Value) -> Result<(), String>,
) -> Result<(), String> {
    if !crate::features::GLOBAL_TABLES {
        let global = ["regions", "replication", "globalTables", "offlineRegions"];
        return match global.iter().any(|m| doc.get(m).is_some_and(|v| !v.is_null())) {
            true => Err(crate::features::no_global_tables().message),
            false => Ok(()),
        };
    }
    for (i, region) in list(doc, "regions")?.iter().enumerate() {
        let name = region
            .get("RegionName")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| format!("region {}: RegionName must be a name", i + 1))?;
        if name == engine.config.region {
            return Err(format!(
                "region {}: {name} is this engine's own Region: its tables are \"tables\"",
                i + 1
            ));
        }
        for (t, table) in list(region, "tables")?.iter().enumerate() {
            engine.in_region(name, |e| import_table(e, table)).map_err(|e| {
                let table_name = table.get("TableName").and_then(Value::as_str).unwrap_or("?");
                format!("region {name}, table {} ({table_name}): {e}", t + 1)
            })?;
        }
        for (s, state) in list(region, "closedStreams")?.iter().enumerate() {
            let log = crate::streams::state::from_json(state)
                .ok_or_else(|| format!("region {name}: closed stream {} is not a stream state", s + 1))?;
            super::regions::state_in(engine, name).1.push(log);
        }
    }
    if let Some(replication) = doc.get("replication") {
        let names = replication.get("RegionNames").map(strings).transpose()?.unwrap_or_default();
        if names.len() > 256 {
            return Err("replication: more than 256 RegionNames".into());
        }
        engine.global.region_names = names;
        let clock = replication.get("Clock");
        let at = |i: usize| clock.and_then(|c| c.get(i)).and_then(Value::as_u64);
        engine.global.clock = (at(0).unwrap_or(0), at(1).unwrap_or(0));
    }
    for (i, group) in list(doc, "globalTables")?.iter().enumerate() {
        let group = group_from(engine, group).map_err(|e| format!("global table {}: {e}", i + 1))?;
        engine.global.groups.push(group);
    }
    engine.global.offline = doc.get("offlineRegions").map(strings).transpose()?.unwrap_or_default();
    super::strong::refresh(engine);
    if let Some(replication) = doc.get("replication") {
        for (name, held) in [("Queue", false), ("Held", true)] {
            for (i, p) in list(replication, name)?.iter().enumerate() {
                let p = pending_from(engine, p).map_err(|e| format!("replication {name} {}: {e}", i + 1))?;
                if held {
                    engine.global.held.push(p);
                } else {
                    super::replicate::enqueue(engine, p);
                }
            }
        }
    }
    Ok(())
}

fn list<'a>(doc: &'a Value, name: &str) -> Result<&'a [Value], String> {
    match doc.get(name) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(list)) => Ok(list),
        Some(_) => Err(format!("\"{name}\" must be a list")),
    }
}

fn strings(v: &Value) -> Result<Vec<String>, String> {
    v.as_array()
        .and_then(|l| l.iter().map(|s| s.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>())
        .ok_or_else(|| "a list of Region names was expected".into())
}

fn group_from(engine: &mut Engine, v: &Value) -> Result<Group, String> {
    let table = v.get("TableName").and_then(Value::as_str).ok_or("TableName is missing")?.to_owned();
    if engine.global.group(&table).is_some() {
        return Err(format!("{table} is listed twice"));
    }
    let strong = match v.get("MultiRegionConsistency").and_then(Value::as_str) {
        None | Some("EVENTUAL") => false,
        Some("STRONG") => true,
        Some(other) => return Err(format!("MultiRegionConsistency {other} is not EVENTUAL or STRONG")),
    };
    let mut members = Vec::new();
    for (i, r) in list(v, "Replicas")?.iter().enumerate() {
        let mut m = member_from(r).ok_or_else(|| format!("replica {} is not a replica", i + 1))?;
        if members.iter().any(|o: &Member| o.region == m.region) {
            return Err(format!("{} is listed twice", m.region));
        }
        let has_table = super::regions::tables_of(engine, &m.region).is_some_and(|t| t.get(&table).is_some());
        let creating = engine.now_ms < m.active_at_ms && m.gone_at_ms.is_none();
        m.pending = creating;
        if has_table == creating {
            return Err(if creating {
                format!("{} is CREATING but already has the table", m.region)
            } else {
                format!("{} has no table {table}", m.region)
            });
        }
        members.push(m);
    }
    if members.len() < 2 {
        return Err("a global table has at least two replicas".into());
    }
    for m in &members {
        if let Some(t) = super::regions::tables_in(engine, &m.region).and_then(|t| t.get_mut(&table)) {
            super::replicate::start_log(t);
        }
        // Regions are numbered on first use, as in the live engine: "RegionNames" as stored
        // is the whole list (numbering them here would change what a snapshot exports).
    }
    let witness = match v.get("Witness") {
        None | Some(Value::Null) => None,
        Some(w) => {
            let region = w.get("RegionName").and_then(Value::as_str).ok_or("Witness needs a RegionName")?;
            Some((region.to_owned(), w.get("ActiveAtMs").and_then(Value::as_u64).unwrap_or(0)))
        }
    };
    let mut conflicts = Vec::new();
    for c in list(v, "Conflicts")? {
        let region = c.get("Region").and_then(Value::as_str).ok_or("a conflict needs its Region")?;
        let key = c.get("Key").and_then(|k| item_from_json(k).ok()).ok_or("a conflict needs its Key")?;
        let version = |name: &str| c.get(name).and_then(Value::as_i64).and_then(Version::from_i64);
        let (Some(winner), Some(loser)) = (version("Winner"), version("Loser")) else {
            return Err("a conflict needs its Winner and Loser".into());
        };
        let region = engine.global.region_id(region);
        conflicts.push(Conflict {
            region,
            key,
            winner,
            loser,
            at_ms: c.get("AtMs").and_then(Value::as_u64).unwrap_or(0),
        });
    }
    Ok(Group { table, strong, members, witness, conflicts })
}

fn member_from(r: &Value) -> Option<Member> {
    let time = |name: &str| r.get(name).and_then(Value::as_u64);
    let region = r.get("RegionName")?.as_str().filter(|s| !s.is_empty())?;
    let mut m = super::replica_updates::member(
        region,
        time("AddedMs").unwrap_or(0),
        time("ActiveAtMs").unwrap_or(0),
        r.get("SourceRegion").and_then(Value::as_str).map(str::to_owned),
    );
    m.gone_at_ms = time("GoneAtMs");
    m.updating_until_ms = time("UpdatingUntilMs").unwrap_or(0);
    m.overrides = r.get("Overrides").and_then(Value::as_object).cloned().unwrap_or_default();
    m.conflicts = time("ConflictsResolved").unwrap_or(0);
    Some(m)
}

fn pending_from(engine: &Engine, v: &Value) -> Result<Pending, String> {
    let table = v.get("TableName").and_then(Value::as_str).ok_or("TableName is missing")?.to_owned();
    let schema = schema_of(engine, &table).ok_or_else(|| format!("{table} is not a global table"))?;
    let key = v
        .get("Key")
        .and_then(|k| item_from_json(k).ok())
        .and_then(|k| schema.key_of_key(&k).ok())
        .ok_or("Key is not a key of its table")?;
    let item = match v.get("Item") {
        None | Some(Value::Null) => None,
        Some(item) => Some(item_from_json(item).map_err(|e| e.message)?),
    };
    let version = |name: &str| v.get(name).and_then(Value::as_i64).and_then(Version::from_i64);
    let (Some(version), Some(base)) = (version("Version"), version("Base")) else {
        return Err("Version and Base must be versions".into());
    };
    let target = v
        .get("Target")
        .and_then(Value::as_u64)
        .filter(|t| *t < 256)
        .ok_or("Target must be a Region number")?;
    if target as usize >= engine.global.region_names.len() {
        return Err("Target names no Region of RegionNames".into());
    }
    let due_ms = v.get("DueMs").and_then(Value::as_u64).ok_or("DueMs must be a time")?;
    Ok(Pending { table, key, item, version, base, target: target as u8, due_ms })
}
