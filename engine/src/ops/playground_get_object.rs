//! PlaygroundGetObject: one object of the playground's object store, its bytes in base64
//! (`Body`) — an export's `.json.gz` data file is gzip'd, as in S3.

use serde_json::{json, Value};

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
    ]
};

pub(crate) fn not_found(bucket: &str, key: &str) -> ApiError {
    ApiError::new(crate::error::ErrorKind::ResourceNotFound, format!("No object {key} in bucket {bucket}"))
}

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let bucket = request::string(request, "Bucket").unwrap_or_default();
    let key = request::string(request, "Key").unwrap_or_default();
    let body = crate::backups::state(engine)
        .and_then(|b| b.objects.get(bucket, key))
        .ok_or_else(|| not_found(bucket, key))?;
    Ok(json!({"Bucket": bucket, "Key": key, "Size": body.len(), "Body": crate::types::base64::encode(body)}))
}
