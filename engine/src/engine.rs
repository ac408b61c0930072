//! The [`Engine`]: engine time, the tables, and the single entry point every front calls.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::table::Table;

/// Settings a host may choose when it creates an engine.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// Region named in ARNs and stream records.
    pub region: String,
    /// Account id named in ARNs.
    pub account_id: String,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self { region: "us-east-1".into(), account_id: "000000000000".into() }
    }
}

/// A DynamoDB engine. See the crate docs for an example.
pub struct Engine {
    pub(crate) config: EngineConfig,
    /// Engine time in milliseconds since the Unix epoch; only the host moves it.
    pub(crate) now_ms: u64,
    /// Tables by name (ordered, as ListTables returns them).
    pub(crate) tables: BTreeMap<String, Table>,
    /// Tables created so far; seeds each table's TableId deterministically.
    pub(crate) tables_created: u64,
    /// TransactWriteItems `ClientRequestToken`s still within their ten minutes.
    pub(crate) client_tokens: crate::ops::transact::ClientTokens,
    /// Playground state: settings, the clock's pause and speed, running workloads.
    pub(crate) playground: crate::playground::Playground,
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
            tables: BTreeMap::new(),
            tables_created: 0,
            client_tokens: Default::default(),
            playground: Default::default(),
        }
    }

    /// Engine time, in milliseconds since the Unix epoch.
    pub fn now(&self) -> u64 {
        self.now_ms
    }

    /// Tells the engine the host's time. By default engine time follows it (never running
    /// backwards: an earlier instant is ignored); once the playground clock is paused or its
    /// speed changed, host time is mapped through it (see `playground/clock.rs`). Workload
    /// requests that fall due on the way run, in time order.
    pub fn set_now(&mut self, epoch_ms: u64) {
        let target = self.playground.clock.target(epoch_ms, self.now_ms);
        crate::playground::run_until(self, target);
    }

    /// Moves engine time forward (a step: also while the playground clock is paused),
    /// running the workload requests that fall due.
    pub fn advance(&mut self, ms: u64) {
        self.playground.clock.stepped(ms);
        let target = self.now_ms.saturating_add(ms);
        crate::playground::run_until(self, target);
    }

    /// Runs one operation on a raw JSON body (as an HTTP front receives it).
    /// A body that is not a JSON object gives `SerializationException`.
    pub fn handle(&mut self, operation: &str, body: &[u8]) -> ApiResult<Value> {
        let request: Value = serde_json::from_slice(body)
            .map_err(|_| ApiError::serialization("Start of structure or map found where not expected"))?;
        self.handle_json(operation, request)
    }

    /// Runs one operation on a parsed JSON request.
    pub fn handle_json(&mut self, operation: &str, request: Value) -> ApiResult<Value> {
        crate::ops::dispatch(self, operation, &request)
    }
}
