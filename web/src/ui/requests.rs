//! The requests the UI's forms build — CreateTable from the create-table form, Query from the
//! query builder, Scan pages for the item explorer — and the `ReturnConsumedCapacity` default.
//! Platform-free (tested natively): the components only hold form state and call these.
//!
//! Values the learner typed are passed through as typed (a capacity of "ten" is sent as the
//! string "ten"), so the engine's own validation message is what the learner sees.

use serde_json::{json, Map, Value};

use crate::ui::itemjson;

/// The request with `ReturnConsumedCapacity: "TOTAL"` added where the operation takes it and
/// the learner did not set it, so every action can show what it consumed.
pub fn with_consumed_capacity(operation: &str, mut request: Value) -> Value {
    if dynaplay_engine::operation(operation).is_some_and(|spec| spec.returns_capacity) {
        if let Some(map) = request.as_object_mut() {
            map.entry("ReturnConsumedCapacity").or_insert_with(|| json!("TOTAL"));
        }
    }
    request
}

/// A key attribute: name and scalar type (`S`, `N` or `B`). An empty name means "none".
#[derive(Clone, Debug, PartialEq)]
pub struct KeyAttribute {
    /// Attribute name.
    pub name: String,
    /// `S`, `N` or `B`.
    pub attribute_type: String,
}

impl KeyAttribute {
    /// A string key with this name.
    pub fn new(name: &str) -> Self {
        KeyAttribute { name: name.to_owned(), attribute_type: "S".to_owned() }
    }

    fn is_set(&self) -> bool {
        !self.name.trim().is_empty()
    }
}

/// Global or local secondary index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexKind {
    /// GlobalSecondaryIndexes.
    Global,
    /// LocalSecondaryIndexes (the table's partition key, another sort key).
    Local,
}

/// One row of the create-table form's index list.
#[derive(Clone, Debug, PartialEq)]
pub struct SecondaryIndex {
    /// GSI or LSI.
    pub kind: IndexKind,
    /// IndexName.
    pub name: String,
    /// The index's partition key (GSI only; an LSI uses the table's).
    pub partition_key: KeyAttribute,
    /// The index's sort key (optional for a GSI, required for an LSI).
    pub sort_key: KeyAttribute,
    /// `ALL`, `KEYS_ONLY` or `INCLUDE`.
    pub projection_type: String,
    /// For `INCLUDE`: the NonKeyAttributes, comma-separated as typed.
    pub non_key_attributes: String,
}

/// An index's Projection: `INCLUDE` carries the typed attribute names (trimmed, empty ones
/// dropped; DynamoDB itself reports a missing or repeated name).
fn projection(index: &SecondaryIndex) -> Value {
    if index.projection_type != "INCLUDE" {
        return json!({"ProjectionType": index.projection_type});
    }
    let names: Vec<&str> =
        index.non_key_attributes.split(',').map(str::trim).filter(|n| !n.is_empty()).collect();
    json!({"ProjectionType": "INCLUDE", "NonKeyAttributes": names})
}

/// The create-table form.
#[derive(Clone, Debug, PartialEq)]
pub struct TableForm {
    /// TableName.
    pub name: String,
    /// The table's partition key.
    pub partition_key: KeyAttribute,
    /// The table's sort key (empty name: none).
    pub sort_key: KeyAttribute,
    /// `PAY_PER_REQUEST` or `PROVISIONED`.
    pub billing_mode: String,
    /// ReadCapacityUnits as typed (provisioned only; also used for each GSI).
    pub read_capacity: String,
    /// WriteCapacityUnits as typed.
    pub write_capacity: String,
    /// GSIs and LSIs.
    pub indexes: Vec<SecondaryIndex>,
}

impl Default for TableForm {
    fn default() -> Self {
        TableForm {
            name: String::new(),
            partition_key: KeyAttribute::new("pk"),
            sort_key: KeyAttribute::new(""),
            billing_mode: "PAY_PER_REQUEST".to_owned(),
            read_capacity: "5".to_owned(),
            write_capacity: "5".to_owned(),
            indexes: Vec::new(),
        }
    }
}

impl TableForm {
    /// Adds an index row named `GSI{n}` or `LSI{n}`.
    pub fn add_index(&mut self, kind: IndexKind) {
        let n = self.indexes.len() + 1;
        self.indexes.push(SecondaryIndex {
            kind,
            name: format!("{}{n}", if kind == IndexKind::Global { "GSI" } else { "LSI" }),
            partition_key: KeyAttribute::new(""),
            sort_key: KeyAttribute::new(""),
            projection_type: "ALL".to_owned(),
            non_key_attributes: String::new(),
        });
    }

    /// Removes index row `i` (nothing when there is none).
    pub fn remove_index(&mut self, i: usize) {
        if i < self.indexes.len() {
            self.indexes.remove(i);
        }
    }
}

fn units(text: &str) -> Value {
    text.trim().parse::<u64>().map(Value::from).unwrap_or_else(|_| Value::String(text.to_owned()))
}

fn key_schema(partition: &KeyAttribute, sort: Option<&KeyAttribute>) -> Value {
    let mut schema = vec![json!({"AttributeName": partition.name.trim(), "KeyType": "HASH"})];
    if let Some(sort) = sort.filter(|s| s.is_set()) {
        schema.push(json!({"AttributeName": sort.name.trim(), "KeyType": "RANGE"}));
    }
    Value::Array(schema)
}

/// The CreateTable request for the form.
pub fn create_table_request(form: &TableForm) -> Value {
    let provisioned = form.billing_mode == "PROVISIONED";
    let throughput = || json!({"ReadCapacityUnits": units(&form.read_capacity), "WriteCapacityUnits": units(&form.write_capacity)});
    // Every key attribute of the table and its indexes, once (the first type given wins; the
    // engine reports a conflict if the learner typed two).
    let mut definitions: Vec<Value> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut define = |key: &KeyAttribute| {
        let name = key.name.trim().to_owned();
        if !name.is_empty() && !seen.contains(&name) {
            definitions.push(json!({"AttributeName": name, "AttributeType": key.attribute_type}));
            seen.push(name);
        }
    };
    define(&form.partition_key);
    define(&form.sort_key);
    let mut request = Map::new();
    request.insert("TableName".into(), json!(form.name.trim()));
    request.insert("KeySchema".into(), key_schema(&form.partition_key, Some(&form.sort_key)));
    let mut globals = Vec::new();
    let mut locals = Vec::new();
    for index in &form.indexes {
        let projection = projection(index);
        match index.kind {
            IndexKind::Global => {
                define(&index.partition_key);
                define(&index.sort_key);
                let mut gsi = json!({
                    "IndexName": index.name.trim(),
                    "KeySchema": key_schema(&index.partition_key, Some(&index.sort_key)),
                    "Projection": projection,
                });
                if provisioned {
                    gsi["ProvisionedThroughput"] = throughput();
                }
                globals.push(gsi);
            }
            IndexKind::Local => {
                define(&index.sort_key);
                let mut schema =
                    vec![json!({"AttributeName": form.partition_key.name.trim(), "KeyType": "HASH"})];
                schema.push(json!({"AttributeName": index.sort_key.name.trim(), "KeyType": "RANGE"}));
                locals.push(
                    json!({"IndexName": index.name.trim(), "KeySchema": schema, "Projection": projection}),
                );
            }
        }
    }
    request.insert("AttributeDefinitions".into(), Value::Array(definitions));
    request.insert("BillingMode".into(), json!(form.billing_mode));
    if provisioned {
        request.insert("ProvisionedThroughput".into(), throughput());
    }
    if !globals.is_empty() {
        request.insert("GlobalSecondaryIndexes".into(), Value::Array(globals));
    }
    if !locals.is_empty() {
        request.insert("LocalSecondaryIndexes".into(), Value::Array(locals));
    }
    Value::Object(request)
}

/// A sort key condition of the query builder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortCondition {
    /// No condition on the sort key.
    None,
    /// `=`, `<`, `<=`, `>`, `>=`.
    Compare(&'static str),
    /// `BETWEEN :a AND :b`.
    Between,
    /// `begins_with(sk, :a)`.
    BeginsWith,
}

impl SortCondition {
    /// Every condition, in the builder's menu order.
    pub const ALL: [SortCondition; 8] = [
        SortCondition::None,
        SortCondition::Compare("="),
        SortCondition::Compare("<"),
        SortCondition::Compare("<="),
        SortCondition::Compare(">"),
        SortCondition::Compare(">="),
        SortCondition::Between,
        SortCondition::BeginsWith,
    ];

    /// The menu label (also the `<option>` value).
    pub fn label(self) -> &'static str {
        match self {
            SortCondition::None => "(any)",
            SortCondition::Compare(op) => op,
            SortCondition::Between => "BETWEEN",
            SortCondition::BeginsWith => "begins_with",
        }
    }

    /// The condition with this label.
    pub fn from_label(label: &str) -> SortCondition {
        SortCondition::ALL.into_iter().find(|c| c.label() == label).unwrap_or(SortCondition::None)
    }
}

/// The query builder's fields.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryForm {
    /// TableName.
    pub table: String,
    /// IndexName (empty: the table).
    pub index: String,
    /// The partition key of the table or index.
    pub partition_key: KeyAttribute,
    /// Its value, as typed.
    pub partition_value: String,
    /// The sort key of the table or index (empty name: none).
    pub sort_key: KeyAttribute,
    /// The sort key condition.
    pub sort_condition: SortCondition,
    /// Its first value.
    pub sort_value: String,
    /// The second value for BETWEEN.
    pub sort_value_to: String,
    /// FilterExpression as typed (may use `:names` from `filter_values`).
    pub filter: String,
    /// Values for the filter, a plain JSON object like `{":y": 1965}`.
    pub filter_values: String,
    /// Attribute names to return, comma-separated (empty: all).
    pub projection: String,
    /// ScanIndexForward.
    pub scan_forward: bool,
    /// Limit as typed (empty: none).
    pub limit: String,
}

impl QueryForm {
    /// An empty query of `table` (or of its index `index`, "" for the table) on these keys:
    /// no values yet, any sort key, no filter or projection, ascending, no limit.
    pub fn new(table: &str, index: String, partition_key: KeyAttribute, sort_key: KeyAttribute) -> Self {
        QueryForm {
            table: table.to_owned(),
            index,
            partition_key,
            partition_value: String::new(),
            sort_key,
            sort_condition: SortCondition::None,
            sort_value: String::new(),
            sort_value_to: String::new(),
            filter: String::new(),
            filter_values: String::new(),
            projection: String::new(),
            scan_forward: true,
            limit: String::new(),
        }
    }
}

fn typed(key: &KeyAttribute, value: &str) -> Value {
    let mut m = Map::new();
    m.insert(key.attribute_type.clone(), Value::String(value.to_owned()));
    Value::Object(m)
}

/// The Query request for the builder, or a message when the filter values are not JSON.
pub fn query_request(form: &QueryForm) -> Result<Value, String> {
    let mut names = Map::new();
    let mut values = Map::new();
    names.insert("#pk".into(), json!(form.partition_key.name));
    values.insert(":pk".into(), typed(&form.partition_key, &form.partition_value));
    let mut condition = "#pk = :pk".to_owned();
    if form.sort_key.is_set() && form.sort_condition != SortCondition::None {
        names.insert("#sk".into(), json!(form.sort_key.name));
        values.insert(":sk".into(), typed(&form.sort_key, &form.sort_value));
        condition.push_str(&match form.sort_condition {
            SortCondition::Compare(op) => format!(" AND #sk {op} :sk"),
            SortCondition::Between => {
                values.insert(":sk2".into(), typed(&form.sort_key, &form.sort_value_to));
                " AND #sk BETWEEN :sk AND :sk2".to_owned()
            }
            SortCondition::BeginsWith => " AND begins_with(#sk, :sk)".to_owned(),
            SortCondition::None => String::new(),
        });
    }
    let mut request = Map::new();
    request.insert("TableName".into(), json!(form.table));
    if !form.index.is_empty() {
        request.insert("IndexName".into(), json!(form.index));
    }
    request.insert("KeyConditionExpression".into(), json!(condition));
    if !form.filter.trim().is_empty() {
        request.insert("FilterExpression".into(), json!(form.filter.trim()));
        if !form.filter_values.trim().is_empty() {
            let parsed = itemjson::parse(&form.filter_values).map_err(|e| format!("Filter values: {e}"))?;
            let Value::Object(extra) = parsed else {
                return Err("Filter values: a JSON object like {\":year\": 1965}".to_owned());
            };
            for (k, v) in extra {
                values.insert(k, itemjson::value_from_plain(&v));
            }
        }
    }
    let projected: Vec<&str> = form.projection.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    if !projected.is_empty() {
        // Placeholders, so reserved words (Year, Name, …) just work.
        let mut placeholders = Vec::new();
        for (i, name) in projected.iter().enumerate() {
            names.insert(format!("#p{i}"), json!(name));
            placeholders.push(format!("#p{i}"));
        }
        request.insert("ProjectionExpression".into(), json!(placeholders.join(", ")));
    }
    request.insert("ExpressionAttributeNames".into(), Value::Object(names));
    request.insert("ExpressionAttributeValues".into(), Value::Object(values));
    if !form.scan_forward {
        request.insert("ScanIndexForward".into(), json!(false));
    }
    if !form.limit.trim().is_empty() {
        request.insert("Limit".into(), units(&form.limit));
    }
    Ok(with_consumed_capacity("Query", Value::Object(request)))
}

/// The key attributes of a table or one of its indexes, from a DescribeTable response:
/// (index name or "" for the table, partition key, sort key).
pub fn key_schemas(describe: &Value) -> Vec<(String, KeyAttribute, KeyAttribute)> {
    let table = &describe["Table"];
    let types: Vec<(String, String)> = table["AttributeDefinitions"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    (
                        d["AttributeName"].as_str().unwrap_or("").to_owned(),
                        d["AttributeType"].as_str().unwrap_or("S").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let attribute = |schema: &Value, kind: &str| {
        let name = schema
            .as_array()
            .and_then(|a| a.iter().find(|k| k["KeyType"] == kind))
            .and_then(|k| k["AttributeName"].as_str())
            .unwrap_or("")
            .to_owned();
        let attribute_type =
            types.iter().find(|(n, _)| *n == name).map(|(_, t)| t.clone()).unwrap_or_else(|| "S".into());
        KeyAttribute { name, attribute_type }
    };
    let mut out = vec![(
        String::new(),
        attribute(&table["KeySchema"], "HASH"),
        attribute(&table["KeySchema"], "RANGE"),
    )];
    for list in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
        for index in table[list].as_array().into_iter().flatten() {
            out.push((
                index["IndexName"].as_str().unwrap_or("").to_owned(),
                attribute(&index["KeySchema"], "HASH"),
                attribute(&index["KeySchema"], "RANGE"),
            ));
        }
    }
    out
}

/// A Scan page of the item explorer.
pub fn scan_request(table: &str, limit: u32, start: Option<&Value>) -> Value {
    let mut request = json!({"TableName": table, "Limit": limit});
    if let Some(start) = start {
        request["ExclusiveStartKey"] = start.clone();
    }
    with_consumed_capacity("Scan", request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consumed_capacity_default() {
        assert_eq!(
            with_consumed_capacity("GetItem", json!({"TableName": "T"})),
            json!({"TableName": "T", "ReturnConsumedCapacity": "TOTAL"})
        );
        assert_eq!(
            with_consumed_capacity("GetItem", json!({"ReturnConsumedCapacity": "NONE"})),
            json!({"ReturnConsumedCapacity": "NONE"})
        );
        assert_eq!(with_consumed_capacity("CreateTable", json!({})), json!({}));
        assert_eq!(with_consumed_capacity("NoSuchOperation", json!({})), json!({}));
    }

    #[test]
    fn consumed_capacity_default_follows_the_operation_registry() {
        let defaulted: Vec<&str> = dynaplay_engine::OPERATIONS
            .iter()
            .map(|spec| spec.name)
            .filter(|name| with_consumed_capacity(name, json!({})).get("ReturnConsumedCapacity").is_some())
            .collect();
        // The item, batch, transaction and PartiQL operations — every one the engine says
        // can return ConsumedCapacity, and nothing else.
        assert_eq!(
            defaulted,
            [
                "PutItem",
                "GetItem",
                "UpdateItem",
                "DeleteItem",
                "Query",
                "Scan",
                "BatchGetItem",
                "BatchWriteItem",
                "TransactGetItems",
                "TransactWriteItems",
                "ExecuteStatement",
                "BatchExecuteStatement",
                "ExecuteTransaction"
            ]
        );
    }

    #[test]
    fn index_rows_are_added_named_by_kind_and_removed_by_position() {
        let mut form = TableForm::default();
        form.add_index(IndexKind::Global);
        form.add_index(IndexKind::Local);
        form.add_index(IndexKind::Global);
        let names: Vec<&str> = form.indexes.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["GSI1", "LSI2", "GSI3"]);
        assert_eq!(
            (form.indexes[1].kind, form.indexes[1].projection_type.as_str()),
            (IndexKind::Local, "ALL")
        );
        form.remove_index(1);
        form.remove_index(7);
        let names: Vec<&str> = form.indexes.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["GSI1", "GSI3"]);
    }

    #[test]
    fn create_table_on_demand_simple() {
        let form = TableForm {
            name: "Music".into(),
            partition_key: KeyAttribute::new("Artist"),
            ..TableForm::default()
        };
        assert_eq!(
            create_table_request(&form),
            json!({"TableName": "Music", "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}],
                   "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}],
                   "BillingMode": "PAY_PER_REQUEST"})
        );
    }

    #[test]
    fn create_table_provisioned_with_indexes() {
        let form = TableForm {
            name: "Music".into(),
            partition_key: KeyAttribute::new("Artist"),
            sort_key: KeyAttribute::new("SongTitle"),
            billing_mode: "PROVISIONED".into(),
            read_capacity: "10".into(),
            write_capacity: "ten".into(),
            indexes: vec![
                SecondaryIndex {
                    kind: IndexKind::Global,
                    name: "ByYear".into(),
                    partition_key: KeyAttribute { name: "Year".into(), attribute_type: "N".into() },
                    sort_key: KeyAttribute::new("SongTitle"),
                    projection_type: "INCLUDE".into(),
                    non_key_attributes: " Plays, ,Genre ".into(),
                },
                SecondaryIndex {
                    kind: IndexKind::Local,
                    name: "ByAlbum".into(),
                    partition_key: KeyAttribute::new(""),
                    sort_key: KeyAttribute::new("Album"),
                    projection_type: "KEYS_ONLY".into(),
                    non_key_attributes: String::new(),
                },
            ],
        };
        let throughput = json!({"ReadCapacityUnits": 10, "WriteCapacityUnits": "ten"});
        assert_eq!(
            create_table_request(&form),
            json!({
                "TableName": "Music",
                "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}, {"AttributeName": "SongTitle", "KeyType": "RANGE"}],
                "AttributeDefinitions": [
                    {"AttributeName": "Artist", "AttributeType": "S"}, {"AttributeName": "SongTitle", "AttributeType": "S"},
                    {"AttributeName": "Year", "AttributeType": "N"}, {"AttributeName": "Album", "AttributeType": "S"}],
                "BillingMode": "PROVISIONED",
                "ProvisionedThroughput": throughput,
                "GlobalSecondaryIndexes": [{"IndexName": "ByYear",
                    "KeySchema": [{"AttributeName": "Year", "KeyType": "HASH"}, {"AttributeName": "SongTitle", "KeyType": "RANGE"}],
                    "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["Plays", "Genre"]},
                    "ProvisionedThroughput": throughput}],
                "LocalSecondaryIndexes": [{"IndexName": "ByAlbum",
                    "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}, {"AttributeName": "Album", "KeyType": "RANGE"}],
                    "Projection": {"ProjectionType": "KEYS_ONLY"}}]
            })
        );
    }

    fn query_form() -> QueryForm {
        let mut form = QueryForm::new(
            "Music",
            String::new(),
            KeyAttribute::new("Artist"),
            KeyAttribute::new("SongTitle"),
        );
        form.partition_value = "Nina Simone".into();
        form
    }

    #[test]
    fn query_partition_only() {
        assert_eq!(
            query_request(&query_form()).unwrap(),
            json!({"TableName": "Music", "KeyConditionExpression": "#pk = :pk",
                   "ExpressionAttributeNames": {"#pk": "Artist"},
                   "ExpressionAttributeValues": {":pk": {"S": "Nina Simone"}}, "ReturnConsumedCapacity": "TOTAL"})
        );
    }

    #[test]
    fn query_everything() {
        let form = QueryForm {
            index: "ByYear".into(),
            partition_key: KeyAttribute { name: "Year".into(), attribute_type: "N".into() },
            partition_value: "1965".into(),
            sort_condition: SortCondition::Between,
            sort_value: "A".into(),
            sort_value_to: "M".into(),
            filter: "Plays > :min".into(),
            filter_values: "{\":min\": 10}".into(),
            projection: "SongTitle, Year".into(),
            scan_forward: false,
            limit: "2".into(),
            ..query_form()
        };
        assert_eq!(
            query_request(&form).unwrap(),
            json!({"TableName": "Music", "IndexName": "ByYear",
                   "KeyConditionExpression": "#pk = :pk AND #sk BETWEEN :sk AND :sk2",
                   "FilterExpression": "Plays > :min", "ProjectionExpression": "#p0, #p1",
                   "ExpressionAttributeNames": {"#pk": "Year", "#sk": "SongTitle", "#p0": "SongTitle", "#p1": "Year"},
                   "ExpressionAttributeValues": {":pk": {"N": "1965"}, ":sk": {"S": "A"}, ":sk2": {"S": "M"}, ":min": {"N": "10"}},
                   "ScanIndexForward": false, "Limit": 2, "ReturnConsumedCapacity": "TOTAL"})
        );
        let begins =
            QueryForm { sort_condition: SortCondition::BeginsWith, sort_value: "F".into(), ..query_form() };
        assert_eq!(
            query_request(&begins).unwrap()["KeyConditionExpression"],
            "#pk = :pk AND begins_with(#sk, :sk)"
        );
        let bad = QueryForm { filter: "a = :a".into(), filter_values: "{:a".into(), ..query_form() };
        assert!(query_request(&bad).unwrap_err().starts_with("Filter values: Not valid JSON"));
    }

    #[test]
    fn key_schemas_from_describe_table() {
        let describe = json!({"Table": {
            "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}, {"AttributeName": "SongTitle", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"},
                {"AttributeName": "SongTitle", "AttributeType": "S"}, {"AttributeName": "Year", "AttributeType": "N"}],
            "GlobalSecondaryIndexes": [{"IndexName": "ByYear", "KeySchema": [{"AttributeName": "Year", "KeyType": "HASH"}]}]
        }});
        let schemas = key_schemas(&describe);
        assert_eq!(schemas.len(), 2);
        assert_eq!(schemas[0].2.name, "SongTitle");
        assert_eq!(schemas[1].0, "ByYear");
        assert_eq!(schemas[1].1, KeyAttribute { name: "Year".into(), attribute_type: "N".into() });
        assert_eq!(schemas[1].2.name, "");
    }

    #[test]
    fn scan_pages() {
        assert_eq!(
            scan_request("T", 25, Some(&json!({"pk": {"S": "a"}}))),
            json!({"TableName": "T", "Limit": 25, "ExclusiveStartKey": {"pk": {"S": "a"}}, "ReturnConsumedCapacity": "TOTAL"})
        );
    }
}
