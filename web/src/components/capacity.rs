//! The Capacity view of one table: time controls, the workload generator, the partition map
//! (table and every GSI), the hot-keys panel and live RCU/WCU charts against provisioned
//! capacity. Every ~250 ms it asks the engine for O(partitions) views —
//! `PlaygroundDescribeTime`, `PlaygroundDescribePartitions`, `PlaygroundGetMetrics` with
//! `SinceSecond` (only the seconds after the last one drawn), `PlaygroundDescribeHotKeys`,
//! `PlaygroundListWorkloads` — never a table scan. Each panel is its own component with
//! comparable props, so a tick redraws only the panels whose data changed.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use serde_json::{json, Value};
use yew::prelude::*;

use crate::app::use_host;
use crate::capacity_series::{self as cs, Series};
use crate::components::{on_change, on_input, FormState};

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
    series: Rc<Series>,
    error: Option<String>,
}

/// The Capacity view.
#[component]
pub fn Capacity(props: &CapacityProps) -> Html {
    let ctx = use_host();
    let snap = use_state(Snapshot::default);
    // "" = the table, else a GSI's name (charts and hot keys).
    let index = use_state(String::new);
    {
        let snap = snap.clone();
        let host = ctx.host.clone();
        let table = props.table.to_string();
        let index_name = (*index).clone();
        use_effect_with((props.table.clone(), index_name.clone()), move |_| {
            let alive = Rc::new(Cell::new(true));
            let running = alive.clone();
            yew::platform::spawn_local(async move {
                let mut current = Snapshot::default();
                let mut series = Series::default();
                while running.get() {
                    let mut next = current.clone();
                    let on = |mut r: Value| {
                        if !index_name.is_empty() {
                            r["IndexName"] = json!(index_name);
                        }
                        r
                    };
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
                        Err(e) => next.error = Some(e["message"].as_str().unwrap_or("cannot read the table").into()),
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
                    if let Ok(h) = host.send("PlaygroundDescribeHotKeys", &on(json!({"TableName": table, "Limit": 5}))).await {
                        if *next.hot != h {
                            next.hot = Rc::new(h);
                        }
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
    let s = (*snap).clone();
    let indexes: Vec<String> = s.partitions["GlobalSecondaryIndexes"]
        .as_array()
        .map(|a| a.iter().filter_map(|g| g["IndexName"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let choose_index = {
        let index = index.clone();
        Callback::from(move |e: Event| index.set(crate::components::value_of(&e)))
    };
    html! {
        <section class="card capacity-view" data-testid="capacity-view">
            <div class="row">
                <h2>{ format!("Capacity · {}", props.table) }</h2>
                <span class="spacer" />
                <TimeControls time={s.time.clone()} />
            </div>
            if let Some(e) = &s.error { <p class="error-text" role="alert">{ e.clone() }</p> }
            <WorkloadPanel table={props.table.clone()} workloads={s.workloads.clone()} />
            <PartitionMap partitions={s.partitions.clone()} />
            <div class="row">
                <label class="field narrow">{ "Charts and hot keys for" }
                    <select onchange={choose_index} data-testid="capacity-index">
                        <option value="" selected={index.is_empty()}>{ "the table" }</option>
                        { for indexes.iter().map(|n| html! { <option value={n.clone()} selected={*index == *n}>{ format!("GSI {n}") }</option> }) }
                    </select>
                </label>
            </div>
            <div class="capacity-charts" data-testid="capacity-charts">
                <Chart title="Write capacity (WCU/s)" kind={Kind::Write} series={s.series.clone()} />
                <Chart title="Read capacity (RCU/s)" kind={Kind::Read} series={s.series.clone()} />
            </div>
            <HotKeys hot={s.hot.clone()} />
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// Time controls

#[derive(Properties, PartialEq)]
struct TimeProps {
    time: Rc<Value>,
}

#[component]
fn TimeControls(props: &TimeProps) -> Html {
    let ctx = use_host();
    let paused = props.time["Paused"].as_bool().unwrap_or(false);
    let speed = props.time["Speed"].as_f64().unwrap_or(1.0);
    let now = props.time["Now"].as_f64().unwrap_or(0.0);
    let send = |op: &'static str, body: Value| {
        let host = ctx.host.clone();
        Callback::from(move |_: MouseEvent| {
            let host = host.clone();
            let body = body.clone();
            yew::platform::spawn_local(async move {
                let _ = host.send(op, &body).await;
            });
        })
    };
    let shown = if now > 0.0 {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(now));
        String::from(d.to_iso_string()).replace('T', " ").trim_end_matches('Z').to_owned()
    } else {
        "…".to_owned()
    };
    html! {
        <div class="time-controls" role="group" aria-label="Engine time">
            <span class="engine-time" data-testid="engine-time" title="Engine time (UTC)">{ shown }</span>
            <button type="button" class="btn small" data-testid="time-pause" onclick={send("PlaygroundUpdateTime", json!({"Paused": !paused}))}>
                { if paused { "▶ Resume" } else { "⏸ Pause" } }
            </button>
            <button type="button" class="btn small" data-testid="time-step" onclick={send("PlaygroundAdvanceTime", json!({"Milliseconds": 1000}))}>{ "+1 s" }</button>
            <span class="segmented" role="group" aria-label="Speed">
                { for [1.0, 10.0, 60.0].into_iter().map(|x: f64| html! {
                    <button type="button" class={classes!("tab", ((speed - x).abs() < 1e-6).then_some("active"))}
                        aria-pressed={((speed - x).abs() < 1e-6).to_string()}
                        data-testid={format!("speed-{x}")}
                        onclick={send("PlaygroundUpdateTime", json!({"Speed": x}))}>{ format!("{x}×") }</button>
                }) }
            </span>
        </div>
    }
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
        }
    }
}

impl WorkloadForm {
    fn request(&self, table: &str) -> Result<Value, String> {
        let int = |s: &str, name: &str| s.trim().parse::<u64>().map_err(|_| format!("{name} must be a whole number"));
        let read: f64 = self.read_percent.trim().parse().map_err(|_| "Reads % must be a number".to_owned())?;
        Ok(json!({
            "TableName": table,
            "Distribution": self.distribution,
            "RequestsPerSecond": int(&self.rate, "Rate")?,
            "ReadRatio": (read / 100.0).clamp(0.0, 1.0),
            "ItemSizeBytes": int(&self.item_size, "Item size")?,
            "KeyCount": int(&self.key_count, "Keys")?,
            "Seed": int(&self.seed, "Seed")?,
        }))
    }
}

#[derive(Properties, PartialEq)]
struct WorkloadProps {
    table: AttrValue,
    workloads: Rc<Value>,
}

#[component]
fn WorkloadPanel(props: &WorkloadProps) -> Html {
    let ctx = use_host();
    let form = use_reducer(|| FormState(WorkloadForm::default()));
    let f = &form.0;
    let start = {
        let form = form.clone();
        let host = ctx.host.clone();
        let table = props.table.to_string();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let request = form.0.request(&table);
            let form = form.clone();
            let host = host.clone();
            yew::platform::spawn_local(async move {
                let error = match request {
                    Err(m) => Some(m),
                    Ok(r) => host.send("PlaygroundStartWorkload", &r).await.err().map(|e| {
                        e["message"].as_str().unwrap_or("the workload was refused").to_owned()
                    }),
                };
                form.dispatch(Box::new(move |f: &mut WorkloadForm| f.error = error));
            });
        })
    };
    let stop = |id: u64| {
        let host = ctx.host.clone();
        Callback::from(move |_: MouseEvent| {
            let host = host.clone();
            yew::platform::spawn_local(async move {
                let _ = host.send("PlaygroundStopWorkload", &json!({"WorkloadId": id})).await;
            });
        })
    };
    let list = props.workloads.as_array().cloned().unwrap_or_default();
    html! {
        <fieldset class="workloads">
            <legend>{ "Workload generator" }</legend>
            <form class="row" onsubmit={start} data-testid="workload-form">
                <label class="field narrow">{ "Keys" }
                    <select onchange={on_change(&form, |f: &mut WorkloadForm, v| f.distribution = v)} data-testid="workload-distribution">
                        { for [("HOT_KEY", "single hot key"), ("UNIFORM", "uniform"), ("ZIPFIAN", "zipfian"), ("SEQUENTIAL", "sequential")].into_iter().map(|(v, l)| html! {
                            <option value={v} selected={f.distribution == v}>{ l }</option>
                        }) }
                    </select>
                </label>
                <label class="field narrow">{ "Requests/s" }
                    <input value={f.rate.clone()} inputmode="numeric" data-testid="workload-rate" oninput={on_input(&form, |f: &mut WorkloadForm, v| f.rate = v)} /></label>
                <label class="field narrow">{ "Reads %" }
                    <input value={f.read_percent.clone()} inputmode="numeric" data-testid="workload-reads" oninput={on_input(&form, |f: &mut WorkloadForm, v| f.read_percent = v)} /></label>
                <label class="field narrow">{ "Item bytes" }
                    <input value={f.item_size.clone()} inputmode="numeric" data-testid="workload-size" oninput={on_input(&form, |f: &mut WorkloadForm, v| f.item_size = v)} /></label>
                <label class="field narrow">{ "Distinct keys" }
                    <input value={f.key_count.clone()} inputmode="numeric" data-testid="workload-keys" oninput={on_input(&form, |f: &mut WorkloadForm, v| f.key_count = v)} /></label>
                <label class="field narrow">{ "Seed" }
                    <input value={f.seed.clone()} inputmode="numeric" data-testid="workload-seed" oninput={on_input(&form, |f: &mut WorkloadForm, v| f.seed = v)} /></label>
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
                            <span>{ format!(" {} · {}/s · reads {:.0}% ",
                                spec["Distribution"].as_str().unwrap_or("UNIFORM"),
                                spec["RequestsPerSecond"].as_u64().unwrap_or(100),
                                spec["ReadRatio"].as_f64().unwrap_or(0.5) * 100.0) }</span>
                            <span class="muted small">{ format!("{} requests, {} throttled, {} errors",
                                w["Requests"], w["Throttled"], w["Errors"]) }</span>
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

// ---------------------------------------------------------------------------------------------
// Partition map

#[derive(Properties, PartialEq)]
struct MapProps {
    partitions: Rc<Value>,
}

#[component]
fn PartitionMap(props: &MapProps) -> Html {
    let p = &*props.partitions;
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
            { for resources.into_iter().map(|(name, r)| html! { <ResourceMap name={AttrValue::from(name)} resource={Rc::new(r)} /> }) }
            <p class="small muted legend-line">
                <span class="swatch" style={format!("background:{}", cs::heat_colour(0.0))} />{ " idle " }
                <span class="swatch" style={format!("background:{}", cs::heat_colour(0.7))} />{ " 70% " }
                <span class="swatch" style={format!("background:{}", cs::heat_colour(1.0))} />{ " at its ceiling " }
                <span class="throttle-dot" />{ " throttled this or last second" }
            </p>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ResourceProps {
    name: AttrValue,
    resource: Rc<Value>,
}

fn bucket(v: &Value) -> Option<String> {
    let level = v["Level"].as_f64()?;
    let cap = v["Capacity"].as_f64()?;
    Some(format!("{} / {}", cs::units(level), cs::units(cap)))
}

#[component]
fn ResourceMap(props: &ResourceProps) -> Html {
    let r = &*props.resource;
    let parts = r["Partitions"].as_array().cloned().unwrap_or_default();
    let f = |v: &Value, n: &str| v[n].as_f64().unwrap_or(0.0);
    html! {
        <div class="resource-map">
            <div class="row small">
                <strong>{ props.name.clone() }</strong>
                <span class="muted">{ format!("{} partitions · {} items · {} · now {} RCU / {} WCU",
                    r["PartitionCount"], r["ItemCount"], cs::bytes(f(r, "SizeBytes")),
                    cs::units(f(r, "ReadCapacityUnits")), cs::units(f(r, "WriteCapacityUnits"))) }</span>
                if let Some(b) = bucket(&r["WritePool"]) { <span class="muted">{ format!("· write burst {b}") }</span> }
                if let Some(b) = bucket(&r["ReadPool"]) { <span class="muted">{ format!("· read burst {b}") }</span> }
            </div>
            <div class="partition-track">
            { for parts.iter().map(|p| {
                let start = f(p, "StartFraction");
                let end = f(p, "EndFraction");
                let heat = cs::heat(p);
                let throttled = p["ReadThrottleEvents"].as_u64().unwrap_or(0) + p["WriteThrottleEvents"].as_u64().unwrap_or(0) > 0;
                let read = f(p, "ConsumedReadCapacityUnits").max(f(p, "LastSecondConsumedReadCapacityUnits"));
                let write = f(p, "ConsumedWriteCapacityUnits").max(f(p, "LastSecondConsumedWriteCapacityUnits"));
                let avail = |prov: f64, max: f64| if prov > 0.0 { prov } else { max };
                let avail_r = avail(f(p, "ProvisionedReadCapacityUnits"), f(p, "MaxReadCapacityUnits"));
                let avail_w = avail(f(p, "ProvisionedWriteCapacityUnits"), f(p, "MaxWriteCapacityUnits"));
                let title = format!("Partition {} · hash {}–{}\n{} items, {}\nreads {} of {} RCU/s · writes {} of {} WCU/s{}{}",
                    p["PartitionId"], p["KeyRangeStart"].as_str().unwrap_or(""), p["KeyRangeEnd"].as_str().unwrap_or(""),
                    p["ItemCount"], cs::bytes(f(p, "SizeBytes")),
                    cs::units(read), cs::units(avail_r), cs::units(write), cs::units(avail_w),
                    bucket(&p["WriteBucket"]).map(|b| format!("\nwrite bucket {b}")).unwrap_or_default(),
                    if throttled { format!("\nthrottled: {} read / {} write events", p["ReadThrottleEvents"], p["WriteThrottleEvents"]) } else { String::new() });
                html! {
                    <div class={classes!("partition", throttled.then_some("throttled"))}
                        data-testid="partition" data-throttled={throttled.to_string()} data-heat={format!("{heat:.2}")}
                        style={format!("flex: 0 0 {:.3}%", (end - start) * 100.0)} title={title}>
                        <div class="fill" style={format!("height:{:.0}%; background:{}", heat.clamp(0.0, 1.0) * 100.0, cs::heat_colour(heat))} />
                        <div class="partition-label">
                            <strong>{ format!("P{}", p["PartitionId"]) }</strong>
                            <span>{ format!("{} items · {}", p["ItemCount"], cs::bytes(f(p, "SizeBytes"))) }</span>
                            <span>{ format!("W {}/{}", cs::units(write), cs::units(avail_w)) }</span>
                            <span>{ format!("R {}/{}", cs::units(read), cs::units(avail_r)) }</span>
                        </div>
                        if throttled { <span class="throttle-dot" aria-label="throttled" /> }
                    </div>
                }
            }) }
            </div>
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// Charts

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Read,
    Write,
}

#[derive(Properties)]
struct ChartProps {
    title: AttrValue,
    kind: Kind,
    series: Rc<Series>,
}

impl PartialEq for ChartProps {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.title == other.title && self.series.version == other.series.version
    }
}

const W: f64 = 600.0;
const H: f64 = 140.0;

#[component]
fn Chart(props: &ChartProps) -> Html {
    let s = &*props.series;
    let (consumed, provisioned, throttles) = match props.kind {
        Kind::Read => (&s.read, &s.provisioned_read, &s.read_throttles),
        Kind::Write => (&s.write, &s.provisioned_write, &s.write_throttles),
    };
    let g = use_memo(s.version, |_| cs::geometry(consumed, provisioned, throttles, W, H));
    let last = consumed.last().copied().unwrap_or(0.0);
    let prov = provisioned.last().copied().unwrap_or(0.0);
    let class = match props.kind {
        Kind::Read => "chart read",
        Kind::Write => "chart write",
    };
    html! {
        <figure class={class} data-testid={match props.kind { Kind::Read => "chart-read", Kind::Write => "chart-write" }}
            data-points={consumed.len().to_string()} data-throttles={g.throttles.len().to_string()}>
            <figcaption>
                <strong>{ props.title.clone() }</strong>
                <span class="muted small">{ format!(" now {} · provisioned {} · {} throttled seconds",
                    cs::units(last), if prov > 0.0 { cs::units(prov) } else { "on demand".into() }, g.throttles.len()) }</span>
            </figcaption>
            <svg viewBox={format!("-34 -8 {} {}", W + 40.0, H + 24.0)} role="img" aria-label={props.title.clone()}>
                <line class="axis" x1="0" y1={H.to_string()} x2={W.to_string()} y2={H.to_string()} />
                <line class="grid" x1="0" y1={(H / 2.0).to_string()} x2={W.to_string()} y2={(H / 2.0).to_string()} />
                <text class="tick" x="-4" y="4" text-anchor="end">{ cs::units(g.max) }</text>
                <text class="tick" x="-4" y={(H / 2.0 + 4.0).to_string()} text-anchor="end">{ cs::units(g.max / 2.0) }</text>
                <text class="tick" x="-4" y={(H + 4.0).to_string()} text-anchor="end">{ "0" }</text>
                <text class="tick" x="0" y={(H + 15.0).to_string()}>{ format!("−{} s", cs::WINDOW_SECONDS) }</text>
                <text class="tick" x={W.to_string()} y={(H + 15.0).to_string()} text-anchor="end">{ "now" }</text>
                { for g.throttles.iter().map(|x| html! {
                    <rect class="throttle" x={format!("{:.1}", x - 2.0)} y="0" width="4" height={H.to_string()} />
                }) }
                <path class="area" d={g.area.clone()} />
                <path class="line" d={g.line.clone()} />
                if !g.provisioned.is_empty() { <path class="provisioned" d={g.provisioned.clone()} /> }
            </svg>
        </figure>
    }
}

// ---------------------------------------------------------------------------------------------
// Hot keys

#[derive(Properties, PartialEq)]
struct HotProps {
    hot: Rc<Value>,
}

fn key_text(k: &Value) -> String {
    match k.as_object().and_then(|m| m.values().next()) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => k.to_string(),
    }
}

#[component]
fn HotKeys(props: &HotProps) -> Html {
    let list = |title: &str, v: &Value, unit: &str, testid: &str| {
        let keys = v["Keys"].as_array().cloned().unwrap_or_default();
        let total = v["Total"].as_f64().unwrap_or(0.0);
        html! {
            <div class="hot-list" data-testid={testid.to_owned()}>
                <h3>{ title.to_owned() }</h3>
                if keys.is_empty() { <p class="muted small">{ "None in the last minute." }</p> }
                <ol>
                { for keys.iter().map(|k| {
                    let count = k["Count"].as_f64().unwrap_or(0.0);
                    let share = if total > 0.0 { count / total } else { 0.0 };
                    html! {
                        <li>
                            <code>{ key_text(&k["Key"]) }</code>
                            <span class="bar"><span style={format!("width:{:.0}%", share * 100.0)} /></span>
                            <span class="small">{ format!("{} {unit} ({:.0}%)", cs::units(count), share * 100.0) }</span>
                        </li>
                    }
                }) }
                </ol>
            </div>
        }
    };
    html! {
        <div class="hot-keys">
            { list("Most accessed keys", &props.hot["MostAccessed"], "units", "hot-accessed") }
            { list("Most throttled keys", &props.hot["MostThrottled"], "requests", "hot-throttled") }
        </div>
    }
}
