//! Exports to and imports from the playground's object store, on a simulated clock (`backups`).
#![cfg(feature = "backups")]

use std::io::Read;

use dynaplay_engine::{Engine, ErrorKind};
use serde_json::{json, Value};

const T0: u64 = 1_750_000_000_000;
const ARN: &str = "arn:aws:dynamodb:us-east-1:000000000000:table/Music";

fn engine() -> Engine {
    let mut engine = Engine::new();
    engine.set_now(T0);
    engine
        .handle_json(
            "CreateTable",
            json!({"TableName": "Music",
                   "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"},
                                 {"AttributeName": "Year", "KeyType": "RANGE"}],
                   "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"},
                                            {"AttributeName": "Year", "AttributeType": "N"}],
                   "BillingMode": "PAY_PER_REQUEST"}),
        )
        .unwrap();
    engine
        .handle_json(
            "UpdateContinuousBackups",
            json!({"TableName": "Music", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}}),
        )
        .unwrap();
    engine
}

/// An item with every type: sets, binary, nested maps and lists, null, booleans.
fn rich(artist: &str, year: u32) -> Value {
    json!({"Artist": {"S": artist}, "Year": {"N": year.to_string()},
           "Tags": {"SS": ["rock", "live"]}, "Scores": {"NS": ["1", "2.5"]},
           "Cover": {"B": "AAEC/w=="}, "Masters": {"BS": ["AQ==", "Ag=="]},
           "Label": {"M": {"Name": {"S": "Sun"}, "Founded": {"N": "1952"},
                           "Owners": {"L": [{"S": "Sam"}, {"NULL": true}, {"BOOL": false}]}}},
           "Live": {"BOOL": true}})
}

fn put(engine: &mut Engine, item: Value) {
    engine.handle_json("PutItem", json!({"TableName": "Music", "Item": item})).unwrap();
}

fn scan(engine: &mut Engine, table: &str) -> Vec<Value> {
    let mut items =
        engine.handle_json("Scan", json!({"TableName": table})).unwrap()["Items"].as_array().unwrap().clone();
    dynaplay_engine::types::sort_by(&mut items, |a, b| a.to_string().cmp(&b.to_string()));
    items
}

fn object(engine: &mut Engine, bucket: &str, key: &str) -> Vec<u8> {
    let got = engine.handle_json("PlaygroundGetObject", json!({"Bucket": bucket, "Key": key})).unwrap();
    dynaplay_engine::types::base64::decode(got["Body"].as_str().unwrap()).unwrap()
}

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut text).unwrap();
    text
}

fn keys(engine: &mut Engine, bucket: &str, prefix: &str) -> Vec<String> {
    let listed =
        engine.handle_json("PlaygroundListObjects", json!({"Bucket": bucket, "Prefix": prefix})).unwrap();
    listed["Objects"].as_array().unwrap().iter().map(|o| o["Key"].as_str().unwrap().to_owned()).collect()
}

fn export(engine: &mut Engine, extra: Value) -> Value {
    let mut request = json!({"TableArn": ARN, "S3Bucket": "exports", "S3Prefix": "music"});
    for (k, v) in extra.as_object().unwrap() {
        request[k] = v.clone();
    }
    engine.handle_json("ExportTableToPointInTime", request).unwrap()["ExportDescription"].clone()
}

/// The items of an export's data files, from its manifests.
fn exported_lines(engine: &mut Engine, description: &Value) -> Vec<Value> {
    let manifest = description["ExportManifest"].as_str().unwrap();
    let summary: Value = serde_json::from_slice(&object(engine, "exports", manifest)).unwrap();
    let files_key = summary["manifestFilesS3Key"].as_str().unwrap();
    let files = String::from_utf8(object(engine, "exports", files_key)).unwrap();
    let mut lines = Vec::new();
    for entry in files.lines() {
        let entry: Value = serde_json::from_slice(entry.as_bytes()).unwrap();
        let data = object(engine, "exports", entry["dataFileS3Key"].as_str().unwrap());
        // (The MD5 itself is checked against known digests in `backups/md5.rs`.)
        assert_eq!(entry["etag"].as_str().unwrap().len(), 32, "{entry}");
        let text = gunzip(&data);
        assert_eq!(text.lines().count() as u64, entry["itemCount"].as_u64().unwrap());
        lines.extend(text.lines().map(|l| serde_json::from_slice::<Value>(l.as_bytes()).unwrap()));
    }
    assert_eq!(summary["itemCount"].as_u64().unwrap(), lines.len() as u64);
    dynaplay_engine::types::sort_by(&mut lines, |a, b| a.to_string().cmp(&b.to_string()));
    lines
}

#[test]
fn an_export_at_a_past_second_is_the_table_at_that_second() {
    let mut engine = engine();
    engine.advance(1000);
    put(&mut engine, rich("Elvis", 1956));
    put(&mut engine, rich("Cash", 1957));
    engine.advance(2000);
    let then = scan(&mut engine, "Music");
    let at = (engine.now() as f64) / 1000.0;
    engine.advance(1000);
    put(&mut engine, rich("Orbison", 1960));
    engine
        .handle_json(
            "DeleteItem",
            json!({"TableName": "Music", "Key": {"Artist": {"S": "Elvis"}, "Year": {"N": "1956"}}}),
        )
        .unwrap();
    engine.advance(1000);
    let description = export(&mut engine, json!({"ExportTime": at}));
    assert_eq!(description["ExportStatus"], "IN_PROGRESS");
    assert!(description.get("ItemCount").is_none());
    assert_eq!(description["ExportTime"], json!(at));
    let arn = description["ExportArn"].as_str().unwrap().to_owned();
    assert!(arn.starts_with(&format!("{ARN}/export/")), "{arn}");
    let lines = exported_lines(&mut engine, &description);
    let items: Vec<Value> = lines.iter().map(|l| l["Item"].clone()).collect();
    assert_eq!(items, then, "the export holds the table as it was");
    engine.advance(10_000);
    let done =
        engine.handle_json("DescribeExport", json!({"ExportArn": arn})).unwrap()["ExportDescription"].clone();
    assert_eq!(done["ExportStatus"], "COMPLETED");
    assert_eq!(done["ItemCount"], 2);
    assert_eq!(done["ExportType"], "FULL_EXPORT");
    let root = format!("music/AWSDynamoDB/{}/", arn.rsplit('/').next().unwrap());
    let files = keys(&mut engine, "exports", &root);
    for name in [
        "_started",
        "manifest-files.checksum",
        "manifest-files.json",
        "manifest-summary.checksum",
        "manifest-summary.json",
    ] {
        assert!(files.contains(&format!("{root}{name}")), "{name} in {files:?}");
    }
    assert!(files.iter().any(|f| f.starts_with(&format!("{root}data/")) && f.ends_with(".json.gz")));
    let listed = engine.handle_json("ListExports", json!({"TableArn": ARN})).unwrap();
    assert_eq!(
        listed["ExportSummaries"],
        json!([{"ExportArn": arn, "ExportStatus": "COMPLETED", "ExportType": "FULL_EXPORT"}])
    );
}

#[test]
fn export_then_import_gives_an_equal_table() {
    let mut engine = engine();
    for (i, artist) in ["A", "B", "C"].iter().enumerate() {
        put(&mut engine, rich(artist, 1950 + i as u32));
    }
    let description = export(&mut engine, json!({}));
    let id = description["ExportArn"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
    let import = json!({
        "S3BucketSource": {"S3Bucket": "exports", "S3KeyPrefix": format!("music/AWSDynamoDB/{id}/data/")},
        "InputFormat": "DYNAMODB_JSON", "InputCompressionType": "GZIP",
        "TableCreationParameters": {"TableName": "Music2",
            "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}, {"AttributeName": "Year", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}, {"AttributeName": "Year", "AttributeType": "N"}],
            "BillingMode": "PAY_PER_REQUEST"}});
    let answer = engine.handle_json("ImportTable", import.clone()).unwrap()["ImportTableDescription"].clone();
    assert_eq!(answer["ImportStatus"], "IN_PROGRESS");
    let table = engine.handle_json("DescribeTable", json!({"TableName": "Music2"})).unwrap();
    assert_eq!(table["Table"]["TableStatus"], "CREATING");
    assert_eq!(scan(&mut engine, "Music2"), scan(&mut engine, "Music"));
    engine.advance(10_000);
    let arn = answer["ImportArn"].as_str().unwrap();
    assert!(arn.starts_with("arn:aws:dynamodb:us-east-1:000000000000:table/Music2/import/"), "{arn}");
    let done = engine.handle_json("DescribeImport", json!({"ImportArn": arn})).unwrap()
        ["ImportTableDescription"]
        .clone();
    assert_eq!(done["ImportStatus"], "COMPLETED");
    assert_eq!(
        (done["ImportedItemCount"].clone(), done["ErrorCount"].clone(), done["ProcessedItemCount"].clone()),
        (json!(3), json!(0), json!(3))
    );
    let table = engine.handle_json("DescribeTable", json!({"TableName": "Music2"})).unwrap();
    assert_eq!(table["Table"]["TableStatus"], "ACTIVE");
    // The same table name again: the table exists.
    let mut again = import.clone();
    again["ClientToken"] = json!("t-2");
    let err = engine.handle_json("ImportTable", again.clone()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::ResourceInUse, "{}", err.message);
    // A client token reused with other parameters conflicts.
    again["TableCreationParameters"]["TableName"] = json!("Music3");
    engine.handle_json("ImportTable", again.clone()).unwrap();
    again["InputCompressionType"] = json!("NONE");
    let err = engine.handle_json("ImportTable", again).unwrap_err();
    assert_eq!(err.kind, ErrorKind::ImportConflict, "{}", err.message);
    let listed = engine.handle_json("ListImports", json!({})).unwrap();
    assert_eq!(listed["ImportSummaryList"].as_array().unwrap().len(), 2);
}

#[test]
fn csv_imports_type_keys_and_keep_the_rest_strings() {
    let mut engine = Engine::new();
    engine.set_now(T0);
    let csv =
        "Artist,Year,Plays,Note\nElvis,1956,100,\"said \"\"hi\"\"\"\nCash,1957,7,\nbad row\nNoYear,,3,x\n";
    let body = dynaplay_engine::types::base64::encode(csv.as_bytes());
    engine
        .handle_json("PlaygroundPutObject", json!({"Bucket": "in", "Key": "csv/part1.csv", "Body": body}))
        .unwrap();
    let answer = engine
        .handle_json(
            "ImportTable",
            json!({"S3BucketSource": {"S3Bucket": "in", "S3KeyPrefix": "csv/"}, "InputFormat": "CSV",
                   "TableCreationParameters": {"TableName": "Songs",
                       "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}, {"AttributeName": "Year", "KeyType": "RANGE"}],
                       "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}, {"AttributeName": "Year", "AttributeType": "N"}],
                       "BillingMode": "PAY_PER_REQUEST"}}),
        )
        .unwrap();
    let items = scan(&mut engine, "Songs");
    assert_eq!(
        items,
        vec![
            json!({"Artist": {"S": "Cash"}, "Year": {"N": "1957"}, "Plays": {"S": "7"}}),
            json!({"Artist": {"S": "Elvis"}, "Year": {"N": "1956"}, "Plays": {"S": "100"}, "Note": {"S": "said \"hi\""}}),
        ]
    );
    engine.advance(10_000);
    let arn = answer["ImportTableDescription"]["ImportArn"].as_str().unwrap();
    let done = engine.handle_json("DescribeImport", json!({"ImportArn": arn})).unwrap()
        ["ImportTableDescription"]
        .clone();
    // "bad row" has too few columns; NoYear has no sort key.
    assert_eq!(
        (done["ProcessedItemCount"].clone(), done["ErrorCount"].clone(), done["ImportedItemCount"].clone()),
        (json!(4), json!(2), json!(2))
    );
    // A header list: the first line is data.
    let body = dynaplay_engine::types::base64::encode(b"U1|1\nU2|2\n");
    engine
        .handle_json("PlaygroundPutObject", json!({"Bucket": "in", "Key": "pipes.csv", "Body": body}))
        .unwrap();
    engine
        .handle_json(
            "ImportTable",
            json!({"S3BucketSource": {"S3Bucket": "in", "S3KeyPrefix": "pipes"}, "InputFormat": "CSV",
                   "InputFormatOptions": {"Csv": {"Delimiter": "|", "HeaderList": ["Id", "Rank"]}},
                   "TableCreationParameters": {"TableName": "Ranks",
                       "KeySchema": [{"AttributeName": "Id", "KeyType": "HASH"}],
                       "AttributeDefinitions": [{"AttributeName": "Id", "AttributeType": "S"}],
                       "BillingMode": "PAY_PER_REQUEST"}}),
        )
        .unwrap();
    assert_eq!(scan(&mut engine, "Ranks").len(), 2);
}

#[test]
fn refusals() {
    let mut engine = engine();
    let err = |engine: &mut Engine, op: &str, request: Value| engine.handle_json(op, request).unwrap_err();
    // Outside the window: before recovery was enabled, or in the future.
    let e = err(
        &mut engine,
        "ExportTableToPointInTime",
        json!({"TableArn": ARN, "S3Bucket": "b1", "ExportTime": (T0 - 5000) as f64 / 1000.0}),
    );
    assert_eq!(e.kind, ErrorKind::InvalidExportTime, "{}", e.message);
    let e = err(
        &mut engine,
        "ExportTableToPointInTime",
        json!({"TableArn": ARN, "S3Bucket": "b1", "ExportTime": (T0 + 5000) as f64 / 1000.0}),
    );
    assert_eq!(e.kind, ErrorKind::InvalidExportTime);
    // No point-in-time recovery.
    engine.handle_json("UpdateContinuousBackups", json!({"TableName": "Music", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": false}})).unwrap();
    let e = err(&mut engine, "ExportTableToPointInTime", json!({"TableArn": ARN, "S3Bucket": "b1"}));
    assert_eq!(e.kind, ErrorKind::PointInTimeRecoveryUnavailable);
    let e = err(
        &mut engine,
        "ExportTableToPointInTime",
        json!({"TableArn": format!("{ARN}X"), "S3Bucket": "b1"}),
    );
    assert_eq!(e.kind, ErrorKind::TableNotFound);
    let e = err(&mut engine, "ExportTableToPointInTime", json!({"TableArn": ARN, "S3Bucket": "-bad-"}));
    assert_eq!(e.kind, ErrorKind::Validation);
    let e = err(
        &mut engine,
        "DescribeExport",
        json!({"ExportArn": format!("{ARN}/export/00000000000000-00000000")}),
    );
    assert_eq!(e.kind, ErrorKind::ExportNotFound);
    let e = err(
        &mut engine,
        "DescribeImport",
        json!({"ImportArn": format!("{ARN}/import/00000000000000-00000000")}),
    );
    assert_eq!(e.kind, ErrorKind::ImportNotFound);
    // A source with nothing in it: a FAILED import, no table.
    let answer = engine
        .handle_json(
            "ImportTable",
            json!({"S3BucketSource": {"S3Bucket": "nothing"}, "InputFormat": "DYNAMODB_JSON",
                   "TableCreationParameters": {"TableName": "Empty",
                       "KeySchema": [{"AttributeName": "Id", "KeyType": "HASH"}],
                       "AttributeDefinitions": [{"AttributeName": "Id", "AttributeType": "S"}],
                       "BillingMode": "PAY_PER_REQUEST"}}),
        )
        .unwrap();
    engine.advance(10_000);
    let arn = answer["ImportTableDescription"]["ImportArn"].as_str().unwrap();
    let done = engine.handle_json("DescribeImport", json!({"ImportArn": arn})).unwrap()
        ["ImportTableDescription"]
        .clone();
    assert_eq!(done["ImportStatus"], "FAILED");
    assert_eq!(done["FailureCode"], "S3NoSuchBucket");
    assert!(engine.handle_json("DescribeTable", json!({"TableName": "Empty"})).is_err());
}

#[test]
fn client_tokens_name_one_export() {
    let mut engine = engine();
    let first = export(&mut engine, json!({"ClientToken": "tok"}));
    let again = export(&mut engine, json!({"ClientToken": "tok"}));
    assert_eq!(first["ExportArn"], again["ExportArn"]);
    let e = engine
        .handle_json(
            "ExportTableToPointInTime",
            json!({"TableArn": ARN, "S3Bucket": "other", "ClientToken": "tok"}),
        )
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::ExportConflict, "{}", e.message);
}

#[test]
fn incremental_exports_carry_keys_and_images() {
    let mut engine = engine();
    engine.advance(60_000);
    put(&mut engine, json!({"Artist": {"S": "Kept"}, "Year": {"N": "1"}, "v": {"N": "1"}}));
    put(&mut engine, json!({"Artist": {"S": "Gone"}, "Year": {"N": "2"}}));
    engine.advance(60_000);
    let from = engine.now();
    engine.advance(60_000);
    put(&mut engine, json!({"Artist": {"S": "Kept"}, "Year": {"N": "1"}, "v": {"N": "2"}}));
    put(&mut engine, json!({"Artist": {"S": "New"}, "Year": {"N": "3"}}));
    engine
        .handle_json(
            "DeleteItem",
            json!({"TableName": "Music", "Key": {"Artist": {"S": "Gone"}, "Year": {"N": "2"}}}),
        )
        .unwrap();
    engine.advance(20 * 60_000);
    let to = engine.now();
    let spec = json!({"ExportFromTime": from as f64 / 1000.0, "ExportToTime": to as f64 / 1000.0, "ExportViewType": "NEW_AND_OLD_IMAGES"});
    let description = export(
        &mut engine,
        json!({"ExportType": "INCREMENTAL_EXPORT", "IncrementalExportSpecification": spec}),
    );
    assert_eq!(description["ExportType"], "INCREMENTAL_EXPORT");
    let lines = exported_lines(&mut engine, &description);
    let by_key = |artist: &str| lines.iter().find(|l| l["Keys"]["Artist"]["S"] == artist).cloned().unwrap();
    assert_eq!(by_key("Kept")["NewImage"]["v"], json!({"N": "2"}));
    assert_eq!(by_key("Kept")["OldImage"]["v"], json!({"N": "1"}));
    assert!(by_key("New").get("OldImage").is_none());
    assert!(by_key("Gone").get("NewImage").is_none());
    assert_eq!(by_key("Gone")["OldImage"]["Artist"], json!({"S": "Gone"}));
    assert!(by_key("Kept")["Metadata"]["WriteTimestampMicros"]["N"].is_string());
    assert_eq!(lines.len(), 3);
    // Shorter than 15 minutes: refused.
    let short =
        json!({"ExportFromTime": from as f64 / 1000.0, "ExportToTime": (from + 60_000) as f64 / 1000.0});
    let e = engine
        .handle_json("ExportTableToPointInTime", json!({"TableArn": ARN, "S3Bucket": "b1", "ExportType": "INCREMENTAL_EXPORT", "IncrementalExportSpecification": short}))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Validation);
}

#[test]
fn the_workspace_keeps_exports_imports_and_objects() {
    let mut engine = engine();
    put(&mut engine, rich("A", 1));
    let description = export(&mut engine, json!({}));
    let document = engine.export_snapshot();
    let mut back = Engine::import_workspace(&document).unwrap();
    assert_eq!(back.export_snapshot(), document);
    let arn = description["ExportArn"].as_str().unwrap();
    let again = back.handle_json("DescribeExport", json!({"ExportArn": arn})).unwrap();
    assert_eq!(again["ExportDescription"]["ExportManifest"], description["ExportManifest"]);
    assert_eq!(keys(&mut back, "exports", ""), keys(&mut engine, "exports", ""));
}

#[test]
fn the_object_store_is_bounded() {
    let mut engine = Engine::new();
    let big = dynaplay_engine::types::base64::encode(&vec![7u8; 20 << 20]);
    engine.handle_json("PlaygroundPutObject", json!({"Bucket": "big", "Key": "a", "Body": big})).unwrap();
    let e = engine
        .handle_json("PlaygroundPutObject", json!({"Bucket": "big", "Key": "b", "Body": big}))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::LimitExceeded);
    assert!(e.message.contains("object store"), "{}", e.message);
    // Replacing an object frees what it held.
    engine.handle_json("PlaygroundPutObject", json!({"Bucket": "big", "Key": "a", "Body": big})).unwrap();
    engine.handle_json("PlaygroundDeleteObject", json!({"Bucket": "big", "Key": "a"})).unwrap();
    engine.handle_json("PlaygroundPutObject", json!({"Bucket": "big", "Key": "b", "Body": big})).unwrap();
}
