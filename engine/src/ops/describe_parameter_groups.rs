//! DescribeParameterGroups (DAX): the groups named, or all of them (the default one first).

use serde_json::{json, Value};

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
    let names: Vec<String> = match request.get("ParameterGroupNames").and_then(Value::as_array) {
        Some(names) => names.iter().filter_map(Value::as_str).map(str::to_ascii_lowercase).collect(),
        None => std::iter::once(DEFAULT_PARAMETER_GROUP.to_owned())
            .chain(engine.dax.parameter_groups.keys().cloned())
            .collect(),
    };
    let groups = names
        .iter()
        .map(|name| engine.dax.parameter_group(name).map(|g| describe::parameter_group(name, &g)))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(json!({ "ParameterGroups": groups }))
}
