//! CreateGlobalTable (global tables version 2017.11.29): refused after its shape checks, as
//! DynamoDB refuses it since 2026 (`legacy_global_tables.rs`).

use serde_json::Value;

use super::legacy_global_tables::*;
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        GLOBAL_TABLE_NAME,
        field("ReplicationGroup", List(&Struct("Replica", &[field("RegionName", Str, &[])])), &[NotNull]),
    ]
};

pub(crate) fn run(_: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    Err(not_supported())
}
