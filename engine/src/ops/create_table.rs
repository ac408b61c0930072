//! CreateTable: key schema, attribute definitions, billing, and the secondary indexes created
//! with the table, with DynamoDB's checks in DynamoDB's order.

use serde_json::{json, Map, Value};

use super::request;
use super::throughput_settings::{self, max_on_create, requested_max, requested_warm, Owner};
use crate::control::{Stream, TableControl};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::storage::{ItemStore, KeyNames};
use crate::table::{BillingMode, IndexKind, Projection, SecondaryIndex, Table};
use crate::types::{KeyAttribute, KeySchema, ScalarType};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    const LOCAL_SECONDARY_INDEX: &[Field] = &[
        field("IndexName", Str, &[NotNull, NamePattern, MinLength(3), MaxLength(255)]),
        field(
            "KeySchema",
            List(&Struct("KeySchemaElement", KEY_SCHEMA_ELEMENT)),
            &[NotNull, MinLength(1), MaxLength(2)],
        ),
        field("Projection", Struct("Projection", PROJECTION), &[NotNull]),
    ];
    const GLOBAL_SECONDARY_INDEX: &[Field] = &[
        field("IndexName", Str, &[NotNull, NamePattern, MinLength(3), MaxLength(255)]),
        // No upper bound: a GSI may have a multi-attribute key (`key_schema` counts them).
        field("KeySchema", List(&Struct("KeySchemaElement", KEY_SCHEMA_ELEMENT)), &[NotNull, MinLength(1)]),
        field("Projection", Struct("Projection", PROJECTION), &[NotNull]),
        field("ProvisionedThroughput", Struct("ProvisionedThroughput", PROVISIONED_THROUGHPUT), &[]),
        field("OnDemandThroughput", Struct("OnDemandThroughput", ON_DEMAND_THROUGHPUT), &[]),
        field("WarmThroughput", Struct("WarmThroughput", WARM_THROUGHPUT), &[]),
    ];
    &[
        field("AttributeDefinitions", List(&Struct("AttributeDefinition", ATTRIBUTE_DEFINITION)), &[NotNull]),
        field("TableName", Str, &[Required, NamePattern, MinLength(3), MaxLength(255)]),
        field("BillingMode", Str, &[Enum(&["PROVISIONED", "PAY_PER_REQUEST"])]),
        field("ProvisionedThroughput", Struct("ProvisionedThroughput", PROVISIONED_THROUGHPUT), &[]),
        field(
            "KeySchema",
            List(&Struct("KeySchemaElement", KEY_SCHEMA_ELEMENT)),
            &[NotNull, MinLength(1), MaxLength(2)],
        ),
        // Recorded (2026-10): a GSI's member errors come before an LSI's.
        field("GlobalSecondaryIndexes", List(&Struct("GlobalSecondaryIndex", GLOBAL_SECONDARY_INDEX)), &[]),
        field("LocalSecondaryIndexes", List(&Struct("LocalSecondaryIndex", LOCAL_SECONDARY_INDEX)), &[]),
        field("StreamSpecification", Struct("StreamSpecification", STREAM_SPECIFICATION), &[]),
        field("SSESpecification", Struct("SSESpecification", SSE_SPECIFICATION), &[]),
        field("Tags", List(&Struct("Tag", TAG)), &[]),
        field("TableClass", Str, &[Enum(&["STANDARD", "STANDARD_INFREQUENT_ACCESS"])]),
        field("DeletionProtectionEnabled", Bool, &[]),
        field("OnDemandThroughput", Struct("OnDemandThroughput", ON_DEMAND_THROUGHPUT), &[]),
        field("WarmThroughput", Struct("WarmThroughput", WARM_THROUGHPUT), &[]),
        field("ResourcePolicy", Str, &[]),
        field("VectorIndexes", List(&Struct("VectorIndex", VECTOR_INDEX)), &[]),
    ]
};

const MAX_LOCAL_INDEXES: usize = 5;
const MAX_GLOBAL_INDEXES: usize = 20;
pub(super) const MAX_CAPACITY_UNITS: i64 = 1_000_000_000_000;

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    let pay_per_request = request::string(request, "BillingMode") == Some("PAY_PER_REQUEST");
    let billing = billing_mode(request.get("ProvisionedThroughput"), pay_per_request)?;

    let definitions = attribute_definitions(request)?;
    let key_elements = key_elements(request.get("KeySchema"));
    let key_schema = key_schema(&key_elements, &definitions, KeyOwner::Table)?;

    let local = request.get("LocalSecondaryIndexes").and_then(Value::as_array);
    let global = request.get("GlobalSecondaryIndexes").and_then(Value::as_array);
    let vector = request.get("VectorIndexes").and_then(Value::as_array);
    if local.is_none() && global.is_none() && vector.is_none() && key_elements.len() != definitions.len() {
        return Err(ApiError::invalid_parameter(
            "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
        ));
    }

    let mut indexes = Vec::new();
    if let Some(local) = local {
        if local.is_empty() {
            return Err(ApiError::invalid_parameter("List of LocalSecondaryIndexes is empty"));
        }
        if key_schema.sort_key.is_none() {
            return Err(ApiError::invalid_parameter(
                "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex",
            ));
        }
        for spec in local {
            let index = secondary_index(
                spec,
                IndexKind::Local,
                &definitions,
                &key_schema,
                pay_per_request,
                engine.now_ms,
            )?;
            add_index(&mut indexes, index)?;
        }
        if local.len() > MAX_LOCAL_INDEXES {
            return Err(ApiError::invalid_parameter(
                "Number of LocalSecondaryIndexes exceeds per-table limit of 5",
            ));
        }
    }
    if let Some(global) = global {
        if global.is_empty() {
            return Err(ApiError::invalid_parameter("List of GlobalSecondaryIndexes is empty"));
        }
        for spec in global {
            let index = secondary_index(
                spec,
                IndexKind::Global,
                &definitions,
                &key_schema,
                pay_per_request,
                engine.now_ms,
            )?;
            add_index(&mut indexes, index)?;
        }
        if global.len() > MAX_GLOBAL_INDEXES {
            return Err(ApiError::invalid_parameter(
                "GlobalSecondaryIndex count exceeds the per-table limit of 20",
            ));
        }
    }
    let taken: Vec<&str> = indexes.iter().map(|i| i.name.as_str()).collect();
    let vectors = super::vector_indexes::from_create_table(
        request,
        &definitions,
        &key_schema,
        pay_per_request,
        &taken,
    )?;
    let vectors = crate::vector::VectorIndexes { indexes: vectors, ..Default::default() };
    check_unused_definitions(&definitions, &key_schema, &indexes, &vectors)?;
    let stream = stream_on_create(request, engine.now_ms)?;
    let max_on_demand = max_on_create(requested_max(request), !pay_per_request, Owner::Table)?;
    let warm_requested = requested_warm(request);
    let warm = match warm_requested {
        Some(asked) => throughput_settings::warm(asked, Default::default(), Owner::Table, engine.now_ms)?,
        None => Default::default(),
    };
    let policy = request::string(request, "ResourcePolicy");
    if let Some(document) = policy {
        super::resource_policy::check_document(document)?;
    }

    let name = request::string(request, "TableName").unwrap_or_default().to_owned();
    if engine.tables.contains_key(&name) || crate::global::replica_updates::reserved(engine, &name) {
        return Err(ApiError::new(ErrorKind::ResourceInUse, format!("Table already exists: {name}")));
    }
    engine.tables_created += 1;
    let mut table = Table {
        table_id: table_id(engine.tables_created),
        name: name.clone(),
        attribute_definitions: definitions.into_iter().collect(),
        billing,
        created_at_ms: engine.now_ms,
        items: ItemStore::new(KeyNames::table(&key_schema)),
        key_schema,
        indexes,
        vectors,
        settings: kept_settings(request),
        control: TableControl {
            pay_per_request_since_ms: pay_per_request.then_some(engine.now_ms),
            tags: super::tags::from_create_table(request)?,
            policy: policy.map(|d| crate::control::ResourcePolicy::revise(d.to_owned(), engine.now_ms, None)),
            max_on_demand,
            warm,
            ..TableControl::default()
        },
        stream_log: None,
        ttl_index: None,
        replica: None,
        history: Default::default(),
    };
    // Partitions are laid out now, so a stream starts with one shard per partition.
    crate::capacity::admission::maintain_all(&mut table, engine.tables_with_layout().1);
    let (region, account, now) = (&engine.config.region, &engine.config.account_id, engine.now_ms);
    // A stream created with its table is ENABLED at once.
    let arn = table.arn(region, account);
    let retention = engine.playground.settings.stream_retention_bytes;
    crate::streams::set_table_stream(&mut table, stream, &arn, region, (now, now), retention);
    let mut description =
        table.describe(&engine.config.region, &engine.config.account_id, engine.now_ms, Some("CREATING"));
    // CreateTable's answer shows a WarmThroughput only where one was asked for (DynamoDB's,
    // recorded October 2025); DescribeTable shows it everywhere.
    if let (None, Some(obj)) = (warm_requested, description.as_object_mut()) {
        obj.remove("WarmThroughput");
    }
    if let Some(globals) = description.get_mut("GlobalSecondaryIndexes").and_then(Value::as_array_mut) {
        for (g, spec) in globals.iter_mut().zip(global.into_iter().flatten()) {
            g["IndexStatus"] = json!("CREATING");
            if requested_warm(spec).is_none() {
                if let Some(g) = g.as_object_mut() {
                    g.remove("WarmThroughput");
                }
            }
        }
    }
    // Vector indexes created with their table are CREATING with it, without `Backfilling`.
    if let Some(vectors) = description.get_mut("VectorIndexes").and_then(Value::as_array_mut) {
        for v in vectors {
            v["IndexStatus"] = json!("CREATING");
        }
    }
    engine.tables.insert(table);
    Ok(json!({ "TableDescription": description }))
}

/// The stream a new table starts with, from its StreamSpecification.
fn stream_on_create(request: &Value, now: u64) -> ApiResult<Option<Stream>> {
    let Some(spec) = request.get("StreamSpecification").filter(|v| !v.is_null()) else { return Ok(None) };
    let view_type = request::string(spec, "StreamViewType");
    match (request::boolean(spec, "StreamEnabled"), view_type) {
        (true, None) => Err(ApiError::invalid_parameter(
            "Table is being created with a stream enabled, UpdateViewType is required",
        )),
        (false, Some(_)) => Err(ApiError::invalid_parameter(
            "Table is being created with a stream disabled, UpdateViewType should not be specified",
        )),
        (false, None) => Ok(None),
        (true, Some(view_type)) => {
            Ok(Some(Stream { enabled: true, view_type: view_type.to_owned(), created_ms: now }))
        }
    }
}

/// Reads BillingMode + ProvisionedThroughput with DynamoDB's checks.
pub(super) fn billing_mode(throughput: Option<&Value>, pay_per_request: bool) -> ApiResult<BillingMode> {
    let throughput = throughput.filter(|v| !v.is_null());
    if pay_per_request {
        if throughput.is_some() {
            return Err(ApiError::invalid_parameter(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
            ));
        }
        return Ok(BillingMode::PayPerRequest);
    }
    let units = |name| throughput.and_then(|t| request::integer(t, name));
    let (Some(read), Some(write)) = (units("ReadCapacityUnits"), units("WriteCapacityUnits")) else {
        return Err(ApiError::invalid_parameter(
            "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
        ));
    };
    for (value, name) in [(read, "ReadCapacityUnits"), (write, "WriteCapacityUnits")] {
        if value > MAX_CAPACITY_UNITS {
            return Err(ApiError::validation(format!("Given value {value} for {name} is out of bounds")));
        }
    }
    Ok(BillingMode::Provisioned { read: read as u64, write: write as u64 })
}

/// AttributeDefinitions, in request order; a repeated name is an error.
pub(super) fn attribute_definitions(request: &Value) -> ApiResult<Vec<(String, ScalarType)>> {
    let mut out: Vec<(String, ScalarType)> = Vec::new();
    for def in request.get("AttributeDefinitions").and_then(Value::as_array).into_iter().flatten() {
        let name = request::string(def, "AttributeName").unwrap_or_default().to_owned();
        let scalar =
            request::string(def, "AttributeType").and_then(ScalarType::parse).unwrap_or(ScalarType::S);
        if out.iter().any(|(n, _)| *n == name) {
            return Err(ApiError::invalid_parameter("Duplicate AttributeName in AttributeDefinitions"));
        }
        out.push((name, scalar));
    }
    Ok(out)
}

/// (AttributeName, KeyType) pairs of a KeySchema member.
pub(super) fn key_elements(schema: Option<&Value>) -> Vec<(String, String)> {
    schema
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|e| {
            (
                request::string(e, "AttributeName").unwrap_or_default().to_owned(),
                request::string(e, "KeyType").unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// Whose key a KeySchema is: a table's or a local index's key has one HASH and at most one
/// RANGE attribute; a global index's may have several of each (multi-attribute keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum KeyOwner {
    Table,
    LocalIndex,
    GlobalIndex,
}

/// The most HASH (and the most RANGE) attributes a multi-attribute GSI key may have.
pub(crate) const MAX_ATTRIBUTES_PER_KEY: usize = 4;

/// Checks a table's or index's key schema against the definitions: one HASH attribute and at
/// most one RANGE attribute, or for a GSI 1–4 HASH attributes then 0–4 RANGE attributes (a
/// multi-attribute key; texts as DynamoDB gives them, October 2026), no name twice.
pub(super) fn key_schema(
    elements: &[(String, String)],
    defs: &[(String, ScalarType)],
    owner: KeyOwner,
) -> ApiResult<KeySchema> {
    let def_names: Vec<&str> = defs.iter().map(|(n, _)| n.as_str()).collect();
    if owner == KeyOwner::Table && elements.len() > defs.len() {
        return Err(ApiError::validation("Invalid KeySchema: Some index key attribute have no definition"));
    }
    if elements.iter().any(|(n, _)| !def_names.contains(&n.as_str())) {
        let keys: Vec<&str> = elements.iter().map(|(n, _)| n.as_str()).collect();
        return Err(ApiError::invalid_parameter(format!(
            "Some index key attributes are not defined in AttributeDefinitions. Keys: [{}], AttributeDefinitions: [{}]",
            keys.join(", "),
            def_names.join(", ")
        )));
    }
    let hash_count = elements.iter().take_while(|(_, t)| t == "HASH").count();
    let global = owner == KeyOwner::GlobalIndex;
    // Tables and LSIs have at most two elements (the shape's limit); a GSI may have eight.
    if elements.len() == 2 && elements[0].0 == elements[1].0 && !(global && hash_count == 2) {
        return Err(ApiError::validation(
            "Both the Hash Key and the Range Key element in the KeySchema have the same name",
        ));
    }
    if hash_count == 0 {
        return Err(ApiError::validation(
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
        ));
    }
    if !global && hash_count > 1 {
        return Err(ApiError::validation(
            "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type",
        ));
    }
    let problem = if elements[hash_count..].iter().any(|(_, t)| t == "HASH") {
        "All HASH key attributes must precede RANGE key attributes in the KeySchema"
    } else if hash_count > MAX_ATTRIBUTES_PER_KEY {
        "The KeySchema exceeds the maximum allowed number of HASH key attributes"
    } else if elements.len() - hash_count > MAX_ATTRIBUTES_PER_KEY {
        "The KeySchema exceeds the maximum allowed number of RANGE key attributes"
    } else if elements.iter().enumerate().any(|(i, (n, _))| elements[..i].iter().any(|(m, _)| m == n)) {
        "The KeySchema contains multiple key attributes with the same name"
    } else {
        let mut attributes: Vec<KeyAttribute> = elements
            .iter()
            .map(|(name, _)| KeyAttribute {
                name: name.clone(),
                scalar_type: defs.iter().find(|(n, _)| n == name).map_or(ScalarType::S, |(_, t)| *t),
            })
            .collect();
        let mut sort = attributes.split_off(hash_count).into_iter();
        let mut hash = attributes.into_iter();
        let Some(partition_key) = hash.next() else { return Err(ApiError::validation("Invalid KeySchema")) };
        return Ok(KeySchema {
            partition_key,
            sort_key: sort.next(),
            more_partition_keys: hash.collect(),
            more_sort_keys: sort.collect(),
        });
    };
    Err(ApiError::invalid_parameter(problem))
}

pub(super) fn secondary_index(
    spec: &Value,
    kind: IndexKind,
    defs: &[(String, ScalarType)],
    table_schema: &KeySchema,
    pay_per_request: bool,
    now: u64,
) -> ApiResult<SecondaryIndex> {
    let name = request::string(spec, "IndexName").unwrap_or_default().to_owned();
    let elements = key_elements(spec.get("KeySchema"));
    let owner = if kind == IndexKind::Local { KeyOwner::LocalIndex } else { KeyOwner::GlobalIndex };
    let key_schema = key_schema(&elements, defs, owner)?;
    if kind == IndexKind::Local {
        if key_schema.sort_key.is_none() {
            return Err(ApiError::invalid_parameter(format!(
                "Index KeySchema does not have a range key for index: {name}"
            )));
        }
        if key_schema.partition_key.name != table_schema.partition_key.name {
            return Err(ApiError::invalid_parameter(format!(
                "Index KeySchema does not have the same leading hash key as table KeySchema for index: {name}. index hash key: {}, table hash key: {}",
                key_schema.partition_key.name, table_schema.partition_key.name
            )));
        }
    }
    let projection = projection(spec.get("Projection"))?;
    let throughput = match kind {
        IndexKind::Local => None,
        IndexKind::Global => {
            let given = spec.get("ProvisionedThroughput").filter(|v| !v.is_null());
            if pay_per_request {
                if given.is_some() {
                    return Err(ApiError::invalid_parameter(format!(
                        "ProvisionedThroughput should not be specified for index: {name} when BillingMode is PAY_PER_REQUEST"
                    )));
                }
                Some(BillingMode::PayPerRequest)
            } else {
                if given.is_none() {
                    return Err(ApiError::invalid_parameter(format!(
                        "ProvisionedThroughput must be specified for index: {name}"
                    )));
                }
                Some(billing_mode(given, false)?)
            }
        }
    };
    let mut control = crate::control::IndexControl::default();
    if kind == IndexKind::Global {
        control.max_on_demand = max_on_create(requested_max(spec), !pay_per_request, Owner::Index)?;
        if let Some(asked) = requested_warm(spec) {
            control.warm = throughput_settings::warm(asked, Default::default(), Owner::Index, now)?;
        }
    }
    Ok(SecondaryIndex {
        name,
        kind,
        entries: ItemStore::new(KeyNames::index(&key_schema, table_schema)),
        key_schema,
        projection,
        throughput,
        control,
    })
}

pub(super) fn projection(spec: Option<&Value>) -> ApiResult<Projection> {
    let spec = spec.unwrap_or(&Value::Null);
    let non_key = spec.get("NonKeyAttributes").and_then(Value::as_array);
    let projection_type = request::string(spec, "ProjectionType");
    if let (Some(t), Some(_)) = (projection_type, non_key) {
        if t != "INCLUDE" {
            return Err(ApiError::invalid_parameter(format!(
                "ProjectionType is {t}, but NonKeyAttributes is specified"
            )));
        }
    }
    if projection_type == Some("INCLUDE") && non_key.is_none() {
        return Err(ApiError::invalid_parameter(
            "ProjectionType is INCLUDE, but NonKeyAttributes is not specified",
        ));
    }
    match projection_type {
        Some("ALL") => Ok(Projection::All),
        Some("KEYS_ONLY") => Ok(Projection::KeysOnly),
        Some(_) => Ok(Projection::Include(
            non_key.into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect(),
        )),
        None => Err(ApiError::invalid_parameter("Unknown ProjectionType: null")),
    }
}

/// Adds an index to the table's list; local and global indexes share one namespace.
fn add_index(indexes: &mut Vec<SecondaryIndex>, index: SecondaryIndex) -> ApiResult<()> {
    if indexes.iter().any(|i| i.name == index.name) {
        return Err(ApiError::invalid_parameter(format!("Duplicate index name: {}", index.name)));
    }
    indexes.push(index);
    Ok(())
}

/// Every definition must be used by some key: DynamoDB rejects spare definitions.
fn check_unused_definitions(
    defs: &[(String, ScalarType)],
    table: &KeySchema,
    indexes: &[SecondaryIndex],
    vectors: &crate::vector::VectorIndexes,
) -> ApiResult<()> {
    let used = |name: &str| {
        table.is_key(name)
            || indexes.iter().any(|i| i.key_schema.is_key(name))
            || vectors.uses_definition(name)
    };
    if defs.iter().all(|(n, _)| used(n)) {
        return Ok(());
    }
    Err(ApiError::invalid_parameter(
        "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
    ))
}

/// Settings DynamoDB echoes in the description: the table class (not acted on yet) and
/// deletion protection, which every description shows, `false` unless asked for (DeleteTable
/// reads it).
fn kept_settings(request: &Value) -> Map<String, Value> {
    let mut settings = Map::new();
    if let Some(class) = request::string(request, "TableClass") {
        settings.insert("TableClassSummary".into(), json!({ "TableClass": class }));
    }
    let protection = request::optional_boolean(request, "DeletionProtectionEnabled").unwrap_or(false);
    settings.insert("DeletionProtectionEnabled".into(), json!(protection));
    settings
}

/// A deterministic, UUID-shaped table id.
pub(crate) fn table_id(n: u64) -> String {
    let h = crate::types::KeyValue::N(crate::types::Number::from_i64(n as i64)).hash64();
    format!("{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}", h >> 32, (h >> 16) & 0xffff, h & 0xfff, n & 0xfff, n)
}
