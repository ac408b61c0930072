//! GetItem: one item by key, optionally projected.

use serde_json::{Map, Value};

use super::request;
use crate::capacity::admission::{self, Charge, On};
use crate::capacity::resource::Access;
use crate::capacity::{read_units, Consumed, ReturnConsumedCapacity};
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::expr::{self, legacy, ExpressionAttributes};
use crate::types::{item_size, item_to_json};
use crate::validate::{self, schemas};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, schemas::GET_ITEM)?;
    request::check_expression_params(request, &["ProjectionExpression"], &["AttributesToGet"])?;
    let key = request::attribute_map(request, "Key")?.unwrap_or_default();
    let attributes_to_get = legacy::attributes_to_get(request)?;
    let mut attrs = ExpressionAttributes::from_request(request)?;
    let projection = match request::string(request, "ProjectionExpression") {
        Some(text) => Some(expr::parse_projection(text, &mut attrs)?),
        None => attributes_to_get,
    };
    attrs.check_all_used()?;

    let (table, env) = request::table_env(engine, request)?;
    let key = table.key_schema.key_of_key(&key)?;
    let consistent = request::boolean(request, "ConsistentRead");
    let units = read_units(table.get(&key).map_or(0, item_size), consistent);
    let charge =
        Charge::new(On::Table, Access::Read, key.partition.token, key.partition.value.clone(), units);
    if let Err(throttle) = admission::admit(table, &env, std::slice::from_ref(&charge)) {
        admission::note_throttled_request(table, env.now);
        return Err(env.throttle_error(table, &throttle));
    }
    let item = table.get(&key);
    let consumed = Consumed::table(units);

    let mut body = Map::new();
    if let Some(item) = item {
        let item = match &projection {
            Some(p) => p.apply(item),
            None => item.clone(),
        };
        body.insert("Item".into(), item_to_json(&item));
    }
    if let Some(c) = consumed.to_json(&table.name, ReturnConsumedCapacity::from_request(request)) {
        body.insert("ConsumedCapacity".into(), c);
    }
    Ok(Value::Object(body))
}
