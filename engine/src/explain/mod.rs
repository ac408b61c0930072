//! "Why?" behind every number: explanations of what the engine did, each made by one function
//! per rule from the real figures, never recomputed loosely.
//!
//! - A request's figures come from its *trace* ([`trace`]): while a capacity-consuming request
//!   runs, the engine notes every unit computation (item and page sizes, consistency, old and
//!   new item sizes, index units) and every admission verdict (which partition, what its burst
//!   bucket or ceiling held, whether adaptive capacity served it, or why it was
//!   refused) — the very values the capacity code used. The engine keeps the traces of the last
//!   [`trace::KEPT`] requests, keyed by request id. They are session state: never in the
//!   snapshot, the export or the journal, and recording them changes nothing a request does,
//!   so replay is unaffected; a reloaded engine has none.
//! - [`request`]: read units, write units, admission (throttling, burst, adaptive capacity,
//!   partition ceilings, GSI back-pressure) of one traced request.
//! - [`consistency`]: which replica served an eventually consistent read, and whether its
//!   answer was stale (`replication`).
//! - [`item_size`]: an item's size, attribute by attribute.
//! - [`table`]: a table's or GSI's partition count, per-partition capacity, burst buckets,
//!   adaptive capacity and hot keys, from its live state.
//! - [`estimate`] with [`prices`]: the capacity calculator.

pub(crate) mod consistency;
pub(crate) mod estimate;
pub(crate) mod item_size;
pub(crate) mod prices;
pub(crate) mod request;
pub(crate) mod table;
pub(crate) mod text;
pub(crate) mod trace;

use serde_json::{json, Value};

/// One rule applied to real figures: which rule, a one-line summary, and the worked steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Explanation {
    /// The rule's name (`ReadUnits`, `WriteUnits`, `Admission`, `PartitionCount`…).
    pub rule: &'static str,
    pub summary: String,
    pub steps: Vec<String>,
}

impl Explanation {
    /// `{"Rule", "Summary", "Steps"}`.
    pub fn to_json(&self) -> Value {
        json!({ "Rule": self.rule, "Summary": self.summary, "Steps": self.steps })
    }
}

/// A list of explanations as JSON.
pub(crate) fn list_json(list: &[Explanation]) -> Value {
    Value::Array(list.iter().map(Explanation::to_json).collect())
}
