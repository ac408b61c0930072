//! DeleteItem: removes an item by key, optionally under a condition.

use serde_json::Value;

use super::write::{self, ReturnValues, WriteAction};
use super::{item_collection, request};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::expr::{self, legacy, ConditionKind, ExpressionAttributes};
use crate::validate::{self, schemas};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, schemas::DELETE_ITEM)?;
    request::check_expression_params(request, &["ConditionExpression"], &["Expected"])?;
    legacy::check_conditional_operator(request, &["Expected"])?;
    let key = request::attribute_map(request, "Key")?.unwrap_or_default();
    let return_values = ReturnValues::from_request(request);
    if !matches!(return_values, ReturnValues::None | ReturnValues::AllOld) {
        return Err(ApiError::validation("ReturnValues can only be ALL_OLD or NONE"));
    }
    let expected = legacy::expected(request)?;
    let mut attrs = ExpressionAttributes::from_request(request)?;
    let condition = match request::string(request, "ConditionExpression") {
        Some(text) => Some(expr::parse_condition(text, ConditionKind::Condition, &mut attrs)?),
        None => expected,
    };
    attrs.check_all_used()?;

    let (table, env) = request::table_env(engine, request)?;
    let key = table.key_schema.key_of_key(&key)?;
    let plan = write::plan(table, key, &WriteAction::Delete, condition.as_ref())
        .map_err(|e| e.into_api_error(request))?;
    let old = plan.old.clone();
    let collection_key = item_collection::wanted(table, request).then(|| plan.key.clone());
    let consumed = write::charge_and_commit(table, &env, plan)?;
    let attributes = if return_values == ReturnValues::AllOld { old } else { None };
    let mut response = write::response(attributes, &consumed, &table.name, request);
    if let Some(key) = collection_key {
        item_collection::add_metrics(&mut response, table, &key);
    }
    Ok(response)
}
