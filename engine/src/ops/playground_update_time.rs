//! PlaygroundUpdateTime: pauses or resumes the playground clock and sets its speed (a multiple
//! of host time, 0.001–3600).

use serde_json::Value;

use super::playground_describe_time::time_of;
use super::request;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::playground::clock::MAX_SPEED;
use crate::validate::{self, Field};

/// The request's members, in the order constraint failures are reported in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("Paused", Bool, &[]),
        field("Speed", Double, &[MinDecimal(0.001, "0.001"), Max(MAX_SPEED as i64)]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let paused = request::optional_boolean(request, "Paused");
    let speed = request.get("Speed").and_then(Value::as_f64);
    engine.playground.clock.update(paused, speed, engine.now_ms);
    Ok(time_of(engine))
}
