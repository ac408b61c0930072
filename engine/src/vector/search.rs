//! SearchVectors: the `TopK` items of a vector index nearest a query vector, most similar
//! first, each with its projected attributes and its `Score` (COSINE and EUCLIDEAN: smallest
//! first; DOT_PRODUCT: largest first).
//!
//! The search condition names the search schema's attributes with `=` only, joined by AND:
//! the HASH attribute's value (required when the schema has one) picks the partition searched,
//! INLINE_FILTER values narrow it. Every vector of that partition is compared (an exact
//! search, see `vector/mod.rs`); ties keep the index's order.
//!
//! Texts DynamoDB documents are quoted as documented (the developer guide's troubleshooting
//! table and AWS's published vector-search guidance): "Provided TopK value '…' is out of valid
//! range…", "The table does not have the specified index: …", "Cannot search backfilling
//! vector index: …", "Input search vector dimension … does not match vector index dimension …",
//! "SearchConditionExpression must be provided when SearchSchema has a HASH key" and "Invalid
//! SearchConditionExpression: Invalid comparator used in SearchConditionExpression". The Parity
//! Suite's captures of DynamoDB add two (an attribute outside the search schema, a member that
//! is not a number) and the request's strict reading (`ops/search_vectors.rs`). The others
//! follow DynamoDB's wording for the like case of a Query (each says so where it is made).

use serde_json::{json, Map, Value};

use super::{floats, VectorIndex, VectorProblem, MIN_REQUEST_BYTES};
use crate::capacity::ReturnConsumedCapacity;
use crate::error::{ApiError, ApiResult};
use crate::expr::{self, CompareOp, Condition, ExpressionAttributes, Operand, Projection};
use crate::ops::request;
use crate::table::Table;
use crate::types::{item_size, item_to_json, map_from, AttributeValue, Item, KeyValue};

/// INLINE_FILTER attributes and the values they must equal.
type Filters = Vec<(String, AttributeValue)>;

/// Largest `TopK`.
pub(crate) const MAX_TOP_K: i64 = 100;

/// A checked, resolved search: what SearchVectors computes from.
struct Search<'t> {
    index: &'t VectorIndex,
    query: Vec<f32>,
    top_k: usize,
    /// The HASH attribute's value, when the schema has one.
    partition: Option<KeyValue>,
    filters: Filters,
    projection: Option<Projection>,
}

/// Runs a SearchVectors request whose shape has been checked.
pub(crate) fn run(table: Option<&Table>, request: &Value, now: u64) -> ApiResult<Value> {
    let top_k = request::integer(request, "TopK").unwrap_or(1);
    if top_k > MAX_TOP_K {
        return Err(ApiError::validation(format!(
            "Provided TopK value '{top_k}' is out of valid range. The value must be between 1 and {MAX_TOP_K} inclusive"
        )));
    }
    let mut attrs = ExpressionAttributes::from_request(request)?;
    let condition = match request::string(request, "SearchConditionExpression") {
        Some(text) => Some(expr::parse_search_condition(text, &mut attrs)?),
        None => None,
    };
    let projection = match request::string(request, "ProjectionExpression") {
        Some(text) => Some(expr::parse_projection(text, &mut attrs)?),
        None => None,
    };
    attrs.check_all_used()?;
    let equalities = match &condition {
        Some(c) => {
            let mut out = Vec::new();
            equalities(c, &mut out)
                .map_err(|m| ApiError::validation(format!("Invalid SearchConditionExpression: {m}")))?;
            out
        }
        None => Vec::new(),
    };

    let table = table.ok_or_else(ApiError::resource_not_found)?;
    let name = request::string(request, "IndexName").unwrap_or_default();
    let index = table.vectors.get(name).ok_or_else(|| {
        ApiError::validation(format!("The table does not have the specified index: {name}"))
    })?;
    if !index.readable(now) {
        return Err(ApiError::validation(format!("Cannot search backfilling vector index: {name}")));
    }
    let members = request.get("SearchVector").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    let members = members.iter().map(AttributeValue::from_json).collect::<ApiResult<Vec<_>>>()?;
    let query = floats(members.iter(), index.dimensions).map_err(|p| query_error(p, index.dimensions))?;
    let (partition, filters) = resolve(index, equalities)?;
    let search = Search { index, query, top_k: top_k.max(1) as usize, partition, filters, projection };
    let (results, examined) = search.execute();

    let mut body = Map::new();
    if ReturnConsumedCapacity::from_request(request) != ReturnConsumedCapacity::None {
        let returned: usize = results.iter().map(|(_, item)| item_size(item)).sum();
        let bytes = (examined * 4 * index.dimensions + returned) as f64;
        body.insert(
            "ConsumedCapacity".into(),
            json!({"VectorSearchRequestBytes": bytes.max(MIN_REQUEST_BYTES)}),
        );
    }
    let results: Vec<Value> = results
        .into_iter()
        .map(|(score, item)| json!({"Item": item_to_json(&item), "Score": score}))
        .collect();
    body.insert("SearchResults".into(), Value::Array(results));
    Ok(Value::Object(body))
}

/// The refusal of a query vector the index cannot compare.
fn query_error(problem: VectorProblem, dimensions: usize) -> ApiError {
    match problem {
        VectorProblem::Size(actual) => ApiError::validation(format!(
            "Input search vector dimension {actual} does not match vector index dimension {dimensions}"
        )),
        // The Parity Suite's capture (2026-08-11) of a member that is not a number; a number
        // no 32-bit float holds is not one either. (A search vector is always a list.)
        VectorProblem::NotANumber(..) | VectorProblem::OutOfRange(..) | VectorProblem::NotAList(_) => {
            ApiError::validation(
                "Search vector contains invalid values. All values in the search vector must be a 32-bit floating-point number attribute",
            )
        }
    }
}

/// The `attribute = :value` conditions of a search condition (AND of equalities on top-level
/// attributes), or why it is not one. Messages carry no prefix.
fn equalities(cond: &Condition, out: &mut Vec<(String, AttributeValue)>) -> Result<(), String> {
    // Operators other than a comparator are worded as a KeyConditionExpression's are.
    let operator = |op: &str| Err(format!("Invalid operator used in SearchConditionExpression: {op}"));
    let (left, right) = match cond {
        Condition::And(parts) => return parts.iter().try_for_each(|c| equalities(c, out)),
        Condition::Compare { op: CompareOp::Eq, left, right } => (left, right),
        Condition::Compare { .. } | Condition::Between { .. } | Condition::In { .. } => {
            return Err("Invalid comparator used in SearchConditionExpression".into())
        }
        Condition::Or(_) => return operator("OR"),
        Condition::Not(_) => return operator("NOT"),
        Condition::AttributeExists(_) => return operator("attribute_exists"),
        Condition::AttributeNotExists(_) => return operator("attribute_not_exists"),
        Condition::AttributeType(..) => return operator("attribute_type"),
        Condition::BeginsWith(..) => return operator("begins_with"),
        Condition::Contains(..) => return operator("contains"),
    };
    let (path, value) = match (left, right) {
        (Operand::Path(p), Operand::Literal(v)) | (Operand::Literal(v), Operand::Path(p)) => (p, v),
        // The wording of a key condition's like mistakes.
        (Operand::Path(_), Operand::Path(_)) => {
            return Err("Multiple attribute names used in one condition".into());
        }
        (Operand::Size(_), _) | (_, Operand::Size(_)) => {
            return Err("SearchConditionExpression cannot contain nested operations".into());
        }
        _ => return Err("No attribute specified in condition".into()),
    };
    if path.is_nested() {
        return Err("SearchConditionExpression cannot have conditions on nested attributes".into());
    }
    let name = path.head().to_owned();
    if out.iter().any(|(n, _)| *n == name) {
        return Err(format!(
            "SearchConditionExpression must only contain one condition per attribute: {name}"
        ));
    }
    out.push((name, value.clone()));
    Ok(())
}

/// Matches a search condition's equalities to the index's search schema: the HASH value, and
/// the INLINE_FILTER values.
fn resolve(
    index: &VectorIndex,
    equalities: Vec<(String, AttributeValue)>,
) -> ApiResult<(Option<KeyValue>, Filters)> {
    let mut partition = None;
    let mut filters = Vec::new();
    for (name, value) in equalities {
        let Some(element) = index.search_schema.iter().find(|e| e.name == name) else {
            // The Parity Suite's capture (2026-08-11), its grammar as DynamoDB's.
            return Err(ApiError::validation(format!(
                "SearchConditionExpression must not contain any attributes that is not in SearchSchema. Invalid attribute: {name}"
            )));
        };
        // A Query's wording for a key value of the wrong type.
        let key = KeyValue::from_attribute(&value).filter(|k| k.scalar_type() == Some(element.scalar_type));
        let Some(key) = key else {
            return Err(ApiError::invalid_parameter("Condition parameter type does not match schema type"));
        };
        if element.role == super::Role::Hash {
            partition = Some(key);
        } else {
            filters.push((name, value));
        }
    }
    if index.hash_element().is_some() && partition.is_none() {
        return Err(ApiError::validation(
            "SearchConditionExpression must be provided when SearchSchema has a HASH key",
        ));
    }
    Ok((partition, filters))
}

impl Search<'_> {
    /// The results, most similar first, with the number of vectors compared.
    fn execute(&self) -> (Vec<(f64, Item)>, usize) {
        let index = self.index;
        let function = index.function;
        let mut best: Vec<(f64, &super::Entry)> = Vec::with_capacity(self.top_k + 1);
        let partition = index.partition(&self.partition);
        for (_, entry) in partition {
            if !self.filters.iter().all(|(name, value)| entry.attributes.get(name) == Some(value)) {
                continue;
            }
            let score = function.score(&self.query, &entry.vector);
            // Before the first result it beats; an equal score keeps its earlier rival first.
            let at = best.iter().position(|(s, _)| function.better(score, *s)).unwrap_or(best.len());
            if at < self.top_k {
                best.insert(at, (score, entry));
                best.truncate(self.top_k);
            }
        }
        let results = best
            .into_iter()
            .map(|(score, entry)| {
                let item = match &self.projection {
                    Some(p) => p.apply(&entry.attributes),
                    // The vector attribute is left out unless the projection names it.
                    None => map_from(
                        entry
                            .attributes
                            .iter()
                            .filter(|(n, _)| **n != index.attribute)
                            .map(|(k, v)| (k.clone(), v.clone())),
                    ),
                };
                (score, item)
            })
            .collect();
        (results, examined(partition.len(), self.top_k))
    }
}

/// How many vectors an approximate search of a partition of `n` vectors examines, as the
/// playground meters it: DynamoDB's guide says the data a search examines grows with the
/// logarithm of the index's size, not with it, and publishes no formula. The model: `top_k`
/// plus 16 for every doubling of `n`, never more than `n`.
pub(super) fn examined(n: usize, top_k: usize) -> usize {
    // Bit length of n: ⌈log2(n + 1)⌉.
    let doublings = (usize::BITS - n.leading_zeros()) as usize;
    n.min(top_k + 16 * doublings)
}
