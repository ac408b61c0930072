//! The [`Engine`]: engine time, the tables, and the single entry point every front calls.

use std::cell::Cell;

use serde_json::Value;

use crate::capacity::admission::Layout;
use crate::error::{ApiError, ApiResult};
use crate::streams::StreamLog;
use crate::ttl::{self, DEFAULT_TTL_DELETION_DELAY_MS};

/// Settings a host may choose when it creates an engine.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// Region named in ARNs and stream records.
    pub region: String,
    /// Account id named in ARNs.
    pub account_id: String,
    /// How long after its TTL expiry an item is deleted, in engine milliseconds. DynamoDB takes
    /// up to a few days; the playground defaults to [`DEFAULT_TTL_DELETION_DELAY_MS`] (5 s)
    /// so a learner sees expiry happen. Change it here or with
    /// [`Engine::set_ttl_deletion_delay_ms`].
    pub ttl_deletion_delay_ms: u64,
    /// The most work one call that moves engine time ([`Engine::set_now`], [`Engine::advance`])
    /// does for running workloads: one unit per request and one more per KiB it writes. Past
    /// it, engine time stops at the last request run and the next call carries on (nothing is
    /// skipped). A browser host that moves time once per animation frame sets a frame's worth
    /// ([`Engine::set_workload_step_budget`]); the default, a million, suits a server.
    pub workload_step_budget: u64,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            region: "us-east-1".into(),
            account_id: "000000000000".into(),
            ttl_deletion_delay_ms: DEFAULT_TTL_DELETION_DELAY_MS,
            workload_step_budget: crate::playground::workload::DEFAULT_STEP_BUDGET,
        }
    }
}

/// A DynamoDB engine. See the crate docs for an example.
///
/// A clone is an independent engine with the same state (the fuzz targets start every run
/// from a copy of one fixture engine).
#[derive(Clone)]
pub struct Engine {
    pub(crate) config: EngineConfig,
    /// Engine time in milliseconds since the Unix epoch; only the host moves it.
    pub(crate) now_ms: u64,
    /// Tables by name (ordered, as ListTables returns them).
    pub(crate) tables: crate::tables::Tables,
    /// Tables created so far; seeds each table's TableId deterministically.
    pub(crate) tables_created: u64,
    /// TransactWriteItems `ClientRequestToken`s still within their ten minutes.
    pub(crate) client_tokens: crate::ops::transact::ClientTokens,
    /// Streams no longer attached to their table (disabled, or the table deleted), readable
    /// for 24 hours after that.
    pub(crate) closed_streams: Vec<StreamLog>,
    /// The engine second whose housekeeping (TTL deletions, stream trimming) has run: it runs
    /// once per engine second, as of that second's start (see [`Engine::housekeeping`]).
    pub(crate) housekept_second: u64,
    /// Playground state: settings, the clock's pause and speed, running workloads.
    pub(crate) playground: crate::playground::Playground,
    /// Items written or deleted by the engine itself, not by a request: workload traffic and
    /// TTL deletions (see [`Engine::background_writes`]).
    pub(crate) background_writes: u64,
    /// Partition splits that followed traffic rather than data and settings (see
    /// `capacity::admission::Layout`); part of [`Engine::background_writes`].
    pub(crate) adaptive_changes: Cell<u64>,
    /// A journal entry is being replayed: admission admits everything (what was throttled
    /// live is not in the entry) and traffic-driven splits do not happen (see `journal`).
    pub(crate) replaying: bool,
    /// The cost traces of recent requests, for "why?" explanations: session state, never in a
    /// snapshot or the journal (see `explain`).
    pub(crate) traces: crate::explain::trace::Traces,
    /// DAX clusters and parameter groups (workspace state) with their caches (session state).
    pub(crate) dax: crate::dax::Dax,
    /// The other Regions and the global tables: replicas, writes on their way between
    /// Regions (see `global`).
    pub(crate) global: crate::global::GlobalTables,
    /// Application Auto Scaling's targets, policies and activities (workspace state).
    pub(crate) auto_scaling: crate::autoscaling::Slot,
    /// Identities and their policies (workspace state), and who requests are sent as.
    pub(crate) iam: crate::iam::Iam,
    /// Backups and restores in flight (workspace state; `backups`).
    pub(crate) backups: crate::backups::Slot,
}

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

impl Engine {
    /// An empty engine at time zero with the default region and account.
    pub fn new() -> Self {
        Self::with_config(EngineConfig::default())
    }

    /// An empty engine with the given settings.
    pub fn with_config(config: EngineConfig) -> Self {
        Self {
            config,
            now_ms: 0,
            tables: Default::default(),
            tables_created: 0,
            background_writes: 0,
            adaptive_changes: Cell::new(0),
            replaying: false,
            client_tokens: Default::default(),
            closed_streams: Vec::new(),
            housekept_second: 0,
            playground: Default::default(),
            traces: Default::default(),
            dax: Default::default(),
            global: Default::default(),
            auto_scaling: Default::default(),
            iam: Default::default(),
            backups: Default::default(),
        }
    }

    /// Engine time, in milliseconds since the Unix epoch.
    pub fn now(&self) -> u64 {
        self.now_ms
    }

    /// Tells the engine the host's time. By default engine time follows it (never running
    /// backwards: an earlier instant is ignored); once the playground clock is paused or its
    /// speed changed, host time is mapped through it (see `playground/clock.rs`). Workload
    /// requests that fall due on the way run, in time order — at most
    /// [`EngineConfig::workload_step_budget`] of them a call: past it engine time waits at the
    /// last one run and the next call carries on.
    pub fn set_now(&mut self, epoch_ms: u64) {
        let target = self.playground.clock.target(epoch_ms, self.now_ms);
        crate::playground::run_until(self, target);
    }

    /// Moves engine time forward (a step: also while the playground clock is paused),
    /// running the workload requests that fall due (within the step budget, as `set_now`).
    pub fn advance(&mut self, ms: u64) {
        self.playground.clock.stepped(ms);
        let target = self.now_ms.saturating_add(ms);
        crate::playground::run_until(self, target);
    }

    /// How many changes the engine has made on its own since it was created — workload
    /// writes, TTL deletions, and partition splits that followed traffic (on-demand growth,
    /// adaptive capacity isolating a hot item). A host that persists by journaling requests
    /// checks it before and after each request: when it moved, replaying the journal would
    /// not reproduce the state, so the host stores a snapshot (see `journal`).
    pub fn background_writes(&self) -> u64 {
        self.background_writes + self.adaptive_changes.get()
    }

    /// The tables, to change, with what partition maintenance goes by now (split borrows).
    pub(crate) fn tables_with_layout(&mut self) -> (&mut crate::tables::Tables, Layout<'_>) {
        let layout = Layout {
            now: self.now_ms,
            size_limit: self.playground.settings.partition_size_limit,
            adaptive: (!self.replaying).then_some(&self.adaptive_changes),
        };
        (&mut self.tables, layout)
    }

    /// Sets [`EngineConfig::workload_step_budget`]: the most work one call that moves engine
    /// time does for running workloads. 0 runs none: while a workload request is due, engine
    /// time stays where it is (a host out of time for this frame can still give the time
    /// before a request, and the workloads wait for the next frame).
    pub fn set_workload_step_budget(&mut self, units: u64) {
        self.config.workload_step_budget = units;
    }

    /// How far engine time is behind the time the host last gave, because a step budget put
    /// workload requests off (0 when caught up): what `PlaygroundDescribeTime` answers as
    /// `BehindMilliseconds`. A host that steps in slices calls again while it is not 0.
    pub fn behind_ms(&self) -> u64 {
        self.playground.behind_target.saturating_sub(self.now_ms)
    }

    /// Whether a workload still issues requests: while none does, moving engine time runs no
    /// request, and a host that budgets workload stepping per frame need not time it.
    pub fn workloads_running(&self) -> bool {
        self.playground.workloads.iter().any(|w| w.is_running())
    }

    /// How long after its TTL expiry an item is deleted (engine milliseconds).
    pub fn ttl_deletion_delay_ms(&self) -> u64 {
        self.config.ttl_deletion_delay_ms
    }

    /// Sets how long after its TTL expiry an item is deleted (engine milliseconds; 0 deletes
    /// at the first engine second past expiry).
    pub fn set_ttl_deletion_delay_ms(&mut self, ms: u64) {
        self.config.ttl_deletion_delay_ms = ms;
        // A settings change is a request (journaled): what it makes due goes now.
        self.sweep_expired_items(self.now_ms);
    }

    /// What happens once per engine second as time moves, at most once per second and *as of
    /// the second's start*: items due for TTL deletion are deleted, stream records older than
    /// 24 hours are trimmed. Taking the second's start rather than the moment of the first call
    /// makes the outcome independent of which call came first in that second — a read the
    /// journal does not keep, or the journaled write after it — so a replay deletes and trims
    /// exactly what the live engine did.
    pub(crate) fn housekeeping(&mut self) {
        let second = self.now_ms / 1000;
        if second == self.housekept_second {
            return;
        }
        self.housekept_second = second;
        self.sweep_expired_items(second * 1000);
        self.trim_streams(second * 1000);
        if !self.lag().is_off() {
            // Versions whose writes have reached the lagging replica are dropped (the reads
            // in between ignore them already: this only frees their memory).
            self.deliver_replication(self.now_ms);
        }
        // Auto scaling's alarms, once per engine minute; nothing at all in a build without it.
        if crate::features::AUTO_SCALING && !self.auto_scaling.is_idle() {
            crate::autoscaling::scale::tick(self, second);
        }
    }

    /// Deletes every item due for TTL deletion at engine time `at`. Cheap when nothing is
    /// due: each table with TTL keeps its deadlines ordered.
    fn sweep_expired_items(&mut self, at: u64) {
        let (delay, lag) = (self.config.ttl_deletion_delay_ms, self.lag());
        let mut swept = 0;
        // Every Region's tables: Time to Live deletes in each.
        for table in crate::global::regions::all_tables_mut(self).filter(|t| t.ttl_index.is_some()) {
            swept += ttl::sweep(table, at, delay, lag) as u64;
        }
        self.background_writes += swept;
        if swept > 0 {
            // A replica's TTL deletions replicate like any write.
            crate::global::replicate::drain(self);
        }
    }

    /// Runs one operation on a raw JSON body (as an HTTP front receives it).
    /// A body that is not a JSON object gives `SerializationException`.
    pub fn handle(&mut self, operation: &str, body: &[u8]) -> ApiResult<Value> {
        self.handle_json(operation, parse_request(body)?)
    }

    /// Runs one operation and answers JSON text: what a host sends on. The same answer as
    /// `handle(…)?.to_string()`, faster where an operation can write its answer directly
    /// (GetItem, Query and Scan write their items from the stored ones, without a `Value` in
    /// between).
    pub fn handle_text(&mut self, operation: &str, body: &[u8]) -> ApiResult<String> {
        // The operation is looked up once; an unknown one is reported after an unreadable body.
        let spec = crate::ops::operation(operation);
        if let Some(answer) = spec.and_then(|spec| self.handle_direct(spec, body)) {
            return answer;
        }
        let parsed = parse_request(body)
            .and_then(|request| Ok((request, spec.ok_or_else(crate::ops::unknown_operation)?)));
        let (request, spec) = match parsed {
            Ok(parsed) => parsed,
            Err(e) => {
                self.traces.untraced();
                return Err(e);
            }
        };
        self.traced(Some(spec), |engine| crate::ops::run_text(engine, spec, body, &request))
    }

    /// PutItem and GetItem read straight from the body (`ops::read_directly`): the answer as
    /// JSON text, or `None` when the operation has no direct way or the body is not one it
    /// reads, and nothing has run.
    pub(crate) fn handle_direct(
        &mut self,
        spec: &'static crate::ops::OperationSpec,
        body: &[u8],
    ) -> Option<ApiResult<String>> {
        let direct = crate::ops::read_directly(spec, body)?;
        Some(self.traced(Some(spec), |engine| match crate::ops::run_direct(engine, spec, direct) {
            Some(answer) => answer,
            None => crate::ops::run_text(engine, spec, body, &parse_request(body)?),
        }))
    }

    /// Runs one operation on a parsed JSON request.
    pub fn handle_json(&mut self, operation: &str, request: Value) -> ApiResult<Value> {
        self.traced(crate::ops::operation(operation), |engine| {
            crate::ops::dispatch(engine, operation, &request)
        })
    }

    /// Runs one request from a front, recording its cost trace when it consumes capacity
    /// (`explain`). A replayed journal entry is never traced.
    pub(crate) fn traced<T>(
        &mut self,
        spec: Option<&'static crate::ops::OperationSpec>,
        run: impl FnOnce(&mut Self) -> ApiResult<T>,
    ) -> ApiResult<T> {
        match spec.filter(|spec| spec.returns_capacity && !self.replaying) {
            Some(spec) => {
                self.traces.begin(spec.name, self.now_ms);
                let result = run(self);
                self.traces.end(result.as_ref().err().map(|e| e.kind.name()));
                result
            }
            None => {
                self.traces.untraced();
                run(self)
            }
        }
    }

    /// Names the next request a front hands the engine (the HTTP server passes its
    /// `x-amzn-RequestId`), so `PlaygroundExplainRequest` finds its trace by that id. Unnamed
    /// requests are numbered by the engine (`"1"`, `"2"`, …).
    pub fn name_next_request(&mut self, id: impl Into<String>) {
        self.traces.name_next(id.into());
    }

    /// The id of the request just handled, if it consumed capacity (and so has a trace that
    /// `PlaygroundExplainRequest` explains); `None` after any other request.
    pub fn last_request_id(&self) -> Option<String> {
        self.traces.last_id()
    }
}

/// A request body as JSON; anything else is DynamoDB's SerializationException.
pub(crate) fn parse_request(body: &[u8]) -> ApiResult<Value> {
    parse_json(body)
        .ok_or_else(|| ApiError::serialization("Start of structure or map found where not expected"))
}

/// Deepest nesting of JSON objects and arrays a body may have. DynamoDB reads a value nested
/// far past its 32 levels and refuses it as a ValidationException, not as an unreadable body;
/// serde_json's own limit (128) would stop at 63 levels of maps. The bound keeps the parse's
/// recursion well inside any stack, a browser's included.
const MAX_JSON_DEPTH: usize = 512;

/// JSON text as a `Value`, or `None` when it is not JSON or nests past [`MAX_JSON_DEPTH`].
pub(crate) fn parse_json(text: &[u8]) -> Option<Value> {
    if !json_depth_within_limit(text) {
        return None;
    }
    let mut de = serde_json::Deserializer::from_slice(text);
    de.disable_recursion_limit();
    let value = <Value as serde::Deserialize>::deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

/// Whether JSON text nests at most [`MAX_JSON_DEPTH`] levels deep.
pub(crate) fn json_depth_within_limit(text: &[u8]) -> bool {
    // Each level takes a byte: a shorter text cannot nest too deep, and is not scanned twice.
    text.len() <= MAX_JSON_DEPTH || json_depth(text) <= MAX_JSON_DEPTH
}

/// How deep objects and arrays nest in JSON text (brackets inside strings do not count).
fn json_depth(text: &[u8]) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in text {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}
