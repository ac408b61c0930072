//! RegisterScalableTarget (Application Auto Scaling): registers, or updates, a table's or GSI's
//! read or write capacity as a scalable target between MinCapacity and MaxCapacity. When the
//! current capacity is outside the range it is brought inside at once (an UpdateTable, a
//! scaling activity), as Application Auto Scaling does for an active resource.

use serde_json::{json, Value};

use super::request;
use crate::autoscaling::{self, scale, Target};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::table::BillingMode;
use crate::validate::{self, Field};

/// The request's members (botocore's `RegisterScalableTargetRequest`).
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("ServiceNamespace", Str, &[NotNull, Enum(autoscaling::SERVICE_NAMESPACES)]),
        field("ResourceId", Str, &[NotNull, MinLength(1), MaxLength(1600)]),
        field("ScalableDimension", Str, &[NotNull]),
        field("MinCapacity", Integer, &[]),
        field("MaxCapacity", Integer, &[]),
        field("RoleARN", Str, &[MinLength(1), MaxLength(1600)]),
        field(
            "SuspendedState",
            Struct(
                "SuspendedState",
                &[
                    field("DynamicScalingInSuspended", Bool, &[]),
                    field("DynamicScalingOutSuspended", Bool, &[]),
                    field("ScheduledScalingSuspended", Bool, &[]),
                ],
            ),
            &[],
        ),
        field("Tags", Map(&Str), &[]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let (resource_id, dimension) = autoscaling::identify(request)?;
    let (table_name, index) = autoscaling::parse_resource_id(&resource_id).unwrap_or_default();
    // The resource must exist (Application Auto Scaling asks DynamoDB).
    let table = engine.tables.get(table_name);
    let exists = table.is_some_and(|t| index.is_none_or(|i| t.global_index_position(i).is_some()));
    if !exists {
        return Err(ApiError::validation(format!("Resource not found: {resource_id}")));
    }
    let (min, max) = (request::integer(request, "MinCapacity"), request::integer(request, "MaxCapacity"));
    let existing = engine.auto_scaling.target(&resource_id, &dimension);
    let (min, max) = match existing {
        Some(i) => {
            let t = &engine.auto_scaling.targets[i];
            (min.unwrap_or(t.min), max.unwrap_or(t.max))
        }
        None => match (min, max) {
            (Some(min), Some(max)) => (min, max),
            _ => {
                return Err(ApiError::validation(
                    "MinCapacity and MaxCapacity are required for registering a new scalable target",
                ))
            }
        },
    };
    if min < 1 {
        return Err(ApiError::validation(format!("MinCapacity must be at least 1 for {dimension}")));
    }
    if min > max {
        return Err(ApiError::validation(format!(
            "Minimum capacity {min} cannot be greater than maximum capacity {max}"
        )));
    }
    let suspended = request.get("SuspendedState");
    let flag = |name: &str, before: bool| {
        suspended.and_then(|s| s.get(name)).and_then(Value::as_bool).unwrap_or(before)
    };
    let i = match existing {
        Some(i) => i,
        None => {
            let arn_id = engine.auto_scaling.next_hex(36);
            engine.auto_scaling.targets.push(Target {
                resource_id: resource_id.clone(),
                dimension: dimension.clone(),
                min,
                max,
                role_arn: None,
                created_ms: engine.now_ms,
                arn_id,
                suspended: [false; 3],
                last_scale_out_ms: None,
                last_scale_in_ms: None,
            });
            engine.auto_scaling.targets.len() - 1
        }
    };
    let t = &mut engine.auto_scaling.targets[i];
    t.min = min;
    t.max = max;
    if let Some(role) = request::string(request, "RoleARN") {
        t.role_arn = Some(role.to_owned());
    }
    t.suspended = [
        flag("DynamicScalingInSuspended", t.suspended[0]),
        flag("DynamicScalingOutSuspended", t.suspended[1]),
        flag("ScheduledScalingSuspended", t.suspended[2]),
    ];
    let arn = autoscaling::target_arn(&engine.config.region, &engine.config.account_id, &t.arn_id);
    bring_inside(engine, i);
    Ok(json!({ "ScalableTargetARN": arn }))
}

/// Brings the current capacity inside the target's range, if the resource is provisioned.
fn bring_inside(engine: &mut Engine, i: usize) {
    let t = engine.auto_scaling.targets[i].clone();
    let Some((table, index)) = autoscaling::parse_resource_id(&t.resource_id) else { return };
    let (on_index, reads) = autoscaling::dimension_parts(&t.dimension);
    let Some(table) = engine.tables.get(table) else { return };
    let billing = match index.filter(|_| on_index) {
        None => Some(table.billing),
        Some(name) => table.index(name).and_then(|x| x.throughput),
    };
    let Some(BillingMode::Provisioned { read, write }) = billing else { return };
    let current = if reads { read } else { write } as i64;
    let wanted = current.clamp(t.min, t.max);
    if wanted != current {
        let bound = if wanted > current { "minimum" } else { "maximum" };
        let cause = format!("{bound} capacity was set to {wanted}");
        scale::set_capacity(engine, i, wanted, cause, wanted > current);
    }
}
