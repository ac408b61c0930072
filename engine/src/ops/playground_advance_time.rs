//! PlaygroundAdvanceTime: moves engine time forward by a step (at most a day), running the
//! workload requests that fall due; allowed while the clock is paused.

use serde_json::Value;

use super::playground_describe_time::time_of;
use super::request;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The longest step: one day.
const MAX_STEP_MS: i64 = 86_400_000;

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("Milliseconds", Long, &[NotNull, Min(0), Max(MAX_STEP_MS)])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let ms = request::integer(request, "Milliseconds").unwrap_or(0).clamp(0, MAX_STEP_MS);
    engine.advance(ms as u64);
    Ok(time_of(engine))
}
