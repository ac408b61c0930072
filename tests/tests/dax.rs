//! DAX as a learner meets it, through requests on engine time (`PlaygroundDaxRequest` and the
//! `AmazonDAXV3` management operations): hits and misses, TTLs, write-through, negative
//! caching, strongly consistent reads passed through, the stale-cache trap, a query cache that
//! writes do not invalidate, LRU eviction, metrics, the journal and the workspace.

use dynaplay_engine::{ApiError, Engine};
use serde_json::{json, Value};

const T0: u64 = 1_767_225_600_000;
const FIVE_MINUTES: u64 = 300_000;

/// An engine with table `Users` (HASH `id` S, RANGE `n` N, on demand) holding `u1`/1 and a
/// cluster `c1` on the default parameter group.
fn engine() -> Engine {
    let mut e = Engine::new();
    e.set_now(T0);
    e.handle_json(
        "CreateTable",
        json!({"TableName": "Users", "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}, {"AttributeName": "n", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "n", "AttributeType": "N"}]}),
    )
    .unwrap();
    e.handle_json("PutItem", json!({"TableName": "Users", "Item": item("u1", 1, "Ada")})).unwrap();
    e.handle_json("CreateCluster", cluster("c1")).unwrap();
    e
}

fn cluster(name: &str) -> Value {
    json!({"ClusterName": name, "NodeType": "dax.t3.small", "ReplicationFactor": 1,
        "IamRoleArn": "arn:aws:iam::000000000000:role/DAXServiceRole"})
}

fn item(id: &str, n: u32, name: &str) -> Value {
    json!({"id": {"S": id}, "n": {"N": n.to_string()}, "name": {"S": name}})
}

fn key(id: &str, n: u32) -> Value {
    json!({"id": {"S": id}, "n": {"N": n.to_string()}})
}

/// A request through cluster `c1`: the whole PlaygroundDaxRequest answer.
fn dax(e: &mut Engine, operation: &str, request: Value) -> Result<Value, ApiError> {
    e.handle_json(
        "PlaygroundDaxRequest",
        json!({"ClusterName": "c1", "Operation": operation, "Request": request}),
    )
}

fn get(e: &mut Engine, id: &str, n: u32) -> Value {
    let request = json!({"TableName": "Users", "Key": key(id, n), "ReturnConsumedCapacity": "TOTAL"});
    dax(e, "GetItem", request).unwrap()
}

fn name_in(answer: &Value) -> Option<&str> {
    answer["Response"]["Item"]["name"]["S"].as_str()
}

fn view(e: &mut Engine) -> Value {
    e.handle_json("PlaygroundDescribeDaxCache", json!({"ClusterName": "c1"})).unwrap()
}

#[test]
fn a_miss_reads_the_table_and_a_hit_does_not() {
    let mut e = engine();
    let first = get(&mut e, "u1", 1);
    assert_eq!(first["Outcome"], "MISS");
    assert_eq!(first["Cache"], "ITEM");
    assert_eq!(name_in(&first), Some("Ada"));
    assert_eq!(
        first["Response"]["ConsumedCapacity"]["CapacityUnits"],
        json!(0.5),
        "an eventually consistent read"
    );
    assert!(first["LatencyMicroseconds"].as_u64().unwrap() >= 1_000, "a miss costs milliseconds");

    let second = get(&mut e, "u1", 1);
    assert_eq!(second["Outcome"], "HIT");
    assert_eq!(name_in(&second), Some("Ada"));
    assert_eq!(second["Response"]["ConsumedCapacity"], json!({"TableName": "Users", "CapacityUnits": 0.0}));
    assert!(second["LatencyMicroseconds"].as_u64().unwrap() < 1_000, "a hit costs microseconds");
    // The answer is DynamoDB's: the same as the table's own.
    let direct = e.handle_json("GetItem", json!({"TableName": "Users", "Key": key("u1", 1)})).unwrap();
    assert_eq!(second["Response"]["Item"], direct["Item"]);

    let totals = &view(&mut e)["Totals"];
    assert_eq!((totals["ItemCacheHits"].as_u64(), totals["ItemCacheMisses"].as_u64()), (Some(1), Some(1)));
    assert_eq!(totals["Requests"], 2);
}

#[test]
fn a_projection_is_applied_to_the_cached_item() {
    let mut e = engine();
    get(&mut e, "u1", 1);
    let request = json!({"TableName": "Users", "Key": key("u1", 1),
        "ProjectionExpression": "#n", "ExpressionAttributeNames": {"#n": "name"}});
    let answer = dax(&mut e, "GetItem", request).unwrap();
    assert_eq!(answer["Outcome"], "HIT");
    assert_eq!(answer["Response"]["Item"], json!({"name": {"S": "Ada"}}));
    // A request the table would refuse is refused through DAX in the same words.
    let bad = json!({"TableName": "Users", "Key": key("u1", 1), "ProjectionExpression": "#x"});
    let err = dax(&mut e, "GetItem", bad.clone()).unwrap_err();
    assert_eq!(err, e.handle_json("GetItem", bad).unwrap_err());
    let wrong_key = json!({"TableName": "Users", "Key": {"id": {"S": "u1"}}});
    assert_eq!(
        dax(&mut e, "GetItem", wrong_key).unwrap_err().message,
        "The provided key element does not match the schema"
    );
}

#[test]
fn item_entries_expire_after_the_record_ttl() {
    let mut e = engine();
    get(&mut e, "u1", 1);
    e.advance(FIVE_MINUTES - 1);
    assert_eq!(get(&mut e, "u1", 1)["Outcome"], "HIT");
    e.advance(1);
    assert_eq!(get(&mut e, "u1", 1)["Outcome"], "MISS", "five minutes after it was cached");
}

#[test]
fn the_stale_cache_trap_a_write_that_bypasses_dax() {
    let mut e = engine();
    get(&mut e, "u1", 1);
    // Straight to the table: DAX never hears of it.
    e.handle_json("PutItem", json!({"TableName": "Users", "Item": item("u1", 1, "Grace")})).unwrap();
    let cached = get(&mut e, "u1", 1);
    assert_eq!((cached["Outcome"].as_str(), name_in(&cached)), (Some("HIT"), Some("Ada")), "stale");
    let entry = &view(&mut e)["ItemCache"][0];
    assert_eq!(entry["Stale"], true);
    assert_eq!(entry["Item"]["name"]["S"], "Ada");
    let left = entry["ExpiresInMilliseconds"].as_u64().unwrap();
    assert!(left <= FIVE_MINUTES && left > FIVE_MINUTES - 1_000, "{left}");
    // Until the TTL runs out.
    e.advance(FIVE_MINUTES);
    let fresh = get(&mut e, "u1", 1);
    assert_eq!((fresh["Outcome"].as_str(), name_in(&fresh)), (Some("MISS"), Some("Grace")));
    assert_eq!(view(&mut e)["ItemCache"][0]["Stale"], false);
}

#[test]
fn writes_through_dax_update_the_item_cache() {
    let mut e = engine();
    get(&mut e, "u1", 1);
    let put = dax(&mut e, "PutItem", json!({"TableName": "Users", "Item": item("u1", 1, "Grace")})).unwrap();
    assert_eq!(put["Outcome"], "WRITE_THROUGH");
    assert_eq!(put["Response"], json!({}));
    let after = get(&mut e, "u1", 1);
    assert_eq!((after["Outcome"].as_str(), name_in(&after)), (Some("HIT"), Some("Grace")));
    // An UpdateItem writes the whole new item through; a key not cached before is cached.
    let update = json!({"TableName": "Users", "Key": key("u2", 1), "UpdateExpression": "SET #n = :v",
        "ExpressionAttributeNames": {"#n": "name"}, "ExpressionAttributeValues": {":v": {"S": "Linus"}}});
    dax(&mut e, "UpdateItem", update).unwrap();
    let after = get(&mut e, "u2", 1);
    assert_eq!((after["Outcome"].as_str(), name_in(&after)), (Some("HIT"), Some("Linus")));
    // A delete drops the entry: the next read goes to the table.
    dax(&mut e, "DeleteItem", json!({"TableName": "Users", "Key": key("u2", 1)})).unwrap();
    let after = get(&mut e, "u2", 1);
    assert_eq!((after["Outcome"].as_str(), after["Response"].get("Item")), (Some("MISS"), None));
    // A failed conditional write changes nothing, in the table or the cache.
    let refused = json!({"TableName": "Users", "Item": item("u1", 1, "Nobody"), "ConditionExpression": "attribute_not_exists(id)"});
    assert_eq!(dax(&mut e, "PutItem", refused).unwrap_err().kind.name(), "ConditionalCheckFailedException");
    assert_eq!(name_in(&get(&mut e, "u1", 1)), Some("Grace"));
    assert_eq!(
        view(&mut e)["ItemCache"].as_array().unwrap().iter().filter(|i| i["Stale"] == true).count(),
        0
    );
}

#[test]
fn batch_and_transaction_writes_go_through() {
    let mut e = engine();
    let batch = json!({"RequestItems": {"Users": [
        {"PutRequest": {"Item": item("b1", 1, "B1")}},
        {"DeleteRequest": {"Key": key("u1", 1)}}]}});
    assert_eq!(dax(&mut e, "BatchWriteItem", batch).unwrap()["Outcome"], "WRITE_THROUGH");
    assert_eq!(name_in(&get(&mut e, "b1", 1)), Some("B1"));
    assert_eq!(get(&mut e, "b1", 1)["Outcome"], "HIT");
    let tx = json!({"TransactItems": [{"Put": {"TableName": "Users", "Item": item("t1", 1, "T1")}}]});
    dax(&mut e, "TransactWriteItems", tx).unwrap();
    let after = get(&mut e, "t1", 1);
    assert_eq!((after["Outcome"].as_str(), name_in(&after)), (Some("HIT"), Some("T1")));
}

#[test]
fn a_missing_item_is_cached_too() {
    let mut e = engine();
    let first = get(&mut e, "nobody", 1);
    assert_eq!((first["Outcome"].as_str(), first["Response"].get("Item")), (Some("MISS"), None));
    let second = get(&mut e, "nobody", 1);
    assert_eq!((second["Outcome"].as_str(), second["Response"].get("Item")), (Some("HIT"), None));
    // The item appears in the table, not through DAX: the negative entry is stale.
    e.handle_json("PutItem", json!({"TableName": "Users", "Item": item("nobody", 1, "Someone")})).unwrap();
    assert_eq!(get(&mut e, "nobody", 1)["Response"].get("Item"), None);
    let entry = &view(&mut e)["ItemCache"][0];
    assert_eq!((entry["Negative"].as_bool(), entry["Stale"].as_bool()), (Some(true), Some(true)));
}

#[test]
fn strongly_consistent_reads_are_passed_through_and_never_cached() {
    let mut e = engine();
    let request = json!({"TableName": "Users", "Key": key("u1", 1), "ConsistentRead": true, "ReturnConsumedCapacity": "TOTAL"});
    for _ in 0..2 {
        let answer = dax(&mut e, "GetItem", request.clone()).unwrap();
        assert_eq!(answer["Outcome"], "PASS_THROUGH");
        assert_eq!(answer["Response"]["ConsumedCapacity"]["CapacityUnits"], json!(1.0), "paid every time");
        assert!(answer["LatencyMicroseconds"].as_u64().unwrap() >= 1_000, "no faster than the table");
    }
    // They are never stale either: the table answers.
    get(&mut e, "u1", 1);
    e.handle_json("PutItem", json!({"TableName": "Users", "Item": item("u1", 1, "Grace")})).unwrap();
    assert_eq!(name_in(&dax(&mut e, "GetItem", request).unwrap()), Some("Grace"));
    assert_eq!(name_in(&get(&mut e, "u1", 1)), Some("Ada"), "while the eventually consistent read is stale");
    let tx = json!({"TransactItems": [{"Get": {"TableName": "Users", "Key": key("u1", 1)}}]});
    assert_eq!(dax(&mut e, "TransactGetItems", tx).unwrap()["Outcome"], "PASS_THROUGH");
    let totals = &view(&mut e)["Totals"];
    assert_eq!((totals["ItemCacheHits"].as_u64(), totals["ItemCacheMisses"].as_u64()), (Some(1), Some(1)));
}

#[test]
fn the_query_cache_is_not_invalidated_by_writes() {
    let mut e = engine();
    let query = json!({"TableName": "Users", "KeyConditionExpression": "id = :id",
        "ExpressionAttributeValues": {":id": {"S": "u1"}}});
    let first = dax(&mut e, "Query", query.clone()).unwrap();
    assert_eq!((first["Outcome"].as_str(), first["Cache"].as_str()), (Some("MISS"), Some("QUERY")));
    assert_eq!(first["Response"]["Count"], 1);
    // Even a write through DAX leaves the cached answer as it was.
    dax(&mut e, "PutItem", json!({"TableName": "Users", "Item": item("u1", 2, "Second")})).unwrap();
    let cached = dax(&mut e, "Query", query.clone()).unwrap();
    assert_eq!((cached["Outcome"].as_str(), cached["Response"]["Count"].as_u64()), (Some("HIT"), Some(1)));
    assert_eq!(cached["Response"]["Items"], first["Response"]["Items"]);
    // Asking for capacity does not make it another question.
    let mut with_capacity = query.clone();
    with_capacity["ReturnConsumedCapacity"] = json!("TOTAL");
    let answer = dax(&mut e, "Query", with_capacity).unwrap();
    assert_eq!(answer["Outcome"], "HIT");
    assert_eq!(answer["Response"]["ConsumedCapacity"]["CapacityUnits"], json!(0.0));
    // A change to a cached item marks the entry stale.
    dax(&mut e, "PutItem", json!({"TableName": "Users", "Item": item("u1", 1, "Changed")})).unwrap();
    let entry = view(&mut e)["QueryCache"][0].clone();
    assert_eq!((entry["Operation"].as_str(), entry["Stale"].as_bool()), (Some("Query"), Some(true)));
    // Until the query TTL runs out.
    e.advance(FIVE_MINUTES);
    let fresh = dax(&mut e, "Query", query).unwrap();
    assert_eq!((fresh["Outcome"].as_str(), fresh["Response"]["Count"].as_u64()), (Some("MISS"), Some(2)));
    let scan = dax(&mut e, "Scan", json!({"TableName": "Users"})).unwrap();
    assert_eq!(scan["Cache"], "QUERY", "Scan answers are in the query cache");
    assert_eq!(
        dax(&mut e, "Scan", json!({"TableName": "Users", "ConsistentRead": true})).unwrap()["Outcome"],
        "PASS_THROUGH"
    );
}

#[test]
fn batch_get_item_mixes_hits_and_misses() {
    let mut e = engine();
    get(&mut e, "u1", 1);
    let batch = json!({"RequestItems": {"Users": {"Keys": [key("u1", 1), key("nobody", 1)]}}, "ReturnConsumedCapacity": "TOTAL"});
    let first = dax(&mut e, "BatchGetItem", batch.clone()).unwrap();
    assert_eq!(first["Outcome"], "PARTIAL_HIT");
    assert_eq!((first["CacheHits"].as_u64(), first["CacheMisses"].as_u64()), (Some(1), Some(1)));
    assert_eq!(first["Response"]["Responses"]["Users"].as_array().unwrap().len(), 1);
    assert_eq!(first["Response"]["UnprocessedKeys"], json!({}));
    assert_eq!(
        first["Response"]["ConsumedCapacity"][0]["CapacityUnits"],
        json!(0.5),
        "only the miss was read"
    );
    // The missing key is now a negative entry: everything hits.
    let second = dax(&mut e, "BatchGetItem", batch).unwrap();
    assert_eq!((second["Outcome"].as_str(), second["CacheHits"].as_u64()), (Some("HIT"), Some(2)));
    assert_eq!(second["Response"]["Responses"], first["Response"]["Responses"]);
}

#[test]
fn a_full_cache_evicts_the_least_recently_used_entries() {
    let mut e = engine();
    for i in 0..10 {
        e.handle_json("PutItem", json!({"TableName": "Users", "Item": item("u1", i, &"x".repeat(100))}))
            .unwrap();
    }
    // Room for about four of these entries (each ~100 bytes of data and 100 of overhead).
    e.handle_json("PlaygroundUpdateSettings", json!({"DaxCacheSizeLimitBytes": 900})).unwrap();
    for i in 0..10 {
        get(&mut e, "u1", i);
    }
    let v = view(&mut e);
    let cached: Vec<u64> = v["ItemCache"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["Key"]["n"]["N"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(cached, [9, 8, 7, 6], "the most recently used stay");
    assert!(v["CacheSizeBytes"].as_u64().unwrap() <= 900);
    assert_eq!(v["CacheSizeLimitBytes"], 900);
    assert_eq!(v["Totals"]["ItemCacheEvictions"], 6);
    assert_eq!(get(&mut e, "u1", 0)["Outcome"], "MISS", "evicted before its TTL");
    let metrics = view(&mut e);
    let evictions: u64 = metrics["Metrics"]["ItemCacheEvictions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(evictions, 7);
    assert_eq!(metrics["Metrics"]["Requests"].as_array().unwrap().last(), Some(&json!(11)));
}

#[test]
fn parameter_groups_set_the_ttls() {
    let mut e = engine();
    e.handle_json("CreateParameterGroup", json!({"ParameterGroupName": "short", "Description": "1 s"}))
        .unwrap();
    let update = json!({"ParameterGroupName": "short", "ParameterNameValues": [
        {"ParameterName": "record-ttl-millis", "ParameterValue": "1000"},
        {"ParameterName": "query-ttl-millis", "ParameterValue": "0"}]});
    e.handle_json("UpdateParameterGroup", update).unwrap();
    let mut c2 = cluster("c2");
    c2["ParameterGroupName"] = json!("short");
    e.handle_json("CreateCluster", c2).unwrap();
    let through = |e: &mut Engine, op: &str, request: Value| {
        e.handle_json(
            "PlaygroundDaxRequest",
            json!({"ClusterName": "c2", "Operation": op, "Request": request}),
        )
        .unwrap()
    };
    let get_u1 = json!({"TableName": "Users", "Key": key("u1", 1)});
    through(&mut e, "GetItem", get_u1.clone());
    e.advance(999);
    assert_eq!(through(&mut e, "GetItem", get_u1.clone())["Outcome"], "HIT");
    e.advance(1);
    assert_eq!(through(&mut e, "GetItem", get_u1.clone())["Outcome"], "MISS");
    // A query TTL of 0 caches no answers.
    through(&mut e, "Scan", json!({"TableName": "Users"}));
    assert_eq!(through(&mut e, "Scan", json!({"TableName": "Users"}))["Outcome"], "MISS");
    // A record TTL of 0: items stay until evicted or written through.
    let forever = json!({"ParameterGroupName": "short", "ParameterNameValues": [{"ParameterName": "record-ttl-millis", "ParameterValue": "0"}]});
    e.handle_json("UpdateParameterGroup", forever).unwrap();
    through(&mut e, "GetItem", json!({"TableName": "Users", "Key": key("u9", 9)}));
    e.advance(86_400_000);
    assert_eq!(
        through(&mut e, "GetItem", json!({"TableName": "Users", "Key": key("u9", 9)}))["Outcome"],
        "HIT"
    );
    let view = e.handle_json("PlaygroundDescribeDaxCache", json!({"ClusterName": "c2"})).unwrap();
    assert_eq!(
        (view["RecordTtlMilliseconds"].as_u64(), view["QueryTtlMilliseconds"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(view["ItemCache"][0]["ExpiresInMilliseconds"], Value::Null);
    let params = e.handle_json("DescribeParameters", json!({"ParameterGroupName": "short"})).unwrap();
    assert_eq!(params["Parameters"][1]["ParameterName"], "record-ttl-millis");
    assert_eq!(params["Parameters"][1]["ParameterValue"], "0");
}

#[test]
fn management_errors_are_daxs() {
    let mut e = engine();
    let err = e.handle_json("CreateCluster", cluster("C1")).unwrap_err();
    assert_eq!(
        (err.kind.name(), err.to_json()["__type"].as_str()),
        ("ClusterAlreadyExistsFault", Some("ClusterAlreadyExistsFault"))
    );
    assert_eq!(
        e.handle_json("CreateCluster", cluster("1st")).unwrap_err().kind.name(),
        "InvalidParameterValueException"
    );
    let err = e.handle_json("DescribeClusters", json!({"ClusterNames": ["nope"]})).unwrap_err();
    assert_eq!((err.kind.name(), err.message.as_str()), ("ClusterNotFoundFault", "Cluster nope not found."));
    let err = dax_on(&mut e, "nope").unwrap_err();
    assert_eq!(err.kind.name(), "ClusterNotFoundFault");
    let mut c = cluster("c3");
    c["ParameterGroupName"] = json!("missing");
    assert_eq!(e.handle_json("CreateCluster", c).unwrap_err().kind.name(), "ParameterGroupNotFoundFault");
    let defaults = json!({"ParameterGroupName": "default.dax1.0", "ParameterNameValues": []});
    assert_eq!(
        e.handle_json("UpdateParameterGroup", defaults).unwrap_err().kind.name(),
        "InvalidParameterValueException"
    );
    // DAX serves the data plane only.
    let err = dax(&mut e, "DescribeTable", json!({"TableName": "Users"})).unwrap_err();
    assert_eq!(err.kind.name(), "ValidationException");
    let deleted = e.handle_json("DeleteCluster", json!({"ClusterName": "c1"})).unwrap();
    assert_eq!(deleted["Cluster"]["Status"], "deleting");
    assert_eq!(e.handle_json("DescribeClusters", json!({})).unwrap(), json!({"Clusters": []}));
}

fn dax_on(e: &mut Engine, cluster: &str) -> Result<Value, ApiError> {
    e.handle_json(
        "PlaygroundDaxRequest",
        json!({"ClusterName": cluster, "Operation": "GetItem", "Request": {}}),
    )
}

#[test]
fn the_journal_keeps_the_write_a_dax_request_carries_and_no_read() {
    let mut e = engine();
    let put = json!({"ClusterName": "c1", "Operation": "PutItem", "Request": {"TableName": "Users", "Item": item("j", 1, "J")}});
    let (answer, entry) = e.handle_logged("PlaygroundDaxRequest", put.to_string().as_bytes());
    assert!(answer.is_ok());
    let entry = entry.expect("a write is journaled");
    assert_eq!(entry.operation, "PutItem");
    assert_eq!(serde_json::from_slice::<Value>(entry.request.as_bytes()).unwrap()["Item"], item("j", 1, "J"));
    let read = json!({"ClusterName": "c1", "Operation": "GetItem", "Request": {"TableName": "Users", "Key": key("j", 1)}});
    let (answer, entry) = e.handle_logged("PlaygroundDaxRequest", read.to_string().as_bytes());
    assert!(answer.is_ok() && entry.is_none(), "a read changes no workspace");
    assert!(dynaplay_engine::is_mutating("PlaygroundDaxRequest"));
}

#[test]
fn clusters_and_parameter_groups_travel_with_the_workspace_and_caches_do_not() {
    let mut e = engine();
    e.handle_json("CreateParameterGroup", json!({"ParameterGroupName": "pg"})).unwrap();
    let update = json!({"ParameterGroupName": "pg", "ParameterNameValues": [{"ParameterName": "query-ttl-millis", "ParameterValue": "60000"}]});
    e.handle_json("UpdateParameterGroup", update).unwrap();
    let mut c2 = cluster("c2");
    c2["ParameterGroupName"] = json!("pg");
    e.handle_json("CreateCluster", c2).unwrap();
    get(&mut e, "u1", 1);
    let document = e.export_workspace();
    let mut copy = Engine::import_workspace(&document).unwrap();
    assert_eq!(copy.export_workspace(), document);
    for op in ["DescribeClusters", "DescribeParameterGroups"] {
        assert_eq!(copy.handle_json(op, json!({})).unwrap(), e.handle_json(op, json!({})).unwrap(), "{op}");
    }
    let params = copy.handle_json("DescribeParameters", json!({"ParameterGroupName": "pg"})).unwrap();
    assert_eq!(params["Parameters"][0]["ParameterValue"], "60000");
    // The copy's cache starts cold.
    assert_eq!(get(&mut copy, "u1", 1)["Outcome"], "MISS");
    let snapshot = e.export_snapshot();
    assert_eq!(snapshot["dax"], document["dax"]);
}
