//! ExecuteStatement: one PartiQL statement. A SELECT runs as a Query or Scan page (Limit,
//! ConsistentRead, NextToken); a write runs as PutItem / UpdateItem / DeleteItem.

use serde_json::{json, Map, Value};

use super::request;
use super::statement::{self, project, projection_of};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::partiql::{self, ReadOptions};
use crate::types::base64;
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        STATEMENT,
        PARAMETERS,
        field("ConsistentRead", Bool, &[]),
        field("NextToken", Str, &[MinLength(1), MaxLength(32768)]),
        RETURN_CONSUMED_CAPACITY,
        field("Limit", Integer, &[Min(1)]),
        RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let parsed = statement::parse(request)?;
    let rc = request.get("ReturnConsumedCapacity");
    if !parsed.statement.is_read() {
        let response = statement::run_write(engine, &parsed, request, rc)?;
        let mut body = Map::new();
        let items: Vec<Value> = response.get("Attributes").cloned().into_iter().collect();
        body.insert("Items".into(), Value::Array(items));
        if let Some(c) = response.get("ConsumedCapacity") {
            body.insert("ConsumedCapacity".into(), c.clone());
        }
        return Ok(Value::Object(body));
    }

    let keys = statement::key_names(engine, &parsed.statement)?;
    let consistent = request::boolean(request, "ConsistentRead");
    let local_index = statement::check_index_read(engine, &parsed.statement, consistent)?;
    let fingerprint = fingerprint(request);
    let start_key = match request::string(request, "NextToken") {
        Some(token) => Some(decode_token(token, fingerprint)?),
        None => None,
    };
    let opts = ReadOptions {
        consistent,
        limit: request::integer(request, "Limit"),
        return_consumed: rc.and_then(Value::as_str).map(str::to_owned),
        project: local_index,
    };
    let mut plan = partiql::plan_select(&parsed.statement, &keys, &parsed.params, &opts)?;
    if let (Some(start), Some(obj)) = (start_key, plan.request.as_object_mut()) {
        obj.insert("ExclusiveStartKey".into(), start);
    }
    let response = statement::run(engine, plan, &[])?;
    let items = response.get("Items").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut body = Map::new();
    body.insert("Items".into(), Value::Array(project(&items, projection_of(&parsed.statement))));
    if let Some(last) = response.get("LastEvaluatedKey") {
        body.insert("NextToken".into(), json!(encode_token(last, fingerprint)));
    }
    if let Some(c) = response.get("ConsumedCapacity") {
        body.insert("ConsumedCapacity".into(), c.clone());
    }
    Ok(Value::Object(body))
}

/// Ties a NextToken to the statement and parameters it was issued for.
fn fingerprint(request: &Value) -> u64 {
    let text = format!(
        "{}\u{0}{}",
        request::string(request, "Statement").unwrap_or_default(),
        request.get("Parameters").map(Value::to_string).unwrap_or_default()
    );
    // FNV-1a: stable across runs and platforms.
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// A NextToken: where the previous page stopped, and which request it belongs to.
fn encode_token(last_key: &Value, fingerprint: u64) -> String {
    let payload = json!({ "k": last_key, "f": format!("{fingerprint:016x}") });
    base64::encode(payload.to_string().as_bytes())
}

fn decode_token(token: &str, fingerprint: u64) -> ApiResult<Value> {
    let invalid = || ApiError::validation("Invalid NextToken");
    let bytes = base64::decode(token).ok_or_else(invalid)?;
    let payload: Value = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    let (Some(key), Some(f)) = (payload.get("k"), payload.get("f").and_then(Value::as_str)) else {
        return Err(invalid());
    };
    if f != format!("{fingerprint:016x}") {
        return Err(ApiError::validation("NextToken does not match request"));
    }
    Ok(key.clone())
}
