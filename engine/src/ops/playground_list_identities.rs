//! PlaygroundListIdentities: every identity with its access keys and policies (see `iam`),
//! and the access key requests are sent as now.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, shapes::NO_MEMBERS, Field};

/// The request's members: none.
pub(crate) static SCHEMA: &[Field] = NO_MEMBERS;

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let account = &engine.config.account_id;
    let identities: Vec<Value> = engine.iam.identities.iter().map(|i| i.describe(account)).collect();
    let mut answer = json!({ "Identities": identities });
    if let Some(key) = engine.acting_as() {
        answer["ActingAs"] = json!(key);
    }
    Ok(answer)
}
