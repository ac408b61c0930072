//! The query builder: index (the table or one of its GSIs/LSIs), partition key value, sort key
//! condition, filter, projection, order and limit → a Query request (built by
//! [`crate::ui::requests::query_request`] and shown as it is typed), handed to the explorer to run.

use serde_json::Value;
use yew::prelude::*;

use crate::ui::components::{on_change, on_input, FormState};
use crate::ui::requests::{query_request, KeyAttribute, QueryForm, SortCondition};

/// Properties of [`QueryBuilder`].
#[derive(Properties, PartialEq)]
pub struct QueryBuilderProps {
    /// TableName.
    pub table: AttrValue,
    /// (index name or "" for the table, partition key, sort key) from DescribeTable.
    pub schemas: Vec<(String, KeyAttribute, KeyAttribute)>,
    /// Runs the built request.
    pub onrun: Callback<Value>,
    /// A request is running.
    #[prop_or_default]
    pub busy: bool,
}

fn initial(table: &str, schemas: &[(String, KeyAttribute, KeyAttribute)]) -> QueryForm {
    let (index, partition_key, sort_key) = schemas
        .first()
        .cloned()
        .unwrap_or_else(|| (String::new(), KeyAttribute::new(""), KeyAttribute::new("")));
    QueryForm::new(table, index, partition_key, sort_key)
}

/// The query builder.
#[component]
pub fn QueryBuilder(props: &QueryBuilderProps) -> Html {
    let form = use_reducer(|| FormState(initial(&props.table, &props.schemas)));
    {
        // A different table (or its indexes now known): start over.
        let form = form.clone();
        let fresh = initial(&props.table, &props.schemas);
        use_effect_with((props.table.clone(), props.schemas.clone()), move |_| {
            form.dispatch(Box::new(move |f: &mut QueryForm| *f = fresh));
        });
    }
    let f = &form.0;
    let built = query_request(f);
    let onsubmit = {
        let built = built.clone();
        let onrun = props.onrun.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Ok(request) = &built {
                onrun.emit(request.clone());
            }
        })
    };
    let schemas = props.schemas.clone();
    let on_index = on_change(&form, move |f, v| {
        if let Some((index, pk, sk)) = schemas.iter().find(|(name, _, _)| *name == v) {
            f.index = index.clone();
            f.partition_key = pk.clone();
            f.sort_key = sk.clone();
        }
    });
    let has_sort = !f.sort_key.name.is_empty();
    html! {
        <form class="form query-builder" onsubmit={onsubmit} data-testid="query-form" aria-label="Query builder">
            <div class="row">
                <label class="field">
                    <span>{ "Index" }</span>
                    <select onchange={on_index} data-testid="query-index">
                        { for props.schemas.iter().map(|(name, pk, sk)| {
                            let label = if name.is_empty() { format!("Table: {}", props.table) } else { format!("Index: {name}") };
                            let keys = if sk.name.is_empty() { pk.name.clone() } else { format!("{}, {}", pk.name, sk.name) };
                            html! { <option value={name.clone()} selected={*name == f.index}>{ format!("{label} ({keys})") }</option> }
                        }) }
                    </select>
                </label>
                <label class="field grow">
                    <span>{ format!("{} = ({})", f.partition_key.name, f.partition_key.attribute_type) }</span>
                    <input value={f.partition_value.clone()} required=true data-testid="query-pk" placeholder="partition key value"
                        oninput={on_input(&form, |f, v| f.partition_value = v)} />
                </label>
            </div>
            if has_sort {
                <div class="row">
                    <label class="field narrow">
                        <span>{ format!("{} ({})", f.sort_key.name, f.sort_key.attribute_type) }</span>
                        <select data-testid="query-sk-op" onchange={on_change(&form, |f, v| f.sort_condition = SortCondition::from_label(&v))}>
                            { for SortCondition::ALL.iter().map(|c| html! {
                                <option value={c.label()} selected={*c == f.sort_condition}>{ c.label() }</option>
                            }) }
                        </select>
                    </label>
                    if f.sort_condition != SortCondition::None {
                        <label class="field grow">
                            <span>{ if f.sort_condition == SortCondition::Between { "From" } else { "Value" } }</span>
                            <input value={f.sort_value.clone()} data-testid="query-sk" oninput={on_input(&form, |f, v| f.sort_value = v)} />
                        </label>
                    }
                    if f.sort_condition == SortCondition::Between {
                        <label class="field grow">
                            <span>{ "To" }</span>
                            <input value={f.sort_value_to.clone()} data-testid="query-sk2" oninput={on_input(&form, |f, v| f.sort_value_to = v)} />
                        </label>
                    }
                </div>
            }
            <div class="row">
                <label class="field grow">
                    <span>{ "Filter expression (optional)" }</span>
                    <input value={f.filter.clone()} placeholder="Plays > :min" data-testid="query-filter"
                        oninput={on_input(&form, |f, v| f.filter = v)} />
                </label>
                <label class="field grow">
                    <span>{ "Filter values (plain JSON)" }</span>
                    <input value={f.filter_values.clone()} placeholder="{\":min\": 10}" data-testid="query-filter-values"
                        oninput={on_input(&form, |f, v| f.filter_values = v)} />
                </label>
            </div>
            <div class="row">
                <label class="field grow">
                    <span>{ "Projection (attribute names, comma-separated)" }</span>
                    <input value={f.projection.clone()} placeholder="all attributes" data-testid="query-projection"
                        oninput={on_input(&form, |f, v| f.projection = v)} />
                </label>
                <label class="field narrow">
                    <span>{ "Limit" }</span>
                    <input value={f.limit.clone()} inputmode="numeric" data-testid="query-limit"
                        oninput={on_input(&form, |f, v| f.limit = v)} />
                </label>
                <label class="choice">
                    <input type="checkbox" checked={f.scan_forward} data-testid="query-forward"
                        onchange={on_change(&form, |f, v| f.scan_forward = v == "true")} />
                    { "Ascending (ScanIndexForward)" }
                </label>
            </div>
            <details class="block">
                <summary>{ "Query request" }</summary>
                <pre class="json" data-testid="query-preview">{
                    match &built { Ok(r) => crate::ui::pretty::pretty(r), Err(e) => e.clone() }
                }</pre>
            </details>
            if let Err(message) = &built {
                <p class="error-text" role="alert">{ message.clone() }</p>
            }
            <div class="actions">
                <button type="submit" class="btn primary" disabled={props.busy || built.is_err()} data-testid="query-run">{ "Run query" }</button>
            </div>
        </form>
    }
}
