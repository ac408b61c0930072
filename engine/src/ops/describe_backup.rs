//! DescribeBackup: a backup's details, its source table's and the table's features then.

use serde_json::{json, Value};

use super::request;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("BackupArn", Str, &[Required, MinLength(37), MaxLength(1024)])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let arn = request::string(request, "BackupArn").unwrap_or_default();
    let backup = crate::backups::find(engine, arn)?;
    Ok(json!({ "BackupDescription": crate::backups::description(backup, false) }))
}
