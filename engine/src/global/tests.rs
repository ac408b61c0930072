//! Global tables on a simulated clock: Regions, replica creation and removal, replication lag,
//! last writer wins, an offline Region, streams in each Region, DynamoDB's texts.

use serde_json::{json, Value};

use crate::engine::Engine;

const T0: u64 = 1_767_225_600_000;
const EAST: &str = "us-east-1";
const WEST: &str = "us-west-2";
const EU: &str = "eu-west-1";

fn engine() -> Engine {
    let mut e = Engine::new();
    e.set_now(T0);
    e.handle_json(
        "CreateTable",
        json!({
            "TableName": "Music",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST"
        }),
    )
    .unwrap();
    e
}

fn add_replica(e: &mut Engine, from: &str, region: &str) -> Value {
    e.handle_json_in(
        from,
        "UpdateTable",
        json!({"TableName": "Music", "ReplicaUpdates": [{"Create": {"RegionName": region}}]}),
    )
    .unwrap()
}

/// A table with an ACTIVE replica in us-west-2.
fn global() -> Engine {
    let mut e = engine();
    add_replica(&mut e, EAST, WEST);
    e.advance(super::REPLICA_CREATE_MS);
    e
}

fn put(e: &mut Engine, region: &str, pk: &str, v: &str) {
    e.handle_json_in(
        region,
        "PutItem",
        json!({"TableName": "Music", "Item": {"pk": {"S": pk}, "v": {"S": v}}}),
    )
    .unwrap();
}

fn get(e: &mut Engine, region: &str, pk: &str) -> Option<String> {
    let got = e
        .handle_json_in(
            region,
            "GetItem",
            json!({"TableName": "Music", "Key": {"pk": {"S": pk}}, "ConsistentRead": true}),
        )
        .unwrap();
    got.pointer("/Item/v/S").and_then(Value::as_str).map(str::to_owned)
}

fn describe(e: &mut Engine, region: &str) -> Value {
    e.handle_json_in(region, "DescribeTable", json!({"TableName": "Music"})).unwrap()["Table"].clone()
}

fn error(e: &mut Engine, region: &str, op: &str, request: Value) -> (String, String) {
    let err = e.handle_json_in(region, op, request).unwrap_err();
    (err.kind.name().to_owned(), err.message)
}

#[test]
fn a_table_exists_only_in_its_region() {
    let mut e = engine();
    let (kind, message) = error(&mut e, WEST, "DescribeTable", json!({"TableName": "Music"}));
    assert_eq!(kind, "ResourceNotFoundException");
    assert_eq!(message, "Requested resource not found: Table: Music not found");
    let west = e.handle_json_in(WEST, "ListTables", json!({})).unwrap();
    assert_eq!(west["TableNames"], json!([]));
    // The same name in another Region is another table.
    e.handle_json_in(
        WEST,
        "CreateTable",
        json!({"TableName": "Music", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
               "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "N"}],
               "BillingMode": "PAY_PER_REQUEST"}),
    )
    .unwrap();
    let arn = describe(&mut e, WEST)["TableArn"].clone();
    assert_eq!(arn, "arn:aws:dynamodb:us-west-2:000000000000:table/Music");
    assert_eq!(describe(&mut e, EAST)["KeySchema"][0]["AttributeName"], "pk");
    assert_eq!(e.regions(), vec![EAST.to_owned(), WEST.to_owned()]);
    // Nothing of a global table is shown for a regional one.
    assert!(describe(&mut e, EAST).get("Replicas").is_none());
    assert!(describe(&mut e, EAST).get("GlobalTableVersion").is_none());
}

#[test]
fn a_replica_is_creating_then_active_with_the_items_copied() {
    let mut e = engine();
    put(&mut e, EAST, "a", "1");
    let answer = add_replica(&mut e, EAST, WEST);
    let d = &answer["TableDescription"];
    assert_eq!(d["TableStatus"], "UPDATING");
    assert_eq!(d["GlobalTableVersion"], "2019.11.21");
    // DynamoDB's answer does not list the new replica yet (recorded).
    assert_eq!(d["Replicas"], json!([]));
    // No stream was asked for: replication enables NEW_AND_OLD_IMAGES.
    assert_eq!(
        d["StreamSpecification"],
        json!({"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    );
    let east = describe(&mut e, EAST);
    assert_eq!(east["Replicas"][0]["RegionName"], WEST);
    assert_eq!(east["Replicas"][0]["ReplicaStatus"], "CREATING");
    assert_eq!(east["Replicas"][0]["GlobalTableSettingsReplicationMode"], "ENABLED_WITH_OVERRIDES");
    assert_eq!(
        error(&mut e, WEST, "DescribeTable", json!({"TableName": "Music"})).0,
        "ResourceNotFoundException"
    );
    // Writes while it is created reach it too.
    e.advance(4_000);
    put(&mut e, EAST, "b", "2");
    e.advance(super::REPLICA_CREATE_MS - 4_001);
    assert_eq!(describe(&mut e, EAST)["Replicas"][0]["ReplicaStatus"], "CREATING");
    e.advance(1);
    let east = describe(&mut e, EAST);
    assert_eq!(
        (east["TableStatus"].as_str(), east["Replicas"][0]["ReplicaStatus"].as_str()),
        (Some("ACTIVE"), Some("ACTIVE"))
    );
    let west = describe(&mut e, WEST);
    assert_eq!(west["TableStatus"], "ACTIVE");
    assert_eq!(
        west["Replicas"],
        json!([{"RegionName": EAST, "ReplicaStatus": "ACTIVE",
        "GlobalTableSettingsReplicationMode": "ENABLED_WITH_OVERRIDES", "WarmThroughput": west["WarmThroughput"]}])
    );
    assert_eq!(west["TableArn"], "arn:aws:dynamodb:us-west-2:000000000000:table/Music");
    assert_ne!(west["TableId"], east["TableId"]);
    assert_eq!(west["StreamSpecification"]["StreamViewType"], "NEW_AND_OLD_IMAGES");
    assert_eq!(get(&mut e, WEST, "a").as_deref(), Some("1"));
    assert_eq!(get(&mut e, WEST, "b").as_deref(), Some("2"));
}

#[test]
fn a_write_reaches_the_other_region_after_the_delay() {
    let mut e = global();
    put(&mut e, EAST, "a", "1");
    assert_eq!(get(&mut e, WEST, "a"), None);
    e.advance(super::DEFAULT_REPLICATION_DELAY_MS - 1);
    assert_eq!(get(&mut e, WEST, "a"), None, "still on its way");
    e.advance(1);
    assert_eq!(get(&mut e, WEST, "a").as_deref(), Some("1"));
    // And back, and deletions too.
    e.handle_json_in(WEST, "DeleteItem", json!({"TableName": "Music", "Key": {"pk": {"S": "a"}}})).unwrap();
    e.advance(super::DEFAULT_REPLICATION_DELAY_MS);
    assert_eq!(get(&mut e, EAST, "a"), None);
    // The delay is a setting; 0 replicates before the next request.
    e.handle_json("PlaygroundUpdateSettings", json!({"GlobalTableReplicationDelayMilliseconds": 0})).unwrap();
    put(&mut e, WEST, "z", "0");
    assert_eq!(get(&mut e, EAST, "z").as_deref(), Some("0"));
}

#[test]
fn concurrent_writes_converge_on_the_last_writer_everywhere() {
    let mut e = global();
    put(&mut e, EAST, "k", "east");
    e.advance(100);
    put(&mut e, WEST, "k", "west");
    e.advance(super::DEFAULT_REPLICATION_DELAY_MS);
    assert_eq!(get(&mut e, EAST, "k").as_deref(), Some("west"));
    assert_eq!(get(&mut e, WEST, "k").as_deref(), Some("west"));
    let view = e.handle_json("PlaygroundDescribeRegions", json!({"TableName": "Music"})).unwrap();
    let table = &view["GlobalTables"][0];
    assert_eq!(table["ConflictsResolved"], 2, "each Region resolved it: {table}");
    for c in table["Conflicts"].as_array().unwrap() {
        assert_eq!(
            c["Winner"],
            json!({"RegionName": WEST, "WrittenAt": T0 + super::REPLICA_CREATE_MS + 100})
        );
        assert_eq!(c["Loser"], json!({"RegionName": EAST, "WrittenAt": T0 + super::REPLICA_CREATE_MS}));
        assert_eq!(c["Key"], json!({"pk": {"S": "k"}}));
    }
    // A write after the other arrived is no conflict.
    put(&mut e, EAST, "k", "later");
    e.advance(super::DEFAULT_REPLICATION_DELAY_MS);
    assert_eq!(get(&mut e, WEST, "k").as_deref(), Some("later"));
    let view = e.handle_json("PlaygroundDescribeRegions", json!({})).unwrap();
    assert_eq!(view["GlobalTables"][0]["ConflictsResolved"], 2);
}

#[test]
fn writes_of_the_same_millisecond_go_to_the_one_made_last() {
    for (first, second) in [(EAST, WEST), (WEST, EAST)] {
        let mut e = global();
        put(&mut e, first, "k", first);
        put(&mut e, second, "k", second);
        e.advance(super::DEFAULT_REPLICATION_DELAY_MS);
        assert_eq!(get(&mut e, EAST, "k").as_deref(), Some(second));
        assert_eq!(get(&mut e, WEST, "k").as_deref(), Some(second));
    }
}

#[test]
fn a_delete_and_a_put_race_like_any_two_writes() {
    let mut e = global();
    put(&mut e, EAST, "k", "1");
    e.advance(super::DEFAULT_REPLICATION_DELAY_MS);
    e.handle_json_in(WEST, "DeleteItem", json!({"TableName": "Music", "Key": {"pk": {"S": "k"}}})).unwrap();
    e.advance(10);
    put(&mut e, EAST, "k", "2");
    e.advance(super::DEFAULT_REPLICATION_DELAY_MS);
    assert_eq!(get(&mut e, WEST, "k").as_deref(), Some("2"));
    assert_eq!(get(&mut e, EAST, "k").as_deref(), Some("2"));
    // The other way round: the later delete wins, its tombstone beats the older put.
    put(&mut e, EAST, "j", "1");
    e.advance(super::DEFAULT_REPLICATION_DELAY_MS);
    put(&mut e, EAST, "j", "2");
    e.advance(10);
    e.handle_json_in(WEST, "DeleteItem", json!({"TableName": "Music", "Key": {"pk": {"S": "j"}}})).unwrap();
    e.advance(super::DEFAULT_REPLICATION_DELAY_MS);
    assert_eq!(get(&mut e, WEST, "j"), None);
    assert_eq!(get(&mut e, EAST, "j"), None);
}

#[test]
fn an_offline_region_keeps_serving_and_converges_when_back() {
    let mut e = global();
    e.handle_json("PlaygroundUpdateRegion", json!({"RegionName": WEST, "Available": false})).unwrap();
    put(&mut e, EAST, "k", "east");
    e.advance(5_000);
    assert_eq!(get(&mut e, WEST, "k"), None, "nothing reaches an isolated Region");
    put(&mut e, WEST, "k", "west");
    put(&mut e, WEST, "w", "only-west");
    e.advance(5_000);
    assert_eq!(get(&mut e, EAST, "w"), None, "nothing leaves it either");
    let view = e.handle_json("PlaygroundDescribeRegions", json!({})).unwrap();
    let west = &view["GlobalTables"][0]["Replicas"][1];
    assert_eq!((west["RegionName"].as_str(), west["Available"].as_bool()), (Some(WEST), Some(false)));
    assert_eq!(west["PendingWrites"], 1);
    assert_eq!(west["LagMilliseconds"], 10_000);
    assert!(view["GlobalTables"][0]["InFlight"].as_array().unwrap().iter().all(|f| f["Held"] == true));
    e.handle_json("PlaygroundUpdateRegion", json!({"RegionName": WEST, "Available": true})).unwrap();
    // What waited flows at once, and the later write wins on both sides.
    assert_eq!(get(&mut e, EAST, "k").as_deref(), Some("west"));
    assert_eq!(get(&mut e, WEST, "k").as_deref(), Some("west"));
    assert_eq!(get(&mut e, EAST, "w").as_deref(), Some("only-west"));
    let view = e.handle_json("PlaygroundDescribeRegions", json!({})).unwrap();
    assert_eq!(view["GlobalTables"][0]["ConflictsResolved"], 2);
    assert_eq!(view["GlobalTables"][0]["WritesInFlight"], 0);
}

#[test]
fn replicated_writes_appear_in_each_regions_stream() {
    let mut e = global();
    put(&mut e, EAST, "a", "1");
    e.advance(super::DEFAULT_REPLICATION_DELAY_MS);
    for region in [EAST, WEST] {
        let arn = describe(&mut e, region)["LatestStreamArn"].as_str().unwrap().to_owned();
        assert!(arn.contains(region), "{arn}");
        let stream = e.handle_json_in(region, "DescribeStream", json!({"StreamArn": arn})).unwrap();
        let mut records = Vec::new();
        for shard in stream["StreamDescription"]["Shards"].as_array().unwrap() {
            let it = e
                .handle_json_in(
                    region,
                    "GetShardIterator",
                    json!({"StreamArn": arn, "ShardId": shard["ShardId"], "ShardIteratorType": "TRIM_HORIZON"}),
                )
                .unwrap();
            let got = e
                .handle_json_in(region, "GetRecords", json!({"ShardIterator": it["ShardIterator"]}))
                .unwrap();
            records.extend(got["Records"].as_array().unwrap().iter().cloned());
        }
        assert_eq!(records.len(), 1, "{region}: {records:?}");
        assert_eq!(records[0]["eventName"], "INSERT");
        assert_eq!(records[0]["awsRegion"], region);
        assert_eq!(records[0]["dynamodb"]["NewImage"]["v"], json!({"S": "1"}));
        assert!(records[0].get("userIdentity").is_none());
    }
}

#[test]
fn time_to_live_deletions_replicate() {
    let mut e = global();
    e.handle_json_in(
        WEST,
        "UpdateTimeToLive",
        json!({"TableName": "Music", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "exp"}}),
    )
    .unwrap();
    let expires = (T0 + super::REPLICA_CREATE_MS) / 1000 + 1;
    e.handle_json_in(
        EAST,
        "PutItem",
        json!({"TableName": "Music", "Item": {"pk": {"S": "t"}, "v": {"S": "x"}, "exp": {"N": expires.to_string()}}}),
    )
    .unwrap();
    e.advance(super::DEFAULT_REPLICATION_DELAY_MS);
    assert_eq!(get(&mut e, WEST, "t").as_deref(), Some("x"));
    // Only us-west-2 has TTL on here: its deletion reaches us-east-1.
    e.advance(crate::ttl::DEFAULT_TTL_DELETION_DELAY_MS + 2_000);
    assert_eq!(get(&mut e, WEST, "t"), None);
    e.advance(super::DEFAULT_REPLICATION_DELAY_MS);
    assert_eq!(get(&mut e, EAST, "t"), None);
}

#[test]
fn removing_a_replica_deletes_its_table_and_the_table_is_regional_again() {
    let mut e = global();
    let answer = e
        .handle_json(
            "UpdateTable",
            json!({"TableName": "Music", "ReplicaUpdates": [{"Delete": {"RegionName": WEST}}]}),
        )
        .unwrap();
    assert_eq!(answer["TableDescription"]["TableStatus"], "UPDATING");
    assert_eq!(answer["TableDescription"]["Replicas"][0]["ReplicaStatus"], "ACTIVE", "echoed as accepted");
    assert_eq!(describe(&mut e, EAST)["Replicas"][0]["ReplicaStatus"], "DELETING");
    assert_eq!(describe(&mut e, WEST)["TableStatus"], "DELETING");
    // Writes no longer replicate to it.
    put(&mut e, EAST, "a", "1");
    e.advance(super::REPLICA_DELETE_MS);
    assert_eq!(
        error(&mut e, WEST, "DescribeTable", json!({"TableName": "Music"})).0,
        "ResourceNotFoundException"
    );
    let east = describe(&mut e, EAST);
    assert!(east.get("Replicas").is_none() && east.get("GlobalTableVersion").is_none(), "{east}");
    // The stream DynamoDB enabled stays.
    assert_eq!(east["StreamSpecification"]["StreamEnabled"], true);
    assert_eq!(e.regions(), vec![EAST.to_owned(), WEST.to_owned()], "the retired stream stays readable");
}

#[test]
fn a_region_that_created_a_replica_stays_for_a_day() {
    let mut e = global();
    let source = "Replica cannot be deleted because it has acted as a source region for new replica(s) being added to the table in the last 24 hours.";
    assert_eq!(error(&mut e, EAST, "DeleteTable", json!({"TableName": "Music"})).1, source);
    let delete_east = json!({"TableName": "Music", "ReplicaUpdates": [{"Delete": {"RegionName": EAST}}]});
    assert_eq!(error(&mut e, WEST, "UpdateTable", delete_east.clone()).1, source);
    // The leaf goes first: DeleteTable in its Region removes it from the global table.
    e.handle_json_in(WEST, "DeleteTable", json!({"TableName": "Music"})).unwrap();
    assert!(describe(&mut e, EAST).get("Replicas").is_none());
    // A day later the source could go too.
    let mut e = global();
    e.advance(super::SOURCE_REGION_HOLD_MS);
    e.handle_json_in(WEST, "UpdateTable", delete_east).unwrap();
}

#[test]
fn replica_updates_are_refused_with_dynamodbs_texts() {
    let mut e = global();
    let update = |updates: Value| json!({"TableName": "Music", "ReplicaUpdates": updates});
    let cases = [
        (
            json!({"TableName": "Music", "ReplicaUpdates": [{"Create": {"RegionName": EU}}], "DeletionProtectionEnabled": true}),
            "One or more parameter values were invalid: Replica modification must be the only operation in the request",
        ),
        (update(json!([{}])), "There are no actions specified in the Replica Update Action of the request."),
        (update(json!([{"Update": {"RegionName": WEST}}])), "There are no actions specified in the Replica Update Action of the request."),
        (
            update(json!([{"Create": {"RegionName": EU}, "Delete": {"RegionName": WEST}}])),
            "Update table operation with more than one type of replica actions not allowed.",
        ),
        (
            update(json!([{"Create": {"RegionName": EU}}, {"Create": {"RegionName": "ap-south-1"}}])),
            "Update table operation with more than one create or delete replica actions not allowed",
        ),
        (
            update(json!([{"Create": {"RegionName": EAST}}])),
            "Cannot add or delete the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.",
        ),
        (
            update(json!([{"Create": {"RegionName": WEST}}])),
            "Failed to create a the new replica of table with name: \u{2018}Music\u{2019} because one or more replicas already existed as tables.",
        ),
        (
            update(json!([{"Delete": {"RegionName": "ca-central-1"}}])),
            "Update global table operation failed because one or more replicas were not part of the global table. Please retry the request without these replicas: [ca-central-1].",
        ),
        (
            update(json!([{"Update": {"RegionName": WEST, "KMSMasterKeyId": "alias/aws/dynamodb"}}])),
            "One or more parameter values were invalid: KMSMasterKeyId must be specified for each replica.",
        ),
        (
            json!({"TableName": "Music", "StreamSpecification": {"StreamEnabled": false}}),
            "One or more parameter values were invalid: Disabling Stream is not allowed for a Global Table replica.",
        ),
    ];
    for (request, message) in cases {
        assert_eq!(error(&mut e, EAST, "UpdateTable", request.clone()).1, message, "{request}");
    }
    let (kind, message) =
        error(&mut e, EAST, "UpdateTable", update(json!([{"Create": {"RegionName": "us-fake-1"}}])));
    assert_eq!(kind, "ValidationException");
    assert!(
        message.starts_with("Region us-fake-1 is not supported. The latest version of global tables are only supported in the following regions: [ap-south-2, ap-south-1, eu-south-1, eu-south-2, me-central-1,"),
        "{message}"
    );
    // Two identical Creates are one.
    e.handle_json(
        "UpdateTable",
        update(json!([{"Create": {"RegionName": EU}}, {"Create": {"RegionName": EU}}])),
    )
    .unwrap();
    // While it is created, the table is in use.
    let (kind, message) =
        error(&mut e, EAST, "UpdateTable", update(json!([{"Create": {"RegionName": "ap-south-1"}}])));
    assert_eq!(
        (kind.as_str(), message.as_str()),
        ("ResourceInUseException", "The resource which you are attempting to change is in use.")
    );
    // A table with provisioned capacity needs auto scaling, which this playground has not.
    e.handle_json(
        "CreateTable",
        json!({"TableName": "Fixed", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
               "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}),
    )
    .unwrap();
    let fixed = json!({"TableName": "Fixed", "ReplicaUpdates": [{"Create": {"RegionName": WEST}}]});
    assert_eq!(
        error(&mut e, EAST, "UpdateTable", fixed).1,
        "Table write capacity should either be Pay-Per-Request or AutoScaled."
    );
}

#[test]
fn a_replica_region_can_add_a_third_region() {
    let mut e = global();
    add_replica(&mut e, WEST, EU);
    e.advance(super::REPLICA_CREATE_MS);
    put(&mut e, EU, "x", "from-eu");
    e.advance(super::DEFAULT_REPLICATION_DELAY_MS);
    assert_eq!(get(&mut e, EAST, "x").as_deref(), Some("from-eu"));
    assert_eq!(get(&mut e, WEST, "x").as_deref(), Some("from-eu"));
    // Each Region lists the two others, in the order they were added.
    let regions = |d: Value| -> Vec<String> {
        d["Replicas"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["RegionName"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(regions(describe(&mut e, EAST)), [WEST, EU]);
    assert_eq!(regions(describe(&mut e, WEST)), [EAST, EU]);
    assert_eq!(regions(describe(&mut e, EU)), [EAST, WEST]);
    // us-west-2 sourced eu-west-1: it must stay while eu-west-1 is young.
    let delete_west = json!({"TableName": "Music", "ReplicaUpdates": [{"Delete": {"RegionName": WEST}}]});
    assert!(error(&mut e, EU, "UpdateTable", delete_west).1.starts_with("Replica cannot be deleted"));
}

#[test]
fn a_journal_with_regions_replays_to_the_same_state() {
    let mut live = engine();
    let snapshot = live.export_snapshot().to_string();
    let mut entries = Vec::new();
    let mut step = |e: &mut Engine, region: &str, op: &str, body: Value, advance: u64| {
        let (answer, entry) = e.handle_logged_in(region, op, body.to_string().as_bytes());
        answer.unwrap();
        entries.extend(entry);
        e.advance(advance);
    };
    step(
        &mut live,
        EAST,
        "UpdateTable",
        json!({"TableName": "Music", "ReplicaUpdates": [{"Create": {"RegionName": WEST}}]}),
        10_000,
    );
    step(
        &mut live,
        EAST,
        "PutItem",
        json!({"TableName": "Music", "Item": {"pk": {"S": "k"}, "v": {"S": "e"}}}),
        100,
    );
    step(
        &mut live,
        WEST,
        "PutItem",
        json!({"TableName": "Music", "Item": {"pk": {"S": "k"}, "v": {"S": "w"}}}),
        300,
    );
    step(&mut live, EAST, "PlaygroundUpdateRegion", json!({"RegionName": WEST, "Available": false}), 2_000);
    step(
        &mut live,
        WEST,
        "PutItem",
        json!({"TableName": "Music", "Item": {"pk": {"S": "j"}, "v": {"S": "w"}}}),
        50,
    );
    step(&mut live, EAST, "PlaygroundUpdateRegion", json!({"RegionName": WEST, "Available": true}), 5_000);
    assert_eq!(entries[2].region.as_deref(), Some(WEST));
    assert_eq!(entries[1].region, None);
    let record = crate::journal::encode_record(&entries).unwrap();
    let restored = crate::journal::restore(Some(snapshot.as_bytes()), &[record], Default::default());
    assert!(restored.failure.is_none(), "{:?}", restored.failure);
    let mut replayed = restored.engine;
    replayed.set_now(live.now());
    assert_eq!(replayed.export_snapshot(), live.export_snapshot());
    for region in [EAST, WEST] {
        assert_eq!(get(&mut replayed, region, "k").as_deref(), Some("w"));
        assert_eq!(get(&mut replayed, region, "j").as_deref(), Some("w"));
    }
}

#[test]
fn a_workspace_document_keeps_regions_and_replicas() {
    let mut e = global();
    put(&mut e, EAST, "a", "1");
    e.advance(super::DEFAULT_REPLICATION_DELAY_MS);
    e.handle_json("PlaygroundUpdateSettings", json!({"GlobalTableReplicationDelayMilliseconds": 250}))
        .unwrap();
    let doc = e.export_workspace();
    assert_eq!(doc["regions"][0]["RegionName"], WEST);
    assert_eq!(doc["globalTables"][0]["Replicas"][1]["SourceRegion"], EAST);
    assert_eq!(doc["settings"]["GlobalTableReplicationDelayMilliseconds"], 250);
    let mut back = Engine::import_workspace(&doc).unwrap();
    assert_eq!(back.export_workspace(), doc);
    assert_eq!(describe(&mut back, WEST)["Replicas"][0]["RegionName"], EAST);
    assert_eq!(get(&mut back, WEST, "a").as_deref(), Some("1"));
    put(&mut back, WEST, "b", "2");
    back.advance(250);
    assert_eq!(get(&mut back, EAST, "b").as_deref(), Some("2"), "it still replicates");
}

#[test]
fn a_snapshot_keeps_writes_on_their_way_versions_and_conflicts() {
    let mut e = global();
    put(&mut e, EAST, "k", "east");
    e.advance(100);
    put(&mut e, WEST, "k", "west");
    e.advance(super::DEFAULT_REPLICATION_DELAY_MS);
    e.handle_json("PlaygroundUpdateRegion", json!({"RegionName": WEST, "Available": false})).unwrap();
    put(&mut e, EAST, "k", "late");
    put(&mut e, WEST, "w", "held");
    let snapshot = e.export_snapshot();
    assert_eq!(snapshot["offlineRegions"], json!([WEST]));
    assert_eq!(snapshot["replication"]["Held"].as_array().map(Vec::len), Some(2));
    let mut back = Engine::import_workspace(&snapshot).unwrap();
    assert_eq!(back.export_snapshot(), snapshot);
    for engine in [&mut e, &mut back] {
        engine.handle_json("PlaygroundUpdateRegion", json!({"RegionName": WEST, "Available": true})).unwrap();
        // They were written just now: they still take the delay.
        engine.advance(super::DEFAULT_REPLICATION_DELAY_MS);
        assert_eq!(get(engine, WEST, "k").as_deref(), Some("late"));
        assert_eq!(get(engine, EAST, "w").as_deref(), Some("held"));
        let view = engine.handle_json("PlaygroundDescribeRegions", json!({})).unwrap();
        assert_eq!(view["GlobalTables"][0]["ConflictsResolved"], 2);
    }
    assert_eq!(back.export_snapshot(), e.export_snapshot());
}

#[test]
fn a_replica_being_created_survives_a_snapshot() {
    let mut e = engine();
    put(&mut e, EAST, "a", "1");
    add_replica(&mut e, EAST, WEST);
    e.advance(2_000);
    let mut back = Engine::import_workspace(&e.export_snapshot()).unwrap();
    back.advance(super::REPLICA_CREATE_MS);
    assert_eq!(get(&mut back, WEST, "a").as_deref(), Some("1"));
}

#[test]
fn bad_documents_are_refused_with_a_reason() {
    let good = global().export_snapshot();
    let cases: [(&str, Value); 6] = [
        ("/regions", json!("us-west-2")),
        ("/regions/0/RegionName", json!("us-east-1")),
        ("/globalTables/0/Replicas/1/RegionName", json!("eu-west-1")),
        ("/globalTables/0/Replicas", json!([{"RegionName": EAST}])),
        ("/regions/0/tables/0/ReplicaVersions", json!([[{"pk": {"N": "1"}}, 5]])),
        ("/replication/Queue", json!([{"TableName": "Music"}])),
    ];
    for (at, value) in cases {
        let mut doc = good.clone();
        *doc.pointer_mut(at).unwrap_or_else(|| panic!("{at}")) = value;
        let Err(err) = Engine::import_workspace(&doc) else { panic!("{at}: imported") };
        assert!(err.message.starts_with("Invalid workspace file: "), "{at}: {}", err.message);
    }
}

/// A strongly consistent table: us-east-1, a replica in us-west-2 and a witness in us-east-2.
fn strong() -> Engine {
    let mut e = engine();
    let answer = e
        .handle_json(
            "UpdateTable",
            json!({"TableName": "Music", "MultiRegionConsistency": "STRONG",
                   "ReplicaUpdates": [{"Create": {"RegionName": WEST}}],
                   "GlobalTableWitnessUpdates": [{"Create": {"RegionName": "us-east-2"}}]}),
        )
        .unwrap();
    let d = &answer["TableDescription"];
    assert_eq!(
        (d["MultiRegionConsistency"].as_str(), d["Replicas"].as_array().map(Vec::len)),
        (Some("STRONG"), Some(0))
    );
    e.advance(super::REPLICA_CREATE_MS);
    e
}

#[test]
fn a_strong_table_is_made_of_three_regions_in_one_call() {
    let mut e = engine();
    let strong = |updates: Value, witness: Option<&str>| {
        let mut r =
            json!({"TableName": "Music", "MultiRegionConsistency": "STRONG", "ReplicaUpdates": updates});
        if let Some(w) = witness {
            r["GlobalTableWitnessUpdates"] = json!([{"Create": {"RegionName": w}}]);
        }
        r
    };
    let cases = [
        (strong(json!([{"Create": {"RegionName": WEST}}]), None), "Unsupported replica count for global tables with MultiRegionConsistency set to STRONG."),
        (strong(json!([{"Create": {"RegionName": "us-west-1"}}]), Some("us-east-2")), "Unsupported Region(s) specified for global tables with MultiRegionConsistency set to STRONG: [us-west-1]."),
        (strong(json!([{"Create": {"RegionName": WEST}}]), Some(WEST)), "Cannot target multiple regions with the same action"),
        (strong(json!([{"Create": {"RegionName": WEST}}]), Some(EAST)), "Cannot add a witness in the same region as an existing replica when creating a global table with MultiRegionConsistency set to STRONG."),
        (strong(json!([{"Delete": {"RegionName": WEST}}]), Some("us-east-2")), "Only Replica Create actions are supported when MultiRegionConsistency parameter is provided."),
        (
            json!({"TableName": "Music", "ReplicaUpdates": [{"Create": {"RegionName": WEST}}], "GlobalTableWitnessUpdates": [{"Create": {"RegionName": "us-east-2"}}]}),
            "MultiRegionConsistency must be set as STRONG when GlobalTableWitnessUpdates parameter is present.",
        ),
        (
            json!({"TableName": "Music", "MultiRegionConsistency": "STRONG", "ReplicaUpdates": [{"Create": {"RegionName": WEST}}], "GlobalTableWitnessUpdates": [{"Create": {"RegionName": "us-east-2"}}], "DeletionProtectionEnabled": true}),
            "Requests that modify replicas or witnesses must not also modify other fields",
        ),
    ];
    for (request, message) in cases {
        assert_eq!(error(&mut e, EAST, "UpdateTable", request.clone()).1, message, "{request}");
    }
    // Two Creates make three Regions too (the one exception to one Create per call).
    let mut two = engine();
    two.handle_json(
        "UpdateTable",
        strong(json!([{"Create": {"RegionName": WEST}}, {"Create": {"RegionName": "us-east-2"}}]), None),
    )
    .unwrap();
    two.advance(super::REPLICA_CREATE_MS);
    assert_eq!(describe(&mut two, "us-east-2")["Replicas"].as_array().map(Vec::len), Some(2));
    // The table must be empty.
    put(&mut e, EAST, "a", "1");
    let (kind, _) = error(
        &mut e,
        EAST,
        "UpdateTable",
        strong(json!([{"Create": {"RegionName": WEST}}]), Some("us-east-2")),
    );
    assert_eq!(kind, "ValidationException");
}

#[test]
fn a_strong_table_replicates_before_it_answers() {
    let mut e = strong();
    let east = describe(&mut e, EAST);
    assert_eq!(east["MultiRegionConsistency"], "STRONG");
    assert_eq!(east["GlobalTableWitnesses"], json!([{"RegionName": "us-east-2", "WitnessStatus": "ACTIVE"}]));
    assert_eq!(east["Replicas"][0]["RegionName"], WEST);
    put(&mut e, EAST, "a", "1");
    assert_eq!(get(&mut e, WEST, "a").as_deref(), Some("1"), "no delay: read at once in the other Region");
    // Another Region writing the same item meanwhile is refused, not settled by last writer wins.
    let write = json!({"TableName": "Music", "Item": {"pk": {"S": "a"}, "v": {"S": "2"}}});
    let (kind, message) = error(&mut e, WEST, "PutItem", write.clone());
    assert_eq!(kind, "ReplicatedWriteConflictException");
    assert_eq!(message, "The request was rejected because one or more items in the request are being modified by a request in another Region.");
    put(&mut e, EAST, "a", "3");
    e.advance(super::DEFAULT_REPLICATION_DELAY_MS);
    e.handle_json_in(WEST, "PutItem", write).unwrap();
    assert_eq!(get(&mut e, EAST, "a").as_deref(), Some("2"));
    // Transactions are not supported.
    let transaction = json!({"TransactItems": [{"Put": {"TableName": "Music", "Item": {"pk": {"S": "t"}}}}]});
    assert_eq!(error(&mut e, EAST, "TransactWriteItems", transaction).0, "ValidationException");
}

#[test]
fn an_isolated_region_of_a_strong_table_cannot_write() {
    let mut e = strong();
    e.handle_json("PlaygroundUpdateRegion", json!({"RegionName": EAST, "Available": false})).unwrap();
    let (kind, _) = error(
        &mut e,
        EAST,
        "PutItem",
        json!({"TableName": "Music", "Item": {"pk": {"S": "k"}, "v": {"S": "e"}}}),
    );
    assert_eq!(kind, "InternalServerError");
    // us-west-2 and the witness are a quorum: it writes on.
    put(&mut e, WEST, "k", "w");
    e.handle_json("PlaygroundUpdateRegion", json!({"RegionName": EAST, "Available": true})).unwrap();
    e.advance(super::DEFAULT_REPLICATION_DELAY_MS);
    assert_eq!(get(&mut e, EAST, "k").as_deref(), Some("w"));
    // Without the witness, us-west-2 alone is no quorum either.
    e.handle_json("PlaygroundUpdateRegion", json!({"RegionName": "us-east-2", "Available": false})).unwrap();
    e.handle_json("PlaygroundUpdateRegion", json!({"RegionName": EAST, "Available": false})).unwrap();
    let (kind, _) = error(&mut e, WEST, "PutItem", json!({"TableName": "Music", "Item": {"pk": {"S": "x"}}}));
    assert_eq!(kind, "InternalServerError");
}

#[test]
fn a_strong_table_is_frozen_until_it_is_taken_apart_whole() {
    let mut e = strong();
    let update = |body: Value| {
        let mut r = json!({"TableName": "Music"});
        for (k, v) in body.as_object().unwrap() {
            r[k] = v.clone();
        }
        r
    };
    let cases = [
        (update(json!({"ReplicaUpdates": [{"Create": {"RegionName": EU}}]})), "Cannot add replicas to a global table with strong MultiRegionConsistency"),
        (update(json!({"ReplicaUpdates": [{"Delete": {"RegionName": WEST}}]})), "Update table delete operation does not include all witnesses."),
        (update(json!({"MultiRegionConsistency": "EVENTUAL", "ReplicaUpdates": [{"Create": {"RegionName": EU}}]})), "MultiRegionConsistency parameter is unsupported on existing global table"),
        (
            update(json!({"ReplicaUpdates": [{"Delete": {"RegionName": WEST}}], "GlobalTableWitnessUpdates": [{"Delete": {"RegionName": EU}}]})),
            "Update global table operation failed because one or more witnesses were not part of the global table. Please retry the request without these witnesses: [eu-west-1].",
        ),
    ];
    for (request, message) in cases {
        assert_eq!(error(&mut e, EAST, "UpdateTable", request.clone()).1, message, "{request}");
    }
    assert_eq!(
        error(&mut e, WEST, "DeleteTable", json!({"TableName": "Music"})).1,
        "Deletion of only one table replica is not supported for global tables with MultiRegionConsistency set to STRONG."
    );
    e.handle_json(
        "UpdateTable",
        update(json!({"ReplicaUpdates": [{"Delete": {"RegionName": WEST}}], "GlobalTableWitnessUpdates": [{"Delete": {"RegionName": "us-east-2"}}]})),
    )
    .unwrap();
    e.advance(super::REPLICA_DELETE_MS);
    let east = describe(&mut e, EAST);
    assert!(east.get("MultiRegionConsistency").is_none() && east.get("Replicas").is_none(), "{east}");
    assert_eq!(
        error(&mut e, WEST, "DescribeTable", json!({"TableName": "Music"})).0,
        "ResourceNotFoundException"
    );
    // A regional table again: an eventual replica can be added.
    add_replica(&mut e, EAST, EU);
}
