//! PlaygroundStopWorkload: stops a workload (it stays listed, with its counts).

use serde_json::Value;

use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("WorkloadId", Long, &[NotNull])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let id = request.get("WorkloadId").and_then(Value::as_u64).unwrap_or_default();
    let w = engine
        .playground
        .workloads
        .iter_mut()
        .find(|w| w.id == id)
        .ok_or_else(|| ApiError::validation(format!("No workload with WorkloadId {id}")))?;
    w.running = false;
    Ok(w.describe())
}
