//! DescribeScalableTargets (Application Auto Scaling): the registered targets, in the order
//! they were registered, optionally only those of some resource ids or one dimension.

use serde_json::Value;

use crate::autoscaling;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members (botocore's `DescribeScalableTargetsRequest`).
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("ServiceNamespace", Str, &[NotNull, Enum(autoscaling::SERVICE_NAMESPACES)]),
        field("ResourceIds", List(&Str), &[]),
        field("ScalableDimension", Str, &[]),
        field("MaxResults", Integer, &[]),
        field("NextToken", Str, &[]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let page = autoscaling::page(request, 50)?;
    if autoscaling::check_namespace(request).is_err() {
        return Ok(autoscaling::paged("ScalableTargets", Vec::new(), page));
    }
    let ids: Option<Vec<&str>> = request
        .get("ResourceIds")
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(Value::as_str).collect());
    let dimension = request.get("ScalableDimension").and_then(Value::as_str);
    let all = engine
        .auto_scaling
        .targets
        .iter()
        .filter(|t| ids.as_ref().is_none_or(|ids| ids.contains(&t.resource_id.as_str())))
        .filter(|t| dimension.is_none_or(|d| d == t.dimension))
        .map(|t| autoscaling::describe_target(engine, t))
        .collect();
    Ok(autoscaling::paged("ScalableTargets", all, page))
}
