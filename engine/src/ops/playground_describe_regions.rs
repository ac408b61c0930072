//! PlaygroundDescribeRegions: the Regions and the global tables' replication — replicas,
//! writes on their way, conflicts and who won (`global/view.rs`).

use serde_json::Value;

use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("TableName", Str, NAME_RULES)]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    Ok(crate::global::view::describe(engine, request.get("TableName").and_then(Value::as_str)))
}
