//! PlaygroundDescribeTime: engine time and the playground clock (see `playground/clock.rs`).

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, shapes::NO_MEMBERS, Field};

/// The request's members: none.
pub(crate) static SCHEMA: &[Field] = NO_MEMBERS;

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    Ok(time_of(engine))
}

/// `{Now, Paused, Speed}`: what every time operation answers; with `BehindMilliseconds` while
/// workload requests the step budget put off keep engine time behind (`playground/workload.rs`).
pub(super) fn time_of(engine: &Engine) -> Value {
    let clock = &engine.playground.clock;
    let mut time = json!({"Now": engine.now_ms, "Paused": clock.paused, "Speed": clock.speed()});
    let behind = engine.behind_ms();
    if behind > 0 {
        time["BehindMilliseconds"] = json!(behind);
    }
    time
}
