//! Robustness property tests: whatever a client sends, the engine answers with a response or a
//! well-formed DynamoDB error — it never panics, never overflows its stack, never reports an
//! InternalServerError, and a request that fails leaves the data exactly as it was.
//!
//! - (a) random bytes, random JSON, and valid requests with members replaced by random JSON
//!   (wrong types for every known member name), sent to every operation;
//! - (b) random expression text — both token soup from the expression alphabet and
//!   grammar-shaped expressions with random types — in every expression slot, plus very long
//!   and deeply nested expressions;
//! - (c) mutated valid requests (dropped members, changed types, corrupt numbers, duplicate set
//!   members, strings near and over the size limits, empty key strings), checking that a failed
//!   request changed nothing;
//! - (d) requests built from each operation's own schema (`OperationSpec::request_members`:
//!   member names, JSON shapes, enums and bounds), with values that reach past validation (the
//!   table, its keys and indexes, its stream) mixed with values at and beyond every bound;
//! - (e) every golden case's request, mutated as in (c), on the state its setup builds.
//!
//! Every operation of the registry (`dynaplay_engine::OPERATIONS`) is exercised by (a), (d)
//! and (e); a test checks that (d) produces requests for each. A panic inside the engine fails
//! the test with the request that caused it.

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};

use std::sync::OnceLock;

use dynaplay_engine::schema::{Field, Rule, Shape};
use dynaplay_engine::{ApiError, Engine, ErrorKind, OPERATIONS};
use dynaplay_tests::golden;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{json, Map, Value};

const TABLE: &str = "Robust";
/// Every member name any operation's request has, at any depth (from the registry's
/// schemas), so random requests hit each one.
fn member_names() -> Vec<&'static str> {
    fn walk(fields: &'static [Field], out: &mut BTreeSet<&'static str>) {
        for field in fields {
            out.insert(field.name);
            walk_shape(&field.shape, out);
        }
    }
    fn walk_shape(shape: &'static Shape, out: &mut BTreeSet<&'static str>) {
        match shape {
            Shape::List(inner) | Shape::Map(inner) => walk_shape(inner, out),
            Shape::Struct(_, fields) => walk(fields, out),
            _ => {}
        }
    }
    let mut names = BTreeSet::new();
    for spec in OPERATIONS {
        walk(spec.request_members(), &mut names);
    }
    names.into_iter().collect()
}

/// Names found inside members besides the schemas' own: attribute-value types and the
/// table's attributes.
const NESTED_NAMES: [&str; 14] =
    ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS", "pk", "sk", "title", "label"];

/// Strings that mean something to the engine, so random values are sometimes almost right.
const INTERESTING_STRINGS: [&str; 30] = [
    "",
    TABLE,
    "byTitle",
    "byLabel",
    "S",
    "N",
    "HASH",
    "RANGE",
    "ALL_ATTRIBUTES",
    "ALL_PROJECTED_ATTRIBUTES",
    "SPECIFIC_ATTRIBUTES",
    "COUNT",
    "ALL_OLD",
    "ALL_NEW",
    "UPDATED_OLD",
    "UPDATED_NEW",
    "NONE",
    "TOTAL",
    "INDEXES",
    "PAY_PER_REQUEST",
    "1",
    "-1.5",
    "1e400",
    "NaN",
    "true",
    "pk = :pk",
    "SET #a = :v",
    "attribute_exists(pk)",
    "#a",
    ":v",
];

/// Every error name DynamoDB (and so the engine) may answer with.
const KNOWN_ERRORS: [&str; 36] = [
    "InvalidExportTimeException",
    "ExportNotFoundException",
    "ExportConflictException",
    "ImportNotFoundException",
    "ImportConflictException",
    "ValidationException",
    "SerializationException",
    "UnknownOperationException",
    "ResourceNotFoundException",
    "ResourceInUseException",
    "ConditionalCheckFailedException",
    "TransactionCanceledException",
    "TransactionConflictException",
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "LimitExceededException",
    "IdempotentParameterMismatchException",
    "DuplicateItemException",
    "AccessDeniedException",
    "TableNotFoundException",
    "ExpiredIteratorException",
    "TrimmedDataAccessException",
    "PolicyNotFoundException",
    // Global tables: the legacy API's, and a strongly consistent table's.
    "GlobalTableNotFoundException",
    "ReplicatedWriteConflictException",
    // DAX's management API.
    "ClusterNotFoundFault",
    "ClusterAlreadyExistsFault",
    "ParameterGroupNotFoundFault",
    "ParameterGroupAlreadyExistsFault",
    "InvalidParameterGroupStateFault",
    "InvalidParameterValueException",
    // Application Auto Scaling's.
    "ObjectNotFoundException",
    // Backups and restores.
    "BackupNotFoundException",
    "TableAlreadyExistsException",
    "PointInTimeRecoveryUnavailableException",
    "InvalidRestoreTimeException",
];

// ---------------------------------------------------------------------------------------------
// The engine under test and the checks every answer must pass
// ---------------------------------------------------------------------------------------------

/// An engine holding one table (pk S, sk N) with a global index on `title`/`qty`, a local
/// index on `label` and a stream, a dozen items of every attribute type, and a workload.
fn engine_with_items() -> Engine {
    let mut engine = Engine::new();
    engine.set_now(1_767_225_600_000);
    engine
        .handle_json(
            "CreateTable",
            json!({
                "TableName": TABLE,
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                "AttributeDefinitions": [
                    {"AttributeName": "pk", "AttributeType": "S"},
                    {"AttributeName": "sk", "AttributeType": "N"},
                    {"AttributeName": "title", "AttributeType": "S"},
                    {"AttributeName": "qty", "AttributeType": "N"},
                    {"AttributeName": "label", "AttributeType": "S"}
                ],
                "GlobalSecondaryIndexes": [{
                    "IndexName": "byTitle",
                    "KeySchema": [{"AttributeName": "title", "KeyType": "HASH"}, {"AttributeName": "qty", "KeyType": "RANGE"}],
                    "Projection": {"ProjectionType": "ALL"}
                }],
                "LocalSecondaryIndexes": [{
                    "IndexName": "byLabel",
                    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "label", "KeyType": "RANGE"}],
                    "Projection": {"ProjectionType": "KEYS_ONLY"}
                }],
                // One dimension, so that a random SearchVector of one number fits it.
                "VectorIndexes": [{
                    "IndexName": "byVector", "VectorAttribute": {"AttributeName": "embedding"},
                    "Projection": {"ProjectionType": "ALL"}, "Dimensions": 1, "DistanceFunction": "COSINE"
                }],
                "BillingMode": "PAY_PER_REQUEST",
                "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}
            }),
        )
        .expect("CreateTable");
    for i in 0..12 {
        let item = json!({
            "pk": {"S": (["a", "b", "c"][i % 3])},
            "sk": {"N": format!("{}", i as i64 - 4)},
            "title": {"S": (["x", "y"][i % 2])},
            "qty": {"N": format!("{}.5", i)},
            "label": {"S": format!("l{i}")},
            "flag": {"BOOL": i % 2 == 0},
            "nothing": {"NULL": true},
            "tags": {"SS": ["red", "blue"]},
            "nums": {"NS": ["1", "2.5"]},
            "blobs": {"BS": ["AAEC"]},
            "bin": {"B": "AAECAw=="},
            "parts": {"L": [{"S": "x"}, {"N": "1"}, {"L": []}]},
            "doc": {"M": {"k": {"S": "v"}, "n": {"M": {"deep": {"N": "7"}}}}}
        });
        engine.handle_json("PutItem", json!({"TableName": TABLE, "Item": item})).expect("PutItem");
    }
    // A workload (WorkloadId 1) of one request, so there is one to stop; bounded so that
    // moving time stays cheap.
    engine
        .handle_json(
            "PlaygroundStartWorkload",
            json!({"TableName": TABLE, "RequestsPerSecond": 1, "DurationSeconds": 1}),
        )
        .expect("PlaygroundStartWorkload");
    // A resource-based policy, so there is one to get and to delete.
    let table_arn = format!("arn:aws:dynamodb:us-east-1:000000000000:table/{TABLE}");
    engine
        .handle_json("PutResourcePolicy", json!({"ResourceArn": table_arn, "Policy": POLICIES[0]}))
        .expect("PutResourcePolicy");
    // A DAX cluster to send requests through, and a parameter group no cluster uses.
    engine
        .handle_json(
            "CreateCluster",
            json!({"ClusterName": "c1", "NodeType": "dax.t3.small", "ReplicationFactor": 1, "IamRoleArn": DAX_ROLE}),
        )
        .expect("CreateCluster");
    engine
        .handle_json("CreateParameterGroup", json!({"ParameterGroupName": "pg"}))
        .expect("CreateParameterGroup");
    // Auto scaling: the table's read capacity registered, with a policy.
    let target = json!({"ServiceNamespace": "dynamodb", "ResourceId": format!("table/{TABLE}"),
                        "ScalableDimension": "dynamodb:table:ReadCapacityUnits"});
    let mut register = target.clone();
    register["MinCapacity"] = json!(1);
    register["MaxCapacity"] = json!(100);
    engine.handle_json("RegisterScalableTarget", register).expect("RegisterScalableTarget");
    let mut policy = target;
    policy["PolicyName"] = json!("p1");
    policy["PolicyType"] = json!("TargetTrackingScaling");
    policy["TargetTrackingScalingPolicyConfiguration"] = json!({"TargetValue": 70.0,
        "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBReadCapacityUtilization"}});
    engine.handle_json("PutScalingPolicy", policy).expect("PutScalingPolicy");
    // An identity to list, explain and delete (requests are still sent as no one).
    engine
        .handle_json(
            "PlaygroundPutIdentity",
            json!({"IdentityName": "alice",
                   "AccessKeys": [{"AccessKeyId": "AKIAALICE00000000000", "SecretAccessKey": "s"}],
                   "Policies": [{"PolicyName": "all", "PolicyDocument": IDENTITY_POLICY}]}),
        )
        .expect("PlaygroundPutIdentity");
    // Point-in-time recovery on, and a backup to describe, restore and delete.
    let pitr =
        json!({"TableName": TABLE, "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}});
    engine.handle_json("UpdateContinuousBackups", pitr).expect("UpdateContinuousBackups");
    engine
        .handle_json("CreateBackup", json!({"TableName": TABLE, "BackupName": "fixture"}))
        .expect("CreateBackup");
    // An export (into the object store), an import of it, and an object of one's own.
    let arn = "arn:aws:dynamodb:us-east-1:000000000000:table/".to_owned() + TABLE;
    engine
        .handle_json("ExportTableToPointInTime", json!({"TableArn": arn, "S3Bucket": "exports"}))
        .expect("ExportTableToPointInTime");
    engine
        .handle_json(
            "ImportTable",
            json!({"S3BucketSource": {"S3Bucket": "exports"}, "InputFormat": "DYNAMODB_JSON",
                   "InputCompressionType": "GZIP",
                   "TableCreationParameters": {"TableName": "Imported", "BillingMode": "PAY_PER_REQUEST",
                       "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                       "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}}),
        )
        .expect("ImportTable");
    engine
        .handle_json("PlaygroundPutObject", json!({"Bucket": "inbox", "Key": "a.csv", "Body": "cGsKYQo="}))
        .expect("PlaygroundPutObject");
    engine
}

/// An identity-based policy the fixture's identity has (and requests may give others).
const IDENTITY_POLICY: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"}]}"#;

/// The IAM role a DAX cluster names (never checked).
const DAX_ROLE: &str = "arn:aws:iam::000000000000:role/DAXServiceRole";

/// Resource-based policy documents (stored, never evaluated).
const POLICIES: [&str; 2] = [r#"{"Version": "2012-10-17", "Statement": []}"#, "{}"];

/// Runs one request, turning a panic into a test failure that names the request.
fn run(engine: &mut Engine, op: &str, request: &Value) -> Result<Result<Value, ApiError>, TestCaseError> {
    catch_unwind(AssertUnwindSafe(|| engine.handle_json(op, request.clone())))
        .map_err(|_| TestCaseError::fail(format!("{op} panicked on {}", abbreviate(request))))
}

fn run_raw(engine: &mut Engine, op: &str, body: &[u8]) -> Result<Result<Value, ApiError>, TestCaseError> {
    catch_unwind(AssertUnwindSafe(|| engine.handle(op, body))).map_err(|_| {
        TestCaseError::fail(format!("{op} panicked on raw body {:?}", String::from_utf8_lossy(body)))
    })
}

/// Long requests (400 KB strings) are cut down so a failure message stays readable.
fn abbreviate(value: &Value) -> String {
    let text = value.to_string();
    if text.len() > 2000 {
        format!("{}… ({} bytes)", text.chars().take(2000).collect::<String>(), text.len())
    } else {
        text
    }
}

/// The wire prefix each kind of error must carry.
fn expected_prefix(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Validation => "com.amazon.coral.validate#",
        ErrorKind::Serialization | ErrorKind::UnknownOperation | ErrorKind::AccessDenied => {
            "com.amazon.coral.service#"
        }
        // DAX's faults go by their bare names.
        ErrorKind::ClusterNotFound
        | ErrorKind::ClusterAlreadyExists
        | ErrorKind::ParameterGroupNotFound
        | ErrorKind::ParameterGroupAlreadyExists
        | ErrorKind::InvalidParameterGroupState
        | ErrorKind::InvalidParameterValue
        | ErrorKind::ObjectNotFound => "",
        _ => "com.amazonaws.dynamodb.v20120810#",
    }
}

/// A response is a JSON object; an error is a well-formed DynamoDB error body, status 400, and
/// never an InternalServerError (which would mean the engine hit a bug).
/// `request` is only rendered (abbreviated) when a check fails.
fn check_well_formed(
    op: &str,
    request: &Value,
    result: &Result<Value, ApiError>,
) -> Result<(), TestCaseError> {
    match result {
        Ok(response) => {
            prop_assert!(
                response.is_object(),
                "{} answered a non-object {} to {}",
                op,
                response,
                abbreviate(request)
            );
        }
        Err(err) => {
            prop_assert!(
                err.kind != ErrorKind::InternalServerError,
                "{} gave InternalServerError ({}) on {}",
                op,
                err.message,
                abbreviate(request)
            );
            prop_assert_eq!(err.status(), 400);
            let body = err.to_json();
            let type_name = body["__type"].as_str().unwrap_or_default();
            let name = err.kind.name();
            prop_assert!(KNOWN_ERRORS.contains(&name), "unknown error name {}", name);
            prop_assert_eq!(type_name, format!("{}{}", expected_prefix(err.kind), name));
            prop_assert!(body["message"].is_string(), "message is not a string: {}", body);
            if matches!(err.kind, ErrorKind::Validation | ErrorKind::Serialization) {
                prop_assert!(
                    !err.message.is_empty(),
                    "{} with an empty message on {}",
                    name,
                    abbreviate(request)
                );
            }
        }
    }
    Ok(())
}

/// Everything a client can observe about the data: the table list and every item of every
/// table. Items are sorted so the comparison does not depend on scan order.
fn snapshot(engine: &mut Engine) -> Value {
    let tables = engine.handle_json("ListTables", json!({})).map_err(|e| e.to_json());
    let names: Vec<String> = tables
        .as_ref()
        .ok()
        .and_then(|t| t["TableNames"].as_array())
        .into_iter()
        .flatten()
        .filter_map(|n| n.as_str().map(str::to_owned))
        .collect();
    let mut contents = Map::new();
    for name in names {
        let mut items = Vec::new();
        let mut start: Option<Value> = None;
        let scan = loop {
            let mut request = json!({ "TableName": name });
            if let Some(start) = start.take() {
                request["ExclusiveStartKey"] = start;
            }
            match engine.handle_json("Scan", request) {
                Ok(page) => {
                    items.extend(page["Items"].as_array().cloned().unwrap_or_default());
                    match page.get("LastEvaluatedKey") {
                        Some(last) => start = Some(last.clone()),
                        None => break Ok(()),
                    }
                }
                Err(e) => break Err(e.to_json()),
            }
        };
        items.sort_by_key(Value::to_string);
        contents.insert(name, json!({ "scan": format!("{scan:?}"), "items": items }));
    }
    json!({ "tables": format!("{tables:?}"), "contents": contents })
}

/// Sends one request and checks the answer; when `check_state` is set, a failed request must
/// leave the data unchanged.
fn send(engine: &mut Engine, op: &str, request: &Value, check_state: bool) -> Result<(), TestCaseError> {
    send_and_answer(engine, op, request, check_state).map(drop)
}

/// [`send`], also returning the engine's answer.
fn send_and_answer(
    engine: &mut Engine,
    op: &str,
    request: &Value,
    check_state: bool,
) -> Result<Result<Value, ApiError>, TestCaseError> {
    let before = check_state.then(|| snapshot(engine));
    let result = run(engine, op, request)?;
    check_well_formed(op, request, &result)?;
    if let (Some(before), Err(err)) = (before, &result) {
        let after = snapshot(engine);
        prop_assert!(
            before == after,
            "{} failed ({}: {}) but changed the data; request {}",
            op,
            err.kind.name(),
            err.message,
            abbreviate(request)
        );
    }
    Ok(result)
}

// ---------------------------------------------------------------------------------------------
// Valid requests: the starting point for (a) and (c)
// ---------------------------------------------------------------------------------------------

/// A full item with every attribute type, matching the table's key and index types.
fn full_item() -> Value {
    json!({
        "pk": {"S": "a"},
        "sk": {"N": "2.50"},
        "title": {"S": "x"},
        "qty": {"N": "-1e2"},
        "label": {"S": "lab"},
        "flag": {"BOOL": true},
        "nothing": {"NULL": true},
        "tags": {"SS": ["red", "green"]},
        "nums": {"NS": ["1", "2.5", "-3"]},
        "blobs": {"BS": ["AAEC", "AQID"]},
        "bin": {"B": "AAECAw=="},
        "note": {"S": "some text"},
        "parts": {"L": [{"S": "x"}, {"N": "1.0"}, {"M": {"k": {"BOOL": false}}}]},
        "doc": {"M": {"k": {"S": "v"}, "nest": {"L": [{"NULL": true}]}}}
    })
}

/// One valid request per operation and feature: each succeeds against [`engine_with_items`].
fn valid_requests() -> Vec<(&'static str, Value)> {
    vec![
        ("PutItem", json!({"TableName": TABLE, "Item": full_item()})),
        (
            "PutItem",
            json!({
                "TableName": TABLE, "Item": full_item(),
                "ConditionExpression": "attribute_not_exists(#p) OR #q < :q",
                "ExpressionAttributeNames": {"#p": "pk", "#q": "qty"},
                "ExpressionAttributeValues": {":q": {"N": "100"}},
                "ReturnValues": "ALL_OLD",
                "ReturnConsumedCapacity": "TOTAL"
            }),
        ),
        (
            "GetItem",
            json!({
                "TableName": TABLE, "Key": {"pk": {"S": "a"}, "sk": {"N": "-1"}},
                "ProjectionExpression": "#t, doc.nest[0], parts[1], tags",
                "ExpressionAttributeNames": {"#t": "title"},
                "ConsistentRead": true
            }),
        ),
        (
            "GetItem",
            json!({"TableName": TABLE, "Key": {"pk": {"S": "b"}, "sk": {"N": "-3"}}, "AttributesToGet": ["qty", "pk"]}),
        ),
        (
            "UpdateItem",
            json!({
                "TableName": TABLE, "Key": {"pk": {"S": "a"}, "sk": {"N": "-4"}},
                "UpdateExpression": "SET #t = :t, note = if_not_exists(note, :n), parts = list_append(parts, :l), qty = qty + :one REMOVE flag ADD nums :ns DELETE tags :ss",
                "ConditionExpression": "attribute_exists(pk) AND size(tags) > :zero AND begins_with(#t, :x)",
                "ExpressionAttributeNames": {"#t": "title"},
                "ExpressionAttributeValues": {
                    ":t": {"S": "xyz"}, ":n": {"S": "n"}, ":l": {"L": [{"N": "9"}]}, ":one": {"N": "1"},
                    ":ns": {"NS": ["7"]}, ":ss": {"SS": ["red"]}, ":zero": {"N": "0"}, ":x": {"S": "x"}
                },
                "ReturnValues": "UPDATED_NEW"
            }),
        ),
        (
            "UpdateItem",
            json!({
                "TableName": TABLE, "Key": {"pk": {"S": "z"}, "sk": {"N": "1"}},
                "UpdateExpression": "SET doc = :m, tally = :c",
                "ExpressionAttributeValues": {":m": {"M": {"a": {"N": "1"}}}, ":c": {"N": "0"}},
                "ReturnValues": "ALL_NEW"
            }),
        ),
        (
            "DeleteItem",
            json!({
                "TableName": TABLE, "Key": {"pk": {"S": "b"}, "sk": {"N": "0"}},
                "ConditionExpression": "contains(tags, :r) AND attribute_type(qty, :n) AND qty BETWEEN :lo AND :hi",
                "ExpressionAttributeValues": {":r": {"S": "red"}, ":n": {"S": "N"}, ":lo": {"N": "0"}, ":hi": {"N": "100"}},
                "ReturnValues": "ALL_OLD",
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD"
            }),
        ),
        (
            "Query",
            json!({
                "TableName": TABLE,
                "KeyConditionExpression": "pk = :pk AND sk BETWEEN :lo AND :hi",
                "FilterExpression": "qty > :q OR NOT flag IN (:t, :f)",
                "ProjectionExpression": "pk, sk, qty, doc.k",
                "ExpressionAttributeValues": {
                    ":pk": {"S": "a"}, ":lo": {"N": "-4"}, ":hi": {"N": "7.5"}, ":q": {"N": "2"},
                    ":t": {"BOOL": true}, ":f": {"BOOL": false}
                },
                "Limit": 2,
                "ScanIndexForward": false,
                "ExclusiveStartKey": {"pk": {"S": "a"}, "sk": {"N": "5"}}
            }),
        ),
        (
            "Query",
            json!({
                "TableName": TABLE, "IndexName": "byTitle",
                "KeyConditionExpression": "title = :t AND qty >= :q",
                "ExpressionAttributeValues": {":t": {"S": "x"}, ":q": {"N": "1"}},
                "Select": "COUNT"
            }),
        ),
        (
            "Query",
            json!({
                "TableName": TABLE, "IndexName": "byLabel",
                "KeyConditionExpression": "pk = :p AND begins_with(label, :l)",
                "ExpressionAttributeValues": {":p": {"S": "b"}, ":l": {"S": "l"}},
                "Select": "ALL_PROJECTED_ATTRIBUTES",
                "ReturnConsumedCapacity": "INDEXES"
            }),
        ),
        (
            "Scan",
            json!({
                "TableName": TABLE, "Segment": 1, "TotalSegments": 3, "Limit": 4,
                "FilterExpression": "size(parts) >= :two",
                "ExpressionAttributeValues": {":two": {"N": "2"}},
                "ExclusiveStartKey": {"pk": {"S": "c"}, "sk": {"N": "-2"}}
            }),
        ),
        (
            "Scan",
            json!({"TableName": TABLE, "IndexName": "byTitle", "Select": "ALL_ATTRIBUTES", "ConsistentRead": false}),
        ),
        ("DescribeTable", json!({"TableName": TABLE})),
        ("ListTables", json!({"Limit": 5, "ExclusiveStartTableName": "Aaa"})),
        (
            "CreateTable",
            json!({
                "TableName": "Other",
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "B"}],
                "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
            }),
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// (a) Random bytes and random JSON
// ---------------------------------------------------------------------------------------------

/// Any operation of the registry.
fn operation() -> impl Strategy<Value = &'static str> {
    prop::sample::select(OPERATIONS.iter().map(|spec| spec.name).collect::<Vec<_>>())
}

fn json_string() -> impl Strategy<Value = String> {
    prop_oneof![prop::sample::select(INTERESTING_STRINGS.to_vec()).prop_map(str::to_owned), "\\PC{0,12}"]
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(vec![0i64, 1, -1, 3, 25, 100, 1001, i64::from(i32::MAX) + 1])
            .prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        json_string().prop_map(Value::from),
    ]
}

fn member_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(member_names()).prop_map(str::to_owned),
        prop::sample::select(NESTED_NAMES.to_vec()).prop_map(str::to_owned),
        "[#:]?[a-z]{1,3}",
    ]
}

/// Arbitrary nested JSON whose object keys are mostly names the engine looks for.
fn json_value() -> BoxedStrategy<Value> {
    json_leaf()
        .prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map(member_name(), inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
        .boxed()
}

/// A valid request with some members replaced by (or added as) random JSON: this puts wrong
/// types under every known member name.
fn request_with_random_members() -> impl Strategy<Value = (&'static str, Value)> {
    let bases = valid_requests();
    (
        prop::sample::select(bases),
        prop::collection::vec((prop::sample::select(member_names()), json_value()), 1..4),
    )
        .prop_map(|((op, mut request), replacements)| {
            for (name, value) in replacements {
                request[name] = value;
            }
            (op, request)
        })
}

/// A request built only from random members, usually aimed at the real table.
fn random_member_request() -> impl Strategy<Value = Value> {
    (prop::collection::btree_map(prop::sample::select(member_names()), json_value(), 0..6), any::<bool>())
        .prop_map(|(members, aim_at_table)| {
            let mut request: Map<String, Value> =
                members.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            if aim_at_table {
                request.insert("TableName".into(), json!(TABLE));
            }
            Value::Object(request)
        })
}

/// Raw bodies: random bytes, and serialized valid requests with a few bytes overwritten.
fn raw_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..64),
        (
            prop::sample::select(valid_requests()),
            prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4)
        )
            .prop_map(|((_, request), edits)| {
                let mut bytes = request.to_string().into_bytes();
                for (at, byte) in edits {
                    let i = at.index(bytes.len());
                    bytes[i] = byte;
                }
                bytes
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(op in operation(), body in raw_body()) {
        let mut engine = engine_with_items();
        let result = run_raw(&mut engine, op, &body)?;
        check_well_formed(op, &Value::from(String::from_utf8_lossy(&body)), &result)?;
    }

    #[test]
    fn random_json_never_panics(op in operation(), request in prop_oneof![json_value(), random_member_request()]) {
        let mut engine = engine_with_items();
        send(&mut engine, op, &request, true)?;
    }

    #[test]
    fn wrong_member_types_never_panic((op, request) in request_with_random_members(), other_op in operation()) {
        let mut engine = engine_with_items();
        send(&mut engine, op, &request, true)?;
        // The same body sent to another operation: members it does not expect.
        send(&mut engine, other_op, &request, true)?;
    }
}

// ---------------------------------------------------------------------------------------------
// (b) Random expression text
// ---------------------------------------------------------------------------------------------

/// Attribute names, two of them reserved words (`Name`, `COUNT`) that need a placeholder.
const IDENTIFIERS: [&str; 12] =
    ["a", "b", "pk", "sk", "title", "qty", "tags", "parts", "doc", "Name", "COUNT", "x1"];
const NAME_PLACEHOLDERS: [&str; 6] = ["#a", "#b", "#pk", "#sk", "#1", "#l"];
const VALUE_PLACEHOLDERS: [&str; 6] = [":v", ":w", ":n", ":s", ":1", ":pk"];
const FUNCTIONS: [&str; 8] = [
    "attribute_exists",
    "attribute_not_exists",
    "attribute_type",
    "begins_with",
    "contains",
    "size",
    "if_not_exists",
    "list_append",
];
const SYMBOLS: [&str; 26] = [
    "=",
    "<>",
    "<",
    "<=",
    ">",
    ">=",
    "+",
    "-",
    "(",
    ")",
    "[",
    "]",
    ".",
    ",",
    "0",
    "1",
    "10",
    "-1",
    "99999999999999999999",
    "SET",
    "REMOVE",
    "ADD",
    "DELETE",
    "AND",
    "OR",
    "NOT",
];
const MORE_KEYWORDS: [&str; 5] = ["BETWEEN", "IN", "SELECT", "VALUE", "TABLE"];

/// What each placeholder stands for: values of many types, so evaluation meets type mismatches.
fn placeholder_names() -> Map<String, Value> {
    let names =
        [("#a", "title"), ("#b", "qty"), ("#pk", "pk"), ("#sk", "sk"), ("#1", "tags"), ("#l", "label")];
    names.iter().map(|(k, v)| ((*k).to_owned(), json!(v))).collect()
}

fn placeholder_values() -> Map<String, Value> {
    json!({
        ":v": {"S": "x"},
        ":w": {"N": "2.5"},
        ":n": {"NS": ["1", "2"]},
        ":s": {"SS": ["red"]},
        ":1": {"L": [{"N": "1"}, {"M": {}}]},
        ":pk": {"S": "a"}
    })
    .as_object()
    .cloned()
    .unwrap_or_default()
}

/// Free-form text from the expression alphabet, in any order.
fn token_soup() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        3 => prop::sample::select(IDENTIFIERS.to_vec()).prop_map(str::to_owned),
        2 => prop::sample::select(NAME_PLACEHOLDERS.to_vec()).prop_map(str::to_owned),
        2 => prop::sample::select(VALUE_PLACEHOLDERS.to_vec()).prop_map(str::to_owned),
        2 => prop::sample::select(FUNCTIONS.to_vec()).prop_map(str::to_owned),
        4 => prop::sample::select(SYMBOLS.to_vec()).prop_map(str::to_owned),
        1 => prop::sample::select(MORE_KEYWORDS.to_vec()).prop_map(str::to_owned),
        1 => "\\PC{1,3}",
        1 => prop::sample::select(vec!["\u{0}", "\u{1F600}", "\u{FEFF}", "\t", "\n", "\"", "'", "`", "$", "\\"]).prop_map(str::to_owned),
    ];
    (prop::collection::vec(token, 0..40), any::<bool>())
        .prop_map(|(tokens, spaced)| tokens.join(if spaced { " " } else { "" }))
}

fn path() -> impl Strategy<Value = String> {
    let start = prop_oneof![
        prop::sample::select(IDENTIFIERS.to_vec()),
        prop::sample::select(NAME_PLACEHOLDERS.to_vec()),
    ];
    let step = prop_oneof![
        prop::sample::select(vec![".a", ".k", ".#a", ".deep"]).prop_map(str::to_owned),
        (0u32..4).prop_map(|i| format!("[{i}]")),
    ];
    (start, prop::collection::vec(step, 0..3)).prop_map(|(s, steps)| format!("{s}{}", steps.concat()))
}

fn operand() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => path(),
        3 => prop::sample::select(VALUE_PLACEHOLDERS.to_vec()).prop_map(str::to_owned),
        1 => path().prop_map(|p| format!("size({p})")),
    ]
}

/// A condition shaped like the grammar, so many parse and reach evaluation.
fn condition() -> impl Strategy<Value = String> {
    let comparator = prop::sample::select(vec!["=", "<>", "<", "<=", ">", ">="]);
    let leaf = prop_oneof![
        (operand(), comparator, operand()).prop_map(|(a, c, b)| format!("{a} {c} {b}")),
        (operand(), operand(), operand()).prop_map(|(a, b, c)| format!("{a} BETWEEN {b} AND {c}")),
        (operand(), prop::collection::vec(operand(), 1..4))
            .prop_map(|(a, list)| format!("{a} IN ({})", list.join(", "))),
        (prop::sample::select(vec!["attribute_exists", "attribute_not_exists"]), path())
            .prop_map(|(f, p)| format!("{f}({p})")),
        (path(), operand()).prop_map(|(p, v)| format!("attribute_type({p}, {v})")),
        (prop::sample::select(vec!["begins_with", "contains"]), operand(), operand())
            .prop_map(|(f, a, b)| format!("{f}({a}, {b})")),
    ];
    leaf.prop_recursive(4, 16, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| format!("({c})")),
            inner.clone().prop_map(|c| format!("NOT {c}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} AND {b}")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("{a} OR {b}")),
        ]
    })
}

fn update_expression() -> impl Strategy<Value = String> {
    let set_value = prop_oneof![
        operand(),
        (operand(), prop::sample::select(vec!["+", "-"]), operand())
            .prop_map(|(a, o, b)| format!("{a} {o} {b}")),
        (path(), operand()).prop_map(|(p, v)| format!("if_not_exists({p}, {v})")),
        (operand(), operand()).prop_map(|(a, b)| format!("list_append({a}, {b})")),
    ];
    let clause = prop_oneof![
        prop::collection::vec((path(), set_value), 1..3).prop_map(|sets| {
            format!("SET {}", sets.iter().map(|(p, v)| format!("{p} = {v}")).collect::<Vec<_>>().join(", "))
        }),
        prop::collection::vec(path(), 1..3).prop_map(|paths| format!("REMOVE {}", paths.join(", "))),
        (prop::sample::select(vec!["ADD", "DELETE"]), path(), operand())
            .prop_map(|(k, p, v)| format!("{k} {p} {v}")),
    ];
    prop::collection::vec(clause, 1..4).prop_map(|clauses| clauses.join(" "))
}

fn projection() -> impl Strategy<Value = String> {
    prop::collection::vec(path(), 1..5).prop_map(|paths| paths.join(", "))
}

fn key_condition() -> impl Strategy<Value = String> {
    let partition =
        prop::sample::select(vec!["pk = :pk", "#pk = :pk", "pk = :v", ":pk = pk", "pk = :w", "title = :v"]);
    let sort = prop_oneof![
        Just(String::new()),
        (
            prop::sample::select(vec!["sk", "#sk", "qty", "label"]),
            prop::sample::select(vec!["=", "<", "<=", ">", ">="]),
            operand()
        )
            .prop_map(|(k, c, v)| format!(" AND {k} {c} {v}")),
        (operand(), operand()).prop_map(|(a, b)| format!(" AND sk BETWEEN {a} AND {b}")),
        operand().prop_map(|v| format!(" AND begins_with(sk, {v})")),
        condition().prop_map(|c| format!(" AND {c}")),
    ];
    (partition, sort).prop_map(|(p, s)| format!("{p}{s}"))
}

/// Where an expression goes: operation, expression member, and the rest of the request.
#[derive(Clone, Copy, Debug)]
enum Slot {
    PutCondition,
    Update,
    UpdateCondition,
    DeleteCondition,
    QueryKeyCondition,
    QueryFilter,
    ScanFilter,
    GetProjection,
    QueryProjection,
    ScanProjection,
}

const SLOTS: [Slot; 10] = [
    Slot::PutCondition,
    Slot::Update,
    Slot::UpdateCondition,
    Slot::DeleteCondition,
    Slot::QueryKeyCondition,
    Slot::QueryFilter,
    Slot::ScanFilter,
    Slot::GetProjection,
    Slot::QueryProjection,
    Slot::ScanProjection,
];

/// The placeholders (`#x`, `:x`) that appear in an expression.
fn placeholders_in(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '#' || c == ':'))
        .filter(|t| t.len() > 1 && (t.starts_with('#') || t.starts_with(':')))
        .map(str::to_owned)
        .collect()
}

/// Builds the request that puts `text` into `slot`. Placeholder maps hold exactly the
/// placeholders used, or every known one when `all_placeholders` (then unused ones are an error).
fn slot_request(slot: Slot, text: &str, all_placeholders: bool) -> (&'static str, Value) {
    let key = json!({"pk": {"S": "a"}, "sk": {"N": "0"}});
    // The companion expression a slot needs to form a complete request, if any.
    let (op, member, mut request) = match slot {
        Slot::PutCondition => ("PutItem", "ConditionExpression", json!({"Item": full_item()})),
        Slot::Update => ("UpdateItem", "UpdateExpression", json!({"Key": key, "ReturnValues": "ALL_NEW"})),
        Slot::UpdateCondition => {
            ("UpdateItem", "ConditionExpression", json!({"Key": key, "UpdateExpression": "SET note = :pk"}))
        }
        Slot::DeleteCondition => {
            ("DeleteItem", "ConditionExpression", json!({"Key": key, "ReturnValues": "ALL_OLD"}))
        }
        Slot::QueryKeyCondition => ("Query", "KeyConditionExpression", json!({})),
        Slot::QueryFilter => ("Query", "FilterExpression", json!({"KeyConditionExpression": "pk = :pk"})),
        Slot::ScanFilter => ("Scan", "FilterExpression", json!({})),
        Slot::GetProjection => ("GetItem", "ProjectionExpression", json!({"Key": key})),
        Slot::QueryProjection => {
            ("Query", "ProjectionExpression", json!({"KeyConditionExpression": "pk = :pk"}))
        }
        Slot::ScanProjection => ("Scan", "ProjectionExpression", json!({})),
    };
    request["TableName"] = json!(TABLE);
    request[member] = json!(text);
    let mut used = placeholders_in(text);
    for companion in ["UpdateExpression", "KeyConditionExpression"] {
        if let Some(t) = request.get(companion).and_then(Value::as_str) {
            used.extend(placeholders_in(t));
        }
    }
    let names: Map<String, Value> =
        placeholder_names().into_iter().filter(|(k, _)| all_placeholders || used.contains(k)).collect();
    let values: Map<String, Value> =
        placeholder_values().into_iter().filter(|(k, _)| all_placeholders || used.contains(k)).collect();
    if !names.is_empty() {
        request["ExpressionAttributeNames"] = Value::Object(names);
    }
    if !values.is_empty() {
        request["ExpressionAttributeValues"] = Value::Object(values);
    }
    (op, request)
}

/// Expression text for a slot: token soup, or grammar-shaped text of the slot's kind.
fn expression_for(slot: Slot) -> BoxedStrategy<String> {
    let shaped = match slot {
        Slot::Update => update_expression().boxed(),
        Slot::QueryKeyCondition => key_condition().boxed(),
        Slot::GetProjection | Slot::QueryProjection | Slot::ScanProjection => projection().boxed(),
        _ => condition().boxed(),
    };
    // Occasionally a different kind of expression in the slot (an update where a condition
    // belongs, say).
    prop_oneof![3 => shaped, 2 => token_soup(), 1 => update_expression(), 1 => condition()].boxed()
}

fn slotted_expression() -> impl Strategy<Value = (Slot, String, bool)> {
    prop::sample::select(SLOTS.to_vec())
        .prop_flat_map(|slot| (Just(slot), expression_for(slot), prop::bool::weighted(0.2)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn random_expressions_never_panic((slot, text, all_placeholders) in slotted_expression()) {
        let mut engine = engine_with_items();
        let (op, request) = slot_request(slot, &text, all_placeholders);
        send(&mut engine, op, &request, true)?;
    }
}

/// Deeply nested and very long expressions of each shape, at several sizes; `{}` marks where
/// the nesting goes.
fn deep_expressions(depth: usize) -> Vec<(Slot, String)> {
    let nest = |open: &str, inner: &str, close: &str| {
        format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
    };
    let chain =
        |first: &str, sep: &str, item: &str| format!("{first}{}", format!("{sep}{item}").repeat(depth));
    let mut out = Vec::new();
    for slot in [
        Slot::PutCondition,
        Slot::UpdateCondition,
        Slot::DeleteCondition,
        Slot::QueryFilter,
        Slot::ScanFilter,
    ] {
        out.push((slot, nest("(", "pk = :pk", ")")));
        out.push((slot, format!("{}pk = :pk", "NOT ".repeat(depth))));
        // Flat chains of hundreds of ANDs/ORs fit in 4 KB: they must not recurse per operand.
        out.push((slot, chain("pk = :pk", " AND ", "pk = :pk")));
        out.push((slot, chain("pk = :pk", " OR ", "pk = :pk")));
        out.push((slot, chain("pk = :pk", " OR ", "(pk = :pk") + &")".repeat(depth)));
        out.push((slot, format!("{} = :pk", nest("size(", "title", ")"))));
        out.push((slot, format!("{} = :pk", chain("doc", ".", "a"))));
        out.push((slot, format!("{} = :pk", chain("parts", "", "[0]"))));
        out.push((slot, format!("pk IN ({})", vec![":pk"; depth].join(", "))));
        out.push((slot, nest("(", "", ")")));
        out.push((slot, "(".repeat(depth)));
    }
    out.push((Slot::Update, format!("SET a = {}", nest("(", ":pk", ")"))));
    out.push((Slot::Update, format!("SET a = {}", chain(":w", " + ", ":w"))));
    out.push((Slot::Update, format!("SET a = {}", nest("if_not_exists(a, ", ":pk", ")"))));
    out.push((Slot::Update, format!("SET a = {}", nest("list_append(", ":1", ", :1)"))));
    out.push((Slot::Update, format!("SET {}", vec!["a = :pk"; depth].join(", "))));
    out.push((Slot::Update, format!("REMOVE {}", chain("doc", ".", "a"))));
    out.push((Slot::QueryKeyCondition, format!("{} AND sk > :w", nest("(", "pk = :pk", ")"))));
    out.push((Slot::QueryKeyCondition, nest("(", "pk = :pk AND sk > :w", ")")));
    for slot in [Slot::GetProjection, Slot::QueryProjection, Slot::ScanProjection] {
        out.push((slot, chain("doc", ".", "a")));
        out.push((slot, chain("parts", "", "[0]")));
        out.push((slot, vec!["title"; depth].join(", ")));
        out.push((slot, nest("(", "title", ")")));
    }
    out
}

/// 10,000 nested parentheses (and other deep shapes) must be a ValidationException or a
/// success — never a stack overflow, which would abort this whole test binary.
#[test]
fn deep_and_long_expressions_are_rejected_or_handled() {
    for depth in [10, 120, 300, 1_000, 2_000, 10_000] {
        let mut engine = engine_with_items();
        for (slot, text) in deep_expressions(depth) {
            let (op, request) = slot_request(slot, &text, false);
            let outcome = send_and_answer(&mut engine, op, &request, false);
            let result = outcome.unwrap_or_else(|e| panic!("depth {depth}, {slot:?}: {e}"));
            // Anything but success must be a validation error or a failed condition.
            if let Err(err) = result {
                assert!(
                    matches!(err.kind, ErrorKind::Validation | ErrorKind::ConditionalCheckFailed),
                    "depth {depth}, {slot:?}: {} {}",
                    err.kind.name(),
                    err.message
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// (c) Mutated valid requests
// ---------------------------------------------------------------------------------------------

/// One step into a JSON document.
#[derive(Clone, Debug)]
enum Step {
    Member(String),
    Index(usize),
}

/// Every location in a document, with the value found there.
fn locations(value: &Value) -> Vec<(Vec<Step>, Value)> {
    fn walk(value: &Value, path: &mut Vec<Step>, out: &mut Vec<(Vec<Step>, Value)>) {
        out.push((path.clone(), value.clone()));
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    path.push(Step::Member(k.clone()));
                    walk(v, path, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    walk(v, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

fn at_mut<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Member(k) => v.get_mut(k.as_str()),
        Step::Index(i) => v.get_mut(*i),
    })
}

/// Largest item DynamoDB stores, in bytes.
const ITEM_LIMIT: usize = 400 * 1024;

/// Number strings DynamoDB rejects or that sit at the edges of what it accepts.
const CORRUPT_NUMBERS: [&str; 22] = [
    "",
    " ",
    "1..5",
    "abc",
    "1e999",
    "1E-131",
    "1E-130",
    "9.9999999999999999999999999999999999999E+125",
    "1E+126",
    "-",
    "+1",
    " 1",
    "0x10",
    "123456789012345678901234567890123456789",
    "12345678901234567890123456789012345678",
    "0.000000000000000000000000000000000000001",
    "NaN",
    "Infinity",
    "1,5",
    "--1",
    "1e",
    ".",
];

/// One way to damage a valid request.
#[derive(Clone, Debug)]
enum Mutation {
    /// Remove the member (or array element) at a location.
    Drop(prop::sample::Index),
    /// Replace the value at a location with random JSON (usually of another type).
    Replace(prop::sample::Index, Value),
    /// Replace a number string (`{"N": …}` or an `NS` member) with a corrupt one.
    CorruptNumber(prop::sample::Index, &'static str),
    /// Repeat a set member, literally or as an equal number spelled differently.
    DuplicateSetMember(prop::sample::Index),
    /// Make a string value `size` bytes long (around the key and item limits).
    HugeString(prop::sample::Index, usize),
    /// Make a key string empty.
    EmptyKeyString(&'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let index = any::<prop::sample::Index>;
    let sizes = prop::sample::select(vec![
        1023,
        1024,
        1025,
        2047,
        2048,
        2049,
        ITEM_LIMIT - 600,
        ITEM_LIMIT - 10,
        ITEM_LIMIT,
        ITEM_LIMIT + 1,
    ]);
    prop_oneof![
        3 => index().prop_map(Mutation::Drop),
        3 => (index(), json_value()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        2 => (index(), prop::sample::select(CORRUPT_NUMBERS.to_vec())).prop_map(|(i, n)| Mutation::CorruptNumber(i, n)),
        1 => index().prop_map(Mutation::DuplicateSetMember),
        1 => (index(), sizes).prop_map(|(i, n)| Mutation::HugeString(i, n)),
        1 => prop::sample::select(vec!["pk", "title", "label"]).prop_map(Mutation::EmptyKeyString),
    ]
}

fn apply_mutation(request: &mut Value, mutation: &Mutation) {
    let all = locations(request);
    // Picks the location of a value that `wanted` accepts (the document root never).
    let pick = |index: &prop::sample::Index, wanted: &dyn Fn(&[Step], &Value) -> bool| -> Option<Vec<Step>> {
        let found: Vec<&Vec<Step>> =
            all.iter().filter(|(p, v)| !p.is_empty() && wanted(p, v)).map(|(p, _)| p).collect();
        (!found.is_empty()).then(|| found[index.index(found.len())].clone())
    };
    let last_member = |p: &[Step], name: &str| matches!(p.last(), Some(Step::Member(m)) if m == name);
    match mutation {
        Mutation::Drop(i) => {
            if let Some(path) = pick(i, &|_, _| true) {
                let (last, parent) = path.split_last().expect("not the root");
                match (at_mut(request, parent), last) {
                    (Some(Value::Object(map)), Step::Member(k)) => {
                        map.remove(k);
                    }
                    (Some(Value::Array(items)), Step::Index(i)) => {
                        items.remove(*i);
                    }
                    _ => {}
                }
            }
        }
        Mutation::Replace(i, value) => {
            if let Some(target) = pick(i, &|_, _| true).and_then(|p| at_mut(request, &p)) {
                *target = value.clone();
            }
        }
        Mutation::CorruptNumber(i, text) => {
            let is_number = |p: &[Step], v: &Value| {
                v.is_string()
                    && (last_member(p, "N")
                        || (p.len() >= 2
                            && matches!(p.last(), Some(Step::Index(_)))
                            && matches!(&p[p.len() - 2], Step::Member(m) if m == "NS")))
            };
            if let Some(target) = pick(i, &is_number).and_then(|p| at_mut(request, &p)) {
                *target = json!(text);
            }
        }
        Mutation::DuplicateSetMember(i) => {
            let is_set = |p: &[Step], v: &Value| {
                v.is_array() && (last_member(p, "SS") || last_member(p, "NS") || last_member(p, "BS"))
            };
            let numeric = pick(i, &is_set).is_some_and(|p| last_member(&p, "NS"));
            if let Some(Value::Array(members)) = pick(i, &is_set).and_then(|p| at_mut(request, &p)) {
                if let Some(first) = members.first().cloned() {
                    // An NS member equal in value but spelled differently ("1" and "1.0").
                    let twin = match first.as_str() {
                        Some(n) if numeric && !n.contains(['e', 'E']) => {
                            json!(if n.contains('.') { format!("{n}0") } else { format!("{n}.0") })
                        }
                        _ => first,
                    };
                    members.push(twin);
                }
            }
        }
        Mutation::HugeString(i, size) => {
            let is_string_value = |p: &[Step], v: &Value| v.is_string() && last_member(p, "S");
            if let Some(target) = pick(i, &is_string_value).and_then(|p| at_mut(request, &p)) {
                *target = json!("é".repeat(size / 2) + &"x".repeat(size % 2));
            }
        }
        Mutation::EmptyKeyString(attribute) => {
            for (path, _) in &all {
                if last_member(path, attribute) {
                    if let Some(target) = at_mut(request, path) {
                        *target = json!({"S": ""});
                    }
                }
            }
        }
    }
}

fn mutated_request() -> impl Strategy<Value = (&'static str, Value, Vec<Mutation>)> {
    (prop::sample::select(valid_requests()), prop::collection::vec(mutation(), 1..4)).prop_map(
        |((op, mut request), mutations)| {
            for m in &mutations {
                apply_mutation(&mut request, m);
            }
            (op, request, mutations)
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn mutated_requests_fail_cleanly((op, request, _mutations) in mutated_request()) {
        let mut engine = engine_with_items();
        send(&mut engine, op, &request, true)?;
    }
}

#[test]
fn valid_requests_succeed() {
    // The mutation test only means something if its starting points are valid.
    for (op, request) in valid_requests() {
        let mut engine = engine_with_items();
        let result = engine.handle_json(op, request.clone());
        assert!(result.is_ok(), "{op} {request}: {result:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// (d) Requests shaped by each operation's schema
// ---------------------------------------------------------------------------------------------

/// What requests need to name the table under test and its stream.
struct Handles {
    table_arn: String,
    stream_arn: String,
    shard_id: String,
    shard_iterator: String,
    /// The fixture's backup.
    backup_arn: String,
    /// The fixture's export and import.
    export_arn: String,
    import_arn: String,
}

/// The handles of [`engine_with_items`]'s table (the engine is deterministic, so every fresh
/// engine has the same ones).
fn handles() -> &'static Handles {
    static HANDLES: OnceLock<Handles> = OnceLock::new();
    HANDLES.get_or_init(|| {
        let mut engine = engine_with_items();
        let table =
            engine.handle_json("DescribeTable", json!({ "TableName": TABLE })).expect("DescribeTable");
        let text = |v: &Value| v.as_str().expect("a string").to_owned();
        let stream_arn = text(&table["Table"]["LatestStreamArn"]);
        let backups = engine.handle_json("ListBackups", json!({})).expect("ListBackups");
        let backup_arn = text(&backups["BackupSummaries"][0]["BackupArn"]);
        let exports = engine.handle_json("ListExports", json!({})).expect("ListExports");
        let export_arn = text(&exports["ExportSummaries"][0]["ExportArn"]);
        let imports = engine.handle_json("ListImports", json!({})).expect("ListImports");
        let import_arn = text(&imports["ImportSummaryList"][0]["ImportArn"]);
        let stream =
            engine.handle_json("DescribeStream", json!({ "StreamArn": stream_arn })).expect("DescribeStream");
        let shard_id = text(&stream["StreamDescription"]["Shards"][0]["ShardId"]);
        let iterator = engine
            .handle_json(
                "GetShardIterator",
                json!({"StreamArn": stream_arn, "ShardId": shard_id, "ShardIteratorType": "TRIM_HORIZON"}),
            )
            .expect("GetShardIterator");
        Handles {
            table_arn: text(&table["Table"]["TableArn"]),
            stream_arn,
            shard_id,
            shard_iterator: text(&iterator["ShardIterator"]),
            backup_arn,
            export_arn,
            import_arn,
        }
    })
}

/// A key of an item the table holds, and one of an item it does not.
fn keys() -> Vec<Value> {
    vec![
        json!({"pk": {"S": "a"}, "sk": {"N": "-4"}}),
        json!({"pk": {"S": "b"}, "sk": {"N": "-3"}}),
        json!({"pk": {"S": "zz"}, "sk": {"N": "1"}}),
    ]
}

/// PartiQL statements against the table, each of the four kinds.
const STATEMENTS: [&str; 7] = [
    "SELECT * FROM \"Robust\" WHERE pk = 'a'",
    "SELECT pk, qty FROM \"Robust\" WHERE pk = ? AND sk = ?",
    "SELECT * FROM \"Robust\".\"byTitle\" WHERE title = 'x'",
    "INSERT INTO \"Robust\" VALUE {'pk': 'new', 'sk': 1, 'title': 'x', 'qty': 2}",
    "UPDATE \"Robust\" SET note = 'n' WHERE pk = 'a' AND sk = -4",
    "DELETE FROM \"Robust\" WHERE pk = ? AND sk = ?",
    "EXISTS(SELECT * FROM \"Robust\" WHERE pk = 'b' AND sk = -3)",
];

/// An AttributeValue of any type, nested a little.
fn attribute_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        json_string().prop_map(|s| json!({ "S": s })),
        prop::sample::select(vec!["0", "1", "-2.5", "1e3", "abc", "1e999"]).prop_map(|n| json!({ "N": n })),
        prop::sample::select(vec!["AAEC", "", "not base64!"]).prop_map(|b| json!({ "B": b })),
        any::<bool>().prop_map(|b| json!({ "BOOL": b })),
        Just(json!({"NULL": true})),
        Just(json!({"SS": ["red", "blue"]})),
        Just(json!({"NS": ["1", "2.5"]})),
        Just(json!({"BS": ["AAEC"]})),
        Just(json!({"SS": []})),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(|l| json!({ "L": l })),
            prop::collection::btree_map(prop::sample::select(NESTED_NAMES.to_vec()), inner, 0..3)
                .prop_map(|m| json!({ "M": m })),
        ]
    })
    .boxed()
}

/// A map of attribute values: mostly one that fits the member (a real key, a full item, the
/// placeholders expressions use), else random.
fn attribute_map(name: &str) -> BoxedStrategy<Value> {
    let random = prop::collection::btree_map(
        prop::sample::select(NESTED_NAMES.to_vec()).prop_map(str::to_owned),
        attribute_value(),
        0..4,
    )
    .prop_map(|m| Value::Object(m.into_iter().collect()));
    let fitting: Vec<Value> = match name {
        "Key" | "Keys" | "ExclusiveStartKey" => keys(),
        "Item" => vec![full_item(), keys()[2].clone()],
        "ExpressionAttributeValues" => vec![Value::Object(placeholder_values())],
        _ => return random.boxed(),
    };
    prop_oneof![4 => prop::sample::select(fitting), 1 => random].boxed()
}

/// The bounds a member's rules name, and values either side of each.
fn numbers_for(rules: &'static [Rule]) -> Vec<Value> {
    let mut out = vec![
        json!(0),
        json!(1),
        json!(-1),
        json!(2.5),
        json!(5),
        json!(100),
        json!(i64::MAX),
        json!(u64::MAX),
        json!(-1e300),
    ];
    for rule in rules {
        match rule {
            Rule::Min(n) | Rule::Max(n) => out.extend([json!(n - 1), json!(n), json!(n + 1)]),
            Rule::MinDecimal(n, _) => out.extend([json!(n / 10.0), json!(n)]),
            _ => {}
        }
    }
    out
}

/// Strings at and just past a member's length bounds.
fn lengths_for(rules: &'static [Rule]) -> Vec<Value> {
    let mut out = vec![json!("")];
    for rule in rules {
        if let Rule::MinLength(n) | Rule::MaxLength(n) | Rule::DeferredMinLength(n) = rule {
            out.push(json!("x".repeat(n.saturating_sub(1))));
            out.push(json!("x".repeat(n + 1)));
        }
    }
    out
}

/// A string for the member `name`: mostly one that gets past validation (the table, its
/// indexes, ARNs, enum values, expressions, statements), else one at a length bound or random.
fn string_for(name: &'static str, rules: &'static [Rule]) -> BoxedStrategy<Value> {
    let h = handles();
    let shaped: Option<BoxedStrategy<String>> = match name {
        "KeyConditionExpression" => Some(key_condition().boxed()),
        "FilterExpression" | "ConditionExpression" => Some(condition().boxed()),
        "UpdateExpression" => Some(update_expression().boxed()),
        "ProjectionExpression" => Some(projection().boxed()),
        _ => None,
    };
    let mut known: Vec<String> = match name {
        "BackupArn" | "ExclusiveStartBackupArn" => {
            vec![h.backup_arn.clone(), h.backup_arn.replace("-", "-0")]
        }
        "ExportArn" => vec![h.export_arn.clone(), h.export_arn.replace("-", "-0")],
        "ImportArn" => vec![h.import_arn.clone(), h.import_arn.replace("-", "-0")],
        "Bucket" => vec!["inbox".into(), "exports".into(), "nope".into()],
        "SourceTableName" => vec![TABLE.into(), "Other".into()],
        "SourceTableArn" => vec![h.table_arn.clone()],
        "TargetTableName" => vec!["Restored".into(), TABLE.into()],
        "TableName" | "ExclusiveStartTableName" => {
            vec![TABLE.into(), TABLE.into(), "Other".into(), h.table_arn.clone()]
        }
        "IndexName" => vec!["byTitle".into(), "byLabel".into(), "byVector".into(), "nope".into()],
        "ResourceArn" => {
            vec![h.table_arn.clone(), h.table_arn.replace("Robust", "Nope"), h.stream_arn.clone()]
        }
        "Policy" => POLICIES.iter().map(|p| (*p).to_owned()).collect(),
        "ExpectedRevisionId" => vec!["NO_POLICY".into(), "1767225600000".into()],
        "StreamArn" | "ExclusiveStartStreamArn" => vec![h.stream_arn.clone()],
        "ShardId" | "ExclusiveStartShardId" => vec![h.shard_id.clone()],
        "ShardIterator" => vec![h.shard_iterator.clone()],
        "SequenceNumber" => vec!["000000000000000000001".into(), "000000000000000000005".into()],
        "Statement" => STATEMENTS.iter().map(|s| (*s).to_owned()).collect(),
        "AttributeName" => vec!["pk".into(), "sk".into(), "title".into(), "expires".into()],
        "RegionName" => vec!["us-west-2".into(), "eu-west-1".into(), "us-east-1".into(), "us-fake-1".into()],
        "Key" | "TagKeys" => vec!["team".into(), "aws:x".into(), "a.csv".into()],
        // DAX: the fixture's cluster and parameter group, a new name, one that is not there.
        "ClusterName" => vec!["c1".into(), "c1".into(), "c2".into(), "nope".into()],
        "NodeType" => vec!["dax.t3.small".into(), "dax.r5.large".into(), "cache.m5.large".into()],
        "IamRoleArn" => vec![DAX_ROLE.into()],
        "ParameterGroupName" => vec!["pg".into(), "pg".into(), "default.dax1.0".into(), "pg2".into()],
        "ParameterName" => vec!["record-ttl-millis".into(), "query-ttl-millis".into(), "nope".into()],
        "ParameterValue" => vec!["0".into(), "60000".into(), "-1".into()],
        "Operation" => [
            "GetItem",
            "BatchGetItem",
            "Query",
            "Scan",
            "PutItem",
            "UpdateItem",
            "DeleteItem",
            "TransactGetItems",
        ]
        .iter()
        .map(|op| (*op).to_owned())
        .collect(),
        "Value" => vec!["learners".into()],
        // Auto scaling: the fixture's target and policy, a GSI's, a table that is not there.
        "ResourceId" => vec![
            format!("table/{TABLE}"),
            format!("table/{TABLE}"),
            format!("table/{TABLE}/index/byTitle"),
            "table/Nope".into(),
        ],
        "ScalableDimension" => vec![
            "dynamodb:table:ReadCapacityUnits".into(),
            "dynamodb:table:ReadCapacityUnits".into(),
            "dynamodb:table:WriteCapacityUnits".into(),
            "dynamodb:index:ReadCapacityUnits".into(),
        ],
        // Auto scaling's policies, then access control's.
        "PolicyName" => vec!["p1".into(), "p1".into(), "p2".into(), "own".into()],
        "PredefinedMetricType" => {
            vec!["DynamoDBReadCapacityUtilization".into(), "DynamoDBWriteCapacityUtilization".into()]
        }
        // Access control: the fixture's identity, a new one, one that is not there.
        "IdentityName" => vec!["alice".into(), "alice".into(), "bob".into(), "nope".into()],
        "IdentityType" => vec!["USER".into(), "ROLE".into()],
        "AccessKeyId" => vec!["AKIAALICE00000000000".into(), "AKIABOB0000000000000".into()],
        "PolicyDocument" => vec![IDENTITY_POLICY.into(), POLICIES[0].into()],
        _ => Vec::new(),
    };
    for rule in rules {
        if let Rule::Enum(values) = rule {
            known.extend(values.iter().map(|v| (*v).to_owned()));
        }
    }
    let odd = prop_oneof![prop::sample::select(lengths_for(rules)), json_string().prop_map(Value::from),];
    match (shaped, known.is_empty()) {
        (Some(shaped), _) => prop_oneof![4 => shaped.prop_map(Value::from), 1 => odd].boxed(),
        (None, false) => {
            prop_oneof![4 => prop::sample::select(known).prop_map(Value::from), 1 => odd].boxed()
        }
        (None, true) => odd.boxed(),
    }
}

/// A value of `shape` for the member `name` with these rules (`noisy`: see [`members`]).
fn value_for(
    name: &'static str,
    shape: &'static Shape,
    rules: &'static [Rule],
    noisy: bool,
) -> BoxedStrategy<Value> {
    match shape {
        Shape::Str => string_for(name, rules),
        Shape::Bool => prop_oneof![
            4 => any::<bool>().prop_map(Value::from),
            1 => prop::sample::select(vec!["true", "NO", "maybe"]).prop_map(Value::from),
        ]
        .boxed(),
        // Auto scaling's targets for DynamoDB are 20–90 per cent.
        Shape::Double if name == "TargetValue" => {
            prop::sample::select(vec![json!(70.0), json!(20), json!(95.5)]).boxed()
        }
        Shape::Integer | Shape::Long | Shape::Double => prop::sample::select(numbers_for(rules)).boxed(),
        Shape::List(Shape::Str) if name == "TagKeys" => {
            prop::collection::vec(string_for(name, rules), 0..3).prop_map(Value::Array).boxed()
        }
        Shape::List(inner) => {
            let list = prop::collection::vec(value_for(name, inner, &[], noisy), 0..3).prop_map(Value::Array);
            // A table's (or index's) key and the attributes it declares, as CreateTable wants them.
            let fitting = match name {
                "KeySchema" => vec![
                    json!([{"AttributeName": "pk", "KeyType": "HASH"}]),
                    json!([{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]),
                ],
                "AttributeDefinitions" => vec![
                    json!([{"AttributeName": "pk", "AttributeType": "S"}]),
                    json!([{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}]),
                ],
                // A vector of the fixture's vector index (one dimension).
                "SearchVector" => vec![json!([{"N": "0.5"}]), json!([{"N": "-2"}])],
                _ => return list.boxed(),
            };
            prop_oneof![3 => prop::sample::select(fitting), 1 => list].boxed()
        }
        Shape::Map(Shape::AttributeValue) => attribute_map(name),
        Shape::Map(Shape::Str) if name == "ExpressionAttributeNames" => prop_oneof![
            3 => Just(Value::Object(placeholder_names())),
            1 => prop::collection::btree_map("#[a-z]{1,2}", json_string(), 0..3)
                .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k, Value::from(v))).collect())),
        ]
        .boxed(),
        Shape::Map(inner) => {
            // RequestItems is keyed by table; the legacy condition maps by attribute.
            let keys: Vec<&'static str> = if name == "RequestItems" {
                vec![TABLE, TABLE, "Other"]
            } else {
                vec!["pk", "sk", "title", "qty"]
            };
            prop::collection::btree_map(prop::sample::select(keys), value_for(name, inner, &[], noisy), 0..3)
                .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
                .boxed()
        }
        // A DynamoDB request for PlaygroundDaxRequest to carry: the fixture's table.
        Shape::Struct(_, []) if name == "Request" => prop_oneof![
            2 => Just(json!({"TableName": TABLE})),
            2 => Just(json!({"TableName": TABLE, "Key": {"pk": {"S": "a"}, "sk": {"N": "-4"}}})),
            1 => json_value(),
        ]
        .boxed(),
        Shape::Struct(_, fields) => members(fields, noisy),
        Shape::AttributeValue => attribute_value(),
        _ => json_value(),
    }
}

/// An object of these members: each present with some chance (members that must be there,
/// usually), each of its shape. `noisy` objects carry more optional members, now and then one
/// of random JSON; quiet ones few, each of its shape, so that requests with many optional
/// members (a Query has seventeen) still get through validation.
fn members(fields: &'static [Field], noisy: bool) -> BoxedStrategy<Value> {
    let each: Vec<BoxedStrategy<Option<(&'static str, Value)>>> = fields
        .iter()
        .map(|field| {
            // Members the model requires, the expressions a Query or an update needs, and what
            // a target tracking policy for DynamoDB needs.
            let needed = field.rules.iter().any(|r| matches!(r, Rule::NotNull | Rule::Required))
                || matches!(
                    field.name,
                    "KeyConditionExpression"
                        | "UpdateExpression"
                        | "PolicyType"
                        | "TargetTrackingScalingPolicyConfiguration"
                        | "PredefinedMetricSpecification"
                );
            let shaped = value_for(field.name, &field.shape, field.rules, noisy);
            let value = if noisy { prop_oneof![19 => shaped, 1 => json_value()].boxed() } else { shaped };
            let chance = match (needed, noisy) {
                (true, _) => 0.9,
                (false, true) => 0.35,
                (false, false) => 0.15,
            };
            prop::option::weighted(chance, value.prop_map(move |v| (field.name, v))).boxed()
        })
        .collect();
    each.prop_map(|present| {
        Value::Object(present.into_iter().flatten().map(|(k, v)| (k.to_owned(), v)).collect())
    })
    .boxed()
}

/// Gives every object of the request (at any depth) that holds expressions exactly the
/// placeholder maps they use (from [`placeholder_names`] and [`placeholder_values`]): a missing
/// or unused placeholder is an error, which would stop most requests short of evaluation.
fn fit_placeholders(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let used: BTreeSet<String> = map
                .iter()
                .filter(|(k, _)| k.ends_with("Expression"))
                .filter_map(|(_, v)| v.as_str())
                .flat_map(placeholders_in)
                .collect();
            if !used.is_empty() {
                for (member, known) in [
                    ("ExpressionAttributeNames", placeholder_names()),
                    ("ExpressionAttributeValues", placeholder_values()),
                ] {
                    let wanted: Map<String, Value> =
                        known.into_iter().filter(|(k, _)| used.contains(k)).collect();
                    if wanted.is_empty() {
                        map.remove(member);
                    } else {
                        map.insert(member.to_owned(), Value::Object(wanted));
                    }
                }
            }
            map.values_mut().for_each(fit_placeholders);
        }
        Value::Array(items) => items.iter_mut().for_each(fit_placeholders),
        _ => {}
    }
}

/// A request for this operation, built from its schema (placeholders mostly fitted to the
/// expressions).
fn request_for(spec: &'static dynaplay_engine::OperationSpec) -> BoxedStrategy<Value> {
    let members = prop_oneof![members(spec.request_members(), true), members(spec.request_members(), false)];
    (members, prop::bool::weighted(0.7))
        .prop_map(|(mut request, fit)| {
            if fit {
                fit_placeholders(&mut request);
            }
            request
        })
        .boxed()
}

/// A request for any operation of the registry, built from its schema.
fn schema_shaped_request() -> impl Strategy<Value = (&'static str, Value)> {
    let each: Vec<BoxedStrategy<(&'static str, Value)>> =
        OPERATIONS.iter().map(|spec| request_for(spec).prop_map(move |r| (spec.name, r)).boxed()).collect();
    prop::strategy::Union::new(each)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn schema_shaped_requests_never_panic((op, request) in schema_shaped_request()) {
        let mut engine = engine_with_items();
        send(&mut engine, op, &request, true)?;
    }

    /// Sent as an identity, every request is authorized first (`iam`): reading any request
    /// for its condition keys never panics either.
    #[test]
    fn schema_shaped_requests_sent_as_an_identity_never_panic((op, request) in schema_shaped_request()) {
        let mut engine = engine_with_items();
        engine.act_as(Some("AKIAALICE00000000000"));
        send(&mut engine, op, &request, true)?;
    }
}

/// The operations of global tables version 2017.11.29 that answer only with an error.
const LEGACY_GLOBAL_TABLES: &[&str] = &[
    "CreateGlobalTable",
    "DescribeGlobalTable",
    "UpdateGlobalTable",
    "DescribeGlobalTableSettings",
    "UpdateGlobalTableSettings",
];

/// The generator is only worth its name if it reaches past validation: for every operation it
/// must build requests the engine accepts.
#[test]
fn schema_shaped_requests_succeed_for_every_operation() {
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let mut runner =
        TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]));
    let mut never = Vec::new();
    for spec in OPERATIONS {
        let strategy = request_for(spec);
        let succeeded = (0..2000).any(|_| {
            let request = strategy.new_tree(&mut runner).expect("a request").current();
            match engine_with_items().handle_json(spec.name, request) {
                Ok(_) => true,
                // The legacy global tables API never succeeds (DynamoDB no longer makes such
                // tables): past validation it refuses the version or finds no global table.
                Err(e) => {
                    LEGACY_GLOBAL_TABLES.contains(&spec.name)
                        && (e.kind == ErrorKind::GlobalTableNotFound || e.message.contains("2017.11.29"))
                }
            }
        });
        if !succeeded {
            never.push(spec.name);
        }
    }
    assert!(never.is_empty(), "no schema-shaped request succeeded for {never:?}");
}

// ---------------------------------------------------------------------------------------------
// (e) Mutated golden requests
// ---------------------------------------------------------------------------------------------

/// Every golden case as (operation, setup steps, request): a valid (or deliberately invalid)
/// request for every operation of the registry, on the state it was written for.
fn golden_seeds() -> &'static [(String, Vec<Value>, Value)] {
    static SEEDS: OnceLock<Vec<(String, Vec<Value>, Value)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        golden::cases()
            .into_iter()
            .filter_map(|c| {
                let case = c.case.ok()?;
                let steps = golden::steps(case.get("setup").unwrap_or(&json!([])));
                Some((c.operation, steps, case.get("request")?.clone()))
            })
            .collect()
    })
}

fn mutated_golden_request() -> impl Strategy<Value = (usize, Value)> {
    let seeds = golden_seeds();
    (0..seeds.len(), prop::collection::vec(mutation(), 0..3)).prop_map(move |(i, mutations)| {
        let mut request = seeds[i].2.clone();
        for m in &mutations {
            apply_mutation(&mut request, m);
        }
        (i, request)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 800, ..ProptestConfig::default() })]

    #[test]
    fn mutated_golden_requests_fail_cleanly((i, request) in mutated_golden_request()) {
        let (op, steps, _) = &golden_seeds()[i];
        let mut engine = Engine::new();
        engine.set_now(golden::ENGINE_TIME_MS);
        for step in steps {
            match step.get("advance_ms").and_then(Value::as_u64) {
                Some(ms) => engine.advance(ms),
                None => {
                    let step_op = step["op"].as_str().unwrap_or_default();
                    let region = step.get("region").and_then(Value::as_str).unwrap_or("us-east-1");
                    engine.handle_json_in(region, step_op, step["request"].clone()).expect("golden setup step");
                }
            }
        }
        send(&mut engine, op, &request, true)?;
    }
}

/// Every operation has golden seeds for (e) (the golden test requires the cases; this keeps
/// (e) reading them).
#[test]
fn golden_seeds_cover_every_operation() {
    for spec in OPERATIONS {
        assert!(golden_seeds().iter().any(|(op, _, _)| op == spec.name), "{} has no golden seed", spec.name);
    }
}

/// An item of exactly 400 KB is stored; one byte more is rejected and changes nothing, for
/// PutItem and for an UpdateItem that grows an item past the limit.
#[test]
fn item_size_limit_is_exact_and_failures_change_nothing() {
    let mut engine = Engine::new();
    engine
        .handle_json(
            "CreateTable",
            json!({
                "TableName": "Big",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST"
            }),
        )
        .expect("CreateTable");
    // Size = "pk" (2) + "p" (1) + "note" (4) + the note's bytes.
    let fits = ITEM_LIMIT - 7;
    let item = |len: usize| json!({"pk": {"S": "p"}, "note": {"S": "x".repeat(len)}});
    let get = |engine: &mut Engine| {
        engine.handle_json("GetItem", json!({"TableName": "Big", "Key": {"pk": {"S": "p"}}}))
    };

    let too_big =
        engine.handle_json("PutItem", json!({"TableName": "Big", "Item": item(fits + 1)})).unwrap_err();
    assert_eq!(
        too_big.to_json(),
        json!({
            "__type": "com.amazon.coral.validate#ValidationException",
            "message": "Item size has exceeded the maximum allowed size"
        })
    );
    assert_eq!(get(&mut engine), Ok(json!({})));

    engine
        .handle_json("PutItem", json!({"TableName": "Big", "Item": item(fits)}))
        .expect("an item of exactly 400 KB");
    let stored = get(&mut engine).expect("GetItem");
    assert_eq!(stored["Item"]["note"]["S"].as_str().map(str::len), Some(fits));

    // Growing it by one byte fails and leaves the stored item as it was.
    let grow = engine
        .handle_json(
            "UpdateItem",
            json!({
                "TableName": "Big", "Key": {"pk": {"S": "p"}},
                "UpdateExpression": "SET b = :b",
                "ExpressionAttributeValues": {":b": {"BOOL": true}}
            }),
        )
        .unwrap_err();
    assert_eq!(
        grow.to_json(),
        json!({
            "__type": "com.amazon.coral.validate#ValidationException",
            "message": "Item size to update has exceeded the maximum allowed size"
        })
    );
    assert_eq!(get(&mut engine), Ok(stored));
}
