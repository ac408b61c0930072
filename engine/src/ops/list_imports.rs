//! ListImports: imports oldest first, of one table when `TableArn` names it, a page at a time.
//! `NextToken` is the next import's position as 112 hex digits (the API reference's pattern
//! wants at least 112 of them).

use serde_json::{json, Map, Value};

use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("TableArn", Str, &[MinLength(1), MaxLength(1024)]),
        field("PageSize", Integer, &[Min(1), Max(25)]),
        field("NextToken", Str, &[MinLength(112), MaxLength(1024)]),
    ]
};

fn token(position: usize) -> String {
    format!("{position:0112x}")
}

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let table = request::string(request, "TableArn");
    let limit = request::integer(request, "PageSize").map_or(25, |l| l as usize);
    let from = match request::string(request, "NextToken") {
        None => 0,
        Some(t) => usize::from_str_radix(t.trim_start_matches('0'), 16)
            .or_else(|e| if t.bytes().all(|b| b == b'0') { Ok(0) } else { Err(e) })
            .map_err(|_| ApiError::validation("Invalid NextToken"))?,
    };
    let now = engine.now_ms;
    let mut matching = crate::backups::state(engine)
        .into_iter()
        .flat_map(|b| b.imports.iter().enumerate())
        .filter(|(_, j)| {
            table.is_none_or(|t| j.description.get("TableArn").and_then(Value::as_str) == Some(t))
        })
        .filter(|(i, _)| *i >= from)
        .peekable();
    let page: Vec<Value> =
        matching.by_ref().take(limit).map(|(_, j)| crate::backups::import::summary(j, now)).collect();
    let mut answer = Map::new();
    answer.insert("ImportSummaryList".into(), Value::Array(page));
    if let Some((following, _)) = matching.peek() {
        answer.insert("NextToken".into(), json!(token(*following)));
    }
    Ok(Value::Object(answer))
}
