//! The engine host: one engine in the page, driven by the wall clock, with its mutations made
//! durable in IndexedDB by group commit before they are acknowledged.
//!
//! ## The life of a write
//! 1. `dispatch` sets engine time from `Date.now()` and runs the request at once (so the engine
//!    is never behind the requests it answered).
//! 2. A successful mutation joins [`GroupCommit`]; its promise stays pending.
//! 3. After the current JS task, one flush writes every pending mutation in one IndexedDB
//!    transaction (strict durability); on `complete` all their promises resolve.
//! 4. If that transaction fails, nothing it held was acknowledged: its promises — and those
//!    of writes queued behind it, which the engine ran on top of it — reject with a clear
//!    error, and the engine is rolled back by rebuilding it from IndexedDB (the last
//!    committed state). Reads answered in that window may have seen the unsaved writes;
//!    acknowledged writes are never lost.
//!
//! ## Tabs
//! The workspace belongs to one tab at a time: the holder of a Web Lock, or — where the
//! browser has no Web Locks (plain `http://` on a LAN address) — of an IndexedDB lease
//! (`host::lease`) that every write transaction checks. Other tabs are read-only followers:
//! they reload from IndexedDB when the owner announces a commit on a BroadcastChannel, refuse
//! writes with `AccessDeniedException`, and take over when the owner closes.
//!
//! ## A damaged store
//! A reload that cannot replay everything opens with everything before the damage
//! (`host::damage`); the owner sets the raw stored data aside and stores a snapshot of what it
//! restored before anything else is written, so the damaged entry is not replayed again.

use std::cell::RefCell;
use std::rc::Rc;

use dynaplay_engine::Engine;
use dynaplay_teach::check::Workspace;
use dynaplay_teach::script::Exchange;
use js_sys::{Function, Promise};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};

use crate::host::checkpoint::CheckpointPacer;
use crate::host::damage::{self, Damage};
use crate::host::endpoint::{self, Endpoint};
use crate::host::engines;
use crate::host::errors;
use crate::host::group_commit::GroupCommit;
use crate::host::lease::{LEASE_HEARTBEAT_MS, LEASE_POLL_MS};
use crate::host::store::{InjectedFault, Store, StoreError};
use crate::host::workspace;
use dynaplay_engine::journal::{self, CompactionPolicy, Entry, ReplayFailure};

#[wasm_bindgen(module = "/js/dynaplay.js")]
extern "C" {
    #[wasm_bindgen(js_name = acquireLock)]
    fn acquire_lock(name: &str, wait: bool) -> Promise;
    #[wasm_bindgen(js_name = storageDenied)]
    fn storage_denied() -> bool;
    #[wasm_bindgen(js_name = hasWebLocks)]
    fn has_web_locks() -> bool;
    #[wasm_bindgen(js_name = leaseId)]
    fn lease_id(fresh: &str) -> String;
    #[wasm_bindgen(js_name = watchAborts)]
    fn watch_aborts(database: &str);
    #[wasm_bindgen(js_name = takeAbortReason)]
    fn take_abort_reason() -> Option<String>;
    #[wasm_bindgen(js_name = storageNearlyFull)]
    fn storage_nearly_full(bytes: f64) -> Promise;
    #[wasm_bindgen(js_name = openChannel)]
    fn open_channel(name: &str, on_message: &Function) -> JsValue;
}

/// How a host keeps its workspace.
#[derive(Clone, Debug)]
pub struct HostConfig {
    /// IndexedDB database name; `None` keeps everything in memory (nothing survives a reload).
    pub database: Option<String>,
    /// Take ownership — the Web Lock, or the IndexedDB lease where the browser has no Web
    /// Locks — and become read-only without it. Off only in tests.
    pub use_lock: bool,
    /// When to fold the journal into a snapshot.
    pub compaction: CompactionPolicy,
}

impl Default for HostConfig {
    fn default() -> Self {
        Self { database: Some("dynaplay".into()), use_lock: true, compaction: CompactionPolicy::default() }
    }
}

/// What this tab may do with the workspace.
#[derive(Clone, Debug, PartialEq)]
pub enum Mode {
    /// Not persisted (chosen, e.g. `?storage=memory`).
    Memory,
    /// This tab owns the IndexedDB workspace.
    Owner,
    /// Another tab owns it; this one follows and refuses writes.
    ReadOnly,
    /// Storage is unusable; writes are refused, with this reason.
    Failed(String),
}

impl Mode {
    /// A short name for the UI and `dynaplay.stats()`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Memory => "memory",
            Self::Owner => "saved",
            Self::ReadOnly => "read-only",
            Self::Failed(_) => "storage-failed",
        }
    }
}

/// Counters for tests, the benchmark and the UI.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// IndexedDB write transactions committed.
    pub transactions: u64,
    /// Mutations acknowledged after their commit.
    pub committed: u64,
    /// Transactions that wrote a new snapshot and cleared the journal.
    pub compactions: u64,
    /// Failed write transactions.
    pub failed_transactions: u64,
    /// Journal entries replayed at the last load.
    pub replayed: usize,
    /// Milliseconds the last load (read + import + replay) took.
    pub load_ms: f64,
    /// Bytes of the stored snapshot.
    pub snapshot_bytes: usize,
    /// Bytes of the stored journal.
    pub journal_bytes: usize,
}

/// A request's outcome as `dispatch` returns it.
pub enum Dispatch {
    /// The response JSON.
    Done(String),
    /// A DynamoDB error JSON.
    Failed(String),
    /// A write waiting for its commit: resolves to the response JSON or rejects with an error
    /// JSON (both strings).
    Pending(Promise),
}

struct Waiter {
    resolve: Function,
    reject: Function,
    response: JsValue,
}

struct Inner {
    config: HostConfig,
    engine: Engine,
    mode: Mode,
    loaded: bool,
    recovering: bool,
    store: Option<Rc<Store>>,
    commit: GroupCommit<Waiter>,
    stats: Stats,
    listeners: Vec<Rc<dyn Fn()>>,
    /// A coalesced notification is scheduled (see [`Host::notify_soon`]).
    notify_pending: bool,
    /// The engine's [`Engine::background_writes`] as of the last snapshot taken.
    checkpointed_background: u64,
    /// The pending batch must end with a snapshot of the engine, taken when it is written (see
    /// [`want_checkpoint`]).
    snapshot_wanted: bool,
    /// When the last snapshot was stored and how large: when the next may be (see
    /// `host/checkpoint.rs`).
    pacer: CheckpointPacer,
    /// A flush waits for the pacer on a timer.
    flush_timer: bool,
    /// Workload stepping's share of the current frame (see [`move_time`]): when the frame
    /// began (`performance.now()` ms) and the milliseconds spent in it so far.
    frame_started_ms: f64,
    frame_spent_ms: f64,
    release_lock: Option<Function>,
    channel: Option<JsValue>,
    follower_reload: FollowerReload,
    /// Triggers as IndexedDB holds them, set by every reload (and emptied by reset/import)
    /// until the trigger registry takes them: `Some` means "restart the triggers from this".
    stored_triggers: Option<Vec<String>>,
    /// Bumped whenever the engine is replaced (reload, reset, import): work started on the
    /// old one (a trigger's poller) stops.
    epoch: u64,
    /// What the last reload could not replay, if anything (see [`Host::replay_failure`]).
    replay_failure: Option<ReplayFailure>,
    /// A damaged store's description and raw data, until dismissed or replaced.
    damage: Option<Damage>,
    /// This tab holds the Web Lock or the lease (or needs none): it may write, storage allowing.
    owns: bool,
    /// Ownership is an IndexedDB lease (no Web Locks), renewed by a heartbeat.
    lease: bool,
    /// A guided lab's workspace is in front (see [`Host::enter_lab`]).
    lab: Option<LabSession>,
    /// The browser denies this page storage (a cross-site frame, say): in memory instead.
    storage_denied: bool,
    /// The endpoint requests go to instead of this engine, if any (see `host::endpoint`).
    endpoint: Option<Endpoint>,
    /// The latest requests, for the Access view's simulator (`host::history`).
    #[cfg(feature = "full-engine")]
    history: super::history::History,
}

/// While a lab runs, `Inner::engine` is the lab's workspace, kept in memory only: nothing of
/// it is journaled or checkpointed into the learner's store. The learner's own engine waits
/// here, and every request sent meanwhile — from the forms, the console, `window.dynaplay`
/// or the SDK, which all come through [`Host::dispatch`] — is logged for the lab's checks.
struct LabSession {
    own: Engine,
    log: Vec<Exchange>,
    /// Which lab (its id), for the banner that leads back to it.
    id: String,
}

#[derive(Clone, Copy, PartialEq)]
enum FollowerReload {
    Idle,
    Running,
    RunningAndAgain,
}

/// A handle on the page's engine host (cheap to clone).
#[derive(Clone)]
pub struct Host(Rc<RefCell<Inner>>);

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

fn new_promise() -> (Promise, Function, Function) {
    let mut fns = None;
    let promise = Promise::new(&mut |resolve, reject| fns = Some((resolve, reject)));
    let (resolve, reject) = fns.unwrap_or_else(|| (Function::new_no_args(""), Function::new_no_args("")));
    (promise, resolve, reject)
}

impl Host {
    /// Opens the workspace: takes the tab lock, opens IndexedDB, restores snapshot + journal.
    /// Never fails: trouble shows as the [`Mode`] (read-only, failed) with a reason.
    pub async fn open(config: HostConfig) -> Host {
        let host = Host(Rc::new(RefCell::new(Inner {
            config: config.clone(),
            engine: Engine::new(),
            mode: Mode::Memory,
            loaded: false,
            recovering: false,
            store: None,
            commit: GroupCommit::default(),
            stats: Stats::default(),
            listeners: Vec::new(),
            notify_pending: false,
            checkpointed_background: 0,
            snapshot_wanted: false,
            pacer: CheckpointPacer::default(),
            flush_timer: false,
            frame_started_ms: 0.0,
            frame_spent_ms: 0.0,
            release_lock: None,
            channel: None,
            follower_reload: FollowerReload::Idle,
            stored_triggers: None,
            epoch: 0,
            replay_failure: None,
            damage: None,
            owns: !config.use_lock,
            lease: false,
            lab: None,
            storage_denied: false,
            endpoint: None,
            #[cfg(feature = "full-engine")]
            history: Default::default(),
        })));
        // A frame the browser denies storage keeps its workspace in memory, and says so.
        let denied = config.database.is_some() && storage_denied();
        let Some(name) = config.database.clone().filter(|_| !denied) else {
            let mut inner = host.0.borrow_mut();
            inner.loaded = true;
            inner.storage_denied = denied;
            drop(inner);
            return host;
        };
        let mut mode = Mode::Owner;
        let lease = config.use_lock && !has_web_locks();
        if config.use_lock && !lease {
            match JsFuture::from(acquire_lock(&lock_name(&name), false)).await {
                Ok(release) if release.is_function() => {
                    let mut inner = host.0.borrow_mut();
                    inner.release_lock = Some(release.unchecked_into());
                    inner.owns = true;
                }
                _ => mode = Mode::ReadOnly,
            }
        }
        watch_aborts(&name);
        match Store::open(&name).await {
            Ok(store) => {
                let store = if lease { store.with_lease(owner_id()) } else { store };
                if lease {
                    match store.try_lease().await {
                        Ok(true) => host.0.borrow_mut().owns = true,
                        Ok(false) => mode = Mode::ReadOnly,
                        Err(e) => mode = Mode::Failed(format!("IndexedDB could not be written ({e})")),
                    }
                }
                let mut inner = host.0.borrow_mut();
                inner.store = Some(Rc::new(store));
                inner.lease = lease;
            }
            Err(e) => mode = Mode::Failed(format!("IndexedDB could not be opened ({e})")),
        }
        if let Err(reason) = host.reload_owned().await {
            mode = Mode::Failed(reason);
        }
        {
            let mut inner = host.0.borrow_mut();
            inner.mode = mode.clone();
            inner.loaded = true;
        }
        if config.use_lock {
            host.open_channel(&name);
        }
        if mode == Mode::ReadOnly {
            host.wait_for_ownership(name);
        } else if lease && host.0.borrow().owns {
            host.keep_lease();
        }
        host
    }

    /// Rebuilds the engine from what IndexedDB holds: everything stored, or everything before
    /// the first part that cannot be replayed ([`Host::damage`] then says what and keeps the
    /// raw data). Fails only when IndexedDB cannot be read or was written by a newer version.
    async fn reload(&self) -> Result<(), String> {
        let Some(store) = self.0.borrow().store.clone() else { return Ok(()) };
        let started = js_sys::Date::now();
        let loaded = store.load().await.map_err(|e| format!("IndexedDB could not be read ({e})"))?;
        let stored = journal::upgrade(loaded.stored).map_err(|e| e.to_string())?;
        let config = dynaplay_engine::EngineConfig::default();
        let restored =
            journal::restore(stored.snapshot.as_deref().map(str::as_bytes), &stored.records, config);
        // The small engine stopped at global tables or DAX (a workspace made with the full
        // engine): the full one loads it. Nothing is set aside or written meanwhile.
        if restored.failure.as_ref().is_some_and(|f| f.not_in_this_build() && !engines::FULL_ENGINE) {
            engines::switch_to_full_engine();
            return Err(engines::SWITCHING.into());
        }
        let damage = match &restored.failure {
            Some(failure) => {
                let description = damage::describe(failure, &iso_time);
                let stored_data = damage::stored_data(&stored, failure, &description);
                Some(Damage { description, stored_data, fresh: true })
            }
            None => loaded.set_aside.map(|stored_data| Damage {
                description: damage::description_of(&stored_data),
                stored_data,
                fresh: false,
            }),
        };
        let mut inner = self.0.borrow_mut();
        // During a lab the learner's own engine is the one waiting aside.
        let engine = restored.engine;
        inner.checkpointed_background = engine.background_writes();
        match &mut inner.lab {
            Some(lab) => lab.own = engine,
            None => inner.engine = engine,
        }
        inner.snapshot_wanted = false;
        inner.stats.replayed = restored.replayed;
        inner.stats.snapshot_bytes = restored.snapshot_bytes as usize;
        inner.stats.journal_bytes = restored.journal_bytes as usize;
        inner.stats.load_ms = js_sys::Date::now() - started;
        inner.stored_triggers = Some(stored.side);
        inner.epoch += 1;
        inner.replay_failure = restored.failure;
        inner.damage = damage;
        Ok(())
    }

    /// [`Host::reload`] in a tab that owns the workspace: a damaged store's raw data is set
    /// aside, and a snapshot of what was restored becomes the new base of an empty journal,
    /// in one transaction, before anything else is written — writing on top of the damaged
    /// journal would replay the damaged entry first at the next reload and lose what follows.
    async fn reload_owned(&self) -> Result<(), String> {
        self.reload().await?;
        let (store, data, snapshot) = {
            let inner = self.0.borrow();
            let (Some(store), Some(damage)) = (inner.store.clone(), inner.damage.as_ref()) else {
                return Ok(());
            };
            if !inner.owns || !damage.fresh {
                return Ok(());
            }
            (store, damage.stored_data.clone(), workspace::snapshot(&inner.engine).to_string())
        };
        let bytes = snapshot.len();
        let saved = store.set_aside(&data, snapshot).await;
        let mut inner = self.0.borrow_mut();
        match saved {
            Ok(()) => {
                if let Some(damage) = inner.damage.as_mut() {
                    damage.fresh = false;
                }
                inner.stats.snapshot_bytes = bytes;
                inner.stats.journal_bytes = 0;
                Ok(())
            }
            Err(e) => Err(format!(
                "the saved workspace is damaged and setting the damaged part aside failed ({e}); \
                 everything before the damage is loaded"
            )),
        }
    }

    fn open_channel(&self, name: &str) {
        let weak = Rc::downgrade(&self.0);
        let on_message = Closure::<dyn Fn()>::new(move || {
            if let Some(inner) = weak.upgrade() {
                Host(inner).follow();
            }
        });
        let channel = open_channel(&format!("{name}:commits"), on_message.as_ref().unchecked_ref());
        on_message.forget();
        self.0.borrow_mut().channel = Some(channel);
    }

    /// A read-only tab heard of a commit: reload (one at a time, coalescing notices).
    fn follow(&self) {
        {
            let mut inner = self.0.borrow_mut();
            if inner.mode != Mode::ReadOnly {
                return;
            }
            match inner.follower_reload {
                FollowerReload::Idle => inner.follower_reload = FollowerReload::Running,
                _ => {
                    inner.follower_reload = FollowerReload::RunningAndAgain;
                    return;
                }
            }
        }
        let host = self.clone();
        spawn_local(async move {
            loop {
                let _ = host.reload().await;
                let again = {
                    let mut inner = host.0.borrow_mut();
                    let again = inner.follower_reload == FollowerReload::RunningAndAgain;
                    inner.follower_reload =
                        if again { FollowerReload::Running } else { FollowerReload::Idle };
                    again
                };
                host.notify();
                if !again {
                    break;
                }
            }
        });
    }

    fn wait_for_ownership(&self, name: String) {
        let host = self.clone();
        spawn_local(async move {
            if host.0.borrow().lease {
                // Without Web Locks nothing wakes a waiting tab: try the lease now and then.
                loop {
                    sleep(LEASE_POLL_MS).await;
                    let Some(store) = host.0.borrow().store.clone() else { return };
                    if let Ok(true) = store.try_lease().await {
                        break;
                    }
                }
            } else {
                let Ok(release) = JsFuture::from(acquire_lock(&lock_name(&name), true)).await else { return };
                host.0.borrow_mut().release_lock = Some(release.unchecked_into());
            }
            host.0.borrow_mut().owns = true;
            // The previous owner is gone: its last commits are in IndexedDB.
            let mode = match host.reload_owned().await {
                Ok(()) => Mode::Owner,
                Err(reason) => Mode::Failed(reason),
            };
            host.0.borrow_mut().mode = mode;
            host.notify();
            if host.0.borrow().lease {
                host.keep_lease();
            }
        });
    }

    /// Renews this tab's lease every [`LEASE_HEARTBEAT_MS`] while it owns the workspace. If
    /// another tab took it (this one was frozen past the lease's expiry), this tab becomes a
    /// read-only follower; its writes were already refused by the lease check in each write.
    fn keep_lease(&self) {
        let host = self.clone();
        spawn_local(async move {
            loop {
                sleep(LEASE_HEARTBEAT_MS).await;
                let store = {
                    let inner = host.0.borrow();
                    if !inner.owns {
                        return;
                    }
                    inner.store.clone()
                };
                let Some(store) = store else { return };
                if let Ok(false) = store.try_lease().await {
                    host.lose_ownership();
                    return;
                }
            }
        });
    }

    /// Another tab holds the lease now: follow it read-only, reload what it stored, and wait
    /// to take over again.
    fn lose_ownership(&self) {
        let name = {
            let mut inner = self.0.borrow_mut();
            if !inner.owns {
                return;
            }
            inner.owns = false;
            inner.mode = Mode::ReadOnly;
            inner.config.database.clone()
        };
        self.follow();
        if let Some(name) = name {
            self.wait_for_ownership(name);
        }
    }

    /// Registers a callback run after the workspace changed (a commit, a reload, a mode change).
    pub fn subscribe(&self, listener: Rc<dyn Fn()>) {
        self.0.borrow_mut().listeners.push(listener);
    }

    /// Notifies once, in a later task, for every in-memory write of this task and of the
    /// microtasks it spawns: a loop of `await dynaplay.send(…)` never yields to a task, so it
    /// re-renders the UI once at its end instead of once per write (8.7k → see web/README.md).
    fn notify_soon(&self) {
        if std::mem::replace(&mut self.0.borrow_mut().notify_pending, true) {
            return;
        }
        let host = self.clone();
        let callback = Closure::once_into_js(move || {
            host.0.borrow_mut().notify_pending = false;
            host.notify();
        });
        let scheduled = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), 0).ok()
        });
        if scheduled.is_none() {
            self.0.borrow_mut().notify_pending = false;
            self.notify();
        }
    }

    fn notify(&self) {
        let listeners = self.0.borrow().listeners.clone();
        for listener in listeners {
            listener();
        }
    }

    /// What this tab may do.
    pub fn mode(&self) -> Mode {
        self.0.borrow().mode.clone()
    }

    /// Whether this tab owns the workspace (holds the Web Lock or the lease, or needs
    /// neither): only it may write, reset or import.
    pub fn owns(&self) -> bool {
        self.0.borrow().owns
    }

    /// The counters.
    pub fn stats(&self) -> Stats {
        self.0.borrow().stats.clone()
    }

    /// Mutations executed but not yet acknowledged.
    pub fn unacknowledged(&self) -> usize {
        self.0.borrow().commit.unacknowledged()
    }

    /// Whether the engine is being rolled back to the stored state after a failed write.
    pub fn recovering(&self) -> bool {
        self.0.borrow().recovering
    }

    /// The triggers to (re)start from, once after each reload from IndexedDB (open, taking
    /// over from another tab, rolling back a failed write) or reset/import (none): the
    /// positions they hold match the workspace just loaded.
    pub fn take_stored_triggers(&self) -> Option<Vec<String>> {
        self.0.borrow_mut().stored_triggers.take()
    }

    /// What the last reload from IndexedDB could not replay, if anything: which journal record
    /// and entry, its operation, request and error ([`ReplayFailure`]). The tab then holds
    /// everything stored before it; the owner has set the raw stored data aside
    /// ([`Host::damage`]) and stored a snapshot of this engine, so it goes on writing.
    pub fn replay_failure(&self) -> Option<ReplayFailure> {
        self.0.borrow().replay_failure.clone()
    }

    /// A damaged store met by this or an earlier reload and not yet dismissed: what failed
    /// (for the banner) and the raw stored data (for the learner to download).
    pub fn damage(&self) -> Option<Damage> {
        self.0.borrow().damage.clone()
    }

    /// Forgets the damaged store's raw data (the learner dismissed the banner): removed from
    /// IndexedDB by the owner; a read-only tab cannot (an `AccessDeniedException`).
    pub async fn dismiss_damage(&self) -> Result<(), Value> {
        let (store, fresh) = {
            let inner = self.0.borrow();
            if !inner.owns {
                return Err(errors::read_only());
            }
            (inner.store.clone(), inner.damage.as_ref().is_some_and(|d| d.fresh))
        };
        // Data never set aside (saving it failed) is only in this tab's memory.
        if let (Some(store), false) = (store, fresh) {
            store.discard_set_aside().await.map_err(|e| errors::storage_unavailable(&e.to_string()))?;
        }
        self.0.borrow_mut().damage = None;
        self.notify();
        Ok(())
    }

    /// Changes whenever the engine is replaced (a reload from storage, reset, import).
    pub fn epoch(&self) -> u64 {
        self.0.borrow().epoch
    }

    /// Saves a table's trigger (`Some`: its stored form) or removes it (`None`) in the next
    /// write transaction, after every mutation executed so far. The promise settles once it is
    /// committed; `None` when nothing is saved (in memory, read-only, storage failed, or while
    /// the engine is being rolled back — the triggers restart from storage after that).
    pub fn save_trigger(&self, table: &str, state: Option<String>) -> Option<Promise> {
        let mut inner = self.0.borrow_mut();
        if inner.mode != Mode::Owner || !inner.loaded || inner.recovering {
            return None;
        }
        let (promise, resolve, reject) = new_promise();
        let entry = Entry::Side { key: table.to_owned(), value: state };
        let schedule =
            inner.commit.push(entry, Some(Waiter { resolve, reject, response: JsValue::UNDEFINED }));
        drop(inner);
        if schedule {
            self.schedule_flush();
        }
        Some(promise)
    }

    /// Makes the next write transaction fail (tests).
    pub fn inject_fault(&self, fault: InjectedFault) {
        if let Some(store) = &self.0.borrow().store {
            store.inject_fault(fault);
        }
    }

    /// Moves engine time to now (running the workload requests that fell due, within this
    /// frame's share: see [`move_time`]) without a request: the Capacity view calls it every
    /// animation frame so a fast workload runs in small batches. What the workloads write is
    /// saved by snapshot (see [`want_checkpoint`]).
    pub fn tick(&self) {
        let schedule = match self.0.try_borrow_mut() {
            Ok(mut inner) if inner.loaded && !inner.recovering => {
                // A lab's time steps run whole (no frame budget), so its checks see what
                // "show me" did; nothing of a lab is saved.
                if inner.lab.is_some() {
                    inner.engine.set_now(now_ms());
                    false
                } else {
                    move_time(&mut inner, true, now_ms());
                    want_checkpoint(&mut inner, false)
                }
            }
            _ => false,
        };
        if schedule {
            self.schedule_flush();
        }
    }

    /// Runs one request (operation name + JSON text) as described in the module docs — or,
    /// while the page is connected to an endpoint, sends it there (see `host::endpoint`).
    pub fn dispatch(&self, operation: &str, body: &str) -> Dispatch {
        self.dispatch_in(None, operation, body)
    }

    /// [`Host::dispatch`] for a request sent to `region` (`None`: the engine's own): each
    /// Region has its own tables, a global table a replica in each. Connected to an endpoint,
    /// the endpoint client's own Region applies.
    pub fn dispatch_in(&self, region: Option<&str>, operation: &str, body: &str) -> Dispatch {
        self.dispatch_at(now_ms(), region, operation, body.as_bytes())
    }

    /// [`Host::dispatch_in`] at wall-clock time `now` (ms), as the page read it sending the
    /// request (`host::boundary`): a reading from inside the wasm is a call out of it, a fiftieth
    /// of an in-page GetItem. `body` as the page wrote it: the engine reads JSON bytes (and
    /// checks the UTF-8 of what it reads), so the page's text is not checked twice.
    pub fn dispatch_at(&self, now: u64, region: Option<&str>, operation: &str, body: &[u8]) -> Dispatch {
        match self.endpoint().filter(Endpoint::forwards) {
            Some(_) if !endpoint::COMPUTED_HERE.contains(&operation) => {
                // The views refresh once a write has been answered, as after one of the page's.
                let settled = match workspace::is_mutating(operation) {
                    true => {
                        let host = self.clone();
                        Closure::once_into_js(move || host.notify_soon())
                    }
                    false => JsValue::UNDEFINED,
                };
                // Whatever the page wrote is UTF-8 (js/dynaplay.js's dispatch).
                let body = std::str::from_utf8(body).unwrap_or_default();
                Dispatch::Pending(endpoint::remote_send(operation, body, &settled))
            }
            _ => self.dispatch_here(now, region, operation, body),
        }
    }

    /// Runs one request in this page's engine, wherever the page's requests go (a trigger
    /// polls its own workspace's stream).
    fn dispatch_here(&self, now: u64, region: Option<&str>, operation: &str, body: &[u8]) -> Dispatch {
        let (answer, flush) = self.execute(now, region, operation, body);
        if flush {
            self.schedule_flush();
        }
        // The console shows who requests go as: it re-renders on a notice.
        #[cfg(feature = "full-engine")]
        if operation == "PlaygroundUseAccessKey" {
            self.notify_soon();
        }
        answer
    }

    /// [`Host::dispatch`] under the borrow: the answer, and whether a flush must be scheduled
    /// (the caller does it once the borrow is released).
    fn execute(&self, now: u64, region: Option<&str>, operation: &str, body: &[u8]) -> (Dispatch, bool) {
        let mut guard = self.0.borrow_mut();
        let inner = &mut *guard;
        if !inner.loaded {
            return (Dispatch::Failed(errors::loading().to_string()), false);
        }
        if inner.recovering {
            return (Dispatch::Failed(errors::recovering().to_string()), false);
        }
        let mutating = workspace::is_mutating(operation);
        if inner.lab.is_some() {
            let answer = execute_in_lab(inner, region, operation, body);
            drop(guard);
            if mutating {
                self.notify_soon();
            }
            return (answer, false);
        }
        // A workload writes on its own as time moves: a read-only tab's copy must not.
        if mutating || operation == "PlaygroundStartWorkload" {
            match &inner.mode {
                Mode::ReadOnly => return (Dispatch::Failed(errors::read_only().to_string()), false),
                Mode::Failed(reason) => {
                    return (Dispatch::Failed(errors::storage_unavailable(reason).to_string()), false)
                }
                Mode::Memory | Mode::Owner => {}
            }
        }
        move_time(inner, false, now);
        if inner.mode == Mode::Memory {
            // Nothing is journaled: the plain entry point, without copying the request into a
            // journal entry only to drop it.
            let answer = match region {
                Some(region) => inner.engine.handle_text_in(region, operation, body),
                None => inner.engine.handle_text(operation, body),
            };
            #[cfg(feature = "full-engine")]
            record(inner, operation, body, region, &answer);
            let answer = match answer {
                Ok(response) => Dispatch::Done(response),
                Err(err) => return (Dispatch::Failed(err.to_json().to_string()), false),
            };
            drop(guard);
            if mutating {
                self.notify_soon();
            }
            return (answer, false);
        }
        // The journal replays requests at their engine time, whatever the playground clock's
        // speed was; the state they ran on must be the stored one (see `want_checkpoint`).
        let checkpointed = want_checkpoint(inner, mutating);
        let background = inner.engine.background_writes();
        let (answer, entry) = match region {
            Some(region) => inner.engine.handle_logged_in(region, operation, body),
            None => inner.engine.handle_logged(operation, body),
        };
        #[cfg(feature = "full-engine")]
        record(inner, operation, body, region, &answer);
        let response = match answer {
            Ok(response) => response,
            Err(err) => return (Dispatch::Failed(err.to_json().to_string()), checkpointed),
        };
        if !mutating {
            return (Dispatch::Done(response), checkpointed);
        }
        // Nothing of it was applied (every statement of a batch throttled): nothing to save.
        let Some(entry) = entry else { return (Dispatch::Done(response), checkpointed) };
        let (promise, resolve, reject) = new_promise();
        let waiter = Waiter { resolve, reject, response: response.into() };
        let mut schedule = inner.commit.push(Entry::Mutation(entry), Some(waiter));
        // A split that followed traffic happened during the request: the snapshot goes in the
        // same transaction, right after it (replaying the entry would not split).
        if inner.engine.background_writes() != background {
            schedule |= want_checkpoint(inner, true);
        }
        (Dispatch::Pending(promise), schedule || checkpointed)
    }

    /// The latest requests as JSON text (`host::history`), for the Access view's simulator.
    #[cfg(feature = "full-engine")]
    pub fn history(&self) -> String {
        self.0.borrow().history.to_json()
    }

    /// The principal requests are sent as now (`None`: the account's root user).
    #[cfg(feature = "full-engine")]
    pub fn acting_as(&self) -> Option<String> {
        self.0.try_borrow().ok()?.engine.acting_as_arn()
    }

    /// The id of the request just run, if it consumed capacity: `PlaygroundExplainRequest`
    /// explains it (the engine keeps the last 100 for the session).
    pub fn last_request_id(&self) -> Option<String> {
        if self.endpoint().is_some_and(|e| e.forwards()) {
            return None;
        }
        self.0.try_borrow().ok()?.engine.last_request_id()
    }

    /// The endpoint the page's requests go to, if it is connected to one (or tried to: see
    /// [`Endpoint::error`]). `None` while a lab's workspace is in front: labs run here.
    pub fn endpoint(&self) -> Option<Endpoint> {
        let inner = self.0.borrow();
        inner.endpoint.clone().filter(|_| inner.lab.is_none())
    }

    /// Sets where requests go (`js/dynaplay.js` reports its endpoint client's state).
    pub fn set_endpoint(&self, endpoint: Option<Endpoint>) {
        self.0.borrow_mut().endpoint = endpoint;
        self.notify_soon();
    }

    /// Whether the views of the engine's internals — partitions, capacity, time — can show:
    /// requests run in the page, or go to dynaplay-server.
    pub fn internals(&self) -> bool {
        self.endpoint().filter(Endpoint::forwards).is_none_or(|e| e.internals)
    }

    /// Puts a lab's workspace in front of the learner's own (kept aside, untouched, until
    /// [`Host::leave_lab`]); replaces the lab workspace if one is in front. Refused (the
    /// engine comes back) while writes of the learner's own workspace wait for their commit:
    /// that commit's snapshot must be taken of their engine.
    pub fn enter_lab(&self, engine: Box<Engine>, id: &str) -> Result<(), Box<Engine>> {
        let mut guard = self.0.borrow_mut();
        let inner = &mut *guard;
        if !inner.loaded || inner.recovering || !inner.commit.is_idle() {
            return Err(engine);
        }
        let own = std::mem::replace(&mut inner.engine, *engine);
        let own = match inner.lab.take() {
            Some(previous) => previous.own,
            None => own,
        };
        inner.lab = Some(LabSession { own, log: Vec::new(), id: id.to_owned() });
        drop(guard);
        self.notify();
        Ok(())
    }

    /// Brings the learner's own workspace back in front; the lab's is dropped.
    pub fn leave_lab(&self) {
        let mut guard = self.0.borrow_mut();
        let Some(lab) = guard.lab.take() else { return };
        guard.engine = lab.own;
        drop(guard);
        self.notify();
    }

    /// Whether the workspace is in memory because the browser denies this page storage (a
    /// cross-site frame where third-party storage is blocked, a sandboxed frame).
    pub fn storage_denied(&self) -> bool {
        self.0.borrow().storage_denied
    }

    /// The id of the lab whose workspace is in front, if any.
    pub fn lab_id(&self) -> Option<String> {
        self.0.borrow().lab.as_ref().map(|lab| lab.id.clone())
    }

    /// What a lab step's check reads, on the lab workspace in front: a read-only,
    /// capacity-free operation's answer (anything else is refused, so a check can never change
    /// the lab), or an item by key. `None` when no lab is in front.
    pub fn lab_look(&self, op: &str, request: Value) -> Option<Result<Value, String>> {
        self.lab_look_in(None, op, request)
    }

    /// [`Host::lab_look`] in `region` (`None`: the engine's own).
    pub fn lab_look_in(
        &self,
        region: Option<&str>,
        op: &str,
        request: Value,
    ) -> Option<Result<Value, String>> {
        let mut guard = self.0.borrow_mut();
        let inner = &mut *guard;
        inner.lab.as_ref()?;
        let looks =
            dynaplay_engine::operation(op).is_some_and(|spec| !spec.mutates && !spec.returns_capacity);
        Some(match (looks, region) {
            (true, None) => inner.engine.look(op, request),
            (true, Some(region)) => inner.engine.look_in(region, op, request),
            (false, _) => {
                Err(format!("{op} changes the workspace or charges capacity; a check may only look"))
            }
        })
    }

    /// An item of the lab workspace by key, read without charging; `None` when no lab is in front.
    pub fn lab_peek(&self, table: &str, key: &Value) -> Option<Result<Option<Value>, String>> {
        self.lab_peek_in(None, table, key)
    }

    /// [`Host::lab_peek`] in `region` (`None`: the engine's own).
    pub fn lab_peek_in(
        &self,
        region: Option<&str>,
        table: &str,
        key: &Value,
    ) -> Option<Result<Option<Value>, String>> {
        let mut guard = self.0.borrow_mut();
        let inner = &mut *guard;
        inner.lab.as_ref()?;
        let engine = &mut inner.engine;
        Some(
            match region {
                None => Engine::peek_item(engine, table, key),
                Some(region) => Engine::peek_item_in(engine, region, table, key),
            }
            .map_err(|e| e.message),
        )
    }

    /// The requests sent to the lab workspace since [`Host::clear_lab_log`], as a JSON list of
    /// [`Exchange::to_json`] objects (empty when no lab is in front).
    pub fn lab_log(&self) -> Value {
        let guard = self.0.borrow();
        let log = guard.lab.as_ref().map(|lab| lab.log.iter().map(Exchange::to_json).collect());
        Value::Array(log.unwrap_or_default())
    }

    /// Starts a new step's log.
    pub fn clear_lab_log(&self) {
        if let Some(lab) = &mut self.0.borrow_mut().lab {
            lab.log.clear();
        }
    }

    /// Runs one request and waits for it to be acknowledged (durable, for a write).
    pub async fn send(&self, operation: &str, request: &Value) -> Result<Value, Value> {
        Self::answer(self.dispatch(operation, &request.to_string())).await
    }

    /// [`Host::send`] to this page's engine, wherever the page's requests go.
    pub async fn send_here(&self, operation: &str, request: &Value) -> Result<Value, Value> {
        Self::answer(self.dispatch_here(now_ms(), None, operation, request.to_string().as_bytes())).await
    }

    /// [`Host::send`], with the id of the request's cost trace when it consumed capacity
    /// (taken as the engine runs it, before any other request can).
    pub async fn send_traced(
        &self,
        operation: &str,
        request: &Value,
    ) -> (Result<Value, Value>, Option<String>) {
        let dispatch = self.dispatch(operation, &request.to_string());
        let id = self.last_request_id();
        (Self::answer(dispatch).await, id)
    }

    /// A dispatched request's answer, once acknowledged.
    async fn answer(dispatch: Dispatch) -> Result<Value, Value> {
        let parse = |text: &str| serde_json::from_slice(text.as_bytes()).unwrap_or(Value::Null);
        match dispatch {
            Dispatch::Done(text) => Ok(parse(&text)),
            Dispatch::Failed(text) => Err(parse(&text)),
            Dispatch::Pending(promise) => match JsFuture::from(promise).await {
                Ok(v) => Ok(parse(&v.as_string().unwrap_or_default())),
                Err(v) => Err(parse(&v.as_string().unwrap_or_default())),
            },
        }
    }

    /// The whole workspace as JSON text (what the engine holds now).
    pub fn export(&self) -> String {
        workspace::export(&self.0.borrow().engine).to_string()
    }

    /// Replaces the workspace with an exported one. A bad file is an error (a DynamoDB-style
    /// JSON) and changes nothing; otherwise the promise resolves once it is stored.
    pub fn import(&self, text: &str) -> Promise {
        let document: Value = match serde_json::from_slice(text.as_bytes()) {
            Ok(v) => v,
            Err(e) => return Promise::reject(&errors::import_not_json(&e.to_string()).to_string().into()),
        };
        match workspace::import(&document) {
            Ok(engine) => self.replace(engine, document.to_string()),
            Err(err) => Promise::reject(&err.to_json().to_string().into()),
        }
    }

    /// Replaces the workspace with an empty one.
    pub fn reset(&self) -> Promise {
        let mut engine = Engine::new();
        engine.set_now(now_ms());
        let snapshot = workspace::snapshot(&engine).to_string();
        self.replace(engine, snapshot)
    }

    fn replace(&self, engine: Engine, snapshot: String) -> Promise {
        let mut guard = self.0.borrow_mut();
        let inner = &mut *guard;
        // Reset and import act on the learner's own workspace: a lab in front ends first.
        if let Some(lab) = inner.lab.take() {
            inner.engine = lab.own;
        }
        if !inner.loaded || inner.recovering {
            return Promise::reject(&errors::recovering().to_string().into());
        }
        // Reset and import are the way out of a damaged or failed store: they work in the
        // storage-failed mode too (if this tab owns the workspace), and if the transaction
        // commits the tab saves again.
        let failed_without_store = matches!(inner.mode, Mode::Failed(_)) && inner.store.is_none();
        match &inner.mode {
            Mode::ReadOnly => return Promise::reject(&errors::read_only().to_string().into()),
            Mode::Failed(_) if !inner.owns => {
                return Promise::reject(&errors::read_only().to_string().into())
            }
            Mode::Memory => {}
            Mode::Failed(_) if failed_without_store => {}
            Mode::Failed(_) => inner.mode = Mode::Owner,
            Mode::Owner => {}
        }
        inner.damage = None;
        inner.replay_failure = None;
        if inner.mode != Mode::Owner {
            // Nothing to store it in: replaced in memory (a failed tab still says it is not saving).
            inner.engine = engine;
            inner.stored_triggers = Some(Vec::new());
            inner.epoch += 1;
            drop(guard);
            self.notify();
            return Promise::resolve(&JsValue::UNDEFINED);
        }
        inner.engine = engine;
        inner.checkpointed_background = inner.engine.background_writes();
        inner.snapshot_wanted = false;
        // The tables the triggers read are gone: the same transaction removes them.
        inner.stored_triggers = Some(Vec::new());
        inner.epoch += 1;
        let (promise, resolve, reject) = new_promise();
        let schedule = inner.commit.push(
            Entry::Replace { snapshot },
            Some(Waiter { resolve, reject, response: JsValue::UNDEFINED }),
        );
        drop(guard);
        if schedule {
            self.schedule_flush();
        }
        promise
    }

    fn schedule_flush(&self) {
        let host = self.clone();
        // spawn_local runs after the current JS task's synchronous code: every request issued
        // in that task is pending by then and joins this transaction.
        spawn_local(async move { host.flush().await });
    }

    async fn flush(&self) {
        let (plan, store) = {
            let mut guard = self.0.borrow_mut();
            let inner = &mut *guard;
            // A snapshot waits for the pacer; the batch waits with it (and grows).
            let wait = inner.pacer.next_snapshot_ms() - js_sys::Date::now();
            if inner.snapshot_wanted && wait > 0.0 {
                if !std::mem::replace(&mut inner.flush_timer, true) {
                    drop(guard);
                    self.flush_after(wait);
                }
                return;
            }
            let Some(mut batch) = inner.commit.begin() else { return };
            let Some(store) = inner.store.clone() else { return };
            // Markers only say a snapshot is wanted (`want_checkpoint`); the snapshot is taken
            // here, once, of the engine as it is now.
            batch.retain(|e| !matches!(e, Entry::Checkpoint { snapshot } if snapshot.is_empty()));
            let wanted = std::mem::take(&mut inner.snapshot_wanted);
            // A reset or import restarts the journal from its own snapshot: no compaction.
            let replaced = batch.iter().any(|e| matches!(e, Entry::Replace { .. }));
            let due = wanted
                || (!replaced
                    && inner
                        .config
                        .compaction
                        .due(inner.stats.journal_bytes as u64, inner.stats.snapshot_bytes as u64));
            // The batch is everything not yet committed, so the engine holds exactly
            // committed + batch (+ the changes it made on its own since): a snapshot of it
            // replaces journal and batch together.
            let hint = inner.stats.snapshot_bytes;
            let mut snapshot = due.then(|| {
                inner.checkpointed_background = inner.engine.background_writes();
                workspace::snapshot_text(&inner.engine, hint)
            });
            if replaced {
                // After a reset or import in the same batch: last, so the plan keeps it and the
                // side records saved after the replacement.
                batch.extend(snapshot.take().map(|snapshot| Entry::Checkpoint { snapshot }));
            }
            let plan = journal::plan_transaction(&batch, || snapshot);
            (plan, store)
        };
        let result = store.write(&plan).await;
        let result = match result {
            Err(err) if err.is_not_owner() => Err(err),
            // The transaction's own error, when the browser gave one: a full origin or disk.
            Err(err) if !err.is_quota() && take_abort_reason().as_deref() == Some("QuotaExceededError") => {
                Err(StoreError::quota(
                    "the transaction was aborted: this site's storage quota is used up".into(),
                ))
            }
            Err(err) if !err.is_quota() => {
                // Did the transaction fail because the origin's storage is full?
                let bytes = plan.snapshot.as_ref().map_or(0, String::len)
                    + plan.record.as_ref().map_or(0, String::len);
                let full =
                    JsFuture::from(storage_nearly_full(bytes as f64)).await.ok().and_then(|v| v.as_bool());
                Err(if full == Some(true) {
                    StoreError::quota(format!("{err}; the origin's storage quota is used up"))
                } else {
                    err
                })
            }
            other => other,
        };
        let mut guard = self.0.borrow_mut();
        let inner = &mut *guard;
        match result {
            Ok(()) => {
                let record_bytes = plan.record.as_ref().map_or(0, String::len);
                if let Some(snapshot) = &plan.snapshot {
                    inner.pacer.stored(js_sys::Date::now(), snapshot.len());
                    inner.stats.snapshot_bytes = snapshot.len();
                    inner.stats.journal_bytes = record_bytes;
                    inner.stats.compactions += u64::from(plan.record.is_none());
                } else {
                    inner.stats.journal_bytes += record_bytes;
                }
                inner.stats.transactions += 1;
                inner.stats.committed += plan.mutations as u64;
                let finished = inner.commit.committed();
                if let Some(channel) = &inner.channel {
                    post(channel);
                }
                drop(guard);
                for waiter in finished.waiters {
                    let _ = waiter.resolve.call1(&JsValue::NULL, &waiter.response);
                }
                if finished.flush_again {
                    self.schedule_flush();
                }
                self.notify();
            }
            Err(err) => {
                inner.stats.failed_transactions += 1;
                let finished = inner.commit.failed();
                inner.recovering = true;
                // Another tab holds the lease: this one follows it from now on.
                let lost = err.is_not_owner() && std::mem::replace(&mut inner.owns, false);
                let error = if lost {
                    inner.mode = Mode::ReadOnly;
                    errors::ownership_lost()
                } else {
                    errors::storage_failed(&err.to_string(), err.is_quota())
                };
                let name = inner.config.database.clone();
                drop(guard);
                web_sys::console::error_1(&format!("dynaplay: a write transaction failed: {err}").into());
                let error = JsValue::from(error.to_string());
                for waiter in finished.waiters {
                    let _ = waiter.reject.call1(&JsValue::NULL, &error);
                }
                // Roll the engine back to the committed state.
                let host = self.clone();
                spawn_local(async move { host.roll_back().await });
                if let (true, Some(name)) = (lost, name) {
                    self.wait_for_ownership(name);
                }
            }
        }
    }

    /// Runs [`Host::flush`] in `ms` milliseconds (the pacer's wait).
    fn flush_after(&self, ms: f64) {
        let host = self.clone();
        let callback = Closure::once_into_js(move || {
            host.0.borrow_mut().flush_timer = false;
            spawn_local(async move { host.flush().await });
        });
        let set = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.unchecked_ref(),
                ms.ceil() as i32,
            )
            .ok()
        });
        if set.is_none() {
            // No timer (no window): write now rather than never.
            self.0.borrow_mut().pacer = CheckpointPacer::default();
            self.0.borrow_mut().flush_timer = false;
            self.schedule_flush();
        }
    }

    async fn roll_back(&self) {
        let owns = self.0.borrow().owns;
        let result = if owns { self.reload_owned().await } else { self.reload().await };
        {
            let mut inner = self.0.borrow_mut();
            inner.recovering = false;
            if let Err(reason) = result {
                inner.mode = Mode::Failed(reason);
            }
        }
        self.notify();
    }

    /// Waits until every executed write is committed (or failed) — for tests: the page never
    /// waits for this, each request's own promise settles when its transaction does.
    pub async fn settled(&self) {
        while !self.0.borrow().commit.is_idle() || self.0.borrow().recovering {
            let _ = JsFuture::from(Promise::new(&mut |resolve, _| {
                let _ = web_sys::window()
                    .and_then(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 1).ok());
            }))
            .await;
        }
    }

    /// Releases the tab lock and closes the database (tests; a page just unloads).
    pub fn close(&self) {
        let mut inner = self.0.borrow_mut();
        if let Some(release) = inner.release_lock.take() {
            let _ = release.call0(&JsValue::NULL);
        }
        let lease = std::mem::take(&mut inner.owns) && inner.lease;
        if let Some(store) = inner.store.take().and_then(|s| Rc::try_unwrap(s).ok()) {
            if lease {
                // Give the lease up so a waiting tab need not wait for it to expire.
                spawn_local(async move {
                    let _ = store.release_lease().await;
                    store.close();
                });
            } else {
                store.close();
            }
        }
        if let Some(channel) = inner.channel.take() {
            let _ = js_sys::Reflect::get(&channel, &"close".into())
                .ok()
                .and_then(|f| f.dyn_into::<Function>().ok())
                .map(|f| f.call0(&channel));
        }
    }
}

/// This tab's lease id: a fresh one, or the one it had before a reload (`js/dynaplay.js`).
fn owner_id() -> String {
    lease_id(&format!("tab-{}-{}", now_ms(), (js_sys::Math::random() * 1e12) as u64))
}

/// An engine time as ISO 8601 text (UTC), for the learner.
fn iso_time(ms: u64) -> String {
    js_sys::Date::new(&JsValue::from(ms as f64)).to_iso_string().into()
}

/// Resolves after `ms` milliseconds.
async fn sleep(ms: u32) {
    let _ = JsFuture::from(Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .and_then(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32).ok());
    }))
    .await;
}

fn lock_name(database: &str) -> String {
    format!("dynaplay-workspace:{database}")
}

fn post(channel: &JsValue) {
    if let Some(f) =
        js_sys::Reflect::get(channel, &"postMessage".into()).ok().and_then(|f| f.dyn_into::<Function>().ok())
    {
        let _ = f.call1(channel, &"commit".into());
    }
}

/// The share of a frame workload stepping may use, in milliseconds (of a 16.7 ms frame at
/// 60 Hz: the rest is the page's own — rendering, the panels, a learner's requests). Past it
/// the workloads wait for the next frame and engine time falls behind the clock
/// (`PlaygroundDescribeTime`'s `BehindMilliseconds`); nothing is skipped.
const FRAME_WORK_MS: f64 = 8.0;

/// How long a frame is taken to last when sharing [`FRAME_WORK_MS`] between the frame's tick
/// and the requests between ticks.
const FRAME_MS: f64 = 16.0;

/// The workload work one slice does (`EngineConfig::workload_step_budget`: a request is one
/// unit, plus one per KiB it writes) before the clock is looked at again: about 0.5 ms of
/// small requests, or one large write.
const SLICE_UNITS: u64 = 100;

/// `performance.now()`, or `Date.now()` where there is none.
fn perf_now() -> f64 {
    thread_local! {
        static PERFORMANCE: Option<web_sys::Performance> = web_sys::window().and_then(|w| w.performance());
    }
    PERFORMANCE.with(|p| p.as_ref().map_or_else(js_sys::Date::now, web_sys::Performance::now))
}

/// Moves engine time to the wall clock, running the workload requests that fell due for at
/// most what is left of this frame's [`FRAME_WORK_MS`], in slices of [`SLICE_UNITS`] with the
/// clock read between them — so however heavy the workloads (100,000 requests/s at 60×,
/// 400 KB items), the page never blocks for more than about a frame. `frame_start`: a new
/// animation frame (the Capacity view's tick) opens a new share; requests between ticks use
/// what is left of the current one (and open one when [`FRAME_MS`] has passed without a tick).
/// `now`: the wall clock read by the caller.
fn move_time(inner: &mut Inner, frame_start: bool, now: u64) {
    // No workload, nothing to budget: the wall clock's reading `now` is the time (each reading
    // of a clock is a call out of the wasm module, and the timed path below makes three).
    if !inner.engine.workloads_running() {
        inner.engine.set_now(now);
        return;
    }
    let start = perf_now();
    if frame_start || start - inner.frame_started_ms >= FRAME_MS {
        inner.frame_started_ms = start;
        inner.frame_spent_ms = 0.0;
    }
    // `performance.now()` is read once per slice.
    let mut clock = start;
    loop {
        let out_of_time = inner.frame_spent_ms + (clock - start) >= FRAME_WORK_MS;
        inner.engine.set_workload_step_budget(if out_of_time { 0 } else { SLICE_UNITS });
        inner.engine.set_now(now_ms());
        clock = perf_now();
        if out_of_time || inner.engine.behind_ms() == 0 {
            break;
        }
    }
    inner.frame_spent_ms += clock - start;
}

/// Notes a request the engine ran in the page's history (`host::history`), with who sent it.
#[cfg(feature = "full-engine")]
fn record(
    inner: &mut Inner,
    operation: &str,
    body: &[u8],
    region: Option<&str>,
    answer: &dynaplay_engine::ApiResult<String>,
) {
    let acting_as = inner.engine.acting_as_arn();
    inner.history.record(operation, body, region, acting_as, answer);
}

/// Marks the pending batch as needing a snapshot of the engine when it changed on its own —
/// workload writes, TTL deletions, traffic-driven splits — since the last one. The journal
/// holds requests only; replayed on a state without those changes they would not reproduce
/// the engine, so a write queued now must go on top of a snapshot: `write` = before (or
/// during) a journaled write, always; otherwise (background changes alone) once the pacer
/// allows ([`CheckpointPacer::next_background_ms`]). The snapshot itself is taken when the
/// batch is written (`flush`), once, of the engine as it is then — and that waits for the
/// pacer, so snapshots write at most `checkpoint::BYTES_PER_SECOND`. Returns whether a flush
/// must be scheduled (the caller does it once the borrow is released).
fn want_checkpoint(inner: &mut Inner, write: bool) -> bool {
    // A lab's workspace is never saved into the learner's.
    if inner.lab.is_some()
        || inner.mode != Mode::Owner
        || inner.snapshot_wanted
        || inner.engine.background_writes() == inner.checkpointed_background
    {
        return false;
    }
    if !write && js_sys::Date::now() < inner.pacer.next_background_ms() {
        return false;
    }
    inner.snapshot_wanted = true;
    // A marker that makes the batch flush: `flush` appends the real snapshot after it, and a
    // plan keeps only the last snapshot of a batch.
    inner.commit.push(Entry::Checkpoint { snapshot: String::new() }, None)
}

/// A request while a lab runs: in memory, never journaled, logged for the lab's checks.
fn execute_in_lab(inner: &mut Inner, region: Option<&str>, operation: &str, body: &[u8]) -> Dispatch {
    inner.engine.set_now(now_ms());
    let request: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let result = match region {
        Some(region) => inner.engine.handle_json_in(region, operation, request.clone()),
        None => inner.engine.handle_json(operation, request.clone()),
    };
    let answer = match &result {
        Ok(response) => Dispatch::Done(response.to_string()),
        Err(err) => Dispatch::Failed(err.to_json().to_string()),
    };
    let exchange = Exchange::record(operation, request, &result, inner.engine.now()).in_region(region);
    if let Some(lab) = &mut inner.lab {
        lab.log.push(exchange);
    }
    answer
}
