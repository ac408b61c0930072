//! Scan: every item of a table or index in hash order, optionally one segment of a parallel
//! scan, filtered, projected and paginated.

use serde_json::Value;

use super::query::{exclusive_start_key, index_position};
use super::read::{self, Answer, Form, PageSpec, Target};
use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult};
use crate::expr::{self, legacy, ConditionKind, ExpressionAttributes};
use crate::replication::Reading;
use crate::types::{Item, PartitionKey};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("Select", Str, &[Enum(SELECT)]),
        field("IndexName", Str, NAME_RULES),
        field("TotalSegments", Integer, &[Min(1), Max(1_000_000)]),
        RETURN_CONSUMED_CAPACITY,
        TABLE_NAME,
        CONDITIONAL_OPERATOR,
        field("ScanFilter", Map(&Struct("Condition", CONDITION)), &[]),
        field("Segment", Integer, &[Min(0), Max(999_999)]),
        field("Limit", Integer, &[Min(1)]),
        ATTRIBUTES_TO_GET,
        field("ExclusiveStartKey", Map(&AttributeValue), &[]),
        field("ConsistentRead", Bool, &[]),
        field("FilterExpression", Str, &[]),
        field("ProjectionExpression", Str, &[]),
        EXPRESSION_ATTRIBUTE_VALUES,
        EXPRESSION_ATTRIBUTE_NAMES,
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    answer(engine, request, Form::Value).map(Answer::into_value)
}

/// The answer as JSON text, its items written straight from the stored ones.
pub(crate) fn run_text(engine: &mut Engine, request: &Value) -> ApiResult<String> {
    answer(engine, request, Form::Text).map(Answer::into_text)
}

fn answer(engine: &mut Engine, request: &Value, form: Form) -> ApiResult<Answer> {
    validate::check(request, SCHEMA)?;
    request::check_expression_params(
        request,
        &["ProjectionExpression", "FilterExpression"],
        &["AttributesToGet", "ScanFilter", "ConditionalOperator"],
    )?;
    legacy::check_conditional_operator(request, &["ScanFilter"])?;
    let attributes_to_get = read::attributes_to_get(request)?;
    let scan_filter = legacy::filter(request, "ScanFilter")?;
    let start_key = exclusive_start_key(request)?;
    let segment = request::integer(request, "Segment");
    let total_segments = request::integer(request, "TotalSegments");
    match (segment, total_segments) {
        (Some(_), None) => {
            return Err(ApiError::validation(
                "The TotalSegments parameter is required but was not present in the request when Segment parameter is present",
            ))
        }
        (None, Some(_)) => {
            return Err(ApiError::validation(
                "The Segment parameter is required but was not present in the request when parameter TotalSegments is present",
            ))
        }
        (Some(s), Some(t)) if s >= t => {
            return Err(ApiError::validation(format!(
                "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: {s} is not less than TotalSegments: {t}"
            )))
        }
        _ => {}
    }
    let mut attrs = ExpressionAttributes::from_request(request)?;
    let filter = match request::string(request, "FilterExpression") {
        Some(text) => Some(expr::parse_condition(text, ConditionKind::Filter, &mut attrs)?),
        None => scan_filter,
    };
    let projection = match request::string(request, "ProjectionExpression") {
        Some(text) => Some(expr::parse_projection(text, &mut attrs)?),
        None => None,
    };
    attrs.check_all_used()?;
    let requested_select =
        read::Select::from_request(request, projection.is_some() || attributes_to_get.is_some(), false)?;

    // The replica is chosen now and counted once the page is read (a refused request is
    // not a read).
    let mut eventual_reads = engine.playground.eventual_reads;
    let consistent = request::boolean(request, "ConsistentRead");
    let reading = Reading::next(engine.now_ms, engine.lag(), consistent, &mut eventual_reads);
    let table = request::table(engine, request)?;
    crate::vector::refuse_read(table, request, "Scan")?;
    let target = Target::resolve(table, request, reading)?;
    let spec = PageSpec::new(
        request,
        &target,
        requested_select,
        filter.as_ref(),
        projection.as_ref(),
        attributes_to_get,
        form,
    )?;
    let (start_token, end_token) =
        segment_range(segment.unwrap_or(0) as u64, total_segments.unwrap_or(1) as u64);
    let resume_partition = match &start_key {
        Some(start) => Some(start_partition(&target, start)?),
        None => None,
    };
    let first = PartitionKey::first_with_token(start_token);
    let page = match target.index {
        None => {
            let after = match (&start_key, resume_partition) {
                (Some(start), Some(pk)) => {
                    Some((pk, table.key_schema.key_of_key(&table.key_schema.key_item(start))?.sort))
                }
                _ => None,
            };
            let entries = table.items.scan_seen(start_token, end_token, after, target.view(), &target.served);
            read::read_page(&target, entries, &spec, &first)
        }
        Some(index) => {
            let after = match (&start_key, resume_partition) {
                (Some(start), Some(pk)) => Some((pk, index_position(table, index, start)?)),
                _ => None,
            };
            let entries =
                index.entries.scan_seen(start_token, end_token, after, target.view(), &target.served);
            read::read_page(&target, entries, &spec, &first)
        }
    };
    engine.playground.eventual_reads = eventual_reads;
    let (table, env) = request::table_env(engine, request)?;
    page.charge(table, &env, request)
}

/// Segment `s` of `t` covers an equal slice of the 64-bit hash space.
fn segment_range(segment: u64, total: u64) -> (u64, u64) {
    let width = (u128::from(u64::MAX) + 1) / u128::from(total.max(1));
    let start = u128::from(segment) * width;
    let end = if segment + 1 >= total { u128::from(u64::MAX) } else { start + width - 1 };
    (start as u64, end as u64)
}

/// The partition a Scan resumes in, after checking the start key is a whole key.
fn start_partition(target: &Target<'_>, start: &Item) -> ApiResult<PartitionKey> {
    let names = target.start_key_names();
    if start.len() != names.len() || !names.iter().all(|n| start.contains_key(*n)) {
        return Err(ApiError::validation(if target.index.is_some() {
            "The provided starting key is invalid"
        } else {
            "The provided starting key is invalid: The provided key element does not match the schema"
        }));
    }
    let table_key = target.table.key_schema.key_item(start);
    target
        .table
        .key_schema
        .key_of_key(&table_key)
        .map_err(|e| ApiError::validation(format!("The provided starting key is invalid: {}", e.message)))?;
    let partition = target
        .key_schema()
        .start_partition_value(start)
        .ok_or_else(|| ApiError::validation("The provided starting key is invalid"))?;
    Ok(PartitionKey::new(partition))
}

#[cfg(test)]
mod tests {
    use super::segment_range;

    #[test]
    fn segments_tile_the_hash_space() {
        assert_eq!(segment_range(0, 1), (0, u64::MAX));
        let (a0, a1) = segment_range(0, 3);
        let (b0, b1) = segment_range(1, 3);
        let (c0, c1) = segment_range(2, 3);
        assert_eq!((a0, a1 + 1, b1 + 1, c1), (0, b0, c0, u64::MAX));
    }
}
