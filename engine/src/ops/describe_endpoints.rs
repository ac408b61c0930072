//! DescribeEndpoints: the regional endpoint (an account-level answer, no table).

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, shapes::NO_MEMBERS, Field};

/// The request's members: none.
pub(crate) static SCHEMA: &[Field] = NO_MEMBERS;

/// The regional endpoint, cached for a day as DynamoDB advertises it.
pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    Ok(json!({
        "Endpoints": [{
            "Address": format!("dynamodb.{}.amazonaws.com", engine.config.region),
            "CachePeriodInMinutes": 1440
        }]
    }))
}
