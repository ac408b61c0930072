//! The query builder: index (the table or one of its GSIs/LSIs), partition key value, sort key
//! condition, filter, projection, order and limit → a Query request (built by
//! [`crate::ui::requests::query_request`] and shown as it is typed), handed to the explorer to run.
//! A GSI with a multi-attribute key gets a value field per partition key attribute and a
//! condition per sort key attribute; DynamoDB's own message says when the conditions leave a
//! gap (first load is tight: no hint text of ours).

use serde_json::Value;
use yew::prelude::*;

use crate::ui::components::{on_change, on_input, FormState};
use crate::ui::requests::{query_request, IndexKeys, QueryForm, SortCondition};

/// Properties of [`QueryBuilder`].
#[derive(Properties, PartialEq)]
pub struct QueryBuilderProps {
    /// TableName.
    pub table: AttrValue,
    /// The keys of the table and of each index, from DescribeTable.
    pub schemas: Vec<IndexKeys>,
    /// Runs the built request.
    pub onrun: Callback<Value>,
    /// A request is running.
    #[prop_or_default]
    pub busy: bool,
}

fn initial(table: &str, schemas: &[IndexKeys]) -> QueryForm {
    let none = IndexKeys { index: String::new(), partition: Vec::new(), sort: Vec::new() };
    QueryForm::new(table, schemas.first().unwrap_or(&none))
}

/// The test id of the `n`-th control of a kind: `query-pk`, then `query-pk-2`, … (a GSI's
/// multi-attribute key has several).
fn testid(base: &str, n: usize) -> String {
    if n == 0 {
        base.to_owned()
    } else {
        format!("{base}-{}", n + 1)
    }
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
    let table = props.table.clone();
    let on_index = on_change(&form, move |f, v| {
        // Another key: its own value fields and conditions; the rest of the form stays.
        if let Some(keys) = schemas.iter().find(|k| k.index == v) {
            let fresh = QueryForm::new(&table, keys);
            (f.index, f.partition, f.sort) = (fresh.index, fresh.partition, fresh.sort);
        }
    });
    let partition = f.partition.iter().enumerate().map(|(n, (key, value))| {
        html! {
            <label class="field grow">
                <span>{ format!("{} = ({})", key.name, key.attribute_type) }</span>
                <input value={value.clone()} required=true data-testid={testid("query-pk", n)} placeholder="partition key value"
                    oninput={on_input(&form, move |f, v| if let Some(p) = f.partition.get_mut(n) { p.1 = v })} />
            </label>
        }
    });
    let sort = f.sort.iter().enumerate().map(|(n, row)| {
        html! {
            <div class="row">
                <label class="field narrow">
                    <span>{ format!("{} ({})", row.key.name, row.key.attribute_type) }</span>
                    <select data-testid={testid("query-sk-op", n)}
                        onchange={on_change(&form, move |f, v| if let Some(r) = f.sort.get_mut(n) { r.condition = SortCondition::from_label(&v) })}>
                        { for SortCondition::ALL.iter().map(|c| html! {
                            <option value={c.label()} selected={*c == row.condition}>{ c.label() }</option>
                        }) }
                    </select>
                </label>
                if row.condition != SortCondition::None {
                    <label class="field grow">
                        <span>{ if row.condition == SortCondition::Between { "From" } else { "Value" } }</span>
                        <input value={row.value.clone()} data-testid={testid("query-sk", n)}
                            oninput={on_input(&form, move |f, v| if let Some(r) = f.sort.get_mut(n) { r.value = v })} />
                    </label>
                }
                if row.condition == SortCondition::Between {
                    <label class="field grow">
                        <span>{ "To" }</span>
                        <input value={row.value_to.clone()} data-testid={testid("query-sk2", n)}
                            oninput={on_input(&form, move |f, v| if let Some(r) = f.sort.get_mut(n) { r.value_to = v })} />
                    </label>
                }
            </div>
        }
    });
    html! {
        <form class="form query-builder" onsubmit={onsubmit} data-testid="query-form" aria-label="Query builder">
            <div class="row">
                <label class="field">
                    <span>{ "Index" }</span>
                    <select onchange={on_index} data-testid="query-index">
                        { for props.schemas.iter().map(|k| {
                            let label = if k.index.is_empty() { format!("Table: {}", props.table) } else { format!("Index: {}", k.index) };
                            html! { <option value={k.index.clone()} selected={k.index == f.index}>{ format!("{label} ({})", k.names()) }</option> }
                        }) }
                    </select>
                </label>
                { for partition }
            </div>
            { for sort }
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
