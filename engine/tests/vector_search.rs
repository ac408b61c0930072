//! A vector index equals a brute-force computation over its table: after every few random
//! writes (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems, PartiQL, Time to
//! Live deletions, and an index added midway by UpdateTable), SearchVectors must return exactly
//! the items a scan of the table says belong, each with the score computed here from the
//! scanned vector, best first — for COSINE, EUCLIDEAN and DOT_PRODUCT, with and without the
//! search schema's partition key and inline filter.

use dynaplay_engine::Engine;
use serde_json::{json, Value};

/// A small deterministic generator (xorshift64*), so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const DIMS: usize = 4;
const GROUPS: [&str; 3] = ["red", "green", "blue"];

fn call(engine: &mut Engine, op: &str, request: Value) -> Value {
    engine.handle_json(op, request.clone()).unwrap_or_else(|e| panic!("{op} {request}: {}", e.message))
}

/// A random component: integers and tenths, some negative, some zero.
fn component(rng: &mut Rng) -> String {
    let tenths = rng.below(61) as i64 - 30;
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        format!("{}{}.{}", if tenths < 0 { "-" } else { "" }, tenths.abs() / 10, tenths.abs() % 10)
    }
}

fn vector(rng: &mut Rng) -> Value {
    json!({"L": (0..DIMS).map(|_| json!({"N": component(rng)})).collect::<Vec<_>>()})
}

fn key(rng: &mut Rng) -> Value {
    json!({"pk": {"S": format!("k{}", rng.below(8))}, "sk": {"N": rng.below(6).to_string()}})
}

/// A random whole item: usually a vector, usually a group, sometimes a filter value.
fn item(rng: &mut Rng) -> Value {
    let mut item = key(rng);
    if rng.chance(85) {
        item["v"] = vector(rng);
    }
    if rng.chance(80) {
        item["g"] = json!({"S": GROUPS[rng.below(3) as usize]});
    }
    if rng.chance(60) {
        item["f"] = json!({"N": rng.below(3).to_string()});
    }
    item["note"] = json!({"S": format!("n{}", rng.below(100))});
    item
}

fn random_write(engine: &mut Engine, rng: &mut Rng) {
    match rng.below(9) {
        0..=2 => {
            call(engine, "PutItem", json!({"TableName": "Vectors", "Item": item(rng)}));
        }
        3 => {
            let (update, values) = match rng.below(5) {
                0 => ("SET v = :v", json!({":v": vector(rng)})),
                1 => ("REMOVE v", json!(null)),
                2 => ("SET g = :g", json!({":g": {"S": GROUPS[rng.below(3) as usize]}})),
                3 => ("REMOVE g, f", json!(null)),
                _ => (
                    "SET f = :f, note = :n",
                    json!({":f": {"N": rng.below(3).to_string()}, ":n": {"S": "u"}}),
                ),
            };
            let mut request = json!({"TableName": "Vectors", "Key": key(rng), "UpdateExpression": update});
            if !values.is_null() {
                request["ExpressionAttributeValues"] = values;
            }
            call(engine, "UpdateItem", request);
        }
        4 => {
            call(engine, "DeleteItem", json!({"TableName": "Vectors", "Key": key(rng)}));
        }
        5 => {
            // Distinct keys: a batch may not name one twice.
            let (a, b) = (item(rng), key(rng));
            let same = a["pk"] == b["pk"] && a["sk"] == b["sk"];
            let mut writes = vec![json!({"PutRequest": {"Item": a}})];
            if !same {
                writes.push(json!({"DeleteRequest": {"Key": b}}));
            }
            call(engine, "BatchWriteItem", json!({"RequestItems": {"Vectors": writes}}));
        }
        6 => {
            let (a, b) = (item(rng), key(rng));
            let mut actions = vec![json!({"Put": {"TableName": "Vectors", "Item": a.clone()}})];
            if !(a["pk"] == b["pk"] && a["sk"] == b["sk"]) {
                actions.push(
                    json!({"Update": {"TableName": "Vectors", "Key": b, "UpdateExpression": "SET v = :v",
                                               "ExpressionAttributeValues": {":v": vector(rng)}}}),
                );
            }
            call(engine, "TransactWriteItems", json!({"TransactItems": actions}));
        }
        7 => {
            let k = key(rng);
            let statement = format!(
                "UPDATE Vectors SET v = [{}, 0, 0, {}] WHERE pk = '{}' AND sk = {}",
                component(rng),
                component(rng),
                k["pk"]["S"].as_str().unwrap(),
                k["sk"]["N"].as_str().unwrap()
            );
            // The item may not exist: PartiQL's UPDATE then fails its implicit condition.
            let _ = engine.handle_json("ExecuteStatement", json!({"Statement": statement}));
        }
        _ => {
            // An item that expires now: Time to Live deletes it a little later.
            let mut it = item(rng);
            it["ttl"] = json!({"N": "1767225600"});
            call(engine, "PutItem", json!({"TableName": "Vectors", "Item": it}));
        }
    }
}

fn floats(v: &Value) -> Option<Vec<f64>> {
    let list = v.get("L")?.as_array()?;
    if list.len() != DIMS {
        return None;
    }
    list.iter().map(|n| Some(f64::from(n.get("N")?.as_str()?.parse::<f32>().ok()?))).collect()
}

/// The score the documentation defines, computed here independently.
fn score(function: &str, q: &[f64], v: &[f64]) -> f64 {
    let dot: f64 = q.iter().zip(v).map(|(a, b)| a * b).sum();
    match function {
        "DOT_PRODUCT" => dot,
        "EUCLIDEAN" => q.iter().zip(v).map(|(a, b)| (a - b) * (a - b)).sum::<f64>().sqrt(),
        _ => {
            let (qq, vv): (f64, f64) = (q.iter().map(|a| a * a).sum(), v.iter().map(|a| a * a).sum());
            if qq == 0.0 || vv == 0.0 {
                1.0
            } else {
                (1.0 - dot / (qq * vv).sqrt()).clamp(0.0, 2.0)
            }
        }
    }
}

struct IndexSpec {
    name: &'static str,
    function: &'static str,
    hashed: bool,
    all: bool,
}

const INDEXES: [IndexSpec; 4] = [
    IndexSpec { name: "ByGroup", function: "COSINE", hashed: true, all: true },
    IndexSpec { name: "Nearest", function: "EUCLIDEAN", hashed: false, all: false },
    IndexSpec { name: "Dot", function: "DOT_PRODUCT", hashed: false, all: true },
    // Added by UpdateTable partway through.
    IndexSpec { name: "Later", function: "COSINE", hashed: false, all: false },
];

fn definition(spec: &IndexSpec) -> Value {
    let mut d = json!({"IndexName": spec.name, "VectorAttribute": {"AttributeName": "v"}, "Dimensions": DIMS,
                       "DistanceFunction": spec.function,
                       "Projection": {"ProjectionType": if spec.all { "ALL" } else { "KEYS_ONLY" }}});
    if spec.hashed {
        d["SearchSchema"] = json!([{"AttributeName": "g", "SearchSchemaElementType": "HASH"},
                                   {"AttributeName": "f", "SearchSchemaElementType": "INLINE_FILTER"}]);
    }
    d
}

fn scan(engine: &mut Engine) -> Vec<Value> {
    call(engine, "Scan", json!({"TableName": "Vectors"}))["Items"].as_array().unwrap().clone()
}

/// Checks one search against the scan.
fn check(engine: &mut Engine, rng: &mut Rng, spec: &IndexSpec, items: &[Value]) -> usize {
    let query: Vec<Value> = (0..DIMS).map(|_| json!({"N": component(rng)})).collect();
    let q = floats(&json!({"L": query})).unwrap();
    let mut request =
        json!({"TableName": "Vectors", "IndexName": spec.name, "SearchVector": query, "TopK": 100});
    let group = GROUPS[rng.below(3) as usize];
    let filter = (spec.hashed && rng.chance(50)).then(|| rng.below(3).to_string());
    if spec.hashed {
        request["SearchConditionExpression"] = json!("g = :g");
        request["ExpressionAttributeValues"] = json!({":g": {"S": group}});
        if let Some(f) = &filter {
            request["SearchConditionExpression"] = json!("g = :g AND f = :f");
            request["ExpressionAttributeValues"][":f"] = json!({"N": f});
        }
    }
    let mut expected: Vec<(String, f64, Value)> = items
        .iter()
        .filter_map(|item| {
            let v = floats(item.get("v")?)?;
            if spec.hashed {
                if item.get("g")? != &json!({"S": group}) {
                    return None;
                }
                if let Some(f) = &filter {
                    if item.get("f")? != &json!({"N": f}) {
                        return None;
                    }
                }
            }
            let mut projected = item.clone();
            let m = projected.as_object_mut().unwrap();
            m.remove("v");
            if !spec.all {
                m.retain(|k, _| k == "pk" || k == "sk");
            }
            Some((
                format!("{}/{}", item["pk"]["S"], item["sk"]["N"]),
                score(spec.function, &q, &v),
                projected,
            ))
        })
        .collect();
    let got = call(engine, "SearchVectors", request.clone());
    let results = got["SearchResults"].as_array().unwrap();
    assert_eq!(results.len(), expected.len(), "{request}: {got}");
    let higher_first = spec.function == "DOT_PRODUCT";
    let mut previous: Option<f64> = None;
    for r in results {
        let id = format!("{}/{}", r["Item"]["pk"]["S"], r["Item"]["sk"]["N"]);
        let at = expected
            .iter()
            .position(|(e, _, _)| *e == id)
            .unwrap_or_else(|| panic!("{id} is not expected: {request}"));
        let (_, want, projected) = expected.remove(at);
        let score = r["Score"].as_f64().unwrap();
        assert!(
            (score - want).abs() <= 1e-9 * want.abs().max(1.0),
            "{id}: score {score}, want {want}: {request}"
        );
        assert_eq!(r["Item"], projected, "{id}: {request}");
        if let Some(p) = previous {
            assert!(if higher_first { score <= p } else { score >= p }, "out of order: {got}");
        }
        previous = Some(score);
    }
    results.len()
}

#[test]
fn vector_indexes_equal_brute_force_over_random_writes() {
    let mut engine = Engine::new();
    engine.set_now(1_767_225_600_000);
    call(
        &mut engine,
        "CreateTable",
        json!({"TableName": "Vectors", "BillingMode": "PAY_PER_REQUEST",
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"},
                                        {"AttributeName": "g", "AttributeType": "S"}, {"AttributeName": "f", "AttributeType": "N"}],
               "VectorIndexes": INDEXES[..3].iter().map(definition).collect::<Vec<_>>()}),
    );
    call(
        &mut engine,
        "UpdateTimeToLive",
        json!({"TableName": "Vectors", "TimeToLiveSpecification": {"AttributeName": "ttl", "Enabled": true}}),
    );
    let mut rng = Rng(0x5eed_0016);
    let mut searches = 0;
    let mut found = 0;
    for round in 0..60 {
        for _ in 0..8 {
            random_write(&mut engine, &mut rng);
        }
        engine.advance(700);
        if round == 20 {
            call(
                &mut engine,
                "UpdateTable",
                json!({"TableName": "Vectors", "VectorIndexUpdates": [{"Create": definition(&INDEXES[3])}]}),
            );
        }
        let items = scan(&mut engine);
        let live = if round > 25 { &INDEXES[..] } else { &INDEXES[..3] };
        for spec in live {
            found += check(&mut engine, &mut rng, spec, &items);
            searches += 1;
        }
        // DescribeTable's ItemCount is the number of items the index holds.
        let described = call(&mut engine, "DescribeTable", json!({"TableName": "Vectors"}));
        let nearest = &described["Table"]["VectorIndexes"][1];
        let with_vector = items.iter().filter(|i| i.get("v").and_then(floats).is_some()).count();
        assert_eq!(nearest["ItemCount"], json!(with_vector));
    }
    assert!(searches > 150);
    // The searches found something: on average several items each.
    assert!(found > 3 * searches, "{found} results in {searches} searches");
    eprintln!("{found} results in {searches} searches, {} items", scan(&mut engine).len());
    // The workspace's import rebuilds the same indexes.
    let mut copy = Engine::import_workspace(&engine.export_snapshot()).unwrap();
    let items = scan(&mut copy);
    for spec in &INDEXES {
        check(&mut copy, &mut rng.clone_state(), spec, &items);
    }
}

impl Rng {
    fn clone_state(&self) -> Rng {
        Rng(self.0)
    }
}
