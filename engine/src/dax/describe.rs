//! DAX's answer shapes (botocore's `dax` 2017-04-19 model): `Cluster`, `ParameterGroup` and
//! `Parameter`. Names that DAX makes up (endpoints, node ids, security groups) are derived
//! from the cluster's name, so the same workspace always describes the same.
//!
//! Written member by member with `Value::from` (no `json!` trees): this code ships in the page.

use serde_json::{Map, Value};

use super::{Cluster, ParameterGroup};

/// Puts `key: value` into `m`.
fn put(m: &mut Map<String, Value>, key: &str, value: impl Into<Value>) {
    m.insert(key.into(), value.into());
}

/// A short hex tag derived from `name` (the part of DAX's endpoint names that tells clusters
/// of one name apart; here fixed by the name, so descriptions are deterministic).
fn tag(name: &str) -> String {
    // FNV-1a, cut to 24 bits: six hex digits, as DAX's are.
    let hash = name.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    format!("{:06x}", hash & 0x00ff_ffff)
}

/// The `Cluster` structure. `status` is `creating` (CreateCluster's answer: no nodes yet),
/// `available` or `deleting` (DeleteCluster's answer).
pub(crate) fn cluster(c: &Cluster, status: &str, region: &str, account: &str) -> Value {
    let (r, name) = (&c.request, c.name.as_str());
    let text = |member: &str| r.get(member).and_then(Value::as_str);
    let tls = text("ClusterEndpointEncryptionType") == Some("TLS");
    let port = if tls { 9111 } else { 8111 };
    let tag = tag(name);
    let available = status == "available";
    let mut m = Map::new();
    put(&mut m, "ClusterName", name);
    if let Some(d) = text("Description") {
        put(&mut m, "Description", d);
    }
    put(&mut m, "ClusterArn", format!("arn:aws:dax:{region}:{account}:cache/{name}"));
    put(&mut m, "TotalNodes", c.nodes);
    put(&mut m, "ActiveNodes", if available { c.nodes } else { 0 });
    put(&mut m, "NodeType", c.node_type.as_str());
    put(&mut m, "Status", status);
    let mut endpoint = Map::new();
    if available {
        let host = format!("{name}.{tag}.dax-clusters.{region}.amazonaws.com");
        put(&mut endpoint, "URL", format!("{}://{host}", if tls { "daxs" } else { "dax" }));
        put(&mut endpoint, "Address", host);
        let mut nodes = Vec::new();
        for i in 0..c.nodes {
            let id = format!("{name}-{}", char::from(b'a' + (i % 26) as u8));
            let mut at = Map::new();
            put(&mut at, "Address", format!("{id}.{tag}.nodes.dax-clusters.{region}.amazonaws.com"));
            put(&mut at, "Port", port);
            let mut node = Map::new();
            put(&mut node, "NodeId", id);
            put(&mut node, "Endpoint", at);
            put(&mut node, "NodeCreateTime", c.created_ms / 1000);
            // Spread over the Region's first three zones, as DAX spreads nodes.
            put(&mut node, "AvailabilityZone", format!("{region}{}", char::from(b'a' + (i % 3) as u8)));
            put(&mut node, "NodeStatus", "available");
            put(&mut node, "ParameterGroupStatus", "in-sync");
            nodes.push(Value::Object(node));
        }
        put(&mut m, "Nodes", nodes);
    }
    put(&mut endpoint, "Port", port);
    put(&mut m, "ClusterDiscoveryEndpoint", endpoint);
    put(
        &mut m,
        "PreferredMaintenanceWindow",
        text("PreferredMaintenanceWindow").unwrap_or("sun:05:00-sun:06:00"),
    );
    if let Some(topic) = text("NotificationTopicArn") {
        let mut n = Map::new();
        put(&mut n, "TopicArn", topic);
        put(&mut n, "TopicStatus", "active");
        put(&mut m, "NotificationConfiguration", n);
    }
    put(&mut m, "SubnetGroup", text("SubnetGroupName").unwrap_or("default"));
    let default_group = [Value::from(format!("sg-{tag}"))];
    let ids = r.get("SecurityGroupIds").and_then(Value::as_array).map_or(&default_group[..], Vec::as_slice);
    let groups: Vec<Value> = ids
        .iter()
        .map(|id| {
            let mut g = Map::new();
            put(&mut g, "SecurityGroupIdentifier", id.clone());
            put(&mut g, "Status", "active");
            Value::Object(g)
        })
        .collect();
    put(&mut m, "SecurityGroups", groups);
    put(&mut m, "IamRoleArn", text("IamRoleArn").unwrap_or_default());
    let mut group = Map::new();
    put(&mut group, "ParameterGroupName", c.parameter_group.as_str());
    put(&mut group, "ParameterApplyStatus", "in-sync");
    put(&mut group, "NodeIdsToReboot", Vec::<Value>::new());
    put(&mut m, "ParameterGroup", group);
    let sse = r.get("SSESpecification").and_then(|s| s.get("Enabled")) == Some(&Value::Bool(true));
    let mut sse_status = Map::new();
    put(&mut sse_status, "Status", if sse { "ENABLED" } else { "DISABLED" });
    put(&mut m, "SSEDescription", sse_status);
    put(&mut m, "ClusterEndpointEncryptionType", if tls { "TLS" } else { "NONE" });
    Value::Object(m)
}

/// `{key: value}`.
pub(crate) fn one(key: &str, value: impl Into<Value>) -> Value {
    let mut m = Map::new();
    put(&mut m, key, value);
    Value::Object(m)
}

/// The `ParameterGroup` structure.
pub(crate) fn parameter_group(group: &ParameterGroup) -> Value {
    let mut m = Map::new();
    put(&mut m, "ParameterGroupName", group.name.as_str());
    put(&mut m, "Description", group.description.as_str());
    Value::Object(m)
}

/// The `Parameters` of a group, as DescribeParameters lists them.
pub(crate) fn parameters(group: &ParameterGroup) -> Value {
    let parameters = [
        ("query-ttl-millis", group.query_ttl_ms, "Duration in milliseconds for queries to remain cached"),
        (
            "record-ttl-millis",
            group.record_ttl_ms,
            "Duration in milliseconds for records to remain valid in cache (Default: 0 = infinite)",
        ),
    ];
    let list: Vec<Value> = parameters
        .iter()
        .map(|(name, value, description)| {
            let mut p = Map::new();
            put(&mut p, "ParameterName", *name);
            put(&mut p, "ParameterType", "DEFAULT");
            put(&mut p, "ParameterValue", value.to_string());
            put(&mut p, "NodeTypeSpecificValues", Vec::<Value>::new());
            put(&mut p, "Description", *description);
            put(&mut p, "Source", "user");
            put(&mut p, "DataType", "integer");
            put(&mut p, "AllowedValues", "0-");
            put(&mut p, "IsModifiable", "TRUE");
            put(&mut p, "ChangeType", "IMMEDIATE");
            Value::Object(p)
        })
        .collect();
    Value::Array(list)
}
