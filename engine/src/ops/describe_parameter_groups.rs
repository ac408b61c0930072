//! DescribeParameterGroups (DAX): the groups named, or all of them (the default one first).

use serde_json::Value;

use crate::dax::{describe, DEFAULT_PARAMETER_GROUP};
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members (botocore's `DescribeParameterGroupsRequest`).
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("ParameterGroupNames", List(&Str), &[]),
        field("MaxResults", Integer, &[]),
        field("NextToken", Str, &[]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let dax = &engine.dax;
    let mut groups = Vec::new();
    match request.get("ParameterGroupNames").and_then(Value::as_array) {
        Some(names) => {
            for name in names.iter().filter_map(Value::as_str) {
                groups.push(describe::parameter_group(&dax.parameter_group(&name.to_ascii_lowercase())?));
            }
        }
        None => {
            groups.push(describe::parameter_group(&dax.parameter_group(DEFAULT_PARAMETER_GROUP)?));
            groups.extend(dax.parameter_groups.iter().map(describe::parameter_group));
        }
    }
    Ok(describe::one("ParameterGroups", groups))
}
