//! The engine's whole-workspace export/import and the "does this operation change state" test,
//! behind one small seam.
//!
//! TEMPORARY: until `Engine::export_workspace`, `Engine::import_workspace` and
//! `dynaplay_engine::is_mutating` land on main, this rebuilds them from the public API
//! (DescribeTable → CreateTable, Scan → PutItem). Replace the bodies with the engine's calls.

use dynaplay_engine::{ApiError, Engine};
use serde_json::{json, Map, Value};

/// The whole engine state as one portable JSON document
/// (`{"format":"dynaplay-workspace","version":1,…}`: table definitions, items in DynamoDB JSON,
/// engine time). Takes `&mut` only because the shim goes through `handle_json`.
pub fn export(engine: &mut Engine) -> Value {
    let mut tables = Vec::new();
    let names = engine.handle_json("ListTables", json!({})).ok();
    let names = names.as_ref().and_then(|v| v["TableNames"].as_array()).cloned().unwrap_or_default();
    for name in names {
        let Ok(desc) = engine.handle_json("DescribeTable", json!({"TableName": name})) else { continue };
        let t = &desc["Table"];
        let mut create = Map::new();
        create.insert("TableName".into(), name.clone());
        for k in ["KeySchema", "AttributeDefinitions"] {
            create.insert(k.into(), t[k].clone());
        }
        let billing = t["BillingModeSummary"]["BillingMode"].as_str().unwrap_or("PROVISIONED");
        create.insert("BillingMode".into(), json!(billing));
        if billing == "PROVISIONED" {
            create.insert(
                "ProvisionedThroughput".into(),
                json!({"ReadCapacityUnits": t["ProvisionedThroughput"]["ReadCapacityUnits"],
                       "WriteCapacityUnits": t["ProvisionedThroughput"]["WriteCapacityUnits"]}),
            );
        }
        let mut items = Vec::new();
        let mut start: Option<Value> = None;
        loop {
            let mut req = json!({"TableName": name});
            if let Some(s) = start.take() {
                req["ExclusiveStartKey"] = s;
            }
            let Ok(page) = engine.handle_json("Scan", req) else { break };
            items.extend(page["Items"].as_array().cloned().unwrap_or_default());
            match page.get("LastEvaluatedKey") {
                Some(k) => start = Some(k.clone()),
                None => break,
            }
        }
        tables.push(json!({"create": create, "items": items}));
    }
    json!({"format": "dynaplay-workspace", "version": 1, "now": engine.now(), "tables": tables})
}

/// A new engine holding the workspace in `document`; a bad document is an error and nothing
/// is built.
pub fn import(document: &Value) -> Result<Engine, ApiError> {
    let bad = |m: &str| ApiError::validation(format!("Not a dynaplay workspace file: {m}"));
    if document["format"] != "dynaplay-workspace" {
        return Err(bad("\"format\" is not \"dynaplay-workspace\""));
    }
    if document["version"] != 1 {
        return Err(bad("unsupported \"version\""));
    }
    let mut engine = Engine::new();
    engine.set_now(document["now"].as_u64().unwrap_or(0));
    let tables = document["tables"].as_array().ok_or_else(|| bad("\"tables\" is not a list"))?;
    for t in tables {
        engine.handle_json("CreateTable", t["create"].clone())?;
        let name = t["create"]["TableName"].clone();
        for item in t["items"].as_array().map(Vec::as_slice).unwrap_or_default() {
            engine.handle_json("PutItem", json!({"TableName": name, "Item": item}))?;
        }
    }
    Ok(engine)
}

/// Whether `operation` can change engine state, and so must be journaled before it is
/// acknowledged. Unknown names count as mutating: journaling a read costs a little, missing a
/// write loses data.
pub fn is_mutating(operation: &str) -> bool {
    !matches!(
        operation,
        "GetItem"
            | "BatchGetItem"
            | "Query"
            | "Scan"
            | "TransactGetItems"
            | "DescribeTable"
            | "ListTables"
            | "ListTagsOfResource"
            | "DescribeTimeToLive"
            | "DescribeContinuousBackups"
            | "DescribeLimits"
            | "DescribeEndpoints"
    )
}
