//! ListContributorInsights: every table (or the one named) and its GSIs, with their
//! Contributor Insights status (see `contributor_insights.rs`).

use serde_json::{json, Map, Value};

use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::table::IndexKind;
use crate::validate::{self, Field};

/// Most summaries one page holds (and the default).
const MAX_RESULTS: i64 = 100;

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("TableName", Str, &[]),
        field("NextToken", Str, &[]),
        field("MaxResults", Integer, &[Max(MAX_RESULTS)]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let max = request::integer(request, "MaxResults").unwrap_or(MAX_RESULTS).max(0) as usize;
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
    // The token is the client's: a huge one is past the end, never an overflow.
    let next = start.saturating_add(max);
    if next < summaries.len() {
        body.insert("NextToken".into(), json!(next.to_string()));
    }
    Ok(Value::Object(body))
}
