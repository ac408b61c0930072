//! GetShardIterator: where in a shard a reader starts — the oldest untrimmed record
//! (TRIM_HORIZON), just after the newest (LATEST), or at / after a sequence number. The
//! iterator may be used for 15 minutes of engine time.
//!
//! A sequence number is taken from the shard's own range, which begins at its
//! StartingSequenceNumber even while the shard holds no record yet (a reader resuming from
//! DescribeStream's figures); TRIM_HORIZON and LATEST take none.

use serde_json::{json, Value};

use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::streams::{
    check_stream_arn, parse_sequence, shard_not_found, stream_not_found, trimmed, ShardIterator,
};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("StreamArn", Str, &[NotNull, MaxLength(1024)]),
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
    check_stream_arn(arn)?;
    let positional = matches!(kind, "TRIM_HORIZON" | "LATEST");
    if positional && request.get("SequenceNumber").is_some_and(|v| !v.is_null()) {
        return Err(ApiError::validation(format!(
            "SequenceNumber must not be specified when ShardIteratorType is {kind}"
        )));
    }
    let log = engine.stream(arn).ok_or_else(|| stream_not_found(arn))?;
    let shard = log.shards.get(shard_id).ok_or_else(|| shard_not_found(shard_id, arn))?;
    // An open shard with no record yet still owns its starting number.
    let last = shard.last_possible(log.shards.last_sequence).max(shard.starting);
    let position = match kind {
        "TRIM_HORIZON" => shard.first_readable(),
        "LATEST" => shard.last_possible(log.shards.last_sequence) + 1,
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
