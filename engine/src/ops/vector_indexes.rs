//! The vector indexes of CreateTable (`VectorIndexes`) and UpdateTable (`VectorIndexUpdates`):
//! their definitions checked against the table, then created (an UpdateTable's is backfilled
//! at once and stays CREATING, `Backfilling: true`, for `INDEX_BACKFILL_MS` of engine time, as
//! a GSI does) or deleted (DELETING for `INDEX_DELETE_MS`). The index itself is `vector/`.
//!
//! Texts quoted from DynamoDB's documentation: "One element in SearchSchema is not defined in
//! attribute definitions" and "Subscriber limit exceeded: Only 1 online index can be created or
//! deleted simultaneously per table" (shared with GSIs). For the other refusals (provisioned
//! tables, the limits on dimensions, indexes and search schemas) DynamoDB publishes no text:
//! they follow the wording of the like GSI refusal, and each says so.

use serde_json::Value;

use super::create_table;
use super::request;
use crate::control::{INDEX_BACKFILL_MS, INDEX_DELETE_MS};
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::table::{Projection, Table};
use crate::types::{KeySchema, ScalarType};
use crate::vector::{
    DistanceFunction, Role, SchemaElement, VectorIndex, MAX_DIMENSIONS, MAX_INLINE_FILTERS,
    MAX_PROJECTED_ATTRIBUTES, MAX_VECTOR_INDEXES,
};

/// Vector indexes need an on-demand table (not documented word for word).
fn not_on_demand() -> ApiError {
    ApiError::invalid_parameter(
        "Vector indexes are only supported on tables with BillingMode PAY_PER_REQUEST",
    )
}

fn limit_exceeded() -> ApiError {
    ApiError::new(
        ErrorKind::LimitExceeded,
        "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table",
    )
}

/// CreateTable's `VectorIndexes`, checked against the table being created. `taken` holds the
/// names of its GSIs and LSIs (one namespace for every index of a table).
pub(super) fn from_create_table(
    request: &Value,
    definitions: &[(String, ScalarType)],
    table_schema: &KeySchema,
    pay_per_request: bool,
    taken: &[&str],
) -> ApiResult<Vec<VectorIndex>> {
    let Some(specs) = request.get("VectorIndexes").and_then(Value::as_array) else { return Ok(Vec::new()) };
    if specs.is_empty() {
        return Err(ApiError::invalid_parameter("List of VectorIndexes is empty"));
    }
    if !pay_per_request {
        return Err(not_on_demand());
    }
    let mut indexes: Vec<VectorIndex> = Vec::new();
    for spec in specs {
        let index = vector_index(spec, definitions, table_schema)?;
        if taken.contains(&index.name.as_str()) || indexes.iter().any(|i| i.name == index.name) {
            return Err(ApiError::invalid_parameter(format!("Duplicate index name: {}", index.name)));
        }
        check_same_dimensions(indexes.iter(), &index)?;
        indexes.push(index);
    }
    if indexes.len() > MAX_VECTOR_INDEXES {
        // After GSIs' "GlobalSecondaryIndex count exceeds the per-table limit of 20".
        return Err(ApiError::invalid_parameter(format!(
            "VectorIndex count exceeds the per-table limit of {MAX_VECTOR_INDEXES}"
        )));
    }
    Ok(indexes)
}

/// "If multiple vector indexes reference the same attribute, they must all use the same number
/// of dimensions" (the API reference; the refusal's text is not published).
fn check_same_dimensions<'a>(
    existing: impl Iterator<Item = &'a VectorIndex>,
    index: &VectorIndex,
) -> ApiResult<()> {
    for other in existing {
        if other.attribute == index.attribute && other.dimensions != index.dimensions {
            return Err(ApiError::invalid_parameter(format!(
                "Vector indexes on the same attribute must have the same Dimensions. Attribute: {}, IndexName: {}, Dimensions: {}, IndexName: {}, Dimensions: {}",
                index.attribute, other.name, other.dimensions, index.name, index.dimensions
            )));
        }
    }
    Ok(())
}

/// One `VectorIndex` (or `CreateVectorIndexAction`), shape-checked, against the definitions.
pub(super) fn vector_index(
    spec: &Value,
    definitions: &[(String, ScalarType)],
    table_schema: &KeySchema,
) -> ApiResult<VectorIndex> {
    let name = request::string(spec, "IndexName").unwrap_or_default().to_owned();
    let attribute = spec.get("VectorAttribute").and_then(|v| request::string(v, "AttributeName"));
    let attribute = attribute.unwrap_or_default().to_owned();
    let dimensions = request::integer(spec, "Dimensions").unwrap_or(1);
    if dimensions > MAX_DIMENSIONS {
        return Err(ApiError::invalid_parameter(format!(
            "Dimensions for vector index {name} must be between 1 and {MAX_DIMENSIONS}, but was {dimensions}"
        )));
    }
    let function = request::string(spec, "DistanceFunction").and_then(DistanceFunction::parse);
    let function = function.unwrap_or(DistanceFunction::Cosine);
    let mut schema: Vec<SchemaElement> = Vec::new();
    for element in spec.get("SearchSchema").and_then(Value::as_array).into_iter().flatten() {
        let element_name = request::string(element, "AttributeName").unwrap_or_default();
        let role = match request::string(element, "SearchSchemaElementType") {
            Some("HASH") => Role::Hash,
            _ => Role::InlineFilter,
        };
        let Some((_, scalar_type)) = definitions.iter().find(|(n, _)| n == element_name) else {
            return Err(ApiError::invalid_parameter(
                "One element in SearchSchema is not defined in attribute definitions",
            ));
        };
        if schema.iter().any(|e| e.name == element_name) {
            return Err(ApiError::invalid_parameter(format!(
                "Duplicate AttributeName in SearchSchema: {element_name}. IndexName: {name}"
            )));
        }
        schema.push(SchemaElement { name: element_name.to_owned(), role, scalar_type: *scalar_type });
    }
    if schema.iter().filter(|e| e.role == Role::Hash).count() > 1 {
        return Err(ApiError::invalid_parameter(format!(
            "SearchSchema can have at most one HASH element. IndexName: {name}"
        )));
    }
    let inline_filters = schema.iter().filter(|e| e.role == Role::InlineFilter).count();
    if inline_filters > MAX_INLINE_FILTERS {
        return Err(ApiError::invalid_parameter(format!(
            "SearchSchema can have at most {MAX_INLINE_FILTERS} INLINE_FILTER elements. IndexName: {name}"
        )));
    }
    if table_schema.is_key(&attribute) || schema.iter().any(|e| e.name == attribute) {
        return Err(ApiError::invalid_parameter(format!(
            "The vector attribute cannot be a key or SearchSchema attribute: {attribute}. IndexName: {name}"
        )));
    }
    let projection = create_table::projection(spec.get("Projection"))?;
    let non_key = match &projection {
        Projection::Include(names) => names.len(),
        Projection::All | Projection::KeysOnly => 0,
    };
    if non_key + 1 + inline_filters > MAX_PROJECTED_ATTRIBUTES {
        return Err(ApiError::invalid_parameter(format!(
            "The number of projected attributes of vector index {name} exceeds the limit of {MAX_PROJECTED_ATTRIBUTES}: NonKeyAttributes {non_key}, the vector attribute 1, INLINE_FILTER elements {inline_filters}"
        )));
    }
    Ok(VectorIndex::new(name, attribute, dimensions.max(1) as usize, function, schema, projection))
}

/// UpdateTable's vector index change, checked.
#[derive(Default)]
pub(super) struct Plan {
    create: Option<VectorIndex>,
    /// New attribute definitions the created index's search schema names.
    definitions: Vec<(String, ScalarType)>,
    delete: Option<String>,
}

impl Plan {
    /// Whether the request changes no vector index.
    pub fn is_empty(&self) -> bool {
        self.create.is_none() && self.delete.is_none()
    }
}

/// The action of one `VectorIndexUpdate`: ("Create" | "Delete", its members).
fn action(update: &Value) -> Option<(&'static str, &Value)> {
    ["Create", "Delete"]
        .into_iter()
        .find_map(|kind| update.get(kind).filter(|v| !v.is_null()).map(|v| (kind, v)))
}

/// Checks made before the table is looked up: one action per entry (worded as a
/// GlobalSecondaryIndexUpdate's).
pub(super) fn check_without_table(updates: &[Value]) -> ApiResult<()> {
    for update in updates {
        let Some(_) = action(update) else {
            return Err(ApiError::invalid_parameter(
                "One of VectorIndexUpdate.Create, VectorIndexUpdate.Delete must not be null",
            ));
        };
        if ["Create", "Delete"].iter().filter(|k| request::is_present(update, k)).count() > 1 {
            return Err(ApiError::invalid_parameter(
                "Only one vector index action is allowed per VectorIndexUpdate object",
            ));
        }
    }
    Ok(())
}

/// Checks the request's `VectorIndexUpdates` against the table. `target_ppr` is the billing
/// mode the table will have; `gsi_online` whether the request also creates or deletes a GSI.
pub(super) fn plan(
    table: &Table,
    request: &Value,
    target_ppr: bool,
    gsi_online: bool,
    now: u64,
) -> ApiResult<Plan> {
    let updates = request.get("VectorIndexUpdates").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    let busy = table.vectors.busy(now)
        || table.indexes.iter().any(|i| !i.control.readable(now))
        || table.control.deleting_at(now).next().is_some();
    // "You can add or remove one vector index for each UpdateTable operation", and one online
    // index operation runs at a time per table, GSIs included.
    if updates.len() > 1
        || (!updates.is_empty() && (busy || gsi_online))
        || (gsi_online && table.vectors.busy(now))
    {
        return Err(limit_exceeded());
    }
    if !target_ppr && !table.vectors.is_empty() {
        return Err(not_on_demand());
    }
    let mut plan = Plan::default();
    match updates.first().and_then(action) {
        None => {}
        Some(("Delete", spec)) => {
            let name = request::string(spec, "IndexName").unwrap_or_default();
            if table.vectors.get(name).is_none() {
                // As a GSI that is not there.
                return Err(ApiError::new(
                    ErrorKind::ResourceNotFound,
                    format!("Requested resource not found: Index {name} for table {}", table.name),
                ));
            }
            plan.delete = Some(name.to_owned());
        }
        Some((_, spec)) => {
            let name = request::string(spec, "IndexName").unwrap_or_default();
            if table.index(name).is_some() || table.vectors.get(name).is_some() {
                return Err(ApiError::validation("Attempting to create an index which already exists"));
            }
            if !target_ppr {
                return Err(not_on_demand());
            }
            // The search schema's attributes: declared in this request, or already the table's.
            let declared = create_table::attribute_definitions(request)?;
            let mut known = table.attribute_definitions.clone();
            for (n, t) in &declared {
                match known.iter().find(|(k, _)| k == n) {
                    Some((_, existing)) if existing != t => {
                        return Err(ApiError::invalid_parameter(format!(
                            "Attributes cannot be redefined. Please check that your attribute has the same type as previously defined. Attribute: {n}"
                        )))
                    }
                    Some(_) => {}
                    None => known.push((n.clone(), *t)),
                }
            }
            let index = vector_index(spec, &known, &table.key_schema)?;
            check_same_dimensions(table.vectors.indexes.iter(), &index)?;
            if table.vectors.indexes.len() >= MAX_VECTOR_INDEXES {
                return Err(ApiError::new(
                    ErrorKind::LimitExceeded,
                    format!("One or more parameter values were invalid: VectorIndex count exceeds the per-table limit of {MAX_VECTOR_INDEXES}"),
                ));
            }
            for element in &index.search_schema {
                if !table.attribute_definitions.iter().any(|(n, _)| *n == element.name) {
                    plan.definitions.push((element.name.clone(), element.scalar_type));
                }
            }
            plan.create = Some(index);
        }
    }
    Ok(plan)
}

/// Applies a checked plan at engine time `now`.
pub(super) fn apply(table: &mut Table, plan: Plan, now: u64, table_arn: &str) {
    if let Some(name) = plan.delete {
        table.vectors.remove(&name, table_arn, now, now + INDEX_DELETE_MS);
        table.vectors.recount(table.items.iter().map(|entry| entry.item()));
        // Definitions only the deleted index's search schema named go with it.
        let Table { attribute_definitions, key_schema, indexes, vectors, .. } = table;
        attribute_definitions.retain(|(n, _)| {
            key_schema.is_key(n)
                || indexes.iter().any(|i| i.key_schema.is_key(n))
                || vectors.uses_definition(n)
        });
    }
    if let Some(mut index) = plan.create {
        table.attribute_definitions.extend(plan.definitions);
        index.ready_at_ms = now + INDEX_BACKFILL_MS;
        crate::vector::backfill(table, index);
    }
}
