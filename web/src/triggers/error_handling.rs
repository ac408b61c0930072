//! What an event source mapping does with a batch its function fails on, as Lambda documents it
//! for DynamoDB Streams: the settings (`MaximumRetryAttempts`, `MaximumRecordAgeInSeconds`,
//! `BisectBatchOnFunctionError`, `DestinationConfig.OnFailure`), their validation with Lambda's
//! own messages, and the invocation record a discarded batch sends to the on-failure
//! destination. Platform-free and tested natively; the polling that applies them is
//! `event_source.rs`, the page's failed-event destination `registry.rs`.

use dynaplay_engine::iso8601_millis;
use serde_json::Value;

use super::lambda;

/// Most retries `MaximumRetryAttempts` allows (-1 is infinite).
pub const MAX_RETRY_ATTEMPTS: i64 = 10_000;
/// Least and most `MaximumRecordAgeInSeconds` allows (-1 is infinite).
pub const RECORD_AGE_RANGE_S: (i64, i64) = (60, 604_800);
/// The on-failure destination a playground trigger can have: a list in the page that stands
/// in for the SQS queue or SNS topic a real mapping names by ARN.
pub const IN_PAGE_DESTINATION: &str = "dynaplay:failed-event-destination";

/// The error-handling settings of a mapping; the default is Lambda's: retry until the records
/// expire, no maximum age, no splitting, no destination.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorHandling {
    /// `MaximumRetryAttempts`: retries of a failing batch before it is discarded; -1 = until
    /// its records expire.
    pub maximum_retry_attempts: i32,
    /// `MaximumRecordAgeInSeconds`: a batch whose oldest record is older is discarded rather
    /// than invoked; -1 = the stream's 24-hour retention.
    pub maximum_record_age_s: i32,
    /// `BisectBatchOnFunctionError`: a failing batch is split in two and each half retried.
    pub bisect_batch_on_function_error: bool,
    /// `DestinationConfig.OnFailure`: discarded batches' invocation records go to the page's
    /// failed-event destination.
    pub on_failure: bool,
}

impl Default for ErrorHandling {
    fn default() -> Self {
        Self {
            maximum_retry_attempts: -1,
            maximum_record_age_s: -1,
            bisect_batch_on_function_error: false,
            on_failure: false,
        }
    }
}

/// Why a batch was discarded: the `condition` of its invocation record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Condition {
    /// It failed `MaximumRetryAttempts` retries.
    RetryAttemptsExhausted,
    /// Its oldest record passed `MaximumRecordAgeInSeconds` (or the stream's retention).
    RecordAgeExceeded,
}

impl Condition {
    /// The name Lambda gives it.
    pub fn name(self) -> &'static str {
        match self {
            Self::RetryAttemptsExhausted => "RetryAttemptsExhausted",
            Self::RecordAgeExceeded => "RecordAgeExceeded",
        }
    }
}

impl ErrorHandling {
    /// Adds the settings to a stored mapping, under the names of Lambda's API.
    pub fn store(&self, out: &mut Value) {
        out["MaximumRetryAttempts"] = Value::from(self.maximum_retry_attempts);
        out["MaximumRecordAgeInSeconds"] = Value::from(self.maximum_record_age_s);
        out["BisectBatchOnFunctionError"] = Value::from(self.bisect_batch_on_function_error);
        // GetEventSourceMapping shows an unset destination as an empty OnFailure. (Parsed from
        // text: a nested `json!` costs the bundle more than the parser, which it has anyway.)
        let destination: &[u8] = match self.on_failure {
            true => br#"{"OnFailure":{"Destination":"dynaplay:failed-event-destination"}}"#,
            false => br#"{"OnFailure":{}}"#,
        };
        out["DestinationConfig"] = serde_json::from_slice(destination).unwrap_or_default();
    }

    /// Reads the settings of a stored mapping. A member it lacks (stored before these settings
    /// existed) takes Lambda's default; one out of range refuses the mapping (`None`).
    pub fn load(v: &Value) -> Option<Self> {
        let number = |member: &str, check: fn(i64) -> Result<i32, String>| match v.get(member) {
            None | Some(Value::Null) => Some(-1),
            Some(n) => check(n.as_i64()?).ok(),
        };
        Some(Self {
            maximum_retry_attempts: number("MaximumRetryAttempts", retry_attempts)?,
            maximum_record_age_s: number("MaximumRecordAgeInSeconds", record_age)?,
            bisect_batch_on_function_error: v["BisectBatchOnFunctionError"].as_bool().unwrap_or(false),
            on_failure: v["DestinationConfig"]["OnFailure"]["Destination"]
                .as_str()
                .is_some_and(|d| !d.is_empty()),
        })
    }

    /// Whether a batch that has used `retries` retries has a retry left.
    pub fn may_retry(&self, retries: u32) -> bool {
        u32::try_from(self.maximum_retry_attempts).map_or(true, |max| retries < max)
    }

    /// How old (ms) a batch's oldest record may be before the batch is discarded: the maximum
    /// age, or the stream's retention when there is none.
    pub fn age_limit_ms(&self) -> u64 {
        u64::try_from(self.maximum_record_age_s).map_or(lambda::RETENTION_MS, |s| s * 1000)
    }

    /// Whether the batch `records` is past its age limit at `now_ms` (engine time).
    pub fn too_old(&self, records: &[Value], now_ms: u64) -> bool {
        let limit = self.age_limit_ms();
        records.iter().filter_map(lambda::record_time_ms).min().is_some_and(|t| now_ms > t + limit)
    }

    /// The settings in a line, as a trigger's log shows them.
    pub fn summary(&self) -> String {
        let or_infinite = |n: i32, unit: &str| match n {
            -1 => "-1 (infinite)".to_string(),
            n => format!("{n}{unit}"),
        };
        format!(
            "MaximumRetryAttempts {}, MaximumRecordAgeInSeconds {}, BisectBatchOnFunctionError {}, on-failure destination {}",
            or_infinite(self.maximum_retry_attempts, ""),
            or_infinite(self.maximum_record_age_s, " s"),
            self.bisect_batch_on_function_error,
            if self.on_failure { "the page's failed-event list" } else { "none" }
        )
    }
}

/// The message of Lambda's request validation for a number out of its member's range.
fn out_of_range(value: i64, member: &str, min: i64, max: i64) -> Option<String> {
    let bound = if value < min {
        format!("greater than or equal to {min}")
    } else if value > max {
        format!("less than or equal to {max}")
    } else {
        return None;
    };
    Some(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must have value {bound}"
    ))
}

/// `MaximumRetryAttempts` checked as Lambda checks it: -1 or 0 to 10000.
pub fn retry_attempts(n: i64) -> Result<i32, String> {
    match out_of_range(n, "maximumRetryAttempts", -1, MAX_RETRY_ATTEMPTS) {
        Some(message) => Err(message),
        None => i32::try_from(n).map_err(|e| e.to_string()),
    }
}

/// `MaximumRecordAgeInSeconds` checked as Lambda checks it: its schema allows -1 to 604800,
/// then the service refuses 0 to 59.
pub fn record_age(n: i64) -> Result<i32, String> {
    let (min, max) = RECORD_AGE_RANGE_S;
    if let Some(message) = out_of_range(n, "maximumRecordAgeInSeconds", -1, max) {
        return Err(message);
    }
    if (0..min).contains(&n) {
        return Err(format!(
            "InvalidParameterValueException: MaximumRecordAgeInSeconds must be either -1 (forever) or between {min} and {max} (inclusive)"
        ));
    }
    i32::try_from(n).map_err(|e| e.to_string())
}

/// What the mapping knows of a batch it discards.
pub struct Discard<'a> {
    /// The batch's records, as GetRecords returned them.
    pub records: &'a [Value],
    /// The shard they were read from.
    pub shard: &'a str,
    /// The stream.
    pub stream_arn: &'a str,
    /// Why it is discarded.
    pub condition: Condition,
    /// Invocations of this batch (0 when it was too old to be invoked at all).
    pub invocations: u32,
    /// The RequestId of its last invocation (or of the discard itself).
    pub request_id: &'a str,
    /// When (engine time, ms).
    pub now_ms: u64,
}

/// The function a playground trigger stands for, named after its table, in the stream's region
/// and account: `arn:aws:lambda:us-east-1:000000000000:function:Orders-trigger`.
pub fn function_arn(stream_arn: &str) -> String {
    let mut parts = stream_arn.split(':');
    let region = parts.nth(3).unwrap_or("");
    let account = parts.next().unwrap_or("");
    let table =
        parts.next().and_then(|r| r.strip_prefix("table/")).and_then(|r| r.split('/').next()).unwrap_or("");
    format!("arn:aws:lambda:{region}:{account}:function:{table}-trigger")
}

/// An ISO 8601 time (UTC) from engine milliseconds, to the millisecond or to the second.
fn iso(ms: u64, millis: bool) -> String {
    let text = iso8601_millis(ms);
    match millis {
        true => format!("{text}Z"),
        false => format!("{}Z", text.split('.').next().unwrap_or(&text)),
    }
}

/// A record's sequence number.
fn sequence_number(record: Option<&Value>) -> &str {
    record.and_then(|r| r["dynamodb"]["SequenceNumber"].as_str()).unwrap_or("")
}

/// The invocation record Lambda sends an SQS queue or SNS topic on-failure destination for a
/// discarded DynamoDB Streams batch — the batch described, not its records (they stay in the
/// stream until they expire) — as indented JSON text, its members in the order Lambda's
/// documentation shows them. Written as text, not built as a `Value`: a `json!` of this shape
/// costs the bundle kilobytes, and a `Value` would sort the members.
pub fn invocation_record(d: &Discard) -> String {
    let quoted = |text: &str| Value::from(text).to_string();
    let arrival = |r: Option<&Value>| {
        r.and_then(lambda::record_time_ms).map_or("null".into(), |t| quoted(&iso(t, false)))
    };
    let response = match d.invocations {
        // Never invoked: there is no function response to describe.
        0 => "",
        // The function ran and failed: an error it threw, a timeout, a result it could not return.
        _ => "\n  \"responseContext\": {\n    \"statusCode\": 200,\n    \"executedVersion\": \"$LATEST\",\n    \"functionError\": \"Unhandled\"\n  },",
    };
    format!(
        r#"{{
  "requestContext": {{
    "requestId": {},
    "functionArn": {},
    "condition": "{}",
    "approximateInvokeCount": {}
  }},{response}
  "version": "1.0",
  "timestamp": "{}",
  "DDBStreamBatchInfo": {{
    "shardId": {},
    "startSequenceNumber": {},
    "endSequenceNumber": {},
    "approximateArrivalOfFirstRecord": {},
    "approximateArrivalOfLastRecord": {},
    "batchSize": {},
    "streamArn": {}
  }}
}}"#,
        quoted(d.request_id),
        quoted(&function_arn(d.stream_arn)),
        d.condition.name(),
        d.invocations,
        iso(d.now_ms, true),
        quoted(d.shard),
        quoted(sequence_number(d.records.first())),
        quoted(sequence_number(d.records.last())),
        arrival(d.records.first()),
        arrival(d.records.last()),
        d.records.len(),
        quoted(d.stream_arn),
    )
}

/// The discarded batch in a line, for the log and the destination's list: condition, shard,
/// batch size, sequence-number range and invocations.
pub fn describe(d: &Discard) -> String {
    format!(
        "{} · {} · {} · sequence numbers {} – {} · invoked {}×",
        d.condition.name(),
        super::event_source::short_shard(d.shard),
        crate::fixed::plural(d.records.len() as u64, "record"),
        sequence_number(d.records.first()),
        sequence_number(d.records.last()),
        d.invocations
    )
}
