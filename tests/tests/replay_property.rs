//! Replay cannot diverge (issue 12): long random sequences of every mutating operation, with
//! TTL expiry, workloads, retried client tokens, throttling on low-capacity tables, partition
//! splits, checkpoints and compactions interleaved, go through the stored format exactly as a
//! host keeps it — journal records encoded and decoded (`journal::encode_record`), snapshots
//! as JSON text — and at random points the workspace is rebuilt from what is stored
//! (`journal::restore`). The rebuilt engine must equal the live one: the same full snapshot
//! export, and the same answers to reads of every table, index, stream and setting. Half of
//! the time the rebuilt engine then carries on as the live one (a reload), so what follows a
//! reload is checked too.
//!
//! The simulated host follows the hosts' rules (`dynaplay_engine::journal`, "What a host
//! does"): a request's entry comes from `Engine::handle_logged`; when
//! `Engine::background_writes` moved the host queues a snapshot (a checkpoint) before the next
//! journaled entry, or right after the entry if it moved during that request; a flush turns
//! the batch into one transaction with `journal::plan_transaction` (a record, or the last
//! checkpoint plus a record of what followed it; or, when a compaction is due, a snapshot of
//! the engine in place of journal and batch); a reload is `journal::open` of what is stored.

use dynaplay_engine::journal::{self, Entry, Stored};
use dynaplay_engine::{is_mutating, ApiError, Engine};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestCaseError;
use serde_json::{json, Value};

const TABLES: [&str; 3] = ["Alpha", "Beta", "Gamma"];
const KEYS: u16 = 6;
const START_MS: u64 = 1_767_225_600_000;

/// What a host has stored.
#[derive(Default)]
struct Store {
    snapshot: Option<String>,
    records: Vec<String>,
}

/// How often each situation the test is about came up (see `the_sequences_reach_every_situation`).
#[derive(Clone, Copy, Debug, Default)]
struct Coverage {
    /// Entries journaled in a reduced form (part of a batch was throttled).
    partly_applied: u64,
    /// Requests refused for capacity.
    throttled: u64,
    /// TransactWriteItems retried with a token and payload that succeeded before.
    token_retries: u64,
    /// Snapshots queued because the engine changed on its own before a request.
    checkpoints_before: u64,
    /// Snapshots queued because the engine changed on its own during a journaled request.
    checkpoints_after: u64,
    /// Requests during which the engine changed on its own (traffic-driven partition splits).
    splits_during_requests: u64,
    /// Compactions.
    compactions: u64,
    /// Reloads compared, and those after which the rebuilt engine carried on.
    reloads: u64,
    carried_on: u64,
    /// Entries replayed by those reloads.
    replayed: u64,
}

struct SimHost {
    engine: Engine,
    coverage: Coverage,
    /// Successful token transactions: (token, payload, engine time).
    tokens: Vec<(String, String, u64)>,
    store: Store,
    batch: Vec<Entry>,
    /// `background_writes` as of the last queued snapshot.
    background: u64,
    /// Workload ids handed out, to stop them.
    workloads: Vec<Value>,
}

impl SimHost {
    fn new() -> Self {
        let mut engine = Engine::new();
        engine.set_now(START_MS);
        SimHost {
            engine,
            coverage: Coverage::default(),
            tokens: Vec::new(),
            store: Store::default(),
            batch: Vec::new(),
            background: 0,
            workloads: Vec::new(),
        }
    }

    /// Runs a request as the browser host does.
    fn send(&mut self, operation: &str, request: &Value) -> Result<Value, ApiError> {
        if is_mutating(operation) && self.engine.background_writes() != self.background {
            self.checkpoint();
            self.coverage.checkpoints_before += 1;
        }
        let before = self.engine.background_writes();
        let body = request.to_string();
        let (answer, entry) = self.engine.handle_logged(operation, body.as_bytes());
        self.coverage.splits_during_requests += u64::from(self.engine.background_writes() != before);
        if let Some(entry) = entry {
            self.coverage.partly_applied += u64::from(entry.request != body);
            self.batch.push(Entry::Mutation(entry));
            if self.engine.background_writes() != before {
                self.checkpoint();
                self.coverage.checkpoints_after += 1;
            }
        }
        if let Err(e) = &answer {
            let kind = e.kind.name();
            self.coverage.throttled +=
                u64::from(kind.contains("Throughput") || kind == "ThrottlingException");
            self.coverage.throttled += u64::from(e.message.contains("Throughput"));
        }
        if let (Ok(_), Some(token)) = (&answer, request.get("ClientRequestToken").and_then(Value::as_str)) {
            let now = self.engine.now();
            let mut payload = request.clone();
            payload.as_object_mut().map(|m| m.remove("ClientRequestToken"));
            let payload = payload.to_string();
            let retry =
                self.tokens.iter().any(|(t, p, at)| t == token && *p == payload && now - at < 600_000);
            self.coverage.token_retries += u64::from(retry && operation == "TransactWriteItems");
            if !retry {
                self.tokens.push((token.to_owned(), payload, now));
            }
        }
        answer.map(|text| serde_json::from_str(&text).expect("answers are JSON"))
    }

    fn checkpoint(&mut self) {
        self.batch.push(Entry::Checkpoint { snapshot: self.engine.export_snapshot().to_string() });
        self.background = self.engine.background_writes();
    }

    /// One write transaction for the batch; `compact`: the journal is due to be folded (the
    /// engine holds exactly what is stored plus the batch).
    fn write(&mut self, compact: bool) {
        let engine = &self.engine;
        let plan =
            journal::plan_transaction(&self.batch, || compact.then(|| engine.export_snapshot().to_string()));
        if plan.clear_journal {
            self.store.records.clear();
        }
        if let Some(snapshot) = plan.snapshot {
            self.store.snapshot = Some(snapshot);
        }
        if let Some(record) = plan.record {
            self.store.records.push(record);
        }
        self.batch.clear();
    }

    fn flush(&mut self) {
        self.write(false);
    }

    fn compact(&mut self) {
        self.coverage.compactions += 1;
        self.write(true);
    }

    /// The engine rebuilt from what is stored, as a host reloads it.
    fn reload(&self) -> Result<journal::Restored, TestCaseError> {
        let stored = Stored {
            format: Some(journal::STORED_FORMAT),
            snapshot: self.store.snapshot.clone(),
            records: self.store.records.clone(),
            side: Vec::new(),
        };
        let (restored, _) =
            journal::open(stored, Default::default()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        match &restored.failure {
            Some(failure) => {
                Err(TestCaseError::fail(format!("the stored workspace did not replay: {failure}")))
            }
            None => Ok(restored),
        }
    }

    fn stop_workloads(&mut self) {
        for id in std::mem::take(&mut self.workloads) {
            let _ = self.engine.handle_json("PlaygroundStopWorkload", json!({"WorkloadId": id}));
        }
    }
}

/// The first place two JSON values differ, with both sides (shortened).
fn difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                let (l, r) = (x.get(key).unwrap_or(&Value::Null), y.get(key).unwrap_or(&Value::Null));
                if let Some(d) = difference(l, r, &format!("{path}/{key}")) {
                    return Some(d);
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (l, r))| difference(l, r, &format!("{path}/{i}")))
        }
        _ if a == b => None,
        _ => {
            let short = |v: &Value| v.to_string().chars().take(400).collect::<String>();
            Some(format!("{path}: live {} / rebuilt {}", short(a), short(b)))
        }
    }
}

fn same(live: &Value, rebuilt: &Value, what: &str) -> Result<(), TestCaseError> {
    match difference(live, rebuilt, "") {
        None => Ok(()),
        Some(d) => Err(TestCaseError::fail(format!("{what} differs at {d}"))),
    }
}

/// Every read the comparison makes, built from what the live engine holds.
fn reads(engine: &mut Engine) -> Vec<(&'static str, Value)> {
    let mut out = vec![("ListTables", json!({})), ("PlaygroundDescribeSettings", json!({}))];
    let names =
        engine.handle_json("ListTables", json!({})).map(|r| r["TableNames"].clone()).unwrap_or_default();
    for name in names.as_array().into_iter().flatten() {
        let table = json!({"TableName": name});
        let description = engine.handle_json("DescribeTable", table.clone()).unwrap_or_default();
        out.push(("DescribeTable", table.clone()));
        out.push(("Scan", json!({"TableName": name, "ConsistentRead": true})));
        for index in description["Table"]["GlobalSecondaryIndexes"].as_array().into_iter().flatten() {
            if index["IndexStatus"] == "ACTIVE" {
                out.push(("Scan", json!({"TableName": name, "IndexName": index["IndexName"]})));
            }
        }
        // (Contributor Insights is session state: a reload starts it afresh.)
        for op in ["DescribeTimeToLive", "DescribeContinuousBackups"] {
            out.push((op, table.clone()));
        }
        out.push(("ListTagsOfResource", json!({"ResourceArn": description["Table"]["TableArn"]})));
    }
    out.push(("ListStreams", json!({})));
    let streams =
        engine.handle_json("ListStreams", json!({})).map(|r| r["Streams"].clone()).unwrap_or_default();
    for stream in streams.as_array().into_iter().flatten() {
        let arn = &stream["StreamArn"];
        out.push(("DescribeStream", json!({"StreamArn": arn})));
        let d = engine.handle_json("DescribeStream", json!({"StreamArn": arn})).unwrap_or_default();
        for shard in d["StreamDescription"]["Shards"].as_array().into_iter().flatten() {
            out.push((
                "GetShardIterator",
                json!({"StreamArn": arn, "ShardId": shard["ShardId"], "ShardIteratorType": "TRIM_HORIZON"}),
            ));
        }
    }
    out
}

/// The answer to a read; a shard iterator is followed to the records it reads.
fn answer(engine: &mut Engine, operation: &str, request: &Value) -> Value {
    let result = engine.handle_json(operation, request.clone());
    match (operation, result) {
        ("GetShardIterator", Ok(it)) => {
            let page = engine.handle_json("GetRecords", json!({"ShardIterator": it["ShardIterator"]}));
            json!({"Iterator": it, "Records": page.map_err(|e| e.to_json())})
        }
        (_, Ok(v)) => v,
        (_, Err(e)) => json!({"Error": e.to_json()}),
    }
}

/// The partition layout as the playground shows it, without the traffic figures.
fn layouts(engine: &mut Engine) -> Value {
    let names =
        engine.handle_json("ListTables", json!({})).map(|r| r["TableNames"].clone()).unwrap_or_default();
    let layout = |d: &Value| -> Value {
        d["Partitions"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                json!([
                    p["PartitionId"],
                    p["KeyRangeStart"],
                    p["KeyRangeEnd"],
                    p["ItemCount"],
                    p["SizeBytes"]
                ])
            })
            .collect()
    };
    names
        .as_array()
        .into_iter()
        .flatten()
        .map(|name| {
            let d = engine
                .handle_json("PlaygroundDescribePartitions", json!({"TableName": name}))
                .unwrap_or_default();
            let globals: Vec<Value> =
                d["GlobalSecondaryIndexes"].as_array().into_iter().flatten().map(&layout).collect();
            json!({"Table": layout(&d["Table"]), "Splits": d["Table"]["Splits"], "Indexes": globals})
        })
        .collect()
}

/// Rebuilds the workspace from what is stored and compares it with the live engine; with
/// `carry_on` the rebuilt engine becomes the live one (a reload).
fn check_reload(host: &mut SimHost, carry_on: bool) -> Result<(), TestCaseError> {
    // What the host's periodic checkpoint does: running workloads stop (they are the
    // session's), their writes and any TTL deletion are saved.
    host.stop_workloads();
    // The reads below run partition maintenance, and a live engine may still owe an adaptive
    // split to the traffic it saw (the rebuilt one saw none): read once first, until nothing
    // more moves, and let the host checkpoint that like any change the engine makes itself.
    // (A read's vote can flag a hot partition that the next maintenance isolates.)
    for pass in 0..5 {
        let before = host.engine.background_writes();
        for (operation, request) in reads(&mut host.engine) {
            answer(&mut host.engine, operation, &request);
        }
        layouts(&mut host.engine);
        if pass > 0 && host.engine.background_writes() == before {
            break;
        }
    }
    if host.engine.background_writes() != host.background {
        host.checkpoint();
    }
    host.flush();
    let restored = host.reload()?;
    host.coverage.reloads += 1;
    host.coverage.replayed += restored.replayed as u64;
    host.coverage.carried_on += u64::from(carry_on);
    let mut rebuilt = restored.engine;
    rebuilt.set_now(host.engine.now());
    same(&host.engine.export_snapshot(), &rebuilt.export_snapshot(), "the snapshot export")?;
    same(&layouts(&mut host.engine), &layouts(&mut rebuilt), "the partition layout")?;
    // Reads consume capacity, and the rebuilt buckets start full: compare them unthrottled.
    let throttling = host.engine.handle_json("PlaygroundDescribeSettings", json!({})).unwrap()["Settings"]
        ["ThrottlingEnabled"]
        .clone();
    let off = json!({"ThrottlingEnabled": false});
    host.send("PlaygroundUpdateSettings", &off).unwrap();
    rebuilt.handle_json("PlaygroundUpdateSettings", off).unwrap();
    for (operation, request) in reads(&mut host.engine) {
        let live = answer(&mut host.engine, operation, &request);
        let other = answer(&mut rebuilt, operation, &request);
        same(&live, &other, &format!("{operation} {request}"))?;
    }
    let back = json!({"ThrottlingEnabled": throttling});
    host.send("PlaygroundUpdateSettings", &back).unwrap();
    if carry_on {
        // A reload: the live engine is dropped and rebuilt from what is stored now (the reads
        // above may have moved it on: a traffic-driven split is checkpointed like any).
        host.flush();
        let restored = host.reload()?;
        let now = host.engine.now();
        host.engine = restored.engine;
        host.engine.set_now(now);
        host.background = host.engine.background_writes();
    }
    Ok(())
}

fn key(table: &str, k: u16) -> Value {
    let mut key = json!({"pk": {"S": format!("k{}", k % KEYS)}});
    if table == "Beta" {
        key["sk"] = json!({"N": (k % 3).to_string()});
    }
    key
}

fn item(table: &str, k: u16, size: usize, now_s: i64, expires: Option<i64>) -> Value {
    let mut item = key(table, k);
    item["g"] = json!({"S": if k.is_multiple_of(2) { "even" } else { "odd" }});
    item["n"] = json!({"N": (k % 7).to_string()});
    if size > 0 {
        item["pad"] = json!({"S": "p".repeat(size)});
    }
    if let Some(offset) = expires {
        let at = now_s + offset;
        item["exp"] = json!({"N": at.to_string()});
    }
    item
}

/// A pad size: mostly small, sometimes tens of KB (a low-capacity table throttles those).
fn pad(x: u16) -> u16 {
    match x % 4 {
        0 => 0,
        1 => x % 200,
        2 => x % 4_000,
        _ => 10_000 + x % 30_000,
    }
}

fn create_table(name: &str, billing: u16, stream: u16) -> Value {
    let mut r = json!({
        "TableName": name,
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    });
    let provisioned = |units: u64| json!({"ReadCapacityUnits": units, "WriteCapacityUnits": units});
    match billing % 4 {
        0 => r["BillingMode"] = json!("PAY_PER_REQUEST"),
        1 => r["ProvisionedThroughput"] = provisioned(1),
        2 => r["ProvisionedThroughput"] = provisioned(5),
        _ => r["ProvisionedThroughput"] = provisioned(2_500),
    }
    if name == "Beta" {
        r["KeySchema"] =
            json!([{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]);
        r["AttributeDefinitions"] = json!([{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "N"},
                                           {"AttributeName": "g", "AttributeType": "S"}]);
        r["LocalSecondaryIndexes"] = json!([{"IndexName": "byG", "Projection": {"ProjectionType": "KEYS_ONLY"},
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "g", "KeyType": "RANGE"}]}]);
    }
    if name == "Gamma" {
        r["AttributeDefinitions"] = json!([{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}]);
        let mut gsi = json!({"IndexName": "byG", "Projection": {"ProjectionType": "ALL"},
                             "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}]});
        if !billing.is_multiple_of(4) {
            gsi["ProvisionedThroughput"] = provisioned(1);
        }
        r["GlobalSecondaryIndexes"] = json!([gsi]);
        r["TableClass"] = json!("STANDARD_INFREQUENT_ACCESS");
    }
    if !stream.is_multiple_of(3) {
        let view = if stream % 3 == 1 { "KEYS_ONLY" } else { "NEW_AND_OLD_IMAGES" };
        r["StreamSpecification"] = json!({"StreamEnabled": true, "StreamViewType": view});
    }
    r
}

fn update_table(name: &str, b: u16, c: u16) -> Value {
    let units = |n: u16| json!({"ReadCapacityUnits": 1 + u64::from(n % 3) * 2_000, "WriteCapacityUnits": 1 + u64::from(n % 4) * 1_200});
    match c % 7 {
        0 => json!({"TableName": name, "ProvisionedThroughput": units(b), "BillingMode": "PROVISIONED"}),
        1 => json!({"TableName": name, "BillingMode": "PAY_PER_REQUEST"}),
        2 => {
            json!({"TableName": name, "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}})
        }
        3 => json!({"TableName": name, "StreamSpecification": {"StreamEnabled": false}}),
        4 => {
            let mut create = json!({"IndexName": "byN", "Projection": {"ProjectionType": "KEYS_ONLY"},
                                    "KeySchema": [{"AttributeName": "n", "KeyType": "HASH"}]});
            if b.is_multiple_of(2) {
                create["ProvisionedThroughput"] = json!({"ReadCapacityUnits": 1, "WriteCapacityUnits": 1});
            }
            json!({"TableName": name, "AttributeDefinitions": [{"AttributeName": "n", "AttributeType": "N"}],
                   "GlobalSecondaryIndexUpdates": [{"Create": create}]})
        }
        5 => {
            json!({"TableName": name, "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": if b.is_multiple_of(2) {"byN"} else {"byG"}}}]})
        }
        _ => json!({"TableName": name, "GlobalSecondaryIndexUpdates": [{"Update": {"IndexName": "byG",
                   "ProvisionedThroughput": {"ReadCapacityUnits": 1 + u64::from(b % 5), "WriteCapacityUnits": 1 + u64::from(c % 5)}}}]}),
    }
}

/// One step of the sequence, from its kind and three numbers.
fn step(host: &mut SimHost, kind: u8, a: u16, b: u16, c: u16) -> Result<(), TestCaseError> {
    let mut name = TABLES[usize::from(a) % TABLES.len()];
    if matches!(kind, 6 | 9) && a.is_multiple_of(2) {
        // Batches mostly on Beta, whose drained bucket throttles part of them.
        name = "Beta";
    }
    let arn = format!("arn:aws:dynamodb:us-east-1:000000000000:table/{name}");
    let now_s = (host.engine.now() / 1000) as i64;
    let mut send = |op: &str, request: Value| {
        let _ = host.send(op, &request);
    };
    match kind {
        0 => send("CreateTable", create_table(name, b, c)),
        1 if c.is_multiple_of(4) => send("DeleteTable", json!({"TableName": name})),
        1 | 2 => send("UpdateTable", update_table(name, b, c)),
        3 => {
            let expires = c.is_multiple_of(3).then_some(i64::from(c % 20) - 10);
            let mut r =
                json!({"TableName": name, "Item": item(name, b, usize::from(pad(c)), now_s, expires)});
            if c % 5 == 1 {
                r["ConditionExpression"] = json!("attribute_not_exists(pk)");
            }
            send("PutItem", r)
        }
        4 => {
            let mut r = json!({"TableName": name, "Key": key(name, b),
                "UpdateExpression": "ADD n :one SET g = :g", "ExpressionAttributeValues": {":one": {"N": "1"}, ":g": {"S": "odd"}}});
            if c.is_multiple_of(3) {
                r["ConditionExpression"] = json!("attribute_exists(pk)");
            }
            if c % 4 == 1 {
                r["UpdateExpression"] = json!("REMOVE pad, exp");
                r.as_object_mut().unwrap().remove("ExpressionAttributeValues");
            }
            send("UpdateItem", r)
        }
        5 => send("DeleteItem", json!({"TableName": name, "Key": key(name, b)})),
        6 => {
            let writes: Vec<Value> = (0..1 + c % 8)
                .map(|i| {
                    let k = b.wrapping_add(i);
                    if (c >> 4) % 5 == usize::from(i) as u16 % 5 && i % 3 == 2 {
                        json!({"DeleteRequest": {"Key": key(name, k)}})
                    } else {
                        json!({"PutRequest": {"Item": item(name, k, usize::from(pad(c.wrapping_mul(i + 7))), now_s, None)}})
                    }
                })
                .collect();
            // Keys repeat past KEYS writes: dedupe by key so the batch is valid.
            let mut seen = Vec::new();
            let writes: Vec<Value> = writes
                .into_iter()
                .filter(|w| {
                    let k = w.pointer("/PutRequest/Item/pk").or(w.pointer("/DeleteRequest/Key/pk")).cloned();
                    let s = w.pointer("/PutRequest/Item/sk").or(w.pointer("/DeleteRequest/Key/sk")).cloned();
                    let id = json!([k, s]);
                    !seen.contains(&id) && {
                        seen.push(id);
                        true
                    }
                })
                .collect();
            send("BatchWriteItem", json!({"RequestItems": {name: writes}}))
        }
        7 => {
            // A few tokens, each mostly with its own payload: retries answered from the token,
            // and now and then the same token with another payload (a mismatch).
            let token = c % 4;
            let (k, by) = if c.is_multiple_of(9) { (b, b % 5 + 2) } else { (token, 1) };
            let mut r = json!({"TransactItems": [
                {"Update": {"TableName": name, "Key": key(name, k), "UpdateExpression": "ADD n :by",
                            "ExpressionAttributeValues": {":by": {"N": by.to_string()}}}},
                {"Put": {"TableName": name, "Item": item(name, k.wrapping_add(1), usize::from(pad(token)), now_s, None)}}]});
            if !c.is_multiple_of(5) {
                r["ClientRequestToken"] = json!(format!("token-{name}-{token}"));
            }
            send("TransactWriteItems", r)
        }
        8 => {
            let k = format!("k{}", b % KEYS);
            let statement = match c % 4 {
                0 => format!("INSERT INTO \"{name}\" VALUE {{'pk': '{k}', 'sk': 1, 'n': 5}}"),
                1 => format!("UPDATE \"{name}\" SET n = 9 WHERE pk = '{k}'"),
                2 => format!("DELETE FROM \"{name}\" WHERE pk = '{k}'"),
                _ => format!("SELECT * FROM \"{name}\" WHERE pk = '{k}'"),
            };
            send("ExecuteStatement", json!({"Statement": statement}))
        }
        9 => {
            let statements: Vec<Value> = (0..1 + c % 5)
                .map(|i| {
                    json!({"Statement": format!("INSERT INTO \"{name}\" VALUE {{'pk': ?, 'pad': ?}}"),
                           "Parameters": [{"S": format!("b{}", b.wrapping_add(i) % 9)}, {"S": "q".repeat(usize::from(pad(c.wrapping_add(i))))}]})
                })
                .collect();
            send("BatchExecuteStatement", json!({"Statements": statements}))
        }
        10 => {
            let k = format!("k{}", b % KEYS);
            let mut r = json!({"TransactStatements": [{"Statement": format!("UPDATE \"{name}\" SET n = n + 1 WHERE pk = '{k}'")}]});
            if c.is_multiple_of(2) {
                r["ClientRequestToken"] = json!(format!("statement-{}", c % 3));
            }
            send("ExecuteTransaction", r)
        }
        11 if c.is_multiple_of(2) => send(
            "TagResource",
            json!({"ResourceArn": arn, "Tags": [{"Key": format!("t{}", b % 3), "Value": c.to_string()}]}),
        ),
        11 => send("UntagResource", json!({"ResourceArn": arn, "TagKeys": [format!("t{}", b % 3)]})),
        12 => send(
            "UpdateTimeToLive",
            json!({"TableName": name, "TimeToLiveSpecification": {"AttributeName": "exp", "Enabled": !c.is_multiple_of(3)}}),
        ),
        13 => send(
            "UpdateContinuousBackups",
            json!({"TableName": name, "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": c.is_multiple_of(2)}}),
        ),
        14 => {
            let settings = match c % 5 {
                0 => json!({"PartitionSizeLimitBytes": 1024 * (1 + u64::from(b % 8))}),
                1 => json!({"ThrottlingEnabled": !b.is_multiple_of(3)}),
                2 => json!({"TtlDeletionDelayMilliseconds": u64::from(b % 4) * 1_000}),
                // Streams keep 1–2 MiB: the oldest records go as writes arrive.
                3 => json!({"StreamRetentionBytes": (1 + u64::from(b % 2)) * 1024 * 1024}),
                _ => json!({"PartitionSizeLimitBytes": 10_737_418_240u64}),
            };
            send("PlaygroundUpdateSettings", settings)
        }
        15 => {
            // Session state (not journaled): it must not disturb what is.
            let mut r = json!({"TableName": name, "ContributorInsightsAction": if c.is_multiple_of(3) {"DISABLE"} else {"ENABLE"}});
            if b.is_multiple_of(3) {
                r["IndexName"] = json!("byG");
            }
            send("UpdateContributorInsights", r)
        }
        16 => {
            let now = host.engine.now();
            host.engine.set_now(now + u64::from(b % 2_500));
        }
        17 => {
            // Minutes to a day and more: tokens expire, TTL deletes, streams trim, on-demand
            // peaks settle. A minute may run the workloads; longer steps stop them first.
            let step = [61_000, 600_000, 3_600_000, 25 * 3_600_000][usize::from(b % 4)];
            if step > 61_000 {
                host.stop_workloads();
            }
            let now = host.engine.now();
            host.engine.set_now(now + step);
        }
        18 => {
            // Short hot-key bursts (a partition at its ceiling: isolation), and now and then a
            // minute of heavy writes (an on-demand peak that later lets the table grow).
            let heavy = c.is_multiple_of(6);
            let r = json!({"TableName": name, "RequestsPerSecond": 50 + u64::from(b % 400),
                           "ReadRatio": if heavy { 0.0 } else { f64::from(c % 3) / 2.0 },
                           "DurationSeconds": if heavy { 61 } else { 1 + u64::from(c % 5) },
                           "Distribution": if b.is_multiple_of(2) && !heavy { "HOT_KEY" } else { "UNIFORM" },
                           "KeyCount": 20, "ItemSizeBytes": if heavy { 7_000 } else { 100 + u64::from(c % 4) * 1_000 },
                           "Seed": u64::from(a)});
            if let Ok(answer) = host.engine.handle_json("PlaygroundStartWorkload", r) {
                host.workloads.push(answer["WorkloadId"].clone());
            }
        }
        19 => {
            // Reads the journal never sees: they move buckets, heat and peaks only.
            let request = match c % 4 {
                0 => ("GetItem", json!({"TableName": name, "Key": key(name, b)})),
                1 => ("Scan", json!({"TableName": name})),
                2 => (
                    "Query",
                    json!({"TableName": name, "KeyConditionExpression": "pk = :k",
                                       "ExpressionAttributeValues": {":k": {"S": format!("k{}", b % KEYS)}}}),
                ),
                _ => ("PlaygroundDescribePartitions", json!({"TableName": name})),
            };
            let _ = host.send(request.0, &request.1);
        }
        23 => {
            // Seconds of reads that hold one partition at its 3,000 RCU ceiling (consistent
            // Queries of a 390 KB item, filtered out: 98 RCU each, nothing returned), then
            // journaled writes to it: adaptive capacity isolates the key during one of them.
            let name = if a.is_multiple_of(2) { "Alpha" } else { name };
            let big = item(name, b, 390 * 1024, now_s, None);
            let _ = host.send("PutItem", &json!({"TableName": name, "Item": big}));
            let query = json!({"TableName": name, "KeyConditionExpression": "pk = :k", "ConsistentRead": true,
                               "FilterExpression": "attribute_exists(nothere)",
                               "ExpressionAttributeValues": {":k": {"S": format!("k{}", b % KEYS)}}});
            for _ in 0..4 {
                for _ in 0..32 {
                    let _ = host.send("Query", &query);
                }
                let now = host.engine.now();
                host.engine.set_now(now + 1_000);
            }
            for _ in 0..2 {
                let small = item(name, b, 0, now_s, None);
                let _ = host.send("PutItem", &json!({"TableName": name, "Item": small}));
            }
        }
        24 => {
            // Backups and restores: workspace state the snapshot and the journal carry.
            let now = host.engine.now();
            let listed = host.engine.handle_json("ListBackups", json!({"BackupType": "ALL"}));
            let arns: Vec<Value> = listed.map_or(Vec::new(), |l| {
                l["BackupSummaries"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|b| b["BackupArn"].clone())
                    .collect()
            });
            let target = format!("Restored{}", b % 2);
            let mut send = |op: &str, request: Value| {
                let _ = host.send(op, &request);
            };
            match c % 4 {
                0 => send("CreateBackup", json!({"TableName": name, "BackupName": format!("b{b}")})),
                1 => {
                    send("DeleteTable", json!({"TableName": target}));
                    let mut r = json!({"SourceTableName": name, "TargetTableName": target});
                    match b % 3 {
                        0 => r["UseLatestRestorableTime"] = json!(true),
                        _ => r["RestoreDateTime"] = json!((now - u64::from(b % 5) * 1_000) as f64 / 1000.0),
                    }
                    send("RestoreTableToPointInTime", r)
                }
                2 if !arns.is_empty() => {
                    send("DeleteTable", json!({"TableName": target}));
                    let arn = &arns[usize::from(b) % arns.len()];
                    send("RestoreTableFromBackup", json!({"TargetTableName": target, "BackupArn": arn}))
                }
                _ if !arns.is_empty() => send("DeleteBackup", json!({"BackupArn": arns[0]})),
                _ => {}
            }
        }
        25 => {
            // Exports and imports: the object store, the exports and the imports are workspace
            // state the snapshot and the journal carry.
            let now = host.engine.now();
            let arn = format!("arn:aws:dynamodb:us-east-1:000000000000:table/{name}");
            let target = format!("Imported{}", b % 2);
            let mut send = |op: &str, request: Value| {
                let _ = host.send(op, &request);
            };
            match c % 4 {
                0 => send(
                    "ExportTableToPointInTime",
                    json!({"TableArn": arn, "S3Bucket": "exports", "S3Prefix": format!("p{}", b % 3),
                           "ExportTime": (now - u64::from(b % 5) * 1_000) as f64 / 1000.0}),
                ),
                1 => {
                    send("DeleteTable", json!({"TableName": target}));
                    send(
                        "ImportTable",
                        json!({"S3BucketSource": {"S3Bucket": "exports", "S3KeyPrefix": format!("p{}", b % 3)},
                               "InputFormat": "DYNAMODB_JSON", "InputCompressionType": "GZIP",
                               "TableCreationParameters": {"TableName": target, "BillingMode": "PAY_PER_REQUEST",
                                   "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                                   "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}}),
                    )
                }
                2 => send(
                    "PlaygroundPutObject",
                    json!({"Bucket": "inbox", "Key": format!("k{}", b % 4), "Body": "cGs=" }),
                ),
                _ => send("PlaygroundDeleteObject", json!({"Bucket": "inbox", "Key": format!("k{}", b % 4)})),
            }
        }
        20 => host.flush(),
        21 => host.compact(),
        22 => check_reload(host, b.is_multiple_of(2))?,
        _ => unreachable!("kinds come from KINDS"),
    }
    Ok(())
}

/// Step kinds, weighted: writes, token transactions and time steps come up most.
const KINDS: [u8; 39] = [
    0, 1, 2, 3, 3, 3, 4, 4, 5, 6, 6, 6, 7, 7, 7, 7, 8, 9, 9, 10, 11, 12, 13, 14, 15, 16, 16, 16, 17, 18, 19,
    19, 20, 20, 21, 22, 23, 24, 25,
];

/// Runs one sequence from a fresh workspace, comparing at every reload step and at the end.
fn run(steps: Vec<(u8, u16, u16, u16)>) -> Result<Coverage, TestCaseError> {
    let mut host = SimHost::new();
    // Every run starts with a table of each kind, so most steps find one.
    for (i, name) in TABLES.iter().enumerate() {
        let _ = host.send("CreateTable", &create_table(name, i as u16, i as u16));
    }
    // Beta (1 WCU) spends its five minutes of burst: from here on a second or two of refill
    // lets one write through and throttles the rest of a batch.
    for k in 0..30 {
        let item =
            json!({"pk": {"S": format!("burst{k}")}, "sk": {"N": "0"}, "pad": {"S": "b".repeat(9_900)}});
        let _ = host.send("PutItem", &json!({"TableName": "Beta", "Item": item}));
    }
    // REPLAY_TRACE=1: compare after every step, naming it, to find where a failure starts.
    let trace = std::env::var_os("REPLAY_TRACE").is_some();
    for (i, (kind, a, b, c)) in steps.into_iter().enumerate() {
        let kind = KINDS[usize::from(kind) % KINDS.len()];
        step(&mut host, kind, a, b, c)?;
        if trace {
            check_reload(&mut host, false)
                .map_err(|e| TestCaseError::fail(format!("after step {i} ({kind}, {a}, {b}, {c}): {e}")))?;
        }
    }
    check_reload(&mut host, false)?;
    Ok(host.coverage)
}

fn steps() -> impl Strategy<Value = Vec<(u8, u16, u16, u16)>> {
    prop::collection::vec((0..KINDS.len() as u8, any::<u16>(), any::<u16>(), any::<u16>()), 50..250)
}

proptest! {
    // PROPTEST_CASES=n runs more (or fewer) sequences.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(24),
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_rebuilt_workspace_equals_the_live_one(steps in steps()) {
        run(steps)?;
    }
}

/// The sequences are only as good as what they reach: thirty-two of them (from a fixed seed)
/// meet every situation this test is about at least once.
#[test]
fn the_sequences_reach_every_situation() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut total = Coverage::default();
    for _ in 0..32 {
        let steps = steps().new_tree(&mut runner).expect("a sequence").current();
        let c = run(steps).unwrap_or_else(|e| panic!("{e}"));
        total.partly_applied += c.partly_applied;
        total.throttled += c.throttled;
        total.token_retries += c.token_retries;
        total.checkpoints_before += c.checkpoints_before;
        total.checkpoints_after += c.checkpoints_after;
        total.splits_during_requests += c.splits_during_requests;
        total.compactions += c.compactions;
        total.reloads += c.reloads;
        total.carried_on += c.carried_on;
        total.replayed += c.replayed;
    }
    eprintln!("{total:?}");
    let Coverage {
        partly_applied,
        throttled,
        token_retries,
        checkpoints_before,
        splits_during_requests,
        compactions,
        reloads,
        carried_on,
        replayed,
        ..
    } = total;
    for (what, n) in [
        ("partly applied batches", partly_applied),
        ("throttled requests", throttled),
        ("token retries", token_retries),
        ("checkpoints before a request", checkpoints_before),
        ("traffic-driven splits during a request", splits_during_requests),
        ("compactions", compactions),
        ("reloads", reloads),
        ("reloads carried on", carried_on),
        ("replayed entries", replayed),
    ] {
        assert!(n > 0, "no {what}: {total:?}");
    }
}
