//! The stored workspace as the writer sees it: load it (rebuilding the engine, dropping only
//! what cannot be read or replayed and saying so), append a group commit, start a new
//! generation for a checkpoint or compaction.

use std::fs::File;
use std::io::{self, Write};
use std::sync::Arc;

use dynaplay_engine::{Engine, EngineConfig};
use serde_json::Value;

use super::files::{self, DataDir, Tail};
use super::format::{self, CompactionPolicy, Mutation};

/// One executed change waiting to be made durable.
#[derive(Debug)]
pub enum Entry {
    /// A request the engine executed successfully: appended to the journal.
    Mutation(Mutation),
    /// The whole engine at this point in the queue (a checkpoint after changes the engine
    /// made on its own, or a compaction): the next generation starts from it.
    Checkpoint(Value),
}

/// Journal records larger than this are split (a frame's length is a u32, and one huge
/// record would have to be held whole to read it back).
const MAX_RECORD_BYTES: usize = 256 << 20;

/// The files of the current generation, open for writing.
pub struct Disk {
    dir: Arc<DataDir>,
    generation: u64,
    journal: File,
    /// Journal bytes after the header, for the compaction policy.
    journal_bytes: u64,
    snapshot_bytes: u64,
    policy: CompactionPolicy,
}

/// What opening found, for the start-up lines.
#[derive(Debug, Default)]
pub struct LoadReport {
    /// Tables in the rebuilt engine.
    pub tables: usize,
    /// Journal entries replayed on top of the snapshot.
    pub replayed: usize,
    /// Anything dropped, each said plainly (empty when everything was read).
    pub warnings: Vec<String>,
    /// The directory was empty: a new store was created.
    pub created: bool,
}

impl Disk {
    /// Rebuilds the engine from `dir`: the snapshot, then every journal entry that can be read
    /// and replayed. A torn last write (never acknowledged) is cut off. A damaged frame or an
    /// entry that fails to replay stops the replay there: everything before it is kept, the
    /// journal is set aside whole (nothing is deleted) and a new generation starts from what
    /// was kept. Only a damaged snapshot, or files that cannot be read or written, are errors.
    pub fn load(dir: Arc<DataDir>, config: EngineConfig) -> Result<(Self, Engine, LoadReport), String> {
        let mut report = LoadReport::default();
        let io_err = |what: &str, e: io::Error| format!("{what} in {}: {e}", dir.path().display());
        let Some((generation, snapshot)) = files::read_snapshot(&dir)? else {
            // A new store: generation 1, an empty engine.
            let engine = Engine::with_config(config);
            let disk = Self::start_generation(dir.clone(), 1, &engine, &[])
                .map_err(|e| io_err("cannot create the store", e))?;
            report.created = true;
            return Ok((disk, engine, report));
        };
        let mut engine = format::import(&snapshot, config).map_err(|e| {
            format!(
                "the snapshot in {} cannot be loaded ({e}); nothing was changed. Move the directory aside to \
                 start empty, or restore it from a backup",
                dir.path().display()
            )
        })?;
        for stale in dir.stale_journals(generation) {
            // A crash between generations: its changes are in the snapshot (older) or were
            // never acknowledged (newer).
            let _ = std::fs::remove_file(stale);
        }
        let journal_path = dir.journal_path(generation);
        let read = files::read_journal(&journal_path, generation)
            .map_err(|e| io_err("cannot read the journal", e))?;

        // Replay until the first entry that cannot be read or replayed.
        let mut problem: Option<String> = None;
        'frames: for (n, (offset, payload)) in read.frames.iter().enumerate() {
            let entries = match format::decode_record(payload) {
                Ok(entries) => entries,
                Err(why) => {
                    problem = Some(format!("journal record {} (byte {offset}) cannot be read: {why}", n + 1));
                    break;
                }
            };
            for entry in entries {
                if let Err(why) = format::replay(&mut engine, &entry) {
                    let (operation, at_ms) = (&entry.operation, entry.at_ms);
                    problem = Some(format!(
                        "replaying {operation} (journal record {}, byte {offset}, engine time {at_ms}) failed: {why}",
                        n + 1
                    ));
                    break 'frames;
                }
                report.replayed += 1;
            }
        }
        if problem.is_none() {
            if let Tail::Damaged { offset, bytes, why } = &read.tail {
                problem = Some(format!(
                    "the journal is damaged at byte {offset} ({why}); {bytes} bytes from there on"
                ));
            }
        }
        report.tables = engine
            .handle_json("ListTables", serde_json::json!({}))
            .ok()
            .and_then(|v| v.get("TableNames").and_then(Value::as_array).map(Vec::len))
            .unwrap_or(0);

        if let Some(problem) = problem {
            let aside = dir
                .set_aside(&journal_path, generation)
                .map_err(|e| io_err("cannot set the damaged journal aside", e))?;
            report.warnings.push(format!(
                "{problem}. Kept the {} requests before it; dropped that one and everything after it. The \
                 whole journal is kept as {}",
                report.replayed,
                aside.display()
            ));
            let disk = Self::start_generation(dir.clone(), generation + 1, &engine, &[])
                .map_err(|e| io_err("cannot write a new generation", e))?;
            return Ok((disk, engine, report));
        }
        if let Tail::Torn { bytes } = read.tail {
            files::truncate(&journal_path, read.good_len)
                .map_err(|e| io_err("cannot cut the torn journal tail", e))?;
            report.warnings.push(format!(
                "dropped the last {bytes} bytes of {}: a write cut off by a crash before it was acknowledged",
                journal_path.display()
            ));
        }
        let journal = if read.good_len == 0 {
            // Missing (removed by hand): start it again.
            files::create_journal(&dir, generation, &[])
                .map_err(|e| io_err("cannot create the journal", e))?
        } else {
            files::open_journal_for_append(&journal_path).map_err(|e| io_err("cannot open the journal", e))?
        };
        let disk = Self {
            journal_bytes: read.good_len.saturating_sub(files::HEADER_BYTES),
            snapshot_bytes: snapshot.len() as u64,
            dir,
            generation,
            journal,
            policy: CompactionPolicy::default(),
        };
        Ok((disk, engine, report))
    }

    /// Writes generation `generation`: its journal holding `tail`, then the snapshot of
    /// `engine` naming it; then removes the previous journal.
    fn start_generation(
        dir: Arc<DataDir>,
        generation: u64,
        engine: &Engine,
        tail: &[&Mutation],
    ) -> io::Result<Self> {
        let snapshot = format::snapshot(engine).to_string();
        Self::write_generation(dir, generation, snapshot.as_bytes(), tail)
    }

    fn write_generation(
        dir: Arc<DataDir>,
        generation: u64,
        snapshot: &[u8],
        tail: &[&Mutation],
    ) -> io::Result<Self> {
        let frames = frames(tail);
        let journal = files::create_journal(&dir, generation, &frames)?;
        files::write_snapshot(&dir, generation, snapshot)?;
        if generation > 1 {
            // Its changes are in the new snapshot now.
            let _ = std::fs::remove_file(dir.journal_path(generation - 1));
        }
        Ok(Self {
            dir,
            generation,
            journal,
            journal_bytes: frames.len() as u64,
            snapshot_bytes: snapshot.len() as u64,
            policy: CompactionPolicy::default(),
        })
    }

    /// Makes a group commit durable: the mutations are appended as one record (fdatasync), or,
    /// when the batch holds a checkpoint, the last checkpoint becomes the snapshot of a new
    /// generation whose journal holds the mutations after it (the ones before it are in it).
    pub fn commit(&mut self, batch: &[Entry]) -> io::Result<()> {
        let last_checkpoint = batch.iter().rposition(|e| matches!(e, Entry::Checkpoint(_)));
        let tail = last_checkpoint.map_or(batch, |i| &batch[i + 1..]);
        let mutations: Vec<&Mutation> = tail
            .iter()
            .filter_map(|e| match e {
                Entry::Mutation(m) => Some(m),
                Entry::Checkpoint(_) => None,
            })
            .collect();
        if let Some(Entry::Checkpoint(snapshot)) = last_checkpoint.map(|i| &batch[i]) {
            let text = snapshot.to_string();
            let policy = self.policy;
            *self =
                Self::write_generation(self.dir.clone(), self.generation + 1, text.as_bytes(), &mutations)?;
            self.policy = policy;
            return Ok(());
        }
        let frames = frames(&mutations);
        if frames.is_empty() {
            return Ok(());
        }
        let before = self.journal_bytes;
        let written = self.journal.write_all(&frames).and_then(|()| self.journal.sync_data());
        if let Err(e) = written {
            // Take back whatever part of the batch reached the file, so a later append does not
            // land behind a broken frame. If even that fails, the reload after this failure
            // finds a torn tail and cuts it.
            let _ =
                self.journal.set_len(files::HEADER_BYTES + before).and_then(|()| self.journal.sync_data());
            return Err(e);
        }
        self.journal_bytes += frames.len() as u64;
        Ok(())
    }

    /// Whether the journal has outgrown the snapshot.
    pub fn compaction_due(&self) -> bool {
        self.policy.due(self.journal_bytes, self.snapshot_bytes)
    }

    pub fn dir(&self) -> Arc<DataDir> {
        self.dir.clone()
    }

    #[cfg(test)]
    pub fn generation(&self) -> u64 {
        self.generation
    }

    #[cfg(test)]
    pub fn set_policy(&mut self, policy: CompactionPolicy) {
        self.policy = policy;
    }

    /// Swaps the journal for a read-only handle, so the next append fails as a full or
    /// broken disk would.
    #[cfg(test)]
    pub fn break_journal(&mut self) {
        self.journal = File::open(self.dir.journal_path(self.generation)).unwrap();
    }
}

/// The journal frames holding `mutations`: one record per group commit, split only when it
/// would pass [`MAX_RECORD_BYTES`].
fn frames(mutations: &[&Mutation]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < mutations.len() {
        let mut end = start;
        let mut bytes = 0;
        while end < mutations.len()
            && (end == start || bytes + mutations[end].request.len() < MAX_RECORD_BYTES)
        {
            bytes += mutations[end].request.len() + mutations[end].operation.len() + 24;
            end += 1;
        }
        if let Some(record) = format::encode_record(mutations[start..end].iter().copied()) {
            out.extend_from_slice(&files::frame(record.as_bytes()));
        }
        start = end;
    }
    out
}
