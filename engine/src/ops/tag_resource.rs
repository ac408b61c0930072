//! TagResource: adds tags to a table (or replaces the values of keys it has), at most
//! [`MAX_TAGS`] in all.

use serde_json::{json, Value};

use super::tags::{read_tags, resource_arn, table_name_of, table_of, MAX_TAGS};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("ResourceArn", Str, &[]), field("Tags", List(&Struct("Tag", TAG)), &[NotNull])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check_types(request, SCHEMA)?;
    let arn = resource_arn(request)?;
    // The ARN is checked before the model's constraints.
    validate::check_constraints(request, SCHEMA)?;
    let tags = request.get("Tags").unwrap_or(&Value::Null);
    let name = table_name_of(engine, "TagResource", arn)?;
    let tags = read_tags(tags)?;
    if tags.is_empty() {
        return Err(ApiError::validation("Atleast one Tag needs to be provided as Input."));
    }
    let table = table_of(engine, &name, arn)?;
    let mut merged = table.control.tags.clone();
    for (key, value) in tags {
        match merged.iter_mut().find(|(k, _)| *k == key) {
            Some(existing) => existing.1 = value,
            None => merged.push((key, value)),
        }
    }
    if merged.len() > MAX_TAGS {
        return Err(ApiError::validation(
            "Number of Tags exceed the current limit for the provided ResourceArn",
        ));
    }
    table.control.tags = merged;
    Ok(json!({}))
}
