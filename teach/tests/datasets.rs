//! Every sample dataset under `static/datasets/` loads into a fresh engine and writes exactly
//! what its index says, and the files are what `scripts/datasets.py` writes today.

use std::path::{Path, PathBuf};
use std::process::Command;

use dynaplay_engine::Engine;
use dynaplay_teach::dataset::{self, Dataset};
use serde_json::{json, Value};

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../static/datasets")
}

fn read(name: &str) -> Value {
    let text = std::fs::read(folder().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_slice(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Items in a table, counted by a Scan with Select COUNT page by page.
fn count(engine: &mut Engine, table: &str) -> u64 {
    let mut total = 0;
    let mut request = json!({"TableName": table, "Select": "COUNT"});
    loop {
        let page = engine.handle_json("Scan", request.clone()).unwrap();
        total += page["Count"].as_u64().unwrap();
        match page.get("LastEvaluatedKey") {
            Some(key) => request["ExclusiveStartKey"] = key.clone(),
            None => return total,
        }
    }
}

#[test]
fn every_dataset_loads_and_holds_what_its_index_says() {
    let index = read("index.json");
    let entries = index["datasets"].as_array().unwrap();
    assert_eq!(entries.len(), 6, "music, forum, ecommerce, social, iot, paging");
    for entry in entries {
        let file = entry["file"].as_str().unwrap();
        let dataset = Dataset::from_json(&read(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(entry["id"], dataset.id.as_str());
        assert_eq!(entry["items"], dataset.items, "{file}");
        let mut engine = Engine::new();
        engine.set_now(1_800_000_000_000);
        let written = dataset::load(&mut engine, &dataset).unwrap_or_else(|e| panic!("{file}: {e:?}"));
        assert_eq!(written, dataset.items, "{file}: items written");
        eprintln!("{file}: loaded in {} ms of engine time", engine.now() - 1_800_000_000_000);
        let stored: u64 = dataset.tables.iter().map(|t| count(&mut engine, t)).sum();
        assert_eq!(stored, dataset.items, "{file}: items stored (no two share a key)");
        assert_eq!(dataset::table_names(&mut engine).len(), dataset.tables.len());
        if dataset.id == "paging" {
            let first = engine.handle_json("Scan", json!({"TableName": "Orders"})).unwrap();
            let got = first["Count"].as_u64().unwrap();
            assert!(first.get("LastEvaluatedKey").is_some(), "a full Scan stops at 1 MB");
            assert!((1000..5000).contains(&got), "the first 1 MB page held {got} of 10,000 items");
        }
    }
}

#[test]
fn iot_readings_expire_seven_days_after_loading() {
    let dataset = Dataset::from_json(&read("iot.json")).unwrap();
    let mut engine = Engine::new();
    let now_ms = 1_900_000_000_000;
    engine.set_now(now_ms);
    dataset::load(&mut engine, &dataset).unwrap();
    let page = engine
        .handle_json("Query", json!({
            "TableName": "SensorReadings", "ScanIndexForward": false, "Limit": 1,
            "KeyConditionExpression": "DeviceId = :d", "ExpressionAttributeValues": {":d": {"S": "sensor-01"}}}))
        .unwrap();
    let expires: u64 = page["Items"][0]["ExpiresAt"]["N"].as_str().unwrap().parse().unwrap();
    // The newest reading was taken 30 minutes before the dataset's clock, now once loaded.
    assert_eq!(expires, now_ms / 1000 - 1800 + 7 * 86400);
}

#[test]
fn the_files_are_what_the_generator_writes() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/datasets.py");
    let out =
        Command::new("python3").arg(script).arg("--check").output().expect("python3 runs the generator");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}
