//! PlaygroundStartWorkload: starts a seeded stream of GetItem / PutItem requests on engine
//! time against a table (see `playground/workload.rs` for the distributions and the bound on
//! work per time step).

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::playground::workload::{
    Workload, MAX_DATA_BYTES, MAX_ITEM_SIZE, MAX_KEYS, MAX_RATE, MAX_WORKLOADS, MAX_ZIPF_EXPONENT,
};
use crate::validate::{self, Field};

/// The request's members, in the order constraint failures are reported in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("TableName", Str, &[]),
        field("KeyCount", Long, &[Min(1), Max(MAX_KEYS as i64)]),
        field("RequestsPerSecond", Long, &[Min(1), Max(MAX_RATE as i64)]),
        field("ItemSizeBytes", Long, &[Min(1), Max(MAX_ITEM_SIZE as i64)]),
        field("Seed", Long, &[Min(0)]),
        field("ReadRatio", Double, &[Min(0), Max(1)]),
        field("Distribution", Str, &[Enum(&["UNIFORM", "ZIPFIAN", "SEQUENTIAL", "HOT_KEY"])]),
        field("HotKeyShare", Double, &[Min(0), Max(1)]),
        field("ZipfExponent", Double, &[Min(0), Max(MAX_ZIPF_EXPONENT as i64)]),
        field("DurationSeconds", Long, &[Min(0)]),
        field("ConsistentReads", Bool, &[]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let name = request.get("TableName").and_then(Value::as_str).unwrap_or_default();
    if !engine.tables.contains_key(name) {
        return Err(ApiError::resource_not_found());
    }
    let workload = Workload::from_request(engine.playground.next_workload + 1, request, engine.now_ms);
    if workload.data_bytes() > MAX_DATA_BYTES {
        return Err(ApiError::validation(format!(
            "A workload writes at most {} MiB of items: KeyCount × ItemSizeBytes is {} bytes; use fewer keys or smaller items",
            MAX_DATA_BYTES >> 20,
            workload.data_bytes()
        )));
    }
    let workloads = &mut engine.playground.workloads;
    if workloads.iter().filter(|w| w.is_running()).count() >= MAX_WORKLOADS {
        return Err(ApiError::new(
            ErrorKind::LimitExceeded,
            format!("At most {MAX_WORKLOADS} workloads run at once: stop one (PlaygroundStopWorkload) first"),
        ));
    }
    // The list keeps the newest: stopped ones go, oldest first, to make room.
    while workloads.len() >= MAX_WORKLOADS {
        let Some(i) = workloads.iter().position(|w| !w.is_running()) else { break };
        workloads.remove(i);
    }
    engine.playground.next_workload += 1;
    let id = workload.id;
    engine.playground.workloads.push(workload);
    Ok(json!({"WorkloadId": id}))
}
