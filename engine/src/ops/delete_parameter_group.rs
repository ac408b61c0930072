//! DeleteParameterGroup (DAX): a group no cluster uses (never the default one).

use serde_json::{json, Value};

use super::request;
use crate::dax::{self, DEFAULT_PARAMETER_GROUP};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::validate::{self, Field};

/// The request's members (botocore's `DeleteParameterGroupRequest`).
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[field("ParameterGroupName", Str, &[NotNull])]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let name = request::string(request, "ParameterGroupName").unwrap_or_default().to_ascii_lowercase();
    let state = |message: String| ApiError::new(ErrorKind::InvalidParameterGroupState, message);
    if name == DEFAULT_PARAMETER_GROUP {
        return Err(state("Default parameter group cannot be deleted.".into()));
    }
    engine.dax.parameter_group(&name)?;
    if let Some((cluster, _)) = engine.dax.clusters.iter().find(|(_, c)| c.parameter_group == name) {
        return Err(state(format!("Parameter group {name} is in use by cluster {cluster}.")));
    }
    engine.dax.parameter_groups.remove(&name).ok_or_else(|| dax::parameter_group_not_found(&name))?;
    Ok(json!({ "DeletionMessage": format!("Parameter group {name} has been deleted.") }))
}
