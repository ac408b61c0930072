//! A table's *Vector search* tab (`#/tables/{name}/vectors`): its vector indexes as
//! DescribeTable shows them, a form that adds one and a button that deletes one (UpdateTable's
//! `VectorIndexUpdates`), and a search (SearchVectors): the index, the query vector — typed, or
//! an item's own vector read by its key with GetItem — TopK, the search schema's values and a
//! projection; the results nearest first with their scores, and every request with the
//! exchange view (the answer, the request sent, the same request as code). What it computes is
//! `ui::vectors`, unit-tested natively. It sends through the [`Sender`] of its context, the
//! page's path, so the request log and a lab see each request.

use serde_json::{json, Value};
use yew::prelude::*;

use dynaplay_web::ui::components::create_table::{vector_index_fields, VectorEdit};
use dynaplay_web::ui::components::exchange::{Exchange, ExchangeView, Sender};
use dynaplay_web::ui::components::{on_change, on_input, FormState};
use dynaplay_web::ui::vectors::{
    self, attribute_type, key_attributes, score_meaning, short_score, vector_text, CreateForm, SearchForm,
    VectorIndex,
};

/// Properties of [`VectorSearch`].
#[derive(Properties, PartialEq)]
pub struct VectorSearchProps {
    /// TableName.
    pub table: AttrValue,
    /// Bumped whenever the page's workspace changes.
    pub revision: u64,
}

/// What the search form keeps besides [`SearchForm`]: the values typed for the search schema's
/// attributes and for the table's key (to read an item's vector), by attribute name.
#[derive(Clone, PartialEq, Default)]
struct Extra {
    schema_values: Vec<(String, String)>,
    key_values: Vec<(String, String)>,
}

fn value_in(list: &[(String, String)], name: &str) -> String {
    list.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_default()
}

fn set_in(list: &mut Vec<(String, String)>, name: &str, value: String) {
    match list.iter_mut().find(|(n, _)| n == name) {
        Some(slot) => slot.1 = value,
        None => list.push((name.to_owned(), value)),
    }
}

fn message(error: &Value) -> String {
    error["message"].as_str().or(error["Message"].as_str()).unwrap_or("the request failed").to_owned()
}

/// The Vector search tab.
#[component]
pub fn VectorSearch(props: &VectorSearchProps) -> Html {
    let sender = use_context::<Sender>().expect("the vector search tab renders under a Sender");
    let table = props.table.to_string();
    let described = use_state(|| None::<Result<Value, String>>);
    // Bumped after each UpdateTable, and every second while an index is being created or
    // deleted (engine time moves on its own; no change notice comes for it).
    let refresh = use_state(|| 0u32);
    let create = use_reducer(FormState::<CreateForm>::default);
    let search = use_reducer(|| {
        FormState(SearchForm { vector: "[1, 0, 0]".into(), top_k: "3".into(), ..SearchForm::default() })
    });
    let extra = use_reducer(FormState::<Extra>::default);
    let last = use_state(|| None::<Exchange>);
    let problem = use_state(|| None::<String>);
    {
        let (sender, described) = (sender.clone(), described.clone());
        use_effect_with((table.clone(), props.revision, *refresh), move |(table, _, _)| {
            let request = json!({ "TableName": table });
            yew::platform::spawn_local(async move {
                let answer = sender.request("DescribeTable", &request).await;
                described.set(Some(answer.map_err(|e| message(&e))));
            });
        });
    }
    let indexes = match &*described {
        Some(Ok(d)) => VectorIndex::all(d),
        _ => Vec::new(),
    };
    let settling = indexes.iter().any(|i| i.status != "ACTIVE" || i.backfilling);
    {
        let refresh = refresh.clone();
        use_effect_with((settling, *refresh), move |(settling, n)| {
            let alive = std::rc::Rc::new(std::cell::Cell::new(true));
            if *settling {
                let (running, n) = (alive.clone(), *n);
                yew::platform::spawn_local(async move {
                    yew::platform::time::sleep(std::time::Duration::from_millis(1000)).await;
                    if running.get() {
                        refresh.set(n + 1);
                    }
                });
            }
            move || alive.set(false)
        });
    }
    let Some(Ok(description)) = &*described else {
        return match &*described {
            Some(Err(e)) => {
                html! { <section class="card vectors"><p class="error-text" role="alert">{ e.clone() }</p></section> }
            }
            _ => {
                html! { <section class="card vectors" aria-busy="true"><p class="muted">{ "Reading the table…" }</p></section> }
            }
        };
    };
    let description = description.clone();
    let on_demand = description["Table"]["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST";
    let keys = key_attributes(&description);

    // A request of the tab's, shown with the exchange view; `then` runs once it is answered.
    let run = {
        let (sender, last, problem, refresh) =
            (sender.clone(), last.clone(), problem.clone(), refresh.clone());
        move |operation: &'static str, request: Result<Value, String>, reread: bool| match request {
            Err(why) => problem.set(Some(why)),
            Ok(request) => {
                problem.set(None);
                let (refresh, n) = (refresh.clone(), *refresh);
                sender.send(operation, request, last.clone(), move |x| {
                    if reread && matches!(x.result, Some(Ok(_))) {
                        refresh.set(n + 1);
                    }
                });
            }
        }
    };

    let index_rows: Html = indexes
        .iter()
        .map(|index| {
            let delete = {
                let (run, request) = (run.clone(), vectors::delete_request(&table, &index.name));
                Callback::from(move |_: MouseEvent| run("UpdateTable", Ok(request.clone()), true))
            };
            let status = match (index.status.as_str(), index.backfilling) {
                (status, true) => format!("{status} (backfilling)"),
                (status, false) => status.to_owned(),
            };
            let mut schema = index.hash.iter().map(|h| format!("HASH {h}")).collect::<Vec<_>>();
            schema.extend(index.filters.iter().map(|f| format!("INLINE_FILTER {f}")));
            html! {
                <tr data-testid="vector-index">
                    <td><code>{ index.name.clone() }</code></td>
                    <td><code>{ index.attribute.clone() }</code></td>
                    <td>{ index.dimensions }</td>
                    <td>{ index.metric.clone() }</td>
                    <td>{ if schema.is_empty() { "—".to_owned() } else { schema.join(", ") } }</td>
                    <td>{ index.projection.clone() }</td>
                    <td data-testid="vector-index-status">{ status }</td>
                    <td>{ index.item_count }</td>
                    <td>{ format!("{} B", index.size_bytes) }</td>
                    <td><button type="button" class="btn small danger" onclick={delete} disabled={index.status != "ACTIVE"}
                        aria-label={format!("Delete vector index {}", index.name)} data-testid="vector-index-delete">{ "Delete" }</button></td>
                </tr>
            }
        })
        .collect();

    let add = {
        let (run, create, table) = (run.clone(), create.clone(), table.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            run("UpdateTable", create.0.request(&table), true);
        })
    };
    let c = &create.0;
    let input = |edit: VectorEdit| on_input(&create, move |f: &mut CreateForm, v| edit(f, v));
    let change = |edit: VectorEdit| on_change(&create, move |f: &mut CreateForm, v| edit(f, v));
    let add_form = html! {
        <form class="row wrap" onsubmit={add} data-testid="vector-create">
            { vector_index_fields(c, &input, &change) }
            <button type="submit" class="btn primary" data-testid="vector-create-submit">{ "Add vector index" }</button>
        </form>
    };

    // The search: the index chosen (or the first), its search schema's fields.
    let s = &search.0;
    let chosen = indexes.iter().find(|i| i.name == s.index).or(indexes.first()).cloned();
    let schema_field = |name: &str, role: &'static str| {
        let kind = attribute_type(&description, name);
        let owned = name.to_owned();
        let oninput = on_input(&extra, move |x: &mut Extra, v| set_in(&mut x.schema_values, &owned, v));
        html! {
            <label class="field"><span>{ format!("{name} = ({role}, {kind})") }</span>
                <input value={value_in(&extra.0.schema_values, name)} {oninput}
                    data-testid={format!("vector-search-{}", role.to_lowercase())} /></label>
        }
    };
    let key_fields: Html = keys
        .iter()
        .map(|(name, kind)| {
            let owned = name.clone();
            let oninput = on_input(&extra, move |x: &mut Extra, v| set_in(&mut x.key_values, &owned, v));
            html! {
                <label class="field narrow"><span>{ format!("{name} ({kind})") }</span>
                    <input value={value_in(&extra.0.key_values, name)} {oninput} data-testid="vector-item-key" /></label>
            }
        })
        .collect();
    // Reads an item's vector with GetItem and puts it in the query box.
    let use_item = {
        let (sender, last, problem, search, extra) =
            (sender.clone(), last.clone(), problem.clone(), search.clone(), extra.clone());
        let (table, keys, chosen) = (table.clone(), keys.clone(), chosen.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(index) = &chosen else { return };
            let mut key = serde_json::Map::new();
            for (name, kind) in &keys {
                key.insert(name.clone(), vectors::typed(kind, &value_in(&extra.0.key_values, name)));
            }
            let request = json!({ "TableName": table, "Key": key, "ProjectionExpression": "#v",
                "ExpressionAttributeNames": { "#v": index.attribute } });
            let (search, problem, attribute) = (search.clone(), problem.clone(), index.attribute.clone());
            problem.set(None);
            sender.send("GetItem", request, last.clone(), move |x| {
                let Some(Ok(answer)) = &x.result else { return };
                match vector_text(&answer["Item"][&attribute]) {
                    Some(text) => search.dispatch(Box::new(move |f: &mut SearchForm| f.vector = text)),
                    None if answer.get("Item").is_none() => problem.set(Some("No item has that key.".into())),
                    None => problem.set(Some(format!("That item has no vector in {attribute}."))),
                }
            });
        })
    };
    let go = {
        let (run, search, extra, table, chosen) =
            (run.clone(), search.clone(), extra.clone(), table.clone(), chosen.clone());
        let description = description.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(index) = &chosen else { return };
            let schema = |name: &String| {
                (name.clone(), attribute_type(&description, name), value_in(&extra.0.schema_values, name))
            };
            let form = SearchForm {
                index: index.name.clone(),
                hash: index.hash.as_ref().map(schema),
                filters: index.filters.iter().map(schema).collect(),
                ..search.0.clone()
            };
            run("SearchVectors", form.request(&table), false);
        })
    };
    let search_form = match &chosen {
        None => {
            html! { <p class="muted" data-testid="vector-none">{ "This table has no vector index yet: add one above, then search it." }</p> }
        }
        Some(index) => html! {
            <form class="vector-search" onsubmit={go} data-testid="vector-search">
                <div class="row wrap">
                    <label class="field"><span>{ "Index" }</span>
                        <select onchange={on_change(&search, |f: &mut SearchForm, v| f.index = v)} data-testid="vector-search-index">
                            { for indexes.iter().map(|i| html! {
                                <option value={i.name.clone()} selected={i.name == index.name}>{ format!("{} ({}, {} dimensions)", i.name, i.metric, i.dimensions) }</option>
                            }) }
                        </select></label>
                    <label class="field narrow"><span>{ "TopK (1–100)" }</span>
                        <input value={s.top_k.clone()} inputmode="numeric" data-testid="vector-search-topk"
                            oninput={on_input(&search, |f: &mut SearchForm, v| f.top_k = v)} /></label>
                    { for index.hash.iter().map(|h| schema_field(h, "HASH")) }
                    { for index.filters.iter().map(|f| schema_field(f, "INLINE_FILTER")) }
                    <label class="field"><span>{ "Projection (optional)" }</span>
                        <input value={s.projection.clone()} placeholder="Title, Price" data-testid="vector-search-projection"
                            oninput={on_input(&search, |f: &mut SearchForm, v| f.projection = v)} /></label>
                </div>
                <label class="field"><span>{ format!("Query vector: {} numbers, a JSON array or separated by commas", index.dimensions) }</span>
                    <input value={s.vector.clone()} spellcheck="false" data-testid="vector-search-vector"
                        oninput={on_input(&search, |f: &mut SearchForm, v| f.vector = v)} /></label>
                <div class="row wrap">
                    <span class="muted small">{ "or the vector of the item with key" }</span>
                    { key_fields }
                    <button type="button" class="btn small" onclick={use_item} data-testid="vector-use-item">{ "Use this item's vector" }</button>
                </div>
                <p class="muted small">{ score_meaning(&index.metric) }{ "." }</p>
                <button type="submit" class="btn primary" disabled={!index.searchable()} data-testid="vector-search-submit">{ "Search" }</button>
                if !index.searchable() {
                    <span class="muted small">{ " The index can be searched once it is ACTIVE and done backfilling." }</span>
                }
            </form>
        },
    };
    let results = match &*last {
        Some(Exchange { operation, result: Some(Ok(answer)), .. }) if operation == "SearchVectors" => {
            let found = answer["SearchResults"].as_array().cloned().unwrap_or_default();
            html! {
                <>
                <h3>{ format!("{} nearest", found.len()) }</h3>
                if found.is_empty() {
                    <p class="muted">{ "No item of the index matched: the partition (or filter) holds no vector." }</p>
                }
                <ol class="vector-results" data-testid="vector-results">
                    { for found.iter().map(|r| html! {
                        <li data-testid="vector-result">
                            <span class="score" title={r["Score"].to_string()}>{ format!("Score {}", short_score(&r["Score"])) }</span>
                            { " · " }<code>{ vectors::result_text(&r["Item"], &keys) }</code>
                        </li>
                    }) }
                </ol>
                </>
            }
        }
        _ => Html::default(),
    };
    html! {
        <section class="card vectors" data-testid="vectors">
            <h2>{ format!("Vector search: {}", props.table) }</h2>
            <p class="muted small">{ "A vector index keeps a list of numbers (an embedding) from each item, and SearchVectors returns the TopK items whose vectors are nearest a query vector. The search here is exact: every vector of the partition searched (the items with the HASH value given, or the whole index) is compared, so these are the true nearest neighbours; DynamoDB's search is approximate and may return fewer or other items." }</p>
            <p class="muted small">{ "It is metered in bytes, not read units: VectorSearchRequestBytes, at least 1 KB — here the vector bytes an approximate search of the partition would examine (TopK plus 16 vectors for each doubling of its size, 4 bytes a dimension) plus the items returned, a model, as AWS publishes no formula. Every write of an indexed item also counts VectorWriteRequestBytes per index (ReturnConsumedCapacity INDEXES)." }</p>
            if !on_demand {
                <p class="error-text" data-testid="vector-provisioned">{ "Vector indexes need an on-demand table (BillingMode PAY_PER_REQUEST); this one is provisioned." }</p>
            }
            <h3>{ "Vector indexes" }</h3>
            if !indexes.is_empty() {
                <table class="small" data-testid="vector-indexes">
                    <thead><tr><th>{ "Name" }</th><th>{ "Attribute" }</th><th>{ "Dimensions" }</th><th>{ "Distance" }</th>
                        <th>{ "Search schema" }</th><th>{ "Projection" }</th><th>{ "Status" }</th><th>{ "Items" }</th><th>{ "Size" }</th><th></th></tr></thead>
                    <tbody>{ index_rows }</tbody>
                </table>
            }
            { for indexes.iter().filter(|i| i.item_count == 0 && i.searchable()).map(|i| html! {
                <p class="muted small" data-testid="vector-empty-hint">{ format!(
                    "{} holds no item yet: an item is indexed once its {} is a list of {} numbers, e.g. {{\"L\": [{{\"N\": \"0.5\"}}, …]}}{}.",
                    i.name, i.attribute, i.dimensions,
                    i.hash.as_ref().map(|h| format!(", and it has {h}")).unwrap_or_default()) }</p>
            }) }
            <details class="block" open={indexes.is_empty()}>
                <summary>{ "Add a vector index (UpdateTable)" }</summary>
                { add_form }
            </details>
            <h3>{ "Search (SearchVectors)" }</h3>
            { search_form }
            if let Some(why) = &*problem {
                <p class="error-text" role="alert" data-testid="vector-problem">{ why.clone() }</p>
            }
            { results }
            if let Some(x) = &*last {
                <ExchangeView exchange={x.clone()} testid="vectors-" />
            }
        </section>
    }
}
