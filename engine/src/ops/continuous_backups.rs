//! DescribeContinuousBackups and UpdateContinuousBackups: backups are always on; point-in-time
//! recovery is a setting (no restore yet).

use serde_json::{json, Map, Value};

use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::table::{epoch_seconds, Table};
use crate::validate::{self, schemas};

/// Recovery window when PointInTimeRecoverySpecification does not name one.
const DEFAULT_RECOVERY_DAYS: i64 = 35;
const DAY_MS: u64 = 86_400_000;

pub(crate) fn describe(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, schemas::DESCRIBE_CONTINUOUS_BACKUPS)?;
    let table = table(engine, request)?;
    Ok(json!({ "ContinuousBackupsDescription": description(table, engine.now_ms) }))
}

pub(crate) fn update(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, schemas::UPDATE_CONTINUOUS_BACKUPS)?;
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
    Ok(json!({ "ContinuousBackupsDescription": description(table, now) }))
}

fn table_not_found(name: &str) -> ApiError {
    ApiError::new(ErrorKind::TableNotFound, format!("Table not found: {name}"))
}

fn table<'e>(engine: &'e Engine, request: &Value) -> ApiResult<&'e Table> {
    let name = request::string(request, "TableName").unwrap_or_default();
    engine.tables.get(name).ok_or_else(|| table_not_found(name))
}

fn description(table: &Table, now: u64) -> Value {
    let mut pitr = Map::new();
    match table.control.point_in_time_recovery {
        None => {
            pitr.insert("PointInTimeRecoveryStatus".into(), json!("DISABLED"));
        }
        Some((since, days)) => {
            let window_start = now.saturating_sub(days as u64 * DAY_MS).max(since);
            pitr.insert("PointInTimeRecoveryStatus".into(), json!("ENABLED"));
            pitr.insert("RecoveryPeriodInDays".into(), json!(days));
            pitr.insert("EarliestRestorableDateTime".into(), epoch_seconds(window_start));
            pitr.insert("LatestRestorableDateTime".into(), epoch_seconds(now));
        }
    }
    json!({"ContinuousBackupsStatus": "ENABLED", "PointInTimeRecoveryDescription": pitr})
}
