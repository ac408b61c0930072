//! PutResourcePolicy: attaches a resource-based policy to a table or stream, or replaces the
//! one attached (see `resource_policy.rs`; evaluated by `iam`). Putting the document that
//! is already there changes nothing and answers its revision [API_PutResourcePolicy].

use serde_json::{json, Value};

use super::request;
use super::resource_policy::{check_document, check_expected, resource, slot};
use crate::control::ResourcePolicy;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("ResourceArn", Str, &[NotNull, MinLength(1), MaxLength(1283)]),
        field("Policy", Str, &[NotNull]),
        field("ExpectedRevisionId", Str, &[MinLength(1), MaxLength(255)]),
        field("ConfirmRemoveSelfResourceAccess", Bool, &[]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let arn = request::string(request, "ResourceArn").unwrap_or_default();
    let document = request::string(request, "Policy").unwrap_or_default();
    let target = resource(engine, "PutResourcePolicy", arn)?;
    check_document(document)?;
    let now = engine.now_ms;
    let policy = slot(engine, &target)?;
    check_expected(request::string(request, "ExpectedRevisionId"), policy.as_ref(), &target, arn)?;
    if let Some(same) = policy.as_ref().filter(|p| p.document == document) {
        return Ok(json!({ "RevisionId": same.revision }));
    }
    let revised = ResourcePolicy::revise(document.to_owned(), now, policy.as_ref());
    let revision = revised.revision.clone();
    *policy = Some(revised);
    Ok(json!({ "RevisionId": revision }))
}
