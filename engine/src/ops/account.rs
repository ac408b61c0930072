//! DescribeLimits and DescribeEndpoints: account-level answers that need no table.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, schemas};

/// DynamoDB's default provisioned-capacity quotas per account and per table.
pub(crate) fn describe_limits(_engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, schemas::NO_MEMBERS)?;
    Ok(json!({
        "AccountMaxReadCapacityUnits": 80000,
        "AccountMaxWriteCapacityUnits": 80000,
        "TableMaxReadCapacityUnits": 40000,
        "TableMaxWriteCapacityUnits": 40000
    }))
}

/// The regional endpoint, cached for a day as DynamoDB advertises it.
pub(crate) fn describe_endpoints(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, schemas::NO_MEMBERS)?;
    Ok(json!({
        "Endpoints": [{
            "Address": format!("dynamodb.{}.amazonaws.com", engine.config.region),
            "CachePeriodInMinutes": 1440
        }]
    }))
}
