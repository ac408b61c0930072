//! One request and its answer as markup: the status, the ConsumedCapacity, the response or the
//! error, the exact request sent, and the request as code in three languages (tabs with
//! `data-action="language"` and `data-index`, and a `data-action="copy"` button).

use std::fmt::Write;

use serde_json::Value;

use crate::fixed::Fixed;
use crate::ui::codegen::{self, Language};
use crate::ui::markup::{esc, push_esc};

/// A request that was sent, and its answer once it came.
#[derive(Clone, PartialEq, Debug)]
pub struct Exchange {
    /// Operation name.
    pub operation: String,
    /// The exact request JSON sent.
    pub request: Value,
    /// `None` while waiting; then the response or the error.
    pub result: Option<Result<Value, Value>>,
    /// Round trip in milliseconds (including the commit for writes).
    pub ms: f64,
}

impl Exchange {
    /// The DynamoDB error message, when the request failed.
    pub fn error_message(&self) -> Option<String> {
        match &self.result {
            Some(Err(e)) => Some(format!(
                "{}: {}",
                e["__type"].as_str().unwrap_or("Error").rsplit('#').next().unwrap_or("Error"),
                e["message"].as_str().or_else(|| e["Message"].as_str()).unwrap_or("")
            )),
            _ => None,
        }
    }
}

/// What an exchange view shows besides the exchange itself.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Shown<'a> {
    /// Prefix of the `data-testid`s ("" in the console, so its ids stay `response`, …).
    pub testid: &'a str,
    /// Whether to show the response JSON (views that render results themselves hide it).
    pub response: bool,
    /// Whether to repeat the error message (a form that shows it inline says no).
    pub error: bool,
}

/// A short text for the ConsumedCapacity of a response.
pub fn consumed_capacity_text(response: &Value) -> Option<String> {
    let one = |c: &Value| {
        // JSON numbers print as DynamoDB sent them (no float formatting in the bundle).
        let units = c.get("CapacityUnits").filter(|v| v.is_number()).cloned().unwrap_or(Value::from(0));
        let mut parts = Vec::new();
        if let Some(r) = c.get("ReadCapacityUnits").filter(|v| v.is_number()) {
            parts.push(format!("{r} RCU"));
        }
        if let Some(w) = c.get("WriteCapacityUnits").filter(|v| v.is_number()) {
            parts.push(format!("{w} WCU"));
        }
        let detail = if parts.is_empty() { String::new() } else { format!(" ({})", parts.join(", ")) };
        format!("{units} capacity units on {}{detail}", c["TableName"].as_str().unwrap_or("?"))
    };
    match &response["ConsumedCapacity"] {
        Value::Object(_) => Some(one(&response["ConsumedCapacity"])),
        Value::Array(list) if !list.is_empty() => Some(list.iter().map(one).collect::<Vec<_>>().join("; ")),
        _ => None,
    }
}

/// The status line, the ConsumedCapacity and the response or the error.
pub fn answer(x: &Exchange, shown: Shown) -> String {
    let t = shown.testid;
    let mut out = String::new();
    // The operation is whatever was typed in the console: escaped like any other data.
    let op = esc(&x.operation);
    match &x.result {
        None => {
            let _ = write!(out, "<p class=\"status muted\" aria-busy=\"true\">{op} — waiting…</p>");
        }
        Some(result) => {
            let (class, verb, role) =
                if result.is_ok() { ("ok", "succeeded", "") } else { ("error", "failed", " role=\"alert\"") };
            let _ = write!(
                out,
                "<p class=\"status {class}\" data-testid=\"{t}response-status\"{role}>{op} {verb}<span class=\"muted\"> · {} ms</span></p>",
                Fixed(x.ms, 1)
            );
            let capacity = match result {
                // Escaped with the rest of the line below.
                Ok(v) => consumed_capacity_text(v)
                    .unwrap_or_else(|| format!("{} returns no ConsumedCapacity", x.operation)),
                Err(_) => "nothing consumed (the request failed)".to_owned(),
            };
            let _ = write!(out, "<p class=\"capacity\" data-testid=\"{t}capacity\"><span class=\"label\">ConsumedCapacity </span>");
            push_esc(&mut out, &capacity);
            out.push_str("</p>");
        }
    }
    match &x.result {
        Some(Ok(v)) | Some(Err(v)) if shown.response => {
            let title = if matches!(x.result, Some(Ok(_))) { "Response" } else { "Error" };
            let _ = write!(out, "<details open class=\"block\"><summary>{title}</summary><pre class=\"json\" data-testid=\"{t}response\">");
            push_esc(&mut out, &crate::ui::pretty::pretty(v));
            out.push_str("</pre></details>");
        }
        Some(Err(_)) if shown.error => {
            let _ = write!(out, "<p class=\"error-text\" data-testid=\"{t}error\">");
            push_esc(&mut out, &x.error_message().unwrap_or_default());
            out.push_str("</p>");
        }
        _ => {}
    }
    out
}

/// The exact request sent, folded.
pub fn request_sent(x: &Exchange, testid: &str) -> String {
    let mut out = format!("<details class=\"block\"><summary>Request sent</summary><pre class=\"json\" data-testid=\"{testid}request-sent\">");
    push_esc(&mut out, &crate::ui::pretty::pretty(&x.request));
    out.push_str("</pre></details>");
    out
}

/// The code tabs and the request as code in `language`.
pub fn code(x: &Exchange, testid: &str, language: Language, copied: bool) -> String {
    let mut out =
        String::from("<div class=\"code-tabs\" role=\"tablist\" aria-label=\"The same request as code\">");
    for (i, l) in Language::ALL.into_iter().enumerate() {
        let active = l == language;
        let _ = write!(
            out,
            "<button type=\"button\" role=\"tab\" class=\"tab{}\" aria-selected=\"{active}\" data-action=\"language\" data-index=\"{i}\">{}</button>",
            if active { " active" } else { "" },
            l.label()
        );
    }
    let _ = write!(
        out,
        "<span class=\"spacer\"></span><button type=\"button\" class=\"btn small\" data-action=\"copy\">{}</button></div><pre class=\"code\" role=\"tabpanel\" data-testid=\"{testid}code\">",
        if copied { "Copied" } else { "Copy" }
    );
    push_esc(&mut out, &codegen::generate(language, &x.operation, &x.request));
    out.push_str("</pre>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn exchange(result: Option<Result<Value, Value>>) -> Exchange {
        Exchange {
            operation: "PutItem".into(),
            request: json!({"TableName": "T<1>", "Item": {"pk": {"S": "a&b"}}}),
            result,
            ms: 2.25,
        }
    }

    #[test]
    fn a_success_shows_status_capacity_and_response() {
        let ok = exchange(Some(Ok(json!({"ConsumedCapacity": {"TableName": "T", "CapacityUnits": 1.0}}))));
        let shown = Shown { testid: "x-", response: true, error: true };
        let m = answer(&ok, shown);
        assert!(
            m.contains(
                "data-testid=\"x-response-status\">PutItem succeeded<span class=\"muted\"> · 2.3 ms</span>"
            ),
            "{m}"
        );
        assert!(
            m.contains("<span class=\"label\">ConsumedCapacity </span>1.0 capacity units on T</p>"),
            "{m}"
        );
        assert!(m.contains("data-testid=\"x-response\">"));
        assert!(!answer(&ok, Shown { response: false, ..shown }).contains("x-response\""));
    }

    #[test]
    fn a_failure_shows_the_error_unless_told_not_to() {
        let err = exchange(Some(Err(
            json!({"__type": "com.amazonaws.dynamodb.v20120810#ValidationException", "message": "bad <thing>"}),
        )));
        let shown = Shown { testid: "", response: false, error: true };
        let m = answer(&err, shown);
        assert!(m.contains("role=\"alert\">PutItem failed"));
        assert!(m.contains("nothing consumed (the request failed)"));
        assert!(
            m.contains(
                "<p class=\"error-text\" data-testid=\"error\">ValidationException: bad &lt;thing&gt;</p>"
            ),
            "{m}"
        );
        assert!(!answer(&err, Shown { error: false, ..shown }).contains("error-text"));
        assert!(answer(&exchange(None), shown).contains("PutItem — waiting…"));
    }

    #[test]
    fn the_operation_typed_in_the_console_is_escaped() {
        let mut x = exchange(None);
        x.operation = "<img src=x onerror=alert(1)>".into();
        let shown = Shown { testid: "", response: true, error: true };
        for result in [None, Some(Ok(json!({}))), Some(Err(json!({"message": "no"})))] {
            x.result = result;
            let m = answer(&x, shown);
            assert!(!m.contains("<img") && m.contains("&lt;img src=x onerror=alert(1)&gt;"), "{m}");
            assert!(!m.contains("&amp;lt;"), "escaped once: {m}");
        }
    }

    #[test]
    fn request_and_code_are_escaped_and_the_active_tab_marked() {
        let x = exchange(None);
        assert!(request_sent(&x, "c-").contains("&quot;T&lt;1&gt;&quot;"));
        let m = code(&x, "c-", Language::Boto3, true);
        assert!(m.contains("class=\"tab active\" aria-selected=\"true\" data-action=\"language\" data-index=\"1\">boto3</button>"), "{m}");
        assert!(
            m.contains("aria-selected=\"false\" data-action=\"language\" data-index=\"0\">AWS CLI</button>")
        );
        assert!(m.contains("data-action=\"copy\">Copied</button>"));
        assert!(m.contains("data-testid=\"c-code\">") && m.contains("a&amp;b") && !m.contains("a&b"));
    }
}
