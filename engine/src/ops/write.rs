//! What every write shares (PutItem, UpdateItem, DeleteItem, BatchWriteItem's and
//! TransactWriteItems' actions, PartiQL's writes): a write is first *planned* against the
//! table as it is — condition checked, resulting item computed on a copy — and only then
//! *committed*. A plan that fails leaves nothing changed; a transaction plans all its writes
//! before committing any.

use serde_json::{Map, Value};

use super::request::{self, Env};
use crate::capacity::admission::{self, Charge, On};
use crate::capacity::resource::Access;
use crate::capacity::{write_units, Consumed, ReturnConsumedCapacity};
use crate::error::{ApiError, ApiResult, Cause};
use crate::expr::{Condition, ConditionKind, ExpressionAttributes, UpdateExpression};
use crate::replication::Lag;
use crate::streams::{Change, Origin};
use crate::table::{IndexKind, IndexUnits, Table};
use crate::types::{item_size, item_to_json, Item, PrimaryKey};

/// Largest item DynamoDB stores (names and values).
pub(crate) const MAX_ITEM_BYTES: usize = 400 * 1024;

/// A whole item to store (PutItem, a batch's or a transaction's Put, an imported item) is at
/// most [`MAX_ITEM_BYTES`].
pub(crate) fn check_item_size(item: &Item) -> ApiResult<()> {
    if item_size(item) > MAX_ITEM_BYTES {
        return Err(ApiError::validation("Item size has exceeded the maximum allowed size"));
    }
    Ok(())
}

/// An update whose finished item (or, for UpdateItem, whose statement) passes 400 KB.
pub(crate) fn update_too_big() -> ApiError {
    ApiError::validation("Item size to update has exceeded the maximum allowed size")
}

/// The primary key of a whole item to store on `table`, its index key attributes checked too.
pub(crate) fn item_key(table: &Table, item: &Item) -> ApiResult<PrimaryKey> {
    let key = table.key_schema.key_of_item(item)?;
    table.check_index_keys(item)?;
    Ok(key)
}

/// The primary key a write acts on, checked against its table as PutItem, UpdateItem,
/// DeleteItem and a ConditionCheck check it. `key` is the request's `Key` (a Put's key is in
/// its item).
pub(crate) fn checked_key(table: &Table, action: &WriteAction, key: &Item) -> ApiResult<PrimaryKey> {
    match action {
        WriteAction::Put(item) => item_key(table, item),
        WriteAction::Update(update) => {
            let key = table.key_schema.key_of_key(key)?;
            if let Some(update) = update {
                update.check_key_untouched(&table.key_schema)?;
            }
            Ok(key)
        }
        WriteAction::Delete | WriteAction::ConditionCheck => table.key_schema.key_of_key(key),
    }
}

/// What a write does to its item.
pub(crate) enum WriteAction {
    /// Store this whole item.
    Put(Item),
    /// Edit the item (or create it) with an UpdateExpression; `None` is an empty update.
    Update(Option<UpdateExpression>),
    /// Remove the item.
    Delete,
    /// Only check the condition (TransactWriteItems' ConditionCheck).
    ConditionCheck,
}

/// What committing a plan will do.
#[derive(Debug, PartialEq)]
pub(crate) enum Outcome {
    Store(Item),
    Remove,
    Nothing,
}

/// A write checked and computed against the table, not yet applied.
pub(crate) struct Plan {
    pub key: PrimaryKey,
    pub old: Option<Item>,
    pub outcome: Outcome,
}

/// Why a plan could not be made.
pub(crate) enum PlanError {
    /// The condition was false; carries the item as it is.
    ConditionFailed(Option<Item>),
    /// Any other error (a runtime update error, the item growing past 400 KB, …).
    Invalid(ApiError),
}

impl From<ApiError> for PlanError {
    fn from(e: ApiError) -> Self {
        Self::Invalid(e)
    }
}

impl PlanError {
    /// The error a single-item write answers with.
    pub fn into_api_error(self, request: &Value) -> ApiError {
        match self {
            Self::Invalid(e) => e,
            Self::ConditionFailed(old) => {
                let mut err = ApiError::conditional_check_failed();
                if request::string(request, "ReturnValuesOnConditionCheckFailure") == Some("ALL_OLD") {
                    if let Some(old) = old {
                        err = err.with("Item", item_to_json(&old));
                    }
                }
                err
            }
        }
    }
}

/// Checks the condition against the item as it is now and computes the item after the write
/// on a copy, so any failure leaves the table untouched. A Put's item moves into the plan
/// (the action keeps an empty item): copying it cost a tenth of a PutItem's time.
pub(crate) fn plan(
    table: &Table,
    key: PrimaryKey,
    action: &mut WriteAction,
    condition: Option<&Condition>,
    collection_limit: u64,
) -> Result<Plan, PlanError> {
    let old = table.get(&key);
    if let Some(condition) = condition {
        let empty = Item::new();
        if !condition.evaluate(old.as_ref().unwrap_or(&empty)) {
            return Err(PlanError::ConditionFailed(old));
        }
    }
    let outcome = match action {
        WriteAction::Put(item) => Outcome::Store(std::mem::take(item)),
        WriteAction::Delete if old.is_some() => Outcome::Remove,
        WriteAction::Delete | WriteAction::ConditionCheck => Outcome::Nothing,
        // Nothing to remove from an item that is not there: DynamoDB creates no item.
        WriteAction::Update(Some(update)) if old.is_none() && update.only_removes() => Outcome::Nothing,
        WriteAction::Update(update) => {
            let mut new = old.clone().unwrap_or_else(|| table.key_schema.key_item_from(&key));
            if let Some(update) = update {
                update.apply(&mut new)?;
            }
            if item_size(&new) > MAX_ITEM_BYTES {
                return Err(update_too_big().into());
            }
            table.check_index_keys(&new)?;
            Outcome::Store(new)
        }
    };
    if let Outcome::Store(new) = &outcome {
        check_collection_size(table, &key, old.as_ref(), new, collection_limit)?;
    }
    Ok(Plan { key, old, outcome })
}

/// On a table with a local secondary index, a write may not grow its item collection (the
/// partition key's items and their LSI entries) past `limit` (10 GB in DynamoDB, a playground
/// setting here). A write that keeps it the same size or shrinks it is always allowed.
fn check_collection_size(
    table: &Table,
    key: &PrimaryKey,
    old: Option<&Item>,
    new: &Item,
    limit: u64,
) -> ApiResult<()> {
    if !table.indexes.iter().any(|index| index.kind == IndexKind::Local) {
        return Ok(());
    }
    let (before, after) =
        (old.map_or(0, |o| table.collection_share(key, o)), table.collection_share(key, new));
    if after <= before {
        return Ok(());
    }
    let total = table.item_collection_bytes(&key.partition) - before + after;
    if total <= limit {
        return Ok(());
    }
    let mut message =
        "The total size of an item collection has exceeded the maximum limit of 10 gigabytes.".to_owned();
    if limit != crate::partition::TEN_GB {
        message = format!("{message} (In this playground the limit is scaled down to {limit} bytes.)");
    }
    Err(ApiError::new(crate::error::ErrorKind::ItemCollectionSizeLimitExceeded, message))
}

/// What a plan will consume, computed before anything changes: the `Consumed` to report and
/// the charges to admit (the item's table partition, with LSI units, and every GSI partition
/// an index entry moves in or out of). `transactional` doubles the base-table units.
pub(crate) fn cost(table: &Table, plan: &Plan, transactional: bool) -> (Consumed, Vec<Charge>, Sizes) {
    let old = plan.old.as_ref();
    // Billed sizes: a vector an index reads counts 4 bytes a dimension (`vector/mod.rs`).
    let old_size = old.map(|o| table.billed_size(o));
    let (sizes, new) = match &plan.outcome {
        Outcome::Store(new) => ((old_size, Some(table.billed_size(new))), Some(new)),
        Outcome::Remove => ((old_size, None), None),
        Outcome::Nothing => ((old_size, None), old),
    };
    let table_bytes = sizes.0.unwrap_or(0).max(sizes.1.unwrap_or(0));
    let factor = if transactional { 2.0 } else { 1.0 };
    let mut consumed = Consumed::table(write_units(table_bytes) * factor);
    let mut charges = Vec::with_capacity(1 + table.indexes.len());
    let mut table_charge = consumed.table;
    if !matches!(plan.outcome, Outcome::Nothing) {
        for (i, index) in table.indexes.iter().enumerate() {
            let parts = index.write_cost(&table.key_schema, &plan.key, old, new);
            let units: f64 = parts.iter().map(|(_, u)| u).sum();
            if units <= 0.0 {
                continue;
            }
            let global = index.kind == IndexKind::Global;
            consumed.indexes.push((index.name.clone(), units, global));
            if global {
                for (pk, u) in parts {
                    charges.push(Charge::new(On::Index(i), Access::Write, pk.token, pk.value, u));
                }
            } else {
                // An LSI lives on its table's partitions and shares their capacity.
                table_charge += units;
            }
        }
    }
    if !matches!(plan.outcome, Outcome::Nothing) && !table.vectors.is_empty() {
        consumed.vectors = table.vectors.write_bytes(&table.key_schema, &plan.key, old, new);
    }
    let key = &plan.key.partition;
    charges.insert(0, Charge::new(On::Table, Access::Write, key.token, key.value.clone(), table_charge));
    (consumed, charges, sizes)
}

/// The old and new item's sizes a write's units were computed from (`None`: no such item).
pub(crate) type Sizes = (Option<usize>, Option<usize>);

/// Notes a planned write's units in the request's trace ("why?"): the old and new sizes
/// `cost` compared, and the units it gave the table and each index.
pub(crate) fn note_write(
    trace: &crate::explain::trace::Recorder,
    table: &Table,
    plan: &Plan,
    sizes: Sizes,
    consumed: &Consumed,
    transactional: bool,
) {
    use crate::explain::trace::{WriteKind, WriteStep};
    let micro = |units: f64| (units * crate::capacity::bucket::MICRO as f64).round() as i64;
    trace.write(&table.name, |t| WriteStep {
        table: t,
        kind: match plan.outcome {
            Outcome::Store(_) => WriteKind::Store,
            Outcome::Remove => WriteKind::Remove,
            Outcome::Nothing => WriteKind::Nothing,
        },
        old: sizes.0.map(|s| s as u64),
        new: sizes.1.map(|s| s as u64),
        transactional,
        micro: micro(consumed.table),
        indexes: consumed.indexes.iter().map(|(n, u, g)| (n.clone(), micro(*u), *g)).collect(),
        vectors: consumed.vectors.clone(),
        billed_vectors: charged_item(plan, sizes).map_or_else(Vec::new, |i| table.vectors.billed_vectors(i)),
    });
}

/// The item whose size a write's units were computed from: the larger of the old and new.
fn charged_item(plan: &Plan, sizes: Sizes) -> Option<&Item> {
    match &plan.outcome {
        Outcome::Store(new) if sizes.1 >= sizes.0 => Some(new),
        _ => plan.old.as_ref(),
    }
}

/// Admits a single-item write's charges or answers with the throttling error; on success the
/// plan is committed and its consumption returned.
pub(crate) fn charge_and_commit(table: &mut Table, env: &Env<'_>, plan: Plan) -> ApiResult<Consumed> {
    // A strongly consistent global table's write needs its quorum and a free item.
    crate::global::strong::check_write(table, &plan.key, env.now)?;
    let (consumed, charges, sizes) = cost(table, &plan, false);
    note_write(env.trace, table, &plan, sizes, &consumed, false);
    env.admit(table, &charges)?;
    commit(table, plan, env.now, env.lag);
    admission::after_write(table, env.now, &charges);
    Ok(consumed)
}

/// Applies a caller's plan at engine time `now`, under the replication delays `lag`; returns
/// the capacity it consumed.
pub(crate) fn commit(table: &mut Table, plan: Plan, now: u64, lag: Lag) -> Consumed {
    commit_as(table, plan, now, lag, Origin::User)
}

/// Applies a plan made by `origin`. Tables, indexes, TTL deadlines and the stream change here
/// only, so every committed change reaches the stream exactly once, in commit order — and
/// the lagging replica and indexes keep what it replaced (`replication`). The plan's old item
/// is the item the commit replaces: every plan is committed before another write to its item
/// is planned (a transaction names each item once).
pub(crate) fn commit_as(table: &mut Table, plan: Plan, now: u64, lag: Lag, origin: Origin) -> Consumed {
    crate::streams::follow_partitions(table, now);
    let key = plan.key;
    if !lag.is_off() {
        let new = match &plan.outcome {
            Outcome::Store(new) => Some(new),
            _ => None,
        };
        if !matches!(plan.outcome, Outcome::Nothing) {
            crate::replication::hold_before_write(table, &key, new, now, lag);
        }
    }
    let consumed = match plan.outcome {
        Outcome::Store(new) => {
            let size = table.billed_size(&new);
            let old = plan.old;
            let index_units = table.put_over(&key, &new, old.as_ref());
            // Point-in-time recovery keeps what the write replaced (`backups/history.rs`).
            crate::backups::history::record(table, &key, old.as_ref(), now);
            if let Some(replica) = table.replica.as_mut().filter(|_| origin != Origin::Replication) {
                replica.outbox.push((key.clone(), Some(new.clone())));
            }
            if let Some(log) = table.stream_log.as_mut() {
                let keys = table.key_schema.key_item_from(&key);
                let change = Change { keys, old: old.as_ref(), new: Some(&new), origin };
                log.record(&key, &change, now);
            }
            let old_size = old.as_ref().map_or(0, |o| table.billed_size(o));
            consumed_of(old_size.max(size), index_units)
        }
        Outcome::Remove => {
            let old = plan.old;
            let index_units = old.as_ref().map_or_else(Vec::new, |o| table.delete_over(&key, o));
            // Deleting nothing changes nothing to undo.
            if old.is_some() {
                crate::backups::history::record(table, &key, old.as_ref(), now);
            }
            if let Some(replica) = table.replica.as_mut().filter(|_| origin != Origin::Replication) {
                replica.outbox.push((key.clone(), None));
            }
            if let Some(log) = table.stream_log.as_mut() {
                let keys = table.key_schema.key_item_from(&key);
                log.record(&key, &Change { keys, old: old.as_ref(), new: None, origin }, now);
            }
            consumed_of(old.as_ref().map_or(0, |o| table.billed_size(o)), index_units)
        }
        Outcome::Nothing => consumed_of(plan.old.as_ref().map_or(0, |o| table.billed_size(o)), Vec::new()),
    };
    admission::settle(table, now);
    consumed
}

fn consumed_of(bytes: usize, indexes: Vec<IndexUnits>) -> Consumed {
    Consumed {
        table: write_units(bytes),
        indexes: indexes.into_iter().filter(|(_, u, _)| *u > 0.0).collect(),
        vectors: Vec::new(),
    }
}

/// The `ReturnValues` request member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReturnValues {
    None,
    AllOld,
    UpdatedOld,
    AllNew,
    UpdatedNew,
}

impl ReturnValues {
    /// Reads the member (already checked against its enum).
    pub fn from_request(request: &Value) -> Self {
        match request::string(request, "ReturnValues") {
            Some("ALL_OLD") => Self::AllOld,
            Some("UPDATED_OLD") => Self::UpdatedOld,
            Some("ALL_NEW") => Self::AllNew,
            Some("UPDATED_NEW") => Self::UpdatedNew,
            _ => Self::None,
        }
    }
}

impl ReturnValues {
    /// The `Attributes` a write answers with: the item before or after it, whole or (after an
    /// UpdateExpression) only the attributes the update named.
    pub fn attributes(self, action: &WriteAction, plan: &Plan) -> Option<Item> {
        let new = match &plan.outcome {
            Outcome::Store(new) => Some(new),
            _ => None,
        };
        match (self, action, &plan.old, new) {
            (Self::AllOld, _, old, _) => old.clone(),
            (Self::AllNew, _, _, new) => new.cloned(),
            (Self::UpdatedOld, WriteAction::Update(Some(u)), Some(old), _) => Some(u.project_updated(old)),
            (Self::UpdatedNew, WriteAction::Update(Some(u)), _, Some(new)) => Some(u.project_updated(new)),
            _ => None,
        }
    }
}

/// A write's condition: its ConditionExpression, else the legacy `Expected` it stands for.
pub(crate) fn condition(
    request: &Value,
    attrs: &mut ExpressionAttributes,
    expected: Option<Condition>,
) -> ApiResult<Option<Condition>> {
    match request::string(request, "ConditionExpression") {
        Some(text) => Ok(Some(crate::expr::parse_condition(text, ConditionKind::Condition, attrs)?)),
        None => Ok(expected),
    }
}

/// `ReturnValues` of PutItem and DeleteItem, which can only return the old item.
pub(crate) fn old_item_return_values(request: &Value) -> ApiResult<ReturnValues> {
    let return_values = ReturnValues::from_request(request);
    if !matches!(return_values, ReturnValues::None | ReturnValues::AllOld) {
        return Err(
            ApiError::validation("ReturnValues can only be ALL_OLD or NONE").because(Cause::RequestCheck)
        );
    }
    Ok(return_values)
}

/// Plans a single-item write, charges and commits it, and builds its response: `Attributes`
/// as `return_values` asks, ItemCollectionMetrics and ConsumedCapacity when asked for.
pub(crate) fn execute(
    table: &mut Table,
    env: &Env<'_>,
    request: &Value,
    key: PrimaryKey,
    mut action: WriteAction,
    condition: Option<&Condition>,
    return_values: ReturnValues,
) -> ApiResult<Value> {
    // Only a conditional write can fail its condition; keep its partition for the charge.
    let partition = condition.map(|_| key.partition.clone());
    let plan = match plan(table, key, &mut action, condition, env.collection_limit) {
        Ok(plan) => plan,
        Err(PlanError::ConditionFailed(old)) => {
            if let Some(partition) = &partition {
                charge_failed_condition(table, env, partition, old.as_ref())?;
            }
            return Err(PlanError::ConditionFailed(old).into_api_error(request));
        }
        Err(err) => return Err(err.into_api_error(request)),
    };
    let attributes = return_values.attributes(&action, &plan);
    let collection_key = super::item_collection::wanted(table, request).then(|| plan.key.clone());
    let consumed = charge_and_commit(table, env, plan)?;
    let mut body = response(attributes, &consumed, &table.name, request);
    if let Some(key) = collection_key {
        super::item_collection::add_metrics(&mut body, table, &key);
    }
    Ok(body)
}

/// A write whose condition failed still consumes write capacity: the existing item's size in
/// write units, at least 1 (DynamoDB's developer guide, "Condition expressions"). The error
/// carries no ConsumedCapacity, but the table's buckets and metrics are charged — and with no
/// capacity left the request is throttled instead, as DynamoDB throttles before evaluating.
fn charge_failed_condition(
    table: &mut Table,
    env: &Env<'_>,
    partition: &crate::types::PartitionKey,
    old: Option<&Item>,
) -> ApiResult<()> {
    let old_size = old.map_or(0, |o| table.billed_size(o));
    let units = write_units(old_size);
    let charge = Charge::new(On::Table, Access::Write, partition.token, partition.value.clone(), units);
    env.trace.write(&table.name, |t| crate::explain::trace::WriteStep {
        table: t,
        kind: crate::explain::trace::WriteKind::ConditionFailed,
        old: old.map(|_| old_size as u64),
        new: None,
        transactional: false,
        micro: charge.micro,
        indexes: Vec::new(),
        vectors: Vec::new(),
        billed_vectors: old.map_or_else(Vec::new, |o| table.vectors.billed_vectors(o)),
    });
    env.admit(table, std::slice::from_ref(&charge))
}

/// Builds a write's response: `Attributes` when there are any, `ConsumedCapacity` when asked.
pub(crate) fn response(
    attributes: Option<Item>,
    consumed: &Consumed,
    table_name: &str,
    request: &Value,
) -> Value {
    let mut body = Map::new();
    if let Some(attrs) = attributes.filter(|a| !a.is_empty()) {
        body.insert("Attributes".into(), item_to_json(&attrs));
    }
    if let Some(c) = consumed.to_json(table_name, ReturnConsumedCapacity::from_request(request)) {
        body.insert("ConsumedCapacity".into(), c);
    }
    Value::Object(body)
}
