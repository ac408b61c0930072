//! `UpdateTable` with `ReplicaUpdates` (and `MultiRegionConsistency`,
//! `GlobalTableWitnessUpdates`): adding, changing and removing a table's replicas, with
//! DynamoDB's rules and texts as recorded against AWS in 2026 — `ReplicaUpdates` must be the
//! only change of its request; one Create or Delete per call (two Creates for a strong
//! table); the table must be on-demand (there is no auto scaling to satisfy "or AutoScaled");
//! no stream is required: a table without one gets NEW_AND_OLD_IMAGES, an enabled one is kept
//! as it is; a Region that created a replica in the last 24 hours cannot be removed while
//! that replica exists. Also `DeleteTable`'s rules for a replica and the copy a new replica
//! starts from.

use serde_json::{Map, Value};

use super::regions::{tables_in, tables_of, SUPPORTED_REGIONS};
use super::replicate::{leave_group, start_log};
use super::{Group, Member, REPLICA_CREATE_MS, REPLICA_DELETE_MS, REPLICA_UPDATE_MS, SOURCE_REGION_HOLD_MS};
use crate::control::{Stream, TABLE_UPDATE_MS};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::ops::request;
use crate::table::{BillingMode, Table};

/// One replica action of a request.
#[derive(Debug, PartialEq)]
enum Action {
    Create { region: String, overrides: Map<String, Value> },
    Update { region: String, overrides: Map<String, Value>, kms: bool },
    Delete { region: String },
}

impl Action {
    fn region(&self) -> &str {
        match self {
            Self::Create { region, .. } | Self::Update { region, .. } | Self::Delete { region } => region,
        }
    }

    fn kind(&self) -> u8 {
        match self {
            Self::Create { .. } => 0,
            Self::Update { .. } => 1,
            Self::Delete { .. } => 2,
        }
    }
}

/// The members of UpdateTable that change something other than replicas.
const OTHER_CHANGES: &[&str] = &[
    "ProvisionedThroughput",
    "BillingMode",
    "StreamSpecification",
    "SSESpecification",
    "DeletionProtectionEnabled",
    "OnDemandThroughput",
    "WarmThroughput",
    "TableClass",
];

/// Whether an UpdateTable request changes replicas or witnesses (and so is answered here).
pub(crate) fn wanted(request: &Value) -> bool {
    request::is_present(request, "ReplicaUpdates")
        || request::is_present(request, "GlobalTableWitnessUpdates")
}

pub(crate) fn in_use() -> ApiError {
    ApiError::new(ErrorKind::ResourceInUse, "The resource which you are attempting to change is in use.")
}

/// Answers an UpdateTable request that changes replicas (its shape already checked).
pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    if !crate::features::GLOBAL_TABLES {
        return Err(crate::features::no_global_tables());
    }
    let consistency = request::string(request, "MultiRegionConsistency");
    let strong = consistency == Some("STRONG");
    let witnesses = witness_actions(request);
    if witnesses.iter().any(|(kind, _)| *kind == 0) && !strong {
        return Err(ApiError::validation(
            "MultiRegionConsistency must be set as STRONG when GlobalTableWitnessUpdates parameter is present.",
        ));
    }
    let non_empty = |name: &str| request.get(name).and_then(Value::as_array).is_some_and(|l| !l.is_empty());
    let other = OTHER_CHANGES.iter().any(|m| request::is_present(request, m))
        || non_empty("GlobalSecondaryIndexUpdates")
        || non_empty("VectorIndexUpdates");
    if other {
        return Err(if strong || !witnesses.is_empty() {
            ApiError::validation(
                "Requests that modify replicas or witnesses must not also modify other fields",
            )
        } else {
            ApiError::invalid_parameter("Replica modification must be the only operation in the request")
        });
    }
    let actions = actions(request)?;
    let name = request::string(request, "TableName").unwrap_or_default().to_owned();
    let strong_table = engine.global.group(&name).is_some_and(|g| g.strong);
    if consistency.is_some() || !witnesses.is_empty() || strong_table {
        if consistency == Some("EVENTUAL") && engine.global.group(&name).is_none() {
            // EVENTUAL is what a new global table is anyway.
        } else {
            return super::strong::run(engine, request, actions_regions(&actions), &witnesses);
        }
    }
    check_counts(&actions, false)?;
    let here = engine.config.region.clone();
    for action in &actions {
        check_region(action.region(), &here)?;
    }
    let now = engine.now_ms;
    let table = engine.tables.get(&name).ok_or_else(|| ApiError::table_not_found(&name))?;
    let group = engine.global.group(&name);
    let busy = now < table.control.updating_until_ms
        || group.is_some_and(|g| g.members.iter().any(|m| m.status(now) != "ACTIVE"));
    if busy {
        return Err(in_use());
    }
    // Every action is checked before any is applied.
    for action in &actions {
        match action {
            Action::Create { region, .. } => check_create(engine, table, group, region)?,
            Action::Update { region, overrides, kms } => {
                member_of(group, region)?;
                if *kms {
                    return Err(ApiError::invalid_parameter(
                        "KMSMasterKeyId must be specified for each replica.",
                    ));
                }
                if overrides.contains_key("ProvisionedThroughputOverride")
                    && table.billing == BillingMode::PayPerRequest
                {
                    return Err(ApiError::validation(
                        "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
                    ));
                }
            }
            Action::Delete { region } => check_delete(engine, group, &name, region)?,
        }
    }
    let mut hidden = Vec::new();
    let mut echo_active = Vec::new();
    for action in actions {
        match action {
            Action::Create { region, overrides } => {
                create(engine, &name, &region, overrides)?;
                hidden.push(region);
            }
            Action::Update { region, overrides, .. } => update(engine, &name, &region, overrides),
            Action::Delete { region } => {
                delete(engine, &name, &region);
                echo_active.push(region);
            }
        }
    }
    answer(engine, &name, &hidden, &echo_active)
}

/// The answer of an UpdateTable that changed replicas: what DynamoDB had when it accepted the
/// request (recorded) — the new replicas (`hidden`) not listed yet, the removed ones
/// (`echo_active`) still ACTIVE, no witness listed.
pub(crate) fn answer(
    engine: &Engine,
    name: &str,
    hidden: &[String],
    echo_active: &[String],
) -> ApiResult<Value> {
    let table = engine.tables.get(name).ok_or_else(|| ApiError::table_not_found(name))?;
    let mut description =
        table.describe(&engine.config.region, &engine.config.account_id, engine.now_ms, None);
    super::describe::decorate(engine, &mut description);
    if let Some(d) = description.as_object_mut() {
        d.remove("GlobalTableWitnesses");
    }
    if let Some(replicas) = description.get_mut("Replicas").and_then(Value::as_array_mut) {
        let named = |list: &[String], r: &Value| list.iter().any(|h| r["RegionName"] == h.as_str());
        replicas.retain(|r| !named(hidden, r));
        for r in replicas.iter_mut().filter(|r| named(echo_active, r)) {
            r["ReplicaStatus"] = "ACTIVE".into();
        }
    }
    Ok(super::object(&mut [("TableDescription", description)]))
}

/// The Regions the actions name, as `(region, is a Create)`.
fn actions_regions(actions: &[Action]) -> Vec<(String, u8)> {
    actions.iter().map(|a| (a.region().to_owned(), a.kind())).collect()
}

/// The request's witness actions: (0 Create / 2 Delete, Region).
fn witness_actions(request: &Value) -> Vec<(u8, String)> {
    let elements = request.get("GlobalTableWitnessUpdates").and_then(Value::as_array);
    let mut out = Vec::new();
    for element in elements.into_iter().flatten() {
        for (kind, name) in [(0, "Create"), (2, "Delete")] {
            if let Some(region) = element.get(name).and_then(|a| request::string(a, "RegionName")) {
                out.push((kind, region.to_owned()));
            }
        }
    }
    out
}

/// The request's replica actions, one per element, duplicates of a Create or Delete dropped.
fn actions(request: &Value) -> ApiResult<Vec<Action>> {
    let no_action = || {
        ApiError::validation("There are no actions specified in the Replica Update Action of the request.")
    };
    let mut out: Vec<Action> = Vec::new();
    for element in request.get("ReplicaUpdates").and_then(Value::as_array).into_iter().flatten() {
        let present = |name: &str| element.get(name).filter(|v| !v.is_null());
        let given: Vec<&str> = ["Create", "Update", "Delete", "Disassociate"]
            .into_iter()
            .filter(|n| present(n).is_some())
            .collect();
        let action = match given.as_slice() {
            [] => return Err(no_action()),
            [_, _, ..] => {
                return Err(ApiError::validation(
                    "Update table operation with more than one type of replica actions not allowed.",
                ))
            }
            ["Disassociate"] => return Err(ApiError::validation(
                "Disassociate is for multi-account global tables, which this playground does not simulate",
            )),
            [kind] => {
                let spec = present(kind).unwrap_or(&Value::Null);
                let region = request::string(spec, "RegionName").unwrap_or_default().to_owned();
                let mut overrides = Map::new();
                for (from, to) in [
                    ("ProvisionedThroughputOverride", "ProvisionedThroughputOverride"),
                    ("OnDemandThroughputOverride", "OnDemandThroughputOverride"),
                    ("TableClassOverride", "TableClassOverride"),
                    ("GlobalSecondaryIndexes", "GlobalSecondaryIndexes"),
                ] {
                    if let Some(v) = spec.get(from).filter(|v| !v.is_null()) {
                        overrides.insert(to.into(), v.clone());
                    }
                }
                let kms = spec.get("KMSMasterKeyId").is_some_and(|v| !v.is_null());
                match *kind {
                    "Create" => Action::Create { region, overrides },
                    "Update" if overrides.is_empty() && !kms => return Err(no_action()),
                    "Update" => Action::Update { region, overrides, kms },
                    _ => Action::Delete { region },
                }
            }
        };
        if !out.contains(&action) {
            out.push(action);
        }
    }
    Ok(out)
}

/// One kind of action per request, and one Create or Delete (`two_creates`: a strong table's
/// two Creates).
fn check_counts(actions: &[Action], two_creates: bool) -> ApiResult<()> {
    if actions.windows(2).any(|w| w[0].kind() != w[1].kind()) {
        return Err(ApiError::validation(
            "Update table operation with more than one type of replica actions not allowed.",
        ));
    }
    let structural = actions.iter().filter(|a| !matches!(a, Action::Update { .. })).count();
    let allowed =
        if two_creates && actions.iter().all(|a| matches!(a, Action::Create { .. })) { 2 } else { 1 };
    if structural > allowed {
        return Err(ApiError::validation(
            "Update table operation with more than one create or delete replica actions not allowed",
        ));
    }
    Ok(())
}

/// A Region a replica can be in, and not the one serving the request.
pub(crate) fn check_region(region: &str, here: &str) -> ApiResult<()> {
    if !SUPPORTED_REGIONS.contains(&region) {
        return Err(ApiError::validation(format!(
            "Region {region} is not supported. The latest version of global tables are only supported in the following regions: [{}].",
            SUPPORTED_REGIONS.join(", ")
        )));
    }
    if region == here {
        return Err(ApiError::validation(
            "Cannot add or delete the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.",
        ));
    }
    Ok(())
}

fn not_members(regions: &[&str]) -> ApiError {
    ApiError::validation(format!(
        "Update global table operation failed because one or more replicas were not part of the global table. Please retry the request without these replicas: [{}].",
        regions.join(", ")
    ))
}

fn member_of<'g>(group: Option<&'g Group>, region: &str) -> ApiResult<&'g Member> {
    group.and_then(|g| g.member(region)).ok_or_else(|| not_members(&[region]))
}

/// A new replica in `region`: no replica or table of that name there yet, and an on-demand
/// table (DynamoDB also takes an auto-scaled one; there is no auto scaling here).
fn check_create(engine: &Engine, table: &Table, group: Option<&Group>, region: &str) -> ApiResult<()> {
    let exists = group.is_some_and(|g| g.member(region).is_some())
        || tables_of(engine, region).is_some_and(|t| t.get(&table.name).is_some());
    if exists {
        return Err(already_tables(&table.name));
    }
    if table.billing != BillingMode::PayPerRequest {
        return Err(not_on_demand());
    }
    let provisioned_index =
        table.indexes.iter().any(|i| matches!(i.throughput, Some(BillingMode::Provisioned { .. })));
    if provisioned_index {
        return Err(ApiError::validation(
            "GSI write capacity should either be Pay-Per-Request or AutoScaled.",
        ));
    }
    Ok(())
}

pub(crate) fn already_tables(name: &str) -> ApiError {
    ApiError::validation(format!(
        "Failed to create a the new replica of table with name: \u{2018}{name}\u{2019} because one or more replicas already existed as tables."
    ))
}

pub(crate) fn not_on_demand() -> ApiError {
    ApiError::validation("Table write capacity should either be Pay-Per-Request or AutoScaled.")
}

/// The 24-hour rule: a Region that created a replica which still exists, less than 24 hours
/// ago, cannot leave the global table.
fn check_source_hold(group: &Group, region: &str, now: u64) -> ApiResult<()> {
    let sourced = group.members.iter().any(|m| {
        m.source.as_deref() == Some(region)
            && m.gone_at_ms.is_none()
            && now < m.added_ms + SOURCE_REGION_HOLD_MS
    });
    if sourced {
        return Err(ApiError::validation(
            "Replica cannot be deleted because it has acted as a source region for new replica(s) being added to the table in the last 24 hours.",
        ));
    }
    Ok(())
}

fn check_delete(engine: &Engine, group: Option<&Group>, name: &str, region: &str) -> ApiResult<()> {
    let group = group.ok_or_else(|| not_members(&[region]))?;
    member_of(Some(group), region)?;
    check_source_hold(group, region, engine.now_ms)?;
    let protected =
        tables_of(engine, region).and_then(|t| t.get(name)).is_some_and(Table::deletion_protection);
    if protected {
        return Err(ApiError::validation(format!(
            "Cannot delete table {name} in region {region} because it has deletion protection enabled. Disable deletion protection first."
        )));
    }
    Ok(())
}

/// Makes the served Region's table `name` the first replica of a global table: replication
/// reads the stream, so a table without an enabled one gets NEW_AND_OLD_IMAGES; the table is
/// UPDATING while its new replicas are CREATING. When they are ACTIVE.
pub(crate) fn begin(engine: &mut Engine, name: &str) -> ApiResult<u64> {
    let now = engine.now_ms;
    let here = engine.config.region.clone();
    let (account, retention) =
        (engine.config.account_id.clone(), engine.playground.settings.stream_retention_bytes);
    let table = engine.tables.get_mut(name).ok_or_else(|| ApiError::table_not_found(name))?;
    let mut retired = None;
    if !table.control.stream.as_ref().is_some_and(|s| s.enabled) {
        let arn = table.arn(&here, &account);
        let stream = Stream { enabled: true, view_type: "NEW_AND_OLD_IMAGES".into(), created_ms: now };
        retired = crate::streams::set_table_stream(table, Some(stream), &arn, &here, (now, now), retention);
    }
    start_log(table);
    let done = now + REPLICA_CREATE_MS;
    table.control.updating_until_ms = done;
    engine.retire_stream(retired);
    Ok(done)
}

/// A CREATING replica in `region`, made from the served Region's table.
pub(crate) fn new_member(engine: &mut Engine, region: &str, done: u64) -> Member {
    engine.global.region_id(region);
    let mut m = member(region, engine.now_ms, done, Some(engine.config.region.clone()));
    m.pending = true;
    m
}

/// Adds `region` as a CREATING replica of `name` (served Region's table).
fn create(engine: &mut Engine, name: &str, region: &str, overrides: Map<String, Value>) -> ApiResult<()> {
    let now = engine.now_ms;
    let done = begin(engine, name)?;
    if engine.global.group(name).is_none() {
        let first = member(&engine.config.region, now, 0, None);
        engine.global.groups.push(Group {
            table: name.to_owned(),
            strong: false,
            members: vec![first],
            witness: None,
            conflicts: Vec::new(),
        });
    }
    let mut new = new_member(engine, region, done);
    new.overrides = shown_overrides(overrides, now);
    if let Some(group) = engine.global.group_mut(name) {
        group.members.push(new);
    }
    Ok(())
}

pub(crate) fn member(region: &str, added_ms: u64, active_at_ms: u64, source: Option<String>) -> Member {
    Member {
        region: region.to_owned(),
        added_ms,
        active_at_ms,
        source,
        gone_at_ms: None,
        updating_until_ms: 0,
        overrides: Map::new(),
        conflicts: 0,
        pending: false,
    }
}

/// Overrides as the other Regions' `Replicas` show them.
fn shown_overrides(given: Map<String, Value>, now: u64) -> Map<String, Value> {
    let mut shown = Map::new();
    for (k, v) in given {
        match k.as_str() {
            "TableClassOverride" => {
                let at = crate::table::epoch_seconds(now);
                let summary = super::object(&mut [("TableClass", v), ("LastUpdateDateTime", at)]);
                shown.insert("ReplicaTableClassSummary".into(), summary);
            }
            "GlobalSecondaryIndexes" => {}
            _ => {
                shown.insert(k, v);
            }
        }
    }
    shown
}

fn update(engine: &mut Engine, name: &str, region: &str, overrides: Map<String, Value>) {
    let now = engine.now_ms;
    let class = overrides.get("TableClassOverride").cloned();
    if let Some(member) = engine.global.group_mut(name).and_then(|g| g.member_mut(region)) {
        member.updating_until_ms = now + REPLICA_UPDATE_MS;
        for (k, v) in shown_overrides(overrides, now) {
            member.overrides.insert(k, v);
        }
    }
    if let Some(table) = engine.tables.get_mut(name) {
        table.control.updating_until_ms = now + REPLICA_UPDATE_MS;
    }
    if let (Some(class), Some(table)) = (class, tables_in(engine, region).and_then(|t| t.get_mut(name))) {
        table.settings.insert("TableClassSummary".into(), super::object(&mut [("TableClass", class)]));
    }
}

/// Starts removing the replica in `region`: it stops replicating at once and is DELETING
/// until its table goes.
fn delete(engine: &mut Engine, name: &str, region: &str) {
    let now = engine.now_ms;
    if let Some(member) = engine.global.group_mut(name).and_then(|g| g.member_mut(region)) {
        member.gone_at_ms = Some(now + REPLICA_DELETE_MS);
    }
    if let Some(table) = engine.tables.get_mut(name) {
        table.control.updating_until_ms = now + TABLE_UPDATE_MS;
    }
    if let Some(table) = tables_in(engine, region).and_then(|t| t.get_mut(name)) {
        table.replica = None;
    }
    let id = engine.global.region_id(region);
    engine.global.forget(name, Some(id));
}

/// DeleteTable of a replica: refused for a strong table and for a Region that created a
/// replica in the last 24 hours (DynamoDB's texts, recorded).
pub(crate) fn check_delete_table(engine: &Engine, name: &str) -> ApiResult<()> {
    if !crate::features::GLOBAL_TABLES {
        return Ok(());
    }
    let Some(group) = engine.global.group(name) else { return Ok(()) };
    if group.member(&engine.config.region).is_none() {
        return Ok(());
    }
    if group.strong {
        return Err(ApiError::validation(
            "Deletion of only one table replica is not supported for global tables with MultiRegionConsistency set to STRONG.",
        ));
    }
    check_source_hold(group, &engine.config.region, engine.now_ms)
}

/// After DeleteTable of a replica: the Region leaves its global table.
pub(crate) fn after_delete_table(engine: &mut Engine, name: &str) {
    if !crate::features::GLOBAL_TABLES {
        return;
    }
    let region = engine.config.region.clone();
    leave_group(engine, name, &region);
}

/// A table name CreateTable cannot take in the served Region: a replica is being created there.
pub(crate) fn reserved(engine: &Engine, name: &str) -> bool {
    if !crate::features::GLOBAL_TABLES {
        return false;
    }
    engine.global.group(name).and_then(|g| g.member(&engine.config.region)).is_some_and(|m| m.pending)
}

/// Makes the table of a new replica in `to`: a copy of `from`'s (items, indexes, Time to
/// Live, stream view type, the versions of its items) made as a workspace import makes one,
/// with its own id, ARN and stream, and none of the settings that stay in their Region (tags,
/// point-in-time recovery, resource policy, deletion protection). Whether it was made.
pub(crate) fn make_replica_table(engine: &mut Engine, from: &str, to: &str, name: &str) -> bool {
    let now = engine.now_ms;
    let Some(source) = tables_of(engine, from).and_then(|t| t.get(name)) else { return false };
    let mut spec = crate::workspace::export_table(source);
    let versions = super::state::versions_json(source);
    let strong = source.replica.as_ref().is_some_and(|log| log.strong.is_some());
    if let Some(s) = spec.as_object_mut() {
        for k in [
            "TableId",
            "Tags",
            "PointInTimeRecoveryEnabled",
            "RecoveryPeriodInDays",
            "ResourcePolicy",
            "DeletionProtectionEnabled",
        ] {
            s.remove(k);
        }
        s.insert("CreationDateTime".into(), now.into());
        s.insert("ReplicaVersions".into(), versions.unwrap_or_else(|| Vec::<Value>::new().into()));
    }
    engine.in_region(to, |engine| {
        let made = crate::workspace::import_replica(engine, &spec).is_ok();
        if let Some(log) = engine.tables.get_mut(name).and_then(|t| t.replica.as_mut()) {
            log.strong = strong.then(Default::default);
        }
        made
    })
}
