//! Making a restored table: from a backup's table document, or from a table and its history.
//!
//! What the restored table has, and what it leaves out, follows the API reference
//! (RestoreTableToPointInTime, RestoreTableFromBackup): its GSIs, LSIs, billing mode,
//! provisioned throughput and encryption come from the source (the overrides replace them);
//! auto scaling policies, IAM policies, CloudWatch metrics and alarms, tags, stream settings,
//! Time to Live settings and point-in-time recovery settings must be set up again — so they
//! are left out. Deletion protection is left out too, and resource-based policies are IAM
//! policies. The table class is kept.

use serde_json::{json, Map, Value};

use super::{Restore, RESTORE_MS};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::validate::{Field, Shape};

/// The override members both restores take.
pub(crate) const OVERRIDES: [Field; 6] = {
    use crate::validate::shapes::*;
    const KEY_ELEMENTS: Shape = List(&Struct("KeySchemaElement", KEY_SCHEMA_ELEMENT));
    const INDEX: &[Field] = &[
        field("IndexName", Str, &[NotNull, NamePattern, MinLength(3), MaxLength(255)]),
        field("KeySchema", KEY_ELEMENTS, &[NotNull, MinLength(1)]),
        field("Projection", Struct("Projection", PROJECTION), &[NotNull]),
        field("ProvisionedThroughput", Struct("ProvisionedThroughput", PROVISIONED_THROUGHPUT), &[]),
        field("OnDemandThroughput", Struct("OnDemandThroughput", ON_DEMAND_THROUGHPUT), &[]),
    ];
    [
        field("BillingModeOverride", Str, &[Enum(&["PROVISIONED", "PAY_PER_REQUEST"])]),
        field("GlobalSecondaryIndexOverride", List(&Struct("GlobalSecondaryIndex", INDEX)), &[]),
        field("LocalSecondaryIndexOverride", List(&Struct("LocalSecondaryIndex", INDEX)), &[]),
        field("ProvisionedThroughputOverride", Struct("ProvisionedThroughput", PROVISIONED_THROUGHPUT), &[]),
        field("SSESpecificationOverride", Struct("SSESpecification", SSE_SPECIFICATION), &[]),
        field("VectorIndexOverride", List(&Struct("VectorIndex", VECTOR_INDEX)), &[]),
    ]
};

/// Members of the source that a restored table does not get.
const LEFT_OUT: &[&str] = &[
    "Tags",
    "StreamSpecification",
    "TimeToLiveSpecification",
    "PointInTimeRecoveryEnabled",
    "RecoveryPeriodInDays",
    "ResourcePolicy",
    "DeletionProtectionEnabled",
    "TableId",
    "State",
    "StreamState",
];

pub(crate) fn table_already_exists(name: &str) -> ApiError {
    ApiError::new(ErrorKind::TableAlreadyExists, format!("Table already exists: {name}"))
}

/// The vector indexes a `VectorIndexOverride` keeps: by the API reference, "the indexes provided
/// must match existing vector indexes from the backup" — some or all of them may be left out.
fn vector_override(source: &Value, request: &Value) -> ApiResult<Option<Value>> {
    let Some(wanted) = request.get("VectorIndexOverride").and_then(Value::as_array) else { return Ok(None) };
    let existing = source.get("VectorIndexes").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    for index in wanted {
        if !existing.contains(index) {
            let name = index.get("IndexName").and_then(Value::as_str).unwrap_or_default();
            return Err(ApiError::validation(format!(
                "VectorIndexOverride: {name} does not match a vector index of the source table"
            )));
        }
    }
    Ok(Some(Value::Array(wanted.clone())))
}

/// The source's document made into the target's: renamed, left-outs dropped, overrides applied.
fn target_document(source: &Value, target: &str, request: &Value, now: u64) -> Value {
    let mut t: Map<String, Value> = source.as_object().cloned().unwrap_or_default();
    for member in LEFT_OUT {
        t.remove(*member);
    }
    t.insert("TableName".into(), json!(target));
    t.insert("CreationDateTime".into(), json!(now));
    if let Some(v) = request.get("GlobalSecondaryIndexOverride") {
        t.insert("GlobalSecondaryIndexes".into(), v.clone());
    }
    if let Some(v) = request.get("LocalSecondaryIndexOverride") {
        t.insert("LocalSecondaryIndexes".into(), v.clone());
    }
    if let Some(v) = request.get("BillingModeOverride") {
        t.insert("BillingMode".into(), v.clone());
    }
    if let Some(v) = request.get("ProvisionedThroughputOverride") {
        t.insert("ProvisionedThroughput".into(), v.clone());
    }
    if t.get("BillingMode") == Some(&json!("PAY_PER_REQUEST")) {
        t.remove("ProvisionedThroughput");
        for list in ["GlobalSecondaryIndexes"] {
            for index in t.get_mut(list).and_then(Value::as_array_mut).into_iter().flatten() {
                if let Some(i) = index.as_object_mut() {
                    i.remove("ProvisionedThroughput");
                }
            }
        }
    }
    if let Some(v) = request.get("SSESpecificationOverride") {
        t.insert("SSESpecification".into(), v.clone());
    }
    // An empty override list means no such indexes.
    for list in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
        if t.get(list).and_then(Value::as_array).is_some_and(Vec::is_empty) {
            t.remove(list);
        }
    }
    // Attribute definitions only the replaced indexes used go with them (CreateTable refuses
    // definitions no key uses).
    if request.get("GlobalSecondaryIndexOverride").is_some()
        || request.get("LocalSecondaryIndexOverride").is_some()
    {
        let mut used: Vec<Value> = Vec::new();
        let schemas = std::iter::once(t.get("KeySchema")).chain(
            ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"]
                .iter()
                .flat_map(|l| t.get(*l).and_then(Value::as_array).into_iter().flatten())
                .map(|i| i.get("KeySchema")),
        );
        for schema in schemas.flatten().filter_map(Value::as_array) {
            used.extend(schema.iter().filter_map(|k| k.get("AttributeName").cloned()));
        }
        if let Some(defs) = t.get_mut("AttributeDefinitions").and_then(Value::as_array_mut) {
            defs.retain(|d| d.get("AttributeName").is_some_and(|n| used.contains(n)));
        }
    }
    Value::Object(t)
}

/// Creates `target` from `source` (a table document), undoing `undo` on it afterwards, and
/// answers the restore's `TableDescription`.
pub(crate) fn create(
    engine: &mut Engine,
    source: &Value,
    target: &str,
    request: &Value,
    undo: &[(crate::types::Item, bool)],
    mut summary: Value,
) -> ApiResult<Value> {
    if engine.tables.contains_key(target) {
        return Err(table_already_exists(target));
    }
    let now = engine.now_ms;
    let vectors = vector_override(source, request)?;
    let mut document = target_document(source, target, request, now);
    match vectors {
        // An empty override: no vector indexes (CreateTable refuses an empty list).
        Some(Value::Array(list)) if list.is_empty() => {
            document.as_object_mut().map(|t| t.remove("VectorIndexes"));
        }
        Some(vectors) => document["VectorIndexes"] = vectors,
        None => {}
    }
    crate::workspace::import_restored(engine, &document)?;
    let (region, account) = (engine.config.region.clone(), engine.config.account_id.clone());
    let table = engine.tables.get_mut(target).ok_or_else(ApiError::resource_not_found)?;
    for (image, existed) in undo {
        let Ok(key) = table.key_schema.key_of_item(image) else { continue };
        if *existed {
            table.put(key, image);
        } else {
            table.delete(&key);
        }
    }
    // The layout the items and throughput call for, at once, as after any write (a replay
    // makes the same one).
    crate::capacity::admission::settle(table, now);
    let table_id = table.table_id.clone();
    summary["RestoreDateTime"] =
        summary.get("RestoreDateTime").cloned().unwrap_or(json!(now as f64 / 1000.0));
    let backups =
        engine.backups.get_or_default::<super::Backups>().ok_or_else(crate::features::no_backups)?;
    backups.restores.push(Restore { table_id, until_ms: now + RESTORE_MS, summary });
    let table = engine.tables.get(target).ok_or_else(ApiError::resource_not_found)?;
    let mut description = table.describe(&region, &account, now, Some("CREATING"));
    super::decorate(engine, table, &mut description);
    Ok(json!({ "TableDescription": description }))
}
