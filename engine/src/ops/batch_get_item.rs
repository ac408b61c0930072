//! BatchGetItem: up to 100 items by key from one or more tables, each table with its own
//! projection and consistency. Items are charged one by one (each rounded up to 4 KB); a
//! response stops growing at 16 MB and the keys left over come back in `UnprocessedKeys`.

use std::cell::Cell;

use serde_json::{Map, Value};

use super::batch::{self, MAX_RESPONSE_BYTES};
use super::request;
use crate::capacity::admission::{self, Charge, On};
use crate::capacity::resource::Access;
use crate::capacity::{read_units, Consumed, ConsumedByTable, ReturnConsumedCapacity};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::explain::trace::ReadStep;
use crate::expr::{self, ExpressionAttributes, Projection};
use crate::replication::{Reading, Served};
use crate::types::{item_from_json, item_to_json, Item, PrimaryKey};
use crate::validate::{self, Field, Rule};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    const KEYS_AND_ATTRIBUTES: &[Field] = &[
        // More than 100 keys is reported before these rules run, in its own wording (`run`).
        field("Keys", List(&Map(&AttributeValue)), &[NotNull, MinLength(1), MaxLength(100)]),
        ATTRIBUTES_TO_GET,
        field("ConsistentRead", Bool, &[]),
        field("ProjectionExpression", Str, &[]),
        EXPRESSION_ATTRIBUTE_NAMES,
    ];
    &[
        field(
            "RequestItems",
            Map(&Struct("KeysAndAttributes", KEYS_AND_ATTRIBUTES)),
            &[NotNull, MinLength(1), REQUEST_ITEMS_KEYS],
        ),
        RETURN_CONSUMED_CAPACITY,
    ]
};

/// Most keys one call may ask for, across all tables.
const MAX_KEYS: usize = 100;

/// One table's part of the request, checked.
struct TableRead<'a> {
    name: &'a str,
    /// The request's `KeysAndAttributes`, echoed (with the leftover keys) in `UnprocessedKeys`.
    spec: &'a Value,
    keys: Vec<Item>,
    /// ProjectionExpression, or the legacy AttributesToGet as a projection.
    projection: Option<Projection>,
    consistent: bool,
}

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    super::worded::run(engine, request, super::worded::Surface::Read, run_worded)
}

fn run_worded(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check_types(request, SCHEMA)?;
    let items = batch::request_items(request, "BatchGetItem")?;
    // A table with more than 100 keys, or none, is reported alone, in the newer validation wording.
    for (name, spec) in items {
        let keys = spec.get("Keys");
        for rule in [Rule::MaxLength(MAX_KEYS), Rule::MinLength(1)] {
            validate::check_alone(keys, format_args!("RequestItems.{name}.member.Keys"), rule)?;
        }
    }
    validate::check_constraints(request, SCHEMA)?;

    let mut reads = Vec::with_capacity(items.len());
    let mut total_keys = 0;
    for (name, spec) in items {
        // Projections are expression or legacy for the whole request, not table by table.
        let other = |member| items.values().any(|s| request::is_present(s, member));
        if request::is_present(spec, "ProjectionExpression") && other("AttributesToGet") {
            return Err(ApiError::validation(
                "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}",
            ));
        }
        let read = check_table_read(name, spec)?;
        total_keys += read.keys.len();
        if total_keys > MAX_KEYS {
            return Err(ApiError::validation("Too many items requested for the BatchGetItem call"));
        }
        reads.push(read);
    }

    // Every table must exist before any key is checked against its schema.
    let mut primary_keys = Vec::with_capacity(reads.len());
    for read in &reads {
        engine.tables.get(read.name).ok_or_else(ApiError::resource_not_found)?;
    }
    for read in &reads {
        let table = engine.tables.get(read.name).ok_or_else(ApiError::resource_not_found)?;
        let keys: Vec<PrimaryKey> =
            read.keys.iter().map(|k| table.key_schema.key_of_key(k)).collect::<ApiResult<_>>()?;
        primary_keys.push(keys);
    }

    let mode = ReturnConsumedCapacity::from_request(request);
    let mut responses = Map::new();
    let mut unprocessed = Map::new();
    let mut consumed = ConsumedByTable::default();
    let mut response_bytes = 0usize;
    let mut read_any = false;
    let mut first_throttle: Option<ApiError> = None;
    // Each key is a read of its own, with its own replica (`replication`).
    let mut eventual_reads = engine.playground.eventual_reads;
    for (read, keys) in reads.iter().zip(primary_keys) {
        let (table, env) = request::split(engine, read.name)?;
        let mut answered = Vec::new();
        let mut left_over = Vec::new();
        let mut full = false;
        for (key, key_json) in keys.iter().zip(&read.keys) {
            let reading = Reading::next(env.now, env.lag, read.consistent, &mut eventual_reads);
            let served = Cell::new(reading.served(None).unwrap_or_default());
            let view = reading.table_view();
            let found = table.items.get_seen(&key.partition, &key.sort, view, &served);
            let (size, present) = (found.map_or(0, |entry| entry.size()), found.is_some());
            if full || (response_bytes > 0 && response_bytes + size > MAX_RESPONSE_BYTES) {
                full = true;
                left_over.push(item_to_json(key_json));
                continue;
            }
            // Each key is charged on its own; a throttled key comes back in UnprocessedKeys.
            let units = read_units(size, read.consistent);
            let charge =
                Charge::new(On::Table, Access::Read, key.partition.token, key.partition.value.clone(), units);
            env.trace.read(&table.name, |t| ReadStep {
                table: t,
                index: None,
                bytes: size as u64,
                items: u64::from(present),
                page: false,
                consistent: read.consistent,
                transactional: false,
                micro: charge.micro,
                served: reading.replica.map(|_| served.get()),
            });
            if let Err(throttle) = admission::admit(table, &env, std::slice::from_ref(&charge)) {
                if first_throttle.is_none() {
                    first_throttle = Some(env.throttle_error(table, &throttle));
                }
                left_over.push(item_to_json(key_json));
                continue;
            }
            read_any = true;
            response_bytes += size;
            consumed.add(read.name, &Consumed::table(units));
            // The same version again (the charge needed the table to itself meanwhile).
            let again = Cell::new(Served::default());
            if let Some(item) = table.items.get_seen(&key.partition, &key.sort, view, &again) {
                answered.push(item_to_json(&read.shape(&item.item())));
            }
        }
        if first_throttle.is_some() && !left_over.is_empty() {
            admission::note_throttled_request(table, env.now);
        }
        if !left_over.is_empty() {
            let mut spec = read.spec.as_object().cloned().unwrap_or_default();
            spec.insert("Keys".into(), Value::Array(left_over));
            unprocessed.insert(read.name.to_owned(), Value::Object(spec));
        }
        responses.insert(read.name.to_owned(), Value::Array(answered));
    }
    engine.playground.eventual_reads = eventual_reads;

    if let (false, Some(err)) = (read_any, first_throttle) {
        return Err(err);
    }
    let mut body = Map::new();
    body.insert("Responses".into(), Value::Object(responses));
    // DynamoDB always sends UnprocessedKeys, empty when everything was read.
    body.insert("UnprocessedKeys".into(), Value::Object(unprocessed));
    if let Some(c) = batch::consumed_list(&consumed, mode) {
        body.insert("ConsumedCapacity".into(), c);
    }
    Ok(Value::Object(body))
}

/// The checks on one table's `KeysAndAttributes` that need no table: expression parameters,
/// attribute values, duplicate keys.
fn check_table_read<'a>(name: &'a str, spec: &'a Value) -> ApiResult<TableRead<'a>> {
    request::check_expression_params(spec, &["ProjectionExpression"], &["AttributesToGet"])?;
    let attributes_to_get = expr::legacy::attributes_to_get(spec)?;
    let mut attrs = ExpressionAttributes::from_request(spec)?;
    let projection = match request::string(spec, "ProjectionExpression") {
        Some(text) => Some(expr::parse_projection(text, &mut attrs)?),
        None => attributes_to_get,
    };
    attrs.check_all_used()?;
    let mut keys: Vec<Item> = Vec::new();
    for key in spec.get("Keys").and_then(Value::as_array).into_iter().flatten() {
        let key = item_from_json(key)?;
        if keys.contains(&key) {
            return Err(ApiError::validation("Provided list of item keys contains duplicates"));
        }
        keys.push(key);
    }
    Ok(TableRead { name, spec, keys, projection, consistent: request::boolean(spec, "ConsistentRead") })
}

impl TableRead<'_> {
    /// An item as this table's request asked for it.
    fn shape(&self, item: &Item) -> Item {
        match &self.projection {
            Some(p) => p.apply(item),
            None => item.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::engine::Engine;

    fn engine_with_big_items(count: usize) -> Engine {
        let mut engine = Engine::new();
        let table = json!({"TableName": "Big", "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}]});
        engine.handle_json("CreateTable", table).unwrap();
        let payload = "x".repeat(399 * 1024);
        for i in 0..count {
            // 399 WCU each: one a second stays under the 1,000 WCU per-partition ceiling.
            engine.advance(1_000);
            let item =
                json!({"TableName": "Big", "Item": {"k": {"S": format!("{i:02}")}, "p": {"S": payload}}});
            engine.handle_json("PutItem", item).unwrap();
        }
        engine
    }

    #[test]
    fn response_stops_at_16_mb_and_returns_the_rest_unprocessed() {
        let mut engine = engine_with_big_items(45);
        let keys: Vec<_> = (0..45).map(|i| json!({"k": {"S": format!("{i:02}")}})).collect();
        let request = json!({"RequestItems": {"Big": {"Keys": keys, "ConsistentRead": true}},
            "ReturnConsumedCapacity": "TOTAL"});
        let response = engine.handle_json("BatchGetItem", request).unwrap();
        let returned = response["Responses"]["Big"].as_array().unwrap().len();
        let left = &response["UnprocessedKeys"]["Big"];
        // 399 KB items: 41 fit under 16 MB, the other 4 keys come back with the table's settings.
        assert_eq!(returned, 41);
        assert_eq!(left["Keys"].as_array().unwrap().len(), 4);
        assert_eq!(left["ConsistentRead"], json!(true));
        // Only what was read is charged: 100 KB each rounds up to 100 × 4 KB units.
        assert_eq!(
            response["ConsumedCapacity"],
            json!([{"TableName": "Big", "CapacityUnits": 41.0 * 100.0}])
        );
    }

    #[test]
    fn items_are_charged_one_by_one() {
        let mut engine = engine_with_big_items(2);
        let request = json!({"RequestItems": {"Big": {"Keys": [{"k": {"S": "00"}}, {"k": {"S": "01"}}, {"k": {"S": "zz"}}]}},
            "ReturnConsumedCapacity": "TOTAL"});
        let response = engine.handle_json("BatchGetItem", request).unwrap();
        // Eventually consistent: 100 units / 2 per item, plus 0.5 for the missing key.
        assert_eq!(response["ConsumedCapacity"], json!([{"TableName": "Big", "CapacityUnits": 100.5}]));
        assert_eq!(response["UnprocessedKeys"], json!({}));
    }
}
