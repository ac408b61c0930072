//! DescribeStream: a stream's status, view type, key schema and shards (with their parents and
//! sequence-number ranges), a page of at most 100 shards at a time.
//!
//! Shards are listed in ShardId order, so the list is the same from call to call and
//! `ExclusiveStartShardId` means "the shards whose ids sort after this one" — an id that is not
//! (or no longer) in the stream still places the page, and one past the last gives an empty
//! page. `ShardFilter {Type: CHILD_SHARDS, ShardId}` keeps only the shards whose parent is that
//! shard (how a reader finds where to go on when a shard closes).

use serde_json::Value;

use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::streams::{check_stream_arn, stream_not_found};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in. A StreamArn
/// shorter than the documented 37 characters cannot be well formed: it is refused as
/// "Invalid StreamArn" like any other malformed ARN.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    const SHARD_ID_RULES: &[Rule] = &[MinLength(28), MaxLength(65)];
    const SHARD_FILTER: &[Field] =
        &[field("Type", Str, &[Enum(&["CHILD_SHARDS"])]), field("ShardId", Str, SHARD_ID_RULES)];
    &[
        field("StreamArn", Str, &[NotNull, MaxLength(1024)]),
        field("Limit", Integer, &[Min(1)]),
        field("ExclusiveStartShardId", Str, SHARD_ID_RULES),
        field("ShardFilter", Struct("ShardFilter", SHARD_FILTER), &[]),
    ]
};

/// Most shards one page lists.
const MAX_LIMIT: usize = 100;

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let arn = request::string(request, "StreamArn").unwrap_or_default();
    check_stream_arn(arn)?;
    let parent = child_shards_of(request)?;
    let log = engine.stream(arn).ok_or_else(|| stream_not_found(arn))?;
    let limit = request::integer(request, "Limit").map_or(MAX_LIMIT, |l| (l.max(1) as usize).min(MAX_LIMIT));
    let after = request::string(request, "ExclusiveStartShardId");
    let mut shards: Vec<_> = log
        .shards
        .list
        .iter()
        .filter(|s| parent.is_none_or(|p| s.parent.as_deref() == Some(p)))
        .filter(|s| after.is_none_or(|a| s.id.as_str() > a))
        .collect();
    crate::types::sort_by(&mut shards, |a, b| a.id.cmp(&b.id));
    let page = &shards[..shards.len().min(limit)];
    let last = (shards.len() > limit).then(|| page.last().map(|s| s.id.as_str())).flatten();
    let description = log.describe(engine.now_ms, page.iter().map(|s| s.describe()).collect(), last);
    Ok(serde_json::json!({ "StreamDescription": description }))
}

/// The parent shard a `ShardFilter` of type CHILD_SHARDS names, if the request has one.
fn child_shards_of(request: &Value) -> ApiResult<Option<&str>> {
    let Some(filter) = request.get("ShardFilter").filter(|f| !f.is_null()) else { return Ok(None) };
    if request::string(filter, "Type").is_none() {
        return Ok(None);
    }
    match request::string(filter, "ShardId") {
        Some(id) => Ok(Some(id)),
        None => {
            Err(ApiError::validation("ShardFilter.ShardId is required when ShardFilter.Type is CHILD_SHARDS"))
        }
    }
}
