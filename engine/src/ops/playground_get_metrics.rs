//! PlaygroundGetMetrics: per-second metric columns of a table or GSI (or one of its
//! partitions), burst bucket levels included. With `SinceSecond` only the seconds after the
//! last one a chart drew: O(seconds asked for).

use serde_json::{json, Map, Value};

use super::request;
use crate::capacity::admission;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::playground::index_target;
use crate::validate::{self, Field};

/// The request's members, in the order constraint failures are reported in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("TableName", Str, &[]),
        field("IndexName", Str, &[]),
        field("PartitionId", Integer, &[Min(0)]),
        field("SinceSecond", Long, &[]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let now = engine.now_ms;
    let table = request::table_mut(engine, request)?;
    let on = index_target(table, request)?;
    // A negative SinceSecond asks for every second kept, as if absent.
    let since = request::integer(request, "SinceSecond").and_then(|s| u64::try_from(s).ok());
    let no_partition = || ApiError::validation("The table or index has no partition with that PartitionId");
    let partition = match request::integer(request, "PartitionId") {
        None => None,
        Some(p) => Some(u32::try_from(p).map_err(|_| no_partition())?),
    };
    let name = table.name.clone();
    let resource = admission::resource_mut(table, on).ok_or_else(ApiError::resource_not_found)?;
    let series = resource.metrics(now, since, partition).ok_or_else(no_partition)?;
    let mut body = Map::new();
    body.insert("TableName".into(), json!(name));
    if let Some(index) = request.get("IndexName") {
        body.insert("IndexName".into(), index.clone());
    }
    if let Some(p) = partition {
        body.insert("PartitionId".into(), json!(p));
    }
    body.insert("Metrics".into(), series);
    Ok(Value::Object(body))
}
