//! UpdateTable's GlobalSecondaryIndexUpdates: checked in full first (a rejected request
//! changes nothing), then applied — a created index is backfilled at once and stays CREATING
//! for `INDEX_BACKFILL_MS` of engine time; a deleted one is shown DELETING for
//! `INDEX_DELETE_MS`.

use serde_json::{json, Value};

use super::create_table::{self, MAX_CAPACITY_UNITS};
use super::request;
use super::throughput_settings::{
    check_max_on_update, merge_max, requested_max, requested_warm, warm, Owner, Requested,
};
use crate::control::{DeletingIndex, WarmRequest, INDEX_BACKFILL_MS, INDEX_DELETE_MS, TABLE_UPDATE_MS};
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::table::{BillingMode, IndexKind, SecondaryIndex, Table};
use crate::types::ScalarType;

const MAX_GLOBAL_INDEXES: usize = 20;

/// The index changes of one UpdateTable, all checked.
#[derive(Default)]
pub(super) struct Plan {
    creates: Vec<SecondaryIndex>,
    /// New attribute definitions the created indexes key on.
    definitions: Vec<(String, ScalarType)>,
    updates: Vec<IndexUpdate>,
    deletes: Vec<String>,
}

/// One checked `Update` of an existing GSI: any of new provisioned throughput, on-demand
/// maxima, warm throughput.
struct IndexUpdate {
    name: String,
    throughput: Option<BillingMode>,
    max_on_demand: Option<Requested>,
    warm: Option<WarmRequest>,
}

impl Plan {
    /// Whether the request changes no index.
    pub fn is_empty(&self) -> bool {
        self.creates.is_empty() && self.updates.is_empty() && self.deletes.is_empty()
    }

    /// Whether an index is created or deleted.
    pub fn creates_or_deletes(&self) -> bool {
        !self.creates.is_empty() || !self.deletes.is_empty()
    }
}

fn limit_exceeded() -> ApiError {
    ApiError::new(
        ErrorKind::LimitExceeded,
        "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table",
    )
}

/// The action of one update entry: ("Update" | "Create" | "Delete", its members).
fn action(update: &Value) -> Option<(&'static str, &Value)> {
    ["Update", "Create", "Delete"]
        .into_iter()
        .find_map(|kind| update.get(kind).filter(|v| !v.is_null()).map(|v| (kind, v)))
}

/// Checks made before the table is looked up: one action per entry, one entry per index.
pub(super) fn check_without_table(updates: &[Value]) -> ApiResult<()> {
    let mut names = crate::types::Seen::default();
    for (position, update) in (1..).zip(updates) {
        let actions =
            ["Update", "Create", "Delete"].iter().filter(|k| request::is_present(update, k)).count();
        let Some((_, spec)) = action(update) else {
            return Err(ApiError::invalid_parameter(
                "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null",
            ));
        };
        if actions > 1 {
            return Err(ApiError::invalid_parameter(
                "Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object",
            ));
        }
        let name = request::string(spec, "IndexName").unwrap_or_default();
        let asks = ["ProvisionedThroughput"].iter().any(|m| request::is_present(spec, m))
            || requested_max(spec).is_some()
            || requested_warm(spec).is_some();
        if update.get("Update").is_some_and(|u| !u.is_null()) && !asks {
            // As before OnDemandThroughput and WarmThroughput: the update needs one of them.
            return Err(crate::validate::detected(&[format!(
                "Value null at 'globalSecondaryIndexUpdates.{position}.member.update.provisionedThroughput' failed to satisfy constraint: Member must not be null"
            )]));
        }
        if !names.insert(name) {
            return Err(ApiError::invalid_parameter(format!(
                "Only one global secondary index update per index is allowed simultaneously. Index: {name}"
            )));
        }
    }
    Ok(())
}

/// Checks every index update against the table; `target_ppr` is the billing mode the table
/// will have.
pub(super) fn plan(table: &Table, request: &Value, target_ppr: bool, now: u64) -> ApiResult<Plan> {
    let updates = request.get("GlobalSecondaryIndexUpdates").and_then(Value::as_array);
    let updates = updates.map_or(&[][..], Vec::as_slice);
    let mut plan = Plan::default();
    let online = updates.iter().filter(|u| matches!(action(u), Some(("Create" | "Delete", _)))).count();
    let busy = table.indexes.iter().any(|i| !i.control.readable(now))
        || table.control.deleting_at(now).next().is_some();
    if updates.len() > 5 || online > 1 || (online > 0 && busy) {
        return Err(limit_exceeded());
    }
    for update in updates {
        match action(update) {
            Some(("Update", spec)) => plan.updates.push(check_update(table, spec, target_ppr, now)?),
            Some(("Delete", spec)) => {
                let name = request::string(spec, "IndexName").unwrap_or_default();
                find_global(table, name, "delete")?;
                plan.deletes.push(name.to_owned());
            }
            Some((_, spec)) => check_create(table, request, spec, target_ppr, now, &mut plan)?,
            None => {}
        }
    }
    // Leaving on-demand: every remaining GSI needs its own throughput in this request.
    if !target_ppr && table.billing == BillingMode::PayPerRequest {
        let missing: Vec<&str> = table
            .indexes
            .iter()
            .filter(|i| i.kind == IndexKind::Global)
            .map(|i| i.name.as_str())
            .filter(|n| {
                !plan.updates.iter().any(|u| u.name == *n && u.throughput.is_some())
                    && !plan.deletes.iter().any(|d| d == n)
            })
            .collect();
        if !missing.is_empty() {
            return Err(ApiError::invalid_parameter(format!(
                "ProvisionedThroughput must be specified for index: {}",
                missing.join(",")
            )));
        }
    }
    if table.indexes.iter().filter(|i| i.kind == IndexKind::Global).count() + plan.creates.len()
        > MAX_GLOBAL_INDEXES
    {
        return Err(ApiError::new(
            ErrorKind::LimitExceeded,
            "One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20",
        ));
    }
    Ok(plan)
}

/// The GSI named `name`, or DynamoDB's error for a missing or local index.
fn find_global<'t>(table: &'t Table, name: &str, verb: &str) -> ApiResult<&'t SecondaryIndex> {
    match table.index(name) {
        Some(index) if index.kind == IndexKind::Global => Ok(index),
        Some(_) => Err(ApiError::validation(format!(
            "Cannot {verb} an index that is not a GlobalSecondaryIndex: {name}"
        ))),
        None => Err(ApiError::new(
            ErrorKind::ResourceNotFound,
            format!("Requested resource not found: Index {name} for table {}", table.name),
        )),
    }
}

fn check_update(table: &Table, spec: &Value, target_ppr: bool, now: u64) -> ApiResult<IndexUpdate> {
    let name = request::string(spec, "IndexName").unwrap_or_default();
    let max_on_demand = requested_max(spec);
    let warm_asked = requested_warm(spec);
    let throughput = match spec.get("ProvisionedThroughput").filter(|v| !v.is_null()) {
        Some(given) => Some(check_provisioned_update(table, name, given, target_ppr)?),
        None => {
            find_global(table, name, "update")?;
            None
        }
    };
    if let Some(asked) = max_on_demand {
        check_max_on_update(asked, !target_ppr, Owner::Index)?;
    }
    let index = find_global(table, name, "update")?;
    let warm = warm_asked.map(|asked| warm(asked, index.control.warm, Owner::Index, now)).transpose()?;
    Ok(IndexUpdate { name: name.to_owned(), throughput, max_on_demand, warm })
}

/// An index's new ProvisionedThroughput, checked.
fn check_provisioned_update(
    table: &Table,
    name: &str,
    throughput: &Value,
    target_ppr: bool,
) -> ApiResult<BillingMode> {
    let read = request::integer(throughput, "ReadCapacityUnits").unwrap_or(0);
    let write = request::integer(throughput, "WriteCapacityUnits").unwrap_or(0);
    if read > MAX_CAPACITY_UNITS || write > MAX_CAPACITY_UNITS {
        return Err(ApiError::validation(
            "This operation cannot be performed with given input values. Please contact DynamoDB service team for more info: Action Blocked: IndexUpdate",
        ));
    }
    let index = find_global(table, name, "update")?;
    if target_ppr {
        return Err(ApiError::invalid_parameter(format!(
            "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: {name} when BillingMode is PAY_PER_REQUEST"
        )));
    }
    let to = BillingMode::Provisioned { read: read as u64, write: write as u64 };
    if let Some(BillingMode::Provisioned { read: cr, write: cw }) = index.throughput {
        if (cr, cw) == (read as u64, write as u64) {
            return Err(ApiError::validation(format!(
                "The provisioned throughput for the index {name} will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the index: {cr}. Requested ReadCapacityUnits: {read}. Current WriteCapacityUnits provisioned for the index: {cw}. Requested WriteCapacityUnits: {write}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits."
            )));
        }
    }
    Ok(to)
}

fn check_create(
    table: &Table,
    request: &Value,
    spec: &Value,
    target_ppr: bool,
    now: u64,
    plan: &mut Plan,
) -> ApiResult<()> {
    let name = request::string(spec, "IndexName").unwrap_or_default();
    if table.index(name).is_some() {
        return Err(ApiError::validation("Attempting to create an index which already exists"));
    }
    if !request::is_present(request, "AttributeDefinitions") {
        return Err(ApiError::invalid_parameter(format!(
            "AttributeDefinitions is not specified for index: {name}"
        )));
    }
    // The new index's key attributes must be declared in this request.
    let declared = create_table::attribute_definitions(request)?;
    let index = create_table::secondary_index(
        spec,
        IndexKind::Global,
        &declared,
        &table.key_schema,
        target_ppr,
        now,
    )?;
    for attr in index.key_schema.attributes() {
        let existing =
            table.attribute_definitions.iter().chain(&plan.definitions).find(|(n, _)| *n == attr.name);
        match existing {
            Some((_, t)) if *t != attr.scalar_type => {
                return Err(ApiError::invalid_parameter(format!(
                    "Attributes cannot be redefined. Please check that your attribute has the same type as previously defined. Attribute: {}",
                    attr.name
                )))
            }
            Some(_) => {}
            None => plan.definitions.push((attr.name.clone(), attr.scalar_type)),
        }
    }
    plan.creates.push(index);
    Ok(())
}

/// Applies a checked plan at engine time `now`.
pub(super) fn apply(table: &mut Table, plan: Plan, now: u64, region: &str, account: &str) {
    let done = now + TABLE_UPDATE_MS;
    for update in plan.updates {
        let Some(index) = table.indexes.iter_mut().find(|i| i.name == update.name) else { continue };
        if let Some(to) = update.throughput {
            let from = index.throughput.unwrap_or(BillingMode::PayPerRequest);
            index.control.warm.raise_floor(crate::table::warm_base(from, &index.entries.capacity));
            index.control.throughput.record(now, done, from, to);
            index.throughput = Some(to);
            index.control.updating_until_ms = done;
        }
        if let Some(asked) = update.max_on_demand {
            index.control.max_on_demand = merge_max(index.control.max_on_demand, asked).0;
        }
        if let Some(warm) = update.warm {
            index.control.warm = warm;
        }
    }
    if !plan.deletes.is_empty() {
        let description = table.describe(region, account, now, None);
        for name in &plan.deletes {
            let shown = description["GlobalSecondaryIndexes"]
                .as_array()
                .and_then(|gsis| gsis.iter().find(|g| g["IndexName"] == json!(name)))
                .cloned();
            if let Some(mut shown) = shown {
                shown["IndexStatus"] = json!("DELETING");
                table
                    .control
                    .deleting_indexes
                    .push(DeletingIndex { description: shown, gone_at_ms: now + INDEX_DELETE_MS });
            }
            table.indexes.retain(|i| i.name != *name);
        }
        // Definitions only the deleted indexes keyed on go with them.
        let Table { attribute_definitions, key_schema, indexes, vectors, .. } = table;
        attribute_definitions.retain(|(n, _)| {
            key_schema.is_key(n)
                || indexes.iter().any(|i| i.key_schema.is_key(n))
                || vectors.uses_definition(n)
        });
    }
    table.attribute_definitions.extend(plan.definitions);
    for mut index in plan.creates {
        index.control.ready_at_ms = now + INDEX_BACKFILL_MS;
        table.add_index(index);
    }
}
