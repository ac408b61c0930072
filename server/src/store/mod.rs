//! `--data-dir`: the server keeps every table across restarts, as the browser keeps them in
//! IndexedDB — the same snapshot and journal ([`format`]), a write acknowledged only once it is
//! on disk, concurrent writes sharing one fsync ([`commit`]), files framed and checksummed so
//! a torn or damaged tail is found and only it is dropped ([`files`], [`disk`]).
//!
//! The HTTP layer calls three things, all under the engine lock so the journal's order is the
//! engine's: [`Store::recover`] before a request, [`Store::checkpoint_if_moved`] once engine
//! time is set, [`Store::journal`] with the entry `Engine::handle_logged` gave for a mutation
//! that succeeded — then waits for its [`Ack`] outside the lock.
//!
//! Changes the engine makes on its own — TTL deletions, workload traffic, partition splits
//! that followed traffic — are not requests, so replaying the journal would not reproduce
//! them. As in the browser (`dynaplay_engine::journal`, "What a host does"), the engine counts
//! them, and when the count has moved a checkpoint (a new snapshot) goes into the queue before
//! the next journaled request, right after the request's entry when it moved during the
//! request, and at most every [`CHECKPOINT_INTERVAL`] otherwise.

mod commit;
mod disk;
mod files;
mod format;

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use dynaplay_engine::{ApiError, Engine, EngineConfig, ErrorKind};

pub use commit::Ack;
pub use format::{is_mutating, Mutation};

use commit::Committer;
use disk::{Disk, Entry, LoadReport};

/// How often, at most, changes the engine made on its own are saved when no write comes.
pub const CHECKPOINT_INTERVAL: Duration = Duration::from_secs(2);

/// An open data directory and its writer.
pub struct Store {
    disk: Arc<Mutex<Disk>>,
    committer: Committer,
    config: EngineConfig,
    /// Set by the writer when the journal has outgrown the snapshot; the next journaled
    /// request queues a checkpoint (the engine state is only at hand under the engine lock).
    compaction_due: Arc<AtomicBool>,
    /// [`Engine::background_writes`] as of the last checkpoint queued.
    checkpointed_background: AtomicU64,
    last_checkpoint: Mutex<Instant>,
}

impl Store {
    /// Opens (creating if needed) and locks `dir`, and rebuilds the engine from it. The
    /// report says what was loaded and anything dropped.
    pub fn open(dir: &Path, config: EngineConfig) -> Result<(Self, Engine, LoadReport), String> {
        let data_dir = Arc::new(files::DataDir::open(dir)?);
        let (disk, engine, report) = Disk::load(data_dir, config.clone())?;
        let compaction_due = Arc::new(AtomicBool::new(disk.compaction_due()));
        let disk = Arc::new(Mutex::new(disk));
        let due = Arc::clone(&compaction_due);
        let committer = Committer::start(Arc::clone(&disk), move |disk| {
            if disk.compaction_due() {
                due.store(true, Ordering::Relaxed);
            }
        })
        .map_err(|e| format!("cannot start the writer thread: {e}"))?;
        let store = Self {
            disk,
            committer,
            config,
            compaction_due,
            checkpointed_background: AtomicU64::new(engine.background_writes()),
            last_checkpoint: Mutex::new(Instant::now()),
        };
        Ok((store, engine, report))
    }

    /// After a failed write the engine holds changes that are not on disk: rebuild it from
    /// disk (what was acknowledged) before running anything else. An error means the
    /// directory cannot even be read back; writes are refused until it can.
    pub fn recover(&self, engine: &mut Engine) -> Result<(), ApiError> {
        let Some(reason) = self.committer.failed() else { return Ok(()) };
        let mut disk = self.disk.lock().unwrap_or_else(PoisonError::into_inner);
        match Disk::load(disk.dir(), self.config.clone()) {
            Ok((reloaded, rebuilt, report)) => {
                for warning in report.warnings {
                    eprintln!("dynaplay-server: {warning}");
                }
                *disk = reloaded;
                *engine = rebuilt;
                self.checkpointed_background.store(engine.background_writes(), Ordering::Relaxed);
                self.committer.recovered();
                eprintln!("dynaplay-server: rebuilt the tables from the data directory after: {reason}");
                Ok(())
            }
            Err(why) => Err(ApiError::new(
                ErrorKind::InternalServerError,
                format!("dynaplay-server cannot save changes: {reason}; reading the data directory back failed too: {why}"),
            )),
        }
    }

    /// Queues a checkpoint when the engine changed on its own since the last one: always
    /// before a mutation (`before_write`), so the mutation replays on exactly the state it ran
    /// on; otherwise at most every [`CHECKPOINT_INTERVAL`].
    pub fn checkpoint_if_moved(&self, engine: &Engine, before_write: bool) {
        let background = engine.background_writes();
        if background == self.checkpointed_background.load(Ordering::Relaxed) {
            return;
        }
        let mut last = self.last_checkpoint.lock().unwrap_or_else(PoisonError::into_inner);
        if !before_write && last.elapsed() < CHECKPOINT_INTERVAL {
            return;
        }
        *last = Instant::now();
        self.checkpoint(engine);
    }

    fn checkpoint(&self, engine: &Engine) {
        self.checkpointed_background.store(engine.background_writes(), Ordering::Relaxed);
        self.committer.push(Entry::Checkpoint(format::snapshot(engine)), false);
    }

    /// Queues the journal entry of a request the engine has just executed
    /// (`Engine::handle_logged`); the answer waits for the returned [`Ack`]. Compaction rides
    /// along when due: a checkpoint right after this mutation replaces the journal.
    pub fn journal(&self, engine: &Engine, mutation: Mutation) -> Option<Ack> {
        let ack = self.committer.push(Entry::Mutation(mutation), true);
        if self.compaction_due.swap(false, Ordering::Relaxed) {
            self.checkpoint(engine);
        }
        ack
    }

    /// Saves what the engine changed on its own since the last checkpoint, writes everything
    /// queued, and stops the writer (shutdown).
    pub fn close(&self, engine: &Engine) {
        if self.committer.failed().is_none() {
            self.checkpoint_if_moved(engine, true);
        }
        self.committer.close();
    }
}

/// The error a request gets when its change could not be saved.
pub fn not_saved(reason: &str) -> ApiError {
    ApiError::new(
        ErrorKind::InternalServerError,
        format!(
            "dynaplay-server could not save this change: {reason}. It was not applied; every change acknowledged \
             before it is saved. Retry it."
        ),
    )
}

#[cfg(test)]
mod tests;
