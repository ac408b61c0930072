use serde_json::{json, Value};

use super::search::examined;
use super::*;
use crate::engine::Engine;
use crate::types::Number;

fn n(text: &str) -> AttributeValue {
    AttributeValue::N(Number::parse(text).unwrap())
}

fn list(values: &[&str]) -> AttributeValue {
    AttributeValue::L(values.iter().map(|v| n(v)).collect())
}

#[test]
fn scores_follow_the_documented_directions() {
    let (x, y, neg) = ([1.0f32, 0.0], [0.0f32, 1.0], [-1.0f32, 0.0]);
    assert_eq!(DistanceFunction::Cosine.score(&x, &x), 0.0);
    assert_eq!(DistanceFunction::Cosine.score(&x, &y), 1.0);
    assert_eq!(DistanceFunction::Cosine.score(&x, &neg), 2.0);
    // Magnitude does not matter to COSINE; it does to EUCLIDEAN (AWS's example: [1,0,0,0]
    // against [10,0,0,0] is 0.0 and 9.0).
    let (q, far) = ([1.0f32, 0.0, 0.0, 0.0], [10.0f32, 0.0, 0.0, 0.0]);
    assert_eq!(DistanceFunction::Cosine.score(&q, &far), 0.0);
    assert_eq!(DistanceFunction::Euclidean.score(&q, &far), 9.0);
    assert_eq!(DistanceFunction::DotProduct.score(&q, &far), 10.0);
    assert_eq!(DistanceFunction::DotProduct.score(&x, &neg), -1.0);
    // A vector scored against itself is exactly 0 even when its norm is not a perfect square.
    let v = [0.0f32, 1.0, 1.0];
    assert_eq!(DistanceFunction::Cosine.score(&v, &v), 0.0);
    assert_eq!(DistanceFunction::Cosine.score(&[0.0, 0.0], &x), 1.0, "a zero vector has no direction");
    assert!(DistanceFunction::DotProduct.better(2.0, 1.0));
    assert!(DistanceFunction::Euclidean.better(1.0, 2.0));
    assert!(!DistanceFunction::Cosine.better(1.0, 1.0));
}

#[test]
fn vectors_are_lists_of_numbers_that_fit_an_f32() {
    assert_eq!(vector_of(&list(&["1", "-0.5", "2E+3"]), 3), Ok(vec![1.0, -0.5, 2000.0]));
    assert_eq!(vector_of(&list(&["0.1"]), 1), Ok(vec![0.1f32]));
    assert_eq!(vector_of(&AttributeValue::S("1,2".into()), 2), Err(VectorProblem::NotAList("S")));
    let mixed = AttributeValue::L(vec![n("1"), AttributeValue::S("2".into())]);
    assert_eq!(
        vector_of(&mixed, 5),
        Err(VectorProblem::NotANumber(1, "S")),
        "types are checked before the size"
    );
    assert_eq!(vector_of(&list(&["1", "2"]), 3), Err(VectorProblem::Size(2)));
    let too_big = Number::parse("4E+38").unwrap().to_string();
    assert_eq!(vector_of(&list(&["1", "4E+38"]), 2), Err(VectorProblem::OutOfRange(1, too_big)));
    // Beyond f32's range but tiny: it underflows to zero, which is a float.
    assert_eq!(vector_of(&list(&["1E-100"]), 1), Ok(vec![0.0]));
}

#[test]
fn numbers_convert_to_the_nearest_float() {
    for (text, want) in
        [("0", 0.0), ("1", 1.0), ("-2.5", -2.5), ("0.1", 0.1), ("123456789", 123_456_789.0), ("1E+20", 1e20)]
    {
        assert_eq!(Number::parse(text).unwrap().to_f64(), want, "{text}");
    }
    assert_eq!(Number::parse("3.4028235E+38").unwrap().to_f64() as f32, f32::MAX);
}

#[test]
fn a_search_examines_a_logarithmic_share() {
    assert_eq!(examined(0, 10), 0);
    assert_eq!(examined(3, 10), 3, "never more than there are");
    // 1,000 vectors: 10 doublings.
    assert_eq!(examined(1000, 10), 10 + 160);
    // Twice as many adds 16 more, not twice as many.
    assert_eq!(examined(2000, 10), 10 + 176);
}

fn engine_with_products() -> Engine {
    let mut engine = Engine::new();
    engine.set_now(1_767_225_600_000);
    engine
        .handle_json(
            "CreateTable",
            json!({"TableName": "Prod", "BillingMode": "PAY_PER_REQUEST",
                   "KeySchema": [{"AttributeName": "Id", "KeyType": "HASH"}],
                   "AttributeDefinitions": [{"AttributeName": "Id", "AttributeType": "S"}]}),
        )
        .unwrap();
    let put = |engine: &mut Engine, id: &str, v: Value| {
        engine
            .handle_json("PutItem", json!({"TableName": "Prod", "Item": {"Id": {"S": id}, "V": v}}))
            .unwrap();
    };
    put(&mut engine, "a", json!({"L": [{"N": "1"}, {"N": "0"}]}));
    put(&mut engine, "b", json!({"L": [{"N": "0"}, {"N": "1"}]}));
    // Written before the index exists: not two numbers, so the backfill skips them.
    put(&mut engine, "c", json!({"L": [{"N": "1"}]}));
    put(&mut engine, "d", json!({"S": "not a vector"}));
    engine
}

fn create_index(engine: &mut Engine) {
    engine
        .handle_json(
            "UpdateTable",
            json!({"TableName": "Prod", "VectorIndexUpdates": [{"Create": {"IndexName": "Near",
                   "VectorAttribute": {"AttributeName": "V"}, "Projection": {"ProjectionType": "ALL"},
                   "Dimensions": 2, "DistanceFunction": "EUCLIDEAN"}}]}),
        )
        .unwrap();
}

fn search(engine: &mut Engine) -> Result<Value, String> {
    engine
        .handle_json(
            "SearchVectors",
            json!({"TableName": "Prod", "IndexName": "Near", "TopK": 10,
                   "SearchVector": [{"N": "1"}, {"N": "0"}]}),
        )
        .map_err(|e| e.message)
}

#[test]
fn a_backfill_skips_what_the_index_cannot_take_and_writes_then_are_checked() {
    let mut engine = engine_with_products();
    create_index(&mut engine);
    assert_eq!(search(&mut engine).unwrap_err(), "Cannot search backfilling vector index: Near");
    engine.advance(crate::control::INDEX_BACKFILL_MS);
    let found = search(&mut engine).unwrap();
    let ids: Vec<&Value> =
        found["SearchResults"].as_array().unwrap().iter().map(|r| &r["Item"]["Id"]["S"]).collect();
    assert_eq!(ids, [&json!("a"), &json!("b")]);
    // The skipped items stay as they are; a write now is checked against the index.
    let err = engine
        .handle_json(
            "UpdateItem",
            json!({"TableName": "Prod", "Key": {"Id": {"S": "c"}}, "UpdateExpression": "SET x = :x",
                                          "ExpressionAttributeValues": {":x": {"N": "1"}}}),
        )
        .unwrap_err();
    assert_eq!(
        err.message,
        "One or more parameter values were invalid: Invalid size for parameter V, Expected: 2, Actual: 1. IndexName: Near"
    );
}

#[test]
fn workspaces_and_snapshots_carry_vector_indexes() {
    let mut engine = engine_with_products();
    create_index(&mut engine);
    // A snapshot taken while the index backfills keeps it backfilling.
    let snapshot = engine.export_snapshot();
    let mut copy = Engine::import_workspace(&snapshot).unwrap();
    assert_eq!(copy.export_snapshot(), snapshot);
    assert_eq!(search(&mut copy).unwrap_err(), "Cannot search backfilling vector index: Near");
    engine.advance(crate::control::INDEX_BACKFILL_MS);
    copy.advance(crate::control::INDEX_BACKFILL_MS);
    assert_eq!(search(&mut copy), search(&mut engine));

    // The learner's export: the definition travels, the index is rebuilt from the items (the
    // two it skipped included, which a write to the indexed table would refuse).
    let exported = engine.export_workspace();
    assert_eq!(exported["tables"][0]["VectorIndexes"][0]["IndexName"], "Near");
    let mut imported = Engine::import_workspace(&exported).unwrap();
    assert_eq!(imported.export_workspace(), exported);
    assert_eq!(search(&mut imported), search(&mut engine));
    let describe = |e: &mut Engine| {
        e.handle_json("DescribeTable", json!({"TableName": "Prod"})).unwrap()["Table"]["VectorIndexes"]
            .clone()
    };
    assert_eq!(describe(&mut imported), describe(&mut engine));

    // A deleted index shows DELETING in a snapshot taken meanwhile, then is gone.
    engine
        .handle_json(
            "UpdateTable",
            json!({"TableName": "Prod", "VectorIndexUpdates": [{"Delete": {"IndexName": "Near"}}]}),
        )
        .unwrap();
    let mut copy = Engine::import_workspace(&engine.export_snapshot()).unwrap();
    assert_eq!(describe(&mut copy)[0]["IndexStatus"], "DELETING");
    copy.advance(crate::control::INDEX_DELETE_MS);
    assert_eq!(describe(&mut copy), Value::Null);
}

#[test]
fn the_write_minimum_binds_per_index() {
    let schema = crate::types::KeySchema {
        partition_key: crate::types::KeyAttribute { name: "Id".into(), scalar_type: ScalarType::S },
        sort_key: None,
        more_partition_keys: Vec::new(),
        more_sort_keys: Vec::new(),
    };
    let index = |name: &str, projection| {
        VectorIndex::new(name.into(), "V".into(), 300, DistanceFunction::Cosine, Vec::new(), projection)
    };
    let indexes = VectorIndexes {
        indexes: vec![index("One", Projection::KeysOnly), index("Two", Projection::All)],
        ..Default::default()
    };
    let key = PrimaryKey::new(KeyValue::S("k".into()), None);
    let values: Vec<String> = (0..300).map(|i| i.to_string()).collect();
    let item: Item = [
        ("Id".to_owned(), AttributeValue::S("k".into())),
        ("V".to_owned(), list(&values.iter().map(String::as_str).collect::<Vec<_>>())),
        ("Note".to_owned(), AttributeValue::S("n".into())),
    ]
    .into_iter()
    .collect();
    // The entry's item size, the vector counted as its name (1) plus 4 bytes a dimension
    // (1,200): the key (3) and, where projected, Note (5).
    let bytes = indexes.write_bytes(&schema, &key, None, Some(&item));
    assert_eq!(bytes, [("One".to_owned(), 1204.0), ("Two".to_owned(), 1209.0)]);
    // Removing it replicates the key only, 3 bytes each: each held to the 1 KB minimum.
    let bytes = indexes.write_bytes(&schema, &key, Some(&item), None);
    assert_eq!(bytes, [("One".to_owned(), 1024.0), ("Two".to_owned(), 1024.0)]);
    // Writing the same item again changes nothing indexed.
    assert!(indexes.write_bytes(&schema, &key, Some(&item), Some(&item)).is_empty());
    // A change only the ALL index projects is charged to it alone.
    let mut noted = item.clone();
    noted.insert("Note".to_owned(), AttributeValue::S("m".into()));
    let bytes = indexes.write_bytes(&schema, &key, Some(&item), Some(&noted));
    assert_eq!(bytes, [("Two".to_owned(), 1209.0)]);
}

#[test]
fn a_vector_is_billed_at_four_bytes_a_dimension() {
    let mut engine = engine_with_products();
    let describe = |engine: &mut Engine| {
        engine.handle_json("DescribeTable", json!({"TableName": "Prod"})).unwrap()["Table"]["TableSizeBytes"]
            .as_u64()
            .unwrap()
    };
    create_index(&mut engine);
    let before = describe(&mut engine);
    // A write's units follow the billed size: 38-digit integers are 20 bytes each as stored
    // numbers but 4 billed, so this item is 1,024 bytes billed (Id 3, V 1 + 8, pad 3 + 1,009)
    // and 1,061 stored (V 3 + 2 × 21).
    let wide = "12345678901234567890123456789012345678";
    let pad = "p".repeat(1009);
    let put = engine
        .handle_json(
            "PutItem",
            json!({"TableName": "Prod", "ReturnConsumedCapacity": "TOTAL",
                   "Item": {"Id": {"S": "w"}, "V": {"L": [{"N": wide}, {"N": wide}]}, "pad": {"S": pad}}}),
        )
        .unwrap();
    assert_eq!(put["ConsumedCapacity"]["CapacityUnits"], 1.0);
    // TableSizeBytes counts the billed size too.
    assert_eq!(describe(&mut engine), before + 1024);
    // Without the index V is no vector any more: it counts as stored.
    engine.advance(3_600_000);
    engine
        .handle_json(
            "UpdateTable",
            json!({"TableName": "Prod", "VectorIndexUpdates": [{"Delete": {"IndexName": "Near"}}]}),
        )
        .unwrap();
    assert_eq!(describe(&mut engine), before + 1061);
    let put = engine
        .handle_json(
            "PutItem",
            json!({"TableName": "Prod", "ReturnConsumedCapacity": "TOTAL",
                   "Item": {"Id": {"S": "w"}, "V": {"L": [{"N": wide}, {"N": wide}]}, "pad": {"S": "p".repeat(1009)}}}),
        )
        .unwrap();
    assert_eq!(put["ConsumedCapacity"]["CapacityUnits"], 2.0);
}
