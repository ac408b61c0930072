//! The persistence contract the browser host relies on: a workspace snapshot plus a journal of
//! the *successful mutating* requests (each with its engine time) rebuilds exactly the same
//! engine, whatever failed in between.

use dynaplay_engine::{is_mutating, Engine};
use serde_json::{json, Value};

/// One journal entry as a host stores it.
struct Entry {
    time: u64,
    operation: &'static str,
    request: Value,
}

/// Runs `operation` on `engine`, journaling it if it succeeded and could change state.
fn run(engine: &mut Engine, journal: &mut Vec<Entry>, operation: &'static str, request: Value) -> bool {
    let time = engine.now();
    let ok = engine.handle_json(operation, request.clone()).is_ok();
    if ok && is_mutating(operation) {
        journal.push(Entry { time, operation, request });
    }
    ok
}

fn replay(snapshot: &Value, journal: &[Entry]) -> Engine {
    let mut engine = Engine::import_workspace(snapshot).expect("snapshot imports");
    for entry in journal {
        engine.set_now(entry.time);
        engine
            .handle_json(entry.operation, entry.request.clone())
            .expect("a journaled request succeeds again");
    }
    engine
}

#[test]
fn snapshot_plus_journal_rebuilds_the_same_engine() {
    let mut engine = Engine::new();
    engine.set_now(1_750_000_000_000);
    let mut journal = Vec::new();
    assert!(run(
        &mut engine,
        &mut journal,
        "CreateTable",
        json!({"TableName": "Scores", "BillingMode": "PAY_PER_REQUEST",
               "KeySchema": [{"AttributeName": "game", "KeyType": "HASH"}, {"AttributeName": "player", "KeyType": "RANGE"}],
               "AttributeDefinitions": [{"AttributeName": "game", "AttributeType": "S"},
                                        {"AttributeName": "player", "AttributeType": "S"},
                                        {"AttributeName": "score", "AttributeType": "N"}],
               "GlobalSecondaryIndexes": [{"IndexName": "by-score",
                   "KeySchema": [{"AttributeName": "game", "KeyType": "HASH"}, {"AttributeName": "score", "KeyType": "RANGE"}],
                   "Projection": {"ProjectionType": "ALL"}}]}),
    ));
    // A snapshot taken part-way, as a host compacts its journal.
    let mut snapshot = None;
    for i in 0..300u64 {
        engine.advance(7);
        let game = format!("g{}", i % 3);
        let player = format!("p{}", i % 17);
        run(
            &mut engine,
            &mut journal,
            "UpdateItem",
            json!({"TableName": "Scores", "Key": {"game": {"S": game}, "player": {"S": player}},
                   "UpdateExpression": "ADD score :s SET seen = :t",
                   "ConditionExpression": "attribute_not_exists(banned)",
                   "ExpressionAttributeValues": {":s": {"N": (i % 11).to_string()}, ":t": {"N": i.to_string()}}}),
        );
        if i % 13 == 0 {
            run(
                &mut engine,
                &mut journal,
                "PutItem",
                json!({"TableName": "Scores", "Item": {"game": {"S": game}, "player": {"S": player}, "banned": {"BOOL": true}}}),
            );
        }
        if i % 29 == 0 {
            run(
                &mut engine,
                &mut journal,
                "DeleteItem",
                json!({"TableName": "Scores", "Key": {"game": {"S": "g0"}, "player": {"S": player}}}),
            );
        }
        // Failing requests are not journaled and must not matter.
        assert!(!run(
            &mut engine,
            &mut journal,
            "PutItem",
            json!({"TableName": "Scores", "Item": {"game": {"S": "x"}}})
        ));
        if i == 150 {
            snapshot = Some((engine.export_workspace(), journal.len()));
        }
    }
    run(
        &mut engine,
        &mut journal,
        "TransactWriteItems",
        json!({"TransactItems": [
            {"Put": {"TableName": "Scores", "Item": {"game": {"S": "g9"}, "player": {"S": "solo"}, "score": {"N": "1"}}}},
            {"Delete": {"TableName": "Scores", "Key": {"game": {"S": "g1"}, "player": {"S": "p1"}}}}]}),
    );
    let expected = engine.export_workspace();

    // From nothing: the whole journal.
    let empty = Engine::new().export_workspace();
    assert_eq!(replay(&empty, &journal).export_workspace(), expected);
    // From the mid-way snapshot: only the journal tail.
    let (snapshot, len) = snapshot.expect("taken");
    let rebuilt = replay(&snapshot, &journal[len..]);
    assert_eq!(rebuilt.export_workspace(), expected);
    assert!(expected["tables"][0]["Items"].as_array().is_some_and(|items| items.len() > 30));
}
