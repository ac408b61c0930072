//! The raw-request console: an operation name and a request in DynamoDB's JSON, sent through
//! the same path as `dynaplay.send`, with the exact request and the response (or error) shown.
//! Ctrl+Enter (⌘+Enter) sends. The operations offered are the engine's DynamoDB operations
//! (`dynaplay_engine::OPERATIONS`), the API the code tabs write calls to; any operation the
//! engine serves can be typed. Choosing an operation puts its example request in the box
//! (`ui/examples.rs`) — or, when the learner has edited the box, offers to.
//!
//! A box that starts with `aws ` holds AWS CLI lines instead (`cli/`, run by `learn/cli.rs`):
//! Send runs them as the AWS CLI would, the operation field shows the operation, the last
//! request is shown as any other, and above it what the AWS CLI prints (or its error).

use dynaplay_engine::{ApiFamily, OPERATIONS};
use serde_json::Value;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::cli;
use crate::ui::app::use_host;
use crate::ui::components::exchange::{self, Exchange, ExchangeView};
use crate::ui::{examples, requests};

/// Who the requests go as, once the learner picked an identity in the Access view (only the
/// full engine has identities: the first load's build has nothing to show).
#[cfg(feature = "full-engine")]
fn acting_as(host: &crate::host::Host) -> Html {
    let Some(arn) = host.acting_as() else { return Html::default() };
    html! {
        <p class="muted small" data-testid="acting-as">
            { "Sent as " }<code>{ arn }</code>{ " · " }<a href="#/access">{ "change" }</a>
        </p>
    }
}

#[cfg(not(feature = "full-engine"))]
fn acting_as(_: &crate::host::Host) -> Html {
    Html::default()
}

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
    // A DAX cluster to send through ("": straight to the table).
    let through = use_state(String::new);
    let not_sent = use_state(|| None::<String>);
    // What the AWS CLI printed for the last command line sent (`None`: a JSON request was).
    let printed = use_state(|| None::<Printed>);
    let send = {
        let host = ctx.host.clone();
        let operation = operation.clone();
        let request = request.clone();
        let exchange = exchange.clone();
        let not_sent = not_sent.clone();
        let printed = printed.clone();
        let through = through.clone();
        Callback::from(move |()| {
            not_sent.set(None);
            if cli::is_cli(&request) {
                run_cli((*request).clone(), &operation, &exchange, &printed);
                return;
            }
            printed.set(None);
            let op = operation.trim().to_owned();
            let body: Value = match serde_json::from_slice(request.as_bytes()) {
                Ok(v) => v,
                Err(e) => {
                    not_sent.set(Some(format!("The request is not valid JSON: {e}")));
                    return;
                }
            };
            // So every request shows what it consumed (a value the learner set stays).
            let body = requests::with_consumed_capacity(&op, body);
            let (op, body) = match through.trim() {
                "" => (op, body),
                cluster => (
                    "PlaygroundDaxRequest".to_owned(),
                    serde_json::json!({"ClusterName": cluster, "Operation": op, "Request": body}),
                ),
            };
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
    let waiting =
        exchange.as_ref().is_some_and(|x| x.result.is_none()) || printed.as_ref().is_some_and(|p| p.running);
    let result = match (&*not_sent, &*exchange) {
        (Some(message), _) => html! { <p class="error-text" role="alert">{ message.clone() }</p> },
        (None, Some(x)) => html! { <ExchangeView exchange={x.clone()} /> },
        (None, None) if printed.is_some() => html! {},
        (None, None) => {
            html! { <p class="muted">{ "The response appears here, with the request as AWS CLI, boto3 and JS SDK v3 code. The box also takes aws dynamodb … lines." }</p> }
        }
    };
    let result = html! { <>{ printed_view(printed.as_ref()) }{ result }</> };
    html! {
        <section class="console" aria-label="Request console">
            <h2>{ "Console" }</h2>
            { acting_as(&ctx.host) }
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
                    <label class="field">
                        <span>{ "Through DAX (a cluster's name; empty: straight to the table)" }</span>
                        <input value={(*through).clone()} data-testid="dax-through" spellcheck="false"
                            oninput={let through = through.clone(); Callback::from(move |e: InputEvent| through.set(e.target_unchecked_into::<HtmlInputElement>().value()))} />
                    </label>
                    if let Some(name) = &*offer {
                        <p class="banner warn" role="status" data-testid="example-offer">
                            { format!("Replace your request with the {name} example? ") }
                            <button type="button" class="btn small" onclick={take_offer.reform(|_: MouseEvent| true)} data-testid="example-replace">{ "Replace" }</button>
                            <button type="button" class="btn small" onclick={take_offer.reform(|_: MouseEvent| false)}>{ "Keep mine" }</button>
                        </p>
                    }
                    <label class="field grow">
                        <span>{ "Request (DynamoDB JSON, or aws dynamodb … lines)" }</span>
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

/// What the AWS CLI printed for a command line.
#[derive(Clone, PartialEq)]
struct Printed {
    running: bool,
    /// How many requests the CLI sent (pages, a waiter's polls): the last is shown.
    requests: u64,
    stdout: String,
    error: Option<String>,
    notes: Vec<String>,
}

/// Runs the box's AWS CLI lines (in the module loaded on demand, fetched the first time): the
/// last request is shown as any other, the operation field follows it, and what the CLI
/// prints is kept for [`printed_view`].
fn run_cli(
    text: String,
    operation: &UseStateHandle<String>,
    exchange: &UseStateHandle<Option<Exchange>>,
    printed: &UseStateHandle<Option<Printed>>,
) {
    let (operation, exchange, printed) = (operation.clone(), exchange.clone(), printed.clone());
    exchange.set(None);
    printed.set(Some(Printed {
        running: true,
        requests: 0,
        stdout: String::new(),
        error: None,
        notes: Vec::new(),
    }));
    yew::platform::spawn_local(async move {
        let report = match wasm_bindgen_futures::JsFuture::from(crate::host::js_api::run_cli(&text)).await {
            Ok(v) => {
                serde_json::from_slice(v.as_string().unwrap_or_default().as_bytes()).unwrap_or(Value::Null)
            }
            Err(e) => serde_json::json!({"error": {"message": format!(
                "The AWS CLI parser could not be loaded ({}). Reload the page to try again.",
                e.as_string().unwrap_or_else(|| "no network?".into())
            )}}),
        };
        let last = &report["last"];
        if let Some(op) = last["operation"].as_str() {
            operation.set(op.to_owned());
            let answer = last["answer"].clone();
            exchange.set(Some(Exchange {
                operation: op.to_owned(),
                request: last["request"].clone(),
                result: Some(if last["ok"] == true { Ok(answer) } else { Err(answer) }),
                ms: last["ms"].as_f64().unwrap_or(0.0),
                request_id: last["id"].as_str().map(str::to_owned),
                consistency: None,
                dax: None,
            }));
        }
        let text = |v: &Value| v.as_str().map(str::to_owned);
        printed.set(Some(Printed {
            running: false,
            requests: report["requests"].as_u64().unwrap_or(0),
            stdout: text(&report["stdout"]).unwrap_or_default(),
            error: text(&report["error"]["message"]),
            notes: report["notes"]
                .as_array()
                .map(|n| n.iter().filter_map(text).collect())
                .unwrap_or_default(),
        }));
    });
}

/// The AWS CLI's output (or error) for the last command line, above its last request.
fn printed_view(printed: Option<&Printed>) -> Html {
    let Some(p) = printed else { return Html::default() };
    if p.running {
        return html! { <p class="status muted" aria-busy="true">{ "aws — running…" }</p> };
    }
    let nothing = p.stdout.is_empty() && p.error.is_none();
    html! {
        <div class="cli-printed">
            <span class="label">{ "AWS CLI output" }</span>
            { for p.notes.iter().map(|n| html! { <p class="muted small" data-testid="cli-note">{ n.clone() }</p> }) }
            if p.requests > 1 {
                <p class="muted small" data-testid="cli-requests">{ format!("The AWS CLI sent {} requests; the last is shown below.", p.requests) }</p>
            }
            if nothing {
                <p class="muted" data-testid="cli-output">{ "(the AWS CLI prints nothing for this command)" }</p>
            } else if !p.stdout.is_empty() {
                <pre class="json" data-testid="cli-output">{ p.stdout.clone() }</pre>
            }
            if let Some(e) = &p.error {
                <pre class="json error-text" role="alert" data-testid="cli-error">{ e.clone() }</pre>
            }
        </div>
    }
}
