//! What BatchGetItem and BatchWriteItem share: the `RequestItems` presence check (DynamoDB
//! words it specially) and the per-table `ConsumedCapacity` list.

use serde_json::{Map, Value};

use crate::capacity::{ConsumedByTable, ReturnConsumedCapacity};
use crate::error::{ApiError, ApiResult};

/// Largest response a batch returns; past it the remaining keys come back unprocessed.
pub(crate) const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// `RequestItems`, which must be a non-empty map. DynamoDB checks this before any other
/// constraint and says "The requestItems parameter is required for BatchGetItem" whether the
/// member is missing or empty.
pub(crate) fn request_items<'a>(request: &'a Value, operation: &str) -> ApiResult<&'a Map<String, Value>> {
    match request.get("RequestItems") {
        Some(Value::Object(map)) if !map.is_empty() => Ok(map),
        _ => Err(ApiError::validation(format!("The requestItems parameter is required for {operation}"))),
    }
}

/// The `ConsumedCapacity` list of a batch: one entry per table, in table-name order.
pub(crate) fn consumed_list(per_table: &ConsumedByTable, mode: ReturnConsumedCapacity) -> Option<Value> {
    if mode == ReturnConsumedCapacity::None {
        return None;
    }
    Some(Value::Array(per_table.iter().filter_map(|(name, c)| c.to_json(name, mode)).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capacity::Consumed;
    use serde_json::json;

    #[test]
    fn missing_and_empty_request_items_share_one_message() {
        for request in [json!({}), json!({"RequestItems": {}}), json!({"RequestItems": null})] {
            let err = request_items(&request, "BatchGetItem").unwrap_err();
            assert_eq!(err.message, "The requestItems parameter is required for BatchGetItem");
        }
        assert!(request_items(&json!({"RequestItems": {"t": {}}}), "BatchGetItem").is_ok());
    }

    #[test]
    fn capacity_list_has_one_entry_per_table() {
        let mut per_table = ConsumedByTable::default();
        per_table.add("b", &Consumed::table(1.5));
        per_table.add("a", &Consumed::table(2.0));
        per_table.add("b", &Consumed::table(0.5));
        assert_eq!(consumed_list(&per_table, ReturnConsumedCapacity::None), None);
        assert_eq!(
            consumed_list(&per_table, ReturnConsumedCapacity::Total),
            Some(json!([
                {"TableName": "a", "CapacityUnits": 2.0},
                {"TableName": "b", "CapacityUnits": 2.0}
            ]))
        );
    }
}
