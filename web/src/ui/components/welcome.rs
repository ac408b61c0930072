//! The welcome view, what a first visit sees: start from a blank table or load a sample dataset
//! in one click, and a short map of what each view shows. The datasets' index is fetched when
//! the view opens (it is data beside the page, not part of the bundle).

use dynaplay_engine::grouped;
use serde_json::Value;
use yew::prelude::*;

use crate::host::datasets;

/// Properties of [`Welcome`].
#[derive(Properties, PartialEq)]
pub struct WelcomeProps {
    /// Opens the create-table form.
    pub oncreate: Callback<()>,
    /// Opens a table (the first one a dataset created).
    pub onopen: Callback<String>,
}

/// What the welcome view says under the datasets: nothing yet, loading, done or failed.
#[derive(Clone, PartialEq)]
enum Status {
    Idle,
    Loading(String),
    Done(String),
    Failed(String),
}

/// The welcome view.
#[component]
pub fn Welcome(props: &WelcomeProps) -> Html {
    let index = use_state(|| None::<Result<Vec<Value>, String>>);
    let status = use_state(|| Status::Idle);
    {
        let index = index.clone();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move { index.set(Some(datasets::index().await)) });
        });
    }
    let load = |entry: &Value| {
        let (status, onopen) = (status.clone(), props.onopen.clone());
        let id = entry["id"].as_str().unwrap_or_default().to_owned();
        let title = entry["title"].as_str().unwrap_or_default().to_owned();
        Callback::from(move |_: MouseEvent| {
            let (status, onopen, id) = (status.clone(), onopen.clone(), id.clone());
            status.set(Status::Loading(format!("Loading {title}…")));
            yew::platform::spawn_local(async move {
                match datasets::load(&id).await {
                    Ok(done) => {
                        let tables: Vec<&str> = done["Tables"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str)
                            .collect();
                        let items = done["ItemsWritten"].as_u64().unwrap_or(0);
                        status.set(Status::Done(format!(
                            "Loaded {} item{} into {}.",
                            grouped(items.into()),
                            if items == 1 { "" } else { "s" },
                            tables.join(", ")
                        )));
                        if let Some(first) = tables.first() {
                            onopen.emit((*first).to_owned());
                        }
                    }
                    Err(message) => status.set(Status::Failed(message)),
                }
            });
        })
    };
    let busy = matches!(*status, Status::Loading(_));
    let datasets = match &*index {
        None => html! { <p class="muted small">{ "Reading the list of datasets…" }</p> },
        Some(Err(why)) => {
            html! { <p class="error-text small">{ format!("The datasets could not be listed: {why}") }</p> }
        }
        Some(Ok(entries)) => html! {
            <ul class="datasets">
            { for entries.iter().map(|entry| html! {
                <li>
                    <button type="button" class="btn small" disabled={busy} onclick={load(entry)}
                        data-testid={format!("load-dataset-{}", entry["id"].as_str().unwrap_or_default())}>{ "Load" }</button>
                    <span><strong>{ entry["title"].as_str().unwrap_or_default().to_owned() }</strong>
                        { format!(" · {} items · ", grouped(entry["items"].as_u64().unwrap_or(0).into())) }
                        <span class="muted">{ entry["description"].as_str().unwrap_or_default().to_owned() }</span></span>
                </li>
            }) }
            </ul>
        },
    };
    let message = match &*status {
        Status::Idle => Html::default(),
        Status::Loading(text) => html! { <p class="status" aria-live="polite">{ text.clone() }</p> },
        Status::Done(text) => {
            html! { <p class="status" aria-live="polite" data-testid="dataset-status">{ text.clone() }</p> }
        }
        Status::Failed(text) => {
            html! { <p class="status error" role="alert" data-testid="dataset-status">{ text.clone() }</p> }
        }
    };
    html! {
        <section class="card welcome">
            <h2>{ "Welcome" }</h2>
            <p>{ "A DynamoDB of your own, in this tab: nothing leaves your browser. Every request is shown with what it cost and as AWS CLI, boto3 and JavaScript code." }</p>
            <div class="welcome-start">
                <a class="btn primary" href="#/labs" data-testid="open-labs">{ "Start a guided lab" }</a>
                <button type="button" class="btn" onclick={props.oncreate.reform(|_: MouseEvent| ())}>{ "Create a table" }</button>
                <span class="muted small">{ "or load a sample dataset:" }</span>
            </div>
            { datasets }
            { message }
            <p class="small"><a href="#/import/workbench" data-testid="open-workbench-import">{ "Import a NoSQL Workbench model" }</a></p>
            <h3>{ "What each view shows" }</h3>
            <dl class="view-map">
                <dt>{ "Items" }</dt><dd>{ "the table's items; GetItem, Query and Scan with what each read consumed" }</dd>
                <dt>{ "Capacity" }</dt><dd>{ "partitions, their read and write buckets, burst, throttling and hot keys, live as time runs" }</dd>
                <dt>{ "Export design" }</dt><dd>{ "the table as CloudFormation, CDK, Terraform, a NoSQL Workbench model, or S3 export files" }</dd>
                <dt>{ "Stream · Trigger · TTL" }</dt><dd>{ "change records, a Lambda-style handler run on them, and items that expire" }</dd>
                <dt>{ "Guided labs" }</dt><dd>{ "step-by-step lessons in a workspace of their own, checked as you go" }</dd>
                <dt>{ "Console" }</dt><dd>{ "any DynamoDB request as JSON, answered as DynamoDB answers it" }</dd>
            </dl>
        </section>
    }
}
