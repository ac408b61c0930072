//! DescribeClusters (DAX): the clusters named, or all of them, by name. `MaxResults` and
//! `NextToken` are read but every cluster comes in one page (a workspace holds a few).

use serde_json::Value;

use crate::dax::describe;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members (botocore's `DescribeClustersRequest`).
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("ClusterNames", List(&Str), &[]), field("MaxResults", Integer, &[]), field("NextToken", Str, &[])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let (region, account) = (&engine.config.region, &engine.config.account_id);
    let mut clusters = Vec::new();
    match request.get("ClusterNames").and_then(Value::as_array) {
        Some(names) => {
            for name in names.iter().filter_map(Value::as_str) {
                let c = engine.dax.cluster(&name.to_ascii_lowercase())?;
                clusters.push(describe::cluster(c, "available", region, account));
            }
        }
        None => {
            for c in &engine.dax.clusters {
                clusters.push(describe::cluster(c, "available", region, account));
            }
        }
    }
    Ok(describe::one("Clusters", clusters))
}
