//! ListTagsOfResource: a table's tags.

use serde_json::{json, Value};

use super::tags::{access_denied, resource_arn, table_name_of};
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("ResourceArn", Str, &[]), field("NextToken", Str, &[])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check_types(request, SCHEMA)?;
    let arn = resource_arn(request)?;
    let name = table_name_of(engine, "ListTagsOfResource", arn)?;
    // DynamoDB answers a table ARN of this account that names no table as it answers any
    // resource the caller may not see.
    let Some(table) = engine.tables.get(&name) else {
        return Err(access_denied(engine, "ListTagsOfResource", arn));
    };
    let tags: Vec<Value> = table.control.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect();
    Ok(json!({ "Tags": tags }))
}
