//! DescribeGlobalTable (version 2017.11.29): no such global table exists (`legacy_global_tables.rs`).

use serde_json::Value;

use super::legacy_global_tables::*;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = &[GLOBAL_TABLE_NAME];

pub(crate) fn run(_: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    Err(no_global_table(request))
}
