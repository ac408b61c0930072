//! What a table's *Vector search* tab (`learn/vectors.rs`) computes, platform-free: a vector
//! index as DescribeTable describes it, a query vector typed as text, and the UpdateTable and
//! SearchVectors requests the tab sends. Only the module loaded on demand uses it, so none of
//! it is in the first page load.
//!
//! Numbers stay text from what the learner typed to the request (`{"N": "0.5"}`), as DynamoDB
//! carries them: no float parsing (see *The bundle rules* in `web/README.md`); the engine
//! checks that each fits a 32-bit float.

use serde_json::{json, Map, Value};

/// One vector index of a DescribeTable answer (`Table.VectorIndexes[i]`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct VectorIndex {
    /// IndexName.
    pub name: String,
    /// VectorAttribute.AttributeName.
    pub attribute: String,
    /// Dimensions.
    pub dimensions: u64,
    /// DistanceFunction: COSINE, EUCLIDEAN or DOT_PRODUCT.
    pub metric: String,
    /// IndexStatus.
    pub status: String,
    /// Backfilling (only while CREATING).
    pub backfilling: bool,
    /// ItemCount.
    pub item_count: u64,
    /// IndexSizeBytes.
    pub size_bytes: u64,
    /// The search schema's HASH attribute, if any: it picks the partition a search reads.
    pub hash: Option<String>,
    /// The search schema's INLINE_FILTER attributes.
    pub filters: Vec<String>,
    /// Projection.ProjectionType, with the NonKeyAttributes of an INCLUDE.
    pub projection: String,
}

impl VectorIndex {
    /// The vector indexes of a DescribeTable answer, in its order.
    pub fn all(described: &Value) -> Vec<VectorIndex> {
        let list = described["Table"]["VectorIndexes"].as_array();
        list.into_iter().flatten().map(VectorIndex::from_description).collect()
    }

    fn from_description(d: &Value) -> VectorIndex {
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let schema = d["SearchSchema"].as_array().map_or(&[][..], Vec::as_slice);
        let named = |kind: &'static str| {
            schema
                .iter()
                .filter(move |e| e["SearchSchemaElementType"] == kind)
                .map(move |e| text(&e["AttributeName"]))
        };
        let mut projection = text(&d["Projection"]["ProjectionType"]);
        if let Some(extra) = d["Projection"]["NonKeyAttributes"].as_array() {
            let names: Vec<String> = extra.iter().map(text).collect();
            projection = format!("{projection} ({})", names.join(", "));
        }
        VectorIndex {
            name: text(&d["IndexName"]),
            attribute: text(&d["VectorAttribute"]["AttributeName"]),
            dimensions: d["Dimensions"].as_u64().unwrap_or(0),
            metric: text(&d["DistanceFunction"]),
            status: text(&d["IndexStatus"]),
            backfilling: d["Backfilling"] == true,
            item_count: d["ItemCount"].as_u64().unwrap_or(0),
            size_bytes: d["IndexSizeBytes"].as_u64().unwrap_or(0),
            hash: named("HASH").next(),
            filters: named("INLINE_FILTER").collect(),
            projection,
        }
    }

    /// Whether SearchVectors may read it now (DynamoDB refuses a backfilling index).
    pub fn searchable(&self) -> bool {
        self.status == "ACTIVE" && !self.backfilling
    }
}

/// How a metric's `Score` orders results, for the learner.
pub fn score_meaning(metric: &str) -> &'static str {
    match metric {
        "COSINE" => {
            "Score is the cosine distance, 1 − cos θ (0 = same direction, 2 = opposite): smallest first"
        }
        "EUCLIDEAN" => "Score is the Euclidean distance (0 = the same vector): smallest first",
        "DOT_PRODUCT" => "Score is the dot product (larger = more similar): largest first",
        _ => "most similar first",
    }
}

/// Whether `token` is a number as DynamoDB writes one: an optional sign, digits with an
/// optional fraction (or a fraction alone), an optional exponent.
fn is_number(token: &str) -> bool {
    let body = token.strip_prefix(['-', '+']).unwrap_or(token);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// A query vector typed by the learner — a JSON array (`[1, 0.5, -2e-3]`) or just the numbers,
/// separated by commas or spaces — as the numbers' texts; or what is wrong with it.
pub fn parse_vector(text: &str) -> Result<Vec<String>, String> {
    let inner = text.trim();
    let inner = match (inner.strip_prefix('['), inner.ends_with(']')) {
        (Some(rest), true) => &rest[..rest.len() - 1],
        (None, false) => inner,
        _ => return Err("The vector's brackets do not match: write [1, 0.5, 0] or just 1, 0.5, 0".into()),
    };
    let tokens: Vec<&str> = inner.split([',', ' ', '\n', '\t', '\r']).filter(|t| !t.is_empty()).collect();
    if tokens.is_empty() {
        return Err("Type a query vector: numbers separated by commas, e.g. [1, 0.5, 0]".into());
    }
    if let Some((i, bad)) = tokens.iter().enumerate().find(|(_, t)| !is_number(t)) {
        return Err(format!("Element {} of the vector is not a number: {bad}", i + 1));
    }
    // A trailing or doubled comma is a typo, not an empty element to skip silently.
    if inner.split(',').count() > 1 && inner.split(',').any(|part| part.trim().is_empty()) {
        return Err("The vector has an empty element between commas".into());
    }
    Ok(tokens.into_iter().map(str::to_owned).collect())
}

/// A vector attribute's value (`{"L": [{"N": …}, …]}`) as the text [`parse_vector`] reads,
/// or `None` when it is not a list of numbers.
pub fn vector_text(value: &Value) -> Option<String> {
    let numbers: Option<Vec<&str>> = value["L"].as_array()?.iter().map(|n| n["N"].as_str()).collect();
    Some(format!("[{}]", numbers?.join(", ")))
}

/// A value typed in a form as the attribute value of `kind` (`S`, `N` or `B`, as in
/// AttributeDefinitions); the engine checks it.
pub fn typed(kind: &str, text: &str) -> Value {
    let kind = if matches!(kind, "N" | "B") { kind } else { "S" };
    json!({ kind: text })
}

/// A score rounded to three decimals for the list (the response and the row's title show it
/// whole), printed without float formatting (`fixed::Fixed`).
pub fn short_score(score: &Value) -> String {
    crate::fixed::Fixed(score.as_f64().unwrap_or(0.0), 3).to_string()
}

/// What the search form holds.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SearchForm {
    /// The index searched.
    pub index: String,
    /// The query vector as typed.
    pub vector: String,
    /// TopK as typed.
    pub top_k: String,
    /// The HASH attribute's value (required when the index has one) and its type.
    pub hash: Option<(String, String, String)>,
    /// INLINE_FILTER values: (attribute, type, value); an empty value is no condition.
    pub filters: Vec<(String, String, String)>,
    /// ProjectionExpression as typed (empty: the index's projection).
    pub projection: String,
}

impl SearchForm {
    /// The SearchVectors request, or what the form lacks. The condition names its attributes
    /// through placeholders, so any attribute name works.
    pub fn request(&self, table: &str) -> Result<Value, String> {
        let vector = parse_vector(&self.vector)?;
        let top_k: u64 =
            self.top_k.trim().parse().map_err(|_| {
                format!("TopK must be a whole number from 1 to 100, not {:?}", self.top_k.trim())
            })?;
        let mut request = json!({
            "TableName": table,
            "IndexName": self.index,
            "SearchVector": vector.iter().map(|n| json!({ "N": n })).collect::<Vec<_>>(),
            "TopK": top_k,
            "ReturnConsumedCapacity": "TOTAL",
        });
        let mut names = Map::new();
        let mut values = Map::new();
        let mut clauses = Vec::new();
        let equalities = self.hash.iter().chain(self.filters.iter()).filter(|(_, _, v)| !v.is_empty());
        for (i, (attribute, kind, value)) in equalities.enumerate() {
            names.insert(format!("#a{i}"), Value::from(attribute.as_str()));
            values.insert(format!(":v{i}"), typed(kind, value));
            clauses.push(format!("#a{i} = :v{i}"));
        }
        if let Some((attribute, _, value)) = &self.hash {
            if value.is_empty() {
                return Err(format!(
                    "This index is partitioned by {attribute}: type the value to search under"
                ));
            }
        }
        if !clauses.is_empty() {
            request["SearchConditionExpression"] = Value::from(clauses.join(" AND "));
            request["ExpressionAttributeNames"] = Value::Object(names);
            request["ExpressionAttributeValues"] = Value::Object(values);
        }
        let projection = self.projection.trim();
        if !projection.is_empty() {
            request["ProjectionExpression"] = Value::from(projection);
        }
        Ok(request)
    }
}

/// What the add-an-index form holds.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateForm {
    /// IndexName.
    pub name: String,
    /// The vector attribute.
    pub attribute: String,
    /// Dimensions as typed.
    pub dimensions: String,
    /// DistanceFunction.
    pub metric: String,
    /// ProjectionType: ALL or KEYS_ONLY.
    pub projection: String,
    /// The search schema's HASH attribute (empty: none) and its type.
    pub hash: String,
    /// The HASH attribute's type (S, N or B).
    pub hash_type: String,
    /// INLINE_FILTER attributes as typed: `Brand, Year:N` (a name alone is a String).
    pub filters: String,
}

impl Default for CreateForm {
    fn default() -> Self {
        CreateForm {
            name: "ByEmbedding".into(),
            attribute: "Embedding".into(),
            dimensions: "3".into(),
            metric: "COSINE".into(),
            projection: "ALL".into(),
            hash: String::new(),
            hash_type: "S".into(),
            filters: String::new(),
        }
    }
}

impl CreateForm {
    /// The index as CreateTable's `VectorIndexes` and UpdateTable's `Create` take it, with the
    /// AttributeDefinitions its search schema needs (name, type; DynamoDB requires them).
    /// Taken as typed: Dimensions that are not a whole number go as text, for DynamoDB to refuse
    /// (the create-table form sends it so); [`CreateForm::request`] checks first.
    pub fn definition(&self) -> (Value, Vec<(String, String)>) {
        let dimensions = self.dimensions.trim();
        let dimensions = dimensions.parse::<u64>().map_or_else(|_| Value::from(dimensions), Value::from);
        let mut index = json!({
            "IndexName": self.name.trim(),
            "VectorAttribute": { "AttributeName": self.attribute.trim() },
            "Dimensions": dimensions,
            "DistanceFunction": self.metric,
            "Projection": { "ProjectionType": self.projection },
        });
        // (name, type, role) of each search schema attribute, HASH first.
        let mut schema = Vec::new();
        let hash = self.hash.trim();
        if !hash.is_empty() {
            schema.push((hash.to_owned(), self.hash_type.clone(), "HASH"));
        }
        for part in self.filters.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, kind) = part.split_once(':').unwrap_or((part, "S"));
            schema.push((name.trim().to_owned(), kind.trim().to_owned(), "INLINE_FILTER"));
        }
        if !schema.is_empty() {
            let elements = schema
                .iter()
                .map(|(n, _, role)| json!({ "AttributeName": n, "SearchSchemaElementType": role }));
            index["SearchSchema"] = Value::Array(elements.collect());
        }
        (index, schema.into_iter().map(|(n, kind, _)| (n, kind)).collect())
    }

    /// The UpdateTable that creates the index (a HASH attribute is declared in
    /// AttributeDefinitions, as DynamoDB requires), or what the form lacks.
    pub fn request(&self, table: &str) -> Result<Value, String> {
        if self.dimensions.trim().parse::<u64>().is_err() {
            return Err(format!(
                "Dimensions must be a whole number from 1 to 4,096, not {:?}",
                self.dimensions.trim()
            ));
        }
        let (create, definitions) = self.definition();
        if let Some((name, kind)) =
            definitions.iter().find(|(_, kind)| !matches!(kind.as_str(), "S" | "N" | "B"))
        {
            return Err(format!("An inline filter's type is S, N or B: {name}:{kind}"));
        }
        let mut request = json!({ "TableName": table });
        if !definitions.is_empty() {
            let definitions =
                definitions.iter().map(|(n, kind)| json!({ "AttributeName": n, "AttributeType": kind }));
            request["AttributeDefinitions"] = Value::Array(definitions.collect());
        }
        request["VectorIndexUpdates"] = json!([{ "Create": create }]);
        Ok(request)
    }
}

/// The UpdateTable that deletes vector index `index`.
pub fn delete_request(table: &str, index: &str) -> Value {
    json!({ "TableName": table, "VectorIndexUpdates": [{ "Delete": { "IndexName": index } }] })
}

/// The table's key attributes and their types (KeySchema, then AttributeDefinitions), HASH
/// first.
pub fn key_attributes(described: &Value) -> Vec<(String, String)> {
    let table = &described["Table"];
    let kind = |name: &str| {
        let definitions = table["AttributeDefinitions"].as_array().map_or(&[][..], Vec::as_slice);
        let found = definitions.iter().find(|d| d["AttributeName"] == name);
        found.and_then(|d| d["AttributeType"].as_str()).unwrap_or("S").to_owned()
    };
    table["KeySchema"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|k| k["AttributeName"].as_str())
        .map(|name| (name.to_owned(), kind(name)))
        .collect()
}

/// An attribute's type in the table's AttributeDefinitions (`S` when it is not declared).
pub fn attribute_type(described: &Value, name: &str) -> String {
    let definitions = described["Table"]["AttributeDefinitions"].as_array();
    let found = definitions.into_iter().flatten().find(|d| d["AttributeName"] == name);
    found.and_then(|d| d["AttributeType"].as_str()).unwrap_or("S").to_owned()
}

/// One result's attributes as `name=value` text, the key attributes first.
pub fn result_text(item: &Value, keys: &[(String, String)]) -> String {
    let Some(attributes) = item.as_object() else { return String::new() };
    let show = |name: &str, value: &Value| {
        let plain = crate::ui::itemjson::value_to_plain(value).unwrap_or(Value::Null);
        format!("{name}={}", plain.as_str().map_or_else(|| plain.to_string(), String::from))
    };
    let key_names: Vec<&str> = keys.iter().map(|(n, _)| n.as_str()).collect();
    let first = key_names.iter().filter_map(|k| attributes.get(*k).map(|v| show(k, v)));
    let rest = attributes.iter().filter(|(n, _)| !key_names.contains(&n.as_str())).map(|(n, v)| show(n, v));
    first.chain(rest).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vector_is_read_as_json_or_bare_numbers_keeping_their_text() {
        let expect = vec!["1".to_owned(), "0.5".to_owned(), "-2e-3".to_owned()];
        assert_eq!(parse_vector("[1, 0.5, -2e-3]").unwrap(), expect);
        assert_eq!(parse_vector(" 1 0.5  -2e-3\n").unwrap(), expect);
        assert_eq!(parse_vector("1,0.5,-2e-3").unwrap(), expect);
        assert_eq!(parse_vector("[.5, 5., +3, 1E+2]").unwrap(), vec![".5", "5.", "+3", "1E+2"]);
    }

    #[test]
    fn a_vector_that_is_not_numbers_says_where() {
        assert_eq!(parse_vector("[1, x, 0]").unwrap_err(), "Element 2 of the vector is not a number: x");
        assert!(parse_vector("").unwrap_err().starts_with("Type a query vector"));
        assert!(parse_vector("[]").unwrap_err().starts_with("Type a query vector"));
        assert!(parse_vector("[1, 2").unwrap_err().contains("brackets"));
        assert!(parse_vector("1, 2]").unwrap_err().contains("brackets"));
        assert!(parse_vector("[1, , 2]").unwrap_err().contains("empty element"));
        assert!(parse_vector("[1, 2,]").unwrap_err().contains("empty element"));
        for bad in ["1e", "e5", ".", "-", "1.2.3", "0x10", "NaN", "Infinity", "1e+", "--1", "\"1\""] {
            assert!(!is_number(bad), "{bad}");
        }
    }

    #[test]
    fn an_items_vector_becomes_the_text_a_search_reads() {
        let value = json!({"L": [{"N": "1"}, {"N": "0.25"}, {"N": "-3"}]});
        let text = vector_text(&value).unwrap();
        assert_eq!(text, "[1, 0.25, -3]");
        assert_eq!(parse_vector(&text).unwrap(), vec!["1", "0.25", "-3"]);
        assert_eq!(vector_text(&json!({"L": [{"N": "1"}, {"S": "x"}]})), None);
        assert_eq!(vector_text(&json!({"NS": ["1"]})), None);
        assert_eq!(vector_text(&Value::Null), None);
    }

    fn described() -> Value {
        json!({"Table": {
            "KeySchema": [{"AttributeName": "Id", "KeyType": "HASH"}, {"AttributeName": "At", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "Id", "AttributeType": "S"}, {"AttributeName": "At", "AttributeType": "N"},
                {"AttributeName": "Category", "AttributeType": "S"}],
            "VectorIndexes": [
                {"IndexName": "ByCategory", "VectorAttribute": {"AttributeName": "Embedding"}, "Dimensions": 3,
                 "DistanceFunction": "COSINE", "IndexStatus": "ACTIVE", "ItemCount": 4, "IndexSizeBytes": 210,
                 "SearchSchema": [{"AttributeName": "Category", "SearchSchemaElementType": "HASH"},
                                  {"AttributeName": "Brand", "SearchSchemaElementType": "INLINE_FILTER"}],
                 "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["Title", "Price"]}},
                {"IndexName": "New", "VectorAttribute": {"AttributeName": "Embedding"}, "Dimensions": 3,
                 "DistanceFunction": "EUCLIDEAN", "IndexStatus": "CREATING", "Backfilling": true,
                 "Projection": {"ProjectionType": "KEYS_ONLY"}}]}})
    }

    #[test]
    fn describe_tables_vector_indexes_are_read_in_order() {
        let indexes = VectorIndex::all(&described());
        assert_eq!(indexes.len(), 2);
        let first = &indexes[0];
        assert_eq!(
            (first.name.as_str(), first.attribute.as_str(), first.dimensions, first.metric.as_str()),
            ("ByCategory", "Embedding", 3, "COSINE")
        );
        assert_eq!(first.hash.as_deref(), Some("Category"));
        assert_eq!(first.filters, vec!["Brand"]);
        assert_eq!(first.projection, "INCLUDE (Title, Price)");
        assert_eq!((first.item_count, first.size_bytes), (4, 210));
        assert!(first.searchable());
        let second = &indexes[1];
        assert!(second.backfilling && !second.searchable() && second.hash.is_none());
        assert_eq!(second.projection, "KEYS_ONLY");
        assert!(VectorIndex::all(&json!({"Table": {}})).is_empty());
        assert_eq!(key_attributes(&described()), vec![("Id".into(), "S".into()), ("At".into(), "N".into())]);
        assert_eq!(attribute_type(&described(), "At"), "N");
        assert_eq!(attribute_type(&described(), "Nope"), "S");
    }

    #[test]
    fn the_search_request_names_the_condition_through_placeholders() {
        let form = SearchForm {
            index: "ByCategory".into(),
            vector: "[1, 0, 0]".into(),
            top_k: " 2 ".into(),
            hash: Some(("Category".into(), "S".into(), "books".into())),
            filters: vec![
                ("Brand".into(), "S".into(), String::new()),
                ("Year".into(), "N".into(), "2024".into()),
            ],
            projection: "Title, Price".into(),
        };
        let request = form.request("Products").unwrap();
        assert_eq!(
            request,
            json!({"TableName": "Products", "IndexName": "ByCategory", "TopK": 2, "ReturnConsumedCapacity": "TOTAL",
                "SearchVector": [{"N": "1"}, {"N": "0"}, {"N": "0"}],
                "SearchConditionExpression": "#a0 = :v0 AND #a1 = :v1",
                "ExpressionAttributeNames": {"#a0": "Category", "#a1": "Year"},
                "ExpressionAttributeValues": {":v0": {"S": "books"}, ":v1": {"N": "2024"}},
                "ProjectionExpression": "Title, Price"})
        );
        // Without a HASH or filters there is no condition at all.
        let plain =
            SearchForm { index: "I".into(), vector: "1 2".into(), top_k: "5".into(), ..Default::default() };
        let request = plain.request("T").unwrap();
        assert!(
            request.get("SearchConditionExpression").is_none()
                && request.get("ExpressionAttributeValues").is_none()
        );
    }

    #[test]
    fn the_search_form_says_what_it_lacks() {
        let form = SearchForm {
            index: "I".into(),
            vector: "[1]".into(),
            top_k: "ten".into(),
            hash: Some(("Category".into(), "S".into(), String::new())),
            ..Default::default()
        };
        assert_eq!(form.request("T").unwrap_err(), "TopK must be a whole number from 1 to 100, not \"ten\"");
        let form = SearchForm { top_k: "3".into(), ..form };
        assert_eq!(
            form.request("T").unwrap_err(),
            "This index is partitioned by Category: type the value to search under"
        );
        let form = SearchForm { vector: "[a]".into(), ..form };
        assert!(form.request("T").unwrap_err().contains("not a number"));
    }

    #[test]
    fn the_create_request_declares_a_hash_attribute() {
        let plain = CreateForm::default().request("Products").unwrap();
        assert_eq!(
            plain,
            json!({"TableName": "Products", "VectorIndexUpdates": [{"Create": {"IndexName": "ByEmbedding",
                "VectorAttribute": {"AttributeName": "Embedding"}, "Dimensions": 3, "DistanceFunction": "COSINE",
                "Projection": {"ProjectionType": "ALL"}}}]})
        );
        let form = CreateForm { hash: " Category ".into(), hash_type: "N".into(), ..CreateForm::default() };
        let request = form.request("Products").unwrap();
        assert_eq!(
            request["AttributeDefinitions"],
            json!([{"AttributeName": "Category", "AttributeType": "N"}])
        );
        assert_eq!(
            request["VectorIndexUpdates"][0]["Create"]["SearchSchema"],
            json!([{"AttributeName": "Category", "SearchSchemaElementType": "HASH"}])
        );
        let filtered = CreateForm { filters: "Brand, Year:N ,".into(), ..form };
        let request = filtered.request("Products").unwrap();
        assert_eq!(
            request["VectorIndexUpdates"][0]["Create"]["SearchSchema"],
            json!([{"AttributeName": "Category", "SearchSchemaElementType": "HASH"},
                   {"AttributeName": "Brand", "SearchSchemaElementType": "INLINE_FILTER"},
                   {"AttributeName": "Year", "SearchSchemaElementType": "INLINE_FILTER"}])
        );
        assert_eq!(
            request["AttributeDefinitions"],
            json!([{"AttributeName": "Category", "AttributeType": "N"}, {"AttributeName": "Brand", "AttributeType": "S"},
                   {"AttributeName": "Year", "AttributeType": "N"}])
        );
        let typo = CreateForm { filters: "Year:X".into(), ..CreateForm::default() };
        assert_eq!(typo.request("T").unwrap_err(), "An inline filter's type is S, N or B: Year:X");
        let bad = CreateForm { dimensions: "3.5".into(), ..CreateForm::default() };
        assert!(bad.request("T").unwrap_err().starts_with("Dimensions must be a whole number"));
        assert_eq!(
            delete_request("T", "I"),
            json!({"TableName": "T", "VectorIndexUpdates": [{"Delete": {"IndexName": "I"}}]})
        );
    }

    #[test]
    fn scores_and_results_read_shortly() {
        assert_eq!(short_score(&json!(0.05131670194948623)), "0.051");
        // Rounded, not cut: 0.7999… is 0.800.
        assert_eq!(short_score(&json!(0.7999999970197678)), "0.800");
        assert_eq!(short_score(&json!(1.0)), "1.000");
        assert_eq!(short_score(&json!(-12.5)), "-12.500");
        assert_eq!(short_score(&json!(1.5e-9)), "0.000");
        assert_eq!(typed("N", "3"), json!({"N": "3"}));
        assert_eq!(typed("X", "3"), json!({"S": "3"}));
        let keys = vec![("Id".to_owned(), "S".to_owned())];
        let item = json!({"Title": {"S": "Rust"}, "Id": {"S": "p1"}, "Price": {"N": "10"}});
        assert_eq!(result_text(&item, &keys), "Id=p1, Price=10, Title=Rust");
    }

    #[test]
    fn every_metric_says_which_way_is_nearer() {
        assert!(score_meaning("COSINE").ends_with("smallest first"));
        assert!(score_meaning("EUCLIDEAN").ends_with("smallest first"));
        assert!(score_meaning("DOT_PRODUCT").ends_with("largest first"));
    }
}
