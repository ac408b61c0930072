//! Access control (`iam`): identities, their policies and the table's resource-based policy,
//! evaluated as IAM evaluates a request inside one account.
#![cfg(feature = "iam")]

use dynaplay_engine::{Engine, ErrorKind};
use serde_json::{json, Value};

const TABLE_ARN: &str = "arn:aws:dynamodb:us-east-1:000000000000:table/Notes";

fn engine() -> Engine {
    let mut engine = Engine::new();
    engine.set_now(1_700_000_000_000);
    engine
        .handle_json(
            "CreateTable",
            json!({
                "TableName": "Notes",
                "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"},
                              {"AttributeName": "note", "KeyType": "RANGE"}],
                "AttributeDefinitions": [{"AttributeName": "owner", "AttributeType": "S"},
                                         {"AttributeName": "note", "AttributeType": "S"},
                                         {"AttributeName": "topic", "AttributeType": "S"}],
                "GlobalSecondaryIndexes": [{"IndexName": "ByTopic",
                    "KeySchema": [{"AttributeName": "topic", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"}}],
                "BillingMode": "PAY_PER_REQUEST"
            }),
        )
        .unwrap();
    for owner in ["alice", "bob"] {
        let item =
            json!({"owner": {"S": owner}, "note": {"S": "n1"}, "topic": {"S": "t"}, "body": {"S": "hi"}});
        engine.handle_json("PutItem", json!({"TableName": "Notes", "Item": item})).unwrap();
    }
    engine
}

fn policy(statements: Value) -> String {
    json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

fn put_user(engine: &mut Engine, name: &str, statements: Value) {
    let key = format!("AKIA{}00000000000", name.to_uppercase());
    let mut request = json!({"IdentityName": name,
        "AccessKeys": [{"AccessKeyId": key, "SecretAccessKey": "secret"}]});
    if statements != Value::Null {
        request["Policies"] = json!([{"PolicyName": "own", "PolicyDocument": policy(statements)}]);
    }
    engine.handle_json("PlaygroundPutIdentity", request).unwrap();
}

fn as_user(engine: &mut Engine, name: &str) {
    let key = format!("AKIA{}00000000000", name.to_uppercase());
    assert!(engine.act_as(Some(&key)));
}

fn get(engine: &mut Engine, owner: &str) -> Result<Value, dynaplay_engine::ApiError> {
    engine.handle_json(
        "GetItem",
        json!({"TableName": "Notes", "Key": {"owner": {"S": owner}, "note": {"S": "n1"}}}),
    )
}

fn denied(result: Result<Value, dynaplay_engine::ApiError>) -> String {
    let error = result.expect_err("denied");
    assert_eq!(error.kind, ErrorKind::AccessDenied, "{error:?}");
    assert_eq!(error.kind.name(), "AccessDeniedException");
    error.message
}

/// The worked example: each user reads and writes only the items of their own partition.
fn own_partition() -> Value {
    json!([{
        "Sid": "OwnItemsOnly",
        "Effect": "Allow",
        "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query",
                   "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:UpdateItem"],
        "Resource": TABLE_ARN,
        "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${aws:username}"]}}
    }])
}

#[test]
fn with_no_identities_everything_is_allowed() {
    let mut engine = engine();
    assert!(!engine.act_as(Some("AKIANOBODY0000000000")));
    assert!(get(&mut engine, "bob").unwrap()["Item"].is_object());
    engine.handle_json("DeleteTable", json!({"TableName": "Notes"})).unwrap();
}

#[test]
fn leading_keys_keep_each_user_to_their_own_partition() {
    let mut engine = engine();
    put_user(&mut engine, "alice", own_partition());
    put_user(&mut engine, "bob", own_partition());
    as_user(&mut engine, "alice");
    assert_eq!(get(&mut engine, "alice").unwrap()["Item"]["body"], json!({"S": "hi"}));
    assert_eq!(
        denied(get(&mut engine, "bob")),
        "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: dynamodb:GetItem on resource: \
         arn:aws:dynamodb:us-east-1:000000000000:table/Notes because no identity-based policy allows the dynamodb:GetItem action"
    );
    // Query: the key condition's partition value.
    let query = |owner: &str| {
        json!({"TableName": "Notes", "KeyConditionExpression": "#o = :o",
               "ExpressionAttributeNames": {"#o": "owner"}, "ExpressionAttributeValues": {":o": {"S": owner}}})
    };
    assert_eq!(engine.handle_json("Query", query("alice")).unwrap()["Count"], json!(1));
    assert!(denied(engine.handle_json("Query", query("bob"))).contains("dynamodb:Query on resource"));
    // A batch is authorized per table, with every key's partition value: one of bob's denies it all.
    let keys = |owners: &[&str]| -> Value {
        owners.iter().map(|o| json!({"owner": {"S": o}, "note": {"S": "n1"}})).collect()
    };
    let batch = |owners: &[&str]| json!({"RequestItems": {"Notes": {"Keys": keys(owners)}}});
    engine.handle_json("BatchGetItem", batch(&["alice"])).unwrap();
    assert!(denied(engine.handle_json("BatchGetItem", batch(&["alice", "bob"]))).contains(
        "dynamodb:BatchGetItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/Notes because"
    ));
    let write = |owner: &str| json!({"RequestItems": {"Notes": [{"PutRequest": {"Item": {"owner": {"S": owner}, "note": {"S": "n2"}}}}]}});
    engine.handle_json("BatchWriteItem", write("alice")).unwrap();
    denied(engine.handle_json("BatchWriteItem", write("bob")));
    // Scan is not allowed; an unauthorized request to a missing table is denied, not "not found".
    assert!(denied(engine.handle_json("Scan", json!({"TableName": "Notes"}))).contains("dynamodb:Scan"));
    denied(engine.handle_json("GetItem", json!({"TableName": "Nope", "Key": {"owner": {"S": "alice"}}})));
    // Back as the root user: everything.
    engine.act_as(None);
    get(&mut engine, "bob").unwrap();
}

#[test]
fn an_explicit_deny_wins_over_any_allow() {
    let mut engine = engine();
    put_user(
        &mut engine,
        "carol",
        json!([
            {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"},
            {"Sid": "NoDeletes", "Effect": "Deny", "Action": ["dynamodb:Delete*"], "Resource": "arn:aws:dynamodb:*:*:table/No*"}
        ]),
    );
    as_user(&mut engine, "carol");
    get(&mut engine, "bob").unwrap();
    engine.handle_json("ListTables", json!({})).unwrap();
    assert_eq!(
        denied(engine.handle_json("DeleteTable", json!({"TableName": "Notes"}))),
        "User: arn:aws:iam::000000000000:user/carol is not authorized to perform: dynamodb:DeleteTable on resource: \
         arn:aws:dynamodb:us-east-1:000000000000:table/Notes with an explicit deny in an identity-based policy"
    );
    denied(engine.handle_json(
        "DeleteItem",
        json!({"TableName": "Notes", "Key": {"owner": {"S": "a"}, "note": {"S": "b"}}}),
    ));
}

#[test]
fn not_action_not_resource_and_index_arns() {
    let mut engine = engine();
    put_user(
        &mut engine,
        "dave",
        json!([
            {"Effect": "Allow", "NotAction": ["dynamodb:Delete*", "dynamodb:Scan"], "Resource": TABLE_ARN},
            {"Effect": "Allow", "Action": "dynamodb:Scan", "NotResource": TABLE_ARN}
        ]),
    );
    as_user(&mut engine, "dave");
    get(&mut engine, "bob").unwrap();
    denied(engine.handle_json(
        "DeleteItem",
        json!({"TableName": "Notes", "Key": {"owner": {"S": "a"}, "note": {"S": "b"}}}),
    ));
    // The table's ARN does not cover its indexes: a Query of one is on the index's ARN.
    let by_topic = json!({"TableName": "Notes", "IndexName": "ByTopic", "KeyConditionExpression": "topic = :t",
                          "ExpressionAttributeValues": {":t": {"S": "t"}}});
    assert!(denied(engine.handle_json("Query", by_topic.clone()))
        .contains("dynamodb:Query on resource: arn:aws:dynamodb:us-east-1:000000000000:table/Notes/index/ByTopic because"));
    // Scan is allowed on anything but the table: its index.
    engine.handle_json("Scan", json!({"TableName": "Notes", "IndexName": "ByTopic"})).unwrap();
    denied(engine.handle_json("Scan", json!({"TableName": "Notes"})));
    // ListTables is on resource "*", which the table's ARN does not match.
    assert!(denied(engine.handle_json("ListTables", json!({})))
        .contains("dynamodb:ListTables on resource: * because"));
}

#[test]
fn attributes_select_return_values_and_consumed_capacity() {
    let mut engine = engine();
    put_user(
        &mut engine,
        "erin",
        json!([{
            "Effect": "Allow",
            "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"],
            "Resource": TABLE_ARN,
            "Condition": {
                "ForAllValues:StringEquals": {"dynamodb:Attributes": ["owner", "note", "body"]},
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES",
                                         "dynamodb:ReturnValues": ["NONE", "UPDATED_OLD"]},
                "StringNotEqualsIfExists": {"dynamodb:ReturnConsumedCapacity": "INDEXES"}
            }
        }]),
    );
    as_user(&mut engine, "erin");
    let key = json!({"owner": {"S": "bob"}, "note": {"S": "n1"}});
    // No projection: Select is ALL_ATTRIBUTES, which the policy does not allow.
    denied(engine.handle_json("GetItem", json!({"TableName": "Notes", "Key": key})));
    let read =
        |projection: &str| json!({"TableName": "Notes", "Key": key, "ProjectionExpression": projection});
    assert_eq!(engine.handle_json("GetItem", read("body")).unwrap()["Item"], json!({"body": {"S": "hi"}}));
    denied(engine.handle_json("GetItem", read("body, topic")));
    let mut total = read("body");
    total["ReturnConsumedCapacity"] = json!("TOTAL");
    engine.handle_json("GetItem", total.clone()).unwrap();
    total["ReturnConsumedCapacity"] = json!("INDEXES");
    denied(engine.handle_json("GetItem", total));
    let update = |rv: &str| {
        json!({"TableName": "Notes", "Key": key, "UpdateExpression": "SET body = :b",
               "ExpressionAttributeValues": {":b": {"S": "new"}}, "ReturnValues": rv})
    };
    engine.handle_json("UpdateItem", update("UPDATED_OLD")).unwrap();
    denied(engine.handle_json("UpdateItem", update("ALL_NEW")));
    let mut topic = update("NONE");
    topic["UpdateExpression"] = json!("SET topic = :b");
    denied(engine.handle_json("UpdateItem", topic));
}

#[test]
fn for_any_value_and_null() {
    let mut engine = engine();
    put_user(
        &mut engine,
        "fay",
        json!([
            {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "dynamodb:*", "Resource": "*",
             "Condition": {"ForAnyValue:StringLike": {"dynamodb:Attributes": ["secret*"]}}},
            {"Effect": "Deny", "Action": "dynamodb:PutItem", "Resource": "*",
             "Condition": {"Null": {"dynamodb:ReturnValues": "true"}}}
        ]),
    );
    as_user(&mut engine, "fay");
    let put = |attr: &str, rv: Option<&str>| {
        let mut r = json!({"TableName": "Notes", "Item": {"owner": {"S": "x"}, "note": {"S": "y"}, attr: {"S": "v"}}});
        if let Some(rv) = rv {
            r["ReturnValues"] = json!(rv);
        }
        r
    };
    engine.handle_json("PutItem", put("body", Some("NONE"))).unwrap();
    denied(engine.handle_json("PutItem", put("body", None)));
    denied(engine.handle_json("PutItem", put("secretCode", Some("NONE"))));
    let scan = engine.handle_json("Scan", json!({"TableName": "Notes"})).unwrap();
    assert!(scan["Count"].as_u64().unwrap() >= 2);
}

#[test]
fn resource_based_policies_allow_and_deny() {
    let mut engine = engine();
    put_user(&mut engine, "gus", Value::Null);
    put_user(&mut engine, "hal", json!([{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]));
    let rbp = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000000:user/gus"},
         "Action": "dynamodb:GetItem", "Resource": TABLE_ARN},
        {"Effect": "Deny", "Principal": {"AWS": ["arn:aws:iam::000000000000:user/hal"]},
         "Action": "dynamodb:PutItem", "Resource": TABLE_ARN}
    ]});
    engine
        .handle_json("PutResourcePolicy", json!({"ResourceArn": TABLE_ARN, "Policy": rbp.to_string()}))
        .unwrap();
    as_user(&mut engine, "gus");
    get(&mut engine, "bob").unwrap();
    denied(engine.handle_json("DescribeTable", json!({"TableName": "Notes"})));
    as_user(&mut engine, "hal");
    get(&mut engine, "bob").unwrap();
    assert_eq!(
        denied(engine.handle_json("PutItem", json!({"TableName": "Notes", "Item": {"owner": {"S": "x"}, "note": {"S": "y"}}}))),
        "User: arn:aws:iam::000000000000:user/hal is not authorized to perform: dynamodb:PutItem on resource: \
         arn:aws:dynamodb:us-east-1:000000000000:table/Notes with an explicit deny in a resource-based policy"
    );
}

#[test]
fn a_role_session_with_web_identity_variables() {
    let mut engine = engine();
    let statements = json!([{"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": TABLE_ARN,
        "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${www.amazon.com:user_id}"]}}}]);
    engine
        .handle_json(
            "PlaygroundPutIdentity",
            json!({"IdentityName": "GameRole", "IdentityType": "ROLE", "RoleSessionName": "web",
                   "AccessKeys": [{"AccessKeyId": "ASIAGAMEROLE00000000", "SecretAccessKey": "s"}],
                   "SessionContext": {"www.amazon.com:user_id": "alice"},
                   "Policies": [{"PolicyName": "game", "PolicyDocument": policy(statements)}]}),
        )
        .unwrap();
    assert!(engine.act_as(Some("ASIAGAMEROLE00000000")));
    get(&mut engine, "alice").unwrap();
    assert!(denied(get(&mut engine, "bob"))
        .starts_with("User: arn:aws:sts::000000000000:assumed-role/GameRole/web is not authorized"));
}

#[test]
fn transactions_need_each_action_they_take() {
    let mut engine = engine();
    put_user(
        &mut engine,
        "ivy",
        json!([{"Effect": "Allow", "Action": ["dynamodb:PutItem"], "Resource": TABLE_ARN}]),
    );
    as_user(&mut engine, "ivy");
    let put = json!({"Put": {"TableName": "Notes", "Item": {"owner": {"S": "i"}, "note": {"S": "1"}}}});
    engine.handle_json("TransactWriteItems", json!({"TransactItems": [put]})).unwrap();
    let check = json!({"ConditionCheck": {"TableName": "Notes", "Key": {"owner": {"S": "i"}, "note": {"S": "1"}},
                                          "ConditionExpression": "attribute_exists(note)"}});
    assert!(denied(engine.handle_json("TransactWriteItems", json!({"TransactItems": [put, check]})))
        .contains("dynamodb:ConditionCheckItem"));
    assert!(denied(engine.handle_json("ExecuteStatement", json!({"Statement": "SELECT * FROM Notes"})))
        .contains("dynamodb:PartiQLSelect on resource: arn:aws:dynamodb:us-east-1:000000000000:table/Notes"));
}

#[test]
fn malformed_policies_are_refused_with_iam_words() {
    let mut engine = Engine::new();
    let put = |engine: &mut Engine, document: &str| {
        engine.handle_json(
            "PlaygroundPutIdentity",
            json!({"IdentityName": "x", "AccessKeys": [{"AccessKeyId": "AKIAXXXXXXXXXXXXXXXX", "SecretAccessKey": "s"}],
                   "Policies": [{"PolicyName": "p", "PolicyDocument": document}]}),
        )
    };
    let cases = [
        ("not json", "Syntax errors in policy."),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Action":"dynamodb:*","Resource":"*"}]}"#,
            "Missing required field Effect",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"GetItem","Resource":"*"}}"#,
            "must be prefaced by a vendor",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"dynamodb:*","Resource":"*"}}"#,
            "should not specify a principal",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"StringEqualz":{"dynamodb:Select":"x"}}}}"#,
            "Invalid Condition type : StringEqualz",
        ),
        (r#"{"Statement":{"Effect":"Maybe","Action":"dynamodb:*","Resource":"*"}}"#, "Invalid effect: Maybe"),
    ];
    for (document, words) in cases {
        let error = put(&mut engine, document).unwrap_err();
        assert_eq!(error.kind, ErrorKind::Validation);
        assert!(error.message.contains(words), "{document}: {}", error.message);
        assert!(error.message.starts_with("MalformedPolicyDocument: Policy p: "), "{}", error.message);
    }
    assert_eq!(engine.handle_json("PlaygroundListIdentities", json!({})).unwrap()["Identities"], json!([]));
}

#[test]
fn identities_are_workspace_state() {
    let mut engine = engine();
    put_user(&mut engine, "alice", own_partition());
    let document = engine.export_workspace();
    assert_eq!(document["iam"]["Identities"][0]["IdentityName"], json!("alice"));
    let mut copy = Engine::import_workspace(&document).unwrap();
    assert_eq!(copy.export_workspace(), document);
    let snapshot = Engine::import_workspace(&engine.export_snapshot()).unwrap();
    assert_eq!(snapshot.export_workspace(), document);
    as_user(&mut copy, "alice");
    denied(get(&mut copy, "bob"));
    // Deleting the identity: its key is the root user's again.
    copy.act_as(None);
    copy.handle_json("PlaygroundDeleteIdentity", json!({"IdentityName": "alice"})).unwrap();
    assert!(copy.export_workspace().get("iam").is_none());
    let gone = copy.handle_json("PlaygroundDeleteIdentity", json!({"IdentityName": "alice"})).unwrap_err();
    assert_eq!(gone.kind, ErrorKind::ResourceNotFound);
}

#[test]
fn access_keys_belong_to_one_identity() {
    let mut engine = Engine::new();
    put_user(&mut engine, "alice", Value::Null);
    let taken = engine
        .handle_json(
            "PlaygroundPutIdentity",
            json!({"IdentityName": "mallory", "AccessKeys": [{"AccessKeyId": "AKIAALICE00000000000", "SecretAccessKey": "x"}]}),
        )
        .unwrap_err();
    assert_eq!(taken.message, "Access key AKIAALICE00000000000 already belongs to identity alice");
    assert_eq!(engine.access_key_secret("AKIAALICE00000000000"), Some("secret"));
    assert_eq!(engine.access_key_secret("AKIAOTHER00000000000"), None);
}

#[test]
fn a_journal_of_a_workspace_with_identities_replays_to_the_same_workspace() {
    use dynaplay_engine::journal::{encode_record, restore};
    use dynaplay_engine::EngineConfig;
    let mut engine = Engine::new();
    engine.set_now(1_700_000_000_000);
    let mut entries = Vec::new();
    let mut run = |engine: &mut Engine, operation: &str, request: Value| {
        let (answer, entry) = engine.handle_logged(operation, request.to_string().as_bytes());
        entries.extend(entry);
        answer
    };
    let table = json!({"TableName": "Notes", "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "owner", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"});
    run(&mut engine, "CreateTable", table).unwrap();
    let identity = json!({"IdentityName": "alice",
        "AccessKeys": [{"AccessKeyId": "AKIAALICE00000000000", "SecretAccessKey": "secret"}],
        "Policies": [{"PolicyName": "own", "PolicyDocument": policy(json!([{"Effect": "Allow",
            "Action": "dynamodb:PutItem", "Resource": TABLE_ARN,
            "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${aws:username}"]}}}]))}]});
    run(&mut engine, "PlaygroundPutIdentity", identity).unwrap();
    engine.act_as(Some("AKIAALICE00000000000"));
    let put = |owner: &str| json!({"TableName": "Notes", "Item": {"owner": {"S": owner}}});
    run(&mut engine, "PutItem", put("alice")).unwrap();
    run(&mut engine, "PutItem", put("bob")).unwrap_err();
    engine.act_as(None);
    run(&mut engine, "PutItem", put("carol")).unwrap();
    assert_eq!(entries.len(), 4, "the denied write is not journaled");
    let record = encode_record(&entries).unwrap();
    let restored = restore(None, &[record], EngineConfig::default());
    assert!(restored.failure.is_none(), "{:?}", restored.failure);
    assert_eq!(restored.engine.export_workspace(), engine.export_workspace());
    assert_eq!(engine.export_workspace()["tables"][0]["Items"].as_array().unwrap().len(), 2);
}

#[test]
fn explain_access_names_the_deciding_statement_without_running_the_request() {
    let mut engine = engine();
    put_user(&mut engine, "alice", own_partition());
    let explain = |engine: &mut Engine, owner: &str| {
        engine
            .handle_json(
                "PlaygroundExplainAccess",
                json!({"IdentityName": "alice", "Operation": "PutItem",
                       "Request": {"TableName": "Notes", "Item": {"owner": {"S": owner}, "note": {"S": "z"}}}}),
            )
            .unwrap()
    };
    let allowed = explain(&mut engine, "alice");
    assert_eq!(allowed["EvalDecision"], json!("allowed"));
    assert_eq!(allowed["Principal"], json!("arn:aws:iam::000000000000:user/alice"));
    let result = &allowed["EvaluationResults"][0];
    assert_eq!(result["EvalActionName"], json!("dynamodb:PutItem"));
    assert_eq!(result["MatchedStatements"][0]["Sid"], json!("OwnItemsOnly"));
    assert_eq!(result["MatchedStatements"][0]["SourcePolicyId"], json!("own"));
    assert_eq!(result["ContextKeys"]["dynamodb:LeadingKeys"], json!(["alice"]));
    let denied = explain(&mut engine, "bob");
    assert_eq!(denied["EvalDecision"], json!("implicitDeny"));
    assert_eq!(denied["EvaluationResults"][0]["MatchedStatements"], json!([]));
    assert!(denied["Message"]
        .as_str()
        .unwrap()
        .ends_with("because no identity-based policy allows the dynamodb:PutItem action"));
    // Nothing ran: the table still has only its two items.
    engine.act_as(None);
    assert_eq!(engine.handle_json("Scan", json!({"TableName": "Notes"})).unwrap()["Count"], json!(2));
}

#[test]
fn use_access_key_switches_who_requests_are_sent_as() {
    let mut engine = engine();
    put_user(&mut engine, "alice", own_partition());
    let used =
        engine.handle_json("PlaygroundUseAccessKey", json!({"AccessKeyId": "AKIAALICE00000000000"})).unwrap();
    assert_eq!(
        used,
        json!({"ActingAs": "AKIAALICE00000000000", "Arn": "arn:aws:iam::000000000000:user/alice"})
    );
    denied(get(&mut engine, "bob"));
    let unknown = engine
        .handle_json("PlaygroundUseAccessKey", json!({"AccessKeyId": "AKIANOBODY0000000000"}))
        .unwrap_err();
    assert_eq!(unknown.message, "No identity has the access key AKIANOBODY0000000000");
    assert_eq!(engine.handle_json("PlaygroundUseAccessKey", json!({})).unwrap(), json!({}));
    get(&mut engine, "bob").unwrap();
    assert!(!dynaplay_engine::is_mutating("PlaygroundUseAccessKey"));
}

#[test]
fn the_principal_requests_go_as_is_named_for_the_page() {
    let mut engine = engine();
    assert_eq!(engine.acting_as_arn(), None, "the root user");
    put_user(&mut engine, "alice", Value::Null);
    as_user(&mut engine, "alice");
    assert_eq!(engine.acting_as_arn().as_deref(), Some("arn:aws:iam::000000000000:user/alice"));
    // A key no identity has, or the identity deleted: the root user again.
    engine.handle_json("PlaygroundDeleteIdentity", json!({"IdentityName": "alice"})).unwrap();
    assert_eq!(engine.acting_as_arn(), None);
    engine.act_as(None);
    assert_eq!(engine.acting_as_arn(), None);
}
