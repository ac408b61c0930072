//! The persistence contract the browser host relies on: a workspace snapshot plus a journal of
//! the *successful mutating* requests (each with its engine time) rebuilds exactly the same
//! engine, whatever failed in between.

use dynaplay_engine::journal;
use dynaplay_engine::{is_mutating, Engine};
use serde_json::{json, Value};

/// One journal entry as a host stores it.
struct Entry {
    time: u64,
    operation: &'static str,
    request: Value,
}

/// Runs `operation` on `engine`, journaling it if it succeeded and could change state.
fn run(engine: &mut Engine, journal: &mut Vec<Entry>, operation: &'static str, request: Value) -> bool {
    let time = engine.now();
    let ok = engine.handle_json(operation, request.clone()).is_ok();
    if ok && is_mutating(operation) {
        journal.push(Entry { time, operation, request });
    }
    ok
}

fn replay(snapshot: &Value, journal: &[Entry]) -> Engine {
    let mut engine = Engine::import_workspace(snapshot).expect("snapshot imports");
    for entry in journal {
        engine.set_now(entry.time);
        engine
            .handle_json(entry.operation, entry.request.clone())
            .expect("a journaled request succeeds again");
    }
    engine
}

#[test]
fn snapshot_plus_journal_rebuilds_the_same_engine() {
    let mut engine = Engine::new();
    engine.set_now(1_750_000_000_000);
    let mut journal = Vec::new();
    assert!(run(
        &mut engine,
        &mut journal,
        "CreateTable",
        json!({"TableName": "Scores", "BillingMode": "PAY_PER_REQUEST",
               "KeySchema": [{"AttributeName": "game", "KeyType": "HASH"}, {"AttributeName": "player", "KeyType": "RANGE"}],
               "AttributeDefinitions": [{"AttributeName": "game", "AttributeType": "S"},
                                        {"AttributeName": "player", "AttributeType": "S"},
                                        {"AttributeName": "score", "AttributeType": "N"}],
               "GlobalSecondaryIndexes": [{"IndexName": "by-score",
                   "KeySchema": [{"AttributeName": "game", "KeyType": "HASH"}, {"AttributeName": "score", "KeyType": "RANGE"}],
                   "Projection": {"ProjectionType": "ALL"}}]}),
    ));
    // A snapshot taken part-way, as a host compacts its journal.
    let mut snapshot = None;
    for i in 0..300u64 {
        engine.advance(7);
        let game = format!("g{}", i % 3);
        let player = format!("p{}", i % 17);
        run(
            &mut engine,
            &mut journal,
            "UpdateItem",
            json!({"TableName": "Scores", "Key": {"game": {"S": game}, "player": {"S": player}},
                   "UpdateExpression": "ADD score :s SET seen = :t",
                   "ConditionExpression": "attribute_not_exists(banned)",
                   "ExpressionAttributeValues": {":s": {"N": (i % 11).to_string()}, ":t": {"N": i.to_string()}}}),
        );
        if i % 13 == 0 {
            run(
                &mut engine,
                &mut journal,
                "PutItem",
                json!({"TableName": "Scores", "Item": {"game": {"S": game}, "player": {"S": player}, "banned": {"BOOL": true}}}),
            );
        }
        if i % 29 == 0 {
            run(
                &mut engine,
                &mut journal,
                "DeleteItem",
                json!({"TableName": "Scores", "Key": {"game": {"S": "g0"}, "player": {"S": player}}}),
            );
        }
        // Failing requests are not journaled and must not matter.
        assert!(!run(
            &mut engine,
            &mut journal,
            "PutItem",
            json!({"TableName": "Scores", "Item": {"game": {"S": "x"}}})
        ));
        if i == 150 {
            snapshot = Some((engine.export_workspace(), journal.len()));
        }
    }
    run(
        &mut engine,
        &mut journal,
        "TransactWriteItems",
        json!({"TransactItems": [
            {"Put": {"TableName": "Scores", "Item": {"game": {"S": "g9"}, "player": {"S": "solo"}, "score": {"N": "1"}}}},
            {"Delete": {"TableName": "Scores", "Key": {"game": {"S": "g1"}, "player": {"S": "p1"}}}}]}),
    );
    let expected = engine.export_workspace();

    // From nothing: the whole journal.
    let empty = Engine::new().export_workspace();
    assert_eq!(replay(&empty, &journal).export_workspace(), expected);
    // From the mid-way snapshot: only the journal tail.
    let (snapshot, len) = snapshot.expect("taken");
    let rebuilt = replay(&snapshot, &journal[len..]);
    assert_eq!(rebuilt.export_workspace(), expected);
    assert!(expected["tables"][0]["Items"].as_array().is_some_and(|items| items.len() > 30));
}

/// A host as `dynaplay_engine::journal` describes it: `handle_logged` gives each request's
/// entry; a snapshot is stored when `background_writes` moved (before the next entry, or
/// right after the entry when it moved during its request). Snapshots and records are kept
/// as text, as the hosts store them; a reload is `journal::restore`.
struct Host {
    engine: Engine,
    snapshot: String,
    records: Vec<String>,
    background: u64,
}

impl Host {
    fn new(engine: Engine) -> Self {
        let snapshot = engine.export_snapshot().to_string();
        let background = engine.background_writes();
        Host { engine, snapshot, records: Vec::new(), background }
    }

    fn checkpoint(&mut self) {
        self.snapshot = self.engine.export_snapshot().to_string();
        self.records.clear();
        self.background = self.engine.background_writes();
    }

    fn send(&mut self, operation: &'static str, request: Value) -> Result<Value, String> {
        if is_mutating(operation) && self.engine.background_writes() != self.background {
            self.checkpoint();
        }
        let before = self.engine.background_writes();
        let (answer, entry) = self.engine.handle_logged(operation, request.to_string().as_bytes());
        if let Some(entry) = entry {
            self.records.extend(journal::encode_record([&entry]));
            if self.engine.background_writes() != before {
                self.checkpoint();
            }
        }
        answer.map(|text| serde_json::from_str(&text).unwrap()).map_err(|e| e.message)
    }

    fn reload(&self) -> Result<Engine, String> {
        let restored = journal::restore(Some(self.snapshot.as_bytes()), &self.records, Default::default());
        match restored.failure {
            Some(failure) => Err(failure.to_string()),
            None => Ok(restored.engine),
        }
    }
}

/// Issue 12's reproduction: a counter raised by a transaction with a ClientRequestToken, a
/// short workload (the host checkpoints), the same transaction retried (answered from the
/// token, nothing applied, journaled) and a reload. The retry must not apply on replay.
#[test]
fn a_retried_transaction_applies_once_across_a_checkpoint() {
    let mut engine = Engine::new();
    engine.set_now(1_750_000_000_000);
    let mut host = Host::new(engine);
    host.send(
        "CreateTable",
        json!({"TableName": "Counters", "BillingMode": "PAY_PER_REQUEST",
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}),
    )
    .unwrap();
    let raise = json!({"ClientRequestToken": "raise-once", "TransactItems": [{"Update": {
        "TableName": "Counters", "Key": {"pk": {"S": "c"}},
        "UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}}]});
    host.send("TransactWriteItems", raise.clone()).unwrap();
    let id = host
        .send(
            "PlaygroundStartWorkload",
            json!({"TableName": "Counters", "RequestsPerSecond": 10, "ReadRatio": 0}),
        )
        .unwrap()["WorkloadId"]
        .clone();
    host.engine.advance(1_000);
    host.send("PlaygroundStopWorkload", json!({"WorkloadId": id})).unwrap();
    host.send("TransactWriteItems", raise).unwrap();
    let get = json!({"TableName": "Counters", "Key": {"pk": {"S": "c"}}});
    let counter =
        |engine: &mut Engine| engine.handle_json("GetItem", get.clone()).unwrap()["Item"]["n"].clone();
    assert_eq!(counter(&mut host.engine), json!({"N": "1"}));
    let mut reloaded = host.reload().unwrap();
    assert_eq!(counter(&mut reloaded), json!({"N": "1"}), "the retried transaction applied twice on reload");
}

/// TTL deletions happen once per engine second as of the second's start. Before, the sweep
/// ran as of the first call of the second: a read at .100 (never journaled) saw an item due at
/// .500 alive, and a conditional write at .800 succeeded; replayed, the write was the second's
/// first call, the sweep ran at .800, deleted the item, and the write failed — the workspace
/// did not reopen.
#[test]
fn ttl_deletions_do_not_depend_on_which_call_of_a_second_came_first() {
    let mut engine = Engine::new();
    engine.set_now(1_750_000_000_000);
    let mut host = Host::new(engine);
    host.send(
        "CreateTable",
        json!({"TableName": "Expiring", "BillingMode": "PAY_PER_REQUEST",
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}),
    )
    .unwrap();
    host.send("PlaygroundUpdateSettings", json!({"TtlDeletionDelayMilliseconds": 0})).unwrap();
    host.send(
        "UpdateTimeToLive",
        json!({"TableName": "Expiring", "TimeToLiveSpecification": {"AttributeName": "exp", "Enabled": true}}),
    )
    .unwrap();
    host.engine.advance(5_000);
    // Due half-way through the next engine second.
    let second = host.engine.now() / 1000 + 1;
    let exp = format!("{second}.5");
    host.send("PutItem", json!({"TableName": "Expiring", "Item": {"pk": {"S": "x"}, "exp": {"N": exp}}}))
        .unwrap();
    host.engine.set_now(second * 1000 + 100);
    let key = json!({"TableName": "Expiring", "Key": {"pk": {"S": "x"}}});
    assert!(host.send("GetItem", key.clone()).unwrap().get("Item").is_some());
    host.engine.set_now(second * 1000 + 800);
    host.send(
        "UpdateItem",
        json!({"TableName": "Expiring", "Key": {"pk": {"S": "x"}}, "UpdateExpression": "SET seen = :t",
               "ConditionExpression": "attribute_exists(pk)", "ExpressionAttributeValues": {":t": {"BOOL": true}}}),
    )
    .expect("the item is still there live: this second's sweep ran at its start");
    let mut reloaded = host.reload().expect("the journal replays");
    reloaded.set_now(host.engine.now());
    assert_eq!(reloaded.export_snapshot(), host.engine.export_snapshot());
    // The next second deletes it, live and rebuilt alike.
    for engine in [&mut host.engine, &mut reloaded] {
        engine.set_now((second + 1) * 1000);
        assert!(engine.handle_json("GetItem", key.clone()).unwrap().get("Item").is_none());
    }
}

/// Replay never decides throttling again. An on-demand table whose traffic doubled its
/// allowance (a peak of ~3,000 WCU, thirty minutes later 6,000 WCU/s absorbed) takes two seconds
/// of 5,000 WCU live; the grown layout is checkpointed, but the peaks behind the allowance are
/// the session's (a rebuilt table starts at 4,000 WCU/s). Replayed with throttling decided
/// again, the second second's writes would be refused and the workspace would not reopen.
#[test]
fn writes_admitted_under_a_grown_on_demand_allowance_replay() {
    let mut engine = Engine::new();
    engine.set_now(1_750_000_000_000);
    let mut host = Host::new(engine);
    host.send(
        "CreateTable",
        json!({"TableName": "Busy", "BillingMode": "PAY_PER_REQUEST",
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}),
    )
    .unwrap();
    // A minute at 3,000 WCU/s: 30 writes of 100 KB a second, spread over the partitions.
    let id = host
        .send(
            "PlaygroundStartWorkload",
            json!({"TableName": "Busy", "RequestsPerSecond": 30, "ReadRatio": 0, "ItemSizeBytes": 100 * 1024 - 200,
                   "KeyCount": 10_000, "DurationSeconds": 61}),
        )
        .unwrap()["WorkloadId"]
        .clone();
    for _ in 0..62 {
        host.engine.advance(1_000);
    }
    host.send("PlaygroundStopWorkload", json!({"WorkloadId": id})).unwrap();
    host.engine.advance(31 * 60_000);
    let pad = "p".repeat(100 * 1024 - 100);
    for s in 0..2u64 {
        for i in 0..50 {
            let item = json!({"pk": {"S": format!("burst-{s}-{i}")}, "pad": {"S": pad}});
            host.send("PutItem", json!({"TableName": "Busy", "Item": item}))
                .unwrap_or_else(|e| panic!("second {s}, write {i}: admitted live: {e}"));
        }
        host.engine.advance(1_000);
    }
    assert!(!host.records.is_empty(), "the burst is in the journal, after the checkpoint");
    let mut reloaded = host.reload().expect("every journaled write replays");
    reloaded.set_now(host.engine.now());
    assert_eq!(reloaded.export_snapshot(), host.engine.export_snapshot());
}

/// A store as dynaplay wrote it before the stored state grew (format 2, commit 6ce8f70: a
/// snapshot without `"State"` or client tokens, two journal records, a trigger) still opens
/// and reads exactly as the engine that wrote it answered. The fixture was produced by that
/// commit's engine, simulating the browser host; it holds those answers under `"expected"`.
#[test]
fn a_format_2_store_written_before_still_opens() {
    use dynaplay_engine::journal::{self, Stored};
    let fixture: Value =
        serde_json::from_str(include_str!("fixtures/format-2-store.json")).expect("the fixture is JSON");
    let strings = |v: &Value| -> Vec<String> {
        v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect()
    };
    let stored = Stored {
        format: Some(2),
        snapshot: fixture["snapshot"].as_str().map(str::to_owned),
        records: strings(&fixture["records"]),
        side: strings(&fixture["triggers"]),
    };
    let (restored, side) = journal::open(stored, Default::default()).expect("format 2 is read");
    assert_eq!(restored.failure, None);
    assert_eq!(restored.replayed, 9);
    assert_eq!(side, strings(&fixture["triggers"]), "the trigger is handed back as stored");
    let mut engine = restored.engine;
    let expected = &fixture["expected"];
    assert_eq!(engine.now(), expected["EngineTime"].as_u64().unwrap());
    let scan = engine.handle_json("Scan", json!({"TableName": "Orders", "ConsistentRead": true})).unwrap();
    assert_eq!(scan, expected["Scan"]);
    let c1 = scan["Items"].as_array().unwrap().iter().find(|i| i["pk"]["S"] == "c1").unwrap();
    assert_eq!(c1["n"], json!({"N": "1"}), "the retried transaction applied once");
    let arn = "arn:aws:dynamodb:us-east-1:000000000000:table/Orders";
    assert_eq!(
        engine.handle_json("ListTagsOfResource", json!({"ResourceArn": arn})).unwrap(),
        expected["Tags"]
    );
    let stream_arn = engine.handle_json("DescribeTable", json!({"TableName": "Orders"})).unwrap()["Table"]
        ["LatestStreamArn"]
        .clone();
    let stream = engine.handle_json("DescribeStream", json!({"StreamArn": stream_arn})).unwrap();
    let shards = stream["StreamDescription"]["Shards"].as_array().unwrap().clone();
    assert_eq!(shards.len() as u64, expected["StreamShards"].as_u64().unwrap());
    let mut records = 0;
    for shard in &shards {
        let it = engine
            .handle_json(
                "GetShardIterator",
                json!({"StreamArn": stream_arn, "ShardId": shard["ShardId"], "ShardIteratorType": "TRIM_HORIZON"}),
            )
            .unwrap();
        records += engine.handle_json("GetRecords", json!({"ShardIterator": it["ShardIterator"]})).unwrap()
            ["Records"]
            .as_array()
            .unwrap()
            .len();
    }
    assert_eq!(records as u64, expected["StreamRecords"].as_u64().unwrap());
}
