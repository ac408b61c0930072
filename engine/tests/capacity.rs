//! Capacity simulation pinned to the documented numbers (SEMANTICS.md): burst, query cost,
//! partition counts, throttling at the predicted second, adaptive capacity, GSI
//! back-pressure, batches, transactions, on-demand, hot-item isolation, workload determinism.

use dynaplay_engine::Engine;
use serde_json::{json, Value};

const T0: u64 = 1_767_225_600_000;

fn engine() -> Engine {
    let mut e = Engine::new();
    e.set_now(T0);
    e
}

fn create(e: &mut Engine, name: &str, rcu: u64, wcu: u64) {
    let mut req = json!({"TableName": name,
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]});
    if rcu == 0 {
        req["BillingMode"] = json!("PAY_PER_REQUEST");
    } else {
        req["ProvisionedThroughput"] = json!({"ReadCapacityUnits": rcu, "WriteCapacityUnits": wcu});
    }
    e.handle_json("CreateTable", req).unwrap();
}

fn put(e: &mut Engine, table: &str, pk: &str, bytes: usize) -> Result<Value, dynaplay_engine::ApiError> {
    let pad = bytes.saturating_sub(pk.len() + 2 + 1).max(1);
    e.handle_json(
        "PutItem",
        json!({"TableName": table, "Item": {"pk": {"S": pk}, "d": {"S": "x".repeat(pad)}}}),
    )
}

fn get(e: &mut Engine, table: &str, pk: &str) -> Result<Value, dynaplay_engine::ApiError> {
    e.handle_json("GetItem", json!({"TableName": table, "Key": {"pk": {"S": pk}}, "ConsistentRead": true}))
}

fn partitions(e: &mut Engine, table: &str) -> Value {
    e.handle_json("PlaygroundDescribePartitions", json!({"TableName": table})).unwrap()
}

#[test]
fn burst_of_150_rcu_serves_200_rcu_for_900_seconds() {
    // SEMANTICS.md: 150 RCU bank 300 s × 150 = 45,000 units; 200 RCU/s drains 50 a second.
    let mut e = engine();
    create(&mut e, "Burst", 150, 5);
    let mut first_throttle = None;
    let mut admitted_after = 0;
    for i in 0..(200 * 905u64) {
        e.set_now(T0 + i * 5);
        match get(&mut e, "Burst", "missing") {
            Ok(_) if first_throttle.is_some() => admitted_after += 1,
            Ok(_) => {}
            Err(err) => {
                assert_eq!(err.kind.name(), "ProvisionedThroughputExceededException");
                first_throttle.get_or_insert(i * 5 / 1000);
            }
        }
    }
    assert_eq!(first_throttle, Some(900), "throttling begins at the predicted second");
    // Afterwards the table serves its provisioned 150 RCU a second (5 s observed).
    assert!((745..=755).contains(&admitted_after), "{admitted_after}");
}

#[test]
fn metrics_show_the_burst_bucket_draining_as_the_partition_view_does() {
    // 150 RCU, 200 strongly consistent reads a second: the bank falls by 50 a second.
    let mut e = engine();
    create(&mut e, "Drain", 150, 5);
    for i in 0..(200 * 10u64) {
        e.set_now(T0 + i * 5);
        get(&mut e, "Drain", "missing").unwrap();
    }
    let m = e.handle_json("PlaygroundGetMetrics", json!({"TableName": "Drain"})).unwrap();
    let levels = m["Metrics"]["ReadBucketLevel"].as_array().unwrap();
    let last: Vec<f64> = levels[levels.len() - 10..].iter().map(|v| v.as_f64().unwrap()).collect();
    let mut want: Vec<f64> = (1..10).map(|k| 45_000.0 - 50.0 * k as f64).collect();
    // The current second is read at now (T0 + 9,995 ms): 2,000 units spent, 1,499.25 refilled.
    want.push(44_499.25);
    assert_eq!(last, want);
    let d = partitions(&mut e, "Drain");
    assert_eq!(d["Table"]["ReadPool"]["Level"], json!(44_499.25), "the same level as the partition view");
    assert_eq!(m["Metrics"]["WriteBucketLevel"].as_array().unwrap().last(), Some(&json!(1_500.0)));
    // On demand there is no bucket.
    create(&mut e, "OnDemand", 0, 0);
    let m = e.handle_json("PlaygroundGetMetrics", json!({"TableName": "OnDemand"})).unwrap();
    assert!(m["Metrics"]["ReadBucketLevel"].as_array().unwrap().iter().all(Value::is_null));
}

#[test]
fn throttling_error_names_the_table_and_reason() {
    let mut e = engine();
    create(&mut e, "Tiny", 1, 1);
    put(&mut e, "Tiny", "big", 300 * 1024).unwrap(); // 300 WCU: the whole burst
    let err = put(&mut e, "Tiny", "next", 10).unwrap_err();
    assert_eq!(err.kind.name(), "ProvisionedThroughputExceededException");
    assert_eq!(
        err.message,
        "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API."
    );
    let body = err.to_json();
    assert_eq!(
        body["ThrottlingReasons"],
        json!([{"reason": "TableWriteProvisionedThroughputExceeded",
                "resource": "arn:aws:dynamodb:us-east-1:000000000000:table/Tiny"}])
    );
    // Nothing was written; a second later one unit has been banked again.
    assert!(get(&mut e, "Tiny", "next").unwrap().get("Item").is_none());
    e.advance(1_000);
    put(&mut e, "Tiny", "next", 10).unwrap();
}

#[test]
fn query_of_1500_items_of_64_bytes_costs_24_rcu_and_charges_the_bucket_24() {
    let mut e = engine();
    e.handle_json("CreateTable", json!({"TableName": "Query64",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
        "ProvisionedThroughput": {"ReadCapacityUnits": 1000, "WriteCapacityUnits": 1000}})).unwrap();
    for i in 0..1500 {
        e.advance(2);
        // pk (2+1) + sk (2+4) + d (1+54) = 64 bytes.
        let item = json!({"pk": {"S": "p"}, "sk": {"S": format!("{i:04}")}, "d": {"S": "x".repeat(54)}});
        e.handle_json("PutItem", json!({"TableName": "Query64", "Item": item})).unwrap();
    }
    let before = partitions(&mut e, "Query64");
    let q = e
        .handle_json("Query", json!({"TableName": "Query64", "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": {"S": "p"}}, "ConsistentRead": true, "ReturnConsumedCapacity": "TOTAL"}))
        .unwrap();
    assert_eq!(q["Count"], 1500);
    assert_eq!(q["ConsumedCapacity"]["CapacityUnits"], json!(24.0));
    let after = partitions(&mut e, "Query64");
    let levels = |d: &Value| -> f64 {
        d["Table"]["Partitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["ReadBucket"]["Level"].as_f64().unwrap())
            .sum()
    };
    assert_eq!(levels(&before) - levels(&after), 24.0, "the buckets were charged what was reported");
    assert_eq!(after["Table"]["ReadPool"]["Level"].as_f64().unwrap(), 300_000.0 - 24.0);
}

#[test]
fn partition_counts_follow_the_classic_rule_and_never_merge() {
    let mut e = engine();
    // ceil(RCU / 3000 + WCU / 1000); on demand, 12,000 RCU or 4,000 WCU a second fit four.
    for (name, rcu, wcu, want) in
        [("Aaa", 5, 5, 1), ("Batch", 3_000, 1, 2), ("Ccc", 7_500, 2_000, 5), ("Ddd", 0, 0, 4)]
    {
        create(&mut e, name, rcu, wcu);
        assert_eq!(partitions(&mut e, name)["Table"]["PartitionCount"], json!(want), "{name}");
    }
    // Raising throughput splits; lowering it again merges nothing.
    e.handle_json(
        "UpdateTable",
        json!({"TableName": "Aaa",
        "ProvisionedThroughput": {"ReadCapacityUnits": 6_000, "WriteCapacityUnits": 1_000}}),
    )
    .unwrap();
    assert_eq!(partitions(&mut e, "Aaa")["Table"]["PartitionCount"], json!(3));
    e.advance(2_000);
    e.handle_json(
        "UpdateTable",
        json!({"TableName": "Aaa",
        "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}),
    )
    .unwrap();
    assert_eq!(partitions(&mut e, "Aaa")["Table"]["PartitionCount"], json!(3));
}

#[test]
fn scaled_down_size_limit_splits_learner_sized_data() {
    let mut e = engine();
    create(&mut e, "Sized", 100, 100);
    e.handle_json("PlaygroundUpdateSettings", json!({"PartitionSizeLimitBytes": 4096})).unwrap();
    for i in 0..100 {
        e.advance(20);
        put(&mut e, "Sized", &format!("k{i}"), 200).unwrap();
    }
    let d = partitions(&mut e, "Sized");
    let parts = d["Table"]["Partitions"].as_array().unwrap();
    // 100 × (200 + 100 overhead) = 30,000 bytes over 4 KB partitions.
    assert!(parts.len() >= 8, "{}", parts.len());
    let items: u64 = parts.iter().map(|p| p["ItemCount"].as_u64().unwrap()).sum();
    assert_eq!(items, 100);
    assert!(parts.iter().all(|p| p["SizeBytes"].as_u64().unwrap() <= 4096));
    // Ranges tile the hash space in order.
    for w in parts.windows(2) {
        let end = u64::from_str_radix(w[0]["KeyRangeEnd"].as_str().unwrap(), 16).unwrap();
        let start = u64::from_str_radix(w[1]["KeyRangeStart"].as_str().unwrap(), 16).unwrap();
        assert_eq!(end + 1, start);
    }
}

#[test]
fn only_a_single_key_stays_over_the_size_limit() {
    // Items of 7 KB and 16 KB under an 8 KB limit: every partition over the limit must hold a
    // single item, however the keys fall — also when a partition's last key holds more than
    // half its bytes, and after a throughput change halves partitions again (a partition once
    // stayed at two 7 KB items and one 16 KB item, unsplit, and replay then split it).
    let mut e = engine();
    create(&mut e, "Mixed", 5, 5);
    e.handle_json("PlaygroundUpdateSettings", json!({"PartitionSizeLimitBytes": 8192})).unwrap();
    let check = |e: &mut Engine, when: &str| {
        let d = partitions(e, "Mixed");
        for p in d["Table"]["Partitions"].as_array().unwrap() {
            let (size, items) = (p["SizeBytes"].as_u64().unwrap(), p["ItemCount"].as_u64().unwrap());
            assert!(size <= 8192 || items == 1, "{when}: {p}");
        }
    };
    for i in 0..48 {
        e.advance(2_000);
        put(&mut e, "Mixed", &format!("k{i}"), if i % 3 == 2 { 16_000 } else { 7_000 }).unwrap();
    }
    check(&mut e, "after the writes");
    e.handle_json(
        "UpdateTable",
        json!({"TableName": "Mixed", "ProvisionedThroughput": {"ReadCapacityUnits": 4001, "WriteCapacityUnits": 2401}}),
    )
    .unwrap();
    check(&mut e, "after UpdateTable");
}

#[test]
fn adaptive_capacity_lends_a_hot_partition_the_tables_unused_capacity() {
    // 3,000 RCU + 6 WCU → 2 partitions of 3 WCU each; the table pool refills 6 WCU a second.
    let mut e = engine();
    create(&mut e, "Hot", 3_000, 6);
    assert_eq!(partitions(&mut e, "Hot")["Table"]["PartitionCount"], json!(2));
    // 5 WCU a second on one key: more than its partition's 3, less than the table's 6.
    for i in 0..(5 * 1_000u64) {
        e.set_now(T0 + i * 200);
        put(&mut e, "Hot", "celebrity", 500)
            .unwrap_or_else(|err| panic!("throttled at {} s: {err:?}", i / 5));
    }
}

#[test]
fn adaptive_capacity_stops_when_the_table_pool_runs_dry_at_the_predicted_second() {
    // 8 WCU a second on one key of a 6-WCU table: the pool (1,800 banked) loses 2 a second
    // from the first request on, so it runs dry at 900 s.
    let mut e = engine();
    create(&mut e, "Hot", 3_000, 6);
    let mut first = None;
    for i in 0..(8 * 905u64) {
        e.set_now(T0 + i * 125);
        if put(&mut e, "Hot", "celebrity", 500).is_err() {
            first.get_or_insert(i / 8);
        }
    }
    assert_eq!(first, Some(900));
}

#[test]
fn a_gsi_without_write_capacity_throttles_writes_to_its_table() {
    let mut e = engine();
    e.handle_json("CreateTable", json!({"TableName": "Gsi",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
        "ProvisionedThroughput": {"ReadCapacityUnits": 100, "WriteCapacityUnits": 100},
        "GlobalSecondaryIndexes": [{"IndexName": "ByG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}]})).unwrap();
    let mut throttled = None;
    for i in 0..400u64 {
        e.set_now(T0 + i * 200);
        let item = json!({"pk": {"S": format!("k{}", i % 7)}, "g": {"S": format!("g{i}")}});
        match e.handle_json("PutItem", json!({"TableName": "Gsi", "Item": item})) {
            Ok(_) => {}
            Err(err) => {
                assert_eq!(err.kind.name(), "ProvisionedThroughputExceededException");
                assert!(err.message.contains("global secondary indexes"), "{}", err.message);
                let body = err.to_json();
                assert_eq!(body["ThrottlingReasons"][0]["reason"], "IndexWriteProvisionedThroughputExceeded");
                assert_eq!(
                    body["ThrottlingReasons"][0]["resource"],
                    "arn:aws:dynamodb:us-east-1:000000000000:table/Gsi/index/ByG"
                );
                // The base table was not written either.
                let got = get(&mut e, "Gsi", &format!("k{}", i % 7)).unwrap();
                assert_ne!(got["Item"]["g"]["Sized"], json!(format!("g{i}")));
                throttled = Some(i);
                break;
            }
        }
    }
    // 300 banked units; each write moves an entry (delete + put = 2) after the first 7.
    let at = throttled.expect("the GSI pushed back");
    assert!((100..250).contains(&at), "{at}");
}

#[test]
fn batch_write_returns_throttled_items_unprocessed_and_fails_only_when_nothing_was_written() {
    let mut e = engine();
    create(&mut e, "Batch", 1, 1);
    put(&mut e, "Batch", "big", 300 * 1024).unwrap();
    let batch = |keys: &[&str]| {
        let reqs: Vec<Value> =
            keys.iter().map(|k| json!({"PutRequest": {"Item": {"pk": {"S": k}}}})).collect();
        json!({"RequestItems": {"Batch": reqs}, "ReturnConsumedCapacity": "TOTAL"})
    };
    let err = e.handle_json("BatchWriteItem", batch(&["a", "b"])).unwrap_err();
    assert_eq!(err.kind.name(), "ProvisionedThroughputExceededException");
    e.advance(1_000);
    let r = e.handle_json("BatchWriteItem", batch(&["a", "b", "c"])).unwrap();
    assert_eq!(
        r["UnprocessedItems"]["Batch"],
        json!([
        {"PutRequest": {"Item": {"pk": {"S": "b"}}}}, {"PutRequest": {"Item": {"pk": {"S": "c"}}}}])
    );
    assert_eq!(r["ConsumedCapacity"], json!([{"TableName": "Batch", "CapacityUnits": 1.0}]));
    e.advance(1_000);
    let r = e
        .handle_json(
            "BatchGetItem",
            json!({"RequestItems": {"Batch": {"Keys": [{"pk": {"S": "a"}}, {"pk": {"S": "b"}}]}}}),
        )
        .unwrap();
    assert_eq!(r["Responses"]["Batch"].as_array().unwrap().len(), 1);
}

#[test]
fn a_throttled_transaction_is_cancelled_and_changes_nothing() {
    let mut e = engine();
    create(&mut e, "Txn1", 5, 1);
    create(&mut e, "Txn2", 5, 100);
    put(&mut e, "Txn1", "big", 300 * 1024).unwrap();
    let r = e.handle_json(
        "TransactWriteItems",
        json!({"TransactItems": [
        {"Put": {"TableName": "Txn2", "Item": {"pk": {"S": "x"}}}},
        {"Put": {"TableName": "Txn1", "Item": {"pk": {"S": "y"}}}}]}),
    );
    let err = r.unwrap_err();
    assert_eq!(err.kind.name(), "TransactionCanceledException");
    assert_eq!(err.message, "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ProvisionedThroughputExceeded]");
    assert!(get(&mut e, "Txn2", "x").unwrap().get("Item").is_none());
    // U's write was refunded: its bucket is still full.
    let d = partitions(&mut e, "Txn2");
    assert_eq!(d["Table"]["WritePool"]["Level"], d["Table"]["WritePool"]["Capacity"]);
}

#[test]
fn a_new_on_demand_table_absorbs_a_spike_then_sustains_4000_wcu_a_second() {
    let mut e = engine();
    create(&mut e, "OnDemand", 0, 0);
    // 40 WCU each over distinct keys, all at one engine instant: successes and the first error.
    let burst = |e: &mut Engine, tag: &str, n: usize| {
        let mut ok = 0;
        let mut err = None;
        for i in 0..n {
            match put(e, "OnDemand", &format!("{tag}{i}"), 40 * 1024 - 200) {
                Ok(_) => ok += 1,
                Err(e) => err = err.or(Some(e)),
            }
        }
        (ok, err)
    };
    // Four partitions, each banking 10 s of its 1,000 WCU ceiling: a spike of about 40,000 WCU
    // is absorbed at once (each partition admits while its bank is above zero).
    let (ok, err) = burst(&mut e, "a", 2_000);
    assert!((990..=1_004).contains(&ok), "{ok}");
    let err = err.unwrap();
    assert_eq!(err.kind.name(), "ThrottlingException");
    assert!(err.message.starts_with("Throughput exceeds the current capacity of your table or index."));
    assert_eq!(err.to_json()["ThrottlingReasons"][0]["reason"], "TableWriteKeyRangeThroughputExceeded");
    // Sustained: with the banks spent, a second later 4 × 1,000 WCU have come back.
    e.advance(1_000);
    let (ok, err) = burst(&mut e, "b", 400);
    assert!((96..=104).contains(&ok), "{ok}");
    assert!(err.is_some());
    e.advance(1_000);
    put(&mut e, "OnDemand", "later", 10).unwrap();
}

#[test]
fn a_hot_key_held_at_the_partition_ceiling_is_isolated_on_its_own_partition() {
    let mut e = engine();
    create(&mut e, "Iso", 0, 0);
    let mut first_throttle = None;
    for s in 0..15u64 {
        for i in 0..25u64 {
            e.set_now(T0 + s * 1_000 + i * 40);
            // 100 WCU each, 2,500 WCU a second: the ceiling's 10 s bank lasts under 7 s.
            if put(&mut e, "Iso", "hot", 100 * 1024 - 200).is_err() {
                first_throttle.get_or_insert(s);
            }
        }
    }
    assert_eq!(first_throttle, Some(6), "the bank of 10,000 WCU ran out 1,500 WCU a second");
    let d = partitions(&mut e, "Iso");
    let parts = d["Table"]["Partitions"].as_array().unwrap();
    assert!(parts.iter().any(|p| p["KeyRangeStart"] == p["KeyRangeEnd"] && p["ItemCount"] == 1), "{d}");
    assert!(d["Table"]["Splits"].as_u64().unwrap() >= 1);
    let hot = e.handle_json("PlaygroundDescribeHotKeys", json!({"TableName": "Iso"})).unwrap();
    assert_eq!(hot["MostThrottled"]["Keys"][0]["Key"], json!({"S": "hot"}));
    assert_eq!(hot["MostAccessed"]["Keys"][0]["Key"], json!({"S": "hot"}));
}

fn run_workload(seed: u64) -> Value {
    let mut e = engine();
    create(&mut e, "Work", 50, 50);
    e.handle_json(
        "PlaygroundStartWorkload",
        json!({"TableName": "Work", "Distribution": "ZIPFIAN",
        "KeyCount": 500, "RequestsPerSecond": 400, "ReadRatio": 0.3, "ItemSizeBytes": 300, "Seed": seed}),
    )
    .unwrap();
    for _ in 0..120 {
        e.advance(1_000);
    }
    let m = e.handle_json("PlaygroundGetMetrics", json!({"TableName": "Work"})).unwrap();
    let w = e.handle_json("PlaygroundListWorkloads", json!({})).unwrap();
    json!({"metrics": m, "workloads": w, "partitions": partitions(&mut e, "Work")})
}

#[test]
fn the_same_workload_seed_gives_the_same_metrics() {
    let a = run_workload(7);
    assert_eq!(a, run_workload(7));
    assert_ne!(a["metrics"], run_workload(8)["metrics"]);
    let w = &a["workloads"]["Workloads"][0];
    // Requests due at or before the current engine time have run: both ends included.
    assert_eq!(w["Requests"], 400 * 120 + 1);
    // 50 WCU with 1 KB writes at about 280 a second: the burst runs out and throttling shows.
    assert!(w["Throttled"].as_u64().unwrap() > 0, "{w}");
    let throttles: u64 = a["metrics"]["Metrics"]["WriteThrottleEvents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(throttles, w["Throttled"].as_u64().unwrap());
}

#[test]
fn time_controls_pause_speed_and_step() {
    let mut e = engine();
    e.handle_json("PlaygroundUpdateTime", json!({"Paused": true})).unwrap();
    e.set_now(T0 + 10_000);
    assert_eq!(e.now(), T0);
    e.handle_json("PlaygroundAdvanceTime", json!({"Milliseconds": 250})).unwrap();
    assert_eq!(e.now(), T0 + 250);
    e.handle_json("PlaygroundUpdateTime", json!({"Paused": false, "Speed": 60})).unwrap();
    e.set_now(T0 + 11_000);
    assert_eq!(e.now(), T0 + 250 + 60_000);
    let t = e.handle_json("PlaygroundDescribeTime", json!({})).unwrap();
    assert_eq!(t, json!({"Now": T0 + 60_250, "Paused": false, "Speed": 60.0}));
}

#[test]
fn contributor_insights_can_be_enabled_described_and_listed() {
    let mut e = engine();
    create(&mut e, "Insights", 5, 5);
    let r = e
        .handle_json(
            "UpdateContributorInsights",
            json!({"TableName": "Insights", "ContributorInsightsAction": "ENABLE"}),
        )
        .unwrap();
    assert_eq!(r["ContributorInsightsStatus"], "ENABLING");
    let d = e.handle_json("DescribeContributorInsights", json!({"TableName": "Insights"})).unwrap();
    assert_eq!(d["ContributorInsightsStatus"], "ENABLED");
    assert_eq!(d["ContributorInsightsRuleList"][0], "DynamoDBContributorInsights-PKC-Insights");
    let l = e.handle_json("ListContributorInsights", json!({})).unwrap();
    assert_eq!(
        l["ContributorInsightsSummaries"],
        json!([{"TableName": "Insights", "ContributorInsightsStatus": "ENABLED",
        "ContributorInsightsMode": "ACCESSED_AND_THROTTLED_KEYS"}])
    );
}

#[test]
fn throttling_can_be_switched_off_and_usage_is_still_counted() {
    let mut e = engine();
    create(&mut e, "Free", 0, 0);
    let settings = e.handle_json("PlaygroundUpdateSettings", json!({"ThrottlingEnabled": false})).unwrap();
    assert_eq!(settings["Settings"]["ThrottlingEnabled"], false);
    // 1,200 × 40 WCU in one second: far over what four partitions bank, none refused.
    for i in 0..1_200 {
        put(&mut e, "Free", &format!("k{i}"), 40 * 1024 - 200).unwrap();
    }
    let metrics = e.handle_json("PlaygroundGetMetrics", json!({"TableName": "Free"})).unwrap();
    let used: f64 = metrics["Metrics"]["ConsumedWriteCapacityUnits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(serde_json::Value::as_f64)
        .sum();
    assert_eq!(used, 48_000.0, "{metrics}");
    e.handle_json("PlaygroundUpdateSettings", json!({"ThrottlingEnabled": true})).unwrap();
    assert!(put(&mut e, "Free", "again", 40 * 1024 - 200).is_err(), "on again: the banks are spent");
    let err = e.handle_json("PlaygroundUpdateSettings", json!({"ThrottlingEnabled": 0})).unwrap_err();
    assert_eq!(err.to_string(), "SerializationException: NUMBER_VALUE cannot be converted to Boolean");
}

#[test]
fn settings_are_described_checked_as_a_whole_and_include_the_ttl_delay() {
    let mut e = engine();
    let d = e.handle_json("PlaygroundDescribeSettings", json!({})).unwrap();
    assert_eq!(
        d["Settings"],
        json!({"PartitionSizeLimitBytes": 10_737_418_240u64, "DefaultPartitionSizeLimitBytes": 10_737_418_240u64,
               "ThrottlingEnabled": true, "TtlDeletionDelayMilliseconds": 5_000,
               "DefaultTtlDeletionDelayMilliseconds": 5_000,
               "StreamRetentionBytes": 4_194_304, "DefaultStreamRetentionBytes": 4_194_304,
               "ItemCollectionSizeLimitBytes": 10_737_418_240u64,
               "DefaultItemCollectionSizeLimitBytes": 10_737_418_240u64,
               "ReplicationDelayMilliseconds": 0, "DefaultReplicationDelayMilliseconds": 0,
               "GsiPropagationDelayMilliseconds": 0, "DefaultGsiPropagationDelayMilliseconds": 0,
               "DaxCacheSizeLimitBytes": 0, "DefaultDaxCacheSizeLimitBytes": 0,

               "GlobalTableReplicationDelayMilliseconds": 1_000,
               "DefaultGlobalTableReplicationDelayMilliseconds": 1_000})
    );
    // One bad member: nothing is applied.
    let err = e
        .handle_json(
            "PlaygroundUpdateSettings",
            json!({"ThrottlingEnabled": false, "TtlDeletionDelayMilliseconds": 700_000_000}),
        )
        .unwrap_err();
    assert_eq!(
        err.message,
        "1 validation error detected: Value '700000000' at 'ttlDeletionDelayMilliseconds' failed to satisfy constraint: Member must have value less than or equal to 604800000"
    );
    let d = e.handle_json("PlaygroundDescribeSettings", json!({})).unwrap();
    assert_eq!(d["Settings"]["ThrottlingEnabled"], true);
    let d =
        e.handle_json("PlaygroundUpdateSettings", json!({"TtlDeletionDelayMilliseconds": 60_000})).unwrap();
    assert_eq!(d["Settings"]["TtlDeletionDelayMilliseconds"], 60_000);
    assert_eq!(e.ttl_deletion_delay_ms(), 60_000);
}

#[test]
fn an_empty_scan_page_is_charged_but_is_no_hot_key() {
    let mut e = engine();
    create(&mut e, "Empty", 5, 5);
    let r = e.handle_json("Scan", json!({"TableName": "Empty", "ReturnConsumedCapacity": "TOTAL"})).unwrap();
    assert_eq!(r["ConsumedCapacity"]["CapacityUnits"], 0.5);
    let hot = e.handle_json("PlaygroundDescribeHotKeys", json!({"TableName": "Empty"})).unwrap();
    assert_eq!(hot["MostAccessed"]["Keys"], json!([]), "{hot}");
}

/// Writes the engine makes on its own — workload traffic, TTL deletions — are counted for the
/// hosts (they persist a snapshot instead of the request journal when the count moves); a
/// read-only workload and the requests the host sends itself are not.
#[test]
fn background_writes_count_workload_writes_and_ttl_deletions() {
    let mut e = Engine::new();
    e.set_now(1_700_000_000_000);
    e.handle_json(
        "CreateTable",
        json!({"TableName": "Background", "BillingMode": "PAY_PER_REQUEST",
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}),
    )
    .unwrap();
    e.handle_json("PutItem", json!({"TableName": "Background", "Item": {"pk": {"S": "request"}}})).unwrap();
    assert_eq!(e.background_writes(), 0, "a request's write is journaled by the host, not background");

    let start = |e: &mut Engine, read_ratio: f64| {
        let r = e
            .handle_json(
                "PlaygroundStartWorkload",
                json!({"TableName": "Background", "Distribution": "UNIFORM", "KeyCount": 50,
                       "RequestsPerSecond": 100, "ReadRatio": read_ratio, "Seed": 7}),
            )
            .unwrap();
        r["WorkloadId"].clone()
    };
    let reads = start(&mut e, 1.0);
    e.advance(2_000);
    assert_eq!(e.background_writes(), 0, "reads change nothing");
    e.handle_json("PlaygroundStopWorkload", json!({"WorkloadId": reads})).unwrap();

    let writes = start(&mut e, 0.0);
    e.advance(2_000);
    let after_workload = e.background_writes();
    assert!(after_workload >= 150, "about 200 workload writes in 2 s, counted {after_workload}");
    e.handle_json("PlaygroundStopWorkload", json!({"WorkloadId": writes})).unwrap();

    e.handle_json(
        "UpdateTimeToLive",
        json!({"TableName": "Background", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "exp"}}),
    )
    .unwrap();
    let expired_at = e.now() / 1000 - 10;
    e.handle_json("PutItem", json!({"TableName": "Background", "Item": {"pk": {"S": "old"}, "exp": {"N": expired_at.to_string()}}}))
        .unwrap();
    e.advance(3_600_000);
    assert_eq!(e.background_writes(), after_workload + 1, "one TTL deletion");
}

/// A failed conditional write still consumes write capacity: the existing item's size in write
/// units, or 1 with no item; the error carries no ConsumedCapacity. With the bucket empty the
/// write is throttled instead of evaluated.
#[test]
fn a_failed_conditional_write_consumes_the_existing_items_write_units() {
    let used = |e: &mut Engine| -> f64 {
        let m = e.handle_json("PlaygroundGetMetrics", json!({"TableName": "Cond"})).unwrap();
        m["Metrics"]["ConsumedWriteCapacityUnits"].as_array().unwrap().iter().filter_map(Value::as_f64).sum()
    };
    let mut e = engine();
    create(&mut e, "Cond", 0, 0);
    put(&mut e, "Cond", "big", 3 * 1024 - 100).unwrap(); // 3 WCU
    assert_eq!(used(&mut e), 3.0);
    let conditional = |pk: &str, condition: &str| {
        json!({"TableName": "Cond", "Item": {"pk": {"S": pk}}, "ConditionExpression": condition,
               "ReturnConsumedCapacity": "TOTAL"})
    };
    let err = e.handle_json("PutItem", conditional("big", "attribute_not_exists(pk)")).unwrap_err();
    assert_eq!(err.message, "The conditional request failed");
    assert!(err.to_json().get("ConsumedCapacity").is_none(), "an error carries no ConsumedCapacity");
    assert_eq!(used(&mut e), 6.0, "the existing 3 KB item's 3 WCU");
    e.handle_json("PutItem", conditional("absent", "attribute_exists(pk)")).unwrap_err();
    assert_eq!(used(&mut e), 7.0, "no existing item: 1 WCU");
    e.handle_json(
        "DeleteItem",
        json!({"TableName": "Cond", "Key": {"pk": {"S": "big"}}, "ConditionExpression": "attribute_not_exists(pk)"}),
    )
    .unwrap_err();
    assert_eq!(used(&mut e), 10.0, "DeleteItem too");

    // A provisioned table with its write bucket spent throttles the conditional write.
    let mut e = engine();
    create(&mut e, "Tight", 1, 1);
    let mut throttled = None;
    for i in 0..400 {
        let r = e.handle_json(
            "PutItem",
            json!({"TableName": "Tight", "Item": {"pk": {"S": "k"}, "n": {"N": i.to_string()}},
                   "ConditionExpression": "attribute_not_exists(pk)"}),
        );
        if let Err(err) = r {
            if err.message != "The conditional request failed" {
                throttled = Some(err.message);
                break;
            }
        }
    }
    let message = throttled.expect("failed conditional writes drain the bucket until throttled");
    assert!(message.contains("throughput"), "{message}");
}

/// At most ten workloads run at once (a clear error beyond); stopped ones make room.
#[test]
fn workloads_are_capped() {
    let mut e = engine();
    create(&mut e, "Many", 0, 0);
    let start = |e: &mut Engine| {
        e.handle_json("PlaygroundStartWorkload", json!({"TableName": "Many", "RequestsPerSecond": 1}))
    };
    let ids: Vec<Value> = (0..10).map(|_| start(&mut e).unwrap()["WorkloadId"].clone()).collect();
    let err = start(&mut e).unwrap_err();
    assert_eq!(err.kind.name(), "LimitExceededException");
    assert_eq!(err.message, "At most 10 workloads run at once: stop one (PlaygroundStopWorkload) first");
    e.handle_json("PlaygroundStopWorkload", json!({"WorkloadId": ids[3]})).unwrap();
    let eleventh = start(&mut e).unwrap()["WorkloadId"].clone();
    let listed = e.handle_json("PlaygroundListWorkloads", json!({})).unwrap()["Workloads"].clone();
    let listed: Vec<Value> = listed.as_array().unwrap().iter().map(|w| w["WorkloadId"].clone()).collect();
    assert_eq!(listed.len(), 10, "the stopped one made room");
    assert!(!listed.contains(&ids[3]) && listed.contains(&eleventh));
}

/// A step budget bounds the work one call does; the rest is carried to the next calls (engine
/// time stays behind meanwhile), never skipped.
#[test]
fn a_step_budget_carries_workload_requests_over_instead_of_skipping_them() {
    let mut e = engine();
    create(&mut e, "Busy", 0, 0);
    e.set_workload_step_budget(300);
    e.handle_json(
        "PlaygroundStartWorkload",
        json!({"TableName": "Busy", "RequestsPerSecond": 1000, "ReadRatio": 0, "ItemSizeBytes": 1500,
               "DurationSeconds": 2}),
    )
    .unwrap();
    // 2,000 writes of 1.5 KB cost 2 units each: 150 a call.
    e.set_now(T0 + 10_000);
    let requests = |e: &mut Engine| {
        e.handle_json("PlaygroundListWorkloads", json!({})).unwrap()["Workloads"][0]["Requests"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(requests(&mut e), 150);
    let time = e.handle_json("PlaygroundDescribeTime", json!({})).unwrap();
    assert!(e.now() < T0 + 1_000, "engine time waits at the last request run: {}", e.now());
    assert_eq!(time["BehindMilliseconds"], T0 + 10_000 - e.now());
    let mut calls = 1;
    while e.handle_json("PlaygroundDescribeTime", json!({})).unwrap().get("BehindMilliseconds").is_some() {
        e.set_now(T0 + 10_000);
        calls += 1;
        assert!(calls < 100);
    }
    assert_eq!(requests(&mut e), 2_000, "every request ran, none skipped");
    assert_eq!(calls, 14, "2,000 / 150 calls, rounded up");
    assert_eq!(e.now(), T0 + 10_000);
    let scan = e.handle_json("Scan", json!({"TableName": "Busy", "Select": "COUNT"})).unwrap();
    assert!(scan["Count"].as_u64().unwrap() > 0);
}

/// A zero budget runs no workload request: engine time waits (behind, by `behind_ms`) while
/// one is due, and moves freely when none is; slices of budget then catch up.
#[test]
fn a_zero_step_budget_runs_no_workload_request_and_time_waits() {
    let mut e = engine();
    create(&mut e, "Busy", 0, 0);
    e.set_workload_step_budget(0);
    e.set_now(T0 + 500);
    assert_eq!(e.now(), T0 + 500, "no workload: time moves");
    assert_eq!(e.behind_ms(), 0);
    e.handle_json(
        "PlaygroundStartWorkload",
        json!({"TableName": "Busy", "RequestsPerSecond": 100, "ReadRatio": 0, "DurationSeconds": 1}),
    )
    .unwrap();
    e.set_now(T0 + 5_000);
    let requests = |e: &mut Engine| {
        e.handle_json("PlaygroundListWorkloads", json!({})).unwrap()["Workloads"][0]["Requests"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(requests(&mut e), 0);
    assert_eq!(e.now(), T0 + 500, "a request is due: time waits");
    assert_eq!(e.behind_ms(), 4_500);
    e.set_workload_step_budget(10);
    let mut calls = 0;
    while e.behind_ms() > 0 {
        e.set_now(T0 + 5_000);
        calls += 1;
        assert!(calls <= 10, "slices of 10 catch up 100 requests in 10 calls");
    }
    assert_eq!(requests(&mut e), 100);
    assert_eq!(e.now(), T0 + 5_000);
}

/// A workload's table lives in memory: the most it can write (KeyCount × ItemSizeBytes) is
/// capped, so the largest items over the most keys (40 GB) are refused, not run out of memory.
#[test]
fn a_workload_that_could_write_more_than_256_mib_is_refused() {
    let mut e = engine();
    create(&mut e, "Big", 0, 0);
    let start = |e: &mut Engine, request: Value| e.handle_json("PlaygroundStartWorkload", request);
    let err = start(&mut e, json!({"TableName": "Big", "KeyCount": 100_000, "ItemSizeBytes": 408_576}))
        .unwrap_err();
    assert_eq!(err.kind.name(), "ValidationException");
    assert_eq!(
        err.message,
        "A workload writes at most 256 MiB of items: KeyCount × ItemSizeBytes is 40857600000 bytes; \
         use fewer keys or smaller items"
    );
    let listed = e.handle_json("PlaygroundListWorkloads", json!({})).unwrap();
    assert_eq!(listed["Workloads"], json!([]), "nothing started");
    // Just under the cap, and a read-only workload of any size, start.
    start(&mut e, json!({"TableName": "Big", "KeyCount": 657, "ItemSizeBytes": 408_576})).unwrap();
    start(&mut e, json!({"TableName": "Big", "KeyCount": 658, "ItemSizeBytes": 408_576})).unwrap_err();
    start(&mut e, json!({"TableName": "Big", "KeyCount": 100_000, "ItemSizeBytes": 408_576, "ReadRatio": 1}))
        .unwrap();
    // A bounded one reaches at most as many keys as it sends requests: 600 here.
    start(
        &mut e,
        json!({"TableName": "Big", "KeyCount": 100_000, "ItemSizeBytes": 408_576, "RequestsPerSecond": 10,
               "DurationSeconds": 60}),
    )
    .unwrap();
    // The defaults (1,000 keys of 100 bytes) are far below it.
    start(&mut e, json!({"TableName": "Big"})).unwrap();
}
