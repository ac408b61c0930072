//! Lambda-style triggers on a table's stream, in the page: the registry of attached triggers
//! (which keeps running while another table is open), the [`Runtime`] that connects the
//! platform-free event source mapping (`event_source.rs`) to the host and to sandboxed Web
//! Workers (`js/trigger.js`), saving and restoring triggers with the workspace, and the panel
//! with the editor, the status and the log.
//!
//! A trigger is saved in IndexedDB (the `triggers` store) when it is attached, after every
//! batch (its position in the shard) and when its code changes; detaching removes it. After a
//! reload the host hands the stored triggers back ([`Host::take_stored_triggers`]) and
//! [`restore`] restarts them where they stopped. In `?storage=memory` they live in memory only.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::app::use_host;
use crate::components::value_of;
use crate::event_source::{self, LocalFuture, Mapping, Runtime, TriggerConfig};
use crate::fixed::seconds;
use crate::host::{Host, Mode};
use crate::lambda;

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
pub async fn sleep(ms: u32) {
    let _ = JsFuture::from(sleep_promise(ms)).await;
}

/// Most log lines a trigger keeps.
const MAX_LOG: usize = 400;
/// Most workers one trigger runs at once: one invocation per shard, as Lambda does, but a page
/// cannot host a worker for each of hundreds of shards; more ready shards wait their turn.
const MAX_WORKERS: u32 = 8;

/// One line of a trigger's log.
#[derive(Clone, PartialEq)]
pub struct LogLine {
    /// `log`, `info`, `warn`, `error`, `debug` (from the handler) or `system` (the runner).
    pub level: String,
    /// The text.
    pub text: String,
}

struct Trigger {
    mapping: Rc<RefCell<Mapping>>,
    generation: u64,
    runner: JsValue,
    status: String,
    failing: bool,
    invocations: u64,
    failures: u64,
    log: VecDeque<LogLine>,
}

/// A re-render callback of a mounted panel, by id.
type Listener = (u64, Rc<dyn Fn()>);

thread_local! {
    static TRIGGERS: RefCell<HashMap<String, Trigger>> = RefCell::new(HashMap::new());
    static LISTENERS: RefCell<Vec<Listener>> = const { RefCell::new(Vec::new()) };
    static SERIAL: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
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
    let r =
        TRIGGERS.with(|t| t.borrow_mut().get_mut(table).filter(|tr| tr.generation == generation).map(edit));
    if r.is_some() {
        notify();
    }
    r
}

fn push_log(t: &mut Trigger, level: &str, text: String) {
    t.log.push_back(LogLine { level: level.into(), text });
    while t.log.len() > MAX_LOG {
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
        Box::pin(async move { self.host.send(operation, &request).await })
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
                .with(|t| t.borrow().get(&self.table).is_some_and(|tr| tr.generation == self.generation))
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
}

/// Starts (or replaces) the trigger of `table` from `mapping`, with `first` as its first log
/// line.
fn start(host: &Host, table: &str, mapping: Mapping, first: String) {
    stop(table);
    let generation = next_serial();
    let runner = new_runner(MAX_WORKERS);
    let mapping = Rc::new(RefCell::new(mapping));
    TRIGGERS.with(|t| {
        t.borrow_mut().insert(
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
            },
        )
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
    if let Some(old) = TRIGGERS.with(|t| t.borrow_mut().remove(table)) {
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
        "Trigger attached: batch size {}, starting position {}, timeout {} s",
        config.batch_size,
        config.starting_position,
        seconds(u64::from(config.timeout_ms))
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
        let tr = t.get_mut(table)?;
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

/// Restarts the triggers from what the host loaded, when it has loaded something since the
/// last call (the page opened, this tab took over the workspace, a failed write was rolled
/// back, or reset/import removed them all). Only the tab that owns the workspace runs them.
pub fn restore(host: &Host) {
    let Some(stored) = host.take_stored_triggers() else { return };
    let tables: Vec<String> = TRIGGERS.with(|t| t.borrow().keys().cloned().collect());
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

/// Properties of [`TriggerPanel`].
#[derive(Properties, PartialEq)]
pub struct TriggerPanelProps {
    /// The table whose stream the trigger reads.
    pub table: AttrValue,
}

#[derive(Clone, PartialEq)]
struct Snapshot {
    config: TriggerConfig,
    status: String,
    failing: bool,
    invocations: u64,
    failures: u64,
    log: Vec<LogLine>,
}

fn snapshot(table: &str) -> Option<Snapshot> {
    TRIGGERS.with(|t| {
        t.borrow().get(table).map(|tr| Snapshot {
            config: tr.mapping.borrow().config.clone(),
            status: tr.status.clone(),
            failing: tr.failing,
            invocations: tr.invocations,
            failures: tr.failures,
            log: tr.log.iter().cloned().collect(),
        })
    })
}

/// The trigger editor and its log.
#[component]
pub fn TriggerPanel(props: &TriggerPanelProps) -> Html {
    let ctx = use_host();
    let table = props.table.to_string();
    let update = use_force_update();
    {
        use_effect_with((), move |_| {
            let id = next_serial();
            let f: Rc<dyn Fn()> = Rc::new(move || update.force_update());
            LISTENERS.with(|l| l.borrow_mut().push((id, f)));
            move || LISTENERS.with(|l| l.borrow_mut().retain(|(i, _)| *i != id))
        });
    }
    let current = snapshot(&table);
    let code = use_state(|| lambda::DEFAULT_HANDLER.to_string());
    let batch = use_state(|| "100".to_string());
    let position = use_state(|| "TRIM_HORIZON".to_string());
    let timeout = use_state(|| "3".to_string());
    let error = use_state(|| None::<String>);
    {
        // Another table, or a trigger restored after a reload: show its trigger's code; a
        // table without one starts from the default (a detach keeps what is in the editor).
        let code = code.clone();
        let shown_table = use_mut_ref(String::new);
        use_effect_with((table.clone(), current.is_some()), move |(t, _)| {
            if let Some(s) = snapshot(t) {
                code.set(s.config.code);
            } else if *shown_table.borrow() != *t {
                code.set(lambda::DEFAULT_HANDLER.to_string());
            }
            *shown_table.borrow_mut() = t.clone();
        });
    }
    let attach_click = {
        let (code, batch, position, timeout, error) =
            (code.clone(), batch.clone(), position.clone(), timeout.clone(), error.clone());
        let host = ctx.host.clone();
        let table = table.clone();
        Callback::from(move |_: MouseEvent| {
            let batch_size = match batch.trim().parse::<u32>() {
                Ok(n) if (1..=10_000).contains(&n) => n,
                _ => return error.set(Some("Batch size must be a whole number from 1 to 10000.".into())),
            };
            let timeout_ms = match seconds_to_ms(timeout.trim()) {
                Some(ms) if (100..=900_000).contains(&ms) => ms,
                _ => return error.set(Some("Timeout must be between 0.1 and 900 seconds.".into())),
            };
            if !code.contains("handler") {
                return error.set(Some(
                    "The code must export a handler: exports.handler = async (event) => { … }".into(),
                ));
            }
            error.set(None);
            attach(
                &host,
                &table,
                TriggerConfig {
                    code: (*code).clone(),
                    batch_size,
                    starting_position: (*position).clone(),
                    timeout_ms,
                },
            );
        })
    };
    let update_click = {
        let (code, table, host) = (code.clone(), table.clone(), ctx.host.clone());
        Callback::from(move |_: MouseEvent| update_code(&host, &table, (*code).clone()))
    };
    let detach_click = {
        let (table, host) = (table.clone(), ctx.host.clone());
        Callback::from(move |_: MouseEvent| detach(&host, &table))
    };
    let clear_click = {
        let table = table.clone();
        Callback::from(move |_: MouseEvent| {
            TRIGGERS.with(|t| {
                if let Some(tr) = t.borrow_mut().get_mut(&table) {
                    tr.log.clear();
                }
            });
            notify();
        })
    };
    let on_code = {
        let code = code.clone();
        Callback::from(move |e: InputEvent| code.set(value_of(&e)))
    };
    let on_batch = {
        let batch = batch.clone();
        Callback::from(move |e: InputEvent| batch.set(value_of(&e)))
    };
    let on_timeout = {
        let timeout = timeout.clone();
        Callback::from(move |e: InputEvent| timeout.set(value_of(&e)))
    };
    let on_position = {
        let position = position.clone();
        Callback::from(move |e: Event| position.set(value_of(&e)))
    };
    let attached = current.is_some();
    let mode = ctx.host.mode();
    let kept = match &mode {
        Mode::Owner => {
            "Saved with the workspace: after a reload it resumes after the last record it processed."
        }
        Mode::Memory => "In memory only (this page keeps nothing): a reload detaches it.",
        Mode::ReadOnly => "Triggers run in the tab that owns this workspace; this tab is read-only.",
        Mode::Failed(_) => "Not saved: this browser's storage is unavailable, so a reload detaches it.",
    };
    let log_ref = use_node_ref();
    {
        // Keep the newest log line in view.
        let log_ref = log_ref.clone();
        let lines = current.as_ref().map_or(0, |s| s.log.len() as u64 + s.invocations);
        use_effect_with(lines, move |_| {
            if let Some(el) = log_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    html! {
        <section class="card trigger" data-testid="trigger-panel">
            <h2>{ "Trigger (Lambda)" }</h2>
            <p class="muted small">{ "A handler with Lambda's signature, run on this table's stream in a sandboxed Web Worker: no page, no network, no dynaplay — just the event. A failing batch is retried until it succeeds or its records expire (24 h); the shard waits for it." }</p>
            <div class="field">
                <label class="label" for="trigger-code">{ "Handler (index.js)" }</label>
                <textarea id="trigger-code" class="code-input" spellcheck="false" data-testid="trigger-code"
                    value={(*code).clone()} oninput={on_code} />
            </div>
            if let Some(s) = &current {
                <div class="row">
                    <span class={classes!("trigger-status", if s.failing { "error-text" } else { "ok-text" })} data-testid="trigger-status">
                        { format!("● {}", s.status) }
                    </span>
                    <span class="muted small">{ format!("{} invocation(s), {} failed · batch {} · {} · timeout {} s",
                        s.invocations, s.failures, s.config.batch_size, s.config.starting_position, seconds(u64::from(s.config.timeout_ms))) }</span>
                </div>
                <div class="actions">
                    <button type="button" class="btn primary" onclick={update_click} data-testid="trigger-update">{ "Update code" }</button>
                    <button type="button" class="btn danger" onclick={detach_click} data-testid="trigger-detach">{ "Detach" }</button>
                    <button type="button" class="btn small" onclick={clear_click}>{ "Clear log" }</button>
                </div>
            } else if mode != Mode::ReadOnly {
                <div class="row">
                    <label class="field narrow">{ "Batch size" }
                        <input type="number" min="1" max="10000" value={(*batch).clone()} oninput={on_batch} data-testid="trigger-batch" /></label>
                    <label class="field narrow">{ "Starting position" }
                        <select onchange={on_position} data-testid="trigger-position">
                            <option value="TRIM_HORIZON" selected={*position == "TRIM_HORIZON"}>{ "TRIM_HORIZON" }</option>
                            <option value="LATEST" selected={*position == "LATEST"}>{ "LATEST" }</option>
                        </select></label>
                    <label class="field narrow">{ "Timeout (s)" }
                        <input type="number" min="0.1" step="0.1" value={(*timeout).clone()} oninput={on_timeout} data-testid="trigger-timeout" /></label>
                    <button type="button" class="btn primary" onclick={attach_click} data-testid="trigger-attach">{ "Attach trigger" }</button>
                </div>
            }
            if let Some(e) = &*error {
                <p class="error-text" role="alert">{ e.clone() }</p>
            }
            <p class="muted small" data-testid="trigger-kept">{ kept }</p>
            if attached {
                <div class="log" data-testid="trigger-log" role="log" aria-live="polite" ref={log_ref}>
                    { for current.iter().flat_map(|s| s.log.iter()).map(|line| html! {
                        <div class={classes!("log-line", format!("log-{}", line.level))}>{ line.text.clone() }</div>
                    }) }
                </div>
            }
        </section>
    }
}

/// "1.5" seconds → 1500 ms, without float parsing (which would add its tables to the bundle).
fn seconds_to_ms(text: &str) -> Option<u32> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u32 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let fraction: u32 = if fraction.is_empty() { 0 } else { format!("{fraction:0<3}").parse().ok()? };
    whole.checked_mul(1000)?.checked_add(fraction)
}
