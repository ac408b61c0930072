//! Multi-Region strong consistency (`MultiRegionConsistency: STRONG`): a global table of
//! three Regions — three replicas, or two and a witness — created in one `UpdateTable`.

use serde_json::Value;

use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};

/// Answers an UpdateTable that asks for strong consistency or changes a witness.
pub(crate) fn run(
    _engine: &mut Engine,
    _request: &Value,
    _actions: Vec<(String, u8)>,
    _witnesses: Option<&Vec<Value>>,
) -> ApiResult<Value> {
    Err(ApiError::validation("MultiRegionConsistency STRONG is not simulated by this playground yet"))
}

/// Replica changes a strong table refuses.
pub(crate) fn refuse_change(_actions: &[(String, u8)]) -> ApiResult<Value> {
    Err(ApiError::validation("Cannot add replicas to a global table with strong MultiRegionConsistency"))
}
