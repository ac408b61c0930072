//! The live stream viewer of a table: its stream (with *Disable stream*, or a button to enable one), the shard tree
//! (parent → children), and the records as they arrive — read from TRIM_HORIZON of every shard
//! while the viewer is open — filtered by event type, each expandable to its images. It renders
//! in the module loaded on demand (`learn/`, beside a table's items) and sends through the
//! [`Sender`] of its context.

use std::cell::Cell;
use std::rc::Rc;

use serde_json::{json, Value};
use yew::prelude::*;

use crate::fixed::plural;
use crate::triggers::event_source::{short_shard, ShardMap};
use crate::triggers::lambda::{self, ShardInfo};
use crate::ui::app::{panel_heading, panel_id};
use crate::ui::components::exchange::Sender;
use crate::ui::components::value_of;
use crate::ui::route::ItemsPanel;

/// Most records the viewer keeps.
const MAX_RECORDS: usize = 300;

/// Properties of [`StreamViewer`].
#[derive(Properties, PartialEq)]
pub struct StreamViewerProps {
    /// The table.
    pub table: AttrValue,
}

#[derive(Clone, PartialEq, Default)]
struct Seen {
    arn: Option<String>,
    view_type: String,
    shards: Vec<ShardInfo>,
    /// `(shard id, record)`, oldest first.
    records: Vec<(String, Value)>,
    error: Option<String>,
}

fn keys_text(record: &Value) -> String {
    let keys = &record["dynamodb"]["Keys"];
    keys.as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    format!(
                        "{k}={}",
                        crate::ui::itemjson::value_to_plain(v).map_or_else(
                            |_| v.to_string(),
                            |p| p.as_str().map_or_else(|| p.to_string(), String::from)
                        )
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

fn time_text(record: &Value) -> String {
    lambda::record_time_ms(record)
        .map(|ms| {
            let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
            format!("{:02}:{:02}:{:02}", d.get_hours(), d.get_minutes(), d.get_seconds())
        })
        .unwrap_or_default()
}

/// The live stream viewer.
#[component]
pub fn StreamViewer(props: &StreamViewerProps) -> Html {
    let sender = use_context::<Sender>().expect("the stream viewer renders under a Sender");
    let seen = use_state(Seen::default);
    let filter = use_state(|| "ALL".to_string());
    let view_type = use_state(|| "NEW_AND_OLD_IMAGES".to_string());
    let table = props.table.to_string();
    {
        // Poll while this table is shown.
        let host = sender.clone();
        let seen = seen.clone();
        use_effect_with(table.clone(), move |table| {
            let alive = Rc::new(Cell::new(true));
            let running = alive.clone();
            let table = table.clone();
            seen.set(Seen::default());
            yew::platform::spawn_local(async move {
                let mut state = Seen::default();
                let mut iterators: ShardMap<Option<String>> = ShardMap::default();
                while running.get() {
                    let mut changed = false;
                    let d = host.request("DescribeTable", &json!({"TableName": table})).await;
                    let arn = d.as_ref().ok().and_then(|d| {
                        (d["Table"]["StreamSpecification"]["StreamEnabled"] == json!(true))
                            .then(|| d["Table"]["LatestStreamArn"].as_str().map(String::from))
                            .flatten()
                    });
                    if arn != state.arn {
                        state = Seen { arn: arn.clone(), ..Seen::default() };
                        iterators.clear();
                        changed = true;
                    }
                    if let Some(arn) = &arn {
                        // Every page: DescribeStream lists 100 shards at a time.
                        let mut listing = lambda::ShardListing::default();
                        while let Some(request) = listing.next_request(arn) {
                            match host.request("DescribeStream", &request).await {
                                Ok(page) => listing.add(&page),
                                Err(e) => {
                                    state.error = Some(format!(
                                        "DescribeStream: {}",
                                        e["message"].as_str().unwrap_or("")
                                    ));
                                    changed = true;
                                    break;
                                }
                            }
                        }
                        if listing.complete() {
                            let shards = listing.shards();
                            let vt = listing.view_type.clone();
                            if shards != state.shards || vt != state.view_type {
                                state.shards = shards;
                                state.view_type = vt;
                                changed = true;
                            }
                            for shard in lambda::parents_first(&state.shards) {
                                let mut entry = iterators.get(&shard.id).cloned().flatten();
                                if entry.is_none() {
                                    let r = host
                                        .request("GetShardIterator", &json!({"StreamArn": arn, "ShardId": shard.id, "ShardIteratorType": "TRIM_HORIZON"}))
                                        .await;
                                    match r {
                                        Ok(v) => entry = v["ShardIterator"].as_str().map(String::from),
                                        Err(_) => continue,
                                    }
                                }
                                let Some(it) = entry.clone().filter(|i| !i.is_empty()) else {
                                    iterators.insert(shard.id.clone(), entry);
                                    continue;
                                };
                                match host.request("GetRecords", &json!({"ShardIterator": it})).await {
                                    Ok(page) => {
                                        for r in page["Records"].as_array().into_iter().flatten() {
                                            lambda::insert_by_sequence(
                                                &mut state.records,
                                                &shard.id,
                                                r.clone(),
                                            );
                                            changed = true;
                                        }
                                        // A finished shard keeps `Some("")` so it is not re-read.
                                        entry = Some(
                                            page["NextShardIterator"].as_str().unwrap_or("").to_string(),
                                        );
                                    }
                                    Err(e) => {
                                        state.error = Some(format!(
                                            "GetRecords: {}",
                                            e["message"].as_str().unwrap_or("")
                                        ));
                                        entry = None;
                                        changed = true;
                                    }
                                }
                                iterators.insert(shard.id.clone(), entry);
                            }
                        }
                    }
                    if state.records.len() > MAX_RECORDS {
                        let extra = state.records.len() - MAX_RECORDS;
                        state.records.drain(..extra);
                    }
                    if changed && running.get() {
                        seen.set(state.clone());
                    }
                    yew::platform::time::sleep(std::time::Duration::from_millis(700)).await;
                }
            });
            move || alive.set(false)
        });
    }
    // Enable (with the chosen view type) or disable the stream: one UpdateTable either way.
    let stream_update = |enabled: bool| {
        let host = sender.clone();
        let table = table.clone();
        let view_type = view_type.clone();
        let seen = seen.clone();
        Callback::from(move |_: MouseEvent| {
            let host = host.clone();
            let request = if enabled {
                json!({"TableName": table, "StreamSpecification": {"StreamEnabled": true, "StreamViewType": *view_type}})
            } else {
                let sure = web_sys::window()
                    .and_then(|w| {
                        w.confirm_with_message(
                            "Disable the stream? No new records are written; a trigger on it stops once it has read what is there.",
                        )
                        .ok()
                    })
                    .unwrap_or(false);
                if !sure {
                    return;
                }
                json!({"TableName": table, "StreamSpecification": {"StreamEnabled": false}})
            };
            let seen = seen.clone();
            yew::platform::spawn_local(async move {
                if let Err(e) = host.request("UpdateTable", &request).await {
                    seen.set(Seen {
                        error: Some(format!("UpdateTable: {}", e["message"].as_str().unwrap_or(""))),
                        ..(*seen).clone()
                    });
                }
            });
        })
    };
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: Event| filter.set(value_of(&e)))
    };
    let on_view_type = {
        let view_type = view_type.clone();
        Callback::from(move |e: Event| view_type.set(value_of(&e)))
    };
    let shown: Vec<&(String, Value)> = seen
        .records
        .iter()
        .rev()
        .filter(|(_, r)| *filter == "ALL" || r["eventName"].as_str() == Some(filter.as_str()))
        .collect();
    html! {
        <section class="card stream-viewer" id={panel_id(ItemsPanel::Stream)} data-testid="stream-viewer">
            { panel_heading(&props.table, ItemsPanel::Stream, "Stream") }
            if let Some(arn) = &seen.arn {
                <div class="row">
                    <p class="muted small"><code>{ arn.clone() }</code>{ format!(" · {}", seen.view_type) }</p>
                    <span class="spacer" />
                    <button type="button" class="btn small danger" onclick={stream_update(false)} data-testid="disable-stream">{ "Disable stream" }</button>
                </div>
                <div class="stream-grid">
                    <div class="shard-tree" data-testid="shard-tree">
                        <div class="label" data-testid="shard-count">{ format!("Shards (parent → children) · {}", seen.shards.len()) }</div>
                        <ul>
                        { for lambda::shard_tree(&seen.shards).into_iter().map(|(depth, s)| {
                            let count = seen.records.iter().filter(|(id, _)| *id == s.id).count();
                            html! {
                                <li style={format!("padding-left: calc({depth} * 1.1rem)")}>
                                    { if depth > 0 { "└ " } else { "" } }
                                    <code title={s.id.clone()}>{ short_shard(&s.id) }</code>
                                    <span class={classes!("badge-shard", if s.closed { "closed" } else { "open" })}>{ if s.closed { "closed" } else { "open" } }</span>
                                    <span class="muted small">{ format!(" {count} rec") }</span>
                                </li>
                            }
                        }) }
                        </ul>
                    </div>
                    <div class="records">
                        <div class="row">
                            <label class="field narrow">{ "Event type" }
                                <select onchange={on_filter} data-testid="stream-filter">
                                    { for ["ALL", "INSERT", "MODIFY", "REMOVE"].iter().map(|t| html! {
                                        <option value={*t} selected={*filter == *t}>{ if *t == "ALL" { "All" } else { t } }</option>
                                    }) }
                                </select></label>
                            <span class="muted small" data-testid="stream-count">{ format!("{} of {}, newest first", shown.len(), plural(seen.records.len() as u64, "record")) }</span>
                        </div>
                        if shown.is_empty() {
                            <p class="muted small">{ "No records yet — write to the table and they appear here." }</p>
                        }
                        <div class="record-list" data-testid="stream-records">
                        { for shown.iter().map(|(shard, r)| {
                            let name = r["eventName"].as_str().unwrap_or("?").to_string();
                            let ttl = r.get("userIdentity").is_some();
                            html! {
                                <details class="record">
                                    <summary>
                                        <span class={classes!("event", format!("event-{}", name.to_lowercase()))}>{ name.clone() }</span>
                                        <code>{ keys_text(r) }</code>
                                        if ttl { <span class="badge-shard closed">{ "TTL" }</span> }
                                        <span class="muted small">{ format!("{} · seq {} · shard {}", time_text(r), r["dynamodb"]["SequenceNumber"].as_str().unwrap_or(""), short_shard(shard)) }</span>
                                    </summary>
                                    <pre class="json">{ crate::ui::pretty::pretty(r) }</pre>
                                </details>
                            }
                        }) }
                        </div>
                    </div>
                </div>
            } else {
                <p class="muted small">{ "This table has no stream. Enable one to watch every change (and to attach a trigger):" }</p>
                <div class="row">
                    <label class="field narrow">{ "View type" }
                        <select onchange={on_view_type} data-testid="stream-view-type">
                            { for ["NEW_AND_OLD_IMAGES", "NEW_IMAGE", "OLD_IMAGE", "KEYS_ONLY"].iter().map(|t| html! {
                                <option value={*t} selected={*view_type == *t}>{ *t }</option>
                            }) }
                        </select></label>
                    <button type="button" class="btn primary" onclick={stream_update(true)} data-testid="enable-stream">{ "Enable stream" }</button>
                </div>
            }
            if let Some(e) = &seen.error {
                <p class="error-text">{ e.clone() }</p>
            }
        </section>
    }
}
