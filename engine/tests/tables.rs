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
