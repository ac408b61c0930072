//! DeleteTable: removes a table and its items; the response describes it as DELETING.

use serde_json::{json, Value};

use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("TableName", Str, &[Required, NamePattern, MinLength(3), MaxLength(255)])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let name = request::string(request, "TableName").unwrap_or_default();
    let table = engine.tables.get(name).ok_or_else(|| ApiError::table_not_found(name))?;
    if table.deletion_protection() {
        // DynamoDB's text and type (as AWS answers it, 2026).
        return Err(ApiError::validation(
            "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
        ));
    }
    crate::global::replica_updates::check_delete_table(engine, name)?;
    let mut description =
        table.describe(&engine.config.region, &engine.config.account_id, engine.now_ms, Some("DELETING"));
    crate::global::describe::decorate(engine, &mut description);
    let mut table = engine.tables.remove(name).ok_or_else(|| ApiError::table_not_found(name))?;
    crate::global::replica_updates::after_delete_table(engine, name);
    crate::backups::on_delete_table(engine, &table);
    // DeleteTable's answer has no WarmThroughput (DynamoDB's, recorded October 2025).
    if let Some(d) = description.as_object_mut() {
        d.remove("WarmThroughput");
    }
    // The stream goes DISABLED and stays readable for 24 hours [API_DeleteTable].
    if let Some(mut log) = table.stream_log.take() {
        log.disable(engine.now_ms);
        engine.retire_stream(Some(log));
    }
    Ok(json!({ "TableDescription": description }))
}
