//! The create-table form: name, partition and sort key, billing mode and capacity, GSIs and
//! LSIs → a CreateTable request (built by [`crate::requests::create_table_request`], shown live),
//! sent on submit (Enter works); the engine's validation message appears next to the button.

use yew::prelude::*;

use crate::app::use_host;
use crate::components::exchange::{self, Exchange, ExchangeView};
use crate::components::{on_change, on_input, FormState};
use crate::requests::{create_table_request, IndexKind, KeyAttribute, SecondaryIndex, TableForm};

/// Properties of [`CreateTable`].
#[derive(Properties, PartialEq)]
pub struct CreateTableProps {
    /// Called with the new table's name once it exists.
    pub oncreated: Callback<String>,
}

type Form = UseReducerHandle<FormState<TableForm>>;

fn type_select(
    form: &Form,
    label: &str,
    value: &str,
    apply: impl Fn(&mut TableForm, String) + 'static,
) -> Html {
    html! {
        <label class="field narrow">
            <span>{ label.to_owned() }</span>
            <select onchange={on_change(form, apply)} aria-label={label.to_owned()}>
                { for [("S", "String"), ("N", "Number"), ("B", "Binary")].iter().map(|(t, name)| html! {
                    <option value={*t} selected={value == *t}>{ format!("{t} — {name}") }</option>
                }) }
            </select>
        </label>
    }
}

fn index_row(form: &Form, i: usize, index: &SecondaryIndex) -> Html {
    let remove = {
        let form = form.clone();
        Callback::from(move |_| {
            form.dispatch(Box::new(move |f: &mut TableForm| {
                f.indexes.remove(i);
            }))
        })
    };
    let global = index.kind == IndexKind::Global;
    html! {
        <fieldset class="index-row" data-testid="index-row">
            <legend>{ if global { "Global secondary index" } else { "Local secondary index" } }</legend>
            <label class="field">
                <span>{ "Index name" }</span>
                <input value={index.name.clone()} required=true data-testid="index-name"
                    oninput={on_input(form, move |f, v| if let Some(x) = f.indexes.get_mut(i) { x.name = v })} />
            </label>
            if global {
                <label class="field">
                    <span>{ "Partition key" }</span>
                    <input value={index.partition_key.name.clone()} required=true data-testid="index-partition-key"
                        oninput={on_input(form, move |f, v| if let Some(x) = f.indexes.get_mut(i) { x.partition_key.name = v })} />
                </label>
                { type_select(form, "Type", &index.partition_key.attribute_type,
                    move |f, v| if let Some(x) = f.indexes.get_mut(i) { x.partition_key.attribute_type = v }) }
            }
            <label class="field">
                <span>{ if global { "Sort key (optional)" } else { "Sort key" } }</span>
                <input value={index.sort_key.name.clone()} required={!global} data-testid="index-sort-key"
                    oninput={on_input(form, move |f, v| if let Some(x) = f.indexes.get_mut(i) { x.sort_key.name = v })} />
            </label>
            { type_select(form, "Type", &index.sort_key.attribute_type,
                move |f, v| if let Some(x) = f.indexes.get_mut(i) { x.sort_key.attribute_type = v }) }
            <label class="field narrow">
                <span>{ "Projection" }</span>
                <select onchange={on_change(form, move |f, v| if let Some(x) = f.indexes.get_mut(i) { x.projection_type = v })}>
                    <option value="ALL" selected={index.projection_type == "ALL"}>{ "ALL" }</option>
                    <option value="KEYS_ONLY" selected={index.projection_type == "KEYS_ONLY"}>{ "KEYS_ONLY" }</option>
                    <option value="INCLUDE" selected={index.projection_type == "INCLUDE"}>{ "INCLUDE" }</option>
                </select>
            </label>
            if index.projection_type == "INCLUDE" {
                <label class="field">
                    <span>{ "Non-key attributes (comma-separated)" }</span>
                    <input value={index.non_key_attributes.clone()} required=true data-testid="index-non-key"
                        placeholder="Title, Price"
                        oninput={on_input(form, move |f, v| if let Some(x) = f.indexes.get_mut(i) { x.non_key_attributes = v })} />
                </label>
            }
            <button type="button" class="btn small danger" onclick={remove} aria-label="Remove this index">{ "Remove" }</button>
        </fieldset>
    }
}

/// The create-table form.
#[component]
pub fn CreateTable(props: &CreateTableProps) -> Html {
    let ctx = use_host();
    let form = use_reducer(FormState::<TableForm>::default);
    let exchange = use_state(|| None::<Exchange>);
    let f = &form.0;
    let request = create_table_request(f);
    let add_index = |kind: IndexKind| {
        let form = form.clone();
        Callback::from(move |_| {
            form.dispatch(Box::new(move |f: &mut TableForm| {
                let n = f.indexes.len() + 1;
                f.indexes.push(SecondaryIndex {
                    kind,
                    name: format!("{}{n}", if kind == IndexKind::Global { "GSI" } else { "LSI" }),
                    partition_key: KeyAttribute::new(""),
                    sort_key: KeyAttribute::new(""),
                    projection_type: "ALL".to_owned(),
                    non_key_attributes: String::new(),
                })
            }))
        })
    };
    let onsubmit = {
        let host = ctx.host.clone();
        let exchange = exchange.clone();
        let request = request.clone();
        let oncreated = props.oncreated.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let oncreated = oncreated.clone();
            let name = request["TableName"].as_str().unwrap_or("").to_owned();
            exchange::send(&host, "CreateTable", request.clone(), exchange.clone(), move |r| {
                if r.is_ok() {
                    oncreated.emit(name);
                }
            });
        })
    };
    let provisioned = f.billing_mode == "PROVISIONED";
    let waiting = exchange.as_ref().is_some_and(|x| x.result.is_none());
    let error = exchange.as_ref().and_then(Exchange::error_message);
    html! {
        <section class="card" aria-labelledby="create-title">
            <h2 id="create-title">{ "Create table" }</h2>
            <form class="form" onsubmit={onsubmit} data-testid="create-form">
                <div class="row">
                    <label class="field grow">
                        <span>{ "Table name" }</span>
                        <input value={f.name.clone()} required=true autofocus=true data-testid="table-name" placeholder="Music"
                            oninput={on_input(&form, |f, v| f.name = v)} />
                    </label>
                </div>
                <div class="row">
                    <label class="field grow">
                        <span>{ "Partition key" }</span>
                        <input value={f.partition_key.name.clone()} required=true data-testid="partition-key"
                            oninput={on_input(&form, |f, v| f.partition_key.name = v)} />
                    </label>
                    { type_select(&form, "Partition key type", &f.partition_key.attribute_type, |f, v| f.partition_key.attribute_type = v) }
                    <label class="field grow">
                        <span>{ "Sort key (optional)" }</span>
                        <input value={f.sort_key.name.clone()} data-testid="sort-key"
                            oninput={on_input(&form, |f, v| f.sort_key.name = v)} />
                    </label>
                    { type_select(&form, "Sort key type", &f.sort_key.attribute_type, |f, v| f.sort_key.attribute_type = v) }
                </div>
                <fieldset class="row plain">
                    <legend>{ "Billing mode" }</legend>
                    <label class="choice">
                        <input type="radio" name="billing" value="PAY_PER_REQUEST" checked={!provisioned}
                            onchange={on_change(&form, |f, _| f.billing_mode = "PAY_PER_REQUEST".into())} />
                        { "On-demand (PAY_PER_REQUEST)" }
                    </label>
                    <label class="choice">
                        <input type="radio" name="billing" value="PROVISIONED" checked={provisioned} data-testid="provisioned"
                            onchange={on_change(&form, |f, _| f.billing_mode = "PROVISIONED".into())} />
                        { "Provisioned" }
                    </label>
                    if provisioned {
                        <label class="field narrow">
                            <span>{ "Read capacity (RCU)" }</span>
                            <input value={f.read_capacity.clone()} inputmode="numeric" data-testid="rcu"
                                oninput={on_input(&form, |f, v| f.read_capacity = v)} />
                        </label>
                        <label class="field narrow">
                            <span>{ "Write capacity (WCU)" }</span>
                            <input value={f.write_capacity.clone()} inputmode="numeric" data-testid="wcu"
                                oninput={on_input(&form, |f, v| f.write_capacity = v)} />
                        </label>
                    }
                </fieldset>
                { for f.indexes.iter().enumerate().map(|(i, index)| index_row(&form, i, index)) }
                <div class="actions">
                    <button type="button" class="btn" onclick={add_index(IndexKind::Global)} data-testid="add-gsi">{ "+ Global index" }</button>
                    <button type="button" class="btn" onclick={add_index(IndexKind::Local)} data-testid="add-lsi">{ "+ Local index" }</button>
                    <span class="spacer" />
                    <button type="submit" class="btn primary" disabled={waiting} data-testid="create-submit">
                        { if waiting { "Creating…" } else { "Create table" } }
                    </button>
                </div>
                if let Some(message) = error {
                    <p class="error-text" role="alert" data-testid="create-error">{ message }</p>
                }
            </form>
            if let Some(x) = &*exchange {
                <ExchangeView exchange={x.clone()} testid="create-" show_response={false} show_error={false} />
            } else {
                <details class="block">
                    <summary>{ "Request preview" }</summary>
                    <pre class="json" data-testid="create-preview">{ serde_json::to_string_pretty(&request).unwrap_or_default() }</pre>
                </details>
            }
        </section>
    }
}
