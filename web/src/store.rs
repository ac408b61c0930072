//! IndexedDB through `indexed_db_futures`: opening the `dynaplay` database, reading everything
//! back for a reload, and writing one [`TxnPlan`] as one read-write transaction. The layout is
//! described in [`crate::protocol`].

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{TransactionDurability, TransactionMode, TransactionOptions};

use crate::protocol::{Stored, TxnPlan, STORED_FORMAT};

const META: &str = "meta";
const SNAPSHOT: &str = "snapshot";
const JOURNAL: &str = "journal";
const TRIGGERS: &str = "triggers";
const FORMAT_KEY: &str = "format";
const SNAPSHOT_KEY: &str = "workspace";

/// The IndexedDB schema version (object stores). Distinct from [`STORED_FORMAT`], which
/// versions what the records hold. 2 added `triggers`.
const SCHEMA_VERSION: u8 = 2;

/// A failed IndexedDB call, with the DOM exception's name when there is one
/// (`QuotaExceededError`, `AbortError`, …).
#[derive(Clone, Debug)]
pub struct StoreError {
    /// The DOM exception name, or `"Error"`.
    pub name: String,
    /// What the browser said.
    pub message: String,
}

impl StoreError {
    fn from_display(e: impl std::fmt::Display) -> Self {
        let message = e.to_string();
        let name = ["QuotaExceededError", "AbortError", "InvalidStateError", "UnknownError", "VersionError"]
            .into_iter()
            .find(|n| message.contains(n))
            .unwrap_or("Error")
            .to_owned();
        Self { name, message }
    }

    /// Whether the browser refused for lack of space.
    pub fn is_quota(&self) -> bool {
        self.name == "QuotaExceededError" || self.message.to_ascii_lowercase().contains("quota")
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.message.contains(&self.name) {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.name, self.message)
        }
    }
}

/// Test hook: how the next write transaction should fail instead of committing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InjectedFault {
    /// Abort the transaction (as a crash or a browser-side failure would).
    Abort,
    /// Abort it and report it as `QuotaExceededError` (the browser's out-of-space failure).
    Quota,
}

/// An open `dynaplay` database.
pub struct Store {
    db: Database,
    fault: std::cell::Cell<Option<InjectedFault>>,
}

impl Store {
    /// Opens (creating or upgrading the object stores as needed) the database `name`.
    pub async fn open(name: &str) -> Result<Self, StoreError> {
        let db = Database::open(name)
            .with_version(SCHEMA_VERSION)
            .with_on_upgrade_needed(|event, db| {
                // One step per schema version, keyed on the old version: a format-1 database
                // (schema 1) only gains the empty `triggers` store.
                if event.old_version() < 1.0 {
                    db.create_object_store(META).build()?;
                    db.create_object_store(SNAPSHOT).build()?;
                    db.create_object_store(JOURNAL).with_auto_increment(true).build()?;
                }
                if event.old_version() < 2.0 {
                    db.create_object_store(TRIGGERS).build()?;
                }
                Ok(())
            })
            .await
            .map_err(StoreError::from_display)?;
        Ok(Self { db, fault: std::cell::Cell::new(None) })
    }

    /// Deletes the database `name` (tests).
    pub async fn delete(name: &str) -> Result<(), StoreError> {
        Database::delete_by_name(name)
            .map_err(StoreError::from_display)?
            .await
            .map_err(StoreError::from_display)
    }

    /// Closes the connection.
    pub fn close(self) {
        self.db.close();
    }

    /// Makes the next [`Store::write`] fail (tests of the failure paths).
    pub fn inject_fault(&self, fault: InjectedFault) {
        self.fault.set(Some(fault));
    }

    /// Everything stored, in one read transaction (a consistent view).
    pub async fn load(&self) -> Result<Stored, StoreError> {
        let e = StoreError::from_display;
        let tx = self.db.transaction([META, SNAPSHOT, JOURNAL, TRIGGERS]).build().map_err(e)?;
        let format: Option<u32> =
            tx.object_store(META).map_err(e)?.get(FORMAT_KEY).primitive().map_err(e)?.await.map_err(e)?;
        let snapshot: Option<String> = tx
            .object_store(SNAPSHOT)
            .map_err(e)?
            .get(SNAPSHOT_KEY)
            .primitive()
            .map_err(e)?
            .await
            .map_err(e)?;
        let records = all_strings(&tx, JOURNAL).await?;
        let triggers = all_strings(&tx, TRIGGERS).await?;
        Ok(Stored { format, snapshot, records, triggers })
    }

    /// Writes `plan` in one read-write transaction and resolves once it has committed.
    pub async fn write(&self, plan: &TxnPlan) -> Result<(), StoreError> {
        let e = StoreError::from_display;
        let tx = self
            .db
            .transaction([META, SNAPSHOT, JOURNAL, TRIGGERS])
            .with_mode(TransactionMode::Readwrite)
            // "strict": the commit event fires only after the data reached the disk, so an
            // acknowledged write survives an OS crash too. Group commit pays this once per batch.
            .with_options(TransactionOptions::new().with_durability(TransactionDurability::Strict))
            .build()
            .map_err(e)?;
        let meta = tx.object_store(META).map_err(e)?;
        meta.put(STORED_FORMAT).with_key(FORMAT_KEY).primitive().map_err(e)?;
        let journal = tx.object_store(JOURNAL).map_err(e)?;
        if plan.clear_journal {
            journal.clear().map_err(e)?;
        }
        let snapshot_request = match &plan.snapshot {
            Some(snapshot) => {
                let store = tx.object_store(SNAPSHOT).map_err(e)?;
                Some(store.put(snapshot.as_str()).with_key(SNAPSHOT_KEY).primitive().map_err(e)?)
            }
            None => None,
        };
        let record_request = match &plan.record {
            Some(record) => Some(journal.add(record.as_str()).primitive().map_err(e)?),
            None => None,
        };
        if plan.clear_triggers || !plan.triggers.is_empty() {
            let triggers = tx.object_store(TRIGGERS).map_err(e)?;
            if plan.clear_triggers {
                triggers.clear().map_err(e)?;
            }
            for (table, state) in &plan.triggers {
                match state {
                    Some(state) => {
                        triggers.put(state.as_str()).with_key(table.as_str()).primitive().map_err(e)?;
                    }
                    None => {
                        triggers.delete(table.as_str()).primitive().map_err(e)?;
                    }
                }
            }
        }
        if let Some(fault) = self.fault.take() {
            let _ = tx.abort().await;
            return Err(match fault {
                InjectedFault::Abort => StoreError {
                    name: "AbortError".into(),
                    message: "The transaction was aborted (injected fault)".into(),
                },
                InjectedFault::Quota => StoreError {
                    name: "QuotaExceededError".into(),
                    message: "The quota has been exceeded (injected fault)".into(),
                },
            });
        }
        match tx.commit().await {
            Ok(()) => Ok(()),
            Err(aborted) => {
                // The commit only says "aborted"; the transaction's own error carries the reason
                // (QuotaExceededError for a full disk or origin quota), but indexed_db_futures does
                // not expose it after `commit`; a failed request's error is used when there is one,
                // and the host asks `navigator.storage.estimate()` whether the origin is full.
                let mut cause = StoreError::from_display(aborted);
                if let Some(Err(err)) = match record_request {
                    Some(r) => Some(r.await.map(|_| ())),
                    None => None,
                } {
                    cause = StoreError::from_display(err);
                } else if let Some(Err(err)) = match snapshot_request {
                    Some(r) => Some(r.await.map(|_| ())),
                    None => None,
                } {
                    cause = StoreError::from_display(err);
                }
                Err(cause)
            }
        }
    }
}

/// Every value of the object store `name` (all strings), in key order.
async fn all_strings(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    name: &str,
) -> Result<Vec<String>, StoreError> {
    let e = StoreError::from_display;
    tx.object_store(name)
        .map_err(e)?
        .get_all::<String>()
        .primitive()
        .map_err(e)?
        .await
        .map_err(e)?
        .collect::<Result<Vec<String>, _>>()
        .map_err(e)
}
