//! The create-table form: name, partition and sort key, billing mode and capacity, GSIs and
//! LSIs → a CreateTable request (built by [`crate::ui::requests::create_table_request`], shown live),
//! sent on submit (Enter works); the engine's validation message appears next to the button.
//! The controls are markup from [`crate::ui::views::create_table`], rewritten only when the form's
//! layout changes (billing mode, index rows), with one listener per event kind on the form.

use yew::prelude::*;

use crate::ui::app::use_host;
use crate::ui::components::exchange::{self, Exchange, ExchangeView};
use crate::ui::components::{keep_focus, on_action, on_field, FormState};
use crate::ui::requests::{create_table_request, IndexKind, TableForm};
use crate::ui::views::create_table::markup;

/// Properties of [`CreateTable`].
#[derive(Properties, PartialEq)]
pub struct CreateTableProps {
    /// Called with the new table's name once it exists.
    pub oncreated: Callback<String>,
}

/// The create-table form.
#[component]
pub fn CreateTable(props: &CreateTableProps) -> Html {
    let ctx = use_host();
    let form = use_reducer(FormState::<TableForm>::default);
    let exchange = use_state(|| None::<Exchange>);
    let f = &form.0;
    let request = create_table_request(f);
    let controls = use_memo(f.layout(), |_| AttrValue::from(markup(f)));
    let root = use_node_ref();
    {
        let root = root.clone();
        use_effect_with(f.layout(), move |_| keep_focus(&root));
    }
    let onclick = {
        let form = form.clone();
        on_action(move |action, i| {
            let action = action.to_owned();
            form.dispatch(Box::new(move |f: &mut TableForm| match action.as_str() {
                "add-gsi" => f.add_index(IndexKind::Global),
                "add-lsi" => f.add_index(IndexKind::Local),
                "remove-index" if i < f.indexes.len() => {
                    f.indexes.remove(i);
                }
                _ => {}
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
    let waiting = exchange.as_ref().is_some_and(|x| x.result.is_none());
    let error = exchange.as_ref().and_then(Exchange::error_message);
    html! {
        <section class="card" aria-labelledby="create-title">
            <h2 id="create-title">{ "Create table" }</h2>
            <form class="form" ref={root} {onsubmit} {onclick} oninput={on_field(&form)} onchange={on_field(&form)} data-testid="create-form">
                { Html::from_html_unchecked((*controls).clone()) }
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
