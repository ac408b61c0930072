//! Lambda-style stream triggers, the platform-free part: a stream record (as GetRecords returns
//! it) as the record of a Lambda event, the order shards are read in (parents before their
//! children), when a held batch has expired, and what the worker's answer means. The worker and
//! the polling loop are `event_source.rs`, `registry.rs` and `js/trigger.js`.

use serde_json::{json, Map, Value};

/// The handler a new trigger starts with: the seed's stream handler, its code unchanged, with
/// the indentation the seed's text lost put back (two spaces a level).
pub const DEFAULT_HANDLER: &str = r#"exports.handler = async (event) => {
  for (const record of event.Records) {
    console.log("Stream Record:", JSON.stringify(record, null, 2));
    if (record.eventName === "INSERT") {
      const newItem = record.dynamodb.NewImage;
      console.log("New item added:", newItem);
    }
  }
  return `Successfully processed ${event.Records.length} records.`;
};
"#;

/// Records are kept 24 hours; a batch whose oldest record is older is dropped, as Lambda does.
pub const RETENTION_MS: u64 = 24 * 60 * 60 * 1000;

/// One stream record as a Lambda event record: the same members plus `eventSourceARN`, and
/// `userIdentity` spelled `{principalId, type}` (GetRecords spells it `{PrincipalId, Type}`).
pub fn lambda_record(record: &Value, stream_arn: &str) -> Value {
    let mut out = Map::new();
    for member in ["eventID", "eventName", "eventVersion", "eventSource", "awsRegion", "dynamodb"] {
        if let Some(v) = record.get(member) {
            out.insert(member.into(), v.clone());
        }
    }
    if let Some(identity) = record.get("userIdentity") {
        let principal = identity.get("PrincipalId").or_else(|| identity.get("principalId"));
        let kind = identity.get("Type").or_else(|| identity.get("type"));
        out.insert("userIdentity".into(), json!({"principalId": principal, "type": kind}));
    }
    out.insert("eventSourceARN".into(), json!(stream_arn));
    Value::Object(out)
}

/// The Lambda event for a batch of stream records.
pub fn lambda_event(records: &[Value], stream_arn: &str) -> Value {
    json!({ "Records": records.iter().map(|r| lambda_record(r, stream_arn)).collect::<Vec<_>>() })
}

/// The engine time (ms) a record was written, from `ApproximateCreationDateTime` (seconds).
pub fn record_time_ms(record: &Value) -> Option<u64> {
    let v = record.get("dynamodb")?.get("ApproximateCreationDateTime")?;
    v.as_f64().map(|s| (s * 1000.0) as u64)
}

/// A record's `SequenceNumber` (digits) as a sortable key: shorter is smaller, then by text.
fn sequence_key(record: &Value) -> (usize, &str) {
    let seq = record["dynamodb"]["SequenceNumber"].as_str().unwrap_or("");
    (seq.len(), seq)
}

/// Inserts `(shard, record)` into `records` (oldest first) by sequence number. Sequence numbers
/// grow with time across a stream's shards, so shards read one after another still list in the
/// order the changes happened.
pub fn insert_by_sequence(records: &mut Vec<(String, Value)>, shard: &str, record: Value) {
    let key = sequence_key(&record);
    let at = records.partition_point(|(_, r)| sequence_key(r) <= key);
    records.insert(at, (shard.to_string(), record));
}

/// A shard of DescribeStream: its id and its parent's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShardInfo {
    /// `ShardId`.
    pub id: String,
    /// `ParentShardId`, when the shard has one that is still listed.
    pub parent: Option<String>,
    /// The shard is closed (`EndingSequenceNumber` set).
    pub closed: bool,
}

/// The shards of one DescribeStream response: one page, for tests (the page and the poller read
/// every page through [`ShardListing`]).
#[cfg(test)]
pub fn shards_of(describe: &Value) -> Vec<ShardInfo> {
    shards_from(describe["StreamDescription"]["Shards"].as_array().map_or(&[], Vec::as_slice))
}

/// Shards from DescribeStream's `Shards` members (of every page, so a parent listed on an
/// earlier page than its child is still its parent).
pub fn shards_from(shards: &[Value]) -> Vec<ShardInfo> {
    let ids: Vec<&str> = shards.iter().filter_map(|s| s["ShardId"].as_str()).collect();
    shards
        .iter()
        .filter_map(|s| {
            let id = s["ShardId"].as_str()?.to_string();
            let parent = s["ParentShardId"].as_str().filter(|p| ids.contains(p)).map(String::from);
            let closed = s["SequenceNumberRange"].get("EndingSequenceNumber").is_some();
            Some(ShardInfo { id, parent, closed })
        })
        .collect()
}

/// Most DescribeStream pages one listing follows: a stream has at most a few thousand shards
/// (100 a page), so more means a describer that never ends its pages.
const MAX_PAGES: u32 = 1000;

/// Every shard of a stream, DescribeStream page by page: DynamoDB lists at most 100 shards a
/// call and names the last one in `LastEvaluatedShardId` when there are more, which the next
/// call passes as `ExclusiveStartShardId`. Used as
/// `while let Some(request) = listing.next_request(arn) { listing.add(&send(request)?) }`.
#[derive(Clone, Debug, Default)]
pub struct ShardListing {
    raw: Vec<Value>,
    start: Option<String>,
    pages: u32,
    done: bool,
    /// `StreamViewType` (from the first page).
    pub view_type: String,
}

impl ShardListing {
    /// The next DescribeStream request, or `None` once every page has been read.
    pub fn next_request(&self, arn: &str) -> Option<Value> {
        if self.done {
            return None;
        }
        let mut request = json!({ "StreamArn": arn });
        if let Some(start) = &self.start {
            request["ExclusiveStartShardId"] = json!(start);
        }
        Some(request)
    }

    /// Takes one page. A page that names no further shard — or names the one it started after,
    /// or comes after too many — ends the listing.
    pub fn add(&mut self, page: &Value) {
        let d = &page["StreamDescription"];
        if self.pages == 0 {
            self.view_type = d["StreamViewType"].as_str().unwrap_or("").to_string();
        }
        self.pages += 1;
        let shards = d["Shards"].as_array().map_or(&[][..], Vec::as_slice);
        self.raw.extend(shards.iter().cloned());
        let next = d["LastEvaluatedShardId"].as_str().map(String::from);
        self.done = next.is_none() || shards.is_empty() || next == self.start || self.pages >= MAX_PAGES;
        self.start = next;
    }

    /// Whether every page was read (only then may positions of unlisted shards be forgotten).
    pub fn complete(&self) -> bool {
        self.done && self.pages > 0
    }

    /// The shards of every page read.
    pub fn shards(&self) -> Vec<ShardInfo> {
        shards_from(&self.raw)
    }
}

/// Shards in reading order: every parent before its children (depth-first from the roots, in
/// the order DescribeStream lists them).
pub fn parents_first(shards: &[ShardInfo]) -> Vec<ShardInfo> {
    fn visit(shard: &ShardInfo, all: &[ShardInfo], out: &mut Vec<ShardInfo>) {
        if out.iter().any(|s| s.id == shard.id) {
            return;
        }
        out.push(shard.clone());
        for child in all.iter().filter(|c| c.parent.as_deref() == Some(shard.id.as_str())) {
            visit(child, all, out);
        }
    }
    let mut out = Vec::new();
    for root in shards.iter().filter(|s| s.parent.is_none()) {
        visit(root, shards, &mut out);
    }
    out
}

/// The shard tree as indented lines: `(depth, shard)`.
pub fn shard_tree(shards: &[ShardInfo]) -> Vec<(usize, ShardInfo)> {
    parents_first(shards)
        .into_iter()
        .map(|s| {
            let mut depth = 0;
            let mut parent = s.parent.clone();
            while let Some(p) = parent {
                depth += 1;
                parent = shards.iter().find(|x| x.id == p).and_then(|x| x.parent.clone());
                if depth > shards.len() {
                    break;
                }
            }
            (depth, s)
        })
        .collect()
}

/// Characters of one log line the page keeps (the sandbox cuts the handler's lines to the same
/// length, `static/sandbox.html`): a trigger's log holds at most [`MAX_LOG_LINES`] of them.
pub const LOG_LINE_CHARS: usize = 8192;

/// Log lines a trigger keeps, across invocations (the oldest go first).
pub const MAX_LOG_LINES: usize = 400;

/// `text` cut to its first `max` characters, with a marker saying how long it was.
pub fn clip_line(text: String, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text,
        Some((end, _)) => {
            let total = text.chars().count();
            format!("{} … [cut at {max} of {total} characters]", &text[..end])
        }
    }
}

/// What one invocation came to.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The handler returned: its return value as JSON text, cut for the log when long (the
    /// sandbox hands back at most the first 8 KiB of a larger result, and its size).
    Success(String),
    /// The handler threw or was rejected: the error's name and message.
    Failed(String),
    /// The handler ran past the timeout; the worker was terminated.
    TimedOut(u32),
    /// The worker posted something that is not an answer.
    Garbage(String),
}

/// Reads the worker's answer: `{ok: true, result}` (or, for a result longer than the log
/// shows, `{ok: true, resultShown, resultBytes}`) or `{ok: false, error: {name, message}}`;
/// anything else is garbage.
pub fn outcome_of(answer: &Value) -> Outcome {
    match answer.get("ok").and_then(Value::as_bool) {
        Some(true) => {
            let shown = answer.get("resultShown").and_then(Value::as_str);
            let text = match (shown, answer.get("resultBytes").and_then(Value::as_u64)) {
                (Some(shown), Some(bytes)) => {
                    let kept = clip_line(shown.to_string(), LOG_LINE_CHARS);
                    format!(
                        "{kept} … [the first {} characters of {bytes} bytes of JSON]",
                        kept.chars().count()
                    )
                }
                _ => clip_line(answer.get("result").unwrap_or(&Value::Null).to_string(), LOG_LINE_CHARS),
            };
            Outcome::Success(text)
        }
        Some(false) => {
            if let Some(ms) = answer.get("timedOut").and_then(Value::as_u64) {
                return Outcome::TimedOut(ms as u32);
            }
            let e = &answer["error"];
            let name = e["name"].as_str().unwrap_or("Error");
            let message = e["message"].as_str().unwrap_or("");
            if e.is_null() {
                return Outcome::Garbage(answer.to_string());
            }
            Outcome::Failed(format!("{name}: {message}"))
        }
        None => Outcome::Garbage(answer.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(seq: &str, identity: bool) -> Value {
        let mut r = json!({
            "eventID": "e1", "eventName": "REMOVE", "eventVersion": "1.1", "eventSource": "aws:dynamodb",
            "awsRegion": "us-east-1",
            "dynamodb": {"ApproximateCreationDateTime": 1_700_000_000, "Keys": {"pk": {"S": "a"}},
                          "SequenceNumber": seq, "SizeBytes": 5, "StreamViewType": "KEYS_ONLY"}
        });
        if identity {
            r["userIdentity"] = json!({"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"});
        }
        r
    }

    #[test]
    fn lambda_records_add_the_source_arn_and_lowercase_the_identity() {
        let l = lambda_record(&record("1", true), "arn:s");
        assert_eq!(l["eventSourceARN"], "arn:s");
        assert_eq!(l["userIdentity"], json!({"principalId": "dynamodb.amazonaws.com", "type": "Service"}));
        assert_eq!(l["dynamodb"]["SequenceNumber"], "1");
        let plain = lambda_record(&record("2", false), "arn:s");
        assert!(plain.get("userIdentity").is_none());
        assert_eq!(lambda_event(&[record("1", false)], "a")["Records"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn records_list_in_sequence_order_whatever_shard_was_read_first() {
        let mut records = Vec::new();
        for (shard, seq) in [
            ("b", "100000000000000000003"),
            ("b", "100000000000000000010"),
            ("a", "100000000000000000001"),
            ("a", "100000000000000000004"),
            ("c", "99"),
        ] {
            insert_by_sequence(&mut records, shard, record(seq, false));
        }
        let order: Vec<&str> =
            records.iter().map(|(_, r)| r["dynamodb"]["SequenceNumber"].as_str().unwrap()).collect();
        assert_eq!(
            order,
            [
                "99",
                "100000000000000000001",
                "100000000000000000003",
                "100000000000000000004",
                "100000000000000000010"
            ]
        );
        assert_eq!(records[1].0, "a");
    }

    #[test]
    fn batches_expire_after_24_hours_or_at_their_maximum_record_age() {
        use crate::triggers::error_handling::ErrorHandling;
        let r = [record("1", false)];
        let written = 1_700_000_000_000;
        let retention = ErrorHandling::default();
        assert!(!retention.too_old(&r, written + RETENTION_MS));
        assert!(retention.too_old(&r, written + RETENTION_MS + 1));
        let minute = ErrorHandling { maximum_record_age_s: 60, ..ErrorHandling::default() };
        assert!(!minute.too_old(&r, written + 60_000));
        assert!(minute.too_old(&r, written + 60_001));
    }

    #[test]
    fn parents_come_before_children() {
        let describe = json!({"StreamDescription": {"Shards": [
            {"ShardId": "c1", "ParentShardId": "p", "SequenceNumberRange": {"StartingSequenceNumber": "5"}},
            {"ShardId": "p", "SequenceNumberRange": {"StartingSequenceNumber": "1", "EndingSequenceNumber": "4"}},
            {"ShardId": "c2", "ParentShardId": "p", "SequenceNumberRange": {"StartingSequenceNumber": "6"}},
            {"ShardId": "o", "ParentShardId": "trimmed-away", "SequenceNumberRange": {"StartingSequenceNumber": "1"}},
        ]}});
        let shards = shards_of(&describe);
        assert!(shards[1].closed && !shards[0].closed);
        let order: Vec<_> = parents_first(&shards).into_iter().map(|s| s.id).collect();
        assert_eq!(order, ["p", "c1", "c2", "o"]);
        let depths: Vec<_> = shard_tree(&shards).into_iter().map(|(d, _)| d).collect();
        assert_eq!(depths, [0, 1, 1, 0]);
    }

    #[test]
    fn answers() {
        assert_eq!(outcome_of(&json!({"ok": true, "result": "done"})), Outcome::Success("\"done\"".into()));
        assert_eq!(outcome_of(&json!({"ok": true})), Outcome::Success("null".into()));
        assert_eq!(
            outcome_of(&json!({"ok": false, "error": {"name": "Error", "message": "boom"}})),
            Outcome::Failed("Error: boom".into())
        );
        assert_eq!(outcome_of(&json!({"ok": false, "timedOut": 3000})), Outcome::TimedOut(3000));
        assert!(matches!(outcome_of(&json!(42)), Outcome::Garbage(_)));
        assert!(matches!(outcome_of(&json!({"ok": false})), Outcome::Garbage(_)));
    }

    #[test]
    fn long_lines_are_cut_with_a_marker_on_a_character_boundary() {
        assert_eq!(clip_line("short".into(), 8), "short");
        assert_eq!(clip_line("exactly8".into(), 8), "exactly8");
        assert_eq!(clip_line("éééééé".into(), 3), "ééé … [cut at 3 of 6 characters]");
        let long = clip_line("x".repeat(100_000), LOG_LINE_CHARS);
        assert!(
            long.starts_with(&"x".repeat(LOG_LINE_CHARS))
                && long.ends_with("[cut at 8192 of 100000 characters]"),
            "{}",
            &long[8000..]
        );
    }

    #[test]
    fn a_big_result_shows_its_first_characters_and_its_size() {
        let answer = json!({"ok": true, "resultShown": format!("\"{}", "y".repeat(LOG_LINE_CHARS - 1)), "resultBytes": 157_286_402_u64});
        let Outcome::Success(text) = outcome_of(&answer) else { panic!("a success") };
        assert!(
            text.ends_with("… [the first 8192 characters of 157286402 bytes of JSON]"),
            "{}",
            &text[8000..]
        );
        assert!(text.chars().count() < LOG_LINE_CHARS + 100);
        // A long `result` (an older sandbox, or one that did not cut it) is cut here.
        let Outcome::Success(text) = outcome_of(&json!({"ok": true, "result": "z".repeat(50_000)})) else {
            panic!("a success")
        };
        assert!(text.ends_with("[cut at 8192 of 50002 characters]"), "{}", &text[8000..]);
    }
}
