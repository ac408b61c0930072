//! The DAX view (`#/dax`): the workspace's DAX clusters, and for the one chosen its hit ratios,
//! memory, TTLs, a chart of hits, misses and evictions per second, and what its item and query
//! caches hold — each entry's time left, negative entries, and **stale** ones (the table holds
//! something else: a write went straight to the table). Every half second it asks
//! `PlaygroundDescribeDaxCache` (entries, totals and the last minute's counters), which scans
//! no table. A form makes a cluster (with a parameter group when its TTLs are not DAX's five
//! minutes) and a button deletes it. Requests go through a cluster from the console (its
//! *Through DAX* field), `dynaplay.send(op, request, {dax})` or the SDK handler. What it
//! computes is `ui::dax`, unit-tested natively.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use serde_json::{json, Value};
use yew::prelude::*;

use super::use_page;
use dynaplay_web::ui::capacity::panels::bytes;
use dynaplay_web::ui::components::{on_change, on_input, FormState};
use dynaplay_web::ui::dax::{chart, hit_ratio, short_item, time_left, CreateForm};

/// How often the view reads the cluster again.
const TICK: Duration = Duration::from_millis(500);

fn message(error: &Value) -> String {
    error["message"].as_str().or(error["Message"].as_str()).unwrap_or("the request failed").to_owned()
}

/// What one poll read of the cluster chosen.
#[derive(Clone, PartialEq, Default)]
struct Reading {
    cache: Rc<Value>,
    metrics: Rc<Value>,
}

/// The DAX view.
#[component]
pub fn DaxView() -> Html {
    let context = use_page();
    let page = context.page.clone();
    let clusters = use_state(|| None::<Result<Vec<String>, String>>);
    let chosen = use_state(|| None::<String>);
    let reading = use_state(|| None::<Reading>);
    let form = use_reducer(FormState::<CreateForm>::default);
    let said = use_state(|| None::<Result<String, String>>);
    // Bumped after the form or the delete button changed the clusters.
    let reread = use_state(|| 0u32);
    {
        let (page, clusters, chosen) = (page.clone(), clusters.clone(), chosen.clone());
        use_effect_with((context.revision, *reread), move |_| {
            yew::platform::spawn_local(async move {
                let answer = page.send("DescribeClusters", &json!({})).await;
                let names = answer.map_err(|e| message(&e)).map(|a| {
                    a["Clusters"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|c| c["ClusterName"].as_str())
                        .map(str::to_owned)
                        .collect::<Vec<_>>()
                });
                if let Ok(names) = &names {
                    if !chosen.as_ref().is_some_and(|c| names.contains(c)) {
                        chosen.set(names.first().cloned());
                    }
                }
                clusters.set(Some(names));
            });
        });
    }
    // The poll: the chosen cluster's caches and last minute, every TICK while shown.
    {
        let (page, reading) = (page.clone(), reading.clone());
        use_effect_with((*chosen).clone(), move |chosen: &Option<String>| {
            let alive = Rc::new(Cell::new(true));
            reading.set(None);
            if let Some(name) = chosen.clone() {
                let running = alive.clone();
                yew::platform::spawn_local(async move {
                    while running.get() {
                        let cache = page
                            .send("PlaygroundDescribeDaxCache", &json!({"ClusterName": name, "Limit": 50}))
                            .await;
                        if !running.get() {
                            break;
                        }
                        if let Ok(mut cache) = cache {
                            let metrics = cache.get_mut("Metrics").map(Value::take).unwrap_or_default();
                            let next = Reading { cache: Rc::new(cache), metrics: Rc::new(metrics) };
                            if reading.as_ref() != Some(&next) {
                                reading.set(Some(next));
                            }
                        }
                        yew::platform::time::sleep(TICK).await;
                    }
                });
            }
            move || alive.set(false)
        });
    }

    let create = {
        let (page, form, said, reread, chosen) =
            (page.clone(), form.clone(), said.clone(), reread.clone(), chosen.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let requests = match form.0.requests() {
                Ok(r) => r,
                Err(why) => return said.set(Some(Err(why))),
            };
            let (page, said, reread, chosen) = (page.clone(), said.clone(), reread.clone(), chosen.clone());
            let n = *reread;
            yew::platform::spawn_local(async move {
                let mut name = String::new();
                for (op, request) in &requests {
                    match page.send(op, request).await {
                        Ok(answer) => {
                            name = answer["Cluster"]["ClusterName"].as_str().unwrap_or(&name).to_owned()
                        }
                        Err(e) => return said.set(Some(Err(format!("{op}: {}", message(&e))))),
                    }
                }
                said.set(Some(Ok(format!("Cluster {name} is available: send requests through it."))));
                chosen.set(Some(name));
                reread.set(n + 1);
            });
        })
    };
    let delete = {
        let (page, said, reread, chosen) = (page.clone(), said.clone(), reread.clone(), chosen.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(name) = (*chosen).clone() else { return };
            let (page, said, reread) = (page.clone(), said.clone(), reread.clone());
            let n = *reread;
            yew::platform::spawn_local(async move {
                let answer = page.send("DeleteCluster", &json!({"ClusterName": name})).await;
                said.set(Some(
                    answer
                        .map(|_| format!("Cluster {name} deleted, its caches with it."))
                        .map_err(|e| message(&e)),
                ));
                reread.set(n + 1);
            });
        })
    };
    let pick = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| chosen.set(Some(dynaplay_web::ui::components::value_of(&e))))
    };

    let f = &form.0;
    let text_field = |label: &'static str,
                      value: &str,
                      id: &'static str,
                      apply: fn(&mut CreateForm, String)| {
        html! {
            <label class="field"><span>{ label }</span>
                <input value={value.to_owned()} oninput={on_input(&form, apply)} data-testid={id} spellcheck="false" /></label>
        }
    };
    let form_view = html! {
        <details class="block" open={matches!(&*clusters, Some(Ok(c)) if c.is_empty())}>
            <summary>{ "Create a cluster (CreateCluster)" }</summary>
            <form class="form-grid" onsubmit={create}>
                { text_field("Name", &f.name, "dax-create-name", |f, v| f.name = v) }
                <label class="field"><span>{ "Node type" }</span>
                    <select onchange={on_change(&form, |f: &mut CreateForm, v| f.node_type = v)} data-testid="dax-create-node">
                        { for ["dax.t3.small", "dax.t3.medium", "dax.r5.large", "dax.r5.xlarge"].iter().map(|t| html! {
                            <option value={*t} selected={f.node_type == *t}>{ *t }</option>
                        }) }
                    </select></label>
                { text_field("Nodes", &f.nodes, "dax-create-nodes", |f, v| f.nodes = v) }
                { text_field("Item cache TTL (record-ttl-millis)", &f.record_ttl, "dax-create-record-ttl", |f, v| f.record_ttl = v) }
                { text_field("Query cache TTL (query-ttl-millis)", &f.query_ttl, "dax-create-query-ttl", |f, v| f.query_ttl = v) }
                <div class="actions"><button class="btn primary" type="submit" data-testid="dax-create-submit">{ "Create" }</button></div>
            </form>
        </details>
    };
    let said_view = match &*said {
        Some(Ok(text)) => {
            html! { <p class="banner ok" role="status" data-testid="dax-said">{ text.clone() }</p> }
        }
        Some(Err(text)) => {
            html! { <p class="error-text" role="alert" data-testid="dax-said">{ text.clone() }</p> }
        }
        None => html! {},
    };
    let names = match &*clusters {
        None => {
            return html! { <section class="card dax" aria-busy="true"><p class="muted">{ "Reading the clusters…" }</p></section> }
        }
        Some(Err(e)) => {
            return html! { <section class="card dax"><p class="error-text" role="alert">{ e.clone() }</p></section> }
        }
        Some(Ok(names)) => names.clone(),
    };
    let picker = match names.len() {
        0 => html! { <p class="muted" data-testid="dax-none">{ "No cluster yet: create one below." }</p> },
        _ => html! {
            <div class="actions">
                <label class="field"><span>{ "Cluster" }</span>
                    <select onchange={pick} data-testid="dax-cluster">
                        { for names.iter().map(|n| html! { <option value={n.clone()} selected={chosen.as_deref() == Some(n.as_str())}>{ n.clone() }</option> }) }
                    </select></label>
                <button type="button" class="btn small" onclick={delete} data-testid="dax-delete">{ "Delete cluster" }</button>
            </div>
        },
    };
    html! {
        <section class="card dax" data-testid="dax-view" aria-label="DAX">
            <h2>{ "DAX — DynamoDB Accelerator" }</h2>
            <p class="muted">{ "A cluster caches the tables it is sent requests for: GetItem and BatchGetItem in its item cache, Query and Scan in its query cache, each entry for its TTL. Writes sent through it update the item cache; a write sent straight to the table leaves the cached item stale until its TTL runs out; strongly consistent reads always go to the table. Send through a cluster from the console's “Through DAX” field or dynaplay.send(op, request, { dax: \"name\" })." }</p>
            { picker }
            { said_view }
            { reading.as_ref().map(cluster_view).unwrap_or_default() }
            { form_view }
        </section>
    }
}

/// One cluster as the last poll read it.
fn cluster_view(r: &Reading) -> Html {
    let c = &*r.cache;
    let t = &c["Totals"];
    let n = |name: &str| t[name].as_u64().unwrap_or(0);
    let ttl = |name: &str| match c[name].as_u64() {
        Some(0) | None => "0 (never expires)".to_owned(),
        Some(ms) => format!("{} s", ms / 1000),
    };
    // Labels over values, as one row of a table.
    let stats = [
        ("Item cache hit ratio", hit_ratio(n("ItemCacheHits"), n("ItemCacheMisses")), "dax-item-ratio"),
        ("Query cache hit ratio", hit_ratio(n("QueryCacheHits"), n("QueryCacheMisses")), "dax-query-ratio"),
        ("Requests", n("Requests").to_string(), "dax-requests"),
        ("Evictions", (n("ItemCacheEvictions") + n("QueryCacheEvictions")).to_string(), "dax-evictions"),
        (
            "Memory",
            format!(
                "{} of {}",
                bytes(c["CacheSizeBytes"].as_f64().unwrap_or(0.0)),
                bytes(c["CacheSizeLimitBytes"].as_f64().unwrap_or(0.0))
            ),
            "dax-memory",
        ),
        ("Item TTL", ttl("RecordTtlMilliseconds"), "dax-record-ttl"),
        ("Query TTL", ttl("QueryTtlMilliseconds"), "dax-query-ttl"),
    ];
    let items = c["ItemCache"].as_array().map_or(&[][..], Vec::as_slice);
    let queries = c["QueryCache"].as_array().map_or(&[][..], Vec::as_slice);
    let state = |e: &Value| -> Html {
        html! {
            <>
                if e["Negative"] == true { <span class="muted">{ "negative " }</span> }
                if e["Stale"] == true {
                    <strong class="error-text" title="The table holds something else now: a write bypassed DAX" data-testid="dax-stale">{ "stale" }</strong>
                }
            </>
        }
    };
    html! {
        <>
            <div class="table-wrap"><table class="items" data-testid="dax-stats">
                <thead><tr>{ for stats.iter().map(|(label, _, _)| html! { <th>{ *label }</th> }) }</tr></thead>
                <tbody><tr>{ for stats.iter().map(|(_, value, id)| html! { <td data-testid={*id}>{ value.clone() }</td> }) }</tr></tbody>
            </table></div>
            <figure class="chart">{ Html::from_html_unchecked(chart(&r.metrics).into()) }</figure>
            <h3>{ format!("Item cache ({})", items.len()) }</h3>
            if items.is_empty() {
                <p class="muted">{ "Empty: a GetItem or BatchGetItem through the cluster fills it." }</p>
            } else {
                <div class="table-wrap"><table class="items"><thead><tr><th>{ "Table" }</th><th>{ "Key" }</th><th>{ "Cached item" }</th><th>{ "Expires in" }</th><th></th></tr></thead>
                <tbody>{ for items.iter().map(|e| html! {
                    <tr data-testid="dax-item">
                        <td>{ e["TableName"].as_str().unwrap_or_default() }</td>
                        <td><code>{ short_item(&e["Key"]) }</code></td>
                        <td><code>{ if e["Negative"] == true { "(no such item)".to_owned() } else { short_item(&e["Item"]) } }</code></td>
                        <td data-testid="dax-ttl">{ time_left(&e["ExpiresInMilliseconds"]) }</td>
                        <td>{ state(e) }</td>
                    </tr>
                }) }</tbody></table></div>
            }
            <h3>{ format!("Query cache ({})", queries.len()) }</h3>
            if queries.is_empty() {
                <p class="muted">{ "Empty: a Query or Scan through the cluster fills it. Writes never update it." }</p>
            } else {
                <div class="table-wrap"><table class="items"><thead><tr><th>{ "Request" }</th><th>{ "Items" }</th><th>{ "Expires in" }</th><th></th></tr></thead>
                <tbody>{ for queries.iter().map(|e| html! {
                    <tr data-testid="dax-query">
                        <td><code>{ format!("{} {}", e["Operation"].as_str().unwrap_or_default(), e["Request"]) }</code></td>
                        <td>{ e["Count"].to_string() }</td>
                        <td>{ time_left(&e["ExpiresInMilliseconds"]) }</td>
                        <td>{ state(e) }</td>
                    </tr>
                }) }</tbody></table></div>
            }
        </>
    }
}
