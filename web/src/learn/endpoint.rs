//! Connecting the page to a real endpoint (on the Workspaces view): dynaplay-server, DynamoDB
//! Local, ScyllaDB Alternator, or DynamoDB itself in a Region. The form hands what the learner
//! typed to the page (`js/dynaplay.js`'s `connect`, whose client is `static/remote.js`): the
//! keys go into that client's memory and nowhere else — not this module's state once sent, not
//! storage, not the address. The page then sends every request there (`host::endpoint`).

use serde_json::json;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use super::use_page;
use dynaplay_web::ui::components::value_of;

#[derive(Clone, Default, PartialEq)]
struct Form {
    endpoint: String,
    region: String,
    access_key: String,
    secret_key: String,
    session_token: String,
}

/// The endpoint form, and the connection in use.
#[component]
pub fn EndpointForm() -> Html {
    let context = use_page();
    let page = context.page.clone();
    let form = use_state(|| Form { region: "us-east-1".into(), ..Form::default() });
    let status = use_state(|| None::<Result<String, String>>);
    let busy = use_state(|| false);
    let current = page.endpoint();
    let field = |label: &'static str,
                 id: &'static str,
                 kind: &'static str,
                 hint: &'static str,
                 pick: fn(&mut Form) -> &mut String| {
        let form = form.clone();
        let value = pick(&mut (*form).clone()).clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let mut next = (*form).clone();
            *pick(&mut next) = value_of(&e);
            form.set(next);
        });
        html! {
            <label class="field">{ label }
                <input type={kind} value={value} placeholder={hint} autocomplete="off" spellcheck="false"
                    data-testid={id} {oninput} />
            </label>
        }
    };
    let connect = {
        let (page, form, status, busy) = (page.clone(), form.clone(), status.clone(), busy.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let f = (*form).clone();
            let request = json!({
                "endpoint": f.endpoint.trim(), "region": f.region.trim(),
                "accessKeyId": f.access_key.trim(), "secretAccessKey": f.secret_key.trim(),
                "sessionToken": f.session_token.trim(),
            });
            // The keys leave this view's state as they are handed to the page's client.
            form.set(Form { secret_key: String::new(), session_token: String::new(), ..f });
            busy.set(true);
            let (page, status, busy) = (page.clone(), status.clone(), busy.clone());
            yew::platform::spawn_local(async move {
                let said = JsFuture::from(page.connect(&request.to_string())).await;
                busy.set(false);
                status.set(Some(match said {
                    Ok(_) => Ok("Connected: every view now works on the endpoint's tables.".into()),
                    Err(e) => Err(format!("Not connected: {}", e.as_string().unwrap_or_default())),
                }));
            });
        })
    };
    let disconnect = {
        let (page, status) = (page.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            page.disconnect();
            status.set(None);
        })
    };
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    html! {
        <section class="endpoint" data-testid="endpoint-form">
            <h3>{ "Work against a real endpoint" }</h3>
            <p class="muted small">
                { "The same views, on another DynamoDB: dynaplay-server, DynamoDB Local, ScyllaDB Alternator, or DynamoDB itself. \
                   This browser's workspace waits aside, unchanged. Partitions, capacity charts, time and triggers are dynaplay's \
                   engine's: they work against dynaplay-server only. The endpoint must let this page call it: " }
                <code>{ format!("dynaplay-server --cors {origin}") }</code>{ ", " }
                <code>{ format!("DynamoDB Local -cors {origin}") }</code>{ "." }
            </p>
            if let Some(e) = current.as_ref().filter(|e| e.forwards()) {
                <p data-testid="endpoint-current">
                    { format!("Connected to {} ({}). ", e.url, e.region) }
                    <button type="button" class="btn small" onclick={disconnect} data-testid="endpoint-disconnect">{ "Disconnect" }</button>
                </p>
            }
            <form class="endpoint-fields" onsubmit={connect}>
                { field("Endpoint address", "endpoint-url", "url", "http://localhost:8000 (blank: DynamoDB in the Region)", |f| &mut f.endpoint) }
                { field("Region", "endpoint-region", "text", "us-east-1", |f| &mut f.region) }
                { field("Access key ID", "endpoint-key", "text", "needed for DynamoDB itself", |f| &mut f.access_key) }
                { field("Secret access key", "endpoint-secret", "password", "kept in this page's memory only", |f| &mut f.secret_key) }
                { field("Session token (optional)", "endpoint-token", "password", "for temporary credentials", |f| &mut f.session_token) }
                <p class="muted small">{ "Keys are never stored, put in a link or exported: they are forgotten when this page closes. \
                    Against DynamoDB itself every request is real and billed; use a key allowed only what you mean to try." }</p>
                <button type="submit" class="btn primary" disabled={*busy} data-testid="endpoint-connect">
                    { if *busy { "Connecting…" } else { "Connect" } }
                </button>
            </form>
            { match &*status {
                None => Html::default(),
                Some(Ok(said)) => html! { <p class="ok-text" role="status" data-testid="endpoint-status">{ said.clone() }</p> },
                Some(Err(said)) => html! { <p class="error-text" role="alert" data-testid="endpoint-status">{ said.clone() }</p> },
            } }
        </section>
    }
}

/// What a view that reads this browser's engine says while requests go to an endpoint.
pub fn unavailable(why: String) -> Html {
    html! {
        <section class="card" data-testid="unavailable">
            <p>{ why }{ " Disconnect, in the header, to come back to this browser's workspace." }</p>
        </section>
    }
}
