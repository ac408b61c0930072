//! Tests across the phases: the expression corpus (data under `tests/expressions/`), and unit
//! tests of evaluation and update semantics.

use serde_json::{json, Value};

use super::*;
use crate::types::{
    item_from_json, item_to_json, AttributeValue, Item, KeyAttribute, KeyValue, Number, ScalarType,
};

const CORPUS: &str = include_str!("../../../tests/expressions/corpus.json");

fn schema_from(json: &Value) -> Option<KeySchema> {
    let attr = |v: &Value| -> Option<KeyAttribute> {
        let name = v.get(0)?.as_str()?.to_owned();
        let scalar_type = ScalarType::parse(v.get(1)?.as_str()?)?;
        Some(KeyAttribute { name, scalar_type })
    };
    Some(KeySchema::new(attr(json.get("partition")?)?, json.get("sort").and_then(attr)))
}

fn key_json(k: &KeyValue) -> Value {
    k.to_attribute().to_json()
}

fn key_condition_json(kc: &KeyCondition) -> Value {
    let mut out = json!({"partition": key_json(&kc.partition_value)});
    if let Some(sort) = &kc.sort {
        let (op, values): (&str, Vec<&KeyValue>) = match sort {
            SortKeyCondition::Eq(v) => ("EQ", vec![v]),
            SortKeyCondition::Lt(v) => ("LT", vec![v]),
            SortKeyCondition::Le(v) => ("LE", vec![v]),
            SortKeyCondition::Gt(v) => ("GT", vec![v]),
            SortKeyCondition::Ge(v) => ("GE", vec![v]),
            SortKeyCondition::Between(a, b) => ("BETWEEN", vec![a, b]),
            SortKeyCondition::BeginsWith(v) => ("BEGINS_WITH", vec![v]),
        };
        let mut list = vec![json!(op)];
        list.extend(values.into_iter().map(key_json));
        out["sort"] = Value::Array(list);
    }
    out
}

/// Runs one corpus case; `Ok(result)` or the DynamoDB error message.
fn run_case(case: &Value) -> Result<Option<Value>, String> {
    let mut request = json!({});
    for (field, member) in [("names", "ExpressionAttributeNames"), ("values", "ExpressionAttributeValues")] {
        if let Some(v) = case.get(field) {
            request[member] = v.clone();
        }
    }
    let kind = case["kind"].as_str().unwrap_or("");
    let text = case["expression"].as_str().unwrap_or("");
    let item: Option<Item> = case.get("item").map(|i| item_from_json(i).expect("corpus item is valid"));
    let schema = case.get("schema").and_then(schema_from);
    let fail = |e: ApiError| e.message;
    let mut attrs = ExpressionAttributes::from_request(&request).map_err(fail)?;
    match kind {
        "condition" | "filter" => {
            let kind = if kind == "filter" { ConditionKind::Filter } else { ConditionKind::Condition };
            let cond = parse_condition(text, kind, &mut attrs).map_err(fail)?;
            attrs.check_all_used().map_err(fail)?;
            // The round trip: what the tree prints parses to the same tree.
            let ast = parser::parse_condition(text).expect("parsed once");
            assert_eq!(parser::parse_condition(&ast.to_string()).as_ref(), Ok(&ast), "round trip of {text}");
            Ok(item.map(|i| json!(cond.evaluate(&i))))
        }
        "update" => {
            let update = parse_update(text, &mut attrs).map_err(fail)?;
            attrs.check_all_used().map_err(fail)?;
            let ast = parser::parse_update(text).expect("parsed once");
            assert_eq!(parser::parse_update(&ast.to_string()).as_ref(), Ok(&ast), "round trip of {text}");
            if let Some(schema) = &schema {
                update.check_key_untouched(schema).map_err(fail)?;
            }
            match item {
                Some(mut copy) => {
                    update.apply(&mut copy).map_err(fail)?;
                    Ok(Some(item_to_json(&copy)))
                }
                None => Ok(None),
            }
        }
        "projection" => {
            let projection = parse_projection(text, &mut attrs).map_err(fail)?;
            attrs.check_all_used().map_err(fail)?;
            Ok(item.map(|i| item_to_json(&projection.apply(&i))))
        }
        "key" => {
            let shape = parse_key_condition(text, &mut attrs).map_err(fail)?;
            attrs.check_all_used().map_err(fail)?;
            match schema {
                Some(schema) => {
                    let kc = shape.resolve(&schema).map_err(fail)?;
                    Ok(Some(key_condition_json(&kc)))
                }
                None => Ok(None),
            }
        }
        other => Err(format!("unknown kind {other}")),
    }
}

#[test]
fn expression_corpus() {
    let corpus: Value = serde_json::from_str(CORPUS).expect("corpus is JSON");
    let cases = corpus["cases"].as_array().expect("cases");
    assert!(cases.len() >= 150, "the corpus keeps at least 150 cases");
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let expect = &case["expect"];
        let got = run_case(case);
        let mismatch = match (expect.get("error").and_then(Value::as_str), &got) {
            (Some(want), Err(message)) if message == want => None,
            (Some(want), _) => Some(format!("want error {want:?}, got {got:?}")),
            (None, Ok(result)) => match expect.get("result") {
                Some(want) if Some(want) != result.as_ref() => Some(format!("want {want}, got {result:?}")),
                _ => None,
            },
            (None, Err(message)) => Some(format!("want ok, got error {message:?}")),
        };
        if let Some(m) = mismatch {
            failures.push(format!(
                "case {i} [{}] {:?}: {m}",
                case["kind"],
                case["expression"].as_str().unwrap_or("")
            ));
        }
    }
    assert!(failures.is_empty(), "{} corpus failures:\n{}", failures.len(), failures.join("\n"));
}

// ---- evaluation of every operator and function on every type ----

fn all_types_item() -> Item {
    item_from_json(&json!({
        "tS": {"S": "abc"}, "tN": {"N": "10"}, "tB": {"B": "AQID"}, "tBOOL": {"BOOL": false},
        "tNULL": {"NULL": true}, "tM": {"M": {"k": {"S": "v"}}}, "tL": {"L": [{"S": "abc"}, {"N": "10"}]},
        "tSS": {"SS": ["abc", "d"]}, "tNS": {"NS": ["10", "11"]}, "tBS": {"BS": ["AQID", "BA=="]}
    }))
    .unwrap()
}

fn eval(text: &str, value: AttributeValue) -> bool {
    let mut attrs = ExpressionAttributes::from_parts(&[("#a", "")], &[(":v", value)]);
    // `#a` is unused on purpose in most texts; only parse and evaluate here.
    let cond =
        parse_condition(text, ConditionKind::Filter, &mut attrs).unwrap_or_else(|e| panic!("{text}: {e}"));
    cond.evaluate(&all_types_item())
}

#[test]
fn equality_holds_only_within_a_type() {
    let item = all_types_item();
    for (name, value) in &item {
        for (other_name, other) in &item {
            let same = name == other_name;
            assert_eq!(eval(&format!("{name} = :v"), other.clone()), same, "{name} = {other_name}");
            assert_eq!(eval(&format!("{name} <> :v"), other.clone()), !same, "{name} <> {other_name}");
            assert_eq!(eval(&format!("{name} IN (:v)"), other.clone()), same, "{name} IN {other_name}");
        }
        assert!(eval(&format!("attribute_exists({name})"), value.clone()));
        assert!(!eval(&format!("attribute_not_exists({name})"), value.clone()));
        assert!(eval(&format!("attribute_type({name}, :v)"), AttributeValue::S(name[1..].to_owned())));
    }
}

#[test]
fn ordering_needs_matching_scalar_types() {
    let n = |s: &str| AttributeValue::N(Number::parse(s).unwrap());
    assert!(eval("tN < :v", n("10.5")));
    assert!(eval("tN <= :v", n("10")));
    assert!(eval("tN >= :v", n("1E1")));
    assert!(!eval("tN > :v", n("10")));
    assert!(eval("tS > :v", AttributeValue::S("ab".into())));
    assert!(eval("tB < :v", AttributeValue::B(vec![2])));
    // Different types never order.
    assert!(!eval("tS < :v", n("1")));
    assert!(!eval("tS > :v", n("1")));
    assert!(!eval("tN BETWEEN :v AND :v", AttributeValue::S("a".into())));
    // Sets, lists, maps and booleans do not order at all.
    for name in ["tSS", "tNS", "tBS", "tL", "tM", "tBOOL", "tNULL"] {
        assert!(!eval(&format!("{name} < tS OR {name} >= tN OR {name} <= tB"), n("1")), "{name}");
    }
}

#[test]
fn size_counts_what_each_type_holds() {
    let n = |i: i64| AttributeValue::N(Number::from_i64(i));
    for (name, size) in [("tS", 3), ("tB", 3), ("tM", 1), ("tL", 2), ("tSS", 2), ("tNS", 2), ("tBS", 2)] {
        assert!(eval(&format!("size({name}) = :v"), n(size)), "{name}");
    }
    for name in ["tN", "tBOOL", "tNULL", "nothere"] {
        assert!(!eval(&format!("size({name}) >= :v"), n(0)), "{name}");
        assert!(eval(&format!("size({name}) <> :v"), n(0)), "{name}");
    }
    let emoji: Item = item_from_json(&json!({"e": {"S": "😀a"}})).unwrap();
    let mut attrs = ExpressionAttributes::from_parts(&[], &[(":v", n(3))]);
    let cond = parse_condition("size(e) = :v", ConditionKind::Filter, &mut attrs).unwrap();
    assert!(cond.evaluate(&emoji), "strings count UTF-16 units, as DynamoDB's Java does");
}

#[test]
fn contains_and_begins_with_by_type() {
    let s = |v: &str| AttributeValue::S(v.into());
    assert!(eval("contains(tS, :v)", s("bc")));
    assert!(eval("contains(tSS, :v)", s("d")));
    assert!(!eval("contains(tSS, :v)", s("ab")));
    assert!(eval("contains(tNS, :v)", AttributeValue::N(Number::from_i64(11))));
    assert!(eval("contains(tBS, :v)", AttributeValue::B(vec![4])));
    assert!(eval("contains(tL, :v)", s("abc")));
    assert!(eval("contains(tB, :v)", AttributeValue::B(vec![2, 3])));
    for name in ["tN", "tBOOL", "tNULL", "tM"] {
        assert!(!eval(&format!("contains({name}, :v)"), s("v")), "{name}");
    }
    assert!(eval("begins_with(tS, :v)", s("ab")));
    assert!(eval("begins_with(tB, :v)", AttributeValue::B(vec![1, 2])));
    assert!(!eval("begins_with(tSS, :v)", s("a")));
    assert!(!eval("begins_with(tL, :v)", s("a")));
}

#[test]
fn binary_contains_finds_every_run_and_is_linear() {
    use super::condition::contains_bytes;
    // Runs where a naive restart would matter: partial matches that overlap.
    assert!(contains_bytes(b"aaab", b"aab"));
    assert!(contains_bytes(b"abababc", b"ababc"));
    assert!(contains_bytes(b"xyz", b""));
    assert!(!contains_bytes(b"ab", b"abc"));
    assert!(!contains_bytes(b"abababab", b"ababc"));
    // Every run of a small binary, against a plain search.
    let hay: Vec<u8> = (0..200u32).map(|i| (i * 7 % 5) as u8).collect();
    for start in 0..hay.len() {
        for len in 1..8.min(hay.len() - start) {
            let needle = &hay[start..start + len];
            assert!(contains_bytes(&hay, needle));
        }
    }
    assert!(!contains_bytes(&hay, &[9]));
    // A 400 KB binary and a 200 KB needle that almost matches at every offset: a comparison at
    // every offset is 4·10¹⁰ byte steps; a linear search a million (engine/benches/contains.rs).
    let mut big = vec![b'a'; 400 * 1024];
    let mut needle = vec![b'a'; 200 * 1024];
    needle.push(b'b');
    assert!(!contains_bytes(&big, &needle));
    big.push(b'b');
    assert!(contains_bytes(&big, &needle));
    // Through a condition on an item, as a request evaluates it.
    let mut attrs = ExpressionAttributes::from_parts(&[], &[(":v", AttributeValue::B(needle))]);
    let cond = parse_condition("contains(payload, :v)", ConditionKind::Condition, &mut attrs).unwrap();
    let mut item = Item::new();
    item.insert("payload".into(), AttributeValue::B(big));
    assert!(cond.evaluate(&item));
}

#[test]
fn missing_item_is_an_empty_map() {
    let mut attrs = ExpressionAttributes::from_parts(&[], &[(":v", AttributeValue::Null)]);
    let cond = parse_condition("attribute_not_exists(pk) AND x <> :v", ConditionKind::Condition, &mut attrs)
        .unwrap();
    assert!(cond.evaluate(&Item::new()));
}

// ---- update semantics ----

fn update_of(text: &str, values: &[(&str, AttributeValue)]) -> UpdateExpression {
    let mut attrs = ExpressionAttributes::from_parts(&[], values);
    parse_update(text, &mut attrs).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn failed_update_reports_and_caller_keeps_original() {
    let original = item_from_json(&json!({"a": {"N": "1"}, "s": {"S": "x"}})).unwrap();
    let update =
        update_of("SET a = a + :one, b = s + :one", &[(":one", AttributeValue::N(Number::from_i64(1)))]);
    let mut copy = original.clone();
    let err = update.apply(&mut copy).unwrap_err();
    assert_eq!(err.message, "An operand in the update expression has an incorrect data type");
    // Values are computed before anything is written, so nothing changed even in the copy.
    assert_eq!(copy, original);
}

#[test]
fn set_values_read_the_old_item() {
    let mut item = item_from_json(&json!({"a": {"N": "1"}, "b": {"N": "2"}})).unwrap();
    update_of("SET a = b, b = a", &[]).apply(&mut item).unwrap();
    assert_eq!(item_to_json(&item), json!({"a": {"N": "2"}, "b": {"N": "1"}}));
}

#[test]
fn remove_list_elements_by_old_positions() {
    let mut item =
        item_from_json(&json!({"l": {"L": [{"N": "0"}, {"N": "1"}, {"N": "2"}, {"N": "3"}]}})).unwrap();
    update_of("REMOVE l[1], l[3], l[0]", &[]).apply(&mut item).unwrap();
    assert_eq!(item_to_json(&item), json!({"l": {"L": [{"N": "2"}]}}));
}

#[test]
fn project_updated_returns_touched_parts() {
    let old = item_from_json(
        &json!({"a": {"N": "1"}, "m": {"M": {"x": {"N": "1"}, "y": {"N": "2"}}}, "z": {"S": "keep"}}),
    )
    .unwrap();
    let update =
        update_of("SET m.x = :v REMOVE a ADD n :v", &[(":v", AttributeValue::N(Number::from_i64(5)))]);
    assert_eq!(
        item_to_json(&update.project_updated(&old)),
        json!({"a": {"N": "1"}, "m": {"M": {"x": {"N": "1"}}}})
    );
    let mut new = old.clone();
    update.apply(&mut new).unwrap();
    assert_eq!(
        item_to_json(&update.project_updated(&new)),
        json!({"m": {"M": {"x": {"N": "5"}}}, "n": {"N": "5"}})
    );
}

#[test]
fn key_schema_checks() {
    let schema = KeySchema::new(
        KeyAttribute { name: "pk".into(), scalar_type: ScalarType::S },
        Some(KeyAttribute { name: "sk".into(), scalar_type: ScalarType::N }),
    );
    let update = update_of("SET a = :v REMOVE sk", &[(":v", AttributeValue::Null)]);
    assert_eq!(
        update.check_key_untouched(&schema).unwrap_err().message,
        "One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key"
    );
    let mut attrs = ExpressionAttributes::from_parts(&[], &[(":v", AttributeValue::Null)]);
    let filter =
        parse_condition("attribute_exists(x) AND pk <> :v", ConditionKind::Filter, &mut attrs).unwrap();
    assert_eq!(
        filter.check_no_key_attributes(&schema, "Filter Expression").unwrap_err().message,
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: pk"
    );
    let mut attrs = ExpressionAttributes::from_parts(&[], &[]);
    let projection = parse_projection("a, pk.x", &mut attrs).unwrap();
    assert_eq!(
        check_scalar_key_paths(projection.paths(), &["pk", "sk"], "Key").unwrap_err().message,
        "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk"
    );
    assert!(check_scalar_key_paths(update.paths(), &["pk"], "IndexKey").is_ok());
}

#[test]
fn sort_key_conditions_match() {
    let s = |v: &str| KeyValue::S(v.into());
    assert!(SortKeyCondition::BeginsWith(s("ab")).matches(&s("abc")));
    assert!(!SortKeyCondition::BeginsWith(s("abc")).matches(&s("ab")));
    assert!(SortKeyCondition::Between(s("b"), s("d")).matches(&s("c")));
    assert!(SortKeyCondition::Between(s("b"), s("d")).matches(&s("d")));
    assert!(!SortKeyCondition::Lt(s("b")).matches(&s("b")));
    assert!(SortKeyCondition::Le(s("b")).matches(&s("b")));
    let n = |i: i64| KeyValue::N(Number::from_i64(i));
    assert!(SortKeyCondition::Gt(n(9)).matches(&n(10)));
    assert!(!SortKeyCondition::BeginsWith(n(1)).matches(&n(10)));
}

#[test]
fn never_panics_on_odd_input() {
    let samples = [
        "",
        " ",
        "(",
        ")",
        "((((",
        "))))",
        "#",
        ":",
        "[",
        "]",
        "a[",
        "a[0",
        "a[]",
        "a.",
        ".a",
        "a..b",
        "NOT",
        "NOT NOT",
        "a BETWEEN",
        "a IN (",
        "a IN (:v,",
        "size(",
        "size()",
        "f(a,)",
        "SET",
        "SET a",
        "SET a =",
        "ADD a",
        "REMOVE",
        "DELETE a :v :w",
        "a = :v ) (",
        "😀",
        "a = :v\u{0}",
        "\u{2028}",
        "a[99999999999999999999999] = :v",
        "SET a = (:v",
        "SET a = ((:v))",
        "SET a = (b + c) + d",
        "a <> <> b",
        "a = :v OR",
        "OR a = :v",
    ];
    for text in samples {
        let values = [(":v", AttributeValue::Null), (":w", AttributeValue::Null)];
        let mut attrs = ExpressionAttributes::from_parts(&[("#", "x")], &values);
        let _ = parse_condition(text, ConditionKind::Condition, &mut attrs);
        let _ = parse_update(text, &mut attrs);
        let _ = parse_projection(text, &mut attrs);
        let _ = parse_key_condition(text, &mut attrs);
    }
}
