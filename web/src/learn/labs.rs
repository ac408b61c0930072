//! The guided labs panel: the list of labs (`#/labs`) and one lab (`#/labs/{id}`). Lab files
//! are fetched on demand; a lab runs in a workspace of its own that the page puts in front of
//! the learner's (`host::lab`), so every request the learner sends — forms, console,
//! `window.dynaplay`, SDK — is checked by the step's check (`Page::lab_check`). "Show me"
//! sends the step's exact requests the same way and shows them as JSON and AWS CLI. Progress
//! (steps done) is saved; resuming rebuilds the workspace from the steps done.

use std::rc::Rc;

use dynaplay_teach::check::Refusal;
use dynaplay_teach::lab::{self, IndexEntry, Lab, LabStep};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use super::full_engine::{Feature, NeedsFullEngine};
use super::use_page;
use dynaplay_web::ui::labs::{self as labs_files, INDEX_URL};
use dynaplay_web::ui::pretty;
use dynaplay_web::ui::route::Route;

#[wasm_bindgen(module = "/js/learn.js")]
extern "C" {
    #[wasm_bindgen(js_name = fetchText)]
    fn fetch_text(url: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = loadValue)]
    fn load_value(key: &str) -> Option<String>;
    #[wasm_bindgen(js_name = saveValue)]
    fn save_value(key: &str, value: &str);
    /// Demo mode's presenter keys (→, Page Down) for the lab shown.
    #[wasm_bindgen(js_name = presenterKeys)]
    fn presenter_keys();
}

/// A content file as JSON, or what went wrong.
async fn fetch_json(url: &str) -> Result<Value, String> {
    let text = JsFuture::from(fetch_text(url)).await.map_err(|e| format!("{e:?}"))?;
    serde_json::from_slice(text.as_string().unwrap_or_default().as_bytes()).map_err(|e| e.to_string())
}

/// The list of labs.
#[component]
pub fn LabList() -> Html {
    let full = use_page().page.full_engine();
    let index = use_state(|| None::<Result<Vec<IndexEntry>, String>>);
    {
        let index = index.clone();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                index.set(Some(fetch_json(INDEX_URL).await.and_then(|v| lab::index_from_json(&v))));
            });
        });
    }
    let body = match &*index {
        None => html! { <p class="muted">{ "Loading the labs…" }</p> },
        Some(Err(e)) => {
            html! { <p class="error-text" role="alert">{ format!("The labs could not be loaded: {e}") }</p> }
        }
        Some(Ok(entries)) => html! {
            <ol class="lab-list">
                { for entries.iter().map(|e| {
                    let done = load_value(&labs_files::progress_key(&e.id)).is_some();
                    // The small engine: this lab loads the full one first (global tables, DAX).
                    let loads = if e.full_engine && !full { " · loads the full engine" } else { "" };
                    html! {
                        <li>
                            <a href={Route::Lab { id: e.id.clone() }.to_hash()} data-testid={format!("lab-{}", e.id)}>{ e.title.clone() }</a>
                            <span class="muted small">{ format!(" · {} · {} min{}{loads}", e.level.name(), e.minutes, if done { " · started" } else { "" }) }</span>
                        </li>
                    }
                }) }
            </ol>
        },
    };
    html! {
        <section class="card labs" aria-label="Guided labs">
            <h2>{ "Guided labs" }</h2>
            <p>{ "Each lab runs in a workspace of its own — your tables stay as they are — and checks what you really do: through the forms, the console, the JS API or the SDK." }</p>
            { body }
        </section>
    }
}

/// Properties of [`LabView`].
#[derive(Properties, PartialEq)]
pub struct LabViewProps {
    /// The lab's id.
    pub id: AttrValue,
}

/// What the panel knows of the current step.
#[derive(Clone, Default, PartialEq)]
struct StepState {
    /// The last check's verdict.
    verdict: Option<Result<(), Refusal>>,
    /// Hints shown so far.
    hints: usize,
    /// "Show me": the requests sent, as JSON and AWS CLI, each with whether it succeeded.
    shown: String,
}

/// One lab.
#[component]
pub fn LabView(props: &LabViewProps) -> Html {
    let ctx = use_page();
    let host = ctx.page.clone();
    let id = props.id.to_string();
    use_effect_with((), |_| presenter_keys());
    let lab = use_state(|| None::<Result<Rc<Lab>, String>>);
    let done = use_state(|| 0usize);
    let state = use_state(StepState::default);
    // A request of the lab (setup, "show me") refused by the small engine: it offers the full one.
    let refused = use_state(|| false);
    {
        let (lab, done, id) = (lab.clone(), done.clone(), id.clone());
        use_effect_with(id.clone(), move |_| {
            yew::platform::spawn_local(async move {
                let loaded = fetch_json(&labs_files::lab_url(&id)).await.and_then(|v| Lab::from_json(&v));
                if let Ok(l) = &loaded {
                    done.set(labs_files::read_progress(
                        load_value(&labs_files::progress_key(&id)).as_deref(),
                        l.steps.len(),
                    ));
                }
                lab.set(Some(loaded.map(Rc::new)));
            });
        });
    }
    let running = host.lab_id().as_deref() == Some(id.as_str());
    // A change in the lab workspace may complete the step: check it without being asked,
    // and say so only when it passes.
    {
        let (host, lab, done, state) = (host.clone(), lab.clone(), done.clone(), state.clone());
        use_effect_with(ctx.revision, move |_| {
            if let Some(step) = current_step(&lab, *done) {
                if let Some(Ok(())) = host.lab_check(&step.check) {
                    state.set(StepState { verdict: Some(Ok(())), ..(*state).clone() });
                }
            }
        });
    }
    let Some(Ok(lab_file)) = &*lab else {
        return match &*lab {
            Some(Err(e)) => {
                html! { <section class="card lab"><p class="error-text" role="alert">{ format!("This lab could not be loaded: {e}") }</p></section> }
            }
            _ => html! { <section class="card lab"><p class="muted">{ "Loading the lab…" }</p></section> },
        };
    };
    let lab_file = lab_file.clone();
    let start = {
        let (host, lab_file, done, state, id, refused) =
            (host.clone(), lab_file.clone(), done.clone(), state.clone(), id.clone(), refused.clone());
        Callback::from(move |restart: bool| {
            let (host, lab_file, done, state, id, refused) =
                (host.clone(), lab_file.clone(), done.clone(), state.clone(), id.clone(), refused.clone());
            yew::platform::spawn_local(async move {
                let from = if restart { 0 } else { *done };
                let done_steps: Vec<_> =
                    lab_file.steps.iter().take(from).flat_map(|s| s.show_me.iter().cloned()).collect();
                if let Err(e) = host.enter_lab(&id, &lab_file.setup, &done_steps).await {
                    if e.contains(dynaplay_engine::NOT_IN_THIS_BUILD) {
                        refused.set(true);
                    }
                    web_sys::console::error_1(&e.into());
                    return;
                }
                save_value(&labs_files::progress_key(&id), &from.to_string());
                done.set(from);
                state.set(StepState::default());
            });
        })
    };
    let leave = {
        let host = host.clone();
        Callback::from(move |_: MouseEvent| {
            host.leave_lab();
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_hash(&Route::Labs.to_hash());
            }
        })
    };
    let header = html! { <h2>{ format!("{} · {} · {} min", lab_file.title, lab_file.level.name(), lab_file.minutes) }</h2> };
    let total = lab_file.steps.len();
    // `"engine": "full"`: the lab needs global tables or DAX (`full_engine`).
    if (lab_file.full_engine || *refused) && !host.full_engine() {
        return html! {
            <section class="card lab" data-testid="lab">
                { header }
                <p class="objectives">{ lab_file.objectives.join("\n") }</p>
                <NeedsFullEngine feature={Feature::Lab}>{ Html::default() }</NeedsFullEngine>
            </section>
        };
    }
    if !running {
        // Past the last step, starting again starts over.
        let restart = *done >= total;
        let label = if *done > 0 && !restart {
            format!("Resume at step {}", *done + 1)
        } else {
            "Start the lab".to_owned()
        };
        return html! {
            <section class="card lab" data-testid="lab">
                { header }
                <p class="objectives">{ lab_file.objectives.join("\n") }</p>
                <p><button type="button" class="btn primary" onclick={start.reform(move |_: MouseEvent| restart)} data-testid="lab-start">{ label }</button></p>
            </section>
        };
    }
    let Some(step) = lab_file.steps.get(*done) else {
        return html! {
            <section class="card lab" data-testid="lab">
                { header }
                <h3 data-testid="lab-summary">{ "What the numbers meant" }</h3>
                <p class="objectives">{ lab_file.summary.join("\n\n") }</p>
                <p><button type="button" class="btn primary" onclick={leave}>{ "Back to my workspace" }</button></p>
            </section>
        };
    };
    let at = *done;
    let check = {
        let (host, state, lab_file) = (host.clone(), state.clone(), lab_file.clone());
        Callback::from(move |_: MouseEvent| {
            let verdict = lab_file.steps.get(at).and_then(|step| host.lab_check(&step.check));
            state.set(StepState { verdict, ..(*state).clone() });
        })
    };
    let hint = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            state.set(StepState { hints: state.hints + 1, ..(*state).clone() })
        })
    };
    let show_me = {
        let (host, state, lab_file, needs) = (host.clone(), state.clone(), lab_file.clone(), refused.clone());
        Callback::from(move |_: MouseEvent| {
            let (host, state, lab_file, needs) =
                (host.clone(), state.clone(), lab_file.clone(), needs.clone());
            yew::platform::spawn_local(async move {
                let Some(step) = lab_file.steps.get(at) else { return };
                let mut shown = String::new();
                for step_request in &step.show_me {
                    let region = step_request.region.as_deref();
                    // Lab time (`$secondsBeforeNow`): resolved at the workspace's engine time
                    // as it is sent, and shown as sent.
                    let resolved = match step_request.has_lab_time() {
                        true => {
                            let time =
                                host.send_in(region, "PlaygroundDescribeTime", &serde_json::json!({})).await;
                            let now = time.ok().and_then(|t| t["Now"].as_u64()).unwrap_or_default();
                            Some(step_request.resolved(now))
                        }
                        false => None,
                    };
                    let request = dynaplay_teach::script::Step {
                        request: resolved.unwrap_or_else(|| step_request.request.clone()),
                        ..step_request.clone()
                    };
                    let answer = host.send_in(region, &request.op, &request.request).await;
                    // The small engine refused a step's global tables or DAX: offer the full one.
                    if let Err(e) = &answer {
                        if e["message"]
                            .as_str()
                            .is_some_and(|m| m.contains(dynaplay_engine::NOT_IN_THIS_BUILD))
                        {
                            needs.set(true);
                        }
                    }
                    let ok = answer.is_ok();
                    let refused = if ok { "" } else { " (refused)" };
                    let cli = host.aws_cli(&request.op, &request.request).unwrap_or_default();
                    shown.push_str(&format!(
                        "{}{}{refused}\n{}\n{}\n\n",
                        request.op,
                        region.map(|r| format!(" in {r}")).unwrap_or_default(),
                        pretty::pretty(&request.request),
                        // Playground operations have no AWS CLI line: their JSON is all there is.
                        match (region, cli.is_empty()) {
                            (Some(r), false) => format!("{cli} --region {r}"),
                            _ => cli,
                        }
                    ));
                }
                let verdict = host.lab_check(&step.check);
                state.set(StepState { verdict, shown, ..(*state).clone() });
            });
        })
    };
    let next = {
        let (host, done, state, id) = (host.clone(), done.clone(), state.clone(), id.clone());
        Callback::from(move |_: MouseEvent| {
            host.clear_lab_log();
            save_value(&labs_files::progress_key(&id), &(*done + 1).to_string());
            done.set(*done + 1);
            state.set(StepState::default());
        })
    };
    let passed = matches!(state.verdict, Some(Ok(())));
    html! {
        <section class="card lab" data-testid="lab">
            { header }
            <h3 data-testid="lab-step">{ format!("Step {} of {total}: {}", *done + 1, step.title) }</h3>
            // Plain text with its line breaks: the files keep `code` and ``` marks readable as
            // they are, and rendering them as markup cost more bundle than it was worth.
            <p class="objectives">{ step.text.clone() }</p>
            if let Some(ui) = &step.ui { <p class="muted small">{ format!("With the forms: {ui}") }</p> }
            if state.hints > 0 { <p class="hint">{ step.hints.iter().take(state.hints).map(|h| format!("Hint: {h}")).collect::<Vec<_>>().join("\n") }</p> }
            <p class="actions">
                <button type="button" class="btn primary" onclick={check} data-testid="lab-check">{ "Check" }</button>
                if state.hints < step.hints.len() { <button type="button" class="btn" onclick={hint} data-testid="lab-hint">{ "Hint" }</button> }
                <button type="button" class="btn" onclick={show_me} data-testid="lab-show-me">{ "Show me" }</button>
            </p>
            { verdict(&state.verdict, step) }
            if passed { <p class="actions"><button type="button" class="btn primary" onclick={next} data-testid="lab-next">{ if *done + 1 == total { "Finish" } else { "Next step" } }</button></p> }
            if !state.shown.is_empty() { <pre class="shown" data-testid="lab-shown">{ state.shown.clone() }</pre> }
        </section>
    }
}

fn current_step(lab: &UseStateHandle<Option<Result<Rc<Lab>, String>>>, done: usize) -> Option<&LabStep> {
    match &**lab {
        Some(Ok(lab)) => lab.steps.get(done),
        _ => None,
    }
}

/// The check's verdict, said to the learner.
fn verdict(verdict: &Option<Result<(), Refusal>>, step: &LabStep) -> Html {
    match verdict {
        None => Html::default(),
        Some(Ok(())) => html! {
            <p class="verdict pass objectives" role="status" data-testid="lab-pass">
                { format!("Done. {}", step.explain.as_deref().unwrap_or("")) }
            </p>
        },
        Some(Err(refusal)) => html! {
            <p class="verdict refuse objectives" role="status" data-testid="lab-refusal">
                { format!("Not yet: {}\n({})", refusal.missing, refusal.seen) }
            </p>
        },
    }
}
