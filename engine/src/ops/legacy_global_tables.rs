//! The API of global tables version 2017.11.29 (Legacy): `CreateGlobalTable`,
//! `DescribeGlobalTable`, `UpdateGlobalTable`, `ListGlobalTables`,
//! `DescribeGlobalTableSettings`, `UpdateGlobalTableSettings`. DynamoDB no longer makes such
//! tables, so they answer as it did when recorded in 2026 (ack-api-quirks DDB-GLOBALTABLE-002,
//! -004, DDB-GLOBALTABLESETTINGS-001): `CreateGlobalTable` (and an `UpdateGlobalTable` that
//! creates a replica) is refused — "version 2017.11.29 is not supported … We recommend using
//! DynamoDB global tables version 2019.11.21" — after its shape checks; no legacy global table
//! ever exists, so the others answer GlobalTableNotFoundException (for a regional table and a
//! version 2019.11.21 one too) and `ListGlobalTables` an empty list. Global tables are made
//! with `UpdateTable` `ReplicaUpdates` (`global/`). Not simulated: DynamoDB's other wording
//! of the refusal from a Region where the legacy version never ran, and its HTTP 500 for a
//! `ListGlobalTables` `RegionName` that is not a Region.

use serde_json::Value;

use crate::error::{ApiError, ErrorKind};
use crate::validate::Field;

/// A global table's name (the `TableName` shape).
pub(super) const GLOBAL_TABLE_NAME: Field = {
    use crate::validate::shapes::*;
    field("GlobalTableName", Str, &[NotNull, NamePattern, MinLength(3), MaxLength(255)])
};

/// The refusal of a legacy global table (or a replica of one), as recorded.
pub(super) fn not_supported() -> ApiError {
    ApiError::validation("One or more parameter values were invalid: DynamoDB global tables version 2017.11.29 is not supported. We recommend using DynamoDB global tables version 2019.11.21, instead of version 2017.11.29 (Legacy).")
}

fn name(request: &Value) -> &str {
    request.get("GlobalTableName").and_then(Value::as_str).unwrap_or_default()
}

/// DescribeGlobalTable's and UpdateGlobalTable's GlobalTableNotFoundException.
pub(super) fn no_global_table(request: &Value) -> ApiError {
    let message =
        format!("Global table not found: Global table with name: '{}' does not exist.", name(request));
    ApiError::new(ErrorKind::GlobalTableNotFound, message)
}

/// Describe/UpdateGlobalTableSettings's GlobalTableNotFoundException.
pub(super) fn no_settings(request: &Value) -> ApiError {
    ApiError::new(
        ErrorKind::GlobalTableNotFound,
        format!("Global table with name: '{}' does not exist.", name(request)),
    )
}
