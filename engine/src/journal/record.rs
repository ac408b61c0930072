//! A journal record: one JSON array of entries, `[[operation, engine_time_ms, request], …]`,
//! one record per committed transaction (a 1,000-request group commit is one record). The
//! request is JSON text embedded as is. An entry served in another Region than the engine's
//! own names it fourth: `[operation, engine_time_ms, request, region]`.

use serde_json::Value;

/// One request to journal: what replays it exactly.
#[derive(Clone, Debug, PartialEq)]
pub struct Mutation {
    /// Operation name, e.g. `PutItem`.
    pub operation: String,
    /// Engine time it ran at.
    pub at_ms: u64,
    /// The request as applied, JSON text (the request as sent unless part of it was
    /// throttled, see [`crate::Engine::handle_logged`]).
    pub request: String,
    /// The Region it was served in, when not the engine's own
    /// ([`crate::Engine::handle_logged_in`]).
    pub region: Option<String>,
}

/// A journal entry read back from a record.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredMutation {
    /// Operation name.
    pub operation: String,
    /// Engine time it ran at.
    pub at_ms: u64,
    /// The request.
    pub request: Value,
    /// The Region it was served in, when not the engine's own.
    pub region: Option<String>,
}

/// The journal record holding `mutations`, or `None` if there are none.
pub fn encode_record<'a>(mutations: impl IntoIterator<Item = &'a Mutation>) -> Option<String> {
    let mut out = String::from("[");
    for m in mutations {
        if out.len() > 1 {
            out.push(',');
        }
        // The request is JSON text the engine parsed, so it embeds as is.
        out.push('[');
        out.push_str(&Value::String(m.operation.clone()).to_string());
        out.push(',');
        out.push_str(&m.at_ms.to_string());
        out.push(',');
        out.push_str(&m.request);
        if let Some(region) = &m.region {
            out.push(',');
            out.push_str(&Value::String(region.clone()).to_string());
        }
        out.push(']');
    }
    out.push(']');
    (out.len() > 2).then_some(out)
}

/// The entries of a journal record, in order; an error says why the record is not readable.
pub fn decode_record(record: &[u8]) -> Result<Vec<StoredMutation>, String> {
    let bad = |why: &str| format!("a journal record is not readable: {why}");
    let value: Value = match crate::engine::parse_json(record) {
        Some(value) => value,
        None => serde_json::from_slice(record).map_err(|e| bad(&e.to_string()))?,
    };
    let entries = value.as_array().ok_or_else(|| bad("not a list"))?;
    entries
        .iter()
        .map(|e| match e.as_array().map(Vec::as_slice) {
            Some([Value::String(operation), Value::Number(at), request, rest @ ..]) => Ok(StoredMutation {
                operation: operation.clone(),
                at_ms: at.as_u64().ok_or_else(|| bad("bad time"))?,
                request: request.clone(),
                region: match rest {
                    [] => None,
                    [Value::String(region)] => Some(region.clone()),
                    _ => return Err(bad("an entry is not [operation, time, request, region?]")),
                },
            }),
            _ => Err(bad("an entry is not [operation, time, request]")),
        })
        .collect()
}
