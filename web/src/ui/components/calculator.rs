//! The capacity calculator view (`#/calculator`): the workload's inputs, the engine's estimate
//! (`PlaygroundEstimateCapacity`) — RCU/WCU per item and per second, provisioned and on-demand
//! cost a month side by side — with the dated price table it used (each price editable), the
//! worked explanation, and "Try it": the workload run as real requests, the ConsumedCapacity
//! they answered summed beside the estimate.

use serde_json::Value;
use yew::prelude::*;

use super::{on_change, on_input, FormState};
use crate::fixed::Fixed;
use crate::ui::app::use_host;
use crate::ui::calculator::{consumed_units, is_read, CalcForm, PRICE_FIELDS, TRY_TABLE};
use crate::ui::why::explanations;

/// Measured consumption of a trial: RCU and WCU a second, and how many requests were sent.
#[derive(Clone, PartialEq)]
enum Trial {
    Running,
    Done { rcu: f64, wcu: f64, sent: u64 },
    Failed(String),
}

/// The calculator.
#[component]
pub fn Calculator() -> Html {
    let ctx = use_host();
    let form = use_reducer(FormState::<CalcForm>::default);
    let answer = use_state(|| None::<Result<Value, String>>);
    let trial = use_state(|| None::<Trial>);
    {
        let (answer, host) = (answer.clone(), ctx.host.clone());
        use_effect_with(form.0.clone(), move |f: &CalcForm| match f.request() {
            Err(e) => answer.set(Some(Err(e))),
            Ok(request) => yew::platform::spawn_local(async move {
                let got = host.send("PlaygroundEstimateCapacity", &request).await;
                answer.set(Some(got.map_err(|e| e["message"].as_str().unwrap_or("").to_owned())));
            }),
        });
    }
    let try_it = {
        let (form, trial, host) = (form.clone(), trial.clone(), ctx.host.clone());
        Callback::from(move |_: MouseEvent| {
            let (trial, host) = (trial.clone(), host.clone());
            let plan = form.0.trial();
            yew::platform::spawn_local(async move {
                let (setup, measured, (num, den)) = match plan {
                    Ok(plan) => plan,
                    Err(e) => return trial.set(Some(Trial::Failed(e))),
                };
                trial.set(Some(Trial::Running));
                for (op, request) in &setup {
                    if let Err(e) = host.send(op, request).await {
                        // The table is there from an earlier trial: use it.
                        if !(*op == "CreateTable"
                            && e["__type"].as_str().unwrap_or("").ends_with("ResourceInUseException"))
                        {
                            return trial
                                .set(Some(Trial::Failed(e["message"].as_str().unwrap_or("").to_owned())));
                        }
                    }
                }
                let (mut rcu, mut wcu) = (0.0, 0.0);
                for (op, request) in &measured {
                    match host.send(op, request).await {
                        Ok(v) if is_read(op) => rcu += consumed_units(&v),
                        Ok(v) => wcu += consumed_units(&v),
                        Err(e) => {
                            return trial
                                .set(Some(Trial::Failed(e["message"].as_str().unwrap_or("").to_owned())))
                        }
                    }
                }
                let scale = num as f64 / den as f64;
                trial.set(Some(Trial::Done {
                    rcu: rcu * scale,
                    wcu: wcu * scale,
                    sent: measured.len() as u64,
                }));
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
    let output = match &*answer {
        None => html! { <p class="muted" aria-busy="true">{ "…" }</p> },
        Some(Err(e)) => {
            html! { <p class="error-text" role="alert" data-testid="calc-error">{ e.clone() }</p> }
        }
        Some(Ok(v)) => {
            let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
            let (_, steps) = explanations(v);
            let row = |name: &str, key: &str| {
                html! {
                    <tr><th>{ name.to_owned() }</th><td>{ format!("${}", s(&v["Provisioned"][key])) }</td><td>{ format!("${}", s(&v["OnDemand"][key])) }</td></tr>
                }
            };
            html! {
                <>
                <p class="calc-per-item" data-testid="calc-per-item"><strong>{ s(&v["PerItem"]["Summary"]) }</strong></p>
                <p data-testid="calc-per-second">{ format!("Per second: {} RCU, {} WCU (provisioned: {} RCU, {} WCU)",
                    Fixed(v["PerSecond"]["ReadCapacityUnits"].as_f64().unwrap_or(0.0), 2),
                    Fixed(v["PerSecond"]["WriteCapacityUnits"].as_f64().unwrap_or(0.0), 2),
                    v["Provisioned"]["ReadCapacityUnits"], v["Provisioned"]["WriteCapacityUnits"]) }</p>
                <table class="calc-costs" data-testid="calc-costs">
                    <thead><tr><th>{ "a month" }</th><th>{ "provisioned" }</th><th>{ "on demand" }</th></tr></thead>
                    <tbody>
                        { row("reads", "ReadCostPerMonth") }
                        { row("writes", "WriteCostPerMonth") }
                        { row("storage", "StorageCostPerMonth") }
                        { row("total", "TotalCostPerMonth") }
                    </tbody>
                </table>
                <p data-testid="calc-provisioned-summary">{ format!("Provisioned: {} a month", s(&v["Provisioned"]["Summary"])) }</p>
                <details class="why" open=true>
                    <summary>{ "Why these figures?" }</summary>
                    <ol>{ for steps.into_iter().flat_map(|e| e.steps).map(|t| html! { <li>{ t }</li> }) }</ol>
                </details>
                <p class="muted small" data-testid="calc-price-date">{ format!("Prices: {} as of {}{} — {}", s(&v["PriceTable"]["Region"]), s(&v["PriceTable"]["Date"]),
                    if v["PriceTable"]["Edited"] == true { ", edited" } else { "" }, s(&v["PriceTable"]["Source"])) }</p>
                </>
            }
        }
    };
    let used = |i: usize| match &*answer {
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
        Some(Trial::Running) => html! { <p class="muted" aria-busy="true">{ "Running the workload…" }</p> },
        Some(Trial::Failed(e)) => html! { <p class="error-text" role="alert">{ e.clone() }</p> },
        Some(Trial::Done { rcu, wcu, sent }) => html! {
            <p data-testid="calc-measured">{ format!("Measured on {TRY_TABLE}: {} RCU and {} WCU a second ({sent} requests sent, their ConsumedCapacity summed{})",
                Fixed(*rcu, 2), Fixed(*wcu, 2), if *sent < 150 { "" } else { ", scaled to one second" }) }</p>
        },
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
