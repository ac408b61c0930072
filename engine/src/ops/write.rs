//! What PutItem, UpdateItem and DeleteItem share: the condition check against the old item,
//! ReturnValues, and the capacity a write consumed.

use serde_json::{Map, Value};

use super::request;
use crate::capacity::{write_units, Consumed, ReturnConsumedCapacity};
use crate::error::{ApiError, ApiResult};
use crate::expr::Condition;
use crate::table::IndexUnits;
use crate::types::{item_size, item_to_json, Item};

/// The `ReturnValues` request member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReturnValues {
    None,
    AllOld,
    UpdatedOld,
    AllNew,
    UpdatedNew,
}

impl ReturnValues {
    /// Reads the member (already checked against its enum).
    pub fn from_request(request: &Value) -> Self {
        match request::string(request, "ReturnValues") {
            Some("ALL_OLD") => Self::AllOld,
            Some("UPDATED_OLD") => Self::UpdatedOld,
            Some("ALL_NEW") => Self::AllNew,
            Some("UPDATED_NEW") => Self::UpdatedNew,
            _ => Self::None,
        }
    }
}

/// Evaluates a write's condition against the item as it is now; a false condition is
/// ConditionalCheckFailedException, carrying the old item when the request asked for it with
/// `ReturnValuesOnConditionCheckFailure: ALL_OLD`.
pub(crate) fn check_condition(
    condition: Option<&Condition>,
    old: Option<&Item>,
    request: &Value,
) -> ApiResult<()> {
    let Some(condition) = condition else { return Ok(()) };
    let empty = Item::new();
    if condition.evaluate(old.unwrap_or(&empty)) {
        return Ok(());
    }
    let mut err = ApiError::conditional_check_failed();
    if request::string(request, "ReturnValuesOnConditionCheckFailure") == Some("ALL_OLD") {
        if let Some(old) = old {
            err = err.with("Item", item_to_json(old));
        }
    }
    Err(err)
}

/// Capacity of one write: the table pays for the larger of the old and new item.
pub(crate) fn write_consumed(old: Option<&Item>, new: Option<&Item>, indexes: Vec<IndexUnits>) -> Consumed {
    let size = old.map_or(0, item_size).max(new.map_or(0, item_size));
    Consumed { table: write_units(size), indexes: indexes.into_iter().filter(|(_, u, _)| *u > 0.0).collect() }
}

/// Builds a write's response: `Attributes` when there are any, `ConsumedCapacity` when asked.
pub(crate) fn response(
    attributes: Option<Item>,
    consumed: &Consumed,
    table_name: &str,
    request: &Value,
) -> Value {
    let mut body = Map::new();
    if let Some(attrs) = attributes.filter(|a| !a.is_empty()) {
        body.insert("Attributes".into(), item_to_json(&attrs));
    }
    if let Some(c) = consumed.to_json(table_name, ReturnConsumedCapacity::from_request(request)) {
        body.insert("ConsumedCapacity".into(), c);
    }
    Value::Object(body)
}
