//! Parser round-trips and error texts, translation to engine requests, and the three
//! operations end to end through the engine entry point.

use serde_json::{json, Value};

use super::parser::{parse, MAX_DEPTH};
use super::translate::{plan_select, plan_write, KeyNames, ReadOptions};
use crate::engine::Engine;

const ROUND_TRIPS: &[&str] = &[
    r#"SELECT * FROM "T""#,
    r#"SELECT a, b.c[2]."d e" FROM "T"."idx" WHERE pk = 'x' AND (n > 1 OR NOT m IS MISSING)"#,
    r#"select * from T where pk = ? and sk between 1 and ? and begins_with(s, 'p')"#,
    r#"SELECT * FROM T WHERE a IN [1, 2, 'x'] AND b IN ('y') AND c <> -2.5e3 AND d IS NOT NULL"#,
    r#"SELECT * FROM T WHERE pk = 'a' ORDER BY sk DESC"#,
    r#"INSERT INTO "T" VALUE {'pk': 'a', 'n': 1, 'l': [true, null], 'm': {'x': <<'a', 'b'>>}, 'p': ?}"#,
    r#"UPDATE T SET a = 'x', b = b + 1 SET c = list_append(c, [1]) REMOVE d, e[0] WHERE pk = 'k' RETURNING ALL NEW *"#,
    r#"DELETE FROM "T" WHERE pk = 'k' AND sk = 2 RETURNING ALL OLD *"#,
    "SELECT * FROM T WHERE s = 'it''s' AND \"we\"\"ird\" = 1",
    r#"FROM "T" WHERE pk = 'k' AND a = 1 SET b = 2 REMOVE c RETURNING ALL NEW *"#,
    r#"FROM "T" SET b = 2"#,
    r#"SELECT * FROM T WHERE a IS BOOL AND b IS NOT DOUBLE PRECISION AND c IS MISSING"#,
    r#"EXISTS(SELECT * FROM "T" WHERE pk = 'a' AND b = 1)"#,
];

#[test]
fn statements_round_trip_through_display() {
    for text in ROUND_TRIPS {
        let first = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let written = first.to_string();
        let second = parse(&written).unwrap_or_else(|e| panic!("{written}: {e}"));
        assert_eq!(first, second, "{text} → {written}");
    }
}

#[test]
fn malformed_statements_get_dynamodb_texts() {
    let err = |text: &str| parse(text).unwrap_err();
    assert_eq!(
        err(r#"SELECTT * FROMM "T""#),
        "Statement wasn't well formed, can't be processed: Expected data manipulation"
    );
    assert_eq!(err(r#"SELECT COUNT(*) FROM "T""#), "Unexpected path component at 1:8:5");
    assert_eq!(err(r#"SELECT pk, count(pk) FROM "T""#), "Unexpected path component at 1:12:5");
    assert_eq!(
        err(r#"SELECT * FROM "a"."b"."c""#),
        "Statement wasn't well formed, can't be processed: A path may contain at most 2 components in the FROM clause"
    );
    // The details DynamoDB's parser gives (recorded by the Parity Suite, eu-west-2, 2026-10).
    let malformed = |detail: &str| format!("Statement wasn't well formed, can't be processed: {detail}");
    for (text, detail) in [
        ("SELECT * FROM T WHERE", "Unexpected term"),
        ("SELECT * FROM T WHERE;", "Unexpected term"),
        ("SELECT * FROM", "Unexpected term"),
        ("SELECT * FROM T WHERE NOT", "Unexpected term"),
        ("SELECT * FROM T WHERE a = 'x' junk", "Unexpected token after expression"),
        ("SELECT * FROM T ORDER BY pk WHERE pk = 1", "Unexpected token after expression"),
        ("INSERT INTO T t VALUE {'pk': 'x'}", "Unexpected token after expression"),
        ("FROM T SET c = 1 WHERE pk = 'x'", "Unexpected token after expression"),
        ("SELECT * FROM T WHERE pk = 'p' AND", "Missing right-hand side expression of infix operator"),
        ("SELECT * FROM T WHERE ORDER BY pk", "Unexpected keyword"),
        ("SELECT * FROM T WHERE IS NULL", "Unexpected operator"),
        ("SELECT * FROM T WHERE pk = LIKE", "Unexpected operator"),
        ("SELECT * FROM T WHERE pk = 'a' AND x IS FOO", "Expected type name"),
        ("DELETE FROM WHERE pk = 'a'", "Expected identifier for simple path"),
        ("SELECT * FROM T WHERE m.inner = 1", "Invalid path dot component"),
        ("SELECT * FROM T WHERE pk = 1 # note", ""),
        ("SELECT * FROM T WHERE pk = 1 /* note", ""),
        ("SELECT * FROM T WHERE pk = 1e2147483648", ""),
    ] {
        assert_eq!(err(text), malformed(detail), "{text}");
    }
    assert_eq!(err("SELECT * FROM T t WHERE pk = 'x'"), "Aliasing is not supported");
    assert_eq!(err("DELETE FROM T AS t WHERE pk = 'x'"), "Aliasing is not supported");
    assert_eq!(err("x IS INT4"), "Unsupported operation: IsType");
    assert_eq!(err("SELECT attribute_exists(a) FROM T"), "Unexpected path component at 1:8:16");
    assert!(parse("SELECT * FROM T /* a note */ WHERE pk = 'x'; -- done").is_ok());
    assert!(err("INSERT INTO T VALUES {'a': 1}").contains("Inserting multiple items"));
    assert!(err("UPDATE T WHERE pk = 'a'").starts_with("Statement wasn't well formed"));
    assert!(err("SELECT * FROM T WHERE a = 'open").starts_with("Statement wasn't well formed"));
}

#[test]
fn nesting_is_bounded_and_nothing_panics() {
    let deep =
        format!("SELECT * FROM T WHERE {}a = 1{}", "(".repeat(MAX_DEPTH * 4), ")".repeat(MAX_DEPTH * 4));
    assert_eq!(
        parse(&deep).unwrap_err(),
        "Statement wasn't well formed, can't be processed: Statement is nested too deeply"
    );
    let nots = format!("SELECT * FROM T WHERE {}a = 1", "NOT ".repeat(10_000));
    assert!(parse(&nots).is_err());
    let lists = format!("INSERT INTO T VALUE {}", "[".repeat(10_000));
    assert!(parse(&lists).is_err());
    for junk in [
        "",
        "?",
        "'",
        "\"",
        "SELECT",
        "SELECT * FROM",
        "UPDATE T SET",
        "<<",
        "-",
        "[",
        "DELETE FROM T WHERE (",
    ] {
        let _ = parse(junk);
    }
}

fn keys(sort: Option<&str>) -> KeyNames {
    KeyNames { partition: "pk".into(), sort: sort.map(str::to_owned) }
}

fn select(text: &str, sort: Option<&str>, params: &[Value]) -> (String, Value) {
    let statement = parse(text).unwrap();
    let opts = ReadOptions { consistent: false, limit: None, return_consumed: None, project: false };
    let plan = plan_select(&statement, &keys(sort), params, &opts).unwrap();
    (plan.op.to_owned(), plan.request)
}

#[test]
fn selects_become_queries_when_the_partition_key_is_given() {
    let (op, req) = select(
        "SELECT * FROM T WHERE pk = ? AND begins_with(sk, 'a') AND n > 1",
        Some("sk"),
        &[json!({"S": "p"})],
    );
    assert_eq!(op, "Query");
    assert_eq!(req["KeyConditionExpression"], json!("#n0 = :v0 AND begins_with(#n1, :v1)"));
    assert_eq!(req["FilterExpression"], json!("#n2 > :v2"));
    assert_eq!(req["ExpressionAttributeValues"][":v0"], json!({"S": "p"}));

    let (op, req) = select("SELECT * FROM T WHERE 5 > sk AND 'p' = pk", Some("sk"), &[]);
    assert_eq!(op, "Query");
    assert_eq!(req["KeyConditionExpression"], json!("#n0 = :v0 AND #n1 < :v1"));

    // A second sort-key condition cannot go in a Query filter: the whole WHERE filters a Scan.
    let (op, req) = select("SELECT * FROM T WHERE pk = 'p' AND sk > 1 AND sk < 9", Some("sk"), &[]);
    assert_eq!(op, "Scan");
    assert!(req.get("KeyConditionExpression").is_none());

    let (op, req) = select("SELECT * FROM T WHERE n = 1 OR pk = 'p'", None, &[]);
    assert_eq!((op.as_str(), &req["FilterExpression"]), ("Scan", &json!("#n0 = :v0 OR #n1 = :v1")));

    let (op, req) = select("SELECT * FROM T", None, &[]);
    assert_eq!((op.as_str(), req), ("Scan", json!({"TableName": "T"})));
}

#[test]
fn writes_become_conditional_item_writes() {
    let plan = |text: &str| plan_write(&parse(text).unwrap(), &keys(Some("sk")), &[]);
    let put = plan("INSERT INTO T VALUE {'pk': 'a', 'sk': 1}").unwrap();
    assert_eq!(put.op, "PutItem");
    assert_eq!(put.request["ConditionExpression"], json!("attribute_not_exists(#n0)"));

    let update = plan(
        "UPDATE T SET a = a + 1 SET s = set_add(s, <<'x'>>) REMOVE b WHERE sk = 1 AND pk = 'a' AND v = 3",
    )
    .unwrap();
    assert_eq!(update.op, "UpdateItem");
    assert_eq!(update.request["Key"], json!({"pk": {"S": "a"}, "sk": {"N": "1"}}));
    assert_eq!(update.request["UpdateExpression"], json!("SET #n0 = #n0 + :v0 REMOVE #n2 ADD #n1 :v1"));
    assert_eq!(update.request["ConditionExpression"], json!("attribute_exists(#n3) AND #n4 = :v2"));

    let delete = plan("DELETE FROM T WHERE pk = 'a' AND sk = 1 AND v = 3").unwrap();
    assert_eq!(delete.request["ConditionExpression"], json!("attribute_not_exists(#n0) OR #n1 = :v0"));

    let missing = plan("DELETE FROM T WHERE pk = 'a'").unwrap_err();
    assert_eq!(missing.message, "Where clause does not contain a mandatory equality on all key attributes");
    let returning = plan("DELETE FROM T WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *").unwrap_err();
    assert_eq!(
        returning.message,
        "Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements."
    );
}

fn engine() -> Engine {
    let mut e = Engine::new();
    for (name, schema, defs) in [
        (
            "Hash",
            json!([{"AttributeName": "pk", "KeyType": "HASH"}]),
            json!([{"AttributeName": "pk", "AttributeType": "S"}]),
        ),
        (
            "Comp",
            json!([{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]),
            json!([{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}]),
        ),
    ] {
        e.handle_json(
            "CreateTable",
            json!({"TableName": name, "KeySchema": schema, "AttributeDefinitions": defs, "BillingMode": "PAY_PER_REQUEST"}),
        )
        .unwrap();
    }
    e
}

fn exec(e: &mut Engine, statement: &str) -> Result<Value, (String, String)> {
    e.handle_json("ExecuteStatement", json!({ "Statement": statement }))
        .map_err(|err| (err.kind.name().to_owned(), err.message))
}

#[test]
fn insert_select_update_delete_end_to_end() {
    let mut e = engine();
    assert_eq!(
        exec(&mut e, "INSERT INTO Hash VALUE {'pk': 'a', 'n': 1, 'm': {'x': 'deep'}}").unwrap(),
        json!({"Items": []})
    );
    assert_eq!(
        exec(&mut e, "INSERT INTO Hash VALUE {'pk': 'a'}").unwrap_err(),
        ("DuplicateItemException".into(), "Duplicate primary key exists in table".into())
    );
    assert_eq!(
        exec(&mut e, "SELECT m.x, n FROM Hash WHERE pk = 'a'").unwrap(),
        json!({"Items": [{"x": {"S": "deep"}, "n": {"N": "1"}}]})
    );
    exec(&mut e, "UPDATE Hash SET n = n + 1 REMOVE m WHERE pk = 'a'").unwrap();
    assert_eq!(
        exec(&mut e, "SELECT * FROM Hash WHERE pk = 'a'").unwrap(),
        json!({"Items": [{"pk": {"S": "a"}, "n": {"N": "2"}}]})
    );
    assert_eq!(
        exec(&mut e, "UPDATE Hash SET n = 5 WHERE pk = 'nobody'").unwrap_err(),
        ("ConditionalCheckFailedException".into(), "The conditional request failed".into())
    );
    assert_eq!(
        exec(&mut e, "DELETE FROM Hash WHERE pk = 'a' AND n = 7").unwrap_err().0,
        "ConditionalCheckFailedException"
    );
    assert_eq!(
        exec(&mut e, "DELETE FROM Hash WHERE pk = 'a' RETURNING ALL OLD *").unwrap(),
        json!({"Items": [{"pk": {"S": "a"}, "n": {"N": "2"}}]})
    );
    exec(&mut e, "DELETE FROM Hash WHERE pk = 'a'").unwrap();
    assert_eq!(exec(&mut e, "SELECT * FROM Hash WHERE pk = 'a'").unwrap(), json!({"Items": []}));
    assert_eq!(exec(&mut e, "SELECT * FROM Nope").unwrap_err().0, "ResourceNotFoundException");
}

#[test]
fn parameters_must_match_the_slots() {
    let mut e = engine();
    let run = |e: &mut Engine, params: Value| {
        e.handle_json(
            "ExecuteStatement",
            json!({"Statement": "INSERT INTO Hash VALUE {'pk': ?}", "Parameters": params}),
        )
    };
    assert!(run(&mut e, json!([{"S": "p"}])).is_ok());
    let err = run(&mut e, json!([{"S": "p"}, {"S": "q"}])).unwrap_err();
    assert_eq!(err.message, "Number of parameters in request and statement don't match.");
}

#[test]
fn select_pages_with_limit_and_next_token() {
    let mut e = engine();
    for sk in ["a", "b", "c"] {
        exec(&mut e, &format!("INSERT INTO Comp VALUE {{'pk': 'p', 'sk': '{sk}'}}")).unwrap();
    }
    let statement = "SELECT sk FROM Comp WHERE pk = 'p' ORDER BY sk DESC";
    let mut seen = Vec::new();
    let mut token: Option<Value> = None;
    for _ in 0..5 {
        let mut req = json!({"Statement": statement, "Limit": 2});
        if let Some(t) = &token {
            req["NextToken"] = t.clone();
        }
        let page = e.handle_json("ExecuteStatement", req).unwrap();
        seen.extend(
            page["Items"].as_array().unwrap().iter().map(|i| i["sk"]["S"].as_str().unwrap().to_owned()),
        );
        token = page.get("NextToken").cloned();
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen, ["c", "b", "a"]);

    let page = e.handle_json("ExecuteStatement", json!({"Statement": statement, "Limit": 1})).unwrap();
    let other = json!({"Statement": "SELECT * FROM Comp", "NextToken": page["NextToken"]});
    assert_eq!(
        e.handle_json("ExecuteStatement", other).unwrap_err().message,
        "NextToken does not match request"
    );
    let junk = json!({"Statement": statement, "NextToken": "!!"});
    assert_eq!(e.handle_json("ExecuteStatement", junk).unwrap_err().message, "Invalid NextToken");
}

#[test]
fn batches_report_errors_per_statement() {
    let mut e = engine();
    exec(&mut e, "INSERT INTO Hash VALUE {'pk': 'a', 'v': 1}").unwrap();
    let got = e
        .handle_json(
            "BatchExecuteStatement",
            json!({"Statements": [
                {"Statement": "SELECT * FROM Hash WHERE pk = 'a'"},
                {"Statement": "SELECT * FROM Nope WHERE pk = 'x'"},
                {"Statement": "SELECT * FROM Hash WHERE v = 1"},
                {"Statement": "SELECT * FROM Hash WHERE pk = 'zz'"},
                {"Statement": "SELEC"}
            ]}),
        )
        .unwrap();
    assert_eq!(
        got,
        json!({"Responses": [
            {"TableName": "Hash", "Item": {"pk": {"S": "a"}, "v": {"N": "1"}}},
            {"TableName": "Nope", "Error": {"Code": "ResourceNotFound", "Message": "Requested resource not found"}},
            {"Error": {"Code": "ValidationError", "Message": "Select statements within BatchExecuteStatement must specify the primary key in the where clause."}},
            {"TableName": "Hash"},
            {"Error": {"Code": "ValidationError", "Message": "Statement wasn't well formed, can't be processed: Expected data manipulation"}}
        ]})
    );
    let mixed = json!({"Statements": [
        {"Statement": "SELECT * FROM Hash WHERE pk = 'a'"},
        {"Statement": "DELETE FROM Hash WHERE pk = 'a'"}
    ]});
    assert_eq!(
        e.handle_json("BatchExecuteStatement", mixed).unwrap_err().message,
        "Read and write requests together in the same batch is not supported."
    );
    let writes = json!({"Statements": [
        {"Statement": "INSERT INTO Hash VALUE {'pk': 'a'}"},
        {"Statement": "UPDATE Hash SET v = 2 WHERE pk = 'a'"}
    ], "ReturnConsumedCapacity": "TOTAL"});
    let got = e.handle_json("BatchExecuteStatement", writes).unwrap();
    assert_eq!(got["Responses"][0]["Error"]["Code"], json!("DuplicateItem"));
    assert_eq!(got["Responses"][1], json!({"TableName": "Hash"}));
    assert_eq!(got["ConsumedCapacity"], json!([{"TableName": "Hash", "CapacityUnits": 1.0}]));
    let empty = e.handle_json("BatchExecuteStatement", json!({"Statements": []})).unwrap_err();
    assert_eq!(
        empty.message,
        "1 validation error detected: Value '[]' at 'statements' failed to satisfy constraint: Member must have length greater than or equal to 1"
    );
}

#[test]
fn selects_read_an_index_named_in_from() {
    let mut e = Engine::new();
    e.handle_json(
        "CreateTable",
        json!({"TableName": "Items", "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
            "GlobalSecondaryIndexes": [{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"}}]}),
    )
    .unwrap();
    exec(&mut e, "INSERT INTO Items VALUE {'pk': 'a', 'g': 'x', 'other': 1}").unwrap();
    exec(&mut e, "INSERT INTO Items VALUE {'pk': 'b', 'g': 'y'}").unwrap();
    assert_eq!(
        exec(&mut e, r#"SELECT * FROM "Items"."byG" WHERE g = 'x'"#).unwrap(),
        json!({"Items": [{"pk": {"S": "a"}, "g": {"S": "x"}}]})
    );
    assert_eq!(
        exec(&mut e, r#"SELECT * FROM "Items"."nope" WHERE g = 'x'"#).unwrap_err().1,
        "The table does not have the specified index"
    );
    assert_eq!(
        exec(&mut e, r#"SELECT other FROM "Items"."byG" WHERE g = 'x'"#).unwrap_err().1,
        "One or more parameter values were invalid: Global secondary index byG does not project [other]"
    );
}
