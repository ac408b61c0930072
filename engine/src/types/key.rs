//! Primary keys: the key schema of a table or index, key values and their sort order, and the
//! stable hash that places a partition key on the key space (and later on a partition).

use super::number::Number;
use super::value::{AttributeValue, Item};
use crate::error::{ApiError, ApiResult, Cause};

/// Longest partition key value, in bytes.
pub const MAX_PARTITION_KEY_BYTES: usize = 2048;
/// Longest sort key value, in bytes.
pub const MAX_SORT_KEY_BYTES: usize = 1024;

/// The three types a key attribute may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarType {
    /// String.
    S,
    /// Number.
    N,
    /// Binary.
    B,
}

impl ScalarType {
    /// Parses `S`, `N` or `B`.
    pub fn parse(text: &str) -> Option<ScalarType> {
        match text {
            "S" => Some(Self::S),
            "N" => Some(Self::N),
            "B" => Some(Self::B),
            _ => None,
        }
    }

    /// The DynamoDB tag.
    pub fn name(self) -> &'static str {
        match self {
            Self::S => "S",
            Self::N => "N",
            Self::B => "B",
        }
    }
}

/// One key attribute: its name and declared type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyAttribute {
    /// Attribute name.
    pub name: String,
    /// Declared type (from AttributeDefinitions).
    pub scalar_type: ScalarType,
}

impl KeyAttribute {
    /// `value` as a key value of this attribute's declared type, if it is one.
    fn typed(&self, value: &AttributeValue) -> Option<KeyValue> {
        KeyValue::from_attribute(value).filter(|k| k.scalar_type() == Some(self.scalar_type))
    }
}

/// A table's or index's key schema.
///
/// A table and a local secondary index have one HASH and at most one RANGE attribute. A
/// global secondary index may have a *multi-attribute key* (DynamoDB, November 2025): up to
/// four HASH attributes, hashed together to place an item, and up to four RANGE attributes,
/// compared one after another to order items. `partition_key` and `sort_key` are the first of
/// each; the others follow in KeySchema order in `more_partition_keys` and `more_sort_keys`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeySchema {
    /// The (first) HASH key.
    pub partition_key: KeyAttribute,
    /// The (first) RANGE key, if any.
    pub sort_key: Option<KeyAttribute>,
    /// The HASH attributes after the first (multi-attribute GSI keys only).
    pub more_partition_keys: Vec<KeyAttribute>,
    /// The RANGE attributes after the first (multi-attribute GSI keys only).
    pub more_sort_keys: Vec<KeyAttribute>,
}

/// A key value; ordered as DynamoDB orders keys: strings and binary bytewise, numbers
/// numerically, and the values of a multi-attribute key component by component.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyValue {
    /// String key.
    S(String),
    /// Number key.
    N(Number),
    /// Binary key.
    B(Vec<u8>),
    /// The values of a multi-attribute key (several HASH or several RANGE attributes of a
    /// GSI), in KeySchema order — or, as a query bound, the first few of them.
    Tuple(KeyTuple),
}

/// The components of a multi-attribute key value, compared one after another, each by its own
/// type. A stored key has every component; a shorter tuple is a query bound standing for all
/// the keys that start with its components, and `end` says on which side of them it sorts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KeyTuple {
    /// The component values.
    pub parts: Vec<KeyValue>,
    /// Where a prefix sorts against the longer tuples it starts.
    pub end: TupleEnd,
}

/// Where a tuple sorts against the longer tuples that start with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TupleEnd {
    /// Before them (a lower bound; also every stored key, which no other key extends).
    Low,
    /// After them (an upper bound).
    High,
}

impl KeyTuple {
    /// A whole key, or the lower bound of the keys starting with `parts`.
    pub fn low(parts: Vec<KeyValue>) -> Self {
        Self { parts, end: TupleEnd::Low }
    }

    /// The upper bound of the keys starting with `parts`.
    pub fn high(parts: Vec<KeyValue>) -> Self {
        Self { parts, end: TupleEnd::High }
    }
}

impl Ord for KeyTuple {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        for (a, b) in self.parts.iter().zip(&other.parts) {
            match a.cmp(b) {
                Ordering::Equal => {}
                unequal => return unequal,
            }
        }
        let side = |end: TupleEnd| if end == TupleEnd::Low { Ordering::Less } else { Ordering::Greater };
        match self.parts.len().cmp(&other.parts.len()) {
            Ordering::Equal => self.end.cmp(&other.end),
            Ordering::Less => side(self.end),
            Ordering::Greater => side(other.end).reverse(),
        }
    }
}

impl PartialOrd for KeyTuple {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl KeyValue {
    /// The key value as an attribute value (a multi-attribute key's as a list of its
    /// components, as reports show it).
    pub fn to_attribute(&self) -> AttributeValue {
        match self {
            Self::S(s) => AttributeValue::S(s.clone()),
            Self::N(n) => AttributeValue::N(*n),
            Self::B(b) => AttributeValue::B(b.clone()),
            Self::Tuple(t) => AttributeValue::L(t.parts.iter().map(Self::to_attribute).collect()),
        }
    }

    /// A key value from an attribute value of a scalar key type.
    pub fn from_attribute(value: &AttributeValue) -> Option<KeyValue> {
        match value {
            AttributeValue::S(s) => Some(Self::S(s.clone())),
            AttributeValue::N(n) => Some(Self::N(*n)),
            AttributeValue::B(b) => Some(Self::B(b.clone())),
            _ => None,
        }
    }

    /// The type of this value (`None` for a multi-attribute key).
    pub fn scalar_type(&self) -> Option<ScalarType> {
        match self {
            Self::S(_) => Some(ScalarType::S),
            Self::N(_) => Some(ScalarType::N),
            Self::B(_) => Some(ScalarType::B),
            Self::Tuple(_) => None,
        }
    }

    /// Whether this is an empty string or binary, which no key may hold.
    pub fn is_empty(&self) -> bool {
        match self {
            Self::S(s) => s.is_empty(),
            Self::B(b) => b.is_empty(),
            Self::N(_) | Self::Tuple(_) => false,
        }
    }

    /// A stable 64-bit hash of the value (FNV-1a over a type tag and the value's bytes, then
    /// a splitmix64 finaliser to spread nearby keys). It orders Scan results and parallel-scan
    /// segments, and will place keys on partitions; it never changes between versions.
    ///
    /// A multi-attribute key hashes all its components together: each one's type tag, length
    /// and bytes, so that no two different tuples feed the same bytes.
    pub fn hash64(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        self.feed_hash(&mut |bytes: &[u8]| {
            for &b in bytes {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        });
        let mut z = h.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn feed_hash(&self, feed: &mut impl FnMut(&[u8])) {
        match self {
            Self::S(s) => {
                feed(b"S");
                feed(s.as_bytes());
            }
            Self::N(n) => {
                feed(b"N");
                feed(n.to_string().as_bytes());
            }
            Self::B(b) => {
                feed(b"B");
                feed(b);
            }
            Self::Tuple(t) => {
                feed(b"T");
                for part in &t.parts {
                    feed(&(part.size() as u64).to_le_bytes());
                    part.feed_hash(feed);
                }
            }
        }
    }

    /// Size in bytes, as counted against the key length limits (a multi-attribute key's
    /// components together).
    pub fn size(&self) -> usize {
        match self {
            Self::S(s) => s.len(),
            Self::N(n) => n.size(),
            Self::B(b) => b.len(),
            Self::Tuple(t) => t.parts.iter().map(Self::size).sum(),
        }
    }
}

/// A partition key value with its hash: the hash orders Scan results and parallel-scan
/// segments (and will place keys on partitions).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartitionKey {
    /// `value.hash64()`, cached.
    pub token: u64,
    /// The partition key value.
    pub value: KeyValue,
}

impl PartitionKey {
    /// A partition key and its hash.
    pub fn new(value: KeyValue) -> Self {
        Self { token: value.hash64(), value }
    }

    /// The smallest partition key with this token (for segment starts): an empty string sorts
    /// before every other key value.
    pub fn first_with_token(token: u64) -> Self {
        Self { token, value: KeyValue::S(String::new()) }
    }
}

/// Where an item lives: its partition key, and its sort key (`None` on a table without one).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PrimaryKey {
    /// Partition key value and hash.
    pub partition: PartitionKey,
    /// Sort key value, if the schema has one.
    pub sort: Option<KeyValue>,
}

impl PrimaryKey {
    /// A key from its parts.
    pub fn new(partition: KeyValue, sort: Option<KeyValue>) -> Self {
        Self { partition: PartitionKey::new(partition), sort }
    }
}

impl KeySchema {
    /// A key schema of one HASH and at most one RANGE attribute.
    pub fn new(partition_key: KeyAttribute, sort_key: Option<KeyAttribute>) -> Self {
        Self { partition_key, sort_key, more_partition_keys: Vec::new(), more_sort_keys: Vec::new() }
    }

    /// The HASH attributes, in KeySchema order.
    pub fn partition_attributes(&self) -> impl Iterator<Item = &KeyAttribute> {
        std::iter::once(&self.partition_key).chain(&self.more_partition_keys)
    }

    /// The RANGE attributes, in KeySchema order.
    pub fn sort_attributes(&self) -> impl Iterator<Item = &KeyAttribute> {
        self.sort_key.iter().chain(&self.more_sort_keys)
    }

    /// Every key attribute: the HASH attributes, then the RANGE attributes.
    pub fn attributes(&self) -> impl Iterator<Item = &KeyAttribute> {
        self.partition_attributes().chain(self.sort_attributes())
    }

    /// Whether the partition key has several attributes.
    pub fn has_multi_attribute_partition_key(&self) -> bool {
        !self.more_partition_keys.is_empty()
    }

    /// Whether the sort key has several attributes.
    pub fn has_multi_attribute_sort_key(&self) -> bool {
        !self.more_sort_keys.is_empty()
    }

    /// Whether the partition key or the sort key has several attributes.
    pub fn is_multi_attribute(&self) -> bool {
        self.has_multi_attribute_partition_key() || self.has_multi_attribute_sort_key()
    }

    /// Names of the key attributes: the HASH attributes, then the RANGE attributes.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.attributes().map(|k| k.name.as_str())
    }

    /// Whether `name` is one of the key attributes.
    pub fn is_key(&self, name: &str) -> bool {
        let named = |k: &KeyAttribute| k.name == name;
        named(&self.partition_key)
            || self.sort_key.as_ref().is_some_and(named)
            || self.more_partition_keys.iter().any(named)
            || self.more_sort_keys.iter().any(named)
    }

    /// The partition key value of an item, if it has every HASH attribute with its declared
    /// type (a multi-attribute key as a tuple). Empty values count as missing, and so do
    /// values over the 2,048-byte key limit (an index backfill skips such items).
    pub fn partition_value_of(&self, item: &Item) -> Option<KeyValue> {
        value_of(&self.partition_key, &self.more_partition_keys, item, true)
            .filter(|v| v.scalar_type() == Some(ScalarType::N) || v.size() <= MAX_PARTITION_KEY_BYTES)
    }

    /// The sort key value of an item: `Some(None)` without a sort key, `None` when the item
    /// lacks a RANGE attribute (or has one of the wrong type, or empty, or over the
    /// 1,024-byte limit for all RANGE attributes together).
    pub fn sort_value_of(&self, item: &Item) -> Option<Option<KeyValue>> {
        match &self.sort_key {
            Some(first) => value_of(first, &self.more_sort_keys, item, true)
                .filter(|v| v.scalar_type() == Some(ScalarType::N) || v.size() <= MAX_SORT_KEY_BYTES)
                .map(Some),
            None => Some(None),
        }
    }

    /// The partition key value of an ExclusiveStartKey, whose types are not checked here.
    pub fn start_partition_value(&self, start: &Item) -> Option<KeyValue> {
        value_of(&self.partition_key, &self.more_partition_keys, start, false)
    }

    /// The sort key value of an ExclusiveStartKey (see [`Self::start_partition_value`]).
    pub fn start_sort_value(&self, start: &Item) -> Option<KeyValue> {
        value_of(self.sort_key.as_ref()?, &self.more_sort_keys, start, false)
    }

    /// Extracts and checks the primary key of a full item (PutItem's `Item`).
    pub fn key_of_item(&self, item: &Item) -> ApiResult<PrimaryKey> {
        let partition = self.item_key_value(item, &self.partition_key, true)?;
        let sort = match &self.sort_key {
            Some(sk) => Some(self.item_key_value(item, sk, false)?),
            None => None,
        };
        Ok(PrimaryKey::new(partition, sort))
    }

    /// Checks a `Key` member: exactly the key attributes, with the declared types.
    pub fn key_of_key(&self, key: &Item) -> ApiResult<PrimaryKey> {
        self.key_of(key.len(), key.keys().map(String::as_str), |name| key.get(name))
    }

    /// [`KeySchema::key_of_key`] for a key given as a list of its attributes, each named once
    /// (read from a request without building a map of them).
    pub(crate) fn key_of_attributes(&self, key: &[(&str, AttributeValue)]) -> ApiResult<PrimaryKey> {
        let get = |name: &str| key.iter().find(|(n, _)| *n == name).map(|(_, value)| value);
        self.key_of(key.len(), key.iter().map(|(name, _)| *name), get)
    }

    /// A key of `len` attributes named `names`, whose values `get` finds by name.
    fn key_of<'k>(
        &self,
        len: usize,
        mut names: impl Iterator<Item = &'k str>,
        get: impl Fn(&str) -> Option<&'k AttributeValue>,
    ) -> ApiResult<PrimaryKey> {
        let mismatch = || ApiError::validation("The provided key element does not match the schema");
        let expected = 1 + usize::from(self.sort_key.is_some());
        if len != expected || !names.all(|name| self.is_key(name)) {
            return Err(mismatch());
        }
        let value = |attr: &KeyAttribute, is_partition: bool| {
            let value = get(&attr.name).ok_or_else(mismatch)?;
            let key = attr.typed(value).ok_or_else(mismatch)?;
            check_key_size(&attr.name, &key, is_partition)?;
            Ok(key)
        };
        let partition = value(&self.partition_key, true)?;
        let sort = self.sort_key.as_ref().map(|sk| value(sk, false)).transpose()?;
        Ok(PrimaryKey::new(partition, sort))
    }

    /// A full item's (PutItem's `Item`) key attribute: a missing or mistyped one is named
    /// (a `Key` member's are not: [`KeySchema::key_of`]).
    fn item_key_value(&self, item: &Item, attr: &KeyAttribute, is_partition: bool) -> ApiResult<KeyValue> {
        let Some(value) = item.get(&attr.name) else {
            return Err(ApiError::invalid_parameter(format!("Missing the key {} in the item", attr.name))
                .because(Cause::MissingKeyAttribute));
        };
        let Some(key) = attr.typed(value) else {
            return Err(ApiError::invalid_parameter(format!(
                "Type mismatch for key {} expected: {} actual: {}",
                attr.name,
                attr.scalar_type.name(),
                value.type_name()
            ))
            .because(Cause::KeyTypeMismatch));
        };
        check_key_size(&attr.name, &key, is_partition)?;
        Ok(key)
    }

    /// A key-only item for a primary key (the start of an item UpdateItem creates).
    pub fn key_item_from(&self, key: &PrimaryKey) -> Item {
        let mut item = Item::new();
        item.insert(self.partition_key.name.clone(), key.partition.value.to_attribute());
        if let (Some(attr), Some(value)) = (&self.sort_key, &key.sort) {
            item.insert(attr.name.clone(), value.to_attribute());
        }
        item
    }

    /// The key attributes of an item, as a `Key` map (for LastEvaluatedKey and the like).
    pub fn key_item(&self, item: &Item) -> Item {
        super::map_from(self.names().filter_map(|n| item.get(n).map(|v| (n.to_owned(), v.clone()))))
    }
}

/// The values of the key attributes `first` and `more` in `item`: the value of `first` alone,
/// or with `more` a tuple of them all; `strict` also requires each to have its declared type
/// and not be empty.
fn value_of(first: &KeyAttribute, more: &[KeyAttribute], item: &Item, strict: bool) -> Option<KeyValue> {
    let value = |attr: &KeyAttribute| {
        let v = KeyValue::from_attribute(item.get(&attr.name)?)?;
        let fits = v.scalar_type() == Some(attr.scalar_type) && !v.is_empty();
        (fits || !strict).then_some(v)
    };
    if more.is_empty() {
        return value(first);
    }
    let mut parts = vec![value(first)?];
    for attr in more {
        parts.push(value(attr)?);
    }
    Some(KeyValue::Tuple(KeyTuple::low(parts)))
}

/// DynamoDB's checks on key values: no empty string or binary, and the length limits.
pub fn check_key_size(name: &str, key: &KeyValue, is_partition: bool) -> ApiResult<()> {
    if key.is_empty() {
        let kind = if key.scalar_type() == Some(ScalarType::S) { "string" } else { "binary" };
        return Err(ApiError::validation(format!(
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty {kind} value. Key: {name}"
        ))
        .because(Cause::EmptyKeyValue));
    }
    if key.scalar_type() == Some(ScalarType::N) {
        return Ok(());
    }
    if is_partition && key.size() > MAX_PARTITION_KEY_BYTES {
        return Err(ApiError::invalid_parameter(format!(
            "Size of hashkey has exceeded the maximum size limit of{MAX_PARTITION_KEY_BYTES} bytes"
        )));
    }
    if !is_partition && key.size() > MAX_SORT_KEY_BYTES {
        return Err(ApiError::invalid_parameter(format!(
            "Aggregated size of all range keys has exceeded the size limit of {MAX_SORT_KEY_BYTES} bytes"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> KeySchema {
        KeySchema::new(
            KeyAttribute { name: "pk".into(), scalar_type: ScalarType::S },
            Some(KeyAttribute { name: "sk".into(), scalar_type: ScalarType::N }),
        )
    }

    #[test]
    fn keys_order_by_type_rules() {
        let n = |s: &str| KeyValue::N(Number::parse(s).unwrap());
        assert!(n("9") < n("10"));
        assert!(KeyValue::S("B".into()) < KeyValue::S("a".into()));
        assert!(KeyValue::B(vec![0x7f]) < KeyValue::B(vec![0x80]));
    }

    #[test]
    fn key_errors_use_dynamodb_texts() {
        let s = schema();
        let mut item = Item::new();
        item.insert("sk".into(), AttributeValue::N(Number::ZERO));
        assert_eq!(
            s.key_of_item(&item).unwrap_err().message,
            "One or more parameter values were invalid: Missing the key pk in the item"
        );
        item.insert("pk".into(), AttributeValue::N(Number::ZERO));
        assert_eq!(
            s.key_of_item(&item).unwrap_err().message,
            "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"
        );
        assert_eq!(
            s.key_of_key(&item).unwrap_err().message,
            "The provided key element does not match the schema"
        );
        item.insert("pk".into(), AttributeValue::S(String::new()));
        assert_eq!(
            s.key_of_item(&item).unwrap_err().message,
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"
        );
    }

    #[test]
    fn tuples_order_component_by_component_and_bound_their_prefixes() {
        let n = |i: i64| KeyValue::N(Number::from_i64(i));
        let s = |v: &str| KeyValue::S(v.into());
        let key = |parts: Vec<KeyValue>| KeyValue::Tuple(KeyTuple::low(parts));
        // Each component by its own type: 9 < 10 numerically, after an equal string.
        assert!(key(vec![s("a"), n(9)]) < key(vec![s("a"), n(10)]));
        assert!(key(vec![s("a"), n(99)]) < key(vec![s("b"), n(1)]));
        // A prefix's low and high ends enclose every key that starts with it, and no other.
        let (low, high) = (KeyTuple::low(vec![s("a")]), KeyTuple::high(vec![s("a")]));
        for inside in [vec![s("a"), n(-5)], vec![s("a"), n(5)]] {
            let k = KeyTuple::low(inside);
            assert!(low < k && k < high);
        }
        assert!(KeyTuple::low(vec![s("b"), n(0)]) > high);
        assert!(KeyTuple::low(vec![s("A"), n(0)]) < low);
        assert!(low < high);
        // Hashing covers every component, and no two tuples feed the same bytes.
        assert_ne!(key(vec![s("ab"), s("c")]).hash64(), key(vec![s("a"), s("bc")]).hash64());
        assert_eq!(key(vec![s("ab"), n(1)]).size(), 2 + n(1).size());
    }

    #[test]
    fn multi_attribute_values_need_every_component_typed() {
        let attr = |name: &str, scalar_type| KeyAttribute { name: name.into(), scalar_type };
        let schema = KeySchema {
            partition_key: attr("h1", ScalarType::S),
            sort_key: Some(attr("r1", ScalarType::N)),
            more_partition_keys: vec![attr("h2", ScalarType::S)],
            more_sort_keys: vec![attr("r2", ScalarType::S)],
        };
        assert_eq!(schema.names().collect::<Vec<_>>(), ["h1", "h2", "r1", "r2"]);
        let mut item = Item::new();
        item.insert("h1".into(), AttributeValue::S("a".into()));
        item.insert("r1".into(), AttributeValue::N(Number::ZERO));
        item.insert("r2".into(), AttributeValue::S("x".into()));
        assert_eq!(schema.partition_value_of(&item), None);
        item.insert("h2".into(), AttributeValue::S(String::new()));
        assert_eq!(schema.partition_value_of(&item), None, "an empty component is no key");
        item.insert("h2".into(), AttributeValue::S("b".into()));
        assert_eq!(
            schema.partition_value_of(&item),
            Some(KeyValue::Tuple(KeyTuple::low(vec![KeyValue::S("a".into()), KeyValue::S("b".into())])))
        );
        item.insert("r2".into(), AttributeValue::N(Number::ZERO));
        assert_eq!(schema.sort_value_of(&item), None, "a component of another type is no key");
    }

    #[test]
    fn hash_is_stable() {
        // Pinned: the hash orders scans and will place keys on partitions; it must not drift.
        assert_eq!(KeyValue::S("U1001".into()).hash64(), KeyValue::S("U1001".into()).hash64());
        assert_ne!(KeyValue::S("a".into()).hash64(), KeyValue::S("b".into()).hash64());
    }
}
