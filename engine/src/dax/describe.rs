//! DAX's answer shapes (botocore's `dax` 2017-04-19 model): `Cluster`, `ParameterGroup` and
//! `Parameter`. Names that DAX makes up (endpoints, node ids, security groups) are derived
//! from the cluster's name, so the same workspace always describes the same.

use serde_json::{json, Map, Value};

use super::{Cluster, ParameterGroup};

/// DAX's port for unencrypted clients (`dax://`); `daxs://` uses 9111.
const PORT: u64 = 8111;
const TLS_PORT: u64 = 9111;

/// A short hex tag derived from `name` (the part of DAX's endpoint names that tells clusters
/// of one name apart; here fixed by the name, so descriptions are deterministic).
fn tag(name: &str) -> String {
    // FNV-1a, cut to 24 bits: six hex digits, as DAX's are.
    let hash = name.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    format!("{:06x}", hash & 0x00ff_ffff)
}

/// The `Cluster` structure. `status` is `creating` (CreateCluster's answer: no nodes yet),
/// `available` or `deleting` (DeleteCluster's answer).
pub(crate) fn cluster(name: &str, c: &Cluster, status: &str, region: &str, account: &str) -> Value {
    let r = &c.request;
    let text = |member: &str| r.get(member).and_then(Value::as_str);
    let tls = text("ClusterEndpointEncryptionType") == Some("TLS");
    let (scheme, port) = if tls { ("daxs", TLS_PORT) } else { ("dax", PORT) };
    let host = format!("{name}.{}.dax-clusters.{region}.amazonaws.com", tag(name));
    let mut m = Map::new();
    m.insert("ClusterName".into(), json!(name));
    if let Some(d) = text("Description") {
        m.insert("Description".into(), json!(d));
    }
    m.insert("ClusterArn".into(), json!(format!("arn:aws:dax:{region}:{account}:cache/{name}")));
    m.insert("TotalNodes".into(), json!(c.nodes));
    let available = status == "available";
    m.insert("ActiveNodes".into(), json!(if available { c.nodes } else { 0 }));
    m.insert("NodeType".into(), json!(c.node_type));
    m.insert("Status".into(), json!(status));
    let endpoint = match available {
        true => json!({"Address": host, "Port": port, "URL": format!("{scheme}://{host}")}),
        false => json!({"Port": port}),
    };
    m.insert("ClusterDiscoveryEndpoint".into(), endpoint);
    if available {
        let nodes: Vec<Value> = (0..c.nodes)
            .map(|i| {
                let letter = char::from(b'a' + (i % 26) as u8);
                let id = format!("{name}-{letter}");
                json!({
                    "NodeId": id,
                    "Endpoint": {"Address": format!("{id}.{}.nodes.dax-clusters.{region}.amazonaws.com", tag(name)), "Port": port},
                    "NodeCreateTime": c.created_ms / 1000,
                    // Spread over the Region's first three zones, as DAX spreads nodes.
                    "AvailabilityZone": format!("{region}{}", char::from(b'a' + (i % 3) as u8)),
                    "NodeStatus": "available",
                    "ParameterGroupStatus": "in-sync",
                })
            })
            .collect();
        m.insert("Nodes".into(), json!(nodes));
    }
    m.insert(
        "PreferredMaintenanceWindow".into(),
        json!(text("PreferredMaintenanceWindow").unwrap_or("sun:05:00-sun:06:00")),
    );
    if let Some(topic) = text("NotificationTopicArn") {
        m.insert("NotificationConfiguration".into(), json!({"TopicArn": topic, "TopicStatus": "active"}));
    }
    m.insert("SubnetGroup".into(), json!(text("SubnetGroupName").unwrap_or("default")));
    let groups: Vec<Value> = match r.get("SecurityGroupIds").and_then(Value::as_array) {
        Some(ids) => {
            ids.iter().map(|id| json!({"SecurityGroupIdentifier": id, "Status": "active"})).collect()
        }
        None => vec![json!({"SecurityGroupIdentifier": format!("sg-{}", tag(name)), "Status": "active"})],
    };
    m.insert("SecurityGroups".into(), json!(groups));
    m.insert("IamRoleArn".into(), json!(text("IamRoleArn").unwrap_or_default()));
    m.insert(
        "ParameterGroup".into(),
        json!({"ParameterGroupName": c.parameter_group, "ParameterApplyStatus": "in-sync", "NodeIdsToReboot": []}),
    );
    let sse = r.pointer("/SSESpecification/Enabled").and_then(Value::as_bool) == Some(true);
    m.insert("SSEDescription".into(), json!({"Status": if sse { "ENABLED" } else { "DISABLED" }}));
    m.insert("ClusterEndpointEncryptionType".into(), json!(if tls { "TLS" } else { "NONE" }));
    Value::Object(m)
}

/// The `ParameterGroup` structure.
pub(crate) fn parameter_group(name: &str, group: &ParameterGroup) -> Value {
    json!({"ParameterGroupName": name, "Description": group.description})
}

/// The `Parameters` of a group, as DescribeParameters lists them.
pub(crate) fn parameters(group: &ParameterGroup) -> Value {
    let parameter = |name: &str, value: u64, description: &str| {
        json!({
            "ParameterName": name,
            "ParameterType": "DEFAULT",
            "ParameterValue": value.to_string(),
            "NodeTypeSpecificValues": [],
            "Description": description,
            "Source": "user",
            "DataType": "integer",
            "AllowedValues": "0-",
            "IsModifiable": "TRUE",
            "ChangeType": "IMMEDIATE",
        })
    };
    json!([
        parameter(
            "query-ttl-millis",
            group.query_ttl_ms,
            "Duration in milliseconds for queries to remain cached"
        ),
        parameter(
            "record-ttl-millis",
            group.record_ttl_ms,
            "Duration in milliseconds for records to remain valid in cache (Default: 0 = infinite)",
        ),
    ])
}
