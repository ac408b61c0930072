//! PlaygroundDescribeDaxCache: what a DAX cluster holds now — its TTLs, memory, counters, and
//! its live item and query cache entries (most recently used first, at most `Limit` of each)
//! with their time left and whether they are **stale**: an item entry is stale when the
//! table's item differs from the cached one (a write that bypassed DAX); a query entry when
//! one of its items has changed or gone. With them, its per-second counters — requests, and
//! the hits, misses and evictions of each cache — as columns (`Metrics`, like
//! `PlaygroundGetMetrics`): the seconds after `SinceSecond`, by default the last minute.
//! O(entries), no capacity charged.

use serde_json::{Map, Value};

use super::request;
use crate::dax::cache::EntryKey;
use crate::dax::view::entry_json;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("ClusterName", Str, &[NotNull]),
        field("Limit", Integer, &[Min(1), Max(1000)]),
        field("SinceSecond", Long, &[]),
    ]
};

/// Entries listed of each cache when `Limit` is absent.
const DEFAULT_LIMIT: usize = 100;

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let name = request::string(request, "ClusterName").unwrap_or_default().to_ascii_lowercase();
    let limit = request::integer(request, "Limit").map_or(DEFAULT_LIMIT, |l| l as usize);
    let cluster = engine.dax.cluster(&name)?;
    let (record_ttl, query_ttl) = engine.dax.ttls(&name);
    let (mut items, mut queries) = (Vec::new(), Vec::new());
    for entry in cluster.cache.live(engine.now_ms) {
        let list = if matches!(entry.key, EntryKey::Item { .. }) { &mut items } else { &mut queries };
        if list.len() < limit {
            list.push(entry_json(engine, entry));
        }
    }
    let mut m = Map::new();
    let mut put = |key: &str, value: Value| m.insert(key.into(), value);
    put("ClusterName", Value::from(name.as_str()));
    put("NodeType", Value::from(cluster.node_type.as_str()));
    put("ParameterGroupName", Value::from(cluster.parameter_group.as_str()));
    put("RecordTtlMilliseconds", Value::from(record_ttl));
    put("QueryTtlMilliseconds", Value::from(query_ttl));
    put("CacheSizeBytes", Value::from(cluster.cache.bytes()));
    put("CacheSizeLimitBytes", Value::from(crate::dax::cache_limit(engine, &name)));
    put("Totals", cluster.metrics.totals_json());
    // The last minute by default; a chart asks only for the seconds after its last one.
    let since = request::integer(request, "SinceSecond").and_then(|s| u64::try_from(s).ok());
    let since = since.unwrap_or((engine.now_ms / 1000).saturating_sub(60));
    put("Metrics", cluster.metrics.columns(Some(since), engine.now_ms));
    put("ItemCache", Value::from(items));
    put("QueryCache", Value::from(queries));
    Ok(Value::Object(m))
}
