//! What a cluster holds, as the DAX view shows it (`PlaygroundDescribeDaxCache`): each live
//! entry with its time left and whether it is stale — the table holds something else now.

use serde_json::{Map, Value};

use super::cache::{Cached, Entry, EntryKey};
use super::serve::key_of;
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
    let now = key_of(engine, table, shown, true).ok().and_then(|key| current(engine, table, &key));
    match now {
        None => true,
        Some(now) if projected => shown.iter().any(|(n, v)| now.get(n) != Some(v)),
        Some(now) => now != *shown,
    }
}

fn put(m: &mut Map<String, Value>, key: &str, value: impl Into<Value>) {
    m.insert(key.into(), value.into());
}

/// One entry as the view lists it: item entries `{TableName, Key, Item?, Negative, Stale,
/// SizeBytes, CachedAt, ExpiresInMilliseconds}`, query entries `{Operation, TableName,
/// Request, Count, Stale, …}`.
pub(crate) fn entry_json(engine: &Engine, entry: &Entry) -> Value {
    let mut m = Map::new();
    let (EntryKey::Item { table, .. } | EntryKey::Query { table, .. }) = &entry.key;
    match &entry.cached {
        Cached::Item { key, item } => {
            put(&mut m, "TableName", table.as_str());
            put(&mut m, "Key", item_to_json(key));
            if let Some(item) = item {
                put(&mut m, "Item", item_to_json(item));
            }
            put(&mut m, "Negative", item.is_none());
            put(&mut m, "Stale", current(engine, table, key).as_ref() != item.as_ref());
        }
        Cached::Query { scan, request, answer } => {
            put(&mut m, "Operation", if *scan { "Scan" } else { "Query" });
            put(&mut m, "TableName", table.as_str());
            put(&mut m, "Request", request.clone());
            put(&mut m, "Count", answer.get("Count").cloned().unwrap_or_default());
            let projected = ["ProjectionExpression", "AttributesToGet", "IndexName", "Select"]
                .iter()
                .any(|member| request.get(*member).is_some());
            let items = answer.get("Items").and_then(Value::as_array).into_iter().flatten();
            let stale = items
                .filter_map(|i| item_from_json(i).ok())
                .any(|shown| item_changed(engine, table, &shown, projected));
            put(&mut m, "Stale", stale);
        }
    }
    put(&mut m, "SizeBytes", entry.bytes);
    put(&mut m, "CachedAt", entry.cached_ms);
    put(&mut m, "ExpiresInMilliseconds", entry.expires_ms.map(|at| at.saturating_sub(engine.now_ms)));
    Value::Object(m)
}
