//! PutItem reads its `Item` and GetItem its `Key` straight from the body when it can (engine
//! `types/item_reader.rs`) and otherwise the usual way, through a JSON tree. Both must answer
//! alike: for request bodies mixing well-formed and malformed attribute values (wrong JSON
//! kinds, bad numbers and base64, empty and repeated sets, nulls, two types, repeated names,
//! escapes, nesting around DynamoDB's 32 levels), `handle_text` and `handle_logged` — which
//! take the direct way — must give the same answers and leave the same table as `handle`,
//! which never does, and `handle_logged`'s journal entries must rebuild that table.
//!
//! GetItem in its plainest form is read without any JSON tree at all, in every build
//! (`ops/get_item.rs` `read_plain`): bodies near that form — each member varied in turn,
//! whitespace, unusual values of every kind — must answer and charge alike both ways.

use dynaplay_engine::Engine;
use proptest::prelude::*;
use serde_json::Value;

/// A scalar value's text, well formed or not.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(r#"{"S":"x"}"#),
        Just(r#"{"S":""}"#),
        Just(r#"{"S":"caf\u00e9 \"q\" \\ \n"}"#),
        Just(r#"{"S":1}"#),
        Just(r#"{"S":null}"#),
        Just(r#"{"N":"42"}"#),
        Just(r#"{"N":"-2.50"}"#),
        Just(r#"{"N":"1E+3"}"#),
        Just(r#"{"N":" 1"}"#),
        Just(r#"{"N":"1e200"}"#),
        Just(r#"{"N":"abc"}"#),
        Just(r#"{"N":7}"#),
        Just(r#"{"B":"AAE="}"#),
        Just(r#"{"B":"ab/+"}"#),
        Just(r#"{"B":"ab\/+"}"#),
        Just(r#"{"B":"abc"}"#),
        Just(r#"{"BOOL":true}"#),
        Just(r#"{"BOOL":"true"}"#),
        Just(r#"{"BOOL":1}"#),
        Just(r#"{"NULL":true}"#),
        Just(r#"{"NULL":false}"#),
        Just(r#"{"SS":["b","a"]}"#),
        Just(r#"{"SS":["a","a"]}"#),
        Just(r#"{"SS":[]}"#),
        Just(r#"{"NS":["2","1.0","3"]}"#),
        Just(r#"{"NS":["1","1.0"]}"#),
        Just(r#"{"NS":["x"]}"#),
        Just(r#"{"BS":["AAE=","AAI="]}"#),
        Just(r#"{"BS":["AAE=","AAE="]}"#),
        Just(r#"{"S":"a","N":"1"}"#),
        Just(r#"{"S":"a","N":null}"#),
        Just(r#"{"S":"a","S":"b"}"#),
        Just(r#"{}"#),
        Just(r#"{"X":1}"#),
        Just(r#""x""#),
        Just(r#"null"#),
        Just(r#"[]"#),
    ]
    .prop_map(str::to_owned)
}

/// A value's text: a scalar, or a map or list of values.
fn value() -> impl Strategy<Value = String> {
    scalar().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec((name(), inner.clone()), 0..4).prop_map(|members| {
                let members: Vec<String> = members.iter().map(|(n, v)| format!(r#""{n}":{v}"#)).collect();
                format!(r#"{{"M":{{{}}}}}"#, members.join(","))
            }),
            prop::collection::vec(inner, 0..4)
                .prop_map(|values| format!(r#"{{"L":[{}]}}"#, values.join(","))),
        ]
    })
}

/// A value nested `levels` maps deep around a string: 32 is DynamoDB's limit.
fn nested(levels: usize) -> String {
    let mut text = r#"{"S":"deep"}"#.to_owned();
    for _ in 1..levels {
        text = format!(r#"{{"M":{{"m":{text}}}}}"#);
    }
    text
}

fn name() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("a"), Just("b"), Just("é"), Just("")]
}

/// A PutItem body: a key (sometimes missing or malformed), some attributes, and sometimes
/// other members, a repeated name, a repeated `Item`, or a null.
fn body() -> impl Strategy<Value = String> {
    let pk = prop_oneof![
        4 => (0..4u8).prop_map(|n| format!(r#""pk":{{"S":"k{n}"}}"#)),
        1 => Just(r#""pk":{"N":"1"}"#.to_owned()),
        1 => Just(r#""pk":{"S":""}"#.to_owned()),
        1 => Just(String::new()),
    ];
    let attributes = prop::collection::vec((name(), value()), 0..4);
    let deep = prop_oneof![Just(None), (30..35usize).prop_map(Some)];
    let extra = prop_oneof![
        Just(""),
        Just(r#","ReturnValues":"ALL_OLD""#),
        Just(r#","ReturnValues":"ALL_NEW""#),
        Just(r#","ReturnConsumedCapacity":"TOTAL""#),
        Just(r#","ConditionExpression":"attribute_not_exists(pk)""#),
        Just(r#","ConditionExpression":"a = :v","ExpressionAttributeValues":{":v":{"N":"x"}}"#),
        Just(r#","Item":{"pk":{"S":"k9"}}"#),
        Just(r#","TableName":"arn:aws:dynamodb:us-east-1:000000000000:table/Tbl""#),
        Just(r#","TableName":"Missing""#),
        Just(r#","Extra":null"#),
    ];
    (pk, attributes, deep, extra).prop_map(|(pk, attributes, deep, extra)| {
        let mut members: Vec<String> = Vec::new();
        if !pk.is_empty() {
            members.push(pk);
        }
        members.extend(attributes.iter().map(|(n, v)| format!(r#""{n}":{v}"#)));
        if let Some(levels) = deep {
            members.push(format!(r#""deep":{}"#, nested(levels)));
        }
        format!(r#"{{"TableName":"Tbl","Item":{{{}}}{extra}}}"#, members.join(","))
    })
}

/// A GetItem body: a key well formed or not, sometimes with other members.
fn get_body() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        4 => (0..4u8).prop_map(|n| format!(r#"{{"pk":{{"S":"k{n}"}}}}"#)),
        1 => Just(r#"{"pk":{"N":"1"}}"#.to_owned()),
        1 => Just(r#"{"pk":{"S":"k1"},"a":{"S":"x"}}"#.to_owned()),
        1 => Just(r#"{"pk":{"S":"k1"},"pk":{"S":"k2"}}"#.to_owned()),
        1 => Just("{}".to_owned()),
        2 => scalar().prop_map(|v| format!(r#"{{"pk":{v}}}"#)),
    ];
    let extra = prop_oneof![
        Just(""),
        Just(r#","ConsistentRead":true"#),
        Just(r#","ReturnConsumedCapacity":"TOTAL""#),
        Just(r##","ProjectionExpression":"a, #n","ExpressionAttributeNames":{"#n":"pk"}"##),
        Just(r##","ProjectionExpression":"#n""##),
        Just(r#","AttributesToGet":["a"]"#),
        Just(r#","Key":{"pk":{"S":"k0"}}"#),
        Just(r#","TableName":"Missing""#),
    ];
    (key, extra).prop_map(|(key, extra)| format!(r#"{{"TableName":"Tbl","Key":{key}{extra}}}"#))
}

/// A GetItem body near the plainest form: members in any order, some spaced out, each one
/// sometimes missing, repeated, malformed or of a value the usual way refuses.
fn plain_get_body() -> impl Strategy<Value = String> {
    let table = prop_oneof![
        6 => Just(r#""TableName":"Tbl""#),
        1 => Just(r#""TableName":"Missing""#),
        1 => Just(r#""TableName":"T""#),
        1 => Just(r#""TableName":"Tb l""#),
        1 => Just(r#""TableName":"Tbl""#),
        1 => Just(r#""TableName":"arn:aws:dynamodb:us-east-1:000000000000:table/Tbl""#),
        1 => Just(r#""TableName":7"#),
        1 => Just(""),
    ];
    let value = prop_oneof![
        6 => (0..4u8).prop_map(|n| format!(r#"{{"S":"k{n}"}}"#)),
        1 => Just(r#"{"S":""}"#.to_owned()),
        1 => Just(r#"{"S":"café"}"#.to_owned()),
        1 => Just(r#"{"S":"café ✓"}"#.to_owned()),
        1 => Just(r#"{"N":"1"}"#.to_owned()),
        1 => Just(r#"{"N":"x1"}"#.to_owned()),
        1 => Just(r#"{"B":"AAE="}"#.to_owned()),
        1 => Just(r#"{"B":""}"#.to_owned()),
        1 => Just(r#"{"B":"A"}"#.to_owned()),
        1 => Just(r#"{"S":"k1","S":"k2"}"#.to_owned()),
        1 => Just(r#"{"S":"k1","N":"1"}"#.to_owned()),
        1 => Just(r#"{"BOOL":true}"#.to_owned()),
        1 => Just(r#"{}"#.to_owned()),
        1 => Just(r#"{"S":null}"#.to_owned()),
    ];
    let key = prop_oneof![
        8 => value.clone().prop_map(|v| format!(r#""Key":{{"pk":{v}}}"#)),
        1 => value.prop_map(|v| format!(r#""Key":{{"pk":{{"S":"k1"}},"a":{v}}}"#)),
        1 => Just(r#""Key":{"pk":{"S":"k1"},"pk":{"S":"k2"}}"#.to_owned()),
        1 => Just(r#""Key":{"":{"S":"k1"}}"#.to_owned()),
        1 => Just(r#""Key":{"other":{"S":"k1"}}"#.to_owned()),
        1 => Just(r#""Key":{}"#.to_owned()),
        1 => Just(r#""Key":null"#.to_owned()),
        1 => Just(String::new()),
    ];
    let consistent = prop_oneof![
        3 => Just(""),
        1 => Just(r#""ConsistentRead":true"#),
        1 => Just(r#""ConsistentRead":false"#),
        1 => Just(r#""ConsistentRead":"true""#),
        1 => Just(r#""ConsistentRead":1"#),
    ];
    let capacity = prop_oneof![
        3 => Just(""),
        1 => Just(r#""ReturnConsumedCapacity":"TOTAL""#),
        1 => Just(r#""ReturnConsumedCapacity":"INDEXES""#),
        1 => Just(r#""ReturnConsumedCapacity":"NONE""#),
        1 => Just(r#""ReturnConsumedCapacity":"total""#),
    ];
    let other = prop_oneof![
        6 => Just(""),
        1 => Just(r#""TableName":"Tbl""#),
        1 => Just(r#""Key":{"pk":{"S":"k2"}}"#),
        1 => Just(r#""ProjectionExpression":"pk""#),
        1 => Just(r#""Extra":"x""#),
        1 => Just(r#""Extra":null"#),
    ];
    let space = prop_oneof![4 => Just(""), 1 => Just(" "), 1 => Just("\n\t ")];
    (table, key, consistent, capacity, other, any::<prop::sample::Index>(), space, 0..4u8).prop_map(
        |(table, key, consistent, capacity, other, turn, space, ending)| {
            let mut members: Vec<String> = [table, key.as_str(), consistent, capacity, other]
                .iter()
                .filter(|m| !m.is_empty())
                .map(|m| m.to_string())
                .collect();
            if !members.is_empty() {
                let turn = turn.index(members.len());
                members.rotate_left(turn);
            }
            let ending = ["", " ", "x", ","][usize::from(ending)];
            format!("{{{space}{}{space}}}{ending}", members.join(&format!("{space},{space}")))
        },
    )
}

fn engine() -> Engine {
    let mut engine = Engine::new();
    let table = br#"{"TableName":"Tbl","BillingMode":"PAY_PER_REQUEST",
        "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
        "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"a","AttributeType":"S"}],
        "GlobalSecondaryIndexes":[{"IndexName":"byA","KeySchema":[{"AttributeName":"a","KeyType":"HASH"}],
            "Projection":{"ProjectionType":"ALL"}}]}"#;
    engine.handle("CreateTable", table).expect("table");
    engine.advance(60_000);
    engine
}

/// An answer as JSON, for comparing: the text answer parsed, an error as its JSON.
fn answer<T: ToString>(result: Result<T, dynaplay_engine::ApiError>) -> Value {
    match result {
        Ok(answer) => serde_json::from_str(&answer.to_string()).expect("an answer is JSON"),
        Err(e) => e.to_json(),
    }
}

fn contents(engine: &mut Engine) -> (Value, Value) {
    let scan = engine.handle("Scan", br#"{"TableName":"Tbl"}"#).expect("scan");
    let index = engine.handle("Scan", br#"{"TableName":"Tbl","IndexName":"byA"}"#).expect("index scan");
    (scan, index)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn the_direct_way_answers_as_the_usual_way(bodies in prop::collection::vec(body(), 1..6)) {
        let (mut direct, mut usual, mut replayed) = (engine(), engine(), engine());
        for (i, body) in bodies.iter().enumerate() {
            // Both of a host's entry points: the plain one, and the journaling one, whose
            // entries must rebuild the same table.
            let a = match i % 2 {
                0 => answer(direct.handle_text("PutItem", body.as_bytes())),
                _ => {
                    let (result, entry) = direct.handle_logged("PutItem", body.as_bytes());
                    prop_assert_eq!(entry.is_some(), result.is_ok(), "journaled iff it succeeded: {}", body);
                    if let Some(entry) = entry {
                        prop_assert_eq!(&entry.request, body);
                        let request: Value = serde_json::from_str(&entry.request).expect("JSON");
                        replayed.replay(&entry.operation, entry.at_ms, &request).expect("replays");
                    }
                    answer(result)
                }
            };
            let b = answer(usual.handle("PutItem", body.as_bytes()));
            prop_assert_eq!(a, b, "answers differ for {}", body);
            if i % 2 == 0 {
                // The replayed engine follows the plain requests the usual way.
                let _ = replayed.handle("PutItem", body.as_bytes());
            }
        }
        let expected = contents(&mut usual);
        prop_assert_eq!(contents(&mut direct), expected.clone());
        prop_assert_eq!(contents(&mut replayed), expected);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_direct_get_answers_as_the_usual_way(puts in prop::collection::vec(body(), 0..4), gets in prop::collection::vec(get_body(), 1..6)) {
        let mut engine = engine();
        for body in &puts {
            let _ = engine.handle("PutItem", body.as_bytes());
        }
        for body in &gets {
            let direct = answer(engine.handle_text("GetItem", body.as_bytes()));
            let usual = answer(engine.handle("GetItem", body.as_bytes()));
            prop_assert_eq!(direct, usual, "answers differ for {}", body);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Two engines in step, one sent each body through `handle_text` (the plain way when the
    /// body is plain), the other through `handle`: the same answers, consumed capacity
    /// included, and in the end the same hot keys (every read charged to the same key).
    #[test]
    fn a_plain_get_answers_and_charges_as_the_usual_way(gets in prop::collection::vec(plain_get_body(), 1..8)) {
        let (mut plain, mut usual) = (engine(), engine());
        for engine in [&mut plain, &mut usual] {
            for n in 0..3 {
                let put = format!(r#"{{"TableName":"Tbl","Item":{{"pk":{{"S":"k{n}"}},"a":{{"S":"caf\u00e9"}},"n":{{"N":"{n}"}}}}}}"#);
                engine.handle("PutItem", put.as_bytes()).expect("put");
            }
        }
        for body in &gets {
            let a = answer(plain.handle_text("GetItem", body.as_bytes()));
            let b = answer(usual.handle("GetItem", body.as_bytes()));
            prop_assert_eq!(a, b, "answers differ for {}", body);
        }
        let hot = br#"{"TableName":"Tbl"}"#;
        prop_assert_eq!(
            answer(plain.handle("PlaygroundDescribeHotKeys", hot)),
            answer(usual.handle("PlaygroundDescribeHotKeys", hot))
        );
    }
}

/// The direct way is taken at all: a well-formed PutItem stores exactly its item (a check
/// that the property above is not comparing the usual way with itself lives in the engine's
/// own tests, `types::item_reader::tests`).
#[test]
fn a_plain_put_stores_its_item() {
    let mut engine = engine();
    let body = format!(
        r#"{{"TableName":"Tbl","Item":{{"pk":{{"S":"k"}},"n":{{"N":"0012.50"}},"ss":{{"SS":["b","a"]}},"deep":{}}}}}"#,
        nested(32)
    );
    assert_eq!(engine.handle_text("PutItem", body.as_bytes()).expect("put"), "{}");
    let got = engine.handle("GetItem", br#"{"TableName":"Tbl","Key":{"pk":{"S":"k"}}}"#).expect("get");
    assert_eq!(got["Item"]["n"], serde_json::json!({"N": "12.5"}));
    assert_eq!(got["Item"]["ss"], serde_json::json!({"SS": ["a", "b"]}));
    // One level more is refused, in DynamoDB's words, whichever way it was read.
    let too_deep = body.replace(&nested(32), &nested(33));
    let e = engine.handle_text("PutItem", too_deep.as_bytes()).unwrap_err();
    assert!(e.message.contains("Nesting Levels have exceeded supported limits"), "{}", e.message);
}
