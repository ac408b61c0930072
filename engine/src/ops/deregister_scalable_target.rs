//! DeregisterScalableTarget (Application Auto Scaling): the target goes, and its scaling
//! policies with it; the capacity stays where it is.

use serde_json::{json, Value};

use crate::autoscaling;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::validate::{self, Field};

/// The request's members (botocore's `DeregisterScalableTargetRequest`).
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("ServiceNamespace", Str, &[NotNull, Enum(autoscaling::SERVICE_NAMESPACES)]),
        field("ResourceId", Str, &[NotNull, MinLength(1), MaxLength(1600)]),
        field("ScalableDimension", Str, &[NotNull]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let (resource_id, dimension) = autoscaling::identify(request)?;
    let state = &mut engine.auto_scaling;
    let Some(i) = state.target(&resource_id, &dimension) else {
        return Err(ApiError::new(
            ErrorKind::ObjectNotFound,
            format!(
                "No scalable target found for service namespace: dynamodb, resource ID: {resource_id}, scalable dimension: {dimension}"
            ),
        ));
    };
    state.targets.remove(i);
    state.policies.retain(|p| !(p.resource_id == resource_id && p.dimension == dimension));
    Ok(json!({}))
}
