//! Contributor Insights [API_UpdateContributorInsights, API_DescribeContributorInsights,
//! API_ListContributorInsights]: switching it on or off for a table or GSI, and describing it.
//! The engine tracks the most accessed and most throttled partition keys of every table and
//! GSI all the time (a bounded sketch, see `partition/hot_keys.rs`); the playground shows them
//! with `PlaygroundDescribeHotKeys`, the graphs CloudWatch would draw for the enabled rules.
//!
//! Status on engine time: ENABLING / DISABLING are what the update answers; a describe shows
//! ENABLED / DISABLED straight after (DynamoDB takes a few seconds).

use serde_json::{json, Map, Value};

use super::request;
use crate::capacity::admission::{self, On};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::table::epoch_seconds;
use crate::table::{IndexKind, Table};

const MODES: [&str; 2] = ["ACCESSED_AND_THROTTLED_KEYS", "THROTTLED_KEYS"];

fn check_table_name(request: &Value) -> ApiResult<()> {
    let name = request::string(request, "TableName").unwrap_or_default();
    if name.len() < 3 || name.len() > 1024 {
        return Err(ApiError::validation(format!(
            "1 validation error detected: Value '{name}' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"
        )));
    }
    Ok(())
}

fn target(table: &Table, request: &Value) -> ApiResult<On> {
    match request::string(request, "IndexName") {
        None => Ok(On::Table),
        Some(name) => {
            table.global_index_position(name).map(On::Index).ok_or_else(ApiError::resource_not_found)
        }
    }
}

/// The CloudWatch rule names DynamoDB creates for a table or index.
fn rules(table: &str, index: Option<&str>, mode: &str) -> Vec<Value> {
    let name = match index {
        Some(i) => format!("{table}-{i}"),
        None => table.to_owned(),
    };
    let kinds: &[&str] =
        if mode == "THROTTLED_KEYS" { &["PKT", "SKT"] } else { &["PKC", "PKT", "SKC", "SKT"] };
    kinds.iter().map(|k| json!(format!("DynamoDBContributorInsights-{k}-{name}"))).collect()
}

/// UpdateContributorInsights.
pub(crate) fn update(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    check_table_name(request)?;
    let action = request::string(request, "ContributorInsightsAction").unwrap_or_default();
    if action != "ENABLE" && action != "DISABLE" {
        return Err(ApiError::validation(format!(
            "1 validation error detected: Value '{action}' at 'contributorInsightsAction' failed to satisfy constraint: Member must satisfy enum value set: [ENABLE, DISABLE]"
        )));
    }
    let mode = request::string(request, "ContributorInsightsMode").unwrap_or(MODES[0]);
    if !MODES.contains(&mode) {
        return Err(ApiError::validation(format!(
            "1 validation error detected: Value '{mode}' at 'contributorInsightsMode' failed to satisfy constraint: Member must satisfy enum value set: [ACCESSED_AND_THROTTLED_KEYS, THROTTLED_KEYS]"
        )));
    }
    let now = engine.now_ms;
    let table = request::table_mut(engine, request)?;
    let on = target(table, request)?;
    let resource = admission::resource_mut(table, on).ok_or_else(ApiError::resource_not_found)?;
    let status = if action == "ENABLE" {
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
    if action == "ENABLE" {
        body.insert("ContributorInsightsMode".into(), json!(mode));
    }
    Ok(Value::Object(body))
}

/// DescribeContributorInsights.
pub(crate) fn describe(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    check_table_name(request)?;
    let table = request::table_mut(engine, request)?;
    let on = target(table, request)?;
    let name = table.name.clone();
    let index = request::string(request, "IndexName");
    let resource = admission::resource_mut(table, on).ok_or_else(ApiError::resource_not_found)?;
    let mut body = Map::new();
    body.insert("TableName".into(), json!(name));
    if let Some(index) = index {
        body.insert("IndexName".into(), json!(index));
    }
    match &resource.insights {
        Some((mode, at)) => {
            body.insert("ContributorInsightsRuleList".into(), Value::Array(rules(&name, index, mode)));
            body.insert("ContributorInsightsStatus".into(), json!("ENABLED"));
            body.insert("LastUpdateDateTime".into(), epoch_seconds(*at));
            body.insert("ContributorInsightsMode".into(), json!(mode));
        }
        None => {
            body.insert("ContributorInsightsStatus".into(), json!("DISABLED"));
        }
    }
    Ok(Value::Object(body))
}

/// ListContributorInsights: every table (or the one named) and its GSIs.
pub(crate) fn list(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    let max = match request.get("MaxResults") {
        None | Some(Value::Null) => 100,
        Some(v) => v.as_u64().filter(|m| *m <= 100).ok_or_else(|| {
            ApiError::validation(
                "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
            )
        })? as usize,
    };
    let only = request::string(request, "TableName");
    if let Some(name) = only {
        if !engine.tables.contains_key(name) {
            return Err(ApiError::resource_not_found());
        }
    }
    let mut summaries = Vec::new();
    for table in engine.tables.values().filter(|t| only.is_none_or(|n| n == t.name)) {
        let mut add = |index: Option<&str>, insights: &Option<(String, u64)>| {
            let mut m = Map::new();
            m.insert("TableName".into(), json!(table.name));
            if let Some(i) = index {
                m.insert("IndexName".into(), json!(i));
            }
            m.insert(
                "ContributorInsightsStatus".into(),
                json!(if insights.is_some() { "ENABLED" } else { "DISABLED" }),
            );
            if let Some((mode, _)) = insights {
                m.insert("ContributorInsightsMode".into(), json!(mode));
            }
            summaries.push(Value::Object(m));
        };
        add(None, &table.items.capacity.insights);
        for index in table.indexes.iter().filter(|i| i.kind == IndexKind::Global) {
            add(Some(&index.name), &index.entries.capacity.insights);
        }
    }
    let start: usize = request::string(request, "NextToken").and_then(|t| t.parse().ok()).unwrap_or(0);
    let page: Vec<Value> = summaries.iter().skip(start).take(max).cloned().collect();
    let mut body = Map::new();
    body.insert("ContributorInsightsSummaries".into(), Value::Array(page));
    if start + max < summaries.len() {
        body.insert("NextToken".into(), json!((start + max).to_string()));
    }
    Ok(Value::Object(body))
}
