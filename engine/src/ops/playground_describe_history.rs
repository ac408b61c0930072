//! PlaygroundDescribeHistory: a table's point-in-time recovery window, the changes in it, and
//! (with `RestoreDateTime`) its items as they were then, paged like Scan — without making a
//! table or charging capacity (`backups/preview.rs`).

use serde_json::Value;

use super::describe_continuous_backups::table_not_found;
use super::request;
use crate::backups::preview::{self, MAX_ITEMS};
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("TableName", Str, &[Required, NamePattern, MinLength(3), MaxLength(255)]),
        field("RestoreDateTime", Double, &[]),
        field("Limit", Integer, &[Min(1), Max(MAX_ITEMS as i64)]),
        field("ExclusiveStartKey", Map(&AttributeValue), &[]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let name = request::string(request, "TableName").unwrap_or_default();
    let table = engine.tables.get(name).ok_or_else(|| table_not_found(name))?;
    // Seconds to milliseconds as RestoreTableToPointInTime reads them.
    let at_ms =
        request.get("RestoreDateTime").and_then(Value::as_f64).map(|s| (s.max(0.0) * 1000.0).round() as u64);
    let start = super::query::exclusive_start_key(request)?;
    let limit = request::integer(request, "Limit").map_or(100, |l| l as usize);
    preview::describe(table, engine.now_ms, at_ms, start.as_ref(), limit)
}
