//! Browser tests of the host under a running workload: checkpoints paced by size
//! (`host/checkpoint.rs`) and workload stepping in slices per frame (`move_time`).
//! Run: `cargo test -p dynaplay-web --target wasm32-unknown-unknown` (scripts/test.sh does).
#![cfg(target_arch = "wasm32")]

use dynaplay_engine::journal::CompactionPolicy;
use dynaplay_web::host::store::Store;
use dynaplay_web::host::{Dispatch, Host, HostConfig};
use serde_json::{json, Value};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn config(db: &str) -> HostConfig {
    HostConfig { database: Some(db.into()), use_lock: false, compaction: CompactionPolicy::default() }
}

async fn sleep(ms: i32) {
    let _ = JsFuture::from(js_sys::Promise::new(&mut |resolve, _| {
        let _ =
            web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    }))
    .await;
}

fn table(name: &str) -> Value {
    json!({
        "TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]
    })
}

fn item(table: &str, key: &str, bytes: usize) -> Value {
    json!({"TableName": table, "Item": {"pk": {"S": key}, "v": {"S": "x".repeat(bytes)}}})
}

async fn workload(host: &Host, request: Value) -> Value {
    host.send("PlaygroundStartWorkload", &request).await.unwrap();
    let listed = host.send("PlaygroundListWorkloads", &json!({})).await.unwrap();
    listed["Workloads"][0].clone()
}

#[wasm_bindgen_test]
async fn checkpoints_of_a_large_workspace_wait_for_their_byte_budget_and_writes_still_land() {
    let db = "t-paced-checkpoints";
    Store::delete(db).await.unwrap();
    let host = Host::open(config(db)).await;
    host.send("CreateTable", &table("Big")).await.unwrap();
    // 400 KB writes in a row exceed on-demand's first allowance: serve them all.
    host.send("PlaygroundUpdateSettings", &json!({"ThrottlingEnabled": false})).await.unwrap();
    // 8 MB of items: at 2 MiB/s, a snapshot of it pays for 4 s.
    for i in 0..20 {
        host.send("PutItem", &item("Big", &format!("big-{i}"), 400_000)).await.unwrap();
    }
    // Small writes on every frame: the engine changes on its own all the time.
    workload(
        &host,
        json!({"TableName": "Big", "RequestsPerSecond": 200, "ReadRatio": 0, "KeyCount": 50, "Seed": 1}),
    )
    .await;
    // The first checkpoint of the whole workspace (nothing paced it yet).
    let mut waited = 0;
    while host.stats().snapshot_bytes < 8_000_000 {
        host.tick();
        sleep(16).await;
        waited += 16;
        assert!(waited < 30_000, "no checkpoint in 30 s: {:?}", host.stats());
    }
    let snapshots = host.stats().compactions;
    // 2 s of frames, and a learner's write every 100 ms that must go on top of a checkpoint.
    let started = js_sys::Date::now();
    let mut writes = Vec::new();
    let mut next_write = started;
    while js_sys::Date::now() - started < 2_000.0 {
        host.tick();
        if js_sys::Date::now() >= next_write {
            next_write += 100.0;
            let request = item("Big", &format!("mine-{}", writes.len()), 10).to_string();
            match host.dispatch("PutItem", &request) {
                Dispatch::Pending(promise) => writes.push(promise),
                Dispatch::Done(_) | Dispatch::Failed(_) => panic!("a saved write waits for its commit"),
            }
        }
        sleep(16).await;
    }
    // The host written before this change stored a snapshot for each of those writes (~20
    // of 8 MB); paced, none is due before 4 s after the first.
    assert!(
        host.stats().compactions - snapshots <= 1,
        "snapshots in 2 s: {}",
        host.stats().compactions - snapshots
    );
    assert!(host.unacknowledged() >= writes.len() / 2, "the writes wait: {}", host.unacknowledged());
    // They land: each promise resolves once the paced checkpoint holding it commits.
    let written = writes.len();
    assert!(written >= 15, "{written} writes");
    for promise in writes {
        host.tick();
        JsFuture::from(promise).await.unwrap();
    }
    assert!(host.stats().compactions > snapshots, "the paced checkpoint came");
    host.send("PlaygroundStopWorkload", &json!({"WorkloadId": 1})).await.unwrap();
    host.settled().await;
    host.close();
    let again = Host::open(config(db)).await;
    for i in 0..written {
        let key = json!({"TableName": "Big", "Key": {"pk": {"S": format!("mine-{i}")}}});
        let got = again.send("GetItem", &key).await.unwrap();
        assert!(got.get("Item").is_some(), "acknowledged write mine-{i} survives a reload");
    }
    again.close();
}

#[wasm_bindgen_test]
async fn a_heavy_workload_runs_a_slice_of_itself_per_frame_and_catches_up_over_frames() {
    let host = Host::open(HostConfig { database: None, ..config("unused") }).await;
    host.send("CreateTable", &table("Heavy")).await.unwrap();
    host.send("PlaygroundUpdateSettings", &json!({"ThrottlingEnabled": false})).await.unwrap();
    // 2,000 writes of 30 KB due at once (60 MB): far more than a frame's share.
    workload(
        &host,
        json!({"TableName": "Heavy", "RequestsPerSecond": 1000, "ReadRatio": 0, "ItemSizeBytes": 30_000,
               "KeyCount": 20, "DurationSeconds": 2}),
    )
    .await;
    sleep(2_100).await;
    let requests = |w: &Value| w["Requests"].as_u64().unwrap();
    host.tick();
    let listed = host.send("PlaygroundListWorkloads", &json!({})).await.unwrap();
    let first = requests(&listed["Workloads"][0]);
    let time = host.send("PlaygroundDescribeTime", &json!({})).await.unwrap();
    assert!(first > 0 && first < 2_000, "one frame ran a part: {first}");
    assert!(time["BehindMilliseconds"].as_u64().unwrap_or(0) > 0, "engine time waits: {time}");
    let mut frames = 0;
    loop {
        host.tick();
        let listed = host.send("PlaygroundListWorkloads", &json!({})).await.unwrap();
        if requests(&listed["Workloads"][0]) == 2_000 {
            break;
        }
        frames += 1;
        assert!(frames < 2_000, "the workload catches up");
        sleep(16).await;
    }
    let time = host.send("PlaygroundDescribeTime", &json!({})).await.unwrap();
    assert!(time.get("BehindMilliseconds").is_none(), "caught up: {time}");
    assert!(frames >= 1, "it took more than one frame");
}
