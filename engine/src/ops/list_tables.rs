//! ListTables: table names in order, paginated by Limit and ExclusiveStartTableName.

use serde_json::{json, Value};

use super::request;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("Limit", Integer, &[Min(1), Max(100)]), field("ExclusiveStartTableName", Str, NAME_RULES)]
};

/// Page size when no Limit is given.
const DEFAULT_LIMIT: usize = 100;

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let limit = request::integer(request, "Limit").map_or(DEFAULT_LIMIT, |l| l as usize);
    let start = request::string(request, "ExclusiveStartTableName");
    let mut names = engine
        .tables
        .keys()
        .filter(|name| start.is_none_or(|s| name.as_str() > s))
        .take(limit + 1)
        .cloned()
        .collect::<Vec<_>>();
    let more = names.len() > limit;
    names.truncate(limit);
    let mut response = json!({ "TableNames": names });
    if more {
        response["LastEvaluatedTableName"] = json!(names.last());
    }
    Ok(response)
}
