use super::*;
use serde_json::json;

fn table() -> Value {
    json!({"op": "CreateTable", "request": {"TableName": "Items",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST"}})
}

fn numeric() -> Value {
    json!({"id": "cap-get", "exams": ["DVA-C02"], "topics": ["capacity"], "kind": "numeric",
        "stem": "RCU?", "answer": 2, "unit": "RCU", "explanation": "⌈6,004 / 4,096⌉ = 2",
        "prove": {"setup": [table(), {"op": "PutItem", "request": {"TableName": "Items",
                "Item": {"pk": {"S": "a"}, "d": {"S": "$pad:6000"}}}}],
            "steps": [{"op": "GetItem", "request": {"TableName": "Items", "Key": {"pk": {"S": "a"}},
                "ConsistentRead": true, "ReturnConsumedCapacity": "TOTAL"}}],
            "figure": {"read": "capacity"}}})
}

fn choice() -> Value {
    json!({"id": "cond-put", "exams": ["DVA-C02", "SAA-C03"], "topics": ["conditional-writes", "errors"],
        "kind": "single", "stem": "What happens?",
        "options": [{"text": "It fails", "figure": "ConditionalCheckFailedException"},
                    {"text": "It overwrites", "figure": "none"}, "Something else"],
        "answer": [0], "explanation": "Conditions are atomic.",
        "prove": {"setup": [table(), {"op": "PutItem", "request": {"TableName": "Items", "Item": {"pk": {"S": "a"}}}}],
            "steps": [{"op": "PutItem", "request": {"TableName": "Items", "Item": {"pk": {"S": "a"}},
                "ConditionExpression": "attribute_not_exists(pk)"}}],
            "figure": {"read": "error"}}})
}

fn with(mut base: Value, member: &str, value: Value) -> Value {
    base[member] = value;
    base
}

fn refused(value: Value) -> String {
    Question::from_json(&value, "q").unwrap_err()
}

#[test]
fn a_numeric_question_reads_grades_and_is_proven_on_a_fresh_engine() {
    let q = Question::from_json(&numeric(), "q").unwrap();
    assert_eq!(q.kind, Kind::Numeric);
    assert_eq!(q.answer, Answer::Number { value: 2.0, unit: "RCU".into(), tolerance: 0.0 });
    assert!(q.grade_number(2.0));
    assert!(!q.grade_number(1.5));
    assert!(!q.grade_options(&[0]));
    let proof = q.prove.as_ref().unwrap().run().unwrap();
    assert_eq!(proof.log.len(), 1, "the setup is not part of the proof's log");
    assert_eq!(proof.figure, json!(2.0));
    assert_eq!(q.settled_by(&proof.figure), Ok(()));
    assert!(q.settled_by(&json!(1.0)).unwrap_err().contains("the answer key says 2"));
}

#[test]
fn a_tolerance_accepts_answers_near_the_key() {
    let q =
        Question::from_json(&with(with(numeric(), "answer", json!(23.4)), "tolerance", json!(0.005)), "q")
            .unwrap();
    assert!(q.grade_number(23.404));
    assert!(!q.grade_number(23.41));
}

#[test]
fn a_choice_question_is_settled_only_by_a_right_options_figure() {
    let q = Question::from_json(&choice(), "q").unwrap();
    assert!(q.grade_options(&[0]));
    assert!(!q.grade_options(&[1]));
    assert!(!q.grade_options(&[0, 1]));
    assert!(!q.grade_number(0.0));
    let proof = q.prove.as_ref().unwrap().run().unwrap();
    assert_eq!(proof.figure, json!("ConditionalCheckFailedException"));
    assert_eq!(q.settled_by(&proof.figure), Ok(()));
    assert!(q.settled_by(&json!("none")).unwrap_err().contains("wrong option 1"));
    assert!(q.settled_by(&json!("Other")).unwrap_err().contains("no right option"));
    let numbers =
        with(choice(), "options", json!([{"text": "1 RCU", "figure": 1}, {"text": "2 RCU", "figure": 2}]));
    let q = Question::from_json(&numbers, "q").unwrap();
    assert_eq!(q.settled_by(&json!(1.0)), Ok(()), "1 and 1.0 are the same figure");
    assert!(q.settled_by(&json!(2.0)).is_err());
}

#[test]
fn a_multiple_choice_question_needs_every_right_option() {
    let v = json!({"id": "m", "exams": ["SAA-C03"], "topics": ["errors"], "kind": "multiple",
        "stem": "Choose two.", "options": ["a", "b", "c"], "answer": [0, 2], "explanation": "."});
    let q = Question::from_json(&v, "q").unwrap();
    assert!(q.grade_options(&[2, 0]));
    assert!(!q.grade_options(&[0]));
    assert!(!q.grade_options(&[0, 1]));
}

#[test]
fn inconsistent_questions_are_refused_with_their_place() {
    assert_eq!(refused(with(numeric(), "extra", json!(1))), "q: unknown member \"extra\"");
    assert!(refused(with(numeric(), "id", json!("Cap Get"))).starts_with("q.id:"));
    assert!(refused(with(numeric(), "exams", json!(["AZ-900"]))).contains("unknown exam \"AZ-900\""));
    assert!(refused(with(numeric(), "exams", json!([]))).contains("at least one exam"));
    assert!(refused(with(numeric(), "topics", json!([]))).contains("at least one topic"));
    assert!(refused(with(numeric(), "kind", json!("essay"))).contains("not single, multiple or numeric"));
    assert!(refused(with(numeric(), "answer", json!("two"))).contains("expected a number"));
    let mut no_unit = numeric();
    no_unit.as_object_mut().unwrap().remove("unit");
    assert!(refused(no_unit).contains("needs a \"unit\""));
    assert!(refused(with(choice(), "answer", json!([3]))).contains("option 3 does not exist"));
    assert!(refused(with(choice(), "answer", json!([0, 1]))).contains("needs 1 right option"));
    assert!(refused(with(choice(), "answer", json!([0, 0]))).contains("named twice"));
    assert!(refused(with(choice(), "unit", json!("RCU"))).contains("belong to numeric"));
    let mut unproven = choice();
    unproven.as_object_mut().unwrap().remove("prove");
    assert!(refused(unproven).contains("no experiment"));
    let plain = with(choice(), "options", json!(["a", "b", "c"]));
    assert!(refused(plain).contains("settles nothing"));
    let mut bad_read = numeric();
    bad_read["prove"]["figure"] = json!({"read": "Count"});
    assert!(refused(bad_read).contains("q.prove.figure: read must be"));
    let mut past = numeric();
    past["prove"]["figure"] = json!({"read": "capacity", "step": 1});
    assert!(refused(past).contains("past the last step (0)"));
    let mut typo = numeric();
    typo["prove"]["steps"][0] = json!({"op": "GetItem", "requets": {}});
    assert!(refused(typo).contains("q.prove.steps[0]: unknown member \"requets\""));
}

#[test]
fn reads_find_figures_in_responses_and_error_bodies() {
    let prove = |steps: Value, read: &str| {
        let p = Prove::from_json(&json!({"setup": [table()], "steps": steps, "figure": {"read": read}}), "p")
            .unwrap();
        p.run().unwrap().figure
    };
    let put = json!({"op": "PutItem", "request": {"TableName": "Items", "Item": {"pk": {"S": "a"}, "n": {"N": "7"}}}});
    let fail = json!({"op": "PutItem", "request": {"TableName": "Items", "Item": {"pk": {"S": "a"}},
        "ConditionExpression": "attribute_not_exists(pk)", "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}});
    let get = json!({"op": "GetItem", "request": {"TableName": "Items", "Key": {"pk": {"S": "a"}}}});
    assert_eq!(prove(json!([put, get]), "count:/Item"), json!(2));
    assert_eq!(prove(json!([put, get]), "/Item/n/N"), json!("7"));
    assert_eq!(prove(json!([put, fail]), "/Item/n/N"), json!("7"), "a pointer reads the error's body too");
    assert_eq!(prove(json!([put, fail]), "error"), json!("ConditionalCheckFailedException"));
    assert_eq!(prove(json!([get]), "error"), json!("none"));
    assert_eq!(prove(json!([get]), "capacity"), Value::Null, "no ReturnConsumedCapacity, nothing to read");
    assert_eq!(prove(json!([get]), "/Item"), Value::Null);
    assert_eq!(prove(json!([get]), "count:/Item"), json!(0), "a missing item has no attributes");
}

#[test]
fn a_failing_setup_is_reported_not_proven() {
    let p = Prove::from_json(
        &json!({"setup": [table(), table()], "steps": [{"op": "ListTables"}],
        "figure": {"read": "/TableNames/0"}}),
        "p",
    )
    .unwrap();
    assert!(p.run().unwrap_err().starts_with("setup: step 1 (CreateTable) failed: ResourceInUseException"));
}

#[test]
fn numbers_are_read_from_json_numbers_and_dynamodb_strings() {
    assert_eq!(as_number(&json!(1.5)), Some(1.5));
    assert_eq!(as_number(&json!("2")), Some(2.0));
    assert_eq!(as_number(&json!("-0.25")), Some(-0.25));
    assert_eq!(as_number(&json!("two")), None);
    assert_eq!(as_number(&json!(null)), None);
}

#[test]
fn numbers_read_as_a_learner_writes_them() {
    assert_eq!(number_text(2.0), "2");
    assert_eq!(number_text(1.5), "1.5");
    assert_eq!(number_text(23.4), "23.4");
    assert_eq!(number_text(-3.0), "-3");
}

#[test]
fn pads_expand_and_bad_pads_are_refused() {
    let v = expand(&json!({"a": ["$pad:3", "$pad"], "b": 1})).unwrap();
    assert_eq!(v, json!({"a": ["xxx", "$pad"], "b": 1}));
    assert!(expand(&json!("$pad:lots")).unwrap_err().contains("a pad is a length"));
    assert!(expand(&json!("$pad:99999999")).is_err());
}

#[test]
fn the_bank_check_finds_duplicates_counts_and_unknown_topics() {
    let index = Index::from_json(
        &json!({"topics": [
        {"id": "capacity", "title": "Capacity", "file": "capacity.json", "count": 2},
        {"id": "ttl", "title": "TTL", "file": "ttl.json", "count": 0}]}),
        "index",
    )
    .unwrap();
    let file = QuestionFile::from_json(
        &json!({"topic": "capacity", "questions": [numeric(),
        with(numeric(), "topics", json!(["capacity", "nope"]))]}),
        "capacity.json",
    )
    .unwrap();
    let problems = index.check_bank(&[file]);
    assert_eq!(
        problems,
        [
            "index: topic ttl has no file",
            "question id cap-get is used twice",
            "question cap-get: unknown topic nope",
        ]
    );
    let wrong_topic = QuestionFile::from_json(&json!({"topic": "ttl", "questions": [numeric()]}), "ttl.json");
    assert!(wrong_topic.unwrap_err().contains("must list the file's topic \"ttl\" first"));
    assert!(Index::from_json(&json!({"topics": [{"id": "a", "title": "A", "file": "a.json"}]}), "i")
        .unwrap_err()
        .contains("\"count\" is missing"));
}
