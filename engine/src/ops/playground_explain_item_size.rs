//! PlaygroundExplainItemSize: an item's size attribute by attribute, as DynamoDB counts it
//! (the same arithmetic the engine charges and limits items by).

use serde_json::{json, Value};

use super::request;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::explain::item_size::item_size_explained;
use crate::types::item_size;
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("Item", Map(&AttributeValue), &[NotNull])]
};

pub(crate) fn run(_engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let item = request::attribute_map(request, "Item")?.unwrap_or_default();
    Ok(json!({
        "SizeBytes": item_size(&item),
        "Explanation": item_size_explained(&item).to_json(),
    }))
}
