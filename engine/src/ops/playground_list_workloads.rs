//! PlaygroundListWorkloads: every workload started in this session, running or stopped.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::ApiResult;
use crate::playground::workload::Workload;
use crate::validate::{self, shapes::NO_MEMBERS, Field};

/// The request's members: none.
pub(crate) static SCHEMA: &[Field] = NO_MEMBERS;

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    Ok(json!({"Workloads": engine.playground.workloads.iter().map(Workload::describe).collect::<Vec<_>>()}))
}
