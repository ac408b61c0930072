//! What goes inside the files: the same snapshot and journal records as the browser keeps in
//! IndexedDB, so a workspace means the same thing in both hosts.
//!
//! - snapshot: the engine's [`Engine::export_snapshot`] document (tables, items, settings,
//!   every stream's state) as JSON text;
//! - journal record: one per group commit, a JSON array of `[operation, engine_time_ms,
//!   request]` entries in the order the engine ran them (a fourth member names the Region of
//!   a request served in another than the server's own);
//! - restore: import the snapshot, then replay every entry at its engine time;
//! - compaction: once the journal outgrows the snapshot (and 1 MB).
//!
//! This module is the server's one seam to that format, which is the engine's
//! (`dynaplay_engine::journal`, shared with the browser host).

use dynaplay_engine::journal;
use dynaplay_engine::{Engine, EngineConfig};
use serde_json::Value;

pub use journal::{encode_record, CompactionPolicy, Mutation};

/// The entries of a journal record, in order.
pub fn decode_record(record: &[u8]) -> Result<Vec<journal::StoredMutation>, String> {
    journal::decode_record(record)
}

/// The snapshot document of `engine` (serialised later, off the engine lock).
pub fn snapshot(engine: &Engine) -> Value {
    engine.export_snapshot()
}

/// An engine rebuilt from snapshot text, with the server's settings.
pub fn import(snapshot: &[u8], config: EngineConfig) -> Result<Engine, String> {
    journal::import_snapshot(snapshot, config).map_err(|e| format!("the snapshot: {e}"))
}

/// Replays one journal entry at its engine time, as it was applied (`Engine::replay`: the
/// throttling decided when it ran is not decided again). An error means the store is damaged.
pub fn replay(engine: &mut Engine, entry: &journal::StoredMutation) -> Result<(), String> {
    engine
        .replay_in(entry.region.as_deref(), &entry.operation, entry.at_ms, &entry.request)
        .map(drop)
        .map_err(|e| format!("{}: {}", e.kind.name(), e.message))
}

/// Whether `operation` can change engine state, and so must be journaled before it is
/// acknowledged.
pub fn is_mutating(operation: &str) -> bool {
    dynaplay_engine::is_mutating(operation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(op: &str, at_ms: u64, request: Value) -> Mutation {
        Mutation { operation: op.into(), at_ms, request: request.to_string(), region: None }
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
        for entry in &entries {
            replay(&mut engine, entry).unwrap();
        }
        assert_eq!(engine.now(), 2_000);
        let text = snapshot(&engine).to_string();
        let mut restored = import(text.as_bytes(), EngineConfig::default()).unwrap();
        let item =
            restored.handle_json("GetItem", json!({"TableName": "Tab", "Key": {"pk": {"S": "a"}}})).unwrap();
        assert_eq!(item["Item"]["pk"]["S"], "a");
        // Replaying it again fails (the table exists): replay reports, never panics.
        let again = journal::StoredMutation { at_ms: 3_000, ..entries[0].clone() };
        let err = replay(&mut restored, &again);
        assert!(err.unwrap_err().contains("ResourceInUse"));
        // An entry served in another Region replays there.
        let mut west = m("CreateTable", 4_000, serde_json::from_str(&create.request).unwrap());
        west.region = Some("us-west-2".into());
        let entries = decode_record(encode_record([&west]).unwrap().as_bytes()).unwrap();
        assert_eq!(entries[0].region.as_deref(), Some("us-west-2"));
        replay(&mut restored, &entries[0]).unwrap();
        let tables = restored.handle_json_in("us-west-2", "ListTables", json!({})).unwrap();
        assert_eq!(tables["TableNames"], json!(["Tab"]));
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
