//! The Capacity view of one table: time controls, the playground settings, the workload
//! generator, the partition map (table and every GSI), the hot-keys panel and live RCU/WCU
//! charts against provisioned capacity with the burst bucket's level. Every ~250 ms it asks
//! the engine for O(partitions) views — `PlaygroundDescribeTime`,
//! `PlaygroundDescribePartitions`, `PlaygroundGetMetrics` with `SinceSecond` (only the
//! seconds after the last one drawn), `PlaygroundDescribeHotKeys`, `PlaygroundListWorkloads`
//! — never a table scan. A tick re-renders only when an answer changed; the element-heavy
//! panels with no controls (partition tracks, charts, hot keys) are markup strings built (and
//! unit-tested natively) in `ui/capacity/panels.rs`, and an unchanged string leaves its DOM
//! untouched, so a tick redraws only what changed. One component with plain functions keeps
//! the view small in wasm (each yew component costs kilobytes).

use dynaplay_web::fixed::Fixed;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use serde_json::{json, Value};
use yew::prelude::*;

use super::bridge::Page as Host;
use super::use_page;
use dynaplay_web::ui::capacity::events::Watch;
use dynaplay_web::ui::capacity::panels::{self as cs, Kind};
use dynaplay_web::ui::capacity::series::Series;
use dynaplay_web::ui::capacity::settings::{Setting, Settings};
use dynaplay_web::ui::components::{on_change, on_input, value_of, FormState};
use dynaplay_web::ui::why::panel_markup;

/// Lines the "what happened" log keeps.
const LOG_LINES: usize = 40;

/// How often the view polls the engine.
const TICK: Duration = Duration::from_millis(250);

/// Properties of [`Capacity`].
#[derive(Properties, PartialEq)]
pub struct CapacityProps {
    /// The table shown.
    pub table: AttrValue,
}

/// What the last tick read.
#[derive(Clone, PartialEq, Default)]
struct Snapshot {
    time: Rc<Value>,
    partitions: Rc<Value>,
    hot: Rc<Value>,
    workloads: Rc<Value>,
    /// `PlaygroundDescribeSettings`' `Settings` (polled too: cheap, and a change made
    /// elsewhere — the console, another tab's reload — shows up).
    settings: Rc<Value>,
    series: Rc<Series>,
    /// `DescribeScalingActivities` of the table or GSI shown (`scaling.rs`; null when refused).
    scaling: Rc<Value>,
    /// What changed, newest first, in words with the engine time (`ui/capacity/events.rs`).
    log: Rc<Vec<String>>,
    error: Option<String>,
}

/// The Capacity view.
#[component]
pub fn Capacity(props: &CapacityProps) -> Html {
    let host = use_page().page;
    let snap = use_state(Snapshot::default);
    // "" = the table, else a GSI's name (charts and hot keys).
    let index = use_state(String::new);
    {
        let snap = snap.clone();
        let host = host.clone();
        let table = props.table.to_string();
        let index_name = (*index).clone();
        use_effect_with((props.table.clone(), index_name.clone()), move |_| {
            let alive = Rc::new(Cell::new(true));
            let running = alive.clone();
            yew::platform::spawn_local(async move {
                let mut current = Snapshot::default();
                let mut series = Series::default();
                let mut watch = Watch::default();
                while running.get() {
                    let mut next = current.clone();
                    let on = |mut r: Value| {
                        if !index_name.is_empty() {
                            r["IndexName"] = json!(index_name);
                        }
                        r
                    };
                    if let Ok(s) = host.send("PlaygroundDescribeSettings", &json!({})).await {
                        if *next.settings != s["Settings"] {
                            next.settings = Rc::new(s["Settings"].clone());
                        }
                    }
                    if let Ok(t) = host.send("PlaygroundDescribeTime", &json!({})).await {
                        if *next.time != t {
                            next.time = Rc::new(t);
                        }
                    }
                    match host.send("PlaygroundDescribePartitions", &json!({"TableName": table})).await {
                        Ok(p) => {
                            next.error = None;
                            if *next.partitions != p {
                                next.partitions = Rc::new(p);
                            }
                        }
                        Err(e) => {
                            next.error = Some(e["message"].as_str().unwrap_or("cannot read the table").into())
                        }
                    }
                    let mut request = on(json!({"TableName": table}));
                    if let Some(since) = series.since() {
                        request["SinceSecond"] = json!(since);
                    }
                    if let Ok(m) = host.send("PlaygroundGetMetrics", &request).await {
                        if series.merge(&m["Metrics"]) {
                            next.series = Rc::new(series.clone());
                        }
                    }
                    if let Ok(h) = host
                        .send("PlaygroundDescribeHotKeys", &on(json!({"TableName": table, "Limit": 5})))
                        .await
                    {
                        if *next.hot != h {
                            next.hot = Rc::new(h);
                        }
                    }
                    let resource = super::scaling::resource_id(&table, &index_name);
                    let scaling = json!({"ServiceNamespace": "dynamodb", "ResourceId": resource});
                    let activities =
                        host.send("DescribeScalingActivities", &scaling).await.unwrap_or_default();
                    if *next.scaling != activities {
                        next.scaling = Rc::new(activities);
                    }
                    if let Ok(w) = host.send("PlaygroundListWorkloads", &json!({})).await {
                        let mine: Vec<Value> = w["Workloads"]
                            .as_array()
                            .map(|a| a.iter().filter(|w| w["TableName"] == json!(table)).cloned().collect())
                            .unwrap_or_default();
                        let mine = Value::Array(mine);
                        if *next.workloads != mine {
                            next.workloads = Rc::new(mine);
                        }
                    }
                    let now = next.time["Now"].as_f64().unwrap_or(0.0) as u64;
                    let said = watch.observe(now, &next.partitions, &series);
                    if !said.is_empty() {
                        let mut log: Vec<String> = said.into_iter().rev().collect();
                        log.extend(next.log.iter().take(LOG_LINES).cloned());
                        log.truncate(LOG_LINES);
                        next.log = Rc::new(log);
                    }
                    if next != current {
                        current = next;
                        if running.get() {
                            snap.set(current.clone());
                        }
                    }
                    yew::platform::time::sleep(TICK).await;
                }
            });
            move || alive.set(false)
        });
    }
    let form = use_reducer(|| FormState(WorkloadForm::default()));
    // "Why?": the engine's explanation of this table's partitions, buckets and hot keys.
    let why = use_state(|| None::<Option<Result<Value, Value>>>);
    let ask_why = {
        let (why, host, table) = (why.clone(), host.clone(), props.table.to_string());
        Callback::from(move |_: MouseEvent| {
            if why.is_some() {
                return why.set(None);
            }
            why.set(Some(None));
            let (why, host, table) = (why.clone(), host.clone(), table.clone());
            yew::platform::spawn_local(async move {
                why.set(Some(Some(host.send("PlaygroundExplainTable", &json!({"TableName": table})).await)));
            });
        })
    };
    let s = (*snap).clone();
    // Charts and hot keys are markup strings, rebuilt only when their data changed; equal
    // strings leave the DOM untouched.
    let charts = use_memo(s.series.version, |_| {
        AttrValue::from(format!("{}{}", cs::chart(&s.series, Kind::Write), cs::chart(&s.series, Kind::Read)))
    });
    let hot = use_memo(s.hot.clone(), |h| {
        AttrValue::from(format!(
            "<div class=\"hot-keys\">{}{}</div>",
            cs::hot_list("Most accessed keys", &h["MostAccessed"], "units", "hot-accessed"),
            cs::hot_list("Most throttled keys", &h["MostThrottled"], "requests", "hot-throttled"),
        ))
    });
    let indexes: Vec<String> = s.partitions["GlobalSecondaryIndexes"]
        .as_array()
        .map(|a| a.iter().filter_map(|g| g["IndexName"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let choose_index = {
        let index = index.clone();
        Callback::from(move |e: Event| index.set(value_of(&e)))
    };
    html! {
        <section class="card capacity-view" data-testid="capacity-view">
            <div class="row">
                <h2>{ format!("Capacity · {}", props.table) }</h2>
                <span class="spacer" />
                { time_controls(&host, &s.time) }
            </div>
            if let Some(e) = &s.error { <p class="error-text" role="alert">{ e.clone() }</p> }
            { settings_panel(&host, &s.settings, &form) }
            { workload_panel(&host, &props.table, &s.workloads, &form) }
            { partition_map(&s.partitions) }
            <div class="row">
                <button type="button" class="btn small why-btn" aria-expanded={why.is_some().to_string()} onclick={ask_why}
                    data-testid="capacity-why">{ "Why these partitions, buckets and hot keys?" }</button>
            </div>
            { match &*why {
                None => Html::default(),
                Some(None) => html! { <div class="why" aria-busy="true">{ "…" }</div> },
                Some(Some(Err(e))) => html! {
                    <div class="why error-text" role="alert" data-testid="capacity-why-panel">{ e["message"].as_str().unwrap_or("no explanation") }</div>
                },
                Some(Some(Ok(v))) => html! {
                    <div class="why" data-testid="capacity-why-panel">{ Html::from_html_unchecked(panel_markup(v).into()) }</div>
                },
            } }
            <div class="row">
                <label class="field narrow">{ "Charts and hot keys for" }
                    <select onchange={choose_index} data-testid="capacity-index">
                        <option value="" selected={index.is_empty()}>{ "the table" }</option>
                        { for indexes.iter().map(|n| html! { <option value={n.clone()} selected={*index == *n}>{ format!("GSI {n}") }</option> }) }
                    </select>
                </label>
            </div>
            { Html::from_html_unchecked(cs::event_log(&s.log).into()) }
            <div class="capacity-charts" data-testid="capacity-charts">
                { Html::from_html_unchecked((*charts).clone()) }
            </div>
            { super::scaling::activities(&s.scaling) }
            { Html::from_html_unchecked((*hot).clone()) }
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// Time controls

fn time_controls(host: &Host, time: &Value) -> Html {
    let now = time["Now"].as_f64().unwrap_or(0.0);
    let shown = if now > 0.0 {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(now));
        String::from(d.to_iso_string()).replace('T', " ").trim_end_matches('Z').to_owned()
    } else {
        "…".to_owned()
    };
    let send = |op: &'static str, body: Value| {
        let host = host.clone();
        Callback::from(move |_: MouseEvent| {
            let (host, body) = (host.clone(), body.clone());
            yew::platform::spawn_local(async move {
                let _ = host.send(op, &body).await;
            });
        })
    };
    dynaplay_web::ui::components::time::controls(time, Some(shown), &send)
}

// ---------------------------------------------------------------------------------------------
// Workload generator

#[derive(Clone, PartialEq)]
struct WorkloadForm {
    distribution: String,
    rate: String,
    read_percent: String,
    item_size: String,
    key_count: String,
    seed: String,
    error: Option<String>,
    /// The last refused settings change (the settings panel shares this form state).
    settings_error: Option<String>,
    /// The settings control the learner is changing, what it holds, and the settings it was
    /// changed from. The panel is redrawn on every poll; without this a poll that lands before
    /// the change is saved would put the old value back under the learner's hand (a checkbox
    /// flipping back, a half-typed delay replaced). Once the engine's settings change, the
    /// edit no longer applies and the panel shows what the engine holds.
    settings_edit: Option<(Setting, String, Rc<Value>)>,
}

impl Default for WorkloadForm {
    fn default() -> Self {
        Self {
            distribution: "HOT_KEY".into(),
            rate: "100".into(),
            read_percent: "0".into(),
            item_size: "100".into(),
            key_count: "1000".into(),
            seed: "1".into(),
            error: None,
            settings_error: None,
            settings_edit: None,
        }
    }
}

impl WorkloadForm {
    fn request(&self, table: &str) -> Result<Value, String> {
        let int = |s: &str, name: &str| {
            s.trim().parse::<u64>().map_err(|_| format!("{name} must be a whole number"))
        };
        // Whole percent: parsing an integer keeps float parsing (and its tables) out of the wasm.
        let read = self
            .read_percent
            .trim()
            .parse::<u64>()
            .map_err(|_| "Reads % must be a whole number from 0 to 100".to_owned())?;
        Ok(json!({
            "TableName": table,
            "Distribution": self.distribution,
            "RequestsPerSecond": int(&self.rate, "Rate")?,
            "ReadRatio": read.min(100) as f64 / 100.0,
            "ItemSizeBytes": int(&self.item_size, "Item size")?,
            "KeyCount": int(&self.key_count, "Keys")?,
            "Seed": int(&self.seed, "Seed")?,
        }))
    }
}

fn workload_panel(
    host: &Host,
    table: &AttrValue,
    workloads: &Value,
    form: &UseReducerHandle<FormState<WorkloadForm>>,
) -> Html {
    let f = &form.0;
    let start = {
        let form = form.clone();
        let host = host.clone();
        let table = table.to_string();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let request = form.0.request(&table);
            send_and_report(
                &host,
                &form,
                "PlaygroundStartWorkload",
                request,
                "the workload was refused",
                |f, e| f.error = e,
            );
        })
    };
    let stop = |id: u64| {
        let host = host.clone();
        Callback::from(move |_: MouseEvent| {
            let host = host.clone();
            yew::platform::spawn_local(async move {
                let _ = host.send("PlaygroundStopWorkload", &json!({"WorkloadId": id})).await;
            });
        })
    };
    let list = workloads.as_array().cloned().unwrap_or_default();
    html! {
        <fieldset class="workloads">
            <legend>{ "Workload generator" }</legend>
            <form class="row" onsubmit={start} data-testid="workload-form">
                <label class="field narrow">{ "Keys" }
                    <select onchange={on_change(form, |f: &mut WorkloadForm, v| f.distribution = v)} data-testid="workload-distribution">
                        { for [("HOT_KEY", "single hot key"), ("UNIFORM", "uniform"), ("ZIPFIAN", "zipfian"), ("SEQUENTIAL", "sequential")].into_iter().map(|(v, l)| html! {
                            <option value={v} selected={f.distribution == v}>{ l }</option>
                        }) }
                    </select>
                </label>
                <label class="field narrow">{ "Requests/s" }
                    <input value={f.rate.clone()} inputmode="numeric" data-testid="workload-rate" oninput={on_input(form, |f: &mut WorkloadForm, v| f.rate = v)} /></label>
                <label class="field narrow">{ "Reads %" }
                    <input value={f.read_percent.clone()} inputmode="numeric" data-testid="workload-reads" oninput={on_input(form, |f: &mut WorkloadForm, v| f.read_percent = v)} /></label>
                <label class="field narrow">{ "Item bytes" }
                    <input value={f.item_size.clone()} inputmode="numeric" data-testid="workload-size" oninput={on_input(form, |f: &mut WorkloadForm, v| f.item_size = v)} /></label>
                <label class="field narrow">{ "Distinct keys" }
                    <input value={f.key_count.clone()} inputmode="numeric" data-testid="workload-keys" oninput={on_input(form, |f: &mut WorkloadForm, v| f.key_count = v)} /></label>
                <label class="field narrow">{ "Seed" }
                    <input value={f.seed.clone()} inputmode="numeric" data-testid="workload-seed" oninput={on_input(form, |f: &mut WorkloadForm, v| f.seed = v)} /></label>
                <button type="submit" class="btn primary" data-testid="workload-start">{ "Start" }</button>
            </form>
            if let Some(e) = &f.error { <p class="error-text" role="alert" data-testid="workload-error">{ e.clone() }</p> }
            if !list.is_empty() {
                <ul class="workload-list" data-testid="workload-list">
                { for list.iter().rev().map(|w| {
                    let id = w["WorkloadId"].as_u64().unwrap_or_default();
                    let running = w["Running"].as_bool().unwrap_or(false);
                    let spec = &w["Settings"];
                    html! {
                        <li class={classes!(running.then_some("running"))}>
                            <strong>{ format!("#{id}") }</strong>
                            <span>{ format!(" {} · {}/s · reads {}% ",
                                spec["Distribution"].as_str().unwrap_or("UNIFORM"),
                                spec["RequestsPerSecond"].as_u64().unwrap_or(100),
                                Fixed(spec["ReadRatio"].as_f64().unwrap_or(0.5) * 100.0, 0)) }</span>
                            <span class="muted small">{ format!("{} requests, {} throttled, {} errors",
                                w["Requests"].as_u64().unwrap_or(0), w["Throttled"].as_u64().unwrap_or(0), w["Errors"].as_u64().unwrap_or(0)) }</span>
                            if running {
                                <button type="button" class="btn small danger" onclick={stop(id)} data-testid="workload-stop">{ "Stop" }</button>
                            } else {
                                <span class="muted small">{ " stopped" }</span>
                            }
                        </li>
                    }
                }) }
                </ul>
            }
        </fieldset>
    }
}

/// Sends `request` (or reports why it could not be built) and puts the engine's refusal, or
/// `None` once it was accepted, where `report` says in the form.
fn send_and_report(
    host: &Host,
    form: &UseReducerHandle<FormState<WorkloadForm>>,
    operation: &'static str,
    request: Result<Value, String>,
    refused: &'static str,
    report: fn(&mut WorkloadForm, Option<String>),
) {
    let (host, form) = (host.clone(), form.clone());
    yew::platform::spawn_local(async move {
        let error = match request {
            Err(message) => Some(message),
            Ok(request) => host
                .send(operation, &request)
                .await
                .err()
                .map(|e| e["message"].as_str().unwrap_or(refused).to_owned()),
        };
        form.dispatch(Box::new(move |f: &mut WorkloadForm| report(f, error)));
    });
}

// ---------------------------------------------------------------------------------------------
// Partition map

/// The partition map of the table and every GSI (markup from `ui/capacity/panels.rs`;
/// an unchanged resource keeps its DOM, since equal raw HTML is not re-rendered).
fn partition_map(p: &Value) -> Html {
    if p.is_null() {
        return html! { <p class="muted">{ "Reading partitions…" }</p> };
    }
    let mut resources = vec![("Table".to_owned(), p["Table"].clone())];
    for g in p["GlobalSecondaryIndexes"].as_array().into_iter().flatten() {
        resources.push((format!("GSI {}", g["IndexName"].as_str().unwrap_or("")), g.clone()));
    }
    html! {
        <div class="partition-map" data-testid="partition-map">
            <div class="row small muted">
                <span>{ format!("{} · partition size limit {}", p["BillingMode"].as_str().unwrap_or(""),
                    cs::bytes(p["PartitionSizeLimitBytes"].as_f64().unwrap_or(0.0))) }</span>
            </div>
            { for resources.into_iter().map(|(name, r)| Html::from_html_unchecked(cs::resource_map(&name, &r).into())) }
            { Html::from_html_unchecked(cs::legend().into()) }
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// Playground settings

/// The playground's own settings panel (for every table): the partition size limit that splits
/// partitions (DynamoDB's 10 GB, scaled down so learner-sized data splits), whether requests
/// over capacity are throttled, how long after expiry TTL deletes an item, how many bytes
/// of records a stream keeps (`StreamRetentionBytes`), and how long replica 3 and the GSIs lag
/// behind a write (read consistency). Read with
/// `PlaygroundDescribeSettings` on every poll and changed with `PlaygroundUpdateSettings`
/// through `host.send`, which journals it like any write: the settings survive a reload.
fn settings_panel(host: &Host, engine: &Rc<Value>, form: &UseReducerHandle<FormState<WorkloadForm>>) -> Html {
    let settings = Settings::from_json(engine);
    // A control shows the learner's edit while the engine still holds what it was made from.
    let edit = form.0.settings_edit.as_ref().filter(|(_, _, base)| Rc::ptr_eq(base, engine));
    let shown = |setting: Setting, engine_value: String| match edit {
        Some((edited, value, _)) if *edited == setting => value.clone(),
        _ => engine_value,
    };
    let editing = |setting: Setting, value: String, base: &Rc<Value>| {
        let base = base.clone();
        Box::new(move |f: &mut WorkloadForm| f.settings_edit = Some((setting, value, base)))
            as Box<dyn FnOnce(&mut WorkloadForm)>
    };
    // Each control changes its own setting; the next poll shows the new value, so only a
    // refusal needs saying here.
    let change = |setting: Setting| {
        let (form, host, base) = (form.clone(), host.clone(), engine.clone());
        Callback::from(move |e: Event| {
            let value = value_of(&e);
            form.dispatch(editing(setting, value.clone(), &base));
            send_and_report(
                &host,
                &form,
                "PlaygroundUpdateSettings",
                setting.request(&value),
                "the setting was refused",
                |f, e| f.settings_error = e,
            );
        })
    };
    let typing = |setting: Setting| {
        let (form, base) = (form.clone(), engine.clone());
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
            form.dispatch(editing(setting, value, &base));
        })
    };
    let size = shown(Setting::PartitionSizeLimit, settings.partition_size_limit.to_string());
    let throttling = shown(Setting::Throttling, settings.throttling.to_string()) == "true";
    let ttl_delay = shown(Setting::TtlDeletionDelay, settings.ttl_delay_seconds.to_string());
    let retention = shown(Setting::StreamRetention, settings.stream_retention_bytes.to_string());
    let replication = shown(Setting::ReplicationDelay, settings.replication_delay_ms.to_string());
    let gsi_delay = shown(Setting::GsiPropagationDelay, settings.gsi_delay_ms.to_string());
    html! {
        <details class="settings" data-testid="playground-settings">
            <summary class="small" data-testid="settings-summary">{ settings.summary() }</summary>
            <div class="row settings-row">
                <label class="field narrow" title="DynamoDB splits a partition at 10 GB; scale it down so a few thousand items already split">{ "Partition size limit" }
                    <select data-testid="setting-partition-size" onchange={change(Setting::PartitionSizeLimit)}>
                        { for settings.size_choices().into_iter().map(|(bytes, label)| html! {
                            <option value={bytes.to_string()} selected={bytes.to_string() == size}>{ label }</option>
                        }) }
                    </select></label>
                <label class="check" title="Off: every request is served and still counted against capacity">
                    <input type="checkbox" data-testid="setting-throttling" checked={throttling}
                        onchange={change(Setting::Throttling)} />{ " Throttle requests over capacity" }</label>
                <label class="field narrow" title="DynamoDB deletes expired items within a few days; the playground after this delay">{ "TTL deletion delay (s)" }
                    <input inputmode="numeric" value={ttl_delay} data-testid="setting-ttl-delay"
                        oninput={typing(Setting::TtlDeletionDelay)} onchange={change(Setting::TtlDeletionDelay)} /></label>
                <label class="field narrow" title="DynamoDB keeps 24 hours of records whatever their size; the playground also trims a stream's oldest records past this size, so a busy workload cannot fill the tab">{ "Stream size cap" }
                    <select data-testid="setting-stream-retention" onchange={change(Setting::StreamRetention)}>
                        { for settings.stream_retention_choices().into_iter().map(|(bytes, label)| html! {
                            <option value={bytes.to_string()} selected={bytes.to_string() == retention}>{ label }</option>
                        }) }
                    </select></label>
                <label class="field narrow" title="Each partition is three replicas: a write is acknowledged by two and reaches the third this long after. An eventually consistent read may land on it and return the older item; ConsistentRead: true never does. 0: every read is the latest">{ "Replication delay (ms)" }
                    <input inputmode="numeric" value={replication} data-testid="setting-replication-delay"
                        oninput={typing(Setting::ReplicationDelay)} onchange={change(Setting::ReplicationDelay)} /></label>
                <label class="field narrow" title="Global secondary indexes are updated asynchronously: a write reaches them this long after the table, so a GSI query can miss it. 0: at once">{ "GSI propagation delay (ms)" }
                    <input inputmode="numeric" value={gsi_delay} data-testid="setting-gsi-delay"
                        oninput={typing(Setting::GsiPropagationDelay)} onchange={change(Setting::GsiPropagationDelay)} /></label>
            </div>
            if let Some(e) = &form.0.settings_error { <p class="error-text" role="alert" data-testid="settings-error">{ e.clone() }</p> }
        </details>
    }
}
