//! Memory per stored item, natively: the process's resident set before and after storing
//! MEMORY_ITEMS (default 1,000,000) items of exactly 200 bytes by DynamoDB's measure — the
//! items bench/run.sh stores in each server (bench/lib/load.mjs, `memoryItem`) — through
//! `Engine::handle_text`, the path every front uses.
//!
//! Run: `cargo bench -p dynaplay-engine --bench memory [-- gsi|lsi|keys-only]`. One layout a
//! run: memory freed by an earlier layout would be reused and hide what a later one costs.
//! One PutItem a request, or with MEMORY_BATCH=25 BatchWriteItem requests of 25 items as
//! bench/lib/load.mjs sends the server (25 parsed items freed at once load the allocator
//! differently: with glibc's malloc it costs more CPU per item). Also prints the CPU µs per item.
//!   (no argument)  table pk (S) + sk (S)
//!   gsi            plus a GSI on `city` + `email`, projecting ALL
//!   keys-only      plus the same GSI projecting KEYS_ONLY
//!   lsi            plus an LSI on `email`, projecting ALL
//! Linux only (it reads /proc/self/statm); the figure includes the allocator's overhead, as
//! the server's does.

use std::time::Instant;

use dynaplay_engine::Engine;

/// DynamoDB size of every item: attribute names plus values.
const ITEM_BYTES: usize = 200;

fn main() {
    let items: usize = std::env::var("MEMORY_ITEMS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let layout = std::env::args().skip(1).find(|a| !a.starts_with('-')).unwrap_or_default();
    let index = match layout.as_str() {
        "" => "",
        "gsi" => {
            r#","GlobalSecondaryIndexes":[{"IndexName":"byCity","KeySchema":[{"AttributeName":"city","KeyType":"HASH"},{"AttributeName":"email","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]"#
        }
        "keys-only" => {
            r#","GlobalSecondaryIndexes":[{"IndexName":"byCity","KeySchema":[{"AttributeName":"city","KeyType":"HASH"},{"AttributeName":"email","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}]"#
        }
        "lsi" => {
            r#","LocalSecondaryIndexes":[{"IndexName":"byEmail","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"email","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]"#
        }
        other => panic!("unknown layout {other}: gsi, keys-only or lsi"),
    };
    let definitions = match layout.as_str() {
        "" => "",
        "lsi" => r#",{"AttributeName":"email","AttributeType":"S"}"#,
        _ => r#",{"AttributeName":"city","AttributeType":"S"},{"AttributeName":"email","AttributeType":"S"}"#,
    };
    let mut engine = Engine::new();
    let create = format!(
        r#"{{"TableName":"Memory","BillingMode":"PAY_PER_REQUEST",
            "KeySchema":[{{"AttributeName":"pk","KeyType":"HASH"}},{{"AttributeName":"sk","KeyType":"RANGE"}}],
            "AttributeDefinitions":[{{"AttributeName":"pk","AttributeType":"S"}},{{"AttributeName":"sk","AttributeType":"S"}}{definitions}]{index}}}"#
    );
    engine.handle("CreateTable", create.as_bytes()).expect("create table");
    // Stored as fast as they come: the capacity simulation is not what is measured here.
    engine.handle("PlaygroundUpdateSettings", br#"{"ThrottlingEnabled":false}"#).expect("settings");
    let before = rss_bytes();
    let start = Instant::now();
    let batch: usize = std::env::var("MEMORY_BATCH").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    let cpu0 = cpu_nanos();
    if batch <= 1 {
        for i in 0..items {
            engine.advance(1);
            let body = format!(r#"{{"TableName":"Memory","Item":{}}}"#, item(i));
            engine.handle_text("PutItem", body.as_bytes()).expect("PutItem");
        }
    } else {
        for first in (0..items).step_by(batch) {
            engine.advance(1);
            let writes: Vec<String> = (first..items.min(first + batch))
                .map(|i| format!(r#"{{"PutRequest":{{"Item":{}}}}}"#, item(i)))
                .collect();
            let body = format!(r#"{{"RequestItems":{{"Memory":[{}]}}}}"#, writes.join(","));
            engine.handle_text("BatchWriteItem", body.as_bytes()).expect("BatchWriteItem");
        }
    }
    let cpu = cpu0
        .zip(cpu_nanos())
        .map_or("-".into(), |(a, b)| format!("{:.2}", (b - a) as f64 / 1e3 / items as f64));
    let seconds = start.elapsed().as_secs_f64();
    let after = rss_bytes();
    let per_item = (after - before) as f64 / items as f64;
    println!(
        "{} items of {ITEM_BYTES} bytes, layout {:?}: {per_item:.0} bytes per item ({:.2}× its size), {:.0} puts/s, {cpu} CPU µs per item",
        items,
        if layout.is_empty() { "table" } else { &layout },
        per_item / ITEM_BYTES as f64,
        items as f64 / seconds
    );
}

/// Item `i`, every attribute a string of fixed width so that it is exactly ITEM_BYTES.
fn item(i: usize) -> String {
    let n = format!("{i:07}");
    let used = 2 + 12 + 2 + 7 + 4 + 12 + 5 + 23 + 4 + 6 + 3;
    let bio = "x".repeat(ITEM_BYTES - used);
    format!(
        r#"{{"pk":{{"S":"item#{n}"}},"sk":{{"S":"profile"}},"name":{{"S":"Name {n}"}},"email":{{"S":"user{n}@example.com"}},"city":{{"S":"London"}},"bio":{{"S":"{bio}"}}}}"#
    )
}

/// The resident set, from /proc/self/statm (pages).
fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("/proc/self/statm");
    let pages: u64 = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).expect("statm");
    pages * 4096
}

/// Nanoseconds this thread has run on a CPU (Linux).
fn cpu_nanos() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat").ok()?.split_whitespace().next()?.parse().ok()
}
