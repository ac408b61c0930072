//! The TTL panel of a table: its TTL status and attribute (DescribeTimeToLive), enabling or
//! disabling it (UpdateTimeToLive), and the items that carry the attribute, soonest first, with
//! how long until they expire on the engine clock (a Scan of the attribute; expired items stay
//! readable until the engine's sweeper deletes them a few seconds later). It renders in the
//! module loaded on demand (`learn/`, beside a table's items) and sends through the [`Sender`]
//! of its context.

use serde_json::{json, Value};
use yew::prelude::*;

use crate::ui::app::{panel_heading, panel_id};
use crate::ui::components::exchange::Sender;
use crate::ui::components::value_of;
use crate::ui::route::ItemsPanel;

/// Properties of [`TtlPanel`].
#[derive(Properties, PartialEq)]
pub struct TtlPanelProps {
    /// The table.
    pub table: AttrValue,
    /// Bumped whenever the workspace changes: the panel reads the table again.
    pub revision: u64,
    /// Whether requests go to an endpoint, where a Scan on a timer may cost the learner money.
    pub remote: bool,
}

#[derive(Clone, PartialEq, Default)]
struct TtlState {
    status: String,
    attribute: Option<String>,
    /// `(key text, expiry in epoch seconds)`, soonest first.
    items: Vec<(String, f64)>,
    message: Option<(bool, String)>,
}

fn key_text(item: &Value, keys: &[String]) -> String {
    keys.iter()
        .map(|k| {
            let v = &item[k];
            let plain = crate::ui::itemjson::value_to_plain(v).unwrap_or(Value::Null);
            format!("{k}={}", plain.as_str().map_or_else(|| plain.to_string(), String::from))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The TTL panel.
#[component]
pub fn TtlPanel(props: &TtlPanelProps) -> Html {
    let sender = use_context::<Sender>().expect("the TTL panel renders under a Sender");
    let table = props.table.to_string();
    let state = use_state(TtlState::default);
    let attribute = use_state(|| "expiresAt".to_string());
    let tick = use_state(|| 0u32);
    {
        // Re-render once a second for the countdowns.
        let tick = tick.clone();
        use_effect_with((), move |_| {
            let alive = std::rc::Rc::new(std::cell::Cell::new(true));
            let running = alive.clone();
            yew::platform::spawn_local(async move {
                let mut n = 0;
                while running.get() {
                    yew::platform::time::sleep(std::time::Duration::from_millis(1000)).await;
                    n += 1;
                    if running.get() {
                        tick.set(n);
                    }
                }
            });
            move || alive.set(false)
        });
    }
    {
        let host = sender.clone();
        let state = state.clone();
        let attribute = attribute.clone();
        // Every commit (and every 5 s: the sweeper deletes without a request of ours) — but
        // never on a timer against an endpoint, where a Scan may cost the learner money.
        let every_5s = if props.remote { 0 } else { *tick / 5 };
        use_effect_with((table.clone(), props.revision, every_5s), move |(table, _, _)| {
            let table = table.clone();
            yew::platform::spawn_local(async move {
                let d = host.request("DescribeTimeToLive", &json!({"TableName": table})).await;
                let Ok(d) = d else { return };
                let desc = &d["TimeToLiveDescription"];
                let status = desc["TimeToLiveStatus"].as_str().unwrap_or("DISABLED").to_string();
                let attr = desc["AttributeName"].as_str().map(String::from);
                let mut items = Vec::new();
                if let Some(a) = &attr {
                    attribute.set(a.clone());
                    let keys: Vec<String> =
                        match host.request("DescribeTable", &json!({"TableName": table})).await {
                            Ok(t) => t["Table"]["KeySchema"]
                                .as_array()
                                .into_iter()
                                .flatten()
                                .filter_map(|k| k["AttributeName"].as_str().map(String::from))
                                .collect(),
                            Err(_) => Vec::new(),
                        };
                    let scan = json!({"TableName": table, "FilterExpression": "attribute_exists(#t)", "ExpressionAttributeNames": {"#t": a}});
                    if let Ok(s) = host.request("Scan", &scan).await {
                        for item in s["Items"].as_array().into_iter().flatten() {
                            // Whole epoch seconds; integer parsing keeps float parsing out of the bundle.
                            if let Some(n) = item[a]["N"]
                                .as_str()
                                .and_then(|n| n.split('.').next()?.parse::<i64>().ok())
                                .map(|n| n as f64)
                            {
                                items.push((key_text(item, &keys), n));
                            }
                        }
                    }
                    dynaplay_engine::types::sort_by(&mut items, |x, y| x.1.total_cmp(&y.1));
                }
                let message = state.message.clone();
                state.set(TtlState { status, attribute: attr, items, message });
            });
        });
    }
    let update = |enabled: bool| {
        let host = sender.clone();
        let table = table.clone();
        let attribute = attribute.clone();
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let request = json!({"TableName": table, "TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": *attribute}});
            let host = host.clone();
            let state = state.clone();
            yew::platform::spawn_local(async move {
                let message = match host.request("UpdateTimeToLive", &request).await {
                    Ok(_) => {
                        (true, format!("UpdateTimeToLive: {}", if enabled { "enabled" } else { "disabled" }))
                    }
                    Err(e) => {
                        (false, format!("UpdateTimeToLive failed: {}", e["message"].as_str().unwrap_or("")))
                    }
                };
                state.set(TtlState { message: Some(message), ..(*state).clone() });
            });
        })
    };
    let on_attr = {
        let attribute = attribute.clone();
        Callback::from(move |e: InputEvent| attribute.set(value_of(&e)))
    };
    let now = js_sys::Date::now() / 1000.0;
    let enabled = state.status == "ENABLED" || state.status == "ENABLING";
    html! {
        <section class="card ttl" id={panel_id(ItemsPanel::Ttl)} data-testid="ttl-panel">
            { panel_heading(&props.table, ItemsPanel::Ttl, "Time to live") }
            <div class="row">
                <span data-testid="ttl-status"><strong>{ state.status.clone() }</strong>
                    if let Some(a) = &state.attribute { { " on " }<code>{ a.clone() }</code> }</span>
                <label class="field narrow">{ "TTL attribute" }
                    <input value={(*attribute).clone()} oninput={on_attr} disabled={enabled} data-testid="ttl-attribute" /></label>
                if enabled {
                    <button type="button" class="btn danger" onclick={update(false)} data-testid="ttl-disable">{ "Disable TTL" }</button>
                } else {
                    <button type="button" class="btn primary" onclick={update(true)} data-testid="ttl-enable">{ "Enable TTL" }</button>
                }
            </div>
            if let Some((ok, m)) = &state.message {
                <p class={if *ok { "muted small" } else { "error-text" }}>{ m.clone() }</p>
            }
            if state.attribute.is_some() {
                <p class="muted small">{ "Items with the attribute (epoch seconds, a Number), soonest first. An expired item is still returned until the engine's sweeper deletes it, a few seconds of engine time later; its REMOVE record carries userIdentity Service/dynamodb.amazonaws.com." }</p>
                if state.items.is_empty() {
                    <p class="muted small">{ "No item has the attribute." }</p>
                }
                <ul class="ttl-items" data-testid="ttl-items">
                { for state.items.iter().take(50).map(|(key, at)| {
                    let left = at - now;
                    let text = if left > 0.0 { format!("expires in {}", human(left)) } else { format!("expired {} ago — awaiting deletion", human(-left)) };
                    html! { <li class={classes!((left <= 0.0).then_some("expired"))}><code>{ key.clone() }</code>{ " · " }{ text }</li> }
                }) }
                </ul>
            }
        </section>
    }
}

fn human(seconds: f64) -> String {
    let s = seconds.round() as i64;
    if s < 120 {
        format!("{s} s")
    } else if s < 7200 {
        format!("{} min", s / 60)
    } else if s < 172_800 {
        format!("{} h", s / 3600)
    } else {
        format!("{} days", s / 86_400)
    }
}
