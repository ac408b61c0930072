//! Simulated requests per second of wall time: the workload generator driving the engine
//! through its entry point (GetItem / PutItem, capacity accounting, metrics, hot keys), for a
//! uniform workload on an on-demand table and a zipfian one on a provisioned table that
//! throttles. Target: ≥ 50,000 simulated requests per wall-clock second, natively.
//!
//! Run: `cargo bench -p dynaplay-engine --bench workload`.

use std::time::Instant;

use dynaplay_engine::Engine;
use serde_json::{json, Value};

fn run(name: &str, table: Value, workload: Value, seconds: u64) {
    let mut engine = Engine::new();
    engine.set_now(1_767_225_600_000);
    engine.handle_json("CreateTable", table).expect("create table");
    engine.handle_json("PlaygroundStartWorkload", workload).expect("start workload");
    let start = Instant::now();
    for _ in 0..seconds {
        engine.advance(1_000);
    }
    let wall = start.elapsed().as_secs_f64();
    let list = engine.handle_json("PlaygroundListWorkloads", json!({})).expect("list");
    let w = &list["Workloads"][0];
    let requests = w["Requests"].as_u64().unwrap_or(0);
    println!(
        "  {name:<44} {requests:>8} requests in {wall:>6.2} s wall = {:>9.0} simulated requests/s  (throttled {})",
        requests as f64 / wall,
        w["Throttled"]
    );
}

fn main() {
    let seconds: u64 = std::env::var("BENCH_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(60);
    println!("workload generator through Engine::handle_json, one thread, {seconds} s of engine time:");
    let key = |name: &str| {
        json!({"TableName": name,
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]})
    };
    let mut on_demand = key("OnDemand");
    on_demand["BillingMode"] = json!("PAY_PER_REQUEST");
    run(
        "uniform, on-demand, 5,000 req/s, 50% reads",
        on_demand,
        json!({"TableName": "OnDemand", "Distribution": "UNIFORM", "KeyCount": 10_000,
            "RequestsPerSecond": 5_000, "ReadRatio": 0.5, "ItemSizeBytes": 200, "Seed": 1}),
        seconds,
    );
    let mut provisioned = key("Provisioned");
    provisioned["ProvisionedThroughput"] = json!({"ReadCapacityUnits": 1_000, "WriteCapacityUnits": 500});
    run(
        "zipfian, provisioned (throttles), 5,000 req/s",
        provisioned,
        json!({"TableName": "Provisioned", "Distribution": "ZIPFIAN", "KeyCount": 10_000,
            "RequestsPerSecond": 5_000, "ReadRatio": 0.8, "ItemSizeBytes": 200, "Seed": 2}),
        seconds,
    );
}
