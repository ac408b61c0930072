//! Query: the items of one partition key, in sort-key order, narrowed by a sort-key condition,
//! then filtered, projected and paginated.

use std::ops::Bound;

use serde_json::Value;

use super::read::{self, Answer, Form, PageSpec, Target};
use super::request;
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, Cause};
use crate::expr::{self, legacy, ConditionKind, ExpressionAttributes, KeyCondition, SortKeyCondition};
use crate::replication::Reading;
use crate::storage::SortPosition;
use crate::types::key::TupleEnd;
use crate::types::{Item, KeyValue, PartitionKey, PrimaryKey, ScalarType};
use crate::validate::{self, Field, Rule};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    &[
        field("Select", Str, &[Enum(SELECT)]),
        field("IndexName", Str, NAME_RULES),
        RETURN_CONSUMED_CAPACITY,
        field("QueryFilter", Map(&Struct("Condition", CONDITION)), &[]),
        TABLE_NAME,
        CONDITIONAL_OPERATOR,
        ATTRIBUTES_TO_GET,
        // Query words its Limit failure differently from every other operation (`answer`).
        field("Limit", Integer, &[]),
        field("KeyConditions", Map(&Struct("Condition", CONDITION)), &[]),
        field("ExclusiveStartKey", Map(&AttributeValue), &[]),
        field("ConsistentRead", Bool, &[]),
        field("ScanIndexForward", Bool, &[]),
        field("KeyConditionExpression", Str, &[]),
        field("FilterExpression", Str, &[]),
        field("ProjectionExpression", Str, &[]),
        EXPRESSION_ATTRIBUTE_VALUES,
        EXPRESSION_ATTRIBUTE_NAMES,
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    super::worded::run(engine, request, super::worded::Surface::Read, run_worded)
}

fn run_worded(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    answer(engine, request, Form::Value).map(Answer::into_value)
}

/// The answer as JSON text, its items written straight from the stored ones.
pub(crate) fn run_text(engine: &mut Engine, request: &Value) -> ApiResult<String> {
    super::worded::run(engine, request, super::worded::Surface::Read, run_text_worded)
}

fn run_text_worded(engine: &mut Engine, request: &Value) -> ApiResult<String> {
    answer(engine, request, Form::Text).map(Answer::into_text)
}

fn answer(engine: &mut Engine, request: &Value, form: Form) -> ApiResult<Answer> {
    legacy::check_conditional_operator_enum(request, &["QueryFilter"], SCHEMA)?;
    validate::check(request, SCHEMA)?;
    // Query alone checks its Limit after the model's constraints, in the newer wording.
    validate::check_alone(request.get("Limit"), format_args!("Limit"), Rule::Min(1))?;
    request::check_expression_params(
        request,
        &["ProjectionExpression", "FilterExpression", "KeyConditionExpression"],
        &["AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"],
    )?;
    legacy::check_conditional_operator(request, &["QueryFilter"])?;
    let query_filter = legacy::filter(request, "QueryFilter")?;
    let attributes_to_get = read::attributes_to_get(request)?;
    let start_key = exclusive_start_key(request)?;
    let key_condition_text = request::string(request, "KeyConditionExpression");
    if key_condition_text.is_none() && !request::is_present(request, "KeyConditions") {
        return Err(ApiError::validation(
            "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
        ));
    }
    let mut attrs = ExpressionAttributes::from_request(request)?;
    let key_condition = match key_condition_text {
        Some(text) => Some(expr::parse_key_condition(text, &mut attrs)?),
        None => None,
    };
    // A QueryFilter and a FilterExpression never come together (checked above).
    let (filter, filter_name) = match request::string(request, "FilterExpression") {
        Some(text) => {
            (Some(expr::parse_condition(text, ConditionKind::Filter, &mut attrs)?), "Filter Expression")
        }
        None => (query_filter, "QueryFilter"),
    };
    let projection = match request::string(request, "ProjectionExpression") {
        Some(text) => Some(expr::parse_projection(text, &mut attrs)?),
        None => None,
    };
    attrs.check_all_used()?;
    let key_condition = match key_condition {
        Some(k) => k,
        None => legacy::key_conditions(request)?.ok_or_else(|| {
            ApiError::validation(
                "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
            )
        })?,
    };
    let requested_select =
        read::Select::from_request(request, projection.is_some() || attributes_to_get.is_some(), true)?;

    // The replica is chosen now and counted once the page is read (a refused request is
    // not a read).
    let mut eventual_reads = engine.playground.eventual_reads;
    let consistent = request::boolean(request, "ConsistentRead");
    let reading = Reading::next(engine.now_ms, engine.lag(), consistent, &mut eventual_reads);
    let table = request::table(engine, request)?;
    crate::vector::refuse_read(table, request, "Query")?;
    let target = Target::resolve(table, request, reading)?;
    let key_condition = key_condition.resolve(target.key_schema())?;
    if let Some(filter) = &filter {
        filter.check_no_key_attributes(target.key_schema(), filter_name)?;
    }
    let forward =
        request.get("ScanIndexForward").is_none_or(|_| request::boolean(request, "ScanIndexForward"));
    let spec = PageSpec::new(
        request,
        &target,
        requested_select,
        filter.as_ref(),
        projection.as_ref(),
        attributes_to_get,
        form,
    )?;
    let partition = PartitionKey::new(key_condition.partition_value.clone());
    if let Some(start) = &start_key {
        check_start_key(&target, start, &key_condition)?;
    }
    let page = match target.index {
        None => {
            let resume = match &start_key {
                Some(start) => Some(table.key_schema.key_of_key(&table.key_schema.key_item(start))?.sort),
                None => None,
            };
            let (lower, upper) = bounds(&key_condition, resume, forward);
            let entries =
                table.items.query_seen(&partition, lower, upper, forward, target.view(), &target.served);
            read::read_page(&target, entries.filter(sort_matches(&key_condition)), &spec, &partition)
        }
        Some(index) => {
            let resume = match &start_key {
                Some(start) => Some(index_position(table, index, start)?),
                None => None,
            };
            let (lower, upper) = bounds(&key_condition, resume, forward);
            let entries =
                index.entries.query_seen(&partition, lower, upper, forward, target.view(), &target.served);
            read::read_page(&target, entries.filter(sort_matches(&key_condition)), &spec, &partition)
        }
    };
    engine.playground.eventual_reads = eventual_reads;
    let (table, env) = request::table_env(engine, request)?;
    page.charge(table, &env, request)
}

/// begins_with narrows the range from below only; the rest is checked per item.
fn sort_matches<S: SortPosition>(
    condition: &KeyCondition,
) -> impl Fn(&crate::storage::Entry<'_, S>) -> bool + '_ {
    // Without a sort key condition every position matches: it is not even read.
    let unconditional = condition.sort.is_none() && condition.sort_prefix.is_empty() && !condition.tuple_sort;
    move |entry| {
        unconditional
            || match entry.position().sort_value() {
                Some(v) => condition.sort_matches(v),
                None => false,
            }
    }
}

/// The sort-position bounds for a key condition, narrowed by where a previous page ended. On a
/// multi-attribute sort key the equalities on its first attributes bound the range on both
/// sides even where the last condition bounds one side only.
fn bounds<S: SortPosition>(
    condition: &KeyCondition,
    resume: Option<S>,
    forward: bool,
) -> (Bound<S>, Bound<S>) {
    let low = |v: Option<&KeyValue>| S::lowest(condition.sort_bound(v, TupleEnd::Low));
    let high = |v: Option<&KeyValue>| S::highest(condition.sort_bound(v, TupleEnd::High));
    let (prefix_low, prefix_high) = if condition.sort_prefix.is_empty() {
        (Bound::Unbounded, Bound::Unbounded)
    } else {
        (Bound::Included(low(None)), Bound::Included(high(None)))
    };
    let (mut lower, mut upper) = match &condition.sort {
        None => (prefix_low, prefix_high),
        Some(SortKeyCondition::Eq(v)) => (Bound::Included(low(Some(v))), Bound::Included(high(Some(v)))),
        Some(SortKeyCondition::Lt(v)) => (prefix_low, Bound::Excluded(low(Some(v)))),
        Some(SortKeyCondition::Le(v)) => (prefix_low, Bound::Included(high(Some(v)))),
        Some(SortKeyCondition::Gt(v)) => (Bound::Excluded(high(Some(v))), prefix_high),
        Some(SortKeyCondition::Ge(v)) => (Bound::Included(low(Some(v))), prefix_high),
        Some(SortKeyCondition::Between(a, b)) => {
            (Bound::Included(low(Some(a))), Bound::Included(high(Some(b))))
        }
        Some(SortKeyCondition::BeginsWith(p)) => (Bound::Included(low(Some(p))), prefix_high),
    };
    if let Some(resume) = resume {
        if forward {
            lower = Bound::Excluded(resume);
        } else {
            upper = Bound::Excluded(resume);
        }
    }
    (lower, upper)
}

/// ExclusiveStartKey as an item; value errors get DynamoDB's "starting key" prefix.
pub(crate) fn exclusive_start_key(request: &Value) -> ApiResult<Option<Item>> {
    request::attribute_map(request, "ExclusiveStartKey").map_err(|e| match e.cause {
        // Numbers and sets are checked as the values are read, before the key's shape.
        Some(Cause::InvalidNumber | Cause::DuplicateSetMembers | Cause::EmptySet(ScalarType::N)) => e,
        _ => ApiError::validation(format!("The provided starting key is invalid: {}", e.message)),
    })
}

/// The start key must name exactly the table (and index) key and lie in the queried partition.
fn check_start_key(target: &Target<'_>, start: &Item, condition: &KeyCondition) -> ApiResult<()> {
    let names = target.start_key_names();
    if start.len() != names.len() || !names.iter().all(|n| start.contains_key(*n)) {
        return Err(ApiError::validation("The provided starting key is invalid"));
    }
    let table_key = target.table.key_schema.key_item(start);
    target
        .table
        .key_schema
        .key_of_key(&table_key)
        .map_err(|e| ApiError::validation(format!("The provided starting key is invalid: {}", e.message)))?;
    let in_partition =
        target.key_schema().start_partition_value(start).is_some_and(|v| v == condition.partition_value);
    if !in_partition {
        return Err(ApiError::validation(
            "The provided starting key is outside query boundaries based on provided conditions",
        ));
    }
    Ok(())
}

/// Where an index query resumes: the index sort key, then the table key.
pub(crate) fn index_position(
    table: &crate::table::Table,
    index: &crate::table::SecondaryIndex,
    start: &Item,
) -> ApiResult<crate::storage::IndexPosition> {
    let table_key: PrimaryKey = table.key_schema.key_of_key(&table.key_schema.key_item(start))?;
    let sort = index.key_schema.start_sort_value(start);
    Ok(crate::storage::IndexPosition { sort, table_key: crate::storage::Tie::At(table_key) })
}
