//! NoSQL Workbench models both ways: a model written by hand to Workbench's format
//! (`fixtures/bookshop.workbench.json`) loaded into an engine; every sample table exported as a
//! model and imported again; and bad files refused with a message that says where.

// Test code never ships: the bundle rules (clippy.toml) do not bind it.
#![allow(clippy::disallowed_methods)]

use dynaplay_design::samples;
use dynaplay_design::table::Billing;
use dynaplay_design::workbench::export::{model, workbench_date, ModelTable, MAX_SAMPLE_ITEMS};
use dynaplay_design::workbench::import::{Facet, Model, BATCH_SIZE};
use dynaplay_engine::Engine;
use serde_json::{json, Value};

const FIXTURE: &[u8] = include_bytes!("fixtures/bookshop.workbench.json");

fn load(engine: &mut Engine, model: &Model) {
    for (op, request) in model.requests() {
        let answer =
            engine.handle_json(op, request.clone()).unwrap_or_else(|e| panic!("{op} {request}: {e}"));
        if op == "BatchWriteItem" {
            assert_eq!(answer["UnprocessedItems"], json!({}), "a fresh table takes a batch");
        }
    }
}

fn get(engine: &mut Engine, table: &str, key: Value) -> Value {
    engine.handle_json("GetItem", json!({"TableName": table, "Key": key})).unwrap()["Item"].clone()
}

#[test]
fn a_hand_written_model_loads_its_tables_indexes_and_items() {
    let model = Model::read(FIXTURE).unwrap();
    assert_eq!(model.name, "Bookshop");
    let names: Vec<&str> = model.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Bookshop", "Shoppers"]);
    let bookshop = &model.tables[0];
    assert_eq!(bookshop.indexes, ["GSI1", "ByPrice", "TitleOnly"]);
    assert_eq!(
        bookshop.facets,
        vec![
            Facet {
                name: "Book".into(),
                partition_alias: "BookId".into(),
                sort_alias: Some("Metadata".into()),
                items: 2
            },
            Facet {
                name: "Review".into(),
                partition_alias: "BookId".into(),
                sort_alias: Some("ReviewId".into()),
                items: 2
            },
        ]
    );
    assert_eq!(bookshop.items.len(), 5, "the table's own item and the facets'");
    assert_eq!(model.tables[1].items.len(), 2, "a repeated key keeps the later item");
    assert_eq!(model.item_count(), 7);

    let mut engine = Engine::new();
    load(&mut engine, &model);
    let described = engine.handle_json("DescribeTable", json!({"TableName": "Bookshop"})).unwrap();
    let table = &described["Table"];
    assert_eq!(table["ProvisionedThroughput"]["ReadCapacityUnits"], 6);
    assert_eq!(table["ProvisionedThroughput"]["WriteCapacityUnits"], 4);
    assert_eq!(table["ItemCount"], 5);
    let indexes = table["GlobalSecondaryIndexes"].as_array().unwrap();
    let projection =
        |name: &str| indexes.iter().find(|i| i["IndexName"] == name).unwrap()["Projection"].clone();
    assert_eq!(projection("GSI1"), json!({"ProjectionType": "ALL"}));
    assert_eq!(projection("ByPrice"), json!({"ProjectionType": "KEYS_ONLY"}));
    assert_eq!(
        projection("TitleOnly"),
        json!({"ProjectionType": "INCLUDE", "NonKeyAttributes": ["Price", "Authors"]})
    );
    let book = get(&mut engine, "Bookshop", json!({"PK": {"S": "BOOK#0001"}, "SK": {"S": "META"}}));
    assert_eq!(book["Details"]["M"]["Languages"]["L"][1], json!({"S": "fr"}));
    assert_eq!(book["Cover"], json!({"B": "iVBORw0KGgo="}));
    let by_author = engine
        .handle_json(
            "Query",
            json!({"TableName": "Bookshop", "IndexName": "GSI1", "KeyConditionExpression": "GSI1PK = :a",
                   "ExpressionAttributeValues": {":a": {"S": "AUTHOR#Lindqvist"}}}),
        )
        .unwrap();
    assert_eq!(by_author["Items"][0]["Title"], json!({"S": "Salt and Static"}));
    let shoppers = engine.handle_json("DescribeTable", json!({"TableName": "Shoppers"})).unwrap();
    assert_eq!(shoppers["Table"]["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST");
    assert_eq!(
        get(&mut engine, "Shoppers", json!({"email": {"S": "ines@example.com"}}))["visits"],
        json!({"N": "2"})
    );
}

#[test]
fn the_model_is_a_dataset_the_page_can_load() {
    let model = Model::read(FIXTURE).unwrap();
    let dataset = model.dataset();
    assert_eq!(dataset["format"], "dynaplay-dataset");
    assert_eq!(dataset["tables"], json!(["Bookshop", "Shoppers"]));
    assert_eq!(dataset["items"], 7);
    let steps = dataset["steps"].as_array().unwrap();
    assert_eq!(steps[0]["op"], "CreateTable");
    assert_eq!(steps[1]["op"], "CreateTable");
    assert!(steps[2..].iter().all(|s| s["op"] == "BatchWriteItem"));
}

#[test]
fn batches_hold_at_most_25_items() {
    let items: Vec<Value> = (0..60).map(|i| json!({"id": {"N": i.to_string()}})).collect();
    let text = json!({"DataModel": [{"TableName": "Many", "KeyAttributes": {"PartitionKey": {"AttributeName": "id", "AttributeType": "N"}},
                                     "TableData": items}]});
    let model = Model::read(text.to_string().as_bytes()).unwrap();
    let sizes: Vec<usize> = model
        .requests()
        .iter()
        .filter(|(op, _)| *op == "BatchWriteItem")
        .map(|(_, r)| r["RequestItems"]["Many"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [BATCH_SIZE, BATCH_SIZE, 10]);
    let labels: Vec<String> = model.labelled_requests().into_iter().map(|(label, _, _)| label).collect();
    assert_eq!(
        labels,
        [
            "creates table Many",
            "writes items 1–25 of Many",
            "writes items 26–50 of Many",
            "writes items 51–60 of Many"
        ]
    );
    let mut engine = Engine::new();
    load(&mut engine, &model);
    let count = engine.handle_json("Scan", json!({"TableName": "Many", "Select": "COUNT"})).unwrap();
    assert_eq!(count["Count"], 60);
}

#[test]
fn every_sample_goes_to_workbench_and_back() {
    let mut engine = Engine::new();
    samples::build(&mut engine).unwrap();
    for sample in samples::all() {
        let design = samples::describe(&mut engine, sample.table).unwrap();
        let exported =
            model(&design.name, &[ModelTable { design: &design, items: &sample.items }], 1_767_225_600_000);
        let document: Value = serde_json::from_slice(exported.text.as_bytes()).unwrap();
        assert_eq!(document["ModelMetadata"]["AWSService"], "Amazon DynamoDB");
        assert_eq!(document["ModelMetadata"]["DateCreated"], "Jan 1, 2026, 12:00 AM");
        let table = &document["DataModel"][0];
        for member in ["TableFacets", "GlobalSecondaryIndexes", "TableData"] {
            assert!(table[member].is_array(), "{member} is always written");
        }
        // Every key attribute of an index is among the non-key attributes, typed.
        for index in &design.global_indexes {
            let typed = table["NonKeyAttributes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["AttributeName"] == index.key.partition.as_str())
                || index.key.partition == design.key.partition;
            assert!(typed, "{}", index.key.partition);
        }
        let imported = Model::read(exported.text.as_bytes()).unwrap();
        let mut fresh = Engine::new();
        load(&mut fresh, &imported);
        let back = samples::describe(&mut fresh, sample.table).unwrap();
        assert_eq!(back.key, design.key);
        // A multi-attribute keyed index has no place in a model: the export says so.
        let kept: Vec<_> = design.global_indexes.iter().filter(|g| !g.key.is_multi_attribute()).collect();
        let multi = design.global_indexes.len() - kept.len();
        assert_eq!(
            exported.notes.iter().filter(|n| n.contains("multi-attribute keyed")).count(),
            usize::from(multi > 0)
        );
        // Every definition comes back but those only a local index's key (no LSIs in a model) or a
        // multi-attribute key used.
        let used = |name: &str| design.key.has(name) || kept.iter().any(|g| g.key.has(name));
        let mut expected: Vec<_> = design.attributes.iter().filter(|(n, _)| used(n)).cloned().collect();
        let mut got = back.attributes.clone();
        expected.sort();
        got.sort();
        assert_eq!(got, expected, "{}", sample.table);
        let index_names = |d: &dynaplay_design::TableDesign| {
            d.global_indexes
                .iter()
                .map(|g| (g.name.clone(), g.key.clone(), g.projection.clone()))
                .collect::<Vec<_>>()
        };
        let kept_names: Vec<_> =
            kept.iter().map(|g| (g.name.clone(), g.key.clone(), g.projection.clone())).collect();
        assert_eq!(index_names(&back), kept_names);
        match design.billing {
            Billing::Provisioned(t) => {
                assert_eq!(back.billing, Billing::Provisioned(t));
                // The model has no per-index capacity: the indexes come back with the table's.
                assert!(back.global_indexes.iter().all(|g| g.throughput == Some(t)));
            }
            Billing::OnDemand(_) => assert!(back.on_demand()),
        }
        for item in &sample.items {
            let key: serde_json::Map<String, Value> = [&design.key.partition]
                .into_iter()
                .chain(design.key.sort.as_ref())
                .map(|k| (k.clone(), item[k].clone()))
                .collect();
            assert_eq!(&get(&mut fresh, sample.table, Value::Object(key)), item);
        }
        let lost_something = !design.local_indexes.is_empty()
            || design.stream.is_some()
            || design.ttl_attribute.is_some()
            || !design.tags.is_empty()
            || design.point_in_time_recovery
            || design.deletion_protection
            || design.table_class.is_some();
        assert_eq!(!exported.notes.is_empty(), lost_something, "{}: {:?}", sample.table, exported.notes);
    }
}

#[test]
fn a_model_says_what_it_left_out() {
    let mut engine = Engine::new();
    samples::build(&mut engine).unwrap();
    let music = samples::describe(&mut engine, "Music").unwrap();
    let exported = model("Music", &[ModelTable { design: &music, items: &[] }], 0);
    assert_eq!(exported.notes.len(), 1);
    let note = &exported.notes[0];
    for part in ["local secondary indexes (ByReleased)", "stream", "Time to Live", "tags", "recovery"] {
        assert!(note.contains(part), "{note}");
    }
    let many: Vec<Value> = (0..MAX_SAMPLE_ITEMS + 5)
        .map(|i| json!({"Artist": {"S": i.to_string()}, "SongTitle": {"S": "x"}}))
        .collect();
    let capped = model("Music", &[ModelTable { design: &music, items: &many }], 0);
    let document: Value = serde_json::from_slice(capped.text.as_bytes()).unwrap();
    assert_eq!(document["DataModel"][0]["TableData"].as_array().unwrap().len(), MAX_SAMPLE_ITEMS);
    assert!(
        capped.notes.iter().any(|n| n.contains("first 1000 of the table's 1005 items")),
        "{:?}",
        capped.notes
    );
}

#[test]
fn workbench_dates_are_its_own_spelling() {
    assert_eq!(workbench_date(0), "Jan 1, 1970, 12:00 AM");
    assert_eq!(workbench_date(1_673_518_440_000), "Jan 12, 2023, 10:14 AM");
    assert_eq!(workbench_date(1_673_518_440_000 + 6 * 3_600_000), "Jan 12, 2023, 04:14 PM");
    assert_eq!(workbench_date(1_709_164_800_000 + 12 * 3_600_000 + 60_000), "Feb 29, 2024, 12:01 PM");
}

#[test]
fn bad_files_are_refused_with_where_and_why() {
    let table = |extra: Value| {
        let mut t = json!({"TableName": "T1", "KeyAttributes": {"PartitionKey": {"AttributeName": "id", "AttributeType": "S"}}});
        for (k, v) in extra.as_object().unwrap() {
            t[k] = v.clone();
        }
        json!({"ModelName": "m", "DataModel": [t]}).to_string()
    };
    let cases: Vec<(String, &str)> = vec![
        ("not json at all".into(), "not JSON"),
        ("[1, 2]".into(), "no DataModel list"),
        (json!({"ModelName": "x"}).to_string(), "no DataModel list"),
        (json!({"DataModel": []}).to_string(), "holds no table"),
        (json!({"ModelMetadata": {"AWSService": "Amazon Keyspaces"}, "DataModel": [{}]}).to_string(), "for Amazon Keyspaces"),
        (json!({"DataModel": [{"KeyAttributes": {}}]}).to_string(), "table 1 of the model has no TableName"),
        (json!({"DataModel": [{"TableName": 7}]}).to_string(), "TableName is not a string"),
        (json!({"DataModel": [{"TableName": "T1"}]}).to_string(), "table T1 has no KeyAttributes"),
        (json!({"DataModel": [{"TableName": "T1", "KeyAttributes": {}}]}).to_string(), "table T1 has no PartitionKey"),
        (
            json!({"DataModel": [{"TableName": "T1", "KeyAttributes": {"PartitionKey": {"AttributeName": "id", "AttributeType": "BOOL"}}}]}).to_string(),
            "must be S, N or B",
        ),
        (table(json!({"BillingMode": "FREE"})), "BillingMode FREE"),
        (table(json!({"BillingMode": "PROVISIONED"})), "no ProvisionedCapacitySettings"),
        (
            table(json!({"BillingMode": "PROVISIONED", "ProvisionedCapacitySettings": {"ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 1}}})),
            "no positive ReadCapacityUnits",
        ),
        (
            table(json!({"GlobalSecondaryIndexes": [{"IndexName": "G", "KeyAttributes": {"PartitionKey": {"AttributeName": "id", "AttributeType": "N"}}}]})),
            "index G of table T1 types id as N, but it is S",
        ),
        (
            table(json!({"GlobalSecondaryIndexes": [{"IndexName": "G", "KeyAttributes": {"PartitionKey": {"AttributeName": "g", "AttributeType": "S"}}, "Projection": {"ProjectionType": "SOME"}}]})),
            "ProjectionType SOME",
        ),
        (table(json!({"TableData": [{"other": {"S": "x"}}]})), "item 1 of table T1 has no id"),
        (table(json!({"TableData": [{"id": {"N": "1"}}]})), "item 1 of table T1's id is N, but the table's key attribute id is S"),
        (table(json!({"TableData": [{"id": "plain"}]})), "not a DynamoDB JSON value"),
        (table(json!({"TableData": [{"id": {"S": 5}}]})), "not written as DynamoDB JSON text"),
        (table(json!({"TableData": [7]})), "item 1 of table T1 is not an object"),
        (table(json!({"TableData": {"id": {"S": "x"}}})), "TableData is not a list"),
        (
            table(json!({"TableFacets": [{"FacetName": "F", "TableData": [{"id": {"S": "ok"}}, {"nope": {"S": "x"}}]}]})),
            "item 2 of facet F of table T1 has no id",
        ),
        (table(json!({"TableFacets": [{"KeyAttributeAlias": {}}]})), "a facet of table T1 has no FacetName"),
        (
            json!({"DataModel": [
                {"TableName": "Same", "KeyAttributes": {"PartitionKey": {"AttributeName": "a", "AttributeType": "S"}}},
                {"TableName": "Same", "KeyAttributes": {"PartitionKey": {"AttributeName": "b", "AttributeType": "S"}}}]})
            .to_string(),
            "two tables named Same",
        ),
    ];
    for (text, expected) in cases {
        let error = Model::read(text.as_bytes()).unwrap_err();
        assert!(error.0.contains(expected), "{text}\n  said: {error}\n  expected: {expected}");
    }
    let huge = vec![b' '; dynaplay_design::workbench::import::MAX_MODEL_BYTES + 1];
    assert!(Model::read(&huge).unwrap_err().0.contains("at most"));
}

#[test]
fn what_only_the_engine_checks_fails_on_a_scratch_engine_before_anything_is_real() {
    // A well-formed model whose table name DynamoDB refuses (shorter than 3 characters): the
    // page runs the requests on a scratch engine first; the first one fails there.
    let text = json!({"DataModel": [{"TableName": "ab", "KeyAttributes": {"PartitionKey": {"AttributeName": "id", "AttributeType": "S"}}}]});
    let model = Model::read(text.to_string().as_bytes()).unwrap();
    let mut scratch = Engine::new();
    let (op, request) = &model.requests()[0];
    let error = scratch.handle_json(op, request.clone()).unwrap_err();
    assert!(error.to_string().contains("greater than or equal to 3"), "{error}");
}

#[test]
fn a_provisioned_models_indexes_share_its_capacity() {
    let model = Model::read(FIXTURE).unwrap();
    let create = &model.tables[0].create_table;
    for index in create["GlobalSecondaryIndexes"].as_array().unwrap() {
        assert_eq!(index["ProvisionedThroughput"], json!({"ReadCapacityUnits": 6, "WriteCapacityUnits": 4}));
    }
    assert_eq!(
        create["AttributeDefinitions"],
        json!([{"AttributeName": "PK", "AttributeType": "S"}, {"AttributeName": "SK", "AttributeType": "S"},
               {"AttributeName": "GSI1PK", "AttributeType": "S"}, {"AttributeName": "GSI1SK", "AttributeType": "S"},
               {"AttributeName": "Price", "AttributeType": "N"}, {"AttributeName": "Title", "AttributeType": "S"}])
    );
}
