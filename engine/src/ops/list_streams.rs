//! ListStreams: the readable streams (enabled, or disabled less than 24 hours ago), optionally
//! of one table, a page of at most 100 at a time.

use serde_json::{json, Map, Value};

use super::request;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    // DynamoDB Streams (API version 2012-08-10 of `DynamoDBStreams_20120810`).
    const STREAM_ARN_RULES: &[Rule] = &[MinLength(37), MaxLength(1024)];
    &[
        field("TableName", Str, NAME_RULES),
        field("Limit", Integer, &[Min(1)]),
        field("ExclusiveStartStreamArn", Str, STREAM_ARN_RULES),
    ]
};

/// Most streams one page lists.
const MAX_LIMIT: usize = 100;

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let table = request::string(request, "TableName");
    let limit = request::integer(request, "Limit").map_or(MAX_LIMIT, |l| (l.max(1) as usize).min(MAX_LIMIT));
    let mut streams: Vec<_> = engine.streams().filter(|s| table.is_none_or(|t| s.table_name == t)).collect();
    crate::types::sort_by(&mut streams, |a, b| {
        (&a.table_name, a.created_ms).cmp(&(&b.table_name, b.created_ms))
    });
    let start = request::string(request, "ExclusiveStartStreamArn")
        .and_then(|arn| streams.iter().position(|s| s.arn == arn))
        .map_or(0, |i| i + 1);
    let rest = streams.get(start..).unwrap_or_default();
    let page = &rest[..rest.len().min(limit)];
    let mut body = Map::new();
    body.insert("Streams".into(), page.iter().map(|s| s.summary()).collect());
    if rest.len() > limit {
        if let Some(last) = page.last() {
            body.insert("LastEvaluatedStreamArn".into(), json!(last.arn));
        }
    }
    Ok(Value::Object(body))
}
