use serde_json::json;

use super::*;

fn engine_with_table(write_units: u64) -> Engine {
    let mut engine = Engine::new();
    engine.set_now(1_750_000_000_000);
    engine
        .handle_json(
            "CreateTable",
            json!({"TableName": "Tab", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                   "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                   "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": write_units}}),
        )
        .unwrap();
    engine
}

fn put(pk: &str, bytes: usize) -> Value {
    json!({"PutRequest": {"Item": {"pk": {"S": pk}, "pad": {"S": "x".repeat(bytes)}}}})
}

/// Drains the table's write burst: 1 WCU banks 300 units; 300 writes of 1 KB use them.
fn drain(engine: &mut Engine) {
    for i in 0..400 {
        let _ = engine
            .handle_json("PutItem", json!({"TableName": "Tab", "Item": {"pk": {"S": format!("d{i}")}}}));
    }
}

#[test]
fn a_partly_throttled_batch_write_is_journaled_as_what_was_applied() {
    let mut engine = engine_with_table(1);
    drain(&mut engine);
    engine.advance(1_500);
    // About one unit came back: the first small write goes through, the big ones do not.
    let request = json!({"RequestItems": {"Tab": [put("a", 10), put("b", 300_000), put("c", 300_000)]}});
    let (answer, entry) = engine.handle_logged("BatchWriteItem", request.to_string().as_bytes());
    let answer: Value = serde_json::from_str(&answer.unwrap()).unwrap();
    let unprocessed = answer["UnprocessedItems"]["Tab"].as_array().cloned().unwrap_or_default();
    assert!(!unprocessed.is_empty(), "some writes were throttled: {answer}");
    let entry = entry.expect("something was applied");
    let journaled: Value = serde_json::from_str(&entry.request).unwrap();
    let applied = journaled["RequestItems"]["Tab"].as_array().unwrap();
    assert_eq!(applied.len() + unprocessed.len(), 3);
    assert!(applied.iter().all(|w| !unprocessed.contains(w)));
    assert_eq!(entry.operation, "BatchWriteItem");
}

#[test]
fn a_partly_throttled_batch_statement_is_journaled_without_the_throttled_statements() {
    let mut engine = engine_with_table(1);
    drain(&mut engine);
    engine.advance(1_500);
    let insert = |pk: &str, bytes: usize| {
        json!({"Statement": "INSERT INTO \"Tab\" VALUE {'pk': ?, 'pad': ?}",
               "Parameters": [{"S": pk}, {"S": "x".repeat(bytes)}]})
    };
    let request = json!({"Statements": [insert("a", 10), insert("b", 300_000), insert("c", 10)]});
    let (answer, entry) = engine.handle_logged("BatchExecuteStatement", request.to_string().as_bytes());
    let answer: Value = serde_json::from_str(&answer.unwrap()).unwrap();
    let codes: Vec<Value> =
        answer["Responses"].as_array().unwrap().iter().map(|r| r["Error"]["Code"].clone()).collect();
    assert!(codes.contains(&json!("ProvisionedThroughputExceeded")), "{answer}");
    let journaled: Value = serde_json::from_str(&entry.unwrap().request).unwrap();
    let applied: Vec<Value> = request["Statements"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&codes)
        .filter(|(_, code)| code.is_null())
        .map(|(s, _)| s.clone())
        .collect();
    assert_eq!(journaled["Statements"], json!(applied));
}

#[test]
fn requests_that_change_nothing_or_fail_are_not_journaled() {
    let mut engine = engine_with_table(5);
    let (answer, entry) =
        engine.handle_logged("GetItem", br#"{"TableName": "Tab", "Key": {"pk": {"S": "a"}}}"#);
    assert_eq!(answer.unwrap(), "{}");
    assert_eq!(entry, None);
    let (answer, entry) =
        engine.handle_logged("PutItem", br#"{"TableName": "Nope", "Item": {"pk": {"S": "a"}}}"#);
    assert_eq!(answer.unwrap_err().kind.name(), "ResourceNotFoundException");
    assert_eq!(entry, None);
    let (answer, entry) = engine.handle_logged("PutItem", b"{not json");
    assert_eq!(answer.unwrap_err().kind.name(), "SerializationException");
    assert_eq!(entry, None);
    let body = r#"{"TableName": "Tab", "Item": {"pk": {"S": "a"}}}"#;
    let (_, entry) = engine.handle_logged("PutItem", body.as_bytes());
    assert_eq!(
        entry,
        Some(Mutation {
            operation: "PutItem".into(),
            at_ms: engine.now(),
            request: body.into(),
            region: None
        }),
        "the request text is journaled as sent"
    );
}

#[test]
fn a_replayed_entry_is_admitted_whatever_the_buckets_hold() {
    let mut engine = engine_with_table(1);
    drain(&mut engine);
    let request = json!({"TableName": "Tab", "Item": {"pk": {"S": "late"}}});
    assert!(engine.handle_json("PutItem", request.clone()).is_err(), "throttled live");
    engine.replay("PutItem", engine.now(), &request).expect("admitted on replay");
    assert!(engine.handle_json("PutItem", request).is_err(), "throttling is back after the replay");
}

#[test]
fn records_round_trip_in_order() {
    let m = |n: u64| Mutation {
        operation: "PutItem".into(),
        at_ms: n,
        request: format!(r#"{{"n":{n}}}"#),
        region: None,
    };
    let record = encode_record(&[m(1), m(2)]).unwrap();
    assert_eq!(record, r#"[["PutItem",1,{"n":1}],["PutItem",2,{"n":2}]]"#);
    let entries = decode_record(record.as_bytes()).unwrap();
    assert_eq!(
        entries[1],
        StoredMutation { operation: "PutItem".into(), at_ms: 2, request: json!({"n": 2}), region: None }
    );
    assert_eq!(encode_record(&[]), None);
    assert!(decode_record(b"[[1]]").unwrap_err().contains("not [operation"));
    assert!(decode_record(b"{").is_err());
    assert!(decode_record(b"{}").unwrap_err().contains("not a list"));
    assert!(decode_record(br#"[["PutItem", -1, {}]]"#).unwrap_err().contains("bad time"));
}

#[test]
fn restore_stops_at_what_cannot_be_replayed_and_keeps_what_came_before() {
    let mut engine = engine_with_table(5);
    let snapshot = engine.export_snapshot().to_string();
    let put = |pk: &str| Mutation {
        operation: "PutItem".into(),
        at_ms: 1_750_000_001_000,
        request: json!({"TableName": "Tab", "Item": {"pk": {"S": pk}}}).to_string(),
        region: None,
    };
    let bad = Mutation {
        operation: "PutItem".into(),
        at_ms: 1_750_000_002_000,
        request: json!({"TableName": "Gone", "Item": {"pk": {"S": "x"}}}).to_string(),
        region: None,
    };
    let records = vec![
        encode_record(&[put("a")]).unwrap(),
        encode_record(&[put("b"), bad.clone(), put("c")]).unwrap(),
        encode_record(&[put("d")]).unwrap(),
    ];
    let config = crate::EngineConfig::default;
    let mut restored = restore(Some(snapshot.as_bytes()), &records, config());
    assert_eq!(restored.replayed, 2);
    let Some(ReplayFailure::Entry { record, entry, operation, at_ms, request, error }) =
        restored.failure.clone()
    else {
        panic!("{:?}", restored.failure)
    };
    assert_eq!((record, entry, operation.as_str(), at_ms), (1, 1, "PutItem", bad.at_ms));
    assert_eq!(request["TableName"], "Gone");
    assert_eq!(error.kind.name(), "ResourceNotFoundException");
    assert_eq!(
        restored.failure.unwrap().to_string(),
        "request 2 of saved change record 2 (PutItem) failed when replayed: ResourceNotFoundException: Requested resource not found"
    );
    let scan = restored.engine.handle_json("Scan", json!({"TableName": "Tab"})).unwrap();
    assert_eq!(scan["Count"], 2, "a and b, nothing after the failure");

    let damaged = vec![records[0].clone(), "[[\"PutItem\"".into(), records[2].clone()];
    let mut restored = restore(Some(snapshot.as_bytes()), &damaged, config());
    assert_eq!(
        restored.failure,
        Some(ReplayFailure::Record { record: 1, error: restored_error(&damaged[1]) })
    );
    assert_eq!(restored.engine.handle_json("Scan", json!({"TableName": "Tab"})).unwrap()["Count"], 1);

    let restored = restore(Some(b"{nope"), &records, config());
    assert!(matches!(restored.failure, Some(ReplayFailure::Snapshot { .. })));
    assert_eq!(restored.replayed, 0);
    engine = restored.engine;
    assert_eq!(engine.handle_json("ListTables", json!({})).unwrap()["TableNames"], json!([]));

    let restored = restore(Some(snapshot.as_bytes()), &records[..1], config());
    assert_eq!((restored.replayed, restored.failure), (1, None));
}

fn restored_error(record: &str) -> String {
    decode_record(record.as_bytes()).unwrap_err()
}

fn put_entry(n: u32) -> Entry {
    Entry::Mutation(Mutation {
        operation: "PutItem".into(),
        at_ms: 1_000 + u64::from(n),
        request: json!({"TableName": "Tab", "Item": {"pk": {"S": format!("k{n}")}}}).to_string(),
        region: None,
    })
}

fn side(key: &str, value: Option<&str>) -> Entry {
    Entry::Side { key: key.into(), value: value.map(String::from) }
}

fn record_of(entries: &[Entry]) -> Option<String> {
    encode_record(entries.iter().filter_map(|e| match e {
        Entry::Mutation(m) => Some(m),
        _ => None,
    }))
}

#[test]
fn a_plain_batch_appends_one_record() {
    let plan = plan_transaction(&[put_entry(1), put_entry(2)], || None);
    assert_eq!(plan.snapshot, None);
    assert!(!plan.clear_journal);
    assert_eq!(plan.mutations, 2);
    assert_eq!(decode_record(plan.record.as_deref().unwrap().as_bytes()).unwrap().len(), 2);
}

#[test]
fn a_replace_restarts_the_journal_with_what_came_after_it() {
    let batch = [put_entry(1), Entry::Replace { snapshot: "S".into() }, put_entry(2)];
    let plan = plan_transaction(&batch, || panic!("no compaction when a batch replaces"));
    assert_eq!(plan.snapshot.as_deref(), Some("S"));
    assert!(plan.clear_journal);
    assert_eq!(plan.record, record_of(&[put_entry(2)]));
}

#[test]
fn compaction_replaces_journal_and_batch() {
    let plan = plan_transaction(&[put_entry(1)], || Some("SNAP".into()));
    assert_eq!(
        plan,
        TxnPlan {
            snapshot: Some("SNAP".into()),
            clear_journal: true,
            record: None,
            mutations: 1,
            clear_side: false,
            side: vec![]
        }
    );
}

#[test]
fn side_records_ride_along_the_last_state_per_key_wins() {
    let batch =
        [put_entry(1), side("A", Some("a1")), side("B", Some("b1")), put_entry(2), side("A", Some("a2"))];
    let plan = plan_transaction(&batch, || None);
    assert_eq!(plan.side, vec![("B".into(), Some("b1".into())), ("A".into(), Some("a2".into()))]);
    assert!(!plan.clear_side);
    assert_eq!(plan.record, record_of(&[put_entry(1), put_entry(2)]), "side records are not journaled");
    // Removed. A batch of only side records writes no journal record.
    let plan = plan_transaction(&[side("A", Some("a3")), side("A", None)], || None);
    assert_eq!(plan.side, vec![("A".into(), None)]);
    assert_eq!((plan.record, plan.snapshot), (None, None));
    // A compaction keeps them.
    let plan = plan_transaction(&[put_entry(1), side("A", Some("a"))], || Some("SNAP".into()));
    assert_eq!(plan.side, vec![("A".into(), Some("a".into()))]);
}

#[test]
fn a_replace_removes_every_side_record_saved_before_it() {
    let batch = [side("A", Some("a")), Entry::Replace { snapshot: "S".into() }, side("B", Some("b"))];
    let plan = plan_transaction(&batch, || None);
    assert!(plan.clear_side);
    assert_eq!(plan.side, vec![("B".into(), Some("b".into()))]);
}

#[test]
fn a_checkpoint_restarts_the_journal_and_keeps_the_side_records() {
    let batch = [
        side("A", Some("a")),
        put_entry(1),
        Entry::Checkpoint { snapshot: "S".into() },
        put_entry(2),
        side("B", Some("b")),
    ];
    let plan = plan_transaction(&batch, || panic!("a checkpoint is the snapshot"));
    assert_eq!(plan.snapshot.as_deref(), Some("S"));
    assert!(plan.clear_journal && !plan.clear_side);
    assert_eq!(plan.record, record_of(&[put_entry(2)]));
    assert_eq!(plan.side, [("A".to_owned(), Some("a".to_owned())), ("B".to_owned(), Some("b".to_owned()))]);
}

#[test]
fn a_format_1_store_upgrades_to_2_with_no_side_records() {
    let mut engine = engine_with_table(5);
    let snapshot = engine.export_snapshot().to_string();
    let put = Mutation {
        operation: "PutItem".into(),
        at_ms: engine.now(),
        request: json!({"TableName": "Tab", "Item": {"pk": {"S": "a"}}}).to_string(),
        region: None,
    };
    let v1 = Stored {
        format: Some(1),
        snapshot: Some(snapshot),
        records: vec![encode_record(&[put]).unwrap()],
        side: vec!["left over".into()],
    };
    let upgraded = upgrade(Stored { format: Some(1), ..Stored::default() }).unwrap();
    assert_eq!(upgraded.format, Some(STORED_FORMAT));
    let (mut restored, side) = open(v1, crate::EngineConfig::default()).unwrap();
    assert_eq!((restored.replayed, side.len()), (1, 0));
    assert_eq!(restored.engine.handle_json("Scan", json!({"TableName": "Tab"})).unwrap()["Count"], 1);
    engine = restored.engine;
    assert_eq!(engine.handle_json("ListTables", json!({})).unwrap()["TableNames"], json!(["Tab"]));
}

#[test]
fn a_fresh_store_opens_an_empty_engine_and_a_newer_one_is_refused() {
    let (mut restored, _) = open(Stored::default(), crate::EngineConfig::default()).unwrap();
    assert_eq!(restored.failure, None);
    assert_eq!(restored.engine.handle_json("ListTables", json!({})).unwrap()["TableNames"], json!([]));
    let too_new =
        open(Stored { format: Some(STORED_FORMAT + 1), ..Stored::default() }, crate::EngineConfig::default());
    let err = too_new.err().unwrap();
    assert_eq!(err, LoadError::TooNew(STORED_FORMAT + 1));
    assert!(err.to_string().contains("newer dynaplay"));
}

#[test]
fn compaction_is_due_once_the_journal_outgrows_the_snapshot() {
    let p = CompactionPolicy { min_journal_bytes: 100 };
    assert!(!p.due(99, 0));
    assert!(p.due(100, 0));
    assert!(!p.due(500, 1000));
    assert!(p.due(1000, 1000));
}
