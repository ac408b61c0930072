//! PutItem: creates or replaces an item, optionally under a condition.

use serde_json::Value;

use super::request;
use super::write::{self, WriteAction};
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::expr::{legacy, ExpressionAttributes};
use crate::types::Item;
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        RETURN_CONSUMED_CAPACITY,
        TABLE_NAME,
        field("Item", Map(&AttributeValue), &[NotNull]),
        CONDITIONAL_OPERATOR,
        EXPECTED,
        RETURN_VALUES_FIELD,
        RETURN_ITEM_COLLECTION_METRICS,
        field("ConditionExpression", Str, &[]),
        EXPRESSION_ATTRIBUTE_VALUES,
        EXPRESSION_ATTRIBUTE_NAMES,
        RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    super::worded::run(engine, request, super::worded::Surface::Put, |engine, request| {
        put(engine, request, None)
    })
}

/// The answer as JSON text, for a request whose `Item` was read straight from the body
/// (`types::item_reader`; `request` holds an empty map in its place). `None` when its error
/// depends on how DynamoDB words it: the request is then run the usual way.
pub(crate) fn run_read_directly(
    engine: &mut Engine,
    request: &Value,
    item: Item,
) -> Option<ApiResult<String>> {
    let answer = super::worded::run_read_directly(|| put(engine, request, Some(item)))?;
    Some(answer.map(|answer| answer.to_string()))
}

/// PutItem on `request`, its item `read` already or read from the request.
fn put(engine: &mut Engine, request: &Value, read: Option<Item>) -> ApiResult<Value> {
    legacy::check_conditional_operator_enum(request, &["Expected"], SCHEMA)?;
    validate::check(request, SCHEMA)?;
    request::check_expression_params(request, &["ConditionExpression"], &["Expected"])?;
    legacy::check_conditional_operator(request, &["Expected"])?;
    let item = match read {
        Some(item) => item,
        None => request::attribute_map(request, "Item")?.unwrap_or_default(),
    };
    let return_values = write::old_item_return_values(request)?;
    write::check_item_size(&item)?;
    let expected = legacy::expected(request)?;
    let mut attrs = ExpressionAttributes::from_request(request)?;
    let condition = write::condition(request, &mut attrs, expected)?;
    attrs.check_all_used()?;

    let (table, env) = request::table_env(engine, request)?;
    let key = write::item_key(table, &item)?;
    write::execute(table, &env, request, key, WriteAction::Put(item), condition.as_ref(), return_values)
}
