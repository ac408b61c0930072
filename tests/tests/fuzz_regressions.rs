//! Regression tests for what the fuzz targets (`fuzz/`, cargo-fuzz) found: each is the crash's
//! input cut down to what matters, with the answer the engine must now give. The targets'
//! crash files are not kept; these tests are.

use dynaplay_engine::{Engine, ErrorKind};
use serde_json::{json, Value};

/// A table with a stream, and its snapshot document.
fn streamed_table_snapshot() -> Value {
    let mut engine = Engine::new();
    engine.set_now(1_767_225_600_000);
    engine
        .handle_json(
            "CreateTable",
            json!({
                "TableName": "Events",
                "KeySchema": [{"AttributeName": "Id", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "Id", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST",
                "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}
            }),
        )
        .expect("CreateTable");
    engine.export_snapshot()
}

/// An engine at 2026-01-01 with an on-demand table `Users` keyed on `UserId`, its CreateTable
/// carrying the members of `extra` too.
fn users_engine(extra: Value) -> Engine {
    let mut request = json!({
        "TableName": "Users",
        "KeySchema": [{"AttributeName": "UserId", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "UserId", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST"
    });
    for (member, value) in extra.as_object().into_iter().flatten() {
        request[member] = value.clone();
    }
    let mut engine = Engine::new();
    engine.set_now(1_767_225_600_000);
    engine.handle_json("CreateTable", request).expect("CreateTable");
    engine
}

/// Found by `workspace`: a snapshot whose `State.Stream` names a view type that is none of
/// the four was imported as it was; DescribeTable then showed it as the table's
/// StreamSpecification, and the engine's own next snapshot no longer imported (a page that
/// reloaded from it would have lost the workspace). The import now refuses it.
#[test]
fn snapshot_with_an_unknown_stream_view_type_is_refused() {
    let mut snapshot = streamed_table_snapshot();
    assert!(Engine::import_workspace(&snapshot).is_ok(), "the untouched snapshot imports");
    snapshot["tables"][0]["State"]["Stream"]["StreamViewType"] =
        json!("arn:aws:dynamodb:us-east-1:000000000000:table/Users");
    let err = Engine::import_workspace(&snapshot).err().expect("an unknown view type is refused");
    assert_eq!(err.kind, ErrorKind::Validation);
    assert_eq!(err.message, "Invalid workspace file: table 1 (Events): State.Stream is not a stream");
}

/// Found by `workspace`: UpdateTable with a WarmThroughput of reads alone exported
/// `"WriteUnitsPerSecond": 0` beside it, which the snapshot's own CreateTable then refused
/// ("outside of valid range"), so the engine's next snapshot no longer imported. A snapshot
/// now carries only the members that were asked for.
#[test]
fn warm_throughput_of_reads_alone_survives_a_snapshot() {
    let mut engine = users_engine(json!({}));
    engine.set_now(1_767_225_601_000);
    engine
        .handle_json(
            "UpdateTable",
            json!({"TableName": "Users", "WarmThroughput": {"ReadUnitsPerSecond": 20000}}),
        )
        .expect("UpdateTable");
    let snapshot = engine.export_snapshot();
    assert_eq!(snapshot["tables"][0]["WarmThroughput"], json!({"ReadUnitsPerSecond": 20000}));
    let mut again = Engine::import_workspace(&snapshot).expect("the snapshot imports again");
    let described = again.handle_json("DescribeTable", json!({"TableName": "Users"})).expect("DescribeTable");
    assert_eq!(described["Table"]["WarmThroughput"]["ReadUnitsPerSecond"], json!(20000));
}

/// Found by `workspace`: a snapshot whose `State.ResourcePolicy` held a document that is not a
/// JSON object was imported as it was; the engine's next snapshot then carried it as
/// CreateTable's `ResourcePolicy`, which PutResourcePolicy's checks refuse, so it no longer
/// imported. The import now refuses such a policy.
#[test]
fn snapshot_with_a_policy_that_is_not_a_json_object_is_refused() {
    let engine = users_engine(json!({"ResourcePolicy": "{\"Version\": \"2012-10-17\", \"Statement\": []}"}));
    let mut snapshot = engine.export_snapshot();
    assert!(Engine::import_workspace(&snapshot).is_ok(), "the untouched snapshot imports");
    snapshot["tables"][0]["State"]["ResourcePolicy"]["Policy"] = json!("`\"Version\": \"2012-10-17\"}");
    let err =
        Engine::import_workspace(&snapshot).err().expect("a policy that is not a JSON object is refused");
    assert_eq!(err.kind, ErrorKind::Validation);
    assert!(err.message.contains("State.ResourcePolicy is not a policy"), "{}", err.message);
}

/// workspace target: a global table's snapshot named only the Regions numbered so far
/// ("RegionNames": ["us-west-2"], its source Region not yet); importing it numbered every
/// replica's Region at once, so the snapshot exported again differed. Regions are numbered on
/// first use after an import too.
#[test]
fn a_global_tables_snapshot_imports_and_exports_unchanged() {
    let stream =
        json!({"StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}});
    let mut engine = users_engine(stream);
    let replica = json!({"TableName": "Users", "ReplicaUpdates": [{"Create": {"RegionName": "us-west-2"}}]});
    engine.handle_json("UpdateTable", replica).expect("UpdateTable");
    engine.advance(1_500);
    let snapshot = engine.export_snapshot();
    assert_eq!(snapshot["replication"]["RegionNames"], json!(["us-west-2"]), "{}", snapshot["replication"]);
    let again = Engine::import_workspace(&snapshot).expect("imports").export_snapshot();
    assert_eq!(again, snapshot);
}
