//! PlaygroundExplainTable: why a table (and each GSI) has the partitions it has, what each
//! can serve, the state of its burst buckets and of the pool adaptive capacity lends from,
//! and its hot keys — from the live state, O(partitions).

use serde_json::{json, Map, Value};

use super::request;
use crate::capacity::admission::{self, On};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::explain::{list_json, table};
use crate::table::IndexKind;
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("TableName", Str, &[NotNull])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let now = engine.now_ms;
    let limit = engine.playground.settings.partition_size_limit;
    let name = request::string(request, "TableName").unwrap_or_default();
    let (tables, layout) = engine.tables_with_layout();
    let table = tables.get_mut(name).ok_or_else(ApiError::resource_not_found)?;
    admission::maintain_all(table, layout);
    let mut resources = vec![(None, On::Table)];
    for (i, index) in table.indexes.iter().enumerate() {
        if index.kind == IndexKind::Global {
            resources.push((Some(index.name.clone()), On::Index(i)));
        }
    }
    let mut body = Map::new();
    body.insert("TableName".into(), json!(table.name));
    let mut globals = Vec::new();
    for (index, on) in resources {
        let mode = admission::mode_of(table, on);
        let Some(resource) = admission::resource_mut(table, on) else { continue };
        let list = [
            table::partition_count(resource, mode, limit, now),
            table::partition_capacity(resource, mode, now),
            table::hot_keys(resource, now),
        ];
        let mut m = Map::new();
        if let Some(index) = index {
            m.insert("IndexName".into(), json!(index));
        }
        m.insert("PartitionCount".into(), json!(resource.partitions.parts.len()));
        m.insert("Summary".into(), json!(list[0].summary));
        m.insert("Explanations".into(), list_json(&list));
        match on {
            On::Table => {
                body.insert("Table".into(), Value::Object(m));
            }
            On::Index(_) => globals.push(Value::Object(m)),
        }
    }
    if !globals.is_empty() {
        body.insert("GlobalSecondaryIndexes".into(), Value::Array(globals));
    }
    Ok(Value::Object(body))
}
