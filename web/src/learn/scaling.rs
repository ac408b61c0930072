//! The Capacity view's auto scaling panel: the scaling activities of the table (or GSI) shown —
//! when each started, what it set, whether it is still in progress, and its Cause, the alarm
//! that triggered the policy — read with `DescribeScalingActivities` (Application Auto
//! Scaling). The charts above draw the provisioned line moving; this says why it moved. The
//! page's first-load engine has no auto scaling: its refusal leaves the panel out.

use serde_json::Value;
use yew::prelude::*;

/// Activities shown, newest first.
const SHOWN: usize = 8;

/// Application Auto Scaling's ResourceId of a table or one of its GSIs.
pub fn resource_id(table: &str, index: &str) -> String {
    match index {
        "" => format!("table/{table}"),
        index => format!("table/{table}/index/{index}"),
    }
}

/// The panel for a `DescribeScalingActivities` answer (nothing when there are none).
pub fn activities(answer: &Value) -> Html {
    let list = answer["ScalingActivities"].as_array().map(Vec::as_slice).unwrap_or_default();
    if list.is_empty() {
        return Html::default();
    }
    html! {
        <div class="scaling-activities" data-testid="capacity-scaling">
            <h3>{ "Auto scaling activities" }</h3>
            <ul>
                { for list.iter().take(SHOWN).map(|a| {
                    let at = a["StartTime"].as_f64().map(|s| clock(s as u64)).unwrap_or_default();
                    let status = a["StatusCode"].as_str().unwrap_or_default();
                    html! {
                        <li class={classes!("scaling-activity", status.to_ascii_lowercase())}>
                            <strong>{ format!("{at} · {status} · ") }</strong>
                            { a["Description"].as_str().unwrap_or_default() }
                            <div class="muted">{ a["Cause"].as_str().unwrap_or_default() }</div>
                            if let Some(m) = a["StatusMessage"].as_str().filter(|_| status == "Failed") {
                                <div class="error-text">{ m }</div>
                            }
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

/// Epoch seconds as `HH:MM:SS` (UTC), as the charts label engine time.
fn clock(seconds: u64) -> String {
    format!("{:02}:{:02}:{:02}", seconds / 3600 % 24, seconds / 60 % 60, seconds % 60)
}
