//! An example request for each DynamoDB operation, so choosing an operation in the console
//! puts that operation's request in the box (all on the `Music` table the CreateTable example
//! makes). The examples are compact JSON text, indented when shown; an operation without one
//! gets none (the console then keeps what is in the box). Platform-free, tested natively:
//! every example parses, names an operation the engine has, and the engine accepts it.

/// (operation, request) pairs, compact.
const EXAMPLES: [(&str, &str); 22] = [
    (
        "CreateTable",
        r#"{"TableName":"Music","KeySchema":[{"AttributeName":"Artist","KeyType":"HASH"},{"AttributeName":"SongTitle","KeyType":"RANGE"}],"AttributeDefinitions":[{"AttributeName":"Artist","AttributeType":"S"},{"AttributeName":"SongTitle","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}"#,
    ),
    ("DescribeTable", r#"{"TableName":"Music"}"#),
    ("ListTables", r#"{}"#),
    (
        "UpdateTable",
        r#"{"TableName":"Music","BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}}"#,
    ),
    ("DeleteTable", r#"{"TableName":"Music"}"#),
    (
        "PutItem",
        r#"{"TableName":"Music","Item":{"Artist":{"S":"Nina Simone"},"SongTitle":{"S":"Feeling Good"},"Year":{"N":"1965"}}}"#,
    ),
    (
        "GetItem",
        r#"{"TableName":"Music","Key":{"Artist":{"S":"Nina Simone"},"SongTitle":{"S":"Feeling Good"}},"ConsistentRead":false}"#,
    ),
    (
        "UpdateItem",
        r##"{"TableName":"Music","Key":{"Artist":{"S":"Nina Simone"},"SongTitle":{"S":"Feeling Good"}},"UpdateExpression":"SET #y = :y ADD Plays :one","ExpressionAttributeNames":{"#y":"Year"},"ExpressionAttributeValues":{":y":{"N":"1965"},":one":{"N":"1"}},"ReturnValues":"ALL_NEW"}"##,
    ),
    (
        "DeleteItem",
        r#"{"TableName":"Music","Key":{"Artist":{"S":"Nina Simone"},"SongTitle":{"S":"Feeling Good"}},"ReturnValues":"ALL_OLD"}"#,
    ),
    (
        "Query",
        r##"{"TableName":"Music","KeyConditionExpression":"Artist = :a AND begins_with(SongTitle, :t)","FilterExpression":"#y > :y","ExpressionAttributeNames":{"#y":"Year"},"ExpressionAttributeValues":{":a":{"S":"Nina Simone"},":t":{"S":"F"},":y":{"N":"1960"}}}"##,
    ),
    ("Scan", r#"{"TableName":"Music","Limit":10}"#),
    (
        "BatchGetItem",
        r#"{"RequestItems":{"Music":{"Keys":[{"Artist":{"S":"Nina Simone"},"SongTitle":{"S":"Feeling Good"}}]}}}"#,
    ),
    (
        "BatchWriteItem",
        r#"{"RequestItems":{"Music":[{"PutRequest":{"Item":{"Artist":{"S":"Nina Simone"},"SongTitle":{"S":"Sinnerman"}}}},{"DeleteRequest":{"Key":{"Artist":{"S":"Nina Simone"},"SongTitle":{"S":"Feeling Good"}}}}]}}"#,
    ),
    (
        "TransactGetItems",
        r#"{"TransactItems":[{"Get":{"TableName":"Music","Key":{"Artist":{"S":"Nina Simone"},"SongTitle":{"S":"Feeling Good"}}}}]}"#,
    ),
    (
        "TransactWriteItems",
        r#"{"TransactItems":[{"Put":{"TableName":"Music","Item":{"Artist":{"S":"Miles Davis"},"SongTitle":{"S":"So What"}},"ConditionExpression":"attribute_not_exists(Artist)"}},{"Update":{"TableName":"Music","Key":{"Artist":{"S":"Nina Simone"},"SongTitle":{"S":"Feeling Good"}},"UpdateExpression":"ADD Plays :one","ExpressionAttributeValues":{":one":{"N":"1"}}}}]}"#,
    ),
    (
        "ExecuteStatement",
        r#"{"Statement":"SELECT * FROM \"Music\" WHERE Artist = ?","Parameters":[{"S":"Nina Simone"}]}"#,
    ),
    (
        "BatchExecuteStatement",
        r#"{"Statements":[{"Statement":"SELECT * FROM \"Music\" WHERE Artist = ? AND SongTitle = ?","Parameters":[{"S":"Nina Simone"},{"S":"Feeling Good"}]}]}"#,
    ),
    (
        "ExecuteTransaction",
        r#"{"TransactStatements":[{"Statement":"UPDATE \"Music\" SET Plays = 1 WHERE Artist = ? AND SongTitle = ?","Parameters":[{"S":"Nina Simone"},{"S":"Feeling Good"}]}]}"#,
    ),
    ("DescribeTimeToLive", r#"{"TableName":"Music"}"#),
    (
        "UpdateTimeToLive",
        r#"{"TableName":"Music","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"ExpiresAt"}}"#,
    ),
    ("DescribeLimits", r#"{}"#),
    ("ListStreams", r#"{"TableName":"Music"}"#),
];

/// The example request of `operation`, indented as the console shows it.
pub fn example(operation: &str) -> Option<String> {
    let (_, text) = EXAMPLES.iter().find(|(name, _)| *name == operation)?;
    serde_json::from_slice(text.as_bytes()).ok().map(|v| crate::ui::pretty::pretty(&v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dynaplay_engine::Engine;

    #[test]
    fn every_example_is_an_operation_the_engine_accepts() {
        let mut engine = Engine::new();
        for (operation, text) in EXAMPLES {
            assert!(dynaplay_engine::operation(operation).is_some(), "{operation} is an engine operation");
            assert!(serde_json::from_slice::<serde_json::Value>(text.as_bytes()).is_ok(), "{operation}");
            // In order on one engine: the table exists for every example after CreateTable,
            // and DeleteTable's example runs last but one.
            if operation == "DeleteTable" {
                continue;
            }
            engine.set_now(engine.now() + 2_000);
            let answer = engine.handle(operation, text.as_bytes());
            assert!(answer.is_ok(), "{operation}: {answer:?}");
        }
        assert!(engine.handle("DeleteTable", br#"{"TableName": "Music"}"#).is_ok());
        let shown = example("PutItem").unwrap();
        assert!(shown.starts_with("{\n  \"") && shown.contains("\n  \"TableName\": \"Music\""), "{shown}");
        assert_eq!(example("NoSuchOperation"), None);
    }
}
