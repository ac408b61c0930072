//! The page's side of guided labs and "prove it": what the teaching module (`learn/`, loaded on
//! demand as a wasm of its own) asks of the page's engine. A lab's workspace is built here from
//! the steps the teaching module sends and put in front of the learner's (`Host::enter_lab`);
//! its checks read it through `look`, `peekItem` and the log of the requests the learner sent;
//! a question's experiment runs on a scratch engine here, never the learner's workspace; and a
//! request's AWS CLI line is written here (the teaching module links no engine, not even its
//! registry of operations).
//!
//! A lab workspace is rebuilt rather than stored: a fresh engine (engine time 0), the lab's
//! setup, then the "show me" of every step already done. The validator
//! (`scripts/validate-content.sh`) walks labs the same way, so a resumed lab holds what the
//! validator proved — labs that depend on time pause the clock in their setup, so engine time
//! stays where the validator had it.

use dynaplay_engine::Engine;
use dynaplay_teach::script::{self, Exchange, Step};
use serde_json::Value;

/// A lab's workspace: its `setup` (which must succeed: the validator would have refused the
/// lab) and then the `done` steps' requests, whatever they answer, on a fresh engine.
pub fn workspace(setup: &[Step], done: &[Step]) -> Result<Engine, String> {
    let mut engine = Engine::new();
    script::run_clean(&mut engine, setup)?;
    script::run(&mut engine, done);
    Ok(engine)
}

/// An experiment on a scratch engine: the setup (stopping at its first error) and then every
/// step; the steps' log as JSON (`{"log": [...]}`) or the setup's error (`{"error": "..."}`).
pub fn scratch(setup: &[Step], steps: &[Step]) -> Value {
    let mut engine = Engine::new();
    match script::run_clean(&mut engine, setup) {
        Ok(_) => {
            serde_json::json!({ "log": script::run(&mut engine, steps).iter().map(Exchange::to_json).collect::<Vec<_>>() })
        }
        Err(e) => serde_json::json!({ "error": e }),
    }
}

/// Steps as the teaching module sends them: a JSON list of `{"op", "request"}`.
pub fn steps(text: &str) -> Result<Vec<Step>, String> {
    let value: Value = serde_json::from_slice(text.as_bytes()).map_err(|e| e.to_string())?;
    script::steps_from_json(&value, "steps")
}

#[cfg(target_arch = "wasm32")]
pub use page::connect;

#[cfg(target_arch = "wasm32")]
mod page {
    use js_sys::Object;
    use serde_json::{json, Value};
    use wasm_bindgen::prelude::*;

    use super::{scratch, steps, workspace};
    use crate::host::js_api::set;
    use crate::host::Host;
    use crate::ui::codegen::{self, Language};
    use dynaplay_teach::script;

    /// A result as the teaching module reads it: `{"ok": …}` or `{"error": "…"}` (JSON text).
    fn answer(result: Option<Result<Value, String>>) -> JsValue {
        match result {
            Some(Ok(value)) => json!({ "ok": value }),
            Some(Err(e)) => json!({ "error": e }),
            None => json!({ "error": "no lab is running" }),
        }
        .to_string()
        .into()
    }

    fn json_of(text: &str) -> Value {
        serde_json::from_slice(text.as_bytes()).unwrap_or(Value::Null)
    }

    /// Builds a lab's workspace from `{"setup": [...], "done": [...]}` and puts it in front:
    /// nothing when done, `"busy"` while the learner's own writes wait for their commit (their
    /// engine must not step aside before; the caller asks again), else the error.
    fn enter(host: &Host, id: &str, text: &str) -> JsValue {
        let lists = json_of(text);
        let read = |name: &str| script::steps_from_json(&lists[name], name);
        let built = read("setup")
            .and_then(|setup| Ok((setup, read("done")?)))
            .and_then(|(setup, done)| workspace(&setup, &done));
        match built {
            Err(e) => format!("The lab's workspace could not be built: {e}").into(),
            Ok(engine) => match host.enter_lab(Box::new(engine), id) {
                Ok(()) => {
                    host.clear_lab_log();
                    JsValue::UNDEFINED
                }
                Err(_) => "busy".into(),
            },
        }
    }

    /// Adds `lab(command, a, b)` to the `core` object `js/dynaplay.js` hands the teaching
    /// module: one function for every command, so the page's wasm carries one closure.
    pub fn connect(core: &Object, host: &Host) {
        let h = host.clone();
        let lab = Closure::<dyn Fn(String, String, String) -> JsValue>::new(
            move |command: String, a: String, b: String| match command.as_str() {
                "enter" => enter(&h, &a, &b),
                "leave" => {
                    h.leave_lab();
                    JsValue::UNDEFINED
                }
                "id" => h.lab_id().map_or(JsValue::UNDEFINED, JsValue::from),
                "log" => h.lab_log().to_string().into(),
                "clear" => {
                    h.clear_lab_log();
                    JsValue::UNDEFINED
                }
                "look" => answer(h.lab_look(&a, json_of(&b))),
                "peek" => {
                    answer(h.lab_peek(&a, &json_of(&b)).map(|r| r.map(|item| item.unwrap_or(Value::Null))))
                }
                // The same in another Region: `a` names it, `b` is `{op, request}` / `{table, key}`.
                "look-in" => {
                    let asked = json_of(&b);
                    let op = asked.get("op").and_then(Value::as_str).unwrap_or_default();
                    answer(h.lab_look_in(Some(&a), op, asked.get("request").cloned().unwrap_or(Value::Null)))
                }
                "peek-in" => {
                    let asked = json_of(&b);
                    let table = asked.get("table").and_then(Value::as_str).unwrap_or_default();
                    let key = asked.get("key").cloned().unwrap_or(Value::Null);
                    answer(
                        h.lab_peek_in(Some(&a), table, &key)
                            .map(|r| r.map(|item| item.unwrap_or(Value::Null))),
                    )
                }
                "cli" => codegen::generate(Language::AwsCli, &a, &json_of(&b))
                    .map_or(JsValue::UNDEFINED, JsValue::from),
                "scratch" => match steps(&a).and_then(|setup| Ok((setup, steps(&b)?))) {
                    Ok((setup, steps)) => scratch(&setup, &steps).to_string().into(),
                    Err(e) => json!({ "error": e }).to_string().into(),
                },
                _ => JsValue::UNDEFINED,
            },
        );
        set(core, "lab", lab.as_ref());
        lab.forget();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dynaplay_teach::lab::Lab;
    use serde_json::json;

    fn lab() -> Lab {
        let text = std::fs::read("../static/labs/first-table.json").unwrap();
        Lab::from_json(&serde_json::from_slice(&text).unwrap()).unwrap()
    }

    fn done(lab: &Lab, n: usize) -> Vec<Step> {
        lab.steps.iter().take(n).flat_map(|s| s.show_me.iter().cloned()).collect()
    }

    #[test]
    fn a_workspace_holds_setup_and_the_steps_done() {
        let lab = lab();
        let mut fresh = workspace(&lab.setup, &done(&lab, 0)).unwrap();
        let tables = fresh.handle_json("ListTables", json!({})).unwrap();
        assert_eq!(tables["TableNames"], json!([]), "first-table starts empty");
        let mut two = workspace(&lab.setup, &done(&lab, 2)).unwrap();
        let table = two.handle_json("DescribeTable", json!({"TableName": "Music"})).unwrap();
        assert_eq!(table["Table"]["ItemCount"], 3, "steps 1 and 2 created Music and its songs");
        // The next step's check refuses until the learner acts, then passes.
        let check = &lab.steps[2].check;
        assert!(check.evaluate(&mut two, &[]).is_err());
        let log = script::run(&mut two, &lab.steps[2].show_me);
        assert!(check.evaluate(&mut two, &log).is_ok());
    }

    #[test]
    fn scratch_runs_an_experiment_or_names_the_setup_step_that_failed() {
        let create = r#"[{"op": "CreateTable", "request": {"TableName": "Tab", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}}]"#;
        let get = r#"[{"op": "GetItem", "request": {"TableName": "Tab", "Key": {"pk": {"S": "a"}}, "ReturnConsumedCapacity": "TOTAL"}}]"#;
        let ran = scratch(&steps(create).unwrap(), &steps(get).unwrap());
        assert_eq!(ran["log"][0]["response"]["ConsumedCapacity"]["CapacityUnits"], json!(0.5), "{ran}");
        let twice = [steps(create).unwrap(), steps(create).unwrap()].concat();
        let failed = scratch(&twice, &[]);
        assert!(failed["error"].as_str().unwrap().contains("ResourceInUseException"), "{failed}");
        assert!(steps("{").is_err() && steps(r#"[{"request": {}}]"#).is_err());
    }
}
