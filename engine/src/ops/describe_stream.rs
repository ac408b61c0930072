//! DescribeStream: a stream's status, view type, key schema and shards (with their parents and
//! sequence-number ranges), a page of at most 100 shards at a time.

use serde_json::Value;

use super::request;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::streams::stream_not_found;
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    const SHARD_ID_RULES: &[Rule] = &[MinLength(28), MaxLength(65)];
    &[
        field("StreamArn", Str, &[NotNull, MinLength(37), MaxLength(1024)]),
        field("Limit", Integer, &[Min(1)]),
        field("ExclusiveStartShardId", Str, SHARD_ID_RULES),
    ]
};

/// Most shards one page lists.
const MAX_LIMIT: usize = 100;

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let arn = request::string(request, "StreamArn").unwrap_or_default();
    let log = engine.stream(arn).ok_or_else(|| stream_not_found(arn))?;
    let limit = request::integer(request, "Limit").map_or(MAX_LIMIT, |l| (l.max(1) as usize).min(MAX_LIMIT));
    let shards = &log.shards.list;
    let start = request::string(request, "ExclusiveStartShardId")
        .and_then(|id| shards.iter().position(|s| s.id == id))
        .map_or(0, |i| i + 1);
    let rest = shards.get(start..).unwrap_or_default();
    let page = &rest[..rest.len().min(limit)];
    let last = (rest.len() > limit).then(|| page.last().map(|s| s.id.as_str())).flatten();
    let description = log.describe(engine.now_ms, page.iter().map(|s| s.describe()).collect(), last);
    Ok(serde_json::json!({ "StreamDescription": description }))
}
