//! The trigger panel of a table: the handler's editor, attach (batch size, starting position,
//! timeout), the error handling (retry attempts, maximum record age, split batch on error,
//! on-failure destination — editable while attached too), update and detach, the trigger's
//! status, its log (each invocation collapsible) and its failed-event destination. The settings
//! are a [`FormState`] of [`TriggerForm`] (`ui/trigger_form.rs`, which checks them). The
//! triggers themselves run in the page (`triggers::registry`), outside any view, so they keep
//! running while another table is open: this panel asks the page through the bridge
//! (`Page::triggers`, as JSON) and reads the trigger again whenever the page says it changed.

use yew::prelude::*;

use dynaplay_web::fixed::{plural, seconds};
use dynaplay_web::triggers::lambda;
use dynaplay_web::triggers::view::{FailedBatch, LogLine};
use dynaplay_web::ui::app::{panel_heading, panel_id};
use dynaplay_web::ui::components::{on_change, on_input, value_of, FormState};
use dynaplay_web::ui::route::ItemsPanel;
use dynaplay_web::ui::trigger_form::TriggerForm;
use dynaplay_web::ui::trigger_log::{self, Entry};

use super::use_page;

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
    let context = use_page();
    let page = context.page.clone();
    let table = props.table.to_string();
    // Counts the page's reports of a changed trigger (and redraws on each).
    let changes = use_mut_ref(|| 0u64);
    let update = use_force_update();
    {
        let changes = changes.clone();
        use_effect_with((), move |_| {
            super::on_triggers_changed(Some(Callback::from(move |()| {
                *changes.borrow_mut() += 1;
                update.force_update();
            })));
            || super::on_triggers_changed(None)
        });
    }
    // Read again on every change of a trigger or of the workspace (its mode, an endpoint) the
    // page reports, and for another table.
    let (current, kept, may_attach) = {
        let (page, table) = (page.clone(), table.clone());
        (*use_memo((table, *changes.borrow(), context.revision), move |(t, _, _)| page.trigger_view(t)))
            .clone()
    };
    let code = use_state(|| lambda::DEFAULT_HANDLER.to_string());
    let form = use_reducer(FormState::<TriggerForm>::default);
    let error = use_state(|| None::<String>);
    {
        // Another table, or a trigger restored after a reload: show its trigger's code and
        // settings; a table without one starts from the default code (a detach keeps what is in
        // the editor).
        let (code, form) = (code.clone(), form.clone());
        let shown_table = use_mut_ref(String::new);
        let config = current.as_ref().map(|s| s.config.clone());
        use_effect_with((table.clone(), config.is_some()), move |(t, _)| {
            if let Some(config) = config {
                code.set(config.code.clone());
                form.dispatch(Box::new(move |f: &mut TriggerForm| f.show(&config)));
            } else if *shown_table.borrow() != *t {
                code.set(lambda::DEFAULT_HANDLER.to_string());
            }
            *shown_table.borrow_mut() = t.clone();
        });
    }
    // A command to the page; what it refuses shows as the panel's error.
    let run = {
        let (page, table, error) = (page.clone(), table.clone(), error.clone());
        move |command: &str, arg: &str| {
            let refused = page.triggers(command, &table, arg);
            error.set(Some(refused).filter(|r| !r.is_empty()));
        }
    };
    let attach_click = {
        let (code, form, error, run) = (code.clone(), form.clone(), error.clone(), run.clone());
        Callback::from(move |_: MouseEvent| match form.0.config(&code) {
            Ok(config) => run("attach", &config.to_json().to_string()),
            Err(e) => error.set(Some(e)),
        })
    };
    let settings_click = {
        let (form, error, run) = (form.clone(), error.clone(), run.clone());
        Callback::from(move |_: MouseEvent| match form.0.error_handling() {
            Ok(handling) => {
                let mut settings = serde_json::Value::Object(Default::default());
                handling.store(&mut settings);
                run("handling", &settings.to_string())
            }
            Err(e) => error.set(Some(e)),
        })
    };
    let update_click = {
        let (code, run) = (code.clone(), run.clone());
        Callback::from(move |_: MouseEvent| run("code", &code))
    };
    let detach_click = {
        let run = run.clone();
        Callback::from(move |_: MouseEvent| run("detach", ""))
    };
    let clear_click = Callback::from(move |_: MouseEvent| run("clear", ""));
    let on_code = {
        let code = code.clone();
        Callback::from(move |e: InputEvent| code.set(value_of(&e)))
    };
    let attached = current.is_some();
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
            } else if may_attach {
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
