//! BatchWriteItem: up to 25 puts and deletes across tables, without conditions. Every request
//! is checked — shapes, sizes, tables, keys, duplicates — before the first write, so a bad
//! batch writes nothing; then each write is planned and committed like PutItem/DeleteItem.

use serde_json::{Map, Value};

use super::write::{self, WriteAction};
use super::{batch, request};
use crate::capacity::admission;
use crate::capacity::{ConsumedByTable, ReturnConsumedCapacity};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, Cause};
use crate::types::{item_from_json, Item, PrimaryKey};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    const PUT_REQUEST: &[Field] = &[field("Item", Map(&AttributeValue), &[NotNull])];
    const DELETE_REQUEST: &[Field] = &[field("Key", Map(&AttributeValue), &[NotNull])];
    const WRITE_REQUEST: &[Field] = &[
        field("PutRequest", Struct("PutRequest", PUT_REQUEST), &[]),
        field("DeleteRequest", Struct("DeleteRequest", DELETE_REQUEST), &[]),
    ];
    &[
        RETURN_CONSUMED_CAPACITY,
        RETURN_ITEM_COLLECTION_METRICS,
        field(
            "RequestItems",
            Map(&List(&Struct("WriteRequest", WRITE_REQUEST))),
            &[NotNull, MinLength(1), DEFERRED_REQUEST_ITEMS_KEYS, MapValues(&[MaxLength(25), MinLength(1)])],
        ),
    ]
};

/// Most put and delete requests one call may make, across all tables.
const MAX_REQUESTS: usize = 25;

/// A write with its request entry (echoed in UnprocessedItems when throttled) and key.
type Planned<'a> = (&'a Value, PrimaryKey, WriteAction);

/// One put or delete, checked.
enum Request {
    Put(Item),
    Delete(Item),
}

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check_types(request, SCHEMA)?;
    let tables = batch::request_items(request, "BatchWriteItem")?;
    validate::check_constraints(request, SCHEMA)?;

    let mut batches: Vec<(&str, Vec<(&Value, Request)>)> = Vec::with_capacity(tables.len());
    let mut total = 0;
    for (name, list) in tables {
        let mut requests = Vec::new();
        for entry in list.as_array().into_iter().flatten() {
            requests.push((entry, parse_request(entry)?));
        }
        total += requests.len();
        if total > MAX_REQUESTS {
            return Err(ApiError::validation("Too many items requested for the BatchWriteItem call"));
        }
        batches.push((name.as_str(), requests));
    }

    // Tables first, then keys: a missing table is reported before a duplicate key.
    for (name, _) in &batches {
        engine.tables.get(name).ok_or_else(ApiError::resource_not_found)?;
    }
    let mut planned: Vec<(&str, Vec<Planned<'_>>)> = Vec::with_capacity(batches.len());
    for (name, requests) in batches {
        let table = engine.tables.get(name).ok_or_else(ApiError::resource_not_found)?;
        let mut writes: Vec<(&Value, PrimaryKey, WriteAction)> = Vec::with_capacity(requests.len());
        for (entry, request) in requests {
            let (key, action) = match request {
                Request::Put(item) => {
                    // A batch words a missing or mistyped key like a Key member does.
                    let key = write::item_key(table, &item).map_err(|e| match e.cause {
                        Some(Cause::MissingKeyAttribute | Cause::KeyTypeMismatch) => {
                            ApiError::validation("The provided key element does not match the schema")
                        }
                        _ => e,
                    })?;
                    (key, WriteAction::Put(item))
                }
                Request::Delete(key) => (table.key_schema.key_of_key(&key)?, WriteAction::Delete),
            };
            if writes.iter().any(|(_, k, _)| *k == key) {
                return Err(ApiError::validation("Provided list of item keys contains duplicates"));
            }
            writes.push((entry, key, action));
        }
        planned.push((name, writes));
    }

    // Puts and deletes carry no condition: only throttling can stop one now. A throttled
    // write comes back in UnprocessedItems; the call fails only if no write was applied.
    let mut consumed = ConsumedByTable::default();
    let mut unprocessed = Map::new();
    let mut applied = 0usize;
    let mut first_throttle: Option<ApiError> = None;
    // A strongly consistent global table refuses the whole batch before anything is written.
    for (name, writes) in &planned {
        let (table, env) = request::split(engine, name)?;
        for (_, key, _) in writes {
            crate::global::strong::check_write(table, key, env.now)?;
        }
    }
    for (name, writes) in planned {
        let (table, env) = request::split(engine, name)?;
        let mut left_over = Vec::new();
        for (entry, key, mut action) in writes {
            let plan = write::plan(table, key, &mut action, None, env.collection_limit)
                .map_err(|e| e.into_api_error(request))?;
            let (used, charges, sizes) = write::cost(table, &plan, false);
            write::note_write(env.trace, table, &plan, sizes, &used, false);
            match admission::admit(table, &env, &charges) {
                Ok(_) => {
                    write::commit(table, plan, env.now, env.lag);
                    admission::after_write(table, env.now, &charges);
                    consumed.add(name, &used);
                    applied += 1;
                }
                Err(throttle) => {
                    if first_throttle.is_none() {
                        first_throttle = Some(env.throttle_error(table, &throttle));
                    }
                    left_over.push(entry.clone());
                }
            }
        }
        if !left_over.is_empty() {
            admission::note_throttled_request(table, env.now);
            unprocessed.insert(name.to_owned(), Value::Array(left_over));
        }
    }
    if let (0, Some(err)) = (applied, first_throttle) {
        return Err(err);
    }

    let mut body = Map::new();
    // DynamoDB always sends UnprocessedItems, empty when every write was applied.
    body.insert("UnprocessedItems".into(), Value::Object(unprocessed));
    if let Some(c) = batch::consumed_list(&consumed, ReturnConsumedCapacity::from_request(request)) {
        body.insert("ConsumedCapacity".into(), c);
    }
    Ok(Value::Object(body))
}

/// A `WriteRequest`: exactly one of PutRequest and DeleteRequest, with valid values.
fn parse_request(entry: &Value) -> ApiResult<Request> {
    let put = entry.get("PutRequest").filter(|v| !v.is_null());
    let delete = entry.get("DeleteRequest").filter(|v| !v.is_null());
    match (put, delete) {
        (Some(put), None) => {
            let item = item_from_json(put.get("Item").unwrap_or(&Value::Null))?;
            write::check_item_size(&item)?;
            Ok(Request::Put(item))
        }
        (None, Some(delete)) => Ok(Request::Delete(item_from_json(delete.get("Key").unwrap_or(&Value::Null))?)),
        // DynamoDB reads a WriteRequest as a union and words the failure as for AttributeValue.
        _ => Err(ApiError::validation(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
        )),
    }
}
