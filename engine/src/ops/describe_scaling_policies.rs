//! DescribeScalingPolicies (Application Auto Scaling): the scaling policies, optionally only
//! those named or of one resource id and dimension.

use serde_json::Value;

use crate::autoscaling;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members (botocore's `DescribeScalingPoliciesRequest`).
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("PolicyNames", List(&Str), &[]),
        field("ServiceNamespace", Str, &[NotNull, Enum(autoscaling::SERVICE_NAMESPACES)]),
        field("ResourceId", Str, &[MinLength(1), MaxLength(1600)]),
        field("ScalableDimension", Str, &[]),
        field("MaxResults", Integer, &[]),
        field("NextToken", Str, &[]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let page = autoscaling::page(request, 50)?;
    if autoscaling::check_namespace(request).is_err() {
        return Ok(autoscaling::paged("ScalingPolicies", Vec::new(), page));
    }
    let names: Option<Vec<&str>> = request
        .get("PolicyNames")
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(Value::as_str).collect());
    let resource = request.get("ResourceId").and_then(Value::as_str);
    let dimension = request.get("ScalableDimension").and_then(Value::as_str);
    let all = engine
        .auto_scaling
        .policies
        .iter()
        .filter(|p| names.as_ref().is_none_or(|n| n.contains(&p.name.as_str())))
        .filter(|p| resource.is_none_or(|r| r == p.resource_id))
        .filter(|p| dimension.is_none_or(|d| d == p.dimension))
        .map(|p| autoscaling::describe_policy(engine, p))
        .collect();
    Ok(autoscaling::paged("ScalingPolicies", all, page))
}
