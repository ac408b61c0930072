//! SearchVectors: a similarity search of a vector index (see `vector/search.rs`, which does the
//! work, and `vector/mod.rs`, the index).

use serde_json::Value;

use super::request;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members, in the API model's order (DynamoDB's order of constraint failures
/// for this operation is not documented).
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        TABLE_NAME,
        field("IndexName", Str, &[NotNull, NamePattern, MinLength(3), MaxLength(255)]),
        RETURN_CONSUMED_CAPACITY,
        EXPRESSION_ATTRIBUTE_NAMES,
        EXPRESSION_ATTRIBUTE_VALUES,
        field("ProjectionExpression", Str, &[]),
        field("SearchVector", List(&AttributeValue), &[NotNull, MinLength(1), MaxLength(4096)]),
        field("SearchConditionExpression", Str, &[]),
        field("TopK", Integer, &[NotNull, Min(1)]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let name = request::string(request, "TableName").unwrap_or_default();
    crate::vector::search::run(engine.tables.get(name), request, engine.now_ms)
}
