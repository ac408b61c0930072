//! Reading the golden cases, `tests/golden/<Operation>/<case>.json`, and the fixtures their
//! setups name (`tests/golden/_fixtures/<name>.json`). The case format is documented in
//! `tests/tests/golden.rs`, which runs them; the no-panic test mutates their requests.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Engine time every case starts at: 2026-01-01T00:00:00Z, so timestamps are stable.
pub const ENGINE_TIME_MS: u64 = 1_767_225_600_000;

/// `tests/golden`.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("golden")
}

/// One case file.
pub struct Case {
    /// The operation (the case's folder).
    pub operation: String,
    /// `<Operation>/<file name>`, for messages.
    pub name: String,
    /// The case, or why the file is not one (not JSON).
    pub case: Result<Value, String>,
}

/// Every case, folder by folder and file by file in name order.
pub fn cases() -> Vec<Case> {
    let mut folders: Vec<PathBuf> = fs::read_dir(dir())
        .expect("tests/golden exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('_')))
        .collect();
    folders.sort();
    let mut out = Vec::new();
    for folder in folders {
        let operation = folder.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let mut files: Vec<PathBuf> = fs::read_dir(&folder)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for file in files {
            let name = format!("{operation}/{}", file.file_name().unwrap_or_default().to_string_lossy());
            let text = fs::read_to_string(&file).unwrap_or_default();
            let case = parse(&text).map_err(|e| format!("not JSON: {e}"));
            out.push(Case { operation: operation.clone(), name, case });
        }
    }
    out
}

/// A case file's JSON. Some cases send values nested past serde_json's default depth (128),
/// as DynamoDB requests may be; the files are the project's own, so no limit is needed.
fn parse(text: &str) -> serde_json::Result<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let value = serde::Deserialize::deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// A case's `setup` as a list of steps, fixtures expanded in place.
pub fn steps(setup: &Value) -> Vec<Value> {
    let mut steps = Vec::new();
    for entry in setup.as_array().into_iter().flatten() {
        match entry {
            Value::String(name) => {
                let path = dir().join("_fixtures").join(format!("{name}.json"));
                let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let fixture: Value =
                    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                steps.extend(fixture.as_array().cloned().unwrap_or_default());
            }
            step => steps.push(step.clone()),
        }
    }
    steps
}
