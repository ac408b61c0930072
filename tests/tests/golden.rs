//! Golden request → response cases, kept as data under `tests/golden/<Operation>/<case>.json`.
//!
//! A case file holds:
//! - `setup`: fixture names (files in `tests/golden/_fixtures/`, each a list of steps) and/or
//!   inline steps `{"op", "request"}` that must all succeed;
//! - `request`: the request for the operation named by the case's folder;
//! - `response` (the exact JSON expected) or `error` (`{"__type", "message"}`, exact);
//! - `then` (optional): further steps `{"op", "request", "response" | "error"}`, e.g. a GetItem
//!   proving a failed write changed nothing;
//! - a step `{"advance_ms": N}` (in `setup` or `then`) moves engine time forward, to see
//!   UPDATING / CREATING / DELETING statuses settle;
//! - `region` (on the case, or on a step): the Region the request is sent to (the SigV4
//!   credential scope's); absent, the engine's own (`us-east-1`);
//! - `access_key` (on the case, or on a step): the access key the request is sent as
//!   (`Engine::act_as`: an identity's, made by a PlaygroundPutIdentity step); absent after a
//!   step that had one, the account's root user again;
//! - `known_failure` (optional): why dynaplay differs today. Such a case must still fail — when
//!   it starts passing, the runner says so, and the marker should be removed.
//!
//! Engine time is fixed at 2026-01-01T00:00:00Z so timestamps are stable. Reading cases and
//! fixtures is `dynaplay_tests::golden` (the no-panic test mutates the same requests).

use std::fs;

use dynaplay_engine::Engine;
use dynaplay_tests::golden::{self, ENGINE_TIME_MS};
use serde_json::{json, Value};

/// Runs one step through the text path the hosts use, returning `Ok(response)` or
/// `Err(error body)`.
fn run(engine: &mut Engine, op: &str, request: &Value, region: Option<&Value>) -> Result<Value, Value> {
    let body = request.to_string();
    let text = match region.and_then(Value::as_str) {
        Some(region) => engine.handle_text_in(region, op, body.as_bytes()),
        None => engine.handle_text(op, body.as_bytes()),
    }
    .map_err(|e| e.to_json())?;
    Ok(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{op} answered invalid JSON ({e}): {text}")))
}

/// Compares one outcome with a step's `response`/`error`; returns a description on mismatch.
fn check(expect: &Value, got: &Result<Value, Value>) -> Option<String> {
    let (want, got) = match (expect.get("response"), expect.get("error"), got) {
        (Some(want), _, Ok(got)) => (want, got),
        (_, Some(want), Err(got)) => (want, got),
        (None, None, Ok(_)) => return None,
        (_, _, got) => return Some(format!("unexpected outcome: {got:?}")),
    };
    (want != got).then(|| {
        format!(
            "expected:\n{}\ngot:\n{}",
            serde_json::to_string_pretty(want).unwrap_or_default(),
            serde_json::to_string_pretty(got).unwrap_or_default()
        )
    })
}

/// Runs a case; returns the first mismatch.
/// Sends what follows as the step's `access_key` when it names another than the last one a
/// step named (a step without one after one with one: as the root user again). A
/// PlaygroundUseAccessKey step's own choice lasts until a step names a different key.
fn send_as(engine: &mut Engine, sent_as: &mut Option<String>, step: &Value) {
    let key = step.get("access_key").and_then(Value::as_str).map(str::to_owned);
    if key != *sent_as {
        engine.act_as(key.as_deref());
        *sent_as = key;
    }
}

fn run_case(operation: &str, case: &Value) -> Option<String> {
    let mut sent_as = None;
    let mut engine = Engine::new();
    engine.set_now(ENGINE_TIME_MS);
    for step in golden::steps(case.get("setup").unwrap_or(&json!([]))) {
        if let Some(ms) = step.get("advance_ms").and_then(Value::as_u64) {
            engine.advance(ms);
            continue;
        }
        let op = step["op"].as_str().unwrap_or_default();
        send_as(&mut engine, &mut sent_as, &step);
        if let Err(e) = run(&mut engine, op, &step["request"], step.get("region")) {
            return Some(format!("setup step {op} failed: {e}"));
        }
    }
    send_as(&mut engine, &mut sent_as, case);
    let got = run(&mut engine, operation, &case["request"], case.get("region"));
    if let Some(diff) = check(case, &got) {
        return Some(diff);
    }
    for step in case.get("then").and_then(Value::as_array).into_iter().flatten() {
        if let Some(ms) = step.get("advance_ms").and_then(Value::as_u64) {
            engine.advance(ms);
            continue;
        }
        let op = step["op"].as_str().unwrap_or_default();
        send_as(&mut engine, &mut sent_as, step);
        let got = run(&mut engine, op, &step["request"], step.get("region"));
        if let Some(diff) = check(step, &got) {
            return Some(format!("then-step {op}: {diff}"));
        }
    }
    None
}

#[test]
fn golden_cases() {
    let mut failures = Vec::new();
    let mut passed = 0;
    let mut known = 0;
    for golden::Case { operation, name, case } in golden::cases() {
        let case = match case {
            Ok(case) => case,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let outcome = run_case(&operation, &case);
        match (outcome, case.get("known_failure")) {
            (None, None) => passed += 1,
            (Some(_), Some(_)) => known += 1,
            (Some(diff), None) => failures.push(format!("{name}:\n{diff}")),
            (None, Some(_)) => failures.push(format!("{name}: passes now — remove its known_failure marker")),
        }
    }
    println!("golden: {passed} passed, {known} known failures");
    assert!(passed > 0, "no golden cases found");
    assert!(failures.is_empty(), "{} golden case(s) failed:\n\n{}", failures.len(), failures.join("\n\n"));
}

/// The registry is the list of operations: each has a folder of cases, and each folder is an
/// operation of the registry (a misspelt folder would otherwise run nothing).
#[test]
fn every_operation_has_golden_cases() {
    let mut missing = Vec::new();
    for spec in dynaplay_engine::OPERATIONS {
        let cases = fs::read_dir(golden::dir().join(spec.name))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .count();
        if cases == 0 {
            missing.push(spec.name);
        }
    }
    assert!(missing.is_empty(), "operations without golden cases in tests/golden/<Operation>/: {missing:?}");
    for entry in fs::read_dir(golden::dir()).expect("tests/golden exists").filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && !name.starts_with('_') {
            assert!(dynaplay_engine::operation(&name).is_some(), "tests/golden/{name}/ names no operation");
        }
    }
}
