//! PutScalingPolicy (Application Auto Scaling): creates, or replaces by name, a target tracking
//! scaling policy on a registered target. DynamoDB takes target tracking only, on its
//! predefined utilization metrics, with a TargetValue from 20 to 90 per cent; its answer names
//! the four CloudWatch alarms the policy creates (`autoscaling::ALARM_KINDS`).

use serde_json::{json, Value};

use crate::autoscaling::{self, Policy, MAX_TARGET, MIN_TARGET};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::validate::{self, Field};

const PREDEFINED: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("PredefinedMetricType", Str, &[NotNull]),
        field("ResourceLabel", Str, &[MinLength(1), MaxLength(1023)]),
    ]
};

const TARGET_TRACKING: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("TargetValue", Double, &[NotNull]),
        field("PredefinedMetricSpecification", Struct("PredefinedMetricSpecification", PREDEFINED), &[]),
        field("ScaleOutCooldown", Integer, &[]),
        field("ScaleInCooldown", Integer, &[]),
        field("DisableScaleIn", Bool, &[]),
    ]
};

/// The request's members (botocore's `PutScalingPolicyRequest`).
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("PolicyName", Str, &[NotNull, MinLength(1), MaxLength(256)]),
        field("ServiceNamespace", Str, &[NotNull, Enum(autoscaling::SERVICE_NAMESPACES)]),
        field("ResourceId", Str, &[NotNull, MinLength(1), MaxLength(1600)]),
        field("ScalableDimension", Str, &[NotNull]),
        field("PolicyType", Str, &[Enum(&["StepScaling", "TargetTrackingScaling", "PredictiveScaling"])]),
        field(
            "TargetTrackingScalingPolicyConfiguration",
            Struct("TargetTrackingScalingPolicyConfiguration", TARGET_TRACKING),
            &[],
        ),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let (resource_id, dimension) = autoscaling::identify(request)?;
    let name = request.get("PolicyName").and_then(Value::as_str).unwrap_or_default().to_owned();
    if engine.auto_scaling.target(&resource_id, &dimension).is_none() {
        return Err(autoscaling::no_target_registered(&resource_id, &dimension));
    }
    // The model's default type is StepScaling, which DynamoDB does not take.
    let policy_type = request.get("PolicyType").and_then(Value::as_str).unwrap_or("StepScaling");
    if policy_type != "TargetTrackingScaling" {
        return Err(ApiError::validation(format!(
            "Unsupported policy type {policy_type} for service namespace dynamodb"
        )));
    }
    let Some(config) = request.get("TargetTrackingScalingPolicyConfiguration") else {
        return Err(ApiError::validation(
            "TargetTrackingScalingPolicyConfiguration is required for a policy of type TargetTrackingScaling",
        ));
    };
    let parsed = configuration(config, &dimension)?;
    let now = engine.now_ms;
    let state = &mut engine.auto_scaling;
    let existing = state
        .policies
        .iter()
        .position(|p| p.name == name && p.resource_id == resource_id && p.dimension == dimension);
    let i = match existing {
        // A replaced policy keeps its ARN and alarms.
        Some(i) => {
            let p = &mut state.policies[i];
            *p = Policy {
                name: p.name.clone(),
                resource_id: p.resource_id.clone(),
                dimension: p.dimension.clone(),
                uuid: p.uuid.clone(),
                created_ms: p.created_ms,
                ..parsed
            };
            i
        }
        None => {
            let uuid = state.next_uuid();
            state.policies.push(Policy { name, resource_id, dimension, uuid, created_ms: now, ..parsed });
            state.policies.len() - 1
        }
    };
    let p = &engine.auto_scaling.policies[i];
    Ok(json!({ "PolicyARN": autoscaling::policy_arn(engine, p), "Alarms": autoscaling::alarms(engine, p) }))
}

/// A `TargetTrackingScalingPolicyConfiguration` checked for `dimension`, as a policy with no
/// name or target yet.
pub(crate) fn configuration(config: &Value, dimension: &str) -> ApiResult<Policy> {
    let target = config.get("TargetValue").and_then(Value::as_f64);
    let Some(target) = target.filter(|t| (MIN_TARGET..=MAX_TARGET).contains(t)) else {
        return Err(ApiError::validation(
            "The target value for a DynamoDB utilization metric must be between 20.0 and 90.0",
        ));
    };
    if config.get("CustomizedMetricSpecification").is_some() {
        return Err(ApiError::validation(
            "Only PredefinedMetricSpecification is supported for DynamoDB in this playground",
        ));
    }
    let metric = config
        .get("PredefinedMetricSpecification")
        .and_then(|m| m.get("PredefinedMetricType"))
        .and_then(Value::as_str);
    let reads = autoscaling::dimension_parts(dimension).1;
    let expected = if reads { "DynamoDBReadCapacityUtilization" } else { "DynamoDBWriteCapacityUtilization" };
    match metric {
        Some(m) if m == expected => {}
        Some(m) => {
            return Err(ApiError::validation(format!(
                "Unsupported predefined metric type {m} for scalable dimension {dimension}"
            )))
        }
        None => {
            return Err(ApiError::validation(
                "Either PredefinedMetricSpecification or CustomizedMetricSpecification must be specified",
            ))
        }
    }
    let seconds = |name: &str| config.get(name).and_then(Value::as_i64).map_or(0, |s| s.max(0) as u64);
    Ok(Policy {
        name: String::new(),
        resource_id: String::new(),
        dimension: dimension.to_owned(),
        uuid: String::new(),
        configuration: config.clone(),
        target_value: target,
        reads,
        scale_in_cooldown_s: seconds("ScaleInCooldown"),
        scale_out_cooldown_s: seconds("ScaleOutCooldown"),
        disable_scale_in: config.get("DisableScaleIn").and_then(Value::as_bool).unwrap_or(false),
        created_ms: 0,
    })
}
