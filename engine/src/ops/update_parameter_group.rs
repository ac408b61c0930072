//! UpdateParameterGroup (DAX): sets `record-ttl-millis` and `query-ttl-millis` (the only
//! parameters DAX lets one change). The change is immediate: entries cached from then on get
//! the new TTL (those cached before keep their expiry). The default group cannot change.

use serde_json::Value;

use super::request;
use crate::dax::{self, describe, DEFAULT_PARAMETER_GROUP};
use crate::engine::Engine;
use crate::error::ApiResult;
use crate::validate::{self, Field};

/// The request's members (botocore's `UpdateParameterGroupRequest`).
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("ParameterGroupName", Str, &[NotNull]),
        field(
            "ParameterNameValues",
            List(&Struct(
                "ParameterNameValue",
                &[field("ParameterName", Str, &[]), field("ParameterValue", Str, &[])],
            )),
            &[NotNull],
        ),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let name = request::string(request, "ParameterGroupName").unwrap_or_default().to_ascii_lowercase();
    if name == DEFAULT_PARAMETER_GROUP {
        return Err(dax::invalid_value("Default parameter group cannot be modified."));
    }
    let mut group = engine.dax.parameter_group(&name)?;
    // Every pair is checked before any applies: a bad one changes nothing.
    for pair in request.get("ParameterNameValues").and_then(Value::as_array).into_iter().flatten() {
        let parameter = request::string(pair, "ParameterName").unwrap_or_default();
        let text = request::string(pair, "ParameterValue").unwrap_or_default();
        let value = text
            .parse::<u64>()
            .map_err(|_| dax::invalid_value(format!("Invalid value {text} for parameter {parameter}.")))?;
        match parameter {
            "record-ttl-millis" => group.record_ttl_ms = value,
            "query-ttl-millis" => group.query_ttl_ms = value,
            _ => return Err(dax::invalid_value(format!("Unknown parameter: {parameter}"))),
        }
    }
    let answer = describe::parameter_group(&group);
    engine.dax.put_parameter_group(group);
    Ok(describe::one("ParameterGroup", answer))
}
