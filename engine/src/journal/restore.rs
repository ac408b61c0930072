//! Rebuilding an engine from a snapshot and journal records — and saying exactly where and
//! why, when something stored cannot be read or replayed, instead of failing outright.

use serde_json::Value;

use super::record::decode_record;
use crate::engine::{Engine, EngineConfig};
use crate::error::ApiError;

/// Why a rebuild stopped before the end of the journal. The engine it returns holds
/// everything before the point named here.
#[derive(Clone, Debug, PartialEq)]
pub enum ReplayFailure {
    /// The snapshot is not readable: the engine is empty, and no journal entry was replayed
    /// (they apply on top of the snapshot).
    Snapshot {
        /// What is wrong with it.
        error: String,
    },
    /// Journal record `record` (0-based, in commit order) is not readable: the engine holds
    /// the snapshot and every record before it.
    Record {
        /// Which record.
        record: usize,
        /// What is wrong with it.
        error: String,
    },
    /// A journaled request failed when replayed: the engine holds everything before it (a
    /// failed request changes nothing; engine time has moved to the entry's).
    Entry {
        /// Which record (0-based, in commit order).
        record: usize,
        /// Which entry of the record (0-based).
        entry: usize,
        /// The request's operation.
        operation: String,
        /// The engine time it ran at.
        at_ms: u64,
        /// The request.
        request: Value,
        /// The error the replay met.
        error: ApiError,
    },
}

impl std::fmt::Display for ReplayFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Snapshot { error } => write!(f, "the saved snapshot is not readable ({error})"),
            Self::Record { record, error } => {
                write!(f, "saved change record {} is not readable ({error})", record + 1)
            }
            Self::Entry { record, entry, operation, error, .. } => write!(
                f,
                "request {} of saved change record {} ({operation}) failed when replayed: {}: {}",
                entry + 1,
                record + 1,
                error.kind.name(),
                error.message
            ),
        }
    }
}

impl ReplayFailure {
    /// Whether the rebuild stopped at something this build of the engine leaves out (global
    /// tables, DAX: `features`), which a build with them would have read: the page then loads
    /// that build instead of reporting damage.
    pub fn not_in_this_build(&self) -> bool {
        let not_here = |text: &str| text.contains(crate::NOT_IN_THIS_BUILD);
        match self {
            Self::Snapshot { error } | Self::Record { error, .. } => not_here(error),
            Self::Entry { error, .. } => not_here(&error.message),
        }
    }
}

/// An engine rebuilt from a snapshot and journal records.
pub struct Restored {
    /// The engine: everything stored, or everything before [`Restored::failure`].
    pub engine: Engine,
    /// Journal entries replayed on top of the snapshot.
    pub replayed: usize,
    /// Why the rebuild stopped early, if it did.
    pub failure: Option<ReplayFailure>,
    /// Bytes of snapshot text (for a compaction policy).
    pub snapshot_bytes: u64,
    /// Bytes of journal records.
    pub journal_bytes: u64,
}

/// A new engine from snapshot text (a workspace snapshot document, `Engine::export_snapshot`).
pub fn import_snapshot(text: &[u8], config: EngineConfig) -> Result<Engine, String> {
    let doc: Value = serde_json::from_slice(text).map_err(|e| format!("not JSON: {e}"))?;
    Engine::import_workspace_with_config(&doc, config).map_err(|e| e.message)
}

/// Rebuilds an engine: imports `snapshot` (`None`: start empty), then replays every entry of
/// `records` (journal records, in commit order) at its engine time. Never fails outright:
/// whatever cannot be read or replayed ends the rebuild there, and the engine so far comes
/// back with the reason ([`Restored::failure`]). A host that then goes on writing must first
/// store a snapshot of that engine (a checkpoint that restarts the journal) — after offering
/// the stored data for download — or the next rebuild would stop at the same entry and drop
/// what came after it.
pub fn restore<R: AsRef<[u8]>>(snapshot: Option<&[u8]>, records: &[R], config: EngineConfig) -> Restored {
    let snapshot_bytes = snapshot.map_or(0, |s| s.len() as u64);
    let journal_bytes = records.iter().map(|r| r.as_ref().len() as u64).sum();
    let mut restored = Restored {
        engine: Engine::with_config(config.clone()),
        replayed: 0,
        failure: None,
        snapshot_bytes,
        journal_bytes,
    };
    if let Some(text) = snapshot {
        match import_snapshot(text, config) {
            Ok(engine) => restored.engine = engine,
            Err(error) => {
                restored.failure = Some(ReplayFailure::Snapshot { error });
                return restored;
            }
        }
    }
    for (r, record) in records.iter().enumerate() {
        let entries = match decode_record(record.as_ref()) {
            Ok(entries) => entries,
            Err(error) => {
                restored.failure = Some(ReplayFailure::Record { record: r, error });
                return restored;
            }
        };
        for (e, m) in entries.into_iter().enumerate() {
            let replayed = restored.engine.replay_in(m.region.as_deref(), &m.operation, m.at_ms, &m.request);
            if let Err(error) = replayed {
                restored.failure = Some(ReplayFailure::Entry {
                    record: r,
                    entry: e,
                    operation: m.operation,
                    at_ms: m.at_ms,
                    request: m.request,
                    error,
                });
                return restored;
            }
            restored.replayed += 1;
        }
    }
    restored
}
