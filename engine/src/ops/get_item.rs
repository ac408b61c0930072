//! GetItem: one item by key, optionally projected.

use serde_json::{Map, Value};

use super::request;
use crate::capacity::{read_units, Consumed, ReturnConsumedCapacity};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::expr::{self, ExpressionAttributes};
use crate::types::{item_size, item_to_json};
use crate::validate::{self, schemas};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, schemas::GET_ITEM)?;
    request::check_expression_params(request, &["ProjectionExpression"], &["AttributesToGet"])?;
    let key = request::attribute_map(request, "Key")?.unwrap_or_default();
    if let Some(names) = request.get("AttributesToGet").and_then(Value::as_array) {
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = names.iter().filter_map(Value::as_str).find(|n| !seen.insert(*n)) {
            return Err(ApiError::invalid_parameter(format!("Duplicate value in attribute name: {dup}")));
        }
    }
    let mut attrs = ExpressionAttributes::from_request(request)?;
    let projection = match request::string(request, "ProjectionExpression") {
        Some(text) => Some(expr::parse_projection(text, &mut attrs)?),
        None => None,
    };
    attrs.check_all_used()?;

    let table = request::table(engine, request)?;
    let key = table.key_schema.key_of_key(&key)?;
    let item = table.get(&key);
    let consistent = request::boolean(request, "ConsistentRead");
    let consumed = Consumed::table(read_units(item.map_or(0, item_size), consistent));

    let mut body = Map::new();
    if let Some(item) = item {
        let item = match &projection {
            Some(p) => p.apply(item),
            None => match request.get("AttributesToGet").and_then(Value::as_array) {
                Some(names) => names
                    .iter()
                    .filter_map(Value::as_str)
                    .filter_map(|n| item.get(n).map(|v| (n.to_owned(), v.clone())))
                    .collect(),
                None => item.clone(),
            },
        };
        body.insert("Item".into(), item_to_json(&item));
    }
    if let Some(c) = consumed.to_json(&table.name, ReturnConsumedCapacity::from_request(request)) {
        body.insert("ConsumedCapacity".into(), c);
    }
    Ok(Value::Object(body))
}
