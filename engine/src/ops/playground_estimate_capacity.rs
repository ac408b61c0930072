//! PlaygroundEstimateCapacity: the capacity calculator — RCU/WCU per item and per second, and
//! the month's cost provisioned and on demand, side by side, from the default price table
//! (`explain/prices.rs`, dated) or prices the request brings. Reads nothing of the workspace.

use serde_json::{json, Value};

use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::explain::estimate::{estimate, Workload};
use crate::explain::prices::{self, Prices};
use crate::validate::{self, Field};

/// DynamoDB's largest item, the largest size worth pricing.
const MAX_ITEM_BYTES: i64 = 400 * 1024;
/// Requests per second and gigabytes the calculator accepts (far beyond any account quota).
const MAX_RATE: i64 = 1_000_000_000;

const PRICES: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("ReadCapacityUnitHour", Str, &[]),
        field("WriteCapacityUnitHour", Str, &[]),
        field("ReadRequestUnitsPerMillion", Str, &[]),
        field("WriteRequestUnitsPerMillion", Str, &[]),
        field("StorageGBMonth", Str, &[]),
        field("HoursPerMonth", Integer, &[Min(1), Max(744)]),
    ]
};

/// The request's members, in the order constraint failures are reported in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("ItemSizeBytes", Long, &[NotNull, Min(1), Max(MAX_ITEM_BYTES)]),
        field("ReadsPerSecond", Long, &[Min(0), Max(MAX_RATE)]),
        field("WritesPerSecond", Long, &[Min(0), Max(MAX_RATE)]),
        field("ConsistentReads", Bool, &[]),
        field("TransactionalPercent", Integer, &[Min(0), Max(100)]),
        field("StorageGB", Long, &[Min(0), Max(MAX_RATE)]),
        field("Prices", Struct("Prices", PRICES), &[]),
    ]
};

pub(crate) fn run(_engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let whole = |name: &str| request::integer(request, name).map_or(0, |n| n.max(0) as u64);
    let workload = Workload {
        item_size_bytes: whole("ItemSizeBytes"),
        reads_per_second: whole("ReadsPerSecond"),
        writes_per_second: whole("WritesPerSecond"),
        consistent_reads: request::boolean(request, "ConsistentReads"),
        transactional_percent: whole("TransactionalPercent"),
        storage_gb: whole("StorageGB"),
    };
    let (prices, edited) = prices_of(request.get("Prices"))?;
    let mut body = estimate(workload, prices).to_json();
    if let Some(m) = body.as_object_mut() {
        m.insert(
            "PriceTable".into(),
            json!({
                "Date": prices::DATE,
                "Region": prices::REGION,
                "Source": prices::SOURCE,
                "Edited": edited,
            }),
        );
    }
    Ok(body)
}

/// The default price table with the request's overrides, and whether any was given.
fn prices_of(given: Option<&Value>) -> ApiResult<(Prices, bool)> {
    let mut prices = Prices::default();
    let Some(given) = given.filter(|v| !v.is_null()) else { return Ok((prices, false)) };
    let mut edited = false;
    let slots: [(&str, &mut i128); 5] = [
        ("ReadCapacityUnitHour", &mut prices.read_capacity_unit_hour),
        ("WriteCapacityUnitHour", &mut prices.write_capacity_unit_hour),
        ("ReadRequestUnitsPerMillion", &mut prices.read_request_units_per_million),
        ("WriteRequestUnitsPerMillion", &mut prices.write_request_units_per_million),
        ("StorageGBMonth", &mut prices.storage_gb_month),
    ];
    for (name, slot) in slots {
        if let Some(text) = request::string(given, name) {
            *slot = prices::parse_dollars(text).ok_or_else(|| {
                ApiError::validation(format!(
                    "Prices.{name} must be a decimal number of dollars with at most 9 decimal places, such as 0.00013; got '{text}'"
                ))
            })?;
            edited = true;
        }
    }
    if let Some(hours) = request::integer(given, "HoursPerMonth") {
        prices.hours_per_month = hours.clamp(1, 744) as u64;
        edited = true;
    }
    Ok((prices, edited))
}
