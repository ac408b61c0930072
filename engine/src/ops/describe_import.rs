//! DescribeImport: an import's description, IN_PROGRESS until its engine time is done.

use serde_json::{json, Value};

use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("ImportArn", Str, &[Required, MinLength(37), MaxLength(1024)])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let arn = request::string(request, "ImportArn").unwrap_or_default();
    let job = crate::backups::state(engine)
        .into_iter()
        .flat_map(|b| &b.imports)
        .find(|j| j.description.get("ImportArn").and_then(Value::as_str) == Some(arn))
        // Text not recorded: the API reference's description of ImportNotFoundException.
        .ok_or_else(|| ApiError::new(ErrorKind::ImportNotFound, format!("Import not found: {arn}")))?;
    Ok(json!({"ImportTableDescription": crate::backups::import::description(job, engine.now_ms)}))
}
