//! The trigger panel's settings as the learner types them, and the trigger they make: batch
//! size, starting position and timeout, and the error handling of an event source mapping
//! (retry attempts, maximum record age, split batch on error, on-failure destination), checked
//! with Lambda's messages. Platform-free and tested natively; `ui/components/trigger_panel.rs`
//! draws it.

use crate::fixed::seconds;
use crate::triggers::error_handling::{self, ErrorHandling};
use crate::triggers::event_source::TriggerConfig;

/// The settings as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct TriggerForm {
    /// Batch size.
    pub batch: String,
    /// `TRIM_HORIZON` or `LATEST`.
    pub position: String,
    /// Timeout in seconds (decimals allowed).
    pub timeout: String,
    /// `MaximumRetryAttempts`.
    pub retries: String,
    /// `MaximumRecordAgeInSeconds`.
    pub max_age: String,
    /// `BisectBatchOnFunctionError`.
    pub bisect: bool,
    /// An on-failure destination (the page's failed-event list).
    pub on_failure: bool,
}

impl Default for TriggerForm {
    fn default() -> Self {
        Self {
            batch: "100".into(),
            position: "TRIM_HORIZON".into(),
            timeout: "3".into(),
            retries: "-1".into(),
            max_age: "-1".into(),
            bisect: false,
            on_failure: false,
        }
    }
}

impl TriggerForm {
    /// Shows the settings of a running trigger.
    pub fn show(&mut self, config: &TriggerConfig) {
        let e = &config.error_handling;
        *self = Self {
            batch: config.batch_size.to_string(),
            position: config.starting_position.clone(),
            timeout: seconds(u64::from(config.timeout_ms)),
            retries: e.maximum_retry_attempts.to_string(),
            max_age: e.maximum_record_age_s.to_string(),
            bisect: e.bisect_batch_on_function_error,
            on_failure: e.on_failure,
        };
    }

    /// The error handling, or what is wrong with it (Lambda's message for a value out of range).
    pub fn error_handling(&self) -> Result<ErrorHandling, String> {
        let whole = |text: &str, member: &str| {
            whole_number(text).ok_or_else(|| format!("{member} must be a whole number (-1 for infinite)."))
        };
        Ok(ErrorHandling {
            maximum_retry_attempts: error_handling::retry_attempts(whole(&self.retries, "Retry attempts")?)?,
            maximum_record_age_s: error_handling::record_age(whole(&self.max_age, "Maximum age of record")?)?,
            bisect_batch_on_function_error: self.bisect,
            on_failure: self.on_failure,
        })
    }

    /// The trigger these settings and `code` make, or what is wrong with them.
    pub fn config(&self, code: &str) -> Result<TriggerConfig, String> {
        let batch_size = match self.batch.trim().parse::<u32>() {
            Ok(n) if (1..=10_000).contains(&n) => n,
            _ => return Err("Batch size must be a whole number from 1 to 10000.".into()),
        };
        let timeout_ms = match seconds_to_ms(self.timeout.trim()) {
            Some(ms) if (100..=900_000).contains(&ms) => ms,
            _ => return Err("Timeout must be between 0.1 and 900 seconds.".into()),
        };
        let error_handling = self.error_handling()?;
        if !code.contains("handler") {
            return Err("The code must export a handler: exports.handler = async (event) => { … }".into());
        }
        Ok(TriggerConfig {
            code: code.to_string(),
            batch_size,
            starting_position: self.position.clone(),
            timeout_ms,
            error_handling,
        })
    }
}

/// A whole number as typed, "-1" included; digits parsed as a `u32` (the bundle has that parser,
/// not an `i64` one).
fn whole_number(text: &str) -> Option<i64> {
    let text = text.trim();
    let (sign, digits) = text.strip_prefix('-').map_or((1, text), |digits| (-1, digits));
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u32>().ok().map(|n| sign * i64::from(n))
}

/// "1.5" seconds → 1500 ms, without float parsing (which would add its tables to the bundle).
fn seconds_to_ms(text: &str) -> Option<u32> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u32 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let fraction: u32 = if fraction.is_empty() { 0 } else { format!("{fraction:0<3}").parse().ok()? };
    whole.checked_mul(1000)?.checked_add(fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: &str = "exports.handler = async () => 1;";

    fn form(edit: impl FnOnce(&mut TriggerForm)) -> TriggerForm {
        let mut f = TriggerForm::default();
        edit(&mut f);
        f
    }

    #[test]
    fn the_defaults_make_lambdas_defaults() {
        let c = TriggerForm::default().config(CODE).unwrap();
        assert_eq!((c.batch_size, c.starting_position.as_str(), c.timeout_ms), (100, "TRIM_HORIZON", 3000));
        assert_eq!(c.error_handling, ErrorHandling::default());
        assert_eq!(
            (c.error_handling.maximum_retry_attempts, c.error_handling.maximum_record_age_s),
            (-1, -1),
            "infinite, as Lambda's defaults"
        );
    }

    #[test]
    fn error_handling_in_range_is_taken_as_typed() {
        let c = form(|f| {
            f.retries = " 2 ".into();
            f.max_age = "60".into();
            f.bisect = true;
            f.on_failure = true;
            f.timeout = "1.5".into();
        })
        .config(CODE)
        .unwrap();
        assert_eq!(
            c.error_handling,
            ErrorHandling {
                maximum_retry_attempts: 2,
                maximum_record_age_s: 60,
                bisect_batch_on_function_error: true,
                on_failure: true
            }
        );
        assert_eq!(c.timeout_ms, 1500);
        for (retries, age) in [("0", "604800"), ("10000", "-1"), ("-1", "86400")] {
            let f = form(|f| {
                f.retries = retries.into();
                f.max_age = age.into();
            });
            assert!(f.error_handling().is_ok(), "{retries} {age}");
        }
    }

    #[test]
    fn out_of_range_values_get_lambdas_messages() {
        let error = |retries: &str, age: &str| {
            form(|f| {
                f.retries = retries.into();
                f.max_age = age.into();
            })
            .config(CODE)
            .unwrap_err()
        };
        assert_eq!(
            error("10001", "-1"),
            "1 validation error detected: Value '10001' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 10000"
        );
        assert_eq!(
            error("-2", "-1"),
            "1 validation error detected: Value '-2' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value greater than or equal to -1"
        );
        assert_eq!(
            error("-1", "604801"),
            "1 validation error detected: Value '604801' at 'maximumRecordAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 604800"
        );
        assert_eq!(
            error("-1", "-7"),
            "1 validation error detected: Value '-7' at 'maximumRecordAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to -1"
        );
        for inside_the_schema_but_refused in ["0", "59"] {
            assert_eq!(
                error("-1", inside_the_schema_but_refused),
                "InvalidParameterValueException: MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)"
            );
        }
        assert_eq!(error("two", "-1"), "Retry attempts must be a whole number (-1 for infinite).");
        assert_eq!(error("1", "1.5"), "Maximum age of record must be a whole number (-1 for infinite).");
        for not_whole in ["99999999999999999999", "+3", "--1", "", " - 1"] {
            assert_eq!(
                error(not_whole, "-1"),
                "Retry attempts must be a whole number (-1 for infinite).",
                "{not_whole:?}"
            );
        }
    }

    #[test]
    fn batch_timeout_and_code_are_checked_as_before() {
        assert_eq!(
            form(|f| f.batch = "0".into()).config(CODE).unwrap_err(),
            "Batch size must be a whole number from 1 to 10000."
        );
        assert_eq!(
            form(|f| f.timeout = "0.05".into()).config(CODE).unwrap_err(),
            "Timeout must be between 0.1 and 900 seconds."
        );
        assert!(form(|f| f.timeout = "1.2345".into()).config(CODE).is_err());
        assert!(TriggerForm::default()
            .config("console.log(1)")
            .unwrap_err()
            .starts_with("The code must export"));
    }

    #[test]
    fn a_running_triggers_settings_show_as_they_were_typed() {
        let typed = form(|f| {
            f.batch = "10".into();
            f.position = "LATEST".into();
            f.timeout = "1.5".into();
            f.retries = "3".into();
            f.max_age = "120".into();
            f.bisect = true;
            f.on_failure = true;
        });
        let config = typed.config(CODE).unwrap();
        let mut shown = TriggerForm::default();
        shown.show(&config);
        assert_eq!(shown, typed);
    }
}
