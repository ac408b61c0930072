//! "Why?" explanations through the engine's entry point: each rule's explanation carries the
//! figures the engine really used for that very request (the ConsumedCapacity it answered),
//! throttling names the partition and bucket that refused, traces are keyed by request id and
//! kept for the session only, and the capacity calculator reproduces seed 004's figures.

use dynaplay_engine::Engine;
use serde_json::{json, Value};

const T0: u64 = 1_767_225_600_000;

fn engine() -> Engine {
    let mut e = Engine::new();
    e.set_now(T0);
    e
}

/// A table keyed `pk` (S) and `sk` (N): provisioned when `rcu` > 0, else on demand.
fn create(e: &mut Engine, name: &str, rcu: u64, wcu: u64) {
    let mut req = json!({"TableName": name,
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}]});
    if rcu == 0 {
        req["BillingMode"] = json!("PAY_PER_REQUEST");
    } else {
        req["ProvisionedThroughput"] = json!({"ReadCapacityUnits": rcu, "WriteCapacityUnits": wcu});
    }
    e.handle_json("CreateTable", req).unwrap();
}

/// An item of exactly `bytes` bytes (names and values): pk (2 + len), sk (2 + 2 for 1..99), d.
fn item(pk: &str, sk: u32, bytes: usize) -> Value {
    let fixed = 2 + pk.len() + 2 + 2 + 1;
    json!({"pk": {"S": pk}, "sk": {"N": sk.to_string()}, "d": {"S": "x".repeat(bytes - fixed)}})
}

fn explain(e: &mut Engine, id: &str) -> Value {
    e.handle_json("PlaygroundExplainRequest", json!({"RequestId": id})).unwrap()
}

/// The explanation of the request just handled.
fn explain_last(e: &mut Engine) -> Value {
    let id = e.last_request_id().expect("the last request was traced").to_owned();
    explain(e, &id)
}

fn rule<'a>(x: &'a Value, name: &str) -> &'a Value {
    x["Explanations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["Rule"] == name)
        .unwrap_or_else(|| panic!("no {name} in {x:#}"))
}

fn steps(r: &Value) -> Vec<String> {
    r["Steps"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect()
}

#[test]
fn a_get_item_is_explained_with_its_size_rounding_and_consistency() {
    let mut e = engine();
    create(&mut e, "Tab", 0, 0);
    e.handle_json("PutItem", json!({"TableName": "Tab", "Item": item("a", 1, 9421)})).unwrap();
    let got = e
        .handle_json("GetItem", json!({"TableName": "Tab", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}, "ReturnConsumedCapacity": "TOTAL"}))
        .unwrap();
    assert_eq!(got["ConsumedCapacity"]["CapacityUnits"], 1.5);
    let id = e.last_request_id().unwrap().to_owned();
    let x = explain(&mut e, &id);
    assert_eq!(x["Operation"], "GetItem");
    assert_eq!(x["ReadCapacityUnits"], got["ConsumedCapacity"]["CapacityUnits"]);
    let read = rule(&x, "ReadUnits");
    assert_eq!(read["Summary"], "1.5 RCU: an item of 9,421 B on Tab, eventually consistent.");
    let s = steps(read);
    assert!(
        s.contains(
            &"The item is 9,421 B (9.2 KB): its attribute names and values as DynamoDB counts them."
                .to_owned()
        ),
        "{s:?}"
    );
    assert!(s.contains(
        &"Reads are counted in 4 KB (4,096 B) units, rounded up: ⌈9,421 / 4,096⌉ = 3 read units.".to_owned()
    ));
    assert!(
        s.contains(&"Eventually consistent (the default): half a unit each, 3 × 0.5 = 1.5 RCU.".to_owned())
    );
    // On demand: the allowance it was judged against.
    let admit = rule(&x, "Admission");
    assert!(admit["Summary"].as_str().unwrap().starts_with("Served on demand: "), "{admit}");

    // Strongly consistent: 3 RCU, and a missing item still costs the minimum.
    e.handle_json(
        "GetItem",
        json!({"TableName": "Tab", "Key": {"pk": {"S": "zz"}, "sk": {"N": "1"}}, "ConsistentRead": true}),
    )
    .unwrap();
    let id = e.last_request_id().unwrap().to_owned();
    let read = rule(&explain(&mut e, &id), "ReadUnits").clone();
    assert_eq!(read["Summary"], "1 RCU: no item found on Tab, strongly consistent.");
}

#[test]
fn a_query_page_sums_sizes_before_the_filter_and_rounds_once() {
    let mut e = engine();
    create(&mut e, "Tab", 0, 0);
    for sk in 1..=3 {
        e.handle_json("PutItem", json!({"TableName": "Tab", "Item": item("a", sk, 1500)})).unwrap();
    }
    let got = e
        .handle_json(
            "Query",
            json!({"TableName": "Tab", "KeyConditionExpression": "pk = :a", "FilterExpression": "begins_with(d, :z)",
                   "ExpressionAttributeValues": {":a": {"S": "a"}, ":z": {"S": "z"}}, "ReturnConsumedCapacity": "TOTAL"}),
        )
        .unwrap();
    assert_eq!(got["Count"], 0);
    // 3 × 1,500 = 4,500 B → ⌈4,500 / 4,096⌉ = 2 → eventually consistent 1 RCU.
    assert_eq!(got["ConsumedCapacity"]["CapacityUnits"], 1.0);
    let x = explain_last(&mut e);
    let read = rule(&x, "ReadUnits");
    assert_eq!(read["Summary"], "1 RCU: 4,500 B read from Tab in one page, eventually consistent.");
    let s = steps(read);
    assert!(s[0].starts_with("Query read 3 items totalling 4,500 B (4.4 KB) (ScannedCount). Sizes are summed as read — before any FilterExpression"), "{s:?}");
    assert!(s.contains(
        &"The page's total is rounded up once, in 4 KB (4,096 B) read units: ⌈4,500 / 4,096⌉ = 2 read units."
            .to_owned()
    ));
}

#[test]
fn writes_charge_the_larger_item_transactions_double_and_gsis_count() {
    let mut e = engine();
    e.handle_json(
        "CreateTable",
        json!({"TableName": "Tab", "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"},
                                     {"AttributeName": "g", "AttributeType": "S"}],
            "GlobalSecondaryIndexes": [{"IndexName": "ByG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                        "Projection": {"ProjectionType": "KEYS_ONLY"}}]}),
    )
    .unwrap();
    e.handle_json("PutItem", json!({"TableName": "Tab", "Item": item("a", 1, 1200)})).unwrap();
    let mut bigger = item("a", 1, 1500);
    bigger["g"] = json!({"S": "x"});
    let got = e
        .handle_json(
            "PutItem",
            json!({"TableName": "Tab", "Item": bigger, "ReturnConsumedCapacity": "INDEXES"}),
        )
        .unwrap();
    let x = explain_last(&mut e);
    let w = rule(&x, "WriteUnits");
    let s = steps(w);
    assert!(s[0].starts_with("PutItem replaced an item of 1,200 B (1.2 KB) with one of 1,502 B"), "{s:?}");
    assert!(s.contains(
        &"Writes are counted in 1 KB (1,024 B) units, rounded up: ⌈1,502 / 1,024⌉ = 2 WCU.".to_owned()
    ));
    assert!(s
        .iter()
        .any(|l| l.starts_with("Global secondary index ByG: 1 WCU on the index's own write capacity")));
    assert_eq!(x["WriteCapacityUnits"], got["ConsumedCapacity"]["CapacityUnits"]);
    // The GSI's entry was admitted on the index's own partitions.
    assert!(
        x["Explanations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["Rule"] == "Admission"
                && r["Steps"][0].as_str().unwrap().contains("of index ByG of Tab"))
    );

    // Transactional: × 2 on the base table.
    let got = e
        .handle_json(
            "TransactWriteItems",
            json!({"TransactItems": [{"Put": {"TableName": "Tab", "Item": item("b", 1, 1000)}}], "ReturnConsumedCapacity": "TOTAL"}),
        )
        .unwrap();
    assert_eq!(got["ConsumedCapacity"][0]["CapacityUnits"], 2.0);
    let x = explain_last(&mut e);
    assert!(steps(rule(&x, "WriteUnits")).contains(
        &"A transactional write costs twice a standard one on the base table: 1 × 2 = 2 WCU.".to_owned()
    ));
    assert_eq!(x["WriteCapacityUnits"], 2.0);

    // A failed condition still consumes the existing item's write units.
    let err = e
        .handle_json(
            "PutItem",
            json!({"TableName": "Tab", "Item": item("b", 1, 1000), "ConditionExpression": "attribute_not_exists(pk)"}),
        )
        .unwrap_err();
    assert_eq!(err.kind.name(), "ConditionalCheckFailedException");
    let x = explain_last(&mut e);
    assert_eq!(x["Error"], "ConditionalCheckFailedException");
    assert!(rule(&x, "WriteUnits")["Summary"]
        .as_str()
        .unwrap()
        .contains("a failed condition still consumes write units"));
}

#[test]
fn an_empty_bucket_names_the_partition_and_when_it_refills() {
    let mut e = engine();
    // 1 WCU: one partition banking 300 WCU of burst; 1 KB writes drain it.
    create(&mut e, "Slow", 1, 1);
    let mut throttled = None;
    for sk in 0..400 {
        if let Err(err) =
            e.handle_json("PutItem", json!({"TableName": "Slow", "Item": item("a", sk % 90 + 10, 1000)}))
        {
            throttled = Some(err);
            break;
        }
    }
    let err = throttled.expect("a 1-WCU table throttles after its burst");
    assert_eq!(err.kind.name(), "ProvisionedThroughputExceededException");
    let id = e.last_request_id().unwrap().to_owned();
    let x = explain(&mut e, &id);
    assert_eq!(x["Error"], "ProvisionedThroughputExceededException");
    assert_eq!(
        x["Summary"],
        "Throttled: partition 1 of 1 of Slow (id 1)'s write bucket was empty and the table had no unused capacity to lend."
    );
    let s = steps(rule(&x, "Admission"));
    assert!(s.contains(&"Provisioned capacity is shared evenly over the partitions: this one refills at 1 WCU/s and banks up to 300 s of it (300 WCU) as burst capacity.".to_owned()), "{s:?}");
    assert!(s.iter().any(|l| l.starts_with("Its write bucket was empty: ")));
    assert!(s.iter().any(|l| l.starts_with("At 1 WCU/s the bucket is above zero again after ")));
    // The rule's verdict is the engine's: after that wait the write goes through.
    let wait: u64 = s
        .iter()
        .find_map(|l| l.strip_prefix("At 1 WCU/s the bucket is above zero again after "))
        .and_then(|l| l.split(' ').next())
        .map(|n| n.replace(',', "").parse().unwrap())
        .unwrap();
    e.advance(wait.saturating_sub(2));
    assert!(e.handle_json("PutItem", json!({"TableName": "Slow", "Item": item("a", 5, 1000)})).is_err());
    e.advance(2);
    e.handle_json("PutItem", json!({"TableName": "Slow", "Item": item("a", 5, 1000)})).unwrap();
}

#[test]
fn a_hot_key_meets_the_partition_ceiling_even_on_demand() {
    let mut e = engine();
    create(&mut e, "Hot", 0, 0);
    let mut refused = false;
    // One unit each, all at one engine instant: the partition banks 10 s of its 1,000 WCU.
    for sk in 0..10_100u32 {
        if e.handle_json(
            "PutItem",
            json!({"TableName": "Hot", "Item": {"pk": {"S": "k"}, "sk": {"N": sk.to_string()}}}),
        )
        .is_err()
        {
            refused = true;
            break;
        }
    }
    assert!(refused);
    let x = explain_last(&mut e);
    assert_eq!(x["Error"], "ThrottlingException");
    let summary = x["Summary"].as_str().unwrap();
    assert!(
        summary.starts_with("Throttled: partition ") && summary.ends_with("was at its 1,000 WCU/s ceiling."),
        "{summary}"
    );
    // The rule's wait is the engine's: after it the key is served again.
    let s = steps(rule(&x, "Admission"));
    let wait: u64 = s
        .iter()
        .find_map(|l| l.strip_prefix("At 1,000 WCU/s it is above zero again after "))
        .and_then(|l| l.split(' ').next())
        .map(|n| n.replace(',', "").parse().unwrap())
        .unwrap_or_else(|| panic!("{s:?}"));
    let again = |e: &mut Engine| {
        e.handle_json("PutItem", json!({"TableName": "Hot", "Item": {"pk": {"S": "k"}, "sk": {"N": "-1"}}}))
    };
    if wait > 1 {
        e.advance(wait - 1);
        assert!(again(&mut e).is_err());
        e.advance(1);
    } else {
        e.advance(wait);
    }
    again(&mut e).unwrap();
    // The table explains its hot key.
    let t = e.handle_json("PlaygroundExplainTable", json!({"TableName": "Hot"})).unwrap();
    let hot = rule(&t["Table"], "HotKeys");
    assert!(hot["Summary"].as_str().unwrap().starts_with("\"k\" takes 100 % of the traffic"), "{hot}");
}

#[test]
fn partition_counts_follow_the_rule_with_real_figures() {
    let mut e = engine();
    create(&mut e, "Prov", 6000, 2000);
    let t = e.handle_json("PlaygroundExplainTable", json!({"TableName": "Prov"})).unwrap();
    assert_eq!(t["Table"]["PartitionCount"], 4);
    assert_eq!(
        t["Table"]["Summary"],
        "4 partitions: the larger of ⌈RCU/3,000 + WCU/1,000⌉ = 4 and ⌈size/10 GB⌉ = 1."
    );
    assert!(steps(rule(&t["Table"], "PartitionCount")).contains(&"For throughput: ⌈6,000 / 3,000 + 2,000 / 1,000⌉ = 4 (a partition serves at most 3,000 RCU and 1,000 WCU a second).".to_owned()));
    let cap = rule(&t["Table"], "PartitionCapacity");
    assert_eq!(cap["Summary"], "1,500 RCU and 500 WCU a second per partition, with 300 s of burst each.");

    create(&mut e, "OnDem", 0, 0);
    let t = e.handle_json("PlaygroundExplainTable", json!({"TableName": "OnDem"})).unwrap();
    assert_eq!(t["Table"]["PartitionCount"], 4);
    assert_eq!(
        t["Table"]["Summary"],
        "4 partitions: the larger of max(⌈RCU/3,000⌉, ⌈WCU/1,000⌉) = 4 and ⌈size/10 GB⌉ = 1."
    );

    // A scaled-down size limit: size wins.
    create(&mut e, "Small", 5, 5);
    e.handle_json("PlaygroundUpdateSettings", json!({"PartitionSizeLimitBytes": 4096})).unwrap();
    for sk in 10..20 {
        e.handle_json("PutItem", json!({"TableName": "Small", "Item": item(&format!("p{sk}"), sk, 1000)}))
            .unwrap();
    }
    let t = e.handle_json("PlaygroundExplainTable", json!({"TableName": "Small"})).unwrap();
    let count = t["Table"]["PartitionCount"].as_u64().unwrap();
    assert!(count >= 3, "{t:#}");
    let s = steps(rule(&t["Table"], "PartitionCount"));
    assert!(
        s.iter().any(|l| l.starts_with(
            "For size: 11,000 B (10.7 KB) stored (10 items with 100 B of overhead each) ÷ 4,096 B (4.0 KB)"
        )),
        "{s:?}"
    );
}

#[test]
fn traces_are_found_by_the_hosts_id_and_only_for_capacity_requests() {
    let mut e = engine();
    create(&mut e, "Tab", 0, 0);
    assert_eq!(e.last_request_id(), None, "CreateTable consumes no capacity");
    e.name_next_request("REQ-ABC");
    e.handle_json("PutItem", json!({"TableName": "Tab", "Item": item("a", 1, 100)})).unwrap();
    assert_eq!(e.last_request_id().as_deref(), Some("REQ-ABC"));
    assert_eq!(explain(&mut e, "REQ-ABC")["Operation"], "PutItem");
    // Without an id: the most recent.
    let latest = e.handle_json("PlaygroundExplainRequest", json!({})).unwrap();
    assert_eq!(latest["RequestId"], "REQ-ABC");
    e.handle_json("DescribeTable", json!({"TableName": "Tab"})).unwrap();
    assert_eq!(e.last_request_id(), None);
    let err = e.handle_json("PlaygroundExplainRequest", json!({"RequestId": "nope"})).unwrap_err();
    assert_eq!(err.kind.name(), "ResourceNotFoundException");
    assert!(err.message.contains("no recent request has the id nope"), "{}", err.message);
}

#[test]
fn traces_are_session_state_out_of_snapshots_and_journals() {
    let mut e = engine();
    create(&mut e, "Tab", 0, 0);
    let (answer, entry) = e.handle_logged(
        "PutItem",
        json!({"TableName": "Tab", "Item": item("a", 1, 100)}).to_string().as_bytes(),
    );
    answer.unwrap();
    assert!(entry.is_some());
    assert!(e.last_request_id().is_some(), "a journaled write is traced too");
    let before = e.export_snapshot();
    let (answer, entry) = e.handle_logged("PlaygroundExplainRequest", b"{}");
    answer.unwrap();
    assert!(entry.is_none(), "explaining is not journaled");
    assert_eq!(e.export_snapshot(), before, "explaining changes nothing a snapshot holds");
    assert!(!dynaplay_engine::is_mutating("PlaygroundExplainRequest"));
    assert!(!dynaplay_engine::is_mutating("PlaygroundEstimateCapacity"));
}

#[test]
fn seed_004_calculator_through_the_entry_point() {
    let mut e = engine();
    let x = e
        .handle_json(
            "PlaygroundEstimateCapacity",
            json!({"ItemSizeBytes": 1000, "ReadsPerSecond": 100, "WritesPerSecond": 50, "ConsistentReads": true}),
        )
        .unwrap();
    assert_eq!(x["PerItem"]["Summary"], "Capacity per Item: 1 RCU, 1 WCU");
    assert_eq!(x["Provisioned"]["Summary"], "$9.36 reads + $23.40 writes");
    assert_eq!(x["PriceTable"]["Date"], "2026-12-03");
    assert_eq!(x["PriceTable"]["Edited"], false);
    // Edited prices are used, and a malformed one is refused.
    let x = e
        .handle_json(
            "PlaygroundEstimateCapacity",
            json!({"ItemSizeBytes": 1000, "ReadsPerSecond": 100, "ConsistentReads": true,
                   "Prices": {"ReadCapacityUnitHour": "0.00026"}}),
        )
        .unwrap();
    assert_eq!(x["Provisioned"]["ReadCostPerMonth"], "18.72");
    assert_eq!(x["PriceTable"]["Edited"], true);
    let err = e
        .handle_json(
            "PlaygroundEstimateCapacity",
            json!({"ItemSizeBytes": 1000, "Prices": {"StorageGBMonth": "-1"}}),
        )
        .unwrap_err();
    assert_eq!(err.kind.name(), "ValidationException");
}

#[test]
fn a_vector_search_is_explained_as_metered_in_bytes() {
    let mut e = engine();
    e.handle_json(
        "CreateTable",
        json!({"TableName": "Products", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "VectorIndexes": [{"IndexName": "Nearest", "VectorAttribute": {"AttributeName": "e"}, "Dimensions": 2,
            "DistanceFunction": "COSINE", "Projection": {"ProjectionType": "ALL"}}]}),
    )
    .unwrap();
    e.handle_json(
        "PutItem",
        json!({"TableName": "Products", "Item": {"id": {"S": "a"}, "e": {"L": [{"N": "1"}, {"N": "0"}]}}}),
    )
    .unwrap();
    let found = e
        .handle_json(
            "SearchVectors",
            json!({"TableName": "Products", "IndexName": "Nearest", "TopK": 1,
            "SearchVector": [{"N": "1"}, {"N": "0"}], "ReturnConsumedCapacity": "TOTAL"}),
        )
        .unwrap();
    assert_eq!(found["ConsumedCapacity"]["VectorSearchRequestBytes"], json!(1024.0));
    let x = explain_last(&mut e);
    assert_eq!(x["Operation"], "SearchVectors");
    let summary = x["Summary"].as_str().unwrap();
    assert!(summary.starts_with("SearchVectors consumed no read capacity units: a vector search is metered in VectorSearchRequestBytes"), "{summary}");
    assert_eq!(x["ReadCapacityUnits"], json!(0.0));
}
