//! The item collection size limit of tables with a local secondary index (10 GB in DynamoDB,
//! scaled down with the playground setting `ItemCollectionSizeLimitBytes`): every write that
//! would grow a collection past it is refused with ItemCollectionSizeLimitExceededException
//! and changes nothing; shrinking, other collections and tables without an LSI are free.

use dynaplay_engine::Engine;
use serde_json::{json, Value};

/// Table `Threads` (Forum, Subject) with LSI `ByLast` on `Last` (ALL), and table `Plain`
/// with the same key and no index; the limit lowered to 4,096 bytes.
fn engine() -> Engine {
    let mut engine = Engine::new();
    let key = json!([{"AttributeName": "Forum", "KeyType": "HASH"}, {"AttributeName": "Subject", "KeyType": "RANGE"}]);
    let attrs = json!([{"AttributeName": "Forum", "AttributeType": "S"}, {"AttributeName": "Subject", "AttributeType": "S"},
                       {"AttributeName": "Last", "AttributeType": "S"}]);
    let throughput = json!({"ReadCapacityUnits": 100, "WriteCapacityUnits": 100});
    engine
        .handle_json(
            "CreateTable",
            json!({"TableName": "Threads", "KeySchema": key, "AttributeDefinitions": attrs,
                   "ProvisionedThroughput": throughput,
                   "LocalSecondaryIndexes": [{"IndexName": "ByLast",
                       "KeySchema": [{"AttributeName": "Forum", "KeyType": "HASH"}, {"AttributeName": "Last", "KeyType": "RANGE"}],
                       "Projection": {"ProjectionType": "ALL"}}]}),
        )
        .unwrap();
    engine
        .handle_json(
            "CreateTable",
            json!({"TableName": "Plain", "KeySchema": key, "AttributeDefinitions": [attrs[0], attrs[1]],
                   "ProvisionedThroughput": throughput}),
        )
        .unwrap();
    let settings = engine
        .handle_json("PlaygroundUpdateSettings", json!({"ItemCollectionSizeLimitBytes": 4096}))
        .unwrap();
    assert_eq!(settings["Settings"]["ItemCollectionSizeLimitBytes"], 4096);
    assert_eq!(settings["Settings"]["DefaultItemCollectionSizeLimitBytes"], json!(10_737_418_240u64));
    engine
}

/// A post of about 1,000 bytes, with its LSI key (so it counts twice: item and entry).
fn post(table: &str, forum: &str, subject: &str) -> Value {
    json!({"TableName": table, "Item": {"Forum": {"S": forum}, "Subject": {"S": subject},
           "Last": {"S": "2026-01-01"}, "Body": {"S": "b".repeat(1000)}}})
}

#[test]
fn a_write_past_the_limit_is_refused_and_changes_nothing() {
    let mut engine = engine();
    // One post is about 2 KB with its LSI entry; a second would pass 4,096 bytes.
    engine.handle_json("PutItem", post("Threads", "dynamo", "one")).unwrap();
    let err = engine.handle_json("PutItem", post("Threads", "dynamo", "two")).unwrap_err();
    assert_eq!(err.kind.name(), "ItemCollectionSizeLimitExceededException");
    assert_eq!(err.type_name(), "com.amazonaws.dynamodb.v20120810#ItemCollectionSizeLimitExceededException");
    assert!(err.message.contains("scaled down to 4096 bytes"), "{}", err.message);
    let count = engine.handle_json("DescribeTable", json!({"TableName": "Threads"})).unwrap()["Table"]
        ["ItemCount"]
        .clone();
    assert_eq!(count, 1, "the refused write stored nothing");
    // Another collection, a table without an LSI, and an item without the LSI key are other matters.
    engine.handle_json("PutItem", post("Threads", "rust", "one")).unwrap();
    for subject in ["a", "b", "c", "d", "e"] {
        engine.handle_json("PutItem", post("Plain", "dynamo", subject)).unwrap();
    }
}

#[test]
fn shrinking_or_keeping_the_size_is_allowed_and_so_is_deleting() {
    let mut engine = engine();
    engine.handle_json("PutItem", post("Threads", "dynamo", "one")).unwrap();
    engine.handle_json("PlaygroundUpdateSettings", json!({"ItemCollectionSizeLimitBytes": 1024})).unwrap();
    // Already above the new limit: the same size again, a smaller item and a delete pass.
    engine.handle_json("PutItem", post("Threads", "dynamo", "one")).unwrap();
    engine
        .handle_json(
            "UpdateItem",
            json!({"TableName": "Threads", "Key": {"Forum": {"S": "dynamo"}, "Subject": {"S": "one"}},
                   "UpdateExpression": "REMOVE Body"}),
        )
        .unwrap();
    let grow = engine.handle_json(
        "UpdateItem",
        json!({"TableName": "Threads", "Key": {"Forum": {"S": "dynamo"}, "Subject": {"S": "one"}},
               "UpdateExpression": "SET Body = :b", "ExpressionAttributeValues": {":b": {"S": "x".repeat(2000)}}}),
    );
    assert_eq!(grow.unwrap_err().kind.name(), "ItemCollectionSizeLimitExceededException");
    engine
        .handle_json(
            "DeleteItem",
            json!({"TableName": "Threads", "Key": {"Forum": {"S": "dynamo"}, "Subject": {"S": "one"}}}),
        )
        .unwrap();
}

#[test]
fn batches_and_transactions_are_held_to_the_limit() {
    let mut engine = engine();
    engine.handle_json("PutItem", post("Threads", "dynamo", "one")).unwrap();
    let put = |subject: &str| json!({"PutRequest": {"Item": post("Threads", "dynamo", subject)["Item"]}});
    let batch = engine.handle_json("BatchWriteItem", json!({"RequestItems": {"Threads": [put("two")]}}));
    assert_eq!(batch.unwrap_err().kind.name(), "ItemCollectionSizeLimitExceededException");
    let tx = engine
        .handle_json(
            "TransactWriteItems",
            json!({"TransactItems": [{"Put": post("Threads", "dynamo", "two")}, {"Put": post("Threads", "rust", "one")}]}),
        )
        .unwrap_err();
    assert_eq!(tx.kind.name(), "TransactionCanceledException");
    assert_eq!(tx.extra["CancellationReasons"][0]["Code"], "ItemCollectionSizeLimitExceeded");
    assert_eq!(tx.extra["CancellationReasons"][1]["Code"], "None");
}

#[test]
fn the_setting_travels_with_the_workspace_and_refuses_bad_values() {
    let engine = engine();
    let document = engine.export_workspace();
    assert_eq!(document["settings"]["ItemCollectionSizeLimitBytes"], 4096);
    let mut restored = Engine::import_workspace(&document).unwrap();
    let settings = restored.handle_json("PlaygroundDescribeSettings", json!({})).unwrap();
    assert_eq!(settings["Settings"]["ItemCollectionSizeLimitBytes"], 4096);
    let bad = restored
        .handle_json("PlaygroundUpdateSettings", json!({"ItemCollectionSizeLimitBytes": 10}))
        .unwrap_err();
    assert_eq!(bad.kind.name(), "ValidationException");
}
