//! ListExports: exports oldest first, of one table when `TableArn` names it, a page at a time
//! (`NextToken`: the ARN of the next export to list).

use serde_json::{json, Map, Value};

use super::request;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("TableArn", Str, &[MinLength(1), MaxLength(1024)]),
        field("MaxResults", Integer, &[Min(1), Max(25)]),
        field("NextToken", Str, &[]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let table = request::string(request, "TableArn");
    let limit = request::integer(request, "MaxResults").map_or(25, |l| l as usize);
    let next = request::string(request, "NextToken");
    let now = engine.now_ms;
    let arn_of =
        |j: &crate::backups::Job| j.description.get("ExportArn").and_then(Value::as_str).map(str::to_owned);
    let mut matching = crate::backups::state(engine)
        .into_iter()
        .flat_map(|b| &b.exports)
        .filter(|j| table.is_none_or(|t| j.description.get("TableArn").and_then(Value::as_str) == Some(t)))
        .skip_while(|j| next.is_some_and(|n| arn_of(j).as_deref() != Some(n)))
        .peekable();
    let page: Vec<Value> =
        matching.by_ref().take(limit).map(|j| crate::backups::export::summary(j, now)).collect();
    let mut answer = Map::new();
    answer.insert("ExportSummaries".into(), Value::Array(page));
    if let Some(following) = matching.peek().and_then(|j| arn_of(j)) {
        answer.insert("NextToken".into(), json!(following));
    }
    Ok(Value::Object(answer))
}
