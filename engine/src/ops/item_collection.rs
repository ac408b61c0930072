//! ReturnItemCollectionMetrics: for a table with local secondary indexes, the size of the
//! written item's collection (its items plus their LSI entries) as DynamoDB reports it.

use serde_json::{json, Map, Value};

use super::request;
use crate::table::{IndexKind, Table};
use crate::types::{item_to_json, PrimaryKey};

const GB: f64 = 1024.0 * 1024.0 * 1024.0;

/// Whether a write's response carries `ItemCollectionMetrics`: the request asks for SIZE and
/// the table has an LSI (otherwise DynamoDB returns none).
pub(crate) fn wanted(table: &Table, request: &Value) -> bool {
    request::string(request, "ReturnItemCollectionMetrics") == Some("SIZE")
        && table.indexes.iter().any(|i| i.kind == IndexKind::Local)
}

/// Adds `ItemCollectionMetrics` for the collection of `key` to a write's response.
pub(crate) fn add_metrics(response: &mut Value, table: &Table, key: &PrimaryKey) {
    if let Value::Object(body) = response {
        body.insert("ItemCollectionMetrics".into(), metrics(table, key));
    }
}

/// `{ItemCollectionKey, SizeEstimateRangeGB}`: the range is the whole gigabytes below and
/// above the collection's size, so a small collection is `[0.0, 1.0]`.
pub(crate) fn metrics(table: &Table, key: &PrimaryKey) -> Value {
    let gb = table.item_collection_bytes(&key.partition) as f64 / GB;
    let lower = gb.floor();
    let mut collection_key = Map::new();
    if let Value::Object(item) = item_to_json(&table.key_schema.key_item_from(key)) {
        if let Some(pk) = item.get(&table.key_schema.partition_key.name) {
            collection_key.insert(table.key_schema.partition_key.name.clone(), pk.clone());
        }
    }
    json!({"ItemCollectionKey": collection_key, "SizeEstimateRangeGB": [lower, lower + 1.0]})
}
