//! Writes the fuzz targets' seed corpora from the golden cases (`tests/golden/`) and the
//! expression corpus (`tests/expressions/corpus.json`), one file per seed, named by its hash:
//!
//! ```text
//! cargo run --manifest-path fuzz/Cargo.toml --example seeds -- fuzz/seeds
//! ```
//!
//! writes `fuzz/seeds/{operations,expressions,partiql,workspace}/`. Nothing here is committed:
//! `scripts/fuzz.sh` runs this before fuzzing.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use dynaplay_engine::Engine;
use dynaplay_fuzz::expressions::{self, Slot, SLOTS};
use dynaplay_fuzz::fixture::{self, ENGINE_TIME_MS, THINGS};
use dynaplay_fuzz::partiql;
use dynaplay_fuzz::text::hash;
use serde_json::{json, Value};

/// The longest seed written.
const MAX_SEED_BYTES: usize = 32 * 1024;

fn main() {
    let out = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "fuzz/seeds".into()));
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let golden = repo.join("tests/golden");
    let mut seeds = Seeds::default();
    for (operation, case) in golden_cases(&golden) {
        let steps = setup_steps(&golden, case.get("setup").unwrap_or(&json!([])));
        let request = case.get("request").cloned().unwrap_or(json!({}));
        operation_seed(&mut seeds, &operation, &steps, &request, &case);
        expression_seeds(&mut seeds, &operation, &request);
        partiql_seed(&mut seeds, &operation, &request);
        workspace_seeds(&mut seeds, &operation, &steps, &request);
    }
    let corpus: Value = serde_json::from_str(
        &fs::read_to_string(repo.join("tests/expressions/corpus.json")).expect("the expression corpus"),
    )
    .expect("the expression corpus is JSON");
    for case in corpus["cases"].as_array().into_iter().flatten() {
        corpus_seeds(&mut seeds, case);
    }
    for (target, files) in [
        ("operations", &seeds.operations),
        ("expressions", &seeds.expressions),
        ("partiql", &seeds.partiql),
        ("workspace", &seeds.workspace),
    ] {
        let dir = out.join(target);
        fs::create_dir_all(&dir).expect("create the seed directory");
        // Seeds past 32 KiB (the 400 KB item-size cases) would slow every run of the target down.
        for bytes in files.iter().filter(|b| b.len() <= MAX_SEED_BYTES) {
            fs::write(dir.join(format!("{:016x}", hash(bytes))), bytes).expect("write a seed");
        }
        let written = files.iter().filter(|b| b.len() <= MAX_SEED_BYTES).count();
        println!("{target}: {written} seeds in {}", dir.display());
    }
}

#[derive(Default)]
struct Seeds {
    operations: BTreeSet<Vec<u8>>,
    expressions: BTreeSet<Vec<u8>>,
    partiql: BTreeSet<Vec<u8>>,
    workspace: BTreeSet<Vec<u8>>,
}

/// Every case as (operation, case), in name order.
fn golden_cases(golden: &Path) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut folders: Vec<PathBuf> = fs::read_dir(golden)
        .expect("tests/golden")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('_')))
        .collect();
    folders.sort();
    for folder in folders {
        let operation = folder.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let mut files: Vec<PathBuf> =
            fs::read_dir(&folder).into_iter().flatten().filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        for file in files.into_iter().filter(|f| f.extension().is_some_and(|x| x == "json")) {
            if let Ok(case) = serde_json::from_str(&fs::read_to_string(&file).unwrap_or_default()) {
                out.push((operation.clone(), case));
            }
        }
    }
    out
}

/// A setup step: a named fixture (the fuzz fixture already holds it), a request, or a step
/// of time.
enum Step {
    Fixture(Vec<Value>),
    Request(String, Value),
    Advance(u64),
}

fn setup_steps(golden: &Path, setup: &Value) -> Vec<Step> {
    let mut steps = Vec::new();
    for entry in setup.as_array().into_iter().flatten() {
        if let Some(name) = entry.as_str() {
            let text =
                fs::read_to_string(golden.join("_fixtures").join(format!("{name}.json"))).unwrap_or_default();
            let list: Value = serde_json::from_str(&text).unwrap_or(json!([]));
            steps.push(Step::Fixture(list.as_array().cloned().unwrap_or_default()));
        } else if let Some(ms) = entry.get("advance_ms").and_then(Value::as_u64) {
            steps.push(Step::Advance(ms));
        } else if let Some(op) = entry.get("op").and_then(Value::as_str) {
            steps.push(Step::Request(op.to_owned(), entry["request"].clone()));
        }
    }
    steps
}

/// `operations`: the case's own setup steps (the fixture holds the named fixtures), its
/// request, and its `then` steps, a line each.
fn operation_seed(seeds: &mut Seeds, operation: &str, steps: &[Step], request: &Value, case: &Value) {
    let mut lines: Vec<String> = steps
        .iter()
        .filter_map(|step| match step {
            Step::Fixture(_) => None,
            Step::Request(op, request) => Some(format!("{op} {request}")),
            Step::Advance(ms) => Some(format!("~advance {ms}")),
        })
        .collect();
    lines.push(format!("{operation} {request}"));
    for step in case.get("then").and_then(Value::as_array).into_iter().flatten() {
        match (step.get("op").and_then(Value::as_str), step.get("advance_ms").and_then(Value::as_u64)) {
            (Some(op), _) => lines.push(format!("{op} {}", step["request"])),
            (_, Some(ms)) => lines.push(format!("~advance {ms}")),
            _ => {}
        }
    }
    // The input format's limit: keep the request.
    while lines.len() > 8 {
        lines.remove(0);
    }
    seeds.operations.insert(lines.join("\n").into_bytes());
}

fn slot_byte(slot: Slot) -> u8 {
    SLOTS.iter().position(|s| *s == slot).unwrap_or(0) as u8
}

/// The fixture table's position and the position of the item `key` names (one past the
/// last: none).
fn locate(table: &str, key: Option<&Value>) -> (u8, u8) {
    let facts = fixture::facts();
    let Some(t) = facts.tables.iter().position(|t| t.name == table) else { return (0, 0) };
    let items = &facts.tables[t].items;
    let item = key
        .and_then(|key| {
            let key = key.as_object()?;
            items.iter().position(|item| key.iter().all(|(k, v)| item.get(k) == Some(v)))
        })
        .unwrap_or(items.len());
    (t as u8, item as u8)
}

/// An expressions input for one request object (a whole request, or a transaction action).
fn expression_input(
    slot: Slot,
    object: &Value,
    table: &str,
    members: [&str; 3],
    variant: u8,
) -> Option<expressions::Input> {
    let texts = members.map(|m| object.get(m).and_then(Value::as_str).unwrap_or_default().to_owned());
    if texts.iter().all(String::is_empty) {
        return None;
    }
    let (table, item) = locate(table, object.get("Key").or_else(|| object.get("Item")));
    let names = object
        .get("ExpressionAttributeNames")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
        .collect();
    let values = object
        .get("ExpressionAttributeValues")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Some(expressions::Input {
        slot: slot_byte(slot),
        table,
        item,
        flags: variant << 1,
        expressions: texts,
        names,
        values,
    })
}

fn add_expression_input(seeds: &mut Seeds, input: Option<expressions::Input>) {
    if let Some(mut input) = input {
        seeds.expressions.insert(input.encode());
        // The same with the placeholder maps fitted.
        input.flags |= 1;
        seeds.expressions.insert(input.encode());
    }
}

/// `expressions`: every expression-bearing request (or transaction action) of the case.
fn expression_seeds(seeds: &mut Seeds, operation: &str, request: &Value) {
    let table = request.get("TableName").and_then(Value::as_str).unwrap_or_default();
    let index_variant = |object: &Value, table: &str| -> u8 {
        let facts = fixture::facts();
        let indexes =
            facts.tables.iter().find(|t| t.name == table).map(|t| t.indexes.clone()).unwrap_or_default();
        object
            .get("IndexName")
            .and_then(Value::as_str)
            .and_then(|name| indexes.iter().position(|i| i == name))
            .map_or(0, |p| p as u8)
    };
    let cond = "ConditionExpression";
    let input = match operation {
        "PutItem" => expression_input(Slot::Put, request, table, [cond, "", ""], 0),
        "UpdateItem" => expression_input(Slot::Update, request, table, ["UpdateExpression", cond, ""], 0),
        "DeleteItem" => expression_input(Slot::Delete, request, table, [cond, "", ""], 0),
        "GetItem" => expression_input(Slot::Get, request, table, ["ProjectionExpression", "", ""], 0),
        "Query" => expression_input(
            Slot::Query,
            request,
            table,
            ["KeyConditionExpression", "FilterExpression", "ProjectionExpression"],
            index_variant(request, table),
        ),
        "Scan" => expression_input(
            Slot::Scan,
            request,
            table,
            ["FilterExpression", "ProjectionExpression", ""],
            index_variant(request, table),
        ),
        "TransactWriteItems" | "TransactGetItems" => {
            for action in request.get("TransactItems").and_then(Value::as_array).into_iter().flatten() {
                for (kind, object) in action.as_object().into_iter().flatten() {
                    let table = object.get("TableName").and_then(Value::as_str).unwrap_or_default();
                    let input = match kind.as_str() {
                        "Put" => expression_input(Slot::Put, object, table, [cond, "", ""], 0),
                        "Update" => {
                            expression_input(Slot::Update, object, table, ["UpdateExpression", cond, ""], 0)
                        }
                        "Delete" => expression_input(Slot::Delete, object, table, [cond, "", ""], 0),
                        "ConditionCheck" => {
                            expression_input(Slot::TransactWrite, object, table, [cond, "", ""], 0)
                        }
                        "Get" => expression_input(
                            Slot::TransactGet,
                            object,
                            table,
                            ["ProjectionExpression", "", ""],
                            0,
                        ),
                        _ => None,
                    };
                    add_expression_input(seeds, input);
                }
            }
            None
        }
        "BatchGetItem" => {
            for (table, keys) in request.get("RequestItems").and_then(Value::as_object).into_iter().flatten()
            {
                let first = keys.get("Keys").and_then(|k| k.get(0)).cloned().unwrap_or(json!({}));
                let mut object = keys.clone();
                object["Key"] = first;
                add_expression_input(
                    seeds,
                    expression_input(Slot::BatchGet, &object, table, ["ProjectionExpression", "", ""], 0),
                );
            }
            None
        }
        _ => None,
    };
    add_expression_input(seeds, input);
}

/// `expressions`: a case of the expression corpus, on the `Things` item it was written for.
fn corpus_seeds(seeds: &mut Seeds, case: &Value) {
    let facts = fixture::facts();
    let Some(t) = facts.tables.iter().position(|t| t.name == THINGS) else { return };
    let things = &facts.tables[t];
    // The Things item holding the corpus item (the fixture gave it its own sk, maybe a pk).
    let item = case
        .get("item")
        .and_then(Value::as_object)
        .and_then(|want| {
            things.items.iter().position(|have| want.iter().all(|(k, v)| k == "pk" || have.get(k) == Some(v)))
        })
        .unwrap_or(things.items.len());
    let expression = case.get("expression").and_then(Value::as_str).unwrap_or_default().to_owned();
    let slots: &[Slot] = match case.get("kind").and_then(Value::as_str).unwrap_or_default() {
        "condition" => &[Slot::Put, Slot::Delete, Slot::Scan],
        "filter" => &[Slot::Scan],
        "update" => &[Slot::Update],
        "projection" => &[Slot::Get, Slot::Scan],
        "key" => &[Slot::Query],
        _ => &[],
    };
    let names: Vec<(String, String)> = case
        .get("names")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
        .collect();
    let values: Vec<(String, Value)> = case
        .get("values")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for slot in slots {
        let mut texts: [String; 3] = Default::default();
        // A projection goes second in a Scan (after its filter).
        let at = usize::from(*slot == Slot::Scan && case["kind"] == "projection");
        texts[at] = expression.clone();
        let input = expressions::Input {
            slot: slot_byte(*slot),
            table: t as u8,
            item: item as u8,
            flags: 0,
            expressions: texts,
            names: names.clone(),
            values: values.clone(),
        };
        add_expression_input(seeds, Some(input));
    }
}

/// `partiql`: the statements of the three PartiQL operations' cases.
fn partiql_seed(seeds: &mut Seeds, operation: &str, request: &Value) {
    let params =
        |entry: &Value| entry.get("Parameters").and_then(Value::as_array).cloned().unwrap_or_default();
    let statement =
        |entry: &Value| entry.get("Statement").and_then(Value::as_str).unwrap_or_default().to_owned();
    let (op, list) = match operation {
        "ExecuteStatement" => (0, vec![request.clone()]),
        "BatchExecuteStatement" => {
            (1, request.get("Statements").and_then(Value::as_array).cloned().unwrap_or_default())
        }
        "ExecuteTransaction" => {
            (2, request.get("TransactStatements").and_then(Value::as_array).cloned().unwrap_or_default())
        }
        _ => return,
    };
    let mut flags = op;
    if request.get("ConsistentRead") == Some(&json!(true)) {
        flags |= 4;
    }
    if request.get("Limit").is_some() {
        flags |= 16 | 64;
    }
    let statements = list.iter().map(|e| (statement(e), params(e))).collect();
    seeds.partiql.insert(partiql::Input { flags, statements }.encode());
}

/// `workspace`: the workspace and snapshot documents of the case's state before and after its
/// request, and its request as a journal record (when it changes state).
fn workspace_seeds(seeds: &mut Seeds, operation: &str, steps: &[Step], request: &Value) {
    let mut engine = Engine::new();
    engine.set_now(ENGINE_TIME_MS);
    let run = |engine: &mut Engine, op: &str, request: &Value| {
        let _ = engine.handle_json(op, request.clone());
    };
    for step in steps {
        match step {
            Step::Fixture(list) => {
                for s in list {
                    run(&mut engine, s["op"].as_str().unwrap_or_default(), &s["request"]);
                }
            }
            Step::Request(op, request) => run(&mut engine, op, request),
            Step::Advance(ms) => engine.advance(*ms),
        }
    }
    seeds.workspace.insert(engine.export_snapshot().to_string().into_bytes());
    run(&mut engine, operation, request);
    seeds.workspace.insert(engine.export_workspace().to_string().into_bytes());
    seeds.workspace.insert(engine.export_snapshot().to_string().into_bytes());
    if dynaplay_engine::is_mutating(operation) {
        let record = json!([[operation, ENGINE_TIME_MS + 1000, request]]);
        seeds.workspace.insert(record.to_string().into_bytes());
    }
}
