//! DescribeContinuousBackups: backups are always on; point-in-time recovery's window moves with
//! engine time (its start held back by the history's memory bound, `backups/history.rs`).
//! Continuous-backup operations name a missing table with
//! `TableNotFoundException`.

use serde_json::{json, Map, Value};

use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::table::{epoch_seconds, Table};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[CONTROL_TABLE_NAME]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let table = table(engine, request)?;
    Ok(json!({ "ContinuousBackupsDescription": description(table, engine.now_ms) }))
}

pub(super) fn table_not_found(name: &str) -> ApiError {
    ApiError::new(ErrorKind::TableNotFound, format!("Table not found: {name}"))
}

fn table<'e>(engine: &'e Engine, request: &Value) -> ApiResult<&'e Table> {
    let name = request::string(request, "TableName").unwrap_or_default();
    engine.tables.get(name).ok_or_else(|| table_not_found(name))
}

pub(super) fn description(table: &Table, now: u64) -> Value {
    let mut pitr = Map::new();
    match (table.control.point_in_time_recovery, crate::backups::window(table, now)) {
        (Some((_, days)), Some((window_start, now))) => {
            pitr.insert("PointInTimeRecoveryStatus".into(), json!("ENABLED"));
            pitr.insert("RecoveryPeriodInDays".into(), json!(days));
            pitr.insert("EarliestRestorableDateTime".into(), epoch_seconds(window_start));
            pitr.insert("LatestRestorableDateTime".into(), epoch_seconds(now));
        }
        _ => {
            pitr.insert("PointInTimeRecoveryStatus".into(), json!("DISABLED"));
        }
    }
    json!({"ContinuousBackupsStatus": "ENABLED", "PointInTimeRecoveryDescription": pitr})
}
