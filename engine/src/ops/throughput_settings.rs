//! CreateTable's and UpdateTable's `OnDemandThroughput` and `WarmThroughput`, for a table and
//! for its GSIs: reading them, DynamoDB's checks, and UpdateTable's merge.
//!
//! OnDemandThroughput's texts and rules are DynamoDB's as recorded against AWS (eu-west-2,
//! July 2026): on a PROVISIONED table (CreateTable) or one that stays or becomes PROVISIONED
//! (UpdateTable) the first member given is refused, MaxReadRequestUnits checked first, and
//! that check comes before the range check; a member must be at least 1, and UpdateTable also
//! takes -1, which removes that maximum; UpdateTable merges member by member over what is set
//! and answers the merge with any -1 as given, while DescribeTable shows what remains; a
//! switch to PROVISIONED drops the maxima; an OnDemandThroughput with no member is no
//! OnDemandThroughput at all. The GSI variants of the texts are not recorded: they follow the
//! table's with "index" for "table".
//!
//! WarmThroughput is asked for in units a second, each at least 1 (texts in the style of
//! OnDemandThroughput's; not recorded). "Once increased, warm throughput values can't be
//! decreased": asking for less than an earlier request is refused; asking for less than what
//! the table serves at once anyway (its provisioned units, on demand 12,000 reads and 4,000
//! writes a second or twice its previous peak) is accepted and changes nothing shown.

use serde_json::{json, Map, Value};

use super::request;
use crate::control::{MaxOnDemand, WarmRequest, TABLE_UPDATE_MS};
use crate::error::{ApiError, ApiResult};

/// A pair of optional members as requested (read, write).
pub(super) type Requested = (Option<i64>, Option<i64>);

/// What a table or index is, as the texts name it.
#[derive(Clone, Copy)]
pub(super) enum Owner {
    Table,
    Index,
}

impl Owner {
    fn word(self) -> &'static str {
        match self {
            Self::Table => "table",
            Self::Index => "index",
        }
    }
}

/// The members of a struct member (`OnDemandThroughput`, `WarmThroughput`) named `read` and
/// `write`, or `None` when it is absent or has neither.
fn members(spec: Option<&Value>, read: &str, write: &str) -> Option<Requested> {
    let spec = spec.filter(|v| v.is_object())?;
    let pair = (request::integer(spec, read), request::integer(spec, write));
    (pair.0.is_some() || pair.1.is_some()).then_some(pair)
}

/// `OnDemandThroughput` of a request or an index spec.
pub(super) fn requested_max(spec: &Value) -> Option<Requested> {
    members(spec.get("OnDemandThroughput"), "MaxReadRequestUnits", "MaxWriteRequestUnits")
}

/// `WarmThroughput` of a request or an index spec.
pub(super) fn requested_warm(spec: &Value) -> Option<Requested> {
    members(spec.get("WarmThroughput"), "ReadUnitsPerSecond", "WriteUnitsPerSecond")
}

fn invalid_range(member: &str, struct_name: &str, owner: Owner) -> ApiError {
    ApiError::invalid_parameter(format!(
        "Requested {member} for {struct_name} for {} is outside of valid range",
        owner.word()
    ))
}

/// CreateTable's OnDemandThroughput checks for a table or GSI billed `provisioned` or not;
/// the maxima to keep.
pub(super) fn max_on_create(
    requested: Option<Requested>,
    provisioned: bool,
    owner: Owner,
) -> ApiResult<MaxOnDemand> {
    let Some((read, write)) = requested else { return Ok(MaxOnDemand::default()) };
    let named = [("MaxReadRequestUnits", read), ("MaxWriteRequestUnits", write)];
    if provisioned {
        if let Some((member, _)) = named.iter().find(|(_, v)| v.is_some()) {
            return Err(ApiError::invalid_parameter(format!(
                "{member} for OnDemandThroughput cannot be specified when {} BillingMode is PROVISIONED.",
                owner.word()
            )));
        }
    }
    for (member, value) in named {
        if value.is_some_and(|v| v < 1) {
            return Err(invalid_range(member, "OnDemandThroughput", owner));
        }
    }
    Ok(MaxOnDemand { read: read.map(|v| v as u64), write: write.map(|v| v as u64) })
}

/// UpdateTable's OnDemandThroughput checks, for a table or GSI that will be `provisioned`.
pub(super) fn check_max_on_update(requested: Requested, provisioned: bool, owner: Owner) -> ApiResult<()> {
    let (read, write) = requested;
    let named = [("MaxReadRequestUnits", read), ("MaxWriteRequestUnits", write)];
    if provisioned {
        if let Some((member, _)) = named.iter().find(|(_, v)| v.is_some()) {
            return Err(ApiError::invalid_parameter(format!(
                "{member} for OnDemandThroughput cannot be specified when the {} BillingMode is PROVISIONED",
                owner.word()
            )));
        }
    }
    for (member, value) in named {
        if value.is_some_and(|v| v == 0 || v < -1) {
            return Err(invalid_range(member, "OnDemandThroughput", owner));
        }
    }
    Ok(())
}

/// UpdateTable's merge of `requested` over `stored`: the maxima kept, and the
/// `OnDemandThroughput` its answer shows (a -1 as given).
pub(super) fn merge_max(stored: MaxOnDemand, requested: Requested) -> (MaxOnDemand, Value) {
    let merged = |asked: Option<i64>, kept: Option<u64>| asked.or(kept.map(|v| v as i64));
    let (read, write) = (merged(requested.0, stored.read), merged(requested.1, stored.write));
    let mut echo = Map::new();
    if let Some(r) = read {
        echo.insert("MaxReadRequestUnits".into(), json!(r));
    }
    if let Some(w) = write {
        echo.insert("MaxWriteRequestUnits".into(), json!(w));
    }
    let kept = |v: Option<i64>| v.filter(|v| *v > 0).map(|v| v as u64);
    (MaxOnDemand { read: kept(read), write: kept(write) }, Value::Object(echo))
}

/// A WarmThroughput request checked against what was asked for before (`previous`), to take
/// effect at `now` (UPDATING for `TABLE_UPDATE_MS`).
pub(super) fn warm(
    requested: Requested,
    previous: WarmRequest,
    owner: Owner,
    now: u64,
) -> ApiResult<WarmRequest> {
    let named = [
        ("ReadUnitsPerSecond", requested.0, previous.read),
        ("WriteUnitsPerSecond", requested.1, previous.write),
    ];
    for (member, value, _) in named {
        if value.is_some_and(|v| v < 1) {
            return Err(invalid_range(member, "WarmThroughput", owner));
        }
    }
    for (member, value, before) in named {
        if let Some(v) = value.filter(|v| (*v as u64) < before) {
            return Err(ApiError::invalid_parameter(format!(
                "Requested {member} for WarmThroughput for {} is {v}, lower than the current {before}: warm throughput can only be increased",
                owner.word()
            )));
        }
    }
    Ok(WarmRequest {
        read: requested.0.map_or(previous.read, |v| v as u64),
        write: requested.1.map_or(previous.write, |v| v as u64),
        floor: previous.floor,
        updating_until_ms: now + TABLE_UPDATE_MS,
    })
}
