//! DescribeDefaultParameters (DAX): the TTL parameters as every new group starts.

use serde_json::{json, Value};

use crate::dax::{describe, ParameterGroup};
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members (botocore's `DescribeDefaultParametersRequest`).
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("MaxResults", Integer, &[]), field("NextToken", Str, &[])]
};

pub(crate) fn run(_engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    Ok(json!({ "Parameters": describe::parameters(&ParameterGroup::default()) }))
}
