//! A NoSQL Workbench data model read into what a workspace needs: for each table a CreateTable
//! request (keys, global secondary indexes, billing) and its items — the table's `TableData`
//! and every facet's — ready to be written with BatchWriteItem.
//!
//! Everything is checked before anything is sent, so a bad file is refused whole with a message
//! that names the table, facet or item at fault: not JSON, not a model, a Keyspaces model, a
//! table without a name or partition key, a key type other than S, N or B, an attribute typed
//! two ways, an item without its key or with a key of the wrong type, two tables of one name.
//! What the engine checks itself (name patterns, limits, value syntax) is left to a dry run of
//! the requests on a scratch engine before the real one (see web's import view).
//!
//! Facets are Workbench's views of a table — key aliases and the attributes they show — and
//! have no counterpart in DynamoDB: their items are loaded into the table, and the facets are
//! reported ([`Facet`]) so the learner sees what the model called each kind of item.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::AWS_SERVICE;

/// Items per BatchWriteItem: DynamoDB's limit.
pub const BATCH_SIZE: usize = 25;

/// A model file this importer refuses, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError(pub String);

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn refuse<T>(message: impl Into<String>) -> Result<T, ImportError> {
    Err(ImportError(message.into()))
}

/// One of a table's facets, as the model names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facet {
    /// FacetName.
    pub name: String,
    /// What the facet calls the partition key.
    pub partition_alias: String,
    /// What it calls the sort key, if it names one.
    pub sort_alias: Option<String>,
    /// How many items it carries.
    pub items: usize,
}

/// One table of the model.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelTable {
    /// TableName.
    pub name: String,
    /// The CreateTable request that makes it.
    pub create_table: Value,
    /// Its items (table data first, then each facet's), one per key: a later item with the
    /// same key replaces an earlier one, as PutItem would.
    pub items: Vec<Value>,
    /// Its facets.
    pub facets: Vec<Facet>,
    /// Its global secondary indexes' names.
    pub indexes: Vec<String>,
}

/// A model, read and checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// ModelName.
    pub name: String,
    /// Its tables, in file order.
    pub tables: Vec<ModelTable>,
}

/// A file of at most this many bytes is read (a model is a design with sample data).
pub const MAX_MODEL_BYTES: usize = 16 * 1024 * 1024;

fn string<'v>(value: &'v Value, member: &str, owner: &str) -> Result<&'v str, ImportError> {
    match value.get(member) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(Value::String(_)) | None => refuse(format!("{owner} has no {member}")),
        Some(_) => refuse(format!("{owner}'s {member} is not a string")),
    }
}

fn array<'v>(value: &'v Value, member: &str, owner: &str) -> Result<&'v [Value], ImportError> {
    match value.get(member) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => refuse(format!("{owner}'s {member} is not a list")),
    }
}

/// A key attribute: its name and S, N or B.
fn key_attribute(value: Option<&Value>, owner: &str) -> Result<Option<(String, String)>, ImportError> {
    let Some(value) = value.filter(|v| !v.is_null()) else { return Ok(None) };
    let name = string(value, "AttributeName", owner)?;
    let kind = string(value, "AttributeType", owner)?;
    if !matches!(kind, "S" | "N" | "B") {
        return refuse(format!(
            "{owner} ({name}) has AttributeType {kind}: a key attribute must be S, N or B"
        ));
    }
    Ok(Some((name.to_owned(), kind.to_owned())))
}

/// `KeyAttributes`: the partition key (required) and the sort key.
type KeyPair = ((String, String), Option<(String, String)>);

fn key_attributes(owner_value: &Value, owner: &str) -> Result<KeyPair, ImportError> {
    let keys = owner_value
        .get("KeyAttributes")
        .ok_or_else(|| ImportError(format!("{owner} has no KeyAttributes")))?;
    let partition = key_attribute(keys.get("PartitionKey"), &format!("{owner}'s PartitionKey"))?
        .ok_or_else(|| ImportError(format!("{owner} has no PartitionKey")))?;
    let sort = key_attribute(keys.get("SortKey"), &format!("{owner}'s SortKey"))?;
    Ok((partition, sort))
}

/// Adds a key attribute to the definitions, refusing one typed two ways.
fn define(
    definitions: &mut Vec<(String, String)>,
    (name, kind): &(String, String),
    owner: &str,
) -> Result<(), ImportError> {
    match definitions.iter().find(|(n, _)| n == name) {
        Some((_, known)) if known != kind => {
            refuse(format!("{owner} types {name} as {kind}, but it is {known} elsewhere in the table"))
        }
        Some(_) => Ok(()),
        None => {
            definitions.push((name.clone(), kind.clone()));
            Ok(())
        }
    }
}

fn key_schema(partition: &(String, String), sort: &Option<(String, String)>) -> Value {
    let mut schema = vec![json!({"AttributeName": partition.0, "KeyType": "HASH"})];
    if let Some((name, _)) = sort {
        schema.push(json!({"AttributeName": name, "KeyType": "RANGE"}));
    }
    Value::Array(schema)
}

fn projection(index: &Value, owner: &str) -> Result<Value, ImportError> {
    let Some(projection) = index.get("Projection").filter(|p| !p.is_null()) else {
        // Workbench always writes one; a hand-written model without it means everything.
        return Ok(json!({"ProjectionType": "ALL"}));
    };
    match projection.get("ProjectionType").and_then(Value::as_str) {
        Some(kind @ ("ALL" | "KEYS_ONLY")) => Ok(json!({"ProjectionType": kind})),
        Some("INCLUDE") => {
            let names = array(projection, "NonKeyAttributes", owner)?;
            if names.iter().any(|n| !n.is_string()) {
                return refuse(format!("{owner}'s NonKeyAttributes holds something that is not a name"));
            }
            Ok(json!({"ProjectionType": "INCLUDE", "NonKeyAttributes": names}))
        }
        Some(other) => refuse(format!("{owner} has ProjectionType {other}: ALL, KEYS_ONLY or INCLUDE")),
        None => refuse(format!("{owner}'s Projection has no ProjectionType")),
    }
}

/// The billing members of the CreateTable request, and the throughput its indexes share.
fn billing(
    table: &Value,
    owner: &str,
    request: &mut Map<String, Value>,
) -> Result<Option<Value>, ImportError> {
    match table.get("BillingMode").and_then(Value::as_str) {
        // Workbench's default since 3.13.5 is on-demand; so is a model that does not say.
        None | Some("PAY_PER_REQUEST") => {
            request.insert("BillingMode".into(), json!("PAY_PER_REQUEST"));
            Ok(None)
        }
        Some("PROVISIONED") => {
            let t = table.pointer("/ProvisionedCapacitySettings/ProvisionedThroughput").ok_or_else(|| {
                ImportError(format!(
                    "{owner} is PROVISIONED but has no ProvisionedCapacitySettings.ProvisionedThroughput"
                ))
            })?;
            let units = |member: &str| {
                t.get(member).and_then(Value::as_u64).filter(|n| *n > 0).ok_or_else(|| {
                    ImportError(format!("{owner}'s ProvisionedThroughput has no positive {member}"))
                })
            };
            let throughput = json!({"ReadCapacityUnits": units("ReadCapacityUnits")?, "WriteCapacityUnits": units("WriteCapacityUnits")?});
            request.insert("BillingMode".into(), json!("PROVISIONED"));
            request.insert("ProvisionedThroughput".into(), throughput.clone());
            Ok(Some(throughput))
        }
        Some(other) => refuse(format!("{owner} has BillingMode {other}: PROVISIONED or PAY_PER_REQUEST")),
    }
}

/// Checks an item carries the table's key attributes with their types, and returns its key's
/// text (for finding repeats).
fn item_key(item: &Value, keys: &[&(String, String)], owner: &str) -> Result<String, ImportError> {
    let Some(attributes) = item.as_object() else {
        return refuse(format!("{owner} is not an object of attributes"));
    };
    let mut key = String::new();
    for (name, kind) in keys {
        let Some(value) = attributes.get(name.as_str()) else {
            return refuse(format!("{owner} has no {name}, the table's key attribute"));
        };
        let typed = value.as_object().filter(|m| m.len() == 1).and_then(|m| m.iter().next());
        match typed {
            Some((letter, Value::String(_))) if letter == kind => {}
            Some((letter, _)) if letter == kind => {
                return refuse(format!(
                    "{owner}'s {name} is not written as DynamoDB JSON text ({{\"{kind}\": \"…\"}})"
                ))
            }
            Some((letter, _)) => {
                return refuse(format!(
                    "{owner}'s {name} is {letter}, but the table's key attribute {name} is {kind}"
                ))
            }
            None => {
                return refuse(format!(
                    "{owner}'s {name} is not a DynamoDB JSON value such as {{\"{kind}\": \"…\"}}"
                ))
            }
        }
        key.push_str(&value.to_string());
        key.push('\u{0}');
    }
    Ok(key)
}

fn read_table(table: &Value, position: usize) -> Result<ModelTable, ImportError> {
    let owner = format!("table {} of the model", position + 1);
    let name = string(table, "TableName", &owner)?.to_owned();
    let owner = format!("table {name}");
    let (partition, sort) = key_attributes(table, &owner)?;
    let mut definitions = Vec::new();
    define(&mut definitions, &partition, &owner)?;
    if let Some(sort) = &sort {
        define(&mut definitions, sort, &owner)?;
    }
    let mut request = Map::new();
    request.insert("TableName".into(), json!(name));
    request.insert("KeySchema".into(), key_schema(&partition, &sort));
    let throughput = billing(table, &owner, &mut request)?;
    let mut indexes = Vec::new();
    let mut index_names = Vec::new();
    for index in array(table, "GlobalSecondaryIndexes", &owner)? {
        let index_name = string(index, "IndexName", &format!("an index of {owner}"))?;
        let index_owner = format!("index {index_name} of {owner}");
        let (p, s) = key_attributes(index, &index_owner)?;
        define(&mut definitions, &p, &index_owner)?;
        if let Some(s) = &s {
            define(&mut definitions, s, &index_owner)?;
        }
        let mut gsi = json!({
            "IndexName": index_name,
            "KeySchema": key_schema(&p, &s),
            "Projection": projection(index, &index_owner)?,
        });
        if let Some(t) = &throughput {
            // A model's indexes have no capacity of their own: they get the table's.
            gsi["ProvisionedThroughput"] = t.clone();
        }
        indexes.push(gsi);
        index_names.push(index_name.to_owned());
    }
    request.insert(
        "AttributeDefinitions".into(),
        definitions.iter().map(|(n, t)| json!({"AttributeName": n, "AttributeType": t})).collect(),
    );
    if !indexes.is_empty() {
        request.insert("GlobalSecondaryIndexes".into(), Value::Array(indexes));
    }
    let keys: Vec<&(String, String)> = std::iter::once(&partition).chain(sort.as_ref()).collect();
    // A later item with a key seen before replaces it in place (the map holds each key's
    // position in `items`).
    let mut items: Vec<Value> = Vec::new();
    let mut positions: BTreeMap<String, usize> = BTreeMap::new();
    let mut add = |item: &Value, owner: String| -> Result<(), ImportError> {
        let key = item_key(item, &keys, &owner)?;
        match positions.get(&key) {
            Some(&at) => items[at] = item.clone(),
            None => {
                positions.insert(key, items.len());
                items.push(item.clone());
            }
        }
        Ok(())
    };
    for (i, item) in array(table, "TableData", &owner)?.iter().enumerate() {
        add(item, format!("item {} of {owner}", i + 1))?;
    }
    let mut facets = Vec::new();
    for facet in array(table, "TableFacets", &owner)? {
        let facet_name = string(facet, "FacetName", &format!("a facet of {owner}"))?;
        let facet_owner = format!("facet {facet_name} of {owner}");
        let alias = facet.get("KeyAttributeAlias");
        let alias_of =
            |member: &str| alias.and_then(|a| a.get(member)).and_then(Value::as_str).map(str::to_owned);
        let data = array(facet, "TableData", &facet_owner)?;
        for (i, item) in data.iter().enumerate() {
            add(item, format!("item {} of {facet_owner}", i + 1))?;
        }
        facets.push(Facet {
            name: facet_name.to_owned(),
            partition_alias: alias_of("PartitionKeyAlias").unwrap_or_else(|| partition.0.clone()),
            sort_alias: alias_of("SortKeyAlias"),
            items: data.len(),
        });
    }
    Ok(ModelTable { name, create_table: Value::Object(request), items, facets, indexes: index_names })
}

impl Model {
    /// Reads a model file's bytes; anything that is not a DynamoDB model this importer can load
    /// is an [`ImportError`] saying what and where.
    pub fn read(bytes: &[u8]) -> Result<Model, ImportError> {
        if bytes.len() > MAX_MODEL_BYTES {
            return refuse(format!(
                "The file is {} bytes; a model of at most {MAX_MODEL_BYTES} bytes is read",
                bytes.len()
            ));
        }
        let document: Value = serde_json::from_slice(bytes)
            .map_err(|e| ImportError(format!("The file is not JSON, so not a NoSQL Workbench model: {e}")))?;
        let Some(data_model) = document.get("DataModel").and_then(Value::as_array) else {
            return refuse("The file is JSON but not a NoSQL Workbench model: it has no DataModel list");
        };
        if let Some(service) = document.pointer("/ModelMetadata/AWSService").and_then(Value::as_str) {
            if service != AWS_SERVICE {
                return refuse(format!("This model is for {service}, not {AWS_SERVICE}"));
            }
        }
        if data_model.is_empty() {
            return refuse("The model's DataModel holds no table");
        }
        let mut tables: Vec<ModelTable> = Vec::with_capacity(data_model.len());
        for (i, table) in data_model.iter().enumerate() {
            let table = read_table(table, i)?;
            if tables.iter().any(|t| t.name == table.name) {
                return refuse(format!("The model has two tables named {}", table.name));
            }
            tables.push(table);
        }
        let name =
            document.get("ModelName").and_then(Value::as_str).filter(|n| !n.is_empty()).unwrap_or("model");
        Ok(Model { name: name.to_owned(), tables })
    }

    /// Every item of every table.
    pub fn item_count(&self) -> usize {
        self.tables.iter().map(|t| t.items.len()).sum()
    }

    /// The requests that load the model, in order: each table's CreateTable, then its items
    /// in BatchWriteItem calls of at most [`BATCH_SIZE`], as `(operation, request)`.
    pub fn requests(&self) -> Vec<(&'static str, Value)> {
        self.labelled_requests().into_iter().map(|(_, op, request)| (op, request)).collect()
    }

    /// [`Model::requests`], each with what it does in words (`creates table Orders`, `writes
    /// items 26–50 of Orders`), for saying which one failed.
    pub fn labelled_requests(&self) -> Vec<(String, &'static str, Value)> {
        let mut requests = Vec::new();
        for table in &self.tables {
            requests.push((
                format!("creates table {}", table.name),
                "CreateTable",
                table.create_table.clone(),
            ));
        }
        for table in &self.tables {
            for (n, chunk) in table.items.chunks(BATCH_SIZE).enumerate() {
                let writes: Vec<Value> =
                    chunk.iter().map(|item| json!({"PutRequest": {"Item": item}})).collect();
                let mut request_items = Map::new();
                request_items.insert(table.name.clone(), Value::Array(writes));
                let first = n * BATCH_SIZE + 1;
                let label = format!("writes items {first}–{} of {}", first + chunk.len() - 1, table.name);
                requests.push((label, "BatchWriteItem", json!({ "RequestItems": request_items })));
            }
        }
        requests
    }

    /// The model as a dynaplay dataset document (`static/datasets/README.md`), which the
    /// page's dataset loader sends, retrying throttled batches.
    pub fn dataset(&self) -> Value {
        let steps: Vec<Value> =
            self.requests().into_iter().map(|(op, request)| json!({"op": op, "request": request})).collect();
        let tables: Vec<&str> = self.tables.iter().map(|t| t.name.as_str()).collect();
        json!({
            "format": "dynaplay-dataset",
            "version": 1,
            "id": "workbench-model",
            "title": self.name,
            "description": format!("The NoSQL Workbench model {}", self.name),
            "tables": tables,
            "items": self.item_count(),
            "steps": steps,
        })
    }
}
