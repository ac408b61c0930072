//! One request and its answer, as every view shows it: the exact request JSON sent, the
//! response or the DynamoDB error, the ConsumedCapacity, and the same request as AWS CLI,
//! boto3 and JS SDK v3 code to copy. [`send`] runs a request and records it as an [`Exchange`]
//! (`ui/exchange.rs`).

use serde_json::Value;
use yew::prelude::*;

use crate::fixed::Fixed;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use crate::host::Host;
use crate::ui::codegen::{self, Language};
pub use crate::ui::exchange::Exchange;
use crate::ui::exchange::{consistency_text, consumed_capacity_text, may_be_stale, read_summary};
use dynaplay_engine::ApiFamily;

/// Sends `request` through the host, keeping `state` up to date, then calls `done` with the
/// answered exchange.
pub fn send(
    host: &Host,
    operation: &str,
    request: Value,
    state: UseStateHandle<Option<Exchange>>,
    done: impl FnOnce(&Exchange) + 'static,
) {
    Sender::of_host(host).send(operation, request, state, done);
}

/// A request's answer and its id (`Host::send_traced`).
pub type Answer = (Result<Value, Value>, Option<String>);

/// An [`Answer`] to come.
pub type Answering = Pin<Box<dyn Future<Output = Answer>>>;

/// An operation's family in the engine's registry (`codegen::family`), or `None`.
pub type FamilyOf = Rc<dyn Fn(&str) -> Option<ApiFamily>>;

/// Where a view's requests go, for views that render in the module loaded on demand (which
/// sends through the page's bridge) and in tests against a host: the create-table form, the
/// item explorer and the panels beside it, and the "why?" of every [`ExchangeView`] (a
/// context; without one there is no "why?").
#[derive(Clone)]
pub struct Sender {
    /// Sends one request (operation, request) and answers it.
    pub send: Rc<dyn Fn(String, Value) -> Answering>,
    /// An operation's family in the engine's registry, for the code tabs (`codegen::family`).
    pub family: FamilyOf,
}

impl Sender {
    /// Requests to the page's host.
    pub fn of_host(host: &Host) -> Sender {
        let host = host.clone();
        Sender {
            send: Rc::new(move |operation: String, request: Value| {
                let host = host.clone();
                Box::pin(async move { host.send_traced(&operation, &request).await })
            }),
            family: Rc::new(codegen::family),
        }
    }

    /// One request through this sender, without its id (the panels' polls).
    pub async fn request(&self, operation: &str, request: &Value) -> Result<Value, Value> {
        (self.send)(operation.to_owned(), request.clone()).await.0
    }

    /// [`send`] through this sender.
    pub fn send(
        &self,
        operation: &str,
        request: Value,
        state: UseStateHandle<Option<Exchange>>,
        done: impl FnOnce(&Exchange) + 'static,
    ) {
        send_with(operation, request, state, Box::new(done), self.send.clone());
    }
}

impl PartialEq for Sender {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.send, &other.send)
    }
}

/// [`send`] through `run` (the operation and request → the answer and the request's id). An
/// eventually consistent read is then asked how it was served (`PlaygroundExplainRequest`'s
/// `ReadConsistency`: which replica, whether its answer was stale), so the view can say so
/// with the answer; the round trip does not count that question.
fn send_with(
    operation: &str,
    request: Value,
    state: UseStateHandle<Option<Exchange>>,
    done: Box<dyn FnOnce(&Exchange)>,
    run: Rc<dyn Fn(String, Value) -> Answering>,
) {
    let mut exchange = Exchange {
        operation: operation.to_owned(),
        request,
        result: None,
        ms: 0.0,
        request_id: None,
        consistency: None,
        dax: None,
    };
    state.set(Some(exchange.clone()));
    yew::platform::spawn_local(async move {
        let started = js_sys::Date::now();
        let (result, id) = run(exchange.operation.clone(), exchange.request.clone()).await;
        exchange.ms = js_sys::Date::now() - started;
        if let (Some(id), true) =
            (&id, result.is_ok() && may_be_stale(&exchange.operation, &exchange.request))
        {
            let asked = serde_json::json!({ "RequestId": id });
            if let (Ok(mut why), _) = run("PlaygroundExplainRequest".into(), asked).await {
                exchange.consistency = Some(why["ReadConsistency"].take());
            }
        }
        exchange.request_id = id;
        // Through a DAX cluster (the console's "Through DAX"): shown as the DynamoDB request
        // it carried, with how the cluster served it.
        let result = match result {
            Ok(Value::Object(mut answer)) if exchange.operation == "PlaygroundDaxRequest" => {
                let mut carried = exchange.request.take();
                exchange.operation = carried["Operation"].as_str().unwrap_or_default().to_owned();
                exchange.request = carried["Request"].take();
                let response = answer.remove("Response").unwrap_or_default();
                answer.insert("ClusterName".into(), carried["ClusterName"].take());
                exchange.dax = Some(Value::Object(answer));
                Ok(response)
            }
            result => result,
        };
        exchange.result = Some(result);
        done(&exchange);
        state.set(Some(exchange));
    });
}

thread_local! {
    /// An action whose result the next view shows (the CreateTable of the form, shown by the
    /// new table's explorer rather than the Scan that follows it; both render in the module
    /// loaded on demand, which stays mounted from one to the other).
    static HANDED_OVER: std::cell::RefCell<Option<Exchange>> = const { std::cell::RefCell::new(None) };
}

/// Leaves `exchange` for the next view to show as the learner's last action.
pub fn hand_over(exchange: &Exchange) {
    HANDED_OVER.with(|h| *h.borrow_mut() = Some(exchange.clone()));
}

/// The action [`hand_over`] left, once.
pub fn take_handed_over() -> Option<Exchange> {
    HANDED_OVER.with(|h| h.borrow_mut().take())
}

/// Properties of [`ExchangeView`].
#[derive(Properties, PartialEq)]
pub struct ExchangeViewProps {
    /// What to show.
    pub exchange: Exchange,
    /// Prefix of the `data-testid`s ("" in the console, so its ids stay `response`, …).
    #[prop_or_default]
    pub testid: AttrValue,
    /// Whether to show the response JSON (views that render results themselves hide it).
    #[prop_or(true)]
    pub show_response: bool,
    /// Whether to repeat the error message (a form that shows it inline says no).
    #[prop_or(true)]
    pub show_error: bool,
}

/// The answer, the request sent and the code tabs.
#[component]
pub fn ExchangeView(props: &ExchangeViewProps) -> Html {
    let language = use_state(|| Language::AwsCli);
    let copied = use_state(|| false);
    // "why?": the engine's explanation of this request's ConsumedCapacity, kept as an exchange
    // of its own (the hook types the view has already).
    let why = use_state(|| None::<Exchange>);
    // The shell renders every exchange under a sender; without one (a view test) there is
    // nothing to ask.
    let sender = use_context::<Sender>();
    let x = &props.exchange;
    let t = &props.testid;
    let consistency_line = x.consistency.as_ref().and_then(consistency_text);
    // Ok: code to copy; Err: why there is none (a playground operation, an unknown name).
    // The code tabs need the operation's family, which the sender knows (without one, no code).
    let family = sender.as_ref().and_then(|s| (s.family)(&x.operation));
    let code = codegen::generate_for(family, *language, &x.operation, &x.request);
    let tab = |l: Language| {
        let (language, copied) = (language.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            language.set(l);
            copied.set(false);
        })
    };
    let copy = {
        let (code, copied) = (code.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            if let (Some(w), Ok(code)) = (web_sys::window(), &code) {
                let _ = w.navigator().clipboard().write_text(code);
                copied.set(true);
            }
        })
    };
    // The operation is whatever was typed in the console: a text node, like any other data.
    let status = match &x.result {
        None => {
            html! { <p class="status muted" aria-busy="true">{ format!("{} — waiting…", x.operation) }</p> }
        }
        Some(result) => {
            let (class, verb, role) =
                if result.is_ok() { ("ok", "succeeded", None) } else { ("error", "failed", Some("alert")) };
            let capacity = match result {
                Ok(v) => consumed_capacity_text(v)
                    .unwrap_or_else(|| format!("{} returns no ConsumedCapacity", x.operation)),
                Err(_) => "nothing consumed (the request failed)".to_owned(),
            };
            let read = match result {
                Ok(v) => read_summary(&x.operation, &x.request, v),
                Err(_) => None,
            };
            html! {
                <>
                <p class={classes!("status", class)} data-testid={format!("{t}response-status")} {role}>
                    { format!("{} {verb}", x.operation) }<span class="muted">{ format!(" · {} ms", Fixed(x.ms, 1)) }</span>
                </p>
                <p class="capacity" data-testid={format!("{t}capacity")}><span class="label">{ "ConsumedCapacity " }</span>{ capacity }
                    if let (Some(id), Some(sender)) = (&x.request_id, &sender) {
                        { " " }{ why_button(sender, id, &why, t) }
                    }
                </p>
                { why_panel(x.request_id.as_deref(), &why, t) }
                if let Some(dax) = &x.dax {
                    <p class="capacity" data-testid={format!("{t}dax")}>{ crate::ui::dax::outcome_line(dax) }</p>
                }
                if let Some(read) = read {
                    <p class="capacity" data-testid={format!("{t}read")}>{ read }</p>
                }
                if let Some((text, stale)) = consistency_line.clone() {
                    <p class={classes!("capacity", "consistency", stale.then_some("stale"))} data-testid={format!("{t}consistency")}
                        data-stale={stale.to_string()}>{ text }</p>
                }
                </>
            }
        }
    };
    let answer = match &x.result {
        Some(Ok(v)) | Some(Err(v)) if props.show_response => html! {
            <details open=true class="block">
                <summary>{ if matches!(x.result, Some(Ok(_))) { "Response" } else { "Error" } }</summary>
                <pre class="json" data-testid={format!("{t}response")}>{ crate::ui::pretty::pretty(v) }</pre>
            </details>
        },
        Some(Err(_)) if props.show_error => html! {
            <p class="error-text" data-testid={format!("{t}error")}>{ x.error_message().unwrap_or_default() }</p>
        },
        _ => html! {},
    };
    html! {
        <div class="exchange">
            { status }
            { answer }
            <details class="block">
                <summary>{ "Request sent" }</summary>
                <pre class="json" data-testid={format!("{t}request-sent")}>{ crate::ui::pretty::pretty(&x.request) }</pre>
            </details>
            <div class="code-tabs">
                <div class="code-tablist" role="tablist" aria-label="The same request as code">
                    { for Language::ALL.into_iter().map(|l| html! {
                        <button type="button" role="tab" class={classes!("tab", (l == *language).then_some("active"))}
                            aria-selected={(l == *language).to_string()} onclick={tab(l)}>{ l.label() }</button>
                    }) }
                </div>
                <span class="spacer"></span>
                <button type="button" class="btn small" onclick={copy} disabled={code.is_err()}>{ if *copied { "Copied" } else { "Copy" } }</button>
            </div>
            { match &code {
                // Focusable: a scrolling region must be reachable from the keyboard.
                Ok(code) => html! { <pre class="code" role="tabpanel" tabindex="0" data-testid={format!("{t}code")}>{ code }</pre> },
                Err(why) => html! { <p class="muted" role="tabpanel" data-testid={format!("{t}code")}>{ why }</p> },
            } }
        </div>
    }
}

/// The "why?" button beside a ConsumedCapacity: asks `PlaygroundExplainRequest` about request
/// `id`, or hides the answer shown.
fn why_button(sender: &Sender, id: &str, why: &UseStateHandle<Option<Exchange>>, t: &str) -> Html {
    let open = why.as_ref().is_some_and(|w| w.request["RequestId"] == id);
    let (sender, why_state, id) = (sender.clone(), why.clone(), id.to_owned());
    let toggle = Callback::from(move |_: MouseEvent| match open {
        true => why_state.set(None),
        false => sender.send(
            "PlaygroundExplainRequest",
            serde_json::json!({ "RequestId": id }),
            why_state.clone(),
            |_| {},
        ),
    });
    html! {
        <button type="button" class="btn small why-btn" aria-expanded={open.to_string()} onclick={toggle}
            data-testid={format!("{t}why")}>{ "why?" }</button>
    }
}

/// The explanation asked for, under the figure: its summary and each rule's worked steps.
fn why_panel(id: Option<&str>, why: &UseStateHandle<Option<Exchange>>, t: &str) -> Html {
    let Some(w) = why.as_ref().filter(|w| id.is_some_and(|id| w.request["RequestId"] == id)) else {
        return Html::default();
    };
    let testid = format!("{t}why-panel");
    match &w.result {
        None => html! { <div class="why" aria-busy="true">{ "…" }</div> },
        Some(Err(e)) => html! {
            <div class="why error-text" role="alert" data-testid={testid}>{ e["message"].as_str().unwrap_or("no explanation") }</div>
        },
        Some(Ok(v)) => html! {
            <div class="why" data-testid={testid}>{ Html::from_html_unchecked(crate::ui::why::panel_markup(v).into()) }</div>
        },
    }
}
