//! ExecuteTransaction: up to 100 statements run all-or-nothing, through TransactGetItems (all
//! SELECTs, each naming one item) or TransactWriteItems (all writes). A cancelled INSERT's
//! reason reads `DuplicateItem`, as DynamoDB reports it.

use serde_json::{json, Map, Value};

use super::statement::{self, project, projection_of, Parsed};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::partiql::{self, Statement};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    const PARAMETERIZED_STATEMENT: &[Field] =
        &[STATEMENT, PARAMETERS, RETURN_VALUES_ON_CONDITION_CHECK_FAILURE];
    &[
        field(
            "TransactStatements",
            List(&Struct("ParameterizedStatement", PARAMETERIZED_STATEMENT)),
            &[NotNull, MinLength(1), MaxLength(100)],
        ),
        field("ClientRequestToken", Str, &[MinLength(1), MaxLength(36)]),
        RETURN_CONSUMED_CAPACITY,
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let members = request.get("TransactStatements").and_then(Value::as_array).cloned().unwrap_or_default();
    let parsed = members
        .iter()
        .enumerate()
        .map(|(i, m)| statement::parse_as(m, |e| in_statement(i, e)))
        .collect::<ApiResult<Vec<Parsed>>>()?;
    let reads = parsed.iter().filter(|p| p.statement.is_read()).count();
    if reads > 0 && reads < parsed.len() {
        return Err(ApiError::validation(
            "ExecuteTransaction API does not support both read and write operations in the same request.",
        ));
    }
    let (op, transact) =
        if reads > 0 { read_request(engine, &parsed)? } else { write_request(engine, &parsed, &members)? };
    let mut inner = Map::new();
    inner.insert("TransactItems".into(), Value::Array(transact));
    for name in ["ReturnConsumedCapacity", "ClientRequestToken"] {
        if let Some(v) = request.get(name).filter(|v| !v.is_null()) {
            if op == "TransactWriteItems" || name == "ReturnConsumedCapacity" {
                inner.insert(name.into(), v.clone());
            }
        }
    }
    let response =
        super::dispatch(engine, op, &Value::Object(inner)).map_err(|e| duplicate_reasons(e, &parsed))?;
    let mut body = Map::new();
    // Reads answer one entry per statement; writes answer an empty list.
    body.insert("Responses".into(), json!([]));
    if op == "TransactGetItems" {
        let responses = response.get("Responses").and_then(Value::as_array).cloned().unwrap_or_default();
        let shaped = responses
            .iter()
            .zip(&parsed)
            .map(|(r, p)| {
                let item: Vec<Value> = r.get("Item").cloned().into_iter().collect();
                match project(&item, projection_of(&p.statement)).into_iter().next() {
                    Some(item) => json!({ "Item": item }),
                    None => json!({}),
                }
            })
            .collect();
        body.insert("Responses".into(), Value::Array(shaped));
    }
    if let Some(c) = response.get("ConsumedCapacity") {
        body.insert("ConsumedCapacity".into(), c.clone());
    }
    Ok(Value::Object(body))
}

/// TransactGetItems members: each SELECT must name one item by its whole key.
fn read_request(engine: &Engine, parsed: &[Parsed]) -> ApiResult<(&'static str, Vec<Value>)> {
    let mut items = Vec::new();
    for (i, p) in parsed.iter().enumerate() {
        if let Statement::Select { from, .. } = &p.statement {
            if from.index.is_some() {
                return Err(ApiError::validation(format!(
                    "Validation failed in TransactStatements[{i}]: Reads on indices are not supported within transactions."
                )));
            }
        }
        let keys = statement::key_names(engine, &p.statement)?;
        match partiql::select_key(&p.statement, &keys, &p.params)? {
            Some((key, true)) => {
                items.push(json!({ "Get": { "TableName": p.statement.table(), "Key": key } }))
            }
            _ => {
                return Err(ApiError::validation(format!(
                    "Validation failed in TransactStatements[{i}]: Select statements within ExecuteTransaction must specify the primary key in the where clause."
                )))
            }
        }
    }
    Ok(("TransactGetItems", items))
}

/// TransactWriteItems members: the Put / Update / Delete each write statement plans to.
fn write_request(
    engine: &Engine,
    parsed: &[Parsed],
    members: &[Value],
) -> ApiResult<(&'static str, Vec<Value>)> {
    let mut items = Vec::new();
    for (i, (p, member)) in parsed.iter().zip(members).enumerate() {
        let returning = match &p.statement {
            Statement::Update { returning, .. } | Statement::Delete { returning, .. } => returning.is_some(),
            _ => false,
        };
        if returning {
            return Err(ApiError::validation(format!(
                "Validation failed in TransactStatements[{i}]: RETURNING clause is not supported in ExecuteTransaction."
            )));
        }
        let keys = statement::key_names(engine, &p.statement)?;
        let plan = match &p.statement {
            Statement::Exists { .. } => partiql::plan_exists(&p.statement, &keys, &p.params)?.ok_or_else(|| {
                ApiError::validation(format!(
                    "Validation failed in TransactStatements[{i}]: EXISTS() must contain a single item read with additional condition"
                ))
            })?,
            _ => partiql::plan_write(&p.statement, &keys, &p.params)?,
        };
        let action = match plan.op {
            "PutItem" => "Put",
            "UpdateItem" => "Update",
            "ConditionCheck" => "ConditionCheck",
            _ => "Delete",
        };
        let mut body = plan.request;
        if let (Some(obj), Some(v)) =
            (body.as_object_mut(), member.get("ReturnValuesOnConditionCheckFailure"))
        {
            obj.insert("ReturnValuesOnConditionCheckFailure".into(), v.clone());
        }
        items.push(json!({ action: body }));
    }
    Ok(("TransactWriteItems", items))
}

/// A statement's own error, as ExecuteTransaction names the statement it is in.
fn in_statement(i: usize, mut e: ApiError) -> ApiError {
    if e.kind == ErrorKind::Validation {
        e.message = format!("Validation failed in TransactStatements[{i}]: {}", e.message);
    }
    e
}

/// An INSERT cancelled by its `attribute_not_exists` condition reads `DuplicateItem`.
fn duplicate_reasons(mut e: ApiError, parsed: &[Parsed]) -> ApiError {
    if e.kind != ErrorKind::TransactionCanceled {
        return e;
    }
    let Some(Value::Array(reasons)) = e.extra.get_mut("CancellationReasons") else { return e };
    for (reason, p) in reasons.iter_mut().zip(parsed) {
        let failed = reason.get("Code").and_then(Value::as_str) == Some("ConditionalCheckFailed");
        if failed && matches!(p.statement, Statement::Insert { .. }) {
            *reason = json!({ "Code": "DuplicateItem", "Message": "Duplicate primary key exists in table" });
        }
    }
    let codes: Vec<String> =
        reasons.iter().map(|r| r.get("Code").and_then(Value::as_str).unwrap_or("None").to_owned()).collect();
    e.message = format!(
        "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]",
        codes.join(", ")
    );
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Engine {
        let mut e = Engine::new();
        e.handle_json(
            "CreateTable",
            json!({"TableName": "Hash", "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}),
        )
        .unwrap();
        e
    }

    fn parsed(statements: &[&str]) -> (Vec<Parsed>, Vec<Value>) {
        let members: Vec<Value> = statements.iter().map(|s| json!({ "Statement": s })).collect();
        (members.iter().map(|m| statement::parse(m).unwrap()).collect(), members)
    }

    #[test]
    fn writes_become_transact_write_items() {
        let e = engine();
        let (p, members) = parsed(&[
            "INSERT INTO Hash VALUE {'pk': 'a'}",
            "UPDATE Hash SET v = 1 WHERE pk = 'b'",
            "DELETE FROM Hash WHERE pk = 'c'",
        ]);
        let (op, items) = write_request(&e, &p, &members).unwrap();
        assert_eq!(op, "TransactWriteItems");
        assert_eq!(
            Value::Array(items),
            json!([
                {"Put": {"TableName": "Hash", "Item": {"pk": {"S": "a"}},
                    "ConditionExpression": "attribute_not_exists(#n0)", "ExpressionAttributeNames": {"#n0": "pk"}}},
                {"Update": {"TableName": "Hash", "Key": {"pk": {"S": "b"}}, "UpdateExpression": "SET #n0 = :v0",
                    "ConditionExpression": "attribute_exists(#n1)",
                    "ExpressionAttributeNames": {"#n0": "v", "#n1": "pk"},
                    "ExpressionAttributeValues": {":v0": {"N": "1"}}}},
                {"Delete": {"TableName": "Hash", "Key": {"pk": {"S": "c"}}}}
            ])
        );
        let (p, members) = parsed(&["DELETE FROM Hash WHERE pk = 'c' RETURNING ALL OLD *"]);
        assert_eq!(
            write_request(&e, &p, &members).unwrap_err().message,
            "Validation failed in TransactStatements[0]: RETURNING clause is not supported in ExecuteTransaction."
        );
    }

    #[test]
    fn reads_become_transact_get_items() {
        let e = engine();
        let (p, _) = parsed(&["SELECT * FROM Hash WHERE pk = 'a'"]);
        let (op, items) = read_request(&e, &p).unwrap();
        assert_eq!(
            (op, Value::Array(items)),
            ("TransactGetItems", json!([{"Get": {"TableName": "Hash", "Key": {"pk": {"S": "a"}}}}]))
        );
        let (p, _) = parsed(&["SELECT * FROM Hash WHERE v = 'a'"]);
        assert_eq!(
            read_request(&e, &p).unwrap_err().message,
            "Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction must specify the primary key in the where clause."
        );
    }

    #[test]
    fn cancelled_inserts_read_duplicate_item() {
        let (p, _) = parsed(&["INSERT INTO Hash VALUE {'pk': 'a'}", "UPDATE Hash SET v = 1 WHERE pk = 'b'"]);
        let e = ApiError::new(ErrorKind::TransactionCanceled, "x").with(
            "CancellationReasons",
            json!([{"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}, {"Code": "None"}]),
        );
        let e = duplicate_reasons(e, &p);
        assert_eq!(
            e.message,
            "Transaction cancelled, please refer cancellation reasons for specific reasons [DuplicateItem, None]"
        );
        assert_eq!(
            e.extra["CancellationReasons"][0],
            json!({"Code": "DuplicateItem", "Message": "Duplicate primary key exists in table"})
        );
    }

    #[test]
    fn mixed_and_empty_transactions_are_refused() {
        let mut e = engine();
        let mixed = json!({"TransactStatements": [
            {"Statement": "SELECT * FROM Hash WHERE pk = 'a'"}, {"Statement": "DELETE FROM Hash WHERE pk = 'a'"}]});
        assert_eq!(
            e.handle_json("ExecuteTransaction", mixed).unwrap_err().message,
            "ExecuteTransaction API does not support both read and write operations in the same request."
        );
        let empty = e.handle_json("ExecuteTransaction", json!({"TransactStatements": []})).unwrap_err();
        assert_eq!(
            empty.message,
            "1 validation error detected: Value '[]' at 'transactStatements' failed to satisfy constraint: Member must have length greater than or equal to 1"
        );
    }
}
