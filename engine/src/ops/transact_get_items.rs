//! TransactGetItems: up to 100 items read as one atomic snapshot. Request errors (shapes,
//! expressions, missing tables, two gets of one item) fail the call; a key that does not fit
//! its table cancels the transaction with a `ValidationError` reason. Each item costs twice a
//! strongly consistent read.

use serde_json::{Map, Value};

use super::request;
use super::transact::{self, Reason};
use crate::capacity::admission::{Charge, On};
use crate::capacity::resource::Access;
use crate::capacity::{read_units, Consumed, ConsumedByTable, ReturnConsumedCapacity, UnitKind};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::expr::{self, ExpressionAttributes, Projection};
use crate::types::{item_to_json, PrimaryKey};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    const GET: &[Field] = &[
        field("Key", Map(&AttributeValue), &[NotNull]),
        TABLE_NAME,
        field("ProjectionExpression", Str, &[]),
        EXPRESSION_ATTRIBUTE_NAMES,
    ];
    const TRANSACT_GET_ITEM: &[Field] = &[field("Get", Struct("Get", GET), &[NotNull])];
    &[
        field(
            "TransactItems",
            List(&Struct("TransactGetItem", TRANSACT_GET_ITEM)),
            &[NotNull, MinLength(1), MaxLength(100)],
        ),
        RETURN_CONSUMED_CAPACITY,
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    super::worded::run(engine, request, super::worded::Surface::Read, run_worded)
}

fn run_worded(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let actions: Vec<&Value> = request
        .get("TransactItems")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| a.get("Get"))
        .collect();

    // Request-level checks, for every action before any table is read.
    let mut projections: Vec<Option<Projection>> = Vec::with_capacity(actions.len());
    for get in &actions {
        let mut attrs = ExpressionAttributes::from_request(get)?;
        request::check_expression_params(get, &["ProjectionExpression"], &[])?;
        projections.push(match request::string(get, "ProjectionExpression") {
            Some(text) => Some(expr::parse_projection(text, &mut attrs)?),
            None => None,
        });
        attrs.check_all_used()?;
    }
    for get in &actions {
        request::table(engine, get)?;
    }

    // Keys against their tables: a misfit cancels the transaction.
    let mut keys: Vec<Option<(&str, PrimaryKey)>> = Vec::with_capacity(actions.len());
    let mut reasons = Vec::with_capacity(actions.len());
    for get in &actions {
        let table = request::table(engine, get)?;
        let key = request::attribute_map(get, "Key")?.unwrap_or_default();
        match table.key_schema.key_of_key(&key) {
            Ok(key) => {
                if keys.iter().flatten().any(|(t, k)| *t == table.name && *k == key) {
                    return Err(transact::duplicate_item());
                }
                keys.push(Some((table.name.as_str(), key)));
                reasons.push(Reason::None);
            }
            Err(e) => {
                keys.push(None);
                reasons.push(Reason::ValidationError(e.message));
            }
        }
    }
    transact::cancel_if_failed(&reasons)?;

    // Transactional reads cost twice a strongly consistent read, item by item; all are
    // admitted before any is read.
    let keys: Vec<(String, PrimaryKey)> =
        keys.into_iter().flatten().map(|(t, k)| (t.to_owned(), k)).collect();
    let mut charges = Vec::with_capacity(keys.len());
    let mut unit_list = Vec::with_capacity(keys.len());
    for (n, (table_name, key)) in keys.iter().enumerate() {
        let table = engine.tables.get(table_name).ok_or_else(ApiError::resource_not_found)?;
        let size = table.size_of(key).unwrap_or(0);
        let units = 2.0 * read_units(size, true);
        unit_list.push(units);
        let charge =
            Charge::new(On::Table, Access::Read, key.partition.token, key.partition.value.clone(), units);
        engine.traces.recorder.read(&table.name, |t| crate::explain::trace::ReadStep {
            table: t,
            index: None,
            bytes: size as u64,
            items: u64::from(table.size_of(key).is_some()),
            page: false,
            consistent: true,
            transactional: true,
            served: None,
            micro: charge.micro,
        });
        charges.push((n, table_name.as_str(), vec![charge]));
    }
    transact::admit_all(engine, &charges, actions.len())?;

    let mut responses = Vec::with_capacity(actions.len());
    let mut consumed = ConsumedByTable::default();
    for (((table_name, key), projection), units) in keys.iter().zip(&projections).zip(unit_list) {
        let table = engine.tables.get(table_name).ok_or_else(ApiError::resource_not_found)?;
        let item = table.get(key);
        consumed.add(table_name, &Consumed::table(units));
        let mut entry = Map::new();
        if let Some(item) = item {
            let item = match projection {
                Some(p) => p.apply(&item),
                None => item,
            };
            entry.insert("Item".into(), item_to_json(&item));
        }
        responses.push(Value::Object(entry));
    }

    let mut body = Map::new();
    let mode = ReturnConsumedCapacity::from_request(request);
    if mode != ReturnConsumedCapacity::None {
        let list =
            consumed.iter().filter_map(|(t, c)| c.to_json_transactional(t, mode, UnitKind::Read)).collect();
        body.insert("ConsumedCapacity".into(), Value::Array(list));
    }
    body.insert("Responses".into(), Value::Array(responses));
    Ok(Value::Object(body))
}
