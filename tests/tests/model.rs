//! Model-based property test: random sequences of PutItem, GetItem, UpdateItem, DeleteItem,
//! Query and Scan run against the engine and against a naive reference model (a `BTreeMap`
//! of items), and every response must be exactly what the model predicts.
//!
//! The model is deliberately plain: a sorted map from `(partition key, sort key)` to item, with
//! numbers held as integer tenths so arithmetic and ordering are obviously right. Requests spell
//! numbers in several ways ("2.5", "2.50", "25E-1"); responses must carry the normalised form.
//!
//! One composite-key table: `pk` (S, a few values) and `sk` (N, a few values incl. negatives and
//! decimals). Non-key attributes have a fixed type each, so values of every kind round-trip:
//! `title` S, `qty` N, `done` BOOL, `tags` SS, `parts` L, `meta` M.
//!
//! On failure proptest shrinks and prints the operation sequence.

use std::collections::{BTreeMap, BTreeSet};

use dynaplay_engine::Engine;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{json, Map, Value};

const TABLE: &str = "Model";
const PARTITIONS: [&str; 4] = ["a", "b", "long-partition-key", "ü"];
/// Sort keys in tenths: -10, -1.5, 0, 0.5, 2, 2.5, 10.
const SORT_KEYS: [i64; 7] = [-100, -15, 0, 5, 20, 25, 100];
/// Sort-key bounds used by Query conditions: the stored keys plus values between them.
const SORT_BOUNDS: [i64; 10] = [-100, -20, -15, 0, 5, 10, 20, 25, 30, 100];
const NON_KEY_ATTRIBUTES: [&str; 6] = ["title", "qty", "done", "tags", "parts", "meta"];
const ALL_ATTRIBUTES: [&str; 8] = ["pk", "sk", "title", "qty", "done", "tags", "parts", "meta"];

// ---------------------------------------------------------------------------------------------
// Values and the reference model
// ---------------------------------------------------------------------------------------------

/// An attribute value as the model holds it. Numbers are integer tenths: every number the test
/// uses has at most one decimal, so sums and comparisons are exact integer operations.
#[derive(Clone, Debug, PartialEq)]
enum Val {
    S(String),
    N(i64),
    Bool(bool),
    Ss(BTreeSet<String>),
    L(Vec<Val>),
    M(BTreeMap<String, Val>),
}

type Item = BTreeMap<String, Val>;
/// `(pk, sk in tenths)`: the map's order is DynamoDB's order within a partition (numeric
/// ascending sort key).
type Key = (String, i64);

/// The reference model: every item of the table, keyed by primary key.
#[derive(Default)]
struct Model {
    items: BTreeMap<Key, Item>,
}

impl Model {
    fn get(&self, key: &Key) -> Option<&Item> {
        self.items.get(key)
    }

    /// The items of one partition, in sort-key order (ascending or descending).
    fn partition(&self, pk: &str, forward: bool) -> Vec<&Item> {
        let mut items: Vec<&Item> =
            self.items.iter().filter(|((p, _), _)| p == pk).map(|(_, item)| item).collect();
        if !forward {
            items.reverse();
        }
        items
    }
}

fn key_of(item: &Item) -> Key {
    let Some(Val::S(pk)) = item.get("pk") else { panic!("model item without pk: {item:?}") };
    let Some(Val::N(sk)) = item.get("sk") else { panic!("model item without sk: {item:?}") };
    (pk.clone(), *sk)
}

fn key_item((pk, sk): &Key) -> Item {
    BTreeMap::from([("pk".to_owned(), Val::S(pk.clone())), ("sk".to_owned(), Val::N(*sk))])
}

// ---------------------------------------------------------------------------------------------
// Wire format: how requests spell values, and what responses must contain
// ---------------------------------------------------------------------------------------------

/// How a request spells its numbers; the engine must store and return them normalised.
#[derive(Clone, Copy, Debug)]
enum Spelling {
    /// "2.5", "-10"
    Plain,
    /// "2.50", "-10.0"
    TrailingZero,
    /// "25E-1", "-100E-1"
    Exponent,
}

/// DynamoDB's normalised text for a number of tenths: no trailing zeros, no exponent.
fn canonical_number(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let (whole, tenth) = (tenths.abs() / 10, tenths.abs() % 10);
    if tenth == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{tenth}")
    }
}

fn spelled_number(tenths: i64, spelling: Spelling) -> String {
    let plain = canonical_number(tenths);
    match spelling {
        Spelling::Plain => plain,
        Spelling::TrailingZero if plain.contains('.') => format!("{plain}0"),
        Spelling::TrailingZero => format!("{plain}.0"),
        Spelling::Exponent => format!("{tenths}E-1"),
    }
}

/// A value in DynamoDB JSON, numbers spelled as the request chooses.
fn wire_value(val: &Val, spelling: Spelling) -> Value {
    match val {
        Val::S(s) => json!({ "S": s }),
        Val::N(n) => json!({ "N": spelled_number(*n, spelling) }),
        Val::Bool(b) => json!({ "BOOL": b }),
        Val::Ss(set) => json!({ "SS": set.iter().collect::<Vec<_>>() }),
        Val::L(list) => json!({ "L": list.iter().map(|v| wire_value(v, spelling)).collect::<Vec<_>>() }),
        Val::M(map) => json!({ "M": wire_item(map, spelling) }),
    }
}

fn wire_item(item: &Item, spelling: Spelling) -> Value {
    Value::Object(item.iter().map(|(k, v)| (k.clone(), wire_value(v, spelling))).collect())
}

/// What a response must contain: numbers normalised.
fn expected_item(item: &Item) -> Value {
    wire_item(item, Spelling::Plain)
}

fn wire_key(key: &Key, spelling: Spelling) -> Value {
    wire_item(&key_item(key), spelling)
}

/// DynamoDB does not define the order of a set's members, so responses are compared with each
/// set's members sorted (the model's sets are already sorted). Everything else is compared
/// exactly.
fn sort_sets(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if matches!(k.as_str(), "SS" | "NS" | "BS") {
                    if let Value::Array(members) = v {
                        members.sort_by_key(Value::to_string);
                    }
                } else {
                    sort_sets(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(sort_sets),
        _ => {}
    }
}

/// The `(pk, sk)` of an item in a response, for sorting Scan results.
fn response_key(item: &Value) -> (String, String) {
    (item["pk"]["S"].as_str().unwrap_or_default().to_owned(), item["sk"]["N"].to_string())
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum UpdateAction {
    /// `SET #a = :v`
    Set(&'static str, Val),
    /// `ADD #n :inc` on the number attribute `qty`
    Add(i64),
    /// `REMOVE #a`
    Remove(&'static str),
}

#[derive(Clone, Copy, Debug)]
enum UpdateReturn {
    None,
    AllNew,
    UpdatedOld,
}

#[derive(Clone, Copy, Debug)]
enum SortCondition {
    Eq(i64),
    Lt(i64),
    Le(i64),
    Gt(i64),
    Ge(i64),
    Between(i64, i64),
}

/// A FilterExpression on non-key attributes.
#[derive(Clone, Debug)]
enum Filter {
    /// `#f >= :f` on `qty`
    QtyAtLeast(i64),
    /// `attribute_exists(#f)`
    Exists(&'static str),
    /// `#f = :f` on `done`
    DoneIs(bool),
}

#[derive(Clone, Debug)]
enum Op {
    Put {
        item: Item,
        /// `ConditionExpression: attribute_not_exists(pk)`
        only_if_absent: bool,
        return_old: bool,
        spelling: Spelling,
        /// Written with the legacy parameters (`Expected`) instead of expressions.
        legacy: bool,
    },
    Get {
        key: Key,
        /// Attributes named in a ProjectionExpression; empty means no projection.
        projection: Vec<&'static str>,
        consistent: bool,
        spelling: Spelling,
    },
    Delete {
        key: Key,
        return_old: bool,
        /// `ConditionExpression: attribute_exists(#a)`
        require: Option<&'static str>,
        spelling: Spelling,
    },
    Update {
        key: Key,
        action: UpdateAction,
        return_values: UpdateReturn,
        /// `ConditionExpression: #n < :lim` on `qty`
        qty_below: Option<i64>,
        spelling: Spelling,
    },
    Query {
        pk: String,
        sort: Option<SortCondition>,
        forward: bool,
        limit: Option<usize>,
        filter: Option<Filter>,
        spelling: Spelling,
        /// Written with the legacy parameters (`KeyConditions`, `QueryFilter`).
        legacy: bool,
    },
    Scan {
        limit: Option<usize>,
        /// `TotalSegments` of a parallel scan; `None` is an ordinary scan.
        segments: Option<u32>,
    },
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

fn spelling() -> impl Strategy<Value = Spelling> {
    prop_oneof![Just(Spelling::Plain), Just(Spelling::TrailingZero), Just(Spelling::Exponent)]
}

fn partition_key() -> impl Strategy<Value = String> {
    prop::sample::select(PARTITIONS.to_vec()).prop_map(str::to_owned)
}

fn key() -> impl Strategy<Value = Key> {
    (partition_key(), prop::sample::select(SORT_KEYS.to_vec()))
}

/// Numbers from a small set, so comparisons often meet equal values (the boundary cases).
fn number() -> impl Strategy<Value = i64> {
    prop::sample::select(vec![-250, -15, -10, 0, 5, 10, 15, 25, 100, 12345])
}

fn string_value() -> impl Strategy<Value = String> {
    // Empty strings are allowed outside keys; quotes and non-ASCII must round-trip.
    prop::sample::select(vec!["", "x", "hello world", "ünïcödé", "quote\"d", "tab\tnew\nline"])
        .prop_map(str::to_owned)
}

/// A scalar or small list, for the members of `parts` and `meta`.
fn element_value() -> impl Strategy<Value = Val> {
    let scalar = prop_oneof![
        string_value().prop_map(Val::S),
        number().prop_map(Val::N),
        any::<bool>().prop_map(Val::Bool)
    ];
    scalar.prop_recursive(2, 6, 3, |inner| prop::collection::vec(inner, 0..3).prop_map(Val::L))
}

/// A value of the type the attribute always has.
fn value_for(attribute: &'static str) -> BoxedStrategy<Val> {
    match attribute {
        "title" => string_value().prop_map(Val::S).boxed(),
        "qty" => number().prop_map(Val::N).boxed(),
        "done" => any::<bool>().prop_map(Val::Bool).boxed(),
        "tags" => prop::collection::btree_set(
            prop::sample::select(vec!["red", "green", "blue", "ü"]).prop_map(str::to_owned),
            1..4,
        )
        .prop_map(Val::Ss)
        .boxed(),
        "parts" => prop::collection::vec(element_value(), 0..4).prop_map(Val::L).boxed(),
        "meta" => prop::collection::btree_map(
            prop::sample::select(vec!["k1", "k2", "Name"]).prop_map(str::to_owned),
            element_value(),
            0..3,
        )
        .prop_map(Val::M)
        .boxed(),
        other => unreachable!("no generator for {other}"),
    }
}

fn item() -> impl Strategy<Value = Item> {
    let optional =
        |a: &'static str| prop::option::of(value_for(a)).prop_map(move |v| v.map(|v| (a.to_owned(), v)));
    (
        key(),
        optional("title"),
        optional("qty"),
        optional("done"),
        optional("tags"),
        optional("parts"),
        optional("meta"),
    )
        .prop_map(|(key, a, b, c, d, e, f)| {
            let mut item = key_item(&key);
            item.extend([a, b, c, d, e, f].into_iter().flatten());
            item
        })
}

fn non_key_attribute() -> impl Strategy<Value = &'static str> {
    prop::sample::select(NON_KEY_ATTRIBUTES.to_vec())
}

fn any_attribute() -> impl Strategy<Value = &'static str> {
    prop::sample::select(ALL_ATTRIBUTES.to_vec())
}

fn update_action() -> impl Strategy<Value = UpdateAction> {
    prop_oneof![
        non_key_attribute().prop_flat_map(|a| value_for(a).prop_map(move |v| UpdateAction::Set(a, v))),
        prop::sample::select(vec![-25i64, -10, -5, 0, 5, 15]).prop_map(UpdateAction::Add),
        non_key_attribute().prop_map(UpdateAction::Remove),
    ]
}

fn update_return() -> impl Strategy<Value = UpdateReturn> {
    prop_oneof![Just(UpdateReturn::None), Just(UpdateReturn::AllNew), Just(UpdateReturn::UpdatedOld)]
}

fn sort_condition() -> impl Strategy<Value = SortCondition> {
    let bound = || prop::sample::select(SORT_BOUNDS.to_vec());
    prop_oneof![
        bound().prop_map(SortCondition::Eq),
        bound().prop_map(SortCondition::Lt),
        bound().prop_map(SortCondition::Le),
        bound().prop_map(SortCondition::Gt),
        bound().prop_map(SortCondition::Ge),
        // BETWEEN needs lower <= upper (otherwise it is a ValidationException).
        (bound(), bound()).prop_map(|(a, b)| SortCondition::Between(a.min(b), a.max(b))),
    ]
}

fn filter() -> impl Strategy<Value = Filter> {
    prop_oneof![
        number().prop_map(Filter::QtyAtLeast),
        non_key_attribute().prop_map(Filter::Exists),
        any::<bool>().prop_map(Filter::DoneIs),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (item(), any::<bool>(), any::<bool>(), spelling(), any::<bool>()).prop_map(|(item, only_if_absent, return_old, spelling, legacy)| {
            Op::Put { item, only_if_absent, return_old, spelling, legacy }
        }),
        2 => (key(), prop::sample::subsequence(ALL_ATTRIBUTES.to_vec(), 0..=4), any::<bool>(), spelling())
            .prop_map(|(key, projection, consistent, spelling)| Op::Get { key, projection, consistent, spelling }),
        2 => (key(), any::<bool>(), prop::option::of(any_attribute()), spelling())
            .prop_map(|(key, return_old, require, spelling)| Op::Delete { key, return_old, require, spelling }),
        4 => (key(), update_action(), update_return(), prop::option::of(number()), spelling()).prop_map(
            |(key, action, return_values, qty_below, spelling)| Op::Update { key, action, return_values, qty_below, spelling }
        ),
        3 => (
            partition_key(),
            prop::option::of(sort_condition()),
            any::<bool>(),
            prop::option::of(1usize..5),
            prop::option::of(filter()),
            spelling(),
            any::<bool>(),
        )
            .prop_map(|(pk, sort, forward, limit, filter, spelling, legacy)| Op::Query { pk, sort, forward, limit, filter, spelling, legacy }),
        1 => (prop::option::of(1usize..6), prop::option::of(1u32..5)).prop_map(|(limit, segments)| Op::Scan { limit, segments }),
    ]
}

// ---------------------------------------------------------------------------------------------
// Running one operation against engine and model
// ---------------------------------------------------------------------------------------------

fn create_table(engine: &mut Engine) {
    engine
        .handle_json(
            "CreateTable",
            json!({
                "TableName": TABLE,
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
                "BillingMode": "PAY_PER_REQUEST"
            }),
        )
        .expect("CreateTable");
}

/// Runs one request; an error becomes its wire body so it can be compared like a response.
fn call(engine: &mut Engine, op: &str, request: Value) -> Result<Value, Value> {
    engine
        .handle_json(op, request)
        .map(|mut r| {
            sort_sets(&mut r);
            r
        })
        .map_err(|e| e.to_json())
}

fn conditional_check_failed() -> Value {
    json!({
        "__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
        "message": "The conditional request failed"
    })
}

/// `{}` or `{"Attributes": …}`: DynamoDB omits `Attributes` when there is nothing to return.
fn attributes_response(attributes: Option<&Item>) -> Value {
    match attributes.filter(|a| !a.is_empty()) {
        Some(a) => json!({ "Attributes": expected_item(a) }),
        None => json!({}),
    }
}

fn check(op: &Op, engine: &mut Engine, model: &mut Model) -> Result<(), TestCaseError> {
    match op {
        Op::Put { item, only_if_absent, return_old, spelling, legacy } => {
            check_put(engine, model, item, *only_if_absent, *return_old, *spelling, *legacy)
        }
        Op::Get { key, projection, consistent, spelling } => {
            check_get(engine, model, key, projection, *consistent, *spelling)
        }
        Op::Delete { key, return_old, require, spelling } => {
            check_delete(engine, model, key, *return_old, *require, *spelling)
        }
        Op::Update { key, action, return_values, qty_below, spelling } => {
            check_update(engine, model, key, action, *return_values, *qty_below, *spelling)
        }
        Op::Query { pk, sort, forward, limit, filter, spelling, legacy } => {
            let spec = QuerySpec {
                pk,
                sort: *sort,
                forward: *forward,
                limit: *limit,
                filter: filter.as_ref(),
                spelling: *spelling,
                legacy: *legacy,
            };
            check_query(engine, model, &spec)
        }
        Op::Scan { limit, segments } => check_scan(engine, model, *limit, *segments),
    }
}

fn check_put(
    engine: &mut Engine,
    model: &mut Model,
    item: &Item,
    only_if_absent: bool,
    return_old: bool,
    spelling: Spelling,
    legacy: bool,
) -> Result<(), TestCaseError> {
    let mut request = json!({ "TableName": TABLE, "Item": wire_item(item, spelling) });
    match (only_if_absent, legacy) {
        (true, false) => request["ConditionExpression"] = json!("attribute_not_exists(pk)"),
        (true, true) => request["Expected"] = json!({ "pk": { "Exists": false } }),
        (false, _) => {}
    }
    if return_old {
        request["ReturnValues"] = json!("ALL_OLD");
    }
    let got = call(engine, "PutItem", request);

    let key = key_of(item);
    let expected = if only_if_absent && model.get(&key).is_some() {
        Err(conditional_check_failed())
    } else {
        let old = model.items.insert(key, item.clone());
        Ok(attributes_response(old.as_ref().filter(|_| return_old)))
    };
    prop_assert_eq!(got, expected, "PutItem");
    Ok(())
}

fn check_get(
    engine: &mut Engine,
    model: &Model,
    key: &Key,
    projection: &[&'static str],
    consistent: bool,
    spelling: Spelling,
) -> Result<(), TestCaseError> {
    let mut request =
        json!({ "TableName": TABLE, "Key": wire_key(key, spelling), "ConsistentRead": consistent });
    if !projection.is_empty() {
        let placeholders: Vec<String> = (0..projection.len()).map(|i| format!("#p{i}")).collect();
        request["ProjectionExpression"] = json!(placeholders.join(", "));
        request["ExpressionAttributeNames"] = placeholders
            .iter()
            .zip(projection)
            .map(|(p, a)| (p.clone(), json!(a)))
            .collect::<Map<_, _>>()
            .into();
    }
    let got = call(engine, "GetItem", request);

    // A present item whose projection matches nothing comes back as `"Item": {}`.
    let expected = match model.get(key) {
        None => json!({}),
        Some(item) if projection.is_empty() => json!({ "Item": expected_item(item) }),
        Some(item) => {
            let projected: Item = item
                .iter()
                .filter(|(name, _)| projection.contains(&name.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            json!({ "Item": expected_item(&projected) })
        }
    };
    prop_assert_eq!(got, Ok(expected), "GetItem");
    Ok(())
}

fn check_delete(
    engine: &mut Engine,
    model: &mut Model,
    key: &Key,
    return_old: bool,
    require: Option<&'static str>,
    spelling: Spelling,
) -> Result<(), TestCaseError> {
    let mut request = json!({ "TableName": TABLE, "Key": wire_key(key, spelling) });
    if return_old {
        request["ReturnValues"] = json!("ALL_OLD");
    }
    if let Some(attribute) = require {
        request["ConditionExpression"] = json!("attribute_exists(#a)");
        request["ExpressionAttributeNames"] = json!({ "#a": attribute });
    }
    let got = call(engine, "DeleteItem", request);

    let condition_holds = match require {
        None => true,
        Some(attribute) => model.get(key).is_some_and(|item| item.contains_key(attribute)),
    };
    let expected = if condition_holds {
        let old = model.items.remove(key);
        Ok(attributes_response(old.as_ref().filter(|_| return_old)))
    } else {
        Err(conditional_check_failed())
    };
    prop_assert_eq!(got, expected, "DeleteItem");
    Ok(())
}

/// What UpdateItem does to the item (or to nothing): returns the new item, or `None` when no
/// item exists afterwards.
fn apply_update(old: Option<&Item>, key: &Key, action: &UpdateAction) -> Option<Item> {
    match (old, action) {
        // DynamoDB does not create an item for an update that only removes attributes.
        (None, UpdateAction::Remove(_)) => None,
        (old, action) => {
            let mut new = old.cloned().unwrap_or_else(|| key_item(key));
            match action {
                UpdateAction::Set(attribute, value) => {
                    new.insert((*attribute).to_owned(), value.clone());
                }
                UpdateAction::Add(increment) => {
                    let sum = match new.get("qty") {
                        Some(Val::N(current)) => current + increment,
                        _ => *increment,
                    };
                    new.insert("qty".to_owned(), Val::N(sum));
                }
                UpdateAction::Remove(attribute) => {
                    new.remove(*attribute);
                }
            }
            Some(new)
        }
    }
}

fn check_update(
    engine: &mut Engine,
    model: &mut Model,
    key: &Key,
    action: &UpdateAction,
    return_values: UpdateReturn,
    qty_below: Option<i64>,
    spelling: Spelling,
) -> Result<(), TestCaseError> {
    let mut names = Map::new();
    let mut values = Map::new();
    let (expression, updated) = match action {
        UpdateAction::Set(attribute, value) => {
            names.insert("#a".into(), json!(attribute));
            values.insert(":v".into(), wire_value(value, spelling));
            ("SET #a = :v", *attribute)
        }
        UpdateAction::Add(increment) => {
            names.insert("#n".into(), json!("qty"));
            values.insert(":inc".into(), wire_value(&Val::N(*increment), spelling));
            ("ADD #n :inc", "qty")
        }
        UpdateAction::Remove(attribute) => {
            names.insert("#a".into(), json!(attribute));
            ("REMOVE #a", *attribute)
        }
    };
    let mut request =
        json!({ "TableName": TABLE, "Key": wire_key(key, spelling), "UpdateExpression": expression });
    if let Some(limit) = qty_below {
        request["ConditionExpression"] = json!("#n < :lim");
        names.insert("#n".into(), json!("qty"));
        values.insert(":lim".into(), wire_value(&Val::N(limit), spelling));
    }
    match return_values {
        UpdateReturn::None => {}
        UpdateReturn::AllNew => request["ReturnValues"] = json!("ALL_NEW"),
        UpdateReturn::UpdatedOld => request["ReturnValues"] = json!("UPDATED_OLD"),
    }
    request["ExpressionAttributeNames"] = Value::Object(names);
    if !values.is_empty() {
        request["ExpressionAttributeValues"] = Value::Object(values);
    }
    let got = call(engine, "UpdateItem", request);

    let old = model.get(key).cloned();
    // A comparison with a missing attribute is false, so a missing item or qty fails the check.
    let condition_holds = match qty_below {
        None => true,
        Some(limit) => matches!(old.as_ref().and_then(|i| i.get("qty")), Some(Val::N(q)) if *q < limit),
    };
    let expected = if condition_holds {
        let new = apply_update(old.as_ref(), key, action);
        let returned: Option<Item> = match return_values {
            UpdateReturn::None => None,
            UpdateReturn::AllNew => new.clone(),
            UpdateReturn::UpdatedOld => old
                .as_ref()
                .and_then(|o| o.get(updated))
                .map(|v| BTreeMap::from([(updated.to_owned(), v.clone())])),
        };
        match new {
            Some(new) => model.items.insert(key.clone(), new),
            None => model.items.remove(key),
        };
        Ok(attributes_response(returned.as_ref()))
    } else {
        Err(conditional_check_failed())
    };
    prop_assert_eq!(got, expected, "UpdateItem {}", expression);
    Ok(())
}

fn sort_condition_holds(condition: Option<SortCondition>, sk: i64) -> bool {
    match condition {
        None => true,
        Some(SortCondition::Eq(v)) => sk == v,
        Some(SortCondition::Lt(v)) => sk < v,
        Some(SortCondition::Le(v)) => sk <= v,
        Some(SortCondition::Gt(v)) => sk > v,
        Some(SortCondition::Ge(v)) => sk >= v,
        Some(SortCondition::Between(a, b)) => a <= sk && sk <= b,
    }
}

fn filter_holds(filter: Option<&Filter>, item: &Item) -> bool {
    match filter {
        None => true,
        Some(Filter::QtyAtLeast(v)) => matches!(item.get("qty"), Some(Val::N(q)) if q >= v),
        Some(Filter::Exists(attribute)) => item.contains_key(*attribute),
        Some(Filter::DoneIs(b)) => item.get("done") == Some(&Val::Bool(*b)),
    }
}

/// One Query, as generated.
struct QuerySpec<'a> {
    pk: &'a str,
    sort: Option<SortCondition>,
    forward: bool,
    limit: Option<usize>,
    filter: Option<&'a Filter>,
    spelling: Spelling,
    legacy: bool,
}

/// The Query request for one page.
fn query_request(spec: &QuerySpec<'_>, start: Option<&Value>) -> Value {
    let QuerySpec { pk, sort, forward, limit, filter, spelling, legacy } = *spec;
    if legacy {
        return legacy_query_request(spec, start);
    }
    let number = |v: i64| wire_value(&Val::N(v), spelling);
    let mut names = Map::from_iter([("#pk".to_owned(), json!("pk"))]);
    let mut values = Map::from_iter([(":pk".to_owned(), json!({ "S": pk }))]);
    let mut key_condition = "#pk = :pk".to_owned();
    if let Some(condition) = sort {
        names.insert("#sk".into(), json!("sk"));
        let (op, a, b) = match condition {
            SortCondition::Eq(v) => ("=", v, None),
            SortCondition::Lt(v) => ("<", v, None),
            SortCondition::Le(v) => ("<=", v, None),
            SortCondition::Gt(v) => (">", v, None),
            SortCondition::Ge(v) => (">=", v, None),
            SortCondition::Between(a, b) => ("BETWEEN", a, Some(b)),
        };
        values.insert(":s1".into(), number(a));
        match b {
            Some(b) => {
                values.insert(":s2".into(), number(b));
                key_condition.push_str(" AND #sk BETWEEN :s1 AND :s2");
            }
            None => key_condition.push_str(&format!(" AND #sk {op} :s1")),
        }
    }
    let mut request = json!({ "TableName": TABLE, "ScanIndexForward": forward });
    match filter {
        None => {}
        Some(Filter::QtyAtLeast(v)) => {
            names.insert("#f".into(), json!("qty"));
            values.insert(":f".into(), number(*v));
            request["FilterExpression"] = json!("#f >= :f");
        }
        Some(Filter::Exists(attribute)) => {
            names.insert("#f".into(), json!(attribute));
            request["FilterExpression"] = json!("attribute_exists(#f)");
        }
        Some(Filter::DoneIs(b)) => {
            names.insert("#f".into(), json!("done"));
            values.insert(":f".into(), json!({ "BOOL": b }));
            request["FilterExpression"] = json!("#f = :f");
        }
    }
    request["KeyConditionExpression"] = json!(key_condition);
    request["ExpressionAttributeNames"] = Value::Object(names);
    request["ExpressionAttributeValues"] = Value::Object(values);
    if let Some(limit) = limit {
        request["Limit"] = json!(limit);
    }
    if let Some(start) = start {
        request["ExclusiveStartKey"] = start.clone();
    }
    request
}

/// The same Query written with KeyConditions and QueryFilter.
fn legacy_query_request(spec: &QuerySpec<'_>, start: Option<&Value>) -> Value {
    let number = |v: i64| wire_value(&Val::N(v), spec.spelling);
    let condition =
        |op: &str, values: Vec<Value>| json!({ "ComparisonOperator": op, "AttributeValueList": values });
    let mut key_conditions =
        Map::from_iter([("pk".to_owned(), condition("EQ", vec![json!({ "S": spec.pk })]))]);
    if let Some(sort) = spec.sort {
        let sk = match sort {
            SortCondition::Eq(v) => condition("EQ", vec![number(v)]),
            SortCondition::Lt(v) => condition("LT", vec![number(v)]),
            SortCondition::Le(v) => condition("LE", vec![number(v)]),
            SortCondition::Gt(v) => condition("GT", vec![number(v)]),
            SortCondition::Ge(v) => condition("GE", vec![number(v)]),
            SortCondition::Between(a, b) => condition("BETWEEN", vec![number(a), number(b)]),
        };
        key_conditions.insert("sk".into(), sk);
    }
    let mut request =
        json!({ "TableName": TABLE, "ScanIndexForward": spec.forward, "KeyConditions": key_conditions });
    let query_filter = match spec.filter {
        None => None,
        Some(Filter::QtyAtLeast(v)) => Some(("qty", condition("GE", vec![number(*v)]))),
        Some(Filter::Exists(attribute)) => Some((*attribute, json!({ "ComparisonOperator": "NOT_NULL" }))),
        Some(Filter::DoneIs(b)) => Some(("done", condition("EQ", vec![json!({ "BOOL": b })]))),
    };
    if let Some((attribute, condition)) = query_filter {
        request["QueryFilter"] = json!({ attribute: condition });
    }
    if let Some(limit) = spec.limit {
        request["Limit"] = json!(limit);
    }
    if let Some(start) = start {
        request["ExclusiveStartKey"] = start.clone();
    }
    request
}

/// Pages through a Query, checking every page exactly against the model.
fn check_query(engine: &mut Engine, model: &Model, spec: &QuerySpec<'_>) -> Result<(), TestCaseError> {
    let QuerySpec { pk, sort, forward, limit, filter, .. } = *spec;
    // Everything the key condition selects, in the order the Query must read it.
    let selected: Vec<&Item> = model
        .partition(pk, forward)
        .into_iter()
        .filter(|item| sort_condition_holds(sort, key_of(item).1))
        .collect();
    let expected_all: Vec<Value> =
        selected.iter().filter(|item| filter_holds(filter, item)).map(|item| expected_item(item)).collect();

    let mut returned_all: Vec<Value> = Vec::new();
    let mut start: Option<Value> = None;
    let mut position = 0; // index in `selected` of the next item the engine should read
    for page in 0.. {
        prop_assert!(page <= selected.len() + 1, "Query did not finish paginating");
        let request = query_request(spec, start.as_ref());
        let got = call(engine, "Query", request.clone());
        let Ok(got) = got else {
            return Err(TestCaseError::fail(format!("Query failed: {got:?}\nrequest: {request}")));
        };

        // Limit counts items read (before the filter), so the page is the next `limit` items.
        let end = limit.map_or(selected.len(), |l| (position + l).min(selected.len()));
        let read = &selected[position..end];
        let matched: Vec<Value> =
            read.iter().filter(|item| filter_holds(filter, item)).map(|item| expected_item(item)).collect();
        let mut expected = json!({ "Count": matched.len(), "ScannedCount": read.len(), "Items": matched });
        let stopped_at_limit = limit.is_some_and(|l| read.len() == l);
        // A page that stops at Limit carries the last key read. When it also happens to be the
        // last matching item, DynamoDB may or may not return a key (it does not always look
        // ahead), so both are accepted there; anywhere else the key must be exactly right.
        let more_remain = end < selected.len();
        if stopped_at_limit && (more_remain || got.get("LastEvaluatedKey").is_some()) {
            if let Some(last) = read.last() {
                expected["LastEvaluatedKey"] = wire_key(&key_of(last), Spelling::Plain);
            }
        }
        prop_assert_eq!(&got, &expected, "Query page {} of {}", page, request);
        returned_all.extend(got["Items"].as_array().cloned().unwrap_or_default());
        position = end;
        match got.get("LastEvaluatedKey") {
            Some(last) => start = Some(last.clone()),
            None => break,
        }
    }
    prop_assert_eq!(returned_all, expected_all, "Query pages concatenated");
    Ok(())
}

/// Pages through one Scan (or one segment of a parallel Scan) and returns all its items.
/// Scan order is the engine's hash order, which the model does not predict; each page is
/// checked for internal consistency, and the caller compares the items as a multiset.
fn scan_all(
    engine: &mut Engine,
    limit: Option<usize>,
    segment: Option<(u32, u32)>,
) -> Result<Vec<Value>, TestCaseError> {
    let mut items = Vec::new();
    let mut start: Option<Value> = None;
    for _ in 0..200 {
        let mut request = json!({ "TableName": TABLE });
        if let Some(limit) = limit {
            request["Limit"] = json!(limit);
        }
        if let Some((segment, total)) = segment {
            request["Segment"] = json!(segment);
            request["TotalSegments"] = json!(total);
        }
        if let Some(start) = &start {
            request["ExclusiveStartKey"] = start.clone();
        }
        let got = call(engine, "Scan", request.clone());
        let Ok(got) = got else {
            return Err(TestCaseError::fail(format!("Scan failed: {got:?}\nrequest: {request}")));
        };
        let page = got["Items"].as_array().cloned().unwrap_or_default();
        // Without a filter every item read is returned.
        prop_assert_eq!(&got["Count"], &json!(page.len()), "Scan Count: {}", got);
        prop_assert_eq!(&got["ScannedCount"], &json!(page.len()), "Scan ScannedCount: {}", got);
        if let Some(limit) = limit {
            prop_assert!(page.len() <= limit, "Scan page larger than Limit: {}", got);
            // A short page means the scan is done.
            if page.len() < limit {
                prop_assert!(got.get("LastEvaluatedKey").is_none(), "short page with a key: {}", got);
            }
        } else {
            prop_assert!(
                got.get("LastEvaluatedKey").is_none(),
                "small table, no Limit, yet paginated: {}",
                got
            );
        }
        let keys: Vec<&str> =
            got.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
        prop_assert!(
            keys.iter().all(|k| matches!(*k, "Items" | "Count" | "ScannedCount" | "LastEvaluatedKey")),
            "unexpected Scan members: {}",
            got
        );
        match got.get("LastEvaluatedKey") {
            Some(last) => {
                // The key is that of the last item read: exactly its pk and sk.
                let last_item = page.last().cloned().unwrap_or(Value::Null);
                prop_assert_eq!(
                    last,
                    &json!({ "pk": last_item["pk"], "sk": last_item["sk"] }),
                    "Scan LastEvaluatedKey"
                );
                start = Some(last.clone());
                items.extend(page);
            }
            None => {
                items.extend(page);
                return Ok(items);
            }
        }
    }
    Err(TestCaseError::fail("Scan did not finish paginating"))
}

fn sorted_by_key(mut items: Vec<Value>) -> Vec<Value> {
    items.sort_by_key(response_key);
    items
}

fn check_scan(
    engine: &mut Engine,
    model: &Model,
    limit: Option<usize>,
    segments: Option<u32>,
) -> Result<(), TestCaseError> {
    let expected: Vec<Value> = model.items.values().map(expected_item).collect();
    let expected = sorted_by_key(expected);
    match segments {
        None => {
            let got = sorted_by_key(scan_all(engine, limit, None)?);
            prop_assert_eq!(got, expected, "Scan (Limit {:?})", limit);
        }
        Some(total) => {
            let mut union = Vec::new();
            let mut seen = BTreeSet::new();
            for segment in 0..total {
                for item in scan_all(engine, limit, Some((segment, total)))? {
                    // Segments are disjoint: no key may appear in two of them.
                    prop_assert!(
                        seen.insert(response_key(&item)),
                        "item in two segments of {}: {}",
                        total,
                        item
                    );
                    union.push(item);
                }
            }
            prop_assert_eq!(sorted_by_key(union), expected, "parallel Scan, {} segments", total);
        }
    }
    Ok(())
}

fn run_sequence(ops: &[Op]) -> Result<(), TestCaseError> {
    let mut engine = Engine::new();
    engine.set_now(1_767_225_600_000);
    create_table(&mut engine);
    let mut model = Model::default();
    for (i, op) in ops.iter().enumerate() {
        check(op, &mut engine, &mut model)
            .map_err(|e| TestCaseError::fail(format!("op #{i} {op:?}: {e}")))?;
    }
    // Whatever the sequence, the table ends up holding exactly the model's items.
    check_scan(&mut engine, &model, None, None)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn engine_matches_model(ops in prop::collection::vec(op(), 1..60)) {
        run_sequence(&ops)?;
    }
}
