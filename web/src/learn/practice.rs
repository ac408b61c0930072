//! Exam practice (`#/practice`): pick an exam and a topic, answer, see right or wrong with the
//! explanation, and "Prove it" — the question's experiment run in a scratch engine of its own
//! (never the learner's workspace), showing the requests and the figure that settles it. The
//! questions are fetched from `questions/` when needed, never compiled in; the state and the
//! data-only markup are `ui::practice` (tested natively); progress is kept in `localStorage`.

use dynaplay_teach::question::{Answer, Index, Kind, QuestionFile, EXAMS};
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use super::use_page;
use dynaplay_web::ui::components::value_of;
use dynaplay_web::ui::practice::{Action, Progress, Session, STORAGE_KEY};

/// A file of `questions/` as JSON.
async fn fetch_json(name: &str) -> Result<Value, String> {
    let failed = |_| format!("questions/{name} could not be loaded");
    let window = web_sys::window().ok_or_else(|| "no window".to_owned())?;
    let response =
        JsFuture::from(window.fetch_with_str(&format!("questions/{name}"))).await.map_err(failed)?;
    let response: web_sys::Response = response.dyn_into().map_err(failed)?;
    if !response.ok() {
        return Err(format!("questions/{name}: HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(failed)?).await.map_err(failed)?;
    let text = text.as_string().unwrap_or_default();
    serde_json::from_slice(text.as_bytes()).map_err(|e| format!("questions/{name}: {e}"))
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The practice view.
#[component]
pub fn Practice() -> Html {
    // The session is changed in place and the view re-rendered: a reducer would copy it (and
    // compile its copying) on every action.
    let state = use_mut_ref(|| {
        Session::new(Progress::from_text(
            &storage().and_then(|s| s.get_item(STORAGE_KEY).ok()?).unwrap_or_default(),
        ))
    });
    let update = use_force_update();
    let page = use_page().page;
    let actions = {
        let state = state.clone();
        Callback::from(move |action: Action| {
            state.borrow_mut().apply(action);
            update.force_update();
        })
    };
    let session = state.borrow();
    // Files already asked for: each is fetched once, however often `needed` changes while the
    // fetches are under way.
    let requested = use_mut_ref(Vec::<String>::new);
    let needed = session.needed();
    {
        let dispatch = actions.clone();
        use_effect_with(needed.clone(), move |needed| {
            let first = requested.borrow().is_empty();
            let needed: Vec<String> =
                needed.iter().filter(|f| !requested.borrow().contains(f)).cloned().collect();
            requested.borrow_mut().extend(needed.iter().cloned());
            requested.borrow_mut().push(String::new());
            yew::platform::spawn_local(async move {
                if first {
                    let index =
                        fetch_json("index.json").await.and_then(|v| Index::from_json(&v, "index.json"));
                    dispatch.emit(Action::Index(index));
                }
                for file in needed {
                    let read = fetch_json(&file).await.and_then(|v| QuestionFile::from_json(&v, &file));
                    dispatch.emit(Action::File(read));
                }
            });
        });
    }
    // Progress is saved after every answer.
    use_effect_with(session.progress.turn, {
        let text = session.progress.to_text();
        move |turn| {
            if *turn > 0 {
                if let Some(s) = storage() {
                    let _ = s.set_item(STORAGE_KEY, &text);
                }
            }
        }
    });
    let send = |make: fn(String) -> Action| actions.reform(move |e: Event| make(value_of(&e)));
    let click = |action: fn() -> Action| actions.reform(move |_: MouseEvent| action());
    let shown = session.shown();
    let prove = {
        let (page, actions, experiment) =
            (page.clone(), actions.clone(), shown.and_then(|q| q.prove.clone()));
        Callback::from(move |_: MouseEvent| {
            if let Some(experiment) = &experiment {
                actions.emit(Action::Proved(page.prove(experiment)));
            }
        })
    };
    let body = match shown {
        _ if session.error.is_some() => {
            html! { <p class="error">{ session.error.clone().unwrap_or_default() }</p> }
        }
        None if !needed.is_empty() || session.index.is_none() => {
            html! { <p class="muted">{ "Loading questions…" }</p> }
        }
        None => html! { <p class="muted">{ "No question matches this exam and topic." }</p> },
        Some(q) => {
            let answered = session.verdict.is_some();
            let inputs = match &q.answer {
                Answer::Number { unit, .. } => html! {
                    <label>
                        <input type="text" inputmode="decimal" data-testid="practice-number" value={session.number.clone()}
                            disabled={answered} onchange={send(Action::Number)} oninput={actions.reform(|e: InputEvent| Action::Number(value_of(&e)))} />
                        { format!(" {unit}") }
                    </label>
                },
                Answer::Options(right) => html! {
                    { for q.options.iter().enumerate().map(|(i, o)| html! {
                        <label class={if answered && right.contains(&i) { "practice-option right" } else { "practice-option" }}>
                            <input type={if q.kind == Kind::Single { "radio" } else { "checkbox" }} name="practice-option"
                                data-testid={format!("option-{i}")} checked={session.picked.contains(&i)} disabled={answered}
                                onchange={actions.reform(move |_: Event| Action::Pick(i))} />
                            { format!(" {}", o.text) }
                        </label>
                    }) }
                },
            };
            html! {
                <article class="practice-question" data-testid="question" data-id={q.id.clone()}>
                    { Html::from_html_unchecked(session.question_markup(q).into()) }
                    { inputs }
                    if answered {
                        { Html::from_html_unchecked(session.verdict_markup(q).into()) }
                        <div class="actions">
                            if q.prove.is_some() {
                                <button type="button" class="btn" data-testid="practice-prove" onclick={prove}>{ "Prove it" }</button>
                            }
                            <button type="button" class="btn primary" data-testid="practice-next" onclick={click(|| Action::Next)}>{ "Next question" }</button>
                        </div>
                        { Html::from_html_unchecked(session.proof_markup(q).into()) }
                    } else {
                        <button type="button" class="btn primary" data-testid="practice-check"
                            disabled={session.picked.is_empty() && session.number.trim().is_empty()} onclick={click(|| Action::Check)}>{ "Check" }</button>
                    }
                </article>
            }
        }
    };
    let topics = session.index.iter().flat_map(|i| &i.topics);
    html! {
        <section class="card practice" data-testid="practice">
            <h2>{ "Exam practice" }</h2>
            <div class="practice-filters">
                <select data-testid="practice-exam" aria-label="Exam" onchange={send(Action::Exam)}>
                    <option value="" selected={session.exam.is_empty()}>{ "All exams" }</option>
                    { for EXAMS.iter().map(|e| html! { <option value={*e} selected={session.exam == *e}>{ *e }</option> }) }
                </select>
                <select data-testid="practice-topic" aria-label="Topic" onchange={send(Action::Topic)}>
                    <option value="" selected={session.topic.is_empty()}>{ "All topics" }</option>
                    { for topics.map(|t| html! {
                        <option value={t.id.clone()} selected={session.topic == t.id}>{ format!("{} ({})", t.title, t.count) }</option>
                    }) }
                </select>
            </div>
            { Html::from_html_unchecked(session.scores_markup().into()) }
            { body }
        </section>
    }
}
