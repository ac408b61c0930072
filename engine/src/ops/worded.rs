//! How an operation words the errors of DynamoDB's value checks (see [`crate::types::layer`]):
//! which layer checks its values, and whether an error comes inside the `1 validation error
//! detected: ` envelope (recorded by the Parity Suite, October 2026).
//!
//! A request nested past [`DEEP_REQUEST`] levels of JSON (a value about 62 maps deep) is read
//! with the older layer whatever the operation, and its errors are never enveloped: PutItem
//! refuses such an item with the bare nesting message and UpdateItem names the expression
//! attribute value's key. That is found only when an error calls for it, by running the
//! request again in the older layer: a request refused for its values has changed nothing.

use serde_json::Value;

use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, Cause};
use crate::types::layer::{within, Layer};

/// JSON nesting (objects and arrays) from which DynamoDB reads a request with its older layer.
const DEEP_REQUEST: usize = 128;

/// What an operation is, for its errors' wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Surface {
    /// UpdateItem, DeleteItem: the current layer, its errors enveloped.
    ItemWrite,
    /// PutItem: as [`Surface::ItemWrite`], except that a set with a repeated member is
    /// refused in the older layer's words, bare, as the nubo-db suite pins it.
    Put,
    /// GetItem, BatchGetItem, Query and the transactions: the current layer, bare.
    Read,
}

/// Runs `op` on `request` with the layer and envelope `surface` calls for.
pub(crate) fn run<T>(
    engine: &mut Engine,
    request: &Value,
    surface: Surface,
    op: fn(&mut Engine, &Value) -> ApiResult<T>,
) -> ApiResult<T> {
    let e = match within(Layer::Current, || op(engine, request)) {
        Err(e) if is_worded(&e) => e,
        other => return other,
    };
    let older = depth(request, DEEP_REQUEST) >= DEEP_REQUEST
        || (surface == Surface::Put && e.cause == Some(Cause::DuplicateSetMembers));
    if older {
        return within(Layer::Older, || op(engine, request));
    }
    match surface {
        _ if e.cause == Some(Cause::CurrentLayerEnum) => Err(e),
        Surface::ItemWrite | Surface::Put => Err(enveloped(e)),
        Surface::Read => Err(e),
    }
}

/// Runs `op` in the current layer for a request whose item was read straight from its body
/// (`types::item_reader`); `None` when the error it met depends on the layer or envelope. The
/// caller then runs the request the usual way, through [`run`], from the whole body: a request
/// refused for its values has changed nothing.
pub(crate) fn run_read_directly<T>(op: impl FnOnce() -> ApiResult<T>) -> Option<ApiResult<T>> {
    match within(Layer::Current, op) {
        Err(e) if is_worded(&e) => None,
        answer => Some(answer),
    }
}

/// Whether the layer decides the error's words.
fn is_worded(e: &ApiError) -> bool {
    matches!(
        e.cause,
        Some(
            Cause::InvalidNumber
                | Cause::DuplicateSetMembers
                | Cause::NestedTooDeep
                | Cause::RequestCheck
                | Cause::CurrentLayerEnum
        )
    )
}

/// The error inside DynamoDB's validation envelope.
fn enveloped(mut e: ApiError) -> ApiError {
    e.message = format!("1 validation error detected: {}", e.message);
    e
}

/// How deep objects and arrays nest in `value`, counted up to `limit`.
fn depth(value: &Value, limit: usize) -> usize {
    if limit == 0 {
        return 0;
    }
    let inner =
        |items: &mut dyn Iterator<Item = &Value>| items.map(|v| depth(v, limit - 1)).max().unwrap_or(0);
    match value {
        Value::Object(map) => 1 + inner(&mut map.values()),
        Value::Array(items) => 1 + inner(&mut items.iter()),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn depth_counts_objects_and_arrays_up_to_the_limit() {
        assert_eq!(depth(&json!({"a": [1, {"b": {}}]}), 10), 4);
        let mut v = json!(1);
        for _ in 0..300 {
            v = json!([v]);
        }
        assert_eq!(depth(&v, DEEP_REQUEST), DEEP_REQUEST);
    }
}
