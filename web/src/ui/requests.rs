//! The requests the UI's forms build — CreateTable from the create-table form, Query from the
//! query builder, Scan pages for the item explorer — and the `ReturnConsumedCapacity` default.
//! Platform-free (tested natively): the components only hold form state and call these.
//!
//! Values the learner typed are passed through as typed (a capacity of "ten" is sent as the
//! string "ten"), so the engine's own validation message is what the learner sees.

use serde_json::{json, Map, Value};

use crate::ui::itemjson;

/// The request with `ReturnConsumedCapacity: "TOTAL"` added where the operation takes it and
/// the learner did not set it, so every action can show what it consumed (the console's
/// requests: any operation, looked up in the engine's registry).
pub fn with_consumed_capacity(operation: &str, request: Value) -> Value {
    match dynaplay_engine::operation(operation).is_some_and(|spec| spec.returns_capacity) {
        true => with_total(request),
        false => request,
    }
}

/// The request with `ReturnConsumedCapacity: "TOTAL"` added unless it says otherwise: the
/// forms' own requests, whose operations all take it (a test checks them against the
/// registry). The forms render in the module loaded on demand, which must not link the
/// registry: its handlers would bring the whole engine (+244 KB gzip).
pub fn with_total(mut request: Value) -> Value {
    if let Some(map) = request.as_object_mut() {
        map.entry("ReturnConsumedCapacity").or_insert_with(|| json!("TOTAL"));
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
    /// A GSI's further partition key attributes (a multi-attribute key: up to four in all).
    pub more_partition_keys: Vec<KeyAttribute>,
    /// A GSI's further sort key attributes (up to four in all).
    pub more_sort_keys: Vec<KeyAttribute>,
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
    /// Vector indexes (on-demand tables only; the engine says so).
    pub vector_indexes: Vec<crate::ui::vectors::CreateForm>,
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
            vector_indexes: Vec::new(),
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
            more_partition_keys: Vec::new(),
            more_sort_keys: Vec::new(),
            projection_type: "ALL".to_owned(),
            non_key_attributes: String::new(),
        });
    }

    /// Adds a partition (or sort) key attribute to index row `i`'s multi-attribute key, up to
    /// four of a kind (DynamoDB reports any more).
    pub fn add_key_attribute(&mut self, i: usize, partition: bool) {
        if let Some(row) = self.indexes.get_mut(i) {
            let more = if partition { &mut row.more_partition_keys } else { &mut row.more_sort_keys };
            if more.len() < 3 {
                more.push(KeyAttribute::new(""));
            }
        }
    }

    /// Removes the further key attribute `j` of index row `i`.
    pub fn remove_key_attribute(&mut self, i: usize, partition: bool, j: usize) {
        if let Some(row) = self.indexes.get_mut(i) {
            let more = if partition { &mut row.more_partition_keys } else { &mut row.more_sort_keys };
            if j < more.len() {
                more.remove(j);
            }
        }
    }

    /// Removes index row `i` (nothing when there is none).
    pub fn remove_index(&mut self, i: usize) {
        if i < self.indexes.len() {
            self.indexes.remove(i);
        }
    }

    /// Adds a vector index row: `ByEmbedding` on `Embedding`, 3 dimensions, COSINE; a second
    /// is `ByEmbedding2` (one namespace for a table's indexes).
    pub fn add_vector_index(&mut self) {
        let mut row = crate::ui::vectors::CreateForm::default();
        let n = self.vector_indexes.len() + 1;
        if n > 1 {
            row.name = format!("{}{n}", row.name);
        }
        self.vector_indexes.push(row);
    }

    /// Removes vector index row `i` (nothing when there is none).
    pub fn remove_vector_index(&mut self, i: usize) {
        if i < self.vector_indexes.len() {
            self.vector_indexes.remove(i);
        }
    }
}

fn units(text: &str) -> Value {
    text.trim().parse::<u64>().map(Value::from).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// A KeySchema: the partition key attributes (the first even when unnamed, so DynamoDB names
/// what is missing), then the sort key attributes that have a name.
fn key_schema<'a>(
    partition: &KeyAttribute,
    more_partition: &'a [KeyAttribute],
    sort: impl Iterator<Item = &'a KeyAttribute>,
) -> Value {
    let element = |k: &KeyAttribute, kind| json!({"AttributeName": k.name.trim(), "KeyType": kind});
    let hash = std::iter::once(partition).chain(more_partition.iter().filter(|k| k.is_set()));
    hash.map(|k| element(k, "HASH")).chain(sort.filter(|k| k.is_set()).map(|k| element(k, "RANGE"))).collect()
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
    request.insert("KeySchema".into(), key_schema(&form.partition_key, &[], std::iter::once(&form.sort_key)));
    let mut globals = Vec::new();
    let mut locals = Vec::new();
    for index in &form.indexes {
        let projection = projection(index);
        match index.kind {
            IndexKind::Global => {
                let sort = || std::iter::once(&index.sort_key).chain(&index.more_sort_keys);
                std::iter::once(&index.partition_key)
                    .chain(&index.more_partition_keys)
                    .chain(sort())
                    .for_each(&mut define);
                let mut gsi = json!({
                    "IndexName": index.name.trim(),
                    "KeySchema": key_schema(&index.partition_key, &index.more_partition_keys, sort()),
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
    let mut vectors = Vec::new();
    for row in &form.vector_indexes {
        let (index, schema) = row.definition();
        for (name, attribute_type) in schema {
            define(&KeyAttribute { name, attribute_type });
        }
        vectors.push(index);
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
    if !vectors.is_empty() {
        request.insert("VectorIndexes".into(), Value::Array(vectors));
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

/// A RANGE attribute of the query builder with its condition.
#[derive(Clone, Debug, PartialEq)]
pub struct SortRow {
    /// The sort key attribute.
    pub key: KeyAttribute,
    /// Its condition.
    pub condition: SortCondition,
    /// The condition's first value.
    pub value: String,
    /// The second value for BETWEEN.
    pub value_to: String,
}

/// The query builder's fields.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryForm {
    /// TableName.
    pub table: String,
    /// IndexName (empty: the table).
    pub index: String,
    /// The partition key attributes of the table or index (several for a GSI's
    /// multi-attribute key), each with its value as typed.
    pub partition: Vec<(KeyAttribute, String)>,
    /// The sort key attributes (none, one, or several), each with its condition.
    pub sort: Vec<SortRow>,
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
    /// An empty query of `table` (or of the index `keys` names) on its keys: no values yet,
    /// any sort key, no filter or projection, ascending, no limit.
    pub fn new(table: &str, keys: &IndexKeys) -> Self {
        QueryForm {
            table: table.to_owned(),
            index: keys.index.clone(),
            partition: keys.partition.iter().map(|k| (k.clone(), String::new())).collect(),
            sort: keys
                .sort
                .iter()
                .map(|k| SortRow {
                    key: k.clone(),
                    condition: SortCondition::None,
                    value: String::new(),
                    value_to: String::new(),
                })
                .collect(),
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

/// Placeholder suffix of the `n`-th key attribute of a kind: none for the first (`#pk`,
/// `#sk`), `_2`, `_3`, … for a multi-attribute key's others.
fn nth(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!("_{}", n + 1)
    }
}

/// The Query request for the builder, or a message when the filter values are not JSON. A
/// condition goes out for every sort key attribute given one: DynamoDB itself says when a
/// multi-attribute key's conditions leave a gap.
pub fn query_request(form: &QueryForm) -> Result<Value, String> {
    let mut names = Map::new();
    let mut values = Map::new();
    let mut clauses = Vec::new();
    for (n, (key, value)) in form.partition.iter().enumerate() {
        let s = nth(n);
        names.insert(format!("#pk{s}"), json!(key.name));
        values.insert(format!(":pk{s}"), typed(key, value));
        clauses.push(format!("#pk{s} = :pk{s}"));
    }
    for (n, row) in
        form.sort.iter().enumerate().filter(|(_, r)| r.key.is_set() && r.condition != SortCondition::None)
    {
        let s = nth(n);
        names.insert(format!("#sk{s}"), json!(row.key.name));
        values.insert(format!(":sk{s}"), typed(&row.key, &row.value));
        clauses.push(match row.condition {
            SortCondition::Compare(op) => format!("#sk{s} {op} :sk{s}"),
            SortCondition::Between => {
                // The first row's upper bound keeps its old name, `:sk2`.
                let to = if n == 0 { ":sk2".to_owned() } else { format!(":sk{s}_to") };
                values.insert(to.clone(), typed(&row.key, &row.value_to));
                format!("#sk{s} BETWEEN :sk{s} AND {to}")
            }
            SortCondition::BeginsWith => format!("begins_with(#sk{s}, :sk{s})"),
            SortCondition::None => String::new(),
        });
    }
    let condition = clauses.join(" AND ");
    let mut request = Map::new();
    request.insert("TableName".into(), json!(form.table));
    if !form.index.is_empty() {
        request.insert("IndexName".into(), json!(form.index));
    }
    request.insert("KeyConditionExpression".into(), json!(condition));
    if !form.filter.trim().is_empty() {
        let filter = alias_names(form.filter.trim(), &mut names);
        request.insert("FilterExpression".into(), json!(filter));
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
    Ok(with_total(Value::Object(request)))
}

/// Words of the expression grammar that are not attribute names.
const KEYWORDS: [&str; 5] = ["AND", "OR", "NOT", "BETWEEN", "IN"];

/// `expression` with every attribute name written bare aliased as `#name` (and defined in
/// `names`), so a reserved word such as `Year` works as DynamoDB requires; a `#name` the
/// learner wrote and did not define is defined as the name after `#`. Values (`:v`),
/// keywords and function names (`size(…)`, `begins_with(…)`) stay as written. A name whose
/// alias is taken by another name gets a numbered one (`#Year_1`).
pub fn alias_names(expression: &str, names: &mut Map<String, Value>) -> String {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(expression.len() + 8);
    let mut rest = expression;
    while let Some(c) = rest.chars().next() {
        let sigil = if c == '#' || c == ':' { Some(c) } else { None };
        let body = if sigil.is_some() { &rest[1..] } else { rest };
        let len = body.find(|c: char| !is_word(c)).unwrap_or(body.len());
        if len == 0 || (sigil.is_none() && !(c.is_ascii_alphabetic() || c == '_')) {
            // Punctuation, spaces, digits of a list index: as written.
            let n = if sigil.is_some() { 1 } else { c.len_utf8() };
            out.push_str(&rest[..n]);
            rest = &rest[n..];
            continue;
        }
        let word = &body[..len];
        let after = &body[len..];
        rest = after;
        let function = after.trim_start().starts_with('(');
        match sigil {
            Some(':') => {
                out.push(':');
                out.push_str(word);
            }
            Some(_) => {
                let placeholder = format!("#{word}");
                names.entry(placeholder.clone()).or_insert_with(|| json!(word));
                out.push_str(&placeholder);
            }
            None if function || KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(word)) => out.push_str(word),
            None => {
                let mut placeholder = format!("#{word}");
                let mut n = 0;
                while names.get(&placeholder).is_some_and(|v| v != word) {
                    n += 1;
                    placeholder = format!("#{word}_{n}");
                }
                names.insert(placeholder.clone(), json!(word));
                out.push_str(&placeholder);
            }
        }
    }
    out
}

/// The key of a table or of one of its indexes, as DescribeTable gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexKeys {
    /// IndexName ("" for the table).
    pub index: String,
    /// The partition key attributes (several for a GSI's multi-attribute key).
    pub partition: Vec<KeyAttribute>,
    /// The sort key attributes (none, one, or several).
    pub sort: Vec<KeyAttribute>,
}

impl IndexKeys {
    /// The (first) partition key attribute.
    pub fn pk(&self) -> KeyAttribute {
        self.partition.first().cloned().unwrap_or_else(|| KeyAttribute::new(""))
    }

    /// The (first) sort key attribute; an empty name when there is none.
    pub fn sk(&self) -> KeyAttribute {
        self.sort.first().cloned().unwrap_or_else(|| KeyAttribute::new(""))
    }

    /// The attribute names, partition key attributes first.
    pub fn names(&self) -> String {
        self.partition.iter().chain(&self.sort).map(|k| k.name.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// The keys of a table and of each of its indexes, from a DescribeTable response: the table's
/// first, then the GSIs', then the LSIs'.
pub fn key_schemas(describe: &Value) -> Vec<IndexKeys> {
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
    let keys = |index: &str, schema: &Value| {
        let of = |kind: &str| {
            schema
                .as_array()
                .into_iter()
                .flatten()
                .filter(|k| k["KeyType"] == kind)
                .filter_map(|k| k["AttributeName"].as_str())
                .map(|name| KeyAttribute {
                    name: name.to_owned(),
                    attribute_type: types
                        .iter()
                        .find(|(n, _)| n == name)
                        .map_or_else(|| "S".into(), |(_, t)| t.clone()),
                })
                .collect()
        };
        IndexKeys { index: index.to_owned(), partition: of("HASH"), sort: of("RANGE") }
    };
    let mut out = vec![keys("", &table["KeySchema"])];
    for list in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
        for index in table[list].as_array().into_iter().flatten() {
            out.push(keys(index["IndexName"].as_str().unwrap_or(""), &index["KeySchema"]));
        }
    }
    out
}

/// The key of `item` (its attributes named in `key_names`), as a GetItem or DeleteItem `Key`.
pub fn key_of(item: &Value, key_names: &[String]) -> Value {
    Value::Object(dynaplay_engine::types::object_from(
        key_names.iter().filter_map(|k| item.get(k).map(|v| (k.clone(), v.clone()))),
    ))
}

/// A GetItem of `key` with the consistency the learner chose, said explicitly either way so
/// the request shows which read it is.
pub fn get_item_request(table: &str, key: Value, consistent: bool) -> Value {
    with_total(json!({"TableName": table, "Key": key, "ConsistentRead": consistent}))
}

/// The key of a table from the values typed for it (`sort` ignored when the table has none).
pub fn typed_key(partition: (&KeyAttribute, &str), sort: (&KeyAttribute, &str)) -> Value {
    let mut key = Map::new();
    for (attribute, value) in [partition, sort] {
        if attribute.is_set() {
            key.insert(attribute.name.clone(), typed(attribute, value));
        }
    }
    Value::Object(key)
}

/// The key attributes an edit changed (editing a key attribute makes a PutItem write a new
/// item beside the old one, which a learner does not expect).
pub fn changed_key_attributes(original: &Value, edited: &Value, key_names: &[String]) -> Vec<String> {
    key_names.iter().filter(|k| original.get(k.as_str()) != edited.get(k.as_str())).cloned().collect()
}

/// Builds one of the writes a changed key can mean.
pub type KeyChangeWrite = fn(&str, &[String], &Value, &Value) -> Value;

/// What the item editor asks, in order, when an edit changed the key (an item's key cannot
/// be updated): the question, the operation and its request. None chosen: nothing is sent.
pub const KEY_CHANGE_CHOICES: [(&str, &str, KeyChangeWrite); 3] = [
    (
        "An item's key cannot be updated. Move the item to the new key? (TransactWriteItems: put the new item, delete the old one)",
        "TransactWriteItems",
        move_item_request,
    ),
    (
        "Or keep the old key and update the item's other attributes? (UpdateItem on the old key)",
        "UpdateItem",
        update_instead_request,
    ),
    (
        "Or save a second item with the new key? (PutItem: the old item stays)",
        "PutItem",
        |table, _, _, edited| with_total(json!({"TableName": table, "Item": edited})),
    ),
];

/// Keeps the old item's key and changes the rest, as UpdateItem does: SET every other
/// attribute of `edited`, REMOVE those it no longer has, on `original`'s key (a key attribute
/// cannot be updated, so `edited`'s key values are not used).
pub fn update_instead_request(table: &str, key_names: &[String], original: &Value, edited: &Value) -> Value {
    let mut names = Map::new();
    let mut values = Map::new();
    let (mut set, mut remove) = (Vec::new(), Vec::new());
    // One pass over both items: every non-key attribute of the edit is SET, every non-key
    // attribute only the original has is REMOVEd.
    for (from_edit, item) in [(true, edited), (false, original)] {
        for (name, value) in item.as_object().into_iter().flatten() {
            if key_names.contains(name) || (!from_edit && edited.get(name).is_some()) {
                continue;
            }
            let placeholder = format!("#a{}", names.len());
            names.insert(placeholder.clone(), Value::String(name.clone()));
            if from_edit {
                let value_name = format!(":a{}", values.len());
                set.push(format!("{placeholder} = {value_name}"));
                values.insert(value_name, value.clone());
            } else {
                remove.push(placeholder);
            }
        }
    }
    let mut clauses = Vec::new();
    if !set.is_empty() {
        clauses.push(format!("SET {}", set.join(", ")));
    }
    if !remove.is_empty() {
        clauses.push(format!("REMOVE {}", remove.join(", ")));
    }
    let mut request = Map::new();
    request.insert("TableName".into(), json!(table));
    request.insert("Key".into(), key_of(original, key_names));
    if !clauses.is_empty() {
        request.insert("UpdateExpression".into(), json!(clauses.join(" ")));
        request.insert("ExpressionAttributeNames".into(), Value::Object(names));
        if !values.is_empty() {
            request.insert("ExpressionAttributeValues".into(), Value::Object(values));
        }
    }
    with_total(Value::Object(request))
}

/// Moves an item to a new key, as DynamoDB can only do it: one transaction that puts the
/// edited item (only if no item has that key yet) and deletes the old one. Written as JSON
/// text and parsed (the parser is in the bundle anyway): `json!` of these nested objects
/// compiled to about 2 KB of wasm.
pub fn move_item_request(table: &str, key_names: &[String], original: &Value, edited: &Value) -> Value {
    let table = Value::from(table);
    let partition = Value::from(key_names.first().map_or("", String::as_str));
    let text = format!(
        r##"{{"TransactItems":[{{"Put":{{"TableName":{table},"Item":{edited},"ConditionExpression":"attribute_not_exists(#pk)","ExpressionAttributeNames":{{"#pk":{partition}}}}}}},{{"Delete":{{"TableName":{table},"Key":{}}}}}],"ReturnConsumedCapacity":"TOTAL"}}"##,
        key_of(original, key_names)
    );
    serde_json::from_slice(text.as_bytes()).unwrap_or(Value::Null)
}

/// A Scan page of the item explorer.
pub fn scan_request(table: &str, limit: u32, start: Option<&Value>) -> Value {
    let mut request = json!({"TableName": table, "Limit": limit});
    if let Some(start) = start {
        request["ExclusiveStartKey"] = start.clone();
    }
    with_total(request)
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
                "SearchVectors",
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
    fn the_forms_ask_for_consumed_capacity_only_where_the_registry_takes_it() {
        // Every request the item explorer and the query builder build, without the registry
        // (`with_total`): each one's operation must be one that returns ConsumedCapacity.
        let keys = ["pk".to_owned()];
        let (old, new) = (json!({"pk": {"S": "a"}, "n": {"N": "1"}}), json!({"pk": {"S": "b"}}));
        let table =
            IndexKeys { index: String::new(), partition: vec![KeyAttribute::new("pk")], sort: Vec::new() };
        let mut form = QueryForm::new("T", &table);
        form.partition[0].1 = "a".into();
        let built = [
            ("Scan", scan_request("T", 25, None)),
            ("Query", query_request(&form).unwrap_or_default()),
            ("GetItem", get_item_request("T", json!({"pk": {"S": "a"}}), false)),
            ("UpdateItem", update_instead_request("T", &keys, &old, &new)),
            ("TransactWriteItems", move_item_request("T", &keys, &old, &new)),
            ("PutItem", with_total(json!({"TableName": "T", "Item": new}))),
            ("DeleteItem", with_total(json!({"TableName": "T", "Key": {"pk": {"S": "a"}}}))),
        ];
        for (operation, request) in built {
            assert_eq!(request["ReturnConsumedCapacity"], json!("TOTAL"), "{operation}");
            assert!(
                dynaplay_engine::operation(operation).is_some_and(|spec| spec.returns_capacity),
                "{operation}"
            );
        }
        for (_, _, build) in KEY_CHANGE_CHOICES {
            assert_eq!(build("T", &keys, &old, &new)["ReturnConsumedCapacity"], json!("TOTAL"));
        }
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
                    more_partition_keys: Vec::new(),
                    more_sort_keys: Vec::new(),
                    projection_type: "INCLUDE".into(),
                    non_key_attributes: " Plays, ,Genre ".into(),
                },
                SecondaryIndex {
                    kind: IndexKind::Local,
                    name: "ByAlbum".into(),
                    partition_key: KeyAttribute::new(""),
                    sort_key: KeyAttribute::new("Album"),
                    more_partition_keys: Vec::new(),
                    more_sort_keys: Vec::new(),
                    projection_type: "KEYS_ONLY".into(),
                    non_key_attributes: String::new(),
                },
            ],
            vector_indexes: Vec::new(),
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

    fn keys(index: &str, partition: &[(&str, &str)], sort: &[(&str, &str)]) -> IndexKeys {
        let attrs = |list: &[(&str, &str)]| {
            list.iter()
                .map(|(n, t)| KeyAttribute { name: (*n).into(), attribute_type: (*t).into() })
                .collect()
        };
        IndexKeys { index: index.into(), partition: attrs(partition), sort: attrs(sort) }
    }

    fn query_form() -> QueryForm {
        let mut form = QueryForm::new("Music", &keys("", &[("Artist", "S")], &[("SongTitle", "S")]));
        form.partition[0].1 = "Nina Simone".into();
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
        let mut form = QueryForm {
            filter: "Plays > :min".into(),
            filter_values: "{\":min\": 10}".into(),
            projection: "SongTitle, Year".into(),
            scan_forward: false,
            limit: "2".into(),
            ..QueryForm::new("Music", &keys("ByYear", &[("Year", "N")], &[("SongTitle", "S")]))
        };
        form.partition[0].1 = "1965".into();
        form.sort[0] = SortRow {
            condition: SortCondition::Between,
            value: "A".into(),
            value_to: "M".into(),
            ..form.sort[0].clone()
        };
        assert_eq!(
            query_request(&form).unwrap(),
            json!({"TableName": "Music", "IndexName": "ByYear",
                   "KeyConditionExpression": "#pk = :pk AND #sk BETWEEN :sk AND :sk2",
                   "FilterExpression": "#Plays > :min", "ProjectionExpression": "#p0, #p1",
                   "ExpressionAttributeNames": {"#pk": "Year", "#sk": "SongTitle", "#Plays": "Plays", "#p0": "SongTitle", "#p1": "Year"},
                   "ExpressionAttributeValues": {":pk": {"N": "1965"}, ":sk": {"S": "A"}, ":sk2": {"S": "M"}, ":min": {"N": "10"}},
                   "ScanIndexForward": false, "Limit": 2, "ReturnConsumedCapacity": "TOTAL"})
        );
        let mut begins = query_form();
        begins.sort[0].condition = SortCondition::BeginsWith;
        begins.sort[0].value = "F".into();
        assert_eq!(
            query_request(&begins).unwrap()["KeyConditionExpression"],
            "#pk = :pk AND begins_with(#sk, :sk)"
        );
        let bad = QueryForm { filter: "a = :a".into(), filter_values: "{:a".into(), ..query_form() };
        assert!(query_request(&bad).unwrap_err().starts_with("Filter values: Not valid JSON"));
    }

    #[test]
    fn filters_on_reserved_words_are_aliased() {
        let mut names = Map::new();
        // `Year` bare is refused by DynamoDB as a reserved word, `#Year` undefined as an
        // undefined placeholder: both come out as `#Year` with its definition.
        assert_eq!(alias_names("Year > :min", &mut names), "#Year > :min");
        assert_eq!(alias_names("#Year > :min", &mut names), "#Year > :min");
        assert_eq!(names, json!({"#Year": "Year"}).as_object().cloned().unwrap());
        let mut names = Map::new();
        names.insert("#pk".into(), json!("Artist"));
        assert_eq!(
            alias_names(
                "attribute_exists(Genre) and not begins_with (info.pk[0], :t) OR size(Tags) BETWEEN :a AND :b",
                &mut names
            ),
            "attribute_exists(#Genre) and not begins_with (#info.#pk_1[0], :t) OR size(#Tags) BETWEEN :a AND :b"
        );
        assert_eq!(names["#pk"], "Artist");
        assert_eq!(names["#pk_1"], "pk");
        assert_eq!(names["#info"], "info");
        // Odd input is passed through for the engine to judge, never a panic.
        assert_eq!(alias_names("# : é 1 <>", &mut Map::new()), "# : é 1 <>");
        let form =
            QueryForm { filter: "Year > :y".into(), filter_values: "{\":y\": 1960}".into(), ..query_form() };
        let built = query_request(&form).unwrap();
        assert_eq!(built["FilterExpression"], "#Year > :y");
        assert_eq!(built["ExpressionAttributeNames"]["#Year"], "Year");
    }

    #[test]
    fn key_schemas_from_describe_table() {
        let describe = json!({"Table": {
            "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}, {"AttributeName": "SongTitle", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"},
                {"AttributeName": "SongTitle", "AttributeType": "S"}, {"AttributeName": "Year", "AttributeType": "N"},
                {"AttributeName": "Genre", "AttributeType": "S"}],
            "GlobalSecondaryIndexes": [
                {"IndexName": "ByYear", "KeySchema": [{"AttributeName": "Year", "KeyType": "HASH"}]},
                {"IndexName": "ByGenreYear", "KeySchema": [{"AttributeName": "Genre", "KeyType": "HASH"},
                    {"AttributeName": "Artist", "KeyType": "HASH"}, {"AttributeName": "Year", "KeyType": "RANGE"},
                    {"AttributeName": "SongTitle", "KeyType": "RANGE"}]}]
        }});
        let schemas = key_schemas(&describe);
        assert_eq!(schemas.len(), 3);
        assert_eq!(schemas[0].sk().name, "SongTitle");
        assert_eq!(schemas[1].index, "ByYear");
        assert_eq!(schemas[1].pk(), KeyAttribute { name: "Year".into(), attribute_type: "N".into() });
        assert_eq!(schemas[1].sk().name, "");
        assert_eq!(
            schemas[2],
            keys("ByGenreYear", &[("Genre", "S"), ("Artist", "S")], &[("Year", "N"), ("SongTitle", "S")])
        );
        assert_eq!(schemas[2].names(), "Genre, Artist, Year, SongTitle");
    }

    #[test]
    fn a_multi_attribute_query_has_a_clause_per_condition() {
        let index =
            keys("ByGenreYear", &[("Genre", "S"), ("Artist", "S")], &[("Year", "N"), ("SongTitle", "S")]);
        let mut form = QueryForm::new("Music", &index);
        form.partition[0].1 = "Jazz".into();
        form.partition[1].1 = "Nina".into();
        form.sort[0] =
            SortRow { condition: SortCondition::Compare("="), value: "1965".into(), ..form.sort[0].clone() };
        form.sort[1] = SortRow {
            condition: SortCondition::Between,
            value: "A".into(),
            value_to: "M".into(),
            ..form.sort[1].clone()
        };
        let built = query_request(&form).unwrap();
        assert_eq!(
            built["KeyConditionExpression"],
            "#pk = :pk AND #pk_2 = :pk_2 AND #sk = :sk AND #sk_2 BETWEEN :sk_2 AND :sk_2_to"
        );
        assert_eq!(
            built["ExpressionAttributeNames"],
            json!({"#pk": "Genre", "#pk_2": "Artist", "#sk": "Year", "#sk_2": "SongTitle"})
        );
        assert_eq!(
            built["ExpressionAttributeValues"],
            json!({":pk": {"S": "Jazz"}, ":pk_2": {"S": "Nina"}, ":sk": {"N": "1965"}, ":sk_2": {"S": "A"}, ":sk_2_to": {"S": "M"}})
        );
        // A condition on the second attribute alone goes out as typed: DynamoDB names the gap.
        form.sort[0].condition = SortCondition::None;
        assert_eq!(
            query_request(&form).unwrap()["KeyConditionExpression"],
            "#pk = :pk AND #pk_2 = :pk_2 AND #sk_2 BETWEEN :sk_2 AND :sk_2_to"
        );
    }

    #[test]
    fn a_multi_attribute_gsi_in_the_create_table_form() {
        let mut form = TableForm { name: "Music".into(), ..TableForm::default() };
        form.add_index(IndexKind::Global);
        form.indexes[0].partition_key = KeyAttribute::new("Genre");
        form.add_key_attribute(0, true);
        form.indexes[0].more_partition_keys[0] = KeyAttribute::new("Label");
        form.indexes[0].sort_key = KeyAttribute { name: "Year".into(), attribute_type: "N".into() };
        for _ in 0..4 {
            form.add_key_attribute(0, false);
        }
        assert_eq!(form.indexes[0].more_sort_keys.len(), 3, "four sort key attributes at most");
        form.remove_key_attribute(0, false, 2);
        form.remove_key_attribute(0, false, 1);
        form.indexes[0].more_sort_keys[0] = KeyAttribute::new("Title");
        let request = create_table_request(&form);
        assert_eq!(
            request["GlobalSecondaryIndexes"][0]["KeySchema"],
            json!([{"AttributeName": "Genre", "KeyType": "HASH"}, {"AttributeName": "Label", "KeyType": "HASH"},
                   {"AttributeName": "Year", "KeyType": "RANGE"}, {"AttributeName": "Title", "KeyType": "RANGE"}])
        );
        let defined: Vec<&str> = request["AttributeDefinitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["AttributeName"].as_str().unwrap())
            .collect();
        assert_eq!(defined, ["pk", "Genre", "Label", "Year", "Title"]);
    }

    #[test]
    fn vector_indexes_in_the_create_table_form() {
        let mut form = TableForm { name: "Docs".into(), ..TableForm::default() };
        form.add_vector_index();
        form.add_vector_index();
        form.vector_indexes[1].hash = "Lang".into();
        form.vector_indexes[1].filters = "pk, Year:N".into();
        form.vector_indexes[1].metric = "DOT_PRODUCT".into();
        let request = create_table_request(&form);
        assert_eq!(
            request["VectorIndexes"][0],
            json!({"IndexName": "ByEmbedding", "VectorAttribute": {"AttributeName": "Embedding"}, "Dimensions": 3,
                   "DistanceFunction": "COSINE", "Projection": {"ProjectionType": "ALL"}})
        );
        assert_eq!(request["VectorIndexes"][1]["IndexName"], "ByEmbedding2");
        // The search schema's attributes are declared once, the table key's type kept.
        assert_eq!(
            request["AttributeDefinitions"],
            json!([{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "Lang", "AttributeType": "S"},
                   {"AttributeName": "Year", "AttributeType": "N"}])
        );
        // The engine takes it: two vector indexes, described as sent.
        let mut engine = dynaplay_engine::Engine::new();
        engine.handle_json("CreateTable", request).unwrap();
        let described = engine.handle_json("DescribeTable", json!({"TableName": "Docs"})).unwrap();
        let indexes = crate::ui::vectors::VectorIndex::all(&described);
        assert_eq!(indexes.len(), 2);
        assert_eq!(indexes[1].hash.as_deref(), Some("Lang"));
        assert_eq!(indexes[1].filters, ["pk", "Year"]);
        assert_eq!(indexes[1].metric, "DOT_PRODUCT");
        // Taken as typed: Dimensions that are no number go as text, for DynamoDB to refuse.
        form.vector_indexes[0].dimensions = "three".into();
        form.remove_vector_index(1);
        let request = create_table_request(&form);
        assert_eq!(request["VectorIndexes"].as_array().map(Vec::len), Some(1));
        assert_eq!(request["VectorIndexes"][0]["Dimensions"], "three");
        assert!(engine.handle_json("CreateTable", request).is_err());
    }

    #[test]
    fn a_changed_key_is_noticed_and_can_update_or_move_instead() {
        let keys = vec!["Artist".to_owned(), "Title".to_owned()];
        let original = json!({"Artist": {"S": "Nina"}, "Title": {"S": "Sinnerman"}, "Year": {"N": "1965"}, "Live": {"BOOL": true}});
        let edited = json!({"Artist": {"S": "Nina"}, "Title": {"S": "Sinner Man"}, "Year": {"N": "1966"}});
        assert_eq!(changed_key_attributes(&original, &edited, &keys), ["Title"]);
        assert!(changed_key_attributes(&original, &original, &keys).is_empty());
        assert_eq!(
            update_instead_request("Music", &keys, &original, &edited),
            json!({"TableName": "Music", "Key": {"Artist": {"S": "Nina"}, "Title": {"S": "Sinnerman"}},
                   "UpdateExpression": "SET #a0 = :a0 REMOVE #a1",
                   "ExpressionAttributeNames": {"#a0": "Year", "#a1": "Live"},
                   "ExpressionAttributeValues": {":a0": {"N": "1966"}}, "ReturnConsumedCapacity": "TOTAL"})
        );
        let moved = move_item_request("Music", &keys, &original, &edited);
        assert_eq!(moved["TransactItems"][0]["Put"]["Item"], edited);
        assert_eq!(moved["TransactItems"][0]["Put"]["ExpressionAttributeNames"]["#pk"], "Artist");
        assert_eq!(moved["TransactItems"][1]["Delete"]["Key"]["Title"]["S"], "Sinnerman");
        assert_eq!(moved["ReturnConsumedCapacity"], "TOTAL");
        // Names that need escaping in JSON text stay intact.
        let odd = move_item_request(
            "M\"x",
            &["p\\k".to_owned()],
            &json!({"p\\k": {"S": "a"}}),
            &json!({"p\\k": {"S": "b\""}}),
        );
        assert_eq!(odd["TransactItems"][0]["Put"]["TableName"], "M\"x");
        assert_eq!(odd["TransactItems"][0]["Put"]["Item"]["p\\k"]["S"], "b\"");
        assert_eq!(odd["TransactItems"][1]["Delete"]["Key"]["p\\k"]["S"], "a");
        // The editor's questions, in order: move, update the old item, or write a second one.
        let operations: Vec<&str> = KEY_CHANGE_CHOICES.iter().map(|(_, op, _)| *op).collect();
        assert_eq!(operations, ["TransactWriteItems", "UpdateItem", "PutItem"]);
        for (_, operation, build) in KEY_CHANGE_CHOICES {
            let request = build("Music", &keys, &original, &edited);
            let kept = if operation == "UpdateItem" { "Sinnerman" } else { "Sinner Man" };
            assert!(request.to_string().contains(kept), "{operation}: {request}");
        }
    }

    #[test]
    fn get_item_by_typed_key_says_its_consistency() {
        let key = typed_key(
            (&KeyAttribute::new("Artist"), "Nina"),
            (&KeyAttribute { name: "Year".into(), attribute_type: "N".into() }, "1965"),
        );
        assert_eq!(
            get_item_request("Music", key, false),
            json!({"TableName": "Music", "Key": {"Artist": {"S": "Nina"}, "Year": {"N": "1965"}},
                   "ConsistentRead": false, "ReturnConsumedCapacity": "TOTAL"})
        );
        let only_partition = typed_key((&KeyAttribute::new("pk"), "a"), (&KeyAttribute::new(""), "ignored"));
        assert_eq!(get_item_request("T", only_partition, true)["Key"], json!({"pk": {"S": "a"}}));
    }

    #[test]
    fn scan_pages() {
        assert_eq!(
            scan_request("T", 25, Some(&json!({"pk": {"S": "a"}}))),
            json!({"TableName": "T", "Limit": 25, "ExclusiveStartKey": {"pk": {"S": "a"}}, "ReturnConsumedCapacity": "TOTAL"})
        );
    }
}
