//! The table list (ListTables), refreshed whenever the workspace changes. Choosing a table
//! puts a Scan of it into the console.

use serde_json::json;
use yew::prelude::*;

use crate::app::use_host;

/// Properties of [`TableList`].
#[derive(Properties, PartialEq)]
pub struct TableListProps {
    /// Called with (operation, request JSON) to show in the console.
    pub ondraft: Callback<(String, String)>,
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
    html! {
        <nav class="tables" aria-label="Tables">
            <h2>{ "Tables" }</h2>
            if tables.is_empty() {
                <p class="muted">{ "No tables yet. Send a CreateTable request from the console." }</p>
            }
            <ul>
            { for tables.iter().map(|name| {
                let ondraft = props.ondraft.clone();
                let request = serde_json::to_string_pretty(&json!({"TableName": name})).unwrap_or_default();
                let onclick = Callback::from(move |_| ondraft.emit(("Scan".to_owned(), request.clone())));
                html! { <li><button class="table-name" {onclick}>{ name.clone() }</button></li> }
            }) }
            </ul>
        </nav>
    }
}
