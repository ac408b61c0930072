//! Importing a NoSQL Workbench data model (`#/import/workbench`): the learner picks a model file;
//! it is read and checked whole (`dynaplay_design::workbench::import`) and previewed — tables,
//! keys, billing, indexes, facets and how many items; *Import* then
//!
//! 1. runs every request on a scratch engine of the page's first (the engine's own checks: name
//!    patterns, limits, values), so a model the engine would refuse changes nothing;
//! 2. sends them to the workspace with the page's dataset loader (a table that exists refuses
//!    the whole import before anything is created; throttled batches are retried);
//! 3. should a request still fail there, deletes the tables the import created.

use dynaplay_design::workbench::import::Model;
use dynaplay_teach::script::Step;
use serde_json::{json, Value};
use yew::prelude::*;

use super::bridge::Page;
use super::{files, use_page};
use dynaplay_web::ui::route::Route;

/// Where the import is.
#[derive(Clone, PartialEq)]
enum Stage {
    /// No file yet.
    Empty,
    /// The file could not be read as a model.
    Refused(String),
    /// A model, read and checked, waiting for *Import*.
    Ready(Model),
    /// Importing.
    Working(Model),
    /// Done: the tables created and the items written.
    Done { tables: Vec<String>, items: u64 },
    /// The import failed and changed nothing.
    Failed(Model, String),
}

/// Every table name in the workspace.
async fn table_names(page: &Page) -> Vec<String> {
    let mut names = Vec::new();
    let mut request = json!({});
    while let Ok(answer) = page.send("ListTables", &request).await {
        names.extend(
            answer["TableNames"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned),
        );
        match answer.get("LastEvaluatedTableName") {
            Some(last) => request = json!({ "ExclusiveStartTableName": last }),
            None => break,
        }
    }
    names
}

/// Dry run, then the real import; the error's message when it changed nothing.
async fn import(page: &Page, model: &Model) -> Result<(Vec<String>, u64), String> {
    let labelled = model.labelled_requests();
    let steps: Vec<Step> = labelled.iter().map(|(_, op, request)| Step::new(*op, request.clone())).collect();
    let log = page.scratch(&steps)?;
    if let Some((index, failed)) = log.iter().enumerate().find(|(_, x)| !x.is_ok()) {
        let what = labelled.get(index).map_or("a request", |(label, _, _)| label.as_str());
        return Err(format!(
            "Nothing was imported: the request that {what} is refused — {}: {}",
            failed.error_name().unwrap_or("error"),
            failed.error_message().unwrap_or("")
        ));
    }
    let before = table_names(page).await;
    match page.load_dataset(&model.dataset()).await {
        Ok(outcome) => Ok((
            model.tables.iter().map(|t| t.name.clone()).collect(),
            outcome["ItemsWritten"].as_u64().unwrap_or(0),
        )),
        Err(e) => {
            // Take back what this import created (a table that existed refused the load
            // before anything was created, and is in `before`).
            for table in &model.tables {
                if !before.contains(&table.name) {
                    let _ = page.send("DeleteTable", &json!({ "TableName": table.name })).await;
                }
            }
            Err(format!("Nothing was imported: {e}"))
        }
    }
}

fn key_text(create: &Value) -> String {
    create["KeySchema"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|k| k["AttributeName"].as_str())
        .collect::<Vec<_>>()
        .join(" + ")
}

fn preview(model: &Model) -> Html {
    let rows: Html = model
        .tables
        .iter()
        .map(|t| {
            let billing = match t.create_table["BillingMode"].as_str() {
                Some("PROVISIONED") => format!(
                    "provisioned {} RCU / {} WCU",
                    t.create_table["ProvisionedThroughput"]["ReadCapacityUnits"],
                    t.create_table["ProvisionedThroughput"]["WriteCapacityUnits"]
                ),
                _ => "on demand".to_owned(),
            };
            let facets: Vec<String> = t
                .facets
                .iter()
                .map(|f| match &f.sort_alias {
                    Some(sort) => format!("{} ({} / {}, {} items)", f.name, f.partition_alias, sort, f.items),
                    None => format!("{} ({}, {} items)", f.name, f.partition_alias, f.items),
                })
                .collect();
            html! {
                <tr data-testid="workbench-table">
                    <td><strong>{ t.name.clone() }</strong></td>
                    <td>{ key_text(&t.create_table) }</td>
                    <td>{ billing }</td>
                    <td>{ if t.indexes.is_empty() { "—".to_owned() } else { t.indexes.join(", ") } }</td>
                    <td>{ if facets.is_empty() { "—".to_owned() } else { facets.join("; ") } }</td>
                    <td>{ t.items.len() }</td>
                </tr>
            }
        })
        .collect();
    html! {
        <div class="table-wrap">
            <table class="small" data-testid="workbench-preview">
                <thead><tr><th>{ "Table" }</th><th>{ "Key" }</th><th>{ "Billing" }</th><th>{ "Global indexes" }</th><th>{ "Facets" }</th><th>{ "Items" }</th></tr></thead>
                <tbody>{ rows }</tbody>
            </table>
        </div>
    }
}

/// The import view.
#[component]
pub fn WorkbenchImport() -> Html {
    let page = use_page().page;
    let stage = use_state(|| Stage::Empty);
    let chosen = {
        let stage = stage.clone();
        Callback::from(move |e: Event| {
            let stage = stage.clone();
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else { return };
            yew::platform::spawn_local(async move {
                let chosen = files::chosen_text(&input).await;
                // Cleared, so choosing the same file again (after fixing it, or to retry) is a
                // change the browser reports.
                input.set_value("");
                stage.set(match chosen {
                    None => Stage::Empty,
                    Some(Err(e)) => Stage::Refused(e),
                    Some(Ok(text)) => match Model::read(text.as_bytes()) {
                        Ok(model) => Stage::Ready(model),
                        Err(e) => Stage::Refused(e.0),
                    },
                });
            });
        })
    };
    let start = {
        let (stage, page) = (stage.clone(), page.clone());
        Callback::from(move |_: MouseEvent| {
            let (Stage::Ready(model) | Stage::Failed(model, _)) = (*stage).clone() else { return };
            let (stage, page) = (stage.clone(), page.clone());
            stage.set(Stage::Working(model.clone()));
            yew::platform::spawn_local(async move {
                stage.set(match import(&page, &model).await {
                    Ok((tables, items)) => Stage::Done { tables, items },
                    Err(e) => Stage::Failed(model, e),
                });
            });
        })
    };
    let summary = |model: &Model| {
        format!(
            "Model {}: {} table{}, {} item{}.",
            model.name,
            model.tables.len(),
            if model.tables.len() == 1 { "" } else { "s" },
            model.item_count(),
            if model.item_count() == 1 { "" } else { "s" }
        )
    };
    let body = match &*stage {
        Stage::Empty => Html::default(),
        Stage::Refused(e) => {
            html! { <p class="error-text" role="alert" data-testid="workbench-error">{ e.clone() }</p> }
        }
        Stage::Ready(model) | Stage::Working(model) | Stage::Failed(model, _) => {
            let working = matches!(*stage, Stage::Working(_));
            let failure = match &*stage {
                Stage::Failed(_, e) => {
                    html! { <p class="error-text" role="alert" data-testid="workbench-error">{ e.clone() }</p> }
                }
                _ => Html::default(),
            };
            html! {
                <>
                <p data-testid="workbench-summary">{ summary(model) }</p>
                { preview(model) }
                <p class="muted small">{ "Facets are Workbench's views of a table: their items are written into it. Each table is created with its global secondary indexes; a provisioned model's indexes get the table's capacity." }</p>
                <button type="button" class="btn primary" onclick={start.clone()} disabled={working} data-testid="workbench-import">
                    { if working { "Importing…" } else { "Import into this workspace" } }</button>
                { failure }
                </>
            }
        }
        Stage::Done { tables, items } => html! {
            <p role="status" data-testid="workbench-done">
                { format!("Imported {items} item{} into ", if *items == 1 { "" } else { "s" }) }
                { for tables.iter().enumerate().map(|(i, t)| html! {
                    <>{ if i > 0 { ", " } else { "" } }<a href={Route::table(t).to_hash()}>{ t.clone() }</a></>
                }) }
                { "." }
            </p>
        },
    };
    html! {
        <section class="card workbench" data-testid="workbench">
            <h2>{ "Import a NoSQL Workbench model" }</h2>
            <p class="small">{ "A data model exported from NoSQL Workbench for DynamoDB (its JSON model format): its tables, global secondary indexes and sample data — the table's and each facet's — come into this workspace. A table that exists already stops the import before anything changes." }</p>
            <label class="field">{ "Model file (.json)" }
                <input type="file" accept=".json,application/json" onchange={chosen} data-testid="workbench-file" /></label>
            { body }
        </section>
    }
}
