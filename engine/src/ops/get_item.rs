//! GetItem: one item by key, optionally projected.

use std::cell::Cell;

use serde_json::{Map, Value};

use super::request;
use crate::capacity::admission::{Charge, On};
use crate::capacity::resource::Access;
use crate::capacity::{read_units, Consumed, ReturnConsumedCapacity};
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::expr::{self, legacy, ExpressionAttributes};
use crate::storage::Entry;
use crate::types::text::object_text;
use crate::types::{item_to_json, Item, ItemText, KeyValue};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        RETURN_CONSUMED_CAPACITY,
        ATTRIBUTES_TO_GET,
        TABLE_NAME,
        field("Key", Map(&AttributeValue), &[NotNull]),
        field("ConsistentRead", Bool, &[]),
        field("ProjectionExpression", Str, &[]),
        EXPRESSION_ATTRIBUTE_NAMES,
    ]
};

/// The answer as a JSON value.
pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    super::worded::run(engine, request, super::worded::Surface::Read, run_worded)
}

fn run_worded(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    let (item, consumed) = execute(engine, request, None, |entry| item_to_json(&entry.item()), item_to_json)?;
    let mut body = Map::new();
    if let Some(c) = consumed {
        body.insert("ConsumedCapacity".into(), c);
    }
    if let Some(item) = item {
        body.insert("Item".into(), item);
    }
    Ok(Value::Object(body))
}

/// The answer as JSON text, the item written straight from its stored bytes (the same text
/// as `run(…).to_string()`, members in the same order).
pub(crate) fn run_text(engine: &mut Engine, request: &Value) -> ApiResult<String> {
    super::worded::run(engine, request, super::worded::Surface::Read, |engine, request| {
        text_answer(engine, request, None)
    })
}

/// [`run_text`] for a request whose `Key` was read straight from the body
/// (`types::item_reader`); `None` when its error depends on how DynamoDB words it.
pub(crate) fn run_read_directly(
    engine: &mut Engine,
    request: &Value,
    key: Item,
) -> Option<ApiResult<String>> {
    super::worded::run_read_directly(|| text_answer(engine, request, Some(key)))
}

/// The answer as text; the key `read` already or read from the request.
fn text_answer(engine: &mut Engine, request: &Value, read: Option<Item>) -> ApiResult<String> {
    // The item is written after the answer's opening, so the usual answer — the item alone —
    // is one buffer, never copied into another.
    const OPENING: &[u8] = br#"{"Item":"#;
    let whole = |entry: Entry<'_, _>| {
        let mut text = Vec::with_capacity(2 * entry.size() + 64);
        text.extend_from_slice(OPENING);
        entry.write_json(&mut text);
        text
    };
    let projected = |item: &Item| {
        let mut text = OPENING.to_vec();
        let _ = serde_json::to_writer(&mut text, &ItemText(item));
        text
    };
    let (item, consumed) = execute(engine, request, read, whole, projected)?;
    let mut body = Map::new();
    if let Some(c) = consumed {
        body.insert("ConsumedCapacity".into(), c);
    }
    let Some(mut text) = item else { return Ok(Value::Object(body).to_string()) };
    text.push(b'}');
    let text = String::from_utf8(text).unwrap_or_default();
    Ok(match body.is_empty() {
        true => text,
        // ConsumedCapacity sorts before Item.
        false => object_text(
            &body,
            "Item",
            text.get(OPENING.len()..text.len().saturating_sub(1)).unwrap_or_default(),
        ),
    })
}

/// Validates, charges and reads: the item as `whole` renders it (or, projected, as `projected`
/// does), and the ConsumedCapacity member if the request asked for it. The key is `read`
/// already, or read from the request.
fn execute<R>(
    engine: &mut Engine,
    request: &Value,
    read: Option<Item>,
    whole: impl FnOnce(Entry<'_, Option<KeyValue>>) -> R,
    projected: impl FnOnce(&Item) -> R,
) -> ApiResult<(Option<R>, Option<Value>)> {
    validate::check(request, SCHEMA)?;
    request::check_expression_params(request, &["ProjectionExpression"], &["AttributesToGet"])?;
    let key = match read {
        Some(key) => key,
        None => request::attribute_map(request, "Key")?.unwrap_or_default(),
    };
    let attributes_to_get = legacy::attributes_to_get(request)?;
    let mut attrs = ExpressionAttributes::from_request(request)?;
    let projection = match request::string(request, "ProjectionExpression") {
        Some(text) => Some(expr::parse_projection(text, &mut attrs)?),
        None => attributes_to_get,
    };
    attrs.check_all_used()?;

    let consistent = request::boolean(request, "ConsistentRead");
    let key = request::table(engine, request)?.key_schema.key_of_key(&key)?;
    let reading = engine.reading(consistent);
    let (table, env) = request::table_env(engine, request)?;
    // One lookup serves the charge (the whole item's size, whatever the projection) and the
    // answer, written from the stored item itself (as the replica read holds it), never
    // from a copy.
    let served = Cell::new(reading.served(None).unwrap_or_default());
    let found = table.items.get_seen(&key.partition, &key.sort, reading.table_view(), &served);
    let size = found.map_or(0, |entry| entry.size());
    let units = read_units(size, consistent);
    let item = found.map(|entry| match &projection {
        Some(p) => projected(&p.apply(&entry.item())),
        None => whole(entry),
    });
    let charge = Charge::new(On::Table, Access::Read, key.partition.token, key.partition.value, units);
    env.trace.read(&table.name, |t| crate::explain::trace::ReadStep {
        table: t,
        index: None,
        bytes: size as u64,
        items: u64::from(item.is_some()),
        page: false,
        consistent,
        transactional: false,
        micro: charge.micro,
        served: reading.replica.map(|_| served.get()),
    });
    env.admit(table, std::slice::from_ref(&charge))?;
    let consumed = Consumed::table(units).to_json(&table.name, ReturnConsumedCapacity::from_request(request));
    Ok((item, consumed))
}
