//! A Lambda event source mapping on a table's stream, free of any browser API: what a trigger
//! is (its settings and its position in every shard), how it is stored, and the polling itself
//! — written once against a small [`Runtime`] (send a request, invoke the handler, sleep, save,
//! spawn), which the page implements with the host and Web Workers (`registry.rs`)
//! and the unit tests with an engine and a simulated clock.
//!
//! As Lambda does for DynamoDB Streams: the shards are listed with DescribeStream (every page);
//! each shard is read by its own task — one invocation at a time per shard, in order, while the
//! shards run concurrently — and a child shard starts only once its parent has been read to its
//! end. A failing batch is retried with backoff and holds only its own shard, as the mapping's
//! error handling says (`error_handling.rs`): until it succeeds, its retries are used up
//! (`MaximumRetryAttempts`) or its oldest record is too old (`MaximumRecordAgeInSeconds`, by
//! default the 24-hour retention) — then it is discarded, its invocation record sent to the
//! on-failure destination if there is one, and the shard goes on; with
//! `BisectBatchOnFunctionError` a failing batch is split in two and each half retried first.
//! After every batch the shard's position (the last processed sequence number) is saved, and
//! only then is the next batch read, so a reload resumes exactly after the last processed record.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use serde_json::{json, Map, Value};

use crate::triggers::error_handling::{self, Condition, Discard, ErrorHandling};
use crate::triggers::lambda::{self, Outcome, ShardListing};

/// A boxed future of the page's single thread.
pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// How often a shard's reader polls for new records, and the coordinator for new shards.
pub const POLL_MS: u32 = 500;
/// Records read per GetRecords call when resolving a LATEST starting position.
const RESOLVE_PAGE: u32 = 1000;

/// A trigger's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TriggerConfig {
    /// The handler's source.
    pub code: String,
    /// Most records per invocation (GetRecords `Limit`).
    pub batch_size: u32,
    /// `TRIM_HORIZON` or `LATEST`.
    pub starting_position: String,
    /// Invocation timeout.
    pub timeout_ms: u32,
    /// What happens to a batch the handler fails on.
    pub error_handling: ErrorHandling,
}

impl TriggerConfig {
    /// The settings under the names of the stored form (`Mapping::to_json`): `Code`,
    /// `BatchSize`, `StartingPosition`, `TimeoutMs` and the error handling's.
    pub fn to_json(&self) -> Value {
        let mut out = json!({
            "Code": self.code,
            "BatchSize": self.batch_size,
            "StartingPosition": self.starting_position,
            "TimeoutMs": self.timeout_ms,
        });
        self.error_handling.store(&mut out);
        out
    }

    /// Reads [`TriggerConfig::to_json`]'s form back; `None` if a member is missing or out of
    /// range.
    pub fn from_json(v: &Value) -> Option<Self> {
        let position = v["StartingPosition"].as_str().filter(|p| *p == "LATEST" || *p == "TRIM_HORIZON")?;
        Some(TriggerConfig {
            code: v["Code"].as_str()?.to_string(),
            batch_size: u32::try_from(v["BatchSize"].as_u64()?).ok().filter(|b| (1..=10_000).contains(b))?,
            starting_position: position.to_string(),
            timeout_ms: u32::try_from(v["TimeoutMs"].as_u64()?).ok()?,
            error_handling: ErrorHandling::load(v)?,
        })
    }
}

/// Where a trigger is in one shard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Position {
    /// Nothing processed yet: read from the oldest record.
    TrimHorizon,
    /// The trigger started at LATEST and the shard's end has not been resolved yet.
    Latest,
    /// Every record up to this sequence number is processed.
    After(String),
    /// The shard is closed and every record in it is processed: its children may start.
    Done,
}

impl Position {
    fn text(&self) -> &str {
        match self {
            Self::TrimHorizon => "TRIM_HORIZON",
            Self::Latest => "LATEST",
            Self::After(seq) => seq,
            Self::Done => "DONE",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "TRIM_HORIZON" => Self::TrimHorizon,
            "LATEST" => Self::Latest,
            "DONE" => Self::Done,
            seq if !seq.is_empty() && seq.bytes().all(|b| b.is_ascii_digit()) => Self::After(seq.into()),
            _ => return None,
        })
    }
}

/// A small map from shard id to `V`, in insertion order. A Vec, not a BTreeMap: a trigger
/// holds tens to a few hundred shards, and every BTreeMap instance costs the bundle kilobytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShardMap<V>(Vec<(String, V)>);

impl<V> Default for ShardMap<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<V> ShardMap<V> {
    /// The value for `shard`.
    pub fn get(&self, shard: &str) -> Option<&V> {
        self.0.iter().find(|(id, _)| id == shard).map(|(_, v)| v)
    }

    /// Sets the value for `shard`.
    pub fn insert(&mut self, shard: String, value: V) {
        match self.0.iter_mut().find(|(id, _)| *id == shard) {
            Some(entry) => entry.1 = value,
            None => self.0.push((shard, value)),
        }
    }

    /// Removes `shard`.
    pub fn remove(&mut self, shard: &str) {
        self.0.retain(|(id, _)| id != shard);
    }

    /// Keeps the shards `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        self.0.retain(|(id, _)| keep(id));
    }

    /// Number of shards.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Forgets every shard.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// `(shard, value)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.0.iter().map(|(id, v)| (id, v))
    }

    /// The shard ids.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(id, _)| id)
    }

    /// The values.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }
}

/// A trigger as it is kept: settings, the stream it reads, its position per shard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    /// The settings.
    pub config: TriggerConfig,
    /// The stream the positions belong to (`None` until the first poll found one).
    pub stream_arn: Option<String>,
    /// Position per shard; a shard not listed here is read from its oldest record.
    pub positions: ShardMap<Position>,
}

impl Mapping {
    /// A newly attached trigger.
    pub fn new(config: TriggerConfig) -> Self {
        Self { config, stream_arn: None, positions: ShardMap::default() }
    }

    /// The stored form (the value of the `triggers` store, key = table name):
    /// `{"TableName", "Code", "BatchSize", "StartingPosition", "TimeoutMs",
    /// "MaximumRetryAttempts", "MaximumRecordAgeInSeconds", "BisectBatchOnFunctionError",
    /// "DestinationConfig": {"OnFailure": {"Destination"?}}, "StreamArn",
    /// "Positions": {shard id: "TRIM_HORIZON" | "LATEST" | "DONE" | last processed sequence number}}`.
    pub fn to_json(&self, table: &str) -> String {
        let mut positions = Map::new();
        for (id, p) in self.positions.iter() {
            positions.insert(id.clone(), json!(p.text()));
        }
        let mut stored = self.config.to_json();
        stored["TableName"] = json!(table);
        stored["StreamArn"] = json!(self.stream_arn);
        stored["Positions"] = Value::Object(positions);
        stored.to_string()
    }

    /// Reads the stored form back: `(table, mapping)`, or `None` if it is not one.
    pub fn from_json(text: &str) -> Option<(String, Self)> {
        let v: Value = serde_json::from_slice(text.as_bytes()).ok()?;
        let table = v["TableName"].as_str()?.to_string();
        let config = TriggerConfig::from_json(&v)?;
        let mut positions = ShardMap::default();
        for (id, p) in v["Positions"].as_object().into_iter().flatten() {
            if let Some(p) = p.as_str().and_then(Position::parse) {
                positions.insert(id.clone(), p);
            }
        }
        Some((table, Self { config, stream_arn: v["StreamArn"].as_str().map(String::from), positions }))
    }
}

/// What the polling needs from its surroundings.
pub trait Runtime {
    /// Runs a request on the engine.
    fn send(&self, operation: &'static str, request: Value) -> LocalFuture<'_, Result<Value, Value>>;
    /// Invokes the handler with the event (JSON text) and resolves with the worker's answer:
    /// `{ok, result | error | timedOut, logs}` or anything else it posted.
    fn invoke(&self, code: String, event: String, timeout_ms: u32) -> LocalFuture<'_, Value>;
    /// Waits.
    fn sleep(&self, ms: u32) -> LocalFuture<'_, ()>;
    /// Milliseconds since the epoch (the engine's clock).
    fn now_ms(&self) -> u64;
    /// Runs a task concurrently.
    fn spawn(&self, task: LocalFuture<'static, ()>);
    /// Makes the mapping durable (where the workspace is); resolves once it is.
    fn save(&self, mapping: &Mapping) -> LocalFuture<'_, ()>;
    /// Whether this trigger is still attached (false stops every task at its next step).
    fn alive(&self) -> bool;
    /// A line for the trigger's log (`system`, `error`, or the handler's console level).
    fn log(&self, level: &str, text: String);
    /// The trigger's status line and whether it shows as an error.
    fn status(&self, text: String, failing: bool);
    /// One invocation finished.
    fn invoked(&self, ok: bool);
    /// A discarded batch reached the on-failure destination: a line about it
    /// ([`error_handling::describe`]), its invocation record (JSON text,
    /// [`error_handling::invocation_record`]) and the error of its last invocation.
    fn discarded(&self, summary: String, record: String, error: String);
}

/// State shared by the coordinator and the shard readers of one trigger.
struct Shared {
    mapping: Rc<RefCell<Mapping>>,
    /// Shards whose reader is running.
    running: ShardMap<()>,
    /// Shards held by a failing batch: retries used and when the next one starts.
    failing: ShardMap<(u32, u64)>,
    invocation: u64,
}

type SharedRef = Rc<RefCell<Shared>>;

fn error_text(e: &Value) -> String {
    let kind = e["__type"].as_str().unwrap_or("Error");
    let kind = kind.rsplit('#').next().unwrap_or(kind);
    format!("{kind}: {}", e["message"].as_str().or(e["Message"].as_str()).unwrap_or(""))
}

fn is_error(e: &Value, kind: &str) -> bool {
    e["__type"].as_str().is_some_and(|t| t.ends_with(kind))
}

/// A shard id's distinctive tail (`shardId-…-046f0a73` → `…046f0a73`), for logs and status.
pub fn short_shard(id: &str) -> String {
    id.rsplit('-').next().map_or_else(|| id.to_string(), |tail| format!("…{tail}"))
}

/// Polls the stream of `table` for as long as the trigger is attached: lists the shards, starts
/// a reader for every shard that may be read, and keeps the status line current.
pub async fn run(rt: Rc<dyn Runtime>, table: String, mapping: Rc<RefCell<Mapping>>) {
    let shared = Rc::new(RefCell::new(Shared {
        mapping,
        running: ShardMap::default(),
        failing: ShardMap::default(),
        invocation: 0,
    }));
    while rt.alive() {
        if let Some(wait) = poll_once(&rt, &table, &shared).await {
            rt.sleep(wait).await;
        }
    }
}

/// One round of the coordinator; the wait before the next.
async fn poll_once(rt: &Rc<dyn Runtime>, table: &str, shared: &SharedRef) -> Option<u32> {
    let arn = match rt.send("DescribeTable", json!({ "TableName": table })).await {
        Ok(d) if d["Table"]["StreamSpecification"]["StreamEnabled"] == json!(true) => {
            d["Table"]["LatestStreamArn"].as_str().map(String::from)
        }
        Ok(_) => None,
        Err(e) => {
            rt.status(format!("cannot read the table: {}", error_text(&e)), true);
            return Some(2000);
        }
    };
    let Some(arn) = arn else {
        rt.status("waiting: the table has no stream (enable one above)".into(), true);
        return Some(1000);
    };
    let mut listing = ShardListing::default();
    while let Some(request) = listing.next_request(&arn) {
        match rt.send("DescribeStream", request).await {
            Ok(page) => listing.add(&page),
            Err(e) => {
                rt.status(format!("DescribeStream failed: {}", error_text(&e)), true);
                return Some(2000);
            }
        }
    }
    if !rt.alive() {
        return None;
    }
    let listed = listing.shards();
    let mapping = shared.borrow().mapping.clone();
    // (No logging while the mapping is borrowed: a log line re-renders the panel, which reads it.)
    let mut replaced = None;
    let changed = {
        let mut m = mapping.borrow_mut();
        let mut changed = false;
        if m.stream_arn.as_deref() != Some(arn.as_str()) {
            match m.stream_arn.take() {
                // A new stream (disabled and enabled again): everything in it was written after
                // the trigger was attached, so it is read from its start.
                Some(old) => {
                    m.positions.clear();
                    replaced = Some(old);
                }
                // LATEST is where each shard ends now; the readers resolve it to a sequence
                // number before anything else, so it survives a reload.
                None if m.config.starting_position == "LATEST" => {
                    for shard in &listed {
                        m.positions.insert(shard.id.clone(), Position::Latest);
                    }
                }
                None => {}
            }
            m.stream_arn = Some(arn.clone());
            changed = true;
        }
        if listing.complete() {
            // Shards trimmed away (24 hours after they closed) need no position any more.
            let before = m.positions.len();
            m.positions.retain(|id| listed.iter().any(|s| s.id == id));
            changed |= m.positions.len() != before;
        }
        changed
    };
    if let Some(old) = replaced {
        rt.log(
            "system",
            format!(
                "The table's stream changed ({old} → {arn}): reading the new stream from its oldest record"
            ),
        );
    }
    if changed {
        let snapshot = mapping.borrow().clone();
        rt.save(&snapshot).await;
    }
    for shard in lambda::parents_first(&listed) {
        let position = mapping.borrow().positions.get(&shard.id).cloned();
        if position == Some(Position::Done) || shared.borrow().running.get(&shard.id).is_some() {
            continue;
        }
        // Parents first: a child waits until its parent (when still listed) is read to its end.
        if let Some(parent) = &shard.parent {
            if mapping.borrow().positions.get(parent) != Some(&Position::Done) {
                continue;
            }
        }
        shared.borrow_mut().running.insert(shard.id.clone(), ());
        rt.spawn(Box::pin(read_shard(rt.clone(), shared.clone(), arn.clone(), shard.id)));
    }
    rt.status(status_text(rt.now_ms(), listed.len(), &shared.borrow()), !shared.borrow().failing.is_empty());
    Some(POLL_MS)
}

fn status_text(now: u64, shards: usize, shared: &Shared) -> String {
    let reading = shared.running.len();
    if shared.failing.is_empty() {
        return format!("polling {shards} shard(s), {reading} being read");
    }
    let max = shared.mapping.borrow().config.error_handling.maximum_retry_attempts;
    let of = if max < 0 { String::new() } else { format!(" of {max}") };
    let mut parts: Vec<String> = shared
        .failing
        .iter()
        .take(3)
        .map(|(id, (retry, at))| {
            let wait = at.saturating_sub(now).div_ceil(1000);
            format!("{}: batch failing, retry {retry}{of} in {wait} s", short_shard(id))
        })
        .collect();
    if shared.failing.len() > 3 {
        parts.push(format!("and {} more", shared.failing.len() - 3));
    }
    format!(
        "{} — the shard waits for it, the others go on ({reading} of {shards} shard(s) being read)",
        parts.join("; ")
    )
}

fn position_of(shared: &SharedRef, shard: &str) -> Position {
    let mapping = shared.borrow().mapping.clone();
    let p = mapping.borrow().positions.get(shard).cloned();
    p.unwrap_or(Position::TrimHorizon)
}

/// Sets the shard's position and saves the mapping (waits until it is durable).
async fn checkpoint(rt: &Rc<dyn Runtime>, shared: &SharedRef, shard: &str, position: Position) {
    let mapping = shared.borrow().mapping.clone();
    mapping.borrow_mut().positions.insert(shard.to_string(), position);
    let snapshot = mapping.borrow().clone();
    if rt.alive() {
        rt.save(&snapshot).await;
    }
}

/// The engine's clock (records are stamped with it, and the learner can move it on), or the
/// page's when it cannot be read.
async fn engine_now(rt: &Rc<dyn Runtime>) -> u64 {
    match rt.send("PlaygroundDescribeTime", json!({})).await {
        Ok(t) => t["Now"].as_u64().unwrap_or_else(|| rt.now_ms()),
        Err(_) => rt.now_ms(),
    }
}

/// Whether the mapping still reads `arn` (a new stream stops the old stream's readers).
fn reads(rt: &Rc<dyn Runtime>, shared: &SharedRef, arn: &str) -> bool {
    rt.alive() && shared.borrow().mapping.borrow().stream_arn.as_deref() == Some(arn)
}

/// One shard's reader: batches in order, one invocation at a time, until the shard is closed
/// and read to its end (or the trigger is detached).
async fn read_shard(rt: Rc<dyn Runtime>, shared: SharedRef, arn: String, shard: String) {
    let mut iterator: Option<String> = None;
    while reads(&rt, &shared, &arn) {
        let wait = read_step(&rt, &shared, &arn, &shard, &mut iterator).await;
        match wait {
            Step::Again => {}
            Step::Wait(ms) => rt.sleep(ms).await,
            Step::Finished => break,
        }
    }
    let mut s = shared.borrow_mut();
    s.running.remove(&shard);
    s.failing.remove(&shard);
}

enum Step {
    Again,
    Wait(u32),
    Finished,
}

async fn read_step(
    rt: &Rc<dyn Runtime>,
    shared: &SharedRef,
    arn: &str,
    shard: &str,
    iterator: &mut Option<String>,
) -> Step {
    let config = shared.borrow().mapping.borrow().config.clone();
    let Some(it) = iterator.clone() else {
        let mut request = json!({ "StreamArn": arn, "ShardId": shard });
        match position_of(shared, shard) {
            Position::Done => return Step::Finished,
            Position::Latest => return resolve_latest(rt, shared, arn, shard).await,
            Position::TrimHorizon => request["ShardIteratorType"] = json!("TRIM_HORIZON"),
            Position::After(seq) => {
                request["ShardIteratorType"] = json!("AFTER_SEQUENCE_NUMBER");
                request["SequenceNumber"] = json!(seq);
            }
        }
        return match rt.send("GetShardIterator", request).await {
            Ok(v) => {
                *iterator = v["ShardIterator"].as_str().map(String::from);
                if iterator.is_none() {
                    checkpoint(rt, shared, shard, Position::Done).await;
                    return Step::Finished;
                }
                Step::Again
            }
            Err(e) if is_error(&e, "TrimmedDataAccessException") => {
                rt.log(
                    "system",
                    format!(
                        "{}: the saved position was trimmed (past 24 hours); reading from the oldest record",
                        short_shard(shard)
                    ),
                );
                checkpoint(rt, shared, shard, Position::TrimHorizon).await;
                Step::Again
            }
            Err(e) if is_error(&e, "ResourceNotFoundException") => Step::Finished,
            Err(e) => {
                rt.log("system", format!("GetShardIterator {}: {}", short_shard(shard), error_text(&e)));
                Step::Wait(2000)
            }
        };
    };
    let page = match rt.send("GetRecords", json!({ "ShardIterator": it, "Limit": config.batch_size })).await {
        Ok(p) => p,
        Err(e) => {
            *iterator = None;
            if is_error(&e, "ExpiredIteratorException") {
                // Renewed from the saved position: nothing is skipped or read twice.
                return Step::Again;
            }
            if is_error(&e, "TrimmedDataAccessException") {
                rt.log(
                    "system",
                    format!("{}: records were trimmed; reading from the oldest", short_shard(shard)),
                );
                checkpoint(rt, shared, shard, Position::TrimHorizon).await;
                return Step::Again;
            }
            rt.log("system", format!("GetRecords {}: {}", short_shard(shard), error_text(&e)));
            return Step::Wait(2000);
        }
    };
    let records = page["Records"].as_array().cloned().unwrap_or_default();
    let next = page["NextShardIterator"].as_str().map(String::from);
    if records.is_empty() {
        *iterator = next;
        if iterator.is_none() {
            checkpoint(rt, shared, shard, Position::Done).await;
            return Step::Finished;
        }
        return Step::Wait(POLL_MS);
    }
    if !process_batch(rt, shared, arn, shard, &records).await {
        return Step::Finished;
    }
    let last = records.last().and_then(|r| r["dynamodb"]["SequenceNumber"].as_str()).map(String::from);
    let position = match (&next, last) {
        (None, _) => Position::Done,
        (Some(_), Some(seq)) => Position::After(seq),
        (Some(_), None) => position_of(shared, shard),
    };
    checkpoint(rt, shared, shard, position).await;
    *iterator = next;
    if iterator.is_none() {
        Step::Finished
    } else {
        Step::Again
    }
}

/// LATEST as a position that survives a reload: reads the shard to where it ends now, without
/// invoking anything, and saves the last sequence number found (or TRIM_HORIZON for a shard
/// with no records yet, whose every future record comes after now).
async fn resolve_latest(rt: &Rc<dyn Runtime>, shared: &SharedRef, arn: &str, shard: &str) -> Step {
    let request = json!({ "StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON" });
    let mut it = match rt.send("GetShardIterator", request).await {
        Ok(v) => v["ShardIterator"].as_str().map(String::from),
        Err(e) => {
            rt.log("system", format!("GetShardIterator {}: {}", short_shard(shard), error_text(&e)));
            return Step::Wait(2000);
        }
    };
    let mut last: Option<String> = None;
    while let Some(current) = it.take() {
        match rt.send("GetRecords", json!({ "ShardIterator": current, "Limit": RESOLVE_PAGE })).await {
            Ok(page) => {
                let records = page["Records"].as_array().map_or(&[][..], Vec::as_slice);
                if let Some(seq) = records.last().and_then(|r| r["dynamodb"]["SequenceNumber"].as_str()) {
                    last = Some(seq.to_string());
                }
                let next = page["NextShardIterator"].as_str().map(String::from);
                if next.is_none() {
                    checkpoint(rt, shared, shard, Position::Done).await;
                    return Step::Finished;
                }
                if records.is_empty() {
                    break;
                }
                it = next;
            }
            Err(e) => {
                rt.log("system", format!("GetRecords {}: {}", short_shard(shard), error_text(&e)));
                return Step::Wait(2000);
            }
        }
    }
    checkpoint(rt, shared, shard, last.map_or(Position::TrimHorizon, Position::After)).await;
    Step::Again
}

/// A log line's level from the handler's answer: one of the console's, anything else `log`
/// (the level names a CSS class in the panel).
fn log_level(level: &Value) -> &'static str {
    match level.as_str() {
        Some("info") => "info",
        Some("warn") => "warn",
        Some("error") => "error",
        Some("debug") => "debug",
        _ => "log",
    }
}

/// Processes one batch as the mapping's error handling says (false: the trigger was detached).
/// With `BisectBatchOnFunctionError` a failing batch becomes two halves, processed in order
/// (the first half first, so the shard stays in order), each split again if it fails in turn;
/// once a half is done (processed or discarded) the shard's position moves past it, so a
/// reload does not run it again.
async fn process_batch(
    rt: &Rc<dyn Runtime>,
    shared: &SharedRef,
    arn: &str,
    shard: &str,
    records: &[Value],
) -> bool {
    // Parts still to process, the next on top: (from, to, retries already used).
    let mut parts = vec![(0, records.len(), 0u32)];
    while let Some((from, to, retries)) = parts.pop() {
        let part = records.get(from..to).unwrap_or_default();
        match process_part(rt, shared, arn, shard, part, retries).await {
            Processed::Detached => return false,
            Processed::Split(retries) => {
                let mid = from + (to - from) / 2;
                rt.log(
                    "system",
                    format!(
                        "BisectBatchOnFunctionError: the batch of {} from {} is split into {} and {}, each retried (a split uses no retry)",
                        plural_records(to - from),
                        short_shard(shard),
                        mid - from,
                        to - mid
                    ),
                );
                parts.push((mid, to, retries));
                parts.push((from, mid, retries));
            }
            Processed::Done if !parts.is_empty() => {
                if let Some(seq) = part.last().and_then(|r| r["dynamodb"]["SequenceNumber"].as_str()) {
                    checkpoint(rt, shared, shard, Position::After(seq.to_string())).await;
                }
            }
            Processed::Done => {}
        }
    }
    true
}

/// How one part of a batch ended.
enum Processed {
    /// The handler took it, or it was discarded.
    Done,
    /// It failed and is to be split in two; the retries it had used.
    Split(u32),
    /// The trigger was detached.
    Detached,
}

fn plural_records(n: usize) -> String {
    crate::fixed::plural(n as u64, "record")
}

/// The next RequestId of the trigger's invocations (and discards).
fn next_request_id(shared: &SharedRef) -> String {
    let mut s = shared.borrow_mut();
    s.invocation += 1;
    format!("{:06}", s.invocation)
}

/// Invokes the handler with `records` until it succeeds, is to be split, or is discarded: its
/// retries used up (it had used `retries` already) or its oldest record too old — checked on
/// the engine clock before every invocation, as Lambda discards records past the maximum age
/// whether or not they failed. Each attempt runs the trigger's current code and settings, so
/// *Update code* and *Update settings* apply to the next retry.
async fn process_part(
    rt: &Rc<dyn Runtime>,
    shared: &SharedRef,
    arn: &str,
    shard: &str,
    records: &[Value],
    mut retries: u32,
) -> Processed {
    let event = lambda::lambda_event(records, arn).to_string();
    let mut invocations = 0u32;
    // The last invocation's RequestId and error, and whether it may be retried.
    let mut last: Option<(String, String, bool)> = None;
    loop {
        if !reads(rt, shared, arn) {
            return Processed::Detached;
        }
        let config = shared.borrow().mapping.borrow().config.clone();
        let now = engine_now(rt).await;
        let too_old = config.error_handling.too_old(records, now);
        if too_old || last.as_ref().is_some_and(|(_, _, retry)| !retry) {
            let (request_id, error, _) = last.unwrap_or_else(|| {
                (next_request_id(shared), "not invoked: its oldest record was already too old".into(), false)
            });
            let condition =
                if too_old { Condition::RecordAgeExceeded } else { Condition::RetryAttemptsExhausted };
            let discard = Discard {
                records,
                shard,
                stream_arn: arn,
                condition,
                invocations,
                request_id: &request_id,
                now_ms: now,
            };
            return discard_batch(rt, shared, &discard, error);
        }
        let request_id = next_request_id(shared);
        let retry = if invocations > 0 { format!(" (retry {retries})") } else { String::new() };
        rt.log(
            "system",
            format!(
                "START RequestId: {request_id} · {} record(s) from {}{retry}",
                records.len(),
                short_shard(shard)
            ),
        );
        let started = rt.now_ms();
        let answer = rt.invoke(config.code, event.clone(), config.timeout_ms).await;
        if !reads(rt, shared, arn) {
            return Processed::Detached;
        }
        invocations += 1;
        let elapsed = rt.now_ms().saturating_sub(started);
        // The sandbox keeps at most 200 lines of 8 KiB an invocation; the page holds to its own
        // bounds whatever an answer carries.
        for line in answer["logs"].as_array().into_iter().flatten().take(lambda::MAX_LOG_LINES) {
            let text = line[1].as_str().map_or_else(|| line[1].to_string(), String::from);
            rt.log(log_level(&line[0]), lambda::clip_line(text, lambda::LOG_LINE_CHARS));
        }
        let outcome = lambda::outcome_of(&answer);
        rt.invoked(matches!(outcome, Outcome::Success(_)));
        let failure = match outcome {
            Outcome::Success(result) => {
                rt.log("system", format!("END RequestId: {request_id} · {elapsed} ms · returned {result}"));
                shared.borrow_mut().failing.remove(shard);
                return Processed::Done;
            }
            Outcome::Failed(error) => format!("the handler failed: {error}"),
            Outcome::TimedOut(ms) => format!(
                "Task timed out after {}.{:02} seconds; the worker was terminated",
                ms / 1000,
                ms % 1000 / 10
            ),
            Outcome::Garbage(text) => format!(
                "the worker answered with something that is not a result: {}",
                text.chars().take(120).collect::<String>()
            ),
        };
        let failure = lambda::clip_line(failure, lambda::LOG_LINE_CHARS);
        rt.log("error", format!("ERROR RequestId: {request_id} · {failure}"));
        // The settings as they are now: an update while the batch ran applies to it.
        let handling = shared.borrow().mapping.borrow().config.error_handling.clone();
        if handling.bisect_batch_on_function_error && records.len() > 1 {
            return Processed::Split(retries);
        }
        // A batch with no retry left is discarded at the top of the loop, where the age is checked.
        let retry = handling.may_retry(retries);
        last = Some((request_id, failure, retry));
        if retry {
            retries += 1;
            // 1 s, 2 s, 4 s, 8 s, then every 10 s.
            let backoff = 500u32.saturating_mul(1 << retries.min(5)).min(10_000);
            shared
                .borrow_mut()
                .failing
                .insert(shard.to_string(), (retries, rt.now_ms() + u64::from(backoff)));
            rt.sleep(backoff).await;
        }
    }
}

/// Discards a batch: says so in the log and, when the mapping has an on-failure destination,
/// sends it the batch's invocation record with `error`, the last invocation's.
fn discard_batch(rt: &Rc<dyn Runtime>, shared: &SharedRef, discard: &Discard, error: String) -> Processed {
    shared.borrow_mut().failing.remove(discard.shard);
    let handling = shared.borrow().mapping.borrow().config.error_handling.clone();
    let why = match discard.condition {
        Condition::RetryAttemptsExhausted => {
            format!("its retries are used up (MaximumRetryAttempts {})", handling.maximum_retry_attempts)
        }
        Condition::RecordAgeExceeded if handling.maximum_record_age_s < 0 => {
            "its records are past the stream's 24-hour retention".to_string()
        }
        Condition::RecordAgeExceeded => {
            format!(
                "its oldest record is older than MaximumRecordAgeInSeconds ({} s)",
                handling.maximum_record_age_s
            )
        }
    };
    let summary = error_handling::describe(discard);
    let whereto = match handling.on_failure {
        true => "its invocation record went to the on-failure destination",
        false => "there is no on-failure destination to keep a trace of it",
    };
    rt.log("system", format!("DISCARDED {summary}: {why}; {whereto}. The shard goes on."));
    if handling.on_failure {
        rt.discarded(summary, error_handling::invocation_record(discard), error);
    }
    Processed::Done
}

#[cfg(test)]
mod tests;
