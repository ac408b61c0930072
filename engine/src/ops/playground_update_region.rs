//! PlaygroundUpdateRegion: takes a Region offline — isolated, as a Region AWS calls
//! "isolated or degraded": its own requests are still served, nothing replicates to or from
//! it — and brings it back, when what waited flows and last writer wins settles it. Journaled
//! like a write: what replication does depends on it.

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::validate::{self, Field};

/// The request's members.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("RegionName", Str, &[Required, MinLength(1), MaxLength(64)]),
        field("Available", Bool, &[Required]),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let region = request.get("RegionName").and_then(Value::as_str).unwrap_or_default().to_owned();
    let available = super::request::boolean(request, "Available");
    let known = crate::global::regions::SUPPORTED_REGIONS.contains(&region.as_str())
        || engine.regions().contains(&region);
    if !known {
        return Err(ApiError::validation(format!("No Region {region}: name an AWS Region, e.g. us-west-2")));
    }
    crate::global::view::set_available(engine, &region, available);
    Ok(json!({"Region": {"RegionName": region, "Available": available}}))
}
