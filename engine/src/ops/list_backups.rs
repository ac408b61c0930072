//! ListBackups: backups in creation order, filtered by table, creation time (lower bound
//! inclusive, upper exclusive) and type (USER unless asked), a page at a time.

use serde_json::{json, Map, Value};

use super::request;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("TableName", Str, &[NamePattern, MinLength(3), MaxLength(255)]),
        field("Limit", Integer, &[Min(1), Max(100)]),
        field("TimeRangeLowerBound", Double, &[]),
        field("TimeRangeUpperBound", Double, &[]),
        field("ExclusiveStartBackupArn", Str, &[MinLength(37), MaxLength(1024)]),
        field("BackupType", Str, &[Enum(&["USER", "SYSTEM", "AWS_BACKUP", "ALL"])]),
    ]
};

/// What ListBackups pages at when no Limit is given (DynamoDB pages at 1 MB of answer).
const PAGE: usize = 100;

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let table = request::string(request, "TableName");
    let kind = request::string(request, "BackupType").unwrap_or("USER");
    let time = |name: &str| request.get(name).and_then(Value::as_f64).map(|s| (s * 1000.0).round() as u64);
    let (lower, upper) = (time("TimeRangeLowerBound"), time("TimeRangeUpperBound"));
    let limit = request::integer(request, "Limit").map_or(PAGE, |l| l as usize);
    let start = request::string(request, "ExclusiveStartBackupArn");
    let list = crate::backups::list(engine);
    // After the start backup, when it is still listed (else from the beginning).
    let from = start.and_then(|arn| list.iter().position(|b| b.arn == arn)).map_or(0, |i| i + 1);
    let mut matching = list[from..].iter().filter(|b| {
        table.is_none_or(|t| b.table.get("TableName").and_then(Value::as_str) == Some(t))
            && (kind == "ALL" || kind == b.kind)
            && lower.is_none_or(|l| b.created_ms >= l)
            && upper.is_none_or(|u| b.created_ms < u)
    });
    let page: Vec<_> = matching.by_ref().take(limit).collect();
    let mut answer = Map::new();
    let summaries: Vec<Value> = page
        .iter()
        .map(|b| {
            let mut s = crate::backups::details(b, false);
            s["TableName"] = b.table.get("TableName").cloned().unwrap_or(Value::Null);
            s["TableId"] = b.table.get("TableId").cloned().unwrap_or(Value::Null);
            s["TableArn"] = json!(b.table_arn);
            s
        })
        .collect();
    answer.insert("BackupSummaries".into(), Value::Array(summaries));
    if matching.next().is_some() {
        if let Some(last) = page.last() {
            answer.insert("LastEvaluatedBackupArn".into(), json!(last.arn));
        }
    }
    Ok(Value::Object(answer))
}
