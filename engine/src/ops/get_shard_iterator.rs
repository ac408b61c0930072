//! GetShardIterator: where in a shard a reader starts — the oldest untrimmed record
//! (TRIM_HORIZON), just after the newest (LATEST), or at / after a sequence number. The
//! iterator may be used for 15 minutes of engine time.

use serde_json::{json, Value};

use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::streams::{parse_sequence, shard_not_found, stream_not_found, trimmed, ShardIterator};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("StreamArn", Str, &[NotNull, MinLength(37), MaxLength(1024)]),
        field("ShardId", Str, &[NotNull, MinLength(28), MaxLength(65)]),
        field(
            "ShardIteratorType",
            Str,
            &[NotNull, Enum(&["TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"])],
        ),
        field("SequenceNumber", Str, &[MinLength(21), MaxLength(40)]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let arn = request::string(request, "StreamArn").unwrap_or_default();
    let shard_id = request::string(request, "ShardId").unwrap_or_default();
    let kind = request::string(request, "ShardIteratorType").unwrap_or_default();
    let log = engine.stream(arn).ok_or_else(|| stream_not_found(arn))?;
    let shard = log.shards.get(shard_id).ok_or_else(|| shard_not_found(shard_id, arn))?;
    let last = shard.last_possible(log.shards.last_sequence);
    let position = match kind {
        "TRIM_HORIZON" => shard.first_readable(),
        "LATEST" => last + 1,
        _ => {
            let Some(text) = request::string(request, "SequenceNumber") else {
                return Err(ApiError::validation(format!(
                    "SequenceNumber is required when ShardIteratorType is {kind}"
                )));
            };
            let sequence =
                parse_sequence(text).filter(|s| (shard.starting..=last).contains(s)).ok_or_else(|| {
                    ApiError::validation(format!("Invalid SequenceNumber: {text} for shard {shard_id}"))
                })?;
            if sequence < shard.first_readable() {
                return Err(trimmed());
            }
            if kind == "AFTER_SEQUENCE_NUMBER" {
                sequence + 1
            } else {
                sequence
            }
        }
    };
    let iterator = ShardIterator {
        stream_arn: log.arn.clone(),
        shard_id: shard.id.clone(),
        position,
        issued_ms: engine.now_ms,
    };
    Ok(json!({ "ShardIterator": iterator.encode() }))
}
