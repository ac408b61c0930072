//! BatchExecuteStatement: up to 25 statements, all reads (each naming one item by its whole
//! key) or all writes. Each runs on its own; a failing one gets an `Error` in its slot of
//! `Responses` and the rest still run.

use serde_json::{json, Map, Value};

use super::statement::{self, add_capacity, batch_error, project, projection_of, Parsed};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::partiql::{self, ReadOptions, Statement};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    const BATCH_STATEMENT_REQUEST: &[Field] = &[
        STATEMENT,
        PARAMETERS,
        field("ConsistentRead", Bool, &[]),
        RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
    ];
    &[
        field(
            "Statements",
            List(&Struct("BatchStatementRequest", BATCH_STATEMENT_REQUEST)),
            &[NotNull, MinLength(1), MaxLength(25)],
        ),
        RETURN_CONSUMED_CAPACITY,
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let members = request.get("Statements").and_then(Value::as_array).cloned().unwrap_or_default();
    let parsed: Vec<ApiResult<Parsed>> = members.iter().map(statement::parse).collect();
    let reads = parsed.iter().flatten().filter(|p| p.statement.is_read()).count();
    let writes = parsed.iter().flatten().count() - reads;
    if reads > 0 && writes > 0 {
        return Err(ApiError::validation(
            "Read and write requests together in the same batch is not supported.",
        ));
    }
    let rc = request.get("ReturnConsumedCapacity");
    let mut totals = Vec::new();
    let mut responses = Vec::new();
    for (member, parsed) in members.iter().zip(parsed) {
        let mut slot = Map::new();
        let (table, outcome) = match parsed {
            Ok(p) => (Some(p.statement.table().to_owned()), run_one(engine, &p, member, rc)),
            Err(e) => (None, Err(e)),
        };
        match outcome {
            Ok((item, response)) => {
                add_capacity(&mut totals, &response);
                if let Some(table) = table {
                    slot.insert("TableName".into(), json!(table));
                }
                if let Some(item) = item {
                    slot.insert("Item".into(), item);
                }
            }
            Err(e) => {
                // DynamoDB names the table on execution errors, not on validation ones.
                if let Some(table) = table.filter(|_| e.kind != ErrorKind::Validation) {
                    slot.insert("TableName".into(), json!(table));
                }
                slot.insert("Error".into(), batch_error(&e));
            }
        }
        responses.push(Value::Object(slot));
    }
    let mut body = Map::new();
    body.insert("Responses".into(), Value::Array(responses));
    if rc.and_then(Value::as_str).is_some_and(|m| m != "NONE") {
        body.insert("ConsumedCapacity".into(), Value::Array(totals));
    }
    Ok(Value::Object(body))
}

/// Runs one statement; returns the item a SELECT found and the engine's response.
fn run_one(
    engine: &mut Engine,
    parsed: &Parsed,
    member: &Value,
    rc: Option<&Value>,
) -> ApiResult<(Option<Value>, Value)> {
    if !parsed.statement.is_read() {
        return statement::run_write(engine, parsed, member, rc).map(|r| (None, r));
    }
    let keys = statement::key_names(engine, &parsed.statement)?;
    // A batched SELECT reads one item of the table by its whole key, and nothing else.
    let reads_one_item = match &parsed.statement {
        Statement::Select { from, .. } if from.index.is_none() => {
            matches!(partiql::select_key(&parsed.statement, &keys, &parsed.params)?, Some((_, true)))
        }
        _ => false,
    };
    if !reads_one_item {
        return Err(ApiError::validation(
            "Select statements within BatchExecuteStatement must specify the primary key in the where clause.",
        ));
    }
    let opts = ReadOptions {
        consistent: member.get("ConsistentRead").and_then(Value::as_bool).unwrap_or(false),
        limit: None,
        return_consumed: rc.and_then(Value::as_str).map(str::to_owned),
        project: false,
    };
    let plan = partiql::plan_select(&parsed.statement, &keys, &parsed.params, &opts)?;
    let response = statement::run(engine, plan, &[])?;
    let items = response.get("Items").and_then(Value::as_array).cloned().unwrap_or_default();
    let item = project(&items, projection_of(&parsed.statement)).into_iter().next();
    Ok((item, response))
}
