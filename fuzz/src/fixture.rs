//! The engine every target starts from, and what the generators know about it.
//!
//! It holds the golden fixtures' tables (`tests/golden/_fixtures`: `Users`, `Events` with a
//! stream, `Orders`), so golden requests used as seeds find the state they were written for,
//! and `Things`: HASH `pk` (S), RANGE `sk` (N), a global index `byTitle` (`title` S, `qty` N,
//! ALL), a local index `byLabel` (`label` S, KEYS_ONLY), a NEW_AND_OLD_IMAGES stream, TTL on
//! `expires`, one running workload, and the expression corpus's items
//! (`tests/expressions/corpus.json`) plus a few of every attribute type — so expressions from
//! that corpus evaluate against the items they were written for.

use std::sync::OnceLock;

use dynaplay_engine::Engine;
use serde_json::{json, Value};

/// Engine time every target starts at (the golden cases' 2026-01-01T00:00:00Z).
pub const ENGINE_TIME_MS: u64 = 1_767_225_600_000;

/// The rich table.
pub const THINGS: &str = "Things";

const USERS: &str = include_str!("../../tests/golden/_fixtures/users.json");
const EVENTS: &str = include_str!("../../tests/golden/_fixtures/events.json");
const ORDERS: &str = include_str!("../../tests/golden/_fixtures/orders.json");
const EXPRESSION_CORPUS: &str = include_str!("../../tests/expressions/corpus.json");

/// One setup request.
type Step = (String, Value);

/// The requests that build the fixture, parsed once.
fn steps() -> &'static [Step] {
    static STEPS: OnceLock<Vec<Step>> = OnceLock::new();
    STEPS.get_or_init(|| {
        let mut steps = Vec::new();
        for fixture in [USERS, EVENTS, ORDERS] {
            let list: Value = serde_json::from_str(fixture).expect("a golden fixture is JSON");
            for step in list.as_array().into_iter().flatten() {
                let op = step["op"].as_str().expect("a fixture step names its op").to_owned();
                steps.push((op, step["request"].clone()));
            }
        }
        steps.push(("CreateTable".into(), things_table()));
        for item in things_items() {
            steps.push(("PutItem".into(), json!({"TableName": THINGS, "Item": item})));
        }
        steps.push((
            "UpdateTimeToLive".into(),
            json!({"TableName": THINGS, "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "expires"}}),
        ));
        // One workload request (WorkloadId 1), so there is one to describe and stop.
        steps.push((
            "PlaygroundStartWorkload".into(),
            json!({"TableName": THINGS, "RequestsPerSecond": 1, "DurationSeconds": 1}),
        ));
        steps
    })
}

fn things_table() -> Value {
    json!({
        "TableName": THINGS,
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
            {"AttributeName": "title", "AttributeType": "S"},
            {"AttributeName": "qty", "AttributeType": "N"},
            {"AttributeName": "label", "AttributeType": "S"}
        ],
        "GlobalSecondaryIndexes": [{
            "IndexName": "byTitle",
            "KeySchema": [{"AttributeName": "title", "KeyType": "HASH"}, {"AttributeName": "qty", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"}
        }],
        "LocalSecondaryIndexes": [{
            "IndexName": "byLabel",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "label", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"}
        }],
        "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    })
}

/// The expression corpus's distinct items (keyed `pk` = their own `pk` or `k`, `sk` = their
/// position), then items of every attribute type in the indexes.
fn things_items() -> Vec<Value> {
    let corpus: Value = serde_json::from_str(EXPRESSION_CORPUS).expect("the expression corpus is JSON");
    let mut items: Vec<Value> = Vec::new();
    for case in corpus["cases"].as_array().into_iter().flatten() {
        if let Some(item) = case.get("item").filter(|i| i.is_object()) {
            if !items.contains(item) {
                items.push(item.clone());
            }
        }
    }
    for (i, item) in items.iter_mut().enumerate() {
        if item.get("pk").and_then(|pk| pk.get("S")).is_none() {
            item["pk"] = json!({"S": "k"});
        }
        item["sk"] = json!({"N": i.to_string()});
    }
    for i in 0..6 {
        items.push(json!({
            "pk": {"S": (["a", "b", "c"][i % 3])},
            "sk": {"N": format!("{}", i as i64 - 2)},
            "title": {"S": (["x", "y"][i % 2])},
            "qty": {"N": format!("{i}.5")},
            "label": {"S": format!("l{i}")},
            "flag": {"BOOL": i % 2 == 0},
            "nothing": {"NULL": true},
            "tags": {"SS": ["red", "blue"]},
            "nums": {"NS": ["1", "2.5"]},
            "blobs": {"BS": ["AAEC"]},
            "bin": {"B": "AAECAw=="},
            "parts": {"L": [{"S": "x"}, {"N": "1"}, {"L": []}]},
            "doc": {"M": {"k": {"S": "v"}, "n": {"M": {"deep": {"N": "7"}}}}},
            // Two expire a second after the start: moving time deletes them.
            "expires": {"N": format!("{}", ENGINE_TIME_MS / 1000 + (i as u64 % 3))}
        }));
    }
    items
}

/// A new engine holding the fixture, at [`ENGINE_TIME_MS`]: a copy of one built once per
/// thread (building it takes about 30 times as long as copying it).
pub fn engine() -> Engine {
    thread_local! {
        static FIXTURE: Engine = build();
    }
    FIXTURE.with(Engine::clone)
}

/// The most work one move of time does for running workloads (the budget logic is the same
/// at any size): the default, a million units, lets one input that starts a workload and
/// moves time by a day run for seconds (found by `operations` as a slow unit).
pub const WORKLOAD_STEP_BUDGET: u64 = 1_000;

/// The fixture, built request by request.
pub fn build() -> Engine {
    let mut engine = Engine::new();
    engine.set_workload_step_budget(WORKLOAD_STEP_BUDGET);
    engine.set_now(ENGINE_TIME_MS);
    for (op, request) in steps() {
        if let Err(e) = engine.handle_json(op, request.clone()) {
            panic!("fixture step {op} failed: {}", e.message);
        }
    }
    engine
}

/// What the fixture holds, for generators that aim requests at it.
pub struct Facts {
    /// Each table: its name, key attribute names, index names, and items.
    pub tables: Vec<TableFacts>,
    /// Strings worth trying in any string member: names, ARNs, shard ids, an iterator.
    pub strings: Vec<String>,
    /// The fixture's snapshot document ([`Engine::export_snapshot`]).
    pub snapshot: Value,
    /// The fixture's workspace document ([`Engine::export_workspace`]).
    pub workspace: Value,
}

/// One table of the fixture.
pub struct TableFacts {
    /// Its name.
    pub name: String,
    /// Key attribute names: partition first.
    pub keys: Vec<String>,
    /// Its index names.
    pub indexes: Vec<String>,
    /// Its items (DynamoDB JSON).
    pub items: Vec<Value>,
    /// Every attribute name its items use.
    pub attributes: Vec<String>,
}

impl TableFacts {
    /// The key of item `i` (`i` past the end: a key no item has).
    pub fn key(&self, i: usize) -> Value {
        let absent = i >= self.items.len();
        let template = self.items.get(i).or(self.items.first());
        let mut key = serde_json::Map::new();
        for name in &self.keys {
            let value = match template.and_then(|item| item.get(name)) {
                Some(v) if !absent => v.clone(),
                Some(v) if v.get("N").is_some() => json!({"N": "424242"}),
                _ => json!({"S": "absent"}),
            };
            key.insert(name.clone(), value);
        }
        Value::Object(key)
    }
}

/// The facts, read off a fixture engine once.
pub fn facts() -> &'static Facts {
    static FACTS: OnceLock<Facts> = OnceLock::new();
    FACTS.get_or_init(read_facts)
}

fn read_facts() -> Facts {
    let mut engine = engine();
    let mut tables = Vec::new();
    let mut strings: Vec<String> = vec!["".into(), "byTitle".into(), "byLabel".into()];
    let names = engine.handle_json("ListTables", json!({})).expect("ListTables");
    for name in names["TableNames"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        let described =
            engine.handle_json("DescribeTable", json!({"TableName": name})).expect("DescribeTable");
        let table = &described["Table"];
        let keys: Vec<String> = table["KeySchema"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|k| k["AttributeName"].as_str().map(str::to_owned))
            .collect();
        let mut indexes = Vec::new();
        for kind in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
            for index in table[kind].as_array().into_iter().flatten() {
                indexes.extend(index["IndexName"].as_str().map(str::to_owned));
            }
        }
        let scanned = engine.handle_json("Scan", json!({"TableName": name})).expect("Scan");
        let items: Vec<Value> = scanned["Items"].as_array().cloned().unwrap_or_default();
        let mut attributes: Vec<String> =
            items.iter().filter_map(Value::as_object).flat_map(|m| m.keys().cloned()).collect();
        attributes.sort();
        attributes.dedup();
        strings.push(name.to_owned());
        strings.extend(table["TableArn"].as_str().map(str::to_owned));
        if let Some(stream) = table["LatestStreamArn"].as_str() {
            strings.push(stream.to_owned());
            let described =
                engine.handle_json("DescribeStream", json!({"StreamArn": stream})).expect("DescribeStream");
            for shard in described["StreamDescription"]["Shards"].as_array().into_iter().flatten() {
                let Some(id) = shard["ShardId"].as_str() else { continue };
                strings.push(id.to_owned());
                let iterator = engine.handle_json(
                    "GetShardIterator",
                    json!({"StreamArn": stream, "ShardId": id, "ShardIteratorType": "TRIM_HORIZON"}),
                );
                if let Some(it) = iterator.ok().and_then(|i| i["ShardIterator"].as_str().map(str::to_owned)) {
                    strings.push(it);
                }
            }
        }
        strings.extend(attributes.iter().cloned());
        tables.push(TableFacts { name: name.to_owned(), keys, indexes, items, attributes });
    }
    strings.sort();
    strings.dedup();
    Facts { tables, strings, snapshot: engine.export_snapshot(), workspace: engine.export_workspace() }
}
