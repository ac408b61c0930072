//! The raw-request console: an operation name and a request in DynamoDB's JSON, sent through
//! the same path as `dynaplay.send`, with the exact request and the response (or error) shown.
//! Ctrl+Enter (⌘+Enter) sends. The operations offered are the engine's DynamoDB operations
//! (`dynaplay_engine::OPERATIONS`), the API the code tabs write calls to; any operation the
//! engine serves can be typed. Choosing an operation puts its example request in the box
//! (`ui/examples.rs`) — or, when the learner has edited the box, offers to.

use dynaplay_engine::{ApiFamily, OPERATIONS};
use serde_json::Value;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::ui::app::use_host;
use crate::ui::components::exchange::{self, Exchange, ExchangeView};
use crate::ui::{examples, requests};

/// The request console.
#[component]
pub fn Console() -> Html {
    let ctx = use_host();
    let operation = use_state(|| "CreateTable".to_owned());
    let request = use_state(|| examples::example("CreateTable").unwrap_or_default());
    // The example last put in the box: while the box still holds it, choosing another
    // operation replaces it with that operation's example; once the learner has edited it,
    // the console asks first (`offer`: the operation whose example it offers).
    let shown = use_state(|| (*request).clone());
    let offer = use_state(|| None::<String>);
    let exchange = use_state(|| None::<Exchange>);
    let not_sent = use_state(|| None::<String>);
    let send = {
        let host = ctx.host.clone();
        let operation = operation.clone();
        let request = request.clone();
        let exchange = exchange.clone();
        let not_sent = not_sent.clone();
        Callback::from(move |()| {
            let op = operation.trim().to_owned();
            let body: Value = match serde_json::from_slice(request.as_bytes()) {
                Ok(v) => v,
                Err(e) => {
                    not_sent.set(Some(format!("The request is not valid JSON: {e}")));
                    return;
                }
            };
            not_sent.set(None);
            // So every request shows what it consumed (a value the learner set stays).
            let body = requests::with_consumed_capacity(&op, body);
            exchange::send(&host, &op, body, exchange.clone(), |_| {});
        })
    };
    let on_op = {
        let (operation, request, shown, offer) =
            (operation.clone(), request.clone(), shown.clone(), offer.clone());
        Callback::from(move |e: InputEvent| {
            let name = e.target_unchecked_into::<HtmlInputElement>().value();
            if let Some(example) = examples::example(name.trim()) {
                if *request == *shown {
                    request.set(example.clone());
                    shown.set(example);
                    offer.set(None);
                } else if *request != example {
                    offer.set(Some(name.trim().to_owned()));
                }
            }
            operation.set(name);
        })
    };
    let take_offer = {
        let (request, shown, offer) = (request.clone(), shown.clone(), offer.clone());
        Callback::from(move |take: bool| {
            if let Some(example) = offer.as_deref().and_then(examples::example).filter(|_| take) {
                request.set(example.clone());
                shown.set(example);
            }
            offer.set(None);
        })
    };
    let on_request = {
        let request = request.clone();
        Callback::from(move |e: InputEvent| {
            request.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let on_key = {
        let send = send.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                send.emit(());
            }
        })
    };
    let on_click = send.reform(|_: MouseEvent| ());
    let waiting = exchange.as_ref().is_some_and(|x| x.result.is_none());
    let result = match (&*not_sent, &*exchange) {
        (Some(message), _) => html! { <p class="error-text" role="alert">{ message.clone() }</p> },
        (None, Some(x)) => html! { <ExchangeView exchange={x.clone()} /> },
        (None, None) => {
            html! { <p class="muted">{ "The response appears here, with the request as AWS CLI, boto3 and JS SDK v3 code." }</p> }
        }
    };
    html! {
        <section class="console" aria-label="Request console">
            <h2>{ "Console" }</h2>
            <div class="console-grid">
                <div class="pane">
                    <label class="field">
                        <span>{ "Operation" }</span>
                        <input list="operations" value={(*operation).clone()} oninput={on_op} onkeydown={on_key.clone()}
                            data-testid="operation" spellcheck="false" />
                        <datalist id="operations">
                            { for OPERATIONS.iter().filter(|o| o.family == ApiFamily::DynamoDB).map(|o| html! { <option value={o.name} /> }) }
                        </datalist>
                    </label>
                    if let Some(name) = &*offer {
                        <p class="banner warn" role="status" data-testid="example-offer">
                            { format!("Replace your request with the {name} example? ") }
                            <button type="button" class="btn small" onclick={take_offer.reform(|_: MouseEvent| true)} data-testid="example-replace">{ "Replace" }</button>
                            <button type="button" class="btn small" onclick={take_offer.reform(|_: MouseEvent| false)}>{ "Keep mine" }</button>
                        </p>
                    }
                    <label class="field grow">
                        <span>{ "Request (DynamoDB JSON)" }</span>
                        <textarea value={(*request).clone()} oninput={on_request} onkeydown={on_key}
                            data-testid="request" data-lang="json" spellcheck="false" rows="18" />
                    </label>
                    <div class="actions">
                        <button class="btn primary" onclick={on_click} data-testid="send"
                            disabled={waiting}>{ "Send" }</button>
                        <span class="muted small">{ "Ctrl+Enter" }</span>
                    </div>
                </div>
                <div class="pane">
                    <span class="label">{ "Response" }</span>
                    { result }
                </div>
            </div>
        </section>
    }
}
