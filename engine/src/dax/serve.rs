//! A DynamoDB request sent through a cluster (`PlaygroundDaxRequest`): answered from the item
//! or query cache when it can be, else by the table (which charges capacity as usual); writes
//! go to the table, then through to the item cache. The DynamoDB answer is the same shape as
//! the table's own.
//!
//! The table decides every error: a request the cache cannot place (malformed, an unknown
//! table, a bad key) is passed to the table as it is, which refuses it in DynamoDB's words.
//! The checks before a hit are the request's shape, its projection and its key; a request
//! whose only fault lies deeper (a batch over DynamoDB's limits, say) can be answered from a
//! warm cache where DynamoDB would refuse it.
//!
//! Simplifications (README, "DAX"): an item entry holds the whole item and a projection is
//! applied to it; a hit answers `ConsumedCapacity` with 0 units when asked; TransactWriteItems
//! writes through without the background TransactGetItems DAX makes (its extra reads are not
//! charged); a delete through DAX drops the item's entry.

use serde_json::{json, Map, Value};

use super::cache::{Cached, EntryKey, ENTRY_OVERHEAD};
use super::{latency, Counter};
use crate::capacity::{Consumed, ReturnConsumedCapacity};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::expr::{self, legacy, ExpressionAttributes, Projection};
use crate::ops::{self, request};
use crate::types::{item_from_json, item_size, item_to_json, Item};

/// How a request went through the cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Answered from the cache alone.
    Hit,
    /// Read from the table (and cached).
    Miss,
    /// A BatchGetItem partly answered from the cache.
    PartialHit,
    /// Sent to the table and not cached: a strongly consistent or transactional read.
    PassThrough,
    /// A write sent to the table, then to the item cache.
    WriteThrough,
}

impl Outcome {
    fn name(self) -> &'static str {
        match self {
            Self::Hit => "HIT",
            Self::Miss => "MISS",
            Self::PartialHit => "PARTIAL_HIT",
            Self::PassThrough => "PASS_THROUGH",
            Self::WriteThrough => "WRITE_THROUGH",
        }
    }
}

/// What serving one request came to.
struct Served {
    answer: Value,
    outcome: Outcome,
    /// Which cache was asked (`None`: neither).
    cache: Option<&'static str>,
    hits: u32,
    misses: u32,
}

impl Served {
    fn new(answer: Value, outcome: Outcome) -> Self {
        Self { answer, outcome, cache: None, hits: 0, misses: 0 }
    }
}

/// Serves `operation` with `request` through `cluster`: `{Response, Outcome, Cache?,
/// CacheHits, CacheMisses, LatencyMicroseconds}`.
pub(crate) fn serve(
    engine: &mut Engine,
    cluster: &str,
    operation: &str,
    request: &Value,
) -> ApiResult<Value> {
    engine.dax.cluster(cluster)?;
    let served = match operation {
        "GetItem" => get_item(engine, cluster, request)?,
        "BatchGetItem" => batch_get_item(engine, cluster, request)?,
        "Query" | "Scan" => query(engine, cluster, operation, request)?,
        "TransactGetItems" => Served::new(ops::dispatch(engine, operation, request)?, Outcome::PassThrough),
        "PutItem" | "UpdateItem" | "DeleteItem" | "BatchWriteItem" | "TransactWriteItems" => {
            write(engine, cluster, operation, request)?
        }
        _ => {
            return Err(ApiError::validation(format!(
                "DAX does not serve {operation}: send it to the table's endpoint"
            )))
        }
    };
    let second = engine.now_ms / 1000;
    if let Ok(c) = engine.dax.cluster_mut(cluster) {
        c.metrics.add(second, Counter::Requests, 1);
        let (hit, miss) = match served.cache {
            Some("QUERY") => (Counter::QueryCacheHits, Counter::QueryCacheMisses),
            _ => (Counter::ItemCacheHits, Counter::ItemCacheMisses),
        };
        c.metrics.add(second, hit, served.hits);
        c.metrics.add(second, miss, served.misses);
    }
    let micros = match served.outcome {
        Outcome::Hit => latency::HIT,
        Outcome::WriteThrough => latency::WRITE,
        _ => latency::MISS,
    };
    let mut m = Map::new();
    m.insert("Response".into(), served.answer);
    m.insert("Outcome".into(), json!(served.outcome.name()));
    if let Some(cache) = served.cache {
        m.insert("Cache".into(), json!(cache));
    }
    m.insert("CacheHits".into(), json!(served.hits));
    m.insert("CacheMisses".into(), json!(served.misses));
    m.insert("LatencyMicroseconds".into(), json!(micros));
    Ok(Value::Object(m))
}

/// Whether a read asks for strong consistency.
fn consistent(request: &Value) -> bool {
    request::boolean(request, "ConsistentRead")
}

/// A request the cache cannot place, answered by the table: its error, or (if the checks
/// here were stricter than DynamoDB's) its answer, uncached.
fn to_table(engine: &mut Engine, operation: &str, request: &Value, cache: &'static str) -> ApiResult<Served> {
    let answer = ops::dispatch(engine, operation, request)?;
    Ok(Served { answer, outcome: Outcome::Miss, cache: Some(cache), hits: 0, misses: 1 })
}

/// A read's projection (`ProjectionExpression` or `AttributesToGet` of `spec`), checked as
/// GetItem checks it.
fn projection(spec: &Value) -> ApiResult<Option<Projection>> {
    request::check_expression_params(spec, &["ProjectionExpression"], &["AttributesToGet"])?;
    let attributes_to_get = legacy::attributes_to_get(spec)?;
    let mut attrs = ExpressionAttributes::from_request(spec)?;
    let projection = match request::string(spec, "ProjectionExpression") {
        Some(text) => Some(expr::parse_projection(text, &mut attrs)?),
        None => attributes_to_get,
    };
    attrs.check_all_used()?;
    Ok(projection)
}

/// `spec` without its projection: what the cache asks the table for (whole items).
fn whole(spec: &Value) -> Value {
    let mut spec = spec.clone();
    if let Some(m) = spec.as_object_mut() {
        for member in ["ProjectionExpression", "AttributesToGet", "ExpressionAttributeNames"] {
            m.remove(member);
        }
    }
    spec
}

/// `item` as the request's projection shows it, in DynamoDB JSON.
fn shown(item: &Item, projection: Option<&Projection>) -> Value {
    match projection {
        Some(p) => item_to_json(&p.apply(item)),
        None => item_to_json(item),
    }
}

/// An item cache key: the table and the key's attributes as canonical JSON text (numbers
/// normalised, members ordered).
pub(crate) fn item_key(table: &str, key: &Item) -> EntryKey {
    EntryKey::Item { table: table.to_owned(), key: item_to_json(key).to_string() }
}

/// The key attributes of `item` for table `table`, checked against its key schema.
fn key_of(engine: &Engine, table: &str, key: &Item, whole_item: bool) -> ApiResult<Item> {
    let table = engine.tables.get(table).ok_or_else(ApiError::resource_not_found)?;
    let schema = &table.key_schema;
    let key: Item =
        key.iter().filter(|(name, _)| schema.is_key(name)).map(|(n, v)| (n.clone(), v.clone())).collect();
    if whole_item {
        schema.key_of_item(&key)?;
    } else {
        schema.key_of_key(&key)?;
    }
    Ok(key)
}

/// Caches what the table now holds under `key` (a miss's read, a write through): the item, a
/// negative entry when `negative_if_absent`, else nothing (a delete drops the entry).
fn cache_item(
    engine: &mut Engine,
    cluster: &str,
    table: &str,
    key: Item,
    item: Option<Item>,
    negative_if_absent: bool,
) {
    let now = engine.now_ms;
    let (record_ttl, _) = engine.dax.ttls(cluster);
    let limit = super::cache_limit(engine, cluster);
    let entry = item_key(table, &key);
    let Ok(c) = engine.dax.cluster_mut(cluster) else { return };
    if item.is_none() && !negative_if_absent {
        c.cache.remove(&entry);
        return;
    }
    let bytes = item.as_ref().map_or_else(|| item_size(&key), item_size) as u64 + ENTRY_OVERHEAD;
    let ttl = (record_ttl > 0).then_some(record_ttl);
    let evicted = c.cache.insert(entry, Cached::Item { key, item }, bytes, now, ttl, limit);
    count_evictions(c, now, evicted);
}

fn count_evictions(c: &mut super::Cluster, now: u64, (items, queries): super::cache::Evicted) {
    c.metrics.add(now / 1000, Counter::ItemCacheEvictions, items);
    c.metrics.add(now / 1000, Counter::QueryCacheEvictions, queries);
}

/// `ConsumedCapacity` of a hit, when the request asks for it: no units.
fn nothing_consumed(table: &str, request: &Value) -> Option<Value> {
    Consumed::table(0.0).to_json(table, ReturnConsumedCapacity::from_request(request))
}

fn get_item(engine: &mut Engine, cluster: &str, request: &Value) -> ApiResult<Served> {
    if consistent(request) {
        return Ok(Served::new(ops::dispatch(engine, "GetItem", request)?, Outcome::PassThrough));
    }
    let placed = (|| {
        let schema = ops::operation("GetItem").map_or(&[][..], |spec| spec.request_members());
        crate::validate::check(request, schema)?;
        let projection = projection(request)?;
        let table = request::string(request, "TableName").unwrap_or_default().to_owned();
        let key = request::attribute_map(request, "Key")?.unwrap_or_default();
        let key = key_of(engine, &table, &key, false)?;
        Ok::<_, ApiError>((table, key, projection))
    })();
    let Ok((table, key, projection)) = placed else { return to_table(engine, "GetItem", request, "ITEM") };
    let now = engine.now_ms;
    let entry = item_key(&table, &key);
    let c = engine.dax.cluster_mut(cluster)?;
    if let Some(found) = c.cache.lookup(&entry, now) {
        let mut answer = Map::new();
        if let Some(consumed) = nothing_consumed(&table, request) {
            answer.insert("ConsumedCapacity".into(), consumed);
        }
        if let Cached::Item { item: Some(item), .. } = &found.cached {
            answer.insert("Item".into(), shown(item, projection.as_ref()));
        }
        return Ok(Served {
            answer: Value::Object(answer),
            outcome: Outcome::Hit,
            cache: Some("ITEM"),
            hits: 1,
            misses: 0,
        });
    }
    let mut answer = ops::dispatch(engine, "GetItem", &whole(request))?;
    let item = answer.get("Item").map(item_from_json).transpose()?;
    if let (Some(item), Some(m)) = (&item, answer.as_object_mut()) {
        m.insert("Item".into(), shown(item, projection.as_ref()));
    }
    cache_item(engine, cluster, &table, key, item, true);
    Ok(Served { answer, outcome: Outcome::Miss, cache: Some("ITEM"), hits: 0, misses: 1 })
}

/// One table's part of a BatchGetItem, placed in the cache.
struct BatchTable {
    name: String,
    /// Its `KeysAndAttributes` as asked.
    spec: Value,
    consistent: bool,
    projection: Option<Projection>,
    keys: Vec<Item>,
}

/// The tables of a BatchGetItem, if the cache can place every key.
fn batch_tables(engine: &Engine, request: &Value) -> ApiResult<Vec<BatchTable>> {
    let schema = ops::operation("BatchGetItem").map_or(&[][..], |spec| spec.request_members());
    crate::validate::check(request, schema)?;
    let refused = || ApiError::validation("");
    let tables = request.get("RequestItems").and_then(Value::as_object).ok_or_else(refused)?;
    let mut out = Vec::new();
    let mut total = 0;
    for (name, spec) in tables {
        let mut keys: Vec<Item> = Vec::new();
        for key in spec.get("Keys").and_then(Value::as_array).ok_or_else(refused)? {
            let key = key_of(engine, name, &item_from_json(key)?, false)?;
            // DynamoDB refuses a batch naming a key twice: the table says so.
            if keys.contains(&key) {
                return Err(refused());
            }
            keys.push(key);
        }
        total += keys.len();
        let projection = projection(spec)?;
        out.push(BatchTable {
            name: name.clone(),
            spec: spec.clone(),
            consistent: consistent(spec),
            projection,
            keys,
        });
    }
    // DynamoDB's limit of 100 keys a batch, refused by the table.
    if total == 0 || total > 100 {
        return Err(refused());
    }
    Ok(out)
}

fn batch_get_item(engine: &mut Engine, cluster: &str, request: &Value) -> ApiResult<Served> {
    let Ok(tables) = batch_tables(engine, request) else {
        return to_table(engine, "BatchGetItem", request, "ITEM");
    };
    let now = engine.now_ms;
    let (mut hits, mut misses) = (0, 0);
    let mut responses = Map::new();
    let mut asked = Map::new();
    {
        let c = engine.dax.cluster_mut(cluster)?;
        for t in &tables {
            if t.consistent {
                asked.insert(t.name.clone(), t.spec.clone());
                continue;
            }
            let mut found = Vec::new();
            let mut missing = Vec::new();
            for key in &t.keys {
                match c.cache.lookup(&item_key(&t.name, key), now) {
                    Some(entry) => {
                        hits += 1;
                        if let Cached::Item { item: Some(item), .. } = &entry.cached {
                            found.push(shown(item, t.projection.as_ref()));
                        }
                    }
                    None => {
                        misses += 1;
                        missing.push(item_to_json(key));
                    }
                }
            }
            responses.insert(t.name.clone(), Value::Array(found));
            if !missing.is_empty() {
                asked.insert(t.name.clone(), json!({ "Keys": missing }));
            }
        }
    }
    let mut answer = Map::new();
    if asked.is_empty() {
        let consumed: Vec<Value> = tables.iter().filter_map(|t| nothing_consumed(&t.name, request)).collect();
        if !consumed.is_empty() {
            answer.insert("ConsumedCapacity".into(), Value::Array(consumed));
        }
    } else {
        let mut ask = json!({ "RequestItems": asked });
        if let Some(rcc) = request.get("ReturnConsumedCapacity") {
            ask["ReturnConsumedCapacity"] = rcc.clone();
        }
        let got = ops::dispatch(engine, "BatchGetItem", &ask)?;
        let unprocessed = got.get("UnprocessedKeys").and_then(Value::as_object).cloned().unwrap_or_default();
        let mut left = Map::new();
        for t in &tables {
            let read =
                got.pointer(&format!("/Responses/{}", pointer_escape(&t.name))).and_then(Value::as_array);
            let read = read.map_or(&[][..], Vec::as_slice);
            if t.consistent {
                responses.insert(t.name.clone(), Value::Array(read.to_vec()));
                if let Some(keys) = unprocessed.get(&t.name) {
                    left.insert(t.name.clone(), keys.clone());
                }
                continue;
            }
            let not_read: Vec<Item> = unprocessed
                .get(&t.name)
                .and_then(|k| k.get("Keys"))
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .filter_map(|k| item_from_json(k).ok())
                .collect();
            let mut asked_keys: Vec<Item> = Vec::new();
            if let Some(keys) = got_keys(&ask, &t.name) {
                asked_keys = keys;
            }
            for item in read {
                let item = item_from_json(item)?;
                let key = key_of(engine, &t.name, &item, true)?;
                if let Some(list) = responses.get_mut(&t.name).and_then(Value::as_array_mut) {
                    list.push(shown(&item, t.projection.as_ref()));
                }
                asked_keys.retain(|k| *k != key);
                cache_item(engine, cluster, &t.name, key, Some(item), true);
            }
            // Keys asked, processed and not returned: no such item (a negative entry).
            for key in asked_keys.into_iter().filter(|k| !not_read.contains(k)) {
                cache_item(engine, cluster, &t.name, key, None, true);
            }
            if !not_read.is_empty() {
                let mut spec = t.spec.clone();
                spec["Keys"] = Value::Array(not_read.iter().map(item_to_json).collect());
                left.insert(t.name.clone(), spec);
            }
        }
        if let Some(consumed) = got.get("ConsumedCapacity") {
            answer.insert("ConsumedCapacity".into(), consumed.clone());
        }
        answer.insert("UnprocessedKeys".into(), Value::Object(left));
    }
    answer.insert("Responses".into(), Value::Object(responses));
    if !answer.contains_key("UnprocessedKeys") {
        answer.insert("UnprocessedKeys".into(), json!({}));
    }
    let outcome = match (hits, misses) {
        (0, 0) => Outcome::PassThrough,
        (_, 0) => Outcome::Hit,
        (0, _) => Outcome::Miss,
        _ => Outcome::PartialHit,
    };
    Ok(Served { answer: Value::Object(answer), outcome, cache: Some("ITEM"), hits, misses })
}

/// The keys a BatchGetItem of ours asked `table` for.
fn got_keys(ask: &Value, table: &str) -> Option<Vec<Item>> {
    let keys = ask.get("RequestItems")?.get(table)?.get("Keys")?.as_array()?;
    Some(keys.iter().filter_map(|k| item_from_json(k).ok()).collect())
}

/// A table name as one step of a JSON pointer.
fn pointer_escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

fn query(engine: &mut Engine, cluster: &str, operation: &str, request: &Value) -> ApiResult<Served> {
    if consistent(request) {
        return Ok(Served::new(ops::dispatch(engine, operation, request)?, Outcome::PassThrough));
    }
    let Some(table) = request::string(request, "TableName").map(str::to_owned) else {
        return to_table(engine, operation, request, "QUERY");
    };
    // The same request asks the same question whichever capacity report it wants.
    let mut asked = request.clone();
    if let Some(m) = asked.as_object_mut() {
        m.remove("ReturnConsumedCapacity");
    }
    let entry = EntryKey::Query { table: table.clone(), request: format!("{operation} {asked}") };
    let now = engine.now_ms;
    let c = engine.dax.cluster_mut(cluster)?;
    if let Some(found) = c.cache.lookup(&entry, now) {
        let mut answer = match &found.cached {
            Cached::Query { answer, .. } => answer.clone(),
            Cached::Item { .. } => json!({}),
        };
        if let (Some(consumed), Some(m)) = (nothing_consumed(&table, request), answer.as_object_mut()) {
            m.insert("ConsumedCapacity".into(), consumed);
        }
        return Ok(Served { answer, outcome: Outcome::Hit, cache: Some("QUERY"), hits: 1, misses: 0 });
    }
    let answer = ops::dispatch(engine, operation, request)?;
    let (_, query_ttl) = engine.dax.ttls(cluster);
    // A query TTL of 0 caches no answers.
    if query_ttl > 0 {
        let limit = super::cache_limit(engine, cluster);
        let mut kept = answer.clone();
        if let Some(m) = kept.as_object_mut() {
            m.remove("ConsumedCapacity");
        }
        let bytes = kept.to_string().len() as u64 + ENTRY_OVERHEAD;
        let operation = if operation == "Query" { "Query" } else { "Scan" };
        let cached = Cached::Query { operation, request: asked, answer: kept };
        let c = engine.dax.cluster_mut(cluster)?;
        let evicted = c.cache.insert(entry, cached, bytes, now, Some(query_ttl), limit);
        count_evictions(c, now, evicted);
    }
    Ok(Served { answer, outcome: Outcome::Miss, cache: Some("QUERY"), hits: 0, misses: 1 })
}

/// The items a write request changes: (table, key attributes), before it runs (they are read
/// from the request; a key the table would refuse fails the write itself).
fn written_keys(engine: &Engine, operation: &str, request: &Value) -> Vec<(String, Item)> {
    let mut keys = Vec::new();
    let mut note = |table: Option<&str>, key: Option<&Value>, whole_item: bool| {
        let (Some(table), Some(key)) = (table, key) else { return };
        if let Ok(key) = item_from_json(key).and_then(|k| key_of(engine, table, &k, whole_item)) {
            keys.push((table.to_owned(), key));
        }
    };
    match operation {
        "PutItem" => note(request::string(request, "TableName"), request.get("Item"), true),
        "UpdateItem" | "DeleteItem" => note(request::string(request, "TableName"), request.get("Key"), false),
        "BatchWriteItem" => {
            for (table, writes) in
                request.get("RequestItems").and_then(Value::as_object).into_iter().flatten()
            {
                for w in writes.as_array().map_or(&[][..], Vec::as_slice) {
                    note(Some(table), w.pointer("/PutRequest/Item"), true);
                    note(Some(table), w.pointer("/DeleteRequest/Key"), false);
                }
            }
        }
        _ => {
            for action in
                request.get("TransactItems").and_then(Value::as_array).map_or(&[][..], Vec::as_slice)
            {
                for (kind, member, whole_item) in
                    [("Put", "Item", true), ("Update", "Key", false), ("Delete", "Key", false)]
                {
                    if let Some(a) = action.get(kind) {
                        note(request::string(a, "TableName"), a.get(member), whole_item);
                    }
                }
            }
        }
    }
    keys
}

fn write(engine: &mut Engine, cluster: &str, operation: &str, request: &Value) -> ApiResult<Served> {
    let keys = written_keys(engine, operation, request);
    let answer = ops::dispatch(engine, operation, request)?;
    // What a batch left unprocessed was not written: its cache entries stay as they were.
    let unprocessed = answer.get("UnprocessedItems").and_then(Value::as_object);
    for (table, key) in keys {
        let left = unprocessed.and_then(|u| u.get(&table)).and_then(Value::as_array).is_some_and(|writes| {
            writes.iter().any(|w| {
                [w.pointer("/PutRequest/Item"), w.pointer("/DeleteRequest/Key")]
                    .into_iter()
                    .flatten()
                    .filter_map(|v| item_from_json(v).ok())
                    .any(|i| key.iter().all(|(n, v)| i.get(n) == Some(v)))
            })
        });
        if left {
            continue;
        }
        let current = engine.tables.get(&table).and_then(|t| {
            let k = t.key_schema.key_of_key(&key).ok()?;
            t.get(&k)
        });
        cache_item(engine, cluster, &table, key, current, false);
    }
    Ok(Served::new(answer, Outcome::WriteThrough))
}
