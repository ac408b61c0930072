//! PlaygroundDescribeHotKeys: the most accessed and most throttled partition keys of a table
//! or GSI (the sketch Contributor Insights graphs are drawn from).

use serde_json::{json, Value};

use super::request;
use crate::capacity::admission;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::playground::index_target;
use crate::types::KeyValue;
use crate::validate::{self, Field};

/// Keys listed when `Limit` is absent (or below 1); at most 64.
const DEFAULT_LIMIT: u64 = 10;

/// The request's members, in the order constraint failures are reported in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("TableName", Str, &[]), field("IndexName", Str, &[]), field("Limit", Integer, &[])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let now = engine.now_ms;
    let table = request::table_mut(engine, request)?;
    let on = index_target(table, request)?;
    let limit = request::integer(request, "Limit")
        .and_then(|l| u64::try_from(l).ok())
        .unwrap_or(DEFAULT_LIMIT)
        .clamp(1, 64) as usize;
    let name = table.name.clone();
    let resource = admission::resource_mut(table, on).ok_or_else(ApiError::resource_not_found)?;
    let mut body = resource.hot.top(now, limit, render_key);
    if let Some(m) = body.as_object_mut() {
        m.insert("TableName".into(), json!(name));
        if let Some(index) = request.get("IndexName") {
            m.insert("IndexName".into(), index.clone());
        }
        m.insert(
            "ContributorInsightsStatus".into(),
            json!(if resource.insights.is_some() { "ENABLED" } else { "DISABLED" }),
        );
    }
    Ok(body)
}

/// A partition key value in DynamoDB JSON.
fn render_key(key: &KeyValue) -> Value {
    key.to_attribute().to_json()
}
