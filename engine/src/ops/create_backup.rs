//! CreateBackup: an on-demand backup of a table (`backups`). The answer says CREATING, as
//! CreateTable's does; the backup is AVAILABLE at once.

use serde_json::{json, Value};

use super::describe_continuous_backups::table_not_found;
use super::request;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[CONTROL_TABLE_NAME, field("BackupName", Str, &[Required, NamePattern, MinLength(3), MaxLength(255)])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let name = request::string(request, "TableName").unwrap_or_default();
    let table = engine.tables.get(name).ok_or_else(|| table_not_found(name))?.clone();
    let backup_name = request::string(request, "BackupName").unwrap_or_default();
    let backup =
        crate::backups::take(engine, &table, backup_name, "USER").ok_or_else(crate::features::no_backups)?;
    let mut details = crate::backups::details(&backup, false);
    details["BackupStatus"] = json!("CREATING");
    Ok(json!({ "BackupDetails": details }))
}
