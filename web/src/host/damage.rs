//! A stored workspace that could not be replayed in full: what the learner is told, and the
//! raw stored data they can download (to keep, or to send with a bug report).
//!
//! The restore stops at the first snapshot, record or entry it cannot read or replay and
//! keeps everything before it (`dynaplay_engine::journal::restore`). The host then sets the
//! raw stored data aside in IndexedDB and stores a snapshot of what was restored, so the tab
//! can go on writing without replaying the damaged entry again at every reload; the banner and
//! the download stay until the learner dismisses them or replaces the workspace.

use dynaplay_engine::journal::{ReplayFailure, Stored};
use serde_json::{json, Value};

/// The file name the raw stored data downloads as.
pub const STORED_DATA_FILE: &str = "dynaplay-stored-data.json";

/// A damaged store, as the tab knows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Damage {
    /// Which request (or record) failed and why, for the banner.
    pub description: String,
    /// The raw stored data ([`stored_data`]): JSON text.
    pub stored_data: String,
    /// Not yet set aside in IndexedDB: the journal still holds the damaged entry.
    pub fresh: bool,
}

/// What failed, for the learner: the position (saved change N, request M), the operation and
/// when it ran (`time` renders an engine time in ms), and the error.
pub fn describe(failure: &ReplayFailure, time: &dyn Fn(u64) -> String) -> String {
    match failure {
        ReplayFailure::Snapshot { error } => format!("the saved snapshot is not readable ({error})"),
        ReplayFailure::Record { record, error } => {
            format!("saved change {} is not readable ({error})", record + 1)
        }
        ReplayFailure::Entry { record, entry, operation, at_ms, error, .. } => format!(
            "{operation} (request {} of saved change {}, run at {}) failed when replayed: {}: {}",
            entry + 1,
            record + 1,
            time(*at_ms),
            error.kind.name(),
            error.message
        ),
    }
}

/// The failure as data, for the file.
fn failure_json(failure: &ReplayFailure) -> Value {
    match failure {
        ReplayFailure::Snapshot { error } => json!({"part": "snapshot", "error": error}),
        ReplayFailure::Record { record, error } => {
            json!({"part": "record", "record": record, "error": error})
        }
        ReplayFailure::Entry { record, entry, operation, at_ms, request, error } => json!({
            "part": "entry", "record": record, "entry": entry, "operation": operation,
            "engineTimeMs": at_ms, "request": request, "error": error.to_json(),
        }),
    }
}

/// Everything the store held, exactly as read, as one JSON document: the snapshot text and
/// every journal record's text (in commit order, 0-based as in `failure`), the side records
/// (triggers), and what failed. Records are kept as text, not decoded: a damaged one is
/// carried as it was stored.
pub fn stored_data(stored: &Stored, failure: &ReplayFailure, description: &str) -> String {
    json!({
        "dynaplayStoredData": 1,
        "problem": description,
        "failure": failure_json(failure),
        "format": stored.format,
        "snapshot": stored.snapshot,
        "journal": stored.records,
        "triggers": stored.side,
    })
    .to_string()
}

/// The description kept in data set aside earlier ([`stored_data`]).
pub fn description_of(stored_data: &str) -> String {
    serde_json::from_slice::<Value>(stored_data.as_bytes())
        .ok()
        .and_then(|v| v["problem"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "the saved workspace was damaged".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use dynaplay_engine::journal::restore;
    use dynaplay_engine::EngineConfig;

    #[test]
    fn a_failed_entry_is_named_and_every_stored_byte_is_in_the_file() {
        let create = r#"[["CreateTable",1000,{"TableName":"Tab","KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}]]"#;
        let bad = r#"[["PutItem",2000,{"TableName":"Nope","Item":{"k":{"S":"x"}}}]]"#;
        let after = r#"[["PutItem",3000,{"TableName":"Tab","Item":{"k":{"S":"y"}}}]]"#;
        let records = vec![create.to_owned(), bad.to_owned(), after.to_owned()];
        let restored = restore(None, &records, EngineConfig::default());
        let failure = restored.failure.expect("the second record fails");
        let text = describe(&failure, &|ms| format!("t={ms}"));
        assert_eq!(
            text.split(": Requested").next(),
            Some("PutItem (request 1 of saved change 2, run at t=2000) failed when replayed: ResourceNotFoundException")
        );
        let stored = Stored { format: Some(2), snapshot: None, records, side: vec!["trigger".into()] };
        let data = stored_data(&stored, &failure, &text);
        let v: Value = serde_json::from_str(&data).unwrap();
        assert_eq!(v["journal"][1], bad, "the damaged record, byte for byte");
        assert_eq!(v["journal"][2], after, "and what came after it");
        assert_eq!(v["failure"]["record"], 1);
        assert_eq!(v["failure"]["operation"], "PutItem");
        assert_eq!(v["triggers"][0], "trigger");
        assert_eq!(description_of(&data), text);
        assert_eq!(description_of("not json"), "the saved workspace was damaged");
    }

    #[test]
    fn unreadable_snapshots_and_records_are_named() {
        let t = |_| String::new();
        let s = describe(&ReplayFailure::Snapshot { error: "not JSON".into() }, &t);
        assert_eq!(s, "the saved snapshot is not readable (not JSON)");
        let r = describe(&ReplayFailure::Record { record: 4, error: "bad".into() }, &t);
        assert_eq!(r, "saved change 5 is not readable (bad)");
    }
}
