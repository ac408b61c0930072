//! The Access view's simulator: each request of the page's history (`host::history`: the
//! forms', the console's, `dynaplay.send`'s and the AWS SDK's, newest first) with how IAM
//! decides it for an identity — `PlaygroundExplainAccess`, in the words of IAM's policy
//! simulator: allowed, explicitly denied or implicitly denied, the statement that decided
//! (policy, index, Sid), and for a denial the AccessDeniedException text AWS answers. Beside
//! it, who the request was actually sent as and how it ended. The history is read again every
//! second while the view is open (reads do not change the workspace, so nothing else says a
//! request was made).

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use serde_json::{json, Value};
use yew::prelude::*;

use super::access::message;
use super::use_page;

/// How often the history is read again.
const TICK: Duration = Duration::from_secs(1);

/// Requests explained, newest first.
const SHOWN: usize = 20;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The workspace's identities, by name.
    pub identities: Vec<String>,
    /// The one requests are sent as, if any: explained by default.
    pub current: Option<String>,
}

/// One history row and its explanation.
#[derive(Clone, PartialEq)]
struct Row {
    entry: Value,
    explained: Result<Value, String>,
}

/// The statement that decided, in words: "OwnItems statement 1 (Sid OwnItemsOnly)".
fn statement(matched: &Value) -> String {
    let policy = matched["SourcePolicyId"].as_str().unwrap_or("?");
    let index = matched["StatementIndex"].as_u64().map(|i| format!(" statement {i}")).unwrap_or_default();
    let sid = matched["Sid"].as_str().map(|s| format!(" (Sid {s})")).unwrap_or_default();
    let kind = matched["SourcePolicyType"].as_str().unwrap_or_default();
    format!("{kind} {policy}{index}{sid}")
}

/// What a request touched, in a few words: its table or index, and its key's values.
fn target(request: &Value) -> String {
    let table = request["TableName"].as_str().or(request["StreamArn"].as_str()).unwrap_or_default();
    let mut out = match request["IndexName"].as_str() {
        Some(index) => format!("{table} / {index}"),
        None => table.to_owned(),
    };
    let key = request.get("Key").or(request.get("Item")).and_then(Value::as_object);
    for (name, value) in key.into_iter().flatten().take(2) {
        let scalar = value.as_object().and_then(|v| v.values().next()).and_then(Value::as_str);
        if let Some(scalar) = scalar {
            out.push_str(&format!(" · {name}={scalar}"));
        }
    }
    out
}

/// The simulator.
#[component]
pub fn Simulator(props: &Props) -> Html {
    let page = use_page().page;
    let chosen = use_state(|| None::<String>);
    let rows = use_state(|| None::<Vec<Row>>);
    let who = chosen.as_ref().or(props.current.as_ref()).or(props.identities.first()).cloned();
    {
        let (page, rows) = (page.clone(), rows.clone());
        use_effect_with(who.clone(), move |who: &Option<String>| {
            let alive = Rc::new(Cell::new(true));
            rows.set(None);
            if let Some(who) = who.clone() {
                let running = alive.clone();
                yew::platform::spawn_local(async move {
                    let mut seen = Value::Null;
                    while running.get() {
                        let history = page.request_history();
                        if history != seen {
                            let mut next = Vec::new();
                            for entry in history.as_array().into_iter().flatten().take(SHOWN) {
                                let request = json!({
                                    "IdentityName": who,
                                    "Operation": entry["Operation"],
                                    "Request": if entry["Request"].is_object() { entry["Request"].clone() } else { json!({}) },
                                });
                                let explained = page
                                    .send("PlaygroundExplainAccess", &request)
                                    .await
                                    .map_err(|e| message(&e));
                                next.push(Row { entry: entry.clone(), explained });
                            }
                            if !running.get() {
                                break;
                            }
                            rows.set(Some(next));
                            seen = history;
                        }
                        yew::platform::time::sleep(TICK).await;
                    }
                });
            }
            move || alive.set(false)
        });
    }
    let pick = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            chosen.set(Some(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()))
        })
    };
    let body = match (&who, &*rows) {
        (None, _) => {
            html! { <p class="muted">{ "Make an identity above: the simulator explains requests as one of them." }</p> }
        }
        (_, None) => html! { <p class="muted" aria-busy="true">{ "Reading the requests…" }</p> },
        (_, Some(rows)) if rows.is_empty() => html! {
            <p class="muted" data-testid="access-sim-empty">{ "No request yet: send one from a form, the console, dynaplay.send or the AWS SDK." }</p>
        },
        (_, Some(rows)) => html! {
            <table class="data" data-testid="access-sim">
                <thead><tr><th>{ "Request" }</th><th>{ "Sent as" }</th><th>{ "Decision for this identity" }</th></tr></thead>
                <tbody>{ for rows.iter().map(row) }</tbody>
            </table>
        },
    };
    html! {
        <section class="card" data-testid="access-simulator">
            <h3>{ "Simulator" }</h3>
            <p class="muted small">{ "The page's latest requests, and how IAM decides each for the identity chosen (PlaygroundExplainAccess): the statement that allowed or denied it, and the error AWS answers a denied one." }</p>
            if !props.identities.is_empty() {
                <label class="field"><span>{ "Explain as" }</span>
                    <select onchange={pick} data-testid="access-sim-identity">
                        { for props.identities.iter().map(|n| html! { <option value={n.clone()} selected={who.as_ref() == Some(n)}>{ n.clone() }</option> }) }
                    </select>
                </label>
            }
            { body }
        </section>
    }
}

fn row(r: &Row) -> Html {
    let e = &r.entry;
    let operation = e["Operation"].as_str().unwrap_or_default();
    let count = e["Count"].as_u64().filter(|n| *n > 1).map(|n| format!(" ×{n}")).unwrap_or_default();
    let sent_as = e["ActingAs"].as_str().unwrap_or("root user");
    let outcome = match e["Error"]["Code"].as_str() {
        Some(code) => html! { <span class="error-text">{ code.to_owned() }</span> },
        None => html! { <span>{ "succeeded" }</span> },
    };
    let decision = match &r.explained {
        Err(why) => {
            html! { <span class="muted" data-testid="access-sim-decision" data-decision="n/a">{ why.clone() }</span> }
        }
        Ok(x) => {
            let decision = x["EvalDecision"].as_str().unwrap_or_default().to_owned();
            let words = match decision.as_str() {
                "allowed" => "Allowed",
                "explicitDeny" => "Denied (explicit deny)",
                _ => "Denied (no statement allows it)",
            };
            // The statements that decided, each action and resource once.
            let mut decided: Vec<String> = Vec::new();
            for result in x["EvaluationResults"].as_array().into_iter().flatten() {
                for m in result["MatchedStatements"].as_array().into_iter().flatten() {
                    let s = format!(
                        "{} — {}",
                        result["EvalActionName"].as_str().unwrap_or_default(),
                        statement(m)
                    );
                    if !decided.contains(&s) {
                        decided.push(s);
                    }
                }
            }
            html! {
                <div data-testid="access-sim-decision" data-decision={decision.clone()}>
                    <strong class={classes!((decision != "allowed").then_some("error-text"))}>{ words }</strong>
                    { for decided.iter().map(|s| html! { <div class="small" data-testid="access-sim-statement">{ s.clone() }</div> }) }
                    if let Some(m) = x["Message"].as_str() {
                        <div class="small muted" data-testid="access-sim-message">{ format!("AccessDeniedException: {m}") }</div>
                    }
                </div>
            }
        }
    };
    html! {
        <tr data-testid="access-sim-row" data-operation={operation.to_owned()}>
            <td><code>{ format!("{operation}{count}") }</code><div class="muted small">{ target(&e["Request"]) }</div></td>
            <td class="small"><div><code>{ sent_as.to_owned() }</code></div>{ outcome }</td>
            <td>{ decision }</td>
        </tr>
    }
}
