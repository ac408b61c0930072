//! Scripts: a list of requests run in order against an engine, and the log of what each got
//! back. A lab's setup and its "show me" are scripts; a host records a learner's own requests
//! into the same [`Exchange`] form, so one set of checks reads both.

use dynaplay_engine::{ApiResult, Engine};
use serde_json::{Map, Value};

use crate::read::Fields;

/// One request of a script: an operation the engine's registry knows (a DynamoDB one such as
/// `PutItem`, or a playground one such as `PlaygroundAdvanceTime`) and its request body in
/// DynamoDB's JSON wire format.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The operation name, as in `X-Amz-Target` without the service prefix.
    pub op: String,
    /// The request body; an operation that takes no members may leave it out (`{}`).
    pub request: Value,
    /// The Region it is sent to (a global table's other replicas); `None`: the engine's own.
    pub region: Option<String>,
}

impl Step {
    /// Whether only the page's full engine serves it: an operation of a feature its first load
    /// leaves out, or a request to another Region.
    pub fn needs_full_engine(&self) -> bool {
        let full_only = dynaplay_engine::operation(&self.op).is_some_and(|spec| spec.full_only);
        full_only || self.region.is_some() || self.request.get("ReplicaUpdates").is_some()
    }

    /// A request in the engine's own Region.
    pub fn new(op: impl Into<String>, request: Value) -> Self {
        Self { op: op.into(), request, region: None }
    }

    /// Reads `{"op": …, "request": {…}}`; `path` names the place in the file for the error.
    /// Unknown members and operations the engine does not know are refused, so a misspelt
    /// `"requets"` or `"GetItme"` in a content file cannot go unnoticed.
    pub fn from_json(value: &Value, path: &str) -> Result<Self, String> {
        let mut fields = Fields::of(value, path)?;
        let op = fields.string("op")?;
        if cfg!(feature = "authoring") && dynaplay_engine::operation(&op).is_none() {
            return Err(format!("{path}.op: no operation is called \"{op}\""));
        }
        let request = fields.optional("request").cloned().unwrap_or_else(|| Value::Object(Map::new()));
        let region = fields.optional_string("region")?;
        fields.finish()?;
        if cfg!(feature = "authoring") {
            check_lab_time(&request, &format!("{path}.request"))?;
        }
        Ok(Self { op, request, region })
    }

    /// The request as it is sent at engine time `now_ms`: every lab-time operator replaced by
    /// its value (see [`SECONDS_BEFORE_NOW`]).
    pub fn resolved(&self, now_ms: u64) -> Value {
        let mut request = self.request.clone();
        resolve(&mut request, now_ms);
        request
    }

    /// Whether the request holds a lab-time operator (its value depends on when it is sent).
    pub fn has_lab_time(&self) -> bool {
        fn any(v: &Value) -> bool {
            match v {
                Value::Object(m) => m.contains_key(SECONDS_BEFORE_NOW) || m.values().any(any),
                Value::Array(a) => a.iter().any(any),
                _ => false,
            }
        }
        any(&self.request)
    }

    /// The step as JSON, as a lab file writes it (what "show me" displays).
    pub fn to_json(&self) -> Value {
        let mut out = Map::with_capacity(2);
        out.insert("op".into(), Value::String(self.op.clone()));
        out.insert("request".into(), self.request.clone());
        if let Some(region) = &self.region {
            out.insert("region".into(), Value::String(region.clone()));
        }
        Value::Object(out)
    }
}

/// Lab time: `{"$secondsBeforeNow": N}` in a request stands for the engine time N seconds
/// before the request is sent, as epoch seconds (a number, as DynamoDB's timestamps are) —
/// what a lab writes for `RestoreDateTime`, since the page's engine clock starts at the real
/// time and no absolute time can be written in the file. With the lab's clock paused, "N
/// seconds before now" names the same moment of the lab's story every time it runs.
pub const SECONDS_BEFORE_NOW: &str = "$secondsBeforeNow";

/// Replaces every lab-time operator in `value` by its value at `now_ms`, in place (the page's
/// first load has this: its lab workspace replays the steps done; kept small for it).
fn resolve(value: &mut Value, now_ms: u64) {
    match value {
        Value::Object(members) => match members.get(SECONDS_BEFORE_NOW).and_then(Value::as_f64) {
            Some(seconds) if members.len() == 1 => {
                let ms = now_ms.saturating_sub((seconds * 1000.0) as u64);
                *value = Value::from(ms as f64 / 1000.0);
            }
            _ => members.values_mut().for_each(|v| resolve(v, now_ms)),
        },
        Value::Array(entries) => entries.iter_mut().for_each(|v| resolve(v, now_ms)),
        _ => {}
    }
}

/// Refuses a misused or unknown operator in a request: an object whose members all start with
/// `$` must be exactly `{"$secondsBeforeNow": <a number ≥ 0>}` (DynamoDB's own members never
/// start with `$`, so a misspelt operator cannot pass as one).
fn check_lab_time(value: &Value, path: &str) -> Result<(), String> {
    match value {
        Value::Object(members) if !members.is_empty() && members.keys().all(|k| k.starts_with('$')) => {
            let seconds = members.get(SECONDS_BEFORE_NOW).filter(|_| members.len() == 1);
            match seconds {
                Some(n) if n.as_f64().is_some_and(|n| n >= 0.0 && n.is_finite()) => Ok(()),
                Some(n) => Err(format!("{path}: {SECONDS_BEFORE_NOW} takes a number of seconds ≥ 0, not {n}")),
                None => Err(format!(
                    "{path}: unknown request operator {} (the only one is {SECONDS_BEFORE_NOW}, alone in its object)",
                    members.keys().find(|k| *k != SECONDS_BEFORE_NOW).map_or(SECONDS_BEFORE_NOW, String::as_str)
                )),
            }
        }
        Value::Object(members) => {
            members.iter().try_for_each(|(k, v)| check_lab_time(v, &format!("{path}.{k}")))
        }
        Value::Array(entries) => {
            entries.iter().enumerate().try_for_each(|(i, v)| check_lab_time(v, &format!("{path}[{i}]")))
        }
        _ => Ok(()),
    }
}

/// Reads a list of steps (`path` names it for errors).
pub fn steps_from_json(value: &Value, path: &str) -> Result<Vec<Step>, String> {
    crate::read::list(value, path, Step::from_json)
}

/// What the engine answered one request: the response body, or the error body as it goes on
/// the wire (`__type`, `message` and any extra members such as `CancellationReasons`).
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The request succeeded with this response.
    Response(Value),
    /// The request failed with this error body.
    Error(Value),
}

/// One request and its answer, as a script ran it or a host saw a learner send it.
#[derive(Clone, Debug, PartialEq)]
pub struct Exchange {
    /// The operation name.
    pub op: String,
    /// The request body as sent.
    pub request: Value,
    /// What came back.
    pub outcome: Outcome,
    /// Engine time (ms since the epoch) once the request had run.
    pub at_ms: u64,
    /// The Region it was sent to; `None`: the engine's own.
    pub region: Option<String>,
}

impl Exchange {
    /// Runs one request on the engine and records the exchange.
    pub fn perform(engine: &mut Engine, op: &str, request: Value) -> Self {
        let result = engine.handle_json(op, request.clone());
        Self::record(op, request, &result, engine.now())
    }

    /// Runs one request of a script (in its Region) and records the exchange.
    /// Lab-time operators are resolved at the engine's time as it is sent; the exchange
    /// records the request as sent.
    pub fn perform_step(engine: &mut Engine, step: &Step) -> Self {
        let request = step.resolved(engine.now());
        match &step.region {
            None => Self::perform(engine, &step.op, request),
            Some(region) => {
                let result = engine.handle_json_in(region, &step.op, request.clone());
                Self::record(&step.op, request, &result, engine.now()).in_region(Some(region))
            }
        }
    }

    /// The same exchange, sent to `region`.
    pub fn in_region(mut self, region: Option<&str>) -> Self {
        self.region = region.map(str::to_owned);
        self
    }

    /// Records a request a host ran itself, from the engine's result.
    pub fn record(op: &str, request: Value, result: &ApiResult<Value>, at_ms: u64) -> Self {
        let outcome = match result {
            Ok(response) => Outcome::Response(response.clone()),
            Err(error) => Outcome::Error(error.to_json()),
        };
        Self { op: op.to_owned(), request, outcome, at_ms, region: None }
    }

    /// Whether the request succeeded.
    pub fn is_ok(&self) -> bool {
        matches!(self.outcome, Outcome::Response(_))
    }

    /// The response body, when the request succeeded.
    pub fn response(&self) -> Option<&Value> {
        match &self.outcome {
            Outcome::Response(response) => Some(response),
            Outcome::Error(_) => None,
        }
    }

    /// The error body, when the request failed.
    pub fn error(&self) -> Option<&Value> {
        match &self.outcome {
            Outcome::Response(_) => None,
            Outcome::Error(body) => Some(body),
        }
    }

    /// The error's name as SDKs read it (`ConditionalCheckFailedException`: the part of
    /// `__type` after its namespace), when the request failed.
    pub fn error_name(&self) -> Option<&str> {
        let type_name = self.error()?.get("__type")?.as_str()?;
        Some(type_name.rsplit('#').next().unwrap_or(type_name))
    }

    /// The error's `message`, when the request failed.
    pub fn error_message(&self) -> Option<&str> {
        self.error()?.get("message")?.as_str()
    }

    /// The capacity units the response reports consumed, summed over every table its
    /// `ConsumedCapacity` names (one object, or a list for batches and transactions). `None`
    /// when the response carries none (a request without `ReturnConsumedCapacity`, or an
    /// error).
    pub fn consumed_capacity(&self) -> Option<f64> {
        let consumed = self.response()?.get("ConsumedCapacity")?;
        let units = |entry: &Value| entry.get("CapacityUnits").and_then(Value::as_f64);
        match consumed {
            Value::Array(entries) => entries.iter().map(units).sum(),
            entry => units(entry),
        }
    }

    /// The exchange as JSON: `{"op", "request", "response"}` or `{"op", "request", "error"}`,
    /// with `"atMs"`. A host stores a learner's log in this form and reads it back with
    /// [`Exchange::from_json`].
    pub fn to_json(&self) -> Value {
        let mut out = Map::with_capacity(4);
        out.insert("op".into(), Value::String(self.op.clone()));
        out.insert("request".into(), self.request.clone());
        match &self.outcome {
            Outcome::Response(body) => out.insert("response".into(), body.clone()),
            Outcome::Error(body) => out.insert("error".into(), body.clone()),
        };
        out.insert("atMs".into(), Value::from(self.at_ms));
        if let Some(region) = &self.region {
            out.insert("region".into(), Value::String(region.clone()));
        }
        Value::Object(out)
    }

    /// An exchange stored with [`Exchange::to_json`]; `None` for anything else.
    pub fn from_json(stored: &Value) -> Option<Self> {
        let op = stored.get("op")?.as_str()?.to_owned();
        let request = stored.get("request")?.clone();
        let outcome = match (stored.get("response"), stored.get("error")) {
            (Some(body), None) => Outcome::Response(body.clone()),
            (None, Some(body)) => Outcome::Error(body.clone()),
            _ => return None,
        };
        let at_ms = stored.get("atMs")?.as_u64()?;
        let region = stored.get("region").and_then(Value::as_str).map(str::to_owned);
        Some(Self { op, request, outcome, at_ms, region })
    }
}

/// Runs every step in order, whatever each answers, and returns the log.
pub fn run(engine: &mut Engine, steps: &[Step]) -> Vec<Exchange> {
    steps.iter().map(|step| Exchange::perform_step(engine, step)).collect()
}

/// Runs the steps in order and stops at the first that fails: what a lab's setup does, which
/// must build its workspace without a single error. The error names the step (counted from
/// 0), its operation and the engine's error.
pub fn run_clean(engine: &mut Engine, steps: &[Step]) -> Result<Vec<Exchange>, String> {
    let mut log = Vec::with_capacity(steps.len());
    for (index, step) in steps.iter().enumerate() {
        let exchange = Exchange::perform_step(engine, step);
        if !exchange.is_ok() {
            return Err(format!(
                "step {index} ({}) failed: {}: {}",
                step.op,
                exchange.error_name().unwrap_or("?"),
                exchange.error_message().unwrap_or("")
            ));
        }
        log.push(exchange);
    }
    Ok(log)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn steps(value: Value) -> Vec<Step> {
        steps_from_json(&value, "steps").unwrap()
    }

    fn music_table() -> Value {
        json!({"op": "CreateTable", "request": {
            "TableName": "Music",
            "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"},
                          {"AttributeName": "Song", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"},
                                     {"AttributeName": "Song", "AttributeType": "S"}],
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}})
    }

    #[test]
    fn run_logs_every_exchange_in_order_with_responses_and_errors() {
        let mut engine = Engine::new();
        let log = run(
            &mut engine,
            &steps(json!([
                music_table(),
                {"op": "PutItem", "request": {"TableName": "Music",
                    "Item": {"Artist": {"S": "A"}, "Song": {"S": "S1"}},
                    "ReturnConsumedCapacity": "TOTAL"}},
                {"op": "PutItem", "request": {"TableName": "Music",
                    "Item": {"Artist": {"S": "A"}, "Song": {"S": "S1"}},
                    "ConditionExpression": "attribute_not_exists(Artist)"}},
                {"op": "GetItem", "request": {"TableName": "Music",
                    "Key": {"Artist": {"S": "A"}, "Song": {"S": "S1"}},
                    "ReturnConsumedCapacity": "TOTAL"}}
            ])),
        );
        let ops: Vec<&str> = log.iter().map(|e| e.op.as_str()).collect();
        assert_eq!(ops, ["CreateTable", "PutItem", "PutItem", "GetItem"]);
        assert!(log[0].is_ok());
        assert_eq!(log[1].consumed_capacity(), Some(1.0));
        assert_eq!(log[2].error_name(), Some("ConditionalCheckFailedException"));
        assert_eq!(log[2].error_message(), Some("The conditional request failed"));
        assert_eq!(log[2].consumed_capacity(), None);
        assert_eq!(log[3].consumed_capacity(), Some(0.5));
        assert_eq!(log[3].response().unwrap()["Item"]["Song"], json!({"S": "S1"}));
    }

    #[test]
    fn playground_operations_run_like_any_other() {
        let mut engine = Engine::new();
        let log = run(
            &mut engine,
            &steps(json!([{"op": "PlaygroundAdvanceTime", "request": {"Milliseconds": 5000}}])),
        );
        assert!(log[0].is_ok(), "{:?}", log[0]);
        assert_eq!(engine.now(), 5000);
        assert_eq!(log[0].at_ms, 5000);
    }

    #[test]
    fn unknown_operations_and_bad_bodies_are_logged_errors_not_panics() {
        let mut engine = Engine::new();
        let mut script = vec![Step::new("NoSuchOp", json!({}))];
        script.extend(steps(json!([
            {"op": "PutItem", "request": "not an object"},
            {"op": "ListTables"}
        ])));
        let log = run(&mut engine, &script);
        assert_eq!(log[0].error_name(), Some("UnknownOperationException"));
        assert!(log[1].error_name().is_some());
        assert!(log[2].is_ok(), "a step without a request sends {{}}");
    }

    #[test]
    fn a_step_may_name_its_region_and_the_log_keeps_it() {
        let mut engine = Engine::new();
        let script = steps(json!([
            music_table(),
            {"op": "ListTables", "region": "us-west-2"},
            {"op": "UpdateTable", "request": {"TableName": "Music",
                "ReplicaUpdates": [{"Create": {"RegionName": "us-west-2"}}]}}
        ]));
        assert_eq!(script[1].to_json()["region"], "us-west-2");
        let log = run(&mut engine, &script);
        assert_eq!(log[1].response().unwrap()["TableNames"], json!([]), "us-west-2 has no table yet");
        assert_eq!(log[1].region.as_deref(), Some("us-west-2"));
        let stored = log[1].to_json();
        assert_eq!(Exchange::from_json(&stored).unwrap(), log[1]);
        // Music is provisioned: DynamoDB's refusal comes back through the script.
        assert_eq!(
            log[2].error_message(),
            Some("Table write capacity should either be Pay-Per-Request or AutoScaled.")
        );
    }

    #[test]
    fn run_clean_stops_at_the_first_failure_and_names_it() {
        let mut engine = Engine::new();
        let err = run_clean(
            &mut engine,
            &steps(json!([
                music_table(),
                music_table(),
                {"op": "ListTables"}
            ])),
        )
        .unwrap_err();
        assert!(err.starts_with("step 1 (CreateTable) failed: ResourceInUseException"), "{err}");
        let ok = run_clean(&mut Engine::new(), &steps(json!([music_table()]))).unwrap();
        assert_eq!(ok.len(), 1);
    }

    #[test]
    fn consumed_capacity_sums_a_list_of_tables() {
        let exchange = Exchange {
            op: "BatchGetItem".into(),
            request: json!({}),
            outcome: Outcome::Response(json!({"ConsumedCapacity": [
                {"TableName": "A", "CapacityUnits": 1.5}, {"TableName": "B", "CapacityUnits": 2.0}
            ]})),
            at_ms: 0,
            region: None,
        };
        assert_eq!(exchange.consumed_capacity(), Some(3.5));
    }

    #[test]
    fn stored_exchanges_read_back_the_same() {
        let mut engine = Engine::new();
        let log = run(
            &mut engine,
            &steps(json!([music_table(), {"op": "DescribeTable", "request": {"TableName": "X"}}])),
        );
        for exchange in &log {
            assert_eq!(Exchange::from_json(&exchange.to_json()).as_ref(), Some(exchange));
        }
        assert_eq!(Exchange::from_json(&json!({"op": "X"})), None);
        assert_eq!(Exchange::from_json(&json!({"op": "X", "request": {}, "atMs": 1})), None);
    }

    #[test]
    fn seconds_before_now_is_resolved_when_the_request_is_sent() {
        let mut engine = Engine::new();
        engine.set_now(1_750_000_000_250);
        let script = steps(json!([
            {"op": "PlaygroundAdvanceTime", "request": {"Milliseconds": 30000}},
            {"op": "ListBackups", "request": {"TimeRangeLowerBound": {"$secondsBeforeNow": 31},
                                              "TimeRangeUpperBound": {"$secondsBeforeNow": 0.5}}}
        ]));
        assert!(script[1].has_lab_time() && !script[0].has_lab_time());
        // Resolved against the time it is sent at, after the advance, in epoch seconds.
        assert_eq!(
            script[1].resolved(1_750_000_030_250),
            json!({"TimeRangeLowerBound": 1_749_999_999.25, "TimeRangeUpperBound": 1_750_000_029.75})
        );
        let log = run(&mut engine, &script);
        assert!(log[1].is_ok(), "{:?}", log[1]);
        assert_eq!(
            log[1].request["TimeRangeLowerBound"],
            json!(1_749_999_999.25),
            "the log keeps what was sent"
        );
        // Nested in lists and objects too; before the epoch it stops at 0.
        let nested = Step::new("X", json!({"A": [{"B": {"$secondsBeforeNow": 2}}]}));
        assert_eq!(nested.resolved(5_000), json!({"A": [{"B": 3.0}]}));
        assert_eq!(nested.resolved(1_000), json!({"A": [{"B": 0.0}]}));
        // The file's form is kept for display before sending.
        assert_eq!(nested.to_json()["request"]["A"][0]["B"], json!({"$secondsBeforeNow": 2}));
    }

    #[test]
    fn unknown_and_misused_request_operators_are_refused() {
        let refused = |request: Value| {
            steps_from_json(&json!([{"op": "RestoreTableToPointInTime", "request": request}]), "steps")
                .unwrap_err()
        };
        assert_eq!(
            refused(json!({"RestoreDateTime": {"$minutesBeforeNow": 1}})),
            "steps[0].request.RestoreDateTime: unknown request operator $minutesBeforeNow (the only one is $secondsBeforeNow, alone in its object)"
        );
        assert_eq!(
            refused(json!({"RestoreDateTime": {"$secondsBeforeNow": "10"}})),
            "steps[0].request.RestoreDateTime: $secondsBeforeNow takes a number of seconds ≥ 0, not \"10\""
        );
        assert!(refused(json!({"RestoreDateTime": {"$secondsBeforeNow": -1}})).contains("≥ 0, not -1"));
        assert!(refused(json!({"A": [{"$secondsBeforeNow": 1, "$x": 2}]}))
            .starts_with("steps[0].request.A[0]: unknown request operator $x"));
        // An ordinary object with some `$` member is not an operator; a lone, well-formed one is fine.
        assert!(
            steps_from_json(&json!([{"op": "ListTables", "request": {"X": {"$a": 1, "b": 2}}}]), "s").is_ok()
        );
        assert!(steps_from_json(
            &json!([{"op": "ListTables", "request": {"X": {"$secondsBeforeNow": 0}}}]),
            "s"
        )
        .is_ok());
    }

    #[test]
    fn steps_refuse_unknown_fields() {
        let bad = steps_from_json(&json!([{"op": "ListTables", "requets": {}}]), "setup");
        assert_eq!(bad.unwrap_err(), "setup[0]: unknown member \"requets\"");
        let bad = steps_from_json(&json!([{"op": "GetItme"}]), "setup");
        assert_eq!(bad.unwrap_err(), "setup[0].op: no operation is called \"GetItme\"");
        let bad = steps_from_json(&json!([{"request": {}}]), "setup");
        assert_eq!(bad.unwrap_err(), "setup[0]: \"op\" is missing");
        let step = Step::from_json(&json!({"op": "ListTables", "request": {"Limit": 1}}), "s");
        let step = step.unwrap();
        assert_eq!(Step::from_json(&step.to_json(), "s"), Ok(step));
    }
}
