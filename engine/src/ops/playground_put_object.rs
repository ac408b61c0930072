//! PlaygroundPutObject: writes an object into the playground's object store (`Body` in
//! base64), say a file of items for ImportTable. Journaled: the store is workspace state.

use serde_json::{json, Value};

use super::export_table_to_point_in_time::check_bucket;
use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("Bucket", Str, &[Required, MinLength(1), MaxLength(255)]),
        field("Key", Str, &[Required, MinLength(1), MaxLength(1024)]),
        field("Body", Str, &[Required]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let bucket = request::string(request, "Bucket").unwrap_or_default();
    check_bucket(bucket, "bucket")?;
    let key = request::string(request, "Key").unwrap_or_default();
    let body = crate::types::base64::decode(request::string(request, "Body").unwrap_or_default())
        .ok_or_else(|| ApiError::validation("Body must be base64 text"))?;
    let size = body.len();
    crate::backups::state_mut(engine)?.objects.put_all(bucket, vec![(key.to_owned(), body)])?;
    Ok(json!({"Bucket": bucket, "Key": key, "Size": size}))
}
