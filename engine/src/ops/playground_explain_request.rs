//! PlaygroundExplainRequest: why a recent request consumed what it did, or was throttled —
//! its read and write units and each admission verdict, from the cost trace the engine noted
//! while it ran (`explain`). The engine keeps the traces of its last 100 capacity-consuming
//! requests for the session; without `RequestId`, the most recent one is explained.

use serde_json::{json, Value};

use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::explain::request::explain_trace;
use crate::explain::trace::KEPT;
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("RequestId", Str, &[MinLength(1), MaxLength(128)])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let id = match request::string(request, "RequestId") {
        Some(id) => id.to_owned(),
        None => {
            engine.traces.ids(1).pop().ok_or_else(|| not_found("no request has consumed capacity yet"))?
        }
    };
    let tables = |name: &str| engine.tables.get(name);
    let mut body = engine.traces.with_trace(&id, |trace| explain_trace(trace, &tables)).ok_or_else(|| {
        not_found(&format!(
            "no recent request has the id {id} (the playground keeps the last {KEPT} requests that consumed capacity, for this session)"
        ))
    })?;
    if let Some(m) = body.as_object_mut() {
        m.insert("RecentRequestIds".into(), json!(engine.traces.ids(10)));
    }
    Ok(body)
}

fn not_found(why: &str) -> ApiError {
    ApiError::new(ErrorKind::ResourceNotFound, format!("Requested resource not found: {why}"))
}
