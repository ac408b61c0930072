//! The whole engine as one portable JSON document — what the playground exports and imports,
//! and what the browser keeps as its IndexedDB snapshot.
//!
//! ```text
//! { "format": "dynaplay-workspace", "version": 1, "engineTime": <epoch ms>,
//!   "tables": [ { <CreateTable members: TableName, KeySchema, AttributeDefinitions,
//!                  BillingMode, ProvisionedThroughput, Global/LocalSecondaryIndexes,
//!                  VectorIndexes, StreamSpecification, TableClass, DeletionProtectionEnabled
//!                  (when true), ResourcePolicy (the document; its revision is kept by a
//!                  snapshot), OnDemandThroughput, WarmThroughput (of the table and of each GSI)>,
//!                 "TableId", "CreationDateTime" (epoch ms), "Tags", "TimeToLiveSpecification",
//!                 "PointInTimeRecoveryEnabled", "RecoveryPeriodInDays" (when not 35),
//!                 "Items": [ <items in DynamoDB JSON> ] } ],
//!   "settings": { <the playground settings that differ from the defaults, as a
//!                  PlaygroundUpdateSettings request> },       (absent when all are default)
//!   "dax": { "ParameterGroups": [ <CreateParameterGroup members, "ParameterNameValues"> ],
//!            "Clusters": [ <CreateCluster requests, "CreatedAt" (epoch ms)> ] },
//!                                                (absent when there is none; caches are not kept)
//!   "iam": { "Identities": [ <PlaygroundPutIdentity requests> ] },   (absent when there is none)
//!   "backups": { "Backups": [ {"BackupArn", "BackupName", "BackupType", "Created", "TableArn",
//!                              "Table": <a table as above> } ],
//!                "Restores": [ {"TableId", "Until", "RestoreSummary"} ],
//!                "Histories": { <table name>: {"Start", "Changes": [[ms, item, existed]]} },
//!                "Made",
//!                "Exports": [ {"Description", "Until", "Request"} ], "Imports": [ … ],
//!                "Objects": { <bucket>: { <key>: <base64 of the bytes> } } }
//!                                                (absent when there is none; `backups`) }
//! ```
//!
//! A *snapshot* (`export_snapshot`, what a host keeps to rebuild the engine) is the same
//! document plus what an engine rebuilt from it needs to answer exactly as this one does:
//! each table's `"StreamState"` (every stream with its shards, retained records and sequence
//! counter, `streams/state.rs`) and `"State"` (work in flight, histories, the partition
//! layout), a top-level `"closedStreams"`, `"tablesCreated"` and `"clientTokens"` — see
//! `snapshot.rs`. The learner's export leaves them out (a file of tables and items: an
//! imported table starts ACTIVE); import reads them when present.
//!
//! Import rebuilds each table through CreateTable itself (so a hand-edited file is validated
//! exactly like a request), then restores what CreateTable cannot express and stores the
//! items. Anything wrong gives a `ValidationException` naming the problem, and the engine the
//! caller holds is untouched: import builds a new one.

use serde_json::{json, Map, Value};

use crate::control::{MaxOnDemand, TimeToLive, WarmRequest};
use crate::engine::{Engine, EngineConfig};
use crate::error::{ApiError, ApiResult};
use crate::ops::write;
use crate::table::{key_schema_json, BillingMode, IndexKind, Projection, SecondaryIndex, Table};
use crate::types::{item_from_json, item_to_json};

/// The `format` member of a workspace document.
pub const WORKSPACE_FORMAT: &str = "dynaplay-workspace";
/// The version this engine writes and reads.
pub const WORKSPACE_VERSION: u64 = 1;

/// Point-in-time recovery's window when none is named (UpdateContinuousBackups' default).
const DEFAULT_RECOVERY_DAYS: i64 = 35;

impl Engine {
    /// The whole state as a workspace document.
    pub fn export_workspace(&self) -> Value {
        let mut document = json!({
            "format": WORKSPACE_FORMAT,
            "version": WORKSPACE_VERSION,
            "engineTime": self.now_ms,
            "tables": self.tables.values().map(export_table).collect::<Vec<_>>(),
        });
        // Only when changed: a workspace with default settings stays byte-for-byte as before.
        if let Some(settings) = crate::playground::changed_settings(self) {
            document["settings"] = settings;
        }
        // DAX clusters and parameter groups, when there are any (their caches are not kept).
        if let Some(dax) = crate::dax::export(self) {
            document["dax"] = dax;
        }
        crate::global::state::export(self, &mut document, false);
        // Auto scaling's targets, policies and activities, when there are any (a build without
        // the feature never has any).
        let scaling =
            crate::features::AUTO_SCALING.then(|| crate::autoscaling::state::export(self)).flatten();
        if let Some(scaling) = scaling {
            document["autoScaling"] = scaling;
        }
        if let Some(iam) = crate::iam::export(self) {
            document["iam"] = iam;
        }
        crate::backups::export(self, &mut document);
        document
    }

    /// The workspace document plus every stream's state: what a host stores to rebuild this
    /// engine exactly, streams included (see the module docs).
    pub fn export_snapshot(&self) -> Value {
        let mut doc = self.export_workspace();
        if let Some(tables) = doc.get_mut("tables").and_then(Value::as_array_mut) {
            annotate_tables(tables, &self.tables, self.now_ms);
        }
        crate::global::state::export(self, &mut doc, true);
        if !self.closed_streams.is_empty() {
            doc["closedStreams"] = self.closed_streams.iter().map(crate::streams::state::to_json).collect();
        }
        crate::snapshot::export_engine(self, &mut doc);
        doc
    }

    /// A new engine holding the workspace in `document`, with default settings.
    pub fn import_workspace(document: &Value) -> ApiResult<Engine> {
        Self::import_workspace_with_config(document, EngineConfig::default())
    }

    /// A new engine holding the workspace in `document`.
    pub fn import_workspace_with_config(document: &Value, config: EngineConfig) -> ApiResult<Engine> {
        if document.get("format").and_then(Value::as_str) != Some(WORKSPACE_FORMAT) {
            return Err(invalid("not a dynaplay workspace (\"format\" must be \"dynaplay-workspace\")"));
        }
        match document.get("version").and_then(Value::as_u64) {
            Some(WORKSPACE_VERSION) => {}
            Some(v) => return Err(invalid(&format!("version {v} is newer than this dynaplay reads (1)"))),
            None => return Err(invalid("\"version\" is missing")),
        }
        let engine_time = document.get("engineTime").and_then(Value::as_u64).unwrap_or(0);
        let mut engine = Engine::with_config(config);
        // Settings first: the partition size limit shapes the tables' partitions.
        match document.get("settings") {
            None | Some(Value::Null) => {}
            Some(settings @ Value::Object(_)) => {
                engine
                    .handle_json("PlaygroundUpdateSettings", settings.clone())
                    .map_err(|e| invalid(&format!("settings: {}", e.message)))?;
            }
            Some(_) => return Err(invalid("\"settings\" must be an object")),
        }
        for (i, table) in document.get("tables").and_then(Value::as_array).into_iter().flatten().enumerate() {
            import_table(&mut engine, table, engine_time).map_err(|e| {
                let name = table.get("TableName").and_then(Value::as_str).unwrap_or("?");
                invalid(&format!("table {} ({name}): {}", i + 1, e.message))
            })?;
        }
        match document.get("dax") {
            None | Some(Value::Null) => {}
            Some(dax @ Value::Object(_)) => {
                crate::dax::import(&mut engine, dax).map_err(|e| invalid(&format!("dax: {}", e.message)))?
            }
            Some(_) => return Err(invalid("\"dax\" must be an object")),
        }
        match document.get("iam") {
            None | Some(Value::Null) => {}
            Some(iam @ Value::Object(_)) => {
                crate::iam::import(&mut engine, iam).map_err(|e| invalid(&format!("iam: {}", e.message)))?
            }
            Some(_) => return Err(invalid("\"iam\" must be an object")),
        }
        for (i, state) in
            document.get("closedStreams").and_then(Value::as_array).into_iter().flatten().enumerate()
        {
            let log = crate::streams::state::from_json(state)
                .ok_or_else(|| invalid(&format!("closed stream {} is not a stream state", i + 1)))?;
            engine.closed_streams.push(log);
        }
        // The other Regions and the global tables, once this Region's tables are in.
        let import_one = |engine: &mut Engine, table: &Value| {
            import_table(engine, table, engine_time).map_err(|e| e.message)
        };
        crate::global::state::import(&mut engine, document, &import_one).map_err(|e| invalid(&e))?;
        crate::snapshot::import_engine(&mut engine, document).map_err(|e| invalid(&e))?;
        match document.get("autoScaling") {
            None | Some(Value::Null) => {}
            Some(scaling @ Value::Object(_)) => {
                crate::autoscaling::state::import(&mut engine, scaling, engine_time)
                    .map_err(|e| invalid(&e.message))?
            }
            Some(_) => return Err(invalid("\"autoScaling\" must be an object")),
        }
        crate::backups::import(&mut engine, document, engine_time).map_err(|e| invalid(&e))?;
        // Logs read from the document take the engine's cap (a live engine never held more).
        engine.set_stream_retention(engine.playground.settings.stream_retention_bytes);
        // The live engine did this second's housekeeping before the document was written.
        engine.housekept_second = engine_time / 1000;
        engine.set_now(engine_time);
        Ok(engine)
    }
}

/// Adds to exported tables what a snapshot keeps of each: `"State"`, `"StreamState"` and, for
/// a replica of a global table, `"ReplicaVersions"`.
pub(crate) fn annotate_tables(exported: &mut [Value], tables: &crate::tables::Tables, now: u64) {
    for t in exported {
        let table = t.get("TableName").and_then(Value::as_str).and_then(|name| tables.get(name));
        let (Some(table), Some(t)) = (table, t.as_object_mut()) else { continue };
        t.insert("State".into(), crate::snapshot::export_table(table, now));
        if let Some(log) = table.stream_log.as_ref() {
            t.insert("StreamState".into(), crate::streams::state::to_json(log));
        }
        if let Some(versions) = crate::global::state::versions_json(table) {
            t.insert("ReplicaVersions".into(), versions);
        }
    }
}

fn invalid(detail: &str) -> ApiError {
    ApiError::validation(format!("Invalid workspace file: {detail}"))
}

pub(crate) fn export_table(table: &Table) -> Value {
    let mut t = Map::new();
    t.insert("TableName".into(), json!(table.name));
    t.insert("TableId".into(), json!(table.table_id));
    t.insert("CreationDateTime".into(), json!(table.created_at_ms));
    t.insert("KeySchema".into(), key_schema_json(&table.key_schema));
    t.insert(
        "AttributeDefinitions".into(),
        table
            .attribute_definitions
            .iter()
            .map(|(n, ty)| json!({"AttributeName": n, "AttributeType": ty.name()}))
            .collect(),
    );
    billing_json(&mut t, table.billing, true);
    let (globals, locals): (Vec<&SecondaryIndex>, Vec<&SecondaryIndex>) =
        table.indexes.iter().partition(|i| i.kind == IndexKind::Global);
    if !globals.is_empty() {
        t.insert("GlobalSecondaryIndexes".into(), globals.iter().map(|i| index_json(i)).collect());
    }
    if !locals.is_empty() {
        t.insert("LocalSecondaryIndexes".into(), locals.iter().map(|i| index_json(i)).collect());
    }
    if !table.vectors.is_empty() {
        t.insert("VectorIndexes".into(), table.vectors.indexes.iter().map(|v| v.definition()).collect());
    }
    if let Some(stream) = table.control.stream.as_ref().filter(|s| s.enabled) {
        t.insert(
            "StreamSpecification".into(),
            json!({"StreamEnabled": true, "StreamViewType": stream.view_type}),
        );
    }
    if !table.control.tags.is_empty() {
        t.insert(
            "Tags".into(),
            table.control.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect(),
        );
    }
    if let Some(ttl) = &table.control.ttl {
        t.insert(
            "TimeToLiveSpecification".into(),
            json!({"AttributeName": ttl.attribute, "Enabled": ttl.enabled}),
        );
    }
    if let Some((_, days)) = table.control.point_in_time_recovery {
        t.insert("PointInTimeRecoveryEnabled".into(), json!(true));
        if days != DEFAULT_RECOVERY_DAYS {
            t.insert("RecoveryPeriodInDays".into(), json!(days));
        }
    }
    if let Some(policy) = &table.control.policy {
        t.insert("ResourcePolicy".into(), json!(policy.document));
    }
    throughput_settings_json(&mut t, &table.control.max_on_demand, &table.control.warm);
    // CreateTable members DescribeTable echoes: the table class and deletion protection.
    if let Some(class) = table.settings.get("TableClassSummary").and_then(|c| c.get("TableClass")) {
        t.insert("TableClass".into(), class.clone());
    }
    if table.deletion_protection() {
        t.insert("DeletionProtectionEnabled".into(), json!(true));
    }
    t.insert("Items".into(), table.items.iter().map(|entry| item_to_json(&entry.item())).collect());
    Value::Object(t)
}

fn billing_json(out: &mut Map<String, Value>, billing: BillingMode, with_mode: bool) {
    match billing {
        BillingMode::Provisioned { read, write } => {
            if with_mode {
                out.insert("BillingMode".into(), json!("PROVISIONED"));
            }
            out.insert(
                "ProvisionedThroughput".into(),
                json!({"ReadCapacityUnits": read, "WriteCapacityUnits": write}),
            );
        }
        BillingMode::PayPerRequest => {
            if with_mode {
                out.insert("BillingMode".into(), json!("PAY_PER_REQUEST"));
            }
        }
    }
}

fn index_json(index: &SecondaryIndex) -> Value {
    let mut m = Map::new();
    m.insert("IndexName".into(), json!(index.name));
    m.insert("KeySchema".into(), key_schema_json(&index.key_schema));
    let projection = match &index.projection {
        Projection::All => json!({"ProjectionType": "ALL"}),
        Projection::KeysOnly => json!({"ProjectionType": "KEYS_ONLY"}),
        Projection::Include(attrs) => json!({"ProjectionType": "INCLUDE", "NonKeyAttributes": attrs}),
    };
    m.insert("Projection".into(), projection);
    if let Some(billing) = index.throughput {
        billing_json(&mut m, billing, false);
    }
    throughput_settings_json(&mut m, &index.control.max_on_demand, &index.control.warm);
    Value::Object(m)
}

/// A table's or GSI's OnDemandThroughput and the WarmThroughput asked for, as CreateTable
/// members (absent when not set).
fn throughput_settings_json(out: &mut Map<String, Value>, max: &MaxOnDemand, warm: &WarmRequest) {
    if let Some(max) = max.to_json() {
        out.insert("OnDemandThroughput".into(), max);
    }
    // Only what was asked for: a member never requested is 0 here, which CreateTable refuses.
    let mut asked = Map::new();
    if warm.read > 0 {
        asked.insert("ReadUnitsPerSecond".into(), json!(warm.read));
    }
    if warm.write > 0 {
        asked.insert("WriteUnitsPerSecond".into(), json!(warm.write));
    }
    if !asked.is_empty() {
        out.insert("WarmThroughput".into(), Value::Object(asked));
    }
}

/// The CreateTable request that rebuilds an exported table's definition.
fn create_request(table: &Value) -> Value {
    let mut request = Map::new();
    for member in [
        "TableName",
        "KeySchema",
        "AttributeDefinitions",
        "BillingMode",
        "ProvisionedThroughput",
        "GlobalSecondaryIndexes",
        "LocalSecondaryIndexes",
        "VectorIndexes",
        "StreamSpecification",
        "Tags",
        "TableClass",
        "DeletionProtectionEnabled",
        "ResourcePolicy",
        "SSESpecification",
        "OnDemandThroughput",
        "WarmThroughput",
    ] {
        if let Some(v) = table.get(member) {
            request.insert(member.into(), v.clone());
        }
    }
    Value::Object(request)
}

fn import_table(engine: &mut Engine, spec: &Value, engine_time: u64) -> ApiResult<()> {
    import_table_by(engine, spec, engine_time, |engine, request| engine.handle_json("CreateTable", request))
}

/// Makes the table a new replica of a global table starts as, from its source's exported
/// table: CreateTable's own code, without a request's work around it (replication is what
/// asks for it, in the middle of its own).
pub(crate) fn import_replica(engine: &mut Engine, spec: &Value) -> ApiResult<()> {
    import_table_by(engine, spec, engine.now_ms, |engine, request| crate::ops::create_table(engine, &request))
}

/// Makes a restored table from its document (`backups/restore.rs`): CreateTable's own code, at
/// engine time.
pub(crate) fn import_restored(engine: &mut Engine, spec: &Value) -> ApiResult<()> {
    import_table_by(engine, spec, engine.now_ms, |engine, request| crate::ops::create_table(engine, &request))
}

fn import_table_by(
    engine: &mut Engine,
    spec: &Value,
    engine_time: u64,
    create: fn(&mut Engine, Value) -> ApiResult<Value>,
) -> ApiResult<()> {
    if !spec.is_object() {
        return Err(ApiError::validation("a table must be a JSON object"));
    }
    let created = spec.get("CreationDateTime").and_then(Value::as_u64).unwrap_or(0);
    // Creation goes through CreateTable, at the table's own creation time.
    let saved_now = engine.now_ms;
    engine.now_ms = created;
    let outcome = create(engine, create_request(spec));
    engine.now_ms = saved_now.max(created);
    outcome?;
    let name = spec.get("TableName").and_then(Value::as_str).unwrap_or_default();
    let (region, account) = (engine.config.region.clone(), engine.config.account_id.clone());
    let size_limit = engine.playground.settings.partition_size_limit;
    let table = engine.tables.get_mut(name).ok_or_else(ApiError::resource_not_found)?;
    if let Some(id) = spec.get("TableId").and_then(Value::as_str) {
        table.table_id = id.to_owned();
    }
    // An imported table is ready: nothing is left CREATING or UPDATING.
    table.control.updating_until_ms = 0;
    for index in &mut table.indexes {
        index.control.ready_at_ms = 0;
        index.control.updating_until_ms = 0;
    }
    if let Some(ttl) = spec.get("TimeToLiveSpecification") {
        let attribute = ttl.get("AttributeName").and_then(Value::as_str);
        let enabled = ttl.get("Enabled").and_then(Value::as_bool);
        let (Some(attribute), Some(enabled)) = (attribute, enabled) else {
            return Err(ApiError::validation("TimeToLiveSpecification needs AttributeName and Enabled"));
        };
        table.control.ttl = Some(TimeToLive { attribute: attribute.to_owned(), enabled, changed_ms: 0 });
        table.ttl_index = enabled.then(|| crate::ttl::TtlIndex::build(table, attribute));
    }
    if spec.get("PointInTimeRecoveryEnabled").and_then(Value::as_bool) == Some(true) {
        let days = match spec.get("RecoveryPeriodInDays") {
            None => DEFAULT_RECOVERY_DAYS,
            Some(days) => days.as_i64().filter(|d| (1..=35).contains(d)).ok_or_else(|| {
                ApiError::validation("RecoveryPeriodInDays must be a whole number of days, 1 to 35")
            })?,
        };
        table.control.point_in_time_recovery = Some((created, days));
    }
    let items = match spec.get("Items") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(items)) => items.as_slice(),
        Some(_) => return Err(ApiError::validation("Items must be a list")),
    };
    // The vector indexes are built after the items, as a backfill builds them: an item written
    // before its table had the index may hold a vector the index skipped, which a write to an
    // indexed table would refuse.
    let vector_indexes = std::mem::take(&mut table.vectors.indexes);
    for (i, json) in items.iter().enumerate() {
        let at = |e: ApiError| ApiError::validation(format!("item {}: {}", i + 1, e.message));
        let item = item_from_json(json).map_err(at)?;
        write::check_item_size(&item).map_err(at)?;
        let key = write::item_key(table, &item).map_err(at)?;
        table.put(key, &item);
    }
    for index in vector_indexes {
        crate::vector::backfill(table, index);
    }
    if let Some(state) = spec.get("State") {
        // A snapshot: statuses, histories and partitions as they were (see `snapshot.rs`).
        let layout = crate::capacity::admission::Layout { now: engine_time, size_limit, adaptive: None };
        crate::snapshot::import_table(table, state, layout).map_err(ApiError::validation)?;
    }
    if let Some(versions) = spec.get("ReplicaVersions") {
        crate::global::state::import_versions(table, versions).map_err(ApiError::validation)?;
    }
    // The stream's ARN names the instant it was enabled (the table's creation, or later).
    let arn = table.arn(&region, &account);
    let stream_arn =
        table.control.stream.as_ref().filter(|s| s.enabled).map(|s| format!("{arn}/stream/{}", s.label()));
    if let Some(state) = spec.get("StreamState") {
        // The stream as it was (records, shards, sequence counter), in place of the fresh one
        // CreateTable made from StreamSpecification.
        let log = crate::streams::state::from_json(state)
            .filter(|log| stream_arn.as_deref() == Some(log.arn.as_str()))
            .ok_or_else(|| ApiError::validation("StreamState is not the state of this table's stream"))?;
        table.stream_log = Some(log);
    } else if table.stream_log.as_ref().map(|log| &log.arn) != stream_arn.as_ref() {
        // No records kept, but a stream (or none) other than the one CreateTable made.
        table.stream_log = None;
        let stream = table.control.stream.clone();
        let retention = crate::streams::DEFAULT_RETENTION_BYTES;
        crate::streams::set_table_stream(table, stream, &arn, &region, (created, created), retention);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine_with_data() -> Engine {
        let mut engine = Engine::new();
        engine.set_now(1_700_000_000_000);
        engine
            .handle_json(
                "CreateTable",
                json!({
                    "TableName": "Orders", "BillingMode": "PROVISIONED",
                    "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 3},
                    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                             {"AttributeName": "sk", "AttributeType": "N"},
                                             {"AttributeName": "status", "AttributeType": "S"}],
                    "GlobalSecondaryIndexes": [{"IndexName": "by-status",
                        "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}],
                        "Projection": {"ProjectionType": "KEYS_ONLY"},
                        "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}],
                    "Tags": [{"Key": "team", "Value": "learners"}]
                }),
            )
            .unwrap();
        for i in 0..5 {
            engine
                .handle_json(
                    "PutItem",
                    json!({"TableName": "Orders", "Item": {"pk": {"S": "c1"}, "sk": {"N": i.to_string()},
                           "status": {"S": if i % 2 == 0 {"open"} else {"shipped"}}, "tags": {"SS": ["a", "b"]}}}),
                )
                .unwrap();
        }
        engine
            .handle_json(
                "UpdateTimeToLive",
                json!({"TableName": "Orders", "TimeToLiveSpecification": {"AttributeName": "expires", "Enabled": true}}),
            )
            .unwrap();
        engine.advance(60_000);
        engine
    }

    #[test]
    fn export_import_round_trips() {
        let mut engine = engine_with_data();
        let exported = engine.export_workspace();
        let mut copy = Engine::import_workspace(&exported).unwrap();
        assert_eq!(copy.export_workspace(), exported);
        for op in ["DescribeTable", "DescribeTimeToLive", "ListTagsOfResource"] {
            let request = if op == "ListTagsOfResource" {
                json!({"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/Orders"})
            } else {
                json!({"TableName": "Orders"})
            };
            assert_eq!(
                copy.handle_json(op, request.clone()).unwrap(),
                engine.handle_json(op, request).unwrap(),
                "{op}"
            );
        }
        let query = json!({"TableName": "Orders", "IndexName": "by-status",
                           "KeyConditionExpression": "#s = :s", "ExpressionAttributeNames": {"#s": "status"},
                           "ExpressionAttributeValues": {":s": {"S": "open"}}});
        assert_eq!(copy.handle_json("Query", query.clone()).unwrap()["Count"], 3);
        assert_eq!(
            copy.handle_json("Query", query.clone()).unwrap(),
            engine.handle_json("Query", query).unwrap()
        );
    }

    /// Deletion protection, the resource policies of a table and its stream and the recovery
    /// period travel with the workspace; the snapshot keeps the policies' revisions too.
    #[test]
    fn table_settings_of_2024_to_2026_travel_with_the_workspace() {
        let mut engine = engine_with_data();
        let table_arn = "arn:aws:dynamodb:us-east-1:000000000000:table/Orders";
        let run = |engine: &mut Engine, op: &str, request: Value| engine.handle_json(op, request).unwrap();
        run(&mut engine, "UpdateTable", json!({"TableName": "Orders", "DeletionProtectionEnabled": true}));
        engine.advance(2_000);
        let stream = run(
            &mut engine,
            "UpdateTable",
            json!({"TableName": "Orders", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}}),
        )["TableDescription"]["LatestStreamArn"]
            .as_str()
            .unwrap()
            .to_owned();
        engine.advance(2_000);
        run(
            &mut engine,
            "PutResourcePolicy",
            json!({"ResourceArn": table_arn, "Policy": "{\"Version\": \"2012-10-17\"}"}),
        );
        run(&mut engine, "PutResourcePolicy", json!({"ResourceArn": stream, "Policy": "{}"}));
        run(
            &mut engine,
            "UpdateContinuousBackups",
            json!({"TableName": "Orders", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true, "RecoveryPeriodInDays": 7}}),
        );
        let exported = engine.export_workspace();
        assert_eq!(exported["tables"][0]["DeletionProtectionEnabled"], true);
        assert_eq!(exported["tables"][0]["RecoveryPeriodInDays"], 7);
        let mut copy = Engine::import_workspace(&exported).unwrap();
        assert_eq!(copy.export_workspace(), exported);
        let days = run(&mut copy, "DescribeContinuousBackups", json!({"TableName": "Orders"}));
        assert_eq!(
            days["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["RecoveryPeriodInDays"],
            7
        );
        let policy = run(&mut copy, "GetResourcePolicy", json!({"ResourceArn": table_arn}));
        assert_eq!(policy["Policy"], "{\"Version\": \"2012-10-17\"}");
        assert_eq!(
            copy.handle_json("DeleteTable", json!({"TableName": "Orders"})).unwrap_err().kind,
            crate::error::ErrorKind::Validation
        );

        let mut rebuilt = Engine::import_workspace(&engine.export_snapshot()).unwrap();
        for arn in [table_arn, stream.as_str()] {
            let request = json!({"ResourceArn": arn});
            assert_eq!(
                run(&mut rebuilt, "GetResourcePolicy", request.clone()),
                run(&mut engine, "GetResourcePolicy", request),
                "{arn}"
            );
        }
    }

    /// Every record of the stream `arn`, shard by shard, as GetRecords returns them.
    fn stream_records(engine: &mut Engine, arn: &str) -> Vec<Value> {
        let d = engine.handle_json("DescribeStream", json!({"StreamArn": arn})).unwrap();
        let mut out = Vec::new();
        for shard in d["StreamDescription"]["Shards"].as_array().unwrap() {
            let it = engine
                .handle_json(
                    "GetShardIterator",
                    json!({"StreamArn": arn, "ShardId": shard["ShardId"], "ShardIteratorType": "TRIM_HORIZON"}),
                )
                .unwrap();
            let page =
                engine.handle_json("GetRecords", json!({"ShardIterator": it["ShardIterator"]})).unwrap();
            out.push(json!([shard["ShardId"], page["Records"]]));
        }
        out
    }

    #[test]
    fn a_snapshot_keeps_every_stream_and_continues_its_sequence_numbers() {
        let mut engine = Engine::new();
        engine.set_now(1_700_000_000_000);
        let create = |name: &str| {
            json!({"TableName": name, "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                   "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                   "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
                   "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}})
        };
        engine.handle_json("CreateTable", create("Events")).unwrap();
        engine.handle_json("PlaygroundUpdateSettings", json!({"PartitionSizeLimitBytes": 1024})).unwrap();
        let put = |engine: &mut Engine, k: &str| {
            engine
                .handle_json(
                    "PutItem",
                    json!({"TableName": "Events", "Item": {"pk": {"S": k}, "pad": {"S": "x".repeat(600)}}}),
                )
                .unwrap();
        };
        for i in 0..6 {
            put(&mut engine, &format!("k{i}"));
        }
        // A second table whose stream was disabled: a closed stream, readable for 24 hours.
        engine.handle_json("CreateTable", create("Old")).unwrap();
        engine.handle_json("PutItem", json!({"TableName": "Old", "Item": {"pk": {"S": "a"}}})).unwrap();
        engine
            .handle_json(
                "UpdateTable",
                json!({"TableName": "Old", "StreamSpecification": {"StreamEnabled": false}}),
            )
            .unwrap();
        engine.advance(1_000);
        let arn = |e: &mut Engine, t: &str| {
            e.handle_json("DescribeTable", json!({"TableName": t})).unwrap()["Table"]["LatestStreamArn"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        let events = arn(&mut engine, "Events");
        let old = arn(&mut engine, "Old");

        let snapshot = engine.export_snapshot();
        assert!(
            engine.export_workspace()["tables"][0].get("StreamState").is_none(),
            "the learner's export has none"
        );
        assert!(snapshot["tables"][0].get("StreamState").is_some() && snapshot["closedStreams"].is_array());
        let mut copy = Engine::import_workspace(&snapshot).unwrap();
        assert_eq!(copy.export_snapshot(), snapshot);
        for a in [&events, &old] {
            let d = |e: &mut Engine| e.handle_json("DescribeStream", json!({"StreamArn": a})).unwrap();
            assert_eq!(d(&mut copy), d(&mut engine));
            assert_eq!(stream_records(&mut copy, a), stream_records(&mut engine, a));
        }
        let shards = stream_records(&mut engine, &events).len();
        assert!(shards > 1, "the shards split ({shards})");
        // The next change gets the next sequence number in both (back to the default size
        // limit in both, so neither splits again).
        for e in [&mut engine, &mut copy] {
            e.handle_json(
                "PlaygroundUpdateSettings",
                json!({"PartitionSizeLimitBytes": crate::partition::TEN_GB}),
            )
            .unwrap();
        }
        put(&mut engine, "next");
        put(&mut copy, "next");
        assert_eq!(stream_records(&mut copy, &events), stream_records(&mut engine, &events));
        // A state that is not this table's stream is refused.
        let mut bad = snapshot.clone();
        bad["tables"][0]["StreamState"]["StreamArn"] =
            json!("arn:aws:dynamodb:us-east-1:000000000000:table/Events/stream/x");
        assert!(Engine::import_workspace(&bad).err().unwrap().message.contains("StreamState"));
        bad = snapshot.clone();
        bad["closedStreams"][0]["Shards"] = json!("nope");
        assert!(Engine::import_workspace(&bad).err().unwrap().message.contains("closed stream 1"));
    }

    #[test]
    fn bad_documents_get_clear_errors() {
        let good = engine_with_data().export_workspace();
        let mut wrong_format = good.clone();
        wrong_format["format"] = json!("something-else");
        let mut future = good.clone();
        future["version"] = json!(2);
        let mut bad_item = good.clone();
        bad_item["tables"][0]["Items"][1] = json!({"pk": {"S": "x"}, "sk": {"S": "not a number"}});
        let mut bad_number = good.clone();
        bad_number["tables"][0]["Items"][0]["sk"] = json!({"N": "abc"});
        let mut bad_table = good.clone();
        bad_table["tables"][0]["KeySchema"] = json!([]);
        for (doc, message) in [
            (json!([]), "Invalid workspace file: not a dynaplay workspace (\"format\" must be \"dynaplay-workspace\")"),
            (wrong_format, "Invalid workspace file: not a dynaplay workspace (\"format\" must be \"dynaplay-workspace\")"),
            (future, "Invalid workspace file: version 2 is newer than this dynaplay reads (1)"),
            (bad_item, "Invalid workspace file: table 1 (Orders): item 2: One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S"),
            (bad_number, "Invalid workspace file: table 1 (Orders): item 1: The parameter cannot be converted to a numeric value: abc"),
        ] {
            let err = Engine::import_workspace(&doc).err().expect("must fail");
            assert_eq!(err.kind.name(), "ValidationException");
            assert_eq!(err.message, message);
        }
        let err = Engine::import_workspace(&bad_table).err().expect("must fail");
        assert!(
            err.message.starts_with("Invalid workspace file: table 1 (Orders): 1 validation error detected"),
            "{}",
            err.message
        );
    }

    #[test]
    fn changed_settings_travel_with_the_workspace() {
        let mut engine = engine_with_data();
        assert!(engine.export_workspace().get("settings").is_none(), "defaults are not written");
        engine
            .handle_json(
                "PlaygroundUpdateSettings",
                json!({"PartitionSizeLimitBytes": 4096, "ThrottlingEnabled": false,
                       "TtlDeletionDelayMilliseconds": 0}),
            )
            .unwrap();
        let exported = engine.export_workspace();
        assert_eq!(
            exported["settings"],
            json!({"PartitionSizeLimitBytes": 4096, "ThrottlingEnabled": false, "TtlDeletionDelayMilliseconds": 0})
        );
        let mut copy = Engine::import_workspace(&exported).unwrap();
        let describe = |e: &mut Engine| e.handle_json("PlaygroundDescribeSettings", json!({})).unwrap();
        assert_eq!(describe(&mut copy), describe(&mut engine));
        assert_eq!(copy.export_workspace(), exported);
        let mut bad = exported.clone();
        bad["settings"]["PartitionSizeLimitBytes"] = json!(1);
        let err = Engine::import_workspace(&bad).err().expect("must fail");
        assert_eq!(
            err.message,
            "Invalid workspace file: settings: 1 validation error detected: Value '1' at 'partitionSizeLimitBytes' failed to satisfy constraint: Member must have value greater than or equal to 1024"
        );
    }
}
