//! The workload generator: seeded streams of GetItem / PutItem requests that run on engine
//! time. A workload issues its `i`-th request at `start + floor(i × 1000 / RequestsPerSecond)`
//! engine milliseconds, so whenever the host moves time forward the engine replays exactly the
//! requests that fall due, in time order, through the same entry point as any client. The same
//! seed, settings and time steps give the same requests and therefore the same metrics.
//!
//! Key distributions over `KeyCount` partition-key values (`key-0`, `key-1`, … for S keys; the
//! numbers for N; their decimal bytes for B; a table's sort key, if any, is always `0`):
//! - `UNIFORM`: each key equally likely;
//! - `ZIPFIAN`: key `k` with weight `1 / (k + 1)^ZipfExponent` (default 0.99), by inverse CDF;
//! - `SEQUENTIAL`: key `i mod KeyCount` for the `i`-th request;
//! - `HOT_KEY`: `key-0` with probability `HotKeyShare` (default 1.0), else uniform.
//!
//! Reads are eventually consistent GetItems (`ConsistentReads: true` for strong), a fraction
//! `ReadRatio` of requests; writes are PutItems of about `ItemSizeBytes` bytes.
//!
//! Bounds on work: at most [`MAX_WORKLOADS`] run at once (and the list keeps no more), each
//! writing at most [`MAX_DATA_BYTES`] of items (`KeyCount` × `ItemSizeBytes`); one call
//! that moves engine time (`Engine::set_now`, `advance`) runs at most
//! `EngineConfig::workload_step_budget` units of work ([`Workload::cost`]: one per request, one
//! more per KiB written). Requests past the budget are not skipped: engine time stops at the
//! last request run and the next call carries on from there, so every request still runs, at
//! its own engine time, and a host that gives each animation frame one call never blocks for
//! longer than the budget — under more load than that, engine time falls behind the clock.

use serde_json::{json, Map, Value};

use crate::error::{ApiResult, ErrorKind};
use crate::ops::request;
use crate::types::{KeySchema, ScalarType};

/// Most workloads running at once; the list keeps at most this many (the oldest stopped ones
/// are forgotten first).
pub(crate) const MAX_WORKLOADS: usize = 10;
/// The work one time step may do unless the host chooses otherwise (see the module docs).
pub(crate) const DEFAULT_STEP_BUDGET: u64 = 1_000_000;
/// Most keys a workload draws from.
pub(crate) const MAX_KEYS: u64 = 100_000;
/// Highest request rate.
pub(crate) const MAX_RATE: u64 = 100_000;
/// Largest item a workload writes (a kilobyte under DynamoDB's 400 KB, for the key).
pub(crate) const MAX_ITEM_SIZE: u64 = 400 * 1024 - 1024;
/// Most item bytes one workload may write (`KeyCount` × `ItemSizeBytes`, when it writes at
/// all): 256 MiB. The table a workload fills lives in memory — in a browser tab, in a wasm
/// memory of at most 4 GiB that a snapshot briefly needs two or three times over — so the
/// largest items over the most keys (40 GB) would end the page instead of teaching anything.
pub(crate) const MAX_DATA_BYTES: u64 = 256 << 20;
/// Steepest Zipf exponent.
pub(crate) const MAX_ZIPF_EXPONENT: f64 = 5.0;

/// Key distributions.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Distribution {
    Uniform,
    /// Cumulative weights for inverse-CDF sampling.
    Zipfian(Vec<f64>),
    Sequential,
    HotKey(f64),
}

/// SplitMix64: tiny, fast, and the same on every platform.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One running workload.
#[derive(Clone, Debug)]
pub(crate) struct Workload {
    pub id: u64,
    pub table: String,
    pub spec: Value,
    distribution: Distribution,
    key_count: u64,
    rate: u64,
    read_ratio: f64,
    consistent: bool,
    item_size: usize,
    rng: Rng,
    start_ms: u64,
    /// Requests issued so far: the next request's number.
    issued: u64,
    /// Engine time the workload ends (exclusive), if bounded.
    until_ms: Option<u64>,
    pub running: bool,
    pub stats: Stats,
}

/// What a workload's requests met.
#[derive(Clone, Debug, Default)]
pub(crate) struct Stats {
    pub reads: u64,
    pub writes: u64,
    pub throttled: u64,
    pub errors: u64,
    pub last_error: Option<String>,
}

impl Workload {
    /// Reads a `PlaygroundStartWorkload` request its schema has checked
    /// (`ops/playground_start_workload.rs`): absent members take their defaults.
    pub fn from_request(id: u64, request: &Value, now: u64) -> Self {
        let table = request.get("TableName").and_then(Value::as_str).unwrap_or_default().to_owned();
        let int = |name: &str, default: u64, max: u64| -> u64 {
            request::integer(request, name).map_or(default, |n| n.clamp(1, max as i64) as u64)
        };
        let float = |name: &str, default: f64, max: f64| -> f64 {
            // Not f64::clamp: its panic message would format floats, and that code would ship.
            request.get(name).and_then(Value::as_f64).map_or(default, |n| n.max(0.0).min(max))
        };
        let key_count = int("KeyCount", 1_000, MAX_KEYS);
        let rate = int("RequestsPerSecond", 100, MAX_RATE);
        let item_size = int("ItemSizeBytes", 100, MAX_ITEM_SIZE) as usize;
        // Any u64 is a seed; a fraction is truncated, as the other integers are.
        let seed = request.get("Seed").and_then(|v| v.as_u64().or_else(|| v.as_f64().map(|f| f as u64)));
        let read_ratio = float("ReadRatio", 0.5, 1.0);
        let distribution = match request.get("Distribution").and_then(Value::as_str).unwrap_or("UNIFORM") {
            "SEQUENTIAL" => Distribution::Sequential,
            "HOT_KEY" => Distribution::HotKey(float("HotKeyShare", 1.0, 1.0)),
            "ZIPFIAN" => {
                let s = float("ZipfExponent", 0.99, MAX_ZIPF_EXPONENT);
                let mut total = 0.0;
                let cdf: Vec<f64> = (0..key_count)
                    .map(|k| {
                        total += 1.0 / ((k + 1) as f64).powf(s);
                        total
                    })
                    .collect();
                Distribution::Zipfian(cdf.into_iter().map(|c| c / total).collect())
            }
            _ => Distribution::Uniform,
        };
        let until_ms = request::integer(request, "DurationSeconds")
            .map(|seconds| now.saturating_add((seconds.max(0) as u64).saturating_mul(1000)));
        Self {
            id,
            table,
            spec: request.clone(),
            distribution,
            key_count,
            rate,
            read_ratio,
            consistent: request::boolean(request, "ConsistentReads"),
            item_size,
            rng: Rng(seed.unwrap_or(1) ^ 0x5eed_0000_0000_0000),
            start_ms: now,
            issued: 0,
            until_ms,
            running: true,
            stats: Stats::default(),
        }
    }

    /// Engine time of the next request, if any.
    pub fn next_at(&self) -> Option<u64> {
        if !self.running {
            return None;
        }
        let at = self.start_ms + (u128::from(self.issued) * 1000 / u128::from(self.rate)) as u64;
        match self.until_ms {
            Some(until) if at >= until => None,
            _ => Some(at),
        }
    }

    /// Whether it still issues requests.
    pub fn is_running(&self) -> bool {
        self.next_at().is_some()
    }

    /// The most item bytes it can leave in its table: an item of its size for each key it can
    /// reach — every key, or as many as it sends requests when it has a `DurationSeconds` —
    /// none when it only reads. Checked against [`MAX_DATA_BYTES`] at the start.
    pub fn data_bytes(&self) -> u64 {
        if self.read_ratio >= 1.0 {
            return 0;
        }
        let requests = self.until_ms.map_or(u64::MAX, |until| {
            until.saturating_sub(self.start_ms).saturating_mul(self.rate) / 1000 + 1
        });
        self.key_count.min(requests).saturating_mul(self.item_size as u64)
    }

    /// The work one of its requests (`operation`) costs against a step's budget: one, and one
    /// more per KiB of item it writes.
    pub fn cost(&self, operation: &str) -> u64 {
        1 + if operation == "PutItem" { (self.item_size / 1024) as u64 } else { 0 }
    }

    fn pick_key(&mut self) -> u64 {
        let n = self.key_count;
        // Two draws per request whatever the distribution, so streams stay easy to reason about.
        let a = self.rng.next();
        let b = self.rng.next();
        let unit = |x: u64| (x >> 11) as f64 / (1u64 << 53) as f64;
        match &self.distribution {
            Distribution::Uniform => a % n,
            Distribution::Sequential => self.issued % n,
            Distribution::HotKey(share) => {
                if unit(a) < *share {
                    0
                } else {
                    b % n
                }
            }
            Distribution::Zipfian(cdf) => {
                let u = unit(a);
                (cdf.partition_point(|c| *c < u) as u64).min(n - 1)
            }
        }
    }

    /// The next request: (operation, body). Advances the workload.
    pub fn next_request(&mut self, schema: &KeySchema) -> (&'static str, Value) {
        let k = self.pick_key();
        let read = self.rng.unit() < self.read_ratio;
        self.issued += 1;
        let mut key = Map::new();
        key.insert(schema.partition_key.name.clone(), key_value(schema.partition_key.scalar_type, k));
        if let Some(sk) = &schema.sort_key {
            key.insert(sk.name.clone(), key_value(sk.scalar_type, 0));
        }
        if read {
            self.stats.reads += 1;
            let body = json!({"TableName": self.table, "Key": key, "ConsistentRead": self.consistent});
            ("GetItem", body)
        } else {
            self.stats.writes += 1;
            let key_bytes: usize = key.iter().map(|(n, v)| n.len() + value_len(v)).sum();
            let pad = self.item_size.saturating_sub(key_bytes + "payload".len()).max(1);
            key.insert("payload".into(), json!({"S": "x".repeat(pad)}));
            ("PutItem", json!({"TableName": self.table, "Item": key}))
        }
    }

    /// Counts the outcome of one request.
    pub fn record(&mut self, result: &ApiResult<Value>) {
        if let Err(e) = result {
            match e.kind {
                ErrorKind::ProvisionedThroughputExceeded | ErrorKind::Throttling => self.stats.throttled += 1,
                ErrorKind::ResourceNotFound => {
                    self.stats.errors += 1;
                    self.running = false;
                    self.stats.last_error = Some(e.message.clone());
                }
                _ => {
                    self.stats.errors += 1;
                    self.stats.last_error = Some(e.message.clone());
                }
            }
        }
    }

    /// The workload as `PlaygroundListWorkloads` shows it.
    pub fn describe(&self) -> Value {
        json!({
            "WorkloadId": self.id,
            "TableName": self.table,
            "Running": self.is_running(),
            "Settings": self.spec,
            "Requests": self.issued,
            "Reads": self.stats.reads,
            "Writes": self.stats.writes,
            "Throttled": self.stats.throttled,
            "Errors": self.stats.errors,
            "LastError": self.stats.last_error,
        })
    }
}

fn key_value(t: ScalarType, k: u64) -> Value {
    match t {
        ScalarType::S => json!({"S": format!("key-{k}")}),
        ScalarType::N => json!({"N": k.to_string()}),
        ScalarType::B => {
            json!({"B": crate::types::base64::encode(k.to_string().as_bytes())})
        }
    }
}

fn value_len(v: &Value) -> usize {
    v.as_object().and_then(|m| m.values().next()).and_then(Value::as_str).map_or(1, str::len)
}
