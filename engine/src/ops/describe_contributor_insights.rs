//! DescribeContributorInsights: whether Contributor Insights is on for a table or GSI, and the
//! CloudWatch rules it would have created (see `contributor_insights.rs`).

use serde_json::{json, Map, Value};

use super::contributor_insights::target;
use super::request;
use crate::capacity::admission;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::table::epoch_seconds;
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("TableName", Str, INSIGHTS_TABLE_NAME_RULES), field("IndexName", Str, &[])]
};

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

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
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
