//! The *Backups* view (`#/backups`): for a table, point-in-time recovery — on or off (turned on
//! with `UpdateContinuousBackups` and a `RecoveryPeriodInDays`), its window from
//! EarliestRestorableDateTime to LatestRestorableDateTime moving with engine time, and the
//! writes in it as marks on a timeline. The learner picks a second (the slider, or a mark:
//! "the second before this change"), previews the table as it was then — items and count,
//! from `PlaygroundDescribeHistory`, which makes no table and charges nothing — and restores
//! it into a new table with `RestoreTableToPointInTime` and the overrides DynamoDB offers
//! (indexes, billing mode, throughput). Below, the table's on-demand backups: CreateBackup,
//! ListBackups, RestoreTableFromBackup, DeleteBackup. It reads the table again every second.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use serde_json::{json, Value};
use yew::prelude::*;

use super::use_page;
use dynaplay_web::ui::components::{on_change, on_input, value_of, FormState};

/// How often the view reads the table again.
const TICK: Duration = Duration::from_millis(1000);

fn message(error: &Value) -> String {
    error["message"].as_str().or(error["Message"].as_str()).unwrap_or("the request failed").to_owned()
}

/// Epoch seconds (DynamoDB's timestamps) as engine milliseconds.
fn ms(seconds: &Value) -> u64 {
    (seconds.as_f64().unwrap_or(0.0) * 1000.0).round().max(0.0) as u64
}

/// A time as the page writes it: `2026-12-04T05:01:02.345Z`.
fn when(ms: u64) -> String {
    dynaplay_engine::iso8601_millis(ms)
}

/// The second just before a change at `at_ms`: restoring to it leaves the change out.
fn second_before(at_ms: u64) -> u64 {
    at_ms.div_ceil(1000).saturating_sub(1)
}

/// What one read of the table found.
#[derive(Clone, PartialEq, Default)]
struct Reading {
    /// `PointInTimeRecoveryDescription`.
    pitr: Value,
    /// `PlaygroundDescribeHistory`'s answer while recovery is on.
    history: Option<Value>,
    /// `ListBackups`' summaries of the table.
    backups: Vec<Value>,
}

/// The forms' values.
#[derive(Clone, PartialEq)]
struct Forms {
    days: String,
    target: String,
    /// "" keeps the source's billing mode; else `BillingModeOverride`.
    billing: String,
    read_units: String,
    write_units: String,
    /// Keep the source's secondary indexes (else both overrides are empty lists).
    indexes: bool,
    /// "" keeps the source's encryption; "KMS" or "AES256" (an AWS owned key) is
    /// `SSESpecificationOverride`.
    encryption: String,
    backup_name: String,
}

impl Default for Forms {
    fn default() -> Self {
        Self {
            days: "35".into(),
            target: String::new(),
            billing: String::new(),
            read_units: "5".into(),
            write_units: "5".into(),
            indexes: true,
            encryption: String::new(),
            backup_name: "backup-1".into(),
        }
    }
}

impl Forms {
    /// The overrides a restore sends, added to `request`.
    fn overrides(&self, request: &mut Value) -> Result<(), String> {
        if !self.billing.is_empty() {
            request["BillingModeOverride"] = json!(self.billing);
        }
        if self.billing == "PROVISIONED" {
            let units = |v: &str, what: &str| {
                v.trim().parse::<u64>().map_err(|_| format!("{what} must be a whole number"))
            };
            request["ProvisionedThroughputOverride"] = json!({
                "ReadCapacityUnits": units(&self.read_units, "Read capacity units")?,
                "WriteCapacityUnits": units(&self.write_units, "Write capacity units")?,
            });
        }
        match self.encryption.as_str() {
            "" => {}
            "KMS" => request["SSESpecificationOverride"] = json!({"Enabled": true, "SSEType": "KMS"}),
            _ => request["SSESpecificationOverride"] = json!({"Enabled": false}),
        }
        if !self.indexes {
            request["GlobalSecondaryIndexOverride"] = json!([]);
            request["LocalSecondaryIndexOverride"] = json!([]);
        }
        Ok(())
    }
}

/// The Backups view.
#[component]
pub fn BackupsView() -> Html {
    let context = use_page();
    let page = context.page.clone();
    let tables = use_state(|| None::<Vec<String>>);
    let chosen = use_state(|| None::<String>);
    let reading = use_state(|| None::<Result<Reading, String>>);
    let forms = use_reducer(FormState::<Forms>::default);
    // The second picked on the timeline (epoch seconds).
    let picked = use_state(|| None::<u64>);
    let preview = use_state(|| None::<Result<Value, String>>);
    let said = use_state(|| None::<Result<String, String>>);
    // Bumped after an action changed the table's recovery or backups.
    let reread = use_state(|| 0u32);
    {
        let (page, tables, chosen) = (page.clone(), tables.clone(), chosen.clone());
        use_effect_with((context.revision, *reread), move |_| {
            yew::platform::spawn_local(async move {
                let Ok(answer) = page.send("ListTables", &json!({})).await else { return };
                let names: Vec<String> = answer["TableNames"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect();
                if !chosen.as_ref().is_some_and(|c| names.contains(c)) {
                    chosen.set(names.first().cloned());
                }
                tables.set(Some(names));
            });
        });
    }
    // The poll: the chosen table's recovery, history and backups, every TICK while shown.
    {
        let (page, reading) = (page.clone(), reading.clone());
        use_effect_with(((*chosen).clone(), *reread), move |(chosen, _): &(Option<String>, u32)| {
            let alive = Rc::new(Cell::new(true));
            if let Some(name) = chosen.clone() {
                let running = alive.clone();
                yew::platform::spawn_local(async move {
                    while running.get() {
                        let next = read(&page, &name).await;
                        if !running.get() {
                            break;
                        }
                        if reading.as_ref().and_then(|r| r.as_ref().ok()) != next.as_ref().ok() {
                            reading.set(Some(next));
                        }
                        yew::platform::time::sleep(TICK).await;
                    }
                });
            }
            move || alive.set(false)
        });
    }
    let Some(names) = &*tables else {
        return html! { <section class="card backups" aria-busy="true"><p class="muted">{ "Reading the tables…" }</p></section> };
    };
    let Some(table) = (*chosen).clone() else {
        return html! {
            <section class="card backups" data-testid="backups-view">
                <h2>{ "Backups and point-in-time recovery" }</h2>
                <p class="muted" data-testid="backups-no-table">{ "No table yet: create one, write to it, and come back." }</p>
            </section>
        };
    };
    // Sends one request and says how it went; the view reads the table again afterwards.
    let act = {
        let (page, said, reread) = (page.clone(), said.clone(), reread.clone());
        move |op: &'static str, request: Result<Value, String>, done: String| {
            let (page, said, reread) = (page.clone(), said.clone(), reread.clone());
            let request = match request {
                Ok(request) => request,
                Err(why) => return said.set(Some(Err(why))),
            };
            yew::platform::spawn_local(async move {
                let answer = page.send(op, &request).await;
                said.set(Some(answer.map(|_| done).map_err(|e| format!("{op} refused: {}", message(&e)))));
                reread.set(*reread + 1);
            });
        }
    };
    let pick_table = {
        let (chosen, picked, preview, reading) =
            (chosen.clone(), picked.clone(), preview.clone(), reading.clone());
        Callback::from(move |e: Event| {
            chosen.set(Some(value_of(&e)));
            picked.set(None);
            preview.set(None);
            reading.set(None);
        })
    };
    let f = &forms.0;
    let reading_view = match &*reading {
        None => html! { <p class="muted">{ "Reading the table…" }</p> },
        Some(Err(e)) => html! { <p class="error-text" role="alert">{ e.clone() }</p> },
        Some(Ok(r)) => {
            let recovery = recovery_view(&table, r, f, &forms, &act);
            let timeline = r
                .history
                .as_ref()
                .map(|h| timeline_view(&table, h, *picked, &picked, &preview, &page, f, &forms, &act));
            html! {
                <>
                    { recovery }
                    { timeline.unwrap_or_default() }
                    { preview_view(&preview) }
                    { backups_view(&table, &r.backups, f, &forms, &act) }
                </>
            }
        }
    };
    let said_view = match &*said {
        Some(Ok(text)) => {
            html! { <p class="banner ok" role="status" data-testid="backups-said">{ text.clone() }</p> }
        }
        Some(Err(text)) => {
            html! { <p class="error-text" role="alert" data-testid="backups-said">{ text.clone() }</p> }
        }
        None => html! {},
    };
    html! {
        <section class="card backups" data-testid="backups-view" aria-label="Backups">
            <h2>{ "Backups and point-in-time recovery" }</h2>
            <p class="muted">{ "Point-in-time recovery keeps every change of a table for its recovery period (1–35 days): you can restore the table as it was at any second of that window, always into a new table. On-demand backups keep a full copy at one moment until you delete them. A restored table has the items, indexes, billing mode and encryption — not the tags, stream, Time to Live, point-in-time recovery, IAM policies or auto scaling: set those up again." }</p>
            <label class="field"><span>{ "Table" }</span>
                <select onchange={pick_table} data-testid="backups-table">
                    { for names.iter().map(|n| html! { <option value={n.clone()} selected={*n == table}>{ n.clone() }</option> }) }
                </select></label>
            { said_view }
            { reading_view }
        </section>
    }
}

/// One read of the table: its recovery, history (while on) and backups.
async fn read(page: &super::bridge::Page, table: &str) -> Result<Reading, String> {
    let described = page.send("DescribeContinuousBackups", &json!({"TableName": table})).await;
    let pitr = described.map_err(|e| message(&e))?["ContinuousBackupsDescription"]
        ["PointInTimeRecoveryDescription"]
        .clone();
    let history = match pitr["PointInTimeRecoveryStatus"] == "ENABLED" {
        true => page.send("PlaygroundDescribeHistory", &json!({"TableName": table})).await.ok(),
        false => None,
    };
    let listed = page.send("ListBackups", &json!({"TableName": table})).await;
    let backups =
        listed.map_or_else(|_| Vec::new(), |l| l["BackupSummaries"].as_array().cloned().unwrap_or_default());
    Ok(Reading { pitr, history, backups })
}

/// Recovery on or off, and the switch.
fn recovery_view(
    table: &str,
    r: &Reading,
    f: &Forms,
    forms: &UseReducerHandle<FormState<Forms>>,
    act: &(impl Fn(&'static str, Result<Value, String>, String) + Clone + 'static),
) -> Html {
    let on = r.pitr["PointInTimeRecoveryStatus"] == "ENABLED";
    let switch = |enabled: bool, days: Option<String>| {
        let (act, table) = (act.clone(), table.to_owned());
        Callback::from(move |_: MouseEvent| {
            let mut spec = json!({"PointInTimeRecoveryEnabled": enabled});
            if let Some(days) = days.as_deref().and_then(|d| d.trim().parse::<u64>().ok()) {
                spec["RecoveryPeriodInDays"] = json!(days);
            }
            let done = if enabled {
                "Point-in-time recovery is on: the window starts now."
            } else {
                "Point-in-time recovery is off: its history is gone."
            };
            act(
                "UpdateContinuousBackups",
                Ok(json!({"TableName": table, "PointInTimeRecoverySpecification": spec})),
                done.to_owned(),
            );
        })
    };
    if !on {
        return html! {
            <div class="block" data-testid="pitr-off">
                <p>{ "Point-in-time recovery is off for this table: nothing of its past is kept." }</p>
                <div class="actions">
                    <label class="field"><span>{ "Recovery period (days, 1–35)" }</span>
                        <input value={f.days.clone()} oninput={on_input(forms, |f: &mut Forms, v| f.days = v)} data-testid="pitr-days" /></label>
                    <button type="button" class="btn primary" onclick={switch(true, Some(f.days.clone()))} data-testid="pitr-enable">{ "Turn on (UpdateContinuousBackups)" }</button>
                </div>
            </div>
        };
    }
    html! {
        <div class="actions" data-testid="pitr-on">
            <span>{ format!("Point-in-time recovery is on: a recovery period of {} days.", r.pitr["RecoveryPeriodInDays"]) }</span>
            <button type="button" class="btn small" onclick={switch(false, None)} data-testid="pitr-disable">{ "Turn off" }</button>
        </div>
    }
}

/// The window as a timeline with the changes marked, the second picked, and the restore form.
#[allow(clippy::too_many_arguments)]
fn timeline_view(
    table: &str,
    h: &Value,
    picked: Option<u64>,
    pick: &UseStateHandle<Option<u64>>,
    preview: &UseStateHandle<Option<Result<Value, String>>>,
    page: &super::bridge::Page,
    f: &Forms,
    forms: &UseReducerHandle<FormState<Forms>>,
    act: &(impl Fn(&'static str, Result<Value, String>, String) + Clone + 'static),
) -> Html {
    let (earliest, latest) = (ms(&h["EarliestRestorableDateTime"]), ms(&h["LatestRestorableDateTime"]));
    // Whole seconds inside the window: the restorable ones.
    let (first, last) = (earliest.div_ceil(1000), latest / 1000);
    let span = latest.saturating_sub(earliest).max(1) as f64;
    let at = |t: u64| (t.saturating_sub(earliest) as f64 * 100.0 / span).clamp(0.0, 100.0);
    let changes = h["Changes"].as_array().map_or(&[][..], Vec::as_slice);
    let second = picked.filter(|s| (first..=last).contains(s));
    // Changes of one kind at one instant (a batch, a transaction) are one mark.
    let mut groups: Vec<(u64, &str, Vec<String>)> = Vec::new();
    for c in changes {
        let (t, kind) = (ms(&c["Time"]), c["EventName"].as_str().unwrap_or_default());
        match groups.last_mut() {
            Some((gt, gk, keys)) if *gt == t && *gk == kind => keys.push(c["Keys"].to_string()),
            _ => groups.push((t, kind, vec![c["Keys"].to_string()])),
        }
    }
    let marks = groups.into_iter().map(|(t, kind, keys)| {
        let colour = match kind {
            "REMOVE" => "#c0392b",
            "MODIFY" => "#d68910",
            _ => "#1e8449",
        };
        let before = second_before(t).max(first);
        let onclick = {
            let pick = pick.clone();
            Callback::from(move |_: MouseEvent| pick.set(Some(before)))
        };
        html! {
            <button type="button" class="pitr-mark" data-testid="pitr-mark" data-kind={kind.to_owned()} data-count={keys.len().to_string()} onclick={onclick}
                title={format!("{} × {kind} at {}: {} — click: pick the second before it", keys.len(), when(t), keys.join(", "))}
                style={format!("position:absolute;left:calc({:.3}% - 3px);top:4px;width:6px;height:24px;padding:0;border:0;border-radius:2px;background:{colour};cursor:pointer", at(t))}></button>
        }
    });
    let cursor = second.map(|s| html! {
        <span aria-hidden="true" style={format!("position:absolute;left:{:.3}%;top:0;bottom:0;width:2px;background:currentColor", at(s * 1000))}></span>
    });
    let slide = {
        let pick = pick.clone();
        Callback::from(move |e: InputEvent| {
            if let Ok(s) = value_of(&e).parse::<u64>() {
                pick.set(Some(s));
            }
        })
    };
    let show = {
        let (page, preview, table) = (page.clone(), preview.clone(), table.to_owned());
        move |start: Option<Value>| {
            let (page, preview, table) = (page.clone(), preview.clone(), table.clone());
            Callback::from(move |_: MouseEvent| {
                let Some(s) = second else { return };
                let mut request = json!({"TableName": table, "RestoreDateTime": s as f64});
                if let Some(key) = &start {
                    request["ExclusiveStartKey"] = key.clone();
                }
                let (page, preview) = (page.clone(), preview.clone());
                yew::platform::spawn_local(async move {
                    let answer = page.send("PlaygroundDescribeHistory", &request).await;
                    preview.set(Some(answer.map_err(|e| message(&e))));
                });
            })
        }
    };
    let restore = {
        let (act, table, f) = (act.clone(), table.to_owned(), f.clone());
        move |latest: bool| {
            let (act, table, f) = (act.clone(), table.clone(), f.clone());
            Callback::from(move |_: MouseEvent| {
                let target = f.target.trim();
                let target = if target.is_empty() { format!("{table}-restored") } else { target.to_owned() };
                let mut request = json!({"SourceTableName": table, "TargetTableName": target});
                match (latest, second) {
                    (true, _) => request["UseLatestRestorableTime"] = json!(true),
                    (false, Some(s)) => request["RestoreDateTime"] = json!(s as f64),
                    (false, None) => return,
                }
                let request = f.overrides(&mut request).map(|()| request);
                let done = format!("{target} is being restored (CREATING): open it from the tables list.");
                act("RestoreTableToPointInTime", request, done);
            })
        }
    };
    html! {
        <div class="block" data-testid="pitr-timeline">
            <h3>{ "The recovery window" }</h3>
            <p class="muted small" data-testid="pitr-window">{ format!(
                "From {} (EarliestRestorableDateTime) to {} (LatestRestorableDateTime, now). {} change{} in it{}.",
                when(earliest), when(latest), h["ChangeCount"], if h["ChangeCount"] == 1 { "" } else { "s" },
                if h["ChangeCount"].as_u64().unwrap_or(0) > changes.len() as u64 { format!(", the newest {} marked", changes.len()) } else { String::new() }
            ) }</p>
            <div class="pitr-bar" role="group" aria-label="Changes on the timeline: green INSERT, amber MODIFY, red REMOVE"
                style="position:relative;height:32px;border:1px solid #999;border-radius:4px;margin:4px 0">
                { for marks }
                { cursor.unwrap_or_default() }
            </div>
            <input type="range" min={first.to_string()} max={last.max(first).to_string()} step="1" style="width:100%"
                value={second.unwrap_or(last).to_string()} oninput={slide} data-testid="pitr-slider" aria-label="Pick a second of the window" />
            <p data-testid="pitr-picked">{ match second {
                Some(s) => format!("Picked: {} — {} s before now. RestoreDateTime {s}.", when(s * 1000), latest.saturating_sub(s * 1000) as f64 / 1000.0),
                None => "Pick a second: drag the slider, or click a change's mark to pick the second before it.".to_owned(),
            } }</p>
            <div class="actions">
                <button type="button" class="btn" onclick={show(None)} disabled={second.is_none()} data-testid="pitr-preview">{ "Preview the table then" }</button>
            </div>
            <details class="block" open={second.is_some()}>
                <summary>{ "Restore to a new table (RestoreTableToPointInTime)" }</summary>
                { restore_options(table, f, forms) }
                <div class="actions">
                    <button type="button" class="btn primary" onclick={restore(false)} disabled={second.is_none()} data-testid="pitr-restore">{ "Restore to the second picked" }</button>
                    <button type="button" class="btn" onclick={restore(true)} data-testid="pitr-restore-latest">{ "Restore the latest time" }</button>
                </div>
            </details>
            { preview_pager(preview, show) }
        </div>
    }
}

/// The options both restores take: the new table's name, billing and indexes.
fn restore_options(table: &str, f: &Forms, forms: &UseReducerHandle<FormState<Forms>>) -> Html {
    html! {
        <div class="form-grid">
            <label class="field"><span>{ "New table's name (TargetTableName)" }</span>
                <input value={f.target.clone()} placeholder={format!("{table}-restored")} oninput={on_input(forms, |f: &mut Forms, v| f.target = v)} data-testid="restore-target" spellcheck="false" /></label>
            <label class="field"><span>{ "Billing mode (BillingModeOverride)" }</span>
                <select onchange={on_change(forms, |f: &mut Forms, v| f.billing = v)} data-testid="restore-billing">
                    <option value="" selected={f.billing.is_empty()}>{ "as the source" }</option>
                    <option value="PAY_PER_REQUEST" selected={f.billing == "PAY_PER_REQUEST"}>{ "on demand (PAY_PER_REQUEST)" }</option>
                    <option value="PROVISIONED" selected={f.billing == "PROVISIONED"}>{ "provisioned" }</option>
                </select></label>
            if f.billing == "PROVISIONED" {
                <label class="field"><span>{ "RCU" }</span><input value={f.read_units.clone()} oninput={on_input(forms, |f: &mut Forms, v| f.read_units = v)} /></label>
                <label class="field"><span>{ "WCU" }</span><input value={f.write_units.clone()} oninput={on_input(forms, |f: &mut Forms, v| f.write_units = v)} /></label>
            }
            <label class="field"><span>{ "Encryption (SSESpecificationOverride)" }</span>
                <select onchange={on_change(forms, |f: &mut Forms, v| f.encryption = v)} data-testid="restore-encryption">
                    <option value="" selected={f.encryption.is_empty()}>{ "as the source" }</option>
                    <option value="AES256" selected={f.encryption == "AES256"}>{ "an AWS owned key" }</option>
                    <option value="KMS" selected={f.encryption == "KMS"}>{ "an AWS managed KMS key" }</option>
                </select></label>
            <label class="field"><span>{ "Keep the secondary indexes" }</span>
                <input type="checkbox" checked={f.indexes} onchange={on_change(forms, |f: &mut Forms, v| f.indexes = v == "true")} data-testid="restore-indexes" /></label>
        </div>
    }
}

/// A preview's further pages.
fn preview_pager(
    preview: &UseStateHandle<Option<Result<Value, String>>>,
    show: impl Fn(Option<Value>) -> Callback<MouseEvent>,
) -> Html {
    let Some(Ok(p)) = &**preview else { return Html::default() };
    match p.get("LastEvaluatedKey") {
        Some(key) => html! {
            <div class="actions"><button type="button" class="btn small" onclick={show(Some(key.clone()))} data-testid="pitr-preview-next">{ "Next page" }</button></div>
        },
        None => Html::default(),
    }
}

/// The table as it was at the second picked.
fn preview_view(preview: &UseStateHandle<Option<Result<Value, String>>>) -> Html {
    match &**preview {
        None => Html::default(),
        Some(Err(e)) => {
            html! { <p class="error-text" role="alert" data-testid="pitr-preview-error">{ e.clone() }</p> }
        }
        Some(Ok(p)) => {
            let items = p["Items"].as_array().map_or(&[][..], Vec::as_slice);
            html! {
                <div class="block" data-testid="pitr-preview-result">
                    <h3 data-testid="pitr-preview-count">{ format!(
                        "{} as it was at {}: {} item{}",
                        p["TableName"].as_str().unwrap_or_default(), when(ms(&p["RestoreDateTime"])),
                        p["ItemCount"], if p["ItemCount"] == 1 { "" } else { "s" }
                    ) }</h3>
                    <p class="muted small">{ "Read from the table's history: no table was made, nothing was charged. A restore to this second holds exactly these items." }</p>
                    <ul class="pitr-items">{ for items.iter().map(|i| html! { <li data-testid="pitr-preview-item"><code>{ i.to_string() }</code></li> }) }</ul>
                </div>
            }
        }
    }
}

/// The table's on-demand backups: make one, restore one, delete one.
fn backups_view(
    table: &str,
    backups: &[Value],
    f: &Forms,
    forms: &UseReducerHandle<FormState<Forms>>,
    act: &(impl Fn(&'static str, Result<Value, String>, String) + Clone + 'static),
) -> Html {
    let create = {
        let (act, table, name) = (act.clone(), table.to_owned(), f.backup_name.clone());
        Callback::from(move |_: MouseEvent| {
            act(
                "CreateBackup",
                Ok(json!({"TableName": table, "BackupName": name})),
                format!("Backup {name} made."),
            )
        })
    };
    let row = |b: &Value| {
        let arn = b["BackupArn"].as_str().unwrap_or_default().to_owned();
        let name = b["BackupName"].as_str().unwrap_or_default().to_owned();
        let restore = {
            let (act, table, f, arn) = (act.clone(), table.to_owned(), f.clone(), arn.clone());
            Callback::from(move |_: MouseEvent| {
                let target = f.target.trim();
                let target = if target.is_empty() { format!("{table}-restored") } else { target.to_owned() };
                let mut request = json!({"TargetTableName": target, "BackupArn": arn});
                let request = f.overrides(&mut request).map(|()| request);
                act(
                    "RestoreTableFromBackup",
                    request,
                    format!("{target} is being restored from the backup."),
                );
            })
        };
        let delete = {
            let (act, arn, name) = (act.clone(), arn.clone(), name.clone());
            Callback::from(move |_: MouseEvent| {
                act("DeleteBackup", Ok(json!({"BackupArn": arn})), format!("Backup {name} deleted."))
            })
        };
        html! {
            <tr data-testid="backup-row">
                <td>{ name.clone() }</td>
                <td>{ b["BackupType"].as_str().unwrap_or_default() }</td>
                <td>{ when(ms(&b["BackupCreationDateTime"])) }</td>
                <td>{ format!("{} B", b["BackupSizeBytes"]) }</td>
                <td>
                    <button type="button" class="btn small" onclick={restore} data-testid="backup-restore">{ "Restore" }</button>
                    <button type="button" class="btn small" onclick={delete} data-testid="backup-delete">{ "Delete" }</button>
                </td>
            </tr>
        }
    };
    html! {
        <div class="block" data-testid="backups-list">
            <h3>{ format!("On-demand backups ({})", backups.len()) }</h3>
            if backups.is_empty() {
                <p class="muted">{ "None yet. A backup is a full copy of the table now, kept until deleted; a restore makes a new table from it (named as in the restore form above, with its overrides)." }</p>
            } else {
                <div class="table-wrap"><table class="items">
                    <thead><tr><th>{ "Name" }</th><th>{ "Type" }</th><th>{ "Made" }</th><th>{ "Size" }</th><th></th></tr></thead>
                    <tbody>{ for backups.iter().map(row) }</tbody>
                </table></div>
            }
            <div class="actions">
                <label class="field"><span>{ "Backup name" }</span>
                    <input value={f.backup_name.clone()} oninput={on_input(forms, |f: &mut Forms, v| f.backup_name = v)} data-testid="backup-name" /></label>
                <button type="button" class="btn" onclick={create} data-testid="backup-create">{ "Make a backup (CreateBackup)" }</button>
            </div>
        </div>
    }
}
