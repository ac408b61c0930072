//! RestoreTableToPointInTime: a new table holding the source's items as they were at a second
//! of its point-in-time window (`backups/history.rs`), with the source's current definition
//! (`backups/restore.rs`).

use serde_json::{json, Value};

use super::describe_continuous_backups::table_not_found;
use super::request;
use crate::backups::restore::OVERRIDES;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    let [billing, gsi, lsi, throughput, sse, vectors] = OVERRIDES;
    &[
        field("SourceTableArn", Str, &[MinLength(1), MaxLength(1024)]),
        field("SourceTableName", Str, &[NamePattern, MinLength(3), MaxLength(255)]),
        field("TargetTableName", Str, &[Required, NamePattern, MinLength(3), MaxLength(255)]),
        field("UseLatestRestorableTime", Bool, &[]),
        field("RestoreDateTime", Double, &[]),
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
    // The source by name, or by ARN (its name is the ARN's last part).
    let name = match (request::string(request, "SourceTableName"), request::string(request, "SourceTableArn"))
    {
        (Some(_), Some(_)) | (None, None) => {
            // Text not recorded: the API reference's rule, in its words.
            return Err(ApiError::validation(
                "Exactly one of SourceTableArn and SourceTableName must be specified",
            ));
        }
        (Some(name), None) => name.to_owned(),
        (None, Some(arn)) => arn.rsplit_once(":table/").map_or(arn, |(_, n)| n).to_owned(),
    };
    let latest = request::boolean(request, "UseLatestRestorableTime");
    let at = request.get("RestoreDateTime").and_then(Value::as_f64);
    if latest && at.is_some() {
        return Err(ApiError::validation(
            "Only one of RestoreDateTime and UseLatestRestorableTime may be specified",
        ));
    }
    let now = engine.now_ms;
    let table = engine.tables.get(&name).ok_or_else(|| table_not_found(&name))?;
    let Some((earliest, latest_ms)) = crate::backups::window(table, now) else {
        return Err(ApiError::new(
            ErrorKind::PointInTimeRecoveryUnavailable,
            format!("Point in time recovery is not enabled for table '{name}'"),
        ));
    };
    // Not naming a time restores the latest (UseLatestRestorableTime).
    let at_ms = match at {
        Some(seconds) if seconds >= 0.0 => (seconds * 1000.0).round() as u64,
        Some(_) => 0,
        None => latest_ms,
    };
    if at_ms < earliest || at_ms > latest_ms {
        return Err(ApiError::new(
            ErrorKind::InvalidRestoreTime,
            "RestoreDateTime must be between EarliestRestorableDateTime and LatestRestorableDateTime",
        ));
    }
    let undo: Vec<_> = crate::backups::history(table)
        .into_iter()
        .flat_map(|h| h.after(at_ms).map(|u| (h.image(u), u.existed)))
        .collect();
    let mut source = crate::workspace::export_table(table);
    if let Some(max) = request.get("OnDemandThroughputOverride") {
        source["OnDemandThroughput"] = max.clone();
    }
    let arn = table.arn(&engine.config.region, &engine.config.account_id);
    let summary = json!({"SourceTableArn": arn, "RestoreDateTime": at_ms as f64 / 1000.0});
    let target = request::string(request, "TargetTableName").unwrap_or_default();
    crate::backups::restore::create(engine, &source, target, request, &undo, summary)
}
