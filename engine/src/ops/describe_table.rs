//! DescribeTable: the table's full `TableDescription`.

use serde_json::{json, Value};

use super::request;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, schemas};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, schemas::DESCRIBE_TABLE)?;
    let table = request::table(engine, request)?;
    let description = table.describe(&engine.config.region, &engine.config.account_id, "ACTIVE");
    Ok(json!({ "Table": description }))
}
