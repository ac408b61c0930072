//! `contains` on a binary attribute: the search that compared the needle at every offset
//! (what the engine did before issue 12: `windows(n).any(..)`, written out here as the
//! baseline) against the engine's linear search, on the input that makes the former
//! quadratic — a run of one byte and a needle of the same byte ending in another.
//!
//! Run: `cargo bench -p dynaplay-engine --bench contains`. Figures are wall-clock on a noisy
//! machine; compare the ratio taken in one run. Natively the baseline's slice comparison is
//! vectorised; in the browser's wasm it is byte by byte, so there it is slower still.

use std::hint::black_box;
use std::time::Instant;

use dynaplay_engine::types::base64;
use dynaplay_engine::Engine;
use serde_json::json;

/// The search the engine used before: the needle compared at every offset.
fn naive(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// One Scan whose FilterExpression is `contains(payload, :needle)` over one item holding
/// `haystack`: the whole request path, base64 decoding of both binaries included.
fn engine_scan(engine: &mut Engine, needle: &[u8]) -> bool {
    let request = json!({"TableName": "blobs", "FilterExpression": "contains(payload, :n)",
                         "ExpressionAttributeValues": {":n": {"B": base64::encode(needle)}}});
    engine.handle_json("Scan", request).expect("scan")["Count"] == 1
}

fn main() {
    println!("binary contains, a run of 'a' and a needle of 'a's ending in 'b' (no match)");
    println!(
        "{:>10} {:>10} {:>16} {:>22} {:>8}",
        "haystack", "needle", "naive (ms)", "engine Scan (ms)", "ratio"
    );
    for (hay_kib, needle_kib) in [(16, 8), (64, 32), (128, 64), (390, 195)] {
        let haystack = vec![b'a'; hay_kib * 1024];
        let mut needle = vec![b'a'; needle_kib * 1024];
        needle.push(b'b');
        let mut engine = Engine::new();
        engine
            .handle_json(
                "CreateTable",
                json!({"TableName": "blobs", "BillingMode": "PAY_PER_REQUEST",
                       "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                       "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}),
            )
            .expect("create");
        engine
            .handle_json(
                "PutItem",
                json!({"TableName": "blobs", "Item": {"pk": {"S": "one"}, "payload": {"B": base64::encode(&haystack)}}}),
            )
            .expect("put");
        let start = Instant::now();
        let found = engine_scan(&mut engine, black_box(&needle));
        let linear = start.elapsed().as_secs_f64() * 1e3;
        assert!(!found);
        let start = Instant::now();
        assert!(!naive(black_box(&haystack), black_box(&needle)));
        let naive_ms = start.elapsed().as_secs_f64() * 1e3;
        println!(
            "{:>8}KB {:>8}KB {:>16.1} {:>22.2} {:>7.0}×",
            hay_kib,
            needle_kib,
            naive_ms,
            linear,
            naive_ms / linear
        );
    }
}
