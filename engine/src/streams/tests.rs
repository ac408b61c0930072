//! Streams end to end through `Engine::handle_json`: record shape and order for every view
//! type, enabling and disabling, retention, iterator expiry, and TTL deletions.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::streams::ITERATOR_LIFETIME_MS;

const T0: u64 = 1_767_225_600_000;

fn ok(engine: &mut Engine, op: &str, request: Value) -> Value {
    engine.handle_json(op, request).unwrap_or_else(|e| panic!("{op}: {e:?}"))
}

fn err(engine: &mut Engine, op: &str, request: Value) -> (String, String) {
    let e = engine.handle_json(op, request).expect_err(op);
    (e.kind.name().to_owned(), e.message)
}

fn engine_with(view: &str) -> (Engine, String) {
    let mut engine = Engine::new();
    engine.set_now(T0);
    let created = ok(
        &mut engine,
        "CreateTable",
        json!({
            "TableName": "Tbl",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
            // Small provisioned throughput: one partition, so one shard (shards following
            // partitions is tested in engine/tests/stream_shards.rs).
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": view}
        }),
    );
    let arn = created["TableDescription"]["LatestStreamArn"].as_str().unwrap_or_default().to_owned();
    (engine, arn)
}

fn shard_ids(engine: &mut Engine, arn: &str) -> Vec<String> {
    let d = ok(engine, "DescribeStream", json!({"StreamArn": arn}));
    d["StreamDescription"]["Shards"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["ShardId"].as_str().map(str::to_owned))
        .collect()
}

fn iterator(engine: &mut Engine, arn: &str, shard: &str, kind: &str) -> String {
    let r = ok(
        engine,
        "GetShardIterator",
        json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": kind}),
    );
    r["ShardIterator"].as_str().unwrap_or_default().to_owned()
}

/// The stream's shards, every parent before its children (DescribeStream lists them by id).
fn shards_parents_first(engine: &mut Engine, arn: &str) -> Vec<String> {
    let d = ok(engine, "DescribeStream", json!({"StreamArn": arn}));
    let mut rest: Vec<(String, Option<String>)> = d["StreamDescription"]["Shards"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            (
                s["ShardId"].as_str().unwrap_or_default().to_owned(),
                s["ParentShardId"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let mut out: Vec<String> = Vec::new();
    while !rest.is_empty() {
        let before = rest.len();
        let (ready, waiting): (Vec<_>, Vec<_>) =
            rest.into_iter().partition(|(_, parent)| parent.as_ref().is_none_or(|p| out.contains(p)));
        out.extend(ready.into_iter().map(|(id, _)| id));
        rest = waiting;
        assert!(rest.len() < before, "a shard's parent is not listed");
    }
    out
}

/// Every record of every shard, parents first.
fn all_records(engine: &mut Engine, arn: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for shard in shards_parents_first(engine, arn) {
        let mut it = iterator(engine, arn, &shard, "TRIM_HORIZON");
        loop {
            let page = ok(engine, "GetRecords", json!({"ShardIterator": it}));
            let records = page["Records"].as_array().cloned().unwrap_or_default();
            if records.is_empty() {
                break;
            }
            out.extend(records);
            match page["NextShardIterator"].as_str() {
                Some(next) => it = next.to_owned(),
                None => break,
            }
        }
    }
    out
}

fn write_sequence(engine: &mut Engine) {
    let key = json!({"pk": {"S": "a"}, "sk": {"N": "1"}});
    ok(
        engine,
        "PutItem",
        json!({"TableName": "Tbl", "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "v": {"S": "one"}}}),
    );
    ok(
        engine,
        "UpdateItem",
        json!({"TableName": "Tbl", "Key": key, "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": {"S": "two"}}}),
    );
    // Writes that change nothing emit nothing.
    ok(
        engine,
        "PutItem",
        json!({"TableName": "Tbl", "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "v": {"S": "two"}}}),
    );
    ok(engine, "DeleteItem", json!({"TableName": "Tbl", "Key": {"pk": {"S": "zzz"}, "sk": {"N": "1"}}}));
    ok(engine, "DeleteItem", json!({"TableName": "Tbl", "Key": key}));
}

#[test]
fn every_view_type_shows_its_images_in_order() {
    for view in ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"] {
        let (mut engine, arn) = engine_with(view);
        write_sequence(&mut engine);
        let records = all_records(&mut engine, &arn);
        let names: Vec<&str> = records.iter().filter_map(|r| r["eventName"].as_str()).collect();
        assert_eq!(names, ["INSERT", "MODIFY", "REMOVE"], "{view}");
        let mut last = 0u128;
        for r in &records {
            assert_eq!(r["eventVersion"], "1.1");
            assert_eq!(r["eventSource"], "aws:dynamodb");
            assert_eq!(r["awsRegion"], "us-east-1");
            let d = &r["dynamodb"];
            assert_eq!(d["Keys"], json!({"pk": {"S": "a"}, "sk": {"N": "1"}}));
            assert_eq!(d["StreamViewType"], view);
            assert_eq!(d["ApproximateCreationDateTime"], json!(T0 / 1000));
            assert!(d["SizeBytes"].as_u64().unwrap_or(0) > 0);
            let seq: u128 = d["SequenceNumber"].as_str().and_then(|s| s.parse().ok()).unwrap_or(0);
            assert!(seq > last, "sequence numbers increase");
            last = seq;
        }
        let shows_new = view == "NEW_IMAGE" || view == "NEW_AND_OLD_IMAGES";
        let shows_old = view == "OLD_IMAGE" || view == "NEW_AND_OLD_IMAGES";
        let [insert, modify, remove] =
            [&records[0]["dynamodb"], &records[1]["dynamodb"], &records[2]["dynamodb"]];
        assert_eq!(insert.get("NewImage").is_some(), shows_new);
        assert!(insert.get("OldImage").is_none());
        assert_eq!(modify.get("NewImage").is_some(), shows_new);
        assert_eq!(modify.get("OldImage").is_some(), shows_old);
        assert!(remove.get("NewImage").is_none());
        assert_eq!(remove.get("OldImage").is_some(), shows_old);
        if shows_new {
            assert_eq!(modify["NewImage"]["v"], json!({"S": "two"}));
        }
        if shows_old {
            assert_eq!(modify["OldImage"]["v"], json!({"S": "one"}));
        }
    }
}

#[test]
fn batches_and_transactions_are_recorded_once_each() {
    let (mut engine, arn) = engine_with("KEYS_ONLY");
    ok(
        &mut engine,
        "BatchWriteItem",
        json!({"RequestItems": {"Tbl": [
            {"PutRequest": {"Item": {"pk": {"S": "b"}, "sk": {"N": "1"}}}},
            {"PutRequest": {"Item": {"pk": {"S": "b"}, "sk": {"N": "2"}}}}
        ]}}),
    );
    ok(
        &mut engine,
        "TransactWriteItems",
        json!({"TransactItems": [
            {"Delete": {"TableName": "Tbl", "Key": {"pk": {"S": "b"}, "sk": {"N": "1"}}}},
            {"Put": {"TableName": "Tbl", "Item": {"pk": {"S": "c"}, "sk": {"N": "1"}}}}
        ]}),
    );
    // A cancelled transaction writes nothing, so records nothing.
    let _ = engine.handle_json(
        "TransactWriteItems",
        json!({"TransactItems": [
            {"Put": {"TableName": "Tbl", "Item": {"pk": {"S": "d"}, "sk": {"N": "1"}}}},
            {"ConditionCheck": {"TableName": "Tbl", "Key": {"pk": {"S": "zz"}, "sk": {"N": "1"}}, "ConditionExpression": "attribute_exists(pk)"}}
        ]}),
    );
    ok(&mut engine, "ExecuteStatement", json!({"Statement": "INSERT INTO Tbl VALUE {'pk': 'e', 'sk': 1}"}));
    let names: Vec<String> = all_records(&mut engine, &arn)
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r["eventName"].as_str().unwrap_or(""),
                r["dynamodb"]["Keys"]["pk"]["S"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(names, ["INSERT b", "INSERT b", "REMOVE b", "INSERT c", "INSERT e"]);
}

#[test]
fn iterators_position_and_page() {
    let (mut engine, arn) = engine_with("NEW_IMAGE");
    let shard = shard_ids(&mut engine, &arn).remove(0);
    let latest = iterator(&mut engine, &arn, &shard, "LATEST");
    for i in 0..5 {
        ok(
            &mut engine,
            "PutItem",
            json!({"TableName": "Tbl", "Item": {"pk": {"S": "p"}, "sk": {"N": i.to_string()}}}),
        );
    }
    let page = ok(&mut engine, "GetRecords", json!({"ShardIterator": latest, "Limit": 2}));
    let records = page["Records"].as_array().cloned().unwrap_or_default();
    assert_eq!(records.len(), 2);
    let second = records[1]["dynamodb"]["SequenceNumber"].as_str().unwrap_or_default().to_owned();
    let next = page["NextShardIterator"].as_str().unwrap_or_default().to_owned();
    let rest = ok(&mut engine, "GetRecords", json!({"ShardIterator": next}));
    assert_eq!(rest["Records"].as_array().map(Vec::len), Some(3));
    // An open shard read to its end still hands out an iterator.
    assert!(rest["NextShardIterator"].is_string());

    let at = ok(
        &mut engine,
        "GetShardIterator",
        json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "AT_SEQUENCE_NUMBER", "SequenceNumber": second}),
    );
    let from = ok(&mut engine, "GetRecords", json!({"ShardIterator": at["ShardIterator"], "Limit": 1}));
    assert_eq!(from["Records"][0]["dynamodb"]["SequenceNumber"], json!(second));
    let after = ok(
        &mut engine,
        "GetShardIterator",
        json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": second}),
    );
    let from = ok(&mut engine, "GetRecords", json!({"ShardIterator": after["ShardIterator"]}));
    assert_eq!(from["Records"].as_array().map(Vec::len), Some(3));
    assert_eq!(from["Records"][0]["dynamodb"]["NewImage"]["sk"], json!({"N": "2"}));
}

#[test]
fn bad_iterators_and_unknown_streams_are_errors() {
    let (mut engine, arn) = engine_with("KEYS_ONLY");
    let shard = shard_ids(&mut engine, &arn).remove(0);
    assert_eq!(
        err(&mut engine, "GetRecords", json!({"ShardIterator": "not-an-iterator"})),
        ("ValidationException".into(), "Invalid ShardIterator".into())
    );
    // A well-formed ARN naming no stream (another table's) is not found.
    let unknown = arn.replace("table/Tbl/", "table/Other/");
    assert_eq!(
        err(&mut engine, "DescribeStream", json!({"StreamArn": unknown})),
        (
            "ResourceNotFoundException".into(),
            format!("Requested resource not found: Stream: {unknown} not found")
        )
    );
    let (kind, _) = err(
        &mut engine,
        "GetShardIterator",
        json!({"StreamArn": arn, "ShardId": "shardId-00000000000000000000-00000000", "ShardIteratorType": "LATEST"}),
    );
    assert_eq!(kind, "ResourceNotFoundException");
    let (kind, _) = err(
        &mut engine,
        "GetShardIterator",
        json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "AT_SEQUENCE_NUMBER", "SequenceNumber": "999999999999999999999"}),
    );
    assert_eq!(kind, "ValidationException");
    let (kind, message) = err(&mut engine, "GetRecords", json!({"ShardIterator": "x", "Limit": 0}));
    assert_eq!(kind, "ValidationException");
    assert!(message.contains("at 'limit' failed to satisfy constraint"), "{message}");
}

#[test]
fn iterators_expire_after_15_minutes() {
    let (mut engine, arn) = engine_with("KEYS_ONLY");
    let shard = shard_ids(&mut engine, &arn).remove(0);
    let it = iterator(&mut engine, &arn, &shard, "TRIM_HORIZON");
    engine.advance(15 * 60_000);
    let page = ok(&mut engine, "GetRecords", json!({"ShardIterator": it}));
    let next = page["NextShardIterator"].as_str().unwrap_or_default().to_owned();
    engine.advance(15 * 60_000 + 1);
    assert_eq!(err(&mut engine, "GetRecords", json!({"ShardIterator": it})).0, "ExpiredIteratorException");
    assert_eq!(err(&mut engine, "GetRecords", json!({"ShardIterator": next})).0, "ExpiredIteratorException");
}

#[test]
fn records_are_trimmed_after_24_hours() {
    let (mut engine, arn) = engine_with("KEYS_ONLY");
    ok(&mut engine, "PutItem", json!({"TableName": "Tbl", "Item": {"pk": {"S": "old"}, "sk": {"N": "1"}}}));
    let shard = shard_ids(&mut engine, &arn).remove(0);
    let first = all_records(&mut engine, &arn)[0]["dynamodb"]["SequenceNumber"].clone();
    engine.advance(12 * 3_600_000);
    ok(&mut engine, "PutItem", json!({"TableName": "Tbl", "Item": {"pk": {"S": "new"}, "sk": {"N": "1"}}}));
    engine.advance(12 * 3_600_000 - 5 * 60_000);
    let horizon = iterator(&mut engine, &arn, &shard, "TRIM_HORIZON");
    engine.advance(5 * 60_000);
    // The iterator points at a record that has just been trimmed.
    assert_eq!(
        err(&mut engine, "GetRecords", json!({"ShardIterator": horizon})).0,
        "TrimmedDataAccessException"
    );
    let (kind, _) = err(
        &mut engine,
        "GetShardIterator",
        json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "AT_SEQUENCE_NUMBER", "SequenceNumber": first}),
    );
    assert_eq!(kind, "TrimmedDataAccessException");
    let left = all_records(&mut engine, &arn);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["dynamodb"]["Keys"]["pk"], json!({"S": "new"}));
}

#[test]
fn disabling_keeps_the_stream_readable_for_24_hours_and_reenabling_makes_a_new_one() {
    let (mut engine, arn) = engine_with("KEYS_ONLY");
    ok(&mut engine, "PutItem", json!({"TableName": "Tbl", "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}}}));
    ok(
        &mut engine,
        "UpdateTable",
        json!({"TableName": "Tbl", "StreamSpecification": {"StreamEnabled": false}}),
    );
    let d = ok(&mut engine, "DescribeStream", json!({"StreamArn": arn}));
    assert_eq!(d["StreamDescription"]["StreamStatus"], "DISABLING");
    assert!(d["StreamDescription"]["Shards"][0]["SequenceNumberRange"]["EndingSequenceNumber"].is_string());
    engine.advance(1_000);
    let d = ok(&mut engine, "DescribeStream", json!({"StreamArn": arn}));
    assert_eq!(d["StreamDescription"]["StreamStatus"], "DISABLED");
    // Writes after disabling are not recorded; the old record is still there, and a closed
    // shard read to its end has no next iterator.
    ok(&mut engine, "PutItem", json!({"TableName": "Tbl", "Item": {"pk": {"S": "b"}, "sk": {"N": "1"}}}));
    assert_eq!(all_records(&mut engine, &arn).len(), 1);

    engine.advance(1_000);
    let t = ok(
        &mut engine,
        "UpdateTable",
        json!({"TableName": "Tbl", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}}),
    );
    let new_arn = t["TableDescription"]["LatestStreamArn"].as_str().unwrap_or_default().to_owned();
    assert_ne!(new_arn, arn);
    let d = ok(&mut engine, "DescribeStream", json!({"StreamArn": new_arn}));
    assert_eq!(d["StreamDescription"]["StreamStatus"], "ENABLING");
    let listed = ok(&mut engine, "ListStreams", json!({"TableName": "Tbl"}));
    assert_eq!(listed["Streams"].as_array().map(Vec::len), Some(2));
    let page = ok(&mut engine, "ListStreams", json!({"Limit": 1}));
    assert_eq!(page["Streams"][0]["StreamArn"], json!(arn));
    assert_eq!(page["LastEvaluatedStreamArn"], json!(arn));

    engine.advance(24 * 3_600_000);
    assert_eq!(err(&mut engine, "DescribeStream", json!({"StreamArn": arn})).0, "ResourceNotFoundException");
    let listed = ok(&mut engine, "ListStreams", json!({}));
    assert_eq!(
        listed["Streams"],
        json!([{"StreamArn": new_arn, "TableName": "Tbl", "StreamLabel": new_arn.rsplit('/').next().unwrap_or("")}])
    );
}

#[test]
fn a_deleted_tables_stream_stays_readable() {
    let (mut engine, arn) = engine_with("KEYS_ONLY");
    ok(&mut engine, "PutItem", json!({"TableName": "Tbl", "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}}}));
    ok(&mut engine, "DeleteTable", json!({"TableName": "Tbl"}));
    engine.advance(2_000);
    let d = ok(&mut engine, "DescribeStream", json!({"StreamArn": arn}));
    assert_eq!(d["StreamDescription"]["StreamStatus"], "DISABLED");
    assert_eq!(all_records(&mut engine, &arn).len(), 1);
}

#[test]
fn an_empty_closed_shard_read_to_its_end_has_no_next_iterator() {
    // A shard that closes before any record reaches it: TRIM_HORIZON of it is its end.
    let (mut engine, arn) = engine_with("KEYS_ONLY");
    let now = engine.now_ms;
    let table = engine.tables.get_mut("Tbl").expect("table");
    super::on_partition_split(table, (0, u64::MAX), &[(0, u64::MAX / 2), (u64::MAX / 2 + 1, u64::MAX)], now);
    let parent = shard_ids(&mut engine, &arn)[0].clone();
    for kind in ["TRIM_HORIZON", "LATEST"] {
        let it = iterator(&mut engine, &arn, &parent, kind);
        let page = ok(&mut engine, "GetRecords", json!({"ShardIterator": it}));
        assert_eq!(page["Records"], json!([]), "{kind}");
        assert!(page.get("NextShardIterator").is_none(), "{kind}: the closed empty shard is finished");
    }
    // A closed shard with records: finished only after its last page.
    let (mut engine, arn) = engine_with("KEYS_ONLY");
    for i in 0..3 {
        ok(
            &mut engine,
            "PutItem",
            json!({"TableName": "Tbl", "Item": {"pk": {"S": format!("k{i}")}, "sk": {"N": "1"}}}),
        );
    }
    let now = engine.now_ms;
    let table = engine.tables.get_mut("Tbl").expect("table");
    super::on_partition_split(table, (0, u64::MAX), &[(0, u64::MAX / 2), (u64::MAX / 2 + 1, u64::MAX)], now);
    let parent = shard_ids(&mut engine, &arn)[0].clone();
    let it = iterator(&mut engine, &arn, &parent, "TRIM_HORIZON");
    let first = ok(&mut engine, "GetRecords", json!({"ShardIterator": it, "Limit": 2}));
    assert_eq!(first["Records"].as_array().map(Vec::len), Some(2));
    let last =
        ok(&mut engine, "GetRecords", json!({"ShardIterator": first["NextShardIterator"], "Limit": 2}));
    assert_eq!(last["Records"].as_array().map(Vec::len), Some(1));
    assert!(last.get("NextShardIterator").is_none());
}

#[test]
fn a_partition_split_closes_the_shard_and_opens_children() {
    let (mut engine, arn) = engine_with("KEYS_ONLY");
    ok(&mut engine, "PutItem", json!({"TableName": "Tbl", "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}}}));
    let now = engine.now_ms;
    let table = engine.tables.get_mut("Tbl").expect("table");
    super::on_partition_split(table, (0, u64::MAX), &[(0, u64::MAX / 2), (u64::MAX / 2 + 1, u64::MAX)], now);
    for i in 0..20 {
        ok(
            &mut engine,
            "PutItem",
            json!({"TableName": "Tbl", "Item": {"pk": {"S": format!("k{i}")}, "sk": {"N": "1"}}}),
        );
    }
    ok(&mut engine, "DeleteItem", json!({"TableName": "Tbl", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}}));
    let d = ok(&mut engine, "DescribeStream", json!({"StreamArn": arn}));
    let shards = d["StreamDescription"]["Shards"].as_array().cloned().unwrap_or_default();
    assert_eq!(shards.len(), 3);
    let (parents, children): (Vec<&Value>, Vec<&Value>) =
        shards.iter().partition(|s| s["ParentShardId"].is_null());
    assert_eq!(parents.len(), 1);
    assert!(children.iter().all(|c| c["ParentShardId"] == parents[0]["ShardId"]));
    let records = all_records(&mut engine, &arn);
    assert_eq!(records.len(), 22);
    // Item "a": INSERT in the parent, REMOVE in a child — in order when parents are read first.
    let a: Vec<&str> = records
        .iter()
        .filter(|r| r["dynamodb"]["Keys"]["pk"]["S"] == "a")
        .filter_map(|r| r["eventName"].as_str())
        .collect();
    assert_eq!(a, ["INSERT", "REMOVE"]);
}

#[test]
fn ttl_deletes_expired_items_after_the_delay_with_service_records() {
    let (mut engine, arn) = engine_with("NEW_AND_OLD_IMAGES");
    assert_eq!(engine.ttl_deletion_delay_ms(), crate::ttl::DEFAULT_TTL_DELETION_DELAY_MS);
    ok(
        &mut engine,
        "UpdateTimeToLive",
        json!({"TableName": "Tbl", "TimeToLiveSpecification": {"AttributeName": "exp", "Enabled": true}}),
    );
    let expires = T0 / 1000 + 10;
    let put = |pk: &str, exp: u64| json!({"TableName": "Tbl", "Item": {"pk": {"S": pk}, "sk": {"N": "1"}, "exp": {"N": exp.to_string()}}});
    ok(&mut engine, "PutItem", put("soon", expires));
    ok(&mut engine, "PutItem", put("later", expires + 3600));
    ok(
        &mut engine,
        "PutItem",
        json!({"TableName": "Tbl", "Item": {"pk": {"S": "text"}, "sk": {"N": "1"}, "exp": {"S": "1"}}}),
    );
    // Expired but within the delay: still read and updatable.
    engine.advance(12_000);
    let key = json!({"pk": {"S": "soon"}, "sk": {"N": "1"}});
    assert!(ok(&mut engine, "GetItem", json!({"TableName": "Tbl", "Key": key}))["Item"].is_object());
    ok(
        &mut engine,
        "UpdateItem",
        json!({"TableName": "Tbl", "Key": key, "UpdateExpression": "SET touched = :t", "ExpressionAttributeValues": {":t": {"BOOL": true}}}),
    );
    engine.advance(3_000);
    assert!(ok(&mut engine, "GetItem", json!({"TableName": "Tbl", "Key": key})).get("Item").is_none());
    let scan = ok(&mut engine, "Scan", json!({"TableName": "Tbl"}));
    assert_eq!(scan["Count"], 2);
    let records = all_records(&mut engine, &arn);
    let remove = records.last().cloned().unwrap_or_default();
    assert_eq!(remove["eventName"], "REMOVE");
    assert_eq!(remove["userIdentity"], json!({"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"}));
    assert_eq!(remove["dynamodb"]["OldImage"]["touched"], json!({"BOOL": true}));
    // User writes carry no userIdentity.
    assert!(records[0].get("userIdentity").is_none());
}

#[test]
fn ttl_delay_is_a_setting_and_disabling_ttl_stops_deletions() {
    let (mut engine, _) = engine_with("KEYS_ONLY");
    engine.set_ttl_deletion_delay_ms(60_000);
    ok(
        &mut engine,
        "UpdateTimeToLive",
        json!({"TableName": "Tbl", "TimeToLiveSpecification": {"AttributeName": "exp", "Enabled": true}}),
    );
    let exp = (T0 / 1000).to_string();
    ok(
        &mut engine,
        "PutItem",
        json!({"TableName": "Tbl", "Item": {"pk": {"S": "x"}, "sk": {"N": "1"}, "exp": {"N": exp}}}),
    );
    engine.advance(30_000);
    assert_eq!(ok(&mut engine, "Scan", json!({"TableName": "Tbl"}))["Count"], 1);
    engine.advance(31_000);
    assert_eq!(ok(&mut engine, "Scan", json!({"TableName": "Tbl"}))["Count"], 0);

    ok(
        &mut engine,
        "PutItem",
        json!({"TableName": "Tbl", "Item": {"pk": {"S": "y"}, "sk": {"N": "1"}, "exp": {"N": "1767225661"}}}),
    );
    engine.advance(1_000);
    ok(
        &mut engine,
        "UpdateTimeToLive",
        json!({"TableName": "Tbl", "TimeToLiveSpecification": {"AttributeName": "exp", "Enabled": false}}),
    );
    engine.advance(120_000);
    assert_eq!(ok(&mut engine, "Scan", json!({"TableName": "Tbl"}))["Count"], 1);
}

#[test]
fn a_stream_keeps_at_most_its_size_cap_and_reads_behind_it_are_trimmed() {
    let (mut engine, arn) = engine_with("NEW_IMAGE");
    ok(&mut engine, "PlaygroundUpdateSettings", json!({"StreamRetentionBytes": 1024 * 1024}));
    let put = |engine: &mut Engine, i: u32| {
        let item = json!({"pk": {"S": format!("k{i}")}, "sk": {"N": "1"}, "pad": {"S": "p".repeat(20_000)}});
        ok(engine, "PutItem", json!({"TableName": "Tbl", "Item": item}));
    };
    put(&mut engine, 0);
    let shard = shard_ids(&mut engine, &arn).remove(0);
    let first = all_records(&mut engine, &arn)[0]["dynamodb"]["SequenceNumber"].clone();
    let early = iterator(&mut engine, &arn, &shard, "TRIM_HORIZON");
    for i in 1..100 {
        engine.advance(1_000);
        put(&mut engine, i);
    }
    let kept = all_records(&mut engine, &arn);
    let bytes: usize = kept.iter().map(|r| r.to_string().len()).sum();
    assert!(kept.len() < 100 && kept.len() > 20, "{} records kept", kept.len());
    assert!(bytes <= 1024 * 1024 + 64 * 1024, "about the cap: {bytes} bytes");
    // The newest are kept, the oldest trimmed as DynamoDB trims: behind the horizon is gone.
    assert_eq!(kept.last().unwrap()["dynamodb"]["Keys"]["pk"], json!({"S": "k99"}));
    let at_first = json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "AT_SEQUENCE_NUMBER",
                          "SequenceNumber": first});
    assert_eq!(err(&mut engine, "GetShardIterator", at_first).0, "TrimmedDataAccessException");
    assert_eq!(
        err(&mut engine, "GetRecords", json!({"ShardIterator": early})).0,
        "TrimmedDataAccessException"
    );
    // A smaller cap trims at once; the setting is checked.
    ok(&mut engine, "PlaygroundUpdateSettings", json!({"StreamRetentionBytes": 1024 * 1024 + 1}));
    let (kind, message) = err(&mut engine, "PlaygroundUpdateSettings", json!({"StreamRetentionBytes": 1000}));
    assert_eq!(kind, "ValidationException");
    assert!(message.contains("streamRetentionBytes"), "{message}");
    // It is workspace state: the export carries it, an import applies it.
    let doc = engine.export_workspace();
    assert_eq!(doc["settings"]["StreamRetentionBytes"], 1024 * 1024 + 1);
    let mut copy = Engine::import_workspace(&engine.export_snapshot()).unwrap();
    assert_eq!(all_records(&mut copy, &arn), all_records(&mut engine, &arn));
}

#[test]
fn at_most_twenty_disabled_streams_are_kept() {
    let (mut engine, first) = engine_with("KEYS_ONLY");
    for _ in 0..25 {
        engine.advance(2_000);
        ok(
            &mut engine,
            "UpdateTable",
            json!({"TableName": "Tbl", "StreamSpecification": {"StreamEnabled": false}}),
        );
        engine.advance(2_000);
        ok(
            &mut engine,
            "UpdateTable",
            json!({"TableName": "Tbl", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}}),
        );
    }
    let listed = ok(&mut engine, "ListStreams", json!({}))["Streams"].as_array().unwrap().len();
    assert_eq!(listed, 21, "the enabled one and the twenty newest disabled ones");
    let (kind, _) = err(&mut engine, "DescribeStream", json!({"StreamArn": first}));
    assert_eq!(kind, "ResourceNotFoundException", "the oldest is forgotten");
}

#[test]
fn an_iterator_whose_time_overflows_is_invalid_not_a_panic() {
    let (mut engine, arn) = engine_with("KEYS_ONLY");
    let shard = shard_ids(&mut engine, &arn).remove(0);
    for issued in [u64::MAX, u64::MAX - ITERATOR_LIFETIME_MS + 1] {
        let inner = format!("{shard}|100000000000000000001|{issued}");
        let forged = format!("{arn}|1|{}", crate::types::base64::encode(inner.as_bytes()));
        let (kind, message) = err(&mut engine, "GetRecords", json!({"ShardIterator": forged}));
        assert_eq!((kind.as_str(), message.as_str()), ("ValidationException", "Invalid ShardIterator"));
    }
    // The last representable issue time is an iterator from the future: not expired.
    let inner = format!("{shard}|100000000000000000001|{}", u64::MAX - ITERATOR_LIFETIME_MS);
    let latest = format!("{arn}|1|{}", crate::types::base64::encode(inner.as_bytes()));
    assert!(ok(&mut engine, "GetRecords", json!({"ShardIterator": latest}))["Records"].is_array());
}

#[test]
fn a_huge_next_token_lists_nothing_and_does_not_overflow() {
    let (mut engine, _) = engine_with("KEYS_ONLY");
    let r = ok(&mut engine, "ListContributorInsights", json!({"NextToken": usize::MAX.to_string()}));
    assert_eq!(r["ContributorInsightsSummaries"], json!([]));
    assert!(r.get("NextToken").is_none());
}

#[test]
fn stream_arns_are_checked_for_shape_before_lookup() {
    for good in [
        "arn:aws:dynamodb:us-east-1:000000000000:table/Events/stream/2026-01-01T00:00:00.000",
        "arn:aws-cn:dynamodb:cn-north-1:123456789012:table/a.b_c-d/stream/2015-05-11T21:21:33.291",
    ] {
        assert!(super::check_stream_arn(good).is_ok(), "{good}");
    }
    for bad in [
        "",
        "fake-stream",
        "arn:aws:dynamodb:us-east-1:000000000000:table/Events",
        "arn:aws:dynamodb:us-east-1:000000000000:table/Events/stream/latest",
        "arn:aws:dynamodb:us-east-1:00000000000:table/Events/stream/2026-01-01T00:00:00.000",
        "arn:aws:kinesis:us-east-1:000000000000:table/Events/stream/2026-01-01T00:00:00.000",
        "arn:aws:dynamodb:US-EAST-1:000000000000:table/Events/stream/2026-01-01T00:00:00.000",
        "arn:aws:dynamodb:us-east-1:000000000000:table/Ev/stream/2026-01-01T00:00:00.000",
        "arn:aws:dynamodb:us-east-1:000000000000:table/Events/stream/2026-01-01T00:00:00.0000",
        "arn:aws:dynamodb:us-east-1:000000000000:table/Ev ents/stream/2026-01-01T00:00:00.000",
        "arn:xyz:dynamodb:us-east-1:000000000000:table/Events/stream/2026-01-01T00:00:00.000",
    ] {
        let err = super::check_stream_arn(bad).unwrap_err();
        assert_eq!(err.message, "Invalid StreamArn", "{bad}");
    }
}

/// An on-demand table "Wide" with a stream: four partitions, so four shards.
fn four_shard_stream() -> (Engine, String) {
    let mut engine = Engine::new();
    engine.set_now(T0);
    let created = ok(
        &mut engine,
        "CreateTable",
        json!({"TableName": "Wide", "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}}),
    );
    let arn = created["TableDescription"]["LatestStreamArn"].as_str().unwrap_or_default().to_owned();
    (engine, arn)
}

fn listed(d: &Value) -> Vec<String> {
    d["StreamDescription"]["Shards"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["ShardId"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn describe_stream_lists_shards_by_id_and_pages_after_an_id() {
    let (mut engine, arn) = four_shard_stream();
    // Four hours on, each write rolls its shard over to a child: more shards, opened later.
    engine.advance(super::shard::SHARD_ROLLOVER_MS);
    for i in 0..8 {
        ok(&mut engine, "PutItem", json!({"TableName": "Wide", "Item": {"pk": {"S": format!("k{i}")}}}));
    }
    let all = listed(&ok(&mut engine, "DescribeStream", json!({"StreamArn": arn})));
    assert_eq!(all.len(), 8, "{all:?}");
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted, "listed by ShardId");
    assert_eq!(
        listed(&ok(&mut engine, "DescribeStream", json!({"StreamArn": arn}))),
        all,
        "the same list again"
    );

    // Pages of three: LastEvaluatedShardId while more remain, the next page after it.
    let mut paged = Vec::new();
    let mut start: Option<String> = None;
    loop {
        let mut request = json!({"StreamArn": arn, "Limit": 3});
        if let Some(id) = &start {
            request["ExclusiveStartShardId"] = json!(id);
        }
        let d = ok(&mut engine, "DescribeStream", request);
        paged.extend(listed(&d));
        match d["StreamDescription"]["LastEvaluatedShardId"].as_str() {
            Some(id) => start = Some(id.to_owned()),
            None => break,
        }
    }
    assert_eq!(paged, all);

    // An id the stream does not have still places the page: the shards whose ids sort after it.
    let between = format!("{}0", all[3]);
    let d = ok(&mut engine, "DescribeStream", json!({"StreamArn": arn, "ExclusiveStartShardId": between}));
    assert_eq!(listed(&d), all[4..]);
    // Past the last shard: an empty page, nothing more to evaluate.
    let past = "shardId-99999999999999999999-ffffffff";
    let d = ok(&mut engine, "DescribeStream", json!({"StreamArn": arn, "ExclusiveStartShardId": past}));
    assert_eq!(d["StreamDescription"]["Shards"], json!([]));
    assert!(d["StreamDescription"].get("LastEvaluatedShardId").is_none());
}

#[test]
fn a_child_shards_filter_lists_the_children_of_a_shard() {
    let (mut engine, arn) = four_shard_stream();
    engine.advance(super::shard::SHARD_ROLLOVER_MS);
    ok(&mut engine, "PutItem", json!({"TableName": "Wide", "Item": {"pk": {"S": "k0"}}}));
    let d = ok(&mut engine, "DescribeStream", json!({"StreamArn": arn}));
    let shards = d["StreamDescription"]["Shards"].as_array().cloned().unwrap_or_default();
    let child = shards.iter().find(|s| s["ParentShardId"].is_string()).expect("a rolled-over shard");
    let parent = child["ParentShardId"].as_str().unwrap_or_default();
    let filter = |id: &str| json!({"StreamArn": arn, "ShardFilter": {"Type": "CHILD_SHARDS", "ShardId": id}});
    let d = ok(&mut engine, "DescribeStream", filter(parent));
    assert_eq!(d["StreamDescription"]["Shards"], json!([child]));
    // A shard with no children (the child itself), or one the stream does not have: none.
    let d = ok(&mut engine, "DescribeStream", filter(child["ShardId"].as_str().unwrap_or_default()));
    assert_eq!(d["StreamDescription"]["Shards"], json!([]));
    // The filter's members are checked like the request's.
    let (kind, message) = err(
        &mut engine,
        "DescribeStream",
        json!({"StreamArn": arn, "ShardFilter": {"Type": "PARENT_SHARDS", "ShardId": parent}}),
    );
    assert_eq!(kind, "ValidationException");
    assert!(message.contains("at 'shardFilter.type' failed to satisfy constraint: Member must satisfy enum value set: [CHILD_SHARDS]"), "{message}");
    let (kind, message) = err(
        &mut engine,
        "DescribeStream",
        json!({"StreamArn": arn, "ShardFilter": {"Type": "CHILD_SHARDS"}}),
    );
    assert_eq!(kind, "ValidationException");
    assert_eq!(message, "ShardFilter.ShardId is required when ShardFilter.Type is CHILD_SHARDS");
}

#[test]
fn a_shards_starting_sequence_number_positions_an_iterator_even_when_empty() {
    let (mut engine, arn) = four_shard_stream();
    let d = ok(&mut engine, "DescribeStream", json!({"StreamArn": arn}));
    let shard = d["StreamDescription"]["Shards"][2].clone();
    let id = shard["ShardId"].as_str().unwrap_or_default().to_owned();
    let start =
        shard["SequenceNumberRange"]["StartingSequenceNumber"].as_str().unwrap_or_default().to_owned();
    for kind in ["AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"] {
        let it = ok(
            &mut engine,
            "GetShardIterator",
            json!({"StreamArn": arn, "ShardId": id, "ShardIteratorType": kind, "SequenceNumber": start}),
        );
        let page = ok(&mut engine, "GetRecords", json!({"ShardIterator": it["ShardIterator"]}));
        assert_eq!(page["Records"], json!([]), "{kind}");
        assert!(page["NextShardIterator"].is_string(), "{kind}: the shard is open");
    }
    // Records written afterwards are read from there.
    let it = ok(
        &mut engine,
        "GetShardIterator",
        json!({"StreamArn": arn, "ShardId": id, "ShardIteratorType": "AT_SEQUENCE_NUMBER", "SequenceNumber": start}),
    );
    for i in 0..40 {
        ok(&mut engine, "PutItem", json!({"TableName": "Wide", "Item": {"pk": {"S": format!("k{i}")}}}));
    }
    let page = ok(&mut engine, "GetRecords", json!({"ShardIterator": it["ShardIterator"]}));
    let seen = page["Records"].as_array().map_or(0, Vec::len);
    assert!(seen > 0 && seen < 40, "{seen} of the 40 writes land on this shard");
    // One past the shard's range is still refused.
    let beyond = (start.parse::<u128>().unwrap_or(0) + 1_000).to_string();
    let (kind, message) = err(
        &mut engine,
        "GetShardIterator",
        json!({"StreamArn": arn, "ShardId": id, "ShardIteratorType": "AT_SEQUENCE_NUMBER", "SequenceNumber": beyond}),
    );
    assert_eq!(kind, "ValidationException");
    assert_eq!(message, format!("Invalid SequenceNumber: {beyond} for shard {id}"));
}

#[test]
fn sequence_numbers_with_trim_horizon_or_latest_and_malformed_arns_are_validation_errors() {
    let (mut engine, arn) = four_shard_stream();
    let id = shard_ids(&mut engine, &arn).remove(0);
    let seq = "100000000000000000001";
    for kind in ["TRIM_HORIZON", "LATEST"] {
        assert_eq!(
            err(
                &mut engine,
                "GetShardIterator",
                json!({"StreamArn": arn, "ShardId": id, "ShardIteratorType": kind, "SequenceNumber": seq}),
            ),
            (
                "ValidationException".into(),
                format!("SequenceNumber must not be specified when ShardIteratorType is {kind}")
            )
        );
    }
    for bad in [
        "fake-stream",
        "arn:aws:dynamodb:us-east-1:000000000000:table/Wide",
        "arn:aws:dynamodb:us-east-1:000000000000:table/Wide/stream/yesterday-at-noon",
    ] {
        let invalid = ("ValidationException".to_owned(), "Invalid StreamArn".to_owned());
        assert_eq!(err(&mut engine, "DescribeStream", json!({"StreamArn": bad})), invalid, "{bad}");
        let request = json!({"StreamArn": bad, "ShardId": id, "ShardIteratorType": "LATEST"});
        assert_eq!(err(&mut engine, "GetShardIterator", request), invalid, "{bad}");
    }
    // Well formed but naming no stream: not found, on both.
    let other = arn.replace("2026-01-01T00:00:00.000", "2025-01-01T00:00:00.000");
    let (kind, message) = err(&mut engine, "DescribeStream", json!({"StreamArn": other}));
    assert_eq!(
        (kind.as_str(), message),
        ("ResourceNotFoundException", format!("Requested resource not found: Stream: {other} not found"))
    );
    let (kind, _) = err(
        &mut engine,
        "GetShardIterator",
        json!({"StreamArn": other, "ShardId": id, "ShardIteratorType": "LATEST"}),
    );
    assert_eq!(kind, "ResourceNotFoundException");
}
