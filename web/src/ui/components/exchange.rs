//! One request and its answer, as every view shows it: the exact request JSON sent, the
//! response or the DynamoDB error, the ConsumedCapacity, and the same request as AWS CLI,
//! boto3 and JS SDK v3 code to copy. [`send`] runs a request and records it as an [`Exchange`].

use serde_json::Value;
use yew::prelude::*;

use crate::host::Host;
use crate::ui::codegen::{self, Language};
use crate::ui::components::{keep_focus, on_action};
use crate::ui::views::exchange::{self as view};
pub use crate::ui::views::exchange::{consumed_capacity_text, Exchange};

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

/// The request, the answer, the capacity and the code tabs: three markup parts from
/// [`crate::ui::views::exchange`], so switching a tab leaves an opened "Request sent" open.
#[component]
pub fn ExchangeView(props: &ExchangeViewProps) -> Html {
    let language = use_state(|| Language::AwsCli);
    let copied = use_state(|| false);
    let root = use_node_ref();
    {
        let root = root.clone();
        // The tabs and the copy button are rewritten when these change.
        use_effect_with((*language, *copied), move |_| keep_focus(&root));
    }
    let x = &props.exchange;
    let shown = view::Shown { testid: &props.testid, response: props.show_response, error: props.show_error };
    let onclick = {
        let (language, copied) = (language.clone(), copied.clone());
        let code = codegen::generate(*language, &x.operation, &x.request);
        on_action(move |action, i| match action {
            "language" => {
                language.set(Language::ALL.get(i).copied().unwrap_or(Language::AwsCli));
                copied.set(false);
            }
            "copy" => {
                if let Some(w) = web_sys::window() {
                    let _ = w.navigator().clipboard().write_text(&code);
                    copied.set(true);
                }
            }
            _ => {}
        })
    };
    html! {
        <div class="exchange" ref={root} {onclick}>
            { Html::from_html_unchecked(view::answer(x, shown).into()) }
            { Html::from_html_unchecked(view::request_sent(x, &props.testid).into()) }
            { Html::from_html_unchecked(view::code(x, &props.testid, *language, *copied).into()) }
        </div>
    }
}
