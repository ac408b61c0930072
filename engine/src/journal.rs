//! The mutation journal: what a host that keeps the workspace as *snapshot + journal* records
//! for each request, and how an engine is rebuilt from them — the same for every host (the
//! browser's IndexedDB, a server's data directory).
//!
//! ## Replay cannot diverge
//!
//! Rebuilding means importing the snapshot and replaying the journaled requests at their
//! engine times. The rebuilt engine must equal the live one, so everything a journaled
//! request's outcome depends on is either in the snapshot or in its journal entry:
//!
//! - **Data, settings, control-plane state, streams, client tokens, partition layout** are in
//!   the snapshot (see `snapshot.rs`) or rebuilt by the entries themselves.
//! - **Time** is the entry's engine time. What happens as time moves — TTL deletions, stream
//!   trimming — runs once per engine second *as of that second's start*
//!   (`Engine::housekeeping`), so it does not matter which call of the second came first: a
//!   read the journal never saw, or the journaled write after it.
//! - **Replication between Regions** (global tables) happens at engine times that follow from
//!   the journaled writes, the replication delay setting and the journaled
//!   `PlaygroundUpdateRegion`s alone: it runs as time moves, write by write at each arrival time
//!   (`global`), so a replay delivers the same writes in the same order; a snapshot keeps the
//!   writes in flight and each replica item's last-writer-wins stamp.
//! - **Throttling is decided once, live, and never again.** Token buckets and on-demand peaks
//!   follow every request, reads and throttled ones included, which no journal keeps; so
//!   replay does not re-decide. A journaled entry holds what was *applied*: a request that
//!   was throttled is not journaled (it failed), and for the two operations that can be
//!   partly throttled and still succeed the entry is the applied part — BatchWriteItem
//!   without its `UnprocessedItems`, BatchExecuteStatement without its throttled statements
//!   ([`Engine::handle_logged`] writes that form). A replayed entry is admitted in full.
//!   Partition splits that follow traffic (on-demand growth, hot-item isolation) likewise
//!   happen only live; they count as background changes (next point).
//! - **Changes the engine makes on its own** — workload traffic, TTL deletions, traffic-driven
//!   splits — are not requests. [`Engine::background_writes`] counts them; when it moved, the
//!   host stores a snapshot (a checkpoint) instead of relying on the journal: before the next
//!   journaled entry if it moved between requests, and right after the entry (in the same
//!   transaction) if it moved during one.
//!
//! Bucket levels, peaks, metrics and hot keys are therefore not restored exactly (a rebuilt
//! table's buckets start full): they describe the session's traffic, and nothing stored
//! depends on them.
//!
//! Partition splits for size and for provisioned throughput follow from data and settings
//! alone; they are made at once after each write (`Resource::settle`) and at UpdateTable, so
//! the layout after a journaled request is the same live and on replay.
//!
//! ## What a host does
//!
//! ```text
//! engine.set_now(wall_ms)                       // workloads and TTL run; housekeeping
//! if engine.background_writes() moved           // since the last snapshot queued
//!     queue Entry::Checkpoint(engine.export_snapshot())
//! (answer, entry) = engine.handle_logged(op, body)
//! if let Some(m) = entry
//!     queue Entry::Mutation(m)                  // acknowledge the request once it is stored
//!     if engine.background_writes() moved during the request
//!         queue Entry::Checkpoint(…)            // same transaction as the entry
//! flush: plan_transaction(batch, compact?) → one transaction (TxnPlan)
//! reload: open(Stored { format, snapshot, records, side }) → Restored { engine, failure, … }
//! ```
//!
//! The browser (`web/src/host/engine_host.rs`, IndexedDB) and the server's `--data-dir`
//! (`server/src/store/`, files) both follow it. [`restore`] never fails outright: a snapshot,
//! record or entry that cannot be read or replayed ends the rebuild there, and
//! [`Restored::failure`] ([`ReplayFailure`]) names it — which record and entry, the
//! operation, its request and the error — for the host to show.
//!
//! ## Stored form
//!
//! A journal *record* is one JSON array of entries, `[[operation, engine_time_ms, request],
//! …]` (a fourth member names the Region of a request served in another Region than the
//! engine's own, `Engine::handle_logged_in`), one record per committed transaction (a
//! 1,000-request group commit is one record).
//! The request is JSON text embedded as is. A snapshot is `Engine::export_snapshot`'s document
//! as JSON text. [`STORED_FORMAT`] versions both (and side records).

mod plan;
mod record;
mod restore;
mod stored;

use serde_json::Value;

pub use plan::{plan_transaction, CompactionPolicy, Entry, TxnPlan};
pub use record::{decode_record, encode_record, Mutation, StoredMutation};
pub use restore::{import_snapshot, restore, ReplayFailure, Restored};
pub use stored::{open, upgrade, LoadError, Stored, STORED_FORMAT};

use crate::engine::Engine;
use crate::error::ApiResult;

impl Engine {
    /// Runs one request (operation name, JSON text) for a host that journals: the answer as
    /// JSON text, and the entry to journal when the request succeeded and may have changed the
    /// workspace. Check [`Engine::background_writes`] around it (see the module docs).
    pub fn handle_logged(&mut self, operation: &str, body: &[u8]) -> (ApiResult<String>, Option<Mutation>) {
        if !crate::ops::is_mutating(operation) {
            return (self.handle_text(operation, body), None);
        }
        let at_ms = self.now_ms;
        // A PutItem read the direct way is journaled as sent, as the usual way journals it.
        if let Some(answer) = crate::ops::operation(operation).and_then(|spec| self.handle_direct(spec, body))
        {
            let entry = answer.is_ok().then(|| Mutation {
                operation: operation.to_owned(),
                at_ms,
                request: String::from_utf8_lossy(body).into_owned(),
                region: None,
            });
            return (answer, entry);
        }
        let Some(request) = crate::engine::parse_json(body) else {
            return (self.handle_text(operation, body), None);
        };
        let response = match self.traced(crate::ops::operation(operation), |engine| {
            crate::ops::dispatch(engine, operation, &request)
        }) {
            Ok(response) => response,
            Err(e) => return (Err(e), None),
        };
        // A request through DAX is journaled as the write it carries (the cache is session
        // state: a rebuilt engine starts cold); a read through DAX is not journaled.
        let dax = operation == "PlaygroundDaxRequest";
        let (journaled, request, answer) = match dax {
            false => (operation, &request, &response),
            true => match crate::ops::playground_dax_request::carried_write(&request, &response) {
                Some(carried) => carried,
                None => return (Ok(response.to_string()), None),
            },
        };
        let entry = match applied_part(journaled, request, answer) {
            // It parsed as JSON, so it is UTF-8.
            Applied::All if !dax => Some(String::from_utf8_lossy(body).into_owned()),
            Applied::All => Some(request.to_string()),
            Applied::Part(request) => Some(request.to_string()),
            Applied::Nothing => None,
        }
        .map(|request| Mutation { operation: journaled.to_owned(), at_ms, request, region: None });
        (Ok(response.to_string()), entry)
    }

    /// Replays one journal entry: moves engine time to its time and runs it, admitting every
    /// charge (throttling was decided when it ran; what was throttled is not in the entry).
    pub fn replay(&mut self, operation: &str, at_ms: u64, request: &Value) -> ApiResult<Value> {
        // The minutes this crosses were evaluated live; a scaling then is in a checkpoint.
        let quiet = crate::features::AUTO_SCALING && !self.auto_scaling.is_idle();
        if quiet {
            self.auto_scaling.quiet = true;
        }
        self.set_now(at_ms);
        if quiet {
            self.auto_scaling.quiet = false;
        }
        self.replaying = true;
        let outcome = crate::ops::dispatch(self, operation, request);
        self.replaying = false;
        outcome
    }
}

/// How much of a successful request was applied.
enum Applied {
    All,
    /// The request reduced to what was applied.
    Part(Value),
    Nothing,
}

/// What of `request` was applied, judging by its `response`: only BatchWriteItem and
/// BatchExecuteStatement can succeed with parts throttled.
fn applied_part(operation: &str, request: &Value, response: &Value) -> Applied {
    match operation {
        "BatchWriteItem" => {
            let unprocessed = response.get("UnprocessedItems").and_then(Value::as_object);
            let Some(unprocessed) = unprocessed.filter(|u| !u.is_empty()) else { return Applied::All };
            let mut request = request.clone();
            let Some(tables) = request.get_mut("RequestItems").and_then(Value::as_object_mut) else {
                return Applied::All;
            };
            for (table, writes) in tables.iter_mut() {
                let left: &[Value] =
                    unprocessed.get(table).and_then(Value::as_array).map_or(&[], Vec::as_slice);
                if let Some(writes) = writes.as_array_mut() {
                    writes.retain(|w| !left.contains(w));
                }
            }
            tables.retain(|_, writes| writes.as_array().is_some_and(|w| !w.is_empty()));
            if tables.is_empty() {
                Applied::Nothing
            } else {
                Applied::Part(request)
            }
        }
        "BatchExecuteStatement" => {
            let responses =
                response.get("Responses").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
            let throttled = |i: usize| {
                let code = responses.get(i).and_then(|r| r.pointer("/Error/Code")).and_then(Value::as_str);
                matches!(code, Some("ProvisionedThroughputExceeded" | "ThrottlingError"))
            };
            if !(0..responses.len()).any(throttled) {
                return Applied::All;
            }
            let mut request = request.clone();
            let Some(statements) = request.get_mut("Statements").and_then(Value::as_array_mut) else {
                return Applied::All;
            };
            let mut i = 0;
            statements.retain(|_| {
                i += 1;
                !throttled(i - 1)
            });
            if statements.is_empty() {
                Applied::Nothing
            } else {
                Applied::Part(request)
            }
        }
        _ => Applied::All,
    }
}

#[cfg(test)]
mod tests;
