//! A table ARN wherever DynamoDB takes one for a table name: the `TableName` of every operation
//! whose model says "You can also provide the Amazon Resource Name (ARN) of the table", the
//! keys of a batch's `RequestItems`, and the `TableName` of each transaction action.
//!
//! The operations themselves only know names. Before one runs, [`resolve`] rewrites each ARN
//! of this engine's region and account to its table's name; afterwards [`Resolved::echo`] puts
//! the ARN back where DynamoDB echoes what the caller wrote: `ConsumedCapacity.TableName`
//! ("If you had specified the Amazon Resource Name (ARN) of a table in the input, you'll see
//! the table ARN in the response"), and the table keys of `Responses`, `UnprocessedKeys`,
//! `UnprocessedItems` and `ItemCollectionMetrics`. Error messages name the table, as
//! DynamoDB's do for an ARN it resolved.
//!
//! A value that is not a well-formed table ARN is left as it is, so the operation's own check
//! refuses it as it refuses any malformed name. A well-formed ARN of another account is
//! `AccessDeniedException` in IAM's wording for a cross-account request no resource-based
//! policy allows (the playground has one account, so none does); one of another region is the
//! `ValidationException` TagResource gives an ARN it cannot use (DynamoDB's text for this case
//! is not recorded). A journal replays on any region and account: replaying, an ARN resolves
//! by its name alone.

use serde_json::{Map, Value};

use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};

/// Operations whose top-level `TableName` may be a table ARN [service model, 2026].
const TABLE_NAME_OR_ARN: &[&str] = &[
    "CreateBackup",
    "CreateTable",
    "DeleteItem",
    "DeleteTable",
    "DescribeContinuousBackups",
    "DescribeContributorInsights",
    "DescribeTable",
    "DescribeTimeToLive",
    "GetItem",
    "ListBackups",
    "ListContributorInsights",
    "PutItem",
    "Query",
    "Scan",
    "SearchVectors",
    "UpdateContinuousBackups",
    "UpdateContributorInsights",
    "UpdateItem",
    "UpdateTable",
    "UpdateTimeToLive",
];

/// A request with its table ARNs replaced by names, and what to put back in the answer.
pub(crate) struct Resolved {
    pub request: Value,
    /// (name, ARN as the caller wrote it), one per table named by an ARN.
    echo: Vec<(String, String)>,
}

/// The ARN-free form of `request` for `operation`, or `None` when it names no table by ARN
/// (the common case, which costs a prefix check per table name).
pub(crate) fn resolve(engine: &Engine, operation: &str, request: &Value) -> ApiResult<Option<Resolved>> {
    let mut places: Vec<&str> = Vec::new();
    match operation {
        "BatchGetItem" | "BatchWriteItem" => {
            if let Some(items) = request.get("RequestItems").and_then(Value::as_object) {
                places.extend(items.keys().map(String::as_str));
            }
        }
        "TransactGetItems" | "TransactWriteItems" => places.extend(transact_names(request)),
        // One table named: no list is built for a plain name (nearly every request).
        _ if TABLE_NAME_OR_ARN.contains(&operation) => match request.get("TableName").and_then(Value::as_str)
        {
            Some(given) if given.starts_with("arn:") => places.push(given),
            _ => return Ok(None),
        },
        _ => {}
    }
    if !places.iter().any(|p| p.starts_with("arn:")) {
        return Ok(None);
    }
    let mut echo: Vec<(String, String)> = Vec::new();
    for given in places {
        if let Some(name) = table_of(engine, operation, given)? {
            if !echo.iter().any(|(_, arn)| arn == given) {
                echo.push((name.to_owned(), given.to_owned()));
            }
        }
    }
    if echo.is_empty() {
        return Ok(None);
    }
    let mut request = request.clone();
    let name_of = |given: &str| echo.iter().find(|(_, arn)| arn == given).map(|(name, _)| name.clone());
    match operation {
        "BatchGetItem" | "BatchWriteItem" => {
            let Some(items) = request.get_mut("RequestItems").and_then(Value::as_object_mut) else {
                return Ok(None);
            };
            let mut renamed = Map::new();
            for (key, value) in std::mem::take(items) {
                let name = name_of(&key).unwrap_or(key);
                if renamed.contains_key(&name) {
                    // Not recorded: DynamoDB's wording for one table named twice.
                    return Err(ApiError::invalid_parameter(format!(
                        "Table {name} is named more than once in RequestItems, by its name and by its ARN"
                    )));
                }
                renamed.insert(name, value);
            }
            *items = renamed;
        }
        "TransactGetItems" | "TransactWriteItems" => {
            for action in transact_actions_mut(&mut request) {
                if let Some(name) = action.get("TableName").and_then(Value::as_str).and_then(name_of) {
                    action["TableName"] = Value::String(name);
                }
            }
        }
        _ => {
            if let Some(name) = request.get("TableName").and_then(Value::as_str).and_then(name_of) {
                request["TableName"] = Value::String(name);
            }
        }
    }
    Ok(Some(Resolved { request, echo }))
}

impl Resolved {
    /// The operation's answer with the ARNs back where DynamoDB echoes the caller's words.
    pub(crate) fn echo(&self, mut response: Value) -> Value {
        let arn_of = |name: &str| self.echo.iter().find(|(n, _)| n == name).map(|(_, arn)| arn.clone());
        let consumed = response.get_mut("ConsumedCapacity");
        let entries: Vec<&mut Value> = match consumed {
            Some(Value::Array(list)) => list.iter_mut().collect(),
            Some(one @ Value::Object(_)) => vec![one],
            _ => Vec::new(),
        };
        for entry in entries {
            if let Some(arn) = entry.get("TableName").and_then(Value::as_str).and_then(arn_of) {
                entry["TableName"] = Value::String(arn);
            }
        }
        for member in ["Responses", "UnprocessedKeys", "UnprocessedItems", "ItemCollectionMetrics"] {
            let Some(map) = response.get_mut(member).and_then(Value::as_object_mut) else { continue };
            if !map.keys().any(|k| arn_of(k).is_some()) {
                continue;
            }
            // Not `collect()`: a Map built from an iterator sorts its entries with a sort of
            // its own in the browser bundle; `object_from` inserts them one by one.
            *map = crate::types::object_from(
                std::mem::take(map).into_iter().map(|(k, v)| (arn_of(&k).unwrap_or(k), v)),
            );
        }
        response
    }
}

/// The table a well-formed table ARN names, checked against the engine's region and account;
/// `None` for anything else (left for the operation to refuse as a name).
fn table_of<'a>(engine: &Engine, operation: &str, given: &'a str) -> ApiResult<Option<&'a str>> {
    let parts: Vec<&str> = given.splitn(6, ':').collect();
    let [_, partition, "dynamodb", region, account, path] = parts.as_slice() else { return Ok(None) };
    let Some(name) = path.strip_prefix("table/") else { return Ok(None) };
    if partition.is_empty() || !crate::validate::is_name(name) || !(3..=255).contains(&name.len()) {
        return Ok(None);
    }
    if engine.replaying {
        return Ok(Some(name));
    }
    if *account != engine.config.account_id {
        return Err(ApiError::new(
            ErrorKind::AccessDenied,
            format!(
                "User: arn:aws:iam::{}:root is not authorized to perform: dynamodb:{operation} on resource: {given} because no resource-based policy allows the dynamodb:{operation} action",
                engine.config.account_id
            ),
        ));
    }
    if *region != engine.config.region {
        return Err(ApiError::validation(format!(
            "Invalid TableArn: Invalid ResourceArn provided as input {given}"
        )));
    }
    Ok(Some(name))
}

/// The transaction actions of a TransactGetItems / TransactWriteItems request.
fn transact_actions(request: &Value) -> impl Iterator<Item = &Value> {
    request
        .get("TransactItems")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
}

fn transact_names(request: &Value) -> impl Iterator<Item = &str> {
    transact_actions(request).filter_map(|action| action.get("TableName").and_then(Value::as_str))
}

fn transact_actions_mut(request: &mut Value) -> impl Iterator<Item = &mut Value> {
    request
        .get_mut("TransactItems")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut())
        .filter(|action| action.is_object())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::engine::Engine;

    fn engine_with_table() -> Engine {
        let mut engine = Engine::new();
        engine
            .handle_json(
                "CreateTable",
                json!({"TableName": "Music", "BillingMode": "PAY_PER_REQUEST",
                       "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                       "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}),
            )
            .unwrap();
        engine
    }

    /// A journal written under one region and account replays under another: replaying, an
    /// ARN resolves by the table name it holds.
    #[test]
    fn a_replay_resolves_arns_of_any_region_and_account() {
        let mut engine = engine_with_table();
        let put = json!({"TableName": "arn:aws:dynamodb:eu-west-1:111122223333:table/Music",
                         "Item": {"pk": {"S": "a"}}});
        assert!(engine.handle_json("PutItem", put.clone()).is_err());
        engine.replaying = true;
        engine.handle_json("PutItem", put).unwrap();
        engine.replaying = false;
        let got =
            engine.handle_json("GetItem", json!({"TableName": "Music", "Key": {"pk": {"S": "a"}}})).unwrap();
        assert_eq!(got["Item"]["pk"]["S"], "a");
    }

    /// Only the operations whose model takes an ARN resolve one.
    #[test]
    fn other_operations_leave_arns_alone() {
        let mut engine = engine_with_table();
        let arn = "arn:aws:dynamodb:us-east-1:000000000000:table/Music";
        let err = engine.handle_json("ListStreams", json!({"TableName": arn})).unwrap_err();
        assert!(err.message.contains("regular expression pattern"), "{err}");
        assert!(engine.handle_json("DescribeTable", json!({"TableName": arn})).is_ok());
    }
}
