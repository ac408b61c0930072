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
