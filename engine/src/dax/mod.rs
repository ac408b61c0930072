//! DynamoDB Accelerator (DAX), simulated on engine time: clusters and parameter groups (the
//! `AmazonDAXV3` management API, `ops/create_cluster.rs` and its siblings) and each cluster's
//! two caches in front of the tables (`serve.rs`, reached through `PlaygroundDaxRequest`).
//!
//! What DAX does and the simulation reproduces [DAX.concepts, DAX.consistency]:
//! - the **item cache** holds GetItem and BatchGetItem results by table and key, the **query
//!   cache** Query and Scan answers by their whole request; each entry lives for its
//!   parameter group's `record-ttl-millis` / `query-ttl-millis` (5 minutes by default), and
//!   the least recently used entries are evicted when the cache is full (`cache.rs`);
//! - a read of a missing item is cached too (**negative caching**);
//! - writes sent through DAX go to the table, then **write through** to the item cache; the
//!   query cache is **not** invalidated by writes: it is only as fresh as its TTL;
//! - strongly consistent reads and TransactGetItems are **passed through** to the table and
//!   never cached: DAX cannot help them;
//! - a write sent straight to the table does not reach the cache: the cached item is **stale**
//!   until its TTL runs out (the classic trap, which the DAX view marks).
//!
//! Cluster definitions and parameter groups are workspace state (their operations are
//! journaled; they travel in the workspace document as `"dax"`). The caches, their metrics
//! and counters are session state, like a real cluster's memory: a reload starts cold.

pub(crate) mod cache;
pub(crate) mod describe;
mod metrics;
pub(crate) mod serve;
#[cfg(all(test, feature = "dax"))]
mod tests;
pub(crate) mod view;

use serde_json::{Map, Value};

use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
pub(crate) use cache::Cache;
pub(crate) use metrics::{Counter, Metrics};

/// The default parameter group every cluster without one uses; it cannot be changed.
pub(crate) const DEFAULT_PARAMETER_GROUP: &str = "default.dax1.0";
/// `record-ttl-millis` and `query-ttl-millis` by default: five minutes each.
pub(crate) const DEFAULT_TTL_MS: u64 = 300_000;

/// Simulated latencies, in microseconds (illustrative figures in DAX's documented orders of
/// magnitude — microseconds for a hit, single-digit milliseconds for DynamoDB).
pub(crate) mod latency {
    /// A round trip to a DAX node: all a cache hit costs.
    pub const HIT: u64 = 200;
    /// A miss: the node's lookup, then DynamoDB's read.
    pub const MISS: u64 = HIT + 3_000;
    /// A write: the node forwards it to DynamoDB, then updates its item cache.
    pub const WRITE: u64 = HIT + 5_000;
}

/// A parameter group: the TTLs of the clusters that use it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ParameterGroup {
    pub name: String,
    pub description: String,
    /// How long an item cache entry lives (0: until evicted or written through).
    pub record_ttl_ms: u64,
    /// How long a query cache entry lives (0: answers are not cached).
    pub query_ttl_ms: u64,
}

impl ParameterGroup {
    /// A new group with DAX's default TTLs.
    pub fn new(name: &str, description: &str) -> Self {
        Self {
            name: name.into(),
            description: description.into(),
            record_ttl_ms: DEFAULT_TTL_MS,
            query_ttl_ms: DEFAULT_TTL_MS,
        }
    }
}

/// A cluster: its definition (workspace state) and its caches (session state).
#[derive(Clone, Debug)]
pub(crate) struct Cluster {
    pub name: String,
    /// The CreateCluster request that made it, as its definition travels in a workspace.
    pub request: Value,
    pub node_type: String,
    pub nodes: u32,
    pub parameter_group: String,
    /// Engine time of its creation (its nodes' NodeCreateTime).
    pub created_ms: u64,
    pub cache: Cache,
    pub metrics: Metrics,
}

/// Every DAX resource of the engine, each list in name order. Lists, not maps: there are a
/// few, and every map type compiles its tree code into the page's bundle once more.
#[derive(Clone, Debug, Default)]
pub(crate) struct Dax {
    /// Parameter groups, the default one excepted (it is implicit).
    pub parameter_groups: Vec<ParameterGroup>,
    pub clusters: Vec<Cluster>,
}

impl Dax {
    /// The parameter group named `name` (the default one included).
    pub fn parameter_group(&self, name: &str) -> ApiResult<ParameterGroup> {
        if name == DEFAULT_PARAMETER_GROUP {
            return Ok(ParameterGroup::new(name, "Default parameter group for dax1.0"));
        }
        self.parameter_groups
            .iter()
            .find(|g| g.name == name)
            .cloned()
            .ok_or_else(|| parameter_group_not_found(name))
    }

    /// Keeps `group`, replacing the one of its name.
    pub fn put_parameter_group(&mut self, group: ParameterGroup) {
        self.parameter_groups.retain(|g| g.name != group.name);
        let at = self.parameter_groups.iter().take_while(|g| g.name < group.name).count();
        self.parameter_groups.insert(at, group);
    }

    /// The cluster named `name`.
    pub fn cluster(&self, name: &str) -> ApiResult<&Cluster> {
        self.clusters.iter().find(|c| c.name == name).ok_or_else(|| cluster_not_found(name))
    }

    /// The cluster named `name`, to change.
    pub fn cluster_mut(&mut self, name: &str) -> ApiResult<&mut Cluster> {
        self.clusters.iter_mut().find(|c| c.name == name).ok_or_else(|| cluster_not_found(name))
    }

    /// The TTLs a cluster's entries get now: its parameter group's (applied at once, as DAX's
    /// `ChangeType: IMMEDIATE` says; entries cached earlier keep their expiry).
    pub fn ttls(&self, cluster: &str) -> (u64, u64) {
        let group = self.cluster(cluster).map(|c| c.parameter_group.as_str()).unwrap_or_default();
        self.parameter_group(group)
            .map_or((DEFAULT_TTL_MS, DEFAULT_TTL_MS), |g| (g.record_ttl_ms, g.query_ttl_ms))
    }
}

/// The bytes a cluster's cache may hold: its node type's memory, or less by the playground
/// setting `DaxCacheSizeLimitBytes` (so a learner sees evictions).
pub(crate) fn cache_limit(engine: &Engine, cluster: &str) -> u64 {
    let memory = engine.dax.cluster(cluster).map_or(0, |c| node_memory(&c.node_type).unwrap_or(0));
    match engine.playground.settings.dax_cache_size_limit {
        Some(limit) => limit.min(memory),
        None => memory,
    }
}

/// `ClusterNotFoundFault`.
pub(crate) fn cluster_not_found(name: &str) -> ApiError {
    ApiError::new(ErrorKind::ClusterNotFound, format!("Cluster {name} not found."))
}

/// `ParameterGroupNotFoundFault`.
pub(crate) fn parameter_group_not_found(name: &str) -> ApiError {
    ApiError::new(ErrorKind::ParameterGroupNotFound, format!("Parameter group {name} not found."))
}

/// `InvalidParameterValueException` with the given text.
pub(crate) fn invalid_value(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorKind::InvalidParameterValue, message)
}

/// `InvalidParameterValueException` for a name that is not an identifier (`what`: "Cluster ID",
/// "Parameter group name").
pub(crate) fn not_an_identifier(what: &str) -> ApiError {
    invalid_value(format!(
        "{what} specified is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens."
    ))
}

/// A cluster or parameter group name as DAX stores it (lowercase), if it is a valid
/// identifier: a letter first, then letters, digits and single hyphens, no hyphen last, at
/// most `max` characters.
pub(crate) fn identifier(name: &str, max: usize) -> Option<String> {
    let ok = name.len() <= max
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !name.ends_with('-')
        && !name.contains("--");
    ok.then(|| name.to_ascii_lowercase())
}

/// The memory of one node of a DAX node type, in bytes: what its caches may hold. Burstable
/// nodes (`dax.t2`, `dax.t3`) have 2 GiB (`small`) or 4 GiB (`medium`); memory-optimised ones
/// (`dax.r4`, `dax.r5`) 16 GiB at `large`, doubling with each size up (r4's are a little
/// smaller in fact; 12xlarge and 24xlarge are r5's).
pub(crate) fn node_memory(node_type: &str) -> Option<u64> {
    const SIZES: [&str; 8] =
        ["small", "medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge"];
    let (family, size) = node_type.strip_prefix("dax.")?.split_once('.')?;
    let gib = match (family, size) {
        ("r5", "12xlarge") => 384,
        ("r5", "24xlarge") => 768,
        _ => {
            let i = SIZES.iter().position(|s| *s == size)? as u32;
            match (family, i) {
                ("t2" | "t3", 0 | 1) => 2 << i,
                ("r4" | "r5", 2..) => 16 << (i - 2),
                _ => return None,
            }
        }
    };
    Some(gib << 30)
}

/// The DAX part of a workspace document (`None` when there is none): parameter groups and
/// clusters, each as the requests that make them again.
pub(crate) fn export(engine: &Engine) -> Option<Value> {
    let dax = &engine.dax;
    if dax.parameter_groups.is_empty() && dax.clusters.is_empty() {
        return None;
    }
    let pair = |name: &str, value: u64| {
        let mut m = Map::new();
        m.insert("ParameterName".into(), Value::from(name));
        m.insert("ParameterValue".into(), Value::from(value.to_string()));
        Value::Object(m)
    };
    // Each group as CreateParameterGroup and UpdateParameterGroup both read it.
    let mut groups = Vec::new();
    for g in &dax.parameter_groups {
        let mut group = describe::parameter_group(g);
        let values =
            vec![pair("query-ttl-millis", g.query_ttl_ms), pair("record-ttl-millis", g.record_ttl_ms)];
        group["ParameterNameValues"] = Value::from(values);
        groups.push(group);
    }
    let mut clusters = Vec::new();
    for c in &dax.clusters {
        let mut request = c.request.clone();
        request["CreatedAt"] = Value::from(c.created_ms);
        clusters.push(request);
    }
    let mut m = Map::new();
    m.insert("ParameterGroups".into(), Value::from(groups));
    m.insert("Clusters".into(), Value::from(clusters));
    Some(Value::Object(m))
}

/// Makes again the parameter groups and clusters of a workspace document's `"dax"` member,
/// through their own operations (so a hand-edited file is checked like a request).
pub(crate) fn import(engine: &mut Engine, document: &Value) -> ApiResult<()> {
    if !crate::features::DAX {
        return Err(crate::features::no_dax());
    }
    let list = |name: &str| document.get(name).and_then(Value::as_array).cloned().unwrap_or_default();
    for group in list("ParameterGroups") {
        engine.handle_json("CreateParameterGroup", group.clone())?;
        if group.get("ParameterNameValues").is_some() {
            engine.handle_json("UpdateParameterGroup", group)?;
        }
    }
    for mut request in list("Clusters") {
        let created = request.as_object_mut().and_then(|m| m.remove("CreatedAt")).and_then(|v| v.as_u64());
        let answer = engine.handle_json("CreateCluster", request)?;
        let name = answer
            .get("Cluster")
            .and_then(|c| c.get("ClusterName"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        if let (Some(created), Ok(c)) = (created, engine.dax.cluster_mut(name)) {
            c.created_ms = created;
        }
    }
    Ok(())
}
