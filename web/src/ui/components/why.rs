//! The "why?" affordance: a small button beside a figure that asks the engine to explain it
//! (a Playground explain operation sent like any other request, kept as an [`Exchange`]) and
//! shows the summary and each rule's worked steps under it. It reuses the exchange's state
//! types, so it adds no new generic hook types to the bundle.

use serde_json::Value;
use yew::prelude::*;

use super::exchange::{send, Exchange};
use crate::ui::app::use_host;
use crate::ui::why::panel_markup;

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
    let answer = use_state(|| None::<Exchange>);
    let toggle = {
        let (answer, host) = (answer.clone(), ctx.host.clone());
        let (operation, request) = (props.operation.to_string(), props.request.clone());
        Callback::from(move |_: MouseEvent| {
            if answer.is_some() {
                answer.set(None);
            } else {
                send(&host, &operation, request.clone(), answer.clone(), |_| {});
            }
        })
    };
    let testid = format!("{}-panel", props.testid);
    let panel = match answer.as_ref().map(|x| &x.result) {
        None => html! {},
        Some(None) => html! { <div class="why" aria-busy="true">{ "…" }</div> },
        Some(Some(Err(e))) => html! {
            <div class="why error-text" role="alert" data-testid={testid}>{ e["message"].as_str().unwrap_or("no explanation") }</div>
        },
        Some(Some(Ok(v))) => html! {
            <div class="why" data-testid={testid}>{ Html::from_html_unchecked(panel_markup(v).into()) }</div>
        },
    };
    html! {
        <>
        <button type="button" class="btn small why-btn" aria-expanded={answer.is_some().to_string()} onclick={toggle}
            data-testid={props.testid.clone()}>{ props.label.clone() }</button>
        { panel }
        </>
    }
}
