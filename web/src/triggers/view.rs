//! What the trigger panel shows of one table's trigger, as data that crosses from the page
//! (where `registry` runs the triggers) to the module loaded on demand (where the panel is
//! drawn) as JSON. Platform-free and tested natively.

use serde_json::{json, Value};

use super::event_source::TriggerConfig;

/// One line of a trigger's log.
#[derive(Clone, Debug, PartialEq)]
pub struct LogLine {
    /// `log`, `info`, `warn`, `error`, `debug` (from the handler) or `system` (the runner).
    pub level: String,
    /// The text.
    pub text: String,
}

/// One invocation record in a trigger's failed-event destination.
#[derive(Clone, Debug, PartialEq)]
pub struct FailedBatch {
    /// A line about it ([`super::error_handling::describe`]).
    pub summary: String,
    /// The error of the batch's last invocation.
    pub error: String,
    /// The record as JSON text, as an SQS message body would hold it.
    pub record: String,
}

/// What a panel shows of the trigger of one table.
#[derive(Clone, Debug, PartialEq)]
pub struct TriggerView {
    /// Its code and settings.
    pub config: TriggerConfig,
    /// What the poller is doing.
    pub status: String,
    /// Whether its last batch failed.
    pub failing: bool,
    /// Invocations so far.
    pub invocations: u64,
    /// Failed invocations so far.
    pub failures: u64,
    /// The newest log lines, oldest first.
    pub log: Vec<LogLine>,
    /// The failed-event destination's invocation records, oldest first.
    pub failed: Vec<FailedBatch>,
}

impl TriggerView {
    /// The view as JSON: the settings as [`TriggerConfig::to_json`] writes them, and the rest.
    pub fn to_json(&self) -> Value {
        json!({
            "Config": self.config.to_json(),
            "Status": self.status,
            "Failing": self.failing,
            "Invocations": self.invocations,
            "Failures": self.failures,
            "Log": self.log.iter().map(|l| json!([l.level, l.text])).collect::<Vec<_>>(),
            "Failed": self.failed.iter().map(|b| json!([b.summary, b.error, b.record])).collect::<Vec<_>>(),
        })
    }

    /// Reads [`TriggerView::to_json`]'s form back; `None` if it is not one.
    pub fn from_json(v: &Value) -> Option<Self> {
        let text = |v: &Value| v.as_str().map(String::from);
        let list = |member: &str| v[member].as_array().cloned().unwrap_or_default();
        Some(TriggerView {
            config: TriggerConfig::from_json(&v["Config"])?,
            status: text(&v["Status"])?,
            failing: v["Failing"].as_bool()?,
            invocations: v["Invocations"].as_u64()?,
            failures: v["Failures"].as_u64()?,
            log: list("Log")
                .iter()
                .map(|l| Some(LogLine { level: text(&l[0])?, text: text(&l[1])? }))
                .collect::<Option<_>>()?,
            failed: list("Failed")
                .iter()
                .map(|b| {
                    Some(FailedBatch { summary: text(&b[0])?, error: text(&b[1])?, record: text(&b[2])? })
                })
                .collect::<Option<_>>()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triggers::error_handling::ErrorHandling;

    fn view() -> TriggerView {
        TriggerView {
            config: TriggerConfig {
                code: "export const handler = async (event) => event;\n".into(),
                batch_size: 25,
                starting_position: "LATEST".into(),
                timeout_ms: 1500,
                error_handling: ErrorHandling {
                    maximum_retry_attempts: 2,
                    maximum_record_age_s: 60,
                    bisect_batch_on_function_error: true,
                    on_failure: true,
                },
            },
            status: "polling 4 shards".into(),
            failing: true,
            invocations: 7,
            failures: 3,
            log: vec![
                LogLine { level: "system".into(), text: "Trigger attached".into() },
                LogLine { level: "error".into(), text: "Error: \"boom\"\n  at handler".into() },
            ],
            failed: vec![FailedBatch {
                summary: "RetryAttemptsExhausted: 1 record".into(),
                error: "boom".into(),
                record: r#"{"requestContext":{}}"#.into(),
            }],
        }
    }

    #[test]
    fn a_view_crosses_to_the_on_demand_module_and_back_unchanged() {
        let v = view();
        let text = v.to_json().to_string();
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(TriggerView::from_json(&back), Some(v));
    }

    #[test]
    fn a_view_missing_a_member_or_with_bad_settings_is_refused() {
        let mut json = view().to_json();
        json["Log"][1] = json!(["error"]);
        assert_eq!(TriggerView::from_json(&json), None, "a log line without its text");
        let mut json = view().to_json();
        json["Config"]["BatchSize"] = json!(0);
        assert_eq!(TriggerView::from_json(&json), None, "a batch size out of range");
        assert_eq!(TriggerView::from_json(&Value::Null), None);
    }
}
