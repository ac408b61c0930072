//! IndexedDB through `indexed_db_futures`: opening the `dynaplay` database, reading everything
//! back for a reload, and writing one [`TxnPlan`] as one read-write transaction.
//!
//! Object stores of the `dynaplay` database:
//! - `meta`, key `"format"`: the stored-format version ([`STORED_FORMAT`]);
//! - `snapshot`, key `"workspace"`: the workspace snapshot (JSON text) the journal starts from;
//! - `journal`, auto-increment keys: one record per committed transaction;
//! - `triggers` (format 2), key = table name: the journal's side records — each table's
//!   stream trigger as `triggers::event_source::Mapping::to_json` writes it. Triggers are the
//!   page's, not the engine's: not in the snapshot or the journal; reset and import remove them.
//!
//! What the records hold and how a reload reads them: `dynaplay_engine::journal`.

use indexed_db_futures::database::Database;
use indexed_db_futures::error as idb;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{TransactionDurability, TransactionMode, TransactionOptions};
use wasm_bindgen::JsCast;

use dynaplay_engine::journal::{Stored, TxnPlan, STORED_FORMAT};

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
    fn new(name: String, message: String) -> Self {
        Self { name, message }
    }

    /// A `DOMException`'s or JavaScript error's own name and message.
    fn from_js(value: &wasm_bindgen::JsValue) -> Self {
        if let Some(e) = value.dyn_ref::<web_sys::DomException>() {
            return Self::new(e.name(), e.message());
        }
        match value.dyn_ref::<js_sys::Error>() {
            Some(e) => Self::new(e.name().into(), e.message().into()),
            None => Self::new("Error".into(), "a non-Error value was thrown".into()),
        }
    }

    /// Read from the error's parts rather than its `Display`: that one can print an `f64`,
    /// which would link float formatting (kilobytes of wasm) for a message never shown.
    fn from_idb(e: idb::Error) -> Self {
        match e {
            idb::Error::DomException(d) => Self::from_js(d.as_ref()),
            idb::Error::Unknown(js) => Self::from_js(js.as_ref()),
            idb::Error::Serialisation(_) => {
                Self::new("DataError".into(), "a stored value has the wrong type".into())
            }
            idb::Error::MissingData(_) => Self::new("DataError".into(), "a stored value is missing".into()),
        }
    }

    fn from_open(e: idb::OpenDbError) -> Self {
        match e {
            idb::OpenDbError::Base(e) => Self::from_idb(e),
            idb::OpenDbError::VersionZero => Self::new("TypeError".into(), "version 0".into()),
            idb::OpenDbError::UnsupportedEnvironment | idb::OpenDbError::NullFactory => {
                Self::new("Error".into(), "this browser offers no IndexedDB here".into())
            }
        }
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

#[wasm_bindgen::prelude::wasm_bindgen(module = "/js/dynaplay.js")]
extern "C" {
    /// Creates or upgrades the object stores (see js/dynaplay.js for why not in Rust).
    #[wasm_bindgen(js_name = upgradeDatabase)]
    fn upgrade_database(name: &str, version: u8, stores: &str) -> js_sys::Promise;
}

/// An open `dynaplay` database.
pub struct Store {
    db: Database,
    fault: std::cell::Cell<Option<InjectedFault>>,
}

impl Store {
    /// Opens (creating or upgrading the object stores as needed) the database `name`.
    pub async fn open(name: &str) -> Result<Self, StoreError> {
        // One step per schema version, keyed on the old version: a format-1 database (schema 1)
        // only gains the empty `triggers` store.
        let stores = serde_json::json!([
            [1, META, false],
            [1, SNAPSHOT, false],
            [1, JOURNAL, true],
            [2, TRIGGERS, false],
        ]);
        let upgraded = upgrade_database(name, SCHEMA_VERSION, &stores.to_string());
        wasm_bindgen_futures::JsFuture::from(upgraded).await.map_err(|e| StoreError::from_js(&e))?;
        let db = Database::open(name).with_version(SCHEMA_VERSION).await.map_err(StoreError::from_open)?;
        Ok(Self { db, fault: std::cell::Cell::new(None) })
    }

    /// Deletes the database `name` (tests).
    pub async fn delete(name: &str) -> Result<(), StoreError> {
        Database::delete_by_name(name).map_err(StoreError::from_open)?.await.map_err(StoreError::from_idb)
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
        let e = StoreError::from_idb;
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
        let side = all_strings(&tx, TRIGGERS).await?;
        Ok(Stored { format, snapshot, records, side })
    }

    /// Writes `plan` in one read-write transaction and resolves once it has committed.
    pub async fn write(&self, plan: &TxnPlan) -> Result<(), StoreError> {
        let e = StoreError::from_idb;
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
        if plan.clear_side || !plan.side.is_empty() {
            let triggers = tx.object_store(TRIGGERS).map_err(e)?;
            if plan.clear_side {
                triggers.clear().map_err(e)?;
            }
            for (table, state) in &plan.side {
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
                let mut cause = StoreError::from_idb(aborted);
                if let Some(Err(err)) = match record_request {
                    Some(r) => Some(r.await.map(|_| ())),
                    None => None,
                } {
                    cause = StoreError::from_idb(err);
                } else if let Some(Err(err)) = match snapshot_request {
                    Some(r) => Some(r.await.map(|_| ())),
                    None => None,
                } {
                    cause = StoreError::from_idb(err);
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
    let e = StoreError::from_idb;
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
