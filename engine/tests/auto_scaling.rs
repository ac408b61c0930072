//! Application Auto Scaling on a simulated clock: the API's shapes and errors, a ramping
//! workload chased by target tracking (throttling on the way, then none), scale-in after the
//! long quiet period, DynamoDB's limit on decreases per day, the min/max bounds, and the
//! workspace and journal keeping it all.
#![cfg(feature = "auto-scaling")]

use dynaplay_engine::journal::{encode_record, restore};
use dynaplay_engine::{Engine, EngineConfig};
use serde_json::{json, Value};

/// 2026-01-01T00:00:00Z: a minute boundary.
const T0: u64 = 1_767_225_600_000;

fn engine() -> Engine {
    let mut e = Engine::new();
    e.set_now(T0);
    e
}

fn create(e: &mut Engine, name: &str, rcu: u64, wcu: u64) {
    e.handle_json(
        "CreateTable",
        json!({"TableName": name,
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "ProvisionedThroughput": {"ReadCapacityUnits": rcu, "WriteCapacityUnits": wcu}}),
    )
    .unwrap();
}

fn register(e: &mut Engine, table: &str, dimension: &str, min: i64, max: i64) -> Value {
    e.handle_json(
        "RegisterScalableTarget",
        json!({"ServiceNamespace": "dynamodb", "ResourceId": format!("table/{table}"),
               "ScalableDimension": format!("dynamodb:table:{dimension}CapacityUnits"),
               "MinCapacity": min, "MaxCapacity": max}),
    )
    .unwrap()
}

fn policy(e: &mut Engine, table: &str, dimension: &str, target: f64) -> Value {
    e.handle_json(
        "PutScalingPolicy",
        json!({"PolicyName": format!("{dimension}Scaling"), "ServiceNamespace": "dynamodb",
               "ResourceId": format!("table/{table}"),
               "ScalableDimension": format!("dynamodb:table:{dimension}CapacityUnits"),
               "PolicyType": "TargetTrackingScaling",
               "TargetTrackingScalingPolicyConfiguration": {
                   "TargetValue": target,
                   "PredefinedMetricSpecification": {"PredefinedMetricType": format!("DynamoDB{dimension}CapacityUtilization")}}}),
    )
    .unwrap()
}

fn write_units(e: &mut Engine, table: &str) -> u64 {
    let d = e.handle_json("DescribeTable", json!({"TableName": table})).unwrap();
    d["Table"]["ProvisionedThroughput"]["WriteCapacityUnits"].as_u64().unwrap()
}

fn activities(e: &mut Engine) -> Vec<Value> {
    let a = e.handle_json("DescribeScalingActivities", json!({"ServiceNamespace": "dynamodb"})).unwrap();
    a["ScalingActivities"].as_array().unwrap().clone()
}

/// Starts a workload of `rate` one-KB PutItems a second (one WCU each).
fn writes(e: &mut Engine, table: &str, rate: u64, seed: u64) -> Value {
    e.handle_json(
        "PlaygroundStartWorkload",
        json!({"TableName": table, "Distribution": "UNIFORM", "KeyCount": 2000, "RequestsPerSecond": rate,
               "ReadRatio": 0.0, "ItemSizeBytes": 900, "Seed": seed}),
    )
    .unwrap()["WorkloadId"]
        .clone()
}

fn stop(e: &mut Engine, id: Value) {
    e.handle_json("PlaygroundStopWorkload", json!({"WorkloadId": id})).unwrap();
}

/// Throttled write requests in the last `seconds` seconds.
fn throttled(e: &mut Engine, table: &str, seconds: u64) -> u64 {
    let since = e.now() / 1000 - seconds;
    let m = e.handle_json("PlaygroundGetMetrics", json!({"TableName": table, "SinceSecond": since})).unwrap();
    m["Metrics"]["ThrottledRequests"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).sum()
}

fn run_minutes(e: &mut Engine, minutes: u64) {
    for _ in 0..minutes * 60 {
        e.advance(1_000);
    }
}

#[test]
fn the_api_answers_in_application_auto_scalings_shapes_and_errors() {
    let mut e = engine();
    create(&mut e, "Music", 5, 5);
    // No target yet: PutScalingPolicy's recorded error.
    let err = e
        .handle_json(
            "PutScalingPolicy",
            json!({"PolicyName": "p", "ServiceNamespace": "dynamodb", "ResourceId": "table/Music",
                   "ScalableDimension": "dynamodb:table:ReadCapacityUnits", "PolicyType": "TargetTrackingScaling",
                   "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 70.0}}),
        )
        .unwrap_err();
    assert_eq!(err.kind.name(), "ObjectNotFoundException");
    assert_eq!(
        err.message,
        "No scalable target registered for service namespace: dynamodb, resource ID: table/Music, scalable dimension: dynamodb:table:ReadCapacityUnits"
    );
    // A resource id that is not `table/…`, or one that does not fit its dimension.
    for (resource, dimension) in
        [("Music", "dynamodb:table:ReadCapacityUnits"), ("table/Music", "dynamodb:index:ReadCapacityUnits")]
    {
        let err = e
            .handle_json(
                "RegisterScalableTarget",
                json!({"ServiceNamespace": "dynamodb", "ResourceId": resource, "ScalableDimension": dimension,
                       "MinCapacity": 1, "MaxCapacity": 5}),
            )
            .unwrap_err();
        assert_eq!(err.kind.name(), "ValidationException");
        assert_eq!(err.message, "Unsupported service namespace, resource type or scalable dimension");
    }
    let err = e.handle_json("DescribeScalableTargets", json!({"ServiceNamespace": "nope"})).unwrap_err();
    assert!(err.message.contains("Member must satisfy enum value set"), "{}", err.message);

    let arn = register(&mut e, "Music", "Read", 5, 50)["ScalableTargetARN"].as_str().unwrap().to_owned();
    assert!(
        arn.starts_with("arn:aws:application-autoscaling:us-east-1:000000000000:scalable-target/"),
        "{arn}"
    );
    let targets = e.handle_json("DescribeScalableTargets", json!({"ServiceNamespace": "dynamodb"})).unwrap();
    let t = &targets["ScalableTargets"][0];
    assert_eq!(t["ResourceId"], "table/Music");
    assert_eq!(t["MinCapacity"], 5);
    assert_eq!(t["MaxCapacity"], 50);
    assert_eq!(t["ScalableTargetARN"], arn.as_str());
    assert_eq!(t["SuspendedState"]["DynamicScalingInSuspended"], false);
    assert!(t["RoleARN"]
        .as_str()
        .unwrap()
        .ends_with("AWSServiceRoleForApplicationAutoScaling_DynamoDBTable"));
    // Updating keeps what is not given.
    e.handle_json(
        "RegisterScalableTarget",
        json!({"ServiceNamespace": "dynamodb", "ResourceId": "table/Music",
               "ScalableDimension": "dynamodb:table:ReadCapacityUnits", "MaxCapacity": 80}),
    )
    .unwrap();
    let targets = e.handle_json("DescribeScalableTargets", json!({"ServiceNamespace": "dynamodb"})).unwrap();
    assert_eq!(targets["ScalableTargets"][0]["MinCapacity"], 5);
    assert_eq!(targets["ScalableTargets"][0]["MaxCapacity"], 80);

    // TargetValue outside 20–90 is refused; inside, the policy names its four alarms.
    let bad = json!({"PolicyName": "p", "ServiceNamespace": "dynamodb", "ResourceId": "table/Music",
        "ScalableDimension": "dynamodb:table:ReadCapacityUnits", "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 95.0,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBReadCapacityUtilization"}}});
    assert_eq!(e.handle_json("PutScalingPolicy", bad).unwrap_err().kind.name(), "ValidationException");
    let answer = policy(&mut e, "Music", "Read", 70.0);
    let policy_arn = answer["PolicyARN"].as_str().unwrap();
    assert!(
        policy_arn.starts_with("arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:"),
        "{policy_arn}"
    );
    assert!(policy_arn.ends_with(":resource/dynamodb/table/Music:policyName/ReadScaling"), "{policy_arn}");
    let alarms = answer["Alarms"].as_array().unwrap();
    assert_eq!(alarms.len(), 4);
    let high = alarms[0]["AlarmName"].as_str().unwrap();
    assert!(high.starts_with("TargetTracking-table/Music-AlarmHigh-"), "{high}");
    assert!(alarms[1]["AlarmName"].as_str().unwrap().starts_with("TargetTracking-table/Music-AlarmLow-"));
    assert_eq!(alarms[0]["AlarmARN"], format!("arn:aws:cloudwatch:us-east-1:000000000000:alarm:{high}"));
    let policies = e.handle_json("DescribeScalingPolicies", json!({"ServiceNamespace": "dynamodb"})).unwrap();
    let p = &policies["ScalingPolicies"][0];
    assert_eq!(p["PolicyName"], "ReadScaling");
    assert_eq!(p["PolicyType"], "TargetTrackingScaling");
    assert_eq!(p["TargetTrackingScalingPolicyConfiguration"]["TargetValue"], 70.0);
    assert_eq!(p["PolicyARN"], policy_arn);

    // Deleting what is not there.
    let err = e
        .handle_json(
            "DeleteScalingPolicy",
            json!({"PolicyName": "nope", "ServiceNamespace": "dynamodb", "ResourceId": "table/Music",
                   "ScalableDimension": "dynamodb:table:ReadCapacityUnits"}),
        )
        .unwrap_err();
    assert_eq!(err.kind.name(), "ObjectNotFoundException");
    assert_eq!(err.message, "No scaling policy found for service namespace: dynamodb, resource ID: table/Music, scalable dimension: dynamodb:table:ReadCapacityUnits, policy name: nope");
    // Deregistering takes the policies with it.
    let target = json!({"ServiceNamespace": "dynamodb", "ResourceId": "table/Music",
                        "ScalableDimension": "dynamodb:table:ReadCapacityUnits"});
    assert_eq!(e.handle_json("DeregisterScalableTarget", target.clone()).unwrap(), json!({}));
    let policies = e.handle_json("DescribeScalingPolicies", json!({"ServiceNamespace": "dynamodb"})).unwrap();
    assert_eq!(policies["ScalingPolicies"], json!([]));
    let err = e.handle_json("DeregisterScalableTarget", target).unwrap_err();
    assert_eq!(err.kind.name(), "ObjectNotFoundException");
    assert_eq!(err.message, "No scalable target found for service namespace: dynamodb, resource ID: table/Music, scalable dimension: dynamodb:table:WriteCapacityUnits".replace("Write", "Read"));
}

#[test]
fn registering_brings_capacity_inside_the_range() {
    let mut e = engine();
    create(&mut e, "Low", 5, 5);
    register(&mut e, "Low", "Write", 10, 20);
    // Raised to the minimum at once, taking effect when UpdateTable's UPDATING ends.
    assert_eq!(write_units(&mut e, "Low"), 5, "still UPDATING");
    let a = activities(&mut e);
    assert_eq!(a[0]["Description"], "Setting write capacity units to 10.");
    assert_eq!(a[0]["StatusCode"], "InProgress", "the table is UPDATING");
    e.advance(1_000);
    assert_eq!(write_units(&mut e, "Low"), 10);
    let a = activities(&mut e);
    assert_eq!(a[0]["StatusCode"], "Successful");
    assert_eq!(
        a[0]["StatusMessage"],
        "Successfully set write capacity units to 10. Change successfully fulfilled by dynamodb."
    );
}

#[test]
fn target_tracking_chases_a_ramping_workload_then_throttling_stops() {
    let mut e = engine();
    create(&mut e, "Ramp", 5, 5);
    register(&mut e, "Ramp", "Write", 5, 400);
    policy(&mut e, "Ramp", "Write", 70.0);
    assert!(activities(&mut e).is_empty(), "5 is inside 5–400");
    // A ramp: 20 more writes a second every two minutes, up to 100.
    let mut workloads = Vec::new();
    let mut seen_throttling = 0;
    let mut capacities = vec![write_units(&mut e, "Ramp")];
    for step in 0..5u64 {
        workloads.push(writes(&mut e, "Ramp", 20, step + 1));
        for _ in 0..2 {
            run_minutes(&mut e, 1);
            seen_throttling += throttled(&mut e, "Ramp", 60);
            capacities.push(write_units(&mut e, "Ramp"));
        }
    }
    assert!(seen_throttling > 0, "demand outran the provisioned capacity on the way");
    let rises = capacities.windows(2).filter(|w| w[1] > w[0]).count();
    assert!(rises >= 3, "capacity rose step by step: {capacities:?}");
    // Demand holds at 100 WCU: scaling catches up (100 / 0.7 → 143) and throttling stops.
    run_minutes(&mut e, 8);
    let capacity = write_units(&mut e, "Ramp");
    eprintln!("capacities {capacities:?} then {capacity}, throttled on the way {seen_throttling}");
    assert!((143..=400).contains(&capacity), "{capacity} after catching up ({capacities:?})");
    run_minutes(&mut e, 2);
    assert_eq!(throttled(&mut e, "Ramp", 120), 0, "no throttling once caught up");
    // Every scale-out says which alarm triggered which policy, as AWS writes it.
    let a = activities(&mut e);
    assert!(a.len() >= 3);
    for activity in &a {
        let cause = activity["Cause"].as_str().unwrap();
        assert!(cause.starts_with("monitor alarm TargetTracking-table/Ramp-AlarmHigh-"), "{cause}");
        assert!(cause.ends_with(" in state ALARM triggered policy WriteScaling"), "{cause}");
        assert_eq!(activity["StatusCode"], "Successful");
        assert!(activity["Description"].as_str().unwrap().starts_with("Setting write capacity units to "));
    }
    // Newest first.
    assert!(a[0]["StartTime"].as_f64() > a[1]["StartTime"].as_f64());

    // Scale-in: a trickle for 15 minutes below target − 20 %; nothing before the 15th.
    for id in workloads {
        stop(&mut e, id);
    }
    let trickle = writes(&mut e, "Ramp", 2, 99);
    let before = a.len();
    run_minutes(&mut e, 14);
    assert_eq!(activities(&mut e).len(), before, "14 minutes are not enough");
    run_minutes(&mut e, 2);
    let a = activities(&mut e);
    assert_eq!(a.len(), before + 1, "scaled in after 15 low minutes");
    assert!(a[0]["Cause"].as_str().unwrap().contains("-AlarmLow-"));
    assert_eq!(write_units(&mut e, "Ramp"), 5, "2 WCU / 0.7 → 3, kept at the minimum 5");
    stop(&mut e, trickle);
}

#[test]
fn the_maximum_caps_scale_out() {
    let mut e = engine();
    create(&mut e, "Cap", 5, 5);
    register(&mut e, "Cap", "Write", 5, 12);
    policy(&mut e, "Cap", "Write", 50.0);
    let w = writes(&mut e, "Cap", 40, 1);
    run_minutes(&mut e, 12);
    assert_eq!(write_units(&mut e, "Cap"), 12);
    assert!(throttled(&mut e, "Cap", 60) > 0, "capped below demand: still throttled");
    stop(&mut e, w);
}

#[test]
fn decreases_past_four_a_day_wait_an_hour() {
    let mut e = engine();
    create(&mut e, "Down", 5, 100);
    // Four decreases by hand use today's free ones.
    for (i, wcu) in [90, 80, 70, 60].into_iter().enumerate() {
        e.set_now(T0 + i as u64 * 2_000);
        e.handle_json(
            "UpdateTable",
            json!({"TableName": "Down",
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": wcu}}),
        )
        .unwrap();
    }
    register(&mut e, "Down", "Write", 5, 100);
    policy(&mut e, "Down", "Write", 70.0);
    let w = writes(&mut e, "Down", 2, 5);
    run_minutes(&mut e, 16);
    let a = activities(&mut e);
    assert_eq!(a.len(), 1, "one failed attempt, not one a minute: {a:?}");
    assert_eq!(a[0]["StatusCode"], "Failed");
    let message = a[0]["StatusMessage"].as_str().unwrap();
    assert!(message.starts_with("Failed to set write capacity units to 5. Reason: Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day."), "{message}");
    assert!(message.contains("Number of decreases today: 4."), "{message}");
    assert_eq!(write_units(&mut e, "Down"), 60);
    // An hour after the last decrease the next one goes through.
    run_minutes(&mut e, 45);
    assert_eq!(write_units(&mut e, "Down"), 5);
    assert_eq!(activities(&mut e)[0]["StatusCode"], "Successful");
    stop(&mut e, w);
}

#[test]
fn the_workspace_and_the_journal_keep_auto_scaling_exactly() {
    let mut e = engine();
    create(&mut e, "Kept", 5, 5);
    let mut entries = Vec::new();
    let mut log = |e: &mut Engine, op: &str, body: Value| {
        let (answer, entry) = e.handle_logged(op, body.to_string().as_bytes());
        answer.unwrap();
        entries.push(entry.expect("journaled"));
    };
    let snapshot = e.export_snapshot().to_string();
    log(
        &mut e,
        "RegisterScalableTarget",
        json!({"ServiceNamespace": "dynamodb", "ResourceId": "table/Kept",
        "ScalableDimension": "dynamodb:table:WriteCapacityUnits", "MinCapacity": 5, "MaxCapacity": 50}),
    );
    e.advance(5_000);
    log(
        &mut e,
        "PutScalingPolicy",
        json!({"PolicyName": "w", "ServiceNamespace": "dynamodb",
        "ResourceId": "table/Kept", "ScalableDimension": "dynamodb:table:WriteCapacityUnits",
        "PolicyType": "TargetTrackingScaling", "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 50.0,
        "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBWriteCapacityUtilization"}}}),
    );
    let record = encode_record(&entries).unwrap();
    let restored = restore(Some(snapshot.as_bytes()), &[record], EngineConfig::default());
    assert!(restored.failure.is_none());
    let mut rebuilt = restored.engine;
    rebuilt.set_now(e.now());
    assert_eq!(rebuilt.export_snapshot(), e.export_snapshot(), "replay rebuilds targets and policies");
    assert!(e.export_workspace().get("autoScaling").is_some());

    // Scaling is a background change: the engine's own, so a host checkpoints after it.
    let before = e.background_writes();
    let w = writes(&mut e, "Kept", 20, 3);
    run_minutes(&mut e, 4);
    stop(&mut e, w);
    assert!(write_units(&mut e, "Kept") > 5);
    assert!(e.background_writes() > before);
    // The snapshot carries targets, policies and activities; an import answers the same.
    let snapshot = e.export_snapshot();
    let mut imported = Engine::import_workspace(&snapshot).unwrap();
    assert_eq!(imported.export_snapshot(), snapshot);
    let again = activities(&mut imported);
    assert_eq!(again, activities(&mut e));
    // And the imported engine does not scale in on metrics it never saw.
    let units = write_units(&mut imported, "Kept");
    run_minutes(&mut imported, 3);
    assert_eq!(write_units(&mut imported, "Kept"), units);
}

#[test]
fn a_gsis_capacity_scales_through_its_own_update() {
    let mut e = engine();
    e.handle_json(
        "CreateTable",
        json!({"TableName": "Idx",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
            "GlobalSecondaryIndexes": [{"IndexName": "ByG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
                "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}]}),
    )
    .unwrap();
    let err = e
        .handle_json(
            "RegisterScalableTarget",
            json!({"ServiceNamespace": "dynamodb", "ResourceId": "table/Idx/index/Nope",
                   "ScalableDimension": "dynamodb:index:ReadCapacityUnits", "MinCapacity": 10, "MaxCapacity": 20}),
        )
        .unwrap_err();
    assert_eq!(err.message, "Resource not found: table/Idx/index/Nope");
    e.handle_json(
        "RegisterScalableTarget",
        json!({"ServiceNamespace": "dynamodb", "ResourceId": "table/Idx/index/ByG",
               "ScalableDimension": "dynamodb:index:ReadCapacityUnits", "MinCapacity": 10, "MaxCapacity": 20}),
    )
    .unwrap();
    e.advance(1_000);
    let d = e.handle_json("DescribeTable", json!({"TableName": "Idx"})).unwrap();
    let gsi = &d["Table"]["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"];
    assert_eq!((gsi["ReadCapacityUnits"].as_u64(), gsi["WriteCapacityUnits"].as_u64()), (Some(10), Some(5)));
    assert_eq!(d["Table"]["ProvisionedThroughput"]["ReadCapacityUnits"], 5, "the table's own is untouched");
    assert_eq!(activities(&mut e)[0]["ResourceId"], "table/Idx/index/ByG");
}

/// Minutes before engine time began are no datapoints, and do not hide the ones after it
/// (a lab's workspace starts at time zero).
#[test]
fn an_engine_at_time_zero_scales_out_after_two_minutes() {
    let mut e = Engine::new();
    create(&mut e, "Zero", 5, 5);
    register(&mut e, "Zero", "Write", 5, 200);
    policy(&mut e, "Zero", "Write", 70.0);
    let w = writes(&mut e, "Zero", 40, 7);
    run_minutes(&mut e, 1);
    assert!(activities(&mut e).is_empty(), "one datapoint is not enough");
    run_minutes(&mut e, 1);
    let a = activities(&mut e);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0]["StartTime"], 120.0);
    stop(&mut e, w);
}

/// ScaleOutCooldown spaces scale-outs; a suspended dynamic scale-out holds the capacity.
#[test]
fn cooldowns_and_suspended_scaling_hold_capacity() {
    let mut e = engine();
    create(&mut e, "Cool", 5, 5);
    register(&mut e, "Cool", "Write", 5, 400);
    e.handle_json(
        "PutScalingPolicy",
        json!({"PolicyName": "w", "ServiceNamespace": "dynamodb", "ResourceId": "table/Cool",
               "ScalableDimension": "dynamodb:table:WriteCapacityUnits", "PolicyType": "TargetTrackingScaling",
               "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 70.0, "ScaleOutCooldown": 600,
                   "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBWriteCapacityUtilization"}}}),
    )
    .unwrap();
    let w = writes(&mut e, "Cool", 40, 3);
    run_minutes(&mut e, 9);
    assert_eq!(activities(&mut e).len(), 1, "one scale-out, then ten minutes of cooldown");
    run_minutes(&mut e, 4);
    assert_eq!(activities(&mut e).len(), 2, "the next once the cooldown is over");
    // Suspending dynamic scale-out: the alarm stays in ALARM and nothing happens.
    e.handle_json(
        "RegisterScalableTarget",
        json!({"ServiceNamespace": "dynamodb", "ResourceId": "table/Cool",
               "ScalableDimension": "dynamodb:table:WriteCapacityUnits",
               "SuspendedState": {"DynamicScalingOutSuspended": true}}),
    )
    .unwrap();
    let t = e.handle_json("DescribeScalableTargets", json!({"ServiceNamespace": "dynamodb"})).unwrap();
    assert_eq!(t["ScalableTargets"][0]["SuspendedState"]["DynamicScalingOutSuspended"], true);
    e.advance(1_000); // the second scale-out's UPDATING ends
    let units = write_units(&mut e, "Cool");
    run_minutes(&mut e, 12);
    assert_eq!(write_units(&mut e, "Cool"), units);
    assert_eq!(activities(&mut e).len(), 2);
    stop(&mut e, w);
}
