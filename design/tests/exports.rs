//! Every representative table (`samples`), made on the engine, described, and written in every
//! format; each output is then read back by an independent reader and turned into a table again
//! — the CloudFormation template "deployed" as the requests CloudFormation would send, the
//! Terraform parsed as HCL — and the table that comes back must have the design that went out.

// Test code never ships: the bundle rules (clippy.toml) do not bind it.
#![allow(clippy::disallowed_methods)]

use dynaplay_design::table::{
    Billing, GlobalIndex, Key, LocalIndex, OnDemandLimits, Projection, ScalarType, Throughput,
};
use dynaplay_design::{cdk, cloudformation, samples, terraform, Format, TableDesign};
use dynaplay_engine::Engine;
use serde_json::{json, Value};

fn engine_with_samples() -> Engine {
    let mut engine = Engine::new();
    samples::build(&mut engine).unwrap();
    engine
}

fn designs() -> Vec<TableDesign> {
    let mut engine = engine_with_samples();
    samples::all().iter().map(|s| samples::describe(&mut engine, s.table).unwrap()).collect()
}

#[test]
fn the_samples_read_as_designed() {
    let designs = designs();
    let music = &designs[0];
    assert_eq!(music.key, Key::new("Artist", Some("SongTitle".into())));
    assert_eq!(music.billing, Billing::Provisioned(Throughput { read: 5, write: 4 }));
    assert_eq!(music.global_indexes.len(), 3);
    assert_eq!(
        music.global_indexes[1],
        GlobalIndex {
            name: "GenreByYear".into(),
            key: Key::new("Genre", Some("Year".into())),
            projection: Projection::Include(vec!["Price".into(), "Label".into()]),
            throughput: Some(Throughput { read: 1, write: 1 }),
            on_demand: OnDemandLimits::default(),
        }
    );
    assert_eq!(
        music.local_indexes,
        vec![LocalIndex {
            name: "ByReleased".into(),
            sort: "Released".into(),
            projection: Projection::Include(vec!["Album".into()])
        }]
    );
    assert_eq!(music.stream.as_deref(), Some("NEW_AND_OLD_IMAGES"));
    assert_eq!(music.ttl_attribute.as_deref(), Some("expiresAt"));
    assert_eq!(music.tags, vec![("team".into(), "catalog".into()), ("cost-center".into(), "4217".into())]);
    assert!(music.point_in_time_recovery && music.deletion_protection);
    assert_eq!(music.table_class.as_deref(), Some("STANDARD_INFREQUENT_ACCESS"));
    assert_eq!(music.attribute_type("Year"), Some(ScalarType::Number));
    let orders = &designs[1];
    assert!(orders.on_demand());
    assert!(orders.global_indexes[0].throughput.is_none(), "an on-demand table's index has no capacity");
    assert!(orders.ttl_attribute.is_none() && !orders.point_in_time_recovery && orders.table_class.is_none());
    assert_eq!(designs[2].attribute_type("token"), Some(ScalarType::Binary));

    assert_eq!(designs[3].tags, vec![("Name".into(), "models".into())]);
    let multi = &designs[3].global_indexes[1].key;
    assert_eq!(multi.partitions().collect::<Vec<_>>(), ["owner", "format"]);
    assert_eq!(multi.sorts().collect::<Vec<_>>(), ["polygons", "sk"]);
}

/// What CloudFormation sends to DynamoDB for an `AWS::DynamoDB::Table`'s properties.
fn cloudformation_requests(properties: &Value) -> Vec<(&'static str, Value)> {
    let mut create = properties.clone();
    let members = create.as_object_mut().unwrap();
    let ttl = members.remove("TimeToLiveSpecification");
    let pitr = members.remove("PointInTimeRecoverySpecification");
    if let Some(stream) = members.get_mut("StreamSpecification") {
        stream["StreamEnabled"] = json!(true);
    }
    let name = properties["TableName"].clone();
    let mut requests = vec![("CreateTable", create)];
    if let Some(ttl) = ttl {
        requests.push(("UpdateTimeToLive", json!({"TableName": name, "TimeToLiveSpecification": ttl})));
    }
    if let Some(pitr) = pitr {
        requests.push((
            "UpdateContinuousBackups",
            json!({"TableName": name, "PointInTimeRecoverySpecification": pitr}),
        ));
    }
    requests
}

#[test]
fn the_cloudformation_template_deploys_as_the_same_table() {
    for design in designs() {
        let template: Value = serde_json::from_slice(cloudformation::json(&design).as_bytes()).unwrap();
        assert_eq!(template["AWSTemplateFormatVersion"], "2010-09-09");
        let resources = template["Resources"].as_object().unwrap();
        assert_eq!(resources.len(), 1);
        let (logical_id, resource) = resources.iter().next().unwrap();
        assert!(logical_id.chars().all(|c| c.is_ascii_alphanumeric()), "{logical_id}");
        assert_eq!(resource["Type"], "AWS::DynamoDB::Table");
        assert_eq!(
            (&resource["DeletionPolicy"], &resource["UpdateReplacePolicy"]),
            (&json!("Retain"), &json!("Retain"))
        );
        let mut engine = Engine::new();
        for (op, request) in cloudformation_requests(&resource["Properties"]) {
            engine.handle_json(op, request.clone()).unwrap_or_else(|e| panic!("{op} {request}: {e}"));
        }
        assert_eq!(samples::describe(&mut engine, &design.name).unwrap(), design, "{}", design.name);
    }
}

#[test]
fn the_cloudformation_template_leaves_out_what_the_table_lacks() {
    let designs = designs();
    let sessions: Value = serde_json::from_slice(cloudformation::json(&designs[2]).as_bytes()).unwrap();
    let properties = sessions["Resources"]["SessionsTable"]["Properties"].as_object().unwrap();
    let names: Vec<&str> = properties.keys().map(String::as_str).collect();
    let mut expected =
        vec!["AttributeDefinitions", "BillingMode", "KeySchema", "TableName", "TimeToLiveSpecification"];
    expected.sort_unstable();
    assert_eq!(names, expected, "no empty or default sections");
    let yaml = cloudformation::yaml(&designs[2]);
    for absent in
        ["GlobalSecondaryIndexes", "Tags", "StreamSpecification", "ProvisionedThroughput", "[]", "{}"]
    {
        assert!(!yaml.contains(absent), "{absent} in\n{yaml}");
    }
}

fn yaml_to_json(yaml: &yaml_rust2::Yaml) -> Value {
    use yaml_rust2::Yaml;
    match yaml {
        Yaml::String(s) => json!(s),
        Yaml::Integer(n) => json!(n),
        Yaml::Boolean(b) => json!(b),
        Yaml::Array(items) => Value::Array(items.iter().map(yaml_to_json).collect()),
        Yaml::Hash(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.as_str().expect("string keys").to_owned(), yaml_to_json(v)))
                .collect(),
        ),
        other => panic!("unexpected YAML value {other:?}"),
    }
}

#[test]
fn the_yaml_template_is_the_json_template() {
    for design in designs() {
        let yaml = cloudformation::yaml(&design);
        let documents =
            yaml_rust2::YamlLoader::load_from_str(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        assert_eq!(documents.len(), 1);
        let json: Value = serde_json::from_slice(cloudformation::json(&design).as_bytes()).unwrap();
        assert_eq!(yaml_to_json(&documents[0]), json, "{yaml}");
    }
}

/// A Terraform `aws_dynamodb_table` read back into a design.
fn design_from_terraform(text: &str) -> TableDesign {
    use hcl::{Block, Body, Expression};
    let body: Body = hcl::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let resources: Vec<&Block> = body.blocks().collect();
    assert_eq!(resources.len(), 1, "one resource");
    let resource = resources[0];
    assert_eq!(resource.identifier(), "resource");
    assert_eq!(resource.labels()[0].as_str(), "aws_dynamodb_table");
    let label = resource.labels()[1].as_str();
    assert!(
        label.starts_with(|c: char| c.is_ascii_lowercase())
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    );
    let attribute = |body: &Body, name: &str| -> Option<Expression> {
        body.attributes().find(|a| a.key() == name).map(|a| a.expr().clone())
    };
    let string = |body: &Body, name: &str| match attribute(body, name) {
        Some(Expression::String(s)) => Some(s),
        Some(Expression::TemplateExpr(t)) => panic!("{name} is a template: {t}"),
        None => None,
        Some(other) => panic!("{name} is {other:?}"),
    };
    let number = |body: &Body, name: &str| match attribute(body, name) {
        Some(Expression::Number(n)) => n.as_u64(),
        None => None,
        Some(other) => panic!("{name} is {other:?}"),
    };
    let boolean = |body: &Body, name: &str| matches!(attribute(body, name), Some(Expression::Bool(true)));
    let strings = |body: &Body, name: &str| match attribute(body, name) {
        Some(Expression::Array(items)) => items
            .into_iter()
            .map(|i| match i {
                Expression::String(s) => s,
                other => panic!("{other:?}"),
            })
            .collect::<Vec<_>>(),
        other => panic!("{name} is {other:?}"),
    };
    let blocks = |kind: &str| resource.body().blocks().filter(|b| b.identifier() == kind).collect::<Vec<_>>();
    let body = resource.body();
    let projection = |b: &Body| match string(b, "projection_type").as_deref() {
        Some("ALL") => Projection::All,
        Some("KEYS_ONLY") => Projection::KeysOnly,
        Some("INCLUDE") => Projection::Include(strings(b, "non_key_attributes")),
        other => panic!("{other:?}"),
    };
    let limits = |b: &Body| {
        b.blocks().find(|x| x.identifier() == "on_demand_throughput").map_or(OnDemandLimits::default(), |x| {
            OnDemandLimits {
                max_read: number(x.body(), "max_read_request_units"),
                max_write: number(x.body(), "max_write_request_units"),
            }
        })
    };
    let throughput = |b: &Body| {
        Some(Throughput { read: number(b, "read_capacity")?, write: number(b, "write_capacity")? })
    };
    // `hash_key` / `range_key`, or one `key_schema` block per attribute (multi-attribute keys).
    let index_key = |b: &Body| {
        let elements: Vec<(String, String)> = b
            .blocks()
            .filter(|x| x.identifier() == "key_schema")
            .map(|x| (string(x.body(), "attribute_name").unwrap(), string(x.body(), "key_type").unwrap()))
            .collect();
        if elements.is_empty() {
            return Key::new(string(b, "hash_key").unwrap(), string(b, "range_key"));
        }
        assert!(string(b, "hash_key").is_none(), "key_schema and hash_key exclude each other");
        let of = |kind: &str| {
            elements.iter().filter(|(_, k)| k == kind).map(|(n, _)| n.clone()).collect::<Vec<_>>()
        };
        let (mut hash, mut range) = (of("HASH").into_iter(), of("RANGE").into_iter());
        Key {
            partition: hash.next().unwrap(),
            sort: range.next(),
            more_partition: hash.collect(),
            more_sort: range.collect(),
        }
    };
    let provisioned = string(body, "billing_mode").as_deref() == Some("PROVISIONED");
    let tags = match attribute(body, "tags") {
        Some(Expression::Object(object)) => object
            .into_iter()
            .map(|(k, v)| {
                let key = match k {
                    hcl::ObjectKey::Expression(Expression::String(s)) => s,
                    other => panic!("{other:?}"),
                };
                let Expression::String(value) = v else { panic!("{v:?}") };
                (key, value)
            })
            .collect(),
        None => Vec::new(),
        Some(other) => panic!("{other:?}"),
    };
    TableDesign {
        name: string(body, "name").unwrap(),
        attributes: blocks("attribute")
            .iter()
            .map(|b| {
                let kind = string(b.body(), "type").unwrap();
                (string(b.body(), "name").unwrap(), ScalarType::from_letter(&kind).unwrap())
            })
            .collect(),
        key: Key::new(string(body, "hash_key").unwrap(), string(body, "range_key")),
        billing: if provisioned {
            Billing::Provisioned(throughput(body).unwrap())
        } else {
            Billing::OnDemand(limits(body))
        },
        global_indexes: blocks("global_secondary_index")
            .iter()
            .map(|b| GlobalIndex {
                name: string(b.body(), "name").unwrap(),
                key: index_key(b.body()),
                projection: projection(b.body()),
                throughput: throughput(b.body()),
                on_demand: limits(b.body()),
            })
            .collect(),
        local_indexes: blocks("local_secondary_index")
            .iter()
            .map(|b| LocalIndex {
                name: string(b.body(), "name").unwrap(),
                sort: string(b.body(), "range_key").unwrap(),
                projection: projection(b.body()),
            })
            .collect(),
        stream: boolean(body, "stream_enabled").then(|| string(body, "stream_view_type").unwrap()),
        ttl_attribute: blocks("ttl").first().map(|b| {
            assert!(boolean(b.body(), "enabled"));
            string(b.body(), "attribute_name").unwrap()
        }),
        tags,
        point_in_time_recovery: blocks("point_in_time_recovery")
            .first()
            .is_some_and(|b| boolean(b.body(), "enabled")),
        deletion_protection: boolean(body, "deletion_protection_enabled"),
        table_class: string(body, "table_class"),
    }
}

#[test]
fn the_terraform_parses_as_hcl_into_the_same_design() {
    for design in designs() {
        let text = terraform::hcl(&design);
        assert_eq!(design_from_terraform(&text), design, "{text}");
    }
}

#[test]
fn on_demand_maximums_reach_every_format() {
    let described = json!({"Table": {
        "TableName": "Capped",
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "N"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
        "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
        "OnDemandThroughput": {"MaxReadRequestUnits": 100, "MaxWriteRequestUnits": -1},
        "GlobalSecondaryIndexes": [{
            "IndexName": "ByG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}, "IndexStatus": "ACTIVE",
            "OnDemandThroughput": {"MaxReadRequestUnits": -1, "MaxWriteRequestUnits": 50}}]}});
    let design = TableDesign::from_descriptions(dynaplay_design::table::Descriptions {
        table: Some(&described),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(design.billing, Billing::OnDemand(OnDemandLimits { max_read: Some(100), max_write: None }));
    let template: Value = serde_json::from_slice(cloudformation::json(&design).as_bytes()).unwrap();
    let properties = &template["Resources"]["CappedTable"]["Properties"];
    assert_eq!(properties["OnDemandThroughput"], json!({"MaxReadRequestUnits": 100}));
    assert_eq!(
        properties["GlobalSecondaryIndexes"][0]["OnDemandThroughput"],
        json!({"MaxWriteRequestUnits": 50})
    );
    assert_eq!(design_from_terraform(&terraform::hcl(&design)), design);
    let ts = cdk::typescript(&design);
    assert!(ts.contains("maxReadRequestUnits: 100,") && ts.contains("maxWriteRequestUnits: 50,"), "{ts}");
    assert!(!ts.contains("maxWriteRequestUnits: 100") && !ts.contains("maxReadRequestUnits: 50"));
}

#[test]
fn the_cdk_app_declares_each_part_once_with_quoted_names() {
    let designs = designs();
    let music = cdk::typescript(&designs[0]);
    assert!(music.contains("export class MusicStack extends cdk.Stack {"));
    assert!(music.contains("new dynamodb.Table(this, \"Table\", {"));
    assert_eq!(music.matches("addGlobalSecondaryIndex(").count(), 3);
    assert_eq!(music.matches("addLocalSecondaryIndex(").count(), 1);
    assert!(music.contains("partitionKey: { name: \"Genre\", type: dynamodb.AttributeType.STRING },"));
    assert!(music.contains("sortKey: { name: \"Year\", type: dynamodb.AttributeType.NUMBER },"));
    assert!(music.contains(
        "projectionType: dynamodb.ProjectionType.INCLUDE,\n      nonKeyAttributes: [\"Price\", \"Label\"],"
    ));
    assert!(music.contains("stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,"));
    assert!(music.contains("timeToLiveAttribute: \"expiresAt\","));
    assert!(music.contains("tableClass: dynamodb.TableClass.STANDARD_INFREQUENT_ACCESS,"));
    assert!(music.contains("cdk.Tags.of(this.table).add(\"team\", \"catalog\");"));
    assert!(music.contains("readCapacity: 5,\n      writeCapacity: 4,"));
    let orders = cdk::typescript(&designs[1]);
    assert!(orders.contains("export class Orders2024V2Stack"));
    assert!(orders.contains(r#"name: "say \"${hi}\" \\ %{x}""#), "{orders}");
    assert!(orders.contains("billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,"));
    assert!(!orders.contains("readCapacity"), "no capacity on demand");
    let models = cdk::typescript(&designs[3]);
    assert!(models.contains("export class Table3dModelsStack"));
    assert!(
        models.contains("type: dynamodb.AttributeType.BINARY")
            == designs[3].attribute_type("pk").is_some_and(|t| t == ScalarType::Binary)
    );
    assert!(cdk::typescript(&designs[2]).contains("type: dynamodb.AttributeType.BINARY"));
}

#[test]
fn every_format_has_a_file_name_and_text() {
    for design in designs() {
        for format in Format::ALL {
            let text = format.generate(&design);
            assert!(text.ends_with('\n') && text.len() > 100, "{}", format.label());
            assert!(!format.file_name(&design.name).is_empty());
        }
    }
}

#[test]
fn a_description_that_cannot_be_read_says_what_is_missing() {
    let read = |table: Value| {
        TableDesign::from_descriptions(dynaplay_design::table::Descriptions {
            table: Some(&table),
            ..Default::default()
        })
        .unwrap_err()
        .0
    };
    assert!(read(json!({})).contains("TableName"));
    assert!(read(json!({"TableName": "T"})).contains("AttributeDefinitions"));
    let base =
        json!({"TableName": "T", "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}]});
    let mut no_key = base.clone();
    no_key["KeySchema"] = json!([]);
    assert!(read(no_key).contains("partition key"));
    let mut no_capacity = base.clone();
    no_capacity["KeySchema"] = json!([{"AttributeName": "k", "KeyType": "HASH"}]);
    assert!(read(no_capacity.clone()).contains("ProvisionedThroughput"));
    let mut bad_stream = no_capacity.clone();
    bad_stream["BillingModeSummary"] = json!({"BillingMode": "PAY_PER_REQUEST"});
    bad_stream["StreamSpecification"] =
        json!({"StreamEnabled": true, "StreamViewType": "EVERYTHING\"); evil("});
    assert!(read(bad_stream).contains("StreamViewType"));
    let mut multi = no_capacity;
    multi["BillingModeSummary"] = json!({"BillingMode": "PAY_PER_REQUEST"});
    multi["KeySchema"] =
        json!([{"AttributeName": "k", "KeyType": "HASH"}, {"AttributeName": "j", "KeyType": "HASH"}]);
    assert!(read(multi).contains("several attributes"));
}
