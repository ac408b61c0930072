//! UpdateContributorInsights: switches Contributor Insights on or off for a table or GSI (see
//! `contributor_insights.rs`).

use serde_json::{json, Map, Value};

use super::contributor_insights::target;
use super::request;
use crate::capacity::admission;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::validate::{self, Field};

const MODES: &[&str] = &["ACCESSED_AND_THROTTLED_KEYS", "THROTTLED_KEYS"];

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("TableName", Str, INSIGHTS_TABLE_NAME_RULES),
        field("IndexName", Str, &[]),
        field("ContributorInsightsAction", Str, &[NotNull, Enum(&["ENABLE", "DISABLE"])]),
        field("ContributorInsightsMode", Str, &[Enum(MODES)]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let enable = request::string(request, "ContributorInsightsAction") == Some("ENABLE");
    let mode = request::string(request, "ContributorInsightsMode").unwrap_or(MODES[0]);
    let now = engine.now_ms;
    let table = request::table_mut(engine, request)?;
    let on = target(table, request)?;
    let resource = admission::resource_mut(table, on).ok_or_else(ApiError::resource_not_found)?;
    let status = if enable {
        resource.insights = Some((mode.to_owned(), now));
        "ENABLING"
    } else {
        resource.insights = None;
        "DISABLING"
    };
    let mut body = Map::new();
    body.insert("TableName".into(), json!(table.name));
    if let Some(index) = request::string(request, "IndexName") {
        body.insert("IndexName".into(), json!(index));
    }
    body.insert("ContributorInsightsStatus".into(), json!(status));
    if enable {
        body.insert("ContributorInsightsMode".into(), json!(mode));
    }
    Ok(Value::Object(body))
}
