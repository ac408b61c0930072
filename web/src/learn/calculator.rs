//! The capacity calculator view (`#/calculator`): the workload's inputs, the engine's estimate
//! (`PlaygroundEstimateCapacity`) — RCU/WCU per item and per second, provisioned and on-demand
//! cost a month side by side — with the dated price table it used (each price editable), the
//! worked explanation, and "Try it": the workload run as real requests, the ConsumedCapacity
//! they answered summed beside the estimate.

use serde_json::Value;
use yew::prelude::*;

use super::use_page;
use dynaplay_web::fixed::Fixed;
use dynaplay_web::ui::calculator::{
    consumed_units, estimate_markup, is_read, CalcForm, PRICE_FIELDS, TRY_TABLE,
};
use dynaplay_web::ui::components::{on_change, on_input, FormState};

/// The calculator.
#[component]
pub fn Calculator() -> Html {
    let page = use_page().page;
    let form = use_reducer(FormState::<CalcForm>::default);
    // The engine's estimate (or its error), and the trial's outcome as its line of text.
    let answer = use_state(|| None::<Result<Value, Value>>);
    let trial = use_state(|| None::<String>);
    let request = form.0.request();
    {
        let (answer, page) = (answer.clone(), page.clone());
        let text = AttrValue::from(request.as_ref().map(Value::to_string).unwrap_or_default());
        use_effect_with(text, move |text: &AttrValue| {
            if let Ok(request) = serde_json::from_slice::<Value>(text.as_bytes()) {
                answer.set(None);
                yew::platform::spawn_local(async move {
                    answer.set(Some(page.send("PlaygroundEstimateCapacity", &request).await));
                });
            }
        });
    }
    let try_it = {
        let (form, trial, host) = (form.clone(), trial.clone(), page.clone());
        Callback::from(move |_: MouseEvent| {
            let (trial, host) = (trial.clone(), host.clone());
            let plan = form.0.trial();
            yew::platform::spawn_local(async move {
                let (setup, measured, (num, den)) = match plan {
                    Ok(plan) => plan,
                    Err(e) => return trial.set(Some(e)),
                };
                trial.set(Some("Running the workload…".into()));
                let failed = |e: Value| Some(e["message"].as_str().unwrap_or("failed").to_owned());
                for (op, request) in &setup {
                    if let Err(e) = host.send(op, request).await {
                        // The table is there from an earlier trial: use it.
                        if !(*op == "CreateTable"
                            && e["__type"].as_str().unwrap_or("").ends_with("ResourceInUseException"))
                        {
                            return trial.set(failed(e));
                        }
                    }
                }
                let (mut rcu, mut wcu) = (0.0, 0.0);
                for (op, request) in &measured {
                    match host.send(op, request).await {
                        Ok(v) if is_read(op) => rcu += consumed_units(&v),
                        Ok(v) => wcu += consumed_units(&v),
                        Err(e) => return trial.set(failed(e)),
                    }
                }
                let scale = num as f64 / den as f64;
                trial.set(Some(format!(
                    "Measured on {TRY_TABLE}: {} RCU and {} WCU a second ({} requests sent, their ConsumedCapacity summed{})",
                    Fixed(rcu * scale, 1),
                    Fixed(wcu * scale, 1),
                    measured.len(),
                    if num != den { ", scaled to one second" } else { "" }
                )));
            });
        })
    };
    let f = &form.0;
    let field = |label: &'static str, value: &str, id: &'static str, apply: fn(&mut CalcForm, String)| {
        html! {
            <label class="field narrow">{ label }
                <input value={value.to_owned()} inputmode="numeric" data-testid={id} oninput={on_input(&form, apply)} />
            </label>
        }
    };
    let output = match (&request, answer.as_ref()) {
        (Err(e), _) => {
            html! { <p class="error-text" role="alert" data-testid="calc-error">{ e.clone() }</p> }
        }
        (_, None) => html! { <p class="muted" aria-busy="true">{ "…" }</p> },
        (_, Some(Err(e))) => {
            html! { <p class="error-text" role="alert" data-testid="calc-error">{ e["message"].as_str().unwrap_or("") }</p> }
        }
        (_, Some(Ok(v))) => Html::from_html_unchecked(estimate_markup(v).into()),
    };
    let used = |i: usize| match answer.as_ref() {
        Some(Ok(v)) => match PRICE_FIELDS.get(i) {
            Some(name) => v["Prices"][*name].as_str().unwrap_or_default().to_owned(),
            None => v["Prices"]["HoursPerMonth"].to_string(),
        },
        _ => String::new(),
    };
    let price_labels = [
        "$ per RCU-hour",
        "$ per WCU-hour",
        "$ per million read request units",
        "$ per million write request units",
        "$ per GB-month",
        "hours a month",
    ];
    let trial_view = match &*trial {
        None => html! {},
        Some(line) => html! { <p data-testid="calc-measured">{ line.clone() }</p> },
    };
    html! {
        <section class="card calculator" data-testid="calculator">
            <h2>{ "Capacity calculator" }</h2>
            <div class="row wrap">
                { field("Item size (bytes)", &f.item_size, "calc-item-size", |f, v| f.item_size = v) }
                { field("Reads per second", &f.reads, "calc-reads", |f, v| f.reads = v) }
                { field("Writes per second", &f.writes, "calc-writes", |f, v| f.writes = v) }
                { field("Transactional %", &f.transactional, "calc-transactional", |f, v| f.transactional = v) }
                { field("Storage (GB)", &f.storage, "calc-storage", |f, v| f.storage = v) }
                <label class="field narrow"><span>{ "Strongly consistent reads" }</span>
                    <input type="checkbox" checked={f.consistent} data-testid="calc-consistent" onchange={on_change(&form, |f, v| f.consistent = v == "true")} />
                </label>
            </div>
            { output }
            <details class="block">
                <summary>{ "Price table (edit to compare)" }</summary>
                <div class="row wrap">
                    { for price_labels.iter().enumerate().map(|(i, label)| html! {
                        <label class="field narrow">{ *label }
                            <input value={f.prices[i].clone()} placeholder={used(i)} data-testid={format!("calc-price-{i}")}
                                oninput={on_input(&form, move |f: &mut CalcForm, v| f.prices[i] = v)} />
                        </label>
                    }) }
                </div>
            </details>
            <div class="row">
                <button type="button" class="btn" onclick={try_it} data-testid="calc-try">{ "Try it" }</button>
                { trial_view }
            </div>
        </section>
    }
}
