//! The "why?" explanations the engine's Playground operations answer (`PlaygroundExplainRequest`,
//! `PlaygroundExplainTable`, `PlaygroundEstimateCapacity`), gathered from whichever shape the
//! answer has into one list to show. Platform-free; `components/why.rs` shows it.

use serde_json::Value;

/// One rule's explanation: under which heading (a GSI), its summary and worked steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    /// `None` for the request or the table itself; `Some("GSI ByEmail")` for an index.
    pub heading: Option<String>,
    /// The one-line summary.
    pub summary: String,
    /// The worked steps, in order.
    pub steps: Vec<String>,
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

fn push_all(out: &mut Vec<Shown>, heading: Option<String>, list: &Value) {
    for e in list.as_array().into_iter().flatten() {
        out.push(Shown {
            heading: heading.clone(),
            summary: text(&e["Summary"]),
            steps: e["Steps"].as_array().into_iter().flatten().map(text).collect(),
        });
    }
}

/// The answer's overall summary (if it has one) and every explanation in it, in order.
pub fn explanations(answer: &Value) -> (Option<String>, Vec<Shown>) {
    let mut out = Vec::new();
    push_all(&mut out, None, &answer["Explanations"]);
    if answer["Explanation"].is_object() {
        push_all(&mut out, None, &Value::Array(vec![answer["Explanation"].clone()]));
    }
    push_all(&mut out, None, &answer["Table"]["Explanations"]);
    for gsi in answer["GlobalSecondaryIndexes"].as_array().into_iter().flatten() {
        push_all(&mut out, Some(format!("GSI {}", text(&gsi["IndexName"]))), &gsi["Explanations"]);
    }
    let summary =
        answer["Summary"].as_str().or_else(|| answer["Table"]["Summary"].as_str()).map(str::to_owned);
    (summary, out)
}

/// The explanation panel as markup (a data-only panel: written as text through the one
/// escaping helper, as the Capacity tab's panels are — smaller in the bundle than `html!`).
pub fn panel_markup(answer: &Value) -> String {
    use crate::ui::markup::push_esc;
    let (summary, list) = explanations(answer);
    let mut out = String::new();
    if let Some(s) = summary {
        out.push_str("<p><strong>");
        push_esc(&mut out, &s);
        out.push_str("</strong></p>");
    }
    for e in list {
        out.push_str("<details open><summary>");
        if let Some(h) = e.heading {
            push_esc(&mut out, &h);
            out.push_str(": ");
        }
        push_esc(&mut out, &e.summary);
        out.push_str("</summary>");
        steps_markup(&mut out, &e.steps);
        out.push_str("</details>");
    }
    out
}

/// Steps as an ordered list.
pub fn steps_markup(out: &mut String, steps: &[String]) {
    out.push_str("<ol>");
    for s in steps {
        out.push_str("<li>");
        crate::ui::markup::push_esc(out, s);
        out.push_str("</li>");
    }
    out.push_str("</ol>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_answer_shape_gives_its_explanations_in_order() {
        let request = json!({"Summary": "GetItem on T consumed 1 RCU.", "Explanations": [
            {"Rule": "ReadUnits", "Summary": "1 RCU", "Steps": ["a", "b"]},
            {"Rule": "Admission", "Summary": "Served", "Steps": []}]});
        let (summary, list) = explanations(&request);
        assert_eq!(summary.as_deref(), Some("GetItem on T consumed 1 RCU."));
        assert_eq!(list.len(), 2);
        assert_eq!(
            list[0],
            Shown { heading: None, summary: "1 RCU".into(), steps: vec!["a".into(), "b".into()] }
        );

        let table = json!({"Table": {"Summary": "1 partition", "Explanations": [{"Summary": "count", "Steps": ["x"]}]},
            "GlobalSecondaryIndexes": [{"IndexName": "ByG", "Explanations": [{"Summary": "gsi", "Steps": []}]}]});
        let (summary, list) = explanations(&table);
        assert_eq!(summary.as_deref(), Some("1 partition"));
        assert_eq!(list[1].heading.as_deref(), Some("GSI ByG"));

        let estimate =
            json!({"Explanation": {"Summary": "Capacity per Item: 1 RCU, 1 WCU.", "Steps": ["s"]}});
        assert_eq!(explanations(&estimate).1[0].steps, ["s"]);
        assert_eq!(explanations(&json!({})), (None, Vec::new()));
        assert_eq!(
            panel_markup(&table),
            "<p><strong>1 partition</strong></p><details open><summary>count</summary><ol><li>x</li></ol></details><details open><summary>GSI ByG: gsi</summary><ol></ol></details>"
        );
        assert!(panel_markup(&json!({"Summary": "<b>&"})).contains("&lt;b&gt;&amp;"), "data is escaped");
    }
}
