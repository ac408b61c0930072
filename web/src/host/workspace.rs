//! The engine's whole-workspace export/import and the "does this operation change state" test,
//! behind one small seam, so the persistence code names them in one place.

use dynaplay_engine::{ApiError, Engine};
use serde_json::Value;

/// The whole engine state as one portable JSON document
/// (`{"format":"dynaplay-workspace","version":1,…}`: table definitions, items in DynamoDB JSON,
/// engine time).
pub fn export(engine: &Engine) -> Value {
    engine.export_workspace()
}

/// The whole engine state for IndexedDB: the export plus every stream's state (shards,
/// records, sequence counter), so a reload from a compacted snapshot continues the same
/// streams and a trigger's saved position still means the same record.
pub fn snapshot(engine: &Engine) -> Value {
    engine.export_snapshot()
}

/// [`snapshot`] as JSON text, written into a buffer of `size_hint` bytes (the last snapshot's
/// size): a snapshot can be tens of megabytes, and growing the text by doubling would copy it
/// several times and hold old and new buffers at once — a peak the wasm memory keeps for good.
pub fn snapshot_text(engine: &Engine, size_hint: usize) -> String {
    let value = snapshot(engine);
    let mut out = Vec::with_capacity(size_hint.saturating_add(size_hint / 16).saturating_add(4096));
    // Writing JSON into a Vec fails only on a map key that is not a string: a Value has none.
    if serde_json::to_writer(&mut out, &value).is_err() {
        return value.to_string();
    }
    drop(value);
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A new engine holding the workspace in `document`; a bad document is an error and nothing
/// is built.
pub fn import(document: &Value) -> Result<Engine, ApiError> {
    Engine::import_workspace(document)
}

/// Whether `operation` can change engine state, and so must be journaled before it is
/// acknowledged.
pub fn is_mutating(operation: &str) -> bool {
    dynaplay_engine::is_mutating(operation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_text_is_the_snapshot_whatever_the_size_hint() {
        let mut engine = Engine::new();
        engine
            .handle(
                "CreateTable",
                br#"{"TableName":"Tbl","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
                    "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
                    "BillingMode":"PAY_PER_REQUEST"}"#,
            )
            .unwrap();
        engine.handle("PutItem", br#"{"TableName":"Tbl","Item":{"pk":{"S":"a\"b"}}}"#).unwrap();
        let expected = snapshot(&engine).to_string();
        for hint in [0, 10, expected.len(), 1 << 20] {
            assert_eq!(snapshot_text(&engine, hint), expected);
        }
    }
}
