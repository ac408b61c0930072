//! ListGlobalTables (version 2017.11.29): always empty, as recorded (`legacy_global_tables.rs`).

use serde_json::Value;

use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("ExclusiveStartGlobalTableName", Str, NAME_RULES),
        field("Limit", Integer, &[Min(1)]),
        field("RegionName", Str, &[]),
    ]
};

pub(crate) fn run(_: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let mut answer = serde_json::Map::new();
    answer.insert("GlobalTables".into(), Value::Array(Vec::new()));
    Ok(Value::Object(answer))
}
