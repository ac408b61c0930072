//! UpdateGlobalTable (version 2017.11.29), as recorded: no updates is "One or more parameter
//! values were invalid", a Create is refused as CreateGlobalTable is, a Delete finds no global
//! table (`legacy_global_tables.rs`).

use serde_json::Value;

use super::legacy_global_tables::*;
use crate::engine::Engine;
use crate::error::ApiError;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    const REGION_NAME: Field = field("RegionName", Str, &[NotNull]);
    &[
        GLOBAL_TABLE_NAME,
        field(
            "ReplicaUpdates",
            List(&Struct(
                "ReplicaUpdate",
                &[
                    field("Create", Struct("CreateReplicaAction", &[REGION_NAME]), &[]),
                    field("Delete", Struct("DeleteReplicaAction", &[REGION_NAME]), &[]),
                ],
            )),
            &[NotNull],
        ),
    ]
};

pub(crate) fn run(_: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let updates = request.get("ReplicaUpdates").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    let given = |u: &Value, k: &str| u.get(k).is_some_and(|v| !v.is_null());
    if updates.is_empty() || updates.iter().any(|u| !given(u, "Create") && !given(u, "Delete")) {
        return Err(ApiError::validation("One or more parameter values were invalid"));
    }
    if updates.iter().any(|u| given(u, "Create")) {
        return Err(not_supported());
    }
    Err(no_global_table(request))
}
