//! PlaygroundExplainAccess: how IAM decides a request sent as an identity, without running it
//! — each authorization it needs (action, resource, the request's condition key values), the
//! decision on each, and the statement that decided it (`iam`). In the words of IAM's policy
//! simulator (`EvalDecision`: `allowed`, `explicitDeny`, `implicitDeny`; `MatchedStatements`).
//! A page's simulator asks it of every request in its history.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("IdentityName", Str, &[NotNull, MinLength(1), MaxLength(64)]),
        field("Operation", Str, &[NotNull, MinLength(1)]),
        field("Request", Struct("Request", &[]), &[NotNull]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let text = |name: &str| request.get(name).and_then(Value::as_str).unwrap_or_default();
    let name = text("IdentityName");
    let Some(i) = engine.iam.by_name(name) else {
        return Err(ApiError::new(
            ErrorKind::ResourceNotFound,
            format!("Requested resource not found: Identity: {name} not found"),
        ));
    };
    let operation = text("Operation");
    let spec = crate::ops::known(operation)?;
    if spec.family != crate::ops::ApiFamily::DynamoDB && spec.family != crate::ops::ApiFamily::DynamoDBStreams
    {
        return Err(ApiError::validation(format!("{operation} is not authorized by IAM policies here")));
    }
    let inner = request.get("Request").cloned().unwrap_or_else(|| json!({}));
    let (answer, _) = crate::iam::explain(engine, &engine.iam.identities[i], operation, &inner);
    Ok(answer)
}
