//! DeleteCluster (DAX): the cluster and its caches go at once (its answer says `deleting`, as
//! DAX's does while it takes the nodes down).

use serde_json::Value;

use super::request;
use crate::dax::{self, describe};
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members (botocore's `DeleteClusterRequest`).
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("ClusterName", Str, &[NotNull])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let name = request::string(request, "ClusterName").unwrap_or_default().to_ascii_lowercase();
    let clusters = &mut engine.dax.clusters;
    let at = clusters.iter().position(|c| c.name == name).ok_or_else(|| dax::cluster_not_found(&name))?;
    let cluster = clusters.remove(at);
    let answer = describe::cluster(&cluster, "deleting", &engine.config.region, &engine.config.account_id);
    Ok(describe::one("Cluster", answer))
}
