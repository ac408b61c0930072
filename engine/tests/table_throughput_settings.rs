//! OnDemandThroughput and WarmThroughput in the capacity simulation: a maximum throttles what
//! goes past it, with the `…MaxOnDemandThroughputExceeded` reason, on the table and on a GSI;
//! warm throughput lays out the partitions to serve it at once.

use dynaplay_engine::Engine;
use serde_json::{json, Value};

const T0: u64 = 1_767_225_600_000;
const ARN: &str = "arn:aws:dynamodb:us-east-1:000000000000:table/Ledger";

fn ledger() -> Engine {
    let mut e = Engine::new();
    e.set_now(T0);
    e.handle_json(
        "CreateTable",
        json!({"TableName": "Ledger", "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"},
                                     {"AttributeName": "kind", "AttributeType": "S"}],
            "GlobalSecondaryIndexes": [{"IndexName": "ByKind",
                "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"}}]}),
    )
    .unwrap();
    e.advance(1_000);
    e
}

fn put(e: &mut Engine, id: &str, kind: Option<&str>) -> Result<Value, dynaplay_engine::ApiError> {
    let mut item = json!({"id": {"S": id}});
    if let Some(kind) = kind {
        item["kind"] = json!({"S": kind});
    }
    e.handle_json("PutItem", json!({"TableName": "Ledger", "Item": item}))
}

fn partitions(e: &mut Engine) -> (usize, usize) {
    let d = e.handle_json("PlaygroundDescribePartitions", json!({"TableName": "Ledger"})).unwrap();
    let count = |v: &Value| v["Partitions"].as_array().map_or(0, Vec::len);
    (count(&d["Table"]), count(&d["GlobalSecondaryIndexes"][0]))
}

#[test]
fn a_table_maximum_throttles_past_it_and_refills() {
    let mut e = ledger();
    e.handle_json(
        "UpdateTable",
        json!({"TableName": "Ledger", "OnDemandThroughput": {"MaxWriteRequestUnits": 2}}),
    )
    .unwrap();
    // A second of the maximum (2 WCU) is banked: two writes, then quick throttles.
    put(&mut e, "a", None).unwrap();
    put(&mut e, "b", None).unwrap();
    let err = put(&mut e, "c", None).unwrap_err();
    assert_eq!(err.kind.name(), "ThrottlingException");
    let body = err.to_json();
    assert_eq!(
        body["ThrottlingReasons"],
        json!([{"reason": "TableWriteMaxOnDemandThroughputExceeded", "resource": ARN}]),
        "{body}"
    );
    // Reads are not limited by a write maximum.
    e.handle_json("GetItem", json!({"TableName": "Ledger", "Key": {"id": {"S": "a"}}})).unwrap();
    // Half a second refills one unit.
    e.advance(500);
    put(&mut e, "c", None).unwrap();
    // -1 removes the maximum: nothing throttles these.
    e.advance(1_000);
    e.handle_json(
        "UpdateTable",
        json!({"TableName": "Ledger", "OnDemandThroughput": {"MaxWriteRequestUnits": -1}}),
    )
    .unwrap();
    for i in 0..20 {
        put(&mut e, &format!("n{i}"), None).unwrap();
    }
}

#[test]
fn an_index_maximum_throttles_the_writes_that_reach_it() {
    let mut e = ledger();
    e.handle_json(
        "UpdateTable",
        json!({"TableName": "Ledger", "GlobalSecondaryIndexUpdates": [
            {"Update": {"IndexName": "ByKind", "OnDemandThroughput": {"MaxWriteRequestUnits": 1}}}]}),
    )
    .unwrap();
    e.advance(1_000);
    put(&mut e, "a", Some("x")).unwrap();
    // A write the index does not see is not limited by it.
    put(&mut e, "b", None).unwrap();
    let err = put(&mut e, "c", Some("y")).unwrap_err();
    assert_eq!(
        err.to_json()["ThrottlingReasons"],
        json!([{"reason": "IndexWriteMaxOnDemandThroughputExceeded", "resource": format!("{ARN}/index/ByKind")}])
    );
    assert!(err.message.contains("global secondary indexes"), "{}", err.message);
    // Nothing of the throttled write happened.
    let got = e.handle_json("GetItem", json!({"TableName": "Ledger", "Key": {"id": {"S": "c"}}})).unwrap();
    assert!(got.get("Item").is_none());
}

#[test]
fn warm_throughput_lays_out_partitions_for_it() {
    let mut e = ledger();
    // A new on-demand table: four partitions, for 12,000 reads or 4,000 writes a second.
    assert_eq!(partitions(&mut e), (4, 4));
    e.handle_json(
        "UpdateTable",
        json!({"TableName": "Ledger", "WarmThroughput": {"WriteUnitsPerSecond": 8000},
               "GlobalSecondaryIndexUpdates": [{"Update": {"IndexName": "ByKind",
                   "WarmThroughput": {"ReadUnitsPerSecond": 24000}}}]}),
    )
    .unwrap();
    assert_eq!(partitions(&mut e), (8, 8));
}
