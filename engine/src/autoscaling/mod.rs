//! Application Auto Scaling for DynamoDB (`auto-scaling` feature): scalable targets (a table's
//! or GSI's read or write capacity, between a minimum and a maximum), target tracking scaling
//! policies on `DynamoDBReadCapacityUtilization` / `DynamoDBWriteCapacityUtilization`, and the
//! scaling activities they cause — served under Application Auto Scaling's own API
//! (`AnyScaleFrontendService.*`, `ops/register_scalable_target.rs` and its siblings).
//!
//! Scaling runs on engine time (`scale.rs`): at each engine minute the alarms AWS creates for
//! a target tracking policy are evaluated against the per-second capacity metrics the engine
//! already keeps (`capacity/metrics.rs`), and a breach changes the provisioned capacity
//! through UpdateTable itself (so the table is UPDATING while the change takes effect, and
//! the throughput history counts it).
//!
//! Targets, policies and activities are workspace state (`workspace.rs` keeps them under
//! `"autoScaling"`, `state.rs`); what the engine does on its own — a scaling activity — is a
//! background change, so a journaling host checkpoints after it (`journal.rs`).

pub(crate) mod scale;
pub(crate) mod state;

use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};

use serde_json::{json, Map, Value};

use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::table::epoch_seconds;

/// The only service namespace dynaplay serves.
pub(crate) const DYNAMODB: &str = "dynamodb";

/// Every namespace Application Auto Scaling's model names (the request enum).
pub(crate) const SERVICE_NAMESPACES: &[&str] = &[
    "ecs",
    "elasticmapreduce",
    "ec2",
    "appstream",
    "dynamodb",
    "rds",
    "sagemaker",
    "custom-resource",
    "comprehend",
    "lambda",
    "cassandra",
    "kafka",
    "elasticache",
    "neptune",
    "workspaces",
];

/// The scalable dimensions of the model's enum that name DynamoDB capacity.
pub(crate) const DYNAMODB_DIMENSIONS: [&str; 4] = [
    "dynamodb:table:ReadCapacityUnits",
    "dynamodb:table:WriteCapacityUnits",
    "dynamodb:index:ReadCapacityUnits",
    "dynamodb:index:WriteCapacityUnits",
];

/// The service-linked role Application Auto Scaling uses for DynamoDB (what
/// DescribeScalableTargets shows as `RoleARN` when none was given).
const SERVICE_LINKED_ROLE: &str = "role/aws-service-role/dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable";

/// The lowest and highest TargetValue DynamoDB accepts (per cent utilization).
pub(crate) const MIN_TARGET: f64 = 20.0;
pub(crate) const MAX_TARGET: f64 = 90.0;

/// How long activities are kept: DescribeScalingActivities shows the last six weeks.
pub(crate) const ACTIVITY_RETENTION_MS: u64 = 42 * 86_400_000;
/// Most activities kept per target (a bound on memory; six weeks at one a minute would be
/// 60,000).
pub(crate) const MAX_ACTIVITIES_PER_TARGET: usize = 1_000;

/// A scalable target: one capacity dimension of a table or GSI.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Target {
    /// `table/T` or `table/T/index/I`.
    pub resource_id: String,
    /// One of [`DYNAMODB_DIMENSIONS`].
    pub dimension: String,
    pub min: i64,
    pub max: i64,
    pub role_arn: Option<String>,
    pub created_ms: u64,
    /// The id in its ARN.
    pub arn_id: String,
    /// `SuspendedState`: dynamic scale in, dynamic scale out, scheduled scaling.
    pub suspended: [bool; 3],
    /// When its last scale-out and scale-in activities completed (for the cooldowns).
    pub last_scale_out_ms: Option<u64>,
    pub last_scale_in_ms: Option<u64>,
}

/// A target tracking scaling policy.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Policy {
    pub name: String,
    pub resource_id: String,
    pub dimension: String,
    /// The id in its ARN and its alarms' names.
    pub uuid: String,
    /// `TargetTrackingScalingPolicyConfiguration` as given (echoed by DescribeScalingPolicies).
    pub configuration: Value,
    pub target_value: f64,
    /// Reads (`DynamoDBReadCapacityUtilization`) or writes.
    pub reads: bool,
    pub scale_in_cooldown_s: u64,
    pub scale_out_cooldown_s: u64,
    pub disable_scale_in: bool,
    pub created_ms: u64,
}

/// A scaling activity, as DescribeScalingActivities shows it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Activity {
    pub id: String,
    pub resource_id: String,
    pub dimension: String,
    pub description: String,
    pub cause: String,
    pub start_ms: u64,
    /// When the change took effect (the table ACTIVE again); InProgress until then.
    pub end_ms: u64,
    /// `None`: it succeeded; else why it failed.
    pub failure: Option<String>,
    /// The capacity it set (for the success message and the charts).
    pub capacity: i64,
}

/// Application Auto Scaling's state in the engine.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct AutoScaling {
    pub targets: Vec<Target>,
    pub policies: Vec<Policy>,
    /// Oldest first.
    pub activities: Vec<Activity>,
    /// Ids handed out so far (seeds the next ARN id, UUID or activity id).
    pub ids: u64,
    /// The engine minute whose alarms were last evaluated (`scale.rs`).
    pub evaluated_minute: u64,
    /// Set while a journal replay moves time: the minutes it crosses were evaluated live, and
    /// anything that changed then is in a checkpoint, so replay evaluates nothing.
    pub quiet: bool,
    /// Since when the engine's metrics describe this session's traffic (an imported workspace
    /// starts with none): earlier minutes are not datapoints.
    pub observed_since_ms: u64,
}

/// Nothing registered: what [`Slot`] reads as until something is.
static NONE: AutoScaling = AutoScaling {
    targets: Vec::new(),
    policies: Vec::new(),
    activities: Vec::new(),
    ids: 0,
    evaluated_minute: 0,
    quiet: false,
    observed_since_ms: 0,
};

/// The engine's auto scaling state, made on first use. A build without the feature never makes
/// one, and its engine carries no code to drop one: the page's first load pays for a pointer.
#[derive(Clone, Debug, Default)]
pub(crate) struct Slot(ManuallyDrop<Option<Box<AutoScaling>>>);

impl Drop for Slot {
    fn drop(&mut self) {
        if crate::features::AUTO_SCALING {
            drop(self.0.take());
        }
    }
}

impl Deref for Slot {
    type Target = AutoScaling;
    fn deref(&self) -> &AutoScaling {
        self.0.as_deref().unwrap_or(&NONE)
    }
}

impl DerefMut for Slot {
    fn deref_mut(&mut self) -> &mut AutoScaling {
        self.0.get_or_insert_with(Default::default)
    }
}

impl AutoScaling {
    /// Whether nothing is registered (the per-second hook's fast exit).
    pub fn is_idle(&self) -> bool {
        self.targets.is_empty()
    }

    /// A fresh id of `len` hex digits, deterministic in the order ids are asked for.
    pub fn next_hex(&mut self, len: usize) -> String {
        self.ids += 1;
        let mut out = String::with_capacity(len);
        // Each id's own stream: no two ids share digits.
        let mut state = self.ids.wrapping_mul(0xD1B5_4A32_D192_ED03) ^ 0x2545_F491_4F6C_DD1D;
        while out.len() < len {
            // splitmix64
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            out.push_str(&format!("{z:016x}"));
        }
        out.truncate(len);
        out
    }

    /// A fresh id shaped as a version 4 UUID.
    pub fn next_uuid(&mut self) -> String {
        let h = self.next_hex(32);
        let variant = ["8", "9", "a", "b"][usize::from(h.as_bytes()[16] % 4)];
        format!("{}-{}-4{}-{variant}{}-{}", &h[..8], &h[8..12], &h[13..16], &h[17..20], &h[20..])
    }

    pub fn target(&self, resource_id: &str, dimension: &str) -> Option<usize> {
        self.targets.iter().position(|t| t.resource_id == resource_id && t.dimension == dimension)
    }
}

/// Which capacity a dimension names: (index?, reads?).
pub(crate) fn dimension_parts(dimension: &str) -> (bool, bool) {
    (dimension.starts_with("dynamodb:index:"), dimension.ends_with(":ReadCapacityUnits"))
}

/// The table and index a resource id names: `table/T` or `table/T/index/I`.
pub(crate) fn parse_resource_id(resource_id: &str) -> Option<(&str, Option<&str>)> {
    let rest = resource_id.strip_prefix("table/")?;
    match rest.split_once("/index/") {
        Some((table, index)) if !table.is_empty() && !index.is_empty() && !index.contains('/') => {
            Some((table, Some(index)))
        }
        Some(_) => None,
        None if !rest.is_empty() && !rest.contains('/') => Some((rest, None)),
        None => None,
    }
}

/// The three members that identify a scalable target, checked as Application Auto Scaling
/// does: a namespace other than `dynamodb`, or a resource id that does not fit its dimension,
/// is "Unsupported service namespace, resource type or scalable dimension".
pub(crate) fn identify(request: &Value) -> ApiResult<(String, String)> {
    let get = |name: &str| request.get(name).and_then(Value::as_str).unwrap_or_default();
    let (namespace, resource_id, dimension) =
        (get("ServiceNamespace"), get("ResourceId"), get("ScalableDimension"));
    let fits = match parse_resource_id(resource_id) {
        Some((_, index)) => dimension_parts(dimension).0 == index.is_some(),
        None => false,
    };
    if namespace != DYNAMODB || !DYNAMODB_DIMENSIONS.contains(&dimension) || !fits {
        return Err(unsupported());
    }
    Ok((resource_id.to_owned(), dimension.to_owned()))
}

/// The namespace must be `dynamodb` (dynaplay scales nothing else).
pub(crate) fn check_namespace(request: &Value) -> ApiResult<()> {
    match request.get("ServiceNamespace").and_then(Value::as_str) {
        Some(DYNAMODB) => Ok(()),
        _ => Err(unsupported()),
    }
}

/// Application Auto Scaling's refusal of a target it cannot scale.
pub(crate) fn unsupported() -> ApiError {
    ApiError::validation("Unsupported service namespace, resource type or scalable dimension")
}

/// ObjectNotFoundException for an unregistered target, as PutScalingPolicy words it.
pub(crate) fn no_target_registered(resource_id: &str, dimension: &str) -> ApiError {
    ApiError::new(
        ErrorKind::ObjectNotFound,
        format!(
            "No scalable target registered for service namespace: dynamodb, resource ID: {resource_id}, scalable dimension: {dimension}"
        ),
    )
}

/// The request's members that page a list: `MaxResults` (default and most: `most`) and
/// `NextToken` (an offset, as text). A token dynaplay did not hand out is refused.
pub(crate) fn page(request: &Value, most: usize) -> ApiResult<(usize, usize)> {
    let max = request.get("MaxResults").and_then(Value::as_u64).map_or(most, |m| (m as usize).clamp(1, most));
    let start = match request.get("NextToken").and_then(Value::as_str) {
        None => 0,
        Some(token) => token.parse().map_err(|_| ApiError::validation("Invalid token"))?,
    };
    Ok((start, max))
}

/// `{<list>: page, NextToken?}`.
pub(crate) fn paged(member: &str, all: Vec<Value>, (start, max): (usize, usize)) -> Value {
    let end = start.saturating_add(max).min(all.len());
    let mut m = Map::new();
    m.insert(member.into(), Value::from(all.get(start.min(end)..end).unwrap_or_default().to_vec()));
    if end < all.len() {
        m.insert("NextToken".into(), json!(end.to_string()));
    }
    Value::Object(m)
}

/// A target as DescribeScalableTargets shows it.
pub(crate) fn describe_target(engine: &Engine, t: &Target) -> Value {
    let (region, account) = (&engine.config.region, &engine.config.account_id);
    json!({
        "ServiceNamespace": DYNAMODB,
        "ResourceId": t.resource_id,
        "ScalableDimension": t.dimension,
        "MinCapacity": t.min,
        "MaxCapacity": t.max,
        "RoleARN": t.role_arn.clone().unwrap_or_else(|| format!("arn:aws:iam::{account}:{SERVICE_LINKED_ROLE}")),
        "CreationTime": epoch_seconds(t.created_ms),
        "SuspendedState": {
            "DynamicScalingInSuspended": t.suspended[0],
            "DynamicScalingOutSuspended": t.suspended[1],
            "ScheduledScalingSuspended": t.suspended[2],
        },
        "ScalableTargetARN": target_arn(region, account, &t.arn_id),
    })
}

pub(crate) fn target_arn(region: &str, account: &str, id: &str) -> String {
    format!("arn:aws:application-autoscaling:{region}:{account}:scalable-target/{id}")
}

/// The four alarms DynamoDB's target tracking creates, by kind.
pub(crate) const ALARM_KINDS: [&str; 4] =
    ["AlarmHigh", "AlarmLow", "ProvisionedCapacityHigh", "ProvisionedCapacityLow"];

/// An alarm's name: `TargetTracking-table/T-AlarmHigh-<uuid>`.
pub(crate) fn alarm_name(p: &Policy, kind: &str) -> String {
    format!("TargetTracking-{}-{kind}-{}", p.resource_id, alarm_uuid(p, kind))
}

/// Each alarm has a UUID of its own; dynaplay derives them from the policy's.
fn alarm_uuid(p: &Policy, kind: &str) -> String {
    let position = ALARM_KINDS.iter().position(|k| *k == kind).unwrap_or(0);
    let mut s: Vec<u8> = p.uuid.bytes().collect();
    // Vary the last hex digit so the four names differ.
    if let Some(last) = s.last_mut() {
        let digit = (char::from(*last).to_digit(16).unwrap_or(0) as usize + position) % 16;
        *last = b"0123456789abcdef"[digit];
    }
    String::from_utf8(s).unwrap_or_default()
}

/// The policy's `Alarms`: name and ARN of each.
pub(crate) fn alarms(engine: &Engine, p: &Policy) -> Value {
    let (region, account) = (&engine.config.region, &engine.config.account_id);
    ALARM_KINDS
        .iter()
        .map(|kind| {
            let name = alarm_name(p, kind);
            json!({"AlarmName": name, "AlarmARN": format!("arn:aws:cloudwatch:{region}:{account}:alarm:{name}")})
        })
        .collect()
}

pub(crate) fn policy_arn(engine: &Engine, p: &Policy) -> String {
    let (region, account) = (&engine.config.region, &engine.config.account_id);
    format!(
        "arn:aws:autoscaling:{region}:{account}:scalingPolicy:{}:resource/dynamodb/{}:policyName/{}",
        p.uuid, p.resource_id, p.name
    )
}

/// A policy as DescribeScalingPolicies shows it.
pub(crate) fn describe_policy(engine: &Engine, p: &Policy) -> Value {
    json!({
        "PolicyARN": policy_arn(engine, p),
        "PolicyName": p.name,
        "ServiceNamespace": DYNAMODB,
        "ResourceId": p.resource_id,
        "ScalableDimension": p.dimension,
        "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": p.configuration,
        "Alarms": alarms(engine, p),
        "CreationTime": epoch_seconds(p.created_ms),
    })
}

/// "read" or "write", as activities word a dimension.
pub(crate) fn units_word(dimension: &str) -> &'static str {
    if dimension_parts(dimension).1 {
        "read"
    } else {
        "write"
    }
}

/// An activity as DescribeScalingActivities shows it at engine time `now`.
pub(crate) fn describe_activity(a: &Activity, now: u64) -> Value {
    let mut m = Map::new();
    m.insert("ActivityId".into(), json!(a.id));
    m.insert("ServiceNamespace".into(), json!(DYNAMODB));
    m.insert("ResourceId".into(), json!(a.resource_id));
    m.insert("ScalableDimension".into(), json!(a.dimension));
    m.insert("Description".into(), json!(a.description));
    m.insert("Cause".into(), json!(a.cause));
    m.insert("StartTime".into(), epoch_seconds(a.start_ms));
    let word = units_word(&a.dimension);
    let (code, message) = match &a.failure {
        Some(why) => {
            ("Failed", format!("Failed to set {word} capacity units to {}. Reason: {why}", a.capacity))
        }
        None if now < a.end_ms => ("InProgress", String::new()),
        None => (
            "Successful",
            format!(
                "Successfully set {word} capacity units to {}. Change successfully fulfilled by dynamodb.",
                a.capacity
            ),
        ),
    };
    if code != "InProgress" {
        m.insert("EndTime".into(), epoch_seconds(a.end_ms));
        m.insert("StatusMessage".into(), json!(message));
    }
    m.insert("StatusCode".into(), json!(code));
    Value::Object(m)
}

/// Records an activity, forgetting the target's oldest past [`MAX_ACTIVITIES_PER_TARGET`] and
/// any older than six weeks.
pub(crate) fn record(state: &mut AutoScaling, activity: Activity) {
    let now = activity.start_ms;
    state.activities.retain(|a| now.saturating_sub(a.start_ms) < ACTIVITY_RETENTION_MS);
    let same = |a: &Activity| a.resource_id == activity.resource_id && a.dimension == activity.dimension;
    if state.activities.iter().filter(|a| same(a)).count() >= MAX_ACTIVITIES_PER_TARGET {
        if let Some(oldest) = state.activities.iter().position(same) {
            state.activities.remove(oldest);
        }
    }
    state.activities.push(activity);
}
