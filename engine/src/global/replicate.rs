//! Moving writes between Regions: after each request its replica writes are stamped and
//! queued ([`drain`]); as engine time passes they arrive ([`run_due`], called by the clock
//! at each arrival time and before each request), and replicas become ACTIVE or go away.
//! The rule that decides what an arriving write does is in the module docs of `global`.

use super::regions::{state_in, tables_in};
use super::{Conflict, Pending, ReplicaLog};
use crate::engine::Engine;
use crate::ops::write::{commit_as, Outcome, Plan};
use crate::streams::Origin;

/// Stamps the writes every replica committed since the last call and queues them for the
/// other replicas of their table. Cheap when there are no global tables.
pub(crate) fn drain(engine: &mut Engine) {
    if !crate::features::GLOBAL_TABLES {
        return;
    }
    if engine.global.groups.is_empty() {
        return;
    }
    // Most requests write nothing to a replica: find that out without allocating.
    let written = engine.global.groups.iter().any(|g| {
        g.members.iter().any(|m| {
            super::regions::tables_of(engine, &m.region)
                .and_then(|t| t.get(&g.table))
                .and_then(|t| t.replica.as_ref())
                .is_some_and(|log| !log.outbox.is_empty())
        })
    });
    if !written {
        return;
    }
    let now = engine.now_ms;
    let mut sent: Vec<Pending> = Vec::new();
    for g in 0..engine.global.groups.len() {
        let regions: Vec<(String, bool)> = engine.global.groups[g]
            .members
            .iter()
            .map(|m| (m.region.clone(), m.gone_at_ms.is_none()))
            .collect();
        for (region, _) in &regions {
            let table_name = engine.global.groups[g].table.clone();
            let outbox = match tables_in(engine, region)
                .and_then(|t| t.get_mut(&table_name))
                .and_then(|t| t.replica.as_mut())
            {
                Some(log) if !log.outbox.is_empty() => std::mem::take(&mut log.outbox),
                _ => continue,
            };
            let origin = engine.global.region_id(region);
            let strong = engine.global.groups[g].strong;
            for (key, item) in outbox {
                let version = engine.global.next_version(now, origin);
                let Some(log) = tables_in(engine, region)
                    .and_then(|t| t.get_mut(&table_name))
                    .and_then(|t| t.replica.as_mut())
                else {
                    continue;
                };
                let base = log.version(&key);
                log.versions.insert(key.clone(), version.to_i64());
                for (other, live) in &regions {
                    if other == region || !live {
                        continue;
                    }
                    if strong {
                        // Synchronous replication holds the item there for the round trip.
                        let until = now.saturating_add(engine.global.delay_ms);
                        if let Some(t) = tables_in(engine, other).and_then(|t| t.get_mut(&table_name)) {
                            super::strong::hold(t, &key, until, origin, now);
                        }
                    }
                    let target = engine.global.region_id(other);
                    sent.push(Pending {
                        table: table_name.clone(),
                        key: key.clone(),
                        item: item.clone(),
                        version,
                        base,
                        target,
                        due_ms: now.saturating_add(engine.global.delay_ms),
                    });
                }
            }
        }
    }
    for p in sent {
        let strong = engine.global.group(&p.table).is_some_and(|g| g.strong);
        match strong {
            // A strong table's write is acknowledged once it is in every online replica.
            true if deliverable(engine, &p) => deliver(engine, p),
            _ => enqueue(engine, p),
        }
    }
}

/// Queues a write, or holds it while a Region it needs is offline or its target replica is
/// not ACTIVE yet.
pub(crate) fn enqueue(engine: &mut Engine, p: Pending) {
    if deliverable(engine, &p) {
        let g = &mut engine.global;
        let order = |e: &Pending| (e.due_ms, e.version);
        if g.queue.back().is_none_or(|last| order(last) <= order(&p)) {
            g.queue.push_back(p);
        } else {
            let at = g.queue.partition_point(|e| order(e) <= order(&p));
            g.queue.insert(at, p);
        }
    } else {
        engine.global.held.push(p);
    }
}

/// Whether a write can travel now: both Regions online and its replica ACTIVE.
fn deliverable(engine: &Engine, p: &Pending) -> bool {
    let g = &engine.global;
    let (origin, target) = (g.region_name(p.version.region()), g.region_name(p.target));
    g.online(origin)
        && g.online(target)
        && g.group(&p.table).and_then(|group| group.member(target)).is_some_and(|m| m.active(engine.now_ms))
}

/// Puts the held writes that can travel now back in the queue (after a Region came back or
/// a replica became ACTIVE), in arrival order; those for replicas gone are dropped.
pub(crate) fn release_held(engine: &mut Engine) {
    let held = std::mem::take(&mut engine.global.held);
    for p in held {
        let target = engine.global.region_name(p.target).to_owned();
        let member = engine.global.group(&p.table).and_then(|g| g.member(&target));
        if member.is_none_or(|m| m.gone_at_ms.is_some()) {
            continue;
        }
        enqueue(engine, p);
    }
}

/// When the next replication event is due: a write arriving, a replica becoming ACTIVE or
/// finishing its deletion.
pub(crate) fn next_event(engine: &Engine) -> Option<u64> {
    if !crate::features::GLOBAL_TABLES {
        return None;
    }
    let g = &engine.global;
    let arrival = g.queue.front().map(|p| p.due_ms);
    let lifecycle =
        g.groups.iter().flat_map(|group| &group.members).filter_map(super::Member::next_change).min();
    match (arrival, lifecycle) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Runs every replication event due at or before `at`, in time order: replicas becoming
/// ACTIVE, then going away, then writes arriving.
pub(crate) fn run_due(engine: &mut Engine, at: u64) {
    if !crate::features::GLOBAL_TABLES {
        return;
    }
    let lifecycle =
        engine.global.groups.iter().flat_map(|g| &g.members).filter_map(super::Member::next_change);
    if lifecycle.min().is_some_and(|t| t <= at) {
        activate_replicas(engine, at);
        finish_deletions(engine, at);
        super::strong::refresh(engine);
    }
    while engine.global.queue.front().is_some_and(|p| p.due_ms <= at) {
        if let Some(p) = engine.global.queue.pop_front() {
            deliver(engine, p);
        }
    }
}

/// Applies an arriving write if it is newer than the replica's item (last writer wins), and
/// notes a conflict when the replica's item changed after the writer last saw it.
fn deliver(engine: &mut Engine, p: Pending) {
    let (now, lag) = (engine.now_ms, engine.lag());
    let target = engine.global.region_name(p.target).to_owned();
    let Some(table) = tables_in(engine, &target).and_then(|t| t.get_mut(&p.table)) else { return };
    let Some(log) = table.replica.as_mut() else { return };
    let current = log.version(&p.key);
    let conflict = current > p.base;
    if p.version > current {
        log.versions.insert(p.key.clone(), p.version.to_i64());
        let old = table.get(&p.key);
        let outcome = match p.item {
            Some(item) => Outcome::Store(item),
            None if old.is_some() => Outcome::Remove,
            None => Outcome::Nothing,
        };
        let plan = Plan { key: p.key.clone(), old, outcome };
        // In its Region it is a write like any other: the partition's lagging replica and the
        // GSIs get it after their delays (read consistency, `replication`).
        commit_as(table, plan, now, lag, Origin::Replication);
    }
    if conflict {
        let key = table.key_schema.key_item_from(&p.key);
        let (winner, loser) = if p.version > current { (p.version, current) } else { (current, p.version) };
        if let Some(group) = engine.global.group_mut(&p.table) {
            if let Some(member) = group.member_mut(&target) {
                member.conflicts += 1;
            }
            group.remember(Conflict { region: p.target, key, winner, loser, at_ms: now });
        }
    }
}

/// Makes the replicas due by `at` ACTIVE: each gets a copy of its source Region's table (the
/// items and their versions), and every write still on its way to the source goes to it too,
/// so it misses nothing the source will see.
fn activate_replicas(engine: &mut Engine, at: u64) {
    let now = engine.now_ms;
    let due: Vec<(String, String, Option<String>)> = engine
        .global
        .groups
        .iter()
        .flat_map(|g| g.members.iter().map(move |m| (g, m)))
        .filter(|(_, m)| m.pending && m.gone_at_ms.is_none() && m.active_at_ms <= at)
        .map(|(g, m)| (g.table.clone(), m.region.clone(), m.source.clone()))
        .collect();
    for (table, region, source) in due {
        let copy_from = source
            .filter(|s| super::regions::tables_of(engine, s).is_some_and(|t| t.get(&table).is_some()))
            .or_else(|| {
                let group = engine.global.group(&table)?;
                group.members.iter().find(|m| m.region != region && m.active(now)).map(|m| m.region.clone())
            });
        let Some(from) = copy_from else {
            // Nothing left to copy from: the replica is never made.
            if let Some(group) = engine.global.group_mut(&table) {
                group.members.retain(|m| m.region != region);
            }
            continue;
        };
        if let Some(m) = engine.global.group_mut(&table).and_then(|g| g.member_mut(&region)) {
            m.pending = false;
        }
        if !super::replica_updates::make_replica_table(engine, &from, &region, &table) {
            continue;
        }
        let (new, from_id) = (engine.global.region_id(&region), engine.global.region_id(&from));
        let copies: Vec<Pending> = engine
            .global
            .in_flight()
            .filter(|p| p.table == table && p.target == from_id && p.version.region() != new)
            .map(|p| Pending { target: new, ..p.clone() })
            .collect();
        for p in copies {
            engine.global.held.push(p);
        }
    }
    release_held(engine);
}

/// Removes the replicas whose deletion is over by `at`; a group left with one replica is a
/// regional table again.
fn finish_deletions(engine: &mut Engine, at: u64) {
    let gone: Vec<(String, String)> = engine
        .global
        .groups
        .iter()
        .flat_map(|g| g.members.iter().map(move |m| (g, m)))
        .filter(|(_, m)| m.gone_at_ms.is_some_and(|t| t <= at))
        .map(|(g, m)| (g.table.clone(), m.region.clone()))
        .collect();
    for (table, region) in gone {
        let now = engine.now_ms;
        let (tables, closed) = state_in(engine, &region);
        if let Some(mut t) = tables.remove(&table) {
            if let Some(mut log) = t.stream_log.take() {
                log.disable(now);
                closed.push(log);
            }
        }
        leave_group(engine, &table, &region);
    }
    super::regions::forget_empty(engine);
}

/// Takes `region` out of the global table `table` (its table is gone or going); a group left
/// with one replica dissolves.
pub(crate) fn leave_group(engine: &mut Engine, table: &str, region: &str) {
    let Some(g) = engine.global.groups.iter().position(|g| g.table == table) else { return };
    engine.global.groups[g].members.retain(|m| m.region != region);
    let id = engine.global.region_id(region);
    engine.global.forget(table, Some(id));
    if engine.global.groups[g].members.len() < 2 {
        let group = engine.global.groups.remove(g);
        for m in group.members {
            if let Some(t) = tables_in(engine, &m.region).and_then(|t| t.get_mut(table)) {
                t.replica = None;
            }
        }
        engine.global.forget(table, None);
    }
}

/// Starts replication for a table that has none yet (its group's first member).
pub(crate) fn start_log(table: &mut crate::table::Table) {
    if table.replica.is_none() {
        table.replica = Some(Box::new(ReplicaLog::default()));
    }
}
