//! TransactWriteItems and TransactGetItems: every action judged against the state before the
//! transaction, all applied or none; a cancellation lists one reason per action, in order
//! (`None` for the actions that would have succeeded), with the old item for a failed
//! condition when ALL_OLD was asked for.

use serde_json::{json, Value};

use crate::harness::{apply_update, empty_index_key_error, error_name, validation, Check, Ctx, Placeholders};
use crate::items::{get_response, wire_key};
use crate::ops::TxAction;
use crate::schema::{empty_index_key, key_of, Key, TableId};
use crate::values::{expected_item, wire_item, Item, Spelling};
use crate::{ensure, ensure_eq};

/// Why one action would not go through (`None`: it would).
enum Reason {
    None,
    ConditionalCheckFailed(Option<Item>),
    ValidationError(String),
}

impl Reason {
    fn code(&self) -> &'static str {
        match self {
            Reason::None => "None",
            Reason::ConditionalCheckFailed(_) => "ConditionalCheckFailed",
            Reason::ValidationError(_) => "ValidationError",
        }
    }

    fn to_json(&self) -> Value {
        match self {
            Reason::None => json!({ "Code": "None" }),
            Reason::ConditionalCheckFailed(old) => {
                let mut r =
                    json!({ "Code": "ConditionalCheckFailed", "Message": "The conditional request failed" });
                if let Some(old) = old {
                    r["Item"] = expected_item(old);
                }
                r
            }
            Reason::ValidationError(message) => json!({ "Code": "ValidationError", "Message": message }),
        }
    }
}

/// `TransactionCanceledException` listing `codes`.
pub fn cancelled(codes: &[&str], reasons: Vec<Value>) -> Value {
    json!({
        "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
        "message": format!("Transaction cancelled, please refer cancellation reasons for specific reasons [{}]", codes.join(", ")),
        "CancellationReasons": reasons,
    })
}

pub fn duplicate_in_transaction() -> Value {
    validation("Transaction request cannot include multiple operations on one item")
}

/// A cancellation caused by throttling on `Tight`: one reason `ProvisionedThroughputExceeded`
/// on an action of `Tight`, `None` for the rest.
pub fn is_throttled_cancellation(error: &Value, tables: &[TableId]) -> bool {
    let Some(reasons) = error["CancellationReasons"].as_array() else { return false };
    error_name(error) == "TransactionCanceledException"
        && reasons.len() == tables.len()
        && reasons.iter().zip(tables).all(|(r, t)| match r["Code"].as_str() {
            Some("None") => true,
            Some("ProvisionedThroughputExceeded") => *t == TableId::Tight,
            _ => false,
        })
        && reasons.iter().filter(|r| r["Code"] != "None").count() == 1
}

fn action_key(table: TableId, action: &TxAction) -> Key {
    match action {
        TxAction::Put { item, .. } => key_of(table, item),
        TxAction::Update { key, .. } | TxAction::Delete { key, .. } | TxAction::Check { key, .. } => {
            key.clone()
        }
    }
}

fn action_request(table: TableId, action: &TxAction, old_on_failure: bool) -> Value {
    let spelling = Spelling::TrailingZero;
    let mut p = Placeholders::default();
    let (kind, mut body, cond) = match action {
        TxAction::Put { item, cond } => ("Put", json!({ "Item": wire_item(item, spelling) }), cond.as_ref()),
        TxAction::Update { key, actions, cond } => {
            let expression = p.update(actions, spelling);
            (
                "Update",
                json!({ "Key": wire_key(table, key, spelling), "UpdateExpression": expression }),
                cond.as_ref(),
            )
        }
        TxAction::Delete { key, cond } => {
            ("Delete", json!({ "Key": wire_key(table, key, spelling) }), cond.as_ref())
        }
        TxAction::Check { key, cond } => {
            ("ConditionCheck", json!({ "Key": wire_key(table, key, spelling) }), Some(cond))
        }
    };
    body["TableName"] = json!(table.name());
    if let Some(cond) = cond {
        body["ConditionExpression"] = json!(p.condition(cond, spelling));
    }
    p.attach(&mut body);
    if old_on_failure {
        body["ReturnValuesOnConditionCheckFailure"] = json!("ALL_OLD");
    }
    json!({ kind: body })
}

/// What one action would do: its reason, and the item it leaves (`Some(None)`: deleted).
fn judge(
    ctx: &Ctx,
    table: TableId,
    action: &TxAction,
    old_on_failure: bool,
) -> (Reason, Option<Option<Item>>) {
    let key = action_key(table, action);
    let old = ctx.model.get(table, &key).cloned();
    let cond = match action {
        TxAction::Put { cond, .. } | TxAction::Update { cond, .. } | TxAction::Delete { cond, .. } => {
            cond.as_ref()
        }
        TxAction::Check { cond, .. } => Some(cond),
    };
    if let TxAction::Put { item, .. } = action {
        if let Some(attribute) = empty_index_key(table, item) {
            let message =
                empty_index_key_error(table, attribute)["message"].as_str().unwrap_or_default().to_owned();
            return (Reason::ValidationError(message), None);
        }
    }
    if cond.is_some_and(|c| !c.holds(old.as_ref())) {
        return (Reason::ConditionalCheckFailed(old.filter(|_| old_on_failure)), None);
    }
    match action {
        TxAction::Put { item, .. } => (Reason::None, Some(Some(item.clone()))),
        TxAction::Update { actions, .. } => match apply_update(table, old.as_ref(), &key, actions) {
            Ok(new) => (Reason::None, Some(new)),
            Err(e) => (Reason::ValidationError(e["message"].as_str().unwrap_or_default().to_owned()), None),
        },
        TxAction::Delete { .. } => (Reason::None, Some(None)),
        TxAction::Check { .. } => (Reason::None, None),
    }
}

/// How long DynamoDB remembers a `ClientRequestToken` [API_TransactWriteItems].
const TOKEN_LIFETIME_MS: u64 = 10 * 60 * 1000;

/// The TransactWriteItems request for `actions`.
pub fn transact_write_request(
    actions: &[(TableId, TxAction)],
    old_on_failure: bool,
    token: Option<&str>,
) -> Value {
    let items: Vec<Value> = actions.iter().map(|(t, a)| action_request(*t, a, old_on_failure)).collect();
    let mut request = json!({ "TransactItems": items });
    if let Some(token) = token {
        request["ClientRequestToken"] = json!(token);
    }
    request
}

/// TransactWriteItems `request` (made from `actions`). A `ClientRequestToken` a successful
/// call used in the last ten minutes makes the call idempotent: the same request again
/// succeeds without applying anything; a different one is IdempotentParameterMismatch.
pub fn check_transact_write(ctx: &mut Ctx, actions: &[(TableId, TxAction)], request: Value) -> Check {
    let got = ctx.client.call("TransactWriteItems", request.clone());
    let now = ctx.model.now_ms;
    ctx.model.client_tokens.retain(|(_, _, at)| now - at < TOKEN_LIFETIME_MS);
    let token = request["ClientRequestToken"].as_str().map(str::to_owned);
    let remembered = ctx.model.client_tokens.iter().find(|(t, _, _)| Some(t) == token.as_ref());
    if let Some((_, payload, _)) = remembered {
        let expected = if payload == &request["TransactItems"] {
            ctx.client.stats.token_replays += 1;
            Ok(json!({}))
        } else {
            Err(json!({
                "__type": "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
                "message": "The request uses the same client token as a previous, but non-identical request."
            }))
        };
        ensure_eq!(got, expected, "TransactWriteItems {request}");
        return Ok(());
    }

    // Two actions on one item fail the call outright (an action whose Put item is invalid has
    // no usable key, and is a cancellation reason instead).
    let mut seen: Vec<(TableId, Key)> = Vec::new();
    for (table, action) in actions {
        if matches!(action, TxAction::Put { item, .. } if empty_index_key(*table, item).is_some()) {
            continue;
        }
        let key = (*table, action_key(*table, action));
        if seen.contains(&key) {
            ensure_eq!(got, Err(duplicate_in_transaction()), "TransactWriteItems {request}");
            return Ok(());
        }
        seen.push(key);
    }
    // Every action asks for ALL_OLD on a failed condition, or none does.
    let first_action = request["TransactItems"][0].as_object().and_then(|a| a.values().next().cloned());
    let old_on_failure =
        first_action.is_some_and(|body| body["ReturnValuesOnConditionCheckFailure"] == "ALL_OLD");
    let judged: Vec<(Reason, Option<Option<Item>>)> =
        actions.iter().map(|(t, a)| judge(ctx, *t, a, old_on_failure)).collect();
    let tables: Vec<TableId> = actions.iter().map(|(t, _)| *t).collect();
    if judged.iter().any(|(r, _)| !matches!(r, Reason::None)) {
        let codes: Vec<&str> = judged.iter().map(|(r, _)| r.code()).collect();
        let reasons = judged.iter().map(|(r, _)| r.to_json()).collect();
        ensure_eq!(got, Err(cancelled(&codes, reasons)), "TransactWriteItems {request}");
        return Ok(());
    }
    match got {
        Ok(body) => ensure_eq!(body, json!({}), "TransactWriteItems {request}"),
        Err(e) if is_throttled_cancellation(&e, &tables) => return Ok(()),
        Err(e) => return Err(format!("TransactWriteItems failed: {e}\nrequest: {request}")),
    }
    for ((table, action), (_, outcome)) in actions.iter().zip(judged) {
        if let Some(new) = outcome {
            ctx.model.set(*table, &action_key(*table, action), new);
        }
    }
    if let Some(token) = token {
        ctx.model.client_tokens.push((token, request["TransactItems"].clone(), now));
    }
    Ok(())
}

pub fn check_transact_get(ctx: &mut Ctx, gets: &[(TableId, Key, Vec<&'static str>)]) -> Check {
    let items: Vec<Value> = gets
        .iter()
        .map(|(table, key, projection)| {
            let mut get = json!({ "TableName": table.name(), "Key": wire_key(*table, key, Spelling::Plain) });
            crate::items::add_projection(&mut get, projection);
            json!({ "Get": get })
        })
        .collect();
    let request = json!({ "TransactItems": items });
    let got = ctx.client.call("TransactGetItems", request.clone());

    let duplicate =
        gets.iter().enumerate().any(|(i, (t, k, _))| gets[..i].iter().any(|(t2, k2, _)| t == t2 && k == k2));
    if duplicate {
        ensure_eq!(got, Err(duplicate_in_transaction()), "TransactGetItems {request}");
        return Ok(());
    }
    let tables: Vec<TableId> = gets.iter().map(|(t, _, _)| *t).collect();
    let responses: Vec<Value> = gets
        .iter()
        .map(|(table, key, projection)| get_response(ctx.model.get(*table, key), projection))
        .collect();
    match got {
        Err(e) if is_throttled_cancellation(&e, &tables) => Ok(()),
        got => {
            ensure!(got.is_ok(), "TransactGetItems failed: {got:?}\nrequest: {request}");
            ensure_eq!(got, Ok(json!({ "Responses": responses })), "TransactGetItems {request}");
            Ok(())
        }
    }
}
