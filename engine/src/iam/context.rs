//! What a request asks to do, as IAM authorizes it: one [`Check`] per action and resource
//! (a batch has one per table, a transaction one per action), each with the values of the
//! DynamoDB condition keys the request sets:
//!
//! - `dynamodb:LeadingKeys`: the partition key values the request touches (a Query's key
//!   condition value; every key of a batch for its table). A Scan sets none.
//! - `dynamodb:Attributes`: the top-level attribute names it reads or writes (the key's, an
//!   item's, a projection's, an update's, AttributesToGet).
//! - `dynamodb:Select`: a Query's or Scan's `Select`, or the one DynamoDB takes without it
//!   (SPECIFIC_ATTRIBUTES with a projection, else ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES
//!   on an index); GetItem and BatchGetItem the same way.
//! - `dynamodb:ReturnValues`, `dynamodb:ReturnConsumedCapacity`: as the request sets them.
//!
//! The request is read leniently: what cannot be read sets no value, and the operation's own
//! validation refuses it once it is authorized.

use serde_json::{Map, Value};

use super::evaluate::Check;
use crate::engine::Engine;
use crate::expr::{self, ExpressionAttributes};
use crate::ops::request;

/// The checks `operation` with `request` needs; empty for an operation IAM does not guard here.
pub(crate) fn checks(engine: &Engine, operation: &str, request: &Value) -> Vec<Check> {
    let table_arn = |name: &str| {
        format!("arn:aws:dynamodb:{}:{}:table/{name}", engine.config.region, engine.config.account_id)
    };
    let action = |name: &str| format!("dynamodb:{name}");
    let table = request::string(request, "TableName").unwrap_or_default();
    match operation {
        "ListTables"
        | "DescribeLimits"
        | "DescribeEndpoints"
        | "ListStreams"
        | "ListGlobalTables"
        | "ListContributorInsights" => {
            vec![Check { action: action(operation), resource: "*".into(), keys: Vec::new() }]
        }
        "TagResource"
        | "UntagResource"
        | "ListTagsOfResource"
        | "PutResourcePolicy"
        | "GetResourcePolicy"
        | "DeleteResourcePolicy" => {
            let arn = request::string(request, "ResourceArn").unwrap_or_default();
            vec![Check { action: action(operation), resource: arn.to_owned(), keys: Vec::new() }]
        }
        "DescribeStream" | "GetShardIterator" => {
            let arn = request::string(request, "StreamArn").unwrap_or_default();
            vec![Check { action: action(operation), resource: arn.to_owned(), keys: Vec::new() }]
        }
        "GetRecords" => {
            let iterator = request::string(request, "ShardIterator").unwrap_or_default();
            let arn = iterator.split('|').next().unwrap_or_default();
            vec![Check { action: action(operation), resource: arn.to_owned(), keys: Vec::new() }]
        }
        "GetItem" | "PutItem" | "UpdateItem" | "DeleteItem" | "Query" | "Scan" => {
            vec![item_check(engine, &action(operation), &table_arn(table), table, request, operation)]
        }
        "BatchGetItem" | "BatchWriteItem" => batch_checks(engine, operation, request, &table_arn),
        "TransactGetItems" | "TransactWriteItems" => transact_checks(engine, request, &table_arn),
        "ExecuteStatement" => partiql_check(request, &table_arn).into_iter().collect(),
        "BatchExecuteStatement" | "ExecuteTransaction" => {
            let list = if operation == "ExecuteTransaction" { "TransactStatements" } else { "Statements" };
            let statements =
                request.get(list).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            statements.iter().filter_map(|s| partiql_check(s, &table_arn)).collect()
        }
        // Every other operation of DynamoDB names one table (or index) by TableName.
        _ => {
            let mut resource = table_arn(table);
            if let Some(index) = request::string(request, "IndexName") {
                resource = format!("{resource}/index/{index}");
            }
            vec![Check { action: action(operation), resource, keys: Vec::new() }]
        }
    }
}

/// A single-item request, a Query or a Scan on `table` (or its index).
fn item_check(
    engine: &Engine,
    action: &str,
    arn: &str,
    table: &str,
    request: &Value,
    operation: &str,
) -> Check {
    let index = request::string(request, "IndexName");
    let resource = match index {
        Some(index) => format!("{arn}/index/{index}"),
        None => arn.to_owned(),
    };
    let mut attributes = Vec::new();
    let mut leading = Vec::new();
    let partition = partition_key(engine, table, index);
    for member in ["Key", "Item"] {
        if let Some(Value::Object(item)) = request.get(member) {
            attributes.extend(item.keys().cloned());
            leading.extend(partition.as_deref().and_then(|pk| item.get(pk)).and_then(key_text));
        }
    }
    let mut attrs = ExpressionAttributes::from_request(request).unwrap_or_default();
    if let Some(text) = request::string(request, "KeyConditionExpression") {
        if let Ok(condition) = expr::parse_key_condition(text, &mut attrs) {
            for part in &condition.parts {
                attributes.push(part.name.clone());
                if Some(&part.name) == partition.as_ref() && part.op == expr::KeyOp::Eq {
                    leading.extend(part.values.iter().filter_map(|v| key_text(&v.to_json())));
                }
            }
        }
    }
    if let Some(Value::Object(conditions)) = request.get("KeyConditions") {
        attributes.extend(conditions.keys().cloned());
        let values =
            partition.as_deref().and_then(|pk| conditions.get(pk)).and_then(|c| c.get("AttributeValueList"));
        leading.extend(values.and_then(Value::as_array).into_iter().flatten().filter_map(key_text));
    }
    let projected = read_attributes(request, &mut attrs, &mut attributes);
    if let Some(text) = request::string(request, "UpdateExpression") {
        if let Ok(update) = expr::parse_update(text, &mut attrs) {
            attributes.extend(update.actions.iter().map(|a| a.path().head().to_owned()));
        }
    }
    if let Some(Value::Object(updates)) = request.get("AttributeUpdates") {
        attributes.extend(updates.keys().cloned());
    }
    let mut keys = Vec::new();
    if partition.is_some() && !leading.is_empty() {
        keys.push(("dynamodb:LeadingKeys", dedup(leading)));
    }
    if !attributes.is_empty() {
        keys.push(("dynamodb:Attributes", dedup(attributes)));
    }
    if matches!(operation, "GetItem" | "Query" | "Scan") {
        keys.push(("dynamodb:Select", vec![select(request, projected, index.is_some())]));
    }
    scalar_keys(request, &mut keys);
    Check { action: action.to_owned(), resource, keys }
}

/// The names a read's ProjectionExpression or AttributesToGet names; whether it has one.
fn read_attributes(request: &Value, attrs: &mut ExpressionAttributes, out: &mut Vec<String>) -> bool {
    let mut projected = false;
    if let Some(text) = request::string(request, "ProjectionExpression") {
        projected = true;
        if let Ok(projection) = expr::parse_projection(text, attrs) {
            out.extend(projection.paths.iter().map(|p| p.head().to_owned()));
        }
    }
    if let Some(Value::Array(names)) = request.get("AttributesToGet") {
        projected = true;
        out.extend(names.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    projected
}

/// `Select` as given, or the one DynamoDB reads the request with.
fn select(request: &Value, projected: bool, index: bool) -> String {
    match request::string(request, "Select") {
        Some(select) => select.to_owned(),
        None if projected => "SPECIFIC_ATTRIBUTES".into(),
        None if index => "ALL_PROJECTED_ATTRIBUTES".into(),
        None => "ALL_ATTRIBUTES".into(),
    }
}

fn scalar_keys(request: &Value, keys: &mut Vec<(&'static str, Vec<String>)>) {
    for (member, key) in [
        ("ReturnValues", "dynamodb:ReturnValues"),
        ("ReturnConsumedCapacity", "dynamodb:ReturnConsumedCapacity"),
    ] {
        if let Some(value) = request::string(request, member) {
            keys.push((key, vec![value.to_owned()]));
        }
    }
}

/// The partition key attribute of `table` (or of its `index`), if the table exists and it
/// is a single attribute.
fn partition_key(engine: &Engine, table: &str, index: Option<&str>) -> Option<String> {
    let table = engine.tables.get(table)?;
    let schema = match index {
        Some(index) => &table.index(index)?.key_schema,
        None => &table.key_schema,
    };
    (!schema.is_multi_attribute()).then(|| schema.partition_key.name.clone())
}

/// A key value (DynamoDB JSON) as condition keys carry it: the string, the number's text or
/// the binary's base64.
fn key_text(value: &Value) -> Option<String> {
    let Value::Object(typed) = value else { return None };
    let (_, v) = typed.iter().next()?;
    v.as_str().map(str::to_owned)
}

fn dedup(mut values: Vec<String>) -> Vec<String> {
    let mut seen = Vec::with_capacity(values.len());
    values.retain(|v| {
        let new = !seen.contains(v);
        if new {
            seen.push(v.clone());
        }
        new
    });
    values
}

/// One check per table of a batch: every key's partition value and every attribute named
/// for that table.
fn batch_checks(
    engine: &Engine,
    operation: &str,
    request: &Value,
    arn: &dyn Fn(&str) -> String,
) -> Vec<Check> {
    let Some(Value::Object(tables)) = request.get("RequestItems") else { return Vec::new() };
    let mut checks = Vec::new();
    for (table, entry) in tables {
        let partition = partition_key(engine, table, None);
        let (mut leading, mut attributes) = (Vec::new(), Vec::new());
        let mut items: Vec<&Map<String, Value>> = Vec::new();
        let mut projected = false;
        match entry {
            // BatchGetItem: {"Keys": [...], "ProjectionExpression": …}.
            Value::Object(_) => {
                let keys = entry.get("Keys").and_then(Value::as_array).into_iter().flatten();
                items.extend(keys.filter_map(Value::as_object));
                let mut attrs = ExpressionAttributes::from_request(entry).unwrap_or_default();
                projected = read_attributes(entry, &mut attrs, &mut attributes);
            }
            // BatchWriteItem: [{"PutRequest": {"Item": …}} | {"DeleteRequest": {"Key": …}}].
            Value::Array(writes) => {
                for write in writes {
                    let item = write
                        .get("PutRequest")
                        .and_then(|p| p.get("Item"))
                        .or_else(|| write.get("DeleteRequest").and_then(|d| d.get("Key")));
                    items.extend(item.and_then(Value::as_object));
                }
            }
            _ => {}
        }
        for item in items {
            attributes.extend(item.keys().cloned());
            leading.extend(partition.as_deref().and_then(|pk| item.get(pk)).and_then(key_text));
        }
        let mut keys = Vec::new();
        if !leading.is_empty() {
            keys.push(("dynamodb:LeadingKeys", dedup(leading)));
        }
        if !attributes.is_empty() {
            keys.push(("dynamodb:Attributes", dedup(attributes)));
        }
        if operation == "BatchGetItem" {
            keys.push(("dynamodb:Select", vec![select(entry, projected, false)]));
        }
        scalar_keys(request, &mut keys);
        checks.push(Check { action: format!("dynamodb:{operation}"), resource: arn(table), keys });
    }
    checks
}

/// One check per action of a transaction, as the single-item operation it is
/// (ConditionCheck is `dynamodb:ConditionCheckItem`).
fn transact_checks(engine: &Engine, request: &Value, arn: &dyn Fn(&str) -> String) -> Vec<Check> {
    let items = request.get("TransactItems").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let mut checks = Vec::new();
    for entry in items {
        let Some((kind, action)) = entry.as_object().and_then(|m| m.iter().next()) else { continue };
        let operation = match kind.as_str() {
            "Get" => "GetItem",
            "Put" => "PutItem",
            "Update" => "UpdateItem",
            "Delete" => "DeleteItem",
            "ConditionCheck" => "ConditionCheckItem",
            _ => continue,
        };
        let table = request::string(action, "TableName").unwrap_or_default();
        let mut check =
            item_check(engine, &format!("dynamodb:{operation}"), &arn(table), table, action, operation);
        scalar_keys(request, &mut check.keys);
        checks.push(check);
    }
    checks
}

/// A PartiQL statement's action (`dynamodb:PartiQLSelect`, …) on the table it names. Its
/// condition keys are not read (DynamoDB's fine-grained keys are the API operations').
fn partiql_check(statement: &Value, arn: &dyn Fn(&str) -> String) -> Option<Check> {
    let text = request::string(statement, "Statement")?;
    let parsed = crate::partiql::parse_statement(text)?;
    let verb = match &parsed {
        crate::partiql::Statement::Select { .. } => "PartiQLSelect",
        crate::partiql::Statement::Insert { .. } => "PartiQLInsert",
        crate::partiql::Statement::Update { .. } => "PartiQLUpdate",
        crate::partiql::Statement::Delete { .. } | crate::partiql::Statement::Exists { .. } => {
            "PartiQLDelete"
        }
    };
    let verb =
        if matches!(parsed, crate::partiql::Statement::Exists { .. }) { "PartiQLSelect" } else { verb };
    Some(Check { action: format!("dynamodb:{verb}"), resource: arn(parsed.table()), keys: Vec::new() })
}
