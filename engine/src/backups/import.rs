//! ImportTable's work: reading a source's objects (every object of the bucket under the key
//! prefix) as DynamoDB JSON or CSV, GZIP-compressed or not, into items of a new table
//! (developer guide, "DynamoDB data import from Amazon S3" and "Amazon S3 import formats").
//!
//! - DYNAMODB_JSON: one `{"Item": {...}}` a line — what an export's data files hold, so an
//!   export imports as it is (point the prefix at its `data/` folder).
//! - CSV: the first line is the header unless `HeaderList` names the columns; the delimiter is
//!   `,` unless `Delimiter` names another; quotes as RFC 4180 (`""` inside quotes is one `"`).
//!   Columns that are keys of the table or of a GSI take the type their AttributeDefinitions
//!   give; every other column is a string, as the guide says. An empty field is left out.
//! - A line that is not an item, or an item the table refuses (a missing or mistyped key, too
//!   large), is counted in ErrorCount and skipped; items with the same key overwrite each other
//!   and are not errors.
//!
//! Simplifications: ION input and ZSTD compression are refused; the import's counts are final
//! when it is requested (its status says IN_PROGRESS for [`IMPORT_MS`] of engine time).

use serde_json::{json, Map, Value};

use super::objects::{Objects, OBJECT_BYTES};
use crate::error::{ApiError, ApiResult};
use crate::types::{item_from_json, Item};

/// How long an import stays IN_PROGRESS (and its table CREATING), in engine milliseconds.
pub(crate) const IMPORT_MS: u64 = 10_000;

/// What reading the source found.
#[derive(Default)]
pub(crate) struct Read {
    pub items: Vec<Item>,
    pub errors: u64,
    pub processed: u64,
    pub processed_bytes: u64,
}

/// The source's objects, decompressed, and how many could not be (each an error; the import
/// goes on without them): `Err((code, message))` when there is nothing to read.
pub(crate) type Source = Result<(Vec<Vec<u8>>, u64), (&'static str, String)>;

pub(crate) fn source(objects: &Objects, bucket: &str, prefix: &str, gzip: bool) -> ApiResult<Source> {
    if !objects.buckets.contains_key(bucket) {
        return Ok(Err(("S3NoSuchBucket", format!("The specified bucket does not exist: {bucket}"))));
    }
    let (mut bodies, mut bad, mut any) = (Vec::new(), 0, false);
    for (_, body) in objects.list(bucket, prefix) {
        any = true;
        if gzip && body.is_empty() {
            continue; // an empty object (an export's `_started`) holds nothing
        }
        if !gzip {
            bodies.push(body.to_vec());
            continue;
        }
        match super::gz::decompress(body, OBJECT_BYTES) {
            Ok(body) => bodies.push(body),
            Err(e) if e.kind == crate::error::ErrorKind::LimitExceeded => return Err(e),
            Err(_) => bad += 1,
        }
    }
    if !any {
        return Ok(Err((
            "S3NoSuchKey",
            format!("No objects found in bucket {bucket} under prefix '{prefix}'"),
        )));
    }
    Ok(Ok((bodies, bad)))
}

/// DynamoDB JSON: one `{"Item": …}` object a line.
pub(crate) fn read_json(bodies: &[Vec<u8>], read: &mut Read) {
    for body in bodies {
        read.processed_bytes += body.len() as u64;
        for line in String::from_utf8_lossy(body).lines().filter(|l| !l.trim().is_empty()) {
            read.processed += 1;
            let item = serde_json::from_slice::<Value>(line.as_bytes())
                .ok()
                .and_then(|v| v.get("Item").cloned())
                .and_then(|item| item_from_json(&item).ok());
            match item {
                Some(item) => read.items.push(item),
                None => read.errors += 1,
            }
        }
    }
}

/// One CSV record's fields, quotes undone; `None` when a quote is left open.
fn csv_fields(line: &str, delimiter: char) -> Option<Vec<String>> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        let field = fields.last_mut()?;
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' => quoted = !quoted,
            c if c == delimiter && !quoted => fields.push(String::new()),
            c => field.push(c),
        }
    }
    (!quoted).then_some(fields)
}

/// CSV: `typed` gives the type (`S`, `N` or `B`) of each key attribute.
pub(crate) fn read_csv(
    bodies: &[Vec<u8>],
    delimiter: char,
    header: Option<&[String]>,
    typed: &dyn Fn(&str) -> &'static str,
    read: &mut Read,
) {
    for body in bodies {
        read.processed_bytes += body.len() as u64;
        let text = String::from_utf8_lossy(body);
        let mut lines = text.lines().map(|l| l.trim_end_matches('\r')).filter(|l| !l.is_empty());
        // Each object starts with its header unless the request names the columns.
        let columns: Vec<String> = match header {
            Some(h) => h.to_vec(),
            None => match lines.next().and_then(|l| csv_fields(l, delimiter)) {
                Some(h) => h,
                None => continue,
            },
        };
        for line in lines {
            read.processed += 1;
            let item = csv_fields(line, delimiter).filter(|f| f.len() == columns.len()).and_then(|fields| {
                let mut item = Map::new();
                for (name, value) in columns.iter().zip(fields) {
                    if !value.is_empty() {
                        item.insert(name.clone(), json!({ typed(name): value }));
                    }
                }
                item_from_json(&Value::Object(item)).ok()
            });
            match item {
                Some(item) => read.items.push(item),
                None => read.errors += 1,
            }
        }
    }
}

pub(crate) fn conflict(token: &str) -> ApiError {
    // Text not recorded: the API reference's description of ImportConflictException.
    ApiError::new(
        crate::error::ErrorKind::ImportConflict,
        format!(
            "There was a conflict when importing from the specified S3 source: ClientToken {token} was used \
             by an earlier import with other parameters"
        ),
    )
}

/// An import's `ImportTableDescription` at `now`: IN_PROGRESS without its end and counts until
/// it is done.
pub(crate) fn description(job: &super::Job, now: u64) -> Value {
    let mut d = job.description.clone();
    if now < job.until_ms {
        if let Some(d) = d.as_object_mut() {
            d.insert("ImportStatus".into(), json!("IN_PROGRESS"));
            d.remove("EndTime");
            for member in ["ProcessedSizeBytes", "ProcessedItemCount", "ImportedItemCount", "ErrorCount"] {
                d.insert(member.into(), json!(0));
            }
            d.remove("FailureCode");
            d.remove("FailureMessage");
        }
    }
    d
}

/// ListImports' `ImportSummary` of an import at `now`.
pub(crate) fn summary(job: &super::Job, now: u64) -> Value {
    let d = description(job, now);
    let mut s = Map::new();
    for member in [
        "ImportArn",
        "ImportStatus",
        "TableArn",
        "S3BucketSource",
        "CloudWatchLogGroupArn",
        "InputFormat",
        "StartTime",
        "EndTime",
    ] {
        if let Some(v) = d.get(member) {
            s.insert(member.into(), v.clone());
        }
    }
    Value::Object(s)
}
