//! UpdateGlobalTableSettings (version 2017.11.29): no such global table exists
//! (`legacy_global_tables.rs`); the nested settings are not read.

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
        field("GlobalTableBillingMode", Str, &[Enum(&["PROVISIONED", "PAY_PER_REQUEST"])]),
        field("GlobalTableProvisionedWriteCapacityUnits", Long, &[Min(1)]),
        field(
            "GlobalTableProvisionedWriteCapacityAutoScalingSettingsUpdate",
            Struct("AutoScalingSettingsUpdate", &[]),
            &[],
        ),
        field(
            "GlobalTableGlobalSecondaryIndexSettingsUpdate",
            List(&Struct("GlobalTableGlobalSecondaryIndexSettingsUpdate", &[])),
            &[MinLength(1), MaxLength(20)],
        ),
        field(
            "ReplicaSettingsUpdate",
            List(&Struct("ReplicaSettingsUpdate", &[])),
            &[MinLength(1), MaxLength(50)],
        ),
    ]
};

pub(crate) fn run(_: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    Err(no_settings(request))
}
