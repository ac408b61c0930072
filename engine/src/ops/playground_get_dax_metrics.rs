//! PlaygroundGetDaxMetrics: a DAX cluster's per-second counters — requests, and the hits,
//! misses and evictions of its item and query caches — as columns over the last hour, like
//! `PlaygroundGetMetrics`; with `SinceSecond` only the seconds after the last one a chart drew.

use serde_json::{json, Value};

use super::request;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("ClusterName", Str, &[NotNull]), field("SinceSecond", Long, &[])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let name = request::string(request, "ClusterName").unwrap_or_default().to_ascii_lowercase();
    let since = request::integer(request, "SinceSecond").and_then(|s| u64::try_from(s).ok());
    let cluster = engine.dax.cluster(&name)?;
    Ok(json!({ "ClusterName": name, "Metrics": cluster.metrics.columns(since, engine.now_ms) }))
}
