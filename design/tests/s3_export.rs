//! A table's items as DynamoDB's S3 export files, in a zip: read back with the `zip` crate and
//! flate2's gzip reader, checked against the documented layout and manifests, and loaded the way
//! ImportTable reads DynamoDB JSON (one `{"Item": …}` per line) into a table made from the same
//! design — every item must come back as it was.

// Test code never ships: the bundle rules (clippy.toml) do not bind it.
#![allow(clippy::disallowed_methods)]

use std::io::Read;

use dynaplay_design::s3_export::{files, gzip, json_lines, ExportTarget};
use dynaplay_design::{samples, zip};
use dynaplay_engine::Engine;
use md5::{Digest, Md5};
use serde_json::{json, Value};

fn target(prefix: &str) -> ExportTarget {
    ExportTarget {
        bucket: "my-bucket".into(),
        prefix: prefix.into(),
        table_arn: "arn:aws:dynamodb:us-east-1:000000000000:table/Music".into(),
        table_id: "0b2ad5a8-1f35-4e9c-8c0a-1d2e3f4a5b6c".into(),
        table_size_bytes: 1234,
        now_ms: 1_767_225_600_123,
    }
}

fn many_items(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            json!({"Artist": {"S": format!("artist-{}", i % 7)}, "SongTitle": {"S": format!("song \"{i}\"\n")},
                   "Year": {"N": (1950 + i % 70).to_string()}, "Blob": {"B": "AAEC"}, "Tags": {"SS": ["a", "b"]}})
        })
        .collect()
}

fn unzip(bytes: Vec<u8>) -> Vec<(String, Vec<u8>)> {
    let mut archive = ::zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            (file.name().to_owned(), data)
        })
        .collect()
}

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut text).unwrap();
    text
}

#[test]
fn the_files_are_laid_out_and_described_as_dynamodb_writes_them() {
    let items = many_items(300);
    let archive = zip::archive(&files(&target("exports/2026/"), &items), 1_767_225_600_123).unwrap();
    let entries = unzip(archive);
    let paths: Vec<&str> = entries.iter().map(|(p, _)| p.as_str()).collect();
    let root = paths[0].strip_suffix("/_started").unwrap();
    let export_id = root.strip_prefix("exports/2026/AWSDynamoDB/").unwrap();
    let (millis, hex) = export_id.split_once('-').unwrap();
    assert_eq!(millis, "01767225600123");
    assert!(hex.len() == 8 && hex.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    let data_path = paths[1];
    let data_name =
        data_path.strip_prefix(&format!("{root}/data/")).unwrap().strip_suffix(".json.gz").unwrap();
    assert_eq!(data_name.len(), 26);
    assert!(data_name.chars().all(|c| c.is_ascii_lowercase() || ('2'..='7').contains(&c)));
    assert_eq!(&paths[2..], [format!("{root}/manifest-files.json"), format!("{root}/manifest-summary.json")]);
    assert!(entries[0].1.is_empty(), "_started is empty");

    let data = &entries[1].1;
    let manifest_files = std::str::from_utf8(&entries[2].1).unwrap();
    assert_eq!(manifest_files.lines().count(), 1);
    let line: Value = serde_json::from_slice(manifest_files.trim_end().as_bytes()).unwrap();
    assert_eq!(line["itemCount"], 300);
    assert_eq!(line["dataFileS3Key"], data_path);
    let digest = Md5::digest(data);
    assert_eq!(line["md5Checksum"], dynaplay_engine::types::base64::encode(&digest));
    let etag = line["etag"].as_str().unwrap();
    assert!(etag.ends_with("-1") && etag.len() == 34, "{etag}");

    let summary: Value = serde_json::from_slice(&entries[3].1).unwrap();
    assert_eq!(summary["version"], "2020-06-30");
    assert_eq!(summary["outputFormat"], "DYNAMODB_JSON");
    assert_eq!(summary["itemCount"], 300);
    assert_eq!(summary["s3Bucket"], "my-bucket");
    assert_eq!(summary["s3Prefix"], "exports/2026");
    assert_eq!(summary["tableArn"], "arn:aws:dynamodb:us-east-1:000000000000:table/Music");
    assert_eq!(
        summary["exportArn"],
        format!("arn:aws:dynamodb:us-east-1:000000000000:table/Music/export/{export_id}")
    );
    assert_eq!(summary["manifestFilesS3Key"], paths[2]);
    assert_eq!(summary["exportTime"], "2026-01-01T00:00:00.123Z");
    assert_eq!(summary["billedSizeBytes"], 1234);

    // The data: gzip JSON lines, one {"Item": …} each, in order.
    let text = gunzip(data);
    assert!(text.ends_with('\n'));
    for (line, item) in text.lines().zip(&items) {
        let value: Value = serde_json::from_slice(line.as_bytes()).unwrap();
        assert_eq!(value, json!({ "Item": item }));
    }
    assert_eq!(text.lines().count(), 300);
}

#[test]
fn no_prefix_means_keys_from_the_bucket_root() {
    let files = files(&target(""), &[]);
    assert!(files[0].path.starts_with("AWSDynamoDB/"));
    let summary: Value = serde_json::from_slice(&files[3].bytes).unwrap();
    assert_eq!(summary["s3Prefix"], Value::Null);
    assert_eq!(summary["itemCount"], 0);
    assert_eq!(gunzip(&files[1].bytes), "", "an empty table's data file is an empty gzip");
}

#[test]
fn every_sample_table_comes_back_item_for_item_through_import() {
    let mut source = Engine::new();
    samples::build(&mut source).unwrap();
    for sample in samples::all() {
        let design = samples::describe(&mut source, sample.table).unwrap();
        let scanned = source.handle_json("Scan", json!({"TableName": sample.table})).unwrap();
        let items = scanned["Items"].as_array().unwrap().clone();
        assert_eq!(items.len(), sample.items.len());
        let archive = zip::archive(&files(&target("p"), &items), 0).unwrap();
        let data = unzip(archive).into_iter().find(|(p, _)| p.ends_with(".json.gz")).unwrap().1;

        // ImportTable's side: a new table of the same design, then every line's Item.
        let mut imported = Engine::new();
        let template: Value =
            serde_json::from_slice(dynaplay_design::cloudformation::json(&design).as_bytes()).unwrap();
        let mut create =
            template["Resources"].as_object().unwrap().values().next().unwrap()["Properties"].clone();
        for member in ["TimeToLiveSpecification", "PointInTimeRecoverySpecification", "StreamSpecification"] {
            create.as_object_mut().unwrap().remove(member);
        }
        imported.handle_json("CreateTable", create).unwrap();
        for line in gunzip(&data).lines() {
            let mut value: Value = serde_json::from_slice(line.as_bytes()).unwrap();
            let object = value.as_object_mut().unwrap();
            assert_eq!(object.len(), 1, "a line holds Item alone");
            let item = object.remove("Item").unwrap();
            imported.handle_json("PutItem", json!({"TableName": sample.table, "Item": item})).unwrap();
        }
        let back = imported.handle_json("Scan", json!({"TableName": sample.table})).unwrap();
        assert_eq!(back["Items"], Value::Array(items), "{}", sample.table);
    }
}

#[test]
fn gzip_and_json_lines_are_what_standard_readers_read() {
    let lines = json_lines(&[json!({"k": {"S": "ä\n"}})]);
    assert_eq!(lines, b"{\"Item\":{\"k\":{\"S\":\"\xc3\xa4\\n\"}}}\n");
    assert_eq!(gunzip(&gzip(&lines)).as_bytes(), lines.as_slice());
}

#[test]
fn table_creation_parameters_are_a_create_table_for_the_imported_table() {
    let mut source = Engine::new();
    samples::build(&mut source).unwrap();
    let music = samples::describe(&mut source, "Music").unwrap();
    let parameters: Value =
        serde_json::from_slice(dynaplay_design::s3_export::table_creation_parameters(&music).as_bytes())
            .unwrap();
    let members: Vec<&str> = parameters.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        members,
        [
            "AttributeDefinitions",
            "BillingMode",
            "GlobalSecondaryIndexes",
            "KeySchema",
            "ProvisionedThroughput",
            "TableName"
        ]
    );
    let names: Vec<&str> = parameters["AttributeDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["AttributeName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Artist", "SongTitle", "Album", "Genre", "Year"], "Released is only an LSI's key");
    // It creates a table on the engine as it stands.
    let mut fresh = Engine::new();
    fresh.handle_json("CreateTable", parameters).unwrap();
    let back = samples::describe(&mut fresh, "Music").unwrap();
    assert_eq!(
        (back.key, back.billing, back.global_indexes),
        (music.key, music.billing, music.global_indexes)
    );
}
