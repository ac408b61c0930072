//! DescribeParameters (DAX): a parameter group's two parameters, the TTLs.

use serde_json::Value;

use super::request;
use crate::dax::describe;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members (botocore's `DescribeParametersRequest`).
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("ParameterGroupName", Str, &[NotNull]),
        field("Source", Str, &[]),
        field("MaxResults", Integer, &[]),
        field("NextToken", Str, &[]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let name = request::string(request, "ParameterGroupName").unwrap_or_default().to_ascii_lowercase();
    let group = engine.dax.parameter_group(&name)?;
    // Both parameters are the learner's to set (`Source: user`); asking for `system` ones
    // finds none.
    let parameters = match request::string(request, "Source") {
        Some(source) if source != "user" => Value::Array(Vec::new()),
        _ => describe::parameters(&group),
    };
    Ok(describe::one("Parameters", parameters))
}
