//! Read consistency through the engine's entry point, on engine time.

use serde_json::{json, Value};

use crate::engine::Engine;

const T0: u64 = 1_750_000_000_000;

/// A table `Tab` (pk, sk) with a GSI `ByColour` (colour) and an LSI `ByRank` (pk, rank), at T0.
fn engine() -> Engine {
    let mut engine = Engine::new();
    engine.set_now(T0);
    engine
        .handle_json(
            "CreateTable",
            json!({"TableName": "Tab", "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                    {"AttributeName": "sk", "AttributeType": "S"},
                    {"AttributeName": "colour", "AttributeType": "S"},
                    {"AttributeName": "rank", "AttributeType": "N"}],
                "GlobalSecondaryIndexes": [{"IndexName": "ByColour",
                    "KeySchema": [{"AttributeName": "colour", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"}}],
                "LocalSecondaryIndexes": [{"IndexName": "ByRank",
                    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "rank", "KeyType": "RANGE"}],
                    "Projection": {"ProjectionType": "ALL"}}]}),
        )
        .unwrap();
    engine
}

fn settings(engine: &mut Engine, replica_ms: u64, gsi_ms: u64) {
    engine
        .handle_json(
            "PlaygroundUpdateSettings",
            json!({"ReplicationDelayMilliseconds": replica_ms, "GsiPropagationDelayMilliseconds": gsi_ms}),
        )
        .unwrap();
}

fn put(engine: &mut Engine, sk: &str, v: &str, colour: &str) {
    let item = json!({"pk": {"S": "p"}, "sk": {"S": sk}, "v": {"S": v}, "colour": {"S": colour}, "rank": {"N": "1"}});
    engine.handle_json("PutItem", json!({"TableName": "Tab", "Item": item})).unwrap();
}

/// GetItem of `sk`'s `v`, or "-" when no item came back.
fn get(engine: &mut Engine, sk: &str, consistent: bool) -> String {
    let got = engine
        .handle_json(
            "GetItem",
            json!({"TableName": "Tab", "Key": {"pk": {"S": "p"}, "sk": {"S": sk}}, "ConsistentRead": consistent}),
        )
        .unwrap();
    got["Item"]["v"]["S"].as_str().unwrap_or("-").to_owned()
}

/// The `v`s of a Query (on `index`, keyed by `key`) or of the table's partition "p".
fn query(engine: &mut Engine, index: Option<(&str, &str, &str)>) -> Vec<String> {
    let request = match index {
        Some((name, attr, value)) => json!({"TableName": "Tab", "IndexName": name,
            "KeyConditionExpression": format!("{attr} = :v"), "ExpressionAttributeValues": {":v": {"S": value}}}),
        None => json!({"TableName": "Tab", "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": {"S": "p"}}}),
    };
    values(&engine.handle_json("Query", request).unwrap())
}

fn values(page: &Value) -> Vec<String> {
    page["Items"].as_array().unwrap().iter().map(|i| i["v"]["S"].as_str().unwrap_or("?").to_owned()).collect()
}

#[test]
fn with_the_delays_at_zero_every_read_is_the_latest() {
    let mut engine = engine();
    put(&mut engine, "a", "v1", "red");
    put(&mut engine, "a", "v2", "blue");
    for _ in 0..6 {
        assert_eq!(get(&mut engine, "a", false), "v2");
    }
    assert_eq!(query(&mut engine, Some(("ByColour", "colour", "blue"))), ["v2"]);
    assert!(engine.tables.get("Tab").unwrap().items.lagging.is_empty(), "nothing is held");
    let why = engine.handle_json("PlaygroundExplainRequest", json!({})).unwrap();
    assert_eq!(why["ReadConsistency"]["Consistency"], "EVENTUAL");
    assert_eq!(why["ReadConsistency"]["Stale"], false);
    let rules: Vec<&str> =
        why["Explanations"].as_array().unwrap().iter().filter_map(|e| e["Rule"].as_str()).collect();
    assert!(!rules.contains(&"ReadConsistency"), "nothing to say with the delays off: {rules:?}");
}

#[test]
fn every_third_eventually_consistent_read_lands_on_the_lagging_replica() {
    let mut engine = engine();
    settings(&mut engine, 1_000, 0);
    put(&mut engine, "a", "v1", "red");
    engine.advance(1_000);
    put(&mut engine, "a", "v2", "red");
    engine.advance(400);
    // Replicas 1, 2, 3, 1, 2, 3: the third and sixth reads miss the second write.
    let reads: Vec<String> = (0..6).map(|_| get(&mut engine, "a", false)).collect();
    assert_eq!(reads, ["v2", "v2", "v1", "v2", "v2", "v1"]);
    // A strongly consistent read is never stale, and does not move the rotation.
    for _ in 0..4 {
        assert_eq!(get(&mut engine, "a", true), "v2");
    }
    assert_eq!(get(&mut engine, "a", false), "v2");
    assert_eq!(get(&mut engine, "a", false), "v2");
    let why = engine.handle_json("PlaygroundExplainRequest", json!({})).unwrap();
    assert_eq!(why["ReadConsistency"]["Reads"][0]["Replica"], 2);
    assert_eq!(get(&mut engine, "a", false), "v1");
    let why = engine.handle_json("PlaygroundExplainRequest", json!({})).unwrap();
    let c = &why["ReadConsistency"];
    assert_eq!(c["Stale"], true, "{why}");
    assert_eq!(
        (c["BehindMilliseconds"].as_u64(), c["CaughtUpInMilliseconds"].as_u64()),
        (Some(400), Some(600))
    );
    assert_eq!(
        c["Reads"][0],
        json!({"TableName": "Tab", "Replica": 3, "DelayMilliseconds": 1000, "Stale": true,
        "StaleItems": 1, "MissedWrites": 1, "BehindMilliseconds": 400, "CaughtUpInMilliseconds": 600})
    );
    let explained = why["Explanations"].as_array().unwrap().iter().find(|e| e["Rule"] == "ReadConsistency");
    assert_eq!(explained.unwrap()["Summary"], "Stale: replica 3 of Tab had not received 1 write yet.");
    // Once engine time passes the delay the lagging replica has it, and nothing stays held.
    engine.advance(600);
    let reads: Vec<String> = (0..3).map(|_| get(&mut engine, "a", false)).collect();
    assert_eq!(reads, ["v2", "v2", "v2"]);
    engine.advance(1_000);
    assert!(engine.tables.get("Tab").unwrap().items.lagging.is_empty(), "delivered at housekeeping");
}

/// Reads until the next one lands on replica 3 (two reads of something else).
fn skip_to_lagging(engine: &mut Engine) {
    while engine.playground.eventual_reads % 3 != 2 {
        get(engine, "zz", false);
    }
}

#[test]
fn a_lagging_query_and_scan_show_the_partition_as_replica_3_holds_it() {
    let mut engine = engine();
    put(&mut engine, "a", "a1", "red");
    put(&mut engine, "b", "b1", "red");
    settings(&mut engine, 2_000, 0);
    put(&mut engine, "a", "a2", "red");
    engine
        .handle_json("DeleteItem", json!({"TableName": "Tab", "Key": {"pk": {"S": "p"}, "sk": {"S": "b"}}}))
        .unwrap();
    put(&mut engine, "c", "c1", "red");
    assert_eq!(query(&mut engine, None), ["a2", "c1"], "replica 1");
    skip_to_lagging(&mut engine);
    assert_eq!(
        query(&mut engine, None),
        ["a1", "b1"],
        "replica 3: the update, delete and insert are missing"
    );
    skip_to_lagging(&mut engine);
    let scan = engine.handle_json("Scan", json!({"TableName": "Tab"})).unwrap();
    assert_eq!(values(&scan), ["a1", "b1"]);
    let scan = engine.handle_json("Scan", json!({"TableName": "Tab", "ConsistentRead": true})).unwrap();
    assert_eq!(values(&scan), ["a2", "c1"]);
    // A local secondary index lives on the table's partitions and lags with them.
    skip_to_lagging(&mut engine);
    let lsi = engine
        .handle_json(
            "Query",
            json!({"TableName": "Tab", "IndexName": "ByRank", "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": {"S": "p"}}}),
        )
        .unwrap();
    assert_eq!(values(&lsi), ["a1", "b1"]);
    let why = engine.handle_json("PlaygroundExplainRequest", json!({})).unwrap();
    assert_eq!(why["ReadConsistency"]["StaleItems"], 3, "{why}");
    // PartiQL's SELECT reads the same replicas, and ConsistentRead true the leader.
    skip_to_lagging(&mut engine);
    let select = json!({"Statement": "SELECT * FROM \"Tab\" WHERE pk = 'p'"});
    assert_eq!(values(&engine.handle_json("ExecuteStatement", select.clone()).unwrap()), ["a1", "b1"]);
    let mut strong = select;
    strong["ConsistentRead"] = json!(true);
    assert_eq!(values(&engine.handle_json("ExecuteStatement", strong).unwrap()), ["a2", "c1"]);
}

#[test]
fn a_gsi_lags_its_table_by_the_propagation_delay() {
    let mut engine = engine();
    settings(&mut engine, 0, 500);
    put(&mut engine, "a", "v1", "red");
    assert!(query(&mut engine, Some(("ByColour", "colour", "red"))).is_empty(), "not propagated yet");
    engine.advance(500);
    assert_eq!(query(&mut engine, Some(("ByColour", "colour", "red"))), ["v1"]);
    // The index key moves red → blue: until it propagates, red still shows the old entry.
    put(&mut engine, "a", "v2", "blue");
    engine.advance(100);
    assert_eq!(query(&mut engine, Some(("ByColour", "colour", "red"))), ["v1"]);
    assert!(query(&mut engine, Some(("ByColour", "colour", "blue"))).is_empty());
    let why = engine.handle_json("PlaygroundExplainRequest", json!({})).unwrap();
    let read = &why["ReadConsistency"]["Reads"][0];
    assert_eq!(read["IndexName"], "ByColour");
    assert!(read.get("Replica").is_none(), "a GSI read has no replica: {read}");
    assert_eq!((read["Stale"].clone(), read["CaughtUpInMilliseconds"].clone()), (json!(true), json!(400)));
    // The table itself is up to date on every replica (its delay is 0).
    for _ in 0..3 {
        assert_eq!(get(&mut engine, "a", false), "v2");
    }
    let scan = engine.handle_json("Scan", json!({"TableName": "Tab", "IndexName": "ByColour"})).unwrap();
    assert_eq!(values(&scan), ["v1"]);
    engine.advance(400);
    assert_eq!(query(&mut engine, Some(("ByColour", "colour", "blue"))), ["v2"]);
    assert!(query(&mut engine, Some(("ByColour", "colour", "red"))).is_empty());
}

#[test]
fn batch_get_reads_each_key_on_its_own_replica_and_transactions_read_the_latest() {
    let mut engine = engine();
    settings(&mut engine, 1_000, 0);
    for sk in ["a", "b", "c"] {
        put(&mut engine, sk, "new", "red");
    }
    let keys: Vec<Value> =
        ["a", "b", "c"].iter().map(|sk| json!({"pk": {"S": "p"}, "sk": {"S": sk}})).collect();
    let got = engine.handle_json("BatchGetItem", json!({"RequestItems": {"Tab": {"Keys": keys}}})).unwrap();
    assert_eq!(got["Responses"]["Tab"].as_array().unwrap().len(), 2, "the third key landed on replica 3");
    let why = engine.handle_json("PlaygroundExplainRequest", json!({})).unwrap();
    let replicas: Vec<u64> = why["ReadConsistency"]["Reads"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["Replica"].as_u64())
        .collect();
    assert_eq!(replicas, [1, 2, 3]);
    skip_to_lagging(&mut engine);
    let transact = json!({"TransactItems": [{"Get": {"TableName": "Tab", "Key": {"pk": {"S": "p"}, "sk": {"S": "a"}}}}]});
    let got = engine.handle_json("TransactGetItems", transact).unwrap();
    assert_eq!(got["Responses"][0]["Item"]["v"]["S"], "new");
    let why = engine.handle_json("PlaygroundExplainRequest", json!({})).unwrap();
    assert_eq!(why["ReadConsistency"]["Consistency"], "TRANSACTIONAL");
}

#[test]
fn changing_a_delay_lets_the_replicas_catch_up_and_settings_travel() {
    let mut engine = engine();
    settings(&mut engine, 5_000, 5_000);
    put(&mut engine, "a", "v1", "red");
    assert!(!engine.tables.get("Tab").unwrap().items.lagging.is_empty());
    let doc = engine.export_workspace();
    let imported = Engine::import_workspace(&doc).unwrap();
    assert_eq!(imported.lag(), engine.lag(), "the delays travel in the workspace document");
    settings(&mut engine, 5_000, 100);
    let table = engine.tables.get("Tab").unwrap();
    assert!(table.items.lagging.is_empty() && table.indexes.iter().all(|i| i.entries.lagging.is_empty()));
    let described = engine.handle_json("PlaygroundDescribeSettings", json!({})).unwrap();
    assert_eq!(described["Settings"]["ReplicationDelayMilliseconds"], 5_000);
    assert_eq!(described["Settings"]["GsiPropagationDelayMilliseconds"], 100);
    let refused = engine
        .handle_json("PlaygroundUpdateSettings", json!({"ReplicationDelayMilliseconds": -1}))
        .unwrap_err();
    assert!(
        refused.message.contains("Member must have value greater than or equal to 0"),
        "{}",
        refused.message
    );
}

#[test]
fn replaying_the_journal_rebuilds_what_the_lagging_replica_holds() {
    let mut live = Engine::new();
    live.set_now(T0);
    let mut journal = Vec::new();
    let mut run = |engine: &mut Engine, op: &str, request: Value| {
        let (answer, entry) = engine.handle_logged(op, request.to_string().as_bytes());
        answer.unwrap();
        journal.extend(entry);
    };
    run(
        &mut live,
        "CreateTable",
        json!({"TableName": "Tab", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}]}),
    );
    run(&mut live, "PlaygroundUpdateSettings", json!({"ReplicationDelayMilliseconds": 3_000}));
    for (n, v) in ["v1", "v2", "v3"].iter().enumerate() {
        live.advance(1_000 * n as u64);
        run(
            &mut live,
            "PutItem",
            json!({"TableName": "Tab", "Item": {"pk": {"S": "p"}, "sk": {"S": "a"}, "v": {"S": v}}}),
        );
    }
    let mut replayed = Engine::new();
    for m in &journal {
        let request: Value = serde_json::from_str(&m.request).unwrap();
        replayed.replay(&m.operation, m.at_ms, &request).unwrap();
    }
    // The same reads at the same engine times give the same answers.
    for engine in [&mut live, &mut replayed] {
        engine.playground.eventual_reads = 2;
        let mut seen = Vec::new();
        for _ in 0..3 {
            seen.push(get(engine, "a", false));
            seen.push(get(engine, "a", false));
            seen.push(get(engine, "a", false));
            engine.advance(1_000);
        }
        // Written at +0, +1 s and +3 s with a 3 s delay: replica 3 has v1 at +3 s, v2 at +4 s,
        // and v3 only at +6 s.
        assert_eq!(seen, ["v1", "v3", "v3", "v2", "v3", "v3", "v2", "v3", "v3"]);
    }
}
