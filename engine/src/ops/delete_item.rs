//! DeleteItem: removes an item by key, optionally under a condition.

use serde_json::Value;

use super::request;
use super::write::{self, WriteAction};
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::expr::{legacy, ExpressionAttributes};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        RETURN_CONSUMED_CAPACITY,
        TABLE_NAME,
        RETURN_VALUES_FIELD,
        RETURN_ITEM_COLLECTION_METRICS,
        field("Key", Map(&AttributeValue), &[NotNull]),
        CONDITIONAL_OPERATOR,
        EXPECTED,
        field("ConditionExpression", Str, &[]),
        EXPRESSION_ATTRIBUTE_VALUES,
        EXPRESSION_ATTRIBUTE_NAMES,
        RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    super::worded::run(engine, request, super::worded::Surface::ItemWrite, run_worded)
}

fn run_worded(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    legacy::check_conditional_operator_enum(request, &["Expected"], SCHEMA)?;
    validate::check(request, SCHEMA)?;
    request::check_expression_params_current(request, &["ConditionExpression"], &["Expected"])?;
    legacy::check_conditional_operator(request, &["Expected"])?;
    let key = request::attribute_map(request, "Key")?.unwrap_or_default();
    let return_values = write::old_item_return_values(request)?;
    let expected = legacy::expected(request)?;
    let mut attrs = ExpressionAttributes::from_request(request)?;
    let condition = write::condition(request, &mut attrs, expected)?;
    attrs.check_all_used()?;

    let (table, env) = request::table_env(engine, request)?;
    let key = table.key_schema.key_of_key(&key)?;
    write::execute(table, &env, request, key, WriteAction::Delete, condition.as_ref(), return_values)
}
