//! Stream shards follow partitions: when a partition splits, its shard closes and each new
//! partition gets a child shard naming it as parent; reading parents before children yields
//! every item's changes in order.

use std::collections::{BTreeMap, HashMap};

use dynaplay_engine::Engine;
use serde_json::{json, Value};

fn records(engine: &mut Engine, stream_arn: &str) -> (Vec<Value>, Vec<Value>) {
    let described = engine.handle_json("DescribeStream", json!({"StreamArn": stream_arn})).unwrap();
    let shards = described["StreamDescription"]["Shards"].as_array().unwrap().clone();
    // Parents first: a shard is read once its parent has been.
    let mut read: Vec<String> = Vec::new();
    let mut out = Vec::new();
    while read.len() < shards.len() {
        for shard in &shards {
            let id = shard["ShardId"].as_str().unwrap().to_owned();
            let parent_done = shard
                .get("ParentShardId")
                .and_then(Value::as_str)
                .is_none_or(|p| read.iter().any(|r| r == p) || !shards.iter().any(|s| s["ShardId"] == p));
            if read.contains(&id) || !parent_done {
                continue;
            }
            let mut iterator = engine
                .handle_json(
                    "GetShardIterator",
                    json!({"StreamArn": stream_arn, "ShardId": id, "ShardIteratorType": "TRIM_HORIZON"}),
                )
                .unwrap()["ShardIterator"]
                .clone();
            while let Some(it) = iterator.as_str().map(str::to_owned) {
                let page = engine.handle_json("GetRecords", json!({"ShardIterator": it})).unwrap();
                let batch = page["Records"].as_array().cloned().unwrap_or_default();
                if batch.is_empty() {
                    break;
                }
                out.extend(batch);
                iterator = page["NextShardIterator"].clone();
            }
            read.push(id);
        }
    }
    (shards, out)
}

#[test]
fn shards_split_with_their_partitions_and_keep_per_item_order() {
    let mut engine = Engine::new();
    engine.set_now(1_760_000_000_000);
    engine.handle_json("PlaygroundUpdateSettings", json!({"PartitionSizeLimitBytes": 4096})).unwrap();
    let created = engine
        .handle_json(
            "CreateTable",
            // One partition to begin with; the data outgrows it and it splits.
            json!({"TableName": "Events", "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
                   "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                   "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                   "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}}),
        )
        .unwrap();
    let arn = created["TableDescription"]["LatestStreamArn"].as_str().unwrap().to_owned();
    engine.advance(2_000);
    // Two versions of each of 60 items; the data outgrows the 4 KB partitions as it arrives.
    for version in 0..2 {
        for i in 0..60 {
            engine.advance(10);
            engine
                .handle_json(
                    "PutItem",
                    json!({"TableName": "Events", "Item": {"pk": {"S": format!("k{i}")},
                           "v": {"N": version.to_string()}, "pad": {"S": "x".repeat(150)}}}),
                )
                .unwrap();
        }
    }
    let (shards, records) = records(&mut engine, &arn);
    let with_parent = shards.iter().filter(|s| s.get("ParentShardId").is_some()).count();
    assert!(with_parent >= 2, "partitions split, so child shards exist: {shards:#?}");
    assert_eq!(records.len(), 120, "every change exactly once");
    let mut versions: HashMap<String, Vec<String>> = HashMap::new();
    for r in &records {
        let key = r["dynamodb"]["Keys"]["pk"]["S"].as_str().unwrap().to_owned();
        let v = r["dynamodb"]["NewImage"]["v"]["N"].as_str().unwrap().to_owned();
        versions.entry(key).or_default().push(v);
    }
    let expected: BTreeMap<_, _> =
        (0..60).map(|i| (format!("k{i}"), vec!["0".to_owned(), "1".to_owned()])).collect();
    assert_eq!(versions.into_iter().collect::<BTreeMap<_, _>>(), expected, "in order per item");
}
