//! GetItem: one item by key, optionally projected.

use std::cell::Cell;

use serde_json::{Map, Value};

use super::request;
use crate::capacity::admission::{Charge, On};
use crate::capacity::resource::Access;
use crate::capacity::{read_units, Consumed, ReturnConsumedCapacity};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::expr::{self, legacy, ExpressionAttributes, Projection};
use crate::storage::Entry;
use crate::types::plain_json::{utf8, Plain};
use crate::types::text::object_text;
use crate::types::value::decode_base64;
use crate::types::{item_to_json, AttributeValue, Item, ItemText, KeyValue, Number};
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
    let get = read(request, None)?;
    let (item, consumed) = serve(engine, get, |entry| item_to_json(&entry.item()), item_to_json)?;
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

/// The answer as text; the key given already, or read from the request.
fn text_answer(engine: &mut Engine, request: &Value, key: Option<Item>) -> ApiResult<String> {
    text_served(engine, read(request, key)?)
}

/// The answer to `get` as text.
fn text_served(engine: &mut Engine, get: Get<'_>) -> ApiResult<String> {
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
    let (item, consumed) = serve(engine, get, whole, projected)?;
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

/// What a GetItem asks for, read from its request.
pub(crate) struct Get<'r> {
    table: &'r str,
    key: Key<'r>,
    consistent: bool,
    projection: Option<Projection>,
    capacity: ReturnConsumedCapacity,
}

/// A key as the request gave it.
enum Key<'r> {
    /// Read the usual way, into a map.
    Map(Item),
    /// Read the plain way: its attributes in the body's order, named as there.
    Listed(Vec<(&'r str, AttributeValue)>),
}

/// Validates the request and reads what it asks for; its key `given` already, or read from it.
fn read<'r>(request: &'r Value, given: Option<Item>) -> ApiResult<Get<'r>> {
    validate::check(request, SCHEMA)?;
    request::check_expression_params(request, &["ProjectionExpression"], &["AttributesToGet"])?;
    let key = match given {
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
    Ok(Get {
        table: request::string(request, "TableName").unwrap_or_default(),
        key: Key::Map(key),
        consistent: request::boolean(request, "ConsistentRead"),
        projection,
        capacity: ReturnConsumedCapacity::from_request(request),
    })
}

/// A GetItem in its plainest form, read straight from the body without a `Value`: the table
/// by name, a key whose values are strings, numbers or binary, and at most `ConsistentRead`
/// and `ReturnConsumedCapacity` besides, every member once (see `types::plain_json`). `None`
/// for any other body — and for any value the usual way would refuse or word, so that both
/// ways read every body they both read the same (`tests/tests/direct_read.rs`).
pub(crate) fn read_plain(body: &[u8]) -> Option<Get<'_>> {
    let mut json = Plain::new(body);
    let (mut table, mut key, mut consistent, mut capacity) = (None, None, None, None);
    json.object(|json, member| {
        match member {
            b"TableName" if table.is_none() => table = Some(json.string()?),
            b"Key" if key.is_none() => key = Some(read_plain_key(json)?),
            b"ConsistentRead" if consistent.is_none() => consistent = Some(json.boolean()?),
            b"ReturnConsumedCapacity" if capacity.is_none() => {
                capacity = Some(match json.string()? {
                    "NONE" => ReturnConsumedCapacity::None,
                    "TOTAL" => ReturnConsumedCapacity::Total,
                    "INDEXES" => ReturnConsumedCapacity::Indexes,
                    _ => return None,
                })
            }
            _ => return None,
        }
        Some(())
    })?;
    json.end()?;
    // A name the validator would refuse, or an ARN, takes the usual way.
    let table = table.filter(|name| {
        (3..=255).contains(&name.len())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    })?;
    Some(Get {
        table,
        key: Key::Listed(key?),
        consistent: consistent.unwrap_or(false),
        projection: None,
        capacity: capacity.unwrap_or(ReturnConsumedCapacity::None),
    })
}

/// A key of one or more attributes, each a non-empty string, a number or non-empty binary,
/// each named once.
fn read_plain_key<'a>(json: &mut Plain<'a>) -> Option<Vec<(&'a str, AttributeValue)>> {
    let mut key = Vec::with_capacity(2);
    json.object(|json, name| {
        let mut value = None;
        json.object(|json, tag| {
            let text = json.string()?;
            let read = match tag {
                b"S" if !text.is_empty() => AttributeValue::S(text.to_owned()),
                b"N" => AttributeValue::N(Number::parse(text).ok()?),
                b"B" => AttributeValue::B(decode_base64(text).ok().filter(|b| !b.is_empty())?),
                _ => return None,
            };
            value.replace(read).is_none().then_some(())
        })?;
        let name = utf8(name).filter(|name| !name.is_empty() && key.iter().all(|(n, _)| n != name))?;
        key.push((name, value?));
        Some(())
    })?;
    (!key.is_empty()).then_some(key)
}

/// The answer to a request [`read_plain`] read; `None` when its error depends on how
/// DynamoDB words it, and the request must run the usual way.
pub(crate) fn run_plain(engine: &mut Engine, get: Get<'_>) -> Option<ApiResult<String>> {
    super::worded::run_read_directly(|| text_served(engine, get))
}

/// Charges and reads: the item as `whole` renders it (or, projected, as `projected` does),
/// and the ConsumedCapacity member if the request asked for it.
fn serve<R>(
    engine: &mut Engine,
    get: Get<'_>,
    whole: impl FnOnce(Entry<'_, Option<KeyValue>>) -> R,
    projected: impl FnOnce(&Item) -> R,
) -> ApiResult<(Option<R>, Option<Value>)> {
    let Get { table, key, consistent, projection, capacity } = get;
    let schema = &engine.tables.get(table).ok_or_else(ApiError::resource_not_found)?.key_schema;
    let key = match &key {
        Key::Map(key) => schema.key_of_key(key)?,
        Key::Listed(key) => schema.key_of_attributes(key)?,
    };
    let reading = engine.reading(consistent);
    let (table, env) = request::split(engine, table)?;
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
    let consumed = Consumed::table(units).to_json(&table.name, capacity);
    Ok((item, consumed))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `read_plain` read, for comparing.
    fn plain(body: &str) -> Option<(String, Item, bool, ReturnConsumedCapacity)> {
        let get = read_plain(body.as_bytes())?;
        let Key::Listed(key) = get.key else { return None };
        let key = key.into_iter().map(|(name, value)| (name.to_owned(), value)).collect();
        Some((get.table.to_owned(), key, get.consistent, get.capacity))
    }

    #[test]
    fn reads_the_plainest_gets_without_a_tree() {
        let key = |pairs: &[(&str, AttributeValue)]| -> Item {
            pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
        };
        let (s, n) = (AttributeValue::S("a".into()), AttributeValue::N(Number::from_i64(12)));
        assert_eq!(
            plain(r#"{"TableName":"Tbl","Key":{"pk":{"S":"a"}}}"#),
            Some(("Tbl".into(), key(&[("pk", s.clone())]), false, ReturnConsumedCapacity::None))
        );
        assert_eq!(
            plain(
                r#" { "ReturnConsumedCapacity" : "TOTAL", "ConsistentRead":true,
                "Key":{"pk":{"S":"a"},"sk":{"N":"012.0"}}, "TableName":"a-b.c_9" } "#
            ),
            Some(("a-b.c_9".into(), key(&[("pk", s), ("sk", n)]), true, ReturnConsumedCapacity::Total))
        );
        // Everything else is left to the usual way: other members, names the validator
        // refuses, values it refuses or words, repeats.
        for body in [
            r#"{"TableName":"Tbl","Key":{"pk":{"S":"a"}},"ProjectionExpression":"pk"}"#,
            r#"{"TableName":"Tb","Key":{"pk":{"S":"a"}}}"#,
            r#"{"TableName":"arn:aws:dynamodb:us-east-1:000000000000:table/Tbl","Key":{"pk":{"S":"a"}}}"#,
            r#"{"TableName":"Tbl","Key":{"pk":{"S":""}}}"#,
            r#"{"TableName":"Tbl","Key":{"pk":{"N":"1x"}}}"#,
            r#"{"TableName":"Tbl","Key":{"pk":{"B":"A"}}}"#,
            r#"{"TableName":"Tbl","Key":{"pk":{"BOOL":true}}}"#,
            r#"{"TableName":"Tbl","Key":{"pk":{"S":"a","N":"1"}}}"#,
            r#"{"TableName":"Tbl","Key":{"pk":{"S":"a"},"pk":{"S":"b"}}}"#,
            r#"{"TableName":"Tbl","Key":{}}"#,
            r#"{"TableName":"Tbl"}"#,
            r#"{"TableName":"Tbl","TableName":"Tbl","Key":{"pk":{"S":"a"}}}"#,
            r#"{"TableName":"Tbl","Key":{"pk":{"S":"a"}},"ReturnConsumedCapacity":"ALL"}"#,
            r#"{"TableName":"Tbl","Key":{"pk":{"S":"a"}},"ConsistentRead":"true"}"#,
        ] {
            assert!(plain(body).is_none(), "{body} was read the plain way");
        }
    }

    /// A key of two attributes, read the plain way, in either order or not matching the
    /// schema: the usual way's answers.
    #[test]
    fn a_plain_key_of_two_attributes_answers_as_the_usual_way() {
        let mut engine = Engine::new();
        let table = br#"{"TableName":"Two","BillingMode":"PAY_PER_REQUEST",
            "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
            "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}]}"#;
        engine.handle("CreateTable", table).unwrap();
        engine
            .handle("PutItem", br#"{"TableName":"Two","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"v":{"S":"x"}}}"#)
            .unwrap();
        for key in [
            r#"{"pk":{"S":"a"},"sk":{"N":"1"}}"#,
            r#"{"sk":{"N":"1.0"},"pk":{"S":"a"}}"#,
            r#"{"pk":{"S":"a"},"sk":{"N":"2"}}"#,
            r#"{"pk":{"S":"a"}}"#,
            r#"{"pk":{"S":"a"},"sk":{"S":"1"}}"#,
            r#"{"pk":{"S":"a"},"other":{"N":"1"}}"#,
            r#"{"pk":{"S":"a"},"sk":{"N":"1"},"v":{"S":"x"}}"#,
        ] {
            let body = format!(r#"{{"TableName":"Two","Key":{key}}}"#);
            assert!(read_plain(body.as_bytes()).is_some(), "{body}");
            let plain = engine.handle_text("GetItem", body.as_bytes()).map_err(|e| e.to_json());
            let usual =
                engine.handle("GetItem", body.as_bytes()).map(|v| v.to_string()).map_err(|e| e.to_json());
            assert_eq!(plain, usual, "{body}");
        }
    }

    #[test]
    fn every_build_answers_a_plain_get_the_plain_way() {
        let mut engine = Engine::new();
        let table = br#"{"TableName":"Tbl","BillingMode":"PAY_PER_REQUEST",
            "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
            "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]}"#;
        engine.handle("CreateTable", table).unwrap();
        engine.handle("PutItem", br#"{"TableName":"Tbl","Item":{"pk":{"S":"a"},"n":{"N":"1"}}}"#).unwrap();
        let spec = crate::ops::operation("GetItem").unwrap();
        let body = br#"{"TableName":"Tbl","Key":{"pk":{"S":"a"}}}"#;
        assert!(matches!(crate::ops::read_directly(spec, body), Some(crate::ops::Direct::PlainGet(_))));
        let answer = engine.handle_direct(spec, body).map(Result::unwrap);
        assert_eq!(answer.as_deref(), Some(r#"{"Item":{"n":{"N":"1"},"pk":{"S":"a"}}}"#));
    }
}
