//! Reading members of a request that has passed its shape check, and the lookups every
//! action shares.

use serde_json::Value;

use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, Cause};
use crate::table::Table;
use crate::types::{item_from_json, Item};

/// A string member.
pub(crate) fn string<'a>(request: &'a Value, name: &str) -> Option<&'a str> {
    request.get(name).and_then(Value::as_str)
}

/// A boolean member; absent is `false`. The AWS JSON parser also takes "true"/"yes"/"1".
pub(crate) fn boolean(request: &Value, name: &str) -> bool {
    match request.get(name) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => matches!(s.to_ascii_uppercase().as_str(), "TRUE" | "1" | "YES"),
        _ => false,
    }
}

/// A boolean member that may be absent.
pub(crate) fn optional_boolean(request: &Value, name: &str) -> Option<bool> {
    request.get(name).filter(|v| !v.is_null()).map(|_| boolean(request, name))
}

/// An integer member (shape-checked as a JSON number; fractions are truncated as DynamoDB's
/// parser does).
pub(crate) fn integer(request: &Value, name: &str) -> Option<i64> {
    let v = request.get(name)?;
    v.as_i64().or_else(|| v.as_f64().map(|f| f as i64))
}

/// A DynamoDB-JSON map member (Item, Key, ExclusiveStartKey).
pub(crate) fn attribute_map(request: &Value, name: &str) -> ApiResult<Option<Item>> {
    match request.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => item_from_json(v).map(Some),
    }
}

/// The table named by `TableName`, or ResourceNotFoundException.
pub(crate) fn table<'a>(engine: &'a Engine, request: &Value) -> ApiResult<&'a Table> {
    let name = string(request, "TableName").unwrap_or_default();
    engine.tables.get(name).ok_or_else(ApiError::resource_not_found)
}

/// The table named by `TableName`, mutably.
pub(crate) fn table_mut<'a>(engine: &'a mut Engine, request: &Value) -> ApiResult<&'a mut Table> {
    let name = string(request, "TableName").unwrap_or_default();
    engine.tables.get_mut(name).ok_or_else(ApiError::resource_not_found)
}

/// What charging capacity needs besides the table: engine time, the partition size limit,
/// and the region and account that name resources in throttling reasons.
pub(crate) struct Env<'a> {
    pub now: u64,
    pub size_limit: u64,
    /// The item collection size limit of tables with an LSI (a playground setting).
    pub collection_limit: u64,
    /// Whether requests over capacity are throttled (a playground setting; on by default;
    /// off while the journal is replayed, whose requests were admitted when they ran).
    pub throttling: bool,
    pub region: &'a str,
    pub account: &'a str,
    /// Where traffic-driven partition splits are counted (`None` during a replay).
    pub adaptive: Option<&'a std::cell::Cell<u64>>,
    /// Where the request's cost trace is noted ("why?" explanations).
    pub trace: &'a crate::explain::trace::Recorder,
    /// The replication and GSI propagation delays (playground settings; `replication`).
    pub lag: crate::replication::Lag,
}

impl Env<'_> {
    /// What partition maintenance goes by.
    pub fn layout(&self) -> crate::capacity::admission::Layout<'_> {
        crate::capacity::admission::Layout {
            now: self.now,
            size_limit: self.size_limit,
            adaptive: self.adaptive,
        }
    }

    /// The error for a throttled request on `table`.
    pub fn throttle_error(&self, table: &Table, throttle: &crate::capacity::admission::Throttle) -> ApiError {
        crate::capacity::admission::throttle_error(table, throttle, self.region, self.account)
    }

    /// Charges a request's `charges` to `table`, or counts it as throttled and answers
    /// DynamoDB's throttling error (nothing else of the request happens then).
    pub fn admit(&self, table: &mut Table, charges: &[crate::capacity::admission::Charge]) -> ApiResult<()> {
        if let Err(throttle) = crate::capacity::admission::admit(table, self, charges) {
            crate::capacity::admission::note_throttled_request(table, self.now);
            return Err(self.throttle_error(table, &throttle));
        }
        Ok(())
    }
}

/// The table named by `TableName`, mutably, with the capacity environment.
pub(crate) fn table_env<'a>(engine: &'a mut Engine, request: &Value) -> ApiResult<(&'a mut Table, Env<'a>)> {
    let name = string(request, "TableName").unwrap_or_default();
    split(engine, name)
}

/// The table named `name`, mutably, with the capacity environment.
pub(crate) fn split<'a>(engine: &'a mut Engine, name: &str) -> ApiResult<(&'a mut Table, Env<'a>)> {
    let env = Env {
        now: engine.now_ms,
        size_limit: engine.playground.settings.partition_size_limit,
        collection_limit: engine.playground.settings.item_collection_size_limit,
        throttling: engine.playground.settings.throttling && !engine.replaying,
        region: &engine.config.region,
        account: &engine.config.account_id,
        adaptive: (!engine.replaying).then_some(&engine.adaptive_changes),
        trace: &engine.traces.recorder,
        lag: engine.lag(),
    };
    let table = engine.tables.get_mut(name).ok_or_else(ApiError::resource_not_found)?;
    Ok((table, env))
}

/// DynamoDB's rules on mixing expression and legacy parameters, and on placeholders given
/// without any expression that could use them.
pub(crate) fn check_expression_params(
    request: &Value,
    expressions: &[&str],
    legacy: &[&str],
) -> ApiResult<()> {
    // The lists are built only for a message: a valid request allocates nothing here.
    let present = |name: &&str| is_present(request, name);
    let any_used = expressions.iter().any(present);
    if any_used {
        // KeyConditions may accompany a FilterExpression only when there is no KeyConditionExpression.
        let mixed =
            |l: &&str| present(l) && (*l != "KeyConditions" || is_present(request, "KeyConditionExpression"));
        if legacy.iter().any(mixed) {
            let legacy_used: Vec<&str> = legacy.iter().filter(|l| mixed(l)).copied().collect();
            let used: Vec<&str> = expressions.iter().filter(|e| present(e)).copied().collect();
            return Err(ApiError::validation(format!(
                "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {{{}}} Expression parameters: {{{}}}",
                legacy_used.join(", "),
                used.join(", ")
            )));
        }
    }
    if is_present(request, "ExpressionAttributeNames") && !any_used {
        return Err(ApiError::validation(
            "ExpressionAttributeNames can only be specified when using expressions",
        )
        .because(Cause::RequestCheck));
    }
    let value_expressions = || expressions.iter().filter(|e| **e != "ProjectionExpression");
    if is_present(request, "ExpressionAttributeValues")
        && value_expressions().next().is_some()
        && !value_expressions().any(|e| is_present(request, e))
    {
        let names: Vec<&str> = value_expressions().copied().collect();
        return Err(ApiError::validation(format!(
            "ExpressionAttributeValues can only be specified when using expressions: {} {} null",
            names.join(" and "),
            if names.len() > 1 { "are" } else { "is" }
        )));
    }
    Ok(())
}

/// [`check_expression_params`] as DynamoDB's current layer words it on UpdateItem and
/// DeleteItem: ExpressionAttributeValues without an expression is refused without naming the
/// expression that is null, as one of the checks it envelopes. (PutItem keeps the older
/// wording, which the nubo-db suite pins.)
pub(crate) fn check_expression_params_current(
    request: &Value,
    expressions: &[&str],
    legacy: &[&str],
) -> ApiResult<()> {
    const EAV: &str = "ExpressionAttributeValues can only be specified when using expressions";
    check_expression_params(request, expressions, legacy).map_err(|e| {
        if e.message.starts_with(EAV) {
            ApiError::validation(EAV).because(Cause::RequestCheck)
        } else {
            e
        }
    })
}

/// Whether a member is given (JSON null counts as absent, as in the AWS JSON protocol).
pub(crate) fn is_present(request: &Value, name: &str) -> bool {
    request.get(name).is_some_and(|v| !v.is_null())
}
