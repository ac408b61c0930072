//! What TagResource, UntagResource and ListTagsOfResource share (and CreateTable's `Tags`):
//! tags kept on the table, addressed by its ARN, with DynamoDB's ARN checks and tag limits.

use serde_json::Value;

use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::table::Table;

/// Tags one resource may carry.
pub(super) const MAX_TAGS: usize = 50;

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

pub(super) fn resource_arn(request: &Value) -> ApiResult<&str> {
    match request::string(request, "ResourceArn") {
        None | Some("") => Err(ApiError::validation("Invalid TableArn")),
        Some(arn) => Ok(arn),
    }
}

pub(super) fn access_denied(engine: &Engine, action: &str, arn: &str) -> ApiError {
    ApiError::new(
        ErrorKind::AccessDenied,
        format!(
            "User: arn:aws:iam::{}:root is not authorized to perform: dynamodb:{action} on resource: {arn}",
            engine.config.account_id
        ),
    )
}

/// The table name a table ARN of this engine's region and account names.
pub(super) fn table_name_of(engine: &Engine, action: &str, arn: &str) -> ApiResult<String> {
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

pub(super) fn table_of<'e>(engine: &'e mut Engine, name: &str, arn: &str) -> ApiResult<&'e mut Table> {
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

pub(super) fn check_key(key: &str) -> ApiResult<()> {
    if key.is_empty() || key.chars().count() > 128 || !allowed(key) {
        return Err(ApiError::validation(format!("The Tag Key provided is invalid, Key: {key}")));
    }
    Ok(())
}

pub(super) fn read_tags(tags: &Value) -> ApiResult<Vec<(String, String)>> {
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
