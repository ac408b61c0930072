//! Loads that DynamoDB serves with SDK retries switched off, and that dynaplay must serve too
//! with its default settings (throttling on). Each runs at several offsets within an engine
//! second, since DynamoDB's admission does not depend on where a wall-clock second starts.
//! Sizes are the stricter reading of "10 KB" / "100 KB": a value of 10,240 / 102,400 bytes
//! plus the key, so 11 / 101 write units an item.

use dynaplay_engine::{ApiError, Engine};
use serde_json::{json, Value};

const T0: u64 = 1_767_225_600_000;
/// Where in an engine second each load starts.
const OFFSETS: [u64; 4] = [0, 250, 640, 990];

fn on_demand_table(offset: u64, name: &str) -> Engine {
    let mut e = Engine::new();
    e.set_now(T0 + offset);
    e.handle_json(
        "CreateTable",
        json!({"TableName": name, "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"}]}),
    )
    .unwrap();
    e
}

fn item(pk: &str, sk: &str, bytes: usize) -> Value {
    json!({"pk": {"S": pk}, "sk": {"S": sk}, "data": {"S": "x".repeat(bytes)}})
}

/// Sends one BatchWriteItem of puts and requires every item to be written.
fn batch_put(e: &mut Engine, table: &str, items: Vec<Value>) -> f64 {
    let reqs: Vec<Value> = items.into_iter().map(|i| json!({"PutRequest": {"Item": i}})).collect();
    let r = e
        .handle_json(
            "BatchWriteItem",
            json!({"RequestItems": {table: reqs}, "ReturnConsumedCapacity": "TOTAL"}),
        )
        .unwrap_or_else(|err| panic!("batch refused at {} ms: {err:?}", e.now() % 1000));
    assert_eq!(r["UnprocessedItems"], json!({}), "at {} ms: {}", e.now() % 1000, r["UnprocessedItems"]);
    r["ConsumedCapacity"][0]["CapacityUnits"].as_f64().unwrap()
}

fn must(r: Result<Value, ApiError>, what: &str, e: &Engine) -> Value {
    r.unwrap_or_else(|err| panic!("{what} refused at {} ms: {err:?}", e.now() % 1000))
}

/// 200 items of 10 KB under one partition key, in eight batches within 30 ms.
#[test]
fn two_hundred_10_kb_items_under_one_partition_key_within_30_ms() {
    for offset in OFFSETS {
        let mut e = on_demand_table(offset, "Hot");
        let mut units = 0.0;
        for b in 0..8 {
            let items = (0..25).map(|i| item("one", &format!("{b:02}-{i:02}"), 10_240)).collect();
            units += batch_put(&mut e, "Hot", items);
            e.advance(4);
        }
        assert_eq!(units, 200.0 * 11.0);
    }
}

/// 800 items of 10 KB under distinct partition keys within 120 ms.
#[test]
fn eight_hundred_10_kb_items_under_distinct_keys_within_120_ms() {
    for offset in OFFSETS {
        let mut e = on_demand_table(offset, "Wide");
        let mut units = 0.0;
        for b in 0..32 {
            let items = (0..25).map(|i| item(&format!("k{b:02}-{i:02}"), "s", 10_240)).collect();
            units += batch_put(&mut e, "Wide", items);
            e.advance(3);
        }
        assert_eq!(units, 800.0 * 11.0);
    }
}

/// 50 × 100 KB batch writes, a 50-item transactional delete, a TransactWriteItems of 30 ×
/// 100 KB puts, then small PutItems in the same second.
#[test]
fn a_3_mb_transaction_after_large_batches_and_a_transactional_delete() {
    for offset in OFFSETS {
        let mut e = on_demand_table(offset, "Txn");
        for b in 0..2 {
            let items = (0..25).map(|i| item(&format!("big{b}-{i:02}"), "s", 102_400)).collect();
            assert_eq!(batch_put(&mut e, "Txn", items), 25.0 * 101.0);
            e.advance(60);
        }
        let deletes: Vec<Value> = (0..50)
            .map(|i| {
                json!({"Delete": {"TableName": "Txn",
                "Key": {"pk": {"S": format!("big{}-{:02}", i / 25, i % 25)}, "sk": {"S": "s"}}}})
            })
            .collect();
        let r = e.handle_json(
            "TransactWriteItems",
            json!({"TransactItems": deletes, "ReturnConsumedCapacity": "TOTAL"}),
        );
        let r = must(r, "the transactional delete", &e);
        assert_eq!(r["ConsumedCapacity"][0]["CapacityUnits"], json!(50.0 * 202.0));
        e.advance(80);
        let puts: Vec<Value> = (0..30)
            .map(|i| json!({"Put": {"TableName": "Txn", "Item": item(&format!("txn-{i:02}"), "s", 102_400)}}))
            .collect();
        let r = e.handle_json(
            "TransactWriteItems",
            json!({"TransactItems": puts, "ReturnConsumedCapacity": "TOTAL"}),
        );
        let r = must(r, "the 3 MB transaction", &e);
        assert_eq!(r["ConsumedCapacity"][0]["CapacityUnits"], json!(30.0 * 202.0));
        for i in 0..10 {
            e.advance(20);
            let r = e.handle_json(
                "PutItem",
                json!({"TableName": "Txn", "Item": item(&format!("small-{i}"), "s", 10)}),
            );
            must(r, "a small PutItem", &e);
        }
    }
}
