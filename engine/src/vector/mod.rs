//! Vector indexes (DynamoDB, August 2026): the third kind of index beside GSIs and LSIs. A
//! vector index holds, for every item whose vector attribute is a list of `Dimensions` numbers
//! (and that has the index's partition key, when its `SearchSchema` names one), the vector as
//! 32-bit floats and the projected attributes; `SearchVectors` (`search.rs`) returns the items
//! nearest a query vector by COSINE, EUCLIDEAN or DOT_PRODUCT.
//!
//! DynamoDB searches approximately (a graph of the vectors); this index searches *exactly*:
//! every vector of the searched partition is compared. Exact nearest neighbours are always a
//! correct answer to an approximate search, and they make the playground deterministic.
//!
//! The index is kept in step with every write where the table's other indexes are
//! (`Table::put`/`Table::delete`: PutItem, UpdateItem, DeleteItem, batches, transactions,
//! PartiQL, Time to Live). Writes are validated first (`check_item`): a vector attribute that is
//! not a list of `Dimensions` numbers that fit a 32-bit float, or a search-schema attribute of
//! the wrong type, refuses the write. An item without the vector attribute, or without the
//! search schema's HASH attribute, is simply not indexed (a sparse index); a missing
//! INLINE_FILTER attribute does not keep it out.
//!
//! Capacity (DynamoDB's developer guide, "Monitoring vector index capacity"): vector indexes
//! are metered in bytes, apart from RCU/WCU. A write that changes what an index holds reports
//! `VectorWriteRequestBytes` for it ([`VectorIndexes::write_bytes`]); a write that changes
//! nothing indexed reports none. AWS publishes no formula; the Parity Suite's captures of
//! DynamoDB (2026-08-18) pin one: the item size of the entry written, its vector attribute
//! counted as its name plus a flat 4 bytes a dimension, at least 1 KB for each index.
//! An entry removed counts the table key's bytes (not captured), held to the same minimum.
//!
//! The base table bills its item the same way (captured 2026-10-09): an attribute a vector
//! index reads counts its name plus 4 bytes a dimension towards the write's units and
//! TableSizeBytes ([`VectorIndexes::billed_size`]); a read and the 400 KB limit size it as
//! the list of numbers it holds.

pub(crate) mod search;

use serde_json::{json, Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::table::Projection;
use crate::types::{
    item_size, map_from, object_from, AttributeValue, Item, KeySchema, KeyValue, PrimaryKey, ScalarType,
};

/// Most dimensions a vector index takes (DynamoDB's quotas, "Vector indexes").
pub(crate) const MAX_DIMENSIONS: i64 = 4096;
/// Most vector indexes on one table.
pub(crate) const MAX_VECTOR_INDEXES: usize = 5;
/// Most INLINE_FILTER elements in one search schema.
pub(crate) const MAX_INLINE_FILTERS: usize = 18;
/// The projected non-key attributes, the vector attribute and the inline filters of one index
/// share this limit (the API reference, `CreateTable.VectorIndexes`).
pub(crate) const MAX_PROJECTED_ATTRIBUTES: usize = 20;
/// Smallest figure a vector write or search request is metered at.
pub(crate) const MIN_REQUEST_BYTES: f64 = 1024.0;

/// How similarity is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DistanceFunction {
    /// 1 − cosine similarity: 0 (same direction) to 2 (opposite); smallest first.
    Cosine,
    /// The Euclidean distance; smallest first.
    Euclidean,
    /// The dot product; largest first.
    DotProduct,
}

impl DistanceFunction {
    /// The API's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Cosine => "COSINE",
            Self::Euclidean => "EUCLIDEAN",
            Self::DotProduct => "DOT_PRODUCT",
        }
    }

    /// Reads the (enum-checked) `DistanceFunction` member.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "COSINE" => Some(Self::Cosine),
            "EUCLIDEAN" => Some(Self::Euclidean),
            "DOT_PRODUCT" => Some(Self::DotProduct),
            _ => None,
        }
    }

    /// The score of `stored` against `query` (same length), computed in f64 from the f32
    /// components so that equal inputs give equal scores on every platform.
    pub fn score(self, query: &[f32], stored: &[f32]) -> f64 {
        let pairs = || query.iter().zip(stored).map(|(a, b)| (f64::from(*a), f64::from(*b)));
        match self {
            Self::DotProduct => pairs().map(|(a, b)| a * b).sum(),
            Self::Euclidean => pairs().map(|(a, b)| (a - b) * (a - b)).sum::<f64>().sqrt(),
            Self::Cosine => {
                let (mut dot, mut qq, mut ss) = (0.0, 0.0, 0.0);
                for (a, b) in pairs() {
                    dot += a * b;
                    qq += a * a;
                    ss += b * b;
                }
                if qq == 0.0 || ss == 0.0 {
                    // A zero vector has no direction: the playground scores it as orthogonal
                    // (1.0) rather than refusing it; DynamoDB documents no rule for it.
                    return 1.0;
                }
                // One square root, so a vector scored against itself gives exactly 0; rounding
                // can still take the ratio a hair outside [-1, 1].
                (1.0 - dot / (qq * ss).sqrt()).clamp(0.0, 2.0)
            }
        }
    }

    /// Whether score `a` ranks before score `b`.
    pub fn better(self, a: f64, b: f64) -> bool {
        match self {
            Self::DotProduct => a > b,
            Self::Cosine | Self::Euclidean => a < b,
        }
    }
}

/// The role of a search-schema attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// The index's partition key: every search names one value of it.
    Hash,
    /// An attribute a search may filter on.
    InlineFilter,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Self::Hash => "HASH",
            Self::InlineFilter => "INLINE_FILTER",
        }
    }
}

/// One element of a `SearchSchema`, its type from the table's AttributeDefinitions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SchemaElement {
    pub name: String,
    pub role: Role,
    pub scalar_type: ScalarType,
}

/// What the index holds for one item.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry {
    /// The vector at 32-bit precision, as the index stores it.
    pub vector: Vec<f32>,
    /// The projected attributes: the table key, the search schema's attributes, the vector
    /// attribute as written, and what the projection names.
    pub attributes: Item,
    /// Bytes the entry counts for: its item size, the vector attribute counted as its name plus
    /// 4 bytes a dimension.
    pub bytes: u64,
}

/// Entries are ordered by the index partition key value (absent without a HASH element), then
/// the table key: a search reads one partition's range.
pub(crate) type EntryKey = (Option<KeyValue>, PrimaryKey);

/// One vector index and its entries.
#[derive(Clone, Debug)]
pub(crate) struct VectorIndex {
    pub name: String,
    /// The attribute holding the vector.
    pub attribute: String,
    pub dimensions: usize,
    pub function: DistanceFunction,
    pub search_schema: Vec<SchemaElement>,
    pub projection: Projection,
    /// Engine time the index becomes ACTIVE: 0 for one created with its table; a backfill's
    /// end for one added by UpdateTable (CREATING, `Backfilling: true`, until then).
    pub ready_at_ms: u64,
    /// The entries, sorted by [`EntryKey`]: a sorted `Vec` rather than a `BTreeMap`, whose
    /// tree code compiled for one more key type would cost the page's bundle kilobytes (an
    /// insert or removal moves the tail, which a playground's tables never notice).
    pub(crate) entries: Vec<(EntryKey, Entry)>,
    bytes: u64,
}

impl VectorIndex {
    /// An empty index.
    pub fn new(
        name: String,
        attribute: String,
        dimensions: usize,
        function: DistanceFunction,
        search_schema: Vec<SchemaElement>,
        projection: Projection,
    ) -> Self {
        Self {
            name,
            attribute,
            dimensions,
            function,
            search_schema,
            projection,
            ready_at_ms: 0,
            entries: Vec::new(),
            bytes: 0,
        }
    }

    /// The search schema's HASH element, if it has one.
    pub fn hash_element(&self) -> Option<&SchemaElement> {
        self.search_schema.iter().find(|e| e.role == Role::Hash)
    }

    /// Whether the index can be searched at engine time `now`.
    pub fn readable(&self, now: u64) -> bool {
        now >= self.ready_at_ms
    }

    /// Whether the index holds the attribute `name` of its items.
    pub fn projects(&self, table_schema: &KeySchema, name: &str) -> bool {
        name == self.attribute
            || table_schema.is_key(name)
            || self.search_schema.iter().any(|e| e.name == name)
            || match &self.projection {
                Projection::All => true,
                Projection::KeysOnly => false,
                Projection::Include(names) => names.iter().any(|n| n == name),
            }
    }

    /// The entry an item has in this index, if any: `None` when it lacks the vector attribute
    /// or the HASH attribute, or (an item written before the index existed, met by a backfill)
    /// holds a value the index cannot take.
    #[inline(never)]
    pub fn entry_of(
        &self,
        table_schema: &KeySchema,
        key: &PrimaryKey,
        item: &Item,
    ) -> Option<(EntryKey, Entry)> {
        let vector = vector_of(item.get(&self.attribute)?, self.dimensions).ok()?;
        let hash = match self.hash_element() {
            Some(element) => {
                let value = KeyValue::from_attribute(item.get(&element.name)?)?;
                if value.scalar_type() != Some(element.scalar_type) || value.size() == 0 {
                    return None;
                }
                Some(value)
            }
            None => None,
        };
        let attributes: Item = map_from(
            item.iter()
                .filter(|(name, _)| self.projects(table_schema, name))
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        let others: usize =
            attributes.iter().filter(|(n, _)| **n != self.attribute).map(|(n, v)| n.len() + v.size()).sum();
        let bytes = (self.attribute.len() + 4 * self.dimensions + others) as u64;
        Some(((hash, key.clone()), Entry { vector, attributes, bytes }))
    }

    /// Replaces the entry of one table item (`old` → `new`).
    pub fn replace(
        &mut self,
        table_schema: &KeySchema,
        key: &PrimaryKey,
        old: Option<&Item>,
        new: Option<&Item>,
    ) {
        if let Some((entry_key, _)) = old.and_then(|item| self.entry_of(table_schema, key, item)) {
            if let Ok(at) = self.position(&entry_key) {
                self.bytes -= self.entries.remove(at).1.bytes;
            }
        }
        if let Some((entry_key, entry)) = new.and_then(|item| self.entry_of(table_schema, key, item)) {
            self.bytes += entry.bytes;
            match self.position(&entry_key) {
                Ok(at) => self.bytes -= std::mem::replace(&mut self.entries[at].1, entry).bytes,
                Err(at) => self.entries.insert(at, (entry_key, entry)),
            }
        }
    }

    /// Where the entry `key` is (`Ok`), or would go (`Err`).
    fn position(&self, key: &EntryKey) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.cmp(key))
    }

    /// The entries whose index partition key is `hash` (every entry without a HASH element).
    pub(crate) fn partition(&self, hash: &Option<KeyValue>) -> &[(EntryKey, Entry)] {
        let start = self.entries.partition_point(|((h, _), _)| h < hash);
        let len = self.entries[start..].partition_point(|((h, _), _)| h == hash);
        &self.entries[start..start + len]
    }

    /// Bytes a write of one item (`old` → `new`) replicates into this index, or `None` when
    /// what the index holds for it does not change.
    fn replicated_bytes(
        &self,
        table_schema: &KeySchema,
        key: &PrimaryKey,
        old: Option<&Item>,
        new: Option<&Item>,
    ) -> Option<u64> {
        let before = old.and_then(|item| self.entry_of(table_schema, key, item));
        let after = new.and_then(|item| self.entry_of(table_schema, key, item));
        match (before, after) {
            (None, None) => None,
            (Some(b), Some(a)) if b == a => None,
            (_, Some((_, entry))) => Some(entry.bytes),
            (Some(_), None) => Some(item_size(&table_schema.key_item_from(key)) as u64),
        }
    }

    /// Checks the index's attributes of an item about to be written.
    fn check_item(&self, item: &Item) -> ApiResult<()> {
        if let Some(value) = item.get(&self.attribute) {
            vector_of(value, self.dimensions).map_err(|problem| self.write_error(problem))?;
        }
        for element in &self.search_schema {
            let Some(value) = item.get(&element.name) else { continue };
            let key =
                KeyValue::from_attribute(value).filter(|k| k.scalar_type() == Some(element.scalar_type));
            let Some(key) = key else {
                // The wording of a GSI key of the wrong type, which DynamoDB uses for every
                // secondary index key (the vector index's own text is not published).
                return Err(ApiError::invalid_parameter(format!(
                    "Type mismatch for Index Key {} Expected: {} Actual: {} IndexName: {}",
                    element.name,
                    element.scalar_type.name(),
                    value.type_name(),
                    self.name
                )));
            };
            if element.role == Role::Hash && key.size() == 0 {
                return Err(ApiError::validation(format!(
                    "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty {} value. IndexName: {}, IndexKey: {}",
                    if key.scalar_type() == Some(ScalarType::S) { "string" } else { "binary" },
                    self.name,
                    element.name
                )));
            }
        }
        Ok(())
    }

    /// DynamoDB's refusal of a write whose vector attribute the index cannot take. The size
    /// message is documented ("Invalid size for parameter Embedding, Expected: 1024, Actual:
    /// 512. IndexName: …"); the type and range ones follow its wording (the troubleshooting
    /// guide names "Invalid type for parameter" and says it points at the offending element).
    fn write_error(&self, problem: VectorProblem) -> ApiError {
        let attr = &self.attribute;
        let detail = match problem {
            VectorProblem::NotAList(actual) => {
                format!("Invalid type for parameter {attr}, Expected: L, Actual: {actual}")
            }
            VectorProblem::NotANumber(i, actual) => {
                format!("Invalid type for parameter {attr}[{i}], Expected: N, Actual: {actual}")
            }
            VectorProblem::Size(actual) => {
                format!("Invalid size for parameter {attr}, Expected: {}, Actual: {actual}", self.dimensions)
            }
            VectorProblem::OutOfRange(i, value) => format!(
                "Invalid value for parameter {attr}[{i}], Value: {value} does not fit a 32-bit floating point number"
            ),
        };
        ApiError::invalid_parameter(format!("{detail}. IndexName: {}", self.name))
    }

    /// The index's `VectorIndexDescription` at engine time `now`.
    #[inline(never)]
    pub fn describe(&self, table_arn: &str, now: u64) -> Value {
        // The definition's members, then the state's (a JSON object's members are unordered).
        let mut d = self.definition();
        let status = if self.readable(now) { "ACTIVE" } else { "CREATING" };
        d["IndexStatus"] = json!(status);
        if status == "CREATING" {
            d["Backfilling"] = json!(true);
        }
        // DynamoDB refreshes these about every six hours; the playground shows them live, as
        // it does a GSI's.
        d["IndexSizeBytes"] = json!(self.bytes);
        d["ItemCount"] = json!(self.entries.len());
        d["IndexArn"] = json!(format!("{table_arn}/index/{}", self.name));
        d
    }

    /// The `VectorIndex` definition, as CreateTable takes it (workspaces keep this).
    #[inline(never)]
    pub fn definition(&self) -> Value {
        let mut m = Map::new();
        m.insert("IndexName".into(), json!(self.name));
        m.insert("VectorAttribute".into(), json!({"AttributeName": self.attribute}));
        if !self.search_schema.is_empty() {
            m.insert("SearchSchema".into(), self.search_schema_json());
        }
        m.insert("Projection".into(), projection_json(&self.projection));
        m.insert("Dimensions".into(), json!(self.dimensions));
        m.insert("DistanceFunction".into(), json!(self.function.name()));
        Value::Object(m)
    }

    fn search_schema_json(&self) -> Value {
        self.search_schema
            .iter()
            .map(|e| json!({"AttributeName": e.name, "SearchSchemaElementType": e.role.name()}))
            .collect()
    }
}

fn projection_json(projection: &Projection) -> Value {
    match projection {
        Projection::All => json!({"ProjectionType": "ALL"}),
        Projection::KeysOnly => json!({"ProjectionType": "KEYS_ONLY"}),
        Projection::Include(names) => json!({"ProjectionType": "INCLUDE", "NonKeyAttributes": names}),
    }
}

/// Why a value is not a vector of the index's dimensions, in the order the checks run.
#[derive(Debug, PartialEq)]
pub(crate) enum VectorProblem {
    /// Not a list (its type).
    NotAList(&'static str),
    /// Element `i` is not a number (its type).
    NotANumber(usize, &'static str),
    /// The list's length.
    Size(usize),
    /// Element `i` does not fit an f32 (its text).
    OutOfRange(usize, String),
}

/// The vector a value holds (a list of `dimensions` numbers), at 32-bit precision.
pub(crate) fn vector_of(value: &AttributeValue, dimensions: usize) -> Result<Vec<f32>, VectorProblem> {
    let AttributeValue::L(list) = value else { return Err(VectorProblem::NotAList(value.type_name())) };
    floats(list.iter(), dimensions)
}

/// Numbers as 32-bit floats: every member a number, `dimensions` of them, each finite as an f32.
pub(crate) fn floats<'a>(
    members: impl ExactSizeIterator<Item = &'a AttributeValue>,
    dimensions: usize,
) -> Result<Vec<f32>, VectorProblem> {
    let len = members.len();
    let mut out = Vec::with_capacity(len);
    let mut numbers = Vec::with_capacity(len);
    for (i, member) in members.enumerate() {
        match member {
            AttributeValue::N(n) => numbers.push((i, n)),
            other => return Err(VectorProblem::NotANumber(i, other.type_name())),
        }
    }
    if len != dimensions {
        return Err(VectorProblem::Size(len));
    }
    for (i, n) in numbers {
        let value = n.to_f64() as f32;
        if !value.is_finite() {
            return Err(VectorProblem::OutOfRange(i, n.to_string()));
        }
        out.push(value);
    }
    Ok(out)
}

/// Adds a vector index to `table`, writing an entry for every item that has one (a backfill:
/// UpdateTable's, and a workspace import's).
#[inline(never)]
pub(crate) fn backfill(table: &mut crate::table::Table, mut index: VectorIndex) {
    for entry in table.items.iter() {
        let key = PrimaryKey { partition: entry.partition(), sort: entry.position() };
        index.replace(&table.key_schema, &key, None, Some(&entry.item()));
    }
    table.vectors.indexes.push(index);
    table.vectors.recount(table.items.iter().map(|entry| entry.item()));
}

/// Query and Scan cannot read a vector index: "Query operation not supported on this index
/// type." (AWS's published vector-search guidance quotes Query's; Scan's follows it).
pub(crate) fn refuse_read(
    table: &crate::table::Table,
    request: &serde_json::Value,
    operation: &str,
) -> ApiResult<()> {
    match request.get("IndexName").and_then(serde_json::Value::as_str) {
        Some(name) if table.vectors.get(name).is_some() => {
            Err(ApiError::validation(format!("{operation} operation not supported on this index type.")))
        }
        _ => Ok(()),
    }
}

/// A table's vector indexes, and those being deleted (shown DELETING for a moment).
#[derive(Clone, Debug, Default)]
pub(crate) struct VectorIndexes {
    pub indexes: Vec<VectorIndex>,
    /// Descriptions of deleted indexes, shown DELETING until engine time `.1`.
    pub deleting: Vec<(Value, u64)>,
    /// Stored minus billed bytes over the table's items ([`VectorIndexes::billed_size`]):
    /// TableSizeBytes is the stored bytes less this. Negative when vectors of short numbers
    /// bill more than they store.
    pub(crate) unbilled: i64,
}

impl VectorIndexes {
    /// The vector index named `name`.
    pub fn get(&self, name: &str) -> Option<&VectorIndex> {
        self.indexes.iter().find(|i| i.name == name)
    }

    /// Whether the table has none.
    pub fn is_empty(&self) -> bool {
        self.indexes.is_empty()
    }

    /// Checks the vector and search-schema attributes of an item about to be written.
    pub fn check_item(&self, item: &Item) -> ApiResult<()> {
        self.indexes.iter().try_for_each(|index| index.check_item(item))
    }

    /// Keeps every index in step with one item's change (`old` → `new`).
    pub fn replace(
        &mut self,
        table_schema: &KeySchema,
        key: &PrimaryKey,
        old: Option<&Item>,
        new: Option<&Item>,
    ) {
        if self.indexes.is_empty() {
            return;
        }
        for index in &mut self.indexes {
            index.replace(table_schema, key, old, new);
        }
        self.unbilled += new.map_or(0, |i| self.unbilled_of(i)) - old.map_or(0, |i| self.unbilled_of(i));
    }

    /// An item's size as a write bills it and TableSizeBytes counts it: its item size, but an
    /// attribute holding a vector an index reads counts its name plus 4 bytes a dimension,
    /// whatever numbers it holds (the Parity Suite's capture, 2026-10-09). A read and the
    /// 400 KB limit size the item by [`item_size`].
    pub fn billed_size(&self, item: &Item) -> usize {
        let size = item_size(item) as i64;
        (size - self.unbilled_of(item)).max(0) as usize
    }

    /// Stored minus billed bytes of one item's vector attributes (0 when it has none).
    fn unbilled_of(&self, item: &Item) -> i64 {
        self.vectors_in(item).map(|(index, value)| value.size() as i64 - 4 * index.dimensions as i64).sum()
    }

    /// The attributes of `item` billed as vectors: (name, dimensions, the bytes the value takes
    /// as stored).
    pub fn billed_vectors(&self, item: &Item) -> Vec<(String, usize, usize)> {
        self.vectors_in(item)
            .map(|(index, value)| (index.attribute.clone(), index.dimensions, value.size()))
            .collect()
    }

    /// Each vector attribute of `item` an index reads, with the (first) index reading it. Only
    /// what the index takes as a vector: an item older than the index may hold something else
    /// there, which is billed as it is stored.
    fn vectors_in<'a>(
        &'a self,
        item: &'a Item,
    ) -> impl Iterator<Item = (&'a VectorIndex, &'a AttributeValue)> {
        self.indexes
            .iter()
            .enumerate()
            // Two indexes on one attribute share its dimensions (a write must fit both).
            .filter(|(at, index)| !self.indexes[..*at].iter().any(|i| i.attribute == index.attribute))
            .filter_map(|(_, index)| {
                let value = item.get(&index.attribute)?;
                vector_of(value, index.dimensions).ok()?;
                Some((index, value))
            })
    }

    /// Counts [`VectorIndexes::unbilled`] afresh over every item (an index added or removed
    /// changes which attributes are billed as vectors).
    pub fn recount(&mut self, items: impl Iterator<Item = Item>) {
        self.unbilled = items.map(|i| self.unbilled_of(&i)).sum();
    }

    /// `VectorWriteRequestBytes` of one item's write, per index it changes, in index order,
    /// each held to the 1 KB minimum (the minimum binds per index, not per write: the Parity
    /// Suite's capture, 2026-08-18).
    pub fn write_bytes(
        &self,
        table_schema: &KeySchema,
        key: &PrimaryKey,
        old: Option<&Item>,
        new: Option<&Item>,
    ) -> Vec<(String, f64)> {
        self.indexes
            .iter()
            .filter_map(|i| {
                let bytes = i.replicated_bytes(table_schema, key, old, new)? as f64;
                Some((i.name.clone(), bytes.max(MIN_REQUEST_BYTES)))
            })
            .collect()
    }

    /// Whether an index is being created or deleted at `now` (DynamoDB runs one such online
    /// index operation at a time per table, GSIs included).
    pub fn busy(&self, now: u64) -> bool {
        self.indexes.iter().any(|i| !i.readable(now)) || self.deleting.iter().any(|(_, gone)| now < *gone)
    }

    /// Whether a search schema names the attribute `name` (its definition stays while one does).
    pub fn uses_definition(&self, name: &str) -> bool {
        self.indexes.iter().any(|i| i.search_schema.iter().any(|e| e.name == name))
    }

    /// Removes the index `name`; it shows DELETING until `gone_at_ms`.
    pub fn remove(&mut self, name: &str, table_arn: &str, now: u64, gone_at_ms: u64) {
        if let Some(at) = self.indexes.iter().position(|i| i.name == name) {
            let mut shown = self.indexes.remove(at).describe(table_arn, now);
            shown["IndexStatus"] = json!("DELETING");
            if let Some(m) = shown.as_object_mut() {
                m.remove("Backfilling");
            }
            self.deleting.push((shown, gone_at_ms));
        }
    }

    /// The `VectorIndexes` member of a table description at `now`, if there is any index.
    pub fn describe(&self, table_arn: &str, now: u64) -> Option<Value> {
        let list: Vec<Value> = self
            .indexes
            .iter()
            .map(|i| i.describe(table_arn, now))
            .chain(self.deleting.iter().filter(|(_, gone)| now < *gone).map(|(d, _)| d.clone()))
            .collect();
        (!list.is_empty()).then_some(Value::Array(list))
    }

    /// What a snapshot keeps beyond the definitions: backfills in progress and indexes still
    /// DELETING (`None` when there is nothing).
    pub fn state_json(&self, now: u64) -> Option<Value> {
        let mut m = Map::new();
        let ready = object_from(
            self.indexes
                .iter()
                .filter(|i| i.ready_at_ms > now)
                .map(|i| (i.name.clone(), json!(i.ready_at_ms))),
        );
        if !ready.is_empty() {
            m.insert("ReadyAtMs".into(), Value::Object(ready));
        }
        let deleting: Vec<Value> = self
            .deleting
            .iter()
            .filter(|(_, gone)| now < *gone)
            .map(|(d, gone)| json!({"Description": d, "GoneAtMs": gone}))
            .collect();
        if !deleting.is_empty() {
            m.insert("Deleting".into(), Value::Array(deleting));
        }
        (!m.is_empty()).then_some(Value::Object(m))
    }

    /// Takes [`VectorIndexes::state_json`]'s form.
    pub fn restore_state(&mut self, state: &Value) -> Result<(), String> {
        if let Some(ready) = state.get("ReadyAtMs") {
            let ready = ready.as_object().ok_or("State.VectorIndexes.ReadyAtMs must be an object")?;
            for (name, at) in ready {
                let at = at.as_u64().ok_or("State.VectorIndexes.ReadyAtMs must hold numbers")?;
                let index = self
                    .indexes
                    .iter_mut()
                    .find(|i| i.name == *name)
                    .ok_or_else(|| format!("State names no vector index {name}"))?;
                index.ready_at_ms = at;
            }
        }
        if let Some(list) = state.get("Deleting") {
            let deleting = list
                .as_array()
                .into_iter()
                .flatten()
                .map(|d| Some((d.get("Description")?.clone(), d.get("GoneAtMs")?.as_u64()?)));
            self.deleting = deleting
                .collect::<Option<Vec<_>>>()
                .ok_or("State.VectorIndexes.Deleting is not a list of indexes")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
