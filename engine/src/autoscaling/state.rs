//! Auto scaling in the workspace document and snapshot (`"autoScaling"`):
//!
//! ```text
//! "autoScaling": { "ScalableTargets": [ { ResourceId, ScalableDimension, MinCapacity,
//!                     MaxCapacity, RoleARN?, CreatedMs, ArnId, Suspended: [in, out, scheduled],
//!                     LastScaleOutMs?, LastScaleInMs? } ],
//!                  "ScalingPolicies": [ { PolicyName, ResourceId, ScalableDimension, Uuid,
//!                     TargetTrackingScalingPolicyConfiguration, CreatedMs } ],
//!                  "ScalingActivities": [ { ActivityId, ResourceId, ScalableDimension,
//!                     Description, Cause, StartMs, EndMs, Failure?, Capacity } ],
//!                  "Ids": <ids handed out> }        (absent when nothing is registered)
//! ```
//!
//! The same in both: what scaling decides next depends on all of it (cooldowns, the ids of
//! what comes next). A build without the `auto-scaling` feature refuses a document that has it.

use serde_json::{json, Map, Value};

use super::{Activity, AutoScaling, Policy, Target};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};

/// The document's `"autoScaling"` member, or `None` when there is nothing to keep.
pub(crate) fn export(engine: &Engine) -> Option<Value> {
    let s = &engine.auto_scaling;
    if s.targets.is_empty() && s.policies.is_empty() && s.activities.is_empty() {
        return None;
    }
    let targets: Vec<Value> = s
        .targets
        .iter()
        .map(|t| {
            let mut m = Map::new();
            m.insert("ResourceId".into(), json!(t.resource_id));
            m.insert("ScalableDimension".into(), json!(t.dimension));
            m.insert("MinCapacity".into(), json!(t.min));
            m.insert("MaxCapacity".into(), json!(t.max));
            if let Some(role) = &t.role_arn {
                m.insert("RoleARN".into(), json!(role));
            }
            m.insert("CreatedMs".into(), json!(t.created_ms));
            m.insert("ArnId".into(), json!(t.arn_id));
            m.insert("Suspended".into(), json!(t.suspended));
            if let Some(ms) = t.last_scale_out_ms {
                m.insert("LastScaleOutMs".into(), json!(ms));
            }
            if let Some(ms) = t.last_scale_in_ms {
                m.insert("LastScaleInMs".into(), json!(ms));
            }
            Value::Object(m)
        })
        .collect();
    let policies: Vec<Value> = s
        .policies
        .iter()
        .map(|p| {
            json!({
                "PolicyName": p.name, "ResourceId": p.resource_id, "ScalableDimension": p.dimension,
                "Uuid": p.uuid, "TargetTrackingScalingPolicyConfiguration": p.configuration,
                "CreatedMs": p.created_ms,
            })
        })
        .collect();
    let activities: Vec<Value> = s
        .activities
        .iter()
        .map(|a| {
            let mut v = json!({
                "ActivityId": a.id, "ResourceId": a.resource_id, "ScalableDimension": a.dimension,
                "Description": a.description, "Cause": a.cause, "StartMs": a.start_ms, "EndMs": a.end_ms,
                "Capacity": a.capacity,
            });
            if let Some(why) = &a.failure {
                v["Failure"] = json!(why);
            }
            v
        })
        .collect();
    Some(json!({
        "ScalableTargets": targets, "ScalingPolicies": policies, "ScalingActivities": activities, "Ids": s.ids,
    }))
}

/// Reads `"autoScaling"` into `engine` (whose tables are in already), written at `engine_time`.
pub(crate) fn import(engine: &mut Engine, document: &Value, engine_time: u64) -> ApiResult<()> {
    if !crate::features::AUTO_SCALING {
        return Err(crate::features::no_auto_scaling());
    }
    let bad = |what: &str| ApiError::validation(format!("autoScaling: {what}"));
    let list = |name: &str| document.get(name).and_then(Value::as_array).cloned().unwrap_or_default();
    let text = |v: &Value, name: &str| v.get(name).and_then(Value::as_str).map(str::to_owned);
    let mut state =
        AutoScaling { ids: document.get("Ids").and_then(Value::as_u64).unwrap_or(0), ..Default::default() };
    for (i, t) in list("ScalableTargets").iter().enumerate() {
        let (resource_id, dimension) = super::identify(&json!({
            "ServiceNamespace": super::DYNAMODB,
            "ResourceId": t.get("ResourceId").cloned().unwrap_or(Value::Null),
            "ScalableDimension": t.get("ScalableDimension").cloned().unwrap_or(Value::Null),
        }))
        .map_err(|e| bad(&format!("scalable target {}: {}", i + 1, e.message)))?;
        let int = |name: &str| t.get(name).and_then(Value::as_i64);
        let (Some(min), Some(max)) = (int("MinCapacity"), int("MaxCapacity")) else {
            return Err(bad(&format!("scalable target {} needs MinCapacity and MaxCapacity", i + 1)));
        };
        let suspended = t.get("Suspended").and_then(Value::as_array);
        let flag = |k: usize| suspended.and_then(|s| s.get(k)).and_then(Value::as_bool).unwrap_or(false);
        let arn_id = match text(t, "ArnId") {
            Some(id) => id,
            None => state.next_hex(36),
        };
        state.targets.push(Target {
            resource_id,
            dimension,
            min,
            max,
            role_arn: text(t, "RoleARN"),
            created_ms: t.get("CreatedMs").and_then(Value::as_u64).unwrap_or(0),
            arn_id,
            suspended: [flag(0), flag(1), flag(2)],
            last_scale_out_ms: t.get("LastScaleOutMs").and_then(Value::as_u64),
            last_scale_in_ms: t.get("LastScaleInMs").and_then(Value::as_u64),
        });
    }
    for (i, p) in list("ScalingPolicies").iter().enumerate() {
        let (resource_id, dimension) = (text(p, "ResourceId"), text(p, "ScalableDimension"));
        let (Some(name), Some(resource_id), Some(dimension)) =
            (text(p, "PolicyName"), resource_id, dimension)
        else {
            return Err(bad(&format!(
                "scaling policy {} needs PolicyName, ResourceId and ScalableDimension",
                i + 1
            )));
        };
        if state.target(&resource_id, &dimension).is_none() {
            return Err(bad(&format!(
                "scaling policy {name}: {}",
                super::no_target_registered(&resource_id, &dimension).message
            )));
        }
        let configuration = p.get("TargetTrackingScalingPolicyConfiguration").cloned().unwrap_or(Value::Null);
        let parsed = crate::ops::put_scaling_policy::configuration(&configuration, &dimension)
            .map_err(|e| bad(&format!("scaling policy {name}: {}", e.message)))?;
        let uuid = match text(p, "Uuid") {
            Some(uuid) => uuid,
            None => state.next_uuid(),
        };
        state.policies.push(Policy {
            name,
            resource_id,
            dimension,
            uuid,
            created_ms: p.get("CreatedMs").and_then(Value::as_u64).unwrap_or(0),
            ..parsed
        });
    }
    for (i, a) in list("ScalingActivities").iter().enumerate() {
        let get = |name: &str| {
            text(a, name).ok_or_else(|| bad(&format!("scaling activity {} needs {name}", i + 1)))
        };
        state.activities.push(Activity {
            id: get("ActivityId")?,
            resource_id: get("ResourceId")?,
            dimension: get("ScalableDimension")?,
            description: get("Description")?,
            cause: get("Cause")?,
            start_ms: a.get("StartMs").and_then(Value::as_u64).unwrap_or(0),
            end_ms: a.get("EndMs").and_then(Value::as_u64).unwrap_or(0),
            failure: text(a, "Failure"),
            capacity: a.get("Capacity").and_then(Value::as_i64).unwrap_or(0),
        });
    }
    // The metrics start afresh, and this minute was evaluated by the engine that wrote this.
    let now = engine.now_ms.max(engine_time);
    state.observed_since_ms = now;
    state.evaluated_minute = now / 60_000;
    *engine.auto_scaling = state;
    Ok(())
}
