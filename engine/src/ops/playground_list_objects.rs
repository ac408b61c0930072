//! PlaygroundListObjects: what the playground's object store holds (`backups/objects.rs`) —
//! every object of every bucket, or of one bucket under a key prefix, in key order, with
//! sizes (read one with PlaygroundGetObject).

use serde_json::{json, Value};

use super::request;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("Bucket", Str, &[MinLength(1), MaxLength(255)]), field("Prefix", Str, &[MaxLength(1024)])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let prefix = request::string(request, "Prefix").unwrap_or_default();
    let Some(state) = crate::backups::state(engine) else {
        return Ok(
            json!({"Objects": [], "TotalBytes": 0, "MaxBytes": crate::backups::objects::OBJECT_BYTES}),
        );
    };
    let store = &state.objects;
    let wanted = request::string(request, "Bucket");
    let objects: Vec<Value> = store
        .buckets
        .keys()
        .filter(|b| wanted.is_none_or(|w| w == b.as_str()))
        .flat_map(|b| {
            store.list(b, prefix).map(move |(k, v)| json!({"Bucket": b, "Key": k, "Size": v.len()}))
        })
        .collect();
    Ok(
        json!({"Objects": objects, "TotalBytes": store.bytes, "MaxBytes": crate::backups::objects::OBJECT_BYTES}),
    )
}
