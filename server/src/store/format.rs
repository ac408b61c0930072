//! What goes inside the files: the same snapshot and journal records as the browser keeps in
//! IndexedDB, so a workspace means the same thing in both hosts.
//!
//! - snapshot: the engine's [`Engine::export_snapshot`] document (tables, items, settings,
//!   every stream's state) as JSON text;
//! - journal record: one per group commit, a JSON array of `[operation, engine_time_ms,
//!   request]` entries in the order the engine ran them;
//! - restore: import the snapshot, then replay every entry at its engine time;
//! - compaction: once the journal outgrows the snapshot (and 1 MB).
//!
//! This module is the server's one seam to that format. Today it mirrors `web/src/protocol.rs`;
//! when the format moves into the engine (`engine/src/journal.rs`, issue 12 item 1), these
//! functions become calls to it and nothing else in `store/` changes.

use dynaplay_engine::{Engine, EngineConfig};
use serde_json::Value;

/// One executed mutation waiting to be made durable.
#[derive(Clone, Debug, PartialEq)]
pub struct Mutation {
    /// Operation name, e.g. `PutItem`.
    pub operation: String,
    /// Engine time when it ran.
    pub at_ms: u64,
    /// The request body, JSON text exactly as the engine parsed it.
    pub request: String,
}

/// The journal record holding `mutations`, or `None` if there are none.
pub fn encode_record<'a>(mutations: impl IntoIterator<Item = &'a Mutation>) -> Option<String> {
    let mut out = String::from("[");
    for m in mutations {
        if out.len() > 1 {
            out.push(',');
        }
        // The request is JSON text the engine parsed, so it embeds as-is.
        out.push('[');
        out.push_str(&Value::String(m.operation.clone()).to_string());
        out.push(',');
        out.push_str(&m.at_ms.to_string());
        out.push(',');
        out.push_str(&m.request);
        out.push(']');
    }
    out.push(']');
    (out.len() > 2).then_some(out)
}

/// The entries of a journal record, in order.
pub fn decode_record(record: &[u8]) -> Result<Vec<(String, u64, Value)>, String> {
    let bad = |why: &str| format!("a journal record is not readable: {why}");
    let value: Value = serde_json::from_slice(record).map_err(|e| bad(&e.to_string()))?;
    let entries = value.as_array().ok_or_else(|| bad("not a list"))?;
    entries
        .iter()
        .map(|e| match e.as_array().map(Vec::as_slice) {
            Some([Value::String(op), Value::Number(at), request]) => {
                Ok((op.clone(), at.as_u64().ok_or_else(|| bad("bad time"))?, request.clone()))
            }
            _ => Err(bad("an entry is not [operation, time, request]")),
        })
        .collect()
}

/// The snapshot document of `engine` (serialised later, off the engine lock).
pub fn snapshot(engine: &Engine) -> Value {
    engine.export_snapshot()
}

/// An engine rebuilt from snapshot text, with the server's settings.
pub fn import(snapshot: &[u8], config: EngineConfig) -> Result<Engine, String> {
    let document: Value =
        serde_json::from_slice(snapshot).map_err(|e| format!("the snapshot is not JSON: {e}"))?;
    Engine::import_workspace_with_config(&document, config)
        .map_err(|e| format!("the snapshot: {}", e.message))
}

/// Replays one journal entry at its engine time. The engine is deterministic, so an entry that
/// succeeded when it was journaled succeeds again; an error means the store is damaged.
pub fn replay(engine: &mut Engine, operation: &str, at_ms: u64, request: Value) -> Result<(), String> {
    engine.set_now(at_ms);
    engine.handle_json(operation, request).map(drop).map_err(|e| format!("{}: {}", e.kind.name(), e.message))
}

/// Whether `operation` can change engine state, and so must be journaled before it is
/// acknowledged.
pub fn is_mutating(operation: &str) -> bool {
    dynaplay_engine::is_mutating(operation)
}

/// When to fold the journal into a new snapshot: once the journal outgrows the snapshot (and a
/// floor), so the cost of writing snapshots stays proportional to the data written, and a
/// restart never replays more than about one snapshot's worth of requests.
#[derive(Clone, Copy, Debug)]
pub struct CompactionPolicy {
    /// Never compact below this many journal bytes.
    pub min_journal_bytes: u64,
}

impl Default for CompactionPolicy {
    fn default() -> Self {
        Self { min_journal_bytes: 1 << 20 }
    }
}

impl CompactionPolicy {
    /// Whether to compact now.
    pub fn due(&self, journal_bytes: u64, snapshot_bytes: u64) -> bool {
        journal_bytes >= self.min_journal_bytes.max(snapshot_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(op: &str, at_ms: u64, request: Value) -> Mutation {
        Mutation { operation: op.into(), at_ms, request: request.to_string() }
    }

    #[test]
    fn records_round_trip_and_replay() {
        let create = m(
            "CreateTable",
            1_000,
            json!({"TableName": "Tab", "BillingMode": "PAY_PER_REQUEST",
                   "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                   "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}),
        );
        let put = m("PutItem", 2_000, json!({"TableName": "Tab", "Item": {"pk": {"S": "a"}}}));
        assert_eq!(encode_record([]), None);
        let record = encode_record([&create, &put]).unwrap();
        let entries = decode_record(record.as_bytes()).unwrap();
        assert_eq!(entries.len(), 2);
        let mut engine = Engine::new();
        for (op, at, request) in entries {
            replay(&mut engine, &op, at, request).unwrap();
        }
        assert_eq!(engine.now(), 2_000);
        let text = snapshot(&engine).to_string();
        let mut restored = import(text.as_bytes(), EngineConfig::default()).unwrap();
        let item =
            restored.handle_json("GetItem", json!({"TableName": "Tab", "Key": {"pk": {"S": "a"}}})).unwrap();
        assert_eq!(item["Item"]["pk"]["S"], "a");
        // Replaying it again fails (the table exists): replay reports, never panics.
        let err = replay(&mut restored, "CreateTable", 3_000, serde_json::from_str(&create.request).unwrap());
        assert!(err.unwrap_err().contains("ResourceInUse"));
    }

    #[test]
    fn unreadable_records_are_errors() {
        assert!(decode_record(b"{").is_err());
        assert!(decode_record(b"{}").unwrap_err().contains("not a list"));
        assert!(decode_record(b"[[1]]").unwrap_err().contains("not [operation"));
        assert!(decode_record(b"[[\"PutItem\", -1, {}]]").unwrap_err().contains("bad time"));
        assert!(import(b"nope", EngineConfig::default()).is_err());
        assert!(import(b"{\"format\":\"x\"}", EngineConfig::default()).err().unwrap().contains("snapshot"));
    }

    #[test]
    fn compaction_is_due_once_the_journal_outgrows_the_snapshot() {
        let p = CompactionPolicy { min_journal_bytes: 100 };
        assert!(!p.due(99, 0));
        assert!(p.due(100, 0));
        assert!(!p.due(500, 1000));
        assert!(p.due(1000, 1000));
    }
}
