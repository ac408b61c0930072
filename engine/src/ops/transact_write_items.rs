//! TransactWriteItems: up to 100 Put, Update, Delete and ConditionCheck actions applied all
//! together or not at all. Every action is planned (`write::plan`) against the tables as they
//! are before any is committed (`write::commit`), so a cancelled transaction changes nothing.
//! No two actions may name one item, so planning them independently is exact.
//!
//! Errors come in two layers, as in DynamoDB: request errors (shapes, expressions, missing
//! tables, sizes, one item twice) fail the call outright; errors met while applying an action
//! (a key that does not fit its table, a false condition, an update type error) cancel the
//! transaction with one reason per action, in order. See `transact.rs` for why
//! TransactionConflictException cannot arise here.

use serde_json::{Map, Value};

use super::request;
use super::transact::{self, Reason, TokenCheck};
use super::write::{self, Plan, PlanError, WriteAction};
use crate::capacity::{read_units, Consumed, ConsumedByTable, ReturnConsumedCapacity, UnitKind};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, Cause, ErrorKind};
use crate::expr::{self, Condition, ConditionKind, ExpressionAttributes};
use crate::types::{item_size, Item, PrimaryKey};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    const CONDITION_CHECK: &[Field] = &[
        field("Key", Map(&AttributeValue), &[NotNull]),
        TABLE_NAME,
        field("ConditionExpression", Str, &[NotNull]),
        EXPRESSION_ATTRIBUTE_NAMES,
        EXPRESSION_ATTRIBUTE_VALUES,
        RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
    ];
    const TRANSACT_PUT: &[Field] = &[
        field("Item", Map(&AttributeValue), &[NotNull]),
        TABLE_NAME,
        field("ConditionExpression", Str, &[]),
        EXPRESSION_ATTRIBUTE_NAMES,
        EXPRESSION_ATTRIBUTE_VALUES,
        RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
    ];
    const TRANSACT_DELETE: &[Field] = &[
        field("Key", Map(&AttributeValue), &[NotNull]),
        TABLE_NAME,
        field("ConditionExpression", Str, &[]),
        EXPRESSION_ATTRIBUTE_NAMES,
        EXPRESSION_ATTRIBUTE_VALUES,
        RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
    ];
    const TRANSACT_UPDATE: &[Field] = &[
        field("Key", Map(&AttributeValue), &[NotNull]),
        field("UpdateExpression", Str, &[NotNull]),
        TABLE_NAME,
        field("ConditionExpression", Str, &[]),
        EXPRESSION_ATTRIBUTE_NAMES,
        EXPRESSION_ATTRIBUTE_VALUES,
        RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
    ];
    const TRANSACT_WRITE_ITEM: &[Field] = &[
        field("ConditionCheck", Struct("ConditionCheck", CONDITION_CHECK), &[]),
        field("Put", Struct("Put", TRANSACT_PUT), &[]),
        field("Delete", Struct("Delete", TRANSACT_DELETE), &[]),
        field("Update", Struct("Update", TRANSACT_UPDATE), &[]),
    ];
    &[
        field(
            "TransactItems",
            List(&Struct("TransactWriteItem", TRANSACT_WRITE_ITEM)),
            &[NotNull, MinLength(1), MaxLength(100)],
        ),
        // Recorded (2026-10): a bad token is listed before a bad ReturnConsumedCapacity.
        field("ClientRequestToken", Str, &[MinLength(1), MaxLength(36)]),
        RETURN_CONSUMED_CAPACITY,
        RETURN_ITEM_COLLECTION_METRICS,
    ]
};

/// Largest total size of the items one transaction writes.
const MAX_TRANSACTION_BYTES: usize = 4 * 1024 * 1024;

/// The four kinds of action, as the request names them.
const KINDS: [&str; 4] = ["ConditionCheck", "Put", "Delete", "Update"];

/// One action, parsed and checked as far as it can be without its table.
struct Action<'a> {
    spec: &'a Value,
    table: &'a str,
    /// The `Key` of an Update, Delete or ConditionCheck (a Put's key is in its item).
    key: Item,
    write: WriteAction,
    condition: Option<Condition>,
}

impl Action<'_> {
    /// What the action counts towards the transaction's size: a Put's item, the others' key.
    fn size(&self) -> usize {
        match &self.write {
            WriteAction::Put(item) => item_size(item),
            _ => item_size(&self.key),
        }
    }
}

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    super::worded::run(engine, request, super::worded::Surface::Read, run_worded)
}

fn run_worded(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let mut actions = Vec::new();
    for entry in request.get("TransactItems").and_then(Value::as_array).into_iter().flatten() {
        actions.push(parse_action(entry)?);
    }
    let total: usize = actions.iter().map(Action::size).sum();
    if total > MAX_TRANSACTION_BYTES {
        return Err(ApiError::validation(
            "Collection size of items exceeded, which can also be caused by the aggregate size of the items in the transaction exceeding the 4MB limit",
        ));
    }
    for action in &actions {
        request::table(engine, action.spec)?;
    }

    let token = request::string(request, "ClientRequestToken");
    let payload = transact::token_payload(request);
    if let Some(token) = token {
        if engine.client_tokens.check(token, &payload, engine.now_ms)? == TokenCheck::Replay {
            return Ok(replay_response(engine, &actions, request));
        }
    }

    // Keys against their tables; then the whole transaction is planned on the tables as they are.
    let mut keys: Vec<Option<PrimaryKey>> = Vec::with_capacity(actions.len());
    let mut reasons: Vec<Reason> = Vec::with_capacity(actions.len());
    for action in &actions {
        match key_of(engine, action) {
            Ok(key) => {
                let seen = actions
                    .iter()
                    .zip(&keys)
                    .any(|(a, k)| a.table == action.table && k.as_ref() == Some(&key));
                if seen {
                    return Err(transact::duplicate_item());
                }
                keys.push(Some(key));
                reasons.push(Reason::None);
            }
            // An empty key value is knowable from the request alone: refused before the
            // transaction runs, where a key of the wrong type cancels it.
            Err(e) if e.cause == Some(Cause::EmptyKeyValue) => return Err(e),
            Err(e) => {
                keys.push(None);
                reasons.push(Reason::ValidationError(e.message));
            }
        }
    }
    let collection_limit = engine.playground.settings.item_collection_size_limit;
    let mut plans: Vec<(usize, &str, Plan)> = Vec::with_capacity(actions.len());
    for (n, ((action, key), reason)) in actions.iter_mut().zip(keys).zip(reasons.iter_mut()).enumerate() {
        let Some(key) = key else { continue };
        let table = request::table(engine, action.spec)?;
        crate::global::strong::check_transaction(table)?;
        match write::plan(table, key, &mut action.write, action.condition.as_ref(), collection_limit) {
            Ok(plan) => plans.push((n, action.table, plan)),
            Err(PlanError::ConditionFailed(old)) => {
                let all_old =
                    request::string(action.spec, "ReturnValuesOnConditionCheckFailure") == Some("ALL_OLD");
                *reason = Reason::ConditionalCheckFailed(old.filter(|_| all_old));
            }
            Err(PlanError::Invalid(e)) if e.kind == ErrorKind::ItemCollectionSizeLimitExceeded => {
                *reason = Reason::Throttled("ItemCollectionSizeLimitExceeded", e.message)
            }
            Err(PlanError::Invalid(e)) => *reason = Reason::ValidationError(e.message),
        }
    }
    transact::cancel_if_failed(&reasons)?;

    // Transactional writes cost double on the base table (not on its indexes); all actions
    // are admitted before any is committed.
    let mut costs = Vec::with_capacity(plans.len());
    let mut charges = Vec::with_capacity(plans.len());
    for (n, table_name, plan) in &plans {
        let table = engine.tables.get(table_name).ok_or_else(ApiError::resource_not_found)?;
        let (used, list, sizes) = write::cost(table, plan, true);
        write::note_write(&engine.traces.recorder, table, plan, sizes, &used, true);
        costs.push(used);
        charges.push((*n, *table_name, list));
    }
    transact::admit_all(engine, &charges, actions.len())?;
    let (now, lag) = (engine.now_ms, engine.lag());
    let mut consumed = ConsumedByTable::default();
    for (((_, table_name, plan), used), (_, _, list)) in plans.into_iter().zip(costs).zip(&charges) {
        let table = engine.tables.get_mut(table_name).ok_or_else(ApiError::resource_not_found)?;
        write::commit(table, plan, now, lag);
        crate::capacity::admission::after_write(table, now, list);
        consumed.add(table_name, &used);
    }
    if let Some(token) = token {
        engine.client_tokens.record(token, &payload, engine.now_ms);
    }
    Ok(response(&consumed, request, UnitKind::Write))
}

/// Reads one `TransactWriteItem`: exactly one action, its values and its expressions.
fn parse_action(entry: &Value) -> ApiResult<Action<'_>> {
    let present: Vec<&str> = KINDS.iter().copied().filter(|k| request::is_present(entry, k)).collect();
    let kind = match present.as_slice() {
        [kind] => *kind,
        [] => {
            return Err(ApiError::validation(
                "Invalid Request: TransactWriteRequest should contain Delete or Put or Update request",
            ))
        }
        _ => {
            return Err(ApiError::validation(
                "TransactItems can only contain one of Check, Put, Update or Delete",
            ))
        }
    };
    let spec = entry.get(kind).unwrap_or(&Value::Null);
    let expressions: &[&str] = if kind == "Update" {
        &["UpdateExpression", "ConditionExpression"]
    } else {
        &["ConditionExpression"]
    };
    request::check_expression_params(spec, expressions, &[])?;
    // An action's expressions come before its key or item (recorded, 2026-10: a syntax error
    // is reported over a key nested 100 levels), and an item's names before its values.
    let mut attrs = ExpressionAttributes::from_request(spec)?;
    let update = match request::string(spec, "UpdateExpression") {
        Some(text) if kind == "Update" => Some(expr::parse_update(text, &mut attrs)?),
        _ => None,
    };
    let condition = match request::string(spec, "ConditionExpression") {
        Some(text) => Some(expr::parse_condition(text, ConditionKind::Condition, &mut attrs)?),
        None => None,
    };
    attrs.check_all_used()?;
    let target_member = if kind == "Put" { "Item" } else { "Key" };
    if kind == "Put" && spec.get("Item").and_then(Value::as_object).is_some_and(|item| item.contains_key(""))
    {
        return Err(ApiError::validation("Empty attribute name"));
    }
    let mut target = request::attribute_map(spec, target_member)?.unwrap_or_default();
    let write = match kind {
        "Put" => {
            write::check_item_size(&target)?;
            WriteAction::Put(std::mem::take(&mut target))
        }
        "Delete" => WriteAction::Delete,
        "Update" => WriteAction::Update(update),
        _ => WriteAction::ConditionCheck,
    };
    let table = request::string(spec, "TableName").unwrap_or_default();
    Ok(Action { spec, table, key: target, write, condition })
}

/// The action's primary key, checked against its table as the single-item operation would.
fn key_of(engine: &Engine, action: &Action<'_>) -> ApiResult<PrimaryKey> {
    let table = request::table(engine, action.spec)?;
    write::checked_key(table, &action.write, &action.key)
}

/// The answer to a repeated call with the same token and payload: nothing is applied again,
/// and (as DynamoDB documents) the capacity reported is that of reading the items.
fn replay_response(engine: &Engine, actions: &[Action<'_>], request: &Value) -> Value {
    let mut consumed = ConsumedByTable::default();
    for action in actions {
        let Ok(key) = key_of(engine, action) else { continue };
        let Some(table) = engine.tables.get(action.table) else { continue };
        let size = table.size_of(&key).unwrap_or(0);
        consumed.add(action.table, &Consumed::table(read_units(size, true)));
    }
    response(&consumed, request, UnitKind::Read)
}

fn response(consumed: &ConsumedByTable, request: &Value, kind: UnitKind) -> Value {
    let mut body = Map::new();
    let mode = ReturnConsumedCapacity::from_request(request);
    if mode != ReturnConsumedCapacity::None {
        let list = consumed.iter().filter_map(|(t, c)| c.to_json_transactional(t, mode, kind)).collect();
        body.insert("ConsumedCapacity".into(), Value::Array(list));
    }
    Value::Object(body)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::engine::Engine;

    #[test]
    fn odd_shapes_are_errors_not_panics() {
        let mut engine = Engine::new();
        let odd = [
            ("TransactWriteItems", json!({"TransactItems": [null]})),
            ("TransactWriteItems", json!({"TransactItems": [{"Put": null}]})),
            ("TransactWriteItems", json!({"TransactItems": [{"Put": {}}]})),
            ("TransactWriteItems", json!({"TransactItems": [{"Update": {"TableName": "abc", "Key": {}}}]})),
            ("TransactGetItems", json!({"TransactItems": [{}, null]})),
            ("BatchGetItem", json!({"RequestItems": {"abc": null}})),
            ("BatchGetItem", json!({"RequestItems": {"abc": {"Keys": [null, {}]}}})),
            ("BatchWriteItem", json!({"RequestItems": {"abc": null}})),
            ("BatchWriteItem", json!({"RequestItems": {"abc": [null, {"PutRequest": null}]}})),
        ];
        for (op, request) in odd {
            assert!(engine.handle_json(op, request.clone()).is_err(), "{op} {request}");
        }
    }
}
