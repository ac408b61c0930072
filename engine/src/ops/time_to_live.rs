//! DescribeTimeToLive and UpdateTimeToLive: the table's TTL settings. Enabling shows ENABLING
//! and disabling DISABLING for `TTL_TRANSITION_MS` of engine time, then ENABLED / DISABLED.
//! Expired items are deleted by the sweeper in `ttl.rs`.

use serde_json::{json, Value};

use super::request;
use crate::control::TimeToLive;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::ttl::{TtlIndex, TTL_TRANSITION_MS};
use crate::validate::{self, schemas};

pub(crate) fn describe(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, schemas::DESCRIBE_TIME_TO_LIVE)?;
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

pub(crate) fn update(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, schemas::UPDATE_TIME_TO_LIVE)?;
    let spec = request.get("TimeToLiveSpecification").unwrap_or(&Value::Null);
    let enabled = request::boolean(spec, "Enabled");
    let attribute = request::string(spec, "AttributeName").unwrap_or_default().to_owned();
    let name = request::string(request, "TableName").unwrap_or_default();
    let now = engine.now_ms;
    let table = engine.tables.get_mut(name).ok_or_else(|| ApiError::table_not_found(name))?;
    match &table.control.ttl {
        Some(ttl) if ttl.enabled && enabled && ttl.attribute == attribute => {
            return Err(ApiError::validation("TimeToLive is already enabled"))
        }
        Some(ttl) if ttl.enabled && ttl.attribute != attribute => {
            return Err(ApiError::validation(format!(
                "TimeToLive is active on a different AttributeName: current AttributeName is {}",
                ttl.attribute
            )))
        }
        Some(ttl) if !ttl.enabled && !enabled => {
            return Err(ApiError::validation("TimeToLive is already disabled"))
        }
        None if !enabled => return Err(ApiError::validation("TimeToLive is already disabled")),
        _ => {}
    }
    table.control.ttl = Some(TimeToLive { attribute: attribute.clone(), enabled, changed_ms: now });
    table.ttl_index = enabled.then(|| TtlIndex::build(table, &attribute));
    Ok(json!({ "TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": attribute} }))
}
