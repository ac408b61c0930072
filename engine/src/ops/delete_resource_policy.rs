//! DeleteResourcePolicy: removes the resource-based policy of a table or stream (see
//! `resource_policy.rs`). Idempotent: deleting where there is none succeeds, with no
//! `RevisionId`, unless an `ExpectedRevisionId` was given [API_DeleteResourcePolicy].

use serde_json::{json, Value};

use super::request;
use super::resource_policy::{check_expected, resource, slot};
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("ResourceArn", Str, &[NotNull, MinLength(1), MaxLength(1283)]),
        field("ExpectedRevisionId", Str, &[MinLength(1), MaxLength(255)]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let arn = request::string(request, "ResourceArn").unwrap_or_default();
    let target = resource(engine, "DeleteResourcePolicy", arn)?;
    let policy = slot(engine, &target)?;
    check_expected(request::string(request, "ExpectedRevisionId"), policy.as_ref(), &target, arn)?;
    Ok(match policy.take() {
        Some(deleted) => json!({ "RevisionId": deleted.revision }),
        None => json!({}),
    })
}
