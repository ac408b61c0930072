//! Target `workspace`: importing a workspace or snapshot document — what the page does with a
//! file the learner opens and with its IndexedDB snapshot on reload (`web/src/host/workspace.rs`
//! and the journal's restore call the engine's `Engine::import_workspace` and
//! `journal::restore`; the parsing and checking all happen in the engine) — and replaying
//! journal records on top of a snapshot.
//!
//! Input, by its first byte:
//! - `{`: a document as text, imported (`journal::import_snapshot`);
//! - `[`: a journal record, decoded and replayed on the fixture's snapshot (`journal::restore`);
//! - anything else: the rest drives [`arbitrary`]: the fixture's snapshot or workspace
//!   document with one to four mutations (a member removed, replaced by an edge value or
//!   random JSON, an item or table duplicated, a number or string changed), imported.
//!
//! An engine that imports must answer every request well, move time without trouble, and
//! export a snapshot that imports again into an engine exporting the same snapshot. The
//! seeds are the workspace and snapshot documents of the golden cases' states.

use arbitrary::Unstructured;
use dynaplay_engine::{journal, Engine, EngineConfig};
use serde_json::{json, Value};

use crate::check;
use crate::fixture;
use crate::shaped::{chance, index, pick, Gen};

/// Runs one input.
pub fn run(data: &[u8]) {
    match data.first() {
        Some(b'{') => {
            if let Ok(engine) = journal::import_snapshot(data, config()) {
                exercise(engine);
            }
        }
        Some(b'[') => {
            let _ = journal::decode_record(data);
            let snapshot = fixture::facts().snapshot.to_string();
            let restored = journal::restore(Some(snapshot.as_bytes()), &[data], config());
            exercise(restored.engine);
        }
        Some(_) => {
            let mut u = Unstructured::new(&data[1..]);
            let facts = fixture::facts();
            let mut doc = if chance(&mut u, 1, 2) { facts.snapshot.clone() } else { facts.workspace.clone() };
            for _ in 0..=index(&mut u, 4) {
                mutate(&mut u, &mut doc, 0);
            }
            if let Ok(engine) = Engine::import_workspace_with_config(&doc, config()) {
                exercise(engine);
            }
        }
        None => {}
    }
}

/// The engine settings imports use: the fixture's workload budget.
fn config() -> EngineConfig {
    EngineConfig { workload_step_budget: fixture::WORKLOAD_STEP_BUDGET, ..EngineConfig::default() }
}

/// Changes one node of `value`, somewhere below.
fn mutate(u: &mut Unstructured<'_>, value: &mut Value, depth: usize) {
    let len = match value {
        Value::Object(map) => map.len(),
        Value::Array(items) => items.len(),
        _ => 0,
    };
    // Go deeper, or change a child here.
    if len > 0 && depth < 12 && chance(u, 3, 4) {
        let i = index(u, len);
        let child = match value {
            Value::Object(map) => map.values_mut().nth(i),
            Value::Array(items) => items.get_mut(i),
            _ => None,
        };
        if let Some(child) = child {
            if !matches!(child, Value::Object(_) | Value::Array(_)) || chance(u, 1, 3) {
                change(u, child);
            } else {
                mutate(u, child, depth + 1);
            }
        }
        return;
    }
    match value {
        Value::Object(map) if len > 0 => {
            let i = index(u, len);
            if let Some(key) = map.keys().nth(i).cloned() {
                map.remove(&key);
            }
        }
        Value::Array(items) if len > 0 => {
            let i = index(u, len);
            if chance(u, 1, 2) {
                let copy = items[i].clone();
                items.push(copy);
            } else {
                items.remove(i);
            }
        }
        other => change(u, other),
    }
}

/// Replaces a value with an edge value, random JSON, or a near variant of itself.
fn change(u: &mut Unstructured<'_>, value: &mut Value) {
    let edges = [
        json!(null),
        json!(-1),
        json!(0),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(1e300),
        json!(""),
        json!("x"),
        json!([]),
        json!({}),
        json!(true),
    ];
    *value = match (index(u, 4), &*value) {
        (0, _) => pick(u, &edges).clone(),
        (1, _) => Gen::new(u, fixture::facts()).json(2),
        (2, Value::Number(n)) => match (n.as_u64(), n.as_i64()) {
            (Some(x), _) => {
                json!(*pick(u, &[x.wrapping_add(1), x.wrapping_sub(1), x.wrapping_mul(1000), x / 2]))
            }
            (_, Some(x)) => json!(x.wrapping_neg()),
            _ => json!(0),
        },
        (2, Value::String(s)) => match index(u, 3) {
            0 => json!(format!("{s}x")),
            1 => json!(s.chars().rev().collect::<String>()),
            _ => json!(pick(u, &fixture::facts().strings).clone()),
        },
        _ => Gen::new(u, fixture::facts()).attribute_value(3),
    };
}

/// What an imported engine must do: answer reads of every table, move time, and export a
/// snapshot that imports into an engine exporting the same snapshot.
fn exercise(mut engine: Engine) {
    let tables = engine.handle_json("ListTables", json!({}));
    check::answer("ListTables", b"{}", &tables);
    let names: Vec<String> = tables
        .ok()
        .and_then(|t| t["TableNames"].as_array().cloned())
        .into_iter()
        .flatten()
        .filter_map(|n| n.as_str().map(str::to_owned))
        .take(8)
        .collect();
    for name in &names {
        for op in ["DescribeTable", "Scan", "DescribeTimeToLive", "PlaygroundDescribePartitions"] {
            let request = json!({ "TableName": name });
            let _ = check::send_json(&mut engine, op, &request, false);
        }
    }
    engine.advance(1500);
    let snapshot = engine.export_snapshot();
    let again = match Engine::import_workspace_with_config(&snapshot, config()) {
        Ok(engine) => engine,
        Err(e) => panic!("an imported engine's snapshot does not import again: {}\n{}", e.message, snapshot),
    };
    assert!(
        again.export_snapshot() == snapshot,
        "a snapshot imported and exported again differs: {snapshot}"
    );
}
