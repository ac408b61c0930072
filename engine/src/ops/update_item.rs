//! UpdateItem: edits (or creates) one item with an UpdateExpression, applied to a copy so a
//! failed update changes nothing.

use serde_json::Value;

use super::put_item::MAX_ITEM_BYTES;
use super::request;
use super::write::{self, ReturnValues};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::expr::{self, ConditionKind, ExpressionAttributes};
use crate::types::item_size;
use crate::validate::{self, schemas};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, schemas::UPDATE_ITEM)?;
    request::check_expression_params(
        request,
        &["UpdateExpression", "ConditionExpression"],
        &["AttributeUpdates", "Expected"],
    )?;
    let key = request::attribute_map(request, "Key")?.unwrap_or_default();
    let return_values = ReturnValues::from_request(request);
    let mut attrs = ExpressionAttributes::from_request(request)?;
    let update = match request::string(request, "UpdateExpression") {
        Some(text) => Some(expr::parse_update(text, &mut attrs)?),
        None => None,
    };
    let condition = match request::string(request, "ConditionExpression") {
        Some(text) => Some(expr::parse_condition(text, ConditionKind::Condition, &mut attrs)?),
        None => None,
    };
    attrs.check_all_used()?;

    let table = request::table_mut(engine, request)?;
    let key = table.key_schema.key_of_key(&key)?;
    if let Some(update) = &update {
        update.check_key_untouched(&table.key_schema)?;
    }
    let old = table.get(&key);
    write::check_condition(condition.as_ref(), old, request)?;
    if old.is_none() && update.as_ref().is_some_and(|u| u.only_removes()) {
        // Nothing to remove from an item that is not there: no item is created.
        let consumed = write::write_consumed(None, None, Vec::new());
        return Ok(write::response(None, &consumed, &table.name, request));
    }
    // Work on a copy: any error below leaves the stored item as it was.
    let mut new = old.cloned().unwrap_or_else(|| table.key_schema.key_item_from(&key));
    if let Some(update) = &update {
        update.apply(&mut new)?;
    }
    if item_size(&new) > MAX_ITEM_BYTES {
        return Err(ApiError::validation("Item size to update has exceeded the maximum allowed size"));
    }
    table.check_index_keys(&new)?;
    let attributes = match return_values {
        ReturnValues::None => None,
        ReturnValues::AllOld => old.cloned(),
        ReturnValues::AllNew => Some(new.clone()),
        ReturnValues::UpdatedOld => match (&update, old) {
            (Some(u), Some(old)) => Some(u.project_updated(old)),
            _ => None,
        },
        ReturnValues::UpdatedNew => update.as_ref().map(|u| u.project_updated(&new)),
    };
    let new_copy = new.clone();
    let (old, index_units) = table.put(key, new);
    let consumed = write::write_consumed(old.as_ref(), Some(&new_copy), index_units);
    Ok(write::response(attributes, &consumed, &table.name, request))
}
