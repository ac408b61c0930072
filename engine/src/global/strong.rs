//! Multi-Region strong consistency (`MultiRegionConsistency: STRONG`): a global table of
//! exactly three Regions — the table's own and two replicas, or one replica and a witness (a
//! Region that takes part in every write's quorum but holds no table) — created in one
//! `UpdateTable` on an empty table and frozen afterwards, with DynamoDB's texts as recorded
//! against AWS in 2026.
//!
//! The simulation: a write reaches every other online replica before it is acknowledged (it
//! needs a quorum: its own Region and one more replica or the witness, all online — a write
//! in an isolated Region fails), so a strongly consistent read in any Region returns it. A
//! write holds its item in the other Regions for the replication delay (the round trip its
//! synchronous replication takes): a write to that item from another Region meanwhile is
//! refused with `ReplicatedWriteConflictException` instead of being settled by last writer
//! wins. Not simulated: a strongly consistent read in an isolated Region (served here, from
//! its own copy); the limits on what such a table supports beyond transactions, an LSI and
//! Time to Live at its creation.

use serde_json::Value;

use super::regions::{tables_in, tables_of};
use super::replica_updates::{
    already_tables, answer, begin, check_region, in_use, member, new_member, not_on_demand,
};
use super::{Group, REPLICA_DELETE_MS};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::ops::request;
use crate::table::{BillingMode, IndexKind, Table};
use crate::types::PrimaryKey;

/// The Regions that take part in multi-Region strong consistency (us-west-1 was refused in
/// recorded runs; these were accepted or are documented).
pub(crate) const STRONG_REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
];

/// What a replica of a strong table keeps for its writes.
#[derive(Clone, Debug, Default)]
pub(crate) struct StrongState {
    /// Whether its Region reaches a quorum now (itself and another online Region).
    pub quorum: bool,
    /// Items another Region is writing: (key, held until, that Region).
    pub locks: Vec<(PrimaryKey, u64, u8)>,
}

/// A replica action as `replica_updates` hands it over: (Region, 0 Create / 1 Update / 2 Delete).
pub(crate) type Action = (String, u8);

fn invalid(message: &str) -> ApiError {
    ApiError::validation(message)
}

/// Answers an UpdateTable that asks for strong consistency, changes a witness, or changes the
/// replicas of a strong table.
pub(crate) fn run(
    engine: &mut Engine,
    request: &Value,
    actions: Vec<Action>,
    witnesses: &[(u8, String)],
) -> ApiResult<Value> {
    let name = request::string(request, "TableName").unwrap_or_default().to_owned();
    let consistency = request::string(request, "MultiRegionConsistency");
    let existing = engine.global.group(&name).map(|g| g.strong);
    let here = engine.config.region.clone();
    if consistency == Some("STRONG") {
        if actions.iter().any(|(_, kind)| *kind != 0) || witnesses.iter().any(|(kind, _)| *kind != 0) {
            return Err(invalid(
                "Only Replica Create actions are supported when MultiRegionConsistency parameter is provided.",
            ));
        }
        let witness = witnesses.first().map(|(_, r)| r.clone());
        if actions.len() + usize::from(witness.is_some()) != 2 {
            return Err(invalid(
                "Unsupported replica count for global tables with MultiRegionConsistency set to STRONG.",
            ));
        }
        let mut unsupported: Vec<&str> = actions
            .iter()
            .map(|(r, _)| r.as_str())
            .chain(witness.as_deref())
            .filter(|r| !STRONG_REGIONS.contains(r))
            .collect();
        unsupported.dedup();
        if !unsupported.is_empty() {
            return Err(invalid(&format!(
                "Unsupported Region(s) specified for global tables with MultiRegionConsistency set to STRONG: [{}].",
                unsupported.join(", ")
            )));
        }
        if let Some(w) = &witness {
            if actions.iter().any(|(r, _)| r == w) {
                return Err(invalid("Cannot target multiple regions with the same action"));
            }
            if *w == here {
                return Err(invalid(
                    "Cannot add a witness in the same region as an existing replica when creating a global table with MultiRegionConsistency set to STRONG.",
                ));
            }
        }
        if existing.is_some() {
            return Err(invalid("MultiRegionConsistency parameter is unsupported on existing global table"));
        }
        for (region, _) in &actions {
            check_region(region, &here)?;
        }
        return create(engine, &name, &actions, witness);
    }
    if consistency.is_some() && existing.is_some() {
        return Err(invalid("MultiRegionConsistency parameter is unsupported on existing global table"));
    }
    // A strong table's replicas: only all of them (and the witness) can go, in one call.
    let group = engine.global.group(&name).ok_or_else(|| {
        // Witness updates on a table that is not strongly consistent.
        invalid("MultiRegionConsistency must be set as STRONG when GlobalTableWitnessUpdates parameter is present.")
    })?;
    if actions.iter().any(|(_, kind)| *kind == 0) || witnesses.iter().any(|(kind, _)| *kind == 0) {
        return Err(invalid("Cannot add replicas to a global table with strong MultiRegionConsistency"));
    }
    let deleted: Vec<&str> = actions.iter().filter(|(_, k)| *k == 2).map(|(r, _)| r.as_str()).collect();
    let witness_deleted: Vec<&str> = witnesses.iter().map(|(_, r)| r.as_str()).collect();
    let strangers: Vec<&str> = witness_deleted
        .iter()
        .copied()
        .filter(|w| group.witness.as_ref().is_none_or(|(own, _)| own != w))
        .collect();
    if !strangers.is_empty() {
        return Err(invalid(&format!(
            "Update global table operation failed because one or more witnesses were not part of the global table. Please retry the request without these witnesses: [{}].",
            strangers.join(", ")
        )));
    }
    if group.witness.is_some() && !deleted.is_empty() && witness_deleted.is_empty() {
        return Err(invalid("Update table delete operation does not include all witnesses."));
    }
    let others: Vec<&str> = group.members.iter().map(|m| m.region.as_str()).filter(|r| *r != here).collect();
    if deleted.is_empty() || others.iter().any(|r| !deleted.contains(r)) {
        return Err(invalid(
            "Deletion of only one table replica is not supported for global tables with MultiRegionConsistency set to STRONG.",
        ));
    }
    for region in &deleted {
        check_region(region, &here)?;
    }
    teardown(engine, &name, &deleted.iter().map(|r| (*r).to_owned()).collect::<Vec<_>>())
}

/// A strong global table from the served Region's table: its replicas and witness CREATING.
fn create(engine: &mut Engine, name: &str, creates: &[Action], witness: Option<String>) -> ApiResult<Value> {
    let now = engine.now_ms;
    let here = engine.config.region.clone();
    let table = engine.tables.get(name).ok_or_else(|| ApiError::table_not_found(name))?;
    for (region, _) in creates {
        if tables_of(engine, region).is_some_and(|t| t.get(name).is_some()) {
            return Err(already_tables(name));
        }
    }
    if table.billing != BillingMode::PayPerRequest {
        return Err(not_on_demand());
    }
    // What DynamoDB documents for strong consistency; its texts are not recorded.
    if table.items.len() > 0 {
        return Err(ApiError::invalid_parameter(
            "A table must be empty to become a global table with MultiRegionConsistency set to STRONG.",
        ));
    }
    if table.indexes.iter().any(|i| i.kind == IndexKind::Local) {
        return Err(ApiError::invalid_parameter(
            "Local secondary indexes are not supported for global tables with MultiRegionConsistency set to STRONG.",
        ));
    }
    if table.control.ttl.as_ref().is_some_and(|t| t.enabled) {
        return Err(ApiError::invalid_parameter(
            "Time to Live is not supported for global tables with MultiRegionConsistency set to STRONG.",
        ));
    }
    let done = begin(engine, name)?;
    let mut members = vec![member(&here, now, 0, None)];
    let mut hidden = Vec::new();
    for (region, _) in creates {
        members.push(new_member(engine, region, done));
        hidden.push(region.clone());
    }
    engine.global.groups.push(Group {
        table: name.to_owned(),
        strong: true,
        members,
        witness: witness.map(|w| (w, done)),
        conflicts: Vec::new(),
    });
    refresh(engine);
    // As recorded: no replica or witness listed yet in the answer.
    answer(engine, name, &hidden, &[])
}

/// Removes every replica of a strong table and its witness: the table is regional again.
fn teardown(engine: &mut Engine, name: &str, regions: &[String]) -> ApiResult<Value> {
    let now = engine.now_ms;
    let busy = engine.tables.get(name).is_none_or(|t| now < t.control.updating_until_ms)
        || engine.global.group(name).is_some_and(|g| g.members.iter().any(|m| m.status(now) != "ACTIVE"));
    if busy {
        return Err(in_use());
    }
    if let Some(group) = engine.global.group_mut(name) {
        group.witness = None;
        for m in group.members.iter_mut().filter(|m| regions.contains(&m.region)) {
            m.gone_at_ms = Some(now + REPLICA_DELETE_MS);
        }
    }
    for region in regions {
        if let Some(t) = tables_in(engine, region).and_then(|t| t.get_mut(name)) {
            t.replica = None;
        }
    }
    if let Some(table) = engine.tables.get_mut(name) {
        table.control.updating_until_ms = now + REPLICA_DELETE_MS;
    }
    refresh(engine);
    // The answer echoes the replicas as they were (recorded).
    answer(engine, name, &[], regions)
}

/// Recomputes, for every replica of a strong table, whether its Region reaches a quorum: it
/// is online and so is another replica or the witness.
pub(crate) fn refresh(engine: &mut Engine) {
    let mut quorums: Vec<(String, String, bool)> = Vec::new();
    for group in engine.global.groups.iter().filter(|g| g.strong) {
        for m in group.members.iter().filter(|m| m.gone_at_ms.is_none()) {
            let others = group
                .members
                .iter()
                .filter(|o| o.region != m.region && o.gone_at_ms.is_none())
                .map(|o| o.region.as_str())
                .chain(group.witness.as_ref().map(|(w, _)| w.as_str()));
            let quorum =
                engine.global.online(&m.region) && others.into_iter().any(|r| engine.global.online(r));
            quorums.push((group.table.clone(), m.region.clone(), quorum));
        }
    }
    for (table, region, quorum) in quorums {
        if let Some(log) =
            tables_in(engine, &region).and_then(|t| t.get_mut(&table)).and_then(|t| t.replica.as_mut())
        {
            log.strong.get_or_insert_with(StrongState::default).quorum = quorum;
        }
    }
}

/// Refuses a write to a strong table's item that its Region cannot replicate now: cut off
/// from a quorum, or the item being written by another Region.
pub(crate) fn check_write(table: &Table, key: &PrimaryKey, now: u64) -> ApiResult<()> {
    if !crate::features::GLOBAL_TABLES {
        return Ok(());
    }
    let Some(strong) = table.replica.as_ref().and_then(|log| log.strong.as_ref()) else { return Ok(()) };
    if !strong.quorum {
        return Err(ApiError::new(ErrorKind::InternalServerError, "Internal server error"));
    }
    if strong.locks.iter().any(|(k, until, _)| k == key && *until > now) {
        return Err(ApiError::new(
            ErrorKind::ReplicatedWriteConflict,
            "The request was rejected because one or more items in the request are being modified by a request in another Region.",
        ));
    }
    Ok(())
}

/// Transactions are not supported on a strong table (documented; the text is not recorded).
pub(crate) fn check_transaction(table: &Table) -> ApiResult<()> {
    if !crate::features::GLOBAL_TABLES {
        return Ok(());
    }
    if table.replica.as_ref().is_some_and(|log| log.strong.is_some()) {
        return Err(ApiError::validation(
            "Transactions are not supported for global tables with MultiRegionConsistency set to STRONG.",
        ));
    }
    Ok(())
}

/// Holds `key` in a replica of a strong table: another Region writes it until `until`.
pub(crate) fn hold(table: &mut Table, key: &PrimaryKey, until: u64, region: u8, now: u64) {
    if let Some(strong) = table.replica.as_mut().and_then(|log| log.strong.as_mut()) {
        strong.locks.retain(|(_, t, _)| *t > now);
        strong.locks.push((key.clone(), until, region));
    }
}
