//! Representative tables, as the requests that make them: what the tests and CI's validation
//! stage (`examples/export_samples.rs`, `scripts/validate-design.sh`) export in every format.
//! Together they cover provisioned and on-demand billing, global indexes with each projection
//! type and their own capacity, a multi-attribute index key, a local index, TTL, each kind of
//! stream, tags, point-in-time recovery, deletion protection, a table class, string, number and
//! binary keys, and names that need quoting or escaping in every output language.

use serde_json::{json, Value};

/// One representative table.
pub struct Sample {
    /// Its table name.
    pub table: &'static str,
    /// The requests that create and configure it, in order, as `(operation, request)`.
    pub requests: Vec<(&'static str, Value)>,
    /// A few items to export.
    pub items: Vec<Value>,
}

fn arn(table: &str) -> String {
    format!("arn:aws:dynamodb:us-east-1:000000000000:table/{table}")
}

/// The tables, each with what makes it.
pub fn all() -> Vec<Sample> {
    vec![
        Sample {
            table: "Music",
            requests: vec![
                (
                    "CreateTable",
                    json!({
                        "TableName": "Music",
                        "AttributeDefinitions": [
                            {"AttributeName": "Artist", "AttributeType": "S"},
                            {"AttributeName": "SongTitle", "AttributeType": "S"},
                            {"AttributeName": "Album", "AttributeType": "S"},
                            {"AttributeName": "Genre", "AttributeType": "S"},
                            {"AttributeName": "Year", "AttributeType": "N"},
                            {"AttributeName": "Released", "AttributeType": "S"}
                        ],
                        "KeySchema": [
                            {"AttributeName": "Artist", "KeyType": "HASH"},
                            {"AttributeName": "SongTitle", "KeyType": "RANGE"}
                        ],
                        "BillingMode": "PROVISIONED",
                        "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 4},
                        "GlobalSecondaryIndexes": [
                            {"IndexName": "AlbumIndex",
                             "KeySchema": [{"AttributeName": "Album", "KeyType": "HASH"}],
                             "Projection": {"ProjectionType": "ALL"},
                             "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 3}},
                            {"IndexName": "GenreByYear",
                             "KeySchema": [{"AttributeName": "Genre", "KeyType": "HASH"},
                                           {"AttributeName": "Year", "KeyType": "RANGE"}],
                             "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["Price", "Label"]},
                             "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}},
                            {"IndexName": "YearKeys",
                             "KeySchema": [{"AttributeName": "Year", "KeyType": "HASH"}],
                             "Projection": {"ProjectionType": "KEYS_ONLY"},
                             "ProvisionedThroughput": {"ReadCapacityUnits": 7, "WriteCapacityUnits": 6}}
                        ],
                        "LocalSecondaryIndexes": [
                            {"IndexName": "ByReleased",
                             "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"},
                                           {"AttributeName": "Released", "KeyType": "RANGE"}],
                             "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["Album"]}}
                        ],
                        "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"},
                        "TableClass": "STANDARD_INFREQUENT_ACCESS",
                        "DeletionProtectionEnabled": true,
                        "Tags": [{"Key": "team", "Value": "catalog"}, {"Key": "cost-center", "Value": "4217"}]
                    }),
                ),
                (
                    "UpdateTimeToLive",
                    json!({"TableName": "Music", "TimeToLiveSpecification": {"AttributeName": "expiresAt", "Enabled": true}}),
                ),
                (
                    "UpdateContinuousBackups",
                    json!({"TableName": "Music", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}}),
                ),
            ],
            items: vec![
                json!({"Artist": {"S": "Nina"}, "SongTitle": {"S": "Sinnerman"}, "Album": {"S": "Pastel Blues"},
                       "Year": {"N": "1965"}, "Genre": {"S": "Jazz"}, "Tags": {"SS": ["live", "long"]}}),
                json!({"Artist": {"S": "Nina"}, "SongTitle": {"S": "Feeling Good"}, "Released": {"S": "1965-06"},
                       "Price": {"N": "1.29"}, "Credits": {"M": {"Writer": {"L": [{"S": "Newley"}, {"S": "Bricusse"}]}}}}),
            ],
        },
        Sample {
            table: "orders-2024.v2",
            requests: vec![(
                "CreateTable",
                json!({
                    "TableName": "orders-2024.v2",
                    // Attribute names YAML would read as booleans, or as a key and a value, and
                    // one with a quote, a backslash and a template sequence in it.
                    "AttributeDefinitions": [
                        {"AttributeName": "yes", "AttributeType": "S"},
                        {"AttributeName": "a: b", "AttributeType": "N"},
                        {"AttributeName": "say \"${hi}\" \\ %{x}", "AttributeType": "S"}
                    ],
                    "KeySchema": [{"AttributeName": "yes", "KeyType": "HASH"}],
                    "BillingMode": "PAY_PER_REQUEST",
                    "GlobalSecondaryIndexes": [
                        {"IndexName": "by-quote",
                         "KeySchema": [{"AttributeName": "say \"${hi}\" \\ %{x}", "KeyType": "HASH"},
                                       {"AttributeName": "a: b", "KeyType": "RANGE"}],
                         "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["on", "#total"]}}
                    ],
                    "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"},
                    "Tags": [{"Key": "owner", "Value": "no"}, {"Key": "path", "Value": "a/b: c=d+e@f"}]
                }),
            )],
            items: vec![
                json!({"yes": {"S": "o-1"}, "a: b": {"N": "-350.5"}, "on": {"BOOL": true}, "nothing": {"NULL": true}}),
            ],
        },
        Sample {
            table: "Sessions",
            requests: vec![
                (
                    "CreateTable",
                    json!({
                        "TableName": "Sessions",
                        "AttributeDefinitions": [
                            {"AttributeName": "token", "AttributeType": "B"},
                            {"AttributeName": "seq", "AttributeType": "N"}
                        ],
                        "KeySchema": [
                            {"AttributeName": "token", "KeyType": "HASH"},
                            {"AttributeName": "seq", "KeyType": "RANGE"}
                        ],
                        "BillingMode": "PAY_PER_REQUEST"
                    }),
                ),
                (
                    "UpdateTimeToLive",
                    json!({"TableName": "Sessions", "TimeToLiveSpecification": {"AttributeName": "ttl", "Enabled": true}}),
                ),
            ],
            items: vec![
                json!({"token": {"B": "3q2+7w=="}, "seq": {"N": "1"}, "ttl": {"N": "1767225600"}, "blobs": {"BS": ["AAE="]}}),
            ],
        },
        Sample {
            table: "3d-models",
            requests: vec![
                (
                    "CreateTable",
                    json!({
                        "TableName": "3d-models",
                        "AttributeDefinitions": [
                            {"AttributeName": "pk", "AttributeType": "S"},
                            {"AttributeName": "sk", "AttributeType": "S"},
                            {"AttributeName": "polygons", "AttributeType": "N"},
                            {"AttributeName": "owner", "AttributeType": "S"},
                            {"AttributeName": "format", "AttributeType": "S"}
                        ],
                        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                        "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
                        "LocalSecondaryIndexes": [
                            {"IndexName": "ByPolygons",
                             "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "polygons", "KeyType": "RANGE"}],
                             "Projection": {"ProjectionType": "ALL"}}
                        ],
                        "GlobalSecondaryIndexes": [
                            {"IndexName": "ByOwner",
                             "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}],
                             "Projection": {"ProjectionType": "KEYS_ONLY"},
                             "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}},
                            // A multi-attribute key: two HASH and two RANGE attributes.
                            {"IndexName": "ByOwnerFormat",
                             "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"},
                                           {"AttributeName": "format", "KeyType": "HASH"},
                                           {"AttributeName": "polygons", "KeyType": "RANGE"},
                                           {"AttributeName": "sk", "KeyType": "RANGE"}],
                             "Projection": {"ProjectionType": "ALL"},
                             "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 1}}
                        ],
                        "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}
                    }),
                ),
                (
                    "TagResource",
                    json!({"ResourceArn": arn("3d-models"), "Tags": [{"Key": "Name", "Value": "models"}]}),
                ),
            ],
            items: vec![],
        },
    ]
}

/// The four describe answers for `table`, as the page gathers them, from an engine.
pub fn describe(engine: &mut dynaplay_engine::Engine, table: &str) -> Result<crate::TableDesign, String> {
    let name = json!({ "TableName": table });
    let described = engine.handle_json("DescribeTable", name.clone()).map_err(|e| e.to_string())?;
    let ttl = engine.handle_json("DescribeTimeToLive", name.clone()).map_err(|e| e.to_string())?;
    let arn = described["Table"]["TableArn"].clone();
    let tags =
        engine.handle_json("ListTagsOfResource", json!({ "ResourceArn": arn })).map_err(|e| e.to_string())?;
    let backups = engine.handle_json("DescribeContinuousBackups", name).map_err(|e| e.to_string())?;
    crate::TableDesign::from_descriptions(crate::table::Descriptions {
        table: Some(&described),
        time_to_live: Some(&ttl),
        tags: Some(&tags),
        continuous_backups: Some(&backups),
    })
    .map_err(|e| e.to_string())
}

/// Creates every sample table (and its items) on `engine`.
pub fn build(engine: &mut dynaplay_engine::Engine) -> Result<(), String> {
    for sample in all() {
        for (op, request) in &sample.requests {
            engine.handle_json(op, request.clone()).map_err(|e| format!("{} {op}: {e}", sample.table))?;
        }
        for item in &sample.items {
            engine
                .handle_json("PutItem", json!({"TableName": sample.table, "Item": item}))
                .map_err(|e| format!("{} PutItem: {e}", sample.table))?;
        }
    }
    Ok(())
}
