//! `PlaygroundDescribeHistory`: a table's point-in-time window, the changes in it, and the
//! table as it was at a second of it — read-only, for the page's timeline view. No table is
//! made and nothing is charged: the items at T are the table's items now with the changes
//! after T undone, newest first, exactly as `RestoreTableToPointInTime` undoes them on the
//! restored table (`restore.rs`), so a preview at T lists what a restore to T holds.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::table::{epoch_seconds, Table};
use crate::types::{item_to_json, Item, PrimaryKey};

/// The most changes an answer lists (the newest; `ChangeCount` counts them all).
pub(crate) const MAX_CHANGES: usize = 1_000;

/// The most items a page holds (Scan's default page is 1 MB; a preview pages by count).
pub(crate) const MAX_ITEMS: usize = 1_000;

/// The table's items at `at_ms` (which must lie in its window), in Scan order: the page after
/// `start` of at most `limit`, and whether more follow.
pub(crate) fn items_at(
    table: &Table,
    at_ms: u64,
    start: Option<&PrimaryKey>,
    limit: usize,
) -> (Vec<Item>, bool, usize) {
    let mut items = table.items.clone();
    if let Some(history) = super::history(table) {
        for undo in history.after(at_ms) {
            let image = history.image(undo);
            let Ok(key) = table.key_schema.key_of_item(&image) else { continue };
            if undo.existed {
                items.insert(key.partition, key.sort, &image);
            } else {
                items.remove(&key.partition, &key.sort);
            }
        }
    }
    let total = items.len();
    let after = start.map(|k| (k.partition.clone(), k.sort.clone()));
    let mut page: Vec<Item> = items.scan(0, u64::MAX, after).take(limit + 1).map(|e| e.item()).collect();
    let more = page.len() > limit;
    page.truncate(limit);
    (page, more, total)
}

/// The changes in the window, newest first (at most [`MAX_CHANGES`]), each as a stream
/// record names it: `INSERT` (the item was not there), `MODIFY` or `REMOVE`, with its keys.
/// What a change did is read from what came after it: the next change of the same key kept
/// the item as this one left it, and the last change left the item as it is now.
pub(crate) fn changes(table: &Table) -> (Vec<Value>, usize) {
    let Some(history) = super::history(table) else { return (Vec::new(), 0) };
    // Whether the item is there just after the change being read (newest first).
    let mut present: HashMap<PrimaryKey, bool> = HashMap::new();
    let mut out = Vec::new();
    for undo in history.changes.iter().rev().take(MAX_CHANGES) {
        let image = history.image(undo);
        let Ok(key) = table.key_schema.key_of_item(&image) else { continue };
        let after = *present.entry(key.clone()).or_insert_with(|| table.get(&key).is_some());
        let kind = match (after, undo.existed) {
            (false, _) => "REMOVE",
            (true, true) => "MODIFY",
            (true, false) => "INSERT",
        };
        present.insert(key, undo.existed);
        let keys = table.key_schema.key_item(&image);
        out.push(json!({"Time": epoch_seconds(undo.at_ms), "EventName": kind, "Keys": item_to_json(&keys)}));
    }
    (out, history.changes.len())
}

/// The answer: the window, the changes, and with `at_ms` the page of items then.
pub(crate) fn describe(
    table: &Table,
    now: u64,
    at_ms: Option<u64>,
    start: Option<&Item>,
    limit: usize,
) -> ApiResult<Value> {
    let Some((earliest, latest)) = super::window(table, now) else {
        return Err(ApiError::new(
            ErrorKind::PointInTimeRecoveryUnavailable,
            format!("Point in time recovery is not enabled for table '{}'", table.name),
        ));
    };
    let (changes, count) = changes(table);
    let mut answer = json!({
        "TableName": table.name,
        "EarliestRestorableDateTime": epoch_seconds(earliest),
        "LatestRestorableDateTime": epoch_seconds(latest),
        "Changes": changes,
        "ChangeCount": count,
    });
    let Some(at_ms) = at_ms else { return Ok(answer) };
    if at_ms < earliest || at_ms > latest {
        // RestoreTableToPointInTime's refusal: the same second is refused by both.
        return Err(ApiError::new(
            ErrorKind::InvalidRestoreTime,
            "RestoreDateTime must be between EarliestRestorableDateTime and LatestRestorableDateTime",
        ));
    }
    let start = match start {
        Some(key) => Some(table.key_schema.key_of_key(key).map_err(|e| {
            ApiError::validation(format!("The provided starting key is invalid: {}", e.message))
        })?),
        None => None,
    };
    let (items, more, total) = items_at(table, at_ms, start.as_ref(), limit);
    answer["RestoreDateTime"] = json!(at_ms as f64 / 1000.0);
    answer["ItemCount"] = json!(total);
    answer["Count"] = json!(items.len());
    if more {
        if let Some(last) = items.last() {
            answer["LastEvaluatedKey"] = item_to_json(&table.key_schema.key_item(last));
        }
    }
    answer["Items"] = Value::Array(items.iter().map(item_to_json).collect());
    Ok(answer)
}
