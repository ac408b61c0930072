//! Lambda-style triggers on a table's stream, in the page: the registry of attached triggers
//! (which keeps running while another table is open), the [`Runtime`] that connects the
//! platform-free event source mapping ([`super::event_source`]) to the host and to Web Workers
//! in the trigger sandbox (`js/trigger.js`, `static/sandbox.html`), and saving and restoring
//! triggers with the workspace. A trigger's log lives in memory only, at most
//! [`lambda::MAX_LOG_LINES`] lines of [`lambda::LOG_LINE_CHARS`] characters, and so does its
//! failed-event destination — the invocation records of the batches it discarded, at most
//! [`MAX_FAILED`], standing in for the SQS queue or SNS topic of a real on-failure destination.
//! The panel that shows them is drawn by the module loaded on demand
//! (`learn/trigger_panel.rs`), which asks the page through `core.triggers` ([`connect`]).
//!
//! A trigger is saved in IndexedDB (the `triggers` store) when it is attached, after every
//! batch (its position in the shard) and when its code changes; detaching removes it. After a
//! reload the host hands the stored triggers back ([`Host::take_stored_triggers`]) and
//! [`restore`] restarts them where they stopped. In `?storage=memory` they live in memory only.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::error_handling::ErrorHandling;
use super::event_source::{self, LocalFuture, Mapping, Runtime, TriggerConfig};
use super::lambda;
pub use super::view::{FailedBatch, LogLine, TriggerView};
use crate::fixed::seconds;
use crate::host::{Host, Mode};

#[wasm_bindgen(module = "/js/trigger.js")]
extern "C" {
    #[wasm_bindgen(js_name = newRunner)]
    fn new_runner(max: u32) -> JsValue;
    #[wasm_bindgen(js_name = stopRunner)]
    fn stop_runner(runner: &JsValue);
    fn invoke(runner: &JsValue, code: &str, event: &str, timeout_ms: u32) -> js_sys::Promise;
    #[wasm_bindgen(js_name = sleep)]
    fn sleep_promise(ms: u32) -> js_sys::Promise;
}

/// Waits `ms` milliseconds.
async fn sleep(ms: u32) {
    let _ = JsFuture::from(sleep_promise(ms)).await;
}

/// Most workers one trigger runs at once: one invocation per shard, as Lambda does, but a page
/// cannot host a worker for each of hundreds of shards; more ready shards wait their turn.
const MAX_WORKERS: u32 = 8;

/// Invocation records a trigger's failed-event destination keeps (the oldest go first).
pub const MAX_FAILED: usize = 100;

struct Trigger {
    mapping: Rc<RefCell<Mapping>>,
    generation: u64,
    runner: JsValue,
    status: String,
    failing: bool,
    invocations: u64,
    failures: u64,
    log: VecDeque<LogLine>,
    failed: VecDeque<FailedBatch>,
}

/// A re-render callback of a mounted panel, by id.
type Listener = (u64, Rc<dyn Fn()>);

thread_local! {
    /// The attached triggers by table name (a list: a workspace has a few).
    static TRIGGERS: RefCell<Vec<(String, Trigger)>> = const { RefCell::new(Vec::new()) };
    static LISTENERS: RefCell<Vec<Listener>> = const { RefCell::new(Vec::new()) };
    static SERIAL: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// The trigger of `table` in `list`.
fn find<'a>(list: &'a [(String, Trigger)], table: &str) -> Option<&'a Trigger> {
    list.iter().find(|(name, _)| name == table).map(|(_, tr)| tr)
}

/// The trigger of `table` in `list`, to change.
fn find_mut<'a>(list: &'a mut [(String, Trigger)], table: &str) -> Option<&'a mut Trigger> {
    list.iter_mut().find(|(name, _)| name == table).map(|(_, tr)| tr)
}

fn next_serial() -> u64 {
    SERIAL.with(|s| {
        s.set(s.get() + 1);
        s.get()
    })
}

fn notify() {
    let listeners: Vec<_> = LISTENERS.with(|l| l.borrow().iter().map(|(_, f)| f.clone()).collect());
    for f in listeners {
        f();
    }
}

/// Applies `edit` to the trigger of `table` if it is still generation `generation`.
fn with_trigger<R>(table: &str, generation: u64, edit: impl FnOnce(&mut Trigger) -> R) -> Option<R> {
    let r = TRIGGERS
        .with(|t| find_mut(&mut t.borrow_mut(), table).filter(|tr| tr.generation == generation).map(edit));
    if r.is_some() {
        notify();
    }
    r
}

fn push_log(t: &mut Trigger, level: &str, text: String) {
    t.log.push_back(LogLine { level: level.into(), text });
    while t.log.len() > lambda::MAX_LOG_LINES {
        t.log.pop_front();
    }
}

/// The page's side of one running trigger.
struct WebRuntime {
    host: Host,
    table: String,
    generation: u64,
    /// The host's workspace epoch when the trigger started: a reset, an import or a reload
    /// from storage ends it (the restarted trigger takes over).
    epoch: u64,
    runner: JsValue,
}

impl Runtime for WebRuntime {
    fn send(&self, operation: &'static str, request: Value) -> LocalFuture<'_, Result<Value, Value>> {
        Box::pin(async move { self.host.send_here(operation, &request).await })
    }

    fn invoke(&self, code: String, event: String, timeout_ms: u32) -> LocalFuture<'_, Value> {
        let promise = invoke(&self.runner, &code, &event, timeout_ms);
        Box::pin(async move {
            JsFuture::from(promise)
                .await
                .ok()
                .and_then(|a| a.as_string())
                .and_then(|s| serde_json::from_slice(s.as_bytes()).ok())
                .unwrap_or(Value::Null)
        })
    }

    fn sleep(&self, ms: u32) -> LocalFuture<'_, ()> {
        Box::pin(sleep(ms))
    }

    fn now_ms(&self) -> u64 {
        js_sys::Date::now() as u64
    }

    fn spawn(&self, task: LocalFuture<'static, ()>) {
        yew::platform::spawn_local(task);
    }

    fn save(&self, mapping: &Mapping) -> LocalFuture<'_, ()> {
        let promise = if self.alive() {
            self.host.save_trigger(&self.table, Some(mapping.to_json(&self.table)))
        } else {
            None
        };
        Box::pin(async move {
            if let Some(promise) = promise {
                if JsFuture::from(promise).await.is_err() {
                    self.log("warn", "the trigger's position could not be saved".into());
                }
            }
        })
    }

    fn alive(&self) -> bool {
        self.host.epoch() == self.epoch
            && TRIGGERS
                .with(|t| find(&t.borrow(), &self.table).is_some_and(|tr| tr.generation == self.generation))
    }

    fn log(&self, level: &str, text: String) {
        with_trigger(&self.table, self.generation, |t| push_log(t, level, text));
    }

    fn status(&self, text: String, failing: bool) {
        with_trigger(&self.table, self.generation, |t| {
            t.status = text;
            t.failing = failing;
        });
    }

    fn invoked(&self, ok: bool) {
        with_trigger(&self.table, self.generation, |t| {
            t.invocations += 1;
            t.failures += u64::from(!ok);
        });
    }

    fn discarded(&self, summary: String, record: String, error: String) {
        let batch = FailedBatch { summary, error, record };
        with_trigger(&self.table, self.generation, |t| {
            t.failed.push_back(batch);
            if t.failed.len() > MAX_FAILED {
                t.failed.pop_front();
            }
        });
    }
}

/// Starts (or replaces) the trigger of `table` from `mapping`, with `first` as its first log
/// line.
fn start(host: &Host, table: &str, mapping: Mapping, first: String) {
    stop(table);
    let generation = next_serial();
    let runner = new_runner(MAX_WORKERS);
    let mapping = Rc::new(RefCell::new(mapping));
    TRIGGERS.with(|t| {
        t.borrow_mut().push((
            table.to_string(),
            Trigger {
                mapping: mapping.clone(),
                generation,
                runner: runner.clone(),
                status: "starting".into(),
                failing: false,
                invocations: 0,
                failures: 0,
                log: VecDeque::from([LogLine { level: "system".into(), text: first }]),
                failed: VecDeque::new(),
            },
        ))
    });
    notify();
    let rt = Rc::new(WebRuntime {
        host: host.clone(),
        table: table.to_string(),
        generation,
        epoch: host.epoch(),
        runner,
    });
    yew::platform::spawn_local(event_source::run(rt, table.to_string(), mapping));
}

/// Stops the trigger of `table` (not saved: the caller decides what storage says).
fn stop(table: &str) {
    if let Some(old) = TRIGGERS.with(|t| {
        let mut t = t.borrow_mut();
        let at = t.iter().position(|(name, _)| name == table)?;
        Some(t.remove(at).1)
    }) {
        stop_runner(&old.runner);
    }
}

fn save(host: &Host, table: &str, state: Option<String>) {
    if let Some(promise) = host.save_trigger(table, state) {
        yew::platform::spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}

/// Attaches (or replaces) the trigger of `table`, saves it and starts its poller.
pub fn attach(host: &Host, table: &str, config: TriggerConfig) {
    let first = format!(
        "Trigger attached: batch size {}, starting position {}, timeout {} s; {}",
        config.batch_size,
        config.starting_position,
        seconds(u64::from(config.timeout_ms)),
        config.error_handling.summary()
    );
    let mapping = Mapping::new(config);
    save(host, table, Some(mapping.to_json(table)));
    start(host, table, mapping, first);
}

/// Detaches the trigger of `table`: its tasks stop at their next step, a running invocation's
/// worker is terminated, and it is removed from storage.
pub fn detach(host: &Host, table: &str) {
    stop(table);
    save(host, table, None);
    notify();
}

/// Replaces the handler's code of a running trigger (the next invocation, retries included,
/// runs the new code; the stream positions are kept, as when a Lambda function is updated).
pub fn update_code(host: &Host, table: &str, code: String) {
    let saved = TRIGGERS.with(|t| {
        let mut t = t.borrow_mut();
        let tr = find_mut(&mut t, table)?;
        tr.mapping.borrow_mut().config.code = code;
        push_log(tr, "system", "Handler code updated".into());
        let json = tr.mapping.borrow().to_json(table);
        Some(json)
    });
    if let Some(json) = saved {
        save(host, table, Some(json));
    }
    notify();
}

/// Changes the error handling of a running trigger, as UpdateEventSourceMapping does: the
/// positions are kept and a batch being retried meets the new settings at its next attempt.
pub fn update_error_handling(host: &Host, table: &str, handling: ErrorHandling) {
    let saved = TRIGGERS.with(|t| {
        let mut t = t.borrow_mut();
        let tr = find_mut(&mut t, table)?;
        push_log(tr, "system", format!("Error handling updated: {}", handling.summary()));
        tr.mapping.borrow_mut().config.error_handling = handling;
        let json = tr.mapping.borrow().to_json(table);
        Some(json)
    });
    if let Some(json) = saved {
        save(host, table, Some(json));
    }
    notify();
}

/// Restarts the triggers from what the host loaded, when it has loaded something since the
/// last call (the page opened, this tab took over the workspace, a failed write was rolled
/// back, or reset/import removed them all). Only the tab that owns the workspace runs them.
pub fn restore(host: &Host) {
    let Some(stored) = host.take_stored_triggers() else { return };
    let tables: Vec<String> = TRIGGERS.with(|t| t.borrow().iter().map(|(name, _)| name.clone()).collect());
    for table in tables {
        stop(&table);
    }
    if matches!(host.mode(), Mode::Owner | Mode::Memory) {
        for text in stored {
            if let Some((table, mapping)) = Mapping::from_json(&text) {
                let resumed = mapping.positions.len();
                start(
                    host,
                    &table,
                    mapping,
                    format!("Trigger restored from the saved workspace: resuming after the last processed record ({resumed} shard position(s) saved)"),
                );
            }
        }
    }
    notify();
}

/// The trigger of `table`, if one is attached.
pub fn view(table: &str) -> Option<TriggerView> {
    TRIGGERS.with(|t| {
        find(&t.borrow(), table).map(|tr| TriggerView {
            config: tr.mapping.borrow().config.clone(),
            status: tr.status.clone(),
            failing: tr.failing,
            invocations: tr.invocations,
            failures: tr.failures,
            log: tr.log.iter().cloned().collect(),
            failed: tr.failed.iter().cloned().collect(),
        })
    })
}

/// Empties the log of the trigger of `table`.
pub fn clear_log(table: &str) {
    TRIGGERS.with(|t| {
        if let Some(tr) = find_mut(&mut t.borrow_mut(), table) {
            tr.log.clear();
        }
    });
    notify();
}

/// Calls `listener` after every change to any trigger (status, log, attach, detach) until
/// [`unsubscribe`] is called with the id returned.
pub fn subscribe(listener: Rc<dyn Fn()>) -> u64 {
    let id = next_serial();
    LISTENERS.with(|l| l.borrow_mut().push((id, listener)));
    id
}

/// Stops calling the listener [`subscribe`] returned `id` for.
pub fn unsubscribe(id: u64) {
    LISTENERS.with(|l| l.borrow_mut().retain(|(i, _)| *i != id));
}

/// Why a trigger of this page runs, or cannot: where it is kept, by the workspace's mode (or
/// that requests go to an endpoint, where no trigger runs).
fn kept(host: &Host, away: bool) -> &'static str {
    match host.mode() {
        _ if away => {
            "Triggers run on this browser's workspace: unavailable while requests go to an endpoint."
        }
        Mode::Owner => {
            "Saved with the workspace in this browser: after a reload it resumes after the last record it \
             processed. Export files and share links do not carry trigger code."
        }
        Mode::Memory => "In memory only (this page keeps nothing): a reload detaches it.",
        Mode::ReadOnly => "Triggers run in the tab that owns this workspace; this tab is read-only.",
        Mode::Failed(_) => "Not saved: this browser's storage is unavailable, so a reload detaches it.",
    }
}

/// One command of the trigger panel (in the module loaded on demand) for `table`, with `arg`:
/// `view` → `{"Trigger": TriggerView | null, "Kept": text, "MayAttach": bool}`; `attach`
/// (`arg`: the settings as [`TriggerConfig::to_json`] writes them), `code` (`arg`: the
/// handler), `handling` (`arg`: the error handling, under the same names), `detach`, `clear`
/// → `""`, or what is wrong with `arg`.
pub fn command(host: &Host, command: &str, table: &str, arg: &str) -> String {
    let settings = || serde_json::from_slice::<Value>(arg.as_bytes()).unwrap_or_default();
    match command {
        "view" => {
            let away = host.endpoint().is_some_and(|e| e.forwards());
            let trigger = view(table).filter(|_| !away).map(|v| v.to_json());
            let may_attach = host.mode() != Mode::ReadOnly && !away;
            serde_json::json!({"Trigger": trigger, "Kept": kept(host, away), "MayAttach": may_attach})
                .to_string()
        }
        "attach" => match TriggerConfig::from_json(&settings()) {
            Some(config) => {
                attach(host, table, config);
                String::new()
            }
            None => "the trigger's settings are not valid".into(),
        },
        "code" => {
            update_code(host, table, arg.to_owned());
            String::new()
        }
        "handling" => match ErrorHandling::load(&settings()) {
            Some(handling) => {
                update_error_handling(host, table, handling);
                String::new()
            }
            None => "the error handling is not valid".into(),
        },
        "detach" => {
            detach(host, table);
            String::new()
        }
        "clear" => {
            clear_log(table);
            String::new()
        }
        _ => format!("no trigger command {command}"),
    }
}

#[wasm_bindgen(module = "/js/dynaplay.js")]
extern "C" {
    /// Tells a mounted on-demand module that a trigger changed (status, log, attach, detach).
    #[wasm_bindgen(js_name = learnTriggersChanged)]
    fn learn_triggers_changed();
}

/// Gives the page's `core` its `triggers(command, table, arg)` ([`command`]) and tells the
/// module loaded on demand of every change to a trigger.
pub fn connect(core: &js_sys::Object, host: &Host) {
    let h = host.clone();
    let triggers = Closure::<dyn Fn(String, String, String) -> String>::new(
        move |c: String, table: String, arg: String| command(&h, &c, &table, &arg),
    );
    crate::host::js_api::set(core, "triggers", triggers.as_ref());
    triggers.forget();
    subscribe(Rc::new(learn_triggers_changed));
}
