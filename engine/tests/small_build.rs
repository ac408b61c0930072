//! The engine built without its features (global tables, DAX, auto scaling, access control,
//! backups), as the page's first load has it
//! (`cargo test -p dynaplay-engine --no-default-features --test small_build`; scripts/test.sh
//! runs it): what needs them is refused in words that say so and changes nothing, stored data
//! that needs them is recognised as such (not as damage), and the rest works as ever.
#![cfg(not(any(
    feature = "global-tables",
    feature = "dax",
    feature = "auto-scaling",
    feature = "iam",
    feature = "backups"
)))]

use dynaplay_engine::journal::{encode_record, restore, Mutation};
use dynaplay_engine::{Engine, EngineConfig, ErrorKind, NOT_IN_THIS_BUILD};
use serde_json::{json, Value};

fn engine_with_table() -> Engine {
    let mut engine = Engine::new();
    engine.set_now(1_700_000_000_000);
    engine
        .handle_json(
            "CreateTable",
            json!({
                "TableName": "Music",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST",
                "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}
            }),
        )
        .unwrap();
    engine.handle_json("PutItem", json!({"TableName": "Music", "Item": {"pk": {"S": "a"}}})).unwrap();
    engine
}

/// The refusal of this build: a ValidationException naming `what`.
fn assert_refused(answer: Result<Value, dynaplay_engine::ApiError>, what: &str) {
    let error = answer.expect_err("refused");
    assert_eq!(error.kind, ErrorKind::Validation, "{error:?}");
    assert!(error.message.starts_with(NOT_IN_THIS_BUILD), "{}", error.message);
    assert!(error.message.contains(what), "{}", error.message);
    assert!(error.message.contains("dynaplay.useFullEngine()"), "{}", error.message);
}

#[test]
fn dax_operations_are_refused_and_change_nothing() {
    let mut engine = engine_with_table();
    let before = engine.export_workspace();
    let cluster = json!({"ClusterName": "c1", "NodeType": "dax.t3.small", "ReplicationFactor": 1,
                         "IamRoleArn": "arn:aws:iam::000000000000:role/DAX"});
    assert_refused(engine.handle_json("CreateCluster", cluster), "DAX");
    assert_refused(engine.handle_json("DescribeClusters", json!({})), "DAX");
    let through = json!({"ClusterName": "c1", "Operation": "PutItem",
                         "Request": {"TableName": "Music", "Item": {"pk": {"S": "b"}}}});
    assert_refused(engine.handle_json("PlaygroundDaxRequest", through), "DAX");
    assert_eq!(engine.export_workspace(), before, "nothing changed");
}

#[test]
fn auto_scaling_operations_are_refused_and_change_nothing() {
    let mut engine = engine_with_table();
    let before = engine.export_workspace();
    let target = json!({"ServiceNamespace": "dynamodb", "ResourceId": "table/Music",
                        "ScalableDimension": "dynamodb:table:ReadCapacityUnits", "MinCapacity": 1, "MaxCapacity": 5});
    for operation in [
        "RegisterScalableTarget",
        "DescribeScalableTargets",
        "DeregisterScalableTarget",
        "PutScalingPolicy",
        "DescribeScalingPolicies",
        "DeleteScalingPolicy",
        "DescribeScalingActivities",
    ] {
        assert_refused(engine.handle_json(operation, target.clone()), "auto scaling");
    }
    assert_eq!(engine.export_workspace(), before, "nothing changed");
}

#[test]
fn backups_and_restores_are_refused_and_change_nothing() {
    let mut engine = engine_with_table();
    // Point-in-time recovery stays a setting this build keeps and describes.
    let pitr = json!({"TableName": "Music", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}});
    engine.handle_json("UpdateContinuousBackups", pitr).unwrap();
    let before = engine.export_workspace();
    assert!(before.get("backups").is_none(), "no history kept: {before}");
    assert_refused(
        engine.handle_json("CreateBackup", json!({"TableName": "Music", "BackupName": "b1x"})),
        "backups",
    );
    assert_refused(engine.handle_json("ListBackups", json!({})), "backups");
    assert_refused(engine.handle_json("PlaygroundDescribeHistory", json!({"TableName": "Music"})), "backups");
    let restore =
        json!({"SourceTableName": "Music", "TargetTableName": "Back", "UseLatestRestorableTime": true});
    assert_refused(engine.handle_json("RestoreTableToPointInTime", restore), "backups");
    let (answer, entry) =
        engine.handle_logged("CreateBackup", br#"{"TableName":"Music","BackupName":"b1x"}"#);
    assert!(answer.unwrap_err().message.starts_with(NOT_IN_THIS_BUILD));
    assert!(entry.is_none(), "a refusal is never journaled");
    // Exports, imports and the object store go with backups.
    let arn = "arn:aws:dynamodb:us-east-1:000000000000:table/Music";
    for (operation, request) in [
        ("ExportTableToPointInTime", json!({"TableArn": arn, "S3Bucket": "exports"})),
        ("DescribeExport", json!({"ExportArn": format!("{arn}/export/01767225600000-00000000")})),
        ("ListExports", json!({})),
        (
            "ImportTable",
            json!({"S3BucketSource": {"S3Bucket": "exports"}, "InputFormat": "CSV",
                   "TableCreationParameters": {"TableName": "Copy", "BillingMode": "PAY_PER_REQUEST",
                       "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                       "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}]}}),
        ),
        ("DescribeImport", json!({"ImportArn": format!("{arn}/import/01767225600000-00000000")})),
        ("ListImports", json!({})),
        ("PlaygroundListObjects", json!({})),
        ("PlaygroundGetObject", json!({"Bucket": "exports", "Key": "a"})),
        ("PlaygroundPutObject", json!({"Bucket": "exports", "Key": "a", "Body": "YQ=="})),
        ("PlaygroundDeleteObject", json!({"Bucket": "exports", "Key": "a"})),
    ] {
        assert_refused(engine.handle_json(operation, request), "backups");
    }
    assert_eq!(engine.export_workspace(), before, "nothing changed");
    // DeleteTable keeps no SYSTEM backup here.
    engine.handle_json("DeleteTable", json!({"TableName": "Music"})).unwrap();
    assert!(engine.export_workspace().get("backups").is_none());
}

#[test]
fn replicas_and_other_regions_are_refused_and_change_nothing() {
    let mut engine = engine_with_table();
    let before = engine.export_workspace();
    let replica = json!({"TableName": "Music", "ReplicaUpdates": [{"Create": {"RegionName": "eu-west-1"}}]});
    assert_refused(engine.handle_json("UpdateTable", replica), "global tables");
    assert_refused(engine.handle_json("PlaygroundDescribeRegions", json!({})), "global tables");
    assert_refused(engine.handle_json("ListGlobalTables", json!({})), "global tables");
    assert_refused(
        engine.handle_json_in("eu-west-1", "ListTables", json!({})),
        "Regions other than us-east-1",
    );
    let (answer, entry) = engine.handle_logged_in("eu-west-1", "ListTables", b"{}");
    assert!(answer.unwrap_err().message.starts_with(NOT_IN_THIS_BUILD));
    assert!(entry.is_none(), "a refusal is never journaled");
    assert_eq!(engine.export_workspace(), before, "nothing changed");
    // The engine's own Region, named, is served as ever.
    let listed = engine.handle_json_in("us-east-1", "ListTables", json!({})).unwrap();
    assert_eq!(listed["TableNames"], json!(["Music"]));
    let described = engine.handle_json("DescribeTable", json!({"TableName": "Music"})).unwrap();
    assert!(described["Table"].get("Replicas").is_none(), "{described}");
}

#[test]
fn identities_are_refused_and_requests_are_never_authorized() {
    let mut engine = engine_with_table();
    let before = engine.export_workspace();
    let alice = json!({"IdentityName": "alice",
                       "AccessKeys": [{"AccessKeyId": "AKIAALICE00000000000", "SecretAccessKey": "s"}]});
    assert_refused(engine.handle_json("PlaygroundPutIdentity", alice), "identities and IAM policies");
    assert_refused(engine.handle_json("PlaygroundListIdentities", json!({})), "identities and IAM policies");
    assert_refused(
        engine.handle_json("PlaygroundDeleteIdentity", json!({"IdentityName": "alice"})),
        "identities and IAM policies",
    );
    assert!(!engine.act_as(Some("AKIAALICE00000000000")), "no identity has the key");
    let got =
        engine.handle_json("GetItem", json!({"TableName": "Music", "Key": {"pk": {"S": "a"}}})).unwrap();
    assert!(got["Item"].is_object());
    assert_eq!(engine.export_workspace(), before, "nothing changed");
}

#[test]
fn a_workspace_with_global_tables_or_dax_is_refused_as_this_builds_not_as_bad() {
    let base = engine_with_table().export_workspace();
    for (member, value) in [
        (
            "globalTables",
            json!([{"TableName": "Music", "Replicas": [{"RegionName": "eu-west-1", "AddedMs": 0}]}]),
        ),
        ("regions", json!([{"RegionName": "eu-west-1", "tables": []}])),
        ("dax", json!({"ParameterGroups": [], "Clusters": [{"ClusterName": "c1"}]})),
        ("autoScaling", json!({"ScalableTargets": [], "ScalingPolicies": [], "ScalingActivities": []})),
        ("iam", json!({"Identities": [{"IdentityName": "alice"}]})),
        ("backups", json!({"Backups": [], "Histories": {}})),
    ] {
        let mut document = base.clone();
        document[member] = value;
        let error = Engine::import_workspace(&document).err().unwrap_or_else(|| panic!("{member} refused"));
        assert!(error.message.contains(NOT_IN_THIS_BUILD), "{member}: {}", error.message);
    }
    // Without them the same document imports.
    let engine = Engine::import_workspace(&base).unwrap();
    assert_eq!(engine.export_workspace(), base);
}

#[test]
fn a_journal_made_with_dax_stops_at_it_and_says_a_full_build_reads_it() {
    let at_ms = 1_700_000_000_000;
    let mutation = |operation: &str, request: Value| Mutation {
        operation: operation.into(),
        at_ms,
        request: request.to_string(),
        region: None,
    };
    let table = json!({"TableName": "Tracks", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                       "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                       "BillingMode": "PAY_PER_REQUEST"});
    let records = [
        encode_record(&[mutation("CreateTable", table)]).unwrap(),
        encode_record(&[mutation("CreateParameterGroup", json!({"ParameterGroupName": "fast"}))]).unwrap(),
    ];
    let restored = restore(None, &records, EngineConfig::default());
    let failure = restored.failure.expect("stops at the DAX request");
    assert!(failure.not_in_this_build(), "{failure}");
    let mut engine = restored.engine;
    assert_eq!(engine.handle_json("ListTables", json!({})).unwrap()["TableNames"], json!(["Tracks"]));
    // A record that is damaged is damage, not a missing feature.
    let damaged = restore(None, &[b"[[\"PutItem\"".to_vec()], EngineConfig::default());
    assert!(!damaged.failure.expect("damaged").not_in_this_build());
}
