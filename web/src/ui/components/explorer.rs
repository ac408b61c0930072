//! The item explorer of one table: its header (keys in words, capacity, indexes, stream, with
//! *Edit capacity* and *Delete table*; `ui/table_summary.rs`), Scan, GetItem by key or Query (through the [`QueryBuilder`]) a page at a
//! time (Next page follows LastEvaluatedKey), the items in a table, and an item editor (add,
//! edit, delete) in plain JSON or DynamoDB JSON. Malformed JSON gets a message and nothing is
//! sent. Every request it makes is shown with its capacity and code. It renders in the module
//! loaded on demand (`learn/`: a table's Items tab) and sends through the [`Sender`] of its
//! context; the create-table form's CreateTable reaches it through [`exchange::hand_over`],
//! inside the module.

use serde_json::{json, Value};
use yew::prelude::*;

use crate::ui::pretty::pretty;

use crate::fixed::plural;
use crate::ui::app::navigate;
use crate::ui::components::exchange::{self, ExchangeView, Sender};
use crate::ui::components::query_builder::QueryBuilder;
use crate::ui::components::value_of;
use crate::ui::itemjson;
use crate::ui::requests::{self, IndexKeys, KeyAttribute};
use crate::ui::route::Route;
use crate::ui::table_summary::{capacity_text, capacity_update, facts};

/// Items per Scan page.
const PAGE_SIZE: u32 = 25;

/// Properties of [`Explorer`].
#[derive(Properties, PartialEq)]
pub struct ExplorerProps {
    /// The table to explore.
    pub table: AttrValue,
    /// Bumped whenever the page's workspace changes: the explorer reads the table again.
    pub revision: u64,
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
    /// The read failed: its items are not shown (not the previous read's under its error).
    failed: bool,
}

/// The items of a read's answer: a Query or Scan page's `Items`, a GetItem's `Item`.
fn items_of(v: &Value) -> Vec<Value> {
    match (v.get("Items"), v.get("Item")) {
        (Some(Value::Array(items)), _) => items.clone(),
        (_, Some(item)) => vec![item.clone()],
        _ => Vec::new(),
    }
}

#[derive(Clone, PartialEq)]
struct Editor {
    text: String,
    plain: bool,
    /// The stored item being edited (DynamoDB JSON; `None` when adding one).
    original: Option<Value>,
    error: Option<String>,
}

/// The item the editor holds, in DynamoDB JSON, or why its text is none.
fn editor_item(ed: &Editor) -> Result<Value, String> {
    itemjson::parse(&ed.text).and_then(|v| if ed.plain { itemjson::item_from_plain(&v) } else { Ok(v) })
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
    // Requests go through the page's bridge (the explorer renders in the module loaded on
    // demand), as the forms' do.
    let sender = use_context::<Sender>().expect("the explorer renders under a Sender");
    let schemas = use_state(Vec::<IndexKeys>::new);
    // DescribeTable, for the table's header (read again on every change to the workspace).
    let describe = use_state(|| Value::Null);
    let describe_error = use_state(|| None::<String>);
    // How the explorer reads: Scan, Query (the builder) or Get item (GetItem by key).
    let mode = use_state(|| Mode::Scan);
    let page = use_state(Page::default);
    // The learner's last action; the CreateTable that made this table when it came from the form.
    let exchange = use_state(exchange::take_handed_over);
    let editor = use_state(|| None::<Editor>);
    // ConsistentRead for the Scan, Get item and Edit reads (DynamoDB's default: eventually).
    let consistent = use_state(|| false);
    let get_key = use_state(|| (String::new(), String::new()));
    let table = props.table.to_string();

    // Runs a read (first page when `start` is None) and shows its page; `show` puts it in the
    // result panel (a quiet read leaves the learner's last action there).
    let run_read = {
        let sender = sender.clone();
        let page = page.clone();
        let exchange = exchange.clone();
        Callback::from(
            move |(operation, first, start, number, show): (String, Value, Option<Value>, usize, bool)| {
                let mut request = first.clone();
                if let Some(start) = &start {
                    request["ExclusiveStartKey"] = start.clone();
                }
                let page = page.clone();
                let op = operation.clone();
                let shown = move |r: &Result<Value, Value>| {
                    let mut next = Page { operation: op, request: first, start, number, ..Page::default() };
                    match r {
                        Ok(v) => {
                            next.items = items_of(v);
                            next.last_key = v.get("LastEvaluatedKey").cloned();
                        }
                        Err(_) => next.failed = true,
                    }
                    page.set(next);
                };
                if show {
                    sender.send(&operation, request, exchange.clone(), move |x| {
                        if let Some(r) = &x.result {
                            shown(r);
                        }
                    });
                } else {
                    let sender = sender.clone();
                    yew::platform::spawn_local(
                        async move { shown(&sender.request(&operation, &request).await) },
                    );
                }
            },
        )
    };
    let scan = {
        let run_read = run_read.clone();
        let table = table.clone();
        let consistent = *consistent;
        Callback::from(move |show: bool| {
            let mut request = requests::scan_request(&table, PAGE_SIZE, None);
            if consistent {
                request["ConsistentRead"] = json!(true);
            }
            run_read.emit(("Scan".into(), request, None, 1, show))
        })
    };
    {
        // A new table: learn its keys and indexes, show its first page.
        let sender = sender.clone();
        let schemas = schemas.clone();
        let describe_error = describe_error.clone();
        let scan = scan.clone();
        let editor = editor.clone();
        let mode = mode.clone();
        // Straight from the create-table form, the panel keeps showing its CreateTable.
        let created = exchange
            .as_ref()
            .is_some_and(|x| x.operation == "CreateTable" && x.request["TableName"] == json!(table));
        use_effect_with(table.clone(), move |table| {
            let table = table.clone();
            editor.set(None);
            mode.set(Mode::Scan);
            yew::platform::spawn_local(async move {
                match sender.request("DescribeTable", &json!({"TableName": table})).await {
                    Ok(v) => {
                        describe_error.set(None);
                        schemas.set(requests::key_schemas(&v));
                        scan.emit(!created);
                    }
                    Err(e) => describe_error
                        .set(Some(e["message"].as_str().unwrap_or("DescribeTable failed").to_owned())),
                }
            });
        });
    }
    {
        // The header follows the table (capacity, stream, item count); a table that is gone —
        // deleted from the console, the JS API or the header, or a Reset — is not shown.
        let (sender, describe) = (sender.clone(), describe.clone());
        use_effect_with((table.clone(), props.revision), move |(table, _)| {
            let table = table.clone();
            yew::platform::spawn_local(async move {
                // A table UPDATING (a capacity or stream change takes an engine second) is read
                // again until it is ACTIVE: time passing is not a change to the workspace.
                for _ in 0..30 {
                    match sender.request("DescribeTable", &json!({"TableName": table})).await {
                        Ok(v) => {
                            let settled = v["Table"]["TableStatus"] == json!("ACTIVE");
                            describe.set(v);
                            if settled {
                                return;
                            }
                        }
                        Err(e)
                            if e["__type"]
                                .as_str()
                                .is_some_and(|t| t.ends_with("ResourceNotFoundException")) =>
                        {
                            return navigate(&Route::Welcome);
                        }
                        Err(_) => return,
                    }
                    yew::platform::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            });
        });
    }
    {
        // Writes from anywhere — the console, the JS API, a workload, TTL — change what this
        // page shows: read it again, quietly (the exchange panel keeps the learner's last action).
        let sender = sender.clone();
        let page = page.clone();
        use_effect_with(props.revision, move |_| {
            let current = (*page).clone();
            if !current.operation.is_empty() {
                let mut request = current.request.clone();
                if let Some(start) = &current.start {
                    request["ExclusiveStartKey"] = start.clone();
                }
                yew::platform::spawn_local(async move {
                    if let Ok(v) = sender.request(&current.operation, &request).await {
                        let items = items_of(&v);
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
        .map(|k| [k.pk().name, k.sk().name].into_iter().filter(|n| !n.is_empty()).collect())
        .unwrap_or_default();
    let next_page = {
        let run_read = run_read.clone();
        let page = page.clone();
        Callback::from(move |_| {
            run_read.emit((
                page.operation.clone(),
                page.request.clone(),
                page.last_key.clone(),
                page.number + 1,
                true,
            ))
        })
    };
    let on_query = {
        let run_read = run_read.clone();
        Callback::from(move |request: Value| run_read.emit(("Query".into(), request, None, 1, true)))
    };
    let open_editor = {
        let editor = editor.clone();
        Callback::from(move |(item, existing): (Value, bool)| {
            let (text, plain) = match itemjson::item_to_plain(&item) {
                Ok(p) => (pretty(&p), true),
                Err(_) => (pretty(&item), false),
            };
            let original = existing.then_some(item);
            editor.set(Some(Editor { text, plain, original, error: None }));
        })
    };
    // A row may be a projection (or from a KEYS_ONLY index): edit the whole stored item, read
    // with the consistency the learner chose (the panel says which read it was).
    let fetch_for_edit = {
        let sender = sender.clone();
        let exchange = exchange.clone();
        let key_names = key_names.clone();
        let table = table.clone();
        let open_editor = open_editor.clone();
        let consistent = *consistent;
        Callback::from(move |item: Value| {
            let request = requests::get_item_request(&table, requests::key_of(&item, &key_names), consistent);
            let open_editor = open_editor.clone();
            sender.send("GetItem", request, exchange.clone(), move |x| {
                if let Some(Ok(v)) = &x.result {
                    if let Some(found) = v.get("Item") {
                        open_editor.emit((found.clone(), true));
                    }
                }
            });
        })
    };
    let get_item = {
        let run_read = run_read.clone();
        let schemas = schemas.clone();
        let get_key = get_key.clone();
        let table = table.clone();
        let consistent = *consistent;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(keys) = schemas.first() {
                let key = requests::typed_key((&keys.pk(), &get_key.0), (&keys.sk(), &get_key.1));
                let request = requests::get_item_request(&table, key, consistent);
                run_read.emit(("GetItem".into(), request, None, 1, true));
            }
        })
    };
    let add_item = {
        let open_editor = open_editor.clone();
        let schemas = schemas.clone();
        Callback::from(move |_| {
            let mut template = serde_json::Map::new();
            if let Some(keys) = schemas.first() {
                for key in [keys.pk(), keys.sk()].into_iter().filter(|k| !k.name.is_empty()) {
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
        let sender = sender.clone();
        let exchange = exchange.clone();
        let key_names = key_names.clone();
        let table = table.clone();
        Callback::from(move |item: Value| {
            let confirmed = web_sys::window()
                .and_then(|w| w.confirm_with_message("Delete this item?").ok())
                .unwrap_or(false);
            if !confirmed {
                return;
            }
            let key = requests::key_of(&item, &key_names);
            let request = requests::with_total(json!({"TableName": table, "Key": key}));
            // The page re-reads quietly after the commit: the panel keeps this DeleteItem.
            sender.send("DeleteItem", request, exchange.clone(), |_| {});
        })
    };

    // The edited item's size as DynamoDB counts it (what reads and writes are charged by), with
    // the engine's worked steps behind "why?": a read-only playground operation, asked again as
    // the learner types (the page answers a read at once, so the answers come in order).
    let size = use_state(|| None::<(Value, Value)>);
    {
        let item = editor.as_ref().and_then(|ed| editor_item(ed).ok());
        let (sender, size) = (sender.clone(), size.clone());
        use_effect_with(item, move |item| match item.clone() {
            None => size.set(None),
            Some(item) => yew::platform::spawn_local(async move {
                let asked = sender.request("PlaygroundExplainItemSize", &json!({ "Item": item })).await;
                size.set(asked.ok().map(|answer| (item, answer)));
            }),
        });
    }
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
    let count = if page.failed {
        format!("{} failed · no items shown", page.operation)
    } else {
        format!("{} · page {} · {}", page.operation, page.number, plural(page.items.len() as u64, "item"))
    };
    let results = html! {
        <div class="results">
            <p class="muted small" data-testid="explorer-count">{ count }</p>
            if page.items.is_empty() {
                <p class="muted">{ if page.operation == "GetItem" && !page.failed { "No item has this key." } else { "No items on this page." } }</p>
            } else {
                <div class="table-wrap">
                <table class="items" data-testid="items">
                    <thead><tr>
                        { for columns.iter().map(|c| {
                            // Which key each key column is, in words (not only a colour).
                            let role = key_names.iter().position(|k| k == c).map(|i| if i == 0 { "partition key" } else { "sort key" });
                            html! {
                                <th scope="col" class={classes!(role.is_some().then_some("key"))}>
                                    { c.clone() }
                                    if let Some(role) = role { <small class="key-role">{ role }</small> }
                                </th>
                            }
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
        // Sends one of the editor's writes; the editor closes when it succeeds, and the page
        // re-reads quietly after the commit (the panel keeps this write).
        let write = {
            let sender = sender.clone();
            let editor = editor.clone();
            let exchange = exchange.clone();
            let ed = ed.clone();
            move |operation: &'static str, request: Value| {
                let editor = editor.clone();
                let ed = ed.clone();
                sender.send(operation, request, exchange.clone(), move |x| match &x.result {
                    Some(Ok(_)) => editor.set(None),
                    _ => editor.set(Some(Editor { error: x.error_message(), ..ed })),
                });
            }
        };
        let parsed = {
            let ed = ed.clone();
            move || editor_item(&ed)
        };
        let save = {
            let editor = editor.clone();
            let ed = ed.clone();
            let table = table.clone();
            let key_names = key_names.clone();
            let write = write.clone();
            let parsed = parsed.clone();
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                let item = match parsed() {
                    Ok(item) => item,
                    Err(message) => {
                        editor.set(Some(Editor { error: Some(format!("{message} — nothing was sent")), ..ed.clone() }));
                        return;
                    }
                };
                if let Some(original) = &ed.original {
                    let changed = requests::changed_key_attributes(original, &item, &key_names);
                    if !changed.is_empty() {
                        // A key cannot be updated, and a PutItem with the new key writes a
                        // second item: ask which write the learner means (browser dialogs).
                        let window = web_sys::window();
                        let chosen = requests::KEY_CHANGE_CHOICES.iter().find(|(question, _, _)| {
                            let text = format!("You changed the key ({}). {question}", changed.join(", "));
                            window.as_ref().and_then(|w| w.confirm_with_message(&text).ok()).unwrap_or(false)
                        });
                        match chosen {
                            Some((_, operation, build)) => write(operation, build(&table, &key_names, original, &item)),
                            None => editor.set(Some(Editor {
                                error: Some("Nothing was sent: the key changed. Put the old key back to change this item in place.".into()),
                                ..ed.clone()
                            })),
                        }
                        return;
                    }
                }
                write("PutItem", requests::with_total(json!({"TableName": table, "Item": item})));
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
        // The size asked for the item as it is now (not an answer about an earlier text).
        let size = size.as_ref().filter(|(item, _)| parsed().ok().as_ref() == Some(item)).map(|(_, size)| size.clone());
        html! {
            <form class="editor" onsubmit={save} data-testid="item-editor" aria-label="Item editor">
                <div class="row">
                    <strong>{ if ed.original.is_some() { "Edit item" } else { "New item" } }</strong>
                    <span class="spacer" />
                    <span class="muted small">{ if ed.plain { "plain JSON" } else { "DynamoDB JSON" } }</span>
                    <button type="button" class="btn small" onclick={toggle} data-testid="item-toggle">
                        { if ed.plain { "Switch to DynamoDB JSON" } else { "Switch to plain JSON" } }
                    </button>
                </div>
                <label class="field">
                    <span>{ if ed.plain { "Item (plain JSON: numbers, strings, lists, maps)" } else { "Item (DynamoDB JSON)" } }</span>
                    <textarea value={ed.text.clone()} oninput={on_text} onkeydown={on_key} rows="10" spellcheck="false"
                        data-testid="item-text" data-lang="json" />
                </label>
                if let Some(message) = &ed.error {
                    <p class="error-text" role="alert" data-testid="item-error">{ message.clone() }</p>
                }
                if let Some(size) = size {
                    <details class="why-size small" data-testid="item-size">
                        <summary>{ format!("Item size: {} · why?", size["Explanation"]["Summary"].as_str().unwrap_or("")) }</summary>
                        <div class="why">{ Html::from_html_unchecked(crate::ui::why::panel_markup(&size).into()) }</div>
                    </details>
                }
                <div class="actions">
                    <button type="submit" class="btn primary" disabled={busy} data-testid="item-save">{ "Save (PutItem)" }</button>
                    <button type="button" class="btn" onclick={cancel}>{ "Cancel" }</button>
                    <span class="muted small">{ "Ctrl+Enter saves" }</span>
                </div>
            </form>
        }
    });

    // The header's actions ask in a browser dialog (no form to build), then send.
    let table_action = |ask: fn(&str, &Value) -> Option<(&'static str, Value)>| {
        let (sender, exchange, describe, table) =
            (sender.clone(), exchange.clone(), describe.clone(), table.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some((operation, request)) = ask(&table, &describe) {
                sender.send(operation, request, exchange.clone(), |_| {});
            }
        })
    };
    let edit_capacity = table_action(|table, describe| {
        let answer = web_sys::window()?
            .prompt_with_message_and_default(
                &format!("Capacity of {table}: \"on-demand\", or read and write capacity units (\"10 5\")"),
                &capacity_text(describe),
            )
            .ok()??;
        Some(("UpdateTable", capacity_update(describe, &answer)?))
    });
    let delete_table = table_action(|table, _| {
        web_sys::window()?
            .confirm_with_message(&format!("Delete table {table} and every item in it?"))
            .ok()?
            .then(|| ("DeleteTable", json!({"TableName": table})))
    });
    let pick = |m: Mode| {
        let (mode, scan) = (mode.clone(), scan.clone());
        Callback::from(move |_: MouseEvent| {
            mode.set(m);
            if m == Mode::Scan {
                scan.emit(true);
            }
        })
    };
    let on_consistent = {
        let consistent = consistent.clone();
        Callback::from(move |e: Event| consistent.set(value_of(&e) == "true"))
    };
    let get_form = match (&*mode, schemas.first().map(|k| (k.pk(), k.sk()))) {
        (Mode::GetItem, Some((pk, sk))) => {
            let key_input = |attribute: &KeyAttribute, value: &str, first: bool, testid: &'static str| {
                let get_key = get_key.clone();
                let oninput = Callback::from(move |e: InputEvent| {
                    let v = value_of(&e);
                    let (a, b) = (*get_key).clone();
                    get_key.set(if first { (v, b) } else { (a, v) });
                });
                html! {
                    <label class="field grow">
                        <span>{ format!("{} ({}, {})", attribute.name, attribute.attribute_type, if first { "partition key" } else { "sort key" }) }</span>
                        <input value={value.to_owned()} required=true data-testid={testid} {oninput} />
                    </label>
                }
            };
            html! {
                <form class="form row" onsubmit={get_item} data-testid="get-form" aria-label="Get item by key">
                    { key_input(&pk, &get_key.0, true, "get-pk") }
                    if !sk.name.is_empty() { { key_input(&sk, &get_key.1, false, "get-sk") } }
                    <button type="submit" class="btn primary" disabled={busy} data-testid="get-run">{ "Get item" }</button>
                </form>
            }
        }
        _ => html! {},
    };
    let mode_tab = |m: Mode, label: &'static str, testid: &'static str| {
        let on = *mode == m;
        html! {
            <button type="button" class={classes!("tab", on.then_some("active"))} aria-pressed={on.to_string()}
                onclick={pick(m)} data-testid={testid}>{ label }</button>
        }
    };
    html! {
        <section class="card explorer" aria-labelledby="explorer-title">
            <div class="row">
                <h2 id="explorer-title">{ format!("Items · {}", props.table) }</h2>
                <span class="spacer" />
                <label class="choice small" title="Strongly consistent reads cost twice the RCU of eventually consistent ones">
                    <input type="checkbox" checked={*consistent} onchange={on_consistent} data-testid="consistent-read" />
                    { " ConsistentRead" }
                </label>
                <div class="segmented" role="group" aria-label="Read with">
                    { mode_tab(Mode::Scan, "Scan", "mode-scan") }
                    { mode_tab(Mode::Query, "Query", "mode-query") }
                    { mode_tab(Mode::GetItem, "Get item", "mode-get") }
                </div>
                <button type="button" class="btn primary" onclick={add_item} data-testid="add-item">{ "Add item" }</button>
            </div>
            <div class="row table-header" data-testid="table-header">
                { Html::from_html_unchecked(facts(&describe).into()) }
                <span class="spacer" />
                <button type="button" class="btn small" onclick={edit_capacity} data-testid="edit-capacity">{ "Edit capacity" }</button>
                <button type="button" class="btn small danger" onclick={delete_table} data-testid="delete-table">{ "Delete table" }</button>
            </div>
            if let Some(message) = &*describe_error {
                <p class="error-text" role="alert">{ message.clone() }</p>
            }
            if *mode == Mode::Query && !schemas.is_empty() {
                <QueryBuilder table={props.table.clone()} schemas={(*schemas).clone()} onrun={on_query} busy={busy} />
            }
            { get_form }
            { editor_view.unwrap_or_default() }
            { results }
            if let Some(x) = &*exchange {
                <ExchangeView exchange={x.clone()} testid="explorer-" show_response={false} />
            }
        </section>
    }
}

/// How the explorer reads.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Scan,
    Query,
    GetItem,
}
