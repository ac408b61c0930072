//! GetResourcePolicy: the resource-based policy attached to a table or stream, and its
//! revision (see `resource_policy.rs`).

use serde_json::{json, Value};

use super::request;
use super::resource_policy::{no_policy, resource, slot};
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("ResourceArn", Str, &[NotNull, MinLength(1), MaxLength(1283)])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let arn = request::string(request, "ResourceArn").unwrap_or_default();
    let target = resource(engine, "GetResourcePolicy", arn)?;
    let policy = slot(engine, &target)?.as_ref().ok_or_else(|| no_policy(arn))?;
    Ok(json!({ "Policy": policy.document, "RevisionId": policy.revision }))
}
