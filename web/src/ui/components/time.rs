//! The engine-time controls — pause or resume, one second on, speed — shared by the Capacity tab
//! (in the on-demand module) and demo mode's header; each sends through its own way to the
//! engine.

use serde_json::{json, Value};
use yew::prelude::*;

use crate::fixed::Fixed;

/// The controls for `time` (`PlaygroundDescribeTime`'s answer), with the engine time `shown`
/// beside them when the view keeps it current; `send` makes a button's click send a request.
pub fn controls(
    time: &Value,
    shown: Option<String>,
    send: &dyn Fn(&'static str, Value) -> Callback<MouseEvent>,
) -> Html {
    let paused = time["Paused"].as_bool().unwrap_or(false);
    let speed = time["Speed"].as_f64().unwrap_or(1.0);
    html! {
        <div class="time-controls" role="group" aria-label="Engine time">
            if let Some(shown) = shown {
                <span class="engine-time" data-testid="engine-time" title="Engine time (UTC)">{ shown }</span>
            }
            <button type="button" class="btn small" data-testid="time-pause" onclick={send("PlaygroundUpdateTime", json!({"Paused": !paused}))}>
                { if paused { "▶ Resume" } else { "Pause" } }
            </button>
            <button type="button" class="btn small" data-testid="time-step" onclick={send("PlaygroundAdvanceTime", json!({"Milliseconds": 1000}))}>{ "+1 s" }</button>
            <span class="segmented" role="group" aria-label="Speed">
                { for [1.0, 10.0, 60.0].into_iter().map(|x: f64| html! {
                    <button type="button" class={classes!("tab", ((speed - x).abs() < 1e-6).then_some("active"))}
                        aria-pressed={((speed - x).abs() < 1e-6).to_string()}
                        data-testid={format!("speed-{}", Fixed(x, 0))}
                        onclick={send("PlaygroundUpdateTime", json!({"Speed": x}))}>{ format!("{}×", Fixed(x, 0)) }</button>
                }) }
            </span>
        </div>
    }
}
