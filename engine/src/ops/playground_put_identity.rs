//! PlaygroundPutIdentity: creates an identity — an IAM user, or a role with one session —
//! with its access keys and inline identity-based policies, or replaces the one of that name
//! (see `iam`). Each policy document is read in IAM's grammar and refused, with IAM's words,
//! when it does not follow it.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::iam::{policy, Identity, Parsed};
use crate::validate::{self, Field};

static ACCESS_KEY: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("AccessKeyId", Str, &[NotNull, MinLength(16), MaxLength(128)]),
        field("SecretAccessKey", Str, &[NotNull, MinLength(1), MaxLength(128)]),
    ]
};

static POLICY: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("PolicyName", Str, &[NotNull, MinLength(1), MaxLength(128)]),
        field("PolicyDocument", Str, &[NotNull, MinLength(1), MaxLength(131072)]),
    ]
};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("IdentityName", Str, &[NotNull, MinLength(1), MaxLength(64)]),
        field("IdentityType", Str, &[]),
        field("AccessKeys", List(&Struct("AccessKey", ACCESS_KEY)), &[NotNull, MinLength(1), MaxLength(2)]),
        field("Policies", List(&Struct("Policy", POLICY)), &[MaxLength(10)]),
        field("RoleSessionName", Str, &[MinLength(2), MaxLength(64)]),
        field("SessionContext", Map(&Str), &[]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let text = |v: &Value, name: &str| v.get(name).and_then(Value::as_str).unwrap_or_default().to_owned();
    let name = text(request, "IdentityName");
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)) {
        return Err(ApiError::validation(format!(
            "Invalid IdentityName {name:?}: IAM names are letters, digits and +=,.@_-"
        )));
    }
    let role = match request.get("IdentityType").and_then(Value::as_str) {
        None | Some("USER") => false,
        Some("ROLE") => true,
        Some(other) => {
            return Err(ApiError::validation(format!("Invalid IdentityType {other:?}: USER or ROLE")))
        }
    };
    if !role && request.get("RoleSessionName").is_some() {
        return Err(ApiError::validation("RoleSessionName is for an IdentityType of ROLE"));
    }
    let mut access_keys = Vec::new();
    for key in request.get("AccessKeys").and_then(Value::as_array).into_iter().flatten() {
        let id = text(key, "AccessKeyId");
        if !id.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(ApiError::validation(format!("Invalid AccessKeyId {id:?}: letters and digits only")));
        }
        let other = engine.iam.by_key(&id).filter(|i| i.name != name);
        if let Some(other) = other {
            return Err(ApiError::validation(format!(
                "Access key {id} already belongs to identity {}",
                other.name
            )));
        }
        if access_keys.iter().any(|(k, _): &(String, String)| *k == id) {
            return Err(ApiError::validation(format!("Access key {id} is named twice")));
        }
        access_keys.push((id, text(key, "SecretAccessKey")));
    }
    let (mut policies, mut parsed) = (Vec::new(), Vec::new());
    for p in request.get("Policies").and_then(Value::as_array).into_iter().flatten() {
        let (policy_name, document) = (text(p, "PolicyName"), text(p, "PolicyDocument"));
        if policies.iter().any(|(n, _): &(String, String)| *n == policy_name) {
            return Err(ApiError::validation(format!("Policy {policy_name} is named twice")));
        }
        let read = policy::check_identity_policy(&policy_name, &document)
            .map_err(|e| ApiError::validation(format!("MalformedPolicyDocument: {e}")))?;
        parsed.push((policy_name.clone(), read));
        policies.push((policy_name, document));
    }
    let mut session_context = Vec::new();
    if let Some(Value::Object(context)) = request.get("SessionContext") {
        for (key, value) in context {
            if !key.contains(':') {
                return Err(ApiError::validation(format!(
                    "Invalid SessionContext key {key:?}: a condition key is prefixed by its vendor (www.amazon.com:user_id)"
                )));
            }
            session_context.push((key.clone(), value.as_str().unwrap_or_default().to_owned()));
        }
    }
    let session_name = match request.get("RoleSessionName").and_then(Value::as_str) {
        Some(s) => s.to_owned(),
        None => name.clone(),
    };
    let parsed = Parsed::new(parsed);
    let identity = Identity { name, role, session_name, access_keys, policies, parsed, session_context };
    let description = identity.describe(&engine.config.account_id);
    match engine.iam.by_name(&identity.name) {
        Some(i) => engine.iam.identities[i] = identity,
        None => engine.iam.identities.push(identity),
    }
    Ok(json!({ "Identity": description }))
}
