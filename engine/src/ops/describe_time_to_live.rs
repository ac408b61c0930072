//! DescribeTimeToLive: the table's TTL setting — ENABLED (with its attribute) or DISABLED as
//! soon as UpdateTimeToLive has returned, as DynamoDB reports it (clients that enable TTL and
//! describe it at once expect the new status, not ENABLING).

use serde_json::{json, Value};

use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
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
    let description = match &table.control.ttl {
        Some(ttl) if ttl.enabled => json!({"TimeToLiveStatus": "ENABLED", "AttributeName": ttl.attribute}),
        _ => json!({"TimeToLiveStatus": "DISABLED"}),
    };
    Ok(json!({ "TimeToLiveDescription": description }))
}
