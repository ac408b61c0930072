//! RestoreTableFromBackup: a new table from a backup (`backups/restore.rs` says what it has
//! and what it leaves out).

use serde_json::{json, Value};

use super::request;
use crate::backups::restore::OVERRIDES;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    let [billing, gsi, lsi, throughput, sse, vectors] = OVERRIDES;
    &[
        field("TargetTableName", Str, &[Required, NamePattern, MinLength(3), MaxLength(255)]),
        field("BackupArn", Str, &[Required, MinLength(37), MaxLength(1024)]),
        billing,
        gsi,
        lsi,
        throughput,
        field("OnDemandThroughputOverride", Struct("OnDemandThroughput", ON_DEMAND_THROUGHPUT), &[]),
        sse,
        vectors,
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let arn = request::string(request, "BackupArn").unwrap_or_default();
    let target = request::string(request, "TargetTableName").unwrap_or_default();
    let backup = crate::backups::find(engine, arn)?.clone();
    let summary = json!({
        "SourceBackupArn": backup.arn,
        "SourceTableArn": backup.table_arn,
        "RestoreDateTime": backup.created_ms as f64 / 1000.0,
    });
    let mut source = backup.table;
    if let Some(max) = request.get("OnDemandThroughputOverride") {
        source["OnDemandThroughput"] = max.clone();
    }
    crate::backups::restore::create(engine, &source, target, request, &[], summary)
}
