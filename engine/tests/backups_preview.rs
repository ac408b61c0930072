//! PlaygroundDescribeHistory: the timeline view's read of a table's point-in-time history.
#![cfg(feature = "backups")]

use dynaplay_engine::{Engine, ErrorKind};
use serde_json::{json, Value};

const T0: u64 = 1_750_000_000_000;

fn engine() -> Engine {
    let mut engine = Engine::new();
    engine.set_now(T0);
    engine
        .handle_json(
            "CreateTable",
            json!({"TableName": "Orders",
                   "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                   "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                   "BillingMode": "PAY_PER_REQUEST"}),
        )
        .unwrap();
    engine
        .handle_json(
            "UpdateContinuousBackups",
            json!({"TableName": "Orders",
                   "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}}),
        )
        .unwrap();
    engine
}

fn put(engine: &mut Engine, pk: &str, v: i64) {
    let item = json!({"pk": {"S": pk}, "v": {"N": v.to_string()}});
    engine.handle_json("PutItem", json!({"TableName": "Orders", "Item": item})).unwrap();
}

fn delete(engine: &mut Engine, pk: &str) {
    engine.handle_json("DeleteItem", json!({"TableName": "Orders", "Key": {"pk": {"S": pk}}})).unwrap();
}

fn sorted(items: &Value) -> Vec<String> {
    let mut all: Vec<String> = items.as_array().unwrap().iter().map(Value::to_string).collect();
    dynaplay_engine::types::sort_by(&mut all, |a, b| a.cmp(b));
    all
}

fn history(engine: &mut Engine, request: Value) -> Value {
    engine.handle_json("PlaygroundDescribeHistory", request).unwrap()
}

/// A second's worth of writes of every kind, a second apart.
fn timeline(engine: &mut Engine) {
    for (second, pk) in ["a", "b", "c", "d"].iter().enumerate() {
        engine.set_now(T0 + 1_000 * (second as u64 + 1));
        put(engine, pk, second as i64);
    }
    engine.set_now(T0 + 5_000);
    put(engine, "b", 20); // MODIFY
    engine.set_now(T0 + 6_000);
    let batch = json!({"Orders": [{"DeleteRequest": {"Key": {"pk": {"S": "a"}}}},
                                  {"DeleteRequest": {"Key": {"pk": {"S": "c"}}}}]});
    engine.handle_json("BatchWriteItem", json!({"RequestItems": batch})).unwrap();
    engine.set_now(T0 + 7_000);
    delete(engine, "d");
    put(engine, "e", 5);
    engine.set_now(T0 + 9_000);
}

#[test]
fn the_table_at_each_second_is_what_a_restore_to_that_second_holds() {
    let mut engine = engine();
    timeline(&mut engine);
    let mut counts = Vec::new();
    for second in 0..=9u64 {
        let at = (T0 + 1_000 * second) as f64 / 1000.0;
        let preview = history(&mut engine, json!({"TableName": "Orders", "RestoreDateTime": at}));
        let target = format!("At{second}");
        engine
            .handle_json(
                "RestoreTableToPointInTime",
                json!({"SourceTableName": "Orders", "TargetTableName": target, "RestoreDateTime": at}),
            )
            .unwrap();
        let scan = engine.handle_json("Scan", json!({"TableName": target})).unwrap();
        assert_eq!(sorted(&preview["Items"]), sorted(&scan["Items"]), "second {second}");
        assert_eq!(preview["ItemCount"], scan["Count"], "second {second}");
        assert_eq!(preview["Count"], scan["Count"]);
        assert_eq!(preview["RestoreDateTime"], json!(at));
        counts.push(preview["ItemCount"].as_u64().unwrap());
    }
    // Four puts, a replace, a batch of two deletes, a delete and a put.
    assert_eq!(counts, [0, 1, 2, 3, 4, 4, 2, 2, 2, 2]);
    // The second before the batch delete still has a and c; the one after does not.
    let before =
        history(&mut engine, json!({"TableName": "Orders", "RestoreDateTime": (T0 + 5_000) as f64 / 1e3}));
    let keys: Vec<&str> =
        before["Items"].as_array().unwrap().iter().map(|i| i["pk"]["S"].as_str().unwrap()).collect();
    assert!(keys.contains(&"a") && keys.contains(&"c"), "{keys:?}");
    let b = before["Items"].as_array().unwrap().iter().find(|i| i["pk"]["S"] == "b").unwrap();
    assert_eq!(b["v"]["N"], "20");
}

#[test]
fn changes_are_listed_newest_first_with_what_each_did() {
    let mut engine = engine();
    timeline(&mut engine);
    let h = history(&mut engine, json!({"TableName": "Orders"}));
    assert_eq!(h["EarliestRestorableDateTime"], json!(T0 as f64 / 1000.0));
    assert_eq!(h["LatestRestorableDateTime"], json!((T0 + 9_000) as f64 / 1000.0));
    assert!(h.get("Items").is_none(), "no time, no items: {h}");
    let got: Vec<String> = h["Changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let t = (c["Time"].as_f64().unwrap() * 1000.0).round() as u64 - T0;
            format!(
                "{}:{}:{}",
                t / 1000,
                c["EventName"].as_str().unwrap(),
                c["Keys"]["pk"]["S"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "7:INSERT:e",
            "7:REMOVE:d",
            "6:REMOVE:c",
            "6:REMOVE:a",
            "5:MODIFY:b",
            "4:INSERT:d",
            "3:INSERT:c",
            "2:INSERT:b",
            "1:INSERT:a"
        ]
    );
    assert_eq!(h["ChangeCount"], 9);
}

#[test]
fn a_preview_pages_like_scan_and_changes_nothing() {
    let mut engine = engine();
    for i in 0..7 {
        put(&mut engine, &format!("k{i}"), i);
    }
    engine.set_now(T0 + 2_000);
    for i in 0..3 {
        delete(&mut engine, &format!("k{i}"));
    }
    let at = (T0 + 1_000) as f64 / 1000.0;
    let whole = history(&mut engine, json!({"TableName": "Orders", "RestoreDateTime": at}));
    assert_eq!(whole["Count"], 7);
    assert!(whole.get("LastEvaluatedKey").is_none());
    let mut pages = Vec::new();
    let mut request = json!({"TableName": "Orders", "RestoreDateTime": at, "Limit": 3});
    loop {
        let page = history(&mut engine, request.clone());
        assert_eq!(page["ItemCount"], 7);
        pages.extend(page["Items"].as_array().unwrap().clone());
        match page.get("LastEvaluatedKey") {
            Some(key) => request["ExclusiveStartKey"] = key.clone(),
            None => break,
        }
    }
    assert_eq!(pages, *whole["Items"].as_array().unwrap(), "pages in Scan order, none twice");
    // Read-only: no table made, the table untouched, not journaled.
    let tables = engine.handle_json("ListTables", json!({})).unwrap();
    assert_eq!(tables["TableNames"], json!(["Orders"]));
    let scan = engine.handle_json("Scan", json!({"TableName": "Orders", "Select": "COUNT"})).unwrap();
    assert_eq!(scan["Count"], 4);
    assert!(!dynaplay_engine::is_mutating("PlaygroundDescribeHistory"));
}

#[test]
fn refusals_are_the_restores() {
    let mut engine = engine();
    put(&mut engine, "a", 1);
    engine.set_now(T0 + 3_000);
    let err = |r: Result<Value, dynaplay_engine::ApiError>| {
        let e = r.expect_err("an error");
        (e.kind, e.message)
    };
    let early = json!({"TableName": "Orders", "RestoreDateTime": (T0 - 1_000) as f64 / 1e3});
    let (kind, message) = err(engine.handle_json("PlaygroundDescribeHistory", early));
    assert_eq!(kind, ErrorKind::InvalidRestoreTime);
    assert_eq!(
        message,
        "RestoreDateTime must be between EarliestRestorableDateTime and LatestRestorableDateTime"
    );
    let late = json!({"TableName": "Orders", "RestoreDateTime": (T0 + 4_000) as f64 / 1e3});
    assert_eq!(err(engine.handle_json("PlaygroundDescribeHistory", late)).0, ErrorKind::InvalidRestoreTime);
    let (kind, message) = err(engine.handle_json("PlaygroundDescribeHistory", json!({"TableName": "Nope"})));
    assert_eq!((kind, message.as_str()), (ErrorKind::TableNotFound, "Table not found: Nope"));
    engine
        .handle_json(
            "UpdateContinuousBackups",
            json!({"TableName": "Orders",
                   "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": false}}),
        )
        .unwrap();
    let (kind, message) =
        err(engine.handle_json("PlaygroundDescribeHistory", json!({"TableName": "Orders"})));
    assert_eq!(kind, ErrorKind::PointInTimeRecoveryUnavailable);
    assert_eq!(message, "Point in time recovery is not enabled for table 'Orders'");
    let limit = json!({"TableName": "Orders", "Limit": 0});
    assert_eq!(err(engine.handle_json("PlaygroundDescribeHistory", limit)).0, ErrorKind::Validation);
}
