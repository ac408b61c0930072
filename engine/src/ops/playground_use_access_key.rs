//! PlaygroundUseAccessKey: sends the requests that follow as the identity with this access
//! key (`iam`), or with none given as the account's root user — what the page's identity
//! picker and a lab do ([`Engine::act_as`]). Session state, never journaled: a reload starts
//! as the root user. On the server each request is sent as the key that signs it, so there
//! it lasts for no more than itself.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("AccessKeyId", Str, &[MinLength(16), MaxLength(128)])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let key = request.get("AccessKeyId").and_then(Value::as_str);
    if let Some(key) = key.filter(|key| engine.iam.by_key(key).is_none()) {
        return Err(ApiError::validation(format!("No identity has the access key {key}")));
    }
    engine.act_as(key);
    let mut answer = json!({});
    if let Some(identity) = key.and_then(|key| engine.iam.by_key(key)) {
        answer["ActingAs"] = json!(key);
        answer["Arn"] = json!(identity.arn(&engine.config.account_id));
    }
    Ok(answer)
}
