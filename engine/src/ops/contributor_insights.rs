//! What the Contributor Insights operations share [API_UpdateContributorInsights,
//! API_DescribeContributorInsights, API_ListContributorInsights]: switching it on or off for a
//! table or GSI, and describing it. The engine tracks the most accessed and most throttled
//! partition keys of every table and GSI all the time (a bounded sketch, see
//! `partition/hot_keys.rs`); the playground shows them with `PlaygroundDescribeHotKeys`, the
//! graphs CloudWatch would draw for the enabled rules.
//!
//! Status on engine time: ENABLING / DISABLING are what the update answers; a describe shows
//! ENABLED / DISABLED straight after (DynamoDB takes a few seconds).

use serde_json::Value;

use super::request;
use crate::capacity::admission::On;
use crate::error::{ApiError, ApiResult};
use crate::table::Table;

/// The table, or the GSI named by `IndexName` (a missing one is ResourceNotFoundException).
pub(super) fn target(table: &Table, request: &Value) -> ApiResult<On> {
    match request::string(request, "IndexName") {
        None => Ok(On::Table),
        Some(name) => {
            table.global_index_position(name).map(On::Index).ok_or_else(ApiError::resource_not_found)
        }
    }
}
