//! The store end to end, in process: what is journaled comes back, compaction and checkpoints
//! change generation without losing anything, a failed write is refused and rolled back.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::*;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dynaplay-store-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Runs a request as the server does: recover, time, checkpoint, execute, journal.
fn run(
    store: &Store,
    engine: &mut Engine,
    now: u64,
    operation: &str,
    request: Value,
) -> Result<Value, String> {
    store.recover(engine).map_err(|e| e.message)?;
    engine.set_now(now);
    let mutating = is_mutating(operation);
    store.checkpoint_if_moved(engine, mutating);
    let body = request.to_string();
    let (answer, entry) = engine.handle_logged(operation, body.as_bytes());
    let answer = answer.map_err(|e| e.message)?;
    if let Some(mutation) = entry {
        let ack = store.journal(engine, mutation).unwrap();
        ack.blocking_recv().unwrap()?;
    }
    Ok(serde_json::from_str(&answer).unwrap())
}

fn create(store: &Store, engine: &mut Engine) {
    let request = json!({"TableName": "Tab", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]});
    run(store, engine, 1_000_000, "CreateTable", request).unwrap();
}

fn put(store: &Store, engine: &mut Engine, n: u64) -> Result<Value, String> {
    let item =
        json!({"pk": {"S": format!("k{n}")}, "n": {"N": n.to_string()}, "pad": {"S": "x".repeat(200)}});
    run(store, engine, 1_000_000 + n, "PutItem", json!({"TableName": "Tab", "Item": item}))
}

fn count(engine: &mut Engine) -> u64 {
    engine.handle_json("Scan", json!({"TableName": "Tab", "Select": "COUNT"})).unwrap()["Count"]
        .as_u64()
        .unwrap()
}

fn open(dir: &Path) -> (Store, Engine, LoadReport) {
    Store::open(dir, EngineConfig::default()).unwrap()
}

#[test]
fn writes_come_back_after_a_restart() {
    let dir = temp_dir("restart");
    let (store, mut engine, report) = open(&dir);
    assert!(report.created);
    create(&store, &mut engine);
    for n in 0..50 {
        put(&store, &mut engine, n).unwrap();
    }
    // Reads are not journaled.
    run(&store, &mut engine, 1_000_100, "GetItem", json!({"TableName": "Tab", "Key": {"pk": {"S": "k1"}}}))
        .unwrap();
    store.close(&engine);
    drop(store);
    let (_store, mut engine, report) = open(&dir);
    assert!(!report.created && report.warnings.is_empty(), "{report:?}");
    assert_eq!(report.replayed, 51);
    assert_eq!(report.tables, 1);
    assert_eq!(count(&mut engine), 50);
    assert_eq!(engine.now(), 1_000_049, "engine time is where the last write left it");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn compaction_starts_a_new_generation_and_keeps_everything() {
    let dir = temp_dir("compaction");
    let (store, mut engine, _) = open(&dir);
    store.disk.lock().unwrap().set_policy(format::CompactionPolicy { min_journal_bytes: 4096 });
    create(&store, &mut engine);
    for n in 0..200 {
        put(&store, &mut engine, n).unwrap();
    }
    store.close(&engine);
    let generation = store.disk.lock().unwrap().generation();
    assert!(generation >= 3, "compacted only to generation {generation}");
    let journals: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("journal-"))
        .collect();
    assert_eq!(journals, [format!("journal-{generation}")], "old journals are removed");
    drop(store);
    let (_store, mut engine, report) = open(&dir);
    assert!(report.warnings.is_empty(), "{report:?}");
    assert!(report.replayed < 200, "a compacted store replays only the journal tail");
    assert_eq!(count(&mut engine), 200);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ttl_deletions_are_checkpointed() {
    let dir = temp_dir("ttl");
    let (store, mut engine, _) = open(&dir);
    create(&store, &mut engine);
    run(
        &store,
        &mut engine,
        1_000_000,
        "UpdateTimeToLive",
        json!({"TableName": "Tab", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "exp"}}),
    )
    .unwrap();
    run(
        &store,
        &mut engine,
        1_000_000,
        "PutItem",
        json!({"TableName": "Tab", "Item": {"pk": {"S": "old"}, "exp": {"N": "1000"}}}),
    )
    .unwrap();
    put(&store, &mut engine, 1).unwrap();
    // Much later a read: the sweep deletes the expired item (a change of the engine's own).
    let before = engine.background_writes();
    run(&store, &mut engine, 2_000_000, "GetItem", json!({"TableName": "Tab", "Key": {"pk": {"S": "k1"}}}))
        .unwrap();
    assert_eq!(engine.background_writes(), before + 1);
    assert_eq!(count(&mut engine), 1);
    // The next write queues a checkpoint (a new generation) first; a restart shows the
    // deletion.
    assert_eq!(store.disk.lock().unwrap().generation(), 1);
    put(&store, &mut engine, 2).unwrap();
    assert_eq!(store.disk.lock().unwrap().generation(), 2);
    drop(store);
    let (_store, mut engine, report) = open(&dir);
    assert!(report.warnings.is_empty(), "{report:?}");
    assert_eq!(count(&mut engine), 2);
    let old =
        engine.handle_json("GetItem", json!({"TableName": "Tab", "Key": {"pk": {"S": "old"}}})).unwrap();
    assert!(old.get("Item").is_none(), "{old}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn workload_writes_are_saved_before_the_next_request_that_depends_on_them() {
    let dir = temp_dir("workload");
    let (store, mut engine, _) = open(&dir);
    create(&store, &mut engine);
    let start = json!({"TableName": "Tab", "ReadRatio": 0, "RequestsPerSecond": 10, "KeyCount": 5,
                       "Distribution": "SEQUENTIAL", "DurationSeconds": 2});
    run(&store, &mut engine, 1_000_000, "PlaygroundStartWorkload", start).unwrap();
    // Time moves: the workload writes key-0 … key-4 on its own.
    run(&store, &mut engine, 1_010_000, "Scan", json!({"TableName": "Tab"})).unwrap();
    assert_eq!(count(&mut engine), 5);
    // A write that only succeeds on the workload's data: replayed without a checkpoint
    // first, it would fail.
    let update = json!({"TableName": "Tab", "Key": {"pk": {"S": "key-3"}}, "UpdateExpression": "SET seen = :t",
                        "ConditionExpression": "attribute_exists(pk)", "ExpressionAttributeValues": {":t": {"BOOL": true}}});
    run(&store, &mut engine, 1_010_001, "UpdateItem", update).unwrap();
    // Dropped without the shutdown checkpoint, as after a crash (everything acknowledged is
    // on disk).
    drop(store);
    let (_store, mut engine, report) = open(&dir);
    assert!(report.warnings.is_empty(), "{report:?}");
    assert_eq!(count(&mut engine), 5);
    let item =
        engine.handle_json("GetItem", json!({"TableName": "Tab", "Key": {"pk": {"S": "key-3"}}})).unwrap();
    assert_eq!(item["Item"]["seen"], json!({"BOOL": true}));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn shutdown_saves_changes_the_engine_made_on_its_own() {
    let dir = temp_dir("close");
    let (store, mut engine, _) = open(&dir);
    create(&store, &mut engine);
    run(
        &store,
        &mut engine,
        1_000_000,
        "UpdateTimeToLive",
        json!({"TableName": "Tab", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "exp"}}),
    )
    .unwrap();
    run(
        &store,
        &mut engine,
        1_000_000,
        "PutItem",
        json!({"TableName": "Tab", "Item": {"pk": {"S": "old"}, "exp": {"N": "1000"}}}),
    )
    .unwrap();
    run(&store, &mut engine, 2_000_000, "Scan", json!({"TableName": "Tab"})).unwrap();
    store.close(&engine);
    drop(store);
    let (_store, mut engine, _) = open(&dir);
    assert_eq!(count(&mut engine), 0);
    assert!(engine.now() >= 2_000_000, "time does not go back to before the sweep");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failed_write_is_refused_and_the_engine_rolls_back_to_disk() {
    let dir = temp_dir("failure");
    let (store, mut engine, _) = open(&dir);
    create(&store, &mut engine);
    put(&store, &mut engine, 1).unwrap();
    store.disk.lock().unwrap().break_journal();
    let err = put(&store, &mut engine, 2).unwrap_err();
    assert!(err.contains("could not be written"), "{err}");
    // The engine ran the write, but the next request sees the state on disk.
    run(&store, &mut engine, 1_000_010, "GetItem", json!({"TableName": "Tab", "Key": {"pk": {"S": "k2"}}}))
        .map(|v| assert!(v.get("Item").is_none(), "{v}"))
        .unwrap();
    assert_eq!(count(&mut engine), 1);
    // And writes work again.
    put(&store, &mut engine, 3).unwrap();
    store.close(&engine);
    drop(store);
    let (_store, mut engine, report) = open(&dir);
    assert!(report.warnings.is_empty(), "{report:?}");
    assert_eq!(count(&mut engine), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}
