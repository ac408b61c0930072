//! PlaygroundDescribeDaxCache: what a DAX cluster holds now — its TTLs, memory, counters, and
//! its live item and query cache entries (most recently used first, at most `Limit` of each)
//! with their time left and whether they are **stale**: an item entry is stale when the
//! table's item differs from the cached one (a write that bypassed DAX); a query entry when
//! one of its items has changed or gone. O(entries shown), no capacity charged.

use serde_json::{json, Map, Value};

use super::request;
use crate::dax::cache::EntryKey;
use crate::dax::view::entry_json;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("ClusterName", Str, &[NotNull]), field("Limit", Integer, &[Min(1), Max(1000)])]
};

/// Entries listed of each cache when `Limit` is absent.
const DEFAULT_LIMIT: usize = 100;

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let name = request::string(request, "ClusterName").unwrap_or_default().to_ascii_lowercase();
    let limit = request::integer(request, "Limit").map_or(DEFAULT_LIMIT, |l| l as usize);
    let cluster = engine.dax.cluster(&name)?;
    let (record_ttl, query_ttl) = engine.dax.ttls(&name);
    let now = engine.now_ms;
    let (mut items, mut queries) = (Vec::new(), Vec::new());
    for (key, entry) in cluster.cache.live(now) {
        let list = match key {
            EntryKey::Item { .. } => &mut items,
            EntryKey::Query { .. } => &mut queries,
        };
        if list.len() < limit {
            list.push(entry_json(engine, key, entry));
        }
    }
    let mut m = Map::new();
    m.insert("ClusterName".into(), json!(name));
    m.insert("NodeType".into(), json!(cluster.node_type));
    m.insert("ParameterGroupName".into(), json!(cluster.parameter_group));
    m.insert("RecordTtlMilliseconds".into(), json!(record_ttl));
    m.insert("QueryTtlMilliseconds".into(), json!(query_ttl));
    m.insert("CacheSizeBytes".into(), json!(cluster.cache.bytes()));
    m.insert("CacheSizeLimitBytes".into(), json!(crate::dax::cache_limit(engine, &name)));
    m.insert("Totals".into(), cluster.metrics.totals_json());
    m.insert("ItemCache".into(), Value::Array(items));
    m.insert("QueryCache".into(), Value::Array(queries));
    Ok(Value::Object(m))
}
