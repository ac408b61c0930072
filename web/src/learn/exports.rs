//! The Export design tab's S3 panel, continued: the exports `ExportTableToPointInTime` made of
//! this table in the playground's object store (the full engine's `backups`), each with its
//! status and item count, and a download of its files as one .zip laid out as the export is in
//! S3 (`<prefix>/AWSDynamoDB/<ExportId>/…`: unzip it into a bucket and ImportTable reads it).
//! A button exports the table now (point-in-time recovery must be on, as in DynamoDB). In the
//! page's small engine ListExports is refused, and the list is left out.

use dynaplay_design::zip::{self, ZipEntry};
use serde_json::{json, Value};
use yew::prelude::*;

use super::bridge::Page;
use super::{files, use_page};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The table's ARN.
    pub table_arn: String,
    /// The bucket and prefix the panel's fields name.
    pub bucket: String,
    pub prefix: String,
}

/// The text of an error answer.
fn message(error: &Value) -> String {
    let kind = error["__type"].as_str().unwrap_or_default().rsplit('#').next().unwrap_or_default();
    format!("{kind}: {}", error["message"].as_str().unwrap_or_default())
}

/// Every object of an export (its folder, from its manifest's key) as zip entries.
async fn export_files(page: &Page, description: &Value) -> Result<Vec<ZipEntry>, String> {
    let bucket = description["S3Bucket"].as_str().unwrap_or_default();
    let manifest = description["ExportManifest"].as_str().unwrap_or_default();
    let folder = manifest.trim_end_matches("manifest-summary.json");
    let listed = page
        .send("PlaygroundListObjects", &json!({"Bucket": bucket, "Prefix": folder}))
        .await
        .map_err(|e| message(&e))?;
    let mut entries = Vec::new();
    for object in listed["Objects"].as_array().into_iter().flatten() {
        let key = object["Key"].as_str().unwrap_or_default();
        let got = page
            .send("PlaygroundGetObject", &json!({"Bucket": bucket, "Key": key}))
            .await
            .map_err(|e| message(&e))?;
        let bytes = dynaplay_engine::types::base64::decode(got["Body"].as_str().unwrap_or_default())
            .ok_or("an object that is not base64")?;
        entries.push(ZipEntry { path: key.to_owned(), bytes });
    }
    Ok(entries)
}

/// The table's exports, newest first, with a download each and an "Export now" button.
#[component]
pub fn TableExports(props: &Props) -> Html {
    let context = use_page();
    let page = context.page.clone();
    let exports = use_state(|| None::<Result<Vec<Value>, String>>);
    let note = use_state(String::new);
    // Bumped by "Export this table now": the list is read again.
    let tick = use_state(|| 0u32);
    {
        let (page, exports, arn) = (page.clone(), exports.clone(), props.table_arn.clone());
        use_effect_with((arn, context.revision, *tick), move |(arn, _, _)| {
            let arn = arn.clone();
            yew::platform::spawn_local(async move {
                let listed = page.send("ListExports", &json!({"TableArn": arn})).await;
                let Ok(listed) = listed else {
                    // The small engine refuses: no list.
                    exports.set(None);
                    return;
                };
                let mut list = Vec::new();
                for summary in listed["ExportSummaries"].as_array().into_iter().flatten() {
                    let request = json!({"ExportArn": summary["ExportArn"]});
                    if let Ok(d) = page.send("DescribeExport", &request).await {
                        list.push(d["ExportDescription"].clone());
                    }
                }
                list.reverse();
                exports.set(Some(Ok(list)));
            });
        });
    }
    let Some(Ok(list)) = (*exports).clone() else { return Html::default() };
    let export_now = {
        let (page, note, tick) = (page.clone(), note.clone(), tick.clone());
        let request = json!({"TableArn": props.table_arn, "S3Bucket": props.bucket,
                             "S3Prefix": props.prefix.trim_matches('/')});
        Callback::from(move |_: MouseEvent| {
            let (page, note, request, tick) = (page.clone(), note.clone(), request.clone(), tick.clone());
            yew::platform::spawn_local(async move {
                match page.send("ExportTableToPointInTime", &request).await {
                    Ok(a) => {
                        tick.set(*tick + 1);
                        note.set(format!(
                            "Export {} started: IN_PROGRESS for 10 s of engine time.",
                            a["ExportDescription"]["ExportArn"]
                                .as_str()
                                .unwrap_or_default()
                                .rsplit('/')
                                .next()
                                .unwrap_or_default()
                        ))
                    }
                    Err(e) => note.set(message(&e)),
                }
            });
        })
    };
    let row = |d: &Value| {
        let arn = d["ExportArn"].as_str().unwrap_or_default();
        let id = arn.rsplit('/').next().unwrap_or_default().to_owned();
        let status = d["ExportStatus"].as_str().unwrap_or_default().to_owned();
        let items = d["ItemCount"].as_u64().map(|n| format!(" · {n} items")).unwrap_or_default();
        let kind = d["ExportType"].as_str().unwrap_or_default();
        let at = d["ExportTime"].as_f64().map(|s| format!(" · at {s}")).unwrap_or_default();
        let download = {
            let (page, note, d, id) = (page.clone(), note.clone(), d.clone(), id.clone());
            Callback::from(move |_: MouseEvent| {
                let (page, note, d, id) = (page.clone(), note.clone(), d.clone(), id.clone());
                yew::platform::spawn_local(async move {
                    match export_files(&page, &d).await {
                        Ok(entries) => match zip::archive(&entries, 0) {
                            Some(archive) => {
                                files::download(&format!("{id}.zip"), &archive, "application/zip")
                            }
                            None => note.set("The export is too large for one .zip".into()),
                        },
                        Err(e) => note.set(e),
                    }
                });
            })
        };
        html! {
            <li data-testid="table-export">
                <code>{ id.clone() }</code>{ format!(" · {kind} · {status}{items}{at} · s3://{}/", d["S3Bucket"].as_str().unwrap_or_default()) }
                <button type="button" class="btn small" onclick={download} data-testid="download-export">{ "Download .zip" }</button>
            </li>
        }
    };
    html! {
        <div class="design-panel" data-testid="table-exports">
            <h3>{ "Exports made here (ExportTableToPointInTime)" }</h3>
            <p class="small">{ "The playground keeps the files an export writes in its own object store; the server also writes them to its --exports-dir. Point-in-time recovery must be on." }</p>
            <button type="button" class="btn" onclick={export_now} data-testid="export-now">{ "Export this table now" }</button>
            if !note.is_empty() { <p class="small" role="status" data-testid="export-note">{ (*note).clone() }</p> }
            if list.is_empty() {
                <p class="muted small">{ "No exports of this table yet." }</p>
            } else {
                <ul class="small">{ for list.iter().map(row) }</ul>
            }
        </div>
    }
}
