//! DescribeLimits: the account's capacity quotas (an account-level answer, no table).

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, shapes::NO_MEMBERS, Field};

/// The request's members: none.
pub(crate) static SCHEMA: &[Field] = NO_MEMBERS;

/// DynamoDB's default provisioned-capacity quotas per account and per table.
pub(crate) fn run(_engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    Ok(json!({
        "AccountMaxReadCapacityUnits": 80000,
        "AccountMaxWriteCapacityUnits": 80000,
        "TableMaxReadCapacityUnits": 40000,
        "TableMaxWriteCapacityUnits": 40000
    }))
}
