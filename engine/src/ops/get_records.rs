//! GetRecords: the records of a shard from an iterator's position, at most `Limit` (1000) and
//! 1 MB, with the iterator for the next call. A closed shard read to its end returns no
//! `NextShardIterator`; an open one always does (possibly with no records).

use serde_json::{json, Map, Value};

use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::streams::{
    expired_iterator, shard_not_found, stream_not_found, trimmed, ShardIterator, ITERATOR_LIFETIME_MS,
};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("ShardIterator", Str, &[NotNull, MinLength(1), MaxLength(2048)]),
        field("Limit", Integer, &[Min(1)]),
    ]
};

/// Most records one call returns.
const MAX_RECORDS: usize = 1000;
/// Most bytes of records one call returns.
const MAX_BYTES: usize = 1024 * 1024;

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let text = request::string(request, "ShardIterator").unwrap_or_default();
    let iterator =
        ShardIterator::decode(text).ok_or_else(|| ApiError::validation("Invalid ShardIterator"))?;
    let now = engine.now_ms;
    let log = engine.stream(&iterator.stream_arn).ok_or_else(|| stream_not_found(&iterator.stream_arn))?;
    // The issue time comes back from the client: an iterator that cannot have been handed
    // out (its lifetime ends past the last engine millisecond) is not one of ours.
    let expires = iterator
        .issued_ms
        .checked_add(ITERATOR_LIFETIME_MS)
        .ok_or_else(|| ApiError::validation("Invalid ShardIterator"))?;
    if now > expires {
        return Err(expired_iterator());
    }
    let shard =
        log.shards.get(&iterator.shard_id).ok_or_else(|| shard_not_found(&iterator.shard_id, &log.arn))?;
    if iterator.position < shard.first_readable() {
        return Err(trimmed());
    }
    let limit =
        request::integer(request, "Limit").map_or(MAX_RECORDS, |l| (l.max(1) as usize).min(MAX_RECORDS));
    let start = shard.records.partition_point(|r| r.sequence < iterator.position);
    let (mut records, mut bytes, mut next) = (Vec::new(), 0, iterator.position);
    for record in shard.records.range(start..) {
        if records.len() == limit || (!records.is_empty() && bytes + record.size > MAX_BYTES) {
            break;
        }
        bytes += record.size;
        records.push(record.body.clone());
        next = record.sequence + 1;
    }
    let read_all = start + records.len() == shard.records.len();
    let mut body = Map::new();
    body.insert("Records".into(), Value::Array(records));
    // Closed and nothing left after this page. (Not `next > end`: an empty closed shard's
    // range is one unused number, so a TRIM_HORIZON iterator there is at `end` and would
    // never finish.)
    let finished = shard.ending.is_some() && read_all;
    if !finished {
        let next = ShardIterator { position: next, issued_ms: now, ..iterator };
        body.insert("NextShardIterator".into(), json!(next.encode()));
    }
    Ok(Value::Object(body))
}
