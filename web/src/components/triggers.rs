//! Lambda-style triggers on a table's stream. A trigger polls the stream as Lambda's event
//! source mapping does — DescribeStream for the shards, parents before children, GetRecords with
//! `Limit` = batch size from TRIM_HORIZON or LATEST — and invokes the learner's handler with
//! `{Records: [...]}` in a sandboxed Web Worker (`js/trigger.js`) with a timeout. A failing batch
//! (a throw, a timeout, garbage) is retried with backoff, blocking its shard, until it succeeds
//! or its records are past the stream's 24-hour retention. Triggers live in a registry, not in
//! the component, so they keep running while another table is open; the component shows the
//! editor, the status and the log.

use crate::fixed::Fixed;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;

use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::app::use_host;
use crate::components::value_of;
use crate::host::Host;
use crate::lambda::{self, Outcome};

#[wasm_bindgen(module = "/js/trigger.js")]
extern "C" {
    #[wasm_bindgen(js_name = newRunner)]
    fn new_runner() -> JsValue;
    #[wasm_bindgen(js_name = stopRunner)]
    fn stop_runner(runner: &JsValue);
    fn invoke(runner: &JsValue, code: &str, event: &str, timeout_ms: u32) -> js_sys::Promise;
    #[wasm_bindgen(js_name = sleep)]
    fn sleep_promise(ms: u32) -> js_sys::Promise;
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: u32) {
    let _ = wasm_bindgen_futures::JsFuture::from(sleep_promise(ms)).await;
}

/// Most log lines a trigger keeps.
const MAX_LOG: usize = 400;
/// How often an idle trigger polls its stream.
const POLL_MS: u32 = 500;

/// One line of a trigger's log.
#[derive(Clone, PartialEq)]
pub struct LogLine {
    /// `log`, `info`, `warn`, `error`, `debug` (from the handler) or `system` (the runner).
    pub level: String,
    /// The text.
    pub text: String,
}

/// A trigger's settings.
#[derive(Clone, PartialEq)]
pub struct TriggerConfig {
    /// The handler's source.
    pub code: String,
    /// Most records per invocation.
    pub batch_size: u32,
    /// `TRIM_HORIZON` or `LATEST`.
    pub starting_position: String,
    /// Invocation timeout.
    pub timeout_ms: u32,
}

struct Trigger {
    config: TriggerConfig,
    generation: u64,
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

fn log(table: &str, generation: u64, level: &str, text: impl Into<String>) {
    let line = LogLine { level: level.into(), text: text.into() };
    with_trigger(table, generation, |t| {
        t.log.push_back(line);
        while t.log.len() > MAX_LOG {
            t.log.pop_front();
        }
    });
}

fn set_status(table: &str, generation: u64, status: impl Into<String>, failing: bool) {
    let status = status.into();
    with_trigger(table, generation, |t| {
        t.status = status;
        t.failing = failing;
    });
}

/// Attaches (or replaces) the trigger of `table` and starts its poller.
pub fn attach(host: Host, table: &str, config: TriggerConfig) {
    let generation = next_serial();
    let start = format!(
        "Trigger attached: batch size {}, starting position {}, timeout {} s",
        config.batch_size,
        config.starting_position,
        crate::fixed::seconds(config.timeout_ms)
    );
    TRIGGERS.with(|t| {
        t.borrow_mut().insert(
            table.to_string(),
            Trigger {
                config,
                generation,
                status: "starting".into(),
                failing: false,
                invocations: 0,
                failures: 0,
                log: VecDeque::from([LogLine { level: "system".into(), text: start }]),
            },
        )
    });
    notify();
    let table = table.to_string();
    yew::platform::spawn_local(run(host, table, generation));
}

/// Detaches the trigger of `table` (its poller stops at its next step; a running invocation's
/// worker is terminated).
pub fn detach(table: &str) {
    TRIGGERS.with(|t| t.borrow_mut().remove(table));
    notify();
}

/// Replaces the handler's code of a running trigger (the next invocation, retries included,
/// runs the new code; the stream position is kept, as when a Lambda function is updated).
pub fn update_code(table: &str, code: String) {
    TRIGGERS.with(|t| {
        if let Some(tr) = t.borrow_mut().get_mut(table) {
            tr.config.code = code;
            tr.log.push_back(LogLine { level: "system".into(), text: "Handler code updated".into() });
        }
    });
    notify();
}

fn config_of(table: &str, generation: u64) -> Option<TriggerConfig> {
    TRIGGERS
        .with(|t| t.borrow().get(table).filter(|tr| tr.generation == generation).map(|tr| tr.config.clone()))
}

#[derive(Default)]
struct ShardState {
    iterator: Option<String>,
    last_sequence: Option<String>,
    finished: bool,
    /// A batch read but not yet processed (being retried).
    pending: Option<Pending>,
}

/// A batch and where its shard goes on once it is done.
struct Pending {
    records: Vec<Value>,
    next: Option<String>,
    attempt: u32,
    /// `Date.now()` of the next attempt.
    retry_at: f64,
}

fn error_text(e: &Value) -> String {
    let kind = e["__type"].as_str().unwrap_or("Error");
    let kind = kind.rsplit('#').next().unwrap_or(kind);
    format!("{kind}: {}", e["message"].as_str().or(e["Message"].as_str()).unwrap_or(""))
}

async fn run(host: Host, table: String, generation: u64) {
    let runner = new_runner();
    let mut shards: HashMap<String, ShardState> = HashMap::new();
    let mut stream_arn: Option<String> = None;
    let mut at_attach: Option<HashSet<String>> = None;
    let mut invocation = 0u64;
    'poll: while let Some(config) = config_of(&table, generation) {
        let described = host.send("DescribeTable", &json!({"TableName": table})).await;
        let arn = match &described {
            Ok(d) if d["Table"]["StreamSpecification"]["StreamEnabled"] == json!(true) => {
                d["Table"]["LatestStreamArn"].as_str().map(String::from)
            }
            Ok(_) => None,
            Err(e) => {
                set_status(&table, generation, format!("cannot read the table: {}", error_text(e)), true);
                sleep(2000).await;
                continue;
            }
        };
        let Some(arn) = arn else {
            set_status(&table, generation, "waiting: the table has no stream (enable one below)", true);
            sleep(1000).await;
            continue;
        };
        if stream_arn.as_deref() != Some(arn.as_str()) {
            stream_arn = Some(arn.clone());
            shards.clear();
            at_attach = None;
        }
        let describe = match host.send("DescribeStream", &json!({"StreamArn": arn})).await {
            Ok(d) => d,
            Err(e) => {
                set_status(&table, generation, format!("DescribeStream failed: {}", error_text(&e)), true);
                sleep(2000).await;
                continue;
            }
        };
        let listed = lambda::shards_of(&describe);
        let initial = at_attach.get_or_insert_with(|| listed.iter().map(|s| s.id.clone()).collect()).clone();
        for shard in lambda::parents_first(&listed) {
            if let Some(parent) = &shard.parent {
                if !shards.get(parent).is_some_and(|p| p.finished) {
                    continue;
                }
            }
            let state = shards.entry(shard.id.clone()).or_default();
            if state.finished {
                continue;
            }
            if state.pending.is_none() {
                if state.iterator.is_none() {
                    let mut request = json!({"StreamArn": arn, "ShardId": shard.id});
                    match &state.last_sequence {
                        Some(seq) => {
                            request["ShardIteratorType"] = json!("AFTER_SEQUENCE_NUMBER");
                            request["SequenceNumber"] = json!(seq);
                        }
                        None if config.starting_position == "LATEST" && initial.contains(&shard.id) => {
                            request["ShardIteratorType"] = json!("LATEST");
                        }
                        None => request["ShardIteratorType"] = json!("TRIM_HORIZON"),
                    }
                    match host.send("GetShardIterator", &request).await {
                        Ok(v) => state.iterator = v["ShardIterator"].as_str().map(String::from),
                        Err(e) => {
                            if e["__type"].as_str().is_some_and(|t| t.ends_with("TrimmedDataAccessException"))
                            {
                                state.last_sequence = None;
                            }
                            log(
                                &table,
                                generation,
                                "system",
                                format!("GetShardIterator {}: {}", shard.id, error_text(&e)),
                            );
                            continue;
                        }
                    }
                }
                let Some(iterator) = state.iterator.clone() else { continue };
                let page = host
                    .send("GetRecords", &json!({"ShardIterator": iterator, "Limit": config.batch_size}))
                    .await;
                let page = match page {
                    Ok(p) => p,
                    Err(e) => {
                        let kind = e["__type"].as_str().unwrap_or("");
                        if kind.ends_with("TrimmedDataAccessException") {
                            log(
                                &table,
                                generation,
                                "system",
                                format!("{}: records were trimmed; reading from the oldest", shard.id),
                            );
                            state.last_sequence = None;
                        } else if !kind.ends_with("ExpiredIteratorException") {
                            log(
                                &table,
                                generation,
                                "system",
                                format!("GetRecords {}: {}", shard.id, error_text(&e)),
                            );
                        }
                        state.iterator = None;
                        continue;
                    }
                };
                let records = page["Records"].as_array().cloned().unwrap_or_default();
                let next = page["NextShardIterator"].as_str().map(String::from);
                if records.is_empty() {
                    state.finished = next.is_none();
                    state.iterator = next;
                    continue;
                }
                state.pending = Some(Pending { records, next, attempt: 0, retry_at: 0.0 });
            }
            // The shard's batch: invoked now, or still waiting for its retry.
            let Some(pending) = state.pending.as_mut() else { continue };
            if js_sys::Date::now() < pending.retry_at {
                continue;
            }
            let Some(config) = config_of(&table, generation) else { break 'poll };
            pending.attempt += 1;
            invocation += 1;
            let request_id = format!("{generation:04}-{invocation:06}");
            let retry =
                if pending.attempt > 1 { format!(" (retry {})", pending.attempt - 1) } else { String::new() };
            log(
                &table,
                generation,
                "system",
                format!(
                    "START RequestId: {request_id} · {} record(s) from {}{retry}",
                    pending.records.len(),
                    shard.id
                ),
            );
            let event = lambda::lambda_event(&pending.records, &arn).to_string();
            let started = js_sys::Date::now();
            let answer = wasm_bindgen_futures::JsFuture::from(invoke(
                &runner,
                &config.code,
                &event,
                config.timeout_ms,
            ))
            .await;
            if config_of(&table, generation).is_none() {
                break 'poll;
            }
            let elapsed = js_sys::Date::now() - started;
            let answer: Value = answer
                .ok()
                .and_then(|a| a.as_string())
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or(Value::Null);
            for line in answer["logs"].as_array().into_iter().flatten() {
                log(&table, generation, line[0].as_str().unwrap_or("log"), line[1].as_str().unwrap_or(""));
            }
            let outcome = lambda::outcome_of(&answer);
            with_trigger(&table, generation, |t| {
                t.invocations += 1;
                if !matches!(outcome, Outcome::Success(_)) {
                    t.failures += 1;
                }
            });
            let failure = match &outcome {
                Outcome::Success(result) => {
                    log(
                        &table,
                        generation,
                        "system",
                        format!("END RequestId: {request_id} · {} ms · returned {result}", Fixed(elapsed, 0)),
                    );
                    None
                }
                Outcome::Failed(error) => Some(format!("the handler failed: {error}")),
                Outcome::TimedOut(ms) => Some(format!(
                    "Task timed out after {} seconds; the worker was terminated",
                    Fixed(f64::from(*ms) / 1000.0, 2)
                )),
                Outcome::Garbage(text) => Some(format!(
                    "the worker answered with something that is not a result: {}",
                    text.chars().take(120).collect::<String>()
                )),
            };
            let mut done = failure.is_none();
            if let Some(failure) = failure {
                log(&table, generation, "error", format!("ERROR RequestId: {request_id} · {failure}"));
                if lambda::batch_expired(&pending.records, js_sys::Date::now() as u64) {
                    log(
                        &table,
                        generation,
                        "system",
                        "the batch's records are past the stream's 24-hour retention: dropped".to_string(),
                    );
                    done = true;
                } else {
                    let backoff = 500u32.saturating_mul(1 << pending.attempt.min(5)).min(10_000);
                    pending.retry_at = js_sys::Date::now() + f64::from(backoff);
                }
            }
            if done {
                let pending = state.pending.take().expect("a pending batch");
                state.last_sequence = pending
                    .records
                    .last()
                    .and_then(|r| r["dynamodb"]["SequenceNumber"].as_str())
                    .map(String::from);
                state.finished = pending.next.is_none();
                state.iterator = pending.next;
            }
        }
        // The status: any shard held up by a failing batch, or just polling.
        let failing: Vec<String> = shards
            .iter()
            .filter_map(|(id, s)| s.pending.as_ref().filter(|p| p.attempt > 0).map(|p| (id, p)))
            .map(|(id, p)| {
                let wait = ((p.retry_at - js_sys::Date::now()) / 1000.0).max(0.0);
                format!("{id}: batch failing (attempt {}), retrying in {} s", p.attempt, Fixed(wait, 1))
            })
            .collect();
        if failing.is_empty() {
            set_status(&table, generation, format!("polling {} shard(s)", listed.len()), false);
        } else {
            set_status(
                &table,
                generation,
                format!("{} — the shard waits for it, the others go on", failing.join("; ")),
                true,
            );
        }
        sleep(POLL_MS).await;
    }
    stop_runner(&runner);
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
            config: tr.config.clone(),
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
        // Another table: show its trigger's code (or the default).
        let code = code.clone();
        use_effect_with(table.clone(), move |t| {
            code.set(snapshot(t).map_or_else(|| lambda::DEFAULT_HANDLER.to_string(), |s| s.config.code));
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
                host.clone(),
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
        let (code, table) = (code.clone(), table.clone());
        Callback::from(move |_: MouseEvent| update_code(&table, (*code).clone()))
    };
    let detach_click = {
        let table = table.clone();
        Callback::from(move |_: MouseEvent| detach(&table))
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
                        s.invocations, s.failures, s.config.batch_size, s.config.starting_position, crate::fixed::seconds(s.config.timeout_ms)) }</span>
                </div>
                <div class="actions">
                    <button type="button" class="btn primary" onclick={update_click} data-testid="trigger-update">{ "Update code" }</button>
                    <button type="button" class="btn danger" onclick={detach_click} data-testid="trigger-detach">{ "Detach" }</button>
                    <button type="button" class="btn small" onclick={clear_click}>{ "Clear log" }</button>
                </div>
            } else {
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
