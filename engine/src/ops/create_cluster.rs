//! CreateCluster (DAX): a cluster of `ReplicationFactor` nodes of `NodeType` that caches
//! whatever tables it is sent requests for. DAX takes minutes to make one; the playground's is
//! available at once (its answer still says `creating`, as DAX's does).

use serde_json::Value;

use super::request;
use crate::dax::{self, describe, Cluster};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::validate::{self, Field};

/// The request's members (botocore's `CreateClusterRequest`).
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("ClusterName", Str, &[NotNull]),
        field("NodeType", Str, &[NotNull]),
        field("Description", Str, &[]),
        field("ReplicationFactor", Integer, &[NotNull]),
        field("AvailabilityZones", List(&Str), &[]),
        field("SubnetGroupName", Str, &[]),
        field("SecurityGroupIds", List(&Str), &[]),
        field("PreferredMaintenanceWindow", Str, &[]),
        field("NotificationTopicArn", Str, &[]),
        field("IamRoleArn", Str, &[NotNull]),
        field("ParameterGroupName", Str, &[]),
        field("Tags", List(&Struct("Tag", TAG)), &[]),
        field("SSESpecification", Struct("SSESpecification", &[field("Enabled", Bool, &[NotNull])]), &[]),
        field("ClusterEndpointEncryptionType", Str, &[Enum(&["NONE", "TLS"])]),
    ]
};

/// The most nodes a cluster has: a primary and nine read replicas.
const MAX_NODES: i64 = 10;

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let asked = request::string(request, "ClusterName").unwrap_or_default();
    let name = dax::identifier(asked, 20).ok_or_else(|| dax::not_an_identifier("Cluster ID"))?;
    let node_type = request::string(request, "NodeType").unwrap_or_default();
    if dax::node_memory(node_type).is_none() {
        return Err(dax::invalid_value(format!("Invalid node type: {node_type}")));
    }
    let nodes = request::integer(request, "ReplicationFactor").unwrap_or_default();
    if !(1..=MAX_NODES).contains(&nodes) {
        return Err(dax::invalid_value(format!("ReplicationFactor must be between 1 and {MAX_NODES}.")));
    }
    let group = request::string(request, "ParameterGroupName").unwrap_or(dax::DEFAULT_PARAMETER_GROUP);
    let group = group.to_ascii_lowercase();
    engine.dax.parameter_group(&group)?;
    if engine.dax.cluster(&name).is_ok() {
        return Err(ApiError::new(
            ErrorKind::ClusterAlreadyExists,
            format!("Cluster {name} already exists."),
        ));
    }
    let mut definition = request.clone();
    definition["ClusterName"] = Value::from(name.as_str());
    let cluster = Cluster {
        name,
        request: definition,
        node_type: node_type.to_owned(),
        nodes: nodes as u32,
        parameter_group: group,
        created_ms: engine.now_ms,
        cache: Default::default(),
        metrics: Default::default(),
    };
    let answer = describe::cluster(&cluster, "creating", &engine.config.region, &engine.config.account_id);
    let clusters = &mut engine.dax.clusters;
    let at = clusters.iter().take_while(|c| c.name < cluster.name).count();
    clusters.insert(at, cluster);
    Ok(describe::one("Cluster", answer))
}
