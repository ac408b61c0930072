//! DescribeClusters (DAX): the clusters named, or all of them, by name. `MaxResults` and
//! `NextToken` are read but every cluster comes in one page (a workspace holds a few).

use serde_json::{json, Value};

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
    let clusters: Vec<Value> = match request.get("ClusterNames").and_then(Value::as_array) {
        Some(names) => names
            .iter()
            .filter_map(Value::as_str)
            .map(|name| {
                let name = name.to_ascii_lowercase();
                let c = engine.dax.cluster(&name)?;
                Ok(describe::cluster(&name, c, "available", region, account))
            })
            .collect::<ApiResult<_>>()?,
        None => engine
            .dax
            .clusters
            .iter()
            .map(|(name, c)| describe::cluster(name, c, "available", region, account))
            .collect(),
    };
    Ok(json!({ "Clusters": clusters }))
}
