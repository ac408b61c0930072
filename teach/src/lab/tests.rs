use super::*;
use serde_json::json;

/// A two-step lab: add an item, then read it strongly consistent.
fn lab_json() -> Value {
    json!({
        "id": "tiny",
        "title": "Tiny",
        "level": "beginner",
        "minutes": 2,
        "objectives": ["Write an item", "Read it"],
        "setup": [{"op": "CreateTable", "request": {"TableName": "Music",
            "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}],
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}}],
        "steps": [
            {"title": "Add", "text": "Put an item.", "ui": "Add item",
             "check": [{"item": {"table": "Music", "key": {"Artist": {"S": "A"}}}, "missing": "Add artist A."}],
             "hints": ["PutItem"],
             "showMe": [{"op": "PutItem", "request": {"TableName": "Music", "Item": {"Artist": {"S": "A"}}}}],
             "wrong": [{"label": "another artist",
                        "steps": [{"op": "PutItem", "request": {"TableName": "Music", "Item": {"Artist": {"S": "B"}}}}],
                        "missing": "Add artist A."}]},
            {"title": "Read", "text": "Read it strongly consistent.",
             "check": [{"sent": {"op": "GetItem", "consumed": 1}, "missing": "Read A strongly consistent."}],
             "hints": ["ConsistentRead"],
             "showMe": [{"op": "GetItem", "request": {"TableName": "Music", "Key": {"Artist": {"S": "A"}},
                "ConsistentRead": true, "ReturnConsumedCapacity": "TOTAL"}}],
             "explain": "1 RCU."}
        ],
        "summary": ["Strong reads cost twice."]
    })
}

fn with(mut lab: Value, pointer: &str, value: Value) -> Value {
    *lab.pointer_mut(pointer).unwrap() = value;
    lab
}

#[test]
fn a_lab_reads_and_walks() {
    let lab = Lab::from_json(&lab_json()).unwrap();
    assert_eq!(lab.level, Level::Beginner);
    assert_eq!(lab.steps.len(), 2);
    assert_eq!(lab.steps[0].ui.as_deref(), Some("Add item"));
    assert_eq!(lab.steps[1].explain.as_deref(), Some("1 RCU."));
    let walked = walk(&lab).unwrap();
    assert_eq!(walked.steps, 2);
    assert_eq!(walked.wrong, 1);
    assert!(walked.requests >= 5, "{walked:?}");
}

#[test]
fn walking_catches_a_show_me_that_does_not_pass() {
    let broken = with(lab_json(), "/steps/1/showMe/0/request/ConsistentRead", json!(false));
    let err = walk(&Lab::from_json(&broken).unwrap()).unwrap_err();
    assert!(
        err.starts_with(
            "tiny: step 2 (Read): \"show me\" does not pass the check: Read A strongly consistent."
        ),
        "{err}"
    );
}

#[test]
fn walking_catches_a_wrong_action_that_passes_or_is_refused_otherwise() {
    let passes = with(lab_json(), "/steps/0/wrong/0/steps/0/request/Item/Artist/S", json!("A"));
    let err = walk(&Lab::from_json(&passes).unwrap()).unwrap_err();
    assert_eq!(err, "tiny: step 1 (Add): the wrong action \"another artist\" passes the check");

    let mut two = lab_json();
    two["steps"][0]["check"].as_array_mut().unwrap().insert(
        0,
        json!({"sent": {"op": "PutItem", "request": {"Item": {"Artist": {"S": "A"}}}}, "missing": "Send A."}),
    );
    let err = walk(&Lab::from_json(&two).unwrap()).unwrap_err();
    assert_eq!(err, "tiny: step 1 (Add): the wrong action \"another artist\" is refused with \"Send A.\"");
}

#[test]
fn walking_catches_a_check_that_passes_before_the_step_and_a_failing_setup() {
    let mut vacuous = lab_json();
    vacuous["setup"]
        .as_array_mut()
        .unwrap()
        .push(json!({"op": "PutItem", "request": {"TableName": "Music", "Item": {"Artist": {"S": "A"}}}}));
    let err = walk(&Lab::from_json(&vacuous).unwrap()).unwrap_err();
    assert_eq!(err, "tiny: step 1 (Add): the check passes before anything is done");

    let bad_setup = with(lab_json(), "/setup/0/request/TableName", json!("M"));
    let err = walk(&Lab::from_json(&bad_setup).unwrap()).unwrap_err();
    assert!(
        err.starts_with("tiny: step 1 (Add): setup: step 0 (CreateTable) failed: ValidationException"),
        "{err}"
    );
}

#[test]
fn reading_refuses_malformed_labs() {
    let err = |lab: Value| Lab::from_json(&lab).unwrap_err();
    let mut unknown = lab_json();
    unknown["steps"][0]["hint"] = json!("x");
    assert_eq!(err(unknown), "steps[0]: unknown member \"hint\"");
    assert_eq!(
        err(with(lab_json(), "/level", json!("expert"))),
        "lab.level: \"expert\" is not beginner, intermediate or advanced"
    );
    assert!(err(with(lab_json(), "/id", json!("Tiny Lab"))).contains("lowercase"));
    assert!(err(with(lab_json(), "/summary", json!([]))).contains("may not be empty"));
    assert!(err(with(lab_json(), "/steps/0/wrong", json!([])))
        .contains("at least one step must declare a wrong action"));
    assert!(err(with(lab_json(), "/steps/0/hints", json!([]))).contains("at least one hint"));
    assert_eq!(
        err(with(lab_json(), "/steps/0/wrong/0/missing", json!("Something else."))),
        "steps[0].wrong[0].missing is not the missing text of any predicate"
    );
    assert_eq!(
        err(with(lab_json(), "/steps/1/showMe/0/op", json!("GetItme"))),
        "steps[1].showMe[0].op: no operation is called \"GetItme\""
    );
}

#[test]
fn the_index_reads_entries() {
    let index = index_from_json(
        &json!({"labs": [{"id": "tiny", "title": "Tiny", "level": "advanced", "minutes": 3}]}),
    );
    let index = index.unwrap();
    assert_eq!(index[0].level, Level::Advanced);
    assert_eq!(index[0].level.name(), "advanced");
    assert!(index_from_json(&json!({"labs": [{"id": "x"}]})).is_err());
    assert!(index_from_json(&json!({"labs": [], "extra": 1})).unwrap_err().contains("unknown member"));
}

#[test]
fn a_lab_that_needs_the_full_engine_says_so() {
    let mut lab: Value = serde_json::from_str(include_str!("../../../static/labs/dax.json")).unwrap();
    assert!(Lab::from_json(&lab).unwrap().full_engine);
    lab.as_object_mut().unwrap().remove("engine");
    let refused = Lab::from_json(&lab).unwrap_err();
    assert!(refused.contains("needs the page's full engine"), "{refused}");
    lab["engine"] = json!("small");
    assert!(Lab::from_json(&lab).unwrap_err().contains("is not \"full\""));
    // A lab on the first load's engine alone needs no member.
    let first: Value = serde_json::from_str(include_str!("../../../static/labs/first-table.json")).unwrap();
    assert!(!Lab::from_json(&first).unwrap().full_engine);
}

/// A lab on lab time: restore to "11 seconds before now", a second before a delete.
#[test]
fn lab_time_is_resolved_when_each_request_is_sent_and_misuse_is_refused() {
    let lab = json!({
        "id": "pitr", "title": "PITR", "level": "intermediate", "minutes": 2, "engine": "full",
        "objectives": ["Restore"],
        "setup": [
            {"op": "CreateTable", "request": {"TableName": "Tab", "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}]}},
            {"op": "UpdateContinuousBackups", "request": {"TableName": "Tab",
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}}},
            {"op": "PutItem", "request": {"TableName": "Tab", "Item": {"k": {"S": "a"}}}},
            {"op": "PlaygroundAdvanceTime", "request": {"Milliseconds": 10000}},
            {"op": "DeleteItem", "request": {"TableName": "Tab", "Key": {"k": {"S": "a"}}}},
            {"op": "PlaygroundAdvanceTime", "request": {"Milliseconds": 10000}}
        ],
        "steps": [{
            "title": "Restore", "text": "Restore Tab before the delete.",
            "check": [{"item": {"table": "Back", "key": {"k": {"S": "a"}}}, "missing": "Back should hold a."}],
            "hints": ["11 s before now"],
            "showMe": [{"op": "RestoreTableToPointInTime", "request": {"SourceTableName": "Tab", "TargetTableName": "Back",
                "RestoreDateTime": {"$secondsBeforeNow": 11}}}],
            "wrong": [{"label": "after the delete", "steps": [{"op": "RestoreTableToPointInTime", "request": {
                "SourceTableName": "Tab", "TargetTableName": "Back", "RestoreDateTime": {"$secondsBeforeNow": 9}}}],
                "missing": "Back should hold a."}]
        }],
        "summary": ["Restored."]
    });
    let walked = walk(&Lab::from_json(&lab).unwrap()).unwrap();
    assert_eq!((walked.steps, walked.wrong), (1, 1));
    // Without lab time the file would need an absolute time; a misspelt operator is refused.
    let misspelt = with(lab, "/steps/0/showMe/0/request/RestoreDateTime", json!({"$secondBeforeNow": 11}));
    let err = Lab::from_json(&misspelt).unwrap_err();
    assert!(
        err.starts_with(
            "steps[0].showMe[0].request.RestoreDateTime: unknown request operator $secondBeforeNow"
        ),
        "{err}"
    );
}
