//! The trigger panel of a table: the handler's editor, attach (batch size, starting position,
//! timeout), update and detach, the trigger's status and its log, each invocation collapsible. The triggers themselves run
//! in [`crate::triggers::registry`], outside any component, so they keep running while another
//! table is open.

use std::rc::Rc;

use yew::prelude::*;

use crate::fixed::{plural, seconds};
use crate::host::Mode;
use crate::triggers::event_source::TriggerConfig;
use crate::triggers::lambda;
use crate::triggers::registry::{self, attach, detach, update_code, LogLine};
use crate::ui::app::{panel_heading, panel_id, use_host};
use crate::ui::components::value_of;
use crate::ui::route::ItemsPanel;
use crate::ui::trigger_log::{self, Entry};

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
    let current = registry::view(&table);
    let code = use_state(|| lambda::DEFAULT_HANDLER.to_string());
    let batch = use_state(|| "100".to_string());
    let position = use_state(|| "TRIM_HORIZON".to_string());
    let timeout = use_state(|| "3".to_string());
    let error = use_state(|| None::<String>);
    {
        // Another table, or a trigger restored after a reload: show its trigger's code; a
        // table without one starts from the default (a detach keeps what is in the editor).
        let code = code.clone();
        let shown_table = use_mut_ref(String::new);
        use_effect_with((table.clone(), current.is_some()), move |(t, _)| {
            if let Some(s) = registry::view(t) {
                code.set(s.config.code);
            } else if *shown_table.borrow() != *t {
                code.set(lambda::DEFAULT_HANDLER.to_string());
            }
            *shown_table.borrow_mut() = t.clone();
        });
    }
    let attach_click = {
        let (code, batch, position, timeout, error) =
            (code.clone(), batch.clone(), position.clone(), timeout.clone(), error.clone());
        let host = ctx.host.clone();
        let table = table.clone();
        Callback::from(move |_: MouseEvent| {
            let batch_size = match batch.trim().parse::<u32>() {
                Ok(n) if (1..=10_000).contains(&n) => n,
                _ => return error.set(Some("Batch size must be a whole number from 1 to 10000.".into())),
            };
            let timeout_ms = match seconds_to_ms(timeout.trim()) {
                Some(ms) if (100..=900_000).contains(&ms) => ms,
                _ => return error.set(Some("Timeout must be between 0.1 and 900 seconds.".into())),
            };
            if !code.contains("handler") {
                return error.set(Some(
                    "The code must export a handler: exports.handler = async (event) => { … }".into(),
                ));
            }
            error.set(None);
            attach(
                &host,
                &table,
                TriggerConfig {
                    code: (*code).clone(),
                    batch_size,
                    starting_position: (*position).clone(),
                    timeout_ms,
                },
            );
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
    let on_batch = {
        let batch = batch.clone();
        Callback::from(move |e: InputEvent| batch.set(value_of(&e)))
    };
    let on_timeout = {
        let timeout = timeout.clone();
        Callback::from(move |e: InputEvent| timeout.set(value_of(&e)))
    };
    let on_position = {
        let position = position.clone();
        Callback::from(move |e: Event| position.set(value_of(&e)))
    };
    let attached = current.is_some();
    let mode = ctx.host.mode();
    let kept = match &mode {
        Mode::Owner => {
            "Saved with the workspace: after a reload it resumes after the last record it processed."
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
    html! {
        <section class="card trigger" id={panel_id(ItemsPanel::Trigger)} data-testid="trigger-panel">
            { panel_heading(&props.table, ItemsPanel::Trigger, "Trigger (Lambda)") }
            <p class="muted small">{ "A handler with Lambda's signature, run on this table's stream in a sandboxed Web Worker: no page, no network, no dynaplay — just the event. A failing batch is retried until it succeeds or its records expire (24 h); the shard waits for it." }</p>
            <div class="field">
                <label class="label" for="trigger-code">{ "Handler (index.js)" }</label>
                <textarea id="trigger-code" class="code-input" spellcheck="false" data-testid="trigger-code"
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
            } else if mode != Mode::ReadOnly {
                <div class="row">
                    <label class="field narrow">{ "Batch size" }
                        <input type="number" min="1" max="10000" value={(*batch).clone()} oninput={on_batch} data-testid="trigger-batch" /></label>
                    <label class="field narrow">{ "Starting position" }
                        <select onchange={on_position} data-testid="trigger-position">
                            <option value="TRIM_HORIZON" selected={*position == "TRIM_HORIZON"}>{ "TRIM_HORIZON" }</option>
                            <option value="LATEST" selected={*position == "LATEST"}>{ "LATEST" }</option>
                        </select></label>
                    <label class="field narrow">{ "Timeout (s)" }
                        <input type="number" min="0.1" step="0.1" value={(*timeout).clone()} oninput={on_timeout} data-testid="trigger-timeout" /></label>
                    <button type="button" class="btn primary" onclick={attach_click} data-testid="trigger-attach">{ "Attach trigger" }</button>
                </div>
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
        </section>
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

/// "1.5" seconds → 1500 ms, without float parsing (which would add its tables to the bundle).
fn seconds_to_ms(text: &str) -> Option<u32> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u32 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let fraction: u32 = if fraction.is_empty() { 0 } else { format!("{fraction:0<3}").parse().ok()? };
    whole.checked_mul(1000)?.checked_add(fraction)
}
