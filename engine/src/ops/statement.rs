//! What ExecuteStatement, BatchExecuteStatement and ExecuteTransaction share: parsing a
//! statement with its parameters, finding the key it is planned against, running the planned
//! request, and shaping SELECT results (PartiQL names a projected path by its last name).

use serde_json::{json, Map, Value};

use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::partiql::{self, KeyNames, Path, Plan, Statement, Step};
use crate::table::IndexKind;

/// A statement as a request member: its text and parameters.
pub(crate) struct Parsed {
    pub statement: Statement,
    pub params: Vec<Value>,
}

/// Parses the `Statement` and `Parameters` of a request (or of one member of a batch), then
/// checks the parameters' values.
pub(crate) fn parse(member: &Value) -> ApiResult<Parsed> {
    parse_as(member, |e| e)
}

/// [`parse`], with the statement's own syntax errors passed through `syntax` (an
/// ExecuteTransaction names the statement they are in).
pub(crate) fn parse_as(member: &Value, syntax: impl FnOnce(ApiError) -> ApiError) -> ApiResult<Parsed> {
    let text = request::string(member, "Statement").unwrap_or_default();
    let params = member.get("Parameters").and_then(Value::as_array).cloned().unwrap_or_default();
    let statement = partiql::parse(text, &params).map_err(syntax)?;
    partiql::check_parameters(&params)?;
    Ok(Parsed { statement, params })
}

/// The key names a statement is planned against: the table's, or the index's a SELECT reads.
pub(crate) fn key_names(engine: &Engine, statement: &Statement) -> ApiResult<KeyNames> {
    let table = engine.tables.get(statement.table()).ok_or_else(ApiError::resource_not_found)?;
    let schema = match statement {
        Statement::Select { from, .. } => match &from.index {
            // Unlike Query's, ExecuteStatement's message does not name the index.
            Some(name) => {
                &table
                    .index(name)
                    .ok_or_else(|| ApiError::validation("The table does not have the specified index"))?
                    .key_schema
            }
            None => &table.key_schema,
        },
        _ => &table.key_schema,
    };
    // DynamoDB's PartiQL reads no index with a multi-attribute key (the base table, its other
    // indexes and every write still run); the wording speaks of tables, the rule follows the
    // index. It comes after the parse, before anything the key decides.
    if schema.is_multi_attribute() {
        return Err(ApiError::validation(
            "PartiQL statements cannot be executed on tables with multi-attribute HASH keys or multi-attribute RANGE keys.",
        ));
    }
    Ok(KeyNames {
        partition: schema.partition_key.name.clone(),
        sort: schema.sort_key.as_ref().map(|k| k.name.clone()),
    })
}

/// What a SELECT reading an index must satisfy before it runs, checked after the index is
/// found: a global secondary index reads neither strongly consistently nor attributes it does
/// not project (the refusal lists them in statement order). Returns whether the index is a
/// local one, which reaches the table's item for attributes it does not project.
pub(crate) fn check_index_read(engine: &Engine, statement: &Statement, consistent: bool) -> ApiResult<bool> {
    let Statement::Select { from, projection, .. } = statement else { return Ok(false) };
    let (Some(name), Some(table)) = (&from.index, engine.tables.get(&from.table)) else { return Ok(false) };
    let Some(index) = table.index(name) else { return Ok(false) };
    if index.kind == IndexKind::Local {
        return Ok(true);
    }
    if consistent {
        return Err(ApiError::validation(
            "Strongly consistent read is not supported on Global Secondary Indexes",
        ));
    }
    let missing = index.unprojected(&table.key_schema, projection.iter().flatten().map(|path| path.head()));
    if !missing.is_empty() {
        return Err(ApiError::invalid_parameter(format!(
            "Global secondary index {name} does not project [{}]",
            missing.join(", ")
        )));
    }
    Ok(false)
}

/// Runs a planned request, with the member `extra` added (ReturnValuesOnConditionCheckFailure).
/// Expression errors come back as PartiQL words them (see [`partiql::unprefixed`]).
pub(crate) fn run(engine: &mut Engine, plan: Plan, extra: &[(&str, Option<&Value>)]) -> ApiResult<Value> {
    let mut request = plan.request;
    if let Some(obj) = request.as_object_mut() {
        for (name, value) in extra {
            if let Some(v) = value.filter(|v| !v.is_null()) {
                obj.insert((*name).to_owned(), v.clone());
            }
        }
    }
    let answer = match plan.op {
        "UpdateItem" => super::update_item::run_statement(engine, &request),
        op => super::dispatch(engine, op, &request),
    };
    answer.map_err(partiql::unprefixed)
}

/// Runs a write statement; an INSERT whose key is taken is DuplicateItemException.
pub(crate) fn run_write(
    engine: &mut Engine,
    parsed: &Parsed,
    member: &Value,
    rc: Option<&Value>,
) -> ApiResult<Value> {
    let keys = key_names(engine, &parsed.statement)?;
    let plan = partiql::plan_write(&parsed.statement, &keys, &parsed.params)?;
    let on_failure = member.get("ReturnValuesOnConditionCheckFailure");
    let result = run(
        engine,
        plan,
        &[("ReturnConsumedCapacity", rc), ("ReturnValuesOnConditionCheckFailure", on_failure)],
    );
    match result {
        Err(e)
            if e.kind == ErrorKind::ConditionalCheckFailed
                && matches!(parsed.statement, Statement::Insert { .. }) =>
        {
            Err(ApiError::duplicate_item())
        }
        other => other,
    }
}

/// The items of a SELECT, projected as PartiQL does: `SELECT a.b` returns `{"b": …}`.
pub(crate) fn project(items: &[Value], projection: Option<&[Path]>) -> Vec<Value> {
    let Some(paths) = projection else { return items.to_vec() };
    items
        .iter()
        .map(|item| {
            let mut out = Map::new();
            for path in paths {
                if let Some(v) = get(item, path) {
                    out.insert(path.output_name().to_owned(), v.clone());
                }
            }
            Value::Object(out)
        })
        .collect()
}

/// The value at `path` in an item in DynamoDB JSON.
fn get<'a>(item: &'a Value, path: &Path) -> Option<&'a Value> {
    let mut steps = path.0.iter();
    let mut current = match steps.next()? {
        Step::Name(n) => item.get(n)?,
        Step::Index(_) => return None,
    };
    for step in steps {
        current = match step {
            Step::Name(n) => current.get("M")?.get(n)?,
            Step::Index(i) => current.get("L")?.get(*i)?,
        };
    }
    Some(current)
}

/// The projection of a SELECT statement.
pub(crate) fn projection_of(statement: &Statement) -> Option<&[Path]> {
    match statement {
        Statement::Select { projection: Some(paths), .. } => Some(paths),
        _ => None,
    }
}

/// A per-statement error as BatchExecuteStatement reports it.
pub(crate) fn batch_error(e: &ApiError) -> Value {
    let code = match e.kind {
        ErrorKind::Validation | ErrorKind::Serialization => "ValidationError",
        ErrorKind::ResourceNotFound => "ResourceNotFound",
        ErrorKind::ConditionalCheckFailed => "ConditionalCheckFailed",
        ErrorKind::DuplicateItem => "DuplicateItem",
        ErrorKind::TransactionConflict => "TransactionConflict",
        ErrorKind::ProvisionedThroughputExceeded => "ProvisionedThroughputExceeded",
        ErrorKind::Throttling => "ThrottlingError",
        ErrorKind::LimitExceeded => "RequestLimitExceeded",
        _ => "InternalServerError",
    };
    let mut error = Map::new();
    error.insert("Code".into(), json!(code));
    error.insert("Message".into(), json!(e.message));
    if let Some(item) = e.extra.get("Item") {
        error.insert("Item".into(), item.clone());
    }
    Value::Object(error)
}

/// Adds one response's ConsumedCapacity into per-table totals (numbers summed, nested
/// Table / index entries merged), keeping the order tables were first seen in.
pub(crate) fn add_capacity(totals: &mut Vec<Value>, response: &Value) {
    let Some(consumed) = response.get("ConsumedCapacity") else { return };
    for c in consumed.as_array().cloned().unwrap_or_else(|| vec![consumed.clone()]) {
        let name = c.get("TableName").cloned();
        match totals.iter_mut().find(|t| t.get("TableName") == name.as_ref()) {
            Some(total) => merge_sum(total, &c),
            None => totals.push(c),
        }
    }
}

fn merge_sum(total: &mut Value, add: &Value) {
    let (Some(total), Some(add)) = (total.as_object_mut(), add.as_object()) else { return };
    for (k, v) in add {
        match (total.get_mut(k), v) {
            (Some(slot @ Value::Number(_)), Value::Number(b)) => {
                let sum = slot.as_f64().unwrap_or(0.0) + b.as_f64().unwrap_or(0.0);
                *slot = json!(sum);
            }
            (Some(existing @ Value::Object(_)), Value::Object(_)) => merge_sum(existing, v),
            (None, _) => {
                total.insert(k.clone(), v.clone());
            }
            _ => {}
        }
    }
}
