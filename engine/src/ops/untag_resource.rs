//! UntagResource: removes tags from a table by key.

use serde_json::{json, Value};

use super::tags::{check_key, resource_arn, table_name_of, table_of};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("ResourceArn", Str, &[]), field("TagKeys", List(&Str), &[NotNull])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check_types(request, SCHEMA)?;
    let arn = resource_arn(request)?;
    // The ARN is checked before the model's constraints.
    validate::check_constraints(request, SCHEMA)?;
    let keys = request.get("TagKeys").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    let name = table_name_of(engine, "UntagResource", arn)?;
    if keys.is_empty() {
        return Err(ApiError::validation("Atleast one Tag Key needs to be provided as Input."));
    }
    let keys: Vec<&str> = keys.iter().filter_map(Value::as_str).collect();
    for key in &keys {
        check_key(key)?;
    }
    let table = table_of(engine, &name, arn)?;
    table.control.tags.retain(|(k, _)| !keys.contains(&k.as_str()));
    Ok(json!({}))
}
