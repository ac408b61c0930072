//! A table's items as the files DynamoDB's export to Amazon S3 writes in the DynamoDB JSON
//! format (*DynamoDB table export output format* in the developer guide), which `ImportTable`
//! reads back ("exports from point in time are supported as an import source"):
//!
//! ```text
//! {prefix}/AWSDynamoDB/{ExportId}/manifest-summary.json   the export: ARNs, times, counts
//! {prefix}/AWSDynamoDB/{ExportId}/manifest-files.json     one JSON line per data file
//! {prefix}/AWSDynamoDB/{ExportId}/_started                empty, as DynamoDB writes it
//! {prefix}/AWSDynamoDB/{ExportId}/data/{name}.json.gz     gzip JSON lines, {"Item": {…}} each
//! ```
//!
//! The ExportId is DynamoDB's shape (14 digits of epoch milliseconds, `-`, 8 hex digits), the
//! data file's name 26 lower-case base32 letters, both derived from the data. DynamoDB writes at
//! least one data file per partition; this export writes one, which ImportTable reads the same.
//! The manifests' `.checksum` files are not written: the guide does not say what they hold, and
//! ImportTable does not read them.

use std::io::Write;

use md5::{Digest, Md5};
use serde_json::{json, Value};

use crate::zip::ZipEntry;

/// Where the files will live and whose table they come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportTarget {
    /// The S3 bucket the manifest names.
    pub bucket: String,
    /// The key prefix (empty for none).
    pub prefix: String,
    /// The table's ARN (DescribeTable's `TableArn`).
    pub table_arn: String,
    /// The table's id (DescribeTable's `TableId`).
    pub table_id: String,
    /// The table's size in bytes (DescribeTable's `TableSizeBytes`): the export's billed size.
    pub table_size_bytes: u64,
    /// When the export ran, in epoch milliseconds.
    pub now_ms: u64,
}

/// The data file's lines: one `{"Item": …}` per item, each ending in a newline.
pub fn json_lines(items: &[Value]) -> Vec<u8> {
    let mut out = Vec::new();
    for item in items {
        out.extend_from_slice(b"{\"Item\":");
        out.extend_from_slice(item.to_string().as_bytes());
        out.extend_from_slice(b"}\n");
    }
    out
}

/// `bytes` gzip-compressed.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

fn md5(bytes: &[u8]) -> [u8; 16] {
    Md5::digest(bytes).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 26 lower-case base32 letters from a digest: a data file's name as DynamoDB spells them.
fn base32_name(digest: &[u8; 16]) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut bits: u128 = u128::from_be_bytes(*digest);
    let mut out = String::with_capacity(26);
    for _ in 0..26 {
        out.push(char::from(ALPHABET[(bits >> 123) as usize & 31]));
        bits <<= 5;
    }
    out
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`.
fn timestamp(ms: u64) -> String {
    format!("{}Z", dynaplay_engine::types::iso8601_millis(ms))
}

/// The export's files, paths first in the order DynamoDB writes them.
pub fn files(target: &ExportTarget, items: &[Value]) -> Vec<ZipEntry> {
    let data = gzip(&json_lines(items));
    let digest = md5(&data);
    let export_id = format!("{:014}-{}", target.now_ms, hex(&digest[..4]));
    let prefix = target.prefix.trim_matches('/');
    let root = if prefix.is_empty() {
        format!("AWSDynamoDB/{export_id}")
    } else {
        format!("{prefix}/AWSDynamoDB/{export_id}")
    };
    let data_key = format!("{root}/data/{}.json.gz", base32_name(&md5(&digest)));
    let manifest_files_key = format!("{root}/manifest-files.json");
    // S3's ETag of an object uploaded in one part of a multipart upload, as the guide's example
    // shows it: the MD5 of the part's MD5, then "-1".
    let etag = format!("{}-1", hex(&md5(&digest)));
    let files_line = json!({
        "itemCount": items.len(),
        "md5Checksum": dynaplay_engine::types::base64::encode(&digest),
        "etag": etag,
        "dataFileS3Key": data_key,
    });
    let time = timestamp(target.now_ms);
    let summary = json!({
        "version": "2020-06-30",
        "exportArn": format!("{}/export/{export_id}", target.table_arn),
        "startTime": time,
        "endTime": time,
        "tableArn": target.table_arn,
        "tableId": target.table_id,
        "exportTime": time,
        "s3Bucket": target.bucket,
        "s3Prefix": if prefix.is_empty() { Value::Null } else { json!(prefix) },
        "s3SseAlgorithm": "AES256",
        "s3SseKmsKeyId": Value::Null,
        "manifestFilesS3Key": manifest_files_key,
        "billedSizeBytes": target.table_size_bytes,
        "itemCount": items.len(),
        "outputFormat": "DYNAMODB_JSON",
    });
    vec![
        ZipEntry { path: format!("{root}/_started"), bytes: Vec::new() },
        ZipEntry { path: data_key, bytes: data },
        ZipEntry { path: manifest_files_key, bytes: format!("{files_line}\n").into_bytes() },
        ZipEntry { path: format!("{root}/manifest-summary.json"), bytes: summary.to_string().into_bytes() },
    ]
}

/// ImportTable's `TableCreationParameters` for a table of `design`'s shape, as JSON (for
/// `aws dynamodb import-table --table-creation-parameters file://…`): its name, attribute
/// definitions, key, billing and global secondary indexes — what ImportTable can create (no
/// local indexes, stream, TTL or tags: those are set after the import).
pub fn table_creation_parameters(design: &crate::TableDesign) -> String {
    use crate::doc::Node;
    const MEMBERS: [&str; 7] = [
        "TableName",
        "AttributeDefinitions",
        "KeySchema",
        "BillingMode",
        "ProvisionedThroughput",
        "OnDemandThroughput",
        "GlobalSecondaryIndexes",
    ];
    let Node::Map(properties) = crate::cloudformation::properties(design) else { return String::new() };
    let mut kept: Vec<(String, Node)> =
        properties.into_iter().filter(|(k, _)| MEMBERS.contains(&k.as_str())).collect();
    // ImportTable takes only the attribute definitions its keys and global indexes use.
    let used = |name: &str| design.key.has(name) || design.global_indexes.iter().any(|g| g.key.has(name));
    for (member, value) in &mut kept {
        if let (true, Node::List(definitions)) = (member == "AttributeDefinitions", value) {
            definitions.retain(|d| match d {
                Node::Map(m) => {
                    m.iter().any(|(k, v)| k == "AttributeName" && matches!(v, Node::Text(n) if used(n)))
                }
                _ => false,
            });
        }
    }
    crate::doc::to_json(&Node::Map(kept))
}
