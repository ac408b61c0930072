//! The trigger panel of a table: the handler's editor, attach (batch size, starting position,
//! timeout), the error handling (retry attempts, maximum age of record, split batch on error,
//! on-failure destination — editable while attached too), update and detach, the trigger's
//! status, its log (each invocation collapsible) and its failed-event destination. The settings
//! are a [`FormState`] of [`TriggerForm`] (`ui/trigger_form.rs`, which checks them). The
//! triggers themselves run in [`crate::triggers::registry`], outside any component, so they
//! keep running while another table is open.

use std::rc::Rc;

use yew::prelude::*;

use crate::fixed::{plural, seconds};
use crate::host::Mode;
use crate::triggers::lambda;
use crate::triggers::registry::{
    self, attach, detach, update_code, update_error_handling, FailedBatch, LogLine,
};
use crate::ui::app::{panel_heading, panel_id, use_host};
use crate::ui::components::{on_change, on_input, value_of, FormState};
use crate::ui::route::ItemsPanel;
use crate::ui::trigger_form::TriggerForm;
use crate::ui::trigger_log::{self, Entry};

/// The settings' reducer handle.
type Form = UseReducerHandle<FormState<TriggerForm>>;

/// An `oninput` handler setting one field. The setter is a `fn`, not a closure type of its own,
/// so every field shares one compiled handler (a closure each costs the bundle ≈ 0.25 KB).
fn input(form: &Form, set: fn(&mut TriggerForm, String)) -> Callback<InputEvent> {
    on_input(form, set)
}

/// An `onchange` handler setting one field (selects, checkboxes), shared as [`input`]'s is.
fn change(form: &Form, set: fn(&mut TriggerForm, String)) -> Callback<Event> {
    on_change(form, set)
}

/// Properties of [`TriggerPanel`].
#[derive(Properties, PartialEq)]
pub struct TriggerPanelProps {
    /// The table whose stream the trigger reads.
    pub table: AttrValue,
}

/// The trigger editor and its log.
#[component]
pub fn TriggerPanel(props: &TriggerPanelProps) -> Html {
    let ctx = use_host();
    let table = props.table.to_string();
    let update = use_force_update();
    {
        use_effect_with((), move |_| {
            let id = registry::subscribe(Rc::new(move || update.force_update()));
            move || registry::unsubscribe(id)
        });
    }
    // Triggers run on this browser's workspace: none shows while requests go to an endpoint.
    let away = ctx.host.endpoint().is_some_and(|e| e.forwards());
    let current = registry::view(&table).filter(|_| !away);
    let code = use_state(|| lambda::DEFAULT_HANDLER.to_string());
    let form = use_reducer(FormState::<TriggerForm>::default);
    let error = use_state(|| None::<String>);
    {
        // Another table, or a trigger restored after a reload: show its trigger's code and
        // settings; a table without one starts from the default code (a detach keeps what is in
        // the editor).
        let (code, form) = (code.clone(), form.clone());
        let shown_table = use_mut_ref(String::new);
        use_effect_with((table.clone(), current.is_some()), move |(t, _)| {
            if let Some(config) = registry::view(t).map(|s| s.config) {
                code.set(config.code.clone());
                form.dispatch(Box::new(move |f: &mut TriggerForm| f.show(&config)));
            } else if *shown_table.borrow() != *t {
                code.set(lambda::DEFAULT_HANDLER.to_string());
            }
            *shown_table.borrow_mut() = t.clone();
        });
    }
    let attach_click = {
        let (code, form, error) = (code.clone(), form.clone(), error.clone());
        let host = ctx.host.clone();
        let table = table.clone();
        Callback::from(move |_: MouseEvent| match form.0.config(&code) {
            Ok(config) => {
                error.set(None);
                attach(&host, &table, config);
            }
            Err(e) => error.set(Some(e)),
        })
    };
    let settings_click = {
        let (form, error) = (form.clone(), error.clone());
        let (table, host) = (table.clone(), ctx.host.clone());
        Callback::from(move |_: MouseEvent| match form.0.error_handling() {
            Ok(handling) => {
                error.set(None);
                update_error_handling(&host, &table, handling);
            }
            Err(e) => error.set(Some(e)),
        })
    };
    let update_click = {
        let (code, table, host) = (code.clone(), table.clone(), ctx.host.clone());
        Callback::from(move |_: MouseEvent| update_code(&host, &table, (*code).clone()))
    };
    let detach_click = {
        let (table, host) = (table.clone(), ctx.host.clone());
        Callback::from(move |_: MouseEvent| detach(&host, &table))
    };
    let clear_click = {
        let table = table.clone();
        Callback::from(move |_: MouseEvent| registry::clear_log(&table))
    };
    let on_code = {
        let code = code.clone();
        Callback::from(move |e: InputEvent| code.set(value_of(&e)))
    };
    let attached = current.is_some();
    let mode = ctx.host.mode();
    let kept = match &mode {
        _ if away => {
            "Triggers run on this browser's workspace: unavailable while requests go to an endpoint."
        }
        Mode::Owner => {
            "Saved with the workspace in this browser: after a reload it resumes after the last record it \
             processed. Export files and share links do not carry trigger code."
        }
        Mode::Memory => "In memory only (this page keeps nothing): a reload detaches it.",
        Mode::ReadOnly => "Triggers run in the tab that owns this workspace; this tab is read-only.",
        Mode::Failed(_) => "Not saved: this browser's storage is unavailable, so a reload detaches it.",
    };
    let log_ref = use_node_ref();
    {
        // Keep the newest log line in view.
        let log_ref = log_ref.clone();
        let lines = current.as_ref().map_or(0, |s| s.log.len() as u64 + s.invocations);
        use_effect_with(lines, move |_| {
            if let Some(el) = log_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let f = &form.0;
    html! {
        <section class="card trigger" id={panel_id(ItemsPanel::Trigger)} data-testid="trigger-panel">
            { panel_heading(&props.table, ItemsPanel::Trigger, "Trigger (Lambda)") }
            <p class="muted small">{ "A handler with Lambda's signature, run on this table's stream in a sandboxed Web Worker: no page, no network, no dynaplay — just the event. A failing batch holds its shard and is retried as its error handling says: by default until it succeeds or its records expire (24 h)." }</p>
            <div class="field">
                <label class="label" for="trigger-code">{ "Handler (index.js)" }</label>
                <textarea id="trigger-code" class="code-input" spellcheck="false" data-testid="trigger-code" data-lang="javascript"
                    value={(*code).clone()} oninput={on_code} />
            </div>
            if let Some(s) = &current {
                <div class="row">
                    <span class={classes!("trigger-status", if s.failing { "error-text" } else { "ok-text" })} data-testid="trigger-status">
                        { format!("● {}", s.status) }
                    </span>
                    <span class="muted small">{ format!("{}, {} failed · batch {} · {} · timeout {} s",
                        plural(s.invocations, "invocation"), s.failures, s.config.batch_size, s.config.starting_position, seconds(u64::from(s.config.timeout_ms))) }</span>
                </div>
                <div class="actions">
                    <button type="button" class="btn primary" onclick={update_click} data-testid="trigger-update">{ "Update code" }</button>
                    <button type="button" class="btn danger" onclick={detach_click} data-testid="trigger-detach">{ "Detach" }</button>
                    <button type="button" class="btn small" onclick={clear_click}>{ "Clear log" }</button>
                </div>
                { error_handling(&form, html! {
                    <button type="button" class="btn" onclick={settings_click} data-testid="trigger-update-settings">{ "Update settings" }</button>
                }) }
            } else if mode != Mode::ReadOnly && !away {
                <div class="row">
                    <label class="field narrow">{ "Batch size" }
                        <input type="number" min="1" max="10000" value={f.batch.clone()} data-testid="trigger-batch"
                            oninput={input(&form, |f, v| f.batch = v)} /></label>
                    <label class="field narrow">{ "Starting position" }
                        <select data-testid="trigger-position" onchange={change(&form, |f, v| f.position = v)}>
                            <option value="TRIM_HORIZON" selected={f.position == "TRIM_HORIZON"}>{ "TRIM_HORIZON" }</option>
                            <option value="LATEST" selected={f.position == "LATEST"}>{ "LATEST" }</option>
                        </select></label>
                    <label class="field narrow">{ "Timeout (s)" }
                        <input type="number" min="0.1" step="0.1" value={f.timeout.clone()} data-testid="trigger-timeout"
                            oninput={input(&form, |f, v| f.timeout = v)} /></label>
                </div>
                { error_handling(&form, html! {
                    <button type="button" class="btn primary" onclick={attach_click} data-testid="trigger-attach">{ "Attach trigger" }</button>
                }) }
            }
            if let Some(e) = &*error {
                <p class="error-text" role="alert">{ e.clone() }</p>
            }
            <p class="muted small" data-testid="trigger-kept">{ kept }</p>
            if attached {
                <div class="log" data-testid="trigger-log" role="log" aria-live="polite" ref={log_ref}>
                    { log_view(current.as_ref().map(|s| s.log.iter().collect::<Vec<_>>()).unwrap_or_default()) }
                </div>
            }
            if let Some(s) = current.as_ref().filter(|s| s.config.error_handling.on_failure || !s.failed.is_empty()) {
                { failed_view(&s.failed) }
            }
        </section>
    }
}

/// The error-handling settings of an event source mapping, under the names Lambda's console
/// gives them (the API's in each tooltip), with `button` (attach, or update a running trigger).
fn error_handling(form: &Form, button: Html) -> Html {
    let f = &form.0;
    html! {
        <fieldset class="row plain" data-testid="trigger-error-handling">
            <legend class="label">{ "On failure" }</legend>
            <label class="field narrow" title="MaximumRetryAttempts: -1 (infinite) or 0 to 10000">{ "Retry attempts" }
                <input type="number" min="-1" max="10000" value={f.retries.clone()} data-testid="trigger-retries"
                    oninput={input(form, |f, v| f.retries = v)} /></label>
            <label class="field narrow" title="MaximumRecordAgeInSeconds: -1 (infinite) or 60 to 604800">{ "Maximum age of record (s)" }
                <input type="number" min="-1" max="604800" value={f.max_age.clone()} data-testid="trigger-max-age"
                    oninput={input(form, |f, v| f.max_age = v)} /></label>
            <label class="choice" title="BisectBatchOnFunctionError"><input type="checkbox" checked={f.bisect} data-testid="trigger-bisect"
                onchange={change(form, |f, v| f.bisect = v == "true")} />{ "Split batch on error" }</label>
            <label class="choice" title="DestinationConfig.OnFailure"><input type="checkbox" checked={f.on_failure} data-testid="trigger-on-failure"
                onchange={change(form, |f, v| f.on_failure = v == "true")} />{ "On-failure destination (listed below)" }</label>
            { button }
        </fieldset>
    }
}

/// The failed-event destination: the invocation records of discarded batches, newest first,
/// each with its batch's last error and the record as JSON.
fn failed_view(failed: &[FailedBatch]) -> Html {
    html! {
        <div class="records" data-testid="trigger-failed">
            <span class="label">{ format!("On-failure destination (in this page, for an SQS queue or SNS topic) · {}", plural(failed.len() as u64, "invocation record")) }</span>
            if failed.is_empty() {
                <p class="muted small">{ "Empty. A batch discarded after its retry attempts, or past its maximum age, lands here as the record Lambda sends: where the batch is in the stream, not its records." }</p>
            } else {
                <div class="record-list">
                    { for failed.iter().rev().map(|b| html! {
                        <details class="record failed-event">
                            <summary>{ b.summary.clone() }</summary>
                            <p class="error-text small">{ b.error.clone() }</p>
                            <pre class="json">{ b.record.clone() }</pre>
                        </details>
                    }) }
                </div>
            }
        </div>
    }
}

/// The log grouped by invocation (`ui/trigger_log.rs`): each finished invocation a
/// `<details>` — open when drawn, so the learner collapses what they have read — whose
/// summary is its START line (or its END/ERROR line when START scrolled out) marked ✓ or ✗.
fn log_view(lines: Vec<&LogLine>) -> Html {
    let pairs: Vec<(&str, &str)> = lines.iter().map(|l| (l.level.as_str(), l.text.as_str())).collect();
    let line = |i: usize| {
        lines.get(i).map_or_else(Html::default, |l| {
            html! { <div class={classes!("log-line", format!("log-{}", l.level))}>{ l.text.clone() }</div> }
        })
    };
    html! {
        { for trigger_log::group(&pairs).into_iter().map(|entry| match entry {
            Entry::Line(i) => line(i),
            Entry::Invocation { start, lines: body, failed } => html! {
                <details class={classes!("invocation", failed.then_some("failed"))} open=true>
                    <summary>{ if failed { "✗ " } else { "✓ " } }{ start.map_or_else(Html::default, line) }</summary>
                    { for body.into_iter().map(line) }
                </details>
            },
        }) }
    }
}
