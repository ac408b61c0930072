//! The teaching module's way to the page: the object `js/dynaplay.js` hands [`super::mount`]
//! (the page's `core` functions, `host::js_api` and `host::lab`). Requests go to whichever
//! workspace is in front — the learner's own or a lab's — exactly as the forms' do; checks and
//! experiments run in the page's engine (this wasm has none of its own).

use std::rc::Rc;

use dynaplay_teach::check::{Check, Refusal, Workspace};
use dynaplay_teach::question::{Proof, Prove};
use dynaplay_teach::script::{Exchange, Step};
use dynaplay_web::host::endpoint::Endpoint;
use js_sys::Promise;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// The page's functions, as `js/dynaplay.js` (`learnBridge`) hands them over.
    pub type Bridge;
    /// One request, as the forms send it: the response's JSON text, or the error's. `region`:
    /// the Region it is sent to (a global table's replica there); `None`: the engine's own.
    #[wasm_bindgen(method)]
    fn send(this: &Bridge, operation: &str, body: &str, region: Option<String>) -> Promise;
    /// The engine's id of the request just run, when it consumed capacity ("why?").
    #[wasm_bindgen(method, js_name = lastRequestId)]
    fn last_request_id(this: &Bridge) -> Option<String>;
    /// The registry's request schemas for the AWS CLI parser (`cli::Registry::to_json`).
    #[wasm_bindgen(method, js_name = cliRegistry)]
    fn cli_registry(this: &Bridge) -> String;
    /// `host::lab`'s commands: `leave`, `id`, `log`, `clear`, `look`, `peek`, `look-in`,
    /// `peek-in`, `cli`, `scratch`.
    #[wasm_bindgen(method)]
    fn lab(this: &Bridge, command: &str, a: &str, b: &str) -> JsValue;
    /// The workspace in front, exported (`host::js_api`'s `exportWorkspace`).
    #[wasm_bindgen(method, js_name = exportWorkspace)]
    fn export_workspace(this: &Bridge) -> String;
    /// The workspaces' list and their actions (`js/dynaplay.js`).
    #[wasm_bindgen(method, js_name = workspacesText)]
    pub fn workspaces_text(this: &Bridge) -> String;
    #[wasm_bindgen(method, js_name = createWorkspace)]
    pub fn create_workspace(this: &Bridge, name: &str) -> String;
    #[wasm_bindgen(method, js_name = renameWorkspace)]
    pub fn rename_workspace(this: &Bridge, id: &str, name: &str);
    #[wasm_bindgen(method, js_name = deleteWorkspace)]
    pub fn delete_workspace(this: &Bridge, id: &str) -> Promise;
    #[wasm_bindgen(method, js_name = openWorkspace, catch)]
    pub fn open_workspace(this: &Bridge, id: &str, text: Option<String>) -> Result<(), JsValue>;
    /// Connects the page to an endpoint (`{endpoint, region, accessKeyId, …}` as JSON text):
    /// resolves once it answers, rejects with the reason as text.
    #[wasm_bindgen(method)]
    fn connect(this: &Bridge, options: &str) -> Promise;
    /// Sends requests to the page's engine again.
    #[wasm_bindgen(method)]
    fn disconnect(this: &Bridge);
    /// The page's last report of where requests go (`host::endpoint::Endpoint`'s JSON), or "".
    #[wasm_bindgen(method)]
    fn endpoint(this: &Bridge) -> String;
    /// A trigger command for a table (`triggers::registry::command`): its answer as text.
    #[wasm_bindgen(method)]
    fn triggers(this: &Bridge, command: &str, table: &str, arg: &str) -> String;
    /// Puts a lab's workspace in front, once the learner's writes are committed.
    #[wasm_bindgen(method, js_name = enterLab)]
    fn enter_lab(this: &Bridge, id: &str, steps: &str) -> Promise;
    /// Whether the page runs its full engine, with global tables and DAX (`host::engines`).
    #[wasm_bindgen(method, js_name = fullEngine)]
    fn full_engine(this: &Bridge) -> bool;
    /// The page's latest requests (`host::history`, full engine only) as JSON text.
    #[wasm_bindgen(method, js_name = requestHistory)]
    fn request_history(this: &Bridge) -> String;
    /// The full engine's download size, as words ("540 KB"); "" when the build did not measure it.
    #[wasm_bindgen(method, js_name = fullEngineSize)]
    fn full_engine_size(this: &Bridge) -> String;
    /// Loads the full engine: the page reloads once the learner's writes are committed.
    #[wasm_bindgen(method, js_name = useFullEngine)]
    fn use_full_engine(this: &Bridge);
    /// Sends a dataset document's requests as the welcome view's datasets are loaded (a table
    /// that exists refuses the whole load; throttled batches are retried): the outcome's JSON
    /// text, or the error's message.
    #[wasm_bindgen(method, js_name = loadDataset)]
    fn load_dataset(this: &Bridge, text: &str) -> Promise;
}

/// The page, shared by the teaching views.
#[derive(Clone)]
pub struct Page(Rc<Bridge>);

impl PartialEq for Page {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

fn parse(text: &str) -> Value {
    serde_json::from_slice(text.as_bytes()).unwrap_or(Value::Null)
}

/// `{"ok": …}` or `{"error": "…"}`, as `host::lab` answers.
fn answer(text: &str) -> Result<Value, String> {
    let mut value = parse(text);
    match value.get_mut("ok") {
        Some(ok) => Ok(ok.take()),
        None => Err(value["error"].as_str().unwrap_or("no answer").to_owned()),
    }
}

fn steps_text(steps: &[Step]) -> String {
    Value::Array(steps.iter().map(Step::to_json).collect()).to_string()
}

impl Page {
    /// The page as `js/dynaplay.js` handed it over.
    pub fn new(bridge: Bridge) -> Page {
        Page(Rc::new(bridge))
    }

    /// A lab command whose answer is text.
    fn text(&self, command: &str, a: &str, b: &str) -> String {
        self.0.lab(command, a, b).as_string().unwrap_or_default()
    }

    /// Runs one request on the workspace in front; the error is DynamoDB's error body.
    pub async fn send(&self, operation: &str, request: &Value) -> Result<Value, Value> {
        self.send_in(None, operation, request).await
    }

    /// [`Page::send`] to `region` (`None`: the engine's own).
    pub async fn send_in(
        &self,
        region: Option<&str>,
        operation: &str,
        request: &Value,
    ) -> Result<Value, Value> {
        let sent = self.0.send(operation, &request.to_string(), region.map(str::to_owned));
        match JsFuture::from(sent).await {
            Ok(text) => Ok(parse(&text.as_string().unwrap_or_default())),
            Err(text) => Err(parse(&text.as_string().unwrap_or_default())),
        }
    }

    /// [`Page::send`], with the engine's id of the request (read as the engine runs it, before
    /// any other request can).
    pub async fn send_traced(
        &self,
        operation: &str,
        request: &Value,
    ) -> (Result<Value, Value>, Option<String>) {
        let sent = self.0.send(operation, &request.to_string(), None);
        let id = self.0.last_request_id();
        let answer = match JsFuture::from(sent).await {
            Ok(text) => Ok(parse(&text.as_string().unwrap_or_default())),
            Err(text) => Err(parse(&text.as_string().unwrap_or_default())),
        };
        (answer, id)
    }

    /// The registry's request schemas, for the AWS CLI parser.
    pub fn cli_registry(&self) -> Value {
        parse(&self.0.cli_registry())
    }

    /// Puts a lab's workspace (its setup, then the requests of the steps done) in front of the
    /// learner's own, once the learner's writes are committed; starts its log.
    pub async fn enter_lab(&self, id: &str, setup: &[Step], done: &[Step]) -> Result<(), String> {
        let steps = format!(r#"{{"setup":{},"done":{}}}"#, steps_text(setup), steps_text(done));
        let entered = self.0.enter_lab(id, &steps);
        JsFuture::from(entered).await.map(|_| ()).map_err(|e| e.as_string().unwrap_or_default())
    }

    /// The request as an AWS CLI line (the page's `ui::codegen`, which knows each operation's
    /// service from the engine's registry); `None` for a playground operation.
    pub fn aws_cli(&self, operation: &str, request: &Value) -> Option<String> {
        self.0.lab("cli", operation, &request.to_string()).as_string()
    }

    /// Connects the page to an endpoint (see [`Bridge`]'s `connect`).
    pub fn connect(&self, options: &str) -> Promise {
        self.0.connect(options)
    }

    /// Whether the page runs its full engine (global tables, DAX).
    pub fn full_engine(&self) -> bool {
        self.0.full_engine()
    }

    /// The page's latest requests, newest first (`host::history`; empty in the small engine):
    /// `[{Operation, Request, Count, Region?, ActingAs?, Error?}]`.
    pub fn request_history(&self) -> Value {
        serde_json::from_slice(self.0.request_history().as_bytes()).unwrap_or_default()
    }

    /// The full engine's download size in words, or "".
    pub fn full_engine_size(&self) -> String {
        self.0.full_engine_size()
    }

    /// Loads the full engine (the page reloads).
    pub fn use_full_engine(&self) {
        self.0.use_full_engine();
    }

    /// Disconnects the page from its endpoint.
    pub fn disconnect(&self) {
        self.0.disconnect()
    }

    /// The endpoint the page's requests go to, if any: none while a lab's workspace is in
    /// front, which is always the page's (`Host::endpoint`).
    pub fn endpoint(&self) -> Option<Endpoint> {
        Endpoint::from_json(&self.0.endpoint()).filter(|_| self.lab_id().is_none())
    }

    /// A trigger command for `table` in the page (`triggers::registry::command`): `""` when
    /// done, the view's JSON for `view`, or what was wrong.
    pub fn triggers(&self, command: &str, table: &str, arg: &str) -> String {
        self.0.triggers(command, table, arg)
    }

    /// What the trigger panel shows of `table`'s trigger: the trigger (if one is attached and
    /// shown), where it is kept, and whether one may be attached here.
    pub fn trigger_view(
        &self,
        table: &str,
    ) -> (Option<dynaplay_web::triggers::view::TriggerView>, String, bool) {
        let v = parse(&self.triggers("view", table, ""));
        let trigger = dynaplay_web::triggers::view::TriggerView::from_json(&v["Trigger"]);
        (trigger, v["Kept"].as_str().unwrap_or_default().to_owned(), v["MayAttach"] == true)
    }

    /// The page's functions themselves (the workspaces' list and actions are used as they are).
    pub fn bridge(&self) -> &Bridge {
        &self.0
    }

    /// The workspace in front as an export document (JSON text).
    pub fn export_workspace(&self) -> String {
        self.0.export_workspace()
    }

    /// Brings the learner's own workspace back.
    pub fn leave_lab(&self) {
        self.0.lab("leave", "", "");
    }

    /// The lab whose workspace is in front, if any.
    pub fn lab_id(&self) -> Option<String> {
        self.0.lab("id", "", "").as_string()
    }

    /// Starts a new step's log.
    pub fn clear_lab_log(&self) {
        self.0.lab("clear", "", "");
    }

    /// A step's check on the lab workspace and the requests sent since the step began; `None`
    /// when no lab is in front.
    pub fn lab_check(&self, check: &Check) -> Option<Result<(), Refusal>> {
        self.lab_id()?;
        let log = match parse(&self.text("log", "", "")) {
            Value::Array(list) => list.iter().filter_map(Exchange::from_json).collect(),
            _ => Vec::new(),
        };
        Some(check.evaluate(&mut LabWorkspace(self), &log))
    }

    /// The items of `table` in the workspace, in DynamoDB JSON, read from the workspace's export
    /// (no Scan: an export, like DynamoDB's, consumes no capacity).
    pub fn table_items(&self, table: &str) -> Vec<Value> {
        let mut document = parse(&self.0.export_workspace());
        let Some(tables) = document.get_mut("tables").and_then(Value::as_array_mut) else {
            return Vec::new();
        };
        tables
            .iter_mut()
            .find(|t| t.get("TableName").and_then(Value::as_str) == Some(table))
            .and_then(|t| t.get_mut("Items"))
            .and_then(|items| items.as_array_mut())
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// Loads a dataset document into the workspace in front: its outcome, or the error's message.
    pub async fn load_dataset(&self, dataset: &Value) -> Result<Value, String> {
        match JsFuture::from(self.0.load_dataset(&dataset.to_string())).await {
            Ok(text) => Ok(parse(&text.as_string().unwrap_or_default())),
            Err(e) => Err(e.as_string().unwrap_or_else(|| "the load failed".into())),
        }
    }

    /// Runs `steps` on a scratch engine of the page's (never the workspace): every exchange,
    /// errors included.
    pub fn scratch(&self, steps: &[Step]) -> Result<Vec<Exchange>, String> {
        let ran = parse(&self.text("scratch", "[]", &steps_text(steps)));
        match ran.get("log") {
            Some(Value::Array(list)) => Ok(list.iter().filter_map(Exchange::from_json).collect()),
            _ => Err(ran["error"].as_str().unwrap_or("the dry run did not run").to_owned()),
        }
    }

    /// A question's experiment, run on a scratch engine of the page's.
    pub fn prove(&self, prove: &Prove) -> Result<Proof, String> {
        prove.run_with(|setup, steps| {
            let ran = parse(&self.text("scratch", &steps_text(setup), &steps_text(steps)));
            match ran.get("log") {
                Some(Value::Array(list)) => Ok(list.iter().filter_map(Exchange::from_json).collect()),
                _ => Err(ran["error"].as_str().unwrap_or("the experiment did not run").to_owned()),
            }
        })
    }
}

/// The lab workspace, as a check reads it through the page.
struct LabWorkspace<'a>(&'a Page);

impl Workspace for LabWorkspace<'_> {
    fn look(&mut self, op: &str, request: Value) -> Result<Value, String> {
        answer(&self.0.text("look", op, &request.to_string()))
    }

    fn peek_item(&mut self, table: &str, key: &Value) -> Result<Option<Value>, String> {
        answer(&self.0.text("peek", table, &key.to_string())).map(|item| Some(item).filter(|i| !i.is_null()))
    }

    fn look_in(&mut self, region: &str, op: &str, request: Value) -> Result<Value, String> {
        let asked = serde_json::json!({"op": op, "request": request});
        answer(&self.0.text("look-in", region, &asked.to_string()))
    }

    fn peek_item_in(&mut self, region: &str, table: &str, key: &Value) -> Result<Option<Value>, String> {
        let asked = serde_json::json!({"table": table, "key": key});
        answer(&self.0.text("peek-in", region, &asked.to_string()))
            .map(|item| Some(item).filter(|i| !i.is_null()))
    }
}
