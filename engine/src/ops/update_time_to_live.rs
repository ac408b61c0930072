//! UpdateTimeToLive: switches TTL on (naming the attribute that holds expiry times) or off.
//! Expired items are deleted by the sweeper in `ttl.rs`.

use serde_json::{json, Value};

use super::request;
use crate::control::TimeToLive;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::ttl::TtlIndex;
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    const TIME_TO_LIVE_SPECIFICATION: &[Field] = &[
        field("Enabled", Bool, &[NotNull]),
        field("AttributeName", Str, &[NotNull, MinLength(1), MaxLength(255)]),
    ];
    &[
        CONTROL_TABLE_NAME,
        field(
            "TimeToLiveSpecification",
            Struct("TimeToLiveSpecification", TIME_TO_LIVE_SPECIFICATION),
            &[NotNull],
        ),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
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
