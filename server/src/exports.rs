//! The exports directory: the engine's object store (where ExportTableToPointInTime writes and
//! ImportTable reads, `engine/src/backups/objects.rs`) mirrored as files, so that a user sees
//! an export on disk and can import files put there by hand — say a real DynamoDB export
//! copied from S3.
//!
//! - `<dir>/<bucket>/<key>`: an object. After an export succeeds its files are written there
//!   (`<dir>/<bucket>/<prefix>/AWSDynamoDB/<ExportId>/...`).
//! - Before ImportTable runs, every file under `<dir>/<S3Bucket>/` whose key starts with the
//!   request's `S3KeyPrefix` and that the store does not hold as it is, is put into the store
//!   with `PlaygroundPutObject` — a journaled request like any other, so a data directory's
//!   replay imports exactly what was imported.

use std::path::{Component, Path, PathBuf};

use dynaplay_engine::types::base64;
use dynaplay_engine::Engine;
use serde_json::{json, Value};

/// Where the object store is mirrored (`--exports-dir`, or `<data dir>/exports`).
pub struct ExportsDir {
    root: PathBuf,
}

/// The file of an object, when its bucket and key name one inside the directory.
fn file_of(root: &Path, bucket: &str, key: &str) -> Option<PathBuf> {
    let relative = Path::new(bucket).join(key);
    relative.components().all(|c| matches!(c, Component::Normal(_))).then(|| root.join(relative))
}

/// Every file under `dir`, as keys relative to `base` (`/`-separated), in no set order.
fn keys_under(base: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            keys_under(base, &path, out);
        } else if let Ok(relative) = path.strip_prefix(base) {
            let parts: Vec<String> =
                relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            out.push(parts.join("/"));
        }
    }
}

impl ExportsDir {
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    /// Writes the files of the export ExportTableToPointInTime just answered with `answer`.
    pub fn write_export(&self, engine: &mut Engine, answer: &str) {
        let Ok(answer) = serde_json::from_slice::<Value>(answer.as_bytes()) else { return };
        let d = &answer["ExportDescription"];
        let (Some(bucket), Some(manifest)) = (d["S3Bucket"].as_str(), d["ExportManifest"].as_str()) else {
            return;
        };
        let prefix = manifest.trim_end_matches("manifest-summary.json");
        let Ok(listed) =
            engine.handle_json("PlaygroundListObjects", json!({"Bucket": bucket, "Prefix": prefix}))
        else {
            return;
        };
        for object in listed["Objects"].as_array().into_iter().flatten() {
            let Some(key) = object["Key"].as_str() else { continue };
            let got = engine.handle_json("PlaygroundGetObject", json!({"Bucket": bucket, "Key": key}));
            let body = got.ok().and_then(|g| base64::decode(g["Body"].as_str()?));
            let (Some(body), Some(path)) = (body, file_of(&self.root, bucket, key)) else { continue };
            let written = path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&path, body));
            if let Err(e) = written {
                eprintln!("dynaplay-server: WARNING: could not write {}: {e}", path.display());
            }
        }
    }

    /// The PlaygroundPutObject requests that bring the files an ImportTable `request` reads into
    /// the engine's store (those it does not hold as they are).
    pub fn import_puts(&self, engine: &mut Engine, request: &[u8]) -> Vec<Vec<u8>> {
        let Ok(request) = serde_json::from_slice::<Value>(request) else { return Vec::new() };
        let source = &request["S3BucketSource"];
        let Some(bucket) = source["S3Bucket"].as_str() else { return Vec::new() };
        let prefix = source["S3KeyPrefix"].as_str().unwrap_or_default();
        let Some(base) = file_of(&self.root, bucket, "") else { return Vec::new() };
        let mut keys = Vec::new();
        keys_under(&base, &base, &mut keys);
        dynaplay_engine::types::sort_by(&mut keys, |a, b| a.cmp(b));
        let mut puts = Vec::new();
        for key in keys.into_iter().filter(|k| k.starts_with(prefix)) {
            let Ok(body) = std::fs::read(base.join(&key)) else { continue };
            let held = engine.handle_json("PlaygroundGetObject", json!({"Bucket": bucket, "Key": key}));
            let encoded = base64::encode(&body);
            if held.ok().is_some_and(|h| h["Body"].as_str() == Some(encoded.as_str())) {
                continue;
            }
            puts.push(json!({"Bucket": bucket, "Key": key, "Body": encoded}).to_string().into_bytes());
        }
        puts
    }
}
