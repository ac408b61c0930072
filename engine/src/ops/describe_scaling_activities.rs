//! DescribeScalingActivities (Application Auto Scaling): the scaling activities of the last
//! six weeks, newest first, optionally of one resource id and dimension. An activity is
//! InProgress while its UpdateTable keeps the table UPDATING, then Successful (or Failed, with
//! DynamoDB's reason).

use serde_json::Value;

use crate::autoscaling;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members (botocore's `DescribeScalingActivitiesRequest`).
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("ServiceNamespace", Str, &[NotNull, Enum(autoscaling::SERVICE_NAMESPACES)]),
        field("ResourceId", Str, &[MinLength(1), MaxLength(1600)]),
        field("ScalableDimension", Str, &[]),
        field("MaxResults", Integer, &[]),
        field("NextToken", Str, &[]),
        field("IncludeNotScaledActivities", Bool, &[]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let page = autoscaling::page(request, 50)?;
    if autoscaling::check_namespace(request).is_err() {
        return Ok(autoscaling::paged("ScalingActivities", Vec::new(), page));
    }
    let resource = request.get("ResourceId").and_then(Value::as_str);
    let dimension = request.get("ScalableDimension").and_then(Value::as_str);
    let now = engine.now_ms;
    let all = engine
        .auto_scaling
        .activities
        .iter()
        .rev()
        .filter(|a| now.saturating_sub(a.start_ms) < autoscaling::ACTIVITY_RETENTION_MS)
        .filter(|a| resource.is_none_or(|r| r == a.resource_id))
        .filter(|a| dimension.is_none_or(|d| d == a.dimension))
        .map(|a| autoscaling::describe_activity(a, now))
        .collect();
    Ok(autoscaling::paged("ScalingActivities", all, page))
}
