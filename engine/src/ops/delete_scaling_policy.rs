//! DeleteScalingPolicy (Application Auto Scaling): the policy and its alarms go; the target
//! stays registered.

use serde_json::{json, Value};

use crate::autoscaling;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::validate::{self, Field};

/// The request's members (botocore's `DeleteScalingPolicyRequest`).
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("PolicyName", Str, &[NotNull, MinLength(1), MaxLength(256)]),
        field("ServiceNamespace", Str, &[NotNull, Enum(autoscaling::SERVICE_NAMESPACES)]),
        field("ResourceId", Str, &[NotNull, MinLength(1), MaxLength(1600)]),
        field("ScalableDimension", Str, &[NotNull]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let (resource_id, dimension) = autoscaling::identify(request)?;
    let name = request.get("PolicyName").and_then(Value::as_str).unwrap_or_default();
    let policies = &mut engine.auto_scaling.policies;
    let found = policies
        .iter()
        .position(|p| p.name == name && p.resource_id == resource_id && p.dimension == dimension);
    let Some(i) = found else {
        return Err(ApiError::new(
            ErrorKind::ObjectNotFound,
            format!(
                "No scaling policy found for service namespace: dynamodb, resource ID: {resource_id}, scalable dimension: {dimension}, policy name: {name}"
            ),
        ));
    };
    policies.remove(i);
    Ok(json!({}))
}
