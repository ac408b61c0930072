//! UpdateContinuousBackups: switches point-in-time recovery on (with a recovery window) or off.

use serde_json::{json, Value};

use super::describe_continuous_backups::{description, table_not_found};
use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    const POINT_IN_TIME_RECOVERY_SPECIFICATION: &[Field] = &[
        field("PointInTimeRecoveryEnabled", Bool, &[NotNull]),
        field("RecoveryPeriodInDays", Integer, &[Min(1), Max(35)]),
    ];
    &[
        CONTROL_TABLE_NAME,
        field(
            "PointInTimeRecoverySpecification",
            Struct("PointInTimeRecoverySpecification", POINT_IN_TIME_RECOVERY_SPECIFICATION),
            &[NotNull],
        ),
    ]
};

/// Recovery window when PointInTimeRecoverySpecification does not name one.
const DEFAULT_RECOVERY_DAYS: i64 = 35;

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let spec = request.get("PointInTimeRecoverySpecification").unwrap_or(&Value::Null);
    let enable = request::boolean(spec, "PointInTimeRecoveryEnabled");
    let days = request::integer(spec, "RecoveryPeriodInDays");
    if !enable && days.is_some() {
        return Err(ApiError::validation(
            "Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.",
        ));
    }
    let now = engine.now_ms;
    let name = request::string(request, "TableName").unwrap_or_default().to_owned();
    let table = engine.tables.get_mut(&name).ok_or_else(|| table_not_found(&name))?;
    table.control.point_in_time_recovery = match (enable, &table.control.point_in_time_recovery) {
        (false, _) => None,
        (true, Some((since, _))) => Some((*since, days.unwrap_or(DEFAULT_RECOVERY_DAYS))),
        (true, None) => Some((now, days.unwrap_or(DEFAULT_RECOVERY_DAYS))),
    };
    // The history restores read starts now (kept while recovery stays on).
    match table.control.point_in_time_recovery {
        None => table.history.clear(),
        Some(_) if crate::features::BACKUPS && crate::backups::history(table).is_none() => {
            table.history.set(Some(crate::backups::History::new(now)))
        }
        Some(_) => {}
    }
    Ok(json!({ "ContinuousBackupsDescription": description(table, now) }))
}
