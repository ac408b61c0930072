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
//! applied to it; a hit answers `ConsumedCapacity` with 0 units when asked; a BatchGetItem is
//! served key by key as GetItems through the cluster; a BatchWriteItem that left writes
//! unprocessed drops its keys' entries; TransactWriteItems writes through without the
//! background TransactGetItems DAX makes (its extra reads are not charged); a delete through
//! DAX drops the item's entry.

use serde_json::{Map, Value};

use super::cache::{Cached, EntryKey, ENTRY_OVERHEAD};
use super::{latency, Counter};
use crate::capacity::{Consumed, ReturnConsumedCapacity};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::expr::{self, legacy, ExpressionAttributes, Projection};
use crate::ops::{self, request};
use crate::types::{item_from_json, item_size, item_to_json, Item};

/// How a request went through the cluster: what [`serve`] answers as `Outcome`.
const HIT: &str = "HIT";
const MISS: &str = "MISS";
/// A BatchGetItem partly answered from the cache.
const PARTIAL_HIT: &str = "PARTIAL_HIT";
/// Sent to the table and not cached: a strongly consistent or transactional read.
const PASS_THROUGH: &str = "PASS_THROUGH";
/// A write sent to the table, then to the item cache.
const WRITE_THROUGH: &str = "WRITE_THROUGH";

/// What serving one request came to.
struct Served {
    answer: Value,
    outcome: &'static str,
    /// Which cache was asked (`ITEM`, `QUERY`; `None`: neither).
    cache: Option<&'static str>,
    hits: u32,
    misses: u32,
}

fn served(
    answer: Value,
    outcome: &'static str,
    cache: Option<&'static str>,
    hits: u32,
    misses: u32,
) -> Served {
    Served { answer, outcome, cache, hits, misses }
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
    let s = match operation {
        "GetItem" => get_item(engine, cluster, request)?,
        "BatchGetItem" => batch_get_item(engine, cluster, request)?,
        "Query" | "Scan" => query(engine, cluster, operation, request)?,
        "TransactGetItems" => served(ops::dispatch(engine, operation, request)?, PASS_THROUGH, None, 0, 0),
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
        let query = s.cache == Some("QUERY");
        c.metrics.add(second, Counter::Requests, 1);
        c.metrics.add(second, if query { Counter::QueryCacheHits } else { Counter::ItemCacheHits }, s.hits);
        c.metrics.add(
            second,
            if query { Counter::QueryCacheMisses } else { Counter::ItemCacheMisses },
            s.misses,
        );
    }
    let micros = match s.outcome {
        HIT => latency::HIT,
        WRITE_THROUGH => latency::WRITE,
        _ => latency::MISS,
    };
    let mut m = Map::new();
    m.insert("Response".into(), s.answer);
    m.insert("Outcome".into(), Value::from(s.outcome));
    if let Some(cache) = s.cache {
        m.insert("Cache".into(), Value::from(cache));
    }
    m.insert("CacheHits".into(), Value::from(s.hits));
    m.insert("CacheMisses".into(), Value::from(s.misses));
    m.insert("LatencyMicroseconds".into(), Value::from(micros));
    Ok(Value::Object(m))
}

/// Whether a read asks for strong consistency.
fn consistent(request: &Value) -> bool {
    request::boolean(request, "ConsistentRead")
}

/// A request the cache cannot place, answered by the table: its error, or (if the checks
/// here were stricter than DynamoDB's) its answer, uncached.
fn to_table(engine: &mut Engine, operation: &str, request: &Value, cache: &'static str) -> ApiResult<Served> {
    Ok(served(ops::dispatch(engine, operation, request)?, MISS, Some(cache), 0, 1))
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

/// The key attributes of `item` (a whole item, or a `Key` member when `!whole_item`) for
/// table `table`, checked against its key schema.
pub(crate) fn key_of(engine: &Engine, table: &str, item: &Item, whole_item: bool) -> ApiResult<Item> {
    let table = engine.tables.get(table).ok_or_else(ApiError::resource_not_found)?;
    let schema = &table.key_schema;
    let mut key = Item::new();
    for (name, value) in item.iter().filter(|(name, _)| schema.is_key(name)) {
        key.insert(name.clone(), value.clone());
    }
    if whole_item {
        schema.key_of_item(&key)?;
    } else {
        schema.key_of_key(&key)?;
    }
    Ok(key)
}

/// Caches what the table holds under `key` (a miss's read, a write through): the item, a
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
        return c.cache.remove(&entry);
    }
    let bytes = item_size(item.as_ref().unwrap_or(&key)) as u64 + ENTRY_OVERHEAD;
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

/// The table and key of a GetItem the cache can place, and its projection.
fn place_get(engine: &Engine, request: &Value) -> ApiResult<(String, Item, Option<Projection>)> {
    let schema = ops::operation("GetItem").map_or(&[][..], |spec| spec.request_members());
    crate::validate::check(request, schema)?;
    let projection = projection(request)?;
    let table = request::string(request, "TableName").unwrap_or_default().to_owned();
    let key = request::attribute_map(request, "Key")?.unwrap_or_default();
    let key = key_of(engine, &table, &key, false)?;
    Ok((table, key, projection))
}

fn get_item(engine: &mut Engine, cluster: &str, request: &Value) -> ApiResult<Served> {
    if consistent(request) {
        return Ok(served(ops::dispatch(engine, "GetItem", request)?, PASS_THROUGH, None, 0, 0));
    }
    let Ok((table, key, projection)) = place_get(engine, request) else {
        return to_table(engine, "GetItem", request, "ITEM");
    };
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
        return Ok(served(Value::Object(answer), HIT, Some("ITEM"), 1, 0));
    }
    let mut answer = ops::dispatch(engine, "GetItem", &whole(request))?;
    let item = answer.get("Item").map(item_from_json).transpose()?;
    if let (Some(item), Some(m)) = (&item, answer.as_object_mut()) {
        m.insert("Item".into(), shown(item, projection.as_ref()));
    }
    cache_item(engine, cluster, &table, key, item, true);
    Ok(served(answer, MISS, Some("ITEM"), 0, 1))
}

/// One table's part of a BatchGetItem: its `KeysAndAttributes` and its keys.
struct BatchTable {
    name: String,
    spec: Value,
    keys: Vec<Value>,
}

/// The tables of a BatchGetItem, if the cache can place every key.
fn batch_tables(engine: &Engine, request: &Value) -> ApiResult<Vec<BatchTable>> {
    let schema = ops::operation("BatchGetItem").map_or(&[][..], |spec| spec.request_members());
    crate::validate::check(request, schema)?;
    let refused = || ApiError::validation("");
    let mut out = Vec::new();
    let mut total = 0;
    for (name, spec) in request.get("RequestItems").and_then(Value::as_object).ok_or_else(refused)? {
        let mut seen: Vec<Item> = Vec::new();
        let keys = spec.get("Keys").and_then(Value::as_array).ok_or_else(refused)?;
        for key in keys {
            let key = key_of(engine, name, &item_from_json(key)?, false)?;
            // DynamoDB refuses a batch naming a key twice: the table says so.
            if seen.contains(&key) {
                return Err(refused());
            }
            seen.push(key);
        }
        total += keys.len();
        projection(spec)?;
        let mut spec = spec.clone();
        let keys = spec.as_object_mut().and_then(|m| m.remove("Keys"));
        let keys = if let Some(Value::Array(keys)) = keys { keys } else { Vec::new() };
        out.push(BatchTable { name: name.clone(), spec, keys });
    }
    // DynamoDB's limit of 100 keys a batch, refused by the table.
    if total == 0 || total > 100 {
        return Err(refused());
    }
    Ok(out)
}

/// BatchGetItem: each key as a GetItem through the cluster — from the item cache, or read
/// from the table (each item is charged on its own in a batch too) and cached; a strongly
/// consistent table's keys passed through. A key throttled comes back in `UnprocessedKeys`;
/// only when nothing was read does the batch fail with the throttling error, as DynamoDB's.
fn batch_get_item(engine: &mut Engine, cluster: &str, request: &Value) -> ApiResult<Served> {
    let Ok(tables) = batch_tables(engine, request) else {
        return to_table(engine, "BatchGetItem", request, "ITEM");
    };
    let mode = ReturnConsumedCapacity::from_request(request);
    let (mut hits, mut misses, mut read_any) = (0, 0, false);
    let mut throttled = None;
    let (mut responses, mut unprocessed, mut consumed) = (Map::new(), Map::new(), Vec::new());
    for t in tables {
        let (mut found, mut left, mut units) = (Vec::new(), Vec::new(), 0.0);
        for key in t.keys {
            let mut get = t.spec.clone();
            get["TableName"] = Value::from(t.name.as_str());
            get["Key"] = key.clone();
            get["ReturnConsumedCapacity"] = Value::from("TOTAL");
            match get_item(engine, cluster, &get) {
                Ok(mut s) => {
                    (hits, misses, read_any) = (hits + s.hits, misses + s.misses, true);
                    units += s.answer["ConsumedCapacity"]["CapacityUnits"].as_f64().unwrap_or(0.0);
                    if let Some(item) = s.answer.get_mut("Item").map(Value::take) {
                        found.push(item);
                    }
                }
                Err(e)
                    if matches!(e.kind, ErrorKind::ProvisionedThroughputExceeded | ErrorKind::Throttling) =>
                {
                    throttled.get_or_insert(e);
                    left.push(key);
                }
                Err(e) => return Err(e),
            }
        }
        if !left.is_empty() {
            let mut spec = t.spec.clone();
            spec["Keys"] = Value::from(left);
            unprocessed.insert(t.name.clone(), spec);
        }
        consumed.extend(Consumed::table(units).to_json(&t.name, mode));
        responses.insert(t.name, Value::from(found));
    }
    if let (false, Some(e)) = (read_any, throttled) {
        return Err(e);
    }
    let mut answer = Map::new();
    if !consumed.is_empty() {
        answer.insert("ConsumedCapacity".into(), Value::from(consumed));
    }
    answer.insert("Responses".into(), Value::Object(responses));
    answer.insert("UnprocessedKeys".into(), Value::Object(unprocessed));
    let outcome = match (hits, misses) {
        (0, 0) => PASS_THROUGH,
        (_, 0) => HIT,
        (0, _) => MISS,
        _ => PARTIAL_HIT,
    };
    Ok(served(Value::Object(answer), outcome, Some("ITEM"), hits, misses))
}

fn query(engine: &mut Engine, cluster: &str, operation: &str, request: &Value) -> ApiResult<Served> {
    if consistent(request) {
        return Ok(served(ops::dispatch(engine, operation, request)?, PASS_THROUGH, None, 0, 0));
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
            Cached::Item { .. } => Value::Object(Map::new()),
        };
        if let (Some(consumed), Some(m)) = (nothing_consumed(&table, request), answer.as_object_mut()) {
            m.insert("ConsumedCapacity".into(), consumed);
        }
        return Ok(served(answer, HIT, Some("QUERY"), 1, 0));
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
        let scan = operation == "Scan";
        let cached = Cached::Query { scan, request: asked, answer: kept };
        let c = engine.dax.cluster_mut(cluster)?;
        let evicted = c.cache.insert(entry, cached, bytes, now, Some(query_ttl), limit);
        count_evictions(c, now, evicted);
    }
    Ok(served(answer, MISS, Some("QUERY"), 0, 1))
}

/// The items a write request changes: (table, key attributes), read from the request before
/// it runs (a key the table would refuse fails the write itself).
fn written_keys(engine: &Engine, operation: &str, request: &Value) -> Vec<(String, Item)> {
    let mut keys = Vec::new();
    let mut note = |table: Option<&str>, key: Option<&Value>, whole_item: bool| {
        let (Some(table), Some(key)) = (table, key) else { return };
        if let Ok(key) = item_from_json(key).and_then(|k| key_of(engine, table, &k, whole_item)) {
            keys.push((table.to_owned(), key));
        }
    };
    let table = request::string(request, "TableName");
    match operation {
        "PutItem" => note(table, request.get("Item"), true),
        "UpdateItem" | "DeleteItem" => note(table, request.get("Key"), false),
        "BatchWriteItem" => {
            for (table, writes) in
                request.get("RequestItems").and_then(Value::as_object).into_iter().flatten()
            {
                for w in writes.as_array().into_iter().flatten() {
                    note(Some(table), w.get("PutRequest").and_then(|p| p.get("Item")), true);
                    note(Some(table), w.get("DeleteRequest").and_then(|d| d.get("Key")), false);
                }
            }
        }
        _ => {
            for action in request.get("TransactItems").and_then(Value::as_array).into_iter().flatten() {
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

/// A write: to the table, then through to the item cache — the item the table now holds, or
/// (deleted) no entry. A batch that left writes unprocessed drops its keys' entries instead
/// (the next read of them is a miss, never a wrong hit).
fn write(engine: &mut Engine, cluster: &str, operation: &str, request: &Value) -> ApiResult<Served> {
    let keys = written_keys(engine, operation, request);
    let answer = ops::dispatch(engine, operation, request)?;
    let partial = answer.get("UnprocessedItems").and_then(Value::as_object).is_some_and(|u| !u.is_empty());
    for (table, key) in keys {
        let current = match partial {
            true => None,
            false => engine.tables.get(&table).and_then(|t| t.get(&t.key_schema.key_of_key(&key).ok()?)),
        };
        cache_item(engine, cluster, &table, key, current, false);
    }
    Ok(served(answer, WRITE_THROUGH, None, 0, 0))
}
