//! CreateParameterGroup (DAX): a named pair of TTLs (`record-ttl-millis`, `query-ttl-millis`,
//! five minutes each until UpdateParameterGroup changes them) for clusters to use.

use serde_json::Value;

use super::request;
use crate::dax::{self, describe, ParameterGroup};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::validate::{self, Field};

/// The request's members (botocore's `CreateParameterGroupRequest`).
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("ParameterGroupName", Str, &[NotNull]), field("Description", Str, &[])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let asked = request::string(request, "ParameterGroupName").unwrap_or_default();
    let name = dax::identifier(asked, 255).ok_or_else(|| dax::not_an_identifier("Parameter group name"))?;
    if engine.dax.parameter_group(&name).is_ok() {
        return Err(ApiError::new(
            ErrorKind::ParameterGroupAlreadyExists,
            format!("Parameter group {name} already exists."),
        ));
    }
    let group = ParameterGroup::new(&name, request::string(request, "Description").unwrap_or_default());
    let answer = describe::parameter_group(&group);
    engine.dax.put_parameter_group(group);
    Ok(describe::one("ParameterGroup", answer))
}
