//! Checks: what must be true once a learner has done a step, as data. A check is a list of
//! predicates that must all hold, over the requests sent during the step (the log of
//! [`Exchange`]s) and over the engine's state. Each predicate carries the sentence a learner
//! reads when it does not hold (`missing`), and evaluation adds what was seen instead.
//!
//! ```json
//! [
//!   {"sent": {"op": "Query", "request": {"IndexName": "ByEmail"}, "response": {"Count": 1}},
//!    "missing": "Query the ByEmail index for one user's email."},
//!   {"item": {"table": "Users", "key": {"UserId": {"S": "u1"}}, "attributes": {"Version": {"N": "2"}}},
//!    "missing": "The user's Version should be 2 after your update."},
//!   {"state": {"op": "DescribeTable", "request": {"TableName": "Users"},
//!              "response": {"Table": {"ItemCount": 3}}},
//!    "missing": "The table should hold 3 items."}
//! ]
//! ```
//!
//! - `sent`: at least `times` (default 1) requests of operation `op` were sent during the step
//!   whose request matches the `request` pattern, which succeeded (or, with `error`, failed
//!   with the error of that name), whose response (error body) matches `response`, and whose
//!   ConsumedCapacity summed to `consumed` units. Members left out are not asked about.
//! - `item`: the item with primary key `key` is in `table` (`"exists": false`: is not) and
//!   matches the `attributes` pattern. Read without charging capacity ([`Engine::peek_item`]).
//! - `state`: a read-only operation that charges no capacity (`DescribeTable`,
//!   `PlaygroundDescribePartitions`, `PlaygroundDescribeHotKeys`, `DescribeStream`…) answers
//!   a response matching `response`.
//!
//! Patterns are those of [`crate::pattern`].

use dynaplay_engine::Engine;
use serde_json::Value;

use crate::pattern;
use crate::read::{self, Fields};
use crate::script::Exchange;

/// A step's check: every predicate must hold.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    /// The predicates, in the order a learner is told about them.
    pub predicates: Vec<Predicate>,
}

/// One thing a check asks for, with the sentence that says it is missing.
#[derive(Clone, Debug, PartialEq)]
pub struct Predicate {
    /// What must hold.
    pub test: Test,
    /// Said to the learner when it does not hold: what they have not done yet.
    pub missing: String,
}

/// What a predicate tests.
#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    /// Requests sent during the step.
    Sent(Sent),
    /// An item present or absent, and its attributes.
    Item {
        /// The table.
        table: String,
        /// The item's primary key, as GetItem's `Key`.
        key: Value,
        /// Whether the item must be there (`false`: must not).
        exists: bool,
        /// What its attributes must match, when it must be there.
        attributes: Option<Value>,
        /// The Region whose replica is read; `None`: the engine's own.
        region: Option<String>,
    },
    /// The answer of a read-only, capacity-free operation.
    State {
        /// The operation (`DescribeTable`, `PlaygroundDescribePartitions`…).
        op: String,
        /// Its request.
        request: Value,
        /// What its response must match.
        response: Value,
        /// The Region it is asked in; `None`: the engine's own.
        region: Option<String>,
    },
}

/// What requests sent during a step must look like (see the module docs).
#[derive(Clone, Debug, PartialEq)]
pub struct Sent {
    /// The operation.
    pub op: String,
    /// A pattern the request must match.
    pub request: Option<Value>,
    /// A pattern the response must match (with `error`: the error body).
    pub response: Option<Value>,
    /// The error the request must have failed with (`ConditionalCheckFailedException`).
    pub error: Option<String>,
    /// The capacity units its ConsumedCapacity must sum to.
    pub consumed: Option<f64>,
    /// How many such requests are needed.
    pub times: u64,
    /// The Region they must have been sent to; `None`: any.
    pub region: Option<String>,
}

/// Why a check does not pass: the author's sentence, and what was seen instead.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    /// The failing predicate's `missing` sentence.
    pub missing: String,
    /// What the playground saw instead (`your last Query: Count is 3, expected 1`).
    pub seen: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.missing, self.seen)
    }
}

impl Check {
    /// Reads a check: a list of predicates (`path` names it in errors). Unknown members,
    /// unknown operations, malformed patterns and `state` operations that could change
    /// anything or charge capacity are refused.
    pub fn from_json(value: &Value, path: &str) -> Result<Self, String> {
        let predicates = read::list(value, path, Predicate::from_json)?;
        if predicates.is_empty() {
            return Err(format!("{path}: a check needs at least one predicate"));
        }
        Ok(Self { predicates })
    }

    /// Whether the check passes now, given the requests sent during the step. The first
    /// predicate that does not hold is the refusal.
    pub fn evaluate(&self, engine: &mut impl Workspace, log: &[Exchange]) -> Result<(), Refusal> {
        for predicate in &self.predicates {
            predicate
                .test
                .evaluate(engine, log)
                .map_err(|seen| Refusal { missing: predicate.missing.clone(), seen })?;
        }
        Ok(())
    }
}

impl Predicate {
    fn from_json(value: &Value, path: &str) -> Result<Self, String> {
        let mut fields = Fields::of(value, path)?;
        let missing = fields.string("missing")?;
        let kinds = [fields.optional("sent"), fields.optional("item"), fields.optional("state")];
        let test = match kinds {
            [Some(sent), None, None] => Test::Sent(Sent::from_json(sent, &format!("{path}.sent"))?),
            [None, Some(item), None] => item_from_json(item, &format!("{path}.item"))?,
            [None, None, Some(state)] => state_from_json(state, &format!("{path}.state"))?,
            _ => {
                return Err(format!("{path}: a predicate is exactly one of \"sent\", \"item\" or \"state\""))
            }
        };
        fields.finish()?;
        Ok(Self { test, missing })
    }
}

impl Sent {
    fn from_json(value: &Value, path: &str) -> Result<Self, String> {
        let mut fields = Fields::of(value, path)?;
        let op = known_operation(fields.string("op")?, path)?;
        let request = optional_pattern(&mut fields, "request", path)?;
        let response = optional_pattern(&mut fields, "response", path)?;
        let error = fields.optional_string("error")?;
        let consumed = fields.optional_f64("consumed")?;
        let times = fields.optional_u64("times")?.unwrap_or(1).max(1);
        let region = fields.optional_string("region")?;
        fields.finish()?;
        Ok(Self { op, request, response, error, consumed, times, region })
    }

    /// Why no request (or too few) fits, said about the latest of this operation.
    fn evaluate(&self, log: &[Exchange]) -> Result<(), String> {
        let mut found = 0;
        let mut latest_mismatch = None;
        for exchange in log.iter().filter(|e| e.op == self.op) {
            match self.mismatch(exchange) {
                None => found += 1,
                Some(why) => latest_mismatch = Some(why),
            }
        }
        if found >= self.times {
            return Ok(());
        }
        Err(match (found, latest_mismatch) {
            (0, None) => format!("no {} request has been sent in this step yet", self.op),
            (0, Some(why)) => format!("your last {}: {why}", self.op),
            (found, _) => format!("{found} fitting {} request(s) sent, {} needed", self.op, self.times),
        })
    }

    /// What does not fit in one exchange, or `None` when it fits.
    fn mismatch(&self, exchange: &Exchange) -> Option<String> {
        if let Some(wanted) = &self.region {
            let got = exchange.region.as_deref().unwrap_or("the playground's own Region");
            if got != wanted {
                return Some(format!("it was sent to {got}, expected {wanted}"));
            }
        }
        if let Some(request) = &self.request {
            if let Err(why) = pattern::matches(request, Some(&exchange.request), "request") {
                return Some(why);
            }
        }
        match (&self.error, exchange.error_name()) {
            (Some(wanted), Some(got)) if wanted != got => {
                return Some(format!("it failed with {got}, expected {wanted}"));
            }
            (Some(wanted), None) => return Some(format!("it succeeded, expected it to fail with {wanted}")),
            (None, Some(got)) => {
                return Some(format!("it failed with {got}: {}", exchange.error_message().unwrap_or("")));
            }
            _ => {}
        }
        // With `error`, the response pattern reads the error body (`Item` of a failed
        // condition, `CancellationReasons`).
        if let (Some(response), Some(got)) = (&self.response, exchange.response().or(exchange.error())) {
            if let Err(why) = pattern::matches(response, Some(got), "response") {
                return Some(why);
            }
        }
        if let Some(wanted) = self.consumed {
            match exchange.consumed_capacity() {
                Some(got) if (got - wanted).abs() < 1e-9 => {}
                Some(got) => {
                    return Some(format!(
                        "it consumed {} capacity units, expected {}",
                        units_text(got),
                        units_text(wanted)
                    ))
                }
                None => {
                    return Some(
                        "its response has no ConsumedCapacity (send it with \"ReturnConsumedCapacity\": \"TOTAL\")"
                            .into(),
                    )
                }
            }
        }
        None
    }
}

/// Capacity units as text (`0.5`, `2`), through serde_json's float writer, which the bundle
/// has anyway (core's float formatting it does not).
fn units_text(units: f64) -> String {
    let text = Value::from(units).to_string();
    match text.strip_suffix(".0") {
        Some(whole) => whole.to_owned(),
        None => text,
    }
}

fn item_from_json(value: &Value, path: &str) -> Result<Test, String> {
    let mut fields = Fields::of(value, path)?;
    let table = fields.string("table")?;
    let key = fields.required("key")?.clone();
    let exists = match fields.optional("exists") {
        Some(flag) => flag.as_bool().ok_or_else(|| format!("{path}.exists: expected true or false"))?,
        None => true,
    };
    let attributes = optional_pattern(&mut fields, "attributes", path)?;
    let region = fields.optional_string("region")?;
    fields.finish()?;
    if !exists && attributes.is_some() {
        return Err(format!("{path}: an item that must be absent has no attributes to match"));
    }
    Ok(Test::Item { table, key, exists, attributes, region })
}

fn state_from_json(value: &Value, path: &str) -> Result<Test, String> {
    let mut fields = Fields::of(value, path)?;
    let op = known_operation(fields.string("op")?, path)?;
    // Only when authoring: looking the operation up links the engine's whole registry.
    let spec = if cfg!(feature = "authoring") { dynaplay_engine::operation(&op) } else { None };
    if spec.is_some_and(|spec| spec.mutates || spec.returns_capacity) {
        return Err(format!(
            "{path}: {op} changes the workspace or charges capacity; a check may only look (DescribeTable, PlaygroundDescribePartitions…)"
        ));
    }
    let request = fields.required("request")?.clone();
    let response = fields.required("response")?.clone();
    #[cfg(feature = "authoring")]
    pattern::validate(&response, &format!("{path}.response"))?;
    let region = fields.optional_string("region")?;
    fields.finish()?;
    Ok(Test::State { op, request, response, region })
}

fn known_operation(op: String, path: &str) -> Result<String, String> {
    if !cfg!(feature = "authoring") {
        return Ok(op);
    }
    match dynaplay_engine::operation(&op) {
        Some(_) => Ok(op),
        None => Err(format!("{path}.op: no operation is called \"{op}\"")),
    }
}

fn optional_pattern(
    fields: &mut Fields<'_>,
    name: &'static str,
    path: &str,
) -> Result<Option<Value>, String> {
    match fields.optional(name) {
        Some(value) => {
            #[cfg(feature = "authoring")]
            pattern::validate(value, &format!("{path}.{name}"))?;
            Ok(Some(value.clone()))
        }
        None => Ok(None),
    }
}

impl Test {
    /// `Ok` when it holds, else what was seen.
    fn evaluate(&self, engine: &mut impl Workspace, log: &[Exchange]) -> Result<(), String> {
        match self {
            Test::Sent(sent) => sent.evaluate(log),
            Test::Item { table, key, exists, attributes, region } => {
                let item = match region {
                    None => engine.peek_item(table, key),
                    Some(region) => engine.peek_item_in(region, table, key),
                }
                .map_err(|e| format!("{table}: {e}"))?;
                match (item, exists) {
                    (None, true) => Err(format!("{table} has no item with key {key}")),
                    (Some(_), false) => Err(format!("{table} still has the item with key {key}")),
                    (None, false) => Ok(()),
                    (Some(item), true) => match attributes {
                        Some(pattern) => pattern::matches(pattern, Some(&item), "the item")
                            .map_err(|why| format!("{table}: {why}")),
                        None => Ok(()),
                    },
                }
            }
            Test::State { op, request, response, region } => match match region {
                None => engine.look(op, request.clone()),
                Some(region) => engine.look_in(region, op, request.clone()),
            } {
                Ok(got) => pattern::matches(response, Some(&got), "").map_err(|why| format!("{op}: {why}")),
                Err(error) => Err(format!("{op} failed: {error}")),
            },
        }
    }
}

/// What a check reads the workspace through. The engine is one; the page's teaching module,
/// loaded on demand beside the page's own wasm, reaches the page's engine through JavaScript
/// and is another. Neither may change the workspace or charge capacity.
pub trait Workspace {
    /// The answer of a read-only, capacity-free operation (`DescribeTable`,
    /// `PlaygroundDescribePartitions`…), or its error as `Name: message`.
    fn look(&mut self, op: &str, request: Value) -> Result<Value, String>;
    /// An item by its primary key, read without charging or counting; the error is the
    /// engine's message (no such table…).
    fn peek_item(&mut self, table: &str, key: &Value) -> Result<Option<Value>, String>;
    /// [`Workspace::look`] in another Region (a global table's replica there).
    fn look_in(&mut self, region: &str, op: &str, request: Value) -> Result<Value, String>;
    /// [`Workspace::peek_item`] in another Region.
    fn peek_item_in(&mut self, region: &str, table: &str, key: &Value) -> Result<Option<Value>, String>;
}

impl Workspace for Engine {
    fn look(&mut self, op: &str, request: Value) -> Result<Value, String> {
        self.handle_json(op, request).map_err(|e| format!("{}: {}", e.kind.name(), e.message))
    }

    fn peek_item(&mut self, table: &str, key: &Value) -> Result<Option<Value>, String> {
        Engine::peek_item(self, table, key).map_err(|e| e.message)
    }

    fn look_in(&mut self, region: &str, op: &str, request: Value) -> Result<Value, String> {
        self.handle_json_in(region, op, request).map_err(|e| format!("{}: {}", e.kind.name(), e.message))
    }

    fn peek_item_in(&mut self, region: &str, table: &str, key: &Value) -> Result<Option<Value>, String> {
        self.peek_item_in(region, table, key).map_err(|e| e.message)
    }
}

#[cfg(test)]
mod tests;
