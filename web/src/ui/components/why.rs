//! The "why?" affordance: a small button beside a figure that asks the engine to explain it
//! (a Playground explain operation through `host.send`, like any other request) and shows the
//! summary and each rule's worked steps under it.

use serde_json::Value;
use yew::prelude::*;

use crate::ui::app::use_host;
use crate::ui::why::explanations;

/// Properties of [`Why`].
#[derive(Properties, PartialEq)]
pub struct WhyProps {
    /// The explain operation (`PlaygroundExplainRequest`, `PlaygroundExplainTable`).
    pub operation: AttrValue,
    /// Its request.
    pub request: Value,
    /// The button's text.
    #[prop_or(AttrValue::Static("why?"))]
    pub label: AttrValue,
    /// `data-testid` of the button; the panel's is this + `-panel`.
    pub testid: AttrValue,
}

/// A "why?" button and, once pressed, the engine's explanation.
#[component]
pub fn Why(props: &WhyProps) -> Html {
    let ctx = use_host();
    let answer = use_state(|| None::<Result<Value, Value>>);
    let open = use_state(|| false);
    let toggle = {
        let (answer, open, host) = (answer.clone(), open.clone(), ctx.host.clone());
        let (operation, request) = (props.operation.to_string(), props.request.clone());
        Callback::from(move |_: MouseEvent| {
            if *open {
                open.set(false);
                return;
            }
            open.set(true);
            let (answer, host, operation, request) =
                (answer.clone(), host.clone(), operation.clone(), request.clone());
            yew::platform::spawn_local(async move {
                answer.set(Some(host.send(&operation, &request).await));
            });
        })
    };
    let panel = match (&*answer, *open) {
        (_, false) => html! {},
        (None, true) => html! { <div class="why" aria-busy="true">{ "…" }</div> },
        (Some(Err(e)), true) => html! {
            <div class="why error-text" role="alert" data-testid={format!("{}-panel", props.testid)}>{ e["message"].as_str().unwrap_or("no explanation") }</div>
        },
        (Some(Ok(v)), true) => {
            let (summary, list) = explanations(v);
            html! {
                <div class="why" data-testid={format!("{}-panel", props.testid)}>
                    if let Some(s) = summary { <p><strong>{ s }</strong></p> }
                    { for list.into_iter().map(|e| html! {
                        <details open=true>
                            <summary>{ e.heading.map(|h| format!("{h}: ")).unwrap_or_default() }{ e.summary }</summary>
                            <ol>{ for e.steps.into_iter().map(|s| html! { <li>{ s }</li> }) }</ol>
                        </details>
                    }) }
                </div>
            }
        }
    };
    html! {
        <>
        <button type="button" class="btn small why-btn" aria-expanded={open.to_string()} onclick={toggle}
            data-testid={props.testid.clone()}>{ props.label.clone() }</button>
        { panel }
        </>
    }
}
