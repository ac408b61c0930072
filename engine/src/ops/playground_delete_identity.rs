//! PlaygroundDeleteIdentity: removes an identity, its access keys and its policies (see
//! `iam`). Requests sent with one of its keys afterwards are the account root user's.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("IdentityName", Str, &[NotNull, MinLength(1), MaxLength(64)])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let name = request.get("IdentityName").and_then(Value::as_str).unwrap_or_default();
    let Some(i) = engine.iam.by_name(name) else {
        return Err(ApiError::new(
            ErrorKind::ResourceNotFound,
            format!("Requested resource not found: Identity: {name} not found"),
        ));
    };
    let gone = engine.iam.identities.remove(i);
    Ok(json!({ "Identity": gone.describe(&engine.config.account_id) }))
}
