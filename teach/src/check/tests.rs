use super::*;
use crate::script::{self, Step};
use serde_json::json;

fn steps(value: Value) -> Vec<Step> {
    script::steps_from_json(&value, "steps").unwrap()
}

fn check(value: Value) -> Check {
    Check::from_json(&value, "check").unwrap()
}

/// An engine with table Users (pk UserId) holding u1, and the log of reading it twice.
fn users() -> (Engine, Vec<Exchange>) {
    let mut engine = Engine::new();
    script::run_clean(
        &mut engine,
        &steps(json!([
            {"op": "CreateTable", "request": {"TableName": "Users",
                "KeySchema": [{"AttributeName": "UserId", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "UserId", "AttributeType": "S"}],
                "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}},
            {"op": "PutItem", "request": {"TableName": "Users",
                "Item": {"UserId": {"S": "u1"}, "Version": {"N": "1"}}}}
        ])),
    )
    .unwrap();
    let log = script::run(
        &mut engine,
        &steps(json!([
            {"op": "GetItem", "request": {"TableName": "Users", "Key": {"UserId": {"S": "u1"}},
                "ReturnConsumedCapacity": "TOTAL"}},
            {"op": "GetItem", "request": {"TableName": "Users", "Key": {"UserId": {"S": "u1"}},
                "ConsistentRead": true, "ReturnConsumedCapacity": "TOTAL"}},
            {"op": "PutItem", "request": {"TableName": "Users", "Item": {"UserId": {"S": "u1"}},
                "ConditionExpression": "attribute_not_exists(UserId)"}}
        ])),
    );
    (engine, log)
}

fn refusal(check_json: Value) -> Refusal {
    let (mut engine, log) = users();
    check(check_json).evaluate(&mut engine, &log).unwrap_err()
}

fn passes(check_json: Value) -> bool {
    let (mut engine, log) = users();
    check(check_json).evaluate(&mut engine, &log).is_ok()
}

#[test]
fn sent_matches_request_response_and_consumed_capacity() {
    assert!(passes(json!([{"sent": {"op": "GetItem", "request": {"ConsistentRead": true}, "consumed": 1},
        "missing": "m"}])));
    assert!(passes(json!([{"sent": {"op": "GetItem", "consumed": 0.5,
        "response": {"Item": {"Version": {"N": "1"}}}}, "missing": "m"}])));
    assert!(passes(json!([{"sent": {"op": "GetItem", "times": 2}, "missing": "m"}])));
    let no =
        refusal(json!([{"sent": {"op": "GetItem", "consumed": 2}, "missing": "Read it transactionally."}]));
    assert_eq!(no.missing, "Read it transactionally.");
    assert_eq!(no.seen, "your last GetItem: it consumed 1 capacity units, expected 2");
}

#[test]
fn sent_says_what_is_missing_when_nothing_fits() {
    let none = refusal(json!([{"sent": {"op": "Query"}, "missing": "Query the table."}]));
    assert_eq!(none.seen, "no Query request has been sent in this step yet");
    let fewer = refusal(json!([{"sent": {"op": "GetItem", "times": 3}, "missing": "m"}]));
    assert_eq!(fewer.seen, "2 fitting GetItem request(s) sent, 3 needed");
    let request = refusal(json!([{"sent": {"op": "GetItem", "request": {"ProjectionExpression": "Version"}},
        "missing": "m"}]));
    assert_eq!(request.seen, "your last GetItem: request.ProjectionExpression is missing");
    let bare = refusal(json!([{"sent": {"op": "PutItem", "consumed": 1}, "missing": "m"}]));
    assert!(bare.seen.contains("failed with ConditionalCheckFailedException"), "{}", bare.seen);
}

#[test]
fn sent_matches_errors_by_name() {
    assert!(passes(json!([{"sent": {"op": "PutItem", "error": "ConditionalCheckFailedException"},
        "missing": "m"}])));
    assert!(passes(json!([{"sent": {"op": "PutItem", "error": "ConditionalCheckFailedException",
        "response": {"message": "The conditional request failed"}}, "missing": "m"}])));
    let body = refusal(json!([{"sent": {"op": "PutItem", "error": "ConditionalCheckFailedException",
        "response": {"Item": {"$exists": true}}}, "missing": "m"}]));
    assert_eq!(body.seen, "your last PutItem: response.Item is missing");
    let wrong = refusal(json!([{"sent": {"op": "PutItem", "error": "ValidationException"}, "missing": "m"}]));
    assert_eq!(
        wrong.seen,
        "your last PutItem: it failed with ConditionalCheckFailedException, expected ValidationException"
    );
    let ok = refusal(json!([{"sent": {"op": "GetItem", "error": "X"}, "missing": "m"}]));
    assert_eq!(ok.seen, "your last GetItem: it succeeded, expected it to fail with X");
}

#[test]
fn consumed_needs_consumed_capacity_in_the_response() {
    let (mut engine, _) = users();
    let log = script::run(
        &mut engine,
        &steps(json!([{"op": "GetItem", "request": {"TableName": "Users", "Key": {"UserId": {"S": "u1"}}}}])),
    );
    let no = check(json!([{"sent": {"op": "GetItem", "consumed": 0.5}, "missing": "m"}]))
        .evaluate(&mut engine, &log)
        .unwrap_err();
    assert!(no.seen.contains("ReturnConsumedCapacity"), "{}", no.seen);
}

#[test]
fn item_tests_presence_absence_and_attributes_without_charging() {
    assert!(passes(json!([{"item": {"table": "Users", "key": {"UserId": {"S": "u1"}},
        "attributes": {"Version": {"N": "1"}}}, "missing": "m"}])));
    assert!(passes(json!([{"item": {"table": "Users", "key": {"UserId": {"S": "u9"}}, "exists": false},
        "missing": "m"}])));
    let absent =
        refusal(json!([{"item": {"table": "Users", "key": {"UserId": {"S": "u9"}}}, "missing": "Add u9."}]));
    assert_eq!(absent.seen, "Users has no item with key {\"UserId\":{\"S\":\"u9\"}}");
    let still = refusal(json!([{"item": {"table": "Users", "key": {"UserId": {"S": "u1"}}, "exists": false},
        "missing": "Delete u1."}]));
    assert!(still.seen.starts_with("Users still has the item"), "{}", still.seen);
    let version = refusal(json!([{"item": {"table": "Users", "key": {"UserId": {"S": "u1"}},
        "attributes": {"Version": {"N": "2"}}}, "missing": "m"}]));
    assert_eq!(version.seen, "Users: the item.Version.N is \"1\", expected \"2\"");
    let table = refusal(json!([{"item": {"table": "Nope", "key": {"UserId": {"S": "u1"}}}, "missing": "m"}]));
    assert_eq!(table.seen, "Nope: Requested resource not found");
}

#[test]
fn state_runs_a_read_only_operation() {
    assert!(passes(json!([{"state": {"op": "DescribeTable", "request": {"TableName": "Users"},
        "response": {"Table": {"ItemCount": 1, "KeySchema": [{"AttributeName": "UserId"}]}}}, "missing": "m"}])));
    let count = refusal(json!([{"state": {"op": "DescribeTable", "request": {"TableName": "Users"},
        "response": {"Table": {"ItemCount": 2}}}, "missing": "Add a second user."}]));
    assert_eq!(count.seen, "DescribeTable: Table.ItemCount is 1, expected 2");
    let failed = refusal(json!([{"state": {"op": "DescribeTable", "request": {"TableName": "Nope"},
        "response": {}}, "missing": "m"}]));
    assert!(failed.seen.starts_with("DescribeTable failed: ResourceNotFoundException"), "{}", failed.seen);
}

#[test]
fn the_first_failing_predicate_is_the_refusal() {
    let no = refusal(json!([
        {"sent": {"op": "GetItem"}, "missing": "first"},
        {"sent": {"op": "Scan"}, "missing": "second"},
        {"sent": {"op": "Query"}, "missing": "third"}
    ]));
    assert_eq!(no.missing, "second");
    assert_eq!(no.to_string(), "second (no Scan request has been sent in this step yet)");
}

#[test]
fn reading_refuses_what_a_check_cannot_mean() {
    let err = |value: Value| Check::from_json(&value, "check").unwrap_err();
    assert_eq!(err(json!([])), "check: a check needs at least one predicate");
    assert_eq!(err(json!([{"sent": {"op": "Query"}}])), "check[0]: \"missing\" is missing");
    assert_eq!(
        err(json!([{"sent": {"op": "Query"}, "item": {}, "missing": "m"}])),
        "check[0]: a predicate is exactly one of \"sent\", \"item\" or \"state\""
    );
    assert_eq!(
        err(json!([{"sent": {"op": "Qurey"}, "missing": "m"}])),
        "check[0].sent.op: no operation is called \"Qurey\""
    );
    assert_eq!(
        err(json!([{"sent": {"op": "Query", "respones": {}}, "missing": "m"}])),
        "check[0].sent: unknown member \"respones\""
    );
    assert!(err(json!([{"state": {"op": "Scan", "request": {}, "response": {}}, "missing": "m"}]))
        .contains("a check may only look"));
    assert!(err(json!([{"state": {"op": "PutItem", "request": {}, "response": {}}, "missing": "m"}]))
        .contains("a check may only look"));
    assert!(err(json!([{"sent": {"op": "Query", "request": {"a": {"$bad": 1}}}, "missing": "m"}]))
        .contains("unknown operator"));
    assert!(err(
        json!([{"item": {"table": "T", "key": {}, "exists": false, "attributes": {}}, "missing": "m"}])
    )
    .contains("no attributes"));
}

/// A global table in us-east-1 and us-west-2, an item written in us-west-2 and not yet
/// arrived in us-east-1.
#[test]
fn predicates_can_look_at_another_region() {
    let mut engine = Engine::new();
    engine.set_now(1_767_225_600_000);
    script::run_clean(
        &mut engine,
        &steps(json!([
            {"op": "CreateTable", "request": {"TableName": "Music", "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}},
            {"op": "UpdateTable", "request": {"TableName": "Music",
                "ReplicaUpdates": [{"Create": {"RegionName": "us-west-2"}}]}},
            {"op": "PlaygroundAdvanceTime", "request": {"Milliseconds": 10000}}
        ])),
    )
    .unwrap();
    let log = script::run(
        &mut engine,
        &steps(json!([
            {"op": "PutItem", "region": "us-west-2", "request": {"TableName": "Music", "Item": {"pk": {"S": "a"}}}}
        ])),
    );
    let west = json!({"table": "Music", "key": {"pk": {"S": "a"}}, "region": "us-west-2"});
    assert!(check(json!([{"item": west, "missing": "m"}])).evaluate(&mut engine, &log).is_ok());
    let east =
        check(json!([{"item": {"table": "Music", "key": {"pk": {"S": "a"}}}, "missing": "Wait for it."}]));
    assert_eq!(east.evaluate(&mut engine, &log).unwrap_err().missing, "Wait for it.");
    let sent = |region: &str| json!([{"sent": {"op": "PutItem", "region": region}, "missing": "Write it in us-west-2."}]);
    assert!(check(sent("us-west-2")).evaluate(&mut engine, &log).is_ok());
    let wrong = check(sent("eu-west-1")).evaluate(&mut engine, &log).unwrap_err();
    assert_eq!(wrong.seen, "your last PutItem: it was sent to us-west-2, expected eu-west-1");
    let state = json!([{"state": {"op": "DescribeTable", "region": "us-west-2", "request": {"TableName": "Music"},
        "response": {"Table": {"Replicas": [{"RegionName": "us-east-1"}]}}}, "missing": "m"}]);
    assert!(check(state).evaluate(&mut engine, &log).is_ok());
}
