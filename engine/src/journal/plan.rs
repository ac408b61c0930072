//! What a host with a group commit writes for a batch of entries: one transaction holding a
//! journal record (or a new snapshot that restarts the journal), and when to fold the journal
//! into a snapshot.

use super::record::{encode_record, Mutation};

/// One entry waiting to be made durable, in the order the host produced them.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    /// A request the engine executed successfully ([`crate::Engine::handle_logged`]'s entry):
    /// replayed at its engine time on reload.
    Mutation(Mutation),
    /// The whole workspace was replaced (reset, import): the journal restarts from this
    /// snapshot, and every side record goes.
    Replace {
        /// The new workspace JSON text.
        snapshot: String,
    },
    /// The engine changed in a way replaying the journal would not reproduce (workload
    /// traffic, TTL deletions, traffic-driven splits: [`crate::Engine::background_writes`]
    /// moved): the journal restarts from this snapshot. Unlike `Replace`, the workspace is
    /// the same one, so its side records stay.
    Checkpoint {
        /// The workspace snapshot JSON text (`Engine::export_snapshot`).
        snapshot: String,
    },
    /// A record the host keeps beside the workspace under `key` — the browser's stream
    /// triggers, one per table — written (`Some`) or removed (`None`) in the same transaction
    /// as the mutations before it, so it never refers to something not yet stored.
    Side {
        /// Its key (the browser: the table name).
        key: String,
        /// Its stored form, or `None` to remove it.
        value: Option<String>,
    },
}

/// What one transaction writes for a batch.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TxnPlan {
    /// A new snapshot to store (reset, import, checkpoint or compaction).
    pub snapshot: Option<String>,
    /// Clear the journal first (always together with a new snapshot).
    pub clear_journal: bool,
    /// A journal record to append (the mutations after the snapshot, if any).
    pub record: Option<String>,
    /// Mutations in the batch (for statistics).
    pub mutations: usize,
    /// Remove every side record first (reset, import).
    pub clear_side: bool,
    /// Side records to store (`Some`) or remove (`None`), the last state per key.
    pub side: Vec<(String, Option<String>)>,
}

/// Turns a batch into one transaction.
///
/// `compact` is called only when the batch holds no `Replace` or `Checkpoint`: it returns the
/// engine's current snapshot if the journal should be folded now. The caller guarantees that
/// the engine state at this moment is exactly the committed state plus this batch (the batch
/// is everything not yet committed), so such a snapshot replaces the journal *and* the batch.
pub fn plan_transaction(batch: &[Entry], compact: impl FnOnce() -> Option<String>) -> TxnPlan {
    let mutations = batch.iter().filter(|e| matches!(e, Entry::Mutation(_))).count();
    let last_replace = batch.iter().rposition(|e| matches!(e, Entry::Replace { .. }));
    let last_base = batch.iter().rposition(|e| matches!(e, Entry::Replace { .. } | Entry::Checkpoint { .. }));
    // A replaced workspace takes its side records with it: only those saved after it count.
    let side_tail = last_replace.map_or(batch, |i| &batch[i + 1..]);
    let mut side: Vec<(String, Option<String>)> = Vec::new();
    for entry in side_tail {
        if let Entry::Side { key, value } = entry {
            side.retain(|(k, _)| k != key);
            side.push((key.clone(), value.clone()));
        }
    }
    let clear_side = last_replace.is_some();
    let (snapshot, tail) = match last_base.map(|i| (&batch[i], i)) {
        Some((Entry::Replace { snapshot } | Entry::Checkpoint { snapshot }, i)) => {
            (Some(snapshot.clone()), &batch[i + 1..])
        }
        _ => match compact() {
            Some(snapshot) => {
                return TxnPlan {
                    clear_journal: true,
                    snapshot: Some(snapshot),
                    record: None,
                    mutations,
                    clear_side,
                    side,
                }
            }
            None => (None, batch),
        },
    };
    let record = encode_record(tail.iter().filter_map(|e| match e {
        Entry::Mutation(m) => Some(m),
        _ => None,
    }));
    TxnPlan { clear_journal: snapshot.is_some(), snapshot, record, mutations, clear_side, side }
}

/// When to fold the journal into a new snapshot: once the journal outgrows the snapshot (and a
/// floor), so the cost of writing snapshots stays proportional to the data written, and a
/// reload never replays more than about one snapshot's worth of requests.
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
