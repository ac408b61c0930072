//! A table's *Export design* tab (`#/tables/{name}/design`): the table's design — read with
//! DescribeTable, DescribeTimeToLive, ListTagsOfResource and DescribeContinuousBackups, as any
//! client would — as CloudFormation (YAML, JSON), an AWS CDK app, Terraform and a NoSQL
//! Workbench model, each with Copy and Download; and its items as the files DynamoDB's export
//! to S3 writes, in one `.zip`, with ImportTable's creation parameters and command line. The
//! writing is `dynaplay_design`'s, the same code the native tests and CI check.

use dynaplay_design::s3_export::{self, ExportTarget};
use dynaplay_design::table::Descriptions;
use dynaplay_design::workbench::export::{model, ModelTable};
use dynaplay_design::{zip, Format, TableDesign};
use serde_json::{json, Value};
use yew::prelude::*;

use super::bridge::Page;
use super::{files, use_page};

/// Keeps a text field's value in `state`.
fn on_input_value(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| {
        if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            state.set(input.value());
        }
    })
}

/// What the tab shows.
#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Code(Format),
    Workbench,
    S3,
}

impl Tab {
    fn all() -> Vec<Tab> {
        let mut tabs: Vec<Tab> = Format::ALL.iter().map(|f| Tab::Code(*f)).collect();
        tabs.push(Tab::Workbench);
        tabs.push(Tab::S3);
        tabs
    }

    fn label(self) -> &'static str {
        match self {
            Tab::Code(format) => format.label(),
            Tab::Workbench => "NoSQL Workbench",
            Tab::S3 => "S3 export (items)",
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Tab::Code(format) => format.slug(),
            Tab::Workbench => "workbench",
            Tab::S3 => "s3",
        }
    }
}

/// The design and the DescribeTable answer it came from.
#[derive(Clone, PartialEq)]
struct Loaded {
    design: TableDesign,
    table: Value,
}

fn message(error: Value) -> String {
    error["message"].as_str().or(error["Message"].as_str()).unwrap_or("the request failed").to_owned()
}

/// The four describe answers a design is read from.
async fn describe(page: &Page, table: &str) -> Result<Loaded, String> {
    let name = json!({ "TableName": table });
    let described = page.send("DescribeTable", &name).await.map_err(message)?;
    let ttl = page.send("DescribeTimeToLive", &name).await.ok();
    let backups = page.send("DescribeContinuousBackups", &name).await.ok();
    let arn = described["Table"]["TableArn"].clone();
    let mut tags = Vec::new();
    let mut request = json!({ "ResourceArn": arn });
    loop {
        let answer = page.send("ListTagsOfResource", &request).await.map_err(message)?;
        tags.extend(answer["Tags"].as_array().cloned().unwrap_or_default());
        match answer.get("NextToken") {
            Some(token) => request["NextToken"] = token.clone(),
            None => break,
        }
    }
    let tags = json!({ "Tags": tags });
    let design = TableDesign::from_descriptions(Descriptions {
        table: Some(&described),
        time_to_live: ttl.as_ref(),
        tags: Some(&tags),
        continuous_backups: backups.as_ref(),
    })
    .map_err(|e| e.0)?;
    Ok(Loaded { design, table: described["Table"].clone() })
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Properties of [`DesignView`].
#[derive(Properties, PartialEq)]
pub struct DesignProps {
    /// TableName.
    pub table: AttrValue,
}

/// The Export design tab.
#[component]
pub fn DesignView(props: &DesignProps) -> Html {
    let context = use_page();
    let page = context.page.clone();
    let loaded = use_state(|| None::<Result<Loaded, String>>);
    let tab = use_state(|| Tab::Code(Format::CloudFormationYaml));
    let status = use_state(String::new);
    let bucket = use_state(|| "my-bucket".to_owned());
    let prefix = use_state(String::new);
    let exported = use_state(|| None::<Vec<(String, usize)>>);
    // Requests go to an endpoint: the design is read there; items are not.
    let away = page.endpoint().is_some_and(|e| e.forwards());
    {
        let (loaded, page) = (loaded.clone(), page.clone());
        use_effect_with((props.table.clone(), context.revision), move |(table, _)| {
            let table = table.to_string();
            yew::platform::spawn_local(async move { loaded.set(Some(describe(&page, &table).await)) });
        });
    }
    let tabs: Html = Tab::all()
        .into_iter()
        .map(|t| {
            let (set, status) = (tab.clone(), status.clone());
            let on = *tab == t;
            let pick = Callback::from(move |_: MouseEvent| {
                status.set(String::new());
                set.set(t);
            });
            html! {
                <button type="button" role="tab" class={classes!("tab", on.then_some("active"))} aria-selected={on.to_string()}
                    onclick={pick} data-testid={format!("design-tab-{}", t.slug())}>{ t.label() }</button>
            }
        })
        .collect();
    let body = match loaded.as_ref() {
        None => html! { <p class="muted" aria-busy="true">{ "Reading the table's design…" }</p> },
        Some(Err(e)) => {
            html! { <p class="error-text" role="alert" data-testid="design-error">{ e.clone() }</p> }
        }
        Some(Ok(loaded)) => match *tab {
            Tab::Code(format) => {
                let text = format.generate(&loaded.design);
                code_panel(
                    format.slug(),
                    text,
                    format.file_name(&loaded.design.name),
                    format.media_type(),
                    Vec::new(),
                    &status,
                )
            }
            Tab::Workbench => {
                // Sample data comes from this browser's workspace: none while requests go to
                // an endpoint (a Scan there could be large, and billed).
                let items = if away { Vec::new() } else { page.table_items(&loaded.design.name) };
                let mut model = model(
                    &loaded.design.name,
                    &[ModelTable { design: &loaded.design, items: &items }],
                    now_ms(),
                );
                if away {
                    model.notes.push(
                        "No sample data: the table is on an endpoint, and its items are not read.".into(),
                    );
                }
                let file = format!("{}.workbench.json", loaded.design.name);
                code_panel("workbench", model.text, file, "application/json", model.notes, &status)
            }
            Tab::S3 if away => html! {
                <p class="muted" data-testid="unavailable">{ "The S3 export files are written from this browser's workspace: unavailable while requests go to an endpoint. Disconnect, in the header, to export a table of it." }</p>
            },
            Tab::S3 => s3_panel(&page, loaded, &bucket, &prefix, &exported),
        },
    };
    html! {
        <section class="card design" data-testid="design">
            <h2>{ format!("Export design: {}", props.table) }</h2>
            <p class="muted small">{ "This table as infrastructure code, a NoSQL Workbench model, or its items as the files DynamoDB's export to S3 writes (which ImportTable reads). Only what the table has is written." }</p>
            <div class="view-tabs segmented wrap" role="tablist" aria-label="Formats">{ tabs }</div>
            { body }
        </section>
    }
}

/// A generated text with Copy and Download, and what it had to leave out.
fn code_panel(
    slug: &'static str,
    text: String,
    file: String,
    media_type: &'static str,
    notes: Vec<String>,
    status: &UseStateHandle<String>,
) -> Html {
    let copy = {
        let (text, status) = (text.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            let (text, status) = (text.clone(), status.clone());
            yew::platform::spawn_local(async move {
                status.set(
                    if files::copy(&text).await { "Copied." } else { "The browser refused the clipboard." }
                        .into(),
                );
            });
        })
    };
    let download = {
        let (text, file) = (text.clone(), file.clone());
        Callback::from(move |_: MouseEvent| files::download(&file, text.as_bytes(), media_type))
    };
    let notes: Html = notes
        .into_iter()
        .map(|n| html! { <p class="muted small" data-testid="design-note">{ n }</p> })
        .collect();
    html! {
        <div class="design-panel">
            <div class="row wrap">
                <button type="button" class="btn" onclick={copy} data-testid="design-copy">{ "Copy" }</button>
                <button type="button" class="btn" onclick={download} data-testid="design-download">{ format!("Download {file}") }</button>
                <span class="muted small" role="status">{ (**status).clone() }</span>
            </div>
            { notes }
            // Focusable, so a keyboard can scroll it.
            <pre class="code" tabindex="0" aria-label={file.clone()} data-testid={format!("design-text-{slug}")}>{ text }</pre>
        </div>
    }
}

/// The S3 export: where the files will go, the archive, and how ImportTable reads them.
fn s3_panel(
    page: &Page,
    loaded: &Loaded,
    bucket: &UseStateHandle<String>,
    prefix: &UseStateHandle<String>,
    exported: &UseStateHandle<Option<Vec<(String, usize)>>>,
) -> Html {
    let target = ExportTarget {
        bucket: (**bucket).clone(),
        prefix: (**prefix).clone(),
        table_arn: loaded.table["TableArn"].as_str().unwrap_or_default().to_owned(),
        table_id: loaded.table["TableId"].as_str().unwrap_or_default().to_owned(),
        table_size_bytes: loaded.table["TableSizeBytes"].as_u64().unwrap_or(0),
        now_ms: 0,
    };
    let name = loaded.design.name.clone();
    let export = {
        let (page, exported, name, target) = (page.clone(), exported.clone(), name.clone(), target.clone());
        Callback::from(move |_: MouseEvent| {
            let items = page.table_items(&name);
            let target = ExportTarget { now_ms: now_ms(), ..target.clone() };
            let files = s3_export::files(&target, &items);
            if let Some(archive) = zip::archive(&files, target.now_ms) {
                files::download(&format!("{name}-s3-export.zip"), &archive, "application/zip");
            }
            exported.set(Some(files.iter().map(|f| (f.path.clone(), f.bytes.len())).collect()));
        })
    };
    let parameters = s3_export::table_creation_parameters(&loaded.design);
    let download_parameters = {
        let parameters = parameters.clone();
        Callback::from(move |_: MouseEvent| {
            files::download("table-creation-parameters.json", parameters.as_bytes(), "application/json")
        })
    };
    let listing = match exported.as_ref() {
        None => Html::default(),
        Some(list) => html! {
            <ul class="small" data-testid="s3-files">
                { for list.iter().map(|(path, size)| html! { <li><code>{ path.clone() }</code>{ format!(" — {size} bytes") }</li> }) }
            </ul>
        },
    };
    let key_prefix = match target.prefix.trim_matches('/') {
        "" => String::new(),
        p => format!("{p}/"),
    };
    let command = format!(
        "aws dynamodb import-table --input-format DYNAMODB_JSON --input-compression-type GZIP \\\n  --s3-bucket-source S3Bucket={},S3KeyPrefix={key_prefix}AWSDynamoDB/EXPORT_ID/data/ \\\n  --table-creation-parameters file://table-creation-parameters.json",
        target.bucket
    );
    html! {
        <div class="design-panel">
            <p class="small">{ "The table's items as DynamoDB's export to S3 writes them: manifest-summary.json, manifest-files.json and a data/*.json.gz of JSON lines, one {\"Item\": …} each, under AWSDynamoDB/EXPORT_ID/ — in one .zip. Unzip it into your bucket (aws s3 cp --recursive) and ImportTable creates a table from it." }</p>
            <div class="row wrap">
                <label class="field">{ "S3 bucket" }
                    <input value={(**bucket).clone()} oninput={on_input_value(bucket)} data-testid="s3-bucket" /></label>
                <label class="field">{ "Key prefix (optional)" }
                    <input value={(**prefix).clone()} oninput={on_input_value(prefix)} data-testid="s3-prefix" /></label>
            </div>
            <div class="row wrap">
                <button type="button" class="btn primary" onclick={export} data-testid="s3-export">{ format!("Download {name}-s3-export.zip") }</button>
                <button type="button" class="btn" onclick={download_parameters} data-testid="s3-parameters">{ "Download table-creation-parameters.json" }</button>
            </div>
            { listing }
            <p class="small">{ "Then, with EXPORT_ID the folder in the archive:" }</p>
            <pre class="code" tabindex="0" aria-label="The import-table command" data-testid="s3-command">{ command }</pre>
            <super::exports::TableExports table_arn={target.table_arn.clone()} bucket={target.bucket.clone()} prefix={target.prefix.clone()} />
        </div>
    }
}
