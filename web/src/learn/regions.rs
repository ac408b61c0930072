//! The *Regions* view (`#/regions`): the playground's Regions — each online or taken offline
//! with a click — and for each global table its replicas (status, items, how far behind each
//! is), every write on its way between Regions and the conflicts resolved, with who won and
//! why (last writer wins). Forms make a table global (a replica in another Region), set the
//! replication delay, and write or read an item in a chosen Region, so a learner can race two
//! Regions and watch them converge. It asks `PlaygroundDescribeRegions` a few times a second:
//! each request also moves engine time, which is what delivers the writes on their way. What
//! it computes is `ui::regions`, unit-tested natively.

use serde_json::{json, Value};
use yew::prelude::*;

use super::{use_page, LearnContext};
use dynaplay_web::ui::components::{on_change, on_input, FormState};
use dynaplay_web::ui::pretty;
use dynaplay_web::ui::regions::{self, GlobalTable, RegionsView};

/// How often the view asks again (ms).
const POLL_MS: u64 = 250;

/// The forms' values.
#[derive(Clone, PartialEq, Default)]
struct Forms {
    /// Make a table global: which table, which Region.
    table: String,
    region: String,
    /// The replication delay typed.
    delay: String,
    /// Write or read an item: in which Region, which table, the item as DynamoDB JSON.
    write_region: String,
    write_table: String,
    item: String,
}

fn message(error: &Value) -> String {
    error["message"].as_str().or(error["Message"].as_str()).unwrap_or("the request failed").to_owned()
}

/// The Regions view.
#[component]
pub fn Regions() -> Html {
    let LearnContext { page, revision } = use_page();
    let view = use_state(|| None::<Result<RegionsView, String>>);
    let tables = use_state(Vec::<String>::new);
    let tick = use_state(|| 0u64);
    let forms = use_reducer(|| {
        FormState(Forms {
            region: "us-west-2".into(),
            write_region: "us-east-1".into(),
            item: r#"{"pk": {"S": "item-1"}, "value": {"S": "hello"}}"#.into(),
            ..Forms::default()
        })
    });
    // The outcome of the last action, in words (an error in red).
    let said = use_state(|| None::<Result<String, String>>);
    {
        let (page, view, tick) = (page.clone(), view.clone(), tick.clone());
        use_effect_with((revision, *tick), move |(_, n)| {
            let alive = std::rc::Rc::new(std::cell::Cell::new(true));
            let (running, n) = (alive.clone(), *n);
            yew::platform::spawn_local(async move {
                let answer = page.send("PlaygroundDescribeRegions", &json!({})).await;
                if !running.get() {
                    return;
                }
                view.set(Some(answer.map(|a| RegionsView::from_answer(&a)).map_err(|e| message(&e))));
                yew::platform::time::sleep(std::time::Duration::from_millis(POLL_MS)).await;
                if running.get() {
                    tick.set(n + 1);
                }
            });
            move || alive.set(false)
        });
    }
    {
        let (page, tables) = (page.clone(), tables.clone());
        use_effect_with(revision, move |_| {
            yew::platform::spawn_local(async move {
                if let Ok(answer) = page.send("ListTables", &json!({})).await {
                    let names = answer["TableNames"].as_array().cloned().unwrap_or_default();
                    tables.set(names.iter().filter_map(Value::as_str).map(str::to_owned).collect());
                }
            });
        });
    }
    let current = match &*view {
        Some(Ok(v)) => v.clone(),
        Some(Err(e)) => {
            return html! { <section class="card regions" data-testid="regions"><p class="error-text" role="alert">{ e.clone() }</p></section> }
        }
        None => {
            return html! { <section class="card regions" aria-busy="true" data-testid="regions"><p class="muted">{ "Reading the Regions…" }</p></section> }
        }
    };
    let f = &forms.0;
    let choices = current.region_choices();
    // Sends one request (in a Region, or the engine's own) and says how it went.
    let act = {
        let (page, said) = (page.clone(), said.clone());
        move |region: Option<String>, op: &'static str, request: Value, done: String| {
            let (page, said) = (page.clone(), said.clone());
            yew::platform::spawn_local(async move {
                let answer = page.send_in(region.as_deref(), op, &request).await;
                said.set(Some(match answer {
                    Ok(a) if op == "GetItem" => Ok(match a.get("Item") {
                        Some(item) => format!("{done}: {}", pretty::pretty(item)),
                        None => format!("{done}: no such item there (yet)"),
                    }),
                    Ok(_) => Ok(done),
                    Err(e) => Err(format!("{op} refused: {}", message(&e))),
                }));
            });
        }
    };
    let toggle = |name: String, available: bool| {
        let act = act.clone();
        Callback::from(move |_: MouseEvent| {
            let words = if available {
                format!("{name} is offline: nothing replicates to or from it")
            } else {
                format!("{name} is back")
            };
            act(None, "PlaygroundUpdateRegion", regions::update_region(&name, !available), words);
        })
    };
    let make_global = {
        let (act, table, region) = (act.clone(), f.table.clone(), f.region.clone());
        let first = tables.first().cloned().unwrap_or_default();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let table = if table.is_empty() { first.clone() } else { table.clone() };
            let words = format!("{table}: a replica in {region} is being created (CREATING for 10 s)");
            act(None, "UpdateTable", regions::add_replica(&table, &region), words);
        })
    };
    let set_delay = {
        let (act, said, typed) = (act.clone(), said.clone(), f.delay.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match regions::delay_setting(&typed) {
                Ok(request) => act(
                    None,
                    "PlaygroundUpdateSettings",
                    request,
                    format!("Writes made from now take {} ms to reach the other Regions", typed.trim()),
                ),
                Err(why) => said.set(Some(Err(why))),
            }
        })
    };
    let item_op = |op: &'static str| {
        let (page, act, said) = (page.clone(), act.clone(), said.clone());
        let (region, typed) = (f.write_region.clone(), f.item.clone());
        let table = if f.write_table.is_empty() {
            current.tables.first().map(|t| t.name.clone()).unwrap_or_default()
        } else {
            f.write_table.clone()
        };
        Callback::from(move |_: MouseEvent| {
            let (page, act, said) = (page.clone(), act.clone(), said.clone());
            let (region, typed, table) = (region.clone(), typed.clone(), table.clone());
            yew::platform::spawn_local(async move {
                let described =
                    page.send_in(Some(&region), "DescribeTable", &json!({"TableName": table})).await;
                let keys = match described {
                    Ok(d) => regions::key_names(&d),
                    Err(e) => return said.set(Some(Err(format!("{table} in {region}: {}", message(&e))))),
                };
                match regions::item_request(op, &table, &typed, &keys) {
                    Ok(request) => act(Some(region.clone()), op, request, format!("{op} in {region}")),
                    Err(why) => said.set(Some(Err(why))),
                }
            });
        })
    };
    let table_names: Vec<String> = current.tables.iter().map(|t| t.name.clone()).collect();
    html! {
        <section class="card regions" data-testid="regions">
            <h2>{ "Regions" }</h2>
            <p class="muted small">{ "Each Region has its own tables. A global table (version 2019.11.21) has a replica in several: a write in one Region reaches the others after the replication delay (AWS: usually within a second). Two Regions writing the same item before either write has arrived is a conflict: every replica keeps the write made last (last writer wins), so they all end with the same item. Take a Region offline to isolate it: it still serves its own requests, and what it missed flows when it is back." }</p>
            <table class="small" data-testid="region-list">
                <thead><tr><th>{ "Region" }</th><th>{ "Tables" }</th><th>{ "State" }</th><th></th></tr></thead>
                <tbody>
                    { for current.regions.iter().map(|r| html! {
                        <tr data-testid={format!("region-{}", r.name)}>
                            <td>{ r.name.clone() }{ if r.home { " (the playground's own)" } else { "" } }</td>
                            <td>{ r.tables }</td>
                            <td>{ if r.available { "online" } else { "offline" } }</td>
                            <td><button type="button" class="btn small" onclick={toggle(r.name.clone(), r.available)}
                                data-testid={format!("region-toggle-{}", r.name)}>
                                { if r.available { "Take offline" } else { "Bring back" } }</button></td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <form class="row wrap" onsubmit={set_delay} data-testid="regions-delay-form">
                <label class="field narrow"><span>{ format!("Replication delay (ms, now {})", current.delay_ms) }</span>
                    <input value={f.delay.clone()} inputmode="numeric" placeholder={current.delay_ms.to_string()} data-testid="regions-delay"
                        oninput={on_input(&forms, |f: &mut Forms, v| f.delay = v)} /></label>
                <button type="submit" class="btn small" data-testid="regions-delay-apply">{ "Set" }</button>
            </form>
            <details class="block" open={current.tables.is_empty()}>
                <summary>{ "Make a table global (UpdateTable ReplicaUpdates)" }</summary>
                <form class="row wrap" onsubmit={make_global} data-testid="make-global">
                    <label class="field"><span>{ "Table" }</span>
                        { select("make-global-table", &tables, &f.table, on_change(&forms, |f: &mut Forms, v| f.table = v)) }</label>
                    <label class="field"><span>{ "New replica in" }</span>
                        { select("make-global-region", &choices, &f.region, on_change(&forms, |f: &mut Forms, v| f.region = v)) }</label>
                    <button type="submit" class="btn primary" disabled={tables.is_empty()} data-testid="make-global-submit">{ "Add the replica" }</button>
                </form>
                <p class="muted small">{ "The table must be on-demand; it gets a NEW_AND_OLD_IMAGES stream if it has none (replication reads it)." }</p>
            </details>
            if current.tables.is_empty() {
                <p class="muted" data-testid="regions-none">{ "No global table yet: make one above." }</p>
            }
            { for current.tables.iter().map(|t| table_card(t, current.now)) }
            if !current.tables.is_empty() {
                <h3>{ "Write or read an item in a Region" }</h3>
                <div class="row wrap" data-testid="regions-write">
                    <label class="field"><span>{ "Region" }</span>
                        { select("regions-write-region", &choices, &f.write_region, on_change(&forms, |f: &mut Forms, v| f.write_region = v)) }</label>
                    <label class="field"><span>{ "Table" }</span>
                        { select("regions-write-table", &table_names, &f.write_table, on_change(&forms, |f: &mut Forms, v| f.write_table = v)) }</label>
                </div>
                <label class="field"><span>{ "Item (DynamoDB JSON; GetItem and DeleteItem use its key attributes)" }</span>
                    <textarea rows="3" spellcheck="false" value={f.item.clone()} data-testid="regions-item"
                        oninput={on_input(&forms, |f: &mut Forms, v| f.item = v)} /></label>
                <div class="row">
                    <button type="button" class="btn primary" onclick={item_op("PutItem")} data-testid="regions-put">{ "PutItem" }</button>
                    <button type="button" class="btn" onclick={item_op("GetItem")} data-testid="regions-get">{ "GetItem (strongly consistent, in that Region)" }</button>
                    <button type="button" class="btn" onclick={item_op("DeleteItem")} data-testid="regions-delete">{ "DeleteItem" }</button>
                </div>
            }
            { match &*said {
                Some(Ok(words)) => html! { <pre class="small" role="status" data-testid="regions-said">{ words.clone() }</pre> },
                Some(Err(why)) => html! { <p class="error-text" role="alert" data-testid="regions-said">{ why.clone() }</p> },
                None => Html::default(),
            } }
        </section>
    }
}

/// A choice among `options`, `selected` chosen.
fn select(testid: &'static str, options: &[String], selected: &str, onchange: Callback<Event>) -> Html {
    html! {
        <select {onchange} data-testid={testid}>
            { for options.iter().map(|o| html! { <option value={o.clone()} selected={o == selected}>{ o.clone() }</option> }) }
        </select>
    }
}

/// One global table: its replicas, the writes in flight, the conflicts.
fn table_card(t: &GlobalTable, now: u64) -> Html {
    html! {
        <div class="block" data-testid={format!("global-table-{}", t.name)}>
            <h3>{ format!("{} · {}", t.name, if t.consistency == "STRONG" { "multi-Region strong consistency" } else { "multi-Region eventual consistency" }) }</h3>
            <table class="small">
                <thead><tr><th>{ "Replica" }</th><th>{ "Status" }</th><th>{ "Items" }</th><th>{ "Behind" }</th><th>{ "Conflicts resolved" }</th></tr></thead>
                <tbody>
                    { for t.replicas.iter().map(|r| html! {
                        <tr data-testid={format!("replica-{}", r.region)}>
                            <td>{ r.region.clone() }{ r.source.as_ref().map(|s| format!(" (from {s})")).unwrap_or_default() }
                                { if r.available { "" } else { " · offline" } }</td>
                            <td>{ r.status.clone() }</td>
                            <td>{ r.items.map_or("—".to_owned(), |n| n.to_string()) }</td>
                            <td data-testid={format!("replica-lag-{}", r.region)}>{ regions::lag_text(r) }</td>
                            <td>{ r.conflicts }</td>
                        </tr>
                    }) }
                    { for t.witness.iter().map(|(region, status, available)| html! {
                        <tr data-testid={format!("witness-{region}")}>
                            <td>{ format!("{region} (witness: no table, part of every write's quorum){}", if *available { "" } else { " · offline" }) }</td>
                            <td>{ status.clone() }</td><td>{ "—" }</td><td>{ "—" }</td><td>{ "—" }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <h4>{ format!("Writes on their way: {}", t.in_flight) }</h4>
            <ul class="small" data-testid="flights">
                { for t.flights.iter().map(|fl| html! { <li data-testid="flight">{ regions::flight_text(fl, now) }</li> }) }
            </ul>
            <h4>{ format!("Conflicts resolved: {}", t.conflicts_resolved) }</h4>
            <ul class="small" data-testid="conflicts">
                { for t.conflicts.iter().map(|c| html! { <li data-testid="conflict">{ regions::conflict_text(c) }</li> }) }
            </ul>
        </div>
    }
}
