//! Looking at a table's items without being a request: no capacity charged, no hot-key or
//! metrics count, no throttling. A teaching host checks a learner's work this way — a check
//! that read through GetItem would spend the very capacity the lab is measuring.

use serde_json::Value;

use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::types::{item_from_json, item_to_json};

impl Engine {
    /// The item of `table` with primary key `key` (DynamoDB JSON, as GetItem's `Key`), or
    /// `None` when there is none. A missing table is ResourceNotFoundException; a key that does
    /// not fit the key schema is GetItem's ValidationException, one that is not a map of
    /// attribute values a SerializationException.
    pub fn peek_item(&self, table: &str, key: &Value) -> ApiResult<Option<Value>> {
        let table = self.tables.get(table).ok_or_else(ApiError::resource_not_found)?;
        let key = table.key_schema.key_of_key(&item_from_json(key)?)?;
        Ok(table.get(&key).as_ref().map(item_to_json))
    }

    /// [`Engine::peek_item`] in `region` (a global table's replica there).
    pub fn peek_item_in(&mut self, region: &str, table: &str, key: &Value) -> ApiResult<Option<Value>> {
        self.served_in(region)?;
        self.in_region(region, |engine| engine.peek_item(table, key))
    }
}

#[cfg(test)]
mod tests {
    use crate::Engine;
    use serde_json::json;

    #[test]
    fn peek_reads_an_item_without_charging_or_counting() {
        let mut engine = Engine::new();
        engine
            .handle_json(
                "CreateTable",
                json!({"TableName": "Tbl", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                   "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                   "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}),
            )
            .unwrap();
        engine
            .handle_json("PutItem", json!({"TableName": "Tbl", "Item": {"pk": {"S": "a"}, "n": {"N": "1"}}}))
            .unwrap();
        let before = engine.handle_json("PlaygroundGetMetrics", json!({"TableName": "Tbl"})).unwrap();
        for _ in 0..100 {
            let item = engine.peek_item("Tbl", &json!({"pk": {"S": "a"}})).unwrap();
            assert_eq!(item, Some(json!({"pk": {"S": "a"}, "n": {"N": "1"}})));
        }
        let after = engine.handle_json("PlaygroundGetMetrics", json!({"TableName": "Tbl"})).unwrap();
        assert_eq!(before, after, "peeking is not traffic");
        assert_eq!(engine.peek_item("Tbl", &json!({"pk": {"S": "b"}})).unwrap(), None);
        let missing = engine.peek_item("Nope", &json!({"pk": {"S": "a"}})).unwrap_err();
        assert_eq!(missing.kind.name(), "ResourceNotFoundException");
        let wrong = engine.peek_item("Tbl", &json!({"pk": {"N": "1"}})).unwrap_err();
        assert_eq!(wrong.kind.name(), "ValidationException");
        let junk = engine.peek_item("Tbl", &json!("junk")).unwrap_err();
        assert_eq!(junk.kind.name(), "SerializationException", "{junk}");
    }
}
