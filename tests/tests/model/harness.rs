//! What every check shares: calling the engine, the error bodies the model predicts,
//! expression text with placeholders, UpdateExpression semantics, throttling on the `Tight`
//! table, and the counters that show what a run exercised.

use std::collections::BTreeMap;

use dynaplay_engine::Engine;
use serde_json::{json, Map, Value};

use crate::ops::{Cond, UpdateAction};
use crate::reference::Model;
use crate::schema::{empty_index_key, key_item, Key, TableId};
use crate::values::{expected_item, sort_sets, wire_value, Item, Spelling, Val};

/// A failed check: what differed, with the request that showed it.
pub type Check = Result<(), String>;

/// Fails the check with a message unless `$cond` holds.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err(format!($($fmt)+));
        }
    };
}

/// Fails the check unless both sides are equal, showing both.
#[macro_export]
macro_rules! ensure_eq {
    ($got:expr, $expected:expr, $($fmt:tt)+) => {{
        let (got, expected) = (&$got, &$expected);
        if got != expected {
            return Err(format!("{}\n     got: {:?}\nexpected: {:?}", format!($($fmt)+), got, expected));
        }
    }};
}

/// What a run exercised, so a test can insist that it did (a generator that stopped producing
/// conflicts would otherwise pass quietly).
#[derive(Default, Debug)]
pub struct Stats {
    pub operations: u64,
    /// Requests sent to the engine, the state checks' reads included.
    pub requests: u64,
    pub conditional_failures: u64,
    pub validation_errors: u64,
    pub throttled: u64,
    pub unprocessed_items: u64,
    pub unprocessed_keys: u64,
    pub transactions_cancelled: u64,
    pub duplicate_items: u64,
    /// TransactWriteItems answered from a remembered ClientRequestToken.
    pub token_replays: u64,
    pub token_mismatches: u64,
    pub ttl_deletions: u64,
    /// Online index creations and deletions that UpdateTable accepted.
    pub online_index_changes: u64,
    pub index_entries_checked: u64,
    pub pages: u64,
}

impl Stats {
    pub fn add(&mut self, other: &Stats) {
        self.operations += other.operations;
        self.requests += other.requests;
        self.conditional_failures += other.conditional_failures;
        self.validation_errors += other.validation_errors;
        self.throttled += other.throttled;
        self.unprocessed_items += other.unprocessed_items;
        self.unprocessed_keys += other.unprocessed_keys;
        self.transactions_cancelled += other.transactions_cancelled;
        self.duplicate_items += other.duplicate_items;
        self.token_replays += other.token_replays;
        self.token_mismatches += other.token_mismatches;
        self.ttl_deletions += other.ttl_deletions;
        self.online_index_changes += other.online_index_changes;
        self.index_entries_checked += other.index_entries_checked;
        self.pages += other.pages;
    }
}

/// The engine, the model and the counters of one run.
pub struct Ctx {
    pub client: Client,
    pub model: Model,
}

/// The engine and the counters of what was sent to it: apart from the model, so a check can
/// read the model while it sends requests.
pub struct Client {
    pub engine: Engine,
    pub stats: Stats,
}

impl Client {
    /// Runs one request; an error becomes its wire body so it can be compared like a response.
    /// Set members are sorted (their order is undefined). Requests alternate between the
    /// engine's two entry points: `handle_json`, and `handle_text`, which the server and the
    /// page use (GetItem, Query and Scan write their answer as text straight from storage).
    pub fn call(&mut self, operation: &str, request: Value) -> Result<Value, Value> {
        self.stats.requests += 1;
        let mut answer = if self.stats.requests.is_multiple_of(2) {
            self.engine.handle_json(operation, request).map_err(|e| e.to_json())
        } else {
            let text =
                self.engine.handle_text(operation, request.to_string().as_bytes()).map_err(|e| e.to_json());
            text.and_then(|text| {
                serde_json::from_slice(text.as_bytes())
                    .map_err(|e| json!({ "__type": "handle_text answered invalid JSON", "message": format!("{e}: {text}") }))
            })
        };
        match &mut answer {
            Ok(v) | Err(v) => sort_sets(v),
        }
        if let Err(e) = &answer {
            match error_name(e) {
                "ConditionalCheckFailedException" => self.stats.conditional_failures += 1,
                "ValidationException" => self.stats.validation_errors += 1,
                "TransactionCanceledException" => self.stats.transactions_cancelled += 1,
                "DuplicateItemException" => self.stats.duplicate_items += 1,
                "IdempotentParameterMismatchException" => self.stats.token_mismatches += 1,
                "ProvisionedThroughputExceededException" => self.stats.throttled += 1,
                _ => {}
            }
        }
        answer
    }

    /// Compares a request's answer with the model's prediction. On `Tight` a throttling error
    /// is also a right answer to a request the model expects to pass or to fail its condition
    /// (nothing happens then, so the model must not change). Returns whether the prediction
    /// held (the caller then applies its change to the model).
    pub fn settle(
        &mut self,
        tables: &[TableId],
        got: &Result<Value, Value>,
        expected: &Result<Value, Value>,
        what: &str,
    ) -> Result<bool, String> {
        if got == expected {
            return Ok(expected.is_ok());
        }
        let validation = matches!(expected, Err(e) if error_name(e) == "ValidationException");
        if tables.contains(&TableId::Tight) && !validation {
            if let Err(e) = got {
                if is_throttle(e) {
                    return Ok(false);
                }
            }
        }
        Err(format!("{what}\n     got: {got:?}\nexpected: {expected:?}"))
    }
}

/// The part of `__type` after `#`.
pub fn error_name(error: &Value) -> &str {
    let full = error["__type"].as_str().unwrap_or_default();
    full.rsplit('#').next().unwrap_or(full)
}

/// DynamoDB's answer to a request that exceeded provisioned throughput (the table's, or a
/// GSI's).
pub fn is_throttle(error: &Value) -> bool {
    error_name(error) == "ProvisionedThroughputExceededException"
        && error["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("The level of configured provisioned throughput"))
}

pub fn conditional_check_failed(old: Option<&Item>) -> Value {
    let mut error = json!({
        "__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
        "message": "The conditional request failed"
    });
    if let Some(old) = old {
        error["Item"] = expected_item(old);
    }
    error
}

pub fn validation(message: &str) -> Value {
    json!({ "__type": "com.amazon.coral.validate#ValidationException", "message": message })
}

/// The error for an item whose secondary index key would be an empty string. Which index
/// DynamoDB names when several share the attribute is not documented: the first declared.
pub fn empty_index_key_error(table: TableId, attribute: &str) -> Value {
    let index =
        table.def().indexes.iter().find(|i| i.key_names().contains(&attribute)).map_or("", |i| i.name);
    validation(&format!(
        "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: {index}, IndexKey: {attribute}"
    ))
}

/// The error for an UpdateExpression that reads an attribute the item lacks.
pub fn missing_attribute_error() -> Value {
    validation("The provided expression refers to an attribute that does not exist in the item")
}

/// `{}` or `{"Attributes": …}`: DynamoDB omits `Attributes` when there is nothing to return.
pub fn attributes_response(attributes: Option<&Item>) -> Value {
    match attributes.filter(|a| !a.is_empty()) {
        Some(a) => json!({ "Attributes": expected_item(a) }),
        None => json!({}),
    }
}

/// `#name` and `:value` placeholders for one request.
#[derive(Default)]
pub struct Placeholders {
    pub names: Map<String, Value>,
    pub values: Map<String, Value>,
}

impl Placeholders {
    pub fn name(&mut self, attribute: &str) -> String {
        let existing = self.names.iter().find(|(_, v)| v.as_str() == Some(attribute)).map(|(k, _)| k.clone());
        existing.unwrap_or_else(|| {
            let p = format!("#n{}", self.names.len());
            self.names.insert(p.clone(), json!(attribute));
            p
        })
    }

    pub fn value(&mut self, value: &Val, spelling: Spelling) -> String {
        let p = format!(":v{}", self.values.len());
        self.values.insert(p.clone(), wire_value(value, spelling));
        p
    }

    /// Adds the placeholder maps a request uses.
    pub fn attach(self, request: &mut Value) {
        if !self.names.is_empty() {
            request["ExpressionAttributeNames"] = Value::Object(self.names);
        }
        if !self.values.is_empty() {
            request["ExpressionAttributeValues"] = Value::Object(self.values);
        }
    }

    /// A condition as expression text.
    pub fn condition(&mut self, cond: &Cond, spelling: Spelling) -> String {
        let name = self.name(cond.attribute());
        match cond {
            Cond::Exists(_) => format!("attribute_exists({name})"),
            Cond::NotExists(_) => format!("attribute_not_exists({name})"),
            Cond::QtyBelow(n) => format!("{name} < {}", self.value(&Val::N(*n), spelling)),
            Cond::DoneIs(b) => format!("{name} = {}", self.value(&Val::Bool(*b), spelling)),
            Cond::TitleBegins(p) => {
                format!("begins_with({name}, {})", self.value(&Val::S(p.clone()), spelling))
            }
        }
    }

    /// An UpdateExpression: SET, REMOVE, ADD and DELETE clauses.
    pub fn update(&mut self, actions: &[UpdateAction], spelling: Spelling) -> String {
        let (mut set, mut remove, mut add, mut delete) = (vec![], vec![], vec![], vec![]);
        for action in actions {
            let name = self.name(action.attribute());
            match action {
                UpdateAction::Set(_, v) => set.push(format!("{name} = {}", self.value(v, spelling))),
                UpdateAction::SetIfMissing(_, v) => {
                    set.push(format!("{name} = if_not_exists({name}, {})", self.value(v, spelling)))
                }
                UpdateAction::Add(n) => add.push(format!("{name} {}", self.value(&Val::N(*n), spelling))),
                UpdateAction::SetPlus(n) => {
                    set.push(format!("{name} = {name} + {}", self.value(&Val::N(*n), spelling)))
                }
                UpdateAction::AddTags(s) => {
                    add.push(format!("{name} {}", self.value(&Val::Ss(s.clone()), spelling)))
                }
                UpdateAction::DeleteTags(s) => {
                    delete.push(format!("{name} {}", self.value(&Val::Ss(s.clone()), spelling)))
                }
                UpdateAction::AppendParts { values, guarded: false } => set.push(format!(
                    "{name} = list_append({name}, {})",
                    self.value(&Val::L(values.clone()), spelling)
                )),
                UpdateAction::AppendParts { values, guarded: true } => {
                    let empty = self.value(&Val::L(vec![]), spelling);
                    let list = self.value(&Val::L(values.clone()), spelling);
                    set.push(format!("{name} = list_append(if_not_exists({name}, {empty}), {list})"))
                }
                UpdateAction::Remove(_) => remove.push(name),
            }
        }
        let mut clauses = Vec::new();
        for (keyword, parts) in [("SET", set), ("REMOVE", remove), ("ADD", add), ("DELETE", delete)] {
            if !parts.is_empty() {
                clauses.push(format!("{keyword} {}", parts.join(", ")));
            }
        }
        clauses.join(" ")
    }
}

/// A condition in the legacy `Expected` form.
pub fn legacy_expected(cond: &Cond, spelling: Spelling) -> Value {
    let compare = |op: &str, v: Val| json!({ "ComparisonOperator": op, "AttributeValueList": [wire_value(&v, spelling)] });
    let condition = match cond {
        Cond::Exists(_) => json!({ "ComparisonOperator": "NOT_NULL" }),
        Cond::NotExists(_) => json!({ "Exists": false }),
        Cond::QtyBelow(n) => compare("LT", Val::N(*n)),
        Cond::DoneIs(b) => json!({ "Value": wire_value(&Val::Bool(*b), spelling) }),
        Cond::TitleBegins(p) => compare("BEGINS_WITH", Val::S(p.clone())),
    };
    json!({ cond.attribute(): condition })
}

/// What an UpdateExpression does to an item (or to nothing), as DynamoDB documents it:
/// `Ok(None)` when no item exists afterwards (an update that only removes creates nothing),
/// or the error for an expression that reads a missing attribute.
pub fn apply_update(
    table: TableId,
    old: Option<&Item>,
    key: &Key,
    actions: &[UpdateAction],
) -> Result<Option<Item>, Value> {
    let only_removes =
        actions.iter().all(|a| matches!(a, UpdateAction::Remove(_) | UpdateAction::DeleteTags(_)));
    if old.is_none() && only_removes {
        return Ok(None);
    }
    let before = old.cloned().unwrap_or_else(|| key_item(table, key));
    let mut new = before.clone();
    for action in actions {
        // Every operand reads the item as it was before the update.
        let current = before.get(action.attribute());
        let attribute = action.attribute().to_owned();
        match action {
            UpdateAction::Set(_, v) => {
                new.insert(attribute, v.clone());
            }
            UpdateAction::SetIfMissing(_, v) => {
                new.insert(attribute, current.cloned().unwrap_or_else(|| v.clone()));
            }
            UpdateAction::Add(n) | UpdateAction::SetPlus(n) => {
                let sum = match current {
                    Some(Val::N(q)) => q + n,
                    _ if matches!(action, UpdateAction::SetPlus(_)) => return Err(missing_attribute_error()),
                    _ => *n,
                };
                new.insert(attribute, Val::N(sum));
            }
            UpdateAction::AddTags(s) => {
                let mut set = match current {
                    Some(Val::Ss(existing)) => existing.clone(),
                    _ => Default::default(),
                };
                set.extend(s.iter().cloned());
                new.insert(attribute, Val::Ss(set));
            }
            UpdateAction::DeleteTags(s) => {
                if let Some(Val::Ss(existing)) = current {
                    let rest: std::collections::BTreeSet<String> = existing.difference(s).cloned().collect();
                    // A set may not be empty: deleting its last members removes the attribute.
                    if rest.is_empty() {
                        new.remove(&attribute);
                    } else {
                        new.insert(attribute, Val::Ss(rest));
                    }
                }
            }
            UpdateAction::AppendParts { values, guarded } => {
                let mut list = match (current, guarded) {
                    (Some(Val::L(existing)), _) => existing.clone(),
                    (_, true) => Vec::new(),
                    (_, false) => return Err(missing_attribute_error()),
                };
                list.extend(values.iter().cloned());
                new.insert(attribute, Val::L(list));
            }
            UpdateAction::Remove(_) => {
                new.remove(&attribute);
            }
        }
    }
    if let Some(attribute) = empty_index_key(table, &new) {
        return Err(empty_index_key_error(table, attribute));
    }
    Ok(Some(new))
}

/// The attributes `actions` name, with their values in `item` (UPDATED_OLD / UPDATED_NEW).
pub fn updated_attributes(item: Option<&Item>, actions: &[UpdateAction]) -> Option<Item> {
    let item = item?;
    let picked: BTreeMap<String, Val> = actions
        .iter()
        .filter_map(|a| item.get(a.attribute()).map(|v| (a.attribute().to_owned(), v.clone())))
        .collect();
    Some(picked)
}
