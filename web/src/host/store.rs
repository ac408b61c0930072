//! IndexedDB through `indexed_db_futures`: opening the `dynaplay` database, reading everything
//! back for a reload, and writing one [`TxnPlan`] as one read-write transaction.
//!
//! Object stores of the `dynaplay` database:
//! - `meta`, key `"format"`: the stored-format version ([`STORED_FORMAT`]); key `"lease"`: which
//!   tab owns the workspace when the browser has no Web Locks ([`Store::try_lease`]); key
//!   `"damaged"`: the raw stored data set aside when a reload could not replay it
//!   ([`Store::set_aside`]) — kept until the learner dismisses it or replaces the workspace.
//!   Older dynaplay versions read only `"format"`, so these keys needed no format bump;
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

use crate::host::lease::{lease_free, lease_holder, lease_text, LEASE_TTL_MS};

const META: &str = "meta";
const SNAPSHOT: &str = "snapshot";
const JOURNAL: &str = "journal";
const TRIGGERS: &str = "triggers";
const FORMAT_KEY: &str = "format";
const LEASE_KEY: &str = "lease";
const DAMAGED_KEY: &str = "damaged";
const SNAPSHOT_KEY: &str = "workspace";

/// The DOM exception name of a full origin or disk.
const QUOTA_EXCEEDED: &str = "QuotaExceededError";
/// The name of [`StoreError::not_owner`] (ours, not the browser's).
const NOT_OWNER: &str = "NotOwnerError";

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

    /// The browser refused for lack of space.
    pub fn quota(message: String) -> Self {
        Self::new(QUOTA_EXCEEDED.into(), message)
    }

    /// Another tab holds the lease: this tab must not write (see [`Store::try_lease`]).
    fn not_owner() -> Self {
        Self::new(NOT_OWNER.into(), "another tab took this workspace over".into())
    }

    /// Whether the browser refused for lack of space: decided by the exception's `name`, which
    /// the DOM standard fixes, never by its message, which browsers word as they like.
    pub fn is_quota(&self) -> bool {
        self.name == QUOTA_EXCEEDED
    }

    /// Whether the write was refused because another tab owns the workspace now.
    pub fn is_not_owner(&self) -> bool {
        self.name == NOT_OWNER
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.name, self.message)
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
    /// This tab's lease id when ownership is a lease (no Web Locks): every write checks, in
    /// its own transaction, that the lease is still this tab's, so a tab that lost it (another
    /// tab took an expired lease over) can never write.
    lease: Option<String>,
}

/// What a reload reads back.
pub struct Loaded {
    /// The workspace: format, snapshot, journal, side records.
    pub stored: Stored,
    /// Raw stored data set aside by an earlier reload that could not replay it
    /// ([`Store::set_aside`]), until the learner dismisses it.
    pub set_aside: Option<String>,
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// A stored value as text: records are strings; anything else (a store damaged by hand or by
/// another program) becomes its JSON text, which the restore reports as unreadable instead of
/// the whole load failing.
fn text_of(value: wasm_bindgen::JsValue) -> String {
    value.as_string().unwrap_or_else(|| {
        js_sys::JSON::stringify(&value)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| "(a stored value that is not text)".into())
    })
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
        Ok(Self { db, fault: std::cell::Cell::new(None), lease: None })
    }

    /// Makes ownership a lease held as `owner` (see [`Store::try_lease`]).
    pub fn with_lease(mut self, owner: String) -> Self {
        self.lease = Some(owner);
        self
    }

    /// Takes (or renews) the lease on the workspace for this store's owner id, in one
    /// read-write transaction: two tabs trying at once are serialised by IndexedDB, so exactly
    /// one wins. `Ok(false)`: another tab holds it and it has not expired.
    pub async fn try_lease(&self) -> Result<bool, StoreError> {
        self.lease_step(true).await
    }

    /// Gives the lease up (marks it expired) if this store's owner holds it — a closing tab —
    /// so a waiting tab need not wait for it to expire.
    pub async fn release_lease(&self) -> Result<(), StoreError> {
        self.lease_step(false).await.map(drop)
    }

    /// One transaction for both: whether the lease is (now) this owner's.
    async fn lease_step(&self, take: bool) -> Result<bool, StoreError> {
        let Some(owner) = &self.lease else { return Ok(take) };
        let e = StoreError::from_idb;
        let tx = self.db.transaction([META]).with_mode(TransactionMode::Readwrite).build().map_err(e)?;
        let meta = tx.object_store(META).map_err(e)?;
        let held: Option<String> = meta.get(LEASE_KEY).primitive().map_err(e)?.await.map_err(e)?;
        let now = now_ms();
        let ours = if take {
            lease_free(held.as_deref(), owner, now)
        } else {
            lease_holder(held.as_deref()) == Some(owner.as_str())
        };
        if ours {
            let expires = if take { now + LEASE_TTL_MS } else { 0 };
            meta.put(lease_text(owner, expires)).with_key(LEASE_KEY).primitive().map_err(e)?;
        }
        tx.commit().await.map_err(e)?;
        Ok(ours && take)
    }

    /// In a write transaction: refuses (and so aborts it) unless this tab still holds the
    /// lease, and renews it.
    async fn check_lease(
        &self,
        meta: &indexed_db_futures::object_store::ObjectStore<'_>,
    ) -> Result<(), StoreError> {
        let Some(owner) = &self.lease else { return Ok(()) };
        let e = StoreError::from_idb;
        let held: Option<String> = meta.get(LEASE_KEY).primitive().map_err(e)?.await.map_err(e)?;
        // Only a lease still naming this tab will do, expired or not: a missing one or another
        // tab's means someone else may have written since.
        if lease_holder(held.as_deref()) != Some(owner.as_str()) {
            return Err(StoreError::not_owner());
        }
        meta.put(lease_text(owner, now_ms() + LEASE_TTL_MS)).with_key(LEASE_KEY).primitive().map_err(e)?;
        Ok(())
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
    pub async fn load(&self) -> Result<Loaded, StoreError> {
        let e = StoreError::from_idb;
        let tx = self.db.transaction([META, SNAPSHOT, JOURNAL, TRIGGERS]).build().map_err(e)?;
        let meta = tx.object_store(META).map_err(e)?;
        let format: Option<u32> = meta.get(FORMAT_KEY).primitive().map_err(e)?.await.map_err(e)?;
        let set_aside: Option<wasm_bindgen::JsValue> =
            meta.get(DAMAGED_KEY).primitive().map_err(e)?.await.map_err(e)?;
        let snapshot: Option<wasm_bindgen::JsValue> = tx
            .object_store(SNAPSHOT)
            .map_err(e)?
            .get(SNAPSHOT_KEY)
            .primitive()
            .map_err(e)?
            .await
            .map_err(e)?;
        let records = all_texts(&tx, JOURNAL).await?;
        let side = all_texts(&tx, TRIGGERS).await?;
        let stored = Stored { format, snapshot: snapshot.map(text_of), records, side };
        Ok(Loaded { stored, set_aside: set_aside.map(text_of) })
    }

    /// Keeps `stored_data` (the raw stored workspace, see `host::damage`) under `meta` and
    /// stores `snapshot` as the new base of an empty journal — one transaction, so the data a
    /// reload could not replay is never lost, and never replayed again.
    pub async fn set_aside(&self, stored_data: &str, snapshot: String) -> Result<(), StoreError> {
        let plan = TxnPlan { snapshot: Some(snapshot), clear_journal: true, ..TxnPlan::default() };
        self.write_with(&plan, Some(stored_data)).await
    }

    /// Removes the data [`Store::set_aside`] kept (the learner dismissed it).
    pub async fn discard_set_aside(&self) -> Result<(), StoreError> {
        let e = StoreError::from_idb;
        let tx = self.db.transaction([META]).with_mode(TransactionMode::Readwrite).build().map_err(e)?;
        let meta = tx.object_store(META).map_err(e)?;
        self.check_lease(&meta).await?;
        meta.delete(DAMAGED_KEY).primitive().map_err(e)?;
        tx.commit().await.map_err(e)
    }

    /// Writes `plan` in one read-write transaction and resolves once it has committed.
    pub async fn write(&self, plan: &TxnPlan) -> Result<(), StoreError> {
        self.write_with(plan, None).await
    }

    /// [`Store::write`], also keeping `set_aside` under `meta` when given. A plan that
    /// replaces the workspace (reset, import: `clear_side`) drops what was set aside.
    async fn write_with(&self, plan: &TxnPlan, set_aside: Option<&str>) -> Result<(), StoreError> {
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
        self.check_lease(&meta).await?;
        meta.put(STORED_FORMAT).with_key(FORMAT_KEY).primitive().map_err(e)?;
        if let Some(data) = set_aside {
            meta.put(data).with_key(DAMAGED_KEY).primitive().map_err(e)?;
        } else if plan.clear_side {
            meta.delete(DAMAGED_KEY).primitive().map_err(e)?;
        }
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
                InjectedFault::Quota => {
                    StoreError::quota("The quota has been exceeded (injected fault)".into())
                }
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

/// Every value of the object store `name` as text ([`text_of`]), in key order.
async fn all_texts(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    name: &str,
) -> Result<Vec<String>, StoreError> {
    let e = StoreError::from_idb;
    tx.object_store(name)
        .map_err(e)?
        .get_all::<wasm_bindgen::JsValue>()
        .primitive()
        .map_err(e)?
        .await
        .map_err(e)?
        .map(|v| v.map(text_of).map_err(e))
        .collect()
}
