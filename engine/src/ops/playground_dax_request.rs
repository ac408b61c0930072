//! PlaygroundDaxRequest: a DynamoDB request sent through a DAX cluster (`dax/serve.rs`). DAX's
//! own client protocol is not HTTP JSON, so a front reaches a cluster through this operation:
//! `{ClusterName, Operation, Request}` in, the DynamoDB answer as `Response` out, with how the
//! cluster served it (`Outcome`, `Cache`, `CacheHits`, `CacheMisses`) and a simulated
//! `LatencyMicroseconds`. Errors are the table's (or `ClusterNotFoundFault`).
//!
//! It is journaled (it can write), as the write it carries: a host's journal holds the inner
//! PutItem, never the cache (see `Engine::handle_logged`).

use serde_json::Value;

use super::request;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("ClusterName", Str, &[NotNull]),
        field("Operation", Str, &[NotNull]),
        field("Request", Struct("Request", &[]), &[NotNull]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let cluster = request::string(request, "ClusterName").unwrap_or_default().to_ascii_lowercase();
    let operation = request::string(request, "Operation").unwrap_or_default();
    let inner = request.get("Request").cloned().unwrap_or_default();
    crate::dax::serve::serve(engine, &cluster, operation, &inner)
}

/// The DynamoDB request a PlaygroundDaxRequest carries, if it is one that writes: what a
/// journal keeps of it (operation, request, and the inner answer to judge what was applied).
pub(crate) fn carried_write<'a>(
    request: &'a Value,
    answer: &'a Value,
) -> Option<(&'a str, &'a Value, &'a Value)> {
    if !crate::features::DAX {
        return None;
    }
    let operation = request::string(request, "Operation")?;
    let inner = request.get("Request")?;
    (super::is_mutating(operation) && operation != "PlaygroundDaxRequest").then_some((
        operation,
        inner,
        answer.get("Response")?,
    ))
}
