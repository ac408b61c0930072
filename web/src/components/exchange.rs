//! One request and its answer, as every view shows it: the exact request JSON sent, the
//! response or the DynamoDB error, the ConsumedCapacity, and the same request as AWS CLI,
//! boto3 and JS SDK v3 code to copy. [`send`] runs a request and records it as an [`Exchange`].

use crate::fixed::Fixed;
use serde_json::Value;
use yew::prelude::*;

use crate::codegen::{self, Language};
use crate::host::Host;

/// A request that was sent, and its answer once it came.
#[derive(Clone, PartialEq, Debug)]
pub struct Exchange {
    /// Operation name.
    pub operation: String,
    /// The exact request JSON sent.
    pub request: Value,
    /// `None` while waiting; then the response or the error.
    pub result: Option<Result<Value, Value>>,
    /// Round trip in milliseconds (including the commit for writes).
    pub ms: f64,
}

impl Exchange {
    /// The DynamoDB error message, when the request failed.
    pub fn error_message(&self) -> Option<String> {
        match &self.result {
            Some(Err(e)) => Some(format!(
                "{}: {}",
                e["__type"].as_str().unwrap_or("Error").rsplit('#').next().unwrap_or("Error"),
                e["message"].as_str().or_else(|| e["Message"].as_str()).unwrap_or("")
            )),
            _ => None,
        }
    }
}

/// Sends `request` through the host, keeping `state` up to date, then calls `done`.
pub fn send(
    host: &Host,
    operation: &str,
    request: Value,
    state: UseStateHandle<Option<Exchange>>,
    done: impl FnOnce(&Result<Value, Value>) + 'static,
) {
    let mut exchange = Exchange { operation: operation.to_owned(), request, result: None, ms: 0.0 };
    state.set(Some(exchange.clone()));
    let host = host.clone();
    yew::platform::spawn_local(async move {
        let started = js_sys::Date::now();
        let result = host.send(&exchange.operation, &exchange.request).await;
        exchange.ms = js_sys::Date::now() - started;
        done(&result);
        exchange.result = Some(result);
        state.set(Some(exchange));
    });
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

/// A short text for the ConsumedCapacity of a response.
pub fn consumed_capacity_text(response: &Value) -> Option<String> {
    let one = |c: &Value| {
        // JSON numbers print as DynamoDB sent them (no float formatting in the bundle).
        let units = c.get("CapacityUnits").filter(|v| v.is_number()).cloned().unwrap_or(Value::from(0));
        let mut parts = Vec::new();
        if let Some(r) = c.get("ReadCapacityUnits").filter(|v| v.is_number()) {
            parts.push(format!("{r} RCU"));
        }
        if let Some(w) = c.get("WriteCapacityUnits").filter(|v| v.is_number()) {
            parts.push(format!("{w} WCU"));
        }
        let detail = if parts.is_empty() { String::new() } else { format!(" ({})", parts.join(", ")) };
        format!("{units} capacity units on {}{detail}", c["TableName"].as_str().unwrap_or("?"))
    };
    match &response["ConsumedCapacity"] {
        Value::Object(_) => Some(one(&response["ConsumedCapacity"])),
        Value::Array(list) if !list.is_empty() => Some(list.iter().map(one).collect::<Vec<_>>().join("; ")),
        _ => None,
    }
}

/// The request, the answer, the capacity and the code tabs.
#[component]
pub fn ExchangeView(props: &ExchangeViewProps) -> Html {
    let language = use_state(|| Language::AwsCli);
    let copied = use_state(|| false);
    let x = &props.exchange;
    let id = |name: &str| format!("{}{name}", props.testid);
    let code = codegen::generate(*language, &x.operation, &x.request);
    let request_text = serde_json::to_string_pretty(&x.request).unwrap_or_default();
    let status = match &x.result {
        None => {
            html! { <p class="status muted" aria-busy="true">{ format!("{} — waiting…", x.operation) }</p> }
        }
        Some(Ok(_)) => html! {
            <p class="status ok" data-testid={id("response-status")}>
                { format!("{} succeeded", x.operation) }<span class="muted">{ format!(" · {} ms", Fixed(x.ms, 1)) }</span>
            </p>
        },
        Some(Err(_)) => html! {
            <p class="status error" data-testid={id("response-status")} role="alert">
                { format!("{} failed", x.operation) }<span class="muted">{ format!(" · {} ms", Fixed(x.ms, 1)) }</span>
            </p>
        },
    };
    let capacity = match &x.result {
        Some(Ok(v)) => consumed_capacity_text(v)
            .unwrap_or_else(|| format!("{} returns no ConsumedCapacity", x.operation)),
        Some(Err(_)) => "nothing consumed (the request failed)".to_owned(),
        None => String::new(),
    };
    let response = match &x.result {
        Some(Ok(v)) | Some(Err(v)) if props.show_response => html! {
            <details open=true class="block">
                <summary>{ if matches!(x.result, Some(Ok(_))) { "Response" } else { "Error" } }</summary>
                <pre class="json" data-testid={id("response")}>{ serde_json::to_string_pretty(v).unwrap_or_default() }</pre>
            </details>
        },
        Some(Err(_)) if props.show_error => {
            html! { <p class="error-text" data-testid={id("error")}>{ x.error_message().unwrap_or_default() }</p> }
        }
        _ => html! {},
    };
    let copy = {
        let code = code.clone();
        let copied = copied.clone();
        Callback::from(move |_| {
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&code);
                copied.set(true);
            }
        })
    };
    html! {
        <div class="exchange">
            { status }
            if !capacity.is_empty() {
                <p class="capacity" data-testid={id("capacity")}><span class="label">{ "ConsumedCapacity " }</span>{ capacity }</p>
            }
            { response }
            <details class="block">
                <summary>{ "Request sent" }</summary>
                <pre class="json" data-testid={id("request-sent")}>{ request_text }</pre>
            </details>
            <div class="code-tabs" role="tablist" aria-label="The same request as code">
                { for Language::ALL.iter().map(|&l| {
                    let active = l == *language;
                    let onclick = { let language = language.clone(); let copied = copied.clone();
                        Callback::from(move |_| { language.set(l); copied.set(false); }) };
                    html! {
                        <button type="button" role="tab" class={classes!("tab", active.then_some("active"))}
                            aria-selected={active.to_string()} {onclick}>{ l.label() }</button>
                    }
                }) }
                <span class="spacer" />
                <button type="button" class="btn small" onclick={copy}>{ if *copied { "Copied" } else { "Copy" } }</button>
            </div>
            <pre class="code" role="tabpanel" data-testid={id("code")}>{ code }</pre>
        </div>
    }
}
