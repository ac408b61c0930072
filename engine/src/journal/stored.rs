//! A stored workspace as a host reads it back — format version, snapshot, journal records,
//! side records — and how each older format is brought up to date before the engine is
//! rebuilt from it.
//!
//! The browser keeps these in IndexedDB (`web/src/host/store.rs`: object stores `meta`,
//! `snapshot`, `journal`, `triggers`); the server's data directory frames the same snapshot
//! and records in files of its own (`server/src/store/files.rs`).

use super::restore::{restore, Restored};
use crate::engine::EngineConfig;

/// The version of what is stored: the snapshot document, journal records (`record.rs`) and
/// side records. Bump it when their meaning changes and add the step from the previous
/// version to [`upgrade`]; a store written by a newer version is refused, never guessed at.
///
/// 1 → 2 added side records (the browser's triggers store). Snapshots grew members since
/// (`"State"`, `"tablesCreated"`, `"clientTokens"`, see `snapshot.rs`) without a bump: they
/// are optional both ways — an older snapshot imports without them, and an older dynaplay
/// reading a newer one ignores them.
pub const STORED_FORMAT: u32 = 2;

/// What a host found stored.
#[derive(Debug, Default)]
pub struct Stored {
    /// The stored-format version (`None` for a store never written).
    pub format: Option<u32>,
    /// The snapshot text, if any.
    pub snapshot: Option<String>,
    /// Journal records, in commit order.
    pub records: Vec<String>,
    /// Side records (their stored form), any order.
    pub side: Vec<String>,
}

/// Why a stored workspace cannot be read at all.
#[derive(Debug, PartialEq)]
pub enum LoadError {
    /// Written by a newer dynaplay.
    TooNew(u32),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooNew(v) => write!(
                f,
                "this workspace was saved by a newer dynaplay (stored format {v}; this version reads up to {STORED_FORMAT})"
            ),
        }
    }
}

/// Brings a stored workspace to [`STORED_FORMAT`], one step per format; the next write stores
/// the new format number. A newer format is refused.
pub fn upgrade(mut stored: Stored) -> Result<Stored, LoadError> {
    loop {
        match stored.format {
            None => stored.format = Some(STORED_FORMAT),
            // 1 → 2 added side records (IndexedDB creates the `triggers` store, empty, when it
            // opens a format-1 database); snapshot and journal are unchanged.
            Some(1) => {
                stored.side.clear();
                stored.format = Some(2);
            }
            Some(STORED_FORMAT) => return Ok(stored),
            Some(v) => return Err(LoadError::TooNew(v)),
        }
    }
}

/// Rebuilds the engine from a stored workspace (see [`restore`]: a damaged part ends the
/// rebuild there, with the reason, rather than failing it), and hands back its side records.
pub fn open(stored: Stored, config: EngineConfig) -> Result<(Restored, Vec<String>), LoadError> {
    let stored = upgrade(stored)?;
    let restored = restore(stored.snapshot.as_deref().map(str::as_bytes), &stored.records, config);
    Ok((restored, stored.side))
}
