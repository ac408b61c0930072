//! DescribeTable: the table's full `TableDescription`.

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
    let mut description =
        table.describe(&engine.config.region, &engine.config.account_id, engine.now_ms, None);
    crate::global::describe::decorate(engine, &mut description);
    crate::backups::decorate(engine, table, &mut description);
    Ok(json!({ "Table": description }))
}
