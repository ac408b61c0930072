//! PlaygroundDescribePartitions: the partition map of a table and of each GSI — partitions,
//! their key ranges, sizes, burst buckets and capacity. O(partitions): a UI may poll it every
//! animation frame.

use serde_json::{json, Map, Value};

use super::request;
use crate::capacity::admission;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::table::{BillingMode, IndexKind};
use crate::validate::{self, Field};

/// The request's members (a missing table is ResourceNotFoundException, as for any name).
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("TableName", Str, &[])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let now = engine.now_ms;
    let limit = engine.playground.settings.partition_size_limit;
    let name = request::string(request, "TableName").unwrap_or_default();
    let (tables, layout) = engine.tables_with_layout();
    let table = tables.get_mut(name).ok_or_else(crate::error::ApiError::resource_not_found)?;
    admission::maintain_all(table, layout);
    let mut body = Map::new();
    body.insert("TableName".into(), json!(table.name));
    body.insert("Now".into(), json!(now));
    body.insert("BillingMode".into(), json!(billing_name(table.billing)));
    body.insert("PartitionSizeLimitBytes".into(), json!(limit));
    body.insert("Table".into(), table.items.capacity.describe_partitions(now));
    let mut globals = Vec::new();
    for index in table.indexes.iter_mut().filter(|i| i.kind == IndexKind::Global) {
        let mut d = index.entries.capacity.describe_partitions(now);
        if let Some(m) = d.as_object_mut() {
            m.insert("IndexName".into(), json!(index.name));
        }
        globals.push(d);
    }
    if !globals.is_empty() {
        body.insert("GlobalSecondaryIndexes".into(), Value::Array(globals));
    }
    Ok(Value::Object(body))
}

fn billing_name(billing: BillingMode) -> &'static str {
    match billing {
        BillingMode::Provisioned { .. } => "PROVISIONED",
        BillingMode::PayPerRequest => "PAY_PER_REQUEST",
    }
}
