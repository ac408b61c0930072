//! The table list (ListTables), refreshed whenever the workspace changes. Choosing a table
//! opens it in the item explorer; "Create table" opens the form.

use serde_json::json;
use yew::prelude::*;

use crate::ui::app::use_host;

/// Properties of [`TableList`].
#[derive(Properties, PartialEq)]
pub struct TableListProps {
    /// The table open in the explorer.
    #[prop_or_default]
    pub selected: Option<AttrValue>,
    /// Called with a table's name when it is chosen.
    pub onselect: Callback<String>,
    /// Opens the create-table form.
    pub oncreate: Callback<()>,
}

/// The sidebar listing the workspace's tables.
#[component]
pub fn TableList(props: &TableListProps) -> Html {
    let ctx = use_host();
    let tables = use_state(Vec::<String>::new);
    {
        let tables = tables.clone();
        let host = ctx.host.clone();
        use_effect_with(ctx.revision, move |_| {
            yew::platform::spawn_local(async move {
                if let Ok(v) = host.send("ListTables", &json!({})).await {
                    let names = v["TableNames"].as_array().cloned().unwrap_or_default();
                    tables.set(names.iter().filter_map(|n| n.as_str().map(str::to_owned)).collect());
                }
            });
        });
    }
    let create = props.oncreate.reform(|_: MouseEvent| ());
    html! {
        <nav class="tables" aria-label="Tables">
            <h2>{ "Tables" }</h2>
            <button type="button" class="btn primary wide" onclick={create} data-testid="open-create">{ "+ Create table" }</button>
            if tables.is_empty() {
                <p class="muted small">{ "No tables yet. Create one with the form or send a CreateTable request from the console." }</p>
            }
            <ul>
            { for tables.iter().map(|name| {
                let onselect = props.onselect.clone();
                let chosen = name.clone();
                let onclick = Callback::from(move |_| onselect.emit(chosen.clone()));
                let current = props.selected.as_deref() == Some(name.as_str());
                html! {
                    <li><button class={classes!("table-name", current.then_some("current"))}
                        aria-current={current.then_some("true")} {onclick}>{ name.clone() }</button></li>
                }
            }) }
            </ul>
        </nav>
    }
}
