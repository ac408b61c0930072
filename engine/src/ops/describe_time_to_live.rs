//! DescribeTimeToLive: the table's TTL setting. Enabling shows ENABLING and disabling
//! DISABLING for `TTL_TRANSITION_MS` of engine time, then ENABLED / DISABLED.

use serde_json::{json, Value};

use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::ttl::TTL_TRANSITION_MS;
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[CONTROL_TABLE_NAME]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let name = request::string(request, "TableName").unwrap_or_default();
    let table = engine.tables.get(name).ok_or_else(|| ApiError::table_not_found(name))?;
    let now = engine.now_ms;
    let description = match &table.control.ttl {
        None => json!({"TimeToLiveStatus": "DISABLED"}),
        Some(ttl) => {
            let settled = now >= ttl.changed_ms + TTL_TRANSITION_MS;
            match (ttl.enabled, settled) {
                (true, true) => json!({"TimeToLiveStatus": "ENABLED", "AttributeName": ttl.attribute}),
                (true, false) => json!({"TimeToLiveStatus": "ENABLING", "AttributeName": ttl.attribute}),
                (false, false) => json!({"TimeToLiveStatus": "DISABLING", "AttributeName": ttl.attribute}),
                (false, true) => json!({"TimeToLiveStatus": "DISABLED"}),
            }
        }
    };
    Ok(json!({ "TimeToLiveDescription": description }))
}
