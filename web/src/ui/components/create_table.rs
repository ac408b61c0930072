//! The create-table form: name, partition and sort key, billing mode and capacity, GSIs (with
//! multi-attribute keys: up to four partition and four sort key attributes), LSIs and vector
//! indexes (their fields shared with the Vector search tab's add form) → a CreateTable request (built by [`crate::ui::requests::create_table_request`], shown
//! live), sent on submit (Enter works); the engine's validation message appears next to the
//! button. The form's state is a [`FormState`] reducer edited by each control's own callback.
//! It is rendered by the module loaded on demand (`learn/`, the `#/create` route), which sends
//! through the page ([`CreateTableProps::send`]).

use yew::prelude::*;

use crate::ui::components::exchange::{Exchange, ExchangeView, Sender};
use crate::ui::components::{on_change, on_input, FormState};
use crate::ui::requests::{create_table_request, IndexKind, KeyAttribute, SecondaryIndex, TableForm};
use crate::ui::vectors::CreateForm;

const KEY_TYPES: [(&str, &str); 3] = [("S", "S — String"), ("N", "N — Number"), ("B", "B — Binary")];
const PROJECTIONS: [&str; 3] = ["ALL", "KEYS_ONLY", "INCLUDE"];

/// The form's reducer handle.
type Form = UseReducerHandle<FormState<TableForm>>;

/// Properties of [`CreateTable`].
#[derive(Properties, PartialEq)]
pub struct CreateTableProps {
    /// Where the CreateTable request goes.
    pub send: Sender,
    /// Called with the CreateTable exchange once the table exists.
    pub oncreated: Callback<Exchange>,
}

/// The create-table form.
#[component]
pub fn CreateTable(props: &CreateTableProps) -> Html {
    let form = use_reducer(FormState::<TableForm>::default);
    let exchange = use_state(|| None::<Exchange>);
    let f = &form.0;
    let request = create_table_request(f);
    let onsubmit = {
        let send = props.send.clone();
        let exchange = exchange.clone();
        let request = request.clone();
        let oncreated = props.oncreated.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let oncreated = oncreated.clone();
            send.send("CreateTable", request.clone(), exchange.clone(), move |x: &Exchange| {
                if matches!(x.result, Some(Ok(_))) {
                    oncreated.emit(x.clone());
                }
            });
        })
    };
    let add = |kind: IndexKind| {
        let form = form.clone();
        Callback::from(move |_: MouseEvent| {
            form.dispatch(Box::new(move |f: &mut TableForm| f.add_index(kind)))
        })
    };
    let add_vector = {
        let form = form.clone();
        Callback::from(move |_: MouseEvent| form.dispatch(Box::new(TableForm::add_vector_index)))
    };
    let provisioned = f.billing_mode == "PROVISIONED";
    let waiting = exchange.as_ref().is_some_and(|x| x.result.is_none());
    let error = exchange.as_ref().and_then(Exchange::error_message);
    html! {
        <section class="card" aria-labelledby="create-title">
            <h2 id="create-title">{ "Create table" }</h2>
            <form class="form" {onsubmit} data-testid="create-form">
                <div class="row">
                    <label class="field grow"><span>{ "Table name" }</span>
                        <input value={f.name.clone()} required=true autofocus=true data-testid="table-name" placeholder="Music"
                            oninput={on_input(&form, |f: &mut TableForm, v| f.name = v)} /></label>
                </div>
                <div class="row">
                    { key_fields(&form, Slot { index: None, partition: true, more: None }, "Partition key", &f.partition_key, "partition-key", true) }
                    { key_fields(&form, Slot { index: None, partition: false, more: None }, "Sort key (optional)", &f.sort_key, "sort-key", false) }
                </div>
                <fieldset class="row plain">
                    <legend>{ "Billing mode" }</legend>
                    <label class="choice"><input type="radio" name="billing" value="PAY_PER_REQUEST" checked={!provisioned}
                        onchange={on_change(&form, |f: &mut TableForm, v| f.billing_mode = v)} />{ " On-demand (PAY_PER_REQUEST)" }</label>
                    <label class="choice"><input type="radio" name="billing" value="PROVISIONED" checked={provisioned} data-testid="provisioned"
                        onchange={on_change(&form, |f: &mut TableForm, v| f.billing_mode = v)} />{ " Provisioned" }</label>
                    if provisioned {
                        <label class="field narrow"><span>{ "Read capacity (RCU)" }</span>
                            <input value={f.read_capacity.clone()} inputmode="numeric" data-testid="rcu"
                                oninput={on_input(&form, |f: &mut TableForm, v| f.read_capacity = v)} /></label>
                        <label class="field narrow"><span>{ "Write capacity (WCU)" }</span>
                            <input value={f.write_capacity.clone()} inputmode="numeric" data-testid="wcu"
                                oninput={on_input(&form, |f: &mut TableForm, v| f.write_capacity = v)} /></label>
                    }
                </fieldset>
                { for f.indexes.iter().enumerate().map(|(i, index)| index_row(&form, i, index)) }
                { for f.vector_indexes.iter().enumerate().map(|(i, row)| vector_row(&form, i, row)) }
                <div class="actions">
                    <button type="button" class="btn" data-testid="add-gsi" onclick={add(IndexKind::Global)}>{ "+ Global index" }</button>
                    <button type="button" class="btn" data-testid="add-lsi" onclick={add(IndexKind::Local)}>{ "+ Local index" }</button>
                    <button type="button" class="btn" data-testid="add-vector" onclick={add_vector}>{ "+ Vector index" }</button>
                </div>
                if provisioned && !f.vector_indexes.is_empty() {
                    <p class="muted small">{ "Vector indexes need an on-demand table: DynamoDB refuses them on a provisioned one." }</p>
                }
                <div class="actions">
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
                    <pre class="json" data-testid="create-preview">{ crate::ui::pretty::pretty(&request) }</pre>
                </details>
            }
        </section>
    }
}

/// Which key attribute a control edits: of the table (`index` `None`) or of index row
/// `Some(i)`; its partition (`partition`) or sort key; the first attribute (`more` `None`) or
/// the further attribute `Some(j)` of a GSI's multi-attribute key.
#[derive(Clone, Copy)]
struct Slot {
    index: Option<usize>,
    partition: bool,
    more: Option<usize>,
}

fn key_of(f: &mut TableForm, slot: Slot) -> Option<&mut KeyAttribute> {
    let (pk, sk) = match slot.index {
        None => (&mut f.partition_key, &mut f.sort_key),
        Some(i) => {
            let row = f.indexes.get_mut(i)?;
            match slot.more {
                Some(j) if slot.partition => return row.more_partition_keys.get_mut(j),
                Some(j) => return row.more_sort_keys.get_mut(j),
                None => (&mut row.partition_key, &mut row.sort_key),
            }
        }
    };
    Some(if slot.partition { pk } else { sk })
}

/// The name field and type menu of the key attribute `slot`.
fn key_fields(
    form: &Form,
    slot: Slot,
    label: &'static str,
    key: &KeyAttribute,
    testid: &'static str,
    required: bool,
) -> Html {
    let (class, type_label) = match (slot.index, slot.partition) {
        (None, true) => ("field grow", "Partition key type"),
        (None, false) => ("field grow", "Sort key type"),
        (Some(_), _) => ("field", "Type"),
    };
    let on_name = on_input(form, move |f: &mut TableForm, v| {
        if let Some(k) = key_of(f, slot) {
            k.name = v;
        }
    });
    let on_type = on_change(form, move |f: &mut TableForm, v| {
        if let Some(k) = key_of(f, slot) {
            k.attribute_type = v;
        }
    });
    html! {
        <>
        <label {class}><span>{ label }</span>
            <input value={key.name.clone()} {required} data-testid={testid} oninput={on_name} /></label>
        <label class="field narrow"><span>{ type_label }</span>
            <select aria-label={type_label} onchange={on_type}>
                { for KEY_TYPES.iter().map(|(value, text)| html! {
                    <option value={*value} selected={key.attribute_type == *value}>{ *text }</option>
                }) }
            </select></label>
        </>
    }
}

/// A GSI's further partition (or sort) key attributes, each removable, and the button that
/// adds one (a multi-attribute key: up to four of a kind).
fn more_keys(form: &Form, i: usize, partition: bool, keys: &[KeyAttribute]) -> Html {
    let (label, testid, add_label, add_testid) = if partition {
        (
            "+ Partition key attribute",
            "index-partition-key-more",
            "Add a partition key attribute",
            "add-partition-key",
        )
    } else {
        ("+ Sort key attribute", "index-sort-key-more", "Add a sort key attribute", "add-sort-key")
    };
    let edit = |change: fn(&mut TableForm, usize, bool, usize), j: usize| {
        let form = form.clone();
        Callback::from(move |_: MouseEvent| {
            form.dispatch(Box::new(move |f: &mut TableForm| change(f, i, partition, j)))
        })
    };
    html! {
        <>
        { for keys.iter().enumerate().map(|(j, key)| html! {
            <>
            { key_fields(form, Slot { index: Some(i), partition, more: Some(j) }, "and", key, testid, true) }
            <button type="button" class="btn small" aria-label="Remove this key attribute"
                onclick={edit(|f, i, partition, j| f.remove_key_attribute(i, partition, j), j)}>{ "×" }</button>
            </>
        }) }
        if keys.len() < 3 {
            <button type="button" class="btn small" aria-label={add_label} data-testid={add_testid}
                onclick={edit(|f, i, partition, _| f.add_key_attribute(i, partition), 0)}>{ label }</button>
        }
        </>
    }
}

/// An `oninput` handler that edits index row `i`.
fn on_index_input(form: &Form, i: usize, edit: fn(&mut SecondaryIndex, String)) -> Callback<InputEvent> {
    on_input(form, move |f: &mut TableForm, v| {
        if let Some(row) = f.indexes.get_mut(i) {
            edit(row, v);
        }
    })
}

fn index_row(form: &Form, i: usize, index: &SecondaryIndex) -> Html {
    let global = index.kind == IndexKind::Global;
    let remove = {
        let form = form.clone();
        Callback::from(move |_: MouseEvent| {
            form.dispatch(Box::new(move |f: &mut TableForm| f.remove_index(i)))
        })
    };
    let on_projection = on_change(form, move |f: &mut TableForm, v| {
        if let Some(row) = f.indexes.get_mut(i) {
            row.projection_type = v;
        }
    });
    html! {
        <fieldset class="index-row" data-testid="index-row">
            <legend>{ if global { "Global secondary index" } else { "Local secondary index" } }</legend>
            <label class="field"><span>{ "Index name" }</span>
                <input value={index.name.clone()} required=true data-testid="index-name"
                    oninput={on_index_input(form, i, |row, v| row.name = v)} /></label>
            // A GSI's key attributes of a kind stay together, the buttons beside them.
            if global {
                <div class="row">
                    { key_fields(form, Slot { index: Some(i), partition: true, more: None }, "Partition key", &index.partition_key, "index-partition-key", true) }
                    { more_keys(form, i, true, &index.more_partition_keys) }
                </div>
                <div class="row">
                    { key_fields(form, Slot { index: Some(i), partition: false, more: None }, "Sort key (optional)", &index.sort_key, "index-sort-key", false) }
                    { more_keys(form, i, false, &index.more_sort_keys) }
                </div>
            } else {
                // An LSI's sort key is what makes it an index: required.
                { key_fields(form, Slot { index: Some(i), partition: false, more: None }, "Sort key", &index.sort_key, "index-sort-key", true) }
            }
            <label class="field narrow"><span>{ "Projection" }</span>
                <select onchange={on_projection}>
                    { for PROJECTIONS.iter().map(|p| html! {
                        <option value={*p} selected={index.projection_type == *p}>{ *p }</option>
                    }) }
                </select></label>
            if index.projection_type == "INCLUDE" {
                <label class="field"><span>{ "Non-key attributes (comma-separated)" }</span>
                    <input value={index.non_key_attributes.clone()} required=true data-testid="index-non-key" placeholder="Title, Price"
                        oninput={on_index_input(form, i, |row, v| row.non_key_attributes = v)} /></label>
            }
            <button type="button" class="btn small danger" aria-label="Remove this index" onclick={remove}>{ "Remove" }</button>
        </fieldset>
    }
}

/// An edit of a vector index's definition by a control's value.
pub type VectorEdit = fn(&mut CreateForm, String);

/// The fields of a vector index's definition — name, vector attribute, Dimensions, distance
/// function, projection, the search schema's HASH and INLINE_FILTER attributes — as the
/// create-table form and the Vector search tab's add form show them. `input` and `change` make
/// a text field's and a menu's handler from the edit it applies.
pub fn vector_index_fields(
    c: &CreateForm,
    input: &dyn Fn(VectorEdit) -> Callback<InputEvent>,
    change: &dyn Fn(VectorEdit) -> Callback<Event>,
) -> Html {
    html! {
        <>
        <label class="field"><span>{ "Index name" }</span>
            <input value={c.name.clone()} required=true data-testid="vector-create-name"
                oninput={input(|f, v| f.name = v)} /></label>
        <label class="field"><span>{ "Vector attribute" }</span>
            <input value={c.attribute.clone()} required=true data-testid="vector-create-attribute"
                oninput={input(|f, v| f.attribute = v)} /></label>
        <label class="field narrow"><span>{ "Dimensions" }</span>
            <input value={c.dimensions.clone()} inputmode="numeric" required=true data-testid="vector-create-dimensions"
                oninput={input(|f, v| f.dimensions = v)} /></label>
        <label class="field narrow"><span>{ "Distance" }</span>
            <select onchange={change(|f, v| f.metric = v)} data-testid="vector-create-metric">
                { for ["COSINE", "EUCLIDEAN", "DOT_PRODUCT"].into_iter().map(|m| html! {
                    <option value={m} selected={c.metric == m}>{ m }</option>
                }) }
            </select></label>
        <label class="field narrow"><span>{ "Projection" }</span>
            <select onchange={change(|f, v| f.projection = v)}>
                { for ["ALL", "KEYS_ONLY"].into_iter().map(|p| html! {
                    <option value={p} selected={c.projection == p}>{ p }</option>
                }) }
            </select></label>
        <label class="field"><span>{ "Partition by (HASH, optional)" }</span>
            <input value={c.hash.clone()} placeholder="Category" data-testid="vector-create-hash"
                oninput={input(|f, v| f.hash = v)} /></label>
        if !c.hash.trim().is_empty() {
            <label class="field narrow"><span>{ "Its type" }</span>
                <select onchange={change(|f, v| f.hash_type = v)}>
                    { for [("S", "String"), ("N", "Number"), ("B", "Binary")].into_iter().map(|(t, label)| html! {
                        <option value={t} selected={c.hash_type == t}>{ label }</option>
                    }) }
                </select></label>
        }
        <label class="field"><span>{ "Inline filters (optional)" }</span>
            <input value={c.filters.clone()} placeholder="Brand, Year:N" data-testid="vector-create-filters"
                oninput={input(|f, v| f.filters = v)} /></label>
        </>
    }
}

/// Vector index row `i` of the form.
fn vector_row(form: &Form, i: usize, row: &CreateForm) -> Html {
    let remove = {
        let form = form.clone();
        Callback::from(move |_: MouseEvent| {
            form.dispatch(Box::new(move |f: &mut TableForm| f.remove_vector_index(i)))
        })
    };
    let input = |edit: VectorEdit| {
        on_input(form, move |f: &mut TableForm, v| {
            if let Some(row) = f.vector_indexes.get_mut(i) {
                edit(row, v);
            }
        })
    };
    let change = |edit: VectorEdit| {
        on_change(form, move |f: &mut TableForm, v| {
            if let Some(row) = f.vector_indexes.get_mut(i) {
                edit(row, v);
            }
        })
    };
    html! {
        <fieldset class="index-row" data-testid="vector-row">
            <legend>{ "Vector index" }</legend>
            { vector_index_fields(row, &input, &change) }
            <button type="button" class="btn small danger" aria-label="Remove this vector index" onclick={remove}>{ "Remove" }</button>
        </fieldset>
    }
}
