//! The item explorer of one table: Scan or Query (through the [`QueryBuilder`]) a page at a
//! time (Next page follows LastEvaluatedKey), the items in a table, and an item editor (add,
//! edit, delete) in plain JSON or DynamoDB JSON. Malformed JSON gets a message and nothing is
//! sent. Every request it makes is shown with its capacity and code.

use dynaplay_engine::types::object_from;
use serde_json::{json, Value};
use yew::prelude::*;

use crate::ui::pretty::pretty;

use crate::ui::app::use_host;
use crate::ui::components::exchange::{self, Exchange, ExchangeView};
use crate::ui::components::query_builder::QueryBuilder;
use crate::ui::components::value_of;
use crate::ui::itemjson;
use crate::ui::requests::{self, KeyAttribute};

/// Items per Scan page.
const PAGE_SIZE: u32 = 25;

/// Properties of [`Explorer`].
#[derive(Properties, PartialEq)]
pub struct ExplorerProps {
    /// The table to explore.
    pub table: AttrValue,
}

#[derive(Clone, PartialEq, Default)]
struct Page {
    /// The read that produced it (its first page: without ExclusiveStartKey).
    operation: String,
    request: Value,
    /// This page's ExclusiveStartKey (None for the first page).
    start: Option<Value>,
    items: Vec<Value>,
    last_key: Option<Value>,
    number: usize,
}

#[derive(Clone, PartialEq)]
struct Editor {
    text: String,
    plain: bool,
    /// Editing an existing item (else adding one).
    existing: bool,
    error: Option<String>,
}

/// How a cell shows an attribute value: text as is, anything else as compact plain JSON.
fn cell(value: &Value) -> String {
    match itemjson::value_to_plain(value) {
        Ok(Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => value.to_string(),
    }
}

/// The item explorer.
#[component]
pub fn Explorer(props: &ExplorerProps) -> Html {
    let ctx = use_host();
    let schemas = use_state(Vec::<(String, KeyAttribute, KeyAttribute)>::new);
    let describe_error = use_state(|| None::<String>);
    let mode_query = use_state(|| false);
    let page = use_state(Page::default);
    let exchange = use_state(|| None::<Exchange>);
    let editor = use_state(|| None::<Editor>);
    let table = props.table.to_string();

    // Runs a read (first page when `start` is None) and shows its page.
    let run_read = {
        let host = ctx.host.clone();
        let page = page.clone();
        let exchange = exchange.clone();
        Callback::from(move |(operation, first, start, number): (String, Value, Option<Value>, usize)| {
            let mut request = first.clone();
            if let Some(start) = &start {
                request["ExclusiveStartKey"] = start.clone();
            }
            let page = page.clone();
            let op = operation.clone();
            exchange::send(&host, &operation, request, exchange.clone(), move |r| {
                if let Ok(v) = r {
                    page.set(Page {
                        operation: op,
                        request: first,
                        start,
                        items: v["Items"].as_array().cloned().unwrap_or_default(),
                        last_key: v.get("LastEvaluatedKey").cloned(),
                        number,
                    });
                }
            });
        })
    };
    let scan = {
        let run_read = run_read.clone();
        let table = table.clone();
        Callback::from(move |_| {
            run_read.emit(("Scan".into(), requests::scan_request(&table, PAGE_SIZE, None), None, 1))
        })
    };
    {
        // A new table: learn its keys and indexes, show its first page.
        let host = ctx.host.clone();
        let schemas = schemas.clone();
        let describe_error = describe_error.clone();
        let scan = scan.clone();
        let editor = editor.clone();
        let mode_query = mode_query.clone();
        use_effect_with(table.clone(), move |table| {
            let table = table.clone();
            editor.set(None);
            mode_query.set(false);
            yew::platform::spawn_local(async move {
                match host.send("DescribeTable", &json!({"TableName": table})).await {
                    Ok(v) => {
                        describe_error.set(None);
                        schemas.set(requests::key_schemas(&v));
                        scan.emit(());
                    }
                    Err(e) => describe_error
                        .set(Some(e["message"].as_str().unwrap_or("DescribeTable failed").to_owned())),
                }
            });
        });
    }
    {
        // Writes from anywhere — the console, the JS API, a workload, TTL — change what this
        // page shows: read it again, quietly (the exchange panel keeps the learner's last action).
        let host = ctx.host.clone();
        let page = page.clone();
        use_effect_with(ctx.revision, move |_| {
            let current = (*page).clone();
            if !current.operation.is_empty() {
                let mut request = current.request.clone();
                if let Some(start) = &current.start {
                    request["ExclusiveStartKey"] = start.clone();
                }
                yew::platform::spawn_local(async move {
                    if let Ok(v) = host.send(&current.operation, &request).await {
                        let items = v["Items"].as_array().cloned().unwrap_or_default();
                        let last_key = v.get("LastEvaluatedKey").cloned();
                        if items != current.items || last_key != current.last_key {
                            page.set(Page { items, last_key, ..current });
                        }
                    }
                });
            }
        });
    }
    let key_names: Vec<String> = schemas
        .first()
        .map(|(_, pk, sk)| [pk.name.clone(), sk.name.clone()].into_iter().filter(|n| !n.is_empty()).collect())
        .unwrap_or_default();
    let rerun = {
        let run_read = run_read.clone();
        let page = page.clone();
        let scan = scan.clone();
        Callback::from(move |()| {
            if page.operation.is_empty() {
                scan.emit(());
            } else {
                run_read.emit((page.operation.clone(), page.request.clone(), None, 1));
            }
        })
    };
    let next_page = {
        let run_read = run_read.clone();
        let page = page.clone();
        Callback::from(move |_| {
            run_read.emit((
                page.operation.clone(),
                page.request.clone(),
                page.last_key.clone(),
                page.number + 1,
            ))
        })
    };
    let on_query = {
        let run_read = run_read.clone();
        Callback::from(move |request: Value| run_read.emit(("Query".into(), request, None, 1)))
    };
    let open_editor = {
        let editor = editor.clone();
        Callback::from(move |(item, existing): (Value, bool)| {
            let (text, plain) = match itemjson::item_to_plain(&item) {
                Ok(p) => (pretty(&p), true),
                Err(_) => (pretty(&item), false),
            };
            editor.set(Some(Editor { text, plain, existing, error: None }));
        })
    };
    // A row may be a projection (or from a KEYS_ONLY index): edit the whole stored item.
    let fetch_for_edit = {
        let host = ctx.host.clone();
        let exchange = exchange.clone();
        let key_names = key_names.clone();
        let table = table.clone();
        let open_editor = open_editor.clone();
        Callback::from(move |item: Value| {
            let key =
                object_from(key_names.iter().filter_map(|k| item.get(k).map(|v| (k.clone(), v.clone()))));
            let request = requests::with_consumed_capacity(
                "GetItem",
                json!({"TableName": table, "Key": key, "ConsistentRead": true}),
            );
            let open_editor = open_editor.clone();
            exchange::send(&host, "GetItem", request, exchange.clone(), move |r| {
                if let Ok(v) = r {
                    if let Some(found) = v.get("Item") {
                        open_editor.emit((found.clone(), true));
                    }
                }
            });
        })
    };
    let add_item = {
        let open_editor = open_editor.clone();
        let schemas = schemas.clone();
        Callback::from(move |_| {
            let mut template = serde_json::Map::new();
            if let Some((_, pk, sk)) = schemas.first() {
                for key in [pk, sk].into_iter().filter(|k| !k.name.is_empty()) {
                    let mut v = serde_json::Map::new();
                    v.insert(
                        key.attribute_type.clone(),
                        json!(if key.attribute_type == "N" { "0" } else { "" }),
                    );
                    template.insert(key.name.clone(), Value::Object(v));
                }
            }
            open_editor.emit((Value::Object(template), false));
        })
    };
    let delete_item = {
        let host = ctx.host.clone();
        let exchange = exchange.clone();
        let key_names = key_names.clone();
        let table = table.clone();
        let rerun = rerun.clone();
        Callback::from(move |item: Value| {
            let confirmed = web_sys::window()
                .and_then(|w| w.confirm_with_message("Delete this item?").ok())
                .unwrap_or(false);
            if !confirmed {
                return;
            }
            let key =
                object_from(key_names.iter().filter_map(|k| item.get(k).map(|v| (k.clone(), v.clone()))));
            let request =
                requests::with_consumed_capacity("DeleteItem", json!({"TableName": table, "Key": key}));
            let rerun = rerun.clone();
            exchange::send(&host, "DeleteItem", request, exchange.clone(), move |r| {
                if r.is_ok() {
                    rerun.emit(());
                }
            });
        })
    };

    let busy = exchange.as_ref().is_some_and(|x| x.result.is_none());
    let columns: Vec<String> = {
        let mut others: Vec<String> = page
            .items
            .iter()
            .flat_map(|i| i.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default())
            .filter(|k| !key_names.contains(k))
            .collect();
        dynaplay_engine::types::sort_dedup(&mut others);
        key_names.iter().cloned().chain(others).collect()
    };
    let results = html! {
        <div class="results">
            <p class="muted small" data-testid="explorer-count">
                { format!("{} · page {} · {} item{}", page.operation, page.number, page.items.len(),
                    if page.items.len() == 1 { "" } else { "s" }) }
            </p>
            if page.items.is_empty() {
                <p class="muted">{ "No items on this page." }</p>
            } else {
                <div class="table-wrap">
                <table class="items" data-testid="items">
                    <thead><tr>
                        { for columns.iter().map(|c| html! {
                            <th scope="col" class={classes!(key_names.contains(c).then_some("key"))}>{ c.clone() }</th>
                        }) }
                        <th><span class="sr-only">{ "Actions" }</span></th>
                    </tr></thead>
                    <tbody>
                    { for page.items.iter().map(|item| {
                        let edit = { let fetch = fetch_for_edit.clone(); let item = item.clone(); Callback::from(move |_| fetch.emit(item.clone())) };
                        let delete = { let del = delete_item.clone(); let item = item.clone(); Callback::from(move |_| del.emit(item.clone())) };
                        html! {
                            <tr>
                                { for columns.iter().map(|c| html! { <td>{ item.get(c).map(cell).unwrap_or_default() }</td> }) }
                                <td class="row-actions">
                                    <button type="button" class="btn small" onclick={edit}>{ "Edit" }</button>
                                    <button type="button" class="btn small danger" onclick={delete}>{ "Delete" }</button>
                                </td>
                            </tr>
                        }
                    }) }
                    </tbody>
                </table>
                </div>
            }
            <div class="actions">
                <button type="button" class="btn" onclick={next_page} disabled={page.last_key.is_none() || busy}
                    data-testid="next-page">{ "Next page" }</button>
                if page.last_key.is_some() {
                    <span class="muted small">{ "LastEvaluatedKey: " }<code>{ page.last_key.as_ref().map(|k| k.to_string()).unwrap_or_default() }</code></span>
                }
            </div>
        </div>
    };

    let editor_view = editor.as_ref().map(|ed| {
        let on_text = {
            let editor = editor.clone();
            let ed = ed.clone();
            Callback::from(move |e: InputEvent| editor.set(Some(Editor { text: value_of(&e), error: None, ..ed.clone() })))
        };
        let toggle = {
            let editor = editor.clone();
            let ed = ed.clone();
            Callback::from(move |_| {
                let converted = itemjson::parse(&ed.text).and_then(|v| {
                    if ed.plain { itemjson::item_from_plain(&v) } else { itemjson::item_to_plain(&v) }
                });
                editor.set(Some(match converted {
                    Ok(v) => Editor { text: pretty(&v), plain: !ed.plain, error: None, ..ed.clone() },
                    Err(e) => Editor { error: Some(e), ..ed.clone() },
                }));
            })
        };
        let cancel = { let editor = editor.clone(); Callback::from(move |_| editor.set(None)) };
        let save = {
            let host = ctx.host.clone();
            let editor = editor.clone();
            let exchange = exchange.clone();
            let ed = ed.clone();
            let table = table.clone();
            let rerun = rerun.clone();
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                let item = itemjson::parse(&ed.text).and_then(|v| if ed.plain { itemjson::item_from_plain(&v) } else { Ok(v) });
                let item = match item {
                    Ok(item) => item,
                    Err(message) => {
                        editor.set(Some(Editor { error: Some(format!("{message} — nothing was sent")), ..ed.clone() }));
                        return;
                    }
                };
                let request = requests::with_consumed_capacity("PutItem", json!({"TableName": table, "Item": item}));
                let editor = editor.clone();
                let ed = ed.clone();
                let rerun = rerun.clone();
                exchange::send(&host, "PutItem", request, exchange.clone(), move |r| match r {
                    Ok(_) => {
                        editor.set(None);
                        rerun.emit(());
                    }
                    Err(e) => editor.set(Some(Editor {
                        error: Some(e["message"].as_str().unwrap_or("PutItem failed").to_owned()),
                        ..ed
                    })),
                });
            })
        };
        let on_key = Callback::from(|e: KeyboardEvent| {
            // Ctrl+Enter saves from inside the textarea.
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                if let Some(form) = e.target().and_then(|t| {
                    use wasm_bindgen::JsCast;
                    t.dyn_into::<web_sys::HtmlElement>().ok()
                }).and_then(|t| t.closest("form").ok().flatten()) {
                    use wasm_bindgen::JsCast;
                    if let Ok(form) = form.dyn_into::<web_sys::HtmlFormElement>() {
                        let _ = form.request_submit();
                    }
                }
            }
        });
        html! {
            <form class="editor" onsubmit={save} data-testid="item-editor" aria-label="Item editor">
                <div class="row">
                    <strong>{ if ed.existing { "Edit item" } else { "New item" } }</strong>
                    <span class="spacer" />
                    <span class="muted small">{ if ed.plain { "plain JSON" } else { "DynamoDB JSON" } }</span>
                    <button type="button" class="btn small" onclick={toggle} data-testid="item-toggle">
                        { if ed.plain { "Switch to DynamoDB JSON" } else { "Switch to plain JSON" } }
                    </button>
                </div>
                <label class="field">
                    <span>{ if ed.plain { "Item (plain JSON: numbers, strings, lists, maps)" } else { "Item (DynamoDB JSON)" } }</span>
                    <textarea value={ed.text.clone()} oninput={on_text} onkeydown={on_key} rows="10" spellcheck="false"
                        data-testid="item-text" />
                </label>
                if let Some(message) = &ed.error {
                    <p class="error-text" role="alert" data-testid="item-error">{ message.clone() }</p>
                }
                <div class="actions">
                    <button type="submit" class="btn primary" disabled={busy} data-testid="item-save">{ "Save (PutItem)" }</button>
                    <button type="button" class="btn" onclick={cancel}>{ "Cancel" }</button>
                    <span class="muted small">{ "Ctrl+Enter saves" }</span>
                </div>
            </form>
        }
    });

    let set_scan = {
        let m = mode_query.clone();
        let scan = scan.clone();
        Callback::from(move |_| {
            m.set(false);
            scan.emit(());
        })
    };
    let set_query = {
        let m = mode_query.clone();
        Callback::from(move |_| m.set(true))
    };
    html! {
        <section class="card explorer" aria-labelledby="explorer-title">
            <div class="row">
                <h2 id="explorer-title">{ format!("Items · {}", props.table) }</h2>
                <span class="spacer" />
                <div class="segmented" role="group" aria-label="Read with">
                    <button type="button" class={classes!("tab", (!*mode_query).then_some("active"))} aria-pressed={(!*mode_query).to_string()}
                        onclick={set_scan} data-testid="mode-scan">{ "Scan" }</button>
                    <button type="button" class={classes!("tab", mode_query.then_some("active"))} aria-pressed={mode_query.to_string()}
                        onclick={set_query} data-testid="mode-query">{ "Query" }</button>
                </div>
                <button type="button" class="btn primary" onclick={add_item} data-testid="add-item">{ "Add item" }</button>
            </div>
            if let Some(message) = &*describe_error {
                <p class="error-text" role="alert">{ message.clone() }</p>
            }
            if *mode_query && !schemas.is_empty() {
                <QueryBuilder table={props.table.clone()} schemas={(*schemas).clone()} onrun={on_query} busy={busy} />
            }
            { editor_view.unwrap_or_default() }
            { results }
            if let Some(x) = &*exchange {
                <ExchangeView exchange={x.clone()} testid="explorer-" show_response={false} />
            }
        </section>
    }
}
