//! UpdateItem: edits (or creates) one item with an UpdateExpression, applied to a copy so a
//! failed update changes nothing.

use serde_json::Value;

use super::request;
use super::write::{self, ReturnValues, WriteAction};
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::expr::{self, legacy, ExpressionAttributes};
use crate::types::Item;
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    const ATTRIBUTE_VALUE_UPDATE: &[Field] =
        &[field("Action", Str, &[Enum(&["ADD", "PUT", "DELETE"])]), field("Value", AttributeValue, &[])];
    &[
        RETURN_CONSUMED_CAPACITY,
        TABLE_NAME,
        RETURN_ITEM_COLLECTION_METRICS,
        RETURN_VALUES_FIELD,
        // Recorded (2026-10): a bad ConditionalOperator is listed before a missing Key.
        CONDITIONAL_OPERATOR,
        field("Key", Map(&AttributeValue), &[NotNull]),
        EXPECTED,
        field("AttributeUpdates", Map(&Struct("AttributeValueUpdate", ATTRIBUTE_VALUE_UPDATE)), &[]),
        field("UpdateExpression", Str, &[]),
        field("ConditionExpression", Str, &[]),
        EXPRESSION_ATTRIBUTE_VALUES,
        EXPRESSION_ATTRIBUTE_NAMES,
        RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    super::worded::run(engine, request, super::worded::Surface::ItemWrite, |e, r| run_worded(e, r, true))
}

/// A PartiQL UPDATE: UpdateItem's request, but only the finished item is sized.
pub(crate) fn run_statement(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    super::worded::run(engine, request, super::worded::Surface::ItemWrite, |e, r| run_worded(e, r, false))
}

/// `sized`: standalone UpdateItem, which also sizes its statement (see `statement_charge`).
fn run_worded(engine: &mut Engine, request: &Value, sized: bool) -> ApiResult<Value> {
    legacy::check_conditional_operator_enum(request, &["Expected"], SCHEMA)?;
    validate::check(request, SCHEMA)?;
    request::check_expression_params_current(
        request,
        &["UpdateExpression", "ConditionExpression"],
        &["AttributeUpdates", "Expected"],
    )?;
    legacy::check_conditional_operator(request, &["Expected"])?;
    let key = request::attribute_map(request, "Key")?.unwrap_or_default();
    let return_values = ReturnValues::from_request(request);
    let attribute_updates = legacy::attribute_updates(request)?;
    let expected = legacy::expected(request)?;
    let mut attrs = ExpressionAttributes::from_request(request)?;
    let update = match request::string(request, "UpdateExpression") {
        Some(text) => Some(expr::parse_update(text, &mut attrs)?),
        None => attribute_updates,
    };
    let condition = write::condition(request, &mut attrs, expected)?;
    attrs.check_all_used()?;

    let (table, env) = request::table_env(engine, request)?;
    let action = WriteAction::Update(update);
    let key = write::checked_key(table, &action, &key)?;
    if let WriteAction::Update(Some(update)) = &action {
        // Standalone UpdateItem alone also sizes its statement, before the condition. The
        // stored item only ever lowers the charge (an ADD pays for new set members alone), so
        // it is read only when the statement could be too big without it.
        let too_big = |old: Option<&Item>| update.statement_charge(old) > write::MAX_ITEM_BYTES;
        if sized && !update.legacy && too_big(None) && too_big(table.get(&key).as_ref()) {
            return Err(write::update_too_big());
        }
    }
    write::execute(table, &env, request, key, action, condition.as_ref(), return_values)
}
