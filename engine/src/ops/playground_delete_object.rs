//! PlaygroundDeleteObject: removes an object from the playground's object store (journaled).

use serde_json::{json, Value};

use super::playground_get_object::not_found;
use super::request;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = super::playground_get_object::SCHEMA;

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let bucket = request::string(request, "Bucket").unwrap_or_default();
    let key = request::string(request, "Key").unwrap_or_default();
    if !crate::backups::state_mut(engine)?.objects.delete(bucket, key) {
        return Err(not_found(bucket, key));
    }
    Ok(json!({}))
}
