//! TagResource, UntagResource, ListTagsOfResource: tags kept on the table, addressed by its
//! ARN, with DynamoDB's ARN checks and tag limits.

use serde_json::{json, Value};

use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::table::Table;
use crate::validate::{self, schemas};

/// Tags one resource may carry.
const MAX_TAGS: usize = 50;

pub(crate) fn tag_resource(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check_types(request, schemas::TAG_RESOURCE)?;
    let arn = resource_arn(request)?;
    let Some(tags) = request.get("Tags").filter(|v| !v.is_null()) else {
        return Err(ApiError::validation(
            "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
        ));
    };
    validate::check_constraints(request, schemas::TAG_RESOURCE)?;
    let name = table_name_of(engine, "TagResource", arn)?;
    let tags = read_tags(tags)?;
    if tags.is_empty() {
        return Err(ApiError::validation("Atleast one Tag needs to be provided as Input."));
    }
    let table = table_of(engine, &name, arn)?;
    let mut merged = table.control.tags.clone();
    for (key, value) in tags {
        match merged.iter_mut().find(|(k, _)| *k == key) {
            Some(existing) => existing.1 = value,
            None => merged.push((key, value)),
        }
    }
    if merged.len() > MAX_TAGS {
        return Err(ApiError::validation(
            "Number of Tags exceed the current limit for the provided ResourceArn",
        ));
    }
    table.control.tags = merged;
    Ok(json!({}))
}

pub(crate) fn untag_resource(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check_types(request, schemas::UNTAG_RESOURCE)?;
    let arn = resource_arn(request)?;
    let Some(keys) = request.get("TagKeys").and_then(Value::as_array) else {
        return Err(ApiError::validation(
            "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
        ));
    };
    let name = table_name_of(engine, "UntagResource", arn)?;
    if keys.is_empty() {
        return Err(ApiError::validation("Atleast one Tag Key needs to be provided as Input."));
    }
    let keys: Vec<&str> = keys.iter().filter_map(Value::as_str).collect();
    for key in &keys {
        check_key(key)?;
    }
    let table = table_of(engine, &name, arn)?;
    table.control.tags.retain(|(k, _)| !keys.contains(&k.as_str()));
    Ok(json!({}))
}

pub(crate) fn list_tags_of_resource(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check_types(request, schemas::LIST_TAGS_OF_RESOURCE)?;
    let arn = resource_arn(request)?;
    let name = table_name_of(engine, "ListTagsOfResource", arn)?;
    // DynamoDB answers a table ARN of this account that names no table as it answers any
    // resource the caller may not see.
    let Some(table) = engine.tables.get(&name) else {
        return Err(access_denied(engine, "ListTagsOfResource", arn));
    };
    let tags: Vec<Value> = table.control.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect();
    Ok(json!({ "Tags": tags }))
}

/// The tags CreateTable's `Tags` member gives a new table, checked as TagResource checks them.
pub(crate) fn from_create_table(request: &Value) -> ApiResult<Vec<(String, String)>> {
    let Some(tags) = request.get("Tags").filter(|v| !v.is_null()) else { return Ok(Vec::new()) };
    let tags = read_tags(tags)?;
    if tags.len() > MAX_TAGS {
        return Err(ApiError::validation(
            "Number of Tags exceed the current limit for the provided ResourceArn",
        ));
    }
    Ok(tags)
}

fn resource_arn(request: &Value) -> ApiResult<&str> {
    match request::string(request, "ResourceArn") {
        None | Some("") => Err(ApiError::validation("Invalid TableArn")),
        Some(arn) => Ok(arn),
    }
}

fn access_denied(engine: &Engine, action: &str, arn: &str) -> ApiError {
    ApiError::new(
        ErrorKind::AccessDenied,
        format!(
            "User: arn:aws:iam::{}:root is not authorized to perform: dynamodb:{action} on resource: {arn}",
            engine.config.account_id
        ),
    )
}

/// The table name a table ARN of this engine's region and account names.
fn table_name_of(engine: &Engine, action: &str, arn: &str) -> ApiResult<String> {
    if !arn.starts_with("arn:") {
        return Err(ApiError::invalid_parameter(format!("ARNs must start with 'arn:': {arn}")));
    }
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, partition, service, region, account, resource] = parts.as_slice() else {
        return Err(ApiError::validation(format!(
            "Invalid TableArn: Invalid ResourceArn provided as input {arn}"
        )));
    };
    if *service != "dynamodb" || partition.is_empty() {
        return Err(ApiError::invalid_parameter(format!(
            "Provided Arn is not a DynamoDB resource arn: {arn}"
        )));
    }
    let Some(path) = resource.strip_prefix("table/") else {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid resource arn provided, only table or stream is accepted. Provided resource arn: {arn}"
        )));
    };
    if path.contains('/') {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid resource arn provided, only table or stream is accepted. Provided resource arn: {arn}"
        )));
    }
    if *region != engine.config.region || !crate::validate::is_name(path) || path.len() < 3 {
        return Err(ApiError::validation(format!(
            "Invalid TableArn: Invalid ResourceArn provided as input {arn}"
        )));
    }
    if *account != engine.config.account_id {
        return Err(access_denied(engine, action, arn));
    }
    Ok(path.to_owned())
}

fn table_of<'e>(engine: &'e mut Engine, name: &str, arn: &str) -> ApiResult<&'e mut Table> {
    engine.tables.get_mut(name).ok_or_else(|| {
        ApiError::new(
            ErrorKind::ResourceNotFound,
            format!("Requested resource not found: ResourcArn: {arn} not found"),
        )
    })
}

/// Tag keys and values: letters, digits, spaces and `_ . : / = + - @`.
fn allowed(s: &str) -> bool {
    s.chars().all(|c| c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c))
}

fn check_key(key: &str) -> ApiResult<()> {
    if key.is_empty() || key.chars().count() > 128 || !allowed(key) {
        return Err(ApiError::validation(format!("The Tag Key provided is invalid, Key: {key}")));
    }
    Ok(())
}

fn read_tags(tags: &Value) -> ApiResult<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    for tag in tags.as_array().into_iter().flatten() {
        let key = request::string(tag, "Key").unwrap_or_default();
        check_key(key)?;
        if key.starts_with("aws:") {
            return Err(ApiError::validation(format!("Tag Key cannot be prefixed with aws:, Key: {key}")));
        }
        let value = match request::string(tag, "Value") {
            Some(v) if v.chars().count() <= 256 && allowed(v) => v,
            other => {
                return Err(ApiError::validation(format!(
                    "The Tag Value provided is invalid, Value: {}",
                    other.unwrap_or("null")
                )))
            }
        };
        if out.iter().any(|(k, _)| k == key) {
            return Err(ApiError::validation(format!(
                "Duplicate Tag Keys provided as input: Duplicate Tag Key found {key}"
            )));
        }
        out.push((key.to_owned(), value.to_owned()));
    }
    Ok(out)
}
