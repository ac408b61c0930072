//! ExportTableToPointInTime's work: the table as it was at a second of its point-in-time
//! window (or its changes over a period, an incremental export), written into the object store
//! (`objects.rs`) as DynamoDB writes an export to S3 (developer guide, "DynamoDB table export
//! output format"):
//!
//! ```text
//! <prefix>/AWSDynamoDB/<ExportId>/_started                      (empty)
//! <prefix>/AWSDynamoDB/<ExportId>/manifest-summary.json         (+ .checksum: its MD5, hex)
//! <prefix>/AWSDynamoDB/<ExportId>/manifest-files.json           (+ .checksum)
//! <prefix>/AWSDynamoDB/<ExportId>/data/<26 characters>.json.gz  (one item a line)
//! ```
//!
//! Simplifications: one data file (DynamoDB writes at least one a partition); the files are
//! written when the export is requested, and the export says IN_PROGRESS for [`EXPORT_MS`] of
//! engine time, then COMPLETED; only DYNAMODB_JSON is written (ION is refused).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::{gz, md5, Job};
use crate::control::iso8601_millis;
use crate::error::ApiError;
use crate::table::{epoch_seconds, Table};
use crate::types::{item_from_json, item_to_json, Item};

/// How long an export stays IN_PROGRESS, in engine milliseconds.
pub(crate) const EXPORT_MS: u64 = 10_000;

/// What one export writes, and what its description says of it.
pub(crate) struct Written {
    pub files: Vec<(String, Vec<u8>)>,
    pub item_count: u64,
    pub billed_bytes: u64,
    pub manifest: String,
}

/// The period an incremental export covers and what its lines carry.
pub(crate) struct Incremental {
    pub from_ms: u64,
    pub to_ms: u64,
    pub new_and_old: bool,
}

/// A key's identity as text, to gather an item's versions by key.
fn key_text(table: &Table, item: &Item) -> Option<String> {
    let key = table.key_schema.key_of_item(item).ok()?;
    Some(item_to_json(&table.key_schema.key_item_from(&key)).to_string())
}

/// The table's items as they were at `at_ms`, by key: the items now, with the changes after
/// `at_ms` undone (newest first), as a point-in-time restore does.
pub(crate) fn items_at(table: &Table, at_ms: u64) -> BTreeMap<String, Item> {
    let mut items: BTreeMap<String, Item> = table
        .items
        .iter()
        .filter_map(|entry| {
            let item = entry.item();
            Some((key_text(table, &item)?, item))
        })
        .collect();
    if let Some(history) = super::history(table) {
        for undo in history.after(at_ms) {
            let image = history.image(undo);
            let Some(key) = key_text(table, &image) else { continue };
            if undo.existed {
                items.insert(key, image);
            } else {
                items.remove(&key);
            }
        }
    }
    items
}

/// An incremental export's lines: for each item changed in the period, its key, its image at
/// the period's end (absent: deleted) and, for NEW_AND_OLD_IMAGES, at its start (absent: new).
fn incremental_lines(table: &Table, spec: &Incremental) -> Vec<Value> {
    let at_end = items_at(table, spec.to_ms);
    // Per key: the image before the period's first change of it, and the last change's time.
    let mut changed: BTreeMap<String, (Option<Item>, u64, Value)> = BTreeMap::new();
    if let Some(history) = super::history(table) {
        for undo in history.changes.iter().filter(|u| u.at_ms > spec.from_ms && u.at_ms <= spec.to_ms) {
            let image = history.image(undo);
            let Some(key) = key_text(table, &image) else { continue };
            let keys = table
                .key_schema
                .key_of_item(&image)
                .map(|k| item_to_json(&table.key_schema.key_item_from(&k)));
            let entry = changed.entry(key).or_insert_with(|| {
                (undo.existed.then(|| image.clone()), undo.at_ms, keys.unwrap_or(Value::Null))
            });
            entry.1 = undo.at_ms;
        }
    }
    let mut lines = Vec::new();
    for (key, (old, at_ms, keys)) in changed {
        let new = at_end.get(&key);
        if old.is_none() && new.is_none() {
            continue; // made and deleted within the period
        }
        let mut line = Map::new();
        line.insert("Metadata".into(), json!({"WriteTimestampMicros": {"N": (at_ms * 1000).to_string()}}));
        line.insert("Keys".into(), keys);
        if let Some(new) = new {
            line.insert("NewImage".into(), item_to_json(new));
        }
        if let (true, Some(old)) = (spec.new_and_old, old) {
            line.insert("OldImage".into(), item_to_json(&old));
        }
        lines.push(Value::Object(line));
    }
    lines
}

/// A data file's name: 26 lowercase letters and digits, from the export id and its number.
fn data_file_name(export_id: &str, n: usize) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut name = String::with_capacity(26);
    for round in 0..26u64 {
        for b in export_id.bytes().chain((n as u64).to_le_bytes()).chain(round.to_le_bytes()) {
            h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
        name.push(char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[(h % 36) as usize]));
    }
    name
}

/// Where an export's files go: `<prefix>/AWSDynamoDB/<id>/` (no prefix: `AWSDynamoDB/<id>/`).
pub(crate) fn export_root(prefix: &str, export_id: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    if prefix.is_empty() {
        format!("AWSDynamoDB/{export_id}/")
    } else {
        format!("{prefix}/AWSDynamoDB/{export_id}/")
    }
}

/// Writes the export's files. `summary` holds the manifest summary's members that describe the
/// request (ARNs, bucket, prefix, times); the counts and keys are added here.
pub(crate) fn write(
    table: &Table,
    export_id: &str,
    root: &str,
    at_ms: u64,
    incremental: Option<&Incremental>,
    mut summary: Map<String, Value>,
) -> Written {
    let lines: Vec<Value> = match incremental {
        None => items_at(table, at_ms).values().map(|item| json!({ "Item": item_to_json(item) })).collect(),
        Some(spec) => incremental_lines(table, spec),
    };
    let item_count = lines.len() as u64;
    // BilledSizeBytes: the items' DynamoDB sizes (an export is billed by the table's size).
    let billed_bytes: u64 = lines
        .iter()
        .filter_map(|l| l.get("Item").or_else(|| l.get("NewImage")))
        .filter_map(|i| item_from_json(i).ok())
        .map(|i| crate::types::item_size(&i) as u64)
        .sum();
    let mut text = String::new();
    for line in &lines {
        text.push_str(&line.to_string());
        text.push('\n');
    }
    let data = gz::compress(text.as_bytes());
    let data_key = format!("{root}data/{}.json.gz", data_file_name(export_id, 0));
    let digest = md5::digest(&data);
    let files_manifest = format!(
        "{}\n",
        json!({
            "itemCount": item_count,
            "md5Checksum": crate::types::base64::encode(&digest),
            "etag": md5::hex(&data),
            "dataFileS3Key": data_key,
        })
    );
    let manifest_files_key = format!("{root}manifest-files.json");
    summary.insert("manifestFilesS3Key".into(), json!(manifest_files_key));
    summary.insert("billedSizeBytes".into(), json!(billed_bytes));
    summary.insert("itemCount".into(), json!(item_count));
    let summary = Value::Object(summary).to_string();
    let manifest = format!("{root}manifest-summary.json");
    let files = vec![
        (format!("{root}_started"), Vec::new()),
        (data_key, data),
        (format!("{root}manifest-files.checksum"), md5::hex(files_manifest.as_bytes()).into_bytes()),
        (manifest_files_key, files_manifest.into_bytes()),
        (format!("{root}manifest-summary.checksum"), md5::hex(summary.as_bytes()).into_bytes()),
        (manifest.clone(), summary.into_bytes()),
    ];
    Written { files, item_count, billed_bytes, manifest }
}

/// The manifest summary's time form: `2020-11-04T07:28:34.028Z`.
pub(crate) fn manifest_time(ms: u64) -> Value {
    json!(format!("{}Z", iso8601_millis(ms)))
}

/// An export's `ExportDescription` at `now`: IN_PROGRESS without its end and counts until
/// it is done.
pub(crate) fn description(job: &Job, now: u64) -> Value {
    let mut d = job.description.clone();
    if now < job.until_ms {
        if let Some(d) = d.as_object_mut() {
            d.insert("ExportStatus".into(), json!("IN_PROGRESS"));
            for member in ["EndTime", "ItemCount", "BilledSizeBytes"] {
                d.remove(member);
            }
        }
    }
    d
}

/// ListExports' `ExportSummary` of an export at `now`.
pub(crate) fn summary(job: &Job, now: u64) -> Value {
    let d = description(job, now);
    json!({"ExportArn": d.get("ExportArn"), "ExportStatus": d.get("ExportStatus"), "ExportType": d.get("ExportType")})
}

/// The refusal of an export time outside the window.
pub(crate) fn invalid_time(what: &str) -> ApiError {
    // Text not recorded: the API reference's description of InvalidExportTimeException.
    ApiError::new(
        crate::error::ErrorKind::InvalidExportTime,
        format!("{what} is outside of the point in time recovery window"),
    )
}

pub(crate) fn epoch(ms: u64) -> Value {
    epoch_seconds(ms)
}
