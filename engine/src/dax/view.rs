//! Cache entries as the DAX view shows them (`PlaygroundDescribeDaxCache`), with their time
//! left and whether they are stale: the table holds something else now.

use serde_json::{json, Map, Value};

use super::cache::{Cached, Entry, EntryKey};
use crate::engine::Engine;
use crate::types::{item_from_json, item_to_json, Item};

/// What the table holds now under `key` (`None`: no item, or no table).
fn current(engine: &Engine, table: &str, key: &Item) -> Option<Item> {
    let table = engine.tables.get(table)?;
    table.get(&table.key_schema.key_of_key(key).ok()?)
}

/// Whether a query answer's item no longer matches the table's: changed or gone. A projected
/// answer is compared on the attributes it shows.
fn item_changed(engine: &Engine, table: &str, shown: &Item, projected: bool) -> bool {
    let Some(t) = engine.tables.get(table) else { return true };
    let key: Item =
        shown.iter().filter(|(n, _)| t.key_schema.is_key(n)).map(|(n, v)| (n.clone(), v.clone())).collect();
    match current(engine, table, &key) {
        None => true,
        Some(now) if projected => shown.iter().any(|(n, v)| now.get(n) != Some(v)),
        Some(now) => now != *shown,
    }
}

/// One entry as the view lists it.
pub(crate) fn entry_json(engine: &Engine, key: &EntryKey, entry: &Entry) -> Value {
    let mut m = Map::new();
    let (EntryKey::Item { table, .. } | EntryKey::Query { table, .. }) = key;
    match &entry.cached {
        Cached::Item { key, item } => {
            m.insert("TableName".into(), json!(table));
            m.insert("Key".into(), item_to_json(key));
            if let Some(item) = item {
                m.insert("Item".into(), item_to_json(item));
            }
            m.insert("Negative".into(), json!(item.is_none()));
            m.insert("Stale".into(), json!(current(engine, table, key).as_ref() != item.as_ref()));
        }
        Cached::Query { operation, request, answer } => {
            m.insert("Operation".into(), json!(operation));
            m.insert("TableName".into(), json!(table));
            if let Some(index) = request.get("IndexName") {
                m.insert("IndexName".into(), index.clone());
            }
            m.insert("Request".into(), request.clone());
            m.insert("Count".into(), answer.get("Count").cloned().unwrap_or(json!(0)));
            let projected = ["ProjectionExpression", "AttributesToGet", "IndexName", "Select"]
                .iter()
                .any(|member| request.get(*member).is_some());
            let items = answer.get("Items").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
            let stale = items
                .iter()
                .filter_map(|i| item_from_json(i).ok())
                .any(|shown| item_changed(engine, table, &shown, projected));
            m.insert("Stale".into(), json!(stale));
        }
    }
    m.insert("SizeBytes".into(), json!(entry.bytes));
    m.insert("CachedAt".into(), json!(entry.cached_ms));
    let left = entry.expires_ms.map(|at| at.saturating_sub(engine.now_ms));
    m.insert("ExpiresInMilliseconds".into(), json!(left));
    Value::Object(m)
}
