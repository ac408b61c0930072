//! The persistence protocol, free of any browser API: what is stored in IndexedDB, how a batch
//! of acknowledged-after-commit mutations becomes one transaction, how a reload rebuilds the
//! engine, and when the journal is folded into a new snapshot.
//!
//! Stored layout (object stores of the `dynaplay` IndexedDB database):
//! - `meta`, key `"format"`: the stored-format version ([`STORED_FORMAT`]);
//! - `snapshot`, key `"workspace"`: the workspace JSON (as a string) the journal starts from —
//!   [`crate::host::workspace::snapshot`]: tables, items and every stream's state;
//! - `journal`, auto-increment keys: one record per committed transaction, a JSON array of
//!   `[operation, engine_time_ms, request]` entries in the order the engine ran them;
//! - `triggers` (format 2), key = table name: the table's stream trigger as
//!   [`crate::triggers::event_source::Mapping::to_json`] writes it — code, settings, stream and the
//!   position per shard. Triggers are the page's, not the engine's: they are not in the
//!   snapshot or the journal, and reset and import remove them all.
//!
//! One record per transaction (not per request) keeps a 1,000-request group commit to a single
//! `put`, which is what makes durable writes cheap.

use dynaplay_engine::Engine;
use serde_json::Value;

use crate::host::workspace;

/// The version of the layout above. Bump it when the layout changes and add the step from
/// the previous version to [`upgrade`]; a store written by a newer version is refused, never
/// guessed at.
pub const STORED_FORMAT: u32 = 2;

/// One executed mutation waiting to be made durable.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    /// A request the engine executed successfully: replayed at `at_ms` on reload.
    Mutation {
        /// Operation name, e.g. `PutItem`.
        operation: String,
        /// Engine time when it ran.
        at_ms: u64,
        /// The request body, JSON text exactly as the engine parsed it.
        request: String,
    },
    /// The whole workspace was replaced (reset, import): the journal restarts from this
    /// snapshot.
    Replace {
        /// The new workspace JSON text.
        snapshot: String,
    },
    /// The engine changed on its own (workload traffic, TTL deletions), which replaying the
    /// journal would not reproduce: the journal restarts from this snapshot. Unlike `Replace`,
    /// the workspace is the same one, so its triggers stay.
    Checkpoint {
        /// The workspace JSON text (the stored snapshot form).
        snapshot: String,
    },
    /// A table's trigger was attached or moved on (`Some`: its stored form) or detached
    /// (`None`). Rides in the same transactions as the mutations, after the ones it ran on,
    /// so a saved position never points past what is saved of the stream.
    Trigger {
        /// The table.
        table: String,
        /// The stored trigger, or `None` to remove it.
        state: Option<String>,
    },
}

/// What one IndexedDB transaction writes for a batch.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TxnPlan {
    /// A new snapshot to store (reset, import or compaction).
    pub snapshot: Option<String>,
    /// Clear the journal first (always together with a new snapshot).
    pub clear_journal: bool,
    /// A journal record to append (the mutations after the snapshot, if any).
    pub record: Option<String>,
    /// Mutations in the batch (for statistics).
    pub mutations: usize,
    /// Remove every stored trigger first (reset, import).
    pub clear_triggers: bool,
    /// Triggers to store (`Some`) or remove (`None`), the last state per table.
    pub triggers: Vec<(String, Option<String>)>,
}

/// Turns a batch into one transaction.
///
/// `compact` is called only when the batch holds no `Replace` or `Checkpoint`: it returns the engine's current
/// workspace if the journal should be folded now. The caller guarantees that the engine state
/// at this moment is exactly the committed state plus this batch (the batch is everything not
/// yet committed), so such a snapshot replaces the journal *and* the batch.
pub fn plan_transaction(batch: &[Entry], compact: impl FnOnce() -> Option<String>) -> TxnPlan {
    let mutations = batch.iter().filter(|e| matches!(e, Entry::Mutation { .. })).count();
    let last_replace = batch.iter().rposition(|e| matches!(e, Entry::Replace { .. }));
    let last_base = batch.iter().rposition(|e| matches!(e, Entry::Replace { .. } | Entry::Checkpoint { .. }));
    // A replaced workspace takes its triggers with it: only those saved after it count.
    let trigger_tail = last_replace.map_or(batch, |i| &batch[i + 1..]);
    let mut triggers: Vec<(String, Option<String>)> = Vec::new();
    for entry in trigger_tail {
        if let Entry::Trigger { table, state } = entry {
            triggers.retain(|(t, _)| t != table);
            triggers.push((table.clone(), state.clone()));
        }
    }
    let clear_triggers = last_replace.is_some();
    let (snapshot, tail) = match last_base {
        Some(i) => match &batch[i] {
            Entry::Replace { snapshot } | Entry::Checkpoint { snapshot } => {
                (Some(snapshot.clone()), &batch[i + 1..])
            }
            _ => (None, batch),
        },
        None => match compact() {
            Some(snapshot) => {
                return TxnPlan {
                    clear_journal: true,
                    snapshot: Some(snapshot),
                    record: None,
                    mutations,
                    clear_triggers,
                    triggers,
                }
            }
            None => (None, batch),
        },
    };
    let record = encode_record(tail);
    TxnPlan { clear_journal: snapshot.is_some(), snapshot, record, mutations, clear_triggers, triggers }
}

/// The journal record for `entries` (their mutations), or `None` if there are none.
pub fn encode_record(entries: &[Entry]) -> Option<String> {
    let mut out = String::from("[");
    let mut any = false;
    for entry in entries {
        if let Entry::Mutation { operation, at_ms, request } = entry {
            if any {
                out.push(',');
            }
            any = true;
            // The request is JSON text the engine parsed, so it embeds as-is.
            out.push('[');
            out.push_str(&Value::String(operation.clone()).to_string());
            out.push(',');
            out.push_str(&at_ms.to_string());
            out.push(',');
            out.push_str(request);
            out.push(']');
        }
    }
    out.push(']');
    any.then_some(out)
}

/// A stored journal record that cannot be read.
#[derive(Debug, PartialEq)]
pub struct CorruptRecord(pub String);

/// The entries of a journal record, in order.
pub fn decode_record(record: &str) -> Result<Vec<(String, u64, Value)>, CorruptRecord> {
    let bad = |why: &str| CorruptRecord(format!("a journal record is not readable: {why}"));
    let value: Value = serde_json::from_slice(record.as_bytes()).map_err(|e| bad(&e.to_string()))?;
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

/// What a reload found in IndexedDB.
#[derive(Debug, Default)]
pub struct Stored {
    /// The stored-format version (`None` for a database never written).
    pub format: Option<u32>,
    /// The snapshot text, if any.
    pub snapshot: Option<String>,
    /// Journal records, in commit order.
    pub records: Vec<String>,
    /// Stored triggers (their stored form), any order.
    pub triggers: Vec<String>,
}

/// Why a stored workspace could not be loaded.
#[derive(Debug, PartialEq)]
pub enum LoadError {
    /// Written by a newer dynaplay.
    TooNew(u32),
    /// The snapshot or a record does not parse.
    Corrupt(String),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooNew(v) => write!(
                f,
                "this workspace was saved by a newer dynaplay (stored format {v}; this version reads up to {STORED_FORMAT})"
            ),
            Self::Corrupt(why) => write!(f, "the saved workspace is damaged: {why}"),
        }
    }
}

/// Brings a stored workspace to [`STORED_FORMAT`], one step per format
/// (`n => upgrade_n_to_n_plus_1(stored)`); the next write transaction stores the new format
/// number. A newer format is refused.
pub fn upgrade(mut stored: Stored) -> Result<Stored, LoadError> {
    loop {
        match stored.format {
            None => stored.format = Some(STORED_FORMAT),
            // 1 → 2 added the `triggers` store. IndexedDB creates it (empty) when it opens a
            // format-1 database; snapshot and journal are unchanged.
            Some(1) => {
                stored.triggers.clear();
                stored.format = Some(2);
            }
            Some(STORED_FORMAT) => return Ok(stored),
            Some(v) => return Err(LoadError::TooNew(v)),
        }
    }
}

/// The result of a reload.
pub struct Restored {
    /// The rebuilt engine.
    pub engine: Engine,
    /// Journal entries replayed on top of the snapshot.
    pub replayed: usize,
    /// Bytes of snapshot text and of journal text, for the compaction policy.
    pub snapshot_bytes: usize,
    /// Bytes of journal text.
    pub journal_bytes: usize,
    /// The stored triggers.
    pub triggers: Vec<String>,
}

/// Rebuilds the engine: import the snapshot, then replay every journal entry at its engine
/// time. Replay is deterministic (the engine never reads a clock), so an entry that succeeded
/// when it was journaled succeeds again; a failure here means the store is damaged.
pub fn restore(stored: Stored) -> Result<Restored, LoadError> {
    let stored = upgrade(stored)?;
    let snapshot_bytes = stored.snapshot.as_ref().map_or(0, String::len);
    let mut engine = match &stored.snapshot {
        Some(text) => {
            let doc: Value = serde_json::from_slice(text.as_bytes())
                .map_err(|e| LoadError::Corrupt(format!("snapshot: {e}")))?;
            workspace::import(&doc).map_err(|e| LoadError::Corrupt(format!("snapshot: {}", e.message)))?
        }
        None => Engine::new(),
    };
    let mut replayed = 0;
    let mut journal_bytes = 0;
    for record in &stored.records {
        journal_bytes += record.len();
        for (operation, at_ms, request) in decode_record(record).map_err(|e| LoadError::Corrupt(e.0))? {
            engine.set_now(at_ms);
            engine
                .handle_json(&operation, request)
                .map_err(|e| LoadError::Corrupt(format!("replaying {operation} failed: {}", e.message)))?;
            replayed += 1;
        }
    }
    Ok(Restored { engine, replayed, snapshot_bytes, journal_bytes, triggers: stored.triggers })
}

/// When to fold the journal into a new snapshot: once the journal outgrows the snapshot (and a
/// floor), so the cost of writing snapshots stays proportional to the data written, and a
/// reload never replays more than about one snapshot's worth of requests.
#[derive(Clone, Copy, Debug)]
pub struct CompactionPolicy {
    /// Never compact below this many journal bytes.
    pub min_journal_bytes: usize,
}

impl Default for CompactionPolicy {
    fn default() -> Self {
        Self { min_journal_bytes: 1 << 20 }
    }
}

impl CompactionPolicy {
    /// Whether to compact now.
    pub fn due(&self, journal_bytes: usize, snapshot_bytes: usize) -> bool {
        journal_bytes >= self.min_journal_bytes.max(snapshot_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn put(n: u32) -> Entry {
        Entry::Mutation {
            operation: "PutItem".into(),
            at_ms: 1000 + u64::from(n),
            request: json!({"TableName": "Tab", "Item": {"pk": {"S": format!("k{n}")}}}).to_string(),
        }
    }

    fn create() -> Entry {
        Entry::Mutation {
            operation: "CreateTable".into(),
            at_ms: 1000,
            request: json!({
                "TableName": "Tab",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST"
            })
            .to_string(),
        }
    }

    #[test]
    fn records_round_trip_in_order() {
        let batch = [create(), put(1), put(2)];
        let record = encode_record(&batch).unwrap();
        let entries = decode_record(&record).unwrap();
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].0, "CreateTable");
        assert_eq!(entries[2].1, 1002);
        assert_eq!(entries[2].2["Item"]["pk"]["S"], "k2");
        assert_eq!(encode_record(&[]), None);
    }

    #[test]
    fn a_plain_batch_appends_one_record() {
        let plan = plan_transaction(&[put(1), put(2)], || None);
        assert_eq!(plan.snapshot, None);
        assert!(!plan.clear_journal);
        assert_eq!(plan.mutations, 2);
        assert_eq!(decode_record(plan.record.as_deref().unwrap()).unwrap().len(), 2);
    }

    #[test]
    fn a_replace_restarts_the_journal_with_what_came_after_it() {
        let batch = [put(1), Entry::Replace { snapshot: "S".into() }, put(2)];
        let plan = plan_transaction(&batch, || panic!("no compaction when a batch replaces"));
        assert_eq!(plan.snapshot.as_deref(), Some("S"));
        assert!(plan.clear_journal);
        let entries = decode_record(plan.record.as_deref().unwrap()).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].2["Item"]["pk"]["S"], "k2");
    }

    #[test]
    fn compaction_replaces_journal_and_batch() {
        let plan = plan_transaction(&[put(1)], || Some("SNAP".into()));
        assert_eq!(
            plan,
            TxnPlan {
                snapshot: Some("SNAP".into()),
                clear_journal: true,
                record: None,
                mutations: 1,
                clear_triggers: false,
                triggers: vec![]
            }
        );
    }

    fn trigger(table: &str, state: Option<&str>) -> Entry {
        Entry::Trigger { table: table.into(), state: state.map(String::from) }
    }

    #[test]
    fn triggers_ride_along_the_last_state_per_table_wins() {
        let batch =
            [put(1), trigger("A", Some("a1")), trigger("B", Some("b1")), put(2), trigger("A", Some("a2"))];
        let plan = plan_transaction(&batch, || None);
        assert_eq!(plan.triggers, vec![("B".into(), Some("b1".into())), ("A".into(), Some("a2".into()))]);
        assert!(!plan.clear_triggers);
        assert_eq!(plan.mutations, 2);
        assert_eq!(
            decode_record(plan.record.as_deref().unwrap()).unwrap().len(),
            2,
            "triggers are not journaled"
        );
        // Detached: removed. A batch of only triggers writes no journal record.
        let plan = plan_transaction(&[trigger("A", Some("a3")), trigger("A", None)], || None);
        assert_eq!(plan.triggers, vec![("A".into(), None)]);
        assert_eq!((plan.record, plan.snapshot), (None, None));
        // Compaction keeps them.
        let plan = plan_transaction(&[put(1), trigger("A", Some("a"))], || Some("SNAP".into()));
        assert_eq!(plan.triggers, vec![("A".into(), Some("a".into()))]);
    }

    #[test]
    fn reset_and_import_remove_every_trigger_saved_before_them() {
        let batch =
            [trigger("A", Some("a")), Entry::Replace { snapshot: "S".into() }, trigger("B", Some("b"))];
        let plan = plan_transaction(&batch, || None);
        assert!(plan.clear_triggers);
        assert_eq!(plan.triggers, vec![("B".into(), Some("b".into()))]);
    }

    #[test]
    fn a_checkpoint_restarts_the_journal_and_keeps_the_triggers() {
        let batch = [
            trigger("A", Some("a")),
            put(1),
            Entry::Checkpoint { snapshot: "S".into() },
            put(2),
            trigger("B", Some("b")),
        ];
        let plan = plan_transaction(&batch, || panic!("a checkpoint is the snapshot"));
        assert_eq!(plan.snapshot.as_deref(), Some("S"));
        assert!(plan.clear_journal && !plan.clear_triggers);
        assert_eq!(plan.record, encode_record(&[put(2)]));
        assert_eq!(
            plan.triggers,
            [("A".to_owned(), Some("a".to_owned())), ("B".to_owned(), Some("b".to_owned()))]
        );
    }

    #[test]
    fn a_format_1_store_upgrades_to_2_with_no_triggers() {
        let mut engine = Engine::new();
        if let Entry::Mutation { operation, at_ms, request } = create() {
            engine.set_now(at_ms);
            engine.handle(&operation, request.as_bytes()).unwrap();
        }
        let v1 = Stored {
            format: Some(1),
            snapshot: Some(workspace::export(&engine).to_string()),
            records: vec![encode_record(&[put(1)]).unwrap()],
            triggers: vec![],
        };
        let upgraded = upgrade(Stored {
            snapshot: v1.snapshot.clone(),
            records: v1.records.clone(),
            ..Stored::default()
        });
        assert_eq!(upgraded.unwrap().format, Some(STORED_FORMAT));
        let mut restored = restore(v1).unwrap();
        assert_eq!(restored.replayed, 1);
        let scan = restored.engine.handle_json("Scan", json!({"TableName": "Tab"})).unwrap();
        assert_eq!(scan["Count"], 1);
    }

    #[test]
    fn restore_replays_snapshot_and_journal() {
        let mut engine = Engine::new();
        let first = [create(), put(1)];
        for e in &first {
            if let Entry::Mutation { operation, at_ms, request } = e {
                engine.set_now(*at_ms);
                engine.handle(operation, request.as_bytes()).unwrap();
            }
        }
        let snapshot = workspace::export(&engine).to_string();
        let stored = Stored {
            format: Some(STORED_FORMAT),
            snapshot: Some(snapshot),
            records: vec![encode_record(&[put(2)]).unwrap(), encode_record(&[put(3)]).unwrap()],
            triggers: vec![],
        };
        let mut restored = restore(stored).unwrap();
        assert_eq!(restored.replayed, 2);
        let scan = restored.engine.handle_json("Scan", json!({"TableName": "Tab"})).unwrap();
        assert_eq!(scan["Count"], 3);
        assert!(restored.engine.now() >= 1003);
    }

    #[test]
    fn a_fresh_database_restores_an_empty_engine() {
        let mut restored = restore(Stored::default()).unwrap();
        let tables = restored.engine.handle_json("ListTables", json!({})).unwrap();
        assert_eq!(tables["TableNames"], json!([]));
    }

    #[test]
    fn newer_formats_and_damage_are_refused_clearly() {
        let too_new = restore(Stored { format: Some(STORED_FORMAT + 1), ..Stored::default() }).err().unwrap();
        assert_eq!(too_new, LoadError::TooNew(STORED_FORMAT + 1));
        assert!(too_new.to_string().contains("newer dynaplay"));
        let damaged = Stored { format: Some(1), snapshot: Some("{nope".into()), ..Stored::default() };
        assert!(matches!(restore(damaged).err().unwrap(), LoadError::Corrupt(_)));
        let bad_record = Stored { format: Some(2), records: vec!["[[1]]".into()], ..Stored::default() };
        assert!(restore(bad_record).err().unwrap().to_string().contains("damaged"));
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
