//! ExportTableToPointInTime: the table as it was at a second of its point-in-time window (a
//! full export), or what changed over a period of it (an incremental export), written to the
//! playground's object store as DynamoDB writes an export to S3 (`backups/export.rs`).

use serde_json::{json, Map, Value};

use super::request;
use crate::backups::export::{self, Incremental, EXPORT_MS};
use crate::backups::Job;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    const INCREMENTAL: &[Field] = &[
        field("ExportFromTime", Double, &[]),
        field("ExportToTime", Double, &[]),
        field("ExportViewType", Str, &[Enum(&["NEW_IMAGE", "NEW_AND_OLD_IMAGES"])]),
    ];
    &[
        field("TableArn", Str, &[Required, MinLength(1), MaxLength(1024)]),
        field("ExportTime", Double, &[]),
        field("ClientToken", Str, &[]),
        field("S3Bucket", Str, &[Required, MaxLength(255)]),
        field("S3BucketOwner", Str, &[]),
        field("S3Prefix", Str, &[MaxLength(1024)]),
        field("S3SseAlgorithm", Str, &[Enum(&["AES256", "KMS"])]),
        field("S3SseKmsKeyId", Str, &[MinLength(1), MaxLength(2048)]),
        field("ExportFormat", Str, &[Enum(&["DYNAMODB_JSON", "ION"])]),
        field("ExportType", Str, &[Enum(&["FULL_EXPORT", "INCREMENTAL_EXPORT"])]),
        field("IncrementalExportSpecification", Struct("IncrementalExportSpecification", INCREMENTAL), &[]),
    ]
};

/// A client token names the same export for 8 hours (the API reference).
const TOKEN_MS: u64 = 8 * 3_600_000;

/// An incremental export covers 15 minutes to 24 hours (the developer guide).
const INCREMENTAL_MIN_MS: u64 = 15 * 60_000;
const INCREMENTAL_MAX_MS: u64 = 24 * 3_600_000;

/// S3's bucket name rule as the API reference gives it: `^[a-z0-9A-Z]+[\.\-\w]*[a-z0-9A-Z]+$`.
pub(crate) fn bucket_name_ok(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_'))
}

pub(crate) fn check_bucket(name: &str, member: &str) -> ApiResult<()> {
    if bucket_name_ok(name) {
        return Ok(());
    }
    Err(ApiError::validation(format!(
        "1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must \
         satisfy regular expression pattern: ^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$"
    )))
}

fn ms(seconds: Option<f64>) -> Option<u64> {
    seconds.map(|s| if s >= 0.0 { (s * 1000.0).round() as u64 } else { 0 })
}

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let now = engine.now_ms;
    let bucket = request::string(request, "S3Bucket").unwrap_or_default().to_owned();
    check_bucket(&bucket, "s3Bucket")?;
    let token = request::string(request, "ClientToken").map(str::to_owned);
    if let Some(token) = &token {
        let earlier = crate::backups::state(engine).into_iter().flat_map(|b| &b.exports).find(|j| {
            j.request.get("ClientToken").and_then(Value::as_str) == Some(token)
                && now < j.until_ms - EXPORT_MS + TOKEN_MS
        });
        if let Some(job) = earlier {
            if job.request != *request {
                // Text not recorded: the API reference's description of ExportConflictException.
                return Err(ApiError::new(
                    ErrorKind::ExportConflict,
                    format!(
                        "There was a conflict when writing to the specified S3 bucket: ClientToken {token} was \
                         used by an earlier export with other parameters"
                    ),
                ));
            }
            return Ok(json!({"ExportDescription": export::description(job, now)}));
        }
    }
    if request::string(request, "ExportFormat") == Some("ION") {
        return Err(ApiError::validation(
            "dynaplay writes exports in DYNAMODB_JSON only: ExportFormat ION is not simulated",
        ));
    }
    let arn = request::string(request, "TableArn").unwrap_or_default();
    let name = arn.rsplit_once(":table/").map_or(arn, |(_, n)| n);
    let table = engine
        .tables
        .get(name)
        .ok_or_else(|| ApiError::new(ErrorKind::TableNotFound, format!("Table not found: {name}")))?;
    let Some((earliest, latest)) = crate::backups::window(table, now) else {
        return Err(ApiError::new(
            ErrorKind::PointInTimeRecoveryUnavailable,
            format!("Point in time recovery is not enabled for table '{name}'"),
        ));
    };
    let incremental_type = request::string(request, "ExportType") == Some("INCREMENTAL_EXPORT");
    let spec = request.get("IncrementalExportSpecification");
    let incremental = if incremental_type {
        let from = ms(spec.and_then(|s| s.get("ExportFromTime")).and_then(Value::as_f64));
        let to = ms(spec.and_then(|s| s.get("ExportToTime")).and_then(Value::as_f64)).unwrap_or(latest);
        let Some(from) = from else {
            return Err(ApiError::validation("ExportFromTime is required for an incremental export"));
        };
        if to <= from || to - from < INCREMENTAL_MIN_MS || to - from > INCREMENTAL_MAX_MS {
            return Err(ApiError::validation(
                "The period from ExportFromTime to ExportToTime must be at least 15 minutes and at most 24 hours",
            ));
        }
        if from < earliest || to > latest {
            return Err(export::invalid_time("The incremental export period"));
        }
        let new_and_old =
            spec.and_then(|s| s.get("ExportViewType")).and_then(Value::as_str) != Some("NEW_IMAGE");
        Some(Incremental { from_ms: from, to_ms: to, new_and_old })
    } else {
        if spec.is_some() {
            return Err(ApiError::validation(
                "IncrementalExportSpecification is only valid with ExportType INCREMENTAL_EXPORT",
            ));
        }
        None
    };
    let at_ms = ms(request.get("ExportTime").and_then(Value::as_f64)).unwrap_or(now);
    if incremental.is_none() && (at_ms < earliest || at_ms > latest) {
        return Err(export::invalid_time("ExportTime"));
    }
    let table_arn = table.arn(&engine.config.region, &engine.config.account_id);
    let made = crate::backups::state(engine).map_or(0, |b| b.exports.len() as u64);
    let export_id = format!("{now:014}-{}", crate::backups::suffix(&table.table_id, made));
    let export_arn = format!("{table_arn}/export/{export_id}");
    let prefix = request::string(request, "S3Prefix").unwrap_or_default();
    let root = export::export_root(prefix, &export_id);
    let sse = request::string(request, "S3SseAlgorithm").unwrap_or("AES256");
    let end = now + EXPORT_MS;
    let mut summary = Map::new();
    summary.insert("version".into(), json!(if incremental.is_some() { "2023-08-01" } else { "2020-06-30" }));
    summary.insert("exportArn".into(), json!(export_arn));
    summary.insert("startTime".into(), export::manifest_time(now));
    summary.insert("endTime".into(), export::manifest_time(end));
    summary.insert("tableArn".into(), json!(table_arn));
    summary.insert("tableId".into(), json!(table.table_id));
    match &incremental {
        None => {
            summary.insert("exportTime".into(), export::manifest_time(at_ms));
        }
        Some(i) => {
            summary.insert("exportFromTime".into(), export::manifest_time(i.from_ms));
            summary.insert("exportToTime".into(), export::manifest_time(i.to_ms));
        }
    }
    summary.insert("s3Bucket".into(), json!(bucket));
    summary.insert("s3Prefix".into(), request.get("S3Prefix").cloned().unwrap_or(Value::Null));
    summary.insert("s3SseAlgorithm".into(), json!(sse));
    summary.insert("s3SseKmsKeyId".into(), request.get("S3SseKmsKeyId").cloned().unwrap_or(Value::Null));
    summary.insert("outputFormat".into(), json!("DYNAMODB_JSON"));
    if let Some(i) = &incremental {
        summary.insert(
            "outputView".into(),
            json!(if i.new_and_old { "NEW_AND_OLD_IMAGES" } else { "NEW_IMAGE" }),
        );
    }
    summary.insert(
        "exportType".into(),
        json!(if incremental.is_some() { "INCREMENTAL_EXPORT" } else { "FULL_EXPORT" }),
    );
    let written = export::write(table, &export_id, &root, at_ms, incremental.as_ref(), summary);
    let mut d = Map::new();
    d.insert("ExportArn".into(), json!(export_arn));
    d.insert("ExportStatus".into(), json!("COMPLETED"));
    d.insert("StartTime".into(), export::epoch(now));
    d.insert("EndTime".into(), export::epoch(end));
    d.insert("ExportManifest".into(), json!(written.manifest));
    d.insert("TableArn".into(), json!(table_arn));
    d.insert("TableId".into(), json!(table.table_id));
    if incremental.is_none() {
        d.insert("ExportTime".into(), export::epoch(at_ms));
    }
    if let Some(token) = &token {
        d.insert("ClientToken".into(), json!(token));
    }
    d.insert("S3Bucket".into(), json!(bucket));
    for member in ["S3BucketOwner", "S3Prefix", "S3SseKmsKeyId"] {
        if let Some(v) = request.get(member) {
            d.insert(member.into(), v.clone());
        }
    }
    d.insert("S3SseAlgorithm".into(), json!(sse));
    d.insert("ExportFormat".into(), json!("DYNAMODB_JSON"));
    d.insert("BilledSizeBytes".into(), json!(written.billed_bytes));
    d.insert("ItemCount".into(), json!(written.item_count));
    match &incremental {
        None => {
            d.insert("ExportType".into(), json!("FULL_EXPORT"));
        }
        Some(i) => {
            d.insert("ExportType".into(), json!("INCREMENTAL_EXPORT"));
            d.insert(
                "IncrementalExportSpecification".into(),
                json!({"ExportFromTime": export::epoch(i.from_ms), "ExportToTime": export::epoch(i.to_ms),
                       "ExportViewType": if i.new_and_old { "NEW_AND_OLD_IMAGES" } else { "NEW_IMAGE" }}),
            );
        }
    }
    let job = Job { description: Value::Object(d), until_ms: end, request: request.clone() };
    let state = crate::backups::state_mut(engine)?;
    state.objects.put_all(&bucket, written.files)?;
    let answer = export::description(&job, now);
    state.exports.push(job);
    Ok(json!({ "ExportDescription": answer }))
}
