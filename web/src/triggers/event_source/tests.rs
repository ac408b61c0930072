//! The event source mapping against the real engine, on a simulated clock: a tiny executor
//! polls every task, then moves the clock on by one step; `sleep` and handler run time are
//! measured on that clock, so concurrency and backoff are observable without waiting.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use dynaplay_engine::Engine;
use serde_json::{json, Value};

use super::*;

const T0: u64 = 1_767_225_600_000;
const STEP_MS: u64 = 50;

/// One invocation as the simulated Lambda saw it.
#[derive(Clone, Debug)]
struct Invocation {
    shard_of_first: String,
    sequences: Vec<String>,
    keys: Vec<String>,
    start: u64,
    end: u64,
    ok: bool,
}

type Handler = Box<dyn FnMut(&Value) -> (Value, u64)>;

struct Sim {
    engine: RefCell<Engine>,
    clock: Cell<u64>,
    spawned: RefCell<Vec<LocalFuture<'static, ()>>>,
    handler: RefCell<Handler>,
    invocations: RefCell<Vec<Invocation>>,
    saved: RefCell<Option<String>>,
    alive: Cell<bool>,
    logs: RefCell<Vec<(String, String)>>,
    /// Which shard each sequence number is in (filled as records are read).
    shard_of: RefCell<BTreeMap<String, String>>,
    /// What reached the on-failure destination: invocation records (parsed) and errors.
    discarded: RefCell<Vec<(Value, String)>>,
    /// The same as the destination's list shows them: summary and record text.
    discarded_text: RefCell<Vec<(String, String)>>,
}

fn ok_handler() -> Handler {
    Box::new(|event| {
        (json!({"ok": true, "result": event["Records"].as_array().map_or(0, Vec::len), "logs": []}), 200)
    })
}

impl Sim {
    fn new(engine: Engine) -> Rc<Self> {
        Rc::new(Self {
            engine: RefCell::new(engine),
            clock: Cell::new(T0),
            spawned: RefCell::new(Vec::new()),
            handler: RefCell::new(ok_handler()),
            invocations: RefCell::new(Vec::new()),
            saved: RefCell::new(None),
            alive: Cell::new(true),
            logs: RefCell::new(Vec::new()),
            shard_of: RefCell::new(BTreeMap::new()),
            discarded: RefCell::new(Vec::new()),
            discarded_text: RefCell::new(Vec::new()),
        })
    }

    fn call(&self, operation: &str, request: Value) -> Result<Value, Value> {
        let mut engine = self.engine.borrow_mut();
        engine.set_now(self.clock.get());
        engine.handle_json(operation, request).map_err(|e| e.to_json())
    }

    fn ok(&self, operation: &str, request: Value) -> Value {
        self.call(operation, request.clone()).unwrap_or_else(|e| panic!("{operation} {request}: {e}"))
    }

    fn wait_until(&self, until: u64) -> LocalFuture<'_, ()> {
        Box::pin(std::future::poll_fn(move |_| {
            if self.clock.get() >= until {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        }))
    }

    /// Runs `tasks` (and whatever they spawn) until `done()` or `limit_ms` of simulated time.
    fn run_until(
        &self,
        tasks: &mut Vec<LocalFuture<'static, ()>>,
        limit_ms: u64,
        done: impl Fn() -> bool,
    ) -> bool {
        let deadline = self.clock.get() + limit_ms;
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            tasks.append(&mut self.spawned.borrow_mut());
            tasks.retain_mut(|t| t.as_mut().poll(&mut cx).is_pending());
            if done() {
                return true;
            }
            if self.clock.get() >= deadline {
                return false;
            }
            self.clock.set(self.clock.get() + STEP_MS);
        }
    }

    fn processed_keys(&self) -> Vec<String> {
        self.invocations.borrow().iter().filter(|i| i.ok).flat_map(|i| i.keys.clone()).collect()
    }
}

impl Runtime for Sim {
    fn send(&self, operation: &'static str, request: Value) -> LocalFuture<'_, Result<Value, Value>> {
        let result = self.call(operation, request.clone());
        if operation == "GetRecords" {
            if let (Ok(page), Some(shard)) = (&result, shard_in_iterator(&request)) {
                for r in page["Records"].as_array().into_iter().flatten() {
                    let seq = r["dynamodb"]["SequenceNumber"].as_str().unwrap_or("").to_string();
                    self.shard_of.borrow_mut().insert(seq, shard.clone());
                }
            }
        }
        Box::pin(std::future::ready(result))
    }

    fn invoke(&self, _code: String, event: String, _timeout_ms: u32) -> LocalFuture<'_, Value> {
        let event: Value = serde_json::from_str(&event).unwrap_or(Value::Null);
        let start = self.clock.get();
        let (answer, took) = (self.handler.borrow_mut())(&event);
        Box::pin(async move {
            self.wait_until(start + took).await;
            let records = event["Records"].as_array().cloned().unwrap_or_default();
            let sequences: Vec<String> = records
                .iter()
                .map(|r| r["dynamodb"]["SequenceNumber"].as_str().unwrap_or("").to_string())
                .collect();
            let keys = records
                .iter()
                .map(|r| r["dynamodb"]["Keys"]["pk"]["S"].as_str().unwrap_or("").to_string())
                .collect();
            let shard_of_first =
                sequences.first().and_then(|s| self.shard_of.borrow().get(s).cloned()).unwrap_or_default();
            let ok = answer["ok"] == json!(true);
            self.invocations.borrow_mut().push(Invocation {
                shard_of_first,
                sequences,
                keys,
                start,
                end: self.clock.get(),
                ok,
            });
            answer
        })
    }

    fn sleep(&self, ms: u32) -> LocalFuture<'_, ()> {
        self.wait_until(self.clock.get() + u64::from(ms))
    }

    fn now_ms(&self) -> u64 {
        self.clock.get()
    }

    fn spawn(&self, task: LocalFuture<'static, ()>) {
        self.spawned.borrow_mut().push(task);
    }

    fn save(&self, mapping: &Mapping) -> LocalFuture<'_, ()> {
        *self.saved.borrow_mut() = Some(mapping.to_json("Tab"));
        Box::pin(std::future::ready(()))
    }

    fn alive(&self) -> bool {
        self.alive.get()
    }

    fn log(&self, level: &str, text: String) {
        self.logs.borrow_mut().push((level.into(), text));
    }

    fn status(&self, _text: String, _failing: bool) {}

    fn invoked(&self, _ok: bool) {}

    fn discarded(&self, summary: String, record: String, error: String) {
        let parsed = serde_json::from_str(&record).unwrap_or_else(|e| panic!("not JSON ({e}): {record}"));
        self.discarded.borrow_mut().push((parsed, error));
        self.discarded_text.borrow_mut().push((summary, record));
    }
}

/// The shard id inside an engine iterator (`<arn>|1|base64(shard|position|issued)`).
fn shard_in_iterator(request: &Value) -> Option<String> {
    let it = request["ShardIterator"].as_str()?;
    let payload = it.rsplit('|').next()?;
    let bytes = base64_decode(payload)?;
    Some(String::from_utf8(bytes).ok()?.split('|').next()?.to_string())
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let (mut acc, mut bits, mut out) = (0u32, 0u32, Vec::new());
    for c in text.trim_end_matches('=').bytes() {
        acc = (acc << 6) | A.iter().position(|&a| a == c)? as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn config(position: &str, batch: u32) -> TriggerConfig {
    TriggerConfig {
        code: "exports.handler = async () => 1;".into(),
        batch_size: batch,
        starting_position: position.into(),
        timeout_ms: 3000,
        error_handling: ErrorHandling::default(),
    }
}

/// A table `Tab` (key `pk`) with a NEW_IMAGE stream and `partitions` partitions (and so
/// shards), from its provisioned throughput: ceil((RCU + 3 WCU) / 3000) with 1 RCU.
fn table(sim: &Sim, partitions: u64) {
    let wcu = (1000 * partitions).saturating_sub(1).max(1);
    sim.ok(
        "CreateTable",
        json!({
            "TableName": "Tab", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PROVISIONED", "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": wcu},
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}
        }),
    );
}

fn put(sim: &Sim, key: &str, pad: usize) {
    sim.ok("PutItem", json!({"TableName": "Tab", "Item": {"pk": {"S": key}, "pad": {"S": "x".repeat(pad)}}}));
}

fn stream_arn(sim: &Sim) -> String {
    sim.ok("DescribeTable", json!({"TableName": "Tab"}))["Table"]["LatestStreamArn"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Every shard, through the same listing the trigger and the viewer use.
fn all_shards(sim: &Sim) -> (Vec<lambda::ShardInfo>, u32) {
    let arn = stream_arn(sim);
    let mut listing = ShardListing::default();
    let mut pages = 0;
    while let Some(request) = listing.next_request(&arn) {
        listing.add(&sim.ok("DescribeStream", request));
        pages += 1;
    }
    assert!(listing.complete());
    (listing.shards(), pages)
}

/// The keys written to each shard, in order.
fn keys_by_shard(sim: &Sim) -> BTreeMap<String, Vec<String>> {
    let arn = stream_arn(sim);
    let mut out = BTreeMap::new();
    for shard in all_shards(sim).0 {
        let mut it = sim.ok(
            "GetShardIterator",
            json!({"StreamArn": arn, "ShardId": shard.id, "ShardIteratorType": "TRIM_HORIZON"}),
        )["ShardIterator"]
            .clone();
        let mut keys = Vec::new();
        loop {
            let page = sim.ok("GetRecords", json!({"ShardIterator": it}));
            let records = page["Records"].as_array().cloned().unwrap_or_default();
            keys.extend(
                records.iter().map(|r| r["dynamodb"]["Keys"]["pk"]["S"].as_str().unwrap_or("").to_string()),
            );
            it = page["NextShardIterator"].clone();
            if it.is_null() || records.is_empty() {
                break;
            }
        }
        out.insert(shard.id, keys);
    }
    out
}

fn start(sim: &Rc<Sim>, mapping: Mapping) -> (Vec<LocalFuture<'static, ()>>, Rc<RefCell<Mapping>>) {
    let mapping = Rc::new(RefCell::new(mapping));
    let rt: Rc<dyn Runtime> = sim.clone();
    (vec![Box::pin(run(rt, "Tab".into(), mapping.clone()))], mapping)
}

#[test]
fn a_table_with_more_than_100_shards_has_every_shard_listed_and_processed() {
    let sim = Sim::new(Engine::new());
    table(&sim, 1);
    // Tiny partitions: every ~1 KB item splits one, and the stream's shards follow the splits.
    sim.ok("PlaygroundUpdateSettings", json!({"PartitionSizeLimitBytes": 1024}));
    let mut n = 0;
    while sim.ok("DescribeStream", json!({"StreamArn": stream_arn(&sim)}))["StreamDescription"]
        .get("LastEvaluatedShardId")
        .is_none()
    {
        put(&sim, &format!("k{n:04}"), 700);
        n += 1;
        assert!(n < 2000, "the shards never passed one page");
    }
    for _ in 0..20 {
        put(&sim, &format!("k{n:04}"), 700);
        n += 1;
    }
    let (shards, pages) = all_shards(&sim);
    assert!(shards.len() > 100 && pages >= 2, "{} shards in {pages} pages", shards.len());
    let first_page = lambda::shards_of(&sim.ok("DescribeStream", json!({"StreamArn": stream_arn(&sim)})));
    assert_eq!(first_page.len(), 100, "one page lists 100");
    assert!(
        shards
            .iter()
            .any(|s| s.parent.is_some() && !first_page.iter().any(|p| Some(&p.id) == s.parent.as_ref()))
            || shards.iter().skip(100).any(|s| s.parent.is_some()),
        "some lineage crosses or lies beyond the first page"
    );

    let (mut tasks, mapping) = start(&sim, Mapping::new(config("TRIM_HORIZON", 100)));
    let expected = n;
    let finished = sim.run_until(&mut tasks, 600_000, || sim.processed_keys().len() >= expected);
    assert!(finished, "processed {} of {expected}", sim.processed_keys().len());
    // Exactly once each.
    let keys = sim.processed_keys();
    let unique: BTreeSet<&String> = keys.iter().collect();
    assert_eq!((keys.len(), unique.len()), (expected, expected));
    // Every shard with records was read, and every closed one is done.
    let read: BTreeSet<String> = sim.invocations.borrow().iter().map(|i| i.shard_of_first.clone()).collect();
    let (shards, _) = all_shards(&sim);
    let positions = mapping.borrow().positions.clone();
    for s in &shards {
        if s.closed {
            assert_eq!(positions.get(&s.id), Some(&Position::Done), "{} is read to its end", s.id);
        }
    }
    assert!(read.len() > 50, "records came from {} shards", read.len());
    // Parents before children: a child's first invocation starts after its parent's last ends.
    let invocations = sim.invocations.borrow();
    for s in shards.iter().filter(|s| s.parent.is_some()) {
        let parent = s.parent.as_ref().unwrap();
        let parent_end = invocations.iter().filter(|i| &i.shard_of_first == parent).map(|i| i.end).max();
        let child_start = invocations.iter().filter(|i| i.shard_of_first == s.id).map(|i| i.start).min();
        if let (Some(end), Some(start)) = (parent_end, child_start) {
            assert!(start >= end, "{} started at {start} before its parent ended at {end}", s.id);
        }
    }
}

#[test]
fn shards_run_concurrently_and_a_failing_batch_holds_only_its_shard() {
    let sim = Sim::new(Engine::new());
    table(&sim, 4);
    let (shards, _) = all_shards(&sim);
    assert_eq!(shards.len(), 4);
    let poison = Rc::new(Cell::new(true));
    {
        let poison = poison.clone();
        *sim.handler.borrow_mut() = Box::new(move |event| {
            let bad = event.to_string().contains("poison");
            if bad && poison.get() {
                (json!({"ok": false, "error": {"name": "Error", "message": "boom"}, "logs": []}), 100)
            } else {
                (json!({"ok": true, "result": null, "logs": []}), 1000)
            }
        });
    }
    put(&sim, "poison", 10);
    for i in 0..40 {
        put(&sim, &format!("k{i}"), 10);
    }
    // The shard "poison" went to holds it and everything after it; the others hold the rest.
    let by_shard = keys_by_shard(&sim);
    let held = by_shard.values().find(|keys| keys.contains(&"poison".to_string())).unwrap().clone();
    assert_eq!(held[0], "poison");
    assert!(by_shard.len() >= 3 && held.len() < 30, "{by_shard:?}");
    let (mut tasks, _) = start(&sim, Mapping::new(config("TRIM_HORIZON", 1)));
    // While the poisoned shard keeps failing, every record of the other shards gets through.
    let others = 41 - held.len();
    assert!(sim.run_until(&mut tasks, 120_000, || sim.processed_keys().len() >= others));
    sim.run_until(&mut tasks, 20_000, || false);
    assert_eq!(sim.processed_keys().len(), others, "nothing of the held shard got past its failing batch");
    assert!(!sim.processed_keys().iter().any(|k| held.contains(k)));
    let failures = sim.invocations.borrow().iter().filter(|i| !i.ok).count();
    assert!(failures >= 2, "the poisoned batch was retried ({failures} failures)");
    // Invocations of different shards overlapped in time: one per shard, concurrently.
    let inv = sim.invocations.borrow().clone();
    let overlapping = inv.iter().any(|a| {
        inv.iter().any(|b| a.shard_of_first != b.shard_of_first && a.start < b.end && b.start < a.end)
    });
    assert!(overlapping, "no two shards were ever processed at the same time");
    // Within a shard: one at a time, in sequence order.
    let mut by_shard: BTreeMap<String, Vec<&Invocation>> = BTreeMap::new();
    for i in inv.iter().filter(|i| i.ok) {
        by_shard.entry(i.shard_of_first.clone()).or_default().push(i);
    }
    for list in by_shard.values() {
        for w in list.windows(2) {
            assert!(w[1].start >= w[0].end, "a shard ran two invocations at once");
            let (a, b): (u128, u128) =
                (w[0].sequences[0].parse().unwrap(), w[1].sequences[0].parse().unwrap());
            assert!(a < b, "out of order");
        }
    }
    // Fixed: the held batch goes through on its next retry.
    poison.set(false);
    assert!(sim.run_until(&mut tasks, 60_000, || sim.processed_keys().len() == 41));
    let keys = sim.processed_keys();
    let after: Vec<&String> = keys.iter().skip(others).collect();
    assert_eq!(after, held.iter().collect::<Vec<_>>(), "the held shard resumes in order, poison first");
}

/// Runs a trigger until `count` records are processed, stops it, and returns what it saved.
fn run_and_stop(sim: &Rc<Sim>, mapping: Mapping, count: usize) -> String {
    sim.alive.set(true);
    let (mut tasks, _) = start(sim, mapping);
    assert!(
        sim.run_until(&mut tasks, 60_000, || sim.processed_keys().len() >= count),
        "processed {:?}",
        sim.processed_keys()
    );
    // Let the last checkpoint land, then "reload the page".
    sim.run_until(&mut tasks, 1000, || false);
    sim.alive.set(false);
    sim.run_until(&mut tasks, 1000, || false);
    sim.saved.borrow().clone().expect("saved")
}

#[test]
fn a_restored_trigger_resumes_after_its_last_processed_record() {
    let sim = Sim::new(Engine::new());
    table(&sim, 2);
    for i in 0..6 {
        put(&sim, &format!("a{i}"), 10);
    }
    let saved = run_and_stop(&sim, Mapping::new(config("TRIM_HORIZON", 2)), 6);
    // Written while no trigger runs (the page is closed / reloading).
    for i in 0..5 {
        put(&sim, &format!("b{i}"), 10);
    }
    let (table_name, restored) = Mapping::from_json(&saved).unwrap();
    assert_eq!(table_name, "Tab");
    assert_eq!(restored.stream_arn.as_deref(), Some(stream_arn(&sim).as_str()));
    assert!(restored.positions.values().all(|p| matches!(p, Position::After(_))), "{saved}");
    sim.invocations.borrow_mut().clear();
    run_and_stop(&sim, restored, 5);
    let mut keys = sim.processed_keys();
    keys.sort();
    assert_eq!(keys, ["b0", "b1", "b2", "b3", "b4"], "new records only, each once");
}

#[test]
fn latest_starts_after_what_is_there_and_survives_a_restart() {
    let sim = Sim::new(Engine::new());
    table(&sim, 2);
    for i in 0..4 {
        put(&sim, &format!("old{i}"), 10);
    }
    sim.alive.set(true);
    let (mut tasks, mapping) = start(&sim, Mapping::new(config("LATEST", 10)));
    // The LATEST positions resolve to sequence numbers before anything new arrives.
    assert!(sim.run_until(&mut tasks, 10_000, || {
        let m = mapping.borrow();
        m.positions.len() == 2 && !m.positions.values().any(|p| *p == Position::Latest)
    }));
    put(&sim, "new0", 10);
    assert!(sim.run_until(&mut tasks, 10_000, || sim.processed_keys().len() == 1));
    sim.alive.set(false);
    sim.run_until(&mut tasks, 1000, || false);
    put(&sim, "new1", 10);
    let (_, restored) = Mapping::from_json(&sim.saved.borrow().clone().unwrap()).unwrap();
    run_and_stop(&sim, restored, 2);
    assert_eq!(sim.processed_keys(), ["new0", "new1"]);
}

#[test]
fn a_new_stream_is_read_from_its_start_and_old_positions_are_dropped() {
    let sim = Sim::new(Engine::new());
    table(&sim, 1);
    put(&sim, "a", 10);
    let saved = run_and_stop(&sim, Mapping::new(config("TRIM_HORIZON", 10)), 1);
    let old_arn = stream_arn(&sim);
    // Disable and enable again: a new stream (new ARN, new shards).
    sim.ok("UpdateTable", json!({"TableName": "Tab", "StreamSpecification": {"StreamEnabled": false}}));
    sim.clock.set(sim.clock.get() + 60_000);
    sim.ok("UpdateTable", json!({"TableName": "Tab", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}}));
    sim.clock.set(sim.clock.get() + 60_000);
    assert_ne!(stream_arn(&sim), old_arn);
    put(&sim, "b", 10);
    let (_, restored) = Mapping::from_json(&saved).unwrap();
    let saved = run_and_stop(&sim, restored, 2);
    assert_eq!(sim.processed_keys(), ["a", "b"]);
    let (_, after) = Mapping::from_json(&saved).unwrap();
    assert_eq!(after.stream_arn, Some(stream_arn(&sim)));
    let (shards, _) = all_shards(&sim);
    assert!(after.positions.keys().all(|id| shards.iter().any(|s| &s.id == id)), "old shards forgotten");
    assert!(sim.logs.borrow().iter().any(|(_, t)| t.contains("stream changed")));
}

#[test]
fn an_expired_iterator_is_renewed_from_the_saved_position() {
    let sim = Sim::new(Engine::new());
    table(&sim, 1);
    put(&sim, "a", 10);
    sim.alive.set(true);
    let (mut tasks, _) = start(&sim, Mapping::new(config("TRIM_HORIZON", 10)));
    assert!(sim.run_until(&mut tasks, 10_000, || sim.processed_keys().len() == 1));
    // The reader holds an iterator; 16 minutes later it has expired (15-minute expiry).
    sim.clock.set(sim.clock.get() + 16 * 60_000);
    put(&sim, "b", 10);
    assert!(sim.run_until(&mut tasks, 10_000, || sim.processed_keys().len() == 2));
    assert_eq!(sim.processed_keys(), ["a", "b"]);
}

#[test]
fn a_batch_failing_past_the_24_hour_retention_is_dropped_and_the_shard_goes_on() {
    let sim = Sim::new(Engine::new());
    table(&sim, 1);
    *sim.handler.borrow_mut() = Box::new(|event| {
        if event.to_string().contains("doomed") {
            (json!({"ok": false, "error": {"name": "Error", "message": "never works"}, "logs": []}), 10)
        } else {
            (json!({"ok": true, "result": null, "logs": []}), 10)
        }
    });
    put(&sim, "doomed", 10);
    let (mut tasks, mapping) = start(&sim, Mapping::new(config("TRIM_HORIZON", 10)));
    assert!(sim.run_until(&mut tasks, 30_000, || sim.invocations.borrow().len() >= 3));
    // A day and a bit later (engine time) the batch's record is past retention.
    sim.clock.set(sim.clock.get() + 24 * 3_600_000 + 60_000);
    assert!(sim.run_until(&mut tasks, 30_000, || sim
        .logs
        .borrow()
        .iter()
        .any(|(_, t)| t.contains("past the stream's 24-hour retention"))));
    put(&sim, "fine", 10);
    assert!(sim.run_until(&mut tasks, 30_000, || sim.processed_keys() == ["fine"]));
    let failures = || sim.invocations.borrow().iter().filter(|i| !i.ok).count();
    let before = failures();
    sim.run_until(&mut tasks, 30_000, || false);
    assert_eq!(failures(), before, "the dropped batch is not retried again");
    assert!(!mapping.borrow().positions.is_empty());
}

#[test]
fn the_listing_follows_last_evaluated_shard_id_with_a_fake_describer() {
    // 250 shards, 100 a page; each child's parent is on the page before it.
    let ids: Vec<String> = (0..250).map(|i| format!("shardId-{i:03}")).collect();
    let describe = |request: &Value| -> Value {
        let start = request["ExclusiveStartShardId"]
            .as_str()
            .and_then(|s| ids.iter().position(|i| i == s))
            .map_or(0, |i| i + 1);
        let page: Vec<Value> = ids[start..]
            .iter()
            .take(100)
            .enumerate()
            .map(|(k, id)| {
                let i = start + k;
                let mut s = json!({"ShardId": id, "SequenceNumberRange": {"StartingSequenceNumber": "1"}});
                if i >= 150 {
                    s["ParentShardId"] = json!(ids[i - 150]);
                }
                s
            })
            .collect();
        let mut d = json!({"StreamViewType": "KEYS_ONLY", "Shards": page});
        if start + 100 < ids.len() {
            d["LastEvaluatedShardId"] = json!(ids[start + 99]);
        }
        json!({ "StreamDescription": d })
    };
    let mut listing = ShardListing::default();
    let mut calls = 0;
    while let Some(request) = listing.next_request("arn:s") {
        listing.add(&describe(&request));
        calls += 1;
    }
    assert_eq!(calls, 3);
    assert!(listing.complete());
    assert_eq!(listing.view_type, "KEYS_ONLY");
    let shards = listing.shards();
    assert_eq!(shards.len(), 250);
    assert_eq!(
        shards[249].parent.as_deref(),
        Some("shardId-099"),
        "a parent on an earlier page is still the parent"
    );
    let order: Vec<String> = lambda::parents_first(&shards).into_iter().map(|s| s.id).collect();
    assert_eq!(order.len(), 250);
    let at = |id: &str| order.iter().position(|o| o == id).unwrap();
    assert!(at("shardId-000") < at("shardId-150") && at("shardId-099") < at("shardId-249"));

    // A describer that repeats its last page forever is not followed forever.
    let mut stuck = ShardListing::default();
    let mut calls = 0;
    while let Some(_request) = stuck.next_request("arn:s") {
        stuck.add(&json!({"StreamDescription": {"Shards": [{"ShardId": "a"}], "LastEvaluatedShardId": "a"}}));
        calls += 1;
    }
    assert_eq!(calls, 2);
}

#[test]
fn stored_triggers_round_trip_and_bad_ones_are_refused() {
    let mut m = Mapping::new(config("LATEST", 25));
    m.stream_arn = Some("arn:aws:dynamodb:us-east-1:000000000000:table/T/stream/x".into());
    m.positions.insert("s1".into(), Position::After("100000000000000000042".into()));
    m.positions.insert("s2".into(), Position::Done);
    m.positions.insert("s3".into(), Position::Latest);
    m.positions.insert("s4".into(), Position::TrimHorizon);
    let text = m.to_json("Orders");
    assert_eq!(Mapping::from_json(&text), Some(("Orders".to_string(), m)));
    for bad in [
        "",
        "{}",
        "[1]",
        r#"{"TableName":"T","Code":"x","BatchSize":0,"StartingPosition":"LATEST","TimeoutMs":1}"#,
        r#"{"TableName":"T","Code":"x","BatchSize":5,"StartingPosition":"AT_TIMESTAMP","TimeoutMs":1}"#,
    ] {
        assert_eq!(Mapping::from_json(bad), None, "{bad}");
    }
    // A position that is not one is skipped, the rest kept.
    let odd = r#"{"TableName":"T","Code":"x","BatchSize":5,"StartingPosition":"LATEST","TimeoutMs":1,"Positions":{"a":"12","b":"x1","c":7}}"#;
    let (_, m) = Mapping::from_json(odd).unwrap();
    assert_eq!(m.positions.len(), 1);
}

#[test]
fn a_trigger_resumes_exactly_after_a_reload_from_a_compacted_snapshot() {
    // The page's reload: import the IndexedDB snapshot, replay the journal at its times.
    let sim = Sim::new(Engine::new());
    table(&sim, 2);
    for i in 0..4 {
        put(&sim, &format!("a{i}"), 10);
    }
    let saved = run_and_stop(&sim, Mapping::new(config("TRIM_HORIZON", 3)), 4);
    let snapshot = crate::host::workspace::snapshot(&sim.engine.borrow());
    // Journaled after the snapshot; the trigger processes them too before the "reload".
    let mut journal = Vec::new();
    for i in 0..3 {
        let request = json!({"TableName": "Tab", "Item": {"pk": {"S": format!("b{i}")}, "pad": {"S": "x"}}});
        journal.push((sim.clock.get(), request.clone()));
        sim.ok("PutItem", request);
        sim.clock.set(sim.clock.get() + 10);
    }
    let (_, m) = Mapping::from_json(&saved).unwrap();
    let saved = run_and_stop(&sim, m, 7);
    let mut rebuilt = crate::host::workspace::import(&snapshot).unwrap();
    for (at, request) in journal {
        rebuilt.set_now(at);
        rebuilt.handle_json("PutItem", request).unwrap();
    }
    *sim.engine.borrow_mut() = rebuilt;
    put(&sim, "c0", 10);
    let (_, m) = Mapping::from_json(&saved).unwrap();
    run_and_stop(&sim, m, 8);
    let mut keys = sim.processed_keys();
    keys.sort();
    assert_eq!(keys, ["a0", "a1", "a2", "a3", "b0", "b1", "b2", "c0"], "each record once, none skipped");
}

#[test]
fn an_answer_of_any_size_reaches_the_log_within_its_bounds() {
    let sim = Sim::new(Engine::new());
    table(&sim, 1);
    // More lines than a trigger keeps, each far longer than a line, at levels it does not know:
    // what a worker whose caps were bypassed could post (the sandbox cuts an honest one first).
    *sim.handler.borrow_mut() = Box::new(|_| {
        let line = json!(["<script>", "w".repeat(100_000)]);
        let logs = vec![line; 1000];
        (json!({"ok": true, "resultShown": "\"big", "resultBytes": 157_286_402_u64, "logs": logs}), 100)
    });
    put(&sim, "a", 10);
    let (mut tasks, _) = start(&sim, Mapping::new(config("TRIM_HORIZON", 10)));
    assert!(sim.run_until(&mut tasks, 10_000, || sim.processed_keys().len() == 1));
    let logs = sim.logs.borrow();
    let from_handler: Vec<_> = logs.iter().filter(|(_, t)| t.starts_with("www")).collect();
    assert_eq!(from_handler.len(), lambda::MAX_LOG_LINES, "at most a trigger's log of lines from one answer");
    assert!(from_handler.iter().all(|(level, text)| level == "log"
        && text.chars().count() < lambda::LOG_LINE_CHARS + 60
        && text.ends_with("[cut at 8192 of 100000 characters]")));
    let end = logs.iter().find(|(_, t)| t.starts_with("END RequestId")).expect("an END line");
    assert!(
        end.1.ends_with("returned \"big … [the first 4 characters of 157286402 bytes of JSON]"),
        "{}",
        end.1
    );
}

/// A handler that fails every batch holding a record whose key starts with "poison".
fn poison_handler() -> Handler {
    Box::new(|event| {
        if event.to_string().contains("\"poison") {
            (json!({"ok": false, "error": {"name": "Error", "message": "poison pill"}, "logs": []}), 100)
        } else {
            (json!({"ok": true, "result": null, "logs": []}), 100)
        }
    })
}

/// A trigger reading `Tab` with these error-handling settings.
fn handling(batch: u32, edit: impl FnOnce(&mut ErrorHandling)) -> Mapping {
    let mut c = config("TRIM_HORIZON", batch);
    edit(&mut c.error_handling);
    Mapping::new(c)
}

/// Every record of `Tab`'s stream, by key: (sequence number, ApproximateCreationDateTime).
fn sequences(sim: &Sim) -> BTreeMap<String, (String, u64)> {
    let arn = stream_arn(sim);
    let mut out = BTreeMap::new();
    for shard in all_shards(sim).0 {
        let request = json!({"StreamArn": arn, "ShardId": shard.id, "ShardIteratorType": "TRIM_HORIZON"});
        let it = sim.ok("GetShardIterator", request)["ShardIterator"].clone();
        for r in sim.ok("GetRecords", json!({"ShardIterator": it}))["Records"].as_array().unwrap() {
            let d = &r["dynamodb"];
            out.insert(
                d["Keys"]["pk"]["S"].as_str().unwrap().to_string(),
                (
                    d["SequenceNumber"].as_str().unwrap().to_string(),
                    d["ApproximateCreationDateTime"].as_u64().unwrap(),
                ),
            );
        }
    }
    out
}

fn failures(sim: &Sim) -> Vec<Invocation> {
    sim.invocations.borrow().iter().filter(|i| !i.ok).cloned().collect()
}

#[test]
fn after_maximum_retry_attempts_the_batch_is_discarded_and_the_shard_goes_on() {
    let sim = Sim::new(Engine::new());
    table(&sim, 1);
    *sim.handler.borrow_mut() = poison_handler();
    put(&sim, "poison", 10);
    put(&sim, "a", 10);
    let (mut tasks, mapping) = start(
        &sim,
        handling(10, |e| {
            e.maximum_retry_attempts = 2;
            e.on_failure = true;
        }),
    );
    assert!(sim.run_until(&mut tasks, 60_000, || !sim.discarded.borrow().is_empty()));
    // The first invocation and 2 retries, 1 s then 2 s apart (after each 100 ms failure).
    let failed = failures(&sim);
    assert_eq!(failed.len(), 3, "{failed:?}");
    assert!(failed.iter().all(|i| i.keys == ["poison", "a"]));
    assert!(failed[1].start - failed[0].end >= 1000 && failed[2].start - failed[1].end >= 2000);
    // Then the shard goes on: a record written later is processed, the discarded ones never.
    put(&sim, "b", 10);
    assert!(sim.run_until(&mut tasks, 30_000, || sim.processed_keys() == ["b"]));
    sim.run_until(&mut tasks, 30_000, || false);
    assert_eq!(failures(&sim).len(), 3, "a discarded batch is not retried again");
    assert_eq!(sim.discarded.borrow().len(), 1);
    let (record, error) = sim.discarded.borrow()[0].clone();
    assert_eq!(record["requestContext"]["condition"], "RetryAttemptsExhausted");
    assert_eq!(record["requestContext"]["approximateInvokeCount"], 3);
    assert_eq!(record["DDBStreamBatchInfo"]["batchSize"], 2);
    assert_eq!(error, "the handler failed: Error: poison pill");
    let log = sim.logs.borrow();
    let summary = sim.discarded_text.borrow()[0].0.clone();
    assert!(
        summary.starts_with("RetryAttemptsExhausted · …")
            && summary.contains(" · 2 records · ")
            && summary.ends_with("invoked 3×")
    );
    assert!(
        log.iter().any(|(level, t)| level == "system"
            && *t == format!("DISCARDED {summary}: its retries are used up (MaximumRetryAttempts 2); its invocation record went to the on-failure destination. The shard goes on.")),
        "{log:?}"
    );
    assert_eq!(log.iter().filter(|(_, t)| t.contains("(retry ")).count(), 2, "retries 1 and 2 are marked");
    // The saved position is past the discarded batch: a reload does not run it again.
    let seqs = sequences(&sim);
    let (_, saved) = Mapping::from_json(&sim.saved.borrow().clone().unwrap()).unwrap();
    assert_eq!(saved.positions.values().next(), Some(&Position::After(seqs["b"].0.clone())));
    assert_eq!(saved.config.error_handling, mapping.borrow().config.error_handling);
}

#[test]
fn with_zero_retries_and_no_destination_a_failing_batch_runs_once_and_is_only_logged() {
    let sim = Sim::new(Engine::new());
    table(&sim, 1);
    *sim.handler.borrow_mut() = poison_handler();
    put(&sim, "poison", 10);
    let (mut tasks, _) = start(&sim, handling(10, |e| e.maximum_retry_attempts = 0));
    let discarded = || {
        sim.logs.borrow().iter().any(|(_, t)| {
            t.starts_with("DISCARDED RetryAttemptsExhausted · ")
                && t.contains(" · 1 record · ")
                && t.contains("invoked 1×")
        })
    };
    assert!(sim.run_until(&mut tasks, 30_000, discarded));
    put(&sim, "ok", 10);
    assert!(sim.run_until(&mut tasks, 30_000, || sim.processed_keys() == ["ok"]));
    assert_eq!(failures(&sim).len(), 1, "MaximumRetryAttempts 0: no retry");
    assert!(sim.discarded.borrow().is_empty(), "no destination, nothing sent");
    assert!(sim.logs.borrow().iter().any(|(_, t)| t.contains("there is no on-failure destination")));
}

#[test]
fn a_batch_older_than_the_maximum_record_age_is_discarded_on_the_engine_clock() {
    let sim = Sim::new(Engine::new());
    table(&sim, 1);
    *sim.handler.borrow_mut() = poison_handler();
    put(&sim, "poison", 10);
    let written = sequences(&sim)["poison"].1 * 1000;
    let (mut tasks, _) = start(
        &sim,
        handling(10, |e| {
            e.maximum_record_age_s = 60;
            e.on_failure = true;
        }),
    );
    // Infinite retries (1, 2, 4, 8, then 10 s apart) until the record is a minute old.
    assert!(sim.run_until(&mut tasks, 120_000, || !sim.discarded.borrow().is_empty()));
    let failed = failures(&sim);
    assert!(failed.len() >= 5, "retried until then: {} invocations", failed.len());
    assert!(failed.iter().all(|i| i.start <= written + 60_000), "none invoked past the maximum age");
    let (record, _) = sim.discarded.borrow()[0].clone();
    assert_eq!(record["requestContext"]["condition"], "RecordAgeExceeded");
    assert_eq!(record["requestContext"]["approximateInvokeCount"], failed.len());
    assert!(sim.clock.get() > written + 60_000);
    assert!(sim.logs.borrow().iter().any(|(_, t)| t.contains("older than MaximumRecordAgeInSeconds (60 s)")));
}

#[test]
fn records_already_past_the_maximum_age_are_discarded_without_an_invocation() {
    // Lambda discards records past the maximum age whether or not they fail: a learner who moves
    // the engine clock on sees a batch go to the destination without running.
    let sim = Sim::new(Engine::new());
    table(&sim, 1);
    put(&sim, "stale", 10);
    sim.clock.set(sim.clock.get() + 61_000);
    put(&sim, "fresh", 10);
    let (mut tasks, _) = start(
        &sim,
        handling(1, |e| {
            e.maximum_record_age_s = 60;
            e.on_failure = true;
        }),
    );
    assert!(sim.run_until(&mut tasks, 30_000, || sim.processed_keys() == ["fresh"]));
    assert_eq!(sim.invocations.borrow().len(), 1, "the stale record never reached the handler");
    let (record, error) = sim.discarded.borrow()[0].clone();
    assert_eq!(record["requestContext"]["condition"], "RecordAgeExceeded");
    assert_eq!(record["requestContext"]["approximateInvokeCount"], 0);
    assert!(record.get("responseContext").is_none(), "no function response: it never ran");
    assert_eq!(error, "not invoked: its oldest record was already too old");
}

#[test]
fn bisect_splits_a_failing_batch_down_to_the_poison_record() {
    let sim = Sim::new(Engine::new());
    table(&sim, 1);
    *sim.handler.borrow_mut() = poison_handler();
    let keys = ["k0", "k1", "k2", "k3", "k4", "poison5", "k6", "k7"];
    for k in keys {
        put(&sim, k, 10);
    }
    let (mut tasks, _) = start(
        &sim,
        handling(8, |e| {
            e.bisect_batch_on_function_error = true;
            e.maximum_retry_attempts = 1;
            e.on_failure = true;
        }),
    );
    assert!(sim.run_until(&mut tasks, 60_000, || sim.processed_keys().len() == 7));
    let batches: Vec<(Vec<String>, bool)> =
        sim.invocations.borrow().iter().map(|i| (i.keys.clone(), i.ok)).collect();
    let expect = |ks: &[&str], ok: bool| (ks.iter().map(|k| k.to_string()).collect::<Vec<_>>(), ok);
    assert_eq!(
        batches,
        [
            expect(&keys, false),
            // Split in two (no retry used): the first half passes, the second fails and splits.
            expect(&keys[..4], true),
            expect(&keys[4..], false),
            expect(&keys[4..6], false),
            expect(&["k4"], true),
            // The poison record alone: its one retry, then it is discarded.
            expect(&["poison5"], false),
            expect(&["poison5"], false),
            expect(&["k6", "k7"], true),
        ]
    );
    assert_eq!(sim.processed_keys(), ["k0", "k1", "k2", "k3", "k4", "k6", "k7"], "in order, poison left out");
    let discarded = sim.discarded.borrow();
    assert_eq!(discarded.len(), 1);
    let info = &discarded[0].0["DDBStreamBatchInfo"];
    let seq = sequences(&sim);
    assert_eq!(
        (info["batchSize"].as_u64(), info["startSequenceNumber"].as_str()),
        (Some(1), Some(seq["poison5"].0.as_str()))
    );
    assert_eq!(info["endSequenceNumber"], info["startSequenceNumber"]);
    assert_eq!(discarded[0].0["requestContext"]["approximateInvokeCount"], 2);
    let splits =
        sim.logs.borrow().iter().filter(|(_, t)| t.starts_with("BisectBatchOnFunctionError")).count();
    assert_eq!(splits, 3, "8 → 4 + 4, 4 → 2 + 2, 2 → 1 + 1");
}

#[test]
fn the_invocation_record_has_the_shape_lambda_documents() {
    let sim = Sim::new(Engine::new());
    table(&sim, 1);
    *sim.handler.borrow_mut() = poison_handler();
    put(&sim, "poison", 10);
    sim.clock.set(sim.clock.get() + 1500);
    put(&sim, "a", 10);
    let (mut tasks, _) = start(
        &sim,
        handling(10, |e| {
            e.maximum_retry_attempts = 0;
            e.on_failure = true;
        }),
    );
    assert!(sim.run_until(&mut tasks, 30_000, || !sim.discarded.borrow().is_empty()));
    let (record, _) = sim.discarded.borrow()[0].clone();
    let seq = sequences(&sim);
    let arn = stream_arn(&sim);
    let shard = all_shards(&sim).0[0].id.clone();
    let iso = |s: u64| dynaplay_engine::iso8601_millis(s * 1000).replace(".000", "Z");
    let timestamp = record["timestamp"].as_str().unwrap().to_string();
    assert_eq!(
        record,
        json!({
            "requestContext": {
                "requestId": "000001",
                "functionArn": "arn:aws:lambda:us-east-1:000000000000:function:Tab-trigger",
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": 1,
            },
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
            "version": "1.0",
            "timestamp": timestamp,
            "DDBStreamBatchInfo": {
                "shardId": shard,
                "startSequenceNumber": seq["poison"].0,
                "endSequenceNumber": seq["a"].0,
                "approximateArrivalOfFirstRecord": iso(seq["poison"].1),
                "approximateArrivalOfLastRecord": iso(seq["a"].1),
                "batchSize": 2,
                "streamArn": arn,
            },
        })
    );
    // The discard's time on the engine clock, to the millisecond.
    let failed = failures(&sim);
    let at = |ms: u64| format!("{}Z", dynaplay_engine::iso8601_millis(ms));
    assert!(
        timestamp.len() == 24 && timestamp >= at(failed[0].end) && timestamp <= at(sim.clock.get()),
        "{timestamp}"
    );
    assert!(arn.starts_with("arn:aws:dynamodb:us-east-1:000000000000:table/Tab/stream/"));
    let (summary, text) = sim.discarded_text.borrow()[0].clone();
    assert_eq!(
        summary,
        format!(
            "RetryAttemptsExhausted · {} · 2 records · sequence numbers {} – {} · invoked 1×",
            short_shard(&shard),
            seq["poison"].0,
            seq["a"].0
        )
    );
    // As text: indented as the page shows JSON, the members in the order Lambda's documentation
    // shows them (a `Value` would sort them).
    let expected = format!(
        r#"{{
  "requestContext": {{
    "requestId": "000001",
    "functionArn": "arn:aws:lambda:us-east-1:000000000000:function:Tab-trigger",
    "condition": "RetryAttemptsExhausted",
    "approximateInvokeCount": 1
  }},
  "responseContext": {{
    "statusCode": 200,
    "executedVersion": "$LATEST",
    "functionError": "Unhandled"
  }},
  "version": "1.0",
  "timestamp": "{timestamp}",
  "DDBStreamBatchInfo": {{
    "shardId": "{shard}",
    "startSequenceNumber": "{}",
    "endSequenceNumber": "{}",
    "approximateArrivalOfFirstRecord": "{}",
    "approximateArrivalOfLastRecord": "{}",
    "batchSize": 2,
    "streamArn": "{arn}"
  }}
}}"#,
        seq["poison"].0,
        seq["a"].0,
        iso(seq["poison"].1),
        iso(seq["a"].1)
    );
    assert_eq!(text, expected);
    assert_ne!(seq["poison"].1, seq["a"].1, "first and last arrival differ (1.5 s apart)");
}

#[test]
fn the_function_arn_follows_the_streams_region_and_account() {
    let arn = "arn:aws:dynamodb:eu-west-3:123456789012:table/Orders.v2/stream/2026-01-01T00:00:00.000";
    assert_eq!(
        error_handling::function_arn(arn),
        "arn:aws:lambda:eu-west-3:123456789012:function:Orders.v2-trigger"
    );
}

#[test]
fn settings_updated_while_a_batch_fails_apply_to_its_next_retry() {
    let sim = Sim::new(Engine::new());
    table(&sim, 1);
    *sim.handler.borrow_mut() = poison_handler();
    put(&sim, "poison", 10);
    let (mut tasks, mapping) = start(&sim, handling(10, |_| {}));
    assert!(sim.run_until(&mut tasks, 30_000, || failures(&sim).len() == 3));
    // Infinite retries so far; the learner sets MaximumRetryAttempts 3 and a destination.
    {
        let mut m = mapping.borrow_mut();
        m.config.error_handling.maximum_retry_attempts = 3;
        m.config.error_handling.on_failure = true;
    }
    assert!(sim.run_until(&mut tasks, 30_000, || !sim.discarded.borrow().is_empty()));
    assert_eq!(failures(&sim).len(), 4, "the 3rd retry was the last");
}

#[test]
fn stored_mappings_keep_their_error_handling_and_old_ones_get_lambdas_defaults() {
    let m = handling(10, |e| {
        *e = ErrorHandling {
            maximum_retry_attempts: 5,
            maximum_record_age_s: 3600,
            bisect_batch_on_function_error: true,
            on_failure: true,
        }
    });
    let text = m.to_json("Orders");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        (&v["MaximumRetryAttempts"], &v["MaximumRecordAgeInSeconds"], &v["BisectBatchOnFunctionError"]),
        (&json!(5), &json!(3600), &json!(true))
    );
    assert_eq!(
        v["DestinationConfig"],
        json!({"OnFailure": {"Destination": error_handling::IN_PAGE_DESTINATION}})
    );
    assert_eq!(Mapping::from_json(&text), Some(("Orders".to_string(), m)));
    // No destination is stored as GetEventSourceMapping shows it: an empty OnFailure.
    let plain = Mapping::new(config("LATEST", 5)).to_json("T");
    assert_eq!(serde_json::from_str::<Value>(&plain).unwrap()["DestinationConfig"], json!({"OnFailure": {}}));
    // Stored before these settings existed: Lambda's defaults (-1, -1, false, no destination).
    let old = r#"{"TableName":"T","Code":"x","BatchSize":5,"StartingPosition":"LATEST","TimeoutMs":3000,"StreamArn":null,"Positions":{"s":"12"}}"#;
    let (_, m) = Mapping::from_json(old).unwrap();
    assert_eq!(m.config.error_handling, ErrorHandling::default());
    assert_eq!(
        (m.config.error_handling.maximum_retry_attempts, m.config.error_handling.maximum_record_age_s),
        (-1, -1)
    );
    assert!(!m.config.error_handling.bisect_batch_on_function_error && !m.config.error_handling.on_failure);
    assert_eq!(m.positions.get("s"), Some(&Position::After("12".into())));
    // Values Lambda refuses are refused here too.
    for bad in [
        r#""MaximumRetryAttempts":10001"#,
        r#""MaximumRecordAgeInSeconds":30"#,
        r#""MaximumRetryAttempts":"3""#,
    ] {
        let text = old.replace(r#""StreamArn""#, &format!(r#"{bad},"StreamArn""#));
        assert_eq!(Mapping::from_json(&text), None, "{text}");
    }
}
