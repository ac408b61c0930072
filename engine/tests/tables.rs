//! Control-plane behaviour through the entry point: CreateTable, DescribeTable, ListTables,
//! DeleteTable.

use dynaplay_engine::Engine;
use serde_json::{json, Value};

fn create(engine: &mut Engine, name: &str) -> Value {
    engine
        .handle_json(
            "CreateTable",
            json!({
                "TableName": name,
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
                "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 7}
            }),
        )
        .unwrap()
}

#[test]
fn create_describe_list_delete() {
    let mut engine = Engine::new();
    engine.set_now(1_700_000_000_500);
    let created = create(&mut engine, "Orders");
    assert_eq!(created["TableDescription"]["TableStatus"], "CREATING");
    let d = &engine.handle_json("DescribeTable", json!({"TableName": "Orders"})).unwrap()["Table"];
    assert_eq!(d["TableStatus"], "ACTIVE");
    assert_eq!(d["TableArn"], "arn:aws:dynamodb:us-east-1:000000000000:table/Orders");
    assert_eq!(d["CreationDateTime"], json!(1_700_000_000.5));
    assert_eq!(d["ProvisionedThroughput"]["WriteCapacityUnits"], 7);
    assert_eq!(d["ItemCount"], 0);
    assert_eq!(d["KeySchema"][1], json!({"AttributeName": "sk", "KeyType": "RANGE"}));

    for name in ["b-table", "a-table", "c-table"] {
        create(&mut engine, name);
    }
    let page = engine.handle_json("ListTables", json!({"Limit": 2})).unwrap();
    assert_eq!(page, json!({"TableNames": ["Orders", "a-table"], "LastEvaluatedTableName": "a-table"}));
    let page = engine.handle_json("ListTables", json!({"ExclusiveStartTableName": "a-table"})).unwrap();
    assert_eq!(page, json!({"TableNames": ["b-table", "c-table"]}));

    let deleted = engine.handle_json("DeleteTable", json!({"TableName": "Orders"})).unwrap();
    assert_eq!(deleted["TableDescription"]["TableStatus"], "DELETING");
    let err = engine.handle_json("DescribeTable", json!({"TableName": "Orders"})).unwrap_err();
    assert_eq!(
        err.to_json(),
        json!({"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", "message": "Requested resource not found: Table: Orders not found"})
    );
}

#[test]
fn create_table_errors_are_dynamodb_texts() {
    let mut engine = Engine::new();
    create(&mut engine, "Orders");
    let err = engine
        .handle_json(
            "CreateTable",
            json!({
                "TableName": "Orders",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST"
            }),
        )
        .unwrap_err();
    assert_eq!(err.kind.name(), "ResourceInUseException");
    assert_eq!(err.message, "Table already exists: Orders");

    let cases = [
        (
            json!({"TableName": "ab", "BillingMode": "PAY_PER_REQUEST",
                   "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "S"}],
                   "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}]}),
            "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
        ),
        (
            json!({"TableName": "abc", "BillingMode": "PAY_PER_REQUEST",
                   "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "S"}],
                   "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "RANGE"}, {"AttributeName": "c", "KeyType": "RANGE"}]}),
            "1 validation error detected: Value '[KeySchemaElement(attributeName=a, keyType=HASH), KeySchemaElement(attributeName=b, keyType=RANGE), KeySchemaElement(attributeName=c, keyType=RANGE)]' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2",
        ),
        (json!({}), "The parameter 'TableName' is required but was not present in the request"),
        (
            json!({"TableName": "abc"}),
            "2 validation errors detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null; Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
        ),
        (
            json!({"TableName": "abc", "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "S"}],
                   "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}]}),
            "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
        ),
        (
            json!({"TableName": "abc", "BillingMode": "PAY_PER_REQUEST",
                   "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "S"}],
                   "KeySchema": [{"AttributeName": "b", "KeyType": "HASH"}]}),
            "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [b], AttributeDefinitions: [a]",
        ),
        (
            json!({"TableName": "abc", "BillingMode": "PAY_PER_REQUEST",
                   "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "S"}, {"AttributeName": "b", "AttributeType": "S"}],
                   "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}]}),
            "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
        ),
    ];
    for (request, message) in cases {
        let err = engine.handle_json("CreateTable", request.clone()).unwrap_err();
        assert_eq!(err.message, message, "{request}");
        assert_eq!(err.kind.name(), "ValidationException");
    }
    assert_eq!(engine.handle_json("ListTables", json!({})).unwrap()["TableNames"], json!(["Orders"]));
}

/// `handle_text` (what the hosts call) answers exactly `handle(…).to_string()`, also where it
/// writes the answer directly (GetItem, Query, Scan): every projection, capacity mode, COUNT,
/// filters, pages and a missing item.
#[test]
fn text_answers_equal_value_answers() {
    let mut e = Engine::new();
    e.handle_json(
        "CreateTable",
        json!({"TableName": "Texts", "BillingMode": "PAY_PER_REQUEST",
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}),
    )
    .unwrap();
    let item = json!({"pk": {"S": "a\"b\\c \u{1F600}"}, "t": {"S": "tab\tline\n\u{1}\u{7f}"}, "n": {"N": "-12.50"}, "bin": {"B": "AAE="},
        "m": {"M": {"l": {"L": [{"NULL": true}, {"BOOL": false}, {"SS": ["y", "x"]}]}}},
        "ns": {"NS": ["3", "1E+10"]}, "bs": {"BS": ["AQ=="]}});
    e.handle_json("PutItem", json!({"TableName": "Texts", "Item": item})).unwrap();
    let key = json!({"pk": {"S": "a\"b\\c \u{1F600}"}});
    let requests = [
        json!({"TableName": "Texts", "Key": key}),
        json!({"TableName": "Texts", "Key": key, "ReturnConsumedCapacity": "TOTAL", "ConsistentRead": true}),
        json!({"TableName": "Texts", "Key": key, "ReturnConsumedCapacity": "INDEXES"}),
        json!({"TableName": "Texts", "Key": key, "ProjectionExpression": "m.l[2], #n",
               "ExpressionAttributeNames": {"#n": "n"}}),
        json!({"TableName": "Texts", "Key": key, "AttributesToGet": ["bs", "missing"]}),
        json!({"TableName": "Texts", "Key": {"pk": {"S": "absent"}}, "ReturnConsumedCapacity": "TOTAL"}),
        json!({"TableName": "Texts", "Key": {"pk": {"S": "absent"}}}),
        json!({"TableName": "Texts", "Key": {"pk": {"N": "1"}}}),
    ];
    for request in requests {
        let body = request.to_string();
        let by_value =
            e.handle("GetItem", body.as_bytes()).map(|v| v.to_string()).map_err(|err| err.to_json());
        let by_text = e.handle_text("GetItem", body.as_bytes()).map_err(|err| err.to_json());
        assert_eq!(by_text, by_value, "{request}");
    }
    // Query and Scan pages too: projections, COUNT, a filter, pages with LastEvaluatedKey.
    for i in 0..5 {
        e.handle_json(
            "PutItem",
            json!({"TableName": "Texts", "Item": {"pk": {"S": format!("p{i}")}, "n": {"N": i.to_string()}}}),
        )
        .unwrap();
    }
    let reads = [
        ("Scan", json!({"TableName": "Texts"})),
        ("Scan", json!({"TableName": "Texts", "Limit": 2, "ReturnConsumedCapacity": "TOTAL"})),
        ("Scan", json!({"TableName": "Texts", "Select": "COUNT"})),
        (
            "Scan",
            json!({"TableName": "Texts", "FilterExpression": "n > :z", "ExpressionAttributeValues": {":z": {"N": "2"}}}),
        ),
        ("Scan", json!({"TableName": "Texts", "ProjectionExpression": "m.l, pk"})),
        ("Scan", json!({"TableName": "Texts", "AttributesToGet": ["n"], "Limit": 3})),
        (
            "Scan",
            json!({"TableName": "Texts", "FilterExpression": "n > :z", "ExpressionAttributeValues": {":z": {"N": "99"}}}),
        ),
        (
            "Query",
            json!({"TableName": "Texts", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "p3"}}}),
        ),
        (
            "Query",
            json!({"TableName": "Texts", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "none"}}, "ReturnConsumedCapacity": "INDEXES"}),
        ),
    ];
    for (op, request) in reads {
        let body = request.to_string();
        let by_value = e.handle(op, body.as_bytes()).map(|v| v.to_string()).map_err(|err| err.to_json());
        let by_text = e.handle_text(op, body.as_bytes()).map_err(|err| err.to_json());
        assert_eq!(by_text, by_value, "{op} {request}");
    }
    let err = e.handle_text("GetItem", b"{not json").unwrap_err();
    assert_eq!(err.message, "Start of structure or map found where not expected");
}

/// A GSI's key is held to the table key's limits: a write whose index key is too long is
/// refused; a GSI created later backfills only the items whose index key is valid — of its
/// declared type, not empty, within the size limit — and leaves the others out.
#[test]
fn gsi_keys_are_checked_on_write_and_backfill_skips_invalid_ones() {
    let mut e = Engine::new();
    e.set_now(1_767_225_600_000);
    e.handle_json(
        "CreateTable",
        json!({"TableName": "Gsis", "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}),
    )
    .unwrap();
    for (pk, g) in [
        ("number", json!({"N": "1"})),
        ("empty", json!({"S": ""})),
        ("long", json!({"S": "y".repeat(2049)})),
        ("limit", json!({"S": "z".repeat(2048)})),
        ("fine", json!({"S": "fine"})),
    ] {
        e.handle_json("PutItem", json!({"TableName": "Gsis", "Item": {"pk": {"S": pk}, "g": g}})).unwrap();
    }
    e.handle_json(
        "UpdateTable",
        json!({"TableName": "Gsis", "AttributeDefinitions": [{"AttributeName": "g", "AttributeType": "S"}],
            "GlobalSecondaryIndexUpdates": [{"Create": {"IndexName": "ByG",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "KEYS_ONLY"}}}]}),
    )
    .unwrap();
    e.advance(600_000);
    let scan = e.handle_json("Scan", json!({"TableName": "Gsis", "IndexName": "ByG"})).unwrap();
    let mut keys: Vec<&str> =
        scan["Items"].as_array().unwrap().iter().map(|i| i["pk"]["S"].as_str().unwrap()).collect();
    dynaplay_engine::types::sort_dedup(&mut keys);
    assert_eq!(keys, ["fine", "limit"]);
    // Now that the index exists, such a write is refused as a table key would be.
    let err = e
        .handle_json(
            "PutItem",
            json!({"TableName": "Gsis", "Item": {"pk": {"S": "again"}, "g": {"S": "y".repeat(2049)}}}),
        )
        .unwrap_err();
    assert_eq!(
        err.message,
        "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"
    );
    let err = e
        .handle_json(
            "UpdateItem",
            json!({"TableName": "Gsis", "Key": {"pk": {"S": "fine"}}, "UpdateExpression": "SET g = :g",
                "ExpressionAttributeValues": {":g": {"S": "y".repeat(3000)}}}),
        )
        .unwrap_err();
    assert_eq!(err.kind.name(), "ValidationException");
    assert!(e
        .handle_json("GetItem", json!({"TableName": "Gsis", "Key": {"pk": {"S": "again"}}}))
        .unwrap()
        .get("Item")
        .is_none());
}

#[test]
fn an_include_projection_needs_its_non_key_attributes() {
    let mut e = Engine::new();
    let err = e
        .handle_json(
            "CreateTable",
            json!({"TableName": "Inc", "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
                "GlobalSecondaryIndexes": [{"IndexName": "ByG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "INCLUDE"}}]}),
        )
        .unwrap_err();
    assert_eq!(
        err.message,
        "One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified"
    );
}
